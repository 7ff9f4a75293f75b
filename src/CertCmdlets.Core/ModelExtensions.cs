using CertCmdlets.Core.Certificates;
using CertCmdlets.Core.Keys;
using Org.BouncyCastle.Asn1.X509;

namespace CertCmdlets.Core
{
    /// <summary>
    /// What the engine reads from the model's objects: the parsed structure and the key behind a certificate or
    /// request. The model (CertCmdlets.Model) holds them as opaque references, so it needs no BouncyCastle.
    /// </summary>
    internal static class ModelExtensions
    {
        extension(CertificateInfo certificate)
        {
            /// <summary>The certificate's ASN.1 structure.</summary>
            public X509CertificateStructure Structure => ((ParsedCertificate)certificate.Details).Structure;

            /// <summary>The private key the object carries, or null.</summary>
            public PrivateKey? PrivateKey
            {
                get => (PrivateKey?)certificate.Key;
                set => certificate.Key = value;
            }

            /// <summary>The subject's public key.</summary>
            public SubjectPublicKeyInfo PublicKeyInfo => certificate.Structure.SubjectPublicKeyInfo;

            /// <summary>True when subject and issuer are the same name (a root, or a self-signed leaf).</summary>
            public bool IsSelfIssued => certificate.Structure.Subject.Equivalent(certificate.Structure.Issuer);
        }

        extension(CertificateRequestInfo request)
        {
            /// <summary>The private key the request object carries, or null.</summary>
            public PrivateKey? PrivateKey
            {
                get => (PrivateKey?)request.Key;
                set => request.Key = value;
            }
        }
    }
}
