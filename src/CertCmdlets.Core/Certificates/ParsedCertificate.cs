using System;
using System.Collections.Generic;
using System.Net;
using System.Security.Cryptography;
using CertCmdlets.Core.Keys;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using X509Extension = Org.BouncyCastle.Asn1.X509.X509Extension;

namespace CertCmdlets.Core.Certificates
{
    /// <summary>
    /// The engine's reading of one certificate: its ASN.1 structure, with the facts the model shows. Names, dates
    /// and the thumbprint are read at once; the rest on first use (a pool of thousands needs only names and
    /// thumbprints). Each lazy value is computed from the immutable structure, so a race computes it twice at worst.
    /// </summary>
    internal sealed class ParsedCertificate : ICertificateDetails
    {
        private string? _serialNumber;
        private string? _keyAlgorithm;
        private string? _signatureAlgorithm;
        private AlternativeNameLists? _alternativeNames;
        private SubjectFields? _subjectFields;

        private ParsedCertificate(byte[] der, X509CertificateStructure structure)
        {
            Structure = structure;
            TbsCertificateStructure tbs = structure.TbsCertificate;
            Subject = DistinguishedNames.Format(tbs.Subject, out string? commonName);
            CommonName = commonName;
            Issuer = DistinguishedNames.Format(tbs.Issuer, out _);
            NotBeforeUtc = tbs.StartDate.ToDateTime().ToUniversalTime();
            NotAfterUtc = tbs.EndDate.ToDateTime().ToUniversalTime();
            using (SHA1 sha1 = SHA1.Create())
            {
                Thumbprint = Hex.Upper(sha1.ComputeHash(der));
            }

            IsCertificateAuthority = ReadIsCertificateAuthority(tbs);
        }

        public X509CertificateStructure Structure { get; }

        public string Subject { get; }

        public string Issuer { get; }

        public string? CommonName { get; }

        public DateTime NotBeforeUtc { get; }

        public DateTime NotAfterUtc { get; }

        public string Thumbprint { get; }

        public bool IsCertificateAuthority { get; }

        public string SerialNumber => _serialNumber ??= Hex.Upper(Structure.TbsCertificate.SerialNumber.Value.ToByteArray());

        public string KeyAlgorithm => _keyAlgorithm ??= KeyDescriptions.Describe(Structure.TbsCertificate.SubjectPublicKeyInfo);

        public string SignatureAlgorithm => _signatureAlgorithm ??= SignatureAlgorithms.Name(Structure.SignatureAlgorithm);

        public string[] DnsNames => AlternativeNames().DnsNames;

        public string[] IpAddresses => AlternativeNames().IpAddresses;

        public SubjectFields SubjectFields => _subjectFields ??= DistinguishedNames.Fields(Structure.TbsCertificate.Subject);

        /// <summary>A certificate object for DER bytes and their parsed structure.</summary>
        public static CertificateInfo Create(byte[] der, X509CertificateStructure structure) =>
            new CertificateInfo(der, new ParsedCertificate(der, structure));

        /// <summary>A certificate object for DER bytes.</summary>
        public static CertificateInfo Create(byte[] der) =>
            Create(der, X509CertificateStructure.GetInstance(Asn1Object.FromByteArray(der)));

        /// <summary>Basic constraints CA:TRUE; a damaged extension counts as absent (Test-CertChain names the damage).</summary>
        private static bool ReadIsCertificateAuthority(TbsCertificateStructure tbs)
        {
            X509Extension? basicConstraints = tbs.Extensions?.GetExtension(X509Extensions.BasicConstraints);
            try
            {
                return basicConstraints is not null && BasicConstraints.GetInstance(basicConstraints.GetParsedValue()).IsCA();
            }
            catch (Exception ex) when (Chains.Asn1Failures.IsParseFailure(ex))
            {
                return false;
            }
        }

        private AlternativeNameLists AlternativeNames()
        {
            AlternativeNameLists? known = _alternativeNames;
            if (known is not null)
            {
                return known;
            }

            var dnsNames = new List<string>();
            var ipAddresses = new List<string>();
            foreach (GeneralName name in SubjectAlternativeNames())
            {
                if (name.TagNo == GeneralName.DnsName)
                {
                    // Internationalized names as their A-label, whether the certificate holds it or raw UTF-8.
                    dnsNames.Add(Naming.IdnNames.Display(name.Name));
                }
                else if (name.TagNo == GeneralName.IPAddress && name.Name is Asn1OctetString address)
                {
                    byte[] octets = address.GetOctets();
                    ipAddresses.Add(octets.Length == 4 || octets.Length == 16 ? new IPAddress(octets).ToString() : Hex.Upper(octets));
                }
            }

            var names = new AlternativeNameLists(dnsNames.ToArray(), ipAddresses.ToArray());
            _alternativeNames = names;
            return names;
        }

        /// <summary>The entries of the subject alternative name extension; none when it is absent or damaged (Test-CertChain names the damage).</summary>
        private GeneralName[] SubjectAlternativeNames()
        {
            X509Extension? san = Structure.TbsCertificate.Extensions?.GetExtension(X509Extensions.SubjectAlternativeName);
            try
            {
                return san is null ? Array.Empty<GeneralName>() : GeneralNames.GetInstance(san.GetParsedValue()).GetNames();
            }
            catch (Exception ex) when (Chains.Asn1Failures.IsParseFailure(ex))
            {
                return Array.Empty<GeneralName>();
            }
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
    }
}
