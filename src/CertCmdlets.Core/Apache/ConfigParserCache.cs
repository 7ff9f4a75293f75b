using System.Collections.Generic;
using System.Text;

namespace CertCmdlets.Core.Apache
{
    /// <summary>
    /// What the parser of one tree reuses from file to file: one string per distinct directive name and indentation
    /// (75,000 nodes share a few dozen strings instead of owning a copy each; a name already seen is found from its bytes
    /// without allocating), and scratch space for section nesting and continuation lines. Owned by one tree (no global
    /// state), used by one thread at a time.
    /// </summary>
    internal sealed class ConfigParserCache
    {
        private static readonly UTF8Encoding s_utf8 = new UTF8Encoding(false);
        private string?[] _slots = new string?[128];
        private int _count;

        /// <summary>Open sections while a file is parsed.</summary>
        public Stack<ConfigSection> Sections { get; } = new Stack<ConfigSection>();

        /// <summary>A continued line joined (httpd joins continuation lines before anything else).</summary>
        public List<byte> Logical { get; } = new List<byte>();

        /// <summary>The pooled string for UTF-8 bytes [start, start + length).</summary>
        public string Get(byte[] source, int start, int length)
        {
            if (length == 0)
            {
                return string.Empty;
            }

            uint hash = 2166136261;
            bool ascii = true;
            for (int i = start; i < start + length; i++)
            {
                hash = (hash ^ source[i]) * 16777619;
                ascii &= source[i] < 0x80;
            }

            if (!ascii)
            {
                // Rare (a name or an indentation with non-ASCII characters): decode, then pool by the text.
                string decoded = s_utf8.GetString(source, start, length);
                return Find(decoded, Hash(decoded)) ?? Add(decoded, Hash(decoded));
            }

            int mask = _slots.Length - 1;
            int slot = (int)(hash & (uint)mask);
            while (true)
            {
                string? candidate = _slots[slot];
                if (candidate is null)
                {
                    break;
                }

                if (candidate.Length == length && SameAscii(candidate, source, start))
                {
                    return candidate;
                }

                slot = (slot + 1) & mask;
            }

            return Add(Encoding.ASCII.GetString(source, start, length), hash);
        }

        private static bool SameAscii(string candidate, byte[] source, int start)
        {
            for (int i = 0; i < candidate.Length; i++)
            {
                if (candidate[i] != source[start + i])
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>The hash of a string as its UTF-8 bytes would hash (for ASCII text, byte = char).</summary>
        private static uint Hash(string value)
        {
            byte[] bytes = s_utf8.GetBytes(value);
            uint hash = 2166136261;
            foreach (byte b in bytes)
            {
                hash = (hash ^ b) * 16777619;
            }

            return hash;
        }

        private string? Find(string value, uint hash)
        {
            int mask = _slots.Length - 1;
            int slot = (int)(hash & (uint)mask);
            while (_slots[slot] is string candidate)
            {
                if (candidate == value)
                {
                    return candidate;
                }

                slot = (slot + 1) & mask;
            }

            return null;
        }

        private string Add(string value, uint hash)
        {
            int mask = _slots.Length - 1;
            int slot = (int)(hash & (uint)mask);
            while (_slots[slot] is not null)
            {
                slot = (slot + 1) & mask;
            }

            _slots[slot] = value;
            if (++_count * 2 > _slots.Length)
            {
                string?[] old = _slots;
                _slots = new string?[old.Length * 2];
                _count = 0;
                foreach (string? existing in old)
                {
                    if (existing is not null)
                    {
                        Add(existing, Hash(existing));
                    }
                }
            }

            return value;
        }
    }
}
