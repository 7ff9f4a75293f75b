<#
.SYNOPSIS
    Complete-CertRequest refuses a certificate that is not the answer to the request: another request's certificate
    (CertificateRequestMismatch) or one missing a requested name (CertificateNamesMismatch). Each error says what
    differs, and nothing is written. Approve-CertRequest refuses an authority that cannot sign.

.DESCRIPTION
    The CA and the requests are made by the module itself (no peer needed). The names case uses the same key for both
    requests (New-CertRequest -KeyPath), so only the names differ.

.PARAMETER WorkDirectory
    An empty (or new) directory the scenario may fill.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)][string] $WorkDirectory
)

$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'Assert.ps1')

$WorkDirectory = Initialize-ScenarioDirectory $WorkDirectory
$caDirectory = (New-Item -ItemType Directory -Path $WorkDirectory -Name 'ca').FullName
$requests = (New-Item -ItemType Directory -Path $WorkDirectory -Name 'requests').FullName
$site = Join-Path $WorkDirectory 'site'
$root = New-CertAuthority -CommonName 'Mismatch Root CA' -KeyAlgorithm ECDSA -OutputDirectory $caDirectory -Name 'root'
$intermediate = New-CertAuthority -CommonName 'Mismatch Issuing CA' -KeyAlgorithm ECDSA -Issuer $root -OutputDirectory $caDirectory -Name 'issuing'

# --- Another request's certificate ----------------------------------------------------------------------------------
$mine = New-CertRequest -CommonName 'www.example.com' -DnsName 'example.com' -KeyAlgorithm ECDSA
$theirs = New-CertRequest -CommonName 'intranet.example.net' -KeyAlgorithm ECDSA
$theirCertificate = $theirs | Approve-CertRequest -Authority $intermediate -ValidDays 90
$answer = Join-Path $requests 'answer.pem'
Set-Content -LiteralPath $answer -Value ($theirCertificate.ToPem() + $intermediate.ToPem()) -NoNewline
$before = Get-DirectorySnapshot $WorkDirectory

$wrongFile = Invoke-ScenarioCommand { $mine | Complete-CertRequest -CertificatePath $answer -OutputDirectory $site }
$wrongFile.Errors | Should -HaveCount 1
$wrongFile.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'CertificateRequestMismatch,*'
$wrongFile.Errors[0].CategoryInfo.Category | Should -Be 'SecurityError'
$wrongFile.Output | Should -HaveCount 0 -Because 'nothing is emitted'
$wrongFile.Errors[0].TargetObject | Should -BeExactly $answer -Because 'the error targets the certificate file'
$wrongFile.Errors[0].Exception.Message | Should -Match 'www\.example\.com' -Because 'the message names the request'
$wrongFile.Errors[0].Exception.Message | Should -Match 'intranet\.example\.net' -Because 'the message names the certificate that came instead'
Test-Path -LiteralPath $site | Should -BeFalse -Because 'no output directory is created'
Compare-Object $before (Get-DirectorySnapshot $WorkDirectory) -CaseSensitive | Should -BeNullOrEmpty -Because 'a mismatched certificate writes nothing'

$wrongText = Invoke-ScenarioCommand { $mine | Complete-CertRequest -CertificateText ($intermediate.ToPem() + $theirCertificate.ToPem()) -OutputDirectory $site }
$wrongText.Errors | Should -HaveCount 1
$wrongText.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'CertificateRequestMismatch,*'
$wrongText.Errors[0].CategoryInfo.Category | Should -Be 'SecurityError'
$wrongText.Output | Should -HaveCount 0 -Because 'nothing is emitted for pasted text either'
Compare-Object $before (Get-DirectorySnapshot $WorkDirectory) -CaseSensitive | Should -BeNullOrEmpty -Because 'mismatched pasted text writes nothing'

# --- The right key, but a name missing --------------------------------------------------------------------------
$asked = New-CertRequest -CommonName 'www.example.com' -DnsName 'shop.example.com' -KeyAlgorithm ECDSA -OutputDirectory $requests
$askedRequest = Join-Path $requests 'www.example.com.csr'
$askedKey = Join-Path $requests 'www.example.com.key'
Test-Path -LiteralPath $askedRequest -PathType Leaf | Should -BeTrue -Because 'the command should have written it'
Test-Path -LiteralPath $askedKey -PathType Leaf | Should -BeTrue -Because 'the command should have written it'
$fewer = New-CertRequest -CommonName 'www.example.com' -KeyPath $askedKey
$fewer.DnsNames | Should -BeExactly @('www.example.com') -Because 'the second request has only the CN'
$fewerCertificate = Join-Path $requests 'fewer.pem'
Set-Content -LiteralPath $fewerCertificate -Value (($fewer | Approve-CertRequest -Authority $intermediate -ValidDays 90).ToPem()) -NoNewline
$before = Get-DirectorySnapshot $WorkDirectory

