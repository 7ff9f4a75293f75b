using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using CertCmdlets.Core.Certificates;
using CertCmdlets.Core.Export;
using CertCmdlets.Core.Pkcs12;
using CertCmdlets.Core.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Core.Tests.Pkcs12
{
    /// <summary>
    /// PfxWriter's files, judged by the three readers that matter: openssl (with and without -legacy), .NET's
    /// loader (what IIS and Windows tools use), and PfxReader itself. The certificates and keys are openssl's.
    /// </summary>
    public sealed class PfxWriterTests : IClassFixture<PfxFixture>, IDisposable
    {
        private const string FriendlyName = "www.example.com (2025 renewal)";

        private readonly PfxFixture _pfx;
        private readonly TempDirectory _temp = new TempDirectory();

        public PfxWriterTests(PfxFixture fixture)
        {
            _pfx = fixture;
        }

        public void Dispose() => _temp.Dispose();

        [OpenSslTheory]
        [InlineData("rsa-leaf", false)]
        [InlineData("rsa-leaf", true)]
        [InlineData("ec-leaf", false)]
        [InlineData("ec-leaf", true)]
        public void Written_OpenSslReportsTheAlgorithms(string leafName, bool legacy)
        {
            string path = Write(leafName, PfxFixture.Password, FriendlyName, legacy);

            // Without -legacy: nothing in the file may need OpenSSL's legacy provider.
            string info = _pfx.ExpectWithPassword(PfxFixture.Password, "pkcs12", "-info", "-noout", "-in", path, "-passin", "env:PFX_PASSWORD").AllText;

            string[] parts = Lines(info).Where(l => l.StartsWith("PKCS7 Encrypted data: ", StringComparison.Ordinal) || l.StartsWith("Shrouded Keybag: ", StringComparison.Ordinal)).ToArray();
            Assert.Equal(2, parts.Length);
            if (legacy)
            {
                Assert.Contains("MAC: sha1, Iteration 2000", Lines(info));
                Assert.All(parts, p => Assert.EndsWith(": pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2000", p, StringComparison.Ordinal));
            }
            else
            {
                Assert.Contains("MAC: sha256, Iteration 10000", Lines(info));
                Assert.All(parts, p => Assert.EndsWith(": PBES2, PBKDF2, AES-256-CBC, Iteration 10000, PRF hmacWithSHA256", p, StringComparison.Ordinal));
            }

            Assert.DoesNotContain("RC2", info, StringComparison.Ordinal);
            Assert.DoesNotContain("Warning", info, StringComparison.Ordinal);
        }

        [OpenSslTheory]
        [InlineData("rsa-leaf", false, false)]
        [InlineData("rsa-leaf", false, true)]
        [InlineData("rsa-leaf", true, false)]
        [InlineData("rsa-leaf", true, true)]
        [InlineData("ec-leaf", false, false)]
        [InlineData("ec-leaf", true, true)]
        public void Written_OpenSslExtractsLeafKeyAndChain(string leafName, bool legacy, bool openSslLegacyFlag)
        {
            string path = Write(leafName, PfxFixture.Password, FriendlyName, legacy);
            string[] flag = openSslLegacyFlag ? new[] { "-legacy" } : Array.Empty<string>();

            Extract(path, PfxFixture.Password, flag, "-nokeys", "-clcerts", "-out", _temp.File("leaf.pem"));
            Extract(path, PfxFixture.Password, flag, "-nokeys", "-cacerts", "-out", _temp.File("cas.pem"));
            Extract(path, PfxFixture.Password, flag, "-nocerts", "-nodes", "-out", _temp.File("key.pem"));

            Assert.Equal(_pfx.Thumbprint(leafName), OpenSslThumbprint("leaf.pem"));
            Assert.Equal(
                new[] { "intermediate", "root" }.Select(_pfx.Thumbprint).OrderBy(t => t, StringComparer.Ordinal),
                PemThumbprints("cas.pem").OrderBy(t => t, StringComparer.Ordinal));
            OpenSsl.Expect(_temp.Path, "pkey", "-in", "key.pem", "-check", "-noout");
            Assert.Equal(_pfx.PublicKey(leafName), OpenSslMaker.PublicKeyOfKey(_temp.Path, "key.pem"));

            // The whole chain verifies as openssl would for Apache.
            OpenSsl.Expect(_temp.Path, "verify", "-CAfile", _pfx.PathOf("root.crt"), "-untrusted", "cas.pem", "leaf.pem");
        }

        [OpenSslTheory]
        [InlineData(false)]
        [InlineData(true)]
        public void Written_CarriesTheFriendlyNameAndOneLocalKeyIdForKeyAndLeaf(bool legacy)
        {
            string path = Write("rsa-leaf", PfxFixture.Password, FriendlyName, legacy);

            string text = File.ReadAllText(Extract(path, PfxFixture.Password, Array.Empty<string>(), "-nodes", "-out", _temp.File("all.pem")));

            // Bag attributes as openssl prints them: the key bag and the leaf's certificate bag share name and id.
            string[] names = Regex.Matches(text, @"friendlyName: (.*)").Select(m => m.Groups[1].Value.Trim()).ToArray();
            string[] keyIds = Regex.Matches(text, @"localKeyID: (.*)").Select(m => m.Groups[1].Value.Trim()).ToArray();
            Assert.Equal(new[] { FriendlyName, FriendlyName }, names);
            Assert.Equal(2, keyIds.Length);
            Assert.Equal(keyIds[0], keyIds[1]);
        }

        [OpenSslFact]
        public void FriendlyName_DefaultsToTheCommonName()
        {
            string path = Write("rsa-leaf", PfxFixture.Password, null, legacy: false);

            string text = File.ReadAllText(Extract(path, PfxFixture.Password, Array.Empty<string>(), "-nokeys", "-clcerts", "-out", _temp.File("leaf.pem")));

            Assert.Contains("friendlyName: www.example.com", text, StringComparison.Ordinal);
        }

        [OpenSslTheory]
        [InlineData("rsa-leaf", false)]
        [InlineData("rsa-leaf", true)]
        [InlineData("ec-leaf", false)]
        [InlineData("ec-leaf", true)]
        public void Written_DotNetLoadsItWithTheKeyAndTheChain(string leafName, bool legacy)
        {
            byte[] pfx = File.ReadAllBytes(Write(leafName, PfxFixture.Password, FriendlyName, legacy));

            using X509Certificate2 loaded = X509CertificateLoader.LoadPkcs12(pfx, PfxFixture.Password);
            Assert.True(loaded.HasPrivateKey);
            Assert.Equal(_pfx.Thumbprint(leafName), loaded.Thumbprint);
            AssertKeySigns(loaded);

#pragma warning disable SYSLIB0057 // The obsolete constructor is what older scripts and tools still call.
            using var constructed = new X509Certificate2(pfx, PfxFixture.Password);
#pragma warning restore SYSLIB0057
            Assert.True(constructed.HasPrivateKey);
            Assert.Equal(_pfx.Thumbprint(leafName), constructed.Thumbprint);

            X509Certificate2Collection collection = X509CertificateLoader.LoadPkcs12Collection(pfx, PfxFixture.Password);
            try
            {
                Assert.Equal(
                    new[] { leafName, "intermediate", "root" }.Select(_pfx.Thumbprint).OrderBy(t => t, StringComparer.Ordinal),
                    collection.Select(c => c.Thumbprint).OrderBy(t => t, StringComparer.Ordinal));
                Assert.Equal(_pfx.Thumbprint(leafName), Assert.Single(collection, c => c.HasPrivateKey).Thumbprint);
            }
            finally
            {
                foreach (X509Certificate2 certificate in collection)
                {
                    certificate.Dispose();
                }
            }
        }

        [OpenSslTheory]
        [InlineData(false, "certificates encrypted with AES-256-CBC, PBKDF2-HMAC-SHA256, 10000 iterations; key encrypted with AES-256-CBC, PBKDF2-HMAC-SHA256, 10000 iterations", "HMAC-SHA256, 10000 iterations")]
        [InlineData(true, "certificates encrypted with 3DES-CBC (PKCS#12 PBE, SHA-1), 2000 iterations; key encrypted with 3DES-CBC (PKCS#12 PBE, SHA-1), 2000 iterations", "HMAC-SHA1, 2000 iterations")]
        public void Written_PfxReaderReadsItBack(bool legacy, string encryption, string integrity)
        {
            string path = Write("rsa-leaf", PfxFixture.Password, FriendlyName, legacy);

            PfxContents contents = PfxReader.ReadFile(path, PfxFixture.Secure(PfxFixture.Password), NullCoreLog.Instance);

            CertificateInfo leaf = Assert.Single(contents.Leaves);
            Assert.Equal(_pfx.Thumbprint("rsa-leaf"), leaf.Thumbprint);
            Assert.True(leaf.HasPrivateKey);
            Assert.True(leaf.PrivateKey!.Matches(leaf.PublicKeyInfo));
            Assert.Equal(new[] { "intermediate", "root" }.Select(_pfx.Thumbprint), leaf.Chain.Select(c => c.Thumbprint));
            Assert.Equal(encryption, contents.Encryption);
            Assert.Equal(integrity, contents.Integrity);
        }

        [OpenSslTheory]
        [InlineData(false)]
        [InlineData(true)]
        public void UnicodePassword_IsReadByOpenSslDotNetAndPfxReader(bool legacy)
        {
            string path = Write("rsa-leaf", PfxFixture.UnicodePassword, FriendlyName, legacy);

            Extract(path, PfxFixture.UnicodePassword, Array.Empty<string>(), "-nocerts", "-nodes", "-out", _temp.File("key.pem"));
            Assert.Equal(_pfx.PublicKey("rsa-leaf"), OpenSslMaker.PublicKeyOfKey(_temp.Path, "key.pem"));

            using X509Certificate2 loaded = X509CertificateLoader.LoadPkcs12(File.ReadAllBytes(path), PfxFixture.UnicodePassword);
            Assert.True(loaded.HasPrivateKey);

            Assert.True(Assert.Single(PfxReader.ReadFile(path, PfxFixture.Secure(PfxFixture.UnicodePassword), NullCoreLog.Instance).Leaves).HasPrivateKey);

            // And openssl refuses a near miss, so the check above means something.
            Assert.NotEqual(0, _pfx.RunWithPassword(PfxFixture.UnicodePassword.Normalize(System.Text.NormalizationForm.FormD), "pkcs12", "-in", path, "-nodes", "-passin", "env:PFX_PASSWORD", "-out", _temp.File("x.pem")).ExitCode);
        }

        [OpenSslTheory]
        [InlineData(false)]
        [InlineData(true)]
        public void EmptyPassword_IsReadByOpenSslDotNetAndPfxReader(bool legacy)
        {
            string path = Write("rsa-leaf", string.Empty, FriendlyName, legacy);

            Extract(path, string.Empty, Array.Empty<string>(), "-nocerts", "-nodes", "-out", _temp.File("key.pem"));
            Assert.Equal(_pfx.PublicKey("rsa-leaf"), OpenSslMaker.PublicKeyOfKey(_temp.Path, "key.pem"));

            using X509Certificate2 empty = X509CertificateLoader.LoadPkcs12(File.ReadAllBytes(path), string.Empty);
            Assert.True(empty.HasPrivateKey);
            using X509Certificate2 none = X509CertificateLoader.LoadPkcs12(File.ReadAllBytes(path), null);
            Assert.True(none.HasPrivateKey);

            Assert.True(Assert.Single(PfxReader.ReadFile(path, null, NullCoreLog.Instance).Leaves).HasPrivateKey);
        }

        [OpenSslFact]
        public void Build_UsesFreshSaltsEachTime()
        {
            CertificateInfo certificate = Load("rsa-leaf");

            byte[] first = PfxWriter.Build(certificate, PfxFixture.Secure(PfxFixture.Password), null, legacy: false);
            byte[] second = PfxWriter.Build(certificate, PfxFixture.Secure(PfxFixture.Password), null, legacy: false);

            Assert.NotEqual(first, second);
        }

        [OpenSslFact]
        public void ImportedThenExported_TheLegacyFileBecomesAModernOne()
        {
            // The seed workflow's reverse: an old PFX in, a modern one out, nothing lost on the way.
            PfxContents imported = PfxReader.ReadFile(_pfx.PathOf("openssl-legacy.pfx"), PfxFixture.Secure(PfxFixture.Password), NullCoreLog.Instance);
            CertificateInfo leaf = Assert.Single(imported.Leaves);

            byte[] pfx = PfxWriter.Build(leaf, PfxFixture.Secure("new password"), null, legacy: false);

            using X509Certificate2 loaded = X509CertificateLoader.LoadPkcs12(pfx, "new password");
            Assert.Equal(_pfx.Thumbprint("rsa-leaf"), loaded.Thumbprint);
            AssertKeySigns(loaded);
            PfxContents again = PfxReader.Parse(pfx, "again.pfx", PfxFixture.Secure("new password"), NullCoreLog.Instance);
            Assert.Equal(leaf.Chain.Select(c => c.Thumbprint), Assert.Single(again.Leaves).Chain.Select(c => c.Thumbprint));
            Assert.StartsWith("certificates encrypted with AES-256-CBC", again.Encryption, StringComparison.Ordinal);
        }

        // ---------------------------------------------------------------------------------------------------------
        // The file on disk
        // ---------------------------------------------------------------------------------------------------------

        [OpenSslFact]
        public void WriteFile_IsOwnerOnlyAndNamesTheFile()
        {
            string path = _temp.File("site.pfx");

            CertificateInfo? written = PfxWriter.WriteFile(Load("rsa-leaf"), path, PfxFixture.Secure(PfxFixture.Password), null, legacy: false, force: false, (_, _) => true, NullCoreLog.Instance);

            Assert.NotNull(written);
            Assert.Equal(path, written!.PfxPath);
            Assert.Equal(new[] { "site.pfx" }, _temp.Entries());
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }

            using X509Certificate2 loaded = X509CertificateLoader.LoadPkcs12FromFile(path, PfxFixture.Password);
            Assert.True(loaded.HasPrivateKey);
        }

        [OpenSslFact]
        public void WriteFile_DoesNotReplaceAFileWithoutForce()
        {
            string path = _temp.WriteText("site.pfx", "an older file");
            IReadOnlyDictionary<string, string> before = _temp.Snapshot();

            CertCmdletsException error = CoreAssert.Throws("OutputFileExists", () =>
                PfxWriter.WriteFile(Load("rsa-leaf"), path, PfxFixture.Secure(PfxFixture.Password), null, legacy: false, force: false, (_, _) => true, NullCoreLog.Instance));

            Assert.Equal(CertErrorKind.ResourceExists, error.Kind);
            CoreAssert.Unchanged(before, _temp.Snapshot());

            CertificateInfo? forced = PfxWriter.WriteFile(Load("rsa-leaf"), path, PfxFixture.Secure(PfxFixture.Password), null, legacy: false, force: true, (_, _) => true, NullCoreLog.Instance);
            Assert.NotNull(forced);
            Assert.Equal(new[] { "site.pfx" }, _temp.Entries());
            using X509Certificate2 loaded = X509CertificateLoader.LoadPkcs12FromFile(path, PfxFixture.Password);
            Assert.True(loaded.HasPrivateKey);
        }

        [OpenSslFact]
        public void WriteFile_DeclinedByShouldProcess_WritesNothing()
        {
            var asked = new List<string>();

            CertificateInfo? written = PfxWriter.WriteFile(Load("rsa-leaf"), _temp.File("site.pfx"), PfxFixture.Secure(PfxFixture.Password), null, legacy: false, force: false,
                (target, _) =>
                {
                    asked.Add(target);
                    return false;
                },
                NullCoreLog.Instance);

            Assert.Null(written);
            Assert.Equal(new[] { _temp.File("site.pfx") }, asked);
            Assert.Empty(_temp.Entries());
        }

        [OpenSslFact]
        public void Build_WithoutAKey_IsCertificateHasNoPrivateKey()
        {
            CertificateInfo certificateOnly = CertificateReader.ReadFile(_pfx.PathOf("rsa-leaf.crt"))[0];

            CoreAssert.Throws("CertificateHasNoPrivateKey", () => PfxWriter.Build(certificateOnly, PfxFixture.Secure(PfxFixture.Password), null, legacy: false));
        }

        // ---------------------------------------------------------------------------------------------------------
        // Helpers
        // ---------------------------------------------------------------------------------------------------------

        /// <summary>The leaf with its key and chain, put together from openssl's PEM files as Export-PemAsPfx -CertificatePath does.</summary>
        private CertificateInfo Load(string leafName) =>
            CertificateFiles.Load(_pfx.PathOf(leafName + ".crt"), _pfx.PathOf(leafName + ".key"), null, _pfx.PathOf("chain-root-first.pem"), NullCoreLog.Instance);

        private string Write(string leafName, string password, string? friendlyName, bool legacy)
        {
            CertificateInfo certificate = Load(leafName);
            Assert.True(certificate.HasPrivateKey);
            Assert.Equal(2, certificate.Chain.Length);
            SecureString secure = PfxFixture.Secure(password);
            return _temp.WriteBytes($"{leafName}-{(legacy ? "legacy" : "modern")}-{Guid.NewGuid():N}.pfx", PfxWriter.Build(certificate, secure, friendlyName, legacy));
        }

        /// <summary>openssl pkcs12 reading <paramref name="path"/> into the output named in <paramref name="arguments"/>; returns that output path.</summary>
        private string Extract(string path, string password, string[] flags, params string[] arguments)
        {
            var all = new List<string> { "pkcs12", "-in", path, "-passin", "env:PFX_PASSWORD" };
            all.AddRange(flags);
            all.AddRange(arguments);
            _pfx.ExpectWithPassword(password, all.ToArray());
            return arguments[Array.IndexOf(arguments, "-out") + 1];
        }

        private string OpenSslThumbprint(string file) =>
            OpenSslMaker.Field(OpenSsl.Expect(_temp.Path, "x509", "-in", file, "-noout", "-fingerprint", "-sha1").Output, "SHA1 Fingerprint").Replace(":", string.Empty);

        private IEnumerable<string> PemThumbprints(string file)
        {
            var collection = new X509Certificate2Collection();
            collection.ImportFromPemFile(_temp.File(file));
            return collection.Select(c => c.Thumbprint).ToArray();
        }

        private static void AssertKeySigns(X509Certificate2 certificate)
        {
            byte[] data = { 1, 2, 3, 4 };
            using RSA? rsa = certificate.GetRSAPrivateKey();
            if (rsa is not null)
            {
                byte[] signature = rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                using RSA publicKey = certificate.GetRSAPublicKey()!;
                Assert.True(publicKey.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
                return;
            }

            using ECDsa ec = certificate.GetECDsaPrivateKey() ?? throw new Xunit.Sdk.XunitException("no usable private key");
            byte[] ecSignature = ec.SignData(data, HashAlgorithmName.SHA256);
            using ECDsa ecPublic = certificate.GetECDsaPublicKey()!;
            Assert.True(ecPublic.VerifyData(data, ecSignature, HashAlgorithmName.SHA256));
        }

        private static string[] Lines(string text) => text.Replace("\r", string.Empty).Split('\n').Select(l => l.Trim()).ToArray();
    }
}
