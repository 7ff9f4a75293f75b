#Requires -Version 7.0

<#
    The PFX scenarios (tests/Scenarios/Pfx.*.ps1) on a real pwsh: Import-PfxAsPem from a PFX that openssl exported
    to Apache's PEM files, Export-PemAsPfx back to a PFX that openssl and .NET read, and the error paths. One It per
    invocation, each in a new directory under $TestDrive; the scenarios check themselves (FullyQualifiedErrorId,
    nothing changed on disk) and throw on the first failure. The hosted-engine twin is
    tests/CertCmdlets.Tests/PfxScenarioTests.cs; keep the invocations in step.

    Without openssl a scenario returns a marker object (type name CertCmdlets.ScenarioSkipped) and the It is marked
    skipped; under CI=true the scenario throws instead, so the It fails.
#>

BeforeDiscovery {
    # Keep in step with s_invocations in tests/CertCmdlets.Tests/PfxScenarioTests.cs.
    $invocations = @(
        @{ Title = 'Import-PfxAsPem: an OpenSSL 3 PFX (AES-256, RSA) to key.pem, cert.pem, chain.pem, fullchain.pem'; Scenario = 'Pfx.ImportToPemFiles.ps1'; Parameters = @{} }
        @{ Title = 'Import-PfxAsPem: an OpenSSL 3 PFX with an EC key to PEM files'; Scenario = 'Pfx.ImportToPemFiles.ps1'; Parameters = @{ KeyAlgorithm = 'ECDSA' } }
        @{ Title = 'Import-PfxAsPem: an openssl -legacy PFX (RC2-40, 3DES, SHA-1 MAC) to PEM files'; Scenario = 'Pfx.ImportToPemFiles.ps1'; Parameters = @{ PfxFormat = 'Legacy' } }
        @{ Title = 'Import-PfxAsPem: a Windows-style PFX (3DES, SHA-1 MAC, friendly name) to PEM files'; Scenario = 'Pfx.ImportToPemFiles.ps1'; Parameters = @{ PfxFormat = 'Windows' } }
        @{ Title = 'Import-PfxAsPem: a legacy PFX with an EC key to PEM files'; Scenario = 'Pfx.ImportToPemFiles.ps1'; Parameters = @{ KeyAlgorithm = 'ECDSA'; PfxFormat = 'Legacy' } }
        @{ Title = 'Export-PemAsPfx (modern and -Legacy) is read by openssl, .NET and Import-PfxAsPem'; Scenario = 'Pfx.RoundTrip.ps1'; Parameters = @{} }
        @{ Title = 'Export-PemAsPfx with an EC key is read by openssl, .NET and Import-PfxAsPem'; Scenario = 'Pfx.RoundTrip.ps1'; Parameters = @{ KeyAlgorithm = 'ECDSA' } }
        @{ Title = 'Import-PfxAsPem refuses wrong and missing passwords and damaged files, writing nothing'; Scenario = 'Pfx.Errors.ps1'; Parameters = @{} }
    )
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../CertCmdlets.psd1') -Force

    . (Join-Path $PSScriptRoot 'ScenarioRunner.ps1')
}

Describe 'PFX scenarios' {
    It '<Title>' -ForEach $invocations {
        Invoke-PesterScenario -Scenario $Scenario -Parameters $Parameters
    }

    It 'invokes every Pfx scenario file in tests/Scenarios' -ForEach @(@{ Invoked = @($invocations | ForEach-Object { $_.Scenario }) }) {
        $files = Get-ChildItem -Path (Join-Path $PSScriptRoot '../Scenarios') -Filter 'Pfx*.ps1' | ForEach-Object Name
        $files | Should -Not -BeNullOrEmpty
        $files | Where-Object { $_ -notin $Invoked } | Should -BeNullOrEmpty -Because 'every Pfx scenario file needs an It above'
        $Invoked | Where-Object { $_ -notin $files } | Should -BeNullOrEmpty -Because 'every It above needs its scenario file'
    }
}

