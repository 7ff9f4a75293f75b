namespace CertCmdlets.Core.Apache
{
    /// <summary>
    /// One string per distinct directive name and indentation of a configuration tree: 75,000 nodes share a few dozen
    /// strings instead of owning a copy each. Looked up from a range of the file's text, so a name already seen costs no
    /// allocation. Owned by one tree (no global state).
    /// </summary>
    internal sealed class NamePool
    {
        private string?[] _slots = new string?[128];
        private int _count;

        public string Get(string source, int start, int length)
        {
            if (length == 0)
            {
                return string.Empty;
            }

            uint hash = Hash(source, start, length);
            int mask = _slots.Length - 1;
            int slot = (int)(hash & (uint)mask);
            while (true)
            {
                string? candidate = _slots[slot];
                if (candidate is null)
                {
                    break;
                }

                if (candidate.Length == length && string.CompareOrdinal(candidate, 0, source, start, length) == 0)
                {
                    return candidate;
                }

                slot = (slot + 1) & mask;
            }

            string value = source.Substring(start, length);
            _slots[slot] = value;
            if (++_count * 2 > _slots.Length)
            {
                Grow();
            }

            return value;
        }

        private void Grow()
        {
            string?[] old = _slots;
            _slots = new string?[old.Length * 2];
            int mask = _slots.Length - 1;
            foreach (string? value in old)
            {
                if (value is null)
                {
                    continue;
                }

                int slot = (int)(Hash(value, 0, value.Length) & (uint)mask);
                while (_slots[slot] is not null)
                {
                    slot = (slot + 1) & mask;
                }

                _slots[slot] = value;
            }
        }

        private static uint Hash(string source, int start, int length)
        {
            uint hash = 2166136261;
            for (int i = start; i < start + length; i++)
            {
                hash = (hash ^ source[i]) * 16777619;
            }

            return hash;
        }
    }
}
