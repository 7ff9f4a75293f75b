using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
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

        /// <summary>Probes <paramref name="hostName"/>:<paramref name="port"/>. <paramref name="trustedRoots"/> are the anchors (system store when empty).</summary>
        public static HttpsEndpointResult Probe(string hostName, int port, string? serverName, int? httpPort, TimeSpan timeout, IReadOnlyList<CertificateInfo> trustedRoots, ICoreLog log)
        {
            string name = serverName ?? hostName;
            var problems = new List<string>();
            List<CertificateInfo> sent = ReadCertificates(hostName, port, name, timeout, log);
            var protocols = new List<string>();
            foreach ((SslProtocols protocol, string protocolName) in s_protocols)
            {
                if (TryHandshake(hostName, port, name, protocol, timeout))
                {
                    protocols.Add(protocolName);
                }
            }

            CertificateInfo leaf = sent[0];
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
                problems.Add(path.IsComplete
                    ? "The server does not send every intermediate certificate; browsers without them cached will refuse the site (put the full chain in SSLCertificateFile)."
                    : $"The server does not send the issuer '{last.Issuer}' of '{last.Subject}': the chain is incomplete (put the full chain in SSLCertificateFile).");
            }
            else if (!path.ReachesAnchor)
            {
                problems.Add($"The chain ends at '{path.Last(leaf).Subject}', which is not trusted here.");
            }

            if (leaf.NotAfter < DateTime.Now)
            {
                problems.Add($"The certificate expired on {leaf.NotAfter:yyyy-MM-dd}.");
            }
            else if (leaf.DaysRemaining < 30)
            {
                problems.Add($"The certificate expires in {leaf.DaysRemaining} day(s): renew it.");
            }

            if (protocols.Count == 0)
            {
                problems.Add("No TLS version could be negotiated.");
            }

            bool? redirects = null;
            if (httpPort is not null)
            {
                redirects = CheckRedirect(hostName, httpPort.Value, name, timeout, out string detail);
                if (!redirects.Value)
                {
                    problems.Add($"Plain HTTP on port {httpPort} does not redirect to HTTPS: {detail}");
                }
            }

            return new HttpsEndpointResult(hostName, port, name, sent.ToArray(), complete, inOrder, namesMatch, protocols.ToArray(), redirects, problems.ToArray());
        }

        private static List<CertificateInfo> ReadCertificates(string hostName, int port, string serverName, TimeSpan timeout, ICoreLog log)
        {
            var sent = new List<CertificateInfo>();
            try
            {
                using TcpClient client = Connect(hostName, port, timeout);
                using var ssl = new SslStream(client.GetStream(), false, (sender, certificate, chain, errors) =>
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

                    return true;
                });
                ssl.AuthenticateAsClient(serverName, null, SslProtocols.None, false);
            }
            catch (Exception ex) when (ex is IOException || ex is SocketException || ex is AuthenticationException || ex is TimeoutException)
            {
                throw new CertCmdletsException("HttpsConnectionFailed", CertErrorKind.ReadError, $"{hostName}:{port}",
                    $"No TLS connection to {hostName}:{port} (server name '{serverName}'): {ex.Message} Check that the server listens there and speaks HTTPS.", ex);
            }

            if (sent.Count == 0)
            {
                throw new CertCmdletsException("HttpsNoCertificate", CertErrorKind.InvalidData, $"{hostName}:{port}", $"{hostName}:{port} sent no certificate.");
            }

            log.Verbose($"{hostName}:{port} sent {sent.Count} certificate(s): {string.Join(" | ", sent.Select(c => c.Subject))}.");
            return sent;
        }

        private static bool TryHandshake(string hostName, int port, string serverName, SslProtocols protocol, TimeSpan timeout)
        {
            try
            {
                using TcpClient client = Connect(hostName, port, timeout);
                using var ssl = new SslStream(client.GetStream(), false, (sender, certificate, chain, errors) => true);
                ssl.AuthenticateAsClient(serverName, null, protocol, false);
                return true;
            }
            catch (Exception ex) when (ex is IOException || ex is SocketException || ex is AuthenticationException || ex is TimeoutException || ex is NotSupportedException || ex is ArgumentException || ex is System.ComponentModel.Win32Exception)
            {
                return false;
            }
        }

        private static bool CheckRedirect(string hostName, int port, string serverName, TimeSpan timeout, out string detail)
        {
            const string probePath = "/certcmdlets-probe/page?query=1";
            try
            {
                using TcpClient client = Connect(hostName, port, timeout);
                NetworkStream stream = client.GetStream();
                byte[] request = Encoding.ASCII.GetBytes($"GET {probePath} HTTP/1.1\r\nHost: {serverName}\r\nConnection: close\r\nUser-Agent: CertCmdlets\r\n\r\n");
                stream.Write(request, 0, request.Length);
                using var reader = new StreamReader(stream, Encoding.ASCII);
                string? status = reader.ReadLine();
                string? location = null;
                string? line;
                while (!string.IsNullOrEmpty(line = reader.ReadLine()))
                {
                    if (line!.StartsWith("Location:", StringComparison.OrdinalIgnoreCase))
                    {
                        location = line.Substring("Location:".Length).Trim();
                    }
                }

                string[] parts = (status ?? string.Empty).Split(' ');
                bool isRedirect = parts.Length >= 2 && (parts[1] == "301" || parts[1] == "302" || parts[1] == "303" || parts[1] == "307" || parts[1] == "308");
                if (!isRedirect || location is null)
                {
                    detail = $"it answered '{status}'.";
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
            catch (Exception ex) when (ex is IOException || ex is SocketException || ex is TimeoutException)
            {
                detail = $"no answer on {hostName}:{port} ({ex.Message}).";
                return false;
            }
        }

        private static TcpClient Connect(string hostName, int port, TimeSpan timeout)
        {
            var client = new TcpClient();
            try
            {
                if (!client.ConnectAsync(hostName, port).Wait(timeout))
                {
                    throw new TimeoutException($"no connection within {timeout.TotalSeconds:0.#} s.");
                }
            }
            catch (AggregateException ex) when (ex.InnerException is SocketException socket)
            {
                client.Dispose();
                throw socket;
            }
            catch (TimeoutException)
            {
                client.Dispose();
                throw;
            }

            client.ReceiveTimeout = (int)timeout.TotalMilliseconds;
            client.SendTimeout = (int)timeout.TotalMilliseconds;
            return client;
        }
    }
}
