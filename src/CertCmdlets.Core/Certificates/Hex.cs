namespace CertCmdlets.Core.Certificates
{
    /// <summary>Upper-case hexadecimal, as Windows shows thumbprints and serial numbers.</summary>
    internal static class Hex
    {
        public static string Upper(byte[] bytes)
        {
            const string digits = "0123456789ABCDEF";
            var chars = new char[bytes.Length * 2];
            for (int i = 0; i < bytes.Length; i++)
            {
                chars[2 * i] = digits[bytes[i] >> 4];
                chars[(2 * i) + 1] = digits[bytes[i] & 0xF];
            }

            return new string(chars);
        }
    }
}
