using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation.Language;
using CertCmdlets.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Tests
{
    /// <summary>
    /// Set-ApacheSsl, Enable-HttpsRedirect and Test-HttpsEndpoint against Debian's real apache2: the Apache scenarios
    /// (tests/Scenarios/Apache.*.ps1, also run by tests/Pester/Apache.Tests.ps1) on the real engine, each invocation
    /// in a fresh session and directory. The scenarios build private httpd instances on 127.0.0.1 (and a copy of a
    /// Debian /etc/apache2 tree), start and stop them, and check themselves; here they must run to the end, leave
    /// no httpd running, and -WhatIf must have shown its diff on the host.
    /// </summary>
    public sealed class ApacheTests
    {
        private const string PrivateInstance = "Apache.PrivateInstance.ps1";

        private const string DebianTree = "Apache.DebianTree.ps1";

        private const string OriginBuild = "Apache.OriginBuild.ps1";

        /// <summary>
        /// Every invocation ("Name=Value;...") and what it must show on the host (regular expressions). Keep in step
        /// with tests/Pester/Apache.Tests.ps1; <see cref="EveryApacheScenarioFileAndCaseIsInvoked"/> catches a case left out.
        /// </summary>
        private static readonly (string Scenario, string Arguments, string[] HostShows)[] s_invocations =
        {
            (PrivateInstance, "Case=ServeHttps", Array.Empty<string>()),
            (PrivateInstance, "Case=Idempotent", Array.Empty<string>()),
            (PrivateInstance, "Case=WhatIf", new[]
            {
                @"What if: Performing the operation ""Change the httpd configuration:",
                @"(?m)^\+Listen 127\.0\.0\.1:\d+ https$",
                @"(?m)^\+LoadModule ssl_module /usr/lib/apache2/modules/mod_ssl\.so$",
                @"(?m)^\+<VirtualHost 127\.0\.0\.1:\d+>$",
                @"(?m)^\+\s+SSLEngine on$",
                @"(?m)^\+\s+SSLCertificateFile ""?\S+fullchain\.pem""?$",
                @"(?m)^\+LoadModule rewrite_module ",
                @"(?m)^\+\s+RewriteRule \^ https://www\.example\.test:\d+%\{REQUEST_URI\} \[R=301,L,NE\]$",
                @"(?m)^\+\s+Header always set Strict-Transport-Security ",
            }),
            (PrivateInstance, "Case=CertificateNameMismatch", Array.Empty<string>()),
            (PrivateInstance, "Case=CertificateKeyMismatch", Array.Empty<string>()),
            (PrivateInstance, "Case=KeyFileEncrypted", Array.Empty<string>()),
            (PrivateInstance, "Case=ConfigTestFailed", Array.Empty<string>()),
            (PrivateInstance, "Case=ConfigTestFailedBefore", Array.Empty<string>()),
            (PrivateInstance, "Case=ConfigInvalid", Array.Empty<string>()),
            (DebianTree, "", Array.Empty<string>()),
            (OriginBuild, "Case=ReplaceInPlace", Array.Empty<string>()),
            (OriginBuild, "Case=RedirectKept", Array.Empty<string>()),
            (OriginBuild, "Case=RenewInPlace", Array.Empty<string>()),
            (OriginBuild, "Case=RollBack", Array.Empty<string>()),
            (OriginBuild, "Case=Undo", Array.Empty<string>()),
            (OriginBuild, "Case=NotRunning", Array.Empty<string>()),
            (OriginBuild, "Case=FullChain", Array.Empty<string>()),
            (OriginBuild, "Case=PipeToTest", Array.Empty<string>()),
            (OriginBuild, "Case=ScheduledRenewal", Array.Empty<string>()),
        };

        public static TheoryData<string, string> Invocations
        {
            get
            {
                var data = new TheoryData<string, string>();
                foreach ((string scenario, string arguments, _) in s_invocations)
                {
                    data.Add(scenario, arguments);
                }

                return data;
            }
        }

        /// <summary>Skipped (statically, with the reason) where apache2 is missing, except under CI=true on Linux.</summary>
        [ApacheTheory]
        [MemberData(nameof(Invocations))]
        public void RunsApacheScenario(string scenario, string arguments)
        {
            string shown = ApacheScenarios.Run(scenario, arguments);
            foreach (string pattern in s_invocations.Single(i => i.Scenario == scenario && i.Arguments == arguments).HostShows)
            {
                Assert.True(
                    System.Text.RegularExpressions.Regex.IsMatch(shown, pattern),
                    $"{scenario} {arguments}: the host should show /{pattern}/ but it showed:{Environment.NewLine}{shown}");
            }
        }

        [Fact]
        public void EveryApacheScenarioFileAndCaseIsInvoked()
        {
            string[] files = ScenarioScripts.All().Where(f => f.StartsWith("Apache.", StringComparison.Ordinal)).ToArray();
            string[] invoked = s_invocations.Select(i => i.Scenario).Distinct().OrderBy(s => s, StringComparer.Ordinal).ToArray();
            Assert.Equal(files, invoked);
            foreach (string file in files)
            {
                IReadOnlyList<string> declared = ScenarioScripts.ParameterNames(file);
                Assert.True(declared.Contains(PrivateHttpd.RequireApacheParameter, StringComparer.OrdinalIgnoreCase), $"{file} drives apache2 and must declare -{PrivateHttpd.RequireApacheParameter}.");
                foreach (string value in CaseValues(file))
                {
                    Assert.True(s_invocations.Any(i => i.Scenario == file && i.Arguments == "Case=" + value), $"{file} -Case {value} is never invoked.");
                }
            }
        }

        [Fact]
        public void EveryApacheInvocationPassesOnlyDeclaredParameters()
        {
            foreach ((string scenario, string arguments, _) in s_invocations)
            {
                IReadOnlyList<string> declared = ScenarioScripts.ParameterNames(scenario);
                foreach (string name in ScenarioScripts.ParseArguments(arguments).Keys.Cast<string>())
                {
                    Assert.True(declared.Contains(name, StringComparer.OrdinalIgnoreCase), $"{scenario} is invoked with -{name}, which it does not declare.");
                }
            }
        }

        [Fact]
        public void ThePesterFileRunsTheSameInvocations()
        {
            string path = Path.Combine(Repository.Root, "tests", "Pester", "Apache.Tests.ps1");
            Parser.ParseFile(path, out _, out ParseError[] errors);
            Assert.True(errors.Length == 0, "Apache.Tests.ps1 does not parse: " + string.Join("; ", errors.Select(e => $"{e.Extent.StartLineNumber}: {e.Message}")));
            string text = File.ReadAllText(path);
            foreach ((string scenario, string arguments, _) in s_invocations)
            {
                Assert.Contains($"Scenario = '{scenario}'", text, StringComparison.Ordinal);
                foreach (System.Collections.DictionaryEntry argument in ScenarioScripts.ParseArguments(arguments))
                {
                    Assert.Contains($"{argument.Key} = '{argument.Value}'", text, StringComparison.Ordinal);
                }
            }
        }

        /// <summary>The values of a scenario's [ValidateSet()] on $Case, if it has one.</summary>
        private static IEnumerable<string> CaseValues(string file)
        {
            ParameterAst? caseParameter = ScenarioScripts.Parameters(file).FirstOrDefault(p => p.Name.VariablePath.UserPath == "Case");
            AttributeAst? validateSet = caseParameter?.Attributes.OfType<AttributeAst>().FirstOrDefault(a => a.TypeName.Name == "ValidateSet");
            return validateSet is null
                ? Enumerable.Empty<string>()
                : validateSet.PositionalArguments.OfType<StringConstantExpressionAst>().Select(s => s.Value);
        }
    }
}
