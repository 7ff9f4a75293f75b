<#
.SYNOPSIS
    A wrong or missing password for an encrypted key is refused (KeyPasswordIncorrect, KeyPasswordRequired), with
    nothing written, by Import-CertFile -KeyPath and by New-CertRequest -KeyPath.

.DESCRIPTION
    The module encrypts a key with one password (New-CertRequest -SelfSign -KeyPassword); then the key is opened
    with another one, and with none. Without the key nothing asked for can be produced, so Import-CertFile stops
    (a terminating error) and emits no certificate; New-CertRequest writes no request. The right password, last,
    proves that the refusals were about the password.

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
$right = ConvertTo-SecureString -String 'the right password' -AsPlainText -Force
$wrong = ConvertTo-SecureString -String 'a wrong password' -AsPlainText -Force
$site = New-ScenarioCertificate -Directory $WorkDirectory -Name 'site' -KeyPassword $right
(Get-Content -LiteralPath $site.KeyPath -Raw) | Should -Match 'BEGIN ENCRYPTED PRIVATE KEY' -Because 'New-CertRequest -KeyPassword encrypts the key file'
$output = Join-Path $WorkDirectory 'out'
$before = Get-DirectorySnapshot $WorkDirectory

# --- Import-CertFile -KeyPath ---------------------------------------------------------------------------------------
$import = Invoke-ScenarioCommand { Import-CertFile -Path $site.CertificatePath -KeyPath $site.KeyPath -KeyPassword $wrong }
$import.Errors | Should -HaveCount 1
$import.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'KeyPasswordIncorrect,*'
$import.Errors[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
$import.Terminating | Should -Not -BeNullOrEmpty -Because 'KeyPasswordIncorrect stops the command (a terminating error)'
$import.Output | Should -HaveCount 0 -Because 'no certificate without its key'
$import.Errors[0].TargetObject | Should -BeExactly $site.KeyPath -Because 'the error targets the key file'
$import.Errors[0].Exception.Message | Should -Match 'password' -Because 'the message says the password is the problem'
$import.Errors[0].Exception.Message | Should -Not -Match 'a wrong password' -Because 'the message never repeats the password'

$exported = Invoke-ScenarioCommand { Import-CertFile -Path $site.CertificatePath -KeyPath $site.KeyPath -KeyPassword $wrong | Export-CertPem -OutputDirectory $output }
$exported.Errors | Should -HaveCount 1
$exported.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'KeyPasswordIncorrect,*'
$exported.Terminating | Should -Not -BeNullOrEmpty -Because 'KeyPasswordIncorrect stops the command (a terminating error)'
$exported.Output | Should -HaveCount 0 -Because 'nothing reaches Export-CertPem'

$noPassword = Invoke-ScenarioCommand { Import-CertFile -Path $site.CertificatePath -KeyPath $site.KeyPath }
$noPassword.Errors | Should -HaveCount 1
$noPassword.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'KeyPasswordRequired,*'
$noPassword.Errors[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
$noPassword.Terminating | Should -Not -BeNullOrEmpty -Because 'KeyPasswordRequired stops the command (a terminating error)'
$noPassword.Output | Should -HaveCount 0 -Because 'no certificate without its key'
Compare-Object $before (Get-DirectorySnapshot $WorkDirectory) -CaseSensitive | Should -BeNullOrEmpty -Because 'a refused key password writes nothing'

# --- New-CertRequest -KeyPath (renewal) -----------------------------------------------------------------------------
$renewal = Invoke-ScenarioCommand { New-CertRequest -CommonName 'site.example.com' -KeyPath $site.KeyPath -KeyPassword $wrong -OutputDirectory $output }
$renewal.Errors | Should -HaveCount 1
$renewal.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'KeyPasswordIncorrect,*'
$renewal.Errors[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
$renewal.Output | Should -HaveCount 0 -Because 'no request without the key'
$renewalWithout = Invoke-ScenarioCommand { New-CertRequest -CommonName 'site.example.com' -KeyPath $site.KeyPath -OutputDirectory $output }
$renewalWithout.Errors | Should -HaveCount 1
$renewalWithout.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'KeyPasswordRequired,*'
$renewalWithout.Errors[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
$renewalWithout.Output | Should -HaveCount 0 -Because 'no request without the key'
Compare-Object $before (Get-DirectorySnapshot $WorkDirectory) -CaseSensitive | Should -BeNullOrEmpty -Because 'a refused key password writes no request'

# --- The right password works -----------------------------------------------------------------------------------
$opened = @(Import-CertFile -Path $site.CertificatePath -KeyPath $site.KeyPath -KeyPassword $right)
$opened | Should -HaveCount 1 -Because 'with the right password the certificate comes out'
$opened[0].HasPrivateKey | Should -BeTrue -Because 'with the right password the key is attached'
