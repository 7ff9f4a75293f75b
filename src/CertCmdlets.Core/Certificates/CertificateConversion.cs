using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CertCmdlets.Core.Keys;
using CertCmdlets.Core.Pkcs12;

namespace CertCmdlets.Core.Certificates
{
    /// <summary>
    /// Certificate objects made from what other parts of PowerShell hand over: .NET's X509Certificate2 (Cert:\,
    /// Get-PfxCertificate, PSPKI) and objects that name their files (a certificate object that went through
    /// Export-Clixml, a job or remoting and lost its key and chain; Posh-ACME's certificate objects).
    /// </summary>
    public static class CertificateConversion
    {
        /// <summary>
        /// The certificate of an X509Certificate2, with its private key when the platform lets it be exported (a key
        /// Windows marks non-exportable stays behind: export the certificate with its key first).
        /// </summary>
        public static CertificateInfo FromX509(X509Certificate2 certificate)
        {
            CertificateInfo info = ParsedCertificate.Create(certificate.RawData);
            if (certificate.HasPrivateKey)
            {
                PrivateKey? key = TryExportKey(certificate);
                if (key is not null && key.Matches(info.PublicKeyInfo))
                {
                    info.PrivateKey = key;
                }
            }

            return info;
        }

        /// <summary>
        /// A certificate object put together again from what a serialized or foreign object still carries: its
        /// certificate (when the object kept it) or its certificate file, the chain it kept or its chain file, and
        /// its key file. The key is attached only when its file exists, is not encrypted and matches; the paths that
        /// exist are carried on. Throws when neither a certificate nor a readable certificate file is named.
        /// </summary>
        public static CertificateInfo FromParts(CertificateParts parts, ICoreLog log)
        {
            CertificateInfo? leaf = parts.Certificate is null ? null : ParsedCertificate.Create(parts.Certificate.RawData);
            var others = new List<CertificateInfo>();
            string? source = null;
            foreach (string? file in new[] { parts.FullChainPath, parts.CertificatePath })
            {
                if (leaf is not null || file is null || !File.Exists(file))
                {
                    continue;
                }

                IReadOnlyList<CertificateInfo> read = CertificateReader.ReadFile(file);
                leaf = read[0];
                others.AddRange(read.Skip(1));
                source = file;
            }

            if (leaf is null)
            {
                throw Errors.ObjectCarriesNoCertificate(parts.Description);
            }

            PrivateKey? key = null;
            if (parts.KeyPath is not null && File.Exists(parts.KeyPath))
            {
                if (PrivateKeyFile.IsEncrypted(parts.KeyPath))
                {
                    log.Verbose($"'{parts.KeyPath}' is encrypted: the object is passed on without its key (read it with Import-CertFile -KeyPath -KeyPassword to attach it).");
                }
                else
                {
                    key = PrivateKeyReader.ReadFile(parts.KeyPath, null);
                    if (!key.Matches(leaf.PublicKeyInfo))
                    {
                        // A full-chain file may hold the leaf anywhere: the leaf is the certificate the key belongs to.
                        CertificateInfo? owner = others.FirstOrDefault(c => key.Matches(c.PublicKeyInfo));
                        if (owner is null)
                        {
                            throw Errors.CertificateKeyMismatch(source ?? parts.Description, parts.KeyPath);
                        }

                        others.Remove(owner);
                        others.Insert(0, leaf);
                        leaf = owner;
                    }
                }
            }

            others.AddRange(parts.Chain.Select(c => ParsedCertificate.Create(c.RawData)));
            if (parts.ChainPath is not null && File.Exists(parts.ChainPath))
            {
                others.AddRange(CertificateReader.ReadFile(parts.ChainPath));
            }

            CertificateInfo result = leaf.Clone();
            result.PrivateKey = key;
            List<CertificateInfo> distinct = others.Where(c => c.Thumbprint != leaf.Thumbprint).GroupBy(c => c.Thumbprint).Select(g => g.First()).ToList();
            result.Chain = distinct.Count == 0 ? Array.Empty<CertificateInfo>() : ChainOrder.Build(leaf, distinct, log).ToArray();
            result.CertificatePath = Existing(parts.CertificatePath);
            result.KeyPath = Existing(parts.KeyPath);
            result.ChainPath = Existing(parts.ChainPath);
            result.FullChainPath = Existing(parts.FullChainPath);
            result.PfxPath = Existing(parts.PfxPath);
            return result;
        }

        private static string? Existing(string? path) => path is not null && File.Exists(path) ? path : null;

        private static PrivateKey? TryExportKey(X509Certificate2 certificate)
        {
            try
            {
                // The key object is kept by the PrivateKey for signing (not disposed here).
                RSA? rsa = certificate.GetRSAPrivateKey();
                if (rsa is not null)
                {
                    return PrivateKey.FromNative(rsa);
                }

                ECDsa? ecdsa = certificate.GetECDsaPrivateKey();
                return ecdsa is null ? null : PrivateKey.FromNative(ecdsa);
            }
            catch (Exception ex) when (ex is CryptographicException || ex is NotSupportedException || ex is ArgumentException)
            {
                // Not exportable (a Windows key marked so, a smart card): the certificate comes without it.
                return null;
            }
        }
    }

    /// <summary>What an object handed over still carries of a certificate: the certificate itself and/or its files.</summary>
    public sealed class CertificateParts
    {
        /// <summary>What the object is, for messages ("a deserialized certificate object").</summary>
        public string Description { get; set; } = "the object";

        /// <summary>The certificate, when the object still carries it.</summary>
        public X509Certificate2? Certificate { get; set; }

        /// <summary>Chain certificates the object still carries.</summary>
        public IList<X509Certificate2> Chain { get; } = new List<X509Certificate2>();

        /// <summary>The certificate file.</summary>
        public string? CertificatePath { get; set; }

        /// <summary>The private key file.</summary>
        public string? KeyPath { get; set; }

        /// <summary>The intermediates file.</summary>
        public string? ChainPath { get; set; }

        /// <summary>The full-chain file.</summary>
        public string? FullChainPath { get; set; }

        /// <summary>The PFX file.</summary>
        public string? PfxPath { get; set; }
    }
}
