using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading;

namespace CertCmdlets.Core.Acme.Challenges
{
    /// <summary>
    /// Just enough of a DNS client (RFC 1035) to ask one resolver for the TXT records of one name: a recursive query over
    /// UDP (TCP when the answer is truncated), a 2-second timeout per try, the answer's ID and question checked, names
    /// with compression pointers read with a bound on jumps. Used to see when a dns-01 record has propagated.
    /// </summary>
    internal static class DnsTxtQuery
    {
        private const ushort TxtType = 16;
        private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(2);

        /// <summary>Parses "192.0.2.53", "192.0.2.53:5353", "2001:db8::53" or "[2001:db8::53]:53".</summary>
        public static IPEndPoint ParseResolver(string text)
        {
            string trimmed = (text ?? string.Empty).Trim();
            int port = 53;
            string host = trimmed;
            if (trimmed.StartsWith("[", StringComparison.Ordinal))
            {
                int close = trimmed.IndexOf(']');
                if (close < 0)
                {
                    throw Errors.AcmeDnsResolverInvalid(text ?? string.Empty);
                }

                host = trimmed.Substring(1, close - 1);
                string rest = trimmed.Substring(close + 1);
                if (rest.Length > 0 && (!rest.StartsWith(":", StringComparison.Ordinal) || !int.TryParse(rest.Substring(1), NumberStyles.None, CultureInfo.InvariantCulture, out port)))
                {
                    throw Errors.AcmeDnsResolverInvalid(text ?? string.Empty);
                }
            }
            else if (trimmed.IndexOf(':') >= 0 && trimmed.IndexOf(':') == trimmed.LastIndexOf(':'))
            {
                int colon = trimmed.IndexOf(':');
                host = trimmed.Substring(0, colon);
                if (!int.TryParse(trimmed.Substring(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port))
                {
                    throw Errors.AcmeDnsResolverInvalid(text ?? string.Empty);
                }
            }

            if (!IPAddress.TryParse(host, out IPAddress? address) || port < 1 || port > 65535)
            {
                throw Errors.AcmeDnsResolverInvalid(text ?? string.Empty);
            }

            return new IPEndPoint(address, port);
        }

        /// <summary>The TXT strings of <paramref name="name"/> at <paramref name="resolver"/> (each record's strings joined); empty when none or no answer.</summary>
        public static List<string> Query(IPEndPoint resolver, string name, CancellationToken cancellation)
        {
            byte[] query = BuildQuery(name, out ushort id);
            byte[]? answer = AskUdp(resolver, query, cancellation);
            if (answer is not null && answer.Length > 2 && (answer[2] & 0x02) != 0)
            {
                answer = AskTcp(resolver, query, cancellation) ?? answer;
            }

            return answer is null ? new List<string>() : ParseAnswer(answer, id, name);
        }

        internal static byte[] BuildQuery(string name, out ushort id)
        {
            var random = new byte[2];
            using (var generator = RandomNumberGenerator.Create())
            {
                generator.GetBytes(random);
            }

            id = (ushort)((random[0] << 8) | random[1]);
            var message = new List<byte>
            {
                (byte)(id >> 8), (byte)id,
                0x01, 0x00, // standard query, recursion desired
                0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
            };
            foreach (string label in name.TrimEnd('.').Split('.'))
            {
                byte[] bytes = Encoding.ASCII.GetBytes(label);
                if (bytes.Length == 0 || bytes.Length > 63)
                {
                    throw Errors.DnsNameInvalid(name, "a label is empty or longer than 63 characters.");
                }

                message.Add((byte)bytes.Length);
                message.AddRange(bytes);
            }

            message.Add(0);
            message.AddRange(new byte[] { 0x00, (byte)TxtType, 0x00, 0x01 });
            return message.ToArray();
        }

        internal static List<string> ParseAnswer(byte[] message, ushort id, string name)
        {
            var values = new List<string>();
            if (message.Length < 12 || ((message[0] << 8) | message[1]) != id || (message[2] & 0x80) == 0)
            {
                return values;
            }

            int questions = (message[4] << 8) | message[5];
            int answers = (message[6] << 8) | message[7];
            int position = 12;
            try
            {
                for (int i = 0; i < questions; i++)
                {
                    string asked = ReadName(message, ref position);
                    position += 4;
                    if (!string.Equals(asked.TrimEnd('.'), name.TrimEnd('.'), StringComparison.OrdinalIgnoreCase))
                    {
                        return values;
                    }
                }

                for (int i = 0; i < answers; i++)
                {
                    ReadName(message, ref position);
                    int type = (message[position] << 8) | message[position + 1];
                    int length = (message[position + 8] << 8) | message[position + 9];
                    position += 10;
                    if (position + length > message.Length)
                    {
                        return values;
                    }

                    if (type == TxtType)
                    {
                        var text = new StringBuilder();
                        int end = position + length;
                        int cursor = position;
                        while (cursor < end)
                        {
                            int size = message[cursor++];
                            text.Append(Encoding.ASCII.GetString(message, cursor, Math.Min(size, end - cursor)));
                            cursor += size;
                        }

                        values.Add(text.ToString());
                    }

                    position += length;
                }
            }
            catch (IndexOutOfRangeException)
            {
                // A truncated or malformed answer: what was read so far is all there is.
            }

            return values;
        }

        private static string ReadName(byte[] message, ref int position)
        {
            var labels = new List<string>();
            int cursor = position;
            bool jumped = false;
            for (int jumps = 0; jumps < 32;)
            {
                int length = message[cursor];
                if (length == 0)
                {
                    cursor++;
                    if (!jumped)
                    {
                        position = cursor;
                    }

                    return string.Join(".", labels);
                }

                if ((length & 0xC0) == 0xC0)
                {
                    int target = ((length & 0x3F) << 8) | message[cursor + 1];
                    if (!jumped)
                    {
                        position = cursor + 2;
                    }

                    jumped = true;
                    jumps++;
                    cursor = target;
                    continue;
                }

                labels.Add(Encoding.ASCII.GetString(message, cursor + 1, length));
                cursor += length + 1;
            }

            throw new IndexOutOfRangeException("Too many compression pointers.");
        }

        private static byte[]? AskUdp(IPEndPoint resolver, byte[] query, CancellationToken cancellation)
        {
            using var socket = new Socket(resolver.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            socket.ReceiveTimeout = (int)s_timeout.TotalMilliseconds;
            try
            {
                socket.Connect(resolver);
                socket.Send(query);
                var buffer = new byte[4096];
                DateTime deadline = DateTime.UtcNow + s_timeout;
                while (DateTime.UtcNow < deadline)
                {
                    cancellation.ThrowIfCancellationRequested();
                    if (!socket.Poll(100_000, SelectMode.SelectRead))
                    {
                        continue;
                    }

                    int read = socket.Receive(buffer);
                    var answer = new byte[read];
                    Buffer.BlockCopy(buffer, 0, answer, 0, read);
                    return answer;
                }
            }
            catch (SocketException)
            {
                // Unreachable or refused: no answer this time.
            }

            return null;
        }

        private static byte[]? AskTcp(IPEndPoint resolver, byte[] query, CancellationToken cancellation)
        {
            using var client = new TcpClient(resolver.AddressFamily);
            try
            {
                if (!client.ConnectAsync(resolver.Address, resolver.Port).Wait((int)s_timeout.TotalMilliseconds, cancellation))
                {
                    return null;
                }

                client.ReceiveTimeout = (int)s_timeout.TotalMilliseconds;
                NetworkStream stream = client.GetStream();
                var framed = new byte[query.Length + 2];
                framed[0] = (byte)(query.Length >> 8);
                framed[1] = (byte)query.Length;
                Buffer.BlockCopy(query, 0, framed, 2, query.Length);
                stream.Write(framed, 0, framed.Length);
                byte[] lengthBytes = ReadExactly(stream, 2);
                return ReadExactly(stream, (lengthBytes[0] << 8) | lengthBytes[1]);
            }
            catch (Exception ex) when (ex is SocketException || ex is System.IO.IOException || ex is AggregateException)
            {
                return null;
            }
        }

        private static byte[] ReadExactly(NetworkStream stream, int count)
        {
            var buffer = new byte[count];
            int read = 0;
            while (read < count)
            {
                int n = stream.Read(buffer, read, count - read);
                if (n == 0)
                {
                    throw new System.IO.IOException("The DNS server closed the connection.");
                }

                read += n;
            }

            return buffer;
        }
    }
}
