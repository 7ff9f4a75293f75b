using System;
using System.Threading;
using CertCmdlets.Core.Acme.Json;

namespace CertCmdlets.Core.Acme
{
    /// <summary>
    /// The ACME protocol with one CA (RFC 8555): the directory, anti-replay nonces, signed POSTs, and the CA's refusals
    /// turned into specific errors. badNonce is answered by sending again with the fresh nonce the refusal carried
    /// (bounded); a short Retry-After on 503/429 is waited out (bounded), a long one ends with the CA's time. Every
    /// exchange has a timeout; cancellation ends waits at once. One instance per command run: no state survives it.
    /// </summary>
    internal sealed class AcmeClient : IDisposable
    {
        private const int MaximumBusyRetries = 3;
        private static readonly TimeSpan s_maximumPollInterval = TimeSpan.FromSeconds(5);

        private readonly AcmeTransport _transport;
        private AcmeDirectoryDocument? _directory;
        private string? _nonce;

        public AcmeClient(AcmeConnectionOptions options, ICoreLog log, CancellationToken cancellation)
        {
            Options = options;
            Log = log;
            Cancellation = cancellation;
            DirectoryUrl = AcmeDirectories.Resolve(options.Directory);
            _transport = new AcmeTransport(options);
        }

        public AcmeConnectionOptions Options { get; }

        public ICoreLog Log { get; }

        public CancellationToken Cancellation { get; }

        public Uri DirectoryUrl { get; }

        /// <summary>The directory, fetched on first use.</summary>
        public AcmeDirectoryDocument Directory
        {
            get
            {
                if (_directory is null)
                {
                    AcmeHttpResponse response = Get(DirectoryUrl, AcmeActivity.Other, "Reading the CA's directory", DirectoryUrl.ToString());
                    _directory = AcmeDirectoryDocument.Parse(DirectoryUrl, response.Json());
                    Log.Verbose($"ACME directory {DirectoryUrl}: terms of service {_directory.TermsOfService ?? "(none)"}, external account binding {(_directory.ExternalAccountRequired ? "required" : "not required")}, renewal information {(_directory.RenewalInfo is null ? "not offered" : "offered")}.");
                }

                return _directory;
            }
        }

        /// <summary>How many requests were sent again after a badNonce refusal (for -Verbose and the tests).</summary>
        public int BadNonceRetries { get; private set; }

        /// <summary>
        /// A signed POST. <paramref name="keyId"/> null signs with the key's JWK (new account, certificate-key revocation),
        /// <paramref name="payload"/> null is POST-as-GET. Refusals become the error for <paramref name="activity"/>.
        /// </summary>
        /// <param name="url">The resource.</param>
        /// <param name="key">The signing key.</param>
        /// <param name="keyId">The account URL, or null to sign with the key's JWK.</param>
        /// <param name="payload">The JSON payload, or null for POST-as-GET.</param>
        /// <param name="activity">What is being done, for the error's next step.</param>
        /// <param name="context">What is being done, in the words that lead the error message.</param>
        /// <param name="target">The error's target.</param>
        /// <param name="accept">The media type asked for.</param>
        /// <param name="challengeType">For validation errors, the challenge type.</param>
        /// <param name="refine">A more specific error for some refusals (null keeps the general one).</param>
        public AcmeHttpResponse Post(Uri url, AcmeAccountKey key, string? keyId, JsonValue? payload, AcmeActivity activity, string context, object target, string accept = "application/json", string? challengeType = null, Func<AcmeProblem, CertCmdletsException?>? refine = null)
        {
            int busyRetries = 0;
            int nonceRetries = 0;
            while (true)
            {
                Cancellation.ThrowIfCancellationRequested();
                JsonValue body = Jws.Sign(key, url.ToString(), TakeNonce(), keyId, payload);
                AcmeHttpResponse response = _transport.Post(url, body, accept, Cancellation);
                if (response.ReplayNonce is not null)
                {
                    _nonce = response.ReplayNonce;
                }

                if (!response.IsProblem)
                {
                    return response;
                }

                AcmeProblem problem = response.Problem();
                if (problem.Type == "badNonce" && nonceRetries < Options.MaximumBadNonceRetries)
                {
                    nonceRetries++;
                    BadNonceRetries++;
                    Log.Verbose($"The CA refused the nonce of a request to {url} (badNonce); sending it again with a fresh one ({nonceRetries}/{Options.MaximumBadNonceRetries}).");
                    continue;
                }

                if (ShouldWaitAndRetry(response, problem, ref busyRetries))
                {
                    continue;
                }

                throw refine?.Invoke(problem) ?? problem.ToException(activity, context, target, response.RetryAt, challengeType);
            }
        }

