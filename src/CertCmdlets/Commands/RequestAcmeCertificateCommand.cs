using System;
using System.Linq;
using System.Management.Automation;
using System.Security;
using CertCmdlets.Core;
using CertCmdlets.Core.Acme;
using CertCmdlets.Core.Export;
using CertCmdlets.Core.Requests;

namespace CertCmdlets.Commands
{
    /// <summary>
    /// <para type="synopsis">Gets a certificate from an ACME CA for a request: order, challenges, issuance, the chain, the request's key attached.</para>
    /// <para type="description">Takes a request object from the pipeline (New-CertRequest, Import-CertRequest) and uses its own
    /// CSR and key (a new key is never made for it), or -DnsName, for which a new key is made as New-CertRequest makes it.
    /// Proves control of each name through one of: -WebRoot (files under WebRoot/.well-known/acme-challenge/, served by
    /// your web server), -ListenPort (a small listener of the module's own, for machines without a web server),
    /// -ApacheConfigPath (the document root of the site's plain-HTTP VirtualHost in an httpd configuration this module
    /// manages), or -DnsAddScript/-DnsRemoveScript (your code publishes the _acme-challenge TXT record; wildcards need this).
    /// Challenge files and records are removed afterwards, also when the CA refuses. Emits the certificate with its chain
    /// and key, ready for Export-CertPem and Set-ApacheSsl; -OutputDirectory writes cert.pem, key.pem, chain.pem and
    /// fullchain.pem itself. -Replaces names the certificate being renewed (ACME Renewal Information). -WhatIf contacts nothing.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Request, "AcmeCertificate", DefaultParameterSetName = RequestWebRoot, SupportsShouldProcess = true)]
    [OutputType(typeof(CertificateInfo))]
    public sealed class RequestAcmeCertificateCommand : AcmeCommandBase
    {
        private const string RequestWebRoot = "RequestWebRoot";
        private const string RequestListener = "RequestListener";
        private const string RequestApache = "RequestApache";
        private const string RequestDns = "RequestDns";
        private const string NamesWebRoot = "NamesWebRoot";
        private const string NamesListener = "NamesListener";
        private const string NamesApache = "NamesApache";
        private const string NamesDns = "NamesDns";

        #region Parameters

