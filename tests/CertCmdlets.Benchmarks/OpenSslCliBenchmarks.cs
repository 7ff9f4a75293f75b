using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using BenchmarkDotNet.Attributes;
using CertCmdlets.Core;
using CertCmdlets.Core.Certificates;

namespace CertCmdlets.Benchmarks
{
    /// <summary>
    /// Target 2, CLI peer: one openssl process per read, against reading the same files in process.
    /// Needs openssl on PATH; without it the setup fails with a message and the other benchmarks still run.
    /// </summary>
    [Config(typeof(ProcessConfig))]
    [MemoryDiagnoser]
    [MedianColumn]
    [MeanColumn]
    public class OpenSslCliBenchmarks
    {
        private string _openssl = "openssl";
        private string? _certificatePath;
        private string? _bundlePath;

        [GlobalSetup]
        public void Setup()
        {
            _openssl = FindOnPath("openssl") ?? throw new InvalidOperationException("openssl is not on PATH; the CLI peer cannot be measured.");
            _certificatePath = TestData.WriteTempFile(".pem", TestData.TypicalCertificatePem());
            _bundlePath = TestData.WriteTempFile(".pem", TestData.CertificateBundlePem(BundleReadBenchmarks.Count, out _));
        }

        [GlobalCleanup]
        public void Cleanup()
        {
            TestData.DeleteQuietly(_certificatePath);
            TestData.DeleteQuietly(_bundlePath);
        }

        [Benchmark(Baseline = true, Description = "CertCmdlets: CertificateReader.ReadFile (1 cert)")]
        public IReadOnlyList<CertificateInfo> CertCmdletsSingle()
        {
            return CertificateReader.ReadFile(_certificatePath!);
        }

        [Benchmark(Description = "CLI: openssl x509 -in cert.pem -noout")]
        public int OpenSslX509()
        {
            return Run("x509", "-in", _certificatePath!, "-noout");
        }

        [Benchmark(Description = "CertCmdlets: CertificateReader.ReadFile (100-cert bundle)")]
        public IReadOnlyList<CertificateInfo> CertCmdletsBundle()
        {
            return CertificateReader.ReadFile(_bundlePath!);
        }

        [Benchmark(Description = "CLI: openssl storeutl -noout -certs bundle.pem (100 certs)")]
        public int OpenSslStoreutlBundle()
        {
            return Run("storeutl", "-noout", "-certs", _bundlePath!);
        }

        private int Run(params string[] arguments)
        {
            var start = new ProcessStartInfo(_openssl)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (string argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using Process process = Process.Start(start) ?? throw new InvalidOperationException("openssl did not start.");
            string output = process.StandardOutput.ReadToEnd();
            string error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"openssl {string.Join(" ", arguments)} failed ({process.ExitCode}): {error}");
            }

            return output.Length;
        }

        private static string? FindOnPath(string name)
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
    }
}
