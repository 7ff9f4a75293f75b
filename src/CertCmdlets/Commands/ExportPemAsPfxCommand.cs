using System;
using System.Management.Automation;
using System.Security;
using CertCmdlets.Core;
using CertCmdlets.Core.Export;
using CertCmdlets.Core.Pkcs12;

namespace CertCmdlets.Commands
{
    /// <summary>
    /// <para type="synopsis">Writes a certificate, its private key and its chain as a PFX (.pfx/.p12) file for Windows and IIS.</para>
    /// <para type="description">Takes a certificate object with its key from the pipeline (Import-CertFile -KeyPath,
    /// New-CertRequest -SelfSign, Import-PfxAsPem) or the PEM files Apache uses (-CertificatePath, -KeyPath, -ChainPath).
    /// The file is protected by -Password with modern encryption (AES-256-CBC, PBKDF2-HMAC-SHA256, HMAC-SHA256); -Legacy
    /// writes 3DES with a SHA-1 MAC for Windows Server 2016 and older, which reject AES-encrypted PFX files with a
    /// misleading "password incorrect". Written atomically with owner-only permissions, never over an existing file without -Force.</para>
    /// </summary>
    [Cmdlet(VerbsData.Export, "PemAsPfx", DefaultParameterSetName = InputObjectSet, SupportsShouldProcess = true)]
    [OutputType(typeof(CertificateInfo))]
    public sealed class ExportPemAsPfxCommand : CertCmdletBase
    {
        private const string InputObjectSet = "InputObject";
        private const string FilesSet = "Files";

        #region Parameters

        /// <summary>
        /// <para type="description">The certificate object, with its private key and chain.</para>
        /// </summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
        [CertificateTransformation]
        public CertificateInfo? InputObject { get; set; }

        /// <summary>
        /// <para type="description">The certificate file (PEM or DER); a full-chain file works too.</para>
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = FilesSet)]
        public string? CertificatePath { get; set; }

        /// <summary>
        /// <para type="description">The private key file of the certificate.</para>
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = FilesSet)]
        public string? KeyPath { get; set; }

        /// <summary>
        /// <para type="description">The password of an encrypted -KeyPath file.</para>
        /// </summary>
        [Parameter(ParameterSetName = FilesSet)]
        public SecureString? KeyPassword { get; set; }

        /// <summary>
        /// <para type="description">A file of intermediate certificates to include.</para>
        /// </summary>
        [Parameter(ParameterSetName = FilesSet)]
        public string? ChainPath { get; set; }

        /// <summary>
        /// <para type="description">The PFX file to write.</para>
        /// </summary>
        [Parameter(Mandatory = true, Position = 0)]
        [Alias("FilePath")]
        public string OutFile { get; set; } = string.Empty;

        /// <summary>
        /// <para type="description">The password that protects the PFX file.</para>
        /// </summary>
        [Parameter]
        public SecureString? Password { get; set; }

        /// <summary>
        /// <para type="description">The PFX password as plain text, for unattended scripts that cannot hold a SecureString. Prefer -Password.</para>
        /// </summary>
        [Parameter]
        public string? PlainTextPassword { get; set; }

        /// <summary>
        /// <para type="description">The name Windows shows for the certificate (default: its common name).</para>
        /// <para type="default">The common name</para>
        /// </summary>
        [Parameter]
        public string? FriendlyName { get; set; }

        /// <summary>
        /// <para type="description">Write 3DES encryption and a SHA-1 MAC, for Windows Server 2016 and older.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter Legacy { get; set; }

        /// <summary>
        /// <para type="description">Replace the file if it exists.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        #endregion

        #region Overrides

        /// <summary>Checks that exactly one password was given.</summary>
        protected override void BeginProcessing()
        {
            if (Passwords.Conflict(Password, PlainTextPassword) is CertCmdletsException conflict)
            {
                ThrowCoreError(conflict);
            }

            if (Password is null && PlainTextPassword is null)
            {
                ThrowCoreError(new CertCmdletsException("PfxPasswordMissing", CertErrorKind.InvalidArgument, OutFile,
                    $"A password is needed to protect the PFX file '{OutFile}'. Give it with -Password (or -PlainTextPassword in unattended scripts)."));
            }
        }

        /// <summary>Writes the PFX for the object or files.</summary>
        protected override void ProcessRecord()
        {
            try
            {
                CertificateInfo certificate = ParameterSetName == FilesSet
                    ? CertificateFiles.Load(ResolveSingleInputPath(CertificatePath!), ResolveSingleInputPath(KeyPath!), KeyPassword, ChainPath is null ? null : ResolveSingleInputPath(ChainPath), Log)
                    : InputObject!;
                string path = ResolveOutputPath(OutFile);
                CertificateInfo? written = PfxWriter.WriteFile(certificate, path, Passwords.Choose(Password, PlainTextPassword)!, FriendlyName, Legacy, Force, ShouldProcessFile, Log);
                if (written is not null)
                {
                    WriteObject(written);
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
