<#
.SYNOPSIS
    A self-signed certificate from New-CertRequest -SelfSign, piped to Export-CertPem, gives PEM files openssl reads.

.DESCRIPTION
    The quick way to a certificate for an internal test server: New-CertRequest -SelfSign | Export-CertPem
    -OutputDirectory. Checks that cert.pem, key.pem and fullchain.pem (and nothing else: no chain.pem without
    intermediates) are written, that openssl reads the certificate with the object's thumbprint, names and dates,
    that key.pem is an unencrypted key (mode 0600) matching the certificate, and that with -KeyPassword the key is
    encrypted: openssl reads it with that password only. Also New-CertRequest -SelfSign -OutputDirectory, which
    writes name.crt and name.key itself.

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
$plainDirectory = Join-Path $WorkDirectory 'plain'
$encryptedDirectory = Join-Path $WorkDirectory 'encrypted'
$password = 'correct horse battery staple'

# --- The certificate object ---------------------------------------------------------------------------------------
$certificate = New-CertRequest -CommonName 'intranet.example.com' -DnsName 'intranet.example.net' -SelfSign -ValidDays 30
$certificate | Should -HaveCount 1 -Because 'New-CertRequest -SelfSign should emit one certificate'
$certificate.PSObject.TypeNames[0] | Should -BeExactly 'CertCmdlets.CertificateInfo' -Because 'the output type of -SelfSign'
$certificate.HasPrivateKey | Should -BeTrue -Because 'a new self-signed certificate carries its key'
$certificate.CommonName | Should -BeExactly 'intranet.example.com' -Because 'CommonName'
$certificate.Issuer | Should -BeExactly $certificate.Subject -Because 'a self-signed certificate is its own issuer'
$certificate.DnsNames | Should -BeExactly @('intranet.example.com', 'intranet.example.net') -Because 'the CN and -DnsName in the subject alternative names'
($certificate.DaysRemaining -ge 29 -and $certificate.DaysRemaining -le 30) | Should -BeTrue -Because "-ValidDays 30 should leave 29 or 30 whole days (got $($certificate.DaysRemaining))"
$certificate.CertificatePath | Should -BeExactly $null -Because 'nothing was written yet'

# --- Export-CertPem -OutputDirectory, key unencrypted -------------------------------------------------------------
$exported = $certificate | Export-CertPem -OutputDirectory $plainDirectory
$certificateFile = Join-Path $plainDirectory 'cert.pem'
$keyFile = Join-Path $plainDirectory 'key.pem'
$fullChainFile = Join-Path $plainDirectory 'fullchain.pem'
(Get-ScenarioFileNames $plainDirectory) | Should -BeExactly @('cert.pem', 'fullchain.pem', 'key.pem') -Because 'Export-CertPem -OutputDirectory writes cert.pem, key.pem and fullchain.pem (chain.pem only when there are intermediates)'
$exported | Should -HaveCount 1 -Because 'Export-CertPem emits the certificate again'
$exported.Thumbprint | Should -BeExactly $certificate.Thumbprint -Because 'the same certificate comes out'
$exported.CertificatePath | Should -BeExactly $certificateFile -Because 'CertificatePath names cert.pem'
$exported.KeyPath | Should -BeExactly $keyFile -Because 'KeyPath names key.pem'
$exported.FullChainPath | Should -BeExactly $fullChainFile -Because 'FullChainPath names fullchain.pem'
$exported.ChainPath | Should -BeExactly $null -Because 'no chain file without intermediates'
if (-not $IsWindows) { Get-ScenarioFileMode $keyFile | Should -BeExactly '600' -Because 'private keys must be readable by their owner only' }
((Get-FileHash -LiteralPath $fullChainFile).Hash) | Should -BeExactly ((Get-FileHash -LiteralPath $certificateFile).Hash) -Because 'without intermediates the full chain is the certificate alone'

$fingerprint = Invoke-OpenSsl -ArgumentList @('x509', '-in', $certificateFile, '-noout', '-fingerprint', '-sha1')
(($fingerprint -replace '^.*Fingerprint=', '' -replace ':', '').Trim()) | Should -BeExactly $certificate.Thumbprint -Because 'openssl should compute the thumbprint the object shows'
$subject = Invoke-OpenSsl -ArgumentList @('x509', '-in', $certificateFile, '-noout', '-subject', '-nameopt', 'RFC2253')
$subject.Trim() | Should -BeExactly 'subject=CN=intranet.example.com' -Because 'openssl should read the subject'
$text = Invoke-OpenSsl -ArgumentList @('x509', '-in', $certificateFile, '-noout', '-text')
$text | Should -Match 'DNS:intranet\.example\.com, DNS:intranet\.example\.net' -Because 'openssl should read the subject alternative names'
$valid = Invoke-OpenSsl -ArgumentList @('x509', '-in', $certificateFile, '-noout', '-checkend', '0') -AllowFailure
$valid.ExitCode | Should -BeExactly 0 -Because "openssl should find the certificate valid now: $($valid.Output)"
$expiring = Invoke-OpenSsl -ArgumentList @('x509', '-in', $certificateFile, '-noout', '-checkend', [string](31 * 86400)) -AllowFailure
$expiring.ExitCode | Should -Not -BeExactly 0 -Because 'openssl should find that a 30-day certificate has expired 31 days from now'
$null = Invoke-OpenSsl -ArgumentList @('x509', '-in', $fullChainFile, '-noout')

