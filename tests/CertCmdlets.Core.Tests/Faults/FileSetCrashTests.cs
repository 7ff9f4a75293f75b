using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.Versioning;
using System.Security;
using CertCmdlets.Core.Export;
using CertCmdlets.Core.IO;
using CertCmdlets.Core.Pkcs12;
using CertCmdlets.Core.Tests.Infrastructure;
using Xunit;
using Xunit.Sdk;

namespace CertCmdlets.Core.Tests.Faults
{
    /// <summary>
    /// The file set writer stopped at every step, in process: the step hook throws an exception no catch of the
    /// writer handles, so nothing it would do on an error runs, as after a kill (the kernel's part of a kill, closing
    /// files and dropping locks, happens through the disposals). Afterwards the folder must hold the old set or the
    /// new set as the module's readers see it, and after the next write in the folder, also as a web server sees it
    /// (raw bytes), with nothing left behind. The same with an I/O failure injected at every step instead: then
    /// nothing may change at all. Real SIGKILLs of a real process: tests/CertCmdlets.Tests/FaultKillTests.cs.
    /// </summary>
    [Collection(ProcessWideCollection.Name)]
    [UnsupportedOSPlatform("windows")]
    public sealed class FileSetCrashTests : IDisposable
    {
        private readonly TempDirectory _temp = new TempDirectory();

        public void Dispose() => _temp.Dispose();

        [UnixFact]
        public void ForceIntoOneFolder_CrashAtEveryStep_LeavesTheOldOrTheNewSet_AndTheNextWriteFinishesIt()
        {
            CertificateInfo old = CertificateSets.New("old");
            CertificateInfo renewed = CertificateSets.New("new");
            int trials = RunAtEveryStep(
                trial =>
                {
                    string folder = _temp.File($"one-{trial}");
                    PemExportTargets targets = PemExportTargets.InDirectory(folder, renewed);
                    targets.ChainPath = Path.Combine(folder, "chain.pem");
                    CertificateSets.Write(old, targets, force: false);
                    return targets;
                },
                targets => CertificateSets.Write(renewed, targets, force: true),
                (targets, step, committed) =>
                {
                    string folder = Path.GetDirectoryName(targets.KeyPath)!;
                    Assert.Equal(committed ? "new" : "old", CertificateSets.Generation(targets, throughJournal: true));
                    var log = new RecordingLog();
                    NextWriteInFolder(folder, log);
                    Assert.Equal(committed ? "new" : "old", CertificateSets.Generation(targets, throughJournal: false));
                    Assert.Empty(CertificateSets.Leftovers(folder));
                    if (step == "journal" || step.StartsWith("rename ", StringComparison.Ordinal) || step == "synced")
                    {
                        if (step != "journal-removed")
                    {
                        Assert.Contains(log.VerboseMessages, m => m.StartsWith("Completed an earlier write of 4 file(s)", StringComparison.Ordinal));
                    }
                    }

                    if (step.StartsWith("temp ", StringComparison.Ordinal) || step.StartsWith("backup ", StringComparison.Ordinal))
                    {
                        Assert.Contains(log.VerboseMessages, m => m.StartsWith("Removed '", StringComparison.Ordinal) && m.Contains("interrupted", StringComparison.Ordinal));
                    }
                });

            Assert.Equal(18, trials);
        }

