using System;
using System.Collections.Generic;
using System.Linq;
using CertCmdlets.Core.Acme.Json;

namespace CertCmdlets.Core.Acme
{
    /// <summary>A CA's directory (RFC 8555 section 7.1.1): where each resource lives, and its meta data.</summary>
    internal sealed class AcmeDirectoryDocument
    {
        private AcmeDirectoryDocument(Uri url, JsonValue json)
        {
            Url = url;
            NewNonce = Required(url, json, "newNonce");
            NewAccount = Required(url, json, "newAccount");
            NewOrder = Required(url, json, "newOrder");
            RevokeCert = Optional(url, json, "revokeCert");
            KeyChange = Optional(url, json, "keyChange");
            RenewalInfo = Optional(url, json, "renewalInfo");
            JsonValue? meta = json["meta"];
            TermsOfService = meta?.GetString("termsOfService");
            Website = meta?.GetString("website");
            ExternalAccountRequired = meta?["externalAccountRequired"]?.AsBoolean == true;
        }

        public Uri Url { get; }

        public Uri NewNonce { get; }

        public Uri NewAccount { get; }

        public Uri NewOrder { get; }

        public Uri? RevokeCert { get; }

        public Uri? KeyChange { get; }

        /// <summary>The ACME Renewal Information resource (RFC 9773), when the CA offers it.</summary>
        public Uri? RenewalInfo { get; }

        public string? TermsOfService { get; }

        public string? Website { get; }

        public bool ExternalAccountRequired { get; }

        public static AcmeDirectoryDocument Parse(Uri url, JsonValue json)
        {
            if (json.Kind != JsonKind.Object)
            {
                throw Errors.AcmeResponseInvalid(url.ToString(), "the directory is not a JSON object.");
            }

            return new AcmeDirectoryDocument(url, json);
        }

        private static Uri Required(Uri directory, JsonValue json, string name) =>
            Optional(directory, json, name) ?? throw Errors.AcmeResponseInvalid(directory.ToString(), $"the directory has no https URL for '{name}'; it is not an ACME (RFC 8555) directory.");

        private static Uri? Optional(Uri directory, JsonValue json, string name)
        {
            string? text = json.GetString(name);
            if (text is null)
            {
                return null;
            }

            if (!Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) || uri.Scheme != Uri.UriSchemeHttps)
            {
                throw Errors.AcmeResponseInvalid(directory.ToString(), $"the directory's '{name}' is not an https URL ('{text}').");
            }

            return uri;
        }
    }

    /// <summary>An order (RFC 8555 section 7.1.3).</summary>
    internal sealed class AcmeOrder
    {
        private AcmeOrder(Uri url, JsonValue json)
        {
            Url = url;
            Status = json.GetString("status") ?? "unknown";
            Authorizations = json.GetStrings("authorizations").Select(a => Link(url, a, "authorization")).ToList();
            Finalize = json.GetString("finalize") is string finalize ? Link(url, finalize, "finalize") : null;
            Certificate = json.GetString("certificate") is string certificate ? Link(url, certificate, "certificate") : null;
            Error = json["error"];
        }

        public Uri Url { get; }

        /// <summary>pending, ready, processing, valid or invalid.</summary>
        public string Status { get; }

        public IReadOnlyList<Uri> Authorizations { get; }

        public Uri? Finalize { get; }

        public Uri? Certificate { get; }

        public JsonValue? Error { get; }

        public static AcmeOrder Parse(Uri url, JsonValue json) =>
            json.Kind == JsonKind.Object ? new AcmeOrder(url, json) : throw Errors.AcmeResponseInvalid(url.ToString(), "the order is not a JSON object.");

        internal static Uri Link(Uri source, string text, string what) =>
            Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) && uri.Scheme == Uri.UriSchemeHttps
                ? uri
                : throw Errors.AcmeResponseInvalid(source.ToString(), $"the {what} URL '{text}' is not an https URL.");
    }

    /// <summary>An authorization for one identifier (RFC 8555 section 7.1.4) and its challenges.</summary>
    internal sealed class AcmeAuthorization
    {
        private AcmeAuthorization(Uri url, JsonValue json)
        {
            Url = url;
            Status = json.GetString("status") ?? "unknown";
            JsonValue? identifier = json["identifier"];
            IdentifierType = identifier?.GetString("type") ?? "dns";
            IdentifierValue = identifier?.GetString("value") ?? throw Errors.AcmeResponseInvalid(url.ToString(), "the authorization names no identifier.");
            Wildcard = json["wildcard"]?.AsBoolean == true;
            Challenges = (json["challenges"]?.Items ?? Array.Empty<JsonValue>()).Where(c => c.Kind == JsonKind.Object).Select(c => new AcmeChallenge(url, c)).ToList();
        }

        public Uri Url { get; }

        /// <summary>pending, valid, invalid, deactivated, expired or revoked.</summary>
        public string Status { get; }

        public string IdentifierType { get; }

        public string IdentifierValue { get; }

        public bool Wildcard { get; }

        /// <summary>The name as the request wrote it (with "*." for a wildcard authorization).</summary>
        public string DisplayName => Wildcard ? "*." + IdentifierValue : IdentifierValue;

        public IReadOnlyList<AcmeChallenge> Challenges { get; }

        public static AcmeAuthorization Parse(Uri url, JsonValue json) =>
            json.Kind == JsonKind.Object ? new AcmeAuthorization(url, json) : throw Errors.AcmeResponseInvalid(url.ToString(), "the authorization is not a JSON object.");

        public AcmeChallenge? Challenge(string type) => Challenges.FirstOrDefault(c => string.Equals(c.Type, type, StringComparison.Ordinal));

        /// <summary>The error of the challenge that failed, if the CA said why.</summary>
        public JsonValue? FailedChallengeError() => Challenges.Select(c => c.Error).FirstOrDefault(e => e is not null);
    }

    /// <summary>One challenge (RFC 8555 section 8).</summary>
    internal sealed class AcmeChallenge
    {
        public AcmeChallenge(Uri authorization, JsonValue json)
        {
            Type = json.GetString("type") ?? "unknown";
            Url = AcmeOrder.Link(authorization, json.GetString("url") ?? string.Empty, "challenge");
            Status = json.GetString("status") ?? "unknown";
            Token = json.GetString("token");
            Error = json["error"];
        }

        public string Type { get; }

        public Uri Url { get; }

        public string Status { get; }

        public string? Token { get; }

        public JsonValue? Error { get; }
    }
}
