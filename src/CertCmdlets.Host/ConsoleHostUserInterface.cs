using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;

namespace CertCmdlets.Host
{
    /// <summary>
    /// The user interface of <see cref="ConsoleHost"/>: output, warnings, verbose and debug lines go to standard
    /// output (as pwsh writes them), error lines to standard error (red on a terminal); prompts read standard input.
    /// </summary>
    /// <remarks>
    /// Colors are written only to a terminal, and not when <c>NO_COLOR</c> is set or <c>TERM</c> is <c>dumb</c>.
    /// Choices (<c>-Confirm</c>) are read from the terminal; when standard input is redirected the default choice is
    /// taken. Prompts for values, credentials and secrets need a terminal and otherwise fail with a
    /// <see cref="PSInvalidOperationException"/> that says which value to pass instead.
    /// </remarks>
    public sealed class ConsoleHostUserInterface : PSHostUserInterface
    {
        private readonly ConsoleRawUserInterface _rawUI = new();
        private readonly bool _outputIsTerminal = !Console.IsOutputRedirected;
        private readonly bool _errorIsTerminal = !Console.IsErrorRedirected;
        private readonly bool _inputIsTerminal = !Console.IsInputRedirected;
        private readonly bool _colorsEnabled = ColorsEnabled();
        private bool _progressVisible;

        /// <summary>Gets a value indicating whether an error line has been written (the host's exit code is then 1).</summary>
        public bool HasWrittenErrors { get; private set; }

        /// <inheritdoc/>
        public override PSHostRawUserInterface RawUI => _rawUI;

        /// <summary>
        /// Gets a value indicating whether standard output takes ANSI escape sequences: a terminal, not on Windows
        /// (whose console the host does not switch to virtual-terminal mode), with colors enabled. When false the
        /// <c>$PSStyle</c> decorations of the formatted output (table headers, error accents) are stripped before
        /// writing, as pwsh does for redirected output.
        /// </summary>
        public override bool SupportsVirtualTerminal => UsesAnsi(_outputIsTerminal);

        /// <summary>
        /// Gets or sets a value indicating whether what is written as output goes to standard error as error lines
        /// instead. The host sets it while <c>Out-Default</c> renders a terminating error, so that the error is shown
        /// in pwsh's ConciseView and on standard error.
        /// </summary>
        public bool OutputToError { get; set; }

        /// <inheritdoc/>
        public override void Write(string value)
        {
            WriteOutput(value, null, null, newLine: false);
        }

        /// <inheritdoc/>
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value)
        {
            WriteOutput(value, ExplicitForeground(foregroundColor), ExplicitBackground(backgroundColor), newLine: false);
        }

        /// <inheritdoc/>
        public override void WriteLine()
        {
            WriteOutput(string.Empty, null, null, newLine: true);
        }

        /// <inheritdoc/>
        public override void WriteLine(string value)
        {
            WriteOutput(value, null, null, newLine: true);
        }

        /// <inheritdoc/>
        public override void WriteLine(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value)
        {
            WriteOutput(value, ExplicitForeground(foregroundColor), ExplicitBackground(backgroundColor), newLine: true);
        }

        /// <summary>Writes an error line to standard error, in red on a terminal.</summary>
        /// <param name="value">The line.</param>
        public override void WriteErrorLine(string value)
        {
            WriteError(value, newLine: true);
        }

        /// <summary>Writes <c>WARNING: message</c> to standard output, in yellow on a terminal.</summary>
        /// <param name="message">The warning.</param>
        public override void WriteWarningLine(string message)
        {
            WriteLine(ConsoleColor.Yellow, _rawUI.BackgroundColor, "WARNING: " + message);
        }

        /// <summary>Writes <c>VERBOSE: message</c> to standard output, in yellow on a terminal.</summary>
        /// <param name="message">The verbose message.</param>
        public override void WriteVerboseLine(string message)
        {
            WriteLine(ConsoleColor.Yellow, _rawUI.BackgroundColor, "VERBOSE: " + message);
        }

