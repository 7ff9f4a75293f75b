<#
.SYNOPSIS
    Join-CertChain puts a shuffled bundle in order: leaf, intermediate, (root with -IncludeRoot), dropping a duplicate
    and an unrelated certificate and saying so with -Verbose; -OutFile writes the fullchain with the usual write rules.

.DESCRIPTION
    What administrators are sent is a pile: the root first, the intermediate twice, someone else's CA. The chain is
    made with the module's own internal CA (no peer needed). Checks the order by thumbprint, the verbose lines, the
    warning for a missing intermediate, -IntermediatePath with a directory, and -OutFile: written atomically, never
    over an existing file without -Force (OutputFileExists, the file keeps its bytes), nothing with -WhatIf.

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

$root = New-CertAuthority -CommonName 'Bundle Test Root CA' -KeyAlgorithm ECDSA
$intermediate = New-CertAuthority -CommonName 'Bundle Test Issuing CA' -KeyAlgorithm ECDSA -Issuer $root
$unrelated = New-CertAuthority -CommonName 'Unrelated Root CA' -KeyAlgorithm ECDSA
$leaf = New-CertRequest -CommonName 'www.example.com' -KeyAlgorithm ECDSA | Approve-CertRequest -Authority $intermediate -ValidDays 90

# --- A shuffled bundle: root, intermediate, someone else's CA, the leaf, the intermediate again, CRLF ---------------
$bundle = Join-Path $WorkDirectory 'from-the-ca.pem'
Set-Content -LiteralPath $bundle -Value (($root.ToPem() + $intermediate.ToPem() + "`n" + $unrelated.ToPem() + $leaf.ToPem() + "`n`n" + $intermediate.ToPem()) -replace "`r?`n", "`r`n") -NoNewline

