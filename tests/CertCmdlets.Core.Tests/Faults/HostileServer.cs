using System;
using System.Collections.Concurrent;
using System.IO;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace CertCmdlets.Core.Tests.Faults
{
    /// <summary>
    /// A TCP server on 127.0.0.1 and a free port that answers each connection as a hostile or broken peer would:
    /// the test gives the behaviour (endless header line, endless headers, redirects, bytes dribbled slowly...).
    /// Every connection is closed when the server is disposed.
    /// </summary>
    internal sealed class HostileServer : IDisposable
    {
        private readonly TcpListener _listener;
        private readonly Func<NetworkStream, string?, CancellationToken, Task> _behaviour;
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly ConcurrentBag<TcpClient> _clients = new ConcurrentBag<TcpClient>();
        private readonly ConcurrentQueue<string> _requested = new ConcurrentQueue<string>();
        private readonly bool _readRequest;

        /// <summary><paramref name="behaviour"/> gets the stream and the requested path (null when the request is not read first).</summary>
        public HostileServer(Func<NetworkStream, string?, CancellationToken, Task> behaviour, bool readRequest = true)
        {
            _behaviour = behaviour;
            _readRequest = readRequest;
            _listener = new TcpListener(IPAddress.Loopback, 0);
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _ = Task.Run(AcceptLoop);
        }

        public int Port { get; }

        public int Connections => _clients.Count;

        public string[] Requested => _requested.ToArray();

        public string Url(string path) => $"http://127.0.0.1:{Port}{path}";

        /// <summary>"HTTP/1.1 200 OK" and then one header line that never ends.</summary>
        public static Task EndlessHeaderLine(NetworkStream stream, string? path, CancellationToken stop) =>
            Endless(stream, "HTTP/1.1 302 Found\r\nX-Endless: ", new string('a', 16384), stop);

        /// <summary>"HTTP/1.1 200 OK" and then header after header, never the blank line.</summary>
        public static Task EndlessHeaders(NetworkStream stream, string? path, CancellationToken stop) =>
            Endless(stream, "HTTP/1.1 302 Found\r\n", "X-Again: and again\r\n", stop);

        /// <summary>A redirect to <paramref name="location"/>.</summary>
        public static Func<NetworkStream, string?, CancellationToken, Task> RedirectTo(string location) => async (stream, path, stop) =>
        {
            byte[] head = Encoding.ASCII.GetBytes($"HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            await stream.WriteAsync(head, stop).ConfigureAwait(false);
        };

        /// <summary>The start of an answer, then one byte every <paramref name="interval"/>, for ever.</summary>
        public static Func<NetworkStream, string?, CancellationToken, Task> Dribble(TimeSpan interval) => async (stream, path, stop) =>
        {
            byte[] text = Encoding.ASCII.GetBytes("HTTP/1.1 301 Moved Permanently\r\nLocation: https://slow.example/\r\n");
            for (int i = 0; !stop.IsCancellationRequested; i++)
            {
                await stream.WriteAsync(text.AsMemory(i % text.Length, 1), stop).ConfigureAwait(false);
                await Task.Delay(interval, stop).ConfigureAwait(false);
            }
        };

        /// <summary>Reads the request and never answers.</summary>
        public static Task Silent(NetworkStream stream, string? path, CancellationToken stop) => Task.Delay(Timeout.Infinite, stop);

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            foreach (TcpClient client in _clients)
            {
                client.Dispose();
            }

            _stop.Dispose();
        }

        private static async Task Endless(NetworkStream stream, string start, string repeated, CancellationToken stop)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(start), stop).ConfigureAwait(false);
            byte[] chunk = Encoding.ASCII.GetBytes(repeated);
            while (!stop.IsCancellationRequested)
            {
                await stream.WriteAsync(chunk, stop).ConfigureAwait(false);
            }
        }

        private async Task AcceptLoop()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is OperationCanceledException || ex is SocketException || ex is ObjectDisposedException)
                {
                    return;
                }

                _clients.Add(client);
                _ = Task.Run(async () =>
                {
                    try
                    {
                        NetworkStream stream = client.GetStream();
                        string? path = _readRequest ? await ReadRequestPath(stream, _stop.Token).ConfigureAwait(false) : null;
                        if (path is not null)
                        {
                            _requested.Enqueue(path);
                        }

                        await _behaviour(stream, path, _stop.Token).ConfigureAwait(false);
                        client.Client.Shutdown(SocketShutdown.Both);
                    }
                    catch (Exception ex) when (ex is IOException || ex is SocketException || ex is OperationCanceledException || ex is ObjectDisposedException)
                    {
                        // The client gave up (as it should) or the test ended.
                    }
                    finally
                    {
                        client.Dispose();
                    }
                });
            }
        }

        private static async Task<string?> ReadRequestPath(NetworkStream stream, CancellationToken stop)
        {
            var head = new StringBuilder();
            var buffer = new byte[1024];
            while (head.Length < 65536)
            {
                int read = await stream.ReadAsync(buffer, stop).ConfigureAwait(false);
                if (read == 0)
                {
                    return null;
                }

                head.Append(Encoding.ASCII.GetString(buffer, 0, read));
                string text = head.ToString();
                int end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (end >= 0)
                {
                    string[] requestLine = text.Substring(0, text.IndexOf("\r\n", StringComparison.Ordinal)).Split(' ');
                    return requestLine.Length >= 2 ? requestLine[1] : string.Empty;
                }
            }

            return null;
        }
    }

    /// <summary>
    /// A real TLS server on 127.0.0.1 (a fresh self-signed ECDSA certificate for "localhost"), optionally behind a
    /// relay that passes the server's bytes on one at a time with a pause: a peer that completes its handshake only
    /// after minutes. <see cref="FastConnections"/> connections are relayed at full speed first.
    /// </summary>
    internal sealed class TlsServer : IDisposable
    {
        private readonly TcpListener _server;
        private readonly TcpListener? _relay;
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly ConcurrentBag<IDisposable> _open = new ConcurrentBag<IDisposable>();
        private readonly X509Certificate2 _certificate;
        private readonly TimeSpan? _byteInterval;
        private int _relayed;

        public TlsServer(TimeSpan? byteInterval = null, int fastConnections = 0)
        {
            _byteInterval = byteInterval;
            FastConnections = fastConnections;
            using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName("localhost");
            request.CertificateExtensions.Add(names.Build());
            using X509Certificate2 created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(90));
            _certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
            _server = new TcpListener(IPAddress.Loopback, 0);
            _server.Start();
            _ = Task.Run(ServeLoop);
            if (byteInterval is not null)
            {
                _relay = new TcpListener(IPAddress.Loopback, 0);
                _relay.Start();
                _ = Task.Run(RelayLoop);
            }
        }

        public int FastConnections { get; }

        /// <summary>The port clients connect to (the relay's when there is one).</summary>
        public int Port => ((IPEndPoint)(_relay ?? _server).LocalEndpoint).Port;

        public void Dispose()
        {
            _stop.Cancel();
            _server.Stop();
            _relay?.Stop();
            foreach (IDisposable open in _open)
            {
                open.Dispose();
            }

            _certificate.Dispose();
            _stop.Dispose();
        }

        private async Task ServeLoop()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _server.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is OperationCanceledException || ex is SocketException || ex is ObjectDisposedException)
                {
                    return;
                }

                _open.Add(client);
                _ = Task.Run(async () =>
                {
                    try
                    {
                        using var ssl = new SslStream(client.GetStream(), false);
                        await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, _stop.Token).ConfigureAwait(false);
                        await ssl.ReadAsync(new byte[1], _stop.Token).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is IOException || ex is SocketException || ex is OperationCanceledException || ex is ObjectDisposedException || ex is System.Security.Authentication.AuthenticationException)
                    {
                    }
                    finally
                    {
                        client.Dispose();
                    }
                });
            }
        }

        private async Task RelayLoop()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _relay!.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is OperationCanceledException || ex is SocketException || ex is ObjectDisposedException)
                {
                    return;
                }

                bool slow = Interlocked.Increment(ref _relayed) > FastConnections;
                var upstream = new TcpClient();
                _open.Add(client);
                _open.Add(upstream);
                _ = Task.Run(async () =>
                {
                    try
                    {
                        await upstream.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)_server.LocalEndpoint).Port, _stop.Token).ConfigureAwait(false);
                        Task up = client.GetStream().CopyToAsync(upstream.GetStream(), _stop.Token);
                        Task down = slow ? Dribble(upstream.GetStream(), client.GetStream()) : upstream.GetStream().CopyToAsync(client.GetStream(), _stop.Token);
                        await Task.WhenAny(up, down).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is IOException || ex is SocketException || ex is OperationCanceledException || ex is ObjectDisposedException)
                    {
                    }
                    finally
                    {
                        client.Dispose();
                        upstream.Dispose();
                    }
                });
            }
        }

        private async Task Dribble(NetworkStream from, NetworkStream to)
        {
            var one = new byte[1];
            while (await from.ReadAsync(one, _stop.Token).ConfigureAwait(false) == 1)
            {
                await to.WriteAsync(one, _stop.Token).ConfigureAwait(false);
                await Task.Delay(_byteInterval!.Value, _stop.Token).ConfigureAwait(false);
            }
        }
    }
}
