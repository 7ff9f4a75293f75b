using System;
using System.Collections.Generic;
using System.Linq;

namespace CertCmdlets.Core.Apache
{
    /// <summary>
    /// Directive edits: each wanted directive set in a VirtualHost (a value that already means what is asked keeps the
    /// user's spelling - "SSLEngine On" stays), server-level directives added once, one Listen per port.
    /// </summary>
    internal static class ApacheDirectives
    {
        /// <summary>Directives whose value is a flag or keyword httpd reads without regard to case.</summary>
        private static readonly HashSet<string> s_caseless = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "SSLEngine", "SSLHonorCipherOrder", "SSLSessionTickets", "SSLUseStapling", "SSLStaplingResponderErrors",
            "SSLStaplingReturnResponderErrors", "RewriteEngine", "SSLProtocol", "SSLCompression", "SSLStrictSNIVHostCheck",
        };

        /// <summary>Directives whose value is a file path (the same file written another way is the same value).</summary>
        private static readonly HashSet<string> s_paths = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "SSLCertificateFile", "SSLCertificateKeyFile", "SSLCertificateChainFile", "SSLCACertificateFile",
        };

        /// <summary>
        /// Sets each directive in the VirtualHost: where httpd already reads it (in the VirtualHost or a section of it
        /// that httpd takes), a different value is replaced in place (indentation and name case kept); a missing one is
        /// added before the closing tag; a stale one removed. Edits are applied from the bottom up.
        /// </summary>
        public static void Apply(ConfigTree tree, ConfigSection vhost, IEnumerable<(string Name, string Arguments)> wanted, IEnumerable<string> remove)
        {
            List<ConfigDirective> present = Active(vhost).ToList();
            var replacements = new List<(int First, int Last, string[] Lines)>();
            var additions = new List<string>();
            string indent = ApacheText.ChildIndent(vhost.File, vhost);
            foreach ((string name, string arguments) in wanted)
            {
                List<string> words = ConfigFile.SplitArguments(arguments);
                ConfigDirective? existing = present.LastOrDefault(d => d.Is(name) && SameKey(name, d.Arguments, words));
                if (existing is null)
                {
                    additions.Add(indent + name + " " + arguments);
                }
                else if (!SameValue(tree, name, existing.Arguments, words))
                {
                    replacements.Add((existing.FirstLine, existing.LastLine, new[] { existing.Indent + existing.Name + " " + arguments }));
                }
            }

            foreach (string name in remove)
            {
                foreach (ConfigDirective stale in present.Where(d => d.Is(name)))
                {
                    replacements.Add((stale.FirstLine, stale.LastLine, Array.Empty<string>()));
                }
            }

            // The additions go before the closing tag, below every replaced line: insert them first, then replace from
            // the bottom up, so no planned line number moves before it is used.
            if (additions.Count > 0)
            {
                vhost.File.Insert(vhost.CloseLine, additions);
            }

            foreach ((int first, int last, string[] lines) in replacements.OrderByDescending(r => r.First))
            {
                vhost.File.Replace(first, last, lines);
            }
        }

        /// <summary>A server-level directive (outside any VirtualHost), added just before the VirtualHost when httpd reads it nowhere.</summary>
        public static bool EnsureServerDirective(ConfigTree tree, ConfigSection vhost, string name, string arguments)
        {
            if (tree.Walk().OfType<ConfigDirective>().Any(d => d.Is(name)))
            {
                return false;
            }

            vhost.File.Insert(vhost.FirstLine, new[] { vhost.Indent + name + " " + arguments });
            return true;
        }

        /// <summary>One Listen per port: "Listen 443", "Listen 0.0.0.0:443" and "Listen 443 https" are the same port.</summary>
        public static void EnsureListen(EditSession session, int port, string? address, string? protocol, ICoreLog log)
        {
            List<ConfigDirective> listens = session.Tree.Walk().OfType<ConfigDirective>().Where(d => d.Is("Listen")).ToList();
            if (listens.Any(l => ListenPort(l) == port))
            {
                return;
            }

            string host = address is null ? string.Empty : (address.Contains(":") ? "[" + address.Trim('[', ']') + "]:" : address + ":");
            string line = $"Listen {host}{port}{(protocol is null ? string.Empty : " " + protocol)}";
            ApacheLayout layout = session.Layout;
            ConfigFile? ports = layout.Kind == ApacheLayoutKind.Debian ? session.Tree.Find(layout.Under("ports.conf")) : null;
            if (ports is not null && protocol is not null)
            {
                ConfigSection? sslBlock = ports.AllNodes().OfType<ConfigSection>().FirstOrDefault(s => s.Is("IfModule") && s.Arguments.Count == 1 && (s.Arguments[0] == "ssl_module" || s.Arguments[0] == "mod_ssl.c"));
                if (sslBlock is not null)
                {
                    ports.Insert(sslBlock.CloseLine, new[] { ApacheText.ChildIndent(ports, sslBlock) + line });
                    log.Verbose($"Adding '{line}' to '{ports.Path}'.");
                    return;
                }
            }

            ConfigDirective? lastListen = listens.LastOrDefault(l => ports is null || l.File == ports);
            if (lastListen is not null && lastListen.Parent is null)
            {
                lastListen.File.Insert(lastListen.LastLine + 1, new[] { lastListen.Indent + line });
            }
            else
            {
                ConfigFile file = ports ?? session.Tree.Main;
                file.Insert(file.LineCount, new[] { line });
            }

            log.Verbose($"Adding '{line}'.");
        }

        private static int? ListenPort(ConfigDirective listen)
        {
            if (listen.Arguments.Count == 0)
            {
                return null;
            }

            string address = listen.Arguments[0];
            int colon = address.LastIndexOf(':');
            string port = colon >= 0 && !address.EndsWith("]", StringComparison.Ordinal) ? address.Substring(colon + 1) : address;
            return int.TryParse(port, out int value) ? value : null;
        }

        /// <summary>The directives httpd reads in a section: its own and those of sections of it that httpd takes.</summary>
        private static IEnumerable<ConfigDirective> Active(ConfigSection section)
        {
            foreach (ConfigNode child in section.Children)
            {
                if (!child.IsActive)
                {
                    continue;
                }

                if (child is ConfigDirective directive)
                {
                    yield return directive;
                }
                else if (child is ConfigSection inner && inner.Role != ConfigNodeRole.Other)
                {
                    foreach (ConfigDirective nested in Active(inner))
                    {
                        yield return nested;
                    }
                }
            }
        }

        /// <summary>Directives that may appear several times are told apart by their first words.</summary>
        private static bool SameKey(string name, IReadOnlyList<string> existing, List<string> wanted)
        {
            if (string.Equals(name, "SSLOpenSSLConfCmd", StringComparison.OrdinalIgnoreCase))
            {
                return existing.Count > 0 && wanted.Count > 0 && string.Equals(existing[0], wanted[0], StringComparison.OrdinalIgnoreCase);
            }

            if (string.Equals(name, "Header", StringComparison.OrdinalIgnoreCase))
            {
                return existing.Any(a => string.Equals(a, "Strict-Transport-Security", StringComparison.OrdinalIgnoreCase));
            }

            return true;
        }

        /// <summary>Whether the value written already means what is wanted: flags without regard to case, paths to the same file.</summary>
        private static bool SameValue(ConfigTree tree, string name, IReadOnlyList<string> existing, List<string> wanted)
        {
            if (existing.Count != wanted.Count)
            {
                return false;
            }

            StringComparison comparison = s_caseless.Contains(name) ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            for (int i = 0; i < wanted.Count; i++)
            {
                bool same = s_paths.Contains(name)
                    ? ApacheText.SamePath(tree.Resolve(existing[i]), tree.Resolve(wanted[i]))
                    : string.Equals(existing[i], wanted[i], comparison);
                if (!same)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
