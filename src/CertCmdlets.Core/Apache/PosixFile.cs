using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;

namespace CertCmdlets.Core.Apache
{
    /// <summary>What kind of file system object a stat names (from the S_IFMT bits, the same on Linux and macOS).</summary>
    internal enum PosixFileKind
    {
        Regular,
        Directory,
        SymbolicLink,
        Fifo,
        CharacterDevice,
        BlockDevice,
        Socket,
        Other,
    }

    /// <summary>The facts of one stat(2) the Apache engine needs: kind, permission bits, owner, size, time, identity.</summary>
    internal readonly struct PosixStat
    {
        public PosixStat(PosixFileKind kind, int permissions, uint ownerId, uint groupId, long size, long modifiedSeconds, long modifiedNanoseconds, ulong device, ulong inode)
        {
            Kind = kind;
            Permissions = permissions;
            OwnerId = ownerId;
            GroupId = groupId;
            Size = size;
            ModifiedSeconds = modifiedSeconds;
            ModifiedNanoseconds = modifiedNanoseconds;
            Device = device;
            Inode = inode;
        }

        public PosixFileKind Kind { get; }

        /// <summary>mode &amp; 07777.</summary>
        public int Permissions { get; }

        public uint OwnerId { get; }

        public uint GroupId { get; }

        public long Size { get; }

        public long ModifiedSeconds { get; }

        public long ModifiedNanoseconds { get; }

        public ulong Device { get; }

        public ulong Inode { get; }

        /// <summary>Same file, same content as far as the file system tells: device, inode, size and modification time.</summary>
        public bool SameVersionAs(PosixStat other) =>
            Device == other.Device && Inode == other.Inode && Size == other.Size && ModifiedSeconds == other.ModifiedSeconds && ModifiedNanoseconds == other.ModifiedNanoseconds;

        /// <summary>"device:inode:size:seconds.nanoseconds", as a journal records a file's version.</summary>
        public string Version => string.Join(":", Device, Inode, Size, ModifiedSeconds + "." + ModifiedNanoseconds);

        public static PosixFileKind KindOf(int mode) => (mode & 0xF000) switch
        {
            0x8000 => PosixFileKind.Regular,
            0x4000 => PosixFileKind.Directory,
            0xA000 => PosixFileKind.SymbolicLink,
            0x1000 => PosixFileKind.Fifo,
            0x2000 => PosixFileKind.CharacterDevice,
            0x6000 => PosixFileKind.BlockDevice,
            0xC000 => PosixFileKind.Socket,
            _ => PosixFileKind.Other,
        };
    }

    /// <summary>
    /// The POSIX calls netstandard2.0 lacks, for the Apache engine: stat/lstat/fstat (struct layouts per platform:
    /// Linux x64 and arm64 through glibc or musl, macOS x64 and arm64), open without blocking on FIFOs, read, flock on a
    /// directory, mkdir/chmod/chown with explicit modes, the effective user and a user's ids. Every variadic C function
    /// is called with its fixed arguments only (Apple's arm64 ABI passes variadic arguments on the stack). On Windows
    /// and on other Unix platforms <see cref="IsSupported"/> is false and callers take their portable path.
    /// </summary>
    internal static class PosixFile
    {
        public const int EWOULDBLOCK_LINUX = 11;
        public const int EWOULDBLOCK_MAC = 35;
        public const int ENOENT = 2;

        /// <summary>Enough for struct stat on every supported platform (144 bytes at most).</summary>
        public const int StatBufferSize = 256;

        private const int LOCK_EX = 2;
        private const int LOCK_NB = 4;

        private static readonly Layout s_layout = DetectLayout();

        private enum Layout
        {
            None,
            LinuxX64,
            LinuxArm64,
            MacOS,
        }

        /// <summary>True where the stat layouts and open flags below are known.</summary>
        public static bool IsSupported => s_layout != Layout.None;

        public static bool IsUnix => !RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        private static bool IsMac => s_layout == Layout.MacOS;

        private static int OpenReadOnlyNonBlocking => IsMac ? 0x4 | 0x1000000 : 0x800 | 0x80000;

