using System;
using System.ComponentModel;
using System.IO;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace CertCmdlets.Core.IO
{
    /// <summary>
    /// The few POSIX calls netstandard2.0 does not expose: create a file with mode 0600 from the first instant,
    /// link/rename for atomic replacement, stat without blocking, owner and mode of a file, directories created
    /// with an exact mode, advisory directory locks and fsync.
    /// </summary>
    /// <remarks>
    /// Platform notes. Every call here takes fixed arguments only, except open(2), which is variadic: it is called
    /// with a mode only on Linux (macOS arm64 passes variadic arguments on the stack), and without O_CREAT elsewhere.
    /// File status avoids the per-architecture <c>struct stat</c>: on Linux it uses statx(2), whose layout the
    /// kernel fixes for every architecture (glibc 2.28+ exports it; a libc without it, such as musl before 1.2.5,
    /// makes <see cref="StatusSupported"/> false and the callers fall back to safe defaults). On macOS it uses the
    /// 64-bit-inode <c>struct stat</c> (the same layout on x64, through the <c>$INODE64</c> symbols, and on arm64).
    /// Linux x64 is what the tests run on; Linux arm64 shares the statx layout; macOS is written from Apple's
    /// headers and not run here.
    /// </remarks>
    internal static class UnixFiles
    {
        private const int EPERM = 1;
        private const int ENOENT = 2;
        private const int EINTR = 4;
        private const int EACCES = 13;
        private const int EEXIST = 17;
        private const int ENOTDIR = 20;
        private const int EROFS = 30;
        private const int LinuxEWouldBlock = 11;
        private const int MacEWouldBlock = 35;

        private const int LinuxReadOnlyNonBlocking = 0x800 | 0x80000; // O_RDONLY | O_NONBLOCK | O_CLOEXEC
        private const int MacReadOnlyNonBlocking = 0x4 | 0x1000000;
        private const int LinuxReadOnly = 0x80000;                     // O_RDONLY | O_CLOEXEC
        private const int MacReadOnly = 0x1000000;

        private const int AtCurrentDirectory = -100;
        private const int AtSymlinkNoFollow = 0x100;
        private const int AtEmptyPath = 0x1000;
        private const uint StatxBasicStats = 0x7FF;
        private const int StatBufferLength = 256;

        private const int LockExclusive = 2;
        private const int LockNonBlocking = 4;

        private static readonly Lazy<bool> s_statusSupported = new Lazy<bool>(ProbeStatus);

        public static bool IsUnix => !RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        private static bool IsLinux => RuntimeInformation.IsOSPlatform(OSPlatform.Linux);

        private static bool IsMac => RuntimeInformation.IsOSPlatform(OSPlatform.OSX);

        /// <summary>True where <see cref="Status(string, bool)"/> works: Linux with statx, macOS.</summary>
        public static bool StatusSupported => IsUnix && s_statusSupported.Value;

        /// <summary>Creates a new file (fails if it exists) with the given permission bits.</summary>
        public static FileStream CreateExclusive(string path, int mode)
        {
            int fd;
            if (IsLinux)
            {
                // O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, Linux values.
                fd = Open(NullTerminated(path), 0x0001 | 0x0040 | 0x0080 | 0x80000, mode);
            }
            else
            {
                // open(2) is variadic, and Apple's arm64 ABI passes variadic arguments on the stack, so the
                // mode would be lost. creat(2) takes the mode as a fixed argument; callers use unguessable
                // temporary names, and the existence check below keeps it exclusive in practice.
                if (File.Exists(path))
                {
                    throw new IOException($"The file '{path}' already exists.");
                }

                fd = Creat(NullTerminated(path), mode);
            }

            if (fd < 0)
            {
                int errno = Marshal.GetLastWin32Error();
                throw errno == EEXIST
                    ? new IOException($"The file '{path}' already exists.")
                    : ErrnoException(errno);
            }

            var handle = new SafeFileHandle(new IntPtr(fd), ownsHandle: true);
            return new FileStream(handle, FileAccess.Write);
        }

        /// <summary>
        /// Opens a file for reading without blocking: a FIFO with no writer would otherwise block open(2) forever.
        /// O_NONBLOCK changes nothing for regular files; callers check the kind with <see cref="Status(SafeFileHandle)"/>.
        /// </summary>
        public static SafeFileHandle OpenForReadingNonBlocking(string path)
        {
            int fd = Open(NullTerminated(path), IsMac ? MacReadOnlyNonBlocking : LinuxReadOnlyNonBlocking);
            if (fd < 0)
            {
                int errno = Marshal.GetLastWin32Error();
                throw errno == ENOENT || errno == ENOTDIR ? new FileNotFoundException($"'{path}' does not exist.", path) : ErrnoException(errno);
            }

            return new SafeFileHandle(new IntPtr(fd), ownsHandle: true);
        }

        /// <summary>Opens a directory (read-only) for locking and fsync; null when it cannot be opened (no read permission).</summary>
        public static SafeFileHandle? TryOpenDirectory(string path, out int errno)
        {
            int fd = Open(NullTerminated(path), IsMac ? MacReadOnly : LinuxReadOnly);
            errno = fd < 0 ? Marshal.GetLastWin32Error() : 0;
            return fd < 0 ? null : new SafeFileHandle(new IntPtr(fd), ownsHandle: true);
        }

        /// <summary>
        /// Tries to take an exclusive advisory lock (flock) without waiting. True when taken; false when another
        /// open description holds it; throws for other failures (a file system without locks).
        /// </summary>
        public static bool TryLockExclusive(SafeFileHandle handle)
        {
            while (true)
            {
                int result = WithDescriptor(handle, fd => Flock(fd, LockExclusive | LockNonBlocking));
                if (result == 0)
                {
                    return true;
                }

                int errno = Marshal.GetLastWin32Error();
                if (errno == EINTR)
                {
                    continue;
                }

                if (errno == (IsMac ? MacEWouldBlock : LinuxEWouldBlock))
                {
                    return false;
                }

                throw ErrnoException(errno);
            }
        }

        /// <summary>Flushes a file or directory to disk (a directory: the names in it, after renames).</summary>
        public static void Sync(SafeFileHandle handle)
        {
            if (WithDescriptor(handle, Fsync) != 0)
            {
                throw ErrnoException(Marshal.GetLastWin32Error());
            }
        }

        /// <summary>Creates a directory with exactly <paramref name="mode"/>: made 0700 (the umask can only narrow that), then set.</summary>
        public static void CreateDirectory(string path, int mode)
        {
            byte[] name = NullTerminated(path);
            if (Mkdir(name, 0x1C0) != 0)
            {
                int errno = Marshal.GetLastWin32Error();
                throw errno == EEXIST ? new IOException($"'{path}' already exists.") : ErrnoException(errno);
            }

            if (Chmod(name, mode) != 0)
            {
                throw ErrnoException(Marshal.GetLastWin32Error());
            }
        }

        /// <summary>Sets the permission bits of an open file, whatever the umask.</summary>
        public static void SetMode(SafeFileHandle handle, int mode)
        {
            if (WithDescriptor(handle, fd => Fchmod(fd, mode)) != 0)
            {
                throw ErrnoException(Marshal.GetLastWin32Error());
            }
        }

        /// <summary>Gives an open file an owner and group; false (not an exception) when the system refuses (EPERM).</summary>
        public static bool TrySetOwner(SafeFileHandle handle, uint ownerId, uint groupId)
        {
            if (WithDescriptor(handle, fd => Fchown(fd, ownerId, groupId)) == 0)
            {
                return true;
            }

            int errno = Marshal.GetLastWin32Error();
            if (errno == EPERM)
            {
                return false;
            }

            throw ErrnoException(errno);
        }

        /// <summary>The effective user id of this process.</summary>
        public static uint EffectiveUserId => Geteuid();

        /// <summary>
        /// The status of <paramref name="path"/> (of the link itself unless <paramref name="followLinks"/>), or
        /// null when nothing is there. Call only when <see cref="StatusSupported"/>.
        /// </summary>
        public static FileStatus? Status(string path, bool followLinks)
        {
            var buffer = new byte[StatBufferLength];
            byte[] name = NullTerminated(path);
            int result;
            if (IsLinux)
            {
                result = Statx(AtCurrentDirectory, name, followLinks ? 0 : AtSymlinkNoFollow, StatxBasicStats, buffer);
            }
            else if (RuntimeInformation.ProcessArchitecture == Architecture.Arm64)
            {
                result = followLinks ? MacStat(name, buffer) : MacLstat(name, buffer);
            }
            else
            {
                result = followLinks ? MacStatX64(name, buffer) : MacLstatX64(name, buffer);
            }

            if (result != 0)
            {
                int errno = Marshal.GetLastWin32Error();
                if (errno == ENOENT || errno == ENOTDIR)
                {
                    return null;
                }

                throw ErrnoException(errno);
            }

            return Decode(buffer);
        }

        /// <summary>The status of an open file. Call only when <see cref="StatusSupported"/>.</summary>
        public static FileStatus Status(SafeFileHandle handle)
        {
            var buffer = new byte[StatBufferLength];
            int result;
            if (IsLinux)
            {
                byte[] empty = { 0 };
                result = WithDescriptor(handle, fd => Statx(fd, empty, AtEmptyPath, StatxBasicStats, buffer));
            }
            else if (RuntimeInformation.ProcessArchitecture == Architecture.Arm64)
            {
                result = WithDescriptor(handle, fd => MacFstat(fd, buffer));
            }
            else
            {
                result = WithDescriptor(handle, fd => MacFstatX64(fd, buffer));
            }

            if (result != 0)
            {
                throw ErrnoException(Marshal.GetLastWin32Error());
            }

            return Decode(buffer);
        }

        /// <summary>Gives <paramref name="target"/> the content of <paramref name="source"/> only if target does not exist yet.</summary>
        public static void LinkNoReplace(string source, string target)
        {
            if (Link(NullTerminated(source), NullTerminated(target)) != 0)
            {
                int errno = Marshal.GetLastWin32Error();
                throw errno == EEXIST
                    ? new IOException($"The file '{target}' already exists.")
                    : ErrnoException(errno);
            }
        }

        public static void RenameReplace(string source, string target)
        {
            if (Rename(NullTerminated(source), NullTerminated(target)) != 0)
            {
                throw ErrnoException(Marshal.GetLastWin32Error());
            }
        }

        /// <summary>Creates a symbolic link at <paramref name="linkPath"/> pointing to <paramref name="target"/> (relative targets stay relative).</summary>
        public static void CreateSymbolicLink(string target, string linkPath)
        {
            if (Symlink(NullTerminated(target), NullTerminated(linkPath)) != 0)
            {
                int errno = Marshal.GetLastWin32Error();
                throw errno == EEXIST ? new IOException($"'{linkPath}' already exists.") : ErrnoException(errno);
            }
        }

        /// <summary>The file a path finally names, following symbolic links (the path itself when it is no link).</summary>
        public static string RealPath(string path)
        {
            if (!IsUnix || (File.GetAttributes(path) & FileAttributes.ReparsePoint) == 0)
            {
                return path;
            }

            IntPtr resolved = Realpath(NullTerminated(path), IntPtr.Zero);
            if (resolved == IntPtr.Zero)
            {
                throw ErrnoException(Marshal.GetLastWin32Error());
            }

            try
            {
                return Utf8String(resolved);
            }
            finally
            {
                Free(resolved);
            }
        }

        /// <summary>
        /// An existing folder's one spelling (every link resolved): two spellings of one folder must share one lock and
        /// one journal. The path itself where it cannot be resolved, and on Windows.
        /// </summary>
        public static string CanonicalDirectory(string directory)
        {
            if (!IsUnix)
            {
                return directory;
            }

            IntPtr resolved = Realpath(NullTerminated(directory), IntPtr.Zero);
            if (resolved == IntPtr.Zero)
            {
                return directory;
            }

            try
            {
                return Utf8String(resolved);
            }
            finally
            {
                Free(resolved);
            }
        }

        /// <summary>Mode bits as an administrator reads them ("0640").</summary>
        public static string Octal(int mode) => "0" + Convert.ToString(mode & 0xFFF, 8).PadLeft(3, '0');

        private static FileStatus Decode(byte[] buffer)
        {
            if (IsLinux)
            {
                // struct statx: stx_uid @20, stx_gid @24, stx_mode (u16) @28, stx_ino @32, stx_size @40,
                // stx_dev_major @136, stx_dev_minor @140.
                int mode = BitConverter.ToUInt16(buffer, 28);
                ulong device = ((ulong)BitConverter.ToUInt32(buffer, 136) << 32) | BitConverter.ToUInt32(buffer, 140);
                return new FileStatus(FileStatus.KindOf(mode), mode & 0xFFF, BitConverter.ToUInt32(buffer, 20), BitConverter.ToUInt32(buffer, 24), BitConverter.ToInt64(buffer, 40), device, BitConverter.ToUInt64(buffer, 32));
            }

            // Darwin struct stat (64-bit inodes): st_dev (i32) @0, st_mode (u16) @4, st_ino @8, st_uid @16, st_gid @20, st_size @96.
            int macMode = BitConverter.ToUInt16(buffer, 4);
            return new FileStatus(FileStatus.KindOf(macMode), macMode & 0xFFF, BitConverter.ToUInt32(buffer, 16), BitConverter.ToUInt32(buffer, 20), BitConverter.ToInt64(buffer, 96), BitConverter.ToUInt32(buffer, 0), BitConverter.ToUInt64(buffer, 8));
        }

        private static bool ProbeStatus()
        {
            if (!IsLinux && !IsMac)
            {
                return false;
            }

            try
            {
                return Status("/", followLinks: true)?.Kind == FileKind.Directory;
            }
            catch (Exception ex) when (ex is EntryPointNotFoundException || ex is DllNotFoundException || ex is IOException || ex is UnauthorizedAccessException)
            {
                return false;
            }
        }

        private static int WithDescriptor(SafeHandle handle, Func<int, int> call)
        {
            bool added = false;
            try
            {
                handle.DangerousAddRef(ref added);
                return call(handle.DangerousGetHandle().ToInt32());
            }
            finally
            {
                if (added)
                {
                    handle.DangerousRelease();
                }
            }
        }

        private static string Utf8String(IntPtr pointer)
        {
            int length = 0;
            while (Marshal.ReadByte(pointer, length) != 0)
            {
                length++;
            }

            var bytes = new byte[length];
            Marshal.Copy(pointer, bytes, 0, length);
            return System.Text.Encoding.UTF8.GetString(bytes);
        }

        /// <summary>A path as the C library takes it: UTF-8 bytes ending in NUL.</summary>
        private static byte[] NullTerminated(string path)
        {
            int length = System.Text.Encoding.UTF8.GetByteCount(path);
            var bytes = new byte[length + 1];
            System.Text.Encoding.UTF8.GetBytes(path, 0, path.Length, bytes, 0);
            return bytes;
        }

        private static Exception ErrnoException(int errno)
        {
            string message = new Win32Exception(errno).Message;
            return errno == EACCES || errno == EPERM || errno == EROFS
                ? new UnauthorizedAccessException(message)
                : new IOException(message);
        }

        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        private static extern int Open(byte[] path, int flags, int mode);

        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        private static extern int Open(byte[] path, int flags);

        [DllImport("libc", EntryPoint = "creat", SetLastError = true)]
        private static extern int Creat(byte[] path, int mode);

        [DllImport("libc", EntryPoint = "realpath", SetLastError = true)]
        private static extern IntPtr Realpath(byte[] path, IntPtr resolved);

        [DllImport("libc", EntryPoint = "free")]
        private static extern void Free(IntPtr pointer);

        [DllImport("libc", EntryPoint = "symlink", SetLastError = true)]
        private static extern int Symlink(byte[] target, byte[] linkPath);

        [DllImport("libc", EntryPoint = "link", SetLastError = true)]
        private static extern int Link(byte[] oldPath, byte[] newPath);

        [DllImport("libc", EntryPoint = "rename", SetLastError = true)]
        private static extern int Rename(byte[] oldPath, byte[] newPath);

        [DllImport("libc", EntryPoint = "mkdir", SetLastError = true)]
        private static extern int Mkdir(byte[] path, int mode);

        [DllImport("libc", EntryPoint = "chmod", SetLastError = true)]
        private static extern int Chmod(byte[] path, int mode);

        [DllImport("libc", EntryPoint = "fchmod", SetLastError = true)]
        private static extern int Fchmod(int fd, int mode);

        [DllImport("libc", EntryPoint = "fchown", SetLastError = true)]
        private static extern int Fchown(int fd, uint owner, uint group);

        [DllImport("libc", EntryPoint = "geteuid")]
        private static extern uint Geteuid();

        [DllImport("libc", EntryPoint = "flock", SetLastError = true)]
        private static extern int Flock(int fd, int operation);

        [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
        private static extern int Fsync(int fd);

        [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
        private static extern int Statx(int directoryFd, byte[] path, int flags, uint mask, byte[] buffer);

        [DllImport("libc", EntryPoint = "stat", SetLastError = true)]
        private static extern int MacStat(byte[] path, byte[] buffer);

        [DllImport("libc", EntryPoint = "lstat", SetLastError = true)]
        private static extern int MacLstat(byte[] path, byte[] buffer);

        [DllImport("libc", EntryPoint = "fstat", SetLastError = true)]
        private static extern int MacFstat(int fd, byte[] buffer);

        [DllImport("libc", EntryPoint = "stat$INODE64", SetLastError = true)]
        private static extern int MacStatX64(byte[] path, byte[] buffer);

        [DllImport("libc", EntryPoint = "lstat$INODE64", SetLastError = true)]
        private static extern int MacLstatX64(byte[] path, byte[] buffer);

        [DllImport("libc", EntryPoint = "fstat$INODE64", SetLastError = true)]
        private static extern int MacFstatX64(int fd, byte[] buffer);
    }
}
