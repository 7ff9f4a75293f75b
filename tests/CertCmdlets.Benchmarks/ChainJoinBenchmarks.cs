using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using BenchmarkDotNet.Attributes;
using CertCmdlets.Core;
using CertCmdlets.Core.Certificates;
using CertCmdlets.Core.Chains;

namespace CertCmdlets.Benchmarks
{
    /// <summary>
    /// The chain-building inputs: a root CA, an intermediate CA and a leaf it signed (ECDSA P-256, SKI and AKI set),
    /// and 10,000 other self-signed ECDSA P-256 CA certificates. Every 100th of those (1 %) is a decoy: it has the
    /// intermediate's subject name but its own key and no SKI, so only a signature check tells it from the real
    /// intermediate. pool-N.pem holds the intermediate, the first N others and the root.
    /// </summary>
    internal static class ChainTestFiles
    {
        public const int MaximumPoolSize = 10_000;

        public const int DecoyEvery = 100;

        public const string IntermediateSubject = "CN=Bench Intermediate CA, O=CertCmdlets Bench";

        public static readonly int[] PoolSizes = { 1_000, 10_000 };

        public static string Folder => SharedData.Folder("chain-v2", Create);

        public static string PoolPath(int size) => Path.Combine(Folder, $"pool-{size}.pem");

        public static string RootPath => Path.Combine(Folder, "root.pem");

        public static string LeafPath => Path.Combine(Folder, "leaf.pem");

        /// <summary>The leaf, and the pool of <paramref name="size"/> others plus intermediate and root, parsed once.</summary>
        public static (CertificateInfo Leaf, List<CertificateInfo> Pool) Load(int size)
        {
            CertificateInfo leaf = CertificateReader.Parse(File.ReadAllBytes(LeafPath), "leaf.pem")[0];
            List<CertificateInfo> pool = CertificateReader.Parse(File.ReadAllBytes(PoolPath(size)), "pool.pem");
            if (pool.Count != size + 2)
            {
                throw new InvalidOperationException($"pool-{size}.pem holds {pool.Count} certificates, not {size + 2}.");
            }

            return (leaf, pool);
        }

        private static void Create(string folder)
        {
            DateTimeOffset now = DateTimeOffset.UtcNow;
            using ECDsa rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using ECDsa intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using ECDsa leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

            var rootRequest = new CertificateRequest("CN=Bench Root CA, O=CertCmdlets Bench", rootKey, HashAlgorithmName.SHA256);
            AddAuthorityExtensions(rootRequest, null, withKeyId: true);
            using X509Certificate2 root = rootRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));

            var intermediateRequest = new CertificateRequest(IntermediateSubject, intermediateKey, HashAlgorithmName.SHA256);
            AddAuthorityExtensions(intermediateRequest, root, withKeyId: true);
            using X509Certificate2 intermediate = intermediateRequest.Create(root, now.AddDays(-1), now.AddYears(5), new byte[] { 0x10, 0x01 });

