using System;
using System.Collections.Generic;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using X509Extension = Org.BouncyCastle.Asn1.X509.X509Extension;

namespace CertCmdlets.Core.Chains
{
    /// <summary>
    /// The extensions chain building and checking read, each parsed on demand from the certificate. Real certificates
    /// carry damaged extensions (an empty extended key usage, an empty OID in one, garbage where a key identifier
    /// should be): each reader here answers as if a damaged extension were absent, and <see cref="DamagedExtensions"/>
    /// names them, so Test-CertChain reports them as problem lines the way openssl flags them, instead of failing.
    /// </summary>
    internal static class CertificateFacts
    {
        /// <summary>The extensions this module interprets, with the names openssl prints for them.</summary>
        private static readonly (DerObjectIdentifier Oid, string Name, Func<Asn1Object, object?> Parse)[] s_known =
        {
            (X509Extensions.BasicConstraints, "basic constraints", o => BasicConstraints.GetInstance(o)),
            (X509Extensions.KeyUsage, "key usage", o => DerBitString.GetInstance(o).IntValue),
            (X509Extensions.ExtendedKeyUsage, "extended key usage", o => ParseExtendedKeyUsage(o)),
            (X509Extensions.SubjectAlternativeName, "subject alternative name", o => ParseGeneralNames(o)),
            (X509Extensions.SubjectKeyIdentifier, "subject key identifier", o => Asn1OctetString.GetInstance(o).GetOctets()),
            (X509Extensions.AuthorityKeyIdentifier, "authority key identifier", o => AuthorityKeyIdentifier.GetInstance(o).KeyIdentifier),
            (X509Extensions.AuthorityInfoAccess, "authority information access", o => ParseAccess(o)),
            (X509Extensions.NameConstraints, "name constraints", o => ParseNameConstraints(o)),
            (X509Extensions.CertificatePolicies, "certificate policies", o => Asn1Sequence.GetInstance(o).Count),
            (X509Extensions.CrlDistributionPoints, "CRL distribution points", o => CrlDistPoint.GetInstance(o).GetDistributionPoints()),
        };

        public static byte[]? SubjectKeyId(CertificateInfo certificate) =>
            Read(certificate, X509Extensions.SubjectKeyIdentifier, o => Asn1OctetString.GetInstance(o).GetOctets());

        public static byte[]? AuthorityKeyId(CertificateInfo certificate) =>
            Read(certificate, X509Extensions.AuthorityKeyIdentifier, o => AuthorityKeyIdentifier.GetInstance(o).KeyIdentifier?.GetOctets());

        /// <summary>The caIssuers URLs of the Authority Information Access extension (where the issuer can be downloaded).</summary>
        public static List<string> CaIssuerUrls(CertificateInfo certificate)
        {
            var urls = new List<string>();
            foreach (AccessDescription description in Read(certificate, X509Extensions.AuthorityInfoAccess, ParseAccess) ?? Array.Empty<AccessDescription>())
            {
                if (description.AccessMethod.Equals(AccessDescription.IdADCAIssuers) && description.AccessLocation.TagNo == GeneralName.UniformResourceIdentifier
                    && description.AccessLocation.Name is IAsn1String url)
                {
                    urls.Add(url.GetString());
                }
            }

            return urls;
        }

        /// <summary>True when the certificate names an OCSP responder (so OCSP stapling can work).</summary>
        public static bool HasOcspResponder(CertificateInfo certificate)
        {
            foreach (AccessDescription description in Read(certificate, X509Extensions.AuthorityInfoAccess, ParseAccess) ?? Array.Empty<AccessDescription>())
            {
                if (description.AccessMethod.Equals(AccessDescription.IdADOcsp))
                {
                    return true;
                }
            }

            return false;
        }

        public static int? KeyUsageBits(CertificateInfo certificate) =>
            Read<object>(certificate, X509Extensions.KeyUsage, o => (object)DerBitString.GetInstance(o).IntValue) is int bits ? bits : null;

        /// <summary>The extended key usages, or null when the extension is absent or damaged (then see <see cref="DamagedExtensions"/>).</summary>
        public static List<DerObjectIdentifier>? ExtendedKeyUsages(CertificateInfo certificate) =>
            Read(certificate, X509Extensions.ExtendedKeyUsage, ParseExtendedKeyUsage);

        public static NameConstraints? NameConstraintsOf(CertificateInfo certificate) =>
            Read(certificate, X509Extensions.NameConstraints, ParseNameConstraints);

        /// <summary>The basic constraints path length, or null when unlimited, absent or damaged.</summary>
        public static int? PathLength(CertificateInfo certificate) =>
            Read<object>(certificate, X509Extensions.BasicConstraints, o => BasicConstraints.GetInstance(o).PathLenConstraint?.IntValueExact) is int length ? length : null;

