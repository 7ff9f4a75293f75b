using System;
using System.Collections.Generic;
using System.Management.Automation;
using CertCmdlets.Core;
using CertCmdlets.Core.Authority;
using CertCmdlets.Core.Requests;

namespace CertCmdlets.Commands
{
    /// <summary>
    /// <para type="synopsis">Signs certificate requests with an internal CA.</para>
    /// <para type="description">Signs request objects (New-CertRequest) or CSR files (-Path, e.g. made by openssl) with
    /// -Authority (a CA certificate object with its key, from New-CertAuthority or Import-CertFile -KeyPath). The
    /// requested subject and alternative names are copied (internationalized DNS names as their xn-- A-labels); a request
    /// asking for CA powers is refused, and so is one with a weak key or signature hash unless -AllowWeakRequest is given.
    /// One bad request is reported and the others are still signed. Serial numbers are
    /// random 128-bit. Emits the certificate with its chain up to the CA (and the request's key, when it carries one).</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Approve, "CertRequest", DefaultParameterSetName = InputObjectSet)]
    [OutputType(typeof(CertificateInfo))]
    public sealed class ApproveCertRequestCommand : CertCmdletBase
    {
        private const string InputObjectSet = "InputObject";
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";

        #region Parameters

        /// <summary>
        /// <para type="description">Request objects to sign (from New-CertRequest).</para>
        /// </summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
        public CertificateRequestInfo[] InputObject { get; set; } = Array.Empty<CertificateRequestInfo>();

        /// <summary>
        /// <para type="description">CSR files to sign (PEM or DER). Wildcards are expanded.</para>
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
        [SupportsWildcards]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>
        /// <para type="description">CSR files, taken exactly as written. Binds FullName/PSPath of piped file objects.</para>
        /// </summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
        [Alias("PSPath", "LP", "FullName")]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        /// <summary>
        /// <para type="description">The signing CA: a CA certificate object carrying its private key.</para>
        /// </summary>
        [Parameter(Mandatory = true)]
        [Alias("CA")]
        [CertificateTransformation]
        public CertificateInfo? Authority { get; set; }

        /// <summary>
        /// <para type="description">Validity in days (default 365; never past the CA's own).</para>
        /// </summary>
        [Parameter]
        public int ValidDays { get; set; } = 365;

        /// <summary>
        /// <para type="description">Signature hash: SHA256 (default), SHA384 or SHA512.</para>
        /// </summary>
        [Parameter]
        [ArgumentCompleter(typeof(ChoiceCompleter))]
        public string? HashAlgorithm { get; set; }

        /// <summary>
        /// <para type="description">Sign requests New-CertRequest would refuse to make (RSA under 2048 bits, DSA or small-curve
        /// keys; MD4, MD5 or SHA-1 signatures), which are refused by default (RequestKeyTooWeak, RequestSignatureAlgorithmWeak).
        /// Each override is named in a warning. For test labs that must reproduce old clients only.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter AllowWeakRequest { get; set; }

        #endregion

        #region Overrides

        /// <summary>Checks the CA, the validity and the hash once: a wrong one stops the command.</summary>
        protected override void BeginProcessing()
        {
            try
            {
                CertificateAuthority.CheckSigningArguments(Authority!, ValidDays, HashAlgorithm);
            }
            catch (CertCmdletsException ex)
            {
                ThrowCoreError(ex);
            }
        }

        /// <summary>Signs each request.</summary>
        protected override void ProcessRecord()
        {
            if (ParameterSetName == InputObjectSet)
            {
                foreach (CertificateRequestInfo request in InputObject)
                {
                    Approve(request);
                }

                return;
            }

            IEnumerable<string> paths = ParameterSetName == LiteralPathSet ? ResolveInputPaths(LiteralPath, literal: true) : ResolveInputPaths(Path, literal: false);
            foreach (string path in paths)
            {
                try
                {
                    Approve(CertificateRequestReader.ReadFile(path));
                }
                catch (CertCmdletsException ex)
                {
                    WriteCoreError(ex);
                }
            }
        }

        #endregion

        #region Private helpers

        private void Approve(CertificateRequestInfo request)
        {
            try
            {
                WriteObject(CertificateAuthority.Approve(request, Authority!, ValidDays, HashAlgorithm, Log, AllowWeakRequest));
            }
            catch (CertCmdletsException ex)
            {
                WriteCoreError(ex);
            }
        }

        #endregion
    }
}
