using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.Versioning;
using System.Threading;
using System.Threading.Tasks;
using CertCmdlets.Core.Inventory;
using CertCmdlets.Core.IO;
using CertCmdlets.Core.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Core.Tests.Inventory
{
    /// <summary>
    /// Taking stock of a server's certificates (issue 9): files grouped into the certificates a server uses, the files
    /// of one directory merged into one object per site, what is not a certificate passed over, every unreadable item
    /// reported while the walk goes on, symbolic link loops ended, the renewal filters. Inputs made by openssl.
    /// </summary>
    public sealed class InventoryTests : IDisposable, IClassFixture<InventoryPki>
    {
        private readonly InventoryPki _pki;
        private readonly TempDirectory _temp = new TempDirectory();

        public InventoryTests(InventoryPki pki)
        {
            _pki = pki;
        }

        public void Dispose() => _temp.Dispose();

        // --- One file --------------------------------------------------------------------------------------------

        [OpenSslFact]
        public void FullChainFile_IsOneObject_TheServerCertificateWithItsChain()
        {
            string file = _pki.Concatenate(_temp.Path, "fullchain.pem", "www.crt", "int.crt");

            CertificateInfo certificate = Assert.Single(CertificateInventory.ReadNamedFile(file));

            Assert.Equal("www.example.test", certificate.CommonName);
            Assert.Equal(new[] { Thumbprint("int.crt") }, certificate.Chain.Select(c => c.Thumbprint));
            Assert.Equal(file, certificate.CertificatePath);
            Assert.Equal(file, certificate.FullChainPath);
        }

        [OpenSslFact]
        public void FullChainWithRoot_KeepsTheRootInTheChain()
        {
            string file = _pki.Concatenate(_temp.Path, "fullchain.pem", "www.crt", "int.crt", "root.crt");

            CertificateInfo certificate = Assert.Single(CertificateInventory.ReadNamedFile(file));

            Assert.Equal(new[] { Thumbprint("int.crt"), Thumbprint("root.crt") }, certificate.Chain.Select(c => c.Thumbprint));
            Assert.Equal(file, certificate.FullChainPath);
        }

        [OpenSslFact]
        public void ChainBeforeTheCertificate_IsOneObject_ButNotAFullChainFileForApache()
        {
            // Apache sends SSLCertificateFile in file order: a file with the server certificate last is no full chain.
            string file = _pki.Concatenate(_temp.Path, "reversed.pem", "root.crt", "int.crt", "www.crt");

            CertificateInfo certificate = Assert.Single(CertificateInventory.ReadNamedFile(file));

            Assert.Equal("www.example.test", certificate.CommonName);
            Assert.Equal(new[] { Thumbprint("int.crt"), Thumbprint("root.crt") }, certificate.Chain.Select(c => c.Thumbprint));
            Assert.Null(certificate.FullChainPath);
        }

        [OpenSslFact]
        public void CaBundle_GivesOneObjectPerCertificate()
        {
            string file = _pki.Concatenate(_temp.Path, "ca-bundle.crt", "root.crt", "int.crt", "root2.crt");

            List<CertificateInfo> certificates = CertificateInventory.ReadNamedFile(file);

            Assert.Equal(new[] { Thumbprint("root.crt"), Thumbprint("int.crt"), Thumbprint("root2.crt") }, certificates.Select(c => c.Thumbprint));
            Assert.All(certificates, c => Assert.Empty(c.Chain));
        }

        [OpenSslFact]
        public void UnrelatedServerCertificates_GiveOneObjectEach_AndAStrayCaStandsAlone()
        {
            string file = _pki.Concatenate(_temp.Path, "mixed.pem", "www.crt", "int.crt", "self.crt", "due.crt", "root2.crt");

            List<CertificateInfo> certificates = CertificateInventory.ReadNamedFile(file);

            // www and due share the intermediate; self.crt is self-signed; the unrelated root is nobody's chain.
            Assert.Equal(new[] { "www.example.test", "self.example.test", "due.example.test", "Unrelated Root CA" }, certificates.Select(c => c.CommonName));
            Assert.Equal(new[] { Thumbprint("int.crt") }, certificates[0].Chain.Select(c => c.Thumbprint));
            Assert.Equal(new[] { Thumbprint("int.crt") }, certificates[2].Chain.Select(c => c.Thumbprint));
            Assert.Empty(certificates[1].Chain);
            Assert.All(certificates, c => Assert.Null(c.FullChainPath));
        }

        [OpenSslFact]
        public void NamedFile_HoldingAKeyOrARequest_SaysWhatItHoldsAndWhereItBelongs()
        {
            string key = _pki.CopyTo("www.key", _temp.Path, "www.key");
            string request = _pki.CopyTo("www.csr", _temp.Path, "www.csr");

            CertCmdletsException keyError = CoreAssert.Throws("NoCertificateInFile", () => CertificateInventory.ReadNamedFile(key));
            CertCmdletsException requestError = CoreAssert.Throws("NoCertificateInFile", () => CertificateInventory.ReadNamedFile(request));

            Assert.Contains("private key", keyError.Message, StringComparison.Ordinal);
            Assert.Contains("-KeyPath", keyError.RecommendedAction, StringComparison.Ordinal);
            Assert.Contains("Import-CertRequest", requestError.RecommendedAction, StringComparison.Ordinal);
            Assert.Equal(request, requestError.Target);
        }

        [OpenSslFact]
        public void SingleCertificate_OfABundleIsAmbiguous()
        {
            string bundle = _pki.Concatenate(_temp.Path, "ca-bundle.crt", "root.crt", "root2.crt");
            string fullChain = _pki.Concatenate(_temp.Path, "fullchain.pem", "www.crt", "int.crt");

            CoreAssert.Throws("CertificateAmbiguous", () => BundleGrouping.Single(CertificateInventory.ReadNamedFile(bundle), bundle));
            Assert.Equal("www.example.test", BundleGrouping.Single(CertificateInventory.ReadNamedFile(fullChain), fullChain).CommonName);
        }

        // --- One directory --------------------------------------------------------------------------------------

        [OpenSslFact]
        public void Directory_OfOneSite_IsOneObjectNamingEveryFile_AndTheRestIsPassedOverQuietly()
        {
            string site = MakeSite("www");
            string encrypted = Path.Combine(site, "old.key");
            OpenSsl.Expect(site, new[] { "pkcs8", "-topk8", "-v2", "aes256", "-in", "key.pem", "-passout", "env:PW", "-out", "old.key" }, OpenSsl.Password("secret"));
            _pki.CopyTo("www.csr", site, "www.csr");
            _pki.CopyTo("www.p12", site, "www.pfx");
            _pki.CopyTo("www.pub", site, "public.pem");
            File.WriteAllText(Path.Combine(site, "README"), "Renewed by the web team every year.\n");

            RecordingSink sink = Walk(site);

            Assert.Empty(sink.Failed);
            CertificateInfo certificate = Assert.Single(sink.Certificates);
            Assert.Equal("www.example.test", certificate.CommonName);
            Assert.Equal(Path.Combine(site, "cert.pem"), certificate.CertificatePath);
            Assert.Equal(Path.Combine(site, "fullchain.pem"), certificate.FullChainPath);
            Assert.Equal(Path.Combine(site, "chain.pem"), certificate.ChainPath);
            Assert.Equal(Path.Combine(site, "key.pem"), certificate.KeyPath);
            Assert.True(certificate.HasPrivateKey);
            Assert.Equal(new[] { Thumbprint("int.crt") }, certificate.Chain.Select(c => c.Thumbprint));
            Assert.Contains("encrypted private key", sink.ReasonFor(encrypted), StringComparison.Ordinal);
            Assert.Contains("request", sink.ReasonFor(Path.Combine(site, "www.csr")), StringComparison.Ordinal);
            Assert.Contains("PUBLIC KEY", sink.ReasonFor(Path.Combine(site, "public.pem")), StringComparison.Ordinal);
            Assert.NotNull(sink.ReasonFor(Path.Combine(site, "www.pfx")));
            Assert.NotNull(sink.ReasonFor(Path.Combine(site, "README")));
            Assert.Contains("private key", sink.ReasonFor(Path.Combine(site, "key.pem")), StringComparison.Ordinal);
        }

        [OpenSslTheory]
        [InlineData("pkcs1")]
        [InlineData("sec1")]
        [InlineData("combined")]
        public void Directory_FindsTheKeyInTheFormsOpenSslWrites(string form)
        {
            string site = Path.Combine(_temp.Path, form);
            Directory.CreateDirectory(site);
            string keyFile;
            CertificateInfo expected;
            switch (form)
            {
                case "pkcs1":
                    _pki.CopyTo("www.crt", site, "www.crt");
                    OpenSsl.Expect(site, "rsa", "-in", _pki.PathOf("www.key"), "-traditional", "-out", "www.key");
                    Assert.Contains("BEGIN RSA PRIVATE KEY", File.ReadAllText(Path.Combine(site, "www.key")), StringComparison.Ordinal);
                    keyFile = Path.Combine(site, "www.key");
                    expected = Read("www.crt");
                    break;
                case "sec1":
                    _pki.CopyTo("due.crt", site, "due.crt");
                    _pki.CopyTo("due.key", site, "due.key");
                    Assert.Contains("BEGIN EC PRIVATE KEY", File.ReadAllText(Path.Combine(site, "due.key")), StringComparison.Ordinal);
                    keyFile = Path.Combine(site, "due.key");
                    expected = Read("due.crt");
                    break;
                default:
                    // HAProxy's combined PEM: certificate, chain and key in one file.
                    keyFile = _pki.Concatenate(site, "site.pem", "www.crt", "int.crt", "www.key");
                    expected = Read("www.crt");
                    break;
            }

            RecordingSink sink = Walk(site);

            CertificateInfo certificate = Assert.Single(sink.Certificates);
            Assert.Equal(expected.Thumbprint, certificate.Thumbprint);
            Assert.True(certificate.HasPrivateKey);
            Assert.Equal(keyFile, certificate.KeyPath);
        }

        [OpenSslFact]
        public void Directory_TheKeyOfAnotherCertificate_IsNotAttached()
        {
            string site = Path.Combine(_temp.Path, "site");
            _pki.CopyTo("www.crt", site, "cert.pem");
            _pki.CopyTo("due.key", site, "key.pem");

            CertificateInfo certificate = Assert.Single(Walk(site).Certificates);

            Assert.False(certificate.HasPrivateKey);
            Assert.Null(certificate.KeyPath);
        }

        [OpenSslFact]
        public void Directory_OfCaFilesOnly_GivesEveryCertificate_AndAChainFileBesideASiteIsPartOfIt()
        {
            string bundles = Path.Combine(_temp.Path, "bundles");
            _pki.CopyTo("root.crt", bundles, "root.pem");
            _pki.Concatenate(bundles, "ca-bundle.crt", "int.crt", "root2.crt");

            RecordingSink sink = Walk(bundles);

            Assert.Equal(3, sink.Certificates.Count);
            Assert.All(sink.Certificates, c => Assert.True(c.IsCertificateAuthority));

            // Beside a server certificate, a file of its chain (intermediate and root) is its chain file.
            string site = Path.Combine(_temp.Path, "site");
            _pki.CopyTo("www.crt", site, "www.crt");
            _pki.Concatenate(site, "chain.crt", "int.crt", "root.crt");
            CertificateInfo certificate = Assert.Single(Walk(site).Certificates);
            Assert.Equal(Path.Combine(site, "chain.crt"), certificate.ChainPath);
            Assert.Equal(new[] { Thumbprint("int.crt"), Thumbprint("root.crt") }, certificate.Chain.Select(c => c.Thumbprint));
        }

        [OpenSslFact]
        public void Directory_DerAndPkcs7Files_AreRead()
        {
            string folder = Path.Combine(_temp.Path, "formats");
            Directory.CreateDirectory(folder);
            OpenSsl.Expect(folder, "x509", "-in", _pki.PathOf("self.crt"), "-outform", "DER", "-out", "self.der");
            OpenSsl.Expect(folder, "crl2pkcs7", "-nocrl", "-certfile", _pki.PathOf("root.crt"), "-certfile", _pki.PathOf("root2.crt"), "-outform", "DER", "-out", "roots.p7b");

            RecordingSink sink = Walk(folder);

            Assert.Empty(sink.Failed);
            Assert.Equal(
                new[] { Thumbprint("root.crt"), Thumbprint("root2.crt"), Thumbprint("self.crt") }.OrderBy(t => t),
                sink.Certificates.Select(c => c.Thumbprint).OrderBy(t => t));

            // The object keeps the certificate's bytes (the reader clears the buffer it read the file into): the .NET
            // certificate behind it is the same certificate, from a directory and from a file named on its own.
            CertificateInfo named = Assert.Single(CertificateInventory.ReadNamedFile(Path.Combine(folder, "self.der")));
            Assert.All(sink.Certificates.Append(named), c => Assert.Equal(c.Thumbprint, c.Certificate.Thumbprint));
            Assert.Equal(File.ReadAllBytes(Path.Combine(folder, "self.der")), named.Certificate.RawData);
        }

        [OpenSslFact]
        public void FilesHandedOverInBulk_ComeOutInTheOrderTheyCameIn()
        {
            string folder = Path.Combine(_temp.Path, "bulk");
            string one = _pki.CopyTo("www.crt", folder, "one.crt");
            string two = _pki.CopyTo("self.crt", folder, "two.crt");
            var sink = new RecordingSink();
            var inventory = new CertificateInventory(new InventoryOptions(), sink, CancellationToken.None);

            inventory.AddFile(two);
            inventory.AddFile(one);
            inventory.Complete();

            Assert.Equal(new[] { two, one }, sink.Certificates.Select(c => c.CertificatePath));
        }

        // --- Bad input: reported per item, the walk goes on -----------------------------------------------------------

        [OpenSslFact]
        public void DamagedCertificateFiles_AreReportedOneByOne_AndTheOthersAreRead()
        {
            string folder = Path.Combine(_temp.Path, "certs");
            _pki.CopyTo("www.crt", folder, "a-good.crt");
            File.WriteAllText(Path.Combine(folder, "b-interrupted.crt"), "This download was interrupted.\n");
            File.WriteAllText(Path.Combine(folder, "c-empty.pem"), string.Empty);
            string text = _pki.Text("due.crt");
            File.WriteAllText(Path.Combine(folder, "d-truncated.txt"), text.Substring(0, text.Length / 2).Replace("-----END CERTIFICATE-----", string.Empty) + "\n");
            File.WriteAllText(Path.Combine(folder, "e-empty.txt"), string.Empty);
            _pki.CopyTo("self.crt", folder, "f-good.crt");

            RecordingSink sink = Walk(folder);

            Assert.Equal(new[] { "a-good.crt", "f-good.crt" }, sink.Certificates.Select(c => Path.GetFileName(c.CertificatePath)));
            Assert.Equal(new[] { "b-interrupted.crt", "c-empty.pem", "d-truncated.txt" }, sink.Failed.Select(f => Path.GetFileName((string)f.Target!)));
            Assert.All(sink.Failed, f => Assert.Equal("CertificateFileInvalid", f.ErrorId));
            Assert.NotNull(sink.ReasonFor(Path.Combine(folder, "e-empty.txt")));
        }

        [UnixFact]
        public void FifoAndDevice_AreNeverOpened()
        {
            // Reading a FIFO blocks until someone writes: an inventory of /var or /run must not hang on one.
            string folder = Path.Combine(_temp.Path, "special");
            Directory.CreateDirectory(folder);
            Run("mkfifo", Path.Combine(folder, "pipe.pem"));
            Run("mkfifo", Path.Combine(folder, "pipe"));
            _pki.CopyTo("www.crt", folder, "www.crt");

            Task<RecordingSink> walk = Task.Run(() => Walk(folder));

            Assert.True(walk.Wait(TimeSpan.FromSeconds(30)), "The walk hung on a FIFO.");
            Assert.Single(walk.Result.Certificates);
            CertCmdletsException error = Assert.Single(walk.Result.Failed);
            Assert.Equal(Path.Combine(folder, "pipe.pem"), error.Target);
            Assert.NotNull(walk.Result.ReasonFor(Path.Combine(folder, "pipe")));
        }

        [UnixFact]
        public void TooLargeCertificateFile_IsReported_AndALargeUnrelatedFileIsPassedOverUnread()
        {
            string folder = Path.Combine(_temp.Path, "large");
            _pki.CopyTo("www.crt", folder, "www.crt");
            using (FileStream huge = File.Create(Path.Combine(folder, "huge.crt")))
            {
                huge.SetLength(FileInput.MaximumLength + 1);
            }

            using (FileStream backup = File.Create(Path.Combine(folder, "backup.tar")))
            {
                backup.SetLength(FileInput.MaximumLength + 1);
            }

            RecordingSink sink = Walk(folder);

            Assert.Single(sink.Certificates);
            Assert.Equal("FileTooLarge", Assert.Single(sink.Failed).ErrorId);
            Assert.Contains("too large", sink.ReasonFor(Path.Combine(folder, "backup.tar")), StringComparison.Ordinal);
        }

        [UnixFact]
        public void DirectoryThatCannotBeListed_IsReported_AndTheWalkGoesOn()
        {
            // Root may read anything, but not a path longer than the system allows (ENAMETOOLONG): a directory every
            // account fails to list, reported per item like a permission error.
            string folder = Path.Combine(_temp.Path, "tree");
            _pki.CopyTo("www.crt", Path.Combine(folder, "a"), "www.crt");
            _pki.CopyTo("self.crt", Path.Combine(folder, "c"), "self.crt");
            string deep = Path.Combine(folder, "b");
            Directory.CreateDirectory(deep);
            string relative = string.Join("/", Enumerable.Repeat(new string('d', 200), 25));
            Run("mkdir", new[] { "-p", relative }, deep);
            try
            {
                RecordingSink sink = Walk(folder, recurse: true);

                Assert.Equal(new[] { "www.example.test", "self.example.test" }, sink.Certificates.Select(c => c.CommonName));
                CertCmdletsException error = Assert.Single(sink.Failed);
                Assert.Equal("DirectoryReadFailed", error.ErrorId);
                Assert.True(((string)error.Target!).StartsWith(deep, StringComparison.Ordinal), error.Message);
            }
            finally
            {
                Run("rm", new[] { "-rf", "b" }, folder);
            }
        }

        [UnixNonRootFact]
        [UnsupportedOSPlatform("windows")]
        public void UnreadableDirectoryAndFile_AreReportedOneByOne()
        {
            string folder = Path.Combine(_temp.Path, "perm");
            _pki.CopyTo("www.crt", Path.Combine(folder, "a"), "www.crt");
            string locked = Path.Combine(folder, "b");
            _pki.CopyTo("self.crt", locked, "self.crt");
            string lockedFile = _pki.CopyTo("due.crt", Path.Combine(folder, "c"), "due.crt");
            File.SetUnixFileMode(locked, UnixFileMode.None);
            File.SetUnixFileMode(lockedFile, UnixFileMode.None);

            RecordingSink sink = Walk(folder, recurse: true);

            Assert.Equal(new[] { "www.example.test" }, sink.Certificates.Select(c => c.CommonName));
            Assert.Equal(new[] { "DirectoryReadFailed", "FileReadFailed" }, sink.FailedIds);
            Assert.All(sink.Failed, f => Assert.Equal(CertErrorKind.PermissionDenied, f.Kind));
        }

        [UnixFact]
        public void SymbolicLinkLoop_Ends_AndEachDirectoryIsReadOnce()
        {
            string folder = Path.Combine(_temp.Path, "loop");
            _pki.CopyTo("www.crt", Path.Combine(folder, "sites", "www"), "cert.pem");
            string[] links = { Path.Combine(folder, "sites", "www", "up"), Path.Combine(folder, "sites", "www", "self"), Path.Combine(folder, "again") };
            File.CreateSymbolicLink(links[0], "..");
            File.CreateSymbolicLink(links[1], ".");
            File.CreateSymbolicLink(links[2], Path.Combine(folder, "sites"));
            try
            {
                Task<RecordingSink> walk = Task.Run(() => Walk(folder, recurse: true));

                Assert.True(walk.Wait(TimeSpan.FromSeconds(60)), "The walk did not end.");
                RecordingSink sink = walk.Result;
                CertificateInfo certificate = Assert.Single(sink.Certificates);
                Assert.Equal(Path.Combine(folder, "again", "www", "cert.pem"), certificate.CertificatePath);
                Assert.Empty(sink.Failed);
                Assert.Equal(3, sink.Skipped.Count(s => s.Reason.Contains("read already", StringComparison.Ordinal)));
            }
            finally
            {
                // .NET's own recursive enumeration (the temporary directory's clean-up) would follow the loop.
                Array.ForEach(links, File.Delete);
            }
        }

        [UnixFact]
        public void LinkedFiles_AreRead_AndABrokenLinkIsReported()
        {
            // Certbot's layout: live/<site>/cert.pem links to ../../archive/<site>/cert1.pem.
            string archive = Path.Combine(_temp.Path, "le", "archive", "www");
            string live = Path.Combine(_temp.Path, "le", "live", "www");
            _pki.CopyTo("www.crt", archive, "cert1.pem");
            _pki.CopyTo("www.key", archive, "privkey1.pem");
            Directory.CreateDirectory(live);
            File.CreateSymbolicLink(Path.Combine(live, "cert.pem"), "../../archive/www/cert1.pem");
            File.CreateSymbolicLink(Path.Combine(live, "privkey.pem"), "../../archive/www/privkey1.pem");
            File.CreateSymbolicLink(Path.Combine(live, "chain.pem"), "../../archive/www/chain1.pem");

            RecordingSink sink = Walk(live);

            CertificateInfo certificate = Assert.Single(sink.Certificates);
            Assert.Equal(Path.Combine(live, "cert.pem"), certificate.CertificatePath);
            Assert.Equal(Path.Combine(live, "privkey.pem"), certificate.KeyPath);
            CertCmdletsException broken = Assert.Single(sink.Failed);
            Assert.Equal("SymbolicLinkBroken", broken.ErrorId);
            Assert.Equal(Path.Combine(live, "chain.pem"), broken.Target);
        }

        // --- Recursion, bulk files, filters ---------------------------------------------------------------------------

        [OpenSslFact]
        public void Recurse_ReadsSubdirectories_OnlyWhenAsked()
        {
            string root = Path.Combine(_temp.Path, "srv");
            _pki.CopyTo("root.crt", root, "root.crt");
            MakeSite(Path.Combine("srv", "www"));

            Assert.Equal(new[] { "Inventory Test Root CA" }, Walk(root).Certificates.Select(c => c.CommonName));
            Assert.Equal(new[] { "Inventory Test Root CA", "www.example.test" }, Walk(root, recurse: true).Certificates.Select(c => c.CommonName));
        }

        [OpenSslFact]
        public void FilesHandedOverInBulk_GiveWhatTheDirectoryGives()
        {
            string root = Path.Combine(_temp.Path, "srv");
            MakeSite(Path.Combine("srv", "www"));
            _pki.CopyTo("due.crt", Path.Combine(root, "due"), "due.crt");
            _pki.CopyTo("due.key", Path.Combine(root, "due"), "due.key");
            _pki.Concatenate(Path.Combine(root, "due"), "chain.pem", "int.crt");
            _pki.Concatenate(root, "ca-bundle.pem", "root.crt", "root2.crt");

            RecordingSink walked = Walk(root, recurse: true);
            var bulk = new RecordingSink();
            var inventory = new CertificateInventory(new InventoryOptions(), bulk, CancellationToken.None);
            foreach (string file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).OrderBy(f => Path.GetDirectoryName(f), StringComparer.Ordinal))
            {
                inventory.AddFile(file);
            }

            inventory.Complete();

            Assert.Equal(new[] { "Inventory Test Root CA", "Unrelated Root CA", "due.example.test", "www.example.test" }, Names(walked));
            Assert.Equal(Describe(walked.Certificates), Describe(bulk.Certificates));
            Assert.Empty(bulk.Failed);
        }

        [OpenSslFact]
        public void FileOfADirectoryAlreadyReadWhole_IsPassedOver()
        {
            string site = MakeSite("www");
            var sink = new RecordingSink();
            var inventory = new CertificateInventory(new InventoryOptions(), sink, CancellationToken.None);

            inventory.AddDirectory(site);
            inventory.AddFile(Path.Combine(site, "cert.pem"));
            inventory.Complete();

            Assert.Single(sink.Certificates);
            Assert.Contains("already", sink.ReasonFor(Path.Combine(site, "cert.pem")), StringComparison.Ordinal);
        }

        [OpenSslFact]
        public void Filters_KeepWhatIsDue()
        {
            string folder = Path.Combine(_temp.Path, "mixed");
            _pki.CopyTo("www.crt", folder, "www.crt");
            _pki.CopyTo("due.crt", folder, "due.crt");
            _pki.CopyTo("root.crt", folder, "root.crt");

            Assert.Equal(new[] { "due.example.test" }, Names(Walk(folder, options: new InventoryOptions { ExpiringWithinDays = 30 })));
            Assert.Equal(new[] { "due.example.test", "www.example.test" }, Names(Walk(folder, options: new InventoryOptions { ExpiringWithinDays = 365 })));
            Assert.Equal(new[] { "due.example.test" }, Names(Walk(folder, options: new InventoryOptions { RenewRecommendedOnly = true })));
            Assert.Equal(new[] { "due.example.test", "www.example.test" }, Names(Walk(folder, options: new InventoryOptions { ExcludeAuthorities = true })));
            Assert.Equal(3, Walk(folder).Certificates.Count);
        }

        [OpenSslFact]
        public void GivenKey_IsAttachedWhereItMatches_AndReportedWhenItMatchesNothing()
        {
            string folder = Path.Combine(_temp.Path, "given");
            _pki.CopyTo("www.crt", folder, "www.crt");
            _pki.CopyTo("self.crt", folder, "self.crt");

            RecordingSink matched = Walk(folder, options: new InventoryOptions { Key = PrivateKeyFile.Load(_pki.PathOf("www.key"), null) });
            RecordingSink unmatched = Walk(folder, options: new InventoryOptions { Key = PrivateKeyFile.Load(_pki.PathOf("due.key"), null) });

            Assert.True(matched.Certificates.Single(c => c.CommonName == "www.example.test").HasPrivateKey);
            Assert.False(matched.Certificates.Single(c => c.CommonName == "self.example.test").HasPrivateKey);
            Assert.Empty(matched.Failed);
            Assert.Equal("CertificateKeyMismatch", Assert.Single(unmatched.Failed).ErrorId);
            Assert.All(unmatched.Certificates, c => Assert.False(c.HasPrivateKey));
        }

        [OpenSslFact]
        public void GivenKey_OfACaCertificate_IsAttachedToIt_AndAKeyOfNoneOfTheCasIsReported()
        {
            // Import-CertFile ./ca/*.crt -KeyPath ca.key (or ./ca -KeyPath ca.key) must give a CA that can sign.
            string folder = Path.Combine(_temp.Path, "ca");
            _pki.CopyTo("root.crt", folder, "root.crt");
            _pki.CopyTo("int.crt", folder, "int.crt");
            _pki.CopyTo("int.key", folder, "int.key");

            RecordingSink matched = Walk(folder, options: new InventoryOptions { Key = PrivateKeyFile.Load(_pki.PathOf("int.key"), null) });
            RecordingSink found = Walk(folder);
            RecordingSink unmatched = Walk(folder, options: new InventoryOptions { Key = PrivateKeyFile.Load(_pki.PathOf("www.key"), null) });

            Assert.Equal(_pki.PathOf("int.key"), matched.Certificates.Single(c => c.CommonName == "Inventory Test Issuing CA").KeyPath);
            Assert.False(matched.Certificates.Single(c => c.CommonName == "Inventory Test Root CA").HasPrivateKey);
            Assert.Empty(matched.Failed);
            // Keys lying beside certificates are found for server certificates only: a CA's key is given on purpose.
            Assert.All(found.Certificates, c => Assert.False(c.HasPrivateKey));
            Assert.Equal("CertificateKeyMismatch", Assert.Single(unmatched.Failed).ErrorId);
            Assert.All(unmatched.Certificates, c => Assert.False(c.HasPrivateKey));
        }

        [OpenSslFact]
        public void Cancellation_StopsTheWalk()
        {
            string site = MakeSite("www");
            using var cancellation = new CancellationTokenSource();
            cancellation.Cancel();
            var inventory = new CertificateInventory(new InventoryOptions(), new RecordingSink(), cancellation.Token);

            Assert.Throws<OperationCanceledException>(() => inventory.AddDirectory(site));
        }

        // --- Helpers ----------------------------------------------------------------------------------------------

        /// <summary>What Export-CertPem -OutputDirectory writes for www.example.test: cert, chain, fullchain, key.</summary>
        private string MakeSite(string name)
        {
            string site = Path.Combine(_temp.Path, name);
            _pki.CopyTo("www.crt", site, "cert.pem");
            _pki.CopyTo("int.crt", site, "chain.pem");
            _pki.Concatenate(site, "fullchain.pem", "www.crt", "int.crt");
            _pki.CopyTo("www.key", site, "key.pem");
            return site;
        }

        private static RecordingSink Walk(string directory, bool recurse = false, InventoryOptions? options = null)
        {
            var sink = new RecordingSink();
            options ??= new InventoryOptions();
            options.Recurse = recurse;
            var inventory = new CertificateInventory(options, sink, CancellationToken.None);
            inventory.AddDirectory(directory);
            inventory.Complete();
            return sink;
        }

        private static string[] Names(RecordingSink sink) => sink.Certificates.Select(c => c.CommonName ?? string.Empty).OrderBy(n => n, StringComparer.Ordinal).ToArray();

        private static string[] Describe(IEnumerable<CertificateInfo> certificates) => certificates
            .Select(c => $"{c.Thumbprint} {c.CertificatePath} {c.FullChainPath} {c.ChainPath} {c.KeyPath} {c.Chain.Length}")
            .OrderBy(s => s, StringComparer.Ordinal)
            .ToArray();

        private CertificateInfo Read(string file) => Certificates.CertificateReader.ReadFile(_pki.PathOf(file))[0];

        private string Thumbprint(string file) => Read(file).Thumbprint;

        private static void Run(string program, params string[] arguments) => Run(program, arguments, null);

        private static void Run(string program, string[] arguments, string? workingDirectory)
        {
            var start = new ProcessStartInfo(program) { RedirectStandardError = true, UseShellExecute = false };
            if (workingDirectory is not null)
            {
                start.WorkingDirectory = workingDirectory;
            }

            foreach (string argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using Process process = Process.Start(start)!;
            string error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} failed: {error}");
        }
    }
}
