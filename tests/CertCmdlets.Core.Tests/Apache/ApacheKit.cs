using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using CertCmdlets.Core.Apache;
using CertCmdlets.Core.Export;
using CertCmdlets.Core.Requests;
using Xunit;

namespace CertCmdlets.Core.Tests.Apache
{
    /// <summary>What the Apache tests share: certificates, small configurations, private Debian instances, line diffs.</summary>
    internal static class ApacheKit
    {
        public static readonly Func<string, string, bool> Yes = (_, _) => true;

        /// <summary>The directives Set-ApacheSsl and Enable-HttpsRedirect own: the only lines they may remove or rewrite.</summary>
        public static readonly HashSet<string> OwnedDirectives = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "SSLEngine", "SSLCertificateFile", "SSLCertificateKeyFile", "SSLCertificateChainFile", "SSLProtocol", "SSLCipherSuite",
            "SSLHonorCipherOrder", "SSLSessionTickets", "SSLOpenSSLConfCmd", "SSLUseStapling", "SSLStaplingCache", "Header",
            "Listen", "RewriteEngine", "RewriteCond", "RewriteRule",
        };

        public static string Utf8Text(string path) => File.ReadAllText(path, ApacheCorpus.StrictUtf8);

        /// <summary>An httpd path that does not exist: the editor then finds no httpd and skips the configuration test.</summary>
        public static string NoHttpd(string root) => Path.Combine(root, "no-such-httpd");

        /// <summary>A self-signed ECDSA certificate for <paramref name="names"/>, written as PEM (cert, key, full chain) in <paramref name="directory"/>.</summary>
        public static CertificateInfo Certificate(string directory, params string[] names)
        {
            Directory.CreateDirectory(directory);
            var options = new CertificateRequestOptions { CommonName = names[0], KeyAlgorithm = "ECDSA" };
            foreach (string name in names.Skip(1))
            {
                options.DnsNames.Add(name);
            }

            CertificateInfo certificate = CertificateRequestBuilder.CreateSelfSigned(options, 30, NullCoreLog.Instance);
            CertificateInfo? written = PemOutput.WriteCertificate(certificate, PemExportTargets.InDirectory(directory, certificate), null, false, Yes, NullCoreLog.Instance);
            Assert.NotNull(written);
            return written!;
        }

