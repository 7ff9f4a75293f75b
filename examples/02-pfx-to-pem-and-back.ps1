<#
.SYNOPSIS
    A PFX from Windows/IIS becomes the PEM files Apache needs (key without password, certificate, chain,
    full chain), and goes back to PFX for Windows, modern and legacy.

.DESCRIPTION
    The PFX is made here by openssl when it is installed (as an IIS export would arrive), otherwise by the
    module itself. Everything happens in a sandbox folder.
#>
[CmdletBinding()]
param(
    [string] $Sandbox = [System.IO.Path]::Combine($PSScriptRoot, '..', 'sandbox', [DateTime]::Now.ToString('yyyyMMdd-HHmmss'), 'pfx')
)

$ErrorActionPreference = 'Stop'
Import-Module ([System.IO.Path]::Combine($PSScriptRoot, '..', 'CertCmdlets.psd1'))
$Sandbox = [System.IO.Path]::GetFullPath($Sandbox)
$null = [System.IO.Directory]::CreateDirectory($Sandbox)
"Sandbox: $Sandbox"

# An internal CA and a server certificate, standing in for what a Windows CA issued.
$root = New-CertAuthority 'Example Root CA' -KeyAlgorithm ECDSA
$issuing = New-CertAuthority 'Example Issuing CA' -Issuer $root -KeyAlgorithm ECDSA
$server = New-CertRequest 'www.example.com' -DnsName 'example.com' | Approve-CertRequest -Authority $issuing
$incoming = [System.IO.Path]::Combine($Sandbox, 'from-iis.pfx')
$null = $server | Export-PemAsPfx -OutFile $incoming -PlainTextPassword 'Iis-Export-2026' -Legacy
"A PFX as Windows Server exports it (3DES, SHA-1 MAC): $incoming"

# 1. PFX in, PEM files out: what used to be three openssl commands.
$pem = Import-PfxAsPem $incoming -PlainTextPassword 'Iis-Export-2026' -OutputDirectory ([System.IO.Path]::Combine($Sandbox, 'apache')) -Verbose
$pem | Out-Default
"key:       $($pem.KeyPath) (no password)"
"cert:      $($pem.CertificatePath)"
"chain:     $($pem.ChainPath)"
"fullchain: $($pem.FullChainPath)"

# 2. And back, for IIS: modern encryption by default.
$outgoing = [System.IO.Path]::Combine($Sandbox, 'for-iis.pfx')
$back = $pem | Export-PemAsPfx -OutFile $outgoing -PlainTextPassword 'Back-To-Windows' -FriendlyName 'www.example.com 2026'
"Written: $($back.PfxPath)"

if (Get-Command openssl -ErrorAction SilentlyContinue) {
    & openssl pkey -in $pem.KeyPath -noout 2>&1
    if ($LASTEXITCODE -eq 0) { 'openssl reads key.pem without a password.' }
    # The password reaches openssl through its environment, never its command line (visible to other users).
    [Environment]::SetEnvironmentVariable('CERTCMDLETS_EXAMPLE_PW', 'Back-To-Windows')
    try {
        & openssl pkcs12 -in $outgoing -passin env:CERTCMDLETS_EXAMPLE_PW -noout -info 2>&1 | ForEach-Object { "  openssl: $_" }
    }
    finally {
        [Environment]::SetEnvironmentVariable('CERTCMDLETS_EXAMPLE_PW', $null)
    }
}
