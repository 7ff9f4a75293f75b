using System;
using System.Collections.Generic;
using System.Security;
using CertCmdlets.Core.IO;

namespace CertCmdlets.Core.Keys
{
    /// <summary>
    /// Sets or removes the password of a private key file on the key alone (what `openssl pkey -in key.pem -out
    /// plain.key` does): any form the module reads goes in, PKCS#8 PEM comes out, plain or encrypted with PBES2
    /// (PBKDF2-HMAC-SHA256, AES-256-CBC). The new file is written through the module's safe writer: mode 0600 on Unix
    /// from the first instant, atomically, never over an existing file unless forced. A wrong password writes nothing.
    /// </summary>
    public static class KeyProtection
    {
        /// <summary>
        /// Reads <paramref name="sourcePath"/> (with <paramref name="currentPassword"/> when it is encrypted) and writes
        /// the key to <paramref name="outputPath"/>, or over the source itself when <paramref name="outputPath"/> is null
        /// and <paramref name="force"/> is set; encrypted with <paramref name="newPassword"/>, or plain when it is null.
        /// <paramref name="currentPasswordParameter"/> names the password parameter in errors. Returns null when
        /// <paramref name="shouldProcess"/> declined.
        /// </summary>
        public static PrivateKeyFileInfo? Rewrite(string sourcePath, SecureString? currentPassword, string currentPasswordParameter, SecureString? newPassword, string? outputPath, bool force, Func<string, string, bool> shouldProcess, ICoreLog log)
        {
            string target = outputPath ?? (force ? sourcePath : throw Errors.KeyOutputRequired(sourcePath));
            bool wasEncrypted = PrivateKeyFile.IsEncrypted(sourcePath);
            PrivateKey key = Read(sourcePath, currentPassword, currentPasswordParameter);
            bool inPlace = string.Equals(System.IO.Path.GetFullPath(target), System.IO.Path.GetFullPath(sourcePath), UnixFiles.IsUnix ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);
            if (inPlace && newPassword is null && !wasEncrypted)
            {
                log.Warning($"The private key in '{sourcePath}' is not encrypted; it was left as it is.");
                return new PrivateKeyFileInfo(sourcePath, sourcePath, key.Description, isEncrypted: false, written: false);
            }

            var plan = new FileWritePlan(force);
            string description = newPassword is null ? "private key (unencrypted)" : "private key (encrypted)";
            plan.Add(target, PrivateKeyWriter.ToPem(key, newPassword), isPrivateKey: true, description);
            IReadOnlyList<string> written;
            try
            {
                written = plan.Commit(shouldProcess, log);
            }
            finally
            {
                plan.Discard();
            }

            if (written.Count == 0)
            {
                return null;
            }

            log.Verbose($"{(newPassword is null ? "Removed the password of" : wasEncrypted ? "Changed the password of" : "Set a password on")} the {key.Description} key from '{sourcePath}' into '{written[0]}'.");
            return new PrivateKeyFileInfo(written[0], sourcePath, key.Description, isEncrypted: newPassword is not null, written: true);
        }

        /// <summary>The error for an empty new password (KeyPasswordEmpty), named by its parameter.</summary>
        public static CertCmdletsException EmptyPassword(string parameter) => Errors.KeyPasswordEmpty(parameter);

        /// <summary>The error for a call that names no output and does not allow replacing the key in place.</summary>
        public static CertCmdletsException OutputRequired(string target) => Errors.KeyOutputRequired(target);

        /// <summary>The error for a second key file sent to the same -OutputPath.</summary>
        public static CertCmdletsException OutputShared(string outputPath) => Errors.KeyOutputSharedByInputs(outputPath);

        private static PrivateKey Read(string path, SecureString? password, string parameter)
        {
            try
            {
                return PrivateKeyReader.ReadFile(path, password);
            }
            catch (CertCmdletsException ex) when (ex.ErrorId == "KeyPasswordRequired")
            {
                throw Errors.KeyPasswordRequired(path, parameter);
            }
            catch (CertCmdletsException ex) when (ex.ErrorId == "KeyPasswordIncorrect")
            {
                throw Errors.KeyPasswordIncorrect(path, parameter, ex.InnerException);
            }
        }
    }
}
