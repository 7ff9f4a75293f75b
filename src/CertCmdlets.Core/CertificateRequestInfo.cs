using CertCmdlets.Core.Keys;

namespace CertCmdlets.Core
{
    /// <summary>
    /// A certificate signing request (PKCS#10) as the cmdlets pass it along: the names it asks for, its
    /// PEM text to paste into a CA's form, the files it was written to, and (held, never shown) its key.
    /// </summary>
    public sealed class CertificateRequestInfo
    {
        internal CertificateRequestInfo(byte[] der, string subject, string commonName, string[] dnsNames, string[] ipAddresses, string[] emailAddresses, string keyAlgorithm, string signatureAlgorithm, PrivateKey? privateKey)
        {
            RawData = der;
            Subject = subject;
            CommonName = commonName;
            DnsNames = dnsNames;
            IpAddresses = ipAddresses;
            EmailAddresses = emailAddresses;
            KeyAlgorithm = keyAlgorithm;
            SignatureAlgorithm = signatureAlgorithm;
            PrivateKey = privateKey;
            Pem = Certificates.Pem.Encode("CERTIFICATE REQUEST", der);
        }

        /// <summary>The requested subject, most specific part first.</summary>
        public string Subject { get; }

        /// <summary>The requested common name (CN).</summary>
        public string CommonName { get; }

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

        /// <summary>The request as PEM text ("BEGIN CERTIFICATE REQUEST"), ready to paste into a CA's form.</summary>
        public string Pem { get; }

        /// <summary>The file the request was written to.</summary>
        public string? RequestPath { get; internal set; }

        /// <summary>The private key file: written with the request, or the existing key that was reused.</summary>
        public string? KeyPath { get; internal set; }

        /// <summary>True when the object carries the request's private key.</summary>
        public bool HasPrivateKey => PrivateKey is not null;

        internal byte[] RawData { get; }

        internal PrivateKey? PrivateKey { get; }

        /// <summary>The subject and key; never key material.</summary>
        public override string ToString() => $"{Subject} ({KeyAlgorithm} request)";
    }
}
