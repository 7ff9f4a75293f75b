using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using CertCmdlets.Core.Apache;
using Xunit;

namespace CertCmdlets.Core.Tests.Apache
{
    /// <summary>
    /// What the Apache engine tests share beyond <see cref="ApacheKit"/>: this assembly as a child process, fake httpd
    /// programs, httpd's own list of the files it includes, and the transaction's leftovers.
    /// </summary>
    internal static class ApacheEngineKit
    {
        public const string TransactionPrefix = ".certcmdlets-txn-";

        /// <summary>Starts this test assembly as a child process (see <see cref="ApacheChildProcess"/>) and waits for it.</summary>
        public static (int ExitCode, string Output) RunChild(TimeSpan timeout, params string[] arguments)
        {
            Process process = StartChild(arguments);
            return WaitChild(process, timeout);
        }

        public static Process StartChild(params string[] arguments)
        {
            string host = Environment.ProcessPath is string path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
            var start = new ProcessStartInfo(host) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(typeof(ApacheEngineKit).Assembly.Location);
            foreach (string argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            return Process.Start(start)!;
        }

        public static (int ExitCode, string Output) WaitChild(Process process, TimeSpan timeout)
        {
            using (process)
            {
                System.Threading.Tasks.Task<string> output = process.StandardOutput.ReadToEndAsync();
                System.Threading.Tasks.Task<string> error = process.StandardError.ReadToEndAsync();
                if (!process.WaitForExit((int)timeout.TotalMilliseconds))
                {
                    process.Kill(entireProcessTree: true);
                    throw new Xunit.Sdk.XunitException($"The child process did not finish within {timeout.TotalSeconds} s.");
                }

                process.WaitForExit();
                return (process.ExitCode, output.Result + error.Result);
            }
        }

        /// <summary>An executable shell script (a fake httpd), mode 0755 unless given.</summary>
        public static string Script(string path, string body, UnixFileMode? mode = null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, mode ?? (UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute));
            }
            return path;
        }

        /// <summary>
        /// A fake httpd that answers -v and -l like Debian's and says "Syntax OK" to -t, writing each call's arguments
        /// to <paramref name="calls"/>.
        /// </summary>
        public static string FakeHttpd(string path, string calls, UnixFileMode? mode = null) => Script(path,
            $"echo \"$@\" >> '{calls}'\n" +
            "case \"$1\" in\n" +
            "  -v) echo 'Server version: Apache/2.4.99 (Fake)';;\n" +
            "  -l) printf 'Compiled in modules:\\n  core.c\\n  mod_so.c\\n  http_core.c\\n';;\n" +
            "  *) echo 'Syntax OK';;\n" +
            "esac", mode);

        /// <summary>The files httpd reads, in its order, as <c>apache2 -t -D DUMP_INCLUDES</c> lists them (with the -D names given).</summary>
        public static List<string> HttpdIncludes(string serverRoot, string main, IEnumerable<string>? defines = null, IReadOnlyDictionary<string, string>? environment = null)
        {
            var start = new ProcessStartInfo(ApacheHttpd.Executable) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string define in defines ?? Array.Empty<string>())
            {
                start.ArgumentList.Add("-D");
                start.ArgumentList.Add(define);
            }

            foreach (string argument in new[] { "-t", "-D", "DUMP_INCLUDES", "-d", serverRoot, "-f", main })
            {
                start.ArgumentList.Add(argument);
            }

            foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
            {
                start.Environment[name] = value;
            }

