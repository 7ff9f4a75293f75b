using System;
using System.Collections.Generic;
using System.Linq;

namespace CertCmdlets.Core.Chains
{
    /// <summary>The path found from a leaf towards a root.</summary>
    internal sealed class ChainPath
    {
        public ChainPath(IReadOnlyList<CertificateInfo> issuers, bool reachesRoot, bool reachesAnchor)
        {
            Issuers = issuers;
            ReachesRoot = reachesRoot;
            ReachesAnchor = reachesAnchor;
        }

        /// <summary>The issuers, leaf's issuer first; the self-signed root last when it was found.</summary>
        public IReadOnlyList<CertificateInfo> Issuers { get; }

        /// <summary>True when the path ends in a self-signed certificate.</summary>
        public bool ReachesRoot { get; }

        /// <summary>True when the path ends in one of the trusted anchors given.</summary>
        public bool ReachesAnchor { get; }

        public bool IsComplete => ReachesRoot || ReachesAnchor;

        /// <summary>The last certificate of the path (the leaf itself when no issuer was found).</summary>
        public CertificateInfo Last(CertificateInfo leaf) => Issuers.Count == 0 ? leaf : Issuers[Issuers.Count - 1];
    }

    /// <summary>
    /// Builds the path leaf -> intermediates -> root by issuer name and key identifiers, checking each
    /// signature, so a cross-signed or renamed intermediate with the wrong key is never chosen. Among several
    /// good issuers it prefers the one that reaches a root or trusted anchor, then one valid today.
    /// </summary>
    internal static class ChainBuilder
    {
        private const int MaximumDepth = 8;

        public static ChainPath Build(CertificateInfo leaf, CertificatePool pool, ISet<string>? anchorThumbprints)
        {
            if (leaf.IsSelfIssued && CertificateFacts.IsSignedBy(leaf, leaf))
            {
                // A self-signed certificate is its own root: nothing is missing, it is trusted only if it is an anchor.
                return new ChainPath(Array.Empty<CertificateInfo>(), true, anchorThumbprints?.Contains(leaf.Thumbprint) == true);
            }

            List<CertificateInfo>? best = null;
            var path = new List<CertificateInfo>();
            bool complete = false;
            if (anchorThumbprints is not null && anchorThumbprints.Count > 0)
            {
                // First look for a path to a trusted anchor (through a cross-certificate if need be), and only then
                // accept any self-signed root.
                complete = Search(leaf, pool, anchorThumbprints, requireAnchor: true, path, new HashSet<string>(StringComparer.Ordinal) { leaf.Thumbprint }, ref best);
            }

            if (!complete)
            {
                path.Clear();
                complete = Search(leaf, pool, anchorThumbprints, requireAnchor: false, path, new HashSet<string>(StringComparer.Ordinal) { leaf.Thumbprint }, ref best);
            }

            List<CertificateInfo> result = complete ? path : best ?? new List<CertificateInfo>();
            CertificateInfo last = result.Count == 0 ? leaf : result[result.Count - 1];
            bool reachesAnchor = anchorThumbprints is not null && result.Any(c => anchorThumbprints.Contains(c.Thumbprint));
            bool reachesRoot = last != leaf && last.IsSelfIssued && CertificateFacts.IsSignedBy(last, last);
            return new ChainPath(result, reachesRoot, reachesAnchor);
        }

        private static bool Search(CertificateInfo current, CertificatePool pool, ISet<string>? anchors, bool requireAnchor, List<CertificateInfo> path, HashSet<string> visited, ref List<CertificateInfo>? best)
        {
            if (best is null || path.Count > best.Count)
            {
                best = new List<CertificateInfo>(path);
            }

            if (anchors is not null && anchors.Contains(current.Thumbprint) && path.Count > 0)
            {
                return true;
            }

            if (current.IsSelfIssued && path.Count > 0)
            {
                return !requireAnchor;
            }

            if (path.Count >= MaximumDepth)
            {
                return false;
            }

            foreach (CertificateInfo candidate in Candidates(current, pool, visited))
            {
                path.Add(candidate);
                visited.Add(candidate.Thumbprint);
                if (Search(candidate, pool, anchors, requireAnchor, path, visited, ref best))
                {
                    return true;
                }

                path.RemoveAt(path.Count - 1);
                visited.Remove(candidate.Thumbprint);
            }

            return false;
        }

        /// <summary>Issuers that really signed <paramref name="child"/>, best first.</summary>
        private static IEnumerable<CertificateInfo> Candidates(CertificateInfo child, CertificatePool pool, HashSet<string> visited)
        {
            IReadOnlyList<CertificateInfo> named = pool.NamedIssuersOf(child);
            if (named.Count == 0)
            {
                return Array.Empty<CertificateInfo>();
            }

            byte[]? authorityKeyId = CertificateFacts.AuthorityKeyId(child);
            DateTime now = DateTime.Now;
            return named
                .Where(c => !visited.Contains(c.Thumbprint))
                .Where(c => authorityKeyId is null || CertificateFacts.SubjectKeyId(c) is not byte[] ski || Org.BouncyCastle.Utilities.Arrays.AreEqual(ski, authorityKeyId))
                .Where(c => CertificateFacts.IsSignedBy(child, c))
                .OrderByDescending(c => c.NotBefore <= now && now <= c.NotAfter)
                .ThenByDescending(c => c.IsSelfIssued)
                .ThenByDescending(c => c.NotAfter)
                .ToList();
        }
    }
}
