using System;
using System.ComponentModel;
using System.IO;
using System.Runtime.InteropServices;
using CertCmdlets.Core.IO;

namespace CertCmdlets.Core.Inventory
{
    /// <summary>
    /// The one name of a directory however it was reached (through symbolic links or not), so that a walk reads each
    /// directory once and a link that leads back up the tree ends the walk instead of looping. On Unix it is what
    /// realpath(3) returns; on Windows the full path (a walk does not follow directory links there).
    /// </summary>
    internal static class DirectoryIdentity
    {
        public static StringComparer Comparer { get; } = UnixFiles.IsUnix ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;

        /// <summary>The canonical path of an existing directory (or file). Throws IOException or UnauthorizedAccessException.</summary>
        public static string Canonical(string path)
        {
            if (!UnixFiles.IsUnix)
            {
                return Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
            }

            IntPtr resolved = Realpath(NullTerminated(path), IntPtr.Zero);
            if (resolved == IntPtr.Zero)
            {
                int errno = Marshal.GetLastWin32Error();
                string message = new Win32Exception(errno).Message;
                throw errno == 13 || errno == 1 ? new UnauthorizedAccessException(message) : new IOException(message);
            }

            try
            {
                int length = 0;
                while (Marshal.ReadByte(resolved, length) != 0)
                {
                    length++;
                }

                var bytes = new byte[length];
                Marshal.Copy(resolved, bytes, 0, length);
                return System.Text.Encoding.UTF8.GetString(bytes);
            }
            finally
            {
                Free(resolved);
            }
        }

        /// <summary>The canonical path of a child reached without a link: its parent's canonical path and its name.</summary>
        public static string Child(string canonicalParent, string name) =>
            !UnixFiles.IsUnix ? Path.Combine(canonicalParent, name)
            : canonicalParent.EndsWith("/", StringComparison.Ordinal) ? canonicalParent + name
            : canonicalParent + "/" + name;

        private static byte[] NullTerminated(string path)
        {
            int length = System.Text.Encoding.UTF8.GetByteCount(path);
            var bytes = new byte[length + 1];
            System.Text.Encoding.UTF8.GetBytes(path, 0, path.Length, bytes, 0);
            return bytes;
        }

        [DllImport("libc", EntryPoint = "realpath", SetLastError = true)]
        private static extern IntPtr Realpath(byte[] path, IntPtr resolved);

        [DllImport("libc", EntryPoint = "free")]
        private static extern void Free(IntPtr pointer);
    }
}
