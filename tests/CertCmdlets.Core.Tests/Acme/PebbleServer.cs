using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using CertCmdlets.Core.Acme;
using CertCmdlets.Core.Certificates;
using CertCmdlets.Core.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Core.Tests.Acme
{
    /// <summary>
    /// A test that needs Debian's pebble and pebble-challtestsrv (package 'pebble'). Skipped with the reason without
    /// them, except under CI=true, where it runs and fails: a missing peer never passes silently in CI.
    /// </summary>
    public sealed class PebbleFactAttribute : FactAttribute
    {
        public PebbleFactAttribute()
        {
            if (!PebbleServer.IsAvailable && !OpenSsl.IsCi)
            {
                Skip = PebbleServer.SkipReason;
            }
        }
    }

    /// <summary>How a pebble instance is started.</summary>
    public sealed class PebbleOptions
    {
        /// <summary>Require External Account Binding, with pebble's example keys (kid-1, kid-2).</summary>
        public bool RequireExternalAccount { get; set; }

        /// <summary>Percentage of good nonces pebble refuses as bad (PEBBLE_WFE_NONCEREJECT).</summary>
        public int NonceRejectPercent { get; set; }

        /// <summary>Alternate chains (PEBBLE_ALTERNATE_ROOTS).</summary>
        public int AlternateRoots { get; set; }

        /// <summary>The port pebble validates HTTP-01 on; a free one when 0.</summary>
        public int HttpPort { get; set; }
    }

    /// <summary>
    /// Let's Encrypt's test CA, as Debian ships it, started for one test class on free ports of 127.0.0.1 and stopped at
    /// the end: pebble with a TLS certificate made here (Debian ships none; it is trusted through
    /// <see cref="TrustedRoots"/>, as users do with -TrustedRootPath), validation sleeps off, authorization reuse off
    /// (every order is validated), HTTP-01 checked on <see cref="HttpPort"/>, names resolved by pebble-challtestsrv,
    /// whose management API adds A records and TXT records. Every name resolves to 127.0.0.1 unless told otherwise.
    /// </summary>
    public sealed class PebbleServer : IDisposable
    {
        public const string Program = "/usr/bin/pebble";
        public const string ChallengeServer = "/usr/bin/pebble-challtestsrv";
        public const string SkipReason = "pebble and pebble-challtestsrv are not installed (Debian package 'pebble'); with CI=true this test runs and fails instead.";

        /// <summary>pebble's example External Account Binding keys (test/config/pebble-config-external-account-bindings.json).</summary>
        public static readonly IReadOnlyDictionary<string, string> ExampleMacKeys = new Dictionary<string, string>
        {
            ["kid-1"] = "zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W",
            ["kid-2"] = "b10lLJs8l1GPIzsLP0s6pMt8O0XVGnfTaCeROxQM0BIt2XrJMDHJZBM5NuQmQJQH",
        };

        private readonly TempDirectory _folder = new TempDirectory();
        private readonly List<Process> _processes = new List<Process>();
        private readonly StringBuilder _output = new StringBuilder();
        private readonly HttpClient _http;

        public PebbleServer(PebbleOptions? options = null)
        {
            options ??= new PebbleOptions();
            int[] ports = FreePorts(5);
            AcmePort = ports[0];
            ManagementPort = ports[1];
            HttpPort = options.HttpPort != 0 ? options.HttpPort : ports[2];
            DnsPort = ports[3];
            ChallengeManagementPort = ports[4];
            TlsPort = FreePorts(1)[0];

            (string certificatePath, string keyPath) = MakeTlsCertificate();
            TrustedRoots = CertificateReader.ReadFile(certificatePath);
            TrustedRootPath = certificatePath;
            var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (m, c, ch, e) => c is not null && c.Thumbprint == TrustedRoots[0].Thumbprint };
            _http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };

            string eab = options.RequireExternalAccount
                ? ",\"externalAccountBindingRequired\":true,\"externalAccountMACKeys\":{" + string.Join(",", ExampleMacKeys.Select(k => $"\"{k.Key}\":\"{k.Value}\"")) + "}"
                : ",\"externalAccountBindingRequired\":false";
            string config = _folder.WriteText("pebble.json",
                "{\"pebble\":{" +
                $"\"listenAddress\":\"127.0.0.1:{AcmePort}\",\"managementListenAddress\":\"127.0.0.1:{ManagementPort}\"," +
                $"\"certificate\":\"{certificatePath}\",\"privateKey\":\"{keyPath}\"," +
                $"\"httpPort\":{HttpPort},\"tlsPort\":{TlsPort},\"ocspResponderURL\":\"\"{eab}" +
                "}}");

            Start(ChallengeServer, new Dictionary<string, string>(),
                "-management", $"127.0.0.1:{ChallengeManagementPort}", "-dns01", $"127.0.0.1:{DnsPort}",
                "-http01", string.Empty, "-https01", string.Empty, "-tlsalpn01", string.Empty,
                "-defaultIPv4", "127.0.0.1", "-defaultIPv6", string.Empty);
            WaitForPort(ChallengeManagementPort);
            Start(Program, new Dictionary<string, string>
            {
                ["PEBBLE_VA_NOSLEEP"] = "1",
                ["PEBBLE_WFE_NONCEREJECT"] = options.NonceRejectPercent.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["PEBBLE_ALTERNATE_ROOTS"] = options.AlternateRoots.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["PEBBLE_AUTHZREUSE"] = "0",
            }, "-config", config, "-dnsserver", $"127.0.0.1:{DnsPort}", "-strict=false");
            WaitForPort(AcmePort);
            WaitForPort(ManagementPort);
        }

        public static bool IsAvailable => File.Exists(Program) && File.Exists(ChallengeServer);

        public int AcmePort { get; }

        public int ManagementPort { get; }

        /// <summary>The port pebble connects to for HTTP-01.</summary>
        public int HttpPort { get; }

        public int TlsPort { get; }

        /// <summary>challtestsrv's DNS server (what pebble resolves names with; also a resolver for -DnsResolver).</summary>
        public int DnsPort { get; }

        public int ChallengeManagementPort { get; }

        public string DirectoryUrl => $"https://127.0.0.1:{AcmePort}/dir";

        /// <summary>The self-signed certificate of pebble's listener, to trust.</summary>
        public IReadOnlyList<CertificateInfo> TrustedRoots { get; }

        public string TrustedRootPath { get; }

        /// <summary>What pebble and challtestsrv printed, for failure messages.</summary>
        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        /// <summary>Connection options for the module, with a state folder of the test's own.</summary>
        public AcmeConnectionOptions Connection(string stateDirectory) => new AcmeConnectionOptions
        {
            Directory = DirectoryUrl,
            StateDirectory = stateDirectory,
            TrustedRoots = TrustedRoots,
            RequestTimeout = TimeSpan.FromSeconds(20),
            OperationTimeout = TimeSpan.FromSeconds(60),
            FirstPollInterval = TimeSpan.FromMilliseconds(100),
        };

        /// <summary>A management resource (roots/0, intermediates/1, cert-status-by-serial/...) as text.</summary>
        public string Management(string path) => _http.GetStringAsync($"https://127.0.0.1:{ManagementPort}/{path}").GetAwaiter().GetResult();

        /// <summary>Posts JSON to challtestsrv's management API (add-a, set-txt, clear-txt...).</summary>
        public void ChallengeServerPost(string path, string json)
        {
            using var content = new StringContent(json, Encoding.UTF8, "application/json");
            using HttpResponseMessage response = _http.PostAsync($"http://127.0.0.1:{ChallengeManagementPort}/{path}", content).GetAwaiter().GetResult();
            Assert.True(response.IsSuccessStatusCode, $"challtestsrv {path} {json}: HTTP {(int)response.StatusCode}");
        }

        /// <summary>Makes <paramref name="host"/> resolve to <paramref name="address"/> for pebble.</summary>
        public void AddARecord(string host, string address) => ChallengeServerPost("add-a", $"{{\"host\":\"{host}\",\"addresses\":[\"{address}\"]}}");

        /// <summary>The common name of root number <paramref name="index"/> (0 the default chain's, 1.. the alternates').</summary>
        public string RootCommonName(int index)
        {
            CertificateInfo root = CertificateReader.ParseText(Management($"roots/{index}"), "pebble root")[0];
            return root.CommonName!;
        }

        public void Dispose()
        {
            foreach (Process process in _processes)
            {
                try
                {
                    if (!process.HasExited)
                    {
                        process.Kill(entireProcessTree: true);
                        process.WaitForExit(10_000);
                    }
                }
                catch (InvalidOperationException)
                {
                }

                process.Dispose();
            }

            _http.Dispose();
            _folder.Dispose();
        }

        /// <summary>Distinct free TCP ports of 127.0.0.1, all held until every one is known.</summary>
        public static int[] FreePorts(int count)
        {
            var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
            try
            {
                listeners.ForEach(l => l.Start());
                return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
            }
            finally
            {
                listeners.ForEach(l => l.Stop());
            }
        }

        private (string Certificate, string Key) MakeTlsCertificate()
        {
            using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=pebble test listener", key, HashAlgorithmName.SHA256);
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            names.AddDnsName("localhost");
            request.CertificateExtensions.Add(names.Build());
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(2));
            string certificatePath = _folder.WriteText("pebble-tls.pem", certificate.ExportCertificatePem() + "\n");
            string keyPath = _folder.WriteText("pebble-tls.key", key.ExportPkcs8PrivateKeyPem() + "\n");
            return (certificatePath, keyPath);
        }

        private void Start(string program, Dictionary<string, string> environment, params string[] arguments)
        {
            var start = new ProcessStartInfo(program)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = _folder.Path,
            };
            foreach (string argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            foreach (KeyValuePair<string, string> variable in environment)
            {
                start.Environment[variable.Key] = variable.Value;
            }

            Process process = Process.Start(start) ?? throw new InvalidOperationException(program + " could not be started.");
            process.OutputDataReceived += (s, e) => Record(e.Data);
            process.ErrorDataReceived += (s, e) => Record(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            _processes.Add(process);
        }

        private void Record(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_output)
            {
                if (_output.Length < 2_000_000)
                {
                    _output.AppendLine(line);
                }
            }
        }

        private void WaitForPort(int port)
        {
            DateTime deadline = DateTime.UtcNow.AddSeconds(30);
            while (DateTime.UtcNow < deadline)
            {
                if (_processes.Any(p => p.HasExited))
                {
                    throw new InvalidOperationException("pebble or challtestsrv exited at start:" + Environment.NewLine + Output);
                }

                using var client = new TcpClient();
                try
                {
                    client.Connect(IPAddress.Loopback, port);
                    return;
                }
                catch (SocketException)
                {
                    Thread.Sleep(50);
                }
            }

            throw new TimeoutException($"Port {port} did not open within 30 s:{Environment.NewLine}{Output}");
        }
    }
}
