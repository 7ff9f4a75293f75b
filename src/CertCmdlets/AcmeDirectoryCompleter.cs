using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using CertCmdlets.Core.Acme;

namespace CertCmdlets
{
    /// <summary>
    /// Tab completion for -Directory: the known CAs by name (LetsEncrypt, LetsEncryptStaging, ZeroSSL, ...), each shown
    /// with its URL. The parameter stays a string, so any https directory URL can be given too.
    /// </summary>
    public sealed class AcmeDirectoryCompleter : IArgumentCompleter
    {
        /// <summary>The known directory names that start with what was typed.</summary>
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
            return AcmeDirectories.Names
                .Where(name => name.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                .Select(name => new CompletionResult(name, name, CompletionResultType.ParameterValue, AcmeDirectories.UrlOf(name)));
        }
    }
}
