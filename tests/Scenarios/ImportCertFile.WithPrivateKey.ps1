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
. ([System.IO.Path]::Combine($PSScriptRoot, 'Assert.ps1'))

$skip = Get-OpenSslSkip -Require:$RequireOpenSsl
if ($skip) {
    return $skip
}

$WorkDirectory = Initialize-ScenarioDirectory $WorkDirectory
$password = 'key file password'
$rsaCertificate = [System.IO.Path]::Combine($WorkDirectory, 'rsa.crt')
$rsaPkcs8 = [System.IO.Path]::Combine($WorkDirectory, 'rsa-pkcs8.key')
$rsaEncrypted = [System.IO.Path]::Combine($WorkDirectory, 'rsa-encrypted.key')
$rsaPkcs1 = [System.IO.Path]::Combine($WorkDirectory, 'rsa-pkcs1.key')
$ecCertificate = [System.IO.Path]::Combine($WorkDirectory, 'ec.crt')
$ecSec1 = [System.IO.Path]::Combine($WorkDirectory, 'ec-sec1.key')

$null = Invoke-OpenSsl -ArgumentList @('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', $rsaPkcs8, '-out', $rsaCertificate, '-days', '30', '-subj', '/CN=rsa.example.com')
$null = Invoke-OpenSsl -ArgumentList @('pkcs8', '-topk8', '-in', $rsaPkcs8, '-v2', 'aes-256-cbc', '-out', $rsaEncrypted) -Password $password -PasswordOption '-passout'
# OpenSSL 3 writes PKCS#1 only when asked (-traditional); 1.1.1 has no such option and writes PKCS#1 by default.
$pkcs1 = Invoke-OpenSsl -ArgumentList @('rsa', '-in', $rsaPkcs8, '-traditional', '-out', $rsaPkcs1) -AllowFailure
if ($pkcs1.ExitCode -ne 0) {
    $null = Invoke-OpenSsl -ArgumentList @('rsa', '-in', $rsaPkcs8, '-out', $rsaPkcs1)
}

$null = Invoke-OpenSsl -ArgumentList @('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', $ecSec1)
$null = Invoke-OpenSsl -ArgumentList @('req', '-x509', '-key', $ecSec1, '-out', $ecCertificate, '-days', '30', '-subj', '/CN=ec.example.com')

Assert-Match ([System.IO.File]::ReadAllText($rsaPkcs8)) 'BEGIN PRIVATE KEY' 'openssl wrote PKCS#8'
Assert-Match ([System.IO.File]::ReadAllText($rsaEncrypted)) 'BEGIN ENCRYPTED PRIVATE KEY' 'openssl wrote encrypted PKCS#8'
Assert-Match ([System.IO.File]::ReadAllText($rsaPkcs1)) 'BEGIN RSA PRIVATE KEY' 'openssl wrote PKCS#1'
Assert-Match ([System.IO.File]::ReadAllText($ecSec1)) 'BEGIN EC PRIVATE KEY' 'openssl wrote SEC1'

# Without -KeyPath the certificate comes alone.
$alone = @(Import-CertFile -Path $rsaCertificate)
Assert-Count 1 $alone 'one certificate'
Assert-False $alone[0].HasPrivateKey 'without -KeyPath there is no key'
Assert-Equal $null $alone[0].KeyPath 'without -KeyPath there is no key file'

$cases = @(
    @{ Name = 'pkcs8'; Certificate = $rsaCertificate; Key = $rsaPkcs8; Password = $null; Algorithm = 'RSA 2048' }
    @{ Name = 'encrypted'; Certificate = $rsaCertificate; Key = $rsaEncrypted; Password = $password; Algorithm = 'RSA 2048' }
    @{ Name = 'pkcs1'; Certificate = $rsaCertificate; Key = $rsaPkcs1; Password = $null; Algorithm = 'RSA 2048' }
    @{ Name = 'sec1'; Certificate = $ecCertificate; Key = $ecSec1; Password = $null; Algorithm = 'ECDSA P-256' }
)

foreach ($case in $cases) {
    $importParameters = @{ Path = $case.Certificate; KeyPath = $case.Key }
    if ($null -ne $case.Password) {
        $importParameters['KeyPassword'] = New-ScenarioSecureString $case.Password
    }

    $imported = @(Import-CertFile @importParameters)
    Assert-Count 1 $imported "Import-CertFile -KeyPath ($($case.Name)) emits the one certificate"
    Assert-True $imported[0].HasPrivateKey "the $($case.Name) key should be attached"
    Assert-Equal $case.Key $imported[0].KeyPath "KeyPath names the $($case.Name) key file"
    Assert-Equal $case.Certificate $imported[0].CertificatePath 'CertificatePath names the certificate file'
    Assert-Equal $case.Algorithm $imported[0].KeyAlgorithm 'the key type'

    $exportDirectory = [System.IO.Path]::Combine($WorkDirectory, "export-$($case.Name)")
    $exported = $imported | Export-CertPem -OutputDirectory $exportDirectory
    $exportedKey = [System.IO.Path]::Combine($exportDirectory, 'key.pem')
    Assert-Equal $exportedKey $exported.KeyPath 'the re-exported key file'
    Assert-FileMode $exportedKey '600'
    Assert-Equal (Get-OpenSslPublicKey -Kind Certificate -Path $case.Certificate) (Get-OpenSslPublicKey -Kind Key -Path $exportedKey) "the key re-exported from the $($case.Name) file should be the certificate's key, unencrypted"
}
