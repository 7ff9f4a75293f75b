using System;
using System.Security;
using System.Threading;
using CertCmdlets.Core.Acme;
using CertCmdlets.Core.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Core.Tests.Acme
{
    /// <summary>External Account Binding against a pebble that requires it, with pebble's example keys.</summary>
    public sealed class PebbleExternalAccountTests : IDisposable
    {
        private readonly Lazy<PebbleServer> _pebble = new Lazy<PebbleServer>(() => new PebbleServer(new PebbleOptions { RequireExternalAccount = true }));
        private readonly TempDirectory _state = new TempDirectory();

        public void Dispose()
        {
            if (_pebble.IsValueCreated)
            {
                _pebble.Value.Dispose();
            }

            _state.Dispose();
        }

        [PebbleFact]
        public void TheExampleKey_BindsTheNewAccount()
        {
            using var session = Session();
            AcmeNewAccountOptions options = AcmeTestKit.AcceptTerms("eab@example.com");
            options.ExternalAccountKeyId = "kid-1";
            options.ExternalAccountMacKey = Secure(PebbleServer.ExampleMacKeys["kid-1"]);

            AcmeAccountInfo account = session.NewAccount(options);

            Assert.Equal("valid", account.Status);
            Assert.Equal("kid-1", account.ExternalAccountKeyId);
        }

        [PebbleFact]
        public void NoBinding_IsRefusedBeforeAnyAccountIsMade()
        {
            using var session = Session();

            CertCmdletsException error = Assert.Throws<CertCmdletsException>(() => session.NewAccount(AcmeTestKit.AcceptTerms()));

            Assert.Equal("AcmeExternalAccountRequired", error.ErrorId);
            Assert.Contains("-ExternalAccountMacKey", error.RecommendedAction, StringComparison.Ordinal);
            Assert.Empty(_state.Entries());
        }

        [PebbleFact]
        public void AWrongMacKey_IsRefusedByTheCa_AndNothingIsLeftBehind()
        {
            using var session = Session();
            AcmeNewAccountOptions options = AcmeTestKit.AcceptTerms();
            options.ExternalAccountKeyId = "kid-1";
            options.ExternalAccountMacKey = Secure(PebbleServer.ExampleMacKeys["kid-2"]);

            CertCmdletsException error = Assert.Throws<CertCmdletsException>(() => session.NewAccount(options));

            Assert.Equal("AcmeExternalAccountRejected", error.ErrorId);
            Assert.Equal(CertErrorKind.AuthenticationError, error.Kind);
            Assert.Contains("kid-1", error.Message, StringComparison.Ordinal);
            Assert.Contains("the CA said:", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(PebbleServer.ExampleMacKeys["kid-2"], error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(PebbleServer.ExampleMacKeys["kid-2"], error.ToString(), StringComparison.Ordinal);
            Assert.Empty(AcmeTestKit.Files(_state));
        }

        [PebbleFact]
        public void AMacKeyThatIsNotBase64Url_IsRefusedWithoutSendingIt()
        {
            using var session = Session();
            AcmeNewAccountOptions options = AcmeTestKit.AcceptTerms();
            options.ExternalAccountKeyId = "kid-1";
            options.ExternalAccountMacKey = Secure("not base64url!");

            CertCmdletsException error = Assert.Throws<CertCmdletsException>(() => session.NewAccount(options));

            Assert.Equal("AcmeExternalAccountKeyInvalid", error.ErrorId);
            Assert.DoesNotContain("not base64url!", error.Message, StringComparison.Ordinal);
            Assert.Empty(AcmeTestKit.Files(_state));
        }

        private AcmeSession Session() => new AcmeSession(_pebble.Value.Connection(_state.Path), new RecordingLog(), CancellationToken.None);

        private static SecureString Secure(string text)
        {
            var secure = new SecureString();
            foreach (char c in text)
            {
                secure.AppendChar(c);
            }

            secure.MakeReadOnly();
            return secure;
        }
    }
}
