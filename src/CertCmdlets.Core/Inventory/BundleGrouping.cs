using System;
using System.Collections.Generic;
using System.Linq;
using CertCmdlets.Core.Pkcs12;

namespace CertCmdlets.Core.Inventory
{
    /// <summary>
    /// Turns the certificates of one file into the objects a user means. Every certificate that is not a CA (a
    /// server's certificate) becomes one object carrying, as its Chain, the CA certificates of the same file that
    /// lead to its root; CA certificates that are no such certificate's chain (a CA bundle, unrelated certificates)
    /// become one object each. So a fullchain.pem gives one object, and ca-certificates.crt one per CA.
    /// </summary>
    public static class BundleGrouping
    {
        /// <summary>
        /// The objects for <paramref name="certificates"/> (one file's, in file order), in the order of the file. A file
        /// whose first certificate is a server certificate followed by exactly its chain is also its FullChainPath.
        /// </summary>
        public static List<CertificateInfo> Group(IReadOnlyList<CertificateInfo> certificates)
        {
            var result = new List<CertificateInfo>(certificates.Count);
            if (certificates.Count <= 1)
            {
                result.AddRange(certificates);
                return result;
            }

            List<CertificateInfo> authorities = certificates.Where(c => c.IsCertificateAuthority).ToList();
            var consumed = new HashSet<string>(StringComparer.Ordinal);
            var chains = new Dictionary<CertificateInfo, CertificateInfo[]>();
            foreach (CertificateInfo certificate in certificates)
            {
                if (!certificate.IsCertificateAuthority)
                {
                    CertificateInfo[] chain = authorities.Count == 0 ? Array.Empty<CertificateInfo>() : ChainOrder.Build(certificate, authorities, NullCoreLog.Instance);
                    chains[certificate] = chain;
                    foreach (CertificateInfo link in chain)
                    {
                        consumed.Add(link.Thumbprint);
                    }
                }
            }

            var emitted = new HashSet<string>(StringComparer.Ordinal);
            foreach (CertificateInfo certificate in certificates)
            {
                if (!emitted.Add(certificate.Thumbprint))
                {
                    // The same certificate twice in one file is one certificate.
                    continue;
                }

                if (chains.TryGetValue(certificate, out CertificateInfo[]? chain))
                {
                    certificate.Chain = chain;
                    if (certificate.CertificatePath is not null && ReferenceEquals(certificates[0], certificate) && chain.Length == certificates.Count - 1 && chain.Length > 0)
                    {
                        certificate.FullChainPath = certificate.CertificatePath;
                    }

                    result.Add(certificate);
                }
                else if (!consumed.Contains(certificate.Thumbprint))
                {
                    result.Add(certificate);
                }
            }

            return result;
        }

        /// <summary>
        /// The one certificate a file names: its server certificate (with its chain), or its only certificate. A file
        /// whose certificates stand apart (a CA bundle, several server certificates) names none: CertificateAmbiguous.
        /// </summary>
        public static CertificateInfo Single(IReadOnlyList<CertificateInfo> certificates, string source)
        {
            List<CertificateInfo> objects = Group(certificates);
            if (objects.Count == 1)
            {
                return objects[0];
            }

            string subjects = string.Join("; ", objects.Take(3).Select(c => c.Subject)) + (objects.Count > 3 ? "; ..." : string.Empty);
            throw Errors.FileHoldsSeveralCertificates(source, objects.Count, subjects);
        }
    }
}
