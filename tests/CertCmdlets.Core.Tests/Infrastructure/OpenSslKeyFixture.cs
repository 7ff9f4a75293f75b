using System;
using System.IO;

namespace CertCmdlets.Core.Tests.Infrastructure
{
    /// <summary>
    /// One RSA 2048 and one EC P-256 key made by openssl, each with a self-signed certificate openssl made for
    /// it, shared by a test class so RSA generation happens once. Made on first use, so a class whose tests
    /// are all skipped (no openssl) never calls openssl.
    /// </summary>
    public sealed class OpenSslKeyFixture : IDisposable
    {
        private readonly TempDirectory _directory = new TempDirectory();
        private readonly Lazy<string> _made;

        public OpenSslKeyFixture()
        {
            _made = new Lazy<string>(Make);
        }

        /// <summary>The directory holding rsa.pem, rsa.crt, ec.pem and ec.crt.</summary>
        public string Directory => _made.Value;

        /// <summary>Copies a fixture file into <paramref name="directory"/> under <paramref name="name"/>.</summary>
        public string CopyTo(string file, string directory, string name)
        {
            string target = Path.Combine(directory, name);
            File.Copy(Path.Combine(Directory, file), target);
            return target;
        }

        public void Dispose() => _directory.Dispose();

        private string Make()
        {
            string path = _directory.Path;
            OpenSslMaker.RsaKey(path, "rsa.pem");
            OpenSslMaker.SelfSigned(path, "rsa.pem", "rsa.crt", "/CN=rsa.example.com", "DNS:rsa.example.com");
            OpenSslMaker.EcKey(path, "ec.pem");
            OpenSslMaker.SelfSigned(path, "ec.pem", "ec.crt", "/CN=ec.example.com", "DNS:ec.example.com");
            return path;
        }
    }
}
