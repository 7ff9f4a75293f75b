using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace CertCmdlets.Core.IO
{
    /// <summary>One file a command intends to write.</summary>
    public sealed class PlannedFile
    {
        internal PlannedFile(string path, byte[] content, bool isPrivateKey, string description)
        {
            Path = path;
            Content = content;
            IsPrivateKey = isPrivateKey;
            Description = description;
        }

        /// <summary>The full path of the file.</summary>
        public string Path { get; }

        /// <summary>What the file is, in user words ("private key", "certificate").</summary>
        public string Description { get; }

        /// <summary>True for private keys (and PFX files): written 0600 on Unix, never readable by other users.</summary>
        public bool IsPrivateKey { get; }

        internal byte[] Content { get; }
    }

    /// <summary>
    /// The files one command writes (a key, its certificate, chain and full chain; a PFX; a request and its key),
    /// written as one set that becomes visible together or not at all.
    /// </summary>
    /// <remarks>
    /// <para>Every target is checked first (nothing exists unless forced, no two outputs share a path). Then, with
    /// an advisory lock on every folder of the set (two commands writing into one folder take turns; after
    /// <see cref="LockTimeout"/> the second fails with OutputDirectoryLocked): whatever an earlier killed run left
    /// in those folders is finished or undone, every file is written to a hidden temporary file beside its target
    /// (created 0600, given the owner, group and mode the target had, flushed to disk), each file to be replaced is
    /// kept under a second name by a hard link (never a copy), and a journal (<c>.certcmdlets.journal</c>) naming
    /// all of them is written atomically into the folder. That journal is the commit point. Then the temporary
    /// files are renamed over their targets, the folders flushed, and the links and the journal removed.</para>
    /// <para>The guarantee, for a kill (or power loss) at any instant: before the journal exists, the targets are
    /// untouched and the next write in the folder deletes the leftovers; once it exists, the next write in the folder
    /// (or any folder of the set) renames the remaining files into place, so the set seen afterwards is the old one
    /// or the new one, never a key of one beside a certificate of the other. Readers of the module (Import-CertFile,
    /// -KeyPath) read through a pending journal and see the new set without changing anything. Programs that read
    /// the files directly (Apache) can see a mix only in the instants between the renames of a run that is killed
    /// there, until the next write. A failure (not a kill) after the commit point writes an abort journal and puts
    /// every original back. Leftovers of killed runs (temporary files, backup links, the .bak copies of older
    /// versions) are removed by the next write in the folder, which says so on the verbose stream.</para>
    /// <para>Modes: new keys 0600, other new files 0644, new folders 0700 when they receive a key and 0755
    /// otherwise, whatever the umask. Replaced files keep owner, group and mode; a key never becomes more open
    /// than 0600 unless its group could read it (then its group bits are kept), never readable by others.</para>
    /// <para>Windows (not run here): the same journal and recovery; File.Replace keeps the original as the backup;
    /// the lock is a hidden <c>.certcmdlets.lock</c> file deleted on close; no owner or mode handling.</para>
    /// </remarks>
    public sealed class FileWritePlan
    {
        private const int PrivateFolderMode = 0x1C0; // 0700
        private const int PublicFolderMode = 0x1ED;  // 0755

        private readonly List<PlannedFile> _files = new List<PlannedFile>();
        private readonly bool _force;

        /// <summary>Creates an empty plan; <paramref name="force"/> allows replacing existing files.</summary>
        public FileWritePlan(bool force)
        {
            _force = force;
        }

        /// <summary>The files in the order they will be written.</summary>
        public IReadOnlyList<PlannedFile> Files => _files;

        /// <summary>How long to wait for another command writing in the same folder before OutputDirectoryLocked.</summary>
        internal TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(30);

        internal void Add(string path, byte[] content, bool isPrivateKey, string description)
        {
            string fullPath = System.IO.Path.GetFullPath(path);
            foreach (PlannedFile existing in _files)
            {
                if (string.Equals(existing.Path, fullPath, UnixFiles.IsUnix ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase))
                {
                    throw Errors.OutputPathDuplicate(fullPath);
                }
            }

            _files.Add(new PlannedFile(fullPath, content, isPrivateKey, description));
        }

        private static string JoinWords(List<string> items) =>
            items.Count <= 1 ? string.Concat(items) : string.Join(", ", items.GetRange(0, items.Count - 1)) + " and " + items[items.Count - 1];

        /// <summary>Clears the planned private key bytes (call when the plan is done with, written or not).</summary>
        public void Discard()
        {
            foreach (PlannedFile file in _files)
            {
                if (file.IsPrivateKey)
                {
                    Array.Clear(file.Content, 0, file.Content.Length);
                }
            }
        }

        /// <summary>Checks every target without writing anything; throws the first problem found.</summary>
        public void Validate()
        {
            foreach (PlannedFile file in _files)
            {
                if (Directory.Exists(file.Path))
                {
                    throw Errors.OutputPathIsDirectory(file.Path);
                }

                if (!_force && File.Exists(file.Path))
                {
                    throw Errors.OutputFileExists(file.Path);
                }

                string? directory = System.IO.Path.GetDirectoryName(file.Path);
                if (directory is not null && File.Exists(directory))
                {
                    throw Errors.FileWriteFailed(file.Path, new IOException($"'{directory}' is a file, not a directory."));
                }
            }
        }

        /// <summary>
        /// Finishes any interrupted earlier write in the folders, validates, asks <paramref name="shouldProcess"/> once
        /// for the whole set (target: every path; action: "Write private key (unencrypted), certificate and ..."), and
        /// writes the set. Returns the paths written (none when declined). Secret contents are cleared afterwards.
        /// </summary>
        public IReadOnlyList<string> Commit(Func<string, string, bool> shouldProcess, ICoreLog log)
        {
            try
            {
                FinishInterruptedWrites(shouldProcess, log);
                Validate();

                // The set is one operation: one -Confirm question, one -WhatIf line naming every file. Declining
                // writes nothing, so no key is ever left without its certificate or request.
                bool replaces = _files.Exists(f => File.Exists(f.Path));
                string targets = string.Join(", ", _files.ConvertAll(f => f.Path));
                string action = (replaces ? "Replace " : "Write ") + JoinWords(_files.ConvertAll(f => f.Description));
                if (_files.Count == 0 || !shouldProcess(targets, action))
                {
                    return Array.Empty<string>();
                }

                WriteAll(_files, log);
                return _files.ConvertAll(f => f.Path);
            }
            finally
            {
                foreach (PlannedFile file in _files)
                {
                    if (file.IsPrivateKey)
                    {
                        Array.Clear(file.Content, 0, file.Content.Length);
                    }
                }
            }
        }

        /// <summary>
        /// A folder of this plan with the journal of an interrupted write: that write is finished (or undone) first,
        /// with its own ShouldProcess (so -WhatIf only says it would), before this plan's files are checked. Otherwise
        /// a rerun of the interrupted command would stop at "the file exists" with the set still half in place.
        /// </summary>
        private void FinishInterruptedWrites(Func<string, string, bool> shouldProcess, ICoreLog log)
        {
            foreach (string directory in _files.Select(f => System.IO.Path.GetDirectoryName(f.Path)!).Where(Directory.Exists).Select(UnixFiles.CanonicalDirectory).Distinct(DirectoryLocks.PathComparer))
            {
                if (!File.Exists(FileSetJournal.PathIn(directory)) || !shouldProcess(directory, "Finish an interrupted earlier write of certificate files"))
                {
                    continue;
                }

                try
                {
                    using var locks = new DirectoryLocks(LockTimeout, log);
                    locks.Acquire(directory);
                    FileSetJournal.Recover(directory, locks, log);
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    throw Errors.InterruptedWriteNotRecovered(FileSetJournal.PathIn(directory), ex);
                }
            }
        }

        private void WriteAll(List<PlannedFile> files, ICoreLog log)
        {
            var createdDirectories = new List<string>();
            PlannedFile? current = null;
            try
            {
                foreach (PlannedFile file in files)
                {
                    current = file;
                    string directory = System.IO.Path.GetDirectoryName(file.Path)!;
                    bool holdsKey = files.Exists(f => f.IsPrivateKey && DirectoryLocks.PathComparer.Equals(System.IO.Path.GetDirectoryName(f.Path), directory));
                    CreateDirectory(directory, holdsKey ? PrivateFolderMode : PublicFolderMode, createdDirectories, log);
                }

                current = files[0];
                FileWriteHooks.Reached("directories");
                using var locks = new DirectoryLocks(LockTimeout, log);
                var directories = files.Select(f => UnixFiles.CanonicalDirectory(System.IO.Path.GetDirectoryName(f.Path)!)).Distinct(DirectoryLocks.PathComparer).ToList();
                locks.AcquireAll(directories);
                FileWriteHooks.Reached("locked");
                foreach (string directory in directories)
                {
                    FileSetJournal.Recover(directory, locks, log);
                }

                new FileSetTransaction(files, _force, locks, log).Run();
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is CertCmdletsException)
            {
                RemoveDirectories(createdDirectories);
                if (ex is CertCmdletsException known)
                {
                    throw known;
                }

                throw Errors.FileWriteFailed(current?.Path ?? string.Empty, ex);
            }
        }

        /// <summary>Creates a missing folder (and its missing parents, 0755) with an exact mode, whatever the umask.</summary>
        private static void CreateDirectory(string directory, int mode, List<string> created, ICoreLog log)
        {
            if (Directory.Exists(directory))
            {
                return;
            }

            string? parent = System.IO.Path.GetDirectoryName(directory);
            if (parent is not null)
            {
                CreateDirectory(parent, PublicFolderMode, created, log);
            }

            if (UnixFiles.IsUnix)
            {
                try
                {
                    UnixFiles.CreateDirectory(directory, mode);
                }
                catch (IOException) when (Directory.Exists(directory))
                {
                    // Created meanwhile by someone else: theirs, not ours to remove.
                    return;
                }

                log.Verbose($"Created the folder '{directory}' (mode {UnixFiles.Octal(mode)}).");
            }
            else
            {
                Directory.CreateDirectory(directory);
                log.Verbose($"Created the folder '{directory}'.");
            }

            created.Add(directory);
        }

        private static void RemoveDirectories(List<string> createdDirectories)
        {
            for (int i = createdDirectories.Count - 1; i >= 0; i--)
            {
                try
                {
                    Directory.Delete(createdDirectories[i], recursive: false);
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    // Not empty or not ours any more: leave it.
                }
            }
        }
    }
}
