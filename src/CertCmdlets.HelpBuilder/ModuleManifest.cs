using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation.Language;

namespace CertCmdlets.HelpBuilder
{
    /// <summary>The module manifest (CertCmdlets.psd1), read as data with PowerShell's own parser; nothing in it runs.</summary>
    internal static class ModuleManifest
    {
        /// <summary>The names in CmdletsToExport; a manifest that cannot be read is a problem.</summary>
        public static IReadOnlyList<string> ExportedCmdlets(string path, List<string> problems)
        {
            ScriptBlockAst ast = Parser.ParseFile(path, out _, out ParseError[] errors);
            if (errors.Length > 0)
            {
                problems.Add($"{path}({errors[0].Extent.StartLineNumber}): {errors[0].Message}");
                return Array.Empty<string>();
            }

            if (ast.Find(a => a is HashtableAst, searchNestedScriptBlocks: false) is not HashtableAst table || table.SafeGetValue() is not Hashtable manifest)
            {
                problems.Add($"{path}: not a module manifest (one hashtable of data).");
                return Array.Empty<string>();
            }

            return manifest["CmdletsToExport"] switch
            {
                string single => new[] { single },
                object[] many => many.Select(o => o?.ToString() ?? string.Empty).ToList(),
                _ => Array.Empty<string>(),
            };
        }
    }
}
