namespace CertCmdlets.Core
{
    /// <summary>
    /// The seam through which the core reports progress of long work (making an RSA 3072/4096 key, downloading a
    /// missing issuer, reading many files). Optional beside <see cref="ICoreLog"/>: a caller's log that also implements
    /// this interface gets progress; every other <see cref="ICoreLog"/> works as before. Core code does not call it
    /// directly but through <see cref="CoreProgress"/>, which checks <c>log is ICoreProgress</c>.
    /// </summary>
    /// <remarks>
    /// Every call is made on the thread that called the core (a cmdlet's pipeline thread, where WriteProgress works).
    /// Whether anything is shown (only past a second of work, only in an interactive session) is the listener's
    /// decision, not the core's.
    /// </remarks>
    public interface ICoreProgress
    {
        /// <summary>Starts an activity; dispose the returned object to complete it (always, also on failure).</summary>
        /// <param name="activity">What is being done, e.g. "Making a 4096-bit RSA key".</param>
        /// <param name="status">The current state, e.g. "1 of 3 files".</param>
        /// <returns>The activity, to update and then dispose.</returns>
        IProgressActivity Begin(string activity, string status);
    }

    /// <summary>One activity in progress, started by <see cref="ICoreProgress.Begin"/>; Dispose completes it.</summary>
    public interface IProgressActivity : System.IDisposable
    {
        /// <summary>Reports the state; called as often as the work likes (the listener throttles).</summary>
        /// <param name="status">The current state, e.g. "120 of 4,000 files".</param>
        /// <param name="percentComplete">0 to 100, or -1 when unknown.</param>
        /// <param name="currentOperation">The item at hand (a file, a URL), or null.</param>
        void Update(string status, int percentComplete, string? currentOperation);
    }
}
