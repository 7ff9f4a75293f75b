using System;
using CertCmdlets.Core.Certificates;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using CertCmdlets.Core.Keys;
using CertCmdlets.Core.Requests;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.X509.Extension;
using X509Extension = Org.BouncyCastle.Asn1.X509.X509Extension;

namespace CertCmdlets.Core.Authority
{
    /// <summary>An internal certification authority: creates root and intermediate CAs and signs server requests.</summary>
    public static class CertificateAuthority
    {
        /// <summary>Root CAs get a 3072-bit RSA key unless told otherwise: they outlive the servers they sign for.</summary>
        public const int DefaultAuthorityRsaKeySize = 3072;

        private static readonly TimeSpan s_clockSkewAllowance = TimeSpan.FromHours(1);

        /// <summary>
        /// A CA certificate with its key: self-signed when <paramref name="issuer"/> is null, else an intermediate
        /// signed by it. Basic constraints (CA, optional path length) and key usage are critical; SKI and AKI set.
        /// </summary>
        public static CertificateInfo Create(CertificateRequestOptions options, int validDays, int? pathLength, CertificateInfo? issuer, ICoreLog log)
        {
            if (validDays < 1 || validDays > 36500)
            {
                throw Errors.ValidDaysOutOfRange(validDays, 36500);
            }

            if (issuer is not null)
            {
                RequireUsableAuthority(issuer);
            }

            if (options.ExistingKeyPath is null && (options.KeyAlgorithm is null || options.KeyAlgorithm.Equals("RSA", StringComparison.OrdinalIgnoreCase)) && options.KeySize is null)
            {
                options.KeySize = DefaultAuthorityRsaKeySize;
            }

            X509Name subject = CertificateRequestBuilder.AuthoritySubject(options, log);
            (PrivateKey key, HashAlgorithmName hash) = CertificateRequestBuilder.ObtainKey(options, log);
            PrivateKey signer = issuer?.PrivateKey ?? key;
            if (options.HashAlgorithm is null)
            {
                // The hash follows the key that signs: an intermediate under a P-384 root is signed with SHA-384.
                hash = KeySpec.DefaultHashFor(signer);
            }

            X509Name issuerName = issuer?.Structure.Subject ?? subject;

            SubjectKeyIdentifier keyId = X509ExtensionUtilities.CreateSubjectKeyIdentifier(key.PublicKeyInfo);
            byte[] authorityKeyId = issuer is null ? keyId.GetKeyIdentifier() : AuthorityKeyIdOf(issuer);
            var extensions = new X509ExtensionsGenerator();
            extensions.AddExtension(X509Extensions.BasicConstraints, true, pathLength is null ? new BasicConstraints(true) : new BasicConstraints(pathLength.Value));
            extensions.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(KeyUsage.KeyCertSign | KeyUsage.CrlSign | KeyUsage.DigitalSignature));
            extensions.AddExtension(X509Extensions.SubjectKeyIdentifier, false, keyId);
            extensions.AddExtension(X509Extensions.AuthorityKeyIdentifier, false, new AuthorityKeyIdentifier(authorityKeyId));

            (DateTime notBefore, DateTime notAfter) = Validity(validDays, issuer, log);
            CertificateInfo certificate = Sign(signer, hash, issuerName, subject, key.PublicKeyInfo, notBefore, notAfter, extensions.Generate());
            certificate.PrivateKey = key;
            certificate.KeyPath = options.ExistingKeyPath;
            certificate.Chain = issuer is null ? Array.Empty<CertificateInfo>() : new[] { issuer }.Concat(issuer.Chain).ToArray();
            log.Verbose($"Created the {(issuer is null ? "root" : "intermediate")} CA '{certificate.Subject}' ({key.Description}), valid until {certificate.NotAfter:yyyy-MM-dd}.");
            return certificate;
        }

        /// <summary>
        /// Signs <paramref name="request"/> as a server certificate: the requested subject and alternative names are
        /// copied; requested CA powers are refused, and so are requests New-CertRequest would refuse to make (weak key
        /// or signature hash). The result carries the request's key (when it has one) and the chain up to and
        /// including <paramref name="authority"/>.
        /// </summary>
        public static CertificateInfo Approve(CertificateRequestInfo request, CertificateInfo authority, int validDays, string? hashAlgorithm, ICoreLog log) =>
            Approve(request, authority, validDays, hashAlgorithm, log, allowWeakRequest: false);

