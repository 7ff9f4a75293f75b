using System;
using System.Management.Automation;
using System.Security;
using CertCmdlets.Core;
using CertCmdlets.Core.Apache;

namespace CertCmdlets.Commands
{
    /// <summary>
    /// <para type="synopsis">Configures Apache httpd to serve a site over HTTPS with a certificate.</para>
    /// <para type="description">Knows the Debian/Ubuntu, RHEL/Fedora and single-file (Windows, private builds) layouts.
    /// Makes sure mod_ssl is loaded, the Listen for the port exists exactly once, and the VirtualHost for the name and
    /// port exists and carries SSLEngine, SSLCertificateFile (the full chain on httpd 2.4.8+), SSLCertificateKeyFile and
    /// the TLS profile's directives. Edits keep every other byte of the files; running twice changes nothing. Refuses a
    /// certificate that does not match its key, and one that does not cover the name (-AllowNameMismatch overrides). Backs up each changed file, runs
    /// httpd's configuration test and restores everything when it fails. -WhatIf shows the diff and writes nothing.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "ApacheSsl", DefaultParameterSetName = InputObjectSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(ApacheChangeResult))]
    public sealed class SetApacheSslCommand : CertCmdletBase
    {
        private const string InputObjectSet = "InputObject";
        private const string FilesSet = "Files";

        #region Parameters

        /// <summary>
        /// <para type="description">The certificate object, carrying its file paths (from Export-CertPem, Import-PfxAsPem -OutputDirectory).</para>
        /// </summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
        [CertificateTransformation]
        public CertificateInfo? InputObject { get; set; }

