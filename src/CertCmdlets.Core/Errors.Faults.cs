using System;

namespace CertCmdlets.Core
{
    /// <summary>Errors of faults and hostile input: locked folders, interrupted writes, odd input files, deadlines.</summary>
    internal static partial class Errors
    {
        public static CertCmdletsException OutputDirectoryLocked(string directory, TimeSpan waited) =>
            new CertCmdletsException("OutputDirectoryLocked", CertErrorKind.InvalidOperation, directory,
                $"Another command is writing files in '{directory}' and still held it after {waited.TotalSeconds:0.#} s. Nothing was changed. Run this command again when the other one has finished.");

        public static CertCmdletsException FileNotRegular(string path, string kind) =>
            new CertCmdletsException("FileNotRegular", CertErrorKind.InvalidArgument, path,
                $"'{path}' is {kind}, not a regular file. Give the path of a certificate, key, request or PFX file.");

        public static CertCmdletsException InputTooLarge(string path, long limit) =>
            new CertCmdletsException("FileTooLarge", CertErrorKind.InvalidData, path,
                $"The file '{path}' holds more than {limit / (1024 * 1024)} MiB, too much to be a certificate or key file.");

        public static CertCmdletsException InterruptedWriteUnreadable(string journal, string why) =>
            new CertCmdletsException("InterruptedWriteUnreadable", CertErrorKind.InvalidData, journal,
                $"'{journal}' records an interrupted write of certificate files but cannot be read ({why}). Nothing was changed. Check the files beside it, then delete it.");

        public static CertCmdletsException InterruptedWriteNotRecovered(string journal, Exception inner) =>
            new CertCmdletsException("InterruptedWriteNotRecovered", inner is UnauthorizedAccessException ? CertErrorKind.PermissionDenied : CertErrorKind.WriteError, journal,
                $"An earlier write of certificate files that was interrupted (recorded in '{journal}') could not be completed: {inner.Message} Fix the cause and run the command again; it finishes the earlier write first.", inner);

        public static CertCmdletsException FileSetWriteFailed(string path, Exception inner, bool undone) =>
            new CertCmdletsException("FileWriteFailed", inner is UnauthorizedAccessException ? CertErrorKind.PermissionDenied : CertErrorKind.WriteError, path,
                undone
                    ? $"The file '{path}' could not be written: {inner.Message} Nothing was changed."
                    : $"The file '{path}' could not be written: {inner.Message} The files written so far could not all be put back; the next command writing in that folder finishes putting them back.", inner);

        public static CertCmdletsException HttpsTimedOut(string endpoint, string serverName, TimeSpan deadline) =>
            new CertCmdletsException("HttpsTimedOut", CertErrorKind.ReadError, endpoint,
                $"{endpoint} (server name '{serverName}') did not complete a TLS handshake within {deadline.TotalSeconds:0.#} s. Check that the server listens there and speaks HTTPS, or allow more time with -TimeoutSeconds.");
    }
}
