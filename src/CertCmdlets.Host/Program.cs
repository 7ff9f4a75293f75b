using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using System.Threading;
using Microsoft.PowerShell;

namespace CertCmdlets.Host
{
    /// <summary>
    /// <c>certcmdlets-host</c>: runs a PowerShell script or command on the engine of the System.Management.Automation
    /// package, with the CertCmdlets module imported, and prints the results through <c>Out-Default</c> as pwsh does.
    /// </summary>
    internal static class Program
    {
        private const int ExitSuccess = 0;
        private const int ExitFailure = 1;
        private const int ExitUsage = 2;
        private const int ExitInterrupted = 130;
        private const string ManifestName = "CertCmdlets.psd1";

        private static PowerShell? s_running;
        private static int s_interrupted;

        private static bool Interrupted => Volatile.Read(ref s_interrupted) != 0;

        private static int Main(string[] args)
        {
            if (!HostOptions.TryParse(args, out HostOptions? options, out string? error))
            {
                Console.Error.WriteLine("certcmdlets-host: " + error);
                Console.Error.WriteLine("Run 'certcmdlets-host -Help' for usage.");
                return ExitUsage;
            }

            if (options.ShowHelp)
            {
                Console.Out.WriteLine(HostOptions.Usage);
                return ExitSuccess;
            }

            string? modulePath = null;
            if (!options.NoModule)
            {
                modulePath = options.ModulePath is null ? FindManifest() : Path.GetFullPath(options.ModulePath);
                if (modulePath is null)
                {
                    Console.Error.WriteLine(
                        $"certcmdlets-host: cannot find {ManifestName} in '{AppContext.BaseDirectory}' or '{Environment.CurrentDirectory}', "
                        + "nor in any folder above them. Pass -Module <path-to-psd1>, or -NoModule to run without the module.");
                    return ExitUsage;
                }

                if (!File.Exists(modulePath) && !Directory.Exists(modulePath))
                {
                    Console.Error.WriteLine($"certcmdlets-host: the module '{modulePath}' does not exist.");
                    return ExitUsage;
                }
            }

            string? scriptPath = null;
            if (options.File is not null)
            {
                scriptPath = Path.GetFullPath(options.File);
                if (!File.Exists(scriptPath))
                {
                    Console.Error.WriteLine($"certcmdlets-host: the script file '{scriptPath}' does not exist.");
                    return ExitUsage;
                }
            }

            string? commandText = options.Command == "-" ? Console.In.ReadToEnd() : options.Command;

            Console.CancelKeyPress += OnCancelKeyPress;
            try
            {
                return Run(modulePath, scriptPath, options.ScriptArguments, commandText);
            }
            finally
            {
                Console.CancelKeyPress -= OnCancelKeyPress;
            }
        }

        private static int Run(string? modulePath, string? scriptPath, IReadOnlyList<CommandParameter> scriptArguments, string? commandText)
        {
            var host = new ConsoleHost();
            InitialSessionState iss = InitialSessionState.CreateDefault2();
            if (OperatingSystem.IsWindows())
            {
                iss.ExecutionPolicy = ExecutionPolicy.Bypass;
            }

            using Runspace runspace = RunspaceFactory.CreateRunspace(host, iss);
            runspace.Open();
            runspace.SessionStateProxy.Path.SetLocation(WildcardPattern.Escape(Environment.CurrentDirectory));

            if (modulePath is not null)
            {
                using PowerShell import = PowerShell.Create(runspace);
                import.AddCommand("Import-Module").AddParameter("Name", modulePath).AddParameter("ErrorAction", ActionPreference.Stop);
                if (!Invoke(import, runspace, host))
                {
                    return Interrupted ? ExitInterrupted : ExitUsage;
                }
            }

            using PowerShell ps = PowerShell.Create(runspace);
            if (scriptPath is not null)
            {
                // As pwsh -File does: the script runs in the global scope, its arguments bound by the engine.
                var command = new Command(scriptPath, isScript: false, useLocalScope: false);
                foreach (CommandParameter argument in scriptArguments)
                {
                    command.Parameters.Add(argument);
                }

                ps.Commands.AddCommand(command);
            }
            else
            {
                // Parsed here first so that a syntax error is reported with its position, as pwsh reports it.
                commandText ??= string.Empty;
                Parser.ParseInput(commandText, out _, out ParseError[] parseErrors);
                if (parseErrors.Length > 0)
                {
                    WriteTerminatingError(runspace, host, new ParseException(parseErrors));
                    return ExitFailure;
                }

                ps.AddScript(commandText, useLocalScope: false);
            }

            // LASTEXITCODE becomes an int when the script calls 'exit N'.
            runspace.SessionStateProxy.SetVariable("LASTEXITCODE", null);
            bool completed = Invoke(ps, runspace, host);

            if (Interrupted)
            {
                return ExitInterrupted;
            }

            if (host.ShouldExit)
            {
                return host.ExitCode;
            }

            if (!completed)
            {
                return ExitFailure;
            }

            object? lastExitCode = runspace.SessionStateProxy.GetVariable("LASTEXITCODE");
            if (lastExitCode is PSObject wrapped)
            {
                lastExitCode = wrapped.BaseObject;
            }

            if (lastExitCode is int exitCode)
            {
                return exitCode;
            }

            return host.ConsoleUI.HasWrittenErrors ? ExitFailure : ExitSuccess;
        }

