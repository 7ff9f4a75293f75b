using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace CertCmdlets.Tests.Infrastructure
{
    /// <summary>What one script run produced, stream by stream.</summary>
    public sealed class PowerShellResult
    {
        public PowerShellResult(Collection<PSObject> output, IReadOnlyList<ErrorRecord> errors, IReadOnlyList<string> warnings, IReadOnlyList<string> verbose, RuntimeException? terminating)
        {
            Output = output;
            Errors = errors;
            Warnings = warnings;
            Verbose = verbose;
            Terminating = terminating;
        }

        public Collection<PSObject> Output { get; }

        public IReadOnlyList<ErrorRecord> Errors { get; }

        public IReadOnlyList<string> Warnings { get; }

        public IReadOnlyList<string> Verbose { get; }

        public RuntimeException? Terminating { get; }

        /// <summary>All error ids, terminating one included, as FullyQualifiedErrorId.</summary>
        public IEnumerable<string> ErrorIds => Errors.Select(e => e.FullyQualifiedErrorId)
            .Concat(Terminating is null ? Enumerable.Empty<string>() : new[] { Terminating.ErrorRecord.FullyQualifiedErrorId });

        public void AssertSuccess()
        {
            if (Terminating is not null || Errors.Count > 0)
            {
                string details = string.Join(Environment.NewLine, Errors.Select(e => $"{e.FullyQualifiedErrorId}: {e}"));
                if (Terminating is not null)
                {
                    ErrorRecord record = Terminating.ErrorRecord;
                    details += Environment.NewLine + $"terminating {record.FullyQualifiedErrorId}: {Terminating.Message}";
                    if (record.TargetObject is IDictionary should && should.Contains("File") && should.Contains("Line"))
                    {
                        // A failed Should: Pester's error names the script line that asserted (the position is Pester's own throw).
                        details += Environment.NewLine + $"at {should["File"]}:{should["Line"]}: {should["LineText"]?.ToString()?.Trim()}";
                    }
                    else if (record.InvocationInfo?.PositionMessage is { Length: > 0 } position)
                    {
                        details += Environment.NewLine + position;
                    }

                    details += Environment.NewLine + record.ScriptStackTrace;
                }

                throw new Xunit.Sdk.XunitException("The script failed:" + Environment.NewLine + details);
            }
        }
    }

    /// <summary>
    /// A runspace of the real engine (Microsoft.PowerShell.SDK: pwsh's engine and its Utility, Management and Security
    /// cmdlets) with the module imported from the checkout's root manifest, exactly as `Import-Module ./CertCmdlets.psd1`
    /// does for a user; with <c>importPester</c>, Pester too, so that scripts can use Should.
    /// </summary>
    public sealed class PowerShellSession : IDisposable
    {
        private readonly Runspace _runspace;

        public PowerShellSession(string? location = null, bool importModule = true, bool importPester = false)
            : this(RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2()), location, importModule, importPester)
        {
        }

        /// <summary>A session on a runspace the caller made (a custom host, for instance); the session opens and owns it.</summary>
        public PowerShellSession(Runspace runspace, string? location = null, bool importModule = true, bool importPester = false)
        {
            _runspace = runspace;
            _runspace.Open();
            if (importPester)
            {
                Run("Import-Module -Name $args[0] -ErrorAction Stop", Pester.Manifest).AssertSuccess();
            }

            if (location is not null)
            {
                Run("$null = $ExecutionContext.SessionState.Path.SetLocation($args[0])", location).AssertSuccess();
            }

            if (importModule)
            {
                Run("Import-Module -Name $args[0] -ErrorAction Stop", Repository.Manifest).AssertSuccess();
            }
        }

        /// <summary>Runs a script with positional arguments ($args).</summary>
        public PowerShellResult Run(string script, params object?[] arguments)
        {
            using PowerShell shell = PowerShell.Create();
            shell.Runspace = _runspace;
            shell.AddScript(script);
            foreach (object? argument in arguments)
            {
                shell.AddArgument(argument);
            }

            return Invoke(shell);
        }

        /// <summary>Runs a script with named parameters (the script declares a param block).</summary>
        public PowerShellResult RunWith(string script, IDictionary parameters)
        {
            using PowerShell shell = PowerShell.Create();
            shell.Runspace = _runspace;
            shell.AddScript(script).AddParameters(parameters);
            return Invoke(shell);
        }

        /// <summary>Runs a scenario script file from tests/Scenarios with named parameters.</summary>
        public PowerShellResult RunScenario(string fileName, IDictionary parameters)
        {
            using PowerShell shell = PowerShell.Create();
            shell.Runspace = _runspace;
            shell.AddCommand(System.IO.Path.Combine(Repository.Scenarios, fileName)).AddParameters(parameters);
            return Invoke(shell);
        }

        public void Dispose() => _runspace.Dispose();

        /// <summary>Runs a prepared pipeline and collects every stream (shared with the Apache scenario runner).</summary>
        internal static PowerShellResult Invoke(PowerShell shell)
        {
            Collection<PSObject> output = new Collection<PSObject>();
            RuntimeException? terminating = null;
            try
            {
                output = shell.Invoke();
            }
            catch (RuntimeException ex)
            {
                terminating = ex;
            }

            return new PowerShellResult(
                output,
                shell.Streams.Error.ToList(),
                shell.Streams.Warning.Select(w => w.Message).ToList(),
                shell.Streams.Verbose.Select(v => v.Message).ToList(),
                terminating);
        }
    }
}
