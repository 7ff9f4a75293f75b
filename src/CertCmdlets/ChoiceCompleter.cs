using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace CertCmdlets
{
    /// <summary>
    /// Tab completion for parameters whose strong choices are few (KeyAlgorithm, Curve, HashAlgorithm).
    /// The parameters stay strings so that a weak or unknown choice reaches the core and gets a specific
    /// error that names the strong alternatives, instead of the binder's generic message.
    /// </summary>
    public sealed class ChoiceCompleter : IArgumentCompleter
    {
        private static readonly IReadOnlyDictionary<string, string[]> s_choices = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
        {
            ["KeyAlgorithm"] = new[] { "RSA", "ECDSA" },
            ["Curve"] = new[] { "P256", "P384", "P521" },
            ["HashAlgorithm"] = new[] { "SHA256", "SHA384", "SHA512" },
        };

        /// <summary>The choices for the parameter that start with what was typed.</summary>
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            if (!s_choices.TryGetValue(parameterName, out string[]? choices))
            {
                return Enumerable.Empty<CompletionResult>();
            }

            string typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
            return choices
                .Where(choice => choice.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                .Select(choice => new CompletionResult(choice, choice, CompletionResultType.ParameterValue, choice));
        }
    }
}
