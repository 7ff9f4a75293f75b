using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using CertCmdlets.Core.IO;

namespace CertCmdlets.Core.Apache
{
    /// <summary>A file's new version, written beside the live configuration before anything live changes.</summary>
    internal sealed class StagedFile
    {
        public StagedFile(ConfigFile file, string livePath, string stagedPath, bool isNew)
        {
            File = file;
            LivePath = livePath;
            StagedPath = stagedPath;
            IsNew = isNew;
        }

        public ConfigFile File { get; }

        /// <summary>Where it goes: the physical file (a link's target, so links stay links), or the new file's path.</summary>
        public string LivePath { get; }

        public string StagedPath { get; }

        public bool IsNew { get; }

        public string StagedVersion { get; set; } = string.Empty;
    }

    /// <summary>
    /// The configuration after the change, made testable before any of it is live: every changed or new file staged
    /// with its final bytes, owner and mode, and a candidate main file such that <c>httpd -t -d ServerRoot -f
    /// candidate</c> reads exactly the directives the live configuration will have once the staged files are renamed
    /// into place.
    /// </summary>
    /// <remarks>
    /// <para>How, and why it is equivalent. httpd resolves every relative path against ServerRoot (the -d folder, or
    /// a ServerRoot directive), never against the including file's folder; so a file's bytes, not its location, decide
    /// what it means. Unchanged files are read where they are. For each Include whose expansion (after the change) holds
    /// a changed file, a new file, a planned link or a file that itself needed this treatment, the including file gets a
    /// candidate copy in which that one Include line becomes <c>Include "txn/candidate/list-N.conf"</c> (the other lines
    /// of a continued Include become empty lines, so line numbers stay), and list-N.conf holds one Include per element
    /// of the expansion, in the order httpd's ap_dir_fnmatch would process them, each naming the element's staged
    /// version, candidate copy, or (unchanged, or reached through a link not made yet) the existing file by absolute
    /// path, wildcard characters escaped as one-character sets. An Include of a list processes the list's Includes in
    /// place, in the same context; so httpd processes the same directives, in the same order, with the same ServerRoot,
    /// variables and -D names, as it will from the live tree. The including chain is copied up to the main file, which
    /// is then given to -f.</para>
    /// <para>Limits, by construction: the expansion is this module's (written from httpd's ap_dir_fnmatch and APR's
    /// fnmatch), so a difference there would be a difference here; an Include inside a section this module evaluates as
    /// skipped is not rewritten; and &lt;IfFile&gt; on a file the change creates sees the candidate before the file
    /// exists. Error messages name the candidate files; <see cref="Explain"/> maps them back to the live paths.</para>
    /// </remarks>
    internal sealed class ApacheCandidate
    {
        private readonly Dictionary<string, string> _livePaths = new Dictionary<string, string>(StringComparer.Ordinal);
        private readonly Dictionary<ConfigFile, StagedFile> _stagedByFile = new Dictionary<ConfigFile, StagedFile>();
        private readonly EditSession _session;
        private readonly ApacheJournal _journal;

        private ApacheCandidate(EditSession session, ApacheJournal journal)
        {
            _session = session;
            _journal = journal;
        }

        public List<StagedFile> Staged { get; } = new List<StagedFile>();

        /// <summary>Folders the change needs that do not exist yet (mods-enabled on a trimmed tree), outermost first.</summary>
        public List<string> Directories { get; } = new List<string>();

        /// <summary>The main file to test: the live one when nothing it reads changes, else a staged version or a candidate copy.</summary>
        public string MainFile { get; private set; } = string.Empty;

        /// <summary>
        /// Stages every changed and new file (journal first, so a killed run's staged files are found) and returns the
        /// candidate; <see cref="WriteCandidate"/> then makes the files httpd tests.
        /// </summary>
        public static ApacheCandidate Stage(EditSession session, ApacheJournal journal, Action<string> step)
        {
            var candidate = new ApacheCandidate(session, journal);
            candidate.PlanStaging();
            journal.Write("prepared");
            step("journal-prepared");
            foreach (StagedFile staged in candidate.Staged)
            {
                ApacheTransaction.WriteStaged(staged.File, staged.StagedPath, staged.IsNew ? null : staged.File.Stat);
                staged.StagedVersion = ApacheJournal.VersionOf(staged.StagedPath);
                candidate._livePaths[staged.StagedPath] = staged.LivePath;
            }

            step("staged");
            return candidate;
        }

