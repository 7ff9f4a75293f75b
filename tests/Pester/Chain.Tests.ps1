#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
.SYNOPSIS
    Pester 5 tests for chains and the internal CA: Join-CertChain, Test-CertChain, New-CertAuthority,
    Approve-CertRequest and Complete-CertRequest, on a user's machine.

.DESCRIPTION
    Runs the shared scenarios tests/Scenarios/Chain*.ps1 (the same files the xunit ChainScenarioTests run on the hosted
    engine; a scenario that needs openssl and cannot find it is reported as skipped), then checks the story from the
    issue directly: request -> approve by an internal CA -> complete -> a fullchain that `openssl verify` accepts; a
    shuffled bundle with a duplicate; Test-CertChain -Quiet; and the error paths by FullyQualifiedErrorId, with the
    directory left unchanged.

    Run from the repository root:  Invoke-Pester ./tests/Pester/Chain.Tests.ps1
#>

BeforeDiscovery {
    # Keep in step with s_invocations in tests/CertCmdlets.Tests/ChainScenarioTests.cs.
    $scenarioInvocations = @(
        @{ Scenario = 'Chain.InternalCaRequestToFullChain.ps1'; Arguments = @{} }
        @{ Scenario = 'Chain.JoinShuffledBundle.ps1'; Arguments = @{} }
        @{ Scenario = 'Chain.TestCertChain.ps1'; Arguments = @{} }
        @{ Scenario = 'Chain.CompleteRequestMismatch.ps1'; Arguments = @{} }
    )
    $openSslMissing = -not (Get-Command -Name openssl -CommandType Application -ErrorAction SilentlyContinue)
}

BeforeAll {
    $repositoryRoot = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($PSScriptRoot, '..', '..'))
    $scenarioDirectory = [System.IO.Path]::Combine($repositoryRoot, 'tests', 'Scenarios')
    Import-Module ([System.IO.Path]::Combine($repositoryRoot, 'CertCmdlets.psd1')) -Force -ErrorAction Stop

    . (Join-Path $PSScriptRoot 'ScenarioRunner.ps1')

    function Get-TestDirectorySnapshot {
        # Every file under -Path with the SHA-256 of its bytes, sorted: equal snapshots mean nothing changed on disk.
        param([Parameter(Mandatory)][string] $Path)

        $entries = foreach ($file in [System.IO.Directory]::EnumerateFiles($Path, '*', [System.IO.SearchOption]::AllDirectories)) {
            [System.IO.Path]::GetRelativePath($Path, $file) + ' ' + [System.Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData([System.IO.File]::ReadAllBytes($file)))
        }

        $sorted = [string[]] @($entries)
        [System.Array]::Sort($sorted, [System.StringComparer]::Ordinal)
        return ($sorted -join "`n")
    }

    function New-TestDirectory {
        $path = [System.IO.Path]::Combine($TestDrive, [guid]::NewGuid().ToString('N'))
        $null = [System.IO.Directory]::CreateDirectory($path)
        return $path
    }
}

Describe 'Chain scenarios (tests/Scenarios/Chain*.ps1)' {
    It 'runs <Scenario> to the end' -ForEach $scenarioInvocations {
        Invoke-PesterScenario -Scenario $Scenario -Parameters $Arguments
    }
}

