using System;
using System.Security;
using System.Text;
using CertCmdlets.Core.Certificates;
using CertCmdlets.Core.Pkcs12;
using CertCmdlets.Core.Secrets;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;

namespace CertCmdlets.Core.Keys
{
    /// <summary>
    /// Writes private keys as PKCS#8 PEM: plain ("BEGIN PRIVATE KEY", what Apache reads without a pass phrase
    /// prompt) or encrypted with PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC), which OpenSSL 1.1+ and 3.x read.
    /// </summary>
    internal static class PrivateKeyWriter
    {
        /// <summary>
        /// PBKDF2 iterations for encrypted keys: well above OpenSSL's 2048; the derivation is native
        /// on PowerShell 7, managed on Windows PowerShell 5.1.
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
            // The same PBES2 scheme PFX files use (PBKDF2-HMAC-SHA256, AES-256-CBC); the password as UTF-8, as OpenSSL reads it.
            using PasswordBuffer buffer = PasswordBuffer.From(password);
            (AlgorithmIdentifier algorithm, byte[] cipherText) = PasswordBasedEncryption.EncryptPbes2(pkcs8, buffer.Characters, Pbkdf2Iterations);
            return new EncryptedPrivateKeyInfo(algorithm, cipherText).GetDerEncoded();
        }
    }
}
