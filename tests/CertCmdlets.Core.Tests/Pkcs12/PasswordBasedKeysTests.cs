using System;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using CertCmdlets.Core.Pkcs12;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Xunit;

namespace CertCmdlets.Core.Tests.Pkcs12
{
    /// <summary>
    /// The native key derivations against answers computed independently: BouncyCastle's PKCS#12 generator
    /// (RFC 7292 appendix B), .NET's Rfc2898DeriveBytes, and the published vectors of RFC 6070 and RFC 7914.
    /// </summary>
    public sealed class PasswordBasedKeysTests
    {
        private static readonly byte[] s_salt = Convert.FromHexString("0A58CF64530D823F");
        private static readonly byte[] s_longSalt = Convert.FromHexString("7F1A03B2C94D5E6F708192A3B4C5D6E7F8091A2B3C4D5E6F");

        public static TheoryData<byte, string, string, int, int> Pkcs12Cases()
        {
            var data = new TheoryData<byte, string, string, int, int>();
            foreach (byte id in new byte[] { 1, 2, 3 })
            {
                foreach (string hash in new[] { "SHA1", "SHA256", "SHA512" })
                {
                    // Lengths below, at and above one hash output, and across the 64- and 128-byte block.
                    foreach (int length in new[] { 1, 5, 8, 16, 20, 24, 32, 33, 64, 65, 100, 130 })
                    {
                        data.Add(id, hash, "smeg", 1, length);
                    }

                    data.Add(id, hash, "queeg", 1000, 24);
                    data.Add(id, hash, "pässwörd Ünïcødé 密码 🔑", 2048, 32);
                    data.Add(id, hash, "a password longer than one sixty-four byte block, so that I spans several blocks of v bytes", 3, 70);
                }
            }

            return data;
        }

        [Theory]
        [MemberData(nameof(Pkcs12Cases))]
        public void Pkcs12Kdf_MatchesBouncyCastle(byte id, string hash, string password, int iterations, int length)
        {
            foreach (byte[] salt in new[] { s_salt, s_longSalt })
            {
                byte[] bmp = PbeParametersGenerator.Pkcs12PasswordToBytes(password.ToCharArray());

                byte[] actual = PasswordBasedKeys.Pkcs12Kdf(id, bmp, salt, iterations, new HashAlgorithmName(hash), length);

                Assert.Equal(Convert.ToHexString(BouncyCastlePkcs12(id, hash, bmp, salt, iterations, length)), Convert.ToHexString(actual));
            }
        }

        [Theory]
        [InlineData("SHA1")]
        [InlineData("SHA256")]
        [InlineData("SHA512")]
        public void Pkcs12Kdf_AbsentPassword_MatchesBouncyCastle(string hash)
        {
            // No password at all (not even the NUL terminator): how Windows writes an empty one.
            foreach (byte id in new byte[] { 1, 2, 3 })
            {
                byte[] actual = PasswordBasedKeys.Pkcs12Kdf(id, Array.Empty<byte>(), s_salt, 2048, new HashAlgorithmName(hash), 32);

                Assert.Equal(Convert.ToHexString(BouncyCastlePkcs12(id, hash, Array.Empty<byte>(), s_salt, 2048, 32)), Convert.ToHexString(actual));
            }
        }

        [Theory]
        // Published PKCS#12 KDF answers (SHA-1), as in the OpenSSL and BouncyCastle test suites.
        [InlineData("smeg", "0A58CF64530D823F", 1, 1, 24, "8AAAE6297B6CB04642AB5B077851284EB7128F1A2A7FBCA3")]
        [InlineData("smeg", "0A58CF64530D823F", 1, 2, 8, "79993DFE048D3B76")]
        [InlineData("smeg", "642B99AB44FB4B1F", 1, 1, 24, "F3A95FEC48D7711E985CFE67908C5AB79FA3D7C5CAA5D966")]
        [InlineData("smeg", "642B99AB44FB4B1F", 1, 2, 8, "C0A38D64A79BEA1D")]
        [InlineData("smeg", "3D83C0E4546AC140", 1, 3, 20, "8D967D88F6CAA9D714800AB3D48051D63F73A312")]
        [InlineData("queeg", "05DEC959ACFF72F7", 1000, 1, 24, "ED2034E36328830FF09DF1E1A07DD357185DAC0D4F9EB3D4")]
        [InlineData("queeg", "05DEC959ACFF72F7", 1000, 2, 8, "11DEDAD7758D4860")]
        [InlineData("queeg", "1682C0FC5B3F7EC5", 1000, 1, 24, "483DD6E919D7DE2E8E648BA8F862F3FBFBDC2BCB2C02957F")]
        [InlineData("queeg", "1682C0FC5B3F7EC5", 1000, 2, 8, "9D461D1B00355C50")]
        [InlineData("queeg", "263216FCC2FAB31C", 1000, 3, 20, "5EC4C7A80DF652294C3925B6489A7AB857C83476")]
        public void Pkcs12Kdf_PublishedVectors(string password, string salt, int iterations, byte id, int length, string expected)
        {
            byte[] bmp = PasswordBasedKeys.BmpPassword(password.ToCharArray(), absent: false);

            byte[] actual = PasswordBasedKeys.Pkcs12Kdf(id, bmp, Convert.FromHexString(salt), iterations, HashAlgorithmName.SHA1, length);

            Assert.Equal(expected, Convert.ToHexString(actual));
        }

