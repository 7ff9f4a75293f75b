using System;

namespace CertCmdlets.Core
{
    /// <summary>
    /// The errors of the ACME client: the client's own (bad input, unreachable CA, timeouts) and the CA's problem
    /// documents (RFC 8555 section 6.7), each with a stable ErrorId, the CA's own words where it gave some, and the
    /// next step apart in <see cref="CertCmdletsException.RecommendedAction"/>.
    /// </summary>
    internal static partial class Errors
    {
        public static CertCmdletsException AcmeDirectoryInvalid(string text, string why) =>
            Acme("AcmeDirectoryInvalid", CertErrorKind.InvalidArgument, text,
                $"'{text}' is not an ACME directory: {why}",
                "Give a known CA name (press Tab after -Directory) or the https URL of the CA's ACME directory.");

        public static CertCmdletsException AcmeServerUnreachable(string url, string detail, Exception? inner) =>
            Acme("AcmeServerUnreachable", CertErrorKind.ConnectionError, url,
                $"The CA at {url} could not be reached: {detail}",
                "Check the directory URL, this machine's network, proxy and firewall, then try again.", inner);

        public static CertCmdletsException AcmeServerNotTrusted(string url, string detail, Exception? inner) =>
            Acme("AcmeServerNotTrusted", CertErrorKind.SecurityError, url,
                $"The CA at {url} presented a TLS certificate this machine does not trust ({detail}); nothing was sent to it.",
                "For a private or test CA (such as pebble), give the root of its TLS certificate with -TrustedRootPath.", inner);

        public static CertCmdletsException AcmeRequestTimedOut(string url, TimeSpan timeout) =>
            Acme("AcmeRequestTimedOut", CertErrorKind.OperationTimeout, url,
                $"The CA at {url} did not answer within {timeout.TotalSeconds:0.#} s.",
                "Try again later; if it keeps happening, check the network path to the CA.");

        public static CertCmdletsException AcmeRedirectRefused(string url, string location) =>
            Acme("AcmeRedirectRefused", CertErrorKind.SecurityError, url,
                $"The CA at {url} redirected to '{location}', which is not an https URL (or redirected too often); the redirect was not followed.",
                "Give the CA's https directory URL directly.");

        public static CertCmdletsException AcmeResponseInvalid(string url, string why) =>
            Acme("AcmeResponseInvalid", CertErrorKind.InvalidData, url,
                $"The CA at {url} gave an answer this client cannot use: {why}",
                "Check that -Directory names an ACME (RFC 8555) directory; if it does, report the answer to the CA.");

        public static CertCmdletsException AcmeTermsOfServiceNotAccepted(string directory, string? termsUrl) =>
            Acme("AcmeTermsOfServiceNotAccepted", CertErrorKind.InvalidOperation, directory,
                termsUrl is null
                    ? $"Opening an account at {directory} means agreeing to the CA's terms of service, which were not accepted. No account was opened."
                    : $"Opening an account at {directory} means agreeing to the CA's terms of service at {termsUrl}, which were not accepted. No account was opened.",
                "Read the terms, then run the command again with -AcceptTermsOfService.");

        public static CertCmdletsException AcmeExternalAccountRequired(string directory, string? detail) =>
            Acme("AcmeExternalAccountRequired", CertErrorKind.AuthenticationError, directory,
                $"The CA at {directory} opens accounts only with External Account Binding{(detail is null ? "." : ": " + detail)}",
                "Give -ExternalAccountKeyId and -ExternalAccountMacKey (a SecureString) as shown on your account page at the CA.");

        public static CertCmdletsException AcmeExternalAccountKeyInvalid(string keyId) =>
            Acme("AcmeExternalAccountKeyInvalid", CertErrorKind.InvalidArgument, keyId,
                $"The MAC key given for the external account '{keyId}' is not base64url text (letters, digits, '-' and '_'), as CAs hand it out. Nothing was sent.",
                "Copy the MAC (HMAC) key again from the CA's account page, without spaces or quotes.");

        public static CertCmdletsException AcmeExternalAccountRejected(string keyId, string caSays) =>
            Acme("AcmeExternalAccountRejected", CertErrorKind.AuthenticationError, keyId,
                $"The CA refused the External Account Binding with key id '{keyId}', so no account was opened ({caSays}).",
                "Copy the key id and the MAC key again from your account page at the CA (a MAC key is used once by some CAs: make a new one there).");

        public static CertCmdletsException AcmeExternalAccountIncomplete() =>
            Acme("AcmeExternalAccountIncomplete", CertErrorKind.InvalidArgument, "ExternalAccountKeyId",
                "External Account Binding needs both the key id and the MAC key; only one was given. Nothing was sent.",
                "Give both -ExternalAccountKeyId and -ExternalAccountMacKey.");

