using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using CertCmdlets.Core.Certificates;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X500;
using Org.BouncyCastle.Asn1.X509;
using X509Extension = Org.BouncyCastle.Asn1.X509.X509Extension;

namespace CertCmdlets.Core.Requests
{
    /// <summary>
    /// A renewal request is the certificate asked for again: the same subject (CN, O, OU, L, ST, C, E), the same
    /// alternative names (DNS names, IP addresses, e-mail addresses) and the same kind of key (RSA of the same size,
    /// ECDSA on the same curve), with a new key unless the existing one is given. What the user states explicitly
    /// wins; names the user adds come after the certificate's. Nothing the certificate names is dropped silently: what
    /// a request made here cannot carry is named in a warning.
    /// </summary>
    public static class RenewalRequest
    {
        private static readonly HashSet<string> s_copiedSubjectParts = new HashSet<string>(StringComparer.Ordinal)
        {
            X509Name.CN.Id, X509Name.O.Id, X509Name.OU.Id, X509Name.L.Id, X509Name.ST.Id, X509Name.C.Id, X509Name.EmailAddress.Id,
        };

        /// <summary>
        /// Completes <paramref name="options"/> (what the user gave) from <paramref name="certificate"/>. With
        /// <see cref="CertificateRequestOptions.ExistingKeyPath"/> the key must be the certificate's (CertificateKeyMismatch).
        /// </summary>
        public static void Apply(CertificateInfo certificate, CertificateRequestOptions options, ICoreLog log)
        {
            string name = certificate.CertificatePath ?? certificate.Subject;
            if (certificate.IsCertificateAuthority)
            {
                throw Errors.RenewalOfAuthority(name);
            }

            (List<string> dnsNames, List<string> ipAddresses, List<string> emails) = AlternativeNames(certificate, name, log);
            options.CommonName = certificate.CommonName ?? dnsNames.FirstOrDefault() ?? ipAddresses.FirstOrDefault() ?? string.Empty;
            if (certificate.CommonName is null && options.CommonName.Length > 0)
            {
                log.Verbose($"'{name}' has no common name; the request takes its first alternative name '{options.CommonName}' as CN.");
            }

            options.Organization ??= certificate.Organization;
            if (options.OrganizationalUnits.Count == 0)
            {
                foreach (string unit in certificate.OrganizationalUnit)
                {
                    options.OrganizationalUnits.Add(unit);
                }
            }

            options.Locality ??= certificate.Locality;
            options.State ??= certificate.State;
            options.Country ??= certificate.Country;
            options.SubjectEmail ??= certificate.Email;
            Prepend(options.DnsNames, dnsNames, StringComparer.OrdinalIgnoreCase);
            Prepend(options.IpAddresses, ipAddresses, StringComparer.OrdinalIgnoreCase);
            Prepend(options.EmailAddresses, emails, StringComparer.OrdinalIgnoreCase);
            WarnAboutUncopiedSubjectParts(certificate, name, log);

            if (options.ExistingKeyPath is not null)
            {
                options.ExistingKeyOwner = certificate;
            }
            else if (options.KeyAlgorithm is null && options.KeySize is null && options.Curve is null)
            {
                CopyKeyChoice(certificate, name, options);
            }

            log.Verbose($"Renewing '{certificate.Subject}' ({certificate.KeyAlgorithm}, {dnsNames.Count} DNS name(s), {ipAddresses.Count} IP address(es)) with {(options.ExistingKeyPath is null ? "a new key" : "the key in '" + options.ExistingKeyPath + "'")}.");
        }

        private static void CopyKeyChoice(CertificateInfo certificate, string name, CertificateRequestOptions options)
        {
            string[] parts = certificate.KeyAlgorithm.Split(' ');
            if (parts.Length == 2 && parts[0] == "RSA" && int.TryParse(parts[1], out int size))
            {
                options.KeyAlgorithm = "RSA";
                options.KeySize = size;
            }
            else if (parts.Length == 2 && parts[0] == "ECDSA" && parts[1].StartsWith("P-", StringComparison.Ordinal))
            {
                options.KeyAlgorithm = "ECDSA";
                options.Curve = parts[1];
            }
            else
            {
                throw Errors.RenewalKeyUnsupported(name, certificate.KeyAlgorithm);
            }
        }

        private static (List<string> DnsNames, List<string> IpAddresses, List<string> Emails) AlternativeNames(CertificateInfo certificate, string name, ICoreLog log)
        {
            var dnsNames = new List<string>();
            var ipAddresses = new List<string>();
            var emails = new List<string>();
            X509Extension? san = certificate.Structure.TbsCertificate.Extensions?.GetExtension(X509Extensions.SubjectAlternativeName);
            if (san is null)
            {
                return (dnsNames, ipAddresses, emails);
            }

            var dropped = new List<string>();
            foreach (GeneralName alternative in GeneralNames.GetInstance(san.GetParsedValue()).GetNames())
            {
                switch (alternative.TagNo)
                {
                    case GeneralName.DnsName:
                        dnsNames.Add(((IAsn1String)alternative.Name).GetString());
                        break;
                    case GeneralName.Rfc822Name:
                        emails.Add(((IAsn1String)alternative.Name).GetString());
                        break;
                    case GeneralName.IPAddress:
                        byte[] octets = Asn1OctetString.GetInstance(alternative.Name).GetOctets();
                        if (octets.Length == 4 || octets.Length == 16)
                        {
                            ipAddresses.Add(new IPAddress(octets).ToString());
                        }
                        else
                        {
                            dropped.Add("an IP address range");
                        }

                        break;
                    case GeneralName.UniformResourceIdentifier:
                        dropped.Add("URI:" + ((IAsn1String)alternative.Name).GetString());
                        break;
                    default:
                        dropped.Add($"an alternative name of type {alternative.TagNo}");
                        break;
                }
            }

            if (dropped.Count > 0)
            {
                log.Warning($"'{name}' also names {string.Join(", ", dropped)}, which a request made here cannot carry; the renewal asks for its DNS names, IP addresses and e-mail addresses only.");
            }

            return (dnsNames, ipAddresses, emails);
        }

        private static void WarnAboutUncopiedSubjectParts(CertificateInfo certificate, string name, ICoreLog log)
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            bool other = false;
            foreach (Asn1Encodable rdn in (Asn1Sequence)certificate.Structure.Subject.ToAsn1Object())
            {
                foreach (Asn1Encodable item in Asn1Set.GetInstance(rdn))
                {
                    string oid = AttributeTypeAndValue.GetInstance(item).Type.Id;
                    other |= !s_copiedSubjectParts.Contains(oid);
                    counts[oid] = counts.TryGetValue(oid, out int count) ? count + 1 : 1;
                }
            }

            // Every OU is copied; of the other parts, the first of each kind.
            bool repeated = counts.Any(c => c.Key != X509Name.OU.Id && c.Value > 1);
            if (other || repeated)
            {
                string subject = DistinguishedNames.Format(certificate.Structure.Subject, out _);
                log.Warning($"The subject of '{name}' ({subject}) has parts a request made here does not repeat (it keeps CN, O, L, ST, C and E once each, and every OU). A CA that sets the subject itself ignores them anyway.");
            }
        }

        private static void Prepend(IList<string> target, List<string> first, StringComparer comparer)
        {
            var additions = target.Where(t => !first.Contains(t, comparer)).ToList();
            target.Clear();
            foreach (string value in first.Concat(additions))
            {
                target.Add(value);
            }
        }
    }
}
