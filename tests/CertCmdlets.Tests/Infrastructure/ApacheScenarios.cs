using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace CertCmdlets.Tests.Infrastructure
{
    /// <summary>
    /// Runs the Apache scenarios (tests/Scenarios/Apache.*.ps1) as <see cref="ScenarioScripts.Run"/> runs the others
    /// (a fresh session with the module imported, a fresh work directory, judged by
    /// <see cref="ScenarioScripts.AssertRanToTheEnd"/>), with three differences: the session has a
    /// <see cref="RecordingHost"/>, so -WhatIf text can be read; -RequireApache is passed as well as -RequireOpenSsl,
    /// since whether they may be skipped was decided by [ApacheTheory] before they run; and any httpd left running
    /// in the work directory is stopped and fails the test.
    /// </summary>
    internal static class ApacheScenarios
    {
        /// <summary>Runs one invocation ("Name=Value;...") and returns what it wrote to the host.</summary>
        public static string Run(string fileName, string arguments)
        {
            Hashtable parameters = ScenarioScripts.ParseArguments(arguments);
            IReadOnlyList<string> declared = ScenarioScripts.ParameterNames(fileName);
            foreach (string require in new[] { PrivateHttpd.RequireApacheParameter, ScenarioScripts.RequireOpenSslParameter })
            {
                if (declared.Contains(require, StringComparer.OrdinalIgnoreCase))
                {
                    parameters[require] = true;
                }
            }

            using var directory = new TempDirectory();
            parameters["WorkDirectory"] = directory.Path;
            var host = new RecordingHost();
            PowerShellResult result;
            IReadOnlyList<string> leftovers;
            try
            {
                using var session = new PowerShellSession(RunspaceFactory.CreateRunspace(host, InitialSessionState.CreateDefault2()), importPester: true);
                result = session.RunScenario(fileName, parameters);
            }
            finally
            {
                leftovers = PrivateHttpd.StopLeftovers(directory.Path);
            }

            ScenarioScripts.AssertRanToTheEnd(fileName, result);
            if (leftovers.Count > 0)
            {
                throw new Xunit.Sdk.XunitException($"{fileName} left httpd running (now stopped): {string.Join(", ", leftovers)}. A scenario stops what it starts, in a finally.");
            }

            return host.Text;
        }
    }
}
