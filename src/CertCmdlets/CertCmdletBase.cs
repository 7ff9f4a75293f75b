using System;
using System.Collections.Generic;
using System.Management.Automation;
using CertCmdlets.Core;
using Microsoft.PowerShell.Commands;

namespace CertCmdlets
{
    /// <summary>
    /// What every CertCmdlets cmdlet shares: the bridge from the core's seams (log, ShouldProcess) to the
    /// cmdlet, error records built from the core's exceptions, and FileSystem path resolution relative to
    /// the PowerShell location.
    /// </summary>
    public abstract class CertCmdletBase : PSCmdlet
    {
        private CmdletLog? _log;

        /// <summary>The core's log, forwarded to WriteVerbose and WriteWarning; it also takes the core's progress (ICoreProgress).</summary>
        internal ICoreLog Log => _log ??= new CmdletLog(this);

        /// <summary>The core's "may I write this file?" question, answered by ShouldProcess.</summary>
        internal Func<string, string, bool> ShouldProcessFile => (target, action) => ShouldProcess(target, action);

        /// <summary>An error record for a core failure: its ErrorId, its category, its target, what to do.</summary>
        internal static ErrorRecord ToErrorRecord(CertCmdletsException exception)
        {
            var record = new ErrorRecord(exception, exception.ErrorId, Category(exception.Kind), exception.Target);
            string? action = exception.RecommendedAction ?? LastSentence(exception.Message);
            if (action is not null)
            {
                record.ErrorDetails = new ErrorDetails(exception.Message) { RecommendedAction = action };
            }

            return record;
        }

        /// <summary>Reports one bad input and lets the pipeline go on.</summary>
        internal void WriteCoreError(CertCmdletsException exception) => WriteError(ToErrorRecord(exception));

        /// <summary>Stops the command: the whole call cannot proceed.</summary>
        internal void ThrowCoreError(CertCmdletsException exception) => ThrowTerminatingError(ToErrorRecord(exception));

        /// <summary>
        /// Input files: wildcards expanded for -Path, taken as written for -LiteralPath. Paths that match
        /// nothing or are not on the file system are reported (non-terminating) and skipped.
        /// </summary>
        internal IEnumerable<string> ResolveInputPaths(IEnumerable<string> paths, bool literal) => ResolveInputPaths(paths, literal, terminating: false);

        /// <summary>
        /// As <see cref="ResolveInputPaths(IEnumerable{string}, bool)"/>; with <paramref name="terminating"/>, a path that
        /// matches nothing stops the command (a wrong argument, such as -TrustedRootPath, rather than one bad input).
        /// </summary>
        internal IEnumerable<string> ResolveInputPaths(IEnumerable<string> paths, bool literal, bool terminating)
        {
            foreach (string path in paths)
            {
                List<string> resolved = new List<string>();
                try
                {
                    if (literal)
                    {
                        string providerPath = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out ProviderInfo provider, out _);
                        RequireFileSystem(provider, path);
                        resolved.Add(providerPath);
                    }
                    else
                    {
                        resolved.AddRange(SessionState.Path.GetResolvedProviderPathFromPSPath(path, out ProviderInfo provider));
                        RequireFileSystem(provider, path);
                        if (resolved.Count == 0)
                        {
                            throw new ItemNotFoundException(path);
                        }
                    }
                }
                catch (ItemNotFoundException)
                {
                    Report(new CertCmdletsException("FileNotFound", CertErrorKind.ObjectNotFound, path, $"No file matches '{path}'. Check the path, or the wildcard."), terminating);
                    continue;
                }
                catch (CertCmdletsException ex)
                {
                    Report(ex, terminating);
                    continue;
                }
                catch (Exception ex) when (ex is DriveNotFoundException || ex is ProviderNotFoundException || ex is NotSupportedException || ex is ArgumentException)
                {
                    Report(new CertCmdletsException("PathInvalid", CertErrorKind.InvalidArgument, path, $"'{path}' is not a valid file system path: {ex.Message}", ex), terminating);
                    continue;
                }

                foreach (string item in resolved)
                {
                    yield return item;
                }
            }
        }

        private void Report(CertCmdletsException exception, bool terminating)
        {
            if (terminating)
            {
                ThrowCoreError(exception);
            }

            WriteCoreError(exception);
        }

        /// <summary>
        /// Certificates from files or directories (a CA bundle folder) named by an argument (-IntermediatePath,
        /// -TrustedRootPath): every readable certificate file in a directory, non-recursively. A path that matches
        /// nothing stops the command; unreadable files are warnings, since a bundle folder often holds other files.
        /// </summary>
        internal List<CertificateInfo> ReadCertificatePool(IEnumerable<string> paths)
        {
            var certificates = new List<CertificateInfo>();
            foreach (string path in ResolveInputPathsOrDirectories(paths))
            {
                try
                {
                    certificates.AddRange(Core.Certificates.CertificateReader.ReadFile(path, Log));
                }
                catch (CertCmdletsException ex)
                {
                    WriteWarning($"Skipped '{path}': {ex.Message}");
                }
            }

            WriteVerbose($"Read {certificates.Count} candidate certificate(s).");
            return certificates;
        }

