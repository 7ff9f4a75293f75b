using System.Security;

namespace CertCmdlets
{
    /// <summary>The one place a plain-text password (-PlainTextPassword, for unattended scripts) becomes a SecureString.</summary>
    internal static class Passwords
    {
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
