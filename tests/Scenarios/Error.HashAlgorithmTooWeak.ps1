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
. (Join-Path $PSScriptRoot 'Assert.ps1')

$WorkDirectory = Initialize-ScenarioDirectory $WorkDirectory
$existing = New-ScenarioCertificate -Directory $WorkDirectory -Name 'existing'
$output = Join-Path $WorkDirectory 'out'
$before = Get-DirectorySnapshot $WorkDirectory

$newKey = Invoke-ScenarioCommand { New-CertRequest -CommonName 'www.example.com' -HashAlgorithm $HashAlgorithm -OutputDirectory $output }
$newKey.Errors | Should -HaveCount 1
$newKey.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'HashAlgorithmTooWeak,*'
$newKey.Errors[0].CategoryInfo.Category | Should -Be 'SecurityError'
$newKey.Errors[0].Exception.Message | Should -Match 'SHA256'
$newKey.Output | Should -HaveCount 0 -Because 'no request is emitted'
$newKey.Errors[0].TargetObject | Should -BeExactly $HashAlgorithm -Because 'the error targets the hash given'
Compare-Object $before (Get-DirectorySnapshot $WorkDirectory) -CaseSensitive | Should -BeNullOrEmpty -Because 'a refused hash writes nothing'

$renewal = Invoke-ScenarioCommand { New-CertRequest -CommonName 'www.example.com' -HashAlgorithm $HashAlgorithm -KeyPath $existing.KeyPath -OutputDirectory $output }
$renewal.Errors | Should -HaveCount 1
$renewal.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'HashAlgorithmTooWeak,*'
$renewal.Errors[0].CategoryInfo.Category | Should -Be 'SecurityError'
$renewal.Output | Should -HaveCount 0 -Because 'no renewal request is emitted'
Compare-Object $before (Get-DirectorySnapshot $WorkDirectory) -CaseSensitive | Should -BeNullOrEmpty -Because 'a refused hash writes nothing when renewing with an existing key'

$selfSigned = Invoke-ScenarioCommand { New-CertRequest -CommonName 'www.example.com' -HashAlgorithm $HashAlgorithm -SelfSign -OutputDirectory $output }
$selfSigned.Errors | Should -HaveCount 1
$selfSigned.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'HashAlgorithmTooWeak,*'
$selfSigned.Errors[0].CategoryInfo.Category | Should -Be 'SecurityError'
$selfSigned.Output | Should -HaveCount 0 -Because 'no certificate is emitted'
Compare-Object $before (Get-DirectorySnapshot $WorkDirectory) -CaseSensitive | Should -BeNullOrEmpty -Because 'a refused hash writes nothing for -SelfSign'
