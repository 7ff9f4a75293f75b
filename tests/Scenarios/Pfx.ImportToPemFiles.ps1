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
. (Join-Path $PSScriptRoot 'Assert.ps1')

$skip = Get-OpenSslSkip -Require:$RequireOpenSsl
if ($skip) {
    return $skip
}

$WorkDirectory = Initialize-ScenarioDirectory $WorkDirectory
$pki = (New-Item -ItemType Directory -Path $WorkDirectory -Name 'pki').FullName
$pfxPassword = 'IIS export p4ssword!'

# --- The PFX, as IIS would export it (made by openssl) ----------------------------------------------------------------
$caExtensions = @('basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign', 'subjectKeyIdentifier=hash')
$rootFile = New-OpenSslSignedCertificate -Directory $pki -Name 'root' -Subject '/C=GB/O=Example Ltd/CN=Example Scenario Root CA' -Extensions $caExtensions
$intermediateFile = New-OpenSslSignedCertificate -Directory $pki -Name 'intermediate' -Subject '/C=GB/O=Example Ltd/CN=Example Scenario Intermediate CA' -Issuer 'root' `
    -Extensions ($caExtensions + 'authorityKeyIdentifier=keyid:always')
$leafFile = New-OpenSslSignedCertificate -Directory $pki -Name 'www' -Subject '/C=GB/O=Example Ltd/CN=www.example.com' -Issuer 'intermediate' -Algorithm $KeyAlgorithm -Extensions @(
    'basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', 'extendedKeyUsage=serverAuth',
    'subjectAltName=DNS:www.example.com,DNS:example.com', 'subjectKeyIdentifier=hash', 'authorityKeyIdentifier=keyid:always')
$leafKeyFile = Join-Path $pki 'www.key'
$rootFirst = Join-Path $pki 'cas-root-first.pem'
Set-Content -LiteralPath $rootFirst -Value ((Get-Content -LiteralPath $rootFile -Raw) + (Get-Content -LiteralPath $intermediateFile -Raw)) -NoNewline

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

$pfxFile = Join-Path $WorkDirectory 'site.pfx'
$null = Invoke-OpenSsl -ArgumentList (@('pkcs12', '-export', '-in', $leafFile, '-inkey', $leafKeyFile, '-certfile', $rootFirst, '-out', $pfxFile) + $formatArguments) `
    -Password $pfxPassword -PasswordOption '-passout'
$secure = ConvertTo-SecureString -String $pfxPassword -AsPlainText -Force

# --- Import-PfxAsPem -OutputDirectory, relative to the PowerShell location --------------------------------------------
$relativeOutput = 'apache-' + [guid]::NewGuid().ToString('N')
Push-Location -LiteralPath $WorkDirectory
try {
    $imported = @(Import-PfxAsPem -Path 'site.pfx' -Password $secure -OutputDirectory $relativeOutput)
}
finally {
    Pop-Location
}

$outputDirectory = Join-Path $WorkDirectory $relativeOutput
$keyFile = Join-Path $outputDirectory 'key.pem'
$certificateFile = Join-Path $outputDirectory 'cert.pem'
$chainFile = Join-Path $outputDirectory 'chain.pem'
$fullChainFile = Join-Path $outputDirectory 'fullchain.pem'
((Test-Path -LiteralPath $outputDirectory -PathType Container)) | Should -BeTrue -Because "the relative -OutputDirectory should be created under the PowerShell location '$WorkDirectory'"
if ([System.Environment]::CurrentDirectory -ne $WorkDirectory) {
    Test-Path -LiteralPath ((Join-Path ([System.Environment]::CurrentDirectory) $relativeOutput)) | Should -BeFalse -Because 'a relative -OutputDirectory is resolved against the PowerShell location, not the process directory'
}

(Get-ScenarioFileNames $outputDirectory) | Should -BeExactly @('cert.pem', 'chain.pem', 'fullchain.pem', 'key.pem') -Because 'exactly the four PEM files (no temporary files left)'
if (-not $IsWindows) { Get-ScenarioFileMode $keyFile | Should -BeExactly '600' -Because 'private keys must be readable by their owner only' }
if (-not $IsWindows) { Get-ScenarioFileMode $certificateFile | Should -BeExactly '644' -Because 'certificates are public' }

