using System;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;

namespace CertCmdlets.Core.Keys
{
    /// <summary>
    /// Keys made and used by the platform's native cryptography (OpenSSL on Linux, CNG on Windows), which
    /// generates RSA keys several times faster than managed code; see the New-CertRequest benchmark.
    /// </summary>
    internal static class NativeKeys
    {
        public static AsymmetricAlgorithm Generate(KeySpec spec)
        {
            if (spec.Algorithm == KeyAlgorithmKind.Ecdsa)
            {
                ECDsa ecdsa = ECDsa.Create(spec.Curve switch
                {
                    "P-384" => ECCurve.NamedCurves.nistP384,
                    "P-521" => ECCurve.NamedCurves.nistP521,
                    _ => ECCurve.NamedCurves.nistP256,
                });
                return ecdsa;
            }

            RSA rsa = RSA.Create();
            rsa.KeySize = spec.KeySize;
            if (rsa.KeySize != spec.KeySize)
            {
                // Windows PowerShell 5.1: RSA.Create() may be an RSACryptoServiceProvider that ignores KeySize.
                rsa.Dispose();
                rsa = new RSACryptoServiceProvider(spec.KeySize);
            }

            return rsa;
        }

        /// <summary>A platform key for a key read from a file, so signatures are native too.</summary>
        public static AsymmetricAlgorithm Import(PrivateKey key)
        {
            if (key.Rsa is RsaPrivateKeyStructure rsa)
            {
                int modulusLength = (rsa.Modulus.BitLength + 7) / 8;
                int halfLength = (modulusLength + 1) / 2;
                var parameters = new RSAParameters
                {
                    Modulus = Fixed(rsa.Modulus, modulusLength),
                    Exponent = rsa.PublicExponent.ToByteArrayUnsigned(),
                    D = Fixed(rsa.PrivateExponent, modulusLength),
                    P = Fixed(rsa.Prime1, halfLength),
                    Q = Fixed(rsa.Prime2, halfLength),
                    DP = Fixed(rsa.Exponent1, halfLength),
                    DQ = Fixed(rsa.Exponent2, halfLength),
                    InverseQ = Fixed(rsa.Coefficient, halfLength),
                };
                try
                {
                    RSA native = RSA.Create();
                    native.ImportParameters(parameters);
                    return native;
                }
                finally
                {
                    Clear(parameters.D, parameters.P, parameters.Q, parameters.DP, parameters.DQ, parameters.InverseQ);
                }
            }

            if (key.EllipticCurve is ECPrivateKeyParameters ec && ec.PublicKeyParamSet is not null)
            {
                int fieldLength = (ec.Parameters.Curve.FieldSize + 7) / 8;
                var q = ec.Parameters.G.Multiply(ec.D).Normalize();
                var parameters = new ECParameters
                {
                    Curve = ECCurve.CreateFromValue(ec.PublicKeyParamSet.Id),
                    D = Fixed(ec.D, fieldLength),
                    Q = new ECPoint
                    {
                        X = Fixed(q.AffineXCoord.ToBigInteger(), fieldLength),
                        Y = Fixed(q.AffineYCoord.ToBigInteger(), fieldLength),
                    },
                };
                try
                {
                    return ECDsa.Create(parameters);
                }
                finally
                {
                    Clear(parameters.D);
                }
            }

            throw new ArgumentException("Only RSA and named-curve EC keys can be used for signing.", nameof(key));
        }

        /// <summary>Big-endian unsigned bytes left-padded to <paramref name="length"/>, as the platform importers require.</summary>
        private static byte[] Fixed(BigInteger value, int length)
        {
            byte[] bytes = value.ToByteArrayUnsigned();
            if (bytes.Length == length)
            {
                return bytes;
            }

            var padded = new byte[length];
            Buffer.BlockCopy(bytes, 0, padded, length - bytes.Length, bytes.Length);
            Array.Clear(bytes, 0, bytes.Length);
            return padded;
        }

        private static void Clear(params byte[]?[] arrays)
        {
            foreach (byte[]? array in arrays)
            {
                if (array is not null)
                {
                    Array.Clear(array, 0, array.Length);
                }
            }
        }
    }
}
