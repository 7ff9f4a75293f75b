using System;
using System.Linq;
using CertCmdlets.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Tests
{
    /// <summary>
    /// Runs the chain and internal-CA scenarios (tests/Scenarios/Chain*.ps1, also run by tests/Pester/Chain.Tests.ps1)
    /// on the real engine, exactly as <see cref="ScenarioTests"/> runs the others: one fresh session and one fresh
    /// directory per invocation, and the scenario must run to the end without an error or output.
    /// </summary>
    public sealed class ChainScenarioTests
    {
        /// <summary>The prefix of the scenario files this class owns.</summary>
        public const string Prefix = "Chain.";

        /// <summary>Every invocation: the scenario file and its extra parameters ("Name=Value;..."). Keep in step with tests/Pester/Chain.Tests.ps1.</summary>
        private static readonly (string Scenario, string Arguments)[] s_invocations =
        {
            ("Chain.InternalCaRequestToFullChain.ps1", ""),
            ("Chain.JoinShuffledBundle.ps1", ""),
            ("Chain.TestCertChain.ps1", ""),
            ("Chain.CompleteRequestMismatch.ps1", ""),
        };

        public static TheoryData<string, string> ModuleOnlyScenarios => Invocations(needsOpenSsl: false);

        public static TheoryData<string, string> OpenSslScenarios => Invocations(needsOpenSsl: true);

        [Theory]
        [MemberData(nameof(ModuleOnlyScenarios))]
        public void RunsChainScenario(string scenario, string arguments) => ScenarioScripts.Run(scenario, arguments);

        /// <summary>Skipped (statically, with the reason) where openssl is missing, except under CI=true, where the scenario then fails.</summary>
        [OpenSslTheory]
        [MemberData(nameof(OpenSslScenarios))]
        public void RunsChainScenarioWithOpenSsl(string scenario, string arguments) => ScenarioScripts.Run(scenario, arguments);

        [Fact]
        public void EveryChainScenarioFileIsInvoked()
        {
            string[] files = ScenarioScripts.All().Where(s => s.StartsWith(Prefix, StringComparison.Ordinal)).ToArray();
            string[] invoked = s_invocations.Select(i => i.Scenario).Distinct().OrderBy(s => s, StringComparer.Ordinal).ToArray();
            Assert.Equal(files, invoked);
        }

        [Fact]
        public void EveryChainScenarioDeclaresAMandatoryWorkDirectory()
        {
            foreach ((string scenario, string arguments) in s_invocations)
            {
                Assert.Contains("WorkDirectory", ScenarioScripts.ParameterNames(scenario), StringComparer.Ordinal);
                foreach (string name in ScenarioScripts.ParseArguments(arguments).Keys.Cast<string>())
                {
                    Assert.Contains(name, ScenarioScripts.ParameterNames(scenario), StringComparer.OrdinalIgnoreCase);
                }
            }
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
