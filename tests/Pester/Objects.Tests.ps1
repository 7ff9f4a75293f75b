#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
.SYNOPSIS
    The module's objects as the rest of PowerShell meets them, on a real pwsh (issue 11).

.DESCRIPTION
    Type names scripts write, X509Certificate2 and Import-Clixml round trips accepted wherever a certificate is,
    Posh-ACME-shaped objects, bad arguments stopping the command and caught by type, and the default views rendered
    at 80 and 120 columns with no wrapped header. The same behaviours run in-process in
    tests/CertCmdlets.Tests/ObjectInteropTests.cs (views here only: they need the real formatter's console widths).
#>

BeforeAll {
    $repositoryRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '..' '..')).Path
    Import-Module (Join-Path $repositoryRoot 'CertCmdlets.psd1') -Force -ErrorAction Stop

    function New-TestDirectory {
        $path = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $path -Force
        return $path
    }

    function Get-HeaderLines {
        # The header line and the dash line under it of a rendered table.
        param([Parameter(Mandatory)][string] $Text)

        $lines = @($Text -split "`r?`n" | Where-Object { $_.Trim() })
        $dash = [array]::FindIndex([string[]]$lines, [Predicate[string]] { param($line) $line -match '^-+( +-+)*\s*$' })
        $dash | Should -BeGreaterThan 0 -Because "a table has a dash line under its header:`n$Text"
        return [pscustomobject]@{ Header = $lines[$dash - 1]; Dashes = $lines[$dash]; AboveHeader = @($lines[0..($dash - 1)]) }
    }
}

Describe 'Type names' {
    It 'resolves [<_>] right after Import-Module' -ForEach @(
        'CertCmdlets.CertificateInfo', 'CertCmdlets.CertificateRequestInfo', 'CertCmdlets.CertCmdletsException',
        'CertCmdlets.CertErrorKind', 'CertCmdlets.ChainTestResult', 'CertCmdlets.HttpsEndpointResult', 'CertCmdlets.ApacheChangeResult'
    ) {
        # A fresh process: only the import has run. pwsh may be a dotnet tool, whose process is dotnet running pwsh.dll.
        $manifest = Join-Path $repositoryRoot 'CertCmdlets.psd1'
        $process = [Environment]::ProcessPath
        [string[]] $prefix = if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { Join-Path $PSHOME 'pwsh.dll' } else { @() }
        $script = "Import-Module '$manifest'; ([type]'$_').FullName"
        $name = & $process @prefix -NoProfile -NonInteractive -EncodedCommand ([Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($script)))
        $LASTEXITCODE | Should -Be 0
        $name | Should -BeExactly $_
    }

    It 'accepts the objects in typed parameters and -is' {
        function Get-Days { param([Parameter(Mandatory)][CertCmdlets.CertificateInfo] $Certificate) $Certificate.DaysRemaining }
        $certificate = New-CertRequest typed.example.test -SelfSign
        $certificate | Should -BeOfType [CertCmdlets.CertificateInfo]
        Get-Days -Certificate $certificate | Should -Be 365
        New-CertRequest typed.example.test | Should -BeOfType [CertCmdlets.CertificateRequestInfo]
    }
}

