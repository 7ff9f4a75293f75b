using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Formats.Asn1;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace CertCmdlets.Core.Tests.Acme
{
    /// <summary>A request the fake CA received.</summary>
    public sealed class FakeRequest
    {
        public FakeRequest(string method, string path, Dictionary<string, string> headers, string body)
        {
            Method = method;
            Path = path;
            Headers = headers;
            Body = body;
        }

        public string Method { get; }

        public string Path { get; }

        public Dictionary<string, string> Headers { get; }

        public string Body { get; }

        /// <summary>The decoded JWS payload of a POST ("" for POST-as-GET), or null when the body is no JWS.</summary>
        public string? Payload
        {
            get
            {
                try
                {
                    using JsonDocument jws = JsonDocument.Parse(Body);
                    string payload = jws.RootElement.GetProperty("payload").GetString()!;
                    return payload.Length == 0 ? string.Empty : Encoding.UTF8.GetString(Base64UrlDecode(payload));
                }
                catch (Exception ex) when (ex is JsonException || ex is KeyNotFoundException || ex is InvalidOperationException || ex is FormatException)
                {
                    return null;
                }
            }
        }

        internal static byte[] Base64UrlDecode(string text)
        {
            string standard = text.Replace('-', '+').Replace('_', '/');
            return Convert.FromBase64String(standard + new string('=', (4 - (standard.Length % 4)) % 4));
        }
    }

    /// <summary>An answer of the fake CA.</summary>
    public sealed class FakeResponse
    {
        public FakeResponse(int status, string body, string contentType = "application/json")
        {
            Status = status;
            Body = body;
            ContentType = contentType;
        }

        public int Status { get; }

        public string Body { get; }

        public string ContentType { get; }

        public Dictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Never answer (the connection stays open, silent).</summary>
        public bool Hang { get; set; }

        public static FakeResponse Problem(int status, string type, string detail) =>
            new FakeResponse(status, JsonSerializer.Serialize(new { type = "urn:ietf:params:acme:error:" + type, detail, status }), "application/problem+json");

        public FakeResponse With(string header, string value)
        {
            Headers[header] = value;
            return this;
        }
    }

    /// <summary>
    /// A small ACME CA of the test's own, over TLS on 127.0.0.1, for what pebble 2.4.0 cannot show: renewal information
    /// (RFC 9773) and "replaces", Retry-After, rate limits, redirects, timeouts, endless processing, a hostile token.
    /// Orders are ready at once (no challenges unless <see cref="PendingToken"/> is set); finalize signs the CSR with a
    /// CA made here (with an authority key identifier, as public CAs issue). <see cref="Override"/> lets a test answer
    /// any request itself. Every request is recorded.
    /// </summary>
    public sealed class FakeAcmeServer : IDisposable
    {
        private readonly TcpListener _listener;
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly ConcurrentQueue<FakeRequest> _requests = new ConcurrentQueue<FakeRequest>();
        private readonly X509Certificate2 _tls;
        private readonly X509Certificate2 _issuer;
        private readonly Task _loop;
        private readonly ConcurrentDictionary<string, string> _certificates = new ConcurrentDictionary<string, string>();
        private int _nonce;
        private int _serial = 0x1000;

        public FakeAcmeServer()
        {
            _listener = new TcpListener(IPAddress.Loopback, 0);
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _tls = SelfSigned("CN=fake acme listener", ca: false, loopback: true);
            TlsCertificatePem = _tls.ExportCertificatePem() + "\n";
            _issuer = SelfSigned("CN=Fake ACME Issuing CA", ca: true, loopback: false);
            IssuerPem = _issuer.ExportCertificatePem() + "\n";
            _loop = Task.Run(Accept);
        }

        public int Port { get; }

        public string BaseUrl => $"https://127.0.0.1:{Port}";

        public string DirectoryUrl => BaseUrl + "/dir";

        /// <summary>The listener's self-signed certificate, to trust as a root.</summary>
        public string TlsCertificatePem { get; }

        public string IssuerPem { get; }

        /// <summary>Offer renewal information (the directory's renewalInfo).</summary>
        public bool OfferRenewalInfo { get; set; } = true;

        /// <summary>The window the renewal information suggests.</summary>
        public (DateTimeOffset Start, DateTimeOffset End) RenewalWindow { get; set; } = (DateTimeOffset.UtcNow.AddDays(10), DateTimeOffset.UtcNow.AddDays(12));

        public string? ExplanationUrl { get; set; }

        /// <summary>When set, orders carry one pending http-01 authorization with this token.</summary>
        public string? PendingToken { get; set; }

        /// <summary>Polls of a processing order before it is valid (-1: never).</summary>
        public int ProcessingPolls { get; set; }

        /// <summary>Answers a request instead of the CA's normal behaviour when it returns non-null.</summary>
        public Func<FakeRequest, FakeResponse?>? Override { get; set; }

        public IReadOnlyList<FakeRequest> Requests => _requests.ToArray();

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            try
            {
                _loop.Wait(TimeSpan.FromSeconds(5));
            }
            catch (AggregateException)
            {
            }

            _tls.Dispose();
            _issuer.Dispose();
            _stop.Dispose();
        }

        private static X509Certificate2 SelfSigned(string subject, bool ca, bool loopback)
        {
            using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(ca, false, 0, true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            if (loopback)
            {
                var names = new SubjectAlternativeNameBuilder();
                names.AddIpAddress(IPAddress.Loopback);
                request.CertificateExtensions.Add(names.Build());
            }

            using X509Certificate2 made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(400));
            // A PFX round trip gives a key SslStream can use on every platform.
            return X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pfx), null);
        }

        private async Task Accept()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (Exception ex) when (ex is OperationCanceledException || ex is SocketException || ex is ObjectDisposedException)
                {
                    return;
                }

                _ = Task.Run(() => Serve(client));
            }
        }

        private async Task Serve(TcpClient client)
        {
            using (client)
            {
                try
                {
                    using var ssl = new SslStream(client.GetStream());
                    await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _tls }, _stop.Token);
                    FakeRequest? request = await Read(ssl);
                    if (request is null)
                    {
                        return;
                    }

                    _requests.Enqueue(request);
                    FakeResponse response;
                    try
                    {
                        response = Override?.Invoke(request) ?? Handle(request);
                    }
                    catch (Exception ex) when (ex is CryptographicException || ex is JsonException || ex is KeyNotFoundException || ex is FormatException || ex is InvalidOperationException || ex is ArgumentException)
                    {
                        // A fault of the fake itself: said as the CA's internal error, so the test shows it.
                        response = FakeResponse.Problem(500, "serverInternal", "fake CA fault: " + ex);
                    }

                    if (response.Hang)
                    {
                        await Task.Delay(Timeout.Infinite, _stop.Token);
                        return;
                    }

                    var head = new StringBuilder();
                    head.Append($"HTTP/1.1 {response.Status} X\r\nContent-Type: {response.ContentType}\r\nConnection: close\r\n");
                    if (!response.Headers.ContainsKey("Replay-Nonce"))
                    {
                        head.Append($"Replay-Nonce: nonce-{Interlocked.Increment(ref _nonce)}\r\n");
                    }

                    foreach (KeyValuePair<string, string> header in response.Headers)
                    {
                        head.Append(header.Key).Append(": ").Append(header.Value).Append("\r\n");
                    }

                    byte[] body = Encoding.UTF8.GetBytes(request.Method == "HEAD" ? string.Empty : response.Body);
                    head.Append($"Content-Length: {body.Length}\r\n\r\n");
                    await ssl.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), _stop.Token);
                    await ssl.WriteAsync(body, _stop.Token);
                    await ssl.FlushAsync(_stop.Token);
                }
                catch (Exception ex) when (ex is IOException || ex is SocketException || ex is OperationCanceledException || ex is ObjectDisposedException || ex is System.Security.Authentication.AuthenticationException)
                {
                }
            }
        }

        private async Task<FakeRequest?> Read(SslStream ssl)
        {
            var data = new List<byte>();
            var buffer = new byte[4096];
            int headEnd = -1;
            while (headEnd < 0)
            {
                int read = await ssl.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    return null;
                }

                data.AddRange(buffer.Take(read));
                headEnd = Encoding.ASCII.GetString(data.ToArray()).IndexOf("\r\n\r\n", StringComparison.Ordinal);
            }

            string head = Encoding.ASCII.GetString(data.ToArray(), 0, headEnd);
            string[] lines = head.Split("\r\n");
            string[] requestLine = lines[0].Split(' ');
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (string line in lines.Skip(1))
            {
                int colon = line.IndexOf(':');
                if (colon > 0)
                {
                    headers[line.Substring(0, colon).Trim()] = line.Substring(colon + 1).Trim();
                }
            }

            int length = headers.TryGetValue("Content-Length", out string? text) ? int.Parse(text) : 0;
            while (data.Count < headEnd + 4 + length)
            {
                int read = await ssl.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    break;
                }

                data.AddRange(buffer.Take(read));
            }

            string body = Encoding.UTF8.GetString(data.ToArray(), headEnd + 4, Math.Max(0, data.Count - headEnd - 4));
            return new FakeRequest(requestLine[0], requestLine[1], headers, body);
        }

        private FakeResponse Handle(FakeRequest request)
        {
            string path = request.Path;
            if (path == "/dir")
            {
                var directory = new Dictionary<string, object>
                {
                    ["newNonce"] = BaseUrl + "/nonce",
                    ["newAccount"] = BaseUrl + "/account",
                    ["newOrder"] = BaseUrl + "/order",
                    ["revokeCert"] = BaseUrl + "/revoke",
                    ["keyChange"] = BaseUrl + "/key-change",
                    ["meta"] = new Dictionary<string, object> { ["termsOfService"] = BaseUrl + "/terms" },
                };
                if (OfferRenewalInfo)
                {
                    directory["renewalInfo"] = BaseUrl + "/renewal-info";
                }

                return new FakeResponse(200, JsonSerializer.Serialize(directory));
            }

            if (path == "/nonce")
            {
                return new FakeResponse(200, string.Empty, "text/plain");
            }

            if (path == "/account")
            {
                return new FakeResponse(201, "{\"status\":\"valid\",\"contact\":[]}").With("Location", BaseUrl + "/acct/1");
            }

            if (path == "/acct/1")
            {
                return new FakeResponse(200, "{\"status\":\"valid\",\"contact\":[]}");
            }

            if (path == "/order")
            {
                int id = Interlocked.Increment(ref _serial);
                return new FakeResponse(201, OrderJson(id, PendingToken is null ? "ready" : "pending", null)).With("Location", $"{BaseUrl}/orders/{id}");
            }

            if (path.StartsWith("/authz/", StringComparison.Ordinal))
            {
                return new FakeResponse(200, JsonSerializer.Serialize(new
                {
                    status = "pending",
                    identifier = new { type = "dns", value = "www.fake.test" },
                    challenges = new[] { new { type = "http-01", url = BaseUrl + "/chall/1", status = "pending", token = PendingToken } },
                }));
            }

            if (path.StartsWith("/finalize/", StringComparison.Ordinal))
            {
                string id = path.Substring("/finalize/".Length);
                using JsonDocument payload = JsonDocument.Parse(request.Payload!);
                _certificates[id] = Issue(FakeRequest.Base64UrlDecode(payload.RootElement.GetProperty("csr").GetString()!));
                return new FakeResponse(200, OrderJson(int.Parse(id), ProcessingPolls == 0 ? "valid" : "processing", id)).With("Location", $"{BaseUrl}/orders/{id}");
            }

            if (path.StartsWith("/orders/", StringComparison.Ordinal))
            {
                string id = path.Substring("/orders/".Length);
                int polls = Requests.Count(r => r.Path == path);
                bool valid = _certificates.ContainsKey(id) && ProcessingPolls >= 0 && polls > ProcessingPolls;
                return new FakeResponse(200, OrderJson(int.Parse(id), valid ? "valid" : _certificates.ContainsKey(id) ? "processing" : "ready", id)).With("Retry-After", "1");
            }

            if (path.StartsWith("/cert/", StringComparison.Ordinal))
            {
                return new FakeResponse(200, _certificates[path.Substring("/cert/".Length)], "application/pem-certificate-chain");
            }

            if (path.StartsWith("/renewal-info/", StringComparison.Ordinal))
            {
                var body = new Dictionary<string, object>
                {
                    ["suggestedWindow"] = new { start = RenewalWindow.Start.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"), end = RenewalWindow.End.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'") },
                };
                if (ExplanationUrl is not null)
                {
                    body["explanationURL"] = ExplanationUrl;
                }

                return new FakeResponse(200, JsonSerializer.Serialize(body)).With("Retry-After", "21600");
            }

            if (path == "/revoke")
            {
                return new FakeResponse(200, string.Empty, "text/plain");
            }

            return FakeResponse.Problem(404, "malformed", "no such resource " + path);
        }

        private string OrderJson(int id, string status, string? certificateId)
        {
            var order = new Dictionary<string, object>
            {
                ["status"] = status,
                ["identifiers"] = new[] { new { type = "dns", value = "www.fake.test" } },
                ["authorizations"] = PendingToken is null ? Array.Empty<string>() : new[] { $"{BaseUrl}/authz/{id}" },
                ["finalize"] = $"{BaseUrl}/finalize/{id}",
            };
            if (status == "valid" && certificateId is not null)
            {
                order["certificate"] = $"{BaseUrl}/cert/{certificateId}";
            }

            return JsonSerializer.Serialize(order);
        }

        private string Issue(byte[] csr)
        {
            CertificateRequest request = CertificateRequest.LoadSigningRequest(csr, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_issuer, true, false));
            byte[] serial = BitConverter.GetBytes(Interlocked.Increment(ref _serial)).Reverse().ToArray();
            serial[0] |= 0x80; // a high bit set: the DER serial then starts with 0x00, which the certificate id must keep
            using X509Certificate2 leaf = request.Create(_issuer, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(90), serial);
            return leaf.ExportCertificatePem() + "\n" + IssuerPem;
        }
    }
}
