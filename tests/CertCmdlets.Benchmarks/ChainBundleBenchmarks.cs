using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using CertCmdlets.Core;
using CertCmdlets.Core.Certificates;
using CertCmdlets.Core.Chains;

namespace CertCmdlets.Benchmarks
{
    /// <summary>
    /// Issue 16's bundles: one PEM file of N certificates (N = 1,000, 10,000, 100,000): an intermediate, a root, 1 %
    /// impostors with the intermediate's name and their own keys, and leaves the intermediate signed (ECDSA P-256, AKI
    /// set, one leaf key shared so making 100,000 takes seconds). Made once per machine, under the temp folder.
    /// </summary>
    internal static class ChainBundleFiles
    {
        public const string IntermediateSubject = "CN=Bundle Intermediate CA, O=CertCmdlets Bench";

        public static readonly int[] Sizes = { 1_000, 10_000, 100_000 };

        public static string Folder => SharedData.Folder("chain-bundles-v2", Create);

        public static string BundlePath(int size) => Path.Combine(Folder, $"bundle-{size}.pem");

        public static string RootPath => Path.Combine(Folder, "root.pem");

        public static string LeafPath => Path.Combine(Folder, "leaf.pem");

        private static void Create(string folder)
        {
            DateTimeOffset now = DateTimeOffset.UtcNow;
            using ECDsa rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using ECDsa intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using ECDsa leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var rootRequest = new CertificateRequest("CN=Bundle Root CA, O=CertCmdlets Bench", rootKey, HashAlgorithmName.SHA256);
            AddAuthority(rootRequest, null);
            using X509Certificate2 root = rootRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));
            var intermediateRequest = new CertificateRequest(IntermediateSubject, intermediateKey, HashAlgorithmName.SHA256);
            AddAuthority(intermediateRequest, root);
            using X509Certificate2 intermediate = intermediateRequest.Create(root, now.AddDays(-1), now.AddYears(5), new byte[] { 0x10, 0x01 });
            using X509Certificate2 signer = intermediate.CopyWithPrivateKey(intermediateKey);
            X509Extension authorityKeyId = X509AuthorityKeyIdentifierExtension.CreateFromCertificate(intermediate, true, false);

            int largest = Sizes.Max();
            var others = new List<string>(largest);
            for (int i = 0; i < largest; i++)
            {
                if (i % 100 == 50)
                {
                    // An impostor: the intermediate's name, its own key, no key identifier.
                    using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                    var impostor = new CertificateRequest(IntermediateSubject, key, HashAlgorithmName.SHA256);
                    impostor.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
                    using X509Certificate2 fake = impostor.CreateSelfSigned(now.AddDays(-1), now.AddYears(5));
                    others.Add(fake.ExportCertificatePem());
                    continue;
                }

                // Small leaves (name and authority key identifier, ~470 bytes of PEM), so 100,000 make a 47 MB file
                // like the 46 MB bundle, under the module's 64 MiB input cap.
                var request = new CertificateRequest($"CN=h{i:D6}.example", leafKey, HashAlgorithmName.SHA256);
                request.CertificateExtensions.Add(authorityKeyId);
                using X509Certificate2 leaf = request.Create(signer, now.AddDays(-1), now.AddYears(1), BitConverter.GetBytes(i + 1));
                others.Add(leaf.ExportCertificatePem());
            }

