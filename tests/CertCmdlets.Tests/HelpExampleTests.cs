using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using CertCmdlets.HelpBuilder;
using CertCmdlets.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Tests
{
    /// <summary>
    /// The help a user reads: every exported cmdlet shows at least two examples (so a cmdlet added later without its
    /// help/examples file is caught here as well as by the build), every example parses, the syntax shows every
    /// parameter set with the default first and -WhatIf/-Confirm, defaults and related links are filled, and the
    /// about_ topics are found. The example files are read with the help builder's own reader (ExampleFile). The
    /// examples marked <c>powershell sandbox</c> run in tests/Pester/HelpExamples.Tests.ps1, on a real pwsh: they use
    /// Format-Table, Get-ChildItem and the like, which this engine (System.Management.Automation alone) lacks.
    /// </summary>
    public sealed class HelpExampleTests : IClassFixture<HelpTests.SessionFixture>
    {
        private const int MinimumExamples = 2;

        private readonly HelpTests.SessionFixture _fixture;

        public HelpExampleTests(HelpTests.SessionFixture fixture)
        {
            _fixture = fixture;
        }

        private static string ExampleDirectory => Path.Combine(Repository.Root, "help", "examples");

        [Fact]
        public void EveryExportedCmdletShowsAtLeastTwoExamples()
        {
            List<string> failures = new List<string>();
            foreach ((string name, _) in _fixture.Cmdlets)
            {
                int count = int.Parse(_fixture.RunScalar("@((Get-Help -Name $args[0] -Examples).examples.example).Count", name), System.Globalization.CultureInfo.InvariantCulture);
                if (count < MinimumExamples)
                {
                    failures.Add($"Get-Help {name} -Examples shows {count} example(s); add them to help/examples/{name}.md.");
                }
            }

            Assert.NotEmpty(_fixture.Cmdlets);
            Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        }

        [Fact]
        public void EveryExampleFileIsWellFormedAndEveryExampleParses()
        {
            List<string> problems = new List<string>();
            IReadOnlyList<ExampleFile> files = ExampleFile.ReadFolder(ExampleDirectory, problems);
            Assert.NotEmpty(files);
            foreach (ExampleFile file in files)
            {
                foreach (HelpExample example in file.Examples)
                {
                    foreach ((string part, string code) in new[] { ("code", example.Code), ("setup", example.Setup) })
                    {
                        Parser.ParseInput(code, out _, out ParseError[] errors);
                        problems.AddRange(errors.Select(e => $"{file.Path}({example.Line}) '{example.Title}' {part}: {e.Message} at '{e.Extent.Text}'"));
                    }
                }
            }

            Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        }

        [Fact]
        public void ExamplesGiveTheModulesCmdletsOnlyParametersTheyHave()
        {
            // Every call of one of the module's cmdlets in an example (its code and its hidden set-up) names parameters
            // the cmdlet has, by name, alias or unambiguous prefix, as the engine binds them. Calls of cmdlets this build
            // lacks (in files written ahead for another branch's cmdlets) are checked once those cmdlets are exported.
            List<string> problems = new List<string>();
            int checkedParameters = 0;
            foreach (ExampleFile file in ReadExampleFiles())
            {
                foreach (HelpExample example in file.Examples)
                {
                    ScriptBlockAst ast = Parser.ParseInput(example.Setup + "\n" + example.Code, out _, out _);
                    foreach (CommandAst command in ast.FindAll(node => node is CommandAst, searchNestedScriptBlocks: true).Cast<CommandAst>())
                    {
                        string? name = command.GetCommandName();
                        if (name is null || !_fixture.Cmdlets.Any(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase)))
                        {
                            continue;
                        }

                        foreach (CommandParameterAst parameter in command.CommandElements.OfType<CommandParameterAst>())
                        {
                            checkedParameters++;
                            PowerShellResult result = _fixture.Session.Run("(Get-Command -Name $args[0] -Module CertCmdlets).ResolveParameter($args[1]).Name", name, parameter.ParameterName);
                            if (result.Errors.Count > 0 || result.Terminating is not null || result.Output.Count != 1)
                            {
                                problems.Add($"{file.Path}({example.Line}) '{example.Title}': {name} has no parameter -{parameter.ParameterName} ({string.Join("; ", result.Errors.Select(e => e.ToString()))}{result.Terminating?.Message}).");
                            }
                        }
                    }
                }
            }

            Assert.True(checkedParameters > 100, $"Only {checkedParameters} parameters were found in the examples.");
            Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        }

        [Fact]
        public void TheCodeGetHelpShowsIsTheCodeOfTheExampleFiles()
        {
            ExampleFile file = ExampleFile.Read(Path.Combine(ExampleDirectory, "New-CertRequest.md"), new List<string>());
            PowerShellResult shown = _fixture.Session.Run("(Get-Help -Name New-CertRequest -Examples).examples.example.ForEach({ $_.code })");
            shown.AssertSuccess();
            Assert.Equal(file.Examples.Select(e => e.Code.Replace("\r\n", "\n")), shown.Output.Select(o => ((string)o.BaseObject).Replace("\r\n", "\n")));
        }

        [Fact]
        public void TheOriginWorkflowsAreExamplesMarkedToRunInTheSandbox()
        {
            // The workflows users came with: each is an example that runs, not only one that parses.
            string all = string.Join("\n", ReadExampleFiles().SelectMany(f => f.Examples.Where(e => e.RunsInSandbox).Select(e => e.Code)));
            Assert.Contains("-Organization 'Example Ltd'", all, StringComparison.Ordinal);
            Assert.Contains("-SelfSign", all, StringComparison.Ordinal);
            Assert.Contains("-CertificateText $answer", all, StringComparison.Ordinal);
            Assert.Contains("Import-PfxAsPem ./www.example.com.pfx -Password", all, StringComparison.Ordinal);
            Assert.Contains("-KeyPath ./tls/www.example.com.key -OutputDirectory ./renewal", all, StringComparison.Ordinal);
            Assert.Contains("Where-Object RenewRecommended", all, StringComparison.Ordinal);
            string shownOnly = string.Join("\n", ReadExampleFiles().SelectMany(f => f.Examples.Select(e => e.Code)));
            Assert.Contains("-Port 8443", shownOnly, StringComparison.Ordinal);
            Assert.Contains("Enable-HttpsRedirect -ConfigPath /etc/apache2 -HttpPort 8080", shownOnly, StringComparison.Ordinal);
        }

        [Fact]
        public void TheSyntaxShowsEveryParameterSetWithTheDefaultFirst()
        {
            PowerShellResult result = _fixture.Session.Run(
                "$syntax = @((Get-Help -Name New-CertRequest -Full).syntax.syntaxItem)\n" +
                "$syntax.Count - (Get-Command -Name New-CertRequest).ParameterSets.Count\n" +
                "($syntax[0].parameter.name -contains 'SelfSign') -or ($syntax[0].parameter.name -contains 'FromCertificate')\n" +
                "@($syntax.Where({ $_.parameter.name -contains 'SelfSign' })).Count -gt 0\n" +
                "($syntax[0].parameter.name[-3..-1] -join ' ')");
            result.AssertSuccess();
            Assert.Equal(0, (int)result.Output[0].BaseObject);
            Assert.False((bool)result.Output[1].BaseObject, "The first syntax is the default (Request) set, without -SelfSign or -FromCertificate.");
            Assert.True((bool)result.Output[2].BaseObject);
            Assert.Equal("Force WhatIf Confirm", (string)result.Output[3].BaseObject);
        }

        [Fact]
        public void CmdletsThatChangeThingsShowWhatIfAndConfirmAndTheOthersDoNot()
        {
            List<string> failures = new List<string>();
            foreach ((string name, _) in _fixture.Cmdlets)
            {
                PowerShellResult result = _fixture.Session.Run(
                    "$c = Get-Command -Name $args[0]; $c.Parameters.ContainsKey('WhatIf')\n" +
                    "@((Get-Help -Name $args[0] -Full).syntax.syntaxItem).Where({ -not ($_.parameter.name -contains 'WhatIf' -and $_.parameter.name -contains 'Confirm') }).Count\n" +
                    "[bool](Get-Help -Name $args[0] -Parameter WhatIf -ErrorAction SilentlyContinue)",
                    name);
                result.AssertSuccess();
                bool supports = (bool)result.Output[0].BaseObject;
                int without = (int)result.Output[1].BaseObject;
                bool documented = (bool)result.Output[2].BaseObject;
                if (supports && (without > 0 || !documented))
                {
                    failures.Add($"{name} supports -WhatIf, but {without} syntax item(s) lack [-WhatIf] [-Confirm] or -WhatIf is not described.");
                }

                if (!supports && documented)
                {
                    failures.Add($"{name} has no -WhatIf, but its help describes one.");
                }
            }

            Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        }

        [Theory]
        [InlineData("New-CertRequest", "ValidDays", "365")]
        [InlineData("New-CertRequest", "Force", "False")]
        [InlineData("New-CertRequest", "KeySize", "2048 (New-CertAuthority: 3072)")]
        [InlineData("New-CertRequest", "Country", "None")]
        [InlineData("Set-ApacheSsl", "TlsProfile", "Intermediate")]
        [InlineData("Set-ApacheSsl", "Port", "443")]
        [InlineData("Import-PfxAsPem", "KeyFileName", "key.pem")]
        [InlineData("Join-CertChain", "TimeoutSeconds", "10")]
        public void ParametersShowTheirDefaultValue(string cmdlet, string parameter, string expected)
        {
            Assert.Equal(expected, _fixture.RunScalar("(Get-Help -Name $args[0] -Parameter $args[1]).defaultValue", cmdlet, parameter));
        }

        [Fact]
        public void EveryCmdletLinksToAboutCertCmdletsAndItsLinksNameRealCommandsOrTopics()
        {
            List<string> failures = new List<string>();
            foreach ((string name, _) in _fixture.Cmdlets)
            {
                PowerShellResult links = _fixture.Session.Run("(Get-Help -Name $args[0] -Full).relatedLinks.navigationLink.ForEach({ $_.linkText })", name);
                links.AssertSuccess();
                List<string> texts = links.Output.Select(o => (string)o.BaseObject).ToList();
                if (!texts.Contains("about_CertCmdlets"))
                {
                    failures.Add($"{name} does not link to about_CertCmdlets.");
                }

                foreach (string link in texts)
                {
                    string found = _fixture.RunScalar("[bool](Get-Help -Name $args[0] -ErrorAction SilentlyContinue)", link);
                    if (found != "True")
                    {
                        failures.Add($"{name} links to '{link}', which Get-Help does not find.");
                    }
                }
            }

            Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        }

        [Fact]
        public void TheAboutTopicsTellTheLifeOfACertificateAndHowToRenewIt()
        {
            string life = _fixture.RunScalar("[string](Get-Help -Name about_CertCmdlets)");
            foreach (string cmdlet in _fixture.Cmdlets.Select(c => c.Name))
            {
                Assert.Contains(cmdlet, life, StringComparison.Ordinal);
            }

            string renewal = _fixture.RunScalar("[string](Get-Help -Name about_CertCmdlets_Renewal)");
            foreach (string needed in new[] { "two thirds", "30 days", "RenewAfter", "RenewRecommended", "systemd", "OnCalendar", "cron", "Register-ScheduledTask", "New-ScheduledTaskTrigger" })
            {
                Assert.Contains(needed, renewal, StringComparison.Ordinal);
            }
        }

        [Fact]
        public void TheHelpBuilderFailsWhenACmdletHasFewerThanTwoExamples()
        {
            using var work = new TempDirectory();
            string sources = Path.Combine(work.Path, "help");
            CopyDirectory(Path.Combine(Repository.Root, "help"), sources);
            string trimmed = Path.Combine(sources, "examples", "Test-CertChain.md");
            string text = File.ReadAllText(trimmed);
            int second = text.IndexOf("\n## ", text.IndexOf("\n## ", StringComparison.Ordinal) + 1, StringComparison.Ordinal);
            File.WriteAllText(trimmed, text.Substring(0, second + 1));
            File.Delete(Path.Combine(sources, "examples", "Enable-HttpsRedirect.md"));

            (int exitCode, string output) = RunHelpBuilder(sources, Path.Combine(work.Path, "en-US"));
            Assert.Equal(1, exitCode);
            Assert.Contains("Test-CertChain has 1 example(s)", output, StringComparison.Ordinal);
            Assert.Contains("Enable-HttpsRedirect has 0 example(s)", output, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(work.Path, "en-US", "CertCmdlets.dll-Help.xml")), "Nothing is written when the help is incomplete.");
        }

        [Fact]
        public void TheHelpBuilderFailsWhenAnExampleDoesNotParseOrShowsAnotherCmdlet()
        {
            using var work = new TempDirectory();
            string sources = Path.Combine(work.Path, "help");
            CopyDirectory(Path.Combine(Repository.Root, "help"), sources);
            string examples = Path.Combine(sources, "examples");
            File.Move(Path.Combine(examples, "Test-HttpsEndpoint.md"), Path.Combine(examples, "Test-HttpEndpoint.md"));
            string broken = Path.Combine(examples, "Join-CertChain.md");
            File.WriteAllText(broken, File.ReadAllText(broken).Replace("Join-CertChain ", "Join-CertChain (", StringComparison.Ordinal));

            (int exitCode, string output) = RunHelpBuilder(sources, Path.Combine(work.Path, "en-US"));
            Assert.Equal(1, exitCode);
            Assert.Contains("Test-HttpsEndpoint has 0 example(s)", output, StringComparison.Ordinal);
            Assert.Contains("does not call Test-HttpEndpoint", output, StringComparison.Ordinal);
            Assert.Contains("Join-CertChain.md(", output, StringComparison.Ordinal);
            Assert.Contains("does not parse", output, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(work.Path, "en-US", "CertCmdlets.dll-Help.xml")), "Nothing is written when the help is wrong.");
        }

        [Fact]
        public void TheHelpBuilderKeepsAndChecksTheExampleFileOfACmdletTheBuildLacks()
        {
            using var work = new TempDirectory();
            string sources = Path.Combine(work.Path, "help");
            CopyDirectory(Path.Combine(Repository.Root, "help"), sources);
            string ahead = Path.Combine(sources, "examples", "Get-CertFuture.md");
            const string Example = "## Example {0}\n\n```powershell\nGet-CertFuture -Name {0}\n```\n\nWhat it does.\n\n";
            File.WriteAllText(ahead, "# Get-CertFuture\n\n" + string.Format(System.Globalization.CultureInfo.InvariantCulture, Example, 1) + string.Format(System.Globalization.CultureInfo.InvariantCulture, Example, 2) + "## Related links\n\n- New-CertRequest\n- about_CertCmdlets\n");

            (int exitCode, string output) = RunHelpBuilder(sources, Path.Combine(work.Path, "en-US"));
            Assert.True(exitCode == 0, output);
            Assert.Contains("Get-CertFuture.md is kept for Get-CertFuture, which this build does not have", output, StringComparison.Ordinal);
            string help = File.ReadAllText(Path.Combine(work.Path, "en-US", "CertCmdlets.dll-Help.xml"));
            Assert.DoesNotContain("Get-CertFuture", help, StringComparison.Ordinal);
            Assert.Contains("New-CertRequest", help, StringComparison.Ordinal);

            // The same rules as for the others: two examples, links to something that exists.
            File.WriteAllText(ahead, "# Get-CertFuture\n\n" + string.Format(System.Globalization.CultureInfo.InvariantCulture, Example, 1) + "## Related links\n\n- Get-Nowhere\n");
            (exitCode, output) = RunHelpBuilder(sources, Path.Combine(work.Path, "en-US2"));
            Assert.Equal(1, exitCode);
            Assert.Contains("Get-CertFuture has 1 example(s)", output, StringComparison.Ordinal);
            Assert.Contains("the related link 'Get-Nowhere'", output, StringComparison.Ordinal);
        }

        [Fact]
        public void TheHelpBuilderWritesTheHelpAndTopicsFromCompleteSources()
        {
            using var work = new TempDirectory();
            (int exitCode, string output) = RunHelpBuilder(Path.Combine(Repository.Root, "help"), Path.Combine(work.Path, "en-US"));
            Assert.True(exitCode == 0, output);
            Assert.True(File.Exists(Path.Combine(work.Path, "en-US", "CertCmdlets.dll-Help.xml")));
            Assert.True(File.Exists(Path.Combine(work.Path, "en-US", "about_CertCmdlets_Renewal.help.txt")));
        }

        private static IReadOnlyList<ExampleFile> ReadExampleFiles() => ExampleFile.ReadFolder(ExampleDirectory, new List<string>());

        private static (int ExitCode, string Output) RunHelpBuilder(string sources, string output)
        {
            string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
            string builder = Path.Combine(Repository.Root, "src", "CertCmdlets.HelpBuilder", "bin", configuration, "net10.0", "certcmdlets-helpbuilder.dll");
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string argument in new[]
            {
                builder,
                "--assembly", Path.Combine(Repository.Root, "module", "CertCmdlets.dll"),
                "--documentation", Path.Combine(Repository.Root, "module", "CertCmdlets.xml"),
                "--manifest", Repository.Manifest,
                "--sources", sources,
                "--output", output,
            })
            {
                start.ArgumentList.Add(argument);
            }

            using Process process = Process.Start(start)!;
            var standardOutput = process.StandardOutput.ReadToEndAsync();
            var standardError = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(120_000))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("certcmdlets-helpbuilder did not finish in 120 s.");
            }

            return (process.ExitCode, standardOutput.Result + standardError.Result);
        }

        private static void CopyDirectory(string source, string target)
        {
            Directory.CreateDirectory(target);
            foreach (string file in Directory.EnumerateFiles(source))
            {
                File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
            }

            foreach (string directory in Directory.EnumerateDirectories(source))
            {
                CopyDirectory(directory, Path.Combine(target, Path.GetFileName(directory)));
            }
        }
    }
}
