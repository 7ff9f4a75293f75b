using System;
using System.Collections.Generic;
using System.Text;

namespace CertCmdlets.Core.Certificates
{
    /// <summary>One PEM block: its label (CERTIFICATE, PRIVATE KEY...), RFC 1421 headers if any, and the decoded bytes.</summary>
    internal sealed class PemBlock
    {
        public PemBlock(string label, IReadOnlyDictionary<string, string> headers, byte[] data)
        {
            Label = label;
            Headers = headers;
            Data = data;
        }

        public string Label { get; }

        public IReadOnlyDictionary<string, string> Headers { get; }

        public byte[] Data { get; }
    }

    /// <summary>
    /// PEM text as administrators meet it: CRLF or LF, indented, with blank lines, with `openssl x509 -text`
    /// output or Bag Attributes around the blocks, pasted from an e-mail.
    /// </summary>
    internal static class Pem
    {
        private const string BeginMarker = "-----BEGIN ";
        private const string EndMarker = "-----END ";
        private const string Dashes = "-----";

        private static readonly IReadOnlyDictionary<string, string> s_noHeaders = new Dictionary<string, string>();

        /// <summary>
        /// The file as text when it is PEM: ASCII or UTF-8 (with or without a byte order mark), or UTF-16 with a
        /// byte order mark (what Windows PowerShell 5.1's Out-File and '>' write). False for binary (DER) data.
        /// </summary>
        public static bool TryReadText(byte[] data, out string text)
        {
            if (data.Length >= 2 && ((data[0] == 0xFF && data[1] == 0xFE) || (data[0] == 0xFE && data[1] == 0xFF)))
            {
                Encoding utf16 = data[0] == 0xFF ? Encoding.Unicode : Encoding.BigEndianUnicode;
                text = utf16.GetString(data, 2, data.Length - 2);
            }
            else
            {
                int start = data.Length >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF ? 3 : 0;
                text = Encoding.UTF8.GetString(data, start, data.Length - start);
            }

            // DER starts with 0x30 and never holds the marker in its first bytes; search the first 64 KiB of text.
            bool isPem = text.IndexOf(BeginMarker, 0, Math.Min(text.Length, 65536), StringComparison.Ordinal) >= 0;
            if (!isPem)
            {
                text = string.Empty;
            }

            return isPem;
        }

        /// <summary>
        /// Every well-formed block in the text, in order. A block whose base64 is damaged or whose END marker is
        /// missing throws <see cref="FormatException"/> with a reason in user words.
        /// </summary>
        public static List<PemBlock> ReadBlocks(string text)
        {
            var blocks = new List<PemBlock>();
            int position = 0;
            while (true)
            {
                int begin = text.IndexOf(BeginMarker, position, StringComparison.Ordinal);
                if (begin < 0)
                {
                    return blocks;
                }

                int labelStart = begin + BeginMarker.Length;
                int labelEnd = text.IndexOf(Dashes, labelStart, StringComparison.Ordinal);
                int lineEnd = IndexOfLineEnd(text, labelStart);
                if (labelEnd < 0 || labelEnd > lineEnd)
                {
                    throw new FormatException("a BEGIN line is not closed with '-----'.");
                }

                string label = text.Substring(labelStart, labelEnd - labelStart).Trim();
                string endLine = EndMarker + label + Dashes;
                int bodyStart = labelEnd + Dashes.Length;
                int end = text.IndexOf(endLine, bodyStart, StringComparison.Ordinal);
                if (end < 0)
                {
                    throw new FormatException($"the '{label}' block has no END line; the file may be truncated.");
                }

                blocks.Add(DecodeBody(label, text, bodyStart, end));
                position = end + endLine.Length;
            }
        }

        /// <summary>PEM text for DER bytes: 64-character lines, LF line ends, as OpenSSL writes it.</summary>
        public static string Encode(string label, byte[] der) => PemText.Encode(label, der);

        /// <summary>PEM text with RFC 1421 headers (legacy encrypted keys).</summary>
        public static string Encode(string label, IEnumerable<KeyValuePair<string, string>> headers, byte[] der)
        {
            string plain = Encode(label, der);
            int afterBegin = plain.IndexOf('\n') + 1;
            var headerText = new StringBuilder();
            foreach (KeyValuePair<string, string> header in headers)
            {
                headerText.Append(header.Key).Append(": ").Append(header.Value).Append('\n');
            }

            headerText.Append('\n');
            return plain.Insert(afterBegin, headerText.ToString());
        }

        private static PemBlock DecodeBody(string label, string text, int start, int end)
        {
            IReadOnlyDictionary<string, string> headers = s_noHeaders;
            int bodyStart = start;

            // RFC 1421 headers ("Proc-Type: 4,ENCRYPTED") come before the base64 and contain ':'.
            int firstLineStart = SkipLineBreaks(text, start, end);
            int firstLineEnd = IndexOfLineEnd(text, firstLineStart);
            if (firstLineEnd > end)
            {
                firstLineEnd = end;
            }

            if (text.IndexOf(':', firstLineStart, firstLineEnd - firstLineStart) >= 0)
            {
                var parsed = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                int lineStart = firstLineStart;
                while (lineStart < end)
                {
                    int lineEnd = Math.Min(IndexOfLineEnd(text, lineStart), end);
                    string line = text.Substring(lineStart, lineEnd - lineStart).Trim();
                    if (line.Length == 0)
                    {
                        bodyStart = lineEnd;
                        break;
                    }

                    int colon = line.IndexOf(':');
                    if (colon < 0)
                    {
                        bodyStart = lineStart;
                        break;
                    }

                    parsed[line.Substring(0, colon).Trim()] = line.Substring(colon + 1).Trim();
                    lineStart = SkipLineBreaks(text, lineEnd, end);
                    bodyStart = lineStart;
                }

                headers = parsed;
            }

            try
            {
                // Convert.FromBase64String skips spaces, tabs, CR and LF, so pasted or indented text decodes as is.
                byte[] data = Convert.FromBase64String(text.Substring(bodyStart, end - bodyStart));
                if (data.Length == 0)
                {
                    throw new FormatException($"the '{label}' block is empty.");
                }

                return new PemBlock(label, headers, data);
            }
            catch (FormatException ex) when (!ex.Message.StartsWith("the '", StringComparison.Ordinal))
            {
                throw new FormatException($"the '{label}' block is not valid base64; the file may be damaged or truncated.", ex);
            }
        }

        private static int IndexOfLineEnd(string text, int start)
        {
            for (int i = start; i < text.Length; i++)
            {
                if (text[i] == '\n' || text[i] == '\r')
                {
                    return i;
                }
            }

            return text.Length;
        }

        private static int SkipLineBreaks(string text, int start, int limit)
        {
            int i = start;
            while (i < limit && (text[i] == '\r' || text[i] == '\n' || text[i] == ' ' || text[i] == '\t'))
            {
                i++;
            }

            return i;
        }
    }
}
