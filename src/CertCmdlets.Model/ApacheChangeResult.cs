namespace CertCmdlets
{
    /// <summary>What Set-ApacheSsl or Enable-HttpsRedirect did.</summary>
    public sealed class ApacheChangeResult
    {
        internal ApacheChangeResult(string serverName, int port, bool changed, string[] filesChanged, string[] backups, string? configTest, string diff, string? backupDirectory)
        {
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
