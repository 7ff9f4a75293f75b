using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CertCmdlets.Core.Requests;
using CertCmdlets.Core.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Core.Tests
{
    /// <summary>Certificate signing requests, judged by openssl and by .NET's own PKCS#10 reader.</summary>
    public sealed class RequestTests : IDisposable
    {
        private readonly TempDirectory _temp = new TempDirectory();

        public void Dispose() => _temp.Dispose();

        [OpenSslTheory]
        [InlineData("RSA", 2048, null, "RSA 2048")]
        [InlineData("RSA", 3072, null, "RSA 3072")]
        [InlineData("RSA", 4096, null, "RSA 4096")]
        [InlineData("ECDSA", null, "P256", "ECDSA P-256")]
        [InlineData("ECDSA", null, "P384", "ECDSA P-384")]
        [InlineData("ECDSA", null, "P521", "ECDSA P-521")]
        public void Request_KeyTypes_AreAcceptedByOpenSsl(string algorithm, int? keySize, string? curve, string expectedKeyAlgorithm)
        {
            var options = new CertificateRequestOptions { CommonName = "www.example.com", KeyAlgorithm = algorithm, KeySize = keySize, Curve = curve };

            CertificateRequestInfo request = CertificateRequestBuilder.CreateRequest(options, NullCoreLog.Instance);

            Assert.Equal(expectedKeyAlgorithm, request.KeyAlgorithm);
            Assert.True(request.HasPrivateKey);
            _temp.WriteText("req.csr", request.Pem);
            AssertOpenSslVerifies("req.csr");
            string text = OpenSsl.Expect(_temp.Path, "req", "-in", "req.csr", "-noout", "-text").Output;
            if (keySize is not null)
            {
                Assert.Contains("rsaEncryption", text);
                Assert.Contains($"Public-Key: ({keySize} bit)", text);
            }
            else
            {
                Assert.Contains("id-ecPublicKey", text);
                Assert.Contains("NIST CURVE: " + expectedKeyAlgorithm.Substring("ECDSA ".Length), text);
            }
        }

        [OpenSslFact]
        public void VerifyCheck_DetectsATamperedRequest()
        {
            // The verification above must be able to fail: flip one bit of the signature and openssl must notice.
            CertificateRequestInfo request = CertificateRequestBuilder.CreateRequest(new CertificateRequestOptions { CommonName = "www.example.com", KeyAlgorithm = "ECDSA" }, NullCoreLog.Instance);
            byte[] der = request.RawData.ToArray();
            der[der.Length - 3] ^= 0x01;
            _temp.WriteBytes("bad.der", der);

            OpenSslResult result = OpenSsl.Run(_temp.Path, "req", "-inform", "DER", "-in", "bad.der", "-noout", "-verify");

            Assert.DoesNotContain("verify OK", result.AllText);
        }

        [OpenSslFact]
        public void Request_SubjectAndAlternativeNames_AreWhatOpenSslAndDotNetRead()
        {
            var options = new CertificateRequestOptions
            {
                CommonName = "www.example.com",
                Organization = "Example Ltd",
                Locality = "London",
                State = "Greater London",
                Country = "gb",
            };
            options.OrganizationalUnits.Add("IT");
            options.OrganizationalUnits.Add("Web");
            options.DnsNames.Add("example.com");
            options.DnsNames.Add("api.example.com");
            options.IpAddresses.Add("192.0.2.10");
            options.IpAddresses.Add("2001:db8::1");
            options.EmailAddresses.Add("admin@example.com");

            CertificateRequestInfo request = CertificateRequestBuilder.CreateRequest(options, NullCoreLog.Instance);
            _temp.WriteText("req.csr", request.Pem);

            // Country normalized (gb -> GB); most specific first; multiple OUs in the order given, reversed for display.
            const string expectedSubject = "CN=www.example.com, OU=Web, OU=IT, O=Example Ltd, L=London, ST=Greater London, C=GB";
            Assert.Equal(expectedSubject, request.Subject);
            string opensslSubject = OpenSslMaker.Field(OpenSsl.Expect(_temp.Path, "req", "-in", "req.csr", "-noout", "-subject", "-nameopt", "RFC2253").Output, "subject");
            Assert.Equal("CN=www.example.com,OU=Web,OU=IT,O=Example Ltd,L=London,ST=Greater London,C=GB", opensslSubject);

            string text = OpenSsl.Expect(_temp.Path, "req", "-in", "req.csr", "-noout", "-text").Output;
            Assert.Equal(
                new[] { "DNS:www.example.com", "DNS:example.com", "DNS:api.example.com", "IP Address:192.0.2.10", "IP Address:2001:DB8:0:0:0:0:0:1", "email:admin@example.com" },
                OpenSslMaker.SubjectAltNames(text));
            Assert.Equal(new[] { "www.example.com", "example.com", "api.example.com" }, request.DnsNames);
            Assert.Equal(new[] { "192.0.2.10", "2001:db8::1" }, request.IpAddresses);
            Assert.Equal(new[] { "admin@example.com" }, request.EmailAddresses);
            Assert.Equal("www.example.com", request.CommonName);

            // .NET's own PKCS#10 reader checks the signature and shows the subject the Windows way (S= where we write ST=).
            CertificateRequest loaded = CertificateRequest.LoadSigningRequestPem(request.Pem, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
            Assert.Equal(DistinguishedNameParts.WithStateLabel(loaded.SubjectName.Name), request.Subject);
            X509SubjectAlternativeNameExtension san = loaded.CertificateExtensions.OfType<X509SubjectAlternativeNameExtension>().Single();
            Assert.Equal(request.DnsNames, san.EnumerateDnsNames());
            Assert.Equal(request.IpAddresses.Select(IPAddress.Parse), san.EnumerateIPAddresses());
        }

        [OpenSslTheory]
        [InlineData("www.example.com", "DNS:www.example.com")]
        [InlineData("WWW.Example.COM.", "DNS:www.example.com")]
        [InlineData("*.example.com", "DNS:*.example.com")]
        [InlineData("192.0.2.5", "IP Address:192.0.2.5")]
        [InlineData("2001:db8::5", "IP Address:2001:DB8:0:0:0:0:0:5")]
        [InlineData("bücher.example", "DNS:xn--bcher-kva.example")]
        public void CommonName_IsAddedToTheAlternativeNames(string commonName, string expectedAltName)
        {
            CertificateRequestInfo request = CertificateRequestBuilder.CreateRequest(new CertificateRequestOptions { CommonName = commonName, KeyAlgorithm = "ECDSA" }, NullCoreLog.Instance);
            _temp.WriteText("req.csr", request.Pem);

            string text = OpenSsl.Expect(_temp.Path, "req", "-in", "req.csr", "-noout", "-text").Output;

            Assert.Equal(new[] { expectedAltName }, OpenSslMaker.SubjectAltNames(text));
            Assert.Equal(commonName.Trim(), request.CommonName);
            bool isIp = expectedAltName.StartsWith("IP", StringComparison.Ordinal);
            Assert.Equal(isIp ? 0 : 1, request.DnsNames.Length);
            Assert.Equal(isIp ? 1 : 0, request.IpAddresses.Length);
        }

        [OpenSslFact]
        public void CommonName_ThatIsNotAHostName_GivesNoAlternativeNamesAndAWarning()
        {
            var log = new RecordingLog();

            CertificateRequestInfo request = CertificateRequestBuilder.CreateRequest(new CertificateRequestOptions { CommonName = "Example Test Server", KeyAlgorithm = "ECDSA" }, log);
            _temp.WriteText("req.csr", request.Pem);

            Assert.Empty(request.DnsNames);
            Assert.Empty(OpenSslMaker.SubjectAltNames(OpenSsl.Expect(_temp.Path, "req", "-in", "req.csr", "-noout", "-text").Output));
            Assert.Contains(log.Warnings, w => w.Contains("Example Test Server", StringComparison.Ordinal));
            AssertOpenSslVerifies("req.csr");
        }

        [Fact]
        public void DnsNames_AreNormalizedAndDeduplicated()
        {
            var options = new CertificateRequestOptions { CommonName = "www.example.com", KeyAlgorithm = "ECDSA" };
            options.DnsNames.Add("WWW.EXAMPLE.COM");
            options.DnsNames.Add("www.example.com.");
            options.DnsNames.Add(" Mail.Example.com ");
            options.DnsNames.Add("münchen.example");
            options.IpAddresses.Add("192.0.2.1");
            options.IpAddresses.Add("[192.0.2.1]");

            CertificateRequestInfo request = CertificateRequestBuilder.CreateRequest(options, NullCoreLog.Instance);

            Assert.Equal(new[] { "www.example.com", "mail.example.com", "xn--mnchen-3ya.example" }, request.DnsNames);
            Assert.Equal(new[] { "192.0.2.1" }, request.IpAddresses);
        }

        [OpenSslTheory]
        [InlineData("RSA", "SHA256", "sha256WithRSAEncryption", "sha256RSA")]
        [InlineData("RSA", "SHA384", "sha384WithRSAEncryption", "sha384RSA")]
        [InlineData("RSA", "sha-512", "sha512WithRSAEncryption", "sha512RSA")]
        [InlineData("ECDSA", null, "ecdsa-with-SHA256", "sha256ECDSA")]
        [InlineData("ECDSA", "SHA384", "ecdsa-with-SHA384", "sha384ECDSA")]
        [InlineData("ECDSA", "SHA512", "ecdsa-with-SHA512", "sha512ECDSA")]
        public void HashAlgorithm_IsTheSignatureAlgorithm(string keyAlgorithm, string? hash, string opensslName, string windowsName)
        {
            var options = new CertificateRequestOptions { CommonName = "www.example.com", KeyAlgorithm = keyAlgorithm, HashAlgorithm = hash };

            CertificateRequestInfo request = CertificateRequestBuilder.CreateRequest(options, NullCoreLog.Instance);
            _temp.WriteText("req.csr", request.Pem);

            Assert.Equal(windowsName, request.SignatureAlgorithm);
            Assert.Contains("Signature Algorithm: " + opensslName, OpenSsl.Expect(_temp.Path, "req", "-in", "req.csr", "-noout", "-text").Output);
            AssertOpenSslVerifies("req.csr");
        }

        [Fact]
        public void Request_CarriesNoKeyMaterialInItsText()
        {
            CertificateRequestInfo request = CertificateRequestBuilder.CreateRequest(new CertificateRequestOptions { CommonName = "www.example.com", KeyAlgorithm = "ECDSA" }, NullCoreLog.Instance);

            Assert.DoesNotContain("PRIVATE", request.Pem, StringComparison.Ordinal);
            Assert.DoesNotContain("PRIVATE", request.ToString(), StringComparison.Ordinal);
            Assert.StartsWith("-----BEGIN CERTIFICATE REQUEST-----\n", request.Pem, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("UK", "GB")]
        [InlineData("USA", "US")]
        [InlineData("Germany", "DE")]
        [InlineData("england", "GB")]
        public void Country_Wrong_SuggestsTheCode(string country, string suggestion)
        {
            CertCmdletsException error = CoreAssert.Throws("CountryCodeInvalid", () => Create(new CertificateRequestOptions { CommonName = "www.example.com", Country = country }));

            Assert.Contains($"'{suggestion}'", error.Message, StringComparison.Ordinal);
            Assert.Equal(CertErrorKind.InvalidArgument, error.Kind);
            Assert.Equal(country, error.Target);
        }

        [Fact]
        public void Country_Unknown_HasNoSuggestion()
        {
            CertCmdletsException error = CoreAssert.Throws("CountryCodeInvalid", () => Create(new CertificateRequestOptions { CommonName = "www.example.com", Country = "Atlantis" }));

            Assert.DoesNotContain("Did you mean", error.Message, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData(1024, "KeySizeTooWeak")]
        [InlineData(512, "KeySizeTooWeak")]
        [InlineData(2000, "KeySizeTooWeak")]
        [InlineData(3000, "KeySizeUnsupported")]
        [InlineData(2049, "KeySizeUnsupported")]
        [InlineData(8192, "KeySizeUnsupported")]
        public void KeySize_Rejected(int keySize, string errorId)
        {
            CertCmdletsException error = CoreAssert.Throws(errorId, () => Create(new CertificateRequestOptions { CommonName = "www.example.com", KeySize = keySize }));

            Assert.Equal(keySize, error.Target);
            Assert.Contains("2048", error.Message, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("MD5", "HashAlgorithmTooWeak")]
        [InlineData("SHA1", "HashAlgorithmTooWeak")]
        [InlineData("sha-1", "HashAlgorithmTooWeak")]
        [InlineData("SHA3-256", "HashAlgorithmUnsupported")]
        public void HashAlgorithm_Rejected(string hash, string errorId)
        {
            CoreAssert.Throws(errorId, () => Create(new CertificateRequestOptions { CommonName = "www.example.com", HashAlgorithm = hash }));
        }

        [Fact]
        public void KeyAlgorithm_Dsa_IsUnsupported()
        {
            CertCmdletsException error = CoreAssert.Throws("KeyAlgorithmUnsupported", () => Create(new CertificateRequestOptions { CommonName = "www.example.com", KeyAlgorithm = "DSA" }));

            Assert.Contains("ECDSA", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Curve_WithRsa_Conflicts()
        {
            CoreAssert.Throws("KeyOptionConflict", () => Create(new CertificateRequestOptions { CommonName = "www.example.com", KeyAlgorithm = "RSA", Curve = "P256" }));
        }

        [Fact]
        public void KeySize_WithEcdsa_Conflicts()
        {
            CoreAssert.Throws("KeyOptionConflict", () => Create(new CertificateRequestOptions { CommonName = "www.example.com", KeyAlgorithm = "ECDSA", KeySize = 2048 }));
        }

        [Fact]
        public void Curve_Unknown_IsUnsupported()
        {
            CoreAssert.Throws("CurveUnsupported", () => Create(new CertificateRequestOptions { CommonName = "www.example.com", KeyAlgorithm = "ECDSA", Curve = "P192" }));
        }

        [Theory]
        [InlineData("a..b")]
        [InlineData("*.com")]
        [InlineData("foo*.example.com")]
        [InlineData("*.*.example.com")]
        [InlineData("-a.example.com")]
        [InlineData("a-.example.com")]
        [InlineData("a_b.example.com")]
        [InlineData("exa mple.com")]
        [InlineData("192.0.2.1")]
        [InlineData("")]
        public void DnsName_Invalid_IsRejected(string dnsName)
        {
            var options = new CertificateRequestOptions { CommonName = "www.example.com" };
            options.DnsNames.Add(dnsName);

            CertCmdletsException error = CoreAssert.Throws("DnsNameInvalid", () => Create(options));

            Assert.Equal(dnsName, error.Target);
        }

        [Fact]
        public void DnsName_LabelOf64Characters_IsRejected()
        {
            var options = new CertificateRequestOptions { CommonName = "www.example.com" };
            options.DnsNames.Add(new string('a', 64) + ".example.com");

            CoreAssert.Throws("DnsNameInvalid", () => Create(options));
        }

        [Theory]
        [InlineData("300.1.1.1")]
        [InlineData("1.2.3")]
        [InlineData("example.com")]
        [InlineData("2001:db8::g")]
        [InlineData("")]
        public void IpAddress_Invalid_IsRejected(string ip)
        {
            var options = new CertificateRequestOptions { CommonName = "www.example.com" };
            options.IpAddresses.Add(ip);

            CertCmdletsException error = CoreAssert.Throws("IpAddressInvalid", () => Create(options));

            Assert.Equal(ip, error.Target);
        }

        [Theory]
        [InlineData("192.168.001.010", "192.168.1.10")]
        [InlineData("010.0.0.1", "10.0.0.1")]
        public void IpAddress_WithLeadingZeros_IsNeverReadAsOctal(string typed, string meant)
        {
            // inet_aton reads "010" as octal 8; administrators mean ten (openssl's IP: reads it so too).
            var options = new CertificateRequestOptions { CommonName = "www.example.com", KeyAlgorithm = "ECDSA" };
            options.IpAddresses.Add(typed);

            CertificateRequestInfo? request = null;
            Exception? error = Record.Exception(() => request = Create(options));

            if (error is null)
            {
                Assert.Equal(new[] { meant }, request!.IpAddresses);
            }
            else
            {
                Assert.Equal("IpAddressInvalid", Assert.IsType<CertCmdletsException>(error).ErrorId);
            }
        }

        [Theory]
        [InlineData("admin")]
        [InlineData("@example.com")]
        [InlineData("admin@")]
        [InlineData("a@b@example.com")]
        [InlineData("ad min@example.com")]
        public void EmailAddress_Invalid_IsRejected(string email)
        {
            var options = new CertificateRequestOptions { CommonName = "www.example.com" };
            options.EmailAddresses.Add(email);

            CoreAssert.Throws("EmailAddressInvalid", () => Create(options));
        }

        [Fact]
        public void CommonName_LongerThan64_IsRejected()
        {
            string commonName = new string('a', 61) + ".com"; // 65 characters, a valid host name otherwise

            CertCmdletsException error = CoreAssert.Throws("SubjectValueInvalid", () => Create(new CertificateRequestOptions { CommonName = commonName }));

            Assert.Contains("64", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void CommonName_Of64Characters_IsAccepted()
        {
            string commonName = new string('a', 60) + ".com";

            CertificateRequestInfo request = CertificateRequestBuilder.CreateRequest(new CertificateRequestOptions { CommonName = commonName, KeyAlgorithm = "ECDSA" }, NullCoreLog.Instance);

            Assert.Equal(commonName, request.CommonName);
        }

        [Theory]
        [InlineData("")]
        [InlineData("   ")]
        public void CommonName_Empty_IsRejected(string commonName)
        {
            CoreAssert.Throws("SubjectValueInvalid", () => Create(new CertificateRequestOptions { CommonName = commonName }));
        }

        [Fact]
        public void Organization_WithLineBreak_IsRejected()
        {
            CoreAssert.Throws("SubjectValueInvalid", () => Create(new CertificateRequestOptions { CommonName = "www.example.com", Organization = "Example\nLtd" }));
        }

        [Theory]
        [InlineData(0)]
        [InlineData(-1)]
        [InlineData(3651)]
        [InlineData(4000)]
        public void ValidDays_OutOfRange_IsRejected(int validDays)
        {
            CertCmdletsException error = CoreAssert.Throws("ValidDaysOutOfRange", () => CertificateRequestBuilder.CreateSelfSigned(new CertificateRequestOptions { CommonName = "www.example.com", KeyAlgorithm = "ECDSA" }, validDays, NullCoreLog.Instance));

            Assert.Equal(validDays, error.Target);
        }

        private static CertificateRequestInfo Create(CertificateRequestOptions options) => CertificateRequestBuilder.CreateRequest(options, NullCoreLog.Instance);

        private void AssertOpenSslVerifies(string requestFile)
        {
            OpenSslResult verify = OpenSsl.Expect(_temp.Path, "req", "-in", requestFile, "-noout", "-verify");

            // openssl 3.0 exits 0 even when the signature is bad; the words are what count.
            Assert.Contains("verify OK", verify.AllText, StringComparison.Ordinal);
            Assert.DoesNotContain("failure", verify.AllText, StringComparison.Ordinal);
        }
    }
}
