using System;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using CertCmdlets.Core.Tests.Infrastructure;
using CertCmdlets.Core.Tls;
using Xunit;
using Xunit.Abstractions;

namespace CertCmdlets.Core.Tests.Faults
{
    /// <summary>
    /// Test-HttpsEndpoint's probe against slow and hostile peers on 127.0.0.1: a TLS server whose bytes arrive one
    /// every two seconds (the handshake would take minutes), and plain-HTTP ports that send an endless header line,
    /// endless headers, or one byte a second. The probe's time limit covers the whole call; each case must end in a
    /// clear error or problem line within it (plus scheduling slack), never in a raw exception or unbounded memory.
    /// </summary>
    public sealed class HttpsProbeFaultTests
    {
        /// <summary>A hang guard only.</summary>
        private static readonly TimeSpan s_hangGuard = TimeSpan.FromSeconds(90);

        /// <summary>What a call may take beyond its time limit on a loaded machine: scheduling and socket teardown, far from the minutes a slow peer would hold it.</summary>
        private static readonly TimeSpan s_slack = TimeSpan.FromSeconds(10);

        private readonly ITestOutputHelper _output;

        /// <summary>One healthy probe first, so the first timed call does not pay for loading the TLS library.</summary>
        private static readonly Lazy<bool> s_warm = new Lazy<bool>(() =>
        {
            using var server = new TlsServer();
            ProbeResult(server.Port, null, TimeSpan.FromSeconds(60));
            return true;
        });

        public HttpsProbeFaultTests(ITestOutputHelper output)
        {
            _output = output;
            Assert.True(s_warm.Value);
        }

        [Fact]
        public void TlsPeerSendingOneBytePerTwoSeconds_IsHttpsTimedOut_WithinTheTimeLimit()
        {
            using var server = new TlsServer(byteInterval: TimeSpan.FromSeconds(2));
            var watch = Stopwatch.StartNew();

            Exception? error = Probe(server.Port, null, TimeSpan.FromSeconds(3));

            watch.Stop();
            _output.WriteLine($"slow TLS peer, -TimeoutSeconds 3: {watch.Elapsed.TotalSeconds:0.00} s, {error?.GetType().Name} {(error as CertCmdletsException)?.ErrorId}");
            CertCmdletsException timedOut = Assert.IsType<CertCmdletsException>(error);
            Assert.Equal("HttpsTimedOut", timedOut.ErrorId);
            Assert.Equal($"localhost:{server.Port}", timedOut.Target);
            Assert.Contains("within 3 s", timedOut.Message, StringComparison.Ordinal);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3) + s_slack, $"took {watch.Elapsed.TotalSeconds:0.0} s for a limit of 3 s");
        }

        [Fact]
        public void TlsPeerSlowAfterTheFirstHandshake_ReportsTheVersionsItCouldNotCheck()
        {
            using var server = new TlsServer(byteInterval: TimeSpan.FromSeconds(2), fastConnections: 1);
            var watch = Stopwatch.StartNew();

            HttpsEndpointResult result = ProbeResult(server.Port, null, TimeSpan.FromSeconds(8));

            watch.Stop();
            _output.WriteLine($"slow version checks, -TimeoutSeconds 8: {watch.Elapsed.TotalSeconds:0.00} s; problems: {string.Join(" | ", result.Problems)}");
            Assert.Single(result.Certificates);
            Assert.Contains(result.Problems, p => p.Contains("could not be checked within 8 s", StringComparison.Ordinal));
            Assert.DoesNotContain(result.Problems, p => p.StartsWith("No TLS version", StringComparison.Ordinal));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(8) + s_slack, $"took {watch.Elapsed.TotalSeconds:0.0} s for a limit of 8 s");
        }

        [Theory]
        [InlineData("header line", "header line longer than 8 KiB")]
        [InlineData("headers", "more than 100 header lines")]
        [InlineData("dribble", "no complete answer")]
        public void HostileHttpPort_IsAProblemLine_WithinTheTimeLimit(string kind, string expected)
        {
            using var tls = new TlsServer();
            using var http = new HostileServer(kind switch
            {
                "header line" => HostileServer.EndlessHeaderLine,
                "headers" => HostileServer.EndlessHeaders,
                _ => HostileServer.Dribble(TimeSpan.FromSeconds(1)),
            });
            long before = GC.GetTotalAllocatedBytes(precise: false);
            var watch = Stopwatch.StartNew();

            // The endless answers must be cut off by their size, at once: a generous limit keeps a loaded machine's
            // slow TLS handshakes from turning them into timeouts. The dribbling one is cut off by the limit itself.
            TimeSpan limit = TimeSpan.FromSeconds(kind == "dribble" ? 5 : 30);
            HttpsEndpointResult result = ProbeResult(tls.Port, http.Port, limit);

            watch.Stop();
            long allocated = GC.GetTotalAllocatedBytes(precise: false) - before;
            string problem = Assert.Single(result.Problems, p => p.StartsWith("Plain HTTP", StringComparison.Ordinal));
            _output.WriteLine($"{kind}: {watch.Elapsed.TotalSeconds:0.00} s, {allocated / 1024} KiB allocated: {problem}");
            Assert.False(result.RedirectsToHttps);
            Assert.True(problem.Contains(expected, StringComparison.Ordinal), problem);
            Assert.True(watch.Elapsed < limit + s_slack, $"took {watch.Elapsed.TotalSeconds:0.0} s for a limit of {limit.TotalSeconds} s");
            Assert.True(allocated < 256L * 1024 * 1024, $"{allocated} bytes allocated");
        }

        [Fact]
        public void HealthyServer_IsProbedWellWithinTheLimit()
        {
            using var tls = new TlsServer();

            HttpsEndpointResult result = ProbeResult(tls.Port, null, TimeSpan.FromSeconds(10));

            Assert.NotEmpty(result.Protocols);
            Assert.DoesNotContain(result.Problems, p => p.Contains("could not be checked", StringComparison.Ordinal));
        }

        private static HttpsEndpointResult ProbeResult(int port, int? httpPort, TimeSpan timeout)
        {
            HttpsEndpointResult? result = null;
            Exception? error = Probe(port, httpPort, timeout, r => result = r);
            Assert.Null(error);
            return result!;
        }

        private static Exception? Probe(int port, int? httpPort, TimeSpan timeout, Action<HttpsEndpointResult>? onResult = null)
        {
            Task<Exception?> call = Task.Run<Exception?>(() => Record.Exception(() =>
            {
                HttpsEndpointResult result = HttpsProbe.Probe("localhost", port, null, httpPort, timeout, Array.Empty<CertificateInfo>(), NullCoreLog.Instance);
                onResult?.Invoke(result);
            }));
            Assert.True(call.Wait(s_hangGuard), $"the probe did not return within {s_hangGuard.TotalSeconds} s");
            return call.Result;
        }
    }
}
