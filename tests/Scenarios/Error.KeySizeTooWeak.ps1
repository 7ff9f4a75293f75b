<#
.SYNOPSIS
    An RSA key under 2048 bits is refused with KeySizeTooWeak and nothing written.

.DESCRIPTION
    Browsers and CAs reject RSA keys under 2048 bits. New-CertRequest -KeySize 1024 must stop before it makes a
    key, say which sizes to use, and leave the disk as it was: for a request and for -SelfSign.

.PARAMETER WorkDirectory
    An empty (or new) directory the scenario may fill.

.PARAMETER KeySize
    The weak size to try (default 1024).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)][string] $WorkDirectory,
    [int] $KeySize = 1024
)

$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'Assert.ps1')

$WorkDirectory = Initialize-ScenarioDirectory $WorkDirectory
$output = (New-Item -ItemType Directory -Path $WorkDirectory -Name 'out').FullName
Set-Content -LiteralPath (Join-Path $output 'readme.txt') -Value "keys go here`n" -NoNewline
$before = Get-DirectorySnapshot $WorkDirectory

$request = Invoke-ScenarioCommand { New-CertRequest -CommonName 'www.example.com' -KeySize $KeySize -OutputDirectory $output }
$request.Errors | Should -HaveCount 1
$request.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'KeySizeTooWeak,*'
$request.Errors[0].CategoryInfo.Category | Should -Be 'SecurityError'
$request.Errors[0].Exception.Message | Should -Match '2048'
$request.Output | Should -HaveCount 0 -Because 'no request is emitted'
$request.Errors[0].TargetObject | Should -BeExactly $KeySize -Because 'the error targets the size given'
Compare-Object $before (Get-DirectorySnapshot $WorkDirectory) -CaseSensitive | Should -BeNullOrEmpty -Because 'a refused key size writes nothing'

$selfSigned = Invoke-ScenarioCommand { New-CertRequest -CommonName 'www.example.com' -KeySize $KeySize -SelfSign -OutputDirectory $output }
$selfSigned.Errors | Should -HaveCount 1
$selfSigned.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'KeySizeTooWeak,*'
$selfSigned.Errors[0].CategoryInfo.Category | Should -Be 'SecurityError'
$selfSigned.Output | Should -HaveCount 0 -Because 'no certificate is emitted'
Compare-Object $before (Get-DirectorySnapshot $WorkDirectory) -CaseSensitive | Should -BeNullOrEmpty -Because 'a refused key size writes nothing for -SelfSign either'
