using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;

namespace CertCmdlets.Benchmarks
{
    /// <summary>
    /// Inputs that are slow to make (10,000 certificates, PFX files written by openssl) are made once and kept in a
    /// folder under the temporary directory, so every benchmark process of a run (BenchmarkDotNet starts one per
    /// case) measures the very same files. Delete the folder to make new ones.
    /// </summary>
    internal static class SharedData
    {
        public static string Root => Path.Combine(Path.GetTempPath(), "certcmdlets-bench-data");

        /// <summary>The folder <paramref name="name"/>, made by <paramref name="create"/> (into an empty folder) when it does not exist yet.</summary>
        public static string Folder(string name, Action<string> create)
        {
            string folder = Path.Combine(Root, name);
            if (File.Exists(Path.Combine(folder, ".complete")))
            {
                return folder;
            }

            string building = folder + ".building-" + Guid.NewGuid().ToString("N");
            Directory.CreateDirectory(building);
            try
            {
                create(building);
                File.WriteAllText(Path.Combine(building, ".complete"), DateTime.UtcNow.ToString("O"));
                if (Directory.Exists(folder))
                {
                    Directory.Delete(folder, recursive: true);
                }

                Directory.Move(building, folder);
            }
            finally
            {
                if (Directory.Exists(building))
                {
                    Directory.Delete(building, recursive: true);
                }
            }

            return folder;
        }
    }

    /// <summary>Command-line peers: one process per measured call, its wall time is the cost a script pays.</summary>
    internal static class CliTool
    {
        public static string? FindOnPath(string name)
        {
            string path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
            foreach (string directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                string candidate = Path.Combine(directory, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            return null;
        }

        public static string RequireOnPath(string name) =>
            FindOnPath(name) ?? throw new InvalidOperationException($"{name} is not on PATH; the CLI peer cannot be measured.");

        /// <summary>Runs a program to its end; throws when it fails. Returns the length of what it printed.</summary>
        public static int Run(string executable, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
        {
            var start = new ProcessStartInfo(executable)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (string argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            if (environment is not null)
            {
                foreach (KeyValuePair<string, string> variable in environment)
                {
                    start.Environment[variable.Key] = variable.Value;
                }
            }

            using Process process = Process.Start(start) ?? throw new InvalidOperationException($"{executable} did not start.");
            System.Threading.Tasks.Task<string> error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"{executable} {string.Join(" ", start.ArgumentList)} failed ({process.ExitCode}): {error.Result}{output}");
            }

            return output.Length + error.Result.Length;
        }
    }
}
