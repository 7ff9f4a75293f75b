using System;
using System.Management.Automation;
using System.Security;

namespace CertCmdlets.Commands
{
    /// <summary>
    /// <para type="synopsis">Sets (or changes) the password of a private key file, on the key alone.</para>
    /// <para type="description">Reads a key in any form Import-CertFile -KeyPath reads (PKCS#8 encrypted or plain,
    /// PKCS#1 RSA, SEC1 EC, OpenSSL's legacy encrypted PEM; PEM or DER) and writes it as encrypted PKCS#8 PEM
    /// (BEGIN ENCRYPTED PRIVATE KEY: AES-256-CBC, key derived with PBKDF2-HMAC-SHA256, 100,000 iterations), which
    /// OpenSSL 1.1 and 3 read. An encrypted key needs its current password (-CurrentPassword). The new file is written
    /// atomically with mode 0600 on Unix. The original is kept: give -OutputPath for the new file, or -Force to replace
    /// the key file in place. A wrong current password says so (KeyPasswordIncorrect) and writes nothing.</para>
    /// </summary>
    [Cmdlet(VerbsSecurity.Protect, "PrivateKey", DefaultParameterSetName = KeyFileCommandBase.PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(PrivateKeyFileInfo))]
    public sealed class ProtectPrivateKeyCommand : KeyFileCommandBase
    {
        #region Parameters

        /// <summary>
        /// <para type="description">The new password (Read-Host -AsSecureString). It may not be empty.</para>
        /// </summary>
        [Parameter(Mandatory = true, Position = 1)]
        public SecureString? Password { get; set; }

        /// <summary>
        /// <para type="description">The key's current password, when the file is already encrypted (to change its password).</para>
        /// </summary>
        [Parameter]
        [Alias("KeyPassword")]
        public SecureString? CurrentPassword { get; set; }

        #endregion

        #region Overrides

        /// <summary>Refuses an empty password once, before any file is read.</summary>
        protected override void BeginProcessing()
        {
            if (Password is null || Password.Length == 0)
            {
                ThrowCoreError(Core.Keys.KeyProtection.EmptyPassword(nameof(Password)));
            }

            base.BeginProcessing();
        }

        #endregion

        #region Helpers for the base class

        /// <inheritdoc/>
        internal override SecureString? CurrentKeyPassword => CurrentPassword;

        /// <inheritdoc/>
        internal override string CurrentPasswordParameter => nameof(CurrentPassword);

        /// <inheritdoc/>
        internal override SecureString? NewPassword => Password;

        #endregion
    }
}
