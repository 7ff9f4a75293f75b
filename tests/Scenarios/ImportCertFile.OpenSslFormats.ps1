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
. ([System.IO.Path]::Combine($PSScriptRoot, 'Assert.ps1'))

$skip = Get-OpenSslSkip -Require:$RequireOpenSsl
if ($skip) {
    return $skip
}

$WorkDirectory = Initialize-ScenarioDirectory $WorkDirectory

function New-OpenSslCertificate {
    # A self-signed certificate made by openssl, with a DNS name; returns what openssl reads from it.
    param([string] $Name, [string[]] $KeyOptions)

    $certificateFile = [System.IO.Path]::Combine($WorkDirectory, "$Name.crt")
    $keyFile = [System.IO.Path]::Combine($WorkDirectory, "$Name.key")
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
        Text       = [System.IO.File]::ReadAllText($certificateFile)
    }
}

function Assert-Certificate {
    # One imported object against what openssl read.
    param($Imported, $Expected, [string] $FromFile, [string] $KeyAlgorithm)

    Assert-Equal 'CertCmdlets.CertificateInfo' $Imported.PSObject.TypeNames[0] 'Import-CertFile emits certificate objects'
    Assert-Equal $Expected.Thumbprint $Imported.Thumbprint "the thumbprint of $($Expected.Name) read from '$FromFile' should be the SHA-1 openssl computes"
    Assert-Equal $Expected.Serial $Imported.SerialNumber.TrimStart('0') "the serial number of $($Expected.Name) should be the one openssl prints (hex, leading zeros aside)"
    Assert-Equal $Expected.Subject ($Imported.Subject -replace ', ', ',') 'the subject in the order openssl prints it (RFC 2253: the reverse of the encoding)'
    Assert-Equal $Imported.Certificate.Subject $Imported.Subject 'the subject as .NET (and Windows) shows it'
    Assert-Equal "$($Expected.Name).example.com" $Imported.CommonName 'CommonName'
    Assert-Equal @("$($Expected.Name).example.com", "www.$($Expected.Name).example.com") $Imported.DnsNames 'the DNS names openssl wrote'
    Assert-Equal $KeyAlgorithm $Imported.KeyAlgorithm 'the key type'
    Assert-Equal $FromFile $Imported.CertificatePath 'CertificatePath names the file read'
    Assert-False $Imported.HasPrivateKey 'no key was given'
}

$alpha = New-OpenSslCertificate -Name 'alpha' -KeyOptions @('rsa:2048')
$beta = New-OpenSslCertificate -Name 'beta' -KeyOptions @('ec', '-pkeyopt', 'ec_paramgen_curve:P-256')

# --- A PEM bundle with text around and between the certificates, as CAs and browsers save them ---------------------
$bundle = [System.IO.Path]::Combine($WorkDirectory, 'bundle.pem')
[System.IO.File]::WriteAllText($bundle, "subject=CN=alpha.example.com`nissuer=CN=alpha.example.com`n" + $alpha.Text + "`nBag Attributes: none`n`n" + $beta.Text)
$fromBundle = @(Import-CertFile -Path $bundle)
Assert-Count 2 $fromBundle 'a PEM bundle of two certificates gives two objects'
Assert-Certificate $fromBundle[0] $alpha $bundle 'RSA 2048'
Assert-Certificate $fromBundle[1] $beta $bundle 'ECDSA P-256'

# --- DER ---------------------------------------------------------------------------------------------------------
$der = [System.IO.Path]::Combine($WorkDirectory, 'alpha.der')
$null = Invoke-OpenSsl -ArgumentList @('x509', '-in', $alpha.File, '-outform', 'DER', '-out', $der)
$fromDer = @(Import-CertFile -Path $der)
Assert-Count 1 $fromDer 'a DER file holds one certificate'
Assert-Certificate $fromDer[0] $alpha $der 'RSA 2048'

# --- PKCS#7, PEM and DER ---------------------------------------------------------------------------------------
$p7bPem = [System.IO.Path]::Combine($WorkDirectory, 'bundle.p7b')
$p7bDer = [System.IO.Path]::Combine($WorkDirectory, 'bundle-der.p7b')
$null = Invoke-OpenSsl -ArgumentList @('crl2pkcs7', '-nocrl', '-certfile', $alpha.File, '-certfile', $beta.File, '-out', $p7bPem)
$null = Invoke-OpenSsl -ArgumentList @('crl2pkcs7', '-nocrl', '-certfile', $alpha.File, '-certfile', $beta.File, '-outform', 'DER', '-out', $p7bDer)
Assert-Match ([System.IO.File]::ReadAllText($p7bPem)) '-----BEGIN PKCS7-----' 'openssl writes PEM PKCS#7'
foreach ($p7b in $p7bPem, $p7bDer) {
    $fromP7b = @(Import-CertFile -Path $p7b)
    Assert-Count 2 $fromP7b "the PKCS#7 file '$p7b' holds two certificates"
    $byThumbprint = @{}
    foreach ($item in $fromP7b) {
        $byThumbprint[$item.Thumbprint] = $item
    }

    Assert-True ($byThumbprint.ContainsKey($alpha.Thumbprint) -and $byThumbprint.ContainsKey($beta.Thumbprint)) "both certificates should come out of '$p7b'"
    Assert-Certificate $byThumbprint[$alpha.Thumbprint] $alpha $p7b 'RSA 2048'
    Assert-Certificate $byThumbprint[$beta.Thumbprint] $beta $p7b 'ECDSA P-256'
}

# --- The .NET certificate object agrees --------------------------------------------------------------------------
Assert-Equal $alpha.Thumbprint $fromDer[0].Certificate.Thumbprint 'the X509Certificate2 behind the object is the same certificate'
