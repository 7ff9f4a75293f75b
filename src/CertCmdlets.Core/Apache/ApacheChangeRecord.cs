using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using CertCmdlets.Core.Certificates;
using CertCmdlets.Core.IO;

namespace CertCmdlets.Core.Apache
{
    /// <summary>
    /// What one committed change did, kept beside its backups (BackupDirectory/change.tsv) so that it can be taken
    /// back: by the command itself when the reloaded httpd does not serve what was configured, or later by
    /// Undo-ApacheChange. Lines: "serverroot", "config", then "replace" (live, backup, hash of the new content),
    /// "create" (live, hash), "link" (live, target), "directory" (live), in the order they were done.
    /// </summary>
    internal sealed class ApacheChangeRecord
    {
        public const string FileName = "change.tsv";

        public const string UndoneName = "change.undone.tsv";

        private ApacheChangeRecord(string backupDirectory, string serverRoot, string mainConfig, string serverName, int port, List<Entry> entries)
        {
            ServerName = serverName;
            Port = port;
            BackupDirectory = backupDirectory;
            ServerRoot = serverRoot;
            MainConfig = mainConfig;
            Entries = entries;
        }

        public string BackupDirectory { get; }

        public string ServerRoot { get; }

        public string MainConfig { get; }

        public List<Entry> Entries { get; }

        /// <summary>The site the change was made for.</summary>
        public string ServerName { get; }

        public int Port { get; }

        public static string Hash(string path)
        {
            using SHA256 sha = SHA256.Create();
            using FileStream stream = File.OpenRead(path);
            return Hex.Upper(sha.ComputeHash(stream));
        }

