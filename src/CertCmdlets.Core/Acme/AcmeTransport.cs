using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using CertCmdlets.Core.Acme.Json;
using CertCmdlets.Core.Certificates;
using CertCmdlets.Core.Chains;

namespace CertCmdlets.Core.Acme
{
    /// <summary>One answer of the CA: status, the headers ACME uses, and the body.</summary>
    internal sealed class AcmeHttpResponse
    {
        public AcmeHttpResponse(Uri url, int status, string? contentType, byte[] body, string? location, string? replayNonce, IReadOnlyList<KeyValuePair<string, string>> links, DateTimeOffset? retryAt)
        {
            Url = url;
            Status = status;
            ContentType = contentType;
            Body = body;
            Location = location;
            ReplayNonce = replayNonce;
            Links = links;
            RetryAt = retryAt;
        }

        public Uri Url { get; }

        public int Status { get; }

        public string? ContentType { get; }

        public byte[] Body { get; }

        public string? Location { get; }

        public string? ReplayNonce { get; }

        /// <summary>Link headers as (relation, absolute URL).</summary>
        public IReadOnlyList<KeyValuePair<string, string>> Links { get; }

        /// <summary>When the CA asks to be asked again (Retry-After), as an instant.</summary>
        public DateTimeOffset? RetryAt { get; }

        public bool IsProblem => Status >= 400 || string.Equals(ContentType, "application/problem+json", StringComparison.OrdinalIgnoreCase);

        /// <summary>The body as JSON; an answer that is not JSON is the CA's fault and says so.</summary>
        public JsonValue Json()
        {
            try
            {
                return JsonReader.Parse(Body);
            }
            catch (JsonFormatException ex)
            {
                throw Errors.AcmeResponseInvalid(Url.ToString(), $"HTTP {Status} with a body that is not JSON ({ex.Message}).");
            }
        }

        /// <summary>The problem document of an error answer (or a stand-in when the body is not one).</summary>
        public AcmeProblem Problem()
        {
            JsonValue? json = null;
            try
            {
                json = Body.Length > 0 ? JsonReader.Parse(Body) : null;
            }
            catch (JsonFormatException)
            {
                // Not a problem document: described by its status alone.
            }

            return AcmeProblem.Parse(json, Status);
        }

        public IEnumerable<string> LinksWithRelation(string relation) => Links.Where(l => string.Equals(l.Key, relation, StringComparison.OrdinalIgnoreCase)).Select(l => l.Value);
    }

    /// <summary>
    /// HTTPS to the CA: one HttpClient per session (connections reused across the order), a timeout on every exchange,
    /// redirects followed only for GET and HEAD and only to https, bodies capped, and trust in the system store plus
    /// the roots given for a private CA. Cancellation (Ctrl+C) ends any wait at once.
    /// </summary>
    internal sealed class AcmeTransport : IDisposable
    {
        private const int MaximumBodyLength = 4 * 1024 * 1024;
        private const int MaximumRedirects = 5;
        private static readonly string s_userAgent = "CertCmdlets/" + typeof(AcmeTransport).Assembly.GetName().Version?.ToString(3) + " (PowerShell ACME client)";

        private readonly HttpClient _client;
        private readonly TimeSpan _timeout;
        private readonly IReadOnlyList<CertificateInfo> _trustedRoots;
        private string? _untrustedReason;

        public AcmeTransport(AcmeConnectionOptions options)
        {
            _timeout = options.RequestTimeout;
            _trustedRoots = options.TrustedRoots;
            var handler = new HttpClientHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            };
            if (_trustedRoots.Count > 0)
            {
                handler.ServerCertificateCustomValidationCallback = ValidateWithTrustedRoots;
            }

            _client = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
            _client.DefaultRequestHeaders.UserAgent.ParseAdd(s_userAgent);
            _client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");
        }

        /// <summary>GET (following https redirects); <paramref name="accept"/> defaults to JSON.</summary>
        public AcmeHttpResponse Get(Uri url, CancellationToken cancellation, string accept = "application/json") => Send(HttpMethod.Get, url, null, accept, cancellation);

        /// <summary>HEAD (following https redirects), for new nonces.</summary>
        public AcmeHttpResponse Head(Uri url, CancellationToken cancellation) => Send(HttpMethod.Head, url, null, "*/*", cancellation);

        /// <summary>POST of a JWS body (application/jose+json); never redirected.</summary>
        public AcmeHttpResponse Post(Uri url, JsonValue jws, string accept, CancellationToken cancellation) => Send(HttpMethod.Post, url, JsonWriter.WriteUtf8(jws), accept, cancellation);

