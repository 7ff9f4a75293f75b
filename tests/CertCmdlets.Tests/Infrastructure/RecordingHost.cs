using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;

namespace CertCmdlets.Tests.Infrastructure
{
    /// <summary>
    /// A non-interactive host that keeps everything written to its UI. -WhatIf messages ("What if: ...") reach only
    /// the host, never a stream, so this is how a test reads the diff Set-ApacheSsl -WhatIf shows.
    /// </summary>
    public sealed class RecordingHost : PSHost
    {
        private readonly RecordingHostUserInterface _ui = new RecordingHostUserInterface();

        public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;

        public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;

        public override Guid InstanceId { get; } = Guid.NewGuid();

        public override string Name => "CertCmdlets.Tests.RecordingHost";

        public override PSHostUserInterface UI => _ui;

        public override Version Version => new Version(1, 0);

        /// <summary>Everything written to the UI so far.</summary>
        public string Text => _ui.Text;

        public override void EnterNestedPrompt() => throw new NotSupportedException("The recording host is not interactive.");

        public override void ExitNestedPrompt() => throw new NotSupportedException("The recording host is not interactive.");

        public override void NotifyBeginApplication()
        {
        }

        public override void NotifyEndApplication()
        {
        }

        public override void SetShouldExit(int exitCode)
        {
        }

        private sealed class RecordingHostUserInterface : PSHostUserInterface
        {
            private readonly StringBuilder _text = new StringBuilder();

            public string Text
            {
                get
                {
                    lock (_text)
                    {
                        return _text.ToString();
                    }
                }
            }

            public override PSHostRawUserInterface RawUI => null!;

            public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) =>
                throw new NotSupportedException("The recording host cannot prompt: " + message);

            public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) =>
                throw new NotSupportedException("The recording host cannot prompt: " + message);

            public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
                throw new NotSupportedException("The recording host cannot prompt: " + message);

            public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
                throw new NotSupportedException("The recording host cannot prompt: " + message);

            public override string ReadLine() => throw new NotSupportedException("The recording host cannot read input.");

            public override SecureString ReadLineAsSecureString() => throw new NotSupportedException("The recording host cannot read input.");

            public override void Write(string value) => Append(value);

            public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Append(value);

            public override void WriteLine(string value) => Append(value + "\n");

            public override void WriteDebugLine(string message) => Append("DEBUG: " + message + "\n");

            public override void WriteErrorLine(string value) => Append("ERROR: " + value + "\n");

            public override void WriteProgress(long sourceId, ProgressRecord record)
            {
            }

            public override void WriteVerboseLine(string message) => Append("VERBOSE: " + message + "\n");

            public override void WriteWarningLine(string message) => Append("WARNING: " + message + "\n");

            private void Append(string value)
            {
                lock (_text)
                {
                    _text.Append(value);
                }
            }
        }
    }
}
