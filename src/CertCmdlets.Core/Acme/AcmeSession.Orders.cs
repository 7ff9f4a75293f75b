using System;
using System.Collections.Generic;
using System.Linq;
using CertCmdlets.Core.Acme.Challenges;
using CertCmdlets.Core.Acme.Json;
using CertCmdlets.Core.Certificates;
using CertCmdlets.Core.Requests;

namespace CertCmdlets.Core.Acme
{
    /// <summary>Certificate orders (RFC 8555 section 7.4).</summary>
    public sealed partial class AcmeSession
    {
        private const string PemChain = "application/pem-certificate-chain";

        /// <summary>
        /// Orders a certificate for <paramref name="request"/>: new order (naming the certificate it replaces when the CA
        /// offers renewal information), challenges answered and always cleaned up, finalization with the request's own
        /// CSR, the certificate and its chain downloaded (the preferred chain chosen among the CA's alternates), checked
        /// against the request (key and names, by Complete-CertRequest's rule) and returned with the request's key
        /// attached. Nothing is written to disk here besides the challenge answers, which are removed.
        /// </summary>
        public CertificateInfo RequestCertificate(CertificateRequestInfo request, AcmeOrderOptions options)
        {
            string[] identifiers = Identifiers(request);
            DateTime deadline = DateTime.UtcNow + _client.Options.OperationTimeout;
            using IChallengeResponder responder = ChallengeResponders.Create(options.Challenge, identifiers, Log, _client.Cancellation);
            responder.Check(identifiers.Select(i => i.StartsWith("*.", StringComparison.Ordinal) ? i.Substring(2) : i).ToArray());
            (SavedAccount account, AcmeAccountKey key) = RequireAccount(options.NewAccount);

            AcmeOrder order = NewOrder(request, identifiers, options.Replaces, account, key);
            Log.Verbose($"Order {order.Url} for {string.Join(", ", identifiers)}: {order.Status}.");
            try
            {
                Authorize(order, responder, account, key, deadline);
            }
            finally
            {
                responder.CleanUp();
            }

            order = WaitForOrder(order, account, key, deadline, "ready", "The CA's readiness to issue");
            if (order.Status == "ready")
            {
                Uri finalize = order.Finalize ?? throw Errors.AcmeResponseInvalid(order.Url.ToString(), "the order has no finalize URL.");
                JsonValue csr = JsonValue.Object().Add("csr", Base64Url.Encode(request.RawData));
                AcmeHttpResponse finalized = _client.Post(finalize, key, account.AccountUrl, csr, AcmeActivity.Finalize, $"Finalizing the order for '{request.Subject}'", request.Subject);
                order = AcmeOrder.Parse(order.Url, finalized.Json());
                Log.Verbose($"Sent the request's CSR to {finalize}; the order is {order.Status}.");
            }

            order = WaitForOrder(order, account, key, deadline, "valid", "Issuing the certificate");
            Uri certificateUrl = order.Certificate ?? throw Errors.AcmeResponseInvalid(order.Url.ToString(), "the valid order names no certificate URL.");
            List<CertificateInfo> chain = DownloadChain(certificateUrl, options.PreferredChain, account, key);
            CertificateInfo issued = Complete(request, chain, certificateUrl);
            ApplyRenewalInfo(issued, quiet: true);
            Log.Verbose($"Issued '{issued.Subject}' ({issued.Thumbprint}), valid until {issued.NotAfter:yyyy-MM-dd HH:mm}, chain: {string.Join(" -> ", issued.Chain.Select(c => c.CommonName ?? c.Subject))}.");
            return issued;
        }

