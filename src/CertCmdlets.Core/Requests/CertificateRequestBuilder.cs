using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using CertCmdlets.Core.Certificates;
using CertCmdlets.Core.Keys;
using CertCmdlets.Core.Naming;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509.Extension;

namespace CertCmdlets.Core.Requests
{
    /// <summary>
    /// Makes certificate signing requests and self-signed certificates. BouncyCastle builds the ASN.1
    /// structures; the platform makes the key and the signature (see the New-CertRequest benchmark).
    /// </summary>
    public static class CertificateRequestBuilder
    {
        /// <summary>How far NotBefore is set back, so clients with a slightly slow clock accept a new certificate.</summary>
        private static readonly TimeSpan s_clockSkewAllowance = TimeSpan.FromHours(1);

        /// <summary>Validates the options, makes or loads the key, and returns the signed request.</summary>
        public static CertificateRequestInfo CreateRequest(CertificateRequestOptions options, ICoreLog log)
        {
            RequestedNames names = RequestedNames.Validate(options, log);
            (PrivateKey key, HashAlgorithmName hash) = ObtainKey(options, log);

            X509Extensions extensions = ExtensionsFor(names, key, selfSigned: false);
            var attributes = new DerSet(new AttributePkcs(PkcsObjectIdentifiers.Pkcs9AtExtensionRequest, new DerSet(extensions)));
            var requestInfo = new CertificationRequestInfo(names.Subject, key.PublicKeyInfo, attributes);
            AlgorithmIdentifier signatureAlgorithm = key.SignatureAlgorithm(hash);
            byte[] signature = key.Sign(requestInfo.GetDerEncoded(), hash);
            var request = new CertificationRequest(requestInfo, signatureAlgorithm, new DerBitString(signature));

            var result = new CertificateRequestInfo(
                request.GetDerEncoded(),
                DistinguishedNames.Format(names.Subject, out _),
                names.CommonName,
                DistinguishedNames.Fields(names.Subject),
                names.DnsNames,
                names.IpAddresses.Select(ip => ip.ToString()).ToArray(),
                names.EmailAddresses,
                key.Description,
                SignatureAlgorithms.Name(signatureAlgorithm),
                key)
            {
                RequestedExtensions = RequestExtensions.Describe(extensions),
            };
            if (options.ExistingKeyPath is not null)
            {
                result.KeyPath = options.ExistingKeyPath;
            }

            log.Verbose($"Created a {key.Description} request for '{result.Subject}' ({result.DnsNames.Length} DNS name(s), {result.IpAddresses.Length} IP address(es)).");
            return result;
        }

        /// <summary>A self-signed certificate for internal tests: serverAuth, SANs, key usage fitting the key.</summary>
        public static CertificateInfo CreateSelfSigned(CertificateRequestOptions options, int validDays, ICoreLog log)
        {
            if (validDays < 1 || validDays > 3650)
            {
                throw Errors.ValidDaysOutOfRange(validDays);
            }

            RequestedNames names = RequestedNames.Validate(options, log);
            (PrivateKey key, HashAlgorithmName hash) = ObtainKey(options, log);
            AlgorithmIdentifier signatureAlgorithm = key.SignatureAlgorithm(hash);

            DateTime now = DateTime.UtcNow;
            var generator = new V3TbsCertificateGenerator();
            generator.SetSerialNumber(new DerInteger(SerialNumbers.NewRandom()));
            generator.SetIssuer(names.Subject);
            generator.SetSubject(names.Subject);
            generator.SetStartDate(new Time(now - s_clockSkewAllowance));
            generator.SetEndDate(new Time(now.AddDays(validDays)));
            generator.SetSubjectPublicKeyInfo(key.PublicKeyInfo);
            generator.SetSignature(signatureAlgorithm);
            generator.SetExtensions(ExtensionsFor(names, key, selfSigned: true));
            TbsCertificateStructure tbs = generator.GenerateTbsCertificate();

            byte[] signature = key.Sign(tbs.GetDerEncoded(), hash);
            var structure = new X509CertificateStructure(tbs, signatureAlgorithm, new DerBitString(signature));
            CertificateInfo certificate = ParsedCertificate.Create(structure.GetDerEncoded(), structure);
            certificate.PrivateKey = key;
            if (options.ExistingKeyPath is not null)
            {
                certificate.KeyPath = options.ExistingKeyPath;
            }

            log.Verbose($"Created a self-signed {key.Description} certificate for '{certificate.Subject}', valid until {certificate.NotAfter:u}.");
            return certificate;
        }

