using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using CertCmdlets.Core.Apache;

namespace CertCmdlets.Benchmarks
{
    /// <summary>The two shapes of generated configuration: one httpd.conf, or a Debian tree with one file per site.</summary>
    public enum ApacheBenchLayout
    {
        /// <summary>One httpd.conf holding every VirtualHost (a private build's layout).</summary>
        SingleFile,

        /// <summary>Debian's /etc/apache2 (its own apache2.conf, ports.conf, modules and conf-enabled) with one sites-available file per host.</summary>
        DebianTree,
    }

    /// <summary>
    /// A generated httpd configuration that Debian's apache2 accepts, in a folder of its own: N name-based
    /// <c>&lt;VirtualHost *:80&gt;</c> sites (ServerName, ServerAlias, DocumentRoot, logs, a nested Directory section, a
    /// comment each), a certificate and key for the site in the middle (RSA-2048, the name as SAN), and everything
    /// <c>apache2 -t</c> needs (modules, document roots, private run/lock/log folders for the Debian tree). The edit every
    /// benchmark makes is Set-ApacheSsl for that middle site: mod_ssl, Listen 443, a new :443 VirtualHost.
    /// </summary>
    public sealed class ApacheBenchConfig : IDisposable
    {
        private const string SystemModules = "/usr/lib/apache2/modules";
        private const string SystemApache2 = "/etc/apache2";
        private readonly Dictionary<string, string> _pristineTexts = new Dictionary<string, string>(StringComparer.Ordinal);
        private readonly Dictionary<string, HashSet<string>> _pristineEntries = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);

        private ApacheBenchConfig(string root, ApacheBenchLayout layout, int hosts)
        {
            Root = root;
            Layout = layout;
            Hosts = hosts;
        }

        public string Root { get; }

        public ApacheBenchLayout Layout { get; }

        public int Hosts { get; }

        /// <summary>The ServerRoot: the folder itself (single file) or its apache2/ folder.</summary>
        public string ServerRoot => Layout == ApacheBenchLayout.SingleFile ? Root : Path.Combine(Root, "apache2");

        public string MainConfig => Layout == ApacheBenchLayout.SingleFile ? Path.Combine(Root, "httpd.conf") : Path.Combine(ServerRoot, "apache2.conf");

        public string ServerName => "site" + (Hosts / 2) + ".example.test";

        public string CertificateFile => Path.Combine(Root, "ssl", "site.crt");

        public string KeyFile => Path.Combine(Root, "ssl", "site.key");

