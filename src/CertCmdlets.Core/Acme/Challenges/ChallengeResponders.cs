using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;

namespace CertCmdlets.Core.Acme.Challenges
{
    /// <summary>The one responder an order's options ask for.</summary>
    internal static class ChallengeResponders
    {
        public static IChallengeResponder Create(AcmeChallengeOptions options, string[] identifiers, ICoreLog log, CancellationToken cancellation)
        {
            if (options.DnsAdd is not null && options.DnsRemove is not null)
            {
                List<IPEndPoint> resolvers = options.DnsResolvers.Select(DnsTxtQuery.ParseResolver).ToList();
                return new DnsScriptResponder(options.DnsAdd, options.DnsRemove, resolvers, options.DnsPropagationTimeout, options.DnsPropagationDelay, log, cancellation);
            }

            string? wildcard = identifiers.FirstOrDefault(i => i.StartsWith("*.", StringComparison.Ordinal));
            if (wildcard is not null)
            {
                throw Errors.AcmeWildcardNeedsDns(wildcard);
            }

            if (options.WebRoot is not null)
            {
                WebRootResponder.RequireWebRoot(options.WebRoot);
                string folder = WebRootResponder.ChallengeFolder(options.WebRoot);
                return new WebRootResponder(_ => folder, log);
            }

            if (options.ListenPort is int port)
            {
                IPAddress address = IPAddress.IPv6Any;
                if (options.ListenAddress is not null && options.ListenAddress != "*" && !IPAddress.TryParse(options.ListenAddress.Trim('[', ']'), out address!))
                {
                    throw Errors.IpAddressInvalid(options.ListenAddress);
                }

                if (!System.Net.Sockets.Socket.OSSupportsIPv6 && address.Equals(IPAddress.IPv6Any))
                {
                    address = IPAddress.Any;
                }

                return new StandaloneHttpResponder(address, port, log);
            }

            if (options.ApacheConfigPath is not null)
            {
                Dictionary<string, string> folders = ApacheChallengeFolders.Find(options.ApacheConfigPath, options.ApacheServerRoot, options.ApacheHttpPort, identifiers, log);
                return new WebRootResponder(identifier => folders[identifier], log);
            }

            throw new ArgumentException("No way to answer challenges was given.", nameof(options));
        }
    }
}
