using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using X509Extension = Org.BouncyCastle.Asn1.X509.X509Extension;

namespace CertCmdlets.Core.Requests
{
    /// <summary>
    /// The extensions a request asks for, written as `openssl req -text` names them, so an administrator sees at a
    /// glance what the CA is asked to grant: "subjectAltName: DNS:www.example.com, IP Address:192.0.2.7",
    /// "keyUsage (critical): digitalSignature, keyEncipherment", "basicConstraints: CA:FALSE".
    /// </summary>
    internal static class RequestExtensions
    {
        private static readonly Dictionary<string, string> s_names = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [X509Extensions.SubjectAlternativeName.Id] = "subjectAltName",
            [X509Extensions.KeyUsage.Id] = "keyUsage",
            [X509Extensions.ExtendedKeyUsage.Id] = "extendedKeyUsage",
            [X509Extensions.BasicConstraints.Id] = "basicConstraints",
            [X509Extensions.SubjectKeyIdentifier.Id] = "subjectKeyIdentifier",
            [X509Extensions.AuthorityKeyIdentifier.Id] = "authorityKeyIdentifier",
            [X509Extensions.NameConstraints.Id] = "nameConstraints",
            [X509Extensions.CertificatePolicies.Id] = "certificatePolicies",
            [X509Extensions.AuthorityInfoAccess.Id] = "authorityInfoAccess",
            [X509Extensions.CrlDistributionPoints.Id] = "crlDistributionPoints",
            ["1.3.6.1.5.5.7.1.24"] = "tlsfeature",
        };

        private static readonly Dictionary<string, string> s_purposes = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["1.3.6.1.5.5.7.3.1"] = "serverAuth",
            ["1.3.6.1.5.5.7.3.2"] = "clientAuth",
            ["1.3.6.1.5.5.7.3.3"] = "codeSigning",
            ["1.3.6.1.5.5.7.3.4"] = "emailProtection",
            ["1.3.6.1.5.5.7.3.8"] = "timeStamping",
            ["1.3.6.1.5.5.7.3.9"] = "OCSPSigning",
        };

        private static readonly (int Bit, string Name)[] s_usages =
        {
            (KeyUsage.DigitalSignature, "digitalSignature"),
            (KeyUsage.NonRepudiation, "nonRepudiation"),
            (KeyUsage.KeyEncipherment, "keyEncipherment"),
            (KeyUsage.DataEncipherment, "dataEncipherment"),
            (KeyUsage.KeyAgreement, "keyAgreement"),
            (KeyUsage.KeyCertSign, "keyCertSign"),
            (KeyUsage.CrlSign, "cRLSign"),
            (KeyUsage.EncipherOnly, "encipherOnly"),
            (KeyUsage.DecipherOnly, "decipherOnly"),
        };

        /// <summary>One line per requested extension, in the request's order; empty when it asks for none.</summary>
        public static string[] Describe(X509Extensions? extensions)
        {
            if (extensions is null)
            {
                return Array.Empty<string>();
            }

            var lines = new List<string>();
            foreach (DerObjectIdentifier oid in extensions.ExtensionOids)
            {
                X509Extension extension = extensions.GetExtension(oid);
                string name = s_names.TryGetValue(oid.Id, out string? known) ? known : oid.Id;
                string value;
                try
                {
                    value = Value(oid, extension);
                }
                catch (Exception ex) when (ex is ArgumentException || ex is InvalidCastException || ex is InvalidOperationException || ex is System.IO.IOException)
                {
                    value = "(unreadable)";
                }

                lines.Add(name + (extension.IsCritical ? " (critical)" : string.Empty) + (value.Length == 0 ? string.Empty : ": " + value));
            }

            return lines.ToArray();
        }

        private static string Value(DerObjectIdentifier oid, X509Extension extension)
        {
            if (oid.Equals(X509Extensions.SubjectAlternativeName))
            {
                return string.Join(", ", GeneralNames.GetInstance(extension.GetParsedValue()).GetNames().Select(Name));
            }

            if (oid.Equals(X509Extensions.KeyUsage))
            {
                int bits = DerBitString.GetInstance(extension.GetParsedValue()).IntValue;
                return string.Join(", ", s_usages.Where(u => (bits & u.Bit) != 0).Select(u => u.Name));
            }

            if (oid.Equals(X509Extensions.ExtendedKeyUsage))
            {
                return string.Join(", ", ExtendedKeyUsage.GetInstance(extension.GetParsedValue()).GetAllUsages()
                    .Select(u => s_purposes.TryGetValue(u.Id, out string? purpose) ? purpose : u.Id));
            }

            if (oid.Equals(X509Extensions.BasicConstraints))
            {
                var constraints = BasicConstraints.GetInstance(extension.GetParsedValue());
                return constraints.IsCA()
                    ? "CA:TRUE" + (constraints.PathLenConstraint is null ? string.Empty : ", pathlen:" + constraints.PathLenConstraint)
                    : "CA:FALSE";
            }

            return string.Empty;
        }

        private static string Name(GeneralName name)
        {
            switch (name.TagNo)
            {
                case GeneralName.DnsName:
                    return "DNS:" + ((IAsn1String)name.Name).GetString();
                case GeneralName.Rfc822Name:
                    return "email:" + ((IAsn1String)name.Name).GetString();
                case GeneralName.UniformResourceIdentifier:
                    return "URI:" + ((IAsn1String)name.Name).GetString();
                case GeneralName.IPAddress:
                    byte[] octets = Asn1OctetString.GetInstance(name.Name).GetOctets();
                    return "IP Address:" + (octets.Length == 4 || octets.Length == 16 ? new IPAddress(octets).ToString() : BitConverter.ToString(octets));
                default:
                    return "othername";
            }
        }
    }
}
