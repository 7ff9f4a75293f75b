using System;
using System.IO;
using System.Linq;
using System.Reflection;

namespace CertCmdlets.Tests.Infrastructure
{
    /// <summary>
    /// Pester, as the test project's restore downloaded it from NuGet (PackageDownload, version PesterVersion in
    /// Directory.Packages.props): the scenario sessions import it so the scenario scripts can use Should, exactly as
    /// they do under Invoke-Pester on pwsh (tests/Pester), where run-tests.sh imports this same copy.
    /// </summary>
    internal static class Pester
    {
        private static readonly Lazy<string> s_manifest = new Lazy<string>(Locate);

        /// <summary>The full path of Pester.psd1; throws, saying how to get it, when the restore did not download it.</summary>
        public static string Manifest => s_manifest.Value;

        private static string Locate()
        {
            string? path = typeof(Pester).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key == "PesterManifest")?.Value;
            if (string.IsNullOrEmpty(path) || !File.Exists(path))
            {
                throw new InvalidOperationException(
                    $"Pester's module was not found at '{path}'. It is downloaded from NuGet by the restore of tests/CertCmdlets.Tests (PackageDownload Pester); run 'dotnet restore tests/CertCmdlets.Tests'.");
            }

            return path;
        }
    }
}
