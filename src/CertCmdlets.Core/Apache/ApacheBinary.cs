using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace CertCmdlets.Core.Apache
{
    /// <summary>The httpd program of an installation: its version, its configuration test, its graceful restart.</summary>
    internal sealed class ApacheBinary
    {
        private static readonly Regex s_version = new Regex(@"Apache/(\d+)\.(\d+)\.(\d+)", RegexOptions.CultureInvariant);

        private ApacheBinary(string executable, Dictionary<string, string> environment)
        {
            Executable = executable;
            Environment = environment;
        }

        public string Executable { get; }

        /// <summary>Variables httpd needs (Debian's envvars); also used to expand ${VAR} in the configuration.</summary>
        public Dictionary<string, string> Environment { get; }

        public Version? Version { get; private set; }

        /// <summary>The httpd of this layout, or null when none is installed (the editor then works without a configuration test).</summary>
        public static ApacheBinary? Find(ApacheLayout layout, string? explicitPath)
        {
            var candidates = new List<string>();
            if (explicitPath is not null)
            {
                candidates.Add(explicitPath);
            }
            else
            {
                bool windows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
                candidates.Add(Path.Combine(layout.ServerRoot, "bin", windows ? "httpd.exe" : "httpd"));
                string[] names = layout.Kind == ApacheLayoutKind.RedHat ? new[] { "httpd", "apache2" } : new[] { "apache2", "httpd" };
                foreach (string name in names)
                {
                    candidates.Add("/usr/sbin/" + name);
                    foreach (string directory in (System.Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
                    {
                        if (directory.Length > 0)
                        {
                            candidates.Add(Path.Combine(directory, windows ? name + ".exe" : name));
                        }
                    }
                }
            }

            foreach (string candidate in candidates)
            {
                if (File.Exists(candidate))
                {
                    var binary = new ApacheBinary(candidate, ReadEnvironment(layout));
                    (int _, string output) = binary.Run("-v");
                    Match match = s_version.Match(output);
                    if (match.Success)
                    {
                        binary.Version = new Version(int.Parse(match.Groups[1].Value), int.Parse(match.Groups[2].Value), int.Parse(match.Groups[3].Value));
                    }

                    return binary;
                }
            }

            return null;
        }

        /// <summary>Runs httpd -t on the layout's configuration.</summary>
        public (bool Ok, string Output) ConfigTest(ApacheLayout layout)
        {
            (int exit, string output) = Run("-t", "-d", layout.ServerRoot, "-f", layout.MainConfig);
            return (exit == 0, output.Trim());
        }

        /// <summary>Asks a running httpd to reload its configuration without dropping connections.</summary>
        public (bool Ok, string Output) Graceful(ApacheLayout layout)
        {
            (int exit, string output) = Run("-k", "graceful", "-d", layout.ServerRoot, "-f", layout.MainConfig);
            return (exit == 0, output.Trim());
        }

        private (int ExitCode, string Output) Run(params string[] arguments)
        {
            var start = new ProcessStartInfo(Executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                Arguments = string.Join(" ", Array.ConvertAll(arguments, Quote)),
            };
            foreach (KeyValuePair<string, string> variable in Environment)
            {
                start.EnvironmentVariables[variable.Key] = variable.Value;
            }

            using Process process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(60_000))
            {
                process.Kill();
                return (-1, "httpd did not answer within 60 s.");
            }

            return (process.ExitCode, (output + error.Result).Trim());
        }

        private static string Quote(string argument) => argument.IndexOfAny(new[] { ' ', '"', '\t' }) < 0 ? argument : "\"" + argument.Replace("\"", "\\\"") + "\"";

        /// <summary>Debian's envvars file ("export APACHE_RUN_USER=www-data"), which apache2ctl sources before httpd runs.</summary>
        private static Dictionary<string, string> ReadEnvironment(ApacheLayout layout)
        {
            var variables = new Dictionary<string, string>(StringComparer.Ordinal);
            string envvars = Path.Combine(layout.ServerRoot, "envvars");
            if (layout.Kind != ApacheLayoutKind.Debian || !File.Exists(envvars))
            {
                return variables;
            }

            var assignment = new Regex(@"^\s*export\s+([A-Za-z_][A-Za-z0-9_]*)=(.*)$", RegexOptions.CultureInvariant);
            var reference = new Regex(@"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?", RegexOptions.CultureInvariant);
            variables["SUFFIX"] = string.Empty;
            foreach (string line in File.ReadAllLines(envvars))
            {
                Match match = assignment.Match(line);
                if (!match.Success)
                {
                    continue;
                }

                string value = match.Groups[2].Value.Trim().Trim('"', '\'');
                value = reference.Replace(value, m => variables.TryGetValue(m.Groups[1].Value, out string? known) ? known : string.Empty);
                variables[match.Groups[1].Value] = value;
            }

            variables.Remove("SUFFIX");
            return variables;
        }
    }
}
