using System;
using System.Globalization;
using System.Text;
using Org.BouncyCastle.Asn1;

namespace CertCmdlets.Core.Naming
{
    /// <summary>
    /// Internationalized DNS names as the module shows them: every name in its A-label form ("xn--bcher-kva.de"),
    /// the form RFC 5280 puts in certificates, DNS and Apache use, and every console shows without loss. A certificate
    /// or request that carries the name as raw UTF-8 (certbot's IDN requests, some real sites) is read as UTF-8, never
    /// as '?', and shown by its A-label too, so one name has one spelling everywhere and compares equal.
    /// </summary>
    internal static class IdnNames
    {
        private static readonly UTF8Encoding s_strictUtf8 = new UTF8Encoding(false, true);

        /// <summary>The characters of a dNSName (an IA5String, which real files fill with UTF-8 too), without loss.</summary>
        public static string Text(Asn1Encodable name)
        {
            if (name is not DerIA5String ia5)
            {
                return name is IAsn1String text ? text.GetString() : string.Empty;
            }

            byte[] octets = ia5.GetOctets();
            if (IsAscii(octets))
            {
                return ia5.GetString();
            }

            try
            {
                return s_strictUtf8.GetString(octets);
            }
            catch (ArgumentException)
            {
                // Not UTF-8 either: one character per byte (Latin-1), as openssl's \xNN escapes show them, never '?'.
                var builder = new StringBuilder(octets.Length);
                foreach (byte b in octets)
                {
                    builder.Append((char)b);
                }

                return builder.ToString();
            }
        }

        /// <summary>True when the dNSName's bytes are plain ASCII, as the standard wants them.</summary>
        public static bool IsAscii(Asn1Encodable name) => name is not DerIA5String ia5 || IsAscii(ia5.GetOctets());

        /// <summary>
        /// The A-label form of a DNS name (wildcard kept): ASCII names unchanged, names with other characters through
        /// IDNA (lower-cased, as IDNA does); null when the name has characters IDNA cannot map.
        /// </summary>
        public static string? ToALabel(string name)
        {
            if (IsAscii(name))
            {
                return name;
            }

            bool wildcard = name.StartsWith("*.", StringComparison.Ordinal);
            string rest = wildcard ? name.Substring(2) : name;
            try
            {
                // Underscores and other characters outside host-name rules do occur in real certificates: only the
                // non-ASCII part is the question here.
                string ascii = new IdnMapping { AllowUnassigned = true, UseStd3AsciiRules = false }.GetAscii(rest.TrimEnd('.'));
                return wildcard ? "*." + ascii : ascii;
            }
            catch (ArgumentException)
            {
                return null;
            }
        }

        /// <summary>How the module shows a DNS name read from a certificate or request: its A-label, or its text when it has none.</summary>
        public static string Display(Asn1Encodable name)
        {
            string text = Text(name);
            return ToALabel(text) ?? text;
        }

        /// <summary>The Unicode form (U-label) of an A-label name, for messages; the name itself when it has none.</summary>
        public static string Unicode(string name)
        {
            if (name.IndexOf("xn--", StringComparison.OrdinalIgnoreCase) < 0)
            {
                return name;
            }

            try
            {
                bool wildcard = name.StartsWith("*.", StringComparison.Ordinal);
                string unicode = new IdnMapping { AllowUnassigned = true, UseStd3AsciiRules = false }.GetUnicode(wildcard ? name.Substring(2) : name);
                return wildcard ? "*." + unicode : unicode;
            }
            catch (ArgumentException)
            {
                return name;
            }
        }

        private static bool IsAscii(byte[] octets)
        {
            foreach (byte b in octets)
            {
                if (b > 0x7F)
                {
                    return false;
                }
            }

            return true;
        }

        private static bool IsAscii(string text)
        {
            foreach (char c in text)
            {
                if (c > 0x7F)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
