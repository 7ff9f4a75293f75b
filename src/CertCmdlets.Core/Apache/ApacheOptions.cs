using System;
using System.Collections.Generic;
using System.Security;

namespace CertCmdlets.Core.Apache
{
    /// <summary>What Set-ApacheSsl configures.</summary>
    public sealed class ApacheSslOptions
    {
        /// <summary>A main configuration file, a site file, or a configuration root (/etc/apache2, /etc/httpd).</summary>
        public string ConfigPath { get; set; } = string.Empty;

        /// <summary>ServerRoot for private instances, when the configuration does not set it.</summary>
        public string? ServerRoot { get; set; }

        /// <summary>The site's name (the VirtualHost's ServerName).</summary>
        public string ServerName { get; set; } = string.Empty;

        /// <summary>The HTTPS port.</summary>
        public int Port { get; set; } = 443;

        /// <summary>An address to listen on (e.g. 127.0.0.1); all addresses when null.</summary>
        public string? ListenAddress { get; set; }

        /// <summary>The certificate (or full chain) file.</summary>
        public string? CertificateFile { get; set; }

        /// <summary>The full chain file (leaf then intermediates), preferred for httpd 2.4.8 and later.</summary>
        public string? FullChainFile { get; set; }

        /// <summary>The private key file.</summary>
        public string? KeyFile { get; set; }

        /// <summary>The intermediates file.</summary>
        public string? ChainFile { get; set; }

        /// <summary>The certificate object, when piped (used for the key and name checks).</summary>
        public CertificateInfo? Certificate { get; set; }

        /// <summary>Password of an encrypted key file, only to check it against the certificate.</summary>
        public SecureString? KeyPassword { get; set; }

        /// <summary>Modern, Intermediate or Old.</summary>
        public string TlsProfile { get; set; } = "Intermediate";

        /// <summary>Send Strict-Transport-Security.</summary>
        public bool Hsts { get; set; }

        /// <summary>Configure a certificate that does not cover the server name (with a warning).</summary>
        public bool AllowNameMismatch { get; set; }

        /// <summary>Configure an encrypted key file (with a warning: httpd asks for its pass phrase at start-up).</summary>
        public bool AllowEncryptedKey { get; set; }

        /// <summary>Gracefully restart httpd after a successful change.</summary>
        public bool Reload { get; set; }

        /// <summary>
        /// After the reload, probe the site and compare the served certificate and chain with the configured ones,
        /// rolling back on a mismatch. Null: on when <see cref="Reload"/> is.
        /// </summary>
        public bool? Verify { get; set; }

        /// <summary>How long the probe may wait for graceful workers to serve the new certificate (default 15 s).</summary>
        public TimeSpan VerifyTimeout { get; set; } = TimeSpan.FromSeconds(15);

        /// <summary>The httpd program, when not found by itself.</summary>
        public string? HttpdPath { get; set; }

        /// <summary>How long to wait for another change to the same ServerRoot to finish (default 30 s).</summary>
        public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>How long one run of httpd (-t, -v, -l, -k graceful) may take before it is stopped (default 60 s).</summary>
        public TimeSpan ProgramTimeout { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>httpd -D names (&lt;IfDefine&gt;) the server runs with, beyond APACHE_ARGUMENTS in Debian's envvars.</summary>
        public IList<string> Defines { get; } = new List<string>();

        /// <summary>Test hook: called with the name of each step of the transaction.</summary>
        internal Action<string>? StepHook { get; set; }
    }

    /// <summary>What Enable-HttpsRedirect configures.</summary>
    public sealed class ApacheRedirectOptions
    {
        /// <summary>A main configuration file, a site file, or a configuration root.</summary>
        public string ConfigPath { get; set; } = string.Empty;

        /// <summary>ServerRoot for private instances.</summary>
        public string? ServerRoot { get; set; }

        /// <summary>The site's name.</summary>
        public string ServerName { get; set; } = string.Empty;

        /// <summary>The plain HTTP port.</summary>
        public int HttpPort { get; set; } = 80;

        /// <summary>The HTTPS port clients are sent to.</summary>
        public int HttpsPort { get; set; } = 443;

        /// <summary>An address to listen on; all addresses when null.</summary>
        public string? ListenAddress { get; set; }

        /// <summary>302 instead of 301.</summary>
        public bool Temporary { get; set; }

        /// <summary>Redirect /.well-known/acme-challenge/ too (by default it stays reachable over HTTP for ACME renewals).</summary>
        public bool RedirectAcmeChallenge { get; set; }

        /// <summary>Gracefully restart httpd after a successful change.</summary>
        public bool Reload { get; set; }

        /// <summary>The httpd program, when not found by itself.</summary>
        public string? HttpdPath { get; set; }

        /// <summary>How long to wait for another change to the same ServerRoot to finish (default 30 s).</summary>
        public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>How long one run of httpd (-t, -v, -l, -k graceful) may take before it is stopped (default 60 s).</summary>
        public TimeSpan ProgramTimeout { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>httpd -D names (&lt;IfDefine&gt;) the server runs with, beyond APACHE_ARGUMENTS in Debian's envvars.</summary>
        public IList<string> Defines { get; } = new List<string>();

        /// <summary>Test hook: called with the name of each step of the transaction.</summary>
        internal Action<string>? StepHook { get; set; }
    }
}
