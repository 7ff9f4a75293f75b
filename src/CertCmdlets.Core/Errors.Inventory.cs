using System;
using System.Collections.Generic;

namespace CertCmdlets.Core
{
    /// <summary>
    /// Errors of the inventory (directories of certificates), renewal requests (-FromCertificate), saved requests
    /// (Import-CertRequest, pending requests of Complete-CertRequest) and key files (Protect-/Unprotect-PrivateKey).
    /// </summary>
    internal static partial class Errors
    {
        public static CertCmdletsException DirectoryReadFailed(string path, Exception inner) =>
            Error("DirectoryReadFailed", inner is UnauthorizedAccessException || inner is System.Security.SecurityException ? CertErrorKind.PermissionDenied : CertErrorKind.ReadError, path,
                $"The directory '{path}' could not be read: {inner.Message} The other directories are still read.",
                inner is UnauthorizedAccessException || inner is System.Security.SecurityException
                    ? "Run with an account that may list it (often root for /etc), or leave it out."
                    : "Check that it still exists and is a readable directory.",
                inner);

        public static CertCmdletsException SymbolicLinkBroken(string path) =>
            Error("SymbolicLinkBroken", CertErrorKind.ObjectNotFound, path,
                $"'{path}' is a symbolic link that leads to no file (its target is missing, or the link leads back to itself).",
                "Point the link at the certificate file again, or remove it.");

        public static CertCmdletsException CertificateFileEmpty(string path) =>
            Error("CertificateFileInvalid", CertErrorKind.InvalidData, path,
                $"'{path}' is not a readable certificate file: it is empty (or not a regular file).",
                "Write the certificate into it again (an interrupted copy or renewal leaves an empty file).");

        public static CertCmdletsException NoCertificateInFile(string source, string holds, string action) =>
            Error("NoCertificateInFile", CertErrorKind.InvalidData, source,
                $"'{source}' contains no certificate, only {holds}.",
                action);

        public static CertCmdletsException KeyMatchesNoCertificate(string key) =>
            Error("CertificateKeyMismatch", CertErrorKind.SecurityError, key,
                $"The private key in '{key}' belongs to none of the certificates read.",
                "Give the key that was used for one of them, or leave out -KeyPath (keys beside the certificates are found by themselves).");

        public static CertCmdletsException FileHoldsSeveralCertificates(string source, int count, string subjects) =>
            Error("CertificateAmbiguous", CertErrorKind.InvalidArgument, source,
                $"'{source}' holds {count} certificates that do not form one chain ({subjects}), so it does not name one certificate.",
                "Pick one: Import-CertFile <file> | Where-Object CommonName -eq '<name>' | New-CertRequest.");

        public static CertCmdletsException RenewalOfAuthority(string certificate) =>
            Error("CertificateIsAuthority", CertErrorKind.InvalidArgument, certificate,
                $"'{certificate}' is a CA certificate; a server certificate request cannot renew it.",
                "Renew a CA with New-CertAuthority, or leave CA certificates out (Import-CertFile -ExcludeCertificateAuthority).");

        public static CertCmdletsException RenewalKeyUnsupported(string certificate, string keyAlgorithm) =>
            Error("KeyAlgorithmUnsupported", CertErrorKind.InvalidArgument, certificate,
                $"The certificate '{certificate}' has a {keyAlgorithm} key, which this module cannot make.",
                "Choose the new key with -KeyAlgorithm RSA -KeySize 2048 (or ECDSA -Curve P256).");

        public static CertCmdletsException RequestKeyMismatch(string request, string key) =>
            Error("RequestKeyMismatch", CertErrorKind.SecurityError, request,
                $"The private key in '{key}' does not belong to the request '{request}': their public keys differ.",
                "Give the key file New-CertRequest (or openssl req) wrote with this request.");

        public static CertCmdletsException RequestKeyNotFound(string request, string whereLooked) =>
            Error("RequestKeyNotFound", CertErrorKind.ObjectNotFound, request,
                $"No private key was found for the request '{request}' ({whereLooked}), so the certificate could not be installed. Nothing was written.",
                "Give the request's key with -KeyPath, or -AllowMissingKey to write the certificate files without a key.");

        /// <summary>The target is the CA's answer as the user gave it (its file, or "the certificate text").</summary>
        public static CertCmdletsException PendingRequestNotFound(string source, string subject, IEnumerable<string> directories) =>
            Error("PendingRequestNotFound", CertErrorKind.ObjectNotFound, source,
                $"No request in {string.Join(", ", Quoted(directories))} holds the key of the certificate '{subject}' in '{source}'. Nothing was written.",
                "Give -RequestDirectory (the folder New-CertRequest -OutputDirectory wrote name.csr and name.key to), or -RequestPath and -KeyPath.");

        public static CertCmdletsException KeyOutputRequired(string path) =>
            Error("KeyOutputPathRequired", CertErrorKind.InvalidArgument, path,
                $"No output was named for the new key file of '{path}', and the original is kept unless you say otherwise.",
                "Give -OutputPath for a new file, or -Force to replace the key file in place.");

        public static CertCmdletsException KeyOutputSharedByInputs(string outputPath) =>
            Error("OutputPathDuplicate", CertErrorKind.InvalidArgument, outputPath,
                $"'{outputPath}' was given as -OutputPath for more than one key file. Nothing more was written.",
                "Give one key file at a time with -OutputPath, or use -Force to change each key file in place.");

        public static CertCmdletsException KeyPasswordEmpty(string parameter) =>
            Error("KeyPasswordEmpty", CertErrorKind.InvalidArgument, parameter,
                $"The password given as -{parameter} is empty; an empty password protects nothing.",
                "Give a password (Read-Host -AsSecureString), or use Unprotect-PrivateKey to store the key unencrypted.");

        /// <summary>KeyPasswordRequired, naming the parameter of the cmdlet at hand.</summary>
        public static CertCmdletsException KeyPasswordRequired(string source, string parameter) =>
            Error("KeyPasswordRequired", CertErrorKind.AuthenticationError, source,
                $"The private key in '{source}' is encrypted.",
                $"Give its password with -{parameter} (Read-Host -AsSecureString).");

        /// <summary>KeyPasswordIncorrect, naming the parameter of the cmdlet at hand.</summary>
        public static CertCmdletsException KeyPasswordIncorrect(string source, string parameter, Exception? inner) =>
            Error("KeyPasswordIncorrect", CertErrorKind.AuthenticationError, source,
                $"The password for the private key in '{source}' is incorrect. Nothing was written.",
                $"Give the password the key was encrypted with (-{parameter}).",
                inner);

        private static IEnumerable<string> Quoted(IEnumerable<string> values)
        {
            foreach (string value in values)
            {
                yield return "'" + value + "'";
            }
        }
    }
}
