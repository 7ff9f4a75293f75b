using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using CertCmdlets.Core.Certificates;

namespace CertCmdlets.Core.Chains
{
    /// <summary>
    /// Fetches missing issuers from the URLs in certificates' Authority Information Access extension (caIssuers: a
    /// DER certificate or a PKCS#7 bundle) for one Join-CertChain -Download. Bounded in every direction a hostile
    /// or broken server could push: one time budget for all downloads of the operation (not per URL or per read),
    /// http and https only (also for redirects, which are followed by hand, at most five), no link-local, metadata
    /// or multicast addresses (loopback only when the certificate's own URL was loopback), response headers at most
    /// 16 KiB, bodies at most 1 MiB. Every failure is a warning naming the URL; only Ctrl+C stops the operation.
    /// </summary>
    /// <remarks>
    /// Addresses are checked after resolving the host name, before each request. The HTTP stack then resolves the
    /// name again, so a DNS server that changes its answer between the two (DNS rebinding) is not caught:
    /// netstandard2.0 has no hook to connect to a checked address. Private ranges (10/8, 172.16/12, 192.168/16,
    /// fc00::/7) stay allowed, because internal CAs publish their certificates there.
    /// </remarks>
    internal sealed class IssuerDownloader
    {
        public const int MaximumLength = 1024 * 1024;
        public const int MaximumRedirects = 5;
        public const int MaximumHeaderKilobytes = 16;

        private readonly TimeSpan _budget;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly ICoreLog _log;
        private readonly CancellationToken _cancellation;
        private bool _budgetSpentReported;

        /// <summary>A downloader whose downloads together may take <paramref name="budget"/>.</summary>
        public IssuerDownloader(TimeSpan budget, ICoreLog log, CancellationToken cancellation)
        {
            _budget = budget;
            _log = log;
            _cancellation = cancellation;
        }

        private TimeSpan Remaining => _budget - _clock.Elapsed;

        /// <summary>The certificates found at <paramref name="child"/>'s caIssuers URLs (possibly none).</summary>
        public List<CertificateInfo> Download(CertificateInfo child)
        {
            var found = new List<CertificateInfo>();
            List<string> urls;
            try
            {
                urls = CertificateFacts.CaIssuerUrls(child);
            }
            catch (Exception ex) when (!(ex is OperationCanceledException))
            {
                _log.Warning($"The issuer URLs of '{child.Subject}' cannot be read ({ex.Message}); nothing was downloaded for it.");
                return found;
            }

            foreach (string url in urls)
            {
                _cancellation.ThrowIfCancellationRequested();
                if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || !IsHttp(uri))
                {
                    _log.Verbose($"Skipping the issuer URL '{url}' of '{child.Subject}': only http and https are fetched.");
                    continue;
                }

                if (Remaining <= TimeSpan.Zero)
                {
                    if (!_budgetSpentReported)
                    {
                        _log.Warning($"Downloading issuers stopped: the time limit of {_budget.TotalSeconds:0.#} s for all downloads (-TimeoutSeconds) is spent; '{url}' and any further URLs were not tried.");
                        _budgetSpentReported = true;
                    }

                    continue;
                }

                // The transfer runs apart from this thread, which shows progress if it lasts (and alone writes to the log).
                found.AddRange(CoreProgress.RunWithLog(_log, $"Downloading the issuer of '{child.Subject}'", url, log => Fetch(child, uri, log), _cancellation));
            }

            return found;
        }

