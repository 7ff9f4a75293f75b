using Xunit;

namespace CertCmdlets.Core.Tests.Infrastructure
{
    /// <summary>
    /// A test that needs the openssl CLI. Without openssl it is skipped with the reason, except under CI=true,
    /// where it runs and fails: a missing peer must never pass silently in CI.
    /// </summary>
    public sealed class OpenSslFactAttribute : FactAttribute
    {
        public OpenSslFactAttribute()
        {
            if (!OpenSsl.IsAvailable && !OpenSsl.IsCi)
            {
                Skip = OpenSslSkip.Reason;
            }
        }
    }

    /// <summary>The same as <see cref="OpenSslFactAttribute"/>, for theories.</summary>
    public sealed class OpenSslTheoryAttribute : TheoryAttribute
    {
        public OpenSslTheoryAttribute()
        {
            if (!OpenSsl.IsAvailable && !OpenSsl.IsCi)
            {
                Skip = OpenSslSkip.Reason;
            }
        }
    }

    internal static class OpenSslSkip
    {
        public const string Reason = "openssl is not on PATH (install the Debian package 'openssl'; with CI=true this test runs and fails instead).";
    }
}
