using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using CertCmdlets.Core.Acme.Json;

namespace CertCmdlets.Core.Acme
{
    /// <summary>What the CA was asked when it refused: the words that lead each error message, and the next step.</summary>
    internal enum AcmeActivity
    {
        Account,
        Order,
        Validation,
        Finalize,
        Revocation,
        Other,
    }

    /// <summary>
    /// A problem document (RFC 7807, RFC 8555 section 6.7): its type (the part after urn:ietf:params:acme:error:), the
    /// CA's detail, the identifier it concerns, and its subproblems. Turned into the module's error with
    /// <see cref="ToException"/>, one ErrorId per type.
    /// </summary>
    internal sealed class AcmeProblem
    {
        private const string AcmeNamespace = "urn:ietf:params:acme:error:";
        private const int MaximumDetailLength = 600;

        private AcmeProblem(string type, string? detail, string? identifier, string? instance, IReadOnlyList<AcmeProblem> subproblems, int status)
        {
            Type = type;
            Detail = detail;
            Identifier = identifier;
            Instance = instance;
            Subproblems = subproblems;
            Status = status;
        }

        /// <summary>The ACME error type without its URN prefix ("rateLimited"), or the full type for other namespaces.</summary>
        public string Type { get; }

        public string? Detail { get; }

        /// <summary>The identifier value a subproblem concerns, if any.</summary>
        public string? Identifier { get; }

        /// <summary>A URL the user should visit (userActionRequired).</summary>
        public string? Instance { get; }

        public IReadOnlyList<AcmeProblem> Subproblems { get; }

        public int Status { get; }

        /// <summary>Reads a problem document; a body that is none becomes a "serverInternal"-like problem with the HTTP status.</summary>
        public static AcmeProblem Parse(JsonValue? json, int status)
        {
            if (json is null || json.Kind != JsonKind.Object)
            {
                return new AcmeProblem("unknown", $"HTTP {status} without a problem document", null, null, Array.Empty<AcmeProblem>(), status);
            }

            string type = json.GetString("type") ?? "unknown";
            if (type.StartsWith(AcmeNamespace, StringComparison.Ordinal))
            {
                type = type.Substring(AcmeNamespace.Length);
            }

            var subproblems = new List<AcmeProblem>();
            foreach (JsonValue item in json["subproblems"]?.Items ?? Array.Empty<JsonValue>())
            {
                subproblems.Add(Parse(item, status));
            }

            string? identifier = json["identifier"]?.GetString("value");
            return new AcmeProblem(type, Clean(json.GetString("detail")), identifier, json.GetString("instance"), subproblems, (int?)json["status"]?.AsInteger ?? status);
        }

        /// <summary>The CA's words, with the identifier and subproblems: "www.example.com: Invalid response ... (unauthorized)".</summary>
        public string Describe()
        {
            var builder = new StringBuilder();
            if (Identifier is not null)
            {
                builder.Append(Identifier).Append(": ");
            }

            builder.Append(Detail ?? "no detail given").Append(" (").Append(Type).Append(')');
            foreach (AcmeProblem sub in Subproblems)
            {
                builder.Append("; ").Append(sub.Describe());
            }

            return builder.ToString();
        }

        /// <summary>The error for this problem, given what was being done and, for validation, the challenge type.</summary>
        public CertCmdletsException ToException(AcmeActivity activity, string context, object target, DateTimeOffset? retryAt, string? challengeType = null)
        {
            // A compound problem is judged by its first subproblem; the message lists them all.
            AcmeProblem lead = Type == "compound" && Subproblems.Count > 0 ? Subproblems[0] : this;
            (string id, CertErrorKind kind, string next) = Classify(lead.Type, activity, challengeType, lead.Identifier ?? target.ToString(), retryAt, Instance ?? lead.Instance);
            return Errors.AcmeProblem(id, kind, target, context, "the CA said: " + Describe() + ".", next);
        }

