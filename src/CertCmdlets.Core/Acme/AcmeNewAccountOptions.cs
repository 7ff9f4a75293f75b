using System.Collections.Generic;
using System.Security;

namespace CertCmdlets.Core.Acme
{
    /// <summary>What a new ACME account is opened with.</summary>
    public sealed class AcmeNewAccountOptions
    {
        /// <summary>Contact e-mail addresses ("admin@example.com" or "mailto:admin@example.com").</summary>
        public IList<string> Contact { get; } = new List<string>();

        /// <summary>The user agreed to the CA's terms of service (-AcceptTermsOfService).</summary>
        public bool AcceptTermsOfService { get; set; }

        /// <summary>The key id of an External Account Binding, as the CA's account page shows it.</summary>
        public string? ExternalAccountKeyId { get; set; }

        /// <summary>The MAC key of an External Account Binding (base64url, as the CA hands it out).</summary>
        public SecureString? ExternalAccountMacKey { get; set; }

        /// <summary>The account key's algorithm: ES256 (default), ES384 or RS256.</summary>
        public string? KeyAlgorithm { get; set; }
    }
}
