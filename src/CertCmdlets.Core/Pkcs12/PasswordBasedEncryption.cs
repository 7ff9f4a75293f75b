using System;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace CertCmdlets.Core.Pkcs12
{
    /// <summary>
    /// Password-based encryption as PFX files use it: PBES2 (PBKDF2 + AES or 3DES) as OpenSSL 3 and
    /// modern Windows write, and the PKCS#12 PBE schemes (3DES, RC2-40, RC2-128) of older files and
    /// `openssl -legacy`. Keys come from <see cref="PasswordBasedKeys"/>; the ciphers are BouncyCastle's,
    /// which include RC2 (OpenSSL 3 and .NET on Linux no longer do by default).
    /// </summary>
    internal static class PasswordBasedEncryption
    {
        private static readonly DerObjectIdentifier s_desEde3Cbc = PkcsObjectIdentifiers.DesEde3Cbc;

        /// <summary>"AES-256-CBC, PBKDF2-HMAC-SHA256, 2048 iterations" and the like, for -Verbose.</summary>
        public static string Describe(AlgorithmIdentifier algorithm)
        {
            DerObjectIdentifier oid = algorithm.Algorithm;
            if (oid.Equals(PkcsObjectIdentifiers.IdPbeS2))
            {
                var parameters = PbeS2Parameters.GetInstance(algorithm.Parameters);
                var kdf = Pbkdf2Params.GetInstance(parameters.KeyDerivationFunc.Parameters);
                return $"{CipherName(parameters.EncryptionScheme.Algorithm)}, PBKDF2-HMAC-{PrfHash(kdf).Name}, {kdf.IterationCount} iterations";
            }

            var legacy = Pkcs12PbeParams.GetInstance(algorithm.Parameters);
            return $"{LegacyName(oid)} (PKCS#12 PBE, SHA-1), {legacy.Iterations} iterations";
        }

        /// <summary>Decrypts; throws <see cref="InvalidCipherTextException"/> when the password is wrong (bad padding).</summary>
        public static byte[] Decrypt(AlgorithmIdentifier algorithm, byte[] cipherText, char[] password, bool absentPassword)
        {
            DerObjectIdentifier oid = algorithm.Algorithm;
            if (oid.Equals(PkcsObjectIdentifiers.IdPbeS2))
            {
                return DecryptPbes2(PbeS2Parameters.GetInstance(algorithm.Parameters), cipherText, password);
            }

            var parameters = Pkcs12PbeParams.GetInstance(algorithm.Parameters);
            byte[] salt = parameters.GetIV();
            int iterations = parameters.Iterations.IntValueExact;
            byte[] bmp = PasswordBasedKeys.BmpPassword(password, absentPassword);
            try
            {
                (string cipher, int keyLength, int effectiveBits) = LegacyCipher(oid);
                byte[] key = PasswordBasedKeys.Pkcs12Kdf(1, bmp, salt, iterations, HashAlgorithmName.SHA1, keyLength);
                byte[] iv = PasswordBasedKeys.Pkcs12Kdf(2, bmp, salt, iterations, HashAlgorithmName.SHA1, 8);
                ICipherParameters keyParameter = cipher == "RC2" ? new RC2Parameters(key, effectiveBits) : new DesEdeParameters(key);
                return Run(cipher + "/CBC/PKCS7PADDING", new ParametersWithIV(keyParameter, iv), cipherText);
            }
            finally
            {
                Array.Clear(bmp, 0, bmp.Length);
            }
        }

        /// <summary>Encrypts with PBES2: PBKDF2-HMAC-SHA256 and AES-256-CBC (the modern default).</summary>
        public static (AlgorithmIdentifier Algorithm, byte[] CipherText) EncryptPbes2(byte[] plainText, char[] password, int iterations)
        {
            byte[] salt = RandomBytes(16);
            byte[] iv = RandomBytes(16);
            byte[] passwordBytes = Encoding.UTF8.GetBytes(password);
            byte[] key = PasswordBasedKeys.Pbkdf2(passwordBytes, salt, iterations, HashAlgorithmName.SHA256, 32);
            Array.Clear(passwordBytes, 0, passwordBytes.Length);
            try
            {
                byte[] cipherText = Run("AES/CBC/PKCS7PADDING", new ParametersWithIV(new KeyParameter(key), iv), plainText, forEncryption: true);
                var kdf = new KeyDerivationFunc(
                    PkcsObjectIdentifiers.IdPbkdf2,
                    new Pbkdf2Params(salt, iterations, new AlgorithmIdentifier(PkcsObjectIdentifiers.IdHmacWithSha256, DerNull.Instance)));
                var scheme = new EncryptionScheme(NistObjectIdentifiers.IdAes256Cbc, new DerOctetString(iv));
                return (new AlgorithmIdentifier(PkcsObjectIdentifiers.IdPbeS2, new PbeS2Parameters(kdf, scheme)), cipherText);
            }
            finally
            {
                Array.Clear(key, 0, key.Length);
            }
        }

        /// <summary>Encrypts with pbeWithSHAAnd3-KeyTripleDES-CBC, what Windows Server 2016 and older import.</summary>
        public static (AlgorithmIdentifier Algorithm, byte[] CipherText) EncryptLegacy3Des(byte[] plainText, char[] password, int iterations)
        {
            byte[] salt = RandomBytes(8);
            byte[] bmp = PasswordBasedKeys.BmpPassword(password, absent: false);
            try
            {
                byte[] key = PasswordBasedKeys.Pkcs12Kdf(1, bmp, salt, iterations, HashAlgorithmName.SHA1, 24);
                byte[] iv = PasswordBasedKeys.Pkcs12Kdf(2, bmp, salt, iterations, HashAlgorithmName.SHA1, 8);
                byte[] cipherText = Run("DESEDE/CBC/PKCS7PADDING", new ParametersWithIV(new DesEdeParameters(key), iv), plainText, forEncryption: true);
                Array.Clear(key, 0, key.Length);
                var algorithm = new AlgorithmIdentifier(PkcsObjectIdentifiers.PbeWithShaAnd3KeyTripleDesCbc, new Pkcs12PbeParams(salt, iterations));
                return (algorithm, cipherText);
            }
            finally
            {
                Array.Clear(bmp, 0, bmp.Length);
            }
        }

        public static byte[] RandomBytes(int count)
        {
            var bytes = new byte[count];
            using (var random = RandomNumberGenerator.Create())
            {
                random.GetBytes(bytes);
            }

            return bytes;
        }

        private static byte[] DecryptPbes2(PbeS2Parameters parameters, byte[] cipherText, char[] password)
        {
            if (!parameters.KeyDerivationFunc.Algorithm.Equals(PkcsObjectIdentifiers.IdPbkdf2))
            {
                throw new NotSupportedException($"key derivation {parameters.KeyDerivationFunc.Algorithm.Id} (only PBKDF2 is supported)");
            }

            var kdf = Pbkdf2Params.GetInstance(parameters.KeyDerivationFunc.Parameters);
            DerObjectIdentifier cipherOid = parameters.EncryptionScheme.Algorithm;
            int keyLength = kdf.KeyLength?.IntValueExact ?? CipherKeyLength(cipherOid);
            byte[] iv = Asn1OctetString.GetInstance(parameters.EncryptionScheme.Parameters).GetOctets();
            byte[] passwordBytes = Encoding.UTF8.GetBytes(password);
            byte[] key = PasswordBasedKeys.Pbkdf2(passwordBytes, kdf.GetSalt(), kdf.IterationCount.IntValueExact, PrfHash(kdf), keyLength);
            Array.Clear(passwordBytes, 0, passwordBytes.Length);
            try
            {
                string cipher = cipherOid.Equals(s_desEde3Cbc) ? "DESEDE" : "AES";
                ICipherParameters keyParameter = cipher == "DESEDE" ? new DesEdeParameters(key) : new KeyParameter(key);
                return Run(cipher + "/CBC/PKCS7PADDING", new ParametersWithIV(keyParameter, iv), cipherText);
            }
            finally
            {
                Array.Clear(key, 0, key.Length);
            }
        }

        private static byte[] Run(string transformation, ICipherParameters parameters, byte[] input, bool forEncryption = false)
        {
            IBufferedCipher cipher = CipherUtilities.GetCipher(transformation);
            cipher.Init(forEncryption, parameters);
            return cipher.DoFinal(input);
        }

        private static HashAlgorithmName PrfHash(Pbkdf2Params kdf)
        {
            DerObjectIdentifier prf = kdf.Prf.Algorithm;
            if (prf.Equals(PkcsObjectIdentifiers.IdHmacWithSha1))
            {
                return HashAlgorithmName.SHA1;
            }

            if (prf.Equals(PkcsObjectIdentifiers.IdHmacWithSha256))
            {
                return HashAlgorithmName.SHA256;
            }

            if (prf.Equals(PkcsObjectIdentifiers.IdHmacWithSha384))
            {
                return HashAlgorithmName.SHA384;
            }

            if (prf.Equals(PkcsObjectIdentifiers.IdHmacWithSha512))
            {
                return HashAlgorithmName.SHA512;
            }

            throw new NotSupportedException($"PBKDF2 pseudo-random function {prf.Id}");
        }

        private static int CipherKeyLength(DerObjectIdentifier cipher)
        {
            if (cipher.Equals(NistObjectIdentifiers.IdAes128Cbc))
            {
                return 16;
            }

            if (cipher.Equals(NistObjectIdentifiers.IdAes192Cbc) || cipher.Equals(s_desEde3Cbc))
            {
                return 24;
            }

            if (cipher.Equals(NistObjectIdentifiers.IdAes256Cbc))
            {
                return 32;
            }

            throw new NotSupportedException($"cipher {cipher.Id}");
        }

        private static string CipherName(DerObjectIdentifier cipher) =>
            cipher.Equals(NistObjectIdentifiers.IdAes128Cbc) ? "AES-128-CBC"
            : cipher.Equals(NistObjectIdentifiers.IdAes192Cbc) ? "AES-192-CBC"
            : cipher.Equals(NistObjectIdentifiers.IdAes256Cbc) ? "AES-256-CBC"
            : cipher.Equals(s_desEde3Cbc) ? "3DES-CBC"
            : cipher.Id;

        private static (string Cipher, int KeyLength, int EffectiveBits) LegacyCipher(DerObjectIdentifier oid)
        {
            if (oid.Equals(PkcsObjectIdentifiers.PbeWithShaAnd3KeyTripleDesCbc))
            {
                return ("DESEDE", 24, 0);
            }

            if (oid.Equals(PkcsObjectIdentifiers.PbeWithShaAnd2KeyTripleDesCbc))
            {
                return ("DESEDE", 16, 0);
            }

            if (oid.Equals(PkcsObjectIdentifiers.PbewithShaAnd40BitRC2Cbc))
            {
                return ("RC2", 5, 40);
            }

            if (oid.Equals(PkcsObjectIdentifiers.PbeWithShaAnd128BitRC2Cbc))
            {
                return ("RC2", 16, 128);
            }

            throw new NotSupportedException($"encryption {oid.Id}");
        }

        private static string LegacyName(DerObjectIdentifier oid) =>
            oid.Equals(PkcsObjectIdentifiers.PbeWithShaAnd3KeyTripleDesCbc) ? "3DES-CBC"
            : oid.Equals(PkcsObjectIdentifiers.PbeWithShaAnd2KeyTripleDesCbc) ? "2-key 3DES-CBC"
            : oid.Equals(PkcsObjectIdentifiers.PbewithShaAnd40BitRC2Cbc) ? "RC2-40-CBC"
            : oid.Equals(PkcsObjectIdentifiers.PbeWithShaAnd128BitRC2Cbc) ? "RC2-128-CBC"
            : oid.Id;
    }
}