        [UnixFact]
        public void ForceIntoTwoFolders_CrashAtEveryStep_LeavesTheOldOrTheNewSet_WhicheverFolderIsWrittenFirst()
        {
            // Debian keeps keys in private/ and certificates in certs/: one set, two folders, a journal in each.
            CertificateInfo old = CertificateSets.New("old");
            CertificateInfo renewed = CertificateSets.New("new");
            foreach (bool nextWriteInKeyFolder in new[] { true, false })
            {
                int trials = RunAtEveryStep(
                    trial =>
                    {
                        string root = _temp.File($"two-{nextWriteInKeyFolder}-{trial}");
                        PemExportTargets targets = CertificateSets.SplitTargets(Path.Combine(root, "private"), Path.Combine(root, "certs"));
                        CertificateSets.Write(old, targets, force: false);
                        return targets;
                    },
                    targets => CertificateSets.Write(renewed, targets, force: true),
                    (targets, step, committed) =>
                    {
                        string keys = Path.GetDirectoryName(targets.KeyPath)!;
                        string certificates = Path.GetDirectoryName(targets.CertificatePath)!;
                        Assert.Equal(committed ? "new" : "old", CertificateSets.Generation(targets, throughJournal: true));
                        string first = nextWriteInKeyFolder ? keys : certificates;
                        NextWriteInFolder(first, new RecordingLog());
                        Assert.Equal(committed ? "new" : "old", CertificateSets.Generation(targets, throughJournal: false));
                        Assert.Empty(CertificateSets.Leftovers(first));

                        // A folder's own leftovers (a journal whose set is complete) go with the next write in it.
                        NextWriteInFolder(nextWriteInKeyFolder ? certificates : keys, new RecordingLog());
                        Assert.Equal(committed ? "new" : "old", CertificateSets.Generation(targets, throughJournal: false));
                        Assert.Empty(CertificateSets.Leftovers(keys, certificates));
                    });

                // directories, locked, prepared journal, member journal, 4 temps, 4 backups, journal, 4 renames, synced,
                // backups removed, member journal removed, journal removed.
                Assert.Equal(21, trials);
            }
        }

        [UnixFact]
        public void NewSetWithoutForce_CrashAtEveryStep_LeavesNothingOrTheWholeSet()
        {
            CertificateInfo renewed = CertificateSets.New("new");
            int trials = RunAtEveryStep(
                trial =>
                {
                    string folder = _temp.File($"fresh-{trial}/tls");
                    PemExportTargets targets = PemExportTargets.InDirectory(folder, renewed);
                    targets.ChainPath = Path.Combine(folder, "chain.pem");
                    return targets;
                },
                targets => CertificateSets.Write(renewed, targets, force: false),
                (targets, step, committed) =>
                {
                    string folder = Path.GetDirectoryName(targets.KeyPath)!;
                    if (!committed)
                    {
                        Assert.All(CertificateSets.Names, n => Assert.False(File.Exists(Path.Combine(folder, n)), $"{n} exists before the commit point"));
                        if (Directory.Exists(folder))
                        {
                            NextWriteInFolder(folder, new RecordingLog());
                            Assert.Empty(CertificateSets.Leftovers(folder));
                        }

                        return;
                    }

                    Assert.Equal("new", CertificateSets.Generation(targets, throughJournal: true));

                    // The same command again, without -Force: it finishes the interrupted write, then finds the files.
                    var log = new RecordingLog();
                    CoreAssert.Throws("OutputFileExists", () => CertificateSets.Write(renewed, targets, force: false, log));
                    Assert.Equal("new", CertificateSets.Generation(targets, throughJournal: false));
                    Assert.Empty(CertificateSets.Leftovers(folder));
                    if (step != "journal-removed")
                    {
                        Assert.Contains(log.VerboseMessages, m => m.StartsWith("Completed an earlier write of 4 file(s)", StringComparison.Ordinal));
                    }
                });

            // directories, locked, 4 temps, journal, 4 renames, synced, backups removed, journal removed.
            Assert.Equal(14, trials);
        }

        [UnixFact]
        public void PfxWithForce_CrashAtEveryStep_LeavesTheOldOrTheNewFile()
        {
            CertificateInfo old = CertificateSets.New("old");
            CertificateInfo renewed = CertificateSets.New("new");
            SecureString password = SecureText.Of("pfx password");
            int trials = RunAtEveryStep(
                trial =>
                {
                    string path = _temp.File($"pfx-{trial}/site.pfx");
                    PfxWriter.WriteFile(old, path, password, null, false, false, (_, _) => true, NullCoreLog.Instance);
                    return new PemExportTargets { KeyPath = path };
                },
                targets => PfxWriter.WriteFile(renewed, targets.KeyPath!, password, null, false, true, (_, _) => true, NullCoreLog.Instance),
                (targets, step, committed) =>
                {
                    string expected = committed ? renewed.Thumbprint : old.Thumbprint;
                    Assert.Equal(expected, PfxReader.ReadFile(targets.KeyPath!, password, NullCoreLog.Instance).Leaves.Single().Thumbprint);
                    NextWriteInFolder(Path.GetDirectoryName(targets.KeyPath)!, new RecordingLog());
                    Assert.Equal(expected, PfxReader.Parse(File.ReadAllBytes(targets.KeyPath!), "raw", password, NullCoreLog.Instance).Leaves.Single().Thumbprint);
                    Assert.Empty(CertificateSets.Leftovers(Path.GetDirectoryName(targets.KeyPath)!));
                });

            Assert.Equal(9, trials);
        }

