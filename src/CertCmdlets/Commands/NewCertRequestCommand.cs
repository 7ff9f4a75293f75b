using System;
using System.IO;
using System.Management.Automation;
using CertCmdlets.Core;
using CertCmdlets.Core.Export;
using CertCmdlets.Core.Requests;

namespace CertCmdlets.Commands
{
    /// <summary>
    /// <para type="synopsis">Creates a private key and a certificate signing request, or a self-signed certificate; or the renewal request of an existing certificate.</para>
    /// <para type="description">Makes a new key (RSA 2048 by default) or reuses one (-KeyPath), and a PKCS#10 request
    /// for the subject and names given. A host-name common name is also put in the DNS names, which browsers check.
    /// With -SelfSign it returns a self-signed server certificate instead. With -OutputDirectory it writes
    /// name.key (mode 0600 on Unix) and name.csr or name.crt, atomically and never over an existing file unless -Force.</para>
    /// <para type="description">-FromCertificate (a certificate object, or its file) renews a certificate: the request
    /// asks for the same subject (CN, O, OU, L, ST, C, E) and the same alternative names (DNS names, IP addresses,
    /// e-mail addresses), with a new key of the same kind (RSA of the same size, ECDSA on the same curve), or the
    /// certificate's own key with -KeyPath (which must belong to it: CertificateKeyMismatch). Parameters given as well
    /// override the certificate's values (-Organization, -KeySize...), and -DnsName and -IpAddress add names.
    /// Certificate objects piped to New-CertRequest are taken as -FromCertificate; a name that a request cannot carry
    /// is named in a warning, never dropped silently.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "CertRequest", DefaultParameterSetName = RequestSet, SupportsShouldProcess = true)]
    [OutputType(typeof(CertificateRequestInfo), ParameterSetName = new[] { RequestSet, FromCertificateSet })]
    [OutputType(typeof(CertificateInfo), ParameterSetName = new[] { SelfSignedSet, FromCertificateSelfSignedSet })]
    public sealed class NewCertRequestCommand : SubjectKeyCommandBase
    {
        private const string RequestSet = "Request";
        private const string SelfSignedSet = "SelfSigned";
        private const string FromCertificateSet = "FromCertificate";
        private const string FromCertificateSelfSignedSet = "FromCertificateSelfSigned";

        #region Parameters

        /// <summary>
        /// <para type="description">The common name (CN), usually the server's main host name, e.g. www.example.com.</para>
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = RequestSet)]
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = SelfSignedSet)]
        [Alias("CN")]
        public string CommonName { get; set; } = string.Empty;

        /// <summary>
        /// <para type="description">The certificate to renew: a certificate object (Import-CertFile, X509Certificate2, Posh-ACME) or a certificate file. The request repeats its subject, alternative names and kind of key. Certificate objects piped in bind here.</para>
        /// </summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = FromCertificateSet)]
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = FromCertificateSelfSignedSet)]
        [CertificateFileTransformation]
        [CertificateTransformation]
        public CertificateInfo? FromCertificate { get; set; }

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
        /// <para type="description">Return a self-signed certificate (for internal tests) instead of a request.</para>
        /// </summary>
        [Parameter(Mandatory = true, ParameterSetName = SelfSignedSet)]
        [Parameter(Mandatory = true, ParameterSetName = FromCertificateSelfSignedSet)]
        public SwitchParameter SelfSign { get; set; }

        /// <summary>
        /// <para type="description">Validity of the self-signed certificate in days (1 to 3650, default 365).</para>
        /// </summary>
        [Parameter(ParameterSetName = SelfSignedSet)]
        [Parameter(ParameterSetName = FromCertificateSelfSignedSet)]
        public int ValidDays { get; set; } = 365;

        #endregion

        #region Overrides

        /// <summary>Checks the arguments given once for the whole call; a wrong one stops the command.</summary>
        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            if (SelfSign && (ValidDays < 1 || ValidDays > 3650))
            {
                ThrowCoreError(CertificateRequestBuilder.ValidDaysOutOfRange(ValidDays));
            }

            // Names given as arguments are bound by now; names from the pipeline are checked per input.
            try
            {
                bool commonNameGiven = MyInvocation.BoundParameters.ContainsKey(nameof(CommonName));
                CertificateRequestBuilder.CheckNames(commonNameGiven ? CommonName : null, DnsName, IpAddress);
            }
            catch (CertCmdletsException ex)
            {
                ThrowCoreError(ex);
            }
        }

        /// <summary>Creates the request or certificate for each input.</summary>
        protected override void ProcessRecord()
        {
            try
            {
                CertificateRequestOptions options = SubjectAndKeyOptions(CommonName);
                AddAll(options.DnsNames, DnsName);
                AddAll(options.IpAddresses, IpAddress);
                AddAll(options.EmailAddresses, Email);
                if (FromCertificate is not null)
                {
                    RenewalRequest.Apply(FromCertificate, options, Log);
                }

                switch (ParameterSetName)
                {
                    case SelfSignedSet:
                    case FromCertificateSelfSignedSet:
                        EmitCertificate(CertificateRequestBuilder.CreateSelfSigned(options, ValidDays, Log), options);
                        break;
                    default:
                        WriteRequest(options);
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

        /// <inheritdoc/>
        internal override System.Collections.Generic.IEnumerable<string>? ArgumentEmails => Email;

        private void WriteRequest(CertificateRequestOptions options)
        {
            CertificateRequestInfo request = CertificateRequestBuilder.CreateRequest(options, Log);
            (string Directory, string BaseName)? location = OutputLocation(options.CommonName);
            if (location is null)
            {
                WriteObject(request);
                return;
            }

            string requestPath = Path.Combine(location.Value.Directory, location.Value.BaseName + ".csr");
            string? keyPath = options.ExistingKeyPath is null ? Path.Combine(location.Value.Directory, location.Value.BaseName + ".key") : null;
            if (PemOutput.WriteRequest(request, requestPath, keyPath, NewKeyPassword, Force, ShouldProcessFile, Log))
            {
                WriteObject(request);
            }
        }

        #endregion
    }
}
