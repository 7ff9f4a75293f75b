using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace CertCmdlets.Core.IO
{
    /// <summary>
    /// One write of a file set, in the folders <see cref="FileWritePlan"/> has locked and recovered: stage every
    /// file, keep every replaced file under a second name, write the journal (the commit point), rename, flush,
    /// clean up. A failure before the commit point removes what was staged; after it, an abort journal is
    /// written and every original is put back, so a kill during the undo is finished by the next run too.
    /// </summary>
    internal sealed class FileSetTransaction
    {
        private const int PrivateKeyMode = 0x180;   // 0600
        private const int PublicFileMode = 0x1A4;   // 0644
        private const int GroupRead = 0x20;         // 0040
        private const int GroupReadWrite = 0x30;    // 0060
        private const int OtherBits = 0x7;          // 0007
        private const int PermissionBits = 0x1FF;   // 0777

        private readonly IReadOnlyList<PlannedFile> _files;
        private readonly bool _force;
        private readonly DirectoryLocks _locks;
        private readonly ICoreLog _log;
        private readonly List<Staged> _staged = new List<Staged>();
        private readonly List<string> _memberJournals = new List<string>();
        private FileSetJournal? _journal;
        private bool _preparedWritten;
        private bool _committed;

        public FileSetTransaction(IReadOnlyList<PlannedFile> files, bool force, DirectoryLocks locks, ICoreLog log)
        {
            _files = files;
            _force = force;
            _locks = locks;
            _log = log;
        }

        public void Run()
        {
            PlannedFile? current = null;
            try
            {
                foreach (PlannedFile file in _files)
                {
                    current = file;
                    _staged.Add(Plan(file));
                }

                current = _files[0];
                string primary = _staged[0].Directory;
                string id = FileSetJournal.NewId();
                var prepared = new FileSetJournal(id, JournalState.Prepared, primary, Entries());
                if (prepared.Directories.Count > 1)
                {
                    // Several folders: each says first what is being staged (the primary) or where to look (the
                    // others), so that the next write in any of them removes the staged files in all of them if this
                    // run dies before the commit point.
                    foreach (string directory in prepared.Directories.Skip(1))
                    {
                        prepared.WithState(JournalState.Member).WriteTo(directory, _locks);
                        _memberJournals.Add(directory);
                        FileWriteHooks.Reached("member-journal " + directory);
                    }

                    prepared.WriteTo(primary, _locks);
                    _preparedWritten = true;
                    FileWriteHooks.Reached("prepared-journal");
                }

                foreach (Staged staged in _staged)
                {
                    current = staged.File;
                    Stage(staged);
                    FileWriteHooks.Reached("temp " + staged.File.Path);
                }

                foreach (Staged staged in _staged.Where(s => s.Replaces))
                {
                    current = staged.File;
                    KeepOriginal(staged);
                    FileWriteHooks.Reached("backup " + staged.File.Path);
                }

                current = _files[0];
                _journal = new FileSetJournal(id, JournalState.Commit, primary, Entries());
                _journal.WriteTo(primary, _locks);
                _committed = true;
                FileWriteHooks.Reached("journal");

                foreach (Staged staged in _staged)
                {
                    current = staged.File;
                    Place(staged);
                    FileWriteHooks.Reached("rename " + staged.File.Path);
                }

                foreach (string directory in _journal.Directories)
                {
                    _locks.Sync(directory);
                }

                FileWriteHooks.Reached("synced");
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is CertCmdletsException)
            {
                bool undone = Undo();
                if (ex is CertCmdletsException known && undone)
                {
                    throw known;
                }

                throw Errors.FileSetWriteFailed(current?.Path ?? string.Empty, ex is CertCmdletsException ? new IOException(ex.Message, ex) : ex, undone);
            }

            try
            {
                _journal.RemoveStagedFiles();
                FileWriteHooks.Reached("backups-removed");
                _journal.RemoveJournals(_locks);
                FileWriteHooks.Reached("journal-removed");
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                _log.Warning($"The files were written, but the journal or a backup in '{_journal.PrimaryDirectory}' could not be removed ({ex.Message}); the next command writing there removes it.");
            }
        }

        private List<JournalEntry> Entries() => _staged.Select(s => s.ToEntry()).ToList();

        /// <summary>Looks at what is at the target now and names the staged file and the backup; writes nothing.</summary>
        private Staged Plan(PlannedFile file)
        {
            string directory = UnixFiles.CanonicalDirectory(Path.GetDirectoryName(file.Path)!);
            FileStatus? original = null;
            bool replaces;
            if (UnixFiles.StatusSupported)
            {
                original = UnixFiles.Status(file.Path, followLinks: false);
                replaces = original is not null;
                if (original?.Kind == FileKind.Directory)
                {
                    throw new IOException($"'{file.Path}' is a directory.");
                }
            }
            else
            {
                if (Directory.Exists(file.Path))
                {
                    throw new IOException($"'{file.Path}' is a directory.");
                }

                replaces = File.Exists(file.Path);
            }

            if (replaces && !_force)
            {
                throw Errors.OutputFileExists(file.Path);
            }

            string name = Path.GetFileName(file.Path);
            return new Staged(file, directory, StagedNames.Temporary(name), replaces ? StagedNames.Backup(name) : null, replaces, original);
        }

        private void Stage(Staged staged)
        {
            if (UnixFiles.IsUnix)
            {
                WriteUnix(staged);
                return;
            }

            using var stream = new FileStream(staged.Temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            staged.Created = true;
            stream.Write(staged.File.Content, 0, staged.File.Content.Length);
            stream.Flush(flushToDisk: true);
        }

        /// <summary>
        /// Creates the staged file owner-only, gives it the owner and group of the file it replaces, then its final
        /// mode (so a group never reads a key before the group is the right one), then the content, flushed.
        /// </summary>
        private void WriteUnix(Staged staged)
        {
            PlannedFile file = staged.File;
            FileStatus? original = staged.Original?.Kind == FileKind.Regular ? staged.Original : null;
            int mode = FinalMode(file, original);
            using FileStream stream = UnixFiles.CreateExclusive(staged.Temporary, PrivateKeyMode);
            staged.Created = true;
            string owner = string.Empty;
            if (UnixFiles.StatusSupported)
            {
                FileStatus created = UnixFiles.Status(stream.SafeFileHandle);
                if (original is not null && (created.OwnerId != original.OwnerId || created.GroupId != original.GroupId))
                {
                    if (UnixFiles.TrySetOwner(stream.SafeFileHandle, original.OwnerId, original.GroupId))
                    {
                        owner = $", owner {original.OwnerId}:{original.GroupId} as before";
                    }
                    else
                    {
                        mode = file.IsPrivateKey ? PrivateKeyMode : mode;
                        _log.Warning($"'{file.Path}' belonged to user {original.OwnerId} and group {original.GroupId}; this account may not give the new file that owner, so it now belongs to user {created.OwnerId} and group {created.GroupId} with mode {UnixFiles.Octal(mode)}. Run as root (or the owner) to keep them.");
                    }
                }
                else if (original is not null)
                {
                    owner = $", owner {original.OwnerId}:{original.GroupId} as before";
                }
            }

            UnixFiles.SetMode(stream.SafeFileHandle, mode);
            stream.Write(file.Content, 0, file.Content.Length);
            stream.Flush(flushToDisk: true);
            if (UnixFiles.StatusSupported)
            {
                staged.TemporaryIdentity = UnixFiles.Status(stream.SafeFileHandle).Identity;
            }

            staged.Detail = $" (mode {UnixFiles.Octal(mode)}{owner})";
            if (file.IsPrivateKey && original is not null && (original.Permissions & OtherBits) != 0)
            {
                _log.Warning($"The private key '{file.Path}' was readable by every user (mode {UnixFiles.Octal(original.Permissions)}); the new key has mode {UnixFiles.Octal(mode)}.");
            }
        }

        /// <summary>
        /// New files: keys 0600, others 0644, whatever the umask. Replaced files keep their mode, except that a key
        /// is never more open than 0600 unless its group could read it, and then keeps its group bits; never
        /// readable by other users.
        /// </summary>
        private static int FinalMode(PlannedFile file, FileStatus? original)
        {
            if (original is null)
            {
                return file.IsPrivateKey ? PrivateKeyMode : PublicFileMode;
            }

            if (!file.IsPrivateKey)
            {
                return original.Permissions & PermissionBits;
            }

            return (original.Permissions & GroupRead) != 0 ? PrivateKeyMode | (original.Permissions & GroupReadWrite) : PrivateKeyMode;
        }

        /// <summary>
        /// Keeps the file about to be replaced under a second name: a hard link (no copy of a key is ever made).
        /// Where links are refused (some file systems, symbolic links, Windows), it is moved aside at the rename.
        /// </summary>
        private void KeepOriginal(Staged staged)
        {
            if (!UnixFiles.IsUnix || (staged.Original is not null && staged.Original.Kind != FileKind.Regular))
            {
                return;
            }

            try
            {
                UnixFiles.LinkNoReplace(staged.File.Path, staged.Backup!);
                staged.BackupIsLink = true;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                _log.Verbose($"'{staged.File.Path}' cannot be hard-linked ({ex.Message}); it is moved aside just before its replacement instead.");
            }
        }

        private void Place(Staged staged)
        {
            string target = staged.File.Path;
            if (staged.Replaces)
            {
                if (!UnixFiles.IsUnix)
                {
                    File.Replace(staged.Temporary, target, staged.Backup, ignoreMetadataErrors: true);
                }
                else
                {
                    if (!staged.BackupIsLink)
                    {
                        UnixFiles.RenameReplace(target, staged.Backup!);
                    }

                    UnixFiles.RenameReplace(staged.Temporary, target);
                }
            }
            else if (UnixFiles.IsUnix)
            {
                // link(2) fails if the target appeared meanwhile: never replace a file we were not told to.
                try
                {
                    UnixFiles.LinkNoReplace(staged.Temporary, target);
                }
                catch (IOException) when (File.Exists(target))
                {
                    throw Errors.OutputFileExists(target);
                }

                File.Delete(staged.Temporary);
            }
            else
            {
                try
                {
                    File.Move(staged.Temporary, target);
                }
                catch (IOException) when (File.Exists(target))
                {
                    throw Errors.OutputFileExists(target);
                }
            }

            _log.Verbose($"Wrote {staged.File.Description} '{target}'{staged.Detail}.");
        }

        /// <summary>Takes back what this write did; false when it could not all be taken back (the journal then stays for the next run).</summary>
        private bool Undo()
        {
            if (!_committed)
            {
                foreach (Staged staged in _staged)
                {
                    if (staged.Created)
                    {
                        StagedNames.TryDelete(staged.Temporary);
                    }

                    if (staged.BackupIsLink)
                    {
                        StagedNames.TryDelete(staged.Backup!);
                    }
                }

                foreach (string directory in _memberJournals)
                {
                    StagedNames.TryDelete(FileSetJournal.PathIn(directory));
                }

                if (_preparedWritten)
                {
                    StagedNames.TryDelete(FileSetJournal.PathIn(_staged[0].Directory));
                }

                return true;
            }

            try
            {
                // Record the undo first: a kill in the middle of it is then finished (as an undo) by the next run.
                FileSetJournal abort = _journal!.WithState(JournalState.Abort);
                abort.WriteTo(abort.PrimaryDirectory, _locks);
                FileWriteHooks.Reached("abort-journal");
                abort.Complete(_locks, NullCoreLog.Instance);
                return true;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is CertCmdletsException)
            {
                _log.Warning($"The files written so far could not all be put back ({ex.Message}); the next command writing in '{_journal!.PrimaryDirectory}' finishes putting them back.");
                return false;
            }
        }

        private sealed class Staged
        {
            public Staged(PlannedFile file, string directory, string temporaryName, string? backupName, bool replaces, FileStatus? original)
            {
                File = file;
                Directory = directory;
                TemporaryName = temporaryName;
                BackupName = backupName;
                Replaces = replaces;
                Original = original;
            }

            public PlannedFile File { get; }

            public string Directory { get; }

            public string TemporaryName { get; }

            public bool Replaces { get; }

            public FileStatus? Original { get; }

            public bool Created { get; set; }

            public string? TemporaryIdentity { get; set; }

            public string? BackupName { get; }

            public bool BackupIsLink { get; set; }

            public string Detail { get; set; } = string.Empty;

            public string Temporary => Path.Combine(Directory, TemporaryName);

            public string? Backup => BackupName is null ? null : Path.Combine(Directory, BackupName);

            public JournalEntry ToEntry() =>
                new JournalEntry(Directory, Path.GetFileName(File.Path), TemporaryName, BackupName, Replaces, TemporaryIdentity, Original?.Identity);
        }
    }
}
