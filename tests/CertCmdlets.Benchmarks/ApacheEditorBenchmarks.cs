using System;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using CertCmdlets.Core;
using CertCmdlets.Core.Apache;

namespace CertCmdlets.Benchmarks
{
    /// <summary>
    /// Whole-command edits that take seconds and need a fresh file each time: one invocation per iteration (the
    /// IterationSetup puts the original file back), fewer iterations than <see cref="ProcessConfig"/>.
    /// </summary>
    public sealed class EditConfig : ManualConfig
    {
        public EditConfig()
        {
            AddJob(Job.Default
                .WithId("Edit")
                .WithWarmupCount(2)
                .WithIterationCount(15)
                .WithInvocationCount(1)
                .WithUnrollFactor(1));
        }
    }

    /// <summary>
    /// A private httpd instance in a new temporary folder: one httpd.conf with 5,000 name-based
    /// <c>&lt;VirtualHost *:80&gt;</c> blocks (ServerName, ServerAlias, DocumentRoot, logs, a nested Directory
    /// section, a comment each), LoadModule lines into modules/, and a certificate and key for
    /// site2500.example.test (RSA-2048, the name as DNS SAN) in ssl/.
    /// </summary>
    internal sealed class ApacheInstance : IDisposable
    {
        public const int VirtualHosts = 5_000;

        public const string ServerName = "site2500.example.test";

        private const string SystemModules = "/usr/lib/apache2/modules";

        private ApacheInstance(string root)
        {
            Root = root;
        }

        public string Root { get; }

        public string ConfigPath => Path.Combine(Root, "httpd.conf");

        public string CertificateFile => Path.Combine(Root, "ssl", ServerName + ".crt");

        public string KeyFile => Path.Combine(Root, "ssl", ServerName + ".key");

        public string OriginalText { get; private set; } = string.Empty;

        /// <summary>
        /// A new instance. With <paramref name="realModules"/> modules/ is a link to the system's httpd modules and
        /// the document roots exist, so <c>apache2 -t</c> accepts the configuration; without it modules/ holds only
        /// empty mod_ssl.so and mod_headers.so (the editor only checks that the module it loads exists).
        /// </summary>
        public static ApacheInstance Create(bool realModules)
        {
            var instance = new ApacheInstance(Path.Combine(Path.GetTempPath(), "certcmdlets-bench-apache-" + Guid.NewGuid().ToString("N")));
            Directory.CreateDirectory(instance.Root);
            Directory.CreateDirectory(Path.Combine(instance.Root, "logs"));
            Directory.CreateDirectory(Path.Combine(instance.Root, "ssl"));
            string modules = Path.Combine(instance.Root, "modules");
            if (realModules)
            {
                if (!File.Exists(Path.Combine(SystemModules, "mod_ssl.so")))
                {
                    throw new InvalidOperationException($"{SystemModules}/mod_ssl.so is missing; the httpd configuration test cannot be measured.");
                }

                Directory.CreateSymbolicLink(modules, SystemModules);
                for (int i = 1; i <= VirtualHosts; i++)
                {
                    Directory.CreateDirectory(Path.Combine(instance.Root, "htdocs", "site" + i));
                }
            }
            else
            {
                Directory.CreateDirectory(modules);
                File.WriteAllBytes(Path.Combine(modules, "mod_ssl.so"), Array.Empty<byte>());
                File.WriteAllBytes(Path.Combine(modules, "mod_headers.so"), Array.Empty<byte>());
            }

            WriteCertificate(instance.CertificateFile, instance.KeyFile);
            instance.OriginalText = ConfigText(instance.Root);
            File.WriteAllText(instance.ConfigPath, instance.OriginalText, new UTF8Encoding(false));
            return instance;
        }

        /// <summary>Puts the original httpd.conf back and removes the editor's backups.</summary>
        public void Restore()
        {
            File.WriteAllText(ConfigPath, OriginalText, new UTF8Encoding(false));
            string backups = Path.Combine(Root, ".certcmdlets-backup");
            if (Directory.Exists(backups))
            {
                Directory.Delete(backups, recursive: true);
            }
        }

