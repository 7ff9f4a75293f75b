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
    /// Every file of the corpus (<see cref="ApacheCorpus"/>) read by <see cref="ConfigFile"/> and written back: not one
    /// byte may move. Whole trees read by <see cref="ConfigTree"/> the way httpd would (Include globs, directories, Define).
    /// </summary>
    public sealed class ConfigFileCorpusTests : IDisposable
    {
        private readonly TempDirectory _temp = new TempDirectory();

        public void Dispose() => _temp.Dispose();

        /// <summary>Every corpus file httpd accepts or that belongs to a tree: all trees and the passing single files, non-.conf files included.</summary>
        public static TheoryData<string> ReadableFiles()
        {
            var data = new TheoryData<string>();
            foreach (string file in ApacheCorpus.AllFiles().Where(f => !ApacheCorpus.IsFailing(f)))
            {
                data.Add(file);
            }

            return data;
        }

        public static TheoryData<string> FailingFiles()
        {
            var data = new TheoryData<string>();
            foreach (string file in ApacheCorpus.FailingFiles())
            {
                data.Add(file);
            }

            return data;
        }

        [Fact]
        public void Corpus_HoldsEveryPart_WithoutTheSharedCorpus()
        {
            IReadOnlyList<string> files = ApacheCorpus.AllFiles();
            var parts = new List<string> { "passing/", "failing/", "complex/", "debian/minimal/", "debian/sites/", "redhat/", "gentoo/" };
            if (ApacheHttpd.IsAvailable || OpenSsl.IsCi)
            {
                // The installed package's /etc/apache2 (run-tests.sh installs apache2; CI must have it).
                parts.Add("debian/package/");
            }

            if (ApacheCorpus.Shared is not null)
            {
                parts.Add("shared/");
            }

            foreach (string part in parts)
            {
                Assert.True(files.Any(f => f.StartsWith(part, StringComparison.Ordinal)), $"The corpus has no file under {part}.");
            }

            Assert.Contains(files, f => f.StartsWith("passing/generated-crlf-", StringComparison.Ordinal));
            Assert.Contains(files, f => f == "passing/generated-long-lines.conf");
            Assert.True(ApacheCorpus.DebianTrees().Count >= 2, "Expected at least the repository's two Debian trees: " + string.Join(", ", ApacheCorpus.DebianTrees()));
        }

        [Fact]
        public void GeneratedFiles_HaveTheBytesTheyAreMadeFor()
        {
            byte[] crlf = File.ReadAllBytes(ApacheCorpus.PathOf("passing/generated-crlf-continuations.conf"));
            string text = ApacheCorpus.StrictUtf8.GetString(crlf);
            Assert.Contains("\\\r\n", text, StringComparison.Ordinal);
            Assert.DoesNotContain(text.Replace("\r\n", string.Empty, StringComparison.Ordinal), c => c == '\n');
            Assert.False(ApacheCorpus.StrictUtf8.GetString(File.ReadAllBytes(ApacheCorpus.PathOf("passing/generated-no-final-newline.conf"))).EndsWith('\n'));
            Assert.Contains(File.ReadAllLines(ApacheCorpus.PathOf("passing/generated-long-lines.conf")), l => l.Length > 6000);
        }

        [Theory]
        [MemberData(nameof(ReadableFiles))]
        public void CorpusFile_ParsesAndWritesBackEveryByte(string relative)
        {
            string path = ApacheCorpus.PathOf(relative);
            byte[] bytes = File.ReadAllBytes(path);
            string text = DecodeOrFail(relative, bytes);
            if (ApacheCorpus.BrokenOnPurpose.Contains(Path.GetFileName(relative)))
            {
                // A file broken on purpose (a <VirtualHost> never closed), kept in conf-available where httpd never
                // reads it: the parser must refuse it and say where the section opens.
                int opening = ApacheKit.PhysicalLines(text).FindIndex(l => l.TrimStart().StartsWith("<VirtualHost", StringComparison.OrdinalIgnoreCase)) + 1;
                ApacheConfigException error = Assert.Throws<ApacheConfigException>(() => new ConfigFile(path, text));
                Assert.Equal(path, error.Path);
                Assert.Equal(opening, error.Line);
                Assert.Contains("never closed", error.Message, StringComparison.Ordinal);
                return;
            }

            var file = new ConfigFile(path, text);

            Assert.Equal(text, file.OriginalText);
            Assert.Equal(text, file.Text);
            Assert.False(file.IsChanged);
            Assert.Equal(bytes, new UTF8Encoding(false).GetBytes(file.Text));
            Assert.Equal(ApacheKit.PhysicalLines(text).Count, file.LineCount);
        }

        [Theory]
        [MemberData(nameof(FailingFiles))]
        public void FailingCorpusFile_IsEitherReadByteForByteOrRefusedWithFileAndLine(string relative)
        {
            // httpd rejects these for what they mean (unknown directives, modules not loaded), not for their syntax:
            // the parser may read them (the configuration test then refuses them, see ApacheConfigTestTests), and if it
            // refuses one itself it must say where.
            string path = ApacheCorpus.PathOf(relative);
            byte[] bytes = File.ReadAllBytes(path);
            string text = DecodeOrFail(relative, bytes);

            Exception? error = Record.Exception(() => new ConfigFile(path, text));

            if (error is null)
            {
                Assert.Equal(bytes, new UTF8Encoding(false).GetBytes(new ConfigFile(path, text).Text));
            }
            else
            {
                ApacheConfigException parseError = Assert.IsType<ApacheConfigException>(error);
                Assert.Equal(path, parseError.Path);
                Assert.InRange(parseError.Line, 1, ApacheKit.PhysicalLines(text).Count);
            }
        }

        [Fact]
        public void TwoBlocksClosedOnOneLine_CloseBothSections()
        {
            string path = ApacheCorpus.PathOf("passing/two-blocks-one-line.conf");
            string text = ApacheKit.Utf8Text(path);
            int sharedLine = ApacheKit.PhysicalLines(text).FindIndex(l => l.Contains("</VirtualHost> </IfModule>", StringComparison.Ordinal));
            Assert.True(sharedLine >= 0, "The corpus file no longer holds '</VirtualHost> </IfModule>'.");

            var file = new ConfigFile(path, text);

            ConfigSection ifModule = Assert.IsType<ConfigSection>(Assert.Single(file.Nodes));
            ConfigSection vhost = Assert.IsType<ConfigSection>(Assert.Single(ifModule.Children));
            Assert.True(vhost.Is("VirtualHost"));
            Assert.Equal(sharedLine, vhost.CloseLine);
            Assert.Equal(sharedLine, ifModule.CloseLine);
            Assert.True(vhost.CloseShared);
            Assert.Contains(vhost.Children.OfType<ConfigDirective>(), d => d.Is("SSLCertificateFile"));
        }

        [Fact]
        public void ContinuationLines_AreJoinedIntoOneDirective()
        {
            // BrowserMatch "Legacy Browser [1-4]" \ / nokeepalive ... \ / downgrade-1.0 ...: one directive over three physical lines.
            string path = ApacheCorpus.PathOf("debian/minimal/apache2/sites-available/default-ssl.conf");
            string text = ApacheKit.Utf8Text(path);
            List<string> lines = ApacheKit.PhysicalLines(text);
            int first = lines.FindIndex(l => l.Contains("BrowserMatch \"Legacy Browser [1-4]\" \\", StringComparison.Ordinal));
            Assert.True(first >= 0);

            ConfigDirective browserMatch = new ConfigFile(path, text).AllNodes().OfType<ConfigDirective>().First(d => d.Is("BrowserMatch"));

            Assert.Equal(first, browserMatch.FirstLine);
            Assert.Equal(first + 2, browserMatch.LastLine);
            Assert.Equal(new[] { "Legacy Browser [1-4]", "nokeepalive", "ssl-unclean-shutdown", "downgrade-1.0", "force-response-1.0" }, browserMatch.Arguments);
        }

        public static TheoryData<string> Trees()
        {
            var data = new TheoryData<string>();
            foreach (string tree in ApacheCorpus.DebianTrees())
            {
                data.Add(tree);
            }

            data.Add("redhat");
            data.Add("complex");
            return data;
        }

        [Theory]
        [MemberData(nameof(Trees))]
        public void CorpusTree_LoadsEveryIncludedFile(string tree)
        {
            (string main, string serverRoot, List<string> expected) = CopyForLoading(tree);

            ConfigTree loaded = ConfigTree.Load(main, serverRoot, new Dictionary<string, string>());

            // httpd's reading order is depth first (authz_svn.load includes dav_svn.load, which includes dav.load), so
            // compare the set, the main file first, and that no file was read twice.
            List<string> read = loaded.Files.Select(f => Path.GetRelativePath(serverRoot, f.Path).Replace('\\', '/')).ToList();
            Assert.Equal(expected[0], read[0]);
            Assert.Equal(expected.OrderBy(f => f, StringComparer.Ordinal), read.OrderBy(f => f, StringComparer.Ordinal));
            Assert.Equal(read.Count, read.Distinct(StringComparer.Ordinal).Count());
            foreach (ConfigFile file in loaded.Files)
            {
                Assert.Equal(ApacheKit.Utf8Text(file.Path), file.Text);
            }
        }

        [Fact]
        public void ComplexTree_DefinesAreExpanded()
        {
            (string main, string serverRoot, _) = CopyForLoading("complex");

            ConfigTree loaded = ConfigTree.Load(main, serverRoot, new Dictionary<string, string>());

            Assert.Equal("8443", loaded.Expand("${https_port}"));
            Assert.Equal("8443", loaded.Expand("${https_port_quoted}"));
            Assert.Equal("extra-settings.conf", loaded.Expand("${extra_file}"));
            Assert.Equal("${NOT_DEFINED_ANYWHERE}", loaded.Expand("${NOT_DEFINED_ANYWHERE}"));
            Assert.Equal(Path.Combine(serverRoot, "extra-settings.conf"), loaded.Resolve("${extra_file}"));
        }

        [Fact]
        public void Gentoo_IncludeOfAFileOnlyARealGentooHas_IsReadOnlyWhenHttpdWouldReadIt()
        {
            // vhosts.d/00_default_ssl_vhost.conf includes /etc/apache2/vhosts.d/default_vhost.include (absolute), inside
            // <IfDefine SSL><IfDefine SSL_DEFAULT_VHOST><IfModule ssl_module>. httpd skips that Include unless it runs
            // with -D SSL -D SSL_DEFAULT_VHOST (Gentoo's APACHE2_OPTS), and so does the tree: without them the copy
            // loads; with them the missing file is reported with file and line.
            string root = ApacheCorpus.CopyTree("gentoo", Path.Combine(_temp.Path, "gentoo"));
            string apache2 = Path.Combine(root, "apache2");
            string main = Path.Combine(apache2, "httpd.conf");
            RewriteServerRoot(main, apache2);
            string sslVhost = Path.Combine(apache2, "vhosts.d", "00_default_ssl_vhost.conf");
            int includeLine = File.ReadAllLines(sslVhost).ToList().FindIndex(l => l.Contains("Include " + ApacheLayouts.GentooDefaultVhostInclude, StringComparison.Ordinal)) + 1;
            Assert.True(includeLine > 0);

            ConfigTree plain = ConfigTree.Load(main, apache2, new Dictionary<string, string>());
            ConfigDirective skipped = plain.AllNodes().OfType<ConfigDirective>().Single(d => d.Is("Include") && d.File.Path == sslVhost);
            Assert.False(skipped.IsActive);
            Assert.DoesNotContain(plain.Walk(), n => n == skipped);

            if (File.Exists(ApacheLayouts.GentooDefaultVhostInclude))
            {
                return; // A real Gentoo machine: the include exists.
            }

            ApacheConfigException error = Assert.Throws<ApacheConfigException>(() => ConfigTree.Load(main, apache2, new Dictionary<string, string>(), new[] { "SSL", "SSL_DEFAULT_VHOST" }, null));

            Assert.Equal(sslVhost, error.Path);
            Assert.Equal(includeLine, error.Line);
            Assert.Contains(ApacheLayouts.GentooDefaultVhostInclude, error.Message, StringComparison.Ordinal);
        }

        /// <summary>A copy of a corpus tree ready for ConfigTree, with the files httpd would read, in its reading order.</summary>
        private (string Main, string ServerRoot, List<string> Expected) CopyForLoading(string tree)
        {
            string copy = ApacheCorpus.CopyTree(tree, Path.Combine(_temp.Path, tree.Replace('/', '_')));
            if (ApacheCorpus.DebianTrees().Contains(tree))
            {
                string apache2 = Path.Combine(copy, "apache2");
                var expected = new List<string> { "apache2.conf" };
                expected.AddRange(Glob(apache2, "mods-enabled", "*.load"));
                expected.AddRange(Glob(apache2, "mods-enabled", "*.conf"));
                expected.Add("ports.conf");
                expected.AddRange(Glob(apache2, "conf-enabled", "*.conf"));
                expected.AddRange(Glob(apache2, "sites-enabled", "*.conf"));
                return (Path.Combine(apache2, "apache2.conf"), apache2, expected);
            }

            if (tree == "redhat")
            {
                // httpd.conf says ServerRoot "/etc/httpd"; the copy must read its own files, so that one line points to the copy.
                string httpd = Path.Combine(copy, "httpd");
                string main = Path.Combine(httpd, "conf", "httpd.conf");
                RewriteServerRoot(main, httpd);
                var expected = new List<string> { "conf/httpd.conf" };
                expected.AddRange(Glob(httpd, "conf.modules.d", "*.conf"));
                expected.AddRange(Glob(httpd, "conf.d", "*.conf"));
                return (main, httpd, expected);
            }

            // complex: conf-enabled/ is a directory include (every file below it), then ${extra_file} and the
            // ${sites_glob} glob (*.conf only); mods-enabled and no-such-folder do not exist (IncludeOptional).
            var complex = new List<string> { "apache2.conf" };
            complex.AddRange(Directory.EnumerateFiles(Path.Combine(copy, "conf-enabled"), "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(copy, f).Replace('\\', '/')).OrderBy(f => f, StringComparer.Ordinal));
            complex.Add("extra-settings.conf");
            complex.AddRange(Glob(copy, "sites", "*.conf"));
            return (Path.Combine(copy, "apache2.conf"), copy, complex);
        }

        private static IEnumerable<string> Glob(string root, string directory, string pattern)
        {
            string full = Path.Combine(root, directory);
            return Directory.Exists(full)
                ? Directory.EnumerateFiles(full, pattern).Select(f => directory + "/" + Path.GetFileName(f)).OrderBy(f => f, StringComparer.Ordinal)
                : Enumerable.Empty<string>();
        }

        internal static void RewriteServerRoot(string main, string serverRoot)
        {
            string text = ApacheKit.Utf8Text(main);
            List<string> lines = ApacheKit.PhysicalLines(text);
            int index = lines.FindIndex(l => l.StartsWith("ServerRoot ", StringComparison.Ordinal));
            Assert.True(index >= 0, main + " has no ServerRoot line.");
            lines[index] = $"ServerRoot \"{serverRoot}\"\n";
            File.WriteAllText(main, string.Concat(lines), new UTF8Encoding(false));
        }

        private static string DecodeOrFail(string relative, byte[] bytes)
        {
            try
            {
                return ApacheCorpus.StrictUtf8.GetString(bytes);
            }
            catch (DecoderFallbackException ex)
            {
                throw new Xunit.Sdk.XunitException($"{relative} is not valid UTF-8 (byte index {ex.Index}); the editor reads files as UTF-8 and would not write this one back byte for byte.");
            }
        }
    }
}
