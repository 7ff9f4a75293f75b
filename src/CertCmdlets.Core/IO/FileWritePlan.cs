using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;

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

        /// <summary>True for private keys: written with mode 0600 on Unix.</summary>
        public bool IsPrivateKey { get; }

        internal byte[] Content { get; }
    }

    /// <summary>
    /// The files one command writes, written as a unit: every target is checked first (nothing exists unless
    /// forced, no two outputs share a path), every file is written to a temporary file beside its target and
    /// flushed, and only then are the temporary files moved into place. A failure at any step removes what
    /// this plan wrote and puts back what it replaced, so the user never finds half a key or a lost file.
    /// </summary>
    public sealed class FileWritePlan
    {
        private const int PrivateKeyMode = 0x180; // 0600
        private const int PublicFileMode = 0x1A4; // 0644

        private readonly List<PlannedFile> _files = new List<PlannedFile>();
        private readonly bool _force;

        /// <summary>Creates an empty plan; <paramref name="force"/> allows replacing existing files.</summary>
        public FileWritePlan(bool force)
        {
            _force = force;
        }

        /// <summary>The files in the order they will be written.</summary>
        public IReadOnlyList<PlannedFile> Files => _files;

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

        /// <summary>Drops the plan without writing: secret contents are cleared.</summary>
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
        /// Validates, asks <paramref name="shouldProcess"/> (target, action) for each file, and writes the
        /// approved ones as a unit. Returns the paths written. Secret contents are cleared afterwards.
        /// </summary>
        public IReadOnlyList<string> Commit(Func<string, string, bool> shouldProcess, ICoreLog log)
        {
            try
            {
                Validate();
                var approved = new List<PlannedFile>();
                foreach (PlannedFile file in _files)
                {
                    string action = File.Exists(file.Path) ? $"Replace {file.Description}" : $"Write {file.Description}";
                    if (shouldProcess(file.Path, action))
                    {
                        approved.Add(file);
                    }
                }

                if (approved.Count > 0)
                {
                    WriteAll(approved, log);
                }

                return approved.ConvertAll(f => f.Path);
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

        private void WriteAll(List<PlannedFile> files, ICoreLog log)
        {
            var createdDirectories = new List<string>();
            var staged = new List<(PlannedFile File, string Temp)>();
            var committed = new List<(PlannedFile File, string? Backup)>();
            PlannedFile? current = null;
            try
            {
                foreach (PlannedFile file in files)
                {
                    current = file;
                    CreateDirectory(System.IO.Path.GetDirectoryName(file.Path)!, createdDirectories);
                    string temp = TemporaryName(file.Path, "tmp");
                    staged.Add((file, temp));
                    WriteTemporary(temp, file);
                }

                foreach ((PlannedFile file, string temp) in staged)
                {
                    current = file;
                    string? backup = null;
                    if (File.Exists(file.Path))
                    {
                        if (!_force)
                        {
                            throw Errors.OutputFileExists(file.Path);
                        }

                        backup = TemporaryName(file.Path, "bak");
                        File.Copy(file.Path, backup);
                    }

                    MoveIntoPlace(temp, file.Path, backup is not null);
                    committed.Add((file, backup));
                    log.Verbose($"Wrote {file.Description} '{file.Path}'{(file.IsPrivateKey && UnixFiles.IsUnix ? " (mode 0600)" : string.Empty)}.");
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is CertCmdletsException)
            {
                RollBack(staged, committed, createdDirectories);
                if (ex is CertCmdletsException known)
                {
                    throw known;
                }

                throw Errors.FileWriteFailed(current?.Path ?? string.Empty, ex);
            }

            foreach ((PlannedFile _, string? backup) in committed)
            {
                if (backup is not null)
                {
                    TryDelete(backup);
                }
            }
        }

        private static void WriteTemporary(string temp, PlannedFile file)
        {
            FileStream stream = UnixFiles.IsUnix
                ? UnixFiles.CreateExclusive(temp, file.IsPrivateKey ? PrivateKeyMode : PublicFileMode)
                : new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            using (stream)
            {
                stream.Write(file.Content, 0, file.Content.Length);
                stream.Flush(flushToDisk: true);
            }
        }

        private static void MoveIntoPlace(string temp, string target, bool replace)
        {
            if (UnixFiles.IsUnix)
            {
                if (replace)
                {
                    UnixFiles.RenameReplace(temp, target);
                }
                else
                {
                    // link(2) fails if the target appeared meanwhile: never replace a file we were not told to.
                    UnixFiles.LinkNoReplace(temp, target);
                    File.Delete(temp);
                }
            }
            else if (replace)
            {
                File.Replace(temp, target, null, ignoreMetadataErrors: true);
            }
            else
            {
                File.Move(temp, target);
            }
        }

        private static void RollBack(List<(PlannedFile File, string Temp)> staged, List<(PlannedFile File, string? Backup)> committed, List<string> createdDirectories)
        {
            foreach ((PlannedFile _, string temp) in staged)
            {
                TryDelete(temp);
            }

            for (int i = committed.Count - 1; i >= 0; i--)
            {
                (PlannedFile file, string? backup) = committed[i];
                try
                {
                    if (backup is null)
                    {
                        File.Delete(file.Path);
                    }
                    else if (UnixFiles.IsUnix)
                    {
                        UnixFiles.RenameReplace(backup, file.Path);
                    }
                    else
                    {
                        File.Copy(backup, file.Path, overwrite: true);
                        File.Delete(backup);
                    }
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    // Best effort: the original error is what the user needs to see.
                }
            }

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

        private static void CreateDirectory(string directory, List<string> created)
        {
            if (Directory.Exists(directory))
            {
                return;
            }

            string? parent = System.IO.Path.GetDirectoryName(directory);
            if (parent is not null)
            {
                CreateDirectory(parent, created);
            }

            Directory.CreateDirectory(directory);
            created.Add(directory);
        }

        private static string TemporaryName(string target, string suffix)
        {
            var random = new byte[8];
            using (var generator = RandomNumberGenerator.Create())
            {
                generator.GetBytes(random);
            }

            string name = "." + System.IO.Path.GetFileName(target) + "." + BitConverter.ToString(random).Replace("-", string.Empty).ToLowerInvariant() + "." + suffix;
            return System.IO.Path.Combine(System.IO.Path.GetDirectoryName(target)!, name);
        }

        private static void TryDelete(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                // Best effort cleanup of our own temporary file.
            }
        }
    }
}
