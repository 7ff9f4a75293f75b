using System;
using System.Collections.Generic;

namespace CertCmdlets.Core
{
    /// <summary>
    /// Every error the core reports, in one place: the ErrorId, the kind and the message an administrator
    /// reads. Messages say what was wrong and what to do.
    /// </summary>
    internal static partial class Errors
    {
        public static CertCmdletsException CountryCodeInvalid(string value, string? suggestion)
        {
            string message = suggestion is null
                ? $"'{value}' is not an ISO 3166-1 alpha-2 country code. Use the two-letter code, for example 'US', 'GB' or 'DE'."
                : $"'{value}' is not an ISO 3166-1 alpha-2 country code. Did you mean '{suggestion}'? Use -Country {suggestion}.";
            return new CertCmdletsException("CountryCodeInvalid", CertErrorKind.InvalidArgument, value, message);
        }

        public static CertCmdletsException KeySizeWeak(int size) =>
            new CertCmdletsException("KeySizeTooWeak", CertErrorKind.SecurityError, size,
                $"An RSA key of {size} bits is too weak: browsers and CAs reject keys under 2048 bits. Use -KeySize 2048, 3072 or 4096.");

        public static CertCmdletsException KeySizeUnsupported(int size) =>
            new CertCmdletsException("KeySizeUnsupported", CertErrorKind.InvalidArgument, size,
                $"An RSA key size of {size} bits is not supported. Use -KeySize 2048, 3072 or 4096.");

        public static CertCmdletsException HashAlgorithmWeak(string name) =>
            new CertCmdletsException("HashAlgorithmTooWeak", CertErrorKind.SecurityError, name,
                $"The hash algorithm '{name}' is broken for signatures and CAs refuse it. Use -HashAlgorithm SHA256 (the default), SHA384 or SHA512.");

        public static CertCmdletsException HashAlgorithmUnsupported(string name) =>
            new CertCmdletsException("HashAlgorithmUnsupported", CertErrorKind.InvalidArgument, name,
                $"The hash algorithm '{name}' is not supported. Use -HashAlgorithm SHA256 (the default), SHA384 or SHA512.");

        public static CertCmdletsException KeyAlgorithmUnsupported(string name) =>
            new CertCmdletsException("KeyAlgorithmUnsupported", CertErrorKind.InvalidArgument, name,
                $"The key algorithm '{name}' is not supported. Use -KeyAlgorithm RSA or ECDSA.");

        public static CertCmdletsException CurveUnsupported(string name) =>
            new CertCmdletsException("CurveUnsupported", CertErrorKind.InvalidArgument, name,
                $"The curve '{name}' is not supported. Use -Curve P256, P384 or P521.");

        public static CertCmdletsException KeyOptionConflict(string detail) =>
            new CertCmdletsException("KeyOptionConflict", CertErrorKind.InvalidArgument, detail, detail);

        public static CertCmdletsException SubjectValueInvalid(string field, string value, string why) =>
            new CertCmdletsException("SubjectValueInvalid", CertErrorKind.InvalidArgument, value,
                $"The {field} '{value}' is not valid: {why}");

        public static CertCmdletsException DnsNameInvalid(string value, string why) =>
            new CertCmdletsException("DnsNameInvalid", CertErrorKind.InvalidArgument, value,
                $"'{value}' is not a valid DNS name: {why}");

        public static CertCmdletsException IpAddressInvalid(string value) =>
            new CertCmdletsException("IpAddressInvalid", CertErrorKind.InvalidArgument, value,
                $"'{value}' is not a valid IPv4 or IPv6 address.");

        public static CertCmdletsException EmailInvalid(string value) =>
            new CertCmdletsException("EmailAddressInvalid", CertErrorKind.InvalidArgument, value,
                $"'{value}' is not a valid e-mail address (expected name@domain).");

        public static CertCmdletsException ValidDaysOutOfRange(int days, int maximum = 3650) =>
            new CertCmdletsException("ValidDaysOutOfRange", CertErrorKind.InvalidArgument, days,
                $"-ValidDays {days} is out of range. Use a number of days from 1 to {maximum}.");

