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
. ([System.IO.Path]::Combine($PSScriptRoot, 'Assert.ps1'))

$skip = Get-OpenSslSkip -Require:$RequireOpenSsl
if ($skip) {
    return $skip
}

$WorkDirectory = Initialize-ScenarioDirectory $WorkDirectory
$caDirectory = New-ScenarioDirectory -Parent $WorkDirectory -Name 'ca'
$rootFile = [System.IO.Path]::Combine($caDirectory, 'root.crt')
$intermediateFile = [System.IO.Path]::Combine($caDirectory, 'intermediate.crt')

function Assert-OpenSslVerifies {
    # openssl verify -CAfile root -untrusted <chain> <leaf> must print '<leaf>: OK'.
    param([string] $Untrusted, [string] $Leaf, [string] $Because)

    $verdict = Invoke-OpenSsl -ArgumentList @('verify', '-CAfile', $rootFile, '-untrusted', $Untrusted, $Leaf) -AllowFailure
    if ($verdict.ExitCode -ne 0) {
        throw "openssl verify rejected '$Leaf' ($Because): $($verdict.Output)"
    }

    Assert-Match $verdict.Output ([regex]::Escape("${Leaf}: OK")) $Because
}

# --- The CA: a root (default key, RSA 3072) and an intermediate under it -----------------------------------------
$root = New-CertAuthority -CommonName 'Example Internal Root CA' -Organization 'Example Ltd' -OutputDirectory $caDirectory -Name 'root'
Assert-Count 1 $root 'New-CertAuthority emits the root'
Assert-True $root.IsCertificateAuthority 'the root is a CA'
Assert-True $root.HasPrivateKey 'the root carries its key, to sign with'
Assert-Equal 'RSA 3072' $root.KeyAlgorithm 'a root CA gets RSA 3072 by default'
Assert-Equal $rootFile $root.CertificatePath 'CertificatePath names root.crt'
Assert-FileMode ([System.IO.Path]::Combine($caDirectory, 'root.key')) '600'

$intermediate = New-CertAuthority -CommonName 'Example Internal Issuing CA' -Organization 'Example Ltd' -KeyAlgorithm ECDSA -PathLength 0 -Issuer $root -OutputDirectory $caDirectory -Name 'intermediate'
Assert-Count 1 $intermediate 'New-CertAuthority -Issuer emits the intermediate'
Assert-Equal $root.Subject $intermediate.Issuer 'the root signed the intermediate'
Assert-Equal @($root.Thumbprint) @($intermediate.Chain | ForEach-Object { $_.Thumbprint }) 'the intermediate carries the root as its chain'
Assert-FileMode ([System.IO.Path]::Combine($caDirectory, 'intermediate.key')) '600'

$rootText = Invoke-OpenSsl -ArgumentList @('x509', '-in', $rootFile, '-noout', '-text')
Assert-Match $rootText 'X509v3 Basic Constraints: critical\s+CA:TRUE' 'the root has critical basicConstraints CA:TRUE'
Assert-Match $rootText 'X509v3 Key Usage: critical\s+[^\r\n]*Certificate Sign, CRL Sign' 'the root has critical keyUsage keyCertSign, cRLSign'
Assert-Match $rootText 'X509v3 Subject Key Identifier' 'the root has a subject key identifier'
$intermediateText = Invoke-OpenSsl -ArgumentList @('x509', '-in', $intermediateFile, '-noout', '-text')
Assert-Match $intermediateText 'X509v3 Basic Constraints: critical\s+CA:TRUE, pathlen:0' 'the intermediate has critical basicConstraints with -PathLength 0'
Assert-Match $intermediateText 'X509v3 Authority Key Identifier' 'the intermediate names the root key'
Assert-OpenSslVerifies -Untrusted $intermediateFile -Leaf $intermediateFile -Because 'the intermediate chains to the root'

