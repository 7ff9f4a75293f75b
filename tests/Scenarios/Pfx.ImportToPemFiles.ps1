<#
.SYNOPSIS
    Import-PfxAsPem turns a PFX from Windows/IIS (made here by openssl, with a chain) into key.pem, cert.pem,
    chain.pem and fullchain.pem for Apache, and openssl accepts every file.

.DESCRIPTION
    The seed workflow: an administrator moves a site from IIS to Apache with the PFX that IIS exported. openssl makes
    a root CA, an intermediate and the site's certificate, and exports them as a PFX (the CA certificates given root
    first, so the order must be worked out). Import-PfxAsPem -OutputDirectory (relative, from the PowerShell location)
    must write exactly key.pem (unencrypted, mode 0600), cert.pem (the leaf only), chain.pem (the CAs, leaf to root)
    and fullchain.pem; openssl must read the key without a password, find it is the certificate's key, and verify
    cert.pem against the root with chain.pem. Then: -Verbose names the encryption and MAC, paths come piped as
    strings and file objects, -PlainTextPassword works, custom file names and -KeyPassword, no overwrite without
    -Force, and -WhatIf writes nothing.

.PARAMETER WorkDirectory
    An empty (or new) directory the scenario may fill.

.PARAMETER KeyAlgorithm
    The site's key: RSA (default) or ECDSA (P-256).

.PARAMETER PfxFormat
    How openssl writes the PFX: Default (OpenSSL 3: AES-256-CBC, PBKDF2-HMAC-SHA256, HMAC-SHA256 MAC), Legacy
    (openssl -legacy: RC2-40 certificates, 3DES key, SHA-1 MAC) or Windows (3DES for both, SHA-1 MAC, a friendly name).

.PARAMETER RequireOpenSsl
    Throw when openssl is missing instead of returning the skipped marker (implied by CI=true).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)][string] $WorkDirectory,
    [ValidateSet('RSA', 'ECDSA')][string] $KeyAlgorithm = 'RSA',
    [ValidateSet('Default', 'Legacy', 'Windows')][string] $PfxFormat = 'Default',
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
$pfxPassword = 'IIS export p4ssword!'

# --- The PFX, as IIS would export it (made by openssl) ----------------------------------------------------------------
$caExtensions = @('basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign', 'subjectKeyIdentifier=hash')
$rootFile = New-OpenSslSignedCertificate -Directory $pki -Name 'root' -Subject '/C=GB/O=Example Ltd/CN=Example Scenario Root CA' -Extensions $caExtensions
$intermediateFile = New-OpenSslSignedCertificate -Directory $pki -Name 'intermediate' -Subject '/C=GB/O=Example Ltd/CN=Example Scenario Intermediate CA' -Issuer 'root' `
    -Extensions ($caExtensions + 'authorityKeyIdentifier=keyid:always')
$leafFile = New-OpenSslSignedCertificate -Directory $pki -Name 'www' -Subject '/C=GB/O=Example Ltd/CN=www.example.com' -Issuer 'intermediate' -Algorithm $KeyAlgorithm -Extensions @(
    'basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', 'extendedKeyUsage=serverAuth',
    'subjectAltName=DNS:www.example.com,DNS:example.com', 'subjectKeyIdentifier=hash', 'authorityKeyIdentifier=keyid:always')
$leafKeyFile = [System.IO.Path]::Combine($pki, 'www.key')
$rootFirst = [System.IO.Path]::Combine($pki, 'cas-root-first.pem')
[System.IO.File]::WriteAllText($rootFirst, [System.IO.File]::ReadAllText($rootFile) + [System.IO.File]::ReadAllText($intermediateFile))

$leafThumbprint = Get-OpenSslThumbprint $leafFile
$chainThumbprints = @((Get-OpenSslThumbprint $intermediateFile), (Get-OpenSslThumbprint $rootFile))

$legacyFlag = @()
if ((Invoke-OpenSsl -ArgumentList @('version')) -notmatch '^OpenSSL 1\.') {
    # OpenSSL 3 writes AES by default and needs -legacy for RC2; OpenSSL 1.1.1 writes RC2 and 3DES by default.
    $legacyFlag = @('-legacy')
}

$formatArguments = @(
    switch ($PfxFormat) {
        'Legacy' { $legacyFlag }
        'Windows' { @('-certpbe', 'PBE-SHA1-3DES', '-keypbe', 'PBE-SHA1-3DES', '-macalg', 'sha1', '-name', 'www.example.com (IIS)') }
    }
)

$pfxFile = [System.IO.Path]::Combine($WorkDirectory, 'site.pfx')
$null = Invoke-OpenSsl -ArgumentList (@('pkcs12', '-export', '-in', $leafFile, '-inkey', $leafKeyFile, '-certfile', $rootFirst, '-out', $pfxFile) + $formatArguments) `
    -Password $pfxPassword -PasswordOption '-passout'
