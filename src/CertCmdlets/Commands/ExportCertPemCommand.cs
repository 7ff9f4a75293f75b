using System.Management.Automation;
using System.Security;
using CertCmdlets.Core;
using CertCmdlets.Core.Export;

namespace CertCmdlets.Commands
{
    /// <summary>
    /// <para type="synopsis">Writes a certificate, its key and its chain as PEM files, ready for a web server.</para>
    /// <para type="description">Writes the parts of each certificate object to the paths given, or to cert.pem, key.pem,
    /// chain.pem and fullchain.pem in -OutputDirectory. The key is written unencrypted (what Apache needs), or encrypted
    /// with -KeyPassword; on Unix key files get mode 0600. Files are written atomically and never over an existing file
    /// unless -Force. Emits the object again carrying its new paths, so the pipeline goes on.</para>
    /// </summary>
    [Cmdlet(VerbsData.Export, "CertPem", DefaultParameterSetName = DirectorySet, SupportsShouldProcess = true)]
    [OutputType(typeof(CertificateInfo))]
    public sealed class ExportCertPemCommand : CertCmdletBase
    {
        private const string DirectorySet = "Directory";
        private const string PathsSet = "Paths";

        #region Parameters

        /// <summary>
        /// <para type="description">The certificate object to write (from Import-CertFile, New-CertRequest -SelfSign...).</para>
        /// </summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [CertificateTransformation]
        public CertificateInfo? InputObject { get; set; }

        /// <summary>
        /// <para type="description">Directory for cert.pem, key.pem (when the object has a key), chain.pem (when it has a chain) and fullchain.pem.</para>
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = DirectorySet)]
        public string? OutputDirectory { get; set; }

        /// <summary>
        /// <para type="description">File for the certificate alone.</para>
        /// </summary>
        [Parameter(ParameterSetName = PathsSet)]
        public string? CertificatePath { get; set; }

        /// <summary>
        /// <para type="description">File for the private key.</para>
        /// </summary>
        [Parameter(ParameterSetName = PathsSet)]
        public string? KeyPath { get; set; }

        /// <summary>
        /// <para type="description">File for the intermediate certificates.</para>
        /// </summary>
        [Parameter(ParameterSetName = PathsSet)]
        public string? ChainPath { get; set; }

        /// <summary>
        /// <para type="description">File for the certificate followed by its intermediates (Apache 2.4.8+ SSLCertificateFile).</para>
        /// </summary>
        [Parameter(ParameterSetName = PathsSet)]
        public string? FullChainPath { get; set; }

        /// <summary>
        /// <para type="description">Encrypt the key file with this password (PKCS#8, AES-256). By default the key is written unencrypted.</para>
        /// </summary>
        [Parameter]
        public SecureString? KeyPassword { get; set; }

        /// <summary>
        /// <para type="description">Replace files that already exist.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        #endregion

        #region Overrides

        /// <summary>Writes each certificate object.</summary>
        protected override void ProcessRecord()
        {
            if (InputObject is null)
            {
                return;
            }

            try
            {
                PemExportTargets targets = ParameterSetName == PathsSet ? ExplicitTargets() : PemExportTargets.InDirectory(ResolveOutputPath(OutputDirectory!), InputObject);
                CertificateInfo? written = PemOutput.WriteCertificate(InputObject, targets, KeyPassword, Force, ShouldProcessFile, Log);
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

        #region Private helpers

        private PemExportTargets ExplicitTargets() => new PemExportTargets
        {
            CertificatePath = Resolve(CertificatePath),
            KeyPath = Resolve(KeyPath),
            ChainPath = Resolve(ChainPath),
            FullChainPath = Resolve(FullChainPath),
        };

        private string? Resolve(string? path) => path is null ? null : ResolveOutputPath(path);

        #endregion
    }
}
