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
    $repositoryRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '..' '..')).Path
    $scenarioDirectory = Join-Path $repositoryRoot 'tests' 'Scenarios'
    Import-Module (Join-Path $repositoryRoot 'CertCmdlets.psd1') -Force -ErrorAction Stop

    . (Join-Path $PSScriptRoot 'ScenarioRunner.ps1')

    function Get-TestDirectorySnapshot {
        # Every file under -Path with the SHA-256 of its bytes, sorted: equal snapshots mean nothing changed on disk.
        param([Parameter(Mandatory)][string] $Path)

        $entries = Get-ChildItem -LiteralPath $Path -Recurse -File -Force | ForEach-Object {
            [System.IO.Path]::GetRelativePath($Path, $_.FullName) + ' ' + (Get-FileHash -LiteralPath $_.FullName -Algorithm SHA256).Hash
        }

        return (@($entries | Sort-Object) -join "`n")
    }

    function New-TestDirectory {
        $path = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $path -Force
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
        (Test-Path -LiteralPath (Join-Path $ca 'root.crt') -PathType Leaf) | Should -BeTrue
        if (-not ($PSVersionTable.PSEdition -eq 'Desktop' -or $IsWindows)) {
            (Get-Item -LiteralPath (Join-Path $ca 'root.key')).UnixFileMode | Should -Be ([System.IO.UnixFileMode] 'UserRead, UserWrite')
        }

        $intermediate.Issuer | Should -Be $root.Subject
    }

    It 'signs a request, completes it from pasted text in any order, and writes a fullchain' {
        $request = New-CertRequest -CommonName 'www.example.com' -DnsName 'example.com' -KeyAlgorithm ECDSA
        $signed = $request | Approve-CertRequest -Authority $intermediate -ValidDays 90
        $signed.DnsNames | Should -Be @('www.example.com', 'example.com')
        $signed.SerialNumber.Length | Should -Be 32

        $pasted = ("`n" + $root.ToPem() + "`n`n" + $signed.ToPem() + "`n" + $intermediate.ToPem()) -replace "`r?`n", "`r`n"
        $site = Join-Path (New-TestDirectory) 'site'
        $completed = $request | Complete-CertRequest -CertificateText $pasted -OutputDirectory $site

        $completed.Thumbprint | Should -Be $signed.Thumbprint
        $completed.HasPrivateKey | Should -BeTrue
        @($completed.Chain | ForEach-Object { $_.Thumbprint }) | Should -Be @($intermediate.Thumbprint)
        (Get-Content -LiteralPath (Join-Path $site 'fullchain.pem') -Raw) | Should -BeExactly ($signed.ToPem() + $intermediate.ToPem())
        Test-CertChain -Path (Join-Path $site 'fullchain.pem') -TrustedRootPath $root.CertificatePath -DnsName 'example.com' -Quiet | Should -BeTrue
    }

    It 'gives a chain that openssl verify -CAfile root.crt -untrusted intermediate.crt accepts' -Skip:$openSslMissing {
        $request = New-CertRequest -CommonName 'verify.example.com' -KeyAlgorithm ECDSA
        $signed = $request | Approve-CertRequest -Authority $intermediate
        $site = Join-Path (New-TestDirectory) 'site'
        $null = $request | Complete-CertRequest -CertificateText ($intermediate.ToPem() + $signed.ToPem()) -OutputDirectory $site

        $verdict = & openssl verify -CAfile (Join-Path $ca 'root.crt') -untrusted (Join-Path $ca 'intermediate.crt') (Join-Path $site 'cert.pem') 2>&1
        $LASTEXITCODE | Should -Be 0 -Because "$verdict"
    }

    It 'refuses a CSR that asks for CA:TRUE with RequestAsksForCa' -Skip:$openSslMissing {
        $work = New-TestDirectory
        $csr = Join-Path $work 'ca-wish.csr'
        $null = & openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout (Join-Path $work 'ca-wish.key') -out $csr -subj '/CN=ca-wish.example.com' -addext 'basicConstraints=critical,CA:TRUE' 2>&1
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

        $result = $mine | Complete-CertRequest -CertificateText $theirs.ToPem() -OutputDirectory (Join-Path $work 'site') -ErrorVariable mismatch -ErrorAction SilentlyContinue

        $result | Should -BeNullOrEmpty
        $mismatch.Count | Should -Be 1
        $mismatch[0].FullyQualifiedErrorId | Should -Be 'CertificateRequestMismatch,CertCmdlets.Commands.CompleteCertRequestCommand'
        $mismatch[0].Exception.Message | Should -Match 'theirs\.example\.com'
        Get-TestDirectorySnapshot $work | Should -Be $before
        (Test-Path -LiteralPath (Join-Path $work 'site') -PathType Container) | Should -BeFalse
    }

    It 'refuses a certificate missing a requested name with CertificateNamesMismatch and writes nothing' {
        $work = New-TestDirectory
        $asked = New-CertRequest -CommonName 'www.example.com' -DnsName 'shop.example.com' -KeyAlgorithm ECDSA -OutputDirectory $work
        $fewer = New-CertRequest -CommonName 'www.example.com' -KeyPath $asked.KeyPath | Approve-CertRequest -Authority $intermediate
        $before = Get-TestDirectorySnapshot $work

        $result = $asked | Complete-CertRequest -CertificateText $fewer.ToPem() -OutputDirectory (Join-Path $work 'site') -ErrorVariable names -ErrorAction SilentlyContinue

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
        $bundle = Join-Path $work 'shuffled.pem'
        Set-Content -LiteralPath $bundle -Value ($intermediate.ToPem() + $root.ToPem() + $leaf.ToPem() + $intermediate.ToPem()) -NoNewline
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
        $fullChain = Join-Path $out 'fullchain.pem'
        Set-Content -LiteralPath $fullChain -Value 'the live file' -NoNewline
        $before = Get-TestDirectorySnapshot $out

        { Join-CertChain -Path $bundle -OutFile $fullChain -ErrorAction Stop } | Should -Throw -ErrorId 'OutputFileExists,CertCmdlets.Commands.JoinCertChainCommand'

        Get-TestDirectorySnapshot $out | Should -Be $before
        $null = Join-CertChain -Path $bundle -OutFile $fullChain -Force
        (Get-Content -LiteralPath $fullChain -Raw) | Should -BeExactly ($leaf.ToPem() + $intermediate.ToPem())
    }
}

Describe 'Test-CertChain -Quiet' {
    BeforeAll {
        $work = New-TestDirectory
        $root = New-CertAuthority -CommonName 'Quiet Root CA' -KeyAlgorithm ECDSA -OutputDirectory $work -Name 'root'
        $intermediate = New-CertAuthority -CommonName 'Quiet Issuing CA' -KeyAlgorithm ECDSA -Issuer $root
        $leaf = New-CertRequest -CommonName '*.example.com' -KeyAlgorithm ECDSA | Approve-CertRequest -Authority $intermediate -ValidDays 120
        $fullChain = Join-Path $work 'fullchain.pem'
        Set-Content -LiteralPath $fullChain -Value ($leaf.ToPem() + $intermediate.ToPem()) -NoNewline
        $leafOnly = Join-Path $work 'leaf.pem'
        Set-Content -LiteralPath $leafOnly -Value ($leaf.ToPem()) -NoNewline
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
