using System;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;

namespace CertCmdlets.Host
{
    /// <summary>
    /// The PowerShell host of <c>certcmdlets-host</c>: a console host for running one script or command, whose user
    /// interface (<see cref="ConsoleHostUserInterface"/>) lets <c>Out-Default</c> print formatted output, errors,
    /// warnings, verbose and debug messages as pwsh does.
    /// </summary>
    public sealed class ConsoleHost : PSHost
    {
        private static readonly Guid s_instanceId = new("5b0c5c7e-1f3d-4a8e-9c61-3f4d2a7b8e10");

        private readonly ConsoleHostUserInterface _ui = new();
        private readonly CultureInfo _culture = CultureInfo.CurrentCulture;
        private readonly CultureInfo _uiCulture = CultureInfo.CurrentUICulture;
        private readonly Version _version = typeof(ConsoleHost).Assembly.GetName().Version ?? new Version(0, 0);

        /// <summary>Gets the host's name, <c>CertCmdlets.Host</c> (what <c>$Host.Name</c> shows).</summary>
        public override string Name => "CertCmdlets.Host";

        /// <summary>Gets the host's version: the version of this assembly.</summary>
        public override Version Version => _version;

        /// <summary>Gets the host's fixed instance identifier.</summary>
        public override Guid InstanceId => s_instanceId;

        /// <summary>Gets the host's user interface.</summary>
        public override PSHostUserInterface UI => _ui;

        /// <summary>Gets the host's user interface with its concrete type.</summary>
        public ConsoleHostUserInterface ConsoleUI => _ui;

        /// <summary>Gets the culture the process started with.</summary>
        public override CultureInfo CurrentCulture => _culture;

        /// <summary>Gets the UI culture the process started with.</summary>
        public override CultureInfo CurrentUICulture => _uiCulture;

        /// <summary>Gets a value indicating whether the engine asked the host to exit (<c>exit</c> at the top level of a command).</summary>
        public bool ShouldExit { get; private set; }

        /// <summary>Gets the exit code the engine asked for; meaningful when <see cref="ShouldExit"/> is true.</summary>
        public int ExitCode { get; private set; }

        /// <summary>Records the exit code; the host exits with it once the running pipeline ends.</summary>
        /// <param name="exitCode">The exit code.</param>
        public override void SetShouldExit(int exitCode)
        {
            ShouldExit = true;
            ExitCode = exitCode;
        }

        /// <summary>Not supported: the host runs one script or command and has no interactive prompt.</summary>
        /// <exception cref="PSNotSupportedException">Always.</exception>
        public override void EnterNestedPrompt()
        {
            throw new PSNotSupportedException("CertCmdlets.Host has no interactive prompt, so it cannot enter a nested prompt.");
        }

        /// <summary>Not supported: see <see cref="EnterNestedPrompt"/>.</summary>
        /// <exception cref="PSNotSupportedException">Always.</exception>
        public override void ExitNestedPrompt()
        {
            throw new PSNotSupportedException("CertCmdlets.Host has no interactive prompt, so it has no nested prompt to exit.");
        }

        /// <summary>Called before a native application runs; nothing to do.</summary>
        public override void NotifyBeginApplication()
        {
        }

        /// <summary>Called after a native application ran; nothing to do.</summary>
        public override void NotifyEndApplication()
        {
        }
    }
}
