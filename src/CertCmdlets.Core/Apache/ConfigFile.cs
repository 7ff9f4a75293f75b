using System;
using System.Collections.Generic;
using System.Linq;
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
        private readonly List<string> _contents = new List<string>();
        private readonly List<string> _ends = new List<string>();
        private readonly List<ConfigNode> _nodes = new List<ConfigNode>();
        private bool _parsed;

        public ConfigFile(string path, string text)
        {
            Path = path;
            OriginalText = text;
            SplitLines(text);
            NewLine = text.Contains("\r\n") ? "\r\n" : "\n";
            Parse();
        }

        public string Path { get; }

        public string OriginalText { get; }

        /// <summary>The line end new lines get: the file's own.</summary>
        public string NewLine { get; }

        /// <summary>Top-level directives and sections, in order. Edits re-parse the file only when it is next read.</summary>
        public List<ConfigNode> Nodes
        {
            get
            {
                if (!_parsed)
                {
                    Parse();
                }

                return _nodes;
            }
        }

        public int LineCount => _contents.Count;

        public bool IsChanged => !string.Equals(Text, OriginalText, StringComparison.Ordinal);

        public string Text
        {
            get
            {
                var builder = new StringBuilder(OriginalText.Length + 256);
                for (int i = 0; i < _contents.Count; i++)
                {
                    builder.Append(_contents[i]).Append(_ends[i]);
                }

                return builder.ToString();
            }
        }

        /// <summary>A physical line without its line end.</summary>
        public string LineContent(int index) => _contents[index];

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
            var replacement = new List<string>(newLines);
            _contents.RemoveRange(first, last - first + 1);
            _ends.RemoveRange(first, last - first + 1);
            _contents.InsertRange(first, replacement);
            _ends.InsertRange(first, Enumerable.Repeat(NewLine, replacement.Count));
            _parsed = false;
        }

        /// <summary>Inserts lines before line <paramref name="index"/> (LineCount appends), then re-parses.</summary>
        public void Insert(int index, IEnumerable<string> newLines)
        {
            var insertion = new List<string>(newLines);
            if (index == _contents.Count && _contents.Count > 0 && _ends[_ends.Count - 1].Length == 0)
            {
                _ends[_ends.Count - 1] = NewLine;
            }

            _contents.InsertRange(index, insertion);
            _ends.InsertRange(index, Enumerable.Repeat(NewLine, insertion.Count));
            _parsed = false;
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

        private void SplitLines(string text)
        {
            int start = 0;
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] == '\n')
                {
                    bool crlf = i > start && text[i - 1] == '\r';
                    _contents.Add(text.Substring(start, i - start - (crlf ? 1 : 0)));
                    _ends.Add(crlf ? "\r\n" : "\n");
                    start = i + 1;
                }
            }

            if (start < text.Length)
            {
                _contents.Add(text.Substring(start));
                _ends.Add(string.Empty);
            }
        }

        private void Parse()
        {
            _nodes.Clear();
            _parsed = true;
            var open = new Stack<ConfigSection>();
            int index = 0;
            while (index < _contents.Count)
            {
                int first = index;
                string content = _contents[index];
                string raw;
                if (content.Length > 0 && content[content.Length - 1] == '\\' && index + 1 < _contents.Count)
                {
                    // httpd joins continuation lines before anything else, comments included.
                    var logical = new StringBuilder();
                    while (content.Length > 0 && content[content.Length - 1] == '\\' && index + 1 < _contents.Count)
                    {
                        logical.Append(content, 0, content.Length - 1).Append(' ');
                        index++;
                        content = _contents[index];
                    }

                    logical.Append(content.Length > 0 && content[content.Length - 1] == '\\' ? content.Substring(0, content.Length - 1) : content);
                    raw = logical.ToString();
                }
                else
                {
                    raw = content;
                }

                int last = index;
                index++;

                int start = 0;
                while (start < raw.Length && char.IsWhiteSpace(raw[start]))
                {
                    start++;
                }

                if (start == raw.Length || raw[start] == '#')
                {
                    continue;
                }

                string firstLine = _contents[first];
                int indentLength = 0;
                while (indentLength < firstLine.Length && char.IsWhiteSpace(firstLine[indentLength]))
                {
                    indentLength++;
                }

                string indent = indentLength == 0 ? string.Empty : firstLine.Substring(0, indentLength);
                string trimmed = raw.Trim();
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
                Add(new ConfigDirective(this, directive, split < 0 ? (IReadOnlyList<string>)Array.Empty<string>() : SplitArguments(trimmed.Substring(split)), first, last, indent), open);
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
                _nodes.Add(node);
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
