using System;

namespace CertCmdlets.Core
{
    /// <summary>Errors for the files met in the real world: weak requests, damaged parts of otherwise readable files, unusable keys.</summary>
    internal static partial class Errors
    {
        public static CertCmdletsException RequestKeyTooWeak(string source, string keyAlgorithm) =>
            new CertCmdletsException("RequestKeyTooWeak", CertErrorKind.SecurityError, source,
                $"The request '{source}' has a {keyAlgorithm} key, which New-CertRequest refuses as too weak (RSA under 2048 bits, DSA, EC under 256 bits); it was not signed. Ask for a new request with an RSA 2048+ or ECDSA P-256+ key, or use -AllowWeakRequest to sign it anyway.");

        public static CertCmdletsException RequestSignatureAlgorithmWeak(string source, string signatureAlgorithm) =>
            new CertCmdletsException("RequestSignatureAlgorithmWeak", CertErrorKind.SecurityError, source,
                $"The request '{source}' is signed with {signatureAlgorithm}, a broken hash (MD4, MD5 or SHA-1) that New-CertRequest refuses; it was not signed. Ask for a new request signed with SHA-256 or better, or use -AllowWeakRequest to sign it anyway.");

        public static CertCmdletsException RequestExtensionInvalid(string source, string extension, Exception? inner) =>
            new CertCmdletsException("RequestExtensionInvalid", CertErrorKind.InvalidData, source,
                $"The request '{source}' holds a damaged {extension} extension, so it was not signed. Ask for a new request.", inner);

        public static CertCmdletsException RequestDnsNameInvalid(string source, string name) =>
            new CertCmdletsException("RequestDnsNameInvalid", CertErrorKind.InvalidData, source,
                $"The request '{source}' asks for the DNS name '{name}', which is not a valid host name (nor an internationalized one), so it was not signed. Ask for a new request with valid names.");

        public static CertCmdletsException KeyUnusable(string keyAlgorithm, Exception? inner) =>
            new CertCmdletsException("KeyUnusable", CertErrorKind.InvalidData, keyAlgorithm,
                $"The {keyAlgorithm} private key was read, but its parts do not form a working key, so it cannot sign. Its file may be damaged; use another copy of the key.", inner);

        public static CertCmdletsException IterationCountTooLarge(string source, long iterations, int limit) =>
            new CertCmdletsException("IterationCountTooLarge", CertErrorKind.InvalidData, source,
                $"'{source}' asks for {iterations} password-hashing iterations, more than the {limit} any real file uses; reading it would take hours, so it was refused. The file is damaged or hostile; export it again.");
    }
}
