using System;
using System.Collections.Generic;
using System.Management.Automation;
using CertCmdlets.Core;
using CertCmdlets.Core.Chains;
using CertCmdlets.Core.Tls;

namespace CertCmdlets.Commands
{
    /// <summary>
    /// <para type="synopsis">Checks what an HTTPS server really sends: certificates, chain, names, TLS versions, and the HTTP redirect.</para>
    /// <para type="description">Connects with the server name as SNI and reads the certificates the server itself sends
    /// (not what a local store could add). Reports whether the chain is complete and in order, whether the names match,
    /// the days remaining, the TLS versions accepted, and with -HttpPort whether plain HTTP redirects to HTTPS keeping the
    /// path and query. -Quiet returns only $true or $false.</para>
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "HttpsEndpoint")]
    [OutputType(typeof(HttpsEndpointResult), typeof(bool))]
    public sealed class TestHttpsEndpointCommand : CertCmdletBase
    {
        #region Parameters

        /// <summary>
        /// <para type="description">The host to connect to (name or address).</para>
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("ComputerName")]
        public string HostName { get; set; } = string.Empty;

        /// <summary>
        /// <para type="description">The HTTPS port (default 443).</para>
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ValidateRange(1, 65535)]
        public int Port { get; set; } = 443;

        /// <summary>
        /// <para type="description">The name sent as SNI and checked against the certificate (default: the host name).</para>
        /// <para type="default">The host name (-HostName)</para>
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? ServerName { get; set; }

        /// <summary>
        /// <para type="description">The thumbprint of the certificate the server must send (bound from a piped certificate or Set-ApacheSsl result). Another certificate served is a problem, so IsHealthy is $false.</para>
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Thumbprint")]
        public string? ExpectedThumbprint { get; set; }

        /// <summary>
        /// <para type="description">Also check that plain HTTP on this port redirects to HTTPS.</para>
        /// </summary>
        [Parameter]
        [ValidateRange(1, 65535)]
        public int HttpPort { get; set; }

        /// <summary>
        /// <para type="description">Root certificates to trust instead of the system store (files or directories).</para>
        /// </summary>
        [Parameter]
        public string[] TrustedRootPath { get; set; } = Array.Empty<string>();

        /// <summary>
        /// <para type="description">Seconds the whole check of one endpoint may take: every connection, TLS handshake and the HTTP redirect check together (default 30). A server too slow for it is reported, not waited for.</para>
        /// </summary>
        [Parameter]
        [ValidateRange(1, 300)]
        public int TimeoutSeconds { get; set; } = 30;

        /// <summary>
        /// <para type="description">Return only $true (no problem) or $false.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        #endregion

        #region Overrides

        /// <summary>Probes each endpoint.</summary>
        protected override void ProcessRecord()
        {
            IReadOnlyList<CertificateInfo> roots = TrustedRootPath.Length > 0 ? ReadCertificatePool(TrustedRootPath) : SystemRoots.Load(Log);
            try
            {
                int? httpPort = MyInvocation.BoundParameters.ContainsKey(nameof(HttpPort)) ? HttpPort : null;
                HttpsEndpointResult result = HttpsProbe.Probe(HostName, Port, ServerName, httpPort, TimeSpan.FromSeconds(TimeoutSeconds), roots, Log, ExpectedThumbprint, TrustedRootPath.Length > 0);
                foreach (string problem in result.Problems)
                {
                    WriteVerbose(problem);
                }

                WriteObject(Quiet ? (object)result.IsHealthy : result);
            }
            catch (CertCmdletsException ex)
            {
                if (Quiet)
                {
                    WriteVerbose(ex.Message);
                    WriteObject(false);
                    return;
                }

                WriteCoreError(ex);
            }
        }

        #endregion
    }
}
