using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace CertCmdlets.Core.Apache
{
    /// <summary>
    /// One httpd configuration file, kept as the bytes read and a table of physical lines with their own line ends, so
    /// every byte the editor does not own is written back exactly as it was: comments, blank lines, indentation, the case
    /// of directive names, quotes, continuations, even bytes that are not valid UTF-8. It is parsed the way httpd reads
    /// it: continuation lines first, then comments, sections and directives (words split on blanks, quotes grouping, an
    /// unclosed quote running to the end of the line; blanks are ASCII blanks, as apr_isspace has them).
    /// </summary>
    /// <remarks>
    /// Lean by design, because a configuration can hold 20,000 virtual hosts: the file stays UTF-8 bytes (no string of
    /// the whole text, none per line), a line is a range of those bytes until an edit replaces it, directive names and
    /// indentation come from a cache shared by the tree, and arguments are decoded only when asked for. An edit changes
    /// the line table (a short list of pieces: runs of original lines, runs of new lines) and parses only the lines it
    /// inserts: the nodes after it move, the nodes it replaces go, everything else stays (the same objects, so a caller's
    /// references remain valid). Only an edit that would change how neighbouring lines parse (a continuation line next
    /// to it, a node it cuts in two, an unbalanced section) parses the whole file again. Whether the file changed is
    /// known from the edited lines; the text is decoded only when someone asks for it.
    /// </remarks>
    internal sealed class ConfigFile
    {
        private const byte NoEnd = 0;
        private const byte LineFeed = 1;
        private const byte CarriageReturnLineFeed = 2;
        private static readonly UTF8Encoding s_utf8 = new UTF8Encoding(false);
        private static readonly byte[] s_lf = { (byte)'\n' };
        private static readonly byte[] s_crlf = { (byte)'\r', (byte)'\n' };

        private readonly byte[] _bytes;
        private readonly int _bodyStart;
        private readonly int _originalCount;
        private readonly int[] _starts;
        private readonly byte[] _ends;
        private readonly byte _newLineKind;
        private readonly ConfigParserCache _cache;
        private readonly List<ConfigNode> _nodes = new List<ConfigNode>();
        private List<Piece>? _pieces;
        private int[] _pieceStarts = Array.Empty<int>();
        private int _version;
        private int _changedVersion = -1;
        private bool _changed;
        private int _allVersion = -1;
        private ConfigNode[]? _all;

        /// <summary>A file from its text (taken as it is: a leading U+FEFF is text, not a byte order mark).</summary>
        public ConfigFile(string path, string text)
            : this(path, s_utf8.GetBytes(text), null, null, bom: false)
        {
        }

        /// <summary>A file from the bytes read (a UTF-8 byte order mark is skipped for parsing and written back).</summary>
        internal ConfigFile(string path, byte[] bytes, ConfigParserCache? cache, PosixStat? stat)
            : this(path, bytes, cache, stat, bom: true)
        {
        }

        private ConfigFile(string path, byte[] bytes, ConfigParserCache? cache, PosixStat? stat, bool bom)
        {
            Path = path;
            _bytes = bytes;
            _cache = cache ?? new ConfigParserCache();
            Stat = stat;
            _bodyStart = bom && bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;

            int count = 0;
            bool crlf = false;
            for (int i = Array.IndexOf(bytes, (byte)'\n', _bodyStart); i >= 0; i = Array.IndexOf(bytes, (byte)'\n', i + 1))
            {
                count++;
                crlf |= i > _bodyStart && bytes[i - 1] == '\r';
            }

            bool unterminated = bytes.Length > _bodyStart && bytes[bytes.Length - 1] != '\n';
            _originalCount = count + (unterminated ? 1 : 0);
            _starts = new int[_originalCount + 1];
            _ends = new byte[_originalCount];
            int line = 0;
            int start = _bodyStart;
            for (int i = Array.IndexOf(bytes, (byte)'\n', _bodyStart); i >= 0; i = Array.IndexOf(bytes, (byte)'\n', i + 1))
            {
                _starts[line] = start;
                _ends[line] = i > start && bytes[i - 1] == '\r' ? CarriageReturnLineFeed : LineFeed;
                line++;
                start = i + 1;
            }

            if (unterminated)
            {
                _starts[line] = start;
                _ends[line] = NoEnd;
            }

            _starts[_originalCount] = bytes.Length;
            _newLineKind = crlf ? CarriageReturnLineFeed : LineFeed;
            NewLine = crlf ? "\r\n" : "\n";
            ParseRange(0, _originalCount, _nodes, null, fragment: false);
        }

        public string Path { get; }

        /// <summary>The text as read (decoded when asked for; the byte order mark left out).</summary>
        public string OriginalText => s_utf8.GetString(_bytes, _bodyStart, _bytes.Length - _bodyStart);

        /// <summary>The line end new lines get: the file's own.</summary>
        public string NewLine { get; }

        /// <summary>Top-level directives and sections, in order, kept current by every edit.</summary>
        public List<ConfigNode> Nodes => _nodes;

        public int LineCount => _pieces is null ? _originalCount : _pieceStarts[_pieces.Count];

        /// <summary>True when the text differs from what was read (known from the edited lines, not by comparing texts).</summary>
        public bool IsChanged
        {
            get
            {
                if (_pieces is null)
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

        /// <summary>The whole text now (decoded when asked for).</summary>
        public string Text
        {
            get
            {
                using var stream = new MemoryStream(_bytes.Length + 256);
                WriteTo(stream);
                return s_utf8.GetString(stream.GetBuffer(), _bodyStart, (int)stream.Length - _bodyStart);
            }
        }

        /// <summary>Whether the file began with a UTF-8 byte order mark (left out of the text, written back).</summary>
        internal bool Utf8Bom => _bodyStart == 3;

        /// <summary>The file's stat when it was read (null for new files and where stat is not available).</summary>
        internal PosixStat? Stat { get; }

        /// <summary>Changes each time the lines change.</summary>
        internal int Version => _version;

        /// <summary>The tree this file belongs to, told of every edit so that it evaluates again.</summary>
        internal ConfigTree? Owner { get; set; }

        /// <summary>A file the editor creates (the diff shows it against nothing).</summary>
        internal bool IsNew { get; set; }

        /// <summary>The tree's evaluation that last reached this file (instead of a set of reached files).</summary>
        internal int ReachedStamp { get; set; }

        /// <summary>True while the tree evaluates this file (an Include reaching it then is a loop).</summary>
        internal bool Including { get; set; }

        internal int OriginalLineCount => _originalCount;

        /// <summary>A physical line without its line end.</summary>
        public string LineContent(int index)
        {
            Bounds(index, out byte[] source, out int start, out int end);
            return s_utf8.GetString(source, start, end - start);
        }

        /// <summary>Every node in the file, depth first (an array made once per version of the file).</summary>
        public IEnumerable<ConfigNode> AllNodes()
        {
            if (_allVersion != _version || _all is null)
            {
                var all = new ConfigNode[Count(_nodes)];
                int index = 0;
                Flatten(_nodes, all, ref index);
                _all = all;
                _allVersion = _version;
            }

            return _all;
        }

        /// <summary>Replaces lines [first, last] with <paramref name="newLines"/> (given without line ends).</summary>
        public void Replace(int first, int last, IEnumerable<string> newLines) => Edit(first, last - first + 1, newLines);

        /// <summary>Inserts lines before line <paramref name="index"/> (LineCount appends).</summary>
        public void Insert(int index, IEnumerable<string> newLines) => Edit(index, 0, newLines);

        /// <summary>The words of an argument string as httpd splits them (quotes removed).</summary>
        public static List<string> SplitArguments(string text)
        {
            var words = new List<string>();
            byte[] bytes = s_utf8.GetBytes(text);
            Split(bytes, 0, bytes.Length, words);
            return words;
        }

        /// <summary>An argument written so httpd reads it back as one word.</summary>
        public static string Quote(string argument) =>
            argument.Length == 0 || argument.IndexOfAny(new[] { ' ', '\t', '"', '\'', '#' }) >= 0
                ? "\"" + argument.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\""
                : argument;

        /// <summary>The words of a range of UTF-8 bytes as httpd splits them.</summary>
        internal static IReadOnlyList<string> SplitArguments(byte[] text, int start, int end)
        {
            int i = start;
            while (i < end && IsSpace(text[i]))
            {
                i++;
            }

            if (i >= end)
            {
                return Array.Empty<string>();
            }

            var words = new List<string>(2);
            Split(text, i, end, words);
            return words;
        }

        /// <summary>The original text of line <paramref name="index"/> (before any edit), without its end.</summary>
        internal string OriginalLine(int index) => s_utf8.GetString(_bytes, _starts[index], _starts[index + 1] - _starts[index] - EndLength(_ends[index]));

        /// <summary>For the diff: where line <paramref name="index"/> now comes from (-1: a new line) and whether its end is its own.</summary>
        internal int OriginOf(int index, out bool sameEnd)
        {
            if (_pieces is null)
            {
                sameEnd = true;
                return index;
            }

            Piece piece = Locate(index, out int offset);
            sameEnd = piece.Lines is null;
            return piece.Lines is null ? piece.Origin + offset : -1;
        }

        /// <summary>Writes the current bytes (with the byte order mark it had): runs of original lines straight from the bytes read.</summary>
        internal void WriteTo(Stream stream)
        {
            if (_pieces is null)
            {
                stream.Write(_bytes, 0, _bytes.Length);
                return;
            }

            if (Utf8Bom)
            {
                stream.Write(_bytes, 0, 3);
            }

            byte[] end = _newLineKind == CarriageReturnLineFeed ? s_crlf : s_lf;
            foreach (Piece piece in _pieces)
            {
                if (piece.Lines is null)
                {
                    stream.Write(_bytes, _starts[piece.Origin], _starts[piece.Origin + piece.Count] - _starts[piece.Origin]);
                    continue;
                }

                foreach (byte[] line in piece.Lines)
                {
                    stream.Write(line, 0, line.Length);
                    stream.Write(end, 0, end.Length);
                }
            }
        }

        /// <summary>Writes the current text with some lines replaced (by index; each keeps its own line end): a candidate copy.</summary>
        internal void WriteTo(Stream stream, IReadOnlyDictionary<int, string> replacements)
        {
            if (Utf8Bom)
            {
                stream.Write(_bytes, 0, 3);
            }

            for (int i = 0; i < LineCount; i++)
            {
                if (replacements.TryGetValue(i, out string? replacement))
                {
                    byte[] encoded = s_utf8.GetBytes(replacement);
                    stream.Write(encoded, 0, encoded.Length);
                }
                else
                {
                    Bounds(i, out byte[] source, out int start, out int finish);
                    stream.Write(source, start, finish - start);
                }

                byte kind = EndOf(i);
                if (kind != NoEnd)
                {
                    byte[] end = kind == CarriageReturnLineFeed ? s_crlf : s_lf;
                    stream.Write(end, 0, end.Length);
                }
            }
        }

        /// <summary>httpd's blanks (apr_isspace in the C locale).</summary>
        private static bool IsSpace(byte b) => b == ' ' || (b >= 9 && b <= 13);

        private static int Count(List<ConfigNode> nodes)
        {
            int count = nodes.Count;
            foreach (ConfigNode node in nodes)
            {
                if (node is ConfigSection section && section.Children.Count > 0)
                {
                    count += Count(section.Children);
                }
            }

            return count;
        }

        private static void Flatten(List<ConfigNode> nodes, ConfigNode[] all, ref int index)
        {
            foreach (ConfigNode node in nodes)
            {
                all[index++] = node;
                if (node is ConfigSection section && section.Children.Count > 0)
                {
                    Flatten(section.Children, all, ref index);
                }
            }
        }

        private static int EndLength(byte end) => end == CarriageReturnLineFeed ? 2 : end == LineFeed ? 1 : 0;

        private static void Split(byte[] text, int start, int end, List<string> words)
        {
            int i = start;
            List<byte>? word = null;
            while (i < end)
            {
                while (i < end && IsSpace(text[i]))
                {
                    i++;
                }

                if (i >= end)
                {
                    break;
                }

                byte quote = text[i];
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
                        words.Add(s_utf8.GetString(text, first, Math.Min(i, end) - first));
                    }
                    else
                    {
                        word ??= new List<byte>();
                        word.Clear();
                        for (int j = first; j < i && j < end; j++)
                        {
                            if (text[j] == '\\' && j + 1 < end && text[j + 1] == quote)
                            {
                                j++;
                            }

                            word.Add(text[j]);
                        }

                        words.Add(s_utf8.GetString(word.ToArray()));
                    }

                    i++;
                }
                else
                {
                    int first = i;
                    while (i < end && !IsSpace(text[i]))
                    {
                        i++;
                    }

                    words.Add(s_utf8.GetString(text, first, i - first));
                }
            }
        }

        private void Bounds(int index, out byte[] source, out int start, out int end)
        {
            if (_pieces is not null)
            {
                Piece piece = Locate(index, out int offset);
                if (piece.Lines is not null)
                {
                    source = piece.Lines[offset];
                    start = 0;
                    end = source.Length;
                    return;
                }

                index = piece.Origin + offset;
            }

            source = _bytes;
            start = _starts[index];
            end = _starts[index + 1] - EndLength(_ends[index]);
        }

        private byte EndOf(int index)
        {
            if (_pieces is null)
            {
                return _ends[index];
            }

            Piece piece = Locate(index, out int offset);
            return piece.Lines is null ? _ends[piece.Origin + offset] : _newLineKind;
        }

        /// <summary>The piece holding line <paramref name="index"/> (binary search over the pieces' first lines).</summary>
        private Piece Locate(int index, out int offset)
        {
            List<Piece> pieces = _pieces!;
            int low = 0;
            int high = pieces.Count - 1;
            while (low < high)
            {
                int middle = (low + high + 1) / 2;
                if (_pieceStarts[middle] <= index)
                {
                    low = middle;
                }
                else
                {
                    high = middle - 1;
                }
            }

            offset = index - _pieceStarts[low];
            return pieces[low];
        }

        private bool EndsWithBackslash(int index)
        {
            Bounds(index, out byte[] source, out int start, out int end);
            return end > start && source[end - 1] == '\\';
        }

        private bool ComputeChanged()
        {
            if (LineCount != _originalCount)
            {
                return true;
            }

            int line = 0;
            foreach (Piece piece in _pieces!)
            {
                if (piece.Lines is null)
                {
                    if (piece.Origin != line)
                    {
                        return true;
                    }

                    line += piece.Count;
                    continue;
                }

                foreach (byte[] bytes in piece.Lines)
                {
                    int start = _starts[line];
                    int length = _starts[line + 1] - start - EndLength(_ends[line]);
                    if (_ends[line] != _newLineKind || bytes.Length != length)
                    {
                        return true;
                    }

                    for (int i = 0; i < length; i++)
                    {
                        if (bytes[i] != _bytes[start + i])
                        {
                            return true;
                        }
                    }

                    line++;
                }
            }

            return false;
        }

        private void Edit(int first, int count, IEnumerable<string> newLines)
        {
            var added = newLines as IList<string> ?? new List<string>(newLines);
            if (first < 0 || count < 0 || first + count > LineCount)
            {
                // A caller's mistake, not the user's: still an error record with the file, never a runtime exception.
                throw Errors.ApacheConfigInvalid(Path, Math.Max(first, 0) + 1, $"the editor asked to change lines {first + 1}-{first + count}, outside the file's {LineCount} lines (a bug in this module; nothing was written).");
            }

            if (count == 0 && added.Count == 0)
            {
                return;
            }

            if (_pieces is null)
            {
                _pieces = new List<Piece>(8);
                if (_originalCount > 0)
                {
                    _pieces.Add(new Piece(0, _originalCount, null));
                }

                RebuildStarts();
            }

            var inserted = new byte[added.Count][];
            for (int i = 0; i < added.Count; i++)
            {
                inserted[i] = s_utf8.GetBytes(added[i] ?? string.Empty);
            }

            bool incremental = PlanIncremental(first, count, inserted, out List<ConfigNode> siblings, out ConfigSection? container, out int removeAt, out int removeCount);

            if (count == 0 && first == LineCount && first > 0 && EndOf(first - 1) == NoEnd)
            {
                // Appending after a last line without a line end: that line gets the file's line end first.
                Bounds(first - 1, out byte[] source, out int start, out int end);
                var last = new byte[end - start];
                Array.Copy(source, start, last, 0, last.Length);
                SplicePieces(first - 1, 1, new[] { last });
            }

            SplicePieces(first, count, inserted);
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
                ParseRange(0, LineCount, _nodes, null, fragment: false);
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
        private bool PlanIncremental(int first, int count, byte[][] added, out List<ConfigNode> siblings, out ConfigSection? container, out int removeAt, out int removeCount)
        {
            siblings = _nodes;
            container = null;
            removeAt = 0;
            removeCount = 0;
            foreach (byte[] line in added)
            {
                if (line.Length > 0 && line[line.Length - 1] == '\\')
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
            Bounds(line, out byte[] source, out int start, out int end);
            int i = start;
            while (i < end && IsSpace(source[i]))
            {
                i++;
            }

            return _cache.Get(source, start, i - start);
        }

        private string Decode(byte[] source, int start, int end) => s_utf8.GetString(source, start, end - start);

        /// <summary>
        /// Parses lines [from, to) into <paramref name="top"/>. A whole-file parse throws on unbalanced sections; a
        /// fragment parse (the lines of one edit) returns false instead, and the caller parses the whole file.
        /// </summary>
        private bool ParseRange(int from, int to, List<ConfigNode> top, ConfigSection? container, bool fragment)
        {
            Stack<ConfigSection> open = _cache.Sections;
            open.Clear();
            List<byte> logical = _cache.Logical;
            int lineCount = LineCount;
            int index = from;
            while (index < to)
            {
                int first = index;
                Bounds(index, out byte[] source, out int rawStart, out int rawEnd);
                if (rawEnd > rawStart && source[rawEnd - 1] == '\\' && index + 1 < lineCount)
                {
                    // httpd joins continuation lines before anything else, comments included.
                    logical.Clear();
                    while (rawEnd > rawStart && source[rawEnd - 1] == '\\' && index + 1 < lineCount)
                    {
                        if (fragment && index + 1 >= to)
                        {
                            return false;
                        }

                        for (int i = rawStart; i < rawEnd - 1; i++)
                        {
                            logical.Add(source[i]);
                        }

                        logical.Add((byte)' ');
                        index++;
                        Bounds(index, out source, out rawStart, out rawEnd);
                    }

                    int tail = rawEnd > rawStart && source[rawEnd - 1] == '\\' ? rawEnd - 1 : rawEnd;
                    for (int i = rawStart; i < tail; i++)
                    {
                        logical.Add(source[i]);
                    }

                    source = logical.ToArray();
                    rawStart = 0;
                    rawEnd = source.Length;
                }

                int last = index;
                index++;

                int start = rawStart;
                while (start < rawEnd && IsSpace(source[start]))
                {
                    start++;
                }

                if (start == rawEnd || source[start] == '#')
                {
                    continue;
                }

                int end = rawEnd;
                while (end > start && IsSpace(source[end - 1]))
                {
                    end--;
                }

                string indent = first == last ? _cache.Get(source, rawStart, start - rawStart) : IndentOf(first);
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
                    int close = Array.LastIndexOf(source, (byte)'>', end - 1, end - start);
                    if (close < 0)
                    {
                        if (fragment)
                        {
                            return false;
                        }

                        throw new ApacheConfigException(Path, first + 1, $"the section '{Decode(source, start, end)}' has no closing '>'.");
                    }

                    int innerStart = start + 1;
                    while (innerStart < close && IsSpace(source[innerStart]))
                    {
                        innerStart++;
                    }

                    int innerEnd = close;
                    while (innerEnd > innerStart && IsSpace(source[innerEnd - 1]))
                    {
                        innerEnd--;
                    }

                    int space = IndexOfSpace(source, innerStart, innerEnd);
                    int nameEnd = space < 0 ? innerEnd : space;
                    var section = new ConfigSection(this, _cache.Get(source, innerStart, nameEnd - innerStart), source, nameEnd, innerEnd, first, indent);
                    Add(section, open, top, container);
                    open.Push(section);
                    int rest = close + 1;
                    while (rest < end && IsSpace(source[rest]))
                    {
                        rest++;
                    }

                    if (end - rest > 1 && source[rest] == '<' && source[rest + 1] == '/' && !CloseSections(source, rest, end, first, open, fragment))
                    {
                        return false;
                    }

                    continue;
                }

                int split = IndexOfSpace(source, start, end);
                int directiveEnd = split < 0 ? end : split;
                Add(new ConfigDirective(this, _cache.Get(source, start, directiveEnd - start), source, directiveEnd, end, first, last, indent), open, top, container);
            }

            if (open.Count > 0)
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

        private bool CloseSections(byte[] text, int start, int end, int line, Stack<ConfigSection> open, bool fragment)
        {
            bool shared = false;
            while (end - start > 1 && text[start] == '<' && text[start + 1] == '/')
            {
                int close = Array.IndexOf(text, (byte)'>', start, end - start);
                if (close < 0)
                {
                    if (fragment)
                    {
                        return false;
                    }

                    throw new ApacheConfigException(Path, line + 1, $"'{Decode(text, start, end)}' is not closed with '>'.");
                }

                int nameStart = start + 2;
                while (nameStart < close && IsSpace(text[nameStart]))
                {
                    nameStart++;
                }

                int nameEnd = close;
                while (nameEnd > nameStart && IsSpace(text[nameEnd - 1]))
                {
                    nameEnd--;
                }

                if (open.Count == 0)
                {
                    if (fragment)
                    {
                        return false;
                    }

                    throw new ApacheConfigException(Path, line + 1, $"</{Decode(text, nameStart, nameEnd)}> closes a section that was never opened.");
                }

                ConfigSection section = open.Pop();
                if (!SameName(section.Name, text, nameStart, nameEnd))
                {
                    if (fragment)
                    {
                        return false;
                    }

                    throw new ApacheConfigException(Path, line + 1, $"</{Decode(text, nameStart, nameEnd)}> does not match <{section.Name}> opened on line {section.FirstLine + 1}.");
                }

                section.CloseLine = line;
                start = close + 1;
                while (start < end && IsSpace(text[start]))
                {
                    start++;
                }

                section.CloseShared = shared || start < end || section.FirstLine == line;
                shared = true;
            }

            return true;
        }

        private static bool SameName(string name, byte[] text, int start, int end)
        {
            if (name.Length == end - start)
            {
                bool ascii = true;
                for (int i = 0; i < name.Length; i++)
                {
                    char c = name[i];
                    byte b = text[start + i];
                    if (c >= 0x80 || b >= 0x80)
                    {
                        ascii = false;
                        break;
                    }

                    if (char.ToUpperInvariant(c) != char.ToUpperInvariant((char)b))
                    {
                        return false;
                    }
                }

                if (ascii)
                {
                    return true;
                }
            }

            return string.Equals(name, s_utf8.GetString(text, start, end - start), StringComparison.OrdinalIgnoreCase);
        }

        private static void Add(ConfigNode node, Stack<ConfigSection> open, List<ConfigNode> top, ConfigSection? container)
        {
            if (open.Count == 0)
            {
                node.Parent = container;
                top.Add(node);
                return;
            }

            ConfigSection parent = open.Peek();
            node.Parent = parent;
            parent.Children.Add(node);
        }

        private static int IndexOfSpace(byte[] text, int start, int end)
        {
            for (int i = start; i < end; i++)
            {
                if (IsSpace(text[i]))
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>Replaces lines [first, first + count) with <paramref name="lines"/> in the piece table.</summary>
        private void SplicePieces(int first, int count, byte[][] lines)
        {
            int at = SplitAt(first);
            int end = SplitAt(first + count);
            _pieces!.RemoveRange(at, end - at);
            if (lines.Length > 0)
            {
                _pieces.Insert(at, new Piece(-1, lines.Length, lines));
            }

            RebuildStarts();
        }

        /// <summary>Makes a piece start at <paramref name="line"/> and returns its index (the piece count at the end).</summary>
        private int SplitAt(int line)
        {
            List<Piece> pieces = _pieces!;
            for (int i = 0; i < pieces.Count; i++)
            {
                int start = _pieceStarts[i];
                if (start == line)
                {
                    return i;
                }

                if (line < start + pieces[i].Count)
                {
                    Piece piece = pieces[i];
                    int head = line - start;
                    Piece first = piece.Lines is null ? new Piece(piece.Origin, head, null) : new Piece(-1, head, Slice(piece.Lines, 0, head));
                    Piece second = piece.Lines is null ? new Piece(piece.Origin + head, piece.Count - head, null) : new Piece(-1, piece.Count - head, Slice(piece.Lines, head, piece.Count - head));
                    pieces[i] = first;
                    pieces.Insert(i + 1, second);
                    RebuildStarts();
                    return i + 1;
                }
            }

            return pieces.Count;
        }

        private static byte[][] Slice(byte[][] lines, int start, int count)
        {
            var slice = new byte[count][];
            Array.Copy(lines, start, slice, 0, count);
            return slice;
        }

        private void RebuildStarts()
        {
            List<Piece> pieces = _pieces!;
            if (_pieceStarts.Length != pieces.Count + 1)
            {
                _pieceStarts = new int[pieces.Count + 1];
            }

            int line = 0;
            for (int i = 0; i < pieces.Count; i++)
            {
                _pieceStarts[i] = line;
                line += pieces[i].Count;
            }

            _pieceStarts[pieces.Count] = line;
        }

        /// <summary>A run of lines: original lines [Origin, Origin + Count) with their own ends, or new lines (each ends with the file's line end).</summary>
        private readonly struct Piece
        {
            public Piece(int origin, int count, byte[][]? lines)
            {
                Origin = origin;
                Count = count;
                Lines = lines;
            }

            public int Origin { get; }

            public int Count { get; }

            public byte[][]? Lines { get; }
        }
    }
}
