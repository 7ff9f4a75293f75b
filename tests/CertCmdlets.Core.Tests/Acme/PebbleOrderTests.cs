using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading;
using CertCmdlets.Core.Acme;
using CertCmdlets.Core.Certificates;
using CertCmdlets.Core.Chains;
using CertCmdlets.Core.Export;
using CertCmdlets.Core.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Core.Tests.Acme
{
    /// <summary>
    /// Orders against pebble: HTTP-01 through a web root (served by a plain web server) and through the module's own
    /// listener, DNS-01 through challtestsrv in the user's delegates, a name that does not point here (unauthorized,
    /// nothing left behind), renewal, revocation, the alternate chain, and the result written by the PEM writer.
    /// </summary>
    public sealed class PebbleOrderTests : IClassFixture<PebbleFixture>, IDisposable
    {
        private readonly PebbleFixture _pebble;
        private readonly TempDirectory _state = new TempDirectory();
        private readonly TempDirectory _webRoot = new TempDirectory();

        public PebbleOrderTests(PebbleFixture pebble)
        {
            _pebble = pebble;
        }

        public void Dispose()
        {
            _state.Dispose();
            _webRoot.Dispose();
        }

        [PebbleFact]
        public void WebRoot_IssuesACertificateWithTheRequestsKeyAndChain_AndRemovesTheChallengeFiles()
        {
            string name = AcmeTestKit.Name("www");
            string alias = AcmeTestKit.Name("alias");
            CertificateRequestInfo request = AcmeTestKit.Request(name, alias);
            var log = new RecordingLog();
            using var web = new StaticFileServer(_webRoot.Path, _pebble.Server.HttpPort);
            using var session = Session(log);

            CertificateInfo certificate = session.RequestCertificate(request, AcmeTestKit.WebRoot(_webRoot.Path, AcmeTestKit.AcceptTerms()));

            Assert.Equal(new[] { name, alias }.OrderBy(n => n), certificate.DnsNames.OrderBy(n => n));
            Assert.True(certificate.HasPrivateKey);
            Assert.Same(request.PrivateKey, certificate.PrivateKey);
            Assert.NotEmpty(certificate.Chain);
            Assert.StartsWith("Pebble Intermediate CA", certificate.Chain[0].CommonName, StringComparison.Ordinal);
            Assert.True(CertificateFacts.IsSignedBy(certificate, certificate.Chain[0]));
            // pebble checks each challenge from several "perspectives": two distinct tokens, each read at least once.
            Assert.Equal(2, web.Requests.Where(r => r.Status == 200 && r.Path.StartsWith("/.well-known/acme-challenge/", StringComparison.Ordinal)).Select(r => r.Path).Distinct().Count());
            Assert.Empty(_webRoot.Entries());
            Assert.Empty(log.Warnings);
        }

        [PebbleFact]
        public void Listener_AnswersTheChallenges_OnTheAddressAndPortGiven()
        {
            string name = AcmeTestKit.Name("standalone");
            var log = new RecordingLog();
            using var session = Session(log);
            var options = new AcmeOrderOptions { NewAccount = AcmeTestKit.AcceptTerms() };
            options.Challenge.ListenPort = _pebble.Server.HttpPort;
            options.Challenge.ListenAddress = "127.0.0.1";

            CertificateInfo certificate = session.RequestCertificate(AcmeTestKit.Request(name), options);

            Assert.Equal(new[] { name }, certificate.DnsNames);
            Assert.Contains(log.VerboseMessages, m => System.Text.RegularExpressions.Regex.IsMatch(m, @"stopped after answering [1-9]\d* request\(s\) \(and refusing 0\)"));
            using var probe = new System.Net.Sockets.TcpClient();
            Assert.ThrowsAny<System.Net.Sockets.SocketException>(() => probe.Connect(IPAddress.Loopback, _pebble.Server.HttpPort));
        }

        [PebbleFact]
        public void Listener_OnABusyPort_FailsBeforeContactingTheCa()
        {
            using var busy = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
            busy.Start();
            var options = new AcmeOrderOptions { NewAccount = AcmeTestKit.AcceptTerms() };
            options.Challenge.ListenPort = ((IPEndPoint)busy.LocalEndpoint).Port;
            options.Challenge.ListenAddress = "127.0.0.1";
            using var session = Session(new RecordingLog());

            CertCmdletsException error = Assert.Throws<CertCmdletsException>(() => session.RequestCertificate(AcmeTestKit.Request(AcmeTestKit.Name("busy")), options));

            Assert.Equal("AcmeListenerFailed", error.ErrorId);
            Assert.Empty(_state.Entries());
        }

        [PebbleFact]
        public void Dns01_ThroughTheUsersDelegates_PublishesWaitsAndRemovesTheRecord()
        {
            string name = AcmeTestKit.Name("dns");
            var added = new List<(string Name, string Value)>();
            var removed = new List<(string Name, string Value)>();
            var options = new AcmeOrderOptions { NewAccount = AcmeTestKit.AcceptTerms() };
            options.Challenge.DnsAdd = (record, value) =>
            {
                added.Add((record, value));
                _pebble.Server.ChallengeServerPost("set-txt", $"{{\"host\":\"{record}.\",\"value\":\"{value}\"}}");
            };
            options.Challenge.DnsRemove = (record, value) =>
            {
                removed.Add((record, value));
                _pebble.Server.ChallengeServerPost("clear-txt", $"{{\"host\":\"{record}.\"}}");
            };
            options.Challenge.DnsResolvers.Add($"127.0.0.1:{_pebble.Server.DnsPort}");
            var log = new RecordingLog();
            using var session = Session(log);

            CertificateInfo certificate = session.RequestCertificate(AcmeTestKit.Request(name, "*." + name), options);

            Assert.Equal(new[] { name, "*." + name }.OrderBy(n => n), certificate.DnsNames.OrderBy(n => n));
            Assert.Equal(2, added.Count);
            Assert.All(added, a => Assert.Equal("_acme-challenge." + name, a.Name));
            Assert.Equal(added, removed);
            Assert.Contains(log.VerboseMessages, m => m.Contains("answers _acme-challenge." + name, StringComparison.Ordinal));
            Assert.Empty(CertCmdlets.Core.Acme.Challenges.DnsTxtQuery.Query(new IPEndPoint(IPAddress.Loopback, _pebble.Server.DnsPort), "_acme-challenge." + name, CancellationToken.None));
        }

        [PebbleFact]
        public void WildcardOverHttp_IsRefusedBeforeContactingTheCa()
        {
            using var session = Session(new RecordingLog());
            string name = AcmeTestKit.Name("wild");

            CertCmdletsException error = Assert.Throws<CertCmdletsException>(() => session.RequestCertificate(AcmeTestKit.Request(name, "*." + name), AcmeTestKit.WebRoot(_webRoot.Path, AcmeTestKit.AcceptTerms())));

            Assert.Equal("AcmeWildcardNeedsDns", error.ErrorId);
            Assert.Empty(_state.Entries());
        }

        [PebbleFact]
        public void NameNotPointingHere_IsUnauthorized_WithNoTokenFileAndNoCertificateLeft()
        {
            string good = AcmeTestKit.Name("good");
            string elsewhere = AcmeTestKit.Name("elsewhere");
            _pebble.Server.AddARecord(elsewhere, "127.0.0.2");
            using var elsewhereRoot = new TempDirectory();
            using var other = new StaticFileServer(elsewhereRoot.Path, _pebble.Server.HttpPort, IPAddress.Parse("127.0.0.2"));
            using var web = new StaticFileServer(_webRoot.Path, _pebble.Server.HttpPort);
            var log = new RecordingLog();
            using var session = Session(log);

            CertCmdletsException error = Assert.Throws<CertCmdletsException>(() => session.RequestCertificate(AcmeTestKit.Request(good, elsewhere), AcmeTestKit.WebRoot(_webRoot.Path, AcmeTestKit.AcceptTerms())));

            Assert.Equal("AcmeUnauthorized", error.ErrorId);
            Assert.Equal(CertErrorKind.SecurityError, error.Kind);
            Assert.Equal(elsewhere, error.Target);
            Assert.Contains(elsewhere, error.Message, StringComparison.Ordinal);
            Assert.Contains("the CA said:", error.Message, StringComparison.Ordinal);
            Assert.Contains("/.well-known/acme-challenge/", error.RecommendedAction, StringComparison.Ordinal);
            Assert.Empty(_webRoot.Entries());
            Assert.Contains(other.Requests, r => r.Status == 404);
        }

        [PebbleFact]
        public void Renewal_RevocationAndTheWrittenFiles()
        {
            string name = AcmeTestKit.Name("renew");
            using var web = new StaticFileServer(_webRoot.Path, _pebble.Server.HttpPort);
            var log = new RecordingLog();
            using var session = Session(log);
            CertificateInfo first = session.RequestCertificate(AcmeTestKit.Request(name), AcmeTestKit.WebRoot(_webRoot.Path, AcmeTestKit.AcceptTerms()));

            var renewal = AcmeTestKit.WebRoot(_webRoot.Path);
            renewal.Replaces = first;
            CertificateInfo second = session.RequestCertificate(AcmeTestKit.Request(name), renewal);
            Assert.NotEqual(first.Thumbprint, second.Thumbprint);
            Assert.Equal(first.DnsNames, second.DnsNames);
            Assert.Contains(log.VerboseMessages, m => m.Contains("offers no renewal information", StringComparison.Ordinal) && m.Contains(first.Thumbprint, StringComparison.Ordinal));

            // The old one is revoked as superseded; pebble's management API confirms it.
            session.Revoke(first, "Superseded", useCertificateKey: false);
            string status = _pebble.Server.Management("cert-status-by-serial/" + first.SerialNumber.TrimStart('0').ToLowerInvariant());
            Assert.Contains("\"Status\": \"Revoked\"", status, StringComparison.Ordinal);
            CertCmdletsException again = Assert.Throws<CertCmdletsException>(() => session.Revoke(first, null, useCertificateKey: true));
            Assert.Equal("AcmeAlreadyRevoked", again.ErrorId);

            // The result goes through the module's PEM writer as Export-CertPem writes it; openssl-free check by re-reading.
            using var output = new TempDirectory();
            CertificateInfo written = PemOutput.WriteCertificate(second, PemExportTargets.InDirectory(output.Path, second), null, false, (t, a) => true, log)!;
            IReadOnlyList<CertificateInfo> fullChain = CertificateReader.ReadFile(written.FullChainPath!);
            Assert.Equal(new[] { second.Thumbprint, second.Chain[0].Thumbprint }, fullChain.Select(c => c.Thumbprint));
            PrivateKeyFile key = PrivateKeyFile.Load(written.KeyPath!, null);
            key.AttachTo(new[] { fullChain[0] }, written.FullChainPath!);
        }

        [PebbleFact]
        public void PreferredChain_SelectsTheAlternateIssuedByThatRoot_AndFallsBackWithAWarning()
        {
            string alternateRoot = _pebble.Server.RootCommonName(2);
            using var web = new StaticFileServer(_webRoot.Path, _pebble.Server.HttpPort);
            var log = new RecordingLog();
            using var session = Session(log);
            AcmeOrderOptions options = AcmeTestKit.WebRoot(_webRoot.Path, AcmeTestKit.AcceptTerms());
            options.PreferredChain = alternateRoot;

            CertificateInfo certificate = session.RequestCertificate(AcmeTestKit.Request(AcmeTestKit.Name("alt")), options);

            Assert.Equal(alternateRoot, certificate.Chain[certificate.Chain.Length - 1].Issuer.Replace("CN=", string.Empty));
            Assert.Empty(log.Warnings);

            options.PreferredChain = "No Such Root";
            CertificateInfo fallback = session.RequestCertificate(AcmeTestKit.Request(AcmeTestKit.Name("alt")), options);
            Assert.Equal(_pebble.Server.RootCommonName(0), fallback.Chain[fallback.Chain.Length - 1].Issuer.Replace("CN=", string.Empty));
            Assert.Contains(log.Warnings, w => w.Contains("No Such Root", StringComparison.Ordinal) && w.Contains(alternateRoot, StringComparison.Ordinal));
        }

        [PebbleFact]
        public void BadNonces_AreRetriedWithTheFreshNonce()
        {
            using var session = Session(new RecordingLog());
            session.NewAccount(AcmeTestKit.AcceptTerms());
            for (int i = 0; i < 40; i++)
            {
                session.GetAccount(refresh: true);
            }

            // pebble refuses 25% of good nonces here: 41 requests without one refusal would happen once in 130,000 runs.
            Assert.True(session.BadNonceRetries > 0);
        }

        private AcmeSession Session(RecordingLog log) => new AcmeSession(_pebble.Server.Connection(_state.Path), log, CancellationToken.None);
    }
}
