using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using CertCmdlets.Core.Apache;
using CertCmdlets.Core.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Core.Tests.Apache
{
    /// <summary>
    /// The tree reads what httpd reads, and only that: &lt;IfDefine&gt;, &lt;IfModule&gt; and &lt;IfFile&gt; evaluated while
    /// Include is followed, globs matched as APR matches them (judged by httpd's own <c>-D DUMP_INCLUDES</c> list), and
    /// nothing that is not a regular file of sane size ever read.
    /// </summary>
    public sealed class ApacheEngineTreeTests : IDisposable
    {
        private const string Modules = "/usr/lib/apache2/modules";
        private readonly TempDirectory _temp = new TempDirectory();

        public void Dispose() => _temp.Dispose();

        private string Apache2 => Path.Combine(_temp.Path, "conf", "apache2");

        private string Certificates => Path.Combine(_temp.Path, "certs");

        [SharedCorpusFact]
        public void ComplexParsing_ConditionsAreEvaluated_WalkHasOnlyWhatHttpdApplies_AllNodesHasEverything()
        {
            string root = ApacheCorpus.CopyTree("shared/complex_parsing", Path.Combine(_temp.Path, "complex"));

            ConfigTree tree = ConfigTree.Load(Path.Combine(root, "apache2.conf"), root, new Dictionary<string, string>());

            // The corpus names what httpd skips INVALID_*: Define COMPLEX holds, <IfDefine COMPLEX> loads mod_ssl,
            // mod_status is loaded, fake_module is not.
            List<ConfigDirective> marked = tree.AllNodes().OfType<ConfigDirective>().Where(d => d.Name.EndsWith("_DIRECTIVE", StringComparison.Ordinal)).ToList();
            List<ConfigDirective> walked = tree.Walk().OfType<ConfigDirective>().Where(d => d.Name.EndsWith("_DIRECTIVE", StringComparison.Ordinal)).ToList();
            Assert.Equal(14, marked.Count);
            Assert.All(marked, d => Assert.True(d.IsActive == !d.Name.StartsWith("INVALID_", StringComparison.Ordinal), $"{d.Name} {d.Arguments[0]} on line {d.FirstLine + 1}: active {d.IsActive}"));
            Assert.Equal(marked.Where(d => d.IsActive), walked);
            Assert.True(tree.IsModuleLoaded("ssl_module") && tree.IsModuleLoaded("mod_ssl.c"), "<IfDefine COMPLEX> loads mod_ssl");
            Assert.False(tree.IsModuleLoaded("fake_module"));
        }

        [Fact]
        public void IfDefineNever_IncludeOfDevZero_IsNeverRead()
        {
            ApacheKit.DebianTree(Apache2, ApacheKit.Text("Listen 80", "<IfDefine NEVER>", "    Include /dev/zero", "</IfDefine>", "<IfModule no_such_module>", "    Include /dev/zero", "</IfModule>"),
                ("site.conf", ApacheKit.Text("<VirtualHost *:80>", "    ServerName www.example.com", "</VirtualHost>")));
            CertificateInfo certificate = ApacheKit.Certificate(Certificates, "www.example.com");
            var clock = Stopwatch.StartNew();

            ApacheChangeResult? result = ApacheConfigurator.SetSsl(ApacheKit.SslOptions(Apache2, "www.example.com", certificate, ApacheKit.NoHttpd(_temp.Path)), (_, _) => false, new RecordingLog());

            Assert.Null(result);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30));
            ConfigTree tree = ConfigTree.Load(Path.Combine(Apache2, "apache2.conf"), Apache2, new Dictionary<string, string>());
            Assert.DoesNotContain(tree.Files, f => f.Path == "/dev/zero");
            Assert.All(tree.AllNodes().OfType<ConfigDirective>().Where(d => d.Is("Include") && d.Arguments[0] == "/dev/zero"), d => Assert.False(d.IsActive));
        }

        [Fact]
        public void IncludeOfDevZero_WhenHttpdWouldReadIt_IsApacheConfigInvalid_NamingIt()
        {
            ApacheKit.DebianTree(Apache2, ApacheKit.Text("Listen 80", "Include /dev/zero"));
            TreeSnapshot before = TreeSnapshot.Take(Apache2);

            CertCmdletsException error = CoreAssert.Throws("ApacheConfigInvalid", () => SetSsl(whatIf: true));

            Assert.Equal("/dev/zero", error.Target);
            Assert.Contains("character device", error.Message, StringComparison.Ordinal);
            Assert.Empty(before.Differences(TreeSnapshot.Take(Apache2)));
        }

        [UnixFact]
        public async Task IncludeOfAFifo_IsRefusedAtOnce_NotWaitedOn()
        {
            ApacheKit.DebianTree(Apache2, ApacheKit.Text("Listen 80", "Include extra.conf"));
            string fifo = Path.Combine(Apache2, "extra.conf");
            using (Process mkfifo = Process.Start("mkfifo", fifo))
            {
                mkfifo.WaitForExit();
            }

            Task<Exception> run = Task.Run(() => Record.Exception(() => SetSsl(whatIf: true)));

            Assert.True(await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(30))) == run, "Reading a FIFO hung (a FIFO without a writer blocks an ordinary open).");
            CertCmdletsException error = Assert.IsType<CertCmdletsException>(await run);
            Assert.Equal("ApacheConfigInvalid", error.ErrorId);
            Assert.Equal(fifo, error.Target);
            Assert.Contains("FIFO", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void AFileOverTheSizeCap_IsRefused_NamingIt()
        {
            ApacheKit.DebianTree(Apache2, ApacheKit.Text("Listen 80", "Include huge.conf"));
            string huge = Path.Combine(Apache2, "huge.conf");
            using (FileStream stream = File.Create(huge))
            {
                byte[] line = System.Text.Encoding.ASCII.GetBytes(new string('#', 1023) + "\n");
                for (int i = 0; i <= ConfigReader.MaximumFileSize / line.Length; i++)
                {
                    stream.Write(line);
                }
            }

            CertCmdletsException error = CoreAssert.Throws("ApacheConfigInvalid", () => SetSsl(whatIf: true));

            Assert.Equal(huge, error.Target);
            Assert.Contains("MiB", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void ReversedRangeAndOtherFnmatchOddities_NeverThrow()
        {
            ApacheKit.DebianTree(Apache2, ApacheKit.Text("Listen 80", "IncludeOptional conf.d/[z-a].conf", "IncludeOptional conf.d/[.conf", "IncludeOptional conf.d/[]a].conf", "IncludeOptional conf.d/\\*.conf"),
                ("site.conf", ApacheKit.Text("<VirtualHost *:80>", "    ServerName www.example.com", "</VirtualHost>")));
            Directory.CreateDirectory(Path.Combine(Apache2, "conf.d"));
            File.WriteAllText(Path.Combine(Apache2, "conf.d", "m.conf"), "# m\n");

            ApacheChangeResult result = SetSsl(whatIf: false)!;

            Assert.True(result.Changed);
        }

        [Theory]
        [InlineData("z", "[z-a]", false)]
        [InlineData("a", "[z-a]", false)]
        [InlineData("b.conf", "[a-c].conf", true)]
        [InlineData("b.conf", "[!a-c].conf", false)]
        [InlineData("d.conf", "[^a-c].conf", true)]
        [InlineData("].conf", "[]a].conf", true)]
        [InlineData("[.conf", "[.conf", true)]
        [InlineData(".hidden.conf", "*.conf", false)]
        [InlineData(".hidden.conf", ".*.conf", true)]
        [InlineData("*.conf", "\\*.conf", true)]
        [InlineData("x.conf", "\\*.conf", false)]
        [InlineData("a-b", "a[-]b", true)]
        [InlineData("abc", "a*c", true)]
        [InlineData("ac", "a?c", false)]
        public void Fnmatch_MatchesAsApr(string name, string pattern, bool matches)
        {
            Assert.Equal(matches, Fnmatch.Match(pattern, name));
        }

        public static TheoryData<string, string[]> IncludeLayouts() => new TheoryData<string, string[]>
        {
            { "IncludeOptional conf.d/*.conf", Array.Empty<string>() },
            { "IncludeOptional conf.d/[a-c]*.conf\nIncludeOptional conf.d/[!a-c]*.conf", Array.Empty<string>() },
            { "IncludeOptional conf.d/[z-a].conf\nIncludeOptional conf.d/?.conf\nIncludeOptional conf.d/[]]*", Array.Empty<string>() },
            { "Include conf.d", Array.Empty<string>() },
            { "Include conf.d/\nInclude conf.d/b.conf", Array.Empty<string>() },
            { "IncludeOptional conf.d/*/x.conf\nIncludeOptional conf.d/sub*/*", Array.Empty<string>() },
            { "<IfDefine EXTRA>\n  IncludeOptional conf.d/*.conf\n</IfDefine>\n<IfDefine !EXTRA>\n  Include conf.d/a.conf\n</IfDefine>", Array.Empty<string>() },
            { "<IfDefine EXTRA>\n  IncludeOptional conf.d/*.conf\n</IfDefine>\n<IfDefine !EXTRA>\n  Include conf.d/a.conf\n</IfDefine>", new[] { "EXTRA" } },
            { "Define sub conf.d\nIncludeOptional ${sub}/s*.conf\n<IfModule mod_so.c>\n  Include conf.d/b.conf\n</IfModule>\n<IfModule ssl_module>\n  Include conf.d/c.conf\n</IfModule>", Array.Empty<string>() },
            { "LoadModule ssl_module " + Modules + "/mod_ssl.so\n<IfModule mod_ssl.c>\n  Include conf.d/c.conf\n</IfModule>\n<IfModule !ssl_module>\n  Include conf.d/a.conf\n</IfModule>", Array.Empty<string>() },
            { "<IfFile conf.d/a.conf>\n  Include conf.d/b.conf\n</IfFile>\n<IfFile !conf.d/nothing.conf>\n  Include conf.d/c.conf\n</IfFile>\n<IfFile conf.d/nothing.conf>\n  Include /dev/zero\n</IfFile>", Array.Empty<string>() },
        };

        [ApacheTheory]
        [MemberData(nameof(IncludeLayouts))]
        public void IncludedFiles_AreTheFilesHttpdIncludes_InHttpdsOrder(string includes, string[] defines)
        {
            string root = Path.Combine(_temp.Path, "layout");
            string confd = Path.Combine(root, "conf.d");
            Directory.CreateDirectory(Path.Combine(confd, "sub1"));
            Directory.CreateDirectory(Path.Combine(confd, "sub2"));
            foreach (string name in new[] { "a.conf", "b.conf", "c.conf", "z.conf", "s1.conf", "x.txt", ".hidden.conf", "]x.conf", "sub1/x.conf", "sub1/y.conf", "sub2/x.conf", "sub2/.dot" })
            {
                File.WriteAllText(Path.Combine(confd, name), "# " + name + "\n");
            }

            File.CreateSymbolicLink(Path.Combine(confd, "linked.conf"), "a.conf");
            string main = Path.Combine(root, "httpd.conf");
            File.WriteAllText(main, ApacheKit.Text(
                $"ServerRoot \"{root}\"",
                $"LoadModule mpm_event_module {Modules}/mod_mpm_event.so",
                $"LoadModule authz_core_module {Modules}/mod_authz_core.so",
                $"Mutex file:{root} default",
                $"PidFile {root}/httpd.pid",
                $"ErrorLog {root}/error.log",
                "ServerName localhost",
                "Listen 127.0.0.1:18099") + includes + "\n");

            List<string> httpd = ApacheEngineKit.HttpdIncludes(root, main, defines);
            ConfigTree tree = ConfigTree.Load(main, root, new Dictionary<string, string>(), defines, new ApacheBinaryProbe().CompiledModules);

            Assert.Equal(httpd, ApacheEngineKit.TreeIncludes(tree));
        }

        [ApacheTheory]
        [InlineData("debian/minimal")]
        [InlineData("debian/sites")]
        [InlineData("debian/package")]
        public void CorpusInstance_IncludedFiles_AreTheFilesHttpdIncludes(string name)
        {
            string apache2 = ApacheKit.DebianInstance(_temp.Path, name);
            foreach (string module in new[] { "dav_svn.load", "dav_svn.conf", "authz_svn.load" })
            {
                File.Delete(Path.Combine(apache2, "mods-enabled", module));
            }

            Dictionary<string, string> environment = Envvars(apache2);
            string main = Path.Combine(apache2, "apache2.conf");

            List<string> httpd = ApacheEngineKit.HttpdIncludes(apache2, main, null, environment);
            ConfigTree tree = ConfigTree.Load(main, apache2, environment, null, new ApacheBinaryProbe().CompiledModules);

            Assert.Equal(httpd, ApacheEngineKit.TreeIncludes(tree));
        }

        [ApacheFact]
        public void AWildcardOverManyFiles_IsReadAhead_WithTheSameFilesOrderAndErrorsAsOneByOne()
        {
            // Past 64 matches the files are read on all cores before the evaluation walks them: the result must not change.
            string root = Path.Combine(_temp.Path, "many");
            string sites = Path.Combine(root, "sites");
            Directory.CreateDirectory(sites);
            for (int i = 0; i < 150; i++)
            {
                File.WriteAllText(Path.Combine(sites, $"site{i:D3}.conf"), ApacheKit.Text($"<VirtualHost 127.0.0.1:18098>", $"    ServerName s{i}.example", "</VirtualHost>"));
            }

            File.CreateSymbolicLink(Path.Combine(sites, "site050-dangling.conf"), "nowhere.conf");
            string main = Path.Combine(root, "httpd.conf");
            File.WriteAllText(main, ApacheKit.Text(
                $"ServerRoot \"{root}\"",
                $"LoadModule mpm_event_module {Modules}/mod_mpm_event.so",
                $"LoadModule authz_core_module {Modules}/mod_authz_core.so",
                $"Mutex file:{root} default",
                $"PidFile {root}/httpd.pid",
                $"ErrorLog {root}/error.log",
                "ServerName localhost",
                "Listen 127.0.0.1:18098",
                "IncludeOptional sites/*.conf"));

            ConfigTree tree = ConfigTree.Load(main, root, new Dictionary<string, string>());

            Assert.Equal(ApacheEngineKit.HttpdIncludes(root, main), ApacheEngineKit.TreeIncludes(tree));
            Assert.Equal(150, tree.Walk().OfType<ConfigSection>().Count(s => s.Is("VirtualHost")));

            // A broken file, and a FIFO after it: the error is the first one in httpd's order, as a one-by-one read gives.
            File.WriteAllText(Path.Combine(sites, "site077.conf"), ApacheKit.Text("<VirtualHost 127.0.0.1:18098>", "    ServerName broken"));
            File.Delete(Path.Combine(sites, "site120.conf"));
            using (Process mkfifo = Process.Start("mkfifo", Path.Combine(sites, "site120.conf")))
            {
                mkfifo.WaitForExit();
            }

            ApacheConfigException error = Assert.Throws<ApacheConfigException>(() => ConfigTree.Load(main, root, new Dictionary<string, string>()));
            Assert.Equal(Path.Combine(sites, "site077.conf"), error.Path);
            Assert.Equal(1, error.Line);
        }

        [Fact]
        public void LoadModuleWithAnEmptyFile_IsApacheConfigInvalid_NotARuntimeError()
        {
            ApacheKit.DebianTree(Apache2, ApacheKit.Text("Listen 80", "LoadModule x_module \"\""),
                ("site.conf", ApacheKit.Text("<VirtualHost *:80>", "    ServerName www.example.com", "</VirtualHost>")));

            CertCmdletsException error = CoreAssert.Throws("ApacheConfigInvalid", () => SetSsl(whatIf: true));

            Assert.Contains("ports.conf, line 2", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void PlannedModuleLinks_MakeIfModuleSectionsActive_BeforeAnythingIsWritten()
        {
            ApacheKit.DebianTree(Apache2, ApacheKit.Text("Listen 80", "<IfModule ssl_module>", "    Listen 443", "</IfModule>"));
            ConfigTree tree = ConfigTree.Load(Path.Combine(Apache2, "apache2.conf"), Apache2, new Dictionary<string, string>());
            var session = new EditSession(tree, ApacheLayout.Detect(Apache2, null));
            ConfigDirective listen = tree.AllNodes().OfType<ConfigDirective>().Single(d => d.Is("Listen") && d.Arguments[0] == "443");
            Assert.False(tree.IsModuleLoaded("ssl_module"));
            Assert.DoesNotContain(listen, tree.Walk());

            session.Link(Path.Combine(Apache2, "mods-enabled", "ssl.load"), "../mods-available/ssl.load");

            Assert.True(tree.IsModuleLoaded("ssl_module"));
            Assert.Contains(listen, tree.Walk());
            Assert.True(listen.IsActive);
            Assert.False(File.Exists(Path.Combine(Apache2, "mods-enabled", "ssl.load")));
        }

        private ApacheChangeResult? SetSsl(bool whatIf)
        {
            CertificateInfo certificate = ApacheKit.Certificate(Certificates, "www.example.com");
            return ApacheConfigurator.SetSsl(ApacheKit.SslOptions(Apache2, "www.example.com", certificate, ApacheKit.NoHttpd(_temp.Path)), (_, _) => !whatIf, new RecordingLog());
        }

        private static Dictionary<string, string> Envvars(string apache2)
        {
            var variables = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (string line in File.ReadAllLines(Path.Combine(apache2, "envvars")))
            {
                if (line.StartsWith("export ", StringComparison.Ordinal) && line.Contains('=', StringComparison.Ordinal) && !line.Contains('$', StringComparison.Ordinal))
                {
                    string assignment = line.Substring("export ".Length);
                    variables[assignment.Substring(0, assignment.IndexOf('=', StringComparison.Ordinal))] = assignment.Substring(assignment.IndexOf('=', StringComparison.Ordinal) + 1);
                }
            }

            return variables;
        }

        /// <summary>Debian's apache2's compiled-in modules, asked the way the engine asks them.</summary>
        private sealed class ApacheBinaryProbe
        {
            public IReadOnlyList<string> CompiledModules =>
                ApacheBinary.Find(ApacheLayout.Detect(Path.GetDirectoryName(ApacheCorpus.PathOf("complex/apache2.conf"))!, null), ApacheHttpd.Executable, null, TimeSpan.FromSeconds(30), NullCoreLog.Instance)!.CompiledModules;
        }
    }
}
