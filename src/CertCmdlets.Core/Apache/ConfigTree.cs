using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace CertCmdlets.Core.Apache
{
    /// <summary>
    /// A whole configuration as httpd would read it: the main file and every file its Include and IncludeOptional
    /// directives bring in (globs, directories, ${VARIABLES} from Define and the environment), relative paths taken from
    /// ServerRoot - evaluated as httpd evaluates it while reading: &lt;IfDefine&gt; against the -D names and Define
    /// directives seen so far, &lt;IfModule&gt; against the modules compiled in and the LoadModule lines seen so far,
    /// &lt;IfFile&gt; against the file system. Sections httpd skips are kept byte for byte in their file, but their
    /// nodes are not active and the files they include are never read (so <c>&lt;IfDefine NEVER&gt; Include /dev/zero</c>
    /// costs nothing).
    /// </summary>
    /// <remarks>
    /// The editor's planned changes take part: a file it will create and a link it will make (a2enmod, a2ensite) are
    /// seen by the Include globs as if they existed, so after "enable mod_ssl" the tree already applies
    /// <c>&lt;IfModule ssl_module&gt;</c> sections and reads mods-available/ssl.conf, as httpd will. The evaluation is
    /// redone when a file or a plan changed since the last one, the next time <see cref="Walk"/> is asked; files are
    /// read once and directory listings are cached, so that costs a walk over the nodes, not a new read.
    /// </remarks>
    internal sealed class ConfigTree
    {
        /// <summary>A file read ahead of the evaluation: the parsed file, or what was found instead, or the error to report in turn.</summary>
        private readonly struct Prefetched
        {
            public Prefetched(ConfigFile? file, ConfigReadKind kind, ApacheConfigException? error)
            {
                File = file;
                Kind = kind;
                Error = error;
            }

            public ConfigFile? File { get; }

            public ConfigReadKind Kind { get; }

            public ApacheConfigException? Error { get; }
        }

        /// <summary>A folder's entry names in httpd's order and their full paths.</summary>
        private sealed class Listing
        {
            public Listing(int capacity)
            {
                Names = new List<string>(capacity);
                Paths = new List<string>(capacity);
            }

            public List<string> Names { get; }

            public List<string> Paths { get; }
        }

        private static readonly Regex s_variable = new Regex(@"\$\{([A-Za-z0-9_]+)\}", RegexOptions.CultureInvariant);
        private static readonly bool s_windows = !PosixFile.IsUnix;

        private readonly Dictionary<string, string> _initialVariables;
        private readonly HashSet<string> _initialDefines;
        private readonly HashSet<string> _compiledModules;
        private readonly string _initialServerRoot;
        private readonly ConfigParserCache _cache = new ConfigParserCache();
        private readonly ConfigReader _reader = new ConfigReader();
        private readonly Dictionary<string, ConfigFile> _byPath = new Dictionary<string, ConfigFile>(StringComparer.Ordinal);
        private readonly Dictionary<string, ConfigReadKind> _notFiles = new Dictionary<string, ConfigReadKind>(StringComparer.Ordinal);
        private readonly Dictionary<string, Listing?> _listings = new Dictionary<string, Listing?>(StringComparer.Ordinal);
        private readonly Dictionary<string, ConfigFile> _plannedFiles = new Dictionary<string, ConfigFile>(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _plannedLinks = new Dictionary<string, string>(StringComparer.Ordinal);
        private Dictionary<string, string> _variables;
        private readonly HashSet<string> _defines = new HashSet<string>(StringComparer.Ordinal);
        private readonly HashSet<string> _modules = new HashSet<string>(StringComparer.Ordinal);
        private readonly Dictionary<string, Prefetched> _prefetched = new Dictionary<string, Prefetched>(StringComparer.Ordinal);
        private int _stamp;
        private List<ConfigNode> _active = new List<ConfigNode>();
        private bool _dirty = true;

        private ConfigTree(string serverRoot, IDictionary<string, string> variables, IEnumerable<string>? defines, IEnumerable<string>? compiledModules)
        {
            _initialServerRoot = serverRoot;
            ServerRoot = serverRoot;
            _initialVariables = new Dictionary<string, string>(variables, StringComparer.Ordinal);
            _variables = _initialVariables;
            _initialDefines = new HashSet<string>(defines ?? Array.Empty<string>(), StringComparer.Ordinal);
            _compiledModules = new HashSet<string>((compiledModules ?? ApacheModuleNames.MinimalCompiledIn).SelectMany(ApacheModuleNames.ForSourceName), StringComparer.Ordinal);
        }

        public string ServerRoot { get; private set; }

        public ConfigFile Main { get; private set; } = null!;

        /// <summary>Every file read (and every file the editor plans), in reading order.</summary>
        public List<ConfigFile> Files { get; } = new List<ConfigFile>();

        /// <summary>The -D names and Define directives in force at the end of the configuration.</summary>
        public IReadOnlyCollection<string> Defines
        {
            get
            {
                Refresh();
                return _defines;
            }
        }

        public static ConfigTree Load(string mainPath, string serverRoot, IDictionary<string, string> variables) =>
            Load(mainPath, serverRoot, variables, null, null);

        /// <summary>
        /// Reads and evaluates a configuration. <paramref name="defines"/> are httpd's -D names; <paramref name="compiledModules"/>
        /// what <c>httpd -l</c> lists (the minimal set of every httpd when null). Throws <see cref="ApacheConfigException"/>.
        /// </summary>
        public static ConfigTree Load(string mainPath, string serverRoot, IDictionary<string, string> variables, IEnumerable<string>? defines, IEnumerable<string>? compiledModules)
        {
            var tree = new ConfigTree(serverRoot, variables, defines, compiledModules);
            string full = Path.GetFullPath(mainPath);
            tree.Main = tree.ReadExisting(full);
            tree.Evaluate();
            return tree;
        }

        /// <summary>A file already read or planned (by the path it was read through, or the path of the same file), or null.</summary>
        public ConfigFile? Find(string path)
        {
            string full = Path.GetFullPath(path);
            if (_byPath.TryGetValue(full, out ConfigFile? file))
            {
                return file;
            }

            return PosixFile.IsSupported && PosixFile.TryStat(full, true, out PosixStat stat, out _) ? SameFile(stat) : null;
        }

        /// <summary>Every node httpd applies, in httpd's reading order, included files at their Include.</summary>
        public IEnumerable<ConfigNode> Walk()
        {
            Refresh();
            return _active;
        }

        /// <summary>Every node of every file read, whether httpd applies it or not.</summary>
        public IEnumerable<ConfigNode> AllNodes() => Files.SelectMany(f => f.AllNodes());

        /// <summary>Whether a module is compiled in or loaded by an active LoadModule line (by "ssl_module" or "mod_ssl.c").</summary>
        public bool IsModuleLoaded(string name)
        {
            Refresh();
            return _modules.Contains(name);
        }

        public string Expand(string value)
        {
            if (value.IndexOf("${", StringComparison.Ordinal) < 0)
            {
                return value;
            }

            return s_variable.Replace(value, m => _variables.TryGetValue(m.Groups[1].Value, out string? v) ? v : m.Value);
        }

        public string Resolve(string path)
        {
            string expanded = Expand(path);
            return Path.IsPathRooted(expanded) ? expanded : Path.Combine(ServerRoot, expanded);
        }

        /// <summary>Reads a file that httpd may not include (a site file the user named); the reading set is not needed any more.</summary>
        public ConfigFile Read(string path, HashSet<string> reading)
        {
            try
            {
                string full = Path.GetFullPath(path);
                if (!_byPath.ContainsKey(full) && PosixFile.IsSupported && PosixFile.TryStat(full, true, out PosixStat stat, out _) && SameFile(stat) is ConfigFile same)
                {
                    // The same file, already read through another path (a site read through its sites-enabled link).
                    _byPath[full] = same;
                    return same;
                }

                ConfigFile file = ReadExisting(full);
                _dirty = true;
                return file;
            }
            catch (ApacheConfigException ex)
            {
                throw Errors.ApacheConfigInvalid(ex.Path, ex.Line, ex.Problem);
            }
        }

        private ConfigFile? SameFile(PosixStat stat)
        {
            foreach (ConfigFile file in Files)
            {
                if (file.Stat is PosixStat known && known.Device == stat.Device && known.Inode == stat.Inode)
                {
                    return file;
                }
            }

            return null;
        }

        /// <summary>Evaluates again if a file or a plan changed since the last evaluation.</summary>
        public void Refresh()
        {
            if (!_dirty)
            {
                return;
            }

            try
            {
                Evaluate();
            }
            catch (ApacheConfigException ex)
            {
                throw Errors.ApacheConfigInvalid(ex.Path, ex.Line, ex.Problem);
            }
        }

        /// <summary>A new file the editor will create: httpd's globs see it from now on.</summary>
        internal void AddPlannedFile(ConfigFile file)
        {
            _plannedFiles[file.Path] = file;
            _byPath[file.Path] = file;
            file.Owner = this;
            Files.Add(file);
            AddToListing(file.Path);
            _dirty = true;
        }

        /// <summary>A symbolic link the editor will make (<paramref name="target"/> as written, relative to the link's folder).</summary>
        internal void AddPlannedLink(string path, string target)
        {
            string full = Path.GetFullPath(path);
            _plannedLinks[full] = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(full)!, target));
            AddToListing(full);
            _dirty = true;
        }

        internal void Invalidate() => _dirty = true;

        private void Evaluate()
        {
            _variables = new Dictionary<string, string>(_initialVariables, StringComparer.Ordinal);
            _defines.Clear();
            _defines.UnionWith(_initialDefines);
            _modules.Clear();
            _modules.UnionWith(_compiledModules);
            ServerRoot = _initialServerRoot;
            _stamp++;

            // A new list each time (a caller may still be walking the old one), sized to need no growth.
            _active = new List<ConfigNode>(_active.Count + 256);
            _dirty = false;
            EvaluateFile(Main);
            _prefetched.Clear();
            foreach (ConfigFile file in Files)
            {
                if (file.ReachedStamp != _stamp)
                {
                    foreach (ConfigNode node in file.AllNodes())
                    {
                        node.IsActive = false;
                    }
                }
            }
        }

        private void EvaluateFile(ConfigFile file)
        {
            if (file.ReachedStamp == _stamp)
            {
                return;
            }

            file.ReachedStamp = _stamp;
            file.Including = true;
            try
            {
                EvaluateNodes(file.Nodes, true);
            }
            finally
            {
                file.Including = false;
            }
        }

        private void EvaluateNodes(List<ConfigNode> nodes, bool active)
        {
            foreach (ConfigNode node in nodes)
            {
                node.IsActive = active;
                if (active)
                {
                    _active.Add(node);
                }

                if (node is ConfigSection section)
                {
                    bool taken = true;
                    if (active)
                    {
                        taken = section.Role switch
                        {
                            ConfigNodeRole.IfDefine => Condition(section, name => _defines.Contains(name)),
                            ConfigNodeRole.IfModule => Condition(section, name => _modules.Contains(name)),
                            ConfigNodeRole.IfFile => Condition(section, name => PathExists(Resolve(name))),
                            _ => true,
                        };
                        section.IsTaken = taken;
                    }

                    if (section.Children.Count > 0)
                    {
                        EvaluateNodes(section.Children, active && taken);
                    }

                    continue;
                }

                var directive = (ConfigDirective)node;
                if (!active)
                {
                    if (directive.Included.Count > 0)
                    {
                        directive.ClearIncluded();
                    }

                    continue;
                }

                switch (directive.Role)
                {
                    case ConfigNodeRole.Define:
                        Define(directive);
                        break;
                    case ConfigNodeRole.UnDefine:
                        if (directive.Arguments.Count >= 1)
                        {
                            string name = Expand(directive.Arguments[0]);
                            _defines.Remove(name);
                            _variables.Remove(name);
                        }

                        break;
                    case ConfigNodeRole.ServerRoot:
                        if (directive.Arguments.Count == 1)
                        {
                            ServerRoot = Expand(directive.Arguments[0]);
                        }

                        break;
                    case ConfigNodeRole.LoadModule:
                        LoadModule(directive);
                        break;
                    case ConfigNodeRole.Include:
                    case ConfigNodeRole.IncludeOptional:
                        Include(directive, directive.Role == ConfigNodeRole.IncludeOptional);
                        break;
                }
            }
        }

        /// <summary>&lt;IfDefine NAME&gt;, &lt;IfDefine !NAME&gt; (also "! NAME"), as start_cond_section reads them.</summary>
        private bool Condition(ConfigSection section, Func<string, bool> test)
        {
            IReadOnlyList<string> arguments = section.Arguments;
            if (arguments.Count == 0)
            {
                throw new ApacheConfigException(section.File.Path, section.FirstLine + 1, $"<{section.Name}> needs an argument (httpd: \"<{section.Name}> directive requires additional arguments\").");
            }

            string first = Expand(arguments[0]);
            bool negate = first.StartsWith("!", StringComparison.Ordinal);
            string name = negate ? first.Substring(1) : first;
            if (name.Length == 0 && arguments.Count > 1)
            {
                name = Expand(arguments[1]);
            }

            return test(name) != negate;
        }

        private void Define(ConfigDirective directive)
        {
            if (directive.Arguments.Count < 1)
            {
                return;
            }

            string name = Expand(directive.Arguments[0]);
            _defines.Add(name);
            if (directive.Arguments.Count > 1)
            {
                _variables[name] = Expand(directive.Arguments[1]);
            }
        }

        private void LoadModule(ConfigDirective directive)
        {
            IReadOnlyList<string> arguments = directive.Arguments;
            if (arguments.Count != 2 || arguments[0].Length == 0 || arguments[1].Length == 0)
            {
                throw new ApacheConfigException(directive.File.Path, directive.FirstLine + 1,
                    $"LoadModule needs a module name and a module file (it has {(arguments.Count == 0 ? "nothing" : string.Join(" ", arguments.Select(a => a.Length == 0 ? "\"\"" : a)))}); httpd refuses it too (\"LoadModule takes two arguments\" or \"Cannot load\").");
            }

            foreach (string name in ApacheModuleNames.ForLoadModule(Expand(arguments[0]), Expand(arguments[1])))
            {
                _modules.Add(name);
            }
        }

        private void Include(ConfigDirective directive, bool optional)
        {
            directive.ClearIncluded();
            if (directive.Arguments.Count < 1)
            {
                return;
            }

            string pattern = Resolve(directive.Arguments[0]);
            if (pattern.IndexOf('\0') >= 0 || pattern.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
            {
                throw new ApacheConfigException(directive.File.Path, directive.FirstLine + 1, $"Include names a path with characters no file name can hold.");
            }

            if (!Fnmatch.IsPattern(pattern))
            {
                IncludePath(Path.GetFullPath(pattern), optional, directive, literal: true, 0);
                return;
            }

            string root = Path.GetPathRoot(pattern) ?? string.Empty;
            string[] parts = pattern.Substring(root.Length).Split(s_windows ? new[] { '/', '\\' } : new[] { '/' }, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0)
            {
                IncludePath(Path.GetFullPath(pattern), optional, directive, literal: true, 0);
                return;
            }

            IncludeComponents(root.Length == 0 ? Directory.GetCurrentDirectory() : root, parts, 0, optional, directive);
        }

        /// <summary>ap_dir_fnmatch: one path component at a time, wildcards matched against the directory's entries.</summary>
        private void IncludeComponents(string directory, string[] parts, int index, bool optional, ConfigDirective directive)
        {
            string part = parts[index];
            bool last = index == parts.Length - 1;
            if (!Fnmatch.IsPattern(part))
            {
                string next = part == "." || part == ".." ? Path.GetFullPath(Path.Combine(directory, part)) : Path.Combine(directory, part);
                if (last)
                {
                    IncludePath(next, optional, directive, literal: false, 0);
                }
                else
                {
                    IncludeComponents(next, parts, index + 1, optional, directive);
                }

                return;
            }

            Listing? listing = List(directory);
            if (listing is null)
            {
                if (optional)
                {
                    return;
                }

                throw new ApacheConfigException(directive.File.Path, directive.FirstLine + 1,
                    $"Include '{directive.Arguments[0]}' needs the folder '{directory}', which cannot be opened (httpd: \"Could not open directory\"). Use IncludeOptional, or create the folder.");
            }

            if (last)
            {
                Prefetch(listing, part);
            }

            bool any = false;
            for (int i = 0; i < listing.Names.Count; i++)
            {
                if (!Fnmatch.Match(part, listing.Names[i]))
                {
                    continue;
                }

                string path = listing.Paths[i];

                // Inside a path only real folders count (httpd skips links and files there).
                if (!last && !IsRealDirectory(path))
                {
                    continue;
                }

                any = true;
                if (last)
                {
                    IncludePath(path, optional, directive, literal: false, 0);
                }
                else
                {
                    IncludeComponents(path, parts, index + 1, optional, directive);
                }
            }

            if (!any && !optional)
            {
                throw new ApacheConfigException(directive.File.Path, directive.FirstLine + 1,
                    $"Include '{directive.Arguments[0]}' matches no file in '{directory}', which httpd refuses (\"No matches for the wildcard\"). Use IncludeOptional, or add the file.");
            }
        }

        /// <summary>ap_dir_nofnmatch: a folder is included whole (every entry, sorted, recursively), a file is read.</summary>
        private void IncludePath(string path, bool optional, ConfigDirective directive, bool literal, int depth)
        {
            if (depth > 128)
            {
                throw new ApacheConfigException(directive.File.Path, directive.FirstLine + 1, $"the folders included under '{path}' nest more than 128 deep (httpd refuses this too: probably a link loop).");
            }

            ConfigFile? file = Open(path, out ConfigReadKind kind);
            if (kind == ConfigReadKind.Directory)
            {
                Listing? entries = List(path);
                for (int i = 0; entries is not null && i < entries.Paths.Count; i++)
                {
                    IncludePath(entries.Paths[i], optional, directive, literal: false, depth + 1);
                }

                return;
            }

            if (file is null)
            {
                if (optional)
                {
                    return;
                }

                if (literal)
                {
                    throw new ApacheConfigException(directive.File.Path, directive.FirstLine + 1, $"Include names '{path}', which does not exist (httpd would refuse to start).");
                }

                throw new ApacheConfigException(path, 0, $"it does not exist (a link to a missing file?), and '{directive.File.Path}' line {directive.FirstLine + 1} includes it: httpd could not open it either.");
            }

            if (file.Including)
            {
                throw new ApacheConfigException(file.Path, 1, "it includes itself, directly or through other files (an Include loop); httpd refuses it.");
            }

            directive.AddIncluded(path, file);
            EvaluateFile(file);
        }

        /// <summary>The file at a path (read once, then remembered), or null with kind Missing or Directory.</summary>
        private ConfigFile? Open(string path, out ConfigReadKind kind)
        {
            kind = ConfigReadKind.File;
            if (_byPath.TryGetValue(path, out ConfigFile? known))
            {
                return known;
            }

            if (_plannedLinks.TryGetValue(path, out string? target))
            {
                ConfigFile? linked = Open(target, out kind);
                if (linked is not null)
                {
                    _byPath[path] = linked;
                }

                return linked;
            }

            if (_notFiles.TryGetValue(path, out kind))
            {
                return null;
            }

            if (_prefetched.TryGetValue(path, out Prefetched prefetched))
            {
                _prefetched.Remove(path);
                if (prefetched.Error is not null)
                {
                    throw prefetched.Error;
                }

                if (prefetched.File is not null)
                {
                    prefetched.File.Owner = this;
                    _byPath[path] = prefetched.File;
                    Files.Add(prefetched.File);
                    kind = ConfigReadKind.File;
                    return prefetched.File;
                }

                kind = prefetched.Kind;
                _notFiles[path] = kind;
                return null;
            }

            ConfigRead read = _reader.Read(path);
            kind = read.Kind;
            if (read.Kind != ConfigReadKind.File)
            {
                _notFiles[path] = read.Kind;
                return null;
            }

            return Register(path, read);
        }

        private ConfigFile ReadExisting(string path)
        {
            ConfigFile? file = Open(path, out ConfigReadKind kind);
            if (file is not null)
            {
                return file;
            }

            throw new ApacheConfigException(path, 0, kind == ConfigReadKind.Directory
                ? "it is a folder, not a configuration file."
                : "it cannot be read: it does not exist.");
        }

        private ConfigFile Register(string path, ConfigRead read)
        {
            var file = new ConfigFile(path, read.Bytes, _cache, read.Stat) { Owner = this };
            _byPath[path] = file;
            Files.Add(file);
            return file;
        }

        /// <summary>
        /// Reads and parses the files a large wildcard matched (a Debian sites-enabled with thousands of sites) on all
        /// cores before the evaluation walks them in httpd's order: the same reads, the same bounds, the same errors
        /// (each kept and thrown when the evaluation reaches its file), in a fraction of the time. Small matches, files
        /// already read and planned files are left to the ordinary path.
        /// </summary>
        private void Prefetch(Listing listing, string part)
        {
            var paths = new List<string>();
            for (int i = 0; i < listing.Names.Count; i++)
            {
                string path = listing.Paths[i];
                if (Fnmatch.Match(part, listing.Names[i]) && !_byPath.ContainsKey(path) && !_notFiles.ContainsKey(path)
                    && !_plannedFiles.ContainsKey(path) && !_plannedLinks.ContainsKey(path) && !_prefetched.ContainsKey(path))
                {
                    paths.Add(path);
                }
            }

            int workers = Math.Min(Environment.ProcessorCount, 4);
            if (paths.Count < 64 || workers < 2)
            {
                return;
            }

            var results = new Prefetched[paths.Count];
            System.Threading.Tasks.Parallel.For(0, workers, new System.Threading.Tasks.ParallelOptions { MaxDegreeOfParallelism = workers }, worker =>
            {
                var reader = new ConfigReader();
                var cache = new ConfigParserCache();
                for (int i = worker; i < paths.Count; i += workers)
                {
                    try
                    {
                        ConfigRead read = reader.Read(paths[i]);
                        results[i] = read.Kind == ConfigReadKind.File
                            ? new Prefetched(new ConfigFile(paths[i], read.Bytes, cache, read.Stat), read.Kind, null)
                            : new Prefetched(null, read.Kind, null);
                    }
                    catch (ApacheConfigException ex)
                    {
                        results[i] = new Prefetched(null, ConfigReadKind.Missing, ex);
                    }
                }
            });

            for (int i = 0; i < paths.Count; i++)
            {
                _prefetched[paths[i]] = results[i];
            }
        }

        /// <summary>
        /// A folder's entries (with the editor's planned files and links), sorted as httpd sorts them, each with its full
        /// path made once; null if the folder cannot be opened. Cached for the tree's life (the lock keeps our own runs out).
        /// </summary>
        private Listing? List(string directory)
        {
            if (_listings.TryGetValue(directory, out Listing? listing))
            {
                return listing;
            }

            List<string>? names = PosixFile.IsSupported ? PosixFile.ReadDirectory(directory) : null;
            try
            {
                if (names is null && !PosixFile.IsSupported && Directory.Exists(directory))
                {
                    names = new List<string>();
                    foreach (string entry in Directory.EnumerateFileSystemEntries(directory))
                    {
                        names.Add(entry.Substring(entry.LastIndexOf(Path.DirectorySeparatorChar) + 1));
                    }
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                names = null;
            }

            foreach (string planned in _plannedFiles.Keys.Concat(_plannedLinks.Keys))
            {
                if (string.Equals(Path.GetDirectoryName(planned), directory, StringComparison.Ordinal))
                {
                    names ??= new List<string>();
                    string name = Path.GetFileName(planned);
                    if (!names.Contains(name))
                    {
                        names.Add(name);
                    }
                }
            }

            listing = null;
            if (names is not null)
            {
                names.Sort(StringComparer.Ordinal);
                listing = new Listing(names.Count);
                foreach (string name in names)
                {
                    listing.Names.Add(name);
                    listing.Paths.Add(Path.Combine(directory, name));
                }
            }

            _listings[directory] = listing;
            return listing;
        }

        /// <summary>A planned file or link joins its folder's cached listing at its sorted place (the folder is not read again).</summary>
        private void AddToListing(string path)
        {
            string directory = Path.GetDirectoryName(path)!;
            if (!_listings.TryGetValue(directory, out Listing? listing))
            {
                return;
            }

            string name = Path.GetFileName(path);
            if (listing is null)
            {
                listing = new Listing(1);
                _listings[directory] = listing;
            }

            int index = listing.Names.BinarySearch(name, StringComparer.Ordinal);
            if (index < 0)
            {
                listing.Names.Insert(~index, name);
                listing.Paths.Insert(~index, path);
            }
        }

        private bool IsRealDirectory(string path)
        {
            if (_plannedFiles.Keys.Concat(_plannedLinks.Keys).Any(p => p.StartsWith(path + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
            {
                return true;
            }

            if (PosixFile.IsSupported)
            {
                return PosixFile.TryStat(path, false, out PosixStat stat, out _) && stat.Kind == PosixFileKind.Directory;
            }

            return Directory.Exists(path) && (File.GetAttributes(path) & FileAttributes.ReparsePoint) == 0;
        }

        private bool PathExists(string path)
        {
            string full = Path.GetFullPath(path);
            return _plannedFiles.ContainsKey(full) || _plannedLinks.ContainsKey(full) || File.Exists(full) || Directory.Exists(full);
        }
    }
}
