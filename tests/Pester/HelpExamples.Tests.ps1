#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

<#
    Every example of the help that is marked to run in a sandbox (```powershell sandbox in help/examples/<Verb-Noun>.md)
    runs here, on a real PowerShell, in an empty temporary folder, against the built module (./CertCmdlets.psd1):
    its hidden set-up code (```powershell setup: files it reads, stand-ins for Read-Host or Get-Clipboard) and then
    the code Get-Help shows, in a runspace of its own. It must finish without an error and leave files behind. The
    examples that need a real server (Apache's configuration, a public site, an ACME CA, the Internet) only parse; so
    do all of them, here and in tests/CertCmdlets.Tests/HelpExampleTests.cs. Example files of cmdlets this build does
    not export (written ahead for cmdlets of other branches) are checked for form only until the cmdlet arrives.

    The files are read here with a few lines of PowerShell; the code read must equal the code Get-Help shows (the
    build's own reader, src/CertCmdlets.HelpBuilder/ExampleFile.cs, wrote it), so the two readers cannot drift apart.
#>

BeforeDiscovery {
    function Read-ExampleFile {
        # The examples of one file: Title, Code, Setup, Sandbox, in file order.
        param([string] $Path)

        $examples = New-Object System.Collections.Generic.List[object]
        $current = $null
        $fence = $null
        $buffer = New-Object System.Collections.Generic.List[string]
        foreach ($line in [System.IO.File]::ReadAllLines($Path)) {
            if ($null -ne $fence) {
                if ($line.TrimEnd() -eq '```') {
                    $text = ($buffer -join "`n").Trim("`n")
                    if ($fence -eq 'setup') { $current.Setup += $text + "`n" } else { $current.Code = $text; $current.Sandbox = ($fence -eq 'sandbox') }
                    $fence = $null
                    $buffer.Clear()
                }
                else {
                    $buffer.Add($line)
                }

                continue
            }

            if ($line -match '^## (.+)$') {
                $current = if ($Matches[1].Trim() -eq 'Related links') { $null } else { @{ Title = $Matches[1].Trim(); Code = $null; Setup = ''; Sandbox = $false } }
                if ($current) { $examples.Add($current) }
                continue
            }

            if ($line -match '^```powershell(?:\s+(sandbox|setup))?\s*$' -and $current) {
                $fence = if ($Matches[1]) { $Matches[1] } else { 'code' }
            }
        }

        return , $examples.ToArray()
    }

    $exampleDirectory = Join-Path $PSScriptRoot '../../help/examples'
    # A file for a cmdlet this build does not export is the help of a cmdlet arriving from another branch: it is not
    # in Get-Help yet and its examples cannot run, so it is only checked for form here (and by the help builder); once
    # the cmdlet is exported, its file joins the others below without any change to this test.
    $exported = @((Import-Module (Join-Path $PSScriptRoot '../../CertCmdlets.psd1') -Force -PassThru).ExportedCmdlets.Keys)
    $allFiles = @(Get-ChildItem -LiteralPath $exampleDirectory -Filter '*.md' | ForEach-Object {
            @{ Name = $_.BaseName; Examples = (Read-ExampleFile $_.FullName) }
        })
    $files = @($allFiles | Where-Object { $_.Name -in $exported })
    $pendingFiles = @($allFiles | Where-Object { $_.Name -notin $exported })
    $sandboxExamples = @(foreach ($file in $files) {
            $number = 0
            foreach ($example in $file.Examples) {
                $number++
                if ($example.Sandbox) {
                    @{ Name = $file.Name; Number = $number; Title = $example.Title; Code = $example.Code; Setup = $example.Setup }
                }
            }
        })
}

BeforeAll {
    $manifest = (Resolve-Path (Join-Path $PSScriptRoot '../../CertCmdlets.psd1')).Path
    Import-Module $manifest -Force
}

Describe 'The example file of <Name>' -ForEach $files {
    It 'holds the code Get-Help shows' {
        $shown = @((Get-Help -Name $Name -Examples).examples.example | ForEach-Object { ($_.code -replace "`r`n", "`n") })
        @($Examples | ForEach-Object { $_.Code }) | Should -Be $shown
    }
}

Describe 'The example file of <Name>, a cmdlet this build does not export yet' -ForEach $pendingFiles {
    It 'has at least two examples, each parsing and calling <Name>' {
        $Name | Should -Match '^[A-Z][a-z]+-[A-Z][A-Za-z]+$'
        (Get-Verb -Verb ($Name -split '-')[0]) | Should -Not -BeNullOrEmpty -Because "$Name must use an approved verb"
        $Examples.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $Examples) {
            $errors = $null
            $ast = [System.Management.Automation.Language.Parser]::ParseInput($example.Setup + "`n" + $example.Code, [ref] $null, [ref] $errors)
            $errors | Should -BeNullOrEmpty -Because "'$($example.Title)' must parse"
            $calls = $ast.FindAll({ param($node) $node -is [System.Management.Automation.Language.CommandAst] -and $node.GetCommandName() -eq $Name }, $true)
            @($calls).Count | Should -BeGreaterThan 0 -Because "'$($example.Title)' shows $Name"
        }
    }
}

Describe 'Example <Number> of <Name>: <Title>' -ForEach $sandboxExamples {
    It 'runs in an empty folder' {
        $sandbox = Join-Path ([System.IO.Path]::GetTempPath()) ('certcmdlets-example-' + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $sandbox
        $runspace = [runspacefactory]::CreateRunspace()
        $runspace.Open()
        $shell = [powershell]::Create()
        $shell.Runspace = $runspace
        try {
            $null = $shell.AddScript('Set-Location -LiteralPath $args[0]; Import-Module $args[1] -ErrorAction Stop').AddArgument($sandbox).AddArgument($manifest)
            $null = $shell.Invoke()
            $shell.Commands.Clear()
            $null = $shell.AddScript($Setup + "`n" + $Code)
            $terminating = $null
            try {
                $null = $shell.Invoke()
            }
            catch {
                $terminating = $_.Exception.Message
            }

            $errors = @($shell.Streams.Error | ForEach-Object { "$($_.FullyQualifiedErrorId): $_" })
            if ($terminating) { $errors += "terminating: $terminating" }
            $errors | Should -BeNullOrEmpty -Because "help/examples/$Name.md example $Number should run in $sandbox"
            @(Get-ChildItem -LiteralPath $sandbox -Recurse -File) | Should -Not -BeNullOrEmpty
        }
        finally {
            $shell.Dispose()
            $runspace.Dispose()
            Remove-Item -LiteralPath $sandbox -Recurse -Force -ErrorAction SilentlyContinue
        }
    }
}
