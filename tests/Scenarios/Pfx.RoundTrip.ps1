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
. (Join-Path $PSScriptRoot 'Assert.ps1')

$skip = Get-OpenSslSkip -Require:$RequireOpenSsl
if ($skip) {
    return $skip
}

$WorkDirectory = Initialize-ScenarioDirectory $WorkDirectory
$pki = (New-Item -ItemType Directory -Path $WorkDirectory -Name 'pki').FullName
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

    $bytes = Get-Content -LiteralPath $Path -AsByteStream -Raw
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

    $directory = (New-Item -ItemType Directory -Path $WorkDirectory -Name ('openssl-' + [guid]::NewGuid().ToString('N'))).FullName
    $leafOut = Join-Path $directory 'leaf.pem'
    $casOut = Join-Path $directory 'cas.pem'
    $keyOut = Join-Path $directory 'key.pem'
    $null = Invoke-OpenSsl -ArgumentList (@('pkcs12', '-in', $Path, '-nokeys', '-clcerts', '-out', $leafOut) + $Flags) -Password $Password
    $null = Invoke-OpenSsl -ArgumentList (@('pkcs12', '-in', $Path, '-nokeys', '-cacerts', '-out', $casOut) + $Flags) -Password $Password
    $null = Invoke-OpenSsl -ArgumentList (@('pkcs12', '-in', $Path, '-nocerts', '-nodes', '-out', $keyOut) + $Flags) -Password $Password
    (Get-OpenSslThumbprint $leafOut) | Should -BeExactly $leafThumbprint -Because "$Label`: openssl finds the leaf"
    (Get-Sorted (Get-PemThumbprints $casOut)) | Should -BeExactly (Get-Sorted $chainThumbprints) -Because "$Label`: openssl finds the intermediate and the root"
    (Get-OpenSslPublicKey -Kind Key -Path $keyOut) | Should -BeExactly $leafPublicKey -Because "$Label`: openssl finds the leaf's key"
    $verify = Invoke-OpenSsl -ArgumentList @('verify', '-CAfile', $rootFile, '-untrusted', $casOut, $leafOut)
    $verify | Should -Match ': OK' -Because "$Label`: the chain in the PFX verifies"
}

