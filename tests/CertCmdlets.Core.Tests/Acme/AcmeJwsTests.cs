using System;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CertCmdlets.Core.Acme;
using CertCmdlets.Core.Acme.Json;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Math;
using Xunit;

namespace CertCmdlets.Core.Tests.Acme
{
    /// <summary>
    /// JWS and JWK as RFC 7515, 7518 and 7638 define them, checked with .NET's own cryptography as the peer: signatures
    /// verify with the public key rebuilt from the JWK, the thumbprint matches RFC 7638's worked example.
    /// </summary>
    public sealed class AcmeJwsTests
    {
        [Fact]
        public void JwkThumbprint_MatchesTheRfc7638Example()
        {
            const string n = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
            var publicKey = new SubjectPublicKeyInfo(
                new AlgorithmIdentifier(PkcsObjectIdentifiers.RsaEncryption, Org.BouncyCastle.Asn1.DerNull.Instance),
                new RsaPublicKeyStructure(new BigInteger(1, Base64Url.TryDecode(n)!), new BigInteger(1, Base64Url.TryDecode("AQAB")!)));

            JsonValue jwk = AcmeAccountKey.BuildJwk(publicKey);
            string thumbprint = Base64Url.Encode(SHA256.HashData(JsonWriter.WriteUtf8(jwk)));

            Assert.Equal("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", thumbprint);
        }

        [Theory]
        [InlineData("ES256", "P-256", 32)]
        [InlineData("ES384", "P-384", 48)]
        public void EcdsaJws_VerifiesWithTheKeyRebuiltFromItsJwk(string algorithm, string curve, int size)
        {
            using AcmeAccountKey key = AcmeAccountKey.Generate(algorithm);
            JsonValue jws = Jws.Sign(key, "https://ca.example/new-order", "nonce-1", null, JsonValue.Object().Add("a", "b"));

            (JsonElement header, string signingInput, byte[] signature, string payload) = Open(jws);
            Assert.Equal(algorithm, header.GetProperty("alg").GetString());
            Assert.Equal("nonce-1", header.GetProperty("nonce").GetString());
            Assert.Equal("https://ca.example/new-order", header.GetProperty("url").GetString());
            Assert.Equal("{\"a\":\"b\"}", payload);
            JsonElement jwk = header.GetProperty("jwk");
            Assert.Equal(curve, jwk.GetProperty("crv").GetString());
            Assert.Equal(2 * size, signature.Length);

            using ECDsa verifier = ECDsa.Create(new ECParameters
            {
                Curve = curve == "P-256" ? ECCurve.NamedCurves.nistP256 : ECCurve.NamedCurves.nistP384,
                Q = new ECPoint { X = Base64Url.TryDecode(jwk.GetProperty("x").GetString()!), Y = Base64Url.TryDecode(jwk.GetProperty("y").GetString()!) },
            });
            HashAlgorithmName hash = size == 32 ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA384;
            Assert.True(verifier.VerifyData(Encoding.ASCII.GetBytes(signingInput), signature, hash));
            Assert.False(verifier.VerifyData(Encoding.ASCII.GetBytes(signingInput + "x"), signature, hash));
        }

        [Fact]
        public void Rs256Jws_WithKeyId_VerifiesAndCarriesNoJwk()
        {
            using AcmeAccountKey key = AcmeAccountKey.Generate("RS256");
            JsonValue jws = Jws.Sign(key, "https://ca.example/acct/1", "n", "https://ca.example/acct/1", null);

            (JsonElement header, string signingInput, byte[] signature, string payload) = Open(jws);
            Assert.Equal("RS256", header.GetProperty("alg").GetString());
            Assert.Equal("https://ca.example/acct/1", header.GetProperty("kid").GetString());
            Assert.False(header.TryGetProperty("jwk", out _));
            Assert.Equal(string.Empty, payload);

            using RSA verifier = RSA.Create(new RSAParameters
            {
                Modulus = Base64Url.TryDecode(key.Jwk.GetString("n")!),
                Exponent = Base64Url.TryDecode(key.Jwk.GetString("e")!),
            });
            Assert.True(verifier.VerifyData(Encoding.ASCII.GetBytes(signingInput), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        }

        [Fact]
        public void ExternalAccountBinding_IsAnHs256MacOverTheAccountJwk()
        {
            using AcmeAccountKey key = AcmeAccountKey.Generate(null);
            byte[] macKey = Base64Url.TryDecode(PebbleServer.ExampleMacKeys["kid-1"])!;

            JsonValue binding = Jws.ExternalAccountBinding(key, "kid-1", macKey, "https://ca.example/new-account");

            (JsonElement header, string signingInput, byte[] signature, string payload) = Open(binding);
            Assert.Equal("HS256", header.GetProperty("alg").GetString());
            Assert.Equal("kid-1", header.GetProperty("kid").GetString());
            Assert.Equal("https://ca.example/new-account", header.GetProperty("url").GetString());
            Assert.False(header.TryGetProperty("nonce", out _));
            Assert.Equal(JsonWriter.Write(key.Jwk), payload);
            Assert.Equal(HMACSHA256.HashData(macKey, Encoding.ASCII.GetBytes(signingInput)), signature);
        }

        [Fact]
        public void AccountKey_ShowsNoKeyMaterial()
        {
            using AcmeAccountKey key = AcmeAccountKey.Generate(null);

            Assert.Equal("ES256 ACME account key (ECDSA P-256)", key.ToString());
            Assert.Equal(43, key.Thumbprint.Length);
            Assert.Throws<CertCmdletsException>(() => AcmeAccountKey.Generate("HS256"));
        }

        [Theory]
        [InlineData("zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W")]
        [InlineData("  YWJj  ")]
        [InlineData("YWJjZA==")]
        [InlineData("-_-_")]
        public void SecretBase64Url_DecodesAsTheFrameworkDoes(string text)
        {
            byte[]? decoded = Base64Url.TryDecodeSecret(text.ToCharArray());

            Assert.Equal(Base64Url.TryDecode(text.Trim()), decoded);
        }

        [Theory]
        [InlineData("")]
        [InlineData("a")]
        [InlineData("ab cd")]
        [InlineData("ab!d")]
        public void SecretBase64Url_RefusesWhatIsNotBase64Url(string text)
        {
            Assert.Null(Base64Url.TryDecodeSecret(text.ToCharArray()));
        }

        private static (JsonElement Header, string SigningInput, byte[] Signature, string Payload) Open(JsonValue jws)
        {
            using JsonDocument document = JsonDocument.Parse(JsonWriter.Write(jws));
            string protectedHeader = document.RootElement.GetProperty("protected").GetString()!;
            string payload = document.RootElement.GetProperty("payload").GetString()!;
            byte[] signature = Base64Url.TryDecode(document.RootElement.GetProperty("signature").GetString()!)!;
            JsonElement header = JsonDocument.Parse(Base64Url.TryDecode(protectedHeader)!).RootElement.Clone();
            string payloadText = payload.Length == 0 ? string.Empty : Encoding.UTF8.GetString(Base64Url.TryDecode(payload)!);
            return (header, protectedHeader + "." + payload, signature, payloadText);
        }
    }
}
