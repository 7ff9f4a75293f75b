using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Security;
using CertCmdlets.Core;
using CertCmdlets.Core.Requests;

namespace CertCmdlets.Commands
{
    /// <summary>
    /// <para type="synopsis">Reads a saved certificate signing request (CSR), PEM or DER, with its key when it lies beside it.</para>
    /// <para type="description">Reads PKCS#10 requests as openssl, New-CertRequest, IIS or a CA's page save them: PEM
    /// (BEGIN CERTIFICATE REQUEST, text around it allowed) or DER files, or pasted text (-Text). The request's signature
    /// is checked: a request that is not signed by its own key (altered or damaged) is refused (RequestSignatureInvalid).
    /// The object shows the requested subject, alternative names, key and requested extensions. The private key is
    /// attached when -KeyPath names it, or when it lies beside the request under the same base name (www.example.com.csr
    /// and www.example.com.key, as New-CertRequest -OutputDirectory writes them) and its public key is the request's.
    /// Approve-CertRequest and Complete-CertRequest take the object from the pipeline.</para>
    /// </summary>
    [Cmdlet(VerbsData.Import, "CertRequest", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(CertificateRequestInfo))]
    public sealed class ImportCertRequestCommand : CertCmdletBase
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";
        private const string TextSet = "Text";

        private string? _keyPath;

        #region Parameters

        /// <summary>
        /// <para type="description">Request files to read (PEM or DER). Wildcards are expanded.</para>
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = PathSet)]
        [SupportsWildcards]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>
        /// <para type="description">Request files, taken exactly as written (no wildcards). Binds FullName/PSPath of piped file objects.</para>
        /// </summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
        [Alias("PSPath", "LP", "FullName")]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        /// <summary>
        /// <para type="description">The request as text (BEGIN CERTIFICATE REQUEST), as pasted from a CA's page or an e-mail; any line ends.</para>
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = TextSet)]
        public string? Text { get; set; }

        /// <summary>
        /// <para type="description">The request's private key file. It must belong to the request (RequestKeyMismatch otherwise). Without it, a key file with the request's base name and .key beside it is attached when it matches.</para>
        /// </summary>
        [Parameter]
        public string? KeyPath { get; set; }

        /// <summary>
        /// <para type="description">The password of an encrypted key file (-KeyPath, or the key beside the request).</para>
        /// </summary>
        [Parameter]
        public SecureString? KeyPassword { get; set; }

        #endregion

        #region Overrides

        /// <summary>Resolves -KeyPath once: a wrong one stops the command.</summary>
        protected override void BeginProcessing()
        {
            if (KeyPath is null)
            {
                return;
            }

            try
            {
                _keyPath = ResolveSingleInputPath(KeyPath);
            }
            catch (CertCmdletsException ex)
            {
                ThrowCoreError(ex);
            }
        }

        /// <summary>Reads each request.</summary>
        protected override void ProcessRecord()
        {
            switch (ParameterSetName)
            {
                case TextSet:
                    try
                    {
                        WriteObject(RequestFiles.ParseText(Text!, _keyPath, KeyPassword));
                    }
                    catch (CertCmdletsException ex)
                    {
                        WriteCoreError(ex);
                    }

                    break;
                case LiteralPathSet:
                    ReadFiles(ResolveInputPaths(LiteralPath, literal: true));
                    break;
                default:
                    ReadFiles(ResolveInputPaths(Path, literal: false));
                    break;
            }
        }

        #endregion

        #region Private helpers

        private void ReadFiles(IEnumerable<string> paths)
        {
            foreach (string path in paths)
            {
                try
                {
                    CertificateRequestInfo request = RequestFiles.Read(path, _keyPath, KeyPassword, keyRequired: false, Log);
                    WriteVerbose($"Read the request '{request.Subject}' ({request.KeyAlgorithm}) from '{path}'{(request.HasPrivateKey ? " with its key '" + request.KeyPath + "'" : string.Empty)}.");
                    WriteObject(request);
                }
                catch (CertCmdletsException ex)
                {
                    WriteCoreError(ex);
                }
            }
        }

        #endregion
    }
}
