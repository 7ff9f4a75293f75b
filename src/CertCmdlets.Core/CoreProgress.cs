using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace CertCmdlets.Core
{
    /// <summary>
    /// How core code reports progress: through the caller's log when it also implements <see cref="ICoreProgress"/>,
    /// else not at all. Loops over many items update their activity as they go (<see cref="Begin"/>); one long
    /// blocking call (a key, a download) runs through <see cref="Run{T}"/>, which keeps the activity alive while it
    /// waits. Calls to the listener stay on the caller's thread.
    /// </summary>
    /// <example>
    /// <code>
    /// using (IProgressActivity progress = CoreProgress.Begin(log, "Reading certificate files", $"{paths.Count} files"))
    /// {
    ///     for (int i = 0; i &lt; paths.Count; i++)
    ///     {
    ///         progress.Update($"{i + 1} of {paths.Count} files", (i * 100) / paths.Count, paths[i]);
    ///         ...
    ///     }
    /// }
    /// </code>
    /// </example>
    public static class CoreProgress
    {
        /// <summary>How often <see cref="Run{T}"/> reports while it waits, in milliseconds.</summary>
        private const int TickMilliseconds = 200;

        /// <summary>Starts an activity on the log's progress listener, or a no-op one when it has none.</summary>
        /// <param name="log">The caller's log.</param>
        /// <param name="activity">What is being done.</param>
        /// <param name="status">The state at the start.</param>
        /// <returns>The activity; dispose it to complete it.</returns>
        public static IProgressActivity Begin(ICoreLog log, string activity, string status) =>
            log is ICoreProgress progress ? progress.Begin(activity, status) : NoActivity.Instance;

        /// <summary>
        /// Runs one long blocking piece of work. Without a progress listener it runs inline, as a plain call would.
        /// With one, it runs on a thread-pool thread while this thread reports the elapsed time every 200 ms, then
        /// completes the activity; the work's own exception is rethrown as it was. <paramref name="work"/> must not
        /// call the log: only this thread may.
        /// </summary>
        /// <typeparam name="T">The work's result.</typeparam>
        /// <param name="log">The caller's log.</param>
        /// <param name="activity">What is being done, e.g. "Making a 4096-bit RSA key".</param>
        /// <param name="status">The state, e.g. "Searching for primes".</param>
        /// <param name="work">The work; it must not touch the log.</param>
        /// <param name="cancellation">Stops the wait (the work, if it cannot be cancelled, is abandoned).</param>
        /// <returns>What the work returned.</returns>
        public static T Run<T>(ICoreLog log, string activity, string status, Func<T> work, CancellationToken cancellation)
        {
            if (log is not ICoreProgress progress)
            {
                return work();
            }

            using IProgressActivity reporter = progress.Begin(activity, status);
            Task<T> task = Task.Run(work);
            DateTime started = DateTime.UtcNow;

            // WaitAny, unlike Wait, does not throw when the work fails: its exception comes out of GetResult below.
            while (Task.WaitAny(new Task[] { task }, TickMilliseconds, cancellation) < 0)
            {
                int seconds = (int)(DateTime.UtcNow - started).TotalSeconds;
                reporter.Update($"{status} ({seconds} s)", -1, null);
            }

            return task.GetAwaiter().GetResult();
        }

        /// <summary>
        /// As <see cref="Run{T}"/>, for work that reports as it
        /// goes (warnings, verbose lines): it gets a log of its own whose messages are kept and written to
        /// <paramref name="log"/> on this thread, in order, once the work has ended (also when it throws). Without a
        /// progress listener the work runs inline and gets <paramref name="log"/> itself.
        /// </summary>
        /// <typeparam name="T">The work's result.</typeparam>
        /// <param name="log">The caller's log.</param>
        /// <param name="activity">What is being done, e.g. "Downloading the issuer of 'CN=www.example.com'".</param>
        /// <param name="status">The state, e.g. the URL.</param>
        /// <param name="work">The work, given the log it may use.</param>
        /// <param name="cancellation">Stops the wait (the work, if it cannot be cancelled, is abandoned).</param>
        /// <returns>What the work returned.</returns>
        public static T RunWithLog<T>(ICoreLog log, string activity, string status, Func<ICoreLog, T> work, CancellationToken cancellation)
        {
            if (log is not ICoreProgress)
            {
                return work(log);
            }

            var deferred = new DeferredLog();
            try
            {
                return Run(log, activity, status, () => work(deferred), cancellation);
            }
            finally
            {
                deferred.WriteTo(log);
            }
        }

        /// <summary>Keeps the messages of work running on another thread, for the caller's thread to write.</summary>
        private sealed class DeferredLog : ICoreLog
        {
            private readonly System.Collections.Concurrent.ConcurrentQueue<KeyValuePair<bool, string>> _messages = new System.Collections.Concurrent.ConcurrentQueue<KeyValuePair<bool, string>>();

            public void Verbose(string message) => _messages.Enqueue(new KeyValuePair<bool, string>(false, message));

            public void Warning(string message) => _messages.Enqueue(new KeyValuePair<bool, string>(true, message));

            /// <summary>Writes what was kept so far (an abandoned work's later messages are dropped).</summary>
            public void WriteTo(ICoreLog log)
            {
                while (_messages.TryDequeue(out KeyValuePair<bool, string> message))
                {
                    if (message.Key)
                    {
                        log.Warning(message.Value);
                    }
                    else
                    {
                        log.Verbose(message.Value);
                    }
                }
            }
        }

        /// <summary>The activity of a log without a progress listener.</summary>
        private sealed class NoActivity : IProgressActivity
        {
            public static readonly NoActivity Instance = new NoActivity();

            public void Update(string status, int percentComplete, string? currentOperation)
            {
            }

            public void Dispose()
            {
            }
        }
    }
}
