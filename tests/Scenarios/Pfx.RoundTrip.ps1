<#
.SYNOPSIS
    Export-PemAsPfx writes a PFX from Apache's PEM files (made by openssl) that openssl, .NET and Import-PfxAsPem
    read back whole: modern by default, 3DES/SHA-1 with -Legacy.

.DESCRIPTION
    The way back to Windows: an administrator takes the certificate, key and chain an Apache server uses and makes a
    PFX for IIS. For the default (AES-256-CBC, PBKDF2-HMAC-SHA256, HMAC-SHA256) and for -Legacy (3DES, SHA-1 MAC):
    exactly the .pfx is written (mode 0600); openssl -info shows those algorithms; openssl extracts the leaf, the two
    CA certificates and the key, with and without -legacy, and verifies the chain; .NET's loader finds the key and
    the three certificates; and Import-PfxAsPem writes PEM files equal to the ones the PFX was made from. Then the
    pipeline form (Import-PfxAsPem | Export-PemAsPfx) with a Unicode -PlainTextPassword, no overwrite without -Force,
    -WhatIf, and the password rules (PfxPasswordMissing, PasswordParameterConflict).

.PARAMETER WorkDirectory
    An empty (or new) directory the scenario may fill.

.PARAMETER KeyAlgorithm
    The site's key: RSA (default) or ECDSA (P-256).

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
$pki = New-ScenarioDirectory -Parent $WorkDirectory -Name 'pki'
$pfxPassword = 'IIS import p4ssword!'

function Get-Sorted {
    # An ordinal sorted copy (Sort-Object is not a Core cmdlet).
    param([Parameter(Position = 0)][AllowEmptyCollection()][string[]] $Items)

    $copy = [string[]] @($Items)
    [System.Array]::Sort($copy, [System.StringComparer]::Ordinal)
    return , $copy
}

function Import-DotNetPkcs12 {
    # .NET's own PKCS#12 loader (X509CertificateLoader on .NET 9 and later, the collection import before): what
    # IIS's tools and PowerShell's certificate provider use. Returns every certificate, the key holder marked.
    param(
        [Parameter(Mandatory)][string] $Path,
        [Parameter(Mandatory)][AllowEmptyString()][string] $Password
    )

    $bytes = [System.IO.File]::ReadAllBytes($Path)
    $flags = [System.Security.Cryptography.X509Certificates.X509KeyStorageFlags]::DefaultKeySet
    $loader = 'System.Security.Cryptography.X509Certificates.X509CertificateLoader' -as [type]
    if ($null -ne $loader) {
        return , @($loader::LoadPkcs12Collection($bytes, $Password, $flags, $null))
    }

    $collection = [System.Security.Cryptography.X509Certificates.X509Certificate2Collection]::new()
    $collection.Import($bytes, $Password, $flags)
    return , @($collection)
}

function Assert-OpenSslReadsPfx {
    # openssl extracts the leaf, the CA certificates and the key (with the extra flags given) and they are the originals.
    param(
        [Parameter(Mandatory)][string] $Path,
        [Parameter(Mandatory)][string] $Password,
        [string[]] $Flags = @(),
        [Parameter(Mandatory)][string] $Label
    )

    $directory = New-ScenarioDirectory -Parent $WorkDirectory -Name ('openssl-' + [guid]::NewGuid().ToString('N'))
    $leafOut = [System.IO.Path]::Combine($directory, 'leaf.pem')
    $casOut = [System.IO.Path]::Combine($directory, 'cas.pem')
    $keyOut = [System.IO.Path]::Combine($directory, 'key.pem')
    $null = Invoke-OpenSsl -ArgumentList (@('pkcs12', '-in', $Path, '-nokeys', '-clcerts', '-out', $leafOut) + $Flags) -Password $Password
    $null = Invoke-OpenSsl -ArgumentList (@('pkcs12', '-in', $Path, '-nokeys', '-cacerts', '-out', $casOut) + $Flags) -Password $Password
    $null = Invoke-OpenSsl -ArgumentList (@('pkcs12', '-in', $Path, '-nocerts', '-nodes', '-out', $keyOut) + $Flags) -Password $Password
    Assert-Equal $leafThumbprint (Get-OpenSslThumbprint $leafOut) "$Label`: openssl finds the leaf"
    Assert-Equal (Get-Sorted $chainThumbprints) (Get-Sorted (Get-PemThumbprints $casOut)) "$Label`: openssl finds the intermediate and the root"
    Assert-Equal $leafPublicKey (Get-OpenSslPublicKey -Kind Key -Path $keyOut) "$Label`: openssl finds the leaf's key"
    $verify = Invoke-OpenSsl -ArgumentList @('verify', '-CAfile', $rootFile, '-untrusted', $casOut, $leafOut)
    Assert-Match $verify ': OK' "$Label`: the chain in the PFX verifies"
}

