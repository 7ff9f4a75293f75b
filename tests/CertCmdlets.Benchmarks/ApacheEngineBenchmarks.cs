using System;
using System.Collections.Generic;
using System.IO;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using CertCmdlets.Core;
using CertCmdlets.Core.Apache;

namespace CertCmdlets.Benchmarks
{
    /// <summary>
    /// Set-ApacheSsl's core against the floor for anything that edits a configuration safely: httpd's own parse,
    /// <c>apache2 -t</c> (Debian's /usr/sbin/apache2, with the configuration's ServerRoot and, for the Debian tree, its
    /// envvars in the environment - the way the module runs it). Same generated configurations for all three methods:
    /// 5,000 and 20,000 VirtualHosts, in one httpd.conf and as a Debian tree with one site file each
    /// (<see cref="ApacheBenchConfig"/>). -WhatIf plans, diffs and stops; the real edit also stages, runs the one
    /// configuration test and writes (each iteration starts from the original files). Baseline: apache2 -t, so the
    /// Ratio column is the multiple of httpd's own parse. The configurations are made once per machine under
    /// /tmp/certcmdlets-bench-data/apache-engine-v2-* (delete them to make new ones).
    /// </summary>
    [Config(typeof(EngineConfig))]
    [MemoryDiagnoser]
    [MedianColumn]
    [MeanColumn]
    public class ApacheEngineBenchmarks
    {
        private const string Httpd = "/usr/sbin/apache2";
        private ApacheBenchConfig? _config;

        [Params(ApacheBenchLayout.SingleFile, ApacheBenchLayout.DebianTree)]
        public ApacheBenchLayout Layout { get; set; }

        [Params(5_000, 20_000)]
        public int Hosts { get; set; }

        [GlobalSetup]
        public void Setup()
        {
            // Made in place (not built elsewhere and moved, as SharedData does: the configuration holds absolute paths).
            string folder = Path.Combine(SharedData.Root, $"apache-engine-v2-{Layout}-{Hosts}");
            if (!File.Exists(Path.Combine(folder, ".complete")))
            {
                if (Directory.Exists(folder))
                {
                    Directory.Delete(folder, recursive: true);
                }

                ApacheBenchConfig.Create(Path.Combine(folder, "config"), Layout, Hosts).Restore();
                File.WriteAllText(Path.Combine(folder, ".complete"), DateTime.UtcNow.ToString("O"));
            }

            _config = ApacheBenchConfig.Open(Path.Combine(folder, "config"));
            _config.Restore();
            ApacheChangeResult result = Edit()!;
            if (!result.Changed || result.ConfigTest is null || !result.ConfigTest.Contains("Syntax OK", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("Set-ApacheSsl did not change and test the configuration: " + result.ConfigTest);
            }

            _config.Restore();
            Console.WriteLine($"// {Layout} {Hosts}: configuration bytes read by httpd: {ApacheEngineSizes.ConfigurationBytes(_config):N0}");
        }

        [IterationSetup]
        public void RestoreConfiguration() => _config!.Restore();

        [Benchmark(Baseline = true, Description = "apache2 -t (one configuration test, the floor)")]
        public int ConfigTest() => CliTool.Run(Httpd, _config!.ConfigTestArguments, _config.HttpdEnvironment);

        [Benchmark(Description = "Set-ApacheSsl -WhatIf (read, plan, diff)")]
        public ApacheChangeResult? WhatIf() => ApacheConfigurator.SetSsl(_config!.Options(Httpd), (_, _) => false, NullCoreLog.Instance);

        [Benchmark(Description = "Set-ApacheSsl (read, plan, stage, apache2 -t, write)")]
        public ApacheChangeResult? Edit() => ApacheConfigurator.SetSsl(_config!.Options(Httpd), (_, _) => true, NullCoreLog.Instance);
    }

    /// <summary>
    /// Whole commands of one to several seconds on 2 shared cores: one invocation per iteration (the IterationSetup puts
    /// the files back), 1 warm-up and 9 measured iterations per case, medians reported.
    /// </summary>
    public sealed class EngineConfig : ManualConfig
    {
        public EngineConfig()
        {
            AddJob(Job.Default
                .WithId("Engine")
                .WithWarmupCount(1)
                .WithIterationCount(9)
                .WithInvocationCount(1)
                .WithUnrollFactor(1));

            // The benchmark project is built before the run; on a busy shared machine that exceeds the default 120 s.
            WithBuildTimeout(TimeSpan.FromMinutes(15));
        }
    }

    /// <summary>How many bytes of configuration httpd reads for a generated configuration (every file the tree includes).</summary>
    internal static class ApacheEngineSizes
    {
        public static long ConfigurationBytes(ApacheBenchConfig config)
        {
            ConfigTree tree = ConfigTree.Load(config.MainConfig, config.ServerRoot, new Dictionary<string, string>(config.HttpdEnvironment));
            long total = 0;
            foreach (ConfigFile file in tree.Files)
            {
                total += System.Text.Encoding.UTF8.GetByteCount(file.OriginalText);
            }

            return total;
        }
    }
}