Describe 'Request -> Approve by an internal CA -> Complete -> fullchain' {
    BeforeAll {
        $ca = New-TestDirectory
        $root = New-CertAuthority -CommonName 'Pester Root CA' -KeyAlgorithm ECDSA -OutputDirectory $ca -Name 'root'
        $intermediate = New-CertAuthority -CommonName 'Pester Issuing CA' -KeyAlgorithm ECDSA -Issuer $root -OutputDirectory $ca -Name 'intermediate'
    }

    It 'New-CertAuthority writes root.crt and a 0600 root.key and returns a CA with its key' {
        $root.IsCertificateAuthority | Should -BeTrue
        $root.HasPrivateKey | Should -BeTrue
        [System.IO.File]::Exists([System.IO.Path]::Combine($ca, 'root.crt')) | Should -BeTrue
        if (-not ($PSVersionTable.PSEdition -eq 'Desktop' -or $IsWindows)) {
            [System.IO.File]::GetUnixFileMode([System.IO.Path]::Combine($ca, 'root.key')) | Should -Be ([System.IO.UnixFileMode] 'UserRead, UserWrite')
        }

        $intermediate.Issuer | Should -Be $root.Subject
    }

    It 'signs a request, completes it from pasted text in any order, and writes a fullchain' {
        $request = New-CertRequest -CommonName 'www.example.com' -DnsName 'example.com' -KeyAlgorithm ECDSA
        $signed = $request | Approve-CertRequest -Authority $intermediate -ValidDays 90
        $signed.DnsNames | Should -Be @('www.example.com', 'example.com')
        $signed.SerialNumber.Length | Should -Be 32

        $pasted = ("`n" + $root.ToPem() + "`n`n" + $signed.ToPem() + "`n" + $intermediate.ToPem()) -replace "`r?`n", "`r`n"
        $site = [System.IO.Path]::Combine((New-TestDirectory), 'site')
        $completed = $request | Complete-CertRequest -CertificateText $pasted -OutputDirectory $site

        $completed.Thumbprint | Should -Be $signed.Thumbprint
        $completed.HasPrivateKey | Should -BeTrue
        @($completed.Chain | ForEach-Object { $_.Thumbprint }) | Should -Be @($intermediate.Thumbprint)
        [System.IO.File]::ReadAllText([System.IO.Path]::Combine($site, 'fullchain.pem')) | Should -BeExactly ($signed.ToPem() + $intermediate.ToPem())
        Test-CertChain -Path ([System.IO.Path]::Combine($site, 'fullchain.pem')) -TrustedRootPath $root.CertificatePath -DnsName 'example.com' -Quiet | Should -BeTrue
    }

    It 'gives a chain that openssl verify -CAfile root.crt -untrusted intermediate.crt accepts' -Skip:$openSslMissing {
        $request = New-CertRequest -CommonName 'verify.example.com' -KeyAlgorithm ECDSA
        $signed = $request | Approve-CertRequest -Authority $intermediate
        $site = [System.IO.Path]::Combine((New-TestDirectory), 'site')
        $null = $request | Complete-CertRequest -CertificateText ($intermediate.ToPem() + $signed.ToPem()) -OutputDirectory $site

        $verdict = & openssl verify -CAfile ([System.IO.Path]::Combine($ca, 'root.crt')) -untrusted ([System.IO.Path]::Combine($ca, 'intermediate.crt')) ([System.IO.Path]::Combine($site, 'cert.pem')) 2>&1
        $LASTEXITCODE | Should -Be 0 -Because "$verdict"
    }

    It 'refuses a CSR that asks for CA:TRUE with RequestAsksForCa' -Skip:$openSslMissing {
        $work = New-TestDirectory
        $csr = [System.IO.Path]::Combine($work, 'ca-wish.csr')
        $null = & openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ([System.IO.Path]::Combine($work, 'ca-wish.key')) -out $csr -subj '/CN=ca-wish.example.com' -addext 'basicConstraints=critical,CA:TRUE' 2>&1
        $before = Get-TestDirectorySnapshot $work

        $result = Approve-CertRequest -Path $csr -Authority $intermediate -ErrorVariable refused -ErrorAction SilentlyContinue

        $result | Should -BeNullOrEmpty
        $refused.Count | Should -Be 1
        $refused[0].FullyQualifiedErrorId | Should -Be 'RequestAsksForCa,CertCmdlets.Commands.ApproveCertRequestCommand'
        Get-TestDirectorySnapshot $work | Should -Be $before
    }

    It 'refuses another request''s certificate with CertificateRequestMismatch and writes nothing' {
        $work = New-TestDirectory
        $mine = New-CertRequest -CommonName 'mine.example.com' -KeyAlgorithm ECDSA
        $theirs = New-CertRequest -CommonName 'theirs.example.com' -KeyAlgorithm ECDSA | Approve-CertRequest -Authority $intermediate
        $before = Get-TestDirectorySnapshot $work

        $result = $mine | Complete-CertRequest -CertificateText $theirs.ToPem() -OutputDirectory ([System.IO.Path]::Combine($work, 'site')) -ErrorVariable mismatch -ErrorAction SilentlyContinue

        $result | Should -BeNullOrEmpty
        $mismatch.Count | Should -Be 1
        $mismatch[0].FullyQualifiedErrorId | Should -Be 'CertificateRequestMismatch,CertCmdlets.Commands.CompleteCertRequestCommand'
        $mismatch[0].Exception.Message | Should -Match 'theirs\.example\.com'
        Get-TestDirectorySnapshot $work | Should -Be $before
        [System.IO.Directory]::Exists([System.IO.Path]::Combine($work, 'site')) | Should -BeFalse
    }

    It 'refuses a certificate missing a requested name with CertificateNamesMismatch and writes nothing' {
        $work = New-TestDirectory
        $asked = New-CertRequest -CommonName 'www.example.com' -DnsName 'shop.example.com' -KeyAlgorithm ECDSA -OutputDirectory $work
        $fewer = New-CertRequest -CommonName 'www.example.com' -KeyPath $asked.KeyPath | Approve-CertRequest -Authority $intermediate
        $before = Get-TestDirectorySnapshot $work

        $result = $asked | Complete-CertRequest -CertificateText $fewer.ToPem() -OutputDirectory ([System.IO.Path]::Combine($work, 'site')) -ErrorVariable names -ErrorAction SilentlyContinue

        $result | Should -BeNullOrEmpty
        $names[0].FullyQualifiedErrorId | Should -Be 'CertificateNamesMismatch,CertCmdlets.Commands.CompleteCertRequestCommand'
        $names[0].Exception.Message | Should -Match 'shop\.example\.com'
        Get-TestDirectorySnapshot $work | Should -Be $before
    }
}

