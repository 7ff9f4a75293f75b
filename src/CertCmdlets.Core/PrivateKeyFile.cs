using System;
using System.Collections.Generic;
using System.Security;
using CertCmdlets.Core.Keys;

namespace CertCmdlets.Core
{
    /// <summary>
    /// A private key loaded from a file, to be attached to the certificates it belongs to. Opaque: it shows
    /// the file and the key type, never the key.
    /// </summary>
    public sealed class PrivateKeyFile
    {
        private PrivateKeyFile(string path, PrivateKey key)
        {
            Path = path;
            Key = key;
        }

        /// <summary>The file the key was read from.</summary>
        public string Path { get; }

        /// <summary>The key type: "RSA 2048", "ECDSA P-256".</summary>
        public string KeyAlgorithm => Key.Description;

        internal PrivateKey Key { get; }

        /// <summary>Reads a key in any common form; <paramref name="password"/> for encrypted ones.</summary>
        public static PrivateKeyFile Load(string path, SecureString? password) => new PrivateKeyFile(path, PrivateKeyReader.ReadFile(path, password));

        /// <summary>True when the key file is password-protected (encrypted PKCS#8 or OpenSSL's legacy encrypted PEM).</summary>
        public static bool IsEncrypted(string path)
        {
            byte[] data = IO.FileInput.ReadAll(path);
            if (!Certificates.Pem.TryReadText(data, out string text))
            {
                // DER: an EncryptedPrivateKeyInfo is SEQUENCE { AlgorithmIdentifier, OCTET STRING }.
                return data.Length > 4 && PrivateKeyReader.IsEncryptedDer(data);
            }

            return text.IndexOf("-----BEGIN ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal) >= 0
                || text.IndexOf("Proc-Type: 4,ENCRYPTED", StringComparison.OrdinalIgnoreCase) >= 0;
        }

        /// <summary>
        /// Attaches this key to each certificate in <paramref name="certificates"/> whose public key it matches
        /// (and records this file as its KeyPath). When none matches, throws CertificateKeyMismatch naming both files.
        /// </summary>
        public void AttachTo(IReadOnlyList<CertificateInfo> certificates, string certificateSource)
        {
            bool any = false;
            foreach (CertificateInfo certificate in certificates)
            {
                if (Key.Matches(certificate.PublicKeyInfo))
                {
                    certificate.PrivateKey = Key;
                    certificate.KeyPath = Path;
                    any = true;
                }
            }

            if (!any)
            {
                throw Errors.CertificateKeyMismatch(certificateSource, Path);
            }
        }

        /// <summary>The file and key type; never the key.</summary>
        public override string ToString() => $"{KeyAlgorithm} private key ({Path})";
    }
}
