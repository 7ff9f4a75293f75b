using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using CertCmdlets.Core.Certificates;
using CertCmdlets.Core.Chains;
using CertCmdlets.Core.Naming;

namespace CertCmdlets.Core.Tls
{
    /// <summary>
    /// Connects to an HTTPS server as a browser would (SNI = the server name) and reads the certificates the
    /// server itself sends, not what a local store could add; tries each TLS version; optionally checks that
    /// plain HTTP redirects to HTTPS.
    /// </summary>
    public static class HttpsProbe
    {
        private static readonly (SslProtocols Protocol, string Name)[] s_protocols =
        {
            ((SslProtocols)12288, "TLS 1.3"),
            ((SslProtocols)3072, "TLS 1.2"),
            ((SslProtocols)768, "TLS 1.1"),
            ((SslProtocols)192, "TLS 1.0"),
        };

        /// <summary>
        /// Probes <paramref name="hostName"/>:<paramref name="port"/>. <paramref name="trustedRoots"/> are the anchors
        /// (system store when empty). <paramref name="timeout"/> bounds the whole call: every connection, handshake
        /// and read together; a peer too slow for it (one byte every few seconds) is cut off when it passes.
        /// </summary>
        public static HttpsEndpointResult Probe(string hostName, int port, string? serverName, int? httpPort, TimeSpan timeout, IReadOnlyList<CertificateInfo> trustedRoots, ICoreLog log,
            string? expectedThumbprint = null, bool rootsGiven = false)
        {
            string name = serverName ?? hostName;
            var deadline = new Deadline(timeout);
            var problems = new List<string>();
            List<CertificateInfo> sent = ReadCertificates(hostName, port, name, deadline, log);
            var protocols = new List<string>();
            var notChecked = new List<string>();
            foreach ((SslProtocols protocol, string protocolName) in s_protocols)
            {
                switch (deadline.Expired ? Outcome.TimedOut : TryHandshake(hostName, port, name, protocol, deadline))
                {
                    case Outcome.Accepted:
                        protocols.Add(protocolName);
                        break;
                    case Outcome.TimedOut:
                        notChecked.Add(protocolName);
                        break;
                }
            }

            CertificateInfo leaf = sent[0];
            string? expected = expectedThumbprint?.Replace(":", string.Empty).Replace(" ", string.Empty).ToUpperInvariant();
            if (!string.IsNullOrEmpty(expected) && leaf.Thumbprint != expected)
            {
                problems.Add($"The server sends '{leaf.Subject}' ({leaf.Thumbprint}, valid until {leaf.NotAfter:yyyy-MM-dd}), not the expected certificate {expected}: the new certificate is not live (reload httpd: Set-ApacheSsl -Reload).");
            }

            bool namesMatch = HostNameMatcher.Covers(leaf, name);
            if (!namesMatch)
            {
                problems.Add($"The certificate does not cover '{name}'; it covers {string.Join(", ", leaf.DnsNames.Concat(leaf.IpAddresses).DefaultIfEmpty("no names"))}.");
            }

            bool inOrder = true;
            for (int i = 0; i + 1 < sent.Count; i++)
            {
                if (!CertificateFacts.IsSignedBy(sent[i], sent[i + 1]))
                {
                    inOrder = false;
                    problems.Add($"The server sends its certificates out of order: '{sent[i + 1].Subject}' does not follow its issued certificate '{sent[i].Subject}'.");
                    break;
                }
            }

            var pool = new CertificatePool();
            foreach (CertificateInfo certificate in sent.Skip(1).Concat(trustedRoots))
            {
                pool.Add(certificate);
            }

            var anchors = new HashSet<string>(trustedRoots.Select(r => r.Thumbprint), StringComparer.Ordinal);
            ChainPath path = ChainBuilder.Build(leaf, pool, anchors);
            var sentThumbprints = new HashSet<string>(sent.Select(c => c.Thumbprint), StringComparer.Ordinal);
            bool complete = path.IsComplete && path.Issuers.All(c => sentThumbprints.Contains(c.Thumbprint) || anchors.Contains(c.Thumbprint));
            if (!complete)
            {
                CertificateInfo last = path.Last(leaf);
                if (!path.IsComplete && !ReferenceEquals(last, leaf) && last.IsCertificateAuthority && sentThumbprints.Contains(last.Thumbprint))
                {
                    // The server sends its intermediates; what is missing is the root, which servers never send.
                    problems.Add(rootsGiven
                        ? $"The chain ends at '{last.Subject}', whose issuer '{last.Issuer}' is not among the -TrustedRootPath certificates: give the root that issued it."
                        : $"The chain ends at '{last.Subject}', whose issuer '{last.Issuer}' is not a root trusted here. The server sends its intermediates; when '{last.Issuer}' is your private root CA, give it with -TrustedRootPath.");
                    complete = true;
                }
                else
                {
                    problems.Add(path.IsComplete
                        ? "The server does not send every intermediate certificate; browsers without them cached will refuse the site (put the full chain in SSLCertificateFile)."
                        : $"The server does not send the issuer '{last.Issuer}' of '{last.Subject}': the chain is incomplete (put the full chain in SSLCertificateFile).");
                }
            }
            else if (!path.ReachesAnchor)
            {
                problems.Add($"The chain ends at '{path.Last(leaf).Subject}', which is not trusted here{(rootsGiven ? " (not among the -TrustedRootPath certificates)" : ": when it is your private root CA, give it with -TrustedRootPath")}.");
            }

            if (leaf.NotAfter < DateTime.Now)
            {
                problems.Add($"The certificate expired on {leaf.NotAfter:yyyy-MM-dd}.");
            }
            else if (leaf.DaysRemaining < 30)
            {
                problems.Add($"The certificate expires in {leaf.DaysRemaining} day(s): renew it.");
            }

            if (notChecked.Count > 0)
            {
                problems.Add($"{string.Join(", ", notChecked)} could not be checked within {timeout.TotalSeconds:0.#} s (-TimeoutSeconds): the server answers too slowly.");
            }
            else if (protocols.Count == 0)
            {
                problems.Add("No TLS version could be negotiated.");
            }

            bool? redirects = null;
            if (httpPort is not null)
            {
                redirects = CheckRedirect(hostName, httpPort.Value, name, deadline, out string detail);
                if (!redirects.Value)
                {
                    problems.Add($"Plain HTTP on port {httpPort} does not redirect to HTTPS: {detail}");
                }
            }

            return new HttpsEndpointResult(hostName, port, name, sent.ToArray(), complete, inOrder, namesMatch, protocols.ToArray(), redirects, problems.ToArray());
        }