Describe 'Errors' {
    It 'stops on -Country UK and is caught as [CertCmdlets.CertCmdletsException] without -ErrorAction Stop' {
        $caught = $null
        try { New-CertRequest x.example.test -Country UK } catch [CertCmdlets.CertCmdletsException] { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty
        $caught.FullyQualifiedErrorId | Should -BeExactly 'CountryCodeInvalid,CertCmdlets.Commands.NewCertRequestCommand'
        $caught.TargetObject | Should -BeExactly 'UK'
        $caught.ErrorDetails.RecommendedAction | Should -Match '-Country GB'
    }

    It 'stops on <ErrorId> once, before any of three inputs' -ForEach @(
        @{ Arguments = @{ KeySize = 1024 }; ErrorId = 'KeySizeTooWeak'; Target = '1024' }
        @{ Arguments = @{ KeyAlgorithm = 'ECDSA'; KeySize = 2048 }; ErrorId = 'KeyOptionConflict'; Target = '2048' }
        @{ Arguments = @{ HashAlgorithm = 'MD5' }; ErrorId = 'HashAlgorithmTooWeak'; Target = 'MD5' }
    ) {
        $folder = New-TestDirectory
        $errors = @()
        $output = @()
        try {
            $output = @('a.example.test', 'b.example.test', 'c.example.test' | New-CertRequest @Arguments -OutputDirectory (Join-Path $folder 'out') -ErrorVariable errors)
        }
        catch [CertCmdlets.CertCmdletsException] {
            $errors = @($_)
        }

        $output.Count | Should -Be 0
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeExactly "$ErrorId,CertCmdlets.Commands.NewCertRequestCommand"
        "$($errors[0].TargetObject)" | Should -BeExactly $Target
        $errors[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        Join-Path $folder 'out' | Should -Not -Exist
    }
}

Describe 'Certificates from elsewhere' {
    BeforeAll {
        $folder = New-TestDirectory
        $root = New-CertAuthority 'Pester Interop Root CA'
        $issuing = New-CertAuthority 'Pester Interop Issuing CA' -Issuer $root
        $root | Export-CertPem -CertificatePath (Join-Path $folder 'root.pem') | Out-Null
        $issued = New-CertRequest interop.example.test | Approve-CertRequest -Authority $issuing | Export-CertPem -OutputDirectory (Join-Path $folder 'issued')
    }

    It 'takes an X509Certificate2 in Import-CertFile, Test-CertChain and Export-CertPem' {
        $x509 = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($issued.CertificatePath)
        ($x509 | Import-CertFile).Thumbprint | Should -BeExactly $x509.Thumbprint
        ($x509 | Test-CertChain -DnsName interop.example.test).NamesMatch | Should -BeTrue
        ($x509 | Export-CertPem -OutputDirectory (Join-Path $folder 'x509')).CertificatePath | Should -Exist
    }

    It 'takes the key of an X509Certificate2 that has one' {
        $withKey = [System.Security.Cryptography.X509Certificates.X509Certificate2]::CreateFromPemFile($issued.CertificatePath, $issued.KeyPath)
        $exported = $withKey | Export-CertPem -OutputDirectory (Join-Path $folder 'withkey')
        $exported.HasPrivateKey | Should -BeTrue
        Get-Content -LiteralPath $exported.KeyPath -Raw | Should -BeExactly (Get-Content -LiteralPath $issued.KeyPath -Raw)
    }

    It 'rebinds an object after Export-Clixml/Import-Clixml, which claims no key' {
        $issued | Export-Clixml -LiteralPath (Join-Path $folder 'issued.xml')
        $copy = Import-Clixml -LiteralPath (Join-Path $folder 'issued.xml')
        $copy.PSObject.TypeNames[0] | Should -BeExactly 'Deserialized.CertCmdlets.CertificateInfo'
        $copy.HasPrivateKey | Should -BeFalse
        $rebound = $copy | Export-CertPem -OutputDirectory (Join-Path $folder 'clixml')
        $rebound.Thumbprint | Should -BeExactly $issued.Thumbprint
        $rebound.HasPrivateKey | Should -BeTrue -Because 'its KeyPath names the key file, which is read again'
        $rebound.Chain.Count | Should -Be 1
        ($copy | Test-CertChain -TrustedRootPath (Join-Path $folder 'root.pem') -DnsName interop.example.test).IsValid | Should -BeTrue
    }

    It 'rebinds an object received from a job' {
        $fullChain = $issued.FullChainPath
        $key = $issued.KeyPath
        $job = Start-ThreadJob -ScriptBlock { param($Path) Import-Module $Path; Import-CertFile -LiteralPath $using:fullChain -KeyPath $using:key } -ArgumentList (Join-Path $repositoryRoot 'CertCmdlets.psd1')
        $fromJob = $job | Wait-Job | Receive-Job
        ($fromJob | Export-CertPem -OutputDirectory (Join-Path $folder 'job')).HasPrivateKey | Should -BeTrue
    }

    It 'binds Posh-ACME certificate objects by CertFile, KeyFile, ChainFile and FullChainFile' {
        $pa = [pscustomobject]@{
            PSTypeName = 'PoshACME.PACertificate'; Subject = 'CN=interop.example.test'; Thumbprint = $issued.Thumbprint
            CertFile = $issued.CertificatePath; KeyFile = $issued.KeyPath; ChainFile = $issued.ChainPath; FullChainFile = $issued.FullChainPath
        }
        $exported = $pa | Export-CertPem -OutputDirectory (Join-Path $folder 'posh')
        $exported.Thumbprint | Should -BeExactly $issued.Thumbprint
        $exported.HasPrivateKey | Should -BeTrue
        $exported.Chain.Count | Should -Be 1
        ($pa | Test-CertChain -TrustedRootPath (Join-Path $folder 'root.pem') -DnsName interop.example.test).IsValid | Should -BeTrue
    }
}

Describe 'Default views' {
    BeforeAll {
        $folder = New-TestDirectory
        $root = New-CertAuthority 'Example Internal Root CA'
        $certificates = @(
            New-CertRequest a-very-long-host-name.subdomain.example.com | Approve-CertRequest -Authority $root
            New-CertRequest www.example.com -KeyAlgorithm ECDSA -SelfSign
            $root
        )
        $request = New-CertRequest www.example.com -DnsName example.com -OutputDirectory (Join-Path $folder 'req')
        $chainResults = @($certificates[0..1] | Test-CertChain -WarningAction SilentlyContinue)
    }

    It 'renders <Name> at <Width> columns with a one-line header' -ForEach @(
        foreach ($width in 80, 120) {
            @{ Name = 'certificates'; Width = $width; Objects = { $certificates } }
            @{ Name = 'requests'; Width = $width; Objects = { $request } }
            @{ Name = 'chain tests (table)'; Width = $width; Objects = { $chainResults | Format-Table } }
        }
    ) {
        $text = & $Objects | Out-String -Width $Width
        $table = Get-HeaderLines $text
        $table.AboveHeader.Count | Should -Be 1 -Because "the header is one line, not wrapped:`n$text"
        foreach ($line in $text -split "`r?`n") { $line.TrimEnd().Length | Should -BeLessOrEqual $Width }
        foreach ($word in -split $table.Header) { $word.Length | Should -BeGreaterThan 1 -Because "no header is cut to single letters:`n$text" }
    }

    It 'shows whole thumbprints at 120 columns' {
        $text = $certificates | Out-String -Width 120
        foreach ($certificate in $certificates) { $text | Should -Match $certificate.Thumbprint }
    }

    It 'keeps the whole subject and names in the list view' {
        $text = $certificates[0] | Format-List | Out-String -Width 80
        $text | Should -Match 'a-very-long-host-name\.subdomain\.example\.com'
        $text | Should -Match 'RenewAfter'
    }
}
