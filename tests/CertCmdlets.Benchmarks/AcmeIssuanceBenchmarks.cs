using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using CertCmdlets.Core;
using CertCmdlets.Core.Acme;
using CertCmdlets.Core.Certificates;
using CertCmdlets.Core.Requests;

namespace CertCmdlets.Benchmarks
{
    /// <summary>An issuance is seconds of work: one per iteration, few iterations.</summary>
    public sealed class AcmeConfig : ManualConfig
    {
        public AcmeConfig()
        {
            AddJob(Job.Default
                .WithId("Acme")
                .WithWarmupCount(1)
                .WithIterationCount(7)
                .WithInvocationCount(1)
                .WithUnrollFactor(1));

            // The machine is shared: building the generated project may take longer than the default two minutes.
            WithBuildTimeout(TimeSpan.FromMinutes(15));
        }
    }

    /// <summary>
    /// From a request to an issued certificate against Debian's pebble (validation sleeps off, no authorization reuse, no
    /// refused nonces), HTTP-01 through a web root that one small web server of this process serves, side by side with
    /// Debian's certbot (certbot certonly --webroot, the same pebble, web root and key type, its own folders) in the same
    /// run. Each iteration orders new names (every name resolves to 127.0.0.1 through pebble-challtestsrv), with an
    /// account made once beforehand on both sides. Ours is one AcmeSession per certificate, as one cmdlet run; certbot is
    /// one process per certificate, as a script runs it ("certbot --version" measures its start-up alone). Names: 1, 10
    /// and 100 per certificate, to see the cost grow linearly. Needs pebble, pebble-challtestsrv and certbot.
    /// </summary>
    [Config(typeof(AcmeConfig))]
    [MedianColumn]
    [MeanColumn]
    public class AcmeIssuanceBenchmarks
    {
        private readonly List<Process> _processes = new List<Process>();
        private string _folder = string.Empty;
        private string _webRoot = string.Empty;
        private string _tlsCertificate = string.Empty;
        private string _directory = string.Empty;
        private WebRootServer? _web;
        private IReadOnlyList<CertificateInfo> _trusted = Array.Empty<CertificateInfo>();
        private string[] _names = Array.Empty<string>();
        private int _round;

        [Params(1, 10, 100)]
        public int Names { get; set; }

        [GlobalSetup]
        public void Setup()
        {
            foreach (string program in new[] { "/usr/bin/pebble", "/usr/bin/pebble-challtestsrv", "/usr/bin/certbot" })
            {
                if (!File.Exists(program))
                {
                    throw new InvalidOperationException(program + " is missing: install the Debian packages pebble and certbot.");
                }
            }

            _folder = Path.Combine(Path.GetTempPath(), "certcmdlets-bench-acme-" + Guid.NewGuid().ToString("N"));
            _webRoot = Directory.CreateDirectory(Path.Combine(_folder, "www")).FullName;
            int[] ports = FreePorts(6);
            _tlsCertificate = TlsCertificate(out string tlsKey);
            _trusted = CertificateReader.ReadFile(_tlsCertificate);
            string config = Path.Combine(_folder, "pebble.json");
            File.WriteAllText(config, "{\"pebble\":{" +
                $"\"listenAddress\":\"127.0.0.1:{ports[0]}\",\"managementListenAddress\":\"127.0.0.1:{ports[1]}\"," +
                $"\"certificate\":\"{_tlsCertificate}\",\"privateKey\":\"{tlsKey}\",\"httpPort\":{ports[2]},\"tlsPort\":{ports[3]},\"externalAccountBindingRequired\":false}}}}");
            Start("/usr/bin/pebble-challtestsrv", new Dictionary<string, string>(), "-management", $"127.0.0.1:{ports[4]}", "-dns01", $"127.0.0.1:{ports[5]}", "-http01", string.Empty, "-https01", string.Empty, "-tlsalpn01", string.Empty, "-defaultIPv6", string.Empty);
            WaitFor(ports[4]);
            Start("/usr/bin/pebble", new Dictionary<string, string> { ["PEBBLE_VA_NOSLEEP"] = "1", ["PEBBLE_WFE_NONCEREJECT"] = "0", ["PEBBLE_AUTHZREUSE"] = "0" }, "-config", config, "-dnsserver", $"127.0.0.1:{ports[5]}", "-strict=false");
            WaitFor(ports[0]);
            _directory = $"https://127.0.0.1:{ports[0]}/dir";
            _web = new WebRootServer(_webRoot, ports[2]);

            using (var session = new AcmeSession(Connection(), NullCoreLog.Instance, CancellationToken.None))
            {
                session.NewAccount(new AcmeNewAccountOptions { AcceptTermsOfService = true });
            }

            Certbot("register", "--agree-tos", "-m", "bench@example.com", "--no-eff-email");
        }

