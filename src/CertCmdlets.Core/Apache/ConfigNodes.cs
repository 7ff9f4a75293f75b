using System;
using System.Collections.Generic;

namespace CertCmdlets.Core.Apache
{
    /// <summary>What a node is to the tree's evaluation, found once when the file is parsed.</summary>
    internal enum ConfigNodeRole : byte
    {
        Other,
        Define,
        UnDefine,
        LoadModule,
        Include,
        IncludeOptional,
        ServerRoot,
        IfDefine,
        IfModule,
        IfFile,
    }

    /// <summary>
    /// A directive or a section in an httpd configuration file, with the physical lines it occupies. The arguments are
    /// split from the file's text the first time they are asked for (most nodes of a large configuration never are).
    /// </summary>
    internal abstract class ConfigNode
    {
        private readonly byte[] _source;
        private readonly int _argumentStart;
        private readonly int _argumentEnd;
        private IReadOnlyList<string>? _arguments;

        protected ConfigNode(ConfigFile file, string name, byte[] source, int argumentStart, int argumentEnd, int firstLine, string indent)
        {
            File = file;
            Name = name;
            _source = source;
            _argumentStart = argumentStart;
            _argumentEnd = argumentEnd;
            FirstLine = firstLine;
            Indent = indent;
            Role = RoleOf(name, this is ConfigSection);
        }

        public ConfigFile File { get; }

        /// <summary>The name as written (case kept: httpd directive names are case-insensitive).</summary>
        public string Name { get; }

        /// <summary>The words after the name, as httpd splits them (quotes removed).</summary>
        public IReadOnlyList<string> Arguments => _arguments ??= ConfigFile.SplitArguments(_source, _argumentStart, _argumentEnd);

        /// <summary>Index of the first physical line.</summary>
        public int FirstLine { get; internal set; }

        /// <summary>The leading whitespace of the first line.</summary>
        public string Indent { get; }

        public ConfigSection? Parent { get; set; }

        /// <summary>
        /// True when httpd reads this node: it is in a file httpd includes and in no &lt;IfDefine&gt;, &lt;IfModule&gt; or
        /// &lt;IfFile&gt; section whose condition is false (as <see cref="ConfigTree"/> evaluates them). A file parsed on its
        /// own has every node active.
        /// </summary>
        public bool IsActive { get; internal set; } = true;

        internal ConfigNodeRole Role { get; }

        /// <summary>The last physical line this node occupies (a section's closing tag).</summary>
        internal abstract int EndLine { get; }

        public bool Is(string name) => string.Equals(Name, name, StringComparison.OrdinalIgnoreCase);

        internal abstract void Shift(int from, int delta);

        private static ConfigNodeRole RoleOf(string name, bool section)
        {
            if (section)
            {
                return Equals(name, "IfDefine") ? ConfigNodeRole.IfDefine
                    : Equals(name, "IfModule") ? ConfigNodeRole.IfModule
                    : Equals(name, "IfFile") ? ConfigNodeRole.IfFile
                    : ConfigNodeRole.Other;
            }

            switch (name.Length)
            {
                case 6:
                    return Equals(name, "Define") ? ConfigNodeRole.Define : ConfigNodeRole.Other;
                case 7:
                    return Equals(name, "Include") ? ConfigNodeRole.Include : ConfigNodeRole.Other;
                case 8:
                    return Equals(name, "UnDefine") ? ConfigNodeRole.UnDefine : ConfigNodeRole.Other;
                case 10:
                    return Equals(name, "LoadModule") ? ConfigNodeRole.LoadModule
                        : Equals(name, "ServerRoot") ? ConfigNodeRole.ServerRoot
                        : ConfigNodeRole.Other;
                case 15:
                    return Equals(name, "IncludeOptional") ? ConfigNodeRole.IncludeOptional : ConfigNodeRole.Other;
                default:
                    return ConfigNodeRole.Other;
            }
        }

        private static bool Equals(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>One directive: "Listen 443", "SSLCertificateFile /etc/ssl/x.pem" (continuation lines included).</summary>
    internal sealed class ConfigDirective : ConfigNode
    {
        private IncludeList? _include;

        public ConfigDirective(ConfigFile file, string name, byte[] source, int argumentStart, int argumentEnd, int firstLine, int lastLine, string indent)
            : base(file, name, source, argumentStart, argumentEnd, firstLine, indent)
        {
            LastLine = lastLine;
        }

        /// <summary>Index of the last physical line (continuations).</summary>
        public int LastLine { get; internal set; }

        /// <summary>For Include directives httpd processes: the files it brought in, in httpd's order.</summary>
        public IReadOnlyList<ConfigFile> Included => (IReadOnlyList<ConfigFile>?)_include?.Files ?? Array.Empty<ConfigFile>();

        /// <summary>The paths (as httpd opens them: a link's own path, not its target) of <see cref="Included"/>, one each.</summary>
        internal IReadOnlyList<string> IncludedPaths => (IReadOnlyList<string>?)_include?.Paths ?? Array.Empty<string>();

        internal override int EndLine => LastLine;

        internal void ClearIncluded()
        {
            _include?.Files.Clear();
            _include?.Paths.Clear();
        }

        internal void AddIncluded(string path, ConfigFile file)
        {
            _include ??= new IncludeList();
            _include.Files.Add(file);
            _include.Paths.Add(path);
        }

        internal override void Shift(int from, int delta)
        {
            if (FirstLine >= from)
            {
                FirstLine += delta;
                LastLine += delta;
            }
        }
    }

    /// <summary>What one Include brought in: the files, and the paths they were opened by.</summary>
    internal sealed class IncludeList
    {
        public List<ConfigFile> Files { get; } = new List<ConfigFile>();

        public List<string> Paths { get; } = new List<string>();
    }

    /// <summary>A section: &lt;VirtualHost *:443&gt; ... &lt;/VirtualHost&gt;.</summary>
    internal sealed class ConfigSection : ConfigNode
    {
        public ConfigSection(ConfigFile file, string name, byte[] source, int argumentStart, int argumentEnd, int firstLine, string indent)
            : base(file, name, source, argumentStart, argumentEnd, firstLine, indent)
        {
        }

        /// <summary>Index of the physical line holding the closing tag.</summary>
        public int CloseLine { get; set; }

        /// <summary>True when the closing tag shares its line with other content (two blocks on one line).</summary>
        public bool CloseShared { get; set; }

        public List<ConfigNode> Children { get; } = new List<ConfigNode>();

        /// <summary>For a conditional section (&lt;IfDefine&gt;, &lt;IfModule&gt;, &lt;IfFile&gt;): whether httpd takes its content.</summary>
        public bool IsTaken { get; internal set; } = true;

        internal override int EndLine => CloseLine;

        internal override void Shift(int from, int delta)
        {
            if (FirstLine >= from)
            {
                FirstLine += delta;
            }

            if (CloseLine >= from)
            {
                CloseLine += delta;
            }

            foreach (ConfigNode child in Children)
            {
                child.Shift(from, delta);
            }
        }
    }
}