        public static CertCmdletsException AcmeAccountNotFound(string directory, string stateDirectory) =>
            Acme("AcmeAccountNotFound", CertErrorKind.ObjectNotFound, directory,
                $"There is no ACME account for {directory} in '{stateDirectory}'.",
                $"Create one with New-AcmeAccount -Directory '{directory}' -AcceptTermsOfService (and -Contact you@example.com), or add -AcceptTermsOfService to this command.");

        public static CertCmdletsException AcmeAccountDeactivated(string directory, string accountUrl) =>
            Acme("AcmeAccountDeactivated", CertErrorKind.InvalidOperation, accountUrl,
                $"The ACME account {accountUrl} at {directory} is deactivated; a CA never reactivates an account.",
                $"Create a new account with New-AcmeAccount -Directory '{directory}' -AcceptTermsOfService.");

        public static CertCmdletsException AcmeAccountKeyAlgorithmUnsupported(string name) =>
            Acme("AcmeAccountKeyAlgorithmUnsupported", CertErrorKind.InvalidArgument, name,
                $"'{name}' cannot be used for an ACME account key.",
                "Use -AccountKeyAlgorithm ES256 (the default), ES384 or RS256.");

        public static CertCmdletsException AcmeAccountStateInvalid(string path, string why, Exception? inner = null) =>
            Acme("AcmeAccountStateInvalid", CertErrorKind.InvalidData, path,
                $"The saved ACME account in '{path}' cannot be read: {why}",
                "Restore the folder from a backup, or move it away and create a new account with New-AcmeAccount.", inner);

        public static CertCmdletsException AcmeAccountStateWriteFailed(string path, Exception inner) =>
            Acme("AcmeAccountStateWriteFailed", inner is UnauthorizedAccessException ? CertErrorKind.PermissionDenied : CertErrorKind.WriteError, path,
                $"The ACME account could not be saved in '{path}': {inner.Message}",
                "Check that the folder is writable by this user (or give another one with -StateDirectory).", inner);

        public static CertCmdletsException AcmeContactInvalid(string value) =>
            Acme("AcmeContactInvalid", CertErrorKind.InvalidArgument, value,
                $"'{value}' is not an e-mail address the CA can use as a contact. Nothing was sent.",
                "Give an address as name@example.com (or mailto:name@example.com).");

        public static CertCmdletsException AcmeRequestNamesInvalid(string subject, string why) =>
            Acme("AcmeRequestNamesInvalid", CertErrorKind.InvalidArgument, subject,
                $"The request '{subject}' cannot be sent to an ACME CA: {why} Nothing was sent.",
                "Make a request with host names (and IP addresses) only, e.g. New-CertRequest www.example.com -DnsName example.com.");

        public static CertCmdletsException AcmeWildcardNeedsDns(string identifier) =>
            Acme("AcmeWildcardNeedsDns", CertErrorKind.InvalidArgument, identifier,
                $"'{identifier}' is a wildcard name, which CAs validate only through DNS (dns-01). Nothing was sent.",
                "Give -DnsAddScript and -DnsRemoveScript to publish the TXT record, or leave the wildcard out.");

        public static CertCmdletsException AcmeChallengeUnsupported(string identifier, string wanted, string offered) =>
            Acme("AcmeChallengeUnsupported", CertErrorKind.NotImplemented, identifier,
                $"The CA offers no {wanted} challenge for '{identifier}' (it offers: {offered}).",
                wanted == "http-01" ? "Validate through DNS instead (-DnsAddScript and -DnsRemoveScript)." : "Validate over HTTP instead (-WebRoot, -ListenPort or -ApacheConfigPath).");

        public static CertCmdletsException AcmeAuthorizationUnusable(string identifier, string status, string url) =>
            Acme("AcmeAuthorizationUnusable", CertErrorKind.InvalidOperation, identifier,
                $"The CA's authorization for '{identifier}' is {status} ({url}), so it cannot be completed.",
                "Run the command again: a new order gets new authorizations.");

        public static CertCmdletsException AcmeWebRootInvalid(string path, string why, Exception? inner = null) =>
            Acme("AcmeWebRootInvalid", CertErrorKind.InvalidArgument, path,
                $"The web root '{path}' cannot hold the challenge files: {why} Nothing was sent.",
                "Give the directory the web server serves for the site (its DocumentRoot) with -WebRoot.", inner);

