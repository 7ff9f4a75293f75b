<#
.SYNOPSIS
    Import-CertFile reads the certificate files openssl makes: a PEM bundle with text around it, DER, and PKCS#7
    (.p7b) as PEM and as DER.

.DESCRIPTION
    What a CA sends back comes in many wrappings. openssl makes two certificates and wraps them every way; each
    file is read with Import-CertFile. Checks the number and order of certificates, and that thumbprint, serial
    number, subject, names and key type agree with what openssl reads, and that each object names its file.

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

function New-OpenSslCertificate {
    # A self-signed certificate made by openssl, with a DNS name; returns what openssl reads from it.
    param([string] $Name, [string[]] $KeyOptions)

    $certificateFile = Join-Path $WorkDirectory "$Name.crt"
    $keyFile = Join-Path $WorkDirectory "$Name.key"
    $arguments = @('req', '-x509', '-newkey') + $KeyOptions + @('-nodes', '-keyout', $keyFile, '-out', $certificateFile,
        '-days', '30', '-subj', "/CN=$Name.example.com/O=Example Ltd", '-addext', "subjectAltName=DNS:$Name.example.com,DNS:www.$Name.example.com")
    $null = Invoke-OpenSsl -ArgumentList $arguments
    $fingerprint = Invoke-OpenSsl -ArgumentList @('x509', '-in', $certificateFile, '-noout', '-fingerprint', '-sha1')
    $serial = Invoke-OpenSsl -ArgumentList @('x509', '-in', $certificateFile, '-noout', '-serial')
    $subject = Invoke-OpenSsl -ArgumentList @('x509', '-in', $certificateFile, '-noout', '-subject', '-nameopt', 'RFC2253')
    return [pscustomobject] @{
        Name       = $Name
        File       = $certificateFile
        Thumbprint = ($fingerprint -replace '^.*Fingerprint=', '' -replace ':', '').Trim()
        Serial     = ($serial -replace '^serial=', '').Trim().TrimStart('0')
        Subject    = ($subject -replace '^subject=', '').Trim()
        Text       = (Get-Content -LiteralPath $certificateFile -Raw)
    }
}

function Assert-Certificate {
    # One imported object against what openssl read.
    param($Imported, $Expected, [string] $FromFile, [string] $KeyAlgorithm)

    $Imported.PSObject.TypeNames[0] | Should -BeExactly 'CertCmdlets.CertificateInfo' -Because 'Import-CertFile emits certificate objects'
    $Imported.Thumbprint | Should -BeExactly $Expected.Thumbprint -Because "the thumbprint of $($Expected.Name) read from '$FromFile' should be the SHA-1 openssl computes"
    $Imported.SerialNumber.TrimStart('0') | Should -BeExactly $Expected.Serial -Because "the serial number of $($Expected.Name) should be the one openssl prints (hex, leading zeros aside)"
    ($Imported.Subject -replace ', ', ',') | Should -BeExactly $Expected.Subject -Because 'the subject in the order openssl prints it (RFC 2253: the reverse of the encoding)'
    $Imported.Subject | Should -BeExactly $Imported.Certificate.Subject -Because 'the subject as .NET (and Windows) shows it'
    $Imported.CommonName | Should -BeExactly "$($Expected.Name).example.com" -Because 'CommonName'
    $Imported.DnsNames | Should -BeExactly @("$($Expected.Name).example.com", "www.$($Expected.Name).example.com") -Because 'the DNS names openssl wrote'
    $Imported.KeyAlgorithm | Should -BeExactly $KeyAlgorithm -Because 'the key type'
    $Imported.CertificatePath | Should -BeExactly $FromFile -Because 'CertificatePath names the file read'
    $Imported.HasPrivateKey | Should -BeFalse -Because 'no key was given'
}

$alpha = New-OpenSslCertificate -Name 'alpha' -KeyOptions @('rsa:2048')
$beta = New-OpenSslCertificate -Name 'beta' -KeyOptions @('ec', '-pkeyopt', 'ec_paramgen_curve:P-256')

# --- A PEM bundle with text around and between the certificates, as CAs and browsers save them ---------------------
$bundle = Join-Path $WorkDirectory 'bundle.pem'
Set-Content -LiteralPath $bundle -Value ("subject=CN=alpha.example.com`nissuer=CN=alpha.example.com`n" + $alpha.Text + "`nBag Attributes: none`n`n" + $beta.Text) -NoNewline
$fromBundle = @(Import-CertFile -Path $bundle)
$fromBundle | Should -HaveCount 2 -Because 'a PEM bundle of two certificates gives two objects'
Assert-Certificate $fromBundle[0] $alpha $bundle 'RSA 2048'
Assert-Certificate $fromBundle[1] $beta $bundle 'ECDSA P-256'

# --- DER ---------------------------------------------------------------------------------------------------------
$der = Join-Path $WorkDirectory 'alpha.der'
$null = Invoke-OpenSsl -ArgumentList @('x509', '-in', $alpha.File, '-outform', 'DER', '-out', $der)
$fromDer = @(Import-CertFile -Path $der)
$fromDer | Should -HaveCount 1 -Because 'a DER file holds one certificate'
Assert-Certificate $fromDer[0] $alpha $der 'RSA 2048'

# --- PKCS#7, PEM and DER ---------------------------------------------------------------------------------------
$p7bPem = Join-Path $WorkDirectory 'bundle.p7b'
$p7bDer = Join-Path $WorkDirectory 'bundle-der.p7b'
$null = Invoke-OpenSsl -ArgumentList @('crl2pkcs7', '-nocrl', '-certfile', $alpha.File, '-certfile', $beta.File, '-out', $p7bPem)
$null = Invoke-OpenSsl -ArgumentList @('crl2pkcs7', '-nocrl', '-certfile', $alpha.File, '-certfile', $beta.File, '-outform', 'DER', '-out', $p7bDer)
(Get-Content -LiteralPath $p7bPem -Raw) | Should -Match '-----BEGIN PKCS7-----' -Because 'openssl writes PEM PKCS#7'
foreach ($p7b in $p7bPem, $p7bDer) {
    $fromP7b = @(Import-CertFile -Path $p7b)
    $fromP7b | Should -HaveCount 2 -Because "the PKCS#7 file '$p7b' holds two certificates"
    $byThumbprint = @{}
    foreach ($item in $fromP7b) {
        $byThumbprint[$item.Thumbprint] = $item
    }

    ($byThumbprint.ContainsKey($alpha.Thumbprint) -and $byThumbprint.ContainsKey($beta.Thumbprint)) | Should -BeTrue -Because "both certificates should come out of '$p7b'"
    Assert-Certificate $byThumbprint[$alpha.Thumbprint] $alpha $p7b 'RSA 2048'
    Assert-Certificate $byThumbprint[$beta.Thumbprint] $beta $p7b 'ECDSA P-256'
}

# --- The .NET certificate object agrees --------------------------------------------------------------------------
$fromDer[0].Certificate.Thumbprint | Should -BeExactly $alpha.Thumbprint -Because 'the X509Certificate2 behind the object is the same certificate'