        [GlobalCleanup]
        public void Cleanup()
        {
            _web?.Dispose();
            foreach (Process process in _processes)
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(10_000);
                }

                process.Dispose();
            }

            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        [IterationSetup]
        public void NewNames()
        {
            _round++;
            string tag = Guid.NewGuid().ToString("N").Substring(0, 8);
            _names = Enumerable.Range(0, Names).Select(i => $"n{i}-{tag}.bench.example").ToArray();
        }

        [Benchmark(Baseline = true, Description = "CertCmdlets: New-CertRequest (P-256) + Request-AcmeCertificate -WebRoot (core)")]
        public CertificateInfo CertCmdlets()
        {
            var options = new CertificateRequestOptions { CommonName = _names[0], KeyAlgorithm = "ECDSA" };
            foreach (string name in _names.Skip(1))
            {
                options.DnsNames.Add(name);
            }

            CertificateRequestInfo request = CertificateRequestBuilder.CreateRequest(options, NullCoreLog.Instance);
            using var session = new AcmeSession(Connection(), NullCoreLog.Instance, CancellationToken.None);
            var order = new AcmeOrderOptions();
            order.Challenge.WebRoot = _webRoot;
            return session.RequestCertificate(request, order);
        }

        [Benchmark(Description = "certbot certonly --webroot (ECDSA P-256), one process")]
        public int Certbot()
        {
            var arguments = new List<string> { "certonly", "--webroot", "-w", _webRoot, "--key-type", "ecdsa", "--cert-name", "bench-" + _round + "-" + _names[0] };
            foreach (string name in _names)
            {
                arguments.Add("-d");
                arguments.Add(name);
            }

            return Certbot(arguments.ToArray());
        }

        [Benchmark(Description = "certbot --version (its start-up alone)")]
        public int CertbotStartup() => Run("/usr/bin/certbot", new[] { "--version" }, new Dictionary<string, string>());

        private AcmeConnectionOptions Connection() => new AcmeConnectionOptions
        {
            Directory = _directory,
            StateDirectory = Path.Combine(_folder, "acme-state"),
            TrustedRoots = _trusted,
        };

        private int Certbot(params string[] arguments)
        {
            var all = new List<string>(arguments)
            {
                "--server", _directory, "--config-dir", Path.Combine(_folder, "certbot", "config"), "--work-dir", Path.Combine(_folder, "certbot", "work"),
                "--logs-dir", Path.Combine(_folder, "certbot", "logs"), "--non-interactive",
            };
            int code = Run("/usr/bin/certbot", all, new Dictionary<string, string> { ["REQUESTS_CA_BUNDLE"] = _tlsCertificate });
            if (code != 0)
            {
                throw new InvalidOperationException($"certbot {string.Join(' ', arguments.Take(2))} exited {code}; see {Path.Combine(_folder, "certbot", "logs")}.");
            }

            return code;
        }

        private static int Run(string program, IEnumerable<string> arguments, Dictionary<string, string> environment)
        {
            var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            foreach (KeyValuePair<string, string> variable in environment)
            {
                start.Environment[variable.Key] = variable.Value;
            }

            using Process process = Process.Start(start) ?? throw new InvalidOperationException(program + " did not start.");
            Task<string> error = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            _ = error.Result;
            return process.ExitCode;
        }

