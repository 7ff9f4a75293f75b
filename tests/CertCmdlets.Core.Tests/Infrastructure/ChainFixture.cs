using System;
using System.IO;

namespace CertCmdlets.Core.Tests.Infrastructure
{
    /// <summary>
    /// A small PKI made by openssl, once per test class: an EC root CA, an EC intermediate CA and an RSA leaf with
    /// DNS and IP alternative names. Made on first use (no openssl call when every test is skipped).
    /// </summary>
    public sealed class ChainFixture : IDisposable
    {
        public const string LeafSubject = "/C=GB/ST=Greater London/L=London/O=Example, Ltd/OU=Web/CN=www.example.com";

        private readonly TempDirectory _directory = new TempDirectory();
        private readonly Lazy<string> _made;

        public ChainFixture()
        {
            _made = new Lazy<string>(Make);
        }

        /// <summary>Holds root.crt, int.crt, leaf.crt (PEM) and their keys root.key, int.key, leaf.key.</summary>
        public string Directory => _made.Value;

        public string PathOf(string file) => Path.Combine(Directory, file);

        public string Text(string file) => File.ReadAllText(PathOf(file));

        public string CopyTo(string file, string directory, string name)
        {
            string target = Path.Combine(directory, name);
            File.Copy(PathOf(file), target);
            return target;
        }

        public void Dispose() => _directory.Dispose();

        private string Make()
        {
            string path = _directory.Path;
            OpenSslMaker.EcKey(path, "root.key");
            OpenSslMaker.SelfSigned(path, "root.key", "root.crt", "/O=Example Test PKI/CN=Example Test Root CA");
            OpenSslMaker.EcKey(path, "int.key", "secp384r1");
            OpenSslMaker.Issue(path, "int.key", "/O=Example Test PKI/CN=Example Test Intermediate CA", "root.crt", "root.key", "int.crt",
                "basicConstraints=critical,CA:TRUE,pathlen:0", "keyUsage=critical,keyCertSign,cRLSign", "subjectKeyIdentifier=hash", "authorityKeyIdentifier=keyid");
            OpenSslMaker.RsaKey(path, "leaf.key");
            OpenSslMaker.Issue(path, "leaf.key", LeafSubject, "int.crt", "int.key", "leaf.crt",
                "basicConstraints=critical,CA:FALSE", "keyUsage=critical,digitalSignature,keyEncipherment", "extendedKeyUsage=serverAuth",
                "subjectAltName=DNS:www.example.com,DNS:example.com,IP:192.0.2.7,IP:2001:db8::7");
            return path;
        }
    }
}