        public static CertCmdletsException AcmeListenerFailed(string endpoint, string detail, Exception? inner) =>
            Acme("AcmeListenerFailed", CertErrorKind.ResourceBusy, endpoint,
                $"The challenge listener could not listen on {endpoint}: {detail} Nothing was sent.",
                "Stop what uses the port (a web server? then use -WebRoot), or run with the rights to bind it.", inner);

        public static CertCmdletsException AcmeApacheSiteNotFound(string configPath, string identifier, int port) =>
            Acme("AcmeApacheSiteNotFound", CertErrorKind.ObjectNotFound, identifier,
                $"No HTTP VirtualHost for '{identifier}' on port {port} was found in the httpd configuration '{configPath}'. Nothing was sent.",
                "Give the port of the site's plain HTTP VirtualHost with -ApacheHttpPort, or give its document root with -WebRoot.");

        public static CertCmdletsException AcmeApacheSiteHasNoWebRoot(string configPath, string identifier) =>
            Acme("AcmeApacheSiteHasNoWebRoot", CertErrorKind.InvalidOperation, identifier,
                $"The HTTP VirtualHost for '{identifier}' in '{configPath}' has no DocumentRoot (nor an Alias for /.well-known/acme-challenge/), so there is no directory to put the challenge in. Nothing was sent.",
                "Give the directory httpd serves for the site with -WebRoot.");

        public static CertCmdletsException AcmeDnsScriptFailed(string recordName, string action, string detail, Exception? inner) =>
            Acme("AcmeDnsScriptFailed", CertErrorKind.InvalidOperation, recordName,
                $"The DNS script failed to {action} the TXT record '{recordName}': {detail}",
                "Fix the script block (it is called with the record name and value), and check it against your DNS provider.", inner);

        public static CertCmdletsException AcmeDnsPropagationTimedOut(string recordName, string resolver, TimeSpan timeout) =>
            Acme("AcmeDnsPropagationTimedOut", CertErrorKind.OperationTimeout, recordName,
                $"The TXT record '{recordName}' did not appear at {resolver} within {timeout.TotalSeconds:0} s; the CA was not asked to validate.",
                "Check that the DNS script really publishes the record, or raise -DnsPropagationTimeoutSeconds.");

        public static CertCmdletsException AcmeDnsResolverInvalid(string text) =>
            Acme("AcmeDnsResolverInvalid", CertErrorKind.InvalidArgument, text,
                $"'{text}' is not a DNS resolver address. Nothing was sent.",
                "Give an IP address, optionally with a port: 192.0.2.53, 192.0.2.53:5353 or [2001:db8::53]:53.");

        public static CertCmdletsException AcmeOperationTimedOut(string what, string url, TimeSpan timeout) =>
            Acme("AcmeOperationTimedOut", CertErrorKind.OperationTimeout, url,
                $"{what} did not finish within {timeout.TotalSeconds:0} s ({url}).",
                "Run the command again later, or give it more time with -TimeoutSeconds.");

        public static CertCmdletsException AcmeOrderInvalid(string url, string detail) =>
            Acme("AcmeOrderInvalid", CertErrorKind.InvalidOperation, url,
                $"The CA marked the order {url} invalid: {detail}",
                "Run the command again to start a new order; if it fails the same way, read the CA's reason above.");

        public static CertCmdletsException AcmeCertificateHasNoAuthorityKeyId(string subject) =>
            Acme("AcmeCertificateHasNoAuthorityKeyId", CertErrorKind.InvalidData, subject,
                $"The certificate '{subject}' names no authority key identifier, so the CA's renewal information cannot be asked for it.",
                "Renewal information exists only for certificates an ACME CA issued; the module's own renewal rule applies to this one.");

        public static CertCmdletsException AcmeRevocationReasonInvalid(string reason) =>
            Acme("AcmeRevocationReasonInvalid", CertErrorKind.InvalidArgument, reason,
                $"'{reason}' is not a revocation reason an ACME CA accepts. Nothing was sent.",
                "Use Unspecified, KeyCompromise, Superseded, CessationOfOperation or AffiliationChanged.");

        /// <summary>
        /// A problem document from the CA, as a specific error: the type's own ErrorId (rateLimited becomes
        /// AcmeRateLimited), what was being done, the CA's detail and the next step for that type.
        /// </summary>
        public static CertCmdletsException AcmeProblem(string errorId, CertErrorKind kind, object target, string context, string caSays, string nextStep) =>
            Acme(errorId, kind, target, $"{context}: {caSays}", nextStep);

        private static CertCmdletsException Acme(string errorId, CertErrorKind kind, object? target, string message, string recommendedAction, Exception? inner = null) =>
            new CertCmdletsException(errorId, kind, target, message + " " + recommendedAction, recommendedAction, inner);
    }
}
