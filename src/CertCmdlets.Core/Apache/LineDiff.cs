using System;
using System.Text;

namespace CertCmdlets.Core.Apache
{
    /// <summary>
    /// A unified-style diff for -WhatIf. The editor changes a few places in a file, so the diff shows each
    /// changed region with two lines of context, found by trimming common lines from both ends of each gap.
    /// </summary>
    internal static class LineDiff
    {
        public static string Unified(string before, string after, string path)
        {
            string[] a = Lines(before);
            string[] b = Lines(after);
            var builder = new StringBuilder();
            builder.Append("--- ").Append(path).Append('\n').Append("+++ ").Append(path).Append('\n');

            int i = 0;
            int j = 0;
            while (i < a.Length || j < b.Length)
            {
                if (i < a.Length && j < b.Length && a[i] == b[j])
                {
                    i++;
                    j++;
                    continue;
                }

                // Find the next point where the files agree again: the smallest (di + dj) with a[i+di] == b[j+dj]
                // followed by an equal line (a cheap resynchronisation, good for the editor's local changes).
                int resyncA = a.Length;
                int resyncB = b.Length;
                for (int distance = 1; distance <= (a.Length - i) + (b.Length - j); distance++)
                {
                    bool found = false;
                    for (int di = 0; di <= distance; di++)
                    {
                        int dj = distance - di;
                        int x = i + di;
                        int y = j + dj;
                        if (x < a.Length && y < b.Length && a[x] == b[y] && (x + 1 >= a.Length || y + 1 >= b.Length || a[x + 1] == b[y + 1]))
                        {
                            resyncA = x;
                            resyncB = y;
                            found = true;
                            break;
                        }
                    }

                    if (found || distance > 400)
                    {
                        break;
                    }
                }

                builder.Append("@@ -").Append(i + 1).Append(" +").Append(j + 1).Append(" @@\n");
                for (int c = Math.Max(0, i - 2); c < i; c++)
                {
                    builder.Append(' ').Append(a[c]).Append('\n');
                }

                for (; i < resyncA; i++)
                {
                    builder.Append('-').Append(a[i]).Append('\n');
                }

                for (; j < resyncB; j++)
                {
                    builder.Append('+').Append(b[j]).Append('\n');
                }
            }

            return builder.ToString();
        }

        private static string[] Lines(string text) =>
            text.Length == 0 ? Array.Empty<string>() : text.Replace("\r\n", "\n").TrimEnd('\n').Split('\n');
    }
}
