using System;
using CertCmdlets.Core.Apache;
using System.Collections.Generic;
using System.Linq;
using System.Security;
using System.Security.Cryptography;
using CertCmdlets.Core;
using CertCmdlets.Core.Authority;
using CertCmdlets.Core.Certificates;
using CertCmdlets.Core.Chains;
using CertCmdlets.Core.Keys;
using CertCmdlets.Core.Pkcs12;
using CertCmdlets.Core.Requests;

namespace CertCmdlets.Fuzz
{
    /// <summary>
    /// The fuzz targets: one per kind of untrusted file a user hands the module, each running the input through the
    /// same core code the cmdlets run (reading, then what the cmdlets do next with what was read: every displayed
    /// fact, chain testing and joining, key matching and signing, a CA signing the request). The module's own errors
    /// (<see cref="CertCmdletsException"/>) are the expected answer to bad input; any other exception escapes and is a
    /// finding. Shared by the AFL++ harness (Program.cs) and the corpus replay in the core tests.
    /// </summary>
    internal static class FuzzTargets
    {
        /// <summary>The password the seed files that need one were made with.</summary>
        public const string Password = "fuzz";

        private static readonly Lazy<CertificateInfo> s_authority = new Lazy<CertificateInfo>(() =>
            CertificateAuthority.Create(new CertificateRequestOptions { CommonName = "Fuzz Test CA", KeyAlgorithm = "ECDSA" }, 3650, null, null, NullCoreLog.Instance));

        private static readonly Lazy<SecureString> s_password = new Lazy<SecureString>(() =>
        {
            var secure = new SecureString();
            foreach (char c in Password)
            {
                secure.AppendChar(c);
            }

            secure.MakeReadOnly();
            return secure;
        });

        /// <summary>Target names, which are also the corpus folder names.</summary>
        public static readonly IReadOnlyList<string> Names = new[] { "certificate", "pkcs7", "key", "csr", "pfx", "apache" };

        /// <summary>The target called <paramref name="name"/>.</summary>
        public static Action<byte[]> Get(string name) => name switch
        {
            "certificate" or "pkcs7" => Certificates,
            "key" => Key,
            "csr" => Request,
            "pfx" => Pfx,
            "apache" => Apache,
            _ => throw new ArgumentException($"Unknown fuzz target '{name}'. Known: {string.Join(", ", Names)}.", nameof(name)),
        };

        /// <summary>
        /// The Apache configuration reader: one file's bytes parsed into sections, directives and continuation lines
        /// (a refusal is ApacheConfigException, which the editor turns into ApacheConfigInvalid with file and line),
        /// then every directive's arguments split and the text read back.
        /// </summary>
        public static void Apache(byte[] data)
        {
            ConfigFile file;
            try
            {
                file = new ConfigFile("fuzz.conf", data, null, null);
            }
            catch (ApacheConfigException)
            {
                return;
            }

            foreach (ConfigNode node in file.AllNodes())
            {
                if (node is ConfigDirective directive)
                {
                    _ = directive.Name.Length + directive.Arguments.Count;
                }
            }
        }

        /// <summary>PEM, DER and PKCS#7 certificate files, then Test-CertChain and Join-CertChain on what was read.</summary>
        public static void Certificates(byte[] data)
        {
            List<CertificateInfo> certificates;
            try
            {
                certificates = CertificateReader.Parse(data, "fuzz-input");
            }
            catch (CertCmdletsException)
            {
                return;
            }

            ExerciseCertificates(certificates);
        }

        /// <summary>Private keys in every form, then what a key is used for: matching a public key and signing.</summary>
        public static void Key(byte[] data)
        {
            PrivateKey key;
            try
            {
                key = PrivateKeyReader.Parse(data, "fuzz-input", s_password.Value);
            }
            catch (CertCmdletsException)
            {
                return;
            }

            GC.KeepAlive(key.Description);
            GC.KeepAlive(key.ToString());
            if (!key.Matches(key.PublicKeyInfo))
            {
                throw new InvalidOperationException("A key read without error does not match its own public key.");
            }

            byte[] pkcs8 = key.ToPkcs8Der();
            Array.Clear(pkcs8, 0, pkcs8.Length);
            try
            {
                byte[] data32 = new byte[32];
                byte[] signature = key.Sign(data32, HashAlgorithmName.SHA256);
                GC.KeepAlive(signature);
            }
            catch (CertCmdletsException)
            {
                // A key that reads but cannot sign (inconsistent RSA parameters) is refused when used.
            }
        }

        /// <summary>Certificate signing requests, then Approve-CertRequest with a fixed internal CA.</summary>
        public static void Request(byte[] data)
        {
            CertificateRequestInfo request;
            try
            {
                request = CertificateRequestReader.Parse(data, "fuzz-input", null);
            }
            catch (CertCmdletsException)
            {
                return;
            }

            GC.KeepAlive(request.Subject + request.CommonName + request.KeyAlgorithm + request.SignatureAlgorithm + request.Organization + request.Country);
            GC.KeepAlive(string.Join(",", request.DnsNames.Concat(request.IpAddresses).Concat(request.EmailAddresses)));
            try
            {
                CertificateInfo issued = CertificateAuthority.Approve(request, s_authority.Value, 30, null, NullCoreLog.Instance, allowWeakRequest: true);
                Touch(issued);
            }
            catch (CertCmdletsException)
            {
            }
        }

        /// <summary>PKCS#12 files (password "fuzz" or none), then chain tests on their certificates.</summary>
        public static void Pfx(byte[] data)
        {
            PfxContents contents;
            try
            {
                contents = PfxReader.Parse(data, "fuzz-input", s_password.Value, NullCoreLog.Instance);
            }
            catch (CertCmdletsException)
            {
                return;
            }

            foreach (CertificateInfo leaf in contents.Leaves)
            {
                Touch(leaf);
            }

            ExerciseCertificates(contents.Certificates.ToList());
        }

        private static void ExerciseCertificates(List<CertificateInfo> certificates)
        {
            foreach (CertificateInfo certificate in certificates)
            {
                Touch(certificate);
            }

            try
            {
                foreach (CertificateInfo leaf in ChainJoiner.FindLeaves(certificates))
                {
                    ChainTestResult result = ChainTester.Test(leaf, certificates, certificates.Where(c => c.IsSelfIssued).ToList(), "www.example.com");
                    GC.KeepAlive(result.Problems);
                }

                GC.KeepAlive(ChainJoiner.Join(certificates, Array.Empty<CertificateInfo>(), new ChainJoinOptions { IncludeRoot = true }, NullCoreLog.Instance, default));
            }
            catch (CertCmdletsException)
            {
            }
        }

        /// <summary>Every fact a user sees (Format-List *), each read once.</summary>
        private static void Touch(CertificateInfo certificate)
        {
            GC.KeepAlive(certificate.Subject + certificate.Issuer + certificate.CommonName + certificate.Organization + certificate.Locality + certificate.State + certificate.Country + certificate.Email);
            GC.KeepAlive(string.Join(",", certificate.DnsNames.Concat(certificate.IpAddresses).Concat(certificate.OrganizationalUnit)));
            GC.KeepAlive(certificate.SerialNumber + certificate.Thumbprint + certificate.KeyAlgorithm + certificate.SignatureAlgorithm);
            GC.KeepAlive(certificate.IsCertificateAuthority);
            GC.KeepAlive(certificate.DaysRemaining);
            GC.KeepAlive(certificate.RenewAfter);
        }
    }
}