        /// <summary>Writes the candidate copies and include lists (see the class remarks) and sets <see cref="MainFile"/>.</summary>
        public void WriteCandidate()
        {
            ConfigTree tree = _session.Tree;
            tree.Refresh();
            var plannedLinks = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach ((string path, string target) in _session.Links)
            {
                string full = Path.GetFullPath(path);
                plannedLinks[full] = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(full)!, target));
            }

            string folder = Path.Combine(_journal.Folder, "candidate");
            var copies = new Dictionary<ConfigFile, string?>();
            int lists = 0;
            int copied = 0;

            // Post-order over the include graph: a file needs a copy when one of its Includes leads somewhere new.
            string? CopyOf(ConfigFile file)
            {
                if (copies.TryGetValue(file, out string? known))
                {
                    return known;
                }

                copies[file] = null;
                var rewrites = new List<(ConfigDirective Directive, List<string> Targets)>();
                foreach (ConfigNode node in file.AllNodes())
                {
                    if (node is not ConfigDirective directive || directive.Included.Count == 0 || !directive.IsActive)
                    {
                        continue;
                    }

                    var targets = new List<string>(directive.Included.Count);
                    bool redirected = false;
                    for (int i = 0; i < directive.Included.Count; i++)
                    {
                        ConfigFile included = directive.Included[i];
                        string path = directive.IncludedPaths[i];
                        string? target = CopyOf(included)
                            ?? (_stagedByFile.TryGetValue(included, out StagedFile? staged) ? staged.StagedPath : null)
                            ?? (plannedLinks.TryGetValue(path, out string? linked) ? linked : null);
                        redirected |= target is not null;
                        targets.Add(target ?? path);
                    }

                    if (redirected)
                    {
                        rewrites.Add((directive, targets));
                    }
                }

                if (rewrites.Count == 0)
                {
                    return null;
                }

                if (!Directory.Exists(folder))
                {
                    ApacheTransaction.CreatePrivateDirectory(folder);
                }

                string livePath = _stagedByFile.TryGetValue(file, out StagedFile? own) ? own.LivePath : file.Path;
                var replacements = new Dictionary<int, string>();
                foreach ((ConfigDirective directive, List<string> targets) in rewrites)
                {
                    string list = Path.Combine(folder, "list-" + (++lists).ToString(System.Globalization.CultureInfo.InvariantCulture) + ".conf");
                    using (FileStream stream = ApacheTransaction.CreateNewFile(list, Convert.ToInt32("600", 8)))
                    using (var writer = new StreamWriter(stream, new UTF8Encoding(false), 16384))
                    {
                        writer.NewLine = "\n";
                        foreach (string target in targets)
                        {
                            writer.Write("Include ");
                            WriteIncludeArgument(writer, target);
                            writer.Write('\n');
                        }
                    }

                    _livePaths[list] = $"{livePath} (the files line {directive.FirstLine + 1} includes)";
                    replacements[directive.FirstLine] = directive.Indent + "Include " + IncludeArgument(list);
                    for (int line = directive.FirstLine + 1; line <= directive.LastLine; line++)
                    {
                        replacements[line] = string.Empty;
                    }
                }

                string copy = Path.Combine(folder, (++copied).ToString(System.Globalization.CultureInfo.InvariantCulture) + "-" + Path.GetFileName(file.Path));
                using (FileStream stream = ApacheTransaction.CreateNewFile(copy, Convert.ToInt32("600", 8)))
                {
                    file.WriteTo(stream, replacements);
                }

                _livePaths[copy] = livePath;
                copies[file] = copy;
                return copy;
            }