        /// <summary>
        /// <para type="description">The request, carrying its key (from New-CertRequest or Import-CertRequest). Its CSR is what the CA signs.</para>
        /// </summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = RequestWebRoot)]
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = RequestListener)]
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = RequestApache)]
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = RequestDns)]
        public CertificateRequestInfo? InputObject { get; set; }

        /// <summary>
        /// <para type="description">The names of the certificate, the first one as its common name; a new key and request are made for them.</para>
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = NamesWebRoot)]
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = NamesListener)]
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = NamesApache)]
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = NamesDns)]
        public string[] DnsName { get; set; } = Array.Empty<string>();

        /// <summary>
        /// <para type="description">With -DnsName: RSA (default) or ECDSA, as New-CertRequest.</para>
        /// </summary>
        [Parameter(ParameterSetName = NamesWebRoot)]
        [Parameter(ParameterSetName = NamesListener)]
        [Parameter(ParameterSetName = NamesApache)]
        [Parameter(ParameterSetName = NamesDns)]
        [ArgumentCompleter(typeof(ChoiceCompleter))]
        public string? KeyAlgorithm { get; set; }

        /// <summary>
        /// <para type="description">With -DnsName: the RSA key size, 2048 (default), 3072 or 4096.</para>
        /// </summary>
        [Parameter(ParameterSetName = NamesWebRoot)]
        [Parameter(ParameterSetName = NamesListener)]
        [Parameter(ParameterSetName = NamesApache)]
        [Parameter(ParameterSetName = NamesDns)]
        [ArgumentCompleter(typeof(ChoiceCompleter))]
        public int KeySize { get; set; }

        /// <summary>
        /// <para type="description">With -DnsName and -KeyAlgorithm ECDSA: P256 (default), P384 or P521.</para>
        /// </summary>
        [Parameter(ParameterSetName = NamesWebRoot)]
        [Parameter(ParameterSetName = NamesListener)]
        [Parameter(ParameterSetName = NamesApache)]
        [Parameter(ParameterSetName = NamesDns)]
        [ArgumentCompleter(typeof(ChoiceCompleter))]
        public string? Curve { get; set; }

        /// <summary>
        /// <para type="description">The CA: LetsEncrypt, LetsEncryptStaging, ZeroSSL, GoogleTrustServices, GoogleTrustServicesStaging, BuypassGo... (press Tab), or the https URL of its ACME directory.</para>
        /// </summary>
        [Parameter(Mandatory = true)]
        [ArgumentCompleter(typeof(AcmeDirectoryCompleter))]
        public string Directory { get; set; } = string.Empty;

        /// <summary>
        /// <para type="description">HTTP-01: the directory your web server serves for the names (its document root); challenge files go to WebRoot/.well-known/acme-challenge/ and are removed afterwards.</para>
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = RequestWebRoot)]
        [Parameter(Mandatory = true, ParameterSetName = NamesWebRoot)]
        public string? WebRoot { get; set; }

        /// <summary>
        /// <para type="description">HTTP-01 without a web server: the port of the module's own listener (80 for a public CA), open only while the CA validates.</para>
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = RequestListener)]
        [Parameter(Mandatory = true, ParameterSetName = NamesListener)]
        [ValidateRange(1, 65535)]
        public int ListenPort { get; set; }

        /// <summary>
        /// <para type="description">With -ListenPort: the address to listen on (default: every address).</para>
        /// </summary>
        [Parameter(ParameterSetName = RequestListener)]
        [Parameter(ParameterSetName = NamesListener)]
        public string? ListenAddress { get; set; }

        /// <summary>
        /// <para type="description">HTTP-01 through Apache: httpd's configuration (main file, site file or root such as /etc/apache2); the challenge goes to the document root of the plain-HTTP VirtualHost of each name.</para>
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = RequestApache)]
        [Parameter(Mandatory = true, ParameterSetName = NamesApache)]
        public string? ApacheConfigPath { get; set; }

        /// <summary>
        /// <para type="description">With -ApacheConfigPath: the port of the plain-HTTP VirtualHost (default 80).</para>
        /// </summary>
        [Parameter(ParameterSetName = RequestApache)]
        [Parameter(ParameterSetName = NamesApache)]
        [ValidateRange(1, 65535)]
        public int ApacheHttpPort { get; set; } = 80;

        /// <summary>
        /// <para type="description">With -ApacheConfigPath: the ServerRoot of a private instance whose configuration does not set it.</para>
        /// </summary>
        [Parameter(ParameterSetName = RequestApache)]
        [Parameter(ParameterSetName = NamesApache)]
        public string? ApacheServerRoot { get; set; }

        /// <summary>
        /// <para type="description">DNS-01: a script block called with the record name (_acme-challenge.www.example.com) and value; it publishes the TXT record at your DNS provider, and throws if it cannot.</para>
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = RequestDns)]
        [Parameter(Mandatory = true, ParameterSetName = NamesDns)]
        public ScriptBlock? DnsAddScript { get; set; }

        /// <summary>
        /// <para type="description">DNS-01: a script block called with the same name and value to remove the record afterwards (also after a failure).</para>
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = RequestDns)]
        [Parameter(Mandatory = true, ParameterSetName = NamesDns)]
        public ScriptBlock? DnsRemoveScript { get; set; }

        /// <summary>
        /// <para type="description">DNS-01: resolvers (IP[:port]) asked until the TXT records appear, e.g. your zone's authoritative servers. Without it, a fixed wait (-DnsPropagationDelaySeconds).</para>
        /// </summary>
        [Parameter(ParameterSetName = RequestDns)]
        [Parameter(ParameterSetName = NamesDns)]
        public string[] DnsResolver { get; set; } = Array.Empty<string>();

        /// <summary>
        /// <para type="description">DNS-01 with -DnsResolver: how long to wait for the records to appear (default 120 seconds).</para>
        /// </summary>
        [Parameter(ParameterSetName = RequestDns)]
        [Parameter(ParameterSetName = NamesDns)]
        [ValidateRange(1, 3600)]
        public int DnsPropagationTimeoutSeconds { get; set; } = 120;

        /// <summary>
        /// <para type="description">DNS-01 without -DnsResolver: the fixed wait after publishing, in seconds (default 60).</para>
        /// </summary>
        [Parameter(ParameterSetName = RequestDns)]
        [Parameter(ParameterSetName = NamesDns)]
        [ValidateRange(0, 3600)]
        public int DnsPropagationDelaySeconds { get; set; } = 60;

        /// <summary>
        /// <para type="description">The chain to prefer when the CA offers several: the common name of its root or top issuer, e.g. 'ISRG Root X1'. The default chain is used (with a warning) when none matches.</para>
        /// </summary>
        [Parameter]
        public string? PreferredChain { get; set; }

        /// <summary>
        /// <para type="description">The certificate this one renews (from Import-CertFile); named in the order when the CA offers ACME Renewal Information.</para>
        /// </summary>
        [Parameter]
        public CertificateInfo? Replaces { get; set; }

        /// <summary>
        /// <para type="description">When no account is saved for the CA: open one, agreeing to the CA's terms of service.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter AcceptTermsOfService { get; set; }

        /// <summary>
        /// <para type="description">When an account is opened here: its contact e-mail addresses.</para>
        /// </summary>
        [Parameter]
        public string[] Contact { get; set; } = Array.Empty<string>();

        /// <summary>
        /// <para type="description">When an account is opened here: the External Account Binding key id.</para>
        /// </summary>
        [Parameter]
        public string? ExternalAccountKeyId { get; set; }

        /// <summary>
        /// <para type="description">When an account is opened here: the External Account Binding MAC key (SecureString).</para>
        /// </summary>
        [Parameter]
        public SecureString? ExternalAccountMacKey { get; set; }

        /// <summary>
        /// <para type="description">Write cert.pem, key.pem (0600), chain.pem and fullchain.pem into this directory (created if missing) and emit the certificate with their paths.</para>
        /// </summary>
        [Parameter]
        public string? OutputDirectory { get; set; }

        /// <summary>
        /// <para type="description">Replace existing files in -OutputDirectory.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        #endregion

        #region Overrides

        /// <summary>Orders the certificate for each request.</summary>
        protected override void ProcessRecord()
        {
            Run(() =>
            {
                string url = DirectoryText(Directory);
                string names = InputObject is not null ? string.Join(", ", InputObject.DnsNames.Concat(InputObject.IpAddresses).DefaultIfEmpty(InputObject.Subject)) : string.Join(", ", DnsName);
                if (!ShouldProcess(names, $"Request a certificate from {url}"))
                {
                    return;
                }

                CertificateRequestInfo request = InputObject ?? NewRequest();
                CertificateInfo issued = Session(Directory).RequestCertificate(request, OrderOptions());
                if (OutputDirectory is null)
                {
                    WriteObject(issued);
                    return;
                }

                CertificateInfo? written = PemOutput.WriteCertificate(issued, PemExportTargets.InDirectory(ResolveOutputPath(OutputDirectory), issued), null, Force, ShouldProcessFile, Log);
                WriteObject(written ?? issued);
            });
        }

        #endregion

        #region Private helpers

        private CertificateRequestInfo NewRequest()
        {
            var options = new CertificateRequestOptions
            {
                CommonName = DnsName[0],
                KeyAlgorithm = KeyAlgorithm,
                KeySize = MyInvocation.BoundParameters.ContainsKey(nameof(KeySize)) ? KeySize : null,
                Curve = Curve,
            };
            foreach (string name in DnsName.Skip(1))
            {
                options.DnsNames.Add(name);
            }

            return CertificateRequestBuilder.CreateRequest(options, Log);
        }

        private AcmeOrderOptions OrderOptions()
        {
            var options = new AcmeOrderOptions { PreferredChain = PreferredChain, Replaces = Replaces };
            if (AcceptTermsOfService || ExternalAccountKeyId is not null)
            {
                options.NewAccount = new AcmeNewAccountOptions
                {
                    AcceptTermsOfService = AcceptTermsOfService,
                    ExternalAccountKeyId = ExternalAccountKeyId,
                    ExternalAccountMacKey = ExternalAccountMacKey,
                };
                foreach (string contact in Contact)
                {
                    options.NewAccount.Contact.Add(contact);
                }
            }

            AcmeChallengeOptions challenge = options.Challenge;
            switch (ParameterSetName)
            {
                case RequestListener:
                case NamesListener:
                    challenge.ListenPort = ListenPort;
                    challenge.ListenAddress = ListenAddress;
                    break;
                case RequestApache:
                case NamesApache:
                    challenge.ApacheConfigPath = ResolveSingleInputPath(ApacheConfigPath!);
                    challenge.ApacheServerRoot = ApacheServerRoot is null ? null : ResolveSingleInputPath(ApacheServerRoot);
                    challenge.ApacheHttpPort = ApacheHttpPort;
                    break;
                case RequestDns:
                case NamesDns:
                    ScriptBlock add = DnsAddScript!;
                    ScriptBlock remove = DnsRemoveScript!;
                    challenge.DnsAdd = (name, value) => add.Invoke(name, value);
                    challenge.DnsRemove = (name, value) => remove.Invoke(name, value);
                    foreach (string resolver in DnsResolver)
                    {
                        challenge.DnsResolvers.Add(resolver);
                    }

                    challenge.DnsPropagationTimeout = TimeSpan.FromSeconds(DnsPropagationTimeoutSeconds);
                    challenge.DnsPropagationDelay = TimeSpan.FromSeconds(DnsPropagationDelaySeconds);
                    break;
                default:
                    challenge.WebRoot = ResolveOutputPath(WebRoot!);
                    break;
            }

            return options;
        }

        #endregion
    }
}
