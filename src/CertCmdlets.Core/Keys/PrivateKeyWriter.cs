using System;
using System.Security;
using System.Security.Cryptography;
using System.Text;
using CertCmdlets.Core.Certificates;
using CertCmdlets.Core.Secrets;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;

namespace CertCmdlets.Core.Keys
{
    /// <summary>
    /// Writes private keys as PKCS#8 PEM: plain ("BEGIN PRIVATE KEY", what Apache reads without a pass phrase
    /// prompt) or encrypted with PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC), which OpenSSL 1.1+ and 3.x read.
    /// </summary>
    internal static class PrivateKeyWriter
    {
        /// <summary>
        /// PBKDF2 iterations for encrypted keys: well above OpenSSL's 2048, kept where BouncyCastle's managed
        /// derivation still takes well under a second.
        /// </summary>
        public const int Pbkdf2Iterations = 100_000;

        /// <summary>The key as PEM text bytes (ASCII). The caller clears the array after writing it.</summary>
        public static byte[] ToPem(PrivateKey key, SecureString? password)
        {
            byte[] der = key.ToPkcs8Der();
            try
            {
                if (password is null)
                {
                    return Encoding.ASCII.GetBytes(Pem.Encode("PRIVATE KEY", der));
                }

                byte[] encrypted = Encrypt(der, password);
                return Encoding.ASCII.GetBytes(Pem.Encode("ENCRYPTED PRIVATE KEY", encrypted));
            }
            finally
            {
                Array.Clear(der, 0, der.Length);
            }
        }

        private static byte[] Encrypt(byte[] pkcs8, SecureString password)
        {
            byte[] salt = RandomBytes(16);
            byte[] iv = RandomBytes(16);
            byte[] keyBytes;
            using (PasswordBuffer buffer = PasswordBuffer.From(password))
            {
                byte[] passwordBytes = Encoding.UTF8.GetBytes(buffer.Characters);
                try
                {
                    var generator = new Pkcs5S2ParametersGenerator(new Sha256Digest());
                    generator.Init(passwordBytes, salt, Pbkdf2Iterations);
                    keyBytes = ((KeyParameter)generator.GenerateDerivedParameters("AES", 256)).GetKey();
                }
                finally
                {
                    Array.Clear(passwordBytes, 0, passwordBytes.Length);
                }
            }

            byte[] cipherText;
            try
            {
                using Aes aes = Aes.Create();
                aes.Mode = CipherMode.CBC;
                aes.Padding = PaddingMode.PKCS7;
                aes.Key = keyBytes;
                aes.IV = iv;
                using ICryptoTransform encryptor = aes.CreateEncryptor();
                cipherText = encryptor.TransformFinalBlock(pkcs8, 0, pkcs8.Length);
            }
            finally
            {
                Array.Clear(keyBytes, 0, keyBytes.Length);
            }

            var kdf = new KeyDerivationFunc(
                PkcsObjectIdentifiers.IdPbkdf2,
                new Pbkdf2Params(salt, Pbkdf2Iterations, new AlgorithmIdentifier(PkcsObjectIdentifiers.IdHmacWithSha256, DerNull.Instance)));
            var scheme = new EncryptionScheme(NistObjectIdentifiers.IdAes256Cbc, new DerOctetString(iv));
            var algorithm = new AlgorithmIdentifier(PkcsObjectIdentifiers.IdPbeS2, new PbeS2Parameters(kdf, scheme));
            return new EncryptedPrivateKeyInfo(algorithm, cipherText).GetDerEncoded();
        }

        private static byte[] RandomBytes(int count)
        {
            var bytes = new byte[count];
            using (var random = RandomNumberGenerator.Create())
            {
                random.GetBytes(bytes);
            }

            return bytes;
        }
    }
}
