using System;
using Xunit;

namespace CertCmdlets.Core.Tests.Infrastructure
{
    /// <summary>A test of Unix file modes; skipped on Windows, which has none.</summary>
    public sealed class UnixFactAttribute : FactAttribute
    {
        public UnixFactAttribute()
        {
            if (OperatingSystem.IsWindows())
            {
                Skip = "Unix file modes only.";
            }
        }
    }
}
