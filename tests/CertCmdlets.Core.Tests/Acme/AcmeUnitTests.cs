using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using CertCmdlets.Core.Acme;
using CertCmdlets.Core.Acme.Challenges;
using CertCmdlets.Core.Acme.Json;
using CertCmdlets.Core.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Core.Tests.Acme
{
    /// <summary>The parts of the ACME client that need no CA: problem documents, directories, contacts, the account store, DNS messages.</summary>
    public sealed class AcmeUnitTests
    {
        [Theory]
        [InlineData("rateLimited", "AcmeRateLimited", CertErrorKind.ResourceBusy)]
        [InlineData("unauthorized", "AcmeUnauthorized", CertErrorKind.SecurityError)]
        [InlineData("rejectedIdentifier", "AcmeRejectedIdentifier", CertErrorKind.InvalidArgument)]
        [InlineData("badCSR", "AcmeBadCsr", CertErrorKind.InvalidData)]
        [InlineData("externalAccountRequired", "AcmeExternalAccountRequired", CertErrorKind.AuthenticationError)]
        [InlineData("caa", "AcmeCaa", CertErrorKind.SecurityError)]
        [InlineData("connection", "AcmeConnection", CertErrorKind.ConnectionError)]
        [InlineData("dns", "AcmeDns", CertErrorKind.ConnectionError)]
        [InlineData("incorrectResponse", "AcmeIncorrectResponse", CertErrorKind.InvalidData)]
        [InlineData("userActionRequired", "AcmeUserActionRequired", CertErrorKind.InvalidOperation)]
        [InlineData("accountDoesNotExist", "AcmeAccountDoesNotExist", CertErrorKind.ObjectNotFound)]
        [InlineData("somethingNew", "AcmeServerError", CertErrorKind.ConnectionError)]
        public void ProblemDocuments_BecomeSpecificErrors_WithTheCasDetailAndANextStep(string type, string errorId, CertErrorKind kind)
        {
            JsonValue json = JsonReader.Parse($"{{\"type\":\"urn:ietf:params:acme:error:{type}\",\"detail\":\"the CA's own words\",\"status\":400}}");

            CertCmdletsException error = AcmeProblem.Parse(json, 400).ToException(AcmeActivity.Validation, "Validating www.example.com", "www.example.com", null, "http-01");

            Assert.Equal(errorId, error.ErrorId);
            Assert.Equal(kind, error.Kind);
            Assert.Equal("www.example.com", error.Target);
            Assert.Contains("the CA's own words", error.Message, StringComparison.Ordinal);
            Assert.Contains(type, error.Message, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(error.RecommendedAction));
            Assert.EndsWith(error.RecommendedAction!, error.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void CompoundProblems_AreJudgedByTheirFirstSubproblem_AndListAll()
        {
            JsonValue json = JsonReader.Parse("{\"type\":\"urn:ietf:params:acme:error:compound\",\"detail\":\"several\",\"subproblems\":["
                + "{\"type\":\"urn:ietf:params:acme:error:rejectedIdentifier\",\"detail\":\"policy forbids\",\"identifier\":{\"type\":\"dns\",\"value\":\"bad.example\"}},"
                + "{\"type\":\"urn:ietf:params:acme:error:caa\",\"detail\":\"caa forbids\",\"identifier\":{\"type\":\"dns\",\"value\":\"other.example\"}}]}");

            CertCmdletsException error = AcmeProblem.Parse(json, 400).ToException(AcmeActivity.Order, "Ordering", "order", null);

            Assert.Equal("AcmeRejectedIdentifier", error.ErrorId);
            Assert.Contains("bad.example: policy forbids", error.Message, StringComparison.Ordinal);
            Assert.Contains("other.example: caa forbids", error.Message, StringComparison.Ordinal);
            Assert.Contains("bad.example", error.RecommendedAction, StringComparison.Ordinal);
        }

        [Fact]
        public void ProblemDetail_LosesControlCharacters_AndIsBounded()
        {
            JsonValue json = JsonValue.Object().Add("type", "urn:ietf:params:acme:error:malformed").Add("detail", "line1\nline2\u001b[31m" + new string('x', 2000));

            AcmeProblem problem = AcmeProblem.Parse(json, 400);

            Assert.DoesNotContain('\n', problem.Detail!);
            Assert.DoesNotContain('\u001b', problem.Detail!);
            Assert.True(problem.Detail!.Length <= 603);
        }

        [Fact]
        public void UserActionRequired_NamesTheInstanceToVisit()
        {
            JsonValue json = JsonReader.Parse("{\"type\":\"urn:ietf:params:acme:error:userActionRequired\",\"detail\":\"new terms\",\"instance\":\"https://ca.example/tos-2\"}");

            CertCmdletsException error = AcmeProblem.Parse(json, 403).ToException(AcmeActivity.Order, "Ordering", "x", null);

            Assert.Contains("https://ca.example/tos-2", error.RecommendedAction, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("LetsEncrypt", "https://acme-v02.api.letsencrypt.org/directory")]
        [InlineData("letsencryptstaging", "https://acme-staging-v02.api.letsencrypt.org/directory")]
        [InlineData("ZeroSSL", "https://acme.zerossl.com/v2/DV90")]
        [InlineData("GoogleTrustServices", "https://dv.acme-v02.api.pki.goog/directory")]
        [InlineData("GoogleTrustServicesStaging", "https://dv.acme-v02.test-api.pki.goog/directory")]
        [InlineData("BuypassGo", "https://api.buypass.com/acme/directory")]
        [InlineData("https://acme.example.net/directory", "https://acme.example.net/directory")]
        public void Directories_ShortcutsAndHttpsUrls(string given, string url)
        {
            Assert.Equal(url, AcmeDirectories.Resolve(given).ToString());
        }

        [Theory]
        [InlineData("http://acme.example.net/directory")]
        [InlineData("https://user:secret@acme.example.net/directory")]
        [InlineData("LetsEncrypted")]
        [InlineData("")]
        [InlineData("ftp://acme.example.net/")]
        public void Directories_AnythingElseIsRefused(string given)
        {
            CertCmdletsException error = Assert.Throws<CertCmdletsException>(() => AcmeDirectories.Resolve(given));

            Assert.Equal("AcmeDirectoryInvalid", error.ErrorId);
            Assert.DoesNotContain("secret@", error.RecommendedAction, StringComparison.Ordinal);
        }

        [Fact]
        public void Contacts_BecomeMailtoUrls_AndBadOnesAreRefused()
        {
            Assert.Equal(new[] { "mailto:a@example.com", "mailto:b@example.org" }, AcmeSession.NormalizeContacts(new[] { " a@example.com ", "mailto:b@example.org" }));
            foreach (string bad in new[] { "nobody", "a@b@c.example", "a@", "a b@example.com", "a@example.com?cc=x", "a@-bad-.example", "tel:+123" })
            {
                CertCmdletsException error = Assert.Throws<CertCmdletsException>(() => AcmeSession.NormalizeContacts(new[] { bad }));
                Assert.Equal("AcmeContactInvalid", error.ErrorId);
            }
        }

        [Fact]
        public void Store_FolderPerDirectoryUrl_AndTheEnvironmentVariable()
        {
            var store = new AcmeAccountStore("/tmp/acme-state");
            string production = store.FolderFor(new Uri("https://acme-v02.api.letsencrypt.org/directory"));
            string staging = store.FolderFor(new Uri("https://acme-staging-v02.api.letsencrypt.org/directory"));
            string otherPath = store.FolderFor(new Uri("https://acme-v02.api.letsencrypt.org/other"));

            Assert.StartsWith(Path.Combine("/tmp/acme-state", "acme-v02.api.letsencrypt.org_"), production, StringComparison.Ordinal);
            Assert.Equal(3, new[] { production, staging, otherPath }.Distinct().Count());
            Assert.Contains("127.0.0.1_14000_", store.FolderFor(new Uri("https://127.0.0.1:14000/dir")), StringComparison.Ordinal);

            string? saved = Environment.GetEnvironmentVariable(AcmeAccountStore.EnvironmentVariable);
            try
            {
                Environment.SetEnvironmentVariable(AcmeAccountStore.EnvironmentVariable, "/tmp/from-env");
                Assert.Equal("/tmp/from-env", new AcmeAccountStore(null).Root);
            }
            finally
            {
                Environment.SetEnvironmentVariable(AcmeAccountStore.EnvironmentVariable, saved);
            }
        }

        [Fact]
        public void Store_DefaultRootIsPerUser()
        {
            string? saved = Environment.GetEnvironmentVariable(AcmeAccountStore.EnvironmentVariable);
            try
            {
                Environment.SetEnvironmentVariable(AcmeAccountStore.EnvironmentVariable, null);
                string root = AcmeAccountStore.DefaultRoot();
                if (OperatingSystem.IsWindows())
                {
                    Assert.Equal(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "CertCmdlets", "acme"), root);
                }
                else if (OperatingSystem.IsMacOS())
                {
                    Assert.EndsWith(Path.Combine("Library", "Application Support", "CertCmdlets", "acme"), root, StringComparison.Ordinal);
                }
                else
                {
                    string? xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
                    string expected = string.IsNullOrEmpty(xdg) ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share") : xdg;
                    Assert.Equal(Path.Combine(expected, "CertCmdlets", "acme"), root);
                }
            }
            finally
            {
                Environment.SetEnvironmentVariable(AcmeAccountStore.EnvironmentVariable, saved);
            }
        }

        [Fact]
        public void Store_ADamagedAccountFile_IsReportedWithItsPath()
        {
            using var state = new TempDirectory();
            var store = new AcmeAccountStore(state.Path);
            var directory = new Uri("https://acme.example.net/directory");
            Directory.CreateDirectory(store.FolderFor(directory));
            File.WriteAllText(Path.Combine(store.FolderFor(directory), AcmeAccountStore.DetailsFileName), "{not json");

            CertCmdletsException error = Assert.Throws<CertCmdletsException>(() => store.Load(directory));

            Assert.Equal("AcmeAccountStateInvalid", error.ErrorId);
            Assert.Contains("account.json", error.Message, StringComparison.Ordinal);
            var log = new RecordingLog();
            Assert.Empty(AcmeSession.ListAccounts(state.Path, log));
            Assert.Single(log.Warnings);
        }

        [Fact]
        public void Dns_QueryAndAnswer_WithACompressedName()
        {
            byte[] query = DnsTxtQuery.BuildQuery("_acme-challenge.www.example.com", out ushort id);
            Assert.Equal(new byte[] { 0x01, 0x00, 0x00, 0x01 }, query.Skip(2).Take(4).ToArray());
            Assert.Equal(new byte[] { 0x00, 0x10, 0x00, 0x01 }, query.Skip(query.Length - 4).ToArray());

            // The answer: the question echoed, then one TXT record whose name points back at it, holding two strings.
            var answer = query.ToList();
            answer[2] = 0x81;
            answer[3] = 0x80;
            answer[7] = 1;
            answer.AddRange(new byte[] { 0xC0, 0x0C, 0x00, 0x10, 0x00, 0x01, 0x00, 0x00, 0x00, 0x3C, 0x00, 0x09, 0x03 });
            answer.AddRange(Encoding.ASCII.GetBytes("abc"));
            answer.Add(0x04);
            answer.AddRange(Encoding.ASCII.GetBytes("defg"));

            Assert.Equal(new[] { "abcdefg" }, DnsTxtQuery.ParseAnswer(answer.ToArray(), id, "_acme-challenge.www.example.com"));
            Assert.Empty(DnsTxtQuery.ParseAnswer(answer.ToArray(), (ushort)(id + 1), "_acme-challenge.www.example.com"));
            Assert.Empty(DnsTxtQuery.ParseAnswer(answer.ToArray(), id, "other.example.com"));
        }

        [Fact]
        public void Dns_APointerLoopEndsTheAnswer()
        {
            byte[] query = DnsTxtQuery.BuildQuery("a.example", out ushort id);
            var answer = query.ToList();
            answer[2] = 0x81;
            answer[7] = 1;
            int loop = answer.Count;
            answer.AddRange(new byte[] { 0xC0, (byte)loop, 0x00, 0x10 });

            Assert.Empty(DnsTxtQuery.ParseAnswer(answer.ToArray(), id, "a.example"));
        }

        [Theory]
        [InlineData("192.0.2.53", "192.0.2.53:53")]
        [InlineData("192.0.2.53:5353", "192.0.2.53:5353")]
        [InlineData("2001:db8::53", "[2001:db8::53]:53")]
        [InlineData("[2001:db8::53]:5300", "[2001:db8::53]:5300")]
        public void Dns_Resolvers(string text, string endpoint)
        {
            Assert.Equal(endpoint, DnsTxtQuery.ParseResolver(text).ToString());
        }

        [Theory]
        [InlineData("dns.example")]
        [InlineData("192.0.2.53:99999")]
        [InlineData("[2001:db8::53")]
        public void Dns_BadResolversAreRefused(string text)
        {
            Assert.Equal("AcmeDnsResolverInvalid", Assert.Throws<CertCmdletsException>(() => DnsTxtQuery.ParseResolver(text)).ErrorId);
        }

        [Fact]
        public void Dns01Value_IsTheBase64UrlSha256OfTheKeyAuthorization()
        {
            // RFC 8555 section 8.4: the digest of "token.thumbprint".
            Assert.Equal(Base64Url.Encode(System.Security.Cryptography.SHA256.HashData(Encoding.ASCII.GetBytes("tok.thumb"))), DnsScriptResponder.TxtValue("tok.thumb"));
            Assert.Equal("_acme-challenge.www.example.com", DnsScriptResponder.RecordName("www.example.com"));
        }

        [Fact]
        public void RenewalWindow_ChoosesAStablePointInside()
        {
            JsonValue json = JsonReader.Parse("{\"suggestedWindow\":{\"start\":\"2030-01-01T00:00:00Z\",\"end\":\"2030-01-03T00:00:00Z\"}}");
            AcmeRenewalWindow window = AcmeRenewalWindow.Parse(new Uri("https://ca.example/ari/x"), json);

            DateTimeOffset a = window.RenewAt("aaaa.bbbb");
            Assert.Equal(a, window.RenewAt("aaaa.bbbb"));
            Assert.InRange(a, window.Start, window.End);
            Assert.NotEqual(a, window.RenewAt("cccc.dddd"));
            Assert.Throws<CertCmdletsException>(() => AcmeRenewalWindow.Parse(new Uri("https://ca.example/ari/x"), JsonReader.Parse("{\"suggestedWindow\":{\"start\":\"2030-01-03T00:00:00Z\",\"end\":\"2030-01-01T00:00:00Z\"}}")));
        }
    }
}
