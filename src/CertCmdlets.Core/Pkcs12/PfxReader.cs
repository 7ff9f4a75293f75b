using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security;
using System.Security.Cryptography;
using CertCmdlets.Core.Certificates;
using CertCmdlets.Core.Chains;
using CertCmdlets.Core.IO;
using CertCmdlets.Core.Keys;
using CertCmdlets.Core.Secrets;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Oiw;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Security;

namespace CertCmdlets.Core.Pkcs12
{
    /// <summary>
    /// Reads PFX (PKCS#12) files of every origin: OpenSSL 3 (PBES2/AES-256, HMAC-SHA256), `openssl -legacy`
    /// (RC2-40, 3DES, SHA-1 MAC), Windows exports (3DES or AES, friendly names, local key ids), files without
    /// a MAC, with several keys and certificates in any order, Unicode passwords, EC keys. The leaf is the
    /// certificate whose public key matches a private key, not "the first one".
    /// </summary>
    public static class PfxReader
    {
        /// <summary>
        /// The most password-hashing iterations one key derivation may ask for. Real files use 1 to 10,000 (OpenSSL
        /// 2048, Windows 2000); .NET's own PKCS#12 loader refuses more than 600,000. A damaged or hostile file asking
        /// for 2^31 would otherwise keep the reader busy for hours.
        /// </summary>
        public const int MaximumIterations = 1_000_000;

        /// <summary>Reads a PFX file. A null password means none was given (tried as empty, as OpenSSL and Windows do).</summary>
        public static PfxContents ReadFile(string path, SecureString? password, ICoreLog log)
        {
            byte[] data = FileInput.ReadAll(path);
            PfxContents contents = Parse(data, path, password, log);
            foreach (CertificateInfo leaf in contents.Leaves)
            {
                leaf.PfxPath = path;
            }

            return contents;
        }

        /// <summary>Reads PFX bytes; <paramref name="source"/> names them in errors.</summary>
        public static PfxContents Parse(byte[] data, string source, SecureString? password, ICoreLog log)
        {
            if (data.Length == 0)
            {
                throw Errors.PfxFileInvalid(source, "the file is empty.");
            }

            Pfx pfx;
            byte[] authenticatedSafeBytes;
            try
            {
                // Windows exports may end with zero padding after the DER; the platform loaders ignore it (DerInput).
                pfx = Pfx.GetInstance(DerInput.ReadFirst(data, source, "PKCS#12 structure", log, out _));
                if (!pfx.AuthSafe.ContentType.Equals(PkcsObjectIdentifiers.Data))
                {
                    throw Errors.PfxEncryptionUnsupported(source, "public-key (enveloped) protection");
                }

                authenticatedSafeBytes = Asn1OctetString.GetInstance(pfx.AuthSafe.Content).GetOctets();
            }
            catch (Exception ex) when (IsParseFailure(ex))
            {
                throw Errors.PfxFileInvalid(source, data.Length > 0 && data[0] == 0x30 ? "the file is damaged or truncated." : "it is not a PKCS#12 file.", ex);
            }

            using PasswordBuffer buffer = password is null ? PasswordBuffer.Empty() : PasswordBuffer.From(password);
            var candidates = new List<bool>();
            if (buffer.IsEmpty)
            {
                // An empty password is written as a lone NUL terminator by OpenSSL and as nothing at all by others.
                candidates.Add(false);
                candidates.Add(true);
            }
            else
            {
                candidates.Add(false);
            }

            string integrity = "none";
            if (pfx.MacData is MacData mac)
            {
                (bool? absent, string description) = VerifyMac(mac, authenticatedSafeBytes, buffer.Characters, candidates, source);
                integrity = description;
                if (absent is null)
                {
                    throw password is null ? Errors.PfxPasswordRequired(source) : Errors.PfxPasswordIncorrect(source);
                }

                candidates = new List<bool> { absent.Value };
            }

            var reader = new BagReader(source, buffer.Characters, candidates);
            try
            {
                reader.ReadAuthenticatedSafe(authenticatedSafeBytes);
            }
            catch (WrongPasswordException)
            {
                throw password is null ? Errors.PfxPasswordRequired(source) : Errors.PfxPasswordIncorrect(source);
            }
            catch (NotSupportedException ex)
            {
                throw Errors.PfxEncryptionUnsupported(source, ex.Message);
            }
            catch (Exception ex) when (IsParseFailure(ex))
            {
                throw Errors.PfxFileInvalid(source, "its contents are damaged.", ex);
            }

            string encryption = reader.Encryption.Count == 0 ? "none" : string.Join("; ", reader.Encryption.Distinct());
            log.Verbose($"'{source}': {encryption}; integrity {integrity}.");

            if (reader.Certificates.Count == 0)
            {
                throw Errors.PfxHasNoCertificate(source);
            }

            var leaves = new List<CertificateInfo>();
            foreach (PrivateKey key in reader.Keys)
            {
                CertificateInfo? match = reader.Certificates.FirstOrDefault(c => key.Matches(c.PublicKeyInfo) && !leaves.Contains(c));
                if (match is null)
                {
                    throw Errors.PfxKeyWithoutCertificate(source);
                }

                CertificateInfo leaf = match.Clone();
                leaf.PrivateKey = key;
                leaf.Chain = ChainOrder.Build(match, reader.Certificates, log);
                leaves.Add(leaf);
            }

            if (leaves.Count == 0)
            {
                log.Warning($"'{source}' holds no private key: only its certificates were read.");
                foreach (CertificateInfo certificate in ChainJoiner.FindLeaves(reader.Certificates))
                {
                    CertificateInfo leaf = certificate.Clone();
                    leaf.Chain = ChainOrder.Build(certificate, reader.Certificates, log);
                    leaves.Add(leaf);
                }
            }

            return new PfxContents(source, leaves, reader.Certificates, encryption, integrity);
        }

