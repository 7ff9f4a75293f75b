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
. (Join-Path $PSScriptRoot 'Assert.ps1')

$WorkDirectory = Initialize-ScenarioDirectory $WorkDirectory
$live = (New-Item -ItemType Directory -Path $WorkDirectory -Name 'live').FullName
$existingBytes = [System.Text.Encoding]::ASCII.GetBytes("the live file, which must survive`n")
$existingRequest = Join-Path $live 'www.example.com.csr'
$existingFullChain = Join-Path $live 'fullchain.pem'
Set-Content -LiteralPath $existingRequest -Value $existingBytes -AsByteStream
Set-Content -LiteralPath $existingFullChain -Value $existingBytes -AsByteStream
$certificate = New-CertRequest -CommonName 'www.example.com' -KeyAlgorithm ECDSA -SelfSign
$before = Get-DirectorySnapshot $WorkDirectory

# --- New-CertRequest: name.csr exists, so name.key must not be written either -------------------------------------
$request = Invoke-ScenarioCommand { New-CertRequest -CommonName 'www.example.com' -KeyAlgorithm ECDSA -OutputDirectory $live }
$request.Errors | Should -HaveCount 1
$request.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'OutputFileExists,*'
$request.Errors[0].CategoryInfo.Category | Should -Be 'ResourceExists'
$request.Errors[0].Exception.Message | Should -Match '-Force'
$request.Output | Should -HaveCount 0 -Because 'no request is emitted'
$request.Errors[0].TargetObject | Should -BeExactly $existingRequest -Because 'the error targets the existing file'
Test-Path -LiteralPath (Join-Path $live 'www.example.com.key') | Should -BeFalse -Because 'the key of a refused request is not written'
([System.Convert]::ToHexString((Get-Content -LiteralPath $existingRequest -AsByteStream -Raw))) | Should -BeExactly ([System.Convert]::ToHexString($existingBytes)) -Because 'the existing file keeps its bytes'
Compare-Object $before (Get-DirectorySnapshot $WorkDirectory) -CaseSensitive | Should -BeNullOrEmpty -Because 'a refused New-CertRequest writes nothing'

# --- Export-CertPem -OutputDirectory: fullchain.pem exists, so cert.pem and key.pem must not be written -------------
$export = Invoke-ScenarioCommand { $certificate | Export-CertPem -OutputDirectory $live }
$export.Errors | Should -HaveCount 1
$export.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'OutputFileExists,*'
$export.Errors[0].CategoryInfo.Category | Should -Be 'ResourceExists'
$export.Output | Should -HaveCount 0 -Because 'no object is emitted'
$export.Errors[0].TargetObject | Should -BeExactly $existingFullChain -Because 'the error targets the existing file'
Compare-Object $before (Get-DirectorySnapshot $WorkDirectory) -CaseSensitive | Should -BeNullOrEmpty -Because 'a refused Export-CertPem writes nothing, not even the files that did not exist'

# --- Export-CertPem with explicit paths ---------------------------------------------------------------------------
$newKey = Join-Path $live 'new.key'
$explicit = Invoke-ScenarioCommand { $certificate | Export-CertPem -KeyPath $newKey -CertificatePath $existingRequest }
$explicit.Errors | Should -HaveCount 1
$explicit.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'OutputFileExists,*'
$explicit.Errors[0].CategoryInfo.Category | Should -Be 'ResourceExists'
$explicit.Output | Should -HaveCount 0 -Because 'no object is emitted'
Test-Path -LiteralPath $newKey | Should -BeFalse -Because 'the key of a refused export is not written'
Compare-Object $before (Get-DirectorySnapshot $WorkDirectory) -CaseSensitive | Should -BeNullOrEmpty -Because 'a refused Export-CertPem with explicit paths writes nothing'

# --- -Force replaces ----------------------------------------------------------------------------------------------
$forced = $certificate | Export-CertPem -OutputDirectory $live -Force
$forced | Should -HaveCount 1 -Because '-Force writes and emits the object'
$forced.FullChainPath | Should -BeExactly $existingFullChain -Because 'FullChainPath names the replaced file'
(Get-Content -LiteralPath $existingFullChain -Raw) | Should -BeExactly $certificate.ToPem() -Because '-Force replaces fullchain.pem with the certificate'
if (-not $IsWindows) { Get-ScenarioFileMode (Join-Path $live 'key.pem') | Should -BeExactly '600' -Because 'private keys must be readable by their owner only' }
$forcedRequest = New-CertRequest -CommonName 'www.example.com' -KeyAlgorithm ECDSA -OutputDirectory $live -Force
$forcedRequest.Pem | Should -BeExactly (Get-Content -LiteralPath $existingRequest -Raw) -Because '-Force replaces the existing request'
$names = Get-ScenarioFileNames $live
$names | Should -BeExactly @('cert.pem', 'fullchain.pem', 'key.pem', 'www.example.com.csr', 'www.example.com.key') -Because 'no backup or temporary files are left behind'
