using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using CertCmdlets.Core;
using CertCmdlets.Core.Acme;

namespace CertCmdlets
{
    /// <summary>
    /// What the ACME cmdlets share: where the accounts are kept, which roots to trust for a private CA, how long to wait,
    /// Ctrl+C (a cancellation token from BeginProcessing, cancelled in StopProcessing), one session per run (its HTTPS
    /// connections reused across the pipeline), and the rule that failures of the CA or the account end the command
    /// while failures of one input are reported and the pipeline goes on.
    /// </summary>
    public abstract class AcmeCommandBase : CertCmdletBase, IDisposable
    {
        /// <summary>Errors after which no other input can succeed: the command stops.</summary>
        private static readonly HashSet<string> s_wholeCommandErrors = new HashSet<string>(StringComparer.Ordinal)
        {
            "AcmeDirectoryInvalid", "AcmeServerUnreachable", "AcmeServerNotTrusted", "AcmeRedirectRefused", "AcmeResponseInvalid",
            "AcmeTermsOfServiceNotAccepted", "AcmeExternalAccountRequired", "AcmeExternalAccountRejected", "AcmeExternalAccountKeyInvalid",
            "AcmeExternalAccountIncomplete", "AcmeAccountNotFound", "AcmeAccountDeactivated", "AcmeAccountDoesNotExist",
            "AcmeAccountStateInvalid", "AcmeAccountStateWriteFailed", "AcmeAccountKeyAlgorithmUnsupported", "AcmeContactInvalid",
            "AcmeListenerFailed", "AcmeDnsResolverInvalid",
        };

        private readonly Dictionary<string, AcmeSession> _sessions = new Dictionary<string, AcmeSession>(StringComparer.Ordinal);
        private CancellationTokenSource? _cancellation;
        private IReadOnlyList<CertificateInfo>? _trustedRoots;

        #region Parameters

        /// <summary>
        /// <para type="description">The folder holding the saved ACME accounts. Default: $env:CERTCMDLETS_ACME_STATE, else per user ~/.local/share/CertCmdlets/acme (or $XDG_DATA_HOME) on Linux, ~/Library/Application Support/CertCmdlets/acme on macOS, %LOCALAPPDATA%\CertCmdlets\acme on Windows.</para>
        /// </summary>
        [Parameter]
        public string? StateDirectory { get; set; }

        /// <summary>
        /// <para type="description">Root certificates (files or directories) trusted for the CA's own HTTPS certificate besides the system store: for a private or test CA such as pebble.</para>
        /// </summary>
        [Parameter]
        public string[] TrustedRootPath { get; set; } = Array.Empty<string>();

        /// <summary>
        /// <para type="description">The longest the whole operation may take, in seconds (default 300): validation and issuance polling included. Each exchange with the CA also times out after 30 seconds.</para>
        /// </summary>
        [Parameter]
        [ValidateRange(10, 86400)]
        public int TimeoutSeconds { get; set; } = 300;

        #endregion

        /// <summary>Ctrl+C ends any wait; the token every session gets.</summary>
        internal CancellationToken Cancellation => (_cancellation ??= new CancellationTokenSource()).Token;

        /// <summary>Releases the sessions (their HTTPS connections) and the cancellation source.</summary>
        public void Dispose()
        {
            foreach (AcmeSession session in _sessions.Values)
            {
                session.Dispose();
            }

            _sessions.Clear();
            _cancellation?.Dispose();
        }

        #region Overrides

        /// <summary>Prepares cancellation.</summary>
        protected override void BeginProcessing()
        {
            _cancellation ??= new CancellationTokenSource();
        }

        /// <summary>Ctrl+C: ends any request or wait in progress.</summary>
        protected override void StopProcessing()
        {
            _cancellation?.Cancel();
        }

        #endregion

        #region Helpers for the ACME cmdlets

        /// <summary>The session for a directory (shortcut or URL), made once per run; nothing is sent until it is used.</summary>
        internal AcmeSession Session(string directory)
        {
            if (_sessions.TryGetValue(directory, out AcmeSession? existing))
            {
                return existing;
            }

            _trustedRoots ??= TrustedRootPath.Length > 0 ? ReadCertificatePool(TrustedRootPath) : Array.Empty<CertificateInfo>();
            var options = new AcmeConnectionOptions
            {
                Directory = directory,
                StateDirectory = StateDirectory is null ? null : ResolveOutputPath(StateDirectory),
                TrustedRoots = _trustedRoots,
                OperationTimeout = TimeSpan.FromSeconds(TimeoutSeconds),
            };
            var session = new AcmeSession(options, Log, Cancellation);
            _sessions[directory] = session;
            return session;
        }

        /// <summary>The directory URL a shortcut stands for (for ShouldProcess texts); the error for a bad one.</summary>
        internal static string DirectoryText(string directory) => AcmeDirectories.Resolve(directory).ToString();

        /// <summary>
        /// Runs one step: a failure of this input is an error record and the pipeline goes on; a failure of the CA, the
        /// account or the state folder ends the command; Ctrl+C stops the pipeline.
        /// </summary>
        internal void Run(Action action)
        {
            try
            {
                action();
            }
            catch (CertCmdletsException ex) when (s_wholeCommandErrors.Contains(ex.ErrorId))
            {
                ThrowCoreError(ex);
            }
            catch (CertCmdletsException ex)
            {
                WriteCoreError(ex);
            }
            catch (OperationCanceledException) when (Cancellation.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        #endregion
    }
}