$keyText = Get-Content -LiteralPath $keyFile -Raw
$keyText | Should -Match '-----BEGIN PRIVATE KEY-----' -Because 'without -KeyPassword key.pem is unencrypted PKCS#8'
$keyText | Should -Not -Match 'ENCRYPTED' -Because 'without -KeyPassword key.pem is not encrypted'
$certificatePublicKey = Get-OpenSslPublicKey -Kind Certificate -Path $certificateFile
(Get-OpenSslPublicKey -Kind Key -Path $keyFile) | Should -BeExactly $certificatePublicKey -Because 'openssl should read key.pem without a password, and it should be the certificate''s key'

# --- Export-CertPem -KeyPassword: an encrypted key openssl opens with the password --------------------------------
# Given relative: the directory is taken from the PowerShell location.
$secret = ConvertTo-SecureString -String $password -AsPlainText -Force
Push-Location -LiteralPath $WorkDirectory
try {
    $encrypted = $certificate | Export-CertPem -OutputDirectory 'encrypted' -KeyPassword $secret
}
finally {
    Pop-Location
}

(Get-ScenarioFileNames $encryptedDirectory) | Should -BeExactly @('cert.pem', 'fullchain.pem', 'key.pem') -Because 'a relative -OutputDirectory is taken from the PowerShell location'
$encryptedKeyFile = Join-Path $encryptedDirectory 'key.pem'
$encrypted.KeyPath | Should -BeExactly $encryptedKeyFile -Because 'KeyPath names the encrypted key.pem'
if (-not $IsWindows) { Get-ScenarioFileMode $encryptedKeyFile | Should -BeExactly '600' -Because 'private keys must be readable by their owner only' }
(Get-Content -LiteralPath $encryptedKeyFile -Raw) | Should -Match '-----BEGIN ENCRYPTED PRIVATE KEY-----' -Because 'with -KeyPassword key.pem is encrypted PKCS#8'
(Get-OpenSslPublicKey -Kind Key -Path $encryptedKeyFile -Password $password) | Should -BeExactly $certificatePublicKey -Because 'openssl should decrypt key.pem with the -KeyPassword password'
$withoutPassword = Invoke-OpenSsl -ArgumentList @('pkey', '-in', $encryptedKeyFile, '-noout', '-passin', 'pass:') -AllowFailure
$withoutPassword.ExitCode | Should -Not -BeExactly 0 -Because 'openssl must not read the encrypted key without its password'
$wrongPassword = Invoke-OpenSsl -ArgumentList @('pkey', '-in', $encryptedKeyFile, '-noout') -Password 'not the password' -AllowFailure
$wrongPassword.ExitCode | Should -Not -BeExactly 0 -Because 'openssl must not read the encrypted key with a wrong password'

# --- New-CertRequest -SelfSign -OutputDirectory: name.crt and name.key --------------------------------------------
$direct = New-CertRequest -CommonName '*.apps.example.com' -SelfSign -KeyAlgorithm ECDSA -OutputDirectory (Join-Path $WorkDirectory 'direct')
$directCertificate = Join-Path $WorkDirectory 'direct' 'wildcard.apps.example.com.crt'
$directKey = Join-Path $WorkDirectory 'direct' 'wildcard.apps.example.com.key'
(Get-ScenarioFileNames (Join-Path $WorkDirectory 'direct')) | Should -BeExactly @('wildcard.apps.example.com.crt', 'wildcard.apps.example.com.key') -Because 'a wildcard CN is written as wildcard.<domain>.crt and .key'
$direct.CertificatePath | Should -BeExactly $directCertificate -Because 'CertificatePath names the .crt written'
$direct.KeyPath | Should -BeExactly $directKey -Because 'KeyPath names the .key written'
if (-not $IsWindows) { Get-ScenarioFileMode $directKey | Should -BeExactly '600' -Because 'private keys must be readable by their owner only' }
(Get-OpenSslPublicKey -Kind Key -Path $directKey) | Should -BeExactly (Get-OpenSslPublicKey -Kind Certificate -Path $directCertificate) -Because 'openssl should read the .crt and its unencrypted .key as a pair'
