using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace CertCmdlets.Core.Acme.Challenges
{
    /// <summary>
    /// HTTP-01 for a machine without a web server: a minimal HTTP/1.1 responder of the module's own on the address and
    /// port given, alive only while the CA validates. It answers GET and HEAD of /.well-known/acme-challenge/&lt;token&gt;
    /// for the tokens of this order and 404 to everything else; each connection has a 10-second deadline, a request
    /// head is at most 8 KiB, and at most 64 connections are served at once. It never logs from its own threads (the
    /// pipeline's streams belong to the pipeline thread): what it answered is told at clean-up.
    /// </summary>
    internal sealed class StandaloneHttpResponder : IChallengeResponder
    {
        private const string PathPrefix = "/.well-known/acme-challenge/";
        private const int MaximumHeadLength = 8192;
        private const int MaximumConnections = 64;
        private static readonly TimeSpan s_connectionDeadline = TimeSpan.FromSeconds(10);

        private readonly IPAddress _address;
        private readonly int _port;
        private readonly ICoreLog _log;
        private readonly ConcurrentDictionary<string, byte[]> _answers = new ConcurrentDictionary<string, byte[]>(StringComparer.Ordinal);
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly SemaphoreSlim _slots = new SemaphoreSlim(MaximumConnections);
        private TcpListener? _listener;
        private Task? _acceptLoop;
        private int _answered;
        private int _refused;

        public StandaloneHttpResponder(IPAddress address, int port, ICoreLog log)
        {
            _address = address;
            _port = port;
            _log = log;
        }

        public string ChallengeType => "http-01";

        /// <summary>The endpoint as users write it ("0.0.0.0:80", "[::]:80").</summary>
        public string Endpoint => (_address.AddressFamily == AddressFamily.InterNetworkV6 ? "[" + _address + "]" : _address.ToString()) + ":" + _port;

        /// <summary>Binds the port now, before the CA is contacted, so a busy port fails early with nothing sent.</summary>
        public void Check(string[] identifiers)
        {
            if (_listener is not null)
            {
                return;
            }

            var listener = new TcpListener(_address, _port);
            try
            {
                if (_address.Equals(IPAddress.IPv6Any))
                {
                    listener.Server.DualMode = true;
                }

                listener.Start(MaximumConnections);
            }
            catch (SocketException ex)
            {
                listener.Stop();
                throw Errors.AcmeListenerFailed(Endpoint, ex.Message, ex);
            }

            _listener = listener;
            _acceptLoop = Task.Run(AcceptLoop);
            _log.Verbose($"The challenge listener is listening on {Endpoint}.");
        }

        public void Prepare(string identifier, string token, string keyAuthorization)
        {
            _answers[token] = Encoding.ASCII.GetBytes(keyAuthorization);
            _log.Verbose($"The challenge listener will answer http://{identifier}:{_port}{PathPrefix}{token}.");
        }

        public void WaitUntilVisible()
        {
        }

        public void CleanUp()
        {
            if (_listener is null)
            {
                return;
            }

            _stop.Cancel();
            _listener.Stop();
            try
            {
                _acceptLoop?.Wait(TimeSpan.FromSeconds(5));
            }
            catch (AggregateException)
            {
                // The loop ends with the listener; nothing to report.
            }

            _listener = null;
            _answers.Clear();
            _log.Verbose($"The challenge listener on {Endpoint} stopped after answering {_answered} request(s) (and refusing {_refused}).");
        }

        public void Dispose()
        {
            CleanUp();
            _stop.Dispose();
            _slots.Dispose();
        }

        private async Task AcceptLoop()
        {
            TcpListener listener = _listener!;
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await listener.AcceptTcpClientAsync().ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is SocketException || ex is ObjectDisposedException || ex is InvalidOperationException)
                {
                    return;
                }

                if (!await _slots.WaitAsync(0).ConfigureAwait(false))
                {
                    Interlocked.Increment(ref _refused);
                    client.Dispose();
                    continue;
                }

                _ = Task.Run(() => Serve(client));
            }
        }

        private async Task Serve(TcpClient client)
        {
            try
            {
                using (client)
                using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
                {
                    deadline.CancelAfter(s_connectionDeadline);
                    using CancellationTokenRegistration closeOnDeadline = deadline.Token.Register(() => client.Dispose());
                    NetworkStream stream = client.GetStream();
                    string? requestLine = await ReadHead(stream, deadline.Token).ConfigureAwait(false);
                    byte[] response = Answer(requestLine);
                    await stream.WriteAsync(response, 0, response.Length, deadline.Token).ConfigureAwait(false);
                    await stream.FlushAsync(deadline.Token).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is IOException || ex is SocketException || ex is ObjectDisposedException || ex is OperationCanceledException || ex is InvalidOperationException)
            {
                // A client that went away or was too slow: nothing to answer.
            }
            finally
            {
                _slots.Release();
            }
        }

        private byte[] Answer(string? requestLine)
        {
            string[] parts = (requestLine ?? string.Empty).Split(' ');
            bool head = parts.Length == 3 && parts[0] == "HEAD";
            if (parts.Length == 3 && (parts[0] == "GET" || head) && parts[1].StartsWith(PathPrefix, StringComparison.Ordinal)
                && _answers.TryGetValue(parts[1].Substring(PathPrefix.Length), out byte[]? body))
            {
                Interlocked.Increment(ref _answered);
                return Response("200 OK", "application/octet-stream", body, head);
            }

            Interlocked.Increment(ref _refused);
            return Response("404 Not Found", "text/plain", Encoding.ASCII.GetBytes("Not found\n"), head);
        }

        private static byte[] Response(string status, string contentType, byte[] body, bool headOnly)
        {
            byte[] head = Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
            if (headOnly)
            {
                return head;
            }

            var all = new byte[head.Length + body.Length];
            Buffer.BlockCopy(head, 0, all, 0, head.Length);
            Buffer.BlockCopy(body, 0, all, head.Length, body.Length);
            return all;
        }

        /// <summary>Reads the request head up to the empty line and returns its first line, or null when it is not HTTP.</summary>
        private static async Task<string?> ReadHead(NetworkStream stream, CancellationToken token)
        {
            var head = new List<byte>(512);
            var buffer = new byte[1024];
            while (head.Count < MaximumHeadLength)
            {
                int read = await stream.ReadAsync(buffer, 0, buffer.Length, token).ConfigureAwait(false);
                if (read == 0)
                {
                    return null;
                }

                for (int i = 0; i < read; i++)
                {
                    head.Add(buffer[i]);
                }

                string sofar = Encoding.ASCII.GetString(head.ToArray());
                if (sofar.IndexOf("\r\n\r\n", StringComparison.Ordinal) >= 0)
                {
                    break;
                }
            }

            string text = Encoding.ASCII.GetString(head.ToArray());
            int end = text.IndexOf("\r\n", StringComparison.Ordinal);
            return end < 0 ? null : text.Substring(0, end);
        }
    }
}
