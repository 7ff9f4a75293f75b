using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CertCmdlets.Core.Authority;
using CertCmdlets.Core.Certificates;
using CertCmdlets.Core.Requests;
using CertCmdlets.Core.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Core.Tests.Chains
{
    /// <summary>
    /// Complete-CertRequest's core: the certificate a CA sent back, as pasted text or a file, matched to the request
    /// by public key and names, its chain put in order, and the key attached. Requests and keys made by openssl.
    /// </summary>
    public sealed class RequestCompletionTests : IClassFixture<ChainPkiFixture>, IDisposable
    {
        private readonly ChainPkiFixture _pki;
        private readonly TempDirectory _temp = new TempDirectory();

        public RequestCompletionTests(ChainPkiFixture pki)
        {
            _pki = pki;
        }

        public void Dispose() => _temp.Dispose();

        [OpenSslFact]
        public void PastedText_AnyOrder_BlankLines_Crlf_IsCompletedAndOrdered()
        {
            // The CA's e-mail: root first, then the leaf, then the intermediate, CRLF line ends, blank lines between.
            (CertificateRequestInfo request, PrivateKeyFile key) = OpenSslRequest("paste", "www.example.com", "www.example.com", "example.com");
            IssueFor("paste", "www.example.com", "www.example.com", "example.com");
            string text = "\r\n\r\n" + Crlf(_pki.PathOf("root.crt")) + "\r\n\r\n\r\n" + Crlf(_temp.File("paste.crt")) + "\r\n \r\n" + Crlf(_pki.PathOf("int.crt")) + "\r\n\r\n";
            List<CertificateInfo> returned = CertificateReader.ParseText(text, "the certificate text");

            CertificateInfo completed = RequestCompletion.Complete(request, returned, Array.Empty<CertificateInfo>(), key, "the certificate text", new RecordingLog());

            Assert.Equal(Thumbprint(_temp.File("paste.crt")), completed.Thumbprint);
            Assert.Equal(new[] { Thumbprint(_pki.PathOf("int.crt")) }, completed.Chain.Select(c => c.Thumbprint));
            Assert.True(completed.HasPrivateKey);
            Assert.Equal(_temp.File("paste.key"), completed.KeyPath);
        }

        [OpenSslFact]
        public void PastedPkcs7_AsSomeCasSendIt_IsCompletedAndOrdered()
        {
            (CertificateRequestInfo request, PrivateKeyFile key) = OpenSslRequest("p7", "www.example.com", "www.example.com");
            IssueFor("p7", "www.example.com", "www.example.com");
            File.Copy(_pki.PathOf("root.crt"), _temp.File("p7.root.crt"));
            OpenSsl.Expect(_temp.Path, "crl2pkcs7", "-nocrl", "-certfile", "p7.root.crt", "-certfile", "p7.ca.crt", "-certfile", "p7.crt", "-out", "p7.p7b");
            string text = File.ReadAllText(_temp.File("p7.p7b")).Replace("\n", "\r\n");
            Assert.Contains("BEGIN PKCS7", text, StringComparison.Ordinal);

            CertificateInfo completed = RequestCompletion.Complete(request, CertificateReader.ParseText(text, "the certificate text"), Array.Empty<CertificateInfo>(), key, "the certificate text", new RecordingLog());

            Assert.Equal(Thumbprint(_temp.File("p7.crt")), completed.Thumbprint);
            Assert.Equal(new[] { Thumbprint(_pki.PathOf("int.crt")) }, completed.Chain.Select(c => c.Thumbprint));
        }

        [OpenSslFact]
        public void OnlyTheLeafReturned_IntermediatesFromThePool_CompleteTheChain()
        {
            (CertificateRequestInfo request, PrivateKeyFile key) = OpenSslRequest("alone", "www.example.com", "www.example.com");
            IssueFor("alone", "www.example.com", "www.example.com");
            IReadOnlyList<CertificateInfo> returned = CertificateReader.ReadFile(_temp.File("alone.crt"));
            var pool = new[] { _pki.Certificate("unrelated.crt"), _pki.Certificate("root.crt"), _pki.Certificate("int.crt") };

            CertificateInfo completed = RequestCompletion.Complete(request, returned, pool, key, _temp.File("alone.crt"), new RecordingLog());

            Assert.Equal(new[] { Thumbprint(_pki.PathOf("int.crt")) }, completed.Chain.Select(c => c.Thumbprint));
            Assert.Equal(_temp.File("alone.crt"), completed.CertificatePath);
        }

        [OpenSslFact]
        public void OnlyTheLeafReturned_NoIntermediate_WarnsNamingTheMissingIssuer()
        {
            (CertificateRequestInfo request, PrivateKeyFile key) = OpenSslRequest("bare", "www.example.com", "www.example.com");
            IssueFor("bare", "www.example.com", "www.example.com");
            var log = new RecordingLog();

            CertificateInfo completed = RequestCompletion.Complete(request, CertificateReader.ReadFile(_temp.File("bare.crt")), Array.Empty<CertificateInfo>(), key, _temp.File("bare.crt"), log);

            Assert.Empty(completed.Chain);
            Assert.Contains(log.Warnings, w => w.Contains("Chain Test Intermediate CA", StringComparison.Ordinal));
        }

        [OpenSslFact]
        public void AnotherRequestsCertificate_IsCertificateRequestMismatch_NamingBoth()
        {
            (CertificateRequestInfo request, PrivateKeyFile key) = OpenSslRequest("mine", "www.example.com", "www.example.com");
            string other = Crlf(_pki.PathOf("leaf.crt")) + Crlf(_pki.PathOf("int.crt"));

            CertCmdletsException error = CoreAssert.Throws("CertificateRequestMismatch", () =>
                RequestCompletion.Complete(request, CertificateReader.ParseText(other, "the certificate text"), Array.Empty<CertificateInfo>(), key, "the certificate text", new RecordingLog()));

            Assert.Equal(CertErrorKind.SecurityError, error.Kind);
            Assert.Equal("the certificate text", error.Target);
            Assert.Contains(request.Subject, error.Message, StringComparison.Ordinal);
            Assert.Contains(_pki.Certificate("leaf.crt").Subject, error.Message, StringComparison.Ordinal);
            Assert.Contains("Nothing was written", error.Message, StringComparison.Ordinal);
        }

        [OpenSslFact]
        public void CertificateMissingARequestedName_IsCertificateNamesMismatch_NamingTheMissingName()
        {
            // Same key, but the CA dropped one of the names asked for.
            (CertificateRequestInfo request, PrivateKeyFile key) = OpenSslRequest("names", "www.example.com", "www.example.com", "shop.example.com");
            IssueFor("names", "www.example.com", "www.example.com");

            CertCmdletsException error = CoreAssert.Throws("CertificateNamesMismatch", () =>
                RequestCompletion.Complete(request, CertificateReader.ReadFile(_temp.File("names.crt")), Array.Empty<CertificateInfo>(), key, _temp.File("names.crt"), new RecordingLog()));

            Assert.Equal(CertErrorKind.SecurityError, error.Kind);
            Assert.Equal(_temp.File("names.crt"), error.Target);
            Assert.Contains("shop.example.com", error.Message, StringComparison.Ordinal);
            Assert.Contains("missing", error.Message, StringComparison.Ordinal);
        }

        [OpenSslFact]
        public void WildcardRequest_WildcardCertificate_IsComplete()
        {
            (CertificateRequestInfo request, PrivateKeyFile key) = OpenSslRequest("wild", "*.example.com", "*.example.com");
            IssueFor("wild", "*.example.com", "*.example.com");

            CertificateInfo completed = RequestCompletion.Complete(request, CertificateReader.ReadFile(_temp.File("wild.crt")), new[] { _pki.Certificate("int.crt") }, key, _temp.File("wild.crt"), new RecordingLog());

            Assert.Equal(new[] { "*.example.com" }, completed.DnsNames);
        }

        [OpenSslFact]
        public void WildcardRequest_CertificateForOneHost_IsCertificateNamesMismatch()
        {
            (CertificateRequestInfo request, PrivateKeyFile key) = OpenSslRequest("wild2", "*.example.com", "*.example.com");
            IssueFor("wild2", "www.example.com", "www.example.com");

            CertCmdletsException error = CoreAssert.Throws("CertificateNamesMismatch", () =>
                RequestCompletion.Complete(request, CertificateReader.ReadFile(_temp.File("wild2.crt")), Array.Empty<CertificateInfo>(), key, _temp.File("wild2.crt"), new RecordingLog()));

            Assert.Contains("*.example.com", error.Message, StringComparison.Ordinal);
        }

        [OpenSslFact]
        public void KeyOfAnotherRequest_IsCertificateKeyMismatch()
        {
            (CertificateRequestInfo request, _) = OpenSslRequest("keyed", "www.example.com", "www.example.com");
            IssueFor("keyed", "www.example.com", "www.example.com");
            PrivateKeyFile wrongKey = PrivateKeyFile.Load(_pki.PathOf("leaf2.key"), null);

            CoreAssert.Throws("CertificateKeyMismatch", () =>
                RequestCompletion.Complete(request, CertificateReader.ReadFile(_temp.File("keyed.crt")), new[] { _pki.Certificate("int.crt") }, wrongKey, _temp.File("keyed.crt"), new RecordingLog()));
        }

        [OpenSslFact]
        public void RequestFileWithoutKey_CompletesWithAWarning()
        {
            (CertificateRequestInfo request, _) = OpenSslRequest("nokey", "www.example.com", "www.example.com");
            IssueFor("nokey", "www.example.com", "www.example.com");
            var log = new RecordingLog();

            CertificateInfo completed = RequestCompletion.Complete(request, CertificateReader.ReadFile(_temp.File("nokey.crt")), new[] { _pki.Certificate("int.crt") }, null, _temp.File("nokey.crt"), log);

            Assert.False(completed.HasPrivateKey);
            Assert.Contains(log.Warnings, w => w.Contains("-KeyPath", StringComparison.Ordinal));
        }

        [Fact]
        public void OurRequest_ApprovedByOurCa_CompletesWithItsKey_AndTheRootIsLeftOut()
        {
            CertificateInfo root = CertificateAuthority.Create(new CertificateRequestOptions { CommonName = "Completion Root", KeyAlgorithm = "ECDSA" }, 365, null, null, NullCoreLog.Instance);
            CertificateInfo intermediate = CertificateAuthority.Create(new CertificateRequestOptions { CommonName = "Completion Intermediate", KeyAlgorithm = "ECDSA" }, 365, 0, root, NullCoreLog.Instance);
            var options = new CertificateRequestOptions { CommonName = "portal.example.com", KeyAlgorithm = "ECDSA" };
            options.IpAddresses.Add("192.0.2.44");
            CertificateRequestInfo request = CertificateRequestBuilder.CreateRequest(options, NullCoreLog.Instance);
            CertificateInfo signed = CertificateAuthority.Approve(request, intermediate, 30, null, NullCoreLog.Instance);
            string pasted = (root.ToPem() + "\n\n" + signed.ToPem() + "\n" + intermediate.ToPem()).Replace("\n", "\r\n");

            CertificateInfo completed = RequestCompletion.Complete(request, CertificateReader.ParseText(pasted, "the certificate text"), Array.Empty<CertificateInfo>(), null, "the certificate text", new RecordingLog());

            Assert.Equal(signed.Thumbprint, completed.Thumbprint);
            Assert.True(completed.HasPrivateKey);
            Assert.Equal(new[] { intermediate.Thumbprint }, completed.Chain.Select(c => c.Thumbprint));
        }

        /// <summary>An openssl key and request (the first name is the CN, all names are SANs), read as the cmdlets read them.</summary>
        private (CertificateRequestInfo Request, PrivateKeyFile Key) OpenSslRequest(string name, string commonName, params string[] dnsNames)
        {
            OpenSslMaker.EcKey(_temp.Path, name + ".key");
            ChainMaker.Request(_temp.Path, name + ".key", "/CN=" + commonName, name + ".csr", "subjectAltName=" + string.Join(",", dnsNames.Select(n => "DNS:" + n)));
            return (CertificateRequestReader.ReadFile(_temp.File(name + ".csr")), PrivateKeyFile.Load(_temp.File(name + ".key"), null));
        }

        /// <summary>What the CA sends back for <paramref name="name"/>.key: the names it chose to certify, signed by the fixture's intermediate.</summary>
        private void IssueFor(string name, string commonName, params string[] dnsNames)
        {
            File.Copy(_pki.PathOf("int.crt"), _temp.File(name + ".ca.crt"));
            File.Copy(_pki.PathOf("int.key"), _temp.File(name + ".ca.key"));
            ChainMaker.Leaf(_temp.Path, name + ".key", "/CN=" + commonName, name + ".ca.crt", name + ".ca.key", name + ".crt", dnsNames);
        }

        private static string Crlf(string file) => File.ReadAllText(file).Replace("\r\n", "\n").Replace("\n", "\r\n");

        private static string Thumbprint(string file) => CertificateReader.ReadFile(file).Single().Thumbprint;
    }
}
