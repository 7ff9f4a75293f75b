using System;

namespace CertCmdlets.Core.Acme.Challenges
{
    /// <summary>
    /// Publishes the answers to one kind of challenge and takes them back. The order is: <see cref="Prepare"/> for each
    /// authorization, <see cref="WaitUntilVisible"/> once, the CA validates, then <see cref="CleanUp"/> (always, also after
    /// a failure or Ctrl+C), which removes everything the responder made.
    /// </summary>
    internal interface IChallengeResponder : IDisposable
    {
        /// <summary>"http-01" or "dns-01".</summary>
        string ChallengeType { get; }

        /// <summary>Checks, before the CA is contacted, that the responder can work for these names.</summary>
        void Check(string[] identifiers);

        /// <summary>Publishes the answer for <paramref name="identifier"/> (without "*."): the key authorization of <paramref name="token"/>.</summary>
        void Prepare(string identifier, string token, string keyAuthorization);

        /// <summary>Returns once every published answer can be seen from outside (DNS propagation), or throws on timeout.</summary>
        void WaitUntilVisible();

        /// <summary>Removes every answer published; never throws (what could not be removed is a warning).</summary>
        void CleanUp();
    }

    /// <summary>The checks every responder shares.</summary>
    internal static class ChallengeTokens
    {
        /// <summary>
        /// A token is base64url (RFC 8555 section 8.1). It becomes a file name and a URL path, so anything else (a '/',
        /// "..") from a hostile or broken CA is refused before it touches the disk.
        /// </summary>
        public static string Require(string? token, string challengeUrl)
        {
            if (string.IsNullOrEmpty(token) || token!.Length > 256)
            {
                throw Errors.AcmeResponseInvalid(challengeUrl, "the challenge has no token.");
            }

            foreach (char c in token)
            {
                if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
                {
                    throw Errors.AcmeResponseInvalid(challengeUrl, "the challenge token is not base64url text; it was not used.");
                }
            }

            return token;
        }
    }
}
