using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace CertCmdlets.Core.Tests.Acme
{
    /// <summary>
    /// A plain web server for the -WebRoot tests, standing in for the site's httpd: serves the files under a folder on
    /// 127.0.0.1 and a given port (the one pebble validates on), 404 otherwise; remembers what was asked and what it
    /// found, so a test can prove the CA read the challenge file from the web root.
    /// </summary>
    public sealed class StaticFileServer : IDisposable
    {
        private readonly string _root;
        private readonly TcpListener _listener;
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly ConcurrentQueue<(string Path, int Status)> _requests = new ConcurrentQueue<(string, int)>();
        private readonly Task _loop;

        public StaticFileServer(string root, int port, IPAddress? address = null)
        {
            _root = root;
            _listener = new TcpListener(address ?? IPAddress.Loopback, port);
            _listener.Start();
            _loop = Task.Run(Accept);
        }

        public IReadOnlyCollection<(string Path, int Status)> Requests => _requests.ToArray();

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

            _stop.Dispose();
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
                    NetworkStream stream = client.GetStream();
                    var head = new StringBuilder();
                    var buffer = new byte[2048];
                    while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                    {
                        int read = await stream.ReadAsync(buffer, _stop.Token);
                        if (read == 0)
                        {
                            return;
                        }

                        head.Append(Encoding.ASCII.GetString(buffer, 0, read));
                    }

                    string[] requestLine = head.ToString().Split("\r\n")[0].Split(' ');
                    string path = requestLine.Length > 1 ? Uri.UnescapeDataString(requestLine[1]) : "/";
                    string file = Path.GetFullPath(Path.Combine(_root, path.TrimStart('/')));
                    byte[] body;
                    string status;
                    if (file.StartsWith(Path.GetFullPath(_root), StringComparison.Ordinal) && File.Exists(file))
                    {
                        body = await File.ReadAllBytesAsync(file);
                        status = "200 OK";
                        _requests.Enqueue((path, 200));
                    }
                    else
                    {
                        body = Encoding.ASCII.GetBytes("not found\n");
                        status = "404 Not Found";
                        _requests.Enqueue((path, 404));
                    }

                    byte[] response = Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
                    await stream.WriteAsync(response, _stop.Token);
                    await stream.WriteAsync(body, _stop.Token);
                }
                catch (Exception ex) when (ex is IOException || ex is SocketException || ex is OperationCanceledException || ex is ObjectDisposedException)
                {
                }
            }
        }
    }
}
