using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace CertCmdlets.Core.Apache
{
    /// <summary>
    /// The changes one command plans for an httpd configuration, held in memory: edited files, new files, new symbolic
    /// links. Planning is pure - nothing here touches the disk except to read; <see cref="ApacheTransaction"/> tests and
    /// writes the plan. The tree sees planned files and links as httpd will once they exist.
    /// </summary>
    internal sealed class EditSession
    {
        private readonly List<(string Path, string Target)> _links = new List<(string, string)>();
        private readonly List<ConfigFile> _newFiles = new List<ConfigFile>();

        public EditSession(ConfigTree tree, ApacheLayout layout)
        {
            Tree = tree;
            Layout = layout;
        }

        public ConfigTree Tree { get; }

        public ApacheLayout Layout { get; }

        public bool HasChanges => _links.Count > 0 || _newFiles.Count > 0 || Tree.Files.Any(f => f.IsChanged);

        /// <summary>The files this session changes or creates, and the links it makes.</summary>
        public IEnumerable<string> ChangedPaths => ChangedFiles.Select(f => f.Path).Concat(_links.Select(l => l.Path)).Distinct();

        /// <summary>Existing files with edits, in reading order.</summary>
        internal IEnumerable<ConfigFile> EditedFiles => Tree.Files.Where(f => !f.IsNew && f.IsChanged);

        internal IReadOnlyList<ConfigFile> NewFiles => _newFiles;

        internal IReadOnlyList<(string Path, string Target)> Links => _links;

        private IEnumerable<ConfigFile> ChangedFiles => Tree.Files.Where(f => f.IsNew || f.IsChanged);

        /// <summary>A new file, empty until lines are added; it exists on disk only once the transaction commits.</summary>
        public ConfigFile NewFile(string path)
        {
            string full = Path.GetFullPath(path);
            ConfigFile? existing = Tree.Find(full);
            if (existing is not null)
            {
                return existing;
            }

            if (File.Exists(full))
            {
                return Tree.Read(full, new HashSet<string>(StringComparer.Ordinal));
            }

            var file = new ConfigFile(full, string.Empty) { IsNew = true };
            Tree.AddPlannedFile(file);
            _newFiles.Add(file);
            return file;
        }

        /// <summary>A relative symbolic link, as a2enmod and a2ensite make them.</summary>
        public void Link(string path, string target)
        {
            if (!IsLinkPlanned(path))
            {
                _links.Add((path, target));
                Tree.AddPlannedLink(path, target);
            }
        }

        public bool IsLinkPlanned(string path) => _links.Any(l => string.Equals(l.Path, path, StringComparison.Ordinal));

        /// <summary>A readable account of the changes: a unified-style diff per file, and the links.</summary>
        public string Diff()
        {
            var builder = new StringBuilder();
            foreach (ConfigFile file in ChangedFiles)
            {
                builder.Append(LineDiff.Unified(file));
            }

            foreach ((string path, string target) in _links)
            {
                builder.Append("+ link ").Append(path).Append(" -> ").Append(target).Append('\n');
            }

            return builder.ToString();
        }
    }
}
