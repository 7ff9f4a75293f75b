using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using CertCmdlets.Core.Requests;
using CertCmdlets.Core.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Core.Tests
{
    /// <summary>
    /// The core's progress seam: a log that also implements <see cref="ICoreProgress"/> gets activities, always
    /// completed, and only ever on the thread that called the core (where a cmdlet may write progress); a log that
    /// does not is called as before. The timing and interactivity rules live on the cmdlet side (ProgressTests of the
    /// cmdlet tests).
    /// </summary>
    public sealed class CoreProgressTests
    {
        [Fact]
        public void RunReportsWhileTheWorkLastsOnTheCallersThreadAndCompletes()
        {
            var log = new ProgressLog();
            int result = CoreProgress.Run(log, "Waiting", "Half a second", () =>
            {
                Thread.Sleep(700);
                return 42;
            }, CancellationToken.None);

            Assert.Equal(42, result);
            ProgressLog.Activity activity = Assert.Single(log.Activities);
            Assert.Equal("Waiting", activity.Name);
            Assert.True(activity.Updates.Count >= 2, $"{activity.Updates.Count} updates in 700 ms at one per 200 ms.");
            Assert.All(activity.Updates, u => Assert.StartsWith("Half a second (", u, StringComparison.Ordinal));
            Assert.True(activity.Disposed);
            Assert.Equal(new[] { Environment.CurrentManagedThreadId }, log.Threads);
        }

        [Fact]
        public void RunRethrowsTheWorksOwnExceptionAndStillCompletes()
        {
            var log = new ProgressLog();
            IOException thrown = Assert.Throws<IOException>(() => CoreProgress.Run<int>(log, "Failing", "now", () => throw new IOException("disk full"), CancellationToken.None));
            Assert.Equal("disk full", thrown.Message);
            Assert.True(Assert.Single(log.Activities).Disposed);
        }

        [Fact]
        public void RunStopsWaitingWhenCancelled()
        {
            var log = new ProgressLog();
            using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            Assert.ThrowsAny<OperationCanceledException>(() => CoreProgress.Run(log, "Stuck", "forever", () =>
            {
                Thread.Sleep(3000);
                return 0;
            }, cancellation.Token));
            Assert.True(Assert.Single(log.Activities).Disposed);
        }

        [Fact]
        public void WorkThatLogsHasItsMessagesWrittenOnTheCallersThreadInOrderAfterItEnds()
        {
            var log = new ProgressLog();
            int caller = Environment.CurrentManagedThreadId;
            int worker = CoreProgress.RunWithLog(log, "Downloading", "http://ca.example.test/issuer.crt", workLog =>
            {
                Assert.NotSame(log, workLog);
                workLog.Verbose("first");
                workLog.Warning("second");
                Thread.Sleep(450);
                return Environment.CurrentManagedThreadId;
            }, CancellationToken.None);

            Assert.NotEqual(caller, worker);
            Assert.Equal(new[] { "V:first", "W:second" }, log.Messages);
            Assert.Equal(new[] { caller }, log.Threads);
            Assert.True(Assert.Single(log.Activities).Disposed);

            // A failing work's messages are written too, before its exception comes out.
            var failing = new ProgressLog();
            Assert.Throws<IOException>(() => CoreProgress.RunWithLog<int>(failing, "Downloading", "now", workLog =>
            {
                workLog.Warning("refused");
                throw new IOException("reset");
            }, CancellationToken.None));
            Assert.Equal(new[] { "W:refused" }, failing.Messages);

            // Without a progress listener the work runs inline with the caller's own log.
            var plain = new RecordingLog();
            Assert.Same(plain, CoreProgress.RunWithLog(plain, "Inline", "now", workLog => workLog, CancellationToken.None));
        }

        [Fact]
        public void ALogWithoutProgressRunsTheWorkInline()
        {
            int thread = -1;
            int result = CoreProgress.Run(new RecordingLog(), "Inline", "now", () =>
            {
                thread = Environment.CurrentManagedThreadId;
                return 7;
            }, CancellationToken.None);
            Assert.Equal(7, result);
            Assert.Equal(Environment.CurrentManagedThreadId, thread);
            using IProgressActivity none = CoreProgress.Begin(new RecordingLog(), "Nothing", "listens");
            none.Update("still", 50, "nothing");
        }

        [Theory]
        [InlineData("RSA", 3072, "Making a new RSA 3072 key")]
        [InlineData("ECDSA", null, null)]
        public void AnRsaKeyIsMadeAsAnActivityAndAnEcdsaKeyIsNot(string algorithm, int? keySize, string? activity)
        {
            var log = new ProgressLog();
            CertificateRequestInfo request = CertificateRequestBuilder.CreateRequest(new CertificateRequestOptions { CommonName = "www.example.test", KeyAlgorithm = algorithm, KeySize = keySize }, log);
            Assert.NotNull(request.Pem);
            if (activity is null)
            {
                Assert.Empty(log.Activities);
                return;
            }

            Assert.Equal(activity, Assert.Single(log.Activities).Name);
            Assert.True(log.Activities[0].Disposed);
            Assert.Equal(new[] { Environment.CurrentManagedThreadId }, log.Threads);
        }

        /// <summary>A log with progress that records activities and the threads it was called on.</summary>
        private sealed class ProgressLog : ICoreLog, ICoreProgress
        {
            public List<Activity> Activities { get; } = new List<Activity>();

            public HashSet<int> Threads { get; } = new HashSet<int>();

            public List<string> Messages { get; } = new List<string>();

            public void Verbose(string message)
            {
                Threads.Add(Environment.CurrentManagedThreadId);
                Messages.Add("V:" + message);
            }

            public void Warning(string message)
            {
                Threads.Add(Environment.CurrentManagedThreadId);
                Messages.Add("W:" + message);
            }

            public IProgressActivity Begin(string activity, string status)
            {
                Threads.Add(Environment.CurrentManagedThreadId);
                var started = new Activity(this, activity);
                Activities.Add(started);
                return started;
            }

            public sealed class Activity : IProgressActivity
            {
                private readonly ProgressLog _log;

                public Activity(ProgressLog log, string name)
                {
                    _log = log;
                    Name = name;
                }

                public string Name { get; }

                public List<string> Updates { get; } = new List<string>();

                public bool Disposed { get; private set; }

                public void Update(string status, int percentComplete, string? currentOperation)
                {
                    _log.Threads.Add(Environment.CurrentManagedThreadId);
                    Updates.Add(status);
                }

                public void Dispose()
                {
                    _log.Threads.Add(Environment.CurrentManagedThreadId);
                    Disposed = true;
                }
            }
        }
    }
}
