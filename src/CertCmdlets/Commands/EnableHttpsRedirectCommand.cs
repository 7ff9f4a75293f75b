using System.Management.Automation;
using CertCmdlets.Core;
using CertCmdlets.Core.Apache;

namespace CertCmdlets.Commands
{
    /// <summary>
    /// <para type="synopsis">Makes Apache httpd redirect every plain-HTTP request for a site to HTTPS.</para>
    /// <para type="description">Creates or updates the HTTP VirtualHost (and its Listen) with a permanent (301) redirect
    /// that keeps the path and query, also on non-standard ports (http://host:57772/ to https://host:57782/). Leaves
    /// /.well-known/acme-challenge/ reachable over plain HTTP for ACME renewals unless -RedirectAcmeChallenge. Same
    /// editor, idempotence, backups, configuration test and -WhatIf as Set-ApacheSsl, whose result it accepts from the pipeline.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Enable, "HttpsRedirect", SupportsShouldProcess = true)]
    [OutputType(typeof(ApacheChangeResult))]
    public sealed class EnableHttpsRedirectCommand : CertCmdletBase
    {
        #region Parameters

        /// <summary>
        /// <para type="description">httpd's configuration: a main file, a site file, or a root such as /etc/apache2.</para>
        /// </summary>
        [Parameter(Mandatory = true)]
        public string ConfigPath { get; set; } = string.Empty;

        /// <summary>
        /// <para type="description">The site's name; bound from Set-ApacheSsl's result when piped.</para>
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        public string ServerName { get; set; } = string.Empty;

        /// <summary>
        /// <para type="description">The plain HTTP port (default 80).</para>
        /// </summary>
        [Parameter]
        [ValidateRange(1, 65535)]
        public int HttpPort { get; set; } = 80;

        /// <summary>
        /// <para type="description">The HTTPS port clients are sent to (default 443); bound from Set-ApacheSsl's Port when piped.</para>
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Port")]
        [ValidateRange(1, 65535)]
        public int HttpsPort { get; set; } = 443;

        /// <summary>
        /// <para type="description">Listen on this address only (e.g. 127.0.0.1).</para>
        /// </summary>
        [Parameter]
        public string? ListenAddress { get; set; }

        /// <summary>
        /// <para type="description">ServerRoot of a private instance.</para>
        /// </summary>
        [Parameter]
        public string? ServerRoot { get; set; }

        /// <summary>
        /// <para type="description">Redirect with 302 (temporary) instead of 301.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter Temporary { get; set; }

        /// <summary>
        /// <para type="description">Redirect /.well-known/acme-challenge/ too (by default it stays on plain HTTP for certificate renewals).</para>
        /// </summary>
        [Parameter]
        public SwitchParameter RedirectAcmeChallenge { get; set; }

        /// <summary>
        /// <para type="description">Gracefully reload httpd once the configuration passed its test, also when no line changed. httpd must be running (its pid file names a live process): a reload never starts it (ApacheNotRunning, nothing changed).</para>
        /// </summary>
        [Parameter]
        public SwitchParameter Reload { get; set; }

        /// <summary>
        /// <para type="description">The httpd program, when it is not found by itself.</para>
        /// </summary>
        [Parameter]
        public string? HttpdPath { get; set; }

        #endregion

        #region Overrides

        /// <summary>Checks the configuration path and the listen address once: a wrong one stops the command.</summary>
        protected override void BeginProcessing()
        {
            try
            {
                ApacheConfigurator.CheckArguments(ResolveSingleInputPath(ConfigPath), ServerRoot is null ? null : ResolveSingleInputPath(ServerRoot), ListenAddress, null);
            }
            catch (CertCmdletsException ex)
            {
                ThrowCoreError(ex);
            }
        }

        /// <summary>Adds the redirect.</summary>
        protected override void ProcessRecord()
        {
            try
            {
                var options = new ApacheRedirectOptions
                {
                    ConfigPath = ResolveSingleInputPath(ConfigPath),
                    ServerRoot = ServerRoot is null ? null : ResolveSingleInputPath(ServerRoot),
                    ServerName = ServerName,
                    HttpPort = HttpPort,
                    HttpsPort = HttpsPort,
                    ListenAddress = ListenAddress,
                    Temporary = Temporary,
                    RedirectAcmeChallenge = RedirectAcmeChallenge,
                    Reload = Reload,
                    HttpdPath = HttpdPath,
                };
                ApacheChangeResult? result = ApacheConfigurator.EnableRedirect(options, ShouldProcessFile, Log);
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