        public ApacheSslOptions Options(string httpdPath) => new ApacheSslOptions
        {
            ConfigPath = ConfigPath,
            ServerName = ServerName,
            Port = 443,
            CertificateFile = CertificateFile,
            KeyFile = KeyFile,
            HttpdPath = httpdPath,
        };

        public void Dispose()
        {
            if (Directory.Exists(Root))
            {
                Directory.Delete(Root, recursive: true);
            }
        }

        public static string ConfigText(string root)
        {
            var text = new StringBuilder(VirtualHosts * 480);
            text.Append("# httpd.conf of the Set-ApacheSsl benchmark: ").Append(VirtualHosts).Append(" name-based virtual hosts on port 80.\n");
            text.Append("ServerName bench.example.test\n");
            text.Append("Listen 80\n");
            text.Append("ErrorLog logs/error.log\n\n");
            text.Append("LoadModule mpm_event_module modules/mod_mpm_event.so\n");
            text.Append("LoadModule authz_core_module modules/mod_authz_core.so\n");
            text.Append("LoadModule mime_module modules/mod_mime.so\n");
            text.Append("LoadModule dir_module modules/mod_dir.so\n\n");
            text.Append("LogFormat \"%h %l %u %t \\\"%r\\\" %>s %b\" common\n");
            text.Append("DirectoryIndex index.html\n");
            text.Append("<Directory />\n    AllowOverride None\n    Require all denied\n</Directory>\n");
            for (int i = 1; i <= VirtualHosts; i++)
            {
                string documentRoot = $"{root}/htdocs/site{i}";
                text.Append('\n');
                text.Append("# site").Append(i).Append(": static site, owner team-").Append(i % 37).Append('\n');
                text.Append("<VirtualHost *:80>\n");
                text.Append("    ServerName site").Append(i).Append(".example.test\n");
                text.Append("    ServerAlias www.site").Append(i).Append(".example.test\n");
                text.Append("    DocumentRoot \"").Append(documentRoot).Append("\"\n");
                text.Append("    ErrorLog \"logs/site").Append(i).Append("-error.log\"\n");
                text.Append("    CustomLog \"logs/site").Append(i).Append("-access.log\" common\n");
                text.Append("    <Directory \"").Append(documentRoot).Append("\">\n");
                text.Append("        # no listings\n");
                text.Append("        Options -Indexes\n");
                text.Append("        AllowOverride None\n");
                text.Append("        Require all granted\n");
                text.Append("    </Directory>\n");
                text.Append("</VirtualHost>\n");
            }

            return text.ToString();
        }

        private static void WriteCertificate(string certificateFile, string keyFile)
        {
            using RSA key = RSA.Create(2048);
            var request = new CertificateRequest("CN=" + ServerName, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName(ServerName);
            request.CertificateExtensions.Add(san.Build());
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            DateTimeOffset now = DateTimeOffset.UtcNow;
            using X509Certificate2 certificate = request.CreateSelfSigned(now.AddHours(-1), now.AddDays(365));
            File.WriteAllText(certificateFile, certificate.ExportCertificatePem() + "\n");
            File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem() + "\n");
        }
    }

    /// <summary>
    /// Set-ApacheSsl's core on a configuration with 5,000 VirtualHosts: read and parse it, load mod_ssl, add
    /// Listen 443 and a new &lt;VirtualHost *:443&gt; for site2500 with its SSL directives, diff, back up and
    /// write. HttpdPath names a program that does not exist, and ApacheBinary.Find then looks nowhere else, so no
    /// httpd runs: this is the editor alone. Each iteration starts from the original httpd.conf.
    /// Target: well under a second.
    /// </summary>
    [Config(typeof(EditConfig))]
    [MemoryDiagnoser]
    [MedianColumn]
    [MeanColumn]
    public class ApacheSetSslBenchmarks
    {
        private ApacheInstance? _instance;

