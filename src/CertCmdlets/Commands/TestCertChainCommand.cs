using System;
using System.Collections.Generic;
using System.Management.Automation;
using CertCmdlets.Core;
using CertCmdlets.Core.Certificates;
using CertCmdlets.Core.Chains;

namespace CertCmdlets.Commands
{
    /// <summary>
    /// <para type="synopsis">Checks a certificate and its chain as a client would, and says in words what is wrong.</para>
    /// <para type="description">For each leaf: is the chain complete and in order, does it reach a trusted root
    /// (-TrustedRootPath, else the system store), are the signatures valid, is every certificate within its validity,
    /// are algorithms strong, does the leaf allow TLS server use (key usage, serverAuth), do name constraints allow its
    /// names, and does it cover -DnsName (RFC 6125 wildcard rules). -Quiet returns only $true or $false.</para>
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "CertChain", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(ChainTestResult), typeof(bool))]
    public sealed class TestCertChainCommand : CertCmdletBase
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";
        private const string InputObjectSet = "InputObject";

        private IReadOnlyList<CertificateInfo>? _trustedRoots;

        #region Parameters

        /// <summary>
        /// <para type="description">Certificate objects to test (their Chain is used).</para>
        /// </summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = InputObjectSet)]
        [CertificateTransformation]
        public CertificateInfo[] InputObject { get; set; } = Array.Empty<CertificateInfo>();

        /// <summary>
        /// <para type="description">Certificate files (a full chain PEM, a .p7b). Wildcards are expanded.</para>
        /// </summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
        [SupportsWildcards]
        public string[] Path { get; set; } = Array.Empty<string>();

        /// <summary>
        /// <para type="description">Certificate files, taken exactly as written. Binds FullName/PSPath of piped file objects.</para>
        /// </summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
        [Alias("PSPath", "LP", "FullName")]
        public string[] LiteralPath { get; set; } = Array.Empty<string>();

        /// <summary>
        /// <para type="description">Root certificates to trust instead of the system store (files or directories), e.g. an internal CA.</para>
        /// </summary>
        [Parameter]
        public string[] TrustedRootPath { get; set; } = Array.Empty<string>();

        /// <summary>
        /// <para type="description">The host name (or IP address) the certificate must cover.</para>
        /// </summary>
        [Parameter]
        [Alias("HostName")]
        public string? DnsName { get; set; }

        /// <summary>
        /// <para type="description">Return only $true (no problem) or $false, for scripts.</para>
        /// </summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        #endregion

        #region Overrides

        /// <summary>Loads the trust anchors once.</summary>
        protected override void BeginProcessing()
        {
            _trustedRoots = TrustedRootPath.Length > 0 ? ReadCertificatePool(TrustedRootPath) : SystemRoots.Load(Log);
        }

        /// <summary>Tests each certificate or file.</summary>
        protected override void ProcessRecord()
        {
            switch (ParameterSetName)
            {
                case InputObjectSet:
                    foreach (CertificateInfo certificate in InputObject)
                    {
                        Emit(ChainTester.Test(certificate, Array.Empty<CertificateInfo>(), _trustedRoots!, DnsName));
                    }

                    break;
                default:
                    IEnumerable<string> paths = ParameterSetName == LiteralPathSet ? ResolveInputPaths(LiteralPath, literal: true) : ResolveInputPaths(Path, literal: false);
                    foreach (string path in paths)
                    {
                        TestFile(path);
                    }

                    break;
            }
        }

        #endregion

        #region Private helpers

        private void TestFile(string path)
        {
            try
            {
                IReadOnlyList<CertificateInfo> certificates = CertificateReader.ReadFile(path, Log);
                foreach (ChainTestResult result in ChainTester.TestAll(certificates, _trustedRoots!, DnsName))
                {
                    Emit(result);
                }
            }
            catch (CertCmdletsException ex)
            {
                WriteCoreError(ex);
            }
        }

        private void Emit(ChainTestResult result)
        {
            foreach (string problem in result.Problems)
            {
                WriteVerbose(problem);
            }

            WriteObject(Quiet ? (object)result.IsValid : result);
        }

        #endregion
    }
}