        /// <summary>The environment httpd runs with: Debian's envvars, as the module reads them (empty for the single file).</summary>
        public Dictionary<string, string> HttpdEnvironment { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

        /// <summary>Makes a new configuration under <paramref name="root"/> (which must not exist).</summary>
        public static ApacheBenchConfig Create(string root, ApacheBenchLayout layout, int hosts)
        {
            if (!File.Exists(Path.Combine(SystemModules, "mod_ssl.so")))
            {
                throw new InvalidOperationException($"{SystemModules}/mod_ssl.so is missing: Debian's apache2 package is needed to measure against apache2 -t.");
            }

            var config = new ApacheBenchConfig(root, layout, hosts);
            Directory.CreateDirectory(root);
            Directory.CreateDirectory(Path.Combine(root, "ssl"));
            Directory.CreateDirectory(Path.Combine(root, "logs"));
            for (int i = 1; i <= hosts; i++)
            {
                Directory.CreateDirectory(Path.Combine(root, "htdocs", "site" + i));
            }

            WriteCertificate(config.ServerName, config.CertificateFile, config.KeyFile);
            if (layout == ApacheBenchLayout.SingleFile)
            {
                config.CreateSingleFile();
            }
            else
            {
                config.CreateDebianTree();
            }

            config.RememberPristine();
            return config;
        }

        /// <summary>The configuration of an earlier <see cref="Create"/> in <paramref name="root"/> (for whole-process runs).</summary>
        public static ApacheBenchConfig Open(string root)
        {
            ApacheBenchLayout layout = File.Exists(Path.Combine(root, "httpd.conf")) ? ApacheBenchLayout.SingleFile : ApacheBenchLayout.DebianTree;
            int hosts = Directory.GetDirectories(Path.Combine(root, "htdocs")).Length;
            var config = new ApacheBenchConfig(root, layout, hosts);
            if (layout == ApacheBenchLayout.DebianTree)
            {
                config.ReadEnvvars();
            }

            config.RememberPristine(fromDisk: Path.Combine(root, ".pristine"));
            return config;
        }

        /// <summary>Puts the configuration back as it was made: edited files rewritten, created files and links removed, backups gone.</summary>
        public void Restore()
        {
            foreach ((string path, string text) in _pristineTexts)
            {
                if (File.ReadAllText(path) != text)
                {
                    File.WriteAllText(path, text, new UTF8Encoding(false));
                }
            }

            foreach ((string directory, HashSet<string> entries) in _pristineEntries)
            {
                if (!Directory.Exists(directory))
                {
                    continue;
                }

                foreach (string entry in Directory.EnumerateFileSystemEntries(directory))
                {
                    if (!entries.Contains(Path.GetFileName(entry)))
                    {
                        if (Directory.Exists(entry) && new FileInfo(entry).LinkTarget is null)
                        {
                            Directory.Delete(entry, recursive: true);
                        }
                        else
                        {
                            File.Delete(entry);
                        }
                    }
                }
            }
        }

        public ApacheSslOptions Options(string httpdPath) => new ApacheSslOptions
        {
            ConfigPath = ServerRoot,
            ServerRoot = ServerRoot,
            ServerName = ServerName,
            Port = 443,
            CertificateFile = CertificateFile,
            KeyFile = KeyFile,
            HttpdPath = httpdPath,
        };

        /// <summary>The peer's command line, as the module runs httpd: apache2 -t -d ServerRoot -f main, envvars in the environment.</summary>
        public string[] ConfigTestArguments => new[] { "-t", "-d", ServerRoot, "-f", MainConfig };

        public void Dispose()
        {
            if (Directory.Exists(Root))
            {
                Directory.Delete(Root, recursive: true);
            }
        }

        private void CreateSingleFile()
        {
            Directory.CreateSymbolicLink(Path.Combine(Root, "modules"), SystemModules);
            var text = new StringBuilder(Hosts * 480);
            text.Append("# httpd.conf of the Set-ApacheSsl benchmark: ").Append(Hosts).Append(" name-based virtual hosts on port 80.\n");
            text.Append("ServerName bench.example.test\n");
            text.Append("Listen 127.0.0.1:18080\n");
            text.Append("PidFile logs/httpd.pid\n");
            text.Append("ErrorLog logs/error.log\n\n");
            text.Append("LoadModule mpm_event_module modules/mod_mpm_event.so\n");
            text.Append("LoadModule authz_core_module modules/mod_authz_core.so\n");
            text.Append("LoadModule mime_module modules/mod_mime.so\n");
            text.Append("LoadModule dir_module modules/mod_dir.so\n\n");
            text.Append("LogFormat \"%h %l %u %t \\\"%r\\\" %>s %b\" common\n");
            text.Append("DirectoryIndex index.html\n");
            text.Append("<Directory />\n    AllowOverride None\n    Require all denied\n</Directory>\n");
            for (int i = 1; i <= Hosts; i++)
            {
                text.Append('\n');
                AppendSite(text, i, "logs/");
            }

            File.WriteAllText(MainConfig, text.ToString(), new UTF8Encoding(false));
        }

        private void CreateDebianTree()
        {
            string apache2 = ServerRoot;
            Directory.CreateDirectory(apache2);
            foreach (string file in new[] { "apache2.conf", "ports.conf", "magic" })
            {
                File.Copy(Path.Combine(SystemApache2, file), Path.Combine(apache2, file));
            }

            foreach (string folder in new[] { "mods", "conf" })
            {
                string available = Path.Combine(apache2, folder + "-available");
                string enabled = Path.Combine(apache2, folder + "-enabled");
                Directory.CreateDirectory(available);
                Directory.CreateDirectory(enabled);
                foreach (string file in Directory.EnumerateFiles(Path.Combine(SystemApache2, folder + "-available")))
                {
                    File.Copy(file, Path.Combine(available, Path.GetFileName(file)));
                }

                foreach (string link in Directory.EnumerateFileSystemEntries(Path.Combine(SystemApache2, folder + "-enabled")))
                {
                    string name = Path.GetFileName(link);
                    if (File.Exists(Path.Combine(available, name)))
                    {
                        File.CreateSymbolicLink(Path.Combine(enabled, name), "../" + folder + "-available/" + name);
                    }
                }
            }

            string var = Path.Combine(Root, "var");
            var envvars = new StringBuilder();
            envvars.Append("# envvars of the benchmark tree: run, lock and log folders of its own.\n");
            envvars.Append("export APACHE_RUN_USER=www-data\nexport APACHE_RUN_GROUP=www-data\n");
            envvars.Append("export APACHE_PID_FILE=").Append(var).Append("/run/apache2.pid\n");
            envvars.Append("export APACHE_RUN_DIR=").Append(var).Append("/run\n");
            envvars.Append("export APACHE_LOCK_DIR=").Append(var).Append("/lock\n");
            envvars.Append("export APACHE_LOG_DIR=").Append(var).Append("/log\n");
            envvars.Append("export LANG=C\n");
            File.WriteAllText(Path.Combine(apache2, "envvars"), envvars.ToString());
            foreach (string folder in new[] { "run", "lock", "log" })
            {
                Directory.CreateDirectory(Path.Combine(var, folder));
            }

            string sitesAvailable = Path.Combine(apache2, "sites-available");
            string sitesEnabled = Path.Combine(apache2, "sites-enabled");
            Directory.CreateDirectory(sitesAvailable);
            Directory.CreateDirectory(sitesEnabled);
            var text = new StringBuilder(600);
            for (int i = 1; i <= Hosts; i++)
            {
                text.Clear();
                AppendSite(text, i, "${APACHE_LOG_DIR}/");
                string name = "site" + i + ".conf";
                File.WriteAllText(Path.Combine(sitesAvailable, name), text.ToString());
                File.CreateSymbolicLink(Path.Combine(sitesEnabled, name), "../sites-available/" + name);
            }

            ReadEnvvars();
        }

        private void AppendSite(StringBuilder text, int i, string logs)
        {
            string documentRoot = $"{Root}/htdocs/site{i}";
            text.Append("# site").Append(i).Append(": static site, owner team-").Append(i % 37).Append('\n');
            text.Append("<VirtualHost *:80>\n");
            text.Append("    ServerName site").Append(i).Append(".example.test\n");
            text.Append("    ServerAlias www.site").Append(i).Append(".example.test\n");
            text.Append("    DocumentRoot \"").Append(documentRoot).Append("\"\n");
            text.Append("    ErrorLog \"").Append(logs).Append("site").Append(i).Append("-error.log\"\n");
            text.Append("    CustomLog \"").Append(logs).Append("site").Append(i).Append("-access.log\" common\n");
            text.Append("    <Directory \"").Append(documentRoot).Append("\">\n");
            text.Append("        # no listings\n");
            text.Append("        Options -Indexes\n");
            text.Append("        AllowOverride None\n");
            text.Append("        Require all granted\n");
            text.Append("    </Directory>\n");
            text.Append("</VirtualHost>\n");
        }

        private void ReadEnvvars()
        {
            HttpdEnvironment.Clear();
            foreach (string line in File.ReadAllLines(Path.Combine(ServerRoot, "envvars")))
            {
                if (line.StartsWith("export ", StringComparison.Ordinal) && line.Contains('=', StringComparison.Ordinal))
                {
                    string assignment = line.Substring("export ".Length);
                    int equals = assignment.IndexOf('=', StringComparison.Ordinal);
                    HttpdEnvironment[assignment.Substring(0, equals)] = assignment.Substring(equals + 1);
                }
            }
        }

        /// <summary>Remembers (and keeps in .pristine, for other processes) the texts an edit changes and the folders it adds to.</summary>
        private void RememberPristine(string? fromDisk = null)
        {
            string[] edited = Layout == ApacheBenchLayout.SingleFile
                ? new[] { MainConfig }
                : new[] { Path.Combine(ServerRoot, "ports.conf"), MainConfig };
            string[] folders = Layout == ApacheBenchLayout.SingleFile
                ? new[] { Root }
                : new[] { ServerRoot, Path.Combine(ServerRoot, "mods-enabled"), Path.Combine(ServerRoot, "sites-available"), Path.Combine(ServerRoot, "sites-enabled") };
            string pristine = Path.Combine(Root, ".pristine");
            Directory.CreateDirectory(pristine);
            foreach (string path in edited)
            {
                string copy = Path.Combine(pristine, Path.GetFileName(path));
                if (fromDisk is null)
                {
                    File.Copy(path, copy, overwrite: true);
                }

                _pristineTexts[path] = File.ReadAllText(copy);
            }

            foreach (string folder in folders)
            {
                string list = Path.Combine(pristine, Path.GetFileName(folder) + ".entries");
                if (fromDisk is null)
                {
                    File.WriteAllLines(list, Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).Where(n => n is not null).Select(n => n!));
                }

                var entries = new HashSet<string>(File.ReadAllLines(list), StringComparer.Ordinal) { ".pristine" };
                _pristineEntries[folder] = entries;
            }
        }

        private static void WriteCertificate(string serverName, string certificateFile, string keyFile)
        {
            using RSA key = RSA.Create(2048);
            var request = new CertificateRequest("CN=" + serverName, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName(serverName);
            request.CertificateExtensions.Add(san.Build());
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            DateTimeOffset now = DateTimeOffset.UtcNow;
            using X509Certificate2 certificate = request.CreateSelfSigned(now.AddHours(-1), now.AddDays(365));
            File.WriteAllText(certificateFile, certificate.ExportCertificatePem() + "\n");
            File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem() + "\n");
        }
    }
}
