using System.Collections.Generic;
using Org.BouncyCastle.Asn1.EdEC;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;

namespace CertCmdlets.Core.Certificates
{
    /// <summary>Signature algorithm names as Windows shows them ("sha256RSA", "sha384ECDSA").</summary>
    internal static class SignatureAlgorithms
    {
        private static readonly Dictionary<string, string> s_names = new Dictionary<string, string>
        {
            [PkcsObjectIdentifiers.MD2WithRsaEncryption.Id] = "md2RSA",
            [PkcsObjectIdentifiers.MD4WithRsaEncryption.Id] = "md4RSA",
            [PkcsObjectIdentifiers.MD5WithRsaEncryption.Id] = "md5RSA",
            [PkcsObjectIdentifiers.Sha1WithRsaEncryption.Id] = "sha1RSA",
            [PkcsObjectIdentifiers.Sha224WithRsaEncryption.Id] = "sha224RSA",
            [PkcsObjectIdentifiers.Sha256WithRsaEncryption.Id] = "sha256RSA",
            [PkcsObjectIdentifiers.Sha384WithRsaEncryption.Id] = "sha384RSA",
            [PkcsObjectIdentifiers.Sha512WithRsaEncryption.Id] = "sha512RSA",
            [PkcsObjectIdentifiers.IdRsassaPss.Id] = "RSASSA-PSS",
            [X9ObjectIdentifiers.ECDsaWithSha1.Id] = "sha1ECDSA",
            [X9ObjectIdentifiers.ECDsaWithSha224.Id] = "sha224ECDSA",
            [X9ObjectIdentifiers.ECDsaWithSha256.Id] = "sha256ECDSA",
            [X9ObjectIdentifiers.ECDsaWithSha384.Id] = "sha384ECDSA",
            [X9ObjectIdentifiers.ECDsaWithSha512.Id] = "sha512ECDSA",
            [EdECObjectIdentifiers.id_Ed25519.Id] = "Ed25519",
            [EdECObjectIdentifiers.id_Ed448.Id] = "Ed448",
            [X9ObjectIdentifiers.IdDsaWithSha1.Id] = "sha1DSA",
        };

        public static string Name(AlgorithmIdentifier algorithm) =>
            s_names.TryGetValue(algorithm.Algorithm.Id, out string? name) ? name : algorithm.Algorithm.Id;
    }
}
