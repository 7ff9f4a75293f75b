using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CertCmdlets.Core.Certificates;
using CertCmdlets.Core.Requests;
using CertCmdlets.Core.Tests.Chains;
using CertCmdlets.Core.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Core.Tests.Inventory
{
    /// <summary>
    /// New-CertRequest -FromCertificate's core: the renewal request of an openssl-made certificate asks, in openssl's
    /// own reading of it, for the same subject, every alternative name and the same kind of key; the existing key must
    /// be the certificate's; nothing is dropped without a warning.
    /// </summary>
    public sealed class RenewalRequestTests : IDisposable, IClassFixture<InventoryPki>
    {
        private const string FullSubject = "/C=GB/ST=Greater London/L=London/O=Example, Ltd/OU=Web/OU=Operations/CN=shop.example.test/emailAddress=tls@example.test";
        private readonly InventoryPki _pki;
        private readonly TempDirectory _temp = new TempDirectory();
        private readonly RecordingLog _log = new RecordingLog();

        public RenewalRequestTests(InventoryPki pki)
        {
            _pki = pki;
        }

        public void Dispose() => _temp.Dispose();

        [OpenSslTheory]
        [InlineData("RSA 3072", "rsa_keygen_bits:3072", "RSA")]
        [InlineData("ECDSA P-384", "ec_paramgen_curve:P-384", "EC")]
        public void RenewalRequest_AsksForTheSameSubjectNamesAndKindOfKey_WithANewKey(string keyAlgorithm, string keyOption, string keyType)
        {
            OpenSsl.Expect(_temp.Path, "genpkey", "-algorithm", keyType, "-pkeyopt", keyOption, "-out", "old.key");
            IssueLeaf("old.key", FullSubject, "old.crt", "DNS:shop.example.test,DNS:www.shop.example.test,IP:192.0.2.44,IP:2001:db8::44,email:web@example.test");
            CertificateInfo certificate = CertificateReader.ReadFile(_temp.File("old.crt"))[0];

            var options = new CertificateRequestOptions();
            RenewalRequest.Apply(certificate, options, _log);
            CertificateRequestInfo request = CertificateRequestBuilder.CreateRequest(options, _log);
            _temp.WriteText("renewal.csr", request.Pem);

            // openssl's view of the old certificate and of the renewal request.
            string oldText = OpenSsl.Expect(_temp.Path, "x509", "-in", "old.crt", "-noout", "-text").Output;
            string newText = OpenSsl.Expect(_temp.Path, "req", "-in", "renewal.csr", "-noout", "-text", "-verify").AllText;
            Assert.Equal(SubjectParts(OpenSsl.Expect(_temp.Path, "x509", "-in", "old.crt", "-noout", "-subject", "-nameopt", "multiline").Output),
                SubjectParts(OpenSsl.Expect(_temp.Path, "req", "-in", "renewal.csr", "-noout", "-subject", "-nameopt", "multiline").Output));
            Assert.Equal(OpenSslMaker.SubjectAltNames(oldText).OrderBy(n => n), OpenSslMaker.SubjectAltNames(newText).OrderBy(n => n));
            Assert.Contains("verify OK", newText, StringComparison.Ordinal);
            Assert.Equal(keyAlgorithm, request.KeyAlgorithm);
            Assert.NotEqual(OpenSslMaker.PublicKeyOfCertificate(_temp.Path, "old.crt"), OpenSslMaker.PublicKeyOfRequest(_temp.Path, "renewal.csr"));
            Assert.Empty(_log.Warnings);
        }

        [OpenSslFact]
        public void RenewalRequest_WithTheCertificatesKey_KeepsIt_AndAnotherKeyIsCertificateKeyMismatch()
        {
            CertificateInfo certificate = CertificateReader.ReadFile(_pki.PathOf("www.crt"))[0];
            var keep = new CertificateRequestOptions { ExistingKeyPath = _pki.PathOf("www.key") };
            var wrong = new CertificateRequestOptions { ExistingKeyPath = _pki.PathOf("due.key") };

            RenewalRequest.Apply(certificate, keep, _log);
            RenewalRequest.Apply(certificate, wrong, _log);
            CertificateRequestInfo request = CertificateRequestBuilder.CreateRequest(keep, _log);
            _temp.WriteText("renewal.csr", request.Pem);

            Assert.Equal(OpenSslMaker.PublicKeyOfCertificate(_temp.Path, _pki.PathOf("www.crt")), OpenSslMaker.PublicKeyOfRequest(_temp.Path, "renewal.csr"));
            Assert.Equal(_pki.PathOf("www.key"), request.KeyPath);
            CertCmdletsException error = CoreAssert.Throws("CertificateKeyMismatch", () => CertificateRequestBuilder.CreateRequest(wrong, _log));
            Assert.Contains(_pki.PathOf("due.key"), error.Message, StringComparison.Ordinal);
        }

        [OpenSslFact]
        public void WhatTheUserGives_Wins_AndAddedNamesComeAfterTheCertificates()
        {
            CertificateInfo certificate = CertificateReader.ReadFile(_pki.PathOf("www.crt"))[0];
            var options = new CertificateRequestOptions { Organization = "Example Group plc", KeyAlgorithm = "ECDSA" };
            options.DnsNames.Add("new.example.test");
            options.DnsNames.Add("EXAMPLE.TEST");

            RenewalRequest.Apply(certificate, options, _log);
            CertificateRequestInfo request = CertificateRequestBuilder.CreateRequest(options, _log);

            Assert.Equal("Example Group plc", request.Organization);
            Assert.Equal("GB", request.Country);
            Assert.Equal(new[] { "www.example.test", "example.test", "new.example.test" }, request.DnsNames);
            Assert.Equal("ECDSA P-256", request.KeyAlgorithm);
        }

        [OpenSslFact]
        public void CaCertificate_IsRefused()
        {
            CertificateInfo authority = CertificateReader.ReadFile(_pki.PathOf("int.crt"))[0];

            CertCmdletsException error = CoreAssert.Throws("CertificateIsAuthority", () => RenewalRequest.Apply(authority, new CertificateRequestOptions(), _log));

            Assert.Equal(_pki.PathOf("int.crt"), error.Target);
        }

        [OpenSslFact]
        public void NamesARequestCannotCarry_AreNamedInAWarning_NeverDroppedSilently()
        {
            OpenSslMaker.EcKey(_temp.Path, "uri.key");
            IssueLeaf("uri.key", "/DC=test/DC=example/CN=uri.example.test", "uri.crt", "DNS:uri.example.test,URI:https://uri.example.test/id");
            CertificateInfo certificate = CertificateReader.ReadFile(_temp.File("uri.crt"))[0];
            var options = new CertificateRequestOptions();

            RenewalRequest.Apply(certificate, options, _log);

            Assert.Equal(new[] { "uri.example.test" }, options.DnsNames);
            Assert.Contains(_log.Warnings, w => w.Contains("URI:https://uri.example.test/id", StringComparison.Ordinal));
            Assert.Contains(_log.Warnings, w => w.Contains("DC=", StringComparison.Ordinal));
        }

        [OpenSslFact]
        public void CertificateWithoutCommonName_TakesItsFirstDnsNameAsCommonName()
        {
            OpenSslMaker.EcKey(_temp.Path, "nocn.key");
            ChainMaker.Leaf(_temp.Path, "nocn.key", "/O=Example Ltd", _pki.PathOf("int.crt"), _pki.PathOf("int.key"), "nocn.crt", new[] { "first.example.test", "second.example.test" });
            CertificateInfo certificate = CertificateReader.ReadFile(_temp.File("nocn.crt"))[0];
            Assert.Null(certificate.CommonName);
            var options = new CertificateRequestOptions();

            RenewalRequest.Apply(certificate, options, _log);
            CertificateRequestInfo request = CertificateRequestBuilder.CreateRequest(options, _log);

            Assert.Equal("first.example.test", request.CommonName);
            Assert.Equal(new[] { "first.example.test", "second.example.test" }, request.DnsNames);
            Assert.Equal("Example Ltd", request.Organization);
        }

        [OpenSslFact]
        public void WeakKeyOfTheOldCertificate_IsRefused_WithTheStrongChoicesNamed()
        {
            OpenSsl.Expect(_temp.Path, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024", "-out", "weak.key");
            ChainMaker.Leaf(_temp.Path, "weak.key", "/CN=weak.example.test", _pki.PathOf("int.crt"), _pki.PathOf("int.key"), "weak.crt", new[] { "weak.example.test" });
            var options = new CertificateRequestOptions();
            RenewalRequest.Apply(CertificateReader.ReadFile(_temp.File("weak.crt"))[0], options, _log);

            CertCmdletsException error = CoreAssert.Throws("KeySizeTooWeak", () => CertificateRequestBuilder.CreateRequest(options, _log));

            Assert.Contains("-KeySize 2048", error.RecommendedAction, StringComparison.Ordinal);
        }

        /// <summary>A server certificate signed by the test intermediate with exactly the alternative names given.</summary>
        private void IssueLeaf(string keyFile, string subject, string certificateFile, string subjectAltName) =>
            ChainMaker.Issue(_temp.Path, keyFile, subject, _pki.PathOf("int.crt"), _pki.PathOf("int.key"), certificateFile, 365, new[]
            {
                "basicConstraints=critical,CA:FALSE",
                "keyUsage=critical,digitalSignature,keyEncipherment",
                "extendedKeyUsage=serverAuth",
                "subjectAltName=" + subjectAltName,
            });

        /// <summary>openssl -nameopt multiline prints one "field = value" per line.</summary>
        private static IEnumerable<string> SubjectParts(string multiline) => multiline.Replace("\r", string.Empty).Split('\n')
            .Skip(1).Select(l => l.Trim()).Where(l => l.Length > 0).OrderBy(l => l, StringComparer.Ordinal);
    }
}
