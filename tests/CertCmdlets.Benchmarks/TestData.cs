using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using CertCmdlets.Core;
using CertCmdlets.Core.Requests;

namespace CertCmdlets.Benchmarks
{
    /// <summary>Inputs shared by the benchmarks, made fresh in each benchmark process's GlobalSetup.</summary>
    internal static class TestData
    {
        public const string CommonName = "www.example.com";

        public const string Subject = "CN=" + CommonName;

        /// <summary>Options for a new request: "RSA-2048", "RSA-4096" or "ECDSA-P256".</summary>
        public static CertificateRequestOptions RequestOptions(string keyType)
        {
            var options = new CertificateRequestOptions { CommonName = CommonName };
            switch (keyType)
            {
                case "RSA-2048":
                    options.KeyAlgorithm = "RSA";
                    options.KeySize = 2048;
                    break;
                case "RSA-4096":
                    options.KeyAlgorithm = "RSA";
                    options.KeySize = 4096;
                    break;
                case "ECDSA-P256":
                    options.KeyAlgorithm = "ECDSA";
                    options.Curve = "P256";
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(keyType), keyType, "Unknown key type.");
            }

            return options;
        }

        /// <summary>A platform key of the given type; the caller disposes it.</summary>
        public static AsymmetricAlgorithm NativeKey(string keyType) => keyType switch
        {
            "RSA-2048" => RSA.Create(2048),
            "RSA-4096" => RSA.Create(4096),
            "ECDSA-P256" => ECDsa.Create(ECCurve.NamedCurves.nistP256),
            _ => throw new ArgumentOutOfRangeException(nameof(keyType), keyType, "Unknown key type."),
        };

        /// <summary>.NET's own CSR path, the same content as CreateRequest makes: CN plus the CN as a DNS SAN, SHA-256.</summary>
        public static byte[] NativeSigningRequest(AsymmetricAlgorithm key)
        {
            CertificateRequest request = key switch
            {
                RSA rsa => new CertificateRequest(Subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
                ECDsa ecdsa => new CertificateRequest(Subject, ecdsa, HashAlgorithmName.SHA256),
                _ => throw new ArgumentException("Only RSA and ECDSA keys.", nameof(key)),
            };
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName(CommonName);
            request.CertificateExtensions.Add(san.Build());
            return request.CreateSigningRequest();
        }

        /// <summary>A typical server certificate (RSA 2048, SHA-256, three DNS names, O/L/C subject) as PEM bytes, made by the module itself.</summary>
        public static byte[] TypicalCertificatePem()
        {
            var options = new CertificateRequestOptions
            {
                CommonName = CommonName,
                Organization = "Example Ltd",
                Locality = "London",
                Country = "GB",
                KeyAlgorithm = "RSA",
                KeySize = 2048,
            };
            options.DnsNames.Add("example.com");
            options.DnsNames.Add("mail.example.com");
            CertificateInfo certificate = CertificateRequestBuilder.CreateSelfSigned(options, 365, NullCoreLog.Instance);
            return Encoding.ASCII.GetBytes(certificate.ToPem());
        }

        /// <summary>
        /// A bundle of <paramref name="count"/> distinct server certificates (RSA 2048, SHA-256, SANs), as PEM bytes,
        /// and each certificate's DER. One key signs them all, so the setup stays quick.
        /// </summary>
        public static byte[] CertificateBundlePem(int count, out List<byte[]> ders)
        {
            ders = new List<byte[]>(count);
            var text = new StringBuilder(count * 1700);
            using RSA key = RSA.Create(2048);
            DateTimeOffset now = DateTimeOffset.UtcNow;
            for (int i = 0; i < count; i++)
            {
                string host = $"host{i:D3}.example.com";
                var request = new CertificateRequest($"CN={host}, O=Example Ltd, L=London, C=GB", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                var san = new SubjectAlternativeNameBuilder();
                san.AddDnsName(host);
                san.AddDnsName("example.com");
                request.CertificateExtensions.Add(san.Build());
                request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
                using X509Certificate2 certificate = request.CreateSelfSigned(now.AddHours(-1), now.AddDays(365));
                ders.Add(certificate.RawData);
                text.Append(certificate.ExportCertificatePem()).Append('\n');
            }

            return Encoding.ASCII.GetBytes(text.ToString());
        }

        /// <summary>A new file under the temporary folder holding <paramref name="content"/>.</summary>
        public static string WriteTempFile(string extension, byte[] content)
        {
            string path = Path.Combine(Path.GetTempPath(), $"certcmdlets-bench-{Guid.NewGuid():N}{extension}");
            File.WriteAllBytes(path, content);
            return path;
        }

        public static void DeleteQuietly(string? path)
        {
            if (path is not null && File.Exists(path))
            {
                File.Delete(path);
            }
        }
    }
}
