using System;
using System.Collections.Generic;
using System.Linq;
using CertCmdlets.Core.Acme;
using CertCmdlets.Core.Requests;
using CertCmdlets.Core.Tests.Infrastructure;

namespace CertCmdlets.Core.Tests.Acme
{
    /// <summary>
    /// One pebble for a test class (started lazily, so a class whose tests are skipped starts nothing), refusing a
    /// quarter of the good nonces (PEBBLE_WFE_NONCEREJECT=25) so that every test also exercises the badNonce retry,
    /// with two alternate roots so the chain choice can be tested.
    /// </summary>
    public sealed class PebbleFixture : IDisposable
    {
        private readonly Lazy<PebbleServer> _server = new Lazy<PebbleServer>(() => new PebbleServer(new PebbleOptions { NonceRejectPercent = 25, AlternateRoots = 2 }));

        public PebbleServer Server => _server.Value;

        public void Dispose()
        {
            if (_server.IsValueCreated)
            {
                _server.Value.Dispose();
            }
        }
    }

    /// <summary>Helpers the ACME tests share.</summary>
    internal static class AcmeTestKit
    {
        /// <summary>A request for the names (the first is the CN), ECDSA P-256 as the fastest key to make.</summary>
        public static CertificateRequestInfo Request(params string[] names)
        {
            var options = new CertificateRequestOptions { CommonName = names[0], KeyAlgorithm = "ECDSA" };
            foreach (string name in names.Skip(1))
            {
                options.DnsNames.Add(name);
            }

            return CertificateRequestBuilder.CreateRequest(options, NullCoreLog.Instance);
        }

        /// <summary>A unique name under a test-only domain (pebble issues for any name challtestsrv resolves).</summary>
        public static string Name(string label) => $"{label}-{Guid.NewGuid().ToString("N").Substring(0, 8)}.acme-test.example";

        public static AcmeNewAccountOptions AcceptTerms(params string[] contacts)
        {
            var options = new AcmeNewAccountOptions { AcceptTermsOfService = true };
            foreach (string contact in contacts)
            {
                options.Contact.Add(contact);
            }

            return options;
        }

        public static AcmeOrderOptions WebRoot(string webRoot, AcmeNewAccountOptions? newAccount = null)
        {
            var options = new AcmeOrderOptions { NewAccount = newAccount };
            options.Challenge.WebRoot = webRoot;
            return options;
        }

        public static IReadOnlyList<string> Files(TempDirectory directory) => directory.Entries().Where(e => !e.EndsWith("/", StringComparison.Ordinal)).ToList();
    }
}
