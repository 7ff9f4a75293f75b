#Requires -Version 7.0

<#
    Every exported cmdlet is documented: a synopsis, and a description of every parameter.

    The help is written as XML doc comments, which the compiler collects into module/CertCmdlets.xml beside the
    assembly. So this test compares (Get-Command X).Parameters with that file: the cmdlet class has
    <para type="synopsis"> in its <summary>, and every parameter property (wherever it is declared) has a
    non-empty <summary>. A binary module's Get-Help needs a MAML file: the build generates
    en-US/CertCmdlets.dll-Help.xml from those comments (src/CertCmdlets.HelpBuilder), so this test also checks
    that Get-Help shows the synopsis (not the syntax it falls back to without the file) and a description of
    every parameter. The hosted-engine twins are EveryCmdletAndParameterIsDocumented in
    tests/CertCmdlets.Tests/ConventionTests.cs and tests/CertCmdlets.Tests/HelpTests.cs.
#>

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot '../../CertCmdlets.psd1') -Force
    $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
    $cmdlets = @(Get-Command -Module CertCmdlets -CommandType Cmdlet | ForEach-Object {
            @{
                Name       = $_.Name
                Parameters = @($_.Parameters.Keys | Where-Object { $_ -notin $common } | Sort-Object)
            }
        })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../CertCmdlets.psd1') -Force
    $assembly = (Get-Module CertCmdlets | Select-Object -First 1).ImplementingAssembly
    $documentationFile = Join-Path (Split-Path -Parent $assembly.Location) 'CertCmdlets.xml'
    $documentation = @{}
    if (Test-Path -LiteralPath $documentationFile) {
        foreach ($member in ([xml] (Get-Content -LiteralPath $documentationFile -Raw)).doc.members.member) {
            $documentation[$member.name] = $member
        }
    }

    function Get-SummaryText {
        # The <summary> of a documentation member as plain text, white space collapsed; '' when missing.
        param([AllowNull()] $Member)

        if ($null -eq $Member -or $null -eq $Member['summary']) {
            return ''
        }

        return ($Member['summary'].InnerText -replace '\s+', ' ').Trim()
    }
}

Describe 'The XML documentation file' {
    It 'is built beside the module assembly' {
        $documentationFile | Should -Exist
        $documentation.Count | Should -BeGreaterThan 0
    }
}

Describe 'Help for <Name>' -ForEach $cmdlets {
    BeforeAll {
        $command = Get-Command -Name $Name -Module CertCmdlets -CommandType Cmdlet
        $type = $command.ImplementingType
    }

    It 'has a synopsis' {
        $member = $documentation["T:$($type.FullName)"]
        $member | Should -Not -BeNullOrEmpty -Because "$($type.FullName) needs an XML doc comment"
        $synopsis = @($member.SelectNodes('summary/para[@type="synopsis"]') | ForEach-Object { ($_.InnerText -replace '\s+', ' ').Trim() }) -join ' '
        $synopsis | Should -Not -BeNullOrEmpty -Because 'the <summary> needs a <para type="synopsis">'
    }

    It 'documents -<_>' -ForEach $Parameters {
        $property = $type.GetProperty($_)
        $property | Should -Not -BeNullOrEmpty -Because "-$_ should be a public property of $($type.FullName)"
        $member = $documentation["P:$($property.DeclaringType.FullName).$($property.Name)"]
        Get-SummaryText $member | Should -Not -BeNullOrEmpty -Because "-$_ needs a <summary> (it becomes the parameter's help)"
    }

    It 'shows the synopsis in Get-Help' {
        $member = $documentation["T:$($type.FullName)"]
        $expected = @($member.SelectNodes('summary/para[@type="synopsis"]') | ForEach-Object { ($_.InnerText -replace '\s+', ' ').Trim() }) -join ' '
        $expected | Should -Not -BeNullOrEmpty
        $synopsis = ((Get-Help -Name $Name).Synopsis -replace '\s+', ' ').Trim()
        $synopsis | Should -BeExactly $expected -Because 'Get-Help shows only the syntax when en-US/CertCmdlets.dll-Help.xml is missing or lacks the cmdlet'
    }

    It 'describes -<_> in Get-Help' -ForEach $Parameters {
        $help = Get-Help -Name $Name -Parameter $_
        $description = (@($help.Description | ForEach-Object { $_.Text }) -join ' ').Trim()
        $description | Should -Not -BeNullOrEmpty -Because "Get-Help $Name -Parameter $_ should show the parameter's description"
    }
}

Describe 'Get-Help New-CertRequest -Parameter Country' {
    It 'explains the ISO 3166 country code' {
        $help = Get-Help -Name New-CertRequest -Parameter Country
        (@($help.Description | ForEach-Object { $_.Text }) -join ' ') | Should -Match 'ISO 3166'
    }
}

Describe 'Examples of <Name>' -ForEach $cmdlets {
    It 'shows at least two examples' {
        @((Get-Help -Name $Name -Examples).examples.example).Count | Should -BeGreaterOrEqual 2 -Because "help/examples/$Name.md needs at least two examples"
    }

    It 'shows examples that parse' {
        foreach ($example in (Get-Help -Name $Name -Examples).examples.example) {
            $errors = $null
            $null = [System.Management.Automation.Language.Parser]::ParseInput($example.code, [ref] $null, [ref] $errors)
            $errors | Should -BeNullOrEmpty -Because "the example '$($example.title)' should parse"
        }
    }

    It 'shows the default parameter set first, with [-WhatIf] [-Confirm] when it supports them' {
        $command = Get-Command -Name $Name -Module CertCmdlets
        $syntax = @((Get-Help -Name $Name -Full).syntax.syntaxItem)
        $syntax.Count | Should -Be @($command.ParameterSets).Count
        $default = $command.ParameterSets | Where-Object IsDefault
        if ($default) {
            $mandatory = @($default.Parameters | Where-Object IsMandatory | ForEach-Object Name)
            foreach ($parameter in $mandatory) {
                $syntax[0].parameter.name | Should -Contain $parameter
            }
        }

        if ($command.Parameters.ContainsKey('WhatIf')) {
            foreach ($item in $syntax) {
                $item.parameter.name | Should -Contain 'WhatIf'
                $item.parameter.name | Should -Contain 'Confirm'
            }
        }
    }

    It 'links to about_CertCmdlets' {
        @((Get-Help -Name $Name -Full).relatedLinks.navigationLink.linkText) | Should -Contain 'about_CertCmdlets'
    }
}

Describe 'The about topics' {
    It 'Get-Help about_CertCmdlets tells the life of a certificate' {
        $text = Get-Help about_CertCmdlets | Out-String
        $text | Should -Match 'New-CertRequest'
        $text | Should -Match 'Complete-CertRequest'
        $text | Should -Match 'Set-ApacheSsl'
    }

    It 'Get-Help about_CertCmdlets_Renewal gives the rule and the schedulers' {
        $text = Get-Help about_CertCmdlets_Renewal | Out-String
        foreach ($needed in 'two thirds', '30 days', 'systemd', 'cron', 'Register-ScheduledTask') {
            $text | Should -Match ([regex]::Escape($needed))
        }
    }
}
