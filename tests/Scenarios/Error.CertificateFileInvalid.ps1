<#
.SYNOPSIS
    Garbage given as a certificate file (text, random bytes, damaged PEM, an empty file) is refused with
    CertificateFileInvalid, and nothing is written down the pipeline.

.DESCRIPTION
    Each kind of garbage is read with Import-CertFile: exactly one non-terminating error, with the file as target
    and a message that names it, and no object. Piping the failed import into Export-CertPem -OutputDirectory
    must write nothing: the directory is left exactly as it was.

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
$good = New-ScenarioCertificate -Directory $WorkDirectory -Name 'good'
$goodPem = Get-Content -LiteralPath $good.CertificatePath -Raw

$files = [ordered] @{}
$files['text.crt'] = [System.Text.Encoding]::ASCII.GetBytes("Hello, this is not a certificate.`n")
$random = [System.Security.Cryptography.RandomNumberGenerator]::GetBytes(512)
$random[0] = 0x31 # not 0x30 (SEQUENCE): never valid DER by chance
$files['random.der'] = $random
# A PEM whose base64 body is broken in the middle, and one whose END line is missing.
$lines = $goodPem -split "`r?`n"
$lines[3] = '!!!! this line is not base64 !!!!'
$files['damaged.pem'] = [System.Text.Encoding]::ASCII.GetBytes(($lines -join "`n"))
$files['truncated.pem'] = [System.Text.Encoding]::ASCII.GetBytes($goodPem.Substring(0, $goodPem.IndexOf('-----END')))
$files['empty.crt'] = [byte[]]::new(0)
foreach ($name in $files.Keys) {
    Set-Content -LiteralPath (Join-Path $WorkDirectory $name) -Value ($files[$name]) -AsByteStream
}

$output = Join-Path $WorkDirectory 'out'
$before = Get-DirectorySnapshot $WorkDirectory

foreach ($name in $files.Keys) {
    $path = Join-Path $WorkDirectory $name
    $result = Invoke-ScenarioCommand { Import-CertFile -Path $path }
    $result.Errors | Should -HaveCount 1
    $result.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'CertificateFileInvalid,*'
    $result.Errors[0].CategoryInfo.Category | Should -Be 'InvalidData'
    $result.Output | Should -HaveCount 0 -Because "no certificate comes out of '$name'"
    $result.Errors[0].TargetObject | Should -BeExactly $path -Because "the error targets '$name'"
    $result.Errors[0].Exception.Message | Should -Match ([regex]::Escape($name)) -Because 'the message names the file'

    $pipeline = Invoke-ScenarioCommand { Import-CertFile -Path $path | Export-CertPem -OutputDirectory $output }
    $pipeline.Errors | Should -HaveCount 1
    $pipeline.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'CertificateFileInvalid,*'
    $pipeline.Output | Should -HaveCount 0 -Because 'Export-CertPem gets nothing to write'
    Compare-Object $before (Get-DirectorySnapshot $WorkDirectory) -CaseSensitive | Should -BeNullOrEmpty -Because "reading '$name' and exporting nothing must not change the disk"
}
