using System;
using System.Collections.Generic;
using System.Linq;
using System.Security;
using System.Text;
using CertCmdlets.Core.IO;
using CertCmdlets.Core.Keys;

namespace CertCmdlets.Core.Export
{
    /// <summary>
    /// Writes certificates, chains, requests and keys as PEM files through a <see cref="FileWritePlan"/>
    /// (checked first, written atomically, keys 0600), and returns the object carrying its new paths.
    /// </summary>
    public static class PemOutput
    {
        /// <summary>
        /// Writes the parts of <paramref name="certificate"/> named in <paramref name="targets"/>. Returns a copy
        /// carrying the paths written, or null when <paramref name="shouldProcess"/> declined every file.
        /// </summary>
        public static CertificateInfo? WriteCertificate(CertificateInfo certificate, PemExportTargets targets, SecureString? keyPassword, bool force, Func<string, string, bool> shouldProcess, ICoreLog log)
        {
            if (targets.IsEmpty)
            {
                throw Errors.NothingToWrite();
            }

            string name = certificate.CertificatePath ?? certificate.Subject;
            var plan = new FileWritePlan(force);
            if (targets.KeyPath is not null)
            {
                PrivateKey key = certificate.PrivateKey ?? throw Errors.CertificateHasNoPrivateKey(name);
                plan.Add(targets.KeyPath, PrivateKeyWriter.ToPem(key, keyPassword), isPrivateKey: true, keyPassword is null ? "private key (unencrypted)" : "private key (encrypted)");
            }

            CertificateInfo[] chain = certificate.Chain;
            if (targets.CertificatePath is not null)
            {
                plan.Add(targets.CertificatePath, Ascii(certificate.ToPem()), isPrivateKey: false, "certificate");
            }

            if (targets.ChainPath is not null)
            {
                if (chain.Length == 0)
                {
                    log.Warning($"The certificate '{certificate.Subject}' carries no intermediate certificates, so '{targets.ChainPath}' will be empty of certificates. Use Join-CertChain to add them.");
                }

                plan.Add(targets.ChainPath, Ascii(Concatenate(chain)), isPrivateKey: false, "certificate chain");
            }

            if (targets.FullChainPath is not null)
            {
                var all = new List<CertificateInfo>(chain.Length + 1) { certificate };
                all.AddRange(chain);
                plan.Add(targets.FullChainPath, Ascii(Concatenate(all)), isPrivateKey: false, "full chain (certificate and intermediates)");
            }

            IReadOnlyList<string> written = plan.Commit(shouldProcess, log);
            if (written.Count == 0)
            {
                return null;
            }

            CertificateInfo result = certificate.Clone();
            result.CertificatePath = Pick(written, targets.CertificatePath) ?? certificate.CertificatePath;
            result.KeyPath = Pick(written, targets.KeyPath) ?? certificate.KeyPath;
            result.ChainPath = Pick(written, targets.ChainPath) ?? certificate.ChainPath;
            result.FullChainPath = Pick(written, targets.FullChainPath) ?? certificate.FullChainPath;
            return result;
        }

        /// <summary>
        /// Writes a request and, when <paramref name="keyPath"/> is given, its key. Returns a copy-free update of
        /// the request's paths, or false when every file was declined.
        /// </summary>
        public static bool WriteRequest(CertificateRequestInfo request, string requestPath, string? keyPath, SecureString? keyPassword, bool force, Func<string, string, bool> shouldProcess, ICoreLog log)
        {
            var plan = new FileWritePlan(force);
            if (keyPath is not null)
            {
                PrivateKey key = request.PrivateKey ?? throw Errors.CertificateHasNoPrivateKey(request.Subject);
                plan.Add(keyPath, PrivateKeyWriter.ToPem(key, keyPassword), isPrivateKey: true, keyPassword is null ? "private key (unencrypted)" : "private key (encrypted)");
            }

            plan.Add(requestPath, Ascii(request.Pem), isPrivateKey: false, "certificate signing request");
            IReadOnlyList<string> written = plan.Commit(shouldProcess, log);
            if (written.Count == 0)
            {
                return false;
            }

            request.RequestPath = Pick(written, requestPath) ?? request.RequestPath;
            request.KeyPath = Pick(written, keyPath) ?? request.KeyPath;
            return true;
        }

        private static string Concatenate(IEnumerable<CertificateInfo> certificates)
        {
            var builder = new StringBuilder();
            foreach (CertificateInfo certificate in certificates)
            {
                builder.Append(certificate.ToPem());
            }

            return builder.ToString();
        }

        private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

        private static string? Pick(IReadOnlyList<string> written, string? requested)
        {
            if (requested is null)
            {
                return null;
            }

            string full = System.IO.Path.GetFullPath(requested);
            foreach (string path in written)
            {
                if (path == full)
                {
                    return path;
                }
            }

            return null;
        }
    }
}
