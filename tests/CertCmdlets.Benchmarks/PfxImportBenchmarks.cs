using System;
using System.Collections.Generic;
using System.IO;
using System.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using CertCmdlets.Core;
using CertCmdlets.Core.Pkcs12;
using Org.BouncyCastle.Pkcs;

namespace CertCmdlets.Benchmarks
{
    /// <summary>
    /// The two PFX files of the Import-PfxAsPem benchmarks, each an RSA-2048 key with its leaf certificate and a
    /// 2-certificate chain (intermediate CA, root CA): 3 certificates, 1 key. "OpenSSL3" is what
    /// <c>openssl pkcs12 -export</c> writes by default (PBES2: AES-256-CBC, PBKDF2-HMAC-SHA256, 2048 iterations;
    /// HMAC-SHA256 MAC); "Legacy" is <c>-legacy</c> (certificates under RC2-40, key under 3DES, SHA-1 MAC, 2048
    /// iterations). Without openssl on PATH .NET writes them (the legacy one then has 3DES for both parts).
    /// </summary>
    internal static class PfxTestFiles
    {
        public const string Password = "bench";

        public const string OpenSsl3 = "OpenSSL3";

        public const string Legacy = "Legacy";

        public static string PathOf(string kind)
        {
            string folder = SharedData.Folder("pfx-v1", Create);
            return Path.Combine(folder, kind == Legacy ? "legacy.pfx" : "openssl3.pfx");
        }

        /// <summary>The argument openssl 3 needs to read the file (RC2-40 lives in the legacy provider).</summary>
        public static string[] OpenSslReadArguments(string kind, string path) => kind == Legacy
            ? new[] { "pkcs12", "-legacy", "-in", path, "-passin", "env:PW", "-nodes", "-out", "/dev/null" }
            : new[] { "pkcs12", "-in", path, "-passin", "env:PW", "-nodes", "-out", "/dev/null" };

        public static SecureString SecurePassword()
        {
            var secure = new SecureString();
            foreach (char c in Password)
            {
                secure.AppendChar(c);
            }

            secure.MakeReadOnly();
            return secure;
        }

        private static void Create(string folder)
        {
            DateTimeOffset now = DateTimeOffset.UtcNow;
            using RSA rootKey = RSA.Create(2048);
            using RSA intermediateKey = RSA.Create(2048);
            using RSA leafKey = RSA.Create(2048);

            var rootRequest = new CertificateRequest("CN=Bench PFX Root CA, O=CertCmdlets Bench", rootKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            AddAuthorityExtensions(rootRequest, null);
            using X509Certificate2 root = rootRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(10));

            var intermediateRequest = new CertificateRequest("CN=Bench PFX Intermediate CA, O=CertCmdlets Bench", intermediateKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            AddAuthorityExtensions(intermediateRequest, root);
            using X509Certificate2 intermediate = intermediateRequest.Create(root, now.AddDays(-1), now.AddYears(5), new byte[] { 0x10, 0x01 });

            var leafRequest = new CertificateRequest("CN=pfx.bench.example, O=CertCmdlets Bench", leafKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName("pfx.bench.example");
            leafRequest.CertificateExtensions.Add(san.Build());
            leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            leafRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
            leafRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(leafRequest.PublicKey, false));
            leafRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(intermediate, true, false));
            using X509Certificate2 intermediateWithKey = intermediate.CopyWithPrivateKey(intermediateKey);
            using X509Certificate2 leaf = leafRequest.Create(intermediateWithKey, now.AddDays(-1), now.AddYears(1), new byte[] { 0x20, 0x02 });

            string? openssl = CliTool.FindOnPath("openssl");
            if (openssl is not null)
            {
                string keyPath = Path.Combine(folder, "leaf.key");
                string leafPath = Path.Combine(folder, "leaf.pem");
                string chainPath = Path.Combine(folder, "chain.pem");
                File.WriteAllText(keyPath, leafKey.ExportPkcs8PrivateKeyPem());
                File.WriteAllText(leafPath, leaf.ExportCertificatePem() + "\n");
                File.WriteAllText(chainPath, intermediate.ExportCertificatePem() + "\n" + root.ExportCertificatePem() + "\n");
                var environment = new Dictionary<string, string> { ["PW"] = Password };
                CliTool.Run(openssl, new[] { "pkcs12", "-export", "-inkey", keyPath, "-in", leafPath, "-certfile", chainPath, "-passout", "env:PW", "-out", Path.Combine(folder, "openssl3.pfx") }, environment);
                CliTool.Run(openssl, new[] { "pkcs12", "-export", "-legacy", "-inkey", keyPath, "-in", leafPath, "-certfile", chainPath, "-passout", "env:PW", "-out", Path.Combine(folder, "legacy.pfx") }, environment);
                File.WriteAllText(Path.Combine(folder, "made-by.txt"), "openssl pkcs12 -export (and -legacy)\n");
                return;
            }

            using X509Certificate2 leafWithKey = leaf.CopyWithPrivateKey(leafKey);
            var collection = new X509Certificate2Collection { leafWithKey, intermediate, root };
            File.WriteAllBytes(Path.Combine(folder, "openssl3.pfx"), collection.ExportPkcs12(new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 2048), Password));
            File.WriteAllBytes(Path.Combine(folder, "legacy.pfx"), collection.ExportPkcs12(new PbeParameters(PbeEncryptionAlgorithm.TripleDes3KeyPkcs12, HashAlgorithmName.SHA1, 2048), Password));
            File.WriteAllText(Path.Combine(folder, "made-by.txt"), ".NET X509Certificate2Collection.ExportPkcs12 (openssl was not on PATH)\n");
        }

