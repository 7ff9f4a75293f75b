using System.Management.Automation;
using CertCmdlets.Core.Acme;

namespace CertCmdlets.Commands
{
    /// <summary>
    /// <para type="synopsis">Shows the ACME accounts saved for this user: which CA, the account URL, status, contacts.</para>
    /// <para type="description">Without -Directory it lists every saved account, reading only the state folder. With
    /// -Refresh it asks each CA for the account's current status and contacts (and saves what it says). The account keys
    /// are never shown; KeyThumbprint is their public fingerprint.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "AcmeAccount")]
    [OutputType(typeof(AcmeAccountInfo))]
    public sealed class GetAcmeAccountCommand : AcmeCommandBase
    {
        #region Parameters

        /// <summary>
        /// <para type="description">Only the account of this CA: a known name (press Tab) or its directory URL. Default: every saved account.</para>
        /// </summary>
        [Parameter(Position = 0)]
        [ArgumentCompleter(typeof(AcmeDirectoryCompleter))]
        public string? Directory { get; set; }

        /// <summary>
        /// <para type="description">Ask the CA for the account's current status and contacts.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter Refresh { get; set; }

        #endregion

        #region Overrides

        /// <summary>Lists or reads the accounts.</summary>
        protected override void ProcessRecord()
        {
            if (Directory is not null)
            {
                Run(() => WriteObject(Session(Directory).GetAccount(Refresh)));
                return;
            }

            string? state = StateDirectory is null ? null : ResolveOutputPath(StateDirectory);
            foreach (AcmeAccountInfo account in AcmeSession.ListAccounts(state, Log))
            {
                if (!Refresh)
                {
                    WriteObject(account);
                    continue;
                }

                Run(() => WriteObject(Session(account.Directory).GetAccount(refresh: true)));
            }
        }

        #endregion
    }
}