# --- Apache's files, made by openssl ------------------------------------------------------------------------------------
$caExtensions = @('basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign', 'subjectKeyIdentifier=hash')
$rootFile = New-OpenSslSignedCertificate -Directory $pki -Name 'root' -Subject '/C=GB/O=Example Ltd/CN=Example Scenario Root CA' -Extensions $caExtensions
$intermediateFile = New-OpenSslSignedCertificate -Directory $pki -Name 'intermediate' -Subject '/C=GB/O=Example Ltd/CN=Example Scenario Intermediate CA' -Issuer 'root' `
    -Extensions ($caExtensions + 'authorityKeyIdentifier=keyid:always')
$leafFile = New-OpenSslSignedCertificate -Directory $pki -Name 'www' -Subject '/C=GB/O=Example Ltd/CN=www.example.com' -Issuer 'intermediate' -Algorithm $KeyAlgorithm -Extensions @(
    'basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', 'extendedKeyUsage=serverAuth',
    'subjectAltName=DNS:www.example.com', 'subjectKeyIdentifier=hash', 'authorityKeyIdentifier=keyid:always')
$leafKeyFile = [System.IO.Path]::Combine($pki, 'www.key')
$chainFile = [System.IO.Path]::Combine($pki, 'chain.pem')
[System.IO.File]::WriteAllText($chainFile, [System.IO.File]::ReadAllText($intermediateFile) + [System.IO.File]::ReadAllText($rootFile))

$leafThumbprint = Get-OpenSslThumbprint $leafFile
$chainThumbprints = @((Get-OpenSslThumbprint $intermediateFile), (Get-OpenSslThumbprint $rootFile))
$leafPublicKey = Get-OpenSslPublicKey -Kind Key -Path $leafKeyFile
$secure = New-ScenarioSecureString $pfxPassword
$opensslHasLegacyFlag = (Invoke-OpenSsl -ArgumentList @('version')) -notmatch '^OpenSSL 1\.'

# --- Export-PemAsPfx from the files: modern, then -Legacy ---------------------------------------------------------------
foreach ($legacy in $false, $true) {
    $label = if ($legacy) { 'legacy' } else { 'modern' }
    $directory = New-ScenarioDirectory -Parent $WorkDirectory -Name "pfx-$label"
    $pfxFile = [System.IO.Path]::Combine($directory, 'site.pfx')
    $exported = @(Export-PemAsPfx -CertificatePath $leafFile -KeyPath $leafKeyFile -ChainPath $chainFile -OutFile $pfxFile -Password $secure -FriendlyName 'www.example.com (Apache)' -Legacy:$legacy)

    Assert-Equal @('site.pfx') (Get-ScenarioFileNames $directory) "$label`: exactly the PFX is written (no temporary files left)"
    Assert-FileMode $pfxFile '600' 'a PFX holds the private key'
    Assert-Count 1 $exported "$label`: Export-PemAsPfx emits the certificate"
    Assert-Equal $pfxFile $exported[0].PfxPath "$label`: PfxPath names the file written"
    Assert-Equal $leafThumbprint $exported[0].Thumbprint "$label`: the certificate exported is the leaf"
    Assert-True $exported[0].HasPrivateKey "$label`: the object still carries its key"

    # openssl's account of the protection, read without -legacy: nothing may need OpenSSL's legacy provider.
    $info = Invoke-OpenSsl -ArgumentList @('pkcs12', '-info', '-noout', '-in', $pfxFile) -Password $pfxPassword
    if ($legacy) {
        Assert-Match $info 'MAC: sha1,' '-Legacy writes a SHA-1 MAC'
        Assert-Match $info 'PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC' '-Legacy encrypts the certificates with 3DES'
        Assert-Match $info 'Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC' '-Legacy encrypts the key with 3DES'
        Assert-NotMatch $info 'AES|RC2|PBES2' '-Legacy writes nothing but 3DES (Windows Server 2016 reads nothing else)'
    }
    else {
        Assert-Match $info 'MAC: sha256,' 'the default MAC is HMAC-SHA256'
        Assert-Match $info 'PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration \d+, PRF hmacWithSHA256' 'the certificates are encrypted with AES-256-CBC and PBKDF2-HMAC-SHA256'
        Assert-Match $info 'Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration \d+, PRF hmacWithSHA256' 'the key is encrypted with AES-256-CBC and PBKDF2-HMAC-SHA256'
        Assert-NotMatch $info 'TripleDES|RC2|sha1' 'the default writes nothing legacy'
    }

    Assert-OpenSslReadsPfx -Path $pfxFile -Password $pfxPassword -Label "$label, openssl"
    if ($opensslHasLegacyFlag) {
        Assert-OpenSslReadsPfx -Path $pfxFile -Password $pfxPassword -Flags @('-legacy') -Label "$label, openssl -legacy"
    }

    $friendly = Invoke-OpenSsl -ArgumentList @('pkcs12', '-in', $pfxFile, '-nokeys', '-clcerts') -Password $pfxPassword
    Assert-Match $friendly 'friendlyName: www\.example\.com \(Apache\)' "$label`: the friendly name Windows shows"

    # .NET's loader, what IIS's tools use.
    $loaded = Import-DotNetPkcs12 -Path $pfxFile -Password $pfxPassword
    Assert-Count 3 $loaded "$label`: .NET finds the leaf, the intermediate and the root"
    $withKey = @($loaded | Where-Object { $_.HasPrivateKey })
    Assert-Count 1 $withKey "$label`: .NET finds one certificate with a private key"
    Assert-Equal $leafThumbprint $withKey[0].Thumbprint "$label`: .NET finds the key with the leaf"
    Assert-Equal (Get-Sorted (@($leafThumbprint) + $chainThumbprints)) (Get-Sorted @($loaded | ForEach-Object { $_.Thumbprint })) "$label`: .NET finds the chain"

    # And back to PEM with Import-PfxAsPem: the files the PFX was made from.
    $back = [System.IO.Path]::Combine($directory, 'back')
    $reimported = @(Import-PfxAsPem -LiteralPath $pfxFile -Password $secure -OutputDirectory $back)
    Assert-Count 1 $reimported "$label`: Import-PfxAsPem reads the PFX back"
    Assert-Equal $leafThumbprint (Get-OpenSslThumbprint ([System.IO.Path]::Combine($back, 'cert.pem'))) "$label`: cert.pem is the original leaf"
    Assert-Equal $chainThumbprints (Get-PemThumbprints ([System.IO.Path]::Combine($back, 'chain.pem'))) "$label`: chain.pem is the original chain, leaf to root"
    Assert-Equal $leafPublicKey (Get-OpenSslPublicKey -Kind Key -Path ([System.IO.Path]::Combine($back, 'key.pem'))) "$label`: key.pem is the original key, unencrypted"
}

