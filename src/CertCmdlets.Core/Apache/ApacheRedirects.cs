using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace CertCmdlets.Core.Apache
{
    /// <summary>
    /// The HTTP site's redirect to HTTPS. The site's own site-wide redirect (Redirect "/" https://..., RedirectPermanent,
    /// a RedirectMatch of every path, a RewriteRule of every path) is recognised and rewritten in place into one
    /// redirect that keeps the path and query and leaves /.well-known/acme-challenge/ on HTTP (so ACME CAs can still
    /// validate the name); a redirect to another host keeps its target. With mod_rewrite the redirect is a
    /// RewriteCond/RewriteRule pair; without it, mod_alias's RedirectMatch with a look-ahead that spares the ACME path.
    /// </summary>
    internal static class ApacheRedirects
    {
        private const string AcmePrefix = "/.well-known/acme-challenge/";
        private const string AcmeCondition = "RewriteCond %{REQUEST_URI} !^/\\.well-known/acme-challenge/";

        private static readonly HashSet<string> s_wholeSitePatterns = new HashSet<string>(StringComparer.Ordinal)
        {
            "^", "^/", "^(.*)$", "^/(.*)$", "^/?(.*)$", "(.*)", "^(.*)", "^/(.*)", "/(.*)", ".*", "^.*$", "^/.*$",
        };

        private static readonly HashSet<string> s_redirectStatuses = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "permanent", "temp", "seeother", "301", "302", "303", "307", "308",
        };

        /// <summary>True for a redirect of the whole site to an https:// target (the kind an HTTPS copy of a site must not keep).</summary>
        public static bool IsHttpsRedirect(ConfigDirective directive) => Recognise(directive) is not null;

        /// <summary>
        /// Makes <paramref name="vhost"/> redirect every plain-HTTP request to <paramref name="serverName"/> over HTTPS
        /// (port <paramref name="httpsPort"/>), rewriting the site's own site-wide redirects into one.
        /// </summary>
        public static void Apply(EditSession session, ConfigSection vhost, string serverName, int httpsPort, bool temporary, bool redirectAcme, bool rewrite, ICoreLog log)
        {
            string canonical = "https://" + serverName + (httpsPort == 443 ? string.Empty : ":" + httpsPort);
            List<(ConfigDirective Directive, Redirect Found)> existing = ActiveChildren(vhost)
                .Select(d => (d, Recognise(d)))
                .Where(p => p.Item2 is not null)
                .Select(p => (p.d, p.Item2!))
                .ToList();

            string target = canonical;
            foreach ((ConfigDirective directive, Redirect found) in existing)
            {
                if (found.Base is null)
                {
                    log.Warning($"The site's own {directive.Name} in '{directive.File.Path}', line {directive.FirstLine + 1}, sends every request to '{found.Target}', which cannot be turned into a redirect that keeps the path; it was left as it is, and it also sends {AcmePrefix} to HTTPS, so ACME CAs cannot validate this name over HTTP. Replace it with Enable-HttpsRedirect's redirect (remove it and run the command again).");
                    continue;
                }

                if (!IsThisHost(found.Base, serverName))
                {
                    // A redirect to another host (example.com -> https://www.example.com) keeps its target.
                    target = found.Base;
                    log.Verbose($"The site redirects to another host, '{found.Base}': the redirect keeps that target.");
                }
            }

            string status = temporary ? "302" : "301";
            var block = new List<string>();
            if (rewrite)
            {
                // RewriteEngine goes first, beside the rules it switches on (one the host has already is set by the caller).
                if (!ActiveChildren(vhost).Any(d => d.Is("RewriteEngine")))
                {
                    block.Add("RewriteEngine on");
                }

                if (!redirectAcme)
                {
                    block.Add(AcmeCondition);
                }

                block.Add($"RewriteRule ^ {target}%{{REQUEST_URI}} [R={status},L,NE]");
            }
            else
            {
                string pattern = redirectAcme ? "^/(.*)$" : "^/(?!\\.well-known/acme-challenge/)(.*)$";
                block.Add($"RedirectMatch {status} {ConfigFile.Quote(pattern)} {ConfigFile.Quote(target + "/$1")}");
            }

            List<(ConfigDirective Directive, Redirect Found)> convertible = existing.Where(e => e.Found.Base is not null).ToList();
            string indent = ApacheText.ChildIndent(vhost.File, vhost);
            if (convertible.Count == 0)
            {
                vhost.File.Insert(vhost.CloseLine, block.Select(l => indent + l));
                log.Verbose($"Adding the redirect to {target} for '{serverName}'.");
                return;
            }

            // The first redirect becomes ours (in its place, with its indentation); any other is removed.
            var ranges = convertible.Select(c => RangeOf(vhost, c.Directive)).OrderByDescending(r => r.First).ToList();
            (int keepFirst, int keepLast) = ranges[ranges.Count - 1];
            string keepIndent = convertible.OrderBy(c => c.Directive.FirstLine).First().Directive.Indent;
            var current = new List<string>();
            for (int i = keepFirst; i <= keepLast; i++)
            {
                current.Add(vhost.File.LineContent(i).Trim());
            }

            bool unchanged = ranges.Count == 1 && current.SequenceEqual(block, StringComparer.Ordinal);
            if (unchanged)
            {
                return;
            }

            foreach ((int first, int last) in ranges)
            {
                if (first == keepFirst)
                {
                    vhost.File.Replace(first, last, block.Select(l => keepIndent + l));
                }
                else
                {
                    vhost.File.Replace(first, last, Array.Empty<string>());
                }
            }

            log.Verbose($"Rewrote the site's redirect to HTTPS in '{vhost.File.Path}', line {keepFirst + 1}, to keep the path and query{(redirectAcme ? string.Empty : " and leave " + AcmePrefix + " on HTTP")}.");
        }

        /// <summary>The lines a redirect occupies: a RewriteRule with the RewriteConds just above it.</summary>
        private static (int First, int Last) RangeOf(ConfigSection vhost, ConfigDirective directive)
        {
            int first = directive.FirstLine;
            if (directive.Is("RewriteRule"))
            {
                List<ConfigDirective> siblings = (directive.Parent ?? vhost).Children.OfType<ConfigDirective>().ToList();
                int index = siblings.IndexOf(directive);
                for (int i = index - 1; i >= 0 && siblings[i].Is("RewriteCond"); i--)
                {
                    first = siblings[i].FirstLine;
                }
            }

            return (first, directive.LastLine);
        }

        /// <summary>The directives of a section httpd applies, those in its conditional sections (IfModule, IfDefine...) included.</summary>
        internal static IEnumerable<ConfigDirective> ActiveChildren(ConfigSection section)
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
                    foreach (ConfigDirective nested in ActiveChildren(inner))
                    {
                        yield return nested;
                    }
                }
            }
        }

        /// <summary>
        /// A site-wide redirect to https, with the target base its requests go to (scheme, host, port and path prefix,
        /// to which the request's path is appended), or null when the directive is no such redirect.
        /// </summary>
        private static Redirect? Recognise(ConfigDirective directive)
        {
            IReadOnlyList<string> args = directive.Arguments;
            if (directive.Is("Redirect") || directive.Is("RedirectPermanent") || directive.Is("RedirectTemp"))
            {
                int offset = directive.Is("Redirect") && args.Count == 3 && s_redirectStatuses.Contains(args[0]) ? 1 : 0;
                if (args.Count != offset + 2 || args[offset] != "/" || !IsHttps(args[offset + 1]))
                {
                    return null;
                }

                return new Redirect(args[offset + 1], args[offset + 1].TrimEnd('/'));
            }

            if (directive.Is("RedirectMatch"))
            {
                int offset = args.Count == 3 && s_redirectStatuses.Contains(args[0]) ? 1 : 0;
                if (args.Count != offset + 2 || !s_wholeSitePatterns.Contains(args[offset]) && !IsOwnLookahead(args[offset]) || !IsHttps(args[offset + 1]))
                {
                    return null;
                }

                string url = args[offset + 1];
                string? baseUrl = url.EndsWith("/$1", StringComparison.Ordinal) && args[offset].Contains("^/") ? url.Substring(0, url.Length - 3)
                    : url.EndsWith("$1", StringComparison.Ordinal) && !args[offset].Contains("^/") ? url.Substring(0, url.Length - 2)
                    : null;
                return new Redirect(url, baseUrl?.TrimEnd('/'));
            }

            if (directive.Is("RewriteRule") && args.Count >= 2 && s_wholeSitePatterns.Contains(args[0]) && IsHttps(args[1]))
            {
                string url = args[1];
                string? baseUrl = url.EndsWith("%{REQUEST_URI}", StringComparison.Ordinal) ? url.Substring(0, url.Length - "%{REQUEST_URI}".Length)
                    : url.EndsWith("/$1", StringComparison.Ordinal) && args[0].Contains("^/") ? url.Substring(0, url.Length - 3)
                    : url.EndsWith("$1", StringComparison.Ordinal) ? url.Substring(0, url.Length - 2)
                    : null;
                return new Redirect(url, baseUrl?.TrimEnd('/'));
            }

            return null;
        }

        private static bool IsOwnLookahead(string pattern) => pattern.StartsWith("^/(?!", StringComparison.Ordinal) && pattern.EndsWith("(.*)$", StringComparison.Ordinal);

        private static bool IsHttps(string url) => url.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

        /// <summary>True when a redirect's target base is this site (its name, or the request's own host).</summary>
        private static bool IsThisHost(string baseUrl, string serverName)
        {
            Match match = Regex.Match(baseUrl, @"^https://(\[[^\]]+\]|[^/:]+)(:\d+)?(/.*)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
            if (!match.Success)
            {
                return false;
            }

            string host = match.Groups[1].Value;
            bool samePath = !match.Groups[3].Success || match.Groups[3].Value.Length == 0;
            return samePath && (string.Equals(host, serverName, StringComparison.OrdinalIgnoreCase) || host.StartsWith("%{", StringComparison.Ordinal));
        }

        /// <summary>A recognised redirect: its target as written, and the base requests go to (null when the path is lost).</summary>
        private sealed class Redirect
        {
            public Redirect(string target, string? baseUrl)
            {
                Target = target;
                Base = baseUrl;
            }

            public string Target { get; }

            public string? Base { get; }
        }
    }
}