        /// <summary>The certificates a server sends for <paramref name="serverName"/> (the leaf first), read within <paramref name="timeout"/>.</summary>
        internal static List<CertificateInfo> Served(string hostName, int port, string serverName, TimeSpan timeout, ICoreLog log) =>
            ReadCertificates(hostName, port, serverName, new Deadline(timeout), log);

        private static List<CertificateInfo> ReadCertificates(string hostName, int port, string serverName, Deadline deadline, ICoreLog log)
        {
            var sent = new List<CertificateInfo>();
            string endpoint = $"{hostName}:{port}";
            try
            {
                using TimedConnection connection = TimedConnection.Open(hostName, port, deadline);
                using var ssl = new SslStream(connection.Stream, false, (sender, certificate, chain, errors) =>
                {
                    lock (sent)
                    {
                        // The peer's own certificates: the leaf, then what it sent, as the TLS stack received them.
                        if (certificate is not null)
                        {
                            sent.Add(CertificateReader.Parse(certificate.GetRawCertData(), hostName)[0]);
                        }

                        if (chain is not null)
                        {
                            foreach (X509Certificate2 extra in chain.ChainPolicy.ExtraStore)
                            {
                                CertificateInfo parsed = CertificateReader.Parse(extra.RawData, hostName)[0];
                                if (!sent.Any(c => c.Thumbprint == parsed.Thumbprint))
                                {
                                    sent.Add(parsed);
                                }
                            }
                        }
                    }

                    return true;
                });
                connection.Within(ssl.AuthenticateAsClientAsync(serverName, null, SslProtocols.None, false));
            }
            catch (TimeoutException)
            {
                throw Errors.HttpsTimedOut(endpoint, serverName, deadline.Total);
            }
            catch (Exception ex) when (ex is IOException || ex is SocketException || ex is AuthenticationException || ex is ObjectDisposedException)
            {
                throw new CertCmdletsException("HttpsConnectionFailed", CertErrorKind.ReadError, endpoint,
                    $"No TLS connection to {endpoint} (server name '{serverName}'): {ex.Message} Check that the server listens there and speaks HTTPS.", ex);
            }

            lock (sent)
            {
                if (sent.Count == 0)
                {
                    throw new CertCmdletsException("HttpsNoCertificate", CertErrorKind.InvalidData, endpoint, $"{endpoint} sent no certificate.");
                }

                log.Verbose($"{endpoint} sent {sent.Count} certificate(s): {string.Join(" | ", sent.Select(c => c.Subject))}.");
                return new List<CertificateInfo>(sent);
            }
        }

