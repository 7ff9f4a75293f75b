<#
.SYNOPSIS
    The internal-CA story end to end: New-CertAuthority (root, then an intermediate with -Issuer), a request approved
    by the intermediate, Complete-CertRequest with the CA's answer pasted in any order, and a fullchain that
    `openssl verify -CAfile root.crt -untrusted intermediate.crt` accepts. Also a CSR made by openssl, and one asking
    for CA powers, which is refused.

.DESCRIPTION
    openssl is the judge: it reads the CA certificates (critical basic constraints and key usage, key identifiers), the
    serial numbers (16 random bytes), and verifies every certificate the module signs against the root it wrote.

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
$caDirectory = (New-Item -ItemType Directory -Path $WorkDirectory -Name 'ca').FullName
$rootFile = Join-Path $caDirectory 'root.crt'
$intermediateFile = Join-Path $caDirectory 'intermediate.crt'

function Assert-OpenSslVerifies {
    # openssl verify -CAfile root -untrusted <chain> <leaf> must print '<leaf>: OK'.
    param([string] $Untrusted, [string] $Leaf, [string] $Because)

    $verdict = Invoke-OpenSsl -ArgumentList @('verify', '-CAfile', $rootFile, '-untrusted', $Untrusted, $Leaf) -AllowFailure
    if ($verdict.ExitCode -ne 0) {
        throw "openssl verify rejected '$Leaf' ($Because): $($verdict.Output)"
    }

    $verdict.Output | Should -Match ([regex]::Escape("${Leaf}: OK")) -Because $Because
}

# --- The CA: a root (default key, RSA 3072) and an intermediate under it -----------------------------------------
$root = New-CertAuthority -CommonName 'Example Internal Root CA' -Organization 'Example Ltd' -OutputDirectory $caDirectory -Name 'root'
$root | Should -HaveCount 1 -Because 'New-CertAuthority emits the root'
$root.IsCertificateAuthority | Should -BeTrue -Because 'the root is a CA'
$root.HasPrivateKey | Should -BeTrue -Because 'the root carries its key, to sign with'
$root.KeyAlgorithm | Should -BeExactly 'RSA 3072' -Because 'a root CA gets RSA 3072 by default'
$root.CertificatePath | Should -BeExactly $rootFile -Because 'CertificatePath names root.crt'
if (-not $IsWindows) { Get-ScenarioFileMode (Join-Path $caDirectory 'root.key') | Should -BeExactly '600' -Because 'private keys must be readable by their owner only' }

$intermediate = New-CertAuthority -CommonName 'Example Internal Issuing CA' -Organization 'Example Ltd' -KeyAlgorithm ECDSA -PathLength 0 -Issuer $root -OutputDirectory $caDirectory -Name 'intermediate'
$intermediate | Should -HaveCount 1 -Because 'New-CertAuthority -Issuer emits the intermediate'
$intermediate.Issuer | Should -BeExactly $root.Subject -Because 'the root signed the intermediate'
@($intermediate.Chain | ForEach-Object { $_.Thumbprint }) | Should -BeExactly @($root.Thumbprint) -Because 'the intermediate carries the root as its chain'
if (-not $IsWindows) { Get-ScenarioFileMode (Join-Path $caDirectory 'intermediate.key') | Should -BeExactly '600' -Because 'private keys must be readable by their owner only' }

$rootText = Invoke-OpenSsl -ArgumentList @('x509', '-in', $rootFile, '-noout', '-text')
$rootText | Should -Match 'X509v3 Basic Constraints: critical\s+CA:TRUE' -Because 'the root has critical basicConstraints CA:TRUE'
$rootText | Should -Match 'X509v3 Key Usage: critical\s+[^\r\n]*Certificate Sign, CRL Sign' -Because 'the root has critical keyUsage keyCertSign, cRLSign'
$rootText | Should -Match 'X509v3 Subject Key Identifier' -Because 'the root has a subject key identifier'
$intermediateText = Invoke-OpenSsl -ArgumentList @('x509', '-in', $intermediateFile, '-noout', '-text')
$intermediateText | Should -Match 'X509v3 Basic Constraints: critical\s+CA:TRUE, pathlen:0' -Because 'the intermediate has critical basicConstraints with -PathLength 0'
$intermediateText | Should -Match 'X509v3 Authority Key Identifier' -Because 'the intermediate names the root key'
Assert-OpenSslVerifies -Untrusted $intermediateFile -Leaf $intermediateFile -Because 'the intermediate chains to the root'

