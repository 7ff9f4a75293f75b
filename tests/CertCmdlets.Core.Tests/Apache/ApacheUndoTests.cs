using System;
using System.IO;
using CertCmdlets.Core.Apache;
using CertCmdlets.Core.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Core.Tests.Apache
{
    /// <summary>
    /// Undo-ApacheChange's core without httpd (HttpdPath names no file; the real reloads are in Apache.OriginBuild.ps1):
    /// a change is taken back byte for byte, created files and links go, and every input that cannot be undone safely
    /// is refused with nothing changed.
    /// </summary>
    public sealed class ApacheUndoTests : IDisposable
    {
        private readonly TempDirectory _temp = new TempDirectory();

        public void Dispose() => _temp.Dispose();

        private string Config => Path.Combine(_temp.Path, "site");

        private string NoHttpd => ApacheKit.NoHttpd(_temp.Path);

        private ApacheChangeResult SetSsl(string configPath, string serverName)
        {
            CertificateInfo certificate = ApacheKit.Certificate(Path.Combine(_temp.Path, "certs"), serverName);
            return ApacheConfigurator.SetSsl(ApacheKit.SslOptions(configPath, serverName, certificate, NoHttpd), ApacheKit.Yes, new RecordingLog())!;
        }

        private ApacheChangeResult? Undo(string backupDirectory) => ApacheConfigurator.Undo(backupDirectory, reload: false, NoHttpd, ApacheKit.Yes, new RecordingLog());

        [Fact]
        public void AChange_IsTakenBackByteForByte_AndASecondUndoIsRefused()
        {
            string main = ApacheKit.SingleFile(Config, ApacheKit.Text("Listen 80", "ServerName www.example.com", "<VirtualHost *:80>", "    ServerName www.example.com", "</VirtualHost>"));
            string before = File.ReadAllText(main);
            ApacheChangeResult change = SetSsl(main, "www.example.com");
            Assert.True(change.Changed);
            Assert.NotEqual(before, File.ReadAllText(main));

            ApacheChangeResult undone = Undo(change.BackupDirectory!)!;

            Assert.True(undone.Changed);
            Assert.Equal(before, File.ReadAllText(main));
            Assert.Equal("www.example.com", undone.ServerName);
            CertCmdletsException again = CoreAssert.Throws("ApacheUndoUnavailable", () => Undo(change.BackupDirectory!));
            Assert.Contains("already undone", again.Message, StringComparison.Ordinal);
            Assert.Equal(before, File.ReadAllText(main));
        }

        [Fact]
        public void AFileEditedSinceTheChange_IsApacheUndoConflict_AndKeepsTheEdit()
        {
            string main = ApacheKit.SingleFile(Config, ApacheKit.Text("Listen 80", "<VirtualHost *:80>", "    ServerName www.example.com", "</VirtualHost>"));
            ApacheChangeResult change = SetSsl(main, "www.example.com");
            File.AppendAllText(main, "# an edit made after the change\n");
            string edited = File.ReadAllText(main);

            CertCmdletsException error = CoreAssert.Throws("ApacheUndoConflict", () => Undo(change.BackupDirectory!));

            Assert.Equal(main, error.Target);
            Assert.Equal(CertErrorKind.ResourceExists, error.Kind);
            Assert.Equal(edited, File.ReadAllText(main));
        }

        [Fact]
        public void AFolderThatIsNoBackup_IsApacheUndoUnavailable()
        {
            string folder = Directory.CreateDirectory(Path.Combine(_temp.Path, "not-a-backup")).FullName;

            CertCmdletsException error = CoreAssert.Throws("ApacheUndoUnavailable", () => Undo(folder));

            Assert.Equal(folder, error.Target);
            Assert.Contains("BackupDirectory", error.Message, StringComparison.Ordinal);
        }

        [UnixFact]
        public void OnADebianTree_TheCreatedSiteFileAndLinksAreRemoved()
        {
            string apache2 = ApacheKit.DebianTree(Path.Combine(Config, "apache2"), ApacheKit.Text("Listen 80", "<IfModule ssl_module>", "    Listen 443", "</IfModule>"),
                ("site.conf", ApacheKit.Text("<VirtualHost *:80>", "    ServerName www.example.com", "</VirtualHost>")));
            ApacheKit.AddDebianLoadFiles(apache2, "ssl", "socache_shmcb");
            TreeSnapshot before = TreeSnapshot.Take(apache2);
            ApacheChangeResult change = SetSsl(apache2, "www.example.com");
            string site = Path.Combine(apache2, "sites-available", "www.example.com-ssl.conf");
            Assert.True(File.Exists(site));

            Undo(change.BackupDirectory!);

            Assert.False(File.Exists(site));
            Assert.False(File.Exists(Path.Combine(apache2, "sites-enabled", "www.example.com-ssl.conf")));
            Assert.False(new FileInfo(Path.Combine(apache2, "mods-enabled", "ssl.load")).Exists);
            Assert.Empty(before.Differences(TreeSnapshot.Take(apache2)));
        }

        [Fact]
        public void ReloadWithoutAnHttpd_IsApacheReloadUnavailable_AndNothingChanges()
        {
            string main = ApacheKit.SingleFile(Config, ApacheKit.Text("Listen 80", "<VirtualHost *:80>", "    ServerName www.example.com", "</VirtualHost>"));
            string before = File.ReadAllText(main);
            CertificateInfo certificate = ApacheKit.Certificate(Path.Combine(_temp.Path, "certs"), "www.example.com");
            ApacheSslOptions options = ApacheKit.SslOptions(main, "www.example.com", certificate, NoHttpd);
            options.Reload = true;

            CoreAssert.Throws("ApacheReloadUnavailable", () => ApacheConfigurator.SetSsl(options, ApacheKit.Yes, new RecordingLog()));

            Assert.Equal(before, File.ReadAllText(main));
        }
    }
}
