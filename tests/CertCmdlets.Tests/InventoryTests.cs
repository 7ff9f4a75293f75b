using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Security.Cryptography;
using CertCmdlets.Tests.Infrastructure;
using Xunit;

namespace CertCmdlets.Tests
{
    /// <summary>
    /// Issue 9 through the real cmdlets in the real engine: the inventory of a TLS tree (directory mode and files in
    /// bulk give the same objects), the renewal flow in five lines, New-CertRequest -FromCertificate and piped
    /// certificates, Import-CertRequest, pending requests in Complete-CertRequest, Protect-/Unprotect-PrivateKey.
    /// The hosted engine here is System.Management.Automation alone (no Get-ChildItem, Set-Content or Split-Path), so
    /// .NET's FileInfo objects stand in for what Get-ChildItem emits; tests/Pester/Inventory.Tests.ps1 runs the same
    /// with the real Get-ChildItem on pwsh.
    /// </summary>
    public sealed class InventoryTests : IDisposable
    {
        /// <summary>An internal CA, two sites as Export-CertPem writes them (one due), a CA bundle and the usual clutter.</summary>
        private const string MakeTree = @"
            $root = New-CertAuthority 'Inventory Root CA' -OutputDirectory ca
            $issuing = New-CertAuthority 'Inventory Issuing CA' -Issuer $root
            $null = New-CertRequest www.example.test -DnsName example.test -IpAddress 192.0.2.80 -Organization 'Example Ltd' -Country GB |
                Approve-CertRequest -Authority $issuing | Export-CertPem -OutputDirectory srv/tls/www
            $null = New-CertRequest due.example.test -KeyAlgorithm ECDSA | Approve-CertRequest -Authority $issuing -ValidDays 20 |
                Export-CertPem -OutputDirectory srv/tls/due
            $null = New-CertRequest pending.example.test -OutputDirectory srv/tls/pending
            [IO.File]::Copy($root.CertificatePath, [IO.Path]::Combine($PWD.ProviderPath, 'srv', 'tls', 'ca-root.crt'))
            [IO.File]::WriteAllText([IO.Path]::Combine($PWD.ProviderPath, 'srv', 'tls', 'README.txt'), ""Certificates of the web farm.`n"")
            $null = $root";

        /// <summary>What Get-ChildItem -Recurse -File emits, made with .NET.</summary>
        private const string FilesOf = "function FilesOf($folder, $pattern = '*') { ([IO.DirectoryInfo][IO.Path]::Combine($PWD.ProviderPath, $folder)).EnumerateFiles($pattern, [IO.SearchOption]::AllDirectories) }";

        /// <summary>ConvertTo-SecureString -AsPlainText -Force, without the Security module.</summary>
        private const string Secure = "function Secure($text) { $s = [Security.SecureString]::new(); foreach ($c in $text.ToCharArray()) { $s.AppendChar($c) }; $s }";

        private readonly TempDirectory _temp = new TempDirectory();
        private readonly PowerShellSession _session;

        public InventoryTests()
        {
            _session = new PowerShellSession(_temp.Path);
        }

        public void Dispose()
        {
            _session.Dispose();
            _temp.Dispose();
        }

        [Fact]
        public void DirectoryMode_AndGetChildItemInBulk_GiveOneObjectPerSite_NamingItsFiles()
        {
            Run(MakeTree);

            PowerShellResult walked = _session.Run("Import-CertFile srv -Recurse -Verbose");
            PowerShellResult included = _session.Run(FilesOf + "; @(FilesOf srv *.pem) + @(FilesOf srv *.crt) | Import-CertFile");
            PowerShellResult everything = _session.Run(FilesOf + "; FilesOf srv | Import-CertFile");

            walked.AssertSuccess();
            included.AssertSuccess();
            everything.AssertSuccess();
            Assert.Equal(new[] { "Inventory Root CA", "due.example.test", "www.example.test" }, Names(walked));
            Assert.Equal(Describe(walked), Describe(included));
            Assert.Equal(Describe(walked), Describe(everything));
            PSObject www = walked.Output.Single(o => (string)o.Properties["CommonName"].Value == "www.example.test");
            string site = Path.Combine(_temp.Path, "srv", "tls", "www");
            Assert.Equal(Path.Combine(site, "cert.pem"), www.Properties["CertificatePath"].Value);
            Assert.Equal(Path.Combine(site, "fullchain.pem"), www.Properties["FullChainPath"].Value);
            Assert.Equal(Path.Combine(site, "chain.pem"), www.Properties["ChainPath"].Value);
            Assert.Equal(Path.Combine(site, "key.pem"), www.Properties["KeyPath"].Value);
            Assert.Equal(true, www.Properties["HasPrivateKey"].Value);
            Assert.Equal(new[] { "GB" }, new[] { www.Properties["Country"].Value });
            Assert.Contains(walked.Verbose, v => v.Contains("README.txt", StringComparison.Ordinal));
            Assert.Contains(walked.Verbose, v => v.Contains("pending.example.test.csr", StringComparison.Ordinal) && v.Contains("request", StringComparison.Ordinal));
        }

        [Fact]
        public void FullChainFile_WithItsKey_IsOneObject_SoCommonNameIsOneString()
        {
            Run(MakeTree);

            PowerShellResult result = _session.Run(@"
                $current = Import-CertFile srv/tls/www/fullchain.pem -KeyPath srv/tls/www/key.pem
                @($current).Count
                $current.CommonName.GetType().Name
                $current.Chain.Count
                $current.HasPrivateKey");

            result.AssertSuccess();
            Assert.Equal(new object[] { 1, "String", 1, true }, result.Output.Select(o => o.BaseObject));
        }

        [Fact]
        public void KeyOrRequestNamedOnItsOwn_IsStillAnError_ThatSaysWhatItIs()
        {
            Run(MakeTree);

            PowerShellResult key = _session.Run("Import-CertFile srv/tls/www/key.pem");
            PowerShellResult piped = _session.Run("'srv/tls/www/key.pem', 'srv/tls/www/cert.pem' | Import-CertFile");
            PowerShellResult request = _session.Run("Import-CertFile srv/tls/pending/pending.example.test.csr");

            Assert.Equal("NoCertificateInFile,CertCmdlets.Commands.ImportCertFileCommand", Assert.Single(key.Errors).FullyQualifiedErrorId);
            Assert.Single(piped.Errors);
            Assert.Single(piped.Output);
            Assert.Contains("Import-CertRequest", Assert.Single(request.Errors).ErrorDetails.RecommendedAction, StringComparison.Ordinal);
        }

        [Fact]
        public void Filters_KeepWhatIsDue()
        {
            Run(MakeTree);

            Assert.Equal(new[] { "due.example.test" }, Names(Run("Import-CertFile srv -Recurse -RenewRecommended")));
            Assert.Equal(new[] { "due.example.test" }, Names(Run("Import-CertFile srv -Recurse -ExpiringWithin 30")));
            Assert.Equal(new[] { "due.example.test", "www.example.test" }, Names(Run("Import-CertFile srv -Recurse -ExcludeCA")));
            Assert.Equal(new[] { "due.example.test" }, Names(Run("Import-CertFile srv -Recurse | Import-CertFile -ExpiringWithin 30")));
        }

        [Fact]
        public void RenewalFactsAndSubjectFields_SurviveExportClixml_AsPlainValues()
        {
            Run(MakeTree);

            // PSSerializer is what Export-Clixml/Import-Clixml, jobs and remoting use.
            PowerShellResult result = Run(@"
                foreach ($certificate in Import-CertFile srv -Recurse -ExcludeCA) {
                    $copy = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($certificate))
                    foreach ($name in 'RenewAfter', 'RenewRecommended', 'Organization', 'Country', 'OrganizationalUnit', 'Locality', 'State', 'Email') {
                        $value = $copy.$name
                        '{0}|{1}|{2}|{3}' -f $certificate.CommonName, $name, ($(if ($null -eq $value) { 'null' } elseif ($value -is [System.Collections.ICollection]) { 'array:' + $value.Count } else { $value.GetType().Name + ':' + $value })), ($value -eq $certificate.$name -or ($null -eq $value -and $null -eq $certificate.$name) -or ($value -is [System.Collections.ICollection]))
                    }
                }");

            string[] lines = result.Output.Select(o => (string)o.BaseObject).OrderBy(l => l, StringComparer.Ordinal).ToArray();
            Assert.Contains("www.example.test|Organization|String:Example Ltd|True", lines);
            Assert.Contains("www.example.test|Country|String:GB|True", lines);
            Assert.Contains("www.example.test|RenewRecommended|Boolean:False|True", lines);
            Assert.Contains("due.example.test|RenewRecommended|Boolean:True|True", lines);
            Assert.Contains("due.example.test|Organization|null|True", lines);
            Assert.Contains("www.example.test|OrganizationalUnit|array:0|True", lines);
            Assert.Single(lines, l => l.StartsWith("www.example.test|RenewAfter|DateTime:", StringComparison.Ordinal) && l.EndsWith("|True", StringComparison.Ordinal));
            Assert.Single(lines, l => l.StartsWith("due.example.test|RenewAfter|DateTime:", StringComparison.Ordinal) && l.EndsWith("|True", StringComparison.Ordinal));
            Assert.Equal(16, lines.Length);
        }

        [Fact]
        public void DamagedFile_IsReportedAndTheWalkGoesOn_AndNoProgressIsShownWithoutAConsole()
        {
            Run(MakeTree);
            File.WriteAllText(Path.Combine(_temp.Path, "srv", "tls", "www", "old.crt"), "This download was interrupted.\n");
            for (int i = 0; i < 400; i++)
            {
                File.WriteAllText(Path.Combine(_temp.Path, "srv", $"note{i}.txt"), "not a certificate\n");
            }

            using Runspace runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
            runspace.Open();
            using PowerShell shell = PowerShell.Create();
            shell.Runspace = runspace;
            shell.AddScript("$null = $ExecutionContext.SessionState.Path.SetLocation($args[0]); Import-Module $args[1]; Import-CertFile srv -Recurse").AddArgument(_temp.Path).AddArgument(Repository.Manifest);
            var output = shell.Invoke();

            Assert.Equal(3, output.Count);
            ErrorRecord error = Assert.Single(shell.Streams.Error);
            Assert.Equal("CertificateFileInvalid,CertCmdlets.Commands.ImportCertFileCommand", error.FullyQualifiedErrorId);
            Assert.EndsWith("old.crt", (string)error.TargetObject, StringComparison.Ordinal);
            Assert.Empty(shell.Streams.Progress);
        }

        [Fact]
        public void RenewalFlow_InFiveLines_RenewsWhatIsDue_InPlace_AndASecondRunChangesNothing()
        {
            Run(MakeTree);
            string www = Path.Combine(_temp.Path, "srv", "tls", "www");
            string due = Path.Combine(_temp.Path, "srv", "tls", "due");
            string wwwBefore = Hash(www);
            string dueCertificate = File.ReadAllText(Path.Combine(due, "cert.pem"));

            // The flow of issue 9, as a scheduled script would run it.
            const string Renew = @"
                $ca = Import-CertFile ca/Inventory_Root_CA.crt -KeyPath ca/Inventory_Root_CA.key
                Import-CertFile srv/tls -Recurse -RenewRecommended -ExcludeCA | ForEach-Object {
                    New-CertRequest -FromCertificate $_ | Approve-CertRequest -Authority $ca |
                        Export-CertPem -OutputDirectory ([IO.Path]::GetDirectoryName($_.CertificatePath)) -Force
                }";
            PowerShellResult first = Run(Renew);
            PowerShellResult second = Run(Renew);

            PSObject renewed = Assert.Single(first.Output);
            Assert.Equal("due.example.test", renewed.Properties["CommonName"].Value);
            Assert.Empty(second.Output);
            Assert.Equal(wwwBefore, Hash(www));
            Assert.NotEqual(dueCertificate, File.ReadAllText(Path.Combine(due, "cert.pem")));
            PowerShellResult check = Run(@"
                $now = Import-CertFile srv/tls/due
                $now.RenewRecommended
                $now.HasPrivateKey
                $now.KeyAlgorithm
                $now.DnsNames -join ','
                $now.FullChainPath -ne $null");
            Assert.Equal(new object[] { false, true, "ECDSA P-256", "due.example.test", true }, check.Output.Select(o => o.BaseObject));
        }

        [Fact]
        public void PipedCertificate_IsRenewedWithEveryName_AndFromCertificateTakesAFile()
        {
            Run(MakeTree);

            PowerShellResult result = Run(@"
                $piped = Import-CertFile srv/tls/www/cert.pem | New-CertRequest
                $fromFile = New-CertRequest -FromCertificate srv/tls/www/fullchain.pem -KeyPath srv/tls/www/key.pem
                $copy = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize((Import-CertFile srv/tls/www)))
                $fromCopy = $copy | New-CertRequest
                foreach ($request in $piped, $fromFile, $fromCopy) {
                    '{0}|{1}|{2}|{3}|{4}|{5}' -f $request.Subject, ($request.DnsNames -join ','), ($request.IpAddresses -join ','), $request.KeyAlgorithm, $request.HasPrivateKey, $request.KeyPath
                }
                [pscustomobject]@{ CommonName = 'byname.example.test' } | New-CertRequest | ForEach-Object CommonName");

            string site = Path.Combine(_temp.Path, "srv", "tls", "www");
            Assert.Equal(
                new object[]
                {
                    "CN=www.example.test, O=Example Ltd, C=GB|www.example.test,example.test|192.0.2.80|RSA 2048|True|",
                    $"CN=www.example.test, O=Example Ltd, C=GB|www.example.test,example.test|192.0.2.80|RSA 2048|True|{Path.Combine(site, "key.pem")}",
                    "CN=www.example.test, O=Example Ltd, C=GB|www.example.test,example.test|192.0.2.80|RSA 2048|True|",
                    "byname.example.test",
                },
                result.Output.Select(o => o.BaseObject));
        }

        [Fact]
        public void FromCertificate_WithAnotherKey_OrACaBundle_IsRefused()
        {
            Run(MakeTree);

            PowerShellResult mismatch = _session.Run("New-CertRequest -FromCertificate srv/tls/www/cert.pem -KeyPath srv/tls/due/key.pem");
            PowerShellResult authority = _session.Run("Import-CertFile srv/tls/ca-root.crt | New-CertRequest");
            File.WriteAllText(Path.Combine(_temp.Path, "bundle.pem"), File.ReadAllText(Path.Combine(_temp.Path, "srv", "tls", "www", "chain.pem")) + File.ReadAllText(Path.Combine(_temp.Path, "srv", "tls", "ca-root.crt")));
            PowerShellResult bundle = _session.Run("New-CertRequest -FromCertificate bundle.pem");

            Assert.Equal("CertificateKeyMismatch,CertCmdlets.Commands.NewCertRequestCommand", Assert.Single(mismatch.Errors).FullyQualifiedErrorId);
            Assert.Equal("CertificateIsAuthority,CertCmdlets.Commands.NewCertRequestCommand", Assert.Single(authority.Errors).FullyQualifiedErrorId);
            // A bad -FromCertificate is refused by the parameter binder; the module's error is inside.
            Exception? refused = bundle.Terminating ?? bundle.Errors.FirstOrDefault()?.Exception;
            while (refused is not null && refused.GetType().FullName != "CertCmdlets.CertCmdletsException")
            {
                refused = refused.InnerException;
            }

            Assert.NotNull(refused);
            Assert.Equal("CertificateAmbiguous", refused!.GetType().GetProperty("ErrorId")!.GetValue(refused));
            Assert.Empty(mismatch.Output);
            Assert.Empty(authority.Output);
        }

        [OpenSslFact]
        public void ImportCertRequest_ReadsOpenSslRequests_WithTheirKey_AndApproveAndCompleteTakeThem()
        {
            Run(MakeTree);
            string work = Path.Combine(_temp.Path, "openssl");
            Directory.CreateDirectory(work);
            OpenSsl.Expect(work, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "api.key");
            OpenSsl.Expect(work, "req", "-new", "-key", "api.key", "-subj", "/O=Example Ltd/CN=api.example.test", "-addext", "subjectAltName=DNS:api.example.test,IP:192.0.2.81", "-out", "api.csr");
            OpenSsl.Expect(work, "req", "-in", "api.csr", "-outform", "DER", "-out", "api-der.csr");

            PowerShellResult result = Run(@"
                $ca = Import-CertFile ca/Inventory_Root_CA.crt -KeyPath ca/Inventory_Root_CA.key
                $pem = Import-CertRequest openssl/api.csr
                $der = Import-CertRequest openssl/api-der.csr -KeyPath openssl/api.key
                $text = Import-CertRequest -Text ([IO.File]::ReadAllText([IO.Path]::Combine($PWD.ProviderPath, 'openssl', 'api.csr')))
                $pem.HasPrivateKey; $der.HasPrivateKey; $text.HasPrivateKey
                $pem.RequestedExtensions
                $signed = $pem | Approve-CertRequest -Authority $ca
                $signed.HasPrivateKey
                [IO.File]::WriteAllText([IO.Path]::Combine($PWD.ProviderPath, 'answer.pem'), $signed.ToPem())
                ($der | Complete-CertRequest -CertificatePath answer.pem -TrustedRootPath ca/Inventory_Root_CA.crt).HasPrivateKey");

            Assert.Equal(new object[] { true, true, false, "subjectAltName: DNS:api.example.test, IP Address:192.0.2.81", true, true }, result.Output.Select(o => o.BaseObject));
        }

        [OpenSslFact]
        public void ImportCertRequest_AlteredRequest_HasItsOwnErrorId()
        {
            string work = Path.Combine(_temp.Path, "openssl");
            Directory.CreateDirectory(work);
            OpenSsl.Expect(work, "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "x.key", "-subj", "/CN=x.example.test", "-outform", "DER", "-out", "x.der");
            byte[] der = File.ReadAllBytes(Path.Combine(work, "x.der"));
            der[^7] ^= 0x10;
            File.WriteAllBytes(Path.Combine(work, "x.der"), der);

            PowerShellResult result = _session.Run("Import-CertRequest openssl/x.der, openssl/x.der");

            Assert.Equal(2, result.Errors.Count);
            Assert.All(result.Errors, e => Assert.Equal("RequestSignatureInvalid,CertCmdlets.Commands.ImportCertRequestCommand", e.FullyQualifiedErrorId));
            Assert.Empty(result.Output);
        }

        [Fact]
        public void CompleteCertRequest_GivenOnlyTheAnswer_FindsThePendingRequestAndItsKey()
        {
            Run(MakeTree);
            Run(SignPending);
            string pendingKey = File.ReadAllText(Path.Combine(_temp.Path, "srv", "tls", "pending", "pending.example.test.key"));

            PowerShellResult notHere = _session.Run("Complete-CertRequest answer.pem -OutputDirectory site");
            PowerShellResult found = Run("Complete-CertRequest answer.pem -RequestDirectory srv/tls/pending -OutputDirectory site -TrustedRootPath ca/Inventory_Root_CA.crt");
            PowerShellResult fromThere = Run("$null = $ExecutionContext.SessionState.Path.SetLocation('srv/tls/pending'); (Complete-CertRequest ../../../answer.pem).KeyPath");

            Assert.Equal("PendingRequestNotFound,CertCmdlets.Commands.CompleteCertRequestCommand", Assert.Single(notHere.ErrorIds));
            Assert.Equal(true, Assert.Single(found.Output).Properties["HasPrivateKey"].Value);
            Assert.Equal(pendingKey, File.ReadAllText(Path.Combine(_temp.Path, "site", "key.pem")));
            Assert.Equal(Path.Combine(_temp.Path, "srv", "tls", "pending", "pending.example.test.key"), Assert.Single(fromThere.Output).BaseObject);
        }

        [Fact]
        public void CompleteCertRequest_WithoutTheKey_WritesNothing_UnlessAllowMissingKey()
        {
            Run(MakeTree);
            Run(SignPending);
            File.Move(Path.Combine(_temp.Path, "srv", "tls", "pending", "pending.example.test.key"), Path.Combine(_temp.Path, "elsewhere.key"));

            PowerShellResult pending = _session.Run("Complete-CertRequest answer.pem -RequestDirectory srv/tls/pending -OutputDirectory site");
            PowerShellResult byPath = _session.Run("Complete-CertRequest answer.pem -RequestPath srv/tls/pending/pending.example.test.csr -OutputDirectory site");
            Assert.False(Directory.Exists(Path.Combine(_temp.Path, "site")));
            PowerShellResult allowed = _session.Run("Complete-CertRequest answer.pem -RequestDirectory srv/tls/pending -OutputDirectory site -AllowMissingKey");

            Assert.Equal("RequestKeyNotFound,CertCmdlets.Commands.CompleteCertRequestCommand", Assert.Single(pending.Errors).FullyQualifiedErrorId);
            Assert.Equal("RequestKeyNotFound,CertCmdlets.Commands.CompleteCertRequestCommand", Assert.Single(byPath.Errors).FullyQualifiedErrorId);
            Assert.Empty(allowed.Errors);
            Assert.True(File.Exists(Path.Combine(_temp.Path, "site", "cert.pem")));
            Assert.False(File.Exists(Path.Combine(_temp.Path, "site", "key.pem")));
            Assert.Contains(allowed.Warnings, w => w.Contains("private key", StringComparison.Ordinal));
        }

        [OpenSslFact]
        public void UnprotectAndProtect_ChangeTheKeyFileAlone_AndAWrongPasswordWritesNothing()
        {
            Run(MakeTree);
            Run(Secure + "; $null = Protect-PrivateKey srv/tls/www/key.pem -Password (Secure 'Old pass 1') -OutputPath keys/locked.pem");
            IReadOnlyDictionary<string, string> before = _temp.Snapshot();

            PowerShellResult wrong = _session.Run("Unprotect-PrivateKey keys/locked.pem -Password (Secure 'nope') -OutputPath keys/plain.pem");
            PowerShellResult whatIf = _session.Run("Unprotect-PrivateKey keys/locked.pem -Password (Secure 'Old pass 1') -OutputPath keys/plain.pem -WhatIf");
            PowerShellResult noOutput = _session.Run("Unprotect-PrivateKey keys/locked.pem -Password (Secure 'Old pass 1')");
            PowerShellResult empty = _session.Run("Protect-PrivateKey keys/locked.pem -Password ([Security.SecureString]::new()) -Force");
            Assert.Equal(before, _temp.Snapshot());

            PowerShellResult plain = Run("Unprotect-PrivateKey keys/locked.pem -Password (Secure 'Old pass 1') -OutputPath keys/plain.pem");
            PowerShellResult inPlace = Run(FilesOf + "; FilesOf keys locked.pem | Protect-PrivateKey -CurrentPassword (Secure 'Old pass 1') -Password (Secure 'New pass 2') -Force");

            Assert.Equal("KeyPasswordIncorrect,CertCmdlets.Commands.UnprotectPrivateKeyCommand", Assert.Single(wrong.Errors).FullyQualifiedErrorId);
            Assert.Empty(whatIf.Output);
            Assert.Equal("KeyOutputPathRequired,CertCmdlets.Commands.UnprotectPrivateKeyCommand", Assert.Single(noOutput.ErrorIds));
            Assert.Equal("KeyPasswordEmpty,CertCmdlets.Commands.ProtectPrivateKeyCommand", Assert.Single(empty.ErrorIds));
            Assert.Equal(false, Assert.Single(plain.Output).Properties["IsEncrypted"].Value);
            Assert.Equal(true, Assert.Single(inPlace.Output).Properties["IsEncrypted"].Value);
            string publicKey = OpenSsl.Expect(_temp.Path, "pkey", "-in", "srv/tls/www/key.pem", "-pubout");
            Assert.Equal(publicKey, OpenSsl.Expect(_temp.Path, "pkey", "-in", "keys/plain.pem", "-pubout"));
            Assert.Equal(publicKey, OpenSsl.Expect(_temp.Path, "pkey", "-in", "keys/locked.pem", "-passin", "pass:New pass 2", "-pubout"));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_temp.Path, "keys", "plain.pem")));
            }
        }

        /// <summary>
        /// Every bad input of issue 9, on openssl-made files where openssl makes them: the error record a script sees
        /// (FullyQualifiedErrorId, category, the offending file as target, a recommended action, the module's own
        /// exception rather than a runtime one, no password in the text), and not one byte or file mode changed on disk,
        /// not even a stray temporary file.
        /// </summary>
        [OpenSslFact]
        public void EveryBadInput_HasItsErrorRecord_AndChangesNothingOnDisk()
        {
            Run(MakeTree);
            Run(SignPending);
            string work = Path.Combine(_temp.Path, "openssl");
            Directory.CreateDirectory(work);
            OpenSsl.Expect(work, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-aes-256-cbc", "-pass", "pass:Right pass 1", "-out", "locked.key");
            OpenSsl.Expect(work, "genrsa", "-aes128", "-traditional", "-passout", "pass:Right pass 1", "-out", "legacy.key", "2048");
            OpenSsl.Expect(work, "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "altered.key", "-subj", "/CN=altered.example.test", "-outform", "DER", "-out", "altered.csr");
            byte[] der = File.ReadAllBytes(Path.Combine(work, "altered.csr"));
            der[^7] ^= 0x10;
            File.WriteAllBytes(Path.Combine(work, "altered.csr"), der);
            File.WriteAllText(Path.Combine(_temp.Path, "broken.crt"), "-----BEGIN CERTIFICATE-----\nMIIB interrupted download\n");
            Directory.CreateDirectory(Path.Combine(_temp.Path, "out"));
            File.WriteAllText(Path.Combine(_temp.Path, "out", "existing.key"), "keep me\n");
            IReadOnlyDictionary<string, string> before = _temp.Snapshot();

            var cases = new (string Script, string ErrorId, ErrorCategory Category, string Target)[]
            {
                ("Import-CertFile srv/tls/www/key.pem", "NoCertificateInFile", ErrorCategory.InvalidData, "srv/tls/www/key.pem"),
                ("Import-CertFile broken.crt", "CertificateFileInvalid", ErrorCategory.InvalidData, "broken.crt"),
                ("Import-CertFile srv/tls/www/cert.pem -KeyPath srv/tls/due/key.pem", "CertificateKeyMismatch", ErrorCategory.SecurityError, "srv/tls/www/cert.pem"),
                ("Import-CertFile srv/tls/www/cert.pem -KeyPath openssl/locked.key", "KeyPasswordRequired", ErrorCategory.AuthenticationError, "openssl/locked.key"),
                ("Import-CertFile srv/tls/www/cert.pem -KeyPath openssl/locked.key -KeyPassword (Secure 'Wrong pass 9')", "KeyPasswordIncorrect", ErrorCategory.AuthenticationError, "openssl/locked.key"),
                ("Import-CertRequest openssl/altered.csr", "RequestSignatureInvalid", ErrorCategory.SecurityError, "openssl/altered.csr"),
                ("Import-CertRequest srv/tls/www/cert.pem", "RequestFileInvalid", ErrorCategory.InvalidData, "srv/tls/www/cert.pem"),
                ("Import-CertRequest srv/tls/pending/pending.example.test.csr -KeyPath srv/tls/www/key.pem", "RequestKeyMismatch", ErrorCategory.SecurityError, "srv/tls/pending/pending.example.test.csr"),
                ("New-CertRequest -FromCertificate srv/tls/ca-root.crt -OutputDirectory out", "CertificateIsAuthority", ErrorCategory.InvalidArgument, "srv/tls/ca-root.crt"),
                ("New-CertRequest -FromCertificate srv/tls/www/cert.pem -KeyPath srv/tls/due/key.pem -OutputDirectory out", "CertificateKeyMismatch", ErrorCategory.SecurityError, "srv/tls/www/cert.pem"),
                ("Unprotect-PrivateKey openssl/locked.key -OutputPath out/plain.key", "KeyPasswordRequired", ErrorCategory.AuthenticationError, "openssl/locked.key"),
                ("Unprotect-PrivateKey openssl/locked.key -Password (Secure 'Wrong pass 9') -OutputPath out/plain.key", "KeyPasswordIncorrect", ErrorCategory.AuthenticationError, "openssl/locked.key"),
                ("Unprotect-PrivateKey openssl/legacy.key -Password (Secure 'Wrong pass 9') -Force", "KeyPasswordIncorrect", ErrorCategory.AuthenticationError, "openssl/legacy.key"),
                ("Unprotect-PrivateKey srv/tls/www/cert.pem -OutputPath out/plain.key", "KeyFileInvalid", ErrorCategory.InvalidData, "srv/tls/www/cert.pem"),
                ("Protect-PrivateKey srv/tls/www/key.pem -Password (Secure 'New pass 2') -OutputPath out/existing.key", "OutputFileExists", ErrorCategory.ResourceExists, "out/existing.key"),
                ("Protect-PrivateKey openssl/legacy.key -CurrentPassword (Secure 'Wrong pass 9') -Password (Secure 'New pass 2') -Force", "KeyPasswordIncorrect", ErrorCategory.AuthenticationError, "openssl/legacy.key"),
                ("Complete-CertRequest answer.pem -RequestDirectory srv/tls/www -OutputDirectory out/site", "PendingRequestNotFound", ErrorCategory.ObjectNotFound, "answer.pem"),
                ("Complete-CertRequest answer.pem -RequestPath openssl/altered.csr -KeyPath openssl/altered.key -OutputDirectory out/site", "RequestSignatureInvalid", ErrorCategory.SecurityError, "openssl/altered.csr"),
            };

            var problems = new List<string>();
            foreach ((string script, string errorId, ErrorCategory category, string target) in cases)
            {
                PowerShellResult result = _session.Run(Secure + "; " + script);
                ErrorRecord? error = result.Terminating?.ErrorRecord ?? result.Errors.FirstOrDefault();
                if (error is null || result.Errors.Count + (result.Terminating is null ? 0 : 1) != 1)
                {
                    problems.Add($"{script}: {result.Errors.Count} error(s), terminating: {result.Terminating is not null}");
                    continue;
                }

                string expectedTarget = Path.Combine(_temp.Path, target.Replace('/', Path.DirectorySeparatorChar));
                string message = error.ErrorDetails?.Message ?? error.Exception.Message;
                string? action = error.ErrorDetails?.RecommendedAction;
                string got = $"{error.FullyQualifiedErrorId} {error.CategoryInfo.Category} '{error.TargetObject}' {error.Exception.GetType().FullName}";
                string expected = $"{errorId},CertCmdlets.Commands.{CommandOf(script)}Command {category} '{expectedTarget}' CertCmdlets.CertCmdletsException";
                if (got != expected)
                {
                    problems.Add($"{script}:{Environment.NewLine}  expected {expected}{Environment.NewLine}  got      {got}: {message}");
                }

                if (string.IsNullOrWhiteSpace(action) || message.Contains("pass 9", StringComparison.Ordinal) || message.Contains("pass 1", StringComparison.Ordinal))
                {
                    problems.Add($"{script}: no recommended action, or a password in the message: {message} / {action}");
                }

                if (result.Output.Count > 0)
                {
                    problems.Add($"{script}: {result.Output.Count} object(s) written besides the error");
                }
            }

            Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
            Assert.Equal(before, _temp.Snapshot());
            Assert.Empty(Directory.GetDirectories(Path.Combine(_temp.Path, "out")));
        }

        private static string CommandOf(string script) => string.Concat(script.Substring(0, script.IndexOf(' ', StringComparison.Ordinal)).Split('-'));

        /// <summary>The internal root CA signs the pending request; its answer is saved as answer.pem.</summary>
        private const string SignPending = @"
            $ca = Import-CertFile ca/Inventory_Root_CA.crt -KeyPath ca/Inventory_Root_CA.key
            $answer = Approve-CertRequest -Path srv/tls/pending/*.csr -Authority $ca
            [IO.File]::WriteAllText([IO.Path]::Combine($PWD.ProviderPath, 'answer.pem'), $answer.ToPem())";

        private PowerShellResult Run(string script)
        {
            PowerShellResult result = _session.Run(script);
            result.AssertSuccess();
            return result;
        }

        private static string[] Names(PowerShellResult result) =>
            result.Output.Select(o => (string)o.Properties["CommonName"].Value).OrderBy(n => n, StringComparer.Ordinal).ToArray();

        private static string[] Describe(PowerShellResult result) => result.Output
            .Select(o => string.Join("|", new[] { "Thumbprint", "CertificatePath", "FullChainPath", "ChainPath", "KeyPath", "HasPrivateKey" }.Select(p => o.Properties[p].Value?.ToString())))
            .OrderBy(s => s, StringComparer.Ordinal)
            .ToArray();

        private static string Hash(string directory) => string.Join(",", Directory.GetFiles(directory).OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => Path.GetFileName(f) + ":" + Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))));
    }
}
