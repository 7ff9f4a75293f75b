using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.Versioning;
using System.Text;
using CertCmdlets.Core.Certificates;
using CertCmdlets.Core.Export;
using CertCmdlets.Core.IO;
using CertCmdlets.Core.Requests;
using CertCmdlets.Core.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Core.Tests
{
    /// <summary>PEM files written through <see cref="PemOutput"/> and <see cref="FileWritePlan"/>: modes, atomicity, refusals.</summary>
    public sealed class PemOutputTests : IDisposable
    {
        private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        private const UnixFileMode GroupOrOtherWrite = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

        private static readonly Func<string, string, bool> s_yes = (_, _) => true;

        private readonly TempDirectory _temp = new TempDirectory();

        public void Dispose() => _temp.Dispose();

        [OpenSslFact]
        public void InDirectory_WritesCertificateKeyAndFullChain()
        {
            CertificateInfo certificate = NewCertificate("www.example.com");
            string directory = _temp.File("out");

            CertificateInfo? written = PemOutput.WriteCertificate(certificate, PemExportTargets.InDirectory(directory, certificate), null, false, s_yes, NullCoreLog.Instance);

            Assert.NotNull(written);
            Assert.Equal(new[] { "out/", "out/cert.pem", "out/fullchain.pem", "out/key.pem" }, _temp.Entries());
            Assert.Equal(Path.Combine(directory, "cert.pem"), written!.CertificatePath);
            Assert.Equal(Path.Combine(directory, "key.pem"), written.KeyPath);
            Assert.Equal(Path.Combine(directory, "fullchain.pem"), written.FullChainPath);
            Assert.Null(written.ChainPath);
            Assert.Null(certificate.CertificatePath);
            Assert.Equal(certificate.Thumbprint, CertificateReader.ReadFile(written.CertificatePath!)[0].Thumbprint);
            Assert.Equal(certificate.ToPem(), File.ReadAllText(written.CertificatePath!));
            Assert.Equal(OpenSslMaker.PublicKeyOfCertificate(directory, "cert.pem"), OpenSslMaker.PublicKeyOfKey(directory, "key.pem"));
            OpenSsl.Expect(directory, "x509", "-in", "fullchain.pem", "-noout");
        }

        [Fact]
        public void InDirectory_WithChain_WritesChainAndFullChainLeafFirst()
        {
            CertificateInfo leaf = NewCertificate("www.example.com");
            CertificateInfo intermediate = NewCertificate("Example Intermediate");
            CertificateInfo root = NewCertificate("Example Root");
            leaf.Chain = new[] { intermediate, root };

            CertificateInfo? written = PemOutput.WriteCertificate(leaf, PemExportTargets.InDirectory(_temp.Path, leaf), null, false, s_yes, NullCoreLog.Instance);

            Assert.Equal(new[] { "cert.pem", "chain.pem", "fullchain.pem", "key.pem" }, _temp.Entries());
            Assert.Equal(_temp.File("chain.pem"), written!.ChainPath);
            Assert.Equal(new[] { leaf.Thumbprint, intermediate.Thumbprint, root.Thumbprint }, CertificateReader.ReadFile(_temp.File("fullchain.pem")).Select(c => c.Thumbprint));
            Assert.Equal(new[] { intermediate.Thumbprint, root.Thumbprint }, CertificateReader.ReadFile(_temp.File("chain.pem")).Select(c => c.Thumbprint));
            Assert.Equal(new[] { leaf.Thumbprint }, CertificateReader.ReadFile(_temp.File("cert.pem")).Select(c => c.Thumbprint));
        }

        [UnixFact]
        [UnsupportedOSPlatform("windows")]
        public void Modes_KeyIsOwnerOnly_CertificatesAreNotWritableByOthers()
        {
            CertificateInfo leaf = NewCertificate("www.example.com");
            leaf.Chain = new[] { NewCertificate("Example Intermediate") };

            PemOutput.WriteCertificate(leaf, PemExportTargets.InDirectory(_temp.Path, leaf), null, false, s_yes, NullCoreLog.Instance);

            Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(_temp.File("key.pem")));
            foreach (string name in new[] { "cert.pem", "chain.pem", "fullchain.pem" })
            {
                UnixFileMode mode = File.GetUnixFileMode(_temp.File(name));
                Assert.True(mode.HasFlag(UnixFileMode.UserRead) && mode.HasFlag(UnixFileMode.UserWrite), $"{name} is {mode}");
                Assert.True((mode & GroupOrOtherWrite) == 0, $"{name} is writable by others: {mode}");
                Assert.True((mode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) == 0, $"{name} is executable: {mode}");
            }
        }

        [UnixFact]
        [UnsupportedOSPlatform("windows")]
        public void Force_ReplacingAWorldReadableKey_LosesOtherUsersKeepsItsGroupAndWarns()
        {
            // A key that was 0644: other users lose it; its group could read it, so the group keeps reading it.
            CertificateInfo certificate = NewCertificate("www.example.com");
            string key = _temp.WriteText("key.pem", "old key\n");
            File.SetUnixFileMode(key, OwnerReadWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            var log = new RecordingLog();

            PemOutput.WriteCertificate(certificate, new PemExportTargets { KeyPath = key }, null, true, s_yes, log);

            Assert.Equal(OwnerReadWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(key));
            Assert.Contains("BEGIN PRIVATE KEY", File.ReadAllText(key), StringComparison.Ordinal);
            Assert.Contains(log.Warnings, w => w.Contains("readable by every user (mode 0644)", StringComparison.Ordinal) && w.Contains("0640", StringComparison.Ordinal));
        }

        [UnixFact]
        [UnsupportedOSPlatform("windows")]
        public void Force_ReplacingAKeyOnlyOthersCouldRead_LeavesItOwnerOnly()
        {
            CertificateInfo certificate = NewCertificate("www.example.com");
            string key = _temp.WriteText("key.pem", "old key\n");
            File.SetUnixFileMode(key, OwnerReadWrite | UnixFileMode.OtherRead);

            PemOutput.WriteCertificate(certificate, new PemExportTargets { KeyPath = key }, null, true, s_yes, NullCoreLog.Instance);

            Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(key));
        }

        [OpenSslFact]
        public void EncryptedKey_IsReadByOpenSslWithThePassword()
        {
            CertificateInfo certificate = NewCertificate("www.example.com");

            PemOutput.WriteCertificate(certificate, PemExportTargets.InDirectory(_temp.Path, certificate), SecureText.Of(OpenSslMaker.Password), false, s_yes, NullCoreLog.Instance);

            Assert.Contains("BEGIN ENCRYPTED PRIVATE KEY", File.ReadAllText(_temp.File("key.pem")), StringComparison.Ordinal);
            Assert.Equal(OpenSslMaker.PublicKeyOfCertificate(_temp.Path, "cert.pem"), OpenSslMaker.PublicKeyOfKey(_temp.Path, "key.pem", OpenSslMaker.Password));
            Assert.NotEqual(0, OpenSsl.Run(_temp.Path, new[] { "pkey", "-in", "key.pem", "-noout", "-passin", "env:PW" }, OpenSsl.Password("wrong")).ExitCode);
        }

        [Fact]
        public void ExistingFile_WithoutForce_IsOutputFileExistsAndNothingChanges()
        {
            CertificateInfo certificate = NewCertificate("www.example.com");
            _temp.WriteText("key.pem", "precious old key\n");
            Directory.CreateDirectory(_temp.File("other"));
            _temp.WriteText("other/notes.txt", "unrelated\n");
            IReadOnlyDictionary<string, string> before = _temp.Snapshot();

            CertCmdletsException error = CoreAssert.Throws("OutputFileExists", () => PemOutput.WriteCertificate(certificate, PemExportTargets.InDirectory(_temp.Path, certificate), null, false, s_yes, NullCoreLog.Instance));

            Assert.Equal(_temp.File("key.pem"), error.Target);
            Assert.Equal(CertErrorKind.ResourceExists, error.Kind);
            CoreAssert.Unchanged(before, _temp.Snapshot());
        }

        [Fact]
        public void ExistingFiles_WithForce_AreReplaced()
        {
            CertificateInfo first = NewCertificate("www.example.com");
            CertificateInfo second = NewCertificate("www.example.com");
            PemOutput.WriteCertificate(first, PemExportTargets.InDirectory(_temp.Path, first), null, false, s_yes, NullCoreLog.Instance);
            var actions = new List<string>();

            CertificateInfo? written = PemOutput.WriteCertificate(second, PemExportTargets.InDirectory(_temp.Path, second), null, true, (target, action) => { actions.Add(action); return true; }, NullCoreLog.Instance);

            Assert.NotNull(written);
            Assert.Equal(second.Thumbprint, CertificateReader.ReadFile(_temp.File("cert.pem")).Single().Thumbprint);
            Assert.Equal(second.Thumbprint, CertificateReader.ReadFile(_temp.File("fullchain.pem")).Single().Thumbprint);
            PrivateKeyFile.Load(_temp.File("key.pem"), null).AttachTo(new[] { second }, "second");
            Assert.All(actions, a => Assert.StartsWith("Replace ", a, StringComparison.Ordinal));
            Assert.Equal(new[] { "cert.pem", "fullchain.pem", "key.pem" }, _temp.Entries());
        }

        [Fact]
        public void ShouldProcessDeclined_WritesNothingAndReturnsNull()
        {
            CertificateInfo certificate = NewCertificate("www.example.com");
            var asked = new List<(string Target, string Action)>();

            CertificateInfo? written = PemOutput.WriteCertificate(certificate, PemExportTargets.InDirectory(_temp.File("out"), certificate), null, false, (target, action) => { asked.Add((target, action)); return false; }, NullCoreLog.Instance);

            Assert.Null(written);
            Assert.Empty(_temp.Entries());

            // One question for the whole set (one -Confirm prompt, one -WhatIf line), naming every file.
            (string target, string action) = Assert.Single(asked);
            Assert.Equal(new[] { "key.pem", "cert.pem", "fullchain.pem" }, target.Split(", ").Select(Path.GetFileName));
            Assert.Equal("Write private key (unencrypted), certificate and full chain (certificate and intermediates)", action);
        }

        [Fact]
        public void ShouldProcessApproved_WritesTheWholeSetAfterOneQuestion()
        {
            CertificateInfo certificate = NewCertificate("www.example.com");
            int questions = 0;

            CertificateInfo? written = PemOutput.WriteCertificate(certificate, PemExportTargets.InDirectory(_temp.Path, certificate), null, false, (_, _) => ++questions > 0, NullCoreLog.Instance);

            Assert.Equal(1, questions);
            Assert.Equal(new[] { "cert.pem", "fullchain.pem", "key.pem" }, _temp.Entries());
            Assert.Equal(_temp.File("cert.pem"), written!.CertificatePath);
            Assert.Equal(_temp.File("key.pem"), written.KeyPath);
            Assert.Equal(_temp.File("fullchain.pem"), written.FullChainPath);
        }

        [Fact]
        public void ReplacingFiles_IsAskedAsReplace()
        {
            CertificateInfo certificate = NewCertificate("www.example.com");
            _temp.WriteText("cert.pem", "old\n");
            string? action = null;

            PemOutput.WriteCertificate(certificate, new PemExportTargets { CertificatePath = _temp.File("cert.pem") }, null, true, (_, a) => { action = a; return false; }, NullCoreLog.Instance);

            Assert.Equal("Replace certificate", action);
            Assert.Equal("old\n", File.ReadAllText(_temp.File("cert.pem")));
        }

        [Fact]
        public void FailureWhileStaging_LeavesNoTemporaryFiles()
        {
            CertificateInfo certificate = NewCertificate("www.example.com");
            Directory.CreateDirectory(_temp.File("good"));
            _temp.WriteText("afile", "a file where a directory is needed\n");
            IReadOnlyDictionary<string, string> before = _temp.Snapshot();
            var targets = new PemExportTargets { KeyPath = _temp.File("good/key.pem"), CertificatePath = _temp.File("afile/sub/cert.pem") };

            CertCmdletsException error = CoreAssert.Throws("FileWriteFailed", () => PemOutput.WriteCertificate(certificate, targets, null, false, s_yes, NullCoreLog.Instance));

            Assert.Equal(_temp.File("afile/sub/cert.pem"), error.Target);
            CoreAssert.Unchanged(before, _temp.Snapshot());
        }

        [Fact]
        public void ParentIsAFile_IsFileWriteFailedBeforeWriting()
        {
            CertificateInfo certificate = NewCertificate("www.example.com");
            _temp.WriteText("afile", "x\n");
            IReadOnlyDictionary<string, string> before = _temp.Snapshot();

            CoreAssert.Throws("FileWriteFailed", () => PemOutput.WriteCertificate(certificate, new PemExportTargets { KeyPath = _temp.File("key.pem"), CertificatePath = _temp.File("afile/cert.pem") }, null, false, s_yes, NullCoreLog.Instance));

            CoreAssert.Unchanged(before, _temp.Snapshot());
        }

        [Fact]
        public void FileAppearingWhileAsked_IsOutputFileExists_AndNothingOfOursIsLeft()
        {
            CertificateInfo certificate = NewCertificate("www.example.com");
            string rival = _temp.File("cert.pem");

            // Another process creates cert.pem after the checks, while the user is asked: nothing of ours may be
            // left (no key without its certificate), and the other process's file is left alone.
            CertCmdletsException error = CoreAssert.Throws("OutputFileExists", () => PemOutput.WriteCertificate(
                certificate,
                PemExportTargets.InDirectory(_temp.Path, certificate),
                null,
                false,
                (target, _) =>
                {
                    if (target.Contains(rival, StringComparison.Ordinal))
                    {
                        File.WriteAllText(rival, "someone else's file\n");
                    }

                    return true;
                },
                NullCoreLog.Instance));

            Assert.Equal(rival, error.Target);
            Assert.Equal(new[] { "cert.pem" }, _temp.Entries());
            Assert.Equal("someone else's file\n", File.ReadAllText(rival));
        }

        [Fact]
        public void DirectoryAppearingWhileAsked_IsFileWriteFailed_AndTheOldKeyIsKept()
        {
            CertificateInfo certificate = NewCertificate("www.example.com");
            string key = _temp.WriteText("key.pem", "the old key\n");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(key, OwnerReadWrite);
            }

            string blocked = _temp.File("cert.pem");
            CertCmdletsException error = CoreAssert.Throws("FileWriteFailed", () => PemOutput.WriteCertificate(
                certificate,
                PemExportTargets.InDirectory(_temp.Path, certificate),
                null,
                true,
                (target, _) =>
                {
                    if (target.Contains(blocked, StringComparison.Ordinal))
                    {
                        Directory.CreateDirectory(blocked);
                    }

                    return true;
                },
                NullCoreLog.Instance));

            Assert.Equal("the old key\n", File.ReadAllText(key));
            Assert.Equal(new[] { "cert.pem/", "key.pem" }, _temp.Entries());
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(key));
            }
        }

        [Fact]
        public void Failure_RemovesTheDirectoriesItCreated()
        {
            CertificateInfo certificate = NewCertificate("www.example.com");
            Directory.CreateDirectory(_temp.File("existing"));
            string rival = _temp.File("existing/cert.pem");
            var targets = new PemExportTargets { KeyPath = _temp.File("new/deeper/key.pem"), CertificatePath = rival };

            CoreAssert.Throws("OutputFileExists", () => PemOutput.WriteCertificate(
                certificate,
                targets,
                null,
                false,
                (target, _) =>
                {
                    if (target.Contains(rival, StringComparison.Ordinal))
                    {
                        File.WriteAllText(rival, "rival\n");
                    }

                    return true;
                },
                NullCoreLog.Instance));

            Assert.Equal(new[] { "existing/", "existing/cert.pem" }, _temp.Entries());
        }

        [Fact]
        public void Success_CreatesMissingDirectories()
        {
            CertificateInfo certificate = NewCertificate("www.example.com");

            PemOutput.WriteCertificate(certificate, new PemExportTargets { CertificatePath = _temp.File("a/b/c/cert.pem") }, null, false, s_yes, NullCoreLog.Instance);

            Assert.Equal(new[] { "a/", "a/b/", "a/b/c/", "a/b/c/cert.pem" }, _temp.Entries());
        }

        [UnixNonRootFact]
        [UnsupportedOSPlatform("windows")]
        public void ReadOnlyDirectory_IsFileWriteFailedAndNothingChanges()
        {
            CertificateInfo certificate = NewCertificate("www.example.com");
            string directory = _temp.File("locked");
            Directory.CreateDirectory(directory);
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            IReadOnlyDictionary<string, string> before = _temp.Snapshot();

            CertCmdletsException error = CoreAssert.Throws("FileWriteFailed", () => PemOutput.WriteCertificate(certificate, PemExportTargets.InDirectory(directory, certificate), null, false, s_yes, NullCoreLog.Instance));

            Assert.Equal(CertErrorKind.PermissionDenied, error.Kind);
            CoreAssert.Unchanged(before, _temp.Snapshot());
        }

        [Theory]
        [InlineData("same")]
        [InlineData("dot segment")]
        public void DuplicateTargetPath_IsOutputPathDuplicate(string spelling)
        {
            CertificateInfo certificate = NewCertificate("www.example.com");
            string path = _temp.File("both.pem");
            string other = spelling == "same" ? path : Path.Combine(_temp.Path, ".", "sub", "..", "both.pem");

            CertCmdletsException error = CoreAssert.Throws("OutputPathDuplicate", () => PemOutput.WriteCertificate(certificate, new PemExportTargets { CertificatePath = path, FullChainPath = other }, null, false, s_yes, NullCoreLog.Instance));

            Assert.Equal(path, error.Target);
            Assert.Empty(_temp.Entries());
        }

        [Fact]
        public void DuplicateKeyAndCertificatePath_IsOutputPathDuplicateAndWritesNoKey()
        {
            CertificateInfo certificate = NewCertificate("www.example.com");

            CoreAssert.Throws("OutputPathDuplicate", () => PemOutput.WriteCertificate(certificate, new PemExportTargets { KeyPath = _temp.File("x.pem"), CertificatePath = _temp.File("x.pem") }, null, false, s_yes, NullCoreLog.Instance));

            Assert.Empty(_temp.Entries());
        }

        [Fact]
        public void TargetIsADirectory_IsOutputPathIsDirectory()
        {
            CertificateInfo certificate = NewCertificate("www.example.com");
            Directory.CreateDirectory(_temp.File("cert.pem"));

            CoreAssert.Throws("OutputPathIsDirectory", () => PemOutput.WriteCertificate(certificate, new PemExportTargets { CertificatePath = _temp.File("cert.pem") }, null, true, s_yes, NullCoreLog.Instance));
        }

        [Fact]
        public void NoTargets_IsNothingToWrite()
        {
            CoreAssert.Throws("NothingToWrite", () => PemOutput.WriteCertificate(NewCertificate("www.example.com"), new PemExportTargets(), null, false, s_yes, NullCoreLog.Instance));
        }

        [Fact]
        public void KeyTargetForACertificateWithoutKey_IsCertificateHasNoPrivateKeyAndWritesNothing()
        {
            CertificateInfo withoutKey = CertificateReader.ParseText(NewCertificate("www.example.com").ToPem(), "pasted").Single();

            CoreAssert.Throws("CertificateHasNoPrivateKey", () => PemOutput.WriteCertificate(withoutKey, new PemExportTargets { CertificatePath = _temp.File("cert.pem"), KeyPath = _temp.File("key.pem") }, null, false, s_yes, NullCoreLog.Instance));

            Assert.Empty(_temp.Entries());
            Assert.Null(PemExportTargets.InDirectory(_temp.Path, withoutKey).KeyPath);
        }

        [Fact]
        public void ChainTargetWithoutChain_WarnsAndLogsNoKeyMaterial()
        {
            CertificateInfo certificate = NewCertificate("www.example.com");
            var log = new RecordingLog();

            PemOutput.WriteCertificate(certificate, new PemExportTargets { ChainPath = _temp.File("chain.pem"), KeyPath = _temp.File("key.pem") }, null, false, s_yes, log);

            Assert.Contains(log.Warnings, w => w.Contains("chain.pem", StringComparison.Ordinal));
            string keyText = File.ReadAllText(_temp.File("key.pem"));
            string keyBody = keyText.Split('\n')[1];
            Assert.All(log.VerboseMessages.Concat(log.Warnings), m => Assert.DoesNotContain(keyBody, m, StringComparison.Ordinal));
            Assert.Contains(log.VerboseMessages, m => m.Contains("key.pem", StringComparison.Ordinal));
        }

        [OpenSslFact]
        public void WriteRequest_WritesRequestAndKey()
        {
            CertificateRequestInfo request = CertificateRequestBuilder.CreateRequest(new CertificateRequestOptions { CommonName = "www.example.com", KeyAlgorithm = "ECDSA" }, NullCoreLog.Instance);

            bool written = PemOutput.WriteRequest(request, _temp.File("www.csr"), _temp.File("www.key"), null, false, s_yes, NullCoreLog.Instance);

            Assert.True(written);
            Assert.Equal(_temp.File("www.csr"), request.RequestPath);
            Assert.Equal(_temp.File("www.key"), request.KeyPath);
            Assert.Equal(new[] { "www.csr", "www.key" }, _temp.Entries());
            Assert.Contains("verify OK", OpenSsl.Expect(_temp.Path, "req", "-in", "www.csr", "-noout", "-verify").AllText, StringComparison.Ordinal);
            Assert.Equal(OpenSslMaker.PublicKeyOfRequest(_temp.Path, "www.csr"), OpenSslMaker.PublicKeyOfKey(_temp.Path, "www.key"));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(_temp.File("www.key")));
            }
        }

        [Fact]
        public void WriteRequest_Declined_ReturnsFalseAndWritesNothing()
        {
            CertificateRequestInfo request = CertificateRequestBuilder.CreateRequest(new CertificateRequestOptions { CommonName = "www.example.com", KeyAlgorithm = "ECDSA" }, NullCoreLog.Instance);

            bool written = PemOutput.WriteRequest(request, _temp.File("www.csr"), _temp.File("www.key"), null, false, (_, _) => false, NullCoreLog.Instance);

            Assert.False(written);
            Assert.Null(request.RequestPath);
            Assert.Null(request.KeyPath);
            Assert.Empty(_temp.Entries());
        }

        [Fact]
        public void WriteRequest_ExistingRequestFile_IsOutputFileExistsAndNoKeyIsWritten()
        {
            CertificateRequestInfo request = CertificateRequestBuilder.CreateRequest(new CertificateRequestOptions { CommonName = "www.example.com", KeyAlgorithm = "ECDSA" }, NullCoreLog.Instance);
            _temp.WriteText("www.csr", "old request\n");
            IReadOnlyDictionary<string, string> before = _temp.Snapshot();

            CoreAssert.Throws("OutputFileExists", () => PemOutput.WriteRequest(request, _temp.File("www.csr"), _temp.File("www.key"), null, false, s_yes, NullCoreLog.Instance));

            CoreAssert.Unchanged(before, _temp.Snapshot());
        }

        [Fact]
        public void FileWritePlan_ListsFilesInOrderWithFullPaths()
        {
            var plan = new FileWritePlan(force: false);
            plan.Add(Path.Combine(_temp.Path, "sub", "..", "a.pem"), Encoding.ASCII.GetBytes("a"), isPrivateKey: true, "private key");
            plan.Add(_temp.File("b.pem"), Encoding.ASCII.GetBytes("b"), isPrivateKey: false, "certificate");

            Assert.Equal(new[] { _temp.File("a.pem"), _temp.File("b.pem") }, plan.Files.Select(f => f.Path));
            Assert.Equal(new[] { true, false }, plan.Files.Select(f => f.IsPrivateKey));
            CoreAssert.Throws("OutputPathDuplicate", () => plan.Add(_temp.File("a.pem"), new byte[1], isPrivateKey: false, "again"));

            IReadOnlyList<string> written = plan.Commit(s_yes, NullCoreLog.Instance);

            Assert.Equal(new[] { _temp.File("a.pem"), _temp.File("b.pem") }, written);
            Assert.Equal("a", File.ReadAllText(_temp.File("a.pem")));
        }

        private static CertificateInfo NewCertificate(string commonName) =>
            CertificateRequestBuilder.CreateSelfSigned(new CertificateRequestOptions { CommonName = commonName, KeyAlgorithm = "ECDSA" }, 30, NullCoreLog.Instance);
    }
}