        private static int OpenDirectoryFlags => s_layout switch
        {
            Layout.MacOS => 0x100000 | 0x1000000,
            Layout.LinuxArm64 => 0x4000 | 0x80000,
            _ => 0x10000 | 0x80000,
        };

        /// <summary>stat (following links) or lstat; false with errno when the call fails.</summary>
        public static bool TryStat(string path, bool followLinks, out PosixStat stat, out int errno)
        {
            stat = default;
            errno = 0;
            if (!IsSupported)
            {
                errno = -1;
                return false;
            }

            var buffer = new byte[256];
            byte[] name = NullTerminated(path);
            int result = followLinks ? CallStat(name, buffer) : CallLStat(name, buffer);
            if (result != 0)
            {
                errno = Marshal.GetLastWin32Error();
                return false;
            }

            stat = Decode(buffer);
            return true;
        }

        /// <summary>fstat of an open descriptor.</summary>
        public static bool TryFStat(int descriptor, out PosixStat stat) => TryFStat(descriptor, new byte[StatBufferSize], out stat);

        /// <summary>fstat into a caller's buffer (of <see cref="StatBufferSize"/> bytes), for loops over many files.</summary>
        public static bool TryFStat(int descriptor, byte[] buffer, out PosixStat stat)
        {
            stat = default;
            if (!IsSupported)
            {
                return false;
            }

            if (CallFStat(descriptor, buffer) != 0)
            {
                return false;
            }

            stat = Decode(buffer);
            return true;
        }

        /// <summary>Opens for reading without blocking (a FIFO opens at once instead of waiting for a writer); -1 and errno on failure.</summary>
        public static int OpenForReading(string path, out int errno)
        {
            byte[]? scratch = null;
            return OpenForReading(path, ref scratch, out errno);
        }

        /// <summary>The same, encoding the path into a caller's reusable buffer.</summary>
        public static int OpenForReading(string path, ref byte[]? scratch, out int errno)
        {
            int length = System.Text.Encoding.UTF8.GetMaxByteCount(path.Length) + 1;
            if (scratch is null || scratch.Length < length)
            {
                scratch = new byte[Math.Max(length, 512)];
            }

            int written = System.Text.Encoding.UTF8.GetBytes(path, 0, path.Length, scratch, 0);
            scratch[written] = 0;
            int descriptor = OpenTwo(scratch, OpenReadOnlyNonBlocking);
            errno = descriptor < 0 ? Marshal.GetLastWin32Error() : 0;
            return descriptor;
        }

        /// <summary>Opens a directory (close-on-exec, so no child process inherits it); -1 and errno on failure.</summary>
        public static int OpenDirectory(string path, out int errno)
        {
            int descriptor = OpenTwo(NullTerminated(path), OpenDirectoryFlags);
            errno = descriptor < 0 ? Marshal.GetLastWin32Error() : 0;
            return descriptor;
        }

        /// <summary>Reads up to <paramref name="count"/> bytes at <paramref name="offset"/> of the buffer; 0 at the end, -1 on error.</summary>
        public static int Read(int descriptor, byte[] buffer, int offset, int count)
        {
            if (offset == 0)
            {
                return (int)ReadNative(descriptor, buffer, new IntPtr(count));
            }

            var handle = GCHandle.Alloc(buffer, GCHandleType.Pinned);
            try
            {
                return (int)ReadPointer(descriptor, handle.AddrOfPinnedObject() + offset, new IntPtr(count));
            }
            finally
            {
                handle.Free();
            }
        }

        public static void Close(int descriptor)
        {
            if (descriptor >= 0)
            {
                CloseNative(descriptor);
            }
        }

