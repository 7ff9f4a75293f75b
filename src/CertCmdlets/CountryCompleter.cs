using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using CertCmdlets.Core.Naming;

namespace CertCmdlets
{
    /// <summary>
    /// Tab completion for -Country: the ISO 3166-1 alpha-2 codes, with the country's English name as the tooltip.
    /// What was typed is matched against the codes first ("G" gives GA, GB...), then against the names ("germ"
    /// gives DE), and a common mistake offers the code it stands for first ("UK" gives GB, then UA for Ukraine). The completion is always the code.
    /// The data is the core's (CountryList); completing loads the core but not BouncyCastle.
    /// </summary>
    public sealed class CountryCompleter : IArgumentCompleter
    {
        /// <summary>The matching country codes.</summary>
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string typed = CompletionText.Unquote(wordToComplete);
            IReadOnlyList<KeyValuePair<string, string>> all = CountryList.All;
            List<KeyValuePair<string, string>> matches = all.Where(c => c.Key.StartsWith(typed, StringComparison.OrdinalIgnoreCase)).ToList();
            if (typed.Length > 0)
            {
                matches.AddRange(all.Where(c => !matches.Contains(c) && NameMatches(c.Value, typed)));
            }

            // A common mistake ("UK", "Deutschland", "USA") offers the code it stands for first.
            if (typed.Length > 1 && CountryList.Suggest(typed) is string suggested && !typed.Equals(suggested, StringComparison.OrdinalIgnoreCase))
            {
                matches.RemoveAll(c => c.Key == suggested);
                matches.InsertRange(0, all.Where(c => c.Key == suggested));
            }

            return matches.Select(c => new CompletionResult(c.Key, c.Key, CompletionResultType.ParameterValue, c.Value)).ToList();
        }

        /// <summary>True when a word of the name starts with the typed text ("kingdom" finds United Kingdom).</summary>
        private static bool NameMatches(string name, string typed) =>
            name.StartsWith(typed, StringComparison.OrdinalIgnoreCase)
            || name.IndexOf(" " + typed, StringComparison.OrdinalIgnoreCase) >= 0;
    }
}
