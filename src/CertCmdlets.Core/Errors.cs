using System;
using System.Collections.Generic;

namespace CertCmdlets.Core
{
    /// <summary>
    /// Every error the core reports, in one place (one file per area beside this one): the ErrorId, the kind, the
    /// offending input, what was wrong and what to do. The message is the problem followed by the action; the action
    /// is also given apart, as the error record's RecommendedAction.
    /// </summary>
    internal static partial class Errors
    {
        public static CertCmdletsException CountryCodeInvalid(string value, string? suggestion) =>
            Error("CountryCodeInvalid", CertErrorKind.InvalidArgument, value,
                $"'{value}' is not an ISO 3166-1 alpha-2 country code.",
                suggestion is null
                    ? "Use the two-letter code, for example 'US', 'GB' or 'DE' (Tab after -Country lists them)."
                    : $"Did you mean '{suggestion}'? Use -Country {suggestion}.");

        public static CertCmdletsException KeySizeWeak(int size) =>
            Error("KeySizeTooWeak", CertErrorKind.SecurityError, size,
                $"An RSA key of {size} bits is too weak: browsers and CAs reject keys under 2048 bits.",
                "Use -KeySize 2048, 3072 or 4096.");

        public static CertCmdletsException KeySizeUnsupported(int size) =>
            Error("KeySizeUnsupported", CertErrorKind.InvalidArgument, size,
                $"An RSA key size of {size} bits is not supported.",
                "Use -KeySize 2048, 3072 or 4096.");

        public static CertCmdletsException HashAlgorithmWeak(string name) =>
            Error("HashAlgorithmTooWeak", CertErrorKind.SecurityError, name,
                $"The hash algorithm '{name}' is broken for signatures and CAs refuse it.",
                "Use -HashAlgorithm SHA256 (the default), SHA384 or SHA512.");

        public static CertCmdletsException HashAlgorithmUnsupported(string name) =>
            Error("HashAlgorithmUnsupported", CertErrorKind.InvalidArgument, name,
                $"The hash algorithm '{name}' is not supported.",
                "Use -HashAlgorithm SHA256 (the default), SHA384 or SHA512.");

        public static CertCmdletsException KeyAlgorithmUnsupported(string name) =>
            Error("KeyAlgorithmUnsupported", CertErrorKind.InvalidArgument, name,
                $"The key algorithm '{name}' is not supported.",
                "Use -KeyAlgorithm RSA or ECDSA.");

        public static CertCmdletsException CurveUnsupported(string name) =>
            Error("CurveUnsupported", CertErrorKind.InvalidArgument, name,
                $"The curve '{name}' is not supported.",
                "Use -Curve P256, P384 or P521.");

        /// <summary>Two key options that cannot go together; <paramref name="value"/> is the one that does not fit.</summary>
        public static CertCmdletsException KeyOptionConflict(object value, string detail) =>
            new CertCmdletsException("KeyOptionConflict", CertErrorKind.InvalidArgument, value, detail, LastSentence(detail), null);

        public static CertCmdletsException SubjectValueInvalid(string field, string value, string why) =>
            Error("SubjectValueInvalid", CertErrorKind.InvalidArgument, value,
                $"The {field} '{value}' is not valid: {why}",
                $"Give a {field} of plain printable text within the length X.509 allows.");

        public static CertCmdletsException DnsNameInvalid(string value, string why) =>
            Error("DnsNameInvalid", CertErrorKind.InvalidArgument, value,
                $"'{value}' is not a valid DNS name: {why}",
                "Give a host name such as www.example.com (a wildcard only as the first label: *.example.com).");

        public static CertCmdletsException IpAddressInvalid(string value) =>
            Error("IpAddressInvalid", CertErrorKind.InvalidArgument, value,
                $"'{value}' is not a valid IPv4 or IPv6 address.",
                "Give an address such as 192.0.2.10 or 2001:db8::10, or put a host name in -DnsName.");

        public static CertCmdletsException EmailInvalid(string value) =>
            Error("EmailAddressInvalid", CertErrorKind.InvalidArgument, value,
                $"'{value}' is not a valid e-mail address.",
                "Give an address as name@domain, in plain ASCII.");

        public static CertCmdletsException ValidDaysOutOfRange(int days, int maximum = 3650) =>
            Error("ValidDaysOutOfRange", CertErrorKind.InvalidArgument, days,
                $"-ValidDays {days} is out of range.",
                $"Use a number of days from 1 to {maximum}.");

        public static CertCmdletsException NameInvalid(string value) =>
            Error("OutputNameInvalid", CertErrorKind.InvalidArgument, value,
                $"'{value}' cannot be used as a file name here.",
                "Give a plain file name (letters, digits, '.', '-', '_'), without a directory.");