            MainFile = CopyOf(tree.Main)
                ?? (_stagedByFile.TryGetValue(tree.Main, out StagedFile? main) ? main.StagedPath : tree.Main.Path);
        }

        /// <summary>httpd's output with the candidate and staged paths replaced by the live paths they stand for.</summary>
        public string Explain(string output)
        {
            foreach (KeyValuePair<string, string> pair in _livePaths.OrderByDescending(p => p.Key.Length))
            {
                output = output.Replace(pair.Key, pair.Value);
            }

            return output;
        }

        /// <summary>An Include argument httpd reads as exactly this one file: quoted, wildcards escaped.</summary>
        private static string IncludeArgument(string path)
        {
            using var writer = new StringWriter();
            WriteIncludeArgument(writer, path);
            return writer.ToString();
        }

        /// <summary>
        /// Writes a path as one quoted Include argument: httpd's quoted-word rules turn "\\" and "\"" back into \ and ",
        /// and * ? [ become one-character sets so that its wildcard matching finds exactly this name.
        /// </summary>
        private static void WriteIncludeArgument(TextWriter writer, string path)
        {
            writer.Write('"');
            foreach (char c in path)
            {
                switch (c)
                {
                    case '\\':
                        writer.Write("\\\\");
                        break;
                    case '"':
                        writer.Write("\\\"");
                        break;
                    case '*':
                    case '?':
                    case '[':
                        writer.Write('[');
                        writer.Write(c);
                        writer.Write(']');
                        break;
                    default:
                        writer.Write(c);
                        break;
                }
            }

            writer.Write('"');
        }

        private void PlanStaging()
        {
            string root = _session.Layout.ServerRoot;
            ulong? rootDevice = PosixFile.IsSupported && PosixFile.TryStat(root, true, out PosixStat rootStat, out _) ? rootStat.Device : null;
            string stagedFolder = Path.Combine(_journal.Folder, "staged");
            int count = 0;
            string Place(string livePath)
            {
                count++;
                string name = Path.GetFileName(livePath);
                string directory = Path.GetDirectoryName(livePath)!;
                if (rootDevice is ulong device && Directory.Exists(directory) && DeviceOf(directory) is ulong other && other != device)
                {
                    // Another file system: a rename from the transaction folder would not be atomic, so stage beside the file.
                    string beside = Path.Combine(Path.GetDirectoryName(livePath)!, "." + name + ".certcmdlets-" + Path.GetFileName(_journal.Folder).Substring(ApacheJournal.FolderPrefix.Length) + ".new");
                    _journal.OutsideFiles.Add(beside);
                    return beside;
                }

                return Path.Combine(stagedFolder, count.ToString(System.Globalization.CultureInfo.InvariantCulture) + "-" + name);
            }

            ApacheTransaction.CreatePrivateDirectory(stagedFolder);
            foreach (ConfigFile file in _session.EditedFiles)
            {
                string physical;
                try
                {
                    physical = UnixFiles.RealPath(file.Path);
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    throw Errors.ApacheWriteFailed(file.Path, ex);
                }

                var staged = new StagedFile(file, physical, Place(physical), isNew: false);
                Staged.Add(staged);
                _stagedByFile[file] = staged;
            }

            foreach (ConfigFile file in _session.NewFiles)
            {
                AddMissingDirectories(Path.GetDirectoryName(file.Path)!);
                var staged = new StagedFile(file, file.Path, Place(file.Path), isNew: true);
                Staged.Add(staged);
                _stagedByFile[file] = staged;
            }

            foreach ((string path, _) in _session.Links)
            {
                AddMissingDirectories(Path.GetDirectoryName(Path.GetFullPath(path))!);
            }
        }

        private void AddMissingDirectories(string directory)
        {
            var missing = new Stack<string>();
            string? current = directory;
            while (current is not null && !Directory.Exists(current) && !Directories.Contains(current))
            {
                missing.Push(current);
                current = Path.GetDirectoryName(current);
            }

            Directories.AddRange(missing);
        }

        private static ulong? DeviceOf(string directory)
        {
            string? current = directory;
            while (current is not null)
            {
                if (PosixFile.TryStat(current, true, out PosixStat stat, out _))
                {
                    return stat.Device;
                }

                current = Path.GetDirectoryName(current);
            }

            return null;
        }
    }
}
