using System;
using System.Collections.Generic;
using System.Linq;
using CertCmdlets.Core.Authority;
using CertCmdlets.Core.Chains;
using CertCmdlets.Core.Requests;
using CertCmdlets.Core.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Core.Tests.Chains
{
    /// <summary>Test-CertChain's core on real openssl chains: every check, each in words, and nothing reported for a good chain.</summary>
    public sealed class ChainTesterTests : IClassFixture<ChainPkiFixture>, IDisposable
    {
        private readonly ChainPkiFixture _pki;
        private readonly TempDirectory _temp = new TempDirectory();

        public ChainTesterTests(ChainPkiFixture pki)
        {
            _pki = pki;
        }

        public void Dispose() => _temp.Dispose();

        [OpenSslFact]
        public void GoodChain_TrustedRoot_HasNoProblem()
        {
            ChainTestResult result = Test("leaf.crt", new[] { "int.crt" }, new[] { "root.crt" });

            Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Problems));
            Assert.True(result.IsComplete);
            Assert.True(result.IsTrusted);
            Assert.Null(result.NamesMatch);
            Assert.Equal(new[] { Subject("int.crt"), Subject("root.crt") }, result.Chain);
            Assert.Equal(Subject("leaf.crt"), result.Subject);
        }

        [OpenSslFact]
        public void GoodChain_RootInTheFileButNotTrusted_IsCompleteButNotTrusted()
        {
            ChainTestResult result = Test("leaf.crt", new[] { "root.crt", "int.crt" }, Array.Empty<string>());

            Assert.True(result.IsComplete);
            Assert.False(result.IsTrusted);
            string problem = Assert.Single(result.Problems);
            Assert.Contains("Chain Test Root CA", problem, StringComparison.Ordinal);
            Assert.Contains("not a trusted root", problem, StringComparison.Ordinal);
        }

        [OpenSslFact]
        public void MissingIntermediate_IsIncomplete_AndNamesTheMissingIssuer()
        {
            ChainTestResult result = Test("leaf.crt", Array.Empty<string>(), new[] { "root.crt" });

            Assert.False(result.IsComplete);
            Assert.False(result.IsTrusted);
            Assert.False(result.IsValid);
            string problem = Assert.Single(result.Problems);
            Assert.Contains("incomplete", problem, StringComparison.Ordinal);
            Assert.Contains("CN=Chain Test Intermediate CA", problem, StringComparison.Ordinal);
            Assert.Contains("Join-CertChain", problem, StringComparison.Ordinal);
        }

        [OpenSslFact]
        public void ExpiredIntermediate_IsReportedWithItsDate()
        {
            ChainTestResult result = Test("expleaf.crt", new[] { "expint.crt" }, new[] { "root.crt" });

            Assert.True(result.IsComplete);
            Assert.True(result.IsTrusted);
            string problem = Assert.Single(result.Problems);
            Assert.Contains("Chain Test Expired Intermediate CA", problem, StringComparison.Ordinal);
            Assert.Contains("expired on 2021-01-01", problem, StringComparison.Ordinal);
        }

        [OpenSslFact]
        public void ExpiredIntermediate_OpenSslAgrees()
        {
            OpenSslResult verdict = ChainMaker.Verify(_pki.Directory, "root.crt", "expint.crt", "expleaf.crt");

            Assert.NotEqual(0, verdict.ExitCode);
            Assert.Contains("expired", verdict.AllText, StringComparison.OrdinalIgnoreCase);
        }

        [OpenSslFact]
        public void Sha1SignedLeaf_IsAWeakSignature()
        {
            CertificateInfo leaf = _pki.Certificate("sha1.crt");
            Assert.Equal("sha1ECDSA", leaf.SignatureAlgorithm);

            ChainTestResult result = Test("sha1.crt", new[] { "int.crt" }, new[] { "root.crt" });

            Assert.True(result.IsComplete);
            string problem = Assert.Single(result.Problems);
            Assert.Contains("sha1.example.com", problem, StringComparison.Ordinal);
            Assert.Contains("sha1ECDSA", problem, StringComparison.Ordinal);
        }

        [OpenSslFact]
        public void ClientAuthOnlyLeaf_IsNotForTlsServers()
        {
            ChainTestResult result = Test("client.crt", new[] { "int.crt" }, new[] { "root.crt" });

            Assert.True(result.IsComplete);
            string problem = Assert.Single(result.Problems);
            Assert.Contains("client.example.com", problem, StringComparison.Ordinal);
            Assert.Contains("serverAuth", problem, StringComparison.Ordinal);
        }

        [OpenSslFact]
        public void NameConstraints_LeafOutsideThePermittedTree_IsReported()
        {
            ChainTestResult result = Test("ncbad.crt", new[] { "ncint.crt" }, new[] { "root.crt" });

            Assert.True(result.IsComplete);
            string problem = Assert.Single(result.Problems);
            Assert.Contains("other.org", problem, StringComparison.Ordinal);
            Assert.Contains("Chain Test Constrained CA", problem, StringComparison.Ordinal);
            Assert.Contains("example.com", problem, StringComparison.Ordinal);
        }

        [OpenSslFact]
        public void NameConstraints_LeafInsideThePermittedTree_HasNoProblem()
        {
            ChainTestResult result = Test("ncok.crt", new[] { "ncint.crt" }, new[] { "root.crt" });

            Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Problems));
        }

        [OpenSslFact]
        public void NameConstraints_OpenSslAgrees()
        {
            Assert.Equal(0, ChainMaker.Verify(_pki.Directory, "root.crt", "ncint.crt", "ncok.crt").ExitCode);
            OpenSslResult bad = ChainMaker.Verify(_pki.Directory, "root.crt", "ncint.crt", "ncbad.crt");
            Assert.NotEqual(0, bad.ExitCode);
            Assert.Contains("permitted subtree violation", bad.AllText, StringComparison.OrdinalIgnoreCase);
        }

        [OpenSslFact]
        public void LeafExpiringWithinThirtyDays_IsReported()
        {
            ChainTestResult result = Test("short.crt", new[] { "int.crt" }, new[] { "root.crt" });

            Assert.True(result.IsComplete);
            string problem = Assert.Single(result.Problems);
            Assert.Contains("short.example.com", problem, StringComparison.Ordinal);
            Assert.Contains("renew", problem, StringComparison.Ordinal);
        }

        [OpenSslTheory]
        [InlineData("leaf.crt", "www.example.com", true)]
        [InlineData("leaf.crt", "WWW.Example.COM", true)]
        [InlineData("leaf.crt", "www.example.com.", true)]
        [InlineData("leaf.crt", "example.com", true)]
        [InlineData("leaf.crt", "api.example.com", false)]
        [InlineData("leaf.crt", "www.example.com.evil.org", false)]
        [InlineData("wild.crt", "a.example.com", true)]
        [InlineData("wild.crt", "example.com", false)]
        [InlineData("wild.crt", "a.b.example.com", false)]
        [InlineData("wild.crt", "aexample.com", false)]
        public void DnsName_IsMatchedByRfc6125(string leafFile, string dnsName, bool covered)
        {
            ChainTestResult result = Test(leafFile, new[] { "int.crt" }, new[] { "root.crt" }, dnsName);

            Assert.Equal(covered, result.NamesMatch);
            Assert.Equal(dnsName, result.DnsName);
            if (covered)
            {
                Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Problems));
            }
            else
            {
                string problem = Assert.Single(result.Problems);
                Assert.Contains(dnsName, problem, StringComparison.Ordinal);
                Assert.Contains(_pki.Certificate(leafFile).DnsNames[0], problem, StringComparison.Ordinal);
            }
        }

        [OpenSslFact]
        public void GivenChainOutOfOrder_IsReported()
        {
            CertificateInfo leaf = _pki.Certificate("leaf.crt");
            leaf.Chain = new[] { _pki.Certificate("root.crt"), _pki.Certificate("int.crt") };

            ChainTestResult result = ChainTester.Test(leaf, Array.Empty<CertificateInfo>(), new[] { _pki.Certificate("root.crt") }, null);

            Assert.True(result.IsComplete);
            Assert.True(result.IsTrusted);
            string problem = Assert.Single(result.Problems);
            Assert.Contains("out of order", problem, StringComparison.Ordinal);
        }

        [OpenSslFact]
        public void GivenChainInOrder_HasNoProblem()
        {
            CertificateInfo leaf = _pki.Certificate("leaf.crt");
            leaf.Chain = new[] { _pki.Certificate("int.crt") };

            ChainTestResult result = ChainTester.Test(leaf, Array.Empty<CertificateInfo>(), new[] { _pki.Certificate("root.crt") }, "www.example.com");

            Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Problems));
            Assert.True(result.NamesMatch);
        }

        [OpenSslFact]
        public void GivenChainWithAnUnrelatedCertificate_IsReported()
        {
            CertificateInfo leaf = _pki.Certificate("leaf.crt");
            leaf.Chain = new[] { _pki.Certificate("unrelated.crt") };

            ChainTestResult result = ChainTester.Test(leaf, new[] { _pki.Certificate("int.crt") }, new[] { _pki.Certificate("root.crt") }, null);

            Assert.True(result.IsComplete);
            Assert.Contains(result.Problems, p => p.Contains("Unrelated Root CA", StringComparison.Ordinal));
        }

        [OpenSslFact]
        public void WrongIntermediate_SameNameOtherKey_IsIncomplete()
        {
            ChainTestResult result = Test("leaf.crt", new[] { "decoy.crt" }, new[] { "root.crt" });

            Assert.False(result.IsComplete);
            Assert.False(result.IsValid);
            Assert.Contains(result.Problems, p => p.Contains("Chain Test Intermediate CA", StringComparison.Ordinal));
        }

        [OpenSslFact]
        public void WrongIntermediate_SameNameOtherKey_TheProblemSaysTheSignatureDoesNotVerify()
        {
            // The classic mistake: the CA's renewed intermediate (same name, new key) installed with an older leaf.
            // The intermediate IS in the file, so "the issuer was not found" sends the administrator looking for a
            // file they already have; the problem should say that it does not verify the leaf's signature.
            ChainTestResult result = Test("leaf.crt", new[] { "decoy.crt" }, new[] { "root.crt" });

            Assert.True(
                result.Problems.Any(p => p.Contains("signature", StringComparison.OrdinalIgnoreCase) || p.Contains("did not sign", StringComparison.OrdinalIgnoreCase)),
                string.Join(Environment.NewLine, result.Problems));
        }

        [OpenSslFact]
        public void TamperedIntermediate_BreaksThePath()
        {
            CertificateInfo intermediate = _pki.Certificate("int.crt");
            byte[] der = intermediate.RawData.ToArray();
            der[der.Length - 5] ^= 0x01;
            List<CertificateInfo> tampered = Certificates.CertificateReader.Parse(der, "tampered intermediate");

            ChainTestResult result = ChainTester.Test(_pki.Certificate("leaf.crt"), tampered, new[] { _pki.Certificate("root.crt") }, null);

            Assert.False(result.IsTrusted);
            Assert.False(result.IsValid);
        }

        [OpenSslFact]
        public void CrossSignedRoot_TrustingTheNewRoot_EndsThere()
        {
            ChainTestResult result = Test("leaf.crt", new[] { "int.crt", "root-by-old.crt", "oldroot.crt" }, new[] { "root.crt" });

            Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Problems));
            Assert.Equal(new[] { Subject("int.crt"), Subject("root.crt") }, result.Chain);
        }

        [OpenSslFact]
        public void CrossSignedRoot_TrustingOnlyTheOldRoot_WithoutTheNewRootInTheFile_IsTrusted()
        {
            ChainTestResult result = Test("leaf.crt", new[] { "int.crt", "root-by-old.crt" }, new[] { "oldroot.crt" });

            Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Problems));
            Assert.True(result.IsTrusted);
            Assert.Equal(new[] { Subject("int.crt"), Subject("root-by-old.crt"), Subject("oldroot.crt") }, result.Chain);
        }

        [OpenSslFact]
        public void CrossSignedRoot_TrustingOnlyTheOldRoot_WithoutTheNewRootInTheFile_OpenSslAgrees()
        {
            string untrusted = ChainMaker.Bundle(_pki.Directory, "cross-untrusted.pem", "int.crt", "root-by-old.crt");

            OpenSslResult verdict = ChainMaker.Verify(_pki.Directory, "oldroot.crt", untrusted, "leaf.crt");

            Assert.True(verdict.ExitCode == 0, verdict.ToString());
        }

        [OpenSslFact]
        public void CrossSignedRoot_TrustingOnlyTheOldRoot_NewRootAlsoInTheFile_IsStillTrustedThroughTheCrossCertificate()
        {
            // The file holds leaf, intermediate, the cross certificate AND the new self-signed root; only the old root
            // is trusted. Two issuers fit the intermediate (one subject, one key): the self-signed new root, untrusted,
            // and the cross certificate, which leads to the trusted old root. ChainBuilder's own summary says it
            // "prefers the one that reaches a root or trusted anchor"; path builders of browsers and Windows do find
            // leaf -> int -> root-by-old -> old root. (openssl 3.0 verify does not: it stops at the self-signed root in
            // -untrusted, "self-signed certificate in certificate chain".)
            ChainTestResult result = Test("leaf.crt", new[] { "int.crt", "root.crt", "root-by-old.crt" }, new[] { "oldroot.crt" });

            Assert.True(result.IsTrusted, string.Join(Environment.NewLine, result.Problems));
            Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Problems));
            Assert.Equal(new[] { Subject("int.crt"), Subject("root-by-old.crt"), Subject("oldroot.crt") }, result.Chain);
        }

        [OpenSslFact]
        public void RenewedIntermediate_BothVersionsGiven_TheValidOneIsUsed()
        {
            ChainTestResult result = Test("leaf.crt", new[] { "int-old.crt", "int.crt" }, new[] { "root.crt" });

            Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Problems));
        }

        [OpenSslFact]
        public void RenewedIntermediate_OnlyTheExpiredVersion_IsReported()
        {
            ChainTestResult result = Test("leaf.crt", new[] { "int-old.crt" }, new[] { "root.crt" });

            Assert.True(result.IsComplete);
            string problem = Assert.Single(result.Problems);
            Assert.Contains("Chain Test Intermediate CA", problem, StringComparison.Ordinal);
            Assert.Contains("expired", problem, StringComparison.Ordinal);
        }

        [OpenSslFact]
        public void IssuerNotMarkedAsCa_IsReported_AndOpenSslAgrees()
        {
            ChainTestResult result = Test("undernotca.crt", new[] { "notca.crt", "int.crt" }, new[] { "root.crt" });

            Assert.True(result.IsComplete);
            Assert.Contains(result.Problems, p => p.Contains("Not A CA", StringComparison.Ordinal) && p.Contains("not marked as a CA", StringComparison.Ordinal));
            string untrusted = ChainMaker.Bundle(_pki.Directory, "notca-untrusted.pem", "notca.crt", "int.crt");
            Assert.NotEqual(0, ChainMaker.Verify(_pki.Directory, "root.crt", untrusted, "undernotca.crt").ExitCode);
        }

        [OpenSslFact]
        public void IssuerWithoutKeyCertSign_IsReported_AndOpenSslAgrees()
        {
            ChainTestResult result = Test("undernosign.crt", new[] { "nosign.crt" }, new[] { "root.crt" });

            Assert.True(result.IsComplete);
            string problem = Assert.Single(result.Problems);
            Assert.Contains("No Cert Sign CA", problem, StringComparison.Ordinal);
            Assert.Contains("keyCertSign", problem, StringComparison.Ordinal);
            Assert.NotEqual(0, ChainMaker.Verify(_pki.Directory, "root.crt", "nosign.crt", "undernosign.crt").ExitCode);
        }

        [OpenSslFact]
        public void SelfSignedLeaf_NoIssuerIsMissing_ItIsJustNotTrusted()
        {
            // A self-signed server certificate reaches a self-signed root: itself. The problem to report is trust, not an
            // issuer "not found" that is the certificate itself.
            ChainTestResult result = Test("selfsigned.crt", Array.Empty<string>(), new[] { "root.crt" });

            Assert.False(result.IsTrusted);
            Assert.False(result.IsValid);
            string problems = string.Join(Environment.NewLine, result.Problems);
            Assert.False(result.Problems.Any(p => p.Contains("was not found", StringComparison.Ordinal)), problems);
            Assert.True(result.Problems.Any(p => p.Contains("trusted", StringComparison.Ordinal)), problems);
        }

        [Fact]
        public void DnsName_IpAddress_IsMatchedAgainstTheIpAlternativeNames()
        {
            CertificateInfo root = CertificateAuthority.Create(new CertificateRequestOptions { CommonName = "Ip Root", KeyAlgorithm = "ECDSA" }, 365, null, null, NullCoreLog.Instance);
            var options = new CertificateRequestOptions { CommonName = "printer.example.com", KeyAlgorithm = "ECDSA" };
            options.IpAddresses.Add("192.0.2.44");
            options.IpAddresses.Add("2001:db8::44");
            CertificateInfo leaf = CertificateAuthority.Approve(CertificateRequestBuilder.CreateRequest(options, NullCoreLog.Instance), root, 90, null, NullCoreLog.Instance);

            Assert.True(ChainTester.Test(leaf, Array.Empty<CertificateInfo>(), new[] { root }, "192.0.2.44").NamesMatch);
            Assert.True(ChainTester.Test(leaf, Array.Empty<CertificateInfo>(), new[] { root }, "2001:DB8:0::44").NamesMatch);
            Assert.False(ChainTester.Test(leaf, Array.Empty<CertificateInfo>(), new[] { root }, "192.0.2.45").NamesMatch);
            Assert.True(ChainTester.Test(leaf, Array.Empty<CertificateInfo>(), new[] { root }, "printer.example.com").IsValid);
        }

        [OpenSslFact]
        public void TrustedIntermediate_IsAnAnchor()
        {
            // -TrustedRootPath may name an internal intermediate: the path ends there, complete and trusted.
            ChainTestResult result = Test("leaf.crt", Array.Empty<string>(), new[] { "int.crt" });

            Assert.True(result.IsComplete);
            Assert.True(result.IsTrusted);
            Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Problems));
        }

        [OpenSslFact]
        public void SystemStore_DoesNotTrustAPrivateRoot()
        {
            IReadOnlyList<CertificateInfo> systemRoots = SystemRoots.Load(new RecordingLog());
            Assert.DoesNotContain(systemRoots, r => r.Thumbprint == _pki.Certificate("root.crt").Thumbprint);

            ChainTestResult result = ChainTester.Test(_pki.Certificate("leaf.crt"), new[] { _pki.Certificate("int.crt"), _pki.Certificate("root.crt") }, systemRoots, null);

            Assert.True(result.IsComplete);
            Assert.False(result.IsTrusted);
            Assert.Contains(result.Problems, p => p.Contains("not a trusted root", StringComparison.Ordinal));
        }

        [OpenSslFact]
        public void PathLengthExceeded_IsReported_AndOpenSslAgrees()
        {
            // Our CA: a root that allows no intermediate below it, and an intermediate below it all the same.
            CertificateInfo root = CertificateAuthority.Create(new CertificateRequestOptions { CommonName = "Path Length Zero Root", KeyAlgorithm = "ECDSA" }, 365, 0, null, NullCoreLog.Instance);
            CertificateInfo intermediate = CertificateAuthority.Create(new CertificateRequestOptions { CommonName = "Path Length Intermediate", KeyAlgorithm = "ECDSA" }, 365, null, root, NullCoreLog.Instance);
            CertificateRequestInfo request = CertificateRequestBuilder.CreateRequest(new CertificateRequestOptions { CommonName = "deep.example.com", KeyAlgorithm = "ECDSA" }, NullCoreLog.Instance);
            CertificateInfo leaf = CertificateAuthority.Approve(request, intermediate, 90, null, NullCoreLog.Instance);

            ChainTestResult result = ChainTester.Test(leaf, new[] { intermediate }, new[] { root }, null);

            Assert.True(result.IsComplete);
            string problem = Assert.Single(result.Problems);
            Assert.Contains("Path Length Zero Root", problem, StringComparison.Ordinal);
            Assert.Contains("path length", problem, StringComparison.Ordinal);
            _temp.WriteText("root.pem", root.ToPem());
            _temp.WriteText("int.pem", intermediate.ToPem());
            _temp.WriteText("leaf.pem", leaf.ToPem());
            OpenSslResult verdict = ChainMaker.Verify(_temp.Path, "root.pem", "int.pem", "leaf.pem");
            Assert.NotEqual(0, verdict.ExitCode);
            Assert.Contains("path length", verdict.AllText, StringComparison.OrdinalIgnoreCase);
        }

        [OpenSslFact]
        public void LeafFromOurCa_HasNoProblem()
        {
            CertificateInfo root = CertificateAuthority.Create(new CertificateRequestOptions { CommonName = "Tester Root", KeyAlgorithm = "ECDSA" }, 365, null, null, NullCoreLog.Instance);
            CertificateInfo intermediate = CertificateAuthority.Create(new CertificateRequestOptions { CommonName = "Tester Intermediate", KeyAlgorithm = "ECDSA" }, 365, 0, root, NullCoreLog.Instance);
            var options = new CertificateRequestOptions { CommonName = "www.example.org", KeyAlgorithm = "ECDSA" };
            options.DnsNames.Add("www.example.org");
            CertificateInfo leaf = CertificateAuthority.Approve(CertificateRequestBuilder.CreateRequest(options, NullCoreLog.Instance), intermediate, 90, null, NullCoreLog.Instance);

            ChainTestResult result = ChainTester.Test(leaf, Array.Empty<CertificateInfo>(), new[] { root }, "www.example.org");

            Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Problems));
            Assert.Equal(new[] { intermediate.Subject, root.Subject }, result.Chain);
        }

        private ChainTestResult Test(string leafFile, IEnumerable<string> candidateFiles, IEnumerable<string> trustedFiles, string? dnsName = null) =>
            ChainTester.Test(
                _pki.Certificate(leafFile),
                candidateFiles.Select(f => _pki.Certificate(f)).ToList(),
                trustedFiles.Select(f => _pki.Certificate(f)).ToList(),
                dnsName);

        private string Subject(string file) => _pki.Certificate(file).Subject;
    }
}
