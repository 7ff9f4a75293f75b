using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CertCmdlets.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Tests
{
    /// <summary>
    /// Tab completion as a user meets it: TabExpansion2 on a command line, in the hosted engine with the module
    /// imported (tests/Pester/Completion.Tests.ps1 does the same in pwsh). -Country completes ISO codes with the
    /// country's name as the tooltip, -KeySize its three sizes, and every parameter with a closed set of values
    /// completes those values, never file names, on every exported cmdlet (so a cmdlet added later is checked too).
    /// </summary>
    public sealed class CompletionTests : IClassFixture<CompletionTests.SessionFixture>
    {
        /// <summary>Parameters whose values form a closed set, wherever they appear, with values they must offer.</summary>
        private static readonly Dictionary<string, string[]> s_closedSets = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase)
        {
            ["Country"] = new[] { "GB", "US", "DE" },
            ["KeySize"] = new[] { "2048", "3072", "4096" },
            ["KeyAlgorithm"] = new[] { "RSA", "ECDSA" },
            ["Curve"] = new[] { "P256", "P384", "P521" },
            ["HashAlgorithm"] = new[] { "SHA256", "SHA384", "SHA512" },
            ["TlsProfile"] = new[] { "Modern", "Intermediate", "Old" },
        };

        private readonly SessionFixture _fixture;

        public CompletionTests(SessionFixture fixture)
        {
            _fixture = fixture;
        }

        [Fact]
        public void CountryCompletesIsoCodesWithTheCountryNameAsTooltip()
        {
            List<(string Text, string ToolTip)> matches = _fixture.Complete("New-CertRequest www.example.com -Country G");
            Assert.Contains(("GB", "United Kingdom"), matches);
            Assert.Contains(("GR", "Greece"), matches);
            Assert.All(matches.Take(10), m => Assert.StartsWith("G", m.Text, StringComparison.Ordinal));
            Assert.Equal(249, _fixture.Complete("New-CertRequest www.example.com -Country ").Count);
        }

        [Theory]
        [InlineData("germ", "DE", "Germany")]
        [InlineData("kingdom", "GB", "United Kingdom")]
        [InlineData("'fr", "FR", "France")]
        public void CountryAlsoFindsTheCodeByName(string typed, string code, string name)
        {
            Assert.Contains((code, name), _fixture.Complete("New-CertRequest www.example.com -Country " + typed));
        }

        [Fact]
        public void UkOffersGbFirst()
        {
            List<(string Text, string ToolTip)> matches = _fixture.Complete("New-CertAuthority 'Example Root CA' -Country UK");
            Assert.Equal(("GB", "United Kingdom"), matches[0]);
        }

        [Fact]
        public void KeySizeCompletesItsAllowedValues()
        {
            List<(string Text, string ToolTip)> matches = _fixture.Complete("New-CertRequest www.example.com -KeySize ");
            Assert.Equal(new[] { "2048", "3072", "4096" }, matches.Select(m => m.Text));
            Assert.All(matches, m => Assert.Contains("RSA", m.ToolTip, StringComparison.Ordinal));
            Assert.Equal(new[] { "3072" }, _fixture.Complete("New-CertRequest www.example.com -KeySize 3").Select(m => m.Text));
        }

        [Theory]
        [InlineData("New-CertRequest x -KeyAlgorithm E", "ECDSA")]
        [InlineData("New-CertRequest x -KeyAlgorithm ECDSA -Curve P3", "P384")]
        [InlineData("New-CertRequest x -HashAlgorithm SHA5", "SHA512")]
        [InlineData("Approve-CertRequest ./x.csr -HashAlgorithm SHA3", "SHA384")]
        [InlineData("Set-ApacheSsl www.example.com -TlsProfile Mod", "Modern")]
        public void ClosedSetsCompleteWhatWasTyped(string line, string expected)
        {
            Assert.Equal(new[] { expected }, _fixture.Complete(line).Select(m => m.Text));
        }

        [Fact]
        public void EveryClosedSetOfEveryExportedCmdletCompletesItsValues()
        {
            PowerShellResult parameters = _fixture.Session.Run(
                "foreach ($c in Get-Command -Module CertCmdlets -CommandType Cmdlet) { foreach ($p in $c.Parameters.Values) {\n" +
                "  $set = $p.Attributes.Where({ $_ -is [System.Management.Automation.ValidateSetAttribute] -or $_ -is [System.Management.Automation.ArgumentCompleterAttribute] }).Count -gt 0\n" +
                "  if ($set -or $args[0] -contains $p.Name) { '{0}|{1}' -f $c.Name, $p.Name } } }",
                new object[] { s_closedSets.Keys.ToArray() });
            parameters.AssertSuccess();
            List<string> failures = new List<string>();
            int checkedParameters = 0;
            foreach (string[] pair in parameters.Output.Select(o => ((string)o.BaseObject).Split('|')))
            {
                checkedParameters++;
                List<string> offered = _fixture.Complete($"{pair[0]} -{pair[1]} ").Select(m => m.Text).ToList();
                string[] expected = s_closedSets.TryGetValue(pair[1], out string[]? values) ? values : Array.Empty<string>();
                if (offered.Count == 0 || offered.Any(o => o.Contains('/') || o.Contains('\\') || o.StartsWith("./", StringComparison.Ordinal)) || expected.Any(v => !offered.Contains(v)))
                {
                    failures.Add($"{pair[0]} -{pair[1]} <Tab> offers [{string.Join(", ", offered.Take(8))}], expected [{string.Join(", ", expected)}].");
                }
            }

            Assert.True(checkedParameters >= 10, $"Only {checkedParameters} closed-set parameters were found.");
            Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        }

        /// <summary>One session with the module imported; completes command lines with TabExpansion2.</summary>
        public sealed class SessionFixture : IDisposable
        {
            public PowerShellSession Session { get; } = new PowerShellSession();

            public List<(string Text, string ToolTip)> Complete(string line)
            {
                PowerShellResult result = Session.Run(
                    "(TabExpansion2 -inputScript $args[0] -cursorColumn $args[0].Length).CompletionMatches.ForEach({ $_.CompletionText + [char]0 + $_.ToolTip })",
                    line);
                result.AssertSuccess();
                return result.Output
                    .Select(o => ((string)o.BaseObject).Split('\0'))
                    .Select(parts => (parts[0], parts[1]))
                    .ToList();
            }

            public void Dispose() => Session.Dispose();
        }
    }
}