        /// <summary>
        /// Runs the commands in <paramref name="ps"/> piped to <c>Out-Default</c>, with their error records merged
        /// into the output so that <c>Out-Default</c> prints them too (on standard error, as pwsh's ConciseView shows
        /// them). A terminating error is printed the same way.
        /// </summary>
        /// <returns><see langword="false"/> when a terminating error or Ctrl+C stopped the commands.</returns>
        private static bool Invoke(PowerShell ps, Runspace runspace, ConsoleHost host)
        {
            ps.Commands.Commands[0].MergeMyResults(PipelineResultTypes.Error, PipelineResultTypes.Output);
            ps.AddCommand("Out-Default");
            Volatile.Write(ref s_running, ps);
            try
            {
                if (Interrupted)
                {
                    return false;
                }

                ps.Invoke();
                return !Interrupted;
            }
            catch (PipelineStoppedException) when (Interrupted)
            {
                return false;
            }
            catch (RuntimeException exception)
            {
                WriteTerminatingError(runspace, host, exception);
                return false;
            }
            finally
            {
                Volatile.Write(ref s_running, null);
            }
        }

        /// <summary>
        /// Prints a terminating error on standard error as pwsh does (<c>Out-Default</c> renders it in ConciseView),
        /// followed by its error identifier when the message does not already say it.
        /// </summary>
        private static void WriteTerminatingError(Runspace runspace, ConsoleHost host, RuntimeException exception)
        {
            ErrorRecord record = exception.ErrorRecord;
            host.ConsoleUI.OutputToError = true;
            try
            {
                using PowerShell ps = PowerShell.Create(runspace);
                ps.AddCommand("Out-Default");
                ps.Invoke(new[] { record });
            }
            catch (RuntimeException)
            {
                host.UI.WriteErrorLine(exception.Message);
            }
            finally
            {
                host.ConsoleUI.OutputToError = false;
            }

            if (!string.Equals(record.FullyQualifiedErrorId, exception.Message, StringComparison.Ordinal))
            {
                host.UI.WriteErrorLine("ErrorId: " + record.FullyQualifiedErrorId);
            }
        }

        /// <summary>The CertCmdlets.psd1 in the executable's folder or one above it, else in the current folder or one above it.</summary>
        private static string? FindManifest()
        {
            return FindUpwards(AppContext.BaseDirectory) ?? FindUpwards(Environment.CurrentDirectory);
        }

        private static string? FindUpwards(string start)
        {
            for (DirectoryInfo? directory = new(start); directory is not null; directory = directory.Parent)
            {
                string candidate = Path.Combine(directory.FullName, ManifestName);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            return null;
        }

        /// <summary>
        /// Ctrl+C stops the running pipeline (the host then exits with 130); a second Ctrl+C is left to the runtime,
        /// which ends the process.
        /// </summary>
        private static void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
        {
            if (Interlocked.Exchange(ref s_interrupted, 1) != 0)
            {
                return;
            }

            e.Cancel = true;
            Volatile.Read(ref s_running)?.BeginStop(null, null);
        }
    }
}
