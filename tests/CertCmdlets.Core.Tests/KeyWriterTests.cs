using System;
using System.Text;
using CertCmdlets.Core.Keys;
using CertCmdlets.Core.Requests;
using CertCmdlets.Core.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Core.Tests
{
    /// <summary>Private keys written by <see cref="PrivateKeyWriter"/>, read by openssl and by our own reader.</summary>
    public sealed class KeyWriterTests : IDisposable
    {
        private readonly TempDirectory _temp = new TempDirectory();

        public void Dispose() => _temp.Dispose();

        [OpenSslTheory]
        [InlineData("RSA", null)]
        [InlineData("ECDSA", "P256")]
        [InlineData("ECDSA", "P384")]
        [InlineData("ECDSA", "P521")]
        public void PlainKey_IsReadByOpenSslAndMatchesTheRequest(string algorithm, string? curve)
        {
            CertificateRequestInfo request = NewRequest(algorithm, curve);
            byte[] pem = PrivateKeyWriter.ToPem(request.PrivateKey!, null);
            _temp.WriteBytes("key.pem", pem);
            _temp.WriteText("req.csr", request.Pem);

            OpenSsl.Expect(_temp.Path, "pkey", "-in", "key.pem", "-noout");

            Assert.StartsWith("-----BEGIN PRIVATE KEY-----\n", Encoding.ASCII.GetString(pem), StringComparison.Ordinal);
            Assert.Equal(OpenSslMaker.PublicKeyOfRequest(_temp.Path, "req.csr"), OpenSslMaker.PublicKeyOfKey(_temp.Path, "key.pem"));
        }

        [OpenSslFact]
        public void PlainRsaKey_ModulusMatchesTheRequest()
        {
            CertificateRequestInfo request = NewRequest("RSA", null);
            _temp.WriteBytes("key.pem", PrivateKeyWriter.ToPem(request.PrivateKey!, null));
            _temp.WriteText("req.csr", request.Pem);

            string keyModulus = OpenSsl.Expect(_temp.Path, "rsa", "-in", "key.pem", "-noout", "-modulus").Output.Trim();
            string requestModulus = OpenSsl.Expect(_temp.Path, "req", "-in", "req.csr", "-noout", "-modulus").Output.Trim();

            Assert.StartsWith("Modulus=", keyModulus, StringComparison.Ordinal);
            Assert.Equal(requestModulus, keyModulus);
            OpenSsl.Expect(_temp.Path, "rsa", "-in", "key.pem", "-noout", "-check");
        }

        [OpenSslTheory]
        [InlineData("RSA", OpenSslMaker.Password)]
        [InlineData("ECDSA", OpenSslMaker.Password)]
        [InlineData("ECDSA", "pässwörd-ü €")]
        public void EncryptedKey_IsReadByOpenSslWithThePassword(string algorithm, string password)
        {
            CertificateRequestInfo request = NewRequest(algorithm, null);
            byte[] pem = PrivateKeyWriter.ToPem(request.PrivateKey!, SecureText.Of(password));
            _temp.WriteBytes("key.pem", pem);
            _temp.WriteText("req.csr", request.Pem);

            string text = Encoding.ASCII.GetString(pem);
            Assert.StartsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----\n", text, StringComparison.Ordinal);
            Assert.Equal(OpenSslMaker.PublicKeyOfRequest(_temp.Path, "req.csr"), OpenSslMaker.PublicKeyOfKey(_temp.Path, "key.pem", password));

            // PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC, as the writer promises.
            string structure = OpenSsl.Expect(_temp.Path, "asn1parse", "-in", "key.pem").Output;
            Assert.Contains("PBES2", structure, StringComparison.Ordinal);
            Assert.Contains("PBKDF2", structure, StringComparison.Ordinal);
            Assert.Contains("hmacWithSHA256", structure, StringComparison.Ordinal);
            Assert.Contains("aes-256-cbc", structure, StringComparison.Ordinal);
        }

        [OpenSslFact]
        public void EncryptedKey_IsRejectedByOpenSslWithAWrongPassword()
        {
            CertificateRequestInfo request = NewRequest("ECDSA", null);
            _temp.WriteBytes("key.pem", PrivateKeyWriter.ToPem(request.PrivateKey!, SecureText.Of(OpenSslMaker.Password)));

            OpenSslResult wrong = OpenSsl.Run(_temp.Path, new[] { "pkey", "-in", "key.pem", "-noout", "-passin", "env:PW" }, OpenSsl.Password("not the password"));
            OpenSslResult none = OpenSsl.Run(_temp.Path, new[] { "pkey", "-in", "key.pem", "-noout", "-passin", "pass:" }, null);

            Assert.NotEqual(0, wrong.ExitCode);
            Assert.NotEqual(0, none.ExitCode);
        }

        [Theory]
        [InlineData("correct horse battery staple")]
        [InlineData("pässwörd")]
        [InlineData("пароль €")]
        public void EncryptedKey_RoundTripsThroughOurReader(string password)
        {
            CertificateRequestInfo request = NewRequest("ECDSA", null);
            byte[] pem = PrivateKeyWriter.ToPem(request.PrivateKey!, SecureText.Of(password));

            PrivateKey key = PrivateKeyReader.Parse(pem, "memory", SecureText.Of(password));

            Assert.True(key.Matches(request.PrivateKey!.PublicKeyInfo));
            Assert.Equal("ECDSA P-256", key.Description);
            CoreAssert.Throws("KeyPasswordIncorrect", () => PrivateKeyReader.Parse(pem, "memory", SecureText.Of(password + "x")));
            CoreAssert.Throws("KeyPasswordRequired", () => PrivateKeyReader.Parse(pem, "memory", null));
        }

        [Fact]
        public void PlainKey_RoundTripsThroughOurReader()
        {
            CertificateRequestInfo request = NewRequest("RSA", null);
            byte[] pem = PrivateKeyWriter.ToPem(request.PrivateKey!, null);

            PrivateKey key = PrivateKeyReader.Parse(pem, "memory", null);

            Assert.True(key.Matches(request.PrivateKey!.PublicKeyInfo));
            Assert.Equal("RSA 2048", key.Description);
            Assert.DoesNotContain("BEGIN", key.ToString(), StringComparison.Ordinal);
        }

        [Fact]
        public void EncryptedKeys_UseFreshSaltEachTime()
        {
            CertificateRequestInfo request = NewRequest("ECDSA", null);

            string first = Encoding.ASCII.GetString(PrivateKeyWriter.ToPem(request.PrivateKey!, SecureText.Of("x")));
            string second = Encoding.ASCII.GetString(PrivateKeyWriter.ToPem(request.PrivateKey!, SecureText.Of("x")));

            Assert.NotEqual(first, second);
        }

        private static CertificateRequestInfo NewRequest(string algorithm, string? curve) =>
            CertificateRequestBuilder.CreateRequest(new CertificateRequestOptions { CommonName = "www.example.com", KeyAlgorithm = algorithm, Curve = curve }, NullCoreLog.Instance);
    }
}
