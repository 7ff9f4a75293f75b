using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CertCmdlets.Core.Authority;
using CertCmdlets.Core.Chains;
using CertCmdlets.Core.Requests;
using CertCmdlets.Core.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Core.Tests.Chains
{
    /// <summary>
    /// New-CertAuthority and Approve-CertRequest's core: CA certificates and signed server certificates, judged by
    /// openssl (x509 -text, verify -CAfile root -untrusted intermediate), with requests made by openssl and by us.
    /// </summary>
    public sealed class CertificateAuthorityTests : IDisposable
    {
        private static readonly Lazy<(CertificateInfo Root, CertificateInfo Intermediate)> s_authorities = new Lazy<(CertificateInfo, CertificateInfo)>(() =>
        {
            // ECDSA keeps the suite fast; one RSA CA is made by the test that checks the default key.
            CertificateInfo root = CertificateAuthority.Create(new CertificateRequestOptions { CommonName = "Example Internal Root CA", Organization = "Example Ltd", KeyAlgorithm = "ECDSA" }, 3650, null, null, NullCoreLog.Instance);
            CertificateInfo intermediate = CertificateAuthority.Create(new CertificateRequestOptions { CommonName = "Example Internal Issuing CA", Organization = "Example Ltd", KeyAlgorithm = "ECDSA", Curve = "P384" }, 1825, 0, root, NullCoreLog.Instance);
            return (root, intermediate);
        });

        private readonly TempDirectory _temp = new TempDirectory();

        public void Dispose() => _temp.Dispose();

        private static CertificateInfo Root => s_authorities.Value.Root;

        private static CertificateInfo Intermediate => s_authorities.Value.Intermediate;

        [OpenSslFact]
        public void Root_HasCriticalCaConstraintsAndKeyUsage_AndKeyIdentifiers()
        {
            _temp.WriteText("root.pem", Root.ToPem());
            string text = OpenSsl.Expect(_temp.Path, "x509", "-in", "root.pem", "-noout", "-text").Output;

            Assert.Equal("CA:TRUE", OpenSslMaker.ExtensionValue(text, "X509v3 Basic Constraints", out bool basicCritical));
            Assert.True(basicCritical, "basicConstraints must be critical");
            string usage = OpenSslMaker.ExtensionValue(text, "X509v3 Key Usage", out bool usageCritical);
            Assert.True(usageCritical, "keyUsage must be critical");
            Assert.Contains("Certificate Sign", usage, StringComparison.Ordinal);
            Assert.Contains("CRL Sign", usage, StringComparison.Ordinal);
            string subjectKeyId = OpenSslMaker.ExtensionValue(text, "X509v3 Subject Key Identifier", out _);
            string authorityKeyId = OpenSslMaker.ExtensionValue(text, "X509v3 Authority Key Identifier", out _);
            Assert.Contains(subjectKeyId, authorityKeyId, StringComparison.Ordinal);
            Assert.True(Root.IsCertificateAuthority);
            Assert.True(Root.HasPrivateKey);
            Assert.Empty(Root.Chain);
            Assert.Equal(Root.Subject, Root.Issuer);
            Assert.Contains("Example Internal Root CA", Root.Subject, StringComparison.Ordinal);
        }

        [OpenSslFact]
        public void Root_IsASelfSignedAnchorForOpenSsl()
        {
            _temp.WriteText("root.pem", Root.ToPem());

            OpenSslResult verdict = ChainMaker.Verify(_temp.Path, "root.pem", null, "root.pem");

            Assert.True(verdict.ExitCode == 0, verdict.ToString());
        }

        [Fact]
        public void Root_DefaultKey_IsRsa3072()
        {
            CertificateInfo root = CertificateAuthority.Create(new CertificateRequestOptions { CommonName = "Default Key Root" }, 30, null, null, NullCoreLog.Instance);

            Assert.Equal("RSA 3072", root.KeyAlgorithm);
        }

        [OpenSslFact]
        public void Intermediate_IsSignedByTheRoot_WithPathLengthAndAuthorityKeyId()
        {
            _temp.WriteText("root.pem", Root.ToPem());
            _temp.WriteText("int.pem", Intermediate.ToPem());
            string rootText = OpenSsl.Expect(_temp.Path, "x509", "-in", "root.pem", "-noout", "-text").Output;
            string text = OpenSsl.Expect(_temp.Path, "x509", "-in", "int.pem", "-noout", "-text").Output;

            Assert.Equal("CA:TRUE, pathlen:0", OpenSslMaker.ExtensionValue(text, "X509v3 Basic Constraints", out bool critical));
            Assert.True(critical);
            Assert.Contains(OpenSslMaker.ExtensionValue(rootText, "X509v3 Subject Key Identifier", out _), OpenSslMaker.ExtensionValue(text, "X509v3 Authority Key Identifier", out _), StringComparison.Ordinal);
            Assert.Equal(Root.Subject, Intermediate.Issuer);
            Assert.Equal(new[] { Root.Thumbprint }, Intermediate.Chain.Select(c => c.Thumbprint));
            OpenSslResult verdict = ChainMaker.Verify(_temp.Path, "root.pem", null, "int.pem");
            Assert.True(verdict.ExitCode == 0, verdict.ToString());
        }

        [OpenSslFact]
        public void Approve_OpenSslRequest_CopiesSubjectAndNames_AndOpenSslVerifiesTheChain()
        {
            OpenSslMaker.RsaKey(_temp.Path, "site.key");
            ChainMaker.Request(_temp.Path, "site.key", "/C=GB/O=Example Ltd/CN=www.example.com", "site.csr", "subjectAltName=DNS:www.example.com,DNS:example.com,IP:192.0.2.7");
            CertificateRequestInfo request = CertificateRequestReader.ReadFile(_temp.File("site.csr"));

            CertificateInfo certificate = CertificateAuthority.Approve(request, Intermediate, 90, null, NullCoreLog.Instance);

            Assert.Equal(request.Subject, certificate.Subject);
            Assert.Equal(new[] { "www.example.com", "example.com" }, certificate.DnsNames);
            Assert.Equal(new[] { "192.0.2.7" }, certificate.IpAddresses);
            Assert.Equal(Intermediate.Subject, certificate.Issuer);
            Assert.False(certificate.IsCertificateAuthority);
            Assert.False(certificate.HasPrivateKey);
            // The chain up to the signing CA, without the self-signed root above it (clients have it; servers need not send it).
            Assert.Equal(new[] { Intermediate.Thumbprint }, certificate.Chain.Select(c => c.Thumbprint));
            Assert.Equal(OpenSslMaker.PublicKeyOfRequest(_temp.Path, "site.csr"), PublicKeyOf(certificate));

            _temp.WriteText("leaf.pem", certificate.ToPem());
            _temp.WriteText("root.crt", Root.ToPem());
            _temp.WriteText("intermediate.crt", Intermediate.ToPem());
            OpenSslResult verdict = ChainMaker.Verify(_temp.Path, "root.crt", "intermediate.crt", "leaf.pem");
            Assert.True(verdict.ExitCode == 0, verdict.ToString());
            OpenSslResult purpose = OpenSsl.Run(_temp.Path, "verify", "-purpose", "sslserver", "-CAfile", "root.crt", "-untrusted", "intermediate.crt", "leaf.pem");
            Assert.True(purpose.ExitCode == 0, purpose.ToString());

            string text = OpenSsl.Expect(_temp.Path, "x509", "-in", "leaf.pem", "-noout", "-text").Output;
            Assert.Equal("CA:FALSE", OpenSslMaker.ExtensionValue(text, "X509v3 Basic Constraints", out bool basicCritical));
            Assert.True(basicCritical);
            Assert.Contains("TLS Web Server Authentication", OpenSslMaker.ExtensionValue(text, "X509v3 Extended Key Usage", out _), StringComparison.Ordinal);
            Assert.Equal(new[] { "DNS:www.example.com", "DNS:example.com", "IP Address:192.0.2.7" }, OpenSslMaker.SubjectAltNames(text));
        }

        [OpenSslFact]
        public void Approve_OurRequest_CarriesTheRequestKey_AndTestsClean()
        {
            var options = new CertificateRequestOptions { CommonName = "app.example.com", KeyAlgorithm = "ECDSA" };
            options.DnsNames.Add("app2.example.com");
            CertificateRequestInfo request = CertificateRequestBuilder.CreateRequest(options, NullCoreLog.Instance);

            CertificateInfo certificate = CertificateAuthority.Approve(request, Intermediate, 90, null, NullCoreLog.Instance);

            Assert.True(certificate.HasPrivateKey);
            Assert.Equal(new[] { "app.example.com", "app2.example.com" }, certificate.DnsNames);
            ChainTestResult result = ChainTester.Test(certificate, Array.Empty<CertificateInfo>(), new[] { Root }, "app2.example.com");
            Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Problems));
        }

        [Fact]
        public void Approve_Serials_AreRandom128Bit()
        {
            CertificateRequestInfo request = CertificateRequestBuilder.CreateRequest(new CertificateRequestOptions { CommonName = "serial.example.com", KeyAlgorithm = "ECDSA" }, NullCoreLog.Instance);

            CertificateInfo first = CertificateAuthority.Approve(request, Intermediate, 30, null, NullCoreLog.Instance);
            CertificateInfo second = CertificateAuthority.Approve(request, Intermediate, 30, null, NullCoreLog.Instance);

            Assert.NotEqual(first.SerialNumber, second.SerialNumber);
            foreach (CertificateInfo certificate in new[] { first, second, Root, Intermediate })
            {
                Assert.Equal(16, certificate.Certificate.GetSerialNumber().Length);
                Assert.Equal(32, certificate.SerialNumber.Length);
            }
        }

        [OpenSslFact]
        public void Approve_SerialIsSixteenBytes_AsOpenSslReadsIt()
        {
            CertificateRequestInfo request = CertificateRequestBuilder.CreateRequest(new CertificateRequestOptions { CommonName = "serial.example.com", KeyAlgorithm = "ECDSA" }, NullCoreLog.Instance);
            CertificateInfo certificate = CertificateAuthority.Approve(request, Intermediate, 30, null, NullCoreLog.Instance);
            _temp.WriteText("leaf.pem", certificate.ToPem());

            string serial = OpenSslMaker.Field(OpenSsl.Expect(_temp.Path, "x509", "-in", "leaf.pem", "-noout", "-serial").Output, "serial");

            Assert.Equal(32, serial.Length);
            Assert.Equal(certificate.SerialNumber, serial);
        }

        [OpenSslTheory]
        [InlineData("basicConstraints=critical,CA:TRUE")]
        [InlineData("basicConstraints=CA:TRUE,pathlen:0")]
        [InlineData("keyUsage=critical,digitalSignature,keyCertSign")]
        [InlineData("keyUsage=cRLSign")]
        public void Approve_RequestAskingForCaPowers_IsRefused(string extension)
        {
            OpenSslMaker.EcKey(_temp.Path, "ca-wish.key");
            ChainMaker.Request(_temp.Path, "ca-wish.key", "/CN=sneaky.example.com", "ca-wish.csr", extension, "subjectAltName=DNS:sneaky.example.com");
            CertificateRequestInfo request = CertificateRequestReader.ReadFile(_temp.File("ca-wish.csr"));
            var log = new RecordingLog();

            CertCmdletsException error = CoreAssert.Throws("RequestAsksForCa", () => CertificateAuthority.Approve(request, Intermediate, 30, null, log));

            Assert.Equal(CertErrorKind.SecurityError, error.Kind);
            Assert.Equal(_temp.File("ca-wish.csr"), error.Target);
            Assert.Contains("ca-wish.csr", error.Message, StringComparison.Ordinal);
        }

        [OpenSslFact]
        public void Approve_RequestWithoutAlternativeNames_GetsItsHostNameCnAsDnsName_WithAWarning()
        {
            OpenSslMaker.EcKey(_temp.Path, "cn-only.key");
            ChainMaker.Request(_temp.Path, "cn-only.key", "/CN=legacy.example.com", "cn-only.csr");
            CertificateRequestInfo request = CertificateRequestReader.ReadFile(_temp.File("cn-only.csr"));
            var log = new RecordingLog();

            CertificateInfo certificate = CertificateAuthority.Approve(request, Intermediate, 30, null, log);

            Assert.Equal(new[] { "legacy.example.com" }, certificate.DnsNames);
            Assert.Contains(log.Warnings, w => w.Contains("legacy.example.com", StringComparison.Ordinal));
        }

        [Fact]
        public void Approve_ValidDays_SetTheValidity()
        {
            CertificateRequestInfo request = CertificateRequestBuilder.CreateRequest(new CertificateRequestOptions { CommonName = "days.example.com", KeyAlgorithm = "ECDSA" }, NullCoreLog.Instance);

            CertificateInfo certificate = CertificateAuthority.Approve(request, Intermediate, 47, null, NullCoreLog.Instance);

            double days = (certificate.NotAfter.ToUniversalTime() - DateTime.UtcNow).TotalDays;
            Assert.InRange(days, 46.9, 47.01);
            Assert.True(certificate.NotBefore <= DateTime.Now);
        }

        [Fact]
        public void Approve_ValidDaysBeyondTheCa_AreCutToTheCaWithAWarning()
        {
            CertificateInfo shortRoot = CertificateAuthority.Create(new CertificateRequestOptions { CommonName = "Short Lived Root", KeyAlgorithm = "ECDSA" }, 20, null, null, NullCoreLog.Instance);
            CertificateRequestInfo request = CertificateRequestBuilder.CreateRequest(new CertificateRequestOptions { CommonName = "long.example.com", KeyAlgorithm = "ECDSA" }, NullCoreLog.Instance);
            var log = new RecordingLog();

            CertificateInfo certificate = CertificateAuthority.Approve(request, shortRoot, 365, null, log);

            Assert.True(certificate.NotAfter <= shortRoot.NotAfter, $"{certificate.NotAfter:o} is after the CA's {shortRoot.NotAfter:o}");
            Assert.Contains(log.Warnings, w => w.Contains("Short Lived Root", StringComparison.Ordinal));
        }

        [Theory]
        [InlineData(0)]
        [InlineData(-1)]
        [InlineData(3651)]
        public void Approve_ValidDaysOutOfRange_IsRefused(int validDays)
        {
            CertificateRequestInfo request = CertificateRequestBuilder.CreateRequest(new CertificateRequestOptions { CommonName = "days.example.com", KeyAlgorithm = "ECDSA" }, NullCoreLog.Instance);

            CertCmdletsException error = CoreAssert.Throws("ValidDaysOutOfRange", () => CertificateAuthority.Approve(request, Intermediate, validDays, null, NullCoreLog.Instance));

            Assert.Equal(validDays, error.Target);
        }

        [Fact]
        public void Approve_AuthorityWithoutItsKey_IsRefused()
        {
            CertificateInfo withoutKey = Certificates.CertificateReader.Parse(Intermediate.RawData, "issuing.crt").Single();
            CertificateRequestInfo request = CertificateRequestBuilder.CreateRequest(new CertificateRequestOptions { CommonName = "nokey.example.com", KeyAlgorithm = "ECDSA" }, NullCoreLog.Instance);

            CoreAssert.Throws("AuthorityHasNoPrivateKey", () => CertificateAuthority.Approve(request, withoutKey, 30, null, NullCoreLog.Instance));
        }

        [Fact]
        public void Approve_ServerCertificateAsAuthority_IsRefused()
        {
            CertificateRequestInfo request = CertificateRequestBuilder.CreateRequest(new CertificateRequestOptions { CommonName = "leaf-ca.example.com", KeyAlgorithm = "ECDSA" }, NullCoreLog.Instance);
            CertificateInfo serverCertificate = CertificateAuthority.Approve(request, Intermediate, 30, null, NullCoreLog.Instance);
            Assert.True(serverCertificate.HasPrivateKey);

            CoreAssert.Throws("AuthorityNotCertificateAuthority", () => CertificateAuthority.Approve(request, serverCertificate, 30, null, NullCoreLog.Instance));
        }

        [OpenSslFact]
        public void Approve_WithAnOpenSslMadeCa_LoadedWithItsKey_IsVerifiedByOpenSsl()
        {
            ChainMaker.Root(_temp.Path, "ossl-root.key", "ossl-root.crt", "/O=OpenSSL Made/CN=OpenSSL Made Root CA");
            ChainMaker.Intermediate(_temp.Path, "ossl-int.key", "/O=OpenSSL Made/CN=OpenSSL Made Intermediate CA", "ossl-root.crt", "ossl-root.key", "ossl-int.crt");
            CertificateInfo authority = ChainMaker.ReadOne(_temp.Path, "ossl-int.crt");
            PrivateKeyFile.Load(_temp.File("ossl-int.key"), null).AttachTo(new[] { authority }, "ossl-int.crt");
            CertificateRequestInfo request = CertificateRequestBuilder.CreateRequest(new CertificateRequestOptions { CommonName = "mixed.example.com", KeyAlgorithm = "ECDSA" }, NullCoreLog.Instance);

            CertificateInfo certificate = CertificateAuthority.Approve(request, authority, 30, null, NullCoreLog.Instance);

            _temp.WriteText("mixed.pem", certificate.ToPem());
            OpenSslResult verdict = ChainMaker.Verify(_temp.Path, "ossl-root.crt", "ossl-int.crt", "mixed.pem");
            Assert.True(verdict.ExitCode == 0, verdict.ToString());
            Assert.Equal(CertificateFacts.SubjectKeyId(authority), CertificateFacts.AuthorityKeyId(certificate));
        }

        [OpenSslFact]
        public void CreateIntermediate_UnderAnOpenSslRoot_IsVerifiedByOpenSsl()
        {
            ChainMaker.Root(_temp.Path, "ossl-root.key", "ossl-root.crt", "/O=OpenSSL Made/CN=OpenSSL Made Root CA");
            CertificateInfo root = ChainMaker.ReadOne(_temp.Path, "ossl-root.crt");
            PrivateKeyFile.Load(_temp.File("ossl-root.key"), null).AttachTo(new[] { root }, "ossl-root.crt");

            CertificateInfo intermediate = CertificateAuthority.Create(new CertificateRequestOptions { CommonName = "Our Intermediate Under OpenSSL", KeyAlgorithm = "ECDSA" }, 365, 0, root, NullCoreLog.Instance);

            _temp.WriteText("our-int.pem", intermediate.ToPem());
            OpenSslResult verdict = ChainMaker.Verify(_temp.Path, "ossl-root.crt", null, "our-int.pem");
            Assert.True(verdict.ExitCode == 0, verdict.ToString());
        }

        [OpenSslFact]
        public void Approve_SubjectIsCopiedExactly_AsOpenSslReadsIt()
        {
            OpenSslMaker.EcKey(_temp.Path, "dn.key");
            ChainMaker.Request(_temp.Path, "dn.key", "/C=DE/ST=Berlin/L=Berlin/O=Beispiel GmbH, Abteilung IT/OU=Web/OU=Ops/CN=www.beispiel.de", "dn.csr", "subjectAltName=DNS:www.beispiel.de");
            CertificateInfo certificate = CertificateAuthority.Approve(CertificateRequestReader.ReadFile(_temp.File("dn.csr")), Intermediate, 30, null, NullCoreLog.Instance);
            _temp.WriteText("dn.pem", certificate.ToPem());

            string requested = OpenSsl.Expect(_temp.Path, "req", "-in", "dn.csr", "-noout", "-subject", "-nameopt", "RFC2253").Output.Trim();
            string issued = OpenSsl.Expect(_temp.Path, "x509", "-in", "dn.pem", "-noout", "-subject", "-nameopt", "RFC2253").Output.Trim();

            Assert.Equal(requested, issued);
        }

        [OpenSslFact]
        public void Approve_TamperedRequestFile_IsRefusedWhenRead()
        {
            OpenSslMaker.EcKey(_temp.Path, "t.key");
            ChainMaker.Request(_temp.Path, "t.key", "/CN=tampered.example.com", "t.csr", "subjectAltName=DNS:tampered.example.com");
            OpenSsl.Expect(_temp.Path, "req", "-in", "t.csr", "-outform", "DER", "-out", "t.der");
            byte[] der = System.IO.File.ReadAllBytes(_temp.File("t.der"));
            int at = IndexOf(der, System.Text.Encoding.ASCII.GetBytes("tampered.example.com"));
            der[at] = (byte)'T';
            _temp.WriteBytes("t-bad.der", der);

            CoreAssert.Throws("RequestSignatureInvalid", () => CertificateRequestReader.ReadFile(_temp.File("t-bad.der")));
        }

        [Fact]
        public void CreateIntermediate_LongerThanItsIssuer_IsCutToTheIssuerWithAWarning()
        {
            CertificateInfo shortRoot = CertificateAuthority.Create(new CertificateRequestOptions { CommonName = "Brief Root", KeyAlgorithm = "ECDSA" }, 30, null, null, NullCoreLog.Instance);
            var log = new RecordingLog();

            CertificateInfo intermediate = CertificateAuthority.Create(new CertificateRequestOptions { CommonName = "Long Intermediate", KeyAlgorithm = "ECDSA" }, 1825, null, shortRoot, log);

            Assert.True(intermediate.NotAfter <= shortRoot.NotAfter);
            Assert.Contains(log.Warnings, w => w.Contains("Brief Root", StringComparison.Ordinal));
        }

        [Fact]
        public void CreateIntermediate_UnderAServerCertificate_IsRefused()
        {
            CertificateRequestInfo request = CertificateRequestBuilder.CreateRequest(new CertificateRequestOptions { CommonName = "not-a-ca.example.com", KeyAlgorithm = "ECDSA" }, NullCoreLog.Instance);
            CertificateInfo serverCertificate = CertificateAuthority.Approve(request, Intermediate, 30, null, NullCoreLog.Instance);

            CoreAssert.Throws("AuthorityNotCertificateAuthority", () => CertificateAuthority.Create(new CertificateRequestOptions { CommonName = "Sub CA", KeyAlgorithm = "ECDSA" }, 365, null, serverCertificate, NullCoreLog.Instance));
        }

        private static int IndexOf(byte[] haystack, byte[] needle)
        {
            for (int i = 0; i + needle.Length <= haystack.Length; i++)
            {
                if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle))
                {
                    return i;
                }
            }

            throw new Xunit.Sdk.XunitException("not found");
        }

        private string PublicKeyOf(CertificateInfo certificate)
        {
            string file = "pub-" + Guid.NewGuid().ToString("N") + ".pem";
            _temp.WriteText(file, certificate.ToPem());
            return OpenSslMaker.PublicKeyOfCertificate(_temp.Path, file);
        }
    }
}
