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
. ([System.IO.Path]::Combine($PSScriptRoot, 'Assert.ps1'))

$skip = Get-OpenSslSkip -Require:$RequireOpenSsl
if ($skip) {
    return $skip
}

$WorkDirectory = Initialize-ScenarioDirectory $WorkDirectory
$plainDirectory = [System.IO.Path]::Combine($WorkDirectory, 'plain')
$encryptedDirectory = [System.IO.Path]::Combine($WorkDirectory, 'encrypted')
$password = 'correct horse battery staple'

# --- The certificate object ---------------------------------------------------------------------------------------
$certificate = New-CertRequest -CommonName 'intranet.example.com' -DnsName 'intranet.example.net' -SelfSign -ValidDays 30
Assert-Count 1 $certificate 'New-CertRequest -SelfSign should emit one certificate'
Assert-Equal 'CertCmdlets.CertificateInfo' $certificate.PSObject.TypeNames[0] 'the output type of -SelfSign'
Assert-True $certificate.HasPrivateKey 'a new self-signed certificate carries its key'
Assert-Equal 'intranet.example.com' $certificate.CommonName 'CommonName'
Assert-Equal $certificate.Subject $certificate.Issuer 'a self-signed certificate is its own issuer'
Assert-Equal @('intranet.example.com', 'intranet.example.net') $certificate.DnsNames 'the CN and -DnsName in the subject alternative names'
Assert-True ($certificate.DaysRemaining -ge 29 -and $certificate.DaysRemaining -le 30) "-ValidDays 30 should leave 29 or 30 whole days (got $($certificate.DaysRemaining))"
Assert-Equal $null $certificate.CertificatePath 'nothing was written yet'

# --- Export-CertPem -OutputDirectory, key unencrypted -------------------------------------------------------------
$exported = $certificate | Export-CertPem -OutputDirectory $plainDirectory
$certificateFile = [System.IO.Path]::Combine($plainDirectory, 'cert.pem')
$keyFile = [System.IO.Path]::Combine($plainDirectory, 'key.pem')
$fullChainFile = [System.IO.Path]::Combine($plainDirectory, 'fullchain.pem')
Assert-Equal @('cert.pem', 'fullchain.pem', 'key.pem') (Get-ScenarioFileNames $plainDirectory) 'Export-CertPem -OutputDirectory writes cert.pem, key.pem and fullchain.pem (chain.pem only when there are intermediates)'
Assert-Count 1 $exported 'Export-CertPem emits the certificate again'
Assert-Equal $certificate.Thumbprint $exported.Thumbprint 'the same certificate comes out'
Assert-Equal $certificateFile $exported.CertificatePath 'CertificatePath names cert.pem'
Assert-Equal $keyFile $exported.KeyPath 'KeyPath names key.pem'
Assert-Equal $fullChainFile $exported.FullChainPath 'FullChainPath names fullchain.pem'
Assert-Equal $null $exported.ChainPath 'no chain file without intermediates'
Assert-FileMode $keyFile '600'
Assert-Equal (Get-FileHashText $certificateFile) (Get-FileHashText $fullChainFile) 'without intermediates the full chain is the certificate alone'

$fingerprint = Invoke-OpenSsl -ArgumentList @('x509', '-in', $certificateFile, '-noout', '-fingerprint', '-sha1')
Assert-Equal $certificate.Thumbprint (($fingerprint -replace '^.*Fingerprint=', '' -replace ':', '').Trim()) 'openssl should compute the thumbprint the object shows'
$subject = Invoke-OpenSsl -ArgumentList @('x509', '-in', $certificateFile, '-noout', '-subject', '-nameopt', 'RFC2253')
Assert-Equal 'subject=CN=intranet.example.com' $subject.Trim() 'openssl should read the subject'
$text = Invoke-OpenSsl -ArgumentList @('x509', '-in', $certificateFile, '-noout', '-text')
Assert-Match $text 'DNS:intranet\.example\.com, DNS:intranet\.example\.net' 'openssl should read the subject alternative names'
$valid = Invoke-OpenSsl -ArgumentList @('x509', '-in', $certificateFile, '-noout', '-checkend', '0') -AllowFailure
Assert-Equal 0 $valid.ExitCode "openssl should find the certificate valid now: $($valid.Output)"
$expiring = Invoke-OpenSsl -ArgumentList @('x509', '-in', $certificateFile, '-noout', '-checkend', [string](31 * 86400)) -AllowFailure
Assert-NotEqual 0 $expiring.ExitCode 'openssl should find that a 30-day certificate has expired 31 days from now'
$null = Invoke-OpenSsl -ArgumentList @('x509', '-in', $fullChainFile, '-noout')

