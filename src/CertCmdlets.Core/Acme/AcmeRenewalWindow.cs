using System;
using System.Globalization;
using System.Text;
using CertCmdlets.Core.Acme.Json;
using CertCmdlets.Core.Chains;

namespace CertCmdlets.Core.Acme
{
    /// <summary>
    /// ACME Renewal Information (RFC 9773): the certificate identifier the CA is asked about and names in "replaces"
    /// (base64url of the authority key identifier, a dot, base64url of the serial number's DER content octets), and the
    /// suggested window it answers with.
    /// </summary>
    internal sealed class AcmeRenewalWindow
    {
        private AcmeRenewalWindow(DateTimeOffset start, DateTimeOffset end, string? explanationUrl)
        {
            Start = start;
            End = end;
            ExplanationUrl = explanationUrl;
        }

        public DateTimeOffset Start { get; }

        public DateTimeOffset End { get; }

        public string? ExplanationUrl { get; }

        /// <summary>The RFC 9773 section 4.1 identifier of <paramref name="certificate"/>.</summary>
        public static string CertificateId(CertificateInfo certificate)
        {
            byte[] keyId = CertificateFacts.AuthorityKeyId(certificate) ?? throw Errors.AcmeCertificateHasNoAuthorityKeyId(certificate.Subject);
            byte[] serial = certificate.Structure.SerialNumber.Value.ToByteArray();
            return Base64Url.Encode(keyId) + "." + Base64Url.Encode(serial);
        }

        public static AcmeRenewalWindow Parse(Uri url, JsonValue json)
        {
            JsonValue? window = json["suggestedWindow"];
            if (window is null
                || !TryParseTime(window.GetString("start"), out DateTimeOffset start)
                || !TryParseTime(window.GetString("end"), out DateTimeOffset end)
                || end < start)
            {
                throw Errors.AcmeResponseInvalid(url.ToString(), "the renewal information has no valid suggestedWindow (start and end times).");
            }

            return new AcmeRenewalWindow(start, end, json.GetString("explanationURL"));
        }

        /// <summary>
        /// When this client renews: a point in the window that is random across certificates but stable for one (derived
        /// from its identifier), so that a daily script does not renew everyone at the window's first minute and does not
        /// move its own date back and forth between runs (RFC 9773 section 4.2 asks for a random point in the window).
        /// </summary>
        public DateTimeOffset RenewAt(string certificateId)
        {
            byte[] hash = AcmeAccountKey.Sha256(Encoding.ASCII.GetBytes(certificateId));
            double fraction = BitConverter.ToUInt32(hash, 0) / (double)uint.MaxValue;
            return Start + TimeSpan.FromTicks((long)((End - Start).Ticks * fraction));
        }

        private static bool TryParseTime(string? text, out DateTimeOffset value) =>
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value);
    }
}
