using System.Security;
using CertCmdlets.Core;

namespace CertCmdlets
{
    /// <summary>The one place a plain-text password (-PlainTextPassword, for unattended scripts) becomes a SecureString.</summary>
    internal static class Passwords
    {
        /// <summary>The error for -Password and -PlainTextPassword given together, or null.</summary>
        public static CertCmdletsException? Conflict(SecureString? password, string? plainTextPassword) =>
            password is not null && plainTextPassword is not null
                ? new CertCmdletsException("PasswordParameterConflict", CertErrorKind.InvalidArgument, "PlainTextPassword",
                    "Give the password once: -Password (a SecureString) or -PlainTextPassword, not both.")
                : null;

        public static SecureString? Choose(SecureString? password, string? plainTextPassword)
        {
            if (plainTextPassword is null)
            {
                return password;
            }

            var secure = new SecureString();
            foreach (char c in plainTextPassword)
            {
                secure.AppendChar(c);
            }

            secure.MakeReadOnly();
            return secure;
        }
    }
}