        private static (bool? Absent, string Description) VerifyMac(MacData mac, byte[] content, char[] password, List<bool> candidates, string source)
        {
            DigestInfo digestInfo = mac.Mac;
            DerObjectIdentifier algorithm = digestInfo.DigestAlgorithm.Algorithm;
            HashAlgorithmName hash = MacHash(algorithm) ?? throw Errors.PfxEncryptionUnsupported(source, $"an integrity check ({algorithm.Id}) that is not supported");
            int iterations = RequireSaneIterations(mac.IterationCount.LongValueExact, source);
            byte[] salt = mac.GetSalt();
            byte[] expected = digestInfo.Digest.GetOctets();
            string description = $"HMAC-{hash.Name}, {iterations} iterations";

            foreach (bool absent in candidates)
            {
                byte[] bmp = PasswordBasedKeys.BmpPassword(password, absent);
                byte[] key = PasswordBasedKeys.Pkcs12Kdf(3, bmp, salt, iterations, hash, expected.Length);
                Array.Clear(bmp, 0, bmp.Length);
                byte[] actual;
                using (HMAC hmac = PasswordBasedKeys.CreateHmac(hash, key))
                {
                    actual = hmac.ComputeHash(content);
                }

                Array.Clear(key, 0, key.Length);
                if (FixedTimeEquals(actual, expected))
                {
                    return (absent, description);
                }
            }

            return (null, description);
        }

        /// <summary>Refuses a password-based scheme (PBES2 or PKCS#12 PBE) asking for more than <see cref="MaximumIterations"/>.</summary>
        internal static void RequireSaneIterations(AlgorithmIdentifier algorithm, string source)
        {
            if (algorithm.Algorithm.Equals(PkcsObjectIdentifiers.IdPbeS2))
            {
                var scheme = PbeS2Parameters.GetInstance(algorithm.Parameters);
                if (scheme.KeyDerivationFunc.Algorithm.Equals(PkcsObjectIdentifiers.IdPbkdf2))
                {
                    RequireSaneIterations(Pbkdf2Params.GetInstance(scheme.KeyDerivationFunc.Parameters).IterationCountObject.LongValueExact, source);
                }
            }
            else if (algorithm.Algorithm.Id.StartsWith(PkcsObjectIdentifiers.Pkcs12PbeIds + ".", StringComparison.Ordinal))
            {
                RequireSaneIterations(Pkcs12PbeParams.GetInstance(algorithm.Parameters).Iterations.LongValueExact, source);
            }
        }

        private static int RequireSaneIterations(long iterations, string source)
        {
            if (iterations > MaximumIterations)
            {
                throw Errors.IterationCountTooLarge(source, iterations, MaximumIterations);
            }

            if (iterations < 1)
            {
                throw Errors.PfxFileInvalid(source, $"it asks for {iterations} password-hashing iterations; the file is damaged.");
            }

            return (int)iterations;
        }

        private static HashAlgorithmName? MacHash(DerObjectIdentifier oid)
        {
            if (oid.Equals(OiwObjectIdentifiers.IdSha1))
            {
                return HashAlgorithmName.SHA1;
            }

            if (oid.Equals(NistObjectIdentifiers.IdSha256))
            {
                return HashAlgorithmName.SHA256;
            }

            if (oid.Equals(NistObjectIdentifiers.IdSha384))
            {
                return HashAlgorithmName.SHA384;
            }

            if (oid.Equals(NistObjectIdentifiers.IdSha512))
            {
                return HashAlgorithmName.SHA512;
            }

            return null;
        }

        private static bool FixedTimeEquals(byte[] a, byte[] b)
        {
            if (a.Length != b.Length)
            {
                return false;
            }

            int difference = 0;
            for (int i = 0; i < a.Length; i++)
            {
                difference |= a[i] ^ b[i];
            }

            return difference == 0;
        }

        private static bool IsParseFailure(Exception ex) => Chains.Asn1Failures.IsParseFailure(ex);

        /// <summary>Decryption failed with every password candidate: the password is wrong.</summary>
        private sealed class WrongPasswordException : Exception
        {
        }

