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
    ModuleVersion differs. The folder is checked with Test-ModuleManifest. Runs in pwsh 7 and in Windows PowerShell
    5.1 (it uses only the engine's core cmdlets and .NET, so it also runs in a hosted engine).

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
    [string] $OutputPath = ([System.IO.Path]::Combine($PSScriptRoot, 'out')),
    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release',
    [switch] $NoBuild
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$root = $PSScriptRoot

function Join([string[]] $Parts) {
    [System.IO.Path]::Combine($Parts)
}

# One version source: Directory.Build.props; the manifest must agree.
$props = [System.Xml.XmlDocument]::new()
$props.Load((Join $root, 'Directory.Build.props'))
$versionNode = $props.SelectSingleNode('/Project/PropertyGroup/Version')
if ($null -eq $versionNode -or -not $versionNode.InnerText.Trim()) {
    throw 'Directory.Build.props has no <Version>.'
}

$version = $versionNode.InnerText.Trim()

if (-not $NoBuild) {
    & dotnet build (Join $root, 'src', 'CertCmdlets.HelpBuilder', 'CertCmdlets.HelpBuilder.csproj') -c $Configuration -nologo -v quiet -clp:ErrorsOnly
    if ($LASTEXITCODE -ne 0) {
        throw "dotnet build failed (exit code $LASTEXITCODE)."
    }
}

$moduleDirectory = Join $root, 'module'
$helpDirectory = Join $root, 'en-US'
$required = @(
    (Join $moduleDirectory, 'CertCmdlets.dll'),
    (Join $moduleDirectory, 'CertCmdlets.Model.dll'),
    (Join $moduleDirectory, 'Dependencies', 'CertCmdlets.Core.dll'),
    (Join $moduleDirectory, 'Dependencies', 'BouncyCastle.Cryptography.dll'),
    (Join $helpDirectory, 'CertCmdlets.dll-Help.xml'),
    (Join $helpDirectory, 'about_CertCmdlets.help.txt')
)
foreach ($file in $required) {
    if (-not [System.IO.File]::Exists($file)) {
        throw "$file is missing: build the module first (run without -NoBuild)."
    }
}

$manifestPath = Join $root, 'CertCmdlets.psd1'
$manifestVersion = (Test-ModuleManifest -Path $manifestPath).Version.ToString()
if ($manifestVersion -ne $version) {
    throw "CertCmdlets.psd1 has ModuleVersion $manifestVersion but Directory.Build.props has $version. Set both to the same version."
}

$OutputPath = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($OutputPath)
$target = Join $OutputPath, 'CertCmdlets', $version
if ([System.IO.Directory]::Exists($target)) {
    [System.IO.Directory]::Delete($target, $true)
}

$null = [System.IO.Directory]::CreateDirectory($target)
foreach ($name in 'CertCmdlets.psd1', 'LICENSE') {
    [System.IO.File]::Copy((Join $root, $name), (Join $target, $name))
}

# module/ without the compiler's XML doc files (the help is in en-US/), keeping Dependencies/; then en-US/.
$copies = @(
    @{ From = $moduleDirectory; To = (Join $target, 'module'); Skip = '.xml' },
    @{ From = $helpDirectory; To = (Join $target, 'en-US'); Skip = $null }
)
foreach ($copy in $copies) {
    foreach ($file in [System.IO.Directory]::GetFiles($copy.From, '*', [System.IO.SearchOption]::AllDirectories)) {
        if ($copy.Skip -and [System.IO.Path]::GetExtension($file) -eq $copy.Skip) {
            continue
        }

        $destination = Join $copy.To, $file.Substring($copy.From.Length).TrimStart('\', '/')
        $null = [System.IO.Directory]::CreateDirectory([System.IO.Path]::GetDirectoryName($destination))
        [System.IO.File]::Copy($file, $destination)
    }
}

$checked = Test-ModuleManifest -Path (Join $target, 'CertCmdlets.psd1')
if ($checked.Version.ToString() -ne $version) {
    throw "The laid-out manifest says $($checked.Version), not $version."
}

[System.IO.DirectoryInfo]::new($target)
