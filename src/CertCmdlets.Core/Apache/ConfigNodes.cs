using System;
using System.Collections.Generic;

namespace CertCmdlets.Core.Apache
{
    /// <summary>A directive or a section in an httpd configuration file, with the physical lines it occupies.</summary>
    internal abstract class ConfigNode
    {
        protected ConfigNode(ConfigFile file, string name, IReadOnlyList<string> arguments, int firstLine, string indent)
        {
            File = file;
            Name = name;
            Arguments = arguments;
            FirstLine = firstLine;
            Indent = indent;
        }

        public ConfigFile File { get; }

        /// <summary>The name as written (case kept: httpd directive names are case-insensitive).</summary>
        public string Name { get; }

        public IReadOnlyList<string> Arguments { get; }

        /// <summary>Index of the first physical line.</summary>
        public int FirstLine { get; }

        /// <summary>The leading whitespace of the first line.</summary>
        public string Indent { get; }

        public ConfigSection? Parent { get; set; }

        public bool Is(string name) => string.Equals(Name, name, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>One directive: "Listen 443", "SSLCertificateFile /etc/ssl/x.pem" (continuation lines included).</summary>
    internal sealed class ConfigDirective : ConfigNode
    {
        public ConfigDirective(ConfigFile file, string name, IReadOnlyList<string> arguments, int firstLine, int lastLine, string indent)
            : base(file, name, arguments, firstLine, indent)
        {
            LastLine = lastLine;
        }

        /// <summary>Index of the last physical line (continuations).</summary>
        public int LastLine { get; }

        /// <summary>For Include directives: the files it brought in.</summary>
        public List<ConfigFile> Included { get; } = new List<ConfigFile>();
    }

    /// <summary>A section: &lt;VirtualHost *:443&gt; ... &lt;/VirtualHost&gt;.</summary>
    internal sealed class ConfigSection : ConfigNode
    {
        public ConfigSection(ConfigFile file, string name, IReadOnlyList<string> arguments, int firstLine, string indent)
            : base(file, name, arguments, firstLine, indent)
        {
        }

        /// <summary>Index of the physical line holding the closing tag.</summary>
        public int CloseLine { get; set; }

        /// <summary>True when the closing tag shares its line with other content (two blocks on one line).</summary>
        public bool CloseShared { get; set; }

        public List<ConfigNode> Children { get; } = new List<ConfigNode>();
    }
}
