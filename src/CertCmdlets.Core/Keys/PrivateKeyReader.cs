using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security;
using System.Text;
using CertCmdlets.Core.Certificates;
using CertCmdlets.Core.IO;
using CertCmdlets.Core.Secrets;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.OpenSsl;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;

namespace CertCmdlets.Core.Keys
{
    /// <summary>
    /// Reads a private key in every form administrators meet: PKCS#8 (plain or encrypted), PKCS#1 RSA,
    /// SEC1 EC, OpenSSL's legacy encrypted PEM, as PEM or DER, alone or beside certificates in one file.
    /// </summary>
    internal static class PrivateKeyReader
    {
        public static PrivateKey ReadFile(string path, SecureString? password)
        {
            byte[] data = FileInput.ReadAll(path);
            try
            {
                return Parse(data, path, password);
            }
            finally
            {
                Array.Clear(data, 0, data.Length);
            }
        }

        public static PrivateKey Parse(byte[] data, string source, SecureString? password)
        {
            if (data.Length == 0)
            {
                throw Errors.KeyFileInvalid(source, "the file is empty.");
            }

            return Pem.TryReadText(data, out string text)
                ? ParsePem(text, source, password)
                : ParseDer(data, source, password);
        }

        private static PrivateKey ParsePem(string text, string source, SecureString? password)
        {
            List<PemBlock> blocks;
            try
            {
                blocks = Pem.ReadBlocks(text);
            }
            catch (FormatException ex)
            {
                throw Errors.KeyFileInvalid(source, ex.Message, ex);
            }

            PemBlock? block = blocks.FirstOrDefault(b => b.Label.EndsWith("PRIVATE KEY", StringComparison.Ordinal));
            if (block is null)
            {
                string found = string.Join(", ", blocks.Select(b => b.Label).Distinct());
                throw Errors.KeyFileInvalid(source, found.Length == 0 ? "it holds no PEM block." : $"it holds no private key, only: {found}.");
            }

            bool legacyEncrypted = block.Headers.TryGetValue("Proc-Type", out string? procType)
                && procType.IndexOf("ENCRYPTED", StringComparison.OrdinalIgnoreCase) >= 0;
            if (legacyEncrypted)
            {
                return ReadLegacyEncrypted(text, source, password);
            }

            switch (block.Label)
            {
                case "PRIVATE KEY":
                    return FromPkcs8(block.Data, source);
                case "ENCRYPTED PRIVATE KEY":
                    return FromEncryptedPkcs8(block.Data, source, password);
                case "RSA PRIVATE KEY":
                    return FromPkcs1(block.Data, source);
                case "EC PRIVATE KEY":
                    return FromSec1(block.Data, source);
                case "OPENSSH PRIVATE KEY":
                    throw Errors.KeyFileInvalid(source, "it is an OpenSSH key. Convert it first: ssh-keygen -p -m PKCS8 -f <file>.");
                default:
                    throw Errors.KeyTypeUnsupported(source, block.Label.Replace(" PRIVATE KEY", string.Empty));
            }
        }

        /// <summary>True for DER bytes shaped as an EncryptedPrivateKeyInfo.</summary>
        internal static bool IsEncryptedDer(byte[] data)
        {
            try
            {
                return Asn1Object.FromByteArray(data) is Asn1Sequence sequence && sequence.Count == 2 && sequence[0] is Asn1Sequence && sequence[1] is Asn1OctetString;
            }
            catch (Exception ex) when (IsParseFailure(ex))
            {
                return false;
            }
        }

