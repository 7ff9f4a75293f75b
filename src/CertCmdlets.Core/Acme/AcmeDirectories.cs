using System;
using System.Collections.Generic;
using System.Linq;

namespace CertCmdlets.Core.Acme
{
    /// <summary>
    /// The ACME directories users name by a short word (-Directory LetsEncrypt), and the check every other directory
    /// URL passes: absolute https, no user information, no fragment.
    /// </summary>
    public static class AcmeDirectories
    {
        private static readonly KeyValuePair<string, string>[] s_known =
        {
            new KeyValuePair<string, string>("LetsEncrypt", "https://acme-v02.api.letsencrypt.org/directory"),
            new KeyValuePair<string, string>("LetsEncryptStaging", "https://acme-staging-v02.api.letsencrypt.org/directory"),
            new KeyValuePair<string, string>("ZeroSSL", "https://acme.zerossl.com/v2/DV90"),
            new KeyValuePair<string, string>("GoogleTrustServices", "https://dv.acme-v02.api.pki.goog/directory"),
            new KeyValuePair<string, string>("GoogleTrustServicesStaging", "https://dv.acme-v02.test-api.pki.goog/directory"),
            new KeyValuePair<string, string>("BuypassGo", "https://api.buypass.com/acme/directory"),
            new KeyValuePair<string, string>("BuypassGoStaging", "https://api.test4.buypass.no/acme/directory"),
            new KeyValuePair<string, string>("SslComRsa", "https://acme.ssl.com/sslcom-dv-rsa"),
            new KeyValuePair<string, string>("SslComEcc", "https://acme.ssl.com/sslcom-dv-ecc"),
        };

        /// <summary>The shortcut names, in the order Tab completion offers them.</summary>
        public static IReadOnlyList<string> Names => s_known.Select(k => k.Key).ToList();

        /// <summary>The URL of a shortcut, or null.</summary>
        public static string? UrlOf(string name) =>
            s_known.Where(k => string.Equals(k.Key, name?.Trim(), StringComparison.OrdinalIgnoreCase)).Select(k => k.Value).FirstOrDefault();

        /// <summary>The shortcut name of a URL, or null when it is not a known directory.</summary>
        public static string? NameOf(string url) =>
            s_known.Where(k => string.Equals(k.Value, url, StringComparison.OrdinalIgnoreCase)).Select(k => k.Key).FirstOrDefault();

        /// <summary>A shortcut's URL, or the https URL given; anything else is refused with the list of shortcuts.</summary>
        public static Uri Resolve(string directory)
        {
            string text = (directory ?? string.Empty).Trim();
            string? known = UrlOf(text);
            if (known is not null)
            {
                return new Uri(known);
            }

            if (!Uri.TryCreate(text, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                throw Errors.AcmeDirectoryInvalid(text, $"it is neither a known CA ({string.Join(", ", Names)}) nor an https URL.");
            }

            if (uri.Scheme != Uri.UriSchemeHttps)
            {
                throw Errors.AcmeDirectoryInvalid(text, "ACME is spoken over https only (RFC 8555 section 6.1); an http URL would let anyone on the path change the answers.");
            }

            if (uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
            {
                throw Errors.AcmeDirectoryInvalid(text, "a directory URL has no user name, password or '#' part.");
            }

            return uri;
        }
    }
}