            var leafRequest = new CertificateRequest("CN=www.chain.bench.example, O=CertCmdlets Bench", leafKey, HashAlgorithmName.SHA256);
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName("www.chain.bench.example");
            leafRequest.CertificateExtensions.Add(san.Build());
            leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            leafRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
            leafRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
            leafRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(leafRequest.PublicKey, false));
            leafRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(intermediate, true, false));
            using X509Certificate2 intermediateWithKey = intermediate.CopyWithPrivateKey(intermediateKey);
            using X509Certificate2 leaf = leafRequest.Create(intermediateWithKey, now.AddDays(-1), now.AddYears(1), new byte[] { 0x20, 0x02 });

            File.WriteAllText(Path.Combine(folder, "root.pem"), root.ExportCertificatePem() + "\n");
            File.WriteAllText(Path.Combine(folder, "leaf.pem"), leaf.ExportCertificatePem() + "\n");

            var others = new List<string>(MaximumPoolSize);
            for (int i = 0; i < MaximumPoolSize; i++)
            {
                bool decoy = i % DecoyEvery == DecoyEvery / 2;
                using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                var request = new CertificateRequest(decoy ? IntermediateSubject : $"CN=Bench Pool CA {i:D5}, O=CertCmdlets Bench Pool", key, HashAlgorithmName.SHA256);
                AddAuthorityExtensions(request, null, withKeyId: !decoy);
                using X509Certificate2 certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(5));
                others.Add(certificate.ExportCertificatePem());
            }

            string intermediatePem = intermediate.ExportCertificatePem();
            string rootPem = root.ExportCertificatePem();
            foreach (int size in PoolSizes)
            {
                // The intermediate comes first and the root last. openssl needs the intermediate before the decoys:
                // among untrusted certificates it takes the first one whose name fits (and whose missing SKI does not
                // contradict the AKI) without checking the signature, and fails on a decoy. Join is order-independent.
                var text = new StringBuilder(size * 700);
                text.Append(intermediatePem).Append('\n');
                for (int i = 0; i < size; i++)
                {
                    text.Append(others[i]).Append('\n');
                }

                text.Append(rootPem).Append('\n');
                File.WriteAllText(Path.Combine(folder, $"pool-{size}.pem"), text.ToString());
            }
        }

        private static void AddAuthorityExtensions(CertificateRequest request, X509Certificate2? issuer, bool withKeyId)
        {
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, issuer is not null, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            if (withKeyId)
            {
                request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            }

            if (issuer is not null)
            {
                request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
            }
        }
    }

    /// <summary>
    /// Join-CertChain's core on a pool of 1,000 and 10,000 certificates, parsed once in setup. Join indexes the pool
    /// itself (a CertificatePool made inside each call), so its time includes that indexing: the cost a user sees.
    /// The two steps are also measured alone. Target: not quadratic (10x the pool, at most ~10x the time).
    /// </summary>
    [Config(typeof(SteadyConfig))]
    [MemoryDiagnoser]
    [MedianColumn]
    [MeanColumn]
    public class ChainJoinBenchmarks
    {
        private readonly ChainJoinOptions _options = new ChainJoinOptions();
        private CertificateInfo[] _leaf = Array.Empty<CertificateInfo>();
        private List<CertificateInfo> _pool = new List<CertificateInfo>();
        private CertificatePool? _indexed;

        [Params(1_000, 10_000)]
        public int PoolSize { get; set; } = 1_000;

        [GlobalSetup]
        public void Setup()
        {
            (CertificateInfo leaf, List<CertificateInfo> pool) = ChainTestFiles.Load(PoolSize);
            _leaf = new[] { leaf };
            _pool = pool;
            _indexed = Index(_pool);
            IReadOnlyList<CertificateInfo> joined = Join();
            if (joined.Count != 1 || joined[0].Chain.Length != 1 || joined[0].Chain[0].Subject != "CN=Bench Intermediate CA, O=CertCmdlets Bench")
            {
                throw new InvalidOperationException("Join did not find leaf -> intermediate (root left out).");
            }
        }

        [Benchmark(Baseline = true, Description = "CertCmdlets: ChainJoiner.Join (indexing included)")]
        public IReadOnlyList<CertificateInfo> Join()
        {
            return ChainJoiner.Join(_leaf, _pool, _options, NullCoreLog.Instance, default);
        }

        [Benchmark(Description = "Step: index the pool (new CertificatePool + Add)")]
        public int IndexOnly()
        {
            return Index(_pool).Count;
        }

        [Benchmark(Description = "Step: ChainBuilder.Build on the indexed pool")]
        public int BuildOnly()
        {
            return ChainBuilder.Build(_leaf[0], _indexed!, null).Issuers.Count;
        }

        private static CertificatePool Index(List<CertificateInfo> certificates)
        {
            var pool = new CertificatePool();
            foreach (CertificateInfo certificate in certificates)
            {
                pool.Add(certificate);
            }

            return pool;
        }
    }

    /// <summary>
    /// Chain building against the CLI on the same files: one <c>openssl verify -untrusted pool.pem -CAfile root.pem
    /// leaf.pem</c> process (baseline) against Join on the pool parsed once, and against reading pool.pem and
    /// joining (what openssl's process does: it reads the pool file too).
    /// </summary>
    [Config(typeof(ProcessConfig))]
    [MemoryDiagnoser]
    [MedianColumn]
    [MeanColumn]
    public class ChainCliBenchmarks
    {
        private readonly ChainJoinOptions _options = new ChainJoinOptions();
        private string _openssl = "openssl";
        private string _poolPath = string.Empty;
        private CertificateInfo[] _leaf = Array.Empty<CertificateInfo>();
        private List<CertificateInfo> _pool = new List<CertificateInfo>();

        [Params(1_000, 10_000)]
        public int PoolSize { get; set; } = 10_000;

        [GlobalSetup]
        public void Setup()
        {
            _openssl = CliTool.RequireOnPath("openssl");
            (CertificateInfo leaf, List<CertificateInfo> pool) = ChainTestFiles.Load(PoolSize);
            _leaf = new[] { leaf };
            _pool = pool;
            _poolPath = ChainTestFiles.PoolPath(PoolSize);
        }

        [Benchmark(Baseline = true, Description = "CLI: openssl verify -untrusted pool.pem -CAfile root.pem leaf.pem")]
        public int OpenSslVerify()
        {
            return CliTool.Run(_openssl, new[] { "verify", "-untrusted", _poolPath, "-CAfile", ChainTestFiles.RootPath, ChainTestFiles.LeafPath });
        }

        [Benchmark(Description = "CertCmdlets: Join (pool parsed in setup)")]
        public IReadOnlyList<CertificateInfo> Join()
        {
            return ChainJoiner.Join(_leaf, _pool, _options, NullCoreLog.Instance, default);
        }

        [Benchmark(Description = "CertCmdlets: CertificateReader.ReadFile(pool.pem) + Join")]
        public IReadOnlyList<CertificateInfo> ReadAndJoin()
        {
            IReadOnlyList<CertificateInfo> pool = CertificateReader.ReadFile(_poolPath);
            return ChainJoiner.Join(_leaf, pool, _options, NullCoreLog.Instance, default);
        }
    }
}
