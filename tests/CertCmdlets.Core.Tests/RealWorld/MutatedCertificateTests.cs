using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CertCmdlets.Core.Certificates;
using CertCmdlets.Core.Chains;
using CertCmdlets.Core.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Core.Tests.RealWorld
{
    /// <summary>
    /// Issue 16: about 2% of mutated certificates that Import-CertFile accepts made Test-CertChain, Join-CertChain and
    /// -TrustedRootPath throw raw FormatException/ArgumentException. Here openssl's root, intermediate and leaf are
    /// mutated deterministically (a fixed seed: 1 to 4 bytes changed each time), and every mutant the reader accepts
    /// goes through chain testing (as the leaf, as an intermediate, as a trusted root) and joining: only the module's
    /// own errors may come out.
    /// </summary>
    public sealed class MutatedCertificateTests : IClassFixture<ChainFixture>
    {
        private const int Seed = 20261129;
        private const int MutantsPerCertificate = 200;

        private readonly ChainFixture _pki;

        public MutatedCertificateTests(ChainFixture pki)
        {
            _pki = pki;
        }

        [OpenSslFact]
        public void MutatedCertificates_ThatReadWithoutError_NeverMakeChainCodeThrowNonModuleExceptions()
        {
            Dictionary<string, CertificateInfo> originals = new[] { "root.crt", "int.crt", "leaf.crt" }
                .ToDictionary(f => f, f => CertificateReader.ReadFile(_pki.PathOf(f))[0]);
            var random = new Random(Seed);
            int accepted = 0;
            var escaped = new List<string>();
            foreach (KeyValuePair<string, CertificateInfo> original in originals)
            {
                byte[] der = original.Value.Certificate.RawData;
                for (int i = 0; i < MutantsPerCertificate; i++)
                {
                    byte[] mutant = Mutate(der, random);
                    CertificateInfo certificate;
                    try
                    {
                        certificate = CertificateReader.Parse(mutant, "mutant.der")[0];
                    }
                    catch (CertCmdletsException)
                    {
                        continue;
                    }

                    accepted++;
                    var others = originals.Where(o => o.Key != original.Key).Select(o => o.Value).ToList();
                    string? failure = Exercise(certificate, others, originals["root.crt"], originals["leaf.crt"]);
                    if (failure is not null)
                    {
                        escaped.Add($"{original.Key} mutant {i} ({Convert.ToHexString(mutant)}): {failure}");
                    }
                }
            }

            // Most single-byte changes land in signatures, keys and names that still parse: the test must see many.
            Assert.True(accepted > MutantsPerCertificate, $"only {accepted} mutants were accepted by the reader");
            Assert.True(escaped.Count == 0, $"{escaped.Count} of {accepted} accepted mutants made chain code throw:{Environment.NewLine}{string.Join(Environment.NewLine, escaped.Take(5))}");
        }

        private static string? Exercise(CertificateInfo mutant, List<CertificateInfo> others, CertificateInfo root, CertificateInfo leaf)
        {
            try
            {
                GC.KeepAlive(mutant.Subject + mutant.KeyAlgorithm + mutant.SignatureAlgorithm + mutant.SerialNumber + string.Join(",", mutant.DnsNames) + string.Join(",", mutant.IpAddresses));

                // Test-CertChain on a file holding the mutant with the others; the mutant as the leaf; as the trusted root (-TrustedRootPath).
                var file = new List<CertificateInfo> { mutant };
                file.AddRange(others);
                GC.KeepAlive(ChainTester.TestAll(file, new[] { root }, "www.example.com"));
                GC.KeepAlive(ChainTester.Test(mutant, others, new[] { root }, "www.example.com"));
                GC.KeepAlive(ChainTester.Test(leaf, others.Append(mutant).ToList(), new[] { mutant }, null));

                // Join-CertChain with the mutant among the inputs and in the pool.
                GC.KeepAlive(ChainJoiner.Join(file, Array.Empty<CertificateInfo>(), new ChainJoinOptions { IncludeRoot = true }, NullCoreLog.Instance, default));
                GC.KeepAlive(ChainJoiner.Join(new[] { leaf }, file, new ChainJoinOptions(), NullCoreLog.Instance, default));
                return null;
            }
            catch (CertCmdletsException)
            {
                return null;
            }
            catch (Exception ex)
            {
                return $"{ex.GetType().FullName}: {ex.Message}{Environment.NewLine}{ex.StackTrace}";
            }
        }

        private static byte[] Mutate(byte[] der, Random random)
        {
            byte[] mutant = (byte[])der.Clone();
            int changes = random.Next(1, 5);
            for (int c = 0; c < changes; c++)
            {
                mutant[random.Next(mutant.Length)] ^= (byte)random.Next(1, 256);
            }

            return mutant;
        }
    }
}
