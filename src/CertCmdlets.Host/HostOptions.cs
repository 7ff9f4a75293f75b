using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Management.Automation.Runspaces;

namespace CertCmdlets.Host
{
    /// <summary>
    /// The parsed command line of <c>certcmdlets-host</c>:
    /// <c>certcmdlets-host [-Module &lt;path&gt;] [-NoModule] (-File &lt;script.ps1&gt; [script args...] | -Command &lt;text&gt;)</c>, or <c>-Help</c>.
    /// </summary>
    /// <remarks>
    /// Host options are case-insensitive, take one or two leading dashes, and must come before <c>-File</c> or
    /// <c>-Command</c> (short forms: <c>-f</c>, <c>-c</c>, <c>-h</c>, <c>-?</c>). Everything after <c>-File &lt;path&gt;</c> belongs to
    /// the script and is bound the way <c>pwsh -File</c> binds it; everything after <c>-Command</c> is joined with
    /// spaces into the command text (<c>-Command -</c> reads the text from standard input).
    /// </remarks>
    public sealed class HostOptions
    {
        /// <summary>The usage text printed by <c>-Help</c>.</summary>
        public const string Usage =
            """
            Usage:
              certcmdlets-host [-Module <path>] [-NoModule] -File <script.ps1> [script arguments...]
              certcmdlets-host [-Module <path>] [-NoModule] -Command <text...>
              certcmdlets-host -Help

            Runs a PowerShell script or command with the CertCmdlets module imported, on the
            PowerShell engine built into this program (no pwsh needed). Output is formatted the
            way pwsh formats it.

            Options:
              -Module <path>   The module to import (a .psd1 manifest, or any path Import-Module
                               accepts). Default: the CertCmdlets.psd1 found by walking up from
                               this program's directory, then from the current directory.
              -NoModule        Import no module.
              -File <path>     Run this script file. The arguments after it are passed to the
                               script as pwsh -File passes them: '-Name value' and '-Name:value'
                               bind named parameters, a '-Switch' followed by another -Name or by
                               nothing binds a switch, anything else is a positional argument.
              -Command <text>  Run this PowerShell text (all remaining arguments, joined with
                               spaces). '-Command -' reads the text from standard input.
              -Help            Show this help.

            Exit codes:
              0    success
              1    an error was written, or a terminating error stopped the script
              N    the script ran 'exit N'
              2    bad command line, module or script not found, module failed to import
              130  stopped by Ctrl+C
            """;

        private readonly List<CommandParameter> _scriptArguments = new();

        private HostOptions()
        {
        }

        /// <summary>Gets the module path given with <c>-Module</c>, or <see langword="null"/> for the default.</summary>
        public string? ModulePath { get; private set; }

        /// <summary>Gets a value indicating whether <c>-NoModule</c> was given.</summary>
        public bool NoModule { get; private set; }

        /// <summary>Gets the script path given with <c>-File</c>, as typed.</summary>
        public string? File { get; private set; }

        /// <summary>Gets the command text given with <c>-Command</c> (<c>-</c> means: read it from standard input).</summary>
        public string? Command { get; private set; }

        /// <summary>Gets a value indicating whether <c>-Help</c> was given.</summary>
        public bool ShowHelp { get; private set; }

        /// <summary>
        /// Gets the arguments for the <c>-File</c> script, ready to add to the script's
        /// <see cref="System.Management.Automation.Runspaces.Command"/>: a parameter name alone (<c>-Name</c>)
        /// lets the engine's binder take the next argument as its value, or bind a switch.
        /// </summary>
        public IReadOnlyList<CommandParameter> ScriptArguments => _scriptArguments;

