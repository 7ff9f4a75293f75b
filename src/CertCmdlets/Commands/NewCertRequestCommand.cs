using System;
using System.IO;
using System.Management.Automation;
using System.Security;
using CertCmdlets.Core;
using CertCmdlets.Core.Export;
using CertCmdlets.Core.Requests;

namespace CertCmdlets.Commands
{
    /// <summary>
    /// <para type="synopsis">Creates a private key and a certificate signing request, or a self-signed certificate.</para>
    /// <para type="description">Makes a new key (RSA 2048 by default) or reuses one (-KeyPath), and a PKCS#10 request
    /// for the subject and names given. A host-name common name is also put in the DNS names, which browsers check.
    /// With -SelfSign it returns a self-signed server certificate instead. With -OutputDirectory it writes
    /// name.key (mode 0600 on Unix) and name.csr or name.crt, atomically and never over an existing file unless -Force.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "CertRequest", DefaultParameterSetName = RequestSet, SupportsShouldProcess = true)]
    [OutputType(typeof(CertificateRequestInfo), ParameterSetName = new[] { RequestSet })]
    [OutputType(typeof(CertificateInfo), ParameterSetName = new[] { SelfSignedSet })]
    public sealed class NewCertRequestCommand : CertCmdletBase
    {
        private const string RequestSet = "Request";
        private const string SelfSignedSet = "SelfSigned";

        #region Parameters

        /// <summary>
        /// <para type="description">The common name (CN), usually the server's main host name, e.g. www.example.com.</para>
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("CN")]
        public string CommonName { get; set; } = string.Empty;

        /// <summary>
        /// <para type="description">More host names for the certificate (subject alternative names). Wildcards as *.example.com.</para>
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("SubjectAlternativeName", "San")]
        public string[] DnsName { get; set; } = Array.Empty<string>();

        /// <summary>
        /// <para type="description">IP addresses for the certificate (subject alternative names).</para>
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string[] IpAddress { get; set; } = Array.Empty<string>();

        /// <summary>
        /// <para type="description">E-mail addresses for the certificate (subject alternative names).</para>
        /// </summary>
        [Parameter]
        public string[] Email { get; set; } = Array.Empty<string>();

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
        public string? Country { get; set; }

        /// <summary>
        /// <para type="description">RSA (default) or ECDSA.</para>
        /// </summary>
        [Parameter]
        [ArgumentCompleter(typeof(ChoiceCompleter))]
        public string? KeyAlgorithm { get; set; }

        /// <summary>
        /// <para type="description">RSA key size: 2048 (default), 3072 or 4096. Smaller keys are refused.</para>
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
        /// <para type="description">Signature hash: SHA256 (default), SHA384 or SHA512. MD5 and SHA1 are refused.</para>
        /// </summary>
        [Parameter]
        [ArgumentCompleter(typeof(ChoiceCompleter))]
        public string? HashAlgorithm { get; set; }

        /// <summary>
        /// <para type="description">An existing private key to reuse (renewal with the same key), in any common PEM or DER form.</para>
        /// </summary>
        [Parameter]
        public string? KeyPath { get; set; }

        /// <summary>
        /// <para type="description">With -KeyPath, the password of that key. Otherwise, the password that encrypts the new key file (PKCS#8, AES-256).</para>
        /// </summary>
        [Parameter]
        public SecureString? KeyPassword { get; set; }

        /// <summary>
        /// <para type="description">Return a self-signed certificate (for internal tests) instead of a request.</para>
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = SelfSignedSet)]
        public SwitchParameter SelfSign { get; set; }

        /// <summary>
        /// <para type="description">Validity of the self-signed certificate in days (1 to 3650, default 365).</para>
        /// </summary>
        [Parameter(ParameterSetName = SelfSignedSet)]
        public int ValidDays { get; set; } = 365;

        /// <summary>
        /// <para type="description">Directory to write name.key and name.csr (or name.crt with -SelfSign) into; created if missing.</para>
        /// </summary>
        [Parameter]
        public string? OutputDirectory { get; set; }

        /// <summary>
        /// <para type="description">Base name of the files written to -OutputDirectory. Default: the common name (*.example.com becomes wildcard.example.com).</para>
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

        /// <summary>Creates the request or certificate for each input.</summary>
        protected override void ProcessRecord()
        {
            try
            {
                CertificateRequestOptions options = BuildOptions();
                string? outputDirectory = OutputDirectory is null ? null : ResolveOutputPath(OutputDirectory);
                string baseName = OutputNames.FromCommonName(Name, CommonName);

                switch (ParameterSetName)
                {
                    case SelfSignedSet:
                        WriteSelfSigned(options, outputDirectory, baseName);
                        break;
                    default:
                        WriteRequest(options, outputDirectory, baseName);
                        break;
                }
            }
            catch (CertCmdletsException ex)
            {
                WriteCoreError(ex);
            }
        }

        #endregion

        #region Private helpers

        private CertificateRequestOptions BuildOptions()
        {
            var options = new CertificateRequestOptions
            {
                CommonName = CommonName,
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
            AddAll(options.DnsNames, DnsName);
            AddAll(options.IpAddresses, IpAddress);
            AddAll(options.EmailAddresses, Email);
            AddAll(options.OrganizationalUnits, OrganizationalUnit);
            return options;
        }

        private void WriteRequest(CertificateRequestOptions options, string? outputDirectory, string baseName)
        {
            CertificateRequestInfo request = CertificateRequestBuilder.CreateRequest(options, Log);
            if (outputDirectory is null)
            {
                WriteObject(request);
                return;
            }

            string requestPath = Path.Combine(outputDirectory, baseName + ".csr");
            string? keyPath = options.ExistingKeyPath is null ? Path.Combine(outputDirectory, baseName + ".key") : null;
            if (PemOutput.WriteRequest(request, requestPath, keyPath, options.ExistingKeyPath is null ? KeyPassword : null, Force, ShouldProcessFile, Log))
            {
                WriteObject(request);
            }
        }

        private void WriteSelfSigned(CertificateRequestOptions options, string? outputDirectory, string baseName)
        {
            CertificateInfo certificate = CertificateRequestBuilder.CreateSelfSigned(options, ValidDays, Log);
            if (outputDirectory is null)
            {
                WriteObject(certificate);
                return;
            }

            var targets = new PemExportTargets
            {
                CertificatePath = Path.Combine(outputDirectory, baseName + ".crt"),
                KeyPath = options.ExistingKeyPath is null ? Path.Combine(outputDirectory, baseName + ".key") : null,
            };
            CertificateInfo? written = PemOutput.WriteCertificate(certificate, targets, options.ExistingKeyPath is null ? KeyPassword : null, Force, ShouldProcessFile, Log);
            if (written is not null)
            {
                WriteObject(written);
            }
        }

        private static void AddAll(System.Collections.Generic.ICollection<string> target, string[]? values)
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
