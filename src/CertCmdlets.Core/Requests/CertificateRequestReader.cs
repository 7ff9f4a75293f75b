using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using CertCmdlets.Core.Certificates;
using CertCmdlets.Core.IO;
using CertCmdlets.Core.Keys;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Pkcs;
using X509Extension = Org.BouncyCastle.Asn1.X509.X509Extension;

namespace CertCmdlets.Core.Requests
{
    /// <summary>Reads certificate signing requests (PKCS#10, PEM or DER), such as the ones openssl makes.</summary>
    public static class CertificateRequestReader
    {
        /// <summary>Reads a request file; the object carries the path as RequestPath and no key.</summary>
        public static CertificateRequestInfo ReadFile(string path)
        {
            byte[] data = FileInput.ReadAll(path);
            CertificateRequestInfo request = Parse(data, path, null);
            request.RequestPath = path;
            return request;
        }

        /// <summary>Parses and verifies a request's self-signature.</summary>
        internal static CertificateRequestInfo Parse(byte[] data, string source, PrivateKey? key)
        {
            byte[] der = data;
            if (Pem.TryReadText(data, out string text))
            {
                PemBlock? block;
                try
                {
                    block = Pem.ReadBlocks(text).FirstOrDefault(b => b.Label == "CERTIFICATE REQUEST" || b.Label == "NEW CERTIFICATE REQUEST");
                }
                catch (FormatException ex)
                {
                    throw Errors.RequestFileInvalid(source, ex.Message, ex);
                }

                der = block?.Data ?? throw Errors.RequestFileInvalid(source, "it holds no CERTIFICATE REQUEST block.");
            }

            Pkcs10CertificationRequest request;
            try
            {
                request = new Pkcs10CertificationRequest(der);
            }
            catch (Exception ex) when (Chains.Asn1Failures.IsParseFailure(ex))
            {
                throw Errors.RequestFileInvalid(source, "the PKCS#10 structure is damaged.", ex);
            }

            bool verified;
            try
            {
                CertificationRequestInfo signedPart = request.GetCertificationRequestInfo();
                verified = SignatureVerifier.Verify(signedPart.SubjectPublicKeyInfo, request.SignatureAlgorithm, signedPart.GetDerEncoded(), request.Signature.GetOctets());
            }
            catch (Exception ex) when (SignatureVerifier.IsFailure(ex))
            {
                verified = false;
            }

            if (!verified)
            {
                throw Errors.RequestSignatureInvalid(source);
            }

            CertificationRequestInfo info = request.GetCertificationRequestInfo();
            string subject = DistinguishedNames.Format(info.Subject, out string? commonName);
            var dnsNames = new List<string>();
            var ipAddresses = new List<string>();
            var emails = new List<string>();
            foreach (GeneralName name in RequestedNames(request, source))
            {
                switch (name.TagNo)
                {
                    case GeneralName.DnsName:
                        // Internationalized names as their A-label (xn--), as in certificates: raw UTF-8 is read as UTF-8.
                        dnsNames.Add(Naming.IdnNames.Display(name.Name));
                        break;
                    case GeneralName.IPAddress when name.Name is Asn1OctetString address:
                        byte[] octets = address.GetOctets();
                        ipAddresses.Add(octets.Length == 4 || octets.Length == 16 ? new IPAddress(octets).ToString() : Hex.Upper(octets));
                        break;
                    case GeneralName.Rfc822Name when name.Name is IAsn1String email:
                        emails.Add(email.GetString());
                        break;
                }
            }

            return new CertificateRequestInfo(
                der,
                subject,
                commonName ?? string.Empty,
                DistinguishedNames.Fields(info.Subject),
                dnsNames.ToArray(),
                ipAddresses.ToArray(),
                emails.ToArray(),
                KeyDescriptions.Describe(info.SubjectPublicKeyInfo),
                SignatureAlgorithms.Name(request.SignatureAlgorithm),
                key)
            {
                RequestedExtensions = DescribeExtensions(request, source),
            };
        }

        /// <summary>The subject alternative names the request asks for; a damaged extension is RequestExtensionInvalid.</summary>
        private static GeneralName[] RequestedNames(Pkcs10CertificationRequest request, string source)
        {
            try
            {
                X509Extension? san = RequestedExtensions(request)?.GetExtension(X509Extensions.SubjectAlternativeName);
                return san is null ? Array.Empty<GeneralName>() : GeneralNames.GetInstance(san.GetParsedValue()).GetNames();
            }
            catch (Exception ex) when (Chains.Asn1Failures.IsParseFailure(ex))
            {
                throw Errors.RequestExtensionInvalid(source, "requested extensions or subject alternative name", ex);
            }
        }

        /// <summary>The requested extensions as text; a damaged one is RequestExtensionInvalid, as for the names.</summary>
        private static string[] DescribeExtensions(Pkcs10CertificationRequest request, string source)
        {
            try
            {
                return RequestExtensions.Describe(RequestedExtensions(request));
            }
            catch (Exception ex) when (Chains.Asn1Failures.IsParseFailure(ex))
            {
                throw Errors.RequestExtensionInvalid(source, "requested extensions", ex);
            }
        }

        /// <summary>The extensions the request asks for, or null.</summary>
        internal static X509Extensions? RequestedExtensions(Pkcs10CertificationRequest request)
        {
            Asn1Set? attributes = request.GetCertificationRequestInfo().Attributes;
            if (attributes is null)
            {
                return null;
            }

            foreach (Asn1Encodable item in attributes)
            {
                var attribute = AttributePkcs.GetInstance(item);
                if (attribute.AttrType.Equals(PkcsObjectIdentifiers.Pkcs9AtExtensionRequest) && attribute.AttrValues.Count > 0)
                {
                    return X509Extensions.GetInstance(attribute.AttrValues[0]);
                }
            }

            return null;
        }
    }
}
