using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using CertCmdlets.Core.IO;

namespace CertCmdlets.Core.Apache
{
    /// <summary>What one commit does, written down before it starts, so that a killed run can be finished by the next.</summary>
    internal sealed class ApacheJournalEntry
    {
        public ApacheJournalEntry(string kind, string path, string source, string liveVersion, string stagedVersion)
        {
            Kind = kind;
            Path = path;
            Source = source;
            LiveVersion = liveVersion;
            StagedVersion = stagedVersion;
        }

        /// <summary>"directory", "create", "replace" or "link".</summary>
        public string Kind { get; }

        /// <summary>The live path (for "replace", the physical file, not a link to it).</summary>
        public string Path { get; }

        /// <summary>The staged file renamed into place, or a link's target.</summary>
        public string Source { get; }

        /// <summary>For "replace": the version (device, inode, size, time) of the live file the change was planned on.</summary>
        public string LiveVersion { get; }

        /// <summary>The staged file's version (the same after a rename, which keeps the inode).</summary>
        public string StagedVersion { get; }
    }

    /// <summary>
    /// The transaction folder of one run, <c>ServerRoot/.certcmdlets-txn-&lt;stamp&gt;-&lt;id&gt;/</c> (mode 0700), and its
    /// journal. Everything a run makes before it commits lives there: the staged new versions of the files (on the
    /// ServerRoot's file system, so a rename puts each in place atomically), the candidate copies httpd tests, the
    /// journal. A file on another file system is staged beside itself instead, and the journal lists it.
    /// </summary>
    /// <remarks>
    /// The journal's state is "prepared" until every new version is staged, tested and backed up; then it becomes
    /// "committing" (written to a temporary file, synced, renamed: the switch is atomic), and only then is anything live
    /// touched. So the next run (<see cref="Recover"/>, under the same lock) knows what to do with a folder a killed run
    /// left: prepared - nothing live changed, remove the folder, the staged files and the unused backups (the old
    /// configuration stays, and it passed); committing - finish the renames and links that are missing (the new
    /// configuration passed httpd's test before the journal said so). A live file that changed since the killed run
    /// planned it is never overwritten: the recovery says so and leaves it.
    /// </remarks>
    internal sealed class ApacheJournal
    {
        public const string FolderPrefix = ".certcmdlets-txn-";
        private const string Header = "certcmdlets-apache-journal\t1";
        private const string FileName = "journal";

        private ApacheJournal(string folder)
        {
            Folder = folder;
        }

        public string Folder { get; }

        public string JournalPath => Path.Combine(Folder, FileName);

        public List<ApacheJournalEntry> Entries { get; } = new List<ApacheJournalEntry>();

        /// <summary>Staged files outside <see cref="Folder"/> (other file systems), removed with it.</summary>
        public List<string> OutsideFiles { get; } = new List<string>();

        public string? BackupDirectory { get; set; }

        /// <summary>A new transaction folder under the ServerRoot, mode 0700.</summary>
        public static ApacheJournal Create(string serverRoot)
        {
            string name = FolderPrefix + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N").Substring(0, 8);
            string folder = Path.Combine(serverRoot, name);
            ApacheTransaction.CreatePrivateDirectory(folder);
            return new ApacheJournal(folder);
        }

        public void Write(string state)
        {
            var text = new StringBuilder();
            text.Append(Header).Append('\n');
            text.Append("state\t").Append(state).Append('\n');
            text.Append("pid\t").Append(System.Diagnostics.Process.GetCurrentProcess().Id.ToString(CultureInfo.InvariantCulture)).Append('\n');
            if (BackupDirectory is not null)
            {
                text.Append("backup\t").Append(Escape(BackupDirectory)).Append('\n');
            }

            foreach (string outside in OutsideFiles)
            {
                text.Append("outside\t").Append(Escape(outside)).Append('\n');
            }

            foreach (ApacheJournalEntry entry in Entries)
            {
                text.Append(entry.Kind).Append('\t').Append(Escape(entry.Path)).Append('\t').Append(Escape(entry.Source)).Append('\t')
                    .Append(Escape(entry.LiveVersion)).Append('\t').Append(Escape(entry.StagedVersion)).Append('\n');
            }

            string temporary = JournalPath + ".new";
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }

