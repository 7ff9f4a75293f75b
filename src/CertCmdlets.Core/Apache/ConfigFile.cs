using System;
using System.Collections.Generic;
using System.Text;

namespace CertCmdlets.Core.Apache
{
    /// <summary>
    /// One httpd configuration file, kept as its physical lines with their own line ends, so every byte the
    /// editor does not own is written back exactly as it was: comments, blank lines, indentation, the case of
    /// directive names, quotes, continuations. It is parsed the way httpd reads it: continuation lines first,
    /// then comments, sections and directives (words split on blanks, quotes grouping, an unclosed quote
    /// running to the end of the line).
    /// </summary>
    internal sealed class ConfigFile
    {
        private readonly List<string> _lines;

        public ConfigFile(string path, string text)
        {
            Path = path;
            OriginalText = text;
            _lines = SplitLines(text);
            NewLine = text.Contains("\r\n") ? "\r\n" : "\n";
            Parse();
        }

        public string Path { get; }

        public string OriginalText { get; }

        /// <summary>The line end new lines get: the file's own.</summary>
        public string NewLine { get; }

        /// <summary>Top-level directives and sections, in order.</summary>
        public List<ConfigNode> Nodes { get; } = new List<ConfigNode>();

        public int LineCount => _lines.Count;

        public bool IsChanged => !string.Equals(Text, OriginalText, StringComparison.Ordinal);

        public string Text
        {
            get
            {
                var builder = new StringBuilder(OriginalText.Length + 256);
                foreach (string line in _lines)
                {
                    builder.Append(line);
                }

                return builder.ToString();
            }
        }

        /// <summary>A physical line without its line end.</summary>
        public string LineContent(int index) => _lines[index].TrimEnd('\r', '\n');

        /// <summary>Every node in the file, depth first.</summary>
        public IEnumerable<ConfigNode> AllNodes()
        {
            var stack = new Stack<IEnumerator<ConfigNode>>();
            stack.Push(Nodes.GetEnumerator());
            while (stack.Count > 0)
            {
                IEnumerator<ConfigNode> current = stack.Peek();
                if (!current.MoveNext())
                {
                    stack.Pop();
                    continue;
                }

                yield return current.Current;
                if (current.Current is ConfigSection section)
                {
                    stack.Push(section.Children.GetEnumerator());
                }
            }
        }

        /// <summary>Replaces lines [first, last] with <paramref name="newLines"/> (given without line ends), then re-parses.</summary>
        public void Replace(int first, int last, IEnumerable<string> newLines)
        {
            var replacement = new List<string>();
            foreach (string line in newLines)
            {
                replacement.Add(line + NewLine);
            }

            // Keep the original line end of the last replaced line when it had none (end of file).
            _lines.RemoveRange(first, last - first + 1);
            _lines.InsertRange(first, replacement);
            Parse();
        }

        /// <summary>Inserts lines before line <paramref name="index"/> (LineCount appends), then re-parses.</summary>
        public void Insert(int index, IEnumerable<string> newLines)
        {
            var insertion = new List<string>();
            foreach (string line in newLines)
            {
                insertion.Add(line + NewLine);
            }

            if (index == _lines.Count && _lines.Count > 0 && !_lines[_lines.Count - 1].EndsWith("\n", StringComparison.Ordinal))
            {
                _lines[_lines.Count - 1] += NewLine;
            }

            _lines.InsertRange(index, insertion);
            Parse();
        }

        /// <summary>The words of an argument string as httpd splits them (quotes removed).</summary>
        public static List<string> SplitArguments(string text)
        {
            var words = new List<string>();
            int i = 0;
            while (i < text.Length)
            {
                while (i < text.Length && char.IsWhiteSpace(text[i]))
                {
                    i++;
                }

                if (i >= text.Length)
                {
                    break;
                }

                var word = new StringBuilder();
                char quote = text[i];
                if (quote == '"' || quote == '\'')
                {
                    i++;
                    while (i < text.Length && text[i] != quote)
                    {
                        if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] == quote)
                        {
                            i++;
                        }

                        word.Append(text[i]);
                        i++;
                    }

                    i++;
                }
                else
                {
                    while (i < text.Length && !char.IsWhiteSpace(text[i]))
                    {
                        word.Append(text[i]);
                        i++;
                    }
                }

                words.Add(word.ToString());
            }

