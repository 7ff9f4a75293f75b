using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CertCmdlets.Core.Tests.Infrastructure;

namespace CertCmdlets.Core.Tests.Pkcs12
{
    /// <summary>
    /// One PFX file the reader must handle: how it was made, its password, and what it holds, stated in terms
    /// of the fixture's certificates ("rsa-leaf", "intermediate", "root"...). Expected descriptions are in
    /// PfxContents' words; <see cref="Maker"/> says who wrote the file (never our own code).
    /// </summary>
    public sealed class PfxVariant
    {
        public PfxVariant(string name, string maker, string? password, string? leaf, string[] chain, string? encryption, string? integrity)
        {
            Name = name;
            Maker = maker;
            Password = password;
            Leaf = leaf;
            Chain = chain;
            Encryption = encryption;
            Integrity = integrity;
        }

        public string Name { get; }

        /// <summary>"openssl" or ".NET".</summary>
        public string Maker { get; }

        public string FileName => Name + ".pfx";

        /// <summary>The password the file was written with ("" for an empty one).</summary>
        public string? Password { get; }

        /// <summary>The fixture name of the certificate whose key the file holds; null when it holds no key.</summary>
        public string? Leaf { get; }

        /// <summary>The expected chain of <see cref="Leaf"/>, leaf to root, by fixture name.</summary>
        public string[] Chain { get; }

        /// <summary>The expected PfxContents.Encryption; null when it depends on the maker's version (checked against openssl -info instead).</summary>
        public string? Encryption { get; }

        /// <summary>The expected PfxContents.Integrity; null as for <see cref="Encryption"/>.</summary>
        public string? Integrity { get; }

        public override string ToString() => Name;
    }

    /// <summary>
    /// The PFX files of the reader tests, made once per test class: a root CA, an intermediate (and an older
    /// intermediate with the same name but another key), an RSA leaf and an EC leaf, all by openssl; then every
    /// PFX variant a user meets, written by `openssl pkcs12 -export` (passwords in the child's environment,
    /// -passout env:PFX_PASSWORD) and, for the shapes openssl cannot write (the leaf after its CAs, several keys),
    /// by .NET's own exporter. Nothing here is written by CertCmdlets itself.
    /// </summary>
    public sealed class PfxFixture : IDisposable
    {
        public const string Password = "Pfx p4ssword: correct horse";

        /// <summary>Latin-1, CJK and a character outside the BMP (a surrogate pair in UTF-16, 4 bytes in UTF-8).</summary>
        public const string UnicodePassword = "pässwörd Ünïcødé 密码 🔑";

        /// <summary>The CA in the "extra-certificates" file that belongs to no chain there (RFC 2253, as openssl prints it).</summary>
        public const string UnrelatedSubject = "CN=Unrelated Root CA,O=Elsewhere Inc,C=US";

        private static readonly string[] s_chain = { "intermediate", "root" };
        private static readonly string[] s_none = Array.Empty<string>();

