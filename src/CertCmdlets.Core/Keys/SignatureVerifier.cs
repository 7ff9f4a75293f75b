using System;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
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

                HashAlgorithmName? ecdsaHash = EcdsaHash(signatureAlgorithm.Algorithm);
                if (ecdsaHash is not null && keyAlgorithm.Equals(X9ObjectIdentifiers.IdECPublicKey) && TryNativeEcdsa(key, out ECDsa? ecdsa))
                {
                    using (ecdsa)
                    {
                        byte[]? p1363 = DerToP1363(signature, (ecdsa!.KeySize + 7) / 8);
                        return p1363 is not null && ecdsa.VerifyData(data, p1363, ecdsaHash.Value);
                    }
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

        /// <summary>
        /// A platform ECDSA key for a P-256/384/521 public key in uncompressed form (nearly every certificate): several
        /// times faster than BouncyCastle's. Other forms (compressed points, other curves) go through BouncyCastle.
        /// </summary>
        private static bool TryNativeEcdsa(SubjectPublicKeyInfo key, out ECDsa? ecdsa)
        {
            ecdsa = null;
            if (key.Algorithm.Parameters?.ToAsn1Object() is not DerObjectIdentifier curve || PrivateKey.CurveName(curve) is null)
            {
                return false;
            }

            byte[] point = key.PublicKey.GetOctets();
            int length = (point.Length - 1) / 2;
            if (point.Length < 3 || point[0] != 0x04 || point.Length != 1 + (2 * length))
            {
                return false;
            }

            var x = new byte[length];
            var y = new byte[length];
            Buffer.BlockCopy(point, 1, x, 0, length);
            Buffer.BlockCopy(point, 1 + length, y, 0, length);
            ECDsa native = ECDsa.Create();
            try
            {
                // The platform checks that the point is on the curve.
                native.ImportParameters(new ECParameters { Curve = ECCurve.CreateFromValue(curve.Id), Q = new ECPoint { X = x, Y = y } });
            }
            catch
            {
                native.Dispose();
                throw;
            }

            ecdsa = native;
            return true;
        }

        /// <summary>A DER SEQUENCE { r, s } as the fixed-width r || s the platform verifies; null when it is not one.</summary>
        private static byte[]? DerToP1363(byte[] der, int fieldLength)
        {
            Asn1Sequence sequence = Asn1Sequence.GetInstance(Asn1Object.FromByteArray(der));
            if (sequence.Count != 2 || sequence[0] is not DerInteger r || sequence[1] is not DerInteger s
                || r.Value.SignValue <= 0 || s.Value.SignValue <= 0)
            {
                return null;
            }

            byte[] rBytes = r.Value.ToByteArrayUnsigned();
            byte[] sBytes = s.Value.ToByteArrayUnsigned();
            if (rBytes.Length > fieldLength || sBytes.Length > fieldLength)
            {
                return null;
            }

            var p1363 = new byte[2 * fieldLength];
            Buffer.BlockCopy(rBytes, 0, p1363, fieldLength - rBytes.Length, rBytes.Length);
            Buffer.BlockCopy(sBytes, 0, p1363, (2 * fieldLength) - sBytes.Length, sBytes.Length);
            return p1363;
        }

        private static HashAlgorithmName? EcdsaHash(DerObjectIdentifier oid) =>
            oid.Equals(X9ObjectIdentifiers.ECDsaWithSha256) ? HashAlgorithmName.SHA256
            : oid.Equals(X9ObjectIdentifiers.ECDsaWithSha384) ? HashAlgorithmName.SHA384
            : oid.Equals(X9ObjectIdentifiers.ECDsaWithSha512) ? HashAlgorithmName.SHA512
            : null;

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
