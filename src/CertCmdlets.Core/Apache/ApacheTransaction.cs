using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using CertCmdlets.Core.IO;

namespace CertCmdlets.Core.Apache
{
    /// <summary>How a transaction waits, how long httpd may run, which -D names httpd gets; a hook for fault-injection tests.</summary>
    internal sealed class ApacheTransactionSettings
    {
        public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(30);

        public TimeSpan ProgramTimeout { get; set; } = TimeSpan.FromSeconds(60);

        public IReadOnlyList<string> Defines { get; set; } = Array.Empty<string>();

        /// <summary>Called with the name of each step as it is reached (tests stop the process there).</summary>
        public Action<string>? StepHook { get; set; }

        public static ApacheTransactionSettings From(ApacheSslOptions options) => new ApacheTransactionSettings
        {
            LockTimeout = options.LockTimeout,
            ProgramTimeout = options.ProgramTimeout,
            Defines = options.Defines.ToArray(),
            StepHook = options.StepHook,
        };

        public static ApacheTransactionSettings From(ApacheRedirectOptions options) => new ApacheTransactionSettings
        {
            LockTimeout = options.LockTimeout,
            ProgramTimeout = options.ProgramTimeout,
            Defines = options.Defines.ToArray(),
            StepHook = options.StepHook,
        };
    }

    /// <summary>
    /// One change to an httpd configuration, from reading it to the reload: lock -> recover what a killed run left ->
    /// read and evaluate the configuration (the caller plans its edits on <see cref="Session"/>) -> diff -> ShouldProcess
    /// (-WhatIf stops here, having read only) -> stage the new files and a candidate configuration -> one httpd
    /// configuration test, of the candidate -> back up, journal, rename into place -> optional graceful reload.
    /// </summary>
    /// <remarks>
    /// <para>Crash safety: nothing live changes before the candidate passed httpd's test (see <see cref="ApacheCandidate"/>
    /// for why the candidate is exactly what goes live). The renames that make it live happen only after the journal says
    /// "committing" (<see cref="ApacheJournal"/>); a run killed at any point leaves the old configuration, the new one,
    /// or a half-renamed one that the next run (under the same lock, before it reads anything) finishes. Either way the
    /// configuration on disk after that is one that passed the test. Staged files, candidate copies and unused backups
    /// of a killed run are removed by the next run.</para>
    /// <para>One configuration test on the success path: the candidate is tested; only when it fails is the live
    /// configuration tested too, to tell "already broken" (ApacheConfigTestFailedBefore) from "broken by this change"
    /// (ApacheConfigTestFailed). Either way nothing was written.</para>
    /// <para>Permissions never widen: the transaction folder and the backup folders are 0700, staged files are created
    /// 0600 and get the original's owner, group and mode only once written, new files 0644, new folders 0755.</para>
    /// </remarks>
    internal sealed class ApacheTransaction : IDisposable
    {
        private readonly ApacheTransactionSettings _settings;
        private readonly Func<string, string, bool> _shouldProcess;
        private readonly ICoreLog _log;
        private readonly string? _httpdPath;
        private ApacheLock? _lock;

        private ApacheTransaction(ApacheLayout layout, ApacheLock held, ApacheTransactionSettings settings, string? httpdPath, Func<string, string, bool> shouldProcess, ICoreLog log)
        {
            Layout = layout;
            _lock = held;
            _settings = settings;
            _httpdPath = httpdPath;
            _shouldProcess = shouldProcess;
            _log = log;
        }

        private (string Name, int Port) _site = (string.Empty, 0);

        public ApacheLayout Layout { get; }

        public ApacheBinary? Binary { get; private set; }

        public EditSession Session { get; private set; } = null!;

        /// <summary>Takes the ServerRoot's lock, finishes what a killed run left, reads and evaluates the configuration.</summary>
        public static ApacheTransaction Open(string configPath, string? serverRoot, string? httpdPath, ApacheTransactionSettings settings, Func<string, string, bool> shouldProcess, ICoreLog log)
        {
            ApacheLayout layout = ApacheLayout.Detect(configPath, serverRoot);
            ApacheLock held = ApacheLock.Acquire(layout.ServerRoot, settings.LockTimeout, log);
            var transaction = new ApacheTransaction(layout, held, settings, httpdPath, shouldProcess, log);
            try
            {
                transaction.Step("locked");
                ApacheJournal.Recover(layout.ServerRoot, shouldProcess, log);
                transaction.Step("recovered");
                transaction.Load();
                return transaction;
            }
            catch
            {
                transaction.Dispose();
                throw;
            }
        }