        public void Dispose() => _client.Dispose();

        private AcmeHttpResponse Send(HttpMethod method, Uri url, byte[]? body, string accept, CancellationToken cancellation)
        {
            Uri current = url;
            for (int hop = 0; ; hop++)
            {
                AcmeHttpResponse response = SendOnce(method, current, body, accept, cancellation, out string? redirect);
                if (redirect is null)
                {
                    return response;
                }

                Uri? next = Uri.TryCreate(current, redirect, out Uri? resolved) ? resolved : null;
                if (method == HttpMethod.Post || next is null || next.Scheme != Uri.UriSchemeHttps || hop >= MaximumRedirects)
                {
                    throw Errors.AcmeRedirectRefused(current.ToString(), redirect);
                }

                current = next;
            }
        }

        private AcmeHttpResponse SendOnce(HttpMethod method, Uri url, byte[]? body, string accept, CancellationToken cancellation, out string? redirect)
        {
            redirect = null;
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            deadline.CancelAfter(_timeout);
            using var request = new HttpRequestMessage(method, url);
            request.Headers.Accept.ParseAdd(accept);
            if (body is not null)
            {
                request.Content = new ByteArrayContent(body);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/jose+json");
            }

            _untrustedReason = null;
            try
            {
                using HttpResponseMessage response = _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).GetAwaiter().GetResult();
                int status = (int)response.StatusCode;
                if (status >= 300 && status < 400 && status != 304)
                {
                    redirect = response.Headers.Location?.OriginalString ?? string.Empty;
                    return new AcmeHttpResponse(url, status, null, Array.Empty<byte>(), null, null, Array.Empty<KeyValuePair<string, string>>(), null);
                }

                byte[] content = method == HttpMethod.Head ? Array.Empty<byte>() : ReadLimited(response, url, deadline.Token);
                return new AcmeHttpResponse(
                    url,
                    status,
                    response.Content?.Headers.ContentType?.MediaType,
                    content,
                    response.Headers.Location is Uri location ? new Uri(url, location).ToString() : null,
                    response.Headers.TryGetValues("Replay-Nonce", out IEnumerable<string>? nonces) ? nonces.FirstOrDefault() : null,
                    ParseLinks(response, url),
                    RetryAt(response));
            }
            catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
            {
                throw Errors.AcmeRequestTimedOut(url.ToString(), _timeout);
            }
            catch (HttpRequestException ex)
            {
                cancellation.ThrowIfCancellationRequested();
                if (_untrustedReason is not null || Contains<AuthenticationException>(ex))
                {
                    throw Errors.AcmeServerNotTrusted(url.GetLeftPart(UriPartial.Authority), _untrustedReason ?? Innermost(ex), ex);
                }

                throw Errors.AcmeServerUnreachable(url.GetLeftPart(UriPartial.Authority), Innermost(ex), ex);
            }
            catch (IOException ex)
            {
                cancellation.ThrowIfCancellationRequested();
                throw Errors.AcmeServerUnreachable(url.GetLeftPart(UriPartial.Authority), ex.Message, ex);
            }
        }

        private static byte[] ReadLimited(HttpResponseMessage response, Uri url, CancellationToken token)
        {
            if (response.Content is null)
            {
                return Array.Empty<byte>();
            }

            if (response.Content.Headers.ContentLength > MaximumBodyLength)
            {
                throw Errors.AcmeResponseInvalid(url.ToString(), $"the answer is larger than {MaximumBodyLength / (1024 * 1024)} MiB.");
            }

            using Stream stream = response.Content.ReadAsStreamAsync().GetAwaiter().GetResult();
            using var buffer = new MemoryStream();
            var chunk = new byte[16384];
            while (true)
            {
                var read = stream.ReadAsync(chunk, 0, chunk.Length, token);
                read.Wait(token);
                if (read.Result == 0)
                {
                    return buffer.ToArray();
                }

                buffer.Write(chunk, 0, read.Result);
                if (buffer.Length > MaximumBodyLength)
                {
                    throw Errors.AcmeResponseInvalid(url.ToString(), $"the answer is larger than {MaximumBodyLength / (1024 * 1024)} MiB.");
                }
            }
        }

        /// <summary>Link: &lt;url&gt;;rel="alternate", possibly several per header, URLs resolved against the request.</summary>
        private static List<KeyValuePair<string, string>> ParseLinks(HttpResponseMessage response, Uri baseUrl)
        {
            var links = new List<KeyValuePair<string, string>>();
            if (!response.Headers.TryGetValues("Link", out IEnumerable<string>? values))
            {
                return links;
            }

            foreach (string value in values)
            {
                foreach (string part in SplitLinks(value))
                {
                    int open = part.IndexOf('<');
                    int close = part.IndexOf('>', open + 1);
                    if (open < 0 || close < 0)
                    {
                        continue;
                    }

                    string target = part.Substring(open + 1, close - open - 1).Trim();
                    foreach (string parameter in part.Substring(close + 1).Split(';'))
                    {
                        string[] pair = parameter.Split(new[] { '=' }, 2);
                        if (pair.Length == 2 && pair[0].Trim().Equals("rel", StringComparison.OrdinalIgnoreCase) && Uri.TryCreate(baseUrl, target, out Uri? absolute))
                        {
                            foreach (string relation in pair[1].Trim().Trim('"').Split(' '))
                            {
                                links.Add(new KeyValuePair<string, string>(relation, absolute.ToString()));
                            }
                        }
                    }
                }
            }

            return links;
        }

        /// <summary>Splits a Link header at the commas between links (not those inside &lt;...&gt; or quotes).</summary>
        private static IEnumerable<string> SplitLinks(string header)
        {
            int start = 0;
            bool inUrl = false;
            bool inQuotes = false;
            for (int i = 0; i < header.Length; i++)
            {
                char c = header[i];
                if (c == '<' && !inQuotes)
                {
                    inUrl = true;
                }
                else if (c == '>' && !inQuotes)
                {
                    inUrl = false;
                }
                else if (c == '"' && !inUrl)
                {
                    inQuotes = !inQuotes;
                }
                else if (c == ',' && !inUrl && !inQuotes)
                {
                    yield return header.Substring(start, i - start);
                    start = i + 1;
                }
            }

            yield return header.Substring(start);
        }

        private static DateTimeOffset? RetryAt(HttpResponseMessage response)
        {
            RetryConditionHeaderValue? retry = response.Headers.RetryAfter;
            if (retry is null)
            {
                return null;
            }

            if (retry.Delta is TimeSpan delta)
            {
                return DateTimeOffset.UtcNow + (delta < TimeSpan.Zero ? TimeSpan.Zero : delta);
            }

            return retry.Date;
        }

        /// <summary>
        /// The system store said no: accept the CA's certificate when it chains (signatures checked by the module's one
        /// chain builder) to a root given with -TrustedRootPath and is valid today. A wrong name is never accepted.
        /// </summary>
        private bool ValidateWithTrustedRoots(HttpRequestMessage message, X509Certificate2? certificate, X509Chain? chain, SslPolicyErrors errors)
        {
            if (errors == SslPolicyErrors.None)
            {
                return true;
            }

            if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
            {
                _untrustedReason = (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0
                    ? $"its certificate does not name {message.RequestUri?.Host}"
                    : "it sent no certificate";
                return false;
            }

            try
            {
                CertificateInfo leaf = CertificateReader.Parse(certificate.RawData, message.RequestUri?.Host ?? "the CA")[0];
                var pool = new CertificatePool();
                foreach (CertificateInfo root in _trustedRoots)
                {
                    pool.Add(root);
                }

                if (chain is not null)
                {
                    foreach (X509ChainElement element in chain.ChainElements)
                    {
                        pool.Add(CertificateReader.Parse(element.Certificate.RawData, "the CA's chain")[0]);
                    }
                }

                var anchors = new HashSet<string>(_trustedRoots.Select(r => r.Thumbprint), StringComparer.Ordinal);
                ChainPath path = ChainBuilder.Build(leaf, pool, anchors);
                DateTime now = DateTime.Now;
                if (!path.ReachesAnchor)
                {
                    _untrustedReason = $"'{leaf.Subject}' does not chain to the system's roots nor to the roots given with -TrustedRootPath";
                    return false;
                }

                if (new[] { leaf }.Concat(path.Issuers).Any(c => c.NotBefore > now || c.NotAfter < now))
                {
                    _untrustedReason = $"'{leaf.Subject}' or a certificate of its chain is outside its validity period";
                    return false;
                }

                return true;
            }
            catch (CertCmdletsException ex)
            {
                _untrustedReason = ex.Message;
                return false;
            }
        }

        private static bool Contains<T>(Exception ex)
            where T : Exception
        {
            for (Exception? current = ex; current is not null; current = current.InnerException)
            {
                if (current is T)
                {
                    return true;
                }
            }

            return false;
        }

        private static string Innermost(Exception ex)
        {
            Exception current = ex;
            while (current.InnerException is not null)
            {
                current = current.InnerException;
            }

            return current.Message.TrimEnd('.') + ".";
        }
    }
}
