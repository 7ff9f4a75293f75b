using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Security;
using CertCmdlets.Core;
using CertCmdlets.Core.Certificates;
using CertCmdlets.Core.Chains;
using CertCmdlets.Core.Export;
using CertCmdlets.Core.Requests;

namespace CertCmdlets.Commands
{
    /// <summary>
    /// <para type="synopsis">Completes a request with the certificate the CA sent back: checks it, orders its chain, attaches the key.</para>
    /// <para type="description">Takes the request (from New-CertRequest, or -RequestPath with -KeyPath) and the signed
    /// certificate as a file (-CertificatePath) or pasted text (-CertificateText), with intermediates in any order, extra
    /// blank lines or CRLFs. Checks that the certificate holds the request's public key and covers every requested name,
    /// puts the chain in order, and emits the certificate with key and chain; -OutputDirectory writes cert.pem, key.pem,
    /// chain.pem and fullchain.pem. A mismatch is an error that says what differs, and nothing is written.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Complete, "CertRequest", DefaultParameterSetName = ObjectFileSet, SupportsShouldProcess = true)]
    [OutputType(typeof(CertificateInfo))]
    public sealed class CompleteCertRequestCommand : CertCmdletBase
    {
        private const string ObjectFileSet = "ObjectAndFile";
        private const string ObjectTextSet = "ObjectAndText";
        private const string PathFileSet = "RequestPathAndFile";
        private const string PathTextSet = "RequestPathAndText";

        private readonly System.Threading.CancellationTokenSource _cancellation = new System.Threading.CancellationTokenSource();

        #region Parameters

        /// <summary>
        /// <para type="description">The request object, carrying its key (from New-CertRequest).</para>
        /// </summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ObjectFileSet)]
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ObjectTextSet)]
        public CertificateRequestInfo? InputObject { get; set; }

        /// <summary>
        /// <para type="description">The request file (CSR), when no request object is at hand.</para>
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = PathFileSet)]
        [Parameter(Mandatory = true, ParameterSetName = PathTextSet)]
        public string? RequestPath { get; set; }

        /// <summary>
        /// <para type="description">The private key of the request (required with -RequestPath to produce an installable result).</para>
        /// </summary>
        [Parameter(ParameterSetName = PathFileSet)]
        [Parameter(ParameterSetName = PathTextSet)]
        public string? KeyPath { get; set; }

        /// <summary>
        /// <para type="description">The password of an encrypted -KeyPath file.</para>
        /// </summary>
        [Parameter(ParameterSetName = PathFileSet)]
        [Parameter(ParameterSetName = PathTextSet)]
        public SecureString? KeyPassword { get; set; }

        /// <summary>
        /// <para type="description">The file the CA sent: the certificate, possibly with intermediates (PEM, DER or .p7b).</para>
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ObjectFileSet)]
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathFileSet)]
        public string? CertificatePath { get; set; }

        /// <summary>
        /// <para type="description">The certificate text as pasted from the CA's page or e-mail (PEM blocks, any line ends).</para>
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = ObjectTextSet)]
        [Parameter(Mandatory = true, ParameterSetName = PathTextSet)]
        public string? CertificateText { get; set; }

        /// <summary>
        /// <para type="description">More intermediates to complete the chain: files or a directory.</para>
        /// </summary>
        [Parameter]
        public string[] IntermediatePath { get; set; } = Array.Empty<string>();

        /// <summary>
        /// <para type="description">Root certificates to trust instead of the system store (files or directories), e.g. an internal CA's root: a chain that ends there is complete.</para>
        /// </summary>
        [Parameter]
        public string[] TrustedRootPath { get; set; } = Array.Empty<string>();

        /// <summary>
        /// <para type="description">Fetch missing intermediates from the certificate's caIssuers (AIA) URL.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter Download { get; set; }

        /// <summary>
        /// <para type="description">Directory to write cert.pem, key.pem, chain.pem and fullchain.pem into.</para>
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

        /// <summary>Ctrl+C: cancels a download in progress.</summary>
        protected override void StopProcessing()
        {
            _cancellation.Cancel();
        }

        /// <summary>Completes the request.</summary>
        protected override void ProcessRecord()
        {
            try
            {
                CertificateRequestInfo request = InputObject ?? CertificateRequestReader.ReadFile(ResolveSingleInputPath(RequestPath!));
                PrivateKeyFile? key = KeyPath is null ? null : PrivateKeyFile.Load(ResolveSingleInputPath(KeyPath), KeyPassword);
                string source;
                IReadOnlyList<CertificateInfo> returned;
                if (CertificateText is not null)
                {
                    source = "the certificate text";
                    returned = CertificateReader.ParseText(CertificateText, source);
                }
                else
                {
                    source = ResolveSingleInputPath(CertificatePath!);
                    returned = CertificateReader.ReadFile(source);
                }

                var chainOptions = new ChainJoinOptions { Download = Download, TrustedRoots = TrustedRootPath.Length > 0 ? ReadCertificatePool(TrustedRootPath) : null };
                CertificateInfo completed = RequestCompletion.Complete(request, returned, ReadCertificatePool(IntermediatePath), chainOptions, key, source, Log, _cancellation.Token);
                if (OutputDirectory is null)
                {
                    WriteObject(completed);
                    return;
                }

                CertificateInfo? written = PemOutput.WriteCertificate(completed, PemExportTargets.InDirectory(ResolveOutputPath(OutputDirectory), completed), null, Force, ShouldProcessFile, Log);
                if (written is not null)
                {
                    WriteObject(written);
                }
            }
            catch (CertCmdletsException ex)
            {
                WriteCoreError(ex);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C: PowerShell stops the pipeline.
            }
        }

        #endregion
    }
}
