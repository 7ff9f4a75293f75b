using System.Management.Automation;

namespace CertCmdlets.Commands
{
    /// <summary>
    /// <para type="synopsis">Revokes a certificate at the ACME CA that issued it.</para>
    /// <para type="description">Signed by the saved account that ordered the certificate, or with -UseCertificateKey by the
    /// certificate's own key (the object must carry it: Import-CertFile -KeyPath), which works from any account, e.g.
    /// after a key compromise. Browsers may keep trusting a revoked certificate for a while; replace it first. Asks for
    /// confirmation (-Confirm:$false in scripts). -WhatIf contacts nothing.</para>
    /// </summary>
    [Cmdlet(VerbsSecurity.Revoke, "AcmeCertificate", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(CertificateInfo))]
    public sealed class RevokeAcmeCertificateCommand : AcmeCommandBase
    {
        #region Parameters

        /// <summary>
        /// <para type="description">The certificate to revoke (from Import-CertFile or Request-AcmeCertificate).</para>
        /// </summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        public CertificateInfo? InputObject { get; set; }

        /// <summary>
        /// <para type="description">The CA that issued it: a known name (press Tab) or its directory URL.</para>
        /// </summary>
        [Parameter(Mandatory = true)]
        [ArgumentCompleter(typeof(AcmeDirectoryCompleter))]
        public string Directory { get; set; } = string.Empty;

        /// <summary>
        /// <para type="description">Why: Unspecified, KeyCompromise, Superseded, CessationOfOperation or AffiliationChanged (default: none given).</para>
        /// </summary>
        [Parameter]
        [ValidateSet("Unspecified", "KeyCompromise", "Superseded", "CessationOfOperation", "AffiliationChanged")]
        public string? Reason { get; set; }

        /// <summary>
        /// <para type="description">Sign the revocation with the certificate's own key instead of the account.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter UseCertificateKey { get; set; }

        /// <summary>
        /// <para type="description">Emit the certificate once revoked.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        #endregion

        #region Overrides

        /// <summary>Revokes each certificate.</summary>
        protected override void ProcessRecord()
        {
            CertificateInfo certificate = InputObject!;
            Run(() =>
            {
                if (!ShouldProcess($"{certificate.Subject} (serial {certificate.SerialNumber})", $"Revoke the certificate at {DirectoryText(Directory)}"))
                {
                    return;
                }

                Session(Directory).Revoke(certificate, Reason, UseCertificateKey);
                if (PassThru)
                {
                    WriteObject(certificate);
                }
            });
        }

        #endregion
    }
}
