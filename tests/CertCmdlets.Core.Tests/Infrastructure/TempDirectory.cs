using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;

namespace CertCmdlets.Core.Tests.Infrastructure
{
    /// <summary>
    /// A fresh directory for one test, removed afterwards. Its snapshot (every file's relative path, content hash
    /// and Unix mode) proves that a failed operation changed nothing.
    /// </summary>
    public sealed class TempDirectory : IDisposable
    {
        public TempDirectory()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "certcmdlets-core-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        /// <summary>The full path of <paramref name="name"/> inside the directory (not created).</summary>
        public string File(string name) => System.IO.Path.Combine(Path, name);

        /// <summary>Writes text (as is, no newline translation) and returns the full path.</summary>
        public string WriteText(string name, string text)
        {
            string path = File(name);
            System.IO.File.WriteAllText(path, text);
            return path;
        }

        /// <summary>Writes bytes and returns the full path.</summary>
        public string WriteBytes(string name, byte[] bytes)
        {
            string path = File(name);
            System.IO.File.WriteAllBytes(path, bytes);
            return path;
        }

        /// <summary>Every entry under the directory, relative paths, sorted; directories end with '/'.</summary>
        public IReadOnlyList<string> Entries()
        {
            return Directory.EnumerateFileSystemEntries(Path, "*", SearchOption.AllDirectories)
                .Select(e => System.IO.Path.GetRelativePath(Path, e) + (Directory.Exists(e) ? "/" : string.Empty))
                .OrderBy(e => e, StringComparer.Ordinal)
                .ToList();
        }

        /// <summary>Every file with a hash of its content and its Unix mode; directories by name.</summary>
        public IReadOnlyDictionary<string, string> Snapshot()
        {
            var snapshot = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (string entry in Directory.EnumerateFileSystemEntries(Path, "*", SearchOption.AllDirectories))
            {
                string relative = System.IO.Path.GetRelativePath(Path, entry);
                if (Directory.Exists(entry))
                {
                    snapshot[relative + "/"] = "directory";
                    continue;
                }

                string mode = OperatingSystem.IsWindows() ? string.Empty : " " + System.IO.File.GetUnixFileMode(entry);
                snapshot[relative] = Convert.ToHexString(SHA256.HashData(System.IO.File.ReadAllBytes(entry))) + mode;
            }

            return snapshot;
        }

        public void Dispose()
        {
            try
            {
                if (!OperatingSystem.IsWindows())
                {
                    // A test may leave a directory read-only; give it back so it can be removed.
                    foreach (string directory in Directory.EnumerateDirectories(Path, "*", SearchOption.AllDirectories).Prepend(Path))
                    {
                        System.IO.File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                    }
                }

                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