$keyText = [System.IO.File]::ReadAllText($keyFile)
Assert-Match $keyText '-----BEGIN PRIVATE KEY-----' 'without -KeyPassword key.pem is unencrypted PKCS#8'
Assert-NotMatch $keyText 'ENCRYPTED' 'without -KeyPassword key.pem is not encrypted'
$certificatePublicKey = Get-OpenSslPublicKey -Kind Certificate -Path $certificateFile
Assert-Equal $certificatePublicKey (Get-OpenSslPublicKey -Kind Key -Path $keyFile) 'openssl should read key.pem without a password, and it should be the certificate''s key'

# --- Export-CertPem -KeyPassword: an encrypted key openssl opens with the password --------------------------------
# Given relative: the directory is taken from the PowerShell location.
$secret = New-ScenarioSecureString $password
Enter-ScenarioLocation $WorkDirectory
try {
    $encrypted = $certificate | Export-CertPem -OutputDirectory 'encrypted' -KeyPassword $secret
}
finally {
    Exit-ScenarioLocation
}

Assert-Equal @('cert.pem', 'fullchain.pem', 'key.pem') (Get-ScenarioFileNames $encryptedDirectory) 'a relative -OutputDirectory is taken from the PowerShell location'
$encryptedKeyFile = [System.IO.Path]::Combine($encryptedDirectory, 'key.pem')
Assert-Equal $encryptedKeyFile $encrypted.KeyPath 'KeyPath names the encrypted key.pem'
Assert-FileMode $encryptedKeyFile '600'
Assert-Match ([System.IO.File]::ReadAllText($encryptedKeyFile)) '-----BEGIN ENCRYPTED PRIVATE KEY-----' 'with -KeyPassword key.pem is encrypted PKCS#8'
Assert-Equal $certificatePublicKey (Get-OpenSslPublicKey -Kind Key -Path $encryptedKeyFile -Password $password) 'openssl should decrypt key.pem with the -KeyPassword password'
$withoutPassword = Invoke-OpenSsl -ArgumentList @('pkey', '-in', $encryptedKeyFile, '-noout', '-passin', 'pass:') -AllowFailure
Assert-NotEqual 0 $withoutPassword.ExitCode 'openssl must not read the encrypted key without its password'
$wrongPassword = Invoke-OpenSsl -ArgumentList @('pkey', '-in', $encryptedKeyFile, '-noout') -Password 'not the password' -AllowFailure
Assert-NotEqual 0 $wrongPassword.ExitCode 'openssl must not read the encrypted key with a wrong password'

# --- New-CertRequest -SelfSign -OutputDirectory: name.crt and name.key --------------------------------------------
$direct = New-CertRequest -CommonName '*.apps.example.com' -SelfSign -KeyAlgorithm ECDSA -OutputDirectory ([System.IO.Path]::Combine($WorkDirectory, 'direct'))
$directCertificate = [System.IO.Path]::Combine($WorkDirectory, 'direct', 'wildcard.apps.example.com.crt')
$directKey = [System.IO.Path]::Combine($WorkDirectory, 'direct', 'wildcard.apps.example.com.key')
Assert-Equal @('wildcard.apps.example.com.crt', 'wildcard.apps.example.com.key') (Get-ScenarioFileNames ([System.IO.Path]::Combine($WorkDirectory, 'direct'))) 'a wildcard CN is written as wildcard.<domain>.crt and .key'
Assert-Equal $directCertificate $direct.CertificatePath 'CertificatePath names the .crt written'
Assert-Equal $directKey $direct.KeyPath 'KeyPath names the .key written'
Assert-FileMode $directKey '600'
Assert-Equal (Get-OpenSslPublicKey -Kind Certificate -Path $directCertificate) (Get-OpenSslPublicKey -Kind Key -Path $directKey) 'openssl should read the .crt and its unencrypted .key as a pair'
