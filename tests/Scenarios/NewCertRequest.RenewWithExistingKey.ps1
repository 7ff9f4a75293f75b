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
. (Join-Path $PSScriptRoot 'Assert.ps1')

$skip = Get-OpenSslSkip -Require:$RequireOpenSsl
if ($skip) {
    return $skip
}

$WorkDirectory = Initialize-ScenarioDirectory $WorkDirectory
$password = 'renewal pass phrase'
$rsaKey = Join-Path $WorkDirectory 'existing.key'
$encryptedKey = Join-Path $WorkDirectory 'existing-encrypted.key'
$ecKey = Join-Path $WorkDirectory 'existing-ec.key'
$null = Invoke-OpenSsl -ArgumentList @('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', $rsaKey)
$null = Invoke-OpenSsl -ArgumentList @('pkey', '-in', $rsaKey, '-aes256', '-out', $encryptedKey) -Password $password -PasswordOption '-passout'
$null = Invoke-OpenSsl -ArgumentList @('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384', '-out', $ecKey)
$keyHashes = @{}
foreach ($file in $rsaKey, $encryptedKey, $ecKey) {
    $keyHashes[$file] = (Get-FileHash -LiteralPath $file).Hash
}

# --- Relative -KeyPath and -OutputDirectory, from the PowerShell location -----------------------------------------
Push-Location -LiteralPath $WorkDirectory
try {
    $renewal = New-CertRequest -CommonName 'www.example.com' -DnsName 'example.com' -Country 'DE' -KeyPath 'existing.key' -OutputDirectory 'renewal'
}
finally {
    Pop-Location
}

$renewalDirectory = Join-Path $WorkDirectory 'renewal'
$requestFile = Join-Path $renewalDirectory 'www.example.com.csr'
(Get-ScenarioFileNames $renewalDirectory) | Should -BeExactly @('www.example.com.csr') -Because 'with -KeyPath only the request is written: the existing key is neither copied nor rewritten'
$renewal | Should -HaveCount 1 -Because 'one request object'
$renewal.RequestPath | Should -BeExactly $requestFile -Because 'RequestPath names the .csr written'
$renewal.KeyPath | Should -BeExactly $rsaKey -Because 'KeyPath names the existing key that was reused, resolved from the PowerShell location'
$renewal.KeyAlgorithm | Should -BeExactly 'RSA 2048' -Because 'the existing key''s algorithm'
(Invoke-OpenSsl -ArgumentList @('req', '-in', $requestFile, '-noout', '-verify')) | Should -Match 'verify OK' -Because 'openssl should verify the renewal request'
(Get-OpenSslPublicKey -Kind Request -Path $requestFile) | Should -BeExactly (Get-OpenSslPublicKey -Kind Key -Path $rsaKey) -Because 'the renewal request should carry the existing key''s public key'

# --- An encrypted existing key, with its password ------------------------------------------------------------------
$fromEncrypted = New-CertRequest -CommonName 'www.example.com' -KeyPath $encryptedKey -KeyPassword (ConvertTo-SecureString -String $password -AsPlainText -Force)
$fromEncrypted | Should -HaveCount 1 -Because 'one request object'
$fromEncrypted.RequestPath | Should -BeExactly $null -Because 'without -OutputDirectory nothing is written'
$fromEncrypted.KeyPath | Should -BeExactly $encryptedKey -Because 'KeyPath names the encrypted key that was reused'
$pastedRequest = Join-Path $WorkDirectory 'pasted.csr'
Set-Content -LiteralPath $pastedRequest -Value $fromEncrypted.Pem -NoNewline
(Invoke-OpenSsl -ArgumentList @('req', '-in', $pastedRequest, '-noout', '-verify')) | Should -Match 'verify OK' -Because 'openssl should verify the request made with the decrypted key'
(Get-OpenSslPublicKey -Kind Request -Path $pastedRequest) | Should -BeExactly (Get-OpenSslPublicKey -Kind Key -Path $encryptedKey -Password $password) -Because 'the request should carry the encrypted key''s public key'

# --- An ECDSA existing key keeps its curve --------------------------------------------------------------------------
$fromEc = New-CertRequest -CommonName 'www.example.com' -KeyPath $ecKey -HashAlgorithm SHA384 -OutputDirectory (Join-Path $WorkDirectory 'ec') -Name 'ec-renewal'
$ecRequest = Join-Path $WorkDirectory 'ec' 'ec-renewal.csr'
$fromEc.RequestPath | Should -BeExactly $ecRequest -Because '-Name sets the file name'
$fromEc.KeyAlgorithm | Should -BeExactly 'ECDSA P-384' -Because 'the existing key''s curve is kept'
(Get-OpenSslPublicKey -Kind Request -Path $ecRequest) | Should -BeExactly (Get-OpenSslPublicKey -Kind Key -Path $ecKey) -Because 'the request should carry the EC key''s public key'
(Invoke-OpenSsl -ArgumentList @('req', '-in', $ecRequest, '-noout', '-text')) | Should -Match 'ecdsa-with-SHA384' -Because '-HashAlgorithm SHA384 signs with SHA-384'

foreach ($file in $rsaKey, $encryptedKey, $ecKey) {
    ((Get-FileHash -LiteralPath $file).Hash) | Should -BeExactly $keyHashes[$file] -Because "the existing key '$file' must be left as it was"
}
