using System.Collections.Generic;

namespace CertCmdlets.Core.Apache
{
    /// <summary>
    /// The server-side TLS settings of Mozilla's guidelines (version 5.7) for Apache, per profile:
    /// Modern (TLS 1.3 only), Intermediate (TLS 1.2 and 1.3, the recommended default), Old (down to TLS 1.0).
    /// </summary>
    internal static class TlsProfiles
    {
        private const string IntermediateCiphers =
            "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:" +
            "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305";

        private const string OldCiphers =
            "@SECLEVEL=0:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:" +
            "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305:" +
            "ECDHE-ECDSA-AES128-SHA256:ECDHE-RSA-AES128-SHA256:ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA384:ECDHE-RSA-AES256-SHA384:" +
            "ECDHE-ECDSA-AES256-SHA:ECDHE-RSA-AES256-SHA:DHE-RSA-AES128-SHA256:DHE-RSA-AES256-SHA256:AES128-GCM-SHA256:AES256-GCM-SHA384:AES128-SHA256:AES256-SHA256:AES128-SHA:AES256-SHA:DES-CBC3-SHA";

        /// <summary>The directives (name, arguments as written) for a profile, in the order they are added.</summary>
        public static IReadOnlyList<(string Name, string Arguments)> Directives(string profile)
        {
            switch (profile.ToUpperInvariant())
            {
                case "MODERN":
                    return new[]
                    {
                        ("SSLProtocol", "-all +TLSv1.3"),
                        ("SSLOpenSSLConfCmd", "Curves X25519:prime256v1:secp384r1"),
                        ("SSLHonorCipherOrder", "off"),
                        ("SSLSessionTickets", "off"),
                    };
                case "INTERMEDIATE":
                    return new[]
                    {
                        ("SSLProtocol", "-all +TLSv1.2 +TLSv1.3"),
                        ("SSLOpenSSLConfCmd", "Curves X25519:prime256v1:secp384r1"),
                        ("SSLCipherSuite", IntermediateCiphers),
                        ("SSLHonorCipherOrder", "off"),
                        ("SSLSessionTickets", "off"),
                    };
                case "OLD":
                    return new[]
                    {
                        ("SSLProtocol", "-all +TLSv1 +TLSv1.1 +TLSv1.2 +TLSv1.3"),
                        ("SSLCipherSuite", OldCiphers),
                        ("SSLHonorCipherOrder", "on"),
                        ("SSLSessionTickets", "off"),
                    };
                default:
                    throw new CertCmdletsException("TlsProfileUnknown", CertErrorKind.InvalidArgument, profile,
                        $"'{profile}' is not a TLS profile. Use -TlsProfile Modern, Intermediate (the default) or Old.");
            }
        }
    }
}
