using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using CertCmdlets.Core.Chains;
using CertCmdlets.Core.Export;
using CertCmdlets.Core.Naming;

namespace CertCmdlets.Core.Apache
{
    /// <summary>
    /// Set-ApacheSsl and Enable-HttpsRedirect: read the whole configuration, change only what must change
    /// (mod_ssl loaded, one Listen per port, the VirtualHost and its directives), show the diff, write with
    /// backups, run httpd's configuration test and restore everything if it fails.
    /// </summary>
    public static class ApacheConfigurator
    {
        private static readonly Version s_fullChainVersion = new Version(2, 4, 8);

        /// <summary>
        /// Checks the arguments a whole call shares (the configuration path, the listen address, and the server name
        /// when it is given once), so a wrong one stops the command before any input is processed.
        /// </summary>
        public static void CheckArguments(string configPath, string? serverRoot, string? listenAddress, string? serverName)
        {
            if (serverName is not null)
            {
                HostNames.Normalize(serverName);
            }

            RequireLocalAddress(listenAddress);
            ApacheLayout.Detect(configPath, serverRoot);
        }

        /// <summary>Configures HTTPS for a site. Returns null when <paramref name="shouldProcess"/> declined (-WhatIf).</summary>
        public static ApacheChangeResult? SetSsl(ApacheSslOptions options, Func<string, string, bool> shouldProcess, ICoreLog log)
        {
            string serverName = HostNames.Normalize(options.ServerName);
            string profile = options.TlsProfile;
            IReadOnlyList<(string Name, string Arguments)> profileDirectives = TlsProfiles.Directives(profile);
            CertificateInfo certificate = CheckCertificate(options, serverName, log);
            RequireLocalAddress(options.ListenAddress);

            using ApacheTransaction transaction = ApacheTransaction.Open(options.ConfigPath, options.ServerRoot, options.HttpdPath, ApacheTransactionSettings.From(options), shouldProcess, log);
            (ApacheBinary? binary, EditSession session) = (transaction.Binary, transaction.Session);
            bool fullChainSupported = binary?.Version is null || binary.Version >= s_fullChainVersion;

            EnsureModule(session, "ssl", log);
            if (options.Hsts)
            {
                EnsureModule(session, "headers", log);
            }

            EnsureListen(session, options.Port, options.ListenAddress, options.Port == 443 ? null : "https", log);
            ConfigSection vhost = FindOrCreateVirtualHost(session, serverName, options.Port, options.ListenAddress, ssl: true, log);

            var wanted = new List<(string Name, string Arguments)> { ("SSLEngine", "on") };
            string? fullChain = options.FullChainFile;
            if (fullChainSupported && fullChain is not null)
            {
                wanted.Add(("SSLCertificateFile", ConfigFile.Quote(fullChain)));
            }
            else
            {
                wanted.Add(("SSLCertificateFile", ConfigFile.Quote(options.CertificateFile!)));
            }

            wanted.Add(("SSLCertificateKeyFile", ConfigFile.Quote(options.KeyFile!)));
            string? chainFile = fullChainSupported && fullChain is not null ? null : options.ChainFile;
            if (chainFile is not null && fullChainSupported)
            {
                log.Warning($"httpd {binary?.Version} takes the full chain in SSLCertificateFile; SSLCertificateChainFile is deprecated since 2.4.8. Pipe the certificate object from Export-CertPem (it carries fullchain.pem), or give the full chain file as -CertificateFile without -ChainFile.");
            }

            if (chainFile is not null)
            {
                wanted.Add(("SSLCertificateChainFile", ConfigFile.Quote(chainFile)));
            }

            wanted.AddRange(profileDirectives);
            bool stapling = CertificateFacts.HasOcspResponder(certificate);
            if (stapling)
            {
                // The stapling cache is shmcb, which mod_socache_shmcb provides (Debian's ssl.load pulls it in; others do not).
                EnsureModule(session, "socache_shmcb", log);
                wanted.Add(("SSLUseStapling", "on"));
            }
            else
            {
                log.Verbose($"'{certificate.Subject}' names no OCSP responder: OCSP stapling is not configured.");
            }

            if (options.Hsts)
            {
                wanted.Add(("Header", "always set Strict-Transport-Security \"max-age=63072000\""));
            }

            ApplyDirectives(session, vhost, wanted, remove: chainFile is null ? new[] { "SSLCertificateChainFile" } : Array.Empty<string>());
            if (stapling)
            {
                EnsureServerDirective(session, FindVirtualHost(session, serverName, options.Port)!, "SSLStaplingCache", "\"shmcb:logs/ssl_stapling(32768)\"");
            }

            return transaction.Finish(serverName, options.Port, options.Reload);
        }

