using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.Versioning;
using System.Security;
using CertCmdlets.Core.Keys;
using CertCmdlets.Core.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Core.Tests.Inventory
{
    /// <summary>
    /// Protect-PrivateKey and Unprotect-PrivateKey's core: a key file's password set or removed on the key alone, for
    /// every key form openssl writes, judged by openssl (same public key, opens with the new password or none), written
    /// 0600 through the safe writer; a wrong password writes nothing.
    /// </summary>
    public sealed class KeyProtectionTests : IDisposable, IClassFixture<OpenSslKeyFixture>
    {
        private const string NewPassword = "N3w pässword, long enough";
        private readonly TempDirectory _temp = new TempDirectory();
        private readonly OpenSslKeyFixture _keys;
        private readonly RecordingLog _log = new RecordingLog();

        public KeyProtectionTests(OpenSslKeyFixture keys)
        {
            _keys = keys;
        }

        public static TheoryData<string> AllForms => new TheoryData<string>(s_forms);

        public static TheoryData<string> EncryptedForms => new TheoryData<string>(s_forms.Where(IsEncrypted));

        private static readonly string[] s_forms =
        {
            "PKCS#8 PEM (RSA)",
            "PKCS#1 PEM",
            "SEC1 PEM",
            "PKCS#8 PEM encrypted AES-256 (RSA)",
            "PKCS#8 PEM encrypted AES-256 (EC)",
            "PKCS#8 PEM encrypted 3DES (RSA)",
            "OpenSSL legacy encrypted PEM (RSA)",
            "OpenSSL legacy encrypted PEM (EC)",
            "PKCS#8 DER (EC)",
            "PKCS#8 DER encrypted (RSA)",
            "PKCS#1 DER",
            "SEC1 DER",
        };

        public void Dispose() => _temp.Dispose();

        [OpenSslTheory]
        [MemberData(nameof(AllForms))]
        public void Unprotect_EveryForm_WritesAPlainKeyOpenSslReads_TheSameKey_OwnerOnly(string form)
        {
            (string source, string? password) = Make(form);
            string sourceHash = Hash(source);

            PrivateKeyFileInfo? result = KeyProtection.Rewrite(source, Secure(password), "Password", null, _temp.File("plain.key"), force: false, Yes, _log);

            Assert.NotNull(result);
            Assert.Equal(_temp.File("plain.key"), result!.Path);
            Assert.False(result.IsEncrypted);
            Assert.True(result.Written);
            Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(result.Path), StringComparison.Ordinal);
            Assert.Equal(PublicKey(source, password), PublicKey(result.Path, null));
            Assert.Equal(sourceHash, Hash(source));
            AssertOwnerOnly(result.Path);
        }

        [OpenSslTheory]
        [MemberData(nameof(AllForms))]
        public void Protect_EveryForm_WritesAnEncryptedKeyOpenSslOpensWithTheNewPasswordOnly(string form)
        {
            (string source, string? password) = Make(form);

            PrivateKeyFileInfo? result = KeyProtection.Rewrite(source, Secure(password), "CurrentPassword", SecureText.Of(NewPassword), _temp.File("locked.key"), force: false, Yes, _log);

            Assert.True(result!.IsEncrypted);
            Assert.StartsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----", File.ReadAllText(result.Path), StringComparison.Ordinal);
            Assert.Equal(PublicKey(source, password), PublicKey(result.Path, NewPassword));
            Assert.NotEqual(0, OpenSsl.Run(_temp.Path, new[] { "pkey", "-in", result.Path, "-passin", "env:PW", "-noout" }, OpenSsl.Password("not the password")).ExitCode);
            string parsed = OpenSsl.Expect(_temp.Path, "asn1parse", "-in", result.Path).Output;
            Assert.Contains("aes-256-cbc", parsed, StringComparison.Ordinal);
            Assert.Contains("hmacWithSHA256", parsed, StringComparison.Ordinal);
            AssertOwnerOnly(result.Path);
        }

        [OpenSslTheory]
        [MemberData(nameof(EncryptedForms))]
        public void WrongPassword_SaysSo_AndWritesNothing(string form)
        {
            (string source, _) = Make(form);
            IReadOnlyDictionary<string, string> before = _temp.Snapshot();

            CertCmdletsException unprotect = CoreAssert.Throws("KeyPasswordIncorrect", () => KeyProtection.Rewrite(source, SecureText.Of("wrong"), "Password", null, _temp.File("plain.key"), false, Yes, _log));
            CertCmdletsException protect = CoreAssert.Throws("KeyPasswordIncorrect", () => KeyProtection.Rewrite(source, SecureText.Of("wrong"), "CurrentPassword", SecureText.Of(NewPassword), source, true, Yes, _log));
            CertCmdletsException missing = CoreAssert.Throws("KeyPasswordRequired", () => KeyProtection.Rewrite(source, null, "Password", null, source, true, Yes, _log));

            Assert.Equal(before, _temp.Snapshot());
            Assert.Contains("-Password", unprotect.RecommendedAction, StringComparison.Ordinal);
            Assert.Contains("-CurrentPassword", protect.RecommendedAction, StringComparison.Ordinal);
            Assert.Contains("Nothing was written", unprotect.Message, StringComparison.Ordinal);
            Assert.Equal(source, missing.Target);
            Assert.DoesNotContain("wrong", unprotect.Message, StringComparison.Ordinal);
        }

        [UnixFact]
        [UnsupportedOSPlatform("windows")]
        public void InPlace_WithForce_ReplacesTheFile_NeverReadableByOthers()
        {
            (string source, string? password) = Make("OpenSSL legacy encrypted PEM (RSA)");
            File.SetUnixFileMode(source, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            string publicKey = PublicKey(source, password);

            PrivateKeyFileInfo? result = KeyProtection.Rewrite(source, Secure(password), "Password", null, null, force: true, Yes, _log);

            Assert.Equal(source, result!.Path);
            Assert.StartsWith("-----BEGIN PRIVATE KEY-----", File.ReadAllText(source), StringComparison.Ordinal);
            Assert.Equal(publicKey, PublicKey(source, null));
            // The writer's rule for a replaced key: never readable by others; a group that could read it (ssl-cert) still can.
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(source));
            Assert.DoesNotContain(Directory.GetFiles(_temp.Path), f => Path.GetFileName(f).StartsWith('.'));
        }

        [OpenSslFact]
        public void AlreadyPlainKey_InPlace_IsLeftAsItIs()
        {
            (string source, _) = Make("PKCS#1 PEM");
            string hash = Hash(source);

            PrivateKeyFileInfo? result = KeyProtection.Rewrite(source, null, "Password", null, null, force: true, Yes, _log);

            Assert.False(result!.Written);
            Assert.Equal(hash, Hash(source));
            Assert.Contains("not encrypted", Assert.Single(_log.Warnings), StringComparison.Ordinal);
        }

        [OpenSslFact]
        public void NoOutputAndNoForce_IsRefused_AndAnExistingOutputIsNotReplaced()
        {
            (string source, _) = Make("PKCS#8 PEM (RSA)");
            string existing = _temp.WriteText("taken.key", "someone else's file\n");
            IReadOnlyDictionary<string, string> before = _temp.Snapshot();

            CoreAssert.Throws("KeyOutputPathRequired", () => KeyProtection.Rewrite(source, null, "CurrentPassword", SecureText.Of(NewPassword), null, false, Yes, _log));
            CoreAssert.Throws("OutputFileExists", () => KeyProtection.Rewrite(source, null, "CurrentPassword", SecureText.Of(NewPassword), existing, false, Yes, _log));

            Assert.Equal(before, _temp.Snapshot());
        }

        [OpenSslFact]
        public void Declined_WritesNothing_AndAsksOnceWithTheTarget()
        {
            (string source, _) = Make("SEC1 PEM");
            var asked = new List<(string Target, string Action)>();
            IReadOnlyDictionary<string, string> before = _temp.Snapshot();

            PrivateKeyFileInfo? result = KeyProtection.Rewrite(source, null, "CurrentPassword", SecureText.Of(NewPassword), _temp.File("out.key"), false, (t, a) => { asked.Add((t, a)); return false; }, _log);

            Assert.Null(result);
            Assert.Equal(before, _temp.Snapshot());
            (string target, string action) = Assert.Single(asked);
            Assert.Equal(_temp.File("out.key"), target);
            Assert.Contains("encrypted", action, StringComparison.Ordinal);
        }

        [OpenSslFact]
        public void Protect_ChangesThePasswordOfAnEncryptedKey()
        {
            (string source, string? password) = Make("PKCS#8 PEM encrypted AES-256 (EC)");

            KeyProtection.Rewrite(source, Secure(password), "CurrentPassword", SecureText.Of(NewPassword), null, force: true, Yes, _log);

            Assert.Equal(PublicKey(_temp.File("ec.pem"), null), PublicKey(source, NewPassword));
            Assert.Contains(_log.VerboseMessages, m => m.Contains("Changed the password", StringComparison.Ordinal));
            Assert.DoesNotContain(_log.VerboseMessages.Concat(_log.Warnings), m => m.Contains(NewPassword, StringComparison.Ordinal));
        }

        // --- Helpers ----------------------------------------------------------------------------------------------

        private static bool Yes(string target, string action) => true;

        private static bool IsEncrypted(string form) => form.Contains("encrypted", StringComparison.Ordinal);

        private static SecureString? Secure(string? password) => password is null ? null : SecureText.Of(password);

        private static string Hash(string path) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)));

        private string PublicKey(string keyFile, string? password)
        {
            var arguments = new List<string> { "pkey", "-in", keyFile, "-pubout" };
            if (!File.ReadAllText(keyFile).Contains("-----BEGIN", StringComparison.Ordinal))
            {
                arguments.InsertRange(1, new[] { "-inform", "DER" });
            }

            if (password is not null)
            {
                arguments.AddRange(new[] { "-passin", "env:PW" });
            }

            return OpenSsl.Expect(_temp.Path, arguments, password is null ? null : OpenSsl.Password(password)).Output.Replace("\r", string.Empty).Trim();
        }

        private static void AssertOwnerOnly(string path)
        {
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            }
        }

        private (string Path, string? Password) Make(string form)
        {
            string dir = _temp.Path;
            const string Password = OpenSslMaker.Password;
            IReadOnlyDictionary<string, string> env = OpenSsl.Password(Password);
            string rsa = _keys.CopyTo("rsa.pem", dir, "rsa.pem");
            string ec = _keys.CopyTo("ec.pem", dir, "ec.pem");
            switch (form)
            {
                case "PKCS#8 PEM (RSA)":
                    return (rsa, null);
                case "PKCS#1 PEM":
                    OpenSsl.Expect(dir, "rsa", "-in", rsa, "-traditional", "-out", "key.pem");
                    return (_temp.File("key.pem"), null);
                case "SEC1 PEM":
                    Assert.Contains("BEGIN EC PRIVATE KEY", File.ReadAllText(ec), StringComparison.Ordinal);
                    return (ec, null);
                case "PKCS#8 PEM encrypted AES-256 (RSA)":
                case "PKCS#8 PEM encrypted AES-256 (EC)":
                    OpenSsl.Expect(dir, new[] { "pkcs8", "-topk8", "-v2", "aes256", "-in", form.EndsWith("(RSA)", StringComparison.Ordinal) ? rsa : ec, "-passout", "env:PW", "-out", "key.pem" }, env);
                    return (_temp.File("key.pem"), Password);
                case "PKCS#8 PEM encrypted 3DES (RSA)":
                    OpenSsl.Expect(dir, new[] { "pkcs8", "-topk8", "-v1", "PBE-SHA1-3DES", "-in", rsa, "-passout", "env:PW", "-out", "key.pem" }, env);
                    return (_temp.File("key.pem"), Password);
                case "OpenSSL legacy encrypted PEM (RSA)":
                    OpenSsl.Expect(dir, new[] { "rsa", "-in", rsa, "-aes256", "-traditional", "-passout", "env:PW", "-out", "key.pem" }, env);
                    Assert.Contains("Proc-Type: 4,ENCRYPTED", File.ReadAllText(_temp.File("key.pem")), StringComparison.Ordinal);
                    return (_temp.File("key.pem"), Password);
                case "OpenSSL legacy encrypted PEM (EC)":
                    OpenSsl.Expect(dir, new[] { "ec", "-in", ec, "-aes256", "-passout", "env:PW", "-out", "key.pem" }, env);
                    return (_temp.File("key.pem"), Password);
                case "PKCS#8 DER (EC)":
                    OpenSsl.Expect(dir, "pkcs8", "-topk8", "-nocrypt", "-in", ec, "-outform", "DER", "-out", "key.der");
                    return (_temp.File("key.der"), null);
                case "PKCS#8 DER encrypted (RSA)":
                    OpenSsl.Expect(dir, new[] { "pkcs8", "-topk8", "-v2", "aes256", "-in", rsa, "-passout", "env:PW", "-outform", "DER", "-out", "key.der" }, env);
                    return (_temp.File("key.der"), Password);
                case "PKCS#1 DER":
                    OpenSsl.Expect(dir, "rsa", "-in", rsa, "-traditional", "-outform", "DER", "-out", "key.der");
                    return (_temp.File("key.der"), null);
                case "SEC1 DER":
                    OpenSsl.Expect(dir, "ec", "-in", ec, "-outform", "DER", "-out", "key.der");
                    return (_temp.File("key.der"), null);
                default:
                    throw new ArgumentOutOfRangeException(nameof(form), form, "No such key form in this test.");
            }
        }
    }
}