# --- Request -> approve -> complete ----------------------------------------------------------------------------
$request = New-CertRequest -CommonName 'www.example.com' -DnsName 'example.com' -KeyAlgorithm ECDSA
$signed = @($request | Approve-CertRequest -Authority $intermediate -ValidDays 90)
$signed | Should -HaveCount 1 -Because 'Approve-CertRequest emits one certificate'
$signed = $signed[0]
$signed.DnsNames | Should -BeExactly @('www.example.com', 'example.com') -Because 'the requested names are copied'
$signed.Subject | Should -BeExactly $request.Subject -Because 'the requested subject is copied'
$signed.Issuer | Should -BeExactly $intermediate.Subject -Because 'the intermediate signed it'
@($signed.Chain | ForEach-Object { $_.Thumbprint }) | Should -BeExactly @($intermediate.Thumbprint) -Because 'the chain up to the CA comes with it, without the self-signed root (clients have it; servers need not send it)'
$signed.SerialNumber.Length | Should -BeExactly 32 -Because 'the serial is 16 bytes (32 hex digits)'
$days = ($signed.NotAfter.ToUniversalTime() - [datetime]::UtcNow).TotalDays
($days -gt 89.9 -and $days -le 90.01) | Should -BeTrue -Because "-ValidDays 90 gives 90 days (got $days)"
$again = $request | Approve-CertRequest -Authority $intermediate -ValidDays 90
$again.SerialNumber | Should -Not -BeExactly $signed.SerialNumber -Because 'serial numbers are random'

# The CA's answer as an administrator pastes it from an e-mail: root first, leaf in the middle, CRLF, blank lines.
$pasted = ("`n`n" + $root.ToPem() + "`n`n`n" + $signed.ToPem() + "`n  `n" + $intermediate.ToPem() + "`n") -replace "`r?`n", "`r`n"
$site = Join-Path $WorkDirectory 'site'
$completed = @($request | Complete-CertRequest -CertificateText $pasted -OutputDirectory $site)
$completed | Should -HaveCount 1 -Because 'Complete-CertRequest emits the completed certificate'
$completed = $completed[0]
$completed.Thumbprint | Should -BeExactly $signed.Thumbprint -Because 'the leaf is the signed certificate'
$completed.HasPrivateKey | Should -BeTrue -Because 'the request key is attached'
@($completed.Chain | ForEach-Object { $_.Thumbprint }) | Should -BeExactly @($intermediate.Thumbprint) -Because 'the chain is ordered, the root left out'
(Get-ScenarioFileNames $site) | Should -BeExactly @('cert.pem', 'chain.pem', 'fullchain.pem', 'key.pem') -Because 'the four files are written'
if (-not $IsWindows) { Get-ScenarioFileMode (Join-Path $site 'key.pem') | Should -BeExactly '600' -Because 'private keys must be readable by their owner only' }
$certPem = Join-Path $site 'cert.pem'
$chainPem = Join-Path $site 'chain.pem'
$fullChainPem = Join-Path $site 'fullchain.pem'
(Get-Content -LiteralPath $fullChainPem -Raw) | Should -BeExactly ($signed.ToPem() + $intermediate.ToPem()) -Because 'fullchain.pem is the leaf then the intermediate'
Assert-OpenSslVerifies -Untrusted $intermediateFile -Leaf $certPem -Because 'openssl verify -CAfile root.crt -untrusted intermediate.crt accepts the leaf'
Assert-OpenSslVerifies -Untrusted $chainPem -Leaf $certPem -Because 'chain.pem completes the leaf'
Assert-OpenSslVerifies -Untrusted $fullChainPem -Leaf $fullChainPem -Because 'fullchain.pem alone verifies against the root'
$purpose = Invoke-OpenSsl -ArgumentList @('verify', '-purpose', 'sslserver', '-CAfile', $rootFile, '-untrusted', $chainPem, $certPem) -AllowFailure
$purpose.ExitCode | Should -BeExactly 0 -Because "the leaf is good for TLS servers: $($purpose.Output)"
(Get-OpenSslPublicKey -Kind Key -Path (Join-Path $site 'key.pem')) | Should -BeExactly (Get-OpenSslPublicKey -Kind Certificate -Path $certPem) -Because 'key.pem belongs to cert.pem'
$serial = (Invoke-OpenSsl -ArgumentList @('x509', '-in', $certPem, '-noout', '-serial')) -replace '^serial=', ''
$serial.Trim() | Should -BeExactly $signed.SerialNumber -Because 'openssl reads the same 16-byte serial'
(Test-CertChain -Path $fullChainPem -TrustedRootPath $rootFile -DnsName 'example.com' -Quiet) | Should -BeTrue -Because 'Test-CertChain finds nothing wrong with the fullchain'

