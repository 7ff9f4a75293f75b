using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation.Language;
using System.Reflection;
using System.Runtime.Loader;

namespace CertCmdlets.HelpBuilder
{
    /// <summary>
    /// Entry point: <c>certcmdlets-helpbuilder --assembly module/CertCmdlets.dll --documentation module/CertCmdlets.xml
    /// --manifest CertCmdlets.psd1 --sources help --output en-US</c>. Writes en-US/CertCmdlets.dll-Help.xml (MAML) and
    /// copies the about_ topics beside it. Exits 1 with MSBuild-style error lines, writing nothing, when the help is
    /// incomplete: a cmdlet without a synopsis, a parameter without a description, an exported cmdlet with fewer than
    /// <see cref="MinimumExamples"/> examples, an example that does not parse or does not call its cmdlet, a related link
    /// to nothing. An example file for a cmdlet the assembly lacks (one being added on another branch) is checked the same
    /// way and named in the output, not written.
    /// </summary>
    internal static class Program
    {
        /// <summary>Every cmdlet shows at least this many examples (help/examples/Verb-Noun.md).</summary>
        public const int MinimumExamples = 2;

        /// <summary>The topic every cmdlet's help links to.</summary>
        public const string ModuleTopic = "about_CertCmdlets";

        private const string ErrorPrefix = "certcmdlets-helpbuilder : error CCHELP001: ";
        private const string Usage = "usage: certcmdlets-helpbuilder --assembly <module/CertCmdlets.dll> --documentation <module/CertCmdlets.xml> --manifest <CertCmdlets.psd1> --sources <help> --output <en-US>";

        private static readonly string[] s_dependencies = { "CertCmdlets.Core", "BouncyCastle.Cryptography" };

        private static int Main(string[] args)
        {
            Dictionary<string, string>? options = ParseOptions(args);
            if (options is null)
            {
                Console.Error.WriteLine(ErrorPrefix + Usage);
                return 2;
            }

            string assemblyPath = Path.GetFullPath(options["assembly"]);
            string documentationPath = Path.GetFullPath(options["documentation"]);
            string manifestPath = Path.GetFullPath(options["manifest"]);
            string sourceDirectory = Path.GetFullPath(options["sources"]);
            string outputDirectory = Path.GetFullPath(options["output"]);
            string helpPath = Path.Combine(outputDirectory, Path.GetFileName(assemblyPath) + "-Help.xml");
            try
            {
                XmlDocumentation documentation = XmlDocumentation.Load(documentationPath);
                Assembly assembly = LoadModuleAssembly(assemblyPath);
                List<string> problems = new List<string>();
                IReadOnlyList<CmdletHelp> cmdlets = CmdletHelp.Read(assembly, documentation, problems);
                if (cmdlets.Count == 0)
                {
                    problems.Add($"{assemblyPath} has no cmdlet class (a public type with [Cmdlet]).");
                }

                IReadOnlyList<AboutTopic> topics = AboutTopic.ReadFolder(sourceDirectory, problems);
                IReadOnlyList<ExampleFile> exampleFiles = ExampleFile.ReadFolder(Path.Combine(sourceDirectory, "examples"), problems);
                IReadOnlyList<string> exported = ModuleManifest.ExportedCmdlets(manifestPath, problems);
                cmdlets = Complete(cmdlets, exampleFiles, topics, exported, problems);

                if (problems.Count > 0)
                {
                    foreach (string problem in problems)
                    {
                        Console.Error.WriteLine(ErrorPrefix + problem);
                    }

                    Console.Error.WriteLine(ErrorPrefix + $"the help in {outputDirectory} was not written: document the cmdlets in their XML doc comments (<para type=\"synopsis\"> on the class, <para type=\"description\"> on each parameter) and give each at least {MinimumExamples} examples in {Path.Combine(sourceDirectory, "examples")}/<Verb-Noun>.md.");
                    return 1;
                }

                MamlWriter.WriteAtomically(helpPath, cmdlets);
                AboutTopic.CopyAll(topics, outputDirectory);
                Console.WriteLine($"certcmdlets-helpbuilder: {cmdlets.Count} cmdlets, {cmdlets.Sum(c => c.Parameters.Count)} parameters, {cmdlets.Sum(c => c.Examples.Count)} examples, {topics.Count} about topics -> {outputDirectory}");
                return 0;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or BadImageFormatException or System.Xml.XmlException or ReflectionTypeLoadException or TypeLoadException or TargetInvocationException)
            {
                Console.Error.WriteLine(ErrorPrefix + ex.Message);
                return 1;
            }
        }

