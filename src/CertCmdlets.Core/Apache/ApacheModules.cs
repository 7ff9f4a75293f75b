using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace CertCmdlets.Core.Apache
{
    /// <summary>
    /// The httpd modules the editor needs (mod_ssl, mod_rewrite, mod_headers, mod_socache_shmcb): present when httpd
    /// has them compiled in (httpd -l) or an active LoadModule line loads them, and otherwise made present the way
    /// the layout does it - a2enmod's links on Debian, a conf.modules.d file on Red Hat, a LoadModule line (or the
    /// commented-out one the stock httpd.conf ships, uncommented) elsewhere. A module built in is never loaded again
    /// (httpd refuses "module ssl_module is built-in and can't be loaded").
    /// </summary>
    internal static class ApacheModules
    {
        private static readonly Dictionary<string, string> s_identifiers = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ssl"] = "ssl_module",
            ["headers"] = "headers_module",
            ["rewrite"] = "rewrite_module",
            ["alias"] = "alias_module",
            ["socache_shmcb"] = "socache_shmcb_module",
        };

        /// <summary>True when httpd has the module now (compiled in, or loaded by an active line, planned ones included).</summary>
        public static bool IsPresent(EditSession session, string module) =>
            session.Tree.IsModuleLoaded(s_identifiers[module]) || session.Tree.IsModuleLoaded("mod_" + module + ".c");

        /// <summary>
        /// Makes sure httpd will have <paramref name="module"/>. Returns false when it cannot be had here and
        /// <paramref name="purpose"/> is null (an optional part, which the caller leaves out with a warning); throws
        /// ApacheModuleMissing with the layout's real fix otherwise.
        /// </summary>
        public static bool Ensure(EditSession session, ApacheBinary? binary, string module, string? purpose, ICoreLog log)
        {
            if (IsPresent(session, module))
            {
                return true;
            }

            // Not compiled in (httpd -l) and no LoadModule line: httpd itself may still load it, given on its command
            // line with -C (a wrapper, a service unit). Ask httpd what it has before adding a line it would refuse.
            if (binary is not null && binary.LoadedModules(session.Layout.ServerRoot, session.Layout.MainConfig) is IReadOnlyCollection<string> loaded
                && loaded.Contains(s_identifiers[module]))
            {
                log.Verbose($"httpd has mod_{module} although no configuration file loads it (compiled in, or given on its command line): nothing to load.");
                return true;
            }

            ApacheLayout layout = session.Layout;
            (string Module, string Path)? missing = layout.Kind == ApacheLayoutKind.Debian
                ? EnableDebianModule(session, module, new HashSet<string>(StringComparer.Ordinal), log)
                : AddLoadModule(session, module, log) is string path ? (module, path) : null;
            if (missing is null)
            {
                return true;
            }

            if (purpose is null)
            {
                return false;
            }

            (string absent, string file) = missing.Value;
            string because = absent == module ? purpose : $"mod_{module} depends on it ({purpose})";
            throw Errors.ApacheModuleMissing("mod_" + absent, because + " " + Hint(layout, absent, file));
        }

        /// <summary>What to do to get a module on this layout, for messages.</summary>
        public static string Hint(ApacheLayout layout, string module, string missing)
        {
            switch (layout.Kind)
            {
                case ApacheLayoutKind.Debian:
                    return $"'{missing}' does not exist: install the package that provides mod_{module} (mod_ssl, mod_rewrite, mod_headers and mod_socache_shmcb come with apache2), then run the command again.";
                case ApacheLayoutKind.RedHat:
                    return module == "ssl"
                        ? "Install it (dnf install mod_ssl), then run the command again."
                        : $"'{missing}' does not exist; mod_{module} is part of the httpd package: reinstall it (dnf reinstall httpd), then run the command again.";
                case ApacheLayoutKind.PrivateBuild when layout.IsWindowsBuild:
                    return $"'{missing}' does not exist; Windows builds such as Apache Lounge's ship it in modules\\: copy it from the same build of httpd, then run the command again.";
                case ApacheLayoutKind.PrivateBuild:
                    return $"This httpd has no mod_{module} compiled in (httpd -l) and '{missing}' does not exist: rebuild httpd with --enable-{module.Replace('_', '-')}{(module == "ssl" ? " --with-ssl" : string.Empty)} (or add it to --enable-mods-static), or install a mod_{module}.so built for this httpd, then run the command again.";
                default:
                    return $"httpd has no mod_{module} compiled in (httpd -l) and '{missing}' does not exist: install the module for this httpd, then run the command again.";
            }
        }

        /// <summary>
        /// As a2enmod does: link mods-available/NAME.load and NAME.conf into mods-enabled, dependencies first. Returns the
        /// module whose .load file is missing (the module itself or a dependency) with that file, or null.
        /// </summary>
        private static (string Module, string Path)? EnableDebianModule(EditSession session, string module, HashSet<string> seen, ICoreLog log)
        {
            if (!seen.Add(module) || session.Tree.IsModuleLoaded(module + "_module") || session.Tree.IsModuleLoaded("mod_" + module + ".c"))
            {
                return null;
            }

            ApacheLayout layout = session.Layout;
            string load = layout.Under("mods-available", module + ".load");
            if (!File.Exists(load))
            {
                return (module, load);
            }

            foreach (string line in File.ReadAllLines(load))
            {
                Match depends = Regex.Match(line, @"^#\s*Depends:\s*(.*)$");
                if (depends.Success)
                {
                    foreach (string dependency in depends.Groups[1].Value.Split(new[] { ' ', ',' }, StringSplitOptions.RemoveEmptyEntries))
                    {
                        (string, string)? missing = EnableDebianModule(session, dependency, seen, log);
                        if (missing is not null)
                        {
                            return missing;
                        }
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

            return null;
        }

        /// <summary>
        /// A LoadModule line for a module whose .so exists: the stock file's commented-out line uncommented when there is
        /// one, else a new line after the last LoadModule (or after ServerRoot, so that `httpd -t -f` without -d works
        /// too), or a conf.modules.d file on Red Hat. Returns the missing .so path, or null.
        /// </summary>
        private static string? AddLoadModule(EditSession session, string module, ICoreLog log)
        {
            string identifier = s_identifiers[module];
            ApacheLayout layout = session.Layout;
            ConfigTree tree = session.Tree;
            string fileName = "mod_" + module + ".so";

            (ConfigFile File, int Line, string Path)? commented = FindCommentedLoadModule(tree, identifier);
            if (commented is not null && File.Exists(tree.Resolve(commented.Value.Path)))
            {
                (ConfigFile commentedFile, int commentedLine, _) = commented.Value;
                string content = commentedFile.LineContent(commentedLine);
                int hash = content.IndexOf('#');
                string uncommented = content.Substring(0, hash) + content.Substring(hash + 1).TrimStart();
                commentedFile.Replace(commentedLine, commentedLine, new[] { uncommented });
                log.Verbose($"Loading {identifier}: uncommented '{uncommented.Trim()}' in '{commentedFile.Path}', line {commentedLine + 1}.");
                return null;
            }

            ConfigDirective? last = tree.Walk().OfType<ConfigDirective>().LastOrDefault(d => d.Is("LoadModule") && d.Arguments.Count == 2 && d.Parent is null);
            string? lastDirectory = last is null ? null : Path.GetDirectoryName(last.Arguments[1].Replace('\\', '/'))?.Replace('\\', '/');
            string modulePath = string.IsNullOrEmpty(lastDirectory) ? "modules/" + fileName : lastDirectory + "/" + fileName;
            string resolved = tree.Resolve(modulePath);
            if (!File.Exists(resolved))
            {
                return resolved;
            }

            string line = $"LoadModule {identifier} {ConfigFile.Quote(modulePath)}";
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
                ConfigDirective? serverRoot = tree.Main.AllNodes().OfType<ConfigDirective>().FirstOrDefault(d => d.Is("ServerRoot") && d.Parent is null);
                tree.Main.Insert(serverRoot is null ? 0 : serverRoot.LastLine + 1, new[] { line });
            }

            log.Verbose($"Loading {identifier} from '{resolved}'.");
            return null;
        }

        /// <summary>"#LoadModule ssl_module modules/mod_ssl.so" at the top level of a file httpd reads, as stock httpd.conf files have it.</summary>
        private static (ConfigFile File, int Line, string Path)? FindCommentedLoadModule(ConfigTree tree, string identifier)
        {
            var pattern = new Regex(@"^\s*#\s*LoadModule\s+" + Regex.Escape(identifier) + @"\s+(""[^""]+""|\S+)\s*$", RegexOptions.CultureInvariant);
            foreach (ConfigFile file in ReadFiles(tree))
            {
                for (int i = 0; i < file.LineCount; i++)
                {
                    Match match = pattern.Match(file.LineContent(i));
                    if (match.Success && IsTopLevel(file, i))
                    {
                        return (file, i, match.Groups[1].Value.Trim('"'));
                    }
                }
            }

            return null;
        }

        private static IEnumerable<ConfigFile> ReadFiles(ConfigTree tree)
        {
            yield return tree.Main;
            foreach (ConfigFile file in tree.Walk().OfType<ConfigDirective>().Where(d => d.Role == ConfigNodeRole.Include || d.Role == ConfigNodeRole.IncludeOptional).SelectMany(d => d.Included).Distinct())
            {
                yield return file;
            }
        }

        /// <summary>True when line <paramref name="line"/> lies in no section of <paramref name="file"/>.</summary>
        private static bool IsTopLevel(ConfigFile file, int line) =>
            !file.Nodes.OfType<ConfigSection>().Any(s => s.FirstLine < line && line < s.CloseLine);
    }
}