        /// <summary>
        /// <para type="description">The certificate file (PEM), or the full chain file (leaf then intermediates). Binds CertificatePath (or Posh-ACME's CertFile) of piped objects.</para>
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = FilesSet, ValueFromPipelineByPropertyName = true)]
        [Alias("CertificateFile", "CertFile")]
        public string? CertificatePath { get; set; }

        /// <summary>
        /// <para type="description">The private key file (unencrypted: httpd cannot prompt for a pass phrase at start). Binds KeyPath (or KeyFile) of piped objects.</para>
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = FilesSet, ValueFromPipelineByPropertyName = true)]
        [Alias("KeyFile")]
        public string? KeyPath { get; set; }

        /// <summary>
        /// <para type="description">The intermediates file. httpd 2.4.8 and later take the full chain in SSLCertificateFile instead; older ones get it as SSLCertificateChainFile.</para>
        /// </summary>
        [Parameter(ParameterSetName = FilesSet, ValueFromPipelineByPropertyName = true)]
        [Alias("ChainFile")]
        public string? ChainPath { get; set; }

        /// <summary>
        /// <para type="description">The full chain file (leaf then intermediates), what httpd 2.4.8 and later take as SSLCertificateFile.</para>
        /// </summary>
        [Parameter(ParameterSetName = FilesSet, ValueFromPipelineByPropertyName = true)]
        [Alias("FullChainFile")]
        public string? FullChainPath { get; set; }

        /// <summary>
        /// <para type="description">httpd's configuration: a main file, a site file, or a root such as /etc/apache2 or /etc/httpd.</para>
        /// </summary>
        [Parameter(Mandatory = true)]
        public string ConfigPath { get; set; } = string.Empty;

        /// <summary>
        /// <para type="description">The site's name (the VirtualHost's ServerName).</para>
        /// </summary>
        [Parameter(Mandatory = true, Position = 0)]
        public string ServerName { get; set; } = string.Empty;

        /// <summary>
        /// <para type="description">The HTTPS port (default 443).</para>
        /// </summary>
        [Parameter]
        [ValidateRange(1, 65535)]
        public int Port { get; set; } = 443;

        /// <summary>
        /// <para type="description">Listen on this address only (e.g. 127.0.0.1 for a private instance).</para>
        /// </summary>
        [Parameter]
        public string? ListenAddress { get; set; }

        /// <summary>
        /// <para type="description">ServerRoot of a private instance, when the configuration does not set it.</para>
        /// </summary>
        [Parameter]
        public string? ServerRoot { get; set; }

        /// <summary>
        /// <para type="description">Mozilla's server-side TLS profile: Modern, Intermediate (default) or Old.</para>
        /// </summary>
        [Parameter]
        [ValidateSet("Modern", "Intermediate", "Old")]
        public string TlsProfile { get; set; } = "Intermediate";

        /// <summary>
        /// <para type="description">Send Strict-Transport-Security (two years), so browsers use HTTPS only.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter Hsts { get; set; }

        /// <summary>
        /// <para type="description">Gracefully reload httpd once the configuration passed its test - also when no configuration line changed (the certificate files may have been renewed in place). httpd must be running (its pid file names a live process): a reload never starts it. Then, unless -Verify:$false, the site is probed and must serve the configured certificate and chain; otherwise every file and link is restored, httpd reloaded again, and the error is ActivationFailed.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter Reload { get; set; }

        /// <summary>
        /// <para type="description">After -Reload, probe the site (the -ListenAddress, else 127.0.0.1, on -Port, with -ServerName as SNI) until it serves the configured certificate and chain, for up to -VerifyTimeoutSeconds; on a mismatch the change is rolled back. On by default with -Reload; -Verify:$false skips the probe (for a site this machine cannot reach).</para>
        /// </summary>
        [Parameter]
        public SwitchParameter Verify { get; set; }

        /// <summary>
        /// <para type="description">How long -Verify waits for httpd's graceful workers to serve the new certificate (default 15 seconds).</para>
        /// </summary>
        [Parameter]
        [ValidateRange(1, 300)]
        public int VerifyTimeoutSeconds { get; set; } = 15;

        /// <summary>
        /// <para type="description">The httpd program (apache2, httpd), when it is not found by itself.</para>
        /// </summary>
        [Parameter]
        public string? HttpdPath { get; set; }

        /// <summary>
        /// <para type="description">Configure a certificate that does not cover -ServerName (browsers will refuse it; a warning says so). For tests and migrations only.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter AllowNameMismatch { get; set; }

        /// <summary>
        /// <para type="description">The password of an encrypted key file, with -AllowEncryptedKey: used only to check that the key belongs to the certificate.</para>
        /// </summary>
        [Parameter]
        public SecureString? KeyPassword { get; set; }

        /// <summary>
        /// <para type="description">Configure an encrypted key file (httpd then asks for its pass phrase at start-up: configure SSLPassPhraseDialog). A warning says so.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter AllowEncryptedKey { get; set; }

        #endregion

        #region Overrides

        /// <summary>Checks the configuration path and the listen address and the name once: a wrong one stops the command.</summary>
        protected override void BeginProcessing()
        {
            try
            {
                ApacheConfigurator.CheckArguments(ResolveSingleInputPath(ConfigPath), ServerRoot is null ? null : ResolveSingleInputPath(ServerRoot), ListenAddress, ServerName);
            }
            catch (CertCmdletsException ex)
            {
                ThrowCoreError(ex);
            }
        }

        /// <summary>Configures the site for each certificate.</summary>
        protected override void ProcessRecord()
        {
            try
            {
                var options = new ApacheSslOptions
                {
                    ConfigPath = ResolveSingleInputPath(ConfigPath),
                    ServerRoot = ServerRoot is null ? null : ResolveSingleInputPath(ServerRoot),
                    ServerName = ServerName,
                    Port = Port,
                    ListenAddress = ListenAddress,
                    Certificate = InputObject,
                    CertificateFile = CertificatePath is null ? null : ResolveSingleInputPath(CertificatePath),
                    FullChainFile = FullChainPath is null ? null : ResolveSingleInputPath(FullChainPath),
                    KeyFile = KeyPath is null ? null : ResolveSingleInputPath(KeyPath),
                    ChainFile = ChainPath is null ? null : ResolveSingleInputPath(ChainPath),
                    TlsProfile = TlsProfile,
                    Hsts = Hsts,
                    AllowNameMismatch = AllowNameMismatch,
                    AllowEncryptedKey = AllowEncryptedKey,
                    KeyPassword = KeyPassword,
                    Reload = Reload,
                    Verify = MyInvocation.BoundParameters.ContainsKey(nameof(Verify)) ? Verify.IsPresent : null,
                    VerifyTimeout = TimeSpan.FromSeconds(VerifyTimeoutSeconds),
                    HttpdPath = HttpdPath,
                };
                ApacheChangeResult? result = ApacheConfigurator.SetSsl(options, ShouldProcessFile, Log);
                if (result is not null)
                {
                    WriteObject(result);
                }
            }
            catch (CertCmdletsException ex)
            {
                WriteCoreError(ex);
            }
        }

        #endregion
    }
}
