namespace CertCmdlets
{
    /// <summary>What Set-ApacheSsl or Enable-HttpsRedirect did.</summary>
    public sealed class ApacheChangeResult
    {
        internal ApacheChangeResult(string serverName, int port, bool changed, string[] filesChanged, string[] backups, string? configTest, string diff, string? backupDirectory)
            : this(serverName, port, changed, filesChanged, backups, configTest, diff, backupDirectory, "127.0.0.1", null, false, null)
        {
        }

        internal ApacheChangeResult(string serverName, int port, bool changed, string[] filesChanged, string[] backups, string? configTest, string diff, string? backupDirectory,
            string hostName, string? thumbprint, bool reloaded, bool? verified)
        {
            HostName = hostName;
            Thumbprint = thumbprint;
            Reloaded = reloaded;
            Verified = verified;
            BackupDirectory = backupDirectory;
            ServerName = serverName;
            Port = port;
            Changed = changed;
            FilesChanged = filesChanged;
            Backups = backups;
            ConfigTest = configTest;
            Diff = diff;
        }

        /// <summary>The site configured.</summary>
        public string ServerName { get; }

        /// <summary>
        /// Where this machine reaches the site: the -ListenAddress given, else 127.0.0.1. Test-HttpsEndpoint binds it
        /// (with ServerName, Port and Thumbprint) when the result is piped to it.
        /// </summary>
        public string HostName { get; }

        /// <summary>The thumbprint of the certificate configured (null for Enable-HttpsRedirect).</summary>
        public string? Thumbprint { get; }

        /// <summary>True when httpd was asked to reload gracefully and did (-Reload), also when no configuration line changed.</summary>
        public bool Reloaded { get; }

        /// <summary>
        /// True when, after the reload, the site was probed and served the configured certificate and chain; null when
        /// it was not probed (no -Reload, -Verify:$false, or Enable-HttpsRedirect).
        /// </summary>
        public bool? Verified { get; }

        /// <summary>The port configured.</summary>
        public int Port { get; }

        /// <summary>False when the configuration already said all this (running twice changes nothing).</summary>
        public bool Changed { get; }

        /// <summary>Files changed or created.</summary>
        public string[] FilesChanged { get; }

        /// <summary>Backups of the changed files.</summary>
        public string[] Backups { get; }

        /// <summary>The folder holding this change's backups (ServerRoot/.certcmdlets-backup/&lt;stamp&gt;), null when nothing changed.</summary>
        public string? BackupDirectory { get; }

        /// <summary>httpd's configuration test output (null when no httpd was found).</summary>
        public string? ConfigTest { get; }

        /// <summary>The changes, as a diff.</summary>
        public string Diff { get; }
    }
}