        /// <summary>
        /// Checks the options a user gives once for a whole call (subject fields, e-mail addresses, key choice), before
        /// any input is processed, so a wrong argument stops the command instead of failing every input. The common
        /// name and the DNS names and IP addresses, which may come from the pipeline, are checked per request.
        /// </summary>
        public static void CheckArguments(CertificateRequestOptions options)
        {
            RequestedNames.CountryValue(options.Country);
            RequestedNames.SubjectValue("state", options.State, 128);
            RequestedNames.SubjectValue("locality", options.Locality, 128);
            RequestedNames.SubjectValue("organization", options.Organization, 64);
            foreach (string unit in options.OrganizationalUnits)
            {
                RequestedNames.SubjectValue("organizational unit", unit, 64);
            }

            foreach (string email in options.EmailAddresses)
            {
                RequestedNames.CheckEmail(email);
            }

            if (options.SubjectEmail is not null)
            {
                RequestedNames.CheckEmail(options.SubjectEmail);
            }

            if (options.ExistingKeyPath is null)
            {
                KeySpec.Parse(options.KeyAlgorithm, options.KeySize, options.Curve, options.HashAlgorithm);
                return;
            }

            CheckKeyReuse(options);
            if (options.HashAlgorithm is not null)
            {
                KeySpec.ParseHash(options.HashAlgorithm);
            }
        }

        /// <summary>
        /// Checks names given as arguments for a whole call: the common name when given, and every DNS name and IP
        /// address (as the request would, without making it).
        /// </summary>
        public static void CheckNames(string? commonName, IEnumerable<string> dnsNames, IEnumerable<string> ipAddresses)
        {
            if (commonName is not null)
            {
                RequestedNames.SubjectValue("common name", commonName, 64);
            }

            foreach (string dnsName in dnsNames)
            {
                HostNames.Normalize(dnsName);
            }

            foreach (string ipText in ipAddresses)
            {
                if (!HostNames.TryParseIp(ipText, out _))
                {
                    throw Errors.IpAddressInvalid(ipText);
                }
            }
        }

        /// <summary>The error for a self-signed validity out of range (1 to 3650 days).</summary>
        public static CertCmdletsException ValidDaysOutOfRange(int validDays) => Errors.ValidDaysOutOfRange(validDays);

        internal static (PrivateKey Key, HashAlgorithmName Hash) ObtainKey(CertificateRequestOptions options, ICoreLog log)
        {
            if (options.ExistingKeyPath is null)
            {
                KeySpec spec = KeySpec.Parse(options.KeyAlgorithm, options.KeySize, options.Curve, options.HashAlgorithm);
                log.Verbose($"Generating a new {spec.Description} key.");
                return (GenerateKey(spec, log), spec.Hash);
            }

            CheckKeyReuse(options);

            PrivateKey key = PrivateKeyReader.ReadFile(options.ExistingKeyPath, options.ExistingKeyPassword);
            if (options.ExistingKeyOwner is CertificateInfo owner && !key.Matches(owner.PublicKeyInfo))
            {
                throw Errors.CertificateKeyMismatch(owner.CertificatePath ?? owner.Subject, options.ExistingKeyPath);
            }

            HashAlgorithmName hash = KeySpec.HashFor(key, options.HashAlgorithm);
            if (key.IsRsa ? key.SizeInBits < 2048 : key.SizeInBits < 256)
            {
                throw Errors.KeyTooWeak(options.ExistingKeyPath, key.Description);
            }

            log.Verbose($"Reusing the {key.Description} key in '{options.ExistingKeyPath}'.");
            return (key, hash);
        }

