using System;
using System.Security.Cryptography;
using System.Text;
using CertCmdlets.Core.Acme.Json;

namespace CertCmdlets.Core.Acme
{
    /// <summary>
    /// The JSON Web Signatures ACME requests are (RFC 8555 section 6.2, RFC 7515 flattened JSON serialization): a
    /// protected header with "alg", "nonce", "url" and either "jwk" (new account, revocation by certificate key,
    /// the inner key-change JWS) or "kid" (the account URL); the payload; the signature over both.
    /// </summary>
    internal static class Jws
    {
        /// <summary>A signed request body. A null <paramref name="payload"/> is POST-as-GET (an empty payload).</summary>
        public static JsonValue Sign(AcmeAccountKey key, string url, string? nonce, string? keyId, JsonValue? payload)
        {
            JsonValue header = JsonValue.Object().Add("alg", key.Algorithm);
            if (keyId is null)
            {
                header.Add("jwk", key.Jwk);
            }
            else
            {
                header.Add("kid", keyId);
            }

            if (nonce is not null)
            {
                header.Add("nonce", nonce);
            }

            header.Add("url", url);
            return Assemble(header, payload is null ? string.Empty : Base64Url.Encode(JsonWriter.WriteUtf8(payload)), key.Sign);
        }

        /// <summary>
        /// The External Account Binding of a new-account request (RFC 8555 section 7.3.4): the account's JWK signed
        /// with HS256 under the key id and MAC key the CA gave. The MAC key is cleared by the caller.
        /// </summary>
        public static JsonValue ExternalAccountBinding(AcmeAccountKey accountKey, string keyId, byte[] macKey, string newAccountUrl)
        {
            JsonValue header = JsonValue.Object().Add("alg", "HS256").Add("kid", keyId).Add("url", newAccountUrl);
            return Assemble(header, Base64Url.Encode(JsonWriter.WriteUtf8(accountKey.Jwk)), input =>
            {
                using var hmac = new HMACSHA256(macKey);
                return hmac.ComputeHash(input);
            });
        }

        private static JsonValue Assemble(JsonValue header, string payload, Func<byte[], byte[]> sign)
        {
            string protectedHeader = Base64Url.Encode(JsonWriter.WriteUtf8(header));
            byte[] signingInput = Encoding.ASCII.GetBytes(protectedHeader + "." + payload);
            return JsonValue.Object()
                .Add("protected", protectedHeader)
                .Add("payload", payload)
                .Add("signature", Base64Url.Encode(sign(signingInput)));
        }
    }
}