Describe 'Import-PfxAsPem and Export-PemAsPfx on pwsh' {
    # The same paths as the scenarios, with pwsh's own cmdlets (Get-ChildItem, ConvertTo-SecureString) around them.
    BeforeAll {
        $hasOpenSsl = [bool](Get-Command -Name openssl -CommandType Application -ErrorAction SilentlyContinue)
        $password = 'pester PFX p4ssword'
        $secure = ConvertTo-SecureString -String $password -AsPlainText -Force

        function Skip-WithoutOpenSsl {
            # Marks the It skipped (Set-ItResult throws to end it) when openssl is missing; fails under CI=true.
            if ($hasOpenSsl) {
                return
            }

            if ($env:CI -eq 'true') {
                throw 'openssl is required for this test (CI=true).'
            }

            Set-ItResult -Skipped -Because 'openssl is not installed'
        }

        function Invoke-PesterOpenSsl {
            # openssl with the password in a child environment variable (never on the command line).
            param([string[]] $Arguments, [string] $PasswordOption)

            $env:CERTCMDLETS_PESTER_PW = $password
            try {
                $all = $Arguments + @($PasswordOption, 'env:CERTCMDLETS_PESTER_PW')
                $text = & openssl @all 2>&1 | Out-String
                if ($LASTEXITCODE -ne 0) {
                    throw "openssl $($Arguments -join ' ') failed: $text"
                }

                return $text
            }
            finally {
                Remove-Item Env:CERTCMDLETS_PESTER_PW -ErrorAction SilentlyContinue
            }
        }
    }

    BeforeEach {
        $work = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $work
        $key = Join-Path $work 'site.key'
        $certificate = Join-Path $work 'site.crt'
        $pfx = Join-Path $work 'site.pfx'
        if ($hasOpenSsl) {
            & openssl req -x509 -newkey rsa:2048 -nodes -keyout $key -out $certificate -days 30 -subj '/CN=pester.example.com' 2>&1 | Out-Null
            $null = Invoke-PesterOpenSsl -Arguments @('pkcs12', '-export', '-in', $certificate, '-inkey', $key, '-out', $pfx) -PasswordOption '-passout'
        }
    }

    It 'reads a PFX piped from Get-ChildItem and writes the PEM files' {
        Skip-WithoutOpenSsl
        $out = Join-Path $work 'apache'
        $result = Get-ChildItem -LiteralPath $pfx | Import-PfxAsPem -Password $secure -OutputDirectory $out
        $result.HasPrivateKey | Should -BeTrue
        (Get-ChildItem -LiteralPath $out).Name | Sort-Object | Should -Be @('cert.pem', 'fullchain.pem', 'key.pem')
        & openssl pkey -in (Join-Path $out 'key.pem') -noout 2>&1 | Out-Null
        $LASTEXITCODE | Should -Be 0 -Because 'openssl reads key.pem without a password'
    }

    It 'reports a wrong password as PfxPasswordIncorrect and writes nothing' {
        Skip-WithoutOpenSsl
        $out = Join-Path $work 'apache'
        $before = @(Get-ChildItem -LiteralPath $work -Recurse -Force | ForEach-Object { '{0} {1}' -f $_.FullName, (Get-FileHash -LiteralPath $_.FullName -ErrorAction SilentlyContinue).Hash })
        $wrong = ConvertTo-SecureString -String 'wrong' -AsPlainText -Force
        { Import-PfxAsPem -LiteralPath $pfx -Password $wrong -OutputDirectory $out -ErrorAction Stop } |
            Should -Throw -ErrorId 'PfxPasswordIncorrect,CertCmdlets.Commands.ImportPfxAsPemCommand'
        @(Get-ChildItem -LiteralPath $work -Recurse -Force | ForEach-Object { '{0} {1}' -f $_.FullName, (Get-FileHash -LiteralPath $_.FullName -ErrorAction SilentlyContinue).Hash }) |
            Should -Be $before -Because 'a wrong password changes nothing on disk'
    }

    It 'reports a missing password as PfxPasswordRequired' {
        Skip-WithoutOpenSsl
        { Import-PfxAsPem -LiteralPath $pfx -ErrorAction Stop } |
            Should -Throw -ErrorId 'PfxPasswordRequired,CertCmdlets.Commands.ImportPfxAsPemCommand'
    }

    It 'reports a truncated file as PfxFileInvalid' {
        Skip-WithoutOpenSsl
        $bytes = Get-Content -LiteralPath $pfx -AsByteStream -Raw
        $truncated = Join-Path $work 'truncated.pfx'
        Set-Content -LiteralPath $truncated -Value ([byte[]] $bytes[0..([int]($bytes.Length / 2) - 1)]) -AsByteStream
        { Import-PfxAsPem -LiteralPath $truncated -Password $secure -ErrorAction Stop } |
            Should -Throw -ErrorId 'PfxFileInvalid,CertCmdlets.Commands.ImportPfxAsPemCommand'
    }

    It 'says which encryption and MAC the file used with -Verbose, never the password' {
        Skip-WithoutOpenSsl
        $verbose = Import-PfxAsPem -LiteralPath $pfx -Password $secure -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | Out-String
        $verbose | Should -Match 'AES-256-CBC'
        $verbose | Should -Match 'HMAC-SHA256'
        $verbose | Should -Not -Match ([regex]::Escape($password))
    }

    It 'needs a password for Export-PemAsPfx (PfxPasswordMissing)' {
        Skip-WithoutOpenSsl
        { Export-PemAsPfx -CertificatePath $certificate -KeyPath $key -OutFile (Join-Path $work 'out.pfx') -ErrorAction Stop } |
            Should -Throw -ErrorId 'PfxPasswordMissing,CertCmdlets.Commands.ExportPemAsPfxCommand'
        Join-Path $work 'out.pfx' | Should -Not -Exist
    }

    It 'writes a PFX that .NET opens with its key and openssl describes as AES-256 with a SHA-256 MAC' {
        Skip-WithoutOpenSsl
        $out = Join-Path $work 'out.pfx'
        $null = Export-PemAsPfx -CertificatePath $certificate -KeyPath $key -OutFile $out -Password $secure
        $loader = 'System.Security.Cryptography.X509Certificates.X509CertificateLoader' -as [type]
        $bytes = Get-Content -LiteralPath $out -AsByteStream -Raw
        $loaded = if ($loader) { $loader::LoadPkcs12($bytes, $password, 'DefaultKeySet', $null) } else { [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($bytes, $password) }
        $loaded.HasPrivateKey | Should -BeTrue
        $info = Invoke-PesterOpenSsl -Arguments @('pkcs12', '-info', '-noout', '-in', $out) -PasswordOption '-passin'
        $info | Should -Match 'AES-256-CBC'
        $info | Should -Match 'MAC: sha256'
    }
}
