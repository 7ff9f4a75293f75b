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
. ([System.IO.Path]::Combine($PSScriptRoot, 'Assert.ps1'))

$WorkDirectory = Initialize-ScenarioDirectory $WorkDirectory
$caDirectory = New-ScenarioDirectory -Parent $WorkDirectory -Name 'ca'
$requests = New-ScenarioDirectory -Parent $WorkDirectory -Name 'requests'
$site = [System.IO.Path]::Combine($WorkDirectory, 'site')
$root = New-CertAuthority -CommonName 'Mismatch Root CA' -KeyAlgorithm ECDSA -OutputDirectory $caDirectory -Name 'root'
$intermediate = New-CertAuthority -CommonName 'Mismatch Issuing CA' -KeyAlgorithm ECDSA -Issuer $root -OutputDirectory $caDirectory -Name 'issuing'

# --- Another request's certificate ----------------------------------------------------------------------------------
$mine = New-CertRequest -CommonName 'www.example.com' -DnsName 'example.com' -KeyAlgorithm ECDSA
$theirs = New-CertRequest -CommonName 'intranet.example.net' -KeyAlgorithm ECDSA
$theirCertificate = $theirs | Approve-CertRequest -Authority $intermediate -ValidDays 90
$answer = [System.IO.Path]::Combine($requests, 'answer.pem')
[System.IO.File]::WriteAllText($answer, $theirCertificate.ToPem() + $intermediate.ToPem())
$before = Get-DirectorySnapshot $WorkDirectory

$wrongFile = Assert-ErrorId { $mine | Complete-CertRequest -CertificatePath $answer -OutputDirectory $site } 'CertificateRequestMismatch' -Category SecurityError
Assert-Count 0 $wrongFile.Output 'nothing is emitted'
Assert-Equal $answer $wrongFile.Errors[0].TargetObject 'the error targets the certificate file'
Assert-Match $wrongFile.Errors[0].Exception.Message 'www\.example\.com' 'the message names the request'
Assert-Match $wrongFile.Errors[0].Exception.Message 'intranet\.example\.net' 'the message names the certificate that came instead'
Assert-FileMissing $site 'no output directory is created'
Assert-DirectoryUnchanged $before $WorkDirectory 'a mismatched certificate writes nothing'

$wrongText = Assert-ErrorId { $mine | Complete-CertRequest -CertificateText ($intermediate.ToPem() + $theirCertificate.ToPem()) -OutputDirectory $site } 'CertificateRequestMismatch' -Category SecurityError
Assert-Count 0 $wrongText.Output 'nothing is emitted for pasted text either'
Assert-DirectoryUnchanged $before $WorkDirectory 'mismatched pasted text writes nothing'

# --- The right key, but a name missing --------------------------------------------------------------------------
$asked = New-CertRequest -CommonName 'www.example.com' -DnsName 'shop.example.com' -KeyAlgorithm ECDSA -OutputDirectory $requests
$askedRequest = [System.IO.Path]::Combine($requests, 'www.example.com.csr')
$askedKey = [System.IO.Path]::Combine($requests, 'www.example.com.key')
Assert-FileExists $askedRequest
Assert-FileExists $askedKey
$fewer = New-CertRequest -CommonName 'www.example.com' -KeyPath $askedKey
Assert-Equal @('www.example.com') $fewer.DnsNames 'the second request has only the CN'
$fewerCertificate = [System.IO.Path]::Combine($requests, 'fewer.pem')
[System.IO.File]::WriteAllText($fewerCertificate, ($fewer | Approve-CertRequest -Authority $intermediate -ValidDays 90).ToPem())
$before = Get-DirectorySnapshot $WorkDirectory

$names = Assert-ErrorId { Complete-CertRequest -RequestPath $askedRequest -KeyPath $askedKey -CertificatePath $fewerCertificate -IntermediatePath $caDirectory -OutputDirectory $site } 'CertificateNamesMismatch' -Category SecurityError
Assert-Count 0 $names.Output 'nothing is emitted'
Assert-Equal $fewerCertificate $names.Errors[0].TargetObject 'the error targets the certificate file'
Assert-Match $names.Errors[0].Exception.Message 'shop\.example\.com' 'the message names the missing name'
Assert-FileMissing $site 'no output directory is created'
Assert-DirectoryUnchanged $before $WorkDirectory 'a certificate missing a name writes nothing'

$objectNames = Assert-ErrorId { $asked | Complete-CertRequest -CertificatePath $fewerCertificate -OutputDirectory $site } 'CertificateNamesMismatch'
Assert-Count 0 $objectNames.Output 'the request object fares the same'
Assert-DirectoryUnchanged $before $WorkDirectory 'nothing written from the request object either'

# --- The right certificate completes, and a second run does not overwrite without -Force ----------------------------------
$right = $asked | Approve-CertRequest -Authority $intermediate -ValidDays 90
$completed = $asked | Complete-CertRequest -CertificateText $right.ToPem() -IntermediatePath $caDirectory -OutputDirectory $site
Assert-Equal @($intermediate.Thumbprint) @($completed.Chain | ForEach-Object { $_.Thumbprint }) 'the intermediate comes from -IntermediatePath, the root is left out'
Assert-Equal @('cert.pem', 'chain.pem', 'fullchain.pem', 'key.pem') (Get-ScenarioFileNames $site) 'the four files'
$before = Get-DirectorySnapshot $WorkDirectory
$again = Assert-ErrorId { $asked | Complete-CertRequest -CertificateText $right.ToPem() -IntermediatePath $caDirectory -OutputDirectory $site } 'OutputFileExists' -Category ResourceExists
Assert-Count 0 $again.Output 'nothing is emitted'
Assert-DirectoryUnchanged $before $WorkDirectory 'the completed files are not replaced without -Force'

# --- An authority that cannot sign --------------------------------------------------------------------------------
$publicOnly = Import-CertFile -Path ([System.IO.Path]::Combine($caDirectory, 'issuing.crt'))
$noKey = Assert-ErrorId { $mine | Approve-CertRequest -Authority $publicOnly } 'AuthorityHasNoPrivateKey' -Category InvalidArgument
Assert-Count 0 $noKey.Output 'nothing is signed without the CA key'
$notCa = Assert-ErrorId { $mine | Approve-CertRequest -Authority $right } 'AuthorityNotCertificateAuthority'
Assert-Count 0 $notCa.Output 'a server certificate cannot sign'
$days = Assert-ErrorId { $mine | Approve-CertRequest -Authority $intermediate -ValidDays 0 } 'ValidDaysOutOfRange'
Assert-Count 0 $days.Output 'nothing is signed for 0 days'
Assert-DirectoryUnchanged $before $WorkDirectory 'refused approvals write nothing'
