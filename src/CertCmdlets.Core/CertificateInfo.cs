using System;
using System.Collections.Generic;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CertCmdlets.Core.Certificates;
using CertCmdlets.Core.Keys;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using X509Extension = Org.BouncyCastle.Asn1.X509.X509Extension;

namespace CertCmdlets.Core
{
    /// <summary>
    /// A certificate as the cmdlets pass it along the pipeline: what an administrator reads (names, dates,
    /// key, thumbprint), the certificates that travel with it (<see cref="Chain"/>), the files it came from or
    /// went to, and, when present, its private key. The key is held but never shown: no property returns it,
    /// and <see cref="ToString"/>, formatting and serialization see only <see cref="HasPrivateKey"/>.
    /// </summary>
    public sealed class CertificateInfo
    {
        private static readonly CertificateInfo[] s_noChain = new CertificateInfo[0];

        private readonly byte[] _der;
        private readonly object _certificateLock = new object();
        private CertificateInfo[] _chain = s_noChain;
        private X509Certificate2? _certificate;

        // Read on first use: a pool of thousands (a CA bundle for Join-CertChain) needs only names and thumbprints.
        // Each value is computed from the immutable structure, so a race computes the same value twice at worst.
        private string? _serialNumber;
        private string? _keyAlgorithm;
        private string? _signatureAlgorithm;
        private AlternativeNameLists? _alternativeNames;

        internal CertificateInfo(byte[] der, X509CertificateStructure structure)
        {
            _der = der;
            Structure = structure;
            TbsCertificateStructure tbs = structure.TbsCertificate;
            Subject = DistinguishedNames.Format(tbs.Subject, out string? commonName);
            CommonName = commonName;
            Issuer = DistinguishedNames.Format(tbs.Issuer, out _);
            NotBefore = tbs.StartDate.ToDateTime().ToLocalTime();
            NotAfter = tbs.EndDate.ToDateTime().ToLocalTime();
            using (SHA1 sha1 = SHA1.Create())
            {
                Thumbprint = Hex(sha1.ComputeHash(der));
            }

            X509Extension? basicConstraints = tbs.Extensions?.GetExtension(X509Extensions.BasicConstraints);
            IsCertificateAuthority = basicConstraints is not null && BasicConstraints.GetInstance(basicConstraints.GetParsedValue()).IsCA();
        }

        /// <summary>The subject as Windows and .NET show it (last name part first): "CN=www.example.com, O=Example Ltd, C=GB".</summary>
        public string Subject { get; }

        /// <summary>The issuer's name, in the same form as <see cref="Subject"/>.</summary>
        public string Issuer { get; }

        /// <summary>The subject's common name (CN), or null when it has none.</summary>
        public string? CommonName { get; }

        /// <summary>The DNS names in the subject alternative name extension, the names browsers check.</summary>
        public string[] DnsNames => (string[])AlternativeNames().DnsNames.Clone();

        /// <summary>The IP addresses in the subject alternative name extension.</summary>
        public string[] IpAddresses => (string[])AlternativeNames().IpAddresses.Clone();

        /// <summary>Start of validity, in local time (as X509Certificate2 shows it).</summary>
        public DateTime NotBefore { get; }

        /// <summary>End of validity, in local time (as X509Certificate2 shows it).</summary>
        public DateTime NotAfter { get; }

        /// <summary>Whole days until <see cref="NotAfter"/>, counted now; negative once expired.</summary>
        public int DaysRemaining => (int)Math.Floor((NotAfter.ToUniversalTime() - DateTime.UtcNow).TotalDays);

        /// <summary>SHA-1 hash of the certificate in upper-case hex, as Windows shows it (Cert:\ drive, IIS).</summary>
        public string Thumbprint { get; }

        /// <summary>The serial number in upper-case hex, big-endian, as Windows shows it.</summary>
        public string SerialNumber => _serialNumber ??= Hex(Structure.TbsCertificate.SerialNumber.Value.ToByteArray());

        /// <summary>The public key: "RSA 2048", "ECDSA P-256".</summary>
        public string KeyAlgorithm => _keyAlgorithm ??= KeyDescriptions.Describe(Structure.TbsCertificate.SubjectPublicKeyInfo);

        /// <summary>The issuer's signature algorithm: "sha256RSA", "sha384ECDSA".</summary>
        public string SignatureAlgorithm => _signatureAlgorithm ??= SignatureAlgorithms.Name(Structure.SignatureAlgorithm);

        /// <summary>True when basic constraints mark this certificate as a CA.</summary>
        public bool IsCertificateAuthority { get; }

        /// <summary>True when the object carries the certificate's private key.</summary>
        public bool HasPrivateKey => PrivateKey is not null;

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

        internal X509CertificateStructure Structure { get; }

        internal PrivateKey? PrivateKey { get; set; }

        internal SubjectPublicKeyInfo PublicKeyInfo => Structure.SubjectPublicKeyInfo;

        internal bool IsSelfIssued => Structure.Subject.Equivalent(Structure.Issuer);

        /// <summary>The DER encoding; callers must not change the array.</summary>
        internal byte[] RawData => _der;

        /// <summary>The certificate as PEM text.</summary>
        public string ToPem() => Pem.Encode("CERTIFICATE", _der);

        /// <summary>The subject and thumbprint; never key material.</summary>
        public override string ToString() => $"{Subject} [{Thumbprint}]";

        /// <summary>A copy that shares the certificate, key and chain, to carry new paths down the pipeline.</summary>
        internal CertificateInfo Clone() => (CertificateInfo)MemberwiseClone();

        private AlternativeNameLists AlternativeNames()
        {
            AlternativeNameLists? known = _alternativeNames;
            if (known is not null)
            {
                return known;
            }

            var dnsNames = new List<string>();
            var ipAddresses = new List<string>();
            X509Extension? san = Structure.TbsCertificate.Extensions?.GetExtension(X509Extensions.SubjectAlternativeName);
            if (san is not null)
            {
                foreach (GeneralName name in GeneralNames.GetInstance(san.GetParsedValue()).GetNames())
                {
                    if (name.TagNo == GeneralName.DnsName)
                    {
                        dnsNames.Add(((IAsn1String)name.Name).GetString());
                    }
                    else if (name.TagNo == GeneralName.IPAddress)
                    {
                        byte[] octets = Asn1OctetString.GetInstance(name.Name).GetOctets();
                        ipAddresses.Add(octets.Length == 4 || octets.Length == 16 ? new IPAddress(octets).ToString() : Hex(octets));
                    }
                }
            }

            var names = new AlternativeNameLists(dnsNames.ToArray(), ipAddresses.ToArray());
            _alternativeNames = names;
            return names;
        }

        /// <summary>The subject alternative names, published as one reference so readers on other threads see both lists or neither.</summary>
        private sealed class AlternativeNameLists
        {
            public AlternativeNameLists(string[] dnsNames, string[] ipAddresses)
            {
                DnsNames = dnsNames;
                IpAddresses = ipAddresses;
            }

            public string[] DnsNames { get; }

            public string[] IpAddresses { get; }
        }

        private static string Hex(byte[] bytes)
        {
            const string digits = "0123456789ABCDEF";
            var chars = new char[bytes.Length * 2];
            for (int i = 0; i < bytes.Length; i++)
            {
                chars[2 * i] = digits[bytes[i] >> 4];
                chars[(2 * i) + 1] = digits[bytes[i] & 0xF];
            }

            return new string(chars);
        }
    }
}
