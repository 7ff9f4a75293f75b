using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text.RegularExpressions;
using CertCmdlets.Core.Naming;

namespace CertCmdlets.Core.Apache
{
    /// <summary>
    /// Which &lt;VirtualHost&gt; serves a name on a port, decided as httpd decides it (the "How the server selects the
    /// proper name-based virtual host" rules): the VirtualHosts whose address matches the connection - those naming the
    /// listening IP first, the wildcard ones (*, _default_) only when none does - form a set; in it, the first whose
    /// ServerName or ServerAlias matches the requested name answers (a VirtualHost without ServerName has the main
    /// server's), and when none matches, the first of the set answers as the default. The editor changes the
    /// VirtualHost httpd would serve, and appends a new one only where httpd would select it: never one a first match
    /// or an IP-specific set shadows, and never one that drops the access rules of the site it is made from.
    /// </summary>
    internal static class VirtualHosts
    {
        /// <summary>How a VirtualHost was chosen.</summary>
        private enum Match
        {
            /// <summary>Its ServerName (or the main server's, when it has none) or a ServerAlias is the name.</summary>
            Name,

            /// <summary>A wildcard ServerAlias (*.example.com) covers the name.</summary>
            Wildcard,

            /// <summary>No name matched: it is the first of its set, the default host.</summary>
            Default,
        }

        /// <summary>The VirtualHost that serves <paramref name="serverName"/> on <paramref name="port"/>, or null when none would.</summary>
        public static ConfigSection? Find(EditSession session, string serverName, int port, string? listenAddress)
        {
            (ConfigSection Host, Match How)? served = Serving(session, serverName, port, listenAddress, out _);
            return served?.Host;
        }

        /// <summary>
        /// The VirtualHost to configure for <paramref name="serverName"/> on <paramref name="port"/>: the one httpd would
        /// serve it from when that is this site, else a new one where httpd will select it (with the content of the
        /// site's VirtualHost on another port, so HTTPS serves what HTTP served, access rules included).
        /// </summary>
        public static ConfigSection FindOrCreate(EditSession session, string serverName, int port, string? listenAddress, bool ssl, CertificateInfo? certificate, ICoreLog log)
        {
            (ConfigSection Host, Match How)? served = Serving(session, serverName, port, listenAddress, out string? addressForNew);
            if (served is not null)
            {
                (ConfigSection host, Match how) = served.Value;
                switch (how)
                {
                    case Match.Name:
                        log.Verbose($"Updating {Describe(host)} for '{serverName}'.");
                        return host;

                    case Match.Wildcard when certificate is null || Names(session.Tree, host).All(n => Covers(certificate, n)):
                        log.Verbose($"Updating {Describe(host)}, which serves '{serverName}' through its wildcard ServerAlias.");
                        return host;

                    case Match.Wildcard:
                        throw Shadowed(serverName, port, host, "its ServerAlias covers the name, and the certificate does not cover every name that VirtualHost serves");

                    case Match.Default when AnswersAsSoleSite(session, host, port, serverName):
                        // No ServerName and alone on its address and port: it answers for the main server's name and
                        // as the default host - the site the user means (a private build's single SSL host).
                        log.Verbose($"Updating {Describe(host)}: it has no ServerName and is the only VirtualHost on port {port}, so it answers for '{serverName}'.");
                        return host;

                    default:
                        // Another site, or a catch-all default: a new VirtualHost in the same set is selected by its name.
                        break;
                }
            }

            return Create(session, serverName, port, listenAddress ?? addressForNew, ssl, log);
        }

        /// <summary>
        /// The sole site (below) is the one to change for <paramref name="serverName"/>, except a Debian package's
        /// default host (000-default: no ServerName anywhere) for a name the main server does not have: it answers for
        /// every other name too, which must not all start redirecting to this one; a new VirtualHost named for it is
        /// added instead, with the default host's content.
        /// </summary>
        private static bool AnswersAsSoleSite(EditSession session, ConfigSection host, int port, string serverName) =>
            IsSoleSite(session, host, port)
            && (session.Layout.Kind != ApacheLayoutKind.Debian || string.Equals(GlobalServerName(session.Tree), serverName, StringComparison.OrdinalIgnoreCase));

