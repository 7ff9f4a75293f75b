#Requires -Version 7.0

<#
    Certificates from an ACME CA on a real pwsh: the scenario tests/Scenarios/Acme.Pebble.ps1 against Debian's pebble
    and pebble-challtestsrv, which each case starts and stops on free ports of 127.0.0.1 (ApacheSite also a private
    httpd). One It per -Case, each in a new directory under $TestDrive. The scenario checks itself and throws on the
    first failure; this file only runs it. The hosted-engine tests (tests/CertCmdlets.Tests/AcmeScenarioTests.cs) run
    the same cases.

    Where pebble (or, for ApacheSite, apache2) is missing, the scenario returns the skipped marker and the It is
    skipped; always on Windows, which has neither. On Linux under CI=true the scenario throws instead, so the It fails.
#>

BeforeDiscovery {
    # Keep in step with s_cases in tests/CertCmdlets.Tests/AcmeScenarioTests.cs.
    $invocations = @(
        @{ Title = 'New-AcmeAccount asks for the terms; New-CertRequest | Request-AcmeCertificate -ListenPort | Export-CertPem writes a chain pebble''s root validates'; Scenario = 'Acme.Pebble.ps1'; Parameters = @{ Case = 'IssueAndExport' } }
        @{ Title = 'DNS-01 for a name and its wildcard through the user''s script blocks, checked at the resolver'; Scenario = 'Acme.Pebble.ps1'; Parameters = @{ Case = 'DnsScript' } }
        @{ Title = 'A name pointing elsewhere is refused (AcmeUnauthorized) and nothing is left behind'; Scenario = 'Acme.Pebble.ps1'; Parameters = @{ Case = 'Refused' } }
        @{ Title = 'Contact change, key rollover, revocation and deactivation'; Scenario = 'Acme.Pebble.ps1'; Parameters = @{ Case = 'AccountLifecycle' } }
        @{ Title = 'Update-AcmeRenewalInfo and a renewal naming the certificate it replaces'; Scenario = 'Acme.Pebble.ps1'; Parameters = @{ Case = 'Renewal' } }
        @{ Title = '-WhatIf contacts no CA and writes nothing'; Scenario = 'Acme.Pebble.ps1'; Parameters = @{ Case = 'WhatIf' } }
        @{ Title = 'pebble validates through a private httpd; Export-CertPem | Set-ApacheSsl | Enable-HttpsRedirect serves it; a renewal goes live'; Scenario = 'Acme.Pebble.ps1'; Parameters = @{ Case = 'ApacheSite' } }
    )
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../CertCmdlets.psd1') -Force

    . (Join-Path $PSScriptRoot 'ScenarioRunner.ps1')
}

Describe 'Certificates from an ACME CA (pebble)' {
    It '<Title>' -ForEach $invocations {
        Invoke-PesterScenario -Scenario $Scenario -Parameters $Parameters -SkipAllowedOnWindows
    }

    It 'runs every -Case of Acme.Pebble.ps1' -ForEach @(@{ Invoked = $invocations }) {
        $command = Get-Command (Join-Path $PSScriptRoot '../Scenarios/Acme.Pebble.ps1')
        $cases = $command.Parameters['Case'].Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | ForEach-Object ValidValues
        $invokedCases = @($Invoked | ForEach-Object { $_.Parameters.Case })
        $cases | Where-Object { $_ -notin $invokedCases } | Should -BeNullOrEmpty -Because 'every -Case needs an It above'
    }
}
