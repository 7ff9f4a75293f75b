using System;
using System.Collections.Generic;
using CertCmdlets.Core.Acme.Json;

namespace CertCmdlets.Core.Acme
{
    /// <summary>Renewal information (RFC 9773) and revocation (RFC 8555 section 7.6).</summary>
    public sealed partial class AcmeSession
    {
        private static readonly Dictionary<string, int> s_revocationReasons = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
        {
            ["Unspecified"] = 0,
            ["KeyCompromise"] = 1,
            ["AffiliationChanged"] = 3,
            ["Superseded"] = 4,
            ["CessationOfOperation"] = 5,
        };

        /// <summary>The revocation reasons ACME CAs accept, for the cmdlet's completion.</summary>
        public static IReadOnlyCollection<string> RevocationReasons => s_revocationReasons.Keys;

        /// <summary>
        /// A copy of <paramref name="certificate"/> whose RenewAfter is the CA's suggested window (a stable point in it),
        /// when the CA offers renewal information; otherwise the certificate as it is, under the module's rule.
        /// </summary>
        public CertificateInfo UpdateRenewalInfo(CertificateInfo certificate)
        {
            CertificateInfo copy = certificate.Clone();
            if (!ApplyRenewalInfo(copy, quiet: false))
            {
                Log.Warning($"{DirectoryUrl} offers no renewal information (RFC 9773); '{certificate.Subject}' keeps its renewal date (RenewAfter {certificate.RenewAfter:yyyy-MM-dd}, the module's rule unless a CA suggested another).");
            }

            return copy;
        }

        /// <summary>
        /// Revokes a certificate: signed by the account (the one that ordered it), or with <paramref name="useCertificateKey"/>
        /// by the certificate's own key (the object must carry it).
        /// </summary>
        public void Revoke(CertificateInfo certificate, string? reason, bool useCertificateKey)
        {
            int code = 0;
            if (reason is not null && !s_revocationReasons.TryGetValue(reason.Trim(), out code))
            {
                throw Errors.AcmeRevocationReasonInvalid(reason);
            }

            Uri revoke = _client.Directory.RevokeCert ?? throw Errors.AcmeResponseInvalid(DirectoryUrl, "the CA's directory offers no revokeCert resource.");
            JsonValue payload = JsonValue.Object().Add("certificate", Base64Url.Encode(certificate.RawData));
            if (reason is not null)
            {
                payload.Add("reason", code);
            }

            string context = $"Revoking '{certificate.Subject}' ({certificate.SerialNumber})";
            if (useCertificateKey)
            {
                var privateKey = certificate.PrivateKey ?? throw Errors.CertificateHasNoPrivateKey(certificate.Subject);
                using AcmeAccountKey key = AcmeAccountKey.FromPrivateKey(privateKey);
                _client.Post(revoke, key, null, payload, AcmeActivity.Revocation, context, certificate.Subject);
            }
            else
            {
                (SavedAccount account, AcmeAccountKey key) = RequireAccount(null);
                _client.Post(revoke, key, account.AccountUrl, payload, AcmeActivity.Revocation, context, certificate.Subject);
            }

            Log.Verbose($"Revoked '{certificate.Subject}' (serial {certificate.SerialNumber}, reason {reason ?? "not given"}).");
        }

        /// <summary>Sets the certificate's renewal date from the CA's window; false when the CA offers no renewal information.</summary>
        private bool ApplyRenewalInfo(CertificateInfo certificate, bool quiet)
        {
            Uri? renewalInfo = _client.Directory.RenewalInfo;
            if (renewalInfo is null)
            {
                return false;
            }

            try
            {
                string id = AcmeRenewalWindow.CertificateId(certificate);
                Uri url = new Uri(renewalInfo.ToString().TrimEnd('/') + "/" + id);
                AcmeHttpResponse response = _client.Get(url, AcmeActivity.Other, $"Reading the renewal information of '{certificate.Subject}'", certificate.Subject);
                AcmeRenewalWindow window = AcmeRenewalWindow.Parse(url, response.Json());
                DateTimeOffset renewAt = window.RenewAt(id);
                certificate.RenewalWindowStart = renewAt.LocalDateTime;
                Log.Verbose($"The CA suggests renewing '{certificate.Subject}' between {window.Start.LocalDateTime:yyyy-MM-dd HH:mm} and {window.End.LocalDateTime:yyyy-MM-dd HH:mm}; RenewAfter is {renewAt.LocalDateTime:yyyy-MM-dd HH:mm}{(response.RetryAt is DateTimeOffset next ? $" (ask again after {next.LocalDateTime:yyyy-MM-dd HH:mm})" : string.Empty)}.");
                if (window.ExplanationUrl is not null)
                {
                    Log.Warning($"The CA explains its renewal window for '{certificate.Subject}' at {window.ExplanationUrl}.");
                }

                return true;
            }
            catch (CertCmdletsException ex) when (quiet)
            {
                Log.Verbose($"The renewal information of '{certificate.Subject}' could not be read: {ex.Message}");
                return true;
            }
        }
    }
}