        public void Dispose()
        {
            _lock?.Dispose();
            _lock = null;
        }

        /// <summary>
        /// Shows the planned change, and unless declined tests it and makes it live. Returns null when
        /// <see cref="_shouldProcess"/> declined (-WhatIf).
        /// </summary>
        public ApacheChangeResult? Finish(string serverName, int port, bool reload, ActivationCheck? check = null)
        {
            _site = (serverName, port);
            Step("planned");
            EditSession session = Session;
            string hostName = check?.HostName ?? "127.0.0.1";
            string? thumbprint = check?.Thumbprint;
            if (!session.HasChanges)
            {
                if (!reload)
                {
                    _log.Verbose($"The configuration already serves '{serverName}' on port {port} as asked: nothing to change.");
                    return new ApacheChangeResult(serverName, port, false, Array.Empty<string>(), Array.Empty<string>(), null, string.Empty, null, hostName, thumbprint, false, null);
                }

                // -Reload means reload: the certificate files may have changed under unchanged configuration lines.
                if (!_shouldProcess(Layout.MainConfig, "Reload httpd gracefully (no configuration line changes)"))
                {
                    return null;
                }

                ApacheBinary running = RequireRunning();
                (bool ok, string output) = running.ConfigTest(Layout.ServerRoot, Layout.MainConfig, _log);
                if (!ok)
                {
                    throw Errors.ApacheLiveConfigTestFailed(Layout.MainConfig, output);
                }

                (bool reloaded, string said) = running.Graceful(Layout.ServerRoot, Layout.MainConfig);
                if (!reloaded)
                {
                    throw Errors.ApacheReloadFailed(Layout.MainConfig, said, restored: false);
                }

                _log.Verbose("The configuration already says all this; httpd was asked to reload gracefully.");
                bool? verified = null;
                if (check?.Thumbprint is not null)
                {
                    string? found = ApacheActivation.Verify(check, serverName, port, _log);
                    if (found is not null)
                    {
                        throw Errors.ActivationFailed($"{check.HostName}:{port} ({serverName})", check.Thumbprint, found, restored: false);
                    }

                    verified = true;
                }

                return new ApacheChangeResult(serverName, port, false, Array.Empty<string>(), Array.Empty<string>(), output, string.Empty, null, hostName, thumbprint, true, verified);
            }

            string diff = session.Diff();
            string[] changed = session.ChangedPaths.ToArray();
            if (!_shouldProcess(string.Join(", ", changed), "Change the httpd configuration:" + Environment.NewLine + diff))
            {
                return null;
            }

            CheckWritable(session);
            ApacheBinary? binary = reload ? RequireRunning() : null;
            ApacheJournal journal;
            try
            {
                journal = ApacheJournal.Create(Layout.ServerRoot);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw Errors.ApacheWriteFailed(Layout.ServerRoot, ex);
            }

            bool committing = false;
            string backupDirectory;
            ApacheCandidate candidate;
            string? test;
            try
            {
                candidate = Stage(session, journal);
                test = Test(candidate);
                committing = true;
                backupDirectory = Commit(session, journal, candidate);
                Step("committed");
            }
            finally
            {
                if (!committing && Directory.Exists(journal.Folder))
                {
                    journal.Delete();
                }
            }

            bool? verifiedChange = null;
            if (binary is not null)
            {
                (bool reloaded, string said) = binary.Graceful(Layout.ServerRoot, Layout.MainConfig);
                if (!reloaded)
                {
                    RollBack(binary, backupDirectory);
                    throw Errors.ApacheReloadFailed(Layout.MainConfig, said, restored: true);
                }

                if (check?.Thumbprint is not null)
                {
                    string? found = ApacheActivation.Verify(check, serverName, port, _log);
                    if (found is not null)
                    {
                        RollBack(binary, backupDirectory);
                        throw Errors.ActivationFailed($"{check.HostName}:{port} ({serverName})", check.Thumbprint, found, restored: true);
                    }

                    verifiedChange = true;
                }
            }

            return new ApacheChangeResult(serverName, port, true, changed,
                candidate.Staged.Where(s => !s.IsNew).Select(s => BackupPath(backupDirectory, s.LivePath)).ToArray(), test, diff, backupDirectory,
                hostName, thumbprint, binary is not null, verifiedChange);
        }

