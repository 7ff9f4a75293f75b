using System;
using System.IO;
using CertCmdlets.Core.Tests.Infrastructure;

namespace CertCmdlets.Core.Tests.Chains
{
    /// <summary>
    /// A PKI made by openssl once per test class, with the awkward certificates real chains have: a decoy
    /// intermediate (same name, other key), a cross-signed root (same subject and key, two issuers), an expired
    /// intermediate, a name-constrained intermediate, a clientAuth-only leaf, a SHA-1 leaf, a wildcard leaf and a
    /// leaf that expires within days. Made on first use, so skipped tests (no openssl) call nothing.
    /// </summary>
    public sealed class ChainPkiFixture : IDisposable
    {
        public const string RootSubject = "/O=Chain Test PKI/CN=Chain Test Root CA";
        public const string IntermediateSubject = "/O=Chain Test PKI/CN=Chain Test Intermediate CA";
        public const string OldRootSubject = "/O=Chain Test PKI/CN=Chain Test Old Root CA";
        public const string ExpiredIntermediateSubject = "/O=Chain Test PKI/CN=Chain Test Expired Intermediate CA";
        public const string ConstrainedSubject = "/O=Chain Test PKI/CN=Chain Test Constrained CA";

        private readonly TempDirectory _directory = new TempDirectory();
        private readonly Lazy<string> _made;

        public ChainPkiFixture()
        {
            _made = new Lazy<string>(Make);
        }

        /// <summary>The directory with every .crt and .key (see <see cref="Make"/>).</summary>
        public string Directory => _made.Value;

        public string PathOf(string file) => Path.Combine(Directory, file);

        /// <summary>A fresh object for the one certificate in <paramref name="file"/> (tests may set its Chain).</summary>
        public CertificateInfo Certificate(string file) => ChainMaker.ReadOne(Directory, file);

        public void Dispose() => _directory.Dispose();

        private string Make()
        {
            string d = _directory.Path;
            ChainMaker.Root(d, "root.key", "root.crt", RootSubject);
            ChainMaker.Intermediate(d, "int.key", IntermediateSubject, "root.crt", "root.key", "int.crt");
            ChainMaker.Leaf(d, "leaf.key", "/CN=www.example.com", "int.crt", "int.key", "leaf.crt", new[] { "www.example.com", "example.com" });
            ChainMaker.Leaf(d, "leaf2.key", "/CN=api.example.com", "int.crt", "int.key", "leaf2.crt", new[] { "api.example.com" });
            ChainMaker.Leaf(d, "wild.key", "/CN=*.example.com", "int.crt", "int.key", "wild.crt", new[] { "*.example.com" });

            // Same subject as the intermediate, another key: a chain builder that goes by names alone picks it.
            ChainMaker.Intermediate(d, "decoy.key", IntermediateSubject, "root.crt", "root.key", "decoy.crt");

            // The root's key and subject, certified by an older root as well: two issuers for one CA.
            ChainMaker.Root(d, "oldroot.key", "oldroot.crt", OldRootSubject);
            ChainMaker.Issue(d, "root.key", RootSubject, "oldroot.crt", "oldroot.key", "root-by-old.crt", 1825, ChainMaker.CaExtensions);

            ChainMaker.ExpiredIntermediate(d, "expint.key", ExpiredIntermediateSubject, "root.crt", "root.key", "expint.crt");
            ChainMaker.Leaf(d, "expleaf.key", "/CN=expired-path.example.com", "expint.crt", "expint.key", "expleaf.crt", new[] { "expired-path.example.com" });

            ChainMaker.Intermediate(d, "ncint.key", ConstrainedSubject, "root.crt", "root.key", "ncint.crt", extraExtension: "nameConstraints=critical,permitted;DNS:example.com");
            ChainMaker.Leaf(d, "ncok.key", "/CN=shop.example.com", "ncint.crt", "ncint.key", "ncok.crt", new[] { "shop.example.com" });
            ChainMaker.Leaf(d, "ncbad.key", "/CN=other.org", "ncint.crt", "ncint.key", "ncbad.crt", new[] { "other.org" });

            ChainMaker.Leaf(d, "client.key", "/CN=client.example.com", "int.crt", "int.key", "client.crt", new[] { "client.example.com" }, extendedKeyUsage: "clientAuth");
            ChainMaker.Leaf(d, "sha1.key", "/CN=sha1.example.com", "int.crt", "int.key", "sha1.crt", new[] { "sha1.example.com" }, extra: "-sha1");
            ChainMaker.Leaf(d, "short.key", "/CN=short.example.com", "int.crt", "int.key", "short.crt", new[] { "short.example.com" }, days: 10);

            ChainMaker.Root(d, "unrelated.key", "unrelated.crt", "/O=Someone Else/CN=Unrelated Root CA");

            // The intermediate's key and subject in an earlier, expired certificate (a CA that renewed its intermediate).
            ChainMaker.ExpiredIntermediate(d, "int.key", IntermediateSubject, "root.crt", "root.key", "int-old.crt");

            // A leaf without key identifiers: only the signature tells the intermediate from the decoy.
            ChainMaker.Issue(d, "noaki.key", "/CN=noaki.example.com", "int.crt", "int.key", "noaki.crt", 365, new[]
            {
                "basicConstraints=critical,CA:FALSE", "keyUsage=critical,digitalSignature", "extendedKeyUsage=serverAuth", "subjectAltName=DNS:noaki.example.com",
            });

            // A server certificate (CA:FALSE) that signed another one, and a CA whose key usage forbids signing certificates.
            ChainMaker.Leaf(d, "notca.key", "/O=Chain Test PKI/CN=Not A CA", "int.crt", "int.key", "notca.crt", new[] { "notca.example.com" });
            ChainMaker.Leaf(d, "undernotca.key", "/CN=under-notca.example.com", "notca.crt", "notca.key", "undernotca.crt", new[] { "under-notca.example.com" });
            ChainMaker.Issue(d, "nosign.key", "/O=Chain Test PKI/CN=Chain Test No Cert Sign CA", "root.crt", "root.key", "nosign.crt", 1825, new[]
            {
                "basicConstraints=critical,CA:TRUE,pathlen:0", "keyUsage=critical,digitalSignature,cRLSign", "subjectKeyIdentifier=hash", "authorityKeyIdentifier=keyid",
            });
            ChainMaker.Leaf(d, "undernosign.key", "/CN=under-nosign.example.com", "nosign.crt", "nosign.key", "undernosign.crt", new[] { "under-nosign.example.com" });

            // A self-signed server certificate, as New-CertRequest -SelfSign or openssl req -x509 make for tests.
            ChainMaker.EcKey(d, "selfsigned.key");
            OpenSsl.Expect(d, "req", "-x509", "-new", "-key", "selfsigned.key", "-subj", "/CN=selfsigned.example.com", "-days", "365", "-out", "selfsigned.crt",
                "-addext", "subjectAltName=DNS:selfsigned.example.com", "-addext", "basicConstraints=critical,CA:FALSE", "-addext", "extendedKeyUsage=serverAuth");
            return d;
        }
    }
}
