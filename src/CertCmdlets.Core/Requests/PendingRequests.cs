using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security;
using CertCmdlets.Core.Certificates;
using CertCmdlets.Core.IO;
using CertCmdlets.Core.Keys;
using CertCmdlets.Core.Naming;

namespace CertCmdlets.Core.Requests
{
    /// <summary>
    /// Requests waiting for their CA's answer, kept as files: what Windows' pending-request store does, on every
    /// platform. Given only the certificate a CA sent back, finds among the request files of some folders the one
    /// made with the same public key, and the private key held beside it.
    /// </summary>
    public static class PendingRequests
    {
        private static readonly HashSet<string> s_requestExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".csr", ".req", ".p10", ".pem" };
        private static readonly HashSet<string> s_keyExtensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".key", ".pem" };

        /// <summary>
        /// The request (with its key attached when found) whose public key is that of a certificate in
        /// <paramref name="returned"/>, looked for in the request files (.csr, .req, .p10, .pem) of
        /// <paramref name="directories"/>; null when none matches. The key is the request's key file (same base name,
        /// .key) or, failing that, a key file of the same folder with the same public key.
        /// </summary>
        public static CertificateRequestInfo? Find(IReadOnlyList<CertificateInfo> returned, IEnumerable<string> directories, SecureString? keyPassword, ICoreLog log)
        {
            List<CertificateInfo> candidates = returned.Where(c => !c.IsCertificateAuthority).DefaultIfEmpty(returned.FirstOrDefault()).Where(c => c is not null).ToList()!;
            var publicKeys = candidates.Select(c => (Certificate: c, Key: c.PublicKeyInfo.GetDerEncoded())).ToList();
            var matches = new List<(CertificateRequestInfo Request, CertificateInfo Certificate, DateTime Written)>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (string directory in directories)
            {
                if (!Directory.Exists(directory) || !seen.Add(Path.GetFullPath(directory)))
                {
                    continue;
                }

                foreach (string file in RequestFilesIn(directory))
                {
                    CertificateRequestInfo? request = TryRead(file, log);
                    if (request is null)
                    {
                        continue;
                    }

                    byte[] requestKey = RequestFiles.PublicKeyOf(request).GetDerEncoded();
                    foreach ((CertificateInfo certificate, byte[] key) in publicKeys)
                    {
                        if (Org.BouncyCastle.Utilities.Arrays.AreEqual(requestKey, key))
                        {
                            request.RequestPath = file;
                            matches.Add((request, certificate, File.GetLastWriteTimeUtc(file)));
                        }
                    }
                }
            }

            if (matches.Count == 0)
            {
                return null;
            }

            // The same key may have been used for several requests (a renewal that kept it): the newest one whose names
            // the certificate covers, else the newest (whose names then show what is missing).
            var ordered = matches.OrderByDescending(m => m.Written).ToList();
            var best = ordered.FirstOrDefault(m => m.Request.DnsNames.Concat(m.Request.IpAddresses).All(n => HostNameMatcher.Covers(m.Certificate, n)));
            CertificateRequestInfo found = best.Request ?? ordered[0].Request;
            log.Verbose($"'{found.RequestPath}' is the pending request for this certificate (same public key).");
            AttachKey(found, keyPassword, log);
            return found;
        }

        /// <summary>The error for a CA answer (<paramref name="source"/>: its file, or "the certificate text") no pending request matches (PendingRequestNotFound).</summary>
        public static CertCmdletsException NotFound(string source, IReadOnlyList<CertificateInfo> returned, IEnumerable<string> directories)
        {
            CertificateInfo? leaf = returned.FirstOrDefault(c => !c.IsCertificateAuthority) ?? returned.FirstOrDefault();
            return Errors.PendingRequestNotFound(source, leaf?.Subject ?? "(no certificate)", directories);
        }

        /// <summary>The error for a request whose private key was not found (RequestKeyNotFound).</summary>
        public static CertCmdletsException KeyNotFound(string request, string whereLooked) => Errors.RequestKeyNotFound(request, whereLooked);

        private static void AttachKey(CertificateRequestInfo request, SecureString? keyPassword, ICoreLog log)
        {
            string requestPath = request.RequestPath!;
            RequestFiles.AttachKeyBeside(request, requestPath, keyPassword, keyRequired: true, log);
            if (request.PrivateKey is not null)
            {
                return;
            }

            string directory = Path.GetDirectoryName(requestPath) ?? ".";
            foreach (string file in Files(directory).Where(f => s_keyExtensions.Contains(Path.GetExtension(f)) && !string.Equals(f, RequestFiles.KeyBeside(requestPath), StringComparison.Ordinal)))
            {
                PrivateKey key;
                try
                {
                    if (!LooksLikeKey(file))
                    {
                        continue;
                    }

                    key = PrivateKeyReader.ReadFile(file, keyPassword);
                }
                catch (CertCmdletsException ex)
                {
                    log.Verbose($"'{file}' was not used as the request's key: {ex.Message}");
                    continue;
                }

                if (RequestFiles.TryAttach(request, key, file))
                {
                    log.Verbose($"'{file}' holds the request's key.");
                    return;
                }
            }
        }

        private static IEnumerable<string> RequestFilesIn(string directory)
        {
            foreach (string file in Files(directory))
            {
                if (s_requestExtensions.Contains(Path.GetExtension(file)))
                {
                    yield return file;
                }
            }
        }

        private static CertificateRequestInfo? TryRead(string file, ICoreLog log)
        {
            byte[] data;
            try
            {
                data = FileInput.ReadAll(file);
            }
            catch (CertCmdletsException ex)
            {
                log.Verbose($"'{file}' was passed over: {ex.Message}");
                return null;
            }

            if (Pem.TryReadText(data, out string text) && text.IndexOf("CERTIFICATE REQUEST-----", StringComparison.Ordinal) < 0)
            {
                // A .pem file that holds a certificate or a key, not a request.
                Array.Clear(data, 0, data.Length);
                return null;
            }

            try
            {
                return CertificateRequestReader.Parse(data, file, null);
            }
            catch (CertCmdletsException ex) when (ex.ErrorId == "RequestSignatureInvalid")
            {
                log.Warning($"'{file}' was passed over: {ex.Message}");
                return null;
            }
            catch (CertCmdletsException ex)
            {
                log.Verbose($"'{file}' was passed over: {ex.Message}");
                return null;
            }
        }

        private static bool LooksLikeKey(string file)
        {
            byte[] data = FileInput.ReadAll(file);
            try
            {
                return !Pem.TryReadText(data, out string text) || text.IndexOf("PRIVATE KEY-----", StringComparison.Ordinal) >= 0;
            }
            finally
            {
                Array.Clear(data, 0, data.Length);
            }
        }

        private static IEnumerable<string> Files(string directory)
        {
            try
            {
                return Directory.GetFiles(directory).OrderBy(f => f, StringComparer.Ordinal).ToList();
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return Array.Empty<string>();
            }
        }
    }
}
