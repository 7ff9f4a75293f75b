#Requires -Version 7.0

<#
    The Apache scenarios (tests/Scenarios/Apache.*.ps1) on a real pwsh: Set-ApacheSsl, Enable-HttpsRedirect and
    Test-HttpsEndpoint against private instances of Debian's apache2 on 127.0.0.1, and on a copy of a Debian
    /etc/apache2 tree. One It per invocation, each in a new directory under $TestDrive. The scenarios check
    themselves, start and stop their own httpd, and throw on the first failure; this file only runs them. The
    hosted-engine tests (tests/CertCmdlets.Tests/ApacheTests.cs) run the same invocations and also read the
    -WhatIf diff from their host; here the WhatIf scenario reads it back from a transcript.

    Where apache2 (or openssl, or the shared corpus) is missing, the scenario returns a marker object (type name
    CertCmdlets.ScenarioSkipped) and the It is marked skipped: always on Windows, which has no Debian apache2. On
    Linux under CI=true the scenario throws instead, so the It fails.
#>

BeforeDiscovery {
    # Keep in step with s_invocations in tests/CertCmdlets.Tests/ApacheTests.cs.
    $invocations = @(
        @{ Title = 'Set-ApacheSsl | Enable-HttpsRedirect: httpd serves the full chain, redirects HTTP, and Test-HttpsEndpoint agrees with openssl and curl'; Scenario = 'Apache.PrivateInstance.ps1'; Parameters = @{ Case = 'ServeHttps' } }
        @{ Title = 'Set-ApacheSsl and Enable-HttpsRedirect run twice change nothing (Changed = $false, same bytes)'; Scenario = 'Apache.PrivateInstance.ps1'; Parameters = @{ Case = 'Idempotent' } }
        @{ Title = 'Set-ApacheSsl and Enable-HttpsRedirect -WhatIf show the diff and write nothing'; Scenario = 'Apache.PrivateInstance.ps1'; Parameters = @{ Case = 'WhatIf' } }
        @{ Title = 'A certificate for another name is refused (CertificateNameMismatch); -Force warns'; Scenario = 'Apache.PrivateInstance.ps1'; Parameters = @{ Case = 'CertificateNameMismatch' } }
        @{ Title = 'The key of another certificate is refused (CertificateKeyMismatch); -Force warns'; Scenario = 'Apache.PrivateInstance.ps1'; Parameters = @{ Case = 'CertificateKeyMismatch' } }
        @{ Title = 'An encrypted key is refused (KeyFileEncrypted)'; Scenario = 'Apache.PrivateInstance.ps1'; Parameters = @{ Case = 'KeyFileEncrypted' } }
        @{ Title = 'A change httpd -t rejects is rolled back (ApacheConfigTestFailed)'; Scenario = 'Apache.PrivateInstance.ps1'; Parameters = @{ Case = 'ConfigTestFailed' } }
        @{ Title = 'A configuration httpd already rejects is not touched (ApacheConfigTestFailedBefore)'; Scenario = 'Apache.PrivateInstance.ps1'; Parameters = @{ Case = 'ConfigTestFailedBefore' } }
        @{ Title = 'An unclosed <VirtualHost> is refused with its line (ApacheConfigInvalid)'; Scenario = 'Apache.PrivateInstance.ps1'; Parameters = @{ Case = 'ConfigInvalid' } }
        @{ Title = 'A Debian tree gets sites-available/<name>-ssl.conf and relative links, and passes httpd -t'; Scenario = 'Apache.DebianTree.ps1'; Parameters = @{} }
        @{ Title = 'The origin build (modules built in, host without ServerName): the certificate is replaced in place and served for every SNI, *.log stays denied'; Scenario = 'Apache.OriginBuild.ps1'; Parameters = @{ Case = 'ReplaceInPlace' } }
        @{ Title = 'The origin build: its Redirect "/" is recognised and rewritten, the ACME path stays on HTTP'; Scenario = 'Apache.OriginBuild.ps1'; Parameters = @{ Case = 'RedirectKept' } }
        @{ Title = 'Renewed files over the live paths: Set-ApacheSsl -Reload reloads although no line changes, and verifies the new certificate is served'; Scenario = 'Apache.OriginBuild.ps1'; Parameters = @{ Case = 'RenewInPlace' } }
        @{ Title = 'A reload that does not take: ActivationFailed, every file restored, the old certificate still served'; Scenario = 'Apache.OriginBuild.ps1'; Parameters = @{ Case = 'RollBack' } }
        @{ Title = 'Set-ApacheSsl | Undo-ApacheChange -Reload restores the configuration and the old certificate; a second undo is refused'; Scenario = 'Apache.OriginBuild.ps1'; Parameters = @{ Case = 'Undo' } }
        @{ Title = 'httpd not running: -Reload is ApacheNotRunning and changes nothing'; Scenario = 'Apache.OriginBuild.ps1'; Parameters = @{ Case = 'NotRunning' } }
        @{ Title = 'A leaf-only file warns ChainIncomplete; a chain only in memory gets a full chain file beside the certificate'; Scenario = 'Apache.OriginBuild.ps1'; Parameters = @{ Case = 'FullChain' } }
        @{ Title = 'Set-ApacheSsl | Test-HttpsEndpoint binds; the old certificate piped is not healthy; a private root asks for -TrustedRootPath'; Scenario = 'Apache.OriginBuild.ps1'; Parameters = @{ Case = 'PipeToTest' } }
        @{ Title = 'The scheduled renewal example run twice: the due certificate is renewed and served, then nothing is due'; Scenario = 'Apache.OriginBuild.ps1'; Parameters = @{ Case = 'ScheduledRenewal' } }
    )
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../CertCmdlets.psd1') -Force

    . (Join-Path $PSScriptRoot 'ScenarioRunner.ps1')
}

Describe 'Apache httpd over HTTPS' {
    It '<Title>' -ForEach $invocations {
        Invoke-PesterScenario -Scenario $Scenario -Parameters $Parameters -SkipAllowedOnWindows
    }

    It 'runs every Apache scenario file and every -Case' -ForEach @(@{ Invoked = $invocations }) {
        $files = @(Get-ChildItem -Path (Join-Path $PSScriptRoot '../Scenarios') -Filter 'Apache.*.ps1' | ForEach-Object Name)
        $files | Should -Not -BeNullOrEmpty
        $files | Where-Object { $_ -notin @($Invoked | ForEach-Object { $_.Scenario }) } | Should -BeNullOrEmpty -Because 'every Apache scenario file needs an It above'
        foreach ($file in $files) {
            $command = Get-Command (Join-Path $PSScriptRoot '../Scenarios' $file)
            if (-not $command.Parameters.ContainsKey('Case')) {
                continue
            }

            $cases = $command.Parameters['Case'].Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | ForEach-Object ValidValues
            $invokedCases = @($Invoked | Where-Object { $_.Scenario -eq $file } | ForEach-Object { $_.Parameters.Case })
            $cases | Where-Object { $_ -notin $invokedCases } | Should -BeNullOrEmpty -Because "every -Case of $file needs an It above"
        }
    }
}
