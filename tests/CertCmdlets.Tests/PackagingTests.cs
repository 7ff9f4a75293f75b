using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using CertCmdlets.Tests.Infrastructure;
using Xunit;
using YamlDotNet.RepresentationModel;

namespace CertCmdlets.Tests
{
    /// <summary>
    /// The publishable folder made by build.ps1 (run here in the hosted engine with -NoBuild, after the test build:
    /// the script uses only the engine's core cmdlets and .NET, so it also runs without pwsh),
    /// installed as a user installs it: a new pwsh process (-NoProfile, nothing imported) with the folder's parent on
    /// PSModulePath imports it by name, autoloads it when a cmdlet is called, runs a script with #Requires -Modules,
    /// passes Test-ModuleManifest and finds its help. Publish-PSResource and Install-PSResource, which need pwsh, are
    /// in tests/Pester/Packaging.Tests.ps1.
    /// </summary>
    public sealed class PackagingTests : IClassFixture<PackagingTests.PackageFixture>
    {
        private readonly PackageFixture _package;

        public PackagingTests(PackageFixture package)
        {
            _package = package;
        }

        [Fact]
        public void TheFolderIsCertCmdletsSlashTheVersionOfDirectoryBuildProps()
        {
            Assert.Equal(Path.Combine(_package.Output, "CertCmdlets", PackageFixture.Version), _package.Folder);
            Assert.True(File.Exists(Path.Combine(_package.Folder, "CertCmdlets.psd1")));
        }

        [Theory]
        [InlineData("CertCmdlets.psd1")]
        [InlineData("LICENSE")]
        [InlineData("module/CertCmdlets.dll")]
        [InlineData("module/CertCmdlets.Model.dll")]
        [InlineData("module/CertCmdlets.format.ps1xml")]
        [InlineData("module/CertCmdlets.types.ps1xml")]
        [InlineData("module/Dependencies/CertCmdlets.Core.dll")]
        [InlineData("module/Dependencies/BouncyCastle.Cryptography.dll")]
        [InlineData("en-US/CertCmdlets.dll-Help.xml")]
        [InlineData("en-US/about_CertCmdlets.help.txt")]
        [InlineData("en-US/about_CertCmdlets_Renewal.help.txt")]
        public void TheFolderHolds(string relativePath)
        {
            Assert.True(File.Exists(Path.Combine(_package.Folder, relativePath)), $"{relativePath} is missing from {_package.Folder}.");
        }

        [Fact]
        public void TheLicenseIsMit()
        {
            string license = File.ReadAllText(Path.Combine(Repository.Root, "LICENSE"));
            Assert.StartsWith("MIT License", license, StringComparison.Ordinal);
            Assert.Contains("Copyright (c) CertCmdlets contributors", license, StringComparison.Ordinal);
        }

        [Fact]
        public void TheInstalledModuleImportsByNameAutoloadsAndSatisfiesRequires()
        {
            string requires = Path.Combine(_package.Work, "requires.ps1");
            File.WriteAllText(requires, $"#Requires -Modules @{{ ModuleName = 'CertCmdlets'; ModuleVersion = '{PackageFixture.Version}' }}\n(New-CertRequest requires.example.test -KeyAlgorithm ECDSA -SelfSign).CommonName\n");
            string output = RunInstalled(
                "if (Get-Module CertCmdlets) { throw 'imported before the first call' }\n" +
                "$request = New-CertRequest autoload.example.test -KeyAlgorithm ECDSA\n" +
                "'autoload|' + $request.CommonName + '|' + (Get-Module CertCmdlets).ModuleBase\n" +
                "Remove-Module CertCmdlets\n" +
                "Import-Module CertCmdlets\n" +
                "'byname|' + (Get-Module CertCmdlets).Version + '|' + (Get-Module CertCmdlets).ModuleBase\n" +
                "'requires|' + (& $args[1])\n" +
                "$manifest = Test-ModuleManifest -Path ([System.IO.Path]::Combine((Get-Module CertCmdlets).ModuleBase, 'CertCmdlets.psd1'))\n" +
                "'manifest|' + $manifest.Version + '|' + ($manifest.CompatiblePSEditions -join ',') + '|' + $manifest.ProjectUri + '|' + $manifest.LicenseUri + '|' + [bool]$manifest.ReleaseNotes\n" +
                "'help|' + @((Get-Help New-CertRequest -Examples).examples.example).Count + '|' + [bool]([string](Get-Help about_CertCmdlets) -match 'TOPIC\\s+about_CertCmdlets')\n",
                requires);
            string[] lines = output.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
            Assert.Contains($"autoload|autoload.example.test|{_package.Folder}", lines);
            Assert.Contains($"byname|{PackageFixture.Version}|{_package.Folder}", lines);
            Assert.Contains("requires|requires.example.test", lines);
            string manifest = Assert.Single(lines, l => l.StartsWith("manifest|", StringComparison.Ordinal));
            string[] fields = manifest.Split('|');
            Assert.Equal(PackageFixture.Version, fields[1]);
            Assert.Equal("Desktop,Core", fields[2]);
            Assert.StartsWith("https://", fields[3], StringComparison.Ordinal);
            Assert.StartsWith("https://", fields[4], StringComparison.Ordinal);
            Assert.Equal("True", fields[5]);
            string help = Assert.Single(lines, l => l.StartsWith("help|", StringComparison.Ordinal));
            Assert.True(int.Parse(help.Split('|')[1], System.Globalization.CultureInfo.InvariantCulture) >= 2, help);
            Assert.EndsWith("|True", help, StringComparison.Ordinal);
        }

