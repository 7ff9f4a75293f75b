using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation.Language;
using System.Reflection;
using CertCmdlets.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Tests
{
    /// <summary>
    /// Runs the shared user-level scenarios (tests/Scenarios/*.ps1, also run by tests/Pester/Scenarios.Tests.ps1) on
    /// the real engine: one fresh session and one fresh directory per invocation. Each scenario checks itself and
    /// throws on the first failure; here it must run to the end without an error.
    /// </summary>
    public sealed class ScenarioTests
    {
        /// <summary>
        /// Every invocation: the scenario file and its extra parameters ("Name=Value;..."). Keep in step with
        /// tests/Pester/Scenarios.Tests.ps1; <see cref="EveryScenarioFileIsInvoked"/> catches a file no class runs.
        /// </summary>
        private static readonly (string Scenario, string Arguments)[] s_invocations =
        {
            ("NewCertRequest.KeyAndRequestToDirectory.ps1", ""),
            ("NewCertRequest.KeyAndRequestToDirectory.ps1", "KeyAlgorithm=ECDSA"),
            ("NewCertRequest.SelfSignedToPem.ps1", ""),
            ("NewCertRequest.RenewWithExistingKey.ps1", ""),
            ("ImportCertFile.OpenSslFormats.ps1", ""),
            ("ImportCertFile.WithPrivateKey.ps1", ""),
            ("ImportCertFile.PathForms.ps1", ""),
            ("ImportCertFile.BadFileAmongGood.ps1", ""),
            ("Error.CountryCodeInvalid.ps1", "Country=UK;Suggestion=GB"),
            ("Error.CountryCodeInvalid.ps1", "Country=USA;Suggestion=US"),
            ("Error.CountryCodeInvalid.ps1", "Country=Germany;Suggestion=DE"),
            ("Error.KeySizeTooWeak.ps1", "KeySize=1024"),
            ("Error.HashAlgorithmTooWeak.ps1", "HashAlgorithm=MD5"),
            ("Error.HashAlgorithmTooWeak.ps1", "HashAlgorithm=SHA1"),
            ("Error.CertificateFileInvalid.ps1", ""),
            ("Error.KeyPasswordIncorrect.ps1", ""),
            ("Error.CertificateKeyMismatch.ps1", ""),
            ("Error.OutputFileExists.ps1", ""),
            ("WhatIf.WritesNothing.ps1", ""),
        };

        public static TheoryData<string, string> ModuleOnlyScenarios => Invocations(needsOpenSsl: false);

        public static TheoryData<string, string> OpenSslScenarios => Invocations(needsOpenSsl: true);

        [Theory]
        [MemberData(nameof(ModuleOnlyScenarios))]
        public void RunsScenario(string scenario, string arguments) => ScenarioScripts.Run(scenario, arguments);

        /// <summary>Skipped (statically, with the reason) where openssl is missing, except under CI=true, where the scenario then fails.</summary>
        [OpenSslTheory]
        [MemberData(nameof(OpenSslScenarios))]
        public void RunsScenarioWithOpenSsl(string scenario, string arguments) => ScenarioScripts.Run(scenario, arguments);

        /// <summary>
        /// Every file in tests/Scenarios is run by some theory of this assembly (this class or another scenario class,
        /// such as <see cref="PfxScenarioTests"/>): a theory whose member data starts with a scenario file name.
        /// </summary>
        [Fact]
        public void EveryScenarioFileIsInvoked()
        {
            var invoked = new HashSet<string>(StringComparer.Ordinal);
            foreach (MethodInfo method in typeof(ScenarioTests).Assembly.GetTypes().SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance)))
            {
                foreach (MemberDataAttribute data in method.GetCustomAttributes<MemberDataAttribute>())
                {
                    foreach (object[] row in data.GetData(method) ?? Enumerable.Empty<object[]>())
                    {
                        if (row.Length > 0 && row[0] is string file && file.EndsWith(".ps1", StringComparison.OrdinalIgnoreCase))
                        {
                            invoked.Add(file);
                        }
                    }
                }
            }

            string[] notRun = ScenarioScripts.All().Where(file => !invoked.Contains(file)).ToArray();
            Assert.True(notRun.Length == 0, "No theory runs these scenario files: " + string.Join(", ", notRun));
            string[] missing = s_invocations.Select(i => i.Scenario).Where(file => !ScenarioScripts.All().Contains(file)).Distinct().ToArray();
            Assert.True(missing.Length == 0, "These invocations name no file in tests/Scenarios: " + string.Join(", ", missing));
        }

        [Fact]
        public void EveryScenarioDeclaresAMandatoryWorkDirectoryAndTheArgumentsItIsGiven()
        {
            foreach (string scenario in ScenarioScripts.All())
            {
                IReadOnlyList<ParameterAst> parameters = ScenarioScripts.Parameters(scenario);
                ParameterAst? workDirectory = parameters.FirstOrDefault(p => p.Name.VariablePath.UserPath == "WorkDirectory");
                Assert.True(workDirectory is not null, $"{scenario} has no $WorkDirectory parameter.");
                Assert.True(
                    workDirectory!.Attributes.OfType<AttributeAst>().Any(a => a.TypeName.Name == "Parameter" && a.NamedArguments.Any(n => n.ArgumentName == "Mandatory")),
                    $"{scenario}: $WorkDirectory must be [Parameter(Mandatory)].");
            }

            foreach ((string scenario, string arguments) in s_invocations)
            {
                IReadOnlyList<string> declared = ScenarioScripts.ParameterNames(scenario);
                foreach (string name in ScenarioScripts.ParseArguments(arguments).Keys.Cast<string>())
                {
                    Assert.True(declared.Contains(name, StringComparer.OrdinalIgnoreCase), $"{scenario} is invoked with -{name}, which it does not declare.");
                }
            }
        }

        [Fact]
        public void TheSkippedMarkerIsNeverAccepted()
        {
            using var session = new PowerShellSession(importModule: false);
            PowerShellResult result = session.Run(". $args[0]; New-ScenarioSkipped -Reason 'openssl is not installed'", System.IO.Path.Combine(Repository.Scenarios, ScenarioScripts.AssertHelper));
            result.AssertSuccess();
            var failure = Assert.Throws<Xunit.Sdk.XunitException>(() => ScenarioScripts.AssertRanToTheEnd("Example.ps1", result));
            Assert.Contains("skipped marker", failure.Message, StringComparison.Ordinal);
            Assert.Contains("openssl is not installed", failure.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void AFailedShouldFailsTheScenarioWithItsMessageAndLine()
        {
            // A scenario's Should, in the hosted session as under Invoke-Pester: the test fails, saying what was
            // expected, what was found, why, and on which line of which script.
            using var directory = new TempDirectory();
            string script = System.IO.Path.Combine(directory.Path, "Example.ps1");
            System.IO.File.WriteAllText(script, "param([string] $Country)\n$ErrorActionPreference = 'Stop'\n$Country | Should -BeExactly 'GB' -Because 'the suggested country code is GB'\n");
            using var session = new PowerShellSession(importPester: true);

            PowerShellResult result = session.RunWith("param($Script) & $Script -Country UK", new Hashtable { ["Script"] = script });

            var failure = Assert.Throws<Xunit.Sdk.XunitException>(() => ScenarioScripts.AssertRanToTheEnd("Example.ps1", result));
            Assert.Contains("Expected strings to be the same, because the suggested country code is GB, but they were different.", failure.Message, StringComparison.Ordinal);
            Assert.Contains("Expected: 'GB'", failure.Message, StringComparison.Ordinal);
            Assert.Contains("But was:  'UK'", failure.Message, StringComparison.Ordinal);
            Assert.True(failure.Message.Contains("Example.ps1:3", StringComparison.Ordinal), failure.Message);
        }

        [Fact]
        public void APassingShouldLetsTheScenarioRunOn()
        {
            using var session = new PowerShellSession(importPester: true);

            PowerShellResult result = session.Run("$ErrorActionPreference = 'Stop'; 'GB' | Should -BeExactly 'GB'; { throw 'x' } | Should -Throw -ExpectedMessage 'x'");

            ScenarioScripts.AssertRanToTheEnd("Example.ps1", result);
        }

        [Fact]
        public void TheHostedEngineHasTheCmdletsOfPwshAndPestersShould()
        {
            // Microsoft.PowerShell.SDK: the scenario scripts are written as for pwsh, with its Utility, Management and
            // Security cmdlets, and Pester's Should.
            string[] commands =
            {
                "Join-Path", "Test-Path", "Get-Content", "Set-Content", "Get-ChildItem", "New-Item", "Copy-Item", "Remove-Item", "Resolve-Path",
                "Select-Object", "Sort-Object", "Out-String", "Get-FileHash", "ConvertTo-SecureString", "Start-Sleep", "Should",
            };
            using var session = new PowerShellSession(importPester: true);

            PowerShellResult result = session.Run("$args | ForEach-Object { if (-not (Get-Command -Name $_ -ErrorAction SilentlyContinue)) { $_ } }", commands.Cast<object?>().ToArray());

            result.AssertSuccess();
            Assert.True(result.Output.Count == 0, "The hosted engine lacks: " + string.Join(", ", result.Output));
        }

        private static TheoryData<string, string> Invocations(bool needsOpenSsl)
        {
            var data = new TheoryData<string, string>();
            foreach ((string scenario, string arguments) in s_invocations)
            {
                if (ScenarioScripts.NeedsOpenSsl(scenario) == needsOpenSsl)
                {
                    data.Add(scenario, arguments);
                }
            }

            return data;
        }
    }
}
