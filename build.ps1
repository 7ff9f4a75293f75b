<#
.SYNOPSIS
    Builds the publishable module folder: <OutputPath>/CertCmdlets/<version>/.

.DESCRIPTION
    Builds the module and its help (dotnet build of src/CertCmdlets.HelpBuilder, which builds the cmdlets first and
    then generates en-US/CertCmdlets.dll-Help.xml and the about_ topics), then lays out the folder that
    Install-PSResource, Publish-PSResource or a copy into a PSModulePath folder take:

        CertCmdlets/<version>/
            CertCmdlets.psd1                 the root manifest, unchanged (its paths point into module/)
            LICENSE
            en-US/                           MAML help and about_ topics, where Get-Help looks for them
            module/                          CertCmdlets.dll, CertCmdlets.Model.dll, format and types files
            module/Dependencies/             the engine and BouncyCastle, served by the module's own resolver

    The version is Directory.Build.props' <Version>, the one version source; the build stops when the manifest's
    ModuleVersion differs. The folder is checked with Test-ModuleManifest. Runs in pwsh 7 and Windows PowerShell 5.1.

.PARAMETER OutputPath
    Where CertCmdlets/<version>/ is made (default: ./out). An existing CertCmdlets/<version>/ there is replaced.

.PARAMETER Configuration
    The build configuration (default: Release).

.PARAMETER NoBuild
    Lay out what the last build produced, without building (the tests use it after their own build).

.EXAMPLE
    pwsh ./build.ps1 -OutputPath ./out
    Publish-PSResource -Path ./out/CertCmdlets/0.1.0 -Repository PSGallery -ApiKey $key
#>
[CmdletBinding()]
param(
    [string] $OutputPath = (Join-Path $PSScriptRoot 'out'),
    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release',
    [switch] $NoBuild
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$root = $PSScriptRoot

# One version source: Directory.Build.props; the manifest must agree.
$props = [xml] (Get-Content -LiteralPath (Join-Path $root 'Directory.Build.props') -Raw)
$version = @($props.Project.PropertyGroup | ForEach-Object { $_.SelectSingleNode('Version') } | Where-Object { $null -ne $_ } | ForEach-Object { $_.InnerText.Trim() })[0]
if (-not $version) {
    throw 'Directory.Build.props has no <Version>.'
}

$manifestPath = Join-Path $root 'CertCmdlets.psd1'
$manifestData = Import-PowerShellDataFile -LiteralPath $manifestPath
if ($manifestData.ModuleVersion -ne $version) {
    throw "CertCmdlets.psd1 has ModuleVersion $($manifestData.ModuleVersion) but Directory.Build.props has $version. Set both to the same version."
}

if (-not $NoBuild) {
    & dotnet build (Join-Path $root 'src/CertCmdlets.HelpBuilder/CertCmdlets.HelpBuilder.csproj') -c $Configuration -nologo -v quiet -clp:ErrorsOnly
    if ($LASTEXITCODE -ne 0) {
        throw "dotnet build failed (exit code $LASTEXITCODE)."
    }
}

$moduleDirectory = Join-Path $root 'module'
$helpDirectory = Join-Path $root 'en-US'
$required = @(
    (Join-Path $moduleDirectory 'CertCmdlets.dll'),
    (Join-Path $moduleDirectory 'CertCmdlets.Model.dll'),
    (Join-Path $moduleDirectory 'Dependencies/CertCmdlets.Core.dll'),
    (Join-Path $moduleDirectory 'Dependencies/BouncyCastle.Cryptography.dll'),
    (Join-Path $helpDirectory 'CertCmdlets.dll-Help.xml'),
    (Join-Path $helpDirectory 'about_CertCmdlets.help.txt')
)
foreach ($file in $required) {
    if (-not (Test-Path -LiteralPath $file -PathType Leaf)) {
        throw "$file is missing: build the module first (run without -NoBuild)."
    }
}

$OutputPath = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($OutputPath)
$target = Join-Path (Join-Path $OutputPath 'CertCmdlets') $version
if (Test-Path -LiteralPath $target) {
    Remove-Item -LiteralPath $target -Recurse -Force
}

$null = New-Item -ItemType Directory -Path $target -Force
Copy-Item -LiteralPath $manifestPath, (Join-Path $root 'LICENSE') -Destination $target

# module/ without the compiler's XML doc files (the help is in en-US/), keeping Dependencies/.
$moduleTarget = Join-Path $target 'module'
foreach ($file in Get-ChildItem -LiteralPath $moduleDirectory -File -Recurse | Where-Object { $_.Extension -ne '.xml' }) {
    $relative = $file.FullName.Substring($moduleDirectory.Length).TrimStart('\', '/')
    $destination = Join-Path $moduleTarget $relative
    $null = New-Item -ItemType Directory -Path (Split-Path -Parent $destination) -Force
    Copy-Item -LiteralPath $file.FullName -Destination $destination
}

$helpTarget = Join-Path $target 'en-US'
$null = New-Item -ItemType Directory -Path $helpTarget -Force
Copy-Item -Path (Join-Path $helpDirectory '*') -Destination $helpTarget

$checked = Test-ModuleManifest -Path (Join-Path $target 'CertCmdlets.psd1')
if ($checked.Version.ToString() -ne $version) {
    throw "The laid-out manifest says $($checked.Version), not $version."
}

Get-Item -LiteralPath $target
