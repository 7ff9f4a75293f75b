using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;

namespace CertCmdlets.Tests.Infrastructure
{
    /// <summary>A fresh directory per test, removed afterwards; snapshots prove that a failing command changed nothing.</summary>
    public sealed class TempDirectory : IDisposable
    {
        public TempDirectory()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "certcmdlets-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public string File(string name) => System.IO.Path.Combine(Path, name);

        /// <summary>Every file under the directory with a hash of its content and its Unix mode.</summary>
        public IReadOnlyDictionary<string, string> Snapshot()
        {
            return Directory.EnumerateFiles(Path, "*", SearchOption.AllDirectories)
                .OrderBy(f => f, StringComparer.Ordinal)
                .ToDictionary(
                    f => System.IO.Path.GetRelativePath(Path, f),
                    f => Convert.ToHexString(SHA256.HashData(System.IO.File.ReadAllBytes(f))) + (OperatingSystem.IsWindows() ? string.Empty : " " + System.IO.File.GetUnixFileMode(f)));
        }

        public void Dispose()
        {
            try
            {
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
