using System;
using System.Diagnostics;
using System.Formats.Asn1;
using System.IO;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Threading;
using CertCmdlets.Core.Acme;
using CertCmdlets.Core.Certificates;
using CertCmdlets.Core.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Core.Tests.Acme
{
    /// <summary>
    /// Protocol hygiene against a fake CA of the test's own (TLS on 127.0.0.1): renewal information and "replaces"
    /// (RFC 9773, which pebble 2.4.0 lacks), Retry-After honoured and bounded, rate limits, https-only redirects,
    /// request timeouts, the polling deadline, badNonce retries bounded, TLS trust, cancellation, hostile tokens.
    /// </summary>
    public sealed class AcmeProtocolTests : IDisposable
    {
        private readonly FakeAcmeServer _server = new FakeAcmeServer();
        private readonly TempDirectory _state = new TempDirectory();
        private readonly RecordingLog _log = new RecordingLog();

        public void Dispose()
        {
            _server.Dispose();
            _state.Dispose();
        }

        [Fact]
        public void RenewalInformation_SetsRenewAfterInsideTheWindow_ForTheRfc9773CertificateId()
        {
            CertificateInfo certificate = Issue("www.fake.test");
            _server.RenewalWindow = (DateTimeOffset.UtcNow.AddDays(3), DateTimeOffset.UtcNow.AddDays(5));
            _server.ExplanationUrl = "https://ca.example/incident";
            using AcmeSession session = Session();

            CertificateInfo updated = session.UpdateRenewalInfo(certificate);

            FakeRequest asked = _server.Requests.Last(r => r.Path.StartsWith("/renewal-info/", StringComparison.Ordinal));
            Assert.Equal("GET", asked.Method);
            Assert.Equal("/renewal-info/" + ExpectedCertificateId(certificate), asked.Path);
            Assert.InRange(updated.RenewAfter, _server.RenewalWindow.Start.LocalDateTime.AddSeconds(-1), _server.RenewalWindow.End.LocalDateTime.AddSeconds(1));
            Assert.False(updated.RenewRecommended);
            Assert.NotEqual(certificate.RenewAfter, updated.RenewAfter);
            Assert.Equal(updated.RenewAfter, session.UpdateRenewalInfo(certificate).RenewAfter);
            Assert.Contains(_log.Warnings, w => w.Contains("https://ca.example/incident", StringComparison.Ordinal));

            _server.RenewalWindow = (DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow.AddDays(-1));
            Assert.True(session.UpdateRenewalInfo(certificate).RenewRecommended);
        }

        [Fact]
        public void RenewalInformation_NotOffered_KeepsTheModulesRuleWithAWarning()
        {
            _server.OfferRenewalInfo = false;
            CertificateInfo certificate = Issue("www.fake.test");
            using AcmeSession session = Session();

            CertificateInfo updated = session.UpdateRenewalInfo(certificate);

            Assert.Equal(Renewal.RenewAfter(certificate.NotBefore, certificate.NotAfter), updated.RenewAfter);
            Assert.Contains(_log.Warnings, w => w.Contains("offers no renewal information", StringComparison.Ordinal));
        }

        [Fact]
        public void ARenewalOrder_NamesTheCertificateItReplaces()
        {
            CertificateInfo first = Issue("www.fake.test");
            var options = new AcmeOrderOptions { Replaces = first };
            options.Challenge.WebRoot = _state.Path;
            using AcmeSession session = Session();

            CertificateInfo second = session.RequestCertificate(AcmeTestKit.Request("www.fake.test"), options);

            FakeRequest order = _server.Requests.Last(r => r.Path == "/order");
            using JsonDocument payload = JsonDocument.Parse(order.Payload!);
            Assert.Equal(ExpectedCertificateId(first), payload.RootElement.GetProperty("replaces").GetString());
            Assert.NotEqual(first.Thumbprint, second.Thumbprint);
        }

        [Fact]
        public void AlreadyReplaced_OrdersAgainWithoutReplaces_AndWarns()
        {
            CertificateInfo first = Issue("www.fake.test");
            _server.Override = r => r.Path == "/order" && r.Payload!.Contains("replaces", StringComparison.Ordinal)
                ? FakeResponse.Problem(409, "alreadyReplaced", "already replaced")
                : null;
            var options = new AcmeOrderOptions { Replaces = first };
            options.Challenge.WebRoot = _state.Path;
            using AcmeSession session = Session();

            session.RequestCertificate(AcmeTestKit.Request("www.fake.test"), options);

            FakeRequest[] orders = _server.Requests.Where(r => r.Path == "/order").Skip(1).ToArray();
            Assert.Equal(2, orders.Length);
            Assert.Contains("replaces", orders[0].Payload!, StringComparison.Ordinal);
            Assert.DoesNotContain("replaces", orders[1].Payload!, StringComparison.Ordinal);
            Assert.Contains(_log.Warnings, w => w.Contains("already replaced", StringComparison.Ordinal));
        }

        [Fact]
        public void ProcessingOrders_ArePolledAfterTheirRetryAfter()
        {
            _server.ProcessingPolls = 2;
            Issue("www.fake.test");

            Assert.Equal(3, _server.Requests.Count(r => r.Path.StartsWith("/orders/", StringComparison.Ordinal)));
            Assert.Contains(_log.VerboseMessages, m => m.StartsWith("Issued ", StringComparison.Ordinal));
        }

        [Fact]
        public void AShortRetryAfterOn503_IsWaitedOut()
        {
            int busy = 0;
            _server.Override = r => r.Path == "/order" && Interlocked.Increment(ref busy) == 1
                ? FakeResponse.Problem(503, "serverInternal", "busy").With("Retry-After", "1")
                : null;

            var clock = Stopwatch.StartNew();
            Issue("www.fake.test");

            Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"the retry came after {clock.Elapsed}");
            Assert.Equal(2, _server.Requests.Count(r => r.Path == "/order"));
            Assert.Contains(_log.VerboseMessages, m => m.Contains("asked to retry", StringComparison.Ordinal));
        }

        [Fact]
        public void ARateLimitWithALongRetryAfter_EndsWithTheCasTime()
        {
            _server.Override = r => r.Path == "/order" ? FakeResponse.Problem(429, "rateLimited", "too many certificates for this name").With("Retry-After", "7200") : null;

            CertCmdletsException error = Assert.Throws<CertCmdletsException>(() => Issue("www.fake.test"));

            Assert.Equal("AcmeRateLimited", error.ErrorId);
            Assert.Equal(CertErrorKind.ResourceBusy, error.Kind);
            Assert.Contains("too many certificates for this name", error.Message, StringComparison.Ordinal);
            Assert.Contains(DateTime.Now.AddHours(2).ToString("yyyy-MM-dd HH:", System.Globalization.CultureInfo.InvariantCulture), error.RecommendedAction, StringComparison.Ordinal);
            Assert.Single(_server.Requests, r => r.Path == "/order");
        }

        [Fact]
        public void BadNonces_AreRetriedABoundedNumberOfTimes()
        {
            _server.Override = r => r.Path == "/account" ? FakeResponse.Problem(400, "badNonce", "stale nonce") : null;
            AcmeConnectionOptions options = Connection();
            options.MaximumBadNonceRetries = 3;
            using var session = new AcmeSession(options, _log, CancellationToken.None);

            CertCmdletsException error = Assert.Throws<CertCmdletsException>(() => session.NewAccount(AcmeTestKit.AcceptTerms()));

            Assert.Equal("AcmeBadNonce", error.ErrorId);
            Assert.Equal(4, _server.Requests.Count(r => r.Path == "/account"));
            Assert.Empty(AcmeTestKit.Files(_state));
        }

        [Fact]
        public void ARedirectToPlainHttp_IsNotFollowed()
        {
            _server.Override = r => r.Path == "/dir" ? new FakeResponse(301, string.Empty).With("Location", "http://127.0.0.1:1/dir") : null;

            CertCmdletsException error = Assert.Throws<CertCmdletsException>(() => Issue("www.fake.test"));

            Assert.Equal("AcmeRedirectRefused", error.ErrorId);
            Assert.Contains("http://127.0.0.1:1/dir", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void ARedirectToHttps_IsFollowedForTheDirectory()
        {
            _server.Override = r => r.Path == "/old-dir" ? new FakeResponse(302, string.Empty).With("Location", "/dir") : null;
            AcmeConnectionOptions options = Connection();
            options.Directory = _server.BaseUrl + "/old-dir";

            Issue("www.fake.test", options);

            Assert.Contains(_server.Requests, r => r.Path == "/dir");
        }

        [Fact]
        public void ACaThatNeverAnswers_TimesOut()
        {
            _server.Override = r => r.Path == "/dir" ? new FakeResponse(200, string.Empty) { Hang = true } : null;
            AcmeConnectionOptions options = Connection();
            options.RequestTimeout = TimeSpan.FromSeconds(1);

            var clock = Stopwatch.StartNew();
            CertCmdletsException error = Assert.Throws<CertCmdletsException>(() => Issue("www.fake.test", options));

            Assert.Equal("AcmeRequestTimedOut", error.ErrorId);
            Assert.Equal(CertErrorKind.OperationTimeout, error.Kind);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "the timeout ended the wait");
        }

        [Fact]
        public void AnOrderThatStaysProcessing_EndsAtTheDeadline()
        {
            _server.ProcessingPolls = -1;
            AcmeConnectionOptions options = Connection();
            options.OperationTimeout = TimeSpan.FromSeconds(3);

            CertCmdletsException error = Assert.Throws<CertCmdletsException>(() => Issue("www.fake.test", options));

            Assert.Equal("AcmeOperationTimedOut", error.ErrorId);
            Assert.Contains("/orders/", error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Cancellation_EndsTheWaitAtOnce()
        {
            _server.ProcessingPolls = -1;
            AcmeConnectionOptions options = Connection();
            options.OperationTimeout = TimeSpan.FromMinutes(5);
            using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            using var session = new AcmeSession(options, _log, cancellation.Token);
            var order = new AcmeOrderOptions { NewAccount = AcmeTestKit.AcceptTerms() };
            order.Challenge.WebRoot = _state.Path;

            var clock = Stopwatch.StartNew();
            Assert.ThrowsAny<OperationCanceledException>(() => session.RequestCertificate(AcmeTestKit.Request("www.fake.test"), order));
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30));
        }

        [Fact]
        public void AnUntrustedCa_IsRefusedBeforeAnythingIsSent()
        {
            AcmeConnectionOptions options = Connection();
            options.TrustedRoots = CertificateReader.ParseText(_server.IssuerPem, "another root");

            CertCmdletsException error = Assert.Throws<CertCmdletsException>(() => Issue("www.fake.test", options));

            Assert.Equal("AcmeServerNotTrusted", error.ErrorId);
            Assert.Contains("-TrustedRootPath", error.RecommendedAction, StringComparison.Ordinal);
            Assert.Empty(_server.Requests);
        }

        [Fact]
        public void AHostileToken_NeverBecomesAFile()
        {
            _server.PendingToken = "../../escape";
            string webRoot = Path.Combine(_state.Path, "www");
            Directory.CreateDirectory(webRoot);

            CertCmdletsException error = Assert.Throws<CertCmdletsException>(() => Issue("www.fake.test"));

            Assert.Equal("AcmeResponseInvalid", error.ErrorId);
            Assert.Empty(Directory.EnumerateFileSystemEntries(webRoot));
            Assert.False(File.Exists(Path.Combine(_state.Path, "escape")));
        }

        [Fact]
        public void ADirectoryThatIsNotJson_SaysSo()
        {
            _server.Override = r => r.Path == "/dir" ? new FakeResponse(200, "<html>login</html>", "text/html") : null;

            CertCmdletsException error = Assert.Throws<CertCmdletsException>(() => Issue("www.fake.test"));

            Assert.Equal("AcmeResponseInvalid", error.ErrorId);
        }

        /// <summary>RFC 9773 section 4.1, computed independently with .NET: base64url(AKI keyIdentifier) "." base64url(serial DER content).</summary>
        private static string ExpectedCertificateId(CertificateInfo certificate)
        {
            using var x509 = X509CertificateLoader.LoadCertificate(certificate.Certificate.RawData);
            var aki = x509.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().Single();
            var reader = new AsnReader(x509.RawData, AsnEncodingRules.DER).ReadSequence().ReadSequence();
            reader.ReadEncodedValue(); // [0] version
            byte[] serial = reader.ReadIntegerBytes().ToArray();
            return Encode(aki.KeyIdentifier!.Value.ToArray()) + "." + Encode(serial);
        }

        private static string Encode(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        private CertificateInfo Issue(string name, AcmeConnectionOptions? connection = null)
        {
            using var session = new AcmeSession(connection ?? Connection(), _log, CancellationToken.None);
            var options = new AcmeOrderOptions { NewAccount = AcmeTestKit.AcceptTerms() };
            options.Challenge.WebRoot = Directory.CreateDirectory(Path.Combine(_state.Path, "www")).FullName;
            return session.RequestCertificate(AcmeTestKit.Request(name), options);
        }

        private AcmeSession Session() => new AcmeSession(Connection(), _log, CancellationToken.None);

        private AcmeConnectionOptions Connection() => new AcmeConnectionOptions
        {
            Directory = _server.DirectoryUrl,
            StateDirectory = Path.Combine(_state.Path, "accounts"),
            TrustedRoots = CertificateReader.ParseText(_server.TlsCertificatePem, "fake CA listener"),
            RequestTimeout = TimeSpan.FromSeconds(10),
            OperationTimeout = TimeSpan.FromSeconds(30),
            FirstPollInterval = TimeSpan.FromMilliseconds(50),
        };
    }
}
