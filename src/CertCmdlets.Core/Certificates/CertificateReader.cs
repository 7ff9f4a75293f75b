using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using CertCmdlets.Core.IO;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;

namespace CertCmdlets.Core.Certificates
{
    /// <summary>
    /// Reads certificates from PEM (one or many, any text around them), DER, and PKCS#7 (.p7b, PEM or DER).
    /// BouncyCastle's ASN.1 parser does the decoding: on Linux it is several times faster than
    /// X509Certificate2, whose object is only made when a caller asks for it.
    /// </summary>
    public static class CertificateReader
    {
        /// <summary>Every certificate in the file, in file order, each carrying <paramref name="path"/> as its CertificatePath.</summary>
        public static IReadOnlyList<CertificateInfo> ReadFile(string path) => ReadFile(path, NullCoreLog.Instance);

        /// <summary>The same, telling <paramref name="log"/> what was tolerated (padding after DER, see <see cref="DerInput"/>).</summary>
        public static IReadOnlyList<CertificateInfo> ReadFile(string path, ICoreLog log)
        {
            byte[] data = FileInput.ReadAll(path);
            List<CertificateInfo> certificates = Parse(data, path, log);
            foreach (CertificateInfo certificate in certificates)
            {
                certificate.CertificatePath = path;
            }

            return certificates;
        }

        /// <summary>Every certificate in <paramref name="data"/>; <paramref name="source"/> names it in errors.</summary>
        public static List<CertificateInfo> Parse(byte[] data, string source) => Parse(data, source, NullCoreLog.Instance);

        /// <summary>The same, telling <paramref name="log"/> what was tolerated.</summary>
        public static List<CertificateInfo> Parse(byte[] data, string source, ICoreLog log)
        {
            if (data.Length == 0)
            {
                throw Errors.CertificateFileInvalid(source, "the file is empty.");
            }

            return Pem.TryReadText(data, out string text) ? ParsePem(text, source) : ParseDer(data, source, log);
        }

        /// <summary>Every certificate in PEM text (pasted text, a bundle).</summary>
        public static List<CertificateInfo> ParseText(string text, string source)
        {
            return ParsePem(text, source);
        }

        private static List<CertificateInfo> ParsePem(string text, string source)
        {
            List<PemBlock> blocks;
            try
            {
                blocks = Pem.ReadBlocks(text);
            }
            catch (FormatException ex)
            {
                throw Errors.CertificateFileInvalid(source, ex.Message, ex);
            }

            var certificates = new List<CertificateInfo>();
            foreach (PemBlock block in blocks)
            {
                switch (block.Label)
                {
                    case "CERTIFICATE":
                    case "X509 CERTIFICATE":
                    case "TRUSTED CERTIFICATE":
                        certificates.Add(FromDer(block.Data, source, block.Label == "TRUSTED CERTIFICATE"));
                        break;
                    case "PKCS7":
                    case "PKCS #7 SIGNED DATA":
                    case "CMS":
                        certificates.AddRange(FromPkcs7(block.Data, source));
                        break;
                }
            }

            if (certificates.Count == 0)
            {
                throw Errors.NoCertificateInFile(source, blocks.Select(b => Describe(b.Label)).Distinct());
            }

            return certificates;
        }

