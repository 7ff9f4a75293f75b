using System;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;

namespace CertCmdlets.Core.Keys
{
    /// <summary>
    /// Checks a signature by a public key. RSA PKCS#1 signatures (nearly every certificate and request) are checked
    /// by the platform: BouncyCastle's RSA key objects test their modulus when created, which costs more than the
    /// check itself. Other algorithms (ECDSA, RSA-PSS, MD5) go through BouncyCastle.
    /// </summary>
    internal static class SignatureVerifier
    {
        public static bool Verify(SubjectPublicKeyInfo key, AlgorithmIdentifier signatureAlgorithm, byte[] data, byte[] signature)
        {
            try
            {
                HashAlgorithmName? hash = RsaPkcs1Hash(signatureAlgorithm.Algorithm);
                if (hash is not null && key.Algorithm.Algorithm.Equals(PkcsObjectIdentifiers.RsaEncryption))
                {
                    var rsa = RsaPublicKeyStructure.GetInstance(key.ParsePublicKey());
                    using RSA native = RSA.Create();
                    native.ImportParameters(new RSAParameters { Modulus = rsa.Modulus.ToByteArrayUnsigned(), Exponent = rsa.PublicExponent.ToByteArrayUnsigned() });
                    return native.VerifyData(data, signature, hash.Value, RSASignaturePadding.Pkcs1);
                }

                AsymmetricKeyParameter publicKey = PublicKeyFactory.CreateKey(key);
                ISigner verifier = SignerUtilities.GetSigner(signatureAlgorithm.Algorithm);
                verifier.Init(false, publicKey);
                verifier.BlockUpdate(data, 0, data.Length);
                return verifier.VerifySignature(signature);
            }
            catch (Exception ex) when (ex is CryptographicException || ex is SecurityUtilityException || ex is ArgumentException || ex is InvalidCastException
                || ex is InvalidKeyException || ex is CryptoException || ex is InvalidOperationException || ex is System.IO.IOException)
            {
                return false;
            }
        }

        private static HashAlgorithmName? RsaPkcs1Hash(DerObjectIdentifier algorithm)
        {
            if (algorithm.Equals(PkcsObjectIdentifiers.Sha256WithRsaEncryption))
            {
                return HashAlgorithmName.SHA256;
            }

            if (algorithm.Equals(PkcsObjectIdentifiers.Sha384WithRsaEncryption))
            {
                return HashAlgorithmName.SHA384;
            }

            if (algorithm.Equals(PkcsObjectIdentifiers.Sha512WithRsaEncryption))
            {
                return HashAlgorithmName.SHA512;
            }

            return algorithm.Equals(PkcsObjectIdentifiers.Sha1WithRsaEncryption) ? HashAlgorithmName.SHA1 : null;
        }
    }
}
