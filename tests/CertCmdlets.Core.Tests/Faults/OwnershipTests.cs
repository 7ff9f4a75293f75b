using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.Versioning;
using CertCmdlets.Core.Export;
using CertCmdlets.Core.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Core.Tests.Faults
{
    /// <summary>A test that gives files to other users and groups (chown): only root may; skipped otherwise, with the reason.</summary>
    public sealed class UnixRootFactAttribute : FactAttribute
    {
        public UnixRootFactAttribute()
        {
            if (OperatingSystem.IsWindows())
            {
                Skip = "Unix owners and modes only.";
            }
            else if (!UnixNonRootFactAttribute.IsRoot)
            {
                Skip = "Needs root, to give the old files another owner and group (chown).";
            }
        }
    }

    /// <summary>The same, for theories.</summary>
    public sealed class UnixRootTheoryAttribute : TheoryAttribute
    {
        public UnixRootTheoryAttribute()
        {
            if (OperatingSystem.IsWindows())
            {
                Skip = "Unix owners and modes only.";
            }
            else if (!UnixNonRootFactAttribute.IsRoot)
            {
                Skip = "Needs root, to give the old files another owner and group (chown).";
            }
        }
    }

    /// <summary>
    /// Owner, group and mode across a -Force renewal, and the modes of new files and folders, under the umasks users
    /// run with (000, 022, 077). The umask is process-wide, so these run in the collection that runs alone. Owners and
    /// modes are read back with coreutils' stat(1), not with the module's own stat code.
    /// </summary>
    [Collection(ProcessWideCollection.Name)]
    [UnsupportedOSPlatform("windows")]
    public sealed class OwnershipTests : IDisposable
    {
        private const int KeyGroupId = 103;      // Debian's ssl-cert when it exists; any gid works for chown as root.
        private const int OtherUserId = 4321;

        private readonly TempDirectory _temp = new TempDirectory();

        public void Dispose() => _temp.Dispose();

        [UnixRootTheory]
        [InlineData(0x000)]
        [InlineData(0x012)]
        [InlineData(0x03F)]
        public void ForceRenewal_KeepsOwnerGroupAndModeOfEveryFile(int umask)
        {
            string folder = _temp.File("site");
            CertificateInfo old = CertificateSets.New("old");
            PemExportTargets targets = PemExportTargets.InDirectory(folder, old);
            CertificateSets.Write(old, targets, force: false);
            Chown(targets.KeyPath!, 0, GroupId());
            Chmod(targets.KeyPath!, "640");
            Chown(targets.CertificatePath!, OtherUserId, OtherUserId);
            Chmod(targets.CertificatePath!, "644");
            Chmod(targets.ChainPath!, "600");
            Chown(targets.FullChainPath!, 0, GroupId());
            Chmod(targets.FullChainPath!, "664");

            using (Umask.Set(umask))
            {
                CertificateSets.Write(CertificateSets.New("new"), targets, force: true);
            }

            Assert.Equal("new", CertificateSets.Generation(targets, throughJournal: false));
            Assert.Equal($"0:{GroupId()} 640", Stat(targets.KeyPath!));
            Assert.Equal($"{OtherUserId}:{OtherUserId} 644", Stat(targets.CertificatePath!));
            Assert.Equal("0:0 600", Stat(targets.ChainPath!));
            Assert.Equal($"0:{GroupId()} 664", Stat(targets.FullChainPath!));
        }

        [UnixRootFact]
        public void ForceRenewal_KeyOfAGroupThatCouldWrite_KeepsItButNeverOthers()
        {
            string folder = _temp.File("site");
            CertificateInfo old = CertificateSets.New("old");
            PemExportTargets targets = PemExportTargets.InDirectory(folder, old);
            CertificateSets.Write(old, targets, force: false);
            Chown(targets.KeyPath!, OtherUserId, GroupId());
            Chmod(targets.KeyPath!, "666");

            CertificateSets.Write(CertificateSets.New("new"), targets, force: true);

            Assert.Equal($"{OtherUserId}:{GroupId()} 660", Stat(targets.KeyPath!));
        }

        [UnixFact]
        public void NewFilesAndFolders_HaveExactModesWhateverTheUmask()
        {
            foreach (int umask in new[] { 0x000, 0x012, 0x03F })
            {
                string root = _temp.File($"umask-{umask:x}");
                CertificateInfo certificate = CertificateSets.New("new");
                var targets = new PemExportTargets
                {
                    KeyPath = Path.Combine(root, "a", "private", "key.pem"),
                    CertificatePath = Path.Combine(root, "a", "private", "cert.pem"),
                    FullChainPath = Path.Combine(root, "b", "public", "fullchain.pem"),
                };

                using (Umask.Set(umask))
                {
                    CertificateSets.Write(certificate, targets, force: false);
                }

                string context = $"umask {Convert.ToString(umask, 8)}";
                Assert.True(Mode(Path.Combine(root, "a", "private")) == "700", $"{context}: key folder {Mode(Path.Combine(root, "a", "private"))}");
                Assert.True(Mode(Path.Combine(root, "a")) == "755", $"{context}: parent folder {Mode(Path.Combine(root, "a"))}");
                Assert.True(Mode(Path.Combine(root, "b", "public")) == "755", $"{context}: certificate folder {Mode(Path.Combine(root, "b", "public"))}");
                Assert.True(Mode(targets.KeyPath) == "600", $"{context}: key {Mode(targets.KeyPath)}");
                Assert.True(Mode(targets.CertificatePath) == "644", $"{context}: certificate {Mode(targets.CertificatePath)}");
                Assert.True(Mode(targets.FullChainPath) == "644", $"{context}: full chain {Mode(targets.FullChainPath)}");
            }
        }

        [UnixFact]
        public void Force_ReplacingASymbolicLink_ReplacesTheLinkAndLeavesItsTargetAlone()
        {
            // certbot's live/ folder holds links into archive/: the victim of a link must never be overwritten.
            string folder = _temp.File("live");
            Directory.CreateDirectory(folder);
            string victim = _temp.WriteText("victim.pem", "someone else's file\n");
            File.CreateSymbolicLink(Path.Combine(folder, "cert.pem"), victim);

            CertificateSets.Write(CertificateSets.New("new"), new PemExportTargets { CertificatePath = Path.Combine(folder, "cert.pem") }, force: true);

            Assert.Equal("someone else's file\n", File.ReadAllText(victim));
            Assert.Null(new FileInfo(Path.Combine(folder, "cert.pem")).LinkTarget);
            Assert.Equal("644", Mode(Path.Combine(folder, "cert.pem")));
            Assert.Empty(CertificateSets.Leftovers(folder));
        }

        private static int GroupId() => KeyGroupId;

        private static void Chown(string path, int user, int group) => Run("chown", $"{user}:{group}", path);

        private static void Chmod(string path, string mode) => Run("chmod", mode, path);

        private static string Stat(string path) => Run("stat", "-c", "%u:%g %a", path).Trim();

        private static string Mode(string path) => Run("stat", "-c", "%a", path).Trim();

        private static string Run(string program, params string[] arguments)
        {
            var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using Process process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd();
            string error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)}: {error}");
            return output;
        }
    }
}
