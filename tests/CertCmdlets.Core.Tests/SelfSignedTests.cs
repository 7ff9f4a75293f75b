using System;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CertCmdlets.Core.Keys;
using CertCmdlets.Core.Requests;
using CertCmdlets.Core.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Core.Tests
{
    /// <summary>Self-signed certificates, judged by openssl x509/verify and by X509Certificate2.</summary>
    public sealed class SelfSignedTests : IDisposable
    {
        private readonly TempDirectory _temp = new TempDirectory();

        public void Dispose() => _temp.Dispose();

        [OpenSslTheory]
        [InlineData("RSA", "Digital Signature, Key Encipherment")]
        [InlineData("ECDSA", "Digital Signature")]
        public void SelfSigned_HasServerExtensions(string keyAlgorithm, string expectedKeyUsage)
        {
            CertificateInfo certificate = CreateSelfSigned(keyAlgorithm, 30);
            _temp.WriteText("self.crt", certificate.ToPem());

            string text = OpenSsl.Expect(_temp.Path, "x509", "-in", "self.crt", "-noout", "-text").Output;

            Assert.Equal("TLS Web Server Authentication", OpenSslMaker.ExtensionValue(text, "X509v3 Extended Key Usage", out _));
            Assert.Equal("CA:FALSE", OpenSslMaker.ExtensionValue(text, "X509v3 Basic Constraints", out bool basicCritical));
            Assert.True(basicCritical);
            Assert.Equal(expectedKeyUsage, OpenSslMaker.ExtensionValue(text, "X509v3 Key Usage", out bool usageCritical));
            Assert.True(usageCritical);
            Assert.Equal(new[] { "DNS:www.example.com", "DNS:example.com", "IP Address:192.0.2.10" }, OpenSslMaker.SubjectAltNames(text));

            // SKI is the SHA-1 of the public key bits (RFC 5280 method 1); the AKI of a self-signed certificate names the same key.
            byte[] publicKeyBits = certificate.Certificate.PublicKey.EncodedKeyValue.RawData;
            string expectedKeyId = BitConverter.ToString(SHA1.HashData(publicKeyBits)).Replace('-', ':');
            Assert.Equal(expectedKeyId, OpenSslMaker.ExtensionValue(text, "X509v3 Subject Key Identifier", out _));
            Assert.EndsWith(expectedKeyId, OpenSslMaker.ExtensionValue(text, "X509v3 Authority Key Identifier", out _), StringComparison.Ordinal);

            Assert.False(certificate.IsCertificateAuthority);
            Assert.True(certificate.HasPrivateKey);
        }

        [OpenSslTheory]
        [InlineData("RSA")]
        [InlineData("ECDSA")]
        public void SelfSigned_VerifiesAgainstItself(string keyAlgorithm)
        {
            CertificateInfo certificate = CreateSelfSigned(keyAlgorithm, 30);
            _temp.WriteText("self.crt", certificate.ToPem());

            OpenSslResult result = OpenSsl.Expect(_temp.Path, "verify", "-CAfile", "self.crt", "-purpose", "sslserver", "self.crt");

            Assert.Contains("self.crt: OK", result.Output, StringComparison.Ordinal);
        }

        [OpenSslFact]
        public void VerifyCheck_RejectsACertificateSignedByAnotherKey()
        {
            // The verification above must be able to fail: a certificate is not its own trust anchor for a stranger.
            CertificateInfo first = CreateSelfSigned("ECDSA", 30);
            CertificateInfo second = CreateSelfSigned("ECDSA", 30);
            _temp.WriteText("first.crt", first.ToPem());
            _temp.WriteText("second.crt", second.ToPem());

            OpenSslResult result = OpenSsl.Run(_temp.Path, "verify", "-CAfile", "first.crt", "second.crt");

            Assert.NotEqual(0, result.ExitCode);
        }

        [OpenSslTheory]
        [InlineData(1)]
        [InlineData(90)]
        [InlineData(3650)]
        public void SelfSigned_ValidityIsValidDays(int validDays)
        {
            DateTime before = DateTime.UtcNow;
            CertificateInfo certificate = CreateSelfSigned("ECDSA", validDays);
            DateTime after = DateTime.UtcNow;
            _temp.WriteText("self.crt", certificate.ToPem());

            string dates = OpenSsl.Expect(_temp.Path, "x509", "-in", "self.crt", "-noout", "-startdate", "-enddate").Output;
            DateTime notBefore = OpenSslMaker.ParseDate(OpenSslMaker.Field(dates, "notBefore"));
            DateTime notAfter = OpenSslMaker.ParseDate(OpenSslMaker.Field(dates, "notAfter"));

            Assert.Equal(notAfter, certificate.NotAfter.ToUniversalTime());
            Assert.Equal(notBefore, certificate.NotBefore.ToUniversalTime());
            Assert.InRange(notAfter, before.AddDays(validDays).AddSeconds(-1), after.AddDays(validDays).AddSeconds(1));
            Assert.True(notBefore < before, "NotBefore must be in the past so that a client with a slow clock accepts the certificate.");
            Assert.True(before - notBefore <= TimeSpan.FromDays(1), "NotBefore should be set back by a small clock allowance only.");
            Assert.InRange(certificate.DaysRemaining, validDays - 1, validDays);
        }

        [OpenSslTheory]
        [InlineData("RSA")]
        [InlineData("ECDSA")]
        public void SelfSigned_PropertiesMatchX509Certificate2AndOpenSsl(string keyAlgorithm)
        {
            CertificateInfo certificate = CreateSelfSigned(keyAlgorithm, 30);
            _temp.WriteText("self.crt", certificate.ToPem());
            X509Certificate2 native = certificate.Certificate;

            Assert.Equal(native.Thumbprint, certificate.Thumbprint);
            Assert.Equal(native.SerialNumber, certificate.SerialNumber);
            Assert.Equal(native.Subject, certificate.Subject);
            Assert.Equal(native.Issuer, certificate.Issuer);
            Assert.Equal(certificate.Subject, certificate.Issuer);
            Assert.Equal(native.NotAfter, certificate.NotAfter);
            Assert.Equal(native.NotBefore, certificate.NotBefore);
            Assert.Equal(native.SignatureAlgorithm.FriendlyName, certificate.SignatureAlgorithm);
            Assert.Equal(keyAlgorithm == "RSA" ? "RSA 2048" : "ECDSA P-256", certificate.KeyAlgorithm);
            X509SubjectAlternativeNameExtension san = native.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
            Assert.Equal(san.EnumerateDnsNames(), certificate.DnsNames);
            Assert.Equal(san.EnumerateIPAddresses(), certificate.IpAddresses.Select(IPAddress.Parse));

            string fields = OpenSsl.Expect(_temp.Path, "x509", "-in", "self.crt", "-noout", "-serial", "-fingerprint", "-sha1").Output;
            Assert.Equal(OpenSslMaker.Field(fields, "sha1 Fingerprint").Replace(":", string.Empty), certificate.Thumbprint);
            Assert.Equal(OpenSslMaker.Field(fields, "serial").TrimStart('0'), certificate.SerialNumber.TrimStart('0'));

            // 128 random bits, positive: 16 octets, top bit clear.
            Assert.Equal(32, certificate.SerialNumber.Length);
            Assert.True(Convert.ToByte(certificate.SerialNumber.Substring(0, 2), 16) < 0x80);
        }

        [Fact]
        public void SelfSigned_SerialNumbersDiffer()
        {
            CertificateInfo first = CreateSelfSigned("ECDSA", 30);
            CertificateInfo second = CreateSelfSigned("ECDSA", 30);

            Assert.NotEqual(first.SerialNumber, second.SerialNumber);
            Assert.NotEqual(first.Thumbprint, second.Thumbprint);
        }

        [OpenSslTheory]
        [InlineData("RSA")]
        [InlineData("ECDSA")]
        public void SelfSigned_KeyBelongsToTheCertificate(string keyAlgorithm)
        {
            CertificateInfo certificate = CreateSelfSigned(keyAlgorithm, 30);
            _temp.WriteText("self.crt", certificate.ToPem());
            _temp.WriteBytes("self.key", PrivateKeyWriter.ToPem(certificate.PrivateKey!, null));

            Assert.Equal(OpenSslMaker.PublicKeyOfCertificate(_temp.Path, "self.crt"), OpenSslMaker.PublicKeyOfKey(_temp.Path, "self.key"));
        }

        [Fact]
        public void SelfSigned_ToStringShowsNoKey()
        {
            CertificateInfo certificate = CreateSelfSigned("ECDSA", 30);

            string text = certificate.ToString();

            Assert.Contains(certificate.Thumbprint, text, StringComparison.Ordinal);
            Assert.Contains("www.example.com", text, StringComparison.Ordinal);
            Assert.DoesNotContain("PRIVATE", text, StringComparison.OrdinalIgnoreCase);
        }

        private static CertificateInfo CreateSelfSigned(string keyAlgorithm, int validDays)
        {
            var options = new CertificateRequestOptions { CommonName = "www.example.com", KeyAlgorithm = keyAlgorithm, Organization = "Example Ltd", Country = "GB" };
            options.DnsNames.Add("example.com");
            options.IpAddresses.Add("192.0.2.10");
            return CertificateRequestBuilder.CreateSelfSigned(options, validDays, NullCoreLog.Instance);
        }
    }
}
