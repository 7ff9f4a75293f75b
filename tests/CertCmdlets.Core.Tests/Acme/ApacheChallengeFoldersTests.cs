using System;
using System.Collections.Generic;
using System.IO;
using CertCmdlets.Core.Acme.Challenges;
using CertCmdlets.Core.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Core.Tests.Acme
{
    /// <summary>
    /// Where httpd serves /.well-known/acme-challenge/ for a name, read from a configuration as the editor reads it:
    /// the name's plain-HTTP VirtualHost (ServerName or a ServerAlias wildcard), its Alias of that path, else its
    /// DocumentRoot (ServerRoot-relative paths resolved), else the main server's; a name with no such site is refused.
    /// (The same lookup against a running httpd is the ApacheSite case of tests/Scenarios/Acme.Pebble.ps1.)
    /// </summary>
    public sealed class ApacheChallengeFoldersTests : IDisposable
    {
        private readonly TempDirectory _root = new TempDirectory();

        public void Dispose() => _root.Dispose();

        [Fact]
        public void EachNameGetsItsSitesFolder()
        {
            string config = Write(
                "ServerRoot \"" + _root.Path + "\"\n" +
                "LoadModule alias_module modules/mod_alias.so\n" +
                "DocumentRoot \"" + _root.Path + "/main\"\n" +
                "<VirtualHost *:8080>\n\tServerName a.example\n\tDocumentRoot htdocs/a\n</VirtualHost>\n" +
                "<VirtualHost 127.0.0.1:8080>\n\tServerName http://b.example:8080\n\tServerAlias *.wild.example\n\tDocumentRoot /srv/b\n" +
                "\t<IfModule alias_module>\n\t\tAlias /.well-known/acme-challenge/ \"/srv/acme/\"\n\t</IfModule>\n</VirtualHost>\n" +
                "<VirtualHost *:8080>\n\tServerName c.example\n</VirtualHost>\n" +
                "<VirtualHost *:8443>\n\tServerName a.example\n\tDocumentRoot /srv/tls\n</VirtualHost>\n");
            var log = new RecordingLog();

            Dictionary<string, string> folders = ApacheChallengeFolders.Find(config, null, 8080, new[] { "a.example", "b.example", "x.wild.example", "c.example" }, log);

            Assert.Equal(Path.Combine(_root.Path, "htdocs/a", ".well-known", "acme-challenge"), folders["a.example"]);
            Assert.Equal("/srv/acme", folders["b.example"]);
            Assert.Equal("/srv/acme", folders["x.wild.example"]);
            Assert.Equal(Path.Combine(_root.Path + "/main", ".well-known", "acme-challenge"), folders["c.example"]);
            Assert.Contains(log.VerboseMessages, m => m.Contains("line 4", StringComparison.Ordinal) && m.Contains("a.example", StringComparison.Ordinal));
        }

        [Fact]
        public void AnAliasInsideIfModuleOfAModuleNotLoaded_IsIgnored_AsHttpdIgnoresIt()
        {
            string config = Write(
                "<VirtualHost *:80>\n\tServerName b.example\n\tDocumentRoot /srv/b\n" +
                "\t<IfModule alias_module>\n\t\tAlias /.well-known/acme-challenge/ \"/srv/acme/\"\n\t</IfModule>\n</VirtualHost>\n");

            Assert.Equal("/srv/b/.well-known/acme-challenge", ApacheChallengeFolders.Find(config, _root.Path, 80, new[] { "b.example" }, new RecordingLog())["b.example"]);
        }

        [Fact]
        public void AnAliasOfWellKnown_CoversTheChallengePath()
        {
            string config = Write("<VirtualHost *:80>\n\tServerName a.example\n\tDocumentRoot /srv/a\n\tAlias /.well-known /srv/wk\n</VirtualHost>\n");

            Assert.Equal("/srv/wk/acme-challenge", ApacheChallengeFolders.Find(config, _root.Path, 80, new[] { "a.example" }, new RecordingLog())["a.example"]);
        }

        [Fact]
        public void ANameWithoutAnHttpSite_IsRefused()
        {
            string config = Write("<VirtualHost *:443>\n\tServerName a.example\n\tDocumentRoot /srv/a\n</VirtualHost>\n");

            CertCmdletsException error = Assert.Throws<CertCmdletsException>(() => ApacheChallengeFolders.Find(config, _root.Path, 80, new[] { "a.example" }, new RecordingLog()));

            Assert.Equal("AcmeApacheSiteNotFound", error.ErrorId);
            Assert.Equal("a.example", error.Target);
            Assert.Contains("-WebRoot", error.RecommendedAction, StringComparison.Ordinal);
        }

        [Fact]
        public void ASiteWithoutADocumentRoot_SaysToGiveWebRoot()
        {
            string config = Write("<VirtualHost *:80>\n\tServerName a.example\n</VirtualHost>\n");

            CertCmdletsException error = Assert.Throws<CertCmdletsException>(() => ApacheChallengeFolders.Find(config, _root.Path, 80, new[] { "a.example" }, new RecordingLog()));

            Assert.Equal("AcmeApacheSiteHasNoWebRoot", error.ErrorId);
            Assert.Contains("-WebRoot", error.RecommendedAction, StringComparison.Ordinal);
        }

        [Fact]
        public void AnUnreadableConfiguration_IsTheEditorsError()
        {
            string config = Write("<VirtualHost *:80>\n\tServerName a.example\n");

            CertCmdletsException error = Assert.Throws<CertCmdletsException>(() => ApacheChallengeFolders.Find(config, _root.Path, 80, new[] { "a.example" }, new RecordingLog()));

            Assert.Equal("ApacheConfigInvalid", error.ErrorId);
        }

        private string Write(string text) => _root.WriteText("httpd.conf", text);
    }
}
