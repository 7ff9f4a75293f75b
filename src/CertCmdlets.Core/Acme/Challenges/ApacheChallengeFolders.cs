using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using CertCmdlets.Core.Apache;

namespace CertCmdlets.Core.Acme.Challenges
{
    /// <summary>
    /// Where an Apache site this module manages serves http://name/.well-known/acme-challenge/ from: the plain-HTTP
    /// VirtualHost for the name and port (ServerName or ServerAlias, wildcards included), then an Alias of that path in
    /// it (or in the main server), else its DocumentRoot (or the main server's). Reads the configuration only, through
    /// the editor's own reader (ApacheLayout, ConfigTree), so includes, Define and ServerRoot-relative paths are read as
    /// Set-ApacheSsl reads them. Enable-HttpsRedirect keeps this path on plain HTTP, so renewals work after it.
    /// </summary>
    internal static class ApacheChallengeFolders
    {
        private const string ChallengePath = "/.well-known/acme-challenge/";

        /// <summary>The challenge folder of each identifier (without "*."), or the error that says what is missing.</summary>
        public static Dictionary<string, string> Find(string configPath, string? serverRoot, int httpPort, IEnumerable<string> identifiers, ICoreLog log)
        {
            ConfigTree tree = Load(configPath, serverRoot);
            List<ConfigNode> nodes = tree.Walk().ToList();
            List<ConfigSection> hosts = nodes.OfType<ConfigSection>().Where(s => s.Is("VirtualHost") && s.Arguments.Any(a => ListensOn(a, httpPort))).ToList();
            var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (string identifier in identifiers)
            {
                ConfigSection host = hosts.FirstOrDefault(h => Names(h).Any(n => NameMatches(n, identifier)))
                    ?? throw Errors.AcmeApacheSiteNotFound(configPath, identifier, httpPort);
                List<ConfigDirective> inside = nodes.OfType<ConfigDirective>().Where(d => Within(d, host)).ToList();
                List<ConfigDirective> global = nodes.OfType<ConfigDirective>().Where(d => !Ancestors(d).Any(a => a.Is("VirtualHost"))).ToList();
                string? folder = AliasTarget(tree, inside) ?? AliasTarget(tree, global);
                if (folder is null)
                {
                    ConfigDirective? root = inside.LastOrDefault(d => d.Is("DocumentRoot") && d.Arguments.Count == 1)
                        ?? global.LastOrDefault(d => d.Is("DocumentRoot") && d.Arguments.Count == 1);
                    if (root is null)
                    {
                        throw Errors.AcmeApacheSiteHasNoWebRoot(configPath, identifier);
                    }

                    folder = WebRootResponder.ChallengeFolder(tree.Resolve(root.Arguments[0]));
                }

                log.Verbose($"httpd serves http://{identifier}:{httpPort}{ChallengePath} from '{folder}' (<VirtualHost {string.Join(" ", host.Arguments)}> in '{host.File.Path}', line {host.FirstLine + 1}).");
                result[identifier] = folder;
            }

            return result;
        }

        private static ConfigTree Load(string configPath, string? serverRoot)
        {
            ApacheLayout layout = ApacheLayout.Detect(configPath, serverRoot);
            var variables = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
            {
                variables[(string)entry.Key] = (string?)entry.Value ?? string.Empty;
            }

            try
            {
                ConfigTree tree = ConfigTree.Load(layout.MainConfig, layout.ServerRoot, variables);
                if (layout.TargetFile is not null)
                {
                    tree.Read(layout.TargetFile, new HashSet<string>(StringComparer.Ordinal));
                }

                return tree;
            }
            catch (ApacheConfigException ex)
            {
                throw Errors.ApacheConfigInvalid(ex.Path, ex.Line, ex.Problem);
            }
        }

        /// <summary>An Alias whose URL path covers /.well-known/acme-challenge/: the folder that path maps to.</summary>
        private static string? AliasTarget(ConfigTree tree, List<ConfigDirective> directives)
        {
            foreach (ConfigDirective alias in directives.Where(d => d.Is("Alias") && d.Arguments.Count == 2))
            {
                string url = alias.Arguments[0];
                string prefix = url.EndsWith("/", StringComparison.Ordinal) ? url : url + "/";
                if (ChallengePath.StartsWith(prefix, StringComparison.Ordinal))
                {
                    string rest = ChallengePath.Substring(prefix.Length).Trim('/');
                    string target = tree.Resolve(alias.Arguments[1]).TrimEnd('/', '\\');
                    return rest.Length == 0 ? target : System.IO.Path.Combine(target, rest.Replace('/', System.IO.Path.DirectorySeparatorChar));
                }
            }

            return null;
        }

        private static IEnumerable<ConfigSection> Ancestors(ConfigNode node)
        {
            for (ConfigSection? parent = node.Parent; parent is not null; parent = parent.Parent)
            {
                yield return parent;
            }
        }

        private static bool Within(ConfigNode node, ConfigSection host) => Ancestors(node).Contains(host);

        private static IEnumerable<string> Names(ConfigSection host) =>
            host.Children.OfType<ConfigDirective>().Where(d => d.Is("ServerName") || d.Is("ServerAlias")).SelectMany(d => d.Arguments)
                .Select(n => Regex.Replace(n, "^[a-z]+://", string.Empty, RegexOptions.IgnoreCase).Split(':')[0].TrimEnd('.'));

        /// <summary>ServerAlias may hold * and ? wildcards; names compare without case.</summary>
        private static bool NameMatches(string pattern, string identifier)
        {
            if (pattern.IndexOfAny(new[] { '*', '?' }) < 0)
            {
                return string.Equals(pattern, identifier, StringComparison.OrdinalIgnoreCase);
            }

            string regex = "^" + Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$";
            return Regex.IsMatch(identifier, regex, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        }

        /// <summary>"*:80", "127.0.0.1:8080", "[::1]:80" on the port; an address without a port serves every port.</summary>
        private static bool ListensOn(string address, int port)
        {
            string text = address.Trim();
            int colon = text.LastIndexOf(':');
            if (colon < 0 || text.EndsWith("]", StringComparison.Ordinal))
            {
                return true;
            }

            string portText = text.Substring(colon + 1);
            return portText == "*" || (int.TryParse(portText, out int value) && value == port);
        }
    }
}