        /// <summary>A self-signed certificate whose Authority Information Access names an OCSP responder; returns (certificate, key) paths.</summary>
        public static (string CertificateFile, string KeyFile) OcspCertificate(string directory, string name)
        {
            Directory.CreateDirectory(directory);
            using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName(name);
            request.CertificateExtensions.Add(names.Build());
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            request.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension(new[] { "http://ocsp.example.net/" }, null));
            using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
            string certificateFile = Path.Combine(directory, "ocsp-cert.pem");
            string keyFile = Path.Combine(directory, "ocsp-key.pem");
            File.WriteAllText(certificateFile, PemEncoding.WriteString("CERTIFICATE", certificate.RawData) + "\n");
            File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem() + "\n");
            return (certificateFile, keyFile);
        }

        public static ApacheSslOptions SslOptions(string configPath, string serverName, CertificateInfo certificate, string? httpdPath) => new ApacheSslOptions
        {
            ConfigPath = configPath,
            ServerName = serverName,
            Port = 443,
            Certificate = certificate,
            HttpdPath = httpdPath,
        };

        /// <summary>Writes Debian's .load file for each module mods-available lacks (a trimmed corpus tree lacks ssl's dependencies).</summary>
        public static void AddDebianLoadFiles(string apache2, params string[] modules)
        {
            string available = Path.Combine(apache2, "mods-available");
            Directory.CreateDirectory(available);
            foreach (string module in modules)
            {
                string path = Path.Combine(available, module + ".load");
                if (!File.Exists(path))
                {
                    File.WriteAllText(path, ApacheHttpd.DebianLoadFiles[module]);
                }
            }
        }

        /// <summary>
        /// A private instance of corpus Debian tree <paramref name="tree"/> ("debian/minimal"...) that Debian's httpd can
        /// test: the copy, plus Debian's own mods-available files the trimmed tree lacks, the modules a fresh Debian
        /// install enables, and envvars pointing the run, lock and log directories into the temporary directory.
        /// Returns the apache2 directory.
        /// </summary>
        public static string DebianInstance(string root, string tree)
        {
            string copy = ApacheCorpus.CopyTree(tree, Path.Combine(root, tree));
            string apache2 = Path.Combine(copy, "apache2");
            CompleteDebianModules(apache2);
            PrivateEnvvars(apache2, Path.Combine(root, "var"));
            return apache2;
        }

        public static void CompleteDebianModules(string apache2)
        {
            Assert.True(Directory.Exists(ApacheHttpd.DebianModsAvailable), $"{ApacheHttpd.DebianModsAvailable} is missing: the apache2 package is not installed completely.");
            string available = Path.Combine(apache2, "mods-available");
            string enabled = Path.Combine(apache2, "mods-enabled");
            Directory.CreateDirectory(available);
            Directory.CreateDirectory(enabled);
            foreach (string file in Directory.EnumerateFiles(ApacheHttpd.DebianModsAvailable))
            {
                string target = Path.Combine(available, Path.GetFileName(file));
                if (!File.Exists(target))
                {
                    File.Copy(file, target);
                }
            }

            foreach (string module in ApacheHttpd.DebianDefaultModules)
            {
                foreach (string extension in new[] { ".load", ".conf" })
                {
                    string link = Path.Combine(enabled, module + extension);
                    if (File.Exists(Path.Combine(available, module + extension)) && !File.Exists(link))
                    {
                        File.CreateSymbolicLink(link, "../mods-available/" + module + extension);
                    }
                }
            }
        }

        /// <summary>Rewrites envvars so the pid, run, lock and log directories are private (a configuration test checks the Mutex directory).</summary>
        public static void PrivateEnvvars(string apache2, string var)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["APACHE_PID_FILE"] = Path.Combine(var, "run", "apache2.pid"),
                ["APACHE_RUN_DIR"] = Path.Combine(var, "run"),
                ["APACHE_LOCK_DIR"] = Path.Combine(var, "lock"),
                ["APACHE_LOG_DIR"] = Path.Combine(var, "log"),
            };
            foreach (string directory in new[] { "run", "lock", "log" })
            {
                Directory.CreateDirectory(Path.Combine(var, directory));
            }

            string envvars = Path.Combine(apache2, "envvars");
            string[] lines = File.Exists(envvars) ? File.ReadAllLines(envvars) : Array.Empty<string>();
            var output = new List<string>();
            foreach (string line in lines)
            {
                string? name = values.Keys.FirstOrDefault(k => line.StartsWith("export " + k + "=", StringComparison.Ordinal));
                output.Add(name is null ? line : "export " + name + "=" + values[name]);
            }

            foreach ((string name, string value) in values)
            {
                if (!output.Any(l => l.StartsWith("export " + name + "=", StringComparison.Ordinal)))
                {
                    output.Add("export " + name + "=" + value);
                }
            }

            File.WriteAllText(envvars, string.Join("\n", output) + "\n");
        }

        /// <summary>
        /// A minimal Debian tree: apache2.conf including mods-enabled, ports.conf and sites-enabled; Debian's load files
        /// for ssl, its dependencies, headers and rewrite; each site in sites-available, enabled by a relative link.
        /// </summary>
        public static string DebianTree(string apache2, string portsConf, params (string Name, string Text)[] sites)
        {
            Directory.CreateDirectory(Path.Combine(apache2, "sites-available"));
            Directory.CreateDirectory(Path.Combine(apache2, "sites-enabled"));
            Directory.CreateDirectory(Path.Combine(apache2, "mods-enabled"));
            File.WriteAllText(Path.Combine(apache2, "apache2.conf"),
                "# A small Debian-style main file\n" +
                "IncludeOptional mods-enabled/*.load\n" +
                "IncludeOptional mods-enabled/*.conf\n" +
                "Include ports.conf\n" +
                "IncludeOptional sites-enabled/*.conf\n");
            File.WriteAllText(Path.Combine(apache2, "ports.conf"), portsConf);
            AddDebianLoadFiles(apache2, ApacheHttpd.DebianLoadFiles.Keys.ToArray());
            foreach ((string name, string text) in sites)
            {
                File.WriteAllText(Path.Combine(apache2, "sites-available", name), text);
                File.CreateSymbolicLink(Path.Combine(apache2, "sites-enabled", name), "../sites-available/" + name);
            }

            return apache2;
        }

        /// <summary>A one-file configuration (SingleFile layout) with a modules/ directory holding the module files its LoadModule lines name.</summary>
        /// <summary>
        /// mod_ssl with its session cache, as a configured single-file httpd has them (Set-ApacheSsl adds the cache and
        /// its module where they are missing): three lines for a test that is about something else.
        /// </summary>
        public const string SslWithSessionCache =
            "LoadModule ssl_module modules/mod_ssl.so\nLoadModule socache_shmcb_module modules/mod_socache_shmcb.so\nSSLSessionCache \"shmcb:logs/ssl_scache(512000)\"";

        public static string SingleFile(string root, string text, string fileName = "httpd.conf")
        {
            Directory.CreateDirectory(root);
            string modules = Path.Combine(root, "modules");
            Directory.CreateDirectory(modules);
            foreach (string module in new[] { "ssl", "headers", "rewrite", "socache_shmcb", "mime", "setenvif", "log_config" })
            {
                File.WriteAllText(Path.Combine(modules, "mod_" + module + ".so"), string.Empty);
            }

            string path = Path.Combine(root, fileName);
            File.WriteAllText(path, text);
            return path;
        }

        /// <summary>The physical lines of a text, line ends kept, so that CRLF and a missing final newline are visible.</summary>
        public static List<string> PhysicalLines(string text)
        {
            var lines = new List<string>();
            int start = 0;
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] == '\n')
                {
                    lines.Add(text.Substring(start, i - start + 1));
                    start = i + 1;
                }
            }

            if (start < text.Length)
            {
                lines.Add(text.Substring(start));
            }

            return lines;
        }

        /// <summary>A longest-common-subsequence diff of two line lists: the indices removed from <paramref name="before"/> and added in <paramref name="after"/>.</summary>
        public static (List<int> Removed, List<int> Added) DiffLines(IReadOnlyList<string> before, IReadOnlyList<string> after)
        {
            int n = before.Count;
            int m = after.Count;
            var length = new int[n + 1, m + 1];
            for (int i = n - 1; i >= 0; i--)
            {
                for (int j = m - 1; j >= 0; j--)
                {
                    length[i, j] = before[i] == after[j] ? length[i + 1, j + 1] + 1 : Math.Max(length[i + 1, j], length[i, j + 1]);
                }
            }

            var removed = new List<int>();
            var added = new List<int>();
            int x = 0;
            int y = 0;
            while (x < n && y < m)
            {
                if (before[x] == after[y])
                {
                    x++;
                    y++;
                }
                else if (length[x + 1, y] >= length[x, y + 1])
                {
                    removed.Add(x++);
                }
                else
                {
                    added.Add(y++);
                }
            }

            while (x < n)
            {
                removed.Add(x++);
            }

            while (y < m)
            {
                added.Add(y++);
            }

            return (removed, added);
        }

        /// <summary>
        /// Checks that <paramref name="after"/> keeps every line of <paramref name="before"/> in order, except lines of
        /// directives the editor owns (found by parsing <paramref name="before"/> as httpd would).
        /// </summary>
        public static void OnlyOwnedLinesRemoved(string path, string before, string after)
        {
            List<string> a = PhysicalLines(before).Select(l => l.TrimEnd('\r', '\n')).ToList();
            List<string> b = PhysicalLines(after).Select(l => l.TrimEnd('\r', '\n')).ToList();
            (List<int> removed, _) = DiffLines(a, b);
            var owner = new Dictionary<int, ConfigDirective>();
            foreach (ConfigDirective directive in new ConfigFile(path, before).AllNodes().OfType<ConfigDirective>())
            {
                for (int line = directive.FirstLine; line <= directive.LastLine; line++)
                {
                    owner[line] = directive;
                }
            }

            var foreign = removed
                .Where(i => !(owner.TryGetValue(i, out ConfigDirective? d) && OwnedDirectives.Contains(d.Name)))
                .Select(i => $"line {i + 1}: '{a[i]}'")
                .ToList();
            Assert.True(foreign.Count == 0, $"{path}: the editor removed or rewrote lines it does not own:{Environment.NewLine}{string.Join(Environment.NewLine, foreign)}");
        }

        /// <summary>The VirtualHost sections of a file with the given name (ServerName) and port.</summary>
        public static ConfigSection VirtualHost(string path, string serverName, int port)
        {
            var file = new ConfigFile(path, Utf8Text(path));
            List<ConfigSection> found = file.AllNodes().OfType<ConfigSection>()
                .Where(s => s.Is("VirtualHost") && s.Arguments.Any(a => a.EndsWith(":" + port, StringComparison.Ordinal))
                    && s.Children.OfType<ConfigDirective>().Any(d => d.Is("ServerName") && d.Arguments.Count > 0 && string.Equals(d.Arguments[0], serverName, StringComparison.OrdinalIgnoreCase)))
                .ToList();
            Assert.True(found.Count == 1, $"Expected one <VirtualHost *:{port}> for {serverName} in {path}, found {found.Count}:{Environment.NewLine}{Utf8Text(path)}");
            return found[0];
        }

        public static IReadOnlyList<string> Single(ConfigSection section, string name)
        {
            List<ConfigDirective> found = section.Children.OfType<ConfigDirective>().Where(d => d.Is(name)).ToList();
            Assert.True(found.Count == 1, $"Expected one {name} in <VirtualHost {string.Join(" ", section.Arguments)}>, found {found.Count}.");
            return found[0].Arguments;
        }

        public static string Describe(ApacheChangeResult result) =>
            $"Changed={result.Changed}; files: {string.Join(", ", result.FilesChanged)}{Environment.NewLine}{result.Diff}";

        public static string Text(params string[] lines) => string.Join("\n", lines) + "\n";
    }
}