        [UnixFact]
        public void CrashWhileRecovering_TheRunAfterFinishesTheRecovery()
        {
            CertificateInfo old = CertificateSets.New("old");
            CertificateInfo renewed = CertificateSets.New("new");
            string folder = _temp.File("recover");
            PemExportTargets targets = PemExportTargets.InDirectory(folder, renewed);
            targets.ChainPath = Path.Combine(folder, "chain.pem");
            CertificateSets.Write(old, targets, force: false);

            // Killed right after the journal, then the recovering run killed after its first rename.
            CrashAt("journal", () => CertificateSets.Write(renewed, targets, force: true));
            CrashAt("recover " + targets.KeyPath, () => NextWriteInFolder(folder, new RecordingLog()));
            Assert.Equal("new", CertificateSets.Generation(targets, throughJournal: true));

            NextWriteInFolder(folder, new RecordingLog());

            Assert.Equal("new", CertificateSets.Generation(targets, throughJournal: false));
            Assert.Empty(CertificateSets.Leftovers(folder));
        }

        [UnixFact]
        public void FailureAtEveryStep_ChangesNothing_AndLeavesNoCopyOfTheKey()
        {
            // An I/O error (full disk, an immutable file) at each step: the error is FileWriteFailed and the old set
            // is there byte for byte, mode for mode, with no temporary file, backup or journal left.
            CertificateInfo old = CertificateSets.New("old");
            CertificateInfo renewed = CertificateSets.New("new");
            string probe = _temp.File("probe");
            PemExportTargets probeTargets = PemExportTargets.InDirectory(probe, renewed);
            CertificateSets.Write(old, probeTargets, force: false);
            List<string> steps = RecordSteps(() => CertificateSets.Write(renewed, probeTargets, force: true));
            int writeSteps = steps.IndexOf("synced") + 1;
            var failures = new List<string>();
            for (int i = 0; i < steps.Count; i++)
            {
                string folder = _temp.File($"fail-{i}");
                PemExportTargets targets = PemExportTargets.InDirectory(folder, renewed);
                CertificateSets.Write(old, targets, force: false);
                File.SetUnixFileMode(targets.KeyPath!, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
                Dictionary<string, string> before = Snapshot(folder);
                var log = new RecordingLog();
                int index = i;
                Exception? thrown = Record.Exception(() =>
                {
                    int seen = 0;
                    using (StepHook.Install(step =>
                    {
                        if (seen++ == index)
                        {
                            throw new IOException("injected failure at " + step);
                        }
                    }))
                    {
                        CertificateSets.Write(renewed, targets, force: true, log);
                    }
                });

                try
                {
                    if (i < writeSteps)
                    {
                        Assert.True(thrown is CertCmdletsException { ErrorId: "FileWriteFailed" }, $"expected FileWriteFailed, got {thrown}");
                        Assert.Contains("Nothing was changed", thrown!.Message, StringComparison.Ordinal);
                        Assert.Equal(before, Snapshot(folder));
                        Assert.Empty(CertificateSets.Leftovers(folder));
                    }
                    else
                    {
                        // The files are all in place; only the cleanup failed: a warning, and the next write cleans up.
                        Assert.Null(thrown);
                        Assert.Contains(log.Warnings, w => w.Contains("the next command writing there removes it", StringComparison.Ordinal));
                        NextWriteInFolder(folder, new RecordingLog());
                        Assert.Equal("new", CertificateSets.Generation(PlusChain(targets), throughJournal: false));
                        Assert.Empty(CertificateSets.Leftovers(folder));
                    }
                }
                catch (XunitException ex)
                {
                    failures.Add($"step {i} ({steps[i]}): {ex.Message}");
                }
            }

            Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        }

        [UnixFact]
        public void FailureAfterTheCommitPoint_ThenKilledWhileUndoing_TheNextRunFinishesTheUndo()
        {
            CertificateInfo old = CertificateSets.New("old");
            CertificateInfo renewed = CertificateSets.New("new");
            string folder = _temp.File("undo");
            PemExportTargets targets = PemExportTargets.InDirectory(folder, renewed);
            targets.ChainPath = Path.Combine(folder, "chain.pem");
            CertificateSets.Write(old, targets, force: false);
            Dictionary<string, string> before = Snapshot(folder);

            Assert.Throws<SimulatedCrash>(() =>
            {
                using (StepHook.Install(step =>
                {
                    if (step == "rename " + targets.CertificatePath)
                    {
                        throw new IOException("injected failure");
                    }

                    if (step == "abort-journal")
                    {
                        throw new SimulatedCrash(step);
                    }
                }))
                {
                    CertificateSets.Write(renewed, targets, force: true);
                }
            });

            // key.pem and cert.pem are new on disk, but readers already see the old set being restored.
            Assert.Equal("old", CertificateSets.Generation(targets, throughJournal: true));
            var log = new RecordingLog();
            NextWriteInFolder(folder, log);
            Assert.Equal(before, Snapshot(folder).Where(e => e.Key != "other.pem").ToDictionary(e => e.Key, e => e.Value));
            Assert.Empty(CertificateSets.Leftovers(folder));
            Assert.Contains(log.VerboseMessages, m => m.StartsWith("Undid an earlier write of 4 file(s)", StringComparison.Ordinal));
        }

        [UnixFact]
        public void LeftoversOfOlderVersions_BakCopiesOfKeys_AreRemovedByTheNextWrite()
        {
            // Versions before the journal left .bak full copies of private keys and .tmp files after a kill.
            string folder = _temp.File("legacy");
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, ".key.pem.0123456789abcdef.bak"), "-----BEGIN PRIVATE KEY-----\nold copy\n");
            File.WriteAllText(Path.Combine(folder, ".cert.pem.fedcba9876543210.tmp"), "half");
            File.WriteAllText(Path.Combine(folder, ".hidden-but-not-ours"), "keep me");
            var log = new RecordingLog();

