using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using CertCmdlets.Core.IO;

namespace CertCmdlets.Core.Inventory
{
    /// <summary>
    /// Finds the certificates in directories and in files handed over in bulk (Get-ChildItem | Import-CertFile), as an
    /// administrator takes stock of a server: files that are not certificates (keys, requests, notes) are passed over
    /// quietly, the certificates of one directory are merged into one object per site (<see cref="DirectoryGroup"/>),
    /// every unreadable file or directory is reported on its own and the walk goes on, and a symbolic link that leads
    /// back up the tree ends instead of looping. Objects are reported directory by directory as they are read: only
    /// one directory is held in memory at a time.
    /// </summary>
    public sealed class CertificateInventory
    {
        private readonly InventoryOptions _options;
        private readonly IInventorySink _sink;
        private readonly CancellationToken _cancellation;
        private readonly Dictionary<string, string> _directoriesRead = new Dictionary<string, string>(DirectoryIdentity.Comparer);
        private DirectoryGroup? _pending;
        private string? _lastDirectory;
        private bool _lastDirectoryRead;

        /// <summary>An inventory reporting to <paramref name="sink"/>; <paramref name="cancellation"/> stops it (Ctrl+C).</summary>
        public CertificateInventory(InventoryOptions options, IInventorySink sink, CancellationToken cancellation)
        {
            _options = options;
            _sink = sink;
            _cancellation = cancellation;
        }

        /// <summary>
        /// The certificate objects of one file the user named on its own (not an inventory): a server certificate with
        /// its chain is one object, unrelated certificates one each. A file that holds no certificate is an error
        /// (NoCertificateInFile, saying what it holds instead).
        /// </summary>
        public static List<CertificateInfo> ReadNamedFile(string path) => BundleGrouping.Group(InventoryFile.ReadNamed(path));

        /// <summary>How many files were looked at.</summary>
        public int FilesRead { get; private set; }

        /// <summary>How many certificate objects were reported (after the filters).</summary>
        public int CertificatesFound { get; private set; }

        /// <summary>True when the user's key (<see cref="InventoryOptions.Key"/>) matched a certificate.</summary>
        public bool KeyMatched { get; private set; }

        /// <summary>True when a certificate (one the user's key could belong to) was met.</summary>
        public bool CertificateSeen { get; private set; }

