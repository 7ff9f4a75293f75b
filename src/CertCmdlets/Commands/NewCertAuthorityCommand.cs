using System;
using System.IO;
using System.Management.Automation;
using System.Security;
using CertCmdlets.Core;
using CertCmdlets.Core.Authority;
using CertCmdlets.Core.Export;

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
    public sealed class NewCertAuthorityCommand : CertCmdletBase
    {
        #region Parameters

        /// <summary>
        /// <para type="description">The CA's name (CN), e.g. "Example Internal Root CA".</para>
        /// </summary>
        [Parameter(Mandatory = true, Position = 0)]
        [Alias("CN")]
        public string CommonName { get; set; } = string.Empty;

        /// <summary>
        /// <para type="description">Organization (O).</para>
        /// </summary>
        [Parameter]
        public string? Organization { get; set; }

        /// <summary>
        /// <para type="description">Organizational unit (OU).</para>
        /// </summary>
        [Parameter]
        public string[] OrganizationalUnit { get; set; } = Array.Empty<string>();

        /// <summary>
        /// <para type="description">Country (C) as an ISO 3166-1 alpha-2 code.</para>
        /// </summary>
        [Parameter]
        public string? Country { get; set; }

        /// <summary>
        /// <para type="description">RSA (default) or ECDSA.</para>
        /// </summary>
        [Parameter]
        [ArgumentCompleter(typeof(ChoiceCompleter))]
        public string? KeyAlgorithm { get; set; }

        /// <summary>
        /// <para type="description">RSA key size: 3072 (default for CAs), 2048 or 4096.</para>
        /// </summary>
        [Parameter]
        public int KeySize { get; set; }

        /// <summary>
        /// <para type="description">ECDSA curve: P256 (default), P384 or P521.</para>
        /// </summary>
        [Parameter]
        [ArgumentCompleter(typeof(ChoiceCompleter))]
        public string? Curve { get; set; }

        /// <summary>
        /// <para type="description">Signature hash: SHA256 (default), SHA384 or SHA512.</para>
        /// </summary>
        [Parameter]
        [ArgumentCompleter(typeof(ChoiceCompleter))]
        public string? HashAlgorithm { get; set; }

        /// <summary>
        /// <para type="description">An existing key to use for the CA.</para>
        /// </summary>
        [Parameter]
        public string? KeyPath { get; set; }

        /// <summary>
        /// <para type="description">With -KeyPath, its password; otherwise the password that encrypts the new key file.</para>
        /// </summary>
        [Parameter]
        public SecureString? KeyPassword { get; set; }

        /// <summary>
        /// <para type="description">Validity in days (default 3650 for a root, 1825 for an intermediate; never past the issuer's).</para>
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
        public CertificateInfo? Issuer { get; set; }

        /// <summary>
        /// <para type="description">Directory to write name.crt and name.key into; created if missing.</para>
        /// </summary>
        [Parameter]
        public string? OutputDirectory { get; set; }

        /// <summary>
        /// <para type="description">Base name of the files (default from the CN).</para>
        /// </summary>
        [Parameter]
        public string? Name { get; set; }

        /// <summary>
        /// <para type="description">Replace existing files.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        #endregion

        #region Overrides

        /// <summary>Creates the CA.</summary>
        protected override void ProcessRecord()
        {
            try
            {
                var options = new CertificateRequestOptions
                {
                    CommonName = CommonName,
                    Organization = Organization,
                    Country = Country,
                    KeyAlgorithm = KeyAlgorithm,
                    KeySize = MyInvocation.BoundParameters.ContainsKey(nameof(KeySize)) ? KeySize : null,
                    Curve = Curve,
                    HashAlgorithm = HashAlgorithm,
                    ExistingKeyPath = KeyPath is null ? null : ResolveSingleInputPath(KeyPath),
                    ExistingKeyPassword = KeyPath is null ? null : KeyPassword,
                };
                foreach (string unit in OrganizationalUnit)
                {
                    options.OrganizationalUnits.Add(unit);
                }

                int validDays = MyInvocation.BoundParameters.ContainsKey(nameof(ValidDays)) ? ValidDays : (Issuer is null ? 3650 : 1825);
                int? pathLength = MyInvocation.BoundParameters.ContainsKey(nameof(PathLength)) ? PathLength : null;
                CertificateInfo authority = CertificateAuthority.Create(options, validDays, pathLength, Issuer, Log);
                if (OutputDirectory is null)
                {
                    WriteObject(authority);
                    return;
                }

                string directory = ResolveOutputPath(OutputDirectory);
                string baseName = OutputNames.FromCommonName(Name, CommonName);
                var targets = new PemExportTargets
                {
                    CertificatePath = System.IO.Path.Combine(directory, baseName + ".crt"),
                    KeyPath = options.ExistingKeyPath is null ? System.IO.Path.Combine(directory, baseName + ".key") : null,
                };
                CertificateInfo? written = PemOutput.WriteCertificate(authority, targets, options.ExistingKeyPath is null ? KeyPassword : null, Force, ShouldProcessFile, Log);
                if (written is not null)
                {
                    WriteObject(written);
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
