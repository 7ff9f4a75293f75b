using System;
using System.IO;

namespace CertCmdlets.Core.IO
{
    /// <summary>Reads certificate and key files whole, turning every failure into an error that names the file.</summary>
    internal static class FileInput
    {
        /// <summary>Certificate bundles run to a few hundred KiB; anything past this is not what the user meant.</summary>
        public const long MaximumLength = 64L * 1024 * 1024;

        public static byte[] ReadAll(string path)
        {
            if (Directory.Exists(path))
            {
                throw Errors.FileReadFailed(path, new IOException("It is a directory, not a file."));
            }

            if (!File.Exists(path))
            {
                throw Errors.FileNotFound(path);
            }

            try
            {
                var info = new FileInfo(path);
                if (info.Length > MaximumLength)
                {
                    throw Errors.FileTooLarge(path, info.Length);
                }

                return File.ReadAllBytes(path);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is System.Security.SecurityException)
            {
                throw Errors.FileReadFailed(path, ex);
            }
        }
    }
}
