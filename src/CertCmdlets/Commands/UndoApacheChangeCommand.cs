using System.Management.Automation;
using CertCmdlets.Core.Apache;

namespace CertCmdlets.Commands
{
    /// <summary>
    /// <para type="synopsis">Takes back a change made by Set-ApacheSsl or Enable-HttpsRedirect: the previous certificate lines and configuration files, from the change's backup folder.</para>
    /// <para type="description">Pipe the result of Set-ApacheSsl or Enable-HttpsRedirect (its BackupDirectory binds), or give -BackupDirectory. Every file the change replaced is restored from its backup, files and links it created are removed. Refused, with nothing changed, when a file the change wrote was edited since (undo the newest change first), or when the change was already undone. httpd's configuration test must pass on the restored configuration, or what was live is put back. With -Reload, httpd (which must be running) reloads gracefully.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Undo, "ApacheChange", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(ApacheChangeResult))]
    public sealed class UndoApacheChangeCommand : CertCmdletBase
    {
        #region Parameters

        /// <summary>
        /// <para type="description">The backup folder of the change (the BackupDirectory of a Set-ApacheSsl or Enable-HttpsRedirect result, or a folder piped from Get-ChildItem).</para>
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName")]
        public string BackupDirectory { get; set; } = string.Empty;

        /// <summary>
        /// <para type="description">Gracefully reload httpd once the restored configuration passed its test.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter Reload { get; set; }

        /// <summary>
        /// <para type="description">The httpd program (apache2, httpd), when it is not found by itself.</para>
        /// </summary>
        [Parameter]
        public string? HttpdPath { get; set; }

        #endregion

        #region Overrides

        /// <summary>Undoes each change.</summary>
        protected override void ProcessRecord()
        {
            try
            {
                ApacheChangeResult? result = ApacheConfigurator.Undo(ResolveSingleInputPath(BackupDirectory), Reload, HttpdPath, ShouldProcessFile, Log);
                if (result is not null)
                {
                    WriteObject(result);
                }
            }
            catch (CertCmdletsException ex)
            {
                WriteCoreError(ex);
            }
        }

        #endregion
    }
}
