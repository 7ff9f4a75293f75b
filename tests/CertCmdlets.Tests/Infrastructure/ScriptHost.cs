using System;
using System.Diagnostics;
using System.IO;

namespace CertCmdlets.Tests.Infrastructure
{
    /// <summary>
    /// The bundled script host (certcmdlets-host) run as a separate process: a fresh .NET process is the only
    /// way to observe what module import loads, and to load another BouncyCastle before ours.
    /// </summary>
    internal static class ScriptHost
    {
        public static string HostAssembly
        {
            get
            {
                string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
                string path = Path.Combine(Repository.Root, "src", "CertCmdlets.Host", "bin", configuration, "net10.0", "certcmdlets-host.dll");
                if (!File.Exists(path))
                {
                    throw new InvalidOperationException($"The script host is not built at {path}.");
                }

                return path;
            }
        }

        public static (int ExitCode, string Output, string Error) Run(string workingDirectory, params string[] arguments)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
                WorkingDirectory = workingDirectory,
            };
            start.ArgumentList.Add(HostAssembly);
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
                throw new TimeoutException("certcmdlets-host did not finish in 120 s.");
            }

            return (process.ExitCode, output.Result, error.Result);
        }
    }
}
