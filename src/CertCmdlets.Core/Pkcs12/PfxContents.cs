using System;
using System.Collections.Generic;
using System.Linq;

namespace CertCmdlets.Core.Pkcs12
{
    /// <summary>What a PFX file held, once read: the leaf certificates (one per private key, each with key and chain).</summary>
    public sealed class PfxContents
    {
        internal PfxContents(string source, IReadOnlyList<CertificateInfo> leaves, IReadOnlyList<CertificateInfo> certificates, string encryption, string integrity)
        {
            Source = source;
            Leaves = leaves;
            Certificates = certificates;
            Encryption = encryption;
            Integrity = integrity;
        }

        /// <summary>The file (or name) the contents were read from.</summary>
        public string Source { get; }

        /// <summary>The certificates whose private key the file holds, each carrying its key and chain (leaf to root).</summary>
        public IReadOnlyList<CertificateInfo> Leaves { get; }

        /// <summary>Every certificate in the file, in file order.</summary>
        public IReadOnlyList<CertificateInfo> Certificates { get; }

        /// <summary>How the file's parts were encrypted, e.g. "certificates: AES-256-CBC, PBKDF2-HMAC-SHA256, 2048 iterations".</summary>
        public string Encryption { get; }

        /// <summary>The file's integrity protection, e.g. "HMAC-SHA256, 2048 iterations", or "none".</summary>
        public string Integrity { get; }

        /// <summary>The leaves, or only the one with <paramref name="thumbprint"/> (spaces and colons ignored) when given.</summary>
        public IReadOnlyList<CertificateInfo> SelectLeaves(string? thumbprint)
        {
            if (thumbprint is null)
            {
                return Leaves;
            }

            string wanted = thumbprint.Replace(" ", string.Empty).Replace(":", string.Empty);
            List<CertificateInfo> selected = Leaves.Where(l => string.Equals(l.Thumbprint, wanted, StringComparison.OrdinalIgnoreCase)).ToList();
            if (selected.Count == 0)
            {
                throw Errors.PfxThumbprintNotFound(Source, thumbprint);
            }

            return selected;
        }

        /// <summary>The one leaf to write as files; several are ambiguous and name the choices.</summary>
        public CertificateInfo SingleLeaf(IReadOnlyList<CertificateInfo> leaves)
        {
            if (leaves.Count == 0)
            {
                throw Errors.PfxHasNoCertificate(Source);
            }

            if (leaves.Count != 1)
            {
                throw Errors.PfxSeveralLeaves(Source, string.Join(", ", leaves.Select(l => $"{l.Subject} {l.Thumbprint}")));
            }

            return leaves[0];
        }
    }
}
