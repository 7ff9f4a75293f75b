using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security;
using System.Text.RegularExpressions;
using CertCmdlets.Core.Keys;
using CertCmdlets.Core.Pkcs12;
using CertCmdlets.Core.Tests.Infrastructure;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using Xunit;

namespace CertCmdlets.Core.Tests.Pkcs12
{
    /// <summary>
    /// PfxReader on every kind of PFX a user meets, made by openssl (and by .NET for the shapes openssl cannot
    /// write), with openssl as the judge of what the file holds and how it is protected.
    /// </summary>
    public sealed class PfxReaderTests : IClassFixture<PfxFixture>, IDisposable
    {
        private readonly PfxFixture _pfx;
        private readonly TempDirectory _temp = new TempDirectory();

        public PfxReaderTests(PfxFixture fixture)
        {
            _pfx = fixture;
        }

        public static TheoryData<string> ReadableVariants => Names(PfxFixture.ReadableVariants);

        public static TheoryData<string> OpenSslVariants => Names(PfxFixture.OpenSslVariants);

        public static TheoryData<string> PasswordProtectedVariants => Names(PfxFixture.ReadableVariants.Where(v => !string.IsNullOrEmpty(v.Password)));

        public void Dispose() => _temp.Dispose();

        // ---------------------------------------------------------------------------------------------------------
        // Every variant: the leaf, its key and its chain
        // ---------------------------------------------------------------------------------------------------------

        [OpenSslTheory]
        [MemberData(nameof(ReadableVariants))]
        public void Variant_LeafKeyAndChain_AreWhatOpenSslSays(string name)
        {
            PfxVariant variant = PfxFixture.Variant(name);
            string path = _pfx.PathOf(variant.FileName);

            PfxContents contents = PfxReader.ReadFile(path, PasswordOf(variant), new RecordingLog());

            CertificateInfo leaf = Assert.Single(contents.Leaves);
            string expectedLeaf = variant.Leaf!;
            Assert.Equal(_pfx.Thumbprint(expectedLeaf), leaf.Thumbprint);
            Assert.Equal(_pfx.Subject(expectedLeaf), Rfc2253(leaf.Subject));
            Assert.True(leaf.HasPrivateKey, "the leaf should carry the key the file holds");
            Assert.Equal(path, leaf.PfxPath);

            // Leaf to root, whatever order the file had them in.
            Assert.Equal(variant.Chain.Select(_pfx.Thumbprint), leaf.Chain.Select(c => c.Thumbprint));
            Assert.Equal(variant.Chain.Select(_pfx.Subject), leaf.Chain.Select(c => Rfc2253(c.Subject)));
            Assert.All(leaf.Chain, c => Assert.False(c.HasPrivateKey));

            // The key is the leaf's and whole: openssl checks it and finds the public key of the key openssl made.
            _temp.WriteBytes("key.pem", PrivateKeyWriter.ToPem(leaf.PrivateKey!, null));
            OpenSsl.Expect(_temp.Path, "pkey", "-in", "key.pem", "-check", "-noout");
            Assert.Equal(_pfx.PublicKey(expectedLeaf), OpenSslMaker.PublicKeyOfKey(_temp.Path, "key.pem"));
        }

        [OpenSslTheory]
        [MemberData(nameof(ReadableVariants))]
        public void Variant_Description_NamesTheAlgorithmsOpenSslReports(string name)
        {
            PfxVariant variant = PfxFixture.Variant(name);
            var log = new RecordingLog();

            PfxContents contents = PfxReader.ReadFile(_pfx.PathOf(variant.FileName), PasswordOf(variant), log);

            (string encryption, string integrity) = DescribeFromOpenSsl(_pfx.Info(variant.FileName, variant.Password));
            Assert.Equal(encryption, contents.Encryption);
            Assert.Equal(integrity, contents.Integrity);
            if (variant.Encryption is not null)
            {
                Assert.Equal(variant.Encryption, contents.Encryption);
            }

            if (variant.Integrity is not null)
            {
                Assert.Equal(variant.Integrity, contents.Integrity);
            }

            // What -Verbose shows: both descriptions, and never the password.
            Assert.Contains(log.VerboseMessages, m => m.Contains(contents.Encryption, StringComparison.Ordinal) && m.Contains(contents.Integrity, StringComparison.Ordinal));
            AssertNoSecret(variant.Password, log);
        }