        /// <summary>The identifiers of a request: its DNS names and IP addresses; what an ACME CA cannot take is refused here.</summary>
        private static string[] Identifiers(CertificateRequestInfo request)
        {
            if (request.EmailAddresses.Length > 0)
            {
                throw Errors.AcmeRequestNamesInvalid(request.Subject, $"it asks for e-mail addresses ({string.Join(", ", request.EmailAddresses)}), which ACME CAs do not certify.");
            }

            string[] names = request.DnsNames.Concat(request.IpAddresses).ToArray();
            if (names.Length == 0)
            {
                throw Errors.AcmeRequestNamesInvalid(request.Subject, "it names no host name or IP address.");
            }

            string? commonName = request.CommonName;
            if (!string.IsNullOrEmpty(commonName) && !names.Contains(commonName, StringComparer.OrdinalIgnoreCase))
            {
                throw Errors.AcmeRequestNamesInvalid(request.Subject, $"its common name '{commonName}' is not among its DNS names and IP addresses ({string.Join(", ", names)}), which CAs require.");
            }

            return names;
        }

        private AcmeOrder NewOrder(CertificateRequestInfo request, string[] identifiers, CertificateInfo? replaces, SavedAccount account, AcmeAccountKey key)
        {
            JsonValue payload = JsonValue.Object().Add("identifiers", JsonValue.Array(identifiers.Select(i => JsonValue.Object()
                .Add("type", Naming.HostNames.TryParseIp(i, out _) ? "ip" : "dns")
                .Add("value", i))));
            string? replacesId = null;
            if (replaces is not null)
            {
                if (_client.Directory.RenewalInfo is null)
                {
                    Log.Verbose($"The CA offers no renewal information (RFC 9773), so the order does not name the certificate it replaces ({replaces.Thumbprint}).");
                }
                else
                {
                    try
                    {
                        replacesId = AcmeRenewalWindow.CertificateId(replaces);
                        payload.Add("replaces", replacesId);
                        Log.Verbose($"The order replaces {replaces.Thumbprint} (certificate id {replacesId}).");
                    }
                    catch (CertCmdletsException ex) when (ex.ErrorId == "AcmeCertificateHasNoAuthorityKeyId")
                    {
                        Log.Warning($"The order cannot name the certificate it replaces: {ex.Message}");
                    }
                }
            }

            AcmeHttpResponse response;
            try
            {
                response = _client.Post(_client.Directory.NewOrder, key, account.AccountUrl, payload, AcmeActivity.Order, $"Ordering a certificate for {string.Join(", ", identifiers)}", request.Subject);
            }
            catch (CertCmdletsException ex) when (ex.ErrorId == "AcmeAlreadyReplaced" && replacesId is not null)
            {
                Log.Warning($"The CA says the certificate {replaces!.Thumbprint} was already replaced; ordering without naming it.");
                return NewOrder(request, identifiers, null, account, key);
            }

            Uri url = response.Location is string location ? AcmeOrder.Link(_client.Directory.NewOrder, location, "order") : throw Errors.AcmeResponseInvalid(_client.Directory.NewOrder.ToString(), "the new order's answer has no Location.");
            return AcmeOrder.Parse(url, response.Json());
        }