        /// <summary>
        /// The same; with <paramref name="allowWeakRequest"/> a request with a weak key or signature hash is signed
        /// anyway, with a warning naming what was overridden.
        /// </summary>
        public static CertificateInfo Approve(CertificateRequestInfo request, CertificateInfo authority, int validDays, string? hashAlgorithm, ICoreLog log, bool allowWeakRequest)
        {
            if (validDays < 1 || validDays > 3650)
            {
                throw Errors.ValidDaysOutOfRange(validDays);
            }

            RequireUsableAuthority(authority);
            HashAlgorithmName hash = KeySpec.HashFor(authority.PrivateKey!, hashAlgorithm);
            string source = request.RequestPath ?? request.Subject;
            Pkcs10CertificationRequest csr;
            CertificationRequestInfo info;
            X509Extensions? requested;
            try
            {
                csr = new Pkcs10CertificationRequest(request.RawData);
                info = csr.GetCertificationRequestInfo();
                requested = CertificateRequestReader.RequestedExtensions(csr);
            }
            catch (Exception ex) when (IsParseFailure(ex))
            {
                throw Errors.RequestFileInvalid(source, "the PKCS#10 structure is damaged.", ex);
            }

            RequestStrength.Check(info.SubjectPublicKeyInfo, csr.SignatureAlgorithm, source, allowWeakRequest, log);

            X509Extension? basic = requested?.GetExtension(X509Extensions.BasicConstraints);
            if (basic is not null && Parse(source, "basic constraints", () => BasicConstraints.GetInstance(basic.GetParsedValue()).IsCA()))
            {
                throw Errors.RequestAsksForCa(source, "CA:TRUE (a CA certificate)");
            }

            X509Extension? usage = requested?.GetExtension(X509Extensions.KeyUsage);
            if (usage is not null && (Parse(source, "key usage", () => DerBitString.GetInstance(usage.GetParsedValue()).IntValue) & (KeyUsage.KeyCertSign | KeyUsage.CrlSign)) != 0)
            {
                throw Errors.RequestAsksForCa(source, "the right to sign certificates or CRLs (keyCertSign, cRLSign)");
            }

            bool isRsa = info.SubjectPublicKeyInfo.Algorithm.Algorithm.Equals(Org.BouncyCastle.Asn1.Pkcs.PkcsObjectIdentifiers.RsaEncryption);
            var extensions = new X509ExtensionsGenerator();
            extensions.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(false));
            extensions.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(isRsa ? KeyUsage.DigitalSignature | KeyUsage.KeyEncipherment : KeyUsage.DigitalSignature));
            extensions.AddExtension(X509Extensions.ExtendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeID.id_kp_serverAuth, KeyPurposeID.id_kp_clientAuth));
            extensions.AddExtension(X509Extensions.SubjectKeyIdentifier, false, X509ExtensionUtilities.CreateSubjectKeyIdentifier(info.SubjectPublicKeyInfo));
            extensions.AddExtension(X509Extensions.AuthorityKeyIdentifier, false, new AuthorityKeyIdentifier(AuthorityKeyIdOf(authority)));
            X509Extension? san = requested?.GetExtension(X509Extensions.SubjectAlternativeName);
            if (san is not null)
            {
                GeneralNames names = Parse(source, "subject alternative name", () => GeneralNames.GetInstance(san.GetParsedValue()));
                extensions.AddExtension(X509Extensions.SubjectAlternativeName, false, WithALabels(names, source, log));
            }
            else if (request.CommonName.Length > 0 && Naming.HostNames.LooksLikeHostName(request.CommonName))
            {
                log.Warning($"The request '{source}' names no alternative names; '{request.CommonName}' from its CN was added, since browsers ignore the CN.");
                extensions.AddExtension(X509Extensions.SubjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.DnsName, Naming.HostNames.Normalize(request.CommonName))));
            }

            (DateTime notBefore, DateTime notAfter) = Validity(validDays, authority, log);
            CertificateInfo certificate = Sign(authority.PrivateKey!, hash, authority.Structure.Subject, info.Subject, info.SubjectPublicKeyInfo, notBefore, notAfter, extensions.Generate());
            certificate.PrivateKey = request.PrivateKey;
            certificate.KeyPath = request.KeyPath;
            // The chain up to the signing CA, without a self-signed root above it: clients have the root, servers need not send it.
            certificate.Chain = new[] { authority }.Concat(authority.Chain.Where(c => !c.IsSelfIssued)).ToArray();
            log.Verbose($"'{authority.Subject}' signed '{certificate.Subject}' (serial {certificate.SerialNumber}), valid until {certificate.NotAfter:yyyy-MM-dd}.");
            return certificate;
        }

        /// <summary>
        /// Checks what Approve-CertRequest is given once for all requests (the CA, the validity, the hash), so a wrong
        /// argument stops the command before any request is read.
        /// </summary>
        public static void CheckSigningArguments(CertificateInfo authority, int validDays, string? hashAlgorithm)
        {
            if (validDays < 1 || validDays > 3650)
            {
                throw Errors.ValidDaysOutOfRange(validDays);
            }

            RequireUsableAuthority(authority);
            KeySpec.HashFor(authority.PrivateKey!, hashAlgorithm);
        }

        /// <summary>
        /// The requested names with every internationalized DNS name as its A-label (xn--), the form RFC 5280 requires
        /// in certificates: a request may carry raw UTF-8 (certbot's IDN requests do), which clients would not match.
        /// </summary>
        private static GeneralNames WithALabels(GeneralNames names, string source, ICoreLog log)
        {
            GeneralName[] all = names.GetNames();
            bool changed = false;
            for (int i = 0; i < all.Length; i++)
            {
                if (all[i].TagNo != GeneralName.DnsName)
                {
                    continue;
                }

                string raw = Naming.IdnNames.Text(all[i].Name);
                string? ascii = Naming.IdnNames.ToALabel(raw);
                if (ascii is null)
                {
                    throw Errors.RequestDnsNameInvalid(source, raw);
                }

                if (!string.Equals(ascii, raw, StringComparison.Ordinal) || !Naming.IdnNames.IsAscii(all[i].Name))
                {
                    log.Verbose($"The requested DNS name '{raw}' is written in the certificate as its A-label '{ascii}'.");
                    all[i] = new GeneralName(GeneralName.DnsName, ascii);
                    changed = true;
                }
            }

            return changed ? new GeneralNames(all) : names;
        }

        private static T Parse<T>(string source, string extension, Func<T> parse)
        {
            try
            {
                return parse();
            }
            catch (Exception ex) when (IsParseFailure(ex))
            {
                throw Errors.RequestExtensionInvalid(source, extension, ex);
            }
        }

        private static bool IsParseFailure(Exception ex) =>
            ex is System.IO.IOException || ex is ArgumentException || ex is InvalidCastException || ex is InvalidOperationException || ex is FormatException || ex is Asn1Exception;

        private static void RequireUsableAuthority(CertificateInfo authority)
        {
            string name = authority.CertificatePath ?? authority.Subject;
            if (!authority.IsCertificateAuthority)
            {
                throw Errors.AuthorityNotCa(name);
            }

            if (authority.PrivateKey is null)
            {
                throw Errors.AuthorityHasNoPrivateKey(name);
            }

            if (authority.NotAfter < DateTime.Now)
            {
                throw Errors.AuthorityExpired(name, authority.NotAfter);
            }
        }

        private static (DateTime NotBefore, DateTime NotAfter) Validity(int validDays, CertificateInfo? issuer, ICoreLog log)
        {
            DateTime now = DateTime.UtcNow;
            DateTime notAfter = now.AddDays(validDays);
            if (issuer is not null && notAfter > issuer.NotAfter.ToUniversalTime())
            {
                notAfter = issuer.NotAfter.ToUniversalTime();
                log.Warning($"The validity was shortened to end with the CA '{issuer.Subject}' on {issuer.NotAfter:yyyy-MM-dd}.");
            }

            return (now - s_clockSkewAllowance, notAfter);
        }

        private static byte[] AuthorityKeyIdOf(CertificateInfo issuer) =>
            Chains.CertificateFacts.SubjectKeyId(issuer) ?? X509ExtensionUtilities.CreateSubjectKeyIdentifier(issuer.PublicKeyInfo).GetKeyIdentifier();

        private static CertificateInfo Sign(PrivateKey signer, HashAlgorithmName hash, X509Name issuer, X509Name subject, SubjectPublicKeyInfo publicKey, DateTime notBefore, DateTime notAfter, X509Extensions extensions)
        {
            AlgorithmIdentifier signatureAlgorithm = signer.SignatureAlgorithm(hash);
            var generator = new V3TbsCertificateGenerator();
            generator.SetSerialNumber(new DerInteger(SerialNumbers.NewRandom()));
            generator.SetIssuer(issuer);
            generator.SetSubject(subject);
            generator.SetStartDate(new Time(notBefore));
            generator.SetEndDate(new Time(notAfter));
            generator.SetSubjectPublicKeyInfo(publicKey);
            generator.SetSignature(signatureAlgorithm);
            generator.SetExtensions(extensions);
            TbsCertificateStructure tbs = generator.GenerateTbsCertificate();
            byte[] signature = signer.Sign(tbs.GetDerEncoded(), hash);
            var structure = new X509CertificateStructure(tbs, signatureAlgorithm, new DerBitString(signature));
            byte[] der = structure.GetDerEncoded();
            return ParsedCertificate.Create(der, X509CertificateStructure.GetInstance(Asn1Object.FromByteArray(der)));
        }
    }
}
