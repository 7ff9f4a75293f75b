using System;
using System.Collections.Generic;

namespace CertCmdlets.Core.Acme
{
    /// <summary>How the challenges of an order are answered: exactly one way per order.</summary>
    public sealed class AcmeChallengeOptions
    {
        /// <summary>HTTP-01 through files under this web root (&lt;WebRoot&gt;/.well-known/acme-challenge/).</summary>
        public string? WebRoot { get; set; }

        /// <summary>HTTP-01 through the module's own listener on this port.</summary>
        public int? ListenPort { get; set; }

        /// <summary>The address the listener binds (all addresses when null).</summary>
        public string? ListenAddress { get; set; }

        /// <summary>HTTP-01 through the Apache site for each name found in this httpd configuration.</summary>
        public string? ApacheConfigPath { get; set; }

        /// <summary>ServerRoot of a private httpd instance, when its configuration does not set it.</summary>
        public string? ApacheServerRoot { get; set; }

        /// <summary>The port of the site's plain-HTTP VirtualHost (80).</summary>
        public int ApacheHttpPort { get; set; } = 80;

        /// <summary>DNS-01: publishes the TXT record (record name, value).</summary>
        public Action<string, string>? DnsAdd { get; set; }

        /// <summary>DNS-01: removes the TXT record (record name, value).</summary>
        public Action<string, string>? DnsRemove { get; set; }

        /// <summary>Resolvers asked until the TXT records appear ("192.0.2.53", "192.0.2.53:5353").</summary>
        public IList<string> DnsResolvers { get; } = new List<string>();

        /// <summary>How long to wait for the resolvers to show the records.</summary>
        public TimeSpan DnsPropagationTimeout { get; set; } = TimeSpan.FromMinutes(2);

        /// <summary>The fixed wait after publishing when no resolver is given (60 s by default).</summary>
        public TimeSpan DnsPropagationDelay { get; set; } = TimeSpan.FromSeconds(60);
    }

    /// <summary>What an order asks for besides the request itself.</summary>
    public sealed class AcmeOrderOptions
    {
        /// <summary>How the challenges are answered.</summary>
        public AcmeChallengeOptions Challenge { get; } = new AcmeChallengeOptions();

        /// <summary>The chain to prefer among those the CA offers: the Common Name of a certificate in it or of the issuer of its top (e.g. "ISRG Root X1").</summary>
        public string? PreferredChain { get; set; }

        /// <summary>The certificate this order renews (named in the order when the CA offers renewal information, RFC 9773).</summary>
        public CertificateInfo? Replaces { get; set; }

        /// <summary>Open an account with these options when none is saved for the CA (the user gave -AcceptTermsOfService).</summary>
        public AcmeNewAccountOptions? NewAccount { get; set; }
    }
}
