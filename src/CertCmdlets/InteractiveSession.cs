using System;
using System.Management.Automation.Host;

namespace CertCmdlets
{
    /// <summary>
    /// Whether someone is watching the session, so that progress bars are worth writing. A session is taken as not
    /// interactive, and gets no progress records, when:
    /// <list type="bullet">
    /// <item>its host has no user interface, or is the engine's "Default Host" (a runspace hosted by a program, a test);</item>
    /// <item>the process runs without a desktop (Environment.UserInteractive false: a Windows service, a scheduled task
    /// that runs whether the user is logged on or not);</item>
    /// <item>the host is pwsh's or powershell.exe's console and it was started with -NonInteractive, or its standard
    /// output is redirected (cron, systemd, a CI runner, <c>pwsh -File x.ps1 &gt; log</c>).</item>
    /// </list>
    /// Other hosts with a user interface (the ISE, Visual Studio Code, a program's own host) show progress themselves
    /// and get it. $ProgressPreference still applies on top.
    /// </summary>
    internal static class InteractiveSession
    {
        private const string ConsoleHostName = "ConsoleHost";
        private const string DefaultHostName = "Default Host";

        public static bool IsInteractive(PSHost? host)
        {
            if (host?.UI is null || string.Equals(host.Name, DefaultHostName, StringComparison.Ordinal) || !Environment.UserInteractive)
            {
                return false;
            }

            if (!string.Equals(host.Name, ConsoleHostName, StringComparison.Ordinal))
            {
                return true;
            }

            return !Console.IsOutputRedirected && !StartedNonInteractive(Environment.GetCommandLineArgs());
        }

        /// <summary>
        /// True when pwsh's (or powershell.exe's) own parameters, before the command or script and its arguments, hold
        /// -NonInteractive, written as pwsh accepts it: any prefix from -noni, with -, -- or / (Windows).
        /// </summary>
        internal static bool StartedNonInteractive(string[] arguments)
        {
            for (int i = 1; i < arguments.Length; i++)
            {
                string argument = arguments[i];
                if (argument.Length < 2 || (argument[0] != '-' && argument[0] != '/'))
                {
                    continue;
                }

                string name = argument.TrimStart('-', '/').ToLowerInvariant();
                if (name.Length >= 4 && "noninteractive".StartsWith(name, StringComparison.Ordinal))
                {
                    return true;
                }

                // What follows -Command, -File, -EncodedCommand or -CommandWithArgs belongs to the script.
                if (IsPrefixOf(name, "command", 1) || IsPrefixOf(name, "file", 1) || IsPrefixOf(name, "encodedcommand", 1) || name == "ec" || name == "cwa" || IsPrefixOf(name, "commandwithargs", 8))
                {
                    return false;
                }
            }

            return false;
        }

        private static bool IsPrefixOf(string name, string parameter, int minimumLength) =>
            name.Length >= minimumLength && parameter.StartsWith(name, StringComparison.Ordinal);
    }
}
