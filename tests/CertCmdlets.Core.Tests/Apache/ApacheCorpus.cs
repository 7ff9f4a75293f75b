using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace CertCmdlets.Core.Tests.Apache
{
    /// <summary>
    /// The shared Apache configuration corpus (shared/apache-corpus beside the checkout), read-only: tests copy a
    /// tree under a temporary directory before touching it.
    /// </summary>
    /// <remarks>
    /// The corpus's symbolic links (sites-enabled/x.conf -> ../sites-available/x.conf) may be stored the way git
    /// stores a link on a file system without links: a small regular file whose whole content is the target.
    /// <see cref="CopyTree"/> copies a real link as a link and turns such a placeholder back into the relative
    /// link it stands for, so the copy is the Debian tree the corpus describes.
    /// </remarks>
    public static class ApacheCorpus
    {
        private static readonly Lazy<string> s_root = new Lazy<string>(Locate);

        /// <summary>The corpus directory; throws with the places searched when it cannot be found.</summary>
        public static string Root => s_root.Value;

        public static string PathOf(string relative) => Path.Combine(Root, relative);

        /// <summary>UTF-8 without a BOM, throwing on invalid bytes, the way these tests read the corpus.</summary>
        public static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

        /// <summary>Every regular file of the corpus (relative paths, '/' separated, sorted), placeholders included.</summary>
        public static IReadOnlyList<string> AllFiles() =>
            Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
                .Where(f => new FileInfo(f).LinkTarget is null)
                .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
                .OrderBy(f => f, StringComparer.Ordinal)
                .ToList();

        /// <summary>The Debian trees (debian_apache_2_4/NAME), each holding an apache2/ directory.</summary>
        public static IReadOnlyList<string> DebianTrees() =>
            Directory.EnumerateDirectories(Path.Combine(Root, "debian_apache_2_4"))
                .Where(d => File.Exists(Path.Combine(d, "apache2", "apache2.conf")))
                .Select(d => Path.GetFileName(d))
                .OrderBy(d => d, StringComparer.Ordinal)
                .ToList();

        /// <summary>The link target a corpus file stands for, or null when it is an ordinary file.</summary>
        public static string? PlaceholderTarget(string path)
        {
            var info = new FileInfo(path);
            if (info.LinkTarget is not null || info.Length == 0 || info.Length > 255)
            {
                return null;
            }

            string content = File.ReadAllText(path, StrictUtf8);
            if (content.Any(char.IsWhiteSpace) || Path.IsPathRooted(content) || !content.Contains('/'))
            {
                return null;
            }

            string target = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, content));
            return File.Exists(target) || Directory.Exists(target) ? content : null;
        }

        /// <summary>
        /// Copies corpus directory <paramref name="relative"/> to <paramref name="destination"/>: files byte for byte
        /// (made writable by the owner), links as links, placeholders as the links they stand for.
        /// </summary>
        public static string CopyTree(string relative, string destination)
        {
            Copy(PathOf(relative), destination);
            return destination;
        }

        /// <summary>ServerName values of a Debian tree's enabled configuration (apache2.conf and sites-enabled), macros' $parameters left out.</summary>
        public static IReadOnlyList<string> EnabledServerNames(string debianTree)
        {
            string apache2 = Path.Combine(Root, "debian_apache_2_4", debianTree, "apache2");
            var files = new List<string> { Path.Combine(apache2, "apache2.conf") };
            string enabled = Path.Combine(apache2, "sites-enabled");
            if (Directory.Exists(enabled))
            {
                foreach (string file in Directory.EnumerateFiles(enabled, "*.conf").OrderBy(f => f, StringComparer.Ordinal))
                {
                    string? target = PlaceholderTarget(file);
                    files.Add(target is null ? file : Path.GetFullPath(Path.Combine(enabled, target)));
                }
            }

            var serverName = new Regex(@"^\s*ServerName\s+""?([^\s""]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
            return files
                .SelectMany(f => File.ReadAllLines(f))
                .Select(l => serverName.Match(l))
                .Where(m => m.Success && !m.Groups[1].Value.Contains('$'))
                .Select(m => m.Groups[1].Value)
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .ToList();
        }

        /// <summary>A file's Unix mode (none on Windows).</summary>
        public static UnixFileMode ModeOf(string path) => OperatingSystem.IsWindows() ? 0 : File.GetUnixFileMode(path);

        /// <summary>Sets a Unix mode given in octal ("644"); nothing on Windows.</summary>
        public static void SetMode(string path, string octal)
        {
            if (OperatingSystem.IsWindows())
            {
                return;
            }

            File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32(octal, 8));
        }

        private static void Copy(string source, string destination)
        {
            Directory.CreateDirectory(destination);
            SetMode(destination, "755");
            foreach (string entry in Directory.EnumerateFileSystemEntries(source).OrderBy(e => e, StringComparer.Ordinal))
            {
                string target = Path.Combine(destination, Path.GetFileName(entry));
                FileSystemInfo info = Directory.Exists(entry) && new DirectoryInfo(entry).LinkTarget is null
                    ? new DirectoryInfo(entry)
                    : new FileInfo(entry);
                if (info.LinkTarget is not null)
                {
                    File.CreateSymbolicLink(target, info.LinkTarget);
                    continue;
                }

                if (info is DirectoryInfo)
                {
                    Copy(entry, target);
                    continue;
                }

                string? placeholder = PlaceholderTarget(entry);
                if (placeholder is not null)
                {
                    File.CreateSymbolicLink(target, placeholder);
                    continue;
                }

                File.Copy(entry, target);
                SetMode(target, "644");
            }
        }

        private static string Locate()
        {
            var searched = new List<string>();
            for (DirectoryInfo? directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                var candidates = new List<string> { Path.Combine(directory.FullName, "shared", "apache-corpus") };
                if (File.Exists(Path.Combine(directory.FullName, "CertCmdlets.sln")))
                {
                    // The repository root: in CI a fresh clone with shared/ beside it.
                    candidates.Insert(0, Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "apache-corpus")));
                }

                foreach (string candidate in candidates)
                {
                    searched.Add(candidate);
                    if (File.Exists(Path.Combine(candidate, "README.md")) && Directory.Exists(Path.Combine(candidate, "debian_apache_2_4")))
                    {
                        return candidate;
                    }
                }
            }

            throw new InvalidOperationException("The Apache corpus (shared/apache-corpus) was not found beside the checkout. Searched: " + string.Join(", ", searched));
        }
    }

    /// <summary>One entry of a directory tree as these tests compare it.</summary>
    public sealed class TreeEntry
    {
        public TreeEntry(string kind, string? linkTarget, byte[]? bytes, UnixFileMode mode)
        {
            Kind = kind;
            LinkTarget = linkTarget;
            Bytes = bytes;
            Mode = mode;
        }

        /// <summary>"file", "link" or "directory".</summary>
        public string Kind { get; }

        public string? LinkTarget { get; }

        public byte[]? Bytes { get; }

        public UnixFileMode Mode { get; }

        public bool SameAs(TreeEntry other) =>
            Kind == other.Kind && LinkTarget == other.LinkTarget && Mode == other.Mode
            && (Bytes is null ? other.Bytes is null : other.Bytes is not null && Bytes.AsSpan().SequenceEqual(other.Bytes));

        public override string ToString() => Kind switch
        {
            "link" => "link -> " + LinkTarget,
            "file" => $"file ({Bytes!.Length} bytes, mode {Mode})",
            _ => Kind,
        };
    }

    /// <summary>
    /// Every file, link and directory under a root with its bytes, link target and mode, so that a test can say
    /// exactly what an operation changed. The editor's backups (.certcmdlets-backup) are left out.
    /// </summary>
    public sealed class TreeSnapshot
    {
        public const string BackupDirectoryName = ".certcmdlets-backup";

        private TreeSnapshot(string root, SortedDictionary<string, TreeEntry> entries)
        {
            RootPath = root;
            Entries = entries;
        }

        public string RootPath { get; }

        public IReadOnlyDictionary<string, TreeEntry> Entries { get; }

        public static TreeSnapshot Take(string root)
        {
            var entries = new SortedDictionary<string, TreeEntry>(StringComparer.Ordinal);
            Walk(root, root, entries);
            return new TreeSnapshot(root, entries);
        }

        /// <summary>The relative paths that differ (added, removed or changed), each with a short account.</summary>
        public IReadOnlyList<string> Differences(TreeSnapshot after)
        {
            var differences = new List<string>();
            foreach ((string path, TreeEntry entry) in Entries)
            {
                if (!after.Entries.TryGetValue(path, out TreeEntry? other))
                {
                    differences.Add($"removed {path} ({entry})");
                }
                else if (!entry.SameAs(other))
                {
                    differences.Add($"changed {path}: {entry} => {other}");
                }
            }

            foreach ((string path, TreeEntry entry) in after.Entries)
            {
                if (!Entries.ContainsKey(path))
                {
                    differences.Add($"added {path} ({entry})");
                }
            }

            return differences;
        }

        private static void Walk(string root, string directory, SortedDictionary<string, TreeEntry> entries)
        {
            foreach (string entry in Directory.EnumerateFileSystemEntries(directory))
            {
                string relative = Path.GetRelativePath(root, entry).Replace('\\', '/');
                if (Path.GetFileName(entry) == BackupDirectoryName)
                {
                    continue;
                }

                var file = new FileInfo(entry);
                if (file.LinkTarget is not null)
                {
                    entries[relative] = new TreeEntry("link", file.LinkTarget, null, 0);
                }
                else if (Directory.Exists(entry))
                {
                    entries[relative + "/"] = new TreeEntry("directory", null, null, ApacheCorpus.ModeOf(entry));
                    Walk(root, entry, entries);
                }
                else
                {
                    entries[relative] = new TreeEntry("file", null, File.ReadAllBytes(entry), ApacheCorpus.ModeOf(entry));
                }
            }
        }
    }
}
