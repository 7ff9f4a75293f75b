using System;
using System.Diagnostics;
using System.IO;
using System.Text;
using CertCmdlets.Core;
using CertCmdlets.Core.Apache;

namespace CertCmdlets.Benchmarks
{
    /// <summary>
    /// A small console entry for whole-process measurements (hyperfine for time, <c>/usr/bin/time -v</c> for peak RSS),
    /// next to apache2 -t as its own process. Not a BenchmarkDotNet benchmark:
    /// <code>
    /// dotnet CertCmdlets.Benchmarks.dll apache generate DIR single|debian HOSTS   # makes DIR and DIR/configtest.sh
    /// dotnet CertCmdlets.Benchmarks.dll apache restore DIR                        # undoes an edit (hyperfine --prepare)
    /// dotnet CertCmdlets.Benchmarks.dll apache edit DIR [--whatif]                # one Set-ApacheSsl, then exits
    /// dotnet CertCmdlets.Benchmarks.dll apache steps DIR [RUNS]                   # milliseconds at each transaction step
    /// </code>
    /// </summary>
    internal static class ApacheWholeProcess
    {
        public const string Httpd = "/usr/sbin/apache2";

        public static int Run(string[] args)
        {
            if (args.Length < 3)
            {
                Console.Error.WriteLine("usage: apache generate DIR single|debian HOSTS | apache restore DIR | apache edit DIR [--whatif] | apache steps DIR [RUNS]");
                return 2;
            }

            string directory = Path.GetFullPath(args[2]);
            switch (args[1])
            {
                case "generate":
                {
                    ApacheBenchLayout layout = args[3] == "single" ? ApacheBenchLayout.SingleFile : ApacheBenchLayout.DebianTree;
                    ApacheBenchConfig config = ApacheBenchConfig.Create(directory, layout, int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture));
                    var script = new StringBuilder("#!/bin/sh\n# apache2 -t as the module runs it: envvars in the environment, -d ServerRoot -f main.\n");
                    foreach ((string name, string value) in config.HttpdEnvironment)
                    {
                        script.Append("export ").Append(name).Append("='").Append(value).Append("'\n");
                    }

                    script.Append("exec ").Append(Httpd).Append(" -t -d '").Append(config.ServerRoot).Append("' -f '").Append(config.MainConfig).Append("'\n");
                    string path = Path.Combine(directory, "configtest.sh");
                    File.WriteAllText(path, script.ToString());
                    if (!OperatingSystem.IsWindows())
                    {
                        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                    }
                    Console.WriteLine($"{config.Layout} {config.Hosts} hosts in {directory}: {ApacheEngineSizes.ConfigurationBytes(config):N0} configuration bytes; {config.ServerName}");
                    return 0;
                }

                case "restore":
                    ApacheBenchConfig.Open(directory).Restore();
                    return 0;

                case "edit":
                {
                    ApacheBenchConfig config = ApacheBenchConfig.Open(directory);
                    bool whatIf = Array.IndexOf(args, "--whatif") >= 0;
                    var clock = Stopwatch.StartNew();
                    ApacheChangeResult? result = ApacheConfigurator.SetSsl(config.Options(Httpd), (_, _) => !whatIf, NullCoreLog.Instance);
                    Console.WriteLine(result is null
                        ? $"-WhatIf: declined after {clock.ElapsedMilliseconds} ms"
                        : $"Changed={result.Changed} in {clock.ElapsedMilliseconds} ms; {result.ConfigTest?.Trim()}");
                    return 0;
                }

                case "steps":
                {
                    // Where a real edit's time goes: the transaction's steps with the milliseconds since the start,
                    // for N runs in this process (the first pays JIT and httpd -v/-l; the configuration is put back
                    // between runs).
                    ApacheBenchConfig config = ApacheBenchConfig.Open(directory);
                    int runs = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 3;
                    for (int run = 0; run < runs; run++)
                    {
                        config.Restore();
                        ApacheSslOptions options = config.Options(Httpd);
                        var clock = Stopwatch.StartNew();
                        var steps = new StringBuilder();
                        options.StepHook = step => steps.Append(' ').Append(step).Append('=').Append(clock.ElapsedMilliseconds);
                        ApacheChangeResult? result = ApacheConfigurator.SetSsl(options, (_, _) =>
                        {
                            steps.Append(" asked=").Append(clock.ElapsedMilliseconds);
                            return true;
                        }, NullCoreLog.Instance);
                        Console.WriteLine($"run {run + 1}: Changed={result?.Changed} total={clock.ElapsedMilliseconds} ms;{steps}");
                    }

                    config.Restore();
                    return 0;
                }

                default:
                    Console.Error.WriteLine("unknown apache command " + args[1]);
                    return 2;
            }
        }
    }
}
