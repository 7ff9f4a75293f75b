using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CertCmdlets.Core.Certificates;
using CertCmdlets.Core.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Core.Tests.Chains
{
    /// <summary>
    /// Certificates for chain tests, made by openssl (req -x509, x509 -req -extfile, ca with a start date in the
    /// past) and read back with the core's reader. Unlike <see cref="OpenSslMaker.Issue"/> the validity is chosen:
    /// a leaf that expires within 30 days is itself a Test-CertChain problem.
    /// </summary>
    internal static class ChainMaker
    {
        public static readonly string[] CaExtensions =
        {
            "basicConstraints=critical,CA:TRUE",
            "keyUsage=critical,keyCertSign,cRLSign",
            "subjectKeyIdentifier=hash",
            "authorityKeyIdentifier=keyid",
        };

        public static void EcKey(string directory, string keyFile) => OpenSslMaker.EcKey(directory, keyFile);

        /// <summary>A self-signed CA: critical basic constraints and key usage, SKI and AKI.</summary>
        public static void Root(string directory, string keyFile, string certificateFile, string subject, int days = 3650)
        {
            EcKey(directory, keyFile);
            OpenSsl.Expect(directory, "req", "-x509", "-new", "-key", keyFile, "-subj", subject, "-days", days.ToString(), "-out", certificateFile,
                "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        }

        /// <summary>A request for an existing key.</summary>
        public static void Request(string directory, string keyFile, string subject, string requestFile, params string[] addExtensions)
        {
            var arguments = new List<string> { "req", "-new", "-key", keyFile, "-subj", subject, "-out", requestFile };
            foreach (string extension in addExtensions)
            {
                arguments.Add("-addext");
                arguments.Add(extension);
            }

            OpenSsl.Expect(directory, arguments);
        }

        /// <summary>
        /// <paramref name="keyFile"/>'s certificate (a new EC key is made when the file is missing) signed by the CA
        /// with openssl x509 -req -extfile; <paramref name="extra"/> goes on the command line (e.g. "-sha1").
        /// </summary>
        public static void Issue(string directory, string keyFile, string subject, string caCertificate, string caKey, string certificateFile, int days, IEnumerable<string> extensionLines, params string[] extra)
        {
            if (!File.Exists(Path.Combine(directory, keyFile)))
            {
                EcKey(directory, keyFile);
            }

            string name = Path.GetFileNameWithoutExtension(certificateFile);
            string request = name + ".issue.csr";
            string extensions = name + ".ext.cnf";
            Request(directory, keyFile, subject, request);
            File.WriteAllText(Path.Combine(directory, extensions), string.Join("\n", extensionLines) + "\n");
            var arguments = new List<string> { "x509", "-req", "-in", request, "-CA", caCertificate, "-CAkey", caKey, "-set_serial", NewSerial(), "-days", days.ToString(), "-extfile", extensions, "-out", certificateFile };
            arguments.AddRange(extra);
            OpenSsl.Expect(directory, arguments);
        }

        /// <summary>An intermediate CA (path length 0 unless told) signed by the CA given.</summary>
        public static void Intermediate(string directory, string keyFile, string subject, string caCertificate, string caKey, string certificateFile, int days = 1825, string? extraExtension = null)
        {
            var lines = new List<string> { "basicConstraints=critical,CA:TRUE,pathlen:0", "keyUsage=critical,keyCertSign,cRLSign", "subjectKeyIdentifier=hash", "authorityKeyIdentifier=keyid" };
            if (extraExtension is not null)
            {
                lines.Add(extraExtension);
            }

            Issue(directory, keyFile, subject, caCertificate, caKey, certificateFile, days, lines);
        }

        /// <summary>A TLS server certificate for the DNS names given, signed by the CA given.</summary>
        public static void Leaf(string directory, string keyFile, string subject, string caCertificate, string caKey, string certificateFile, string[] dnsNames, int days = 365, string extendedKeyUsage = "serverAuth", string? extraExtension = null, params string[] extra)
        {
            var lines = new List<string>
            {
                "basicConstraints=critical,CA:FALSE",
                "keyUsage=critical,digitalSignature",
                "extendedKeyUsage=" + extendedKeyUsage,
                "subjectKeyIdentifier=hash",
                "authorityKeyIdentifier=keyid",
                "subjectAltName=" + string.Join(",", dnsNames.Select(n => "DNS:" + n)),
            };
            if (extraExtension is not null)
            {
                lines.Add(extraExtension);
            }

            Issue(directory, keyFile, subject, caCertificate, caKey, certificateFile, days, lines, extra);
        }

        /// <summary>
        /// A CA certificate whose validity lies in the past (2020-01-01 to 2021-01-01), signed by openssl ca, which
        /// (unlike x509 -req in OpenSSL 3.0) takes a start and an end date.
        /// </summary>
        public static void ExpiredIntermediate(string directory, string keyFile, string subject, string caCertificate, string caKey, string certificateFile)
        {
            if (!File.Exists(Path.Combine(directory, keyFile)))
            {
                EcKey(directory, keyFile);
            }

            string name = Path.GetFileNameWithoutExtension(certificateFile);
            string request = name + ".csr";
            Request(directory, keyFile, subject, request);
            string database = Path.Combine(directory, name + ".ca");
            Directory.CreateDirectory(Path.Combine(database, "newcerts"));
            File.WriteAllText(Path.Combine(database, "index.txt"), string.Empty);
            File.WriteAllText(Path.Combine(database, "serial"), NewSerialHex() + "\n");
            string config = Path.Combine(database, "ca.cnf");
            File.WriteAllText(config, string.Join("\n", new[]
            {
                "[ ca ]",
                "default_ca = chain_test_ca",
                "[ chain_test_ca ]",
                $"database = {Path.Combine(database, "index.txt")}",
                $"new_certs_dir = {Path.Combine(database, "newcerts")}",
                $"serial = {Path.Combine(database, "serial")}",
                "default_md = sha256",
                "policy = any_name",
                "unique_subject = no",
                "preserve = yes",
                "email_in_dn = no",
                "[ any_name ]",
                "organizationName = optional",
                "commonName = supplied",
                "[ ca_extensions ]",
                "basicConstraints = critical,CA:TRUE,pathlen:0",
                "keyUsage = critical,keyCertSign,cRLSign",
                "subjectKeyIdentifier = hash",
                "authorityKeyIdentifier = keyid",
            }) + "\n");
            OpenSsl.Expect(directory, "ca", "-batch", "-config", config, "-extensions", "ca_extensions", "-cert", caCertificate, "-keyfile", caKey,
                "-in", request, "-out", certificateFile, "-notext", "-startdate", "20200101000000Z", "-enddate", "20210101000000Z");
        }

        /// <summary>The certificates of a file, as the core reads them.</summary>
        public static IReadOnlyList<CertificateInfo> Read(string directory, string file) => CertificateReader.ReadFile(Path.Combine(directory, file));

        /// <summary>The one certificate of a file.</summary>
        public static CertificateInfo ReadOne(string directory, string file) => Assert.Single(Read(directory, file));

        /// <summary>Files joined as one PEM bundle.</summary>
        public static string Bundle(string directory, string bundleFile, params string[] files)
        {
            string path = Path.Combine(directory, bundleFile);
            File.WriteAllText(path, string.Concat(files.Select(f => File.ReadAllText(Path.Combine(directory, f)))));
            return path;
        }

        /// <summary>A PKCS#7 bundle (DER) of PEM certificate files, by openssl crl2pkcs7.</summary>
        public static byte[] Pkcs7Der(string directory, params string[] files)
        {
            string output = "bundle-" + Guid.NewGuid().ToString("N") + ".p7c";
            var arguments = new List<string> { "crl2pkcs7", "-nocrl", "-outform", "DER", "-out", output };
            foreach (string file in files)
            {
                arguments.Add("-certfile");
                arguments.Add(file);
            }

            OpenSsl.Expect(directory, arguments);
            return File.ReadAllBytes(Path.Combine(directory, output));
        }

        /// <summary>openssl verify's verdict: exit code and text.</summary>
        public static OpenSslResult Verify(string directory, string rootFile, string? untrustedFile, string leafFile)
        {
            var arguments = new List<string> { "verify", "-CAfile", rootFile };
            if (untrustedFile is not null)
            {
                arguments.Add("-untrusted");
                arguments.Add(untrustedFile);
            }

            arguments.Add(leafFile);
            return OpenSsl.Run(directory, arguments);
        }

        /// <summary>
        /// Self-signed ECDSA P-256 certificates made in-process by .NET (fast), as the core reads them: the unrelated
        /// bulk of a CA bundle. <paramref name="subjectOf"/> names each one.
        /// </summary>
        public static List<CertificateInfo> DotNetSelfSigned(int count, Func<int, string> subjectOf)
        {
            var certificates = new List<CertificateInfo>(count);
            DateTimeOffset now = DateTimeOffset.UtcNow;
            for (int i = 0; i < count; i++)
            {
                using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                var request = new CertificateRequest(subjectOf(i), key, HashAlgorithmName.SHA256);
                request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
                using X509Certificate2 certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(365));
                certificates.AddRange(CertificateReader.Parse(certificate.RawData, $"pool certificate {i}"));
            }

            return certificates;
        }

        /// <summary>True when every certificate of <paramref name="chain"/> signed the one before it, starting with the leaf.</summary>
        public static bool EachSignsThePrevious(CertificateInfo leaf, IReadOnlyList<CertificateInfo> chain)
        {
            CertificateInfo previous = leaf;
            foreach (CertificateInfo next in chain)
            {
                if (!CertCmdlets.Core.Chains.CertificateFacts.IsSignedBy(previous, next))
                {
                    return false;
                }

                previous = next;
            }

            return true;
        }

        private static string NewSerial() => "0x" + NewSerialHex();

        /// <summary>24 hex digits, the first never zero (openssl's serial file wants an even number of digits).</summary>
        private static string NewSerialHex() => "1" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).Substring(1);
    }
}
