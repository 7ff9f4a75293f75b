using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using CertCmdlets.Core.Apache;
using CertCmdlets.Core.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Core.Tests.Apache
{
    /// <summary>
    /// Set-ApacheSsl on copies of the corpus trees (<see cref="ApacheCorpus"/>: the repository's Debian trees, the
    /// installed package's /etc/apache2, the generated Red Hat tree), without httpd (HttpdPath names no file): every
    /// byte the editor does not own stays as it was, links stay links, what it adds is where Debian's and RHEL's tools
    /// put it, and a second run changes nothing.
    /// </summary>
    public sealed class CorpusEditTests : IDisposable
    {
        private const string AbsentName = "absent-site.example.org";

        private readonly TempDirectory _temp = new TempDirectory();

        public void Dispose() => _temp.Dispose();

        /// <summary>Each Debian tree with every ServerName its enabled configuration names, and one name it does not.</summary>
        public static TheoryData<string, string> DebianSites()
        {
            var data = new TheoryData<string, string>();
            foreach (string tree in ApacheCorpus.DebianTrees())
            {
                foreach (string name in ApacheCorpus.EnabledServerNames(tree))
                {
                    data.Add(tree, name);
                }

                data.Add(tree, AbsentName);
            }

            return data;
        }

        [Theory]
        [MemberData(nameof(DebianSites))]
        public void DebianTree_SetSsl_ChangesOnlyWhatItOwnsAndIsIdempotent(string tree, string serverName)
        {
            string root = ApacheCorpus.CopyTree(tree, Path.Combine(_temp.Path, tree));
            string apache2 = Path.Combine(root, "apache2");

            // The trimmed trees lack mods-available files for ssl's dependencies (a2enmod would refuse too; see
            // DebianTree_WithoutSslDependencies_IsRefusedWithNothingChanged): give them Debian's.
            ApacheKit.AddDebianLoadFiles(apache2, "ssl", "setenvif", "mime", "socache_shmcb");
            TreeSnapshot before = TreeSnapshot.Take(root);
            ConfigTree treeBefore = Load(apache2);
            bool hadSslVhost = SslVirtualHosts(treeBefore, serverName).Any();
            ConfigSection? sibling = treeBefore.Walk().OfType<ConfigSection>().FirstOrDefault(s => s.Is("VirtualHost") && Names(s).Contains(serverName, StringComparer.OrdinalIgnoreCase));
            int listens443 = Listens(treeBefore, 443);
            CertificateInfo certificate = ApacheKit.Certificate(Path.Combine(_temp.Path, "certs"), serverName);
            var log = new RecordingLog();

            ApacheChangeResult result = ApacheConfigurator.SetSsl(ApacheKit.SslOptions(apache2, serverName, certificate, ApacheKit.NoHttpd(_temp.Path)), ApacheKit.Yes, log)!;

            Assert.NotNull(result);
            Assert.True(result.Changed, ApacheKit.Describe(result));
            Assert.Null(result.ConfigTest);
            Assert.Contains(log.Warnings, w => w.Contains("not tested", StringComparison.Ordinal));
            TreeSnapshot after = TreeSnapshot.Take(root);
            AssertOnlyOwnedChanges(root, before, after, result);
            AssertBackups(root, before, result);

            // mod_ssl and everything ssl.load's "# Depends:" line names, enabled by relative links as a2enmod makes them.
            foreach (string module in SslModules(apache2))
            {
                foreach (string extension in new[] { ".load", ".conf" })
                {
                    string enabled = "apache2/mods-enabled/" + module + extension;
                    if (before.Entries.ContainsKey("apache2/mods-available/" + module + extension) && !before.Entries.ContainsKey(enabled))
                    {
                        AssertLink(after, enabled, "../mods-available/" + module + extension);
                    }
                }
            }

            string siteFile = "apache2/sites-available/" + serverName + "-ssl.conf";
            if (hadSslVhost)
            {
                Assert.False(after.Entries.ContainsKey(siteFile), $"{serverName} already had a :443 VirtualHost, yet {siteFile} was created.");
            }
            else
            {
                Assert.Equal("file", after.Entries[siteFile].Kind);
                AssertLink(after, "apache2/sites-enabled/" + serverName + "-ssl.conf", "../sites-available/" + serverName + "-ssl.conf");
            }

            ConfigTree treeAfter = Load(apache2);
            Assert.Equal(listens443, Listens(treeAfter, 443));
            ConfigSection vhost = Assert.Single(SslVirtualHosts(treeAfter, serverName));
            Assert.Equal(new[] { "on" }, ApacheKit.Single(vhost, "SSLEngine"));
            Assert.Equal(new[] { certificate.FullChainPath! }, ApacheKit.Single(vhost, "SSLCertificateFile"));
            Assert.Equal(new[] { certificate.KeyPath! }, ApacheKit.Single(vhost, "SSLCertificateKeyFile"));
            if (!hadSslVhost && sibling is not null)
            {
                foreach (string copied in new[] { "DocumentRoot", "ServerAlias" })
                {
                    ConfigDirective? original = sibling.Children.OfType<ConfigDirective>().FirstOrDefault(d => d.Is(copied));
                    if (original is not null)
                    {
                        Assert.Equal(original.Arguments, ApacheKit.Single(vhost, copied));
                    }
                }
            }

            ApacheChangeResult again = ApacheConfigurator.SetSsl(ApacheKit.SslOptions(apache2, serverName, certificate, ApacheKit.NoHttpd(_temp.Path)), ApacheKit.Yes, new RecordingLog())!;

            Assert.False(again.Changed, "A second run changed the configuration again:" + Environment.NewLine + ApacheKit.Describe(again));
            Assert.Empty(again.FilesChanged);
            Assert.Empty(after.Differences(TreeSnapshot.Take(root)));
        }

        [Theory]
        [MemberData(nameof(DebianSites))]
        public void DebianTree_EnableRedirect_KeepsTheSitesOwnRulesAndIsIdempotent(string tree, string serverName)
        {
            string root = ApacheCorpus.CopyTree(tree, Path.Combine(_temp.Path, tree));
            string apache2 = Path.Combine(root, "apache2");
            ApacheKit.AddDebianLoadFiles(apache2, "rewrite");
            TreeSnapshot before = TreeSnapshot.Take(root);
            var options = new ApacheRedirectOptions { ConfigPath = apache2, ServerName = serverName, HttpdPath = ApacheKit.NoHttpd(_temp.Path) };

            ApacheChangeResult result = ApacheConfigurator.EnableRedirect(options, ApacheKit.Yes, new RecordingLog())!;

            Assert.True(result.Changed, ApacheKit.Describe(result));
            TreeSnapshot after = TreeSnapshot.Take(root);

            // The only RewriteRule the editor may replace is a site-wide redirect to HTTPS for this site; a rule
            // sending some paths to another https:// URL (debian/sites' blog.sites.test) belongs to the site.
            foreach (string path in result.FilesChanged.Select(f => Relative(root, f)).Where(before.Entries.ContainsKey))
            {
                string original = ResolvedText(root, before, path);
                string changed = File.ReadAllText(Path.Combine(root, path));
                List<ConfigDirective> rules = new ConfigFile(path, original).AllNodes().OfType<ConfigDirective>().Where(d => d.Is("RewriteRule")).ToList();
                List<string> afterLines = ApacheKit.PhysicalLines(changed).Select(l => l.TrimEnd('\r', '\n')).ToList();
                foreach (ConfigDirective rule in rules.Where(r => !IsSiteWideHttpsRedirect(r, serverName)))
                {
                    string line = ApacheKit.PhysicalLines(original)[rule.FirstLine].TrimEnd('\r', '\n');
                    Assert.True(afterLines.Contains(line), $"{path}: the site's own rule '{line}' was removed or rewritten:{Environment.NewLine}{changed}");
                }
            }

            AssertOnlyOwnedChanges(root, before, after, result);

            ConfigTree treeAfter = Load(apache2);
            // httpd serves a name from the first VirtualHost that names it (a tree may name a site twice); a tree whose
            // port 80 has one VirtualHost without ServerName (the package's 000-default) serves every name from it.
            List<ConfigSection> on80 = treeAfter.Walk().OfType<ConfigSection>().Where(s => s.Is("VirtualHost") && s.Arguments.Any(a => a.EndsWith(":80", StringComparison.Ordinal))).ToList();
            ConfigSection vhost = on80.FirstOrDefault(s => Names(s).Contains(serverName, StringComparer.OrdinalIgnoreCase))
                ?? Assert.Single(on80, s => !s.Children.OfType<ConfigDirective>().Any(d => d.Is("ServerName")));
            Assert.Contains(vhost.Children.OfType<ConfigDirective>(), d => d.Is("RewriteRule") && d.Arguments.SequenceEqual(new[] { "^", "https://" + serverName + "%{REQUEST_URI}", "[R=301,L,NE]" }));
            Assert.Contains(vhost.Children.OfType<ConfigDirective>(), d => d.Is("RewriteEngine") && d.Arguments.SequenceEqual(new[] { "on" }));

            ApacheChangeResult again = ApacheConfigurator.EnableRedirect(options, ApacheKit.Yes, new RecordingLog())!;

            Assert.False(again.Changed, ApacheKit.Describe(again));
            Assert.Empty(after.Differences(TreeSnapshot.Take(root)));
        }

        [Theory]
        [MemberData(nameof(DebianTreeNames))]
        public void DebianTree_CopyIsTheCorpusTree(string tree)
        {
            // Every corpus file arrives byte for byte; every placeholder of a link becomes that relative link.
            string root = ApacheCorpus.CopyTree(tree, Path.Combine(_temp.Path, tree));
            string source = ApacheCorpus.PathOf(tree);
            TreeSnapshot copy = TreeSnapshot.Take(root);

            foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
            {
                string relative = Path.GetRelativePath(source, file).Replace('\\', '/');
                string? link = ApacheCorpus.PlaceholderTarget(file) ?? new FileInfo(file).LinkTarget;
                if (link is not null)
                {
                    AssertLink(copy, relative, link);
                }
                else
                {
                    Assert.Equal(File.ReadAllBytes(file), copy.Entries[relative].Bytes);
                }
            }
        }

        public static TheoryData<string> DebianTreeNames()
        {
            var data = new TheoryData<string>();
            foreach (string tree in ApacheCorpus.DebianTrees())
            {
                data.Add(tree);
            }

            return data;
        }

        [Fact]
        public void DebianTree_WithoutSslDependencies_IsRefusedWithNothingChanged()
        {
            // debian/minimal's mods-available holds ssl.load ("# Depends: setenvif mime socache_shmcb") but not the
            // modules it depends on: like a2enmod, the editor must refuse rather than half-enable mod_ssl.
            string root = ApacheCorpus.CopyTree("debian/minimal", Path.Combine(_temp.Path, "minimal"));
            string apache2 = Path.Combine(root, "apache2");
            TreeSnapshot before = TreeSnapshot.Take(root);
            CertificateInfo certificate = ApacheKit.Certificate(Path.Combine(_temp.Path, "certs"), "www.example.com");

            CertCmdletsException error = CoreAssert.Throws("ApacheModuleMissing", () => ApacheConfigurator.SetSsl(ApacheKit.SslOptions(apache2, "www.example.com", certificate, ApacheKit.NoHttpd(_temp.Path)), ApacheKit.Yes, new RecordingLog()));

            Assert.Contains("mod_setenvif", error.Message, StringComparison.Ordinal);
            Assert.Contains(Path.Combine(apache2, "mods-available", "setenvif.load"), error.Message, StringComparison.Ordinal);
            Assert.Empty(before.Differences(TreeSnapshot.Take(root)));
        }

        public static TheoryData<string> RedHatNames()
        {
            var data = new TheoryData<string>();
            foreach (string site in ApacheLayouts.RedHatSites)
            {
                data.Add(site);
            }

            data.Add(AbsentName);
            return data;
        }

        [Theory]
        [MemberData(nameof(RedHatNames))]
        public void RedHatTree_SetSsl_AddsASiteFileInConfDAndIsIdempotent(string serverName)
        {
            string root = ApacheCorpus.CopyTree("redhat", Path.Combine(_temp.Path, "redhat"));
            string httpd = Path.Combine(root, "httpd");

            // httpd.conf says ServerRoot "/etc/httpd": httpd and the editor both obey it, so the copy's one line is pointed at the copy.
            ConfigFileCorpusTests.RewriteServerRoot(Path.Combine(httpd, "conf", "httpd.conf"), httpd);
            TreeSnapshot before = TreeSnapshot.Take(root);
            ConfigTree treeBefore = ConfigTree.Load(Path.Combine(httpd, "conf", "httpd.conf"), httpd, new Dictionary<string, string>());
            ConfigSection? sibling = treeBefore.Walk().OfType<ConfigSection>().FirstOrDefault(s => s.Is("VirtualHost") && Names(s).Contains(serverName, StringComparer.OrdinalIgnoreCase));
            int listens443 = Listens(treeBefore, 443);
            CertificateInfo certificate = ApacheKit.Certificate(Path.Combine(_temp.Path, "certs"), serverName);

            ApacheChangeResult result = ApacheConfigurator.SetSsl(ApacheKit.SslOptions(httpd, serverName, certificate, ApacheKit.NoHttpd(_temp.Path)), ApacheKit.Yes, new RecordingLog())!;

            Assert.True(result.Changed);
            string siteFile = "httpd/conf.d/" + serverName + "-ssl.conf";
            Assert.Equal(new[] { siteFile }, result.FilesChanged.Select(f => Relative(root, f)));
            TreeSnapshot after = TreeSnapshot.Take(root);
            AssertOnlyOwnedChanges(root, before, after, result);
            ConfigTree treeAfter = ConfigTree.Load(Path.Combine(httpd, "conf", "httpd.conf"), httpd, new Dictionary<string, string>());
            Assert.Equal(listens443, Listens(treeAfter, 443));
            ConfigSection vhost = Assert.Single(SslVirtualHosts(treeAfter, serverName));
            Assert.Equal(Path.Combine(root, siteFile), vhost.File.Path);
            Assert.Equal(new[] { certificate.FullChainPath! }, ApacheKit.Single(vhost, "SSLCertificateFile"));
            if (sibling is not null)
            {
                Assert.Equal(sibling.Children.OfType<ConfigDirective>().First(d => d.Is("DocumentRoot")).Arguments, ApacheKit.Single(vhost, "DocumentRoot"));
            }

            ApacheChangeResult again = ApacheConfigurator.SetSsl(ApacheKit.SslOptions(httpd, serverName, certificate, ApacheKit.NoHttpd(_temp.Path)), ApacheKit.Yes, new RecordingLog())!;

            Assert.False(again.Changed, ApacheKit.Describe(again));
            Assert.Empty(after.Differences(TreeSnapshot.Take(root)));
        }

        [Fact]
        public void RedHatTree_StillNamingEtcHttpd_IsRefusedWithNothingWritten()
        {
            if (Directory.Exists(ApacheLayouts.RedHatServerRoot))
            {
                return; // A RHEL machine: /etc/httpd is real and this copy would rightly read it.
            }

            // The copy's httpd.conf still says ServerRoot "/etc/httpd", which does not exist here: its modules cannot
            // be found, and nothing may be written anywhere.
            string root = ApacheCorpus.CopyTree("redhat", Path.Combine(_temp.Path, "redhat"));
            string httpd = Path.Combine(root, "httpd");
            TreeSnapshot before = TreeSnapshot.Take(root);
            CertificateInfo certificate = ApacheKit.Certificate(Path.Combine(_temp.Path, "certs"), "www.redhat.test");

            Exception? error = Record.Exception(() => ApacheConfigurator.SetSsl(ApacheKit.SslOptions(httpd, "www.redhat.test", certificate, ApacheKit.NoHttpd(_temp.Path)), ApacheKit.Yes, new RecordingLog()));

            Assert.IsType<CertCmdletsException>(error);
            Assert.Empty(before.Differences(TreeSnapshot.Take(root)));
            Assert.False(Directory.Exists(ApacheLayouts.RedHatServerRoot));
        }

        [Fact]
        public void SingleFile_SetSsl_LoadsModSslBesideTheOtherModulesAndIsIdempotent()
        {
            string root = Path.Combine(_temp.Path, "single");
            string text = ApacheKit.Text(
                "# One-file httpd (Windows, private builds)",
                "Listen 80",
                "LoadModule mime_module modules/mod_mime.so",
                "LoadModule log_config_module modules/mod_log_config.so",
                "LoadModule rewrite_module modules/mod_rewrite.so",
                "",
                "DocumentRoot /srv/www",
                "",
                "<VirtualHost *:80>",
                "    ServerName www.example.com",
                "    ServerAlias example.com",
                "    DocumentRoot /srv/www/example",
                "</VirtualHost>");
            string main = ApacheKit.SingleFile(root, text);
            TreeSnapshot before = TreeSnapshot.Take(root);
            CertificateInfo certificate = ApacheKit.Certificate(Path.Combine(_temp.Path, "certs"), "www.example.com", "example.com");

            ApacheChangeResult result = ApacheConfigurator.SetSsl(ApacheKit.SslOptions(root, "www.example.com", certificate, ApacheKit.NoHttpd(_temp.Path)), ApacheKit.Yes, new RecordingLog())!;

            Assert.Equal(new[] { main }, result.FilesChanged);
            TreeSnapshot after = TreeSnapshot.Take(root);
            AssertOnlyOwnedChanges(root, before, after, result);
            List<string> lines = File.ReadAllLines(main).ToList();
            int ssl = lines.IndexOf("LoadModule ssl_module modules/mod_ssl.so");
            Assert.True(ssl >= 0, "No 'LoadModule ssl_module modules/mod_ssl.so':" + Environment.NewLine + string.Join(Environment.NewLine, lines));
            Assert.Equal("LoadModule rewrite_module modules/mod_rewrite.so", lines[ssl - 1]);
            Assert.Single(lines, l => l.StartsWith("LoadModule ssl_module", StringComparison.Ordinal));
            Assert.Single(lines, l => l == "Listen 443");
            Assert.Equal(lines.IndexOf("Listen 80") + 1, lines.IndexOf("Listen 443"));
            ConfigSection vhost = ApacheKit.VirtualHost(main, "www.example.com", 443);
            Assert.Equal(new[] { "example.com" }, ApacheKit.Single(vhost, "ServerAlias"));
            Assert.Equal(new[] { "/srv/www/example" }, ApacheKit.Single(vhost, "DocumentRoot"));

            ApacheChangeResult again = ApacheConfigurator.SetSsl(ApacheKit.SslOptions(root, "www.example.com", certificate, ApacheKit.NoHttpd(_temp.Path)), ApacheKit.Yes, new RecordingLog())!;

            Assert.False(again.Changed, ApacheKit.Describe(again));
            Assert.Empty(after.Differences(TreeSnapshot.Take(root)));
        }

        [Fact]
        public void HttpdPathThatDoesNotExist_WarnsAndSkipsTheConfigurationTest()
        {
            // An explicit -HttpdPath naming no file: no exception; the change is made untested, with a warning.
            string apache2 = ApacheKit.DebianTree(Path.Combine(_temp.Path, "apache2"), ApacheKit.Text("Listen 80", "Listen 443"),
                ("site.conf", ApacheKit.Text("<VirtualHost *:80>", "    ServerName www.example.com", "</VirtualHost>")));
            CertificateInfo certificate = ApacheKit.Certificate(Path.Combine(_temp.Path, "certs"), "www.example.com");
            var log = new RecordingLog();

            ApacheChangeResult result = ApacheConfigurator.SetSsl(ApacheKit.SslOptions(apache2, "www.example.com", certificate, ApacheKit.NoHttpd(_temp.Path)), ApacheKit.Yes, log)!;

            Assert.True(result.Changed);
            Assert.Null(result.ConfigTest);
            string warning = Assert.Single(log.Warnings);
            Assert.Contains("not tested", warning, StringComparison.Ordinal);
            Assert.Contains("configtest", warning, StringComparison.Ordinal);
            Assert.Contains(log.VerboseMessages, m => m.Contains("not found", StringComparison.Ordinal));
        }

        private static ConfigTree Load(string apache2) => ConfigTree.Load(Path.Combine(apache2, "apache2.conf"), apache2, new Dictionary<string, string>());

        private static IEnumerable<string> Names(ConfigSection vhost) =>
            vhost.Children.OfType<ConfigDirective>().Where(d => d.Is("ServerName") || d.Is("ServerAlias")).SelectMany(d => d.Arguments);

        private static IEnumerable<ConfigSection> SslVirtualHosts(ConfigTree tree, string serverName) =>
            tree.AllNodes().OfType<ConfigSection>().Where(s => s.Is("VirtualHost") && s.Arguments.Any(a => a.EndsWith(":443", StringComparison.Ordinal))
                && Names(s).Contains(serverName, StringComparer.OrdinalIgnoreCase));

        private static int Listens(ConfigTree tree, int port) =>
            tree.AllNodes().OfType<ConfigDirective>().Count(d => d.Is("Listen") && d.Arguments.Count > 0 && d.Arguments[0].Split(':').Last() == port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        private static IEnumerable<string> SslModules(string apache2)
        {
            yield return "ssl";
            foreach (string line in File.ReadAllLines(Path.Combine(apache2, "mods-available", "ssl.load")))
            {
                if (line.StartsWith("# Depends:", StringComparison.Ordinal))
                {
                    foreach (string module in line.Substring("# Depends:".Length).Split(new[] { ' ', ',' }, StringSplitOptions.RemoveEmptyEntries))
                    {
                        yield return module;
                    }
                }
            }
        }

        private static bool IsSiteWideHttpsRedirect(ConfigDirective rule, string serverName) =>
            rule.Arguments.Count >= 2
            && (rule.Arguments[0] == "^" || rule.Arguments[0] == "^(.*)$" || rule.Arguments[0] == "(.*)")
            && new[] { "https://" + serverName, "https://%{SERVER_NAME}", "https://%{HTTP_HOST}" }.Any(p => rule.Arguments[1].StartsWith(p, StringComparison.OrdinalIgnoreCase));

        private static string ResolvedText(string root, TreeSnapshot snapshot, string path)
        {
            TreeEntry entry = snapshot.Entries[path];
            if (entry.Kind == "link")
            {
                entry = snapshot.Entries[Relative(root, Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.Combine(root, path))!, entry.LinkTarget!)))];
            }

            return Encoding.UTF8.GetString(entry.Bytes!);
        }

        internal static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');

        internal static void AssertLink(TreeSnapshot snapshot, string relative, string target)
        {
            Assert.True(snapshot.Entries.TryGetValue(relative, out TreeEntry? entry), $"{relative} does not exist.");
            Assert.True(entry!.Kind == "link" && entry.LinkTarget == target, $"{relative} should be a link to {target}; it is {entry}.");
        }

        /// <summary>
        /// Everything outside the result's FilesChanged (and the files behind them, for a site edited through its
        /// sites-enabled link) is as it was; links are still the same links; changed files lost only lines of
        /// directives the editor owns; every new entry is listed.
        /// </summary>
        internal static void AssertOnlyOwnedChanges(string root, TreeSnapshot before, TreeSnapshot after, ApacheChangeResult result)
        {
            List<string> listed = result.FilesChanged.Select(f => Relative(root, f)).ToList();
            var contentPaths = new HashSet<string>(listed, StringComparer.Ordinal);
            foreach (string path in listed)
            {
                if (before.Entries.TryGetValue(path, out TreeEntry? entry) && entry.Kind == "link")
                {
                    contentPaths.Add(Relative(root, Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.Combine(root, path))!, entry.LinkTarget!))));
                }
            }

            foreach ((string path, TreeEntry entry) in before.Entries)
            {
                Assert.True(after.Entries.TryGetValue(path, out TreeEntry? now), $"{path} was removed.");
                if (entry.Kind == "link")
                {
                    Assert.True(now!.Kind == "link" && now.LinkTarget == entry.LinkTarget, $"{path} was a link to {entry.LinkTarget}; after the change it is {now}.");
                    continue;
                }

                if (entry.Kind == "directory")
                {
                    continue;
                }

                if (!contentPaths.Contains(path))
                {
                    Assert.True(entry.SameAs(now!), $"{path} is not listed in FilesChanged, yet it changed: {entry} => {now}{Environment.NewLine}{ApacheKit.Describe(result)}");
                    continue;
                }

                Assert.Equal(entry.Mode, now!.Mode);
                ApacheKit.OnlyOwnedLinesRemoved(Path.Combine(root, path), Encoding.UTF8.GetString(entry.Bytes!), Encoding.UTF8.GetString(now.Bytes!));
            }

            foreach ((string path, TreeEntry entry) in after.Entries)
            {
                if (!before.Entries.ContainsKey(path) && entry.Kind != "directory")
                {
                    Assert.True(listed.Contains(path), $"{path} was created ({entry}) but FilesChanged does not list it: {string.Join(", ", listed)}");
                }
            }
        }

        /// <summary>Each backup holds the bytes its file had before the change, under ServerRoot/.certcmdlets-backup.</summary>
        internal static void AssertBackups(string root, TreeSnapshot before, ApacheChangeResult result)
        {
            foreach (string backup in result.Backups)
            {
                Assert.True(File.Exists(backup), backup + " does not exist.");
                string relative = Relative(root, backup);
                int marker = relative.IndexOf(TreeSnapshot.BackupDirectoryName + "/", StringComparison.Ordinal);
                Assert.True(marker >= 0, $"{backup} is not under a {TreeSnapshot.BackupDirectoryName} directory.");
                string serverRoot = relative.Substring(0, marker);
                string afterStamp = relative.Substring(marker + TreeSnapshot.BackupDirectoryName.Length + 1);
                string original = serverRoot + afterStamp.Substring(afterStamp.IndexOf('/') + 1);
                TreeEntry entry = before.Entries[original];
                if (entry.Kind == "link")
                {
                    entry = before.Entries[Relative(root, Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.Combine(root, original))!, entry.LinkTarget!)))];
                }

                Assert.Equal(entry.Bytes, File.ReadAllBytes(backup));
            }
        }
    }
}
