using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace CertCmdlets.Core.Tests.Chains
{
    /// <summary>
    /// A minimal HTTP/1.1 server on 127.0.0.1 and a free port, started and stopped by the test: serves fixed bodies by
    /// path, answers 404 otherwise, and for the paths marked silent accepts the connection and never answers (the
    /// caIssuers URL that hangs). Records every path asked for.
    /// </summary>
    internal sealed class LoopbackHttpServer : IDisposable
    {
        private readonly TcpListener _listener;
        private readonly ConcurrentDictionary<string, (string ContentType, byte[] Body)> _routes = new ConcurrentDictionary<string, (string, byte[])>(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, bool> _silent = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, bool> _stallAfterHeaders = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        private readonly ConcurrentQueue<string> _requested = new ConcurrentQueue<string>();
        private readonly ConcurrentBag<TcpClient> _clients = new ConcurrentBag<TcpClient>();
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly Task _acceptLoop;

        public LoopbackHttpServer()
        {
            _listener = new TcpListener(IPAddress.Loopback, 0);
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _acceptLoop = Task.Run(AcceptLoop);
        }

        public int Port { get; }

        /// <summary>The paths requested so far, in order.</summary>
        public IReadOnlyList<string> Requested => _requested.ToArray();

        public string Url(string path) => $"http://127.0.0.1:{Port}{path}";

        public void Serve(string path, string contentType, byte[] body) => _routes[path] = (contentType, body);

        /// <summary>Requests for <paramref name="path"/> are read and then never answered.</summary>
        public void NeverAnswer(string path) => _silent[path] = true;

        /// <summary>Requests for <paramref name="path"/> get the status line and headers (a promised body) and then nothing.</summary>
        public void StallAfterHeaders(string path) => _stallAfterHeaders[path] = true;

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            foreach (TcpClient client in _clients)
            {
                client.Dispose();
            }

            try
            {
                _acceptLoop.Wait(TimeSpan.FromSeconds(5));
            }
            catch (AggregateException)
            {
            }

            _stop.Dispose();
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
                _ = Task.Run(() => Answer(client));
            }
        }

        private async Task Answer(TcpClient client)
        {
            try
            {
                NetworkStream stream = client.GetStream();
                string? path = await ReadRequestPath(stream).ConfigureAwait(false);
                if (path is null)
                {
                    return;
                }

                _requested.Enqueue(path);
                if (_silent.ContainsKey(path))
                {
                    // Hold the connection open, say nothing, until the test ends.
                    await Task.Delay(Timeout.Infinite, _stop.Token).ConfigureAwait(false);
                    return;
                }

                if (_stallAfterHeaders.ContainsKey(path))
                {
                    byte[] promise = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/pkix-cert\r\nContent-Length: 1200\r\n\r\n0");
                    await stream.WriteAsync(promise, _stop.Token).ConfigureAwait(false);
                    await stream.FlushAsync(_stop.Token).ConfigureAwait(false);
                    await Task.Delay(Timeout.Infinite, _stop.Token).ConfigureAwait(false);
                    return;
                }

                byte[] body;
                string status;
                string contentType;
                if (_routes.TryGetValue(path, out (string ContentType, byte[] Body) route))
                {
                    status = "200 OK";
                    contentType = route.ContentType;
                    body = route.Body;
                }
                else
                {
                    status = "404 Not Found";
                    contentType = "text/plain";
                    body = Encoding.ASCII.GetBytes("not here\n");
                }

                string head = $"HTTP/1.1 {status}\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
                byte[] headBytes = Encoding.ASCII.GetBytes(head);
                await stream.WriteAsync(headBytes, _stop.Token).ConfigureAwait(false);
                await stream.WriteAsync(body, _stop.Token).ConfigureAwait(false);
                await stream.FlushAsync(_stop.Token).ConfigureAwait(false);
                client.Client.Shutdown(SocketShutdown.Send);
            }
            catch (Exception ex) when (ex is IOException || ex is SocketException || ex is OperationCanceledException || ex is ObjectDisposedException)
            {
            }
        }

        /// <summary>Reads the request head up to the blank line and returns the path of the request line.</summary>
        private async Task<string?> ReadRequestPath(NetworkStream stream)
        {
            var head = new StringBuilder();
            var buffer = new byte[1024];
            while (head.Length < 65536)
            {
                int read = await stream.ReadAsync(buffer, _stop.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    return null;
                }

                head.Append(Encoding.ASCII.GetString(buffer, 0, read));
                string text = head.ToString();
                if (text.Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    string[] requestLine = text.Substring(0, text.IndexOf("\r\n", StringComparison.Ordinal)).Split(' ');
                    return requestLine.Length >= 2 ? requestLine[1] : null;
                }
            }

            return null;
        }
    }
}
