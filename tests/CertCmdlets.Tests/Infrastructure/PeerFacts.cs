using System;
using System.Diagnostics;
using System.IO;
using Xunit;

namespace CertCmdlets.Tests.Infrastructure
{
    /// <summary>
    /// A test that needs the openssl CLI. On a developer machine without it the test is skipped with the reason;
    /// under CI (CI=true) it always runs, so a missing peer fails instead of passing silently.
    /// </summary>
    public sealed class OpenSslFactAttribute : FactAttribute
    {
        public OpenSslFactAttribute()
        {
            if (!OpenSsl.IsAvailable && !Peers.IsCi)
            {
                Skip = "openssl is not installed (install the Debian package 'openssl'; under CI=true this test fails instead).";
            }
        }
    }

    /// <summary>The same, for theories.</summary>
    public sealed class OpenSslTheoryAttribute : TheoryAttribute
    {
        public OpenSslTheoryAttribute()
        {
            if (!OpenSsl.IsAvailable && !Peers.IsCi)
            {
                Skip = "openssl is not installed (install the Debian package 'openssl'; under CI=true this test fails instead).";
            }
        }
    }

    internal static class Peers
    {
        public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

        public static string? FindOnPath(string program)
        {
            string? path = Environment.GetEnvironmentVariable("PATH");
            if (path is null)
            {
                return null;
            }

            foreach (string directory in path.Split(Path.PathSeparator))
            {
                string candidate = Path.Combine(directory, program);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            return null;
        }
    }

    /// <summary>The openssl CLI as a peer: what it accepts from us, what it writes for us to read.</summary>
    internal static class OpenSsl
    {
        private static readonly Lazy<string?> s_path = new Lazy<string?>(() => Peers.FindOnPath("openssl"));

        public static bool IsAvailable => s_path.Value is not null;

        /// <summary>Runs openssl; the password, if any, goes through an environment variable, never the command line.</summary>
        public static (int ExitCode, string Output, string Error) Run(string workingDirectory, params string[] arguments)
        {
            string executable = s_path.Value ?? throw new InvalidOperationException("openssl is required for this test and is not on PATH.");
            var start = new ProcessStartInfo(executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
                WorkingDirectory = workingDirectory,
            };
            foreach (string argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using Process process = Process.Start(start)!;
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(60_000))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException("openssl " + string.Join(' ', arguments) + " did not finish in 60 s.");
            }

            return (process.ExitCode, output.Result, error.Result);
        }

        /// <summary>Runs openssl and fails the test with its error output unless it exits 0.</summary>
        public static string Expect(string workingDirectory, params string[] arguments)
        {
            (int exitCode, string output, string error) = Run(workingDirectory, arguments);
            if (exitCode != 0)
            {
                throw new Xunit.Sdk.XunitException($"openssl {string.Join(' ', arguments)} exited {exitCode}:{Environment.NewLine}{error}{output}");
            }

            return output + error;
        }
    }
}
