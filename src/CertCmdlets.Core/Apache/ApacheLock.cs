using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Threading;

namespace CertCmdlets.Core.Apache
{
    /// <summary>
    /// One change at a time per ServerRoot: an advisory, exclusive lock held from before the configuration is read until
    /// the change is written (or refused), so two runs never plan against the same old files and lose an update.
    /// </summary>
    /// <remarks>
    /// On Linux and macOS the lock is flock(2) on the ServerRoot folder itself, opened read-only and close-on-exec: it
    /// creates no file (so -WhatIf, which also takes it to read a consistent configuration, writes nothing), no child
    /// process inherits it, and the kernel releases it when the process dies - a killed run never leaves a stale lock.
    /// The holder's pid is found in /proc/locks on Linux. On Windows a named kernel mutex per ServerRoot plays the same
    /// part (an abandoned one counts as free). Where neither is available, an exclusive FileStream on
    /// ServerRoot/.certcmdlets.lock (.NET takes flock for FileShare.None) is the fallback. The wait is bounded; then
    /// ApacheConfigLocked names the lock and the holder when known.
    /// </remarks>
    internal sealed class ApacheLock : IDisposable
    {
        private int _descriptor = -1;
        private Mutex? _mutex;
        private FileStream? _stream;

        private ApacheLock(string lockPath)
        {
            LockPath = lockPath;
        }

        /// <summary>What is locked: the ServerRoot folder, or the fallback lock file.</summary>
        public string LockPath { get; }

        public static ApacheLock Acquire(string serverRoot, TimeSpan timeout, ICoreLog log)
        {
            string root = Path.GetFullPath(serverRoot);
            if (!Directory.Exists(root))
            {
                throw Errors.FileNotFound(root);
            }

            var clock = Stopwatch.StartNew();
            if (PosixFile.IsSupported)
            {
                int descriptor = PosixFile.OpenDirectory(root, out int openError);
                if (descriptor >= 0)
                {
                    bool waited = false;
                    while (true)
                    {
                        if (PosixFile.TryLockExclusive(descriptor, out int errno))
                        {
                            return new ApacheLock(root) { _descriptor = descriptor };
                        }

                        if (!PosixFile.IsWouldBlock(errno))
                        {
                            // flock is not supported here (some network file systems): use a lock file instead.
                            PosixFile.Close(descriptor);
                            log.Verbose($"flock on '{root}' failed (errno {errno}); locking '{Path.Combine(root, ".certcmdlets.lock")}' instead.");
                            return AcquireFile(root, timeout, clock, log);
                        }

                        if (clock.Elapsed >= timeout)
                        {
                            int? holder = HolderOf(descriptor);
                            PosixFile.Close(descriptor);
                            throw Errors.ApacheConfigLocked(root, holder, clock.Elapsed);
                        }

                        if (!waited)
                        {
                            int? holder = HolderOf(descriptor);
                            log.Verbose($"Waiting for another change to '{root}' to finish{(holder is int pid ? $" (process {pid})" : string.Empty)}, at most {timeout.TotalSeconds:0.#} s.");
                            waited = true;
                        }

                        Thread.Sleep(50);
                    }
                }

                log.Verbose($"'{root}' cannot be opened to lock it (errno {openError}); locking '{Path.Combine(root, ".certcmdlets.lock")}' instead.");
                return AcquireFile(root, timeout, clock, log);
            }

            if (!PosixFile.IsUnix)
            {
                return AcquireMutex(root, timeout, clock);
            }

            return AcquireFile(root, timeout, clock, log);
        }

        public void Dispose()
        {
            if (_descriptor >= 0)
            {
                PosixFile.Close(_descriptor);
                _descriptor = -1;
            }

            if (_mutex is not null)
            {
                try
                {
                    _mutex.ReleaseMutex();
                }
                catch (ApplicationException)
                {
                    // Not owned by this thread any more: nothing to release.
                }

                _mutex.Dispose();
                _mutex = null;
            }

            _stream?.Dispose();
            _stream = null;
        }

        private static ApacheLock AcquireMutex(string root, TimeSpan timeout, Stopwatch clock)
        {
            string name;
            using (SHA256 sha = SHA256.Create())
            {
                byte[] hash = sha.ComputeHash(Encoding.UTF8.GetBytes(root.TrimEnd('\\', '/').ToUpperInvariant()));
                name = "CertCmdlets.Apache." + BitConverter.ToString(hash, 0, 16).Replace("-", string.Empty);
            }

            Mutex mutex;
            try
            {
                mutex = new Mutex(false, "Global\\" + name);
            }
            catch (UnauthorizedAccessException)
            {
                mutex = new Mutex(false, "Local\\" + name);
            }

            try
            {
                if (!mutex.WaitOne(timeout))
                {
                    mutex.Dispose();
                    throw Errors.ApacheConfigLocked(root, null, clock.Elapsed);
                }
            }
            catch (AbandonedMutexException)
            {
                // The previous holder died: the mutex is ours now.
            }

            return new ApacheLock(root) { _mutex = mutex };
        }

        private static ApacheLock AcquireFile(string root, TimeSpan timeout, Stopwatch clock, ICoreLog log)
        {
            string path = Path.Combine(root, ".certcmdlets.lock");
            while (true)
            {
                try
                {
                    var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                    return new ApacheLock(path) { _stream = stream };
                }
                catch (IOException ex) when (ex is not DirectoryNotFoundException && clock.Elapsed < timeout)
                {
                    Thread.Sleep(50);
                }
                catch (IOException ex) when (ex is not DirectoryNotFoundException)
                {
                    throw Errors.ApacheConfigLocked(path, null, clock.Elapsed);
                }
                catch (DirectoryNotFoundException ex)
                {
                    throw Errors.ApacheWriteFailed(path, ex);
                }
                catch (UnauthorizedAccessException ex)
                {
                    throw Errors.ApacheWriteFailed(path, ex);
                }
            }
        }

        /// <summary>The pid holding an flock on the same folder, from /proc/locks (Linux); null when unknown.</summary>
        private static int? HolderOf(int descriptor)
        {
            if (!File.Exists("/proc/locks") || !PosixFile.TryFStat(descriptor, out PosixStat stat))
            {
                return null;
            }

            // glibc's dev_t encoding; /proc/locks prints "MAJ:MIN:INODE", major and minor in hex.
            ulong major = ((stat.Device >> 8) & 0xfff) | ((stat.Device >> 32) & 0xfffff000);
            ulong minor = (stat.Device & 0xff) | ((stat.Device >> 12) & 0xffffff00);
            try
            {
                foreach (string line in File.ReadAllLines("/proc/locks"))
                {
                    string[] fields = line.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
                    if (fields.Length < 6 || fields[1] != "FLOCK")
                    {
                        continue;
                    }

                    string[] identity = fields[5].Split(':');
                    if (identity.Length == 3
                        && ulong.TryParse(identity[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong lineMajor) && lineMajor == major
                        && ulong.TryParse(identity[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong lineMinor) && lineMinor == minor
                        && ulong.TryParse(identity[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out ulong inode) && inode == stat.Inode
                        && int.TryParse(fields[4], NumberStyles.Integer, CultureInfo.InvariantCulture, out int pid))
                    {
                        return pid;
                    }
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return null;
            }

            return null;
        }
    }
}