$secure = New-ScenarioSecureString $pfxPassword

# --- Import-PfxAsPem -OutputDirectory, relative to the PowerShell location --------------------------------------------
$relativeOutput = 'apache-' + [guid]::NewGuid().ToString('N')
Enter-ScenarioLocation $WorkDirectory
try {
    $imported = @(Import-PfxAsPem -Path 'site.pfx' -Password $secure -OutputDirectory $relativeOutput)
}
finally {
    Exit-ScenarioLocation
}

$outputDirectory = [System.IO.Path]::Combine($WorkDirectory, $relativeOutput)
$keyFile = [System.IO.Path]::Combine($outputDirectory, 'key.pem')
$certificateFile = [System.IO.Path]::Combine($outputDirectory, 'cert.pem')
$chainFile = [System.IO.Path]::Combine($outputDirectory, 'chain.pem')
$fullChainFile = [System.IO.Path]::Combine($outputDirectory, 'fullchain.pem')
Assert-True ([System.IO.Directory]::Exists($outputDirectory)) "the relative -OutputDirectory should be created under the PowerShell location '$WorkDirectory'"
if ([System.Environment]::CurrentDirectory -ne $WorkDirectory) {
    Assert-FileMissing ([System.IO.Path]::Combine([System.Environment]::CurrentDirectory, $relativeOutput)) 'a relative -OutputDirectory is resolved against the PowerShell location, not the process directory'
}

Assert-Equal @('cert.pem', 'chain.pem', 'fullchain.pem', 'key.pem') (Get-ScenarioFileNames $outputDirectory) 'exactly the four PEM files (no temporary files left)'
Assert-FileMode $keyFile '600'
Assert-FileMode $certificateFile '644' 'certificates are public'

# The object.
Assert-Count 1 $imported 'Import-PfxAsPem -OutputDirectory emits the one leaf'
$leaf = $imported[0]
Assert-Equal 'CertCmdlets.CertificateInfo' $leaf.PSObject.TypeNames[0] 'the output type'
Assert-Equal $leafThumbprint $leaf.Thumbprint 'the leaf is the certificate whose public key matches the key (openssl''s fingerprint)'
Assert-Equal 'www.example.com' $leaf.CommonName 'the leaf''s common name'
Assert-True $leaf.HasPrivateKey 'the leaf carries its key'
Assert-Equal $chainThumbprints @($leaf.Chain | ForEach-Object { $_.Thumbprint }) 'the chain runs leaf to root: intermediate, then root'
Assert-Equal $keyFile $leaf.KeyPath 'KeyPath names key.pem'
Assert-Equal $certificateFile $leaf.CertificatePath 'CertificatePath names cert.pem'
Assert-Equal $chainFile $leaf.ChainPath 'ChainPath names chain.pem'
Assert-Equal $fullChainFile $leaf.FullChainPath 'FullChainPath names fullchain.pem'
Assert-Equal $pfxFile $leaf.PfxPath 'PfxPath names the PFX read'
Assert-NotMatch ("$leaf") 'PRIVATE KEY' 'ToString never shows key material'

# key.pem: unencrypted, readable by openssl without a password, the certificate's key.
$keyText = [System.IO.File]::ReadAllText($keyFile)
Assert-Match $keyText '-----BEGIN PRIVATE KEY-----' 'key.pem is unencrypted PKCS#8 by default (Apache reads it without a pass phrase)'
Assert-NotMatch $keyText 'ENCRYPTED' 'key.pem is not encrypted by default'
$null = Invoke-OpenSsl -ArgumentList @('pkey', '-in', $keyFile, '-noout')
$certificatePublicKey = Get-OpenSslPublicKey -Kind Certificate -Path $certificateFile
Assert-Equal $certificatePublicKey (Get-OpenSslPublicKey -Kind Key -Path $keyFile) 'key.pem is the key of cert.pem'
Assert-Equal (Get-OpenSslPublicKey -Kind Key -Path $leafKeyFile) (Get-OpenSslPublicKey -Kind Key -Path $keyFile) 'key.pem is the key openssl put in the PFX'

