using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using CertCmdlets.Core.Apache;
using CertCmdlets.Core.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Core.Tests.Apache
{
    /// <summary>
    /// httpd builds other than a distribution's package, as configuration text (no httpd runs: HttpdPath names no
    /// file; the real built-in-module build is Apache.OriginBuild.ps1): a private prefix is its own layout with its own
    /// hints, LoadModule lines go where httpd can use them, a stock commented LoadModule is uncommented, optional
    /// modules degrade with a warning, and Windows paths (Apache Lounge) are written as httpd reads them.
    /// </summary>
    public sealed class ApacheBuildLayoutTests : IDisposable
    {
        private readonly TempDirectory _temp = new TempDirectory();

        public void Dispose() => _temp.Dispose();

        private string Prefix => Path.Combine(_temp.Path, "httpd-2.4.62");

        private string MainConfig => Path.Combine(Prefix, "conf", "httpd.conf");

        private string NoHttpd => ApacheKit.NoHttpd(_temp.Path);

        /// <summary>A private build's prefix: bin/, conf/httpd.conf with <paramref name="lines"/>, modules/ holding the given modules.</summary>
        private string PrivateBuild(string[] modules, params string[] lines)
        {
            Directory.CreateDirectory(Path.Combine(Prefix, "bin"));
            Directory.CreateDirectory(Path.Combine(Prefix, "conf"));
            Directory.CreateDirectory(Path.Combine(Prefix, "logs"));
            if (modules.Length > 0)
            {
                Directory.CreateDirectory(Path.Combine(Prefix, "modules"));
                foreach (string module in modules)
                {
                    File.WriteAllText(Path.Combine(Prefix, "modules", "mod_" + module + ".so"), string.Empty);
                }
            }

            File.WriteAllText(MainConfig, ApacheKit.Text(lines));
            return MainConfig;
        }

        private ApacheChangeResult SetSsl(bool hsts = false, RecordingLog? log = null)
        {
            CertificateInfo certificate = ApacheKit.Certificate(Path.Combine(_temp.Path, "certs"), "www.example.com");
            ApacheSslOptions options = ApacheKit.SslOptions(MainConfig, "www.example.com", certificate, NoHttpd);
            options.Hsts = hsts;
            return ApacheConfigurator.SetSsl(options, ApacheKit.Yes, log ?? new RecordingLog())!;
        }

        private static int IndexOf(List<string> lines, string start) => lines.FindIndex(l => l.StartsWith(start, StringComparison.Ordinal));

        [Fact]
        public void APrivatePrefix_IsItsOwnLayout_AndConfDMakesItRedHat()
        {
            PrivateBuild(Array.Empty<string>(), $"ServerRoot \"{Prefix}\"", "Listen 80");

            Assert.Equal(ApacheLayoutKind.PrivateBuild, ApacheLayout.Detect(MainConfig, null).Kind);

            Directory.CreateDirectory(Path.Combine(Prefix, "conf.d"));
            Assert.Equal(ApacheLayoutKind.RedHat, ApacheLayout.Detect(MainConfig, null).Kind);
        }

        [Fact]
        public void APrivateBuildWithoutModSsl_IsApacheModuleMissing_WithTheRebuildHint_AndNothingChanges()
        {
            PrivateBuild(Array.Empty<string>(), $"ServerRoot \"{Prefix}\"", "Listen 80", "ServerName www.example.com");
            TreeSnapshot before = TreeSnapshot.Take(Prefix);

            CertCmdletsException error = Assert.Throws<CertCmdletsException>(() => SetSsl());

            Assert.Equal("ApacheModuleMissing", error.ErrorId);
            Assert.Contains("--enable-ssl", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("dnf", error.Message, StringComparison.Ordinal);
            Assert.Empty(before.Differences(TreeSnapshot.Take(Prefix)));
        }

        [Fact]
        public void WithoutAnyLoadModule_TheNewOnesGoRightAfterServerRoot()
        {
            PrivateBuild(new[] { "ssl", "socache_shmcb" },
                "# The main configuration of a private build",
                $"ServerRoot \"{Prefix}\"",
                "Listen 80",
                "ServerName www.example.com");

            Assert.True(SetSsl().Changed);

            List<string> lines = File.ReadAllLines(MainConfig).ToList();
            int serverRoot = IndexOf(lines, "ServerRoot ");
            Assert.Equal("LoadModule ssl_module modules/mod_ssl.so", lines[serverRoot + 1]);
            Assert.True(IndexOf(lines, "LoadModule socache_shmcb_module ") > serverRoot, string.Join("\n", lines));
            Assert.True(IndexOf(lines, "SSLSessionCache ") > IndexOf(lines, "LoadModule socache_shmcb_module "), "The cache comes after the module that provides it.\n" + string.Join("\n", lines));
            Assert.Equal(0, IndexOf(lines, "# The main configuration"));
        }

        [Fact]
        public void WithLoadModuleLines_TheNewOnesFollowTheLast()
        {
            PrivateBuild(new[] { "ssl", "socache_shmcb", "mime" },
                $"ServerRoot \"{Prefix}\"",
                "LoadModule mime_module modules/mod_mime.so",
                "",
                "Listen 80",
                "ServerName www.example.com");

            SetSsl();

            List<string> lines = File.ReadAllLines(MainConfig).ToList();
            Assert.Equal("LoadModule mime_module modules/mod_mime.so", lines[1]);
            Assert.Equal("LoadModule ssl_module modules/mod_ssl.so", lines[2]);
            Assert.Equal(string.Empty, lines.Skip(2).SkipWhile(l => l.StartsWith("LoadModule ", StringComparison.Ordinal)).First());
        }

        [Fact]
        public void TheStockCommentedLoadModule_IsUncommentedInPlace()
        {
            // As the httpd.conf of a source build and Apache Lounge's ship it.
            PrivateBuild(new[] { "ssl", "socache_shmcb" },
                $"ServerRoot \"{Prefix}\"",
                "LoadModule mime_module modules/mod_mime.so",
                "#LoadModule socache_shmcb_module modules/mod_socache_shmcb.so",
                "#LoadModule ssl_module modules/mod_ssl.so",
                "#LoadModule rewrite_module modules/mod_rewrite.so",
                "Listen 80",
                "ServerName www.example.com");

            SetSsl();

            List<string> lines = File.ReadAllLines(MainConfig).ToList();
            Assert.Equal("LoadModule socache_shmcb_module modules/mod_socache_shmcb.so", lines[2]);
            Assert.Equal("LoadModule ssl_module modules/mod_ssl.so", lines[3]);
            Assert.Equal("#LoadModule rewrite_module modules/mod_rewrite.so", lines[4]);
            Assert.Single(lines, l => l.Contains("ssl_module", StringComparison.Ordinal));
        }

        [Fact]
        public void NoSocacheModule_TheSessionCacheIsLeftOut_WithAWarningThatSaysHow()
        {
            PrivateBuild(new[] { "ssl" }, $"ServerRoot \"{Prefix}\"", "Listen 80", "ServerName www.example.com");
            var log = new RecordingLog();

            Assert.True(SetSsl(log: log).Changed);

            string text = File.ReadAllText(MainConfig);
            Assert.DoesNotContain("SSLSessionCache", text, StringComparison.Ordinal);
            Assert.DoesNotContain("socache", text, StringComparison.Ordinal);
            Assert.Contains(log.Warnings, w => w.Contains("socache_shmcb", StringComparison.Ordinal) && w.Contains("--enable-socache-shmcb", StringComparison.Ordinal));
        }

        [Fact]
        public void HstsWithoutModHeaders_IsApacheModuleMissing_SayingToLeaveOutHsts_AndNothingChanges()
        {
            PrivateBuild(new[] { "ssl", "socache_shmcb" }, $"ServerRoot \"{Prefix}\"", "Listen 80", "ServerName www.example.com");
            TreeSnapshot before = TreeSnapshot.Take(Prefix);

            CertCmdletsException error = Assert.Throws<CertCmdletsException>(() => SetSsl(hsts: true));

            Assert.Equal("ApacheModuleMissing", error.ErrorId);
            Assert.Contains("mod_headers", error.Message, StringComparison.Ordinal);
            Assert.Contains("leave out -Hsts", error.Message, StringComparison.Ordinal);
            Assert.Empty(before.Differences(TreeSnapshot.Take(Prefix)));
        }

        [Theory]
        [InlineData(@"C:\Apache24\conf\ssl\server.crt", "C:/Apache24/conf/ssl/server.crt")]
        [InlineData(@"C:\Program Files\Apache24\conf\server.crt", "\"C:/Program Files/Apache24/conf/server.crt\"")]
        [InlineData("d:/certs/www.example.com.pem", "d:/certs/www.example.com.pem")]
        [InlineData(@"\\fileserver\certs\server.crt", "//fileserver/certs/server.crt")]
        [InlineData("/etc/ssl/my certs/server.crt", "\"/etc/ssl/my certs/server.crt\"")]
        [InlineData("/etc/ssl/certs/server.crt", "/etc/ssl/certs/server.crt")]
        public void PathsAreWrittenAsHttpdReadsThem(string path, string written)
        {
            Assert.Equal(written, ApacheText.PathArgument(path));
        }

        [Theory]
        [InlineData("C:/Apache24/conf/server.crt", @"c:\apache24\conf\server.crt", true)]
        [InlineData("C:/Apache24/conf/server.crt", "C:/Apache24/conf/other.crt", false)]
        [InlineData("/etc/ssl/Server.crt", "/etc/ssl/server.crt", false)]
        [InlineData("/etc/ssl/server.crt", "/etc/ssl/server.crt", true)]
        public void TheSameFile_IsRecognisedAsWindowsAndPosixCompareNames(string configured, string asked, bool same)
        {
            Assert.Equal(same, ApacheText.SamePath(configured, asked));
        }
    }
}
