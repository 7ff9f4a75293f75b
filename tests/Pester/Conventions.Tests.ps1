#Requires -Version 7.0

<#
    The cmdlet conventions of STYLE.md on the module as pwsh loads it: [OutputType] on every cmdlet, -LiteralPath
    (aliases PSPath and LP) beside every -Path, SupportsShouldProcess on every cmdlet that writes, a manifest that
    exports exactly the cmdlets in the assembly, and one version source (Directory.Build.props). The hosted-engine
    twin is tests/CertCmdlets.Tests/ConventionTests.cs.
#>

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot '../../CertCmdlets.psd1') -Force
    $cmdlets = @(Get-Command -Module CertCmdlets -CommandType Cmdlet | ForEach-Object { @{ Name = $_.Name } })
}

BeforeAll {
    $root = Join-Path $PSScriptRoot '../..'
    Import-Module (Join-Path $root 'CertCmdlets.psd1') -Force
    $manifest = Import-PowerShellDataFile -LiteralPath (Join-Path $root 'CertCmdlets.psd1')

    # A cmdlet writes files when its verb says so or when it takes one of these parameters.
    $writingVerbs = 'Export', 'Save', 'Out', 'Set', 'Remove', 'Install', 'Uninstall', 'Copy', 'Move', 'Rename', 'Clear', 'Enable', 'Disable', 'Publish', 'Write'
    $writingParameters = 'OutputDirectory', 'OutputPath', 'OutFile', 'OutputFile', 'Destination', 'Force'
}

Describe 'The module manifest' {
    It 'exports exactly the cmdlets in the assembly' {
        $assembly = (Get-Module CertCmdlets | Select-Object -First 1).ImplementingAssembly
        $inAssembly = @($assembly.GetExportedTypes() |
                Where-Object { $_.IsSubclassOf([System.Management.Automation.Cmdlet]) -and -not $_.IsAbstract } |
                ForEach-Object {
                    $attribute = $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $true) | Select-Object -First 1
                    if ($attribute) { '{0}-{1}' -f $attribute.VerbName, $attribute.NounName }
                } | Sort-Object)
        $inAssembly | Should -Not -BeNullOrEmpty
        $inManifest = @($manifest.CmdletsToExport | Sort-Object)
        $exported = @(Get-Command -Module CertCmdlets -CommandType Cmdlet | ForEach-Object Name | Sort-Object)
        $inManifest -join ', ' | Should -Be ($inAssembly -join ', ') -Because 'CmdletsToExport lists every cmdlet class, and nothing else'
        $exported -join ', ' | Should -Be ($inAssembly -join ', ') -Because 'the imported module exports every cmdlet'
    }

    It 'has the version of Directory.Build.props' {
        $props = [xml] (Get-Content -LiteralPath (Join-Path $root 'Directory.Build.props') -Raw)
        $version = $props.SelectSingleNode('//Version').InnerText.Trim()
        $version | Should -Not -BeNullOrEmpty
        $manifest.ModuleVersion | Should -Be $version
    }

    It 'exports no functions, variables or aliases, and lists no nested modules' {
        foreach ($list in 'FunctionsToExport', 'VariablesToExport', 'AliasesToExport') {
            $manifest.ContainsKey($list) | Should -BeTrue -Because "$list must be explicit (a missing list exports everything)"
            @($manifest[$list]).Count | Should -Be 0 -Because "$list must be @()"
        }

        $manifest.ContainsKey('NestedModules') | Should -BeFalse -Because 'dependencies are loaded by the resolver, never through NestedModules'
    }
}

Describe '<Name> conventions' -ForEach $cmdlets {
    BeforeAll {
        $command = Get-Command -Name $Name -Module CertCmdlets -CommandType Cmdlet
        $cmdletAttribute = $command.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $true) | Select-Object -First 1
    }

    It 'declares [OutputType] with element types' {
        $command.OutputType | Should -Not -BeNullOrEmpty
        foreach ($outputType in $command.OutputType) {
            $outputType.Type | Should -Not -BeNullOrEmpty -Because "[OutputType] names '$($outputType.Name)', which should resolve to a type"
            $outputType.Type.IsArray | Should -BeFalse -Because '[OutputType] names element types'
            $outputType.Type | Should -Not -Be ([object])
            $outputType.Type | Should -Not -Be ([psobject])
        }
    }

    It 'has -LiteralPath with aliases PSPath and LP beside -Path' {
        if (-not $command.Parameters.ContainsKey('Path')) {
            return # nothing to check: no -Path
        }

        $command.Parameters.ContainsKey('LiteralPath') | Should -BeTrue -Because 'every -Path needs a -LiteralPath'
        $literalPath = $command.Parameters['LiteralPath']
        $literalPath.Aliases | Should -Contain 'PSPath'
        $literalPath.Aliases | Should -Contain 'LP'
        @($literalPath.ParameterSets.Values | Where-Object ValueFromPipelineByPropertyName) | Should -Not -BeNullOrEmpty -Because '-LiteralPath binds PSPath from piped file objects'
        @($command.Parameters['Path'].Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }) | Should -Not -BeNullOrEmpty -Because '-Path is [SupportsWildcards]'
        @($command.Parameters['Path'].ParameterSets.Keys | Where-Object { $_ -in $literalPath.ParameterSets.Keys }) | Should -BeNullOrEmpty -Because '-Path and -LiteralPath are in different parameter sets'
    }

    It 'supports ShouldProcess when it writes files' {
        $writes = ($command.Verb -in $writingVerbs) -or @($writingParameters | Where-Object { $command.Parameters.ContainsKey($_) }).Count -gt 0
        if (-not $writes) {
            return # nothing to check: it does not write files
        }

        $cmdletAttribute.SupportsShouldProcess | Should -BeTrue
        $command.Parameters.ContainsKey('WhatIf') | Should -BeTrue
        $command.Parameters.ContainsKey('Confirm') | Should -BeTrue
    }

    It 'names an existing default parameter set when it has several' {
        if ($command.ParameterSets.Count -gt 1) {
            $cmdletAttribute.DefaultParameterSetName | Should -BeIn @($command.ParameterSets.Name)
        }
    }
}