        /// <summary>
        /// Takes back the change <paramref name="record"/> describes (Undo-ApacheChange): refused when a file it wrote
        /// changed since; the restored configuration must pass httpd's test, or what was live is put back. Returns
        /// null when declined (-WhatIf).
        /// </summary>
        public ApacheChangeResult? Undo(ApacheChangeRecord record, bool reload)
        {
            record.CheckUnchangedSince();
            string[] paths = record.Entries.Where(e => e.Kind != "directory").Select(e => e.Path).ToArray();
            if (!_shouldProcess(string.Join(", ", paths), $"Undo the change recorded in '{record.BackupDirectory}' (restore {paths.Length} file(s) and link(s) as they were before it)"))
            {
                return null;
            }

            ApacheBinary? binary = reload ? RequireRunning() : Binary;
            ApacheChangeRecord saved;
            try
            {
                saved = record.SaveCurrent();
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw Errors.ApacheUndoUnavailable(record.BackupDirectory, $"the live files could not be saved before the undo ({ex.Message}).");
            }

            try
            {
                record.Restore(_log);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                saved.PutBack(_log);
                throw Errors.ApacheRestoreFailed(record.BackupDirectory, ex);
            }

            string? test = null;
            if (binary is not null)
            {
                (bool ok, string output) = binary.ConfigTest(Layout.ServerRoot, Layout.MainConfig, _log);
                if (!ok)
                {
                    saved.PutBack(_log);
                    throw Errors.ApacheLiveConfigTestFailed(Layout.MainConfig, "the restored configuration does not pass it, so the change was left in place: " + output);
                }

                test = output;
            }

            Directory.Delete(Path.Combine(record.BackupDirectory, "before-undo"), recursive: true);
            record.MarkUndone();
            bool reloaded = false;
            if (reload && binary is not null)
            {
                (bool ok, string said) = binary.Graceful(Layout.ServerRoot, Layout.MainConfig);
                if (!ok)
                {
                    throw Errors.ApacheReloadFailed(Layout.MainConfig, said, restored: false);
                }

                reloaded = true;
            }

            return new ApacheChangeResult(record.ServerName, record.Port, true, paths, Array.Empty<string>(), test, string.Empty, record.BackupDirectory, "127.0.0.1", null, reloaded, null);
        }

        /// <summary>The httpd to reload: found, and running (its pid file names a live process); a reload would otherwise start it.</summary>
        private ApacheBinary RequireRunning()
        {
            if (Binary is null)
            {
                throw Errors.ApacheReloadUnavailable(Layout.MainConfig);
            }

            string pidFile = ApacheActivation.PidFile(Session.Tree, Binary, Layout.ServerRoot);
            if (!ApacheActivation.IsRunning(pidFile))
            {
                throw Errors.ApacheNotRunning(pidFile, Layout.MainConfig);
            }

            return Binary;
        }

        /// <summary>Takes back a committed change (every file and link as before) and reloads httpd with the previous configuration.</summary>
        private void RollBack(ApacheBinary binary, string backupDirectory)
        {
            ApacheChangeRecord record = ApacheChangeRecord.Read(backupDirectory);
            try
            {
                record.Restore(_log);
                record.MarkUndone();
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw Errors.ApacheRestoreFailed(backupDirectory, ex);
            }

            (bool reloaded, string said) = binary.Graceful(Layout.ServerRoot, Layout.MainConfig);
            if (!reloaded)
            {
                _log.Warning("The previous configuration was restored, but httpd did not accept the reload either: " + said + " Check httpd's error log and start it again.");
            }
        }

        /// <summary>Writes <paramref name="bytes"/> to a new file created with <paramref name="mode"/> from its first instant.</summary>
        internal static void WriteNewFile(string path, byte[] bytes, int mode, bool durable = false)
        {
            using FileStream stream = CreateNewFile(path, mode);
            stream.Write(bytes, 0, bytes.Length);
            stream.Flush(durable);
        }

