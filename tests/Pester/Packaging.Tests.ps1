#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

<#
    The publishable module folder, installed as a user installs it. build.ps1 -NoBuild lays out
    <temp>/out/CertCmdlets/<version>/ from the last build; each check then runs in a new PowerShell process (the same
    edition as this one) whose PSModulePath holds that folder's parent: Import-Module by name, autoload of a cmdlet
    called without importing, #Requires -Modules, Test-ModuleManifest, Get-Help and the about_ topics from the
    installed copy, and Publish-PSResource to a local file repository followed by Install-PSResource from it.
    Runs on pwsh 7 and Windows PowerShell 5.1 (PSResourceGet ships with pwsh 7.4+; on 5.1 it must be installed,
    else those two checks are skipped, except under CI=true, where they fail).
    The hosted-engine twin is tests/CertCmdlets.Tests/PackagingTests.cs.
#>

BeforeAll {
    $root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $work = Join-Path ([System.IO.Path]::GetTempPath()) ('certcmdlets-packaging-' + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory -Path $work
    $out = Join-Path $work 'out'
    $package = & (Join-Path $root 'build.ps1') -NoBuild -OutputPath $out
    $props = [xml] (Get-Content -LiteralPath (Join-Path $root 'Directory.Build.props') -Raw)
    $version = @($props.Project.PropertyGroup | ForEach-Object { $_.SelectSingleNode('Version') } | Where-Object { $null -ne $_ } | ForEach-Object { $_.InnerText.Trim() })[0]
    $onWindows = [System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT
    $childExecutable = if ($PSVersionTable.PSEdition -eq 'Desktop') { Join-Path $PSHOME 'powershell.exe' } elseif ($onWindows) { Join-Path $PSHOME 'pwsh.exe' } else { Join-Path $PSHOME 'pwsh' }

    function Invoke-InstalledModuleCheck {
        # Runs $Script in a new process with $ModuleRoot first on PSModulePath; returns its output lines, throws on a
        # non-zero exit code with what it printed.
        param([string] $Script, [string] $ModuleRoot = $out, [string] $Location = $work, [hashtable] $Environment = @{})

        $scriptFile = Join-Path $work ('check-' + [guid]::NewGuid().ToString('N') + '.ps1')
        Set-Content -LiteralPath $scriptFile -Value ("`$ErrorActionPreference = 'Stop'`n" + $Script) -Encoding UTF8
        $saved = $env:PSModulePath
        $savedEnvironment = @{}
        foreach ($name in $Environment.Keys) {
            $savedEnvironment[$name] = [System.Environment]::GetEnvironmentVariable($name)
            [System.Environment]::SetEnvironmentVariable($name, $Environment[$name])
        }

        try {
            $env:PSModulePath = $ModuleRoot + [System.IO.Path]::PathSeparator + $saved
            Push-Location -LiteralPath $Location
            $output = & $childExecutable -NoProfile -NonInteractive -ExecutionPolicy Bypass -File $scriptFile 2>&1 | ForEach-Object { "$_" }
            $exitCode = $LASTEXITCODE
        }
        finally {
            Pop-Location
            $env:PSModulePath = $saved
            foreach ($name in $savedEnvironment.Keys) {
                [System.Environment]::SetEnvironmentVariable($name, $savedEnvironment[$name])
            }
        }

        if ($exitCode -ne 0) {
            throw "The check exited $exitCode`n$($output -join "`n")"
        }

        return , @($output)
    }
}

AfterAll {
    if ($work -and (Test-Path -LiteralPath $work)) {
        Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
    }
}

Describe 'build.ps1' {
    It 'lays out CertCmdlets/<version>/ with the version of Directory.Build.props' {
        $package.FullName | Should -Be ([System.IO.Path]::Combine($out, 'CertCmdlets', $version))
        (Import-PowerShellDataFile -LiteralPath (Join-Path $package.FullName 'CertCmdlets.psd1')).ModuleVersion | Should -Be $version
    }

    It 'holds the manifest, the module, its dependencies, help, format and types files, and the license' {
        foreach ($relative in 'CertCmdlets.psd1', 'LICENSE', 'module/CertCmdlets.dll', 'module/CertCmdlets.Model.dll',
            'module/CertCmdlets.format.ps1xml', 'module/CertCmdlets.types.ps1xml', 'module/Dependencies/CertCmdlets.Core.dll',
            'module/Dependencies/BouncyCastle.Cryptography.dll', 'en-US/CertCmdlets.dll-Help.xml', 'en-US/about_CertCmdlets.help.txt',
            'en-US/about_CertCmdlets_Renewal.help.txt') {
            Join-Path $package.FullName $relative | Should -Exist -Because "$relative belongs in the published module"
        }

        @(Get-ChildItem -LiteralPath $package.FullName -Recurse -File -Filter '*.xml' | Where-Object Name -NE 'CertCmdlets.dll-Help.xml') | Should -BeNullOrEmpty -Because 'the compiler''s XML doc files are not shipped'
    }

    It 'passes Test-ModuleManifest, with the metadata a gallery shows' {
        $manifest = Test-ModuleManifest -Path (Join-Path $package.FullName 'CertCmdlets.psd1')
        $manifest.Version.ToString() | Should -Be $version
        $manifest.Description | Should -Not -BeNullOrEmpty
        $manifest.CompatiblePSEditions | Sort-Object | Should -Be @('Core', 'Desktop')
        $manifest.PowerShellVersion.ToString() | Should -Be '5.1'
        $manifest.ProjectUri | Should -Not -BeNullOrEmpty
        $manifest.LicenseUri | Should -Not -BeNullOrEmpty
        $manifest.ReleaseNotes | Should -Not -BeNullOrEmpty
        $manifest.Tags | Should -Contain 'PSEdition_Core'
        $manifest.Tags | Should -Contain 'PSEdition_Desktop'
        $manifest.ExportedCmdlets.Keys | Should -Contain 'New-CertRequest'
    }
}

Describe 'The installed module' {
    It 'imports by name from PSModulePath' {
        $lines = Invoke-InstalledModuleCheck @'
Import-Module CertCmdlets
$module = Get-Module CertCmdlets
"{0}|{1}" -f $module.Version, $module.ModuleBase
'@
        $lines[-1] | Should -Be ('{0}|{1}' -f $version, $package.FullName)
    }

    It 'autoloads when a cmdlet is called without Import-Module' {
        $lines = Invoke-InstalledModuleCheck @'
if (Get-Module CertCmdlets) { throw 'already imported' }
$request = New-CertRequest autoload.example.test -KeyAlgorithm ECDSA
"{0}|{1}" -f $request.CommonName, (Get-Module CertCmdlets).ModuleBase
'@
        $lines[-1] | Should -Be ('autoload.example.test|{0}' -f $package.FullName)
    }

    It 'satisfies #Requires -Modules CertCmdlets' {
        $script = Join-Path $work 'requires.ps1'
        Set-Content -LiteralPath $script -Value "#Requires -Modules @{ ModuleName = 'CertCmdlets'; ModuleVersion = '$version' }`n(New-CertRequest requires.example.test -KeyAlgorithm ECDSA -SelfSign).CommonName"
        $lines = Invoke-InstalledModuleCheck "& '$script'"
        $lines[-1] | Should -Be 'requires.example.test'
    }

    It 'shows its examples, syntax, parameters and about topics with Get-Help' {
        $lines = Invoke-InstalledModuleCheck @'
Import-Module CertCmdlets
@(Get-Help New-CertRequest -Examples).examples.example.Count
@((Get-Help New-CertRequest -Full).syntax.syntaxItem).Count - (Get-Command New-CertRequest).ParameterSets.Count
[bool]((Get-Help New-CertRequest -Parameter Country).description.Text -match 'ISO 3166')
(Get-Help about_CertCmdlets | Out-String) -match 'TOPIC\s+about_CertCmdlets'
(Get-Help about_CertCmdlets_Renewal | Out-String) -match 'Register-ScheduledTask'
'@
        [int] $lines[-5] | Should -BeGreaterOrEqual 2
        [int] $lines[-4] | Should -Be 0 -Because 'the installed help shows one syntax per parameter set'
        $lines[-3] | Should -Be 'True'
        $lines[-2] | Should -Be 'True'
        $lines[-1] | Should -Be 'True'
    }
}

Describe 'Publish-PSResource and Install-PSResource through a local repository' {
    BeforeAll {
        $resourceGet = Get-Module -ListAvailable Microsoft.PowerShell.PSResourceGet | Select-Object -First 1
    }

    It 'publishes the folder to a file repository and installs it from there by name' {
        if (-not $resourceGet) {
            if ($env:CI -eq 'true') {
                throw 'Microsoft.PowerShell.PSResourceGet is required under CI=true (it ships with pwsh 7.4+; Install-Module it on Windows PowerShell 5.1).'
            }

            Set-ItResult -Skipped -Because 'Microsoft.PowerShell.PSResourceGet is not installed'
        }

        $repository = Join-Path $work 'repository'
        $null = New-Item -ItemType Directory -Path $repository
        if ($onWindows) {
            # The CurrentUser scope is the user's Documents folder, which a test must not fill: Save-PSResource, the
            # same download and layout, into a folder of the test.
            $installed = Join-Path $work 'installed'
            $null = New-Item -ItemType Directory -Path $installed
            $install = "Save-PSResource -Name CertCmdlets -Repository `$name -Path '$installed' -TrustRepository"
            $environment = @{}
        }
        else {
            # On Linux and macOS the CurrentUser scope is under the home folder: Install-PSResource itself, with HOME
            # (and XDG_DATA_HOME, which pwsh's own module path follows) pointing into the test's folder.
            $homeFolder = Join-Path $work 'home'
            $installed = [System.IO.Path]::Combine($homeFolder, '.local', 'share', 'powershell', 'Modules')
            $install = "Install-PSResource -Name CertCmdlets -Repository `$name -Scope CurrentUser -TrustRepository"
            $environment = @{ HOME = $homeFolder; XDG_DATA_HOME = [System.IO.Path]::Combine($homeFolder, '.local', 'share') }
        }

        $lines = Invoke-InstalledModuleCheck -ModuleRoot $installed -Environment $environment -Script @"
Import-Module Microsoft.PowerShell.PSResourceGet
`$name = 'CertCmdletsTest' + [guid]::NewGuid().ToString('N')
Register-PSResourceRepository -Name `$name -Uri '$repository' -Trusted
try {
    Publish-PSResource -Path '$($package.FullName)' -Repository `$name
    (Find-PSResource -Name CertCmdlets -Repository `$name).Version.ToString()
    $install
}
finally {
    Unregister-PSResourceRepository -Name `$name
}
Import-Module CertCmdlets
`$module = Get-Module CertCmdlets
'{0}|{1}' -f `$module.Version, `$module.ModuleBase
(New-CertRequest installed.example.test -KeyAlgorithm ECDSA).CommonName
"@
        Get-ChildItem -LiteralPath $repository -Filter "CertCmdlets.$version.nupkg" | Should -Not -BeNullOrEmpty
        $lines[-3] | Should -Be $version
        $lines[-2] | Should -Be ('{0}|{1}' -f $version, [System.IO.Path]::Combine($installed, 'CertCmdlets', $version))
        $lines[-1] | Should -Be 'installed.example.test'
    }
}
