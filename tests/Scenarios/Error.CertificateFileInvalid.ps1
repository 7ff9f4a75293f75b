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
. ([System.IO.Path]::Combine($PSScriptRoot, 'Assert.ps1'))

$WorkDirectory = Initialize-ScenarioDirectory $WorkDirectory
$good = New-ScenarioCertificate -Directory $WorkDirectory -Name 'good'
$goodPem = [System.IO.File]::ReadAllText($good.CertificatePath)

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
    [System.IO.File]::WriteAllBytes([System.IO.Path]::Combine($WorkDirectory, $name), $files[$name])
}

$output = [System.IO.Path]::Combine($WorkDirectory, 'out')
$before = Get-DirectorySnapshot $WorkDirectory

foreach ($name in $files.Keys) {
    $path = [System.IO.Path]::Combine($WorkDirectory, $name)
    $result = Assert-ErrorId { Import-CertFile -Path $path } 'CertificateFileInvalid' -Category InvalidData
    Assert-Count 0 $result.Output "no certificate comes out of '$name'"
    Assert-Equal $path $result.Errors[0].TargetObject "the error targets '$name'"
    Assert-Match $result.Errors[0].Exception.Message ([regex]::Escape($name)) 'the message names the file'

    $pipeline = Assert-ErrorId { Import-CertFile -Path $path | Export-CertPem -OutputDirectory $output } 'CertificateFileInvalid'
    Assert-Count 0 $pipeline.Output 'Export-CertPem gets nothing to write'
    Assert-DirectoryUnchanged $before $WorkDirectory "reading '$name' and exporting nothing must not change the disk"
}
