using System;
using System.Collections.Generic;
using System.Text;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X500;
using Org.BouncyCastle.Asn1.X509;

namespace CertCmdlets.Core.Certificates
{
    /// <summary>
    /// Distinguished names as Windows and .NET show them ("CN=www.example.com, O=Example Ltd, C=GB"):
    /// most specific first, ", " between parts, " + " inside a multi-valued RDN, values quoted when needed.
    /// </summary>
    internal static class DistinguishedNames
    {
        private static readonly Dictionary<string, string> s_labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [X509Name.CN.Id] = "CN",
            [X509Name.O.Id] = "O",
            [X509Name.OU.Id] = "OU",
            [X509Name.L.Id] = "L",
            [X509Name.ST.Id] = "ST",
            [X509Name.C.Id] = "C",
            [X509Name.Street.Id] = "STREET",
            [X509Name.EmailAddress.Id] = "E",
            [X509Name.DC.Id] = "DC",
            [X509Name.SerialNumber.Id] = "SERIALNUMBER",
            [X509Name.T.Id] = "T",
            [X509Name.GivenName.Id] = "G",
            [X509Name.Surname.Id] = "SN",
            [X509Name.Initials.Id] = "I",
            [X509Name.UID.Id] = "UID",
            [X509Name.PostalCode.Id] = "PostalCode",
            [X509Name.BusinessCategory.Id] = "BusinessCategory",
            [X509Name.JurisdictionC.Id] = "JurisdictionC",
            [X509Name.JurisdictionST.Id] = "JurisdictionST",
            [X509Name.JurisdictionL.Id] = "JurisdictionL",
            [X509Name.OrganizationIdentifier.Id] = "OrganizationIdentifier",
        };

        /// <summary>The display form of a name, and its most specific common name (or null).</summary>
        public static string Format(X509Name name, out string? commonName)
        {
            commonName = null;
            var sequence = (Asn1Sequence)name.ToAsn1Object();
            var builder = new StringBuilder(96);
            for (int i = sequence.Count - 1; i >= 0; i--)
            {
                var rdn = Asn1Set.GetInstance(sequence[i]);
                if (builder.Length > 0)
                {
                    builder.Append(", ");
                }

                for (int j = 0; j < rdn.Count; j++)
                {
                    var attribute = AttributeTypeAndValue.GetInstance(rdn[j]);
                    string value = ValueText(attribute.Value);
                    if (commonName is null && attribute.Type.Equals(X509Name.CN))
                    {
                        commonName = value;
                    }

                    if (j > 0)
                    {
                        builder.Append(" + ");
                    }

                    builder.Append(s_labels.TryGetValue(attribute.Type.Id, out string? label) ? label : "OID." + attribute.Type.Id);
                    builder.Append('=');
                    AppendQuoted(builder, value);
                }
            }

            return builder.ToString();
        }

        /// <summary>The parts of a name an administrator types into a request (O, OU, L, ST, C, E), first of each kind.</summary>
        public static SubjectFields Fields(X509Name name)
        {
            string? organization = null;
            string? locality = null;
            string? state = null;
            string? country = null;
            string? email = null;
            var units = new List<string>();
            var sequence = (Asn1Sequence)name.ToAsn1Object();
            for (int i = 0; i < sequence.Count; i++)
            {
                var rdn = Asn1Set.GetInstance(sequence[i]);
                for (int j = 0; j < rdn.Count; j++)
                {
                    var attribute = AttributeTypeAndValue.GetInstance(rdn[j]);
                    DerObjectIdentifier type = attribute.Type;
                    if (type.Equals(X509Name.OU))
                    {
                        units.Add(ValueText(attribute.Value));
                    }
                    else if (type.Equals(X509Name.O))
                    {
                        organization ??= ValueText(attribute.Value);
                    }
                    else if (type.Equals(X509Name.L))
                    {
                        locality ??= ValueText(attribute.Value);
                    }
                    else if (type.Equals(X509Name.ST))
                    {
                        state ??= ValueText(attribute.Value);
                    }
                    else if (type.Equals(X509Name.C))
                    {
                        country ??= ValueText(attribute.Value);
                    }
                    else if (type.Equals(X509Name.EmailAddress))
                    {
                        email ??= ValueText(attribute.Value);
                    }
                }
            }

            return organization is null && units.Count == 0 && locality is null && state is null && country is null && email is null
                ? SubjectFields.None
                : new SubjectFields(organization, units.ToArray(), locality, state, country, email);
        }

        private static string ValueText(Asn1Encodable value) => value is IAsn1String text
            ? text.GetString()
            : "#" + BitConverter.ToString(value.GetDerEncoded()).Replace("-", string.Empty);

        private static void AppendQuoted(StringBuilder builder, string value)
        {
            bool needsQuotes = value.Length == 0 || value[0] == ' ' || value[value.Length - 1] == ' ';
            foreach (char c in value)
            {
                if (c == ',' || c == '+' || c == '=' || c == '"' || c == '\n' || c == '<' || c == '>' || c == '#' || c == ';')
                {
                    needsQuotes = true;
                    break;
                }
            }

            if (!needsQuotes)
            {
                builder.Append(value);
                return;
            }

            builder.Append('"').Append(value.Replace("\"", "\"\"")).Append('"');
        }
    }
}