        /// <summary>Parses the command line.</summary>
        /// <param name="args">The process arguments.</param>
        /// <param name="options">The options, when the command line is valid.</param>
        /// <param name="error">What is wrong with the command line, when it is not.</param>
        /// <returns><see langword="true"/> when the command line is valid.</returns>
        public static bool TryParse(
            IReadOnlyList<string> args,
            [NotNullWhen(true)] out HostOptions? options,
            [NotNullWhen(false)] out string? error)
        {
            ArgumentNullException.ThrowIfNull(args);
            options = null;
            var result = new HostOptions();
            int i = 0;
            while (i < args.Count)
            {
                string arg = args[i];
                string? name = OptionName(arg);
                switch (name)
                {
                    case "help" or "h" or "?":
                        result.ShowHelp = true;
                        i++;
                        break;
                    case "nomodule":
                        result.NoModule = true;
                        i++;
                        break;
                    case "module":
                        if (i + 1 >= args.Count || args[i + 1].Length == 0)
                        {
                            error = "-Module needs a path.";
                            return false;
                        }

                        result.ModulePath = args[i + 1];
                        i += 2;
                        break;
                    case "file" or "f":
                        if (i + 1 >= args.Count || args[i + 1].Length == 0)
                        {
                            error = "-File needs a script path.";
                            return false;
                        }

                        result.File = args[i + 1];
                        for (int j = i + 2; j < args.Count; j++)
                        {
                            j = result.AddScriptArgument(args, j);
                        }

                        i = args.Count;
                        break;
                    case "command" or "c":
                        if (i + 1 >= args.Count)
                        {
                            error = "-Command needs the command text.";
                            return false;
                        }

                        result.Command = string.Join(' ', Slice(args, i + 1));
                        i = args.Count;
                        break;
                    default:
                        error = $"Unknown argument '{arg}'.";
                        return false;
                }
            }

            if (result.ShowHelp)
            {
                options = result;
                error = null;
                return true;
            }

            if (result.NoModule && result.ModulePath is not null)
            {
                error = "-Module and -NoModule cannot be used together.";
                return false;
            }

            if (result.File is null && result.Command is null)
            {
                error = "Give -File <script.ps1> or -Command <text>.";
                return false;
            }

            options = result;
            error = null;
            return true;
        }

        /// <summary>Adds the script argument at <paramref name="index"/>; returns the index of the last argument consumed.</summary>
        private int AddScriptArgument(IReadOnlyList<string> args, int index)
        {
            string arg = args[index];
            if (!IsParameterName(arg))
            {
                _scriptArguments.Add(new CommandParameter(null, arg));
                return index;
            }

            int colon = arg.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                // "-Name": the binder pairs it with the next argument, or binds a switch.
                _scriptArguments.Add(new CommandParameter(arg));
                return index;
            }

            if (colon == arg.Length - 1)
            {
                // "-Name: value": the value is the next argument (or $true if there is none).
                if (index + 1 < args.Count)
                {
                    _scriptArguments.Add(new CommandParameter(arg, ConvertValue(args[index + 1])));
                    return index + 1;
                }

                _scriptArguments.Add(new CommandParameter(arg, true));
                return index;
            }

            // "-Name:value" (pwsh -File turns $true/$false into booleans, so -Switch:$false works).
            _scriptArguments.Add(new CommandParameter(arg.Substring(0, colon + 1), ConvertValue(arg.Substring(colon + 1))));
            return index;
        }

        private static object ConvertValue(string value)
        {
            if (string.Equals(value, "$true", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (string.Equals(value, "$false", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            return value;
        }

        /// <summary>Whether a script argument is a parameter name: a dash and a name, not a negative number.</summary>
        private static bool IsParameterName(string arg)
        {
            if (arg.Length < 2 || arg[0] != '-' || arg[1] == ':')
            {
                return false;
            }

            return !double.TryParse(arg, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
        }

        /// <summary>The lower-case name of a host option (<c>-Name</c>, <c>--name</c>, <c>/?</c>), or <see langword="null"/>.</summary>
        private static string? OptionName(string arg)
        {
            if (arg == "/?")
            {
                return "?";
            }

            string trimmed = arg.StartsWith("--", StringComparison.Ordinal) ? arg.Substring(2) : arg.StartsWith('-') ? arg.Substring(1) : string.Empty;
            return trimmed.Length == 0 ? null : trimmed.ToLowerInvariant();
        }

        private static IEnumerable<string> Slice(IReadOnlyList<string> args, int start)
        {
            for (int i = start; i < args.Count; i++)
            {
                yield return args[i];
            }
        }
    }
}