        private static (string Id, CertErrorKind Kind, string Next) Classify(string type, AcmeActivity activity, string? challengeType, string? name, DateTimeOffset? retryAt, string? instance)
        {
            string where = challengeType == "dns-01"
                ? $"the TXT record _acme-challenge.{name} must be visible to the CA's resolvers (check the DNS script and the zone's name servers)"
                : $"http://{name}/.well-known/acme-challenge/ must reach this server on port 80 from the internet (check DNS, firewall and any redirect)";
            switch (type)
            {
                case "accountDoesNotExist":
                    return ("AcmeAccountDoesNotExist", CertErrorKind.ObjectNotFound, "The CA does not know this account key; create an account with New-AcmeAccount (the saved one may belong to another environment of the CA).");
                case "alreadyRevoked":
                    return ("AcmeAlreadyRevoked", CertErrorKind.InvalidOperation, "Nothing more to do: the certificate is already revoked.");
                case "alreadyReplaced":
                    return ("AcmeAlreadyReplaced", CertErrorKind.InvalidOperation, "That certificate was already renewed; leave out -Replaces, or give the newest certificate.");
                case "badCSR":
                    return ("AcmeBadCsr", CertErrorKind.InvalidData, "Make a new request with New-CertRequest (host names only, RSA 2048+ or ECDSA P-256/P-384, a key that is not the account key) and try again.");
                case "badNonce":
                    return ("AcmeBadNonce", CertErrorKind.ConnectionError, "The CA kept refusing the anti-replay nonces; try again in a minute.");
                case "badPublicKey":
                    return ("AcmeBadPublicKey", CertErrorKind.SecurityError, "Use another key type the CA accepts, e.g. New-CertRequest -KeyAlgorithm ECDSA, or RSA 2048/3072.");
                case "badRevocationReason":
                    return ("AcmeBadRevocationReason", CertErrorKind.InvalidArgument, "Give another -Reason (Unspecified, KeyCompromise, Superseded, CessationOfOperation).");
                case "badSignatureAlgorithm":
                    return ("AcmeBadSignatureAlgorithm", CertErrorKind.NotImplemented, "Create the account with another key type (-AccountKeyAlgorithm ES256 or RS256).");
                case "caa":
                    return ("AcmeCaa", CertErrorKind.SecurityError, $"A CAA record in the DNS of {name} does not allow this CA; add an 'issue' CAA record for the CA, or remove the restriction.");
                case "connection":
                    return ("AcmeConnection", CertErrorKind.ConnectionError, $"The CA could not connect for the challenge: {where}.");
                case "dns":
                    return ("AcmeDns", CertErrorKind.ConnectionError, $"The CA could not resolve {name}: check its A/AAAA (or TXT) records at your DNS provider.");
                case "externalAccountRequired":
                    return ("AcmeExternalAccountRequired", CertErrorKind.AuthenticationError, "Give -ExternalAccountKeyId and -ExternalAccountMacKey from your account page at the CA.");
                case "incorrectResponse":
                    return ("AcmeIncorrectResponse", CertErrorKind.InvalidData, $"Another answer than the expected one came back: {where}.");
                case "invalidContact":
                case "unsupportedContact":
                    return (type == "invalidContact" ? "AcmeInvalidContact" : "AcmeUnsupportedContact", CertErrorKind.InvalidArgument, "Give a working e-mail address with -Contact (name@example.com).");
                case "malformed":
                    return ("AcmeMalformed", CertErrorKind.InvalidData, "The CA did not understand the request; check -Directory and the names, and report it if it persists.");
                case "orderNotReady":
                    return ("AcmeOrderNotReady", CertErrorKind.InvalidOperation, "Run the command again to start a new order.");
                case "rateLimited":
                    return ("AcmeRateLimited", CertErrorKind.ResourceBusy, retryAt is null
                        ? "Wait before trying again (see the CA's rate limit documentation); test against the CA's staging directory meanwhile."
                        : $"Try again after {retryAt.Value.ToLocalTime().ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} (the CA's Retry-After); test against its staging directory meanwhile.");
                case "rejectedIdentifier":
                    return ("AcmeRejectedIdentifier", CertErrorKind.InvalidArgument, $"The CA will not issue for {name}; remove it from the request (New-CertRequest ... -DnsName) or use another CA.");
                case "serverInternal":
                    return ("AcmeServerInternal", CertErrorKind.ConnectionError, "The CA failed internally; try again later.");
                case "tls":
                    return ("AcmeTls", CertErrorKind.ConnectionError, $"The CA's TLS connection for the challenge failed: {where}.");
                case "unauthorized":
                    return ("AcmeUnauthorized", CertErrorKind.SecurityError, activity == AcmeActivity.Validation
                        ? $"The CA could not confirm that you control {name}: {where}."
                        : activity == AcmeActivity.Revocation
                            ? "Revoke with the account that issued the certificate, or with the certificate's own key (-UseCertificateKey)."
                            : "The account is not allowed to do this; check that it is the right account and that it is still valid (Get-AcmeAccount -Refresh).");
                case "unsupportedIdentifier":
                    return ("AcmeUnsupportedIdentifier", CertErrorKind.NotImplemented, $"The CA does not issue for identifiers like {name}; remove it from the request.");
                case "userActionRequired":
                    return ("AcmeUserActionRequired", CertErrorKind.InvalidOperation, instance is null
                        ? "Visit the CA's website (new terms of service?), then try again."
                        : $"Visit {instance} (new terms of service?), then try again.");
                default:
                    return ("AcmeServerError", CertErrorKind.ConnectionError, "Read the CA's reason above; try again later or contact the CA.");
            }
        }

        /// <summary>The CA's text without control characters, and not endless.</summary>
        private static string? Clean(string? detail)
        {
            if (detail is null)
            {
                return null;
            }

            var text = new string(detail.Select(c => char.IsControl(c) ? ' ' : c).ToArray()).Trim();
            return text.Length > MaximumDetailLength ? text.Substring(0, MaximumDetailLength) + "..." : text;
        }
    }
}