        private void Start(string program, Dictionary<string, string> environment, params string[] arguments)
        {
            var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _folder };
            foreach (string argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            foreach (KeyValuePair<string, string> variable in environment)
            {
                start.Environment[variable.Key] = variable.Value;
            }

            Process process = Process.Start(start) ?? throw new InvalidOperationException(program + " did not start.");
            process.OutputDataReceived += (s, e) => { };
            process.ErrorDataReceived += (s, e) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            _processes.Add(process);
        }

        private string TlsCertificate(out string keyPath)
        {
            using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=pebble bench listener", key, HashAlgorithmName.SHA256);
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
            using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(2));
            string certificatePath = Path.Combine(_folder, "pebble-tls.pem");
            keyPath = Path.Combine(_folder, "pebble-tls.key");
            File.WriteAllText(certificatePath, certificate.ExportCertificatePem() + "\n");
            File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem() + "\n");
            return certificatePath;
        }

        private static int[] FreePorts(int count)
        {
            var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
            listeners.ForEach(l => l.Start());
            int[] ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
            listeners.ForEach(l => l.Stop());
            return ports;
        }

        private void WaitFor(int port)
        {
            DateTime deadline = DateTime.UtcNow.AddSeconds(60);
            while (DateTime.UtcNow < deadline)
            {
                using var client = new TcpClient();
                try
                {
                    client.Connect(IPAddress.Loopback, port);
                    return;
                }
                catch (SocketException)
                {
                    Thread.Sleep(100);
                }
            }

            throw new TimeoutException($"Nothing listens on 127.0.0.1:{port}.");
        }

        /// <summary>The site's web server for both clients: files under the web root, 404 otherwise.</summary>
        private sealed class WebRootServer : IDisposable
        {
            private readonly string _root;
            private readonly TcpListener _listener;
            private readonly CancellationTokenSource _stop = new CancellationTokenSource();

            public WebRootServer(string root, int port)
            {
                _root = root;
                _listener = new TcpListener(IPAddress.Loopback, port);
                _listener.Start(512);
                _ = Task.Run(Accept);
            }

            public void Dispose()
            {
                _stop.Cancel();
                _listener.Stop();
            }

            private async Task Accept()
            {
                while (!_stop.IsCancellationRequested)
                {
                    TcpClient client;
                    try
                    {
                        client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    }
                    catch (Exception ex) when (ex is OperationCanceledException || ex is SocketException || ex is ObjectDisposedException)
                    {
                        return;
                    }

                    _ = Task.Run(() => Serve(client));
                }
            }

            private async Task Serve(TcpClient client)
            {
                using (client)
                {
                    try
                    {
                        NetworkStream stream = client.GetStream();
                        var head = new StringBuilder();
                        var buffer = new byte[2048];
                        while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                        {
                            int read = await stream.ReadAsync(buffer, _stop.Token);
                            if (read == 0)
                            {
                                return;
                            }

                            head.Append(Encoding.ASCII.GetString(buffer, 0, read));
                        }

                        string path = head.ToString().Split("\r\n")[0].Split(' ')[1];
                        string file = Path.GetFullPath(Path.Combine(_root, Uri.UnescapeDataString(path).TrimStart('/')));
                        bool found = file.StartsWith(_root, StringComparison.Ordinal) && File.Exists(file);
                        byte[] body = found ? await File.ReadAllBytesAsync(file) : Encoding.ASCII.GetBytes("not found\n");
                        byte[] response = Encoding.ASCII.GetBytes($"HTTP/1.1 {(found ? "200 OK" : "404 Not Found")}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
                        await stream.WriteAsync(response, _stop.Token);
                        await stream.WriteAsync(body, _stop.Token);
                    }
                    catch (Exception ex) when (ex is IOException || ex is SocketException || ex is OperationCanceledException || ex is ObjectDisposedException || ex is IndexOutOfRangeException)
                    {
                    }
                }
            }
        }
    }
}
