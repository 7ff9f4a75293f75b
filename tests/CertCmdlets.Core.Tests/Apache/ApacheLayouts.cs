using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace CertCmdlets.Core.Tests.Apache
{
    /// <summary>
    /// Apache layouts the tests write themselves (the repository's tests/ApacheConfigs holds the hand-written ones):
    /// a Red Hat tree (conf/httpd.conf, conf.modules.d, conf.d), a Gentoo tree (modules.d, vhosts.d, &lt;IfDefine&gt;
    /// around everything, an Include of an absolute /etc/apache2 path only a real Gentoo has), and single files whose
    /// bytes matter and are safer made than stored (CRLF line ends, no final newline, very long lines).
    /// </summary>
    internal static class ApacheLayouts
    {
        /// <summary>The ServerRoot a Red Hat httpd.conf names; the tests point a copy's ServerRoot line at the copy.</summary>
        public const string RedHatServerRoot = "/etc/httpd";

        /// <summary>The absolute file Gentoo's SSL default site includes; it exists only on a real Gentoo machine.</summary>
        public const string GentooDefaultVhostInclude = "/etc/apache2/vhosts.d/default_vhost.include";

        /// <summary>The sites of the Red Hat tree, each in conf.d/NAME.conf with a port-80 VirtualHost.</summary>
        public static readonly string[] RedHatSites = { "www.redhat.test", "intranet.redhat.test" };

        /// <summary>Writes the Red Hat tree under <paramref name="root"/> (root/httpd is the ServerRoot); returns the main file.</summary>
        public static string WriteRedHat(string root)
        {
            string httpd = Path.Combine(root, "httpd");
            Write(httpd, "conf/httpd.conf",
                "# The main file of a Red Hat httpd: everything else comes from conf.modules.d and conf.d.",
                $"ServerRoot \"{RedHatServerRoot}\"",
                "Listen 80",
                "Include conf.modules.d/*.conf",
                "User apache",
                "Group apache",
                "ServerAdmin root@localhost",
                "<Directory />",
                "    AllowOverride none",
                "    Require all denied",
                "</Directory>",
                "DocumentRoot \"/var/www/html\"",
                "<Directory \"/var/www/html\">",
                "    Options Indexes FollowSymLinks",
                "    AllowOverride None",
                "    Require all granted",
                "</Directory>",
                "<IfModule dir_module>",
                "    DirectoryIndex index.html",
                "</IfModule>",
                "ErrorLog \"logs/error_log\"",
                "LogLevel warn",
                "<IfModule log_config_module>",
                "    LogFormat \"%h %l %u %t \\\"%r\\\" %>s %b\" common",
                "    CustomLog \"logs/access_log\" common",
                "</IfModule>",
                "<IfModule mime_module>",
                "    TypesConfig /etc/mime.types",
                "</IfModule>",
                "AddDefaultCharset UTF-8",
                "EnableSendfile on",
                "IncludeOptional conf.d/*.conf");
            Write(httpd, "conf.modules.d/00-base.conf",
                "# Modules every Red Hat httpd loads.",
                "LoadModule alias_module modules/mod_alias.so",
                "LoadModule authz_core_module modules/mod_authz_core.so",
                "LoadModule dir_module modules/mod_dir.so",
                "LoadModule headers_module modules/mod_headers.so",
                "LoadModule log_config_module modules/mod_log_config.so",
                "LoadModule mime_module modules/mod_mime.so",
                "LoadModule rewrite_module modules/mod_rewrite.so",
                "LoadModule setenvif_module modules/mod_setenvif.so",
                "LoadModule socache_shmcb_module modules/mod_socache_shmcb.so",
                "LoadModule unixd_module modules/mod_unixd.so");
            Write(httpd, "conf.modules.d/00-mpm.conf",
                "# One MPM only.",
                "LoadModule mpm_event_module modules/mod_mpm_event.so");
            Write(httpd, "conf.modules.d/00-ssl.conf",
                "LoadModule ssl_module modules/mod_ssl.so");
            Write(httpd, "conf.d/ssl.conf",
                "# mod_ssl's package file: the HTTPS port and a default site with the package's own certificate.",
                "Listen 443 https",
                "SSLPassPhraseDialog exec:/usr/libexec/httpd-ssl-pass-dialog",
                "SSLSessionCache shmcb:/run/httpd/sslcache(512000)",
                "SSLSessionCacheTimeout 300",
                "<VirtualHost _default_:443>",
                "ErrorLog logs/ssl_error_log",
                "LogLevel warn",
                "SSLEngine on",
                "SSLCertificateFile /etc/pki/tls/certs/localhost.crt",
                "SSLCertificateKeyFile /etc/pki/tls/private/localhost.key",
                "<FilesMatch \"\\.(cgi|shtml|phtml|php)$\">",
                "    SSLOptions +StdEnvVars",
                "</FilesMatch>",
                "</VirtualHost>");
            Write(httpd, "conf.d/welcome.conf",
                "# The test page shown while no site has a DocumentRoot of its own.",
                "<LocationMatch \"^/+$\">",
                "    Options -Indexes",
                "    ErrorDocument 403 /.noindex.html",
                "</LocationMatch>");
            foreach (string site in RedHatSites)
            {
                Write(httpd, "conf.d/" + site + ".conf",
                    "<VirtualHost *:80>",
                    "    ServerName " + site,
                    "    DocumentRoot /var/www/" + site.Split('.')[0],
                    "    ErrorLog logs/" + site + "-error_log",
                    "</VirtualHost>");
            }

            File.WriteAllText(Path.Combine(httpd, "conf.d", "README"), "Files in this folder ending in .conf are read by httpd.\n");
            return Path.Combine(httpd, "conf", "httpd.conf");
        }

        /// <summary>Writes the Gentoo tree under <paramref name="root"/> (root/apache2 is the ServerRoot); returns the main file.</summary>
        public static string WriteGentoo(string root)
        {
            string apache2 = Path.Combine(root, "apache2");
            Write(apache2, "httpd.conf",
                "# Gentoo's main file: modules load only when /etc/conf.d/apache2 defines their name (-D SSL, -D INFO...).",
                "ServerRoot \"/usr/lib64/apache2\"",
                "LoadModule authz_core_module modules/mod_authz_core.so",
                "LoadModule dir_module modules/mod_dir.so",
                "LoadModule log_config_module modules/mod_log_config.so",
                "LoadModule mime_module modules/mod_mime.so",
                "<IfDefine INFO>",
                "LoadModule info_module modules/mod_info.so",
                "</IfDefine>",
                "<IfDefine SSL>",
                "LoadModule socache_shmcb_module modules/mod_socache_shmcb.so",
                "</IfDefine>",
                "<IfDefine SSL>",
                "LoadModule ssl_module modules/mod_ssl.so",
                "</IfDefine>",
                "<IfDefine STATUS>",
                "LoadModule status_module modules/mod_status.so",
                "</IfDefine>",
                "User apache",
                "Group apache",
                "Include modules.d/*.conf",
                "Include vhosts.d/*.conf");
            Write(apache2, "modules.d/00_default_settings.conf",
                "Timeout 300",
                "KeepAlive On",
                "<IfDefine !NO_HOSTNAME_LOOKUPS>",
                "HostnameLookups Off",
                "</IfDefine>",
                "ServerSignature On",
                "ErrorLog /var/log/apache2/error_log");
            Write(apache2, "modules.d/00_mpm.conf",
                "PidFile /run/apache2.pid",
                "<IfModule mpm_event_module>",
                "    StartServers 2",
                "    MaxRequestWorkers 150",
                "</IfModule>");
            Write(apache2, "modules.d/40_mod_ssl.conf",
                "<IfDefine SSL>",
                "<IfModule ssl_module>",
                "SSLRandomSeed startup builtin",
                "SSLRandomSeed connect builtin",
                "SSLSessionCache \"shmcb:/run/ssl_scache(512000)\"",
                "</IfModule>",
                "</IfDefine>");
            Write(apache2, "modules.d/00_mod_status.conf",
                "<IfDefine STATUS>",
                "<Location /server-status>",
                "    SetHandler server-status",
                "    Require host localhost",
                "</Location>",
                "</IfDefine>");
            Write(apache2, "vhosts.d/00_default_vhost.conf",
                "<IfDefine DEFAULT_VHOST>",
                "Listen 80",
                "<VirtualHost *:80>",
                "    ServerName localhost",
                "    DocumentRoot \"/var/www/localhost/htdocs\"",
                "</VirtualHost>",
                "</IfDefine>");
            Write(apache2, "vhosts.d/00_default_ssl_vhost.conf",
                "<IfDefine SSL>",
                "<IfDefine SSL_DEFAULT_VHOST>",
                "<IfModule ssl_module>",
                "Listen 443",
                "<VirtualHost _default_:443>",
                "    ServerName localhost",
                "    Include " + GentooDefaultVhostInclude,
                "    SSLEngine on",
                "    SSLCertificateFile /etc/ssl/apache2/server.crt",
                "    SSLCertificateKeyFile /etc/ssl/apache2/server.key",
                "</VirtualHost>",
                "</IfModule>",
                "</IfDefine>",
                "</IfDefine>");
            Write(apache2, "vhosts.d/default_vhost.include",
                "# Shared by the default sites (included by absolute path).",
                "ServerAdmin root@localhost",
                "DocumentRoot \"/var/www/localhost/htdocs\"");
            Write(apache2, "vhosts.d/www.gentoo.test.conf",
                "<IfDefine DEFAULT_VHOST>",
                "<VirtualHost *:80>",
                "    ServerName www.gentoo.test",
                "    DocumentRoot /var/www/gentoo",
                "</VirtualHost>",
                "</IfDefine>");
            return Path.Combine(apache2, "httpd.conf");
        }

        /// <summary>
        /// Writes the generated single files into <paramref name="passing"/>: CRLF copies of some hand-written ones,
        /// a file without a final newline, a file mixing LF and CRLF, and one with lines of several thousand characters.
        /// </summary>
        public static void WriteGeneratedSingleFiles(string passing)
        {
            Directory.CreateDirectory(passing);
            foreach (string name in new[] { "continuations.conf", "quotes.conf", "two-blocks-one-line.conf" })
            {
                string source = Path.Combine(passing, name);
                if (File.Exists(source))
                {
                    string lf = File.ReadAllText(source, ApacheCorpus.StrictUtf8).Replace("\r\n", "\n", StringComparison.Ordinal);
                    File.WriteAllText(Path.Combine(passing, "generated-crlf-" + name), lf.Replace("\n", "\r\n", StringComparison.Ordinal), ApacheCorpus.StrictUtf8);
                }
            }

            File.WriteAllText(Path.Combine(passing, "generated-no-final-newline.conf"),
                "<VirtualHost *:80>\n    ServerName no-newline.example.org\n    DocumentRoot /srv/no-newline\n</VirtualHost>", ApacheCorpus.StrictUtf8);
            File.WriteAllText(Path.Combine(passing, "generated-mixed-line-ends.conf"),
                "# LF here\n<VirtualHost *:80>\r\n    ServerName mixed.example.org\n    ServerAlias \\\r\n        www.mixed.example.org\r\n</VirtualHost>\n", ApacheCorpus.StrictUtf8);

            var aliases = new StringBuilder("    ServerAlias");
            for (int i = 0; i < 300; i++)
            {
                aliases.Append(" alias").Append(i.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append(".long.example.org");
            }

            string cipher = string.Join(":", Enumerable.Range(0, 200).Select(i => "CIPHER-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            File.WriteAllText(Path.Combine(passing, "generated-long-lines.conf"), string.Join("\n", new[]
            {
                "# Lines of several thousand characters (httpd's own limit is far above).",
                "<VirtualHost *:80>",
                "    ServerName long.example.org",
                aliases.ToString(),
                "    Header always set X-Long \"" + new string('x', 6000) + "\"",
                "    # " + cipher,
                "</VirtualHost>",
                string.Empty,
            }), ApacheCorpus.StrictUtf8);
        }

        private static void Write(string root, string relative, params string[] lines)
        {
            string path = Path.Combine(root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, string.Join("\n", lines) + "\n", ApacheCorpus.StrictUtf8);
        }
    }
}