            // Only the switch to "committing" must survive a power cut before the renames; "prepared" is thrown away anyway.
            ApacheTransaction.WriteNewFile(temporary, Encoding.UTF8.GetBytes(text.ToString()), Convert.ToInt32("600", 8), durable: state == "committing");
            if (UnixFiles.IsUnix)
            {
                UnixFiles.RenameReplace(temporary, JournalPath);
            }
            else
            {
                if (File.Exists(JournalPath))
                {
                    File.Replace(temporary, JournalPath, null, ignoreMetadataErrors: true);
                }
                else
                {
                    File.Move(temporary, JournalPath);
                }
            }
        }

        /// <summary>Removes the transaction folder and the staged files outside it.</summary>
        public void Delete()
        {
            foreach (string outside in OutsideFiles)
            {
                TryDelete(outside);
            }

            if (Directory.Exists(Folder))
            {
                Directory.Delete(Folder, recursive: true);
            }
        }

        /// <summary>
        /// Finds the transaction folders killed runs left under <paramref name="serverRoot"/> and finishes or removes each
        /// (see the class remarks). Must run under the ServerRoot's lock. With -WhatIf (<paramref name="shouldProcess"/>
        /// declines) nothing is touched and a warning says what the next run will do.
        /// </summary>
        public static void Recover(string serverRoot, Func<string, string, bool> shouldProcess, ICoreLog log)
        {
            string[] folders;
            try
            {
                folders = Directory.Exists(serverRoot) ? Directory.GetDirectories(serverRoot, FolderPrefix + "*") : Array.Empty<string>();
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return;
            }

            foreach (string folder in folders.OrderBy(f => f, StringComparer.Ordinal))
            {
                (string state, ApacheJournal journal) = Load(folder);
                bool finish = state == "committing";
                string action = finish
                    ? "Finish a change to the httpd configuration that an interrupted run left half written (it passed httpd's configuration test)"
                    : "Remove what an interrupted run left before it changed anything";
                if (!shouldProcess(folder, action))
                {
                    log.Warning($"An interrupted run left '{folder}'. It was left as it is (-WhatIf); the next run will {(finish ? "finish its change" : "remove it")}.");
                    continue;
                }

                try
                {
                    if (finish)
                    {
                        journal.RollForward(log);
                        log.Warning($"A change that an interrupted run left half written was finished ('{folder}'; backups in '{journal.BackupDirectory}').");
                    }
                    else
                    {
                        if (journal.BackupDirectory is not null && Directory.Exists(journal.BackupDirectory))
                        {
                            Directory.Delete(journal.BackupDirectory, recursive: true);
                            ApacheTransaction.DeleteIfEmpty(Path.GetDirectoryName(journal.BackupDirectory)!);
                        }

                        log.Verbose($"Removed '{folder}', which an interrupted run left before changing anything.");
                    }

                    journal.Delete();
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    throw Errors.ApacheRecoveryFailed(journal.JournalPath, ex.Message, ex);
                }
            }
        }