        /// <summary>Answers every pending authorization, then waits until each is valid (or fails with the CA's reason).</summary>
        private void Authorize(AcmeOrder order, IChallengeResponder responder, SavedAccount account, AcmeAccountKey key, DateTime deadline)
        {
            var pending = new List<(AcmeAuthorization Authorization, AcmeChallenge Challenge)>();
            foreach (Uri url in order.Authorizations)
            {
                AcmeAuthorization authorization = ReadAuthorization(url, account, key);
                if (authorization.Status == "valid")
                {
                    Log.Verbose($"'{authorization.DisplayName}' is already authorized for this account.");
                    continue;
                }

                if (authorization.Status != "pending")
                {
                    throw Errors.AcmeAuthorizationUnusable(authorization.DisplayName, authorization.Status, url.ToString());
                }

                AcmeChallenge challenge = authorization.Challenge(responder.ChallengeType)
                    ?? throw Errors.AcmeChallengeUnsupported(authorization.DisplayName, responder.ChallengeType, string.Join(", ", authorization.Challenges.Select(c => c.Type).DefaultIfEmpty("none")));
                string token = ChallengeTokens.Require(challenge.Token, challenge.Url.ToString());
                responder.Prepare(authorization.IdentifierValue, token, token + "." + key.Thumbprint);
                pending.Add((authorization, challenge));
            }

            if (pending.Count == 0)
            {
                return;
            }

            responder.WaitUntilVisible();
            foreach ((AcmeAuthorization authorization, AcmeChallenge challenge) in pending)
            {
                if (challenge.Status == "pending")
                {
                    _client.Post(challenge.Url, key, account.AccountUrl, JsonValue.Object(), AcmeActivity.Validation, $"Asking the CA to validate '{authorization.DisplayName}'", authorization.DisplayName, challengeType: challenge.Type);
                }
            }

            foreach ((AcmeAuthorization authorization, AcmeChallenge challenge) in pending)
            {
                AcmeAuthorization current = authorization;
                for (int attempt = 0; current.Status == "pending" || current.Status == "processing"; attempt++)
                {
                    if (DateTime.UtcNow >= deadline)
                    {
                        throw Errors.AcmeOperationTimedOut($"The validation of '{authorization.DisplayName}'", authorization.Url.ToString(), _client.Options.OperationTimeout);
                    }

                    AcmeHttpResponse response = _client.PostAsGet(authorization.Url, key, account.AccountUrl, AcmeActivity.Validation, $"Reading the authorization of '{authorization.DisplayName}'", authorization.DisplayName);
                    current = AcmeAuthorization.Parse(authorization.Url, response.Json());
                    if (current.Status == "pending" || current.Status == "processing")
                    {
                        _client.Sleep(_client.PollDelay(response, attempt, deadline));
                    }
                }

                if (current.Status != "valid")
                {
                    JsonValue? error = current.FailedChallengeError();
                    AcmeProblem problem = AcmeProblem.Parse(error, 403);
                    throw problem.ToException(AcmeActivity.Validation, $"The CA refused '{authorization.DisplayName}' ({challenge.Type}, authorization {current.Status})", authorization.DisplayName, null, challenge.Type);
                }

                Log.Verbose($"'{authorization.DisplayName}' is validated ({challenge.Type}).");
            }
        }

        private AcmeAuthorization ReadAuthorization(Uri url, SavedAccount account, AcmeAccountKey key)
        {
            AcmeHttpResponse response = _client.PostAsGet(url, key, account.AccountUrl, AcmeActivity.Order, "Reading an authorization", url.ToString());
            return AcmeAuthorization.Parse(url, response.Json());
        }

        /// <summary>Polls the order until it reaches <paramref name="status"/> (or beyond), fails, or the deadline passes.</summary>
        private AcmeOrder WaitForOrder(AcmeOrder order, SavedAccount account, AcmeAccountKey key, DateTime deadline, string status, string what)
        {
            AcmeHttpResponse? last = null;
            for (int attempt = 0; ; attempt++)
            {
                if (order.Status == "invalid")
                {
                    AcmeProblem problem = AcmeProblem.Parse(order.Error, 403);
                    throw Errors.AcmeOrderInvalid(order.Url.ToString(), order.Error is null ? "it gave no reason." : problem.Describe() + ".");
                }

                if (order.Status == status || order.Status == "valid" || (status == "ready" && order.Status == "processing"))
                {
                    return order;
                }

                if (DateTime.UtcNow >= deadline)
                {
                    throw Errors.AcmeOperationTimedOut(what, order.Url.ToString(), _client.Options.OperationTimeout);
                }

                if (last is not null)
                {
                    _client.Sleep(_client.PollDelay(last, attempt - 1, deadline));
                }

                last = _client.PostAsGet(order.Url, key, account.AccountUrl, AcmeActivity.Order, "Reading the order", order.Url.ToString());
                order = AcmeOrder.Parse(order.Url, last.Json());
            }
        }