# --- Request -> approve -> complete ----------------------------------------------------------------------------
$request = New-CertRequest -CommonName 'www.example.com' -DnsName 'example.com' -KeyAlgorithm ECDSA
$signed = @($request | Approve-CertRequest -Authority $intermediate -ValidDays 90)
Assert-Count 1 $signed 'Approve-CertRequest emits one certificate'
$signed = $signed[0]
Assert-Equal @('www.example.com', 'example.com') $signed.DnsNames 'the requested names are copied'
Assert-Equal $request.Subject $signed.Subject 'the requested subject is copied'
Assert-Equal $intermediate.Subject $signed.Issuer 'the intermediate signed it'
Assert-Equal @($intermediate.Thumbprint) @($signed.Chain | ForEach-Object { $_.Thumbprint }) 'the chain up to the CA comes with it, without the self-signed root (clients have it; servers need not send it)'
Assert-Equal 32 $signed.SerialNumber.Length 'the serial is 16 bytes (32 hex digits)'
$days = ($signed.NotAfter.ToUniversalTime() - [datetime]::UtcNow).TotalDays
Assert-True ($days -gt 89.9 -and $days -le 90.01) "-ValidDays 90 gives 90 days (got $days)"
$again = $request | Approve-CertRequest -Authority $intermediate -ValidDays 90
Assert-NotEqual $signed.SerialNumber $again.SerialNumber 'serial numbers are random'

# The CA's answer as an administrator pastes it from an e-mail: root first, leaf in the middle, CRLF, blank lines.
$pasted = ("`n`n" + $root.ToPem() + "`n`n`n" + $signed.ToPem() + "`n  `n" + $intermediate.ToPem() + "`n") -replace "`r?`n", "`r`n"
$site = [System.IO.Path]::Combine($WorkDirectory, 'site')
$completed = @($request | Complete-CertRequest -CertificateText $pasted -OutputDirectory $site)
Assert-Count 1 $completed 'Complete-CertRequest emits the completed certificate'
$completed = $completed[0]
Assert-Equal $signed.Thumbprint $completed.Thumbprint 'the leaf is the signed certificate'
Assert-True $completed.HasPrivateKey 'the request key is attached'
Assert-Equal @($intermediate.Thumbprint) @($completed.Chain | ForEach-Object { $_.Thumbprint }) 'the chain is ordered, the root left out'
Assert-Equal @('cert.pem', 'chain.pem', 'fullchain.pem', 'key.pem') (Get-ScenarioFileNames $site) 'the four files are written'
Assert-FileMode ([System.IO.Path]::Combine($site, 'key.pem')) '600'
$certPem = [System.IO.Path]::Combine($site, 'cert.pem')
$chainPem = [System.IO.Path]::Combine($site, 'chain.pem')
$fullChainPem = [System.IO.Path]::Combine($site, 'fullchain.pem')
Assert-Equal ($signed.ToPem() + $intermediate.ToPem()) ([System.IO.File]::ReadAllText($fullChainPem)) 'fullchain.pem is the leaf then the intermediate'
Assert-OpenSslVerifies -Untrusted $intermediateFile -Leaf $certPem -Because 'openssl verify -CAfile root.crt -untrusted intermediate.crt accepts the leaf'
Assert-OpenSslVerifies -Untrusted $chainPem -Leaf $certPem -Because 'chain.pem completes the leaf'
Assert-OpenSslVerifies -Untrusted $fullChainPem -Leaf $fullChainPem -Because 'fullchain.pem alone verifies against the root'
$purpose = Invoke-OpenSsl -ArgumentList @('verify', '-purpose', 'sslserver', '-CAfile', $rootFile, '-untrusted', $chainPem, $certPem) -AllowFailure
Assert-Equal 0 $purpose.ExitCode "the leaf is good for TLS servers: $($purpose.Output)"
Assert-Equal (Get-OpenSslPublicKey -Kind Certificate -Path $certPem) (Get-OpenSslPublicKey -Kind Key -Path ([System.IO.Path]::Combine($site, 'key.pem'))) 'key.pem belongs to cert.pem'
$serial = (Invoke-OpenSsl -ArgumentList @('x509', '-in', $certPem, '-noout', '-serial')) -replace '^serial=', ''
Assert-Equal $signed.SerialNumber $serial.Trim() 'openssl reads the same 16-byte serial'
Assert-True (Test-CertChain -Path $fullChainPem -TrustedRootPath $rootFile -DnsName 'example.com' -Quiet) 'Test-CertChain finds nothing wrong with the fullchain'

