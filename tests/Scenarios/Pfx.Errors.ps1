<#
.SYNOPSIS
    Import-PfxAsPem refuses a wrong password (PfxPasswordIncorrect), a missing one (PfxPasswordRequired) and damaged
    files (PfxFileInvalid), and writes nothing when it does.

.DESCRIPTION
    openssl exports a PFX with a password. Import-PfxAsPem -OutputDirectory is then given a wrong password (as a
    SecureString and as -PlainTextPassword), no password, the file cut in half and a file that is not a PFX: each is
    one error with the right ErrorId, category and target, no object, a message that never repeats the password, and
    the work directory exactly as it was (no output directory created). A bad file among good ones is reported and
    the others are still read; two passwords at once stop the command. The right password, last, proves that the
    refusals were about the password.

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
$pki = (New-Item -ItemType Directory -Path $WorkDirectory -Name 'pki').FullName
$rightPassword = 'the right PFX password'
$wrongPassword = 'a wrong PFX password'

# --- A PFX made by openssl, and damaged copies ---------------------------------------------------------------------------
$keyFile = Join-Path $pki 'site.key'
$certificateFile = Join-Path $pki 'site.crt'
$null = Invoke-OpenSsl -ArgumentList @('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', $keyFile, '-out', $certificateFile, '-days', '30', '-subj', '/CN=site.example.com')
$pfxFile = Join-Path $pki 'site.pfx'
$null = Invoke-OpenSsl -ArgumentList @('pkcs12', '-export', '-in', $certificateFile, '-inkey', $keyFile, '-out', $pfxFile) -Password $rightPassword -PasswordOption '-passout'

$bytes = Get-Content -LiteralPath $pfxFile -AsByteStream -Raw
$truncatedFile = Join-Path $pki 'truncated.pfx'
Set-Content -LiteralPath $truncatedFile -Value ([byte[]] $bytes[0..([int]($bytes.Length / 2) - 1)]) -AsByteStream
$textFile = Join-Path $pki 'notes.pfx'
Set-Content -LiteralPath $textFile -Value "This is not a PFX file.`n" -NoNewline

$right = ConvertTo-SecureString -String $rightPassword -AsPlainText -Force
$wrong = ConvertTo-SecureString -String $wrongPassword -AsPlainText -Force
$output = Join-Path $WorkDirectory 'apache'
$before = Get-DirectorySnapshot $WorkDirectory

