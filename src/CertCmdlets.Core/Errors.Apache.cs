using System;

namespace CertCmdlets.Core
{
    /// <summary>The errors of the Apache engine's transaction: locks, child processes, recovery.</summary>
    internal static partial class Errors
    {
        public static CertCmdletsException ApacheConfigLocked(string lockPath, int? holder, TimeSpan waited) =>
            new CertCmdletsException("ApacheConfigLocked", CertErrorKind.InvalidOperation, lockPath,
                $"Another change to this httpd configuration is in progress{(holder is int pid ? $" (process {pid})" : string.Empty)}: the lock on '{lockPath}' was still held after {waited.TotalSeconds:0.#} s. Nothing was changed. Run the command again when it has finished, or give a longer -LockTimeout.");

        public static CertCmdletsException ApacheProgramTimeout(string program, string arguments, TimeSpan deadline) =>
            new CertCmdletsException("ApacheProgramTimeout", CertErrorKind.InvalidOperation, program,
                $"'{program} {arguments}' did not finish within {deadline.TotalSeconds:0.#} s, so it was stopped (with every process it started). Nothing was changed. Check that this program is httpd and that it does not wait for input (a key pass phrase, a hung mount).");

        public static CertCmdletsException ApacheProgramNotRunnable(string program, Exception inner) =>
            new CertCmdletsException("ApacheProgramNotRunnable", CertErrorKind.InvalidOperation, program,
                $"The httpd program '{program}' could not be started: {inner.Message} Nothing was changed. Give the right program with -HttpdPath.", inner);

        public static CertCmdletsException ApacheCandidateTestFailed(string path, string output) =>
            new CertCmdletsException("ApacheConfigTestFailed", CertErrorKind.InvalidOperation, path,
                $"httpd's configuration test failed on the changed configuration, which is tested before it is written: nothing was changed and nothing needed to be restored - every file is as it was. httpd said: {output.Trim()}");

        public static CertCmdletsException ApacheRecoveryFailed(string journal, string detail, Exception? inner) =>
            new CertCmdletsException("ApacheRecoveryFailed", CertErrorKind.WriteError, journal,
                $"A change to the httpd configuration that an earlier run left unfinished (journal '{journal}') could not be completed: {detail} Nothing else was changed. Fix the cause (permissions, disk space) and run the command again.", inner);
    }
}
