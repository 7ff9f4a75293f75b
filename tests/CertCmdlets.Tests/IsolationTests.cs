using System;
using System.IO;
using System.Linq;
using CertCmdlets.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Tests
{
    /// <summary>
    /// BouncyCastle stays out of module import and out of other modules' way. Each test runs in its own
    /// process (a real pwsh, as users run the module), because what a process has loaded cannot be undone.
    /// </summary>
    public sealed class IsolationTests
    {
        private const string ListBouncyCastle = @"
            [AppDomain]::CurrentDomain.GetAssemblies() |
                Where-Object { $_.GetName().Name -eq 'BouncyCastle.Cryptography' } |
                ForEach-Object { 'BC|{0}|{1}|{2}' -f [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_).Name, $_.Location, [System.Diagnostics.FileVersionInfo]::GetVersionInfo($_.Location).FileVersion }";

        [PwshFact]
        public void ImportDoesNotLoadBouncyCastleAndFirstUseLoadsItPrivately()
        {
            using var directory = new TempDirectory();
            string script = Path.Combine(directory.Path, "probe.ps1");
            File.WriteAllText(script, $@"
                Import-Module -Name '{Repository.Manifest.Replace("'", "''", StringComparison.Ordinal)}' -ErrorAction Stop
                'IMPORTED'
                {ListBouncyCastle}
                $null = New-CertRequest -CommonName www.example.com -KeyAlgorithm ECDSA
                'USED'
                {ListBouncyCastle}
                'CORE|' + [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext([CertCmdlets.Commands.NewCertRequestCommand].Assembly).Name");

            (int exitCode, string output, string error) = Pwsh.RunFile(directory.Path, script);

            Assert.True(exitCode == 0, $"pwsh exited {exitCode}: {error}{output}");
            string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            int imported = Array.IndexOf(lines, "IMPORTED");
            int used = Array.IndexOf(lines, "USED");
            Assert.True(imported >= 0 && used > imported, output);
            Assert.DoesNotContain(lines.Skip(imported).Take(used - imported), l => l.StartsWith("BC|", StringComparison.Ordinal));

            string[] loaded = lines.Skip(used).Where(l => l.StartsWith("BC|", StringComparison.Ordinal)).ToArray();
            string single = Assert.Single(loaded);
            string[] parts = single.Split('|');
            Assert.Equal("CertCmdlets", parts[1]);
            Assert.Equal(Path.Combine(Repository.Root, "module", "Dependencies", "BouncyCastle.Cryptography.dll"), parts[2]);
        }

        [PwshFact]
        public void AnotherBouncyCastleLoadedFirstBreaksNeitherModule()
        {
            string other = OtherBouncyCastle();
            using var directory = new TempDirectory();
            string script = Path.Combine(directory.Path, "probe.ps1");
            File.WriteAllText(script, $@"
                param([string] $OtherPath)
                Import-Module -Name '{Repository.Manifest.Replace("'", "''", StringComparison.Ordinal)}' -ErrorAction Stop
                # What Posh-ACME or Az.KeyVault would do: load their BouncyCastle into the default context first.
                $other = [System.Reflection.Assembly]::LoadFrom($OtherPath)
                $digest = [Activator]::CreateInstance($other.GetType('Org.BouncyCastle.Crypto.Digests.Sha256Digest'))
                'OTHER-BEFORE|' + $digest.AlgorithmName

                $cert = New-CertRequest -CommonName www.example.com -SelfSign -KeyAlgorithm ECDSA
                'OURS|' + $cert.KeyAlgorithm + '|' + $cert.HasPrivateKey
                $request = New-CertRequest -CommonName www.example.com -KeySize 2048
                'OURS-RSA|' + $request.KeyAlgorithm

                $digest2 = [Activator]::CreateInstance($other.GetType('Org.BouncyCastle.Crypto.Digests.Sha256Digest'))
                'OTHER-AFTER|' + $digest2.AlgorithmName
                {ListBouncyCastle}");

            (int exitCode, string output, string error) = Pwsh.RunFile(directory.Path, script, "-OtherPath", other);

            Assert.True(exitCode == 0, $"pwsh exited {exitCode}: {error}{output}");
            string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.Contains("OTHER-BEFORE|SHA-256", lines);
            Assert.Contains("OURS|ECDSA P-256|True", lines);
            Assert.Contains("OURS-RSA|RSA 2048", lines);
            Assert.Contains("OTHER-AFTER|SHA-256", lines);

            string[] loaded = lines.Where(l => l.StartsWith("BC|", StringComparison.Ordinal)).ToArray();
            Assert.Equal(2, loaded.Length);
            Assert.Contains(loaded, l => l.StartsWith("BC|Default|" + other + "|2.4.0", StringComparison.Ordinal));
            Assert.Contains(loaded, l => l.StartsWith("BC|CertCmdlets|" + Path.Combine(Repository.Root, "module", "Dependencies"), StringComparison.Ordinal) && l.Contains("|2.7.0", StringComparison.Ordinal));
        }

        /// <summary>BouncyCastle.Cryptography 2.4.0 from the NuGet cache (a PackageDownload of the test project); same assembly identity (2.0.0.0) as ours.</summary>
        private static string OtherBouncyCastle()
        {
            string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            string path = Path.Combine(packages, "bouncycastle.cryptography", "2.4.0", "lib", "net6.0", "BouncyCastle.Cryptography.dll");
            Assert.True(File.Exists(path), "BouncyCastle.Cryptography 2.4.0 should have been downloaded by the test project's restore: " + path);
            return path;
        }
    }
}
