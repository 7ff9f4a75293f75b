using System;
using System.Collections.Generic;
using System.IO;
using CertCmdlets.Core.Apache;
using CertCmdlets.Core.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Core.Tests.Apache
{
    /// <summary>
    /// Where -Reload looks to know whether httpd runs: the PidFile directive, else the DEFAULT_PIDLOG httpd was
    /// compiled with (httpd -V; Debian's is /run/apache2.pid, not logs/httpd.pid). The real reloads are in
    /// Apache.OriginBuild.ps1.
    /// </summary>
    public sealed class ApacheActivationTests : IDisposable
    {
        private readonly TempDirectory _temp = new TempDirectory();

        public void Dispose() => _temp.Dispose();

        private (ConfigTree Tree, ApacheBinary Binary, string Root) Load(string config, string compiledPidFile)
        {
            string root = Path.Combine(_temp.Path, "srv");
            Directory.CreateDirectory(root);
            string main = Path.Combine(root, "httpd.conf");
            File.WriteAllText(main, config);
            string httpd = ApacheEngineKit.Script(Path.Combine(_temp.Path, "bin", "httpd"),
                "case \"$1\" in\n" +
                "  -V) echo 'Server version: Apache/2.4.62 (Unix)'; echo ' -D HTTPD_ROOT=\"/etc/httpd\"'; echo ' -D DEFAULT_PIDLOG=\"" + compiledPidFile + "\"';;\n" +
                "  -v) echo 'Server version: Apache/2.4.62 (Unix)';;\n" +
                "  -l) echo ' core.c';;\n" +
                "esac");
            ApacheBinary binary = ApacheBinary.Find(ApacheLayout.Detect(main, null), httpd, null, TimeSpan.FromSeconds(60), new RecordingLog())!;
            return (ConfigTree.Load(main, root, new Dictionary<string, string>()), binary, root);
        }

        [UnixFact]
        public void WithoutPidFile_TheCompiledDefaultIsChecked_AndOnlyALiveProcessCounts()
        {
            string compiled = Path.Combine(_temp.Path, "run", "apache2.pid");
            Directory.CreateDirectory(Path.GetDirectoryName(compiled)!);
            (ConfigTree tree, ApacheBinary binary, string root) = Load("Listen 80\n", compiled);

            string pidFile = ApacheActivation.PidFile(tree, binary, root);

            Assert.Equal(compiled, pidFile);
            Assert.False(ApacheActivation.IsRunning(pidFile), "No pid file: not running.");
            File.WriteAllText(pidFile, Environment.ProcessId + "\n");
            Assert.True(ApacheActivation.IsRunning(pidFile));
            File.WriteAllText(pidFile, "2147483646\n");
            Assert.False(ApacheActivation.IsRunning(pidFile), "A pid of no process: not running.");
            File.WriteAllText(pidFile, "not a number");
            Assert.False(ApacheActivation.IsRunning(pidFile));
        }

        [UnixFact]
        public void APidFileDirective_IsReadRelativeToServerRoot()
        {
            (ConfigTree tree, ApacheBinary binary, string root) = Load("Listen 80\nPidFile logs/own.pid\n", "/run/apache2.pid");

            Assert.Equal(Path.Combine(root, "logs", "own.pid"), ApacheActivation.PidFile(tree, binary, root));
        }
    }
}
