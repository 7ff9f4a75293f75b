using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using CertCmdlets.Core.Certificates;
using CertCmdlets.Core.Requests;
using CertCmdlets.Core.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Core.Tests
{
    /// <summary>Certificates openssl wrote, in every container, read by the core and compared with .NET and openssl.</summary>
    public sealed class CertificateReaderTests : IDisposable, IClassFixture<ChainFixture>
    {
        private readonly TempDirectory _temp = new TempDirectory();
        private readonly ChainFixture _chain;

        public CertificateReaderTests(ChainFixture chain)
        {
            _chain = chain;
        }

        public void Dispose() => _temp.Dispose();

        [OpenSslTheory]
        [InlineData("root.crt")]
        [InlineData("int.crt")]
        [InlineData("leaf.crt")]
        public void Pem_MatchesX509Certificate2AndOpenSsl(string file)
        {
            string path = _chain.CopyTo(file, _temp.Path, file);

            IReadOnlyList<CertificateInfo> certificates = CertificateReader.ReadFile(path);

            CertificateInfo certificate = Assert.Single(certificates);
            Assert.Equal(path, certificate.CertificatePath);
            AssertMatches(certificate, LoadPem(path), path, der: false);
        }

        [OpenSslTheory]
        [InlineData("root.crt")]
        [InlineData("leaf.crt")]
        public void Der_MatchesX509Certificate2AndOpenSsl(string file)
        {
            OpenSsl.Expect(_temp.Path, "x509", "-in", _chain.PathOf(file), "-outform", "DER", "-out", "cert.der");
            string path = _temp.File("cert.der");

            CertificateInfo certificate = Assert.Single(CertificateReader.ReadFile(path));

            AssertMatches(certificate, X509CertificateLoader.LoadCertificateFromFile(path), path, der: true);
            Assert.Equal(File.ReadAllBytes(path), certificate.Certificate.RawData);
        }

        [OpenSslFact]
        public void Leaf_NamesAndKeyAreRead()
        {
            CertificateInfo leaf = Assert.Single(CertificateReader.ReadFile(_chain.PathOf("leaf.crt")));

            Assert.Equal("www.example.com", leaf.CommonName);
            Assert.Equal(new[] { "www.example.com", "example.com" }, leaf.DnsNames);
            Assert.Equal(new[] { "192.0.2.7", "2001:db8::7" }, leaf.IpAddresses);
            Assert.Equal("RSA 2048", leaf.KeyAlgorithm);
            Assert.Equal("sha256ECDSA", leaf.SignatureAlgorithm);
            Assert.False(leaf.IsCertificateAuthority);
            Assert.False(leaf.HasPrivateKey);
            Assert.Equal("CN=www.example.com, OU=Web, O=\"Example, Ltd\", L=London, ST=Greater London, C=GB", leaf.Subject);
        }

        [OpenSslFact]
        public void Chain_IssuersAndCaFlagsAreRead()
        {
            CertificateInfo root = CertificateReader.ReadFile(_chain.PathOf("root.crt"))[0];
            CertificateInfo intermediate = CertificateReader.ReadFile(_chain.PathOf("int.crt"))[0];
            CertificateInfo leaf = CertificateReader.ReadFile(_chain.PathOf("leaf.crt"))[0];

            Assert.Equal(intermediate.Subject, leaf.Issuer);
            Assert.Equal(root.Subject, intermediate.Issuer);
            Assert.Equal(root.Subject, root.Issuer);
            Assert.True(root.IsCertificateAuthority);
            Assert.True(intermediate.IsCertificateAuthority);
            Assert.Equal("ECDSA P-384", intermediate.KeyAlgorithm);
            Assert.Equal("ECDSA P-256", root.KeyAlgorithm);
        }

        [OpenSslFact]
        public void Bundle_WithTextAroundCrlfAndBlankLines_ReadsAllInOrder()
        {
            string[] files = { "leaf.crt", "int.crt", "root.crt" };
            var text = new StringBuilder();
            foreach (string file in files)
            {
                // What administrators paste: openssl's text dump, then the PEM, with blank lines between.
                text.Append(OpenSsl.Expect(_temp.Path, "x509", "-in", _chain.PathOf(file), "-text").Output.Replace("\n", "\r\n", StringComparison.Ordinal));
                text.Append("\r\n\r\n   \r\n");
            }

            string path = _temp.WriteText("bundle.pem", "Bag Attributes\r\n    friendlyName: example\r\nsubject=whatever\r\n\r\n" + text);

            IReadOnlyList<CertificateInfo> certificates = CertificateReader.ReadFile(path);

            Assert.Equal(files.Select(f => LoadPem(_chain.PathOf(f)).Thumbprint), certificates.Select(c => c.Thumbprint));
            Assert.All(certificates, c => Assert.Equal(path, c.CertificatePath));
        }

        [OpenSslFact]
        public void Bundle_AsPastedText_IsParsed()
        {
            string pasted = "  " + _chain.Text("leaf.crt").Replace("\n", "\n    ", StringComparison.Ordinal) + "\n" + _chain.Text("int.crt");

            List<CertificateInfo> certificates = CertificateReader.ParseText(pasted, "clipboard");

            Assert.Equal(2, certificates.Count);
            Assert.Equal(LoadPem(_chain.PathOf("int.crt")).Thumbprint, certificates[1].Thumbprint);
        }

        [OpenSslTheory]
        [InlineData("PEM")]
        [InlineData("DER")]
        public void Pkcs7_FromCrl2Pkcs7_ReadsEveryCertificate(string form)
        {
            _temp.WriteText("bundle.pem", _chain.Text("leaf.crt") + _chain.Text("int.crt") + _chain.Text("root.crt"));
            OpenSsl.Expect(_temp.Path, "crl2pkcs7", "-nocrl", "-certfile", "bundle.pem", "-outform", form, "-out", "bundle.p7b");

            IReadOnlyList<CertificateInfo> certificates = CertificateReader.ReadFile(_temp.File("bundle.p7b"));

            // Compare with openssl's own reading of the same file, order included.
            string printed = OpenSsl.Expect(_temp.Path, "pkcs7", "-inform", form, "-in", "bundle.p7b", "-print_certs").Output;
            var expected = new X509Certificate2Collection();
            expected.ImportFromPem(printed);
            Assert.Equal(3, expected.Count);
            Assert.Equal(expected.Select(c => c.Thumbprint), certificates.Select(c => c.Thumbprint));
            Assert.Equal(expected.Select(c => DistinguishedNameParts.WithStateLabel(c.Subject)), certificates.Select(c => c.Subject));
            Assert.Equal(expected.Select(c => c.SerialNumber), certificates.Select(c => c.SerialNumber));
        }

        [OpenSslFact]
        public void Pkcs7_Empty_IsNoCertificateInFile()
        {
            OpenSsl.Expect(_temp.Path, "crl2pkcs7", "-nocrl", "-out", "empty.p7b");

            CoreAssert.Throws("NoCertificateInFile", () => CertificateReader.ReadFile(_temp.File("empty.p7b")));
        }

        [OpenSslFact]
        public void TrustedCertificate_IsReadAsTheCertificate()
        {
            OpenSsl.Expect(_temp.Path, "x509", "-in", _chain.PathOf("root.crt"), "-trustout", "-addtrust", "serverAuth", "-out", "trusted.pem");
            Assert.Contains("BEGIN TRUSTED CERTIFICATE", File.ReadAllText(_temp.File("trusted.pem")), StringComparison.Ordinal);

            CertificateInfo certificate = Assert.Single(CertificateReader.ReadFile(_temp.File("trusted.pem")));

            Assert.Equal(LoadPem(_chain.PathOf("root.crt")).Thumbprint, certificate.Thumbprint);
        }

        [OpenSslTheory]
        [InlineData("/C=GB/ST=Greater London/L=London/O=Example, Ltd/OU=Web/CN=www.example.com")]
        [InlineData("/DC=com/DC=example/CN=host.example.com")]
        [InlineData("/CN=www.example.com/emailAddress=admin@example.com")]
        [InlineData("/O=Org/CN=a+OU=b")]
        [InlineData("/O=Straße AG/CN=Bücher GmbH")]
        [InlineData("/O=Semi;colon \"quoted\"/CN=x=y")]
        [InlineData("/CN=#hash")]
        [InlineData("/serialNumber=12345/CN=x")]
        [InlineData("/street=1 Main St/postalCode=12345/title=Boss/CN=x")]
        public void Subject_IsShownAsX509Certificate2AndMatchesOpenSsl(string subject)
        {
            OpenSslMaker.SelfSigned(_temp.Path, _chain.PathOf("root.key"), "subject.crt", subject, null, null, "-multivalue-rdn", "-utf8");

            CertificateInfo certificate = Assert.Single(CertificateReader.ReadFile(_temp.File("subject.crt")));

            Assert.Equal(DistinguishedNameParts.WithStateLabel(LoadPem(_temp.File("subject.crt")).Subject), certificate.Subject);
            string opensslSubject = OpenSslMaker.Field(OpenSsl.Expect(_temp.Path, "x509", "-in", "subject.crt", "-noout", "-subject", "-nameopt", "RFC2253,-esc_msb").Output, "subject");
            Assert.Equal(DistinguishedNameParts.FromOpenSsl(opensslSubject), DistinguishedNameParts.FromWindows(certificate.Subject));
        }

        [OpenSslFact]
        public void CertificateRequest_IsNoCertificateInFileNamingTheCsr()
        {
            OpenSsl.Expect(_temp.Path, "req", "-new", "-key", _chain.PathOf("leaf.key"), "-subj", "/CN=www.example.com", "-out", "request.csr");

            CertCmdletsException error = CoreAssert.Throws("NoCertificateInFile", () => CertificateReader.ReadFile(_temp.File("request.csr")));

            Assert.Contains("CSR", error.Message, StringComparison.Ordinal);
            Assert.Equal(_temp.File("request.csr"), error.Target);
        }

        [OpenSslFact]
        public void CertificateRequestDer_IsACertCmdletsError()
        {
            OpenSsl.Expect(_temp.Path, "req", "-new", "-key", _chain.PathOf("leaf.key"), "-subj", "/CN=www.example.com", "-outform", "DER", "-out", "request.der");

            CoreAssert.ThrowsAny(new[] { "NoCertificateInFile", "CertificateFileInvalid" }, () => CertificateReader.ReadFile(_temp.File("request.der")));
        }

        [OpenSslFact]
        public void PrivateKeyPem_IsNoCertificateInFileNamingTheKey()
        {
            CertCmdletsException error = CoreAssert.Throws("NoCertificateInFile", () => CertificateReader.ReadFile(_chain.PathOf("leaf.key")));

            Assert.Contains("private key", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("MII", error.Message, StringComparison.Ordinal);
        }

        [OpenSslFact]
        public void PrivateKeyDer_IsNotMistakenForAPfx()
        {
            // PKCS#8 DER (pkey -outform DER would write PKCS#1): SEQUENCE { INTEGER 0, AlgorithmIdentifier, OCTET STRING }.
            OpenSsl.Expect(_temp.Path, "pkcs8", "-topk8", "-nocrypt", "-in", _chain.PathOf("leaf.key"), "-outform", "DER", "-out", "key.der");

            CertCmdletsException error = CoreAssert.ThrowsAny(new[] { "NoCertificateInFile", "CertificateFileInvalid" }, () => CertificateReader.ReadFile(_temp.File("key.der")));

            Assert.DoesNotContain("PKCS#12", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("Import-PfxAsPem", error.Message, StringComparison.Ordinal);
        }

        [OpenSslFact]
        public void Pfx_PointsToImportPfxAsPem()
        {
            OpenSsl.Expect(
                _temp.Path,
                new[] { "pkcs12", "-export", "-in", _chain.PathOf("leaf.crt"), "-inkey", _chain.PathOf("leaf.key"), "-passout", "env:PW", "-out", "site.pfx" },
                OpenSsl.Password(OpenSslMaker.Password));

            CertCmdletsException error = CoreAssert.Throws("CertificateFileInvalid", () => CertificateReader.ReadFile(_temp.File("site.pfx")));

            Assert.Contains("Import-PfxAsPem", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void DotNetPfx_PointsToImportPfxAsPem()
        {
            using RSA rsa = RSA.Create(2048);
            var request = new CertificateRequest("CN=pfx.example.com", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(1));
            string path = _temp.WriteBytes("site.pfx", certificate.Export(X509ContentType.Pfx, "pw"));

            CertCmdletsException error = CoreAssert.Throws("CertificateFileInvalid", () => CertificateReader.ReadFile(path));

            Assert.Contains("Import-PfxAsPem", error.Message, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("garbage")]
        [InlineData("empty")]
        [InlineData("text")]
        [InlineData("truncated PEM")]
        [InlineData("PEM missing its middle")]
        [InlineData("damaged base64")]
        [InlineData("empty PEM block")]
        [InlineData("DER cut short")]
        public void UnreadableFile_IsCertificateFileInvalid(string kind)
        {
            string pem = CertificateRequestBuilder.CreateSelfSigned(new CertificateRequestOptions { CommonName = "www.example.com", KeyAlgorithm = "ECDSA" }, 1, NullCoreLog.Instance).ToPem();
            string[] lines = pem.Split('\n');
            byte[] content = kind switch
            {
                "garbage" => Garbage(2000),
                "empty" => Array.Empty<byte>(),
                "text" => Encoding.ASCII.GetBytes("hello, this is not a certificate\n"),
                "truncated PEM" => Encoding.ASCII.GetBytes(string.Join('\n', lines.Take(lines.Length / 2))),
                "PEM missing its middle" => Encoding.ASCII.GetBytes(string.Join('\n', lines.Take(3).Concat(lines.Skip(lines.Length - 4)))),
                "damaged base64" => Encoding.ASCII.GetBytes(pem.Replace(lines[2], lines[2].Substring(0, 10) + "!*!" + lines[2].Substring(13), StringComparison.Ordinal)),
                "empty PEM block" => Encoding.ASCII.GetBytes("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n"),
                "DER cut short" => Convert.FromBase64String(string.Concat(lines.Skip(1).Take(lines.Length - 3))).Take(200).ToArray(),
                _ => throw new ArgumentOutOfRangeException(nameof(kind)),
            };
            string path = _temp.WriteBytes("cert.pem", content);

            CertCmdletsException error = CoreAssert.Throws("CertificateFileInvalid", () => CertificateReader.ReadFile(path));

            Assert.Equal(path, error.Target);
            Assert.Equal(CertErrorKind.InvalidData, error.Kind);
        }

        [Fact]
        public void MissingFile_IsFileNotFound()
        {
            CoreAssert.Throws("FileNotFound", () => CertificateReader.ReadFile(_temp.File("absent.pem")));
        }

        [Fact]
        public void Directory_IsFileReadFailed()
        {
            CoreAssert.Throws("FileReadFailed", () => CertificateReader.ReadFile(_temp.Path));
        }

        /// <summary>.NET's reading of the first certificate in a PEM file, independent of the core.</summary>
        private static X509Certificate2 LoadPem(string path) => X509Certificate2.CreateFromPem(File.ReadAllText(path));

        private static byte[] Garbage(int length)
        {
            var bytes = new byte[length];
            new Random(7).NextBytes(bytes);
            bytes[0] = 0x8E;
            return bytes;
        }

        /// <summary>The core's reading of a file against .NET's and openssl's reading of the same file.</summary>
        private void AssertMatches(CertificateInfo certificate, X509Certificate2 native, string path, bool der)
        {
            Assert.Equal(DistinguishedNameParts.WithStateLabel(native.Subject), certificate.Subject);
            Assert.Equal(DistinguishedNameParts.WithStateLabel(native.Issuer), certificate.Issuer);
            Assert.Equal(native.Thumbprint, certificate.Thumbprint);
            Assert.Equal(native.SerialNumber, certificate.SerialNumber);
            Assert.Equal(native.NotAfter, certificate.NotAfter);
            Assert.Equal(native.NotBefore, certificate.NotBefore);
            Assert.Equal(native.SignatureAlgorithm.FriendlyName, certificate.SignatureAlgorithm);
            X509BasicConstraintsExtension? constraints = native.Extensions.OfType<X509BasicConstraintsExtension>().SingleOrDefault();
            Assert.Equal(constraints?.CertificateAuthority ?? false, certificate.IsCertificateAuthority);
            X509SubjectAlternativeNameExtension? san = native.Extensions.OfType<X509SubjectAlternativeNameExtension>().SingleOrDefault();
            Assert.Equal(san?.EnumerateDnsNames() ?? Enumerable.Empty<string>(), certificate.DnsNames);
            Assert.Equal(san?.EnumerateIPAddresses() ?? Enumerable.Empty<IPAddress>(), certificate.IpAddresses.Select(IPAddress.Parse));
            Assert.Equal(native.RawData, certificate.Certificate.RawData);

            var arguments = new List<string> { "x509", "-in", path, "-noout", "-serial", "-fingerprint", "-sha1", "-enddate", "-subject", "-issuer", "-nameopt", "RFC2253,-esc_msb" };
            if (der)
            {
                arguments.Insert(1, "-inform");
                arguments.Insert(2, "DER");
            }

            string fields = OpenSsl.Expect(_temp.Path, arguments).Output;
            Assert.Equal(OpenSslMaker.Field(fields, "sha1 Fingerprint").Replace(":", string.Empty, StringComparison.Ordinal), certificate.Thumbprint);
            Assert.Equal(OpenSslMaker.Field(fields, "serial").TrimStart('0'), certificate.SerialNumber.TrimStart('0'));
            Assert.Equal(OpenSslMaker.ParseDate(OpenSslMaker.Field(fields, "notAfter")), certificate.NotAfter.ToUniversalTime());
            Assert.Equal(DistinguishedNameParts.FromOpenSsl(OpenSslMaker.Field(fields, "subject")), DistinguishedNameParts.FromWindows(certificate.Subject));
            Assert.Equal(DistinguishedNameParts.FromOpenSsl(OpenSslMaker.Field(fields, "issuer")), DistinguishedNameParts.FromWindows(certificate.Issuer));

            string text = OpenSsl.Expect(_temp.Path, der ? new[] { "x509", "-inform", "DER", "-in", path, "-noout", "-text" } : new[] { "x509", "-in", path, "-noout", "-text" }).Output;
            IReadOnlyList<string> altNames = OpenSslMaker.SubjectAltNames(text);
            Assert.Equal(altNames.Where(n => n.StartsWith("DNS:", StringComparison.Ordinal)).Select(n => n.Substring(4)), certificate.DnsNames);
            Assert.Equal(
                altNames.Where(n => n.StartsWith("IP Address:", StringComparison.Ordinal)).Select(n => IPAddress.Parse(n.Substring("IP Address:".Length))),
                certificate.IpAddresses.Select(IPAddress.Parse));
        }
    }
}
