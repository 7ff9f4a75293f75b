using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Security;
using CertCmdlets.Core;
using CertCmdlets.Core.Export;
using CertCmdlets.Core.Pkcs12;

namespace CertCmdlets.Commands
{
    /// <summary>
    /// <para type="synopsis">Reads a PFX (.pfx/.p12) file from Windows or IIS and, with -OutputDirectory, writes the PEM files Apache needs.</para>
    /// <para type="description">Replaces `openssl pkcs12 -nocerts`, `-clcerts -nokeys` and `openssl rsa` in one step, for every
    /// kind of PFX (OpenSSL 3 defaults, legacy RC2-40 and 3DES files without any flag, Windows exports, files without a MAC).
    /// Emits the leaf certificate (the one whose public key matches the private key) with its key and its chain ordered
    /// leaf to root. -OutputDirectory writes key.pem (unencrypted by default, mode 0600), cert.pem, chain.pem and
    /// fullchain.pem atomically, never over existing files without -Force. -Verbose tells which encryption and MAC the file used.</para>
    /// </summary>
    [Cmdlet(VerbsData.Import, "PfxAsPem", DefaultParameterSetName = PathSet, SupportsShouldProcess = true)]
    [OutputType(typeof(CertificateInfo))]
    public sealed class ImportPfxAsPemCommand : CertCmdletBase
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";

        #region Parameters

        /// <summary>
        /// <para type="description">PFX files to read. Wildcards are expanded.</para>
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = PathSet)]
        [SupportsWildcards]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>
        /// <para type="description">PFX files to read, taken exactly as written. Binds FullName/PSPath of piped file objects.</para>
        /// </summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
        [Alias("PSPath", "LP", "FullName")]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        /// <summary>
        /// <para type="description">The PFX password. Leave it out for files without a password (an empty password is tried).</para>
        /// </summary>
        [Parameter]
        public SecureString? Password { get; set; }

        /// <summary>
        /// <para type="description">The PFX password as plain text, for unattended scripts that cannot hold a SecureString. Prefer -Password.</para>
        /// </summary>
        [Parameter]
        public string? PlainTextPassword { get; set; }

        /// <summary>
        /// <para type="description">When the file holds several private keys, the thumbprint of the certificate to take.</para>
        /// </summary>
        [Parameter]
        public string? Thumbprint { get; set; }

        /// <summary>
        /// <para type="description">Directory to write the PEM files into; created if missing.</para>
        /// </summary>
        [Parameter]
        public string? OutputDirectory { get; set; }

        /// <summary>
        /// <para type="description">File name of the private key in -OutputDirectory (default key.pem).</para>
        /// </summary>
        [Parameter]
        public string KeyFileName { get; set; } = PemExportTargets.KeyFileName;

        /// <summary>
        /// <para type="description">File name of the leaf certificate in -OutputDirectory (default cert.pem).</para>
        /// </summary>
        [Parameter]
        public string CertificateFileName { get; set; } = PemExportTargets.CertificateFileName;

        /// <summary>
        /// <para type="description">File name of the CA certificates in -OutputDirectory (default chain.pem).</para>
        /// </summary>
        [Parameter]
        public string ChainFileName { get; set; } = PemExportTargets.ChainFileName;

        /// <summary>
        /// <para type="description">File name of the leaf followed by the CA certificates in -OutputDirectory (default fullchain.pem).</para>
        /// </summary>
        [Parameter]
        public string FullChainFileName { get; set; } = PemExportTargets.FullChainFileName;

        /// <summary>
        /// <para type="description">Encrypt key.pem with this password. By default it is written without one, as Apache needs.</para>
        /// </summary>
        [Parameter]
        public SecureString? KeyPassword { get; set; }

        /// <summary>
        /// <para type="description">Replace files that already exist in -OutputDirectory.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        #endregion

        #region Overrides

        /// <summary>Checks the parameters that cannot be combined.</summary>
        protected override void BeginProcessing()
        {
            if (Passwords.Conflict(Password, PlainTextPassword) is CertCmdletsException conflict)
            {
                ThrowCoreError(conflict);
            }
        }

        /// <summary>Reads each PFX file.</summary>
        protected override void ProcessRecord()
        {
            IEnumerable<string> paths = ParameterSetName == LiteralPathSet ? ResolveInputPaths(LiteralPath, literal: true) : ResolveInputPaths(Path, literal: false);
            SecureString? password = Passwords.Choose(Password, PlainTextPassword);
            foreach (string path in paths)
            {
                try
                {
                    ReadOne(path, password);
                }
                catch (CertCmdletsException ex)
                {
                    WriteCoreError(ex);
                }
            }
        }

        #endregion

        #region Private helpers

        private void ReadOne(string path, SecureString? password)
        {
            PfxContents contents = PfxReader.ReadFile(path, password, Log);
            IReadOnlyList<CertificateInfo> leaves = contents.SelectLeaves(Thumbprint);
            foreach (CertificateInfo leaf in leaves)
            {
                WriteVerbose($"'{path}': leaf '{leaf.Subject}' ({leaf.Thumbprint}), {(leaf.HasPrivateKey ? "with its private key" : "without a private key")}, {leaf.Chain.Length} chain certificate(s).");
            }

            if (OutputDirectory is null)
            {
                WriteObject(leaves, enumerateCollection: true);
                return;
            }

            CertificateInfo single = contents.SingleLeaf(leaves);
            string directory = ResolveOutputPath(OutputDirectory);
            var targets = new PemExportTargets
            {
                KeyPath = single.HasPrivateKey ? Combine(directory, KeyFileName) : null,
                CertificatePath = Combine(directory, CertificateFileName),
                ChainPath = single.Chain.Length > 0 ? Combine(directory, ChainFileName) : null,
                FullChainPath = Combine(directory, FullChainFileName),
            };
            CertificateInfo? written = PemOutput.WriteCertificate(single, targets, KeyPassword, Force, ShouldProcessFile, Log);
            if (written is not null)
            {
                WriteObject(written);
            }
        }

        private static string Combine(string directory, string fileName)
        {
            string name = OutputNames.FromCommonName(fileName, fileName);
            return System.IO.Path.Combine(directory, name);
        }

        #endregion
    }
}
