using System;
using System.Collections.Generic;
using System.Text;

namespace CertCmdlets.Core.Apache
{
    /// <summary>
    /// A unified-style diff for -WhatIf and the result object. The file's line table already says which lines are
    /// original (and which original line each one is) and which the editor wrote, so the changed regions are read off
    /// it in one pass, without comparing texts; only the lines an edit replaced with equal text are trimmed away.
    /// Each region shows two lines of context before it.
    /// </summary>
    internal static class LineDiff
    {
        public static string Unified(ConfigFile file)
        {
            var builder = new StringBuilder();
            builder.Append("--- ").Append(file.Path).Append('\n').Append("+++ ").Append(file.Path).Append('\n');
            int originals = file.IsNew ? 0 : file.OriginalLineCount;
            int lines = file.LineCount;
            int o = 0;
            int j = 0;
            while (j < lines || o < originals)
            {
                if (j < lines && file.OriginOf(j, out bool same) == o && same && o < originals)
                {
                    o++;
                    j++;
                    continue;
                }

                // A changed region: new lines up to the next original line that kept its place and its end.
                int k = j;
                int resume = originals;
                while (k < lines)
                {
                    int origin = file.OriginOf(k, out bool sameEnd);
                    if (origin >= o && sameEnd && !file.IsNew)
                    {
                        resume = origin;
                        break;
                    }

                    k++;
                }

                var removed = new List<string>();
                for (int r = o; r < resume; r++)
                {
                    removed.Add(file.OriginalLine(r));
                }

                var added = new List<string>();
                for (int a = j; a < k; a++)
                {
                    added.Add(file.LineContent(a));
                }

                int prefix = 0;
                while (prefix < removed.Count && prefix < added.Count && removed[prefix] == added[prefix])
                {
                    prefix++;
                }

                int suffix = 0;
                while (suffix < removed.Count - prefix && suffix < added.Count - prefix && removed[removed.Count - 1 - suffix] == added[added.Count - 1 - suffix])
                {
                    suffix++;
                }

                if (removed.Count - prefix - suffix > 0 || added.Count - prefix - suffix > 0)
                {
                    int from = o + prefix;
                    builder.Append("@@ -").Append(from + 1).Append(" +").Append(j + prefix + 1).Append(" @@\n");
                    for (int c = Math.Max(0, from - 2); c < from; c++)
                    {
                        builder.Append(' ').Append(file.OriginalLine(c)).Append('\n');
                    }

                    for (int r = prefix; r < removed.Count - suffix; r++)
                    {
                        builder.Append('-').Append(removed[r]).Append('\n');
                    }

                    for (int a = prefix; a < added.Count - suffix; a++)
                    {
                        builder.Append('+').Append(added[a]).Append('\n');
                    }
                }

                if (k == j && resume == o)
                {
                    // Nothing consumed (cannot happen with a consistent table); stop rather than loop.
                    break;
                }

                o = resume;
                j = k;
            }

            return builder.ToString();
        }
    }
}
