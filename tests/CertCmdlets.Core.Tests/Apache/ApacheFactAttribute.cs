using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using CertCmdlets.Core.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Core.Tests.Apache
{
    /// <summary>
    /// A test that needs Debian's httpd (package apache2, /usr/sbin/apache2). Without it the test is skipped with
    /// the reason, except under CI=true, where it runs and fails: a missing peer must never pass silently in CI.
    /// </summary>
    public sealed class ApacheFactAttribute : FactAttribute
    {
        public ApacheFactAttribute()
        {
            if (!ApacheHttpd.IsAvailable && !OpenSsl.IsCi)
            {
                Skip = ApacheHttpd.SkipReason;
            }
        }
    }

    /// <summary>The same as <see cref="ApacheFactAttribute"/>, for theories.</summary>
    public sealed class ApacheTheoryAttribute : TheoryAttribute
    {
        public ApacheTheoryAttribute()
        {
            if (!ApacheHttpd.IsAvailable && !OpenSsl.IsCi)
            {
                Skip = ApacheHttpd.SkipReason;
            }
        }
    }

    /// <summary>What one run of httpd's configuration test said.</summary>
    public sealed class ApacheTestRun
    {
        public ApacheTestRun(int exitCode, string output)
        {
            ExitCode = exitCode;
            Output = output;
        }

        public int ExitCode { get; }

        public string Output { get; }

        public bool Ok => ExitCode == 0;

        public override string ToString() => $"apache2 -t exited {ExitCode}:{Environment.NewLine}{Output}";
    }

    /// <summary>
    /// Debian's httpd as a peer, run the way apache2ctl runs it (envvars sourced by the shell), so that it judges
    /// the editor's output independently of the editor's own envvars reader.
    /// </summary>
    public static class ApacheHttpd
    {
        public const string Executable = "/usr/sbin/apache2";

        public const string SkipReason = "Debian's httpd (/usr/sbin/apache2) is not installed (install the Debian package 'apache2'; with CI=true this test runs and fails instead).";

        /// <summary>Debian's own module files (LoadModule lines and their .conf), used to complete private instances.</summary>
        public const string DebianModsAvailable = "/etc/apache2/mods-available";

        public static bool IsAvailable => File.Exists(Executable);

        /// <summary>apache2 -t -d <paramref name="serverRoot"/> -f <paramref name="mainConfig"/>, with serverRoot/envvars sourced when present.</summary>
        public static ApacheTestRun ConfigTest(string serverRoot, string mainConfig)
        {
            if (!IsAvailable)
            {
                throw new InvalidOperationException(SkipReason);
            }

            string envvars = Path.Combine(serverRoot, "envvars");
            var start = new ProcessStartInfo("/bin/sh")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add("set -a; if [ -f \"$1\" ]; then . \"$1\"; fi; exec \"$2\" -t -d \"$3\" -f \"$4\" 2>&1");
            start.ArgumentList.Add("sh");
            start.ArgumentList.Add(envvars);
            start.ArgumentList.Add(Executable);
            start.ArgumentList.Add(serverRoot);
            start.ArgumentList.Add(mainConfig);
            using Process process = Process.Start(start)!;
            System.Threading.Tasks.Task<string> error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(60_000))
            {
                process.Kill(entireProcessTree: true);
                return new ApacheTestRun(-1, "apache2 -t did not finish within 60 s.");
            }

            return new ApacheTestRun(process.ExitCode, (output + error.Result).Trim());
        }

        /// <summary>The LoadModule lines of the modules these tests need, as Debian ships them (for trees that lack them).</summary>
        public static readonly IReadOnlyDictionary<string, string> DebianLoadFiles = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ssl"] = "# Depends: setenvif mime socache_shmcb\nLoadModule ssl_module /usr/lib/apache2/modules/mod_ssl.so\n",
            ["setenvif"] = "LoadModule setenvif_module /usr/lib/apache2/modules/mod_setenvif.so\n",
            ["mime"] = "LoadModule mime_module /usr/lib/apache2/modules/mod_mime.so\n",
            ["socache_shmcb"] = "LoadModule socache_shmcb_module /usr/lib/apache2/modules/mod_socache_shmcb.so\n",
            ["headers"] = "LoadModule headers_module /usr/lib/apache2/modules/mod_headers.so\n",
            ["rewrite"] = "LoadModule rewrite_module /usr/lib/apache2/modules/mod_rewrite.so\n",
        };

        /// <summary>The modules a fresh Debian install enables (apache2's postinst), which a trimmed corpus tree lacks.</summary>
        public static readonly string[] DebianDefaultModules =
        {
            "access_compat", "alias", "auth_basic", "authn_core", "authn_file", "authz_core", "authz_host", "authz_user",
            "autoindex", "deflate", "dir", "env", "filter", "mime", "mpm_event", "negotiation", "reqtimeout", "setenvif", "status",
        };
    }
}
