using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Management.Automation;
using System.Security;
using System.Threading;
using CertCmdlets.Core;
using CertCmdlets.Core.Inventory;

namespace CertCmdlets.Commands
{
    /// <summary>
    /// <para type="synopsis">Reads certificates from files and directories (PEM, DER, PKCS#7), optionally with their private key: one object per certificate a server uses.</para>
    /// <para type="description">A file that holds a server certificate and its chain (a fullchain.pem) gives one object: the
    /// certificate, with the CA certificates in Chain. A file of unrelated certificates (a CA bundle) gives one object
    /// per certificate. PEM files may hold many certificates and any text around them; .p7b files may be PEM or DER.</para>
    /// <para type="description">Directories are taken stock of (-Recurse for their subdirectories): files that are not
    /// certificates (keys, requests, PFX files, notes) are passed over quietly (-Verbose names them), and the files of
    /// one directory that hold the same certificate (cert.pem, fullchain.pem, chain.pem, and its unencrypted key) give
    /// one object naming each of them in CertificatePath, FullChainPath, ChainPath and KeyPath. Files piped from
    /// Get-ChildItem, and files matched by a wildcard, are taken the same way. A file named on its own is read as a
    /// certificate file, and one that holds no certificate is an error.</para>
    /// <para type="description">An unreadable file or directory is reported and the others are still read; a symbolic
    /// link that leads back up the tree is read once. -ExpiringWithin and -RenewRecommended keep the certificates that
    /// are due: renewal is recommended two thirds into a certificate's lifetime, or 30 days before it expires,
    /// whichever comes first (RenewAfter is that date). A long inventory shows progress in an interactive session.
    /// -KeyPath attaches a private key (PKCS#1, PKCS#8 plain or encrypted, SEC1 EC, OpenSSL legacy encrypted PEM) to
    /// the certificate it belongs to. Certificate objects piped in are passed through.</para>
    /// </summary>
    [Cmdlet(VerbsData.Import, "CertFile", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(CertificateInfo))]
    public sealed class ImportCertFileCommand : CertCmdletBase
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";
        private const string InputObjectSet = "InputObject";

        /// <summary>Progress appears only for inventories that take longer than this.</summary>
        private static readonly TimeSpan s_progressDelay = TimeSpan.FromSeconds(1);

        private readonly CancellationTokenSource _cancellation = new CancellationTokenSource();
        private readonly InventoryOptions _options = new InventoryOptions();
        private PrivateKeyFile? _key;
        private bool _keyFailed;
        private bool _literalPathFromArgument;
        private CertificateInventory? _inventory;
        private Sink? _sink;

        #region Parameters