            using Process process = Process.Start(start)!;
            System.Threading.Tasks.Task<string> error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            Assert.True(process.WaitForExit(60_000));
            Assert.True(process.ExitCode == 0, $"apache2 -t -D DUMP_INCLUDES failed ({process.ExitCode}): {output}{error.Result}");
            return output.Split('\n')
                .Select(l => l.Trim())
                .Where(l => l.StartsWith("(", StringComparison.Ordinal))
                .Select(l => l.Substring(l.IndexOf(')', StringComparison.Ordinal) + 1).Trim())
                .ToList();
        }

        /// <summary>The files the tree reads, in httpd's order (a file included twice listed twice), as paths opened.</summary>
        public static List<string> TreeIncludes(ConfigTree tree)
        {
            var paths = new List<string> { tree.Main.Path };
            tree.Refresh();
            AddIncludes(tree.Main, paths, new HashSet<ConfigFile>());
            return paths;
        }

        /// <summary>The transaction folders under a ServerRoot (a finished or recovered run leaves none).</summary>
        public static string[] TransactionFolders(string serverRoot) =>
            Directory.GetDirectories(serverRoot, TransactionPrefix + "*");

        public static string Text(params string[] lines) => ApacheKit.Text(lines);

        private static void AddIncludes(ConfigFile file, List<string> paths, HashSet<ConfigFile> expanded)
        {
            bool first = expanded.Add(file);
            foreach (ConfigNode node in file.AllNodes())
            {
                if (node is ConfigDirective directive && directive.IsActive && directive.Included.Count > 0)
                {
                    for (int i = 0; i < directive.Included.Count; i++)
                    {
                        paths.Add(directive.IncludedPaths[i]);
                        if (first)
                        {
                            AddIncludes(directive.Included[i], paths, expanded);
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// What this test assembly does when started as a child process (<see cref="TestProgram"/>):
    /// <list type="bullet">
    /// <item><c>apache-crash CONFIG SERVERNAME CERT KEY HTTPD STEP</c>: Set-ApacheSsl that kills its own process
    /// (SIGKILL, as kill -9) when the transaction reaches STEP; exit 0 if the step never came.</item>
    /// <item><c>apache-setssl CONFIG SERVERNAME PORT CERT KEY HTTPD</c>: one Set-ApacheSsl; prints "Changed=..." or the ErrorId.</item>
    /// </list>
    /// Either may begin with <c>--umask OCTAL</c>, which sets the process umask first.
    /// </summary>
    internal static class ApacheChildProcess
    {
        public static int Run(string[] args)
        {
            int at = 0;
            if (args.Length > 2 && args[0] == "--umask")
            {
                Umask(Convert.ToInt32(args[1], 8));
                at = 2;
            }

            string command = args[at];
            string[] rest = args.Skip(at + 1).ToArray();
            var log = new Infrastructure.RecordingLog();
            try
            {
                switch (command)
                {
                    case "apache-crash":
                    {
                        ApacheSslOptions options = Options(rest[0], rest[1], 443, rest[2], rest[3], rest[4]);
                        string step = rest[5];
                        options.StepHook = name =>
                        {
                            if (name == step)
                            {
                                Console.Out.Flush();
                                Process.GetCurrentProcess().Kill();
                            }
                        };
                        ApacheChangeResult? result = ApacheConfigurator.SetSsl(options, (_, _) => true, log);
                        Console.WriteLine("Changed=" + result?.Changed);
                        return 0;
                    }

                    case "apache-setssl":
                    {
                        ApacheSslOptions options = Options(rest[0], rest[1], int.Parse(rest[2], System.Globalization.CultureInfo.InvariantCulture), rest[3], rest[4], rest[5]);
                        ApacheChangeResult? result = ApacheConfigurator.SetSsl(options, (_, _) => true, log);
                        Console.WriteLine("Changed=" + result?.Changed + " Backups=" + result?.BackupDirectory);
                        return 0;
                    }

                    default:
                        Console.Error.WriteLine("unknown command " + command);
                        return 2;
                }
            }
            catch (CertCmdletsException ex)
            {
                Console.WriteLine("ErrorId=" + ex.ErrorId + ": " + ex.Message);
                return 1;
            }
        }

        private static ApacheSslOptions Options(string config, string serverName, int port, string certificate, string key, string httpd) => new ApacheSslOptions
        {
            ConfigPath = config,
            ServerRoot = Directory.Exists(config) ? config : null,
            ServerName = serverName,
            Port = port,
            CertificateFile = certificate,
            KeyFile = key,
            HttpdPath = httpd,
        };

        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "umask")]
        private static extern int Umask(int mask);
    }
}
