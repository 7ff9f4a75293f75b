using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using CertCmdlets.Core.Chains;
using CertCmdlets.Core.Tests.Chains;
using CertCmdlets.Core.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace CertCmdlets.Core.Tests.Faults
{
    /// <summary>
    /// Join-CertChain -Download against hostile servers on 127.0.0.1: redirects to file://, ftp://, the cloud
    /// metadata address and in circles; an endless header line and endless headers; a certificate with 31 issuer
    /// URLs that all hang. Every one must end in a warning naming the URL, within the one time limit of the whole
    /// join, never in a raw exception. The certificates come from openssl with the AIA URL pointing at the server.
    /// </summary>
    public sealed class IssuerDownloadFaultTests : IDisposable
    {
        /// <summary>A hang guard only; the deadlines themselves are checked against the time limit given.</summary>
        private static readonly TimeSpan s_hangGuard = TimeSpan.FromSeconds(60);

        private readonly TempDirectory _temp = new TempDirectory();
        private readonly LoopbackHttpServer _good = new LoopbackHttpServer();
        private readonly ITestOutputHelper _output;
        private readonly List<IDisposable> _servers = new List<IDisposable>();

        public IssuerDownloadFaultTests(ITestOutputHelper output)
        {
            _output = output;
        }

        public void Dispose()
        {
            foreach (IDisposable server in _servers)
            {
                server.Dispose();
            }

            _good.Dispose();
            _temp.Dispose();
        }

        [OpenSslTheory]
        [InlineData("file:///etc/passwd", "only http and https")]
        [InlineData("ftp://127.0.0.1/int.der", "only http and https")]
        [InlineData("http://169.254.169.254/latest/meta-data/", "link-local")]
        [InlineData("http://[fd00:ec2::254]/latest/meta-data/", "cloud metadata")]
        [InlineData("http://[::ffff:169.254.169.254]/", "link-local")]
        [InlineData("http://[::1", "not a valid address")]
        public void RedirectToARefusedAddress_IsAWarning(string location, string why)
        {
            HostileServer server = Serve(HostileServer.RedirectTo(location));
            MakeChain(server.Url("/int.der"));
            var log = new RecordingLog();

            IReadOnlyList<CertificateInfo> joined = Join(TimeSpan.FromSeconds(10), log);

            Assert.Empty(Assert.Single(joined).Chain);
            Assert.Contains(log.Warnings, w => w.Contains(server.Url("/int.der"), StringComparison.Ordinal) && w.Contains(why, StringComparison.Ordinal));
            Assert.Equal(new[] { "/int.der" }, server.Requested);
        }

        [OpenSslFact]
        public void RedirectOnLoopback_FromALoopbackUrl_IsFollowed_RelativeThenAbsolute()
        {
            // /int.der -> (relative) /moved.der -> (absolute, another port) the server that has the certificate.
            HostileServer server = Serve((stream, path, stop) => HostileServer.RedirectTo(path == "/int.der" ? "/moved.der" : _good.Url("/int.der"))(stream, path, stop));
            MakeChain(server.Url("/int.der"));
            _good.Serve("/int.der", "application/pkix-cert", ChainMaker.ReadOne(_temp.Path, "int.crt").RawData);
            var log = new RecordingLog();

            IReadOnlyList<CertificateInfo> joined = Join(TimeSpan.FromSeconds(10), log);

            Assert.Equal(new[] { ChainMaker.ReadOne(_temp.Path, "int.crt").Thumbprint }, Assert.Single(joined).Chain.Select(c => c.Thumbprint));
            Assert.Equal(new[] { "/int.der", "/moved.der" }, server.Requested);
            Assert.Equal(2, log.VerboseMessages.Count(m => m.Contains("redirects (HTTP 302)", StringComparison.Ordinal)));
            Assert.DoesNotContain(log.Warnings, w => w.StartsWith("Downloading", StringComparison.Ordinal));
        }

        [OpenSslFact]
        public void RedirectsInACircle_StopAfterFive()
        {
            HostileServer server = Serve(HostileServer.RedirectTo("/again"));
            MakeChain(server.Url("/again"));
            var log = new RecordingLog();

            Join(TimeSpan.FromSeconds(10), log);

            Assert.Contains(log.Warnings, w => w.Contains("more than 5 redirects", StringComparison.Ordinal));
            Assert.Equal(6, server.Requested.Length);
        }

        [OpenSslTheory]
        [InlineData("header line")]
        [InlineData("headers")]
        public void EndlessResponseHeaders_AreAWarning_NotMemory(string kind)
        {
            HostileServer server = Serve(kind == "headers" ? HostileServer.EndlessHeaders : HostileServer.EndlessHeaderLine);
            MakeChain(server.Url("/int.der"));
            var log = new RecordingLog();
            long before = GC.GetTotalAllocatedBytes(precise: false);

            IReadOnlyList<CertificateInfo> joined = Join(TimeSpan.FromSeconds(10), log);

            long allocated = GC.GetTotalAllocatedBytes(precise: false) - before;
            _output.WriteLine($"endless {kind}: {allocated / 1024} KiB allocated; warnings: {string.Join(" | ", log.Warnings)}");
            Assert.Empty(Assert.Single(joined).Chain);
            Assert.Contains(log.Warnings, w => w.Contains(server.Url("/int.der"), StringComparison.Ordinal) && w.Contains("failed", StringComparison.Ordinal));
            Assert.True(allocated < 256L * 1024 * 1024, $"{allocated} bytes allocated for one refused answer");
        }

        [OpenSslFact]
        public void ThirtyOneHangingUrls_TakeTheTimeLimitOnce_NotThirtyOneTimes()
        {
            HostileServer server = Serve(HostileServer.Silent);
            MakeChain(string.Join(",caIssuers;URI:", Enumerable.Range(1, 31).Select(i => server.Url($"/hang{i}.der"))));
            var log = new RecordingLog();
            var watch = Stopwatch.StartNew();

            Join(TimeSpan.FromSeconds(2), log);

            watch.Stop();
            _output.WriteLine($"31 hanging URLs with -TimeoutSeconds 2: {watch.Elapsed.TotalSeconds:0.00} s, {server.Requested.Length} request(s) sent");
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2 + 10), $"took {watch.Elapsed.TotalSeconds:0.0} s for a time limit of 2 s");
            Assert.Contains(log.Warnings, w => w.Contains("time limit of 2 s for all downloads", StringComparison.Ordinal) && w.Contains("were not tried", StringComparison.Ordinal));
            Assert.True(server.Requested.Length < 31, "every URL was tried");
        }

        [Theory]
        [InlineData("169.254.169.254", false, "link-local")]
        [InlineData("169.254.0.1", false, "link-local")]
        [InlineData("100.100.100.200", false, "metadata")]
        [InlineData("168.63.129.16", false, "metadata")]
        [InlineData("fd00:ec2::254", false, "metadata")]
        [InlineData("fe80::1", false, "link-local")]
        [InlineData("::ffff:169.254.169.254", false, "link-local")]
        [InlineData("64:ff9b::a9fe:a9fe", false, "link-local")]
        [InlineData("0.0.0.0", false, "this network")]
        [InlineData("::", false, "unspecified")]
        [InlineData("224.0.0.251", false, "multicast")]
        [InlineData("ff02::1", false, "multicast")]
        [InlineData("255.255.255.255", false, "broadcast")]
        [InlineData("127.0.0.1", false, "loopback")]
        [InlineData("::1", false, "loopback")]
        [InlineData("::ffff:127.0.0.1", false, "loopback")]
        [InlineData("127.0.0.1", true, null)]
        [InlineData("10.1.2.3", false, null)]
        [InlineData("192.168.1.10", false, null)]
        [InlineData("172.16.0.1", false, null)]
        [InlineData("fd12:3456::1", false, null)]
        [InlineData("93.184.216.34", false, null)]
        [InlineData("2606:2800:220:1::", false, null)]
        public void AddressPolicy_RefusesLinkLocalMetadataAndForeignLoopback(string address, bool loopbackAllowed, string? why)
        {
            string? refusal = AddressPolicy.Refusal(IPAddress.Parse(address), loopbackAllowed);

            if (why is null)
            {
                Assert.Null(refusal);
            }
            else
            {
                Assert.NotNull(refusal);
                Assert.Contains(why, refusal, StringComparison.Ordinal);
            }
        }

        private HostileServer Serve(Func<System.Net.Sockets.NetworkStream, string?, System.Threading.CancellationToken, Task> behaviour)
        {
            var server = new HostileServer(behaviour);
            _servers.Add(server);
            return server;
        }

        /// <summary>root.crt, int.crt, and leaf.crt whose caIssuers is <paramref name="urls"/> (several joined with ",caIssuers;URI:").</summary>
        private void MakeChain(string urls)
        {
            if (!System.IO.File.Exists(System.IO.Path.Combine(_temp.Path, "int.crt")))
            {
                ChainMaker.Root(_temp.Path, "root.key", "root.crt", "/O=Fault Test/CN=Fault Test Root CA");
                ChainMaker.Intermediate(_temp.Path, "int.key", "/O=Fault Test/CN=Fault Test Intermediate CA", "root.crt", "root.key", "int.crt");
            }

            ChainMaker.Leaf(_temp.Path, "leaf.key", "/CN=fault.example.com", "int.crt", "int.key", "leaf.crt", new[] { "fault.example.com" },
                extraExtension: "authorityInfoAccess=caIssuers;URI:" + urls);
        }

        private IReadOnlyList<CertificateInfo> Join(TimeSpan timeLimit, RecordingLog log)
        {
            Task<IReadOnlyList<CertificateInfo>> call = Task.Run(() => ChainJoiner.Join(
                new[] { ChainMaker.ReadOne(_temp.Path, "leaf.crt") }, Array.Empty<CertificateInfo>(), new ChainJoinOptions { Download = true, DownloadTimeout = timeLimit }, log, default));
            Assert.True(call.Wait(s_hangGuard), $"Join -Download did not return within {s_hangGuard.TotalSeconds} s");
            return call.Result;
        }
    }
}
