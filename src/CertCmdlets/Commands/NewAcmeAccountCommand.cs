using System;
using System.Management.Automation;
using System.Security;
using CertCmdlets.Core.Acme;

namespace CertCmdlets.Commands
{
    /// <summary>
    /// <para type="synopsis">Opens an account at an ACME CA (Let's Encrypt, ZeroSSL, Google Trust Services...), or reuses the one saved for it.</para>
    /// <para type="description">One account per CA directory is kept per user: its key (ES256 by default) is saved with mode
    /// 0600 in the state folder and never shown. Running again reuses the saved account when the CA still knows it.
    /// Opening an account means agreeing to the CA's terms of service: give -AcceptTermsOfService once you have read them
    /// (without it, the error names them). CAs such as ZeroSSL and Google Trust Services require External Account Binding:
    /// give the key id and MAC key from your account page there. -WhatIf contacts nothing.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "AcmeAccount", SupportsShouldProcess = true)]
    [OutputType(typeof(AcmeAccountInfo))]
    public sealed class NewAcmeAccountCommand : AcmeCommandBase
    {
        #region Parameters

        /// <summary>
        /// <para type="description">The CA: LetsEncrypt, LetsEncryptStaging, ZeroSSL, GoogleTrustServices, GoogleTrustServicesStaging, BuypassGo... (press Tab), or the https URL of its ACME directory.</para>
        /// </summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ArgumentCompleter(typeof(AcmeDirectoryCompleter))]
        public string Directory { get; set; } = string.Empty;

        /// <summary>
        /// <para type="description">E-mail addresses the CA may write to (expiry and incident notices): admin@example.com.</para>
        /// </summary>
        [Parameter]
        public string[] Contact { get; set; } = Array.Empty<string>();

        /// <summary>
        /// <para type="description">You have read and agree to the CA's terms of service (the CA refuses accounts without it).</para>
        /// </summary>
        [Parameter]
        public SwitchParameter AcceptTermsOfService { get; set; }

        /// <summary>
        /// <para type="description">External Account Binding: the key id (EAB KID) from your account page at the CA.</para>
        /// </summary>
        [Parameter]
        public string? ExternalAccountKeyId { get; set; }

        /// <summary>
        /// <para type="description">External Account Binding: the MAC (HMAC) key from your account page at the CA, as a SecureString (Read-Host -AsSecureString).</para>
        /// </summary>
        [Parameter]
        public SecureString? ExternalAccountMacKey { get; set; }

        /// <summary>
        /// <para type="description">The account key's algorithm: ES256 (default), ES384 or RS256.</para>
        /// </summary>
        [Parameter]
        [ValidateSet("ES256", "ES384", "RS256")]
        public string? AccountKeyAlgorithm { get; set; }

        #endregion

        #region Overrides

        /// <summary>Opens or reuses the account.</summary>
        protected override void ProcessRecord()
        {
            Run(() =>
            {
                string url = DirectoryText(Directory);
                if (!ShouldProcess(url, "Open an ACME account (or reuse the saved one)"))
                {
                    return;
                }

                var options = new AcmeNewAccountOptions
                {
                    AcceptTermsOfService = AcceptTermsOfService,
                    ExternalAccountKeyId = ExternalAccountKeyId,
                    ExternalAccountMacKey = ExternalAccountMacKey,
                    KeyAlgorithm = AccountKeyAlgorithm,
                };
                AddAll(options, Contact);
                WriteObject(Session(Directory).NewAccount(options));
            });
        }

        #endregion

        #region Private helpers

        private static void AddAll(AcmeNewAccountOptions options, string[] contacts)
        {
            foreach (string contact in contacts)
            {
                options.Contact.Add(contact);
            }
        }

        #endregion
    }
}
