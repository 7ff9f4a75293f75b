using System;
using System.IO;
using System.Linq;
using System.Threading;
using CertCmdlets.Core.Acme;
using CertCmdlets.Core.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Core.Tests.Acme
{
    /// <summary>Accounts against pebble: creation and reuse, terms of service, contact, key rollover, deactivation.</summary>
    public sealed class PebbleAccountTests : IClassFixture<PebbleFixture>, IDisposable
    {
        private readonly PebbleFixture _pebble;
        private readonly TempDirectory _state = new TempDirectory();

        public PebbleAccountTests(PebbleFixture pebble)
        {
            _pebble = pebble;
        }

        public void Dispose() => _state.Dispose();

        [PebbleFact]
        public void NewAccount_IsSavedWithAPrivateKey_AndReusedTheSecondTime()
        {
            var log = new RecordingLog();
            AcmeAccountInfo first;
            using (var session = Session(log))
            {
                first = session.NewAccount(AcmeTestKit.AcceptTerms("admin@example.com"));
            }

            Assert.Equal("valid", first.Status);
            Assert.StartsWith($"https://127.0.0.1:{_pebble.Server.AcmePort}/", first.AccountUrl, StringComparison.Ordinal);
            Assert.Equal(new[] { "mailto:admin@example.com" }, first.Contact);
            Assert.Equal("ES256", first.KeyAlgorithm);
            string key = Path.Combine(first.StatePath, "account.key");
            Assert.True(File.Exists(key));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(first.StatePath));
            }

            Assert.DoesNotContain(log.VerboseMessages.Concat(log.Warnings), m => m.Contains("PRIVATE KEY", StringComparison.Ordinal));

            using (var session = Session(log))
            {
                AcmeAccountInfo again = session.NewAccount(AcmeTestKit.AcceptTerms("admin@example.com"));
                Assert.Equal(first.AccountUrl, again.AccountUrl);
                Assert.Equal(first.KeyThumbprint, again.KeyThumbprint);
            }

            Assert.Contains(log.VerboseMessages, m => m.StartsWith("Reusing the saved account", StringComparison.Ordinal));
            Assert.Single(AcmeSession.ListAccounts(_state.Path, log));
        }

        [PebbleFact]
        public void NewAccount_WithoutAcceptingTheTerms_IsRefusedNamingThem_AndWritesNothing()
        {
            using var session = Session(new RecordingLog());
            CertCmdletsException error = Assert.Throws<CertCmdletsException>(() => session.NewAccount(new AcmeNewAccountOptions()));

            Assert.Equal("AcmeTermsOfServiceNotAccepted", error.ErrorId);
            Assert.Contains("data:text/plain,Do%20what%20thou%20wilt", error.Message, StringComparison.Ordinal);
            Assert.Contains("-AcceptTermsOfService", error.RecommendedAction, StringComparison.Ordinal);
            Assert.Empty(_state.Entries());
        }

        [PebbleFact]
        public void SetContact_KeyRollover_Deactivation()
        {
            var log = new RecordingLog();
            using var session = Session(log);
            AcmeAccountInfo created = session.NewAccount(AcmeTestKit.AcceptTerms("old@example.com"));

            AcmeAccountInfo changed = session.SetContact(new[] { "new@example.com", "mailto:second@example.com" });
            Assert.Equal(new[] { "mailto:new@example.com", "mailto:second@example.com" }, changed.Contact);

            AcmeAccountInfo rolled = session.RollOverKey(null);
            Assert.Equal(created.AccountUrl, rolled.AccountUrl);
            Assert.NotEqual(created.KeyThumbprint, rolled.KeyThumbprint);
            Assert.False(File.Exists(Path.Combine(rolled.StatePath, "account.key.next")));

            // The CA knows the account by its new key only: a fresh session (the saved key) still works.
            using (var fresh = Session(log))
            {
                AcmeAccountInfo refreshed = fresh.GetAccount(refresh: true);
                Assert.Equal(rolled.KeyThumbprint, refreshed.KeyThumbprint);
                Assert.Equal("valid", refreshed.Status);
                Assert.Equal(changed.Contact, refreshed.Contact);
            }

            AcmeAccountInfo deactivated = session.Deactivate();
            Assert.Equal("deactivated", deactivated.Status);
            using var after = Session(log);
            CertCmdletsException error = Assert.Throws<CertCmdletsException>(() => after.RequestCertificate(AcmeTestKit.Request(AcmeTestKit.Name("www")), AcmeTestKit.WebRoot(_state.Path)));
            Assert.Equal("AcmeAccountDeactivated", error.ErrorId);

            // A new account replaces the deactivated one.
            AcmeAccountInfo replacement = after.NewAccount(AcmeTestKit.AcceptTerms());
            Assert.NotEqual(created.AccountUrl, replacement.AccountUrl);
            Assert.Equal("valid", replacement.Status);
        }

        private AcmeSession Session(RecordingLog log) => new AcmeSession(_pebble.Server.Connection(_state.Path), log, CancellationToken.None);
    }
}
