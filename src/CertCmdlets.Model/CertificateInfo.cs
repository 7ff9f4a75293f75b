using System;
using System.Security.Cryptography.X509Certificates;

namespace CertCmdlets
{
    /// <summary>
    /// A certificate as the cmdlets pass it along the pipeline: what an administrator reads (names, dates,
    /// key, thumbprint, when to renew), the certificates that travel with it (<see cref="Chain"/>), the files it
    /// came from or went to, and, when present, its private key. The key is held but never shown: no property
    /// returns it, and <see cref="ToString"/>, formatting and serialization see only <see cref="HasPrivateKey"/>.
    /// Scripts name the type as <c>[CertCmdlets.CertificateInfo]</c>.
    /// </summary>
    public sealed class CertificateInfo
    {
        private static readonly CertificateInfo[] s_noChain = new CertificateInfo[0];

        private readonly byte[] _der;
        private readonly ICertificateDetails _details;
        private readonly object _certificateLock = new object();
        private CertificateInfo[] _chain = s_noChain;
        private X509Certificate2? _certificate;

        internal CertificateInfo(byte[] der, ICertificateDetails details)
        {
            _der = der;
            _details = details;
            NotBefore = details.NotBeforeUtc.ToLocalTime();
            NotAfter = details.NotAfterUtc.ToLocalTime();
        }

        /// <summary>The subject as OpenSSL and RFC 4514 name its parts, last part first: "CN=www.example.com, O=Example Ltd, ST=Hessen, C=DE".</summary>
        public string Subject => _details.Subject;

        /// <summary>The issuer's name, in the same form as <see cref="Subject"/>.</summary>
        public string Issuer => _details.Issuer;

        /// <summary>The subject's common name (CN), or null when it has none.</summary>
        public string? CommonName => _details.CommonName;

        /// <summary>The subject's organization (O), or null.</summary>
        public string? Organization => _details.SubjectFields.Organization;

        /// <summary>The subject's organizational units (OU), in the order written.</summary>
        public string[] OrganizationalUnit => (string[])_details.SubjectFields.OrganizationalUnit.Clone();

        /// <summary>The subject's locality or city (L), or null.</summary>
        public string? Locality => _details.SubjectFields.Locality;

        /// <summary>The subject's state or province (ST), or null.</summary>
        public string? State => _details.SubjectFields.State;

        /// <summary>The subject's country code (C), or null.</summary>
        public string? Country => _details.SubjectFields.Country;

        /// <summary>The e-mail address in the subject (E), or null.</summary>
        public string? Email => _details.SubjectFields.Email;

        /// <summary>The DNS names in the subject alternative name extension, the names browsers check.</summary>
        public string[] DnsNames => (string[])_details.DnsNames.Clone();

        /// <summary>The IP addresses in the subject alternative name extension.</summary>
        public string[] IpAddresses => (string[])_details.IpAddresses.Clone();

        /// <summary>Start of validity, in local time (as X509Certificate2 shows it).</summary>
        public DateTime NotBefore { get; }

        /// <summary>End of validity, in local time (as X509Certificate2 shows it).</summary>
        public DateTime NotAfter { get; }

        /// <summary>
        /// Days left as a calendar counts them: a started day counts as a whole day, so a 365-day certificate shows
        /// 365 on its first day and 1 on its last; 0 at the instant it expires; negative (whole days past) once expired.
        /// </summary>
        public int DaysRemaining => Renewal.DaysRemaining(NotAfter, DateTime.Now);

        /// <summary>
        /// When to renew: the renewal window the CA published (ACME Renewal Information) when known, otherwise the
        /// module's rule: two thirds into the lifetime, or 30 days before expiry, whichever comes first.
        /// </summary>
        public DateTime RenewAfter => RenewalWindowStart ?? Renewal.RenewAfter(NotBefore, NotAfter);

        /// <summary>True once <see cref="RenewAfter"/> has passed (or the certificate has expired).</summary>
        public bool RenewRecommended => DateTime.Now >= RenewAfter;

        /// <summary>SHA-1 hash of the certificate in upper-case hex, as Windows shows it (Cert:\ drive, IIS).</summary>
        public string Thumbprint => _details.Thumbprint;

        /// <summary>The serial number in upper-case hex, big-endian, as Windows shows it.</summary>
        public string SerialNumber => _details.SerialNumber;

        /// <summary>The public key: "RSA 2048", "ECDSA P-256".</summary>
        public string KeyAlgorithm => _details.KeyAlgorithm;

        /// <summary>The issuer's signature algorithm: "sha256RSA", "sha384ECDSA".</summary>
        public string SignatureAlgorithm => _details.SignatureAlgorithm;

        /// <summary>True when basic constraints mark this certificate as a CA.</summary>
        public bool IsCertificateAuthority => _details.IsCertificateAuthority;

        /// <summary>True when the object carries the certificate's private key.</summary>
        public bool HasPrivateKey => Key is not null;

        /// <summary>
        /// The certificate as a .NET <see cref="X509Certificate2"/> (public part only), for Windows' own
        /// cmdlets and .NET APIs. Created on first use.
        /// </summary>
        public X509Certificate2 Certificate
        {
            get
            {
                lock (_certificateLock)
                {
                    return _certificate ??= new X509Certificate2(_der);
                }
            }
        }

        /// <summary>The other certificates that travel with this one (intermediates, leaf-to-root order).</summary>
        public CertificateInfo[] Chain
        {
            get => (CertificateInfo[])_chain.Clone();
            internal set => _chain = value ?? s_noChain;
        }

        /// <summary>The certificate file this object was read from or last written to.</summary>
        public string? CertificatePath { get; internal set; }

        /// <summary>The private key file this object was read from or last written to.</summary>
        public string? KeyPath { get; internal set; }

        /// <summary>The chain (intermediates) file last written.</summary>
        public string? ChainPath { get; internal set; }

        /// <summary>The full-chain file (leaf then intermediates) last written: what Apache's SSLCertificateFile takes.</summary>
        public string? FullChainPath { get; internal set; }

        /// <summary>The PFX (PKCS#12) file this object was read from or last written to.</summary>
        public string? PfxPath { get; internal set; }

        /// <summary>The engine's reading of the certificate.</summary>
        internal ICertificateDetails Details => _details;

        /// <summary>The private key, when the object carries it.</summary>
        internal IPrivateKeyMaterial? Key { get; set; }

        /// <summary>The start of the renewal window a CA published (ARI), overriding the module's rule.</summary>
        internal DateTime? RenewalWindowStart { get; set; }

        /// <summary>The DER encoding; callers must not change the array.</summary>
        internal byte[] RawData => _der;

        /// <summary>The certificate as PEM text.</summary>
        public string ToPem() => PemText.Encode("CERTIFICATE", _der);

        /// <summary>The subject and thumbprint; never key material.</summary>
        public override string ToString() => $"{Subject} [{Thumbprint}]";

        /// <summary>A copy that shares the certificate, key and chain, to carry new paths down the pipeline.</summary>
        internal CertificateInfo Clone() => (CertificateInfo)MemberwiseClone();
    }
}
