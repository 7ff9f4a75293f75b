using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace CertCmdlets.Core.Tests.Infrastructure
{
    /// <summary>Keys, requests and certificates made by openssl, and openssl's view of files, for comparisons.</summary>
    public static class OpenSslMaker
    {
        public const string Password = "Tr0ub4dor&3 correct horse";

        public static void RsaKey(string directory, string file, int bits = 2048) =>
            OpenSsl.Expect(directory, "genpkey", "-algorithm", "RSA", "-pkeyopt", $"rsa_keygen_bits:{bits}", "-out", file);

        public static void EcKey(string directory, string file, string curve = "prime256v1") =>
            OpenSsl.Expect(directory, "ecparam", "-genkey", "-name", curve, "-noout", "-out", file);

        /// <summary>A self-signed certificate for an existing key (openssl's default v3_ca extensions, plus a SAN when given).</summary>
        public static void SelfSigned(string directory, string keyFile, string certificateFile, string subject, string? subjectAltName = null, string? keyPassword = null, params string[] extra)
        {
            var arguments = new List<string> { "req", "-x509", "-new", "-key", keyFile, "-subj", subject, "-days", "30", "-out", certificateFile };
            if (subjectAltName is not null)
            {
                arguments.Add("-addext");
                arguments.Add("subjectAltName=" + subjectAltName);
            }

            if (keyPassword is not null)
            {
                arguments.Add("-passin");
                arguments.Add("env:PW");
            }

            arguments.AddRange(extra);
            OpenSsl.Expect(directory, arguments, keyPassword is null ? null : OpenSsl.Password(keyPassword));
        }

        /// <summary>A certificate for <paramref name="keyFile"/> signed by a CA, with the extensions given as config lines.</summary>
        public static void Issue(string directory, string keyFile, string subject, string caCertificate, string caKey, string certificateFile, params string[] extensionLines)
        {
            string name = Path.GetFileNameWithoutExtension(certificateFile);
            string request = name + ".issue.csr";
            string extensions = name + ".ext.cnf";
            OpenSsl.Expect(directory, "req", "-new", "-key", keyFile, "-subj", subject, "-out", request);
            File.WriteAllText(Path.Combine(directory, extensions), string.Join("\n", extensionLines) + "\n");
            OpenSsl.Expect(directory, "x509", "-req", "-in", request, "-CA", caCertificate, "-CAkey", caKey, "-days", "30", "-extfile", extensions, "-out", certificateFile);
        }

        /// <summary>The public key of a private key file, as PEM, by openssl.</summary>
        public static string PublicKeyOfKey(string directory, string keyFile, string? password = null, bool der = false)
        {
            var arguments = new List<string> { "pkey", "-in", keyFile, "-pubout" };
            if (der)
            {
                arguments.Insert(1, "-inform");
                arguments.Insert(2, "DER");
            }

            if (password is not null)
            {
                arguments.Add("-passin");
                arguments.Add("env:PW");
            }

            return Normalize(OpenSsl.Expect(directory, arguments, password is null ? null : OpenSsl.Password(password)).Output);
        }

        public static string PublicKeyOfRequest(string directory, string requestFile) =>
            Normalize(OpenSsl.Expect(directory, "req", "-in", requestFile, "-pubkey", "-noout").Output);

        public static string PublicKeyOfCertificate(string directory, string certificateFile) =>
            Normalize(OpenSsl.Expect(directory, "x509", "-in", certificateFile, "-pubkey", "-noout").Output);

        /// <summary>The entries of the subject alternative name extension as openssl -text prints them ("DNS:x", "IP Address:y").</summary>
        public static IReadOnlyList<string> SubjectAltNames(string text)
        {
            string[] lines = text.Replace("\r", string.Empty).Split('\n');
            for (int i = 0; i < lines.Length - 1; i++)
            {
                if (lines[i].Trim().StartsWith("X509v3 Subject Alternative Name", StringComparison.Ordinal))
                {
                    return lines[i + 1].Trim().Split(", ").ToList();
                }
            }

            return Array.Empty<string>();
        }

        /// <summary>The value lines under an extension heading of openssl -text ("X509v3 Key Usage").</summary>
        public static string ExtensionValue(string text, string heading, out bool critical)
        {
            string[] lines = text.Replace("\r", string.Empty).Split('\n');
            for (int i = 0; i < lines.Length - 1; i++)
            {
                string line = lines[i].Trim();
                if (line.StartsWith(heading + ":", StringComparison.Ordinal))
                {
                    critical = line.EndsWith("critical", StringComparison.Ordinal);
                    return lines[i + 1].Trim();
                }
            }

            throw new Xunit.Sdk.XunitException($"openssl did not print '{heading}':{Environment.NewLine}{text}");
        }

        /// <summary>One "name=value" line of openssl x509 -noout -serial/-enddate/-fingerprint output.</summary>
        public static string Field(string output, string name)
        {
            foreach (string line in output.Replace("\r", string.Empty).Split('\n'))
            {
                int equals = line.IndexOf('=');
                if (equals > 0 && line.Substring(0, equals).Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
                {
                    return line.Substring(equals + 1).Trim();
                }
            }

            throw new Xunit.Sdk.XunitException($"openssl printed no '{name}=':{Environment.NewLine}{output}");
        }

        /// <summary>openssl's dates ("Dec 24 11:51:14 2026 GMT") as UTC.</summary>
        public static DateTime ParseDate(string text)
        {
            string collapsed = string.Join(' ', text.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            return DateTime.SpecifyKind(
                DateTime.ParseExact(collapsed, "MMM d HH:mm:ss yyyy 'GMT'", System.Globalization.CultureInfo.InvariantCulture),
                DateTimeKind.Utc);
        }

        private static string Normalize(string pem) => pem.Replace("\r", string.Empty).Trim();
    }
}