        [Theory]
        [InlineData("smeg")]
        [InlineData("")]
        [InlineData("pässwörd Ünïcødé 密码 🔑")]
        public void BmpPassword_IsBigEndianUtf16WithATerminator(string password)
        {
            byte[] bmp = PasswordBasedKeys.BmpPassword(password.ToCharArray(), absent: false);

            byte[] expected = Encoding.BigEndianUnicode.GetBytes(password).Concat(new byte[] { 0, 0 }).ToArray();
            Assert.Equal(expected, bmp);
            if (password.Length > 0)
            {
                Assert.Equal(PbeParametersGenerator.Pkcs12PasswordToBytes(password.ToCharArray()), bmp);
            }

            Assert.Empty(PasswordBasedKeys.BmpPassword(password.ToCharArray(), absent: true));
        }

        public static TheoryData<string, string, int, int> Pbkdf2Cases()
        {
            var data = new TheoryData<string, string, int, int>();
            foreach (string prf in new[] { "SHA1", "SHA256", "SHA384", "SHA512" })
            {
                foreach (int length in new[] { 1, 16, 20, 24, 32, 33, 64, 100 })
                {
                    data.Add(prf, "password", 1, length);
                }

                data.Add(prf, "pässwörd Ünïcødé 密码 🔑", 2048, 32);
                data.Add(prf, string.Empty, 10, 32);
            }

            return data;
        }

        [Theory]
        [MemberData(nameof(Pbkdf2Cases))]
        public void Pbkdf2_MatchesDotNetAndBouncyCastle(string prf, string password, int iterations, int length)
        {
            byte[] passwordBytes = Encoding.UTF8.GetBytes(password);
            var hash = new HashAlgorithmName(prf);

            byte[] actual = PasswordBasedKeys.Pbkdf2(passwordBytes, s_longSalt, iterations, hash, length);

            Assert.Equal(Convert.ToHexString(Rfc2898DeriveBytes.Pbkdf2(passwordBytes, s_longSalt, iterations, hash, length)), Convert.ToHexString(actual));

            // BouncyCastle's generator is the fallback on Windows PowerShell 5.1: it must agree as well.
            var generator = new Pkcs5S2ParametersGenerator(Digest(prf));
            generator.Init(passwordBytes, s_longSalt, iterations);
            Assert.Equal(Convert.ToHexString(((KeyParameter)generator.GenerateDerivedMacParameters(length * 8)).GetKey()), Convert.ToHexString(actual));
        }

        [Theory]
        // RFC 6070 (PBKDF2-HMAC-SHA1).
        [InlineData("SHA1", "password", "salt", 1, 20, "0C60C80F961F0E71F3A9B524AF6012062FE037A6")]
        [InlineData("SHA1", "password", "salt", 2, 20, "EA6C014DC72D6F8CCD1ED92ACE1D41F0D8DE8957")]
        [InlineData("SHA1", "password", "salt", 4096, 20, "4B007901B765489ABEAD49D926F721D065A429C1")]
        [InlineData("SHA1", "passwordPASSWORDpassword", "saltSALTsaltSALTsaltSALTsaltSALTsalt", 4096, 25, "3D2EEC4FE41C849B80C8D83662C0E44A8B291A964CF2F07038")]
        // RFC 7914 section 11 (PBKDF2-HMAC-SHA256).
        [InlineData("SHA256", "passwd", "salt", 1, 64, "55AC046E56E3089FEC1691C22544B605F94185216DDE0465E68B9D57C20DACBC49CA9CCCF179B645991664B39D77EF317C71B845B1E30BD509112041D3A19783")]
        public void Pbkdf2_PublishedVectors(string prf, string password, string salt, int iterations, int length, string expected)
        {
            byte[] actual = PasswordBasedKeys.Pbkdf2(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(salt), iterations, new HashAlgorithmName(prf), length);

            Assert.Equal(expected, Convert.ToHexString(actual));
        }

        private static byte[] BouncyCastlePkcs12(byte id, string hash, byte[] bmpPassword, byte[] salt, int iterations, int length)
        {
            var generator = new Pkcs12ParametersGenerator(Digest(hash));
            generator.Init(bmpPassword, salt, iterations);
            return id switch
            {
                // Key material (ID 1), through a cipher name that takes any key length.
                1 => ((KeyParameter)generator.GenerateDerivedParameters("AES", length * 8)).GetKey(),

                // IV material (ID 2) comes with a key; only the IV is compared.
                2 => ((ParametersWithIV)generator.GenerateDerivedParameters("AES", 128, length * 8)).GetIV(),

                // MAC material (ID 3).
                _ => ((KeyParameter)generator.GenerateDerivedMacParameters(length * 8)).GetKey(),
            };
        }

        private static IDigest Digest(string hash) => hash switch
        {
            "SHA1" => new Sha1Digest(),
            "SHA256" => new Sha256Digest(),
            "SHA384" => new Sha384Digest(),
            "SHA512" => new Sha512Digest(),
            _ => throw new ArgumentOutOfRangeException(nameof(hash)),
        };
    }
}