# The object.
$imported | Should -HaveCount 1 -Because 'Import-PfxAsPem -OutputDirectory emits the one leaf'
$leaf = $imported[0]
$leaf.PSObject.TypeNames[0] | Should -BeExactly 'CertCmdlets.CertificateInfo' -Because 'the output type'
$leaf.Thumbprint | Should -BeExactly $leafThumbprint -Because 'the leaf is the certificate whose public key matches the key (openssl''s fingerprint)'
$leaf.CommonName | Should -BeExactly 'www.example.com' -Because 'the leaf''s common name'
$leaf.HasPrivateKey | Should -BeTrue -Because 'the leaf carries its key'
@($leaf.Chain | ForEach-Object { $_.Thumbprint }) | Should -BeExactly $chainThumbprints -Because 'the chain runs leaf to root: intermediate, then root'
$leaf.KeyPath | Should -BeExactly $keyFile -Because 'KeyPath names key.pem'
$leaf.CertificatePath | Should -BeExactly $certificateFile -Because 'CertificatePath names cert.pem'
$leaf.ChainPath | Should -BeExactly $chainFile -Because 'ChainPath names chain.pem'
$leaf.FullChainPath | Should -BeExactly $fullChainFile -Because 'FullChainPath names fullchain.pem'
$leaf.PfxPath | Should -BeExactly $pfxFile -Because 'PfxPath names the PFX read'
("$leaf") | Should -Not -Match 'PRIVATE KEY' -Because 'ToString never shows key material'

# key.pem: unencrypted, readable by openssl without a password, the certificate's key.
$keyText = Get-Content -LiteralPath $keyFile -Raw
$keyText | Should -Match '-----BEGIN PRIVATE KEY-----' -Because 'key.pem is unencrypted PKCS#8 by default (Apache reads it without a pass phrase)'
$keyText | Should -Not -Match 'ENCRYPTED' -Because 'key.pem is not encrypted by default'
$null = Invoke-OpenSsl -ArgumentList @('pkey', '-in', $keyFile, '-noout')
$certificatePublicKey = Get-OpenSslPublicKey -Kind Certificate -Path $certificateFile
(Get-OpenSslPublicKey -Kind Key -Path $keyFile) | Should -BeExactly $certificatePublicKey -Because 'key.pem is the key of cert.pem'
(Get-OpenSslPublicKey -Kind Key -Path $keyFile) | Should -BeExactly (Get-OpenSslPublicKey -Kind Key -Path $leafKeyFile) -Because 'key.pem is the key openssl put in the PFX'

# cert.pem: the leaf alone. chain.pem: the CAs, leaf to root. fullchain.pem: both.
$null = Invoke-OpenSsl -ArgumentList @('x509', '-in', $certificateFile, '-noout')
(Get-OpenSslThumbprint $certificateFile) | Should -BeExactly $leafThumbprint -Because 'openssl reads the leaf from cert.pem'
(Get-PemThumbprints $certificateFile) | Should -BeExactly @($leafThumbprint) -Because 'cert.pem holds the leaf only'
(Get-PemThumbprints $chainFile) | Should -BeExactly $chainThumbprints -Because 'chain.pem holds the intermediate, then the root'
(Get-PemThumbprints $fullChainFile) | Should -BeExactly (@($leafThumbprint) + $chainThumbprints) -Because 'fullchain.pem holds the leaf, then the chain'
(Get-Content -LiteralPath $fullChainFile -Raw) | Should -BeExactly ((Get-Content -LiteralPath $certificateFile -Raw) + (Get-Content -LiteralPath $chainFile -Raw)) -Because 'fullchain.pem is cert.pem followed by chain.pem'
$subject = Invoke-OpenSsl -ArgumentList @('x509', '-in', $certificateFile, '-noout', '-subject', '-nameopt', 'RFC2253')
$subject.Trim() | Should -BeExactly 'subject=CN=www.example.com,O=Example Ltd,C=GB' -Because 'openssl reads the leaf''s subject'
$verify = Invoke-OpenSsl -ArgumentList @('verify', '-CAfile', $rootFile, '-untrusted', $chainFile, $certificateFile)
$verify | Should -Match ([regex]::Escape($certificateFile) + ': OK') -Because 'openssl verifies cert.pem against the root with chain.pem as the intermediates'
$verifyFullChain = Invoke-OpenSsl -ArgumentList @('verify', '-CAfile', $rootFile, '-untrusted', $fullChainFile, $certificateFile)
$verifyFullChain | Should -Match ': OK' -Because 'fullchain.pem serves as the intermediates too'

