namespace CertCmdlets.Core.Apache
{
    /// <summary>
    /// File name matching as httpd's Include does it (APR's apr_fnmatch with APR_FNM_PERIOD, one path component at a
    /// time): <c>*</c>, <c>?</c>, <c>[set]</c> with ranges and <c>!</c>/<c>^</c> negation, backslash escapes, and a
    /// leading period matched only by a leading period. No regular expression is built, so no pattern can throw: a
    /// reversed range such as <c>[z-a]</c> matches nothing, and a <c>[</c> without its <c>]</c> is an ordinary
    /// character - both exactly as APR behaves.
    /// </summary>
    internal static class Fnmatch
    {
        /// <summary>Whether httpd treats a path as a pattern (apr_fnmatch_test): an unescaped * or ?, or a [ with a later ].</summary>
        public static bool IsPattern(string text)
        {
            bool open = false;
            for (int i = 0; i < text.Length; i++)
            {
                switch (text[i])
                {
                    case '*':
                    case '?':
                        return true;
                    case '\\':
                        if (++i >= text.Length)
                        {
                            return false;
                        }

                        break;
                    case '[':
                        open = true;
                        break;
                    case ']':
                        if (open)
                        {
                            return true;
                        }

                        break;
                }
            }

            return false;
        }

        /// <summary>Whether <paramref name="name"/> (one path component) matches <paramref name="pattern"/>.</summary>
        public static bool Match(string pattern, string name)
        {
            int p = 0;
            int s = 0;

            // APR_FNM_PERIOD: a leading period must be matched by a period in the pattern, never by a wildcard.
            if (name.Length > 0 && name[0] == '.')
            {
                if (p < pattern.Length && pattern[p] == '.')
                {
                    p++;
                }
                else if (p + 1 < pattern.Length && pattern[p] == '\\' && pattern[p + 1] == '.')
                {
                    p += 2;
                }
                else
                {
                    return false;
                }

                s++;
            }

            int starPattern = -1;
            int starName = -1;
            while (s < name.Length)
            {
                if (p < pattern.Length && pattern[p] == '*')
                {
                    while (p < pattern.Length && pattern[p] == '*')
                    {
                        p++;
                    }

                    starPattern = p;
                    starName = s;
                    continue;
                }

                if (p < pattern.Length && MatchOne(pattern, ref p, name[s]))
                {
                    s++;
                    continue;
                }

                if (starPattern < 0)
                {
                    return false;
                }

                p = starPattern;
                s = ++starName;
            }

            while (p < pattern.Length && pattern[p] == '*')
            {
                p++;
            }

            return p == pattern.Length;
        }

        /// <summary>Matches one character at pattern position <paramref name="p"/> (advancing past it) against <paramref name="c"/>.</summary>
        private static bool MatchOne(string pattern, ref int p, char c)
        {
            char first = pattern[p];
            if (first == '?')
            {
                p++;
                return true;
            }

            if (first == '[')
            {
                int end = SetEnd(pattern, p);
                if (end > 0)
                {
                    bool matched = InSet(pattern, p + 1, end, c);
                    p = end + 1;
                    return matched;
                }

                // No closing ']': the '[' is an ordinary character.
                p++;
                return c == '[';
            }

            if (first == '\\' && p + 1 < pattern.Length)
            {
                p += 2;
                return pattern[p - 1] == c;
            }

            p++;
            return first == c;
        }

        /// <summary>The index of the ']' closing the set that opens at <paramref name="open"/>, or -1.</summary>
        private static int SetEnd(string pattern, int open)
        {
            int i = open + 1;
            if (i < pattern.Length && (pattern[i] == '!' || pattern[i] == '^'))
            {
                i++;
            }

            // ']' right after the opening (or the negation) is an ordinary member.
            if (i < pattern.Length && pattern[i] == ']')
            {
                i++;
            }

            while (i < pattern.Length)
            {
                if (pattern[i] == ']')
                {
                    return i;
                }

                if (pattern[i] == '\\' && i + 1 < pattern.Length)
                {
                    i++;
                }

                if (i + 2 < pattern.Length && pattern[i + 1] == '-' && pattern[i + 2] != ']')
                {
                    i += pattern[i + 2] == '\\' && i + 3 < pattern.Length ? 3 : 2;
                }

                i++;
            }

            return -1;
        }

        private static bool InSet(string pattern, int start, int end, char c)
        {
            bool negate = start < end && (pattern[start] == '!' || pattern[start] == '^');
            int i = negate ? start + 1 : start;
            bool found = false;
            while (i < end)
            {
                char member = pattern[i];
                if (member == '\\' && i + 1 < end)
                {
                    i++;
                    member = pattern[i];
                }

                if (i + 2 < end && pattern[i + 1] == '-')
                {
                    int high = i + 2;
                    if (pattern[high] == '\\' && high + 1 < end)
                    {
                        high++;
                    }

                    // A reversed range (z-a) holds nothing, as in APR.
                    if (c >= member && c <= pattern[high])
                    {
                        found = true;
                    }

                    i = high + 1;
                    continue;
                }

                if (c == member)
                {
                    found = true;
                }

                i++;
            }

            return found != negate;
        }
    }
}
