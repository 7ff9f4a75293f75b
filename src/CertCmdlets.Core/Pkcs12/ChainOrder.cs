using System.Collections.Generic;

namespace CertCmdlets.Core.Pkcs12
{
    /// <summary>Orders the certificates that came with a leaf from leaf to root, by issuer name and key identifiers.</summary>
    internal static class ChainOrder
    {
        public static CertificateInfo[] Build(CertificateInfo leaf, IReadOnlyList<CertificateInfo> pool, ICoreLog log)
        {
            var chain = new List<CertificateInfo>();
            var used = new HashSet<string> { leaf.Thumbprint };
            CertificateInfo current = leaf;
            while (!current.IsSelfIssued)
            {
                CertificateInfo? issuer = FindIssuer(current, pool, used);
                if (issuer is null)
                {
                    break;
                }

                chain.Add(issuer);
                used.Add(issuer.Thumbprint);
                current = issuer;
            }

            foreach (CertificateInfo other in pool)
            {
                if (!used.Contains(other.Thumbprint))
                {
                    log.Verbose($"'{other.Subject}' is not in the chain of '{leaf.Subject}'; left out.");
                    used.Add(other.Thumbprint);
                }
            }

            return chain.ToArray();
        }

        private static CertificateInfo? FindIssuer(CertificateInfo child, IReadOnlyList<CertificateInfo> pool, HashSet<string> used)
        {
            byte[]? authorityKeyId = AuthorityKeyId(child);
            CertificateInfo? byName = null;
            foreach (CertificateInfo candidate in pool)
            {
                if (used.Contains(candidate.Thumbprint) || !candidate.Structure.Subject.Equivalent(child.Structure.Issuer))
                {
                    continue;
                }

                byte[]? subjectKeyId = SubjectKeyId(candidate);
                if (authorityKeyId is null || subjectKeyId is null)
                {
                    byName ??= candidate;
                }
                else if (Org.BouncyCastle.Utilities.Arrays.AreEqual(authorityKeyId, subjectKeyId))
                {
                    return candidate;
                }
            }

            return byName;
        }

        // Damaged key identifiers count as absent (the name decides), as in chain building.
        private static byte[]? AuthorityKeyId(CertificateInfo certificate) => Chains.CertificateFacts.AuthorityKeyId(certificate);

        private static byte[]? SubjectKeyId(CertificateInfo certificate) => Chains.CertificateFacts.SubjectKeyId(certificate);
    }
}