        /// <summary>Sends every plain-HTTP request for a site to HTTPS. Returns null when declined (-WhatIf).</summary>
        public static ApacheChangeResult? EnableRedirect(ApacheRedirectOptions options, Func<string, string, bool> shouldProcess, ICoreLog log)
        {
            string serverName = HostNames.Normalize(options.ServerName);
            RequireLocalAddress(options.ListenAddress);
            using ApacheTransaction transaction = ApacheTransaction.Open(options.ConfigPath, options.ServerRoot, options.HttpdPath, ApacheTransactionSettings.From(options), shouldProcess, log);
            EditSession session = transaction.Session;
            EnsureModule(session, "rewrite", log);
            EnsureListen(session, options.HttpPort, options.ListenAddress, null, log);
            ConfigSection vhost = FindOrCreateVirtualHost(session, serverName, options.HttpPort, options.ListenAddress, ssl: false, log);

            string target = "https://" + serverName + (options.HttpsPort == 443 ? string.Empty : ":" + options.HttpsPort) + "%{REQUEST_URI}";
            string flags = options.Temporary ? "[R=302,L,NE]" : "[R=301,L,NE]";
            var block = new List<string>();
            if (!options.RedirectAcmeChallenge)
            {
                block.Add("RewriteCond %{REQUEST_URI} !^/\\.well-known/acme-challenge/");
            }

            block.Add($"RewriteRule ^ {target} {flags}");
            ApplyDirectives(session, vhost, new[] { ("RewriteEngine", "on") }, Array.Empty<string>());
            ApplyRedirect(session, serverName, options.HttpPort, block);
            return transaction.Finish(serverName, options.HttpPort, options.Reload);
        }

        private static CertificateInfo CheckCertificate(ApacheSslOptions options, string serverName, ICoreLog log)
        {
            CertificateInfo? certificate = options.Certificate;
            if (certificate is not null)
            {
                options.CertificateFile ??= certificate.CertificatePath;
                options.FullChainFile ??= certificate.FullChainPath;
                options.KeyFile ??= certificate.KeyPath;
                options.ChainFile ??= certificate.ChainPath;
            }

            if ((options.CertificateFile is null && options.FullChainFile is null) || options.KeyFile is null)
            {
                throw Errors.ApacheNoCertificate();
            }

            options.CertificateFile ??= options.FullChainFile;
            foreach (string? file in new[] { options.CertificateFile, options.FullChainFile, options.KeyFile, options.ChainFile })
            {
                if (file is not null && !File.Exists(file))
                {
                    throw Errors.FileNotFound(file);
                }
            }

            bool encrypted = PrivateKeyFile.IsEncrypted(options.KeyFile);
            if (encrypted)
            {
                // httpd's configuration test does not read keys: an encrypted one would stop httpd at start-up.
                CertCmdletsException error = KeyFileEncrypted(options.KeyFile, null);
                if (!options.AllowEncryptedKey || options.KeyPassword is null)
                {
                    throw options.AllowEncryptedKey ? KeyFileEncryptedUnchecked(options.KeyFile) : error;
                }

                log.Warning($"The key '{options.KeyFile}' is encrypted: httpd will ask for its pass phrase at every start. Configured anyway because of -AllowEncryptedKey: configure SSLPassPhraseDialog for it.");
            }

            // The key must belong to the certificate (httpd would refuse to start): there is no override for that.
            CertificateInfo loaded = CertificateFiles.Load(options.FullChainFile ?? options.CertificateFile!, options.KeyFile, options.KeyPassword, options.ChainFile, log);

            if (!HostNameMatcher.Covers(loaded, serverName))
            {
                string names = string.Join(", ", loaded.DnsNames.Concat(loaded.IpAddresses));
                CertCmdletsException error = Errors.CertificateDoesNotCoverServerName(loaded.Subject, serverName, names.Length == 0 ? "no names" : names);
                if (!options.AllowNameMismatch)
                {
                    throw error;
                }

                log.Warning($"The certificate '{loaded.Subject}' does not cover '{serverName}' (it covers {(names.Length == 0 ? "no names" : names)}): browsers will refuse it. Configured anyway because of -AllowNameMismatch.");
            }

            return loaded;
        }