        public static CertCmdletsException FileNotFound(string path) =>
            Error("FileNotFound", CertErrorKind.ObjectNotFound, path,
                $"The file '{path}' does not exist.",
                "Check the path (relative paths start at the current PowerShell location).");

        public static CertCmdletsException FileReadFailed(string path, Exception inner) =>
            Error("FileReadFailed", inner is UnauthorizedAccessException ? CertErrorKind.PermissionDenied : CertErrorKind.ReadError, path,
                $"The file '{path}' could not be read: {inner.Message}",
                inner is UnauthorizedAccessException ? "Run with an account that may read it, or change its permissions." : "Check that it is a readable file.",
                inner);

        public static CertCmdletsException FileTooLarge(string path, long length) =>
            Error("FileTooLarge", CertErrorKind.InvalidData, path,
                $"The file '{path}' is {length} bytes, too large to be a certificate or key file.",
                "Give the certificate, key or request file itself.");

        public static CertCmdletsException OutputFileExists(string path) =>
            Error("OutputFileExists", CertErrorKind.ResourceExists, path,
                $"The file '{path}' already exists. Nothing was written.",
                "Use -Force to replace it, or choose another path.");

        public static CertCmdletsException OutputPathIsDirectory(string path) =>
            Error("OutputPathIsDirectory", CertErrorKind.InvalidArgument, path,
                $"'{path}' is a directory.",
                "Give a file path, or use -OutputDirectory.");

        public static CertCmdletsException OutputPathDuplicate(string path) =>
            Error("OutputPathDuplicate", CertErrorKind.InvalidArgument, path,
                $"'{path}' was given for two different outputs.",
                "Give each output its own file.");

        public static CertCmdletsException FileWriteFailed(string path, Exception inner) =>
            Error("FileWriteFailed", inner is UnauthorizedAccessException ? CertErrorKind.PermissionDenied : CertErrorKind.WriteError, path,
                $"The file '{path}' could not be written: {inner.Message} Nothing was changed.",
                inner is UnauthorizedAccessException ? "Run with an account that may write there, or choose another folder." : "Check the folder (free space, permissions), then run the command again.",
                inner);

        public static CertCmdletsException CertificateFileInvalid(string source, string why, Exception? inner = null) =>
            Error("CertificateFileInvalid", CertErrorKind.InvalidData, source,
                $"'{source}' is not a readable certificate file: {why}",
                "Give a PEM (BEGIN CERTIFICATE), DER or PKCS#7 (.p7b) certificate file; for .pfx files use Import-PfxAsPem.",
                inner);

        public static CertCmdletsException NoCertificateInFile(string source, IEnumerable<string> found)
        {
            string what = string.Join(", ", found);
            return what.Length == 0
                ? Error("NoCertificateInFile", CertErrorKind.InvalidData, source, $"'{source}' contains no certificate.", "Give a PEM (BEGIN CERTIFICATE), DER, or PKCS#7 (.p7b) certificate file.")
                : Error("NoCertificateInFile", CertErrorKind.InvalidData, source, $"'{source}' contains no certificate, only: {what}.", "Give the file that holds the certificate.");
        }

        public static CertCmdletsException KeyFileInvalid(string source, string why, Exception? inner = null) =>
            Error("KeyFileInvalid", CertErrorKind.InvalidData, source,
                $"'{source}' is not a readable private key file: {why}",
                "Give the private key file (PEM or DER: PKCS#1, PKCS#8, SEC1 or OpenSSL's encrypted form).",
                inner);

        public static CertCmdletsException KeyPasswordRequired(string source) =>
            Error("KeyPasswordRequired", CertErrorKind.AuthenticationError, source,
                $"The private key in '{source}' is encrypted.",
                "Give its password with -KeyPassword (Read-Host -AsSecureString).");

        public static CertCmdletsException KeyPasswordIncorrect(string source, Exception? inner) =>
            Error("KeyPasswordIncorrect", CertErrorKind.AuthenticationError, source,
                $"The password for the private key in '{source}' is incorrect.",
                "Give the password the key was encrypted with (-KeyPassword).",
                inner);

        public static CertCmdletsException KeyTypeUnsupported(string source, string type) =>
            Error("KeyTypeUnsupported", CertErrorKind.NotImplemented, source,
                $"The private key in '{source}' is a {type} key; only RSA and ECDSA (P-256, P-384, P-521) keys are supported.",
                "Make a new RSA or ECDSA key with New-CertRequest and have the certificate issued for it.");

        public static CertCmdletsException KeyTooWeak(string source, string keyAlgorithm) =>
            Error("KeyTooWeak", CertErrorKind.SecurityError, source,
                $"The private key in '{source}' is {keyAlgorithm}, too weak for a certificate today.",
                "Create a new key (omit -KeyPath) of at least RSA 2048 bits or ECDSA P-256.");