        private static PrivateKey ParseDer(byte[] data, string source, SecureString? password)
        {
            Asn1Sequence sequence;
            try
            {
                sequence = Asn1Sequence.GetInstance(Asn1Object.FromByteArray(data))
                    ?? throw new IOException("no ASN.1 structure");
            }
            catch (Exception ex) when (IsParseFailure(ex))
            {
                throw Errors.KeyFileInvalid(source, "it is neither PEM text nor a DER-encoded key.", ex);
            }

            // EncryptedPrivateKeyInfo: SEQUENCE { AlgorithmIdentifier, OCTET STRING }.
            if (sequence.Count == 2 && sequence[0] is Asn1Sequence && sequence[1] is Asn1OctetString)
            {
                return FromEncryptedPkcs8(data, source, password);
            }

            // PrivateKeyInfo: SEQUENCE { INTEGER 0|1, AlgorithmIdentifier, OCTET STRING, ... }.
            if (sequence.Count >= 3 && sequence[1] is Asn1Sequence)
            {
                return FromPkcs8(data, source);
            }

            // RSAPrivateKey: nine INTEGERs; ECPrivateKey: INTEGER 1, OCTET STRING, [0], [1].
            if (sequence.Count >= 9)
            {
                return FromPkcs1(data, source);
            }

            if (sequence.Count >= 2 && sequence[1] is Asn1OctetString)
            {
                return FromSec1(data, source);
            }

            // OpenSSL's traditional DSA key (openssl dsa -outform DER): version, p, q, g, y, x.
            if (sequence.Count == 6 && sequence.Cast<Asn1Encodable>().All(item => item is DerInteger))
            {
                throw Errors.KeyTypeUnsupported(source, "DSA");
            }

            throw Errors.KeyFileInvalid(source, "the DER structure is not a private key.");
        }

        private static PrivateKey FromPkcs8(byte[] der, string source)
        {
            try
            {
                return PrivateKey.FromPrivateKeyInfo(PrivateKeyInfo.GetInstance(Asn1Object.FromByteArray(der)), source);
            }
            catch (Exception ex) when (IsParseFailure(ex))
            {
                throw Errors.KeyFileInvalid(source, "the PKCS#8 key structure is damaged.", ex);
            }
        }

        private static PrivateKey FromEncryptedPkcs8(byte[] der, string source, SecureString? password)
        {
            if (password is null)
            {
                throw Errors.KeyPasswordRequired(source);
            }

            EncryptedPrivateKeyInfo encrypted;
            try
            {
                encrypted = EncryptedPrivateKeyInfo.GetInstance(Asn1Object.FromByteArray(der));
                Pkcs12.PfxReader.RequireSaneIterations(encrypted.EncryptionAlgorithm, source);
            }
            catch (Exception ex) when (IsParseFailure(ex))
            {
                throw Errors.KeyFileInvalid(source, "the encrypted PKCS#8 structure is damaged.", ex);
            }
            using PasswordBuffer buffer = PasswordBuffer.From(password);
            PrivateKeyInfo info;
            try
            {
                info = Decrypt(encrypted, buffer.Characters);
            }
            catch (SecurityUtilityException ex)
            {
                throw Errors.KeyFileInvalid(source, $"it is encrypted with an algorithm this module cannot decrypt ({encrypted.EncryptionAlgorithm.Algorithm.Id}).", ex);
            }
            catch (NotSupportedException ex)
            {
                throw Errors.KeyFileInvalid(source, $"it is encrypted with {ex.Message}, which this module cannot decrypt.", ex);
            }
            catch (Exception ex) when (ex is InvalidCipherTextException || ex is DataLengthException || IsParseFailure(ex))
            {
                throw Errors.KeyPasswordIncorrect(source, null);
            }

            try
            {
                return PrivateKey.FromPrivateKeyInfo(info, source);
            }
            catch (Exception ex) when (IsParseFailure(ex))
            {
                // A wrong password can, rarely, decrypt to bytes with valid padding that are no key at all.
                throw Errors.KeyPasswordIncorrect(source, null);
            }
        }

        /// <summary>
        /// PBES2 and the PKCS#12 schemes are decrypted as OpenSSL does (UTF-8 password for PBES2, BMPString for
        /// PKCS#12) with native key derivation; older PBES1 schemes by BouncyCastle.
        /// </summary>
        private static PrivateKeyInfo Decrypt(EncryptedPrivateKeyInfo encrypted, char[] password)
        {
            DerObjectIdentifier scheme = encrypted.EncryptionAlgorithm.Algorithm;
            if (scheme.Equals(PkcsObjectIdentifiers.IdPbeS2) || scheme.Id.StartsWith(PkcsObjectIdentifiers.Pkcs12PbeIds + ".", StringComparison.Ordinal))
            {
                byte[] plain = Pkcs12.PasswordBasedEncryption.Decrypt(encrypted.EncryptionAlgorithm, encrypted.GetEncryptedData(), password, absentPassword: false);
                try
                {
                    return PrivateKeyInfo.GetInstance(Asn1Object.FromByteArray(plain));
                }
                finally
                {
                    Array.Clear(plain, 0, plain.Length);
                }
            }

            return PrivateKeyInfoFactory.CreatePrivateKeyInfo(password, encrypted);
        }