        private static void AddAuthorityExtensions(CertificateRequest request, X509Certificate2? issuer)
        {
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, issuer is not null, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            if (issuer is not null)
            {
                request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
            }
        }
    }

    /// <summary>
    /// Import-PfxAsPem's core (PfxReader.Parse: MAC check, decryption, key and certificates, leaf and chain order)
    /// against .NET's loader (baseline) and BouncyCastle's Pkcs12Store on the same bytes.
    /// Target: within 2x of .NET's loader.
    /// </summary>
    [Config(typeof(SteadyConfig))]
    [MemoryDiagnoser]
    [MedianColumn]
    [MeanColumn]
    public class PfxImportBenchmarks
    {
        private byte[] _pfx = Array.Empty<byte>();
        private SecureString? _securePassword;
        private char[] _passwordCharacters = Array.Empty<char>();

        [Params(PfxTestFiles.OpenSsl3, PfxTestFiles.Legacy)]
        public string File { get; set; } = PfxTestFiles.OpenSsl3;

        [GlobalSetup]
        public void Setup()
        {
            _pfx = System.IO.File.ReadAllBytes(PfxTestFiles.PathOf(File));
            _securePassword = PfxTestFiles.SecurePassword();
            _passwordCharacters = PfxTestFiles.Password.ToCharArray();

            // Fail here, not in the middle of the measurements, when one of the readers cannot read the file.
            if (CertCmdlets().Leaves.Count != 1 || NativeLoader() != 3 || BouncyCastle() != 4)
            {
                throw new InvalidOperationException("A reader did not find the key and the 3 certificates.");
            }
        }

        [GlobalCleanup]
        public void Cleanup()
        {
            _securePassword?.Dispose();
        }

        [Benchmark(Baseline = true, Description = "Native: X509CertificateLoader.LoadPkcs12Collection")]
        public int NativeLoader()
        {
            X509Certificate2Collection collection = X509CertificateLoader.LoadPkcs12Collection(_pfx, PfxTestFiles.Password);
            int count = collection.Count;
            foreach (X509Certificate2 certificate in collection)
            {
                certificate.Dispose();
            }

            return count;
        }

        [Benchmark(Description = "CertCmdlets: PfxReader.Parse")]
        public PfxContents CertCmdlets()
        {
            return PfxReader.Parse(_pfx, "bench", _securePassword, NullCoreLog.Instance);
        }

        [Benchmark(Description = "BouncyCastle: Pkcs12Store.Load + GetCertificateChain")]
        public int BouncyCastle()
        {
            Pkcs12Store store = new Pkcs12StoreBuilder().Build();
            using var stream = new MemoryStream(_pfx, writable: false);
            store.Load(stream, _passwordCharacters);
            // The key with its chain, as an importer uses it (OpenSSL's CA certificates have no alias of their own).
            int entries = 0;
            foreach (string alias in store.Aliases)
            {
                if (store.IsKeyEntry(alias))
                {
                    entries += 1 + (store.GetCertificateChain(alias)?.Length ?? 0);
                }
            }

            return entries;
        }
    }

    /// <summary>
    /// Import-PfxAsPem against the CLI: one <c>openssl pkcs12 -in f.pfx -passin env:PW -nodes -out /dev/null</c>
    /// process per file (baseline; the password goes through the child's environment) against reading the same file
    /// in process with PfxReader.ReadFile and with .NET's loader. Target: faster than openssl per file.
    /// </summary>
    [Config(typeof(ProcessConfig))]
    [MemoryDiagnoser]
    [MedianColumn]
    [MeanColumn]
    public class PfxCliBenchmarks
    {
        private static readonly IReadOnlyDictionary<string, string> s_environment = new Dictionary<string, string> { ["PW"] = PfxTestFiles.Password };

        private string _openssl = "openssl";
        private string _path = string.Empty;
        private string[] _arguments = Array.Empty<string>();
        private SecureString? _securePassword;

        [Params(PfxTestFiles.OpenSsl3, PfxTestFiles.Legacy)]
        public string File { get; set; } = PfxTestFiles.OpenSsl3;

        [GlobalSetup]
        public void Setup()
        {
            _openssl = CliTool.RequireOnPath("openssl");
            _path = PfxTestFiles.PathOf(File);
            _arguments = PfxTestFiles.OpenSslReadArguments(File, _path);
            _securePassword = PfxTestFiles.SecurePassword();
        }

        [GlobalCleanup]
        public void Cleanup()
        {
            _securePassword?.Dispose();
        }

        [Benchmark(Baseline = true, Description = "CLI: openssl pkcs12 -in f.pfx -nodes -out /dev/null")]
        public int OpenSslPkcs12()
        {
            return CliTool.Run(_openssl, _arguments, s_environment);
        }

        [Benchmark(Description = "CertCmdlets: PfxReader.ReadFile")]
        public PfxContents CertCmdlets()
        {
            return PfxReader.ReadFile(_path, _securePassword, NullCoreLog.Instance);
        }

        [Benchmark(Description = "Native: LoadPkcs12CollectionFromFile")]
        public int NativeLoader()
        {
            X509Certificate2Collection collection = X509CertificateLoader.LoadPkcs12CollectionFromFile(_path, PfxTestFiles.Password);
            int count = collection.Count;
            foreach (X509Certificate2 certificate in collection)
            {
                certificate.Dispose();
            }

            return count;
        }
    }
}
