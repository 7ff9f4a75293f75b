using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace CertCmdlets.Core.Chains
{
    /// <summary>How Join-CertChain builds chains.</summary>
    public sealed class ChainJoinOptions
    {
        /// <summary>Keep the self-signed root at the end of the chain (servers should not send it).</summary>
        public bool IncludeRoot { get; set; }

        /// <summary>Fetch missing issuers from the certificates' caIssuers URLs.</summary>
        public bool Download { get; set; }

        /// <summary>How long all downloads of one join may take together (every URL, redirect and round).</summary>
        public TimeSpan DownloadTimeout { get; set; } = TimeSpan.FromSeconds(10);

        /// <summary>
        /// Roots to trust instead of the system store (an internal CA's root): a chain that ends at one of them is
        /// complete, and the root is a candidate issuer. Null: the system store.
        /// </summary>
        public IReadOnlyList<CertificateInfo>? TrustedRoots { get; set; }
    }

    /// <summary>Finds the leaves among the certificates given and puts each one's chain in order.</summary>
    public static class ChainJoiner
    {
        private const int MaximumDownloadRounds = 5;

        /// <summary>
        /// One leaf object per end-entity certificate in <paramref name="inputs"/>, each with its chain (leaf's issuer
        /// first, root left out unless asked for), built from the inputs and <paramref name="intermediates"/>.
        /// Private keys and paths of the inputs travel with their leaf.
        /// </summary>
        public static IReadOnlyList<CertificateInfo> Join(IReadOnlyList<CertificateInfo> inputs, IReadOnlyList<CertificateInfo> intermediates, ChainJoinOptions options, ICoreLog log, CancellationToken cancellation)
        {
            var pool = new CertificatePool();
            var distinctInputs = new List<CertificateInfo>();
            foreach (CertificateInfo input in inputs)
            {
                if (pool.Add(input))
                {
                    distinctInputs.Add(input);
                }
                else
                {
                    log.Verbose($"Dropped a duplicate of '{input.Subject}' ({input.Thumbprint}).");
                }
            }

            // Certificates that came with an input (its Chain) are candidates too, as are the intermediates given.
            foreach (CertificateInfo candidate in distinctInputs.SelectMany(i => i.Chain).Concat(intermediates))
            {
                pool.Add(candidate);
            }

            List<CertificateInfo> leaves = FindLeaves(distinctInputs);
            var used = new HashSet<string>(StringComparer.Ordinal);
            var results = new List<CertificateInfo>();
            IReadOnlyList<CertificateInfo>? systemRoots = options.TrustedRoots;
            foreach (CertificateInfo root in options.TrustedRoots ?? Array.Empty<CertificateInfo>())
            {
                pool.Add(root);
            }

            var downloader = new IssuerDownloader(options.DownloadTimeout, log, cancellation);
            foreach (CertificateInfo leaf in leaves)
            {
                ChainPath path = ChainBuilder.Build(leaf, pool, null);
                for (int round = 0; options.Download && !path.IsComplete && round < MaximumDownloadRounds; round++)
                {
                    CertificateInfo last = path.Last(leaf);
                    List<CertificateInfo> downloaded = downloader.Download(last);
                    if (!downloaded.Select(pool.Add).ToList().Contains(true))
                    {
                        break;
                    }

                    path = ChainBuilder.Build(leaf, pool, null);
                }

                if (!path.IsComplete && !EndsAtSystemRoot(path.Last(leaf), ref systemRoots, log))
                {
                    CertificateInfo last = path.Last(leaf);
                    log.Warning($"The chain of '{leaf.Subject}' is incomplete: the issuer '{last.Issuer}' of '{last.Subject}' was not found."
                        + (options.Download ? " It could not be downloaded either." : " Add it with -IntermediatePath, or use -Download to fetch it from the certificate's issuer URL."));
                }

                List<CertificateInfo> chain = path.Issuers.Where(c => options.IncludeRoot || !(path.ReachesRoot && c == path.Issuers[path.Issuers.Count - 1])).ToList();
                used.Add(leaf.Thumbprint);
                foreach (CertificateInfo link in path.Issuers)
                {
                    used.Add(link.Thumbprint);
                }

                CertificateInfo result = leaf.Clone();
                result.Chain = chain.ToArray();
                log.Verbose($"Chain of '{leaf.Subject}': {string.Join(" -> ", chain.Select(c => $"'{c.Subject}'"))}{(path.ReachesRoot && !options.IncludeRoot ? " (root left out)" : string.Empty)}.");
                results.Add(result);
            }

            foreach (CertificateInfo input in distinctInputs.Where(i => !used.Contains(i.Thumbprint)))
            {
                log.Verbose($"Dropped '{input.Subject}' ({input.Thumbprint}): it is not in the chain of any leaf.");
            }

            return results;
        }

        /// <summary>
        /// A CA's answer usually leaves out its root, which clients have in their trust store: when the missing
        /// issuer is a root of this machine's store that signed the last certificate, the chain is complete for serving.
        /// </summary>
        private static bool EndsAtSystemRoot(CertificateInfo last, ref IReadOnlyList<CertificateInfo>? systemRoots, ICoreLog log)
        {
            systemRoots ??= SystemRoots.Load(log);
            CertificateInfo? root = systemRoots.FirstOrDefault(r => string.Equals(r.Subject, last.Issuer, StringComparison.OrdinalIgnoreCase) && CertificateFacts.IsSignedBy(last, r));
            if (root is not null)
            {
                log.Verbose($"'{last.Subject}' is issued by '{root.Subject}', a trusted root: the chain needs nothing more.");
            }

            return root is not null;
        }

        /// <summary>
        /// The leaves among <paramref name="certificates"/>: the ones no other certificate there names as its issuer,
        /// end entities among them (in their order), or, when all of those are CAs (a CA's own chain, an intermediate
        /// and its root), the first of them. A root never counts as a leaf because it comes later in a file: a version
        /// 1 root has no basic constraints, but it issued the others, so it is not one.
        /// </summary>
        public static List<CertificateInfo> FindLeaves(IReadOnlyList<CertificateInfo> certificates)
        {
            var issuerNames = new HashSet<string>(certificates.Where(c => !c.IsSelfIssued).Select(c => c.Issuer), StringComparer.OrdinalIgnoreCase);
            List<CertificateInfo> notIssuers = certificates.Where(c => !issuerNames.Contains(c.Subject)).ToList();
            List<CertificateInfo> endEntities = notIssuers.Where(c => !c.IsCertificateAuthority && !(c.IsSelfIssued && CertificateFacts.IsVersion1(c) && certificates.Count > 1)).ToList();
            if (endEntities.Count > 0)
            {
                return endEntities;
            }

            return (notIssuers.Count > 0 ? notIssuers : certificates).Take(1).ToList();
        }
    }
}