# --- Apache's files, made by openssl ------------------------------------------------------------------------------------
$caExtensions = @('basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign', 'subjectKeyIdentifier=hash')
$rootFile = New-OpenSslSignedCertificate -Directory $pki -Name 'root' -Subject '/C=GB/O=Example Ltd/CN=Example Scenario Root CA' -Extensions $caExtensions
$intermediateFile = New-OpenSslSignedCertificate -Directory $pki -Name 'intermediate' -Subject '/C=GB/O=Example Ltd/CN=Example Scenario Intermediate CA' -Issuer 'root' `
    -Extensions ($caExtensions + 'authorityKeyIdentifier=keyid:always')
$leafFile = New-OpenSslSignedCertificate -Directory $pki -Name 'www' -Subject '/C=GB/O=Example Ltd/CN=www.example.com' -Issuer 'intermediate' -Algorithm $KeyAlgorithm -Extensions @(
    'basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', 'extendedKeyUsage=serverAuth',
    'subjectAltName=DNS:www.example.com', 'subjectKeyIdentifier=hash', 'authorityKeyIdentifier=keyid:always')
$leafKeyFile = Join-Path $pki 'www.key'
$chainFile = Join-Path $pki 'chain.pem'
Set-Content -LiteralPath $chainFile -Value ((Get-Content -LiteralPath $intermediateFile -Raw) + (Get-Content -LiteralPath $rootFile -Raw)) -NoNewline

$leafThumbprint = Get-OpenSslThumbprint $leafFile
$chainThumbprints = @((Get-OpenSslThumbprint $intermediateFile), (Get-OpenSslThumbprint $rootFile))
$leafPublicKey = Get-OpenSslPublicKey -Kind Key -Path $leafKeyFile
$secure = ConvertTo-SecureString -String $pfxPassword -AsPlainText -Force
$opensslHasLegacyFlag = (Invoke-OpenSsl -ArgumentList @('version')) -notmatch '^OpenSSL 1\.'

# --- Export-PemAsPfx from the files: modern, then -Legacy ---------------------------------------------------------------
foreach ($legacy in $false, $true) {
    $label = if ($legacy) { 'legacy' } else { 'modern' }
    $directory = (New-Item -ItemType Directory -Path $WorkDirectory -Name "pfx-$label").FullName
    $pfxFile = Join-Path $directory 'site.pfx'
    $exported = @(Export-PemAsPfx -CertificatePath $leafFile -KeyPath $leafKeyFile -ChainPath $chainFile -OutFile $pfxFile -Password $secure -FriendlyName 'www.example.com (Apache)' -Legacy:$legacy)

    (Get-ScenarioFileNames $directory) | Should -BeExactly @('site.pfx') -Because "$label`: exactly the PFX is written (no temporary files left)"
    if (-not $IsWindows) { Get-ScenarioFileMode $pfxFile | Should -BeExactly '600' -Because 'a PFX holds the private key' }
    $exported | Should -HaveCount 1 -Because "$label`: Export-PemAsPfx emits the certificate"
    $exported[0].PfxPath | Should -BeExactly $pfxFile -Because "$label`: PfxPath names the file written"
    $exported[0].Thumbprint | Should -BeExactly $leafThumbprint -Because "$label`: the certificate exported is the leaf"
    $exported[0].HasPrivateKey | Should -BeTrue -Because "$label`: the object still carries its key"

    # openssl's account of the protection, read without -legacy: nothing may need OpenSSL's legacy provider.
    $info = Invoke-OpenSsl -ArgumentList @('pkcs12', '-info', '-noout', '-in', $pfxFile) -Password $pfxPassword
    if ($legacy) {
        $info | Should -Match 'MAC: sha1,' -Because '-Legacy writes a SHA-1 MAC'
        $info | Should -Match 'PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC' -Because '-Legacy encrypts the certificates with 3DES'
        $info | Should -Match 'Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC' -Because '-Legacy encrypts the key with 3DES'
        $info | Should -Not -Match 'AES|RC2|PBES2' -Because '-Legacy writes nothing but 3DES (Windows Server 2016 reads nothing else)'
    }
    else {
        $info | Should -Match 'MAC: sha256,' -Because 'the default MAC is HMAC-SHA256'
        $info | Should -Match 'PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration \d+, PRF hmacWithSHA256' -Because 'the certificates are encrypted with AES-256-CBC and PBKDF2-HMAC-SHA256'
        $info | Should -Match 'Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration \d+, PRF hmacWithSHA256' -Because 'the key is encrypted with AES-256-CBC and PBKDF2-HMAC-SHA256'
        $info | Should -Not -Match 'TripleDES|RC2|sha1' -Because 'the default writes nothing legacy'
    }

    Assert-OpenSslReadsPfx -Path $pfxFile -Password $pfxPassword -Label "$label, openssl"
    if ($opensslHasLegacyFlag) {
        Assert-OpenSslReadsPfx -Path $pfxFile -Password $pfxPassword -Flags @('-legacy') -Label "$label, openssl -legacy"
    }

    $friendly = Invoke-OpenSsl -ArgumentList @('pkcs12', '-in', $pfxFile, '-nokeys', '-clcerts') -Password $pfxPassword
    $friendly | Should -Match 'friendlyName: www\.example\.com \(Apache\)' -Because "$label`: the friendly name Windows shows"

    # .NET's loader, what IIS's tools use.
    $loaded = Import-DotNetPkcs12 -Path $pfxFile -Password $pfxPassword
    $loaded | Should -HaveCount 3 -Because "$label`: .NET finds the leaf, the intermediate and the root"
    $withKey = @($loaded | Where-Object { $_.HasPrivateKey })
    $withKey | Should -HaveCount 1 -Because "$label`: .NET finds one certificate with a private key"
    $withKey[0].Thumbprint | Should -BeExactly $leafThumbprint -Because "$label`: .NET finds the key with the leaf"
    (Get-Sorted @($loaded | ForEach-Object { $_.Thumbprint })) | Should -BeExactly (Get-Sorted (@($leafThumbprint) + $chainThumbprints)) -Because "$label`: .NET finds the chain"

    # And back to PEM with Import-PfxAsPem: the files the PFX was made from.
    $back = Join-Path $directory 'back'
    $reimported = @(Import-PfxAsPem -LiteralPath $pfxFile -Password $secure -OutputDirectory $back)
    $reimported | Should -HaveCount 1 -Because "$label`: Import-PfxAsPem reads the PFX back"
    (Get-OpenSslThumbprint (Join-Path $back 'cert.pem')) | Should -BeExactly $leafThumbprint -Because "$label`: cert.pem is the original leaf"
    (Get-PemThumbprints (Join-Path $back 'chain.pem')) | Should -BeExactly $chainThumbprints -Because "$label`: chain.pem is the original chain, leaf to root"
    (Get-OpenSslPublicKey -Kind Key -Path (Join-Path $back 'key.pem')) | Should -BeExactly $leafPublicKey -Because "$label`: key.pem is the original key, unencrypted"
}

