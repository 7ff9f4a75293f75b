using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace CertCmdlets.Tests.Infrastructure
{
    /// <summary>
    /// The shared scenario scripts in tests/Scenarios (the same files the Pester wrappers run): which exist, what
    /// parameters they declare (read with the PowerShell parser, no runspace needed), and how to run one and judge it.
    /// </summary>
    internal static class ScenarioScripts
    {
        /// <summary>The type name of the marker a scenario returns when a peer it needs is missing.</summary>
        public const string SkippedTypeName = "CertCmdlets.ScenarioSkipped";

        /// <summary>The switch a scenario declares when it needs openssl: it then throws instead of returning the marker.</summary>
        public const string RequireOpenSslParameter = "RequireOpenSsl";

        /// <summary>The helper the scenarios dot-source; not a scenario.</summary>
        public const string AssertHelper = "Assert.ps1";

        /// <summary>Every scenario file name (helpers excluded), sorted.</summary>
        public static IReadOnlyList<string> All() =>
            Directory.EnumerateFiles(Repository.Scenarios, "*.ps1")
                .Select(Path.GetFileName)
                .Where(name => !string.Equals(name, AssertHelper, StringComparison.OrdinalIgnoreCase))
                .OrderBy(name => name, StringComparer.Ordinal)
                .ToList()!;

        /// <summary>The param block of a scenario, parsed; throws with the parse errors if the file does not parse.</summary>
        public static IReadOnlyList<ParameterAst> Parameters(string fileName)
        {
            string path = Path.Combine(Repository.Scenarios, fileName);
            ScriptBlockAst ast = Parser.ParseFile(path, out _, out ParseError[] errors);
            if (errors.Length > 0)
            {
                throw new InvalidOperationException($"{fileName} does not parse: " + string.Join("; ", errors.Select(e => $"{e.Extent.StartLineNumber}: {e.Message}")));
            }

            return ast.ParamBlock?.Parameters.ToList() ?? new List<ParameterAst>();
        }

        public static IReadOnlyList<string> ParameterNames(string fileName) =>
            Parameters(fileName).Select(p => p.Name.VariablePath.UserPath).ToList();

        /// <summary>True when the scenario declares -RequireOpenSsl, i.e. it drives openssl as a peer.</summary>
        public static bool NeedsOpenSsl(string fileName) =>
            ParameterNames(fileName).Contains(RequireOpenSslParameter, StringComparer.OrdinalIgnoreCase);

        /// <summary>"Name=Value;Name=Value" as the parameters of one invocation (values stay strings; the binder converts).</summary>
        public static Hashtable ParseArguments(string arguments)
        {
            var parameters = new Hashtable(StringComparer.OrdinalIgnoreCase);
            foreach (string pair in arguments.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                int equals = pair.IndexOf('=');
                if (equals <= 0)
                {
                    throw new ArgumentException($"'{pair}' is not Name=Value.", nameof(arguments));
                }

                parameters[pair.Substring(0, equals)] = pair.Substring(equals + 1);
            }

            return parameters;
        }

        /// <summary>
        /// Runs one scenario invocation in a fresh session (module and Pester imported) with a fresh, empty work directory and
        /// fails the test unless it ran to the end: no error, no terminating error, no output, and never the skipped
        /// marker (openssl scenarios are passed -RequireOpenSsl; whether they may be skipped is decided before they
        /// run, by [OpenSslTheory], so a marker here is always a failure, under CI=true above all).
        /// </summary>
        public static void Run(string fileName, string arguments)
        {
            Hashtable parameters = ParseArguments(arguments);
            if (NeedsOpenSsl(fileName))
            {
                parameters[RequireOpenSslParameter] = true;
            }

            using var directory = new TempDirectory();
            parameters["WorkDirectory"] = directory.Path;
            using var session = new PowerShellSession(importPester: true);
            PowerShellResult result = session.RunScenario(fileName, parameters);
            AssertRanToTheEnd(fileName, result);
        }

        /// <summary>The judgement of <see cref="Run"/>, on its own so that it can be tested.</summary>
        public static void AssertRanToTheEnd(string fileName, PowerShellResult result)
        {
            result.AssertSuccess();
            PSObject? skipped = result.Output.FirstOrDefault(o => o is not null && o.TypeNames.Contains(SkippedTypeName));
            if (skipped is not null)
            {
                throw new Xunit.Sdk.XunitException(
                    $"{fileName} returned the skipped marker ({skipped.Properties["Reason"]?.Value}). The xunit run never accepts it"
                    + (Peers.IsCi ? " (CI=true)." : "; a missing peer is handled by [OpenSslTheory] before the scenario runs."));
            }

            if (result.Output.Count > 0)
            {
                throw new Xunit.Sdk.XunitException(
                    $"{fileName} wrote {result.Output.Count} object(s) to the output; a scenario emits nothing when it passes: "
                    + string.Join(", ", result.Output.Select(o => o?.ToString() ?? "$null")));
            }
        }
    }
}