        /// <summary>
        /// A single-site server's site: the one VirtualHost of its address and port, without a ServerName, and not
        /// declared a catch-all (_default_), as a private build's httpd.conf has it. It answers for every name there.
        /// </summary>
        private static bool IsSoleSite(EditSession session, ConfigSection host, int port)
        {
            string? address = host.Arguments.Where(a => MatchesPort(a, port)).Select(HostPart).FirstOrDefault();
            return address is not null
                && ServerNameOf(host) is null
                && !host.Arguments.Any(a => a.StartsWith("_default_", StringComparison.OrdinalIgnoreCase))
                && AllVirtualHosts(session).Count(v => v.Arguments.Any(a => MatchesPort(a, port) && HostPart(a) == address)) == 1;
        }

        /// <summary>The names a VirtualHost answers to: its ServerName (or the main server's) and ServerAliases.</summary>
        public static IEnumerable<string> Names(ConfigTree tree, ConfigSection vhost)
        {
            string? own = ServerNameOf(vhost);
            string? name = own ?? GlobalServerName(tree);
            if (name is not null)
            {
                yield return name;
            }

            foreach (ConfigDirective alias in Directives(vhost).Where(d => d.Is("ServerAlias")))
            {
                foreach (string value in alias.Arguments)
                {
                    yield return HostOf(value);
                }
            }
        }

        /// <summary>The port of a VirtualHost address ("*:443", "[::1]:8443"), or null when it has none or "*".</summary>
        public static int? PortOf(string address)
        {
            int colon = address.LastIndexOf(':');
            if (colon < 0 || address.EndsWith("]", StringComparison.Ordinal))
            {
                return null;
            }

            return int.TryParse(address.Substring(colon + 1), out int port) ? port : null;
        }

        private static (ConfigSection Host, Match How)? Serving(EditSession session, string serverName, int port, string? listenAddress, out string? addressForNew)
        {
            addressForNew = null;
            List<(ConfigSection Host, string Address)> onPort = AllVirtualHosts(session)
                .SelectMany(v => v.Arguments.Where(a => MatchesPort(a, port)).Take(1).Select(a => (v, HostPart(a))))
                .ToList();
            if (onPort.Count == 0)
            {
                return null;
            }

            // httpd looks at the VirtualHosts naming the connection's IP first; the wildcard ones answer only for IPs no
            // VirtualHost names. Without -ListenAddress every set is a candidate.
            List<IGrouping<string, (ConfigSection Host, string Address)>> sets = onPort.GroupBy(h => h.Address, StringComparer.OrdinalIgnoreCase).ToList();
            if (listenAddress is not null)
            {
                string ip = NormalizeIp(listenAddress);
                var specific = sets.Where(s => s.Key == ip).ToList();
                sets = specific.Count > 0 ? specific : sets.Where(s => s.Key == "*").ToList();
            }

            var chosen = new List<(ConfigSection Host, Match How, string Set)>();
            var soleSites = new HashSet<ConfigSection>();
            foreach (IGrouping<string, (ConfigSection Host, string Address)> set in sets)
            {
                List<ConfigSection> hosts = set.Select(s => s.Host).Distinct().ToList();
                (ConfigSection Host, Match How)? inSet = Select(session.Tree, hosts, serverName);
                if (inSet is not null)
                {
                    chosen.Add((inSet.Value.Host, inSet.Value.How, set.Key));
                }

                if (hosts.Count == 1 && AnswersAsSoleSite(session, hosts[0], port, serverName))
                {
                    soleSites.Add(hosts[0]);
                }
            }

            // A name (or wildcard alias) match is the site. Without one, the sole nameless VirtualHost of its address and
            // port is the site too; otherwise the default is another site (or a catch-all), beside which a new
            // VirtualHost is added, selected by its name.
            foreach (Match how in new[] { Match.Name, Match.Wildcard, Match.Default })
            {
                var found = chosen.Where(c => c.How == how && (how != Match.Default || soleSites.Contains(c.Host))).ToList();
                List<ConfigSection> hosts = found.Select(f => f.Host).Distinct().ToList();
                if (hosts.Count > 1)
                {
                    throw Ambiguous(serverName, port, hosts);
                }

                if (hosts.Count == 1)
                {
                    addressForNew = found[0].Set == "*" ? null : found[0].Set;
                    return (hosts[0], how);
                }
            }

            // Only other (named) sites answer on this port: a new VirtualHost joins the wildcard set, or the only set.
            List<string> setNames = sets.Select(s => s.Key).Distinct().ToList();
            addressForNew = setNames.Contains("*") || setNames.Count != 1 ? null : setNames[0];
            return chosen.Count == 0 ? null : (chosen[0].Host, Match.Default);
        }