        private IEnumerable<string> ResolveInputPathsOrDirectories(IEnumerable<string> paths)
        {
            foreach (string path in ResolveInputPaths(paths, literal: false, terminating: true))
            {
                if (!System.IO.Directory.Exists(path))
                {
                    yield return path;
                    continue;
                }

                foreach (string file in System.IO.Directory.EnumerateFiles(path))
                {
                    string extension = System.IO.Path.GetExtension(file).ToLowerInvariant();
                    if (extension == ".pem" || extension == ".crt" || extension == ".cer" || extension == ".der" || extension == ".p7b" || extension == ".p7c" || extension == ".ca-bundle")
                    {
                        yield return file;
                    }
                }
            }
        }

        /// <summary>A single input file (-KeyPath): resolved literally, relative to the PowerShell location.</summary>
        internal string ResolveSingleInputPath(string path) => ResolveOutputPath(path);

        /// <summary>An output path: resolved relative to the PowerShell location; the file may not exist yet.</summary>
        internal string ResolveOutputPath(string path)
        {
            try
            {
                string providerPath = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out ProviderInfo provider, out _);
                RequireFileSystem(provider, path);
                return providerPath;
            }
            catch (Exception ex) when (ex is DriveNotFoundException || ex is ProviderNotFoundException || ex is NotSupportedException || ex is ArgumentException)
            {
                throw new CertCmdletsException("PathInvalid", CertErrorKind.InvalidArgument, path, $"'{path}' is not a valid file system path: {ex.Message}", ex);
            }
        }

        private static void RequireFileSystem(ProviderInfo provider, string path)
        {
            if (provider.ImplementingType != typeof(FileSystemProvider))
            {
                throw new CertCmdletsException("PathNotFileSystem", CertErrorKind.InvalidArgument, path,
                    $"'{path}' is on the {provider.Name} provider. Give a file system path.");
            }
        }

        /// <summary>
        /// The advice of a message that gives none apart: its last sentence, which by the module's convention says
        /// what to do ("... Use -Force to replace it, or choose another path.").
        /// </summary>
        private static string? LastSentence(string message)
        {
            string text = message.TrimEnd();
            int end = text.Length - 1;
            int start = text.LastIndexOf(". ", end - 1, StringComparison.Ordinal);
            return start < 0 ? null : text.Substring(start + 2);
        }

        private static ErrorCategory Category(CertErrorKind kind) => kind switch
        {
            CertErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
            CertErrorKind.InvalidData => ErrorCategory.InvalidData,
            CertErrorKind.ObjectNotFound => ErrorCategory.ObjectNotFound,
            CertErrorKind.ResourceExists => ErrorCategory.ResourceExists,
            CertErrorKind.PermissionDenied => ErrorCategory.PermissionDenied,
            CertErrorKind.AuthenticationError => ErrorCategory.AuthenticationError,
            CertErrorKind.SecurityError => ErrorCategory.SecurityError,
            CertErrorKind.WriteError => ErrorCategory.WriteError,
            CertErrorKind.ReadError => ErrorCategory.ReadError,
            CertErrorKind.InvalidOperation => ErrorCategory.InvalidOperation,
            CertErrorKind.NotImplemented => ErrorCategory.NotImplemented,
            CertErrorKind.OperationTimeout => ErrorCategory.OperationTimeout,
            CertErrorKind.ConnectionError => ErrorCategory.ConnectionError,
            CertErrorKind.ResourceBusy => ErrorCategory.ResourceBusy,
            CertErrorKind.InvalidResult => ErrorCategory.InvalidResult,
            _ => ErrorCategory.NotSpecified,
        };

        /// <summary>Forwards the core's messages to the cmdlet's streams, and its progress to WriteProgress (see <see cref="CmdletProgress"/>).</summary>
        private sealed class CmdletLog : ICoreLog, ICoreProgress
        {
            private readonly PSCmdlet _cmdlet;
            private readonly CmdletProgress _progress;

            public CmdletLog(PSCmdlet cmdlet)
            {
                _cmdlet = cmdlet;
                _progress = new CmdletProgress(cmdlet);
            }

            public void Verbose(string message) => _cmdlet.WriteVerbose(message);

            public void Warning(string message) => _cmdlet.WriteWarning(message);

            public IProgressActivity Begin(string activity, string status) => _progress.Begin(activity, status);
        }
    }
}