        /// <summary>A POST-as-GET (RFC 8555 section 6.3) with the account's key id.</summary>
        public AcmeHttpResponse PostAsGet(Uri url, AcmeAccountKey key, string keyId, AcmeActivity activity, string context, object target, string accept = "application/json") =>
            Post(url, key, keyId, null, activity, context, target, accept);

        /// <summary>An unauthenticated GET (directory, renewal information), with the same refusal handling.</summary>
        public AcmeHttpResponse Get(Uri url, AcmeActivity activity, string context, object target)
        {
            int busyRetries = 0;
            while (true)
            {
                Cancellation.ThrowIfCancellationRequested();
                AcmeHttpResponse response = _transport.Get(url, Cancellation);
                if (!response.IsProblem)
                {
                    return response;
                }

                AcmeProblem problem = response.Problem();
                if (ShouldWaitAndRetry(response, problem, ref busyRetries))
                {
                    continue;
                }

                throw problem.ToException(activity, context, target, response.RetryAt);
            }
        }

        /// <summary>Waits <paramref name="delay"/> unless cancelled (Ctrl+C ends the wait at once).</summary>
        public void Sleep(TimeSpan delay)
        {
            if (delay > TimeSpan.Zero && Cancellation.WaitHandle.WaitOne(delay))
            {
                Cancellation.ThrowIfCancellationRequested();
            }
        }

        /// <summary>
        /// The pause before the next poll: the CA's Retry-After when it gave one (at most 60 s), otherwise a doubling interval
        /// from <see cref="AcmeConnectionOptions.FirstPollInterval"/> up to 5 s; never past the deadline.
        /// </summary>
        public TimeSpan PollDelay(AcmeHttpResponse response, int attempt, DateTime deadline)
        {
            TimeSpan delay;
            if (response.RetryAt is DateTimeOffset at)
            {
                delay = at - DateTimeOffset.UtcNow;
                delay = delay < Options.FirstPollInterval ? Options.FirstPollInterval : delay > Options.MaximumRetryAfter ? Options.MaximumRetryAfter : delay;
            }
            else
            {
                double milliseconds = Options.FirstPollInterval.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 10));
                delay = TimeSpan.FromMilliseconds(Math.Min(milliseconds, s_maximumPollInterval.TotalMilliseconds));
            }

            TimeSpan left = deadline - DateTime.UtcNow;
            return delay > left ? (left > TimeSpan.Zero ? left : TimeSpan.Zero) : delay;
        }

        public void Dispose() => _transport.Dispose();

        private bool ShouldWaitAndRetry(AcmeHttpResponse response, AcmeProblem problem, ref int busyRetries)
        {
            bool busy = response.Status == 503 || response.Status == 429 || problem.Type == "rateLimited";
            if (!busy || response.RetryAt is not DateTimeOffset at || busyRetries >= MaximumBusyRetries)
            {
                return false;
            }

            TimeSpan wait = at - DateTimeOffset.UtcNow;
            if (wait > Options.MaximumRetryAfter)
            {
                return false;
            }

            busyRetries++;
            Log.Verbose($"The CA asked to retry {response.Url} after {Math.Max(0, wait.TotalSeconds):0.#} s (HTTP {response.Status}, {problem.Type}); waiting ({busyRetries}/{MaximumBusyRetries}).");
            Sleep(wait);
            return true;
        }

        private string TakeNonce()
        {
            if (_nonce is not null)
            {
                string nonce = _nonce;
                _nonce = null;
                return nonce;
            }

            AcmeHttpResponse response = _transport.Head(Directory.NewNonce, Cancellation);
            if (response.ReplayNonce is null)
            {
                // A few servers answer HEAD badly; GET is the other form RFC 8555 section 7.2 allows.
                response = _transport.Get(Directory.NewNonce, Cancellation, "*/*");
            }

            return response.ReplayNonce ?? throw Errors.AcmeResponseInvalid(Directory.NewNonce.ToString(), $"HTTP {response.Status} without a Replay-Nonce header.");
        }
    }
}