            File.WriteAllText(Path.Combine(folder, "root.pem"), root.ExportCertificatePem() + "\n");
            File.WriteAllText(Path.Combine(folder, "leaf.pem"), others[0] + "\n");
            foreach (int size in Sizes)
            {
                // The intermediate first (openssl takes the first untrusted certificate whose name fits), the root last.
                var text = new StringBuilder(size * 800);
                text.Append(intermediate.ExportCertificatePem()).Append('\n');
                foreach (string pem in others.Take(size - 2))
                {
                    text.Append(pem).Append('\n');
                }

                text.Append(root.ExportCertificatePem()).Append('\n');
                File.WriteAllText(Path.Combine(folder, $"bundle-{size}.pem"), text.ToString());
            }
        }

        private static void AddAuthority(CertificateRequest request, X509Certificate2? issuer)
        {
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            if (issuer is not null)
            {
                request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
            }
        }
    }

    /// <summary>Seconds per operation at 100,000 certificates: one invocation per iteration, three iterations, no warm-up (the jitting run warms).</summary>
    public sealed class BundleConfig : ManualConfig
    {
        public BundleConfig()
        {
            AddJob(Job.Default
                .WithId("Bundle")
                .WithWarmupCount(0)
                .WithIterationCount(3)
                .WithInvocationCount(1)
                .WithUnrollFactor(1));
        }
    }

    /// <summary>
    /// Test-CertChain on a whole bundle (every leaf tested: what took 3.7 s at 1,000 and ran past 51 minutes at 100,000
    /// before), Join-CertChain of one leaf against the bundle as its pool, and the peer: one
    /// <c>openssl verify -untrusted bundle.pem -CAfile root.pem leaf.pem</c> process, which reads and indexes the same
    /// bundle for one leaf (the same work as the Join measurement plus process start).
    /// </summary>
    [Config(typeof(BundleConfig))]
    [MemoryDiagnoser]
    [MedianColumn]
    [MeanColumn]
    public class ChainBundleBenchmarks
    {
        private string _openssl = "openssl";
        private List<CertificateInfo> _bundle = new List<CertificateInfo>();
        private CertificateInfo[] _roots = Array.Empty<CertificateInfo>();
        private CertificateInfo[] _leaf = Array.Empty<CertificateInfo>();

        [Params(1_000, 10_000, 100_000)]
        public int BundleSize { get; set; } = 1_000;

        [GlobalSetup]
        public void Setup()
        {
            _openssl = CliTool.RequireOnPath("openssl");
            _bundle = CertificateReader.Parse(File.ReadAllBytes(ChainBundleFiles.BundlePath(BundleSize)), "bundle.pem");
            _roots = CertificateReader.Parse(File.ReadAllBytes(ChainBundleFiles.RootPath), "root.pem").ToArray();
            _leaf = CertificateReader.Parse(File.ReadAllBytes(ChainBundleFiles.LeafPath), "leaf.pem").ToArray();
            if (_bundle.Count != BundleSize || ReadAndJoinOne() != 1)
            {
                throw new InvalidOperationException($"bundle-{BundleSize}.pem holds {_bundle.Count} certificates, or the leaf's chain was not found.");
            }

            if (BundleSize == ChainBundleFiles.Sizes[0])
            {
                Check();
            }
        }

        /// <summary>Checks, outside the timings, that every leaf of the 1,000 bundle tests clean (so the timings are of real work).</summary>
        public static void Check()
        {
            List<CertificateInfo> bundle = CertificateReader.Parse(File.ReadAllBytes(ChainBundleFiles.BundlePath(1_000)), "bundle.pem");
            IReadOnlyList<ChainTestResult> results = ChainTester.TestAll(bundle, CertificateReader.Parse(File.ReadAllBytes(ChainBundleFiles.RootPath), "root.pem"), null);
            if (results.Count != bundle.Count(c => !c.IsCertificateAuthority) || results.Any(r => !r.IsValid))
            {
                throw new InvalidOperationException("TestAll did not find every leaf of bundle-1000.pem valid.");
            }
        }

        [Benchmark(Description = "CertCmdlets: Test-CertChain core on the bundle (every leaf; ChainTester.TestAll)")]
        public IReadOnlyList<ChainTestResult> TestBundle() => ChainTester.TestAll(_bundle, _roots, null);

        [Benchmark(Description = "CertCmdlets: read bundle.pem + Join one leaf against it")]
        public int ReadAndJoinOne() =>
            ChainJoiner.Join(_leaf, CertificateReader.ReadFile(ChainBundleFiles.BundlePath(BundleSize)), new ChainJoinOptions(), NullCoreLog.Instance, default)[0].Chain.Length;

        [Benchmark(Baseline = true, Description = "CLI: openssl verify -untrusted bundle.pem -CAfile root.pem leaf.pem")]
        public int OpenSslVerifyOne() =>
            CliTool.Run(_openssl, new[] { "verify", "-untrusted", ChainBundleFiles.BundlePath(BundleSize), "-CAfile", ChainBundleFiles.RootPath, ChainBundleFiles.LeafPath });
    }
}
