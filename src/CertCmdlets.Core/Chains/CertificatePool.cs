using System;
using System.Collections.Generic;
using CertCmdlets.Core.Certificates;

namespace CertCmdlets.Core.Chains
{
    /// <summary>
    /// Candidate issuers indexed by subject name and subject key identifier, so finding a certificate's issuer among
    /// thousands (a CA bundle) is a dictionary look-up, not a scan, and remembers every signature it checked, so each
    /// (certificate, issuer) signature is verified at most once however many leaves share the pool: building and
    /// testing the chains of a whole bundle stays linear in its size.
    /// </summary>
    internal sealed class CertificatePool
    {
        private readonly Dictionary<string, SubjectEntry> _bySubject = new Dictionary<string, SubjectEntry>(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> _thumbprints = new HashSet<string>(StringComparer.Ordinal);
        private readonly Dictionary<SignaturePair, bool> _signatures = new Dictionary<SignaturePair, bool>();

        public int Count => _thumbprints.Count;

        /// <summary>How many signatures were really verified (not answered from memory); for tests and benchmarks.</summary>
        public int SignaturesVerified { get; private set; }

        /// <summary>Adds a certificate; false when the same certificate (by thumbprint) is already there.</summary>
        public bool Add(CertificateInfo certificate)
        {
            if (!_thumbprints.Add(certificate.Thumbprint))
            {
                return false;
            }

            if (!_bySubject.TryGetValue(certificate.Subject, out SubjectEntry? entry))
            {
                entry = new SubjectEntry();
                _bySubject.Add(certificate.Subject, entry);
            }

            entry.Add(certificate);
            return true;
        }

        public bool Contains(CertificateInfo certificate) => _thumbprints.Contains(certificate.Thumbprint);

        /// <summary>The certificates whose subject is <paramref name="child"/>'s issuer name.</summary>
        public IReadOnlyList<CertificateInfo> NamedIssuersOf(CertificateInfo child) =>
            _bySubject.TryGetValue(child.Issuer, out SubjectEntry? entry) ? entry.All : (IReadOnlyList<CertificateInfo>)Array.Empty<CertificateInfo>();

        /// <summary>
        /// The certificates that may have issued <paramref name="child"/>, in groups to try in turn: named as its issuer,
        /// and, when the child names its issuer's key (authority key identifier), first those with that key identifier,
        /// then those with none (which cannot contradict it); those with another key identifier are left out. A later
        /// group is only looked at when no path was found through an earlier one, so impostors without key identifiers
        /// cost nothing while the real issuer is there.
        /// </summary>
        public IEnumerable<IReadOnlyList<CertificateInfo>> CandidateIssuerGroupsOf(CertificateInfo child)
        {
            if (!_bySubject.TryGetValue(child.Issuer, out SubjectEntry? entry))
            {
                yield break;
            }

            byte[]? authorityKeyId = CertificateFacts.AuthorityKeyId(child);
            if (authorityKeyId is null)
            {
                yield return entry.All;
                yield break;
            }

            IReadOnlyList<CertificateInfo> matching = entry.WithKeyId(Hex.Upper(authorityKeyId));
            if (matching.Count > 0)
            {
                yield return matching;
            }

            if (entry.WithoutKeyId.Count > 0)
            {
                yield return entry.WithoutKeyId;
            }
        }

        /// <summary>True when <paramref name="issuer"/>'s key verifies <paramref name="child"/>'s signature; each pair is checked once.</summary>
        public bool IsSignedBy(CertificateInfo child, CertificateInfo issuer)
        {
            var pair = new SignaturePair(child.Thumbprint, issuer.Thumbprint);
            if (!_signatures.TryGetValue(pair, out bool signed))
            {
                signed = CertificateFacts.IsSignedBy(child, issuer);
                SignaturesVerified++;
                _signatures.Add(pair, signed);
            }

            return signed;
        }

        private readonly struct SignaturePair : IEquatable<SignaturePair>
        {
            private readonly string _child;
            private readonly string _issuer;

            public SignaturePair(string child, string issuer)
            {
                _child = child;
                _issuer = issuer;
            }

            public bool Equals(SignaturePair other) => string.Equals(_child, other._child, StringComparison.Ordinal) && string.Equals(_issuer, other._issuer, StringComparison.Ordinal);

            public override bool Equals(object? obj) => obj is SignaturePair other && Equals(other);

            public override int GetHashCode() => unchecked((StringComparer.Ordinal.GetHashCode(_child) * 397) ^ StringComparer.Ordinal.GetHashCode(_issuer));
        }

        /// <summary>The certificates of one subject name, also by their subject key identifier (read once, when added).</summary>
        private sealed class SubjectEntry
        {
            private readonly Dictionary<string, List<CertificateInfo>> _byKeyId = new Dictionary<string, List<CertificateInfo>>(StringComparer.Ordinal);
            private readonly List<CertificateInfo> _withoutKeyId = new List<CertificateInfo>();

            public List<CertificateInfo> All { get; } = new List<CertificateInfo>(1);

            public void Add(CertificateInfo certificate)
            {
                All.Add(certificate);
                byte[]? keyId = CertificateFacts.SubjectKeyId(certificate);
                if (keyId is null)
                {
                    _withoutKeyId.Add(certificate);
                    return;
                }

                string key = Hex.Upper(keyId);
                if (!_byKeyId.TryGetValue(key, out List<CertificateInfo>? list))
                {
                    list = new List<CertificateInfo>(1);
                    _byKeyId.Add(key, list);
                }

                list.Add(certificate);
            }

            public IReadOnlyList<CertificateInfo> WithoutKeyId => _withoutKeyId;

            public IReadOnlyList<CertificateInfo> WithKeyId(string keyId) =>
                _byKeyId.TryGetValue(keyId, out List<CertificateInfo>? matching) ? matching : (IReadOnlyList<CertificateInfo>)Array.Empty<CertificateInfo>();
        }
    }
}