# --- A wrong password --------------------------------------------------------------------------------------------------
$wrongSecure = Invoke-ScenarioCommand { Import-PfxAsPem -Path $pfxFile -Password $wrong -OutputDirectory $output }
$wrongSecure.Errors | Should -HaveCount 1
$wrongSecure.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'PfxPasswordIncorrect,*'
$wrongSecure.Errors[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
$wrongSecure.Output | Should -HaveCount 0 -Because 'no certificate comes out of a PFX opened with a wrong password'
$wrongSecure.Errors[0].TargetObject | Should -BeExactly $pfxFile -Because 'the error targets the PFX file'
$wrongSecure.Errors[0].Exception.Message | Should -Match 'password' -Because 'the message says the password is the problem'
$wrongSecure.Errors[0].Exception.Message | Should -Not -Match ([regex]::Escape($wrongPassword)) -Because 'the message never repeats the password'
Compare-Object $before (Get-DirectorySnapshot $WorkDirectory) -CaseSensitive | Should -BeNullOrEmpty -Because 'a wrong password writes nothing and creates no directory'

$wrongPlain = Invoke-ScenarioCommand { Import-PfxAsPem -Path $pfxFile -PlainTextPassword $wrongPassword -OutputDirectory $output }
$wrongPlain.Errors | Should -HaveCount 1
$wrongPlain.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'PfxPasswordIncorrect,*'
$wrongPlain.Errors[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
$wrongPlain.Output | Should -HaveCount 0 -Because 'the same with -PlainTextPassword'
$wrongPlain.Errors[0].Exception.Message | Should -Not -Match ([regex]::Escape($wrongPassword)) -Because 'the message never repeats the plain-text password'

$wrongPiped = Invoke-ScenarioCommand { $pfxFile | Import-PfxAsPem -Password $wrong }
$wrongPiped.Errors | Should -HaveCount 1
$wrongPiped.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'PfxPasswordIncorrect,*'
$wrongPiped.Errors[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
$wrongPiped.Output | Should -HaveCount 0 -Because 'the same without -OutputDirectory'

$emptyPassword = Invoke-ScenarioCommand { Import-PfxAsPem -Path $pfxFile -PlainTextPassword '' -OutputDirectory $output }
$emptyPassword.Errors | Should -HaveCount 1
$emptyPassword.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'PfxPasswordIncorrect,*'
$emptyPassword.Errors[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
$emptyPassword.Output | Should -HaveCount 0 -Because 'an empty password is a wrong one for a protected file'
Compare-Object $before (Get-DirectorySnapshot $WorkDirectory) -CaseSensitive | Should -BeNullOrEmpty -Because 'wrong passwords write nothing'

# --- No password -------------------------------------------------------------------------------------------------------
$noPassword = Invoke-ScenarioCommand { Import-PfxAsPem -Path $pfxFile -OutputDirectory $output }
$noPassword.Errors | Should -HaveCount 1
$noPassword.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'PfxPasswordRequired,*'
$noPassword.Errors[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
$noPassword.Output | Should -HaveCount 0 -Because 'no certificate without the password'
$noPassword.Errors[0].Exception.Message | Should -Match '-Password' -Because 'the message says how to give the password'
Compare-Object $before (Get-DirectorySnapshot $WorkDirectory) -CaseSensitive | Should -BeNullOrEmpty -Because 'a missing password writes nothing'

# --- Damaged and foreign files -----------------------------------------------------------------------------------------
$truncated = Invoke-ScenarioCommand { Import-PfxAsPem -Path $truncatedFile -Password $right -OutputDirectory $output }
$truncated.Errors | Should -HaveCount 1
$truncated.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'PfxFileInvalid,*'
$truncated.Errors[0].CategoryInfo.Category | Should -Be 'InvalidData'
$truncated.Output | Should -HaveCount 0 -Because 'nothing comes out of half a PFX'
$truncated.Errors[0].TargetObject | Should -BeExactly $truncatedFile -Because 'the error targets the truncated file'
$text = Invoke-ScenarioCommand { Import-PfxAsPem -Path $textFile -Password $right -OutputDirectory $output }
$text.Errors | Should -HaveCount 1
$text.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'PfxFileInvalid,*'
$text.Errors[0].CategoryInfo.Category | Should -Be 'InvalidData'
$text.Output | Should -HaveCount 0 -Because 'nothing comes out of a text file'
$certificateGiven = Invoke-ScenarioCommand { Import-PfxAsPem -Path $certificateFile -Password $right -OutputDirectory $output }
$certificateGiven.Errors | Should -HaveCount 1
$certificateGiven.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'PfxFileInvalid,*'
$certificateGiven.Errors[0].CategoryInfo.Category | Should -Be 'InvalidData'
$certificateGiven.Output | Should -HaveCount 0 -Because 'a PEM certificate is not a PFX'
$missing = Invoke-ScenarioCommand { Import-PfxAsPem -Path (Join-Path $pki 'missing.pfx') -Password $right -OutputDirectory $output }
$missing.Errors | Should -HaveCount 1
$missing.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'FileNotFound,*'
$missing.Errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
$missing.Output | Should -HaveCount 0 -Because 'nothing comes out of a file that does not exist'
Compare-Object $before (Get-DirectorySnapshot $WorkDirectory) -CaseSensitive | Should -BeNullOrEmpty -Because 'damaged files write nothing'

# --- One bad file among good ones: reported, and the others still read -------------------------------------------------
$mixed = Invoke-ScenarioCommand { Import-PfxAsPem -Path $truncatedFile, $pfxFile -Password $right }
$mixed.Errors | Should -HaveCount 1
$mixed.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'PfxFileInvalid,*'
$mixed.Output | Should -HaveCount 1 -Because 'the good PFX after the bad one is still read'
$mixed.Output[0].HasPrivateKey | Should -BeTrue -Because 'the good PFX gives its key'

# --- Two passwords at once stop the command ----------------------------------------------------------------------------
$conflict = Invoke-ScenarioCommand { Import-PfxAsPem -Path $pfxFile -Password $right -PlainTextPassword $rightPassword -OutputDirectory $output }
$conflict.Errors | Should -HaveCount 1
$conflict.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'PasswordParameterConflict,*'
$conflict.Errors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
$conflict.Terminating | Should -Not -BeNullOrEmpty -Because 'PasswordParameterConflict stops the command (a terminating error)'
$conflict.Output | Should -HaveCount 0 -Because 'nothing is read with two passwords'
Compare-Object $before (Get-DirectorySnapshot $WorkDirectory) -CaseSensitive | Should -BeNullOrEmpty -Because 'refused commands write nothing'

# --- Several keys in one PFX: ambiguous for files until -Thumbprint chooses ----------------------------------------------
# openssl writes one key per PFX; .NET writes a collection with two (as a Windows export of two certificates does).
$ecKeyFile = Join-Path $pki 'api.key'
$ecCertificateFile = Join-Path $pki 'api.crt'
$null = Invoke-OpenSsl -ArgumentList @('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', $ecKeyFile, '-out', $ecCertificateFile, '-days', '30', '-subj', '/CN=api.example.com')
$collection = [System.Security.Cryptography.X509Certificates.X509Certificate2Collection]::new()
$null = $collection.Add([System.Security.Cryptography.X509Certificates.X509Certificate2]::CreateFromPemFile($certificateFile, $keyFile))
$null = $collection.Add([System.Security.Cryptography.X509Certificates.X509Certificate2]::CreateFromPemFile($ecCertificateFile, $ecKeyFile))
$severalFile = Join-Path $pki 'two-sites.pfx'
Set-Content -LiteralPath $severalFile -Value ($collection.Export([System.Security.Cryptography.X509Certificates.X509ContentType]::Pkcs12, $rightPassword)) -AsByteStream
$ecThumbprint = $collection[1].Thumbprint
$severalOutput = Join-Path $WorkDirectory 'two-sites'
$beforeSeveral = Get-DirectorySnapshot $WorkDirectory

$both = @(Import-PfxAsPem -Path $severalFile -Password $right)
$both | Should -HaveCount 2 -Because 'without -OutputDirectory every certificate with a key comes out'
($both[0].HasPrivateKey -and $both[1].HasPrivateKey) | Should -BeTrue -Because 'each carries its key'
@($both | Where-Object { $_.Thumbprint -ceq $ecThumbprint }) | Should -Not -BeNullOrEmpty -Because 'the EC site is one of them'
$ambiguous = Invoke-ScenarioCommand { Import-PfxAsPem -Path $severalFile -Password $right -OutputDirectory $severalOutput }
$ambiguous.Errors | Should -HaveCount 1
$ambiguous.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'PfxSeveralKeys,*'
$ambiguous.Errors[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
$ambiguous.Errors[0].Exception.Message | Should -Match '-Thumbprint'
$ambiguous.Output | Should -HaveCount 0 -Because 'no files for an ambiguous PFX'
$unknown = Invoke-ScenarioCommand { Import-PfxAsPem -Path $severalFile -Password $right -Thumbprint ('00' * 20) -OutputDirectory $severalOutput }
$unknown.Errors | Should -HaveCount 1
$unknown.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'PfxThumbprintNotFound,*'
$unknown.Errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
$unknown.Output | Should -HaveCount 0 -Because 'no files for a thumbprint the PFX does not hold'
Compare-Object $beforeSeveral (Get-DirectorySnapshot $WorkDirectory) -CaseSensitive | Should -BeNullOrEmpty -Because 'an ambiguous PFX writes nothing'

$chosen = @(Import-PfxAsPem -Path $severalFile -Password $right -Thumbprint $ecThumbprint.ToLowerInvariant() -OutputDirectory $severalOutput)
$chosen | Should -HaveCount 1 -Because '-Thumbprint (in any case) chooses one certificate'
$chosen[0].Thumbprint | Should -BeExactly $ecThumbprint -Because 'the chosen certificate'
(Get-OpenSslPublicKey -Kind Key -Path (Join-Path $severalOutput 'key.pem')) | Should -BeExactly (Get-OpenSslPublicKey -Kind Certificate -Path $ecCertificateFile) -Because 'key.pem is the chosen certificate''s key'

# --- The right password works ------------------------------------------------------------------------------------------
$opened = @(Import-PfxAsPem -Path $pfxFile -Password $right -OutputDirectory $output)
$opened | Should -HaveCount 1 -Because 'with the right password the certificate comes out'
(Get-ScenarioFileNames $output) | Should -BeExactly @('cert.pem', 'fullchain.pem', 'key.pem') -Because 'with the right password the files are written (no chain.pem: the PFX holds no CA)'
(Get-OpenSslPublicKey -Kind Key -Path (Join-Path $output 'key.pem')) | Should -BeExactly (Get-OpenSslPublicKey -Kind Certificate -Path $certificateFile) -Because 'key.pem is the key openssl exported'

# --- An empty file (last: a known failure here must not hide the checks above) ----------------------------------------
$emptyFile = Join-Path $pki 'empty.pfx'
Set-Content -LiteralPath $emptyFile -Value ([byte[]]@()) -AsByteStream
$beforeEmpty = Get-DirectorySnapshot $WorkDirectory
$empty = Invoke-ScenarioCommand { Import-PfxAsPem -Path $emptyFile -Password $right -OutputDirectory (Join-Path $WorkDirectory 'from-empty') }
$empty.Errors | Should -HaveCount 1
$empty.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'PfxFileInvalid,*'
$empty.Errors[0].CategoryInfo.Category | Should -Be 'InvalidData'
$empty.Output | Should -HaveCount 0 -Because 'nothing comes out of an empty file'
Compare-Object $beforeEmpty (Get-DirectorySnapshot $WorkDirectory) -CaseSensitive | Should -BeNullOrEmpty -Because 'an empty file writes nothing'
