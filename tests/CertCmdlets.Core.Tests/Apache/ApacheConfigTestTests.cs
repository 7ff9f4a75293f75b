using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using CertCmdlets.Core.Apache;
using CertCmdlets.Core.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Core.Tests.Apache
{
    /// <summary>
    /// Set-ApacheSsl and Enable-HttpsRedirect judged by Debian's httpd: private instances of corpus trees
    /// (ServerRoot is the temporary copy) pass "apache2 -t" before and after; a configuration that already fails
    /// is refused before any change; a change httpd rejects is rolled back byte for byte.
    /// </summary>
    /// <remarks>
    /// The trees are the repository's (tests/ApacheConfigs/debian), made runnable by <see cref="ApacheKit.DebianInstance"/>
    /// (Debian's default module set and private run/lock/log directories): debian/minimal passes the configuration
    /// test; debian/sites passes it too (mod_macro and mod_rewrite enabled) until mod_ssl is loaded, which wakes its
    /// dormant &lt;IfModule mod_ssl.c&gt; site legacy.sites.test, whose certificate file does not exist.
    /// </remarks>
    public sealed class ApacheConfigTestTests : IDisposable
    {
        private readonly TempDirectory _temp = new TempDirectory();

        public void Dispose() => _temp.Dispose();

        private string Certificates => Path.Combine(_temp.Path, "certs");

        [ApacheTheory]
        [InlineData("Modern")]
        [InlineData("Intermediate")]
        [InlineData("Old")]
        public void DefaultVhost_PassesTheConfigurationTestBeforeAndAfterSetSslAndRedirect(string profile)
        {
            string apache2 = ApacheKit.DebianInstance(_temp.Path, "debian/minimal");
            string main = Path.Combine(apache2, "apache2.conf");
            ApacheTestRun before = ApacheHttpd.ConfigTest(apache2, main);
            Assert.True(before.Ok, before.ToString());
            const string serverName = "default.minimal.test";
            CertificateInfo certificate = ApacheKit.Certificate(Certificates, serverName);
            ApacheSslOptions ssl = SslOptions(apache2, serverName, certificate);
            ssl.TlsProfile = profile;
            ssl.Hsts = true;

            ApacheChangeResult result = ApacheConfigurator.SetSsl(ssl, ApacheKit.Yes, new RecordingLog())!;
            ApacheChangeResult redirect = ApacheConfigurator.EnableRedirect(RedirectOptions(apache2, serverName), ApacheKit.Yes, new RecordingLog())!;

            Assert.True(result.Changed);
            Assert.Contains("Syntax OK", result.ConfigTest, StringComparison.Ordinal);
            Assert.True(redirect.Changed);
            Assert.Contains("Syntax OK", redirect.ConfigTest, StringComparison.Ordinal);
            ApacheTestRun after = ApacheHttpd.ConfigTest(apache2, main);
            Assert.True(after.Ok, after + Environment.NewLine + result.Diff + redirect.Diff);
            TreeSnapshot configured = TreeSnapshot.Take(apache2);

            ApacheSslOptions again = SslOptions(apache2, serverName, certificate);
            again.TlsProfile = profile;
            again.Hsts = true;
            Assert.False(ApacheConfigurator.SetSsl(again, ApacheKit.Yes, new RecordingLog())!.Changed);
            Assert.False(ApacheConfigurator.EnableRedirect(RedirectOptions(apache2, serverName), ApacheKit.Yes, new RecordingLog())!.Changed);
            Assert.Empty(configured.Differences(TreeSnapshot.Take(apache2)));
        }

        /// <summary>
        /// The corpus files httpd rejects, each with whether enabling mod_ssl (what Set-ApacheSsl does) makes httpd accept
        /// it: missing-double-quote-1724.conf only fails because its SSL directives need mod_ssl.
        /// </summary>
        public static TheoryData<string, bool> FailingFiles()
        {
            var fixedBySsl = new HashSet<string>(StringComparer.Ordinal) { "missing-double-quote-1724.conf" };
            var data = new TheoryData<string, bool>();
            foreach (string file in ApacheCorpus.FailingFiles())
            {
                data.Add(file, fixedBySsl.Contains(Path.GetFileName(file)));
            }

            return data;
        }

        [ApacheTheory]
        [MemberData(nameof(FailingFiles))]
        public void ConfigurationThatAlreadyFails_IsRefusedUnlessTheChangeMakesItPass(string failing, bool fixedByTheChange)
        {
            // One configuration test on the success path: the changed configuration is tested (before it is written);
            // only when it fails is the original tested, to say "already broken" (ApacheConfigTestFailedBefore). A
            // change that turns a failing configuration into one httpd accepts is applied.
            string apache2 = ApacheKit.DebianInstance(_temp.Path, "debian/minimal");
            File.Copy(ApacheCorpus.PathOf(failing), Path.Combine(apache2, "sites-enabled", Path.GetFileName(failing)));
            string main = Path.Combine(apache2, "apache2.conf");
            ApacheTestRun httpd = ApacheHttpd.ConfigTest(apache2, main);
            Assert.False(httpd.Ok, failing + " no longer fails httpd's configuration test: " + httpd);
            TreeSnapshot before = TreeSnapshot.Take(apache2);
            CertificateInfo certificate = ApacheKit.Certificate(Certificates, "www.example.com");

            if (fixedByTheChange)
            {
                ApacheChangeResult result = ApacheConfigurator.SetSsl(SslOptions(apache2, "www.example.com", certificate), ApacheKit.Yes, new RecordingLog())!;

                Assert.True(result.Changed);
                Assert.Contains("Syntax OK", result.ConfigTest, StringComparison.Ordinal);
                ApacheTestRun after = ApacheHttpd.ConfigTest(apache2, main);
                Assert.True(after.Ok, after.ToString());
                return;
            }

            CertCmdletsException error = CoreAssert.Throws("ApacheConfigTestFailedBefore", () => ApacheConfigurator.SetSsl(SslOptions(apache2, "www.example.com", certificate), ApacheKit.Yes, new RecordingLog()));

            Assert.Contains(httpd.Output.Split('\n').Last(l => l.Trim().Length > 0).Trim(), error.Message, StringComparison.Ordinal);
            Assert.Empty(before.Differences(TreeSnapshot.Take(apache2)));
            Assert.False(Directory.Exists(Path.Combine(apache2, TreeSnapshot.BackupDirectoryName)));
        }

        [ApacheFact]
        public void ChangeThatHttpdRejects_IsRolledBackByteForByte()
        {
            // Loading mod_ssl wakes debian/sites' dormant <IfModule mod_ssl.c> site legacy.sites.test, whose
            // SSLCertificateFile does not exist: httpd rejects the result.
            string apache2 = SitesInstance();
            string main = Path.Combine(apache2, "apache2.conf");
            ApacheTestRun httpdBefore = ApacheHttpd.ConfigTest(apache2, main);
            Assert.True(httpdBefore.Ok, httpdBefore.ToString());
            TreeSnapshot before = TreeSnapshot.Take(apache2);
            CertificateInfo certificate = ApacheKit.Certificate(Certificates, "shop.sites.test", "www.shop.sites.test");

            CertCmdletsException error = CoreAssert.Throws("ApacheConfigTestFailed", () => ApacheConfigurator.SetSsl(SslOptions(apache2, "shop.sites.test", certificate), ApacheKit.Yes, new RecordingLog()));

            Assert.Contains("SSLCertificateFile", error.Message, StringComparison.Ordinal);
            Assert.Contains("restored", error.Message, StringComparison.Ordinal);
            Assert.Empty(before.Differences(TreeSnapshot.Take(apache2)));
            Assert.False(File.Exists(Path.Combine(apache2, "sites-available", "shop.sites.test-ssl.conf")));
            Assert.False(Directory.Exists(Path.Combine(apache2, TreeSnapshot.BackupDirectoryName)), "A rolled-back change left its backups behind.");
            ApacheTestRun httpdAfter = ApacheHttpd.ConfigTest(apache2, main);
            Assert.True(httpdAfter.Ok, httpdAfter.ToString());
        }

        [ApacheFact]
        public void ChangeThatHttpdRejects_RollbackKeepsALinkTheEditWentThrough()
        {
            // secure.sites.test's :443 VirtualHost is read through sites-enabled/secure.conf, a link to
            // ../sites-available/secure.conf. After the rollback that link must still be a link.
            string apache2 = SitesInstance();
            TreeSnapshot before = TreeSnapshot.Take(apache2);
            CertificateInfo certificate = ApacheKit.Certificate(Certificates, "secure.sites.test");

            CoreAssert.Throws("ApacheConfigTestFailed", () => ApacheConfigurator.SetSsl(SslOptions(apache2, "secure.sites.test", certificate), ApacheKit.Yes, new RecordingLog()));

            IReadOnlyList<string> differences = before.Differences(TreeSnapshot.Take(apache2));
            Assert.True(differences.Count == 0, "The rollback did not restore the tree:" + Environment.NewLine + string.Join(Environment.NewLine, differences));
        }

        [ApacheFact]
        public void RealHttpd_RunsOneTestPerChange_OfTheCandidate_TheLiveOneOnlyWhenItFails_AndIsAskedItsVersionOnce()
        {
            // The real apache2 behind a wrapper that records each call. Two changes that pass: one "-t" each, of the
            // candidate (never the live main file, which only changes after the test). One change httpd rejects: the
            // candidate and then the live configuration, to tell "broken by this change" from "already broken". Over
            // all three runs in this process, "-v" and "-l" are asked once: the answers are kept per program file.
            string calls = Path.Combine(_temp.Path, "httpd-calls");
            string wrapper = ApacheEngineKit.Script(Path.Combine(_temp.Path, "bin", "apache2"), $"echo \"$@\" >> '{calls}'\nexec {ApacheHttpd.Executable} \"$@\"");
            string apache2 = ApacheKit.DebianInstance(Path.Combine(_temp.Path, "ok"), "debian/minimal");
            string main = Path.Combine(apache2, "apache2.conf");
            const string serverName = "www.example.test";
            CertificateInfo certificate = ApacheKit.Certificate(Certificates, serverName);
            ApacheSslOptions ssl = SslOptions(apache2, serverName, certificate);
            ssl.HttpdPath = wrapper;
            ApacheRedirectOptions redirect = RedirectOptions(apache2, serverName);
            redirect.HttpdPath = wrapper;

            Assert.True(ApacheConfigurator.SetSsl(ssl, ApacheKit.Yes, new RecordingLog())!.Changed);
            Assert.True(ApacheConfigurator.EnableRedirect(redirect, ApacheKit.Yes, new RecordingLog())!.Changed);

            List<string[]> tests = ConfigTests(calls);
            Assert.Equal(2, tests.Count);
            Assert.All(tests, t => Assert.Contains(Path.DirectorySeparatorChar + ApacheEngineKit.TransactionPrefix, MainFileOf(t), StringComparison.Ordinal));
            ApacheTestRun after = ApacheHttpd.ConfigTest(apache2, main);
            Assert.True(after.Ok, after.ToString());
            string[] asked = File.ReadAllLines(calls);
            Assert.Single(asked, a => a == "-l");
            Assert.True(asked.Count(a => a == "-v") <= 1, "httpd -v ran more than once: " + string.Join(" | ", asked));

            // As in ChangeThatHttpdRejects_IsRolledBackByteForByte: loading mod_ssl wakes a site whose certificate file is missing.
            string rejecting = SitesInstance();
            TreeSnapshot before = TreeSnapshot.Take(rejecting);
            CertificateInfo shop = ApacheKit.Certificate(Path.Combine(Certificates, "shop"), "shop.sites.test", "www.shop.sites.test");
            ApacheSslOptions rejected = SslOptions(rejecting, "shop.sites.test", shop);
            rejected.HttpdPath = wrapper;
            File.Delete(calls);

            CoreAssert.Throws("ApacheConfigTestFailed", () => ApacheConfigurator.SetSsl(rejected, ApacheKit.Yes, new RecordingLog()));

            tests = ConfigTests(calls);
            Assert.Equal(2, tests.Count);
            Assert.Contains(Path.DirectorySeparatorChar + ApacheEngineKit.TransactionPrefix, MainFileOf(tests[0]), StringComparison.Ordinal);
            Assert.Equal(Path.Combine(rejecting, "apache2.conf"), MainFileOf(tests[1]));
            Assert.Empty(before.Differences(TreeSnapshot.Take(rejecting)));
            asked = File.ReadAllLines(calls);
            Assert.DoesNotContain("-v", asked);
            Assert.DoesNotContain("-l", asked);
        }

        [ApacheFact]
        public void SingleFile_LoadsModSslFromTheSameDirectory_AndPassesTheConfigurationTest()
        {
            string root = Path.Combine(_temp.Path, "single");
            string main = SingleFileInstance(root, "www.example.com");
            CertificateInfo certificate = ApacheKit.Certificate(Certificates, "www.example.com");
            ApacheSslOptions options = SslOptions(root, "www.example.com", certificate);
            options.Port = 18443;

            ApacheChangeResult result = ApacheConfigurator.SetSsl(options, ApacheKit.Yes, new RecordingLog())!;

            Assert.Contains("Syntax OK", result.ConfigTest, StringComparison.Ordinal);
            List<string> lines = File.ReadAllLines(main).ToList();
            int ssl = lines.IndexOf("LoadModule ssl_module /usr/lib/apache2/modules/mod_ssl.so");
            Assert.True(ssl > 0, string.Join(Environment.NewLine, lines));
            Assert.StartsWith("LoadModule authz_core_module ", lines[ssl - 1], StringComparison.Ordinal);
            Assert.Equal(lines.IndexOf("Listen 127.0.0.1:18080") + 1, lines.IndexOf("Listen 18443 https"));
            Assert.Single(lines, l => l.StartsWith("Listen ", StringComparison.Ordinal) && l.Contains("18443", StringComparison.Ordinal));
            ApacheTestRun httpd = ApacheHttpd.ConfigTest(root, main);
            Assert.True(httpd.Ok, httpd.ToString());
        }

        [ApacheFact]
        public void SingleFile_CertificateWithOcspResponder_PassesTheConfigurationTest()
        {
            // SSLStaplingCache shmcb:... needs mod_socache_shmcb; Debian's ssl.load pulls it in, a one-file
            // configuration only has what its LoadModule lines say.
            string root = Path.Combine(_temp.Path, "single");
            string main = SingleFileInstance(root, "ocsp.example.com");
            (string certificateFile, string keyFile) = ApacheKit.OcspCertificate(Certificates, "ocsp.example.com");
            TreeSnapshot before = TreeSnapshot.Take(root);
            var options = new ApacheSslOptions { ConfigPath = root, ServerRoot = root, ServerName = "ocsp.example.com", Port = 18443, CertificateFile = certificateFile, KeyFile = keyFile, HttpdPath = ApacheHttpd.Executable };

            Exception? error = Record.Exception(() => ApacheConfigurator.SetSsl(options, ApacheKit.Yes, new RecordingLog()));

            Assert.True(error is null, "Set-ApacheSsl failed: " + error?.Message);
            ApacheTestRun httpd = ApacheHttpd.ConfigTest(root, main);
            Assert.True(httpd.Ok, httpd.ToString());
            Assert.Equal(new[] { "on" }, ApacheKit.Single(ApacheKit.VirtualHost(main, "ocsp.example.com", 18443), "SSLUseStapling"));
            Assert.NotEmpty(before.Differences(TreeSnapshot.Take(root)));
        }

        [ApacheFact]
        public void EnvvarsAreHonoured_ThePrivateInstanceNeverTouchesVarLock()
        {
            // The instance's envvars point APACHE_LOCK_DIR into the temporary directory; the editor's own envvars
            // reader must hand that to httpd, or "Invalid Mutex directory" fails the test.
            string apache2 = ApacheKit.DebianInstance(_temp.Path, "debian/minimal");
            string envvars = File.ReadAllText(Path.Combine(apache2, "envvars"));
            Assert.Contains("export APACHE_LOCK_DIR=" + Path.Combine(_temp.Path, "var", "lock"), envvars, StringComparison.Ordinal);
            CertificateInfo certificate = ApacheKit.Certificate(Certificates, "www.example.com");

            ApacheChangeResult result = ApacheConfigurator.SetSsl(SslOptions(apache2, "www.example.com", certificate), ApacheKit.Yes, new RecordingLog())!;

            Assert.Contains("Syntax OK", result.ConfigTest, StringComparison.Ordinal);
            Assert.DoesNotContain("Mutex", result.ConfigTest, StringComparison.Ordinal);
        }

        [ApacheFact]
        public void SingleFile_OnLoopback_ServesTheCertificateAndRedirectsPlainHttp()
        {
            // The real thing: httpd started on two free loopback ports after Set-ApacheSsl and Enable-HttpsRedirect,
            // asked for the certificate over TLS (SNI) and for a page over plain HTTP, then stopped.
            int httpPort = FreePort();
            int httpsPort = FreePort();
            string root = Path.Combine(_temp.Path, "serve");
            Directory.CreateDirectory(Path.Combine(root, "htdocs"));
            string main = Path.Combine(root, "httpd.conf");
            var lines = new List<string>
            {
                $"ServerRoot \"{root}\"",
                "LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so",
                "LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so",
                $"Mutex file:{root} default",
                $"PidFile {root}/httpd.pid",
                $"ErrorLog {root}/error.log",
                "ServerName localhost",
                $"Listen 127.0.0.1:{httpPort}",
                $"<VirtualHost 127.0.0.1:{httpPort}>",
                "    ServerName www.example.com",
                $"    DocumentRoot {root}/htdocs",
                "</VirtualHost>",
            };
            if (UnixNonRootFactAttribute.IsRoot && File.ReadAllText("/etc/passwd").Contains("\nwww-data:", StringComparison.Ordinal))
            {
                lines.Insert(3, "User www-data");
                lines.Insert(4, "Group www-data");
            }

            File.WriteAllText(main, string.Join("\n", lines) + "\n");
            CertificateInfo certificate = ApacheKit.Certificate(Certificates, "www.example.com");
            ApacheSslOptions ssl = SslOptions(root, "www.example.com", certificate);
            ssl.Port = httpsPort;
            ssl.ListenAddress = "127.0.0.1";
            var redirect = new ApacheRedirectOptions { ConfigPath = root, ServerRoot = root, ServerName = "www.example.com", HttpPort = httpPort, HttpsPort = httpsPort, ListenAddress = "127.0.0.1", HttpdPath = ApacheHttpd.Executable };

            Assert.True(ApacheConfigurator.SetSsl(ssl, ApacheKit.Yes, new RecordingLog())!.Changed);
            Assert.True(ApacheConfigurator.EnableRedirect(redirect, ApacheKit.Yes, new RecordingLog())!.Changed);

            RunHttpd(root, main, "start");
            try
            {
                X509Certificate2 served = ServedCertificate(httpsPort, "www.example.com", root);
                Assert.Equal(certificate.Thumbprint, served.Thumbprint);

                using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(10) };
                using var page = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{httpPort}/shop/item?id=7");
                page.Headers.Host = "www.example.com";
                using HttpResponseMessage moved = client.Send(page);
                Assert.Equal(HttpStatusCode.MovedPermanently, moved.StatusCode);
                Assert.Equal($"https://www.example.com:{httpsPort}/shop/item?id=7", moved.Headers.Location!.OriginalString);

                using var challenge = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{httpPort}/.well-known/acme-challenge/token");
                challenge.Headers.Host = "www.example.com";
                using HttpResponseMessage acme = client.Send(challenge);
                Assert.Equal(HttpStatusCode.NotFound, acme.StatusCode);
            }
            finally
            {
                StopHttpd(root, main);
            }
        }

        private static int FreePort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }

        private static void RunHttpd(string root, string main, string signal)
        {
            var start = new System.Diagnostics.ProcessStartInfo(ApacheHttpd.Executable) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string argument in new[] { "-k", signal, "-d", root, "-f", main })
            {
                start.ArgumentList.Add(argument);
            }

            using System.Diagnostics.Process process = System.Diagnostics.Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            Assert.True(process.WaitForExit(30_000), "apache2 -k " + signal + " did not return.");
            string log = File.Exists(Path.Combine(root, "error.log")) ? File.ReadAllText(Path.Combine(root, "error.log")) : string.Empty;
            Assert.True(process.ExitCode == 0, $"apache2 -k {signal} exited {process.ExitCode}: {output}{Environment.NewLine}{log}");
        }

        /// <summary>Stops the instance this test started (by its own pid file), waiting for the process to go.</summary>
        private static void StopHttpd(string root, string main)
        {
            string pidFile = Path.Combine(root, "httpd.pid");
            if (!File.Exists(pidFile))
            {
                return;
            }

            int pid = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            RunHttpd(root, main, "stop");
            try
            {
                using System.Diagnostics.Process process = System.Diagnostics.Process.GetProcessById(pid);
                if (!process.WaitForExit(10_000))
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            catch (ArgumentException)
            {
                // Already gone.
            }
        }

        private static X509Certificate2 ServedCertificate(int port, string serverName, string root)
        {
            DateTime deadline = DateTime.UtcNow.AddSeconds(10);
            while (true)
            {
                try
                {
                    using var tcp = new TcpClient();
                    tcp.Connect(IPAddress.Loopback, port);
                    X509Certificate? presented = null;
                    using var tls = new SslStream(tcp.GetStream(), false, (_, certificate, _, _) =>
                    {
                        presented = certificate;
                        return true;
                    });
                    tls.AuthenticateAsClient(new SslClientAuthenticationOptions { TargetHost = serverName });
                    return new X509Certificate2(presented!);
                }
                catch (Exception ex) when ((ex is SocketException || ex is IOException) && DateTime.UtcNow < deadline)
                {
                    System.Threading.Thread.Sleep(100);
                }
                catch (Exception ex) when (ex is SocketException || ex is IOException)
                {
                    string log = File.Exists(Path.Combine(root, "error.log")) ? File.ReadAllText(Path.Combine(root, "error.log")) : "(no error.log)";
                    throw new Xunit.Sdk.XunitException($"No TLS on 127.0.0.1:{port}: {ex.Message}{Environment.NewLine}{log}");
                }
            }
        }

        /// <summary>debian/sites as a private instance (its tree enables mod_macro and mod_rewrite, which apache2 ships).</summary>
        private string SitesInstance() => ApacheKit.DebianInstance(_temp.Path, "debian/sites");

        /// <summary>The recorded httpd calls that were configuration tests ("-t", not the module questions "-t -D DUMP_MODULES"), each as its arguments.</summary>
        private static List<string[]> ConfigTests(string calls) =>
            File.ReadAllLines(calls).Select(l => l.Split(' ')).Where(a => a.Contains("-t") && !a.Contains("DUMP_MODULES")).ToList();

        private static string MainFileOf(string[] arguments) => arguments[Array.IndexOf(arguments, "-f") + 1];

        /// <summary>A one-file private httpd: MPM and authz_core from Debian's module directory, no mod_ssl yet.</summary>
        private static string SingleFileInstance(string root, string serverName)
        {
            Directory.CreateDirectory(root);
            string main = Path.Combine(root, "httpd.conf");
            File.WriteAllText(main, ApacheKit.Text(
                $"ServerRoot \"{root}\"",
                "LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so",
                "LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so",
                $"Mutex file:{root} default",
                $"PidFile {root}/httpd.pid",
                $"ErrorLog {root}/error.log",
                "ServerName localhost",
                "Listen 127.0.0.1:18080",
                "<VirtualHost *:18080>",
                "    ServerName " + serverName,
                "    DocumentRoot " + root,
                "</VirtualHost>"));
            return main;
        }

        private static ApacheSslOptions SslOptions(string configPath, string serverName, CertificateInfo certificate)
        {
            ApacheSslOptions options = ApacheKit.SslOptions(configPath, serverName, certificate, ApacheHttpd.Executable);
            options.ServerRoot = configPath;
            return options;
        }

        private static ApacheRedirectOptions RedirectOptions(string apache2, string serverName) =>
            new ApacheRedirectOptions { ConfigPath = apache2, ServerRoot = apache2, ServerName = serverName, HttpdPath = ApacheHttpd.Executable };
    }
}
