using System;
using System.Runtime.InteropServices;
using Xunit;

namespace CertCmdlets.Core.Tests.Infrastructure
{
    /// <summary>
    /// A test of Unix permission checks. Root bypasses them (CI runs as root), so there the test is skipped with
    /// the reason rather than passing without having checked anything.
    /// </summary>
    public sealed class UnixNonRootFactAttribute : FactAttribute
    {
        public UnixNonRootFactAttribute()
        {
            if (OperatingSystem.IsWindows())
            {
                Skip = "Unix file modes only.";
            }
            else if (IsRoot)
            {
                Skip = "Running as root, which ignores file permissions; run as an ordinary user to check this.";
            }
        }

        public static bool IsRoot => !OperatingSystem.IsWindows() && (GetEffectiveUserId() == 0 || Environment.UserName == "root");

        [DllImport("libc", EntryPoint = "geteuid")]
        private static extern uint GetEffectiveUserId();
    }
}
