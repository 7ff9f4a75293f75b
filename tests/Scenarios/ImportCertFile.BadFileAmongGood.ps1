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
. ([System.IO.Path]::Combine($PSScriptRoot, 'Assert.ps1'))

$WorkDirectory = Initialize-ScenarioDirectory $WorkDirectory
$folder = New-ScenarioDirectory -Parent $WorkDirectory -Name 'certs'
$first = New-ScenarioCertificate -Directory $folder -Name 'a-first'
$last = New-ScenarioCertificate -Directory $folder -Name 'c-last'
$broken = [System.IO.Path]::Combine($folder, 'b-broken.crt')
[System.IO.File]::WriteAllText($broken, "This download was interrupted.`n")
$keyOnly = [System.IO.Path]::Combine($folder, 'a-first.key')
$before = Get-DirectorySnapshot $WorkDirectory

# --- A wildcard that matches a broken file between two good ones ---------------------------------------------------
$result = Assert-ErrorId { Import-CertFile -Path ([System.IO.Path]::Combine($folder, '*.crt')) } 'CertificateFileInvalid' -Category InvalidData
Assert-Equal $broken $result.Errors[0].TargetObject 'the error names the broken file as its target'
Assert-Match $result.Errors[0].Exception.Message 'b-broken\.crt' 'the message names the broken file'
Assert-Count 2 $result.Output 'the two good certificates are still read'
$thumbprints = @($result.Output | ForEach-Object { $_.Thumbprint })
Assert-Contains $thumbprints $first.Thumbprint 'the file before the broken one is read'
Assert-Contains $thumbprints $last.Thumbprint 'the file after the broken one is read'

# --- A pipeline of names with a missing file and a key file among them ----------------------------------------------
$missing = [System.IO.Path]::Combine($folder, 'missing.crt')
$piped = Assert-ErrorId { $first.CertificatePath, $missing, $last.CertificatePath | Import-CertFile } 'FileNotFound' -Category ObjectNotFound
Assert-Equal @($first.Thumbprint, $last.Thumbprint) @($piped.Output | ForEach-Object { $_.Thumbprint }) 'the files around the missing one are read, in order'
$notACertificate = Assert-ErrorId { $keyOnly, $last.CertificatePath | Import-CertFile } 'NoCertificateInFile' -Category InvalidData -MessagePattern 'private key'
Assert-Equal @($last.Thumbprint) @($notACertificate.Output | ForEach-Object { $_.Thumbprint }) 'after a key file given by mistake the next certificate is read'

Assert-DirectoryUnchanged $before $WorkDirectory 'reading certificates changes nothing on disk'