        /// <summary>httpd's choice within one address set: first name match, first wildcard alias match, else the first VirtualHost.</summary>
        private static (ConfigSection Host, Match How)? Select(ConfigTree tree, List<ConfigSection> set, string serverName)
        {
            foreach (ConfigSection host in set)
            {
                if (Names(tree, host).Any(n => !n.Contains("*") && !n.Contains("?") && string.Equals(n, serverName, StringComparison.OrdinalIgnoreCase)))
                {
                    return (host, Match.Name);
                }
            }

            foreach (ConfigSection host in set)
            {
                if (Names(tree, host).Any(n => (n.Contains("*") || n.Contains("?")) && WildcardMatches(n, serverName)))
                {
                    return (host, Match.Wildcard);
                }
            }

            return set.Count > 0 ? (set[0], Match.Default) : null;
        }

        private static ConfigSection Create(EditSession session, string serverName, int port, string? address, bool ssl, ICoreLog log)
        {
            // The site on another port (its HTTP VirtualHost when HTTPS is added): its content comes along. That is the
            // VirtualHost naming it there, else the single-site server's one nameless VirtualHost on port 80.
            ConfigSection? sibling = AllVirtualHosts(session)
                .Where(v => !v.Arguments.Any(a => MatchesPort(a, port)))
                .FirstOrDefault(v => Names(session.Tree, v).Any(n => string.Equals(n, serverName, StringComparison.OrdinalIgnoreCase)) && ServerNameOf(v) is not null);
            if (sibling is null && port != 80 && Serving(session, serverName, 80, address, out _) is (ConfigSection plain, Match.Default) && IsSoleSite(session, plain, 80))
            {
                sibling = plain;
            }
            ConfigFile file = TargetFileFor(session, serverName, ssl, log);
            string inner = ApacheText.UsesTabs(file) ? "\t" : "    ";
            string host = address is null ? "*" : (address.Contains(":") ? "[" + address.Trim('[', ']') + "]" : address);
            var lines = new List<string> { $"<VirtualHost {host}:{port}>" };
            if (sibling is null || ServerNameOf(sibling) is null)
            {
                lines.Add($"{inner}ServerName {serverName}");
            }

            if (sibling is not null)
            {
                lines.AddRange(CopyBody(sibling, inner));
                log.Verbose($"The new VirtualHost takes the content of {Describe(sibling)} (its directives and access rules), without its redirect to HTTPS.");
            }

            lines.Add("</VirtualHost>");
            if (file.LineCount > 0 && file.LineContent(file.LineCount - 1).Trim().Length > 0)
            {
                lines.Insert(0, string.Empty);
            }

            int first = file.LineCount + (lines[0].Length == 0 ? 1 : 0);
            file.Insert(file.LineCount, lines);
            log.Verbose($"Adding <VirtualHost {host}:{port}> for '{serverName}' to '{file.Path}'.");
            return file.AllNodes().OfType<ConfigSection>().Single(s => s.Is("VirtualHost") && s.FirstLine == first);
        }

        /// <summary>
        /// The lines of a VirtualHost's body, as written, re-indented to the new block's level, without the redirects to
        /// HTTPS (and their RewriteConds) that would loop, and without SSL directives the new host sets itself.
        /// </summary>
        private static List<string> CopyBody(ConfigSection sibling, string inner)
        {
            var skip = new HashSet<int>();
            List<ConfigDirective> children = sibling.Children.OfType<ConfigDirective>().ToList();
            for (int i = 0; i < children.Count; i++)
            {
                ConfigDirective directive = children[i];
                bool drop = ApacheRedirects.IsHttpsRedirect(directive) || directive.Name.StartsWith("SSL", StringComparison.OrdinalIgnoreCase);
                if (!drop)
                {
                    continue;
                }

                for (int line = directive.FirstLine; line <= directive.LastLine; line++)
                {
                    skip.Add(line);
                }

                for (int j = i - 1; j >= 0 && children[j].Is("RewriteCond") && directive.Is("RewriteRule"); j--)
                {
                    for (int line = children[j].FirstLine; line <= children[j].LastLine; line++)
                    {
                        skip.Add(line);
                    }
                }
            }

            ConfigFile file = sibling.File;
            var body = new List<string>();
            string? baseIndent = null;
            for (int line = sibling.FirstLine + 1; line < sibling.CloseLine; line++)
            {
                if (skip.Contains(line))
                {
                    continue;
                }

                string content = file.LineContent(line);
                if (content.Trim().Length > 0)
                {
                    string indent = content.Substring(0, content.Length - content.TrimStart().Length);
                    baseIndent ??= indent;
                    body.Add(indent.StartsWith(baseIndent, StringComparison.Ordinal) ? inner + content.Substring(baseIndent.Length) : inner + content.TrimStart());
                }
                else
                {
                    body.Add(string.Empty);
                }
            }

            while (body.Count > 0 && body[body.Count - 1].Length == 0)
            {
                body.RemoveAt(body.Count - 1);
            }

            return body;
        }

