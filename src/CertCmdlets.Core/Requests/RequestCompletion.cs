using System;
using System.Collections.Generic;
using System.Linq;
using CertCmdlets.Core.Chains;
using CertCmdlets.Core.Naming;
using Org.BouncyCastle.Pkcs;

namespace CertCmdlets.Core.Requests
{
    /// <summary>
    /// The step after a CA has signed: checks that the certificate it sent back belongs to the request (same
    /// public key) and covers every requested name, puts the intermediates that came with it in order, and
    /// attaches the request's key.
    /// </summary>
    public static class RequestCompletion
    {
        /// <summary>
        /// Completes <paramref name="request"/> with the certificates a CA returned (<paramref name="returned"/>, in any
        /// order, with intermediates) and optional extra intermediates. <paramref name="key"/> overrides the request's key.
        /// </summary>
        public static CertificateInfo Complete(CertificateRequestInfo request, IReadOnlyList<CertificateInfo> returned, IReadOnlyList<CertificateInfo> intermediates, PrivateKeyFile? key, string source, ICoreLog log) =>
            Complete(request, returned, intermediates, new ChainJoinOptions(), key, source, log, default);

        /// <summary>As above, with the chain options (trusted roots, downloads of missing issuers) and Ctrl+C.</summary>
        public static CertificateInfo Complete(CertificateRequestInfo request, IReadOnlyList<CertificateInfo> returned, IReadOnlyList<CertificateInfo> intermediates, ChainJoinOptions chainOptions, PrivateKeyFile? key, string source, ICoreLog log, System.Threading.CancellationToken cancellation)
        {
            byte[] requestKey = new Pkcs10CertificationRequest(request.RawData).GetCertificationRequestInfo().SubjectPublicKeyInfo.GetDerEncoded();
            CertificateInfo? leaf = returned.FirstOrDefault(c => Org.BouncyCastle.Utilities.Arrays.AreEqual(c.PublicKeyInfo.GetDerEncoded(), requestKey));
            if (leaf is null)
            {
                string held = string.Join("; ", returned.Where(c => !c.IsCertificateAuthority).DefaultIfEmpty(returned[0]).Select(c => $"'{c.Subject}' ({c.KeyAlgorithm}, another key)"));
                throw Errors.CertificateRequestMismatch(source, $"the request '{request.Subject}' has its own {request.KeyAlgorithm} key, and the file holds {held}.");
            }

            var missing = new List<string>();
            foreach (string name in request.DnsNames.Concat(request.IpAddresses))
            {
                if (!HostNameMatcher.Covers(leaf, name))
                {
                    missing.Add(name);
                }
            }

            if (missing.Count > 0)
            {
                string covered = string.Join(", ", leaf.DnsNames.Concat(leaf.IpAddresses));
                throw Errors.CertificateNamesMismatch(source, string.Join(", ", missing), covered.Length == 0 ? "no names" : covered);
            }

            var inputs = new List<CertificateInfo> { leaf };
            inputs.AddRange(returned.Where(c => c != leaf));
            CertificateInfo completed = ChainJoiner.Join(inputs, intermediates, chainOptions, log, cancellation).First(c => c.Thumbprint == leaf.Thumbprint);

            if (key is not null)
            {
                key.AttachTo(new[] { completed }, source);
            }
            else if (request.PrivateKey is not null)
            {
                completed.PrivateKey = request.PrivateKey;
                completed.KeyPath = request.KeyPath;
            }
            else
            {
                log.Warning($"No private key came with the request '{request.Subject}': give -KeyPath to attach it, or the result cannot be installed.");
            }

            completed.CertificatePath = returned.Count > 0 ? leaf.CertificatePath : null;
            log.Verbose($"'{completed.Subject}' matches the request's key and names; chain: {completed.Chain.Length} certificate(s).");
            return completed;
        }
    }
}