        private static CertCmdletsException KeyFileEncryptedUnchecked(string keyFile) =>
            new CertCmdletsException("KeyFileEncrypted", CertErrorKind.InvalidArgument, keyFile,
                $"The key '{keyFile}' is encrypted, so it cannot be checked against the certificate without its password. Give it with -KeyPassword (it is used for the check only and never written).");

        private static CertCmdletsException KeyFileEncrypted(string keyFile, Exception? inner) =>
            new CertCmdletsException("KeyFileEncrypted", CertErrorKind.InvalidArgument, keyFile,
                $"The key '{keyFile}' is encrypted, so httpd would stop at start-up to ask for its pass phrase. Write it without a password (Export-CertPem without -KeyPassword) and configure that file.", inner);

        /// <summary>An address httpd can bind: one of this machine's (configtest does not bind, so it would not notice).</summary>
        private static void RequireLocalAddress(string? address)
        {
            if (address is null)
            {
                return;
            }

            if (!HostNames.TryParseIp(address, out System.Net.IPAddress? ip))
            {
                throw new CertCmdletsException("ListenAddressInvalid", CertErrorKind.InvalidArgument, address,
                    $"-ListenAddress '{address}' is not an IP address. Give one of this machine's addresses, such as 127.0.0.1.");
            }

            bool local = System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
                .SelectMany(n => n.GetIPProperties().UnicastAddresses)
                .Any(u => u.Address.Equals(ip));
            if (!local && !ip!.Equals(System.Net.IPAddress.Any) && !ip.Equals(System.Net.IPAddress.IPv6Any))
            {
                throw new CertCmdletsException("ListenAddressNotLocal", CertErrorKind.InvalidArgument, address,
                    $"-ListenAddress {address} is not an address of this machine, so httpd could not listen on it (the configuration test would not notice). Give one of this machine's addresses, such as 127.0.0.1.");
            }
        }

        private static readonly Dictionary<string, string> s_moduleIdentifiers = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ssl"] = "ssl_module",
            ["headers"] = "headers_module",
            ["rewrite"] = "rewrite_module",
            ["socache_shmcb"] = "socache_shmcb_module",
        };

        private static void EnsureModule(EditSession session, string module, ICoreLog log)
        {
            string identifier = s_moduleIdentifiers[module];
            if (IsModuleLoaded(session, identifier))
            {
                return;
            }

            ApacheLayout layout = session.Layout;
            if (layout.Kind == ApacheLayoutKind.Debian)
            {
                EnableDebianModule(session, module, new HashSet<string>(StringComparer.Ordinal), log);
                return;
            }

            ConfigDirective? last = session.Tree.Walk().OfType<ConfigDirective>().LastOrDefault(d => d.Is("LoadModule") && d.Arguments.Count == 2);
            string fileName = "mod_" + module + ".so";
            string relativeDirectory = last is null ? "modules" : Path.GetDirectoryName(last.Arguments[1])!.Replace('\\', '/');
            string modulePath = string.IsNullOrEmpty(relativeDirectory) ? fileName : relativeDirectory + "/" + fileName;
            if (!File.Exists(session.Tree.Resolve(modulePath)))
            {
                throw Errors.ApacheModuleMissing("mod_" + module, layout.Kind == ApacheLayoutKind.RedHat
                    ? $"Install it (dnf install mod_{module}) and run the command again."
                    : $"'{session.Tree.Resolve(modulePath)}' does not exist; install the module for this httpd.");
            }

            string line = $"LoadModule {identifier} {modulePath}";
            if (layout.Kind == ApacheLayoutKind.RedHat && Directory.Exists(layout.Under("conf.modules.d")))
            {
                ConfigFile file = session.NewFile(layout.Under("conf.modules.d", "00-" + module + ".conf"));
                file.Insert(file.LineCount, new[] { line });
            }
            else if (last is not null)
            {
                last.File.Insert(last.LastLine + 1, new[] { last.Indent + line });
            }
            else
            {
                session.Tree.Main.Insert(0, new[] { line });
            }

            log.Verbose($"Loading {identifier}.");
        }

