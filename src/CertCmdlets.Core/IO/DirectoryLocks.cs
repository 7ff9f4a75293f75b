using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading;
using Microsoft.Win32.SafeHandles;

namespace CertCmdlets.Core.IO
{
    /// <summary>
    /// Advisory locks on output directories, so two commands writing into one folder take turns instead of
    /// mixing their files. On Unix: flock(2) on the directory itself (nothing is created; the kernel drops the
    /// lock when the process dies, so a killed run never leaves a stale lock). On Windows: a hidden
    /// <c>.certcmdlets.lock</c> file opened without sharing and deleted on close (not run on Windows here).
    /// The same handles serve to fsync the directory after renames.
    /// </summary>
    internal sealed class DirectoryLocks : IDisposable
    {
        private const string WindowsLockName = ".certcmdlets.lock";
        private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(50);

        private readonly Dictionary<string, IDisposable?> _held = new Dictionary<string, IDisposable?>(PathComparer);
        private readonly Dictionary<string, SafeFileHandle> _byIdentity = new Dictionary<string, SafeFileHandle>(StringComparer.Ordinal);
        private readonly TimeSpan _timeout;
        private readonly ICoreLog _log;

        public DirectoryLocks(TimeSpan timeout, ICoreLog log)
        {
            _timeout = timeout;
            _log = log;
        }

        public static StringComparer PathComparer => UnixFiles.IsUnix ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;

        /// <summary>Locks every directory, in one sorted order (two commands never wait for each other in a circle).</summary>
        public void AcquireAll(IEnumerable<string> directories)
        {
            var sorted = new List<string>(directories);
            sorted.Sort(PathComparer);
            foreach (string directory in sorted)
            {
                Acquire(directory);
            }
        }

        /// <summary>Locks one directory, waiting up to the timeout; OutputDirectoryLocked when another command holds it longer.</summary>
        public void Acquire(string directory)
        {
            if (_held.ContainsKey(directory))
            {
                return;
            }

            _held[directory] = UnixFiles.IsUnix ? AcquireUnix(directory) : AcquireWindows(directory);
        }

        /// <summary>Flushes the directory's names to disk (after renames); a no-op on Windows or where it could not be opened.</summary>
        public void Sync(string directory)
        {
            if (_held.TryGetValue(directory, out IDisposable? handle) && handle is SafeFileHandle unixHandle)
            {
                try
                {
                    UnixFiles.Sync(unixHandle);
                }
                catch (IOException)
                {
                    // Some file systems refuse fsync on directories; the renames themselves are still atomic.
                }
            }
        }

        public void Dispose()
        {
            foreach (IDisposable? handle in _held.Values)
            {
                handle?.Dispose();
            }

            _held.Clear();
            _byIdentity.Clear();
        }

        private SafeFileHandle? AcquireUnix(string directory)
        {
            SafeFileHandle? handle = UnixFiles.TryOpenDirectory(directory, out int errno);
            if (handle is null)
            {
                // No read permission on the folder (mode 0300): writing works, locking does not. Say so and go on.
                _log.Verbose($"The folder '{directory}' could not be opened for locking (error {errno}); writing without a lock.");
                return null;
            }

            try
            {
                string? identity = UnixFiles.StatusSupported ? UnixFiles.Status(handle).Identity : null;
                if (identity is not null && _byIdentity.TryGetValue(identity, out SafeFileHandle? same))
                {
                    // The same folder under another spelling (a link): already locked by this command; a second
                    // flock on another descriptor would wait for ourselves.
                    handle.Dispose();
                    return same;
                }

                Stopwatch waited = Stopwatch.StartNew();
                bool announced = false;
                while (true)
                {
                    bool taken;
                    try
                    {
                        taken = UnixFiles.TryLockExclusive(handle);
                    }
                    catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                    {
                        // A file system without flock (some network mounts): the folder is written unlocked.
                        _log.Verbose($"The folder '{directory}' cannot be locked ({ex.Message}); writing without a lock.");
                        return handle;
                    }

                    if (taken)
                    {
                        if (identity is not null)
                        {
                            _byIdentity[identity] = handle;
                        }

                        return handle;
                    }

                    if (!announced)
                    {
                        _log.Verbose($"Another command is writing in '{directory}'; waiting up to {_timeout.TotalSeconds:0.#} s for it to finish.");
                        announced = true;
                    }

                    if (waited.Elapsed >= _timeout)
                    {
                        throw Errors.OutputDirectoryLocked(directory, _timeout);
                    }

                    Thread.Sleep(s_pollInterval);
                }
            }
            catch
            {
                handle.Dispose();
                throw;
            }
        }

        private IDisposable AcquireWindows(string directory)
        {
            string path = Path.Combine(directory, WindowsLockName);
            Stopwatch waited = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
                    File.SetAttributes(path, FileAttributes.Hidden);
                    return stream;
                }
                catch (DirectoryNotFoundException)
                {
                    // Nothing to lock (a folder of an interrupted set that is gone): recovery reports what it cannot do.
                    return new MemoryStream();
                }
                catch (IOException) when (waited.Elapsed < _timeout)
                {
                    Thread.Sleep(s_pollInterval);
                }
                catch (IOException)
                {
                    throw Errors.OutputDirectoryLocked(directory, _timeout);
                }
            }
        }
    }
}
