using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Security;
using CertCmdlets.Core;
using CertCmdlets.Core.Keys;

namespace CertCmdlets
{
    /// <summary>
    /// What Protect-PrivateKey and Unprotect-PrivateKey share: the key files to read (-Path, -LiteralPath), where the
    /// result goes (-OutputPath, or in place with -Force), and the rewrite itself through the core's safe writer.
    /// </summary>
    public abstract class KeyFileCommandBase : CertCmdletBase
    {
        internal const string PathSet = "Path";
        internal const string LiteralPathSet = "LiteralPath";

        private string? _outputPath;
        private bool _outputUsed;

        #region Parameters

        /// <summary>
        /// <para type="description">Private key files to read. Wildcards are expanded.</para>
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = PathSet)]
        [SupportsWildcards]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>
        /// <para type="description">Private key files, taken exactly as written (no wildcards). Binds FullName/PSPath of piped file objects and KeyPath of piped certificate objects.</para>
        /// </summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
        [Alias("PSPath", "LP", "FullName", "KeyPath")]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        /// <summary>
        /// <para type="description">The file to write the key to. The original key file is kept. Never replaced when it exists, unless -Force.</para>
        /// </summary>
        [Parameter]
        public string? OutputPath { get; set; }

        /// <summary>
        /// <para type="description">Without -OutputPath: replace the key file itself (atomically). With -OutputPath: replace that file if it exists.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        #endregion

        #region Overrides

        /// <summary>Checks the output choice once: -OutputPath, or -Force to replace in place.</summary>
        protected override void BeginProcessing()
        {
            try
            {
                if (OutputPath is null && !Force)
                {
                    throw KeyProtection.OutputRequired(Path.Length == 1 ? Path[0] : LiteralPath.Length == 1 ? LiteralPath[0] : nameof(OutputPath));
                }

                _outputPath = OutputPath is null ? null : ResolveOutputPath(OutputPath);
            }
            catch (CertCmdletsException ex)
            {
                ThrowCoreError(ex);
            }
        }

        /// <summary>Rewrites each key file.</summary>
        protected override void ProcessRecord()
        {
            IEnumerable<string> paths = ParameterSetName == LiteralPathSet ? ResolveInputPaths(LiteralPath, literal: true) : ResolveInputPaths(Path, literal: false);
            foreach (string path in paths)
            {
                try
                {
                    if (_outputPath is not null && _outputUsed)
                    {
                        throw KeyProtection.OutputShared(_outputPath);
                    }

                    _outputUsed = true;
                    PrivateKeyFileInfo? result = KeyProtection.Rewrite(path, CurrentKeyPassword, CurrentPasswordParameter, NewPassword, _outputPath, Force, ShouldProcessFile, Log);
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
        }

        #endregion

        #region For the derived cmdlets

        /// <summary>The password the key file is encrypted with now, if any.</summary>
        internal abstract SecureString? CurrentKeyPassword { get; }

        /// <summary>The name of the parameter that gives it, for error messages.</summary>
        internal abstract string CurrentPasswordParameter { get; }

        /// <summary>The password for the new file, or null to write it unencrypted.</summary>
        internal abstract SecureString? NewPassword { get; }

        #endregion
    }
}
