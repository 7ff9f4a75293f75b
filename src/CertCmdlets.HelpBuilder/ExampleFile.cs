using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace CertCmdlets.HelpBuilder
{
    /// <summary>One example of a cmdlet's help: what Get-Help -Examples shows, and how the example test runs it.</summary>
    /// <param name="Title">The heading, e.g. "A request for a public CA, with the organisation's details".</param>
    /// <param name="Code">The PowerShell a user types (shown by Get-Help).</param>
    /// <param name="Remarks">The paragraphs after the code (shown by Get-Help).</param>
    /// <param name="Setup">Hidden code the sandbox test runs before <paramref name="Code"/> (files the example reads,
    /// stand-ins for Read-Host or Get-Clipboard); never shown.</param>
    /// <param name="RunsInSandbox">True when the example runs in a temporary folder with nothing but the module,
    /// openssl and apache2 as in the rest of the suite (the fence says <c>powershell sandbox</c>).</param>
    /// <param name="Line">The line of the example's heading in its file, for messages.</param>
    public sealed record HelpExample(string Title, string Code, IReadOnlyList<string> Remarks, string Setup, bool RunsInSandbox, int Line);

    /// <summary>
    /// A cmdlet's example file, help/examples/&lt;Verb-Noun&gt;.md: one file per cmdlet, so that whoever adds a cmdlet
    /// adds a file and touches nobody else's. The structure is plain Markdown, read line by line:
    /// <code>
    /// # Verb-Noun
    ///
    /// ## Title of the first example
    ///
    /// ```powershell sandbox        (or just: ```powershell  when it cannot run in a sandbox)
    /// Verb-Noun -Parameter value
    /// ```
    ///
    /// What it does and why, in one or more paragraphs.
    ///
    /// ## Related links
    ///
    /// - Other-Cmdlet
    /// - about_CertCmdlets
    /// </code>
    /// An example may also hold a hidden <c>```powershell setup</c> block, run before the code by the sandbox test only.
    /// </summary>
    public sealed class ExampleFile
    {
        /// <summary>The fence info of the code a user types.</summary>
        public const string CodeFence = "powershell";

        /// <summary>The word after <see cref="CodeFence"/> that marks an example the sandbox test runs.</summary>
        public const string SandboxMarker = "sandbox";

        /// <summary>The word after <see cref="CodeFence"/> that marks hidden set-up code for the sandbox.</summary>
        public const string SetupMarker = "setup";

        private const string RelatedLinksHeading = "Related links";

        private ExampleFile(string path, string cmdletName, IReadOnlyList<HelpExample> examples, IReadOnlyList<string> relatedLinks)
        {
            Path = path;
            CmdletName = cmdletName;
            Examples = examples;
            RelatedLinks = relatedLinks;
        }

        /// <summary>The file read.</summary>
        public string Path { get; }

        /// <summary>The cmdlet, from the file name (Verb-Noun.md).</summary>
        public string CmdletName { get; }

        /// <summary>The examples in file order.</summary>
        public IReadOnlyList<HelpExample> Examples { get; }

        /// <summary>Cmdlet names and about_ topics listed under "## Related links".</summary>
        public IReadOnlyList<string> RelatedLinks { get; }

        /// <summary>Reads every help/examples/*.md file of a folder, sorted by cmdlet name.</summary>
        public static IReadOnlyList<ExampleFile> ReadFolder(string directory, List<string> problems)
        {
            if (!Directory.Exists(directory))
            {
                problems.Add($"The example folder {directory} does not exist: every cmdlet needs help/examples/<Verb-Noun>.md.");
                return Array.Empty<ExampleFile>();
            }

            return Directory.EnumerateFiles(directory, "*.md")
                .OrderBy(p => p, StringComparer.Ordinal)
                .Select(p => Read(p, problems))
                .ToList();
        }

        /// <summary>Reads one file; structural mistakes are added to <paramref name="problems"/> with the file and line.</summary>
        public static ExampleFile Read(string path, List<string> problems)
        {
            string cmdletName = System.IO.Path.GetFileNameWithoutExtension(path);
            string[] lines = File.ReadAllText(path).Replace("\r\n", "\n").Split('\n');
            var examples = new List<HelpExample>();
            var links = new List<string>();
            string where(int line) => $"{path}({line})";

            Section? section = null;
            bool sawTitle = false;
            for (int i = 0; i < lines.Length; i++)
            {
                string line = lines[i];
                int lineNumber = i + 1;
                if (line.StartsWith("```", StringComparison.Ordinal))
                {
                    string[] info = line.Substring(3).Trim().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                    int end = Array.FindIndex(lines, i + 1, l => l.TrimEnd() == "```");
                    if (end < 0)
                    {
                        problems.Add($"{where(lineNumber)}: the code block is not closed with ```.");
                        break;
                    }

                    string code = string.Join("\n", lines.Skip(i + 1).Take(end - i - 1)).Trim('\n');
                    if (section is null || section.IsRelatedLinks)
                    {
                        problems.Add($"{where(lineNumber)}: a code block outside an example (put it under a '## Title' heading).");
                    }
                    else if (info.Length == 0 || info[0] != CodeFence || info.Length > 2 || (info.Length == 2 && info[1] != SandboxMarker && info[1] != SetupMarker))
                    {
                        problems.Add($"{where(lineNumber)}: the code block must open with ```{CodeFence}, ```{CodeFence} {SandboxMarker} or ```{CodeFence} {SetupMarker}, not ```{string.Join(" ", info)}.");
                    }
                    else if (info.Length == 2 && info[1] == SetupMarker)
                    {
                        section.Setup.Append(code).Append('\n');
                    }
                    else if (section.Code is not null)
                    {
                        problems.Add($"{where(lineNumber)}: the example '{section.Title}' has a second code block; give each example one (set-up code goes in ```{CodeFence} {SetupMarker}).");
                    }
                    else
                    {
                        section.Code = code;
                        section.RunsInSandbox = info.Length == 2 && info[1] == SandboxMarker;
                    }

                    i = end;
                    continue;
                }

                if (line.StartsWith("# ", StringComparison.Ordinal))
                {
                    string title = line.Substring(2).Trim();
                    if (sawTitle || section is not null || !string.Equals(title, cmdletName, StringComparison.Ordinal))
                    {
                        problems.Add($"{where(lineNumber)}: the file's only '# ' heading is its cmdlet, '# {cmdletName}' (the file name), at the top.");
                    }

                    sawTitle = true;
                    continue;
                }

                if (line.StartsWith("## ", StringComparison.Ordinal))
                {
                    Close(section, examples, problems, path);
                    string title = line.Substring(3).Trim();
                    section = new Section(title, lineNumber, string.Equals(title, RelatedLinksHeading, StringComparison.OrdinalIgnoreCase));
                    continue;
                }

                if (line.StartsWith("#", StringComparison.Ordinal) && line.TrimStart('#').StartsWith(" ", StringComparison.Ordinal))
                {
                    problems.Add($"{where(lineNumber)}: only '# {cmdletName}' and '## Title' headings are understood.");
                    continue;
                }

                if (section is null)
                {
                    if (line.Trim().Length > 0 && sawTitle)
                    {
                        problems.Add($"{where(lineNumber)}: text before the first example; put it under a '## Title' heading.");
                    }

                    continue;
                }

                if (section.IsRelatedLinks)
                {
                    string item = line.Trim();
                    if (item.Length == 0)
                    {
                        continue;
                    }

                    if (!item.StartsWith("- ", StringComparison.Ordinal))
                    {
                        problems.Add($"{where(lineNumber)}: related links are a list of '- Verb-Noun' or '- about_Topic' lines.");
                        continue;
                    }

                    links.Add(item.Substring(2).Trim());
                    continue;
                }

                section.Text.Add(line);
            }

            Close(section, examples, problems, path);
            if (!sawTitle)
            {
                problems.Add($"{path}(1): the file starts with its cmdlet's name as a heading: '# {cmdletName}'.");
            }

            return new ExampleFile(path, cmdletName, examples, links);
        }

        private static void Close(Section? section, List<HelpExample> examples, List<string> problems, string path)
        {
            if (section is null || section.IsRelatedLinks)
            {
                return;
            }

            if (section.Code is null || section.Code.Trim().Length == 0)
            {
                problems.Add($"{path}({section.Line}): the example '{section.Title}' has no ```{CodeFence} code block.");
                return;
            }

            List<string> remarks = Paragraphs(section.Text);
            if (remarks.Count == 0)
            {
                problems.Add($"{path}({section.Line}): the example '{section.Title}' says nothing after its code; tell what it does and why.");
            }

            examples.Add(new HelpExample(section.Title, section.Code, remarks, section.Setup.ToString(), section.RunsInSandbox, section.Line));
        }

        /// <summary>Blank-line separated paragraphs, lines joined, inline code marks (`) removed for Get-Help's plain text.</summary>
        private static List<string> Paragraphs(IEnumerable<string> lines)
        {
            var paragraphs = new List<string>();
            var current = new List<string>();
            foreach (string line in lines.Append(string.Empty))
            {
                if (line.Trim().Length > 0)
                {
                    current.Add(line.Trim());
                    continue;
                }

                if (current.Count > 0)
                {
                    paragraphs.Add(string.Join(" ", current).Replace("`", string.Empty));
                    current.Clear();
                }
            }

            return paragraphs;
        }

        private sealed class Section
        {
            public Section(string title, int line, bool isRelatedLinks)
            {
                Title = title;
                Line = line;
                IsRelatedLinks = isRelatedLinks;
            }

            public string Title { get; }

            public int Line { get; }

            public bool IsRelatedLinks { get; }

            public string? Code { get; set; }

            public bool RunsInSandbox { get; set; }

            public StringBuilder Setup { get; } = new StringBuilder();

            public List<string> Text { get; } = new List<string>();
        }
    }
}
