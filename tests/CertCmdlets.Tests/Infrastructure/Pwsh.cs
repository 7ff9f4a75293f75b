using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Xunit;

namespace CertCmdlets.Tests.Infrastructure
{
    /// <summary>
    /// A test that needs a real pwsh process (what a process has loaded cannot be undone in the test process).
    /// Skipped, with the reason, where pwsh is not installed; under CI (CI=true) it always runs, so a missing pwsh fails.
    /// </summary>
    public sealed class PwshFactAttribute : FactAttribute
    {
        public PwshFactAttribute()
        {
            if (Pwsh.Path is null && !Peers.IsCi)
            {
                Skip = "pwsh is not installed: run ./run-tests.sh, which installs PowerShell 7.6 as a dotnet tool into .tools/pwsh (under CI=true this test fails instead).";
            }
        }
    }

    /// <summary>
    /// PowerShell 7 as its own process: $CERTCMDLETS_PWSH when set (run-tests.sh sets it), else pwsh on PATH, else the
    /// dotnet tool run-tests.sh installs into the checkout (.tools/pwsh/pwsh).
    /// </summary>
    internal static class Pwsh
    {
        private static readonly Lazy<string?> s_path = new Lazy<string?>(Find);

        public static string? Path => s_path.Value;

        /// <summary>
        /// Runs a script file with -NoProfile -NonInteractive in <paramref name="workingDirectory"/>, arguments after
        /// the file, and returns its exit code and output.
        /// </summary>
        public static (int ExitCode, string Output, string Error) RunFile(string workingDirectory, string scriptFile, params string[] arguments)
        {
            string executable = Path ?? throw new InvalidOperationException("pwsh is required for this test and was not found: set CERTCMDLETS_PWSH, put pwsh on PATH, or run ./run-tests.sh, which installs it into .tools/pwsh.");
            var start = new ProcessStartInfo(executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
                WorkingDirectory = workingDirectory,
            };

            // Scripts import the checkout's module by this name (Import-Module $env:CERTCMDLETS_MANIFEST).
            start.Environment["CERTCMDLETS_MANIFEST"] = Repository.Manifest;
            foreach (string argument in new List<string> { "-NoProfile", "-NonInteractive", "-File", scriptFile })
            {
                start.ArgumentList.Add(argument);
            }

            foreach (string argument in arguments)
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
                throw new TimeoutException($"pwsh -File {scriptFile} did not finish in 120 s.");
            }

            return (process.ExitCode, output.Result, error.Result);
        }

        private static string? Find()
        {
            string? configured = Environment.GetEnvironmentVariable("CERTCMDLETS_PWSH");
            if (!string.IsNullOrEmpty(configured))
            {
                return File.Exists(configured) ? configured : throw new InvalidOperationException($"CERTCMDLETS_PWSH names '{configured}', which does not exist.");
            }

            string program = OperatingSystem.IsWindows() ? "pwsh.exe" : "pwsh";
            return Peers.FindOnPath(program)
                ?? new[] { System.IO.Path.Combine(Repository.Root, ".tools", "pwsh", program) }.FirstOrDefault(File.Exists);
        }
    }
}
