using System;
using System.Collections.Generic;

namespace CertCmdlets.Core.Chains
{
    /// <summary>
    /// Candidate issuers indexed by subject name, so finding a certificate's issuer among thousands (a CA
    /// bundle) is a dictionary look-up, not a scan: building a chain stays linear in the pool size.
    /// </summary>
    internal sealed class CertificatePool
    {
        private readonly Dictionary<string, List<CertificateInfo>> _bySubject = new Dictionary<string, List<CertificateInfo>>(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> _thumbprints = new HashSet<string>(StringComparer.Ordinal);

        public int Count => _thumbprints.Count;

        /// <summary>Adds a certificate; false when the same certificate (by thumbprint) is already there.</summary>
        public bool Add(CertificateInfo certificate)
        {
            if (!_thumbprints.Add(certificate.Thumbprint))
            {
                return false;
            }

            if (!_bySubject.TryGetValue(certificate.Subject, out List<CertificateInfo>? list))
            {
                list = new List<CertificateInfo>(1);
                _bySubject.Add(certificate.Subject, list);
            }

            list.Add(certificate);
            return true;
        }

        public bool Contains(CertificateInfo certificate) => _thumbprints.Contains(certificate.Thumbprint);

        /// <summary>The certificates whose subject is <paramref name="child"/>'s issuer name.</summary>
        public IReadOnlyList<CertificateInfo> NamedIssuersOf(CertificateInfo child) =>
            _bySubject.TryGetValue(child.Issuer, out List<CertificateInfo>? list) ? list : (IReadOnlyList<CertificateInfo>)Array.Empty<CertificateInfo>();
    }
}
