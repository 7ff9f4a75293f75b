using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Management.Automation.Runspaces;
using System.Security;
using CertCmdlets.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Tests
{
    /// <summary>
    /// The module's objects as the rest of PowerShell meets them (issue 11): type names scripts can write, .NET's
    /// X509Certificate2 and serialized objects accepted wherever a certificate is, Posh-ACME's objects, errors that
    /// stop on a bad argument and can be caught by type, one confirmation per operation. Same checks on real pwsh:
    /// tests/Pester/Objects.Tests.ps1.
    /// </summary>
    public sealed class ObjectInteropTests : IDisposable
    {
        private readonly TempDirectory _temp = new TempDirectory();
        private readonly PowerShellSession _session;

        public ObjectInteropTests()
        {
            _session = new PowerShellSession(_temp.Path);
        }

        public void Dispose()
        {
            _session.Dispose();
            _temp.Dispose();
        }

        [Theory]
        [InlineData("CertCmdlets.CertificateInfo")]
        [InlineData("CertCmdlets.CertificateRequestInfo")]
        [InlineData("CertCmdlets.CertCmdletsException")]
        [InlineData("CertCmdlets.CertErrorKind")]
        [InlineData("CertCmdlets.ChainTestResult")]
        [InlineData("CertCmdlets.HttpsEndpointResult")]
        [InlineData("CertCmdlets.ApacheChangeResult")]
        public void PublicTypes_ResolveRightAfterImport(string typeName)
        {
            // A new session: nothing but Import-Module has run, no cmdlet has loaded anything yet.
            PowerShellResult result = _session.Run("[type]$args[0] | ForEach-Object FullName", typeName);

            result.AssertSuccess();
            Assert.Equal(typeName, Assert.Single(result.Output).BaseObject);
        }

        [Fact]
        public void TypedParameterBlocksAndIsOperator_AcceptTheObjects()
        {
            PowerShellResult result = _session.Run(@"
                function Get-Days { param([Parameter(Mandatory)][CertCmdlets.CertificateInfo] $Certificate) $Certificate.DaysRemaining }
                $certificate = New-CertRequest typed.example.test -SelfSign
                $certificate -is [CertCmdlets.CertificateInfo]
                Get-Days -Certificate $certificate
                (New-CertRequest typed.example.test) -is [CertCmdlets.CertificateRequestInfo]");

            result.AssertSuccess();
            Assert.Equal(new object[] { true, 365, true }, result.Output.Select(o => o.BaseObject));
        }

        [Fact]
        public void BadArgument_TerminatesAndIsCaughtByTheDocumentedType_WithoutErrorActionStop()
        {
            PowerShellResult result = _session.Run(@"
                $reached = $false
                try { New-CertRequest x.example.test -Country UK; $reached = $true }
                catch [CertCmdlets.CertCmdletsException] { $_.FullyQualifiedErrorId; $_.CategoryInfo.Category.ToString(); $_.TargetObject; $_.ErrorDetails.RecommendedAction; $_.Exception.ErrorId }
                $reached");

            result.AssertSuccess();
            Assert.Equal("CountryCodeInvalid,CertCmdlets.Commands.NewCertRequestCommand", result.Output[0].BaseObject);
            Assert.Equal("InvalidArgument", result.Output[1].BaseObject);
            Assert.Equal("UK", result.Output[2].BaseObject);
            Assert.Contains("-Country GB", (string)result.Output[3].BaseObject, StringComparison.Ordinal);
            Assert.Equal("CountryCodeInvalid", result.Output[4].BaseObject);
            Assert.Equal(false, result.Output[5].BaseObject);
        }

        [Theory]
        [InlineData("-KeySize 1024", "KeySizeTooWeak", "1024")]
        [InlineData("-KeyAlgorithm ECDSA -KeySize 2048", "KeyOptionConflict", "2048")]
        [InlineData("-HashAlgorithm MD5", "HashAlgorithmTooWeak", "MD5")]
        [InlineData("-DnsName 'bad..name'", "DnsNameInvalid", "bad..name")]
        [InlineData("-SelfSign -ValidDays 0", "ValidDaysOutOfRange", "0")]
        public void BadArguments_StopTheWholeCall_BeforeAnyInput(string arguments, string errorId, string target)
        {
            // Three names from the pipeline: a bad argument is one terminating error, not three per-input errors.
            PowerShellResult result = _session.Run($"'a.example.test', 'b.example.test', 'c.example.test' | New-CertRequest {arguments} -OutputDirectory out");

            // A terminating error ends the statement (a script goes on to its next statement, as it does for any
            // cmdlet's terminating error): one error record, no output.
            ErrorRecord error = Assert.Single(result.Errors);
            Assert.Empty(result.Output);
            Assert.Equal(errorId + ",CertCmdlets.Commands.NewCertRequestCommand", error.FullyQualifiedErrorId);
            Assert.Equal(target, error.TargetObject?.ToString());
            Assert.False(string.IsNullOrEmpty(error.ErrorDetails?.RecommendedAction));
            Assert.False(Directory.Exists(_temp.File("out")));

            // try/catch catches it without -ErrorAction Stop.
            PowerShellResult caught = _session.Run($"try {{ 'a.example.test' | New-CertRequest {arguments}; 'not reached' }} catch {{ $_.Exception.ErrorId }}");
            caught.AssertSuccess();
            Assert.Equal(errorId, Assert.Single(caught.Output).BaseObject);
        }

        [Fact]
        public void BadPipelineInput_IsOneNonTerminatingErrorAndTheOthersGoOn()
        {
            PowerShellResult result = _session.Run("[pscustomobject]@{ CommonName = 'good.example.test' }, [pscustomobject]@{ CommonName = 'x' * 70 }, [pscustomobject]@{ CommonName = 'also.example.test' } | New-CertRequest");

            Assert.Null(result.Terminating);
            Assert.Equal(new[] { "good.example.test", "also.example.test" }, result.Output.Select(o => (string)o.Properties["CommonName"].Value));
            ErrorRecord error = Assert.Single(result.Errors);
            Assert.Equal("SubjectValueInvalid,CertCmdlets.Commands.NewCertRequestCommand", error.FullyQualifiedErrorId);
            Assert.Equal(new string('x', 70), error.TargetObject);
        }

        [Fact]
        public void X509Certificate2_IsAcceptedWhereverACertificateIs()
        {
            string folder = _temp.File("site");
            _session.Run("New-CertRequest x509.example.test -SelfSign | Export-CertPem -OutputDirectory $args[0]", folder).AssertSuccess();

            PowerShellResult result = _session.Run(@"
                $x509 = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new(([IO.Path]::Combine($args[0], 'cert.pem')))
                $imported = $x509 | Import-CertFile
                $imported.Thumbprint -eq $x509.Thumbprint
                $imported.HasPrivateKey
                ($x509 | Test-CertChain -DnsName x509.example.test).NamesMatch
                ($x509 | Export-CertPem -OutputDirectory ([IO.Path]::Combine($args[0], 'copy'))).CertificatePath
                $withKey = [System.Security.Cryptography.X509Certificates.X509Certificate2]::CreateFromPemFile(([IO.Path]::Combine($args[0], 'cert.pem')), ([IO.Path]::Combine($args[0], 'key.pem')))
                ($withKey | Import-CertFile).HasPrivateKey
                Export-CertPem -InputObject $withKey -OutputDirectory ([IO.Path]::Combine($args[0], 'withkey')) | ForEach-Object KeyPath", folder);

            result.AssertSuccess();
            Assert.Equal(true, result.Output[0].BaseObject);
            Assert.Equal(false, result.Output[1].BaseObject);
            Assert.Equal(true, result.Output[2].BaseObject);
            Assert.Equal(Path.Combine(folder, "copy", "cert.pem"), result.Output[3].BaseObject);
            Assert.Equal(true, result.Output[4].BaseObject);
            Assert.Equal(Path.Combine(folder, "withkey", "key.pem"), result.Output[5].BaseObject);
            Assert.Equal(File.ReadAllText(Path.Combine(folder, "key.pem")), File.ReadAllText(Path.Combine(folder, "withkey", "key.pem")));
        }

        [Fact]
        public void SerializedObjects_NeverClaimAKey_AndRebindThroughTheirCertificateChainAndFiles()
        {
            // What Export-Clixml/Import-Clixml, jobs and remoting do: PSSerializer is their serializer.
            string folder = _temp.File("issued");
            PowerShellResult result = _session.Run(@"
                $root = New-CertAuthority 'Interop Root CA'
                $issuing = New-CertAuthority 'Interop Issuing CA' -Issuer $root
                $written = New-CertRequest clixml.example.test | Approve-CertRequest -Authority $issuing | Export-CertPem -OutputDirectory $args[0]
                $inMemory = New-CertRequest memory.example.test | Approve-CertRequest -Authority $issuing
                $copy = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($written))
                $memoryCopy = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($inMemory))
                $copy.PSObject.TypeNames[0]
                $copy.HasPrivateKey
                $memoryCopy.HasPrivateKey
                $rebound = $copy | Export-CertPem -OutputDirectory ([IO.Path]::Combine($args[0], 'again'))
                $rebound.HasPrivateKey
                $rebound.Chain.Count
                $rebound.Thumbprint -eq $written.Thumbprint
                $fromMemory = $memoryCopy | Export-CertPem -OutputDirectory ([IO.Path]::Combine($args[0], 'memory'))
                $fromMemory.HasPrivateKey
                $fromMemory.Chain.Count
                ([IO.Directory]::GetFiles([IO.Path]::Combine($args[0], 'memory')) | ForEach-Object { [IO.Path]::GetFileName($_) } | ForEach-Object { $_ }) -join ','", folder);

            result.AssertSuccess();
            Assert.Equal(
                new object[] { "Deserialized.CertCmdlets.CertificateInfo", false, false, true, 1, true, false, 1 },
                result.Output.Take(8).Select(o => o.BaseObject));
            Assert.Equal(new[] { "cert.pem", "chain.pem", "fullchain.pem" }, ((string)result.Output[8].BaseObject).Split(',').OrderBy(n => n, StringComparer.Ordinal));
            Assert.Equal(File.ReadAllText(Path.Combine(folder, "key.pem")), File.ReadAllText(Path.Combine(folder, "again", "key.pem")));
        }

        [Fact]
        public void PoshAcmeCertificateObjects_BindByTheirFileProperties()
        {
            string folder = _temp.File("acme");
            PowerShellResult result = _session.Run(@"
                $root = New-CertAuthority 'Posh Root CA'
                $issuing = New-CertAuthority 'Posh Issuing CA' -Issuer $root
                $files = New-CertRequest posh.example.test | Approve-CertRequest -Authority $issuing | Export-CertPem -OutputDirectory $args[0]
                # The shape of Posh-ACME's Get-PACertificate output.
                $pa = [pscustomobject]@{
                    PSTypeName = 'PoshACME.PACertificate'; Subject = 'CN=posh.example.test'; Thumbprint = $files.Thumbprint
                    CertFile = $files.CertificatePath; KeyFile = $files.KeyPath; ChainFile = $files.ChainPath; FullChainFile = $files.FullChainPath
                }
                $exported = $pa | Export-CertPem -OutputDirectory ([IO.Path]::Combine($args[0], 'exported'))
                $exported.Thumbprint -eq $files.Thumbprint
                $exported.HasPrivateKey
                $exported.Chain.Count
                ($pa | Join-CertChain).Chain.Count", folder);

            PowerShellResult withRoot = _session.Run(@"
                $root = New-CertAuthority 'Posh Root CA 2'
                $issuing = New-CertAuthority 'Posh Issuing CA 2' -Issuer $root
                $root | Export-CertPem -CertificatePath ([IO.Path]::Combine($args[0], 'root2.pem')) | Out-Null
                $files = New-CertRequest posh2.example.test | Approve-CertRequest -Authority $issuing | Export-CertPem -OutputDirectory ([IO.Path]::Combine($args[0], 'two'))
                $pa = [pscustomobject]@{ PSTypeName = 'PoshACME.PACertificate'; CertFile = $files.CertificatePath; KeyFile = $files.KeyPath; ChainFile = $files.ChainPath; FullChainFile = $files.FullChainPath }
                ($pa | Test-CertChain -TrustedRootPath ([IO.Path]::Combine($args[0], 'root2.pem')) -DnsName posh2.example.test).IsValid", folder);

            result.AssertSuccess();
            Assert.Equal(new object[] { true, true, 1, 1 }, result.Output.Select(o => o.BaseObject));
            withRoot.AssertSuccess();
            Assert.Equal(true, Assert.Single(withRoot.Output).BaseObject);
        }

        [Fact]
        public void ObjectNamingNothing_IsARecognisableBindingError()
        {
            PowerShellResult result = _session.Run("[pscustomobject]@{ PSTypeName = 'PoshACME.PACertificate'; CertFile = [IO.Path]::Combine($args[0], 'missing.pem') } | Export-CertPem -OutputDirectory out", _temp.Path);

            Assert.Empty(result.Output);
            ErrorRecord error = result.Errors.Concat(result.Terminating is null ? Array.Empty<ErrorRecord>() : new[] { result.Terminating.ErrorRecord }).First();
            Assert.Contains("CertFile", error.Exception.Message, StringComparison.Ordinal);
            Assert.False(Directory.Exists(_temp.File("out")));
        }

        [Theory]
        [InlineData("New-CertRequest confirm.example.test -OutputDirectory out -Confirm", 2)]
        [InlineData("New-CertRequest confirm.example.test -SelfSign -OutputDirectory out -Confirm", 2)]
        [InlineData("New-CertRequest confirm.example.test -SelfSign | Export-CertPem -OutputDirectory out -Confirm", 3)]
        public void Confirm_AsksOncePerOperation_AndNoWritesNothing(string command, int files)
        {
            foreach (bool yes in new[] { false, true })
            {
                using var temp = new TempDirectory();
                var host = new AnsweringHost(yes);
                using Runspace runspace = RunspaceFactory.CreateRunspace(host, InitialSessionState.CreateDefault2());
                runspace.Open();
                using PowerShell shell = PowerShell.Create();
                shell.Runspace = runspace;
                shell.AddScript("$null = $ExecutionContext.SessionState.Path.SetLocation($args[0]); Import-Module $args[1]; " + command).AddArgument(temp.Path).AddArgument(Repository.Manifest);
                shell.Invoke();

                Assert.Equal(1, host.Questions);
                string output = temp.File("out");
                Assert.Equal(yes ? files : 0, Directory.Exists(output) ? Directory.GetFiles(output).Length : 0);
            }
        }

        /// <summary>A host that answers every -Confirm question with Yes or No, and counts the questions.</summary>
        private sealed class AnsweringHost : PSHost
        {
            private readonly AnsweringUserInterface _ui;

            public AnsweringHost(bool yes)
            {
                _ui = new AnsweringUserInterface(yes);
            }

            public int Questions => _ui.Questions;

            public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;

            public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;

            public override Guid InstanceId { get; } = Guid.NewGuid();

            public override string Name => "AnsweringHost";

            public override PSHostUserInterface UI => _ui;

            public override Version Version => new Version(1, 0);

            public override void EnterNestedPrompt() => throw new NotSupportedException();

            public override void ExitNestedPrompt() => throw new NotSupportedException();

            public override void NotifyBeginApplication()
            {
            }

            public override void NotifyEndApplication()
            {
            }

            public override void SetShouldExit(int exitCode)
            {
            }
        }

        private sealed class AnsweringUserInterface : PSHostUserInterface
        {
            private readonly bool _yes;

            public AnsweringUserInterface(bool yes)
            {
                _yes = yes;
            }

            public int Questions { get; private set; }

            public override PSHostRawUserInterface? RawUI => null;

            public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
            {
                Questions++;

                // ShouldProcess offers Yes, Yes to All, No, No to All, Suspend.
                string wanted = _yes ? "&Yes" : "&No";
                for (int i = 0; i < choices.Count; i++)
                {
                    if (choices[i].Label == wanted)
                    {
                        return i;
                    }
                }

                throw new InvalidOperationException("No " + wanted + " among " + string.Join(", ", choices.Select(c => c.Label)));
            }

            public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions) => throw new NotSupportedException();

            public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw new NotSupportedException();

            public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw new NotSupportedException();

            public override string ReadLine() => throw new NotSupportedException();

            public override SecureString ReadLineAsSecureString() => throw new NotSupportedException();

            public override void Write(string value)
            {
            }

            public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value)
            {
            }

            public override void WriteDebugLine(string message)
            {
            }

            public override void WriteErrorLine(string value)
            {
            }

            public override void WriteLine(string value)
            {
            }

            public override void WriteProgress(long sourceId, ProgressRecord record)
            {
            }

            public override void WriteVerboseLine(string message)
            {
            }

            public override void WriteWarningLine(string message)
            {
            }
        }
    }
}