# --- A CSR made by openssl, signed from its file, completed from files --------------------------------------------
$openSslDirectory = New-ScenarioDirectory -Parent $WorkDirectory -Name 'openssl'
$csr = [System.IO.Path]::Combine($openSslDirectory, 'api.csr')
$csrKey = [System.IO.Path]::Combine($openSslDirectory, 'api.key')
$null = Invoke-OpenSsl -ArgumentList @('req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', $csrKey, '-out', $csr,
    '-subj', '/C=GB/O=Example Ltd/CN=api.example.com', '-addext', 'subjectAltName=DNS:api.example.com,IP:192.0.2.10')
$fromCsr = @(Approve-CertRequest -Path $csr -Authority $intermediate)
Assert-Count 1 $fromCsr 'a CSR file is signed'
Assert-Equal @('api.example.com') $fromCsr[0].DnsNames 'the DNS name of the openssl request'
Assert-Equal @('192.0.2.10') $fromCsr[0].IpAddresses 'the IP address of the openssl request'
Assert-False $fromCsr[0].HasPrivateKey 'a CSR file brings no key'
$answer = [System.IO.Path]::Combine($openSslDirectory, 'api-from-ca.pem')
[System.IO.File]::WriteAllText($answer, $intermediate.ToPem() + $fromCsr[0].ToPem())
$apiSite = [System.IO.Path]::Combine($WorkDirectory, 'api-site')
$apiCompleted = Complete-CertRequest -RequestPath $csr -KeyPath $csrKey -CertificatePath $answer -OutputDirectory $apiSite
Assert-True $apiCompleted.HasPrivateKey 'the openssl key is attached'
Assert-Equal ([System.IO.Path]::Combine($apiSite, 'key.pem')) $apiCompleted.KeyPath 'KeyPath names the key.pem written'
Assert-Equal (Get-OpenSslPublicKey -Kind Key -Path $csrKey) (Get-OpenSslPublicKey -Kind Key -Path $apiCompleted.KeyPath) 'key.pem holds the openssl key'
Assert-OpenSslVerifies -Untrusted $intermediateFile -Leaf ([System.IO.Path]::Combine($apiSite, 'cert.pem')) -Because 'the certificate for the openssl CSR verifies'
Assert-Equal (Get-OpenSslPublicKey -Kind Request -Path $csr) (Get-OpenSslPublicKey -Kind Certificate -Path ([System.IO.Path]::Combine($apiSite, 'cert.pem'))) 'the certificate holds the key of the CSR'

# --- A request asking for CA powers is refused, and nothing is written ---------------------------------------------
$evil = [System.IO.Path]::Combine($openSslDirectory, 'evil.csr')
$null = Invoke-OpenSsl -ArgumentList @('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', ([System.IO.Path]::Combine($openSslDirectory, 'evil.key')),
    '-out', $evil, '-subj', '/CN=evil.example.com', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign')
$before = Get-DirectorySnapshot $WorkDirectory
$refused = Assert-ErrorId { Approve-CertRequest -Path $evil -Authority $intermediate } 'RequestAsksForCa' -Category SecurityError -MessagePattern 'evil\.csr'
Assert-Count 0 $refused.Output 'no certificate is emitted for a request asking for CA:TRUE'
Assert-Equal $evil $refused.Errors[0].TargetObject 'the error targets the CSR file'
Assert-DirectoryUnchanged $before $WorkDirectory 'a refused request writes nothing'
