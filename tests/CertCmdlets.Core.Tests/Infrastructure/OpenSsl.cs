using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using Xunit.Sdk;

namespace CertCmdlets.Core.Tests.Infrastructure
{
    /// <summary>What one openssl run produced.</summary>
    public sealed class OpenSslResult
    {
        public OpenSslResult(string command, int exitCode, string output, string error)
        {
            Command = command;
            ExitCode = exitCode;
            Output = output;
            Error = error;
        }

        /// <summary>The command line as text, for failure messages only (never carries a password).</summary>
        public string Command { get; }

        public int ExitCode { get; }

        public string Output { get; }

        public string Error { get; }

        /// <summary>Standard output then standard error: openssl writes some results (req -verify) to stderr.</summary>
        public string AllText => Output + Error;

        public override string ToString() => $"openssl {Command} exited {ExitCode}:{Environment.NewLine}{Output}{Error}";
    }

    /// <summary>
    /// The openssl CLI as a peer: it judges what the core writes, and writes files for the core to read.
    /// Arguments go through ArgumentList (no shell, no quoting); passwords go through environment variables
    /// of the child process (openssl's env:NAME), never the command line.
    /// </summary>
    public static class OpenSsl
    {
        private static readonly TimeSpan s_defaultTimeout = TimeSpan.FromSeconds(60);
        private static readonly Lazy<string?> s_path = new Lazy<string?>(() => FindOnPath("openssl"));

        public static bool IsAvailable => s_path.Value is not null;

        public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

        /// <summary>Runs openssl in <paramref name="workingDirectory"/> and returns whatever it did.</summary>
        public static OpenSslResult Run(string workingDirectory, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
        {
            string executable = s_path.Value ?? throw new XunitException("openssl is required for this test and is not on PATH (install the Debian package 'openssl').");
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

            // openssl must never wait for a pass phrase on a terminal: no password variable means no password.
            if (environment is not null)
            {
                foreach (KeyValuePair<string, string> variable in environment)
                {
                    start.Environment[variable.Key] = variable.Value;
                }
            }

            string command = string.Join(' ', arguments);
            using Process process = Process.Start(start) ?? throw new XunitException("openssl could not be started.");
            process.StandardInput.Close();
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            Task<string> error = process.StandardError.ReadToEndAsync();
            TimeSpan limit = timeout ?? s_defaultTimeout;
            if (!process.WaitForExit((int)limit.TotalMilliseconds))
            {
                process.Kill(entireProcessTree: true);
                throw new XunitException($"openssl {command} did not finish in {limit.TotalSeconds} s.");
            }

            process.WaitForExit();
            return new OpenSslResult(command, process.ExitCode, output.Result, error.Result);
        }

        /// <summary>Runs openssl without extra environment.</summary>
        public static OpenSslResult Run(string workingDirectory, params string[] arguments) => Run(workingDirectory, arguments, null, null);

        /// <summary>Runs openssl and fails the test, showing its output, unless it exits 0.</summary>
        public static OpenSslResult Expect(string workingDirectory, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
        {
            OpenSslResult result = Run(workingDirectory, arguments, environment);
            if (result.ExitCode != 0)
            {
                throw new XunitException(result.ToString());
            }

            return result;
        }

        /// <summary>Runs openssl (no extra environment) and fails the test unless it exits 0.</summary>
        public static OpenSslResult Expect(string workingDirectory, params string[] arguments) => Expect(workingDirectory, arguments, null);

        /// <summary>An environment that hands openssl a password as env:PW.</summary>
        public static IReadOnlyDictionary<string, string> Password(string password) => new Dictionary<string, string> { ["PW"] = password };

        private static string? FindOnPath(string program)
        {
            string? path = Environment.GetEnvironmentVariable("PATH");
            if (path is null)
            {
                return null;
            }

            foreach (string directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
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
}
