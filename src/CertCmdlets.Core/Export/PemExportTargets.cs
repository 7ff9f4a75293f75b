using System.IO;

namespace CertCmdlets.Core.Export
{
    /// <summary>Where Export-CertPem writes each part. Null means "do not write that part".</summary>
    public sealed class PemExportTargets
    {
        /// <summary>Conventional file name of the leaf certificate (certbot's names, which Apache guides use).</summary>
        public const string CertificateFileName = "cert.pem";

        /// <summary>Conventional file name of the private key.</summary>
        public const string KeyFileName = "key.pem";

        /// <summary>Conventional file name of the intermediates.</summary>
        public const string ChainFileName = "chain.pem";

        /// <summary>Conventional file name of leaf plus intermediates.</summary>
        public const string FullChainFileName = "fullchain.pem";

        /// <summary>The leaf certificate alone.</summary>
        public string? CertificatePath { get; set; }

        /// <summary>The private key.</summary>
        public string? KeyPath { get; set; }

        /// <summary>The intermediate certificates (no leaf).</summary>
        public string? ChainPath { get; set; }

        /// <summary>The leaf followed by the intermediates.</summary>
        public string? FullChainPath { get; set; }

        /// <summary>True when no part is to be written.</summary>
        public bool IsEmpty => CertificatePath is null && KeyPath is null && ChainPath is null && FullChainPath is null;

        /// <summary>
        /// The conventional files in <paramref name="directory"/> for <paramref name="certificate"/>: the
        /// certificate and full chain always, the key when it has one, the chain when it has intermediates.
        /// </summary>
        public static PemExportTargets InDirectory(string directory, CertificateInfo certificate) => new PemExportTargets
        {
            CertificatePath = Path.Combine(directory, CertificateFileName),
            KeyPath = certificate.HasPrivateKey ? Path.Combine(directory, KeyFileName) : null,
            ChainPath = certificate.Chain.Length > 0 ? Path.Combine(directory, ChainFileName) : null,
            FullChainPath = Path.Combine(directory, FullChainFileName),
        };
    }
}
