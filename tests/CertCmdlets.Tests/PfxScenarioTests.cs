using System;
using System.Linq;
using CertCmdlets.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Tests
{
    /// <summary>
    /// The PFX scenarios (tests/Scenarios/Pfx.*.ps1, also run by tests/Pester/Pfx.Tests.ps1) on the real engine, the
    /// same way <see cref="ScenarioTests"/> runs the others: a fresh session and directory per invocation, openssl
    /// required (-RequireOpenSsl), and the scenario must run to the end without an error or output.
    /// </summary>
    public sealed class PfxScenarioTests
    {
        /// <summary>Every invocation ("Name=Value;..."). Keep in step with tests/Pester/Pfx.Tests.ps1.</summary>
        private static readonly (string Scenario, string Arguments)[] s_invocations =
        {
            ("Pfx.ImportToPemFiles.ps1", ""),
            ("Pfx.ImportToPemFiles.ps1", "KeyAlgorithm=ECDSA"),
            ("Pfx.ImportToPemFiles.ps1", "PfxFormat=Legacy"),
            ("Pfx.ImportToPemFiles.ps1", "PfxFormat=Windows"),
            ("Pfx.ImportToPemFiles.ps1", "KeyAlgorithm=ECDSA;PfxFormat=Legacy"),
            ("Pfx.RoundTrip.ps1", ""),
            ("Pfx.RoundTrip.ps1", "KeyAlgorithm=ECDSA"),
            ("Pfx.Errors.ps1", ""),
        };

        public static TheoryData<string, string> Invocations
        {
            get
            {
                var data = new TheoryData<string, string>();
                foreach ((string scenario, string arguments) in s_invocations)
                {
                    data.Add(scenario, arguments);
                }

                return data;
            }
        }

        /// <summary>Skipped (statically, with the reason) where openssl is missing, except under CI=true.</summary>
        [OpenSslTheory]
        [MemberData(nameof(Invocations))]
        public void RunsPfxScenario(string scenario, string arguments) => ScenarioScripts.Run(scenario, arguments);

        [Fact]
        public void EveryPfxScenarioFileIsInvoked()
        {
            string[] files = ScenarioScripts.All().Where(f => f.StartsWith("Pfx.", StringComparison.Ordinal)).ToArray();
            string[] invoked = s_invocations.Select(i => i.Scenario).Distinct().OrderBy(s => s, StringComparer.Ordinal).ToArray();
            Assert.Equal(files, invoked);
            Assert.All(files, f => Assert.True(ScenarioScripts.NeedsOpenSsl(f), $"{f} drives openssl and must declare -RequireOpenSsl."));
        }

        [Fact]
        public void EveryPfxInvocationPassesOnlyDeclaredParameters()
        {
            foreach ((string scenario, string arguments) in s_invocations)
            {
                var declared = ScenarioScripts.ParameterNames(scenario);
                foreach (string name in ScenarioScripts.ParseArguments(arguments).Keys.Cast<string>())
                {
                    Assert.True(declared.Contains(name, StringComparer.OrdinalIgnoreCase), $"{scenario} is invoked with -{name}, which it does not declare.");
                }
            }
        }
    }
}