$streams = @(Join-CertChain -Path $bundle -Verbose 4>&1)
$joined = @($streams | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
$verbose = @($streams | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object { $_.Message })
$joined | Should -HaveCount 1 -Because 'one leaf comes out of the bundle'
$joined[0].Thumbprint | Should -BeExactly $leaf.Thumbprint -Because 'the leaf is found wherever it is in the file'
@($joined[0].Chain | ForEach-Object { $_.Thumbprint }) | Should -BeExactly @($intermediate.Thumbprint) -Because 'the chain is the intermediate only: the duplicate, the unrelated CA and the root are left out'
$joined[0].CertificatePath | Should -BeExactly $bundle -Because 'the leaf names the file it came from'
@($verbose | Where-Object { $_ -match 'duplicate' -and $_ -match 'Bundle Test Issuing CA' }) | Should -HaveCount 1 -Because "-Verbose says the duplicate was dropped (verbose: $($verbose -join ', '))"
@($verbose | Where-Object { $_ -match 'Dropped' -and $_ -match 'Unrelated Root CA' }) | Should -HaveCount 1 -Because "-Verbose says the unrelated certificate was dropped (verbose: $($verbose -join ', '))"

$withRoot = @(Join-CertChain -Path $bundle -IncludeRoot)
@($withRoot[0].Chain | ForEach-Object { $_.Thumbprint }) | Should -BeExactly @($intermediate.Thumbprint, $root.Thumbprint) -Because '-IncludeRoot keeps the root last'

# --- Objects from the pipeline, in the wrong order ------------------------------------------------------------------
$fromObjects = @($root, $intermediate, $leaf | Join-CertChain -IncludeRoot)
$fromObjects | Should -HaveCount 1 -Because 'objects join like files'
@($fromObjects[0].Chain | ForEach-Object { $_.Thumbprint }) | Should -BeExactly @($intermediate.Thumbprint, $root.Thumbprint) -Because 'piped objects are ordered too'

# --- A missing intermediate is a warning that names it; -IntermediatePath with a directory supplies it ------------------
$leafOnly = Join-Path $WorkDirectory 'leaf-only.pem'
Set-Content -LiteralPath $leafOnly -Value ($leaf.ToPem()) -NoNewline
$alone = @(Join-CertChain -Path $leafOnly -WarningVariable missingWarnings -WarningAction SilentlyContinue)
$alone | Should -HaveCount 1 -Because 'the leaf still comes out'
$alone[0].Chain | Should -HaveCount 0 -Because 'no chain was found'
$missingWarnings | Should -HaveCount 1 -Because 'one warning for the missing intermediate'
"$($missingWarnings[0])" | Should -Match 'Bundle Test Issuing CA' -Because 'the warning names the missing issuer'

$pool = (New-Item -ItemType Directory -Path $WorkDirectory -Name 'ca-bundle').FullName
Set-Content -LiteralPath (Join-Path $pool 'unrelated.crt') -Value ($unrelated.ToPem()) -NoNewline
Set-Content -LiteralPath (Join-Path $pool 'issuing.pem') -Value ($intermediate.ToPem()) -NoNewline
Set-Content -LiteralPath (Join-Path $pool 'root.cer') -Value ($root.ToPem()) -NoNewline
Set-Content -LiteralPath (Join-Path $pool 'README.txt') -Value 'not a certificate' -NoNewline
$pooled = @(Join-CertChain -Path $leafOnly -IntermediatePath $pool -WarningVariable poolWarnings)
@($pooled[0].Chain | ForEach-Object { $_.Thumbprint }) | Should -BeExactly @($intermediate.Thumbprint) -Because 'the intermediate comes from the -IntermediatePath directory'
$poolWarnings | Should -HaveCount 0 -Because 'nothing is missing any more'

# --- -OutFile: the fullchain, then the write rules --------------------------------------------------------------------
$out = (New-Item -ItemType Directory -Path $WorkDirectory -Name 'out').FullName
$fullChain = Join-Path $out 'fullchain.pem'
$written = @(Join-CertChain -Path $bundle -OutFile $fullChain)
$written | Should -HaveCount 1 -Because '-OutFile still emits the leaf'
$written[0].FullChainPath | Should -BeExactly $fullChain -Because 'FullChainPath names the file written'
(Get-Content -LiteralPath $fullChain -Raw) | Should -BeExactly ($leaf.ToPem() + $intermediate.ToPem()) -Because 'the fullchain is the leaf then the intermediate'
(Test-CertChain -Path $fullChain -TrustedRootPath (Join-Path $pool 'root.cer') -DnsName 'www.example.com' -Quiet) | Should -BeTrue -Because 'the fullchain written tests clean'

$before = Get-DirectorySnapshot $WorkDirectory
$exists = Invoke-ScenarioCommand { Join-CertChain -Path $bundle -IncludeRoot -OutFile $fullChain }
$exists.Errors | Should -HaveCount 1
$exists.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'OutputFileExists,*'
$exists.Errors[0].CategoryInfo.Category | Should -Be 'ResourceExists'
$exists.Output | Should -HaveCount 0 -Because 'nothing is emitted when the file exists'
$exists.Errors[0].TargetObject | Should -BeExactly $fullChain -Because 'the error targets the existing file'
Compare-Object $before (Get-DirectorySnapshot $WorkDirectory) -CaseSensitive | Should -BeNullOrEmpty -Because 'an existing -OutFile is not replaced without -Force'

$whatIf = Join-Path $out 'whatif.pem'
$null = Join-CertChain -Path $bundle -OutFile $whatIf -WhatIf
Test-Path -LiteralPath $whatIf | Should -BeFalse -Because '-WhatIf writes nothing'
$null = Join-CertChain -Path $bundle -OutFile $fullChain -IncludeRoot -Force -WhatIf
Compare-Object $before (Get-DirectorySnapshot $WorkDirectory) -CaseSensitive | Should -BeNullOrEmpty -Because '-Force -WhatIf replaces nothing'

$forced = @(Join-CertChain -Path $bundle -IncludeRoot -OutFile $fullChain -Force)
$forced | Should -HaveCount 1 -Because '-Force writes'
(Get-Content -LiteralPath $fullChain -Raw) | Should -BeExactly ($leaf.ToPem() + $intermediate.ToPem() + $root.ToPem()) -Because '-Force replaces the fullchain, now with the root'
(Get-ScenarioFileNames $out) | Should -BeExactly @('fullchain.pem') -Because 'no temporary or backup file is left behind'