            NextWriteInFolder(folder, log);

            Assert.Equal(new[] { ".hidden-but-not-ours" }, CertificateSets.Leftovers(folder));
            Assert.Equal(2, log.VerboseMessages.Count(m => m.StartsWith("Removed '", StringComparison.Ordinal)));
            Assert.Contains(log.VerboseMessages, m => m.Contains(".key.pem.0123456789abcdef.bak", StringComparison.Ordinal));
        }

        [UnixFact]
        public void JournalOfAnotherUser_IsNeverActedOn_AndTheWriteChangesNothing()
        {
            // In a shared folder another user could plant a journal naming files of their choosing.
            CertificateInfo old = CertificateSets.New("old");
            string folder = _temp.File("shared");
            PemExportTargets targets = PemExportTargets.InDirectory(folder, old);
            CertificateSets.Write(old, targets, force: false);
            string planted = Path.Combine(folder, ".cert.pem.00112233445566aa.tmp");
            File.WriteAllText(planted, "-----BEGIN CERTIFICATE-----\nattacker's\n-----END CERTIFICATE-----\n");
            string journal = Path.Combine(folder, FileSetJournal.FileName);
            File.WriteAllText(journal, $"certcmdlets-journal 1\nid 00\nstate commit\nprimary {Uri.EscapeDataString(folder)}\nentry {Uri.EscapeDataString(folder)} cert.pem .cert.pem.00112233445566aa.tmp - replace - -\n");
            File.SetUnixFileMode(journal, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite | UnixFileMode.OtherRead | UnixFileMode.GroupRead);
            Dictionary<string, string> before = Snapshot(folder);

            // A reader ignores it; a writer refuses to go on.
            Assert.Equal(old.Thumbprint, Certificates.CertificateReader.ReadFile(targets.CertificatePath!).Single().Thumbprint);
            CertCmdletsException error = CoreAssert.Throws("InterruptedWriteUnreadable", () => NextWriteInFolder(folder, new RecordingLog()));
            Assert.Contains("writable by others", error.Message, StringComparison.Ordinal);
            Assert.Equal(before, Snapshot(folder));
        }

