#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

<#
    Tab completion in a real pwsh (or Windows PowerShell 5.1), through TabExpansion2 as PSReadLine calls it: -Country
    gives ISO codes with the country's name as the tooltip, -KeySize its three sizes, and every parameter with a closed
    set of values (ValidateSet or an argument completer) offers values, never file names. The hosted-engine twin is
    tests/CertCmdlets.Tests/CompletionTests.cs.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../CertCmdlets.psd1') -Force

    function Get-Completion {
        param([string] $Line)
        (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches
    }
}

Describe 'Tab completion' {
    It '-Country G offers GB with "United Kingdom" as its tooltip' {
        $matches = @(Get-Completion 'New-CertRequest www.example.com -Country G')
        $gb = $matches | Where-Object CompletionText -EQ 'GB'
        $gb | Should -Not -BeNullOrEmpty
        $gb.ToolTip | Should -Be 'United Kingdom'
        $gb.ResultType | Should -Be 'ParameterValue'
    }

    It '-Country germ offers DE, and UK offers GB first' {
        @(Get-Completion 'New-CertRequest www.example.com -Country germ').CompletionText | Should -Contain 'DE'
        @(Get-Completion 'New-CertAuthority Root -Country UK')[0].CompletionText | Should -Be 'GB'
    }

    It '-KeySize offers 2048, 3072 and 4096' {
        @(Get-Completion 'New-CertRequest www.example.com -KeySize ').CompletionText | Should -Be @('2048', '3072', '4096')
    }

    It '<Line> offers <Expected>' -ForEach @(
        @{ Line = 'New-CertRequest x -KeyAlgorithm E'; Expected = 'ECDSA' }
        @{ Line = 'New-CertRequest x -Curve P5'; Expected = 'P521' }
        @{ Line = 'New-CertAuthority x -HashAlgorithm SHA3'; Expected = 'SHA384' }
        @{ Line = 'Set-ApacheSsl x -TlsProfile Old'; Expected = 'Old' }
    ) {
        @(Get-Completion $Line).CompletionText | Should -Be @($Expected)
    }

    It 'every closed set of every exported cmdlet offers values, not file names' {
        $failures = foreach ($command in Get-Command -Module CertCmdlets -CommandType Cmdlet) {
            foreach ($parameter in $command.Parameters.Values) {
                $closed = $parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] -or $_ -is [System.Management.Automation.ArgumentCompleterAttribute] }
                if ($closed -or $parameter.Name -in 'Country', 'KeySize', 'KeyAlgorithm', 'Curve', 'HashAlgorithm', 'TlsProfile') {
                    $offered = @(Get-Completion "$($command.Name) -$($parameter.Name) ")
                    if ($offered.Count -eq 0 -or @($offered | Where-Object ResultType -NE 'ParameterValue').Count -gt 0) {
                        "$($command.Name) -$($parameter.Name)"
                    }
                }
            }
        }

        $failures | Should -BeNullOrEmpty
    }
}
