using CertCmdlets.Core.Naming;
using Xunit;

namespace CertCmdlets.Core.Tests.Chains
{
    /// <summary>Test-CertChain -DnsName: RFC 6125 host-name matching, one SAN pattern against one name.</summary>
    public sealed class HostNameMatcherTests
    {
        [Theory]
        [InlineData("*.example.com", "a.example.com", true)]
        [InlineData("*.example.com", "A.Example.COM", true)]
        [InlineData("*.EXAMPLE.com", "a.example.com", true)]
        [InlineData("*.example.com", "example.com", false)]
        [InlineData("*.example.com", "a.b.example.com", false)]
        [InlineData("*.example.com", ".example.com", false)]
        [InlineData("*.example.com", "aexample.com", false)]
        [InlineData("*.example.com", "a.example.com.evil.org", false)]
        [InlineData("*.com", "example.com", false)]
        [InlineData("*", "example", false)]
        [InlineData("a*.example.com", "ab.example.com", false)]
        [InlineData("*.*.example.com", "a.b.example.com", false)]
        [InlineData("www.*.com", "www.example.com", false)]
        [InlineData("www.example.com", "www.example.com", true)]
        [InlineData("www.example.com.", "www.example.com", true)]
        [InlineData("www.example.com", "example.com", false)]
        [InlineData("example.com", "www.example.com", false)]
        public void Matches_FollowsRfc6125(string pattern, string hostName, bool expected)
        {
            Assert.Equal(expected, HostNameMatcher.Matches(pattern, hostName));
        }
    }
}
