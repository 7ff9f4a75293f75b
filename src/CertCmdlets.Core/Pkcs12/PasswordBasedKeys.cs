using System;
using System.Reflection;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;

namespace CertCmdlets.Core.Pkcs12
{
    /// <summary>
    /// The key derivations of PKCS#12 and PKCS#5, made with the platform's native hashes. They are where
    /// reading a PFX spends its time: BouncyCastle's managed derivation is several times slower than
    /// .NET's loader (see the Import-PfxAsPem benchmark).
    /// </summary>
    internal static class PasswordBasedKeys
    {
        /// <summary>
        /// Rfc2898DeriveBytes.Pbkdf2(byte[], byte[], int, HashAlgorithmName, int), present on .NET 6+ (PowerShell 7)
        /// but not in netstandard2.0's surface, so it is found once by reflection. Immutable once set.
        /// </summary>
        private static readonly Func<byte[], byte[], int, HashAlgorithmName, int, byte[]>? s_nativePbkdf2 = FindNativePbkdf2();

        /// <summary>PBKDF2 (RFC 8018) with HMAC over <paramref name="prf"/>.</summary>
        public static byte[] Pbkdf2(byte[] password, byte[] salt, int iterations, HashAlgorithmName prf, int length)
        {
            if (s_nativePbkdf2 is not null)
            {
                return s_nativePbkdf2(password, salt, iterations, prf, length);
            }

            // Windows PowerShell 5.1 (.NET Framework): BouncyCastle's managed PBKDF2.
            var generator = new Pkcs5S2ParametersGenerator(Digest(prf));
            generator.Init(password, salt, iterations);
            return ((KeyParameter)generator.GenerateDerivedMacParameters(length * 8)).GetKey();
        }

        /// <summary>
        /// The PKCS#12 key derivation (RFC 7292 appendix B.2). <paramref name="id"/> is 1 for keys, 2 for IVs,
        /// 3 for MAC keys; <paramref name="bmpPassword"/> is the password as big-endian UTF-16 with a NUL terminator.
        /// </summary>
        public static byte[] Pkcs12Kdf(byte id, byte[] bmpPassword, byte[] salt, int iterations, HashAlgorithmName hash, int length)
        {
            using HashAlgorithm digest = CreateHash(hash);
            int u = digest.HashSize / 8;
            int v = hash == HashAlgorithmName.SHA384 || hash == HashAlgorithmName.SHA512 ? 128 : 64;

            var d = new byte[v];
            for (int i = 0; i < v; i++)
            {
                d[i] = id;
            }

            byte[] s = Repeat(salt, v);
            byte[] p = Repeat(bmpPassword, v);
            var input = new byte[s.Length + p.Length];
            Buffer.BlockCopy(s, 0, input, 0, s.Length);
            Buffer.BlockCopy(p, 0, input, s.Length, p.Length);

            var result = new byte[length];
            var block = new byte[v + input.Length];
            var b = new byte[v];
            for (int offset = 0; offset < length; offset += u)
            {
                Buffer.BlockCopy(d, 0, block, 0, v);
                Buffer.BlockCopy(input, 0, block, v, input.Length);
                byte[] a = digest.ComputeHash(block);
                for (int r = 1; r < iterations; r++)
                {
                    a = digest.ComputeHash(a);
                }

                Buffer.BlockCopy(a, 0, result, offset, Math.Min(u, length - offset));
                if (offset + u >= length)
                {
                    break;
                }

                for (int i = 0; i < v; i++)
                {
                    b[i] = a[i % u];
                }

                // I_j = (I_j + B + 1) mod 2^(8v) for each v-byte block of I.
                for (int j = 0; j < input.Length; j += v)
                {
                    int carry = 1;
                    for (int k = v - 1; k >= 0; k--)
                    {
                        int sum = input[j + k] + b[k] + carry;
                        input[j + k] = (byte)sum;
                        carry = sum >> 8;
                    }
                }
            }

            Array.Clear(input, 0, input.Length);
            Array.Clear(p, 0, p.Length);
            Array.Clear(block, 0, block.Length);
            return result;
        }

        /// <summary>The password as PKCS#12 wants it: big-endian UTF-16 plus a two-byte NUL, or nothing at all.</summary>
        public static byte[] BmpPassword(char[] password, bool absent)
        {
            if (absent)
            {
                return Array.Empty<byte>();
            }

            var bytes = new byte[(password.Length + 1) * 2];
            for (int i = 0; i < password.Length; i++)
            {
                bytes[2 * i] = (byte)(password[i] >> 8);
                bytes[(2 * i) + 1] = (byte)password[i];
            }

            return bytes;
        }

        public static HashAlgorithm CreateHash(HashAlgorithmName hash)
        {
            if (hash == HashAlgorithmName.SHA1)
            {
                return SHA1.Create();
            }

            if (hash == HashAlgorithmName.SHA256)
            {
                return SHA256.Create();
            }

            if (hash == HashAlgorithmName.SHA384)
            {
                return SHA384.Create();
            }

            if (hash == HashAlgorithmName.SHA512)
            {
                return SHA512.Create();
            }

            throw new CryptographicException("Unsupported hash " + hash.Name);
        }

        public static HMAC CreateHmac(HashAlgorithmName hash, byte[] key)
        {
            if (hash == HashAlgorithmName.SHA1)
            {
                return new HMACSHA1(key);
            }

            if (hash == HashAlgorithmName.SHA256)
            {
                return new HMACSHA256(key);
            }

            if (hash == HashAlgorithmName.SHA384)
            {
                return new HMACSHA384(key);
            }

            if (hash == HashAlgorithmName.SHA512)
            {
                return new HMACSHA512(key);
            }

            throw new CryptographicException("Unsupported hash " + hash.Name);
        }

        private static IDigest Digest(HashAlgorithmName hash)
        {
            if (hash == HashAlgorithmName.SHA1)
            {
                return new Sha1Digest();
            }

            if (hash == HashAlgorithmName.SHA384)
            {
                return new Sha384Digest();
            }

            return hash == HashAlgorithmName.SHA512 ? new Sha512Digest() : new Sha256Digest();
        }

        private static byte[] Repeat(byte[] data, int v)
        {
            if (data.Length == 0)
            {
                return Array.Empty<byte>();
            }

            var result = new byte[v * ((data.Length + v - 1) / v)];
            for (int i = 0; i < result.Length; i++)
            {
                result[i] = data[i % data.Length];
            }

            return result;
        }

        private static Func<byte[], byte[], int, HashAlgorithmName, int, byte[]>? FindNativePbkdf2()
        {
            MethodInfo? method = typeof(Rfc2898DeriveBytes).GetMethod(
                "Pbkdf2",
                BindingFlags.Public | BindingFlags.Static,
                null,
                new[] { typeof(byte[]), typeof(byte[]), typeof(int), typeof(HashAlgorithmName), typeof(int) },
                null);
            return method is null
                ? null
                : (Func<byte[], byte[], int, HashAlgorithmName, int, byte[]>)Delegate.CreateDelegate(typeof(Func<byte[], byte[], int, HashAlgorithmName, int, byte[]>), method);
        }
    }
}
