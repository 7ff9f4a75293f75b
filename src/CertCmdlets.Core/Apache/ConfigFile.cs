using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace CertCmdlets.Core.Apache
{
    /// <summary>
    /// One httpd configuration file, kept as its original text and a table of physical lines with their own line ends,
    /// so every byte the editor does not own is written back exactly as it was: comments, blank lines, indentation, the
    /// case of directive names, quotes, continuations. It is parsed the way httpd reads it: continuation lines first,
    /// then comments, sections and directives (words split on blanks, quotes grouping, an unclosed quote running to the
    /// end of the line).
    /// </summary>
    /// <remarks>
    /// Lean by design, because a configuration can hold 20,000 virtual hosts: no string per line is made when the file is
    /// read (a line is a range of the original text until an edit replaces it), directive names and indentation come
    /// from a pool shared by the tree, and arguments are split only when asked for. An edit changes the line table and
    /// re-parses only the lines it inserts: the nodes after it move, the nodes it replaces go, everything else stays
    /// (the same objects, so a caller's references remain valid). Only an edit that would change how neighbouring lines
    /// parse (a continuation line next to it, an unbalanced section) falls back to parsing the whole file again.
    /// Whether the file changed is known per edited line, and the text is joined once per version, when written.
    /// </remarks>
    internal sealed class ConfigFile
    {
        private const byte NoEnd = 0;
        private const byte LineFeed = 1;
        private const byte CarriageReturnLineFeed = 2;

        private readonly string _text;
        private readonly int _originalCount;
        private readonly int[] _starts;
        private readonly byte[] _ends;
        private readonly byte _newLineKind;
        private readonly NamePool _pool;
        private readonly List<ConfigNode> _nodes = new List<ConfigNode>();
        private List<Line>? _lines;
        private int _version;
        private int _changedVersion = -1;
        private bool _changed;
        private int _joinedVersion = -1;
        private string? _joined;

        public ConfigFile(string path, string text)
            : this(path, text, null, false, null)
        {
        }

        internal ConfigFile(string path, string text, NamePool? pool, bool utf8Bom, PosixStat? stat)
        {
            Path = path;
            _text = text;
            _pool = pool ?? new NamePool();
            Utf8Bom = utf8Bom;
            Stat = stat;

            int count = 0;
            bool crlf = false;
            for (int i = text.IndexOf('\n'); i >= 0; i = text.IndexOf('\n', i + 1))
            {
                count++;
                crlf |= i > 0 && text[i - 1] == '\r';
            }

            bool unterminated = text.Length > 0 && text[text.Length - 1] != '\n';
            _originalCount = count + (unterminated ? 1 : 0);
            _starts = new int[_originalCount + 1];
            _ends = new byte[_originalCount];
            int line = 0;
            int start = 0;
            for (int i = text.IndexOf('\n'); i >= 0; i = text.IndexOf('\n', i + 1))
            {
                _starts[line] = start;
                _ends[line] = i > start && text[i - 1] == '\r' ? CarriageReturnLineFeed : LineFeed;
                line++;
                start = i + 1;
            }

            if (unterminated)
            {
                _starts[line] = start;
                _ends[line] = NoEnd;
            }

            _starts[_originalCount] = text.Length;
            _newLineKind = crlf ? CarriageReturnLineFeed : LineFeed;
            NewLine = crlf ? "\r\n" : "\n";
            ParseRange(0, _originalCount, _nodes, null, fragment: false);
        }

        public string Path { get; }

        public string OriginalText => _text;

        /// <summary>The line end new lines get: the file's own.</summary>
        public string NewLine { get; }

        /// <summary>Top-level directives and sections, in order, kept current by every edit.</summary>
        public List<ConfigNode> Nodes => _nodes;

        public int LineCount => _lines?.Count ?? _originalCount;

        /// <summary>True when the text differs from what was read (known from the edited lines, not by comparing texts).</summary>
        public bool IsChanged
        {
            get
            {
                if (_lines is null)
                {
                    return false;
                }

                if (_changedVersion != _version)
                {
                    _changed = ComputeChanged();
                    _changedVersion = _version;
                }

                return _changed;
            }
        }

        /// <summary>The whole text now (joined once per version).</summary>
        public string Text
        {
            get
            {
                if (_lines is null)
                {
                    return _text;
                }

                if (_joinedVersion != _version)
                {
                    var builder = new StringBuilder(_text.Length + 256);
                    for (int i = 0; i < _lines.Count; i++)
                    {
                        Bounds(i, out string source, out int start, out int end);
                        builder.Append(source, start, end - start).Append(EndText(_lines[i].End));
                    }

                    _joined = builder.ToString();
                    _joinedVersion = _version;
                }

                return _joined!;
            }
        }

        /// <summary>Whether the file began with a UTF-8 byte order mark (kept out of the text, written back).</summary>
        internal bool Utf8Bom { get; }

        /// <summary>The file's stat when it was read (null for new files and where stat is not available).</summary>
        internal PosixStat? Stat { get; }

        /// <summary>Changes each time the lines change.</summary>
        internal int Version => _version;

        /// <summary>The tree this file belongs to, told of every edit so that it evaluates again.</summary>
        internal ConfigTree? Owner { get; set; }

        /// <summary>A file the editor creates (the diff shows it against nothing).</summary>
        internal bool IsNew { get; set; }

        internal int OriginalLineCount => _originalCount;

        /// <summary>A physical line without its line end.</summary>
        public string LineContent(int index)
        {
            Bounds(index, out string source, out int start, out int end);
            return start == 0 && end == source.Length ? source : source.Substring(start, end - start);
        }

        /// <summary>Every node in the file, depth first.</summary>
        public IEnumerable<ConfigNode> AllNodes()
        {
            var stack = new Stack<(List<ConfigNode> List, int Index)>();
            List<ConfigNode> list = _nodes;
            int index = 0;
            while (true)
            {
                if (index >= list.Count)
                {
                    if (stack.Count == 0)
                    {
                        yield break;
                    }

                    (list, index) = stack.Pop();
                    continue;
                }

                ConfigNode node = list[index++];
                yield return node;
                if (node is ConfigSection section && section.Children.Count > 0)
                {
                    stack.Push((list, index));
                    list = section.Children;
                    index = 0;
                }
            }
        }

        /// <summary>Replaces lines [first, last] with <paramref name="newLines"/> (given without line ends).</summary>
        public void Replace(int first, int last, IEnumerable<string> newLines) => Edit(first, last - first + 1, newLines);

        /// <summary>Inserts lines before line <paramref name="index"/> (LineCount appends).</summary>
        public void Insert(int index, IEnumerable<string> newLines) => Edit(index, 0, newLines);

        /// <summary>The words of an argument string as httpd splits them (quotes removed).</summary>
        public static List<string> SplitArguments(string text)
        {
            var words = new List<string>();
            Split(text, 0, text.Length, words);
            return words;
        }

        /// <summary>An argument written so httpd reads it back as one word.</summary>
        public static string Quote(string argument) =>
            argument.Length == 0 || argument.IndexOfAny(new[] { ' ', '\t', '"', '\'', '#' }) >= 0
                ? "\"" + argument.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\""
                : argument;

        /// <summary>The words of a range of a text as httpd splits them.</summary>
        internal static IReadOnlyList<string> SplitArguments(string text, int start, int end)
        {
            int i = start;
            while (i < end && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i >= end)
            {
                return Array.Empty<string>();
            }

            var words = new List<string>(2);
            Split(text, start, end, words);
            return words;
        }

        /// <summary>The original text of line <paramref name="index"/> (before any edit), without its end.</summary>
        internal string OriginalLine(int index) => _text.Substring(_starts[index], _starts[index + 1] - _starts[index] - EndLength(_ends[index]));

        /// <summary>For the diff: where line <paramref name="index"/> now comes from (-1: a new line) and whether its end changed.</summary>
        internal int OriginOf(int index, out bool sameEnd)
        {
            if (_lines is null)
            {
                sameEnd = true;
                return index;
            }

            Line line = _lines[index];
            if (line.Text is not null)
            {
                sameEnd = false;
                return -1;
            }

            sameEnd = line.End == _ends[line.Origin];
            return line.Origin;
        }

        /// <summary>Writes the current text as UTF-8 (with the byte order mark it had), in chunks: no copy of the whole text.</summary>
        internal void WriteTo(Stream stream)
        {
            var encoding = new UTF8Encoding(false);
            if (Utf8Bom)
            {
                stream.Write(new byte[] { 0xEF, 0xBB, 0xBF }, 0, 3);
            }

            var buffer = new byte[encoding.GetMaxByteCount(8192)];
            if (_lines is null)
            {
                WriteChunks(stream, encoding, buffer, _text, 0, _text.Length);
                return;
            }

            int i = 0;
            while (i < _lines.Count)
            {
                Line line = _lines[i];
                if (line.Text is not null)
                {
                    WriteChunks(stream, encoding, buffer, line.Text, 0, line.Text.Length);
                    string end = EndText(line.End);
                    WriteChunks(stream, encoding, buffer, end, 0, end.Length);
                    i++;
                    continue;
                }

                // A run of original lines that still follow each other with their own ends is one range of the original text.
                int first = line.Origin;
                int last = first;
                while (line.End == _ends[last] && i + 1 < _lines.Count && _lines[i + 1].Text is null && _lines[i + 1].Origin == last + 1)
                {
                    i++;
                    last++;
                    line = _lines[i];
                }

                if (line.End == _ends[last])
                {
                    WriteChunks(stream, encoding, buffer, _text, _starts[first], _starts[last + 1]);
                }
                else
                {
                    int contentEnd = _starts[last + 1] - EndLength(_ends[last]);
                    WriteChunks(stream, encoding, buffer, _text, _starts[first], contentEnd);
                    string end = EndText(line.End);
                    WriteChunks(stream, encoding, buffer, end, 0, end.Length);
                }

                i++;
            }
        }

        /// <summary>Writes the current text with some lines replaced (by index; each keeps its own line end): a candidate copy.</summary>
        internal void WriteTo(Stream stream, IReadOnlyDictionary<int, string> replacements)
        {
            var encoding = new UTF8Encoding(false);
            var buffer = new byte[encoding.GetMaxByteCount(8192)];
            if (Utf8Bom)
            {
                stream.Write(new byte[] { 0xEF, 0xBB, 0xBF }, 0, 3);
            }

            for (int i = 0; i < LineCount; i++)
            {
                string end;
                if (_lines is null)
                {
                    end = EndText(_ends[i]);
                }
                else
                {
                    end = EndText(_lines[i].End);
                }

                if (replacements.TryGetValue(i, out string? replacement))
                {
                    WriteChunks(stream, encoding, buffer, replacement, 0, replacement.Length);
                }
                else
                {
                    Bounds(i, out string source, out int start, out int finish);
                    WriteChunks(stream, encoding, buffer, source, start, finish);
                }

                WriteChunks(stream, encoding, buffer, end, 0, end.Length);
            }
        }

        private static void WriteChunks(Stream stream, Encoding encoding, byte[] buffer, string text, int start, int end)
        {
            while (start < end)
            {
                int count = Math.Min(8192, end - start);
                if (count < end - start && char.IsHighSurrogate(text[start + count - 1]))
                {
                    count--;
                }

                int bytes = encoding.GetBytes(text, start, count, buffer, 0);
                stream.Write(buffer, 0, bytes);
                start += count;
            }
        }

        private static int EndLength(byte end) => end == CarriageReturnLineFeed ? 2 : end == LineFeed ? 1 : 0;

        private static string EndText(byte end) => end == CarriageReturnLineFeed ? "\r\n" : end == LineFeed ? "\n" : string.Empty;

        private static void Split(string text, int start, int end, List<string> words)
        {
            int i = start;
            StringBuilder? word = null;
            while (i < end)
            {
                while (i < end && char.IsWhiteSpace(text[i]))
                {
                    i++;
                }

                if (i >= end)
                {
                    break;
                }

                char quote = text[i];
                if (quote == '"' || quote == '\'')
                {
                    i++;
                    int first = i;
                    bool escaped = false;
                    while (i < end && text[i] != quote)
                    {
                        if (text[i] == '\\' && i + 1 < end && text[i + 1] == quote)
                        {
                            escaped = true;
                            i++;
                        }

                        i++;
                    }

                    if (!escaped)
                    {
                        words.Add(text.Substring(first, i - first));
                    }
                    else
                    {
                        word ??= new StringBuilder();
                        word.Clear();
                        for (int j = first; j < i && j < end; j++)
                        {
                            if (text[j] == '\\' && j + 1 < end && text[j + 1] == quote)
                            {
                                j++;
                            }

                            word.Append(text[j]);
                        }

                        words.Add(word.ToString());
                    }

                    i++;
                }
                else
                {
                    int first = i;
                    while (i < end && !char.IsWhiteSpace(text[i]))
                    {
                        i++;
                    }

                    words.Add(text.Substring(first, i - first));
                }
            }
        }

        private void Bounds(int index, out string source, out int start, out int end)
        {
            if (_lines is not null)
            {
                Line line = _lines[index];
                if (line.Text is not null)
                {
                    source = line.Text;
                    start = 0;
                    end = line.Text.Length;
                    return;
                }

                index = line.Origin;
            }

            source = _text;
            start = _starts[index];
            end = _starts[index + 1] - EndLength(_ends[index]);
        }

        private bool EndsWithBackslash(int index)
        {
            Bounds(index, out string source, out int start, out int end);
            return end > start && source[end - 1] == '\\';
        }

        private bool ComputeChanged()
        {
            List<Line> lines = _lines!;
            if (lines.Count != _originalCount)
            {
                return true;
            }

            for (int i = 0; i < lines.Count; i++)
            {
                Line line = lines[i];
                if (line.End != _ends[i])
                {
                    return true;
                }

                if (line.Text is null)
                {
                    if (line.Origin != i)
                    {
                        return true;
                    }
                }
                else
                {
                    int length = _starts[i + 1] - _starts[i] - EndLength(_ends[i]);
                    if (line.Text.Length != length || string.CompareOrdinal(line.Text, 0, _text, _starts[i], length) != 0)
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private void Edit(int first, int count, IEnumerable<string> newLines)
        {
            var added = newLines as IList<string> ?? new List<string>(newLines);
            if (first < 0 || count < 0 || first + count > LineCount)
            {
                throw new InvalidOperationException($"An edit of lines {first + 1}-{first + count} is outside '{Path}' ({LineCount} lines).");
            }

            if (_lines is null)
            {
                _lines = new List<Line>(_originalCount + added.Count + 8);
                for (int i = 0; i < _originalCount; i++)
                {
                    _lines.Add(new Line(i, _ends[i], null));
                }
            }

            bool incremental = PlanIncremental(first, count, added, out List<ConfigNode> siblings, out ConfigSection? container, out int removeAt, out int removeCount);

            if (count == 0 && first == _lines.Count && first > 0 && _lines[first - 1].End == NoEnd)
            {
                Line previous = _lines[first - 1];
                _lines[first - 1] = new Line(previous.Origin, _newLineKind, previous.Text);
            }

            _lines.RemoveRange(first, count);
            var inserted = new Line[added.Count];
            for (int i = 0; i < added.Count; i++)
            {
                inserted[i] = new Line(-1, _newLineKind, added[i] ?? string.Empty);
            }

            _lines.InsertRange(first, inserted);
            _version++;
            Owner?.Invalidate();

            try
            {
                if (incremental)
                {
                    siblings.RemoveRange(removeAt, removeCount);
                    int delta = added.Count - count;
                    if (delta != 0)
                    {
                        foreach (ConfigNode node in _nodes)
                        {
                            node.Shift(first + count, delta);
                        }
                    }

                    var parsed = new List<ConfigNode>();
                    if (ParseRange(first, first + added.Count, parsed, container, fragment: true))
                    {
                        siblings.InsertRange(removeAt, parsed);
                        return;
                    }
                }

                _nodes.Clear();
                ParseRange(0, _lines.Count, _nodes, null, fragment: false);
            }
            catch (ApacheConfigException ex)
            {
                throw Errors.ApacheConfigInvalid(ex.Path, ex.Line, ex.Problem + " (This is what the file would say after the change; nothing was written.)");
            }
        }

        /// <summary>
        /// Finds the section an edit falls in and the nodes it replaces; false when the edit could change how lines
        /// around it parse (a continuation line next to it, a node it cuts in two), which then re-parses the whole file.
        /// </summary>
        private bool PlanIncremental(int first, int count, IList<string> added, out List<ConfigNode> siblings, out ConfigSection? container, out int removeAt, out int removeCount)
        {
            siblings = _nodes;
            container = null;
            removeAt = 0;
            removeCount = 0;
            foreach (string line in added)
            {
                if (line is not null && line.Length > 0 && line[line.Length - 1] == '\\')
                {
                    return false;
                }
            }

            if (first > 0 && EndsWithBackslash(first - 1))
            {
                return false;
            }

            int last = first + count - 1;
            while (true)
            {
                int before = LastStartingBefore(siblings, first);
                if (before >= 0 && siblings[before] is ConfigSection section && section.FirstLine < first
                    && (count == 0 ? first <= section.CloseLine : last < section.CloseLine) && section.FirstLine != section.CloseLine)
                {
                    siblings = section.Children;
                    container = section;
                    continue;
                }

                if (before >= 0 && siblings[before].EndLine >= first)
                {
                    return false;
                }

                removeAt = before + 1;
                int end = removeAt;
                while (count > 0 && end < siblings.Count && siblings[end].FirstLine <= last)
                {
                    if (siblings[end].EndLine > last)
                    {
                        return false;
                    }

                    end++;
                }

                removeCount = end - removeAt;
                return true;
            }
        }

        /// <summary>The index of the last node that starts before <paramref name="line"/> (nodes are in line order), or -1.</summary>
        private static int LastStartingBefore(List<ConfigNode> nodes, int line)
        {
            int low = 0;
            int high = nodes.Count - 1;
            int found = -1;
            while (low <= high)
            {
                int middle = low + ((high - low) / 2);
                if (nodes[middle].FirstLine < line)
                {
                    found = middle;
                    low = middle + 1;
                }
                else
                {
                    high = middle - 1;
                }
            }

            return found;
        }

        private string IndentOf(int line)
        {
            Bounds(line, out string source, out int start, out int end);
            int i = start;
            while (i < end && char.IsWhiteSpace(source[i]))
            {
                i++;
            }

            return _pool.Get(source, start, i - start);
        }

        /// <summary>
        /// Parses lines [from, to) into <paramref name="top"/>. A whole-file parse throws on unbalanced sections; a
        /// fragment parse (the lines of one edit) returns false instead, and the caller parses the whole file.
        /// </summary>
        private bool ParseRange(int from, int to, List<ConfigNode> top, ConfigSection? container, bool fragment)
        {
            Stack<ConfigSection>? open = null;
            StringBuilder? logical = null;
            int lineCount = LineCount;
            int index = from;
            while (index < to)
            {
                int first = index;
                Bounds(index, out string source, out int rawStart, out int rawEnd);
                if (rawEnd > rawStart && source[rawEnd - 1] == '\\' && index + 1 < lineCount)
                {
                    // httpd joins continuation lines before anything else, comments included.
                    logical ??= new StringBuilder();
                    logical.Clear();
                    while (rawEnd > rawStart && source[rawEnd - 1] == '\\' && index + 1 < lineCount)
                    {
                        if (fragment && index + 1 >= to)
                        {
                            return false;
                        }

                        logical.Append(source, rawStart, rawEnd - rawStart - 1).Append(' ');
                        index++;
                        Bounds(index, out source, out rawStart, out rawEnd);
                    }

                    logical.Append(source, rawStart, rawEnd > rawStart && source[rawEnd - 1] == '\\' ? rawEnd - rawStart - 1 : rawEnd - rawStart);
                    source = logical.ToString();
                    rawStart = 0;
                    rawEnd = source.Length;
                }

                int last = index;
                index++;

                int start = rawStart;
                while (start < rawEnd && char.IsWhiteSpace(source[start]))
                {
                    start++;
                }

                if (start == rawEnd || source[start] == '#')
                {
                    continue;
                }

                int end = rawEnd;
                while (end > start && char.IsWhiteSpace(source[end - 1]))
                {
                    end--;
                }

                string indent = first == last ? _pool.Get(source, rawStart, start - rawStart) : IndentOf(first);
                if (source[start] == '<' && end - start > 1 && source[start + 1] == '/')
                {
                    if (!CloseSections(source, start, end, first, open, fragment))
                    {
                        return false;
                    }

                    continue;
                }

                if (source[start] == '<')
                {
                    int close = source.LastIndexOf('>', end - 1, end - start);
                    if (close < 0)
                    {
                        if (fragment)
                        {
                            return false;
                        }

                        throw new ApacheConfigException(Path, first + 1, $"the section '{source.Substring(start, end - start)}' has no closing '>'.");
                    }

                    int innerStart = start + 1;
                    while (innerStart < close && char.IsWhiteSpace(source[innerStart]))
                    {
                        innerStart++;
                    }

                    int innerEnd = close;
                    while (innerEnd > innerStart && char.IsWhiteSpace(source[innerEnd - 1]))
                    {
                        innerEnd--;
                    }

                    int space = IndexOfWhiteSpace(source, innerStart, innerEnd);
                    int nameEnd = space < 0 ? innerEnd : space;
                    var section = new ConfigSection(this, _pool.Get(source, innerStart, nameEnd - innerStart), source, nameEnd, innerEnd, first, indent);
                    Add(section, open, top, container);
                    (open ??= new Stack<ConfigSection>()).Push(section);
                    int rest = close + 1;
                    while (rest < end && char.IsWhiteSpace(source[rest]))
                    {
                        rest++;
                    }

                    if (end - rest > 1 && source[rest] == '<' && source[rest + 1] == '/' && !CloseSections(source, rest, end, first, open, fragment))
                    {
                        return false;
                    }

                    continue;
                }

                int split = IndexOfWhiteSpace(source, start, end);
                int directiveEnd = split < 0 ? end : split;
                Add(new ConfigDirective(this, _pool.Get(source, start, directiveEnd - start), source, directiveEnd, end, first, last, indent), open, top, container);
            }

            if (open is not null && open.Count > 0)
            {
                if (fragment)
                {
                    return false;
                }

                ConfigSection unclosed = open.Peek();
                throw new ApacheConfigException(Path, unclosed.FirstLine + 1, $"<{unclosed.Name}> is never closed (no </{unclosed.Name}>).");
            }

            return true;
        }

        private bool CloseSections(string text, int start, int end, int line, Stack<ConfigSection>? open, bool fragment)
        {
            bool shared = false;
            while (end - start > 1 && text[start] == '<' && text[start + 1] == '/')
            {
                int close = text.IndexOf('>', start, end - start);
                if (close < 0)
                {
                    if (fragment)
                    {
                        return false;
                    }

                    throw new ApacheConfigException(Path, line + 1, $"'{text.Substring(start, end - start)}' is not closed with '>'.");
                }

                int nameStart = start + 2;
                while (nameStart < close && char.IsWhiteSpace(text[nameStart]))
                {
                    nameStart++;
                }

                int nameEnd = close;
                while (nameEnd > nameStart && char.IsWhiteSpace(text[nameEnd - 1]))
                {
                    nameEnd--;
                }

                if (open is null || open.Count == 0)
                {
                    if (fragment)
                    {
                        return false;
                    }

                    throw new ApacheConfigException(Path, line + 1, $"</{text.Substring(nameStart, nameEnd - nameStart)}> closes a section that was never opened.");
                }

                ConfigSection section = open.Pop();
                if (section.Name.Length != nameEnd - nameStart || string.Compare(section.Name, 0, text, nameStart, nameEnd - nameStart, StringComparison.OrdinalIgnoreCase) != 0)
                {
                    if (fragment)
                    {
                        return false;
                    }

                    throw new ApacheConfigException(Path, line + 1, $"</{text.Substring(nameStart, nameEnd - nameStart)}> does not match <{section.Name}> opened on line {section.FirstLine + 1}.");
                }

                section.CloseLine = line;
                start = close + 1;
                while (start < end && char.IsWhiteSpace(text[start]))
                {
                    start++;
                }

                section.CloseShared = shared || start < end || section.FirstLine == line;
                shared = true;
            }

            return true;
        }

        private static void Add(ConfigNode node, Stack<ConfigSection>? open, List<ConfigNode> top, ConfigSection? container)
        {
            if (open is null || open.Count == 0)
            {
                node.Parent = container;
                top.Add(node);
                return;
            }

            ConfigSection parent = open.Peek();
            node.Parent = parent;
            parent.Children.Add(node);
        }

        private static int IndexOfWhiteSpace(string text, int start, int end)
        {
            for (int i = start; i < end; i++)
            {
                if (char.IsWhiteSpace(text[i]))
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>A physical line: an original line (Text null, Origin its index) or a new one (Text, Origin -1), and its end.</summary>
        private readonly struct Line
        {
            public Line(int origin, byte end, string? text)
            {
                Origin = origin;
                End = end;
                Text = text;
            }

            public int Origin { get; }

            public byte End { get; }

            public string? Text { get; }
        }
    }
}