        private static bool IsModuleLoaded(EditSession session, string identifier) =>
            session.Tree.Walk().OfType<ConfigDirective>().Any(d => d.Is("LoadModule") && d.Arguments.Count >= 1 && string.Equals(d.Arguments[0], identifier, StringComparison.Ordinal));

        /// <summary>As a2enmod does: link mods-available/NAME.load and NAME.conf into mods-enabled, dependencies first.</summary>
        private static void EnableDebianModule(EditSession session, string module, HashSet<string> seen, ICoreLog log)
        {
            if (!seen.Add(module))
            {
                return;
            }

            ApacheLayout layout = session.Layout;
            string load = layout.Under("mods-available", module + ".load");
            if (!File.Exists(load))
            {
                throw Errors.ApacheModuleMissing("mod_" + module, $"'{load}' does not exist; install the package that provides it.");
            }

            foreach (string line in File.ReadAllLines(load))
            {
                Match depends = Regex.Match(line, @"^#\s*Depends:\s*(.*)$");
                if (depends.Success)
                {
                    foreach (string dependency in depends.Groups[1].Value.Split(new[] { ' ', ',' }, StringSplitOptions.RemoveEmptyEntries))
                    {
                        EnableDebianModule(session, dependency, seen, log);
                    }
                }
            }

            foreach (string extension in new[] { ".load", ".conf" })
            {
                string available = layout.Under("mods-available", module + extension);
                string enabled = layout.Under("mods-enabled", module + extension);
                if (File.Exists(available) && !File.Exists(enabled) && !session.IsLinkPlanned(enabled))
                {
                    session.Link(enabled, "../mods-available/" + module + extension);
                    log.Verbose($"Enabling module {module} ({module}{extension}).");
                }
            }
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

        /// <summary>One Listen per port: "Listen 443", "Listen 0.0.0.0:443" and "Listen 443 https" are the same port.</summary>
        private static void EnsureListen(EditSession session, int port, string? address, string? protocol, ICoreLog log)
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
                    ports.Insert(sslBlock.CloseLine, new[] { ChildIndent(ports, sslBlock) + line });
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

        private static ConfigSection? FindVirtualHost(EditSession session, string serverName, int port)
        {
            // Every file read or created, not only what httpd includes today: a site file this session creates in
            // sites-available is included only once its link in sites-enabled exists.
            foreach (ConfigSection vhost in session.Tree.Walk().Concat(session.Tree.Files.SelectMany(f => f.AllNodes())).OfType<ConfigSection>().Where(s => s.Is("VirtualHost")))
            {
                if (!vhost.Arguments.Any(a => AddressPort(a) == port))
                {
                    continue;
                }

                if (Names(vhost).Any(n => string.Equals(n, serverName, StringComparison.OrdinalIgnoreCase)))
                {
                    return vhost;
                }
            }

            return null;
        }

        private static IEnumerable<string> Names(ConfigSection vhost) =>
            vhost.Children.OfType<ConfigDirective>().Where(d => d.Is("ServerName") || d.Is("ServerAlias")).SelectMany(d => d.Arguments)
                .Select(n => Regex.Replace(n, @"^[a-z]+://", string.Empty).Split(':')[0].TrimEnd('.'));

        private static int? AddressPort(string address)
        {
            int colon = address.LastIndexOf(':');
            if (colon < 0 || address.EndsWith("]", StringComparison.Ordinal))
            {
                return null;
            }

            return int.TryParse(address.Substring(colon + 1), out int port) ? port : null;
        }

        private static ConfigSection FindOrCreateVirtualHost(EditSession session, string serverName, int port, string? address, bool ssl, ICoreLog log)
        {
            ConfigSection? existing = FindVirtualHost(session, serverName, port);
            if (existing is not null)
            {
                log.Verbose($"Updating <VirtualHost {string.Join(" ", existing.Arguments)}> for '{serverName}' in '{existing.File.Path}', line {existing.FirstLine + 1}.");
                return existing;
            }

            // Copy what the site already says on another port (its content), so HTTPS serves the same site.
            ConfigSection? sibling = session.Tree.Walk().OfType<ConfigSection>()
                .FirstOrDefault(s => s.Is("VirtualHost") && Names(s).Any(n => string.Equals(n, serverName, StringComparison.OrdinalIgnoreCase)));
            ApacheLayout layout = session.Layout;
            ConfigFile file = TargetFileFor(session, serverName, ssl, log);
            string inner = UsesTabs(file) ? "\t" : "    ";
            var lines = new List<string>();
            string host = address is null ? "*" : (address.Contains(":") ? "[" + address.Trim('[', ']') + "]" : address);
            lines.Add($"<VirtualHost {host}:{port}>");
            lines.Add($"{inner}ServerName {serverName}");
            if (sibling is not null)
            {
                foreach (ConfigDirective directive in sibling.Children.OfType<ConfigDirective>().Where(d => d.Is("ServerAlias") || d.Is("DocumentRoot") || d.Is("ServerAdmin")))
                {
                    lines.Add(inner + directive.Name + " " + string.Join(" ", directive.Arguments.Select(ConfigFile.Quote)));
                }
            }

            lines.Add("</VirtualHost>");

            if (file.LineCount > 0 && file.LineContent(file.LineCount - 1).Trim().Length > 0)
            {
                lines.Insert(0, string.Empty);
            }

            file.Insert(file.LineCount, lines);
            log.Verbose($"Adding <VirtualHost {host}:{port}> for '{serverName}' to '{file.Path}'.");
            return FindVirtualHost(session, serverName, port)
                ?? file.AllNodes().OfType<ConfigSection>().Last(s => s.Is("VirtualHost"));
        }

        /// <summary>Where a new VirtualHost goes: the site file named, a new site file (Debian, RHEL), or the main file.</summary>
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

        private static bool UsesTabs(ConfigFile file)
        {
            int tabs = 0;
            int spaces = 0;
            for (int i = 0; i < file.LineCount && i < 500; i++)
            {
                string line = file.LineContent(i);
                if (line.StartsWith("\t", StringComparison.Ordinal))
                {
                    tabs++;
                }
                else if (line.StartsWith("  ", StringComparison.Ordinal))
                {
                    spaces++;
                }
            }

            return tabs > spaces;
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
        /// Sets each directive in the VirtualHost: a different value is replaced in place (indentation and name case
        /// kept), a missing one added before the closing tag, a stale one removed. All edits are planned on one parse
        /// and applied from the bottom up, so the file is parsed again only once.
        /// </summary>
        private static void ApplyDirectives(EditSession session, ConfigSection vhost, IEnumerable<(string Name, string Arguments)> wanted, IEnumerable<string> remove)
        {
            string serverName = Names(vhost).FirstOrDefault() ?? string.Empty;
            int port = vhost.Arguments.Select(AddressPort).FirstOrDefault(p => p is not null) ?? 0;
            ConfigSection current = FindVirtualHost(session, serverName, port) ?? vhost;
            List<ConfigDirective> children = current.Children.OfType<ConfigDirective>().ToList();
            var replacements = new List<(int First, int Last, string[] Lines)>();
            var additions = new List<string>();
            string indent = ChildIndent(current.File, current);
            foreach ((string name, string arguments) in wanted)
            {
                ConfigDirective? existing = children.FirstOrDefault(d => d.Is(name) && SameKey(name, d.Arguments, arguments));
                if (existing is null)
                {
                    additions.Add(indent + name + " " + arguments);
                }
                else if (string.Join(" ", existing.Arguments) != string.Join(" ", ConfigFile.SplitArguments(arguments)))
                {
                    replacements.Add((existing.FirstLine, existing.LastLine, new[] { existing.Indent + existing.Name + " " + arguments }));
                }
            }

            foreach (string name in remove)
            {
                ConfigDirective? stale = children.FirstOrDefault(d => d.Is(name));
                if (stale is not null)
                {
                    replacements.Add((stale.FirstLine, stale.LastLine, Array.Empty<string>()));
                }
            }

            // The additions go before the closing tag, below every replaced line: insert them first, then replace
            // from the bottom up, so no planned line number moves before it is used.
            if (additions.Count > 0)
            {
                current.File.Insert(current.CloseLine, additions);
            }

            foreach ((int first, int last, string[] lines) in replacements.OrderByDescending(r => r.First))
            {
                current.File.Replace(first, last, lines);
            }
        }

        /// <summary>Directives that may appear several times are told apart by their first words.</summary>
        private static bool SameKey(string name, IReadOnlyList<string> existing, string wanted)
        {
            List<string> words = ConfigFile.SplitArguments(wanted);
            if (string.Equals(name, "SSLOpenSSLConfCmd", StringComparison.OrdinalIgnoreCase))
            {
                return existing.Count > 0 && words.Count > 0 && string.Equals(existing[0], words[0], StringComparison.OrdinalIgnoreCase);
            }

            if (string.Equals(name, "Header", StringComparison.OrdinalIgnoreCase))
            {
                return existing.Any(a => string.Equals(a, "Strict-Transport-Security", StringComparison.OrdinalIgnoreCase));
            }

            return true;
        }

        private static void ApplyRedirect(EditSession session, string serverName, int port, List<string> block)
        {
            ConfigSection vhost = FindVirtualHost(session, serverName, port)!;
            List<ConfigDirective> directives = vhost.Children.OfType<ConfigDirective>().ToList();
            int ruleIndex = directives.FindIndex(d => IsOwnRedirect(d, serverName));
            string indent = ChildIndent(vhost.File, vhost);
            if (ruleIndex < 0)
            {
                vhost.File.Insert(vhost.CloseLine, block.Select(l => indent + l));
                return;
            }

            ConfigDirective rule = directives[ruleIndex];
            int first = rule.FirstLine;
            if (ruleIndex > 0 && directives[ruleIndex - 1].Is("RewriteCond") && directives[ruleIndex - 1].Arguments.Any(a => a.Contains("acme-challenge")))
            {
                first = directives[ruleIndex - 1].FirstLine;
            }

            var current = new List<string>();
            for (int i = first; i <= rule.LastLine; i++)
            {
                current.Add(vhost.File.LineContent(i).Trim());
            }

            if (!current.SequenceEqual(block))
            {
                vhost.File.Replace(first, rule.LastLine, block.Select(l => rule.Indent + l));
            }
        }

        /// <summary>
        /// The site-wide redirect this editor writes (pattern "^", target this site over https with the request's
        /// path), as opposed to a site's own rewrite rules, which are never touched.
        /// </summary>
        private static bool IsOwnRedirect(ConfigDirective directive, string serverName)
        {
            if (!directive.Is("RewriteRule") || directive.Arguments.Count < 2)
            {
                return false;
            }

            string pattern = directive.Arguments[0];
            string target = directive.Arguments[1];
            bool wholeSite = pattern == "^" || pattern == "^(.*)$" || pattern == "^/(.*)$" || pattern == "(.*)";
            bool thisSite = target.StartsWith("https://" + serverName, StringComparison.OrdinalIgnoreCase)
                || target.StartsWith("https://%{SERVER_NAME}", StringComparison.OrdinalIgnoreCase)
                || target.StartsWith("https://%{HTTP_HOST}", StringComparison.OrdinalIgnoreCase);
            return wholeSite && thisSite;
        }

        /// <summary>A server-level directive (outside any VirtualHost), added just before the VirtualHost when missing everywhere.</summary>
        private static void EnsureServerDirective(EditSession session, ConfigSection vhost, string name, string arguments)
        {
            if (session.Tree.Walk().OfType<ConfigDirective>().Any(d => d.Is(name)))
            {
                return;
            }

            vhost.File.Insert(vhost.FirstLine, new[] { vhost.Indent + name + " " + arguments });
        }

        private static string ChildIndent(ConfigFile file, ConfigSection section)
        {
            ConfigNode? child = section.Children.FirstOrDefault();
            if (child is not null)
            {
                return child.Indent;
            }

            return section.Indent + (UsesTabs(file) ? "\t" : "    ");
        }
    }
}
