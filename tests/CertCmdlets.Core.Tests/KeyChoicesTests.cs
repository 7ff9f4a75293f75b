using System.Linq;
using CertCmdlets.Core.Keys;
using CertCmdlets.Core.Naming;
using Xunit;

namespace CertCmdlets.Core.Tests
{
    /// <summary>
    /// What tab completion offers is what the checks accept: every KeyChoices value passes KeySpec, the RSA sizes are
    /// exactly the accepted ones, and the country list is the ISO table (the source of the -Country completer).
    /// </summary>
    public sealed class KeyChoicesTests
    {
        [Fact]
        public void EveryOfferedChoiceIsAccepted()
        {
            foreach (KeyChoice size in KeyChoices.RsaKeySizes)
            {
                Assert.Equal(int.Parse(size.Value, System.Globalization.CultureInfo.InvariantCulture), KeySpec.Parse("RSA", int.Parse(size.Value, System.Globalization.CultureInfo.InvariantCulture), null, null).KeySize);
            }

            foreach (KeyChoice curve in KeyChoices.Curves)
            {
                Assert.Equal(KeyAlgorithmKind.Ecdsa, KeySpec.Parse("ECDSA", null, curve.Value, null).Algorithm);
            }

            foreach (KeyChoice hash in KeyChoices.HashAlgorithms)
            {
                KeySpec.ParseHash(hash.Value);
            }

            Assert.Equal(new[] { KeyAlgorithmKind.Rsa, KeyAlgorithmKind.Ecdsa }, KeyChoices.KeyAlgorithms.Select(a => KeySpec.Parse(a.Value, null, null, null).Algorithm));
        }

        [Theory]
        [InlineData(1024)]
        [InlineData(2047)]
        [InlineData(2560)]
        [InlineData(8192)]
        public void SizesNotOfferedAreRefused(int size)
        {
            Assert.Throws<CertCmdletsException>(() => KeySpec.Parse("RSA", size, null, null));
        }

        [Fact]
        public void TheCountryListIsEveryAssignedCodeWithItsName()
        {
            Assert.Equal(249, CountryList.All.Count);
            Assert.Contains(CountryList.All, c => c.Key == "GB" && c.Value == "United Kingdom");
            Assert.DoesNotContain(CountryList.All, c => c.Key == "UK");
            Assert.All(CountryList.All, c => Assert.True(CountryCodes.IsAssigned(c.Key)));
            Assert.Equal(CountryList.All.Select(c => c.Key).OrderBy(k => k, System.StringComparer.Ordinal), CountryList.All.Select(c => c.Key));
            Assert.Equal("GB", CountryList.Suggest("UK"));
        }
    }
}
