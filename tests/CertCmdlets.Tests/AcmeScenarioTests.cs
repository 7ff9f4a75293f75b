using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation.Language;
using CertCmdlets.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Tests
{
    /// <summary>
    /// A test that needs Debian's pebble and pebble-challtestsrv. Skipped with the reason where they are missing, except
    /// under CI=true on Linux, where it runs and fails: a missing peer never passes silently in CI.
    /// </summary>
    public sealed class PebbleTheoryAttribute : TheoryAttribute
    {
        public PebbleTheoryAttribute()
        {
            Skip = AcmeScenarioTests.SkipReason;
        }
    }

    /// <summary>A test that needs pebble and Debian's apache2 (the ACME case validated through a real httpd).</summary>
    public sealed class PebbleApacheFactAttribute : FactAttribute
    {
        public PebbleApacheFactAttribute()
        {
            Skip = AcmeScenarioTests.SkipReason ?? PrivateHttpd.SkipReason;
        }
    }

    /// <summary>
    /// The ACME cmdlets on the real engine: the scenario tests/Scenarios/Acme.Pebble.ps1 (also run by
    /// tests/Pester/Acme.Tests.ps1), one fresh session (module and Pester imported: the scenario checks with Should) and
    /// directory per case, against a pebble each case starts and stops itself (and, for ApacheSite, a private httpd).
    /// A case must run to the end and leave no pebble, challtestsrv or httpd running.
    /// </summary>
    public sealed class AcmeScenarioTests
    {
        private const string Scenario = "Acme.Pebble.ps1";

        private const string ApacheSite = "ApacheSite";

        /// <summary>Every -Case; keep in step with tests/Pester/Acme.Tests.ps1 (checked below).</summary>
        private static readonly string[] s_cases = { "IssueAndExport", "DnsScript", "Refused", "AccountLifecycle", "Renewal", "WhatIf", "ApacheSite" };

        public static string? SkipReason
        {
            get
            {
                if (OperatingSystem.IsWindows())
                {
                    return "Debian's pebble does not exist on Windows; the ACME scenarios run on Linux.";
                }

                bool installed = File.Exists("/usr/bin/pebble") && File.Exists("/usr/bin/pebble-challtestsrv");
                return installed || Peers.IsCi ? null : "pebble is not installed (Debian package 'pebble'); under CI=true this test fails instead.";
            }
        }

        /// <summary>(scenario file, case): the file first, as <see cref="ScenarioTests.EveryScenarioFileIsInvoked"/> looks for it.</summary>
        public static TheoryData<string, string> Cases
        {
            get
            {
                var data = new TheoryData<string, string>();
                foreach (string value in s_cases.Where(c => c != ApacheSite))
                {
                    data.Add(Scenario, value);
                }

                return data;
            }
        }

        [PebbleTheory]
        [MemberData(nameof(Cases))]
        public void RunsAcmeScenario(string scenario, string value) => Run(scenario, value);

        /// <summary>pebble validating through a private httpd configured by Set-ApacheSsl and Enable-HttpsRedirect.</summary>
        [PebbleApacheFact]
        public void RunsAcmeScenarioThroughApache() => Run(Scenario, ApacheSite);

        private static void Run(string scenario, string value)
        {
            using var directory = new TempDirectory();
            var parameters = new Hashtable(StringComparer.OrdinalIgnoreCase)
            {
                ["WorkDirectory"] = directory.Path,
                ["Case"] = value,
                ["RequirePebble"] = true,
            };
            if (value == ApacheSite)
            {
                parameters["RequireApache"] = true;
            }

            PowerShellResult result;
            var leftovers = new List<string>();
            try
            {
                using var session = new PowerShellSession(importPester: true);
                result = session.RunScenario(scenario, parameters);
            }
            finally
            {
                leftovers.AddRange(StopLeftovers(directory.Path));
                leftovers.AddRange(PrivateHttpd.StopLeftovers(directory.Path));
            }

            ScenarioScripts.AssertRanToTheEnd(Scenario, result);
            Assert.True(leftovers.Count == 0, $"{Scenario} -Case {value} left processes running (now stopped): {string.Join(", ", leftovers)}.");
        }

        [Fact]
        public void EveryCaseIsInvoked_HereAndInPester()
        {
            ParameterAst caseParameter = ScenarioScripts.Parameters(Scenario).Single(p => p.Name.VariablePath.UserPath == "Case");
            AttributeAst validateSet = caseParameter.Attributes.OfType<AttributeAst>().Single(a => a.TypeName.Name == "ValidateSet");
            string[] declared = validateSet.PositionalArguments.OfType<StringConstantExpressionAst>().Select(s => s.Value).OrderBy(s => s, StringComparer.Ordinal).ToArray();
            Assert.Equal(declared, s_cases.OrderBy(s => s, StringComparer.Ordinal));

            string pester = File.ReadAllText(Path.Combine(Repository.Root, "tests", "Pester", "Acme.Tests.ps1"));
            foreach (string value in s_cases)
            {
                Assert.Contains($"Case = '{value}'", pester, StringComparison.Ordinal);
            }
        }

        /// <summary>pebble and challtestsrv the scenario recorded (name.pid) and did not stop.</summary>
        private static IEnumerable<string> StopLeftovers(string directory)
        {
            foreach (string pidFile in Directory.EnumerateFiles(directory, "*.pid", SearchOption.TopDirectoryOnly))
            {
                if (!int.TryParse(File.ReadAllText(pidFile).Trim(), out int pid))
                {
                    continue;
                }

                Process process;
                try
                {
                    process = Process.GetProcessById(pid);
                }
                catch (ArgumentException)
                {
                    continue;
                }

                using (process)
                {
                    if (!process.ProcessName.StartsWith("pebble", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(10_000);
                    yield return $"{process.ProcessName} {pid}";
                }
            }
        }
    }
}
