using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CertCmdlets.Core.Export;
using CertCmdlets.Core.IO;
using CertCmdlets.Core.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Core.Tests.Faults
{
    /// <summary>
    /// Two commands writing one folder take turns (an advisory lock per folder): concurrent -Force renewals end with
    /// one whole set and nothing left behind; a writer that holds the folder too long makes the other fail with
    /// OutputDirectoryLocked, naming the folder, with nothing changed.
    /// </summary>
    public sealed class OutputLockTests : IDisposable
    {
        private readonly TempDirectory _temp = new TempDirectory();

        public void Dispose() => _temp.Dispose();

        [UnixFact]
        public void ConcurrentForceWrites_IntoOneFolder_EndWithOneWholeSet()
        {
            string folder = _temp.File("site");
            CertificateInfo[] generations = Enumerable.Range(0, 6).Select(i => CertificateSets.New("gen" + i)).ToArray();
            PemExportTargets targets = PemExportTargets.InDirectory(folder, generations[0]);
            var errors = new ConcurrentQueue<Exception>();
            var seen = new ConcurrentQueue<string>();
            using var start = new ManualResetEventSlim();

            Task[] writers = generations.Select(generation => Task.Run(() =>
            {
                start.Wait();
                for (int round = 0; round < 5; round++)
                {
                    try
                    {
                        // (Reading the four files meanwhile could meet another writer between its renames: readers
                        // take no lock. The set is checked once all writers are through.)
                        CertificateSets.Write(generation, targets, force: true);
                        seen.Enqueue(generation.Subject);
                    }
                    catch (Exception ex)
                    {
                        errors.Enqueue(ex);
                    }
                }
            })).ToArray();
            start.Set();
            Assert.True(Task.WaitAll(writers, TimeSpan.FromMinutes(2)), "the writers did not finish");

            Assert.Empty(errors);
            Assert.Equal(30, seen.Count);
            Assert.StartsWith("gen", CertificateSets.Generation(targets, throughJournal: false), StringComparison.Ordinal);
            Assert.Empty(CertificateSets.Leftovers(folder));
        }

        [UnixFact]
        public void FolderHeldByAnotherWriter_IsOutputDirectoryLockedAfterTheWait_AndNothingChanges()
        {
            string folder = _temp.File("site");
            CertificateInfo old = CertificateSets.New("old");
            PemExportTargets targets = PemExportTargets.InDirectory(folder, old);
            CertificateSets.Write(old, targets, force: false);
            string before = CertificateSets.Generation(targets, throughJournal: false);
            var log = new RecordingLog();

            CertCmdletsException error;
            using (var holder = new DirectoryLocks(TimeSpan.FromSeconds(1), NullCoreLog.Instance))
            {
                holder.Acquire(folder);
                var plan = new FileWritePlan(force: true) { LockTimeout = TimeSpan.FromSeconds(1) };
                plan.Add(targets.CertificatePath!, System.Text.Encoding.ASCII.GetBytes(CertificateSets.New("new").ToPem()), isPrivateKey: false, "certificate");
                error = CoreAssert.Throws("OutputDirectoryLocked", () => plan.Commit((_, _) => true, log));
            }

            Assert.Equal(folder, error.Target);
            Assert.Contains(folder, error.Message, StringComparison.Ordinal);
            Assert.Contains("Nothing was changed", error.Message, StringComparison.Ordinal);
            Assert.Contains(log.VerboseMessages, m => m.Contains("waiting up to 1 s", StringComparison.Ordinal));
            Assert.Equal(before, CertificateSets.Generation(targets, throughJournal: false));
            Assert.Empty(CertificateSets.Leftovers(folder));

            // Released: the same write now goes through.
            CertificateSets.Write(CertificateSets.New("new"), targets, force: true);
            Assert.Equal("new", CertificateSets.Generation(targets, throughJournal: false));
        }
    
        [UnixFact]
        public void OneFolderUnderTwoSpellings_IsOneFolderOfTheSet()
        {
            // key.pem through the folder's real path, cert.pem through a link to it: one lock (a second one would
            // wait for ourselves), one journal.
            string folder = _temp.File("real");
            Directory.CreateDirectory(folder);
            string link = _temp.File("link");
            Directory.CreateSymbolicLink(link, folder);
            var targets = new PemExportTargets { KeyPath = Path.Combine(folder, "key.pem"), CertificatePath = Path.Combine(link, "cert.pem") };
            var log = new RecordingLog();

            var watch = System.Diagnostics.Stopwatch.StartNew();
            PemOutput.WriteCertificate(CertificateSets.New("new"), targets, null, false, (_, _) => true, log);

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), "the write waited for its own lock");
            Assert.Equal(new[] { "cert.pem", "key.pem" }, Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal));
            Assert.Empty(log.Warnings);
        }
    }
}
