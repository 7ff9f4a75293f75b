using System;
using System.IO;
using Microsoft.Win32.SafeHandles;

namespace CertCmdlets.Core.IO
{
    /// <summary>
    /// Reads certificate, key, request and PFX files whole, turning every failure into an error that names the
    /// file. Only regular files: FIFOs, devices and sockets are refused (FileNotRegular) without blocking (a FIFO
    /// is opened non-blocking and checked before any read), and the size cap is enforced while reading, not
    /// trusted from the file's length (which is 0 for /dev/zero). A file whose folder holds a pending journal of
    /// an interrupted write is read as that write intended (see <see cref="FileSetJournal.ResolveForReading"/>).
    /// </summary>
    internal static class FileInput
    {
        /// <summary>Certificate bundles run to a few hundred KiB; anything past this is not what the user meant.</summary>
        public const long MaximumLength = 64L * 1024 * 1024;

        private const int ChunkLength = 81920;

        public static byte[] ReadAll(string path) => ReadAll(path, MaximumLength);

        /// <summary>Reads <paramref name="path"/> whole; at most <paramref name="limit"/> bytes (FileTooLarge beyond).</summary>
        public static byte[] ReadAll(string path, long limit)
        {
            // A new file of a committed set may exist only under its staged name yet: resolve before looking.
            string source = FileSetJournal.ResolveForReading(path);
            if (!string.Equals(source, path, StringComparison.Ordinal))
            {
                try
                {
                    return ReadRegular(source, path, limit);
                }
                catch (CertCmdletsException ex) when (ex.ErrorId == "FileNotFound")
                {
                    // A writer finished the set meanwhile: the staged file is now the file itself.
                }
            }

            if (Directory.Exists(path))
            {
                throw Errors.FileReadFailed(path, new IOException("It is a directory, not a file."));
            }

            if (!File.Exists(path))
            {
                throw Errors.FileNotFound(path);
            }

            return ReadRegular(path, path, limit);
        }

        /// <summary>
        /// Reads <paramref name="source"/> (named <paramref name="path"/> in errors) if it is a regular file of at most
        /// <paramref name="limit"/> bytes, without looking at journals (the journal reader itself uses this).
        /// </summary>
        public static byte[] ReadRegular(string source, string path, long limit)
        {
            try
            {
                using FileStream stream = UnixFiles.IsUnix ? OpenUnix(source, path, limit) : OpenWindows(source, path);
                return ReadLimited(stream, path, limit);
            }
            catch (FileNotFoundException)
            {
                throw Errors.FileNotFound(path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is System.Security.SecurityException || ex is NotSupportedException)
            {
                throw Errors.FileReadFailed(path, ex);
            }
        }

        private static FileStream OpenUnix(string source, string path, long limit)
        {
            SafeFileHandle handle;
            try
            {
                handle = UnixFiles.OpenForReadingNonBlocking(source);
            }
            catch (IOException) when (UnixFiles.StatusSupported && UnixFiles.Status(source, followLinks: true) is FileStatus status && status.Kind != FileKind.Regular)
            {
                // A socket cannot be opened at all (ENXIO): name what it is rather than the system's error.
                throw Errors.FileNotRegular(path, FileStatus.Describe(status.Kind));
            }

            try
            {
                if (UnixFiles.StatusSupported)
                {
                    FileStatus status = UnixFiles.Status(handle);
                    if (status.Kind != FileKind.Regular)
                    {
                        throw Errors.FileNotRegular(path, FileStatus.Describe(status.Kind));
                    }

                    if (status.Length > limit)
                    {
                        throw Errors.FileTooLarge(path, status.Length);
                    }
                }

                return new FileStream(handle, FileAccess.Read, 1);
            }
            catch
            {
                handle.Dispose();
                throw;
            }
        }

        private static FileStream OpenWindows(string source, string path)
        {
            var stream = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
            try
            {
                // Device names (CON, NUL, COM1, \\.\pipe\...) open as streams that cannot seek: not files.
                if (!stream.CanSeek)
                {
                    throw Errors.FileNotRegular(path, "a device or pipe");
                }

                return stream;
            }
            catch
            {
                stream.Dispose();
                throw;
            }
        }

        /// <summary>Reads up to <paramref name="limit"/> bytes, counting as it goes: a file that grows, or a device, stops at the cap.</summary>
        private static byte[] ReadLimited(Stream stream, string path, long limit)
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[ChunkLength];
            int read;
            while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    throw Errors.InputTooLarge(path, limit);
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
    }
}