        internal static FileStream CreateNewFile(string path, int mode)
        {
            return UnixFiles.IsUnix ? UnixFiles.CreateExclusive(path, mode) : new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        }

        /// <summary>
        /// A staged version of a configuration file: created 0600, written and synced, then given the original's owner,
        /// group and mode (0644 for a new file) - never more open than the final file at any instant.
        /// </summary>
        internal static void WriteStaged(ConfigFile file, string path, PosixStat? original)
        {
            using (FileStream stream = CreateNewFile(path, Convert.ToInt32("600", 8)))
            {
                file.WriteTo(stream);
                stream.Flush(true);
            }

            if (!PosixFile.IsSupported)
            {
                return;
            }

            if (original is PosixStat stat)
            {
                if (!PosixFile.TryChangeOwner(path, stat.OwnerId, stat.GroupId))
                {
                    PosixFile.TryChangeOwner(path, uint.MaxValue, stat.GroupId);
                }

                PosixFile.ChangeMode(path, stat.Permissions);
            }
            else
            {
                PosixFile.ChangeMode(path, Convert.ToInt32("644", 8));
            }
        }

        /// <summary>A folder only this user can enter (0700 whatever the umask).</summary>
        internal static void CreatePrivateDirectory(string path)
        {
            if (PosixFile.IsSupported)
            {
                PosixFile.MakeDirectory(path, Convert.ToInt32("700", 8));
            }
            else
            {
                Directory.CreateDirectory(path);
            }
        }

        /// <summary>A folder of the configuration (mods-enabled): 0755 whatever the umask, as the distribution makes them.</summary>
        internal static void CreateDirectory(string path)
        {
            if (PosixFile.IsSupported)
            {
                PosixFile.MakeDirectory(path, Convert.ToInt32("755", 8));
            }
            else
            {
                Directory.CreateDirectory(path);
            }
        }

        /// <summary>Puts a staged new file in place; fails if something appeared at the path meanwhile.</summary>
        internal static void MoveNew(string staged, string path)
        {
            if (UnixFiles.IsUnix)
            {
                UnixFiles.LinkNoReplace(staged, path);
                File.Delete(staged);
            }
            else
            {
                File.Move(staged, path);
            }
        }

        /// <summary>Renames a staged version over the live file (atomic on one file system).</summary>
        internal static void MoveOver(string staged, string path)
        {
            if (UnixFiles.IsUnix)
            {
                UnixFiles.RenameReplace(staged, path);
            }
            else
            {
                File.Replace(staged, path, null, ignoreMetadataErrors: true);
            }
        }

