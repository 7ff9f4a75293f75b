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
. ([System.IO.Path]::Combine($PSScriptRoot, 'Assert.ps1'))

$WorkDirectory = Initialize-ScenarioDirectory $WorkDirectory
$output = New-ScenarioDirectory -Parent $WorkDirectory -Name 'out'
[System.IO.File]::WriteAllText([System.IO.Path]::Combine($output, 'readme.txt'), "keys go here`n")
$before = Get-DirectorySnapshot $WorkDirectory

$request = Assert-ErrorId { New-CertRequest -CommonName 'www.example.com' -KeySize $KeySize -OutputDirectory $output } 'KeySizeTooWeak' -Category SecurityError -MessagePattern '2048'
Assert-Count 0 $request.Output 'no request is emitted'
Assert-Equal $KeySize $request.Errors[0].TargetObject 'the error targets the size given'
Assert-DirectoryUnchanged $before $WorkDirectory 'a refused key size writes nothing'

$selfSigned = Assert-ErrorId { New-CertRequest -CommonName 'www.example.com' -KeySize $KeySize -SelfSign -OutputDirectory $output } 'KeySizeTooWeak' -Category SecurityError
Assert-Count 0 $selfSigned.Output 'no certificate is emitted'
Assert-DirectoryUnchanged $before $WorkDirectory 'a refused key size writes nothing for -SelfSign either'
