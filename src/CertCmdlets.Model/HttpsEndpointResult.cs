using System;

namespace CertCmdlets
{
    /// <summary>What Test-HttpsEndpoint found on a server: the certificates it sends and how clients will judge them.</summary>
    public sealed class HttpsEndpointResult
    {
        internal HttpsEndpointResult(string hostName, int port, string serverName, CertificateInfo[] certificates, bool chainComplete, bool chainInOrder, bool namesMatch, string[] protocols, bool? redirectsToHttps, string[] problems)
        {
            HostName = hostName;
            Port = port;
            ServerName = serverName;
            Certificates = certificates;
            ChainComplete = chainComplete;
            ChainInOrder = chainInOrder;
            NamesMatch = namesMatch;
            Protocols = protocols;
            RedirectsToHttps = redirectsToHttps;
            Problems = problems;
        }

        /// <summary>The host connected to.</summary>
        public string HostName { get; }

        /// <summary>The HTTPS port.</summary>
        public int Port { get; }

        /// <summary>The name sent as SNI and checked against the certificate.</summary>
        public string ServerName { get; }

        /// <summary>The certificates exactly as the server sent them, leaf first.</summary>
        public CertificateInfo[] Certificates { get; }

        /// <summary>The server's leaf certificate.</summary>
        public CertificateInfo? Certificate => Certificates.Length > 0 ? Certificates[0] : null;

        /// <summary>True when the certificates sent lead from the leaf to a trusted root (or a self-signed one) without help.</summary>
        public bool ChainComplete { get; }

        /// <summary>True when each certificate sent is followed by its issuer.</summary>
        public bool ChainInOrder { get; }

        /// <summary>True when the leaf covers <see cref="ServerName"/>.</summary>
        public bool NamesMatch { get; }

        /// <summary>Days until the leaf expires.</summary>
        public int DaysRemaining => Certificate?.DaysRemaining ?? 0;

        /// <summary>The TLS versions this client could negotiate with the server ("TLS 1.3", "TLS 1.2").</summary>
        public string[] Protocols { get; }

        /// <summary>With -HttpPort: whether plain HTTP answers with a redirect to https:// keeping the path and query.</summary>
        public bool? RedirectsToHttps { get; }

        /// <summary>Every problem found, in words.</summary>
        public string[] Problems { get; }

        /// <summary>True when no problem was found.</summary>
        public bool IsHealthy => Problems.Length == 0;

        /// <summary>A one-line summary.</summary>
        public override string ToString() => $"{HostName}:{Port} ({ServerName}): {(IsHealthy ? "healthy" : Problems.Length + " problem(s)")}";
    }
}