        public static void Write(string backupDirectory, string serverRoot, string mainConfig, string serverName, int port, IEnumerable<Entry> entries)
        {
            var text = new StringBuilder();
            text.Append("serverroot\t").Append(serverRoot).Append('\n');
            text.Append("config\t").Append(mainConfig).Append('\n');
            text.Append("site\t").Append(serverName).Append('\t').Append(port.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
            foreach (Entry entry in entries)
            {
                text.Append(entry.Kind).Append('\t').Append(entry.Path).Append('\t').Append(entry.Other).Append('\t').Append(entry.Hash).Append('\n');
            }

            Directory.CreateDirectory(backupDirectory);
            string path = Path.Combine(backupDirectory, FileName);
            string temporary = path + ".tmp";
            File.WriteAllText(temporary, text.ToString(), new UTF8Encoding(false));
            ApacheTransaction.MoveOver(temporary, path);
        }

        /// <summary>Reads the record of <paramref name="backupDirectory"/>, or throws ApacheUndoUnavailable saying why it cannot.</summary>
        public static ApacheChangeRecord Read(string backupDirectory)
        {
            string full = Path.GetFullPath(backupDirectory);
            string path = Path.Combine(full, FileName);
            if (!File.Exists(path))
            {
                throw File.Exists(Path.Combine(full, UndoneName))
                    ? Errors.ApacheUndoUnavailable(full, "it was already undone.")
                    : Errors.ApacheUndoUnavailable(full, $"it holds no record of a change ({FileName}); it is not a backup folder of this module, or its change was made by an older version.");
            }

            string? serverRoot = null;
            string? mainConfig = null;
            string serverName = string.Empty;
            int port = 0;
            var entries = new List<Entry>();
            string[] lines;
            try
            {
                lines = File.ReadAllLines(path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw Errors.ApacheUndoUnavailable(full, $"its record '{path}' cannot be read ({ex.Message}).");
            }

            foreach (string line in lines)
            {
                string[] fields = line.Split('\t');
                switch (fields[0])
                {
                    case "serverroot" when fields.Length == 2:
                        serverRoot = fields[1];
                        break;
                    case "config" when fields.Length == 2:
                        mainConfig = fields[1];
                        break;
                    case "site" when fields.Length == 3 && int.TryParse(fields[2], out int sitePort):
                        serverName = fields[1];
                        port = sitePort;
                        break;
                    case "replace" or "create" or "link" or "directory" when fields.Length == 4:
                        entries.Add(new Entry(fields[0], fields[1], fields[2], fields[3]));
                        break;
                    default:
                        throw Errors.ApacheUndoUnavailable(full, $"its record '{path}' is damaged (line '{line}').");
                }
            }

            if (serverRoot is null || mainConfig is null)
            {
                throw Errors.ApacheUndoUnavailable(full, $"its record '{path}' is damaged (no configuration named).");
            }

            return new ApacheChangeRecord(full, serverRoot, mainConfig, serverName, port, entries);
        }

        /// <summary>Throws ApacheUndoConflict when a file the change wrote was changed again since.</summary>
        public void CheckUnchangedSince()
        {
            foreach (Entry entry in Entries)
            {
                bool changed;
                try
                {
                    changed = entry.Kind switch
                    {
                        "replace" or "create" => !File.Exists(entry.Path) || Hash(entry.Path) != entry.Hash,
                        "link" => !IsSymbolicLink(entry.Path),
                        _ => false,
                    };
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    throw Errors.ApacheUndoUnavailable(BackupDirectory, $"'{entry.Path}' cannot be read ({ex.Message}).");
                }

                if (changed)
                {
                    throw Errors.ApacheUndoConflict(entry.Path, BackupDirectory);
                }

                if (entry.Kind == "replace" && !File.Exists(entry.Other))
                {
                    throw Errors.ApacheUndoUnavailable(BackupDirectory, $"the backup '{entry.Other}' of '{entry.Path}' is missing.");
                }
            }
        }

        /// <summary>
        /// Puts every file and link back as it was before the change, newest first: backups copied to a temporary file
        /// beside the live one and renamed over it (the live file's owner and mode kept), created files and links
        /// removed, created folders removed when empty. Returns the paths put back.
        /// </summary>
        public List<string> Restore(ICoreLog log)
        {
            var restored = new List<string>();
            for (int i = Entries.Count - 1; i >= 0; i--)
            {
                Entry entry = Entries[i];
                switch (entry.Kind)
                {
                    case "replace":
                        ReplaceFrom(entry.Other, entry.Path);
                        restored.Add(entry.Path);
                        log.Verbose($"Restored '{entry.Path}' from '{entry.Other}'.");
                        break;
                    case "create":
                    case "link":
                        if (File.Exists(entry.Path) || IsSymbolicLink(entry.Path))
                        {
                            File.Delete(entry.Path);
                            restored.Add(entry.Path);
                            log.Verbose($"Removed '{entry.Path}', which the change had created.");
                        }

                        break;
                    case "directory":
                        ApacheTransaction.DeleteIfEmpty(entry.Path);
                        break;
                }
            }

            return restored;
        }

        private static bool IsSymbolicLink(string path)
        {
            try
            {
                return (File.GetAttributes(path) & FileAttributes.ReparsePoint) != 0;
            }
            catch (Exception ex) when (ex is FileNotFoundException || ex is DirectoryNotFoundException)
            {
                return false;
            }
        }

        /// <summary>
        /// Puts the content of <paramref name="copy"/> at <paramref name="live"/> in one rename: a temporary file beside
        /// it, given the live file's owner, group and mode, renamed over it.
        /// </summary>
        private static void ReplaceFrom(string copy, string live)
        {
            string temporary = Path.Combine(Path.GetDirectoryName(live)!, "." + Path.GetFileName(live) + ".certcmdlets-undo");
            File.Copy(copy, temporary, overwrite: true);
            CopyOwnerAndMode(live, temporary);
            ApacheTransaction.MoveOver(temporary, live);
        }

        /// <summary>The restored file gets the live file's owner, group and mode (a backup copy is the copier's).</summary>
        private static void CopyOwnerAndMode(string live, string temporary)
        {
            if (!UnixFiles.StatusSupported || UnixFiles.Status(live, followLinks: true) is not FileStatus status)
            {
                return;
            }

            using var stream = new FileStream(temporary, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            UnixFiles.SetMode(stream.SafeFileHandle, status.Permissions);
            UnixFiles.TrySetOwner(stream.SafeFileHandle, status.OwnerId, status.GroupId);
        }

        /// <summary>
        /// Copies of what is live now at the paths the change wrote (into BackupDirectory/before-undo), so that an undo
        /// whose result httpd rejects can be taken back. Returns a record that restores them.
        /// </summary>
        public ApacheChangeRecord SaveCurrent()
        {
            string saved = Path.Combine(BackupDirectory, "before-undo");
            Directory.CreateDirectory(saved);
            var entries = new List<Entry>();
            int index = 0;
            foreach (Entry entry in Entries)
            {
                switch (entry.Kind)
                {
                    case "replace":
                        string copy = Path.Combine(saved, (index++).ToString(System.Globalization.CultureInfo.InvariantCulture));
                        File.Copy(entry.Path, copy, overwrite: true);
                        entries.Add(new Entry("replace", entry.Path, copy, entry.Hash));
                        break;
                    case "create":
                        string created = Path.Combine(saved, (index++).ToString(System.Globalization.CultureInfo.InvariantCulture));
                        File.Copy(entry.Path, created, overwrite: true);
                        entries.Add(new Entry("recreate", entry.Path, created, entry.Hash));
                        break;
                    case "link":
                        entries.Add(new Entry("relink", entry.Path, entry.Other, string.Empty));
                        break;
                }
            }

            return new ApacheChangeRecord(BackupDirectory, ServerRoot, MainConfig, ServerName, Port, entries);
        }

        /// <summary>Puts back what <see cref="SaveCurrent"/> saved (after a rejected undo).</summary>
        public void PutBack(ICoreLog log)
        {
            foreach (Entry entry in Entries)
            {
                switch (entry.Kind)
                {
                    case "replace":
                        ReplaceFrom(entry.Other, entry.Path);
                        break;
                    case "recreate":
                        File.Copy(entry.Other, entry.Path, overwrite: true);
                        break;
                    case "relink":
                        if (!IsSymbolicLink(entry.Path))
                        {
                            UnixFiles.CreateSymbolicLink(entry.Other, entry.Path);
                        }

                        break;
                }

                log.Verbose($"Put '{entry.Path}' back as it was before the undo.");
            }

            Directory.Delete(Path.Combine(BackupDirectory, "before-undo"), recursive: true);
        }

        /// <summary>Marks the change as undone (its record renamed), so that it is not undone twice.</summary>
        public void MarkUndone() =>
            File.Move(Path.Combine(BackupDirectory, FileName), Path.Combine(BackupDirectory, UndoneName));

        internal sealed class Entry
        {
            public Entry(string kind, string path, string other, string hash)
            {
                Kind = kind;
                Path = path;
                Other = other;
                Hash = hash;
            }

            public string Kind { get; }

            public string Path { get; }

            /// <summary>The backup (replace) or the link target (link).</summary>
            public string Other { get; }

            /// <summary>SHA-256 of the content the change wrote (replace, create).</summary>
            public string Hash { get; }
        }
    }
}