        public static CertCmdletsException CertificateKeyMismatch(string certificate, string key) =>
            Error("CertificateKeyMismatch", CertErrorKind.SecurityError, certificate,
                $"The private key in '{key}' does not belong to the certificate '{certificate}': their public keys differ.",
                "Give the key that was used for this certificate's request.");

        public static CertCmdletsException CertificateHasNoPrivateKey(string certificate) =>
            Error("CertificateHasNoPrivateKey", CertErrorKind.InvalidOperation, certificate,
                $"The certificate '{certificate}' carries no private key, so there is no key to write.",
                "Attach one with Import-CertFile -KeyPath, or leave out -KeyPath.");

        public static CertCmdletsException NothingToWrite() =>
            Error("NothingToWrite", CertErrorKind.InvalidArgument, null,
                "No output was named.",
                "Give -OutputDirectory, or one or more of -CertificatePath, -KeyPath, -ChainPath, -FullChainPath.");

        public static CertCmdletsException PfxFileInvalid(string source, string why, Exception? inner = null) =>
            Error("PfxFileInvalid", CertErrorKind.InvalidData, source,
                $"'{source}' is not a readable PFX (PKCS#12) file: {why}",
                "Export the PFX again (with its private key and certificate), or check that the file was copied whole.",
                inner);

        public static CertCmdletsException PfxPasswordIncorrect(string source) =>
            Error("PfxPasswordIncorrect", CertErrorKind.AuthenticationError, source,
                $"The password for '{source}' is incorrect. Nothing was written.",
                "Give the password the PFX was exported with (-Password).");

        public static CertCmdletsException PfxPasswordRequired(string source) =>
            Error("PfxPasswordRequired", CertErrorKind.AuthenticationError, source,
                $"'{source}' is protected by a password.",
                "Give it with -Password (or -PlainTextPassword in unattended scripts).");

        public static CertCmdletsException PfxEncryptionUnsupported(string source, string what) =>
            Error("PfxEncryptionUnsupported", CertErrorKind.NotImplemented, source,
                $"'{source}' uses {what}, which this module cannot read.",
                "Re-export it with AES-256 or 3DES encryption.");

        public static CertCmdletsException PfxHasNoCertificate(string source) =>
            Error("PfxHasNoCertificate", CertErrorKind.InvalidData, source,
                $"'{source}' holds no certificate.",
                "Export the PFX again with its certificate included.");

        public static CertCmdletsException PfxKeyWithoutCertificate(string source) =>
            Error("PfxKeyWithoutCertificate", CertErrorKind.InvalidData, source,
                $"'{source}' holds a private key but no certificate that belongs to it.",
                "Export the PFX again with the certificate included.");

        public static CertCmdletsException PfxSeveralLeaves(string source, string subjects) =>
            Error("PfxSeveralKeys", CertErrorKind.InvalidOperation, source,
                $"'{source}' holds several private keys ({subjects}), so the files to write are ambiguous.",
                "Choose one certificate with -Thumbprint.");

        public static CertCmdletsException PfxThumbprintNotFound(string source, string thumbprint) =>
            Error("PfxThumbprintNotFound", CertErrorKind.ObjectNotFound, thumbprint,
                $"'{source}' holds no certificate with a private key and the thumbprint {thumbprint}.",
                "Run Import-PfxAsPem without -Thumbprint to list the certificates it holds.");

        public static CertCmdletsException RequestFileInvalid(string source, string why, Exception? inner = null) =>
            Error("RequestFileInvalid", CertErrorKind.InvalidData, source,
                $"'{source}' is not a readable certificate signing request: {why}",
                "Give a PEM (BEGIN CERTIFICATE REQUEST) or DER request file.",
                inner);

        public static CertCmdletsException RequestSignatureInvalid(string source) =>
            Error("RequestSignatureInvalid", CertErrorKind.SecurityError, source,
                $"The request '{source}' is not signed by its own key (it was altered or damaged).",
                "Ask for a new request.");

        public static CertCmdletsException RequestAsksForCa(string source, string what) =>
            Error("RequestAsksForCa", CertErrorKind.SecurityError, source,
                $"The request '{source}' asks for {what}, which a server certificate must not have. It was refused.",
                "Make a new request without it, or use New-CertAuthority -Issuer for an intermediate CA.");

        public static CertCmdletsException AuthorityHasNoPrivateKey(string authority) =>
            Error("AuthorityHasNoPrivateKey", CertErrorKind.InvalidArgument, authority,
                $"The CA certificate '{authority}' carries no private key, so it cannot sign.",
                "Read it with Import-CertFile -KeyPath, or create it with New-CertAuthority.");

