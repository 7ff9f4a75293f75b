using System;

namespace CertCmdlets.Core
{
    /// <summary>The errors of activation: reloading httpd, checking what it serves, rolling back, undoing a change.</summary>
    internal static partial class Errors
    {
        public static CertCmdletsException ApacheNotRunning(string pidFile, string mainConfig) =>
            new CertCmdletsException("ApacheNotRunning", CertErrorKind.InvalidOperation, pidFile,
                $"-Reload was given, but httpd is not running for '{mainConfig}' (no live process in its pid file '{pidFile}'), and a reload would start it. Nothing was changed. Start httpd first (systemctl start apache2 or httpd, or httpd -k start), or leave out -Reload to change the configuration only.");

        public static CertCmdletsException ApacheReloadUnavailable(string mainConfig) =>
            new CertCmdletsException("ApacheReloadUnavailable", CertErrorKind.ObjectNotFound, mainConfig,
                $"-Reload was given, but no httpd program was found for '{mainConfig}', so the configuration can be neither tested nor reloaded. Nothing was changed. Give the program with -HttpdPath, or leave out -Reload.");

        public static CertCmdletsException ApacheLiveConfigTestFailed(string mainConfig, string output) =>
            new CertCmdletsException("ApacheConfigTestFailed", CertErrorKind.InvalidOperation, mainConfig,
                $"-Reload was given, but httpd's configuration test fails, so httpd was not asked to reload (it would stop serving). Nothing was changed. httpd said: {output.Trim()}");

        public static CertCmdletsException ApacheReloadFailed(string mainConfig, string output, bool restored) =>
            new CertCmdletsException("ApacheReloadFailed", CertErrorKind.InvalidOperation, mainConfig,
                $"httpd did not accept the graceful reload: {output.Trim()} " + (restored
                    ? "Every file and link this command changed was restored and httpd was asked to reload the previous configuration."
                    : "No configuration line had changed. Check httpd's error log."));

        public static CertCmdletsException ActivationFailed(string endpoint, string expected, string found, bool restored) =>
            new CertCmdletsException("ActivationFailed", CertErrorKind.InvalidResult, endpoint,
                $"After the reload {endpoint} does not serve the configured certificate {expected}: {found} " + (restored
                    ? "Every file and link this command changed was restored and httpd reloaded, so the previous certificate is served again. Check that no other VirtualHost answers first for this name and port (httpd -S), then run the command again."
                    : "No configuration line had changed, so there was nothing to restore: check the certificate files the configuration names and httpd's error log (httpd -S shows which VirtualHost answers). Use -Verify:$false to skip this check."));

        public static CertCmdletsException ApacheUndoUnavailable(string backupDirectory, string why) =>
            new CertCmdletsException("ApacheUndoUnavailable", CertErrorKind.ObjectNotFound, backupDirectory,
                $"The change in '{backupDirectory}' cannot be undone: {why} Nothing was changed. Give the BackupDirectory of a result of Set-ApacheSsl or Enable-HttpsRedirect (the newest change first).");

        public static CertCmdletsException ApacheUndoConflict(string path, string backupDirectory) =>
            new CertCmdletsException("ApacheUndoConflict", CertErrorKind.ResourceExists, path,
                $"'{path}' changed again after the change recorded in '{backupDirectory}', so undoing it would lose that later edit. Nothing was changed. Undo the later change first, or restore the file by hand from the backup.");

        public static CertCmdletsException ApacheRestoreFailed(string backupDirectory, Exception inner) =>
            new CertCmdletsException("ApacheRestoreFailed", inner is UnauthorizedAccessException ? CertErrorKind.PermissionDenied : CertErrorKind.WriteError, backupDirectory,
                $"Putting back the configuration recorded in '{backupDirectory}' failed: {inner.Message} Some files may still be the changed ones. The backups are in that folder, under the same relative paths: copy them over the live files, run httpd -t, then reload httpd.", inner);

        public static CertCmdletsException FullChainFileConflict(string path) =>
            new CertCmdletsException("FullChainFileConflict", CertErrorKind.ResourceExists, path,
                $"The certificate object carries its chain only in memory, and '{path}', where its full chain would be written for SSLCertificateFile, already holds something else. Nothing was changed. Write the files with Export-CertPem (it writes fullchain.pem) and pipe its result, or give -FullChainPath.");
    }
}
