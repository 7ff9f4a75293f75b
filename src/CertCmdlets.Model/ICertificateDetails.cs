using System;

namespace CertCmdlets
{
    /// <summary>
    /// The facts of one certificate as the engine (CertCmdlets.Core) reads them from its DER encoding. The model
    /// asks, the engine answers: the rarely used facts are read on first use, so a pool of thousands of
    /// certificates costs only names and thumbprints.
    /// </summary>
    internal interface ICertificateDetails
    {
        string Subject { get; }

        string Issuer { get; }

        string? CommonName { get; }

        DateTime NotBeforeUtc { get; }

        DateTime NotAfterUtc { get; }

        string Thumbprint { get; }

        bool IsCertificateAuthority { get; }

        string SerialNumber { get; }

        string KeyAlgorithm { get; }

        string SignatureAlgorithm { get; }

        string[] DnsNames { get; }

        string[] IpAddresses { get; }

        SubjectFields SubjectFields { get; }
    }

    /// <summary>A private key held by an object; the engine's own type. Never shown or serialized.</summary>
    internal interface IPrivateKeyMaterial
    {
        /// <summary>"RSA 2048", "ECDSA P-256".</summary>
        string Description { get; }
    }

    /// <summary>The parts of a subject name an administrator types into a request: O, OU, L, ST, C and E.</summary>
    internal sealed class SubjectFields
    {
        public static readonly SubjectFields None = new SubjectFields(null, Array.Empty<string>(), null, null, null, null);

        public SubjectFields(string? organization, string[] organizationalUnit, string? locality, string? state, string? country, string? email)
        {
            Organization = organization;
            OrganizationalUnit = organizationalUnit;
            Locality = locality;
            State = state;
            Country = country;
            Email = email;
        }

        public string? Organization { get; }

        public string[] OrganizationalUnit { get; }

        public string? Locality { get; }

        public string? State { get; }

        public string? Country { get; }

        public string? Email { get; }
    }
}
