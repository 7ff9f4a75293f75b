using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;

namespace CertCmdlets.HelpBuilder
{
    /// <summary>
    /// Entry point: certcmdlets-helpbuilder &lt;module assembly&gt; &lt;XML doc file&gt; &lt;help file&gt;.
    /// Exits 1 with MSBuild-style error lines when the help cannot be written or the documentation is incomplete.
    /// </summary>
    internal static class Program
    {
        private const string ErrorPrefix = "certcmdlets-helpbuilder : error CCHELP001: ";

        private static readonly string[] s_dependencies = { "CertCmdlets.Core", "BouncyCastle.Cryptography" };

        private static int Main(string[] args)
        {
            if (args.Length != 3)
            {
                Console.Error.WriteLine(ErrorPrefix + "usage: certcmdlets-helpbuilder <module/CertCmdlets.dll> <module/CertCmdlets.xml> <en-US/CertCmdlets.dll-Help.xml>");
                return 2;
            }

            string assemblyPath = Path.GetFullPath(args[0]);
            string documentationPath = Path.GetFullPath(args[1]);
            string helpPath = Path.GetFullPath(args[2]);
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

                if (problems.Count > 0)
                {
                    foreach (string problem in problems)
                    {
                        Console.Error.WriteLine(ErrorPrefix + problem);
                    }

                    Console.Error.WriteLine(ErrorPrefix + $"the help file {helpPath} was not written: document the cmdlets in their XML doc comments (<para type=\"synopsis\"> on the class, <para type=\"description\"> on each parameter).");
                    return 1;
                }

                MamlWriter.WriteAtomically(helpPath, cmdlets);
                Console.WriteLine($"certcmdlets-helpbuilder: {cmdlets.Count} cmdlets, {cmdlets.Sum(c => c.Parameters.Count)} parameters -> {helpPath}");
                return 0;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or BadImageFormatException or System.Xml.XmlException or ReflectionTypeLoadException or TypeLoadException)
            {
                Console.Error.WriteLine(ErrorPrefix + ex.Message);
                return 1;
            }
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
