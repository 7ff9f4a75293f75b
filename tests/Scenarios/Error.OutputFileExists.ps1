<#
.SYNOPSIS
    An existing output file is never replaced without -Force: OutputFileExists, the file keeps its bytes, and none of
    the other files of the same command are written. With -Force the files are replaced.

.DESCRIPTION
    Overwriting a live key is the one mistake that cannot be undone. New-CertRequest -OutputDirectory and
    Export-CertPem (-OutputDirectory and explicit paths) are pointed at a directory where one of their files is
    already there; each must refuse before writing anything at all (the files of one command are a unit), and
    -Force then replaces them.

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
$live = New-ScenarioDirectory -Parent $WorkDirectory -Name 'live'
$existingBytes = [System.Text.Encoding]::ASCII.GetBytes("the live file, which must survive`n")
$existingRequest = [System.IO.Path]::Combine($live, 'www.example.com.csr')
$existingFullChain = [System.IO.Path]::Combine($live, 'fullchain.pem')
[System.IO.File]::WriteAllBytes($existingRequest, $existingBytes)
[System.IO.File]::WriteAllBytes($existingFullChain, $existingBytes)
$certificate = New-CertRequest -CommonName 'www.example.com' -KeyAlgorithm ECDSA -SelfSign
$before = Get-DirectorySnapshot $WorkDirectory

# --- New-CertRequest: name.csr exists, so name.key must not be written either -------------------------------------
$request = Assert-ErrorId { New-CertRequest -CommonName 'www.example.com' -KeyAlgorithm ECDSA -OutputDirectory $live } 'OutputFileExists' -Category ResourceExists -MessagePattern '-Force'
Assert-Count 0 $request.Output 'no request is emitted'
Assert-Equal $existingRequest $request.Errors[0].TargetObject 'the error targets the existing file'
Assert-FileMissing ([System.IO.Path]::Combine($live, 'www.example.com.key')) 'the key of a refused request is not written'
Assert-Equal ([System.Convert]::ToHexString($existingBytes)) ([System.Convert]::ToHexString([System.IO.File]::ReadAllBytes($existingRequest))) 'the existing file keeps its bytes'
Assert-DirectoryUnchanged $before $WorkDirectory 'a refused New-CertRequest writes nothing'

# --- Export-CertPem -OutputDirectory: fullchain.pem exists, so cert.pem and key.pem must not be written -------------
$export = Assert-ErrorId { $certificate | Export-CertPem -OutputDirectory $live } 'OutputFileExists' -Category ResourceExists
Assert-Count 0 $export.Output 'no object is emitted'
Assert-Equal $existingFullChain $export.Errors[0].TargetObject 'the error targets the existing file'
Assert-DirectoryUnchanged $before $WorkDirectory 'a refused Export-CertPem writes nothing, not even the files that did not exist'

# --- Export-CertPem with explicit paths ---------------------------------------------------------------------------
$newKey = [System.IO.Path]::Combine($live, 'new.key')
$explicit = Assert-ErrorId { $certificate | Export-CertPem -KeyPath $newKey -CertificatePath $existingRequest } 'OutputFileExists' -Category ResourceExists
Assert-Count 0 $explicit.Output 'no object is emitted'
Assert-FileMissing $newKey 'the key of a refused export is not written'
Assert-DirectoryUnchanged $before $WorkDirectory 'a refused Export-CertPem with explicit paths writes nothing'

# --- -Force replaces ----------------------------------------------------------------------------------------------
$forced = $certificate | Export-CertPem -OutputDirectory $live -Force
Assert-Count 1 $forced '-Force writes and emits the object'
Assert-Equal $existingFullChain $forced.FullChainPath 'FullChainPath names the replaced file'
Assert-Equal $certificate.ToPem() ([System.IO.File]::ReadAllText($existingFullChain)) '-Force replaces fullchain.pem with the certificate'
Assert-FileMode ([System.IO.Path]::Combine($live, 'key.pem')) '600'
$forcedRequest = New-CertRequest -CommonName 'www.example.com' -KeyAlgorithm ECDSA -OutputDirectory $live -Force
Assert-Equal ([System.IO.File]::ReadAllText($existingRequest)) $forcedRequest.Pem '-Force replaces the existing request'
$names = Get-ScenarioFileNames $live
Assert-Equal @('cert.pem', 'fullchain.pem', 'key.pem', 'www.example.com.csr', 'www.example.com.key') $names 'no backup or temporary files are left behind'
