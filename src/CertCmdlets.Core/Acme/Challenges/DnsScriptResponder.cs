using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Threading;

namespace CertCmdlets.Core.Acme.Challenges
{
    /// <summary>
    /// DNS-01 through the user's own code: <c>add(recordName, value)</c> publishes _acme-challenge.&lt;name&gt; TXT &lt;value&gt;
    /// (a cmdlet passes a script block's invocation), <c>remove(recordName, value)</c> takes it back at clean-up, for every
    /// record added, also after a failure. Propagation: with resolvers given, each is asked until every value is there
    /// (bounded by a timeout); without, a fixed documented wait.
    /// </summary>
    internal sealed class DnsScriptResponder : IChallengeResponder
    {
        private readonly Action<string, string> _add;
        private readonly Action<string, string> _remove;
        private readonly IReadOnlyList<IPEndPoint> _resolvers;
        private readonly TimeSpan _propagationTimeout;
        private readonly TimeSpan _fixedWait;
        private readonly ICoreLog _log;
        private readonly CancellationToken _cancellation;
        private readonly List<KeyValuePair<string, string>> _added = new List<KeyValuePair<string, string>>();

        public DnsScriptResponder(Action<string, string> add, Action<string, string> remove, IReadOnlyList<IPEndPoint> resolvers, TimeSpan propagationTimeout, TimeSpan fixedWait, ICoreLog log, CancellationToken cancellation)
        {
            _add = add;
            _remove = remove;
            _resolvers = resolvers;
            _propagationTimeout = propagationTimeout;
            _fixedWait = fixedWait;
            _log = log;
            _cancellation = cancellation;
        }

        public string ChallengeType => "dns-01";

        /// <summary>The TXT value of a key authorization: base64url(SHA-256(key authorization)) (RFC 8555 section 8.4).</summary>
        public static string TxtValue(string keyAuthorization) => Base64Url.Encode(AcmeAccountKey.Sha256(Encoding.ASCII.GetBytes(keyAuthorization)));

        public static string RecordName(string identifier) => "_acme-challenge." + identifier.TrimEnd('.');

        public void Check(string[] identifiers)
        {
        }

        public void Prepare(string identifier, string token, string keyAuthorization)
        {
            string name = RecordName(identifier);
            string value = TxtValue(keyAuthorization);
            Invoke(_add, name, value, "add");
            _added.Add(new KeyValuePair<string, string>(name, value));
            _log.Verbose($"The DNS script added the TXT record {name} = \"{value}\".");
        }

        public void WaitUntilVisible()
        {
            if (_added.Count == 0)
            {
                return;
            }

            if (_resolvers.Count == 0)
            {
                _log.Verbose($"Waiting {_fixedWait.TotalSeconds:0} s for the TXT record(s) to propagate (no -DnsResolver to ask).");
                if (_fixedWait > TimeSpan.Zero && _cancellation.WaitHandle.WaitOne(_fixedWait))
                {
                    _cancellation.ThrowIfCancellationRequested();
                }

                return;
            }

            DateTime deadline = DateTime.UtcNow + _propagationTimeout;
            foreach (IPEndPoint resolver in _resolvers)
            {
                foreach (IGrouping<string, string> record in _added.GroupBy(a => a.Key, a => a.Value))
                {
                    while (true)
                    {
                        _cancellation.ThrowIfCancellationRequested();
                        List<string> seen = DnsTxtQuery.Query(resolver, record.Key, _cancellation);
                        if (record.All(seen.Contains))
                        {
                            _log.Verbose($"{resolver} answers {record.Key} with the challenge value(s).");
                            break;
                        }

                        if (DateTime.UtcNow >= deadline)
                        {
                            throw Errors.AcmeDnsPropagationTimedOut(record.Key, resolver.ToString(), _propagationTimeout);
                        }

                        if (_cancellation.WaitHandle.WaitOne(TimeSpan.FromSeconds(1)))
                        {
                            _cancellation.ThrowIfCancellationRequested();
                        }
                    }
                }
            }
        }

        public void CleanUp()
        {
            foreach (KeyValuePair<string, string> record in _added)
            {
                if (_cancellation.IsCancellationRequested)
                {
                    // The pipeline is stopping: the user's script cannot run any more.
                    break;
                }

                try
                {
                    Invoke(_remove, record.Key, record.Value, "remove");
                    _log.Verbose($"The DNS script removed the TXT record {record.Key} = \"{record.Value}\".");
                }
                catch (CertCmdletsException ex)
                {
                    _log.Warning(ex.Message);
                }
            }

            _added.Clear();
        }

        public void Dispose() => CleanUp();

        private void Invoke(Action<string, string> action, string name, string value, string verb)
        {
            try
            {
                action(name, value);
            }
            catch (Exception ex) when (!(ex is OperationCanceledException) && !_cancellation.IsCancellationRequested)
            {
                // The user's code may throw anything; it is reported as the script's failure, with its message.
                throw Errors.AcmeDnsScriptFailed(name, verb, ex.Message, ex);
            }
        }
    }
}
