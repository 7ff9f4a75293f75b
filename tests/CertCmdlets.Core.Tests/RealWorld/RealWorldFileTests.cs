using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CertCmdlets.Core.Authority;
using CertCmdlets.Core.Certificates;
using CertCmdlets.Core.Chains;
using CertCmdlets.Core.Keys;
using CertCmdlets.Core.Naming;
using CertCmdlets.Core.Pkcs12;
using CertCmdlets.Core.Requests;
using CertCmdlets.Core.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Core.Tests.RealWorld
{
    /// <summary>
    /// Issue 15: each kind of real-world file behaves as openssl does on the same file (openssl is asked in the test),
    /// or is refused with a true message and ErrorId.
    /// </summary>
    public sealed class RealWorldFileTests : IClassFixture<RealWorldFiles>, IDisposable
    {
        private readonly RealWorldFiles _files;
        private readonly TempDirectory _temp = new TempDirectory();

        public RealWorldFileTests(RealWorldFiles files)
        {
            _files = files;
        }

        public void Dispose() => _temp.Dispose();

        // ---- Extended key usage: empty, and holding an empty OID -----------------------------------------------

        [OpenSslFact]
        public void EmptyExtendedKeyUsage_IsNotForServers_AsOpenSslSays()
        {
            OpenSslResult openssl = _files.OpenSsl("verify", "-purpose", "sslserver", "-CAfile", "root.pem", "emptyeku.pem");
            Assert.NotEqual(0, openssl.ExitCode);
            Assert.Contains("unsuitable certificate purpose", openssl.AllText, StringComparison.Ordinal);

            ChainTestResult result = TestFile("emptyeku.pem", "root.pem");

            Assert.Contains(result.Problems, p => p.Contains("lacks serverAuth", StringComparison.Ordinal));
            Assert.DoesNotContain(result.Problems, p => p.Contains("damaged", StringComparison.Ordinal));
            Assert.True(result.IsComplete);
        }

        [OpenSslFact]
        public void ExtendedKeyUsageWithAnEmptyOid_IsADamagedExtensionProblem_AsOpenSslSays()
        {
            OpenSslResult openssl = _files.OpenSsl("verify", "-CAfile", "root.pem", "oddeku.pem");
            Assert.NotEqual(0, openssl.ExitCode);
            Assert.Contains("invalid certificate", openssl.AllText, StringComparison.Ordinal);

            ChainTestResult result = TestFile("oddeku.pem", "root.pem");

            Assert.Contains(result.Problems, p => p.Contains("damaged extended key usage extension", StringComparison.Ordinal));
            Assert.False(result.IsValid);
        }

        [OpenSslTheory]
        [InlineData("emptyeku.pem")]
        [InlineData("oddeku.pem")]
        public void OddExtendedKeyUsages_JoinAndImportWork(string file)
        {
            IReadOnlyList<CertificateInfo> certificates = CertificateReader.ReadFile(_files.PathOf(file));
            IReadOnlyList<CertificateInfo> joined = ChainJoiner.Join(certificates, CertificateReader.ReadFile(_files.PathOf("root.pem")), new ChainJoinOptions { IncludeRoot = true }, NullCoreLog.Instance, default);

            CertificateInfo leaf = Assert.Single(joined);
            Assert.Equal("CN=Real World Root, O=Real World", Assert.Single(leaf.Chain).Subject);
            Assert.Equal(new[] { "www.example.com" }, leaf.DnsNames);
        }

        // ---- Trailing bytes after DER ----------------------------------------------------------------------------

        [OpenSslFact]
        public void PfxWithEightTrailingZeroBytes_ReadsKeyAndChain_AsOpenSslAndDotNetDo_AndSaysSoInVerbose()
        {
            string padded = _temp.WriteBytes("padded.pfx", _files.Bytes("plain.pfx").Concat(new byte[8]).ToArray());
            Assert.Equal(0, Infrastructure.OpenSsl.Run(_temp.Path, new[] { "pkcs12", "-in", padded, "-nodes", "-passin", "env:PW" }, Infrastructure.OpenSsl.Password(RealWorldFiles.PfxPassword)).ExitCode);
            using (X509Certificate2 platform = X509CertificateLoader.LoadPkcs12FromFile(padded, RealWorldFiles.PfxPassword))
            {
                Assert.True(platform.HasPrivateKey);
            }

            var log = new RecordingLog();
            PfxContents contents = PfxReader.ReadFile(padded, SecureText.Of(RealWorldFiles.PfxPassword), log);

            CertificateInfo leaf = Assert.Single(contents.Leaves);
            Assert.True(leaf.HasPrivateKey);
            Assert.Single(leaf.Chain);
            Assert.Contains(log.VerboseMessages, m => m.Contains("8 zero byte(s) of padding", StringComparison.Ordinal));
            Assert.Empty(log.Warnings);

            // The thumbprints are those of the certificates, not of the padded file's bytes.
            Assert.Equal(CertificateReader.ReadFile(_files.PathOf("emptyeku.pem"))[0].Thumbprint, leaf.Thumbprint);
        }

        [OpenSslFact]
        public void DerPkcs7WithFiveTrailingZeroBytes_ListsItsThreeCertificates_AsOpenSslDoes()
        {
            string padded = _temp.WriteBytes("padded.p7b", _files.Bytes("bundle.p7b").Concat(new byte[5]).ToArray());
            OpenSslResult openssl = Infrastructure.OpenSsl.Expect(_temp.Path, "pkcs7", "-inform", "DER", "-in", padded, "-print_certs", "-noout");
            int opensslCount = openssl.Output.Split('\n').Count(l => l.StartsWith("subject=", StringComparison.Ordinal));

            var log = new RecordingLog();
            IReadOnlyList<CertificateInfo> certificates = CertificateReader.ReadFile(padded, log);

            Assert.Equal(3, opensslCount);
            Assert.Equal(opensslCount, certificates.Count);
            Assert.Contains(log.VerboseMessages, m => m.Contains("5 zero byte(s) of padding", StringComparison.Ordinal));
        }

        [OpenSslFact]
        public void DerCertificateWithOtherTrailingBytes_IsRead_WithAWarning()
        {
            byte[] der = Infrastructure.OpenSsl.Expect(_files.Directory, "x509", "-in", "root.pem", "-outform", "DER", "-out", _temp.File("root.der")).ExitCode == 0 ? File.ReadAllBytes(_temp.File("root.der")) : Array.Empty<byte>();
            string padded = _temp.WriteBytes("root-junk.der", der.Concat(new byte[] { 0x0A, 0x41, 0x42 }).ToArray());
            Assert.Equal(0, Infrastructure.OpenSsl.Run(_temp.Path, "x509", "-inform", "DER", "-in", padded, "-noout").ExitCode);

            var log = new RecordingLog();
            CertificateInfo certificate = Assert.Single(CertificateReader.ReadFile(padded, log));

            Assert.Equal(Convert.ToHexString(SHA1.HashData(der)), certificate.Thumbprint);
            Assert.Contains(log.Warnings, w => w.Contains("3 byte(s) after the DER structure were ignored", StringComparison.Ordinal));
        }

        // ---- RSA-PSS ----------------------------------------------------------------------------------------------

        [OpenSslFact]
        public void RsaPssCertificateAndItsKey_Match_AsOpenSslShowsTheSamePublicKey()
        {
            Assert.Equal(OpenSslMaker.PublicKeyOfKey(_files.Directory, "pss.key"), OpenSslMaker.PublicKeyOfCertificate(_files.Directory, "pss.pem"));

            IReadOnlyList<CertificateInfo> certificates = CertificateReader.ReadFile(_files.PathOf("pss.pem"));
            PrivateKeyFile key = PrivateKeyFile.Load(_files.PathOf("pss.key"), null);
            key.AttachTo(certificates, "pss.pem");

            Assert.True(certificates[0].HasPrivateKey);
            Assert.Equal("RSA-PSS 2048", certificates[0].KeyAlgorithm);
            Assert.Equal("RSA-PSS 2048", key.KeyAlgorithm);
            Assert.Equal("RSASSA-PSS", certificates[0].SignatureAlgorithm);
        }

        [OpenSslFact]
        public void PssSignatures_Verify_WithTheirOwnParameters()
        {
            // Self-signed by a PSS key (openssl's defaults), and by an RSA CA with PSS, SHA-384 and a 20-byte salt.
            CertificateInfo self = CertificateReader.ReadFile(_files.PathOf("pss.pem"))[0];
            CertificateInfo leaf = CertificateReader.ReadFile(_files.PathOf("pss-signed.pem"))[0];
            CertificateInfo ca = CertificateReader.ReadFile(_files.PathOf("rsaca.pem"))[0];
            Assert.Equal(0, _files.OpenSsl("verify", "-CAfile", "rsaca.pem", "pss-signed.pem").ExitCode);

            Assert.True(CertificateFacts.IsSignedBy(self, self));
            Assert.True(CertificateFacts.IsSignedBy(leaf, ca));
            Assert.False(CertificateFacts.IsSignedBy(leaf, self));
            ChainTestResult result = ChainTester.Test(leaf, Array.Empty<CertificateInfo>(), new[] { ca }, "www.example.com");
            Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Problems));
        }

        [OpenSslFact]
        public void PssKeyAsAuthority_SignsWithPss_AndOpenSslVerifies()
        {
            string authorityFile = _temp.File("pss-ca.pem");
            Infrastructure.OpenSsl.Expect(_files.Directory, "req", "-x509", "-new", "-key", "pss.key", "-subj", "/CN=PSS CA", "-days", "30",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign", "-out", authorityFile);
            IReadOnlyList<CertificateInfo> authority = CertificateReader.ReadFile(authorityFile);
            PrivateKeyFile.Load(_files.PathOf("pss.key"), null).AttachTo(authority, authorityFile);

            CertificateInfo issued = CertificateAuthority.Approve(CertificateRequestReader.ReadFile(_files.PathOf("good.csr")), authority[0], 30, null, NullCoreLog.Instance);
            string issuedFile = _temp.WriteText("issued.pem", issued.ToPem());

            Assert.Equal("RSASSA-PSS", issued.SignatureAlgorithm);
            OpenSslResult verify = Infrastructure.OpenSsl.Run(_temp.Path, "verify", "-CAfile", authorityFile, issuedFile);
            Assert.True(verify.ExitCode == 0, verify.ToString());
        }

        // ---- Internationalized names ----------------------------------------------------------------------------

        [OpenSslFact]
        public void RawUtf8DnsNames_ShowAsTheirALabels_NeverAsQuestionMarks()
        {
            string openssl = string.Join(", ", OpenSslMaker.SubjectAltNames(_files.OpenSsl("x509", "-in", "idn.pem", "-noout", "-text").Output));
            Assert.Contains("DNS:b\u00fccher.example", openssl, StringComparison.Ordinal);

            CertificateInfo certificate = CertificateReader.ReadFile(_files.PathOf("idn.pem"))[0];

            Assert.Equal(new[] { "xn--bcher-kva.example", "xn--bcher-kva.example", "xn--biztosts-fza2j.hu", "*.xn--mnchen-3ya.example" }, certificate.DnsNames);
            Assert.DoesNotContain(certificate.DnsNames, n => n.Contains('?', StringComparison.Ordinal));
            Assert.Equal("biztos\u00edt\u00e1s.hu", IdnNames.Unicode(certificate.DnsNames[2]));
        }

        [OpenSslTheory]
        [InlineData("b\u00fccher.example", true)]
        [InlineData("xn--bcher-kva.example", true)]
        [InlineData("B\u00dcCHER.example", true)]
        [InlineData("biztos\u00edt\u00e1s.hu", true)]
        [InlineData("www.m\u00fcnchen.example", true)]
        [InlineData("www.xn--mnchen-3ya.example", true)]
        [InlineData("bucher.example", false)]
        public void HostNameMatching_TreatsULabelAndALabelAsOneName(string name, bool covered)
        {
            CertificateInfo certificate = CertificateReader.ReadFile(_files.PathOf("idn.pem"))[0];

            Assert.Equal(covered, HostNameMatcher.Covers(certificate, name));
            ChainTestResult result = ChainTester.Test(certificate, Array.Empty<CertificateInfo>(), CertificateReader.ReadFile(_files.PathOf("root.pem")), name);
            Assert.Equal(covered, result.NamesMatch);
            if (!covered)
            {
                Assert.Contains(result.Problems, p => p.Contains("xn--bcher-kva.example (b\u00fccher.example)", StringComparison.Ordinal));
            }
        }

        [OpenSslFact]
        public void RawUtf8RequestNames_ShowAsALabels_AndTheCaIssuesALabels()
        {
            CertificateRequestInfo request = CertificateRequestReader.ReadFile(_files.PathOf("idn.csr"));
            Assert.Equal(new[] { "xn--bcher-kva.example", "xn--biztosts-fza2j.hu" }, request.DnsNames);

            CertificateInfo issued = CertificateAuthority.Approve(request, Authority(), 30, null, NullCoreLog.Instance);
            string file = _temp.WriteText("idn-issued.pem", issued.ToPem());

            Assert.Equal(request.DnsNames, issued.DnsNames);
            string sans = string.Join(", ", OpenSslMaker.SubjectAltNames(Infrastructure.OpenSsl.Expect(_temp.Path, "x509", "-in", file, "-noout", "-text").Output));
            Assert.Equal("DNS:xn--bcher-kva.example, DNS:xn--biztosts-fza2j.hu", sans);
        }

        // ---- Version 1 roots -----------------------------------------------------------------------------------

        [OpenSslFact]
        public void Version1RootAsTrustAnchor_IsACa_AsOpenSslAccepts()
        {
            Assert.Equal(0, _files.OpenSsl("verify", "-CAfile", "v1root.pem", "under-v1root.pem").ExitCode);
            CertificateInfo root = CertificateReader.ReadFile(_files.PathOf("v1root.pem"))[0];
            Assert.False(root.IsCertificateAuthority);

            ChainTestResult result = TestFile("under-v1root.pem", "v1root.pem");

            Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Problems));
            Assert.True(result.IsTrusted);
        }

        [OpenSslFact]
        public void Version1Intermediate_IsStillNotACa_AsOpenSslRefuses()
        {
            OpenSslResult openssl = _files.OpenSsl("verify", "-CAfile", "root.pem", "-untrusted", "v1int.pem", "under-v1int.pem");
            Assert.NotEqual(0, openssl.ExitCode);

            CertificateInfo leaf = CertificateReader.ReadFile(_files.PathOf("under-v1int.pem"))[0];
            ChainTestResult result = ChainTester.Test(leaf, CertificateReader.ReadFile(_files.PathOf("v1int.pem")), CertificateReader.ReadFile(_files.PathOf("root.pem")), null);

            Assert.Contains(result.Problems, p => p.Contains("'CN=Real World V1 Intermediate' issued a certificate but is not marked as a CA", StringComparison.Ordinal));
        }

        [OpenSslFact]
        public void FileWithAnExpiredIntermediateAndAVersion1Root_TestsTheIntermediate_AndSaysItExpired()
        {
            // openssl 3.0 cannot set past dates with x509 -req; the expired intermediate is signed by the openssl-made v1 root's key here.
            using RSA rootKey = RSA.Create();
            rootKey.ImportFromPem(File.ReadAllText(_files.PathOf("v1root.key")));
            using var rootCertificate = X509Certificate2.CreateFromPem(File.ReadAllText(_files.PathOf("v1root.pem")));
            using ECDsa intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=Expired Intermediate", intermediateKey, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            using X509Certificate2 intermediate = request.Create(rootCertificate.SubjectName, X509SignatureGenerator.CreateForRSA(rootKey, RSASignaturePadding.Pkcs1),
                DateTimeOffset.UtcNow.AddDays(-400), DateTimeOffset.UtcNow.AddDays(-35), new byte[] { 1, 2, 3 });
            string file = _temp.WriteText("expired-chain.pem", intermediate.ExportCertificatePem() + "\n" + File.ReadAllText(_files.PathOf("v1root.pem")));
            Assert.Contains("expired", Infrastructure.OpenSsl.Run(_temp.Path, "verify", "-CAfile", _files.PathOf("v1root.pem"), file).AllText, StringComparison.Ordinal);

            IReadOnlyList<ChainTestResult> results = ChainTester.TestAll(CertificateReader.ReadFile(file), CertificateReader.ReadFile(_files.PathOf("v1root.pem")), null);

            ChainTestResult result = Assert.Single(results);
            Assert.Equal("CN=Expired Intermediate", result.Subject);
            Assert.Contains(result.Problems, p => p.StartsWith("'CN=Expired Intermediate' expired on ", StringComparison.Ordinal));
        }

        // ---- True messages for DSA and explicit curves -----------------------------------------------------------

        [OpenSslTheory]
        [InlineData("dsa-pkcs8.pem")]
        [InlineData("dsa-pkcs8.der")]
        [InlineData("dsa-traditional.pem")]
        [InlineData("dsa-traditional.der")]
        public void DsaKeys_InEveryEncoding_AreKeyTypeUnsupported(string file)
        {
            CertCmdletsException error = CoreAssert.Throws("KeyTypeUnsupported", () => PrivateKeyFile.Load(_files.PathOf(file), null));
            Assert.Contains("DSA", error.Message, StringComparison.Ordinal);
        }

        [OpenSslFact]
        public void DsaKeyInsideAPfx_IsKeyTypeUnsupported_NotAnEncryptionProblem()
        {
            CertCmdletsException error = CoreAssert.Throws("KeyTypeUnsupported", () => PfxReader.ReadFile(_files.PathOf("dsa.pfx"), SecureText.Of(RealWorldFiles.PfxPassword), NullCoreLog.Instance));
            Assert.Contains("DSA", error.Message, StringComparison.Ordinal);
        }

        [OpenSslFact]
        public void ExplicitCurveP256Key_IsReadAsP256_AndMatchesItsCertificates()
        {
            Assert.Equal(OpenSslMaker.PublicKeyOfKey(_files.Directory, "explicit-as-named.key"), OpenSslMaker.PublicKeyOfCertificate(_files.Directory, "explicit-as-named.pem"));
            PrivateKeyFile key = PrivateKeyFile.Load(_files.PathOf("explicit.key"), null);
            Assert.Equal("ECDSA P-256", key.KeyAlgorithm);

            foreach (string file in new[] { "explicit.pem", "explicit-as-named.pem" })
            {
                IReadOnlyList<CertificateInfo> certificates = CertificateReader.ReadFile(_files.PathOf(file));
                key.AttachTo(certificates, file);
                Assert.True(certificates[0].HasPrivateKey, file);
            }

            Assert.Equal("ECDSA P-256 (explicit parameters)", CertificateReader.ReadFile(_files.PathOf("explicit.pem"))[0].KeyAlgorithm);
        }

        [OpenSslFact]
        public void ExplicitCurveOtherThanTheSupportedOnes_IsRefusedWithATrueMessage()
        {
            CertCmdletsException error = CoreAssert.Throws("KeyTypeUnsupported", () => PrivateKeyFile.Load(_files.PathOf("brainpool-explicit.key"), null));
            Assert.Contains("explicit curve parameters that are not those of P-256", error.Message, StringComparison.Ordinal);
        }

        // ---- Weak requests -------------------------------------------------------------------------------------

        [OpenSslTheory]
        [InlineData("rsa512.csr", "RequestKeyTooWeak", "RSA 512")]
        [InlineData("dsa.csr", "RequestKeyTooWeak", "DSA")]
        [InlineData("md4.csr", "RequestSignatureAlgorithmWeak", "md4RSA")]
        [InlineData("md5.csr", "RequestSignatureAlgorithmWeak", "md5RSA")]
        [InlineData("sha1.csr", "RequestSignatureAlgorithmWeak", "sha1RSA")]
        public void WeakRequests_AreRefusedByDefault_AndSignedWithAWarningWhenAllowed(string file, string errorId, string named)
        {
            CertificateRequestInfo request = CertificateRequestReader.ReadFile(_files.PathOf(file));

            CertCmdletsException error = CoreAssert.Throws(errorId, () => CertificateAuthority.Approve(request, Authority(), 30, null, NullCoreLog.Instance));
            Assert.Contains(named, error.Message, StringComparison.Ordinal);
            Assert.Contains("-AllowWeakRequest", error.Message, StringComparison.Ordinal);

            var log = new RecordingLog();
            CertificateInfo issued = CertificateAuthority.Approve(request, Authority(), 30, null, log, allowWeakRequest: true);
            Assert.Equal(request.Subject, issued.Subject);
            string warning = Assert.Single(log.Warnings, w => w.Contains("-AllowWeakRequest", StringComparison.Ordinal));
            Assert.Contains(named, warning, StringComparison.Ordinal);
        }

        [OpenSslFact]
        public void StrongRequests_AreSignedWithoutWarning()
        {
            var log = new RecordingLog();
            CertificateAuthority.Approve(CertificateRequestReader.ReadFile(_files.PathOf("good.csr")), Authority(), 10, null, log);
            CertificateAuthority.Approve(CertificateRequestReader.ReadFile(_files.PathOf("pss.csr")), Authority(), 10, null, log);

            Assert.Empty(log.Warnings);
        }

        private CertificateInfo Authority()
        {
            IReadOnlyList<CertificateInfo> root = CertificateReader.ReadFile(_files.PathOf("root.pem"));
            PrivateKeyFile.Load(_files.PathOf("root.key"), null).AttachTo(root, "root.pem");
            return root[0];
        }

        private ChainTestResult TestFile(string file, string trustedRoot) =>
            Assert.Single(ChainTester.TestAll(CertificateReader.ReadFile(_files.PathOf(file)), CertificateReader.ReadFile(_files.PathOf(trustedRoot)), null));
    }
}
