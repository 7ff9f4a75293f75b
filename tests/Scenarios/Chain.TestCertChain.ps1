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
. ([System.IO.Path]::Combine($PSScriptRoot, 'Assert.ps1'))

$WorkDirectory = Initialize-ScenarioDirectory $WorkDirectory
$caDirectory = New-ScenarioDirectory -Parent $WorkDirectory -Name 'ca'
$root = New-CertAuthority -CommonName 'Tester Root CA' -KeyAlgorithm ECDSA -OutputDirectory $caDirectory -Name 'root'
$rootFile = $root.CertificatePath
$intermediate = New-CertAuthority -CommonName 'Tester Issuing CA' -KeyAlgorithm ECDSA -Issuer $root
$leaf = New-CertRequest -CommonName 'www.example.com' -DnsName 'example.com' -KeyAlgorithm ECDSA | Approve-CertRequest -Authority $intermediate -ValidDays 120
$wildcard = New-CertRequest -CommonName '*.example.com' -KeyAlgorithm ECDSA | Approve-CertRequest -Authority $intermediate -ValidDays 120

$fullChain = [System.IO.Path]::Combine($WorkDirectory, 'fullchain.pem')
[System.IO.File]::WriteAllText($fullChain, $leaf.ToPem() + $intermediate.ToPem())
$leafOnly = [System.IO.Path]::Combine($WorkDirectory, 'leaf-only.pem')
[System.IO.File]::WriteAllText($leafOnly, $leaf.ToPem())
$wildcardChain = [System.IO.Path]::Combine($WorkDirectory, 'wildcard.pem')
[System.IO.File]::WriteAllText($wildcardChain, $intermediate.ToPem() + $wildcard.ToPem())

# --- -Quiet: $true and $false, nothing else -------------------------------------------------------------------------
$good = @(Test-CertChain -Path $fullChain -TrustedRootPath $rootFile -Quiet)
Assert-Count 1 $good 'one answer per leaf'
Assert-True $good[0] 'a complete chain to a trusted root, in date, for a server, is good'
$bad = @(Test-CertChain -Path $leafOnly -TrustedRootPath $rootFile -Quiet)
Assert-Count 1 $bad 'one answer per leaf'
Assert-False $bad[0] 'a leaf without its intermediate is not good'
Assert-False (Test-CertChain -Path $fullChain -Quiet -TrustedRootPath ([System.IO.Path]::Combine($WorkDirectory, 'leaf-only.pem'))) 'a chain to a root that is not trusted is not good'

# --- The result object ----------------------------------------------------------------------------------------------
$result = Test-CertChain -Path $fullChain -TrustedRootPath $rootFile -DnsName 'www.example.com'
Assert-True $result.IsValid 'no problem'
Assert-True $result.IsComplete 'complete'
Assert-True $result.IsTrusted 'trusted through -TrustedRootPath'
Assert-True $result.NamesMatch 'www.example.com is covered'
Assert-Count 0 $result.Problems 'no problem lines'
Assert-Equal @($intermediate.Subject, $root.Subject) $result.Chain 'the path found, leaf issuer first'

$incomplete = Test-CertChain -Path $leafOnly -TrustedRootPath $rootFile
Assert-False $incomplete.IsComplete 'the intermediate is missing'
Assert-Count 1 $incomplete.Problems "one problem ($(Format-ScenarioValue $incomplete.Problems))"
Assert-Match $incomplete.Problems[0] 'Tester Issuing CA' 'the problem names the missing intermediate'
$streams = @(Test-CertChain -Path $leafOnly -TrustedRootPath $rootFile -Quiet -Verbose 4>&1)
$verbose = @($streams | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object { $_.Message })
Assert-Contains $verbose $incomplete.Problems[0] '-Verbose shows the problem lines even with -Quiet'

# --- Objects: Approve-CertRequest's output carries its chain --------------------------------------------------------
Assert-True ($leaf | Test-CertChain -TrustedRootPath $rootFile -Quiet) 'the approved certificate, with the chain it carries, is good'

# --- -DnsName by RFC 6125 -------------------------------------------------------------------------------------------
foreach ($case in @(
        @{ Name = 'a.example.com'; Covered = $true }
        @{ Name = 'WWW.Example.com'; Covered = $true }
        @{ Name = 'example.com'; Covered = $false }
        @{ Name = 'a.b.example.com'; Covered = $false }
        @{ Name = 'example.org'; Covered = $false }
    )) {
    $named = Test-CertChain -Path $wildcardChain -TrustedRootPath $rootFile -DnsName $case.Name
    Assert-Equal $case.Covered $named.NamesMatch "*.example.com covering '$($case.Name)'"
    Assert-Equal $case.Covered (Test-CertChain -Path $wildcardChain -TrustedRootPath $rootFile -DnsName $case.Name -Quiet) "-Quiet for '$($case.Name)'"
    if (-not $case.Covered) {
        Assert-Match ($named.Problems -join ' ') ([regex]::Escape($case.Name)) 'the problem names the host that is not covered'
    }
}

Assert-False (Test-CertChain -Path $fullChain -TrustedRootPath $rootFile -DnsName 'api.example.com' -Quiet) 'a name the leaf does not carry'

# --- A file that is not there is an error, and the others are still tested ----------------------------------------
$missing = [System.IO.Path]::Combine($WorkDirectory, 'nope.pem')
$mixed = Assert-ErrorId { Test-CertChain -LiteralPath $missing, $fullChain -TrustedRootPath $rootFile -Quiet } 'FileNotFound'
Assert-Equal @($true) @($mixed.Output) 'the good file is still tested'
