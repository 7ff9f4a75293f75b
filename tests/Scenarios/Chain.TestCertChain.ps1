<#
.SYNOPSIS
    Test-CertChain judges a chain as a client would: -Quiet gives $true for a good fullchain and $false for a leaf
    without its intermediate; results name every problem in words; -DnsName follows the RFC 6125 wildcard rules.

.DESCRIPTION
    The chains come from the module's own internal CA, trusted through -TrustedRootPath (so the machine's store is
    not involved). Files and piped objects are both tested; -Verbose repeats the problems as lines.

.PARAMETER WorkDirectory
    An empty (or new) directory the scenario may fill.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)][string] $WorkDirectory
)

$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'Assert.ps1')

$WorkDirectory = Initialize-ScenarioDirectory $WorkDirectory
$caDirectory = (New-Item -ItemType Directory -Path $WorkDirectory -Name 'ca').FullName
$root = New-CertAuthority -CommonName 'Tester Root CA' -KeyAlgorithm ECDSA -OutputDirectory $caDirectory -Name 'root'
$rootFile = $root.CertificatePath
$intermediate = New-CertAuthority -CommonName 'Tester Issuing CA' -KeyAlgorithm ECDSA -Issuer $root
$leaf = New-CertRequest -CommonName 'www.example.com' -DnsName 'example.com' -KeyAlgorithm ECDSA | Approve-CertRequest -Authority $intermediate -ValidDays 120
$wildcard = New-CertRequest -CommonName '*.example.com' -KeyAlgorithm ECDSA | Approve-CertRequest -Authority $intermediate -ValidDays 120

$fullChain = Join-Path $WorkDirectory 'fullchain.pem'
Set-Content -LiteralPath $fullChain -Value ($leaf.ToPem() + $intermediate.ToPem()) -NoNewline
$leafOnly = Join-Path $WorkDirectory 'leaf-only.pem'
Set-Content -LiteralPath $leafOnly -Value ($leaf.ToPem()) -NoNewline
$wildcardChain = Join-Path $WorkDirectory 'wildcard.pem'
Set-Content -LiteralPath $wildcardChain -Value ($intermediate.ToPem() + $wildcard.ToPem()) -NoNewline

# --- -Quiet: $true and $false, nothing else -------------------------------------------------------------------------
$good = @(Test-CertChain -Path $fullChain -TrustedRootPath $rootFile -Quiet)
$good | Should -HaveCount 1 -Because 'one answer per leaf'
$good[0] | Should -BeTrue -Because 'a complete chain to a trusted root, in date, for a server, is good'
$bad = @(Test-CertChain -Path $leafOnly -TrustedRootPath $rootFile -Quiet)
$bad | Should -HaveCount 1 -Because 'one answer per leaf'
$bad[0] | Should -BeFalse -Because 'a leaf without its intermediate is not good'
(Test-CertChain -Path $fullChain -Quiet -TrustedRootPath (Join-Path $WorkDirectory 'leaf-only.pem')) | Should -BeFalse -Because 'a chain to a root that is not trusted is not good'

# --- The result object ----------------------------------------------------------------------------------------------
$result = Test-CertChain -Path $fullChain -TrustedRootPath $rootFile -DnsName 'www.example.com'
$result.IsValid | Should -BeTrue -Because 'no problem'
$result.IsComplete | Should -BeTrue -Because 'complete'
$result.IsTrusted | Should -BeTrue -Because 'trusted through -TrustedRootPath'
$result.NamesMatch | Should -BeTrue -Because 'www.example.com is covered'
$result.Problems | Should -HaveCount 0 -Because 'no problem lines'
$result.Chain | Should -BeExactly @($intermediate.Subject, $root.Subject) -Because 'the path found, leaf issuer first'

$incomplete = Test-CertChain -Path $leafOnly -TrustedRootPath $rootFile
$incomplete.IsComplete | Should -BeFalse -Because 'the intermediate is missing'
$incomplete.Problems | Should -HaveCount 1 -Because "one problem ($($incomplete.Problems -join ', '))"
$incomplete.Problems[0] | Should -Match 'Tester Issuing CA' -Because 'the problem names the missing intermediate'
$streams = @(Test-CertChain -Path $leafOnly -TrustedRootPath $rootFile -Quiet -Verbose 4>&1)
$verbose = @($streams | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object { $_.Message })
@($verbose | Where-Object { $_ -ceq $incomplete.Problems[0] }) | Should -Not -BeNullOrEmpty -Because "-Verbose shows the problem lines even with -Quiet (verbose: $($verbose -join ' | '))"

# --- Objects: Approve-CertRequest's output carries its chain --------------------------------------------------------
($leaf | Test-CertChain -TrustedRootPath $rootFile -Quiet) | Should -BeTrue -Because 'the approved certificate, with the chain it carries, is good'

# --- -DnsName by RFC 6125 -------------------------------------------------------------------------------------------
foreach ($case in @(
        @{ Name = 'a.example.com'; Covered = $true }
        @{ Name = 'WWW.Example.com'; Covered = $true }
        @{ Name = 'example.com'; Covered = $false }
        @{ Name = 'a.b.example.com'; Covered = $false }
        @{ Name = 'example.org'; Covered = $false }
    )) {
    $named = Test-CertChain -Path $wildcardChain -TrustedRootPath $rootFile -DnsName $case.Name
    $named.NamesMatch | Should -BeExactly $case.Covered -Because "*.example.com covering '$($case.Name)'"
    (Test-CertChain -Path $wildcardChain -TrustedRootPath $rootFile -DnsName $case.Name -Quiet) | Should -BeExactly $case.Covered -Because "-Quiet for '$($case.Name)'"
    if (-not $case.Covered) {
        ($named.Problems -join ' ') | Should -Match ([regex]::Escape($case.Name)) -Because 'the problem names the host that is not covered'
    }
}

(Test-CertChain -Path $fullChain -TrustedRootPath $rootFile -DnsName 'api.example.com' -Quiet) | Should -BeFalse -Because 'a name the leaf does not carry'

# --- A file that is not there is an error, and the others are still tested ----------------------------------------
$missing = Join-Path $WorkDirectory 'nope.pem'
$mixed = Invoke-ScenarioCommand { Test-CertChain -LiteralPath $missing, $fullChain -TrustedRootPath $rootFile -Quiet }
$mixed.Errors | Should -HaveCount 1
$mixed.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'FileNotFound,*'
@($mixed.Output) | Should -BeExactly @($true) -Because 'the good file is still tested'
