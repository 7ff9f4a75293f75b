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

        /// <summary>Windows and private builds: one httpd.conf with LoadModule lines.</summary>
        SingleFile,
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
                    return new ApacheLayout(ApacheLayoutKind.RedHat, serverRoot ?? full, Path.Combine(full, "conf", "httpd.conf"), null);
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

            if (parent is not null && directoryName == "conf" && Directory.Exists(Path.Combine(parent, "conf.d")) && Path.GetFileName(full) == "httpd.conf")
            {
                return new ApacheLayout(ApacheLayoutKind.RedHat, serverRoot ?? parent, full, null);
            }

            if (parent is not null && File.Exists(Path.Combine(parent, "conf", "httpd.conf")))
            {
                return new ApacheLayout(ApacheLayoutKind.RedHat, serverRoot ?? parent, Path.Combine(parent, "conf", "httpd.conf"), full);
            }

            return new ApacheLayout(ApacheLayoutKind.SingleFile, serverRoot ?? directory, full, null);
        }
    }
}
