<#
.SYNOPSIS
    New-CertRequest writes a new private key and a CSR into a directory, and openssl accepts the CSR.

.DESCRIPTION
    The first thing an administrator does for a new site: make a key and a certificate signing request with the
    site's names, to paste into a CA's form. Checks that -OutputDirectory (given relative) is taken from the
    PowerShell location, that exactly name.key and name.csr appear there, that the key is readable by its owner
    only, that the object returned names both files, and that openssl verifies the request's signature and
    reads the same subject, names and public key. With -KeyPassword the new key is encrypted, and openssl opens it
    with that password only.

.PARAMETER WorkDirectory
    An empty (or new) directory the scenario may fill.

.PARAMETER KeyAlgorithm
    RSA (default) or ECDSA.

.PARAMETER RequireOpenSsl
    Throw when openssl is missing instead of returning the skipped marker (implied by CI=true).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)][string] $WorkDirectory,
    [ValidateSet('RSA', 'ECDSA')][string] $KeyAlgorithm = 'RSA',
    [switch] $RequireOpenSsl
)

$ErrorActionPreference = 'Stop'
. ([System.IO.Path]::Combine($PSScriptRoot, 'Assert.ps1'))

$skip = Get-OpenSslSkip -Require:$RequireOpenSsl
if ($skip) {
    return $skip
}

$WorkDirectory = Initialize-ScenarioDirectory $WorkDirectory

# A name no other test uses, so that finding it under the process directory could only mean a wrong resolution.
$relativeOutput = 'requests-' + [guid]::NewGuid().ToString('N')
$algorithmParameters = @{}
if ($KeyAlgorithm -eq 'ECDSA') {
    $algorithmParameters['KeyAlgorithm'] = 'ECDSA'
}

