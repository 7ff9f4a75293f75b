namespace CertCmdlets
{
    /// <summary>
    /// A private key file as Protect-PrivateKey and Unprotect-PrivateKey leave it: where it is, what key it holds and
    /// whether a password protects it. It names the file only; the key itself is never part of it.
    /// Scripts name the type as <c>[CertCmdlets.PrivateKeyFileInfo]</c>.
    /// </summary>
    public sealed class PrivateKeyFileInfo
    {
        internal PrivateKeyFileInfo(string path, string sourcePath, string keyAlgorithm, bool isEncrypted, bool written)
        {
            Path = path;
            SourcePath = sourcePath;
            KeyAlgorithm = keyAlgorithm;
            IsEncrypted = isEncrypted;
            Written = written;
        }

        /// <summary>The key file as it is now (the new file, or the original when it was replaced in place).</summary>
        public string Path { get; }

        /// <summary>The key file that was read.</summary>
        public string SourcePath { get; }

        /// <summary>The key: "RSA 2048", "ECDSA P-256".</summary>
        public string KeyAlgorithm { get; }

        /// <summary>True when the file is encrypted with a password (PKCS#8, AES-256-CBC, PBKDF2-HMAC-SHA256).</summary>
        public bool IsEncrypted { get; }

        /// <summary>False when nothing had to be written (the key was already as asked).</summary>
        public bool Written { get; }

        /// <summary>The file and key type; never the key.</summary>
        public override string ToString() => $"{KeyAlgorithm} private key ({Path}{(IsEncrypted ? ", encrypted" : string.Empty)})";
    }
}