# cert.pem: the leaf alone. chain.pem: the CAs, leaf to root. fullchain.pem: both.
$null = Invoke-OpenSsl -ArgumentList @('x509', '-in', $certificateFile, '-noout')
Assert-Equal $leafThumbprint (Get-OpenSslThumbprint $certificateFile) 'openssl reads the leaf from cert.pem'
Assert-Equal @($leafThumbprint) (Get-PemThumbprints $certificateFile) 'cert.pem holds the leaf only'
Assert-Equal $chainThumbprints (Get-PemThumbprints $chainFile) 'chain.pem holds the intermediate, then the root'
Assert-Equal (@($leafThumbprint) + $chainThumbprints) (Get-PemThumbprints $fullChainFile) 'fullchain.pem holds the leaf, then the chain'
Assert-Equal ([System.IO.File]::ReadAllText($certificateFile) + [System.IO.File]::ReadAllText($chainFile)) ([System.IO.File]::ReadAllText($fullChainFile)) 'fullchain.pem is cert.pem followed by chain.pem'
$subject = Invoke-OpenSsl -ArgumentList @('x509', '-in', $certificateFile, '-noout', '-subject', '-nameopt', 'RFC2253')
Assert-Equal 'subject=CN=www.example.com,O=Example Ltd,C=GB' $subject.Trim() 'openssl reads the leaf''s subject'
$verify = Invoke-OpenSsl -ArgumentList @('verify', '-CAfile', $rootFile, '-untrusted', $chainFile, $certificateFile)
Assert-Match $verify ([regex]::Escape($certificateFile) + ': OK') 'openssl verifies cert.pem against the root with chain.pem as the intermediates'
$verifyFullChain = Invoke-OpenSsl -ArgumentList @('verify', '-CAfile', $rootFile, '-untrusted', $fullChainFile, $certificateFile)
Assert-Match $verifyFullChain ': OK' 'fullchain.pem serves as the intermediates too'

# --- -Verbose says how the file was protected, and never the password -------------------------------------------------
$records = @(Import-PfxAsPem -LiteralPath $pfxFile -Password $secure -Verbose 4>&1)
$verbose = @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object { $_.Message }) -join "`n"
Assert-Count 1 @($records | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }) 'without -OutputDirectory the leaf is emitted'
switch ($PfxFormat) {
    'Default' {
        Assert-Match $verbose 'AES-256-CBC' '-Verbose names the AES-256 encryption of OpenSSL 3''s default'
        Assert-Match $verbose 'PBKDF2-HMAC-SHA256' '-Verbose names the key derivation'
        Assert-Match $verbose 'HMAC-SHA256' '-Verbose names the SHA-256 MAC'
    }
    'Legacy' {
        Assert-Match $verbose 'RC2-40' '-Verbose names the RC2-40 encryption of the certificates'
        Assert-Match $verbose '3DES' '-Verbose names the 3DES encryption of the key'
        Assert-Match $verbose 'HMAC-SHA1\b' '-Verbose names the SHA-1 MAC'
    }
    'Windows' {
        Assert-Match $verbose '3DES' '-Verbose names the 3DES encryption'
        Assert-NotMatch $verbose 'AES|RC2' 'a 3DES-only file is described as such'
        Assert-Match $verbose 'HMAC-SHA1\b' '-Verbose names the SHA-1 MAC'
    }
}

Assert-NotMatch $verbose ([regex]::Escape($pfxPassword)) '-Verbose never shows the password'

# --- Piped paths and -PlainTextPassword ------------------------------------------------------------------------------
$fromString = @($pfxFile | Import-PfxAsPem -Password $secure)
Assert-Equal @($leafThumbprint) @($fromString | ForEach-Object { $_.Thumbprint }) 'a piped path string is read'
$fromFile = @([System.IO.FileInfo]::new($pfxFile) | Import-PfxAsPem -PlainTextPassword $pfxPassword)
Assert-Equal @($leafThumbprint) @($fromFile | ForEach-Object { $_.Thumbprint }) 'a piped file object is read, with -PlainTextPassword'
Assert-True $fromFile[0].HasPrivateKey 'the piped read carries the key'
Assert-Equal $chainThumbprints @($fromFile[0].Chain | ForEach-Object { $_.Thumbprint }) 'the piped read carries the chain'