        [OpenSslFact]
        public void DescriptionCheck_WouldSeeADifferentAlgorithm()
        {
            // The comparison above must be able to fail: openssl's account of a legacy file is not a modern one.
            (string legacy, string legacyMac) = DescribeFromOpenSsl(_pfx.Info("openssl-legacy.pfx", PfxFixture.Password));
            (string modern, string modernMac) = DescribeFromOpenSsl(_pfx.Info("openssl-default.pfx", PfxFixture.Password));

            Assert.NotEqual(modern, legacy);
            Assert.NotEqual(modernMac, legacyMac);
        }

        // ---------------------------------------------------------------------------------------------------------
        // Shapes: leaf not first, strangers in the file, several keys, no key, no certificate
        // ---------------------------------------------------------------------------------------------------------

        [OpenSslTheory]
        [InlineData("dotnet-leaf-last", "rsa-leaf")]
        [InlineData("dotnet-ec-leaf-last", "ec-leaf")]
        public void LeafAfterItsCas_IsFoundByItsKey(string name, string leafName)
        {
            PfxContents contents = PfxReader.ReadFile(_pfx.PathOf(name + ".pfx"), Secret(PfxFixture.Password), NullCoreLog.Instance);

            // The premise: the file really has the leaf last (file order is kept in Certificates).
            Assert.Equal(new[] { "root", "intermediate", leafName }.Select(_pfx.Thumbprint), contents.Certificates.Select(c => c.Thumbprint));
            CertificateInfo leaf = Assert.Single(contents.Leaves);
            Assert.Equal(_pfx.Thumbprint(leafName), leaf.Thumbprint);
            Assert.Equal(new[] { "intermediate", "root" }.Select(_pfx.Thumbprint), leaf.Chain.Select(c => c.Thumbprint));
        }

        [OpenSslFact]
        public void StrangersAndARenewedIntermediate_AreLeftOutOfTheChain()
        {
            var log = new RecordingLog();

            PfxContents contents = PfxReader.ReadFile(_pfx.PathOf("extra-certificates.pfx"), Secret(PfxFixture.Password), log);

            Assert.Equal(5, contents.Certificates.Count);
            CertificateInfo leaf = Assert.Single(contents.Leaves);

            // The old intermediate has the same name as the right one: only the key identifiers tell them apart.
            Assert.Equal(_pfx.Subject("intermediate"), _pfx.Subject("intermediate-old"));
            Assert.Equal(new[] { _pfx.Thumbprint("intermediate"), _pfx.Thumbprint("root") }, leaf.Chain.Select(c => c.Thumbprint));
            Assert.Contains(log.VerboseMessages, m => m.Contains(PfxFixture.UnrelatedSubject.Replace(",", ", "), StringComparison.Ordinal) && m.Contains("left out", StringComparison.Ordinal));
        }

