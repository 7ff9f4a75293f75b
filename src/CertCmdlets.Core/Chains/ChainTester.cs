using System;
using System.Collections.Generic;
using System.Linq;
using CertCmdlets.Core.Naming;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;

namespace CertCmdlets.Core.Chains
{
    /// <summary>
    /// Checks a leaf and its chain the way a client would, and says in words what is wrong: incomplete or
    /// untrusted path, bad signatures, validity, weak algorithms, key usage and serverAuth, name constraints,
    /// and host-name coverage.
    /// </summary>
    public static class ChainTester
    {
        private const int ExpiryWarningDays = 30;

        /// <summary>
        /// Tests <paramref name="leaf"/> with the certificates in <paramref name="candidates"/> (its own Chain is used
        /// too). <paramref name="trustedRoots"/> are the anchors: -TrustedRootPath, or the system store.
        /// </summary>
        public static ChainTestResult Test(CertificateInfo leaf, IReadOnlyList<CertificateInfo> candidates, IReadOnlyList<CertificateInfo> trustedRoots, string? dnsName)
        {
            var pool = new CertificatePool();
            foreach (CertificateInfo certificate in leaf.Chain.Concat(candidates).Concat(trustedRoots))
            {
                if (certificate.Thumbprint != leaf.Thumbprint)
                {
                    pool.Add(certificate);
                }
            }

            return Test(leaf, pool, Anchors(trustedRoots), dnsName);
        }

        /// <summary>
        /// Tests every leaf of a file's certificates (a full chain, a bundle): the certificates no other one in the file
        /// names as issuer, end entities first (see <see cref="ChainJoiner.FindLeaves"/>). The certificates are indexed
        /// once and each signature is checked once for all leaves, so a bundle of 100,000 costs 100 times one of 1,000.
        /// </summary>
        public static IReadOnlyList<ChainTestResult> TestAll(IReadOnlyList<CertificateInfo> certificates, IReadOnlyList<CertificateInfo> trustedRoots, string? dnsName)
        {
            var pool = new CertificatePool();
            foreach (CertificateInfo certificate in certificates.Concat(trustedRoots))
            {
                pool.Add(certificate);
            }

            ISet<string> anchors = Anchors(trustedRoots);
            return ChainJoiner.FindLeaves(certificates).Select(leaf => Test(leaf, pool, anchors, dnsName)).ToList();
        }

        private static ISet<string> Anchors(IReadOnlyList<CertificateInfo> trustedRoots) =>
            new HashSet<string>(trustedRoots.Select(r => r.Thumbprint), StringComparer.Ordinal);

