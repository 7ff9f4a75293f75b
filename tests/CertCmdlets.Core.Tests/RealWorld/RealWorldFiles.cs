using System;
using System.IO;
using System.Linq;
using CertCmdlets.Core.Tests.Infrastructure;

namespace CertCmdlets.Core.Tests.RealWorld
{
    /// <summary>
    /// The kinds of files issue 15 met in the real world, made by openssl once per test class: damaged extended key
    /// usages, RSA-PSS keys and certificates, IDN names as raw UTF-8 and as A-labels, version 1 roots, DSA keys, an
    /// explicit-curve P-256 key, weak requests (RSA-512, DSA, MD4, MD5, SHA-1), PFX and PKCS#7 files for padding.
    /// </summary>
    public sealed class RealWorldFiles : IDisposable
    {
        public const string PfxPassword = "Real World 1";

        private readonly TempDirectory _directory = new TempDirectory();
        private readonly Lazy<string> _made;

        public RealWorldFiles()
        {
            _made = new Lazy<string>(Make);
        }

        public string Directory => _made.Value;

        public string PathOf(string file) => Path.Combine(Directory, file);

        public byte[] Bytes(string file) => File.ReadAllBytes(PathOf(file));

        public OpenSslResult OpenSsl(params string[] arguments) => Infrastructure.OpenSsl.Run(Directory, arguments);

        public void Dispose() => _directory.Dispose();

        /// <summary>
        /// An MD4-signed request, made by BouncyCastle: openssl 3.0 makes one only with its legacy provider, and then writes
        /// the MD4 DigestInfo with the OID 1.2.840.113549.2.3 instead of MD4's 1.2.840.113549.2.4 (it verifies its own
        /// mistake; no other implementation does), so its file is not what old MD4 tools wrote.
        /// </summary>
        private static void MakeMd4Request(string directory, string keyFile, string requestFile)
        {
            using var reader = new StringReader(File.ReadAllText(Path.Combine(directory, keyFile)));
            var key = (Org.BouncyCastle.Crypto.Parameters.RsaPrivateCrtKeyParameters)new Org.BouncyCastle.OpenSsl.PemReader(reader).ReadObject();
            var publicKey = Org.BouncyCastle.X509.SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(new Org.BouncyCastle.Crypto.Parameters.RsaKeyParameters(false, key.Modulus, key.PublicExponent));
            var info = new Org.BouncyCastle.Asn1.Pkcs.CertificationRequestInfo(new Org.BouncyCastle.Asn1.X509.X509Name("CN=md4.example"), publicKey, null);
            var signer = new Org.BouncyCastle.Crypto.Signers.RsaDigestSigner(new Org.BouncyCastle.Crypto.Digests.MD4Digest(), Org.BouncyCastle.Asn1.Pkcs.PkcsObjectIdentifiers.MD4);
            signer.Init(true, key);
            byte[] signed = info.GetDerEncoded();
            signer.BlockUpdate(signed, 0, signed.Length);
            var request = new Org.BouncyCastle.Asn1.Pkcs.CertificationRequest(
                info,
                new Org.BouncyCastle.Asn1.X509.AlgorithmIdentifier(Org.BouncyCastle.Asn1.Pkcs.PkcsObjectIdentifiers.MD4WithRsaEncryption, Org.BouncyCastle.Asn1.DerNull.Instance),
                new Org.BouncyCastle.Asn1.DerBitString(signer.GenerateSignature()));
            File.WriteAllText(Path.Combine(directory, requestFile), PemText.Encode("CERTIFICATE REQUEST", request.GetEncoded()));
        }

        private static void Write(string directory, string file, string text) => File.WriteAllText(Path.Combine(directory, file), text);

