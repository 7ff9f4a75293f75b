using System;
using System.IO;
using System.Linq;
using System.Security;
using CertCmdlets.Core.Apache;
using CertCmdlets.Core.Export;
using CertCmdlets.Core.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Core.Tests.Apache
{
    /// <summary>
    /// What Set-ApacheSsl refuses, and how: a stable ErrorId, the offending file (and line) in the message and as
    /// target, and not one byte changed on disk. No httpd needed (HttpdPath names no file).
    /// </summary>
    public sealed class ApacheErrorTests : IDisposable
    {
        private readonly TempDirectory _temp = new TempDirectory();

        public void Dispose() => _temp.Dispose();

        private string Conf => Path.Combine(_temp.Path, "conf");

        private string Apache2 => Path.Combine(Conf, "apache2");

        private string Certificates => Path.Combine(_temp.Path, "certs");

        private string NoHttpd => ApacheKit.NoHttpd(_temp.Path);

        public static TheoryData<string, int, string> BrokenSites() => new TheoryData<string, int, string>
        {
            { ApacheKit.Text("# a site", "<VirtualHost *:80>", "    ServerName www.example.com"), 2, "never closed" },
            { ApacheKit.Text("<VirtualHost *:80>", "    ServerName www.example.com", "</VirtualHost>", "</VirtualHost>"), 4, "never opened" },
            { ApacheKit.Text("<VirtualHost *:80>", "    <Directory /srv>", "    </Location>", "</VirtualHost>"), 3, "does not match" },
            { ApacheKit.Text("<VirtualHost *:80", "    ServerName www.example.com", "</VirtualHost>"), 1, "no closing '>'" },
        };

        [Theory]
        [MemberData(nameof(BrokenSites))]
        public void BrokenSection_IsApacheConfigInvalid_NamingFileAndLine(string site, int line, string problem)
        {
            ApacheKit.DebianTree(Apache2, ApacheKit.Text("Listen 80"), ("broken.conf", site));
            string path = Path.Combine(Apache2, "sites-enabled", "broken.conf");
            TreeSnapshot before = TreeSnapshot.Take(Conf);

            CertCmdletsException error = CoreAssert.Throws("ApacheConfigInvalid", () => SetSsl("www.example.com"));

            Assert.Equal(path, error.Target);
            Assert.Contains($"{path}, line {line}:", error.Message, StringComparison.Ordinal);
            Assert.Contains(problem, error.Message, StringComparison.Ordinal);
            Assert.Equal(CertErrorKind.InvalidData, error.Kind);
            Assert.Empty(before.Differences(TreeSnapshot.Take(Conf)));
        }

        [Fact]
        public void IncludeOfAMissingFile_IsApacheConfigInvalid_NamingTheIncludingFileAndLine()
        {
            ApacheKit.DebianTree(Apache2, ApacheKit.Text("Listen 80", "", "Include extra/missing.conf"));
            TreeSnapshot before = TreeSnapshot.Take(Conf);

            CertCmdletsException error = CoreAssert.Throws("ApacheConfigInvalid", () => SetSsl("www.example.com"));

            Assert.Contains($"{Path.Combine(Apache2, "ports.conf")}, line 3:", error.Message, StringComparison.Ordinal);
            Assert.Contains(Path.Combine(Apache2, "extra", "missing.conf"), error.Message, StringComparison.Ordinal);
            Assert.Empty(before.Differences(TreeSnapshot.Take(Conf)));
        }

        [Theory]
        [InlineData("Include conf.d/*.conf", true)]
        [InlineData("Include no-such-directory/*.conf", false)]
        public void IncludeWhoseWildcardMatchesNothing_IsRefusedAsHttpdRefusesIt(string include, bool createDirectory)
        {
            // httpd 2.4: "Include/IncludeOptional: No matches for the wildcard '*.conf' in '.../conf.d', failing" and
            // "Could not open directory .../no-such-directory"; only IncludeOptional may match nothing.
            ApacheKit.DebianTree(Apache2, ApacheKit.Text("Listen 80", include),
                ("site.conf", ApacheKit.Text("<VirtualHost *:80>", "    ServerName www.example.com", "</VirtualHost>")));
            if (createDirectory)
            {
                Directory.CreateDirectory(Path.Combine(Apache2, "conf.d"));
            }

            TreeSnapshot before = TreeSnapshot.Take(Conf);

            CertCmdletsException error = CoreAssert.Throws("ApacheConfigInvalid", () => SetSsl("www.example.com"));

            Assert.Contains($"{Path.Combine(Apache2, "ports.conf")}, line 2:", error.Message, StringComparison.Ordinal);
            Assert.Empty(before.Differences(TreeSnapshot.Take(Conf)));
        }

        [Fact]
        public void IncludeOptionalMatchingNothing_IsFine()
        {
            ApacheKit.DebianTree(Apache2, ApacheKit.Text("Listen 80", "IncludeOptional conf.d/*.conf", "IncludeOptional nowhere/*.conf"),
                ("site.conf", ApacheKit.Text("<VirtualHost *:80>", "    ServerName www.example.com", "</VirtualHost>")));

            Assert.True(SetSsl("www.example.com").Changed);
        }

        [Fact]
        public void IncludeLoop_IsApacheConfigInvalid()
        {
            // httpd refuses a file that includes itself ("Syntax error on line 1 of ports.conf: Syntax error on line 1 of ...").
            ApacheKit.DebianTree(Apache2, ApacheKit.Text("Listen 80", "Include ports.conf"));

            CertCmdletsException error = CoreAssert.Throws("ApacheConfigInvalid", () => SetSsl("www.example.com"));

            Assert.Contains(Path.Combine(Apache2, "ports.conf"), error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void ConfigPathThatDoesNotExist_IsFileNotFound()
        {
            string missing = Path.Combine(_temp.Path, "no-such-apache2");
            CertificateInfo certificate = ApacheKit.Certificate(Certificates, "www.example.com");

            CertCmdletsException error = CoreAssert.Throws("FileNotFound", () => ApacheConfigurator.SetSsl(ApacheKit.SslOptions(missing, "www.example.com", certificate, NoHttpd), ApacheKit.Yes, new RecordingLog()));

            Assert.Equal(missing, error.Target);
            Assert.False(Directory.Exists(missing));
        }

        [Fact]
        public void DirectoryWithoutAKnownMainFile_IsApacheLayoutUnknown()
        {
            string directory = Path.Combine(_temp.Path, "not-apache");
            Directory.CreateDirectory(directory);
            File.WriteAllText(Path.Combine(directory, "nginx.conf"), "server { }\n");
            CertificateInfo certificate = ApacheKit.Certificate(Certificates, "www.example.com");
            TreeSnapshot before = TreeSnapshot.Take(directory);

            CertCmdletsException error = CoreAssert.Throws("ApacheLayoutUnknown", () => ApacheConfigurator.SetSsl(ApacheKit.SslOptions(directory, "www.example.com", certificate, NoHttpd), ApacheKit.Yes, new RecordingLog()));

            Assert.Equal(directory, error.Target);
            Assert.Empty(before.Differences(TreeSnapshot.Take(directory)));
        }

        [Fact]
        public void CertificateFileThatDoesNotExist_IsFileNotFound_NothingChanged()
        {
            SmallSite();
            CertificateInfo certificate = ApacheKit.Certificate(Certificates, "www.example.com");
            TreeSnapshot before = TreeSnapshot.Take(Conf);
            string missing = Path.Combine(Certificates, "missing.pem");

            CertCmdletsException error = CoreAssert.Throws("FileNotFound", () => ApacheConfigurator.SetSsl(new ApacheSslOptions
            {
                ConfigPath = Apache2,
                ServerName = "www.example.com",
                CertificateFile = missing,
                KeyFile = certificate.KeyPath,
                HttpdPath = NoHttpd,
            }, ApacheKit.Yes, new RecordingLog()));

            Assert.Equal(missing, error.Target);
            Assert.Empty(before.Differences(TreeSnapshot.Take(Conf)));
        }

        [Fact]
        public void NoCertificateAtAll_IsApacheCertificateMissing()
        {
            SmallSite();

            CoreAssert.Throws("ApacheCertificateMissing", () => ApacheConfigurator.SetSsl(new ApacheSslOptions { ConfigPath = Apache2, ServerName = "www.example.com", HttpdPath = NoHttpd }, ApacheKit.Yes, new RecordingLog()));
        }

        [Fact]
        public void KeyFileThatIsNotAKey_IsRefusedBeforeAnyChange()
        {
            // The certificate file given as the key: the editor reads the key before touching the configuration.
            SmallSite();
            CertificateInfo certificate = ApacheKit.Certificate(Certificates, "www.example.com");
            TreeSnapshot before = TreeSnapshot.Take(Conf);

            CertCmdletsException error = CoreAssert.Throws("KeyFileInvalid", () => ApacheConfigurator.SetSsl(new ApacheSslOptions
            {
                ConfigPath = Apache2,
                ServerName = "www.example.com",
                CertificateFile = certificate.CertificatePath,
                KeyFile = certificate.CertificatePath,
                HttpdPath = NoHttpd,
            }, ApacheKit.Yes, new RecordingLog()));

            Assert.Equal(certificate.CertificatePath, error.Target);
            Assert.Empty(before.Differences(TreeSnapshot.Take(Conf)));
        }

        [Fact]
        public void KeyOfAnotherCertificate_IsCertificateKeyMismatch_WithNoOverride()
        {
            // httpd refuses to start with a key that does not belong to the certificate: no switch configures that pair.
            SmallSite();
            CertificateInfo certificate = ApacheKit.Certificate(Path.Combine(Certificates, "right"), "www.example.com");
            CertificateInfo other = ApacheKit.Certificate(Path.Combine(Certificates, "other"), "www.example.com");
            TreeSnapshot before = TreeSnapshot.Take(Path.Combine(_temp.Path, "conf"));
            var options = new ApacheSslOptions { ConfigPath = Apache2, ServerName = "www.example.com", CertificateFile = certificate.CertificatePath, KeyFile = other.KeyPath, HttpdPath = NoHttpd };

            CoreAssert.Throws("CertificateKeyMismatch", () => ApacheConfigurator.SetSsl(options, ApacheKit.Yes, new RecordingLog()));
            options.AllowNameMismatch = true;
            options.AllowEncryptedKey = true;
            CoreAssert.Throws("CertificateKeyMismatch", () => ApacheConfigurator.SetSsl(options, ApacheKit.Yes, new RecordingLog()));
            Assert.Empty(before.Differences(TreeSnapshot.Take(Path.Combine(_temp.Path, "conf"))));
        }

        [Fact]
        public void CertificateThatDoesNotCoverTheServerName_IsCertificateNameMismatch_AndAllowNameMismatchConfiguresWithAWarning()
        {
            SmallSite();
            CertificateInfo certificate = ApacheKit.Certificate(Certificates, "other.example.net");
            TreeSnapshot before = TreeSnapshot.Take(Path.Combine(_temp.Path, "conf"));

            CertCmdletsException error = CoreAssert.Throws("CertificateNameMismatch", () => SetSsl("www.example.com", certificate));

            Assert.Equal("www.example.com", error.Target);
            Assert.Contains("other.example.net", error.Message, StringComparison.Ordinal);
            Assert.Empty(before.Differences(TreeSnapshot.Take(Path.Combine(_temp.Path, "conf"))));

            var log = new RecordingLog();
            ApacheSslOptions options = ApacheKit.SslOptions(Apache2, "www.example.com", certificate, NoHttpd);
            options.AllowNameMismatch = true;
            Assert.True(ApacheConfigurator.SetSsl(options, ApacheKit.Yes, log)!.Changed);
            Assert.Contains(log.Warnings, w => w.Contains("www.example.com", StringComparison.Ordinal) && w.Contains("-AllowNameMismatch", StringComparison.Ordinal));
        }

        [Fact]
        public void EncryptedKey_IsNeverConfiguredSilently()
        {
            // httpd asks for an encrypted key's pass phrase at start-up (and a service cannot answer). Without
            // -KeyPassword the editor refuses (KeyFileEncrypted); with it, it may check the pair, but configuring the
            // encrypted file must not pass without being refused or at least warned about.
            SmallSite();
            CertificateInfo certificate = ApacheKit.Certificate(Certificates, "www.example.com");
            string encrypted = Path.Combine(Certificates, "encrypted-key.pem");
            using SecureString password = Secret("correct horse");
            PemOutput.WriteCertificate(certificate, new PemExportTargets { KeyPath = encrypted }, password, false, ApacheKit.Yes, NullCoreLog.Instance);
            TreeSnapshot before = TreeSnapshot.Take(Path.Combine(_temp.Path, "conf"));
            var options = new ApacheSslOptions { ConfigPath = Apache2, ServerName = "www.example.com", CertificateFile = certificate.CertificatePath, KeyFile = encrypted, HttpdPath = NoHttpd };

            CertCmdletsException error = CoreAssert.Throws("KeyFileEncrypted", () => ApacheConfigurator.SetSsl(options, ApacheKit.Yes, new RecordingLog()));
            Assert.Equal(encrypted, error.Target);
            Assert.Empty(before.Differences(TreeSnapshot.Take(Path.Combine(_temp.Path, "conf"))));

            // The password alone checks the pair but does not allow the encrypted file; -AllowEncryptedKey alone cannot check it.
            options.KeyPassword = password;
            CoreAssert.Throws("KeyFileEncrypted", () => ApacheConfigurator.SetSsl(options, ApacheKit.Yes, new RecordingLog()));
            options.KeyPassword = null;
            options.AllowEncryptedKey = true;
            CertCmdletsException unchecked_ = CoreAssert.Throws("KeyFileEncrypted", () => ApacheConfigurator.SetSsl(options, ApacheKit.Yes, new RecordingLog()));
            Assert.Contains("-KeyPassword", unchecked_.Message, StringComparison.Ordinal);
            Assert.Empty(before.Differences(TreeSnapshot.Take(Path.Combine(_temp.Path, "conf"))));

            // Both: configured, with a warning that names the switch and what httpd will do.
            options.KeyPassword = password;
            var log = new RecordingLog();
            Assert.True(ApacheConfigurator.SetSsl(options, ApacheKit.Yes, log)!.Changed);
            Assert.Contains(log.Warnings, w => w.Contains("-AllowEncryptedKey", StringComparison.Ordinal) && w.Contains("pass phrase", StringComparison.Ordinal));
        }

        [Fact]
        public void DanglingLinkInSitesEnabled_UnderInclude_IsApacheConfigInvalid_AsHttpdCannotOpenItEither()
        {
            // A site removed from sites-available without a2dissite leaves its link dangling. Under "Include
            // sites-enabled/*.conf" httpd fails to open it ("Could not open configuration file"), and so must the
            // editor, naming the link.
            SmallSite();
            File.WriteAllText(Path.Combine(Apache2, "apache2.conf"), File.ReadAllText(Path.Combine(Apache2, "apache2.conf")).Replace("IncludeOptional sites-enabled/*.conf", "Include sites-enabled/*.conf", StringComparison.Ordinal));
            string dangling = Path.Combine(Apache2, "sites-enabled", "old.conf");
            File.CreateSymbolicLink(dangling, "../sites-available/old.conf");
            CertificateInfo certificate = ApacheKit.Certificate(Certificates, "www.example.com");
            TreeSnapshot before = TreeSnapshot.Take(Conf);

            CertCmdletsException error = CoreAssert.Throws("ApacheConfigInvalid", () => SetSsl("www.example.com", certificate));

            Assert.Equal(dangling, error.Target);
            Assert.Empty(before.Differences(TreeSnapshot.Take(Conf)));
        }

        [Fact]
        public void DanglingLinkInSitesEnabled_UnderIncludeOptional_IsSkipped_AsHttpdSkipsIt()
        {
            // httpd 2.4 (ap_dir_nofnmatch): IncludeOptional skips a match it cannot stat, so "apache2 -t" passes with a
            // dangling link in sites-enabled (checked against Debian's apache2 2.4.71). The editor reads what httpd reads.
            SmallSite();
            File.CreateSymbolicLink(Path.Combine(Apache2, "sites-enabled", "old.conf"), "../sites-available/old.conf");

            ApacheChangeResult result = SetSsl("www.example.com");

            Assert.True(result.Changed);
            Assert.DoesNotContain(result.FilesChanged, f => f.EndsWith("old.conf", StringComparison.Ordinal));
        }

        [Fact]
        public void WriteFailingHalfway_IsApacheConfigWriteFailed_EverythingRestored()
        {
            // ports.conf gets "Listen 443" first; then the new site file cannot be written (a directory holds its
            // name). What was already written must be undone, and no created file or link may remain.
            SmallSite();
            Directory.CreateDirectory(Path.Combine(Apache2, "sites-available", "www.example.com-ssl.conf"));
            CertificateInfo certificate = ApacheKit.Certificate(Certificates, "www.example.com");
            TreeSnapshot before = TreeSnapshot.Take(Conf);

            CertCmdletsException error = CoreAssert.Throws("ApacheConfigWriteFailed", () => SetSsl("www.example.com", certificate));

            Assert.Contains("restored", error.Message, StringComparison.Ordinal);
            Assert.NotNull(error.InnerException);
            Assert.Empty(before.Differences(TreeSnapshot.Take(Conf)));
            Assert.False(Directory.Exists(Path.Combine(Apache2, TreeSnapshot.BackupDirectoryName)), "A rolled-back change left its backups behind.");
        }

        [UnixFact]
        public void ReadOnlyFile_IsApacheConfigWriteFailedForAnOrdinaryUser_AndKeepsItsModeForRoot()
        {
            SmallSite();
            string ports = Path.Combine(Apache2, "ports.conf");
            ApacheCorpus.SetMode(ports, "444");
            CertificateInfo certificate = ApacheKit.Certificate(Certificates, "www.example.com");
            string conf = Conf;
            TreeSnapshot before = TreeSnapshot.Take(conf);

            Exception? error = Record.Exception(() => SetSsl("www.example.com", certificate));

            if (UnixNonRootFactAttribute.IsRoot)
            {
                // Root ignores file permissions, so the write succeeds; the file must keep its 0444 mode.
                Assert.Null(error);
                Assert.Equal(ApacheKit.Text("Listen 80", "Listen 443"), File.ReadAllText(ports));
                Assert.Equal((UnixFileMode)Convert.ToInt32("444", 8), ApacheCorpus.ModeOf(ports));
                return;
            }

            CertCmdletsException failure = Assert.IsType<CertCmdletsException>(error);
            Assert.Equal("ApacheConfigWriteFailed", failure.ErrorId);
            Assert.Equal(CertErrorKind.PermissionDenied, failure.Kind);
            Assert.Empty(before.Differences(TreeSnapshot.Take(conf)));
        }

        private void SmallSite() =>
            ApacheKit.DebianTree(Apache2, ApacheKit.Text("Listen 80"),
                ("site.conf", ApacheKit.Text("<VirtualHost *:80>", "    ServerName www.example.com", "    DocumentRoot /srv/www", "</VirtualHost>")));

        private ApacheChangeResult SetSsl(string serverName, CertificateInfo? certificate = null)
        {
            certificate ??= ApacheKit.Certificate(Certificates, serverName);
            ApacheChangeResult? result = ApacheConfigurator.SetSsl(ApacheKit.SslOptions(Apache2, serverName, certificate, NoHttpd), ApacheKit.Yes, new RecordingLog());
            Assert.NotNull(result);
            return result!;
        }

        private static SecureString Secret(string text)
        {
            var secret = new SecureString();
            foreach (char c in text)
            {
                secret.AppendChar(c);
            }

            secret.MakeReadOnly();
            return secret;
        }
    }
}