# --- The pipeline: Import-PfxAsPem | Export-PemAsPfx, with a Unicode plain-text password --------------------------------
$unicodePassword = 'pässwörd 密码 🔑'
$pipelineFile = Join-Path $WorkDirectory 'pipeline.pfx'
$modernFile = Join-Path $WorkDirectory 'pfx-modern' 'site.pfx'
$piped = @(Import-PfxAsPem -LiteralPath $modernFile -Password $secure | Export-PemAsPfx -OutFile $pipelineFile -PlainTextPassword $unicodePassword)
$piped | Should -HaveCount 1 -Because 'the piped certificate is exported'
$piped[0].PfxPath | Should -BeExactly $pipelineFile -Because 'PfxPath names the new file'
Assert-OpenSslReadsPfx -Path $pipelineFile -Password $unicodePassword -Label 'pipeline, Unicode password'
$loadedUnicode = Import-DotNetPkcs12 -Path $pipelineFile -Password $unicodePassword
@($loadedUnicode | Where-Object { $_.HasPrivateKey })[0].Thumbprint | Should -BeExactly $leafThumbprint -Because '.NET opens the PFX with the Unicode password'
$again = @(Import-PfxAsPem -LiteralPath $pipelineFile -PlainTextPassword $unicodePassword)
@($again[0].Chain | ForEach-Object { $_.Thumbprint }) | Should -BeExactly $chainThumbprints -Because 'the chain survives the pipeline'

# --- Files: no overwrite without -Force, -WhatIf ------------------------------------------------------------------------
$before = Get-DirectorySnapshot $WorkDirectory
$exists = Invoke-ScenarioCommand { Export-PemAsPfx -CertificatePath $leafFile -KeyPath $leafKeyFile -OutFile $pipelineFile -Password $secure }
$exists.Errors | Should -HaveCount 1
$exists.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'OutputFileExists,*'
$exists.Errors[0].CategoryInfo.Category | Should -Be 'ResourceExists'
$exists.Output | Should -HaveCount 0 -Because 'nothing is emitted when the PFX exists'
$whatIf = @(Export-PemAsPfx -CertificatePath $leafFile -KeyPath $leafKeyFile -OutFile (Join-Path $WorkDirectory 'whatif.pfx') -Password $secure -WhatIf)
$whatIf | Should -HaveCount 0 -Because 'Export-PemAsPfx -WhatIf emits nothing'
$whatIfForce = @(Export-PemAsPfx -CertificatePath $leafFile -KeyPath $leafKeyFile -OutFile $pipelineFile -Password $secure -Force -WhatIf)
$whatIfForce | Should -HaveCount 0 -Because 'Export-PemAsPfx -Force -WhatIf emits nothing'
Compare-Object $before (Get-DirectorySnapshot $WorkDirectory) -CaseSensitive | Should -BeNullOrEmpty -Because 'an existing PFX is kept without -Force, and -WhatIf writes nothing'

