using System;
using System.ComponentModel;
using System.IO;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace CertCmdlets.Core.IO
{
    /// <summary>
    /// The few POSIX calls netstandard2.0 does not expose: create a file with mode 0600 from the first
    /// instant (no window in which another user can open it), and link/rename for atomic replacement.
    /// </summary>
    internal static class UnixFiles
    {
        private const int EEXIST = 17;

        public static bool IsUnix => !RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        /// <summary>Creates a new file (fails if it exists) with the given permission bits.</summary>
        public static FileStream CreateExclusive(string path, int mode)
        {
            int fd;
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
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
            return errno == 13 || errno == 1 || errno == 30
                ? new UnauthorizedAccessException(message)
                : new IOException(message);
        }

        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        private static extern int Open(byte[] path, int flags, int mode);

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
    }
}
