using System.Linq;
using CertCmdlets.Core.Export;
using CertCmdlets.Core.Naming;
using CertCmdlets.Core.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Core.Tests
{
    /// <summary>Country codes and output file names: spot checks (the country table was verified against iso-codes when written).</summary>
    public sealed class NamingTests
    {
        [Fact]
        public void CountryCodes_ExactlyThe249AssignedCodes()
        {
            string[] all = Enumerable.Range('A', 26).SelectMany(a => Enumerable.Range('A', 26).Select(b => $"{(char)a}{(char)b}")).ToArray();

            string[] assigned = all.Where(CountryCodes.IsAssigned).ToArray();

            Assert.Equal(249, assigned.Length);
            Assert.Contains("GB", assigned);
            Assert.Contains("AX", assigned);
            Assert.DoesNotContain("UK", assigned);
            Assert.DoesNotContain("EU", assigned);
            Assert.DoesNotContain("XK", assigned);

            // Every assigned code has a name, and that name leads back to the code.
            Assert.All(assigned, code => Assert.Equal(code, CountryCodes.Suggest(CountryCodes.NameOf(code)!)));
        }

        [Theory]
        [InlineData("us", "US")]
        [InlineData("De", "DE")]
        [InlineData("UK", null)]
        [InlineData("USA", null)]
        [InlineData(" us", null)]
        public void CountryCodes_Normalize(string input, string? expected)
        {
            Assert.Equal(expected, CountryCodes.Normalize(input));
        }

        [Theory]
        [InlineData("UK", "GB")]
        [InlineData("England", "GB")]
        [InlineData("USA", "US")]
        [InlineData(" u.s. ", "US")]
        [InlineData("Germany", "DE")]
        [InlineData("Deutschland", "DE")]
        [InlineData("DEU", "DE")]
        [InlineData("Holland", "NL")]
        [InlineData("Côte d'Ivoire", "CI")]
        [InlineData("cote divoire", "CI")]
        [InlineData("EU", null)]
        [InlineData("XK", null)]
        [InlineData("Atlantis", null)]
        [InlineData("", null)]
        public void CountryCodes_Suggest(string input, string? expected)
        {
            Assert.Equal(expected, CountryCodes.Suggest(input));
        }

        [Fact]
        public void CountryCodes_NameOf()
        {
            Assert.Equal("Germany", CountryCodes.NameOf("de"));
            Assert.Null(CountryCodes.NameOf("UK"));
        }

        [Theory]
        [InlineData(null, "www.example.com", "www.example.com")]
        [InlineData(null, "*.example.com", "wildcard.example.com")]
        [InlineData(null, "My Server: 1", "My_Server__1")]
        [InlineData(null, "***", "certificate")]
        [InlineData(" site ", "www.example.com", "site")]
        public void OutputNames_FromCommonName(string? name, string commonName, string expected)
        {
            Assert.Equal(expected, OutputNames.FromCommonName(name, commonName));
        }

        [Theory]
        [InlineData("../etc")]
        [InlineData("a/b")]
        [InlineData("a\\b")]
        [InlineData("..")]
        [InlineData("c:x")]
        [InlineData("  ")]
        public void OutputNames_UnsafeName_IsOutputNameInvalid(string name)
        {
            CoreAssert.Throws("OutputNameInvalid", () => OutputNames.FromCommonName(name, "www.example.com"));
        }
    }
}
