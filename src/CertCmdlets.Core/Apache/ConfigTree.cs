using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace CertCmdlets.Core.Apache
{
    /// <summary>
    /// A whole configuration as httpd would read it: the main file and every file its Include and
    /// IncludeOptional directives bring in (globs, directories, ${VARIABLES} from Define and the environment),
    /// relative paths taken from ServerRoot. Conditional sections are read as if true.
    /// </summary>
    internal sealed class ConfigTree
    {
        private static readonly Regex s_variable = new Regex(@"\$\{([A-Za-z0-9_]+)\}", RegexOptions.CultureInvariant);
        private readonly Dictionary<string, string> _variables;

        private ConfigTree(string serverRoot, IDictionary<string, string> variables)
        {
            ServerRoot = serverRoot;
            _variables = new Dictionary<string, string>(variables, StringComparer.Ordinal);
        }

        public string ServerRoot { get; private set; }

        public ConfigFile Main { get; private set; } = null!;

        /// <summary>Every file read, in reading order.</summary>
        public List<ConfigFile> Files { get; } = new List<ConfigFile>();

        public static ConfigTree Load(string mainPath, string serverRoot, IDictionary<string, string> variables)
        {
            var tree = new ConfigTree(serverRoot, variables);
            tree.Main = tree.Read(mainPath, new HashSet<string>(StringComparer.Ordinal));
            return tree;
        }

        /// <summary>A file already read (by full path), or null.</summary>
        public ConfigFile? Find(string path)
        {
            string full = System.IO.Path.GetFullPath(path);
            return Files.FirstOrDefault(f => string.Equals(f.Path, full, StringComparison.Ordinal));
        }

        /// <summary>Every node of the configuration in httpd's reading order, included files at their Include.</summary>
        public IEnumerable<ConfigNode> Walk() => Walk(Main, new HashSet<ConfigFile>());

        public string Expand(string value) => s_variable.Replace(value, m => _variables.TryGetValue(m.Groups[1].Value, out string? v) ? v : m.Value);

        public string Resolve(string path)
        {
            string expanded = Expand(path);
            return System.IO.Path.IsPathRooted(expanded) ? expanded : System.IO.Path.Combine(ServerRoot, expanded);
        }

        /// <summary>Reads a file, or re-reads it after the editor created it.</summary>
        public ConfigFile Read(string path, HashSet<string> reading)
        {
            string full = System.IO.Path.GetFullPath(path);
            if (reading.Contains(full))
            {
                throw new ApacheConfigException(full, 1, "it includes itself, directly or through other files (an Include loop); httpd refuses it.");
            }

            ConfigFile? known = Files.FirstOrDefault(f => f.Path == full);
            if (known is not null)
            {
                return known;
            }

            reading.Add(full);

            string text;
            try
            {
                text = File.ReadAllText(full, new UTF8Encoding(false));
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new ApacheConfigException(full, 0, "it cannot be read: " + ex.Message);
            }

            var file = new ConfigFile(full, text);
            Files.Add(file);
            foreach (ConfigNode node in file.AllNodes())
            {
                if (node is not ConfigDirective directive)
                {
                    continue;
                }

                if (directive.Is("Define") && directive.Arguments.Count >= 1)
                {
                    _variables[directive.Arguments[0]] = directive.Arguments.Count > 1 ? Expand(directive.Arguments[1]) : string.Empty;
                }
                else if (directive.Is("ServerRoot") && directive.Arguments.Count == 1 && file == Files[0])
                {
                    ServerRoot = Expand(directive.Arguments[0]);
                }
                else if ((directive.Is("Include") || directive.Is("IncludeOptional")) && directive.Arguments.Count >= 1)
                {
                    bool optional = directive.Is("IncludeOptional");
                    foreach (string included in ExpandInclude(directive.Arguments[0], optional, file, directive))
                    {
                        directive.Included.Add(Read(included, reading));
                    }
                }
            }

            reading.Remove(full);
            return file;
        }

        private IEnumerable<ConfigNode> Walk(ConfigFile file, HashSet<ConfigFile> seen)
        {
            if (!seen.Add(file))
            {
                yield break;
            }

            foreach (ConfigNode node in file.AllNodes())
            {
                yield return node;
                if (node is ConfigDirective directive)
                {
                    foreach (ConfigFile included in directive.Included)
                    {
                        foreach (ConfigNode inner in Walk(included, seen))
                        {
                            yield return inner;
                        }
                    }
                }
            }
        }

        private List<string> ExpandInclude(string pattern, bool optional, ConfigFile file, ConfigDirective directive)
        {
            string path = Resolve(pattern);
            if (path.IndexOfAny(new[] { '*', '?', '[' }) < 0)
            {
                if (Directory.Exists(path))
                {
                    return Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).OrderBy(p => p, StringComparer.Ordinal).ToList();
                }

                if (File.Exists(path))
                {
                    return new List<string> { path };
                }

                if (optional)
                {
                    return new List<string>();
                }

                throw new ApacheConfigException(file.Path, directive.FirstLine + 1, $"Include names '{path}', which does not exist (httpd would refuse to start).");
            }

            var matches = Glob(path);
            if (matches.Count == 0 && !optional)
            {
                throw new ApacheConfigException(file.Path, directive.FirstLine + 1, $"Include '{pattern}' matches no file, which httpd refuses. Use IncludeOptional, or add the file.");
            }

            return matches;
        }

        /// <summary>fnmatch-style globbing (*, ?, [...]) in any path component, sorted as httpd sorts.</summary>
        private static List<string> Glob(string pattern)
        {
            string root = System.IO.Path.GetPathRoot(pattern) ?? string.Empty;
            string[] parts = pattern.Substring(root.Length).Split(new[] { '/', '\\' }, StringSplitOptions.RemoveEmptyEntries);
            var current = new List<string> { root.Length == 0 ? "." : root };
            for (int i = 0; i < parts.Length; i++)
            {
                bool lastPart = i == parts.Length - 1;
                var next = new List<string>();
                foreach (string directory in current)
                {
                    if (!Directory.Exists(directory))
                    {
                        continue;
                    }

                    if (parts[i].IndexOfAny(new[] { '*', '?', '[' }) < 0)
                    {
                        string candidate = System.IO.Path.Combine(directory, parts[i]);
                        if (lastPart ? File.Exists(candidate) : Directory.Exists(candidate))
                        {
                            next.Add(candidate);
                        }

                        continue;
                    }

                    Regex regex = FnmatchRegex(parts[i]);
                    IEnumerable<string> entries = lastPart ? Directory.EnumerateFiles(directory) : Directory.EnumerateDirectories(directory);
                    bool dotAllowed = parts[i].StartsWith(".", StringComparison.Ordinal);
                    next.AddRange(entries
                        .Where(e => regex.IsMatch(System.IO.Path.GetFileName(e)) && (dotAllowed || !System.IO.Path.GetFileName(e).StartsWith(".", StringComparison.Ordinal)))
                        .OrderBy(e => e, StringComparer.Ordinal));
                }

                current = next;
            }

            return current;
        }

        private static Regex FnmatchRegex(string pattern)
        {
            var builder = new StringBuilder("^");
            for (int i = 0; i < pattern.Length; i++)
            {
                char c = pattern[i];
                switch (c)
                {
                    case '*':
                        builder.Append("[^/]*");
                        break;
                    case '?':
                        builder.Append("[^/]");
                        break;
                    case '[':
                        int close = pattern.IndexOf(']', i + 1);
                        if (close < 0)
                        {
                            builder.Append("\\[");
                            break;
                        }

                        string set = pattern.Substring(i + 1, close - i - 1);
                        builder.Append('[').Append(set.StartsWith("!", StringComparison.Ordinal) ? "^" + Regex.Escape(set.Substring(1)) : Regex.Escape(set).Replace("\\-", "-")).Append(']');
                        i = close;
                        break;
                    default:
                        builder.Append(Regex.Escape(c.ToString()));
                        break;
                }
            }

            return new Regex(builder.Append('$').ToString(), RegexOptions.CultureInvariant);
        }
    }
}