$names = Invoke-ScenarioCommand { Complete-CertRequest -RequestPath $askedRequest -KeyPath $askedKey -CertificatePath $fewerCertificate -IntermediatePath $caDirectory -OutputDirectory $site }
$names.Errors | Should -HaveCount 1
$names.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'CertificateNamesMismatch,*'
$names.Errors[0].CategoryInfo.Category | Should -Be 'SecurityError'
$names.Output | Should -HaveCount 0 -Because 'nothing is emitted'
$names.Errors[0].TargetObject | Should -BeExactly $fewerCertificate -Because 'the error targets the certificate file'
$names.Errors[0].Exception.Message | Should -Match 'shop\.example\.com' -Because 'the message names the missing name'
Test-Path -LiteralPath $site | Should -BeFalse -Because 'no output directory is created'
Compare-Object $before (Get-DirectorySnapshot $WorkDirectory) -CaseSensitive | Should -BeNullOrEmpty -Because 'a certificate missing a name writes nothing'

$objectNames = Invoke-ScenarioCommand { $asked | Complete-CertRequest -CertificatePath $fewerCertificate -OutputDirectory $site }
$objectNames.Errors | Should -HaveCount 1
$objectNames.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'CertificateNamesMismatch,*'
$objectNames.Output | Should -HaveCount 0 -Because 'the request object fares the same'
Compare-Object $before (Get-DirectorySnapshot $WorkDirectory) -CaseSensitive | Should -BeNullOrEmpty -Because 'nothing written from the request object either'

# --- The right certificate completes, and a second run does not overwrite without -Force ----------------------------------
$right = $asked | Approve-CertRequest -Authority $intermediate -ValidDays 90
$completed = $asked | Complete-CertRequest -CertificateText $right.ToPem() -IntermediatePath $caDirectory -OutputDirectory $site
@($completed.Chain | ForEach-Object { $_.Thumbprint }) | Should -BeExactly @($intermediate.Thumbprint) -Because 'the intermediate comes from -IntermediatePath, the root is left out'
(Get-ScenarioFileNames $site) | Should -BeExactly @('cert.pem', 'chain.pem', 'fullchain.pem', 'key.pem') -Because 'the four files'
$before = Get-DirectorySnapshot $WorkDirectory
$again = Invoke-ScenarioCommand { $asked | Complete-CertRequest -CertificateText $right.ToPem() -IntermediatePath $caDirectory -OutputDirectory $site }
$again.Errors | Should -HaveCount 1
$again.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'OutputFileExists,*'
$again.Errors[0].CategoryInfo.Category | Should -Be 'ResourceExists'
$again.Output | Should -HaveCount 0 -Because 'nothing is emitted'
Compare-Object $before (Get-DirectorySnapshot $WorkDirectory) -CaseSensitive | Should -BeNullOrEmpty -Because 'the completed files are not replaced without -Force'

# --- An authority that cannot sign --------------------------------------------------------------------------------
$publicOnly = Import-CertFile -Path (Join-Path $caDirectory 'issuing.crt')
$noKey = Invoke-ScenarioCommand { $mine | Approve-CertRequest -Authority $publicOnly }
$noKey.Errors | Should -HaveCount 1
$noKey.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'AuthorityHasNoPrivateKey,*'
$noKey.Errors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
$noKey.Output | Should -HaveCount 0 -Because 'nothing is signed without the CA key'
$notCa = Invoke-ScenarioCommand { $mine | Approve-CertRequest -Authority $right }
$notCa.Errors | Should -HaveCount 1
$notCa.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'AuthorityNotCertificateAuthority,*'
$notCa.Output | Should -HaveCount 0 -Because 'a server certificate cannot sign'
$days = Invoke-ScenarioCommand { $mine | Approve-CertRequest -Authority $intermediate -ValidDays 0 }
$days.Errors | Should -HaveCount 1
$days.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'ValidDaysOutOfRange,*'
$days.Output | Should -HaveCount 0 -Because 'nothing is signed for 0 days'
Compare-Object $before (Get-DirectorySnapshot $WorkDirectory) -CaseSensitive | Should -BeNullOrEmpty -Because 'refused approvals write nothing'
