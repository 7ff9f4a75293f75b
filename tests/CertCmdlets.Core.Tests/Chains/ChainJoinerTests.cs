using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CertCmdlets.Core.Chains;
using CertCmdlets.Core.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Core.Tests.Chains
{
    /// <summary>Join-CertChain's core: finding the leaf and ordering its chain from real openssl chains, whatever the input.</summary>
    public sealed class ChainJoinerTests : IClassFixture<ChainPkiFixture>, IDisposable
    {
        private readonly ChainPkiFixture _pki;
        private readonly TempDirectory _temp = new TempDirectory();

        public ChainJoinerTests(ChainPkiFixture pki)
        {
            _pki = pki;
        }

        public void Dispose() => _temp.Dispose();

        [OpenSslTheory]
        [InlineData("leaf.crt", "int.crt", "root.crt")]
        [InlineData("leaf.crt", "root.crt", "int.crt")]
        [InlineData("int.crt", "leaf.crt", "root.crt")]
        [InlineData("int.crt", "root.crt", "leaf.crt")]
        [InlineData("root.crt", "leaf.crt", "int.crt")]
        [InlineData("root.crt", "int.crt", "leaf.crt")]
        public void Join_AnyInputOrder_GivesLeafThenIntermediate_RootLeftOut(string first, string second, string third)
        {
            var log = new RecordingLog();

            IReadOnlyList<CertificateInfo> joined = Join(new[] { first, second, third }, Array.Empty<string>(), new ChainJoinOptions(), log);

            CertificateInfo leaf = Assert.Single(joined);
            Assert.Equal(Thumbprint("leaf.crt"), leaf.Thumbprint);
            Assert.Equal(new[] { Thumbprint("int.crt") }, leaf.Chain.Select(c => c.Thumbprint));
            Assert.Empty(log.Warnings);
        }

        [OpenSslTheory]
        [InlineData("root.crt", "int.crt", "leaf.crt")]
        [InlineData("int.crt", "leaf.crt", "root.crt")]
        public void Join_IncludeRoot_KeepsTheRootLast(string first, string second, string third)
        {
            IReadOnlyList<CertificateInfo> joined = Join(new[] { first, second, third }, Array.Empty<string>(), new ChainJoinOptions { IncludeRoot = true }, new RecordingLog());

            CertificateInfo leaf = Assert.Single(joined);
            Assert.Equal(new[] { Thumbprint("int.crt"), Thumbprint("root.crt") }, leaf.Chain.Select(c => c.Thumbprint));
        }

        [OpenSslFact]
        public void Join_Duplicates_AreDroppedAndSaidSo()
        {
            var log = new RecordingLog();

            IReadOnlyList<CertificateInfo> joined = Join(new[] { "int.crt", "leaf.crt", "int.crt", "root.crt", "leaf.crt", "int.crt" }, Array.Empty<string>(), new ChainJoinOptions(), log);

            CertificateInfo leaf = Assert.Single(joined);
            Assert.Equal(new[] { Thumbprint("int.crt") }, leaf.Chain.Select(c => c.Thumbprint));
            Assert.Contains(log.VerboseMessages, m => m.Contains("duplicate", StringComparison.OrdinalIgnoreCase) && m.Contains("Chain Test Intermediate CA", StringComparison.Ordinal));
            Assert.Contains(log.VerboseMessages, m => m.Contains("duplicate", StringComparison.OrdinalIgnoreCase) && m.Contains("www.example.com", StringComparison.Ordinal));
        }

        [OpenSslFact]
        public void Join_UnrelatedCertificates_AreDroppedAndSaidSo()
        {
            var log = new RecordingLog();

            IReadOnlyList<CertificateInfo> joined = Join(new[] { "unrelated.crt", "leaf.crt", "oldroot.crt", "int.crt" }, Array.Empty<string>(), new ChainJoinOptions { IncludeRoot = true }, log);

            CertificateInfo leaf = Assert.Single(joined);
            Assert.Equal(new[] { Thumbprint("int.crt") }, leaf.Chain.Select(c => c.Thumbprint));
            Assert.Contains(log.VerboseMessages, m => m.Contains("Dropped", StringComparison.Ordinal) && m.Contains("Unrelated Root CA", StringComparison.Ordinal));
            Assert.Contains(log.VerboseMessages, m => m.Contains("Dropped", StringComparison.Ordinal) && m.Contains("Chain Test Old Root CA", StringComparison.Ordinal));
        }

        [OpenSslFact]
        public void Join_IntermediatePool_SuppliesTheIssuer_AndADecoyWithTheSameNameIsNotChosen()
        {
            // The decoy comes first and has exactly the intermediate's subject; only the signature tells them apart.
            var log = new RecordingLog();

            IReadOnlyList<CertificateInfo> joined = Join(new[] { "leaf.crt" }, new[] { "decoy.crt", "unrelated.crt", "int.crt", "root.crt" }, new ChainJoinOptions { IncludeRoot = true }, log);

            CertificateInfo leaf = Assert.Single(joined);
            Assert.Equal(new[] { Thumbprint("int.crt"), Thumbprint("root.crt") }, leaf.Chain.Select(c => c.Thumbprint));
            Assert.DoesNotContain(leaf.Chain, c => c.Thumbprint == Thumbprint("decoy.crt"));
            Assert.Empty(log.Warnings);
        }

        [OpenSslFact]
        public void Join_OnlyTheDecoy_IsAMissingIntermediate()
        {
            var log = new RecordingLog();

            IReadOnlyList<CertificateInfo> joined = Join(new[] { "leaf.crt", "decoy.crt", "root.crt" }, Array.Empty<string>(), new ChainJoinOptions(), log);

            CertificateInfo leaf = Assert.Single(joined);
            Assert.Empty(leaf.Chain);
            string warning = Assert.Single(log.Warnings);
            Assert.Contains("Chain Test Intermediate CA", warning, StringComparison.Ordinal);
        }

        [OpenSslFact]
        public void Join_MissingIntermediate_WarnsNamingTheMissingIssuer()
        {
            var log = new RecordingLog();

            IReadOnlyList<CertificateInfo> joined = Join(new[] { "leaf.crt" }, new[] { "root.crt", "unrelated.crt" }, new ChainJoinOptions(), log);

            CertificateInfo leaf = Assert.Single(joined);
            Assert.Equal(Thumbprint("leaf.crt"), leaf.Thumbprint);
            Assert.Empty(leaf.Chain);
            string warning = Assert.Single(log.Warnings);
            Assert.Contains("CN=Chain Test Intermediate CA", warning, StringComparison.Ordinal);
            Assert.Contains("www.example.com", warning, StringComparison.Ordinal);
            Assert.Contains("-Download", warning, StringComparison.Ordinal);
        }

        [OpenSslFact]
        public void Join_RootNotGiven_KeepsTheIntermediate()
        {
            // What every CA sends: the leaf and its intermediate, no root. Whether that deserves a warning is open (see
            // the report); if one is given it must name the root, not the intermediate that is there.
            var log = new RecordingLog();

            IReadOnlyList<CertificateInfo> joined = Join(new[] { "int.crt", "leaf.crt" }, Array.Empty<string>(), new ChainJoinOptions(), log);

            CertificateInfo leaf = Assert.Single(joined);
            Assert.Equal(new[] { Thumbprint("int.crt") }, leaf.Chain.Select(c => c.Thumbprint));
            Assert.All(log.Warnings, w => Assert.Contains("'CN=Chain Test Root CA, O=Chain Test PKI' of 'CN=Chain Test Intermediate CA", w, StringComparison.Ordinal));
        }

        [OpenSslFact]
        public void Join_CrossSignedRoot_BothIssuersGiven_PrefersThePathToTheSelfSignedRoot()
        {
            // root.crt and root-by-old.crt: one subject, one key, two issuers.
            IReadOnlyList<CertificateInfo> joined = Join(new[] { "root-by-old.crt", "oldroot.crt", "leaf.crt", "root.crt", "int.crt" }, Array.Empty<string>(), new ChainJoinOptions { IncludeRoot = true }, new RecordingLog());

            CertificateInfo leaf = Assert.Single(joined);
            Assert.Equal(new[] { Thumbprint("int.crt"), Thumbprint("root.crt") }, leaf.Chain.Select(c => c.Thumbprint));
        }

        [OpenSslFact]
        public void Join_CrossSignedRoot_OnlyTheOldRoot_GoesThroughTheCrossCertificate()
        {
            var log = new RecordingLog();

            IReadOnlyList<CertificateInfo> joined = Join(new[] { "leaf.crt", "int.crt" }, new[] { "oldroot.crt", "root-by-old.crt" }, new ChainJoinOptions { IncludeRoot = true }, log);

            CertificateInfo leaf = Assert.Single(joined);
            Assert.Equal(new[] { Thumbprint("int.crt"), Thumbprint("root-by-old.crt"), Thumbprint("oldroot.crt") }, leaf.Chain.Select(c => c.Thumbprint));
            Assert.True(ChainMaker.EachSignsThePrevious(leaf, leaf.Chain));
            Assert.Empty(log.Warnings);
        }

        [OpenSslFact]
        public void Join_CrossSignedRoot_WithoutIncludeRoot_LeavesOutOnlyTheSelfSignedRoot()
        {
            IReadOnlyList<CertificateInfo> joined = Join(new[] { "oldroot.crt", "int.crt", "root-by-old.crt", "leaf.crt" }, Array.Empty<string>(), new ChainJoinOptions(), new RecordingLog());

            CertificateInfo leaf = Assert.Single(joined);
            Assert.Equal(new[] { Thumbprint("int.crt"), Thumbprint("root-by-old.crt") }, leaf.Chain.Select(c => c.Thumbprint));
        }

        [OpenSslFact]
        public void Join_TwoLeavesOfOneIntermediate_EachGetsItsChain()
        {
            IReadOnlyList<CertificateInfo> joined = Join(new[] { "leaf2.crt", "int.crt", "leaf.crt" }, Array.Empty<string>(), new ChainJoinOptions(), new RecordingLog());

            Assert.Equal(2, joined.Count);
            Assert.Equal(new[] { Thumbprint("leaf.crt"), Thumbprint("leaf2.crt") }.OrderBy(t => t), joined.Select(l => l.Thumbprint).OrderBy(t => t));
            Assert.All(joined, leaf => Assert.Equal(new[] { Thumbprint("int.crt") }, leaf.Chain.Select(c => c.Thumbprint)));
        }

        [OpenSslFact]
        public void Join_ExpiredIntermediate_IsStillTheOnlyIssuer_SoItIsUsed()
        {
            // Join-CertChain orders what exists; judging validity is Test-CertChain's work.
            IReadOnlyList<CertificateInfo> joined = Join(new[] { "expint.crt", "expleaf.crt", "root.crt" }, Array.Empty<string>(), new ChainJoinOptions(), new RecordingLog());

            CertificateInfo leaf = Assert.Single(joined);
            Assert.Equal(new[] { Thumbprint("expint.crt") }, leaf.Chain.Select(c => c.Thumbprint));
        }

        [OpenSslFact]
        public void Join_Result_CarriesThePathAndIsAcceptedByOpenSslVerify()
        {
            IReadOnlyList<CertificateInfo> joined = Join(new[] { "root.crt", "int.crt", "leaf.crt" }, Array.Empty<string>(), new ChainJoinOptions(), new RecordingLog());
            CertificateInfo leaf = Assert.Single(joined);
            Assert.Equal(_pki.PathOf("leaf.crt"), leaf.CertificatePath);
            _temp.WriteText("leaf.pem", leaf.ToPem());
            _temp.WriteText("chain.pem", string.Concat(leaf.Chain.Select(c => c.ToPem())));
            File.Copy(_pki.PathOf("root.crt"), _temp.File("root.crt"));

            OpenSslResult verdict = ChainMaker.Verify(_temp.Path, "root.crt", "chain.pem", "leaf.pem");

            Assert.True(verdict.ExitCode == 0, verdict.ToString());
            Assert.Contains("leaf.pem: OK", verdict.AllText, StringComparison.Ordinal);
        }

        [OpenSslFact]
        public void Join_Pkcs7Bundle_IsReadAndOrdered()
        {
            byte[] p7b = ChainMaker.Pkcs7Der(_pki.Directory, "root.crt", "leaf.crt", "int.crt");
            string path = _temp.WriteBytes("bundle.p7b", p7b);
            IReadOnlyList<CertificateInfo> inputs = Certificates.CertificateReader.ReadFile(path);

            IReadOnlyList<CertificateInfo> joined = ChainJoiner.Join(inputs, Array.Empty<CertificateInfo>(), new ChainJoinOptions { IncludeRoot = true }, new RecordingLog(), default);

            CertificateInfo leaf = Assert.Single(joined);
            Assert.Equal(Thumbprint("leaf.crt"), leaf.Thumbprint);
            Assert.Equal(new[] { Thumbprint("int.crt"), Thumbprint("root.crt") }, leaf.Chain.Select(c => c.Thumbprint));
        }

        [OpenSslFact]
        public void Join_LeafWithKey_KeepsItsKey()
        {
            CertificateInfo leafFromFile = _pki.Certificate("leaf.crt");
            PrivateKeyFile.Load(_pki.PathOf("leaf.key"), null).AttachTo(new[] { leafFromFile }, "leaf.crt");

            IReadOnlyList<CertificateInfo> joined = ChainJoiner.Join(new[] { _pki.Certificate("int.crt"), leafFromFile }, Array.Empty<CertificateInfo>(), new ChainJoinOptions(), new RecordingLog(), default);

            CertificateInfo leaf = Assert.Single(joined);
            Assert.True(leaf.HasPrivateKey);
            Assert.Equal(_pki.PathOf("leaf.key"), leaf.KeyPath);
        }

        [OpenSslFact]
        public void Join_PoolOfTwoThousandUnrelatedCertificates_FindsTheRealIntermediate()
        {
            // A CA bundle: 2,000 self-signed certificates, 25 of them named exactly like the real intermediate (only the
            // signature can reject those), the real intermediate somewhere in the middle, and the root.
            List<CertificateInfo> pool = ChainMaker.DotNetSelfSigned(2000, i => i % 80 == 0
                ? "CN=Chain Test Intermediate CA, O=Chain Test PKI"
                : $"CN=Bundle CA {i:D4}, O=Bundle Owner {i % 37}");
            pool.Insert(1234, _pki.Certificate("int.crt"));
            pool.Add(_pki.Certificate("root.crt"));
            var log = new RecordingLog();

            IReadOnlyList<CertificateInfo> joined = ChainJoiner.Join(new[] { _pki.Certificate("leaf.crt") }, pool, new ChainJoinOptions { IncludeRoot = true }, log, default);

            CertificateInfo leaf = Assert.Single(joined);
            Assert.Equal(new[] { Thumbprint("int.crt"), Thumbprint("root.crt") }, leaf.Chain.Select(c => c.Thumbprint));
            Assert.Empty(log.Warnings);
        }

        [OpenSslFact]
        public void Join_LeafWithoutKeyIdentifiers_TheSignaturePicksTheIntermediateOverTheDecoy()
        {
            IReadOnlyList<CertificateInfo> joined = Join(new[] { "noaki.crt" }, new[] { "decoy.crt", "int.crt", "root.crt" }, new ChainJoinOptions(), new RecordingLog());

            CertificateInfo leaf = Assert.Single(joined);
            Assert.Equal(new[] { Thumbprint("int.crt") }, leaf.Chain.Select(c => c.Thumbprint));
        }

        [OpenSslFact]
        public void Join_RenewedIntermediate_ThePresentlyValidCertificateIsPreferredOverTheExpiredOne()
        {
            // int-old.crt and int.crt: one subject, one key, one issuer; the old one expired in 2021.
            IReadOnlyList<CertificateInfo> joined = Join(new[] { "int-old.crt", "leaf.crt", "int.crt", "root.crt" }, Array.Empty<string>(), new ChainJoinOptions(), new RecordingLog());

            CertificateInfo leaf = Assert.Single(joined);
            Assert.Equal(new[] { Thumbprint("int.crt") }, leaf.Chain.Select(c => c.Thumbprint));
        }

        [OpenSslFact]
        public void Join_SelfSignedCertificate_IsItsOwnRoot_NoMissingIssuerIsReported()
        {
            // A self-signed server certificate has no issuer to find: warning that "the issuer 'CN=x' of 'CN=x' was not
            // found" sends the administrator after a certificate that does not exist.
            var log = new RecordingLog();

            IReadOnlyList<CertificateInfo> joined = Join(new[] { "selfsigned.crt" }, new[] { "int.crt", "root.crt" }, new ChainJoinOptions(), log);

            CertificateInfo leaf = Assert.Single(joined);
            Assert.Equal(Thumbprint("selfsigned.crt"), leaf.Thumbprint);
            Assert.Empty(leaf.Chain);
            Assert.True(log.Warnings.Count == 0, string.Join(Environment.NewLine, log.Warnings));
        }

        [OpenSslFact]
        public void Join_ObjectThatCarriesItsChain_KeepsIt()
        {
            // What Approve-CertRequest, Import-PfxAsPem and Complete-CertRequest emit: the leaf with its Chain set. Piped
            // alone into Join-CertChain (to reorder, add the root, or write -OutFile), the chain it carries must count
            // as input, not be dropped with a "missing intermediate" warning.
            CertificateInfo carrying = _pki.Certificate("leaf.crt");
            carrying.Chain = new[] { _pki.Certificate("root.crt"), _pki.Certificate("int.crt") };
            var log = new RecordingLog();

            IReadOnlyList<CertificateInfo> joined = ChainJoiner.Join(new[] { carrying }, Array.Empty<CertificateInfo>(), new ChainJoinOptions { IncludeRoot = true }, log, default);

            CertificateInfo leaf = Assert.Single(joined);
            Assert.True(log.Warnings.Count == 0, string.Join(Environment.NewLine, log.Warnings));
            Assert.Equal(new[] { Thumbprint("int.crt"), Thumbprint("root.crt") }, leaf.Chain.Select(c => c.Thumbprint));
        }

        [OpenSslFact]
        public void FindLeaves_AllCertificateAuthorities_TakesTheOneThatIssuedNoneOfTheOthers()
        {
            List<CertificateInfo> leaves = ChainJoiner.FindLeaves(new[] { _pki.Certificate("root.crt"), _pki.Certificate("int.crt") });

            CertificateInfo leaf = Assert.Single(leaves);
            Assert.Equal(Thumbprint("int.crt"), leaf.Thumbprint);
        }

        private IReadOnlyList<CertificateInfo> Join(IEnumerable<string> inputFiles, IEnumerable<string> poolFiles, ChainJoinOptions options, RecordingLog log) =>
            ChainJoiner.Join(
                inputFiles.Select(f => _pki.Certificate(f)).ToList(),
                poolFiles.Select(f => _pki.Certificate(f)).ToList(),
                options,
                log,
                default);

        private string Thumbprint(string file) => _pki.Certificate(file).Thumbprint;
    }
}
