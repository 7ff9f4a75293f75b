using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace CertCmdlets.Core.IO
{
    /// <summary>
    /// The state a journal records: the set is being staged (prepared: its files may be deleted), is to be completed
    /// (commit) or undone (abort); member journals, in the set's other folders, only point at the primary.
    /// </summary>
    internal enum JournalState
    {
        Prepared,
        Member,
        Commit,
        Abort,
    }

    /// <summary>One file of a set: where it goes, the staged temporary file, and the hard link that keeps the file it replaces.</summary>
    internal sealed class JournalEntry
    {
        public JournalEntry(string directory, string name, string temporaryName, string? backupName, bool replaces, string? temporaryIdentity, string? originalIdentity)
        {
            Directory = directory;
            Name = name;
            TemporaryName = temporaryName;
            BackupName = backupName;
            Replaces = replaces;
            TemporaryIdentity = temporaryIdentity;
            OriginalIdentity = originalIdentity;
        }

        public string Directory { get; }

        public string Name { get; }

        public string TemporaryName { get; }

        public string? BackupName { get; }

        public bool Replaces { get; }

        /// <summary>device:inode of the staged file, so recovery never moves a file it did not stage.</summary>
        public string? TemporaryIdentity { get; }

        /// <summary>device:inode of the file replaced, so an undo never puts back a stranger's file.</summary>
        public string? OriginalIdentity { get; }

        public string Target => Path.Combine(Directory, Name);

        public string Temporary => Path.Combine(Directory, TemporaryName);

        public string? Backup => BackupName is null ? null : Path.Combine(Directory, BackupName);
    }

    /// <summary>
    /// The intent record of a file set (see <see cref="FileWritePlan"/>): a small text file named
    /// <c>.certcmdlets.journal</c>, always written atomically (temporary file, fsync, rename, fsync of the folder)
    /// into the set's first folder, the primary. The primary in state commit is the commit point; in state abort it
    /// says a failed write is being undone. A set spanning folders also writes, before staging anything, a member
    /// journal into each other folder (pointing at the primary) and a prepared primary, so the next write in any of
    /// its folders finds the set: a member whose primary is missing or prepared means "not committed, delete the
    /// staged files". Members are removed before the primary. Also: recovery of a journal left by a killed run, and
    /// the read-through that lets readers see the set a pending journal describes without changing anything.
    /// Journals are trusted only when they belong to this user, root or the folder's owner and no one else may
    /// write them; entries name files inside their folder only, of the staged shape, checked by device and inode.
    /// </summary>
    internal sealed class FileSetJournal
    {
        public const string FileName = ".certcmdlets.journal";

        private const string Magic = "certcmdlets-journal 1";
        private const long MaximumLength = 1024 * 1024;

        public FileSetJournal(string id, JournalState state, string primaryDirectory, IReadOnlyList<JournalEntry> entries)
        {
            Id = id;
            State = state;
            PrimaryDirectory = primaryDirectory;
            Entries = entries;
        }

        public string Id { get; }

        public JournalState State { get; }

        public string PrimaryDirectory { get; }

        public IReadOnlyList<JournalEntry> Entries { get; }

        /// <summary>Every folder of the set, primary first.</summary>
        public IReadOnlyList<string> Directories =>
            new[] { PrimaryDirectory }.Concat(Entries.Select(e => e.Directory)).Distinct(DirectoryLocks.PathComparer).ToList();

        public static string PathIn(string directory) => Path.Combine(directory, FileName);

        public FileSetJournal WithState(JournalState state) => new FileSetJournal(Id, state, PrimaryDirectory, Entries);

        /// <summary>Writes this journal into <paramref name="directory"/> atomically and durably.</summary>
        public void WriteTo(string directory, DirectoryLocks locks)
        {
            string temporary = Path.Combine(directory, StagedNames.Temporary(FileName));
            byte[] content = Encoding.UTF8.GetBytes(Serialize());
            try
            {
                using (FileStream stream = UnixFiles.IsUnix
                    ? UnixFiles.CreateExclusive(temporary, 0x180)
                    : new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    stream.Write(content, 0, content.Length);
                    stream.Flush(flushToDisk: true);
                }

                StagedNames.MoveOver(temporary, PathIn(directory));
            }
            catch
            {
                StagedNames.TryDelete(temporary);
                throw;
            }

            locks.Sync(directory);
        }

        /// <summary>
        /// Finishes (or undoes) whatever a killed run left in <paramref name="directory"/>: a pending journal, then
        /// stray temporary files and backups that no journal claims. Says what it did on the verbose stream.
        /// </summary>
        public static void Recover(string directory, DirectoryLocks locks, ICoreLog log)
        {
            FileSetJournal? journal = LoadForRecovery(directory);
            if (journal is not null)
            {
                if (journal.State == JournalState.Member)
                {
                    locks.Acquire(journal.PrimaryDirectory);
                    FileSetJournal? primary = LoadForRecovery(journal.PrimaryDirectory);
                    if (primary is not null && primary.Id == journal.Id && (primary.State == JournalState.Commit || primary.State == JournalState.Abort))
                    {
                        primary.Complete(locks, log);
                    }
                    else
                    {
                        // The commit journal was never written: the set was not committed, nothing was renamed.
                        journal.Discard(directory, locks, log);
                    }
                }
                else if (journal.State == JournalState.Prepared)
                {
                    journal.Discard(directory, locks, log);
                }
                else
                {
                    journal.Complete(locks, log);
                }
            }

            RemoveStrays(directory, log);
        }

        /// <summary>
        /// The file a reader should read for <paramref name="path"/>: the staged file of a committed set that a
        /// killed run did not finish renaming, the kept original of a set being undone, else the path itself.
        /// Changes nothing; any doubt (no journal, unreadable, not trusted) gives the path itself.
        /// </summary>
        public static string ResolveForReading(string path)
        {
            try
            {
                string? directory = Path.GetDirectoryName(path);
                if (directory is null || !File.Exists(PathIn(directory)))
                {
                    return path;
                }

                directory = UnixFiles.CanonicalDirectory(directory);

                FileSetJournal? journal = Load(directory, requireTrust: true);
                if (journal is not null && journal.State == JournalState.Member)
                {
                    FileSetJournal? primary = Load(journal.PrimaryDirectory, requireTrust: true);
                    journal = primary is not null && primary.Id == journal.Id ? primary : null;
                }

                JournalEntry? entry = journal?.Entries.FirstOrDefault(e =>
                    DirectoryLocks.PathComparer.Equals(e.Directory, directory) && DirectoryLocks.PathComparer.Equals(e.Name, Path.GetFileName(path)));
                if (entry is null)
                {
                    return path;
                }

                if (journal!.State == JournalState.Commit && IsFile(entry.Temporary, entry.TemporaryIdentity))
                {
                    return entry.Temporary;
                }

                if (journal.State == JournalState.Abort && entry.Backup is not null && IsFile(entry.Backup, entry.OriginalIdentity))
                {
                    return entry.Backup;
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is CertCmdletsException || ex is ArgumentException || ex is NotSupportedException)
            {
                // The journal or its files changed under us (a writer is completing it), or the path is odd: the path itself is right.
            }

            return path;
        }

        /// <summary>Completes a committed set (every staged file renamed into place) or undoes an aborted one (every original put back).</summary>
        public void Complete(DirectoryLocks locks, ICoreLog log)
        {
            string journalPath = PathIn(PrimaryDirectory);
            try
            {
                locks.AcquireAll(Directories);
                foreach (JournalEntry entry in Entries)
                {
                    if (State == JournalState.Commit)
                    {
                        RollForward(entry, log);
                    }
                    else
                    {
                        RollBack(entry, log);
                    }

                    FileWriteHooks.Reached("recover " + entry.Target);
                }

                foreach (string directory in Directories)
                {
                    locks.Sync(directory);
                }

                RemoveStagedFiles();
                RemoveJournals(locks);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw Errors.InterruptedWriteNotRecovered(journalPath, ex);
            }

            string files = string.Join(", ", Entries.Select(e => e.Target));
            log.Verbose(State == JournalState.Commit
                ? $"Completed an earlier write of {Entries.Count} file(s) that was interrupted ({files}): they are now the set that write intended."
                : $"Undid an earlier write of {Entries.Count} file(s) that failed and was interrupted ({files}): the files it replaced are back.");
        }

        /// <summary>Removes the journals of this set: members first, the primary last (a member without its primary means "not committed").</summary>
        public void RemoveJournals(DirectoryLocks locks)
        {
            foreach (string directory in Directories.Where(d => !DirectoryLocks.PathComparer.Equals(d, PrimaryDirectory)))
            {
                FileSetJournal? member = TryLoadQuietly(directory);
                if (member is not null && member.Id == Id)
                {
                    File.Delete(PathIn(directory));
                    FileWriteHooks.Reached("member-journal-removed " + directory);
                    locks.Sync(directory);
                }
            }

            File.Delete(PathIn(PrimaryDirectory));
            locks.Sync(PrimaryDirectory);
        }

        private static void RollForward(JournalEntry entry, ICoreLog log)
        {
            if (!IsFile(entry.Temporary, entry.TemporaryIdentity))
            {
                // Already renamed into place (or never this set's file): nothing to finish.
                return;
            }

            if (!entry.Replaces && Exists(entry.Target))
            {
                FileStatus? target = StatusOf(entry.Target);
                FileStatus? staged = StatusOf(entry.Temporary);
                if (target is null || staged is null || !target.IsSameFile(staged))
                {
                    log.Warning($"'{entry.Target}' appeared while an interrupted write was pending; it was kept and the staged file discarded.");
                }

                File.Delete(entry.Temporary);
                return;
            }

            StagedNames.MoveOver(entry.Temporary, entry.Target);
        }

        private static void RollBack(JournalEntry entry, ICoreLog log)
        {
            if (entry.Replaces)
            {
                if (entry.Backup is not null && IsFile(entry.Backup, entry.OriginalIdentity))
                {
                    // rename(2) over another name of the same file does nothing: the backup is removed afterwards.
                    StagedNames.MoveOver(entry.Backup, entry.Target);
                }
                else if (entry.Backup is not null && Exists(entry.Backup))
                {
                    log.Warning($"'{entry.Backup}' is not the file that '{entry.Target}' was; it was not put back.");
                }
            }
            else if (entry.TemporaryIdentity is not null ? IsFile(entry.Target, entry.TemporaryIdentity) : !File.Exists(entry.Temporary) && File.Exists(entry.Target))
            {
                // The new file is the staged one (same identity; without identities: it was moved from the staged name).
                File.Delete(entry.Target);
            }
        }

        /// <summary>
        /// Deletes what is left of the staged files and backups once the set is complete or undone (before the commit
        /// point a backup is only a second name of the file still in place). Only the files this set made.
        /// </summary>
        public void RemoveStagedFiles()
        {
            foreach (JournalEntry entry in Entries)
            {
                if (IsFile(entry.Temporary, entry.TemporaryIdentity))
                {
                    StagedNames.TryDelete(entry.Temporary);
                }

                if (entry.Backup is not null && IsFile(entry.Backup, entry.OriginalIdentity))
                {
                    StagedNames.TryDelete(entry.Backup);
                }
            }
        }

        private void Discard(string directory, DirectoryLocks locks, ICoreLog log)
        {
            locks.AcquireAll(Directories);
            RemoveStagedFiles();

            foreach (string member in Directories)
            {
                FileSetJournal? other = TryLoadQuietly(member);
                if (other is not null && other.Id == Id)
                {
                    File.Delete(PathIn(member));
                    locks.Sync(member);
                }
            }

            log.Verbose($"Removed the staged files of an earlier write in '{directory}' that was interrupted before it changed anything.");
        }

        /// <summary>Temporary files and backups named as this module names them that no journal claims: left by a killed run.</summary>
        private static void RemoveStrays(string directory, ICoreLog log)
        {
            IEnumerable<string> candidates;
            try
            {
                candidates = Directory.EnumerateFiles(directory, ".*").Where(StagedNames.IsStaged).ToList();
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return;
            }

            uint user = UnixFiles.IsUnix ? UnixFiles.EffectiveUserId : 0;
            foreach (string path in candidates)
            {
                if (UnixFiles.StatusSupported)
                {
                    FileStatus? status = UnixFiles.Status(path, followLinks: false);
                    if (status is null || status.Kind != FileKind.Regular || (user != 0 && status.OwnerId != user))
                    {
                        continue;
                    }
                }

                if (StagedNames.TryDelete(path))
                {
                    log.Verbose($"Removed '{path}', left behind by an earlier write that was interrupted (a temporary file or a backup, possibly of a private key).");
                }
            }
        }

        private static FileSetJournal? LoadForRecovery(string directory) => Load(directory, requireTrust: true, throwIfUntrusted: true);

        private static FileSetJournal? TryLoadQuietly(string directory)
        {
            try
            {
                return Load(directory, requireTrust: false);
            }
            catch (CertCmdletsException)
            {
                return null;
            }
        }

        private static FileSetJournal? Load(string directory, bool requireTrust, bool throwIfUntrusted = false)
        {
            string path = PathIn(directory);
            if (!File.Exists(path))
            {
                return null;
            }

            if (requireTrust && UnixFiles.StatusSupported)
            {
                string? why = Untrusted(path, directory);
                if (why is not null)
                {
                    if (throwIfUntrusted)
                    {
                        throw Errors.InterruptedWriteUnreadable(path, why);
                    }

                    return null;
                }
            }

            string text;
            try
            {
                // A regular file of at most 1 MiB: a FIFO or a device planted under this name must not hang or fill memory.
                text = Encoding.UTF8.GetString(FileInput.ReadRegular(path, path, MaximumLength));
            }
            catch (CertCmdletsException ex) when (ex.ErrorId == "FileNotFound")
            {
                return null;
            }
            catch (CertCmdletsException ex)
            {
                throw Errors.InterruptedWriteUnreadable(path, ex.Message);
            }

            return Parse(text, path);
        }

        /// <summary>
        /// Why a journal must not be acted on, or null: it must belong to this user, root or the folder's owner
        /// and be writable by its owner only. A journal another user planted in a shared folder (/tmp) could
        /// otherwise make this command move files of that user's choosing into place.
        /// </summary>
        private static string? Untrusted(string path, string directory)
        {
            FileStatus? status = UnixFiles.Status(path, followLinks: false);
            FileStatus? folder = UnixFiles.Status(directory, followLinks: true);
            if (status is null || status.Kind != FileKind.Regular)
            {
                return "it is not a regular file";
            }

            if ((status.Permissions & 0x12) != 0)
            {
                return $"it is writable by others (mode {UnixFiles.Octal(status.Permissions)})";
            }

            uint user = UnixFiles.EffectiveUserId;
            if (status.OwnerId != user && status.OwnerId != 0 && (folder is null || status.OwnerId != folder.OwnerId))
            {
                return $"it belongs to user id {status.OwnerId}, who owns neither this folder nor this command";
            }

            return null;
        }

        private static FileSetJournal Parse(string text, string path)
        {
            string[] lines = text.Split(new[] { '\n' }, StringSplitOptions.RemoveEmptyEntries);
            if (lines.Length < 4 || lines[0] != Magic)
            {
                throw Errors.InterruptedWriteUnreadable(path, "it is not a journal of this module's format");
            }

            string? id = null;
            JournalState? state = null;
            string? primary = null;
            var entries = new List<JournalEntry>();
            foreach (string line in lines.Skip(1))
            {
                string[] parts = line.Split(' ');
                switch (parts[0])
                {
                    case "id" when parts.Length == 2:
                        id = parts[1];
                        break;
                    case "state" when parts.Length == 2:
                        state = parts[1] switch
                        {
                            "prepared" => JournalState.Prepared,
                            "member" => JournalState.Member,
                            "commit" => JournalState.Commit,
                            "abort" => JournalState.Abort,
                            _ => throw Errors.InterruptedWriteUnreadable(path, $"unknown state '{parts[1]}'"),
                        };
                        break;
                    case "primary" when parts.Length == 2:
                        primary = Unescape(parts[1]);
                        break;
                    case "entry" when parts.Length == 8:
                        string name = Unescape(parts[2]);
                        string temporary = Unescape(parts[3]);
                        string? backup = parts[4] == "-" ? null : Unescape(parts[4]);
                        if (!IsPlainName(name) || !IsPlainName(temporary) || (backup is not null && !IsPlainName(backup)) || !StagedNames.IsStaged(temporary) || (backup is not null && !StagedNames.IsStaged(backup)))
                        {
                            throw Errors.InterruptedWriteUnreadable(path, "an entry names a file outside its folder");
                        }

                        entries.Add(new JournalEntry(Unescape(parts[1]), name, temporary, backup, parts[5] == "replace", parts[6] == "-" ? null : parts[6], parts[7] == "-" ? null : parts[7]));
                        break;
                    default:
                        throw Errors.InterruptedWriteUnreadable(path, $"unexpected line '{(line.Length > 40 ? line.Substring(0, 40) + "..." : line)}'");
                }
            }

            if (id is null || state is null || primary is null || entries.Count == 0 || !Path.IsPathRooted(primary) || entries.Any(e => !Path.IsPathRooted(e.Directory)))
            {
                throw Errors.InterruptedWriteUnreadable(path, "it is incomplete");
            }

            return new FileSetJournal(id, state.Value, primary, entries);
        }

        private string Serialize()
        {
            var builder = new StringBuilder();
            builder.Append(Magic).Append('\n');
            builder.Append("id ").Append(Id).Append('\n');
            builder.Append("state ").Append(State.ToString().ToLowerInvariant()).Append('\n');
            builder.Append("primary ").Append(Escape(PrimaryDirectory)).Append('\n');
            foreach (JournalEntry entry in Entries)
            {
                builder.Append("entry ")
                    .Append(Escape(entry.Directory)).Append(' ')
                    .Append(Escape(entry.Name)).Append(' ')
                    .Append(Escape(entry.TemporaryName)).Append(' ')
                    .Append(entry.BackupName is null ? "-" : Escape(entry.BackupName)).Append(' ')
                    .Append(entry.Replaces ? "replace" : "new").Append(' ')
                    .Append(entry.TemporaryIdentity ?? "-").Append(' ')
                    .Append(entry.OriginalIdentity ?? "-").Append('\n');
            }

            return builder.ToString();
        }

        private static bool IsPlainName(string name) =>
            name.Length > 0 && name != "." && name != ".." && name.IndexOf('/') < 0 && name.IndexOf('\\') < 0 && name.IndexOf('\0') < 0;

        /// <summary>True when <paramref name="path"/> is a file (or link) and, where identities are known, the one recorded.</summary>
        private static bool IsFile(string path, string? identity)
        {
            if (!UnixFiles.StatusSupported)
            {
                return File.Exists(path);
            }

            // A replaced symbolic link is kept (moved aside) as the link itself, so links count too.
            FileStatus? status = UnixFiles.Status(path, followLinks: false);
            return status is not null && (status.Kind == FileKind.Regular || status.Kind == FileKind.SymbolicLink) && (identity is null || status.Identity == identity);
        }

        private static bool Exists(string path) =>
            UnixFiles.StatusSupported ? UnixFiles.Status(path, followLinks: false) is not null : File.Exists(path);

        private static FileStatus? StatusOf(string path) => UnixFiles.StatusSupported ? UnixFiles.Status(path, followLinks: false) : null;

        private static string Escape(string value) => Uri.EscapeDataString(value);

        private static string Unescape(string value) => Uri.UnescapeDataString(value);

        /// <summary>Used by tests and diagnostics: the journal's text.</summary>
        public override string ToString() => Serialize();

        /// <summary>A fresh transaction id.</summary>
        public static string NewId() => StagedNames.RandomHex(16);
    }
}