# --- Custom file names and an encrypted key.pem -----------------------------------------------------------------------
$customDirectory = [System.IO.Path]::Combine($WorkDirectory, 'custom')
$keyPassword = 'apache key pass phrase'
$custom = @(Import-PfxAsPem -LiteralPath $pfxFile -Password $secure -OutputDirectory $customDirectory -KeyFileName 'site.key' -CertificateFileName 'site.crt' `
        -ChainFileName 'site-chain.crt' -FullChainFileName 'site-fullchain.crt' -KeyPassword (New-ScenarioSecureString $keyPassword))
Assert-Equal @('site-chain.crt', 'site-fullchain.crt', 'site.crt', 'site.key') (Get-ScenarioFileNames $customDirectory) 'the custom file names are used'
$customKey = [System.IO.Path]::Combine($customDirectory, 'site.key')
Assert-Equal $customKey $custom[0].KeyPath 'KeyPath names the custom key file'
Assert-FileMode $customKey '600'
Assert-Match ([System.IO.File]::ReadAllText($customKey)) '-----BEGIN ENCRYPTED PRIVATE KEY-----' 'with -KeyPassword the key file is encrypted'
Assert-Equal $certificatePublicKey (Get-OpenSslPublicKey -Kind Key -Path $customKey -Password $keyPassword) 'openssl opens the encrypted key with -KeyPassword''s password'
$noPassword = Invoke-OpenSsl -ArgumentList @('pkey', '-in', $customKey, '-noout', '-passin', 'pass:') -AllowFailure
Assert-NotEqual 0 $noPassword.ExitCode 'openssl cannot read the encrypted key without its password'
Assert-Equal $chainThumbprints (Get-PemThumbprints ([System.IO.Path]::Combine($customDirectory, 'site-chain.crt'))) 'the custom chain file holds the chain'

# --- No overwrite without -Force ---------------------------------------------------------------------------------------
$before = Get-DirectorySnapshot $outputDirectory
$again = Assert-ErrorId { Import-PfxAsPem -LiteralPath $pfxFile -Password $secure -OutputDirectory $outputDirectory } 'OutputFileExists' -Category ResourceExists
Assert-Count 0 $again.Output 'nothing is emitted when the files exist'
Assert-DirectoryUnchanged $before $outputDirectory 'existing PEM files are kept without -Force'

[System.IO.File]::WriteAllText($chainFile, "an old chain`n")
$forced = @(Import-PfxAsPem -LiteralPath $pfxFile -Password $secure -OutputDirectory $outputDirectory -Force)
Assert-Count 1 $forced 'with -Force the files are written again'
Assert-Equal $chainThumbprints (Get-PemThumbprints $chainFile) '-Force replaced the old chain.pem'
Assert-Equal @('cert.pem', 'chain.pem', 'fullchain.pem', 'key.pem') (Get-ScenarioFileNames $outputDirectory) 'still exactly the four files'
Assert-FileMode $keyFile '600'
Assert-Equal $certificatePublicKey (Get-OpenSslPublicKey -Kind Key -Path $keyFile) 'the replaced key.pem is still the certificate''s key'

# One existing file is enough to stop the whole set: the others are not written either (all or nothing).
$partialDirectory = New-ScenarioDirectory -Parent $WorkDirectory -Name 'partial'
[System.IO.File]::WriteAllText([System.IO.Path]::Combine($partialDirectory, 'chain.pem'), "an old chain`n")
$beforePartial = Get-DirectorySnapshot $partialDirectory
$partial = Assert-ErrorId { Import-PfxAsPem -LiteralPath $pfxFile -Password $secure -OutputDirectory $partialDirectory } 'OutputFileExists' -Category ResourceExists
Assert-Count 0 $partial.Output 'nothing is emitted'
Assert-DirectoryUnchanged $beforePartial $partialDirectory 'no key.pem, cert.pem or fullchain.pem is written beside an existing chain.pem'

# --- Wildcards ---------------------------------------------------------------------------------------------------------
$wildcard = @(Import-PfxAsPem -Path ([System.IO.Path]::Combine($WorkDirectory, '*.pfx')) -Password $secure)
Assert-Equal @($leafThumbprint) @($wildcard | ForEach-Object { $_.Thumbprint }) '-Path expands wildcards'

# --- -WhatIf writes nothing ---------------------------------------------------------------------------------------------
$beforeWhatIf = Get-DirectorySnapshot $WorkDirectory
$whatIf = Assert-NoError { Import-PfxAsPem -LiteralPath $pfxFile -Password $secure -OutputDirectory ([System.IO.Path]::Combine($WorkDirectory, 'whatif')) -WhatIf }
Assert-Count 0 $whatIf 'Import-PfxAsPem -WhatIf emits nothing'
$whatIfForce = Assert-NoError { Import-PfxAsPem -LiteralPath $pfxFile -Password $secure -OutputDirectory $outputDirectory -Force -WhatIf }
Assert-Count 0 $whatIfForce 'Import-PfxAsPem -Force -WhatIf emits nothing'
Assert-DirectoryUnchanged $beforeWhatIf $WorkDirectory '-WhatIf creates no directory and replaces no file'
