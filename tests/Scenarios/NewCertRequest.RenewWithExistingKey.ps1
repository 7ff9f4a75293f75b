<#
.SYNOPSIS
    Renewal with the same key: New-CertRequest -KeyPath existing.key makes a CSR for the key openssl made.

.DESCRIPTION
    Many sites renew with the key they already have (pinned keys, HSM-free setups). openssl makes the existing keys
    (RSA unencrypted, RSA encrypted with a password, ECDSA P-384); New-CertRequest -KeyPath reuses each one. Checks
    that the request carries the same public key (openssl req -pubkey against openssl pkey -pubout), that openssl
    verifies it, that -OutputDirectory gets only the .csr (the key is not copied or rewritten), that the existing key
    file is untouched, and that a relative -KeyPath is taken from the PowerShell location.

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
$password = 'renewal pass phrase'
$rsaKey = [System.IO.Path]::Combine($WorkDirectory, 'existing.key')
$encryptedKey = [System.IO.Path]::Combine($WorkDirectory, 'existing-encrypted.key')
$ecKey = [System.IO.Path]::Combine($WorkDirectory, 'existing-ec.key')
$null = Invoke-OpenSsl -ArgumentList @('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', $rsaKey)
$null = Invoke-OpenSsl -ArgumentList @('pkey', '-in', $rsaKey, '-aes256', '-out', $encryptedKey) -Password $password -PasswordOption '-passout'
$null = Invoke-OpenSsl -ArgumentList @('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384', '-out', $ecKey)
$keyHashes = @{}
foreach ($file in $rsaKey, $encryptedKey, $ecKey) {
    $keyHashes[$file] = Get-FileHashText $file
}

# --- Relative -KeyPath and -OutputDirectory, from the PowerShell location -----------------------------------------
Enter-ScenarioLocation $WorkDirectory
try {
    $renewal = New-CertRequest -CommonName 'www.example.com' -DnsName 'example.com' -Country 'DE' -KeyPath 'existing.key' -OutputDirectory 'renewal'
}
finally {
    Exit-ScenarioLocation
}

$renewalDirectory = [System.IO.Path]::Combine($WorkDirectory, 'renewal')
$requestFile = [System.IO.Path]::Combine($renewalDirectory, 'www.example.com.csr')
Assert-Equal @('www.example.com.csr') (Get-ScenarioFileNames $renewalDirectory) 'with -KeyPath only the request is written: the existing key is neither copied nor rewritten'
Assert-Count 1 $renewal 'one request object'
Assert-Equal $requestFile $renewal.RequestPath 'RequestPath names the .csr written'
Assert-Equal $rsaKey $renewal.KeyPath 'KeyPath names the existing key that was reused, resolved from the PowerShell location'
Assert-Equal 'RSA 2048' $renewal.KeyAlgorithm 'the existing key''s algorithm'
Assert-Match (Invoke-OpenSsl -ArgumentList @('req', '-in', $requestFile, '-noout', '-verify')) 'verify OK' 'openssl should verify the renewal request'
Assert-Equal (Get-OpenSslPublicKey -Kind Key -Path $rsaKey) (Get-OpenSslPublicKey -Kind Request -Path $requestFile) 'the renewal request should carry the existing key''s public key'

# --- An encrypted existing key, with its password ------------------------------------------------------------------
$fromEncrypted = New-CertRequest -CommonName 'www.example.com' -KeyPath $encryptedKey -KeyPassword (New-ScenarioSecureString $password)
Assert-Count 1 $fromEncrypted 'one request object'
Assert-Equal $null $fromEncrypted.RequestPath 'without -OutputDirectory nothing is written'
Assert-Equal $encryptedKey $fromEncrypted.KeyPath 'KeyPath names the encrypted key that was reused'
$pastedRequest = [System.IO.Path]::Combine($WorkDirectory, 'pasted.csr')
[System.IO.File]::WriteAllText($pastedRequest, $fromEncrypted.Pem)
Assert-Match (Invoke-OpenSsl -ArgumentList @('req', '-in', $pastedRequest, '-noout', '-verify')) 'verify OK' 'openssl should verify the request made with the decrypted key'
Assert-Equal (Get-OpenSslPublicKey -Kind Key -Path $encryptedKey -Password $password) (Get-OpenSslPublicKey -Kind Request -Path $pastedRequest) 'the request should carry the encrypted key''s public key'

# --- An ECDSA existing key keeps its curve --------------------------------------------------------------------------
$fromEc = New-CertRequest -CommonName 'www.example.com' -KeyPath $ecKey -HashAlgorithm SHA384 -OutputDirectory ([System.IO.Path]::Combine($WorkDirectory, 'ec')) -Name 'ec-renewal'
$ecRequest = [System.IO.Path]::Combine($WorkDirectory, 'ec', 'ec-renewal.csr')
Assert-Equal $ecRequest $fromEc.RequestPath '-Name sets the file name'
Assert-Equal 'ECDSA P-384' $fromEc.KeyAlgorithm 'the existing key''s curve is kept'
Assert-Equal (Get-OpenSslPublicKey -Kind Key -Path $ecKey) (Get-OpenSslPublicKey -Kind Request -Path $ecRequest) 'the request should carry the EC key''s public key'
Assert-Match (Invoke-OpenSsl -ArgumentList @('req', '-in', $ecRequest, '-noout', '-text')) 'ecdsa-with-SHA384' '-HashAlgorithm SHA384 signs with SHA-384'

foreach ($file in $rsaKey, $encryptedKey, $ecKey) {
    Assert-Equal $keyHashes[$file] (Get-FileHashText $file) "the existing key '$file' must be left as it was"
}
