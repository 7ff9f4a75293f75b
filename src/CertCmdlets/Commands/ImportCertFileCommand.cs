using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Security;
using CertCmdlets.Core;
using CertCmdlets.Core.Certificates;

namespace CertCmdlets.Commands
{
    /// <summary>
    /// <para type="synopsis">Reads certificates from PEM, DER or PKCS#7 (.p7b) files, optionally with their private key.</para>
    /// <para type="description">Emits one object per certificate in each file. PEM files may hold many certificates and
    /// any text around them; .p7b files may be PEM or DER. -KeyPath attaches a private key (PKCS#1, PKCS#8 plain or
    /// encrypted, SEC1 EC, OpenSSL legacy encrypted PEM) to the certificate it belongs to. A file that cannot be read is
    /// reported and the others are still read. Certificate objects piped in are passed through.</para>
    /// </summary>
    [Cmdlet(VerbsData.Import, "CertFile", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(CertificateInfo))]
    public sealed class ImportCertFileCommand : CertCmdletBase
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";
        private const string InputObjectSet = "InputObject";

        private PrivateKeyFile? _key;
        private bool _keyFailed;

        #region Parameters

        /// <summary>
        /// <para type="description">Certificate files to read. Wildcards are expanded.</para>
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = PathSet)]
        [SupportsWildcards]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>
        /// <para type="description">Certificate files to read, taken exactly as written (no wildcards). Binds FullName/PSPath of piped file objects.</para>
        /// </summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
        [Alias("PSPath", "LP", "FullName")]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        /// <summary>
        /// <para type="description">Certificate objects to pass through unchanged, so scripts can mix sources.</para>
        /// </summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
        [CertificateTransformation]
        public CertificateInfo[] InputObject { get; set; } = Array.Empty<CertificateInfo>();

        /// <summary>
        /// <para type="description">A private key file to attach to the certificate it belongs to.</para>
        /// </summary>
        [Parameter(ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = LiteralPathSet)]
        public string? KeyPath { get; set; }

        /// <summary>
        /// <para type="description">The password of an encrypted -KeyPath file.</para>
        /// </summary>
        [Parameter(ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = LiteralPathSet)]
        public SecureString? KeyPassword { get; set; }

        #endregion

        #region Overrides

        /// <summary>Reads the -KeyPath file once, before the certificates.</summary>
        protected override void BeginProcessing()
        {
            if (KeyPath is null)
            {
                return;
            }

            try
            {
                _key = PrivateKeyFile.Load(ResolveSingleInputPath(KeyPath), KeyPassword);
                WriteVerbose($"Read the {_key.KeyAlgorithm} private key '{_key.Path}'.");
            }
            catch (CertCmdletsException ex)
            {
                // Without the key nothing asked for can be produced: one error, then no output.
                _keyFailed = true;
                ThrowCoreError(ex);
            }
        }

        /// <summary>Reads each file, or passes each object through.</summary>
        protected override void ProcessRecord()
        {
            switch (ParameterSetName)
            {
                case InputObjectSet:
                    WriteObject(InputObject, enumerateCollection: true);
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
            if (_keyFailed)
            {
                return;
            }

            foreach (string path in paths)
            {
                try
                {
                    IReadOnlyList<CertificateInfo> certificates = CertificateReader.ReadFile(path, Log);
                    WriteVerbose($"Read {certificates.Count} certificate(s) from '{path}'.");
                    _key?.AttachTo(certificates, path);
                    WriteObject(certificates, enumerateCollection: true);
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