        public static CertCmdletsException NameInvalid(string value) =>
            new CertCmdletsException("OutputNameInvalid", CertErrorKind.InvalidArgument, value,
                $"'{value}' cannot be used as a file name here. Give a plain file name (letters, digits, '.', '-', '_'), without a directory.");

        public static CertCmdletsException FileNotFound(string path) =>
            new CertCmdletsException("FileNotFound", CertErrorKind.ObjectNotFound, path,
                $"The file '{path}' does not exist.");

        public static CertCmdletsException FileReadFailed(string path, Exception inner) =>
            new CertCmdletsException("FileReadFailed", inner is UnauthorizedAccessException ? CertErrorKind.PermissionDenied : CertErrorKind.ReadError, path,
                $"The file '{path}' could not be read: {inner.Message}", inner);

        public static CertCmdletsException FileTooLarge(string path, long length) =>
            new CertCmdletsException("FileTooLarge", CertErrorKind.InvalidData, path,
                $"The file '{path}' is {length} bytes, too large to be a certificate or key file.");

        public static CertCmdletsException OutputFileExists(string path) =>
            new CertCmdletsException("OutputFileExists", CertErrorKind.ResourceExists, path,
                $"The file '{path}' already exists. Nothing was written. Use -Force to replace it, or choose another path.");

        public static CertCmdletsException OutputPathIsDirectory(string path) =>
            new CertCmdletsException("OutputPathIsDirectory", CertErrorKind.InvalidArgument, path,
                $"'{path}' is a directory. Give a file path, or use -OutputDirectory.");

        public static CertCmdletsException OutputPathDuplicate(string path) =>
            new CertCmdletsException("OutputPathDuplicate", CertErrorKind.InvalidArgument, path,
                $"'{path}' was given for two different outputs. Give each output its own file.");

        public static CertCmdletsException FileWriteFailed(string path, Exception inner) =>
            new CertCmdletsException("FileWriteFailed", inner is UnauthorizedAccessException ? CertErrorKind.PermissionDenied : CertErrorKind.WriteError, path,
                $"The file '{path}' could not be written: {inner.Message} Nothing was changed.", inner);

        public static CertCmdletsException CertificateFileInvalid(string source, string why, Exception? inner = null) =>
            new CertCmdletsException("CertificateFileInvalid", CertErrorKind.InvalidData, source,
                $"'{source}' is not a readable certificate file: {why}", inner);

        public static CertCmdletsException NoCertificateInFile(string source, IEnumerable<string> found)
        {
            string what = string.Join(", ", found);
            string message = what.Length == 0
                ? $"'{source}' contains no certificate. Expected PEM (BEGIN CERTIFICATE), DER, or PKCS#7 (.p7b)."
                : $"'{source}' contains no certificate, only: {what}. Give the file that holds the certificate.";
            return new CertCmdletsException("NoCertificateInFile", CertErrorKind.InvalidData, source, message);
        }

        public static CertCmdletsException KeyFileInvalid(string source, string why, Exception? inner = null) =>
            new CertCmdletsException("KeyFileInvalid", CertErrorKind.InvalidData, source,
                $"'{source}' is not a readable private key file: {why}", inner);

        public static CertCmdletsException KeyPasswordRequired(string source) =>
            new CertCmdletsException("KeyPasswordRequired", CertErrorKind.AuthenticationError, source,
                $"The private key in '{source}' is encrypted. Give its password with -KeyPassword.");

        public static CertCmdletsException KeyPasswordIncorrect(string source, Exception? inner) =>
            new CertCmdletsException("KeyPasswordIncorrect", CertErrorKind.AuthenticationError, source,
                $"The password for the private key in '{source}' is incorrect.", inner);

        public static CertCmdletsException KeyTypeUnsupported(string source, string type) =>
            new CertCmdletsException("KeyTypeUnsupported", CertErrorKind.NotImplemented, source,
                $"The private key in '{source}' is a {type} key; only RSA and ECDSA (P-256, P-384, P-521) keys are supported.");

        public static CertCmdletsException KeyTooWeak(string source, string keyAlgorithm) =>
            new CertCmdletsException("KeyTooWeak", CertErrorKind.SecurityError, source,
                $"The private key in '{source}' is {keyAlgorithm}, too weak for a certificate today. Create a new key (omit -KeyPath) of at least RSA 2048 bits or ECDSA P-256.");

