using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace CertCmdlets.Core.Tests.Infrastructure
{
    /// <summary>
    /// Splits names into their RDNs so two renderings of one name can be compared: openssl's RFC 2253
    /// ("CN=a,O=Example\, Ltd,ST=x") and the Windows form the core shows ("CN=a, O=\"Example, Ltd\", S=x").
    /// Each RDN becomes "LABEL=value", the attributes of a multi-valued RDN (an unordered SET) sorted and
    /// joined by " + ".
    /// </summary>
    public static class DistinguishedNameParts
    {
        private static readonly Dictionary<string, string> s_windowsLabels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["emailAddress"] = "E",
            ["serialNumber"] = "SERIALNUMBER",
            ["street"] = "STREET",
            ["title"] = "T",
            ["GN"] = "G",
            ["initials"] = "I",
            ["postalCode"] = "PostalCode",
            ["businessCategory"] = "BusinessCategory",
            ["jurisdictionC"] = "JurisdictionC",
        };

        /// <summary>openssl -nameopt RFC2253,-esc_msb output, labels in the Windows spelling.</summary>
        public static IReadOnlyList<string> FromOpenSsl(string rfc2253)
        {
            var rdns = new List<List<string>> { new List<string>() };
            var current = new StringBuilder();
            for (int i = 0; i < rfc2253.Length; i++)
            {
                char c = rfc2253[i];
                if (c == '\\' && i + 1 < rfc2253.Length)
                {
                    current.Append(rfc2253[++i]);
                }
                else if (c == ',' || c == '+')
                {
                    rdns[rdns.Count - 1].Add(Relabel(current.ToString()));
                    current.Clear();
                    if (c == ',')
                    {
                        rdns.Add(new List<string>());
                    }
                }
                else
                {
                    current.Append(c);
                }
            }

            rdns[rdns.Count - 1].Add(Relabel(current.ToString()));
            return Join(rdns);
        }

        /// <summary>The core's (and .NET's) display form.</summary>
        public static IReadOnlyList<string> FromWindows(string name)
        {
            var rdns = new List<List<string>> { new List<string>() };
            var current = new StringBuilder();
            bool quoted = false;
            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                if (c == '"')
                {
                    if (quoted && i + 1 < name.Length && name[i + 1] == '"')
                    {
                        current.Append('"');
                        i++;
                    }
                    else
                    {
                        quoted = !quoted;
                    }
                }
                else if (!quoted && Matches(name, i, ", "))
                {
                    rdns[rdns.Count - 1].Add(current.ToString());
                    current.Clear();
                    rdns.Add(new List<string>());
                    i += 1;
                }
                else if (!quoted && Matches(name, i, " + "))
                {
                    rdns[rdns.Count - 1].Add(current.ToString());
                    current.Clear();
                    i += 2;
                }
                else
                {
                    current.Append(c);
                }
            }

            rdns[rdns.Count - 1].Add(current.ToString());
            return Join(rdns);
        }

        /// <summary>
        /// A name as .NET's X509Certificate2 shows it, with the state written ST= as the core (and OpenSSL, RFC 4514)
        /// write it instead of Windows' S=: the one label where the core differs from .NET.
        /// </summary>
        public static string WithStateLabel(string dotNetName) =>
            System.Text.RegularExpressions.Regex.Replace(dotNetName, "(^|, | \\+ )S=", "$1ST=");

        private static IReadOnlyList<string> Join(List<List<string>> rdns) =>
            rdns.Select(rdn => string.Join(" + ", rdn.OrderBy(a => a, StringComparer.Ordinal))).ToList();

        private static bool Matches(string text, int index, string what) => string.CompareOrdinal(text, index, what, 0, what.Length) == 0;

        private static string Relabel(string part)
        {
            int equals = part.IndexOf('=');
            string label = part.Substring(0, equals);
            return (s_windowsLabels.TryGetValue(label, out string? windows) ? windows : label) + part.Substring(equals);
        }
    }
}
