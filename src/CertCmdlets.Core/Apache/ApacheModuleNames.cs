using System;
using System.Collections.Generic;
using System.IO;

namespace CertCmdlets.Core.Apache
{
    /// <summary>
    /// The names under which &lt;IfModule&gt; finds a module. httpd's find_module() accepts the module's source file
    /// name (its <c>module-&gt;name</c>, "mod_ssl.c", what <c>httpd -l</c> lists) and its symbol ("ssl_module", what
    /// LoadModule names); the two are tied by Apache's naming convention, with a few exceptions (the MPMs are
    /// "event.c"/"mpm_event_module", http_core.c is "http_module").
    /// </summary>
    internal static class ApacheModuleNames
    {
        /// <summary>What every httpd 2.4 has compiled in, assumed when the program cannot be asked (<c>httpd -l</c>).</summary>
        public static readonly IReadOnlyList<string> MinimalCompiledIn = new[] { "core.c", "http_core.c", "mod_so.c" };

        /// <summary>Both names of a module httpd lists as compiled in ("mod_ssl.c" gives "mod_ssl.c" and "ssl_module").</summary>
        public static IEnumerable<string> ForSourceName(string source)
        {
            yield return source;
            string? symbol = SymbolOf(source);
            if (symbol is not null)
            {
                yield return symbol;
            }
        }

        /// <summary>Both names of a module a LoadModule line loads ("ssl_module modules/mod_ssl.so").</summary>
        public static IEnumerable<string> ForLoadModule(string symbol, string file)
        {
            yield return symbol;
            if (symbol.EndsWith("_module", StringComparison.Ordinal) && symbol.Length > "_module".Length)
            {
                string stem = symbol.Substring(0, symbol.Length - "_module".Length);
                yield return stem.StartsWith("mpm_", StringComparison.Ordinal) ? stem.Substring(4) + ".c" : "mod_" + stem + ".c";
            }

            string fileName = Path.GetFileName(file.Replace('\\', '/'));
            if (fileName.EndsWith(".so", StringComparison.OrdinalIgnoreCase) && fileName.StartsWith("mod_", StringComparison.Ordinal))
            {
                yield return fileName.Substring(0, fileName.Length - 3) + ".c";
            }
        }

        private static string? SymbolOf(string source)
        {
            if (!source.EndsWith(".c", StringComparison.Ordinal))
            {
                return null;
            }

            string stem = source.Substring(0, source.Length - 2);
            switch (stem)
            {
                case "core":
                    return "core_module";
                case "http_core":
                    return "http_module";
                case "event":
                case "worker":
                case "prefork":
                case "mpm_winnt":
                    return (stem.StartsWith("mpm_", StringComparison.Ordinal) ? stem : "mpm_" + stem) + "_module";
                default:
                    return stem.StartsWith("mod_", StringComparison.Ordinal) ? stem.Substring(4) + "_module" : null;
            }
        }
    }
}