        private List<CertificateInfo> Fetch(CertificateInfo child, Uri start, ICoreLog log)
        {
            string what = $"Downloading the issuer of '{child.Subject}' from {start}";
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_cancellation);
            deadline.CancelAfter(Remaining);
            CancellationToken token = deadline.Token;
            try
            {
                IPAddress[] startAddresses = Resolve(start, token);
                bool loopbackAllowed = startAddresses.Length > 0 && startAddresses.All(IPAddress.IsLoopback);
                Uri current = start;
                IPAddress[] addresses = startAddresses;
                using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false };
                LimitHeaders(handler);
                using var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
                for (int hop = 0; ; hop++)
                {
                    string? refusal = AddressPolicy.Refusal(current, addresses, loopbackAllowed);
                    if (refusal is not null)
                    {
                        log.Warning($"{what} refused: {refusal}");
                        return new List<CertificateInfo>();
                    }

                    using var request = new HttpRequestMessage(HttpMethod.Get, current);
                    using HttpResponseMessage response = Wait(client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token), token);
                    int status = (int)response.StatusCode;
                    if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308)
                    {
                        string? location = response.Headers.TryGetValues("Location", out IEnumerable<string>? values) ? values.FirstOrDefault() : null;
                        if (location is null || !Uri.TryCreate(current, location, out Uri? next))
                        {
                            log.Warning($"{what} failed: HTTP {status} redirects to '{location}', which is not a valid address.");
                            return new List<CertificateInfo>();
                        }

                        if (!IsHttp(next))
                        {
                            log.Warning($"{what} refused: it redirects to '{next}', and only http and https redirects are followed.");
                            return new List<CertificateInfo>();
                        }

                        if (hop >= MaximumRedirects)
                        {
                            log.Warning($"{what} failed: more than {MaximumRedirects} redirects.");
                            return new List<CertificateInfo>();
                        }

                        log.Verbose($"{start} redirects (HTTP {status}) to {next}.");
                        current = next;
                        addresses = Resolve(current, token);
                        continue;
                    }

                    if (!response.IsSuccessStatusCode)
                    {
                        log.Warning($"{what} failed: HTTP {status}.");
                        return new List<CertificateInfo>();
                    }

                    if (response.Content.Headers.ContentLength > MaximumLength)
                    {
                        throw new IOException("the answer is larger than 1 MiB, not a certificate.");
                    }

                    using Stream stream = Wait(response.Content.ReadAsStreamAsync(), token);
                    byte[] data = ReadLimited(stream, token);
                    List<CertificateInfo> certificates = CertificateReader.Parse(data, current.ToString());
                    log.Verbose($"Downloaded {certificates.Count} certificate(s) from {current}.");
                    return certificates;
                }
            }
            catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
            {
                throw new OperationCanceledException(_cancellation);
            }
            catch (OperationCanceledException)
            {
                log.Warning($"{what} failed: no answer within the time limit ({_budget.TotalSeconds:0.#} s for all downloads; -TimeoutSeconds).");
            }
            catch (Exception ex) when (!(ex is OutOfMemoryException) && !_cancellation.IsCancellationRequested)
            {
                // A hostile or broken server must not end the join: HttpRequestException, IOException, a header too
                // long, a URL the stack rejects, a body that is no certificate... each is a warning.
                log.Warning($"{what} failed: {Describe(ex)}");
            }

            return new List<CertificateInfo>();
        }

        private static bool IsHttp(Uri uri) => uri.IsAbsoluteUri && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

        private static string Describe(Exception ex)
        {
            string message = ex.Message;
            for (Exception? inner = ex.InnerException; inner is not null; inner = inner.InnerException)
            {
                message += " " + inner.Message;
            }

            return message;
        }

        /// <summary>Caps the response headers (an endless header line must not fill the memory); not every platform lets us.</summary>
        private static void LimitHeaders(HttpClientHandler handler)
        {
            try
            {
                handler.MaxResponseHeadersLength = MaximumHeaderKilobytes;
            }
            catch (PlatformNotSupportedException)
            {
                // .NET Framework keeps its own default limit (64 KiB).
            }
        }

        private static IPAddress[] Resolve(Uri uri, CancellationToken token)
        {
            string host = uri.DnsSafeHost;
            if (IPAddress.TryParse(host, out IPAddress? literal))
            {
                return new[] { literal };
            }

            try
            {
                return Wait(Dns.GetHostAddressesAsync(host), token);
            }
            catch (SocketException)
            {
                // Not resolvable here (a proxy may still reach it): the request itself will say what went wrong.
                return Array.Empty<IPAddress>();
            }
        }

        /// <summary>Waits for a task, or until the deadline or Ctrl+C (some calls ignore the token once started).</summary>
        private static T Wait<T>(Task<T> task, CancellationToken token)
        {
            try
            {
                task.Wait(token);
            }
            catch (AggregateException ex) when (ex.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            }
            catch (OperationCanceledException)
            {
                // The abandoned task may still fail later: observe it so it is not reported as unobserved.
                task.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
                throw;
            }

            return task.Result;
        }

        private static byte[] ReadLimited(Stream stream, CancellationToken token)
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16384];
            int read;
            while ((read = Wait(stream.ReadAsync(chunk, 0, chunk.Length, token), token)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > MaximumLength)
                {
                    throw new IOException("the answer is larger than 1 MiB, not a certificate.");
                }
            }

            return buffer.ToArray();
        }
    }

    /// <summary>
    /// Which addresses a certificate's URL may make this module fetch from. Refused: "this network" (0.0.0.0/8, ::),
    /// link-local (169.254.0.0/16, fe80::/10; the cloud metadata services live at 169.254.169.254), the other
    /// well-known metadata addresses (Alibaba 100.100.100.200, Azure WireServer 168.63.129.16, AWS fd00:ec2::254),
    /// multicast and reserved ranges, site-local fec0::/10; IPv4-mapped, IPv4-compatible and NAT64 (64:ff9b::/96)
    /// IPv6 forms are judged by the IPv4 address inside. Loopback only when the certificate's own URL was loopback.
    /// </summary>
    internal static class AddressPolicy
    {
        private static readonly IPAddress[] s_metadata =
        {
            IPAddress.Parse("100.100.100.200"),
            IPAddress.Parse("168.63.129.16"),
            IPAddress.Parse("fd00:ec2::254"),
        };

        /// <summary>Why <paramref name="uri"/> (resolving to <paramref name="addresses"/>) must not be fetched, or null.</summary>
        public static string? Refusal(Uri uri, IReadOnlyList<IPAddress> addresses, bool loopbackAllowed)
        {
            foreach (IPAddress address in addresses)
            {
                string? why = Refusal(address, loopbackAllowed);
                if (why is not null)
                {
                    return $"{uri.Host} is {(uri.HostNameType == UriHostNameType.Dns ? $"at {address}, " : string.Empty)}{why}; the module does not fetch from such addresses.";
                }
            }

            return null;
        }

        /// <summary>Why one address is refused, or null.</summary>
        public static string? Refusal(IPAddress address, bool loopbackAllowed)
        {
            if (s_metadata.Any(m => m.Equals(address)))
            {
                return "a cloud metadata address";
            }

            if (IPAddress.IsLoopback(address))
            {
                return loopbackAllowed ? null : "a loopback address (allowed only when the certificate's own URL is loopback)";
            }

            byte[] bytes = address.GetAddressBytes();
            if (address.AddressFamily == AddressFamily.InterNetworkV6)
            {
                byte[]? embedded = EmbeddedIPv4(bytes);
                if (embedded is not null)
                {
                    return Refusal(new IPAddress(embedded), loopbackAllowed);
                }

                if (bytes.All(b => b == 0))
                {
                    return "the unspecified address";
                }

                if (bytes[0] == 0xFE && (bytes[1] & 0xC0) == 0x80)
                {
                    return "a link-local address";
                }

                if (bytes[0] == 0xFE && (bytes[1] & 0xC0) == 0xC0)
                {
                    return "a site-local address";
                }

                return bytes[0] == 0xFF ? "a multicast address" : null;
            }

            if (bytes.Length != 4)
            {
                return "not an IP address";
            }

            if (bytes[0] == 0)
            {
                return "an address of \"this network\" (0.0.0.0/8)";
            }

            if (bytes[0] == 169 && bytes[1] == 254)
            {
                return "a link-local address (169.254.0.0/16, where cloud metadata services answer)";
            }

            if (bytes[0] >= 224 && bytes[0] <= 239)
            {
                return "a multicast address";
            }

            return bytes[0] >= 240 ? "a reserved or broadcast address" : null;
        }

        /// <summary>The IPv4 address inside ::ffff:a.b.c.d, ::a.b.c.d and 64:ff9b::a.b.c.d, or null.</summary>
        private static byte[]? EmbeddedIPv4(byte[] bytes)
        {
            bool mapped = bytes.Take(10).All(b => b == 0) && bytes[10] == 0xFF && bytes[11] == 0xFF;
            bool compatible = bytes.Take(12).All(b => b == 0) && !(bytes[12] == 0 && bytes[13] == 0 && bytes[14] == 0 && bytes[15] <= 1);
            bool nat64 = bytes[0] == 0x00 && bytes[1] == 0x64 && bytes[2] == 0xFF && bytes[3] == 0x9B && bytes.Skip(4).Take(8).All(b => b == 0);
            return mapped || compatible || nat64 ? bytes.Skip(12).ToArray() : null;
        }
    }
}
