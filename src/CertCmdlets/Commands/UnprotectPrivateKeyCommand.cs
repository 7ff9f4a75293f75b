using System;
using System.Management.Automation;
using System.Security;

namespace CertCmdlets.Commands
{
    /// <summary>
    /// <para type="synopsis">Removes the password of a private key file, on the key alone (what openssl pkey -in key.pem -out plain.key does).</para>
    /// <para type="description">Reads a key in any form Import-CertFile -KeyPath reads (PKCS#8 encrypted or plain,
    /// PKCS#1 RSA, SEC1 EC, OpenSSL's legacy encrypted PEM; PEM or DER) and writes it unencrypted as PKCS#8 PEM
    /// (BEGIN PRIVATE KEY), the form Apache and nginx read without asking for a pass phrase. The new file is written
    /// atomically with mode 0600 on Unix. The original is kept: give -OutputPath for the new file, or -Force to replace
    /// the key file in place. A wrong password says so (KeyPasswordIncorrect) and writes nothing.</para>
    /// <para type="description">A key without a password is a secret in the clear: keep the file readable only by the
    /// account of the server that needs it.</para>
    /// </summary>
    [Cmdlet(VerbsSecurity.Unprotect, "PrivateKey", DefaultParameterSetName = KeyFileCommandBase.PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(PrivateKeyFileInfo))]
    public sealed class UnprotectPrivateKeyCommand : KeyFileCommandBase
    {
        #region Parameters

        /// <summary>
        /// <para type="description">The key's current password (Read-Host -AsSecureString). Needed when the file is encrypted.</para>
        /// </summary>
        [Parameter(Position = 1)]
        [Alias("KeyPassword", "CurrentPassword")]
        public SecureString? Password { get; set; }

        #endregion

        #region Overrides

        /// <inheritdoc/>
        internal override SecureString? CurrentKeyPassword => Password;

        /// <inheritdoc/>
        internal override string CurrentPasswordParameter => nameof(Password);

        /// <inheritdoc/>
        internal override SecureString? NewPassword => null;

        #endregion
    }
}
