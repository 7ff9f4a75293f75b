using System;
using System.Security.Cryptography;
using CertCmdlets.Core.Acme.Json;
using CertCmdlets.Core.Keys;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace CertCmdlets.Core.Acme
{
    /// <summary>
    /// An ACME account key: the module's <see cref="PrivateKey"/> with what JOSE needs on top (the JWS algorithm, the
    /// public JWK, its RFC 7638 thumbprint) and signatures in JWS form (ECDSA as r||s, RSA PKCS#1 v1.5), made by the
    /// platform. ES256 (P-256) by default, as Let's Encrypt and certbot use; ES384 and RS256 on request. Never printed:
    /// <see cref="ToString"/> names only the algorithm.
    /// </summary>
    internal sealed class AcmeAccountKey : IDisposable
    {
        /// <summary>The algorithms a new account key may use, the default first.</summary>
        public static readonly string[] Algorithms = { "ES256", "ES384", "RS256" };

        private readonly AsymmetricAlgorithm _native;

        private AcmeAccountKey(PrivateKey key, AsymmetricAlgorithm native, string algorithm, HashAlgorithmName hash, int signatureHalfLength)
        {
            Key = key;
            _native = native;
            Algorithm = algorithm;
            Hash = hash;
            SignatureHalfLength = signatureHalfLength;
            Jwk = BuildJwk(key.PublicKeyInfo);
            Thumbprint = Base64Url.Encode(Sha256(JsonWriter.WriteUtf8(Jwk)));
        }

        public PrivateKey Key { get; }

        /// <summary>The JWS "alg": ES256, ES384, ES512 or RS256.</summary>
        public string Algorithm { get; }

        /// <summary>The public key as a JWK, members in RFC 7638 order (so its compact form is the thumbprint input).</summary>
        public JsonValue Jwk { get; }

        /// <summary>The RFC 7638 JWK thumbprint (SHA-256, base64url): the key's public fingerprint.</summary>
        public string Thumbprint { get; }

        private HashAlgorithmName Hash { get; }

        private int SignatureHalfLength { get; }

        /// <summary>Makes a new key for <paramref name="algorithm"/> (ES256 when null); an unknown name is refused.</summary>
        public static AcmeAccountKey Generate(string? algorithm)
        {
            string name = (algorithm ?? Algorithms[0]).Trim().ToUpperInvariant();
            KeySpec spec = name switch
            {
                "ES256" => KeySpec.Parse("ECDSA", null, "P256", null),
                "ES384" => KeySpec.Parse("ECDSA", null, "P384", null),
                "RS256" => KeySpec.Parse("RSA", 2048, null, null),
                _ => throw Errors.AcmeAccountKeyAlgorithmUnsupported(algorithm ?? string.Empty),
            };
            AsymmetricAlgorithm native = NativeKeys.Generate(spec);
            return Wrap(PrivateKey.FromNative(native), native);
        }

        /// <summary>An account key read from the state folder (or given by the user).</summary>
        public static AcmeAccountKey FromPrivateKey(PrivateKey key) => Wrap(key, NativeKeys.Import(key));

        /// <summary>A JWS signature over <paramref name="signingInput"/>.</summary>
        public byte[] Sign(byte[] signingInput)
        {
            if (_native is RSA rsa)
            {
                return rsa.SignData(signingInput, Hash, RSASignaturePadding.Pkcs1);
            }

            // .NET's ECDsa.SignData already gives IEEE P1363 (r||s, each the field size), JWS's form (RFC 7518 3.4).
            byte[] signature = ((ECDsa)_native).SignData(signingInput, Hash);
            if (signature.Length != 2 * SignatureHalfLength)
            {
                throw new CryptographicException($"The platform returned a {signature.Length}-byte {Algorithm} signature.");
            }

            return signature;
        }

        /// <summary>The key as PEM (unencrypted PKCS#8) for the state folder. The caller clears the array.</summary>
        public byte[] ToPem() => PrivateKeyWriter.ToPem(Key, null);

        public void Dispose() => _native.Dispose();

        /// <inheritdoc/>
        public override string ToString() => $"{Algorithm} ACME account key ({Key.Description})";

        private static AcmeAccountKey Wrap(PrivateKey key, AsymmetricAlgorithm native)
        {
            if (key.IsRsa)
            {
                if (key.SizeInBits < 2048)
                {
                    throw Errors.AcmeAccountKeyAlgorithmUnsupported(key.Description);
                }

                return new AcmeAccountKey(key, native, "RS256", HashAlgorithmName.SHA256, 0);
            }

            return key.SizeInBits switch
            {
                256 => new AcmeAccountKey(key, native, "ES256", HashAlgorithmName.SHA256, 32),
                384 => new AcmeAccountKey(key, native, "ES384", HashAlgorithmName.SHA384, 48),
                521 => new AcmeAccountKey(key, native, "ES512", HashAlgorithmName.SHA512, 66),
                _ => throw Errors.AcmeAccountKeyAlgorithmUnsupported(key.Description),
            };
        }

        /// <summary>The public JWK of a key, with exactly the required members in lexicographic order (RFC 7638 section 3.2).</summary>
        internal static JsonValue BuildJwk(SubjectPublicKeyInfo publicKeyInfo)
        {
            if (publicKeyInfo.Algorithm.Algorithm.Equals(PkcsObjectIdentifiers.RsaEncryption))
            {
                var rsa = RsaPublicKeyStructure.GetInstance(publicKeyInfo.ParsePublicKey());
                return JsonValue.Object()
                    .Add("e", Base64Url.Encode(rsa.PublicExponent.ToByteArrayUnsigned()))
                    .Add("kty", "RSA")
                    .Add("n", Base64Url.Encode(rsa.Modulus.ToByteArrayUnsigned()));
            }

            var ec = (ECPublicKeyParameters)PublicKeyFactory.CreateKey(publicKeyInfo);
            int fieldBytes = (ec.Parameters.Curve.FieldSize + 7) / 8;
            string curve = fieldBytes switch
            {
                32 => "P-256",
                48 => "P-384",
                _ => "P-521",
            };
            var q = ec.Q.Normalize();
            return JsonValue.Object()
                .Add("crv", curve)
                .Add("kty", "EC")
                .Add("x", Base64Url.Encode(Fixed(q.AffineXCoord.ToBigInteger().ToByteArrayUnsigned(), fieldBytes)))
                .Add("y", Base64Url.Encode(Fixed(q.AffineYCoord.ToBigInteger().ToByteArrayUnsigned(), fieldBytes)));
        }

        private static byte[] Fixed(byte[] value, int length)
        {
            if (value.Length == length)
            {
                return value;
            }

            var padded = new byte[length];
            Buffer.BlockCopy(value, 0, padded, length - value.Length, value.Length);
            return padded;
        }

        internal static byte[] Sha256(byte[] data)
        {
            using SHA256 sha = SHA256.Create();
            return sha.ComputeHash(data);
        }
    }
}
