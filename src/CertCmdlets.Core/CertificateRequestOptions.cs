using System.Collections.Generic;
using System.Security;

namespace CertCmdlets.Core
{
    /// <summary>What goes into a new certificate signing request or self-signed certificate.</summary>
    public sealed class CertificateRequestOptions
    {
        /// <summary>The subject's common name (CN), usually the server's main host name.</summary>
        public string CommonName { get; set; } = string.Empty;

        /// <summary>Extra DNS names for the subject alternative name extension.</summary>
        public IList<string> DnsNames { get; } = new List<string>();

        /// <summary>IP addresses for the subject alternative name extension.</summary>
        public IList<string> IpAddresses { get; } = new List<string>();

        /// <summary>E-mail addresses for the subject alternative name extension.</summary>
        public IList<string> EmailAddresses { get; } = new List<string>();

        /// <summary>Organization (O).</summary>
        public string? Organization { get; set; }

        /// <summary>Organizational units (OU).</summary>
        public IList<string> OrganizationalUnits { get; } = new List<string>();

        /// <summary>Locality or city (L).</summary>
        public string? Locality { get; set; }

        /// <summary>State or province (ST), written out in full.</summary>
        public string? State { get; set; }

        /// <summary>ISO 3166-1 alpha-2 country code (C).</summary>
        public string? Country { get; set; }

        /// <summary>
        /// An e-mail address in the subject itself (E=), a legacy form kept when a request renews a certificate that
        /// has one. Alternative-name e-mail addresses go in <see cref="EmailAddresses"/>.
        /// </summary>
        public string? SubjectEmail { get; set; }

        /// <summary>RSA (default) or ECDSA.</summary>
        public string? KeyAlgorithm { get; set; }

        /// <summary>RSA key size: 2048 (default), 3072 or 4096.</summary>
        public int? KeySize { get; set; }

        /// <summary>ECDSA curve: P256 (default), P384 or P521.</summary>
        public string? Curve { get; set; }

        /// <summary>SHA256 (default), SHA384 or SHA512.</summary>
        public string? HashAlgorithm { get; set; }

        /// <summary>An existing private key file to reuse (renewal) instead of making a new key.</summary>
        public string? ExistingKeyPath { get; set; }

        /// <summary>The password of <see cref="ExistingKeyPath"/> when it is encrypted.</summary>
        public SecureString? ExistingKeyPassword { get; set; }

        /// <summary>
        /// When set, <see cref="ExistingKeyPath"/> must be the key of this certificate (a renewal that keeps the key),
        /// else the request fails with CertificateKeyMismatch.
        /// </summary>
        internal CertificateInfo? ExistingKeyOwner { get; set; }
    }
}
