using System;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;

namespace CertCmdlets.Core.Keys
{
    /// <summary>
    /// Checks a signature by a public key. RSA PKCS#1 signatures (nearly every certificate and request) are checked
    /// by the platform: BouncyCastle's RSA key objects test their modulus when created, which costs more than the
    /// check itself. RSASSA-PSS follows its parameters (hash, mask hash, salt length). Other algorithms (ECDSA, DSA,
    /// MD5) go through BouncyCastle. A key or signature that does not parse is a signature that does not verify:
    /// nothing here throws on malformed input.
    /// </summary>
    internal static class SignatureVerifier
    {
        public static bool Verify(SubjectPublicKeyInfo key, AlgorithmIdentifier signatureAlgorithm, byte[] data, byte[] signature)
        {
            try
            {
                DerObjectIdentifier keyAlgorithm = key.Algorithm.Algorithm;
                if (signatureAlgorithm.Algorithm.Equals(PkcsObjectIdentifiers.IdRsassaPss))
                {
                    return (keyAlgorithm.Equals(PkcsObjectIdentifiers.RsaEncryption) || keyAlgorithm.Equals(PkcsObjectIdentifiers.IdRsassaPss))
                        && VerifyPss(key, signatureAlgorithm.Parameters, data, signature);
                }

                HashAlgorithmName? hash = RsaPkcs1Hash(signatureAlgorithm.Algorithm);
                if (hash is not null && keyAlgorithm.Equals(PkcsObjectIdentifiers.RsaEncryption))
                {
                    using RSA native = NativeRsa(key);
                    return native.VerifyData(data, signature, hash.Value, RSASignaturePadding.Pkcs1);
                }

                if (keyAlgorithm.Equals(PkcsObjectIdentifiers.IdRsassaPss))
                {
                    // A key restricted to RSASSA-PSS (RFC 4055) never verifies a PKCS#1 v1.5 signature.
                    return false;
                }

                AsymmetricKeyParameter publicKey = PublicKeyFactory.CreateKey(key);
                ISigner verifier = SignerUtilities.GetSigner(signatureAlgorithm.Algorithm);
                verifier.Init(false, publicKey);
                verifier.BlockUpdate(data, 0, data.Length);
                return verifier.VerifySignature(signature);
            }
            catch (Exception ex) when (IsFailure(ex))
            {
                return false;
            }
        }

        /// <summary>True for the exceptions a malformed key, signature or algorithm causes.</summary>
        internal static bool IsFailure(Exception ex) =>
            Chains.Asn1Failures.IsParseFailure(ex) || ex is CryptographicException || ex is SecurityUtilityException
            || ex is GeneralSecurityException || ex is CryptoException;

        /// <summary>RSASSA-PSS with the signature's own parameters (RFC 4055 defaults: SHA-1, MGF1-SHA-1, salt 20).</summary>
        private static bool VerifyPss(SubjectPublicKeyInfo key, Asn1Encodable? parameters, byte[] data, byte[] signature)
        {
            RsassaPssParameters pss = parameters is null || parameters is Asn1Null ? new RsassaPssParameters() : RsassaPssParameters.GetInstance(parameters);
            if (!pss.MaskGenAlgorithm.Algorithm.Equals(PkcsObjectIdentifiers.IdMgf1) || !pss.TrailerField.HasValue(1))
            {
                return false;
            }

            DerObjectIdentifier contentHash = pss.HashAlgorithm.Algorithm;
            DerObjectIdentifier maskHash = AlgorithmIdentifier.GetInstance(pss.MaskGenAlgorithm.Parameters).Algorithm;
            int saltLength = pss.SaltLength.IntValueExact;
            IDigest digest = DigestUtilities.GetDigest(contentHash);
            HashAlgorithmName? nativeHash = NativeHash(contentHash);
            if (nativeHash is not null && contentHash.Equals(maskHash) && saltLength == digest.GetDigestSize())
            {
                // The platform's PSS uses a salt as long as the hash and the same hash for the mask: openssl's default.
                using RSA native = NativeRsa(key);
                return native.VerifyData(data, signature, nativeHash.Value, RSASignaturePadding.Pss);
            }

            var rsa = RsaPublicKeyStructure.GetInstance(key.ParsePublicKey());
            var signer = new PssSigner(new RsaEngine(), digest, DigestUtilities.GetDigest(maskHash), saltLength);
            signer.Init(false, new RsaKeyParameters(false, rsa.Modulus, rsa.PublicExponent));
            signer.BlockUpdate(data, 0, data.Length);
            return signer.VerifySignature(signature);
        }

        private static RSA NativeRsa(SubjectPublicKeyInfo key)
        {
            var rsa = RsaPublicKeyStructure.GetInstance(key.ParsePublicKey());
            RSA native = RSA.Create();
            native.ImportParameters(new RSAParameters { Modulus = rsa.Modulus.ToByteArrayUnsigned(), Exponent = rsa.PublicExponent.ToByteArrayUnsigned() });
            return native;
        }

        private static HashAlgorithmName? NativeHash(DerObjectIdentifier oid) =>
            oid.Equals(NistObjectIdentifiers.IdSha256) ? HashAlgorithmName.SHA256
            : oid.Equals(NistObjectIdentifiers.IdSha384) ? HashAlgorithmName.SHA384
            : oid.Equals(NistObjectIdentifiers.IdSha512) ? HashAlgorithmName.SHA512
            : null;

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
