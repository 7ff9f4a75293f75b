using System;
using System.Text;

namespace CertCmdlets
{
    /// <summary>PEM encoding (RFC 7468): the one writer of BEGIN/END blocks, shared with the engine.</summary>
    internal static class PemText
    {
        /// <summary>A PEM block: 64 base64 characters per line, '\n' line ends, a final line end.</summary>
        public static string Encode(string label, byte[] der)
        {
            string base64 = Convert.ToBase64String(der);
            var builder = new StringBuilder(base64.Length + (base64.Length / 64) + (2 * label.Length) + 40);
            builder.Append("-----BEGIN ").Append(label).Append("-----\n");
            for (int i = 0; i < base64.Length; i += 64)
            {
                builder.Append(base64, i, Math.Min(64, base64.Length - i)).Append('\n');
            }

            builder.Append("-----END ").Append(label).Append("-----\n");
            return builder.ToString();
        }
    }
}