        public static CertCmdletsException CertificateKeyMismatch(string certificate, string key) =>
            new CertCmdletsException("CertificateKeyMismatch", CertErrorKind.SecurityError, certificate,
                $"The private key in '{key}' does not belong to the certificate '{certificate}': their public keys differ. Give the key that was used for this certificate's request.");

        public static CertCmdletsException CertificateHasNoPrivateKey(string certificate) =>
            new CertCmdletsException("CertificateHasNoPrivateKey", CertErrorKind.InvalidOperation, certificate,
                $"The certificate '{certificate}' carries no private key, so there is no key to write. Attach one with Import-CertFile -KeyPath, or leave out -KeyPath.");

        public static CertCmdletsException NothingToWrite() =>
            new CertCmdletsException("NothingToWrite", CertErrorKind.InvalidArgument, null,
                "No output was named. Give -OutputDirectory, or one or more of -CertificatePath, -KeyPath, -ChainPath, -FullChainPath.");

        public static CertCmdletsException PfxFileInvalid(string source, string why, Exception? inner = null) =>
            new CertCmdletsException("PfxFileInvalid", CertErrorKind.InvalidData, source,
                $"'{source}' is not a readable PFX (PKCS#12) file: {why}", inner);

        public static CertCmdletsException PfxPasswordIncorrect(string source) =>
            new CertCmdletsException("PfxPasswordIncorrect", CertErrorKind.AuthenticationError, source,
                $"The password for '{source}' is incorrect. Nothing was written.");

        public static CertCmdletsException PfxPasswordRequired(string source) =>
            new CertCmdletsException("PfxPasswordRequired", CertErrorKind.AuthenticationError, source,
                $"'{source}' is protected by a password. Give it with -Password (or -PlainTextPassword in unattended scripts).");

        public static CertCmdletsException PfxEncryptionUnsupported(string source, string what) =>
            new CertCmdletsException("PfxEncryptionUnsupported", CertErrorKind.NotImplemented, source,
                $"'{source}' uses {what}, which this module cannot read. Re-export it with AES-256 or 3DES encryption.");

        public static CertCmdletsException PfxHasNoCertificate(string source) =>
            new CertCmdletsException("PfxHasNoCertificate", CertErrorKind.InvalidData, source,
                $"'{source}' holds no certificate. Export the PFX again with its certificate included.");

        public static CertCmdletsException PfxKeyWithoutCertificate(string source) =>
            new CertCmdletsException("PfxKeyWithoutCertificate", CertErrorKind.InvalidData, source,
                $"'{source}' holds a private key but no certificate that belongs to it. Export the PFX again with the certificate included.");

        public static CertCmdletsException PfxSeveralLeaves(string source, string subjects) =>
            new CertCmdletsException("PfxSeveralKeys", CertErrorKind.InvalidOperation, source,
                $"'{source}' holds several private keys ({subjects}), so the files to write are ambiguous. Choose one certificate with -Thumbprint.");

        public static CertCmdletsException PfxThumbprintNotFound(string source, string thumbprint) =>
            new CertCmdletsException("PfxThumbprintNotFound", CertErrorKind.ObjectNotFound, thumbprint,
                $"'{source}' holds no certificate with a private key and the thumbprint {thumbprint}.");

        public static CertCmdletsException RequestFileInvalid(string source, string why, Exception? inner = null) =>
            new CertCmdletsException("RequestFileInvalid", CertErrorKind.InvalidData, source,
                $"'{source}' is not a readable certificate signing request: {why}", inner);

        public static CertCmdletsException RequestSignatureInvalid(string source) =>
            new CertCmdletsException("RequestSignatureInvalid", CertErrorKind.SecurityError, source,
                $"The request '{source}' is not signed by its own key (it was altered or damaged). Ask for a new request.");

        public static CertCmdletsException RequestAsksForCa(string source, string what) =>
            new CertCmdletsException("RequestAsksForCa", CertErrorKind.SecurityError, source,
                $"The request '{source}' asks for {what}, which a server certificate must not have. It was refused; make a new request without it, or use New-CertAuthority -Issuer for an intermediate CA.");