        /// <summary>
        /// A new key. RSA keys are a random search for primes (a 4096-bit key can take over ten seconds), so they are
        /// made through <see cref="CoreProgress.Run{T}"/>, which shows progress to an interactive user; ECDSA keys are
        /// instant.
        /// </summary>
        private static PrivateKey GenerateKey(KeySpec spec, ICoreLog log)
        {
            if (spec.Algorithm != KeyAlgorithmKind.Rsa)
            {
                return PrivateKey.FromNative(NativeKeys.Generate(spec));
            }

            return CoreProgress.Run(
                log,
                $"Making a new {spec.Description} key",
                "Searching for primes",
                () => PrivateKey.FromNative(NativeKeys.Generate(spec)),
                System.Threading.CancellationToken.None);
        }

        /// <summary>The validated subject of a CA certificate (no host-name rules, no alternative names).</summary>
        private static void CheckKeyReuse(CertificateRequestOptions options)
        {
            if (options.KeyAlgorithm is not null || options.KeySize is not null || options.Curve is not null)
            {
                throw Errors.KeyOptionConflict((object?)options.KeyAlgorithm ?? (object?)options.KeySize ?? options.Curve!, "-KeyPath reuses an existing key, so -KeyAlgorithm, -KeySize and -Curve cannot be used with it. Leave them out, or leave out -KeyPath to make a new key.");
            }
        }

        internal static X509Name AuthoritySubject(CertificateRequestOptions options, ICoreLog log) =>
            RequestedNames.Validate(options, log, forAuthority: true).Subject;

