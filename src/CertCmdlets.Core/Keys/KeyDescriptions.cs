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
        public static string Describe(SubjectPublicKeyInfo info)
        {
            DerObjectIdentifier algorithm = info.Algorithm.Algorithm;
            if (algorithm.Equals(PkcsObjectIdentifiers.RsaEncryption) || algorithm.Equals(PkcsObjectIdentifiers.IdRsassaPss))
            {
                try
                {
                    var rsa = RsaPublicKeyStructure.GetInstance(info.ParsePublicKey());
                    return $"RSA {rsa.Modulus.BitLength}";
                }
                catch (System.Exception ex) when (ex is System.ArgumentException || ex is System.IO.IOException || ex is System.InvalidCastException)
                {
                    return "RSA";
                }
            }

            if (algorithm.Equals(X9ObjectIdentifiers.IdECPublicKey))
            {
                // Parsed from DER the parameters are the curve's OID; built in memory they are X962Parameters.
                Asn1Encodable? parameters = info.Algorithm.Parameters;
                if (parameters is not null && X962Parameters.GetInstance(parameters).Parameters is DerObjectIdentifier curve)
                {
                    return "ECDSA " + (PrivateKey.CurveName(curve) ?? curve.Id);
                }

                return "ECDSA (explicit curve)";
            }

            if (algorithm.Equals(EdECObjectIdentifiers.id_Ed25519))
            {
                return "Ed25519";
            }

            if (algorithm.Equals(EdECObjectIdentifiers.id_Ed448))
            {
                return "Ed448";
            }

            if (algorithm.Equals(X9ObjectIdentifiers.IdDsa))
            {
                return "DSA";
            }

            return algorithm.Id;
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
