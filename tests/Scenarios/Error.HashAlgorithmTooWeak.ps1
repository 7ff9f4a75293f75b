<#
.SYNOPSIS
    MD5 and SHA-1 signatures are refused with HashAlgorithmTooWeak and nothing written, for a new key and for a
    renewal with an existing key.

.DESCRIPTION
    CAs refuse requests signed with broken hashes. New-CertRequest -HashAlgorithm MD5 or SHA1 must stop with a
    message naming the strong choices, without writing anything, also when -KeyPath reuses a key (the path where
    no new key is made and the hash is the only thing checked).

.PARAMETER WorkDirectory
    An empty (or new) directory the scenario may fill.

.PARAMETER HashAlgorithm
    The weak hash to try: MD5 (default) or SHA1.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)][string] $WorkDirectory,
    [string] $HashAlgorithm = 'MD5'
)

$ErrorActionPreference = 'Stop'
. ([System.IO.Path]::Combine($PSScriptRoot, 'Assert.ps1'))

$WorkDirectory = Initialize-ScenarioDirectory $WorkDirectory
$existing = New-ScenarioCertificate -Directory $WorkDirectory -Name 'existing'
$output = [System.IO.Path]::Combine($WorkDirectory, 'out')
$before = Get-DirectorySnapshot $WorkDirectory

$newKey = Assert-ErrorId { New-CertRequest -CommonName 'www.example.com' -HashAlgorithm $HashAlgorithm -OutputDirectory $output } 'HashAlgorithmTooWeak' -Category SecurityError -MessagePattern 'SHA256'
Assert-Count 0 $newKey.Output 'no request is emitted'
Assert-Equal $HashAlgorithm $newKey.Errors[0].TargetObject 'the error targets the hash given'
Assert-DirectoryUnchanged $before $WorkDirectory 'a refused hash writes nothing'

$renewal = Assert-ErrorId { New-CertRequest -CommonName 'www.example.com' -HashAlgorithm $HashAlgorithm -KeyPath $existing.KeyPath -OutputDirectory $output } 'HashAlgorithmTooWeak' -Category SecurityError
Assert-Count 0 $renewal.Output 'no renewal request is emitted'
Assert-DirectoryUnchanged $before $WorkDirectory 'a refused hash writes nothing when renewing with an existing key'

$selfSigned = Assert-ErrorId { New-CertRequest -CommonName 'www.example.com' -HashAlgorithm $HashAlgorithm -SelfSign -OutputDirectory $output } 'HashAlgorithmTooWeak' -Category SecurityError
Assert-Count 0 $selfSigned.Output 'no certificate is emitted'
Assert-DirectoryUnchanged $before $WorkDirectory 'a refused hash writes nothing for -SelfSign'
