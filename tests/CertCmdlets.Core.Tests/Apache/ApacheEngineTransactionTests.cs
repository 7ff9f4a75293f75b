using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CertCmdlets.Core.Apache;
using CertCmdlets.Core.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Core.Tests.Apache
{
    /// <summary>
    /// The transaction around an edit: -WhatIf reads only, the httpd program is trusted or not run, every child
    /// process has a deadline, one change at a time per ServerRoot, what is tested is what goes live, permissions
    /// never widen, and a fresh Debian machine's missing run folders do not fail the test.
    /// </summary>
    public sealed class ApacheEngineTransactionTests : IDisposable
    {
        private static readonly UnixFileMode Mode755 = (UnixFileMode)Convert.ToInt32("755", 8);
        private static readonly UnixFileMode Mode700 = (UnixFileMode)Convert.ToInt32("700", 8);
        private static readonly UnixFileMode Mode644 = (UnixFileMode)Convert.ToInt32("644", 8);
        private readonly TempDirectory _temp = new TempDirectory();

        public void Dispose() => _temp.Dispose();

        private string Conf => Path.Combine(_temp.Path, "conf");

        private string Apache2 => Path.Combine(Conf, "apache2");

        private string Certificates => Path.Combine(_temp.Path, "certs");

        [UnixFact]
        public void WhatIf_ReadsOnly_NoFolderNoFileNoLock_AndAPlantedWritableHttpdNeverRuns()
        {
            // mods-enabled does not exist yet (enabling mod_ssl must create it - but not under -WhatIf), and the
            // configuration folder holds a bin/httpd anyone may write: it must not run, not even for "-v".
            SmallSite();
            Directory.Delete(Path.Combine(Apache2, "mods-enabled"), recursive: true);
            string marker = Path.Combine(_temp.Path, "planted-ran");
            string planted = ApacheEngineKit.FakeHttpd(Path.Combine(Apache2, "bin", "httpd"), marker, (UnixFileMode)Convert.ToInt32("777", 8));
            CertificateInfo certificate = ApacheKit.Certificate(Certificates, "www.example.com");
            TreeSnapshot before = TreeSnapshot.Take(Conf);
            var log = new RecordingLog();
            var asked = new List<string>();

            ApacheChangeResult? result = ApacheConfigurator.SetSsl(ApacheKit.SslOptions(Apache2, "www.example.com", certificate, null), (target, action) =>
            {
                asked.Add(action);
                return false;
            }, log);

            Assert.Null(result);
            Assert.False(File.Exists(marker), "The planted bin/httpd ran.");
            Assert.Contains(log.Warnings, w => w.Contains(planted, StringComparison.Ordinal) && w.Contains("writable", StringComparison.Ordinal));
            Assert.Empty(before.Differences(TreeSnapshot.Take(Conf)));
            Assert.False(Directory.Exists(Path.Combine(Apache2, "mods-enabled")));
            Assert.Single(asked);
            Assert.Contains("+ link " + Path.Combine(Apache2, "mods-enabled", "ssl.load"), asked[0], StringComparison.Ordinal);
        }

        [UnixFact]
        public void ATrustedHttpdInTheConfigurationFolder_IsTheOneUsed()
        {
            SmallSite();
            string calls = Path.Combine(_temp.Path, "calls");
            string own = ApacheEngineKit.FakeHttpd(Path.Combine(Apache2, "bin", "httpd"), calls);
            ApacheCorpus.SetMode(Path.Combine(Apache2, "bin"), "755");
            CertificateInfo certificate = ApacheKit.Certificate(Certificates, "www.example.com");

            ApacheChangeResult result = ApacheConfigurator.SetSsl(ApacheKit.SslOptions(Apache2, "www.example.com", certificate, null), ApacheKit.Yes, new RecordingLog())!;

            Assert.True(result.Changed);
            Assert.Equal("Syntax OK", result.ConfigTest);
            string[] lines = File.ReadAllLines(calls);
            Assert.Contains(lines, l => l.StartsWith("-t -d " + Apache2, StringComparison.Ordinal));
            // One configuration test of the candidate; the module questions (-t -D DUMP_MODULES) test nothing.
            Assert.Equal(1, lines.Count(l => l.StartsWith("-t", StringComparison.Ordinal) && !l.Contains("DUMP_MODULES", StringComparison.Ordinal)));
            Assert.True(ApacheBinary.IsTrusted(own, out string why), why);
        }

        [UnixFact]
        public void AHangingHttpd_IsKilledAtTheDeadline_WithEverythingItStarted_AndNothingChanges()
        {
            SmallSite();
            string sleeper = "sleep 477." + Environment.ProcessId;
            string hanging = ApacheEngineKit.Script(Path.Combine(_temp.Path, "bin", "httpd"),
                "case \"$1\" in\n  -v) echo 'Server version: Apache/2.4.99';;\n  -l) echo ' core.c';;\n  *) " + sleeper + ";;\nesac");
            CertificateInfo certificate = ApacheKit.Certificate(Certificates, "www.example.com");
            ApacheSslOptions options = ApacheKit.SslOptions(Apache2, "www.example.com", certificate, hanging);
            options.ProgramTimeout = TimeSpan.FromSeconds(2);
            TreeSnapshot before = TreeSnapshot.Take(Conf);
            var clock = Stopwatch.StartNew();

            CertCmdletsException error = CoreAssert.Throws("ApacheProgramTimeout", () => ApacheConfigurator.SetSsl(options, ApacheKit.Yes, new RecordingLog()));

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
            Assert.Equal(hanging, error.Target);
            Assert.Empty(before.Differences(TreeSnapshot.Take(Conf)));
            Assert.Empty(ApacheEngineKit.TransactionFolders(Apache2));
            using Process pgrep = Process.Start(new ProcessStartInfo("pgrep", new[] { "-f", sleeper }) { RedirectStandardOutput = true })!;
            string left = pgrep.StandardOutput.ReadToEnd();
            pgrep.WaitForExit();
            Assert.True(left.Trim().Length == 0, "The hanging program's child is still running: " + left);
        }

        [Fact]
        public void AHeldLock_GivesApacheConfigLocked_AfterTheBoundedWait_NamingTheHolder()
        {
            SmallSite();
            CertificateInfo certificate = ApacheKit.Certificate(Certificates, "www.example.com");
            ApacheSslOptions options = ApacheKit.SslOptions(Apache2, "www.example.com", certificate, ApacheKit.NoHttpd(_temp.Path));
            options.LockTimeout = TimeSpan.FromSeconds(1);
            TreeSnapshot before = TreeSnapshot.Take(Conf);
            using ApacheLock held = ApacheLock.Acquire(Apache2, TimeSpan.FromSeconds(5), NullCoreLog.Instance);
            var clock = Stopwatch.StartNew();

            CertCmdletsException error = CoreAssert.Throws("ApacheConfigLocked", () => ApacheConfigurator.SetSsl(options, ApacheKit.Yes, new RecordingLog()));

            Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(20));
            Assert.Equal(held.LockPath, error.Target);
            Assert.Contains(Apache2, error.Message, StringComparison.Ordinal);
            if (OperatingSystem.IsLinux())
            {
                Assert.Contains("process " + Environment.ProcessId, error.Message, StringComparison.Ordinal);
            }

            Assert.Empty(before.Differences(TreeSnapshot.Take(Conf)));
        }

        [Fact]
        public async Task TwoEditsAtOnce_FromTwoThreads_BothLand_NoListenLost()
        {
            for (int round = 0; round < 3; round++)
            {
                string apache2 = Path.Combine(_temp.Path, "round" + round, "apache2");
                ApacheKit.DebianTree(apache2, ApacheKit.Text("Listen 80"),
                    ("a.conf", ApacheKit.Text("<VirtualHost *:80>", "    ServerName a.example.com", "</VirtualHost>")),
                    ("b.conf", ApacheKit.Text("<VirtualHost *:80>", "    ServerName b.example.com", "</VirtualHost>")));
                CertificateInfo a = ApacheKit.Certificate(Path.Combine(Certificates, "a" + round), "a.example.com");
                CertificateInfo b = ApacheKit.Certificate(Path.Combine(Certificates, "b" + round), "b.example.com");
                string httpd = ApacheKit.NoHttpd(_temp.Path);
                using var start = new Barrier(2);
                ApacheChangeResult Run(CertificateInfo certificate, string name, int port)
                {
                    ApacheSslOptions options = ApacheKit.SslOptions(apache2, name, certificate, httpd);
                    options.Port = port;
                    start.SignalAndWait();
                    return ApacheConfigurator.SetSsl(options, ApacheKit.Yes, new RecordingLog())!;
                }

                Task<ApacheChangeResult> first = Task.Run(() => Run(a, "a.example.com", 8443));
                Task<ApacheChangeResult> second = Task.Run(() => Run(b, "b.example.com", 9443));

                ApacheChangeResult[] results = await Task.WhenAll(first, second);
                Assert.True(results[0].Changed && results[1].Changed);
                AssertBothLanded(apache2);
            }
        }

        [ApacheFact]
        public void TwoEditsAtOnce_FromTwoProcesses_BothLand_AndPassTheConfigurationTest()
        {
            string apache2 = ApacheKit.DebianInstance(_temp.Path, "debian/minimal");
            File.WriteAllText(Path.Combine(apache2, "sites-available", "ab.conf"), ApacheKit.Text(
                "<VirtualHost *:80>", "    ServerName a.example.com", "</VirtualHost>", "<VirtualHost *:80>", "    ServerName b.example.com", "</VirtualHost>"));
            File.CreateSymbolicLink(Path.Combine(apache2, "sites-enabled", "ab.conf"), "../sites-available/ab.conf");
            CertificateInfo a = ApacheKit.Certificate(Path.Combine(Certificates, "a"), "a.example.com");
            CertificateInfo b = ApacheKit.Certificate(Path.Combine(Certificates, "b"), "b.example.com");

            Process first = ApacheEngineKit.StartChild("apache-setssl", apache2, "a.example.com", "8443", a.FullChainPath!, a.KeyPath!, ApacheHttpd.Executable);
            Process second = ApacheEngineKit.StartChild("apache-setssl", apache2, "b.example.com", "9443", b.FullChainPath!, b.KeyPath!, ApacheHttpd.Executable);
            (int exitA, string outputA) = ApacheEngineKit.WaitChild(first, TimeSpan.FromMinutes(3));
            (int exitB, string outputB) = ApacheEngineKit.WaitChild(second, TimeSpan.FromMinutes(3));

            Assert.True(exitA == 0 && outputA.Contains("Changed=True", StringComparison.Ordinal), outputA);
            Assert.True(exitB == 0 && outputB.Contains("Changed=True", StringComparison.Ordinal), outputB);
            AssertBothLanded(apache2);
            ApacheTestRun httpd = ApacheHttpd.ConfigTest(apache2, Path.Combine(apache2, "apache2.conf"));
            Assert.True(httpd.Ok, httpd.ToString());
        }

        [ApacheFact]
        public void AFreshDebianMachine_RunAndLockFoldersAreCreatedBeforeTheTest_ButNotForWhatIf()
        {
            // apache2ctl creates envvars' run and lock folders before httpd runs; "apache2 -t" alone fails without them.
            string apache2 = ApacheKit.DebianInstance(_temp.Path, "debian/minimal");
            string fresh = Path.Combine(_temp.Path, "fresh-var");
            string envvars = Path.Combine(apache2, "envvars");
            File.WriteAllText(envvars, File.ReadAllText(envvars).Replace(Path.Combine(_temp.Path, "var"), fresh, StringComparison.Ordinal));
            ApacheTestRun bare = ApacheHttpd.ConfigTest(apache2, Path.Combine(apache2, "apache2.conf"));
            Assert.False(bare.Ok, "apache2 -t passed without its run folder: " + bare);
            CertificateInfo certificate = ApacheKit.Certificate(Certificates, "www.example.com");
            ApacheSslOptions options = ApacheKit.SslOptions(apache2, "www.example.com", certificate, ApacheHttpd.Executable);
            options.ServerRoot = apache2;

            Assert.Null(ApacheConfigurator.SetSsl(options, (_, _) => false, new RecordingLog()));
            Assert.False(Directory.Exists(fresh), "-WhatIf created the run folders.");

            ApacheChangeResult result = ApacheConfigurator.SetSsl(options, ApacheKit.Yes, new RecordingLog())!;

            Assert.Contains("Syntax OK", result.ConfigTest, StringComparison.Ordinal);
            foreach (string folder in new[] { "run", "lock", "log" })
            {
                Assert.True(Directory.Exists(Path.Combine(fresh, folder)), folder);
                Assert.Equal(Mode755, ApacheCorpus.ModeOf(Path.Combine(fresh, folder)));
            }
        }

        [ApacheFact]
        public void TheCandidate_ReadsTheSameFilesInTheSameOrder_AsTheLiveConfigurationAfterwards()
        {
            // Absolute Include paths, a ServerRoot directive and a Define in an Include path: the candidate httpd tests
            // must include exactly what the live tree includes once written (httpd's own DUMP_INCLUDES, mapped back).
            string apache2 = ApacheKit.DebianInstance(_temp.Path, "debian/minimal");
            string main = Path.Combine(apache2, "apache2.conf");
            File.WriteAllText(main, $"ServerRoot \"{apache2}\"\nDefine sites {apache2}/sites-enabled\n" + File.ReadAllText(main).Replace("IncludeOptional sites-enabled/*.conf", "IncludeOptional ${sites}/*.conf", StringComparison.Ordinal).Replace("Include ports.conf", $"Include {apache2}/ports.conf", StringComparison.Ordinal));
            CertificateInfo certificate = ApacheKit.Certificate(Certificates, "www.example.com");
            ApacheSslOptions options = ApacheKit.SslOptions(apache2, "www.example.com", certificate, ApacheHttpd.Executable);
            options.ServerRoot = apache2;
            Dictionary<string, string> environment = File.ReadAllLines(Path.Combine(apache2, "envvars"))
                .Where(l => l.StartsWith("export ", StringComparison.Ordinal) && l.Contains('=', StringComparison.Ordinal) && !l.Contains('$', StringComparison.Ordinal))
                .Select(l => l.Substring(7).Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
            List<string>? candidate = null;
            Dictionary<string, string>? candidateBytes = null;
            options.StepHook = step =>
            {
                if (step == "candidate")
                {
                    string txn = Assert.Single(ApacheEngineKit.TransactionFolders(apache2));
                    string candidateMain = Directory.GetFiles(Path.Combine(txn, "candidate"), "*-apache2.conf").Single();
                    candidate = ApacheEngineKit.HttpdIncludes(apache2, candidateMain, null, environment);
                    candidateBytes = candidate.Where(p => !Path.GetFileName(p).StartsWith("list-", StringComparison.Ordinal)).ToDictionary(p => p, p => WithoutIncludes(File.ReadAllText(p)), StringComparer.Ordinal);
                }
            };

            ApacheChangeResult result = ApacheConfigurator.SetSsl(options, ApacheKit.Yes, new RecordingLog())!;

            Assert.True(result.Changed);
            Assert.NotNull(candidate);
            List<string> live = ApacheEngineKit.HttpdIncludes(apache2, main, null, environment);
            List<string> tested = candidate!.Where(p => !Path.GetFileName(p).StartsWith("list-", StringComparison.Ordinal)).ToList();
            Assert.Equal(live.Count, tested.Count);
            for (int i = 0; i < live.Count; i++)
            {
                // Same content (Include lines aside, which the candidate points at its lists), file by file, in order.
                Assert.True(WithoutIncludes(File.ReadAllText(live[i])) == candidateBytes![tested[i]], $"File {i}: live {live[i]} differs from tested {tested[i]}");
                if (!tested[i].Contains(ApacheEngineKit.TransactionPrefix, StringComparison.Ordinal))
                {
                    // The same file: the same path, or the target of the link that did not exist yet when it was tested.
                    Assert.Equal(new FileInfo(live[i]).ResolveLinkTarget(true)?.FullName ?? live[i], new FileInfo(tested[i]).ResolveLinkTarget(true)?.FullName ?? tested[i]);
                }
            }

            Assert.Empty(ApacheEngineKit.TransactionFolders(apache2));
        }

        [UnixFact]
        public void AChangedFile_KeepsOwnerGroupAndMode_BackupsArePrivate_TheResultNamesThem()
        {
            SmallSite();
            string ports = Path.Combine(Apache2, "ports.conf");
            ApacheCorpus.SetMode(ports, "640");
            bool root = UnixNonRootFactAttribute.IsRoot;
            if (root)
            {
                Chown(ports, "65534:65534");
            }

            string ownerBefore = Stat(ports);
            CertificateInfo certificate = ApacheKit.Certificate(Certificates, "www.example.com");

            ApacheChangeResult result = ApacheConfigurator.SetSsl(ApacheKit.SslOptions(Apache2, "www.example.com", certificate, ApacheKit.NoHttpd(_temp.Path)), ApacheKit.Yes, new RecordingLog())!;

            Assert.Contains(ports, result.FilesChanged);
            Assert.Equal(ownerBefore, Stat(ports));
            Assert.NotNull(result.BackupDirectory);
            Assert.StartsWith(Path.Combine(Apache2, ".certcmdlets-backup") + Path.DirectorySeparatorChar, result.BackupDirectory, StringComparison.Ordinal);
            Assert.Equal(Mode700, ApacheCorpus.ModeOf(result.BackupDirectory!));
            string backup = Assert.Single(result.Backups);
            Assert.Equal(Path.Combine(result.BackupDirectory!, "ports.conf"), backup);
            Assert.Equal(ApacheKit.Text("Listen 80"), File.ReadAllText(backup));
            Assert.Equal((UnixFileMode)Convert.ToInt32("640", 8), ApacheCorpus.ModeOf(backup));
            Assert.Equal(Mode644, ApacheCorpus.ModeOf(Path.Combine(Apache2, "sites-available", "www.example.com-ssl.conf")));
            Assert.Empty(ApacheEngineKit.TransactionFolders(Apache2));
        }

        [UnixTheory]
        [InlineData("000")]
        [InlineData("077")]
        public void UnderAnyUmask_WhatTheEditCreatesHasTheModeHttpdNeeds_AndAChangedFileKeepsItsMode(string umask)
        {
            // A child process with umask 000: new folders 0755, new files 0644, backups 0700 - never 0777/0666. With
            // umask 077 the same: a site file or folder httpd (www-data) cannot read would break the next start.
            SmallSite();
            Directory.Delete(Path.Combine(Apache2, "mods-enabled"), recursive: true);
            string ports = Path.Combine(Apache2, "ports.conf");
            File.WriteAllText(ports, ApacheKit.Text("Listen 80", "# edited below"));
            ApacheCorpus.SetMode(ports, "664");
            CertificateInfo certificate = ApacheKit.Certificate(Certificates, "www.example.com");

            (int exit, string output) = ApacheEngineKit.RunChild(TimeSpan.FromMinutes(2), "--umask", umask, "apache-setssl", Apache2, "www.example.com", "443", certificate.FullChainPath!, certificate.KeyPath!, ApacheKit.NoHttpd(_temp.Path));

            Assert.True(exit == 0, output);
            Assert.Contains("Changed=True", output, StringComparison.Ordinal);
            Assert.Contains("Listen 443", File.ReadAllText(ports), StringComparison.Ordinal);
            Assert.Equal((UnixFileMode)Convert.ToInt32("664", 8), ApacheCorpus.ModeOf(ports));
            Assert.Equal(Mode755, ApacheCorpus.ModeOf(Path.Combine(Apache2, "mods-enabled")));
            Assert.Equal(Mode644, ApacheCorpus.ModeOf(Path.Combine(Apache2, "sites-available", "www.example.com-ssl.conf")));
            string backups = Path.Combine(Apache2, ".certcmdlets-backup");
            Assert.Equal(Mode700, ApacheCorpus.ModeOf(backups));
            Assert.All(Directory.GetDirectories(backups, "*", SearchOption.AllDirectories), d => Assert.Equal(Mode700, ApacheCorpus.ModeOf(d)));
            Assert.Empty(ApacheEngineKit.TransactionFolders(Apache2));
        }

        private void SmallSite() =>
            ApacheKit.DebianTree(Apache2, ApacheKit.Text("Listen 80"),
                ("site.conf", ApacheKit.Text("<VirtualHost *:80>", "    ServerName www.example.com", "    DocumentRoot /srv/www", "</VirtualHost>")));

        private static void AssertBothLanded(string apache2)
        {
            ConfigTree tree = ConfigTree.Load(Path.Combine(apache2, "apache2.conf"), apache2, new Dictionary<string, string>());
            foreach (int port in new[] { 8443, 9443 })
            {
                int listens = tree.AllNodes().OfType<ConfigDirective>().Count(d => d.Is("Listen") && d.Arguments.Count > 0 && d.Arguments[0].Split(':').Last() == port.ToString(System.Globalization.CultureInfo.InvariantCulture));
                Assert.True(listens == 1, $"{listens} Listen lines for port {port}:{Environment.NewLine}{File.ReadAllText(Path.Combine(apache2, "ports.conf"))}");
            }

            foreach (string name in new[] { "a.example.com", "b.example.com" })
            {
                Assert.Single(tree.Walk().OfType<ConfigSection>(), s => s.Is("VirtualHost") && s.Arguments.Any(a => a.EndsWith("443", StringComparison.Ordinal))
                    && s.Children.OfType<ConfigDirective>().Any(d => d.Is("ServerName") && d.Arguments[0] == name));
            }

            Assert.Empty(ApacheEngineKit.TransactionFolders(apache2));
        }

        private static string WithoutIncludes(string text) =>
            string.Join("\n", text.Split('\n').Where(l => !l.TrimStart().StartsWith("Include", StringComparison.OrdinalIgnoreCase)));

        private static void Chown(string path, string owner)
        {
            using Process chown = Process.Start("chown", new[] { owner, path })!;
            chown.WaitForExit();
            Assert.Equal(0, chown.ExitCode);
        }

        private static string Stat(string path)
        {
            using Process stat = Process.Start(new ProcessStartInfo("stat", new[] { "-c", "%u:%g %a", path }) { RedirectStandardOutput = true })!;
            string output = stat.StandardOutput.ReadToEnd().Trim();
            stat.WaitForExit();
            return output;
        }
    }
}