$forced = @(Export-PemAsPfx -CertificatePath $leafFile -KeyPath $leafKeyFile -ChainPath $chainFile -OutFile $pipelineFile -Password $secure -Force)
$forced | Should -HaveCount 1 -Because 'with -Force the PFX is replaced'
Assert-OpenSslReadsPfx -Path $pipelineFile -Password $pfxPassword -Label 'replaced with -Force'

# --- A relative -OutFile is taken from the PowerShell location ----------------------------------------------------------
$relativeName = 'relative-' + [guid]::NewGuid().ToString('N') + '.pfx'
Push-Location -LiteralPath $WorkDirectory
try {
    $relative = @(Export-PemAsPfx -CertificatePath (Join-Path 'pki' 'www.crt') -KeyPath (Join-Path 'pki' 'www.key') -OutFile $relativeName -Password $secure)
}
finally {
    Pop-Location
}

$relative[0].PfxPath | Should -BeExactly (Join-Path $WorkDirectory $relativeName) -Because 'a relative -OutFile (and relative PEM paths) are resolved against the PowerShell location'
Test-Path -LiteralPath (Join-Path $WorkDirectory $relativeName) -PathType Leaf | Should -BeTrue -Because 'the command should have written it'
if ([System.Environment]::CurrentDirectory -ne $WorkDirectory) {
    Test-Path -LiteralPath ((Join-Path ([System.Environment]::CurrentDirectory) $relativeName)) | Should -BeFalse -Because 'not against the process directory'
}

# --- Inputs that cannot make a PFX --------------------------------------------------------------------------------------
$before = Get-DirectorySnapshot $WorkDirectory
$otherKey = Join-Path $pki 'intermediate.key'
$mismatch = Invoke-ScenarioCommand { Export-PemAsPfx -CertificatePath $leafFile -KeyPath $otherKey -OutFile (Join-Path $WorkDirectory 'mismatch.pfx') -Password $secure }
$mismatch.Errors | Should -HaveCount 1
$mismatch.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'CertificateKeyMismatch,*'
$mismatch.Errors[0].CategoryInfo.Category | Should -Be 'SecurityError'
$mismatch.Output | Should -HaveCount 0 -Because 'no PFX with another certificate''s key'
$keyless = Invoke-ScenarioCommand { Import-CertFile -Path $leafFile | Export-PemAsPfx -OutFile (Join-Path $WorkDirectory 'keyless.pfx') -Password $secure }
$keyless.Errors | Should -HaveCount 1
$keyless.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'CertificateHasNoPrivateKey,*'
$keyless.Output | Should -HaveCount 0 -Because 'no PFX for a certificate without its key'
Compare-Object $before (Get-DirectorySnapshot $WorkDirectory) -CaseSensitive | Should -BeNullOrEmpty -Because 'refused inputs write nothing'

# --- Password rules ------------------------------------------------------------------------------------------------------
$before = Get-DirectorySnapshot $WorkDirectory
$missing = Invoke-ScenarioCommand { Export-PemAsPfx -CertificatePath $leafFile -KeyPath $leafKeyFile -OutFile (Join-Path $WorkDirectory 'nopassword.pfx') }
$missing.Errors | Should -HaveCount 1
$missing.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'PfxPasswordMissing,*'
$missing.Errors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
$missing.Terminating | Should -Not -BeNullOrEmpty -Because 'PfxPasswordMissing stops the command (a terminating error)'
$missing.Output | Should -HaveCount 0 -Because 'no PFX without a password'
$conflict = Invoke-ScenarioCommand { Export-PemAsPfx -CertificatePath $leafFile -KeyPath $leafKeyFile -OutFile (Join-Path $WorkDirectory 'twopasswords.pfx') -Password $secure -PlainTextPassword $pfxPassword }
$conflict.Errors | Should -HaveCount 1
$conflict.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'PasswordParameterConflict,*'
$conflict.Errors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
$conflict.Terminating | Should -Not -BeNullOrEmpty -Because 'PasswordParameterConflict stops the command (a terminating error)'
$conflict.Output | Should -HaveCount 0 -Because 'no PFX with two passwords'
Compare-Object $before (Get-DirectorySnapshot $WorkDirectory) -CaseSensitive | Should -BeNullOrEmpty -Because 'refused passwords write nothing'
