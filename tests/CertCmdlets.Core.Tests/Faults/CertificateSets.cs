using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CertCmdlets.Core.Certificates;
using CertCmdlets.Core.Export;
using CertCmdlets.Core.IO;
using CertCmdlets.Core.Requests;
using Xunit.Sdk;

namespace CertCmdlets.Core.Tests.Faults
{
    /// <summary>
    /// Generations of one certificate's files (key, cert, chain, fullchain) and the check a crash test needs: which
    /// generation a folder holds, failing when its files come from different generations or the key does not match.
    /// </summary>
    internal static class CertificateSets
    {
        public static readonly string[] Names = { "key.pem", "cert.pem", "chain.pem", "fullchain.pem" };

        /// <summary>A leaf with a key and a one-certificate chain, ECDSA (fast), named after <paramref name="generation"/>.</summary>
        public static CertificateInfo New(string generation)
        {
            CertificateInfo leaf = CertificateRequestBuilder.CreateSelfSigned(new CertificateRequestOptions { CommonName = $"www.example.com", Organization = generation, KeyAlgorithm = "ECDSA" }, 30, NullCoreLog.Instance);
            CertificateInfo issuer = CertificateRequestBuilder.CreateSelfSigned(new CertificateRequestOptions { CommonName = $"Issuer {generation}", KeyAlgorithm = "ECDSA" }, 30, NullCoreLog.Instance);
            leaf.Chain = new[] { issuer };
            return leaf;
        }

        /// <summary>Key in <paramref name="keyDirectory"/>, the certificates in <paramref name="certificateDirectory"/> (Debian's private/ and certs/).</summary>
        public static PemExportTargets SplitTargets(string keyDirectory, string certificateDirectory) => new PemExportTargets
        {
            KeyPath = Path.Combine(keyDirectory, "key.pem"),
            CertificatePath = Path.Combine(certificateDirectory, "cert.pem"),
            ChainPath = Path.Combine(certificateDirectory, "chain.pem"),
            FullChainPath = Path.Combine(certificateDirectory, "fullchain.pem"),
        };

        public static void Write(CertificateInfo certificate, PemExportTargets targets, bool force, ICoreLog? log = null) =>
            PemOutput.WriteCertificate(certificate, targets, null, force, (_, _) => true, log ?? NullCoreLog.Instance);

        /// <summary>
        /// The generation (the leaf's organization) the four files hold, read as the module's readers read them
        /// (<paramref name="throughJournal"/>) or as a web server reads them (raw bytes). Throws when they disagree.
        /// </summary>
        public static string Generation(PemExportTargets targets, bool throughJournal)
        {
            Func<string, byte[]> read = throughJournal ? FileInput.ReadAll : File.ReadAllBytes;
            CertificateInfo leaf = CertificateReader.Parse(read(targets.CertificatePath!), targets.CertificatePath!).Single();
            List<CertificateInfo> full = CertificateReader.Parse(read(targets.FullChainPath!), targets.FullChainPath!);
            List<CertificateInfo> chain = CertificateReader.Parse(read(targets.ChainPath!), targets.ChainPath!);
            var key = Keys.PrivateKeyReader.Parse(read(targets.KeyPath!), targets.KeyPath!, null);
            if (!key.Matches(leaf.PublicKeyInfo))
            {
                throw new XunitException($"key.pem does not match cert.pem ({Organization(leaf)}).");
            }

            if (full.Count != 2 || full[0].Thumbprint != leaf.Thumbprint || full[1].Thumbprint != chain.Single().Thumbprint)
            {
                throw new XunitException($"fullchain.pem ({string.Join(", ", full.Select(Organization))}) is not cert.pem ({Organization(leaf)}) then chain.pem.");
            }

            if (chain.Single().CommonName != "Issuer " + Organization(leaf))
            {
                throw new XunitException($"chain.pem ({chain.Single().CommonName}) belongs to another generation than cert.pem ({Organization(leaf)}).");
            }

            return Organization(leaf);
        }

        /// <summary>Hidden files a write leaves behind (temporary files, backups, journals); none once a write or recovery is through.</summary>
        public static IReadOnlyList<string> Leftovers(params string[] directories) =>
            directories.SelectMany(d => Directory.EnumerateFileSystemEntries(d, ".*")).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).ToList()!;

        private static string Organization(CertificateInfo certificate)
        {
            string subject = certificate.Subject;
            int start = subject.IndexOf("O=", StringComparison.Ordinal);
            if (start < 0)
            {
                return subject;
            }

            int end = subject.IndexOf(',', start);
            return (end < 0 ? subject.Substring(start + 2) : subject.Substring(start + 2, end - start - 2)).Trim();
        }
    }

    /// <summary>Thrown by a test's step hook to stop a write where a kill would: no catch of the writer handles it.</summary>
    internal sealed class SimulatedCrash : Exception
    {
        public SimulatedCrash(string step)
            : base("simulated crash at " + step)
        {
        }
    }
}
