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
. (Join-Path $PSScriptRoot 'Assert.ps1')

$WorkDirectory = Initialize-ScenarioDirectory $WorkDirectory
$siteA = New-ScenarioCertificate -Directory $WorkDirectory -Name 'site-a'
$siteB = New-ScenarioCertificate -Directory $WorkDirectory -Name 'site-b'
$output = Join-Path $WorkDirectory 'out'
$before = Get-DirectorySnapshot $WorkDirectory

$mismatch = Invoke-ScenarioCommand { Import-CertFile -Path $siteA.CertificatePath -KeyPath $siteB.KeyPath }
$mismatch.Errors | Should -HaveCount 1
$mismatch.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'CertificateKeyMismatch,*'
$mismatch.Errors[0].CategoryInfo.Category | Should -Be 'SecurityError'
$mismatch.Output | Should -HaveCount 0 -Because 'a certificate with the wrong key is not emitted'
$mismatch.Errors[0].TargetObject | Should -BeExactly $siteA.CertificatePath -Because 'the error targets the certificate file'
$mismatch.Errors[0].Exception.Message | Should -Match ([regex]::Escape('site-b.key')) -Because 'the message names the key file'
$mismatch.Errors[0].Exception.Message | Should -Match ([regex]::Escape('site-a.crt')) -Because 'the message names the certificate file'

$exported = Invoke-ScenarioCommand { Import-CertFile -Path $siteA.CertificatePath -KeyPath $siteB.KeyPath | Export-CertPem -OutputDirectory $output }
$exported.Errors | Should -HaveCount 1
$exported.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'CertificateKeyMismatch,*'
$exported.Output | Should -HaveCount 0 -Because 'Export-CertPem gets nothing to write'
Compare-Object $before (Get-DirectorySnapshot $WorkDirectory) -CaseSensitive | Should -BeNullOrEmpty -Because 'a mismatched key writes nothing'

$both = Invoke-ScenarioCommand { Import-CertFile -Path $siteA.CertificatePath, $siteB.CertificatePath -KeyPath $siteB.KeyPath }
$both.Errors | Should -HaveCount 1
$both.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'CertificateKeyMismatch,*'
$both.Output | Should -HaveCount 1 -Because 'the certificate the key fits still comes out'
$both.Output[0].Thumbprint | Should -BeExactly $siteB.Thumbprint -Because 'site-b comes out'
$both.Output[0].HasPrivateKey | Should -BeTrue -Because 'site-b carries its key'
$both.Output[0].KeyPath | Should -BeExactly $siteB.KeyPath -Because 'KeyPath names site-b.key'