        /// <summary>Where a new VirtualHost goes: the site file named, a new site file (Debian, Red Hat), or the main file.</summary>
        private static ConfigFile TargetFileFor(EditSession session, string serverName, bool ssl, ICoreLog log)
        {
            ApacheLayout layout = session.Layout;
            string fileName = serverName.Replace("*", "wildcard") + (ssl ? "-ssl.conf" : ".conf");
            if (layout.TargetFile is not null)
            {
                ConfigFile target = session.Tree.Find(layout.TargetFile)!;
                EnableDebianSite(session, target.Path, log);
                return target;
            }

            if (layout.Kind == ApacheLayoutKind.Debian)
            {
                ConfigFile site = session.NewFile(layout.Under("sites-available", fileName));
                EnableDebianSite(session, site.Path, log);
                return site;
            }

            if (layout.Kind == ApacheLayoutKind.RedHat && Directory.Exists(layout.Under("conf.d")))
            {
                return session.NewFile(layout.Under("conf.d", fileName));
            }

            return session.Tree.Main;
        }

        /// <summary>As a2ensite does: a relative link in sites-enabled to a file in sites-available.</summary>
        private static void EnableDebianSite(EditSession session, string path, ICoreLog log)
        {
            ApacheLayout layout = session.Layout;
            if (layout.Kind != ApacheLayoutKind.Debian || !string.Equals(Path.GetDirectoryName(path), layout.Under("sites-available"), StringComparison.Ordinal))
            {
                return;
            }

            string enabled = layout.Under("sites-enabled", Path.GetFileName(path));
            bool alreadyIncluded = session.Tree.Files.Any(f => f.Path == enabled) || File.Exists(enabled);
            if (!alreadyIncluded && !session.IsLinkPlanned(enabled))
            {
                session.Link(enabled, "../sites-available/" + Path.GetFileName(path));
                log.Verbose($"Enabling site {Path.GetFileName(path)}.");
            }
        }

        /// <summary>
        /// The VirtualHosts httpd reads (top level, or inside &lt;IfModule&gt;/&lt;IfDefine&gt;/&lt;IfFile&gt; sections it
        /// takes - planned module links count), and those in files this session creates.
        /// </summary>
        private static IEnumerable<ConfigSection> AllVirtualHosts(EditSession session) =>
            session.Tree.Walk().OfType<ConfigSection>().Where(s => s.Is("VirtualHost") && OnlyInConditions(s))
                .Concat(session.NewFiles.SelectMany(f => f.AllNodes()).OfType<ConfigSection>().Where(s => s.Is("VirtualHost") && OnlyInConditions(s)))
                .Distinct();

