using System;
using System.Threading;

namespace CertCmdlets.Core.IO
{
    /// <summary>
    /// A fault-injection seam for tests, in the manner of PowerShell's own InternalTestHooks: the file writer calls
    /// <see cref="Step"/> with a name between its steps ("temp key.pem", "journal", "rename cert.pem"...), so a
    /// test can stop the process there (SIGKILL in a child process) or make the step fail. Null, and never set,
    /// outside tests; nothing reads it but <see cref="FileSetTransaction"/>.
    /// </summary>
    internal static class FileWriteHooks
    {
        private static Action<string>? s_step;

        /// <summary>Called between steps with the step's name; set by tests through reflection or InternalsVisibleTo.</summary>
        public static Action<string>? Step
        {
            get => Volatile.Read(ref s_step);
            set => Volatile.Write(ref s_step, value);
        }

        internal static void Reached(string step) => Step?.Invoke(step);
    }
}