        private readonly TempDirectory _directory = new TempDirectory();
        private readonly Dictionary<string, string> _thumbprints = new Dictionary<string, string>(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _subjects = new Dictionary<string, string>(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _publicKeys = new Dictionary<string, string>(StringComparer.Ordinal);

        public PfxFixture()
        {
            // The attributes skip every test without openssl outside CI; make nothing then. Under CI=true go on, so
            // that the missing peer fails every test here with openssl's "required" message.
            if (!OpenSsl.IsAvailable && !OpenSsl.IsCi)
            {
                return;
            }

            MakeCertificates();
            foreach (PfxVariant variant in OpenSslVariants)
            {
                MakeWithOpenSsl(variant);
            }

            MakeIncompleteFiles();
            MakeWithDotNet();
        }

        /// <summary>The variants written by openssl, with what PfxContents must say about them.</summary>
        public static IReadOnlyList<PfxVariant> OpenSslVariants { get; } = new[]
        {
            // OpenSSL 3's defaults: PBES2 with AES-256-CBC and PBKDF2-HMAC-SHA256 for both parts, an HMAC-SHA256 MAC.
            new PfxVariant("openssl-default", "openssl", Password, "rsa-leaf", s_chain,
                "certificates encrypted with AES-256-CBC, PBKDF2-HMAC-SHA256, 2048 iterations; key encrypted with AES-256-CBC, PBKDF2-HMAC-SHA256, 2048 iterations",
                "HMAC-SHA256, 2048 iterations"),

            // openssl pkcs12 -export -legacy: RC2-40 certificates, 3DES key, SHA-1 MAC (OpenSSL 1.1 and older Windows).
            new PfxVariant("openssl-legacy", "openssl", Password, "rsa-leaf", s_chain,
                "certificates encrypted with RC2-40-CBC (PKCS#12 PBE, SHA-1), 2048 iterations; key encrypted with 3DES-CBC (PKCS#12 PBE, SHA-1), 2048 iterations",
                "HMAC-SHA1, 2048 iterations"),

            // What Windows' "TripleDES-SHA1" export writes, with friendly names, a CSP name and the machine-key flag.
            new PfxVariant("windows-3des", "openssl", Password, "rsa-leaf", s_chain,
                "certificates encrypted with 3DES-CBC (PKCS#12 PBE, SHA-1), 2048 iterations; key encrypted with 3DES-CBC (PKCS#12 PBE, SHA-1), 2048 iterations",
                "HMAC-SHA1, 2048 iterations"),

            // Windows Server 2019+ "AES256-SHA256", friendly name and the CNG provider name.
            new PfxVariant("windows-aes256", "openssl", Password, "rsa-leaf", s_chain,
                "certificates encrypted with AES-256-CBC, PBKDF2-HMAC-SHA256, 2048 iterations; key encrypted with AES-256-CBC, PBKDF2-HMAC-SHA256, 2048 iterations",
                "HMAC-SHA256, 2048 iterations"),

            new PfxVariant("aes128-sha512-mac", "openssl", Password, "rsa-leaf", s_chain,
                "certificates encrypted with AES-128-CBC, PBKDF2-HMAC-SHA256, 2048 iterations; key encrypted with AES-128-CBC, PBKDF2-HMAC-SHA256, 2048 iterations",
                "HMAC-SHA512, 2048 iterations"),

            new PfxVariant("aes192-sha384-mac", "openssl", Password, "rsa-leaf", s_chain,
                "certificates encrypted with AES-192-CBC, PBKDF2-HMAC-SHA256, 2048 iterations; key encrypted with AES-192-CBC, PBKDF2-HMAC-SHA256, 2048 iterations",
                "HMAC-SHA384, 2048 iterations"),

            // PBES2 around 3DES (some Java and appliance exports).
            new PfxVariant("pbes2-3des", "openssl", Password, "rsa-leaf", s_chain,
                "certificates encrypted with 3DES-CBC, PBKDF2-HMAC-SHA256, 2048 iterations; key encrypted with 3DES-CBC, PBKDF2-HMAC-SHA256, 2048 iterations",
                "HMAC-SHA256, 2048 iterations"),

            // The other two legacy PKCS#12 ciphers.
            new PfxVariant("legacy-rc2-128-2des", "openssl", Password, "rsa-leaf", s_chain,
                "certificates encrypted with RC2-128-CBC (PKCS#12 PBE, SHA-1), 2048 iterations; key encrypted with 2-key 3DES-CBC (PKCS#12 PBE, SHA-1), 2048 iterations",
                "HMAC-SHA1, 2048 iterations"),

            // Very old files: one iteration for the keys and the MAC (openssl -noiter -nomaciter).
            new PfxVariant("legacy-one-iteration", "openssl", Password, "rsa-leaf", s_chain,
                "certificates encrypted with RC2-40-CBC (PKCS#12 PBE, SHA-1), 1 iterations; key encrypted with 3DES-CBC (PKCS#12 PBE, SHA-1), 1 iterations",
                "HMAC-SHA1, 1 iterations"),

            // Certificates in the clear (-certpbe NONE), the key still encrypted.
            new PfxVariant("certificates-unencrypted", "openssl", Password, "rsa-leaf", s_chain,
                "key encrypted with AES-256-CBC, PBKDF2-HMAC-SHA256, 2048 iterations",
                "HMAC-SHA256, 2048 iterations"),

            // No MAC at all: the password is only checked by decryption. Whether the certificates are encrypted
            // depends on the OpenSSL version (3.0 leaves them in the clear with -nomac, whatever -certpbe says),
            // so the encryption is checked against openssl -info only.
            new PfxVariant("no-mac", "openssl", Password, "rsa-leaf", s_chain, null, "none"),

            new PfxVariant("no-mac-legacy", "openssl", Password, "rsa-leaf", s_chain, null, "none"),

            new PfxVariant("ec", "openssl", Password, "ec-leaf", s_chain,
                "certificates encrypted with AES-256-CBC, PBKDF2-HMAC-SHA256, 2048 iterations; key encrypted with AES-256-CBC, PBKDF2-HMAC-SHA256, 2048 iterations",
                "HMAC-SHA256, 2048 iterations"),

            new PfxVariant("ec-legacy", "openssl", Password, "ec-leaf", s_chain,
                "certificates encrypted with RC2-40-CBC (PKCS#12 PBE, SHA-1), 2048 iterations; key encrypted with 3DES-CBC (PKCS#12 PBE, SHA-1), 2048 iterations",
                "HMAC-SHA1, 2048 iterations"),

            // Unicode passwords: UTF-8 for PBKDF2, big-endian UTF-16 for the PKCS#12 derivation.
            new PfxVariant("unicode", "openssl", UnicodePassword, "rsa-leaf", s_chain,
                "certificates encrypted with AES-256-CBC, PBKDF2-HMAC-SHA256, 2048 iterations; key encrypted with AES-256-CBC, PBKDF2-HMAC-SHA256, 2048 iterations",
                "HMAC-SHA256, 2048 iterations"),

            new PfxVariant("unicode-legacy", "openssl", UnicodePassword, "rsa-leaf", s_chain,
                "certificates encrypted with RC2-40-CBC (PKCS#12 PBE, SHA-1), 2048 iterations; key encrypted with 3DES-CBC (PKCS#12 PBE, SHA-1), 2048 iterations",
                "HMAC-SHA1, 2048 iterations"),

            // An empty password (OpenSSL writes it as a lone NUL terminator).
            new PfxVariant("empty-password", "openssl", string.Empty, "rsa-leaf", s_chain,
                "certificates encrypted with AES-256-CBC, PBKDF2-HMAC-SHA256, 2048 iterations; key encrypted with AES-256-CBC, PBKDF2-HMAC-SHA256, 2048 iterations",
                "HMAC-SHA256, 2048 iterations"),

            new PfxVariant("empty-password-legacy", "openssl", string.Empty, "rsa-leaf", s_chain,
                "certificates encrypted with RC2-40-CBC (PKCS#12 PBE, SHA-1), 2048 iterations; key encrypted with 3DES-CBC (PKCS#12 PBE, SHA-1), 2048 iterations",
                "HMAC-SHA1, 2048 iterations"),

            // No protection at all: no encryption, no MAC.
            new PfxVariant("unprotected", "openssl", string.Empty, "rsa-leaf", s_chain, "none", "none"),

            // The CA certificates given root first, plus an unrelated CA and an older intermediate with the same
            // name but another key: the chain is found by issuer and key identifiers, not by file order.
            new PfxVariant("extra-certificates", "openssl", Password, "rsa-leaf", s_chain,
                "certificates encrypted with AES-256-CBC, PBKDF2-HMAC-SHA256, 2048 iterations; key encrypted with AES-256-CBC, PBKDF2-HMAC-SHA256, 2048 iterations",
                "HMAC-SHA256, 2048 iterations"),

            // The leaf alone.
            new PfxVariant("leaf-only", "openssl", Password, "rsa-leaf", s_none,
                "certificates encrypted with AES-256-CBC, PBKDF2-HMAC-SHA256, 2048 iterations; key encrypted with AES-256-CBC, PBKDF2-HMAC-SHA256, 2048 iterations",
                "HMAC-SHA256, 2048 iterations"),
        };

        /// <summary>Variants made by .NET's exporter (shapes openssl's CLI cannot write); their algorithms depend on the .NET version.</summary>
        public static IReadOnlyList<PfxVariant> DotNetVariants { get; } = new[]
        {
            // X509Certificate2 (with key).Export(X509ContentType.Pfx, password): the leaf and key, no chain.
            new PfxVariant("dotnet-export", ".NET", Password, "rsa-leaf", s_none, null, null),

            // A collection exported root first: the leaf is the last certificate in the file.
            new PfxVariant("dotnet-leaf-last", ".NET", Password, "rsa-leaf", s_chain, null, null),

            new PfxVariant("dotnet-ec-leaf-last", ".NET", Password, "ec-leaf", s_chain, null, null),
        };

        /// <summary>Every variant that holds exactly one key with its certificate.</summary>
        public static IReadOnlyList<PfxVariant> ReadableVariants { get; } = OpenSslVariants.Concat(DotNetVariants).ToArray();

        /// <summary>The file with two keys (RSA and EC leaves, both with the chain), written by .NET.</summary>
        public const string SeveralKeysFile = "dotnet-several-keys.pfx";

        /// <summary>Certificates only (openssl -nokeys): the leaf, the intermediate and the root.</summary>
        public const string CertificatesOnlyFile = "certificates-only.pfx";

        /// <summary>A key only (openssl -nocerts).</summary>
        public const string KeyOnlyFile = "key-only.pfx";

        /// <summary>CA certificates only, no key and no leaf (openssl -nokeys with the intermediate and the root).</summary>
        public const string CasOnlyFile = "cas-only.pfx";

        /// <summary>The directory holding every fixture file; openssl runs there.</summary>
        public string WorkDirectory => _directory.Path;

        public string PathOf(string fileName) => _directory.File(fileName);

        public byte[] Bytes(string fileName) => File.ReadAllBytes(PathOf(fileName));

        public static PfxVariant Variant(string name) => ReadableVariants.Single(v => v.Name == name);

        /// <summary>The SHA-1 fingerprint openssl computes for a fixture certificate, as upper-case hex without colons.</summary>
        public string Thumbprint(string certificate) => _thumbprints[certificate];

        /// <summary>The subject as openssl prints it (-nameopt RFC2253).</summary>
        public string Subject(string certificate) => _subjects[certificate];

        /// <summary>The public key of a fixture key, as openssl prints it (SPKI PEM).</summary>
        public string PublicKey(string certificate) => _publicKeys[certificate];

        public string CertificateFile(string certificate) => certificate + ".crt";

        public string KeyFile(string certificate) => certificate + ".key";

        /// <summary>A read-only SecureString, as the cmdlets hand passwords to the core.</summary>
        public static SecureString Secure(string text)
        {
            var secure = new SecureString();
            foreach (char c in text)
            {
                secure.AppendChar(c);
            }

            secure.MakeReadOnly();
            return secure;
        }

        public void Dispose() => _directory.Dispose();

        /// <summary>Runs openssl in the fixture directory with the password in the child's environment only.</summary>
        public OpenSslResult RunWithPassword(string? password, params string[] arguments)
        {
            IReadOnlyDictionary<string, string>? environment = password is null ? null : new Dictionary<string, string> { ["PFX_PASSWORD"] = password };
            return OpenSsl.Run(WorkDirectory, arguments, environment);
        }

        public OpenSslResult ExpectWithPassword(string? password, params string[] arguments)
        {
            OpenSslResult result = RunWithPassword(password, arguments);
            if (result.ExitCode != 0)
            {
                throw new Xunit.Sdk.XunitException(result.ToString());
            }

            return result;
        }

        /// <summary>openssl's own account of a PFX (pkcs12 -info -noout), read with the legacy provider so RC2 files open too.</summary>
        public string Info(string fileName, string? password) =>
            ExpectWithPassword(password ?? string.Empty, "pkcs12", "-info", "-noout", "-legacy", "-in", fileName, "-passin", "env:PFX_PASSWORD").AllText;

        private void MakeCertificates()
        {
            string dir = WorkDirectory;
            OpenSslMaker.RsaKey(dir, "root.key");
            OpenSslMaker.SelfSigned(dir, "root.key", "root.crt", "/C=GB/O=Example Ltd/CN=Example Test Root CA");

            string[] caExtensions =
            {
                "basicConstraints=critical,CA:TRUE,pathlen:0",
                "keyUsage=critical,keyCertSign,cRLSign",
                "subjectKeyIdentifier=hash",
                "authorityKeyIdentifier=keyid:always",
            };
            OpenSslMaker.RsaKey(dir, "intermediate.key");
            OpenSslMaker.Issue(dir, "intermediate.key", "/C=GB/O=Example Ltd/CN=Example Test Intermediate CA", "root.crt", "root.key", "intermediate.crt", caExtensions);

            // A renewed intermediate: the same name, another key. Only the key identifiers tell them apart.
            OpenSslMaker.RsaKey(dir, "intermediate-old.key");
            OpenSslMaker.Issue(dir, "intermediate-old.key", "/C=GB/O=Example Ltd/CN=Example Test Intermediate CA", "root.crt", "root.key", "intermediate-old.crt", caExtensions);

            OpenSslMaker.EcKey(dir, "unrelated.key");
            OpenSslMaker.SelfSigned(dir, "unrelated.key", "unrelated.crt", "/C=US/O=Elsewhere Inc/CN=Unrelated Root CA");

            OpenSslMaker.RsaKey(dir, "rsa-leaf.key");
            OpenSslMaker.Issue(dir, "rsa-leaf.key", "/C=GB/O=Example Ltd/CN=www.example.com", "intermediate.crt", "intermediate.key", "rsa-leaf.crt", LeafExtensions("www.example.com"));
            OpenSslMaker.EcKey(dir, "ec-leaf.key");
            OpenSslMaker.Issue(dir, "ec-leaf.key", "/C=GB/O=Example Ltd/CN=api.example.com", "intermediate.crt", "intermediate.key", "ec-leaf.crt", LeafExtensions("api.example.com"));

            foreach (string name in new[] { "root", "intermediate", "intermediate-old", "unrelated", "rsa-leaf", "ec-leaf" })
            {
                string fingerprint = OpenSslMaker.Field(OpenSsl.Expect(dir, "x509", "-in", CertificateFile(name), "-noout", "-fingerprint", "-sha1").Output, "SHA1 Fingerprint");
                _thumbprints[name] = fingerprint.Replace(":", string.Empty);
                _subjects[name] = OpenSslMaker.Field(OpenSsl.Expect(dir, "x509", "-in", CertificateFile(name), "-noout", "-subject", "-nameopt", "RFC2253").Output, "subject");
                _publicKeys[name] = OpenSslMaker.PublicKeyOfKey(dir, KeyFile(name));
            }

            // CA bundles for -certfile: root first (not the order a chain runs), and with strangers in it.
            Concatenate("chain-root-first.pem", "root", "intermediate");
            Concatenate("chain-with-extras.pem", "unrelated", "intermediate-old", "root", "intermediate");
            Concatenate("rsa-fullchain.pem", "rsa-leaf", "intermediate", "root");
        }

        private static string[] LeafExtensions(string dnsName) => new[]
        {
            "basicConstraints=critical,CA:FALSE",
            "keyUsage=critical,digitalSignature,keyEncipherment",
            "extendedKeyUsage=serverAuth",
            "subjectAltName=DNS:" + dnsName,
            "subjectKeyIdentifier=hash",
            "authorityKeyIdentifier=keyid:always",
        };

        private void Concatenate(string target, params string[] certificates)
        {
            File.WriteAllText(PathOf(target), string.Concat(certificates.Select(c => File.ReadAllText(PathOf(CertificateFile(c))))));
        }

        private void MakeWithOpenSsl(PfxVariant variant)
        {
            var arguments = new List<string> { "pkcs12", "-export", "-out", variant.FileName, "-passout", "env:PFX_PASSWORD" };
            string leaf = variant.Leaf ?? "rsa-leaf";
            arguments.AddRange(new[] { "-in", CertificateFile(leaf), "-inkey", KeyFile(leaf) });
            switch (variant.Name)
            {
                case "extra-certificates":
                    arguments.AddRange(new[] { "-certfile", "chain-with-extras.pem" });
                    break;
                case "leaf-only":
                    break;
                default:
                    arguments.AddRange(new[] { "-certfile", "chain-root-first.pem" });
                    break;
            }

            arguments.AddRange(variant.Name switch
            {
                "openssl-legacy" or "ec-legacy" or "unicode-legacy" or "empty-password-legacy" => new[] { "-legacy" },
                "windows-3des" => new[]
                {
                    "-certpbe", "PBE-SHA1-3DES", "-keypbe", "PBE-SHA1-3DES", "-macalg", "sha1",
                    "-name", "www.example.com (IIS)", "-caname", "Example Test Root CA", "-caname", "Example Test Intermediate CA",
                    "-CSP", "Microsoft Enhanced RSA and AES Cryptographic Provider", "-LMK",
                },
                "windows-aes256" => new[]
                {
                    "-certpbe", "AES-256-CBC", "-keypbe", "AES-256-CBC", "-macalg", "sha256",
                    "-name", "www.example.com (IIS)", "-CSP", "Microsoft Software Key Storage Provider",
                },
                "aes128-sha512-mac" => new[] { "-certpbe", "AES-128-CBC", "-keypbe", "AES-128-CBC", "-macalg", "sha512" },
                "aes192-sha384-mac" => new[] { "-certpbe", "AES-192-CBC", "-keypbe", "AES-192-CBC", "-macalg", "sha384" },
                "pbes2-3des" => new[] { "-certpbe", "DES-EDE3-CBC", "-keypbe", "DES-EDE3-CBC" },
                "legacy-rc2-128-2des" => new[] { "-legacy", "-certpbe", "PBE-SHA1-RC2-128", "-keypbe", "PBE-SHA1-2DES", "-macalg", "sha1" },
                "legacy-one-iteration" => new[] { "-legacy", "-noiter", "-nomaciter" },
                "certificates-unencrypted" => new[] { "-certpbe", "NONE" },
                "no-mac" => new[] { "-nomac" },
                "no-mac-legacy" => new[] { "-legacy", "-nomac" },
                "unprotected" => new[] { "-certpbe", "NONE", "-keypbe", "NONE", "-nomac" },
                _ => Array.Empty<string>(),
            });

            ExpectWithPassword(variant.Password, arguments.ToArray());
        }

        /// <summary>Files that hold no key with a certificate: openssl -nokeys and -nocerts.</summary>
        private void MakeIncompleteFiles()
        {
            ExpectWithPassword(Password, "pkcs12", "-export", "-nokeys", "-in", "rsa-fullchain.pem", "-out", CertificatesOnlyFile, "-passout", "env:PFX_PASSWORD");
            ExpectWithPassword(Password, "pkcs12", "-export", "-nocerts", "-inkey", KeyFile("rsa-leaf"), "-out", KeyOnlyFile, "-passout", "env:PFX_PASSWORD");
            ExpectWithPassword(Password, "pkcs12", "-export", "-nokeys", "-in", "chain-root-first.pem", "-out", CasOnlyFile, "-passout", "env:PFX_PASSWORD");
        }

        private void MakeWithDotNet()
        {
            using X509Certificate2 root = X509CertificateLoader.LoadCertificateFromFile(PathOf("root.crt"));
            using X509Certificate2 intermediate = X509CertificateLoader.LoadCertificateFromFile(PathOf("intermediate.crt"));
            using X509Certificate2 rsaLeaf = WithKey("rsa-leaf");
            using X509Certificate2 ecLeaf = WithKey("ec-leaf");

            File.WriteAllBytes(PathOf("dotnet-export.pfx"), rsaLeaf.Export(X509ContentType.Pfx, Password));
            // .NET on Linux writes a collection's certificates last to first: this puts the root first, the leaf last.
            File.WriteAllBytes(PathOf("dotnet-leaf-last.pfx"), new X509Certificate2Collection { rsaLeaf, intermediate, root }.Export(X509ContentType.Pkcs12, Password)!);
            File.WriteAllBytes(PathOf("dotnet-ec-leaf-last.pfx"), new X509Certificate2Collection { ecLeaf, intermediate, root }.Export(X509ContentType.Pkcs12, Password)!);
            File.WriteAllBytes(PathOf(SeveralKeysFile), new X509Certificate2Collection { root, rsaLeaf, intermediate, ecLeaf }.Export(X509ContentType.Pkcs12, Password)!);
        }

        private X509Certificate2 WithKey(string name)
        {
            using X509Certificate2 certificate = X509CertificateLoader.LoadCertificateFromFile(PathOf(CertificateFile(name)));
            string pem = File.ReadAllText(PathOf(KeyFile(name)));
            if (pem.Contains("EC PRIVATE KEY", StringComparison.Ordinal))
            {
                using ECDsa ec = ECDsa.Create();
                ec.ImportFromPem(pem);
                return certificate.CopyWithPrivateKey(ec);
            }

            using RSA rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            return certificate.CopyWithPrivateKey(rsa);
        }
    }
}
