# Dot-sourced by the *.Tests.ps1 files in BeforeAll: runs one tests/Scenarios script the way every Pester file does.
# Not a test file itself (Pester runs only *.Tests.ps1).

function Invoke-PesterScenario {
    # Runs one scenario in a new directory under $TestDrive; marks the It skipped when the scenario could not run
    # here (a peer is missing), except under CI=true, where a skip is a failure. -SkipAllowedOnWindows: the
    # scenario needs a Debian package that Windows never has (apache2), so a skip there is not a failure.
    param(
        [Parameter(Mandatory)][string] $Scenario,
        [hashtable] $Parameters = @{},
        [switch] $SkipAllowedOnWindows
    )

    $script = Join-Path $PSScriptRoot '..' 'Scenarios' $Scenario
    $arguments = @{ WorkDirectory = Join-Path $TestDrive ([guid]::NewGuid().ToString('N')) } + $Parameters
    $output = @(& $script @arguments)
    $skipped = @($output | Where-Object { $null -ne $_ -and $_.PSObject.TypeNames -contains 'CertCmdlets.ScenarioSkipped' })
    if ($skipped.Count -gt 0) {
        if ($env:CI -eq 'true' -and -not ($SkipAllowedOnWindows -and $IsWindows)) {
            throw "$Scenario was skipped under CI=true: $($skipped[0].Reason)"
        }

        Set-ItResult -Skipped -Because $skipped[0].Reason
        return
    }

    $output | Should -BeNullOrEmpty -Because 'a scenario emits nothing when it passes'
}
