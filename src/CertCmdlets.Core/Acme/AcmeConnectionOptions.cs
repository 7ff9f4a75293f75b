using System;
using System.Collections.Generic;

namespace CertCmdlets.Core.Acme
{
    /// <summary>Which CA to talk to, where the accounts are kept, what to trust, and how long to wait.</summary>
    public sealed class AcmeConnectionOptions
    {
        /// <summary>A directory shortcut (LetsEncrypt, ZeroSSL...) or the https URL of an ACME directory.</summary>
        public string Directory { get; set; } = string.Empty;

        /// <summary>The folder holding the saved accounts; null for the per-user default (see <see cref="AcmeAccountStore"/>).</summary>
        public string? StateDirectory { get; set; }

        /// <summary>Roots trusted for the CA's own TLS certificate, besides the system store (a private or test CA).</summary>
        public IReadOnlyList<CertificateInfo> TrustedRoots { get; set; } = Array.Empty<CertificateInfo>();

        /// <summary>The longest one HTTP exchange with the CA may take.</summary>
        public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>The longest a whole operation (an order: validation and issuance) may take, polling included.</summary>
        public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromMinutes(5);

        /// <summary>How often a request refused for its nonce (badNonce) is sent again with a fresh one.</summary>
        public int MaximumBadNonceRetries { get; set; } = 10;

        /// <summary>The longest Retry-After honoured by waiting; a longer one ends the operation with the CA's time.</summary>
        public TimeSpan MaximumRetryAfter { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>The first pause between two polls of an order or authorization without Retry-After (doubling up to 5 s).</summary>
        public TimeSpan FirstPollInterval { get; set; } = TimeSpan.FromMilliseconds(250);
    }
}
