using System;
using System.IO;

namespace CertCmdlets.Core.Apache
{
    /// <summary>The distribution layouts the editor knows.</summary>
    public enum ApacheLayoutKind
    {
        /// <summary>Debian/Ubuntu: /etc/apache2 with apache2.conf, ports.conf, sites- and mods-available/-enabled.</summary>
        Debian,

        /// <summary>RHEL/Fedora: /etc/httpd with conf/httpd.conf, conf.d/, conf.modules.d/.</summary>
        RedHat,

        /// <summary>One httpd.conf given by itself, with LoadModule lines (no layout around it).</summary>
        SingleFile,

        /// <summary>
        /// httpd built from source (./configure --prefix) or a Windows build (Apache Lounge, C:\Apache24): one
        /// &lt;prefix&gt;/conf/httpd.conf, bin/httpd (httpd.exe), modules/, and no conf.d or conf.modules.d. Its modules
        /// may be compiled in (--enable-mods-static) rather than loaded.
        /// </summary>
        PrivateBuild,
    }

    /// <summary>Where things are in one httpd installation, found from the path the user gave.</summary>
    internal sealed class ApacheLayout
    {
        private ApacheLayout(ApacheLayoutKind kind, string serverRoot, string mainConfig, string? targetFile)
        {
            Kind = kind;
            ServerRoot = serverRoot;
            MainConfig = mainConfig;
            TargetFile = targetFile;
        }

        public ApacheLayoutKind Kind { get; }

        public string ServerRoot { get; }

        public string MainConfig { get; }

        /// <summary>The site file the user named, when -ConfigPath was one.</summary>
        public string? TargetFile { get; }

        public string Under(params string[] parts) => Path.Combine(ServerRoot, Path.Combine(parts));

        /// <summary>True for a Windows build (Apache Lounge and others): bin\httpd.exe beside conf\.</summary>
        public bool IsWindowsBuild => File.Exists(Under("bin", "httpd.exe"));

        public static ApacheLayout Detect(string configPath, string? serverRoot)
        {
            string full = Path.GetFullPath(configPath);
            if (Directory.Exists(full))
            {
                if (File.Exists(Path.Combine(full, "apache2.conf")))
                {
                    return new ApacheLayout(ApacheLayoutKind.Debian, serverRoot ?? full, Path.Combine(full, "apache2.conf"), null);
                }

                if (File.Exists(Path.Combine(full, "conf", "httpd.conf")))
                {
                    return new ApacheLayout(PrefixKind(full), serverRoot ?? full, Path.Combine(full, "conf", "httpd.conf"), null);
                }

                if (File.Exists(Path.Combine(full, "httpd.conf")))
                {
                    return new ApacheLayout(ApacheLayoutKind.SingleFile, serverRoot ?? full, Path.Combine(full, "httpd.conf"), null);
                }

                throw Errors.ApacheLayoutUnknown(full);
            }

            if (!File.Exists(full))
            {
                throw Errors.FileNotFound(full);
            }

            string directory = Path.GetDirectoryName(full)!;
            string? parent = Path.GetDirectoryName(directory);
            string directoryName = Path.GetFileName(directory);
            if (string.Equals(Path.GetFileName(full), "apache2.conf", StringComparison.Ordinal))
            {
                return new ApacheLayout(ApacheLayoutKind.Debian, serverRoot ?? directory, full, null);
            }

            if (parent is not null && File.Exists(Path.Combine(parent, "apache2.conf")))
            {
                return new ApacheLayout(ApacheLayoutKind.Debian, serverRoot ?? parent, Path.Combine(parent, "apache2.conf"), full);
            }

            if (parent is not null && string.Equals(directoryName, "conf", StringComparison.OrdinalIgnoreCase) && string.Equals(Path.GetFileName(full), "httpd.conf", StringComparison.OrdinalIgnoreCase))
            {
                return new ApacheLayout(PrefixKind(parent), serverRoot ?? parent, full, null);
            }

            if (parent is not null && File.Exists(Path.Combine(parent, "conf", "httpd.conf")))
            {
                // A file under a prefix or /etc/httpd (conf.d/site.conf, conf/extra/httpd-ssl.conf): the main file is conf/httpd.conf.
                return new ApacheLayout(PrefixKind(parent), serverRoot ?? parent, Path.Combine(parent, "conf", "httpd.conf"), full);
            }

            string? grandparent = parent is null ? null : Path.GetDirectoryName(parent);
            if (grandparent is not null && string.Equals(Path.GetFileName(parent), "conf", StringComparison.OrdinalIgnoreCase) && File.Exists(Path.Combine(grandparent, "conf", "httpd.conf")))
            {
                // conf/extra/httpd-ssl.conf of a private build.
                return new ApacheLayout(PrefixKind(grandparent), serverRoot ?? grandparent, Path.Combine(grandparent, "conf", "httpd.conf"), full);
            }

            return new ApacheLayout(ApacheLayoutKind.SingleFile, serverRoot ?? directory, full, null);
        }

        /// <summary>
        /// &lt;root&gt;/conf/httpd.conf is Red Hat's layout when conf.d or conf.modules.d is beside conf/ (the packages make
        /// both), and a private build's otherwise (bin/httpd, modules/, one main file).
        /// </summary>
        private static ApacheLayoutKind PrefixKind(string root) =>
            Directory.Exists(Path.Combine(root, "conf.d")) || Directory.Exists(Path.Combine(root, "conf.modules.d"))
                ? ApacheLayoutKind.RedHat
                : ApacheLayoutKind.PrivateBuild;
    }
}