        private static List<CertificateInfo> ParseDer(byte[] file, string source, ICoreLog log)
        {
            Asn1Sequence sequence;
            byte[] data;
            try
            {
                sequence = Asn1Sequence.GetInstance(DerInput.ReadFirst(file, source, "DER structure", log, out data));
            }
            catch (Exception ex) when (IsParseFailure(ex))
            {
                throw Errors.CertificateFileInvalid(source, "it is neither PEM text nor DER; the file may be damaged or of another kind.", ex);
            }

            if (sequence is null)
            {
                throw Errors.CertificateFileInvalid(source, "it holds no ASN.1 structure.");
            }

            if (sequence.Count == 2 && sequence[0] is DerObjectIdentifier)
            {
                return FromPkcs7(data, source);
            }

            if (sequence.Count == 3 && sequence[0] is Asn1Sequence first && sequence[1] is Asn1Sequence && sequence[2] is DerBitString)
            {
                // A certificate and a CSR share this outer shape; a CSR's inner part starts with INTEGER 0 then a Name.
                if (first.Count >= 3 && first[0] is DerInteger && first[1] is Asn1Sequence && first[2] is Asn1Sequence subjectKey && subjectKey.Count == 2 && subjectKey[1] is DerBitString)
                {
                    throw Errors.NoCertificateInFile(source, new[] { Describe("CERTIFICATE REQUEST") });
                }

                try
                {
                    // A copy: the caller owns (and may clear) the buffer it read the file into.
                    return new List<CertificateInfo> { ParsedCertificate.Create((byte[])data.Clone(), X509CertificateStructure.GetInstance(sequence)) };
                }
                catch (Exception ex) when (IsParseFailure(ex))
                {
                    throw Errors.CertificateFileInvalid(source, "its DER structure is not a valid certificate.", ex);
                }
            }

            if (sequence.Count == 3 && sequence[0] is DerInteger version && version.HasValue(3) && sequence[1] is Asn1Sequence content && content.Count >= 1 && content[0] is DerObjectIdentifier)
            {
                throw Errors.CertificateFileInvalid(source, "it is a PKCS#12 (.pfx) file. Use Import-PfxAsPem for it.");
            }

            if (sequence.Count >= 3 && sequence[0] is DerInteger && sequence[1] is Asn1Sequence && sequence[2] is Asn1OctetString)
            {
                throw Errors.NoCertificateInFile(source, new[] { Describe("PRIVATE KEY") });
            }

            if (sequence.Count >= 9 && sequence[0] is DerInteger)
            {
                throw Errors.NoCertificateInFile(source, new[] { Describe("RSA PRIVATE KEY") });
            }

            throw Errors.CertificateFileInvalid(source, "its DER structure is not a certificate or PKCS#7 bundle.");
        }

        private static CertificateInfo FromDer(byte[] der, string source, bool trusted)
        {
            try
            {
                if (trusted)
                {
                    // OpenSSL "TRUSTED CERTIFICATE": the certificate followed by trust settings.
                    using var stream = new Asn1InputStream(der);
                    Asn1Object first = stream.ReadObject();
                    der = first.GetDerEncoded();
                }

                return ParsedCertificate.Create(der, X509CertificateStructure.GetInstance(Asn1Object.FromByteArray(der)));
            }
            catch (Exception ex) when (IsParseFailure(ex))
            {
                throw Errors.CertificateFileInvalid(source, "a CERTIFICATE block does not hold a valid certificate; the file may be damaged.", ex);
            }
        }

        private static List<CertificateInfo> FromPkcs7(byte[] der, string source)
        {
            try
            {
                var content = ContentInfo.GetInstance(Asn1Object.FromByteArray(der));
                if (!content.ContentType.Equals(PkcsObjectIdentifiers.SignedData))
                {
                    throw Errors.CertificateFileInvalid(source, $"it is a PKCS#7 file of type {content.ContentType.Id}, not a certificate bundle.");
                }

                var signedData = SignedData.GetInstance(content.Content);
                var certificates = new List<CertificateInfo>();
                if (signedData.Certificates is not null)
                {
                    foreach (Asn1Encodable item in signedData.Certificates)
                    {
                        if (item.ToAsn1Object() is Asn1Sequence sequence)
                        {
                            byte[] certificateDer = sequence.GetDerEncoded();
                            certificates.Add(ParsedCertificate.Create(certificateDer, X509CertificateStructure.GetInstance(sequence)));
                        }
                    }
                }

                if (certificates.Count == 0)
                {
                    throw Errors.NoCertificateInFile(source, new[] { "an empty PKCS#7 bundle" });
                }

                return certificates;
            }
            catch (Exception ex) when (IsParseFailure(ex))
            {
                throw Errors.CertificateFileInvalid(source, "its PKCS#7 structure is damaged.", ex);
            }
        }

        private static string Describe(string label) => label switch
        {
            "CERTIFICATE REQUEST" or "NEW CERTIFICATE REQUEST" => "a certificate signing request (CSR)",
            "PRIVATE KEY" or "RSA PRIVATE KEY" or "EC PRIVATE KEY" or "ENCRYPTED PRIVATE KEY" => "a private key",
            "PUBLIC KEY" or "RSA PUBLIC KEY" => "a public key",
            "X509 CRL" => "a certificate revocation list",
            _ => label,
        };

        private static bool IsParseFailure(Exception ex) => Chains.Asn1Failures.IsParseFailure(ex);
    }
}
