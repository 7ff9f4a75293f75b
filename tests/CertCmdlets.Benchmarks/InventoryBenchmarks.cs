using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using CertCmdlets.Core;
using CertCmdlets.Core.Inventory;

namespace CertCmdlets.Benchmarks
{
    /// <summary>
    /// Issue 9: the inventory of a TLS tree of 1,000 and 10,000 files, as Export-CertPem lays sites out (cert.pem,
    /// chain.pem, fullchain.pem, key.pem per site; one site in five with an RSA key, the others ECDSA; one in four
    /// due), against the openssl shell loop an administrator writes (`for f in ...; do openssl x509 -checkend ...`), as
    /// a whole process, and against a bare .NET loop over X509Certificate2 in the same process. The tree is made once
    /// (see <see cref="SharedData"/>). Targets: 100x faster than the openssl loop, within 2x of the .NET loop, and the
    /// same allocation per file at both sizes (objects stream; nothing is kept).
    /// </summary>
    [Config(typeof(InventoryConfig))]
    [MemoryDiagnoser]
    [MedianColumn]
    [MeanColumn]
    public class InventoryBenchmarks
    {
        private static readonly TimeSpan s_checkEnd = TimeSpan.FromDays(30);
        private string _root = string.Empty;
        private string[] _files = Array.Empty<string>();

        /// <summary>Files in the tree (four per site).</summary>
        [Params(1_000, 10_000)]
        public int FileCount { get; set; }

        [GlobalSetup]
        public void Setup()
        {
            _root = SharedData.Folder($"inventory-{FileCount}", folder => InventoryTree.Make(folder, FileCount / 4));
            var files = new List<string>(Directory.EnumerateFiles(_root, "*.pem", SearchOption.AllDirectories));
            files.Sort(StringComparer.Ordinal);
            _files = files.ToArray();
            if (_files.Length != FileCount)
            {
                throw new InvalidOperationException($"The tree '{_root}' holds {_files.Length} files, not {FileCount}; delete it to make it again.");
            }
        }

        [Benchmark(Baseline = true, Description = "Native: X509Certificate2.CreateFromPemFile per file (bare loop)")]
        public int NativeLoop()
        {
            int due = 0;
            foreach (string file in Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories))
            {
                try
                {
                    using X509Certificate2 certificate = X509Certificate2.CreateFromPemFile(file);
                    due += certificate.NotAfter - DateTime.Now < s_checkEnd ? 1 : 0;
                }
                catch (CryptographicException)
                {
                    // A key file: no certificate in it.
                }
            }

            return due;
        }

        [Benchmark(Description = "Native: X509CertificateLoader.LoadCertificateFromFile per file (bare loop)")]
        public int NativeLoaderLoop()
        {
            int due = 0;
            foreach (string file in Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories))
            {
                try
                {
                    using X509Certificate2 certificate = X509CertificateLoader.LoadCertificateFromFile(file);
                    due += certificate.NotAfter - DateTime.Now < s_checkEnd ? 1 : 0;
                }
                catch (CryptographicException)
                {
                    // A key file.
                }
            }

