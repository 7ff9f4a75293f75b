using System;
using System.Management.Automation;
using CertCmdlets.Core.Acme;

namespace CertCmdlets.Commands
{
    /// <summary>
    /// <para type="synopsis">Changes an ACME account: its contacts, or its key (key rollover).</para>
    /// <para type="description">-Contact replaces the account's e-mail addresses at the CA. -RollOverKey makes a new account
    /// key, asks the CA to switch to it (RFC 8555 key change) and only then replaces the saved key, so a refused or
    /// interrupted rollover never loses the account. -WhatIf contacts nothing.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "AcmeAccount", DefaultParameterSetName = ContactSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(AcmeAccountInfo))]
    public sealed class SetAcmeAccountCommand : AcmeCommandBase
    {
        private const string ContactSet = "Contact";
        private const string KeySet = "RollOverKey";

        #region Parameters

        /// <summary>
        /// <para type="description">The CA of the account: a known name (press Tab) or its directory URL.</para>
        /// </summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ArgumentCompleter(typeof(AcmeDirectoryCompleter))]
        public string Directory { get; set; } = string.Empty;

        /// <summary>
        /// <para type="description">The new contact e-mail addresses (they replace the old ones; an empty list removes them).</para>
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = ContactSet)]
        [AllowEmptyCollection]
        public string[] Contact { get; set; } = Array.Empty<string>();

        /// <summary>
        /// <para type="description">Replace the account key with a new one (key rollover).</para>
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = KeySet)]
        public SwitchParameter RollOverKey { get; set; }

        /// <summary>
        /// <para type="description">The new key's algorithm: ES256, ES384 or RS256 (default: the current key's).</para>
        /// </summary>
        [Parameter(ParameterSetName = KeySet)]
        [ValidateSet("ES256", "ES384", "RS256")]
        public string? AccountKeyAlgorithm { get; set; }

        #endregion

        #region Overrides

        /// <summary>Changes the account.</summary>
        protected override void ProcessRecord()
        {
            Run(() =>
            {
                string url = DirectoryText(Directory);
                switch (ParameterSetName)
                {
                    case KeySet:
                        if (ShouldProcess(url, "Replace the ACME account key (key rollover)"))
                        {
                            WriteObject(Session(Directory).RollOverKey(AccountKeyAlgorithm));
                        }

                        break;
                    default:
                        if (ShouldProcess(url, $"Set the ACME account's contact to {(Contact.Length == 0 ? "nothing" : string.Join(", ", Contact))}"))
                        {
                            WriteObject(Session(Directory).SetContact(Contact));
                        }

                        break;
                }
            });
        }

        #endregion
    }
}
