<#
.SYNOPSIS
    Import-CertFile -KeyPath attaches the keys openssl writes (PKCS#8 plain and encrypted, PKCS#1 RSA, SEC1 EC) to
    their certificates, and Export-CertPem writes that same key back out.

.DESCRIPTION
    Moving a certificate from a server set up with openssl: the certificate and its key come as separate files, the
    key in whichever form that openssl version wrote. Each form is imported with -KeyPath (and -KeyPassword for
    the encrypted one); the object must carry the key and name the key file, and piping it to Export-CertPem must
    write a key.pem whose public key openssl finds equal to the certificate's.

.PARAMETER WorkDirectory
    An empty (or new) directory the scenario may fill.

.PARAMETER RequireOpenSsl
    Throw when openssl is missing instead of returning the skipped marker (implied by CI=true).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)][string] $WorkDirectory,
    [switch] $RequireOpenSsl
)

$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'Assert.ps1')

$skip = Get-OpenSslSkip -Require:$RequireOpenSsl
if ($skip) {
    return $skip
}

$WorkDirectory = Initialize-ScenarioDirectory $WorkDirectory
$password = 'key file password'
$rsaCertificate = Join-Path $WorkDirectory 'rsa.crt'
$rsaPkcs8 = Join-Path $WorkDirectory 'rsa-pkcs8.key'
$rsaEncrypted = Join-Path $WorkDirectory 'rsa-encrypted.key'
$rsaPkcs1 = Join-Path $WorkDirectory 'rsa-pkcs1.key'
$ecCertificate = Join-Path $WorkDirectory 'ec.crt'
$ecSec1 = Join-Path $WorkDirectory 'ec-sec1.key'

$null = Invoke-OpenSsl -ArgumentList @('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', $rsaPkcs8, '-out', $rsaCertificate, '-days', '30', '-subj', '/CN=rsa.example.com')
$null = Invoke-OpenSsl -ArgumentList @('pkcs8', '-topk8', '-in', $rsaPkcs8, '-v2', 'aes-256-cbc', '-out', $rsaEncrypted) -Password $password -PasswordOption '-passout'
# OpenSSL 3 writes PKCS#1 only when asked (-traditional); 1.1.1 has no such option and writes PKCS#1 by default.
$pkcs1 = Invoke-OpenSsl -ArgumentList @('rsa', '-in', $rsaPkcs8, '-traditional', '-out', $rsaPkcs1) -AllowFailure
if ($pkcs1.ExitCode -ne 0) {
    $null = Invoke-OpenSsl -ArgumentList @('rsa', '-in', $rsaPkcs8, '-out', $rsaPkcs1)
}

$null = Invoke-OpenSsl -ArgumentList @('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', $ecSec1)
$null = Invoke-OpenSsl -ArgumentList @('req', '-x509', '-key', $ecSec1, '-out', $ecCertificate, '-days', '30', '-subj', '/CN=ec.example.com')

(Get-Content -LiteralPath $rsaPkcs8 -Raw) | Should -Match 'BEGIN PRIVATE KEY' -Because 'openssl wrote PKCS#8'
(Get-Content -LiteralPath $rsaEncrypted -Raw) | Should -Match 'BEGIN ENCRYPTED PRIVATE KEY' -Because 'openssl wrote encrypted PKCS#8'
(Get-Content -LiteralPath $rsaPkcs1 -Raw) | Should -Match 'BEGIN RSA PRIVATE KEY' -Because 'openssl wrote PKCS#1'
(Get-Content -LiteralPath $ecSec1 -Raw) | Should -Match 'BEGIN EC PRIVATE KEY' -Because 'openssl wrote SEC1'

# Without -KeyPath the certificate comes alone.
$alone = @(Import-CertFile -Path $rsaCertificate)
$alone | Should -HaveCount 1 -Because 'one certificate'
$alone[0].HasPrivateKey | Should -BeFalse -Because 'without -KeyPath there is no key'
$alone[0].KeyPath | Should -BeExactly $null -Because 'without -KeyPath there is no key file'

$cases = @(
    @{ Name = 'pkcs8'; Certificate = $rsaCertificate; Key = $rsaPkcs8; Password = $null; Algorithm = 'RSA 2048' }
    @{ Name = 'encrypted'; Certificate = $rsaCertificate; Key = $rsaEncrypted; Password = $password; Algorithm = 'RSA 2048' }
    @{ Name = 'pkcs1'; Certificate = $rsaCertificate; Key = $rsaPkcs1; Password = $null; Algorithm = 'RSA 2048' }
    @{ Name = 'sec1'; Certificate = $ecCertificate; Key = $ecSec1; Password = $null; Algorithm = 'ECDSA P-256' }
)

foreach ($case in $cases) {
    $importParameters = @{ Path = $case.Certificate; KeyPath = $case.Key }
    if ($null -ne $case.Password) {
        $importParameters['KeyPassword'] = ConvertTo-SecureString -String $case.Password -AsPlainText -Force
    }

    $imported = @(Import-CertFile @importParameters)
    $imported | Should -HaveCount 1 -Because "Import-CertFile -KeyPath ($($case.Name)) emits the one certificate"
    $imported[0].HasPrivateKey | Should -BeTrue -Because "the $($case.Name) key should be attached"
    $imported[0].KeyPath | Should -BeExactly $case.Key -Because "KeyPath names the $($case.Name) key file"
    $imported[0].CertificatePath | Should -BeExactly $case.Certificate -Because 'CertificatePath names the certificate file'
    $imported[0].KeyAlgorithm | Should -BeExactly $case.Algorithm -Because 'the key type'

    $exportDirectory = Join-Path $WorkDirectory "export-$($case.Name)"
    $exported = $imported | Export-CertPem -OutputDirectory $exportDirectory
    $exportedKey = Join-Path $exportDirectory 'key.pem'
    $exported.KeyPath | Should -BeExactly $exportedKey -Because 'the re-exported key file'
    if (-not $IsWindows) { Get-ScenarioFileMode $exportedKey | Should -BeExactly '600' -Because 'private keys must be readable by their owner only' }
    (Get-OpenSslPublicKey -Kind Key -Path $exportedKey) | Should -BeExactly (Get-OpenSslPublicKey -Kind Certificate -Path $case.Certificate) -Because "the key re-exported from the $($case.Name) file should be the certificate's key, unencrypted"
}