        /// <summary>
        /// The extensions of <paramref name="certificate"/> that cannot be read: the ones the module interprets that do
        /// not parse, and critical ones it does not know (which clients must refuse). Empty for nearly every certificate.
        /// </summary>
        public static List<string> DamagedExtensions(CertificateInfo certificate)
        {
            var damaged = new List<string>();
            X509Extensions? extensions = certificate.Structure.TbsCertificate.Extensions;
            if (extensions is null)
            {
                return damaged;
            }

            foreach (DerObjectIdentifier oid in extensions.ExtensionOids)
            {
                X509Extension? extension = extensions.GetExtension(oid);
                int known = Array.FindIndex(s_known, k => k.Oid.Equals(oid));
                if (known < 0)
                {
                    if (extension?.IsCritical == true)
                    {
                        damaged.Add($"an unknown critical extension ({oid.Id}), which clients must refuse");
                    }

                    continue;
                }

                if (extension is null || !TryParse(extension, s_known[known].Parse, out _))
                {
                    damaged.Add($"a damaged {s_known[known].Name} extension");
                }
            }

            return damaged;
        }

        /// <summary>True for an X.509 version 1 certificate (no extensions at all: old roots, test certificates).</summary>
        public static bool IsVersion1(CertificateInfo certificate) => certificate.Structure.TbsCertificate.Version <= 1;

        /// <summary>True when <paramref name="issuer"/>'s key verifies <paramref name="child"/>'s signature.</summary>
        public static bool IsSignedBy(CertificateInfo child, CertificateInfo issuer)
        {
            byte[] signed;
            byte[] signature;
            try
            {
                signed = child.Structure.TbsCertificate.GetDerEncoded();

                // A signature BIT STRING with unused bits (a damaged file) is no signature.
                signature = child.Structure.Signature.GetOctets();
            }
            catch (Exception ex) when (Keys.SignatureVerifier.IsFailure(ex))
            {
                return false;
            }

            return Keys.SignatureVerifier.Verify(issuer.PublicKeyInfo, child.Structure.SignatureAlgorithm, signed, signature);
        }

        /// <summary>The parsed extension, or null when it is absent or does not parse.</summary>
        private static T? Read<T>(CertificateInfo certificate, DerObjectIdentifier oid, Func<Asn1Object, T?> parse)
            where T : class
        {
            X509Extension? extension = certificate.Structure.TbsCertificate.Extensions?.GetExtension(oid);
            return extension is not null && TryParse(extension, o => parse(o), out object? value) ? value as T : null;
        }

        private static bool TryParse(X509Extension extension, Func<Asn1Object, object?> parse, out object? value)
        {
            try
            {
                value = parse(extension.GetParsedValue());
                return true;
            }
            catch (Exception ex) when (Asn1Failures.IsParseFailure(ex))
            {
                value = null;
                return false;
            }
        }

        private static List<DerObjectIdentifier> ParseExtendedKeyUsage(Asn1Object value)
        {
            // ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId. Read as openssl reads it: an empty one
            // allows no use (openssl verify -purpose sslserver: "unsuitable certificate purpose"); one holding what is
            // not an OID (an empty OID) is damaged (openssl: "invalid certificate").
            var usages = new List<DerObjectIdentifier>();
            foreach (Asn1Encodable item in Asn1Sequence.GetInstance(value))
            {
                usages.Add(item as DerObjectIdentifier ?? throw new ArgumentException("an extended key usage is not an OID"));
            }

            return usages;
        }

        private static GeneralName[] ParseGeneralNames(Asn1Object value) => GeneralNames.GetInstance(value).GetNames();

        private static AccessDescription[] ParseAccess(Asn1Object value) => AuthorityInformationAccess.GetInstance(value).GetAccessDescriptions();

        private static NameConstraints ParseNameConstraints(Asn1Object value)
        {
            NameConstraints constraints = NameConstraints.GetInstance(value);

            // Force the subtrees to parse now, so a damaged one is damage, not a failure later.
            foreach (GeneralSubtrees? subtrees in new[] { constraints.PermittedSubtreesValue, constraints.ExcludedSubtreesValue })
            {
                if (subtrees is not null)
                {
                    foreach (GeneralSubtree subtree in subtrees.GetElements())
                    {
                        GC.KeepAlive(subtree.Base.Name);
                    }
                }
            }

            return constraints;
        }
    }

    /// <summary>The exceptions BouncyCastle's ASN.1 parsers throw for malformed input (nothing else is caught as such).</summary>
    internal static class Asn1Failures
    {
        public static bool IsParseFailure(Exception ex) =>
            ex is System.IO.IOException || ex is ArgumentException || ex is InvalidCastException || ex is InvalidOperationException
            || ex is FormatException || ex is Asn1Exception || ex is NullReferenceException || ex is IndexOutOfRangeException
            || ex is OverflowException || ex is ArithmeticException || ex is NotSupportedException;
    }
}