# --- -Verbose says how the file was protected, and never the password -------------------------------------------------
$records = @(Import-PfxAsPem -LiteralPath $pfxFile -Password $secure -Verbose 4>&1)
$verbose = @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object { $_.Message }) -join "`n"
@($records | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }) | Should -HaveCount 1 -Because 'without -OutputDirectory the leaf is emitted'
switch ($PfxFormat) {
    'Default' {
        $verbose | Should -Match 'AES-256-CBC' -Because '-Verbose names the AES-256 encryption of OpenSSL 3''s default'
        $verbose | Should -Match 'PBKDF2-HMAC-SHA256' -Because '-Verbose names the key derivation'
        $verbose | Should -Match 'HMAC-SHA256' -Because '-Verbose names the SHA-256 MAC'
    }
    'Legacy' {
        $verbose | Should -Match 'RC2-40' -Because '-Verbose names the RC2-40 encryption of the certificates'
        $verbose | Should -Match '3DES' -Because '-Verbose names the 3DES encryption of the key'
        $verbose | Should -Match 'HMAC-SHA1\b' -Because '-Verbose names the SHA-1 MAC'
    }
    'Windows' {
        $verbose | Should -Match '3DES' -Because '-Verbose names the 3DES encryption'
        $verbose | Should -Not -Match 'AES|RC2' -Because 'a 3DES-only file is described as such'
        $verbose | Should -Match 'HMAC-SHA1\b' -Because '-Verbose names the SHA-1 MAC'
    }
}

$verbose | Should -Not -Match ([regex]::Escape($pfxPassword)) -Because '-Verbose never shows the password'

# --- Piped paths and -PlainTextPassword ------------------------------------------------------------------------------
$fromString = @($pfxFile | Import-PfxAsPem -Password $secure)
@($fromString | ForEach-Object { $_.Thumbprint }) | Should -BeExactly @($leafThumbprint) -Because 'a piped path string is read'
$fromFile = @(Get-Item -LiteralPath $pfxFile | Import-PfxAsPem -PlainTextPassword $pfxPassword)
@($fromFile | ForEach-Object { $_.Thumbprint }) | Should -BeExactly @($leafThumbprint) -Because 'a piped file object is read, with -PlainTextPassword'
$fromFile[0].HasPrivateKey | Should -BeTrue -Because 'the piped read carries the key'
@($fromFile[0].Chain | ForEach-Object { $_.Thumbprint }) | Should -BeExactly $chainThumbprints -Because 'the piped read carries the chain'

