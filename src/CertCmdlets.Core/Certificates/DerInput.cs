using System;
using System.IO;
using Org.BouncyCastle.Asn1;

namespace CertCmdlets.Core.Certificates
{
    /// <summary>
    /// The first DER (or BER) structure of a binary file, and what to say about bytes after it. Real files carry such
    /// bytes: Windows exports PFX files with 8 zero bytes after the DER, and tools pad PKCS#7 and certificate files to
    /// a block size. The platform loaders (openssl's d2i readers, .NET's X509Certificate2 and PKCS#12 loaders, Windows'
    /// PFXImportCertStore) read one complete structure and ignore whatever follows, so this module does too: zero
    /// padding with a -Verbose line, anything else with a warning, since it may be a second certificate (a DER file
    /// holds one; bundles are PEM or PKCS#7).
    /// </summary>
    internal static class DerInput
    {
        /// <summary>
        /// Reads the first structure of <paramref name="data"/>. <paramref name="exact"/> is its own bytes (the file
        /// itself when nothing follows), which is what thumbprints and MACs are computed on.
        /// </summary>
        public static Asn1Object ReadFirst(byte[] data, string source, string what, ICoreLog log, out byte[] exact)
        {
            using var stream = new MemoryStream(data, writable: false);
            using var input = new Asn1InputStream(stream, data.Length);
            Asn1Object first = input.ReadObject() ?? throw new IOException("no ASN.1 structure");
            int consumed = checked((int)stream.Position);
            if (consumed >= data.Length)
            {
                exact = data;
                return first;
            }

            int trailing = data.Length - consumed;
            exact = new byte[consumed];
            Buffer.BlockCopy(data, 0, exact, 0, consumed);
            if (IsZero(data, consumed))
            {
                log.Verbose($"'{source}': {trailing} zero byte(s) of padding after the {what} were ignored, as openssl and Windows ignore them.");
            }
            else
            {
                log.Warning($"'{source}': {trailing} byte(s) after the {what} were ignored. A DER file holds one structure; if they are more certificates, give the file as PEM or PKCS#7.");
            }

            return first;
        }

        private static bool IsZero(byte[] data, int from)
        {
            for (int i = from; i < data.Length; i++)
            {
                if (data[i] != 0)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
