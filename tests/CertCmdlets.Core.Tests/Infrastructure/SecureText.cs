using System.Security;

namespace CertCmdlets.Core.Tests.Infrastructure
{
    /// <summary>SecureStrings for tests; the cmdlets hand the core nothing else.</summary>
    public static class SecureText
    {
        public static SecureString Of(string text)
        {
            var secure = new SecureString();
            foreach (char c in text)
            {
                secure.AppendChar(c);
            }

            secure.MakeReadOnly();
            return secure;
        }
    }
}

namespace CertCmdlets.Core.Tests.Infrastructure
{
    /// <summary>
    /// The same as <see cref="SecureText"/> under its first name, which the PKCS#12 tests use as
    /// <c>Infrastructure.Secrets.Of</c>; unqualified, "Secrets" would mean the core's namespace.
    /// </summary>
    public static class Secrets
    {
        public static System.Security.SecureString Of(string text) => SecureText.Of(text);
    }
}
