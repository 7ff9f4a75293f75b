using System.Collections.Generic;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using BenchmarkDotNet.Attributes;
using CertCmdlets.Core;
using CertCmdlets.Core.Certificates;

namespace CertCmdlets.Benchmarks
{
    /// <summary>
    /// Target 2: one typical PEM certificate, ours against .NET's loaders on the same bytes.
    /// Target: 50,000 certificates per second once warm (20 us or less each).
    /// </summary>
    [Config(typeof(SteadyConfig))]
    [MemoryDiagnoser]
    [MedianColumn]
    [MeanColumn]
    public class SingleCertificateReadBenchmarks
    {
        private byte[] _pem = System.Array.Empty<byte>();
        private byte[] _der = System.Array.Empty<byte>();

        [GlobalSetup]
        public void Setup()
        {
            _pem = TestData.TypicalCertificatePem();
            _der = CertificateReader.Parse(_pem, "setup")[0].RawData;
        }

        [Benchmark(Baseline = true, Description = "Native: X509CertificateLoader.LoadCertificate(PEM bytes)")]
        public int NativeLoaderPem()
        {
            using X509Certificate2 certificate = X509CertificateLoader.LoadCertificate(_pem);
            return certificate.RawData.Length;
        }

#pragma warning disable SYSLIB0057 // The obsolete constructor is what the issue names; measured for comparison only.
        [Benchmark(Description = "Native: new X509Certificate2(PEM bytes)")]
        public int NativeConstructorPem()
        {
            using var certificate = new X509Certificate2(_pem);
            return certificate.RawData.Length;
        }
#pragma warning restore SYSLIB0057

        [Benchmark(Description = "Native: X509Certificate2.CreateFromPem (ASCII decode included)")]
        public int NativeCreateFromPem()
        {
            using X509Certificate2 certificate = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(_pem));
            return certificate.RawData.Length;
        }

        [Benchmark(Description = "Native: X509CertificateLoader.LoadCertificate(DER)")]
        public int NativeLoaderDer()
        {
            using X509Certificate2 certificate = X509CertificateLoader.LoadCertificate(_der);
            return certificate.RawData.Length;
        }

        [Benchmark(Description = "Native: LoadCertificate(PEM) + the fields CertificateInfo fills")]
        public int NativeLoaderPemWithFields()
        {
            using X509Certificate2 certificate = X509CertificateLoader.LoadCertificate(_pem);
            int length = certificate.Subject.Length + certificate.Issuer.Length + certificate.Thumbprint.Length + certificate.SerialNumber.Length;
            length += certificate.NotBefore.Day + certificate.NotAfter.Day + certificate.SignatureAlgorithm.FriendlyName!.Length + certificate.PublicKey.Oid.Value!.Length;
            foreach (X509Extension extension in certificate.Extensions)
            {
                if (extension is X509SubjectAlternativeNameExtension san)
                {
                    foreach (string name in san.EnumerateDnsNames())
                    {
                        length += name.Length;
                    }
                }
                else if (extension is X509BasicConstraintsExtension basicConstraints && basicConstraints.CertificateAuthority)
                {
                    length++;
                }
            }

            return length;
        }

        [Benchmark(Description = "CertCmdlets: CertificateReader.Parse(PEM bytes)")]
        public List<CertificateInfo> CertCmdlets()
        {
            return CertificateReader.Parse(_pem, "bench");
        }
    }

    /// <summary>Target 2: a 100-certificate PEM bundle. Times are per certificate (OperationsPerInvoke = 100).</summary>
    [Config(typeof(SteadyConfig))]
    [MemoryDiagnoser]
    [MedianColumn]
    [MeanColumn]
    public class BundleReadBenchmarks
    {
        public const int Count = 100;

        private byte[] _pem = System.Array.Empty<byte>();
        private List<byte[]> _ders = new List<byte[]>();

        [GlobalSetup]
        public void Setup()
        {
            _pem = TestData.CertificateBundlePem(Count, out _ders);
        }

        [Benchmark(Baseline = true, OperationsPerInvoke = Count, Description = "Native: X509Certificate2Collection.ImportFromPem (ASCII decode included)")]
        public int NativeImportFromPem()
        {
            var collection = new X509Certificate2Collection();
            collection.ImportFromPem(Encoding.ASCII.GetString(_pem));
            int total = 0;
            foreach (X509Certificate2 certificate in collection)
            {
                total += certificate.RawData.Length;
                certificate.Dispose();
            }

            return total;
        }

        [Benchmark(OperationsPerInvoke = Count, Description = "Native: X509CertificateLoader.LoadCertificate per DER")]
        public int NativeLoaderDer()
        {
            int total = 0;
            foreach (byte[] der in _ders)
            {
                using X509Certificate2 certificate = X509CertificateLoader.LoadCertificate(der);
                total += certificate.RawData.Length;
            }

            return total;
        }

        [Benchmark(OperationsPerInvoke = Count, Description = "CertCmdlets: CertificateReader.Parse(bundle)")]
        public List<CertificateInfo> CertCmdlets()
        {
            return CertificateReader.Parse(_pem, "bench");
        }
    }
}
