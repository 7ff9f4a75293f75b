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
. ([System.IO.Path]::Combine($PSScriptRoot, 'Assert.ps1'))

$WorkDirectory = Initialize-ScenarioDirectory $WorkDirectory
$right = New-ScenarioSecureString 'the right password'
$wrong = New-ScenarioSecureString 'a wrong password'
$site = New-ScenarioCertificate -Directory $WorkDirectory -Name 'site' -KeyPassword $right
Assert-Match ([System.IO.File]::ReadAllText($site.KeyPath)) 'BEGIN ENCRYPTED PRIVATE KEY' 'New-CertRequest -KeyPassword encrypts the key file'
$output = [System.IO.Path]::Combine($WorkDirectory, 'out')
$before = Get-DirectorySnapshot $WorkDirectory

# --- Import-CertFile -KeyPath ---------------------------------------------------------------------------------------
$import = Assert-ErrorId { Import-CertFile -Path $site.CertificatePath -KeyPath $site.KeyPath -KeyPassword $wrong } 'KeyPasswordIncorrect' -Category AuthenticationError -Terminating
Assert-Count 0 $import.Output 'no certificate without its key'
Assert-Equal $site.KeyPath $import.Errors[0].TargetObject 'the error targets the key file'
Assert-Match $import.Errors[0].Exception.Message 'password' 'the message says the password is the problem'
Assert-NotMatch $import.Errors[0].Exception.Message 'a wrong password' 'the message never repeats the password'

$exported = Assert-ErrorId { Import-CertFile -Path $site.CertificatePath -KeyPath $site.KeyPath -KeyPassword $wrong | Export-CertPem -OutputDirectory $output } 'KeyPasswordIncorrect' -Terminating
Assert-Count 0 $exported.Output 'nothing reaches Export-CertPem'

$noPassword = Assert-ErrorId { Import-CertFile -Path $site.CertificatePath -KeyPath $site.KeyPath } 'KeyPasswordRequired' -Category AuthenticationError -Terminating
Assert-Count 0 $noPassword.Output 'no certificate without its key'
Assert-DirectoryUnchanged $before $WorkDirectory 'a refused key password writes nothing'

# --- New-CertRequest -KeyPath (renewal) -----------------------------------------------------------------------------
$renewal = Assert-ErrorId { New-CertRequest -CommonName 'site.example.com' -KeyPath $site.KeyPath -KeyPassword $wrong -OutputDirectory $output } 'KeyPasswordIncorrect' -Category AuthenticationError
Assert-Count 0 $renewal.Output 'no request without the key'
$renewalWithout = Assert-ErrorId { New-CertRequest -CommonName 'site.example.com' -KeyPath $site.KeyPath -OutputDirectory $output } 'KeyPasswordRequired' -Category AuthenticationError
Assert-Count 0 $renewalWithout.Output 'no request without the key'
Assert-DirectoryUnchanged $before $WorkDirectory 'a refused key password writes no request'

# --- The right password works -----------------------------------------------------------------------------------
$opened = @(Import-CertFile -Path $site.CertificatePath -KeyPath $site.KeyPath -KeyPassword $right)
Assert-Count 1 $opened 'with the right password the certificate comes out'
Assert-True $opened[0].HasPrivateKey 'with the right password the key is attached'
