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
. (Join-Path $PSScriptRoot 'Assert.ps1')

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

Push-Location -LiteralPath $WorkDirectory
try {
    $request = New-CertRequest -CommonName 'www.example.com' -DnsName 'example.com', '*.example.com' -IpAddress '192.0.2.10' `
        -Organization 'Example Ltd' -Locality 'London' -Country 'GB' -OutputDirectory $relativeOutput @algorithmParameters
}
finally {
    Pop-Location
}

# The files, where the PowerShell location says.
$outputDirectory = Join-Path $WorkDirectory $relativeOutput
$keyFile = Join-Path $outputDirectory 'www.example.com.key'
$requestFile = Join-Path $outputDirectory 'www.example.com.csr'
((Test-Path -LiteralPath $outputDirectory -PathType Container)) | Should -BeTrue -Because "the relative -OutputDirectory '$relativeOutput' should be created under the PowerShell location '$WorkDirectory'"
if ([System.Environment]::CurrentDirectory -ne $WorkDirectory) {
    Test-Path -LiteralPath ((Join-Path ([System.Environment]::CurrentDirectory) $relativeOutput)) | Should -BeFalse -Because 'a relative -OutputDirectory must be resolved against the PowerShell location, not the process directory'
}

$written = Get-ScenarioFileNames $outputDirectory
$written | Should -BeExactly @('www.example.com.csr', 'www.example.com.key') -Because 'exactly the key and the request should be written (no temporary files left)'
if (-not $IsWindows) { Get-ScenarioFileMode $keyFile | Should -BeExactly '600' -Because 'private keys must be readable by their owner only' }
$keyText = Get-Content -LiteralPath $keyFile -Raw
$keyText | Should -Match '-----BEGIN PRIVATE KEY-----' -Because 'without -KeyPassword the key is written as unencrypted PKCS#8'

# The object.
$request | Should -HaveCount 1 -Because 'New-CertRequest should emit one request object'
$request.PSObject.TypeNames[0] | Should -BeExactly 'CertCmdlets.CertificateRequestInfo' -Because 'the output type'
$request.RequestPath | Should -BeExactly $requestFile -Because 'RequestPath should be the full path of the .csr written'
$request.KeyPath | Should -BeExactly $keyFile -Because 'KeyPath should be the full path of the .key written'
$request.HasPrivateKey | Should -BeTrue -Because 'the request object carries its new key'
$request.CommonName | Should -BeExactly 'www.example.com' -Because 'CommonName'
$request.DnsNames | Should -BeExactly @('www.example.com', 'example.com', '*.example.com') -Because 'a host-name CN is added to the DNS names first, then -DnsName in order'
$request.IpAddresses | Should -BeExactly @('192.0.2.10') -Because 'IpAddresses'
$expectedKey = if ($KeyAlgorithm -eq 'ECDSA') { 'ECDSA P-256' } else { 'RSA 2048' }
$request.KeyAlgorithm | Should -BeExactly $expectedKey -Because 'the default key of the algorithm'
$request.Pem | Should -BeExactly (Get-Content -LiteralPath $requestFile -Raw) -Because 'Pem is the text of the .csr file'
("$request") | Should -Not -Match 'PRIVATE KEY' -Because 'ToString never shows key material'

# openssl, the peer a CA runs.
$verify = Invoke-OpenSsl -ArgumentList @('req', '-in', $requestFile, '-noout', '-verify')
$verify | Should -Match 'verify OK' -Because 'openssl should verify the request''s self-signature'
$subject = Invoke-OpenSsl -ArgumentList @('req', '-in', $requestFile, '-noout', '-subject', '-nameopt', 'RFC2253')
$subject | Should -Match '^subject=' -Because 'openssl prints the subject'
$opensslSubject = ($subject -replace '^subject=', '').Trim()
foreach ($part in 'CN=www.example.com', 'O=Example Ltd', 'L=London', 'C=GB') {
    @($opensslSubject -split ',' | Where-Object { $_ -ceq $part }) | Should -Not -BeNullOrEmpty -Because "openssl should read $part in the subject '$opensslSubject'"
}

($request.Subject -replace ', ', ',') | Should -BeExactly $opensslSubject -Because 'Subject should list the same parts in the same order as openssl (RFC 2253, most specific first)'
$text = Invoke-OpenSsl -ArgumentList @('req', '-in', $requestFile, '-noout', '-text')
$text | Should -Match 'DNS:www\.example\.com, DNS:example\.com, DNS:\*\.example\.com, IP Address:192\.0\.2\.10' -Because 'openssl should read the subject alternative names'
$text | Should -Match 'Signature Algorithm: (sha256WithRSAEncryption|ecdsa-with-SHA256)' -Because 'the request is signed with SHA-256 by default'

$keyDetails = Invoke-OpenSsl -ArgumentList @('pkey', '-in', $keyFile, '-noout', '-text', '-passin', 'pass:')
if ($KeyAlgorithm -eq 'ECDSA') {
    $keyDetails | Should -Match 'prime256v1|P-256' -Because 'openssl should read a P-256 key'
}
else {
    $keyDetails | Should -Match '2048 bit' -Because 'openssl should read a 2048-bit RSA key'
}

(Get-OpenSslPublicKey -Kind Request -Path $requestFile) | Should -BeExactly (Get-OpenSslPublicKey -Kind Key -Path $keyFile) -Because 'the request should carry the public key of the key file written beside it'

# --- -KeyPassword: the new key is written encrypted, and openssl opens it with that password -----------------------
$password = 'new key password'
$encrypted = New-CertRequest -CommonName 'www.example.com' -OutputDirectory (Join-Path $WorkDirectory 'encrypted') -KeyPassword (ConvertTo-SecureString -String $password -AsPlainText -Force) @algorithmParameters
if (-not $IsWindows) { Get-ScenarioFileMode $encrypted.KeyPath | Should -BeExactly '600' -Because 'private keys must be readable by their owner only' }
(Get-Content -LiteralPath $encrypted.KeyPath -Raw) | Should -Match '-----BEGIN ENCRYPTED PRIVATE KEY-----' -Because 'with -KeyPassword the new key is written as encrypted PKCS#8'
(Get-OpenSslPublicKey -Kind Request -Path $encrypted.RequestPath) | Should -BeExactly (Get-OpenSslPublicKey -Kind Key -Path $encrypted.KeyPath -Password $password) -Because 'openssl should decrypt the key with the -KeyPassword password, and it should be the request''s key'
$locked = Invoke-OpenSsl -ArgumentList @('pkey', '-in', $encrypted.KeyPath, '-noout', '-passin', 'pass:') -AllowFailure
$locked.ExitCode | Should -Not -BeExactly 0 -Because 'openssl must not read the encrypted key without its password'