        /// <summary>
        /// Adds each cmdlet's examples and related links, and checks the rules between the sources: every cmdlet the
        /// manifest exports has a class; every cmdlet has an example file with enough examples; every example parses and
        /// calls its file's cmdlet; every related link names a cmdlet or topic that exists (or, from the file of a cmdlet
        /// this build lacks, another example file). about_CertCmdlets is linked from every cmdlet.
        /// </summary>
        private static IReadOnlyList<CmdletHelp> Complete(IReadOnlyList<CmdletHelp> cmdlets, IReadOnlyList<ExampleFile> exampleFiles, IReadOnlyList<AboutTopic> topics, IReadOnlyList<string> exported, List<string> problems)
        {
            HashSet<string> cmdletNames = new HashSet<string>(cmdlets.Select(c => c.Name), StringComparer.Ordinal);
            HashSet<string> topicNames = new HashSet<string>(topics.Select(t => t.Name), StringComparer.Ordinal);
            if (!topicNames.Contains(ModuleTopic))
            {
                problems.Add($"The module's topic {ModuleTopic}.help.txt is missing from the help sources.");
            }

            foreach (string name in exported.Where(n => !cmdletNames.Contains(n)))
            {
                problems.Add($"The manifest exports {name}, but no cmdlet class of the assembly is named so.");
            }

            foreach (ExampleFile file in exampleFiles)
            {
                CheckCode(file, problems);
            }

            // A file for a cmdlet this assembly lacks is the help of a cmdlet being written on another branch: it is
            // held to the same rules (form, code that parses and calls its cmdlet, enough examples, links to cmdlets,
            // topics or other example files) so that it is complete on the day the cmdlet arrives, and it is named in
            // the build's output so that a misspelt file name does not go unseen.
            HashSet<string> exampleNames = new HashSet<string>(exampleFiles.Select(f => f.CmdletName), StringComparer.Ordinal);
            foreach (ExampleFile file in exampleFiles.Where(f => !cmdletNames.Contains(f.CmdletName)))
            {
                if (file.Examples.Count < MinimumExamples)
                {
                    problems.Add($"{file.Path}: {file.CmdletName} has {file.Examples.Count} example(s); every cmdlet needs at least {MinimumExamples} that a user would run.");
                }

                foreach (string link in file.RelatedLinks.Where(l => !cmdletNames.Contains(l) && !topicNames.Contains(l) && !exampleNames.Contains(l)))
                {
                    problems.Add($"{file.Path}: the related link '{link}' is neither a cmdlet of the module, an about_ topic in help/, nor another example file.");
                }

                Console.WriteLine($"certcmdlets-helpbuilder: note: {file.Path} is kept for {file.CmdletName}, which this build does not have; its examples are checked but not in the help.");
            }

            List<CmdletHelp> completed = new List<CmdletHelp>();
            foreach (CmdletHelp cmdlet in cmdlets)
            {
                ExampleFile? file = exampleFiles.FirstOrDefault(f => f.CmdletName == cmdlet.Name);
                IReadOnlyList<HelpExample> examples = file?.Examples ?? Array.Empty<HelpExample>();
                if (examples.Count < MinimumExamples)
                {
                    problems.Add($"{cmdlet.Name} has {examples.Count} example(s) in help/examples/{cmdlet.Name}.md; every cmdlet needs at least {MinimumExamples} that a user would run.");
                }

                List<string> links = (file?.RelatedLinks ?? Array.Empty<string>()).ToList();
                foreach (string link in links.Where(l => !cmdletNames.Contains(l) && !topicNames.Contains(l)))
                {
                    problems.Add($"{file!.Path}: the related link '{link}' is neither a cmdlet of the module nor an about_ topic in help/.");
                }

                if (links.Contains(cmdlet.Name))
                {
                    problems.Add($"{file!.Path}: {cmdlet.Name} links to itself.");
                }

                if (!links.Contains(ModuleTopic))
                {
                    links.Add(ModuleTopic);
                }

                completed.Add(cmdlet with { Examples = examples, RelatedLinks = links });
            }

            return completed;
        }

        /// <summary>
        /// Every example's code and set-up parse as PowerShell, and the code a user reads calls the cmdlet the file is
        /// for (a file named after one cmdlet but showing another is a misplaced or misspelt file).
        /// </summary>
        private static void CheckCode(ExampleFile file, List<string> problems)
        {
            foreach (HelpExample example in file.Examples)
            {
                foreach ((string part, string code) in new[] { ("code", example.Code), ("set-up code", example.Setup) })
                {
                    Parser.ParseInput(code, out _, out ParseError[] errors);
                    foreach (ParseError error in errors)
                    {
                        problems.Add($"{file.Path}({example.Line}): the {part} of '{example.Title}' does not parse: {error.Message} at '{error.Extent.Text}'.");
                    }
                }

                ScriptBlockAst ast = Parser.ParseInput(example.Code, out _, out _);
                bool callsItsCmdlet = ast.FindAll(node => node is CommandAst command && string.Equals(command.GetCommandName(), file.CmdletName, StringComparison.OrdinalIgnoreCase), searchNestedScriptBlocks: true).Any();
                if (!callsItsCmdlet)
                {
                    problems.Add($"{file.Path}({example.Line}): the example '{example.Title}' does not call {file.CmdletName}; an example file shows its own cmdlet.");
                }
            }
        }

        private static Dictionary<string, string>? ParseOptions(string[] args)
        {
            string[] names = { "assembly", "documentation", "manifest", "sources", "output" };
            Dictionary<string, string> options = new Dictionary<string, string>(StringComparer.Ordinal);
            for (int i = 0; i + 1 < args.Length; i += 2)
            {
                string name = args[i].TrimStart('-');
                if (!args[i].StartsWith("--", StringComparison.Ordinal) || !names.Contains(name) || options.ContainsKey(name))
                {
                    return null;
                }

                options[name] = args[i + 1];
            }

            return args.Length % 2 == 0 && names.All(options.ContainsKey) ? options : null;
        }

        /// <summary>
        /// Loads the module assembly; its dependencies (the core, whose types some parameters have, and
        /// BouncyCastle) are served from the Dependencies folder beside it, as the module's own resolver does.
        /// </summary>
        private static Assembly LoadModuleAssembly(string assemblyPath)
        {
            string dependencyDirectory = Path.Combine(Path.GetDirectoryName(assemblyPath)!, "Dependencies");
            AssemblyLoadContext.Default.Resolving += (context, name) =>
            {
                if (name.Name is null || !s_dependencies.Contains(name.Name, StringComparer.OrdinalIgnoreCase))
                {
                    return null;
                }

                string candidate = Path.Combine(dependencyDirectory, name.Name + ".dll");
                return File.Exists(candidate) ? context.LoadFromAssemblyPath(candidate) : null;
            };

            return Assembly.LoadFrom(assemblyPath);
        }
    }
}
