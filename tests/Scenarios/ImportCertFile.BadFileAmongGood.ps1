<#
.SYNOPSIS
    One bad file among good ones: Import-CertFile reports it once and still reads the others.

.DESCRIPTION
    A folder of certificates often holds a stray file (a damaged download, a key, a file that went missing between
    listing and reading). The cmdlet must write one non-terminating error naming that file and go on with the rest,
    for a wildcard and for a pipeline of names alike.

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
$folder = (New-Item -ItemType Directory -Path $WorkDirectory -Name 'certs').FullName
$first = New-ScenarioCertificate -Directory $folder -Name 'a-first'
$last = New-ScenarioCertificate -Directory $folder -Name 'c-last'
$broken = Join-Path $folder 'b-broken.crt'
Set-Content -LiteralPath $broken -Value "This download was interrupted.`n" -NoNewline
$keyOnly = Join-Path $folder 'a-first.key'
$before = Get-DirectorySnapshot $WorkDirectory

# --- A wildcard that matches a broken file between two good ones ---------------------------------------------------
$result = Invoke-ScenarioCommand { Import-CertFile -Path (Join-Path $folder '*.crt') }
$result.Errors | Should -HaveCount 1
$result.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'CertificateFileInvalid,*'
$result.Errors[0].CategoryInfo.Category | Should -Be 'InvalidData'
$result.Errors[0].TargetObject | Should -BeExactly $broken -Because 'the error names the broken file as its target'
$result.Errors[0].Exception.Message | Should -Match 'b-broken\.crt' -Because 'the message names the broken file'
$result.Output | Should -HaveCount 2 -Because 'the two good certificates are still read'
$thumbprints = @($result.Output | ForEach-Object { $_.Thumbprint })
@($thumbprints | Where-Object { $_ -ceq $first.Thumbprint }) | Should -Not -BeNullOrEmpty -Because "the file before the broken one is read (read: $($thumbprints -join ', '))"
@($thumbprints | Where-Object { $_ -ceq $last.Thumbprint }) | Should -Not -BeNullOrEmpty -Because "the file after the broken one is read (read: $($thumbprints -join ', '))"

# --- A pipeline of names with a missing file and a key file among them ----------------------------------------------
$missing = Join-Path $folder 'missing.crt'
$piped = Invoke-ScenarioCommand { $first.CertificatePath, $missing, $last.CertificatePath | Import-CertFile }
$piped.Errors | Should -HaveCount 1
$piped.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'FileNotFound,*'
$piped.Errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
@($piped.Output | ForEach-Object { $_.Thumbprint }) | Should -BeExactly @($first.Thumbprint, $last.Thumbprint) -Because 'the files around the missing one are read, in order'
$notACertificate = Invoke-ScenarioCommand { $keyOnly, $last.CertificatePath | Import-CertFile }
$notACertificate.Errors | Should -HaveCount 1
$notACertificate.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'NoCertificateInFile,*'
$notACertificate.Errors[0].CategoryInfo.Category | Should -Be 'InvalidData'
$notACertificate.Errors[0].Exception.Message | Should -Match 'private key'
@($notACertificate.Output | ForEach-Object { $_.Thumbprint }) | Should -BeExactly @($last.Thumbprint) -Because 'after a key file given by mistake the next certificate is read'

Compare-Object $before (Get-DirectorySnapshot $WorkDirectory) -CaseSensitive | Should -BeNullOrEmpty -Because 'reading certificates changes nothing on disk'