Describe 'Join-CertChain' {
    BeforeAll {
        $root = New-CertAuthority -CommonName 'Join Root CA' -KeyAlgorithm ECDSA
        $intermediate = New-CertAuthority -CommonName 'Join Issuing CA' -KeyAlgorithm ECDSA -Issuer $root
        $leaf = New-CertRequest -CommonName 'join.example.com' -KeyAlgorithm ECDSA | Approve-CertRequest -Authority $intermediate
        $work = New-TestDirectory
        $bundle = [System.IO.Path]::Combine($work, 'shuffled.pem')
        [System.IO.File]::WriteAllText($bundle, $intermediate.ToPem() + $root.ToPem() + $leaf.ToPem() + $intermediate.ToPem())
    }

    It 'orders a shuffled bundle with a duplicate, root left out, and says so with -Verbose' {
        $streams = @(Join-CertChain -Path $bundle -Verbose 4>&1)
        $joined = @($streams | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
        $verbose = @($streams | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object { $_.Message })

        $joined.Count | Should -Be 1
        $joined[0].Thumbprint | Should -Be $leaf.Thumbprint
        @($joined[0].Chain | ForEach-Object { $_.Thumbprint }) | Should -Be @($intermediate.Thumbprint)
        ($verbose -join "`n") | Should -Match 'duplicate'
    }

    It 'keeps the root last with -IncludeRoot' {
        $joined = Join-CertChain -Path $bundle -IncludeRoot
        @($joined.Chain | ForEach-Object { $_.Thumbprint }) | Should -Be @($intermediate.Thumbprint, $root.Thumbprint)
    }

    It 'does not overwrite -OutFile without -Force (OutputFileExists) and leaves the file as it was' {
        $out = New-TestDirectory
        $fullChain = [System.IO.Path]::Combine($out, 'fullchain.pem')
        [System.IO.File]::WriteAllText($fullChain, 'the live file')
        $before = Get-TestDirectorySnapshot $out

        { Join-CertChain -Path $bundle -OutFile $fullChain -ErrorAction Stop } | Should -Throw -ErrorId 'OutputFileExists,CertCmdlets.Commands.JoinCertChainCommand'

        Get-TestDirectorySnapshot $out | Should -Be $before
        $null = Join-CertChain -Path $bundle -OutFile $fullChain -Force
        [System.IO.File]::ReadAllText($fullChain) | Should -BeExactly ($leaf.ToPem() + $intermediate.ToPem())
    }
}

Describe 'Test-CertChain -Quiet' {
    BeforeAll {
        $work = New-TestDirectory
        $root = New-CertAuthority -CommonName 'Quiet Root CA' -KeyAlgorithm ECDSA -OutputDirectory $work -Name 'root'
        $intermediate = New-CertAuthority -CommonName 'Quiet Issuing CA' -KeyAlgorithm ECDSA -Issuer $root
        $leaf = New-CertRequest -CommonName '*.example.com' -KeyAlgorithm ECDSA | Approve-CertRequest -Authority $intermediate -ValidDays 120
        $fullChain = [System.IO.Path]::Combine($work, 'fullchain.pem')
        [System.IO.File]::WriteAllText($fullChain, $leaf.ToPem() + $intermediate.ToPem())
        $leafOnly = [System.IO.Path]::Combine($work, 'leaf.pem')
        [System.IO.File]::WriteAllText($leafOnly, $leaf.ToPem())
    }

    It 'is $true for a complete, trusted chain' {
        Test-CertChain -Path $fullChain -TrustedRootPath $root.CertificatePath -Quiet | Should -BeExactly $true
    }

    It 'is $false without the intermediate, and the result names it' {
        Test-CertChain -Path $leafOnly -TrustedRootPath $root.CertificatePath -Quiet | Should -BeExactly $false
        (Test-CertChain -Path $leafOnly -TrustedRootPath $root.CertificatePath).Problems | Should -Match 'Quiet Issuing CA'
    }

    It 'matches -DnsName <Name> by RFC 6125: <Covered>' -ForEach @(
        @{ Name = 'a.example.com'; Covered = $true }
        @{ Name = 'example.com'; Covered = $false }
        @{ Name = 'a.b.example.com'; Covered = $false }
    ) {
        Test-CertChain -Path $fullChain -TrustedRootPath $root.CertificatePath -DnsName $Name -Quiet | Should -BeExactly $Covered
    }
}
