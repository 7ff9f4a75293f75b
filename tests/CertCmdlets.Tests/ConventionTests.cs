using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Reflection;
using System.Xml.Linq;
using CertCmdlets.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Tests
{
    /// <summary>
    /// The cmdlet conventions of STYLE.md, checked on the module as PowerShell loads it (Import-Module of the root
    /// manifest, then reflection over the cmdlet classes Get-Command reports): the same checks as
    /// tests/Pester/Conventions.Tests.ps1 and tests/Pester/Help.Tests.ps1, for machines without pwsh. The test project
    /// references neither src/CertCmdlets nor src/CertCmdlets.Core; the assembly comes in through Import-Module only.
    /// </summary>
    public sealed class ConventionTests : IClassFixture<ConventionTests.ModuleFixture>
    {
        /// <summary>Parameters that name files the cmdlet writes: a cmdlet that has one writes files.</summary>
        private static readonly string[] s_writingParameters = { "OutputDirectory", "OutputPath", "OutFile", "OutputFile", "Destination", "Force" };

        /// <summary>Verbs whose cmdlets change things on disk (or elsewhere) by their nature.</summary>
        private static readonly string[] s_writingVerbs = { "Export", "Save", "Out", "Set", "Remove", "Install", "Uninstall", "Copy", "Move", "Rename", "Clear", "Enable", "Disable", "Publish", "Write" };

        private readonly ModuleFixture _module;

        public ConventionTests(ModuleFixture module)
        {
            _module = module;
        }

        public static TheoryData<string> ExportedCmdlets
        {
            get
            {
                var data = new TheoryData<string>();
                foreach (string name in ManifestCmdlets())
                {
                    data.Add(name);
                }

                return data;
            }
        }

        [Fact]
        public void TheManifestExportsExactlyTheCmdletsInTheAssembly()
        {
            string[] inAssembly = _module.AssemblyCmdlets.Keys.OrderBy(n => n, StringComparer.Ordinal).ToArray();
            string[] inManifest = ManifestCmdlets().OrderBy(n => n, StringComparer.Ordinal).ToArray();
            string[] exported = _module.Commands.Keys.OrderBy(n => n, StringComparer.Ordinal).ToArray();
            Assert.NotEmpty(inAssembly);
            Assert.Equal(inAssembly, inManifest);
            Assert.Equal(inManifest, exported);
        }

        [Fact]
        public void TheManifestVersionIsTheBuildVersion()
        {
            XDocument props = XDocument.Load(Path.Combine(Repository.Root, "Directory.Build.props"));
            string? version = props.Descendants("Version").Select(e => e.Value.Trim()).SingleOrDefault();
            Assert.False(string.IsNullOrEmpty(version), "Directory.Build.props has no <Version>.");
            Assert.Equal(version, ManifestData()["ModuleVersion"] as string);
        }

        [Fact]
        public void TheManifestFollowsThePackagingRules()
        {
            Hashtable manifest = ManifestData();
            Assert.Equal("module/CertCmdlets.dll", manifest["RootModule"] as string);
            Assert.Equal("5.1", manifest["PowerShellVersion"] as string);
            Assert.Equal(new[] { "Core", "Desktop" }, ((object[])manifest["CompatiblePSEditions"]!).Cast<string>().OrderBy(s => s, StringComparer.Ordinal));
            foreach (string list in new[] { "FunctionsToExport", "VariablesToExport", "AliasesToExport" })
            {
                Assert.True(manifest[list] is object[] { Length: 0 }, $"{list} must be @() (an explicit empty list), not a wildcard or missing.");
            }

            Assert.False(manifest.ContainsKey("NestedModules"), "Dependencies are loaded by the resolver, never listed in NestedModules.");
        }

        [Theory]
        [MemberData(nameof(ExportedCmdlets))]
        public void EveryCmdletDeclaresItsOutputType(string name)
        {
            CmdletInfo cmdlet = _module.Command(name);
            OutputTypeAttribute[] attributes = cmdlet.ImplementingType.GetCustomAttributes<OutputTypeAttribute>(inherit: true).ToArray();
            Assert.True(attributes.Length > 0, $"{name} has no [OutputType].");
            foreach (PSTypeName type in attributes.SelectMany(a => a.Type))
            {
                Assert.True(type.Type is not null, $"{name}: [OutputType] names '{type.Name}', which does not resolve to a type.");
                Assert.False(type.Type!.IsArray, $"{name}: [OutputType] must name element types, not '{type.Name}'.");
                Assert.NotEqual(typeof(object), type.Type);
                Assert.NotEqual(typeof(PSObject), type.Type);
            }

            Assert.NotEmpty(cmdlet.OutputType);
        }

        [Theory]
        [MemberData(nameof(ExportedCmdlets))]
        public void EveryCmdletWithPathHasLiteralPath(string name)
        {
            CmdletInfo cmdlet = _module.Command(name);
            if (!cmdlet.Parameters.TryGetValue("Path", out ParameterMetadata? path))
            {
                return;
            }

            Assert.True(cmdlet.Parameters.TryGetValue("LiteralPath", out ParameterMetadata? literalPath), $"{name} has -Path but no -LiteralPath.");
            Assert.Contains("PSPath", literalPath!.Aliases);
            Assert.Contains("LP", literalPath.Aliases);
            Assert.True(literalPath.ParameterSets.Values.Any(s => s.ValueFromPipelineByPropertyName), $"{name}: -LiteralPath must bind PSPath from the pipeline by property name.");
            Assert.True(path.Attributes.OfType<SupportsWildcardsAttribute>().Any(), $"{name}: -Path must be [SupportsWildcards].");
            Assert.Empty(path.ParameterSets.Keys.Intersect(literalPath.ParameterSets.Keys));
        }

        [Theory]
        [MemberData(nameof(ExportedCmdlets))]
        public void EveryCmdletThatWritesSupportsShouldProcess(string name)
        {
            CmdletInfo cmdlet = _module.Command(name);
            bool writes = s_writingVerbs.Contains(cmdlet.Verb, StringComparer.OrdinalIgnoreCase)
                || s_writingParameters.Any(p => cmdlet.Parameters.ContainsKey(p));
            if (!writes)
            {
                return;
            }

            CmdletAttribute attribute = cmdlet.ImplementingType.GetCustomAttribute<CmdletAttribute>()!;
            Assert.True(attribute.SupportsShouldProcess, $"{name} writes files but is not SupportsShouldProcess.");
            Assert.True(cmdlet.Parameters.ContainsKey("WhatIf") && cmdlet.Parameters.ContainsKey("Confirm"), $"{name} should offer -WhatIf and -Confirm.");
        }

        [Theory]
        [MemberData(nameof(ExportedCmdlets))]
        public void EveryCmdletHasADefaultParameterSetThatExists(string name)
        {
            CmdletInfo cmdlet = _module.Command(name);
            CmdletAttribute attribute = cmdlet.ImplementingType.GetCustomAttribute<CmdletAttribute>()!;
            if (cmdlet.ParameterSets.Count > 1)
            {
                Assert.False(string.IsNullOrEmpty(attribute.DefaultParameterSetName), $"{name} has several parameter sets and no DefaultParameterSetName.");
                Assert.Contains(attribute.DefaultParameterSetName, cmdlet.ParameterSets.Select(s => s.Name));
            }
        }

        [Theory]
        [MemberData(nameof(ExportedCmdlets))]
        public void EveryCmdletAndParameterIsDocumented(string name)
        {
            CmdletInfo cmdlet = _module.Command(name);
            Type type = cmdlet.ImplementingType;
            Assert.True(_module.Documentation.TryGetValue("T:" + type.FullName, out XElement? typeDoc), $"{type.FullName} has no XML doc comment in module/CertCmdlets.xml.");
            string synopsis = Text(typeDoc!.Element("summary")?.Elements("para").FirstOrDefault(p => (string?)p.Attribute("type") == "synopsis"));
            Assert.False(synopsis.Length == 0, $"{name} has no <para type=\"synopsis\"> in its <summary>.");

            var missing = new List<string>();
            foreach (PropertyInfo property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (!property.GetCustomAttributes<ParameterAttribute>(inherit: true).Any())
                {
                    continue;
                }

                string member = "P:" + property.DeclaringType!.FullName + "." + property.Name;
                if (!_module.Documentation.TryGetValue(member, out XElement? doc) || Text(doc.Element("summary")).Length == 0)
                {
                    missing.Add(property.Name);
                }
            }

            Assert.True(missing.Count == 0, $"{name}: no <summary> in module/CertCmdlets.xml for -{string.Join(", -", missing)}.");
        }

        private static string Text(XElement? element) => element is null ? string.Empty : string.Join(" ", element.Value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

        /// <summary>The root manifest's data, read with the PowerShell parser as Import-PowerShellDataFile does.</summary>
        private static Hashtable ManifestData()
        {
            ScriptBlockAst ast = Parser.ParseFile(Repository.Manifest, out _, out ParseError[] errors);
            Assert.Empty(errors);
            HashtableAst hashtable = (HashtableAst)ast.Find(a => a is HashtableAst, searchNestedScriptBlocks: false);
            return (Hashtable)hashtable.SafeGetValue();
        }

        private static IEnumerable<string> ManifestCmdlets() =>
            ManifestData()["CmdletsToExport"] switch
            {
                object[] list => list.Cast<string>(),
                string single => new[] { single },
                _ => Array.Empty<string>(),
            };

        /// <summary>The module imported once for the class: its exported cmdlets, every cmdlet class in its assembly, its XML docs.</summary>
        public sealed class ModuleFixture : IDisposable
        {
            private readonly PowerShellSession _session = new PowerShellSession();

            public ModuleFixture()
            {
                PowerShellResult result = _session.Run("Get-Command -Module CertCmdlets -CommandType Cmdlet");
                result.AssertSuccess();
                Commands = result.Output.Select(o => (CmdletInfo)o.BaseObject).ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);

                PowerShellResult module = _session.Run("(Get-Module CertCmdlets).ImplementingAssembly");
                module.AssertSuccess();
                Assembly assembly = (Assembly)Assert.Single(module.Output).BaseObject;
                AssemblyCmdlets = assembly.GetExportedTypes()
                    .Where(t => typeof(Cmdlet).IsAssignableFrom(t) && !t.IsAbstract && t.GetCustomAttribute<CmdletAttribute>() is not null)
                    .ToDictionary(t => t.GetCustomAttribute<CmdletAttribute>()!.VerbName + "-" + t.GetCustomAttribute<CmdletAttribute>()!.NounName, StringComparer.OrdinalIgnoreCase);

                string xml = Path.Combine(Path.GetDirectoryName(assembly.Location)!, "CertCmdlets.xml");
                Documentation = XDocument.Load(xml).Descendants("member")
                    .Where(m => m.Attribute("name") is not null)
                    .ToDictionary(m => (string)m.Attribute("name")!, m => m, StringComparer.Ordinal);
            }

            /// <summary>The cmdlets the imported module exports, by name.</summary>
            public IReadOnlyDictionary<string, CmdletInfo> Commands { get; }

            /// <summary>Every public, concrete cmdlet class in the module's assembly, by Verb-Noun.</summary>
            public IReadOnlyDictionary<string, Type> AssemblyCmdlets { get; }

            /// <summary>module/CertCmdlets.xml (the compiler's XML documentation), member elements by name.</summary>
            public IReadOnlyDictionary<string, XElement> Documentation { get; }

            public CmdletInfo Command(string name)
            {
                Assert.True(Commands.TryGetValue(name, out CmdletInfo? cmdlet), $"The manifest lists {name}, but the imported module does not export it.");
                return cmdlet!;
            }

            public void Dispose() => _session.Dispose();
        }
    }
}
