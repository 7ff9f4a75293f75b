using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using CertCmdlets.Core.Keys;

namespace CertCmdlets
{
    /// <summary>
    /// Tab completion for parameters whose strong choices are few: -KeyAlgorithm, -KeySize, -Curve, -HashAlgorithm,
    /// with a tooltip that says when to take each. The values come from the core (KeyChoices), which checks them.
    /// The parameters are not [ValidateSet]: a weak or unknown choice reaches the core and gets a specific error that
    /// names the strong alternatives (KeySizeTooWeak, HashAlgorithmTooWeak), instead of the binder's generic message.
    /// </summary>
    public sealed class ChoiceCompleter : IArgumentCompleter
    {
        /// <summary>The choices for the parameter that start with what was typed.</summary>
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            IReadOnlyList<KeyChoice>? choices = ChoicesFor(parameterName);
            if (choices is null)
            {
                return Enumerable.Empty<CompletionResult>();
            }

            string typed = CompletionText.Unquote(wordToComplete);
            return choices
                .Where(choice => choice.Value.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                .Select(choice => new CompletionResult(choice.Value, choice.Value, CompletionResultType.ParameterValue, choice.Description))
                .ToList();
        }

        private static IReadOnlyList<KeyChoice>? ChoicesFor(string parameterName)
        {
            switch (parameterName.ToUpperInvariant())
            {
                case "KEYALGORITHM":
                    return KeyChoices.KeyAlgorithms;
                case "KEYSIZE":
                    return KeyChoices.RsaKeySizes;
                case "CURVE":
                    return KeyChoices.Curves;
                case "HASHALGORITHM":
                    return KeyChoices.HashAlgorithms;
                default:
                    return null;
            }
        }
    }
}