        private string Make()
        {
            string d = _directory.Path;
            void O(params string[] arguments) => Infrastructure.OpenSsl.Expect(d, arguments);

            // A v3 EC root and leaves with odd extended key usages, signed by it.
            OpenSslMaker.EcKey(d, "root.key");
            OpenSslMaker.SelfSigned(d, "root.key", "root.pem", "/O=Real World/CN=Real World Root");
            OpenSslMaker.EcKey(d, "leaf.key");
            O("req", "-new", "-key", "leaf.key", "-subj", "/CN=www.example.com", "-out", "leaf.csr");
            Write(d, "ext.cnf", string.Join("\n",
                "[emptyeku]", "extendedKeyUsage=DER:30:00", "subjectAltName=DNS:www.example.com",
                "[oddeku]", "extendedKeyUsage=DER:30:02:06:00", "subjectAltName=DNS:www.example.com",
                "[idn]", "basicConstraints=CA:FALSE", "extendedKeyUsage=serverAuth", "subjectAltName=DNS:b\u00fccher.example,DNS:xn--bcher-kva.example,DNS:biztos\u00edt\u00e1s.hu,DNS:*.xn--mnchen-3ya.example",
                "[server]", "basicConstraints=CA:FALSE", "keyUsage=critical,digitalSignature,keyEncipherment", "extendedKeyUsage=serverAuth", "subjectAltName=DNS:www.example.com",
                "[ca]", "basicConstraints=critical,CA:TRUE", "keyUsage=critical,keyCertSign,cRLSign", "subjectKeyIdentifier=hash",
                string.Empty));
            foreach (string kind in new[] { "emptyeku", "oddeku", "idn" })
            {
                O("x509", "-req", "-in", "leaf.csr", "-CA", "root.pem", "-CAkey", "root.key", "-days", "30", "-extfile", "ext.cnf", "-extensions", kind, "-out", kind + ".pem");
            }

            // RSA-PSS: a key restricted to PSS, its self-signed certificate, and a leaf an RSA CA signed with PSS and a 20-byte salt.
            O("genpkey", "-algorithm", "RSA-PSS", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "pss.key");
            O("req", "-x509", "-new", "-key", "pss.key", "-subj", "/CN=pss.example", "-days", "30", "-out", "pss.pem");
            OpenSslMaker.RsaKey(d, "rsaca.key");
            O("req", "-x509", "-new", "-key", "rsaca.key", "-subj", "/CN=RSA CA", "-days", "30", "-out", "rsaca.pem");
            O("x509", "-req", "-in", "leaf.csr", "-CA", "rsaca.pem", "-CAkey", "rsaca.key", "-days", "30", "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:20", "-sha384",
                "-extfile", "ext.cnf", "-extensions", "server", "-out", "pss-signed.pem");

            // Version 1: a v1 root (x509 -req -signkey, no extensions), a v3 leaf under it, and a v1 intermediate under the v3 root.
            OpenSslMaker.RsaKey(d, "v1root.key");
            O("req", "-new", "-key", "v1root.key", "-subj", "/CN=Real World V1 Root", "-out", "v1root.csr");
            O("x509", "-req", "-in", "v1root.csr", "-signkey", "v1root.key", "-days", "30", "-out", "v1root.pem");
            O("x509", "-req", "-in", "leaf.csr", "-CA", "v1root.pem", "-CAkey", "v1root.key", "-days", "30", "-extfile", "ext.cnf", "-extensions", "server", "-out", "under-v1root.pem");
            OpenSslMaker.EcKey(d, "v1int.key");
            O("req", "-new", "-key", "v1int.key", "-subj", "/CN=Real World V1 Intermediate", "-out", "v1int.csr");
            O("x509", "-req", "-in", "v1int.csr", "-CA", "root.pem", "-CAkey", "root.key", "-days", "30", "-out", "v1int.pem");
            O("x509", "-req", "-in", "leaf.csr", "-CA", "v1int.pem", "-CAkey", "v1int.key", "-days", "30", "-extfile", "ext.cnf", "-extensions", "server", "-out", "under-v1int.pem");

            // DSA keys in every encoding, and in a PFX with its certificate.
            O("genpkey", "-genparam", "-algorithm", "DSA", "-pkeyopt", "dsa_paramgen_bits:2048", "-out", "dsa.param");
            O("genpkey", "-paramfile", "dsa.param", "-out", "dsa-pkcs8.pem");
            O("pkey", "-in", "dsa-pkcs8.pem", "-outform", "DER", "-out", "dsa-pkcs8.der");
            O("dsa", "-in", "dsa-pkcs8.pem", "-outform", "DER", "-out", "dsa-traditional.der");
            O("dsa", "-in", "dsa-pkcs8.pem", "-out", "dsa-traditional.pem");
            O("req", "-x509", "-new", "-key", "dsa-pkcs8.pem", "-subj", "/CN=dsa.example", "-days", "30", "-out", "dsa.pem");
            O("pkcs12", "-export", "-inkey", "dsa-pkcs8.pem", "-in", "dsa.pem", "-passout", "pass:" + PfxPassword, "-out", "dsa.pfx");

            // An explicit-curve P-256 key (the same key also named), its certificates, and an explicit brainpool key.
            O("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-param_enc", "explicit", "-out", "explicit.key");
            O("ec", "-in", "explicit.key", "-param_enc", "named_curve", "-out", "explicit-as-named.key");
            O("req", "-x509", "-new", "-key", "explicit.key", "-subj", "/CN=explicit.example", "-days", "30", "-out", "explicit.pem");
            O("req", "-x509", "-new", "-key", "explicit-as-named.key", "-subj", "/CN=named.example", "-days", "30", "-out", "explicit-as-named.pem");
            O("ecparam", "-name", "brainpoolP256r1", "-genkey", "-noout", "-param_enc", "explicit", "-out", "brainpool-explicit.key");

            // Weak requests: RSA-512, DSA, MD5, SHA-1 (openssl 3 makes MD4 only with its legacy provider).
            O("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:512", "-out", "rsa512.key");
            O("req", "-new", "-key", "rsa512.key", "-subj", "/CN=rsa512.example", "-out", "rsa512.csr");
            O("req", "-new", "-key", "dsa-pkcs8.pem", "-subj", "/CN=dsa.example", "-out", "dsa.csr");
            OpenSslMaker.RsaKey(d, "rsa2048.key");
            O("req", "-new", "-key", "rsa2048.key", "-subj", "/CN=md5.example", "-md5", "-out", "md5.csr");
            O("req", "-new", "-key", "rsa2048.key", "-subj", "/CN=sha1.example", "-sha1", "-out", "sha1.csr");
            MakeMd4Request(d, "rsa2048.key", "md4.csr");
            O("req", "-new", "-key", "leaf.key", "-subj", "/CN=good.example", "-addext", "subjectAltName=DNS:good.example", "-out", "good.csr");
            O("req", "-new", "-key", "leaf.key", "-subj", "/CN=idn.example", "-addext", "subjectAltName=DNS:b\u00fccher.example,DNS:biztos\u00edt\u00e1s.hu", "-out", "idn.csr");
            O("req", "-new", "-key", "pss.key", "-subj", "/CN=pss-request.example", "-addext", "subjectAltName=DNS:pss-request.example", "-out", "pss.csr");

            // PFX and PKCS#7 files to pad, as Windows and some tools write them.
            O("pkcs12", "-export", "-inkey", "leaf.key", "-in", "emptyeku.pem", "-certfile", "root.pem", "-passout", "pass:" + PfxPassword, "-out", "plain.pfx");
            File.WriteAllText(Path.Combine(d, "bundle.pem"), string.Concat(new[] { "idn.pem", "emptyeku.pem", "root.pem" }.Select(f => File.ReadAllText(Path.Combine(d, f)))));
            O("crl2pkcs7", "-nocrl", "-certfile", "bundle.pem", "-outform", "DER", "-out", "bundle.p7b");
            return d;
        }
    }
}