        [UnixFact]
        public void GarbageJournal_IsAClearErrorAndNothingChanges()
        {
            string folder = _temp.File("garbage");
            Directory.CreateDirectory(folder);
            File.WriteAllText(Path.Combine(folder, FileSetJournal.FileName), "certcmdlets-journal 1\nid 1\nstate commit\nprimary /x\nentry /x ../../etc/passwd .passwd.0011223344556677.tmp - replace - -\n");
            File.SetUnixFileMode(Path.Combine(folder, FileSetJournal.FileName), UnixFileMode.UserRead | UnixFileMode.UserWrite);

            CertCmdletsException error = CoreAssert.Throws("InterruptedWriteUnreadable", () => NextWriteInFolder(folder, new RecordingLog()));

            Assert.Contains("outside its folder", error.Message, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(folder, "other.pem")));
        }

        /// <summary>The next write in a folder: another file of another command, as Join-CertChain -OutFile writes it.</summary>
        private static void NextWriteInFolder(string folder, ICoreLog log) =>
            PemOutput.WriteCertificate(CertificateSets.New("other"), new PemExportTargets { FullChainPath = Path.Combine(folder, "other.pem") }, null, true, (_, _) => true, log);

        private static PemExportTargets PlusChain(PemExportTargets targets)
        {
            targets.ChainPath ??= Path.Combine(Path.GetDirectoryName(targets.KeyPath)!, "chain.pem");
            return targets;
        }

        private static List<string> RecordSteps(Action write)
        {
            var steps = new List<string>();
            using (StepHook.Install(steps.Add))
            {
                write();
            }

            return steps;
        }

        private static void CrashAt(string wanted, Action write)
        {
            Assert.Throws<SimulatedCrash>(() =>
            {
                using (StepHook.Install(step =>
                {
                    if (step == wanted)
                    {
                        throw new SimulatedCrash(step);
                    }
                }))
                {
                    write();
                }
            });
        }

        /// <summary>
        /// Runs <paramref name="write"/> once to learn its steps, then once per step on a fresh copy of the starting
        /// state, crashing at that step, and checks each outcome; failures are collected and reported together.
        /// Returns the number of steps.
        /// </summary>
        private static int RunAtEveryStep(Func<int, PemExportTargets> prepare, Action<PemExportTargets> write, Action<PemExportTargets, string, bool> check)
        {
            PemExportTargets probe = prepare(-1);
            List<string> steps = RecordSteps(() => write(probe));
            int commitPoint = steps.IndexOf("journal");
            Assert.True(commitPoint > 0, "no commit step: " + string.Join(", ", steps));
            var failures = new List<string>();
            for (int i = 0; i < steps.Count; i++)
            {
                PemExportTargets targets = prepare(i);
                int index = i;
                int seen = 0;
                Exception? crash = Record.Exception(() =>
                {
                    using (StepHook.Install(step =>
                    {
                        if (seen++ == index)
                        {
                            throw new SimulatedCrash(step);
                        }
                    }))
                    {
                        write(targets);
                    }
                });

                try
                {
                    Assert.IsType<SimulatedCrash>(crash);
                    check(targets, steps[i], i >= commitPoint);
                }
                catch (Exception ex) when (ex is XunitException || ex is CertCmdletsException || ex is IOException)
                {
                    failures.Add($"step {i} ({steps[i]}): {ex.GetType().Name}: {ex.Message}");
                }
            }

            Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
            return steps.Count;
        }

        private static Dictionary<string, string> Snapshot(string folder) =>
            Directory.EnumerateFileSystemEntries(folder).OrderBy(f => f, StringComparer.Ordinal).ToDictionary(
                f => Path.GetFileName(f),
                f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))) + " " + File.GetUnixFileMode(f));
    }
}
