using System;
using System.IO;
using CertCmdlets.Core.Tests.Chains;
using CertCmdlets.Core.Tests.Infrastructure;

namespace CertCmdlets.Core.Tests.Inventory
{
    /// <summary>
    /// The certificates a server's TLS folder holds, made once per test class by openssl: an EC root and intermediate
    /// CA, an RSA server certificate for a year (www.example.test) with its key and request, an EC server certificate
    /// that is due (10 days), a self-signed server certificate, a second unrelated root, a PFX and a public key file.
    /// Made on first use, so a class whose tests are all skipped never calls openssl.
    /// </summary>
    public sealed class InventoryPki : IDisposable
    {
        private readonly TempDirectory _directory = new TempDirectory();
        private readonly Lazy<string> _made;

        public InventoryPki()
        {
            _made = new Lazy<string>(Make);
        }

        /// <summary>
        /// root.crt/.key, int.crt/.key, www.crt/.key (RSA, 365 days), www.csr, due.crt/.key (EC, 10 days),
        /// self.crt/.key (self-signed leaf), root2.crt, www.p12 (password 'pfx'), www.pub.
        /// </summary>
        public string Directory => _made.Value;

        public string PathOf(string file) => Path.Combine(Directory, file);

        public string Text(string file) => File.ReadAllText(PathOf(file));

        /// <summary>Copies a file of the PKI into <paramref name="directory"/> under <paramref name="name"/>.</summary>
        public string CopyTo(string file, string directory, string name)
        {
            System.IO.Directory.CreateDirectory(directory);
            string target = Path.Combine(directory, name);
            File.Copy(PathOf(file), target);
            return target;
        }

        /// <summary>Writes the concatenation of PKI files into <paramref name="directory"/>/<paramref name="name"/>.</summary>
        public string Concatenate(string directory, string name, params string[] files)
        {
            System.IO.Directory.CreateDirectory(directory);
            string target = Path.Combine(directory, name);
            File.WriteAllText(target, string.Concat(Array.ConvertAll(files, Text)));
            return target;
        }

        public void Dispose() => _directory.Dispose();

        private string Make()
        {
            string path = _directory.Path;
            ChainMaker.Root(path, "root.key", "root.crt", "/O=Inventory Test PKI/CN=Inventory Test Root CA");
            ChainMaker.Intermediate(path, "int.key", "/O=Inventory Test PKI/CN=Inventory Test Issuing CA", "root.crt", "root.key", "int.crt");
            OpenSslMaker.RsaKey(path, "www.key");
            ChainMaker.Leaf(path, "www.key", "/C=GB/O=Example Ltd/CN=www.example.test", "int.crt", "int.key", "www.crt", new[] { "www.example.test", "example.test" }, days: 365);
            ChainMaker.Request(path, "www.key", "/CN=www.example.test", "www.csr");
            ChainMaker.Leaf(path, "due.key", "/CN=due.example.test", "int.crt", "int.key", "due.crt", new[] { "due.example.test" }, days: 10);
            OpenSslMaker.EcKey(path, "self.key");
            OpenSslMaker.SelfSigned(path, "self.key", "self.crt", "/CN=self.example.test", "DNS:self.example.test", null, "-addext", "basicConstraints=critical,CA:FALSE");
            ChainMaker.Root(path, "root2.key", "root2.crt", "/CN=Unrelated Root CA");
            OpenSsl.Expect(path, new[] { "pkcs12", "-export", "-in", "www.crt", "-inkey", "www.key", "-passout", "env:PW", "-out", "www.p12" }, OpenSsl.Password("pfx"));
            OpenSsl.Expect(path, "pkey", "-in", "www.key", "-pubout", "-out", "www.pub");
            return path;
        }
    }
}