        /// <summary>
        /// <para type="description">Certificate files or directories to read. Wildcards are expanded; the files a wildcard matches are taken as an inventory (files that are not certificates are passed over).</para>
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = PathSet)]
        [SupportsWildcards]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>
        /// <para type="description">Certificate files or directories, taken exactly as written (no wildcards). Binds FullName/PSPath of piped file objects (Get-ChildItem), which are taken as an inventory.</para>
        /// </summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
        [Alias("PSPath", "LP", "FullName")]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        /// <summary>
        /// <para type="description">Certificate objects to pass through unchanged (the filters still apply), so scripts can mix sources.</para>
        /// </summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
        [CertificateTransformation]
        public CertificateInfo[] InputObject { get; set; } = Array.Empty<CertificateInfo>();

        /// <summary>
        /// <para type="description">Read the subdirectories of the directories given too, to any depth. Symbolic links to directories are followed on Unix, each directory read once.</para>
        /// </summary>
        [Parameter(ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = LiteralPathSet)]
        public SwitchParameter Recurse { get; set; }

        /// <summary>
        /// <para type="description">Keep only certificates with at most this many days left (DaysRemaining), expired ones included. -ExpiringWithin 30 lists what expires within a month.</para>
        /// </summary>
        [Parameter]
        [ValidateRange(0, 36500)]
        public int ExpiringWithin { get; set; }

        /// <summary>
        /// <para type="description">Keep only certificates that are due for renewal (RenewRecommended): two thirds into their lifetime, or within 30 days of expiry, whichever comes first.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter RenewRecommended { get; set; }

        /// <summary>
        /// <para type="description">Leave out CA certificates (roots and intermediates met on their own, as in chain files and CA bundles): only the certificates servers present remain.</para>
        /// </summary>
        [Parameter]
        [Alias("ExcludeCA")]
        public SwitchParameter ExcludeCertificateAuthority { get; set; }

        /// <summary>
        /// <para type="description">A private key file to attach to the certificate it belongs to.</para>
        /// </summary>
        [Parameter(ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = LiteralPathSet)]
        public string? KeyPath { get; set; }

        /// <summary>
        /// <para type="description">The password of an encrypted -KeyPath file.</para>
        /// </summary>
        [Parameter(ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = LiteralPathSet)]
        public SecureString? KeyPassword { get; set; }

        #endregion

        #region Overrides

        /// <summary>Reads the -KeyPath file once, before the certificates, and prepares the inventory.</summary>
        protected override void BeginProcessing()
        {
            _literalPathFromArgument = MyInvocation.BoundParameters.ContainsKey(nameof(LiteralPath));
            _options.Recurse = Recurse;
            _options.ExpiringWithinDays = MyInvocation.BoundParameters.ContainsKey(nameof(ExpiringWithin)) ? ExpiringWithin : null;
            _options.RenewRecommendedOnly = RenewRecommended;
            _options.ExcludeAuthorities = ExcludeCertificateAuthority;
            if (KeyPath is null)
            {
                return;
            }

            try
            {
                _key = PrivateKeyFile.Load(ResolveSingleInputPath(KeyPath), KeyPassword);
                _options.Key = _key;
                WriteVerbose($"Read the {_key.KeyAlgorithm} private key '{_key.Path}'.");
            }
            catch (CertCmdletsException ex)
            {
                // Without the key nothing asked for can be produced: one error, then no output.
                _keyFailed = true;
                ThrowCoreError(ex);
            }
        }

        /// <summary>Reads each file or directory, or passes each object through.</summary>
        protected override void ProcessRecord()
        {
            if (_keyFailed)
            {
                return;
            }

            try
            {
                switch (ParameterSetName)
                {
                    case InputObjectSet:
                        PassThrough();
                        break;
                    case LiteralPathSet:
                        // Named as an argument: each file on its own; piped file objects: an inventory.
                        Read(ResolveInputPaths(LiteralPath, literal: true), inventory: !_literalPathFromArgument);
                        break;
                    default:
                        foreach (string pattern in Path)
                        {
                            Read(ResolveInputPaths(new[] { pattern }, literal: false), inventory: WildcardPattern.ContainsWildcardCharacters(pattern));
                        }

                        break;
                }
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C: PowerShell stops the pipeline.
            }
        }

        /// <summary>Reports the certificates of the last directory handed over in bulk, and ends the progress bar.</summary>
        protected override void EndProcessing()
        {
            if (_inventory is null)
            {
                return;
            }

            try
            {
                _inventory.Complete();
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _sink!.EndProgress();
            WriteVerbose($"Looked at {_inventory.FilesRead} file(s); {_inventory.CertificatesFound} certificate(s) kept.");
        }

        /// <summary>Ctrl+C: stops a long inventory between two files.</summary>
        protected override void StopProcessing() => _cancellation.Cancel();

        #endregion

        #region Private helpers

        private void PassThrough()
        {
            DateTime now = DateTime.Now;
            foreach (CertificateInfo certificate in InputObject)
            {
                if (_options.Keeps(certificate, now))
                {
                    WriteObject(certificate);
                }
            }
        }

        private void Read(IEnumerable<string> paths, bool inventory)
        {
            foreach (string path in paths)
            {
                if (System.IO.Directory.Exists(path))
                {
                    Inventory().AddDirectory(path);
                }
                else if (inventory)
                {
                    Inventory().AddFile(path);
                }
                else
                {
                    ReadOneFile(path);
                }
            }
        }

        /// <summary>A file named on its own: it must hold certificates.</summary>
        private void ReadOneFile(string path)
        {
            try
            {
                List<CertificateInfo> certificates = CertificateInventory.ReadNamedFile(path);
                WriteVerbose($"Read {certificates.Count} certificate object(s) from '{path}'.");
                _key?.AttachTo(certificates, path);
                DateTime now = DateTime.Now;
                foreach (CertificateInfo certificate in certificates)
                {
                    if (_options.Keeps(certificate, now))
                    {
                        WriteObject(certificate);
                    }
                }
            }
            catch (CertCmdletsException ex)
            {
                WriteCoreError(ex);
            }
        }

        private CertificateInventory Inventory()
        {
            if (_inventory is null)
            {
                _sink = new Sink(this, IsInteractive());
                _inventory = new CertificateInventory(_options, _sink, _cancellation.Token);
            }

            return _inventory;
        }

        /// <summary>
        /// Progress bars are for people watching: not in pwsh -NonInteractive, not when input or output is redirected
        /// (cron, systemd timers, scheduled tasks, CI logs), not in hosts without a console.
        /// </summary>
        private bool IsInteractive()
        {
            try
            {
                if (!Environment.UserInteractive || Console.IsInputRedirected || Console.IsOutputRedirected || Host?.UI?.RawUI is null)
                {
                    return false;
                }
            }
            catch (Exception ex) when (ex is NotImplementedException || ex is NotSupportedException || ex is InvalidOperationException || ex is System.IO.IOException || ex is System.Management.Automation.Host.HostException)
            {
                return false;
            }

            foreach (string argument in Environment.GetCommandLineArgs())
            {
                if (argument.Length >= 5 && "-noninteractive".StartsWith(argument.ToLowerInvariant(), StringComparison.Ordinal))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>The inventory's findings as the cmdlet's output, verbose lines, errors and progress.</summary>
        private sealed class Sink : IInventorySink
        {
            private readonly ImportCertFileCommand _command;
            private readonly bool _interactive;
            private readonly Stopwatch _elapsed = Stopwatch.StartNew();
            private TimeSpan _lastProgress = TimeSpan.MinValue;
            private ProgressRecord? _progress;
            private int _certificates;

            public Sink(ImportCertFileCommand command, bool interactive)
            {
                _command = command;
                _interactive = interactive;
            }

            public void Certificate(CertificateInfo certificate)
            {
                _certificates++;
                _command.WriteObject(certificate);
            }

            public void Skipped(string path, string reason) => _command.WriteVerbose($"Passed over '{path}': {reason}.");

            public void Failed(CertCmdletsException error) => _command.WriteCoreError(error);

            public void Progress(int filesRead, string directory)
            {
                TimeSpan now = _elapsed.Elapsed;
                if (!_interactive || now < s_progressDelay || now - _lastProgress < TimeSpan.FromMilliseconds(200))
                {
                    return;
                }

                _lastProgress = now;
                _progress ??= new ProgressRecord(0x1CE7, "Import-CertFile", "Reading certificates");
                _progress.StatusDescription = $"{filesRead} files read, {_certificates} certificates found";
                _progress.CurrentOperation = directory;
                _command.WriteProgress(_progress);
            }

            public void EndProgress()
            {
                if (_progress is not null)
                {
                    _progress.RecordType = ProgressRecordType.Completed;
                    _command.WriteProgress(_progress);
                }
            }
        }

        #endregion
    }
}
