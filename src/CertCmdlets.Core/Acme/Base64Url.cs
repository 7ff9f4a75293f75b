using System;
using System.Text;

namespace CertCmdlets.Core.Acme
{
    /// <summary>base64url without padding (RFC 4648 section 5), as JOSE and ACME use it.</summary>
    internal static class Base64Url
    {
        public static string Encode(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        public static string Encode(string text) => Encode(new UTF8Encoding(false).GetBytes(text));

        /// <summary>
        /// Decodes base64url held in a character buffer (a secret copied out of a SecureString), without making a string
        /// of it; padding and surrounding whitespace allowed. Null when it is not base64url. The caller clears both arrays.
        /// </summary>
        public static byte[]? TryDecodeSecret(char[] characters)
        {
            int start = 0;
            int end = characters.Length;
            while (start < end && char.IsWhiteSpace(characters[start]))
            {
                start++;
            }

            while (end > start && (char.IsWhiteSpace(characters[end - 1]) || characters[end - 1] == '='))
            {
                end--;
            }

            int length = end - start;
            if (length == 0 || length % 4 == 1)
            {
                return null;
            }

            var output = new byte[length * 3 / 4];
            int bits = 0;
            int accumulator = 0;
            int written = 0;
            for (int i = start; i < end; i++)
            {
                int value = Value(characters[i]);
                if (value < 0)
                {
                    Array.Clear(output, 0, output.Length);
                    return null;
                }

                accumulator = (accumulator << 6) | value;
                bits += 6;
                if (bits >= 8)
                {
                    bits -= 8;
                    output[written++] = (byte)((accumulator >> bits) & 0xFF);
                }
            }

            return output;
        }

        /// <summary>Decodes base64url (padding optional); null when the text is not base64url.</summary>
        public static byte[]? TryDecode(string text)
        {
            if (text is null)
            {
                return null;
            }

            string trimmed = text.Trim().TrimEnd('=');
            foreach (char c in trimmed)
            {
                bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
                if (!ok)
                {
                    return null;
                }
            }

            if (trimmed.Length % 4 == 1)
            {
                return null;
            }

            string standard = trimmed.Replace('-', '+').Replace('_', '/');
            standard += new string('=', (4 - (standard.Length % 4)) % 4);
            try
            {
                return Convert.FromBase64String(standard);
            }
            catch (FormatException)
            {
                return null;
            }
        }

        private static int Value(char c)
        {
            if (c >= 'A' && c <= 'Z')
            {
                return c - 'A';
            }

            if (c >= 'a' && c <= 'z')
            {
                return c - 'a' + 26;
            }

            if (c >= '0' && c <= '9')
            {
                return c - '0' + 52;
            }

            return c == '-' || c == '+' ? 62 : c == '_' || c == '/' ? 63 : -1;
        }
    }
}
