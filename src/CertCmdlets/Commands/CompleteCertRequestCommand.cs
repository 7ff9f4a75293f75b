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
    /// <para type="description">Takes the request (from New-CertRequest or Import-CertRequest, or -RequestPath) and the
    /// signed certificate as a file (-CertificatePath) or pasted text (-CertificateText), with intermediates in any order,
    /// extra blank lines or CRLFs. Checks that the certificate holds the request's public key and covers every requested
    /// name, puts the chain in order, and emits the certificate with key and chain; -OutputDirectory writes cert.pem,
    /// key.pem, chain.pem and fullchain.pem. A mismatch is an error that says what differs, and nothing is written.</para>
    /// <para type="description">Given only the CA's answer, it finds the pending request itself, as Windows'
    /// pending-request store does, on every platform: among the request files (.csr, .req, .p10, .pem) of
    /// -RequestDirectory (by default the folder of -CertificatePath and the current location) the one made with the
    /// certificate's public key, and the key beside it (same base name, .key; or a key file of that folder with the same
    /// public key). With -RequestPath and no -KeyPath, the key beside the request is used. When no key is found the
    /// command stops with RequestKeyNotFound and writes nothing, unless -AllowMissingKey.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Complete, "CertRequest", DefaultParameterSetName = PendingFileSet, SupportsShouldProcess = true)]
    [OutputType(typeof(CertificateInfo))]
    public sealed class CompleteCertRequestCommand : CertCmdletBase
    {
        private const string ObjectFileSet = "ObjectAndFile";
        private const string ObjectTextSet = "ObjectAndText";
        private const string PathFileSet = "RequestPathAndFile";
        private const string PathTextSet = "RequestPathAndText";
        private const string PendingFileSet = "PendingAndFile";
        private const string PendingTextSet = "PendingAndText";

        private readonly System.Threading.CancellationTokenSource _cancellation = new System.Threading.CancellationTokenSource();

        #region Parameters

        /// <summary>
        /// <para type="description">The request object, carrying its key (from New-CertRequest, or Import-CertRequest when its key lay beside it).</para>
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
        /// <para type="description">The private key of the request. Without it, the key file beside the request (same base name, .key) is used.</para>
        /// </summary>
        [Parameter(ParameterSetName = PathFileSet)]
        [Parameter(ParameterSetName = PathTextSet)]
        public string? KeyPath { get; set; }

        /// <summary>
        /// <para type="description">The password of an encrypted key file (-KeyPath, or the key found beside the request).</para>
        /// </summary>
        [Parameter(ParameterSetName = PathFileSet)]
        [Parameter(ParameterSetName = PathTextSet)]
        [Parameter(ParameterSetName = PendingFileSet)]
        [Parameter(ParameterSetName = PendingTextSet)]
        public SecureString? KeyPassword { get; set; }

        /// <summary>
        /// <para type="description">Folders holding pending requests (name.csr and name.key, as New-CertRequest -OutputDirectory writes them) when neither a request object nor -RequestPath is given. Default: the folder of -CertificatePath and the current location.</para>
        /// </summary>
        [Parameter(ParameterSetName = PendingFileSet)]
        [Parameter(ParameterSetName = PendingTextSet)]
        public string[] RequestDirectory { get; set; } = Array.Empty<string>();

        /// <summary>
        /// <para type="description">The file the CA sent: the certificate, possibly with intermediates (PEM, DER or .p7b).</para>
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ObjectFileSet)]
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathFileSet)]
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PendingFileSet)]
        public string? CertificatePath { get; set; }

        /// <summary>
        /// <para type="description">The certificate text as pasted from the CA's page or e-mail (PEM blocks, any line ends).</para>
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = ObjectTextSet)]
        [Parameter(Mandatory = true, ParameterSetName = PathTextSet)]
        [Parameter(Mandatory = true, ParameterSetName = PendingTextSet)]
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

        /// <summary>
        /// <para type="description">Go on when no private key is found for the request: the certificate is emitted (and its certificate files written) without a key, with a warning. Without it, a missing key is an error and nothing is written.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter AllowMissingKey { get; set; }

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

                CertificateRequestInfo request = FindRequest(returned, source, out string whereKeyWasLooked);
                if (!request.HasPrivateKey && !AllowMissingKey)
                {
                    throw RequestKeyNotFound(request, whereKeyWasLooked);
                }

                var chainOptions = new ChainJoinOptions { Download = Download, TrustedRoots = TrustedRootPath.Length > 0 ? ReadCertificatePool(TrustedRootPath) : null };
                CertificateInfo completed = RequestCompletion.Complete(request, returned, ReadCertificatePool(IntermediatePath), chainOptions, null, source, Log, _cancellation.Token);
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

        #region Private helpers

        /// <summary>The request: the object given, the file named (with its key), or the pending request found.</summary>
        private CertificateRequestInfo FindRequest(IReadOnlyList<CertificateInfo> returned, string source, out string whereKeyWasLooked)
        {
            if (InputObject is not null)
            {
                whereKeyWasLooked = "the request object carries none";
                return InputObject;
            }

            if (RequestPath is not null)
            {
                string requestPath = ResolveSingleInputPath(RequestPath);
                whereKeyWasLooked = $"no -KeyPath was given, and no key file '{RequestFiles.KeyBeside(requestPath)}' lies beside it";
                return RequestFiles.Read(requestPath, KeyPath is null ? null : ResolveSingleInputPath(KeyPath), KeyPassword, keyRequired: true, Log);
            }

            List<string> directories = PendingDirectories(CertificateText is null ? source : null);
            CertificateRequestInfo found = PendingRequests.Find(returned, directories, KeyPassword, Log)
                ?? throw PendingRequests.NotFound(source, returned, directories);
            whereKeyWasLooked = $"no key file beside '{found.RequestPath}' or in its folder holds its key";
            return found;
        }

        /// <summary>-RequestDirectory, or the folder of the CA's file and the current location.</summary>
        private List<string> PendingDirectories(string? responseFile)
        {
            var directories = new List<string>();
            if (RequestDirectory.Length > 0)
            {
                foreach (string directory in RequestDirectory)
                {
                    directories.Add(ResolveSingleInputPath(directory));
                }

                return directories;
            }

            if (responseFile is not null)
            {
                directories.Add(System.IO.Path.GetDirectoryName(responseFile) ?? ".");
            }

            string here = SessionState.Path.CurrentFileSystemLocation.ProviderPath;
            if (!directories.Contains(here))
            {
                directories.Add(here);
            }

            return directories;
        }

        private static CertCmdletsException RequestKeyNotFound(CertificateRequestInfo request, string whereKeyWasLooked) =>
            PendingRequests.KeyNotFound(request.RequestPath ?? request.Subject, whereKeyWasLooked);

        #endregion
    }
}
