using System.Security.Cryptography;
using Org.BouncyCastle.Math;

namespace CertCmdlets.Core.Requests
{
    /// <summary>Random positive 128-bit serial numbers (CA/Browser Forum asks for at least 64 random bits).</summary>
    internal static class SerialNumbers
    {
        public static BigInteger NewRandom()
        {
            var bytes = new byte[16];
            using (var random = RandomNumberGenerator.Create())
            {
                random.GetBytes(bytes);
            }

            // Positive and exactly 16 octets long, so the DER INTEGER needs no leading zero and is never zero.
            bytes[0] = (byte)((bytes[0] & 0x7F) | 0x40);
            return new BigInteger(1, bytes);
        }
    }
}