# --- Custom file names and an encrypted key.pem -----------------------------------------------------------------------
$customDirectory = Join-Path $WorkDirectory 'custom'
$keyPassword = 'apache key pass phrase'
$custom = @(Import-PfxAsPem -LiteralPath $pfxFile -Password $secure -OutputDirectory $customDirectory -KeyFileName 'site.key' -CertificateFileName 'site.crt' `
        -ChainFileName 'site-chain.crt' -FullChainFileName 'site-fullchain.crt' -KeyPassword (ConvertTo-SecureString -String $keyPassword -AsPlainText -Force))
(Get-ScenarioFileNames $customDirectory) | Should -BeExactly @('site-chain.crt', 'site-fullchain.crt', 'site.crt', 'site.key') -Because 'the custom file names are used'
$customKey = Join-Path $customDirectory 'site.key'
$custom[0].KeyPath | Should -BeExactly $customKey -Because 'KeyPath names the custom key file'
if (-not $IsWindows) { Get-ScenarioFileMode $customKey | Should -BeExactly '600' -Because 'private keys must be readable by their owner only' }
(Get-Content -LiteralPath $customKey -Raw) | Should -Match '-----BEGIN ENCRYPTED PRIVATE KEY-----' -Because 'with -KeyPassword the key file is encrypted'
(Get-OpenSslPublicKey -Kind Key -Path $customKey -Password $keyPassword) | Should -BeExactly $certificatePublicKey -Because 'openssl opens the encrypted key with -KeyPassword''s password'
$noPassword = Invoke-OpenSsl -ArgumentList @('pkey', '-in', $customKey, '-noout', '-passin', 'pass:') -AllowFailure
$noPassword.ExitCode | Should -Not -BeExactly 0 -Because 'openssl cannot read the encrypted key without its password'
(Get-PemThumbprints (Join-Path $customDirectory 'site-chain.crt')) | Should -BeExactly $chainThumbprints -Because 'the custom chain file holds the chain'

# --- No overwrite without -Force ---------------------------------------------------------------------------------------
$before = Get-DirectorySnapshot $outputDirectory
$again = Invoke-ScenarioCommand { Import-PfxAsPem -LiteralPath $pfxFile -Password $secure -OutputDirectory $outputDirectory }
$again.Errors | Should -HaveCount 1
$again.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'OutputFileExists,*'
$again.Errors[0].CategoryInfo.Category | Should -Be 'ResourceExists'
$again.Output | Should -HaveCount 0 -Because 'nothing is emitted when the files exist'
Compare-Object $before (Get-DirectorySnapshot $outputDirectory) -CaseSensitive | Should -BeNullOrEmpty -Because 'existing PEM files are kept without -Force'

Set-Content -LiteralPath $chainFile -Value "an old chain`n" -NoNewline
$forced = @(Import-PfxAsPem -LiteralPath $pfxFile -Password $secure -OutputDirectory $outputDirectory -Force)
$forced | Should -HaveCount 1 -Because 'with -Force the files are written again'
(Get-PemThumbprints $chainFile) | Should -BeExactly $chainThumbprints -Because '-Force replaced the old chain.pem'
(Get-ScenarioFileNames $outputDirectory) | Should -BeExactly @('cert.pem', 'chain.pem', 'fullchain.pem', 'key.pem') -Because 'still exactly the four files'
if (-not $IsWindows) { Get-ScenarioFileMode $keyFile | Should -BeExactly '600' -Because 'private keys must be readable by their owner only' }
(Get-OpenSslPublicKey -Kind Key -Path $keyFile) | Should -BeExactly $certificatePublicKey -Because 'the replaced key.pem is still the certificate''s key'

# One existing file is enough to stop the whole set: the others are not written either (all or nothing).
$partialDirectory = (New-Item -ItemType Directory -Path $WorkDirectory -Name 'partial').FullName
Set-Content -LiteralPath (Join-Path $partialDirectory 'chain.pem') -Value "an old chain`n" -NoNewline
$beforePartial = Get-DirectorySnapshot $partialDirectory
$partial = Invoke-ScenarioCommand { Import-PfxAsPem -LiteralPath $pfxFile -Password $secure -OutputDirectory $partialDirectory }
$partial.Errors | Should -HaveCount 1
$partial.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'OutputFileExists,*'
$partial.Errors[0].CategoryInfo.Category | Should -Be 'ResourceExists'
$partial.Output | Should -HaveCount 0 -Because 'nothing is emitted'
Compare-Object $beforePartial (Get-DirectorySnapshot $partialDirectory) -CaseSensitive | Should -BeNullOrEmpty -Because 'no key.pem, cert.pem or fullchain.pem is written beside an existing chain.pem'

# --- Wildcards ---------------------------------------------------------------------------------------------------------
$wildcard = @(Import-PfxAsPem -Path (Join-Path $WorkDirectory '*.pfx') -Password $secure)
@($wildcard | ForEach-Object { $_.Thumbprint }) | Should -BeExactly @($leafThumbprint) -Because '-Path expands wildcards'

# --- -WhatIf writes nothing ---------------------------------------------------------------------------------------------
$beforeWhatIf = Get-DirectorySnapshot $WorkDirectory
$whatIf = @(Import-PfxAsPem -LiteralPath $pfxFile -Password $secure -OutputDirectory (Join-Path $WorkDirectory 'whatif') -WhatIf)
$whatIf | Should -HaveCount 0 -Because 'Import-PfxAsPem -WhatIf emits nothing'
$whatIfForce = @(Import-PfxAsPem -LiteralPath $pfxFile -Password $secure -OutputDirectory $outputDirectory -Force -WhatIf)
$whatIfForce | Should -HaveCount 0 -Because 'Import-PfxAsPem -Force -WhatIf emits nothing'
Compare-Object $beforeWhatIf (Get-DirectorySnapshot $WorkDirectory) -CaseSensitive | Should -BeNullOrEmpty -Because '-WhatIf creates no directory and replaces no file'