        private static PrivateKey FromPkcs1(byte[] der, string source)
        {
            try
            {
                var rsa = RsaPrivateKeyStructure.GetInstance(Asn1Object.FromByteArray(der));
                return PrivateKey.FromPrivateKeyInfo(new PrivateKeyInfo(new AlgorithmIdentifier(PkcsObjectIdentifiers.RsaEncryption, DerNull.Instance), rsa), source);
            }
            catch (Exception ex) when (IsParseFailure(ex))
            {
                throw Errors.KeyFileInvalid(source, "the RSA (PKCS#1) key structure is damaged.", ex);
            }
        }

        private static PrivateKey FromSec1(byte[] der, string source)
        {
            ECPrivateKeyStructure ec;
            try
            {
                ec = ECPrivateKeyStructure.GetInstance(Asn1Object.FromByteArray(der));
            }
            catch (Exception ex) when (IsParseFailure(ex))
            {
                throw Errors.KeyFileInvalid(source, "the EC (SEC1) key structure is damaged.", ex);
            }

            Asn1Encodable? parameters = ec.Parameters;
            if (parameters is null)
            {
                throw Errors.KeyFileInvalid(source, "the EC key does not name its curve.");
            }

            try
            {
                var info = new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.IdECPublicKey, parameters), ec);
                return PrivateKey.FromPrivateKeyInfo(info, source);
            }
            catch (Exception ex) when (IsParseFailure(ex))
            {
                throw Errors.KeyFileInvalid(source, "the EC key's curve is not supported.", ex);
            }
        }

        private static PrivateKey ReadLegacyEncrypted(string text, string source, SecureString? password)
        {
            if (password is null)
            {
                throw Errors.KeyPasswordRequired(source);
            }

            using PasswordBuffer buffer = PasswordBuffer.From(password);

            // OpenSSL derives legacy PEM keys from the password's bytes as typed (UTF-8); BouncyCastle takes one
            // byte per char, so it is handed the UTF-8 bytes widened to chars.
            byte[] utf8 = Encoding.UTF8.GetBytes(buffer.Characters);
            char[] widened = new char[utf8.Length];
            for (int i = 0; i < utf8.Length; i++)
            {
                widened[i] = (char)utf8[i];
            }

            Array.Clear(utf8, 0, utf8.Length);
            var finder = new PasswordFinder(widened);
            try
            {
                using var reader = new PemReader(new StringReader(text), finder);
                object? item;
                while ((item = reader.ReadObject()) is not null)
                {
                    switch (item)
                    {
                        case AsymmetricCipherKeyPair pair:
                            return PrivateKey.FromBouncyCastle(pair.Private, source);
                        case AsymmetricKeyParameter { IsPrivate: true } key:
                            return PrivateKey.FromBouncyCastle(key, source);
                    }
                }
            }
            catch (Org.BouncyCastle.OpenSsl.PasswordException)
            {
                throw Errors.KeyPasswordRequired(source);
            }
            catch (Exception ex) when (ex is PemException || ex is InvalidCipherTextException || ex is DataLengthException || IsParseFailure(ex))
            {
                if (ex.Message.IndexOf("Unknown encryption", StringComparison.OrdinalIgnoreCase) >= 0
                    || ex.Message.IndexOf("not recognised", StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    throw Errors.KeyFileInvalid(source, "it is encrypted with an algorithm this module cannot decrypt.", ex);
                }

                throw Errors.KeyPasswordIncorrect(source, null);
            }
            finally
            {
                finder.Clear();
                Array.Clear(widened, 0, widened.Length);
            }

            throw Errors.KeyFileInvalid(source, "the encrypted PEM block holds no private key.");
        }

        private static bool IsParseFailure(Exception ex) => Chains.Asn1Failures.IsParseFailure(ex);

        /// <summary>Hands BouncyCastle's legacy PEM reader a copy of the password that is cleared afterwards.</summary>
        private sealed class PasswordFinder : IPasswordFinder
        {
            private readonly char[] _password;
            private readonly List<char[]> _handedOut = new List<char[]>();

            public PasswordFinder(char[] password)
            {
                _password = password;
            }

            public char[] GetPassword()
            {
                var copy = (char[])_password.Clone();
                _handedOut.Add(copy);
                return copy;
            }

            public void Clear()
            {
                foreach (char[] copy in _handedOut)
                {
                    Array.Clear(copy, 0, copy.Length);
                }
            }
        }
    }
}
