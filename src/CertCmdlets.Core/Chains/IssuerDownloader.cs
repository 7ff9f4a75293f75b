using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Threading;
using CertCmdlets.Core.Certificates;

namespace CertCmdlets.Core.Chains
{
    /// <summary>
    /// Fetches a missing issuer from the URL in the certificate's Authority Information Access extension
    /// (caIssuers: a DER certificate or a PKCS#7 bundle), with a timeout. Only http and https URLs.
    /// </summary>
    internal static class IssuerDownloader
    {
        private const int MaximumLength = 1024 * 1024;

        public static List<CertificateInfo> Download(CertificateInfo child, TimeSpan timeout, ICoreLog log, CancellationToken cancellation)
        {
            var found = new List<CertificateInfo>();
            foreach (string url in CertificateFacts.CaIssuerUrls(child))
            {
                if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                {
                    log.Verbose($"Skipping the issuer URL '{url}' of '{child.Subject}': only http and https are fetched.");
                    continue;
                }

                // One deadline for the whole download, body included (HttpClient.Timeout stops at the headers), and Ctrl+C.
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                deadline.CancelAfter(timeout);
                try
                {
                    // The transfer runs apart from this thread, which shows progress if it lasts (and alone writes to the log).
                    (int status, byte[]? data) = CoreProgress.Run(
                        log,
                        $"Downloading the issuer of '{child.Subject}'",
                        url,
                        () => Fetch(uri, deadline.Token),
                        cancellation);
                    if (data is null)
                    {
                        log.Warning($"Downloading the issuer of '{child.Subject}' from {url} failed: HTTP {status}.");
                        continue;
                    }

                    List<CertificateInfo> certificates = CertificateReader.Parse(data, url);
                    log.Verbose($"Downloaded {certificates.Count} certificate(s) from {url}.");
                    found.AddRange(certificates);
                }
                catch (Exception ex) when (ex is HttpRequestException || ex is OperationCanceledException || ex is IOException || ex is CertCmdletsException || ex is InvalidOperationException)
                {
                    if (cancellation.IsCancellationRequested)
                    {
                        throw new OperationCanceledException(cancellation);
                    }

                    log.Warning($"Downloading the issuer of '{child.Subject}' from {url} failed: {(ex is OperationCanceledException ? $"no answer within {timeout.TotalSeconds:0.#} s" : ex.Message)}");
                }
            }

            return found;
        }

        /// <summary>The answer's status code, and its body when the status is a success (else null).</summary>
        private static (int Status, byte[]? Data) Fetch(Uri uri, CancellationToken token)
        {
            using var client = new HttpClient { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
            using HttpResponseMessage response = client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, token).GetAwaiter().GetResult();
            if (!response.IsSuccessStatusCode)
            {
                return ((int)response.StatusCode, null);
            }

            using Stream stream = response.Content.ReadAsStreamAsync().GetAwaiter().GetResult();
            return ((int)response.StatusCode, ReadLimited(stream, token));
        }

        private static byte[] ReadLimited(Stream stream, CancellationToken token)
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16384];
            int read;
            while ((read = ReadChunk(stream, chunk, token)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > MaximumLength)
                {
                    throw new IOException("the answer is larger than 1 MiB, not a certificate.");
                }
            }

            return buffer.ToArray();
        }

        private static int ReadChunk(Stream stream, byte[] chunk, CancellationToken token)
        {
            // Some streams ignore the token once a read is pending; waiting on the task with it bounds the wait anyway.
            var read = stream.ReadAsync(chunk, 0, chunk.Length, token);
            read.Wait(token);
            return read.Result;
        }
    }
}