        /// <summary>Walks the authenticated safe: decrypts its parts and collects certificates and keys.</summary>
        private sealed class BagReader
        {
            private readonly string _source;
            private readonly char[] _password;
            private List<bool> _candidates;

            public BagReader(string source, char[] password, List<bool> candidates)
            {
                _source = source;
                _password = password;
                _candidates = candidates;
            }

            public List<CertificateInfo> Certificates { get; } = new List<CertificateInfo>();

            public List<PrivateKey> Keys { get; } = new List<PrivateKey>();

            public List<string> Encryption { get; } = new List<string>();

            public void ReadAuthenticatedSafe(byte[] authenticatedSafe)
            {
                foreach (Asn1Encodable item in Asn1Sequence.GetInstance(Asn1Object.FromByteArray(authenticatedSafe)))
                {
                    var content = ContentInfo.GetInstance(item);
                    if (content.ContentType.Equals(PkcsObjectIdentifiers.Data))
                    {
                        ReadSafeContents(Asn1OctetString.GetInstance(content.Content).GetOctets());
                    }
                    else if (content.ContentType.Equals(PkcsObjectIdentifiers.EncryptedData))
                    {
                        var encrypted = EncryptedData.GetInstance(content.Content);
                        AlgorithmIdentifier algorithm = encrypted.EncryptionAlgorithm;
                        Encryption.Add("certificates encrypted with " + Describe(algorithm));
                        ReadSafeContents(Decrypt(algorithm, encrypted.Content.GetOctets()));
                    }
                    else
                    {
                        throw new NotSupportedException($"content protected with {content.ContentType.Id} (public-key protection)");
                    }
                }
            }

            private void ReadSafeContents(byte[] safeContents)
            {
                foreach (Asn1Encodable item in Asn1Sequence.GetInstance(Asn1Object.FromByteArray(safeContents)))
                {
                    ReadBag(SafeBag.GetInstance(item));
                }
            }

            private void ReadBag(SafeBag bag)
            {
                DerObjectIdentifier type = bag.BagID;
                if (type.Equals(PkcsObjectIdentifiers.CertBag))
                {
                    var certBag = CertBag.GetInstance(bag.BagValue);
                    if (certBag.CertID.Equals(PkcsObjectIdentifiers.X509Certificate))
                    {
                        byte[] der = Asn1OctetString.GetInstance(certBag.CertValue).GetOctets();
                        Certificates.Add(ParsedCertificate.Create(der, X509CertificateStructure.GetInstance(Asn1Object.FromByteArray(der))));
                    }
                }
                else if (type.Equals(PkcsObjectIdentifiers.KeyBag))
                {
                    Keys.Add(ToKey(PrivateKeyInfo.GetInstance(bag.BagValue)));
                }
                else if (type.Equals(PkcsObjectIdentifiers.Pkcs8ShroudedKeyBag))
                {
                    var encrypted = EncryptedPrivateKeyInfo.GetInstance(bag.BagValue);
                    Encryption.Add("key encrypted with " + Describe(encrypted.EncryptionAlgorithm));
                    byte[] plain = Decrypt(encrypted.EncryptionAlgorithm, encrypted.GetEncryptedData());
                    try
                    {
                        Keys.Add(ToKey(PrivateKeyInfo.GetInstance(Asn1Object.FromByteArray(plain))));
                    }
                    finally
                    {
                        Array.Clear(plain, 0, plain.Length);
                    }
                }
                else if (type.Equals(PkcsObjectIdentifiers.SafeContentsBag))
                {
                    foreach (Asn1Encodable item in Asn1Sequence.GetInstance(bag.BagValue))
                    {
                        ReadBag(SafeBag.GetInstance(item));
                    }
                }
            }

            // A key type the module does not support (DSA, Ed25519) is KeyTypeUnsupported, as from any other file.
            private PrivateKey ToKey(PrivateKeyInfo info) => PrivateKey.FromPrivateKeyInfo(info, _source);

            private string Describe(AlgorithmIdentifier algorithm)
            {
                try
                {
                    return PasswordBasedEncryption.Describe(algorithm);
                }
                catch (Exception ex) when (IsParseFailure(ex) || ex is NotSupportedException)
                {
                    throw new NotSupportedException($"encryption {algorithm.Algorithm.Id}");
                }
            }

            private byte[] Decrypt(AlgorithmIdentifier algorithm, byte[] cipherText)
            {
                RequireSaneIterations(algorithm, _source);
                foreach (bool absent in _candidates)
                {
                    try
                    {
                        byte[] plain = PasswordBasedEncryption.Decrypt(algorithm, cipherText, _password, absent);
                        if (plain.Length > 0 && plain[0] == 0x30)
                        {
                            // The first candidate that decrypts is the password form this file uses; keep to it.
                            _candidates = new List<bool> { absent };
                            return plain;
                        }
                    }
                    catch (Exception ex) when (ex is InvalidCipherTextException || ex is DataLengthException)
                    {
                        // Wrong password (bad padding): try the next form of the password.
                    }
                }

                throw new WrongPasswordException();
            }
        }
    }
}
