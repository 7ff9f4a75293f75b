using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using CertCmdlets.Core;
using CertCmdlets.Core.Certificates;
using CertCmdlets.Core.Chains;
using CertCmdlets.Core.Export;

namespace CertCmdlets.Commands
{
    /// <summary>
    /// <para type="synopsis">Puts a certificate's chain in order: leaf, then intermediates, then (optionally) the root.</para>
    /// <para type="description">Takes certificates from the pipeline and/or files (PEM bundles, .p7b) in any order, with
    /// duplicates and unrelated certificates, and an optional pool of intermediates (-IntermediatePath: files or a
    /// directory such as a CA bundle). Finds the leaf and builds its path by issuer name and key identifiers, checking
    /// each signature. Warns about a missing issuer, or fetches it from the certificate's caIssuers URL with -Download.
    /// Emits the leaf with its Chain set; -OutFile writes the full chain PEM that Apache's SSLCertificateFile takes.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Join, "CertChain", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
    [OutputType(typeof(CertificateInfo))]
    public sealed class JoinCertChainCommand : CertCmdletBase
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";

        private readonly List<CertificateInfo> _inputs = new List<CertificateInfo>();
        private CancellationTokenSource? _cancellation;

        #region Parameters

        /// <summary>
        /// <para type="description">Certificate objects: the leaf and any intermediates, in any order.</para>
        /// </summary>
        [Parameter(ValueFromPipeline = true)]
        [CertificateTransformation]
        public CertificateInfo[] InputObject { get; set; } = Array.Empty<CertificateInfo>();

        /// <summary>
        /// <para type="description">Certificate files (PEM bundles, DER, .p7b). Wildcards are expanded.</para>
        /// </summary>
        [Parameter(Position = 0, ParameterSetName = PathSet)]
        [SupportsWildcards]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>
        /// <para type="description">Certificate files, taken exactly as written. Binds FullName/PSPath of piped file objects.</para>
        /// </summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
        [Alias("PSPath", "LP", "FullName")]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        /// <summary>
        /// <para type="description">Candidate intermediates: files, or directories whose .pem/.crt/.cer/.der/.p7b files are read.</para>
        /// </summary>
        [Parameter]
        public string[] IntermediatePath { get; set; } = Array.Empty<string>();

        /// <summary>
        /// <para type="description">Root certificates to trust instead of the system store (files or directories), e.g. an internal CA's root: a chain that ends there is complete, with no warning.</para>
        /// </summary>
        [Parameter]
        public string[] TrustedRootPath { get; set; } = Array.Empty<string>();

        /// <summary>
        /// <para type="description">Keep the self-signed root at the end of the chain (servers need not send it).</para>
        /// </summary>
        [Parameter]
        public SwitchParameter IncludeRoot { get; set; }

        /// <summary>
        /// <para type="description">Fetch missing intermediates from the certificates' caIssuers (AIA) URLs.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter Download { get; set; }

        /// <summary>
        /// <para type="description">Seconds all downloads of this call may take together: every issuer URL, redirect and round (default 10).</para>
        /// </summary>
        [Parameter]
        [ValidateRange(1, 300)]
        public int TimeoutSeconds { get; set; } = 10;

        /// <summary>
        /// <para type="description">Write the full chain (leaf then intermediates) as PEM to this file.</para>
        /// </summary>
        [Parameter]
        public string? OutFile { get; set; }

        /// <summary>
        /// <para type="description">Replace -OutFile if it exists.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        #endregion

        #region Overrides

        /// <summary>Prepares cancellation (Ctrl+C stops downloads).</summary>
        protected override void BeginProcessing()
        {
            _cancellation = new CancellationTokenSource();
        }

        /// <summary>Collects the certificates; the chain is built once all have arrived.</summary>
        protected override void ProcessRecord()
        {
            _inputs.AddRange(InputObject);
            foreach (string path in ResolveInputPaths(Path, literal: false))
            {
                ReadInto(path);
            }

            foreach (string path in ResolveInputPaths(LiteralPath, literal: true))
            {
                ReadInto(path);
            }
        }

        /// <summary>Builds and emits the chains.</summary>
        protected override void EndProcessing()
        {
            if (_inputs.Count == 0)
            {
                return;
            }

            try
            {
                List<CertificateInfo> pool = ReadCertificatePool(IntermediatePath);
                var options = new ChainJoinOptions
                {
                    IncludeRoot = IncludeRoot,
                    Download = Download,
                    DownloadTimeout = TimeSpan.FromSeconds(TimeoutSeconds),
                    TrustedRoots = TrustedRootPath.Length > 0 ? ReadCertificatePool(TrustedRootPath) : null,
                };
                IReadOnlyList<CertificateInfo> leaves = ChainJoiner.Join(_inputs, pool, options, Log, _cancellation!.Token);
                if (OutFile is null)
                {
                    WriteObject(leaves, enumerateCollection: true);
                    return;
                }

                if (leaves.Count != 1)
                {
                    ThrowCoreError(new CertCmdletsException("SeveralLeaves", CertErrorKind.InvalidArgument, OutFile,
                        $"The input holds {leaves.Count} leaf certificates, so one -OutFile cannot hold their chains. Join them one at a time."));
                }

                var targets = new PemExportTargets { FullChainPath = ResolveOutputPath(OutFile) };
                CertificateInfo? written = PemOutput.WriteCertificate(leaves[0], targets, null, Force, ShouldProcessFile, Log);
                WriteObject(written ?? leaves[0]);
            }
            catch (CertCmdletsException ex)
            {
                ThrowCoreError(ex);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C: PowerShell stops the pipeline.
            }
        }

        /// <summary>Ctrl+C: cancels a download in progress.</summary>
        protected override void StopProcessing()
        {
            _cancellation?.Cancel();
        }

        #endregion

        #region Private helpers

        private void ReadInto(string path)
        {
            try
            {
                _inputs.AddRange(CertificateReader.ReadFile(path, Log));
            }
            catch (CertCmdletsException ex)
            {
                WriteCoreError(ex);
            }
        }

        #endregion
    }
}
