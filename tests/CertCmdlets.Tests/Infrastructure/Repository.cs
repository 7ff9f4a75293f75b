using System;
using System.IO;

namespace CertCmdlets.Tests.Infrastructure
{
    /// <summary>Locations in the checkout the tests run from.</summary>
    internal static class Repository
    {
        private static readonly Lazy<string> s_root = new Lazy<string>(FindRoot);

        public static string Root => s_root.Value;

        public static string Manifest => Path.Combine(Root, "CertCmdlets.psd1");

        public static string Scenarios => Path.Combine(Root, "tests", "Scenarios");

        public static string Examples => Path.Combine(Root, "examples");

        private static string FindRoot()
        {
            for (DirectoryInfo? directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "CertCmdlets.psd1")) && File.Exists(Path.Combine(directory.FullName, "CertCmdlets.sln")))
                {
                    return directory.FullName;
                }
            }

            throw new InvalidOperationException("The checkout (CertCmdlets.psd1 beside CertCmdlets.sln) was not found above " + AppContext.BaseDirectory);
        }
    }
}
