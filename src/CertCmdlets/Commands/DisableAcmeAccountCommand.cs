using System.Management.Automation;

namespace CertCmdlets.Commands
{
    /// <summary>
    /// <para type="synopsis">Deactivates an ACME account at its CA, for good.</para>
    /// <para type="description">The CA refuses the account from then on (its certificates stay valid). Use it when the account
    /// key may be compromised or the account is no longer needed; New-AcmeAccount then opens a new one. It asks for
    /// confirmation (-Confirm:$false in scripts). -WhatIf contacts nothing.</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Disable, "AcmeAccount", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(AcmeAccountInfo))]
    public sealed class DisableAcmeAccountCommand : AcmeCommandBase
    {
        #region Parameters

        /// <summary>
        /// <para type="description">The CA of the account: a known name (press Tab) or its directory URL.</para>
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(AcmeDirectoryCompleter))]
        public string Directory { get; set; } = string.Empty;

        #endregion

        #region Overrides

        /// <summary>Deactivates the account.</summary>
        protected override void ProcessRecord()
        {
            Run(() =>
            {
                if (ShouldProcess(DirectoryText(Directory), "Deactivate the ACME account for good"))
                {
                    WriteObject(Session(Directory).Deactivate());
                }
            });
        }

        #endregion
    }
}