Enter-ScenarioLocation $WorkDirectory
try {
    $request = New-CertRequest -CommonName 'www.example.com' -DnsName 'example.com', '*.example.com' -IpAddress '192.0.2.10' `
        -Organization 'Example Ltd' -Locality 'London' -Country 'GB' -OutputDirectory $relativeOutput @algorithmParameters
}
finally {
    Exit-ScenarioLocation
}

# The files, where the PowerShell location says.
$outputDirectory = [System.IO.Path]::Combine($WorkDirectory, $relativeOutput)
$keyFile = [System.IO.Path]::Combine($outputDirectory, 'www.example.com.key')
$requestFile = [System.IO.Path]::Combine($outputDirectory, 'www.example.com.csr')
Assert-True ([System.IO.Directory]::Exists($outputDirectory)) "the relative -OutputDirectory '$relativeOutput' should be created under the PowerShell location '$WorkDirectory'"
if ([System.Environment]::CurrentDirectory -ne $WorkDirectory) {
    Assert-FileMissing ([System.IO.Path]::Combine([System.Environment]::CurrentDirectory, $relativeOutput)) 'a relative -OutputDirectory must be resolved against the PowerShell location, not the process directory'
}

$written = Get-ScenarioFileNames $outputDirectory
Assert-Equal @('www.example.com.csr', 'www.example.com.key') $written 'exactly the key and the request should be written (no temporary files left)'
Assert-FileMode $keyFile '600'
$keyText = [System.IO.File]::ReadAllText($keyFile)
Assert-Match $keyText '-----BEGIN PRIVATE KEY-----' 'without -KeyPassword the key is written as unencrypted PKCS#8'

# The object.
Assert-Count 1 $request 'New-CertRequest should emit one request object'
Assert-Equal 'CertCmdlets.CertificateRequestInfo' $request.PSObject.TypeNames[0] 'the output type'
Assert-Equal $requestFile $request.RequestPath 'RequestPath should be the full path of the .csr written'
Assert-Equal $keyFile $request.KeyPath 'KeyPath should be the full path of the .key written'
Assert-True $request.HasPrivateKey 'the request object carries its new key'
Assert-Equal 'www.example.com' $request.CommonName 'CommonName'
Assert-Equal @('www.example.com', 'example.com', '*.example.com') $request.DnsNames 'a host-name CN is added to the DNS names first, then -DnsName in order'
Assert-Equal @('192.0.2.10') $request.IpAddresses 'IpAddresses'
$expectedKey = if ($KeyAlgorithm -eq 'ECDSA') { 'ECDSA P-256' } else { 'RSA 2048' }
Assert-Equal $expectedKey $request.KeyAlgorithm 'the default key of the algorithm'
Assert-Equal ([System.IO.File]::ReadAllText($requestFile)) $request.Pem 'Pem is the text of the .csr file'
Assert-NotMatch ("$request") 'PRIVATE KEY' 'ToString never shows key material'

# openssl, the peer a CA runs.
$verify = Invoke-OpenSsl -ArgumentList @('req', '-in', $requestFile, '-noout', '-verify')
Assert-Match $verify 'verify OK' 'openssl should verify the request''s self-signature'
$subject = Invoke-OpenSsl -ArgumentList @('req', '-in', $requestFile, '-noout', '-subject', '-nameopt', 'RFC2253')
Assert-Match $subject '^subject=' 'openssl prints the subject'
$opensslSubject = ($subject -replace '^subject=', '').Trim()
foreach ($part in 'CN=www.example.com', 'O=Example Ltd', 'L=London', 'C=GB') {
    Assert-Contains ($opensslSubject -split ',') $part "openssl should read $part in the subject '$opensslSubject'"
}

Assert-Equal $opensslSubject ($request.Subject -replace ', ', ',') 'Subject should list the same parts in the same order as openssl (RFC 2253, most specific first)'
$text = Invoke-OpenSsl -ArgumentList @('req', '-in', $requestFile, '-noout', '-text')
Assert-Match $text 'DNS:www\.example\.com, DNS:example\.com, DNS:\*\.example\.com, IP Address:192\.0\.2\.10' 'openssl should read the subject alternative names'
Assert-Match $text 'Signature Algorithm: (sha256WithRSAEncryption|ecdsa-with-SHA256)' 'the request is signed with SHA-256 by default'

$keyDetails = Invoke-OpenSsl -ArgumentList @('pkey', '-in', $keyFile, '-noout', '-text', '-passin', 'pass:')
if ($KeyAlgorithm -eq 'ECDSA') {
    Assert-Match $keyDetails 'prime256v1|P-256' 'openssl should read a P-256 key'
}
else {
    Assert-Match $keyDetails '2048 bit' 'openssl should read a 2048-bit RSA key'
}

Assert-Equal (Get-OpenSslPublicKey -Kind Key -Path $keyFile) (Get-OpenSslPublicKey -Kind Request -Path $requestFile) 'the request should carry the public key of the key file written beside it'

# --- -KeyPassword: the new key is written encrypted, and openssl opens it with that password -----------------------
$password = 'new key password'
$encrypted = New-CertRequest -CommonName 'www.example.com' -OutputDirectory ([System.IO.Path]::Combine($WorkDirectory, 'encrypted')) -KeyPassword (New-ScenarioSecureString $password) @algorithmParameters
Assert-FileMode $encrypted.KeyPath '600'
Assert-Match ([System.IO.File]::ReadAllText($encrypted.KeyPath)) '-----BEGIN ENCRYPTED PRIVATE KEY-----' 'with -KeyPassword the new key is written as encrypted PKCS#8'
Assert-Equal (Get-OpenSslPublicKey -Kind Key -Path $encrypted.KeyPath -Password $password) (Get-OpenSslPublicKey -Kind Request -Path $encrypted.RequestPath) 'openssl should decrypt the key with the -KeyPassword password, and it should be the request''s key'
$locked = Invoke-OpenSsl -ArgumentList @('pkey', '-in', $encrypted.KeyPath, '-noout', '-passin', 'pass:') -AllowFailure
Assert-NotEqual 0 $locked.ExitCode 'openssl must not read the encrypted key without its password'
