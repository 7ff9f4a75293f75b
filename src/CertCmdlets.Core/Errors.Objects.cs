namespace CertCmdlets.Core
{
    /// <summary>Errors of objects handed over from elsewhere (deserialized, X509Certificate2, other modules' objects).</summary>
    internal static partial class Errors
    {
        public static CertCmdletsException ObjectCarriesNoCertificate(string description) =>
            Error("ObjectHasNoCertificate", CertErrorKind.InvalidArgument, description,
                $"{description} carries no certificate and names no certificate file that exists (CertificatePath/CertFile, FullChainPath/FullChainFile).",
                "Pipe a certificate object, an X509Certificate2, or an object whose CertificatePath or FullChainPath names an existing file.");
    }
}
