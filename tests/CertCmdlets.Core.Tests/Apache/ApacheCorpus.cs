using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace CertCmdlets.Core.Tests.Apache
{
    /// <summary>
    /// The Apache configurations the tests read, gathered once per test run into one read-only folder (tests copy a
    /// tree before touching it), laid out as:
    /// <list type="bullet">
    /// <item><c>passing/</c>, <c>failing/</c>, <c>complex/</c>, <c>debian/minimal</c>, <c>debian/sites</c>: the repository's
    /// own files (tests/ApacheConfigs), plus the single files <see cref="ApacheLayouts"/> generates into passing/;</item>
    /// <item><c>debian/package</c>: the installed apache2 package's own /etc/apache2, when apache2 is installed;</item>
    /// <item><c>redhat/</c>, <c>gentoo/</c>: the layouts <see cref="ApacheLayouts"/> writes;</item>
    /// <item><c>shared/</c>: the shared corpus (shared/apache-corpus beside the clone), only when it is there. It adds
    /// cases and is never required.</item>
    /// </list>
    /// </summary>
    /// <remarks>
    /// Symbolic links (sites-enabled/x.conf -> ../sites-available/x.conf) may be stored the way git stores a link on a
    /// file system without links: a small regular file whose whole content is the target. <see cref="CopyTree"/>
    /// copies a real link as a link and turns such a placeholder back into the relative link it stands for.
    /// </remarks>
    public static class ApacheCorpus
    {
        /// <summary>The files broken on purpose (a &lt;VirtualHost&gt; never closed, kept where httpd never reads them).</summary>
        public static readonly IReadOnlyCollection<string> BrokenOnPurpose = new[] { "unclosed-virtualhost.conf", "bad_conf_file.conf" };

        /// <summary>The installed apache2 package's configuration, copied into debian/package.</summary>
        public const string PackageConfiguration = "/etc/apache2";

        private static readonly Lazy<string> s_root = new Lazy<string>(Gather);

        private static readonly Lazy<string?> s_shared = new Lazy<string?>(LocateShared);

        /// <summary>The gathered folder (made on first use, removed when the test process ends).</summary>
        public static string Root => s_root.Value;

        /// <summary>The shared corpus folder when it is beside the clone, else null.</summary>
        public static string? Shared => s_shared.Value;

        /// <summary>True when debian/package (a copy of the installed /etc/apache2) is part of the corpus.</summary>
        public static bool HasPackageTree => Directory.Exists(PathOf("debian/package/apache2"));

        public static string PathOf(string relative) => Path.Combine(Root, relative);

        /// <summary>UTF-8 without a BOM, throwing on invalid bytes, the way these tests read the corpus.</summary>
        public static readonly UTF8Encoding StrictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

        /// <summary>Every regular file (relative paths, '/' separated, sorted); links are not files of their own, READMEs are no configuration.</summary>
        public static IReadOnlyList<string> AllFiles() =>
            Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
                .Where(f => new FileInfo(f).LinkTarget is null && Path.GetFileName(f) != "README.md")
                .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
                .OrderBy(f => f, StringComparer.Ordinal)
                .ToList();

        /// <summary>True for a single file httpd rejects (failing/, and the shared corpus's single-files-failing/).</summary>
        public static bool IsFailing(string relative) =>
            relative.StartsWith("failing/", StringComparison.Ordinal) || relative.StartsWith("shared/single-files-failing/", StringComparison.Ordinal);

        /// <summary>The single files httpd rejects.</summary>
        public static IReadOnlyList<string> FailingFiles() => AllFiles().Where(IsFailing).ToList();

        /// <summary>The Debian trees (relative folders each holding apache2/apache2.conf): ours, the package's, the shared corpus's.</summary>
        public static IReadOnlyList<string> DebianTrees()
        {
            var trees = new List<string>();
            foreach (string parent in new[] { "debian", "shared/debian_apache_2_4" })
            {
                string full = PathOf(parent);
                if (Directory.Exists(full))
                {
                    trees.AddRange(Directory.EnumerateDirectories(full)
                        .Where(d => File.Exists(Path.Combine(d, "apache2", "apache2.conf")))
                        .Select(d => parent + "/" + Path.GetFileName(d)));
                }
            }

            return trees.OrderBy(t => t, StringComparer.Ordinal).ToList();
        }

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
            string apache2 = Path.Combine(PathOf(debianTree), "apache2");
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

        /// <summary>
        /// Gathers the corpus into a new folder under the temporary directory: the repository's files, the generated
        /// layouts, the installed package's tree and the shared corpus when they exist. Removed at process exit.
        /// </summary>
        private static string Gather()
        {
            string root = Path.Combine(Path.GetTempPath(), "certcmdlets-apache-corpus", Guid.NewGuid().ToString("N"));
            Copy(RepositoryConfigs(), root);
            ApacheLayouts.WriteGeneratedSingleFiles(Path.Combine(root, "passing"));
            ApacheLayouts.WriteRedHat(Path.Combine(root, "redhat"));
            ApacheLayouts.WriteGentoo(Path.Combine(root, "gentoo"));
            if (File.Exists(Path.Combine(PackageConfiguration, "apache2.conf")))
            {
                Copy(PackageConfiguration, Path.Combine(root, "debian", "package", "apache2"));
            }

            if (Shared is not null)
            {
                Copy(Shared, Path.Combine(root, "shared"));
            }

            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                try
                {
                    Directory.Delete(root, recursive: true);
                }
                catch (IOException)
                {
                }
                catch (UnauthorizedAccessException)
                {
                }
            };
            return root;
        }

        /// <summary>tests/ApacheConfigs of the checkout these tests were built from.</summary>
        private static string RepositoryConfigs()
        {
            for (DirectoryInfo? directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "CertCmdlets.sln")))
                {
                    return Path.Combine(directory.FullName, "tests", "ApacheConfigs");
                }
            }

            throw new InvalidOperationException("The checkout (CertCmdlets.sln) was not found above " + AppContext.BaseDirectory);
        }

        /// <summary>shared/apache-corpus beside the checkout (the repository root's parent), or null: it is optional.</summary>
        private static string? LocateShared()
        {
            for (DirectoryInfo? directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "CertCmdlets.sln")))
                {
                    string candidate = Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "apache-corpus"));
                    return File.Exists(Path.Combine(candidate, "README.md")) && Directory.Exists(Path.Combine(candidate, "debian_apache_2_4")) ? candidate : null;
                }
            }

            return null;
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
