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
. (Join-Path $PSScriptRoot 'Assert.ps1')

$WorkDirectory = Initialize-ScenarioDirectory $WorkDirectory
$certificates = (New-Item -ItemType Directory -Path $WorkDirectory -Name 'certs').FullName
$keys = (New-Item -ItemType Directory -Path $WorkDirectory -Name 'keys').FullName
$literal = (New-Item -ItemType Directory -Path $WorkDirectory -Name 'literal').FullName

$one = New-ScenarioCertificate -Directory $keys -Name 'one'
$two = New-ScenarioCertificate -Directory $keys -Name 'two'
$oneFile = Join-Path $certificates 'one.crt'
$twoFile = Join-Path $certificates 'two.crt'
$bracketFile = Join-Path $literal '[v1].crt'
Copy-Item -LiteralPath $one.CertificatePath -Destination $oneFile
Copy-Item -LiteralPath $two.CertificatePath -Destination $twoFile
Copy-Item -LiteralPath $one.CertificatePath -Destination $bracketFile

function Get-Thumbprints {
    param([object[]] $Certificates)

    return , @($Certificates | ForEach-Object { $_.Thumbprint })
}

Push-Location -LiteralPath $WorkDirectory
try {
    # --- Wildcards ------------------------------------------------------------------------------------------------
    $wildcard = @(Import-CertFile -Path (Join-Path 'certs' '*.crt'))
    $wildcard | Should -HaveCount 2 -Because 'certs/*.crt matches two files'
    $paths = @($wildcard | ForEach-Object { $_.CertificatePath })
    @($paths | Where-Object { $_ -ceq $oneFile }) | Should -Not -BeNullOrEmpty -Because "the wildcard match one.crt is read, and named by its full path (read: $($paths -join ', '))"
    @($paths | Where-Object { $_ -ceq $twoFile }) | Should -Not -BeNullOrEmpty -Because "the wildcard match two.crt is read, and named by its full path (read: $($paths -join ', '))"
    $positional = @(Import-CertFile (Join-Path 'certs' 't*.crt'))
    (Get-Thumbprints $positional) | Should -BeExactly @($two.Thumbprint) -Because '-Path is the first positional parameter'

    # --- -LiteralPath and its aliases -----------------------------------------------------------------------------
    $bracketRelative = Join-Path 'literal' '[v1].crt'
    $byLiteral = @(Import-CertFile -LiteralPath $bracketRelative)
    (Get-Thumbprints $byLiteral) | Should -BeExactly @($one.Thumbprint) -Because '-LiteralPath reads a file whose name has brackets'
    $byLiteral[0].CertificatePath | Should -BeExactly $bracketFile -Because 'the literal file, by its full path'
    (Get-Thumbprints @(Import-CertFile -LP $bracketRelative)) | Should -BeExactly @($one.Thumbprint) -Because '-LP is an alias of -LiteralPath'
    (Get-Thumbprints @(Import-CertFile -PSPath $bracketRelative)) | Should -BeExactly @($one.Thumbprint) -Because '-PSPath is an alias of -LiteralPath'
    $asWildcard = Invoke-ScenarioCommand { Import-CertFile -Path (Join-Path 'literal' '[v1].crt') }
    $asWildcard.Errors | Should -HaveCount 1
    $asWildcard.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'FileNotFound,*'
    $asWildcard.Errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    $asWildcard.Output | Should -HaveCount 0 -Because '-Path takes [v1] as a wildcard (v or 1), which matches nothing here'

    # --- The pipeline ----------------------------------------------------------------------------------------------
    $piped = @((Join-Path 'certs' 'one.crt'), (Join-Path 'certs' 'two.crt') | Import-CertFile)
    (Get-Thumbprints $piped) | Should -BeExactly @($one.Thumbprint, $two.Thumbprint) -Because 'piped path strings are read in order'

    $fileObjects = @(Get-ChildItem -LiteralPath $certificates -Filter '*.crt' -File)
    $fromFiles = @($fileObjects | Import-CertFile)
    @($fromFiles | ForEach-Object { $_.CertificatePath }) | Should -BeExactly @($fileObjects | ForEach-Object { $_.FullName }) -Because 'piped FileInfo objects bind by FullName and are read in order'

    $providerQualified = 'Microsoft.PowerShell.Core\FileSystem::' + $twoFile
    $fromPSPath = @([pscustomobject] @{ PSPath = $providerQualified } | Import-CertFile)
    (Get-Thumbprints $fromPSPath) | Should -BeExactly @($two.Thumbprint) -Because 'a piped object with a provider-qualified PSPath (what Get-ChildItem emits) binds -LiteralPath'
    $fromPSPath[0].CertificatePath | Should -BeExactly $twoFile -Because 'the provider-qualified path is reported as a plain file path'

    # --- A relative -KeyPath, from the PowerShell location ------------------------------------------------------
    $withKey = @(Import-CertFile -Path (Join-Path 'certs' 'one.crt') -KeyPath (Join-Path 'keys' 'one.key'))
    $withKey | Should -HaveCount 1 -Because 'the certificate comes with its key'
    $withKey[0].HasPrivateKey | Should -BeTrue -Because 'a relative -KeyPath is found from the PowerShell location'
    $withKey[0].KeyPath | Should -BeExactly $one.KeyPath -Because 'KeyPath is the full path of the key file'

    $passed = @($piped | Import-CertFile)
    $passed | Should -HaveCount 2 -Because 'certificate objects piped in come out'
    for ($i = 0; $i -lt 2; $i++) {
        ([object]::ReferenceEquals($piped[$i].PSObject.BaseObject, $passed[$i].PSObject.BaseObject)) | Should -BeTrue -Because "piped certificate object $i passes through as the same object"
    }

    $mixed = @(@($one, (Join-Path 'certs' 'two.crt')) | Import-CertFile)
    (Get-Thumbprints $mixed) | Should -BeExactly @($one.Thumbprint, $two.Thumbprint) -Because 'a pipeline may mix certificate objects and paths'
}
finally {
    Pop-Location
}
