using System;
using System.Linq;
using System.Net;

namespace CertCmdlets.Core.Naming
{
    /// <summary>Does a certificate cover a host name? RFC 6125: SANs only, a wildcard only as the whole leftmost label, matching one label.</summary>
    public static class HostNameMatcher
    {
        /// <summary>True when <paramref name="certificate"/>'s SANs cover <paramref name="hostName"/> (a DNS name or an IP address).</summary>
        public static bool Covers(CertificateInfo certificate, string hostName)
        {
            string name = hostName.Trim().TrimEnd('.');
            if (HostNames.TryParseIp(name, out IPAddress? ip))
            {
                return certificate.IpAddresses.Any(a => IPAddress.TryParse(a, out IPAddress? other) && other.Equals(ip));
            }

            string ascii;
            try
            {
                ascii = HostNames.Normalize(name);
            }
            catch (CertCmdletsException)
            {
                return false;
            }

            return certificate.DnsNames.Any(pattern => Matches(pattern, ascii));
        }

        /// <summary>One SAN pattern against one normalized host name.</summary>
        public static bool Matches(string pattern, string hostName)
        {
            string p = pattern.Trim().TrimEnd('.').ToLowerInvariant();
            string h = hostName.ToLowerInvariant();
            if (!p.StartsWith("*.", StringComparison.Ordinal))
            {
                return p.IndexOf('*') < 0 && string.Equals(p, h, StringComparison.Ordinal);
            }

            string suffix = p.Substring(1);
            if (suffix.IndexOf('*') >= 0 || suffix.Count(c => c == '.') < 2)
            {
                // "*.com" or a second wildcard: never matches.
                return false;
            }

            int firstDot = h.IndexOf('.');
            return firstDot > 0 && string.Equals(h.Substring(firstDot), suffix, StringComparison.Ordinal);
        }
    }
}