        [OpenSslFact]
        public void SeveralKeys_GiveOneLeafEach_AndWritingFilesNeedsAThumbprint()
        {
            PfxContents contents = PfxReader.ReadFile(_pfx.PathOf(PfxFixture.SeveralKeysFile), Secret(PfxFixture.Password), NullCoreLog.Instance);

            Assert.Equal(2, contents.Leaves.Count);
            Assert.Equal(
                new[] { _pfx.Thumbprint("rsa-leaf"), _pfx.Thumbprint("ec-leaf") }.OrderBy(t => t, StringComparer.Ordinal),
                contents.Leaves.Select(l => l.Thumbprint).OrderBy(t => t, StringComparer.Ordinal));
            foreach (CertificateInfo leaf in contents.Leaves)
            {
                Assert.True(leaf.HasPrivateKey);
                Assert.True(leaf.PrivateKey!.Matches(leaf.PublicKeyInfo), $"{leaf.Subject} should carry its own key, not the other one");
                Assert.Equal(new[] { _pfx.Thumbprint("intermediate"), _pfx.Thumbprint("root") }, leaf.Chain.Select(c => c.Thumbprint));
            }

            CertCmdletsException several = CoreAssert.Throws("PfxSeveralKeys", () => contents.SingleLeaf(contents.Leaves));
            Assert.Equal(CertErrorKind.InvalidOperation, several.Kind);
            Assert.Contains(_pfx.Thumbprint("rsa-leaf"), several.Message, StringComparison.Ordinal);
            Assert.Contains(_pfx.Thumbprint("ec-leaf"), several.Message, StringComparison.Ordinal);

            // -Thumbprint as Windows shows it, or as openssl prints it (colons, lower case).
            string ecFingerprint = string.Join(":", Enumerable.Range(0, 20).Select(i => _pfx.Thumbprint("ec-leaf").Substring(i * 2, 2))).ToLowerInvariant();
            CertificateInfo chosen = contents.SingleLeaf(contents.SelectLeaves(ecFingerprint));
            Assert.Equal(_pfx.Thumbprint("ec-leaf"), chosen.Thumbprint);
            Assert.Equal(_pfx.Thumbprint("rsa-leaf"), contents.SingleLeaf(contents.SelectLeaves(_pfx.Thumbprint("rsa-leaf"))).Thumbprint);

            CertCmdletsException notFound = CoreAssert.Throws("PfxThumbprintNotFound", () => contents.SelectLeaves(_pfx.Thumbprint("intermediate")));
            Assert.Equal(CertErrorKind.ObjectNotFound, notFound.Kind);
        }

        [OpenSslFact]
        public void CertificatesOnly_GiveTheLeafWithoutAKey_AndWarn()
        {
            var log = new RecordingLog();

            PfxContents contents = PfxReader.ReadFile(_pfx.PathOf(PfxFixture.CertificatesOnlyFile), Secret(PfxFixture.Password), log);

            Assert.Equal(3, contents.Certificates.Count);
            CertificateInfo leaf = Assert.Single(contents.Leaves);
            Assert.Equal(_pfx.Thumbprint("rsa-leaf"), leaf.Thumbprint);
            Assert.False(leaf.HasPrivateKey);
            Assert.Equal(new[] { _pfx.Thumbprint("intermediate"), _pfx.Thumbprint("root") }, leaf.Chain.Select(c => c.Thumbprint));
            Assert.Contains(log.Warnings, w => w.Contains("no private key", StringComparison.Ordinal));
        }

        [OpenSslFact]
        public void CasOnly_IsNotReportedAsSeveralKeys()
        {
            // A PFX holding only CA certificates (someone exported the chain without the site): there is no key and
            // no leaf. Whatever the reader makes of it, "several private keys" is not what the user should be told.
            var log = new RecordingLog();
            PfxContents contents = PfxReader.ReadFile(_pfx.PathOf(PfxFixture.CasOnlyFile), Secret(PfxFixture.Password), log);
            Assert.Equal(2, contents.Certificates.Count);
            Assert.Contains(log.Warnings, w => w.Contains("no private key", StringComparison.Ordinal));

            // What Import-PfxAsPem -OutputDirectory does with the contents.
            Exception? error = Record.Exception(() => contents.SingleLeaf(contents.SelectLeaves(null)));

            if (error is CertCmdletsException core)
            {
                Assert.NotEqual("PfxSeveralKeys", core.ErrorId);
                Assert.DoesNotContain("several private keys", core.Message, StringComparison.Ordinal);
            }
            else
            {
                Assert.Null(error);
            }
        }

        [OpenSslFact]
        public void KeyOnly_IsPfxHasNoCertificate()
        {
            string path = _pfx.PathOf(PfxFixture.KeyOnlyFile);

            CertCmdletsException error = CoreAssert.Throws("PfxHasNoCertificate", () => PfxReader.ReadFile(path, Secret(PfxFixture.Password), NullCoreLog.Instance));

            Assert.Equal(CertErrorKind.InvalidData, error.Kind);
            Assert.Equal(path, error.Target);
        }

