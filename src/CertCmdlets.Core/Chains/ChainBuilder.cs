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
    /// <remarks>
    /// Bounded for hostile pools (thousands of certificates with the same name): at most
    /// <see cref="MaximumCandidatesPerCertificate"/> certificates with the issuer's name are tried for one certificate
    /// (those whose key identifier matches first), and one path search verifies at most
    /// <see cref="MaximumSignatureChecks"/> signatures; past that the best path found so far is the answer. Real
    /// chains need a handful (a cross-signed intermediate: two candidates).
    /// </remarks>
    internal static class ChainBuilder
    {
        /// <summary>How many certificates with the issuer's name are tried for one certificate of the path.</summary>
        public const int MaximumCandidatesPerCertificate = 16;

        /// <summary>How many signatures one path search may verify.</summary>
        public const int MaximumSignatureChecks = 256;

        private const int MaximumDepth = 8;

        public static ChainPath Build(CertificateInfo leaf, CertificatePool pool, ISet<string>? anchorThumbprints)
        {
            if (leaf.IsSelfIssued && pool.IsSignedBy(leaf, leaf))
            {
                // A self-signed certificate is its own root: nothing is missing, it is trusted only if it is an anchor.
                return new ChainPath(Array.Empty<CertificateInfo>(), true, anchorThumbprints?.Contains(leaf.Thumbprint) == true);
            }

            var search = new Search(pool, anchorThumbprints);
            List<CertificateInfo>? complete = null;
            if (anchorThumbprints is not null && anchorThumbprints.Count > 0)
            {
                // First look for a path to a trusted anchor (through a cross-certificate if need be), and only then
                // accept any self-signed root.
                complete = search.Run(leaf, requireAnchor: true);
            }

            complete ??= search.Run(leaf, requireAnchor: false);
            List<CertificateInfo> result = complete ?? search.Best;
            CertificateInfo last = result.Count == 0 ? leaf : result[result.Count - 1];
            bool reachesAnchor = anchorThumbprints is not null && result.Any(c => anchorThumbprints.Contains(c.Thumbprint));
            bool reachesRoot = last != leaf && last.IsSelfIssued && pool.IsSignedBy(last, last);
            return new ChainPath(result, reachesRoot, reachesAnchor);
        }

        /// <summary>One depth-first search for a path, with its budget of signature checks.</summary>
        private sealed class Search
        {
            private readonly CertificatePool _pool;
            private readonly ISet<string>? _anchors;
            private readonly List<CertificateInfo> _path = new List<CertificateInfo>();
            private readonly HashSet<string> _visited = new HashSet<string>(StringComparer.Ordinal);
            private readonly DateTime _now = DateTime.Now;
            private int _checks;

            public Search(CertificatePool pool, ISet<string>? anchors)
            {
                _pool = pool;
                _anchors = anchors;
            }

            /// <summary>The longest path seen, for an incomplete chain.</summary>
            public List<CertificateInfo> Best { get; private set; } = new List<CertificateInfo>();

            /// <summary>A complete path, or null.</summary>
            public List<CertificateInfo>? Run(CertificateInfo leaf, bool requireAnchor)
            {
                _path.Clear();
                _visited.Clear();
                _visited.Add(leaf.Thumbprint);
                return Extend(leaf, requireAnchor) ? new List<CertificateInfo>(_path) : null;
            }

            private bool Extend(CertificateInfo current, bool requireAnchor)
            {
                if (_path.Count > Best.Count)
                {
                    Best = new List<CertificateInfo>(_path);
                }

                if (_anchors is not null && _anchors.Contains(current.Thumbprint) && _path.Count > 0)
                {
                    return true;
                }

                if (current.IsSelfIssued && _path.Count > 0)
                {
                    return !requireAnchor;
                }

                if (_path.Count >= MaximumDepth)
                {
                    return false;
                }

                int tried = 0;
                foreach (IReadOnlyList<CertificateInfo> group in _pool.CandidateIssuerGroupsOf(current))
                {
                    foreach (CertificateInfo candidate in Signers(current, group, ref tried))
                    {
                        _path.Add(candidate);
                        _visited.Add(candidate.Thumbprint);
                        if (Extend(candidate, requireAnchor))
                        {
                            return true;
                        }

                        _path.RemoveAt(_path.Count - 1);
                        _visited.Remove(candidate.Thumbprint);
                    }
                }

                return false;
            }

            /// <summary>The certificates of <paramref name="group"/> that really signed <paramref name="child"/>, best first, within the caps.</summary>
            private List<CertificateInfo> Signers(CertificateInfo child, IReadOnlyList<CertificateInfo> group, ref int tried)
            {
                var signers = new List<CertificateInfo>();
                foreach (CertificateInfo candidate in group)
                {
                    if (_visited.Contains(candidate.Thumbprint))
                    {
                        continue;
                    }

                    if (tried++ >= MaximumCandidatesPerCertificate || _checks >= MaximumSignatureChecks)
                    {
                        break;
                    }

                    _checks++;
                    if (_pool.IsSignedBy(child, candidate))
                    {
                        signers.Add(candidate);
                    }
                }

                return signers
                    .OrderByDescending(c => c.NotBefore <= _now && _now <= c.NotAfter)
                    .ThenByDescending(c => c.IsSelfIssued)
                    .ThenByDescending(c => c.NotAfter)
                    .ToList();
            }
        }
    }
}
