<#
.SYNOPSIS
    A key that belongs to another certificate is refused with CertificateKeyMismatch and nothing is written; other
    certificates in the same call still get their key.

.DESCRIPTION
    Mixing up site-a.key and site-b.key is the classic reason Apache refuses to start. Import-CertFile -KeyPath
    must notice that the public keys differ, report it for that certificate file (non-terminating), emit nothing
    for it, and go on with the next file, which the key does fit.

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
$siteA = New-ScenarioCertificate -Directory $WorkDirectory -Name 'site-a'
$siteB = New-ScenarioCertificate -Directory $WorkDirectory -Name 'site-b'
$output = [System.IO.Path]::Combine($WorkDirectory, 'out')
$before = Get-DirectorySnapshot $WorkDirectory

$mismatch = Assert-ErrorId { Import-CertFile -Path $siteA.CertificatePath -KeyPath $siteB.KeyPath } 'CertificateKeyMismatch' -Category SecurityError
Assert-Count 0 $mismatch.Output 'a certificate with the wrong key is not emitted'
Assert-Equal $siteA.CertificatePath $mismatch.Errors[0].TargetObject 'the error targets the certificate file'
Assert-Match $mismatch.Errors[0].Exception.Message ([regex]::Escape('site-b.key')) 'the message names the key file'
Assert-Match $mismatch.Errors[0].Exception.Message ([regex]::Escape('site-a.crt')) 'the message names the certificate file'

$exported = Assert-ErrorId { Import-CertFile -Path $siteA.CertificatePath -KeyPath $siteB.KeyPath | Export-CertPem -OutputDirectory $output } 'CertificateKeyMismatch'
Assert-Count 0 $exported.Output 'Export-CertPem gets nothing to write'
Assert-DirectoryUnchanged $before $WorkDirectory 'a mismatched key writes nothing'

$both = Assert-ErrorId { Import-CertFile -Path $siteA.CertificatePath, $siteB.CertificatePath -KeyPath $siteB.KeyPath } 'CertificateKeyMismatch'
Assert-Count 1 $both.Output 'the certificate the key fits still comes out'
Assert-Equal $siteB.Thumbprint $both.Output[0].Thumbprint 'site-b comes out'
Assert-True $both.Output[0].HasPrivateKey 'site-b carries its key'
Assert-Equal $siteB.KeyPath $both.Output[0].KeyPath 'KeyPath names site-b.key'