        /// <summary>Reads a directory: its files, and with <see cref="InventoryOptions.Recurse"/> its subdirectories.</summary>
        public void AddDirectory(string path)
        {
            FlushPending();
            string canonical;
            try
            {
                canonical = DirectoryIdentity.Canonical(path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                _sink.Failed(Errors.DirectoryReadFailed(path, ex));
                return;
            }

            var stack = new Stack<(string Path, string Canonical)>();
            stack.Push((path, canonical));
            while (stack.Count > 0)
            {
                _cancellation.ThrowIfCancellationRequested();
                (string directory, string identity) = stack.Pop();
                if (_directoriesRead.TryGetValue(identity, out string? first))
                {
                    _sink.Skipped(directory, $"read already as '{first}' (a symbolic link leads to the same directory)");
                    continue;
                }

                _directoriesRead.Add(identity, directory);

                List<(string Path, string Canonical)> subdirectories = ReadDirectory(directory, identity);
                for (int i = subdirectories.Count - 1; i >= 0; i--)
                {
                    stack.Push(subdirectories[i]);
                }
            }
        }

        /// <summary>
        /// Reads one file handed over in bulk. Files of one directory are merged as a directory's are; they are
        /// reported when a file of another directory comes, or at <see cref="Complete"/>. A file whose directory was
        /// read whole in this inventory was read with it and is passed over.
        /// </summary>
        public void AddFile(string path)
        {
            _cancellation.ThrowIfCancellationRequested();
            string directory = Path.GetDirectoryName(path) ?? string.Empty;
            if (_pending is not null && !string.Equals(_pending.Directory, directory, StringComparison.Ordinal))
            {
                FlushPending();
            }

            if (WasReadWhole(directory))
            {
                _sink.Skipped(path, "read already with its directory");
                return;
            }

            _pending ??= new DirectoryGroup(directory);
            ReadFile(_pending, new FileInfo(path), path);
        }

        /// <summary>
        /// Reports what is still held (the files of the last directory handed over in bulk), and the user's key when it
        /// belonged to none of the certificates met (CertificateKeyMismatch).
        /// </summary>
        public void Complete()
        {
            FlushPending();
            if (_options.Key is not null && CertificateSeen && !KeyMatched)
            {
                _sink.Failed(Errors.KeyMatchesNoCertificate(_options.Key.Path));
            }
        }

        private List<(string Path, string Canonical)> ReadDirectory(string directory, string identity)
        {
            var subdirectories = new List<(string Path, string Canonical)>();
            List<FileSystemInfo> entries;
            try
            {
                entries = new DirectoryInfo(directory).EnumerateFileSystemInfos().ToList();
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is System.Security.SecurityException)
            {
                _sink.Failed(Errors.DirectoryReadFailed(directory, ex));
                return subdirectories;
            }

            entries.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
            var group = new DirectoryGroup(directory);
            foreach (FileSystemInfo entry in entries)
            {
                _cancellation.ThrowIfCancellationRequested();
                // The path is built here: .NET leaves FullName empty for entries past the system's path length limit.
                string path = Path.Combine(directory, entry.Name);
                if (entry is DirectoryInfo subdirectory)
                {
                    if (!_options.Recurse)
                    {
                        continue;
                    }

                    if ((subdirectory.Attributes & FileAttributes.ReparsePoint) == 0)
                    {
                        subdirectories.Add((path, DirectoryIdentity.Child(identity, subdirectory.Name)));
                    }
                    else if (!UnixFiles.IsUnix)
                    {
                        _sink.Skipped(path, "a link to a directory (links are not followed on Windows)");
                    }
                    else
                    {
                        try
                        {
                            subdirectories.Add((path, DirectoryIdentity.Canonical(path)));
                        }
                        catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                        {
                            _sink.Failed(Errors.DirectoryReadFailed(path, ex));
                        }
                    }
                }
                else if (entry is FileInfo file)
                {
                    ReadFile(group, file, path);
                }
            }

            Report(group);
            return subdirectories;
        }

        private void ReadFile(DirectoryGroup group, FileInfo file, string path)
        {
            FilesRead++;
            _sink.Progress(FilesRead, group.Directory);
            try
            {
                if (!file.Exists)
                {
                    // Removed while the walk went on.
                    throw Errors.FileNotFound(path);
                }

                InventoryFile found = InventoryFile.Read(path, TargetLength(file, path));
                switch (found.Kind)
                {
                    case InventoryFileKind.Certificates:
                        group.AddCertificates(path, found.Certificates);
                        if (found.HoldsPrivateKey)
                        {
                            group.AddKeyFile(path);
                        }

                        break;
                    case InventoryFileKind.PrivateKey:
                        group.AddKeyFile(path);
                        _sink.Skipped(path, found.Description + " (matched against the certificates beside it)");
                        break;
                    default:
                        _sink.Skipped(path, found.Description);
                        break;
                }
            }
            catch (CertCmdletsException ex)
            {
                _sink.Failed(ex);
            }
        }

        /// <summary>
        /// The size of the file a directory entry names. A symbolic link's own entry gives the link's size, so the link is
        /// followed (realpath): a link to nothing, or a loop of links, is SymbolicLinkBroken; a link to an empty file, a
        /// FIFO or a device gives 0, and such a file is never opened.
        /// </summary>
        private static long TargetLength(FileInfo file, string path)
        {
            if ((file.Attributes & FileAttributes.ReparsePoint) == 0)
            {
                return file.Length;
            }

            FileInfo target;
            try
            {
                target = new FileInfo(DirectoryIdentity.Canonical(path));
            }
            catch (UnauthorizedAccessException ex)
            {
                throw Errors.FileReadFailed(path, ex);
            }
            catch (IOException)
            {
                throw Errors.SymbolicLinkBroken(path);
            }

            return target.Exists ? target.Length : throw Errors.SymbolicLinkBroken(path);
        }

        private void FlushPending()
        {
            if (_pending is not null)
            {
                DirectoryGroup group = _pending;
                _pending = null;
                Report(group);
            }
        }

        private void Report(DirectoryGroup group)
        {
            if (group.IsEmpty)
            {
                return;
            }

            List<CertificateInfo> certificates = group.Merge(_options, _sink, out bool keyMatched);
            KeyMatched |= keyMatched;
            DateTime now = DateTime.Now;
            foreach (CertificateInfo certificate in certificates)
            {
                CertificateSeen = true;
                if (_options.Keeps(certificate, now))
                {
                    CertificatesFound++;
                    _sink.Certificate(certificate);
                }
            }
        }

        private bool WasReadWhole(string directory)
        {
            if (_directoriesRead.Count == 0)
            {
                return false;
            }

            if (!string.Equals(directory, _lastDirectory, StringComparison.Ordinal))
            {
                _lastDirectory = directory;
                try
                {
                    _lastDirectoryRead = _directoriesRead.ContainsKey(DirectoryIdentity.Canonical(directory.Length == 0 ? "." : directory));
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    _lastDirectoryRead = false;
                }
            }

            return _lastDirectoryRead;
        }
    }
}
