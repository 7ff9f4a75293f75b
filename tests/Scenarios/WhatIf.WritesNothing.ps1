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
. (Join-Path $PSScriptRoot 'Assert.ps1')

$WorkDirectory = Initialize-ScenarioDirectory $WorkDirectory
$existing = (New-Item -ItemType Directory -Path $WorkDirectory -Name 'existing').FullName
Set-Content -LiteralPath (Join-Path $existing 'cert.pem') -Value "an existing certificate file`n" -NoNewline
Set-Content -LiteralPath (Join-Path $existing 'www.example.com.key') -Value "an existing key file`n" -NoNewline
$certificate = New-CertRequest -CommonName 'www.example.com' -KeyAlgorithm ECDSA -SelfSign
$newDirectory = Join-Path $WorkDirectory 'new'
$before = Get-DirectorySnapshot $WorkDirectory

$request = @(New-CertRequest -CommonName 'www.example.com' -KeyAlgorithm ECDSA -OutputDirectory $newDirectory -WhatIf)
$request | Should -HaveCount 0 -Because 'New-CertRequest -WhatIf emits nothing'
Compare-Object $before (Get-DirectorySnapshot $WorkDirectory) -CaseSensitive | Should -BeNullOrEmpty -Because 'New-CertRequest -WhatIf writes nothing and creates no directory'

$selfSigned = @(New-CertRequest -CommonName 'www.example.com' -KeyAlgorithm ECDSA -SelfSign -OutputDirectory $newDirectory -WhatIf)
$selfSigned | Should -HaveCount 0 -Because 'New-CertRequest -SelfSign -WhatIf emits nothing'
Compare-Object $before (Get-DirectorySnapshot $WorkDirectory) -CaseSensitive | Should -BeNullOrEmpty -Because 'New-CertRequest -SelfSign -WhatIf writes nothing'

$export = @($certificate | Export-CertPem -OutputDirectory $newDirectory -WhatIf)
$export | Should -HaveCount 0 -Because 'Export-CertPem -WhatIf emits nothing'
Compare-Object $before (Get-DirectorySnapshot $WorkDirectory) -CaseSensitive | Should -BeNullOrEmpty -Because 'Export-CertPem -WhatIf writes nothing'

$forcedExport = @($certificate | Export-CertPem -OutputDirectory $existing -Force -WhatIf)
$forcedExport | Should -HaveCount 0 -Because 'Export-CertPem -Force -WhatIf emits nothing'
$forcedRequest = @(New-CertRequest -CommonName 'www.example.com' -KeyAlgorithm ECDSA -OutputDirectory $existing -Force -WhatIf)
$forcedRequest | Should -HaveCount 0 -Because 'New-CertRequest -Force -WhatIf emits nothing'
Compare-Object $before (Get-DirectorySnapshot $WorkDirectory) -CaseSensitive | Should -BeNullOrEmpty -Because '-WhatIf with -Force replaces nothing'