        /// <summary>
        /// The entry names of a folder (without "." and ".."), read with opendir/readdir: no stat per entry, unlike
        /// .NET's enumeration, which stats every symbolic link (5,000 in a Debian sites-enabled); null if it cannot be opened.
        /// </summary>
        public static List<string>? ReadDirectory(string path)
        {
            if (!IsSupported)
            {
                return null;
            }

            bool intel = RuntimeInformation.ProcessArchitecture == Architecture.X64;
            byte[] name = NullTerminated(path);
            IntPtr directory = IsMac ? (intel ? MacOpenDirX64(name) : MacOpenDir(name)) : OpenDir(name);
            if (directory == IntPtr.Zero)
            {
                return null;
            }

            var names = new List<string>();
            try
            {
                int nameOffset = IsMac ? 21 : 19;
                while (true)
                {
                    IntPtr entry = IsMac ? (intel ? MacReadDirX64(directory) : MacReadDir(directory)) : ReadDir(directory);
                    if (entry == IntPtr.Zero)
                    {
                        return names;
                    }

                    string? entryName = Marshal.PtrToStringAnsi(entry + nameOffset);
                    if (entryName is not null && entryName != "." && entryName != "..")
                    {
                        names.Add(entryName);
                    }
                }
            }
            finally
            {
                CloseDir(directory);
            }
        }

        /// <summary>An exclusive flock that fails at once when held elsewhere (false, errno EWOULDBLOCK).</summary>
        public static bool TryLockExclusive(int descriptor, out int errno)
        {
            int result = Flock(descriptor, LOCK_EX | LOCK_NB);
            errno = result == 0 ? 0 : Marshal.GetLastWin32Error();
            return result == 0;
        }

        public static bool IsWouldBlock(int errno) => errno == (IsMac ? EWOULDBLOCK_MAC : EWOULDBLOCK_LINUX);

        /// <summary>Creates one directory with exactly <paramref name="mode"/> (the umask is undone by a chmod).</summary>
        public static void MakeDirectory(string path, int mode)
        {
            byte[] name = NullTerminated(path);
            if (MkdirNative(name, mode) != 0)
            {
                int errno = Marshal.GetLastWin32Error();
                throw Failure(errno, path);
            }

            ChangeMode(path, mode);
        }

        public static void ChangeMode(string path, int mode)
        {
            if (ChmodNative(NullTerminated(path), mode) != 0)
            {
                throw Failure(Marshal.GetLastWin32Error(), path);
            }
        }

        /// <summary>chown; false when not permitted (an ordinary user cannot give a file away).</summary>
        public static bool TryChangeOwner(string path, uint ownerId, uint groupId)
        {
            return ChownNative(NullTerminated(path), ownerId, groupId) == 0;
        }

        public static uint EffectiveUserId() => IsUnix ? GetEuid() : 0;

        /// <summary>The user and group ids of a user name (getpwnam), or false.</summary>
        public static bool TryUserIds(string name, out uint userId, out uint groupId)
        {
            userId = 0;
            groupId = 0;
            if (!IsSupported)
            {
                return false;
            }

            IntPtr entry = GetPwNam(NullTerminated(name));
            if (entry == IntPtr.Zero)
            {
                return false;
            }

            // struct passwd: pw_name, pw_passwd (pointers), then pw_uid and pw_gid, on Linux and macOS alike.
            userId = unchecked((uint)Marshal.ReadInt32(entry, 2 * IntPtr.Size));
            groupId = unchecked((uint)Marshal.ReadInt32(entry, (2 * IntPtr.Size) + 4));
            return true;
        }

        /// <summary>fsync of a path's content (a file opened for reading is enough on Linux and macOS).</summary>
        public static void Sync(string path)
        {
            if (!IsSupported)
            {
                return;
            }

            int descriptor = OpenTwo(NullTerminated(path), OpenReadOnlyNonBlocking);
            if (descriptor >= 0)
            {
                FsyncNative(descriptor);
                CloseNative(descriptor);
            }
        }

        public static Exception Failure(int errno, string path)
        {
            string message = new System.ComponentModel.Win32Exception(errno).Message + $" ('{path}')";
            return errno == 13 || errno == 1 || errno == 30
                ? new UnauthorizedAccessException(message)
                : new IOException(message);
        }

        private static Layout DetectLayout()
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            {
                return RuntimeInformation.ProcessArchitecture switch
                {
                    Architecture.X64 => Layout.LinuxX64,
                    Architecture.Arm64 => Layout.LinuxArm64,
                    _ => Layout.None,
                };
            }

