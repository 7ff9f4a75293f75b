using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using CertCmdlets.Core.Tls;

namespace CertCmdlets.Core.Apache
{
    /// <summary>What to check once httpd has reloaded: that the site serves the configured certificate and chain.</summary>
    internal sealed class ActivationCheck
    {
        /// <summary>Where this machine reaches the site (the listen address, or 127.0.0.1).</summary>
        public string HostName { get; set; } = "127.0.0.1";

        /// <summary>The leaf that must be served; null: no probe (Enable-HttpsRedirect, -Verify:$false).</summary>
        public string? Thumbprint { get; set; }

        /// <summary>The issuers that must follow it, in order (the configured chain, without a root).</summary>
        public IReadOnlyList<string> Chain { get; set; } = Array.Empty<string>();

        /// <summary>How long graceful workers may take to serve the new configuration.</summary>
        public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);
    }

    /// <summary>
    /// Reloading httpd and checking the result: is httpd running (its pid file), does the site serve what was
    /// configured once the graceful workers have taken over (a bounded wait).
    /// </summary>
    internal static class ApacheActivation
    {
        private static readonly Regex s_variable = new Regex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", RegexOptions.CultureInvariant);

        /// <summary>
        /// The pid file httpd writes for this configuration: the active PidFile directive (variables from envvars
        /// expanded, relative to ServerRoot), else the DEFAULT_PIDLOG httpd was compiled with (httpd -V), else logs/httpd.pid.
        /// </summary>
        public static string PidFile(ConfigTree tree, ApacheBinary binary, string serverRoot)
        {
            // Without a PidFile directive, httpd writes where it was compiled to (Debian: /run/apache2.pid).
            ConfigDirective? directive = tree.Walk().OfType<ConfigDirective>().LastOrDefault(d => d.Is("PidFile") && d.Arguments.Count > 0);
            string value = directive?.Arguments[0] ?? binary.CompiledSetting("DEFAULT_PIDLOG") ?? "logs/httpd.pid";
            value = s_variable.Replace(value, m => binary.Environment.TryGetValue(m.Groups[1].Value, out string? known) ? known : m.Value);
            value = tree.Expand(value);
            return Path.IsPathRooted(value) ? value : Path.Combine(serverRoot, value);
        }

        /// <summary>True when the pid file names a live process.</summary>
        public static bool IsRunning(string pidFile)
        {
            string text;
            try
            {
                var info = new FileInfo(pidFile);
                if (!info.Exists || info.Length > 64)
                {
                    return false;
                }

                text = File.ReadAllText(pidFile).Trim();
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return false;
            }

            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid <= 0)
            {
                return false;
            }

            try
            {
                using Process process = Process.GetProcessById(pid);
                return !process.HasExited;
            }
            catch (Exception ex) when (ex is ArgumentException || ex is InvalidOperationException || ex is System.ComponentModel.Win32Exception)
            {
                return false;
            }
        }

        /// <summary>
        /// Probes the site until it serves the expected leaf and chain or the check's time is up. Returns null when it
        /// does, or what was served instead (or why nothing could be read).
        /// </summary>
        public static string? Verify(ActivationCheck check, string serverName, int port, ICoreLog log)
        {
            var clock = Stopwatch.StartNew();
            string? served = null;
            string failure = "nothing could be read";
            do
            {
                // Each attempt gets at least 2 s (a loaded machine), at most 5 s.
                double left = (check.Timeout - clock.Elapsed).TotalSeconds;
                TimeSpan attempt = TimeSpan.FromSeconds(Math.Min(5, Math.Max(2, left)));
                try
                {
                    List<CertificateInfo> sent = HttpsProbe.Served(check.HostName, port, serverName, attempt, log);
                    string leaf = sent[0].Thumbprint;
                    string[] issuers = sent.Skip(1).Select(c => c.Thumbprint).ToArray();
                    if (leaf == check.Thumbprint && check.Chain.All(issuers.Contains))
                    {
                        log.Verbose($"{check.HostName}:{port} ({serverName}) serves the configured certificate {leaf} and its chain.");
                        return null;
                    }

                    served = leaf == check.Thumbprint
                        ? $"the certificate is served, but not with its configured chain (sent: {string.Join(", ", sent.Skip(1).Select(c => "'" + c.Subject + "'").DefaultIfEmpty("no issuer"))})."
                        : $"it serves '{sent[0].Subject}' ({leaf}, valid until {sent[0].NotAfter:yyyy-MM-dd}).";
                }
                catch (CertCmdletsException ex)
                {
                    failure = ex.Message;
                }

                Thread.Sleep(250);
            }
            while (clock.Elapsed < check.Timeout);

            // What the site served last is the useful answer; a failure to connect only when nothing was ever read.
            string found = served ?? failure;
            return found + $" (checked for {check.Timeout.TotalSeconds:0.#} s)";
        }
    }
}
