using System;
using System.Collections.Generic;
using System.Linq;
using CertCmdlets.Core.Keys;
using CertCmdlets.Core.Pkcs12;

namespace CertCmdlets.Core.Inventory
{
    /// <summary>
    /// The certificate files of one directory, merged into the objects of the sites they serve. A server certificate
    /// found in several files of the directory (cert.pem, fullchain.pem) is one object naming each file: CertificatePath
    /// (the file that holds it alone, else the first), FullChainPath (the file that holds it followed by its chain),
    /// ChainPath (a file of CA certificates that is exactly its chain) and KeyPath (the unencrypted key file of the
    /// directory that matches it). CA files that are a server certificate's chain are part of it; other CA
    /// certificates are objects of their own. Only one directory is held at a time, so memory follows the largest
    /// directory, not the number of files.
    /// </summary>
    internal sealed class DirectoryGroup
    {
        private readonly List<(string Path, List<CertificateInfo> Certificates)> _files = new List<(string, List<CertificateInfo>)>();

        /// <summary>The order files came in: a directory's listing (ordinal), or the pipeline's order for files handed over in bulk.</summary>
        private readonly Dictionary<string, int> _arrival = new Dictionary<string, int>(StringComparer.Ordinal);
        private readonly List<string> _keyFiles = new List<string>();

        public DirectoryGroup(string directory)
        {
            Directory = directory;
        }

        /// <summary>The directory, as the files were named (not resolved).</summary>
        public string Directory { get; }

        public bool IsEmpty => _files.Count == 0 && _keyFiles.Count == 0;

        public void AddCertificates(string path, List<CertificateInfo> certificates)
        {
            _arrival[path] = _files.Count;
            _files.Add((path, certificates));
        }

        public void AddKeyFile(string path) => _keyFiles.Add(path);

        /// <summary>
        /// The merged objects, in the order the file each was first found in came in. The user's
        /// key (<see cref="InventoryOptions.Key"/>) is attached wherever it matches; <paramref name="keyMatched"/> says
        /// whether it matched anything.
        /// </summary>
        public List<CertificateInfo> Merge(InventoryOptions options, IInventorySink sink, out bool keyMatched)
        {
            keyMatched = false;
            var sites = new Dictionary<string, Site>(StringComparer.Ordinal);
            var order = new List<(string FirstPath, CertificateInfo Certificate)>();
            var authorityFiles = new List<(string Path, List<CertificateInfo> Certificates)>();

            foreach ((string path, List<CertificateInfo> certificates) in _files.OrderBy(f => f.Path, StringComparer.Ordinal))
            {
                if (certificates.All(c => c.IsCertificateAuthority))
                {
                    authorityFiles.Add((path, certificates));
                    continue;
                }

                foreach (CertificateInfo certificate in BundleGrouping.Group(certificates))
                {
                    if (certificate.IsCertificateAuthority)
                    {
                        // A CA certificate in a mixed file that is no server certificate's chain.
                        order.Add((path, certificate));
                        continue;
                    }

                    if (!sites.TryGetValue(certificate.Thumbprint, out Site? site))
                    {
                        site = new Site(certificate);
                        sites.Add(certificate.Thumbprint, site);
                        order.Add((path, certificate));
                    }

                    site.Add(path, certificate, alone: certificates.Count == 1);
                }
            }

            foreach ((string path, List<CertificateInfo> certificates) in authorityFiles)
            {
                bool isChainFile = false;
                foreach (Site site in sites.Values)
                {
                    isChainFile |= site.TakeChainFile(path, certificates);
                }

                if (!isChainFile)
                {
                    foreach (CertificateInfo certificate in BundleGrouping.Group(certificates))
                    {
                        order.Add((path, certificate));
                    }
                }
            }

            if (options.Key is not null)
            {
                // The key the user named goes wherever it matches, a CA certificate included (Import-CertFile ./ca/*.crt
                // -KeyPath ca.key must give a CA that can sign); keys found beside certificates go to server certificates only.
                foreach ((_, CertificateInfo certificate) in order)
                {
                    if (options.Key.Key.Matches(certificate.PublicKeyInfo))
                    {
                        certificate.PrivateKey = options.Key.Key;
                        certificate.KeyPath = options.Key.Path;
                        keyMatched = true;
                    }
                }
            }

            if (options.FindKeys)
            {
                AttachKeys(sites.Values.Where(s => s.Certificate.PrivateKey is null).ToList(), sink);
            }

            // Merging goes by file name (so cert.pem, not fullchain.pem, is the object of a site whatever the order); the
            // objects come out in the order their first file came in.
            return order.OrderBy(o => _arrival[o.FirstPath]).Select(o => o.Certificate).ToList();
        }

        private void AttachKeys(List<Site> withoutKey, IInventorySink sink)
        {
            foreach (string keyFile in _keyFiles.OrderBy(k => k, StringComparer.Ordinal))
            {
                if (withoutKey.Count == 0)
                {
                    return;
                }

                PrivateKey key;
                try
                {
                    key = PrivateKeyReader.ReadFile(keyFile, null);
                }
                catch (CertCmdletsException ex)
                {
                    sink.Skipped(keyFile, "its private key could not be read: " + ex.Message);
                    continue;
                }

                for (int i = withoutKey.Count - 1; i >= 0; i--)
                {
                    CertificateInfo certificate = withoutKey[i].Certificate;
                    if (key.Matches(certificate.PublicKeyInfo))
                    {
                        certificate.PrivateKey = key;
                        certificate.KeyPath = keyFile;
                        withoutKey.RemoveAt(i);
                    }
                }
            }
        }

        /// <summary>One server certificate of the directory and the files it was found in.</summary>
        private sealed class Site
        {
            private bool _certificatePathIsAlone;

            public Site(CertificateInfo certificate)
            {
                Certificate = certificate;
            }

            public CertificateInfo Certificate { get; }

            public void Add(string path, CertificateInfo found, bool alone)
            {
                if (!_certificatePathIsAlone && (alone || Certificate.CertificatePath is null || ReferenceEquals(found, Certificate)))
                {
                    Certificate.CertificatePath = path;
                    _certificatePathIsAlone = alone;
                }

                if (found.FullChainPath is not null && Certificate.FullChainPath is null)
                {
                    Certificate.FullChainPath = found.FullChainPath;
                }

                if (found.Chain.Length > Certificate.Chain.Length)
                {
                    Certificate.Chain = found.Chain;
                }
            }

            /// <summary>Takes a file of CA certificates as this certificate's chain file when it is exactly its chain.</summary>
            public bool TakeChainFile(string path, List<CertificateInfo> authorities)
            {
                // The chain the certificate already has, completed by the file (a root the full chain left out).
                CertificateInfo[] known = Certificate.Chain;
                var pool = new List<CertificateInfo>(known);
                pool.AddRange(authorities.Where(a => !known.Any(k => k.Thumbprint == a.Thumbprint)));
                CertificateInfo[] chain = ChainOrder.Build(Certificate, pool, NullCoreLog.Instance);
                var inChain = new HashSet<string>(chain.Select(c => c.Thumbprint), StringComparer.Ordinal);
                if (chain.Length == 0 || !authorities.All(a => inChain.Contains(a.Thumbprint)))
                {
                    return false;
                }

                if (chain.Length > known.Length)
                {
                    Certificate.Chain = chain;
                }

                Certificate.ChainPath ??= path;
                return true;
            }
        }
    }
}
