using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using CertCmdlets.Core.Certificates;
using CertCmdlets.Core.Requests;
using CertCmdlets.Core.Tests.Chains;
using CertCmdlets.Core.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Core.Tests.Inventory
{
    /// <summary>
    /// Saved requests (Import-CertRequest) and pending requests (Complete-CertRequest given only the CA's answer):
    /// openssl's CSRs in PEM and DER with their extensions, the signature checked, the key found beside the request,
    /// and the pending request found by public key among the files of a folder.
    /// </summary>
    public sealed class SavedRequestTests : IDisposable, IClassFixture<InventoryPki>
    {
        private readonly InventoryPki _pki;
        private readonly TempDirectory _temp = new TempDirectory();
        private readonly RecordingLog _log = new RecordingLog();

        public SavedRequestTests(InventoryPki pki)
        {
            _pki = pki;
        }

        public void Dispose() => _temp.Dispose();

        [OpenSslTheory]
        [InlineData("PEM")]
        [InlineData("DER")]
        public void OpenSslRequest_IsRead_WithSubjectNamesAndRequestedExtensions(string form)
        {
            OpenSslMaker.RsaKey(_temp.Path, "site.key");
            OpenSsl.Expect(_temp.Path, "req", "-new", "-key", "site.key", "-outform", form, "-out", "site.csr",
                "-subj", "/C=DE/ST=Hessen/L=Frankfurt am Main/O=Beispiel GmbH/OU=Web/OU=Ops/CN=www.beispiel.test/emailAddress=tls@beispiel.test",
                "-addext", "subjectAltName=DNS:www.beispiel.test,DNS:beispiel.test,IP:192.0.2.9,IP:2001:db8::9,email:ops@beispiel.test",
                "-addext", "keyUsage=critical,digitalSignature,keyEncipherment",
                "-addext", "extendedKeyUsage=serverAuth,clientAuth",
                "-addext", "basicConstraints=CA:FALSE");

            CertificateRequestInfo request = RequestFiles.Read(_temp.File("site.csr"), null, null, keyRequired: false, _log);

            Assert.Equal("www.beispiel.test", request.CommonName);
            Assert.Equal("Beispiel GmbH", request.Organization);
            Assert.Equal(new[] { "Web", "Ops" }, request.OrganizationalUnit);
            Assert.Equal("Frankfurt am Main", request.Locality);
            Assert.Equal("Hessen", request.State);
            Assert.Equal("DE", request.Country);
            Assert.Equal("tls@beispiel.test", request.Email);
            Assert.Equal(new[] { "www.beispiel.test", "beispiel.test" }, request.DnsNames);
            Assert.Equal(new[] { "192.0.2.9", "2001:db8::9" }, request.IpAddresses);
            Assert.Equal(new[] { "ops@beispiel.test" }, request.EmailAddresses);
            Assert.Equal("RSA 2048", request.KeyAlgorithm);
            Assert.Equal(_temp.File("site.csr"), request.RequestPath);

            // The same words openssl req -text uses for each extension.
            string text = OpenSsl.Expect(_temp.Path, "req", "-in", "site.csr", "-inform", form, "-noout", "-text").Output;
            Assert.Equal(
                new[]
                {
                    "subjectAltName: DNS:www.beispiel.test, DNS:beispiel.test, IP Address:192.0.2.9, IP Address:2001:db8::9, email:ops@beispiel.test",
                    "keyUsage (critical): digitalSignature, keyEncipherment",
                    "extendedKeyUsage: serverAuth, clientAuth",
                    "basicConstraints: CA:FALSE",
                },
                request.RequestedExtensions);
            Assert.Contains("Digital Signature, Key Encipherment", text, StringComparison.Ordinal);
            Assert.Contains("TLS Web Server Authentication, TLS Web Client Authentication", text, StringComparison.Ordinal);

            // The key beside it, under the same base name, is attached.
            Assert.True(request.HasPrivateKey);
            Assert.Equal(_temp.File("site.key"), request.KeyPath);
        }

        [OpenSslFact]
        public void AlteredRequest_IsRefusedWithItsOwnErrorId_AsOpenSslRefusesIt()
        {
            byte[] der = Convert.FromBase64String(string.Concat(_pki.Text("www.csr").Split('\n').Where(l => !l.StartsWith("-----", StringComparison.Ordinal))));
            der[der.Length - 5] ^= 0x01;
            string altered = _temp.WriteBytes("altered.csr", der);
            // OpenSSL 3.0 says so on its error stream (its exit code stays 0).
            Assert.Contains("verify failure", OpenSsl.Run(_temp.Path, "req", "-in", "altered.csr", "-inform", "DER", "-noout", "-verify").AllText, StringComparison.Ordinal);

            CertCmdletsException error = CoreAssert.Throws("RequestSignatureInvalid", () => RequestFiles.Read(altered, null, null, false, _log));

            Assert.Equal(CertErrorKind.SecurityError, error.Kind);
            Assert.Equal(altered, error.Target);
        }

        [OpenSslFact]
        public void KeyBeside_ThatIsAnotherKey_IsNotAttached_AndAGivenWrongKeyIsAnError()
        {
            string request = _pki.CopyTo("www.csr", _temp.Path, "www.csr");
            _pki.CopyTo("due.key", _temp.Path, "www.key");

            CertificateRequestInfo read = RequestFiles.Read(request, null, null, false, _log);

            Assert.False(read.HasPrivateKey);
            Assert.Contains("holds another key", Assert.Single(_log.Warnings), StringComparison.Ordinal);
            CertCmdletsException error = CoreAssert.Throws("RequestKeyMismatch", () => RequestFiles.Read(request, _temp.File("www.key"), null, false, _log));
            Assert.Equal(request, error.Target);
            Assert.True(RequestFiles.Read(request, _pki.PathOf("www.key"), null, false, _log).HasPrivateKey);
        }

        [OpenSslFact]
        public void EncryptedKeyBeside_IsAWarning_OrAnErrorWhenTheKeyIsNeeded()
        {
            string request = _pki.CopyTo("www.csr", _temp.Path, "www.csr");
            OpenSsl.Expect(_temp.Path, new[] { "pkcs8", "-topk8", "-v2", "aes256", "-in", _pki.PathOf("www.key"), "-passout", "env:PW", "-out", "www.key" }, OpenSsl.Password("secret"));

            Assert.False(RequestFiles.Read(request, null, null, keyRequired: false, _log).HasPrivateKey);
            Assert.Contains("-KeyPassword", Assert.Single(_log.Warnings), StringComparison.Ordinal);
            CoreAssert.Throws("KeyPasswordRequired", () => RequestFiles.Read(request, null, null, keyRequired: true, _log));
            Assert.True(RequestFiles.Read(request, null, SecureText.Of("secret"), keyRequired: true, _log).HasPrivateKey);
        }

        [OpenSslFact]
        public void PastedText_WithCrlfAndWordsAround_IsRead()
        {
            string pasted = "Here is the CSR you asked for:\r\n\r\n" + _pki.Text("www.csr").Replace("\n", "\r\n") + "\r\nRegards\r\n";

            CertificateRequestInfo request = RequestFiles.ParseText(pasted, _pki.PathOf("www.key"), null);

            Assert.Equal("www.example.test", request.CommonName);
            Assert.True(request.HasPrivateKey);
            CoreAssert.Throws("RequestFileInvalid", () => RequestFiles.ParseText(_pki.Text("www.crt"), null, null));
        }

        // --- Pending requests ---------------------------------------------------------------------------------------

        [OpenSslFact]
        public void PendingRequest_IsFoundByPublicKey_WithItsKey_AndCompletes()
        {
            string pending = Path.Combine(_temp.Path, "pending");
            Directory.CreateDirectory(pending);
            foreach (string name in new[] { "alpha", "beta", "gamma" })
            {
                OpenSslMaker.RsaKey(pending, name + ".key");
                ChainMaker.Request(pending, name + ".key", $"/CN={name}.example.test", name + ".csr", $"subjectAltName=DNS:{name}.example.test");
            }

            // The CA signs beta's request (openssl x509 -req); the answer comes back as one file with the intermediate.
            string ca = Path.Combine(_temp.Path, "ca");
            Directory.CreateDirectory(ca);
            ChainMaker.Leaf(ca, Path.Combine(pending, "beta.key"), "/CN=beta.example.test", _pki.PathOf("int.crt"), _pki.PathOf("int.key"), "beta-signed.crt", new[] { "beta.example.test" });
            string answer = _temp.WriteText("answer.pem", File.ReadAllText(Path.Combine(ca, "beta-signed.crt")) + _pki.Text("int.crt"));
            IReadOnlyList<CertificateInfo> returned = CertificateReader.ReadFile(answer);

            CertificateRequestInfo? found = PendingRequests.Find(returned, new[] { _temp.Path, pending, pending }, null, _log);

            Assert.NotNull(found);
            Assert.Equal(Path.Combine(pending, "beta.csr"), found!.RequestPath);
            Assert.Equal(Path.Combine(pending, "beta.key"), found.KeyPath);
            CertificateInfo completed = RequestCompletion.Complete(found, returned, Array.Empty<CertificateInfo>(), null, answer, _log);
            Assert.True(completed.HasPrivateKey);
            Assert.Equal("beta.example.test", completed.CommonName);
        }

        [OpenSslFact]
        public void PendingRequest_KeyUnderAnotherName_IsFoundByPublicKey_AndNoMatchIsNull()
        {
            string pending = Path.Combine(_temp.Path, "pending");
            _pki.CopyTo("www.csr", pending, "request.csr");
            _pki.CopyTo("due.key", pending, "a-other.pem");
            _pki.CopyTo("www.key", pending, "privkey.pem");
            _pki.CopyTo("www.crt", pending, "cert.pem");
            IReadOnlyList<CertificateInfo> returned = CertificateReader.ReadFile(_pki.PathOf("www.crt"));

            CertificateRequestInfo? found = PendingRequests.Find(returned, new[] { pending }, null, _log);

            Assert.Equal(Path.Combine(pending, "privkey.pem"), found!.KeyPath);
            Assert.Null(PendingRequests.Find(CertificateReader.ReadFile(_pki.PathOf("self.crt")), new[] { pending }, null, _log));
            CertCmdletsException error = PendingRequests.NotFound(_pki.PathOf("self.crt"), CertificateReader.ReadFile(_pki.PathOf("self.crt")), new[] { pending });
            Assert.Equal("PendingRequestNotFound", error.ErrorId);
            Assert.Contains(pending, error.Message, StringComparison.Ordinal);
            Assert.Contains("CN=self.example.test", error.Message, StringComparison.Ordinal);
            Assert.Equal(_pki.PathOf("self.crt"), error.Target);
        }

        [OpenSslFact]
        public void PendingRequest_WithTheSameKeyTwice_IsTheOneWhoseNamesTheCertificateCovers()
        {
            string pending = Path.Combine(_temp.Path, "pending");
            Directory.CreateDirectory(pending);
            _pki.CopyTo("www.key", pending, "www.key");
            ChainMaker.Request(pending, "www.key", "/CN=www.example.test", "www.csr", "subjectAltName=DNS:www.example.test,DNS:example.test");
            ChainMaker.Request(pending, "www.key", "/CN=www.example.test", "www-more.csr", "subjectAltName=DNS:www.example.test,DNS:more.example.test");
            File.SetLastWriteTimeUtc(Path.Combine(pending, "www.csr"), DateTime.UtcNow.AddDays(-1));
            _pki.CopyTo("www.key", pending, "www-more.key");

            CertificateRequestInfo? found = PendingRequests.Find(CertificateReader.ReadFile(_pki.PathOf("www.crt")), new[] { pending }, null, _log);

            // www-more.csr is newer, but the certificate (www, example.test) answers www.csr.
            Assert.Equal(Path.Combine(pending, "www.csr"), found!.RequestPath);
            Assert.True(found.HasPrivateKey);
        }

        [OpenSslFact]
        public void PendingFolder_AlteredRequestIsPassedOverWithAWarning()
        {
            string pending = Path.Combine(_temp.Path, "pending");
            Directory.CreateDirectory(pending);
            string text = _pki.Text("www.csr");
            string body = string.Concat(text.Split('\n').Where(l => l.Length > 0 && !l.StartsWith("-----", StringComparison.Ordinal)));
            byte[] der = Convert.FromBase64String(body);
            der[der.Length - 3] ^= 0x40;
            File.WriteAllText(Path.Combine(pending, "www.csr"), PemOf(der));

            Assert.Null(PendingRequests.Find(CertificateReader.ReadFile(_pki.PathOf("www.crt")), new[] { pending }, null, _log));
            Assert.Contains("not signed by its own key", Assert.Single(_log.Warnings), StringComparison.Ordinal);
        }

        private static string PemOf(byte[] der)
        {
            var builder = new StringBuilder("-----BEGIN CERTIFICATE REQUEST-----\n");
            string base64 = Convert.ToBase64String(der);
            for (int i = 0; i < base64.Length; i += 64)
            {
                builder.Append(base64, i, Math.Min(64, base64.Length - i)).Append('\n');
            }

            return builder.Append("-----END CERTIFICATE REQUEST-----\n").ToString();
        }
    }
}
