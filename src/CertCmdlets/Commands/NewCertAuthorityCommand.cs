using System;
using System.Management.Automation;
using CertCmdlets.Core;
using CertCmdlets.Core.Authority;

namespace CertCmdlets.Commands
{
    /// <summary>
    /// <para type="synopsis">Creates an internal certification authority: a root CA, or with -Issuer an intermediate CA.</para>
    /// <para type="description">Makes a key (RSA 3072 by default) and a CA certificate with critical basic constraints
    /// (CA, optional -PathLength) and key usage (keyCertSign, cRLSign), subject and authority key identifiers.
    /// Returns the CA with its key, for Approve-CertRequest -Authority; -OutputDirectory writes name.crt and name.key
    /// (mode 0600), atomically and never over existing files without -Force.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "CertAuthority", SupportsShouldProcess = true)]
    [OutputType(typeof(CertificateInfo))]
    public sealed class NewCertAuthorityCommand : SubjectKeyCommandBase
    {
        #region Parameters

        /// <summary>
        /// <para type="description">The CA's name (CN), e.g. "Example Internal Root CA".</para>
        /// </summary>
        [Parameter(Mandatory = true, Position = 0)]
        [Alias("CN")]
        public string CommonName { get; set; } = string.Empty;

        /// <summary>
        /// <para type="description">Validity in days (default 3650 for a root, 1825 for an intermediate; never past the issuer's).</para>
        /// <para type="default">3650 for a root, 1825 for an intermediate</para>
        /// </summary>
        [Parameter]
        public int ValidDays { get; set; }

        /// <summary>
        /// <para type="description">How many intermediate CAs may follow below this one (basic constraints path length).</para>
        /// </summary>
        [Parameter]
        [ValidateRange(0, 10)]
        public int PathLength { get; set; }

        /// <summary>
        /// <para type="description">The CA (with its key) that signs this one, making it an intermediate CA.</para>
        /// </summary>
        [Parameter]
        [CertificateTransformation]
        public CertificateInfo? Issuer { get; set; }

        #endregion

        #region Overrides

        /// <summary>Creates the CA.</summary>
        protected override void ProcessRecord()
        {
            try
            {
                CertificateRequestOptions options = SubjectAndKeyOptions(CommonName);
                int validDays = MyInvocation.BoundParameters.ContainsKey(nameof(ValidDays)) ? ValidDays : (Issuer is null ? 3650 : 1825);
                int? pathLength = MyInvocation.BoundParameters.ContainsKey(nameof(PathLength)) ? PathLength : null;
                EmitCertificate(CertificateAuthority.Create(options, validDays, pathLength, Issuer, Log), options);
            }
            catch (CertCmdletsException ex)
            {
                // One CA per call, from arguments only: whatever is wrong stops the command.
                ThrowCoreError(ex);
            }
        }

        #endregion
    }
}
