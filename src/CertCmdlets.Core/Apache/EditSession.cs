using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using CertCmdlets.Core.IO;

namespace CertCmdlets.Core.Apache
{
    /// <summary>
    /// The changes one command makes to an httpd configuration, held in memory until applied as a unit:
    /// edited files, new files, new symbolic links. Applying backs up every file first, writes atomically
    /// (temporary file, then rename, keeping each file's permissions), and can restore everything.
    /// </summary>
    internal sealed class EditSession
    {
        private readonly List<(string Path, string Target)> _links = new List<(string, string)>();
        private readonly HashSet<ConfigFile> _newFiles = new HashSet<ConfigFile>();
        private readonly List<string> _diff = new List<string>();

        public EditSession(ConfigTree tree, ApacheLayout layout)
        {
            Tree = tree;
            Layout = layout;
        }

        public ConfigTree Tree { get; }

        public ApacheLayout Layout { get; }

        public bool HasChanges => _links.Count > 0 || _newFiles.Count > 0 || Tree.Files.Any(f => f.IsChanged);

        /// <summary>The files this session changes or creates.</summary>
        public IEnumerable<string> ChangedPaths => Tree.Files.Where(f => f.IsChanged || _newFiles.Contains(f)).Select(f => f.Path).Concat(_links.Select(l => l.Path)).Distinct();

        /// <summary>A new file, empty until lines are added; it exists on disk only once applied.</summary>
        public ConfigFile NewFile(string path)
        {
            ConfigFile? existing = Tree.Find(path);
            if (existing is not null)
            {
                return existing;
            }

            if (File.Exists(path))
            {
                ConfigFile read = Tree.Read(path, new HashSet<string>(StringComparer.Ordinal));
                return read;
            }

            var file = new ConfigFile(Path.GetFullPath(path), string.Empty);
            Tree.Files.Add(file);
            _newFiles.Add(file);
            return file;
        }

        /// <summary>A relative symbolic link, as a2enmod and a2ensite make them.</summary>
        public void Link(string path, string target)
        {
            if (!_links.Any(l => l.Path == path))
            {
                _links.Add((path, target));
            }
        }

        public bool IsLinkPlanned(string path) => _links.Any(l => l.Path == path);

        /// <summary>A readable account of the changes: a unified-style diff per file, and the links.</summary>
        public string Diff()
        {
            var builder = new StringBuilder();
            foreach (ConfigFile file in Tree.Files.Where(f => f.IsChanged || _newFiles.Contains(f)))
            {
                builder.Append(LineDiff.Unified(_newFiles.Contains(file) ? string.Empty : file.OriginalText, file.Text, file.Path));
            }

            foreach ((string path, string target) in _links)
            {
                builder.Append("+ link ").Append(path).Append(" -> ").Append(target).Append('\n');
            }

            return builder.ToString();
        }

        /// <summary>Writes everything; on any failure restores what was there. Returns the backups made.</summary>
        public AppliedChanges Apply(ICoreLog log)
        {
            string backupRoot = Path.Combine(Layout.ServerRoot, ".certcmdlets-backup", DateTime.Now.ToString("yyyyMMdd-HHmmss-fff", System.Globalization.CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N").Substring(0, 6));
            var applied = new AppliedChanges(backupRoot);
            try
            {
                foreach (ConfigFile file in Tree.Files.Where(f => f.IsChanged && !_newFiles.Contains(f)))
                {
                    // A site read through its sites-enabled link is written where the link points: the link stays a link.
                    string physical = UnixFiles.RealPath(file.Path);
                    string backup = Path.Combine(backupRoot, Relative(physical));
                    Directory.CreateDirectory(Path.GetDirectoryName(backup)!);
                    File.Copy(physical, backup);
                    applied.Backups.Add((physical, backup));
                    ReplaceKeepingMode(physical, file.Text);
                    log.Verbose($"Changed '{physical}'{(physical == file.Path ? string.Empty : $" (through the link '{file.Path}')")}, backup '{backup}'.");
                }

                foreach (ConfigFile file in _newFiles)
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(file.Path)!);
                    var plan = new FileWritePlan(force: false);
                    plan.Add(file.Path, new UTF8Encoding(false).GetBytes(file.Text), isPrivateKey: false, "httpd configuration");
                    plan.Commit((_, _) => true, NullCoreLog.Instance);
                    applied.Created.Add(file.Path);
                    log.Verbose($"Created '{file.Path}'.");
                }

                foreach ((string path, string target) in _links)
                {
                    UnixFiles.CreateSymbolicLink(target, path);
                    applied.Created.Add(path);
                    log.Verbose($"Linked '{path}' -> '{target}'.");
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is CertCmdletsException)
            {
                applied.Restore();
                throw Errors.ApacheWriteFailed(applied.Backups.Count > 0 ? applied.Backups[applied.Backups.Count - 1].Original : Layout.MainConfig, ex);
            }

            return applied;
        }

        private string Relative(string path)
        {
            string root = Layout.ServerRoot.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
            return path.StartsWith(root, StringComparison.Ordinal) ? path.Substring(root.Length) : path.TrimStart(Path.DirectorySeparatorChar, ':');
        }

        private static void ReplaceKeepingMode(string path, string text)
        {
            string temp = Path.Combine(Path.GetDirectoryName(path)!, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N") + ".tmp");
            try
            {
                // Copying first gives the temporary file the original's permissions (and, on Unix, its mode).
                File.Copy(path, temp);
                File.WriteAllText(temp, text, new UTF8Encoding(false));
                if (UnixFiles.IsUnix)
                {
                    UnixFiles.RenameReplace(temp, path);
                }
                else
                {
                    File.Replace(temp, path, null, ignoreMetadataErrors: true);
                }
            }
            finally
            {
                if (File.Exists(temp))
                {
                    File.Delete(temp);
                }
            }
        }
    }

    /// <summary>What an applied session wrote, so that it can be undone.</summary>
    internal sealed class AppliedChanges
    {
        public AppliedChanges(string backupDirectory)
        {
            BackupDirectory = backupDirectory;
        }

        public string BackupDirectory { get; }

        public List<(string Original, string Backup)> Backups { get; } = new List<(string, string)>();

        public List<string> Created { get; } = new List<string>();

        /// <summary>Puts every changed file back and removes every created one.</summary>
        public void Restore()
        {
            foreach ((string original, string backup) in Backups)
            {
                File.Copy(backup, original, overwrite: true);
            }

            foreach (string created in Created)
            {
                if (File.Exists(created) || IsLink(created))
                {
                    File.Delete(created);
                }
            }

            // Nothing changed after all, so the backups are not needed: leave no trace.
            DeleteBackups();
        }

        /// <summary>Removes this session's backup folder, and the backup root when it is left empty.</summary>
        public void DeleteBackups()
        {
            if (Directory.Exists(BackupDirectory))
            {
                Directory.Delete(BackupDirectory, recursive: true);
            }

            string? root = Path.GetDirectoryName(BackupDirectory);
            if (root is not null && Directory.Exists(root) && !Directory.EnumerateFileSystemEntries(root).Any())
            {
                Directory.Delete(root);
            }
        }

        private static bool IsLink(string path)
        {
            try
            {
                return (File.GetAttributes(path) & FileAttributes.ReparsePoint) != 0;
            }
            catch (IOException)
            {
                return false;
            }
        }
    }
}
