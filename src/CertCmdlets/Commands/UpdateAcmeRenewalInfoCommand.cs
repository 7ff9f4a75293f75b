using System.Management.Automation;

namespace CertCmdlets.Commands
{
    /// <summary>
    /// <para type="synopsis">Asks the ACME CA when to renew certificates (ACME Renewal Information, RFC 9773) and sets their RenewAfter.</para>
    /// <para type="description">For each certificate piped in, asks the CA that issued it for its suggested renewal window
    /// and emits the certificate with RenewAfter at a point in that window (stable for a certificate, spread across
    /// certificates) and RenewRecommended accordingly: a CA that must revoke early (an incident) moves the window into the
    /// past, and scripts renew at once. A CA without renewal information leaves the module's rule (two thirds of the
    /// lifetime, or 30 days before expiry) with a warning. Reads only; nothing is written.</para>
    /// </summary>
    [Cmdlet(VerbsData.Update, "AcmeRenewalInfo")]
    [OutputType(typeof(CertificateInfo))]
    public sealed class UpdateAcmeRenewalInfoCommand : AcmeCommandBase
    {
        #region Parameters

        /// <summary>
        /// <para type="description">The certificates (from Import-CertFile or Request-AcmeCertificate).</para>
        /// </summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        public CertificateInfo? InputObject { get; set; }

        /// <summary>
        /// <para type="description">The CA that issued them: a known name (press Tab) or its directory URL.</para>
        /// </summary>
        [Parameter(Mandatory = true)]
        [ArgumentCompleter(typeof(AcmeDirectoryCompleter))]
        public string Directory { get; set; } = string.Empty;

        #endregion

        #region Overrides

        /// <summary>Refreshes each certificate's renewal date.</summary>
        protected override void ProcessRecord()
        {
            CertificateInfo certificate = InputObject!;
            Run(() => WriteObject(Session(Directory).UpdateRenewalInfo(certificate)));
        }

        #endregion
    }
}