        public static CertCmdletsException AuthorityHasNoPrivateKey(string authority) =>
            new CertCmdletsException("AuthorityHasNoPrivateKey", CertErrorKind.InvalidArgument, authority,
                $"The CA certificate '{authority}' carries no private key, so it cannot sign. Read it with Import-CertFile -KeyPath, or create it with New-CertAuthority.");

        public static CertCmdletsException AuthorityNotCa(string authority) =>
            new CertCmdletsException("AuthorityNotCertificateAuthority", CertErrorKind.InvalidArgument, authority,
                $"'{authority}' is not a CA certificate (basic constraints CA:FALSE or missing), so it cannot sign certificates.");

        public static CertCmdletsException AuthorityExpired(string authority, DateTime notAfter) =>
            new CertCmdletsException("AuthorityExpired", CertErrorKind.InvalidOperation, authority,
                $"The CA certificate '{authority}' expired on {notAfter:yyyy-MM-dd}; it cannot sign. Create or renew the CA first.");

        public static CertCmdletsException CertificateRequestMismatch(string source, string detail) =>
            new CertCmdletsException("CertificateRequestMismatch", CertErrorKind.SecurityError, source,
                $"No certificate in '{source}' belongs to this request: {detail} Nothing was written. Check that the CA signed this request (not an older one).");

        public static CertCmdletsException CertificateNamesMismatch(string source, string missing, string covered) =>
            new CertCmdletsException("CertificateNamesMismatch", CertErrorKind.SecurityError, source,
                $"The certificate in '{source}' does not cover every name of the request: missing {missing} (it covers {covered}). Nothing was written. Ask the CA to reissue it with all the names.");

        public static CertCmdletsException ApacheLayoutUnknown(string path) =>
            new CertCmdletsException("ApacheLayoutUnknown", CertErrorKind.ObjectNotFound, path,
                $"'{path}' holds no httpd configuration this module knows (apache2.conf, conf/httpd.conf or httpd.conf). Give the main configuration file with -ConfigPath.");

        public static CertCmdletsException ApacheConfigInvalid(string path, int line, string problem) =>
            new CertCmdletsException("ApacheConfigInvalid", CertErrorKind.InvalidData, path,
                $"The httpd configuration cannot be read: {path}{(line > 0 ? $", line {line}" : string.Empty)}: {problem} Nothing was changed; fix the file first.");

        public static CertCmdletsException ApacheConfigAlreadyBroken(string path, string output) =>
            new CertCmdletsException("ApacheConfigTestFailedBefore", CertErrorKind.InvalidOperation, path,
                $"httpd's configuration test fails before any change, so nothing was changed. Fix it first; httpd said: {output.Trim()}");

        public static CertCmdletsException ApacheConfigTestFailed(string path, string output) =>
            new CertCmdletsException("ApacheConfigTestFailed", CertErrorKind.InvalidOperation, path,
                $"httpd's configuration test failed after the change, so every file was restored as it was. httpd said: {output.Trim()}");

        public static CertCmdletsException ApacheModuleMissing(string module, string hint) =>
            new CertCmdletsException("ApacheModuleMissing", CertErrorKind.ObjectNotFound, module,
                $"The httpd module {module} is not installed. {hint}");

        public static CertCmdletsException CertificateDoesNotCoverServerName(string certificate, string serverName, string names) =>
            new CertCmdletsException("CertificateNameMismatch", CertErrorKind.SecurityError, serverName,
                $"The certificate '{certificate}' does not cover '{serverName}' (it covers {names}); browsers would refuse it. Use the right certificate, or -Force to configure it anyway.");

        public static CertCmdletsException ApacheWriteFailed(string path, Exception inner) =>
            new CertCmdletsException("ApacheConfigWriteFailed", inner is UnauthorizedAccessException ? CertErrorKind.PermissionDenied : CertErrorKind.WriteError, path,
                $"'{path}' could not be written: {inner.Message} Every file was restored as it was.", inner);

        public static CertCmdletsException ApacheNoCertificate() =>
            new CertCmdletsException("ApacheCertificateMissing", CertErrorKind.InvalidArgument, null,
                "No certificate was given. Pipe a certificate object that carries its file paths (Export-CertPem), or give -CertificateFile and -KeyFile.");
    }
}
