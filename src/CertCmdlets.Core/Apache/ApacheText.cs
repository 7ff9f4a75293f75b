using System;
using System.Linq;

namespace CertCmdlets.Core.Apache
{
    /// <summary>How new lines are written so they look like the file they go into, and how file paths are written for httpd.</summary>
    internal static class ApacheText
    {
        /// <summary>True when the file indents with tabs more than with spaces.</summary>
        public static bool UsesTabs(ConfigFile file)
        {
            int tabs = 0;
            int spaces = 0;
            for (int i = 0; i < file.LineCount && i < 500; i++)
            {
                string line = file.LineContent(i);
                if (line.StartsWith("\t", StringComparison.Ordinal))
                {
                    tabs++;
                }
                else if (line.StartsWith("  ", StringComparison.Ordinal))
                {
                    spaces++;
                }
            }

            return tabs > spaces;
        }

        /// <summary>The indentation of a section's children: its first child's, else one level deeper than the section.</summary>
        public static string ChildIndent(ConfigFile file, ConfigSection section)
        {
            ConfigNode? child = section.Children.FirstOrDefault();
            if (child is not null)
            {
                return child.Indent;
            }

            return section.Indent + (UsesTabs(file) ? "\t" : "    ");
        }

        /// <summary>
        /// A file path as a directive argument: forward slashes for a Windows path (httpd on Windows takes them, and a
        /// backslash before a quote would escape it), quoted when it has spaces.
        /// </summary>
        public static string PathArgument(string path) => ConfigFile.Quote(IsWindowsPath(path) ? path.Replace('\\', '/') : path);

        /// <summary>A drive-letter or UNC path ("C:\Apache24\conf", "c:/certs", "\\server\share").</summary>
        public static bool IsWindowsPath(string path) =>
            (path.Length >= 3 && char.IsLetter(path[0]) && path[1] == ':' && (path[2] == '\\' || path[2] == '/'))
            || path.StartsWith("\\\\", StringComparison.Ordinal);

        /// <summary>
        /// Whether two file paths written in a configuration name the same file: Windows paths compare without regard
        /// to case and slash direction, POSIX paths exactly.
        /// </summary>
        public static bool SamePath(string a, string b)
        {
            if (IsWindowsPath(a) || IsWindowsPath(b))
            {
                return string.Equals(a.Replace('\\', '/').TrimEnd('/'), b.Replace('\\', '/').TrimEnd('/'), StringComparison.OrdinalIgnoreCase);
            }

            return string.Equals(a, b, StringComparison.Ordinal);
        }
    }
}
