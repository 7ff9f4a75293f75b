using System;
using System.IO;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace CertCmdlets.Core.IO
{
    /// <summary>
    /// The names of the hidden files a write stages beside its targets (<c>.key.pem.0123456789abcdef.tmp</c>, the
    /// backup link <c>.key.pem.0123456789abcdef.old</c>) and the moves between them. Recovery recognises them by
    /// this shape, including the <c>.bak</c> copies that versions before the journal left behind.
    /// </summary>
    internal static class StagedNames
    {
        private static readonly Regex s_staged = new Regex(@"^\..+\.[0-9a-f]{16}\.(tmp|old|bak)$", RegexOptions.CultureInvariant);

        public static string Temporary(string name) => "." + name + "." + RandomHex(8) + ".tmp";

        public static string Backup(string name) => "." + name + "." + RandomHex(8) + ".old";

        /// <summary>True for a file name (or path) of the staged shape.</summary>
        public static bool IsStaged(string nameOrPath) => s_staged.IsMatch(Path.GetFileName(nameOrPath));

        public static string RandomHex(int bytes)
        {
            var random = new byte[bytes];
            using (var generator = RandomNumberGenerator.Create())
            {
                generator.GetBytes(random);
            }

            return BitConverter.ToString(random).Replace("-", string.Empty).ToLowerInvariant();
        }

        /// <summary>Moves <paramref name="source"/> to <paramref name="target"/>, replacing it atomically if it exists.</summary>
        public static void MoveOver(string source, string target)
        {
            if (UnixFiles.IsUnix)
            {
                UnixFiles.RenameReplace(source, target);
            }
            else if (File.Exists(target))
            {
                File.Replace(source, target, null, ignoreMetadataErrors: true);
            }
            else
            {
                File.Move(source, target);
            }
        }

        /// <summary>Deletes a file if it is there; false when it was not there or could not be deleted.</summary>
        public static bool TryDelete(string path)
        {
            try
            {
                if (!File.Exists(path))
                {
                    return false;
                }

                File.Delete(path);
                return true;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return false;
            }
        }
    }
}