        private static ChainTestResult Test(CertificateInfo leaf, CertificatePool pool, ISet<string> anchors, string? dnsName)
        {
            var problems = new List<string>();
            ChainPath path = ChainBuilder.Build(leaf, pool, anchors);
            CertificateInfo last = path.Last(leaf);
            if (!path.IsComplete)
            {
                CertificateInfo? impostor = pool.NamedIssuersOf(last).FirstOrDefault(c => c.Thumbprint != last.Thumbprint);
                problems.Add(impostor is not null
                    ? $"The chain is broken: '{impostor.Subject}' ({impostor.Thumbprint}) has the name of the issuer of '{last.Subject}', but its key does not verify that certificate's signature. It is the wrong intermediate (another key or a reissued CA); get the one that signed the certificate."
                    : $"The chain is incomplete: the issuer '{last.Issuer}' of '{last.Subject}' was not found. Install the intermediate certificate(s) (Join-CertChain).");
            }
            else if (!path.ReachesAnchor)
            {
                problems.Add($"The chain ends at '{last.Subject}', which is not a trusted root here.");
            }

            CheckGivenOrder(leaf, path, pool, problems);
            var all = new List<CertificateInfo> { leaf };
            all.AddRange(path.Issuers);
            DateTime now = DateTime.Now;
            for (int i = 0; i < all.Count; i++)
            {
                CertificateInfo certificate = all[i];
                bool isLeaf = i == 0;
                bool isRoot = i == all.Count - 1 && i > 0 && certificate.IsSelfIssued;
                if (certificate.NotAfter < now)
                {
                    problems.Add($"'{certificate.Subject}' expired on {certificate.NotAfter:yyyy-MM-dd}.");
                }
                else if (certificate.NotBefore > now)
                {
                    problems.Add($"'{certificate.Subject}' is not valid before {certificate.NotBefore:yyyy-MM-dd HH:mm}.");
                }
                else if (isLeaf && certificate.DaysRemaining < ExpiryWarningDays)
                {
                    problems.Add($"'{certificate.Subject}' expires in {certificate.DaysRemaining} day(s), on {certificate.NotAfter:yyyy-MM-dd}: renew it.");
                }

                if (!isRoot && IsWeakSignature(certificate.SignatureAlgorithm))
                {
                    problems.Add($"'{certificate.Subject}' is signed with {certificate.SignatureAlgorithm}, which clients reject. Reissue it with SHA-256 or better.");
                }

                if (IsWeakKey(certificate.KeyAlgorithm))
                {
                    problems.Add($"'{certificate.Subject}' has a weak key ({certificate.KeyAlgorithm}).");
                }

                foreach (string damage in CertificateFacts.DamagedExtensions(certificate))
                {
                    problems.Add($"'{certificate.Subject}' has {damage}; clients reject it (openssl: invalid or inconsistent certificate extension).");
                }

                if (!isLeaf)
                {
                    CheckCertificateAuthority(certificate, i - 1, anchors.Contains(certificate.Thumbprint), problems);
                    CheckNameConstraints(certificate, leaf, problems);
                }
            }

            CheckServerUsage(leaf, problems);

            bool? namesMatch = null;
            if (dnsName is not null)
            {
                namesMatch = HostNameMatcher.Covers(leaf, dnsName);
                if (!namesMatch.Value)
                {
                    string names = string.Join(", ", leaf.DnsNames.Select(WithUnicode).Concat(leaf.IpAddresses));
                    problems.Add($"'{leaf.Subject}' does not cover '{dnsName}'; it covers: {(names.Length == 0 ? "no names (no subject alternative names)" : names)}.");
                }
            }

            return new ChainTestResult(leaf, path.Issuers.Select(c => c.Subject).ToArray(), path.IsComplete, path.ReachesAnchor, namesMatch, dnsName, problems.ToArray());
        }

        private static void CheckGivenOrder(CertificateInfo leaf, ChainPath path, CertificatePool pool, List<string> problems)
        {
            CertificateInfo[] given = leaf.Chain;
            if (given.Length == 0)
            {
                return;
            }

            var previous = leaf;
            foreach (CertificateInfo next in given)
            {
                if (!pool.IsSignedBy(previous, next))
                {
                    bool inPath = path.Issuers.Any(c => c.Thumbprint == next.Thumbprint);
                    problems.Add(inPath
                        ? $"The chain that came with the certificate is out of order: '{next.Subject}' did not sign '{previous.Subject}'. Use Join-CertChain to order it."
                        : $"The chain that came with the certificate holds '{next.Subject}', which is not part of its path.");
                    return;
                }

                previous = next;
            }
        }

        private static void CheckCertificateAuthority(CertificateInfo issuer, int certificatesBelow, bool isAnchor, List<string> problems)
        {
            // A version 1 certificate has no extensions, so no basic constraints: as a trust anchor (old roots still in
            // stores) it is a CA, as openssl treats it; as an intermediate it is not.
            if (!issuer.IsCertificateAuthority && !(isAnchor && CertificateFacts.IsVersion1(issuer)))
            {
                problems.Add($"'{issuer.Subject}' issued a certificate but is not marked as a CA (basic constraints).");
            }

            int? usage = CertificateFacts.KeyUsageBits(issuer);
            if (usage is not null && (usage.Value & KeyUsage.KeyCertSign) == 0)
            {
                problems.Add($"'{issuer.Subject}' may not sign certificates (its key usage lacks keyCertSign).");
            }

            int? pathLength = CertificateFacts.PathLength(issuer);
            int intermediatesBelow = certificatesBelow;
            if (pathLength is not null && intermediatesBelow > pathLength.Value)
            {
                problems.Add($"'{issuer.Subject}' allows {pathLength} intermediate(s) below it (path length), but the chain has {intermediatesBelow}.");
            }
        }