        /// <summary>Writes <c>DEBUG: message</c> to standard output, in yellow on a terminal.</summary>
        /// <param name="message">The debug message.</param>
        public override void WriteDebugLine(string message)
        {
            WriteLine(ConsoleColor.Yellow, _rawUI.BackgroundColor, "DEBUG: " + message);
        }

        /// <summary>
        /// Forwards an information record. The engine itself writes the records that are to be shown (information
        /// action Continue, Write-Host) through <see cref="WriteLine(string)"/> and <c>Write</c>, so nothing more is
        /// printed here.
        /// </summary>
        /// <param name="record">The record.</param>
        public override void WriteInformation(InformationRecord record)
        {
            base.WriteInformation(record);
        }

        /// <summary>
        /// Shows progress as one line that is rewritten in place, when standard output is a terminal; ignored
        /// otherwise.
        /// </summary>
        /// <param name="sourceId">The source of the record.</param>
        /// <param name="record">The progress record.</param>
        public override void WriteProgress(long sourceId, ProgressRecord record)
        {
            ArgumentNullException.ThrowIfNull(record);
            if (!_outputIsTerminal)
            {
                return;
            }

            if (record.RecordType == ProgressRecordType.Completed)
            {
                ClearProgress();
                return;
            }

            string text = record.PercentComplete >= 0
                ? $"{record.Activity}: {record.StatusDescription} ({record.PercentComplete}%)"
                : $"{record.Activity}: {record.StatusDescription}";
            int width = ProgressWidth();
            if (text.Length > width)
            {
                text = text.Substring(0, width);
            }

            Console.Out.Write("\r" + text.PadRight(width) + "\r");
            _progressVisible = true;
        }

        /// <summary>Reads a line from standard input (an empty string at its end).</summary>
        /// <returns>The line.</returns>
        public override string ReadLine()
        {
            ClearProgress();
            return Console.In.ReadLine() ?? string.Empty;
        }

        /// <summary>Reads a line from the terminal without echoing it.</summary>
        /// <returns>The secret.</returns>
        /// <exception cref="PSInvalidOperationException">Standard input is not a terminal.</exception>
        public override SecureString ReadLineAsSecureString()
        {
            EnsureInteractive("a secure string");
            return ReadSecret();
        }