            if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX) && (RuntimeInformation.ProcessArchitecture == Architecture.X64 || RuntimeInformation.ProcessArchitecture == Architecture.Arm64))
            {
                return Layout.MacOS;
            }

            return Layout.None;
        }

        private static PosixStat Decode(byte[] b)
        {
            switch (s_layout)
            {
                case Layout.LinuxX64:
                {
                    int mode = BitConverter.ToInt32(b, 24);
                    return new PosixStat(PosixStat.KindOf(mode), mode & 0xFFF, BitConverter.ToUInt32(b, 28), BitConverter.ToUInt32(b, 32),
                        BitConverter.ToInt64(b, 48), BitConverter.ToInt64(b, 88), BitConverter.ToInt64(b, 96), BitConverter.ToUInt64(b, 0), BitConverter.ToUInt64(b, 8));
                }

                case Layout.LinuxArm64:
                {
                    int mode = BitConverter.ToInt32(b, 16);
                    return new PosixStat(PosixStat.KindOf(mode), mode & 0xFFF, BitConverter.ToUInt32(b, 24), BitConverter.ToUInt32(b, 28),
                        BitConverter.ToInt64(b, 48), BitConverter.ToInt64(b, 88), BitConverter.ToInt64(b, 96), BitConverter.ToUInt64(b, 0), BitConverter.ToUInt64(b, 8));
                }

                default:
                {
                    int mode = BitConverter.ToUInt16(b, 4);
                    return new PosixStat(PosixStat.KindOf(mode), mode & 0xFFF, BitConverter.ToUInt32(b, 16), BitConverter.ToUInt32(b, 20),
                        BitConverter.ToInt64(b, 96), BitConverter.ToInt64(b, 48), BitConverter.ToInt64(b, 56), BitConverter.ToUInt32(b, 0), BitConverter.ToUInt64(b, 8));
                }
            }
        }

        // glibc exports stat/lstat/fstat since 2.33; older versions only the __xstat family (version 1 on x86-64, 0 on arm64).
        private static int CallStat(byte[] path, byte[] buffer)
        {
            if (IsMac)
            {
                return RuntimeInformation.ProcessArchitecture == Architecture.X64 ? MacStatX64(path, buffer) : MacStat(path, buffer);
            }

            try
            {
                return LinuxStat(path, buffer);
            }
            catch (EntryPointNotFoundException)
            {
                return XStat(s_layout == Layout.LinuxX64 ? 1 : 0, path, buffer);
            }
        }

        private static int CallLStat(byte[] path, byte[] buffer)
        {
            if (IsMac)
            {
                return RuntimeInformation.ProcessArchitecture == Architecture.X64 ? MacLStatX64(path, buffer) : MacLStat(path, buffer);
            }

            try
            {
                return LinuxLStat(path, buffer);
            }
            catch (EntryPointNotFoundException)
            {
                return LXStat(s_layout == Layout.LinuxX64 ? 1 : 0, path, buffer);
            }
        }

        private static int CallFStat(int descriptor, byte[] buffer)
        {
            if (IsMac)
            {
                return RuntimeInformation.ProcessArchitecture == Architecture.X64 ? MacFStatX64(descriptor, buffer) : MacFStat(descriptor, buffer);
            }

            try
            {
                return LinuxFStat(descriptor, buffer);
            }
            catch (EntryPointNotFoundException)
            {
                return FXStat(s_layout == Layout.LinuxX64 ? 1 : 0, descriptor, buffer);
            }
        }

        private static byte[] NullTerminated(string path)
        {
            int length = System.Text.Encoding.UTF8.GetByteCount(path);
            var bytes = new byte[length + 1];
            System.Text.Encoding.UTF8.GetBytes(path, 0, path.Length, bytes, 0);
            return bytes;
        }

        [DllImport("libc", EntryPoint = "stat", SetLastError = true)]
        private static extern int LinuxStat(byte[] path, [Out] byte[] buffer);

        [DllImport("libc", EntryPoint = "lstat", SetLastError = true)]
        private static extern int LinuxLStat(byte[] path, [Out] byte[] buffer);

        [DllImport("libc", EntryPoint = "fstat", SetLastError = true)]
        private static extern int LinuxFStat(int descriptor, [Out] byte[] buffer);

        [DllImport("libc", EntryPoint = "__xstat", SetLastError = true)]
        private static extern int XStat(int version, byte[] path, [Out] byte[] buffer);

        [DllImport("libc", EntryPoint = "__lxstat", SetLastError = true)]
        private static extern int LXStat(int version, byte[] path, [Out] byte[] buffer);

        [DllImport("libc", EntryPoint = "__fxstat", SetLastError = true)]
        private static extern int FXStat(int version, int descriptor, [Out] byte[] buffer);

        [DllImport("libc", EntryPoint = "stat", SetLastError = true)]
        private static extern int MacStat(byte[] path, [Out] byte[] buffer);

        [DllImport("libc", EntryPoint = "lstat", SetLastError = true)]
        private static extern int MacLStat(byte[] path, [Out] byte[] buffer);

        [DllImport("libc", EntryPoint = "fstat", SetLastError = true)]
        private static extern int MacFStat(int descriptor, [Out] byte[] buffer);

        [DllImport("libc", EntryPoint = "stat$INODE64", SetLastError = true)]
        private static extern int MacStatX64(byte[] path, [Out] byte[] buffer);

        [DllImport("libc", EntryPoint = "lstat$INODE64", SetLastError = true)]
        private static extern int MacLStatX64(byte[] path, [Out] byte[] buffer);

        [DllImport("libc", EntryPoint = "fstat$INODE64", SetLastError = true)]
        private static extern int MacFStatX64(int descriptor, [Out] byte[] buffer);

        [DllImport("libc", EntryPoint = "opendir", SetLastError = true)]
        private static extern IntPtr OpenDir(byte[] path);

        [DllImport("libc", EntryPoint = "readdir", SetLastError = true)]
        private static extern IntPtr ReadDir(IntPtr directory);

        [DllImport("libc", EntryPoint = "opendir", SetLastError = true)]
        private static extern IntPtr MacOpenDir(byte[] path);

        [DllImport("libc", EntryPoint = "readdir", SetLastError = true)]
        private static extern IntPtr MacReadDir(IntPtr directory);

        [DllImport("libc", EntryPoint = "opendir$INODE64", SetLastError = true)]
        private static extern IntPtr MacOpenDirX64(byte[] path);

        [DllImport("libc", EntryPoint = "readdir$INODE64", SetLastError = true)]
        private static extern IntPtr MacReadDirX64(IntPtr directory);

        [DllImport("libc", EntryPoint = "closedir", SetLastError = true)]
        private static extern int CloseDir(IntPtr directory);

        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        private static extern int OpenTwo(byte[] path, int flags);

        [DllImport("libc", EntryPoint = "read", SetLastError = true)]
        private static extern IntPtr ReadNative(int descriptor, [Out] byte[] buffer, IntPtr count);

        [DllImport("libc", EntryPoint = "read", SetLastError = true)]
        private static extern IntPtr ReadPointer(int descriptor, IntPtr buffer, IntPtr count);

        [DllImport("libc", EntryPoint = "close", SetLastError = true)]
        private static extern int CloseNative(int descriptor);

        [DllImport("libc", EntryPoint = "flock", SetLastError = true)]
        private static extern int Flock(int descriptor, int operation);

        [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
        private static extern int FsyncNative(int descriptor);

        [DllImport("libc", EntryPoint = "mkdir", SetLastError = true)]
        private static extern int MkdirNative(byte[] path, int mode);

        [DllImport("libc", EntryPoint = "chmod", SetLastError = true)]
        private static extern int ChmodNative(byte[] path, int mode);

        [DllImport("libc", EntryPoint = "chown", SetLastError = true)]
        private static extern int ChownNative(byte[] path, uint owner, uint group);

        [DllImport("libc", EntryPoint = "geteuid")]
        private static extern uint GetEuid();

        [DllImport("libc", EntryPoint = "getpwnam", SetLastError = true)]
        private static extern IntPtr GetPwNam(byte[] name);
    }
}