# --- The pipeline: Import-PfxAsPem | Export-PemAsPfx, with a Unicode plain-text password --------------------------------
$unicodePassword = 'pässwörd 密码 🔑'
$pipelineFile = [System.IO.Path]::Combine($WorkDirectory, 'pipeline.pfx')
$modernFile = [System.IO.Path]::Combine($WorkDirectory, 'pfx-modern', 'site.pfx')
$piped = @(Import-PfxAsPem -LiteralPath $modernFile -Password $secure | Export-PemAsPfx -OutFile $pipelineFile -PlainTextPassword $unicodePassword)
Assert-Count 1 $piped 'the piped certificate is exported'
Assert-Equal $pipelineFile $piped[0].PfxPath 'PfxPath names the new file'
Assert-OpenSslReadsPfx -Path $pipelineFile -Password $unicodePassword -Label 'pipeline, Unicode password'
$loadedUnicode = Import-DotNetPkcs12 -Path $pipelineFile -Password $unicodePassword
Assert-Equal $leafThumbprint @($loadedUnicode | Where-Object { $_.HasPrivateKey })[0].Thumbprint '.NET opens the PFX with the Unicode password'
$again = @(Import-PfxAsPem -LiteralPath $pipelineFile -PlainTextPassword $unicodePassword)
Assert-Equal $chainThumbprints @($again[0].Chain | ForEach-Object { $_.Thumbprint }) 'the chain survives the pipeline'