        /// <summary>The chain the CA serves by default, or the alternate (Link rel="alternate") the user prefers.</summary>
        private List<CertificateInfo> DownloadChain(Uri url, string? preferred, SavedAccount account, AcmeAccountKey key)
        {
            AcmeHttpResponse response = _client.PostAsGet(url, key, account.AccountUrl, AcmeActivity.Order, "Downloading the certificate", url.ToString(), PemChain);
            List<CertificateInfo> chain = ParseChain(url, response);
            if (preferred is null || Matches(chain, preferred))
            {
                return chain;
            }

            var offered = new List<string> { Describe(chain) };
            foreach (string alternate in response.LinksWithRelation("alternate"))
            {
                Uri alternateUrl = AcmeOrder.Link(url, alternate, "alternate certificate");
                List<CertificateInfo> candidate = ParseChain(alternateUrl, _client.PostAsGet(alternateUrl, key, account.AccountUrl, AcmeActivity.Order, "Downloading an alternate chain", alternateUrl.ToString(), PemChain));
                if (Matches(candidate, preferred))
                {
                    Log.Verbose($"Using the alternate chain {alternateUrl} ({Describe(candidate)}), which matches '{preferred}'.");
                    return candidate;
                }

                offered.Add(Describe(candidate));
            }

            Log.Warning($"No chain offered by the CA matches -PreferredChain '{preferred}' (offered: {string.Join("; ", offered)}); the default chain is used.");
            return chain;
        }

        private static List<CertificateInfo> ParseChain(Uri url, AcmeHttpResponse response)
        {
            try
            {
                string text = new System.Text.UTF8Encoding(false, true).GetString(response.Body);
                List<CertificateInfo> chain = CertificateReader.ParseText(text, url.ToString());
                if (chain.Count == 0)
                {
                    throw Errors.AcmeResponseInvalid(url.ToString(), "the certificate download holds no certificate.");
                }

                return chain;
            }
            catch (CertCmdletsException ex) when (ex.ErrorId != "AcmeResponseInvalid")
            {
                throw Errors.AcmeResponseInvalid(url.ToString(), "the certificate download is not a PEM certificate chain: " + ex.Message);
            }
            catch (System.Text.DecoderFallbackException)
            {
                throw Errors.AcmeResponseInvalid(url.ToString(), "the certificate download is not PEM text.");
            }
        }

        /// <summary>certbot's rule, extended: the top certificate's issuer, or any certificate after the leaf, has this Common Name.</summary>
        private static bool Matches(List<CertificateInfo> chain, string name)
        {
            CertificateInfo top = chain[chain.Count - 1];
            string? topIssuer = DistinguishedNameCommonName(top.Issuer);
            return string.Equals(topIssuer, name.Trim(), StringComparison.OrdinalIgnoreCase)
                || chain.Skip(1).Any(c => string.Equals(c.CommonName, name.Trim(), StringComparison.OrdinalIgnoreCase));
        }

        private static string Describe(List<CertificateInfo> chain) =>
            string.Join(" -> ", chain.Skip(1).Select(c => c.CommonName ?? c.Subject).Concat(new[] { DistinguishedNameCommonName(chain[chain.Count - 1].Issuer) ?? chain[chain.Count - 1].Issuer }));

        private static string? DistinguishedNameCommonName(string distinguishedName)
        {
            foreach (string part in distinguishedName.Split(new[] { ", " }, StringSplitOptions.None))
            {
                if (part.StartsWith("CN=", StringComparison.OrdinalIgnoreCase))
                {
                    return part.Substring(3);
                }
            }

            return null;
        }

        /// <summary>
        /// Complete-CertRequest's rule (key and names checked, chain ordered, key attached). The chain is the one the CA
        /// chose to be served, so a root missing from this machine's store is a detail for -Verbose, not a warning.
        /// </summary>
        private CertificateInfo Complete(CertificateRequestInfo request, List<CertificateInfo> chain, Uri url)
        {
            if (request.PrivateKey is null)
            {
                Log.Warning($"The request '{request.Subject}' carries no private key: the certificate comes without it. Attach the key with Import-CertFile -KeyPath before installing it.");
            }

            return RequestCompletion.Complete(request, chain, Array.Empty<CertificateInfo>(), null, url.ToString(), new VerboseOnlyLog(Log));
        }

        /// <summary>Passes everything on as verbose lines.</summary>
        private sealed class VerboseOnlyLog : ICoreLog
        {
            private readonly ICoreLog _inner;

            public VerboseOnlyLog(ICoreLog inner)
            {
                _inner = inner;
            }

            public void Verbose(string message) => _inner.Verbose(message);

            public void Warning(string message) => _inner.Verbose(message);
        }
    }
}
