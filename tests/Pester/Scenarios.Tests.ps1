#Requires -Version 7.0

<#
    The user-level scenarios (tests/Scenarios/*.ps1) on a real pwsh: one It per invocation, each in a new
    directory under $TestDrive. The scenarios check themselves and throw on the first failure; this file only
    runs them. The hosted-engine tests (tests/CertCmdlets.Tests/ScenarioTests.cs) run the same invocations.

    A scenario that needs openssl returns a marker object (type name CertCmdlets.ScenarioSkipped) when openssl is
    not installed: the It is then marked skipped. Under CI=true the scenario throws instead, so the It fails.
#>

BeforeDiscovery {
    # Keep in step with s_invocations in tests/CertCmdlets.Tests/ScenarioTests.cs.
    $invocations = @(
        @{ Title = 'New-CertRequest writes an RSA key and a CSR that openssl verifies'; Scenario = 'NewCertRequest.KeyAndRequestToDirectory.ps1'; Parameters = @{} }
        @{ Title = 'New-CertRequest writes an ECDSA key and a CSR that openssl verifies'; Scenario = 'NewCertRequest.KeyAndRequestToDirectory.ps1'; Parameters = @{ KeyAlgorithm = 'ECDSA' } }
        @{ Title = 'New-CertRequest -SelfSign | Export-CertPem writes PEM files openssl reads'; Scenario = 'NewCertRequest.SelfSignedToPem.ps1'; Parameters = @{} }
        @{ Title = 'New-CertRequest -KeyPath renews with the same public key'; Scenario = 'NewCertRequest.RenewWithExistingKey.ps1'; Parameters = @{} }
        @{ Title = 'Import-CertFile reads PEM bundles, DER and PKCS#7 made by openssl'; Scenario = 'ImportCertFile.OpenSslFormats.ps1'; Parameters = @{} }
        @{ Title = 'Import-CertFile -KeyPath attaches the key forms openssl writes'; Scenario = 'ImportCertFile.WithPrivateKey.ps1'; Parameters = @{} }
        @{ Title = 'Import-CertFile takes wildcards, literal paths, piped strings, files and objects'; Scenario = 'ImportCertFile.PathForms.ps1'; Parameters = @{} }
        @{ Title = 'Import-CertFile reports one bad file and reads the others'; Scenario = 'ImportCertFile.BadFileAmongGood.ps1'; Parameters = @{} }
        @{ Title = 'New-CertRequest -Country UK is refused (CountryCodeInvalid, suggests GB)'; Scenario = 'Error.CountryCodeInvalid.ps1'; Parameters = @{ Country = 'UK'; Suggestion = 'GB' } }
        @{ Title = 'New-CertRequest -Country USA is refused (CountryCodeInvalid, suggests US)'; Scenario = 'Error.CountryCodeInvalid.ps1'; Parameters = @{ Country = 'USA'; Suggestion = 'US' } }
        @{ Title = 'New-CertRequest -Country Germany is refused (CountryCodeInvalid, suggests DE)'; Scenario = 'Error.CountryCodeInvalid.ps1'; Parameters = @{ Country = 'Germany'; Suggestion = 'DE' } }
        @{ Title = 'New-CertRequest -KeySize 1024 is refused (KeySizeTooWeak)'; Scenario = 'Error.KeySizeTooWeak.ps1'; Parameters = @{ KeySize = 1024 } }
        @{ Title = 'New-CertRequest -HashAlgorithm MD5 is refused (HashAlgorithmTooWeak)'; Scenario = 'Error.HashAlgorithmTooWeak.ps1'; Parameters = @{ HashAlgorithm = 'MD5' } }
        @{ Title = 'New-CertRequest -HashAlgorithm SHA1 is refused (HashAlgorithmTooWeak)'; Scenario = 'Error.HashAlgorithmTooWeak.ps1'; Parameters = @{ HashAlgorithm = 'SHA1' } }
        @{ Title = 'Import-CertFile refuses garbage files (CertificateFileInvalid)'; Scenario = 'Error.CertificateFileInvalid.ps1'; Parameters = @{} }
        @{ Title = 'A wrong key password is refused (KeyPasswordIncorrect)'; Scenario = 'Error.KeyPasswordIncorrect.ps1'; Parameters = @{} }
        @{ Title = 'A key of another certificate is refused (CertificateKeyMismatch)'; Scenario = 'Error.CertificateKeyMismatch.ps1'; Parameters = @{} }
        @{ Title = 'An existing file is not replaced without -Force (OutputFileExists)'; Scenario = 'Error.OutputFileExists.ps1'; Parameters = @{} }
        @{ Title = '-WhatIf writes nothing'; Scenario = 'WhatIf.WritesNothing.ps1'; Parameters = @{} }
    )
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../CertCmdlets.psd1') -Force

    . (Join-Path $PSScriptRoot 'ScenarioRunner.ps1')
}

Describe 'CertCmdlets scenarios' {
    It '<Title>' -ForEach $invocations {
        Invoke-PesterScenario -Scenario $Scenario -Parameters $Parameters
    }

    It 'has a scenario file for every invocation, and some Pester file runs every scenario file' -ForEach @(@{ Invoked = @($invocations | ForEach-Object { $_.Scenario }) }) {
        $files = @(Get-ChildItem -Path (Join-Path $PSScriptRoot '../Scenarios') -Filter '*.ps1' |
                Where-Object Name -ne 'Assert.ps1' |
                ForEach-Object Name)
        $files | Should -Not -BeNullOrEmpty
        $Invoked | Where-Object { $_ -notin $files } | Should -BeNullOrEmpty -Because 'every It above needs its scenario file'
        # Other files here (Pfx.Tests.ps1...) run their own scenarios; each scenario file must be named by one of them.
        $pesterText = (Get-ChildItem -Path $PSScriptRoot -Filter '*.Tests.ps1' | ForEach-Object { Get-Content -LiteralPath $_.FullName -Raw }) -join "`n"
        $files | Where-Object { $pesterText -notmatch ('(?<![\w.])' + [regex]::Escape($_) + '(?![\w.])') } | Should -BeNullOrEmpty -Because 'every scenario file needs an It in tests/Pester'
    }
}
