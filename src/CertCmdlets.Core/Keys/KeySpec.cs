using System;
using System.Security.Cryptography;

namespace CertCmdlets.Core.Keys
{
    /// <summary>The two key families the module makes.</summary>
    internal enum KeyAlgorithmKind
    {
        Rsa,
        Ecdsa,
    }

    /// <summary>
    /// A validated choice of key and hash. Weak choices (RSA under 2048 bits, MD5, SHA-1) are refused here,
    /// once, with errors that name the strong alternatives.
    /// </summary>
    internal sealed class KeySpec
    {
        public const int DefaultRsaKeySize = 2048;

        private KeySpec(KeyAlgorithmKind algorithm, int keySize, string curve, HashAlgorithmName hash)
        {
            Algorithm = algorithm;
            KeySize = keySize;
            Curve = curve;
            Hash = hash;
        }

        public KeyAlgorithmKind Algorithm { get; }

        public int KeySize { get; }

        /// <summary>"P-256", "P-384" or "P-521" for ECDSA.</summary>
        public string Curve { get; }

        public HashAlgorithmName Hash { get; }

        public string Description => Algorithm == KeyAlgorithmKind.Rsa ? $"RSA {KeySize}" : $"ECDSA {Curve}";

        /// <summary>Validates the user's words. Null means "the default".</summary>
        public static KeySpec Parse(string? algorithm, int? keySize, string? curve, string? hash)
        {
            string algorithmText = (algorithm ?? "RSA").Trim();
            if (algorithmText.Equals("RSA", StringComparison.OrdinalIgnoreCase))
            {
                if (curve is not null)
                {
                    throw Errors.KeyOptionConflict(curve, "-Curve applies to ECDSA keys. Use -KeyAlgorithm ECDSA with -Curve, or -KeySize with RSA.");
                }

                int size = keySize ?? DefaultRsaKeySize;
                if (size < 2048)
                {
                    throw Errors.KeySizeWeak(size);
                }

                if (!KeyChoices.IsRsaKeySize(size))
                {
                    throw Errors.KeySizeUnsupported(size);
                }

                return new KeySpec(KeyAlgorithmKind.Rsa, size, string.Empty, ParseHash(hash));
            }

            if (algorithmText.Equals("ECDSA", StringComparison.OrdinalIgnoreCase) || algorithmText.Equals("EC", StringComparison.OrdinalIgnoreCase))
            {
                if (keySize is not null)
                {
                    throw Errors.KeyOptionConflict(keySize, "-KeySize applies to RSA keys. For ECDSA choose the size with -Curve P256, P384 or P521.");
                }

                string curveName = ParseCurve(curve);
                return new KeySpec(KeyAlgorithmKind.Ecdsa, 0, curveName, hash is null ? HashForCurve(curveName) : ParseHash(hash));
            }

            throw Errors.KeyAlgorithmUnsupported(algorithmText);
        }

        /// <summary>Validates a hash name alone (for requests that reuse an existing key).</summary>
        /// <summary>
        /// The signature hash for a key when none was asked for: SHA-256 for RSA and P-256, and for the larger curves
        /// the hash of matching strength (P-384 SHA-384, P-521 SHA-512), as RFC 5480 and the CA/Browser Forum pair them.
        /// </summary>
        public static HashAlgorithmName DefaultHashFor(PrivateKey key) =>
            key.IsRsa ? HashAlgorithmName.SHA256 : HashForCurve(KeyDescriptions.Describe(key.PublicKeyInfo).Replace("ECDSA ", string.Empty));

        /// <summary>-HashAlgorithm when given (checked), else the default for <paramref name="key"/>.</summary>
        public static HashAlgorithmName HashFor(PrivateKey key, string? hash) => hash is null ? DefaultHashFor(key) : ParseHash(hash);

        private static HashAlgorithmName HashForCurve(string curve) => curve switch
        {
            "P-384" => HashAlgorithmName.SHA384,
            "P-521" => HashAlgorithmName.SHA512,
            _ => HashAlgorithmName.SHA256,
        };

        public static HashAlgorithmName ParseHash(string? hash)
        {
            string text = (hash ?? "SHA256").Trim().Replace("-", string.Empty).ToUpperInvariant();
            switch (text)
            {
                case "SHA256":
                    return HashAlgorithmName.SHA256;
                case "SHA384":
                    return HashAlgorithmName.SHA384;
                case "SHA512":
                    return HashAlgorithmName.SHA512;
                case "MD5":
                case "MD4":
                case "MD2":
                case "SHA1":
                case "SHA":
                case "SHA224":
                    throw Errors.HashAlgorithmWeak(hash!.Trim());
                default:
                    throw Errors.HashAlgorithmUnsupported(hash!.Trim());
            }
        }

        private static string ParseCurve(string? curve)
        {
            string text = (curve ?? "P256").Trim().Replace("-", string.Empty).ToUpperInvariant();
            switch (text)
            {
                case "P256":
                case "NISTP256":
                case "PRIME256V1":
                case "SECP256R1":
                    return "P-256";
                case "P384":
                case "NISTP384":
                case "SECP384R1":
                    return "P-384";
                case "P521":
                case "NISTP521":
                case "SECP521R1":
                    return "P-521";
                default:
                    throw Errors.CurveUnsupported(curve!.Trim());
            }
        }
    }
}
