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
            IReadOnlyList<(string Name, string Arguments)> profileDirectives = TlsProfiles.Directives(options.TlsProfile);
            CertificateInfo certificate = CheckCertificate(options, serverName, log);
            RequireLocalAddress(options.ListenAddress);
            IReadOnlyList<CertificateInfo> chain = EnsureFullChain(options, certificate, shouldProcess, log);

            using ApacheTransaction transaction = ApacheTransaction.Open(options.ConfigPath, options.ServerRoot, options.HttpdPath, ApacheTransactionSettings.From(options), shouldProcess, log);
            (ApacheBinary? binary, EditSession session) = (transaction.Binary, transaction.Session);
            ConfigTree tree = session.Tree;
            bool fullChainSupported = binary?.Version is null || binary.Version >= s_fullChainVersion;

            ApacheModules.Ensure(session, binary, "ssl", "Set-ApacheSsl needs it to serve HTTPS.", log);
            if (options.Hsts)
            {
                ApacheModules.Ensure(session, binary, "headers", "-Hsts needs it to send Strict-Transport-Security (leave out -Hsts to configure HTTPS without the header).", log);
            }

            ApacheDirectives.EnsureListen(session, options.Port, options.ListenAddress, options.Port == 443 ? null : "https", log);
            ConfigSection vhost = VirtualHosts.FindOrCreate(session, serverName, options.Port, options.ListenAddress, ssl: true, certificate, log);

            var wanted = new List<(string Name, string Arguments)> { ("SSLEngine", "on") };
            string? fullChain = options.FullChainFile;
            wanted.Add(("SSLCertificateFile", ApacheText.PathArgument(fullChainSupported && fullChain is not null ? fullChain : options.CertificateFile!)));
            wanted.Add(("SSLCertificateKeyFile", ApacheText.PathArgument(options.KeyFile!)));
            string? chainFile = fullChainSupported && fullChain is not null ? null : options.ChainFile;
            if (chainFile is not null && fullChainSupported)
            {
                log.Warning($"httpd {binary?.Version} takes the full chain in SSLCertificateFile; SSLCertificateChainFile is deprecated since 2.4.8. Pipe the certificate object from Export-CertPem (it carries fullchain.pem), or give the full chain file as -CertificatePath without -ChainPath.");
            }

            if (chainFile is not null)
            {
                wanted.Add(("SSLCertificateChainFile", ApacheText.PathArgument(chainFile)));
            }

            wanted.AddRange(profileDirectives);

            // A session cache makes TLS sessions resume (the profile turns session tickets off): the distributions'
            // ssl.conf sets one; a single httpd.conf gets one here. OCSP stapling needs its own cache. Both need
            // mod_socache_shmcb; without it they are left out with a warning, never a failed change.
            bool stapling = CertificateFacts.HasOcspResponder(certificate);
            bool needsSessionCache = !tree.Walk().OfType<ConfigDirective>().Any(d => d.Is("SSLSessionCache"));
            bool socache = (stapling || needsSessionCache) && ApacheModules.Ensure(session, binary, "socache_shmcb", null, log);
            string socacheHint = ApacheModules.Hint(session.Layout, "socache_shmcb", session.Layout.Under("modules", "mod_socache_shmcb.so"));
            if (stapling && socache)
            {
                wanted.Add(("SSLUseStapling", "on"));
            }
            else if (stapling)
            {
                log.Warning($"OCSP stapling is not configured: it needs mod_socache_shmcb, which this httpd does not have. {socacheHint}");
            }
            else
            {
                log.Verbose($"'{certificate.Subject}' names no OCSP responder: OCSP stapling is not configured.");
            }

            if (needsSessionCache && !socache)
            {
                log.Warning($"No SSLSessionCache is configured and mod_socache_shmcb is missing, so TLS sessions will not resume (httpd logs AH01873 at start). {socacheHint}");
            }

            if (options.Hsts)
            {
                wanted.Add(("Header", "always set Strict-Transport-Security \"max-age=63072000\""));
            }

            ApacheDirectives.Apply(tree, vhost, wanted, remove: chainFile is null ? new[] { "SSLCertificateChainFile" } : Array.Empty<string>());
            if (stapling && socache && ApacheDirectives.EnsureServerDirective(tree, vhost, "SSLStaplingCache", "\"shmcb:logs/ssl_stapling(32768)\""))
            {
                log.Verbose("Adding SSLStaplingCache (server level).");
            }

            if (needsSessionCache && socache && ApacheDirectives.EnsureServerDirective(tree, vhost, "SSLSessionCache", "\"shmcb:logs/ssl_scache(512000)\""))
            {
                log.Verbose("Adding SSLSessionCache (server level), so TLS sessions resume.");
            }

            ActivationCheck check = new ActivationCheck
            {
                HostName = options.ListenAddress ?? "127.0.0.1",
                Thumbprint = options.Verify ?? options.Reload ? certificate.Thumbprint : null,
                Chain = chain.Where(c => !c.IsSelfIssued).Select(c => c.Thumbprint).ToArray(),
                Timeout = options.VerifyTimeout,
            };
            return transaction.Finish(serverName, options.Port, options.Reload, check);
        }

        /// <summary>
        /// Full chain always: a certificate object whose intermediates are only in memory (Join-CertChain) gets its
        /// full chain written beside its certificate file (the safe writer: never over another file), and that file is
        /// configured. A file that holds only a leaf whose issuer is not a root gets the ChainIncomplete warning.
        /// Returns the chain that must be served after the leaf.
        /// </summary>
        private static IReadOnlyList<CertificateInfo> EnsureFullChain(ApacheSslOptions options, CertificateInfo loaded, Func<string, string, bool> shouldProcess, ICoreLog log)
        {
            CertificateInfo? piped = options.Certificate;
            CertificateInfo[] inMemory = piped?.Chain.Where(c => !c.IsSelfIssued).ToArray() ?? Array.Empty<CertificateInfo>();
            if (piped is not null && inMemory.Length > 0 && options.ChainFile is null && loaded.Chain.Length == 0
                && (options.FullChainFile is null || options.FullChainFile == options.CertificateFile))
            {
                string certificateFile = options.CertificateFile!;
                string path = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(certificateFile))!, Path.GetFileNameWithoutExtension(certificateFile) + ".fullchain.pem");
                string expected = string.Concat(new[] { piped }.Concat(piped.Chain).Select(c => c.ToPem()));
                if (File.Exists(path))
                {
                    if (!string.Equals(File.ReadAllText(path).Replace("\r\n", "\n"), expected.Replace("\r\n", "\n"), StringComparison.Ordinal))
                    {
                        throw Errors.FullChainFileConflict(path);
                    }

                    log.Verbose($"'{path}' already holds the certificate and its intermediates.");
                }
                else
                {
                    PemOutput.WriteCertificate(piped, new PemExportTargets { FullChainPath = path }, null, force: false, shouldProcess, log);
                    log.Verbose($"The intermediates were only in memory: wrote the full chain to '{path}' for SSLCertificateFile.");
                }

                options.FullChainFile = path;
                return inMemory;
            }

            if (loaded.Chain.Length == 0 && options.ChainFile is null && !loaded.IsSelfIssued)
            {
                log.Warning($"ChainIncomplete: '{options.FullChainFile ?? options.CertificateFile}' holds only the certificate '{loaded.Subject}'; its issuer '{loaded.Issuer}' is not in it, so httpd will not send it and clients without it cached will refuse the site. Add the intermediates: Import-CertFile <certificate> -KeyPath <key> | Join-CertChain -IntermediatePath <issuer file> | Export-CertPem -OutputDirectory <folder>, and pipe that to Set-ApacheSsl.");
            }

            return loaded.Chain;
        }

        /// <summary>
        /// Takes back a change of Set-ApacheSsl or Enable-HttpsRedirect from its BackupDirectory. Returns null when
        /// declined (-WhatIf).
        /// </summary>
        public static ApacheChangeResult? Undo(string backupDirectory, bool reload, string? httpdPath, Func<string, string, bool> shouldProcess, ICoreLog log)
        {
            ApacheChangeRecord record = ApacheChangeRecord.Read(backupDirectory);
            using ApacheTransaction transaction = ApacheTransaction.Open(record.MainConfig, record.ServerRoot, httpdPath, new ApacheTransactionSettings(), shouldProcess, log);
            return transaction.Undo(record, reload);
        }

        /// <summary>Sends every plain-HTTP request for a site to HTTPS. Returns null when declined (-WhatIf).</summary>
        public static ApacheChangeResult? EnableRedirect(ApacheRedirectOptions options, Func<string, string, bool> shouldProcess, ICoreLog log)
        {
            string serverName = HostNames.Normalize(options.ServerName);
            RequireLocalAddress(options.ListenAddress);
            using ApacheTransaction transaction = ApacheTransaction.Open(options.ConfigPath, options.ServerRoot, options.HttpdPath, ApacheTransactionSettings.From(options), shouldProcess, log);
            (ApacheBinary? binary, EditSession session) = (transaction.Binary, transaction.Session);

            // mod_rewrite when it can be had; otherwise mod_alias's RedirectMatch does the same (path, query, ACME path kept).
            bool rewrite = ApacheModules.Ensure(session, binary, "rewrite", null, log);
            if (!rewrite)
            {
                ApacheModules.Ensure(session, binary, "alias", "Enable-HttpsRedirect needs mod_rewrite or mod_alias to redirect.", log);
                log.Verbose("mod_rewrite is not available: the redirect uses mod_alias's RedirectMatch.");
            }

            ApacheDirectives.EnsureListen(session, options.HttpPort, options.ListenAddress, null, log);
            ConfigSection vhost = VirtualHosts.FindOrCreate(session, serverName, options.HttpPort, options.ListenAddress, ssl: false, null, log);
            if (rewrite && ApacheRedirects.ActiveChildren(vhost).Any(d => d.Is("RewriteEngine")))
            {
                ApacheDirectives.Apply(session.Tree, vhost, new[] { ("RewriteEngine", "on") }, Array.Empty<string>());
            }

            ApacheRedirects.Apply(session, vhost, serverName, options.HttpsPort, options.Temporary, options.RedirectAcmeChallenge, rewrite, log);
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
    }
}