        private static Outcome TryHandshake(string hostName, int port, string serverName, SslProtocols protocol, Deadline deadline)
        {
            try
            {
                using TimedConnection connection = TimedConnection.Open(hostName, port, deadline);
                using var ssl = new SslStream(connection.Stream, false, (sender, certificate, chain, errors) => true);
                connection.Within(ssl.AuthenticateAsClientAsync(serverName, null, protocol, false));
                return Outcome.Accepted;
            }
            catch (TimeoutException)
            {
                return Outcome.TimedOut;
            }
            catch (Exception ex) when (ex is IOException || ex is SocketException || ex is AuthenticationException || ex is NotSupportedException || ex is ArgumentException || ex is ObjectDisposedException || ex is System.ComponentModel.Win32Exception)
            {
                return Outcome.Refused;
            }
        }

        private static bool CheckRedirect(string hostName, int port, string serverName, Deadline deadline, out string detail)
        {
            const string probePath = "/certcmdlets-probe/page?query=1";
            if (deadline.Expired)
            {
                detail = $"it could not be checked within {deadline.Total.TotalSeconds:0.#} s (-TimeoutSeconds).";
                return false;
            }

            List<string> lines;
            try
            {
                using TimedConnection connection = TimedConnection.Open(hostName, port, deadline);
                byte[] request = Encoding.ASCII.GetBytes($"GET {probePath} HTTP/1.1\r\nHost: {serverName}\r\nConnection: close\r\nUser-Agent: CertCmdlets\r\n\r\n");
                connection.Within(connection.Stream.WriteAsync(request, 0, request.Length));
                lines = ResponseHead.Read(connection, out string? refusal);
                if (refusal is not null)
                {
                    detail = refusal;
                    return false;
                }
            }
            catch (TimeoutException)
            {
                detail = $"no complete answer on {hostName}:{port} within {deadline.Total.TotalSeconds:0.#} s (-TimeoutSeconds).";
                return false;
            }
            catch (Exception ex) when (ex is IOException || ex is SocketException || ex is ObjectDisposedException)
            {
                detail = $"no answer on {hostName}:{port} ({ex.Message}).";
                return false;
            }

            string status = lines.Count > 0 ? lines[0] : string.Empty;
            string? location = null;
            foreach (string line in lines.Skip(1))
            {
                if (line.StartsWith("Location:", StringComparison.OrdinalIgnoreCase))
                {
                    location = line.Substring("Location:".Length).Trim();
                }
            }

            string[] parts = status.Split(' ');
            bool isRedirect = parts.Length >= 2 && (parts[1] == "301" || parts[1] == "302" || parts[1] == "303" || parts[1] == "307" || parts[1] == "308");
            if (!isRedirect || location is null)
            {
                detail = $"it answered '{(status.Length > 200 ? status.Substring(0, 200) + "..." : status)}'.";
                return false;
            }

            if (!location.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
            {
                detail = $"it redirects to '{location}', not to https://.";
                return false;
            }

            if (!Uri.TryCreate(location, UriKind.Absolute, out Uri? target) || !string.Equals(target.Host, serverName, StringComparison.OrdinalIgnoreCase))
            {
                detail = $"it redirects to '{location}', another host than '{serverName}'.";
                return false;
            }

            if (!location.EndsWith(probePath, StringComparison.Ordinal))
            {
                detail = $"it redirects to '{location}', losing the path or query of '{probePath}'.";
                return false;
            }

            detail = $"{parts[1]} to {location}";
            return true;
        }

        private enum Outcome
        {
            Accepted,
            Refused,
            TimedOut,
        }

        /// <summary>The end of the whole probe: every connection gets what is left of it.</summary>
        private sealed class Deadline
        {
            private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();

            public Deadline(TimeSpan total)
            {
                Total = total;
            }

            public TimeSpan Total { get; }

            public TimeSpan Remaining => Total - _clock.Elapsed > TimeSpan.Zero ? Total - _clock.Elapsed : TimeSpan.Zero;

            public bool Expired => Remaining <= TimeSpan.Zero;
        }

        /// <summary>
        /// A TCP connection that cannot outlive the deadline: every operation is awaited for what is left of it at
        /// most, and a timer closes the socket when it passes, so a peer sending one byte every two seconds (or
        /// nothing) ends the operation with a TimeoutException instead of holding it for minutes.
        /// </summary>
        private sealed class TimedConnection : IDisposable
        {
            private readonly TcpClient _client;
            private readonly Deadline _deadline;
            private readonly Timer _timer;

            // Set by the timer before it closes the socket: the timer may fire a moment before the stopwatch says the
            // deadline passed, and the operation it ends fails with an I/O error that is really the timeout.
            private volatile bool _closedByDeadline;

            private TimedConnection(TcpClient client, Deadline deadline)
            {
                _client = client;
                _deadline = deadline;
                _timer = new Timer(_ =>
                {
                    _closedByDeadline = true;
                    _client.Dispose();
                }, null, deadline.Remaining, Timeout.InfiniteTimeSpan);
            }

            public NetworkStream Stream => _client.GetStream();

            public static TimedConnection Open(string hostName, int port, Deadline deadline)
            {
                if (deadline.Expired)
                {
                    throw new TimeoutException();
                }

                var connection = new TimedConnection(new TcpClient(), deadline);
                try
                {
                    connection.Within(connection._client.ConnectAsync(hostName, port));
                    return connection;
                }
                catch
                {
                    connection.Dispose();
                    throw;
                }
            }

            /// <summary>Waits for <paramref name="task"/> until the deadline; TimeoutException (and the socket closed) when it passes.</summary>
            public void Within(Task task)
            {
                bool finished;
                try
                {
                    finished = task.Wait(_deadline.Remaining);
                }
                catch (AggregateException ex) when (ex.InnerException is not null)
                {
                    if (_deadline.Expired || _closedByDeadline)
                    {
                        throw new TimeoutException();
                    }

                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
                    throw;
                }

                if (!finished)
                {
                    _client.Dispose();
                    task.ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
                    throw new TimeoutException();
                }
            }

            /// <summary>Reads what is available (at least one byte, 0 at the end) before the deadline.</summary>
            public int Read(byte[] buffer)
            {
                Task<int> read = Stream.ReadAsync(buffer, 0, buffer.Length);
                Within(read);
                return read.Result;
            }

            public void Dispose()
            {
                _timer.Dispose();
                _client.Dispose();
            }
        }

        /// <summary>
        /// The status line and headers of a plain HTTP answer, read with limits: a line at most 8 KiB, at most 100
        /// lines, at most 64 KiB in all. An endless header line or endless headers end the read with a refusal.
        /// </summary>
        private static class ResponseHead
        {
            public const int MaximumLine = 8192;
            public const int MaximumLines = 100;
            public const int MaximumTotal = 65536;

            public static List<string> Read(TimedConnection connection, out string? refusal)
            {
                var lines = new List<string>();
                var line = new StringBuilder();
                var buffer = new byte[4096];
                int total = 0;
                refusal = null;
                while (true)
                {
                    int read = connection.Read(buffer);
                    if (read == 0)
                    {
                        if (line.Length > 0)
                        {
                            lines.Add(line.ToString());
                        }

                        return lines;
                    }

                    total += read;
                    for (int i = 0; i < read; i++)
                    {
                        char c = (char)buffer[i];
                        if (c == '\n')
                        {
                            if (line.Length == 0)
                            {
                                return lines;
                            }

                            lines.Add(line.ToString());
                            line.Clear();
                            if (lines.Count > MaximumLines)
                            {
                                refusal = $"its answer has more than {MaximumLines} header lines, which no web server sends.";
                                return lines;
                            }
                        }
                        else if (c != '\r')
                        {
                            line.Append(c);
                            if (line.Length > MaximumLine)
                            {
                                refusal = $"its answer has a header line longer than {MaximumLine / 1024} KiB, which no web server sends.";
                                return lines;
                            }
                        }
                    }

                    if (total > MaximumTotal)
                    {
                        refusal = $"its answer's headers are larger than {MaximumTotal / 1024} KiB, which no web server sends.";
                        return lines;
                    }
                }
            }
        }
    }
}