        /// <summary>Runs a script in a new pwsh process (no profile, no module imported) with the package's parent first on PSModulePath.</summary>
        private string RunInstalled(string script, params string[] arguments)
        {
            string file = Path.Combine(_package.Work, "check-" + Guid.NewGuid().ToString("N") + ".ps1");
            File.WriteAllText(file, "$ErrorActionPreference = 'Stop'\n$env:PSModulePath = $args[0] + [System.IO.Path]::PathSeparator + $env:PSModulePath\n" + script);
            var start = new ProcessStartInfo(FindPwsh())
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
                WorkingDirectory = _package.Work,
            };
            foreach (string argument in new[] { "-NoProfile", "-NonInteractive", "-File", file, _package.Output }.Concat(arguments))
            {
                start.ArgumentList.Add(argument);
            }

            using Process process = Process.Start(start)!;
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(120_000))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"pwsh -File {file} did not finish in 120 s.");
            }

            Assert.True(process.ExitCode == 0, $"pwsh exited {process.ExitCode}:{Environment.NewLine}{output.Result}{error.Result}");
            return output.Result;
        }

        /// <summary>
        /// pwsh as run-tests.sh finds it: $CERTCMDLETS_PWSH, else pwsh on PATH, else the dotnet tool in .tools/pwsh.
        /// A missing pwsh fails the test (the user's shell is what is tested; run ./run-tests.sh to install it).
        /// </summary>
        private static string FindPwsh()
        {
            string? configured = Environment.GetEnvironmentVariable("CERTCMDLETS_PWSH");
            if (!string.IsNullOrEmpty(configured))
            {
                return configured;
            }

            string name = OperatingSystem.IsWindows() ? "pwsh.exe" : "pwsh";
            string? onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Select(folder => Path.Combine(folder, name))
                .FirstOrDefault(File.Exists);
            string tool = Path.Combine(Repository.Root, ".tools", "pwsh", name);
            return onPath ?? (File.Exists(tool) ? tool : throw new InvalidOperationException($"pwsh was not found (CERTCMDLETS_PWSH, PATH, {tool}): run ./run-tests.sh, which installs PowerShell 7.6 as a dotnet tool."));
        }

        /// <summary>Runs build.ps1 -NoBuild once for the class, into a temporary folder.</summary>
        public sealed class PackageFixture : IDisposable
        {
            public PackageFixture()
            {
                Work = Path.Combine(Path.GetTempPath(), "certcmdlets-tests", "package-" + Guid.NewGuid().ToString("N"));
                Directory.CreateDirectory(Work);
                Output = Path.Combine(Work, "out");
                using var session = new PowerShellSession(Work, importModule: false);
                PowerShellResult result = session.Run("(& $args[0] -NoBuild -OutputPath $args[1]).FullName", Path.Combine(Repository.Root, "build.ps1"), Output);
                result.AssertSuccess();
                Folder = (string)result.Output.Last().BaseObject;
            }

            public static string Version => XDocument.Load(Path.Combine(Repository.Root, "Directory.Build.props")).Descendants("Version").Single().Value.Trim();

            public string Work { get; }

            public string Output { get; }

            public string Folder { get; }

            public void Dispose()
            {
                try
                {
                    Directory.Delete(Work, recursive: true);
                }
                catch (IOException)
                {
                }
            }
        }
    }

    /// <summary>
    /// .github/workflows/ci.yml cannot run here: its structure is checked instead (it parses as YAML, has the three
    /// jobs on the three systems, runs the README's test command on Linux and the Pester suite on pwsh and Windows
    /// PowerShell 5.1 and macOS). What GitHub's runners do with it is not verified by this test.
    /// </summary>
    public sealed class PackagingWorkflowTests
    {
        private static readonly Lazy<YamlMappingNode> s_workflow = new Lazy<YamlMappingNode>(() =>
        {
            var stream = new YamlStream();
            using var reader = new StreamReader(Path.Combine(Repository.Root, ".github", "workflows", "ci.yml"));
            stream.Load(reader);
            return (YamlMappingNode)Assert.Single(stream.Documents).RootNode;
        });

        [Fact]
        public void TheWorkflowRunsOnPushAndPullRequest()
        {
            YamlMappingNode on = Mapping(s_workflow.Value, "on");
            Assert.True(on.Children.ContainsKey(new YamlScalarNode("push")));
            Assert.True(on.Children.ContainsKey(new YamlScalarNode("pull_request")));
        }

        [Fact]
        public void LinuxRunsTheReadmeTestCommand()
        {
            string readme = File.ReadAllText(Path.Combine(Repository.Root, "README.md"));
            Assert.Contains("./run-tests.sh", readme, StringComparison.Ordinal);
            YamlMappingNode job = Job("linux");
            Assert.Equal("ubuntu-latest", Scalar(job, "runs-on"));
            List<string> runs = Runs(job);
            Assert.Contains(runs, r => r.Contains("CI=true ./run-tests.sh", StringComparison.Ordinal));
            Assert.Contains(runs, r => r.Contains("apt-get install", StringComparison.Ordinal) && r.Contains("apache2", StringComparison.Ordinal) && r.Contains("openssl", StringComparison.Ordinal));
        }

        [Fact]
        public void WindowsRunsThePesterSuiteOnPowerShell7AndWindowsPowerShell51()
        {
            YamlMappingNode job = Job("windows");
            Assert.Equal("windows-latest", Scalar(job, "runs-on"));
            YamlSequenceNode shells = (YamlSequenceNode)Mapping(Mapping(job, "strategy"), "matrix").Children[new YamlScalarNode("shell")];
            Assert.Equal(new[] { "pwsh", "powershell" }, shells.Children.Select(n => ((YamlScalarNode)n).Value));
            Assert.Contains(Runs(job), r => r.Contains("Invoke-Pester", StringComparison.Ordinal) && r.Contains("tests/Pester", StringComparison.Ordinal));
            Assert.Contains(Runs(job), r => r.Contains("./build.ps1", StringComparison.Ordinal));
        }

        [Fact]
        public void MacOsRunsThePesterSuite()
        {
            YamlMappingNode job = Job("macos");
            Assert.Equal("macos-latest", Scalar(job, "runs-on"));
            Assert.Contains(Runs(job), r => r.Contains("Invoke-Pester", StringComparison.Ordinal) && r.Contains("tests/Pester", StringComparison.Ordinal));
        }

        [Fact]
        public void EveryJobBuildsWithTheDotnetSdkOfTheProjects()
        {
            foreach (string name in new[] { "linux", "windows", "macos" })
            {
                YamlSequenceNode steps = (YamlSequenceNode)Job(name).Children[new YamlScalarNode("steps")];
                YamlMappingNode setup = steps.Children.OfType<YamlMappingNode>().Single(s => Scalar(s, "uses")?.StartsWith("actions/setup-dotnet@", StringComparison.Ordinal) == true);
                Assert.Equal("10.0.x", Scalar(Mapping(setup, "with"), "dotnet-version"));
                Assert.Contains(steps.Children.OfType<YamlMappingNode>(), s => Scalar(s, "uses")?.StartsWith("actions/checkout@", StringComparison.Ordinal) == true);
            }
        }

        private static YamlMappingNode Job(string name) => Mapping(Mapping(s_workflow.Value, "jobs"), name);

        private static YamlMappingNode Mapping(YamlMappingNode node, string key) =>
            node.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? child) && child is YamlMappingNode mapping
                ? mapping
                : throw new Xunit.Sdk.XunitException($"ci.yml: '{key}' is missing or not a mapping.");

        private static string? Scalar(YamlMappingNode node, string key) =>
            node.Children.TryGetValue(new YamlScalarNode(key), out YamlNode? child) ? (child as YamlScalarNode)?.Value : null;

        private static List<string> Runs(YamlMappingNode job) =>
            ((YamlSequenceNode)job.Children[new YamlScalarNode("steps")]).Children.OfType<YamlMappingNode>()
                .Select(step => Scalar(step, "run"))
                .Where(run => run is not null)
                .Select(run => run!)
                .ToList();
    }
}
