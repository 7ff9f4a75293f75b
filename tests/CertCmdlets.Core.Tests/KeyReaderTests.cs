using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using CertCmdlets.Core.Certificates;
using CertCmdlets.Core.Keys;
using CertCmdlets.Core.Requests;
using CertCmdlets.Core.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Core.Tests
{
    /// <summary>Private keys written by openssl in every common form, read back by the core.</summary>
    public sealed class KeyReaderTests : IDisposable, IClassFixture<OpenSslKeyFixture>
    {
        private readonly TempDirectory _temp = new TempDirectory();
        private readonly OpenSslKeyFixture _keys;

        public KeyReaderTests(OpenSslKeyFixture keys)
        {
            _keys = keys;
        }

        private static readonly string[] s_formats =
        {
            "genpkey RSA (PKCS#8 PEM)",
            "genrsa -traditional (PKCS#1 PEM)",
            "ecparam -genkey (SEC1 PEM with EC PARAMETERS)",
            "ecparam -genkey -noout (SEC1 PEM)",
            "ecparam -genkey secp384r1 (SEC1 PEM)",
            "ecparam -genkey secp521r1 (SEC1 PEM)",
            "pkcs8 -topk8 -v2 aes256 (RSA)",
            "pkcs8 -topk8 -v2 aes256 (EC)",
            "pkcs8 -topk8 -v1 PBE-SHA1-3DES (RSA)",
            "pkcs8 -topk8 -v1 PBE-SHA1-3DES (EC)",
            "rsa -aes256 -traditional (Proc-Type PEM)",
            "ec -aes256 (Proc-Type PEM)",
            "pkcs8 -topk8 -nocrypt -outform DER (PKCS#8 DER, RSA)",
            "pkcs8 -topk8 -nocrypt -outform DER (PKCS#8 DER, EC)",
            "rsa -traditional -outform DER (PKCS#1 DER)",
            "ec -outform DER (SEC1 DER)",
            "pkcs8 -topk8 -v2 aes256 -outform DER (RSA)",
            "certificate and key in one PEM file",
            "rsa -aes256 -traditional with CRLF line ends",
            "pkcs8 -topk8 -v2 aes256 with CRLF line ends",
            "pkcs12 -nodes output (Bag Attributes)",
        };

        public static TheoryData<string> AllFormats => new TheoryData<string>(s_formats);

        public static TheoryData<string> EncryptedFormats => new TheoryData<string>(
            s_formats.Where(f => f.Contains("aes256", StringComparison.Ordinal) || f.Contains("3DES", StringComparison.Ordinal)));

        private static string Crlf(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal);

        public void Dispose() => _temp.Dispose();

        [OpenSslTheory]
        [MemberData(nameof(AllFormats))]
        public void OpenSslKey_AttachesToItsCertificate(string format)
        {
            OpenSslKey made = Make(format);
            IReadOnlyList<CertificateInfo> certificates = CertificateReader.ReadFile(made.CertificatePath);

            PrivateKeyFile key = PrivateKeyFile.Load(made.KeyPath, made.Password is null ? null : SecureText.Of(made.Password));
            key.AttachTo(certificates, made.CertificatePath);

            Assert.Equal(certificates[0].KeyAlgorithm, key.KeyAlgorithm);
            Assert.True(certificates[0].HasPrivateKey);
            Assert.Equal(made.KeyPath, certificates[0].KeyPath);
            Assert.Equal(made.KeyPath, key.Path);
            Assert.DoesNotContain("BEGIN", key.ToString(), StringComparison.Ordinal);
        }

        [OpenSslTheory]
        [MemberData(nameof(AllFormats))]
        public void OpenSslKey_IsReusedForARequest(string format)
        {
            OpenSslKey made = Make(format);
            var options = new CertificateRequestOptions
            {
                CommonName = "renewal.example.com",
                ExistingKeyPath = made.KeyPath,
                ExistingKeyPassword = made.Password is null ? null : SecureText.Of(made.Password),
            };

            CertificateRequestInfo request = CertificateRequestBuilder.CreateRequest(options, NullCoreLog.Instance);
            _temp.WriteText("renewal.csr", request.Pem);

            Assert.Equal(made.KeyPath, request.KeyPath);
            OpenSslResult verify = OpenSsl.Expect(_temp.Path, "req", "-in", "renewal.csr", "-noout", "-verify");
            Assert.Contains("verify OK", verify.AllText, StringComparison.Ordinal);
            Assert.Equal(OpenSslMaker.PublicKeyOfCertificate(_temp.Path, made.CertificatePath), OpenSslMaker.PublicKeyOfRequest(_temp.Path, "renewal.csr"));
        }

        [OpenSslTheory]
        [MemberData(nameof(EncryptedFormats))]
        public void EncryptedKey_WrongPassword_IsKeyPasswordIncorrect(string format)
        {
            OpenSslKey made = Make(format);

            CertCmdletsException error = CoreAssert.Throws("KeyPasswordIncorrect", () => PrivateKeyFile.Load(made.KeyPath, SecureText.Of("wrong password")));

            Assert.Equal(CertErrorKind.AuthenticationError, error.Kind);
            Assert.Contains(made.KeyPath, error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("wrong password", error.Message, StringComparison.Ordinal);
        }

        [OpenSslTheory]
        [MemberData(nameof(EncryptedFormats))]
        public void EncryptedKey_NoPassword_IsKeyPasswordRequired(string format)
        {
            OpenSslKey made = Make(format);

            CertCmdletsException error = CoreAssert.Throws("KeyPasswordRequired", () => PrivateKeyFile.Load(made.KeyPath, null));

            Assert.Equal(made.KeyPath, error.Target);
        }

        [OpenSslTheory]
        [MemberData(nameof(EncryptedFormats))]
        public void EncryptedKey_WrongPasswordForRequest_IsKeyPasswordIncorrect(string format)
        {
            OpenSslKey made = Make(format);
            var options = new CertificateRequestOptions { CommonName = "renewal.example.com", ExistingKeyPath = made.KeyPath, ExistingKeyPassword = SecureText.Of("wrong") };

            CoreAssert.Throws("KeyPasswordIncorrect", () => CertificateRequestBuilder.CreateRequest(options, NullCoreLog.Instance));
        }

        [OpenSslTheory]
        [InlineData("pkcs8 -v2 aes256", "pässwörd")]
        [InlineData("pkcs8 -v2 aes256", "пароль €")]
        [InlineData("rsa -aes256 -traditional", "pässwörd")]
        [InlineData("rsa -aes256 -traditional", "пароль €")]
        public void OpenSslKey_NonAsciiPassword_IsRead(string format, string password)
        {
            // openssl takes the password's bytes as they come (UTF-8 here); so must we.
            _keys.CopyTo("rsa.pem", _temp.Path, "rsa.pem");
            string[] arguments = format.StartsWith("pkcs8", StringComparison.Ordinal)
                ? new[] { "pkcs8", "-topk8", "-v2", "aes256", "-in", "rsa.pem", "-passout", "env:PW", "-out", "key.pem" }
                : new[] { "rsa", "-aes256", "-traditional", "-in", "rsa.pem", "-passout", "env:PW", "-out", "key.pem" };
            OpenSsl.Expect(_temp.Path, arguments, OpenSsl.Password(password));
            Assert.Equal(OpenSslMaker.PublicKeyOfKey(_temp.Path, "rsa.pem"), OpenSslMaker.PublicKeyOfKey(_temp.Path, "key.pem", password));
            string certificate = _keys.CopyTo("rsa.crt", _temp.Path, "rsa.crt");

            PrivateKeyFile key = PrivateKeyFile.Load(_temp.File("key.pem"), SecureText.Of(password));

            key.AttachTo(CertificateReader.ReadFile(certificate), certificate);
        }

        [OpenSslFact]
        public void KeyOfAnotherCertificate_IsCertificateKeyMismatchNamingBothFiles()
        {
            string key = _keys.CopyTo("ec.pem", _temp.Path, "ec.pem");
            string certificate = _keys.CopyTo("rsa.crt", _temp.Path, "rsa.crt");
            IReadOnlyList<CertificateInfo> certificates = CertificateReader.ReadFile(certificate);

            CertCmdletsException error = CoreAssert.Throws("CertificateKeyMismatch", () => PrivateKeyFile.Load(key, null).AttachTo(certificates, certificate));

            Assert.Contains(key, error.Message, StringComparison.Ordinal);
            Assert.Contains(certificate, error.Message, StringComparison.Ordinal);
            Assert.False(certificates[0].HasPrivateKey);
            Assert.Null(certificates[0].KeyPath);
        }

        [OpenSslFact]
        public void KeyOfTheSameTypeButAnotherCertificate_IsCertificateKeyMismatch()
        {
            OpenSslMaker.EcKey(_temp.Path, "other.pem");
            string certificate = _keys.CopyTo("ec.crt", _temp.Path, "ec.crt");

            CoreAssert.Throws("CertificateKeyMismatch", () => PrivateKeyFile.Load(_temp.File("other.pem"), null).AttachTo(CertificateReader.ReadFile(certificate), certificate));
        }

        [OpenSslFact]
        public void Key_AttachesOnlyToTheMatchingCertificateOfABundle()
        {
            string bundle = _temp.WriteText("bundle.pem", File.ReadAllText(Path.Combine(_keys.Directory, "rsa.crt")) + File.ReadAllText(Path.Combine(_keys.Directory, "ec.crt")));
            IReadOnlyList<CertificateInfo> certificates = CertificateReader.ReadFile(bundle);

            PrivateKeyFile.Load(Path.Combine(_keys.Directory, "ec.pem"), null).AttachTo(certificates, bundle);

            Assert.Equal(new[] { false, true }, certificates.Select(c => c.HasPrivateKey));
        }

        [Theory]
        [InlineData("garbage")]
        [InlineData("text")]
        [InlineData("empty")]
        [InlineData("certificate only")]
        [InlineData("truncated PEM")]
        [InlineData("damaged base64")]
        [InlineData("DER that is no key")]
        public void UnreadableKeyFile_IsKeyFileInvalid(string kind)
        {
            string path = _temp.File("key.pem");
            byte[] content = kind switch
            {
                "garbage" => Garbage(1000),
                "text" => Encoding.ASCII.GetBytes("This is not a key.\n"),
                "empty" => Array.Empty<byte>(),
                "certificate only" => Encoding.ASCII.GetBytes(SelfSignedPem()),
                "truncated PEM" => Encoding.ASCII.GetBytes(PlainKeyPem().Split("-----END", StringSplitOptions.None)[0]),
                "damaged base64" => Encoding.ASCII.GetBytes(PlainKeyPem().Replace("\n", "\n!!", StringComparison.Ordinal)),
                "DER that is no key" => new byte[] { 0x30, 0x03, 0x02, 0x01, 0x05 },
                _ => throw new ArgumentOutOfRangeException(nameof(kind)),
            };
            File.WriteAllBytes(path, content);

            CertCmdletsException error = CoreAssert.Throws("KeyFileInvalid", () => PrivateKeyFile.Load(path, null));

            Assert.Equal(path, error.Target);
            Assert.Equal(CertErrorKind.InvalidData, error.Kind);
        }

        [Fact]
        public void MissingKeyFile_IsFileNotFound()
        {
            CoreAssert.Throws("FileNotFound", () => PrivateKeyFile.Load(_temp.File("absent.pem"), null));
        }

        [OpenSslTheory]
        [InlineData("ed25519")]
        [InlineData("secp256k1")]
        public void UnsupportedKeyType_IsKeyTypeUnsupported(string type)
        {
            if (type == "ed25519")
            {
                OpenSsl.Expect(_temp.Path, "genpkey", "-algorithm", "ed25519", "-out", "key.pem");
            }
            else
            {
                OpenSslMaker.EcKey(_temp.Path, "key.pem", type);
            }

            CoreAssert.Throws("KeyTypeUnsupported", () => PrivateKeyFile.Load(_temp.File("key.pem"), null));
        }

        [OpenSslFact]
        public void WeakExistingKey_IsKeyTooWeakForARequest()
        {
            OpenSslMaker.RsaKey(_temp.Path, "weak.pem", 1024);
            var options = new CertificateRequestOptions { CommonName = "www.example.com", ExistingKeyPath = _temp.File("weak.pem") };

            CertCmdletsException error = CoreAssert.Throws("KeyTooWeak", () => CertificateRequestBuilder.CreateRequest(options, NullCoreLog.Instance));

            Assert.Contains("RSA 1024", error.Message, StringComparison.Ordinal);
        }

        [OpenSslFact]
        public void ExistingKeyWithKeyOptions_IsKeyOptionConflict()
        {
            string key = _keys.CopyTo("ec.pem", _temp.Path, "ec.pem");
            var options = new CertificateRequestOptions { CommonName = "www.example.com", ExistingKeyPath = key, KeyAlgorithm = "ECDSA" };

            CoreAssert.Throws("KeyOptionConflict", () => CertificateRequestBuilder.CreateRequest(options, NullCoreLog.Instance));
        }

        [OpenSslFact]
        public void ExistingKey_HashChoiceStillApplies()
        {
            string key = _keys.CopyTo("ec.pem", _temp.Path, "ec.pem");
            var options = new CertificateRequestOptions { CommonName = "www.example.com", ExistingKeyPath = key, HashAlgorithm = "SHA384" };

            CertificateRequestInfo request = CertificateRequestBuilder.CreateRequest(options, NullCoreLog.Instance);
            _temp.WriteText("req.csr", request.Pem);

            Assert.Equal("sha384ECDSA", request.SignatureAlgorithm);
            Assert.Contains("ecdsa-with-SHA384", OpenSsl.Expect(_temp.Path, "req", "-in", "req.csr", "-noout", "-text").Output, StringComparison.Ordinal);
            CoreAssert.Throws("HashAlgorithmTooWeak", () => CertificateRequestBuilder.CreateRequest(new CertificateRequestOptions { CommonName = "www.example.com", ExistingKeyPath = key, HashAlgorithm = "SHA1" }, NullCoreLog.Instance));
        }

        [OpenSslFact]
        public void ExistingKey_SelfSignedCertificateCarriesIt()
        {
            string key = _keys.CopyTo("rsa.pem", _temp.Path, "rsa.pem");

            CertificateInfo certificate = CertificateRequestBuilder.CreateSelfSigned(new CertificateRequestOptions { CommonName = "www.example.com", ExistingKeyPath = key }, 10, NullCoreLog.Instance);
            _temp.WriteText("self.crt", certificate.ToPem());

            Assert.Equal(key, certificate.KeyPath);
            Assert.Equal(OpenSslMaker.PublicKeyOfKey(_temp.Path, key), OpenSslMaker.PublicKeyOfCertificate(_temp.Path, "self.crt"));
            OpenSsl.Expect(_temp.Path, "verify", "-CAfile", "self.crt", "self.crt");
        }

        private static byte[] Garbage(int length)
        {
            var bytes = new byte[length];
            new Random(20240601).NextBytes(bytes);
            bytes[0] = 0x9F; // never a SEQUENCE, never PEM text
            return bytes;
        }

        private static string SelfSignedPem() =>
            CertificateRequestBuilder.CreateSelfSigned(new CertificateRequestOptions { CommonName = "www.example.com", KeyAlgorithm = "ECDSA" }, 1, NullCoreLog.Instance).ToPem();

        private static string PlainKeyPem()
        {
            CertificateRequestInfo request = CertificateRequestBuilder.CreateRequest(new CertificateRequestOptions { CommonName = "www.example.com", KeyAlgorithm = "ECDSA" }, NullCoreLog.Instance);
            return Encoding.ASCII.GetString(PrivateKeyWriter.ToPem(request.PrivateKey!, null));
        }

        /// <summary>Makes the key of <paramref name="format"/> with openssl, with a certificate openssl made for the same key.</summary>
        private OpenSslKey Make(string format)
        {
            string dir = _temp.Path;
            IReadOnlyDictionary<string, string> password = OpenSsl.Password(OpenSslMaker.Password);
            string Copy(string file) => _keys.CopyTo(file, dir, file);

            switch (format)
            {
                case "genpkey RSA (PKCS#8 PEM)":
                    Copy("rsa.pem");
                    return Expect(new OpenSslKey(_temp.File("rsa.pem"), Copy("rsa.crt"), null), "-----BEGIN PRIVATE KEY-----");

                case "genrsa -traditional (PKCS#1 PEM)":
                    OpenSsl.Expect(dir, "genrsa", "-traditional", "-out", "key.pem", "2048");
                    OpenSslMaker.SelfSigned(dir, "key.pem", "key.crt", "/CN=pkcs1.example.com");
                    return Expect(new OpenSslKey(_temp.File("key.pem"), _temp.File("key.crt"), null), "-----BEGIN RSA PRIVATE KEY-----");

                case "ecparam -genkey (SEC1 PEM with EC PARAMETERS)":
                    OpenSsl.Expect(dir, "ecparam", "-genkey", "-name", "prime256v1", "-out", "key.pem");
                    OpenSslMaker.SelfSigned(dir, "key.pem", "key.crt", "/CN=sec1.example.com");
                    Assert.StartsWith("-----BEGIN EC PARAMETERS-----", File.ReadAllText(_temp.File("key.pem")), StringComparison.Ordinal);
                    return Expect(new OpenSslKey(_temp.File("key.pem"), _temp.File("key.crt"), null), "-----BEGIN EC PRIVATE KEY-----");

                case "ecparam -genkey -noout (SEC1 PEM)":
                    Copy("ec.pem");
                    Assert.DoesNotContain("EC PARAMETERS", File.ReadAllText(_temp.File("ec.pem")), StringComparison.Ordinal);
                    return Expect(new OpenSslKey(_temp.File("ec.pem"), Copy("ec.crt"), null), "-----BEGIN EC PRIVATE KEY-----");

                case "ecparam -genkey secp384r1 (SEC1 PEM)":
                case "ecparam -genkey secp521r1 (SEC1 PEM)":
                    OpenSslMaker.EcKey(dir, "key.pem", format.Contains("384", StringComparison.Ordinal) ? "secp384r1" : "secp521r1");
                    OpenSslMaker.SelfSigned(dir, "key.pem", "key.crt", "/CN=sec1.example.com");
                    return Expect(new OpenSslKey(_temp.File("key.pem"), _temp.File("key.crt"), null), "-----BEGIN EC PRIVATE KEY-----");

                case "pkcs8 -topk8 -v2 aes256 (RSA)":
                case "pkcs8 -topk8 -v2 aes256 (EC)":
                case "pkcs8 -topk8 -v1 PBE-SHA1-3DES (RSA)":
                case "pkcs8 -topk8 -v1 PBE-SHA1-3DES (EC)":
                    {
                        string source = format.EndsWith("(RSA)", StringComparison.Ordinal) ? "rsa" : "ec";
                        Copy(source + ".pem");
                        string[] scheme = format.Contains("aes256", StringComparison.Ordinal) ? new[] { "-v2", "aes256" } : new[] { "-v1", "PBE-SHA1-3DES" };
                        OpenSsl.Expect(dir, new[] { "pkcs8", "-topk8", "-in", source + ".pem", "-passout", "env:PW", "-out", "key.pem" }.Concat(scheme).ToArray(), password);
                        return Expect(new OpenSslKey(_temp.File("key.pem"), Copy(source + ".crt"), OpenSslMaker.Password), "-----BEGIN ENCRYPTED PRIVATE KEY-----");
                    }

                case "rsa -aes256 -traditional (Proc-Type PEM)":
                    Copy("rsa.pem");
                    OpenSsl.Expect(dir, new[] { "rsa", "-in", "rsa.pem", "-aes256", "-traditional", "-passout", "env:PW", "-out", "key.pem" }, password);
                    Assert.Contains("Proc-Type: 4,ENCRYPTED", File.ReadAllText(_temp.File("key.pem")), StringComparison.Ordinal);
                    return Expect(new OpenSslKey(_temp.File("key.pem"), Copy("rsa.crt"), OpenSslMaker.Password), "-----BEGIN RSA PRIVATE KEY-----");

                case "ec -aes256 (Proc-Type PEM)":
                    Copy("ec.pem");
                    OpenSsl.Expect(dir, new[] { "ec", "-in", "ec.pem", "-aes256", "-passout", "env:PW", "-out", "key.pem" }, password);
                    Assert.Contains("Proc-Type: 4,ENCRYPTED", File.ReadAllText(_temp.File("key.pem")), StringComparison.Ordinal);
                    return Expect(new OpenSslKey(_temp.File("key.pem"), Copy("ec.crt"), OpenSslMaker.Password), "-----BEGIN EC PRIVATE KEY-----");

                case "pkcs8 -topk8 -nocrypt -outform DER (PKCS#8 DER, RSA)":
                case "pkcs8 -topk8 -nocrypt -outform DER (PKCS#8 DER, EC)":
                    {
                        string source = format.Contains("RSA", StringComparison.Ordinal) ? "rsa" : "ec";
                        Copy(source + ".pem");
                        OpenSsl.Expect(dir, "pkcs8", "-topk8", "-nocrypt", "-in", source + ".pem", "-outform", "DER", "-out", "key.der");
                        Assert.Contains("INTEGER           :00", OpenSsl.Expect(dir, "asn1parse", "-inform", "DER", "-in", "key.der").Output, StringComparison.Ordinal);
                        return new OpenSslKey(_temp.File("key.der"), Copy(source + ".crt"), null);
                    }

                case "rsa -traditional -outform DER (PKCS#1 DER)":
                    Copy("rsa.pem");
                    OpenSsl.Expect(dir, "rsa", "-in", "rsa.pem", "-traditional", "-outform", "DER", "-out", "key.der");
                    return new OpenSslKey(_temp.File("key.der"), Copy("rsa.crt"), null);

                case "ec -outform DER (SEC1 DER)":
                    Copy("ec.pem");
                    OpenSsl.Expect(dir, "ec", "-in", "ec.pem", "-outform", "DER", "-out", "key.der");
                    return new OpenSslKey(_temp.File("key.der"), Copy("ec.crt"), null);

                case "pkcs8 -topk8 -v2 aes256 -outform DER (RSA)":
                    Copy("rsa.pem");
                    OpenSsl.Expect(dir, new[] { "pkcs8", "-topk8", "-v2", "aes256", "-in", "rsa.pem", "-passout", "env:PW", "-outform", "DER", "-out", "key.der" }, password);
                    return new OpenSslKey(_temp.File("key.der"), Copy("rsa.crt"), OpenSslMaker.Password);

                case "certificate and key in one PEM file":
                    {
                        // The certificate comes first, as in a combined file; both readers must find their part.
                        string combined = _temp.WriteText("combined.pem", File.ReadAllText(Path.Combine(_keys.Directory, "ec.crt")) + File.ReadAllText(Path.Combine(_keys.Directory, "ec.pem")));
                        return new OpenSslKey(combined, combined, null);
                    }

                case "rsa -aes256 -traditional with CRLF line ends":
                case "pkcs8 -topk8 -v2 aes256 with CRLF line ends":
                    {
                        OpenSslKey encrypted = Make(format.StartsWith("rsa", StringComparison.Ordinal) ? "rsa -aes256 -traditional (Proc-Type PEM)" : "pkcs8 -topk8 -v2 aes256 (RSA)");
                        File.WriteAllText(encrypted.KeyPath, Crlf(File.ReadAllText(encrypted.KeyPath)));
                        return encrypted;
                    }

                case "pkcs12 -nodes output (Bag Attributes)":
                    Copy("ec.pem");
                    Copy("ec.crt");
                    OpenSsl.Expect(dir, new[] { "pkcs12", "-export", "-in", "ec.crt", "-inkey", "ec.pem", "-passout", "env:PW", "-out", "ec.pfx" }, password);
                    OpenSsl.Expect(dir, new[] { "pkcs12", "-in", "ec.pfx", "-nodes", "-passin", "env:PW", "-out", "all.pem" }, password);
                    Assert.Contains("Bag Attributes", File.ReadAllText(_temp.File("all.pem")), StringComparison.Ordinal);
                    return new OpenSslKey(_temp.File("all.pem"), _temp.File("all.pem"), null);

                default:
                    throw new ArgumentOutOfRangeException(nameof(format), format, "No such key format in this test.");
            }
        }

        private static OpenSslKey Expect(OpenSslKey key, string firstLine)
        {
            Assert.Contains(firstLine, File.ReadAllText(key.KeyPath), StringComparison.Ordinal);
            return key;
        }

        private sealed record OpenSslKey(string KeyPath, string CertificatePath, string? Password);
    }
}
