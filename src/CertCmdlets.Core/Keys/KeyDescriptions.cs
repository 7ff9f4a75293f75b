using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.EdEC;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;

namespace CertCmdlets.Core.Keys
{
    /// <summary>Names keys the way administrators read them: "RSA 2048", "ECDSA P-256", "Ed25519".</summary>
    internal static class KeyDescriptions
    {
        /// <summary>"RSA 2048", "RSA-PSS 2048", "ECDSA P-256", "DSA"; never throws, whatever the structure holds.</summary>
        public static string Describe(SubjectPublicKeyInfo info)
        {
            DerObjectIdentifier algorithm = info.Algorithm.Algorithm;
            try
            {
                return DescribeKnown(info, algorithm) ?? algorithm.Id;
            }
            catch (System.Exception ex) when (Chains.Asn1Failures.IsParseFailure(ex))
            {
                // A damaged key: name its kind only.
                return algorithm.Equals(PkcsObjectIdentifiers.RsaEncryption) ? "RSA"
                    : algorithm.Equals(PkcsObjectIdentifiers.IdRsassaPss) ? "RSA-PSS"
                    : algorithm.Equals(X9ObjectIdentifiers.IdECPublicKey) ? "ECDSA"
                    : algorithm.Id;
            }
        }

        private static string? DescribeKnown(SubjectPublicKeyInfo info, DerObjectIdentifier algorithm)
        {
            if (algorithm.Equals(PkcsObjectIdentifiers.RsaEncryption) || algorithm.Equals(PkcsObjectIdentifiers.IdRsassaPss))
            {
                var rsa = RsaPublicKeyStructure.GetInstance(info.ParsePublicKey());
                return $"{(algorithm.Equals(PkcsObjectIdentifiers.IdRsassaPss) ? "RSA-PSS" : "RSA")} {rsa.Modulus.BitLength}";
            }

            if (algorithm.Equals(X9ObjectIdentifiers.IdECPublicKey))
            {
                // Parsed from DER the parameters are the curve's OID; built in memory they are X962Parameters.
                Asn1Encodable? parameters = info.Algorithm.Parameters;
                if (parameters is not null && X962Parameters.GetInstance(parameters).Parameters is DerObjectIdentifier curve)
                {
                    return "ECDSA " + (PrivateKey.CurveName(curve) ?? curve.Id);
                }

                // openssl -param_enc explicit spells the curve out; P-256 spelled out is still P-256.
                DerObjectIdentifier? named = EllipticCurves.NamedEquivalent(parameters);
                return named is null ? "ECDSA (explicit curve)" : $"ECDSA {PrivateKey.CurveName(named)} (explicit parameters)";
            }

            if (algorithm.Equals(EdECObjectIdentifiers.id_Ed25519))
            {
                return "Ed25519";
            }

            if (algorithm.Equals(EdECObjectIdentifiers.id_Ed448))
            {
                return "Ed448";
            }

            return algorithm.Equals(X9ObjectIdentifiers.IdDsa) ? "DSA" : null;
        }

        public static string KindOf(AsymmetricKeyParameter key) => key switch
        {
            RsaKeyParameters => "RSA",
            ECKeyParameters => "EC",
            DsaKeyParameters => "DSA",
            Ed25519PrivateKeyParameters or Ed25519PublicKeyParameters => "Ed25519",
            Ed448PrivateKeyParameters or Ed448PublicKeyParameters => "Ed448",
            _ => key.GetType().Name.Replace("PrivateKeyParameters", string.Empty).Replace("KeyParameters", string.Empty),
        };
    }
}
