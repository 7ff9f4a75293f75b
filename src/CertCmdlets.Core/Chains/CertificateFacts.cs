using System;
using System.Collections.Generic;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;
using X509Extension = Org.BouncyCastle.Asn1.X509.X509Extension;

namespace CertCmdlets.Core.Chains
{
    /// <summary>The extensions chain building and checking read, each parsed on demand from the certificate.</summary>
    internal static class CertificateFacts
    {
        public static byte[]? SubjectKeyId(CertificateInfo certificate)
        {
            X509Extension? extension = Extension(certificate, X509Extensions.SubjectKeyIdentifier);
            return extension is null ? null : Asn1OctetString.GetInstance(extension.GetParsedValue()).GetOctets();
        }

        public static byte[]? AuthorityKeyId(CertificateInfo certificate)
        {
            X509Extension? extension = Extension(certificate, X509Extensions.AuthorityKeyIdentifier);
            return extension is null ? null : AuthorityKeyIdentifier.GetInstance(extension.GetParsedValue()).KeyIdentifier?.GetOctets();
        }

        /// <summary>The caIssuers URLs of the Authority Information Access extension (where the issuer can be downloaded).</summary>
        public static List<string> CaIssuerUrls(CertificateInfo certificate)
        {
            var urls = new List<string>();
            X509Extension? extension = Extension(certificate, X509Extensions.AuthorityInfoAccess);
            if (extension is null)
            {
                return urls;
            }

            foreach (AccessDescription description in AuthorityInformationAccess.GetInstance(extension.GetParsedValue()).GetAccessDescriptions())
            {
                if (description.AccessMethod.Equals(AccessDescription.IdADCAIssuers) && description.AccessLocation.TagNo == GeneralName.UniformResourceIdentifier)
                {
                    urls.Add(((IAsn1String)description.AccessLocation.Name).GetString());
                }
            }

            return urls;
        }

        /// <summary>True when the certificate names an OCSP responder (so OCSP stapling can work).</summary>
        public static bool HasOcspResponder(CertificateInfo certificate)
        {
            X509Extension? extension = Extension(certificate, X509Extensions.AuthorityInfoAccess);
            if (extension is null)
            {
                return false;
            }

            foreach (AccessDescription description in AuthorityInformationAccess.GetInstance(extension.GetParsedValue()).GetAccessDescriptions())
            {
                if (description.AccessMethod.Equals(AccessDescription.IdADOcsp))
                {
                    return true;
                }
            }

            return false;
        }

        public static int? KeyUsageBits(CertificateInfo certificate)
        {
            X509Extension? extension = Extension(certificate, X509Extensions.KeyUsage);
            return extension is null ? null : DerBitString.GetInstance(extension.GetParsedValue()).IntValue;
        }

        /// <summary>The extended key usages, or null when the extension is absent (any use allowed).</summary>
        public static List<DerObjectIdentifier>? ExtendedKeyUsages(CertificateInfo certificate)
        {
            X509Extension? extension = Extension(certificate, X509Extensions.ExtendedKeyUsage);
            if (extension is null)
            {
                return null;
            }

            return new List<DerObjectIdentifier>(ExtendedKeyUsage.GetInstance(extension.GetParsedValue()).GetAllUsages());
        }

        public static NameConstraints? NameConstraintsOf(CertificateInfo certificate)
        {
            X509Extension? extension = Extension(certificate, X509Extensions.NameConstraints);
            return extension is null ? null : NameConstraints.GetInstance(extension.GetParsedValue());
        }

        /// <summary>The basic constraints path length, or null when unlimited or absent.</summary>
        public static int? PathLength(CertificateInfo certificate)
        {
            X509Extension? extension = Extension(certificate, X509Extensions.BasicConstraints);
            return extension is null ? null : BasicConstraints.GetInstance(extension.GetParsedValue()).PathLenConstraint?.IntValueExact;
        }

        /// <summary>True when <paramref name="issuer"/>'s key verifies <paramref name="child"/>'s signature.</summary>
        public static bool IsSignedBy(CertificateInfo child, CertificateInfo issuer) =>
            Keys.SignatureVerifier.Verify(issuer.PublicKeyInfo, child.Structure.SignatureAlgorithm, child.Structure.TbsCertificate.GetDerEncoded(), child.Structure.Signature.GetOctets());

        private static X509Extension? Extension(CertificateInfo certificate, DerObjectIdentifier oid) =>
            certificate.Structure.TbsCertificate.Extensions?.GetExtension(oid);
    }
}
