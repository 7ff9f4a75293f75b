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
. ([System.IO.Path]::Combine($PSScriptRoot, 'Assert.ps1'))

$WorkDirectory = Initialize-ScenarioDirectory $WorkDirectory

$root = New-CertAuthority -CommonName 'Bundle Test Root CA' -KeyAlgorithm ECDSA
$intermediate = New-CertAuthority -CommonName 'Bundle Test Issuing CA' -KeyAlgorithm ECDSA -Issuer $root
$unrelated = New-CertAuthority -CommonName 'Unrelated Root CA' -KeyAlgorithm ECDSA
$leaf = New-CertRequest -CommonName 'www.example.com' -KeyAlgorithm ECDSA | Approve-CertRequest -Authority $intermediate -ValidDays 90

# --- A shuffled bundle: root, intermediate, someone else's CA, the leaf, the intermediate again, CRLF ---------------
$bundle = [System.IO.Path]::Combine($WorkDirectory, 'from-the-ca.pem')
[System.IO.File]::WriteAllText($bundle, (($root.ToPem() + $intermediate.ToPem() + "`n" + $unrelated.ToPem() + $leaf.ToPem() + "`n`n" + $intermediate.ToPem()) -replace "`r?`n", "`r`n"))

$streams = @(Join-CertChain -Path $bundle -Verbose 4>&1)
$joined = @($streams | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
$verbose = @($streams | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object { $_.Message })
Assert-Count 1 $joined 'one leaf comes out of the bundle'
Assert-Equal $leaf.Thumbprint $joined[0].Thumbprint 'the leaf is found wherever it is in the file'
Assert-Equal @($intermediate.Thumbprint) @($joined[0].Chain | ForEach-Object { $_.Thumbprint }) 'the chain is the intermediate only: the duplicate, the unrelated CA and the root are left out'
Assert-Equal $bundle $joined[0].CertificatePath 'the leaf names the file it came from'
Assert-Count 1 @($verbose | Where-Object { $_ -match 'duplicate' -and $_ -match 'Bundle Test Issuing CA' }) "-Verbose says the duplicate was dropped (verbose: $(Format-ScenarioValue $verbose))"
Assert-Count 1 @($verbose | Where-Object { $_ -match 'Dropped' -and $_ -match 'Unrelated Root CA' }) "-Verbose says the unrelated certificate was dropped (verbose: $(Format-ScenarioValue $verbose))"

$withRoot = @(Join-CertChain -Path $bundle -IncludeRoot)
Assert-Equal @($intermediate.Thumbprint, $root.Thumbprint) @($withRoot[0].Chain | ForEach-Object { $_.Thumbprint }) '-IncludeRoot keeps the root last'

# --- Objects from the pipeline, in the wrong order ------------------------------------------------------------------
$fromObjects = @($root, $intermediate, $leaf | Join-CertChain -IncludeRoot)
Assert-Count 1 $fromObjects 'objects join like files'
Assert-Equal @($intermediate.Thumbprint, $root.Thumbprint) @($fromObjects[0].Chain | ForEach-Object { $_.Thumbprint }) 'piped objects are ordered too'

# --- A missing intermediate is a warning that names it; -IntermediatePath with a directory supplies it ------------------
$leafOnly = [System.IO.Path]::Combine($WorkDirectory, 'leaf-only.pem')
[System.IO.File]::WriteAllText($leafOnly, $leaf.ToPem())
$alone = @(Join-CertChain -Path $leafOnly -WarningVariable missingWarnings -WarningAction SilentlyContinue)
Assert-Count 1 $alone 'the leaf still comes out'
Assert-Count 0 $alone[0].Chain 'no chain was found'
Assert-Count 1 $missingWarnings 'one warning for the missing intermediate'
Assert-Match "$($missingWarnings[0])" 'Bundle Test Issuing CA' 'the warning names the missing issuer'

$pool = New-ScenarioDirectory -Parent $WorkDirectory -Name 'ca-bundle'
[System.IO.File]::WriteAllText([System.IO.Path]::Combine($pool, 'unrelated.crt'), $unrelated.ToPem())
[System.IO.File]::WriteAllText([System.IO.Path]::Combine($pool, 'issuing.pem'), $intermediate.ToPem())
[System.IO.File]::WriteAllText([System.IO.Path]::Combine($pool, 'root.cer'), $root.ToPem())
[System.IO.File]::WriteAllText([System.IO.Path]::Combine($pool, 'README.txt'), 'not a certificate')
$pooled = @(Join-CertChain -Path $leafOnly -IntermediatePath $pool -WarningVariable poolWarnings)
Assert-Equal @($intermediate.Thumbprint) @($pooled[0].Chain | ForEach-Object { $_.Thumbprint }) 'the intermediate comes from the -IntermediatePath directory'
Assert-Count 0 $poolWarnings 'nothing is missing any more'

# --- -OutFile: the fullchain, then the write rules --------------------------------------------------------------------
$out = New-ScenarioDirectory -Parent $WorkDirectory -Name 'out'
$fullChain = [System.IO.Path]::Combine($out, 'fullchain.pem')
$written = @(Join-CertChain -Path $bundle -OutFile $fullChain)
Assert-Count 1 $written '-OutFile still emits the leaf'
Assert-Equal $fullChain $written[0].FullChainPath 'FullChainPath names the file written'
Assert-Equal ($leaf.ToPem() + $intermediate.ToPem()) ([System.IO.File]::ReadAllText($fullChain)) 'the fullchain is the leaf then the intermediate'
Assert-True (Test-CertChain -Path $fullChain -TrustedRootPath ([System.IO.Path]::Combine($pool, 'root.cer')) -DnsName 'www.example.com' -Quiet) 'the fullchain written tests clean'

$before = Get-DirectorySnapshot $WorkDirectory
$exists = Assert-ErrorId { Join-CertChain -Path $bundle -IncludeRoot -OutFile $fullChain } 'OutputFileExists' -Category ResourceExists
Assert-Count 0 $exists.Output 'nothing is emitted when the file exists'
Assert-Equal $fullChain $exists.Errors[0].TargetObject 'the error targets the existing file'
Assert-DirectoryUnchanged $before $WorkDirectory 'an existing -OutFile is not replaced without -Force'

$whatIf = [System.IO.Path]::Combine($out, 'whatif.pem')
$null = Join-CertChain -Path $bundle -OutFile $whatIf -WhatIf
Assert-FileMissing $whatIf '-WhatIf writes nothing'
$null = Join-CertChain -Path $bundle -OutFile $fullChain -IncludeRoot -Force -WhatIf
Assert-DirectoryUnchanged $before $WorkDirectory '-Force -WhatIf replaces nothing'

$forced = @(Join-CertChain -Path $bundle -IncludeRoot -OutFile $fullChain -Force)
Assert-Count 1 $forced '-Force writes'
Assert-Equal ($leaf.ToPem() + $intermediate.ToPem() + $root.ToPem()) ([System.IO.File]::ReadAllText($fullChain)) '-Force replaces the fullchain, now with the root'
Assert-Equal @('fullchain.pem') (Get-ScenarioFileNames $out) 'no temporary or backup file is left behind'
