using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using CertCmdlets.Core.Keys;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Parameters;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;

namespace CertCmdlets.Benchmarks
{
    /// <summary>
    /// Profile of PrivateKey.FromNative for RSA, the step CreateRequest adds after the platform made the key:
    /// exporting the parameters, BouncyCastle's two key-parameter constructors, and, for comparison, the
    /// SubjectPublicKeyInfo built at the ASN.1 level from the same modulus and exponent.
    /// </summary>
    [Config(typeof(SteadyConfig))]
    [MemoryDiagnoser]
    [MedianColumn]
    [MeanColumn]
    public class RsaKeyConversionBenchmarks
    {
        private RSA? _rsa;
        private RSAParameters _parameters;
        private BcBigInteger _modulus = BcBigInteger.One;
        private BcBigInteger _exponent = BcBigInteger.One;

        [Params(2048, 4096)]
        public int KeySize { get; set; } = 2048;

        [GlobalSetup]
        public void Setup()
        {
            _rsa = RSA.Create(KeySize);
            _parameters = _rsa.ExportParameters(true);
            _modulus = new BcBigInteger(1, _parameters.Modulus!);
            _exponent = new BcBigInteger(1, _parameters.Exponent!);
        }

        [GlobalCleanup]
        public void Cleanup()
        {
            _rsa?.Dispose();
        }

        [Benchmark(Baseline = true, Description = "PrivateKey.FromNative (whole step)")]
        public object FromNative()
        {
            return PrivateKey.FromNative(_rsa!);
        }

        [Benchmark(Description = "RSA.ExportParameters(true)")]
        public RSAParameters Export()
        {
            return _rsa!.ExportParameters(true);
        }

        [Benchmark(Description = "new RsaPrivateCrtKeyParameters (BouncyCastle validates the modulus)")]
        public RsaPrivateCrtKeyParameters BouncyCastlePrivate()
        {
            RSAParameters p = _parameters;
            return new RsaPrivateCrtKeyParameters(
                _modulus, _exponent, new BcBigInteger(1, p.D!), new BcBigInteger(1, p.P!), new BcBigInteger(1, p.Q!),
                new BcBigInteger(1, p.DP!), new BcBigInteger(1, p.DQ!), new BcBigInteger(1, p.InverseQ!));
        }

        [Benchmark(Description = "new RsaKeyParameters(public) (validates again)")]
        public RsaKeyParameters BouncyCastlePublic()
        {
            return new RsaKeyParameters(false, _modulus, _exponent);
        }

        [Benchmark(Description = "SubjectPublicKeyInfo from RsaPublicKeyStructure (ASN.1 only, no validation)")]
        public SubjectPublicKeyInfo PublicKeyInfoAsn1()
        {
            var algorithm = new AlgorithmIdentifier(PkcsObjectIdentifiers.RsaEncryption, DerNull.Instance);
            return new SubjectPublicKeyInfo(algorithm, new RsaPublicKeyStructure(_modulus, _exponent));
        }
    }
}