        [OpenSslFact]
        public void KeyWithSomeoneElsesCertificate_IsPfxKeyWithoutCertificate()
        {
            // openssl refuses to pair a key with a certificate that is not its own; BouncyCastle's store does not check.
            AsymmetricKeyParameter rsaKey = (AsymmetricKeyParameter)new Org.BouncyCastle.OpenSsl.PemReader(new StringReader(File.ReadAllText(_pfx.PathOf("rsa-leaf.key")))).ReadObject();
            X509Certificate ecCertificate = new X509CertificateParser().ReadCertificate(File.ReadAllBytes(_pfx.PathOf("ec-leaf.crt")));
            Pkcs12Store store = new Pkcs12StoreBuilder().Build();
            store.SetKeyEntry("mismatched", new AsymmetricKeyEntry(rsaKey), new[] { new X509CertificateEntry(ecCertificate) });
            using var stream = new MemoryStream();
            store.Save(stream, PfxFixture.Password.ToCharArray(), new SecureRandom());
            string path = _temp.WriteBytes("mismatched.pfx", stream.ToArray());

            CertCmdletsException error = CoreAssert.Throws("PfxKeyWithoutCertificate", () => PfxReader.ReadFile(path, Secret(PfxFixture.Password), NullCoreLog.Instance));

            Assert.Equal(CertErrorKind.InvalidData, error.Kind);
        }

        // ---------------------------------------------------------------------------------------------------------
        // Passwords: wrong, missing, empty, none
        // ---------------------------------------------------------------------------------------------------------