# --- Files: no overwrite without -Force, -WhatIf ------------------------------------------------------------------------
$before = Get-DirectorySnapshot $WorkDirectory
$exists = Assert-ErrorId { Export-PemAsPfx -CertificatePath $leafFile -KeyPath $leafKeyFile -OutFile $pipelineFile -Password $secure } 'OutputFileExists' -Category ResourceExists
Assert-Count 0 $exists.Output 'nothing is emitted when the PFX exists'
$whatIf = Assert-NoError { Export-PemAsPfx -CertificatePath $leafFile -KeyPath $leafKeyFile -OutFile ([System.IO.Path]::Combine($WorkDirectory, 'whatif.pfx')) -Password $secure -WhatIf }
Assert-Count 0 $whatIf 'Export-PemAsPfx -WhatIf emits nothing'
$whatIfForce = Assert-NoError { Export-PemAsPfx -CertificatePath $leafFile -KeyPath $leafKeyFile -OutFile $pipelineFile -Password $secure -Force -WhatIf }
Assert-Count 0 $whatIfForce 'Export-PemAsPfx -Force -WhatIf emits nothing'
Assert-DirectoryUnchanged $before $WorkDirectory 'an existing PFX is kept without -Force, and -WhatIf writes nothing'

$forced = @(Export-PemAsPfx -CertificatePath $leafFile -KeyPath $leafKeyFile -ChainPath $chainFile -OutFile $pipelineFile -Password $secure -Force)
Assert-Count 1 $forced 'with -Force the PFX is replaced'
Assert-OpenSslReadsPfx -Path $pipelineFile -Password $pfxPassword -Label 'replaced with -Force'

# --- A relative -OutFile is taken from the PowerShell location ----------------------------------------------------------
$relativeName = 'relative-' + [guid]::NewGuid().ToString('N') + '.pfx'
Enter-ScenarioLocation $WorkDirectory
try {
    $relative = @(Export-PemAsPfx -CertificatePath ([System.IO.Path]::Combine('pki', 'www.crt')) -KeyPath ([System.IO.Path]::Combine('pki', 'www.key')) -OutFile $relativeName -Password $secure)
}
finally {
    Exit-ScenarioLocation
}

Assert-Equal ([System.IO.Path]::Combine($WorkDirectory, $relativeName)) $relative[0].PfxPath 'a relative -OutFile (and relative PEM paths) are resolved against the PowerShell location'
Assert-FileExists ([System.IO.Path]::Combine($WorkDirectory, $relativeName))
if ([System.Environment]::CurrentDirectory -ne $WorkDirectory) {
    Assert-FileMissing ([System.IO.Path]::Combine([System.Environment]::CurrentDirectory, $relativeName)) 'not against the process directory'
}

# --- Inputs that cannot make a PFX --------------------------------------------------------------------------------------
$before = Get-DirectorySnapshot $WorkDirectory
$otherKey = [System.IO.Path]::Combine($pki, 'intermediate.key')
$mismatch = Assert-ErrorId { Export-PemAsPfx -CertificatePath $leafFile -KeyPath $otherKey -OutFile ([System.IO.Path]::Combine($WorkDirectory, 'mismatch.pfx')) -Password $secure } 'CertificateKeyMismatch' -Category SecurityError
Assert-Count 0 $mismatch.Output 'no PFX with another certificate''s key'
$keyless = Assert-ErrorId { Import-CertFile -Path $leafFile | Export-PemAsPfx -OutFile ([System.IO.Path]::Combine($WorkDirectory, 'keyless.pfx')) -Password $secure } 'CertificateHasNoPrivateKey'
Assert-Count 0 $keyless.Output 'no PFX for a certificate without its key'
Assert-DirectoryUnchanged $before $WorkDirectory 'refused inputs write nothing'

# --- Password rules ------------------------------------------------------------------------------------------------------
$before = Get-DirectorySnapshot $WorkDirectory
$missing = Assert-ErrorId { Export-PemAsPfx -CertificatePath $leafFile -KeyPath $leafKeyFile -OutFile ([System.IO.Path]::Combine($WorkDirectory, 'nopassword.pfx')) } 'PfxPasswordMissing' -Category InvalidArgument -Terminating
Assert-Count 0 $missing.Output 'no PFX without a password'
$conflict = Assert-ErrorId { Export-PemAsPfx -CertificatePath $leafFile -KeyPath $leafKeyFile -OutFile ([System.IO.Path]::Combine($WorkDirectory, 'twopasswords.pfx')) -Password $secure -PlainTextPassword $pfxPassword } 'PasswordParameterConflict' -Category InvalidArgument -Terminating
Assert-Count 0 $conflict.Output 'no PFX with two passwords'
Assert-DirectoryUnchanged $before $WorkDirectory 'refused passwords write nothing'