        private static void CheckServerUsage(CertificateInfo leaf, List<string> problems)
        {
            List<DerObjectIdentifier>? usages = CertificateFacts.ExtendedKeyUsages(leaf);
            if (usages is not null && !usages.Any(u => u.Equals(KeyPurposeID.id_kp_serverAuth) || u.Equals(KeyPurposeID.AnyExtendedKeyUsage)))
            {
                problems.Add($"'{leaf.Subject}' is not for TLS servers: its extended key usage lacks serverAuth.");
            }

            int? usage = CertificateFacts.KeyUsageBits(leaf);
            if (usage is not null && (usage.Value & (KeyUsage.DigitalSignature | KeyUsage.KeyEncipherment | KeyUsage.KeyAgreement)) == 0)
            {
                problems.Add($"'{leaf.Subject}' has a key usage that allows no TLS handshake (neither digitalSignature nor keyEncipherment).");
            }

            if (leaf.IsCertificateAuthority)
            {
                problems.Add($"'{leaf.Subject}' is a CA certificate, not a server certificate.");
            }
        }

        private static void CheckNameConstraints(CertificateInfo issuer, CertificateInfo leaf, List<string> problems)
        {
            NameConstraints? constraints = CertificateFacts.NameConstraintsOf(issuer);
            if (constraints is null)
            {
                return;
            }

            List<string> permitted = DnsSubtrees(constraints.PermittedSubtreesValue);
            List<string> excluded = DnsSubtrees(constraints.ExcludedSubtreesValue);
            foreach (string name in leaf.DnsNames)
            {
                string host = name.StartsWith("*.", StringComparison.Ordinal) ? name.Substring(2) : name;
                if (permitted.Count > 0 && !permitted.Any(p => InSubtree(host, p)))
                {
                    problems.Add($"'{name}' is outside the names '{issuer.Subject}' may certify ({string.Join(", ", permitted)}).");
                }

                if (excluded.Any(e => InSubtree(host, e)))
                {
                    problems.Add($"'{name}' is a name '{issuer.Subject}' is forbidden to certify.");
                }
            }
        }

        private static List<string> DnsSubtrees(GeneralSubtrees? subtrees)
        {
            var names = new List<string>();
            if (subtrees is null)
            {
                return names;
            }

            foreach (GeneralSubtree subtree in subtrees.GetElements())
            {
                GeneralName name = subtree.Base;
                if (name.TagNo == GeneralName.DnsName)
                {
                    names.Add(IdnNames.Display(name.Name).TrimStart('.').ToLowerInvariant());
                }
            }

            return names;
        }

        private static bool InSubtree(string host, string subtree) =>
            string.Equals(host, subtree, StringComparison.OrdinalIgnoreCase) || host.EndsWith("." + subtree, StringComparison.OrdinalIgnoreCase);

        private static bool IsWeakSignature(string algorithm) =>
            algorithm.StartsWith("md", StringComparison.OrdinalIgnoreCase) || algorithm.StartsWith("sha1", StringComparison.OrdinalIgnoreCase);

        /// <summary>An A-label name with its Unicode form beside it, so a reader recognises "xn--bcher-kva.de (bücher.de)".</summary>
        private static string WithUnicode(string name)
        {
            string unicode = IdnNames.Unicode(name);
            return unicode == name ? name : $"{name} ({unicode})";
        }

        private static bool IsWeakKey(string keyAlgorithm)
        {
            string? bits = keyAlgorithm.StartsWith("RSA ", StringComparison.Ordinal) ? keyAlgorithm.Substring(4)
                : keyAlgorithm.StartsWith("RSA-PSS ", StringComparison.Ordinal) ? keyAlgorithm.Substring(8)
                : null;
            return (bits is not null && int.TryParse(bits, out int size) && size < 2048) || keyAlgorithm == "DSA";
        }
    }
}
