using System;
using System.ComponentModel;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace CertCmdlets.Core.Acme
{
    /// <summary>
    /// mkdir(2) and chmod(2), which netstandard2.0 does not expose: account folders are made 0700 from their first
    /// instant, and challenge files and folders in a web root are made readable by the web server's user whatever the
    /// umask (a 077 umask would otherwise hide them from httpd's workers).
    /// </summary>
    internal static class PosixCalls
    {
        public const int PrivateDirectoryMode = 0x1C0;   // 0700
        public const int PublicDirectoryMode = 0x1ED;    // 0755
        public const int PublicFileMode = 0x1A4;         // 0644

        private const int EEXIST = 17;

        /// <summary>Creates a directory with <paramref name="mode"/> (then set exactly, past the umask); an existing one is left alone.</summary>
        public static void MakeDirectory(string path, int mode)
        {
            if (Mkdir(NullTerminated(path), mode) != 0)
            {
                int errno = Marshal.GetLastWin32Error();
                if (errno == EEXIST)
                {
                    return;
                }

                throw Failure(errno);
            }

            ChangeMode(path, mode);
        }

        public static void ChangeMode(string path, int mode)
        {
            if (Chmod(NullTerminated(path), mode) != 0)
            {
                throw Failure(Marshal.GetLastWin32Error());
            }
        }

        private static Exception Failure(int errno)
        {
            string message = new Win32Exception(errno).Message;
            return errno == 13 || errno == 1 || errno == 30 ? new UnauthorizedAccessException(message) : new IOException(message);
        }

        private static byte[] NullTerminated(string path)
        {
            byte[] text = Encoding.UTF8.GetBytes(path);
            var bytes = new byte[text.Length + 1];
            Buffer.BlockCopy(text, 0, bytes, 0, text.Length);
            return bytes;
        }

        [DllImport("libc", EntryPoint = "mkdir", SetLastError = true)]
        private static extern int Mkdir(byte[] path, int mode);

        [DllImport("libc", EntryPoint = "chmod", SetLastError = true)]
        private static extern int Chmod(byte[] path, int mode);
    }
}