        internal static void DeleteIfEmpty(string directory)
        {
            try
            {
                if (Directory.Exists(directory) && !Directory.EnumerateFileSystemEntries(directory).Any())
                {
                    Directory.Delete(directory);
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                // Someone else's entry appeared: keep the folder.
            }
        }

        private void Step(string name) => _settings.StepHook?.Invoke(name);

        private void Load()
        {
            Binary = ApacheBinary.Find(Layout, _httpdPath, _settings.Defines, _settings.ProgramTimeout, _log);
            var variables = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
            {
                variables[(string)entry.Key] = (string?)entry.Value ?? string.Empty;
            }

            if (Binary is not null)
            {
                foreach (KeyValuePair<string, string> variable in Binary.Environment)
                {
                    variables[variable.Key] = variable.Value;
                }
            }

            IReadOnlyList<string>? compiled = Binary?.CompiledModules;
            _log.Verbose($"Layout {Layout.Kind}: ServerRoot '{Layout.ServerRoot}', main file '{Layout.MainConfig}'; httpd {(Binary is null ? "not found (no configuration test)" : $"'{Binary.Executable}' {Binary.Version}, {compiled!.Count} modules compiled in")}.");
            try
            {
                ConfigTree tree = ConfigTree.Load(Layout.MainConfig, Layout.ServerRoot, variables, Binary?.Defines ?? _settings.Defines, compiled);
                if (Layout.TargetFile is not null)
                {
                    tree.Read(Layout.TargetFile, new HashSet<string>(StringComparer.Ordinal));
                }

                Session = new EditSession(tree, Layout);
            }
            catch (ApacheConfigException ex)
            {
                throw Errors.ApacheConfigInvalid(ex.Path, ex.Line, ex.Problem);
            }
        }

        /// <summary>Before anything is written: new paths are free and changed files writable, else nothing changes.</summary>
        private void CheckWritable(EditSession session)
        {
            foreach (ConfigFile file in session.NewFiles)
            {
                if (File.Exists(file.Path) || Directory.Exists(file.Path))
                {
                    throw Errors.ApacheWriteFailed(file.Path, new IOException($"'{file.Path}' already exists (a {(Directory.Exists(file.Path) ? "folder" : "file")} holds its name)."));
                }
            }

            foreach ((string path, _) in session.Links)
            {
                if (File.Exists(path) || Directory.Exists(path) || (PosixFile.IsSupported && PosixFile.TryStat(path, false, out _, out _)))
                {
                    throw Errors.ApacheWriteFailed(path, new IOException($"'{path}' already exists."));
                }
            }

            foreach (ConfigFile file in session.EditedFiles)
            {
                try
                {
                    // Opening for writing (without truncating) asks the system whether this user may change the file.
                    using var probe = new FileStream(file.Path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1);
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    throw Errors.ApacheWriteFailed(file.Path, ex);
                }
            }
        }

        private ApacheCandidate Stage(EditSession session, ApacheJournal journal)
        {
            try
            {
                return ApacheCandidate.Stage(session, journal, Step);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw Errors.ApacheWriteFailed(journal.Folder, ex);
            }
        }

        /// <summary>The one configuration test: the candidate; the live configuration only when the candidate fails.</summary>
        private string? Test(ApacheCandidate candidate)
        {
            if (Binary is null)
            {
                _log.Warning((_httpdPath is null ? "No httpd program was found" : $"The httpd program '{_httpdPath}' does not exist") + ", so the new configuration was not tested. Run 'apachectl configtest' before reloading.");
                return null;
            }

            try
            {
                candidate.WriteCandidate();
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw Errors.ApacheWriteFailed(Path.Combine(Layout.ServerRoot, ApacheJournal.FolderPrefix + "*"), ex);
            }

            Step("candidate");
            (bool ok, string output) = Binary.ConfigTest(Layout.ServerRoot, candidate.MainFile, _log);
            output = candidate.Explain(output);
            Step("tested");
            if (ok)
            {
                _log.Verbose("httpd configuration test of the new configuration (before writing it): " + output);
                return output;
            }

            (bool okBefore, string before) = Binary.ConfigTest(Layout.ServerRoot, Layout.MainConfig, _log);
            if (!okBefore)
            {
                throw Errors.ApacheConfigAlreadyBroken(Layout.MainConfig, before);
            }

            throw Errors.ApacheCandidateTestFailed(Layout.MainConfig, output);
        }

        /// <summary>Backups, journal "committing", then folders, new files, changed files, links; undone in-process on failure.</summary>
        private string Commit(EditSession session, ApacheJournal journal, ApacheCandidate candidate)
        {
            string backupDirectory = Path.Combine(Layout.ServerRoot, ".certcmdlets-backup",
                DateTime.Now.ToString("yyyyMMdd-HHmmss-fff", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N").Substring(0, 6));
            journal.BackupDirectory = backupDirectory;
            var done = new List<ApacheJournalEntry>();
            string current = Layout.MainConfig;
            try
            {
                journal.Write("prepared");
                MakeBackups(candidate, backupDirectory);
                Step("backed-up");

                foreach (string directory in candidate.Directories)
                {
                    journal.Entries.Add(new ApacheJournalEntry("directory", directory, string.Empty, string.Empty, string.Empty));
                }

                foreach (StagedFile staged in candidate.Staged.Where(s => s.IsNew))
                {
                    journal.Entries.Add(new ApacheJournalEntry("create", staged.LivePath, staged.StagedPath, string.Empty, staged.StagedVersion));
                }

                foreach (StagedFile staged in candidate.Staged.Where(s => !s.IsNew))
                {
                    journal.Entries.Add(new ApacheJournalEntry("replace", staged.LivePath, staged.StagedPath, staged.File.Stat?.Version ?? ApacheJournal.VersionOf(staged.LivePath), staged.StagedVersion));
                }

                foreach ((string path, string target) in session.Links)
                {
                    journal.Entries.Add(new ApacheJournalEntry("link", Path.GetFullPath(path), target, string.Empty, string.Empty));
                }

                ApacheChangeRecord.Write(backupDirectory, Layout.ServerRoot, Layout.MainConfig, _site.Name, _site.Port, journal.Entries.Select(e => e.Kind switch
                {
                    "replace" => new ApacheChangeRecord.Entry(e.Kind, e.Path, BackupPath(backupDirectory, e.Path), ApacheChangeRecord.Hash(e.Source)),
                    "create" => new ApacheChangeRecord.Entry(e.Kind, e.Path, string.Empty, ApacheChangeRecord.Hash(e.Source)),
                    "link" => new ApacheChangeRecord.Entry(e.Kind, e.Path, e.Source, string.Empty),
                    _ => new ApacheChangeRecord.Entry(e.Kind, e.Path, string.Empty, string.Empty),
                }));
                journal.Write("committing");
                Step("committing");

                foreach (ApacheJournalEntry entry in journal.Entries)
                {
                    current = entry.Path;
                    switch (entry.Kind)
                    {
                        case "directory":
                            CreateDirectory(entry.Path);
                            _log.Verbose($"Created the folder '{entry.Path}'.");
                            break;
                        case "create":
                            MoveNew(entry.Source, entry.Path);
                            _log.Verbose($"Created '{entry.Path}'.");
                            break;
                        case "replace":
                            MoveOver(entry.Source, entry.Path);
                            _log.Verbose($"Changed '{entry.Path}', backup '{BackupPath(backupDirectory, entry.Path)}'.");
                            break;
                        case "link":
                            UnixFiles.CreateSymbolicLink(entry.Source, entry.Path);
                            _log.Verbose($"Linked '{entry.Path}' -> '{entry.Source}'.");
                            break;
                    }

                    done.Add(entry);
                    Step(entry.Kind + ":" + done.Count.ToString(CultureInfo.InvariantCulture));
                }

                journal.Delete();
                return backupDirectory;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is CertCmdletsException)
            {
                Undo(done, backupDirectory);
                journal.Delete();
                DeleteBackups(backupDirectory);
                throw ex is CertCmdletsException known ? known : Errors.ApacheWriteFailed(current, ex);
            }
        }

        private void MakeBackups(ApacheCandidate candidate, string backupDirectory)
        {
            foreach (StagedFile staged in candidate.Staged.Where(s => !s.IsNew))
            {
                string backup = BackupPath(backupDirectory, staged.LivePath);
                CreatePrivateDirectories(Path.GetDirectoryName(backup)!);
                File.Copy(staged.LivePath, backup);
            }
        }

        private void CreatePrivateDirectories(string directory)
        {
            if (Directory.Exists(directory))
            {
                return;
            }

            string? parent = Path.GetDirectoryName(directory);
            if (parent is not null && !Directory.Exists(parent))
            {
                CreatePrivateDirectories(parent);
            }

            CreatePrivateDirectory(directory);
        }

        /// <summary>Puts back what a failed commit already did, newest first.</summary>
        private void Undo(List<ApacheJournalEntry> done, string backupDirectory)
        {
            for (int i = done.Count - 1; i >= 0; i--)
            {
                ApacheJournalEntry entry = done[i];
                try
                {
                    switch (entry.Kind)
                    {
                        case "replace":
                            File.Copy(BackupPath(backupDirectory, entry.Path), entry.Path, overwrite: true);
                            break;
                        case "create":
                        case "link":
                            File.Delete(entry.Path);
                            break;
                        case "directory":
                            DeleteIfEmpty(entry.Path);
                            break;
                    }
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    _log.Warning($"Could not undo the change to '{entry.Path}': {ex.Message}");
                }
            }
        }

        private static void DeleteBackups(string backupDirectory)
        {
            if (Directory.Exists(backupDirectory))
            {
                Directory.Delete(backupDirectory, recursive: true);
            }

            DeleteIfEmpty(Path.GetDirectoryName(backupDirectory)!);
        }

        private string BackupPath(string backupDirectory, string livePath)
        {
            string root = Layout.ServerRoot.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
            string relative = livePath.StartsWith(root, StringComparison.Ordinal) ? livePath.Substring(root.Length) : livePath.TrimStart(Path.DirectorySeparatorChar).Replace(":", string.Empty);
            return Path.Combine(backupDirectory, relative);
        }
    }
}
