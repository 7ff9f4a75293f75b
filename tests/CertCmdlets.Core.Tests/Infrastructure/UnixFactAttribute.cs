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

    /// <summary>The same as <see cref="UnixFactAttribute"/>, for theories.</summary>
    public sealed class UnixTheoryAttribute : TheoryAttribute
    {
        public UnixTheoryAttribute()
        {
            if (OperatingSystem.IsWindows())
            {
                Skip = "Unix file modes only.";
            }
        }
    }
}
