using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CertCmdlets.Core.Apache;
using CertCmdlets.Core.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Core.Tests.Apache
{
    /// <summary>
    /// What Set-ApacheSsl and Enable-HttpsRedirect write, on small configurations made for each case (no httpd:
    /// HttpdPath names no file). Every expectation is read back by parsing the files the editor wrote.
    /// </summary>
    public sealed class ApacheSemanticsTests : IDisposable
    {
        private readonly TempDirectory _temp = new TempDirectory();

        public ApacheSemanticsTests()
        {
            Certificates = Path.Combine(_temp.Path, "certs");
        }

        public void Dispose() => _temp.Dispose();

        private string Certificates { get; }

        private string Config => Path.Combine(_temp.Path, "conf");

        // ---- Existing and new VirtualHosts ---------------------------------------------------------------------

        [Fact]
        public void ExistingSslVirtualHost_CertificateIsReplacedInPlace_IndentationAndNameCaseKept()
        {
            string main = ApacheKit.SingleFile(Config, ApacheKit.Text(
                ApacheKit.SslWithSessionCache,
                "Listen 443",
                "<VirtualHost *:443>",
                "  ServerName shop.example.com",
                "  DocumentRoot /srv/shop",
                "  sslcertificatefile   /etc/ssl/old/shop.pem",
                "  SSLCertificateKeyFile /etc/ssl/old/shop.key",
                "  CustomLog /var/log/apache2/shop.log combined",
                "</VirtualHost>"));
            string before = File.ReadAllText(main);
            CertificateInfo certificate = ApacheKit.Certificate(Certificates, "shop.example.com");

            ApacheChangeResult result = SetSsl(ApacheKit.SslOptions(Config, "shop.example.com", certificate, NoHttpd));

            Assert.Equal(new[] { main }, result.FilesChanged);
            List<string> lines = File.ReadAllLines(main).ToList();
            Assert.Equal("  sslcertificatefile " + certificate.FullChainPath, lines[7]);
            Assert.Equal("  SSLCertificateKeyFile " + certificate.KeyPath, lines[8]);
            Assert.Equal(before.Split('\n').Take(7), lines.Take(7));
            Assert.Equal("  CustomLog /var/log/apache2/shop.log combined", lines[9]);
            ApacheKit.OnlyOwnedLinesRemoved(main, before, File.ReadAllText(main));
            ConfigSection vhost = ApacheKit.VirtualHost(main, "shop.example.com", 443);
            Assert.Equal(new[] { "on" }, ApacheKit.Single(vhost, "SSLEngine"));
            Assert.All(vhost.Children, c => Assert.Equal("  ", c.Indent));
        }

        [Fact]
        public void VirtualHostOnlyOnPort80_GetsANewSslVirtualHostCopyingItsContent()
        {
            string main = ApacheKit.SingleFile(Config, ApacheKit.Text(
                ApacheKit.SslWithSessionCache,
                "Listen 80",
                "<VirtualHost *:80>",
                "    ServerName www.example.com",
                "    ServerAlias example.com static.example.com",
                "    ServerAdmin webmaster@example.com",
                "    DocumentRoot \"/srv/example site\"",
                "    ErrorLog /var/log/apache2/example.log",
                "</VirtualHost>"));
            string before = File.ReadAllText(main);
            CertificateInfo certificate = ApacheKit.Certificate(Certificates, "www.example.com", "example.com", "static.example.com");

            SetSsl(ApacheKit.SslOptions(Config, "www.example.com", certificate, NoHttpd));

            ApacheKit.OnlyOwnedLinesRemoved(main, before, File.ReadAllText(main));
            Assert.Equal(before.Split('\n')[4..11], File.ReadAllLines(main).Skip(5).Take(7));
            ConfigSection vhost = ApacheKit.VirtualHost(main, "www.example.com", 443);
            Assert.Equal(new[] { "*:443" }, vhost.Arguments);
            Assert.Equal(new[] { "example.com", "static.example.com" }, ApacheKit.Single(vhost, "ServerAlias"));
            Assert.Equal(new[] { "/srv/example site" }, ApacheKit.Single(vhost, "DocumentRoot"));
            Assert.Equal(new[] { "webmaster@example.com" }, ApacheKit.Single(vhost, "ServerAdmin"));
            // The whole site comes along (its logs and access rules too), so HTTPS serves what HTTP served.
            Assert.Equal(new[] { "/var/log/apache2/example.log" }, ApacheKit.Single(vhost, "ErrorLog"));
            AssertDirectiveOrder(vhost, "Intermediate");
        }

        [Fact]
        public void NewSiteFile_ListsItsDirectivesInTheEditorsOrder()
        {
            // Debian: the new VirtualHost goes to a new sites-available file. Its directives should read in the order
            // the editor wants them (ServerName, copied content, SSLEngine, certificate, key, TLS profile) - the same
            // order a VirtualHost in an existing file gets.
            string apache2 = ApacheKit.DebianTree(Path.Combine(Config, "apache2"), ApacheKit.Text("Listen 80", "Listen 443"),
                ("site.conf", ApacheKit.Text("<VirtualHost *:80>", "    ServerName www.example.com", "    DocumentRoot /srv/www", "</VirtualHost>")));
            CertificateInfo certificate = ApacheKit.Certificate(Certificates, "www.example.com");

            SetSsl(ApacheKit.SslOptions(apache2, "www.example.com", certificate, NoHttpd));

            ConfigSection vhost = ApacheKit.VirtualHost(Path.Combine(apache2, "sites-available", "www.example.com-ssl.conf"), "www.example.com", 443);
            AssertDirectiveOrder(vhost, "Intermediate");
        }

        [Fact]
        public void TwoVirtualHostsInOneFile_OnlyTheNamedOneChanges()
        {
            string main = ApacheKit.SingleFile(Config, ApacheKit.Text(
                ApacheKit.SslWithSessionCache,
                "Listen 443",
                "<VirtualHost *:443>",
                "    ServerName a.example.com",
                "    SSLEngine on",
                "    SSLCertificateFile /etc/ssl/a.pem",
                "    SSLCertificateKeyFile /etc/ssl/a.key",
                "</VirtualHost>",
                "<VirtualHost *:443>",
                "    ServerName b.example.com",
                "    SSLEngine on",
                "    SSLCertificateFile /etc/ssl/b.pem",
                "    SSLCertificateKeyFile /etc/ssl/b.key",
                "</VirtualHost>"));
            List<string> before = File.ReadAllLines(main).ToList();
            CertificateInfo certificate = ApacheKit.Certificate(Certificates, "b.example.com");

            SetSsl(ApacheKit.SslOptions(Config, "b.example.com", certificate, NoHttpd));

            List<string> after = File.ReadAllLines(main).ToList();
            Assert.Equal(before.Take(10), after.Take(10));
            ConfigSection b = ApacheKit.VirtualHost(main, "b.example.com", 443);
            Assert.Equal(10, b.FirstLine);
            Assert.Equal(new[] { certificate.FullChainPath! }, ApacheKit.Single(b, "SSLCertificateFile"));
            Assert.Equal(new[] { certificate.KeyPath! }, ApacheKit.Single(b, "SSLCertificateKeyFile"));
            ConfigSection a = ApacheKit.VirtualHost(main, "a.example.com", 443);
            Assert.Equal(new[] { "/etc/ssl/a.pem" }, ApacheKit.Single(a, "SSLCertificateFile"));
            Assert.Equal(4, a.Children.Count);
        }

        [Fact]
        public void ClosingTagsSharingALine_FromTheCorpus_NewDirectivesGoInsideTheVirtualHost()
        {
            // two-blocks-one-line.conf ends with "</VirtualHost> </IfModule>" on one line.
            string corpus = ApacheCorpus.PathOf("passing/two-blocks-one-line.conf");
            Directory.CreateDirectory(Config);
            string site = Path.Combine(Config, "two-blocks.conf");
            File.Copy(corpus, site);
            ApacheKit.SingleFile(Config, ApacheKit.Text(ApacheKit.SslWithSessionCache, "Listen 443", "Include two-blocks.conf"));
            string before = File.ReadAllText(site);
            string serverName = ApacheKit.VirtualHost(site, "shop.two-blocks.example", 443).Children.OfType<ConfigDirective>().First(d => d.Is("ServerName")).Arguments[0];
            CertificateInfo certificate = ApacheKit.Certificate(Certificates, serverName);

            ApacheChangeResult result = SetSsl(ApacheKit.SslOptions(Config, serverName, certificate, NoHttpd));

            Assert.Equal(new[] { site }, result.FilesChanged);
            string after = File.ReadAllText(site);
            ApacheKit.OnlyOwnedLinesRemoved(site, before, after);
            Assert.EndsWith("        </VirtualHost> </IfModule>\n", after, StringComparison.Ordinal);
            ConfigSection vhost = ApacheKit.VirtualHost(site, serverName, 443);
            Assert.True(vhost.Parent!.Is("IfModule"));
            Assert.Equal(new[] { certificate.FullChainPath! }, ApacheKit.Single(vhost, "SSLCertificateFile"));
            foreach ((string name, string arguments) in TlsProfiles.Directives("Intermediate"))
            {
                Assert.Equal(ConfigFile.SplitArguments(arguments), ApacheKit.Single(vhost, name));
            }
        }

        [Fact]
        public void ContinuationLinesInsideTheVirtualHost_AreKept_AndAnOwnedContinuedDirectiveIsReplacedWhole()
        {
            string main = ApacheKit.SingleFile(Config, ApacheKit.Text(
                "LoadModule ssl_module modules/mod_ssl.so",
                "Listen 443",
                "<VirtualHost *:443>",
                "    ServerName www.example.com",
                "    BrowserMatch \"MSIE [2-6]\" \\",
                "        nokeepalive ssl-unclean-shutdown \\",
                "        downgrade-1.0 force-response-1.0",
                "    SSLCipherSuite HIGH:MEDIUM:\\",
                "!aNULL:!MD5",
                "    SSLCertificateFile /etc/ssl/old.pem",
                "</VirtualHost>"));
            string before = File.ReadAllText(main);
            CertificateInfo certificate = ApacheKit.Certificate(Certificates, "www.example.com");

            SetSsl(ApacheKit.SslOptions(Config, "www.example.com", certificate, NoHttpd));

            List<string> after = File.ReadAllLines(main).ToList();
            int browserMatch = after.IndexOf("    BrowserMatch \"MSIE [2-6]\" \\");
            Assert.Equal(new[] { "    BrowserMatch \"MSIE [2-6]\" \\", "        nokeepalive ssl-unclean-shutdown \\", "        downgrade-1.0 force-response-1.0" }, after.Skip(browserMatch).Take(3));
            Assert.DoesNotContain("!aNULL:!MD5", after);
            Assert.DoesNotContain(after, l => l.Contains("HIGH:MEDIUM", StringComparison.Ordinal));
            ApacheKit.OnlyOwnedLinesRemoved(main, before, File.ReadAllText(main));
            ConfigSection vhost = ApacheKit.VirtualHost(main, "www.example.com", 443);
            Assert.Equal(new[] { "MSIE [2-6]", "nokeepalive", "ssl-unclean-shutdown", "downgrade-1.0", "force-response-1.0" }, ApacheKit.Single(vhost, "BrowserMatch"));
            Assert.Equal(ConfigFile.SplitArguments(TlsProfiles.Directives("Intermediate").First(d => d.Name == "SSLCipherSuite").Arguments), ApacheKit.Single(vhost, "SSLCipherSuite"));
        }

        // ---- Line ends and indentation -------------------------------------------------------------------------

        [Fact]
        public void CrlfFile_StaysCrlf_NewLinesIncluded()
        {
            string main = ApacheKit.SingleFile(Config, string.Join("\r\n",
                "LoadModule ssl_module modules/mod_ssl.so",
                "Listen 80",
                "<VirtualHost *:443>",
                "    ServerName one.example.com",
                "    SSLCertificateFile /etc/ssl/one.pem",
                "</VirtualHost>",
                "<VirtualHost *:80>",
                "    ServerName two.example.com",
                "</VirtualHost>") + "\r\n");
            CertificateInfo one = ApacheKit.Certificate(Path.Combine(Certificates, "one"), "one.example.com");
            CertificateInfo two = ApacheKit.Certificate(Path.Combine(Certificates, "two"), "two.example.com");

            SetSsl(ApacheKit.SslOptions(Config, "one.example.com", one, NoHttpd));
            SetSsl(ApacheKit.SslOptions(Config, "two.example.com", two, NoHttpd));

            string after = File.ReadAllText(main);
            AssertAllCrlf(after);
            Assert.Contains("Listen 443\r\n", after, StringComparison.Ordinal);
            Assert.Equal(new[] { two.FullChainPath! }, ApacheKit.Single(ApacheKit.VirtualHost(main, "two.example.com", 443), "SSLCertificateFile"));
        }

        [Fact]
        public void CrlfSiteFileWithoutFinalNewline_GetsCrlfLinesAndStaysReadable()
        {
            string apache2 = ApacheKit.DebianTree(Path.Combine(Config, "apache2"), ApacheKit.Text("Listen 80", "Listen 443"),
                ("shop.conf", "<VirtualHost *:443>\r\n\tServerName shop.example.com\r\n\tSSLCertificateFile /etc/ssl/old.pem\r\n</VirtualHost>"));
            CertificateInfo certificate = ApacheKit.Certificate(Certificates, "shop.example.com");

            SetSsl(ApacheKit.SslOptions(apache2, "shop.example.com", certificate, NoHttpd));

            string site = Path.Combine(apache2, "sites-enabled", "shop.conf");
            string after = File.ReadAllText(site);
            AssertAllCrlf(after);
            Assert.EndsWith("</VirtualHost>", after, StringComparison.Ordinal);
            ConfigSection vhost = ApacheKit.VirtualHost(site, "shop.example.com", 443);
            Assert.Equal(new[] { certificate.KeyPath! }, ApacheKit.Single(vhost, "SSLCertificateKeyFile"));
            Assert.All(vhost.Children, c => Assert.Equal("\t", c.Indent));
        }

        [Fact]
        public void TabIndentedFile_NewLinesAreTabIndented()
        {
            string main = ApacheKit.SingleFile(Config, ApacheKit.Text(
                "LoadModule ssl_module modules/mod_ssl.so",
                "Listen 80",
                "<IfModule mime_module>",
                "\tTypesConfig /etc/mime.types",
                "</IfModule>",
                "<VirtualHost *:80>",
                "\tServerName www.example.com",
                "\tDocumentRoot /srv/www",
                "</VirtualHost>"));
            CertificateInfo certificate = ApacheKit.Certificate(Certificates, "www.example.com");

            SetSsl(ApacheKit.SslOptions(Config, "www.example.com", certificate, NoHttpd));

            ConfigSection vhost = ApacheKit.VirtualHost(main, "www.example.com", 443);
            Assert.Equal(string.Empty, vhost.Indent);
            Assert.All(vhost.Children, c => Assert.Equal("\t", c.Indent));
            List<string> lines = File.ReadAllLines(main).ToList();
            Assert.DoesNotContain(lines.Skip(vhost.FirstLine), l => l.StartsWith(" ", StringComparison.Ordinal));
        }

        // ---- OCSP, TLS profiles, HSTS --------------------------------------------------------------------------

        [Fact]
        public void CertificateWithoutOcspResponder_GetsNoStapling()
        {
            string main = ApacheKit.SingleFile(Config, ApacheKit.Text("LoadModule ssl_module modules/mod_ssl.so", "Listen 80",
                "<VirtualHost *:80>", "    ServerName www.example.com", "</VirtualHost>"));
            CertificateInfo certificate = ApacheKit.Certificate(Certificates, "www.example.com");
            var log = new RecordingLog();

            SetSsl(ApacheKit.SslOptions(Config, "www.example.com", certificate, NoHttpd), log);

            string after = File.ReadAllText(main);
            Assert.DoesNotContain("SSLUseStapling", after, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("SSLStaplingCache", after, StringComparison.OrdinalIgnoreCase);
            Assert.Contains(log.VerboseMessages, m => m.Contains("OCSP", StringComparison.Ordinal));
        }

        [Fact]
        public void CertificateWithOcspResponder_GetsStaplingAndOneServerWideCache()
        {
            string main = ApacheKit.SingleFile(Config, ApacheKit.Text("LoadModule ssl_module modules/mod_ssl.so", "Listen 80",
                "<VirtualHost *:80>", "    ServerName ocsp.example.com", "</VirtualHost>"));
            (string certificateFile, string keyFile) = ApacheKit.OcspCertificate(Certificates, "ocsp.example.com");

            SetSsl(new ApacheSslOptions { ConfigPath = Config, ServerName = "ocsp.example.com", CertificateFile = certificateFile, KeyFile = keyFile, HttpdPath = NoHttpd });

            ConfigSection vhost = ApacheKit.VirtualHost(main, "ocsp.example.com", 443);
            Assert.Equal(new[] { "on" }, ApacheKit.Single(vhost, "SSLUseStapling"));
            List<ConfigDirective> caches = new ConfigFile(main, File.ReadAllText(main)).AllNodes().OfType<ConfigDirective>().Where(d => d.Is("SSLStaplingCache")).ToList();
            ConfigDirective cache = Assert.Single(caches);
            Assert.Null(cache.Parent);
            Assert.StartsWith("shmcb:", cache.Arguments[0], StringComparison.Ordinal);
        }

        [Fact]
        public void CertificateWithOcspResponder_NewDebianSite_GetsStapling()
        {
            // The new VirtualHost lives in a new sites-available file.
            string apache2 = ApacheKit.DebianTree(Path.Combine(Config, "apache2"), ApacheKit.Text("Listen 80", "Listen 443"),
                ("site.conf", ApacheKit.Text("<VirtualHost *:80>", "    ServerName ocsp.example.com", "</VirtualHost>")));
            (string certificateFile, string keyFile) = ApacheKit.OcspCertificate(Certificates, "ocsp.example.com");
            TreeSnapshot before = TreeSnapshot.Take(apache2);

            Exception? error = Record.Exception(() => SetSsl(new ApacheSslOptions { ConfigPath = apache2, ServerName = "ocsp.example.com", CertificateFile = certificateFile, KeyFile = keyFile, HttpdPath = NoHttpd }));

            Assert.True(error is null, "Set-ApacheSsl failed: " + error + Environment.NewLine + "changes left behind: " + string.Join("; ", before.Differences(TreeSnapshot.Take(apache2))));
            string site = Path.Combine(apache2, "sites-available", "ocsp.example.com-ssl.conf");
            Assert.Equal(new[] { "on" }, ApacheKit.Single(ApacheKit.VirtualHost(site, "ocsp.example.com", 443), "SSLUseStapling"));
            Assert.Single(new ConfigFile(site, File.ReadAllText(site)).AllNodes().OfType<ConfigDirective>(), d => d.Is("SSLStaplingCache") && d.Parent is null);
        }

        [Theory]
        [InlineData("Modern")]
        [InlineData("Intermediate")]
        [InlineData("Old")]
        public void TlsProfile_WritesEachOfItsDirectivesOnce(string profile)
        {
            string main = ApacheKit.SingleFile(Config, ApacheKit.Text("LoadModule ssl_module modules/mod_ssl.so", "Listen 80",
                "<VirtualHost *:80>", "    ServerName www.example.com", "</VirtualHost>"));
            CertificateInfo certificate = ApacheKit.Certificate(Certificates, "www.example.com");
            ApacheSslOptions options = ApacheKit.SslOptions(Config, "www.example.com", certificate, NoHttpd);
            options.TlsProfile = profile;

            SetSsl(options);

            ConfigSection vhost = ApacheKit.VirtualHost(main, "www.example.com", 443);
            foreach ((string name, string arguments) in TlsProfiles.Directives(profile))
            {
                Assert.Equal(ConfigFile.SplitArguments(arguments), ApacheKit.Single(vhost, name));
            }

            // Mozilla's guidelines (5.7): Modern is TLS 1.3 only and leaves the cipher choice to the client;
            // Old reaches down to TLS 1.0 and prefers the server's order.
            IReadOnlyList<string> protocol = ApacheKit.Single(vhost, "SSLProtocol");
            switch (profile)
            {
                case "Modern":
                    Assert.Equal(new[] { "-all", "+TLSv1.3" }, protocol);
                    Assert.DoesNotContain(vhost.Children.OfType<ConfigDirective>(), d => d.Is("SSLCipherSuite"));
                    Assert.Equal(new[] { "off" }, ApacheKit.Single(vhost, "SSLHonorCipherOrder"));
                    break;
                case "Intermediate":
                    Assert.Equal(new[] { "-all", "+TLSv1.2", "+TLSv1.3" }, protocol);
                    Assert.DoesNotContain(ApacheKit.Single(vhost, "SSLCipherSuite")[0].Split(':'), c => c.Contains("CBC", StringComparison.Ordinal) || c.StartsWith("AES", StringComparison.Ordinal));
                    break;
                default:
                    Assert.Equal(new[] { "-all", "+TLSv1", "+TLSv1.1", "+TLSv1.2", "+TLSv1.3" }, protocol);
                    Assert.Equal(new[] { "on" }, ApacheKit.Single(vhost, "SSLHonorCipherOrder"));
                    break;
            }

            Assert.Equal(new[] { "off" }, ApacheKit.Single(vhost, "SSLSessionTickets"));
        }

        [Fact]
        public void UnknownTlsProfile_IsRefusedWithNothingChanged()
        {
            ApacheKit.SingleFile(Config, ApacheKit.Text("LoadModule ssl_module modules/mod_ssl.so", "Listen 443"));
            CertificateInfo certificate = ApacheKit.Certificate(Certificates, "www.example.com");
            TreeSnapshot before = TreeSnapshot.Take(Config);
            ApacheSslOptions options = ApacheKit.SslOptions(Config, "www.example.com", certificate, NoHttpd);
            options.TlsProfile = "Paranoid";

            CoreAssert.Throws("TlsProfileUnknown", () => SetSsl(options));

            Assert.Empty(before.Differences(TreeSnapshot.Take(Config)));
        }

        [Fact]
        public void Hsts_SingleFile_AddsTheHeaderAndLoadsModHeaders()
        {
            string main = ApacheKit.SingleFile(Config, ApacheKit.Text(
                "LoadModule ssl_module modules/mod_ssl.so",
                "LoadModule rewrite_module modules/mod_rewrite.so",
                "LoadModule socache_shmcb_module modules/mod_socache_shmcb.so",
                "SSLSessionCache \"shmcb:logs/ssl_scache(512000)\"",
                "Listen 80",
                "<VirtualHost *:80>", "    ServerName www.example.com", "</VirtualHost>"));
            CertificateInfo certificate = ApacheKit.Certificate(Certificates, "www.example.com");
            ApacheSslOptions options = ApacheKit.SslOptions(Config, "www.example.com", certificate, NoHttpd);
            options.Hsts = true;

            SetSsl(options);

            List<string> lines = File.ReadAllLines(main).ToList();
            Assert.Equal("LoadModule headers_module modules/mod_headers.so", lines[3]);
            ConfigSection vhost = ApacheKit.VirtualHost(main, "www.example.com", 443);
            Assert.Equal(new[] { "always", "set", "Strict-Transport-Security", "max-age=63072000" }, ApacheKit.Single(vhost, "Header"));

            ApacheSslOptions again = ApacheKit.SslOptions(Config, "www.example.com", certificate, NoHttpd);
            again.Hsts = true;
            Assert.False(SetSsl(again).Changed);
        }

        [Fact]
        public void Hsts_Debian_EnablesModHeadersByLink()
        {
            string apache2 = ApacheKit.DebianTree(Path.Combine(Config, "apache2"), ApacheKit.Text("Listen 80", "Listen 443"),
                ("site.conf", ApacheKit.Text("<VirtualHost *:443>", "    ServerName www.example.com", "</VirtualHost>")));
            CertificateInfo certificate = ApacheKit.Certificate(Certificates, "www.example.com");
            ApacheSslOptions options = ApacheKit.SslOptions(apache2, "www.example.com", certificate, NoHttpd);
            options.Hsts = true;

            SetSsl(options);

            Assert.Equal("../mods-available/headers.load", new FileInfo(Path.Combine(apache2, "mods-enabled", "headers.load")).LinkTarget);
            ConfigSection vhost = ApacheKit.VirtualHost(Path.Combine(apache2, "sites-enabled", "site.conf"), "www.example.com", 443);
            Assert.Equal(new[] { "always", "set", "Strict-Transport-Security", "max-age=63072000" }, ApacheKit.Single(vhost, "Header"));
        }

        // ---- Listen --------------------------------------------------------------------------------------------

        [Theory]
        [InlineData("Listen 443", "ports.conf")]
        [InlineData("Listen 0.0.0.0:443", "ports.conf")]
        [InlineData("Listen 443 https", "ports.conf")]
        [InlineData("Listen [::]:443", "ports.conf")]
        [InlineData("<IfModule ssl_module>\n\tListen 443\n</IfModule>", "ports.conf")]
        [InlineData("Listen 443", "apache2.conf")]
        [InlineData("Listen 443", "sites-available/site.conf")]
        public void ListenForThePortAlreadyAnywhere_NoListenIsAdded(string listen, string where)
        {
            string apache2 = ApacheKit.DebianTree(Path.Combine(Config, "apache2"), ApacheKit.Text("Listen 80"),
                ("site.conf", ApacheKit.Text("<VirtualHost *:80>", "    ServerName www.example.com", "</VirtualHost>")));
            File.AppendAllText(Path.Combine(apache2, where), listen + "\n");
            int before = CountListens(apache2, 443);
            CertificateInfo certificate = ApacheKit.Certificate(Certificates, "www.example.com");

            ApacheChangeResult result = SetSsl(ApacheKit.SslOptions(apache2, "www.example.com", certificate, NoHttpd));

            Assert.Equal(1, before);
            Assert.Equal(1, CountListens(apache2, 443));
            Assert.DoesNotContain(Path.Combine(apache2, "ports.conf"), result.FilesChanged);
        }

        [Fact]
        public void NoListenForThePort_ExactlyOneIsAddedToPortsConf()
        {
            string apache2 = ApacheKit.DebianTree(Path.Combine(Config, "apache2"), ApacheKit.Text("Listen 80"),
                ("site.conf", ApacheKit.Text("<VirtualHost *:80>", "    ServerName www.example.com", "</VirtualHost>")));
            CertificateInfo certificate = ApacheKit.Certificate(Certificates, "www.example.com");

            SetSsl(ApacheKit.SslOptions(apache2, "www.example.com", certificate, NoHttpd));
            SetSsl(ApacheKit.SslOptions(apache2, "www.example.com", certificate, NoHttpd));

            Assert.Equal(1, CountListens(apache2, 443));
            Assert.Equal(ApacheKit.Text("Listen 80", "Listen 443"), File.ReadAllText(Path.Combine(apache2, "ports.conf")));
        }

        [Fact]
        public void OtherPort_ListenNamesTheHttpsProtocol_InsideTheSslBlockOfPortsConf()
        {
            // httpd assumes https only for 443; any other TLS port needs "Listen PORT https".
            string apache2 = ApacheKit.DebianTree(Path.Combine(Config, "apache2"),
                ApacheKit.Text("Listen 80", "", "<IfModule ssl_module>", "\tListen 443", "</IfModule>"),
                ("site.conf", ApacheKit.Text("<VirtualHost *:80>", "    ServerName www.example.com", "</VirtualHost>")));
            CertificateInfo certificate = ApacheKit.Certificate(Certificates, "www.example.com");
            ApacheSslOptions options = ApacheKit.SslOptions(apache2, "www.example.com", certificate, NoHttpd);
            options.Port = 8443;

            SetSsl(options);

            Assert.Equal(ApacheKit.Text("Listen 80", "", "<IfModule ssl_module>", "\tListen 443", "\tListen 8443 https", "</IfModule>"), File.ReadAllText(Path.Combine(apache2, "ports.conf")));
            Assert.Equal(new[] { "*:8443" }, ApacheKit.VirtualHost(Path.Combine(apache2, "sites-available", "www.example.com-ssl.conf"), "www.example.com", 8443).Arguments);
        }

        // ---- Redirect ------------------------------------------------------------------------------------------

        [Fact]
        public void EnableRedirect_OtherHttpsPort_AddsRewriteRulesWithThePort_AndIsIdempotent()
        {
            string apache2 = ApacheKit.DebianTree(Path.Combine(Config, "apache2"), ApacheKit.Text("Listen 80"),
                ("site.conf", ApacheKit.Text("<VirtualHost *:80>", "    ServerName www.example.com", "    DocumentRoot /srv/www", "</VirtualHost>")));
            string site = Path.Combine(apache2, "sites-enabled", "site.conf");
            string before = File.ReadAllText(site);
            var options = new ApacheRedirectOptions { ConfigPath = apache2, ServerName = "www.example.com", HttpsPort = 8443, HttpdPath = NoHttpd };

            ApacheChangeResult first = ApacheConfigurator.EnableRedirect(options, ApacheKit.Yes, new RecordingLog())!;

            Assert.True(first.Changed);
            Assert.Equal("../mods-available/rewrite.load", new FileInfo(Path.Combine(apache2, "mods-enabled", "rewrite.load")).LinkTarget);
            ApacheKit.OnlyOwnedLinesRemoved(site, before, File.ReadAllText(site));
            ConfigSection vhost = ApacheKit.VirtualHost(site, "www.example.com", 80);
            Assert.Equal(new[] { "on" }, ApacheKit.Single(vhost, "RewriteEngine"));
            Assert.Equal(new[] { "%{REQUEST_URI}", "!^/\\.well-known/acme-challenge/" }, ApacheKit.Single(vhost, "RewriteCond"));
            Assert.Equal(new[] { "^", "https://www.example.com:8443%{REQUEST_URI}", "[R=301,L,NE]" }, ApacheKit.Single(vhost, "RewriteRule"));
            List<string> order = vhost.Children.OfType<ConfigDirective>().Select(d => d.Name).ToList();
            Assert.True(order.IndexOf("RewriteEngine") < order.IndexOf("RewriteCond") && order.IndexOf("RewriteCond") + 1 == order.IndexOf("RewriteRule"), string.Join(", ", order));
            TreeSnapshot afterFirst = TreeSnapshot.Take(apache2);

            ApacheChangeResult second = ApacheConfigurator.EnableRedirect(options, ApacheKit.Yes, new RecordingLog())!;

            Assert.False(second.Changed, ApacheKit.Describe(second));
            Assert.Empty(afterFirst.Differences(TreeSnapshot.Take(apache2)));
        }

        [Fact]
        public void EnableRedirect_TheDocumentsRedirect_IsRewrittenInPlace_EngineFirst_EverythingElseByteForByte()
        {
            // The origin document's shape: no ServerName in the host (the global one applies), Redirect "/" to https.
            string config = ApacheKit.SingleFile(Config, ApacheKit.Text(
                "ServerName localhost",
                "LoadModule rewrite_module modules/mod_rewrite.so",
                "Listen 57772",
                "",
                "<VirtualHost *:57772>",
                "    DocumentRoot \"/srv/www\"",
                "    Redirect \"/\" \"https://localhost:57782/\"",
                "</VirtualHost>",
                "",
                "<VirtualHost *:57782>",
                "    DocumentRoot \"/srv/www\"",
                "</VirtualHost>"));
            var options = new ApacheRedirectOptions { ConfigPath = config, ServerName = "localhost", HttpPort = 57772, HttpsPort = 57782, HttpdPath = NoHttpd };

            ApacheChangeResult first = ApacheConfigurator.EnableRedirect(options, ApacheKit.Yes, new RecordingLog())!;
            Assert.True(first.Changed);
            Assert.Equal(ApacheKit.Text(
                "ServerName localhost",
                "LoadModule rewrite_module modules/mod_rewrite.so",
                "Listen 57772",
                "",
                "<VirtualHost *:57772>",
                "    DocumentRoot \"/srv/www\"",
                "    RewriteEngine on",
                "    RewriteCond %{REQUEST_URI} !^/\\.well-known/acme-challenge/",
                "    RewriteRule ^ https://localhost:57782%{REQUEST_URI} [R=301,L,NE]",
                "</VirtualHost>",
                "",
                "<VirtualHost *:57782>",
                "    DocumentRoot \"/srv/www\"",
                "</VirtualHost>"), File.ReadAllText(config));
            string afterFirst = File.ReadAllText(config);

            ApacheChangeResult second = ApacheConfigurator.EnableRedirect(options, ApacheKit.Yes, new RecordingLog())!;

            Assert.False(second.Changed, ApacheKit.Describe(second));
            Assert.Equal(afterFirst, File.ReadAllText(config));
        }

        [Fact]
        public void EnableRedirect_RedirectAcmeChallenge_DropsTheExclusion()
        {
            string apache2 = ApacheKit.DebianTree(Path.Combine(Config, "apache2"), ApacheKit.Text("Listen 80"),
                ("site.conf", ApacheKit.Text("<VirtualHost *:80>", "    ServerName www.example.com", "</VirtualHost>")));
            string site = Path.Combine(apache2, "sites-enabled", "site.conf");
            ApacheConfigurator.EnableRedirect(new ApacheRedirectOptions { ConfigPath = apache2, ServerName = "www.example.com", HttpdPath = NoHttpd }, ApacheKit.Yes, new RecordingLog());

            ApacheChangeResult result = ApacheConfigurator.EnableRedirect(new ApacheRedirectOptions { ConfigPath = apache2, ServerName = "www.example.com", RedirectAcmeChallenge = true, Temporary = true, HttpdPath = NoHttpd }, ApacheKit.Yes, new RecordingLog())!;

            Assert.True(result.Changed);
            ConfigSection vhost = ApacheKit.VirtualHost(site, "www.example.com", 80);
            Assert.DoesNotContain(vhost.Children.OfType<ConfigDirective>(), d => d.Is("RewriteCond"));
            Assert.Equal(new[] { "^", "https://www.example.com%{REQUEST_URI}", "[R=302,L,NE]" }, ApacheKit.Single(vhost, "RewriteRule"));
            Assert.Equal(new[] { "on" }, ApacheKit.Single(vhost, "RewriteEngine"));
        }

        [Fact]
        public void EnableRedirect_ExistingUnrelatedRewriteRules_AreKept()
        {
            // multi_vhosts' third site rewrites /secrets/ to an https:// URL on another host: not the editor's rule.
            string apache2 = ApacheKit.DebianTree(Path.Combine(Config, "apache2"), ApacheKit.Text("Listen 80"),
                ("site.conf", ApacheKit.Text(
                    "<VirtualHost *:80>",
                    "    ServerName www.example.com",
                    "RewriteEngine on",
                    "RewriteRule \"^/secrets/(.+)\" \"https://new.example.com/docs/$1\" [R,L]",
                    "</VirtualHost>")));
            string site = Path.Combine(apache2, "sites-enabled", "site.conf");
            string before = File.ReadAllText(site);

            ApacheConfigurator.EnableRedirect(new ApacheRedirectOptions { ConfigPath = apache2, ServerName = "www.example.com", HttpdPath = NoHttpd }, ApacheKit.Yes, new RecordingLog());

            string after = File.ReadAllText(site);
            ApacheKit.OnlyOwnedLinesRemoved(site, before, after);
            Assert.True(after.Contains("RewriteRule \"^/secrets/(.+)\" \"https://new.example.com/docs/$1\" [R,L]\n", StringComparison.Ordinal), "The site's own RewriteRule to https://new.example.com was removed or rewritten:" + Environment.NewLine + after);
            ConfigSection vhost = ApacheKit.VirtualHost(site, "www.example.com", 80);
            Assert.Contains(vhost.Children.OfType<ConfigDirective>(), d => d.Is("RewriteRule") && d.Arguments.SequenceEqual(new[] { "^", "https://www.example.com%{REQUEST_URI}", "[R=301,L,NE]" }));
        }

        // ---- Links, modes, -WhatIf -----------------------------------------------------------------------------

        [Fact]
        public void SiteEditedThroughItsSitesEnabledLink_TheLinkStaysALink()
        {
            // a2ensite's link must survive: the edit belongs in sites-available/shop.conf.
            string apache2 = ApacheKit.DebianTree(Path.Combine(Config, "apache2"), ApacheKit.Text("Listen 80", "Listen 443"),
                ("shop.conf", ApacheKit.Text("<VirtualHost *:443>", "    ServerName shop.example.com", "    SSLCertificateFile /etc/ssl/old.pem", "</VirtualHost>")));
            CertificateInfo certificate = ApacheKit.Certificate(Certificates, "shop.example.com");

            SetSsl(ApacheKit.SslOptions(apache2, "shop.example.com", certificate, NoHttpd));

            string enabled = Path.Combine(apache2, "sites-enabled", "shop.conf");
            Assert.True(new FileInfo(enabled).LinkTarget == "../sites-available/shop.conf", $"{enabled} is no longer a link to ../sites-available/shop.conf (it is a {(new FileInfo(enabled).LinkTarget is null ? "regular file" : "link to " + new FileInfo(enabled).LinkTarget)}).");
            ConfigSection vhost = ApacheKit.VirtualHost(Path.Combine(apache2, "sites-available", "shop.conf"), "shop.example.com", 443);
            Assert.Equal(new[] { certificate.FullChainPath! }, ApacheKit.Single(vhost, "SSLCertificateFile"));
        }

        [UnixFact]
        public void ChangedFile_KeepsItsMode()
        {
            string main = ApacheKit.SingleFile(Config, ApacheKit.Text("LoadModule ssl_module modules/mod_ssl.so", "Listen 80",
                "<VirtualHost *:80>", "    ServerName www.example.com", "</VirtualHost>"));
            ApacheCorpus.SetMode(main, "640");
            CertificateInfo certificate = ApacheKit.Certificate(Certificates, "www.example.com");

            SetSsl(ApacheKit.SslOptions(Config, "www.example.com", certificate, NoHttpd));

            Assert.Equal((UnixFileMode)Convert.ToInt32("640", 8), ApacheCorpus.ModeOf(main));
            ApacheKit.VirtualHost(main, "www.example.com", 443);
        }

        [Fact]
        public void WhatIf_ReturnsNullAndChangesNothing()
        {
            string apache2 = ApacheKit.DebianTree(Path.Combine(Config, "apache2"), ApacheKit.Text("Listen 80"),
                ("site.conf", ApacheKit.Text("<VirtualHost *:80>", "    ServerName www.example.com", "</VirtualHost>")));
            CertificateInfo certificate = ApacheKit.Certificate(Certificates, "www.example.com");
            TreeSnapshot before = TreeSnapshot.Take(Config);
            string? asked = null;

            ApacheChangeResult? result = ApacheConfigurator.SetSsl(ApacheKit.SslOptions(apache2, "www.example.com", certificate, NoHttpd), (target, action) =>
            {
                asked = action;
                return false;
            }, new RecordingLog());

            Assert.Null(result);
            Assert.Empty(before.Differences(TreeSnapshot.Take(Config)));
            Assert.Contains("+Listen 443", asked, StringComparison.Ordinal);
            Assert.Contains("+<VirtualHost *:443>", asked, StringComparison.Ordinal);
            Assert.Contains("link " + Path.Combine(apache2, "mods-enabled", "ssl.load") + " -> ../mods-available/ssl.load", asked, StringComparison.Ordinal);
        }

        // ---- Helpers -------------------------------------------------------------------------------------------

        private string NoHttpd => ApacheKit.NoHttpd(_temp.Path);

        private static ApacheChangeResult SetSsl(ApacheSslOptions options, RecordingLog? log = null)
        {
            ApacheChangeResult? result = ApacheConfigurator.SetSsl(options, ApacheKit.Yes, log ?? new RecordingLog());
            Assert.NotNull(result);
            return result!;
        }

        private static int CountListens(string apache2, int port) =>
            ConfigTree.Load(Path.Combine(apache2, "apache2.conf"), apache2, new Dictionary<string, string>()).AllNodes().OfType<ConfigDirective>()
                .Count(d => d.Is("Listen") && d.Arguments.Count > 0 && d.Arguments[0].Split(':').Last() == port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        private static void AssertAllCrlf(string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] == '\n')
                {
                    Assert.True(i > 0 && text[i - 1] == '\r', $"A bare LF at offset {i}:{Environment.NewLine}{text.Replace("\r", "\\r")}");
                }
            }
        }

        /// <summary>ServerName first, then what was copied, then SSLEngine, certificate, key, and the profile's directives in its order.</summary>
        private static void AssertDirectiveOrder(ConfigSection vhost, string profile)
        {
            List<string> names = vhost.Children.OfType<ConfigDirective>().Select(d => d.Name).ToList();
            var expected = new List<string> { "SSLEngine", "SSLCertificateFile", "SSLCertificateKeyFile" };
            expected.AddRange(TlsProfiles.Directives(profile).Select(d => d.Name));
            Assert.Equal("ServerName", names[0]);
            Assert.True(expected.SequenceEqual(names.Where(n => expected.Contains(n))), $"Expected the directives in the order {string.Join(", ", expected)}; the VirtualHost in {vhost.File.Path} lists {string.Join(", ", names)}.");
        }
    }
}
