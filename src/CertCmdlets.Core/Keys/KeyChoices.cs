using System;
using System.Collections.Generic;
using System.Linq;

namespace CertCmdlets.Core.Keys
{
    /// <summary>One strong choice of key or hash, as a user types it, with a word on when to take it.</summary>
    public sealed class KeyChoice
    {
        internal KeyChoice(string value, string description)
        {
            Value = value;
            Description = description;
        }

        /// <summary>The value as a parameter takes it: "RSA", "3072", "P384", "SHA256".</summary>
        public string Value { get; }

        /// <summary>A short description for a completion tooltip.</summary>
        public string Description { get; }
    }

    /// <summary>
    /// The strong values of -KeyAlgorithm, -KeySize, -Curve and -HashAlgorithm: what <see cref="KeySpec"/> accepts (its
    /// aliases, such as secp384r1, aside), listed once for tab completion. Immutable; touches no BouncyCastle type.
    /// </summary>
    public static class KeyChoices
    {
        /// <summary>-KeyAlgorithm.</summary>
        public static IReadOnlyList<KeyChoice> KeyAlgorithms { get; } = new[]
        {
            new KeyChoice("RSA", "RSA (default): every client accepts it"),
            new KeyChoice("ECDSA", "ECDSA: smaller and faster keys; choose the curve with -Curve"),
        };

        /// <summary>-KeySize (RSA).</summary>
        public static IReadOnlyList<KeyChoice> RsaKeySizes { get; } = new[]
        {
            new KeyChoice("2048", "RSA 2048 bits: the default for servers"),
            new KeyChoice("3072", "RSA 3072 bits: the default for CAs"),
            new KeyChoice("4096", "RSA 4096 bits: slower, several seconds to make"),
        };

        /// <summary>-Curve (ECDSA).</summary>
        public static IReadOnlyList<KeyChoice> Curves { get; } = new[]
        {
            new KeyChoice("P256", "NIST P-256 (default), signed with SHA-256"),
            new KeyChoice("P384", "NIST P-384, signed with SHA-384"),
            new KeyChoice("P521", "NIST P-521, signed with SHA-512"),
        };

        /// <summary>-HashAlgorithm.</summary>
        public static IReadOnlyList<KeyChoice> HashAlgorithms { get; } = new[]
        {
            new KeyChoice("SHA256", "SHA-256 (default for RSA and P-256 keys)"),
            new KeyChoice("SHA384", "SHA-384 (default for P-384 keys)"),
            new KeyChoice("SHA512", "SHA-512 (default for P-521 keys)"),
        };

        /// <summary>True for an RSA key size the module makes.</summary>
        internal static bool IsRsaKeySize(int size) =>
            RsaKeySizes.Any(choice => string.Equals(choice.Value, size.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
    }
}
