<#
.SYNOPSIS
    The first steps of a web server's certificate, end to end: a key and a certificate signing request
    for a public CA, a self-signed certificate for an internal test server, read back, and written out
    as the PEM files Apache takes.

.DESCRIPTION
    Runs in a sandbox folder (by default sandbox/<time> under the checkout), never outside it.
    Uses only what a plain PowerShell session has, so it runs in pwsh and in Windows PowerShell 5.1
    (run-example.sh installs pwsh as a dotnet tool where it is missing).
#>
[CmdletBinding()]
param(
    # Where the files go. Created if missing; nothing outside it is touched.
    [string] $Sandbox = [System.IO.Path]::Combine($PSScriptRoot, '..', 'sandbox', [DateTime]::Now.ToString('yyyyMMdd-HHmmss'))
)

$ErrorActionPreference = 'Stop'
Import-Module ([System.IO.Path]::Combine($PSScriptRoot, '..', 'CertCmdlets.psd1'))
$Sandbox = [System.IO.Path]::GetFullPath($Sandbox)
"Sandbox: $Sandbox"

# 1. A key and a CSR for a public CA: the CN is the site's name, the SANs every name it answers to.
$request = New-CertRequest -CommonName 'www.example.com' -DnsName 'example.com' `
    -Organization 'Example Ltd' -Locality 'London' -State 'England' -Country 'GB' `
    -OutputDirectory ([System.IO.Path]::Combine($Sandbox, 'request'))
$request | Out-Default
"The request to paste into the CA's form is in $($request.RequestPath); its key, mode 0600 on Unix, in $($request.KeyPath)."

# 2. A self-signed certificate for an internal test server, ECDSA this time, written as PEM files for Apache.
$selfSigned = New-CertRequest -CommonName 'intranet.example.test' -IpAddress '127.0.0.1' -KeyAlgorithm ECDSA -SelfSign -ValidDays 90
$exported = $selfSigned | Export-CertPem -OutputDirectory ([System.IO.Path]::Combine($Sandbox, 'apache'))
$exported | Out-Default
"Apache: SSLCertificateFile $($exported.FullChainPath)"
"        SSLCertificateKeyFile $($exported.KeyPath)"

# 3. Read the files back, with the key attached: the key must belong to the certificate.
$readBack = Import-CertFile -Path $exported.CertificatePath -KeyPath $exported.KeyPath
if ($readBack.Thumbprint -ne $selfSigned.Thumbprint -or -not $readBack.HasPrivateKey) {
    throw 'The certificate read back is not the one written.'
}
"Read back: $($readBack.Subject), key attached: $($readBack.HasPrivateKey), $($readBack.DaysRemaining) days left."

# 4. What openssl, the web server's own library, makes of them.
if (Get-Command openssl -ErrorAction SilentlyContinue) {
    & openssl req -in $request.RequestPath -noout -verify 2>&1
    & openssl x509 -in $exported.CertificatePath -noout -subject -ext subjectAltName 2>&1
    & openssl pkey -in $exported.KeyPath -noout 2>&1
    if ($LASTEXITCODE -eq 0) { 'openssl reads the key without a password.' }
}
else {
    'openssl is not installed: skipping the openssl checks.'
}
