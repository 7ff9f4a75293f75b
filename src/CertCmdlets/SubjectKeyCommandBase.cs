using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Security;
using CertCmdlets.Core;
using CertCmdlets.Core.Export;
using CertCmdlets.Core.Requests;

namespace CertCmdlets
{
    /// <summary>
    /// The parameters and output shared by the cmdlets that make a key and a subject: New-CertRequest and
    /// New-CertAuthority (organization fields, key choice, key reuse, output directory).
    /// </summary>
    public abstract class SubjectKeyCommandBase : CertCmdletBase
    {
        #region Parameters

        /// <summary>
        /// <para type="description">Organization (O), e.g. the company's legal name.</para>
        /// </summary>
        [Parameter]
        public string? Organization { get; set; }

        /// <summary>
        /// <para type="description">Organizational unit (OU). Public CAs no longer include it; internal CAs may.</para>
        /// </summary>
        [Parameter]
        public string[] OrganizationalUnit { get; set; } = Array.Empty<string>();

        /// <summary>
        /// <para type="description">Locality or city (L).</para>
        /// </summary>
        [Parameter]
        public string? Locality { get; set; }

        /// <summary>
        /// <para type="description">State or province (ST), written out in full.</para>
        /// </summary>
        [Parameter]
        public string? State { get; set; }

        /// <summary>
        /// <para type="description">Country (C) as an ISO 3166-1 alpha-2 code: US, GB (not UK), DE.</para>
        /// </summary>
        [Parameter]
        [ArgumentCompleter(typeof(CountryCompleter))]
        public string? Country { get; set; }

        /// <summary>
        /// <para type="description">RSA (default) or ECDSA.</para>
        /// <para type="default">RSA</para>
        /// </summary>
        [Parameter]
        [ArgumentCompleter(typeof(ChoiceCompleter))]
        public string? KeyAlgorithm { get; set; }

        /// <summary>
        /// <para type="description">RSA key size: 2048, 3072 or 4096 (default 2048 for servers, 3072 for CAs). Smaller keys are refused.</para>
        /// <para type="default">2048 (New-CertAuthority: 3072)</para>
        /// </summary>
        [Parameter]
        [ArgumentCompleter(typeof(ChoiceCompleter))]
        public int KeySize { get; set; }

        /// <summary>
        /// <para type="description">ECDSA curve: P256 (default), P384 or P521.</para>
        /// <para type="default">P256 (with -KeyAlgorithm ECDSA)</para>
        /// </summary>
        [Parameter]
        [ArgumentCompleter(typeof(ChoiceCompleter))]
        public string? Curve { get; set; }

        /// <summary>
        /// <para type="description">Signature hash: SHA256 (default), SHA384 or SHA512. MD5 and SHA1 are refused.</para>
        /// <para type="default">SHA256 (SHA384 for a P384 key, SHA512 for a P521 key)</para>
        /// </summary>
        [Parameter]
        [ArgumentCompleter(typeof(ChoiceCompleter))]
        public string? HashAlgorithm { get; set; }

        /// <summary>
        /// <para type="description">An existing private key to use instead of making a new one (renewal with the same key), in any common PEM or DER form.</para>
        /// </summary>
        [Parameter]
        public string? KeyPath { get; set; }

        /// <summary>
        /// <para type="description">With -KeyPath, the password of that key. Otherwise, the password that encrypts the new key file (PKCS#8, AES-256).</para>
        /// </summary>
        [Parameter]
        public SecureString? KeyPassword { get; set; }

        /// <summary>
        /// <para type="description">Directory to write the files into (name.key, and name.csr or name.crt); created if missing.</para>
        /// </summary>
        [Parameter]
        public string? OutputDirectory { get; set; }

        /// <summary>
        /// <para type="description">Base name of the files written to -OutputDirectory. Default: the common name (*.example.com becomes wildcard.example.com).</para>
        /// <para type="default">The common name</para>
        /// </summary>
        [Parameter]
        public string? Name { get; set; }

        /// <summary>
        /// <para type="description">Replace files that already exist in -OutputDirectory.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        #endregion

        #region Overrides

        /// <summary>
        /// Checks the arguments given once for the whole call (country code, subject fields, key choice): a wrong one
        /// stops the command with its own error, as PowerShell users expect of a bad argument, before any key is made.
        /// </summary>
        protected override void BeginProcessing()
        {
            try
            {
                CertificateRequestOptions options = SubjectAndKeyOptions(string.Empty);
                AddAll(options.EmailAddresses, ArgumentEmails);
                CertificateRequestBuilder.CheckArguments(options);
            }
            catch (CertCmdletsException ex)
            {
                ThrowCoreError(ex);
            }
        }

        #endregion

        #region Helpers for the derived cmdlets

        /// <summary>E-mail addresses given as an argument (not from the pipeline), checked with the other arguments.</summary>
        internal virtual IEnumerable<string>? ArgumentEmails => null;

        /// <summary>The subject and key options the user gave, with -KeyPath resolved against the PowerShell location.</summary>
        internal CertificateRequestOptions SubjectAndKeyOptions(string commonName)
        {
            var options = new CertificateRequestOptions
            {
                CommonName = commonName,
                Organization = Organization,
                Locality = Locality,
                State = State,
                Country = Country,
                KeyAlgorithm = KeyAlgorithm,
                KeySize = MyInvocation.BoundParameters.ContainsKey(nameof(KeySize)) ? KeySize : null,
                Curve = Curve,
                HashAlgorithm = HashAlgorithm,
                ExistingKeyPath = KeyPath is null ? null : ResolveSingleInputPath(KeyPath),
                ExistingKeyPassword = KeyPath is null ? null : KeyPassword,
            };
            AddAll(options.OrganizationalUnits, OrganizationalUnit);
            return options;
        }

        /// <summary>The password for the new key file: -KeyPassword, unless it was the password of -KeyPath.</summary>
        internal SecureString? NewKeyPassword => KeyPath is null ? KeyPassword : null;

        /// <summary>The directory and base name of the files, or null when nothing is to be written.</summary>
        internal (string Directory, string BaseName)? OutputLocation(string commonName) =>
            OutputDirectory is null ? null : (ResolveOutputPath(OutputDirectory), OutputNames.FromCommonName(Name, commonName));

        /// <summary>Emits a new certificate, after writing name.crt and (for a new key) name.key when -OutputDirectory was given.</summary>
        internal void EmitCertificate(CertificateInfo certificate, CertificateRequestOptions options)
        {
            (string Directory, string BaseName)? location = OutputLocation(options.CommonName);
            if (location is null)
            {
                WriteObject(certificate);
                return;
            }

            var targets = new PemExportTargets
            {
                CertificatePath = System.IO.Path.Combine(location.Value.Directory, location.Value.BaseName + ".crt"),
                KeyPath = options.ExistingKeyPath is null ? System.IO.Path.Combine(location.Value.Directory, location.Value.BaseName + ".key") : null,
            };
            CertificateInfo? written = PemOutput.WriteCertificate(certificate, targets, NewKeyPassword, Force, ShouldProcessFile, Log);
            if (written is not null)
            {
                WriteObject(written);
            }
        }

        internal static void AddAll(ICollection<string> target, IEnumerable<string>? values)
        {
            if (values is null)
            {
                return;
            }

            foreach (string value in values)
            {
                target.Add(value);
            }
        }

        #endregion
    }
}
