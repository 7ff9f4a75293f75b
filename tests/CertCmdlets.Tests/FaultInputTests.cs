using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Threading;
using System.Threading.Tasks;
using CertCmdlets.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace CertCmdlets.Tests
{
    /// <summary>
    /// Hostile input through the real cmdlets: /dev/zero and a FIFO given as certificate, PFX and -KeyPath files; a
    /// 100,000-character -PlainTextPassword; an HTTPS port that accepts and never speaks. Each is the module's own
    /// error record (FullyQualifiedErrorId asserted), at once or within the time limit given, never a hang, a raw
    /// runtime exception or an exhausted memory.
    /// </summary>
    [UnsupportedOSPlatform("windows")]
    public sealed class FaultInputTests : IDisposable
    {
        private static readonly TimeSpan s_hangGuard = TimeSpan.FromSeconds(60);

        private readonly TempDirectory _temp = new TempDirectory();
        private readonly PowerShellSession _session;
        private readonly ITestOutputHelper _output;

        public FaultInputTests(ITestOutputHelper output)
        {
            _output = output;
            _session = new PowerShellSession(_temp.Path);
        }

        public void Dispose()
        {
            _session.Dispose();
            _temp.Dispose();
        }

        [Theory]
        [InlineData("Import-CertFile -LiteralPath $args[0]", "ImportCertFileCommand")]
        [InlineData("Import-PfxAsPem -LiteralPath $args[0] -PlainTextPassword x", "ImportPfxAsPemCommand")]
        [InlineData("Import-CertFile -LiteralPath $args[1] -KeyPath $args[0]", "ImportCertFileCommand")]
        [InlineData("Export-PemAsPfx -CertificatePath $args[1] -KeyPath $args[0] -OutFile out.pfx -PlainTextPassword x", "ExportPemAsPfxCommand")]
        public void DevZeroAndAFifo_AreFileNotRegular_AtOnce(string command, string cmdlet)
        {
            string certificate = _temp.File("cert.pem");
            _session.Run("$null = New-CertRequest www.example.com -SelfSign -KeyAlgorithm ECDSA | Export-CertPem -CertificatePath $args[0]", certificate).AssertSuccess();
            string fifo = _temp.File("input.fifo");
            Run("mkfifo", fifo);

            foreach (string input in new[] { "/dev/zero", fifo })
            {
                var watch = Stopwatch.StartNew();
                PowerShellResult result = Within(command, input, certificate);
                _output.WriteLine($"{command.Split(' ')[0]} {input}: {watch.ElapsedMilliseconds} ms, {string.Join(", ", result.ErrorIds)}");

                Assert.Contains($"FileNotRegular,CertCmdlets.Commands.{cmdlet}", result.ErrorIds);
                Assert.Empty(result.Output);
            }

            Assert.False(File.Exists(_temp.File("out.pfx")));
        }

        [Theory]
        [InlineData("Import-PfxAsPem -LiteralPath $args[0] -PlainTextPassword $args[1]", "ImportPfxAsPemCommand")]
        [InlineData("Export-PemAsPfx -CertificatePath $args[0] -KeyPath $args[0] -OutFile out.pfx -PlainTextPassword $args[1]", "ExportPemAsPfxCommand")]
        public void PlainTextPasswordLongerThanASecureStringHolds_IsPasswordTooLong(string command, string cmdlet)
        {
            string password = new string('p', 100_000);
            string file = _temp.File("any.pfx");
            File.WriteAllText(file, "not read");

            PowerShellResult result = _session.Run(command, file, password);

            Assert.Equal(new[] { $"PasswordTooLong,CertCmdlets.Commands.{cmdlet}" }, result.ErrorIds);
            string message = result.Terminating?.Message ?? result.Errors.Single().Exception.Message;
            Assert.Contains("100,000", message, StringComparison.Ordinal);
            Assert.DoesNotContain("pppppppp", message, StringComparison.Ordinal);
            Assert.False(File.Exists(_temp.File("out.pfx")));
        }

        [Fact]
        public void HttpsPortThatNeverSpeaks_IsHttpsTimedOut_WithinTheTimeLimit()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            using var stop = new CancellationTokenSource();
            var accepted = new System.Collections.Concurrent.ConcurrentBag<TcpClient>();
            Task accepting = Task.Run(async () =>
            {
                try
                {
                    while (true)
                    {
                        accepted.Add(await listener.AcceptTcpClientAsync(stop.Token));
                    }
                }
                catch (Exception ex) when (ex is OperationCanceledException || ex is SocketException || ex is ObjectDisposedException)
                {
                }
            });
            try
            {
                int port = ((IPEndPoint)listener.LocalEndpoint).Port;
                var watch = Stopwatch.StartNew();
                PowerShellResult result = _session.Run("Test-HttpsEndpoint 127.0.0.1 -Port $args[0] -TimeoutSeconds 2", port);
                watch.Stop();
                PowerShellResult quiet = _session.Run("Test-HttpsEndpoint 127.0.0.1 -Port $args[0] -TimeoutSeconds 2 -Quiet", port);

                _output.WriteLine($"silent HTTPS port, -TimeoutSeconds 2: {watch.Elapsed.TotalSeconds:0.00} s");
                Assert.Equal(new[] { "HttpsTimedOut,CertCmdlets.Commands.TestHttpsEndpointCommand" }, result.ErrorIds);
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2 + 10), $"took {watch.Elapsed.TotalSeconds:0.0} s for -TimeoutSeconds 2");
                Assert.Equal(new object[] { false }, quiet.Output.Select(o => o.BaseObject));
            }
            finally
            {
                stop.Cancel();
                listener.Stop();
                foreach (TcpClient client in accepted)
                {
                    client.Dispose();
                }
            }
        }

        private PowerShellResult Within(string command, params object[] arguments)
        {
            Task<PowerShellResult> call = Task.Run(() => _session.Run(command, arguments));
            Assert.True(call.Wait(s_hangGuard), $"'{command}' did not return within {s_hangGuard.TotalSeconds} s");
            return call.Result;
        }

        private static void Run(string program, params string[] arguments)
        {
            using Process process = Process.Start(new ProcessStartInfo(program, arguments) { UseShellExecute = false })!;
            process.WaitForExit();
            Assert.Equal(0, process.ExitCode);
        }
    }
}