        [GlobalSetup]
        public void Setup()
        {
            _instance = ApacheInstance.Create(realModules: false);
            ApacheChangeResult result = SetSsl()!;
            if (!result.Changed || result.ConfigTest is not null || !File.ReadAllText(_instance.ConfigPath).Contains("<VirtualHost *:443>", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("SetSsl did not add the HTTPS VirtualHost without a configuration test.");
            }
        }

        [IterationSetup]
        public void RestoreConfiguration()
        {
            _instance!.Restore();
        }

        [GlobalCleanup]
        public void Cleanup()
        {
            _instance?.Dispose();
        }

        [Benchmark(Baseline = true, Description = "CertCmdlets: ApacheConfigurator.SetSsl, 5,000 vhosts, no httpd")]
        public ApacheChangeResult? SetSsl()
        {
            return ApacheConfigurator.SetSsl(_instance!.Options("/nonexistent/httpd"), (_, _) => true, NullCoreLog.Instance);
        }
    }

    /// <summary>
    /// What a user with httpd installed pays: the same edit when the system's apache2 is found, which adds
    /// <c>apache2 -v</c> and two configuration tests (before and after the change). Measured on one instance whose
    /// modules/ is the system's, against the editor alone on that same instance (baseline), and one
    /// <c>apache2 -t</c> on the original 5,000-vhost file for the split.
    /// </summary>
    [Config(typeof(EditConfig))]
    [MemoryDiagnoser]
    [MedianColumn]
    [MeanColumn]
    public class ApacheSetSslWithHttpdBenchmarks
    {
        private ApacheInstance? _instance;
        private string _httpd = string.Empty;

        [GlobalSetup]
        public void Setup()
        {
            _httpd = File.Exists("/usr/sbin/apache2") ? "/usr/sbin/apache2" : CliTool.FindOnPath("httpd") ?? CliTool.RequireOnPath("apache2");
            _instance = ApacheInstance.Create(realModules: true);
            ApacheChangeResult result = WithHttpd()!;
            if (!result.Changed || result.ConfigTest is null)
            {
                throw new InvalidOperationException("SetSsl did not run the httpd configuration test.");
            }

            _instance.Restore();
        }

        [IterationSetup]
        public void RestoreConfiguration()
        {
            _instance!.Restore();
        }

        [GlobalCleanup]
        public void Cleanup()
        {
            _instance?.Dispose();
        }

        [Benchmark(Baseline = true, Description = "CertCmdlets: SetSsl, editor alone (HttpdPath nowhere)")]
        public ApacheChangeResult? EditorOnly()
        {
            return ApacheConfigurator.SetSsl(_instance!.Options("/nonexistent/httpd"), (_, _) => true, NullCoreLog.Instance);
        }

        [Benchmark(Description = "CertCmdlets: SetSsl with apache2 (-v, -t before, -t after)")]
        public ApacheChangeResult? WithHttpd()
        {
            return ApacheConfigurator.SetSsl(_instance!.Options(_httpd), (_, _) => true, NullCoreLog.Instance);
        }

        [Benchmark(Description = "CLI: apache2 -t -d root -f httpd.conf (one configuration test)")]
        public int ConfigTest()
        {
            return CliTool.Run(_httpd, new[] { "-t", "-d", _instance!.Root, "-f", _instance.ConfigPath });
        }
    }

    /// <summary>Parsing alone: ConfigFile on the text of the 5,000-vhost httpd.conf (75,016 lines, 2.8 MB).</summary>
    [Config(typeof(SteadyConfig))]
    [MemoryDiagnoser]
    [MedianColumn]
    [MeanColumn]
    public class ApacheParseBenchmarks
    {
        private string _path = string.Empty;
        private string _text = string.Empty;

        [GlobalSetup]
        public void Setup()
        {
            _path = Path.Combine(Path.GetTempPath(), "certcmdlets-bench-apache-parse", "httpd.conf");
            _text = ApacheInstance.ConfigText(Path.GetDirectoryName(_path)!);
        }

        [Benchmark(Baseline = true, Description = "CertCmdlets: new ConfigFile(path, text), 5,000 vhosts")]
        public int Parse()
        {
            return new ConfigFile(_path, _text).Nodes.Count;
        }
    }
}
