using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.Versioning;
using System.Threading.Tasks;
using CertCmdlets.Core.Export;
using CertCmdlets.Core.IO;
using CertCmdlets.Core.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Core.Tests.Faults
{
    /// <summary>
    /// Real failures of a -Force write, not injected ones: an immutable file (chattr +i) among the targets refuses
    /// both the backup link and the rename, after the commit point for all but the first file. The write must say
    /// "nothing was changed" and mean it: every file as it was, no backup, temporary file or journal left, so no
    /// copy of a private key either. Also journals that are not files.
    /// </summary>
    [UnsupportedOSPlatform("windows")]
    public sealed class FileSetFailureTests : IDisposable
    {
        private readonly TempDirectory _temp = new TempDirectory();

        public void Dispose() => _temp.Dispose();

        [UnixRootTheory]
        [InlineData("key.pem")]
        [InlineData("cert.pem")]
        [InlineData("fullchain.pem")]
        public void ImmutableTarget_ForceWriteFails_AndNothingChanges(string immutable)
        {
            string folder = _temp.File("site");
            CertificateInfo old = CertificateSets.New("old");
            PemExportTargets targets = PemExportTargets.InDirectory(folder, old);
            CertificateSets.Write(old, targets, force: false);
            Dictionary<string, string> before = Snapshot(folder);
            string locked = Path.Combine(folder, immutable);
            Chattr("+i", locked);
            try
            {
                CertCmdletsException error = CoreAssert.Throws("FileWriteFailed", () => CertificateSets.Write(CertificateSets.New("new"), targets, force: true));

                Assert.Contains("Nothing was changed", error.Message, StringComparison.Ordinal);
                Assert.Equal(before, Snapshot(folder));
                Assert.Empty(CertificateSets.Leftovers(folder));
            }
            finally
            {
                Chattr("-i", locked);
            }
        }

        [UnixFact]
        public void JournalThatIsAFifo_IsAClearErrorWithoutBlocking()
        {
            string folder = _temp.File("fifo");
            Directory.CreateDirectory(folder);
            using (Process mkfifo = Process.Start(new ProcessStartInfo("mkfifo", new[] { Path.Combine(folder, FileSetJournal.FileName) }) { UseShellExecute = false })!)
            {
                mkfifo.WaitForExit();
            }

            Task<Exception?> write = Task.Run<Exception?>(() => Record.Exception(() =>
                CertificateSets.Write(CertificateSets.New("new"), new PemExportTargets { CertificatePath = Path.Combine(folder, "cert.pem") }, force: false)));

            Assert.True(write.Wait(TimeSpan.FromSeconds(30)), "the write blocks on a FIFO named as the journal");
            CertCmdletsException error = Assert.IsType<CertCmdletsException>(write.Result);
            Assert.Equal("InterruptedWriteUnreadable", error.ErrorId);
            Assert.False(File.Exists(Path.Combine(folder, "cert.pem")));
        }

        private static void Chattr(string change, string path)
        {
            using Process process = Process.Start(new ProcessStartInfo("chattr", new[] { change, path }) { UseShellExecute = false, RedirectStandardError = true })!;
            string error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"chattr {change} is not supported here ({error.Trim()}); the immutable-file test needs ext4, xfs or btrfs.");
        }

        private static Dictionary<string, string> Snapshot(string folder) =>
            Directory.EnumerateFileSystemEntries(folder).OrderBy(f => f, StringComparer.Ordinal).ToDictionary(
                f => Path.GetFileName(f),
                f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))) + " " + File.GetUnixFileMode(f));
    }
}
