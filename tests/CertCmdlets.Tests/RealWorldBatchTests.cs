using System;
using System.IO;
using System.Linq;
using CertCmdlets.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Tests
{
    /// <summary>
    /// Issue 16's "raw runtime errors abort batches", in the real engine: one damaged or weak request among good ones is
    /// its own non-terminating error record with an ErrorId, and the others are signed; -AllowWeakRequest names what it
    /// overrode in a warning; Test-CertChain reports an odd extension as a problem, not an exception.
    /// </summary>
    public sealed class RealWorldBatchTests : IDisposable
    {
        private readonly TempDirectory _temp = new TempDirectory();

        public void Dispose() => _temp.Dispose();

        [OpenSslFact]
        public void ApproveCertRequest_OneDamagedRequestAmongGoodOnes_IsOneErrorRecord_AndTheOthersAreSigned()
        {
            MakeAuthority();
            OpenSsl.Expect(_temp.Path, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "a.key");
            OpenSsl.Expect(_temp.Path, "req", "-new", "-key", "a.key", "-subj", "/CN=a.example", "-addext", "subjectAltName=DNS:a.example", "-out", "a.csr");
            OpenSsl.Expect(_temp.Path, "req", "-new", "-key", "a.key", "-subj", "/CN=b.example", "-addext", "subjectAltName=DNS:b.example", "-out", "b.csr");

            // bad.csr: a.csr with its public point moved off the curve ("Invalid point encoding" ended the whole call before).
            OpenSsl.Expect(_temp.Path, "req", "-in", "a.csr", "-outform", "DER", "-out", "a.der");
            byte[] der = File.ReadAllBytes(_temp.File("a.der"));
            int point = IndexOf(der, new byte[] { 0x03, 0x42, 0x00, 0x04 });
            Assert.True(point > 0);
            der[point + 12] ^= 0x5A;
            File.WriteAllBytes(_temp.File("bad.csr"), der);

            using var session = new PowerShellSession(_temp.Path);
            PowerShellResult result = session.Run(
                "$ca = Import-CertFile ./ca.pem -KeyPath ./ca.key; Approve-CertRequest -LiteralPath ./a.csr, ./bad.csr, ./b.csr -Authority $ca -ValidDays 5");

            Assert.Null(result.Terminating);
            Assert.Equal(new[] { "CN=a.example", "CN=b.example" }, result.Output.Select(o => (string)o.Properties["Subject"].Value).ToArray());
            Assert.Equal("RequestSignatureInvalid,CertCmdlets.Commands.ApproveCertRequestCommand", Assert.Single(result.Errors).FullyQualifiedErrorId);
            Assert.EndsWith("bad.csr", Assert.Single(result.Errors).TargetObject?.ToString(), StringComparison.Ordinal);
        }

        [OpenSslFact]
        public void ApproveCertRequest_WeakRequest_IsRefusedByDefault_AndSignedWithAWarningUnderAllowWeakRequest()
        {
            MakeAuthority();
            OpenSsl.Expect(_temp.Path, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024", "-out", "weak.key");
            OpenSsl.Expect(_temp.Path, "req", "-new", "-key", "weak.key", "-subj", "/CN=weak.example", "-out", "weak.csr");

            using var session = new PowerShellSession(_temp.Path);
            PowerShellResult refused = session.Run("$ca = Import-CertFile ./ca.pem -KeyPath ./ca.key; Approve-CertRequest ./weak.csr -Authority $ca -ValidDays 5");
            PowerShellResult allowed = session.Run("$ca = Import-CertFile ./ca.pem -KeyPath ./ca.key; Approve-CertRequest ./weak.csr -Authority $ca -ValidDays 5 -AllowWeakRequest");

            Assert.Empty(refused.Output);
            Assert.Equal("RequestKeyTooWeak,CertCmdlets.Commands.ApproveCertRequestCommand", Assert.Single(refused.Errors).FullyQualifiedErrorId);
            allowed.AssertSuccess();
            Assert.Equal("CN=weak.example", (string)Assert.Single(allowed.Output).Properties["Subject"].Value);
            Assert.Contains(allowed.Warnings, w => w.Contains("RSA 1024", StringComparison.Ordinal) && w.Contains("-AllowWeakRequest", StringComparison.Ordinal));
        }

        [OpenSslFact]
        public void TestCertChain_CertificateWithAnEmptyOidInItsExtendedKeyUsage_ReportsAProblem_NotAnException()
        {
            MakeAuthority();
            OpenSsl.Expect(_temp.Path, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "leaf.key");
            OpenSsl.Expect(_temp.Path, "req", "-new", "-key", "leaf.key", "-subj", "/CN=odd.example", "-out", "leaf.csr");
            File.WriteAllText(_temp.File("odd.cnf"), "[x]\nextendedKeyUsage=DER:30:02:06:00\nsubjectAltName=DNS:odd.example\n");
            OpenSsl.Expect(_temp.Path, "x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-days", "5", "-extfile", "odd.cnf", "-extensions", "x", "-out", "odd.pem");

            using var session = new PowerShellSession(_temp.Path);
            PowerShellResult result = session.Run("Test-CertChain ./odd.pem -TrustedRootPath ./ca.pem -DnsName odd.example -Verbose");

            result.AssertSuccess();
            var problems = ((System.Collections.IEnumerable)Assert.Single(result.Output).Properties["Problems"].Value).Cast<object>().Select(p => p.ToString()!).ToList();
            Assert.Contains(problems, p => p.Contains("damaged extended key usage extension", StringComparison.Ordinal));
        }

        private void MakeAuthority()
        {
            OpenSsl.Expect(_temp.Path, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ca.key");
            OpenSsl.Expect(_temp.Path, "req", "-x509", "-new", "-key", "ca.key", "-subj", "/CN=Batch CA", "-days", "30", "-out", "ca.pem");
        }

        private static int IndexOf(byte[] data, byte[] pattern)
        {
            for (int i = 0; i + pattern.Length <= data.Length; i++)
            {
                if (data.AsSpan(i, pattern.Length).SequenceEqual(pattern))
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