        [OpenSslTheory]
        [MemberData(nameof(PasswordProtectedVariants))]
        public void WrongPassword_IsPfxPasswordIncorrect(string name)
        {
            PfxVariant variant = PfxFixture.Variant(name);
            string path = _pfx.PathOf(variant.FileName);
            var log = new RecordingLog();
            const string wrong = "Pfx p4ssword: correct horsE";

            CertCmdletsException error = CoreAssert.Throws("PfxPasswordIncorrect", () => PfxReader.ReadFile(path, Secret(wrong), log));

            Assert.Equal(CertErrorKind.AuthenticationError, error.Kind);
            Assert.Equal(path, error.Target);
            Assert.DoesNotContain(wrong, error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(variant.Password!, error.Message, StringComparison.Ordinal);
            AssertNoSecret(wrong, log);

            // openssl agrees the password is wrong (it must decrypt the key to find out when there is no MAC).
            Assert.NotEqual(0, _pfx.RunWithPassword(wrong, "pkcs12", "-legacy", "-in", variant.FileName, "-nodes", "-passin", "env:PFX_PASSWORD", "-out", _temp.File("openssl-out.pem")).ExitCode);
        }

        [OpenSslTheory]
        [InlineData("openssl-default")]
        [InlineData("openssl-legacy")]
        [InlineData("no-mac")]
        [InlineData("dotnet-export")]
        public void EmptyPasswordForAProtectedFile_IsPfxPasswordIncorrect(string name)
        {
            string path = _pfx.PathOf(name + ".pfx");

            CoreAssert.Throws("PfxPasswordIncorrect", () => PfxReader.ReadFile(path, Secret(string.Empty), NullCoreLog.Instance));
        }

        [OpenSslTheory]
        [InlineData("openssl-default")]
        [InlineData("openssl-legacy")]
        [InlineData("windows-3des")]
        [InlineData("no-mac")]
        [InlineData("no-mac-legacy")]
        [InlineData("dotnet-export")]
        public void NoPasswordForAProtectedFile_IsPfxPasswordRequired(string name)
        {
            string path = _pfx.PathOf(name + ".pfx");

            CertCmdletsException error = CoreAssert.Throws("PfxPasswordRequired", () => PfxReader.ReadFile(path, null, NullCoreLog.Instance));

            Assert.Equal(CertErrorKind.AuthenticationError, error.Kind);
            Assert.Equal(path, error.Target);
        }

        [OpenSslTheory]
        [InlineData("empty-password")]
        [InlineData("empty-password-legacy")]
        [InlineData("unprotected")]
        public void FileWithoutAPassword_ReadsWithNoPasswordAndWithAnEmptyOne(string name)
        {
            string path = _pfx.PathOf(name + ".pfx");

            PfxContents none = PfxReader.ReadFile(path, null, NullCoreLog.Instance);
            PfxContents empty = PfxReader.ReadFile(path, Secret(string.Empty), NullCoreLog.Instance);

            Assert.Equal(_pfx.Thumbprint("rsa-leaf"), Assert.Single(none.Leaves).Thumbprint);
            Assert.Equal(_pfx.Thumbprint("rsa-leaf"), Assert.Single(empty.Leaves).Thumbprint);
            Assert.True(none.Leaves[0].HasPrivateKey);
            Assert.True(empty.Leaves[0].HasPrivateKey);
        }

        [OpenSslFact]
        public void EmptyPasswordWrittenAsNoPasswordAtAll_ReadsToo()
        {
            // Windows and Java write an empty password as no bytes at all, OpenSSL as a lone NUL terminator; the
            // reader must take both. BouncyCastle writes the former.
            AsymmetricKeyParameter key = (AsymmetricKeyParameter)new Org.BouncyCastle.OpenSsl.PemReader(new StringReader(File.ReadAllText(_pfx.PathOf("rsa-leaf.key")))).ReadObject();
            X509Certificate certificate = new X509CertificateParser().ReadCertificate(File.ReadAllBytes(_pfx.PathOf("rsa-leaf.crt")));
            Pkcs12Store store = new Pkcs12StoreBuilder().Build();
            store.SetKeyEntry("www", new AsymmetricKeyEntry(key), new[] { new X509CertificateEntry(certificate) });
            using var stream = new MemoryStream();
            store.Save(stream, Array.Empty<char>(), new SecureRandom());
            string path = _temp.WriteBytes("absent-password.pfx", stream.ToArray());

            PfxContents none = PfxReader.ReadFile(path, null, NullCoreLog.Instance);
            PfxContents empty = PfxReader.ReadFile(path, Secret(string.Empty), NullCoreLog.Instance);

            Assert.True(Assert.Single(none.Leaves).HasPrivateKey);
            Assert.True(Assert.Single(empty.Leaves).HasPrivateKey);
            CoreAssert.Throws("PfxPasswordIncorrect", () => PfxReader.ReadFile(path, Secret("not empty"), NullCoreLog.Instance));
        }

        [OpenSslFact]
        public void UnprotectedFile_ReadsWhateverPasswordIsGiven()
        {
            // Nothing in the file depends on a password, so none can be wrong.
            PfxContents contents = PfxReader.ReadFile(_pfx.PathOf("unprotected.pfx"), Secret(PfxFixture.Password), NullCoreLog.Instance);

            Assert.True(Assert.Single(contents.Leaves).HasPrivateKey);
            Assert.Equal("none", contents.Encryption);
            Assert.Equal("none", contents.Integrity);
        }

        [OpenSslFact]
        public void UnicodePassword_MustMatchExactly()
        {
            // The same letters, decomposed (NFD): other bytes, so another password.
            string decomposed = PfxFixture.UnicodePassword.Normalize(System.Text.NormalizationForm.FormD);
            Assert.NotEqual(PfxFixture.UnicodePassword, decomposed);

            CoreAssert.Throws("PfxPasswordIncorrect", () => PfxReader.ReadFile(_pfx.PathOf("unicode.pfx"), Secret(decomposed), NullCoreLog.Instance));
            CoreAssert.Throws("PfxPasswordIncorrect", () => PfxReader.ReadFile(_pfx.PathOf("unicode-legacy.pfx"), Secret(decomposed), NullCoreLog.Instance));
        }

        // ---------------------------------------------------------------------------------------------------------
        // Damaged and foreign files
        // ---------------------------------------------------------------------------------------------------------

        [OpenSslTheory]
        [InlineData("openssl-default")]
        [InlineData("openssl-legacy")]
        [InlineData("no-mac")]
        [InlineData("unprotected")]
        [InlineData("dotnet-export")]
        public void TruncatedFile_IsPfxFileInvalid(string name)
        {
            byte[] whole = _pfx.Bytes(name + ".pfx");
            PfxVariant variant = PfxFixture.Variant(name);
            foreach (int length in new[] { whole.Length / 2, whole.Length - 1, 4 })
            {
                string path = _temp.WriteBytes($"truncated-{length}.pfx", whole.Take(length).ToArray());

                CertCmdletsException error = CoreAssert.Throws("PfxFileInvalid", () => PfxReader.ReadFile(path, PasswordOf(variant), NullCoreLog.Instance));

                Assert.Equal(CertErrorKind.InvalidData, error.Kind);
                Assert.Equal(path, error.Target);
            }
        }

        public static TheoryData<string, byte[]> ForeignFiles()
        {
            var random = new byte[3000];
            new Random(1234).NextBytes(random);
            random[0] = 0x42;
            var data = new TheoryData<string, byte[]>
            {
                { "random bytes", random },
                { "text", System.Text.Encoding.ASCII.GetBytes("This is not a certificate.\n") },
                { "an empty file", Array.Empty<byte>() },
                { "a DER NULL", new byte[] { 0x05, 0x00 } },
                { "an empty sequence", new byte[] { 0x30, 0x00 } },
                { "a sequence of garbage", new byte[] { 0x30, 0x06, 0x02, 0x01, 0x03, 0x04, 0x01, 0xFF } },
            };
            return data;
        }

        [Theory]
        [MemberData(nameof(ForeignFiles))]
        public void ForeignFile_IsPfxFileInvalid(string what, byte[] content)
        {
            string path = _temp.WriteBytes("foreign.pfx", content);

            CertCmdletsException error = CoreAssert.Throws("PfxFileInvalid", () => PfxReader.ReadFile(path, Secret(PfxFixture.Password), NullCoreLog.Instance));

            Assert.True(error.Kind == CertErrorKind.InvalidData, what);
            Assert.Equal(path, error.Target);
        }

        [OpenSslTheory]
        [InlineData("rsa-leaf.crt")]
        [InlineData("rsa-leaf.key")]
        public void PemFileGivenAsPfx_IsPfxFileInvalid(string fileName)
        {
            CoreAssert.Throws("PfxFileInvalid", () => PfxReader.ReadFile(_pfx.PathOf(fileName), Secret(PfxFixture.Password), NullCoreLog.Instance));
        }

        [OpenSslFact]
        public void DerCertificateGivenAsPfx_IsPfxFileInvalid()
        {
            OpenSsl.Expect(_pfx.WorkDirectory, "x509", "-in", "rsa-leaf.crt", "-outform", "DER", "-out", _temp.File("leaf.der"));

            CoreAssert.Throws("PfxFileInvalid", () => PfxReader.ReadFile(_temp.File("leaf.der"), Secret(PfxFixture.Password), NullCoreLog.Instance));
        }

        [Fact]
        public void MissingFile_IsFileNotFound()
        {
            string path = _temp.File("missing.pfx");

            CertCmdletsException error = CoreAssert.Throws("FileNotFound", () => PfxReader.ReadFile(path, null, NullCoreLog.Instance));

            Assert.Equal(path, error.Target);
        }

        [OpenSslFact]
        public void Parse_NamesTheSourceInErrors()
        {
            byte[] data = _pfx.Bytes("openssl-default.pfx");

            CertCmdletsException error = CoreAssert.Throws("PfxPasswordIncorrect", () => PfxReader.Parse(data, "site.pfx", Secret("wrong"), NullCoreLog.Instance));

            Assert.Equal("site.pfx", error.Target);
            Assert.Contains("'site.pfx'", error.Message, StringComparison.Ordinal);
        }

        // ---------------------------------------------------------------------------------------------------------
        // Helpers
        // ---------------------------------------------------------------------------------------------------------

        private static TheoryData<string> Names(IEnumerable<PfxVariant> variants)
        {
            var data = new TheoryData<string>();
            foreach (PfxVariant variant in variants)
            {
                data.Add(variant.Name);
            }

            return data;
        }

        private static SecureString? PasswordOf(PfxVariant variant) => variant.Password is null ? null : Secret(variant.Password);

        private static SecureString Secret(string text) => PfxFixture.Secure(text);

        /// <summary>Our subject format ("CN=x, O=y, C=z") as openssl prints RFC 2253 ("CN=x,O=y,C=z").</summary>
        private static string Rfc2253(string subject) => subject.Replace(", ", ",");

        private static void AssertNoSecret(string? password, RecordingLog log)
        {
            if (string.IsNullOrEmpty(password))
            {
                return;
            }

            Assert.DoesNotContain(log.VerboseMessages.Concat(log.Warnings), m => m.Contains(password, StringComparison.Ordinal));
        }

        /// <summary>
        /// What PfxContents should say, translated from openssl's own account (pkcs12 -info): "PKCS7 Encrypted data:"
        /// lines are the certificates' encryption, "Shrouded Keybag:" lines the key's, "MAC:" the integrity.
        /// </summary>
        internal static (string Encryption, string Integrity) DescribeFromOpenSsl(string info)
        {
            var parts = new List<string>();
            string integrity = "none";
            foreach (string raw in info.Replace("\r", string.Empty).Split('\n'))
            {
                string line = raw.Trim();
                if (line.StartsWith("PKCS7 Encrypted data: ", StringComparison.Ordinal))
                {
                    parts.Add("certificates encrypted with " + Algorithm(line.Substring("PKCS7 Encrypted data: ".Length)));
                }
                else if (line.StartsWith("Shrouded Keybag: ", StringComparison.Ordinal))
                {
                    parts.Add("key encrypted with " + Algorithm(line.Substring("Shrouded Keybag: ".Length)));
                }
                else if (line.StartsWith("MAC: ", StringComparison.Ordinal))
                {
                    Match mac = Regex.Match(line, @"^MAC: (?<hash>\w+), Iteration (?<n>\d+)$");
                    Assert.True(mac.Success, "unexpected openssl line: " + line);
                    integrity = $"HMAC-{mac.Groups["hash"].Value.ToUpperInvariant()}, {mac.Groups["n"].Value} iterations";
                }
            }

            return (parts.Count == 0 ? "none" : string.Join("; ", parts.Distinct()), integrity);
        }

        private static string Algorithm(string openssl)
        {
            Match pbes2 = Regex.Match(openssl, @"^PBES2, PBKDF2, (?<cipher>[A-Za-z0-9-]+), Iteration (?<n>\d+), PRF hmacWith(?<prf>\w+)$");
            if (pbes2.Success)
            {
                string cipher = pbes2.Groups["cipher"].Value == "DES-EDE3-CBC" ? "3DES-CBC" : pbes2.Groups["cipher"].Value;
                return $"{cipher}, PBKDF2-HMAC-{pbes2.Groups["prf"].Value}, {pbes2.Groups["n"].Value} iterations";
            }

            Match legacy = Regex.Match(openssl, @"^(?<pbe>pbeWithSHA1And[\w-]+), Iteration (?<n>\d+)$");
            Assert.True(legacy.Success, "unexpected openssl algorithm: " + openssl);
            string name = legacy.Groups["pbe"].Value switch
            {
                "pbeWithSHA1And3-KeyTripleDES-CBC" => "3DES-CBC",
                "pbeWithSHA1And2-KeyTripleDES-CBC" => "2-key 3DES-CBC",
                "pbeWithSHA1And40BitRC2-CBC" => "RC2-40-CBC",
                "pbeWithSHA1And128BitRC2-CBC" => "RC2-128-CBC",
                string other => other,
            };
            return $"{name} (PKCS#12 PBE, SHA-1), {legacy.Groups["n"].Value} iterations";
        }
    }
}
