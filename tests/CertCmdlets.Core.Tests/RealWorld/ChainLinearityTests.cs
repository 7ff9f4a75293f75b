using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CertCmdlets.Core.Certificates;
using CertCmdlets.Core.Chains;
using Xunit;

namespace CertCmdlets.Core.Tests.RealWorld
{
    /// <summary>
    /// Issue 16's quadratic chains, counted rather than timed (times are the benchmark's job): testing a bundle checks
    /// each signature once, however many leaves share it, and a pool of many certificates with the issuer's name costs
    /// a bounded number of checks. The certificates are made by .NET here (hundreds in milliseconds).
    /// </summary>
    public sealed class ChainLinearityTests
    {
        private static readonly DateTimeOffset s_now = DateTimeOffset.UtcNow;

        [Fact]
        public void ABundleOfLeaves_ChecksEachSignatureOnce()
        {
            using ECDsa rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using ECDsa intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            X509Certificate2 root = Authority("CN=Linear Root", rootKey, null, null);
            X509Certificate2 intermediate = Authority("CN=Linear Intermediate", intermediateKey, root, rootKey);
            var pool = new CertificatePool();
            var leaves = new List<CertificateInfo>();
            for (int i = 0; i < 300; i++)
            {
                CertificateInfo leaf = Leaf($"CN=leaf{i}.example", intermediate, intermediateKey);
                leaves.Add(leaf);
                pool.Add(leaf);
            }

            pool.Add(Info(intermediate));
            pool.Add(Info(root));
            var anchors = new HashSet<string>(StringComparer.Ordinal) { Info(root).Thumbprint };

            foreach (CertificateInfo leaf in leaves)
            {
                ChainPath path = ChainBuilder.Build(leaf, pool, anchors);
                Assert.True(path.ReachesAnchor);
            }

            // Each leaf's own signature (and its self-issued check costs nothing: names differ), the intermediate's
            // once, the root's self-signature once: 300 + 2, not 300 x pool size.
            Assert.InRange(pool.SignaturesVerified, leaves.Count, leaves.Count + 3);

            IReadOnlyList<ChainTestResult> results = ChainTester.TestAll(leaves.Append(Info(intermediate)).ToList(), new[] { Info(root) }, null);
            Assert.Equal(leaves.Count, results.Count);
            Assert.All(results, r => Assert.True(r.IsTrusted));
        }

        [Fact]
        public void ManyCertificatesWithTheIssuersName_CostABoundedNumberOfChecks_AndTheKeyIdentifierFindsTheRealOne()
        {
            using ECDsa rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using ECDsa intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            X509Certificate2 root = Authority("CN=Pathological Root", rootKey, null, null);
            X509Certificate2 intermediate = Authority("CN=Pathological Intermediate", intermediateKey, root, rootKey);
            var pool = new CertificatePool();

            // 400 impostors first: the intermediate's name, their own keys, no key identifier (so they cannot be ruled out by it).
            for (int i = 0; i < 400; i++)
            {
                using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                pool.Add(Info(new CertificateRequest("CN=Pathological Intermediate", key, HashAlgorithmName.SHA256).CreateSelfSigned(s_now.AddDays(-1), s_now.AddDays(30))));
            }

            pool.Add(Info(intermediate));
            pool.Add(Info(root));
            CertificateInfo leaf = Leaf("CN=victim.example", intermediate, intermediateKey);

            ChainPath path = ChainBuilder.Build(leaf, pool, new HashSet<string>(StringComparer.Ordinal) { Info(root).Thumbprint });

            Assert.True(path.ReachesAnchor);
            Assert.Equal("CN=Pathological Intermediate", path.Issuers[0].Subject);
            Assert.Equal(Info(intermediate).Thumbprint, path.Issuers[0].Thumbprint);
            Assert.InRange(pool.SignaturesVerified, 1, ChainBuilder.MaximumSignatureChecks);
        }

        [Fact]
        public void ManyImpostorsWithoutKeyIdentifiers_StopAtTheDocumentedCap_InsteadOfCheckingThemAll()
        {
            using ECDsa issuerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            X509Certificate2 issuer = Authority("CN=Capped Issuer", issuerKey, null, null);
            var pool = new CertificatePool();
            for (int i = 0; i < 200; i++)
            {
                using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                pool.Add(Info(new CertificateRequest("CN=Capped Issuer", key, HashAlgorithmName.SHA256).CreateSelfSigned(s_now.AddDays(-1), s_now.AddDays(30))));
            }

            // The leaf names no authority key identifier, so every certificate with the name is a candidate.
            var request = new CertificateRequest("CN=capped.example", ECDsa.Create(ECCurve.NamedCurves.nistP256), HashAlgorithmName.SHA256);
            CertificateInfo leaf = Info(request.Create(Signer(issuer, issuerKey), s_now.AddDays(-1), s_now.AddDays(10), new byte[] { 9 }));

            ChainPath path = ChainBuilder.Build(leaf, pool, null);

            Assert.False(path.IsComplete);
            Assert.Equal(ChainBuilder.MaximumCandidatesPerCertificate, pool.SignaturesVerified);
        }

        private static X509Certificate2 Authority(string subject, ECDsa key, X509Certificate2? issuer, ECDsa? issuerKey)
        {
            var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            if (issuer is null)
            {
                return request.CreateSelfSigned(s_now.AddDays(-1), s_now.AddDays(60));
            }

            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
            return request.Create(Signer(issuer, issuerKey!), s_now.AddDays(-1), s_now.AddDays(50), new byte[] { 7, 7 });
        }

        private static CertificateInfo Leaf(string subject, X509Certificate2 issuer, ECDsa issuerKey)
        {
            using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
            return Info(request.Create(Signer(issuer, issuerKey), s_now.AddDays(-1), s_now.AddDays(20), Guid.NewGuid().ToByteArray()));
        }

        private static X509Certificate2 Signer(X509Certificate2 issuer, ECDsa key) => issuer.HasPrivateKey ? issuer : issuer.CopyWithPrivateKey(key);

        private static CertificateInfo Info(X509Certificate2 certificate) => CertificateReader.Parse(certificate.RawData, certificate.Subject)[0];
    }
}
