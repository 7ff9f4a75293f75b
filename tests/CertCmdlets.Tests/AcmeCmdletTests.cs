using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net;
using System.Net.Sockets;
using CertCmdlets.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Tests
{
    /// <summary>
    /// The ACME cmdlets' own behaviour that needs no CA: Tab completion of -Directory, errors before anything is sent
    /// (a bad directory, no account, half an External Account Binding, a bad contact), and Ctrl+C (StopProcessing)
    /// ending a request to a CA that never answers.
    /// </summary>
    public sealed class AcmeCmdletTests : IDisposable
    {
        private readonly TempDirectory _state = new TempDirectory();
        private readonly PowerShellSession _session = new PowerShellSession();

        public void Dispose()
        {
            _session.Dispose();
            _state.Dispose();
        }

        [Theory]
        [InlineData("Request-AcmeCertificate -Directory LetsE", "LetsEncrypt,LetsEncryptStaging")]
        [InlineData("New-AcmeAccount -Directory Google", "GoogleTrustServices,GoogleTrustServicesStaging")]
        [InlineData("Get-AcmeAccount z", "ZeroSSL")]
        public void Directory_CompletesWithTheKnownCas(string line, string expected)
        {
            PowerShellResult result = _session.Run("(TabExpansion2 -inputScript $args[0] -cursorColumn $args[0].Length).CompletionMatches | ForEach-Object { $_.CompletionText + '|' + $_.ToolTip }", line);

            result.AssertSuccess();
            string[] matches = result.Output.Select(o => o.ToString()).ToArray();
            Assert.Equal(expected.Split(','), matches.Select(m => m.Split('|')[0]));
            Assert.All(matches, m => Assert.StartsWith("https://", m.Split('|')[1], StringComparison.Ordinal));
        }

        [Fact]
        public void AnHttpDirectory_IsRefused_AndEndsTheCommand()
        {
            // try/catch catches a terminating error only (a non-terminating one would let 'went on' through).
            PowerShellResult result = _session.Run(
                "try { New-AcmeAccount http://acme.example.test/directory -AcceptTermsOfService -StateDirectory $args[0]; 'went on' } catch { $_.FullyQualifiedErrorId }",
                _state.Path);

            result.AssertSuccess();
            Assert.Equal("AcmeDirectoryInvalid,CertCmdlets.Commands.NewAcmeAccountCommand", Assert.Single(result.Output).ToString());
            Assert.Empty(Entries());
        }

        [Fact]
        public void WithoutASavedAccount_AnOrderSaysHowToOpenOne_BeforeContactingTheCa()
        {
            string www = Directory.CreateDirectory(Path.Combine(_state.Path, "www")).FullName;
            PowerShellResult result = _session.Run(
                "try { Request-AcmeCertificate www.example.test -Directory $args[0] -WebRoot $args[1] -StateDirectory $args[2]; 'went on' } catch { $_ }",
                $"https://127.0.0.1:{FreePort()}/dir", www, Path.Combine(_state.Path, "accounts"));

            result.AssertSuccess();
            var record = (ErrorRecord)Assert.Single(result.Output).BaseObject;
            Assert.Equal("AcmeAccountNotFound,CertCmdlets.Commands.RequestAcmeCertificateCommand", record.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, record.CategoryInfo.Category);
            Assert.Contains("New-AcmeAccount", record.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
            Assert.Contains("-AcceptTermsOfService", record.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
            Assert.Equal(new[] { "www/" }, Entries());
        }

        [Theory]
        [InlineData("New-AcmeAccount $args[0] -AcceptTermsOfService -ExternalAccountKeyId kid-1 -StateDirectory $args[1]", "AcmeExternalAccountIncomplete")]
        [InlineData("New-AcmeAccount $args[0] -AcceptTermsOfService -Contact 'not an address' -StateDirectory $args[1]", "AcmeContactInvalid")]
        public void BadAccountInput_IsRefusedWithNothingSent(string script, string errorId)
        {
            PowerShellResult result = _session.Run(script, $"https://127.0.0.1:{FreePort()}/dir", _state.Path);

            Assert.StartsWith(errorId + ",", Assert.Single(result.ErrorIds), StringComparison.Ordinal);
            Assert.Empty(Entries());
        }

        [Fact]
        public void GetAcmeAccount_WithNoAccounts_EmitsNothing()
        {
            PowerShellResult result = _session.Run("Get-AcmeAccount -StateDirectory $args[0]", Path.Combine(_state.Path, "none"));

            result.AssertSuccess();
            Assert.Empty(result.Output);
        }

        [Fact]
        public void StopProcessing_EndsARequestToACaThatNeverAnswers()
        {
            using var silent = new TcpListener(IPAddress.Loopback, 0);
            silent.Start();
            using Runspace runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
            runspace.Open();
            using PowerShell shell = PowerShell.Create();
            shell.Runspace = runspace;
            shell.AddScript("Import-Module $args[0]; New-AcmeAccount $args[1] -AcceptTermsOfService -StateDirectory $args[2]")
                .AddArgument(Repository.Manifest).AddArgument($"https://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/dir").AddArgument(_state.Path);

            IAsyncResult running = shell.BeginInvoke();
            using TcpClient accepted = silent.AcceptTcpClient();
            var clock = Stopwatch.StartNew();
            shell.Stop();

            Assert.True(running.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(20)), "the command did not stop");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"stopping took {clock.Elapsed} (the request timeout is 30 s)");
            Assert.Equal(PSInvocationState.Stopped, shell.InvocationStateInfo.State);
            Assert.Empty(Entries());
        }

        /// <summary>Every entry under the state folder, relative, sorted; folders end with '/'.</summary>
        private string[] Entries() => Directory.EnumerateFileSystemEntries(_state.Path, "*", SearchOption.AllDirectories)
            .Select(e => Path.GetRelativePath(_state.Path, e) + (Directory.Exists(e) ? "/" : string.Empty))
            .OrderBy(e => e, StringComparer.Ordinal)
            .ToArray();

        private static int FreePort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }
    }
}