        private static (string State, ApacheJournal Journal) Load(string folder)
        {
            var journal = new ApacheJournal(folder);
            string path = journal.JournalPath;
            string state = "prepared";
            if (!File.Exists(path))
            {
                return (state, journal);
            }

            string[] lines;
            try
            {
                lines = File.ReadAllText(path, Encoding.UTF8).Split('\n');
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw Errors.ApacheRecoveryFailed(path, "it cannot be read: " + ex.Message, ex);
            }

            if (lines.Length == 0 || lines[0] != Header)
            {
                // Never completely written (the rename makes a journal appear whole): nothing live was touched.
                return (state, journal);
            }

            foreach (string line in lines.Skip(1))
            {
                string[] fields = line.Split('\t').Select(Unescape).ToArray();
                switch (fields[0])
                {
                    case "state" when fields.Length > 1:
                        state = fields[1];
                        break;
                    case "backup" when fields.Length > 1:
                        journal.BackupDirectory = fields[1];
                        break;
                    case "outside" when fields.Length > 1:
                        journal.OutsideFiles.Add(fields[1]);
                        break;
                    case "directory":
                    case "create":
                    case "replace":
                    case "link":
                        if (fields.Length >= 5)
                        {
                            journal.Entries.Add(new ApacheJournalEntry(fields[0], fields[1], fields[2], fields[3], fields[4]));
                        }

                        break;
                }
            }

            return (state, journal);
        }

        /// <summary>Does whatever of the journal's steps is not done yet; each step is idempotent.</summary>
        private void RollForward(ICoreLog log)
        {
            foreach (ApacheJournalEntry entry in Entries)
            {
                switch (entry.Kind)
                {
                    case "directory":
                        if (!Directory.Exists(entry.Path))
                        {
                            ApacheTransaction.CreateDirectory(entry.Path);
                        }

                        break;

                    case "create":
                        if (Exists(entry.Source))
                        {
                            if (!Exists(entry.Path))
                            {
                                ApacheTransaction.MoveNew(entry.Source, entry.Path);
                            }
                            else if (VersionOf(entry.Path) != entry.StagedVersion)
                            {
                                log.Warning($"'{entry.Path}' appeared after the interrupted run planned to create it; it was left as it is.");
                            }
                        }

                        break;

                    case "replace":
                        if (Exists(entry.Source))
                        {
                            if (VersionOf(entry.Path) == entry.LiveVersion)
                            {
                                ApacheTransaction.MoveOver(entry.Source, entry.Path);
                            }
                            else
                            {
                                log.Warning($"'{entry.Path}' was changed after the interrupted run planned its change; it was left as it is and the planned version discarded.");
                            }
                        }

                        break;

                    case "link":
                        if (!Exists(entry.Path))
                        {
                            UnixFiles.CreateSymbolicLink(entry.Source, entry.Path);
                        }

                        break;
                }
            }
        }

        private static bool Exists(string path)
        {
            if (PosixFile.IsSupported)
            {
                return PosixFile.TryStat(path, false, out _, out _);
            }

            return File.Exists(path) || Directory.Exists(path);
        }

        /// <summary>The version string of a file as the journal records it ("" when it cannot be told).</summary>
        public static string VersionOf(string path)
        {
            if (PosixFile.IsSupported)
            {
                return PosixFile.TryStat(path, true, out PosixStat stat, out _) ? stat.Version : string.Empty;
            }

            try
            {
                var info = new FileInfo(path);
                return info.Exists ? info.Length.ToString(CultureInfo.InvariantCulture) + ":" + info.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture) : string.Empty;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return string.Empty;
            }
        }

        private static void TryDelete(string path)
        {
            try
            {
                if (File.Exists(path))
                {
                    File.Delete(path);
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                // Left for the next run, which lists it again.
            }
        }

        private static string Escape(string value) =>
            value.Replace("\\", "\\\\").Replace("\t", "\\t").Replace("\n", "\\n").Replace("\r", "\\r");

        private static string Unescape(string value)
        {
            if (value.IndexOf('\\') < 0)
            {
                return value;
            }

            var builder = new StringBuilder(value.Length);
            for (int i = 0; i < value.Length; i++)
            {
                if (value[i] == '\\' && i + 1 < value.Length)
                {
                    i++;
                    builder.Append(value[i] switch { 't' => '\t', 'n' => '\n', 'r' => '\r', _ => value[i] });
                }
                else
                {
                    builder.Append(value[i]);
                }
            }

            return builder.ToString();
        }
    }
}
