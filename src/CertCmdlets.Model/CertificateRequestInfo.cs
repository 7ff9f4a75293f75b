namespace CertCmdlets
{
    /// <summary>
    /// A certificate signing request (PKCS#10) as the cmdlets pass it along: the names it asks for, its
    /// PEM text to paste into a CA's form, the files it was written to, and (held, never shown) its key.
    /// Scripts name the type as <c>[CertCmdlets.CertificateRequestInfo]</c>.
    /// </summary>
    public sealed class CertificateRequestInfo
    {
        private readonly SubjectFields _subjectFields;
        private string[] _requestedExtensions = new string[0];

        internal CertificateRequestInfo(byte[] der, string subject, string commonName, SubjectFields subjectFields, string[] dnsNames, string[] ipAddresses, string[] emailAddresses, string keyAlgorithm, string signatureAlgorithm, IPrivateKeyMaterial? key)
        {
            RawData = der;
            Subject = subject;
            CommonName = commonName;
            _subjectFields = subjectFields;
            DnsNames = dnsNames;
            IpAddresses = ipAddresses;
            EmailAddresses = emailAddresses;
            KeyAlgorithm = keyAlgorithm;
            SignatureAlgorithm = signatureAlgorithm;
            Key = key;
            Pem = PemText.Encode("CERTIFICATE REQUEST", der);
        }

        /// <summary>The requested subject, most specific part first.</summary>
        public string Subject { get; }

        /// <summary>The requested common name (CN).</summary>
        public string CommonName { get; }

        /// <summary>The requested organization (O), or null.</summary>
        public string? Organization => _subjectFields.Organization;

        /// <summary>The requested organizational units (OU).</summary>
        public string[] OrganizationalUnit => (string[])_subjectFields.OrganizationalUnit.Clone();

        /// <summary>The requested locality or city (L), or null.</summary>
        public string? Locality => _subjectFields.Locality;

        /// <summary>The requested state or province (ST), or null.</summary>
        public string? State => _subjectFields.State;

        /// <summary>The requested country code (C), or null.</summary>
        public string? Country => _subjectFields.Country;

        /// <summary>The e-mail address in the requested subject (E), or null.</summary>
        public string? Email => _subjectFields.Email;

        /// <summary>The requested DNS names (subject alternative names).</summary>
        public string[] DnsNames { get; }

        /// <summary>The requested IP addresses (subject alternative names).</summary>
        public string[] IpAddresses { get; }

        /// <summary>The requested e-mail addresses (subject alternative names).</summary>
        public string[] EmailAddresses { get; }

        /// <summary>The request's public key: "RSA 2048", "ECDSA P-256".</summary>
        public string KeyAlgorithm { get; }

        /// <summary>The algorithm the request is signed with: "sha256RSA".</summary>
        public string SignatureAlgorithm { get; }

        /// <summary>
        /// The extensions the request asks for, as OpenSSL names them, with their values: "subjectAltName: DNS:www.example.com",
        /// "keyUsage (critical): digitalSignature, keyEncipherment". A CA decides which it grants.
        /// </summary>
        public string[] RequestedExtensions
        {
            get => (string[])_requestedExtensions.Clone();
            internal set => _requestedExtensions = value ?? new string[0];
        }

        /// <summary>The request as PEM text ("BEGIN CERTIFICATE REQUEST"), ready to paste into a CA's form.</summary>
        public string Pem { get; }

        /// <summary>The file the request was written to or read from.</summary>
        public string? RequestPath { get; internal set; }

        /// <summary>The private key file: written with the request, or the existing key that was reused.</summary>
        public string? KeyPath { get; internal set; }

        /// <summary>True when the object carries the request's private key.</summary>
        public bool HasPrivateKey => Key is not null;

        internal byte[] RawData { get; }

        internal IPrivateKeyMaterial? Key { get; set; }

        /// <summary>The subject and key; never key material.</summary>
        public override string ToString() => $"{Subject} ({KeyAlgorithm} request)";
    }
}
