using System.IO;
using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using CertCmdlets.Core;
using CertCmdlets.Core.Keys;
using CertCmdlets.Core.Requests;

namespace CertCmdlets.Benchmarks
{
    /// <summary>
    /// Target 1, RSA: New-CertRequest's core (new key + signed CSR) against .NET's RSA.Create + CertificateRequest.
    /// Target: within 1.2x of native. Both sides are dominated by OpenSSL's prime search.
    /// </summary>
    [Config(typeof(KeyGenerationConfig))]
    [MemoryDiagnoser]
    [MedianColumn]
    [MeanColumn]
    public class RsaRequestBenchmarks
    {
        private CertificateRequestOptions _options = new CertificateRequestOptions();

        [Params("RSA-2048", "RSA-4096")]
        public string KeyType { get; set; } = "RSA-2048";

        [GlobalSetup]
        public void Setup()
        {
            _options = TestData.RequestOptions(KeyType);
        }

        [Benchmark(Baseline = true, Description = "Native: RSA.Create + CertificateRequest")]
        public byte[] Native()
        {
            using AsymmetricAlgorithm key = TestData.NativeKey(KeyType);
            return TestData.NativeSigningRequest(key);
        }

        [Benchmark(Description = "CertCmdlets: CreateRequest")]
        public CertificateRequestInfo CertCmdlets()
        {
            return CertificateRequestBuilder.CreateRequest(_options, NullCoreLog.Instance);
        }
    }

    /// <summary>Target 1, ECDSA P-256: new key + signed CSR. Target: under 1 ms.</summary>
    [Config(typeof(SteadyConfig))]
    [MemoryDiagnoser]
    [MedianColumn]
    [MeanColumn]
    public class EcdsaRequestBenchmarks
    {
        private readonly CertificateRequestOptions _options = TestData.RequestOptions("ECDSA-P256");

        [Benchmark(Baseline = true, Description = "Native: ECDsa.Create + CertificateRequest")]
        public byte[] Native()
        {
            using AsymmetricAlgorithm key = TestData.NativeKey("ECDSA-P256");
            return TestData.NativeSigningRequest(key);
        }

        [Benchmark(Description = "CertCmdlets: CreateRequest")]
        public CertificateRequestInfo CertCmdlets()
        {
            return CertificateRequestBuilder.CreateRequest(_options, NullCoreLog.Instance);
        }
    }

    /// <summary>
    /// Everything in CreateRequest except the key generation, without the prime-search noise: a request for a key
    /// that already exists in a PKCS#8 PEM file (New-CertRequest -KeyPath), against .NET reading the same file.
    /// </summary>
    [Config(typeof(SteadyConfig))]
    [MemoryDiagnoser]
    [MedianColumn]
    [MeanColumn]
    public class ExistingKeyRequestBenchmarks
    {
        private string? _keyPath;
        private CertificateRequestOptions _options = new CertificateRequestOptions();

        [Params("RSA-2048", "RSA-4096", "ECDSA-P256")]
        public string KeyType { get; set; } = "RSA-2048";

        [GlobalSetup]
        public void Setup()
        {
            using AsymmetricAlgorithm key = TestData.NativeKey(KeyType);
            _keyPath = TestData.WriteTempFile(".key", Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem()));
            _options = new CertificateRequestOptions { CommonName = TestData.CommonName, ExistingKeyPath = _keyPath };
        }

        [GlobalCleanup]
        public void Cleanup()
        {
            TestData.DeleteQuietly(_keyPath);
        }

        [Benchmark(Baseline = true, Description = "Native: ImportFromPem + CertificateRequest")]
        public byte[] Native()
        {
            string pem = File.ReadAllText(_keyPath!);
            using AsymmetricAlgorithm key = KeyType.StartsWith("RSA", System.StringComparison.Ordinal) ? RSA.Create() : ECDsa.Create();
            key.ImportFromPem(pem);
            return TestData.NativeSigningRequest(key);
        }

        [Benchmark(Description = "CertCmdlets: CreateRequest -KeyPath")]
        public CertificateRequestInfo CertCmdlets()
        {
            return CertificateRequestBuilder.CreateRequest(_options, NullCoreLog.Instance);
        }
    }

    /// <summary>
    /// The steps CreateRequest adds around the platform's key generation, each on a key generated once in setup,
    /// against .NET's whole CSR for that same key. Explains where the non-keygen time of CreateRequest goes.
    /// </summary>
    [Config(typeof(SteadyConfig))]
    [MemoryDiagnoser]
    [MedianColumn]
    [MeanColumn]
    public class RequestStepBenchmarks
    {
        private static readonly byte[] s_toBeSigned = new byte[400];

        private AsymmetricAlgorithm? _nativeKey;
        private PrivateKey? _key;

        [Params("RSA-2048", "RSA-4096", "ECDSA-P256")]
        public string KeyType { get; set; } = "RSA-2048";

        [GlobalSetup]
        public void Setup()
        {
            _nativeKey = TestData.NativeKey(KeyType);
            _key = PrivateKey.FromNative(_nativeKey);
        }

        [GlobalCleanup]
        public void Cleanup()
        {
            _nativeKey?.Dispose();
        }

        [Benchmark(Baseline = true, Description = "Native: CertificateRequest, existing key")]
        public byte[] NativeCsr()
        {
            return TestData.NativeSigningRequest(_nativeKey!);
        }

        [Benchmark(Description = "CertCmdlets step: PrivateKey.FromNative (export + BouncyCastle key + SPKI)")]
        public object WrapNativeKey()
        {
            return PrivateKey.FromNative(_nativeKey!);
        }

        [Benchmark(Description = "CertCmdlets step: PrivateKey.Sign (400 bytes)")]
        public byte[] Sign()
        {
            return _key!.Sign(s_toBeSigned, HashAlgorithmName.SHA256);
        }
    }
}
