using System;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Sockets;

namespace CertCmdlets.Core.Naming
{
    /// <summary>DNS names as certificates carry them: lower-case A-labels, at most one leading wildcard label.</summary>
    internal static class HostNames
    {
        private static readonly IdnMapping s_idn = new IdnMapping { AllowUnassigned = false, UseStd3AsciiRules = true };

        /// <summary>True when <paramref name="text"/> is an IPv4 or IPv6 literal.</summary>
        /// <remarks>
        /// IPv4 must be four decimal parts without leading zeros: IPAddress.TryParse would read "010.0.0.1" as octal
        /// (8.0.0.1) and accept "0x0A.0.0.1", where OpenSSL and every user read decimal.
        /// </remarks>
        public static bool TryParseIp(string text, out IPAddress? address)
        {
            address = null;
            string trimmed = text.Trim();
            if (trimmed.StartsWith("[", StringComparison.Ordinal) && trimmed.EndsWith("]", StringComparison.Ordinal))
            {
                trimmed = trimmed.Substring(1, trimmed.Length - 2);
            }

            if (trimmed.IndexOf(':') >= 0)
            {
                if (IPAddress.TryParse(trimmed, out IPAddress? v6) && v6.AddressFamily == AddressFamily.InterNetworkV6 && trimmed.IndexOf('%') < 0)
                {
                    address = v6;
                    return true;
                }

                return false;
            }

            string[] parts = trimmed.Split('.');
            if (parts.Length != 4)
            {
                return false;
            }

            var bytes = new byte[4];
            for (int i = 0; i < 4; i++)
            {
                string part = parts[i];
                if (part.Length == 0 || part.Length > 3 || (part.Length > 1 && part[0] == '0') || !part.All(c => c >= '0' && c <= '9'))
                {
                    return false;
                }

                int value = int.Parse(part, System.Globalization.CultureInfo.InvariantCulture);
                if (value > 255)
                {
                    return false;
                }

                bytes[i] = (byte)value;
            }

            address = new IPAddress(bytes);
            return true;
        }

        /// <summary>True when the text can be a host name (so a CN that is one goes into the SANs too).</summary>
        public static bool LooksLikeHostName(string text) => TryNormalize(text, out _, out _);

        /// <summary>The canonical form of a DNS name, or an error naming what is wrong with it.</summary>
        public static string Normalize(string text)
        {
            if (!TryNormalize(text, out string? normalized, out string? why))
            {
                throw Errors.DnsNameInvalid(text, why!);
            }

            return normalized!;
        }

        private static bool TryNormalize(string text, out string? normalized, out string? why)
        {
            normalized = null;
            string name = text.Trim();
            if (name.EndsWith(".", StringComparison.Ordinal))
            {
                name = name.Substring(0, name.Length - 1);
            }

            if (name.Length == 0)
            {
                why = "it is empty.";
                return false;
            }

            if (TryParseIp(name, out _))
            {
                why = "it is an IP address; give it with -IpAddress.";
                return false;
            }

            bool wildcard = name.StartsWith("*.", StringComparison.Ordinal);
            string rest = wildcard ? name.Substring(2) : name;
            if (rest.IndexOf('*') >= 0)
            {
                why = "a wildcard is only allowed as the whole leftmost label, as in *.example.com.";
                return false;
            }

            try
            {
                rest = s_idn.GetAscii(rest).ToLowerInvariant();
            }
            catch (ArgumentException)
            {
                why = "it contains characters that are not allowed in host names (letters, digits and '-' between dots).";
                return false;
            }

            string[] labels = rest.Split('.');
            if (labels[labels.Length - 1].All(c => c >= '0' && c <= '9'))
            {
                why = "it looks like an IP address (its last part is a number). Give IP addresses with -IpAddress, as four decimal numbers without leading zeros.";
                return false;
            }

            foreach (string label in labels)
            {
                if (label.Length == 0 || label.Length > 63)
                {
                    why = "each part between dots must be 1 to 63 characters long.";
                    return false;
                }

                if (label[0] == '-' || label[label.Length - 1] == '-')
                {
                    why = "a part between dots cannot begin or end with '-'.";
                    return false;
                }

                foreach (char c in label)
                {
                    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
                    {
                        why = $"'{c}' is not allowed in host names (letters, digits and '-' between dots).";
                        return false;
                    }
                }
            }

            if (wildcard && labels.Length < 2)
            {
                why = "a wildcard must cover names under a domain, as in *.example.com, not a whole top-level domain.";
                return false;
            }

            normalized = wildcard ? "*." + rest : rest;
            if (normalized.Length > 253)
            {
                why = "it is longer than 253 characters.";
                normalized = null;
                return false;
            }

            why = null;
            return true;
        }
    }
}
