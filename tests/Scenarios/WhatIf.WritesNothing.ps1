<#
.SYNOPSIS
    -WhatIf writes nothing and emits nothing: New-CertRequest (request and -SelfSign) and Export-CertPem, into a new
    directory and over existing files with -Force.

.DESCRIPTION
    Administrators try a command with -WhatIf before they run it on a server. No file, no directory, no temporary
    file may appear, an existing file must keep its bytes even with -Force, and no object comes out (there are no
    files for it to name).

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
$existing = New-ScenarioDirectory -Parent $WorkDirectory -Name 'existing'
[System.IO.File]::WriteAllText([System.IO.Path]::Combine($existing, 'cert.pem'), "an existing certificate file`n")
[System.IO.File]::WriteAllText([System.IO.Path]::Combine($existing, 'www.example.com.key'), "an existing key file`n")
$certificate = New-CertRequest -CommonName 'www.example.com' -KeyAlgorithm ECDSA -SelfSign
$newDirectory = [System.IO.Path]::Combine($WorkDirectory, 'new')
$before = Get-DirectorySnapshot $WorkDirectory

$request = Assert-NoError { New-CertRequest -CommonName 'www.example.com' -KeyAlgorithm ECDSA -OutputDirectory $newDirectory -WhatIf }
Assert-Count 0 $request 'New-CertRequest -WhatIf emits nothing'
Assert-DirectoryUnchanged $before $WorkDirectory 'New-CertRequest -WhatIf writes nothing and creates no directory'

$selfSigned = Assert-NoError { New-CertRequest -CommonName 'www.example.com' -KeyAlgorithm ECDSA -SelfSign -OutputDirectory $newDirectory -WhatIf }
Assert-Count 0 $selfSigned 'New-CertRequest -SelfSign -WhatIf emits nothing'
Assert-DirectoryUnchanged $before $WorkDirectory 'New-CertRequest -SelfSign -WhatIf writes nothing'

$export = Assert-NoError { $certificate | Export-CertPem -OutputDirectory $newDirectory -WhatIf }
Assert-Count 0 $export 'Export-CertPem -WhatIf emits nothing'
Assert-DirectoryUnchanged $before $WorkDirectory 'Export-CertPem -WhatIf writes nothing'

$forcedExport = Assert-NoError { $certificate | Export-CertPem -OutputDirectory $existing -Force -WhatIf }
Assert-Count 0 $forcedExport 'Export-CertPem -Force -WhatIf emits nothing'
$forcedRequest = Assert-NoError { New-CertRequest -CommonName 'www.example.com' -KeyAlgorithm ECDSA -OutputDirectory $existing -Force -WhatIf }
Assert-Count 0 $forcedRequest 'New-CertRequest -Force -WhatIf emits nothing'
Assert-DirectoryUnchanged $before $WorkDirectory '-WhatIf with -Force replaces nothing'
