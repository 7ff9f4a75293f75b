using System;

namespace CertCmdlets
{
    /// <summary>
    /// An ACME account as the module keeps it: which CA, the account's URL at the CA (what CAA "accounturi" names), its
    /// status, contacts, and the public facts of its key. The private key stays in the state folder (mode 0600) and is
    /// never part of this object. Scripts name the type as <c>[CertCmdlets.AcmeAccountInfo]</c>.
    /// </summary>
    public sealed class AcmeAccountInfo
    {
        internal AcmeAccountInfo(string directory, string? directoryName, string accountUrl, string status, string[] contact, string keyAlgorithm, string keyThumbprint, DateTime createdAt, string? termsOfService, string? externalAccountKeyId, string statePath)
        {
            Directory = directory;
            DirectoryName = directoryName;
            AccountUrl = accountUrl;
            Status = status;
            Contact = contact;
            KeyAlgorithm = keyAlgorithm;
            KeyThumbprint = keyThumbprint;
            CreatedAt = createdAt;
            TermsOfService = termsOfService;
            ExternalAccountKeyId = externalAccountKeyId;
            StatePath = statePath;
        }

        /// <summary>The ACME directory URL of the CA.</summary>
        public string Directory { get; }

        /// <summary>The directory's short name (LetsEncrypt, ZeroSSL...) when it is a known one, otherwise null.</summary>
        public string? DirectoryName { get; }

        /// <summary>The account's URL at the CA (its key id; CAA records name it as accounturi).</summary>
        public string AccountUrl { get; }

        /// <summary>valid, deactivated or revoked, as the CA last said.</summary>
        public string Status { get; }

        /// <summary>The contact URLs ("mailto:admin@example.com").</summary>
        public string[] Contact { get; }

        /// <summary>The account key's JWS algorithm: ES256, ES384 or RS256.</summary>
        public string KeyAlgorithm { get; }

        /// <summary>The account key's RFC 7638 thumbprint: a public fingerprint, safe to show.</summary>
        public string KeyThumbprint { get; }

        /// <summary>When the account was created (local time).</summary>
        public DateTime CreatedAt { get; }

        /// <summary>The terms of service agreed to when the account was created, if the CA named them.</summary>
        public string? TermsOfService { get; }

        /// <summary>The external account key id bound to the account (External Account Binding), if any.</summary>
        public string? ExternalAccountKeyId { get; }

        /// <summary>The folder holding the account's key and details.</summary>
        public string StatePath { get; }

        /// <summary>The CA and the account URL; never key material.</summary>
        public override string ToString() => $"{DirectoryName ?? Directory} account {AccountUrl} ({Status})";
    }
}