        /// <summary>Prompts on the terminal for each field (for example the mandatory parameters left unbound).</summary>
        /// <param name="caption">The caption shown first.</param>
        /// <param name="message">The message shown next.</param>
        /// <param name="descriptions">The fields to read.</param>
        /// <returns>The values read, by field name.</returns>
        /// <exception cref="PSInvalidOperationException">Standard input is not a terminal.</exception>
        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions)
        {
            ArgumentNullException.ThrowIfNull(descriptions);
            var names = new List<string>();
            foreach (FieldDescription field in descriptions)
            {
                names.Add(field.Name);
            }

            EnsureInteractive("a value for " + string.Join(", ", names));
            WriteHeader(caption, message);
            var results = new Dictionary<string, PSObject>();
            foreach (FieldDescription field in descriptions)
            {
                string label = string.IsNullOrEmpty(field.Label) ? field.Name : field.Label.Replace("&", string.Empty, StringComparison.Ordinal);
                string typeName = field.ParameterTypeFullName ?? string.Empty;
                if (typeName == typeof(SecureString).FullName)
                {
                    Write(label + ": ");
                    results[field.Name] = PSObject.AsPSObject(ReadSecret());
                }
                else if (typeName == typeof(PSCredential).FullName)
                {
                    results[field.Name] = PSObject.AsPSObject(PromptForCredential(string.Empty, string.Empty, string.Empty, string.Empty));
                }
                else if (typeName.EndsWith("[]", StringComparison.Ordinal))
                {
                    // As pwsh does: one element per line, an empty line ends the array.
                    var values = new List<object>();
                    while (true)
                    {
                        Write($"{label}[{values.Count}]: ");
                        string line = ReadRequiredLine();
                        if (line.Length == 0)
                        {
                            break;
                        }

                        values.Add(line);
                    }

                    results[field.Name] = PSObject.AsPSObject(values.ToArray());
                }
                else
                {
                    Write(label + ": ");
                    results[field.Name] = PSObject.AsPSObject(ReadRequiredLine());
                }
            }

            return results;
        }

        /// <inheritdoc cref="PromptForCredential(string, string, string, string, PSCredentialTypes, PSCredentialUIOptions)"/>
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName)
        {
            return PromptForCredential(caption, message, userName, targetName, PSCredentialTypes.Default, PSCredentialUIOptions.Default);
        }

        /// <summary>Prompts on the terminal for a user name (unless given) and a password.</summary>
        /// <param name="caption">The caption shown first.</param>
        /// <param name="message">The message shown next.</param>
        /// <param name="userName">The user name, or empty to ask for it.</param>
        /// <param name="targetName">Ignored.</param>
        /// <param name="allowedCredentialTypes">Ignored.</param>
        /// <param name="options">Ignored.</param>
        /// <returns>The credential.</returns>
        /// <exception cref="PSInvalidOperationException">Standard input is not a terminal.</exception>
        public override PSCredential PromptForCredential(
            string caption,
            string message,
            string userName,
            string targetName,
            PSCredentialTypes allowedCredentialTypes,
            PSCredentialUIOptions options)
        {
            EnsureInteractive("a credential");
            WriteHeader(caption, message);
            string user = userName ?? string.Empty;
            while (user.Length == 0)
            {
                Write("User: ");
                user = ReadRequiredLine().Trim();
            }

            Write($"Password for user {user}: ");
            return new PSCredential(user, ReadSecret());
        }

        /// <summary>
        /// Shows the choices the way pwsh does and reads the answer from the terminal (an empty answer takes the
        /// default; <c>?</c> shows the help of each choice). When standard input is redirected, or ends, the default
        /// choice is taken.
        /// </summary>
        /// <param name="caption">The caption shown first.</param>
        /// <param name="message">The message shown next.</param>
        /// <param name="choices">The choices; a <c>&amp;</c> marks each one's hot key.</param>
        /// <param name="defaultChoice">The index of the default choice, or -1 for none.</param>
        /// <returns>The index of the choice taken.</returns>
        /// <exception cref="PSInvalidOperationException">No answer can be read and there is no default.</exception>
        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
        {
            ArgumentNullException.ThrowIfNull(choices);
            if (choices.Count == 0)
            {
                throw new ArgumentException("There must be at least one choice.", nameof(choices));
            }

            bool hasDefault = defaultChoice >= 0 && defaultChoice < choices.Count;
            var hotKeys = new string[choices.Count];
            var labels = new string[choices.Count];
            var prompt = new StringBuilder();
            for (int i = 0; i < choices.Count; i++)
            {
                (hotKeys[i], labels[i]) = SplitLabel(choices[i].Label);
                prompt.Append(hotKeys[i].Length > 0 ? $"[{hotKeys[i]}] {labels[i]}  " : $"{labels[i]}  ");
            }

            prompt.Append("[?] Help");
            if (hasDefault)
            {
                string defaultKey = hotKeys[defaultChoice].Length > 0 ? hotKeys[defaultChoice] : labels[defaultChoice];
                prompt.Append($" (default is \"{defaultKey}\")");
            }

            prompt.Append(": ");
            WriteHeader(caption, message);
            while (true)
            {
                Write(prompt.ToString());
                string? answer = _inputIsTerminal ? Console.In.ReadLine() : null;
                if (answer is null)
                {
                    // Standard input is redirected or has ended: no one can answer, so take the default.
                    if (!hasDefault)
                    {
                        WriteLine();
                        throw new PSInvalidOperationException(
                            "A choice is needed but standard input is not a terminal and the prompt has no default: " + message);
                    }

                    WriteLine(hotKeys[defaultChoice].Length > 0 ? hotKeys[defaultChoice] : labels[defaultChoice]);
                    return defaultChoice;
                }

                answer = answer.Trim();
                if (answer.Length == 0 && hasDefault)
                {
                    return defaultChoice;
                }

                if (answer == "?")
                {
                    for (int i = 0; i < choices.Count; i++)
                    {
                        string key = hotKeys[i].Length > 0 ? hotKeys[i] : labels[i];
                        WriteLine($"{key} - {choices[i].HelpMessage}");
                    }

                    continue;
                }

                for (int i = 0; i < choices.Count; i++)
                {
                    if (string.Equals(answer, hotKeys[i], StringComparison.OrdinalIgnoreCase)
                        || string.Equals(answer, labels[i], StringComparison.OrdinalIgnoreCase))
                    {
                        return i;
                    }
                }
            }
        }

        /// <summary>Splits a choice label such as <c>Yes to &amp;All</c> into its hot key (<c>A</c>) and plain label.</summary>
        private static (string HotKey, string Label) SplitLabel(string label)
        {
            int amp = label.IndexOf('&', StringComparison.Ordinal);
            if (amp < 0 || amp == label.Length - 1)
            {
                return (string.Empty, label.Replace("&", string.Empty, StringComparison.Ordinal));
            }

            string hotKey = char.ToUpperInvariant(label[amp + 1]).ToString();
            return (hotKey, label.Remove(amp, 1));
        }

        private static bool ColorsEnabled()
        {
            return string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"))
                && !string.Equals(Environment.GetEnvironmentVariable("TERM"), "dumb", StringComparison.Ordinal);
        }

        private static int AnsiColorCode(ConsoleColor color)
        {
            return color switch
            {
                ConsoleColor.Black => 30,
                ConsoleColor.DarkRed => 31,
                ConsoleColor.DarkGreen => 32,
                ConsoleColor.DarkYellow => 33,
                ConsoleColor.DarkBlue => 34,
                ConsoleColor.DarkMagenta => 35,
                ConsoleColor.DarkCyan => 36,
                ConsoleColor.Gray => 37,
                ConsoleColor.DarkGray => 90,
                ConsoleColor.Red => 91,
                ConsoleColor.Green => 92,
                ConsoleColor.Yellow => 93,
                ConsoleColor.Blue => 94,
                ConsoleColor.Magenta => 95,
                ConsoleColor.Cyan => 96,
                _ => 97,
            };
        }

        private ConsoleColor? ExplicitForeground(ConsoleColor color) => color == _rawUI.ForegroundColor ? null : color;

        private ConsoleColor? ExplicitBackground(ConsoleColor color) => color == _rawUI.BackgroundColor ? null : color;

        private void WriteOutput(string value, ConsoleColor? foreground, ConsoleColor? background, bool newLine)
        {
            if (OutputToError)
            {
                WriteError(value, newLine);
                return;
            }

            ClearProgress();
            WriteColored(Console.Out, _outputIsTerminal, foreground, background, value, newLine);
        }

        private void WriteError(string value, bool newLine)
        {
            HasWrittenErrors = true;
            ClearProgress();

            // Text that carries its own colors ($PSStyle.Formatting.Error in ConciseView) keeps them.
            string text = GetOutputString(value ?? string.Empty, UsesAnsi(_errorIsTerminal));
            ConsoleColor? color = text.Contains('\u001b', StringComparison.Ordinal) ? null : ConsoleColor.Red;
            WriteColored(Console.Error, _errorIsTerminal, color, null, text, newLine);
        }

        /// <summary>Whether ANSI escape sequences are written to a stream (see <see cref="SupportsVirtualTerminal"/>).</summary>
        private bool UsesAnsi(bool isTerminal) => isTerminal && _colorsEnabled && !OperatingSystem.IsWindows();

        /// <summary>
        /// Writes text, in the given colors when the writer is a terminal and colors are enabled; <c>$PSStyle</c>
        /// decorations are stripped when the stream takes no ANSI escape sequences.
        /// </summary>
        private void WriteColored(TextWriter writer, bool isTerminal, ConsoleColor? foreground, ConsoleColor? background, string value, bool newLine)
        {
            value = GetOutputString(value ?? string.Empty, UsesAnsi(isTerminal));
            if (!isTerminal || !_colorsEnabled || (foreground is null && background is null))
            {
                writer.Write(value);
            }
            else if (OperatingSystem.IsWindows())
            {
                ConsoleColor oldForeground = Console.ForegroundColor;
                ConsoleColor oldBackground = Console.BackgroundColor;
                writer.Flush();
                if (foreground is { } fg)
                {
                    Console.ForegroundColor = fg;
                }

                if (background is { } bg)
                {
                    Console.BackgroundColor = bg;
                }

                writer.Write(value);
                writer.Flush();
                Console.ForegroundColor = oldForeground;
                Console.BackgroundColor = oldBackground;
            }
            else
            {
                var codes = new List<int>(2);
                if (foreground is { } fg)
                {
                    codes.Add(AnsiColorCode(fg));
                }

                if (background is { } bg)
                {
                    codes.Add(AnsiColorCode(bg) + 10);
                }

                writer.Write("\u001b[" + string.Join(';', codes) + "m" + value + "\u001b[0m");
            }

            if (newLine)
            {
                writer.WriteLine();
            }
        }

        private int ProgressWidth() => Math.Max(1, _rawUI.BufferSize.Width - 1);

        private void ClearProgress()
        {
            if (_progressVisible)
            {
                _progressVisible = false;
                Console.Out.Write("\r" + new string(' ', ProgressWidth()) + "\r");
            }
        }

        private void WriteHeader(string? caption, string? message)
        {
            if (!string.IsNullOrEmpty(caption))
            {
                WriteLine(caption);
            }

            if (!string.IsNullOrEmpty(message))
            {
                WriteLine(message);
            }
        }

        private void EnsureInteractive(string what)
        {
            if (!_inputIsTerminal)
            {
                throw new PSInvalidOperationException(
                    $"CertCmdlets.Host cannot prompt for {what}: standard input is not a terminal. Pass the value as a parameter instead.");
            }
        }

        /// <summary>Reads a line from the terminal; the end of input stops the prompt instead of looping.</summary>
        private string ReadRequiredLine()
        {
            string? line = Console.In.ReadLine();
            if (line is null)
            {
                WriteLine();
                throw new PSInvalidOperationException("CertCmdlets.Host: standard input ended while a value was being prompted for.");
            }

            return line;
        }

        /// <summary>Reads keys from the terminal up to Enter, echoing '*' for each character.</summary>
        private SecureString ReadSecret()
        {
            var secret = new SecureString();
            while (true)
            {
                ConsoleKeyInfo key = Console.ReadKey(intercept: true);
                if (key.Key == ConsoleKey.Enter)
                {
                    break;
                }

                if (key.Key == ConsoleKey.Backspace)
                {
                    if (secret.Length > 0)
                    {
                        secret.RemoveAt(secret.Length - 1);
                        Console.Out.Write("\b \b");
                    }

                    continue;
                }

                if (key.KeyChar != '\0' && !char.IsControl(key.KeyChar))
                {
                    secret.AppendChar(key.KeyChar);
                    Console.Out.Write('*');
                }
            }

            Console.Out.WriteLine();
            secret.MakeReadOnly();
            return secret;
        }
    }
}