# --- A CSR made by openssl, signed from its file, completed from files --------------------------------------------
$openSslDirectory = (New-Item -ItemType Directory -Path $WorkDirectory -Name 'openssl').FullName
$csr = Join-Path $openSslDirectory 'api.csr'
$csrKey = Join-Path $openSslDirectory 'api.key'
$null = Invoke-OpenSsl -ArgumentList @('req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', $csrKey, '-out', $csr,
    '-subj', '/C=GB/O=Example Ltd/CN=api.example.com', '-addext', 'subjectAltName=DNS:api.example.com,IP:192.0.2.10')
$fromCsr = @(Approve-CertRequest -Path $csr -Authority $intermediate)
$fromCsr | Should -HaveCount 1 -Because 'a CSR file is signed'
$fromCsr[0].DnsNames | Should -BeExactly @('api.example.com') -Because 'the DNS name of the openssl request'
$fromCsr[0].IpAddresses | Should -BeExactly @('192.0.2.10') -Because 'the IP address of the openssl request'
$fromCsr[0].HasPrivateKey | Should -BeFalse -Because 'a CSR file brings no key'
$answer = Join-Path $openSslDirectory 'api-from-ca.pem'
Set-Content -LiteralPath $answer -Value ($intermediate.ToPem() + $fromCsr[0].ToPem()) -NoNewline
$apiSite = Join-Path $WorkDirectory 'api-site'
$apiCompleted = Complete-CertRequest -RequestPath $csr -KeyPath $csrKey -CertificatePath $answer -OutputDirectory $apiSite
$apiCompleted.HasPrivateKey | Should -BeTrue -Because 'the openssl key is attached'
$apiCompleted.KeyPath | Should -BeExactly (Join-Path $apiSite 'key.pem') -Because 'KeyPath names the key.pem written'
(Get-OpenSslPublicKey -Kind Key -Path $apiCompleted.KeyPath) | Should -BeExactly (Get-OpenSslPublicKey -Kind Key -Path $csrKey) -Because 'key.pem holds the openssl key'
Assert-OpenSslVerifies -Untrusted $intermediateFile -Leaf (Join-Path $apiSite 'cert.pem') -Because 'the certificate for the openssl CSR verifies'
(Get-OpenSslPublicKey -Kind Certificate -Path (Join-Path $apiSite 'cert.pem')) | Should -BeExactly (Get-OpenSslPublicKey -Kind Request -Path $csr) -Because 'the certificate holds the key of the CSR'

# --- A request asking for CA powers is refused, and nothing is written ---------------------------------------------
$evil = Join-Path $openSslDirectory 'evil.csr'
$null = Invoke-OpenSsl -ArgumentList @('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', (Join-Path $openSslDirectory 'evil.key'),
    '-out', $evil, '-subj', '/CN=evil.example.com', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign')
$before = Get-DirectorySnapshot $WorkDirectory
$refused = Invoke-ScenarioCommand { Approve-CertRequest -Path $evil -Authority $intermediate }
$refused.Errors | Should -HaveCount 1
$refused.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'RequestAsksForCa,*'
$refused.Errors[0].CategoryInfo.Category | Should -Be 'SecurityError'
$refused.Errors[0].Exception.Message | Should -Match 'evil\.csr'
$refused.Output | Should -HaveCount 0 -Because 'no certificate is emitted for a request asking for CA:TRUE'
$refused.Errors[0].TargetObject | Should -BeExactly $evil -Because 'the error targets the CSR file'
Compare-Object $before (Get-DirectorySnapshot $WorkDirectory) -CaseSensitive | Should -BeNullOrEmpty -Because 'a refused request writes nothing'
