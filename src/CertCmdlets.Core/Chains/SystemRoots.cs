using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CertCmdlets.Core.Certificates;

namespace CertCmdlets.Core.Chains
{
    /// <summary>The machine's trusted roots (Windows' root store; on Linux and macOS the OpenSSL/system bundle .NET reads).</summary>
    public static class SystemRoots
    {
        /// <summary>Reads the trusted root certificates; an unreadable store gives an empty list and a warning.</summary>
        public static IReadOnlyList<CertificateInfo> Load(ICoreLog log)
        {
            var roots = new List<CertificateInfo>();
            foreach (StoreLocation location in new[] { StoreLocation.LocalMachine, StoreLocation.CurrentUser })
            {
                try
                {
                    using var store = new X509Store(StoreName.Root, location);
                    store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
                    foreach (X509Certificate2 certificate in store.Certificates)
                    {
                        try
                        {
                            roots.AddRange(CertificateReader.Parse(certificate.RawData, "system root store"));
                        }
                        catch (CertCmdletsException)
                        {
                            // A malformed store entry is not the user's problem here.
                        }
                    }
                }
                catch (Exception ex) when (ex is CryptographicException || ex is PlatformNotSupportedException || ex is UnauthorizedAccessException)
                {
                    log.Verbose($"The {location} root store could not be read: {ex.Message}");
                }
            }

            log.Verbose($"Read {roots.Count} trusted root(s) from the system store.");
            return roots;
        }
    }
}
