<#
.SYNOPSIS
    Import-CertFile takes files every way PowerShell users give them: wildcard -Path, -LiteralPath (and its
    aliases), piped strings, piped file objects, and certificate objects that pass through unchanged.

.DESCRIPTION
    The module itself makes the certificates (no peer needed). Relative paths are given from the PowerShell
    location. Checks that a wildcard expands to every match, that -LiteralPath takes '[' and ']' literally where
    -Path treats them as a wildcard, that piped strings and FileInfo objects are read in order, that certificate
    objects piped in come out as the very same objects, that strings and objects can be mixed in one pipeline, and
    that a relative -KeyPath is found from the PowerShell location too.

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
$certificates = New-ScenarioDirectory -Parent $WorkDirectory -Name 'certs'
$keys = New-ScenarioDirectory -Parent $WorkDirectory -Name 'keys'
$literal = New-ScenarioDirectory -Parent $WorkDirectory -Name 'literal'

$one = New-ScenarioCertificate -Directory $keys -Name 'one'
$two = New-ScenarioCertificate -Directory $keys -Name 'two'
$oneFile = [System.IO.Path]::Combine($certificates, 'one.crt')
$twoFile = [System.IO.Path]::Combine($certificates, 'two.crt')
$bracketFile = [System.IO.Path]::Combine($literal, '[v1].crt')
[System.IO.File]::Copy($one.CertificatePath, $oneFile)
[System.IO.File]::Copy($two.CertificatePath, $twoFile)
[System.IO.File]::Copy($one.CertificatePath, $bracketFile)

function Get-Thumbprints {
    param([object[]] $Certificates)

    return , @($Certificates | ForEach-Object { $_.Thumbprint })
}

Enter-ScenarioLocation $WorkDirectory
try {
    # --- Wildcards ------------------------------------------------------------------------------------------------
    $wildcard = @(Import-CertFile -Path ([System.IO.Path]::Combine('certs', '*.crt')))
    Assert-Count 2 $wildcard 'certs/*.crt matches two files'
    $paths = @($wildcard | ForEach-Object { $_.CertificatePath })
    Assert-Contains $paths $oneFile 'the wildcard match one.crt is read, and named by its full path'
    Assert-Contains $paths $twoFile 'the wildcard match two.crt is read, and named by its full path'
    $positional = @(Import-CertFile ([System.IO.Path]::Combine('certs', 't*.crt')))
    Assert-Equal @($two.Thumbprint) (Get-Thumbprints $positional) '-Path is the first positional parameter'

    # --- -LiteralPath and its aliases -----------------------------------------------------------------------------
    $bracketRelative = [System.IO.Path]::Combine('literal', '[v1].crt')
    $byLiteral = @(Import-CertFile -LiteralPath $bracketRelative)
    Assert-Equal @($one.Thumbprint) (Get-Thumbprints $byLiteral) '-LiteralPath reads a file whose name has brackets'
    Assert-Equal $bracketFile $byLiteral[0].CertificatePath 'the literal file, by its full path'
    Assert-Equal @($one.Thumbprint) (Get-Thumbprints @(Import-CertFile -LP $bracketRelative)) '-LP is an alias of -LiteralPath'
    Assert-Equal @($one.Thumbprint) (Get-Thumbprints @(Import-CertFile -PSPath $bracketRelative)) '-PSPath is an alias of -LiteralPath'
    $asWildcard = Assert-ErrorId { Import-CertFile -Path ([System.IO.Path]::Combine('literal', '[v1].crt')) } 'FileNotFound' -Category ObjectNotFound
    Assert-Count 0 $asWildcard.Output '-Path takes [v1] as a wildcard (v or 1), which matches nothing here'

    # --- The pipeline ----------------------------------------------------------------------------------------------
    $piped = @([System.IO.Path]::Combine('certs', 'one.crt'), [System.IO.Path]::Combine('certs', 'two.crt') | Import-CertFile)
    Assert-Equal @($one.Thumbprint, $two.Thumbprint) (Get-Thumbprints $piped) 'piped path strings are read in order'

    $fileObjects = @([System.IO.DirectoryInfo]::new($certificates).GetFiles('*.crt'))
    $fromFiles = @($fileObjects | Import-CertFile)
    Assert-Equal @($fileObjects | ForEach-Object { $_.FullName }) @($fromFiles | ForEach-Object { $_.CertificatePath }) 'piped FileInfo objects bind by FullName and are read in order'

    $providerQualified = 'Microsoft.PowerShell.Core\FileSystem::' + $twoFile
    $fromPSPath = @([pscustomobject] @{ PSPath = $providerQualified } | Import-CertFile)
    Assert-Equal @($two.Thumbprint) (Get-Thumbprints $fromPSPath) 'a piped object with a provider-qualified PSPath (what Get-ChildItem emits) binds -LiteralPath'
    Assert-Equal $twoFile $fromPSPath[0].CertificatePath 'the provider-qualified path is reported as a plain file path'

    # --- A relative -KeyPath, from the PowerShell location ------------------------------------------------------
    $withKey = @(Import-CertFile -Path ([System.IO.Path]::Combine('certs', 'one.crt')) -KeyPath ([System.IO.Path]::Combine('keys', 'one.key')))
    Assert-Count 1 $withKey 'the certificate comes with its key'
    Assert-True $withKey[0].HasPrivateKey 'a relative -KeyPath is found from the PowerShell location'
    Assert-Equal $one.KeyPath $withKey[0].KeyPath 'KeyPath is the full path of the key file'

    $passed = @($piped | Import-CertFile)
    Assert-Count 2 $passed 'certificate objects piped in come out'
    for ($i = 0; $i -lt 2; $i++) {
        Assert-True ([object]::ReferenceEquals($piped[$i].PSObject.BaseObject, $passed[$i].PSObject.BaseObject)) "piped certificate object $i passes through as the same object"
    }

    $mixed = @(@($one, [System.IO.Path]::Combine('certs', 'two.crt')) | Import-CertFile)
    Assert-Equal @($one.Thumbprint, $two.Thumbprint) (Get-Thumbprints $mixed) 'a pipeline may mix certificate objects and paths'
}
finally {
    Exit-ScenarioLocation
}
