using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using CertCmdlets.Core.Chains;
using CertCmdlets.Core.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Core.Tests.Chains
{
    /// <summary>
    /// Join-CertChain -Download against an HTTP server the test starts on 127.0.0.1: the leaf's caIssuers URL serves
    /// the intermediate (DER or PKCS#7), the intermediate's serves the root; a URL that never answers must time out
    /// with a warning, not hang. The certificates are made by openssl with authorityInfoAccess pointing at the server.
    /// </summary>
    public sealed class IssuerDownloadTests : IDisposable
    {
        /// <summary>A hang guard only (not a performance limit): the call under test has a 2-second timeout per URL.</summary>
        private static readonly TimeSpan s_hangGuard = TimeSpan.FromSeconds(60);

        private readonly TempDirectory _temp = new TempDirectory();
        private readonly LoopbackHttpServer _server = new LoopbackHttpServer();

        public void Dispose()
        {
            _server.Dispose();
            _temp.Dispose();
        }

        [OpenSslFact]
        public void Download_DerIntermediate_ThenPkcs7Root_CompletesTheChain()
        {
            MakeChain("/inter.der", "/root.p7c");
            _server.Serve("/inter.der", "application/pkix-cert", Der("int.crt"));
            _server.Serve("/root.p7c", "application/pkcs7-mime", ChainMaker.Pkcs7Der(_temp.Path, "root.crt"));
            var log = new RecordingLog();

            IReadOnlyList<CertificateInfo> joined = Join(new ChainJoinOptions { Download = true, IncludeRoot = true, DownloadTimeout = TimeSpan.FromSeconds(5) }, log);

            CertificateInfo leaf = Assert.Single(joined);
            Assert.Equal(new[] { Thumbprint("int.crt"), Thumbprint("root.crt") }, leaf.Chain.Select(c => c.Thumbprint));
            Assert.Equal(new[] { "/inter.der", "/root.p7c" }, _server.Requested);
            Assert.Empty(log.Warnings);
        }

        [OpenSslFact]
        public void Download_Pkcs7Intermediate_RootLeftOutByDefault()
        {
            MakeChain("/inter.p7c", "/root.der");
            _server.Serve("/inter.p7c", "application/pkcs7-mime", ChainMaker.Pkcs7Der(_temp.Path, "int.crt"));
            _server.Serve("/root.der", "application/pkix-cert", Der("root.crt"));
            var log = new RecordingLog();

            IReadOnlyList<CertificateInfo> joined = Join(new ChainJoinOptions { Download = true, DownloadTimeout = TimeSpan.FromSeconds(5) }, log);

            CertificateInfo leaf = Assert.Single(joined);
            Assert.Equal(new[] { Thumbprint("int.crt") }, leaf.Chain.Select(c => c.Thumbprint));
            Assert.Empty(log.Warnings);
        }

        [OpenSslFact]
        public void WithoutDownload_NothingIsFetched_AndTheWarningSuggestsDownload()
        {
            MakeChain("/inter.der", "/root.der");
            _server.Serve("/inter.der", "application/pkix-cert", Der("int.crt"));
            var log = new RecordingLog();

            IReadOnlyList<CertificateInfo> joined = Join(new ChainJoinOptions(), log);

            Assert.Empty(Assert.Single(joined).Chain);
            Assert.Empty(_server.Requested);
            string warning = Assert.Single(log.Warnings);
            Assert.Contains("Download Test Intermediate CA", warning, StringComparison.Ordinal);
            Assert.Contains("-Download", warning, StringComparison.Ordinal);
        }

        [OpenSslFact]
        public void Download_UrlThatNeverAnswers_TimesOutWithAWarning()
        {
            MakeChain("/silent.der", "/root.der");
            _server.NeverAnswer("/silent.der");
            var log = new RecordingLog();
            var watch = Stopwatch.StartNew();

            Task<IReadOnlyList<CertificateInfo>> call = Task.Run(() => Join(new ChainJoinOptions { Download = true, DownloadTimeout = TimeSpan.FromSeconds(2) }, log));

            Assert.True(call.Wait(s_hangGuard), $"Join with -Download did not return within {s_hangGuard.TotalSeconds} s although the timeout is 2 s: it hangs on a URL that never answers.");
            watch.Stop();
            Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(1.5), $"returned after {watch.Elapsed.TotalSeconds:0.0} s: the timeout was not waited for");
            Assert.Empty(Assert.Single(call.Result).Chain);
            Assert.Equal(new[] { "/silent.der" }, _server.Requested);
            Assert.Contains(log.Warnings, w => w.Contains(_server.Url("/silent.der"), StringComparison.Ordinal) && w.Contains("no answer", StringComparison.Ordinal));
            Assert.Contains(log.Warnings, w => w.Contains("incomplete", StringComparison.Ordinal) && w.Contains("Download Test Intermediate CA", StringComparison.Ordinal));
        }

        [OpenSslFact]
        public void Download_ServerThatSendsHeadersThenStalls_TimesOutWithAWarning()
        {
            // The timeout must cover the whole download, not only the wait for the response headers.
            MakeChain("/stall.der", "/root.der");
            _server.StallAfterHeaders("/stall.der");
            var log = new RecordingLog();

            Task<IReadOnlyList<CertificateInfo>> call = Task.Run(() => Join(new ChainJoinOptions { Download = true, DownloadTimeout = TimeSpan.FromSeconds(2) }, log));

            Assert.True(call.Wait(TimeSpan.FromSeconds(30)), "Join with -Download did not return within 30 s although the timeout is 2 s: a server that sends its headers and then nothing hangs it.");
            Assert.Empty(Assert.Single(call.Result).Chain);
            Assert.Contains(log.Warnings, w => w.Contains(_server.Url("/stall.der"), StringComparison.Ordinal));
        }

        [OpenSslFact]
        public void Download_Cancelled_StopsAtOnce()
        {
            // Ctrl+C during a download that would otherwise wait 60 s.
            MakeChain("/silent.der", "/root.der");
            _server.NeverAnswer("/silent.der");
            using var cancellation = new System.Threading.CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            var options = new ChainJoinOptions { Download = true, DownloadTimeout = TimeSpan.FromSeconds(60) };

            Task call = Task.Run(() => ChainJoiner.Join(new[] { ChainMaker.ReadOne(_temp.Path, "leaf.crt") }, Array.Empty<CertificateInfo>(), options, new RecordingLog(), cancellation.Token));

            Assert.True(((IAsyncResult)call).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(20)), "a cancelled download did not stop within 20 s");
            Assert.True(call.IsCanceled || call.Exception?.InnerException is OperationCanceledException, $"expected cancellation, got {call.Status} {call.Exception?.InnerException}");
        }

        [OpenSslFact]
        public void Download_AnswerLargerThanACertificateCould_IsAWarning()
        {
            MakeChain("/huge.der", "/root.der");
            _server.Serve("/huge.der", "application/octet-stream", new byte[3 * 1024 * 1024]);
            var log = new RecordingLog();

            IReadOnlyList<CertificateInfo> joined = Join(new ChainJoinOptions { Download = true, DownloadTimeout = TimeSpan.FromSeconds(10) }, log);

            Assert.Empty(Assert.Single(joined).Chain);
            Assert.Contains(log.Warnings, w => w.Contains(_server.Url("/huge.der"), StringComparison.Ordinal) && w.Contains("1 MiB", StringComparison.Ordinal));
        }

        [OpenSslFact]
        public void Download_NotFound_IsAWarningNamingTheStatus()
        {
            MakeChain("/missing.der", "/root.der");
            var log = new RecordingLog();

            IReadOnlyList<CertificateInfo> joined = Join(new ChainJoinOptions { Download = true, DownloadTimeout = TimeSpan.FromSeconds(5) }, log);

            Assert.Empty(Assert.Single(joined).Chain);
            Assert.Contains(log.Warnings, w => w.Contains("404", StringComparison.Ordinal) && w.Contains(_server.Url("/missing.der"), StringComparison.Ordinal));
        }

        [OpenSslFact]
        public void Download_SomethingThatIsNotACertificate_IsAWarning()
        {
            MakeChain("/inter.der", "/root.der");
            _server.Serve("/inter.der", "text/html", System.Text.Encoding.ASCII.GetBytes("<html><body>Moved to our new portal</body></html>"));
            var log = new RecordingLog();

            IReadOnlyList<CertificateInfo> joined = Join(new ChainJoinOptions { Download = true, DownloadTimeout = TimeSpan.FromSeconds(5) }, log);

            Assert.Empty(Assert.Single(joined).Chain);
            Assert.Contains(log.Warnings, w => w.Contains(_server.Url("/inter.der"), StringComparison.Ordinal));
        }

        [OpenSslFact]
        public void Download_WrongCertificateServed_IsNotUsed()
        {
            MakeChain("/inter.der", "/root.der");
            ChainMaker.Root(_temp.Path, "stranger.key", "stranger.crt", "/CN=Stranger CA");
            _server.Serve("/inter.der", "application/pkix-cert", Der("stranger.crt"));
            var log = new RecordingLog();

            IReadOnlyList<CertificateInfo> joined = Join(new ChainJoinOptions { Download = true, DownloadTimeout = TimeSpan.FromSeconds(5) }, log);

            Assert.Empty(Assert.Single(joined).Chain);
            Assert.Contains(log.Warnings, w => w.Contains("incomplete", StringComparison.Ordinal));
        }

        [OpenSslFact]
        public void Download_UrlsAreReadFromTheCertificates()
        {
            MakeChain("/inter.der", "/root.der");

            Assert.Equal(new[] { _server.Url("/inter.der") }, CertificateFacts.CaIssuerUrls(ChainMaker.ReadOne(_temp.Path, "leaf.crt")));
            Assert.Equal(new[] { _server.Url("/root.der") }, CertificateFacts.CaIssuerUrls(ChainMaker.ReadOne(_temp.Path, "int.crt")));
            Assert.Empty(CertificateFacts.CaIssuerUrls(ChainMaker.ReadOne(_temp.Path, "root.crt")));
        }

        /// <summary>root.crt, int.crt (caIssuers -> root URL) and leaf.crt (caIssuers -> intermediate URL), by openssl.</summary>
        private void MakeChain(string intermediatePath, string rootPath)
        {
            ChainMaker.Root(_temp.Path, "root.key", "root.crt", "/O=Download Test/CN=Download Test Root CA");
            ChainMaker.Intermediate(_temp.Path, "int.key", "/O=Download Test/CN=Download Test Intermediate CA", "root.crt", "root.key", "int.crt",
                extraExtension: "authorityInfoAccess=caIssuers;URI:" + _server.Url(rootPath));
            ChainMaker.Leaf(_temp.Path, "leaf.key", "/CN=download.example.com", "int.crt", "int.key", "leaf.crt", new[] { "download.example.com" },
                extraExtension: "authorityInfoAccess=caIssuers;URI:" + _server.Url(intermediatePath));
        }

        private IReadOnlyList<CertificateInfo> Join(ChainJoinOptions options, RecordingLog log) =>
            ChainJoiner.Join(new[] { ChainMaker.ReadOne(_temp.Path, "leaf.crt") }, Array.Empty<CertificateInfo>(), options, log, default);

        private byte[] Der(string file) => ChainMaker.ReadOne(_temp.Path, file).RawData;

        private string Thumbprint(string file) => ChainMaker.ReadOne(_temp.Path, file).Thumbprint;
    }
}
