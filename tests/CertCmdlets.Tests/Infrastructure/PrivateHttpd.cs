using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using Xunit;

namespace CertCmdlets.Tests.Infrastructure
{
    /// <summary>
    /// A test that needs Debian's apache2. Skipped, with the reason, where it is not installed (Windows included);
    /// under CI (CI=true) on Linux it always runs, so a missing peer fails instead of passing silently.
    /// </summary>
    public sealed class ApacheFactAttribute : FactAttribute
    {
        public ApacheFactAttribute()
        {
            Skip = PrivateHttpd.SkipReason;
        }
    }

    /// <summary>The same, for theories.</summary>
    public sealed class ApacheTheoryAttribute : TheoryAttribute
    {
        public ApacheTheoryAttribute()
        {
            Skip = PrivateHttpd.SkipReason;
        }
    }

    /// <summary>
    /// Debian's apache2 as a peer. The scenarios (tests/Scenarios/Apache.*.ps1) build, start and stop their own
    /// private instances; this class decides whether they may run, and stops any httpd a failed scenario left
    /// behind in its work directory.
    /// </summary>
    internal static class PrivateHttpd
    {
        public const string Program = "/usr/sbin/apache2";

        public const string Modules = "/usr/lib/apache2/modules";

        /// <summary>The switch an Apache scenario declares: with it, a missing apache2 throws instead of returning the skipped marker.</summary>
        public const string RequireApacheParameter = "RequireApache";

        public static bool IsAvailable => !OperatingSystem.IsWindows() && File.Exists(Program) && Directory.Exists(Modules);

        /// <summary>Null when the Apache tests must run: apache2 is installed, or CI=true on Linux (then a missing one fails).</summary>
        public static string? SkipReason
        {
            get
            {
                if (OperatingSystem.IsWindows())
                {
                    return "Debian's apache2 does not exist on Windows; the Apache tests run on Linux.";
                }

                if (!IsAvailable && !Peers.IsCi)
                {
                    return $"Debian's apache2 is not installed ({Program}, modules in {Modules}); install the package 'apache2'. Under CI=true this test fails instead.";
                }

                return null;
            }
        }

        /// <summary>
        /// Stops every httpd whose pid file lies under <paramref name="directory"/> and is still running, and returns
        /// what it stopped ("pid (pid file)"), so that the test can fail: a scenario must stop what it started.
        /// </summary>
        public static IReadOnlyList<string> StopLeftovers(string directory)
        {
            var stopped = new List<string>();
            if (!Directory.Exists(directory))
            {
                return stopped;
            }

            foreach (string pidFile in Directory.EnumerateFiles(directory, "*.pid", SearchOption.AllDirectories))
            {
                if (!int.TryParse(File.ReadAllText(pidFile).Trim(), out int pid))
                {
                    continue;
                }

                Process process;
                try
                {
                    process = Process.GetProcessById(pid);
                }
                catch (ArgumentException)
                {
                    continue;
                }

                using (process)
                {
                    // The pid may have been reused by now: only an apache2 is ours to stop.
                    if (!string.Equals(process.ProcessName, "apache2", StringComparison.Ordinal) && !string.Equals(process.ProcessName, "httpd", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(10_000);
                    stopped.Add($"{pid} ({pidFile})");
                }
            }

            return stopped;
        }
    }
}
