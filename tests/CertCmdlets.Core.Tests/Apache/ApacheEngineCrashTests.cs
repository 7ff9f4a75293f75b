using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CertCmdlets.Core.Apache;
using CertCmdlets.Core.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Core.Tests.Apache
{
    /// <summary>
    /// Kill -9 at every step of the transaction: a child process (this assembly, <see cref="ApacheChildProcess"/>) runs
    /// Set-ApacheSsl on a private Debian instance and kills itself when a chosen step is reached; then this process,
    /// a fresh one, checks what is on disk and runs the next command, which must find the configuration old or new -
    /// after finishing a half-done commit from its journal - passing httpd's configuration test, with no leftovers.
    /// </summary>
    public sealed class ApacheEngineCrashTests : IDisposable
    {
        private readonly TempDirectory _temp = new TempDirectory();
        private readonly Xunit.Abstractions.ITestOutputHelper _output;

        public ApacheEngineCrashTests(Xunit.Abstractions.ITestOutputHelper output)
        {
            _output = output;
        }

        public void Dispose() => _temp.Dispose();

        [ApacheFact]
        public void KilledAtEveryStep_TheNextRunFindsTheOldOrTheNewConfiguration_PassingTheTest()
        {
            // ports.conf without its <IfModule ssl_module> Listen 443, so that the change also edits an existing file.
            string template = ApacheKit.DebianInstance(Path.Combine(_temp.Path, "template"), "debian/minimal");
            File.WriteAllText(Path.Combine(template, "ports.conf"), ApacheKit.Text("Listen 80"));
            CertificateInfo certificate = ApacheKit.Certificate(Path.Combine(_temp.Path, "certs"), "www.example.com");
            string main(string apache2) => Path.Combine(apache2, "apache2.conf");

            // The reference run: every step it goes through, and the tree it leaves.
            string reference = Copy(template, "reference");
            var steps = new List<string>();
            ApacheSslOptions options = Options(reference, certificate);
            options.StepHook = steps.Add;
            Assert.True(ApacheConfigurator.SetSsl(options, ApacheKit.Yes, new RecordingLog())!.Changed);
            Dictionary<string, TreeEntry> oldTree = Configuration(template);
            Dictionary<string, TreeEntry> newTree = Configuration(reference);
            Assert.NotEqual(Describe(oldTree), Describe(newTree));
            Assert.Contains("committing", steps);
            Assert.Contains(steps, s => s.StartsWith("replace:", StringComparison.Ordinal));
            Assert.Contains(steps, s => s.StartsWith("create:", StringComparison.Ordinal));
            Assert.Contains(steps, s => s.StartsWith("link:", StringComparison.Ordinal));

            foreach (string step in steps)
            {
                string apache2 = Copy(template, "killed-" + step.Replace(':', '-'));

                (int exit, string output) = ApacheEngineKit.RunChild(TimeSpan.FromMinutes(3), "apache-crash", apache2, "www.example.com",
                    certificate.FullChainPath!, certificate.KeyPath!, ApacheHttpd.Executable, step);

                Assert.True(exit != 0 && !output.Contains("Changed=", StringComparison.Ordinal), $"The child was not killed at '{step}' (exit {exit}): {output}");
                Dictionary<string, TreeEntry> killed = Configuration(apache2);
                bool halfCommitted = ApacheEngineKit.TransactionFolders(apache2).Any(f => File.Exists(Path.Combine(f, "journal")) && File.ReadAllText(Path.Combine(f, "journal")).Contains("state\tcommitting", StringComparison.Ordinal));
                if (!halfCommitted)
                {
                    string state = Describe(killed);
                    Assert.True(state == Describe(oldTree) || state == Describe(newTree), $"Killed at '{step}', neither the old nor the new configuration is on disk:{Environment.NewLine}{string.Join(Environment.NewLine, Differences(newTree, killed))}");
                }

                // The next run (recovery only, as its first step does), then the whole change again.
                using (ApacheTransaction.Open(apache2, apache2, ApacheHttpd.Executable, new ApacheTransactionSettings(), ApacheKit.Yes, new RecordingLog()))
                {
                }

                Dictionary<string, TreeEntry> recovered = Configuration(apache2);
                string after = Describe(recovered);
                _output.WriteLine($"killed at {step}: on disk {(halfCommitted ? "half committed" : Describe(killed) == Describe(oldTree) ? "old" : "new")}, after recovery {(after == Describe(oldTree) ? "old" : "new")}");
                Assert.True(after == Describe(oldTree) || after == Describe(newTree), $"After recovery from '{step}', neither the old nor the new configuration:{Environment.NewLine}{string.Join(Environment.NewLine, Differences(newTree, recovered))}");
                ApacheTestRun test = ApacheHttpd.ConfigTest(apache2, main(apache2));
                Assert.True(test.Ok, $"After recovery from '{step}': {test}");
                Assert.Empty(ApacheEngineKit.TransactionFolders(apache2));
                if (halfCommitted)
                {
                    Assert.Equal(Describe(newTree), after);
                }

                ApacheConfigurator.SetSsl(Options(apache2, certificate), ApacheKit.Yes, new RecordingLog());
                Assert.Equal(Describe(newTree), Describe(Configuration(apache2)));
                Assert.Empty(ApacheEngineKit.TransactionFolders(apache2));
                string backups = Path.Combine(apache2, TreeSnapshot.BackupDirectoryName);
                Assert.True(!Directory.Exists(backups) || Directory.GetDirectories(backups).Length <= 1, $"Killed at '{step}': more than one backup folder remains.");
            }
        }

        private static ApacheSslOptions Options(string apache2, CertificateInfo certificate)
        {
            ApacheSslOptions options = ApacheKit.SslOptions(apache2, "www.example.com", certificate, ApacheHttpd.Executable);
            options.ServerRoot = apache2;
            return options;
        }

        private string Copy(string template, string name)
        {
            string target = Path.Combine(_temp.Path, name, "apache2");
            Copy(new DirectoryInfo(template), target);
            return target;
        }

        private static void Copy(DirectoryInfo source, string target)
        {
            Directory.CreateDirectory(target);
            foreach (FileSystemInfo entry in source.EnumerateFileSystemInfos())
            {
                string destination = Path.Combine(target, entry.Name);
                if (entry.LinkTarget is not null)
                {
                    File.CreateSymbolicLink(destination, entry.LinkTarget);
                }
                else if (entry is DirectoryInfo directory)
                {
                    Copy(directory, destination);
                }
                else
                {
                    File.Copy(entry.FullName, destination);
                }
            }
        }

        /// <summary>The configuration as httpd sees it: every file and link under ServerRoot, relative, without the editor's backups and transaction folders.</summary>
        private static Dictionary<string, TreeEntry> Configuration(string apache2) =>
            TreeSnapshot.Take(apache2).Entries
                .Where(e => !e.Key.StartsWith(ApacheEngineKit.TransactionPrefix, StringComparison.Ordinal) && e.Value.Kind != "directory")
                .ToDictionary(e => e.Key, e => e.Value);

        private static string Describe(Dictionary<string, TreeEntry> tree) =>
            string.Join("\n", tree.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => e.Key + " " + e.Value + " " + (e.Value.Bytes is null ? e.Value.LinkTarget : Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(e.Value.Bytes)))));

        private static IEnumerable<string> Differences(Dictionary<string, TreeEntry> expected, Dictionary<string, TreeEntry> actual) =>
            expected.Keys.Union(actual.Keys).OrderBy(k => k, StringComparer.Ordinal)
                .Where(k => !expected.TryGetValue(k, out TreeEntry? e) || !actual.TryGetValue(k, out TreeEntry? a) || !e.SameAs(a))
                .Select(k => $"{k}: new {(expected.TryGetValue(k, out TreeEntry? e) ? e.ToString() : "absent")}, on disk {(actual.TryGetValue(k, out TreeEntry? a) ? a.ToString() : "absent")}");
    }
}