        private static X509Extensions ExtensionsFor(RequestedNames names, PrivateKey key, bool selfSigned)
        {
            var generator = new X509ExtensionsGenerator();
            if (names.AlternativeNames is not null)
            {
                generator.AddExtension(X509Extensions.SubjectAlternativeName, false, names.AlternativeNames);
            }

            if (selfSigned)
            {
                generator.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(false));
                int usage = key.IsRsa ? KeyUsage.DigitalSignature | KeyUsage.KeyEncipherment : KeyUsage.DigitalSignature;
                generator.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(usage));
                generator.AddExtension(X509Extensions.ExtendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeID.id_kp_serverAuth));
                SubjectKeyIdentifier keyIdentifier = X509ExtensionUtilities.CreateSubjectKeyIdentifier(key.PublicKeyInfo);
                generator.AddExtension(X509Extensions.SubjectKeyIdentifier, false, keyIdentifier);
                generator.AddExtension(X509Extensions.AuthorityKeyIdentifier, false, new AuthorityKeyIdentifier(keyIdentifier.GetKeyIdentifier()));
            }

            return generator.Generate();
        }

        /// <summary>The validated subject and alternative names of a request.</summary>
        private sealed class RequestedNames
        {
            private RequestedNames(X509Name subject, string commonName, string[] dnsNames, List<IPAddress> ipAddresses, string[] emailAddresses, GeneralNames? alternativeNames)
            {
                Subject = subject;
                CommonName = commonName;
                DnsNames = dnsNames;
                IpAddresses = ipAddresses;
                EmailAddresses = emailAddresses;
                AlternativeNames = alternativeNames;
            }

            public X509Name Subject { get; }

            public string CommonName { get; }

            public string[] DnsNames { get; }

            public List<IPAddress> IpAddresses { get; }

            public string[] EmailAddresses { get; }

            public GeneralNames? AlternativeNames { get; }

            public static RequestedNames Validate(CertificateRequestOptions options, ICoreLog log, bool forAuthority = false)
            {
                string commonName = SubjectValue("common name", options.CommonName, 64) ?? throw Errors.SubjectValueInvalid("common name", options.CommonName ?? string.Empty, "it is empty. Give the server's host name, for example www.example.com.");

                var dnsNames = new List<string>();
                var ipAddresses = new List<IPAddress>();
                if (forAuthority)
                {
                    // A CA's name is a label ("Example Internal Root CA"), never a host name to cover.
                }
                else if (HostNames.TryParseIp(commonName, out IPAddress? commonNameIp))
                {
                    ipAddresses.Add(commonNameIp!);
                }
                else if (HostNames.LooksLikeHostName(commonName))
                {
                    // Browsers ignore the CN; a host-name CN must be in the SANs to be trusted.
                    dnsNames.Add(HostNames.Normalize(commonName));
                }
                else
                {
                    log.Verbose($"The common name '{commonName}' is not a host name, so it is not added to the DNS names.");
                }

                foreach (string dnsName in options.DnsNames)
                {
                    string normalized = HostNames.Normalize(dnsName);
                    if (!dnsNames.Contains(normalized, StringComparer.Ordinal))
                    {
                        dnsNames.Add(normalized);
                    }
                }

                foreach (string ipText in options.IpAddresses)
                {
                    if (!HostNames.TryParseIp(ipText, out IPAddress? ip))
                    {
                        throw Errors.IpAddressInvalid(ipText);
                    }

                    if (!ipAddresses.Contains(ip!))
                    {
                        ipAddresses.Add(ip!);
                    }
                }

                var emails = new List<string>();
                foreach (string email in options.EmailAddresses)
                {
                    emails.Add(CheckEmail(email));
                }

                var oids = new List<DerObjectIdentifier>();
                var values = new List<string>();
                string? country = CountryValue(options.Country);
                Append(oids, values, X509Name.C, country);
                Append(oids, values, X509Name.ST, SubjectValue("state", options.State, 128));
                Append(oids, values, X509Name.L, SubjectValue("locality", options.Locality, 128));
                Append(oids, values, X509Name.O, SubjectValue("organization", options.Organization, 64));
                foreach (string unit in options.OrganizationalUnits)
                {
                    Append(oids, values, X509Name.OU, SubjectValue("organizational unit", unit, 64));
                }

                Append(oids, values, X509Name.CN, commonName);
                if (options.SubjectEmail is not null)
                {
                    Append(oids, values, X509Name.EmailAddress, CheckEmail(options.SubjectEmail));
                }

                var subject = new X509Name(oids, values);

                var generalNames = new List<GeneralName>();
                generalNames.AddRange(dnsNames.Select(n => new GeneralName(GeneralName.DnsName, n)));
                generalNames.AddRange(ipAddresses.Select(ip => new GeneralName(GeneralName.IPAddress, new DerOctetString(ip.GetAddressBytes()))));
                generalNames.AddRange(emails.Select(e => new GeneralName(GeneralName.Rfc822Name, e)));
                if (generalNames.Count == 0 && !forAuthority)
                {
                    log.Warning($"'{commonName}' is not a host name or IP address and no -DnsName or -IpAddress was given: browsers will not accept this certificate for any server.");
                }

                return new RequestedNames(subject, commonName, dnsNames.ToArray(), ipAddresses, emails.ToArray(), generalNames.Count == 0 ? null : new GeneralNames(generalNames.ToArray()));
            }

            public static string CheckEmail(string email)
            {
                string trimmed = email.Trim();
                int at = trimmed.IndexOf('@');
                if (at <= 0 || at != trimmed.LastIndexOf('@') || at == trimmed.Length - 1 || trimmed.Any(c => c <= ' ' || c > '~'))
                {
                    throw Errors.EmailInvalid(email);
                }

                HostNames.Normalize(trimmed.Substring(at + 1));
                return trimmed;
            }

            public static string? CountryValue(string? country)
            {
                if (country is null)
                {
                    return null;
                }

                string trimmed = country.Trim();
                string? code = CountryCodes.Normalize(trimmed);
                if (code is null)
                {
                    throw Errors.CountryCodeInvalid(country, CountryCodes.Suggest(trimmed));
                }

                return code;
            }

            public static string? SubjectValue(string field, string? value, int maximumLength)
            {
                if (value is null)
                {
                    return null;
                }

                string trimmed = value.Trim();
                if (trimmed.Length == 0)
                {
                    return null;
                }

                if (trimmed.Length > maximumLength)
                {
                    throw Errors.SubjectValueInvalid(field, trimmed, $"it is {trimmed.Length} characters long and X.509 allows at most {maximumLength}.");
                }

                if (trimmed.Any(char.IsControl))
                {
                    throw Errors.SubjectValueInvalid(field, trimmed, "it contains control characters (line breaks, tabs).");
                }

                return trimmed;
            }

            private static void Append(List<DerObjectIdentifier> oids, List<string> values, DerObjectIdentifier oid, string? value)
            {
                if (value is not null)
                {
                    oids.Add(oid);
                    values.Add(value);
                }
            }
        }
    }
}