        public static CertCmdletsException AuthorityNotCa(string authority) =>
            Error("AuthorityNotCertificateAuthority", CertErrorKind.InvalidArgument, authority,
                $"'{authority}' is not a CA certificate (basic constraints CA:FALSE or missing), so it cannot sign certificates.",
                "Give the CA's certificate and key as -Authority (New-CertAuthority makes one).");

        public static CertCmdletsException AuthorityExpired(string authority, DateTime notAfter) =>
            Error("AuthorityExpired", CertErrorKind.InvalidOperation, authority,
                $"The CA certificate '{authority}' expired on {notAfter:yyyy-MM-dd}; it cannot sign.",
                "Create or renew the CA first.");

        public static CertCmdletsException CertificateRequestMismatch(string source, string detail) =>
            Error("CertificateRequestMismatch", CertErrorKind.SecurityError, source,
                $"No certificate in '{source}' belongs to this request: {detail} Nothing was written.",
                "Check that the CA signed this request (not an older one).");

        public static CertCmdletsException CertificateNamesMismatch(string source, string missing, string covered) =>
            Error("CertificateNamesMismatch", CertErrorKind.SecurityError, source,
                $"The certificate in '{source}' does not cover every name of the request: missing {missing} (it covers {covered}). Nothing was written.",
                "Ask the CA to reissue it with all the names.");

        public static CertCmdletsException ApacheLayoutUnknown(string path) =>
            Error("ApacheLayoutUnknown", CertErrorKind.ObjectNotFound, path,
                $"'{path}' holds no httpd configuration this module knows (apache2.conf, conf/httpd.conf or httpd.conf).",
                "Give the main configuration file with -ConfigPath.");

        public static CertCmdletsException ApacheConfigInvalid(string path, int line, string problem) =>
            Error("ApacheConfigInvalid", CertErrorKind.InvalidData, path,
                $"The httpd configuration cannot be read: {path}{(line > 0 ? $", line {line}" : string.Empty)}: {problem} Nothing was changed.",
                "Fix the file first (httpd -t shows what httpd thinks of it), then run the command again.");

        public static CertCmdletsException ApacheConfigAlreadyBroken(string path, string output) =>
            Error("ApacheConfigTestFailedBefore", CertErrorKind.InvalidOperation, path,
                $"httpd's configuration test fails before any change, so nothing was changed. httpd said: {output.Trim()}",
                "Fix what httpd reports first, then run the command again.");

        public static CertCmdletsException ApacheConfigTestFailed(string path, string output) =>
            Error("ApacheConfigTestFailed", CertErrorKind.InvalidOperation, path,
                $"httpd's configuration test failed after the change, so every file was restored as it was. httpd said: {output.Trim()}",
                "Fix what httpd reports (often a module or directive the site needs), then run the command again.");

        public static CertCmdletsException ApacheModuleMissing(string module, string hint) =>
            Error("ApacheModuleMissing", CertErrorKind.ObjectNotFound, module,
                $"The httpd module {module} is not installed.",
                hint);

        public static CertCmdletsException CertificateDoesNotCoverServerName(string certificate, string serverName, string names) =>
            Error("CertificateNameMismatch", CertErrorKind.SecurityError, serverName,
                $"The certificate '{certificate}' does not cover '{serverName}' (it covers {names}); browsers would refuse it.",
                "Use a certificate issued for this name, or -AllowNameMismatch to configure it anyway.");

        public static CertCmdletsException ApacheWriteFailed(string path, Exception inner) =>
            Error("ApacheConfigWriteFailed", inner is UnauthorizedAccessException ? CertErrorKind.PermissionDenied : CertErrorKind.WriteError, path,
                $"'{path}' could not be written: {inner.Message} Every file was restored as it was.",
                inner is UnauthorizedAccessException ? "Run as an account that may change httpd's configuration (often root)." : "Check the disk and the file's permissions, then run the command again.",
                inner);

        public static CertCmdletsException ApacheNoCertificate() =>
            Error("ApacheCertificateMissing", CertErrorKind.InvalidArgument, null,
                "No certificate was given.",
                "Pipe a certificate object that carries its file paths (Export-CertPem), or give -CertificatePath and -KeyPath.");

        /// <summary>An error whose message is the problem followed by the action, the action also given apart.</summary>
        private static CertCmdletsException Error(string errorId, CertErrorKind kind, object? target, string problem, string action, Exception? inner = null) =>
            new CertCmdletsException(errorId, kind, target, problem + " " + action, action, inner);

        private static string? LastSentence(string message)
        {
            int start = message.TrimEnd().LastIndexOf(". ", message.Length - 2, StringComparison.Ordinal);
            return start < 0 ? null : message.Substring(start + 2);
        }
    }
}