            return due;
        }

        [Benchmark(Description = "CertCmdlets: inventory (one object per site, keys matched)")]
        public int Inventory() => Walk(findKeys: true);

        [Benchmark(Description = "CertCmdlets: inventory without key matching")]
        public int InventoryWithoutKeys() => Walk(findKeys: false);

        [Benchmark(Description = "CertCmdlets: pwsh -c Import-CertFile -Recurse (whole process)")]
        public int PwshImportCertFile()
        {
            string pwsh = Checkout.Pwsh ?? throw new InvalidOperationException("pwsh was not found (.tools/pwsh/pwsh or PATH).");
            string command = $"Import-Module '{Checkout.Manifest}'; (Import-CertFile -LiteralPath '{_root}' -Recurse -RenewRecommended | Measure-Object).Count";
            return CliTool.Run(pwsh, new[] { "-NoProfile", "-NonInteractive", "-Command", command });
        }

        private int Walk(bool findKeys)
        {
            var sink = new CountingSink();
            var inventory = new CertificateInventory(new InventoryOptions { Recurse = true, FindKeys = findKeys }, sink, CancellationToken.None);
            inventory.AddDirectory(_root);
            inventory.Complete();
            if (sink.FailedCount > 0)
            {
                throw new InvalidOperationException($"{sink.FailedCount} file(s) failed.");
            }

            return sink.Due;
        }

        /// <summary>Counts what a renewal script would look at, and keeps nothing.</summary>
        private sealed class CountingSink : IInventorySink
        {
            public int Due { get; private set; }

            public int FailedCount { get; private set; }

            public void Certificate(CertificateInfo certificate) => Due += certificate.RenewRecommended ? 1 : 0;

            public void Skipped(string path, string reason)
            {
            }

            public void Failed(CertCmdletsException error) => FailedCount++;

            public void Progress(int filesRead, string directory)
            {
            }
        }
    }

    /// <summary>
    /// A process per call is milliseconds to seconds; a 10,000-file loop of openssl processes is tens of seconds. One
    /// invocation per iteration, few iterations: every benchmark of the class in the same job, so ratios are of one run.
    /// </summary>
    public sealed class InventoryConfig : ManualConfig
    {
        public InventoryConfig()
        {
            AddJob(Job.Default
                .WithId("Inventory")
                .WithWarmupCount(1)
                .WithIterationCount(5)
                .WithInvocationCount(1)
                .WithUnrollFactor(1));
        }
    }

    /// <summary>
    /// The openssl shell loop over the 1,000-file tree of <see cref="InventoryBenchmarks"/>, in the same run. One openssl
    /// process per file makes its cost linear in the number of files (about 0.1 s a file on a loaded 2-core machine, so a
    /// 10,000-file loop would take more than a quarter of an hour per iteration); RESULTS-inventory.md scales the
    /// 1,000-file median to 10,000 files, and says so.
    /// </summary>
    [Config(typeof(OpenSslLoopConfig))]
    [MedianColumn]
    [MeanColumn]
    public class InventoryOpenSslLoopBenchmarks
    {
        private string _root = string.Empty;

        /// <summary>Files in the tree (four per site).</summary>
        [Params(1_000)]
        public int FileCount { get; set; }

        [GlobalSetup]
        public void Setup() => _root = SharedData.Folder($"inventory-{FileCount}", folder => InventoryTree.Make(folder, FileCount / 4));

        [Benchmark(Description = "CLI: bash loop of openssl x509 -checkend (whole process)")]
        public int OpenSslShellLoop()
        {
            string script = "for f in $(find \"$1\" -type f -name '*.pem' | sort); do openssl x509 -checkend 2592000 -noout -in \"$f\" >/dev/null 2>&1; done; exit 0";
            return CliTool.Run(CliTool.RequireOnPath("bash"), new[] { "-c", script, "inventory", _root });
        }
    }

    /// <summary>A minute or more per iteration: one warm-up, three iterations.</summary>
    public sealed class OpenSslLoopConfig : ManualConfig
    {
        public OpenSslLoopConfig()
        {
            AddJob(Job.Default
                .WithId("OpenSslLoop")
                .WithWarmupCount(1)
                .WithIterationCount(3)
                .WithInvocationCount(1)
                .WithUnrollFactor(1));
        }
    }

    /// <summary>The test tree: <c>site-NNNNN/{cert,chain,fullchain,key}.pem</c> under one internal CA.</summary>
    internal static class InventoryTree
    {
        public static void Make(string folder, int sites)
        {
            using ECDsa caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var caRequest = new CertificateRequest("CN=Bench Inventory CA, O=CertCmdlets", caKey, HashAlgorithmName.SHA256);
            caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            DateTimeOffset now = DateTimeOffset.UtcNow;
            using X509Certificate2 ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));
            string caPem = ca.ExportCertificatePem() + "\n";
            var rsaPool = new List<RSA>();
            for (int i = 0; i < 4; i++)
            {
                rsaPool.Add(RSA.Create(2048));
            }

            try
            {
                for (int site = 0; site < sites; site++)
                {
                    AsymmetricAlgorithm key = site % 5 == 0 ? rsaPool[site / 5 % rsaPool.Count] : ECDsa.Create(ECCurve.NamedCurves.nistP256);
                    string name = $"site{site:D5}.bench.example";
                    CertificateRequest request = key is RSA rsa
                        ? new CertificateRequest($"CN={name}, O=CertCmdlets Bench", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                        : new CertificateRequest($"CN={name}, O=CertCmdlets Bench", (ECDsa)key, HashAlgorithmName.SHA256);
                    var names = new SubjectAlternativeNameBuilder();
                    names.AddDnsName(name);
                    names.AddDnsName("www." + name);
                    request.CertificateExtensions.Add(names.Build());
                    request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
                    int days = site % 4 == 0 ? 20 : 365;
                    byte[] serial = BitConverter.GetBytes(site + 1L);
                    using X509Certificate2 leaf = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), now.AddDays(-1), now.AddDays(days), serial);
                    string directory = Path.Combine(folder, $"site-{site:D5}");
                    Directory.CreateDirectory(directory);
                    string leafPem = leaf.ExportCertificatePem() + "\n";
                    File.WriteAllText(Path.Combine(directory, "cert.pem"), leafPem);
                    File.WriteAllText(Path.Combine(directory, "chain.pem"), caPem);
                    File.WriteAllText(Path.Combine(directory, "fullchain.pem"), leafPem + caPem);
                    File.WriteAllText(Path.Combine(directory, "key.pem"), key.ExportPkcs8PrivateKeyPem() + "\n");
                    if (key is ECDsa)
                    {
                        key.Dispose();
                    }
                }
            }
            finally
            {
                rsaPool.ForEach(r => r.Dispose());
            }
        }
    }

    /// <summary>The checkout this benchmark runs from: its module manifest and the pwsh the tests use.</summary>
    internal static class Checkout
    {
        private static readonly Lazy<string> s_root = new Lazy<string>(() =>
        {
            for (DirectoryInfo? directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "CertCmdlets.psd1")))
                {
                    return directory.FullName;
                }
            }

            throw new InvalidOperationException("The checkout (CertCmdlets.psd1) was not found above " + AppContext.BaseDirectory);
        });

        public static string Manifest => Path.Combine(s_root.Value, "CertCmdlets.psd1");

        public static string? Pwsh
        {
            get
            {
                string tool = Path.Combine(s_root.Value, ".tools", "pwsh", "pwsh");
                return File.Exists(tool) ? tool : CliTool.FindOnPath("pwsh");
            }
        }
    }
}
