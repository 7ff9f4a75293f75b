using System;
using System.Collections.Generic;
using System.Security;
using System.Security.Cryptography;
using CertCmdlets.Core.IO;
using CertCmdlets.Core.Keys;
using CertCmdlets.Core.Secrets;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Oiw;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;

namespace CertCmdlets.Core.Pkcs12
{
    /// <summary>
    /// Writes PFX files for Windows and IIS: the certificate, its key and its chain, a friendly name and a
    /// local key id. Modern by default (AES-256-CBC, PBKDF2-HMAC-SHA256, HMAC-SHA256 MAC); legacy on request
    /// (3DES, SHA-1 MAC) for Windows Server 2016 and older, which reject AES with a misleading "wrong password".
    /// </summary>
    public static class PfxWriter
    {
        /// <summary>Iterations for modern files: above OpenSSL's 2048, below .NET's loader limit (600,000).</summary>
        public const int ModernIterations = 10_000;

        /// <summary>Iterations for legacy files: what Windows itself writes.</summary>
        public const int LegacyIterations = 2_000;

        /// <summary>The PFX bytes for a certificate that carries its private key.</summary>
        public static byte[] Build(CertificateInfo certificate, SecureString password, string? friendlyName, bool legacy)
        {
            PrivateKey key = certificate.PrivateKey ?? throw Errors.CertificateHasNoPrivateKey(certificate.CertificatePath ?? certificate.Subject);
            using PasswordBuffer buffer = PasswordBuffer.From(password);
            char[] characters = buffer.Characters;
            int iterations = legacy ? LegacyIterations : ModernIterations;

            byte[] localKeyId;
            using (SHA1 sha1 = SHA1.Create())
            {
                localKeyId = sha1.ComputeHash(certificate.RawData);
            }

            var leafAttributes = new List<Asn1Encodable> { new AttributePkcs(PkcsObjectIdentifiers.Pkcs9AtLocalKeyID, new DerSet(new DerOctetString(localKeyId))) };
            string name = friendlyName ?? certificate.CommonName ?? certificate.Subject;
            if (name.Length > 0)
            {
                leafAttributes.Add(new AttributePkcs(PkcsObjectIdentifiers.Pkcs9AtFriendlyName, new DerSet(new DerBmpString(name))));
            }

            // Certificates: the leaf first, then its chain, in one encrypted SafeContents.
            var certificateBags = new List<Asn1Encodable> { CertificateBag(certificate, new DerSet(leafAttributes.ToArray())) };
            foreach (CertificateInfo issuer in certificate.Chain)
            {
                certificateBags.Add(CertificateBag(issuer, null));
            }

            byte[] certificateContents = new DerSequence(certificateBags.ToArray()).GetDerEncoded();
            (AlgorithmIdentifier certificateAlgorithm, byte[] encryptedCertificates) = legacy
                ? PasswordBasedEncryption.EncryptLegacy3Des(certificateContents, characters, iterations)
                : PasswordBasedEncryption.EncryptPbes2(certificateContents, characters, iterations);
            var certificatesInfo = new ContentInfo(
                PkcsObjectIdentifiers.EncryptedData,
                new EncryptedData(PkcsObjectIdentifiers.Data, certificateAlgorithm, new BerOctetString(encryptedCertificates)));

            // The key: a PKCS#8 shrouded key bag carrying the same local key id.
            byte[] pkcs8 = key.ToPkcs8Der();
            AlgorithmIdentifier keyAlgorithm;
            byte[] encryptedKey;
            try
            {
                (keyAlgorithm, encryptedKey) = legacy
                    ? PasswordBasedEncryption.EncryptLegacy3Des(pkcs8, characters, iterations)
                    : PasswordBasedEncryption.EncryptPbes2(pkcs8, characters, iterations);
            }
            finally
            {
                Array.Clear(pkcs8, 0, pkcs8.Length);
            }

            var keyBag = new SafeBag(PkcsObjectIdentifiers.Pkcs8ShroudedKeyBag, new EncryptedPrivateKeyInfo(keyAlgorithm, encryptedKey), new DerSet(leafAttributes.ToArray()));
            var keyInfo = new ContentInfo(PkcsObjectIdentifiers.Data, new DerOctetString(new DerSequence(keyBag).GetDerEncoded()));

            byte[] authenticatedSafe = new AuthenticatedSafe(new[] { certificatesInfo, keyInfo }).GetDerEncoded();

            // Integrity: HMAC over the authenticated safe with the PKCS#12 MAC key derivation.
            HashAlgorithmName macHash = legacy ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256;
            byte[] macSalt = PasswordBasedEncryption.RandomBytes(legacy ? 20 : 32);
            byte[] bmp = PasswordBasedKeys.BmpPassword(characters, absent: false);
            byte[] macKey = PasswordBasedKeys.Pkcs12Kdf(3, bmp, macSalt, iterations, macHash, legacy ? 20 : 32);
            Array.Clear(bmp, 0, bmp.Length);
            byte[] mac;
            using (HMAC hmac = PasswordBasedKeys.CreateHmac(macHash, macKey))
            {
                mac = hmac.ComputeHash(authenticatedSafe);
            }

            Array.Clear(macKey, 0, macKey.Length);
            var macAlgorithm = new AlgorithmIdentifier(legacy ? OiwObjectIdentifiers.IdSha1 : NistObjectIdentifiers.IdSha256, DerNull.Instance);
            var macData = new MacData(new DigestInfo(macAlgorithm, mac), macSalt, iterations);

            return new Pfx(new ContentInfo(PkcsObjectIdentifiers.Data, new DerOctetString(authenticatedSafe)), macData).GetDerEncoded();
        }

        /// <summary>Writes the PFX atomically with owner-only permissions (it holds the key). Returns null when declined.</summary>
        public static CertificateInfo? WriteFile(CertificateInfo certificate, string path, SecureString password, string? friendlyName, bool legacy, bool force, Func<string, string, bool> shouldProcess, ICoreLog log)
        {
            byte[] pfx = Build(certificate, password, friendlyName, legacy);
            var plan = new FileWritePlan(force);
            plan.Add(path, pfx, isPrivateKey: true, legacy ? "PFX file (3DES, SHA-1 MAC)" : "PFX file (AES-256, SHA-256 MAC)");
            IReadOnlyList<string> written = plan.Commit(shouldProcess, log);
            if (written.Count == 0)
            {
                return null;
            }

            CertificateInfo result = certificate.Clone();
            result.PfxPath = written[0];
            return result;
        }

        private static SafeBag CertificateBag(CertificateInfo certificate, DerSet? attributes)
        {
            var bag = new CertBag(PkcsObjectIdentifiers.X509Certificate, new DerOctetString(certificate.RawData));
            return attributes is null
                ? new SafeBag(PkcsObjectIdentifiers.CertBag, bag)
                : new SafeBag(PkcsObjectIdentifiers.CertBag, bag, attributes);
        }
    }
}
