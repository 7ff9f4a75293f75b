using System.Security;
using CertCmdlets.Core;

namespace CertCmdlets
{
    /// <summary>The one place a plain-text password (-PlainTextPassword, for unattended scripts) becomes a SecureString.</summary>
    internal static class Passwords
    {
        /// <summary>The most characters a SecureString holds, so the most a password can have.</summary>
        public const int MaximumLength = 65536;

        /// <summary>
        /// The error for passwords that cannot be used, or null: -Password and -PlainTextPassword given together, or a
        /// -PlainTextPassword longer than a SecureString holds. Cmdlets check it in BeginProcessing.
        /// </summary>
        public static CertCmdletsException? Conflict(SecureString? password, string? plainTextPassword)
        {
            if (password is not null && plainTextPassword is not null)
            {
                return new CertCmdletsException("PasswordParameterConflict", CertErrorKind.InvalidArgument, "PlainTextPassword",
                    "Give the password once: -Password (a SecureString) or -PlainTextPassword, not both.");
            }

            return plainTextPassword is not null && plainTextPassword.Length > MaximumLength ? TooLong(plainTextPassword.Length) : null;
        }

        public static SecureString? Choose(SecureString? password, string? plainTextPassword)
        {
            if (plainTextPassword is null)
            {
                return password;
            }

            if (plainTextPassword.Length > MaximumLength)
            {
                throw TooLong(plainTextPassword.Length);
            }

            var secure = new SecureString();
            foreach (char c in plainTextPassword)
            {
                secure.AppendChar(c);
            }

            secure.MakeReadOnly();
            return secure;
        }

        // The target is the parameter name and the message gives only the length: never the password itself.
        private static CertCmdletsException TooLong(int length) =>
            new CertCmdletsException("PasswordTooLong", CertErrorKind.InvalidArgument, "PlainTextPassword",
                $"The -PlainTextPassword given has {length:N0} characters; a password can have at most {MaximumLength:N0}. Give the real password (a password file's content is often read whole by mistake).");
    }
}