            return words;
        }

        /// <summary>An argument written so httpd reads it back as one word.</summary>
        public static string Quote(string argument) =>
            argument.Length == 0 || argument.IndexOfAny(new[] { ' ', '\t', '"', '\'', '#' }) >= 0
                ? "\"" + argument.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\""
                : argument;

        private static List<string> SplitLines(string text)
        {
            var lines = new List<string>();
            int start = 0;
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] == '\n')
                {
                    lines.Add(text.Substring(start, i - start + 1));
                    start = i + 1;
                }
            }

            if (start < text.Length)
            {
                lines.Add(text.Substring(start));
            }

            return lines;
        }

        private void Parse()
        {
            Nodes.Clear();
            var open = new Stack<ConfigSection>();
            int index = 0;
            while (index < _lines.Count)
            {
                int first = index;
                var logical = new StringBuilder();
                string content = LineContent(index);
                while (content.EndsWith("\\", StringComparison.Ordinal) && index + 1 < _lines.Count)
                {
                    // httpd joins continuation lines before anything else, comments included.
                    logical.Append(content, 0, content.Length - 1).Append(' ');
                    index++;
                    content = LineContent(index);
                }

                logical.Append(content.EndsWith("\\", StringComparison.Ordinal) ? content.Substring(0, content.Length - 1) : content);
                int last = index;
                index++;

                string raw = logical.ToString();
                string trimmed = raw.Trim();
                if (trimmed.Length == 0 || trimmed[0] == '#')
                {
                    continue;
                }

                string indent = LineContent(first).Substring(0, LineContent(first).Length - LineContent(first).TrimStart().Length);
                if (trimmed.StartsWith("</", StringComparison.Ordinal))
                {
                    CloseSections(trimmed, first, open);
                    continue;
                }

                if (trimmed[0] == '<')
                {
                    int close = trimmed.LastIndexOf('>');
                    if (close < 0)
                    {
                        throw new ApacheConfigException(Path, first + 1, $"the section '{trimmed}' has no closing '>'.");
                    }

                    string inner = trimmed.Substring(1, close - 1).Trim();
                    int space = IndexOfWhiteSpace(inner);
                    string name = space < 0 ? inner : inner.Substring(0, space);
                    var section = new ConfigSection(this, name, SplitArguments(space < 0 ? string.Empty : inner.Substring(space)), first, indent);
                    Add(section, open);
                    open.Push(section);
                    string rest = trimmed.Substring(close + 1).Trim();
                    if (rest.StartsWith("</", StringComparison.Ordinal))
                    {
                        CloseSections(rest, first, open);
                    }

                    continue;
                }

                int split = IndexOfWhiteSpace(trimmed);
                string directive = split < 0 ? trimmed : trimmed.Substring(0, split);
                Add(new ConfigDirective(this, directive, SplitArguments(split < 0 ? string.Empty : trimmed.Substring(split)), first, last, indent), open);
            }

            if (open.Count > 0)
            {
                ConfigSection unclosed = open.Peek();
                throw new ApacheConfigException(Path, unclosed.FirstLine + 1, $"<{unclosed.Name}> is never closed (no </{unclosed.Name}>).");
            }
        }

        private void CloseSections(string text, int line, Stack<ConfigSection> open)
        {
            string rest = text;
            bool shared = false;
            while (rest.StartsWith("</", StringComparison.Ordinal))
            {
                int end = rest.IndexOf('>');
                if (end < 0)
                {
                    throw new ApacheConfigException(Path, line + 1, $"'{rest}' is not closed with '>'.");
                }

                string name = rest.Substring(2, end - 2).Trim();
                if (open.Count == 0)
                {
                    throw new ApacheConfigException(Path, line + 1, $"</{name}> closes a section that was never opened.");
                }

                ConfigSection section = open.Pop();
                if (!string.Equals(section.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    throw new ApacheConfigException(Path, line + 1, $"</{name}> does not match <{section.Name}> opened on line {section.FirstLine + 1}.");
                }

                section.CloseLine = line;
                rest = rest.Substring(end + 1).Trim();
                section.CloseShared = shared || rest.Length > 0 || section.FirstLine == line;
                shared = true;
            }
        }

        private void Add(ConfigNode node, Stack<ConfigSection> open)
        {
            if (open.Count == 0)
            {
                Nodes.Add(node);
                return;
            }

            ConfigSection parent = open.Peek();
            node.Parent = parent;
            parent.Children.Add(node);
        }

        private static int IndexOfWhiteSpace(string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                if (char.IsWhiteSpace(text[i]))
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