        private static bool OnlyInConditions(ConfigNode node)
        {
            for (ConfigSection? parent = node.Parent; parent is not null; parent = parent.Parent)
            {
                if (parent.Role == ConfigNodeRole.Other)
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>The directives httpd applies in a VirtualHost (those in sections it takes, nested ones included).</summary>
        private static IEnumerable<ConfigDirective> Directives(ConfigSection vhost)
        {
            foreach (ConfigNode child in vhost.Children)
            {
                if (!child.IsActive)
                {
                    continue;
                }

                if (child is ConfigDirective directive)
                {
                    yield return directive;
                }
                else if (child is ConfigSection section && section.Role != ConfigNodeRole.Other)
                {
                    foreach (ConfigDirective inner in Directives(section))
                    {
                        yield return inner;
                    }
                }
            }
        }

        private static string? ServerNameOf(ConfigSection vhost)
        {
            ConfigDirective? name = Directives(vhost).LastOrDefault(d => d.Is("ServerName") && d.Arguments.Count > 0);
            return name is null ? null : HostOf(name.Arguments[0]);
        }

        /// <summary>The main server's ServerName (the last one outside any VirtualHost), which nameless VirtualHosts answer to.</summary>
        private static string? GlobalServerName(ConfigTree tree)
        {
            ConfigDirective? name = tree.Walk().OfType<ConfigDirective>().LastOrDefault(d => d.Is("ServerName") && d.Arguments.Count > 0 && !InVirtualHost(d));
            return name is null ? null : HostOf(name.Arguments[0]);
        }

        private static bool InVirtualHost(ConfigNode node)
        {
            for (ConfigSection? parent = node.Parent; parent is not null; parent = parent.Parent)
            {
                if (parent.Is("VirtualHost"))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>"https://www.example.com:443" -> "www.example.com" (ServerName may carry a scheme and a port).</summary>
        private static string HostOf(string value)
        {
            string host = Regex.Replace(value, @"^[a-zA-Z][a-zA-Z0-9+.-]*://", string.Empty);
            if (host.StartsWith("[", StringComparison.Ordinal))
            {
                int close = host.IndexOf(']');
                return close > 0 ? host.Substring(1, close - 1) : host;
            }

            int colon = host.IndexOf(':');
            return (colon >= 0 ? host.Substring(0, colon) : host).TrimEnd('.');
        }

        /// <summary>
        /// Whether a VirtualHost address answers on <paramref name="port"/>: "*", "_default_", "addr:*" and an address
        /// without a port answer on every port httpd listens on; "addr:port" on that port only.
        /// </summary>
        private static bool MatchesPort(string address, int port)
        {
            string text = address.Trim();
            if (text == "*" || text.Equals("_default_", StringComparison.OrdinalIgnoreCase) || text.EndsWith(":*", StringComparison.Ordinal))
            {
                return true;
            }

            int? own = PortOf(text);
            if (own is not null)
            {
                return own == port;
            }

            // No port: "[::1]", "192.0.2.1", "www.example.com".
            return text.EndsWith("]", StringComparison.Ordinal) || text.IndexOf(':') < 0;
        }

        /// <summary>A certificate covers a name httpd answers to (a wildcard alias only by the same wildcard name).</summary>
        private static bool Covers(CertificateInfo certificate, string name) =>
            name.IndexOf('*') >= 0 || name.IndexOf('?') >= 0
                ? certificate.DnsNames.Any(d => string.Equals(d, name, StringComparison.OrdinalIgnoreCase))
                : HostNameMatcher.Covers(certificate, name);

        /// <summary>The address part, "*" for the wildcards, the IP normalized otherwise.</summary>
        private static string HostPart(string address)
        {
            string text = address.Trim();
            int? port = PortOf(text);
            string host = port is null && !text.EndsWith(":*", StringComparison.Ordinal) ? text : text.Substring(0, text.LastIndexOf(':'));
            return host == "*" || host.Equals("_default_", StringComparison.OrdinalIgnoreCase) ? "*" : NormalizeIp(host);
        }

        private static string NormalizeIp(string text)
        {
            string trimmed = text.Trim('[', ']');
            return IPAddress.TryParse(trimmed, out IPAddress? ip) ? ip.ToString() : trimmed.ToLowerInvariant();
        }

        private static bool WildcardMatches(string pattern, string name)
        {
            string regex = "^" + Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$";
            return Regex.IsMatch(name, regex, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        }

        private static string Describe(ConfigSection vhost) =>
            $"<VirtualHost {string.Join(" ", vhost.Arguments)}> in '{vhost.File.Path}', line {vhost.FirstLine + 1}";

        private static CertCmdletsException Ambiguous(string serverName, int port, List<ConfigSection> hosts) =>
            new CertCmdletsException("ApacheVirtualHostAmbiguous", CertErrorKind.InvalidOperation, serverName,
                $"Several VirtualHosts could be meant for '{serverName}' on port {port}: {string.Join("; ", hosts.Select(Describe))}. httpd picks one per listening address. Nothing was changed.",
                "Give -ListenAddress with the address whose VirtualHost to configure (or give the site its own ServerName).",
                null);

        private static CertCmdletsException Shadowed(string serverName, int port, ConfigSection host, string why) =>
            new CertCmdletsException("ApacheVirtualHostShadowed", CertErrorKind.InvalidOperation, serverName,
                $"httpd serves '{serverName}' on port {port} from {Describe(host)}: {why}. A new VirtualHost for it would never be selected. Nothing was changed.",
                $"Configure that VirtualHost with a certificate that covers all its names (-ServerName {ServerNameOf(host) ?? serverName}), or take '{serverName}' out of its ServerAlias first.",
                null);
    }
}
