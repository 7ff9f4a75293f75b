<#
.SYNOPSIS
    Set-ApacheSsl, Enable-HttpsRedirect and Test-HttpsEndpoint against a private Apache httpd instance on 127.0.0.1:
    one -Case per invocation.

.DESCRIPTION
    Each invocation builds, in the work directory, an internal PKI made by the module (a root CA, an issuing CA, a
    server certificate for www.example.test exported with Export-CertPem) and a private httpd instance: its own
    ServerRoot and httpd.conf (LoadModule lines for mpm_event, authz_core, mime and dir from Debian's
    /usr/lib/apache2/modules, PidFile and ErrorLog inside the folder, User/Group www-data when running as root), plain
    HTTP on a free port of 127.0.0.1 and a VirtualHost for www.example.test. Then, by -Case:

    ServeHttps              Set-ApacheSsl | Enable-HttpsRedirect, httpd started; openssl s_client sees the leaf then
                            the issuing CA and verifies the chain against the root; curl (when installed) gets the page
                            and the 301; plain HTTP redirects keeping the path and query, but not ACME challenges;
                            Test-HttpsEndpoint reports a complete, ordered, matching chain, TLS 1.2 and the redirect;
                            another SNI name is a name mismatch (and -Quiet is $false); after Set-ApacheSsl -Reload with
                            cert.pem alone the chain is incomplete. httpd is always stopped.
    Idempotent              Running Set-ApacheSsl and Enable-HttpsRedirect again changes nothing (Changed = $false) and
                            leaves every byte (no new backup either).
    WhatIf                  -WhatIf writes nothing and emits nothing; where Start-Transcript exists (pwsh), the diff it
                            shows is checked too (the xunit host records it itself).
    CertificateNameMismatch A certificate for another name is refused and nothing changes; -AllowNameMismatch configures it with a
                            warning.
    CertificateKeyMismatch  The key of another certificate is refused and nothing changes, whatever the switches.
    KeyFileEncrypted        An encrypted key (httpd would prompt at start-up) is refused and nothing changes; with
                            -AllowEncryptedKey and -KeyPassword it is configured with a warning.
    ConfigTestFailed        A configuration that httpd's test rejects only once mod_ssl is loaded (a stock
                            <IfModule ssl_module> SSLSessionCache shmcb block without mod_socache_shmcb): every file is
                            restored.
    ConfigTestFailedBefore  A configuration httpd already rejects is not touched.
    ConfigInvalid           An unclosed <VirtualHost> is refused before anything is done, naming the file and line.

.PARAMETER WorkDirectory
    An empty (or new) directory the scenario may fill.

.PARAMETER Case
    What to check (see the description).

.PARAMETER RequireApache
    Throw when Debian's apache2 (/usr/sbin/apache2) is missing instead of returning the skipped marker (implied by
    CI=true, except on Windows, where there is no apache2 to require).

.PARAMETER RequireOpenSsl
    Throw when openssl is missing instead of returning the skipped marker (implied by CI=true). Only ServeHttps uses it.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)][string] $WorkDirectory,
    [Parameter(Mandatory)]
    [ValidateSet('ServeHttps', 'Idempotent', 'WhatIf', 'CertificateNameMismatch', 'CertificateKeyMismatch', 'KeyFileEncrypted', 'ConfigTestFailed', 'ConfigTestFailedBefore', 'ConfigInvalid')]
    [string] $Case,
    [switch] $RequireApache,
    [switch] $RequireOpenSsl
)

$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'Assert.ps1')

# ---------------------------------------------------------------------------------------------------------------
# The private httpd instance
# ---------------------------------------------------------------------------------------------------------------

$httpdProgram = '/usr/sbin/apache2'
$httpdModules = '/usr/lib/apache2/modules'
$siteName = 'www.example.test'

function Get-ApacheSkip {
    # $null when Debian's apache2 is installed. Otherwise the skipped marker, or a throw under CI=true or -Require
    # (on Windows always the marker: Debian's apache2 is a Linux peer).
    param([switch] $Require)

    if ($IsWindows) {
        return New-ScenarioSkipped -Reason "Debian's apache2 does not exist on Windows; the Apache scenarios run on Linux."
    }

    if ((Test-Path -LiteralPath $httpdProgram -PathType Leaf) -and (Test-Path -LiteralPath $httpdModules -PathType Container)) {
        return $null
    }

    if ($Require -or $env:CI -eq 'true') {
        throw "Debian's apache2 ($httpdProgram, modules in $httpdModules) is required for this scenario (CI=true or -RequireApache). Install it: apt-get install apache2."
    }

    return New-ScenarioSkipped -Reason "Debian's apache2 is not installed ($httpdProgram); this scenario configures and starts a private instance (under CI=true it fails instead)."
}

function New-PrivateHttpd {
    <#
    .SYNOPSIS
        A private httpd instance under -Directory: httpd.conf with plain HTTP on 127.0.0.1:<free port> and an HTTP
        VirtualHost for the site. Returns @{ Root; Config; HttpPort; HttpsPort; DocumentRoot }.
    #>
    param([Parameter(Mandatory)][string] $Directory)

    $ports = Get-FreeTcpPorts -Count 2
    $root = (New-Item -ItemType Directory -Path $Directory -Name 'httpd').FullName
    $documentRoot = (New-Item -ItemType Directory -Path $root -Name 'htdocs').FullName
    $null = (New-Item -ItemType Directory -Path $root -Name 'logs').FullName
    $acme = Join-Path $documentRoot '.well-known' 'acme-challenge'
    $null = New-Item -ItemType Directory -Path $acme -Force
    Set-Content -LiteralPath (Join-Path $documentRoot 'index.html') -Value "Hello from the private httpd`n" -NoNewline
    Set-Content -LiteralPath (Join-Path $acme 'token-1') -Value "acme-token-1`n" -NoNewline
    Set-Content -LiteralPath (Join-Path $root 'mime.types') -Value "text/html html`n" -NoNewline
    Set-ScenarioReadable -Path $root

    $user = if ([System.Environment]::UserName -eq 'root') { "User www-data`nGroup www-data`n" } else { '' }
    $config = Join-Path $root 'httpd.conf'
    # LF line ends and tabs, as on a Debian server: the editor must keep both.
    Set-Content -LiteralPath $config -Value (@"
# A private httpd instance made by the CertCmdlets Apache scenarios
ServerRoot "$root"
Listen 127.0.0.1:$($ports[0])

LoadModule mpm_event_module $httpdModules/mod_mpm_event.so
LoadModule authz_core_module $httpdModules/mod_authz_core.so
LoadModule mime_module $httpdModules/mod_mime.so
LoadModule dir_module $httpdModules/mod_dir.so

${user}ServerName localhost
PidFile logs/httpd.pid
ErrorLog logs/error.log
LogLevel warn
TypesConfig mime.types
DirectoryIndex index.html
DocumentRoot "$documentRoot"

<Directory "$documentRoot">
	Require all granted
</Directory>

<VirtualHost *:$($ports[0])>
	ServerName $siteName
	DocumentRoot "$documentRoot"
</VirtualHost>
"@.Replace("`r`n", "`n")) -NoNewline
    Set-ScenarioReadable -Path $root

    $test = Invoke-ScenarioNative -FilePath $httpdProgram -ArgumentList @('-t', '-d', $root, '-f', $config)
    $test.ExitCode | Should -BeExactly 0 -Because "the private instance's own configuration passes httpd -t before the module touches it ($($test.Output))"

    return [pscustomobject] @{
        Root         = $root
        Config       = $config
        HttpPort     = $ports[0]
        HttpsPort    = $ports[1]
        DocumentRoot = $documentRoot
    }
}

function Start-PrivateHttpd {
    param([Parameter(Mandatory)] $Instance)

    Start-ScenarioHttpd -Program $httpdProgram -ServerRoot $Instance.Root -Config $Instance.Config -Ports $Instance.HttpsPort, $Instance.HttpPort
}

function Stop-PrivateHttpd {
    param([Parameter(Mandatory)] $Instance)

    Stop-ScenarioHttpd -Program $httpdProgram -ServerRoot $Instance.Root -Config $Instance.Config
}

function Get-PrivateHttpdLog {
    param([Parameter(Mandatory)] $Instance)

    Get-ScenarioHttpdLog -ServerRoot $Instance.Root
}

function New-ScenarioPki {
    # A root CA (files in ca/), an issuing CA under it, and a server certificate per name, exported to -Name's folder.
    param([Parameter(Mandatory)][string] $Directory)

    $ca = (New-Item -ItemType Directory -Path $Directory -Name 'ca').FullName
    $root = New-CertAuthority 'Example Test Root' -Name 'root' -KeyAlgorithm ECDSA -OutputDirectory $ca
    $issuing = New-CertAuthority 'Example Test Issuing CA' -Issuer $root -KeyAlgorithm ECDSA
    Test-Path -LiteralPath $root.CertificatePath -PathType Leaf | Should -BeTrue -Because 'New-CertAuthority -OutputDirectory writes the root certificate'
    return [pscustomobject] @{ Root = $root; Issuing = $issuing; Directory = $Directory }
}

function New-ScenarioServerCertificate {
    param(
        [Parameter(Mandatory)] $Pki,
        [Parameter(Mandatory)][string] $CommonName,
        [Parameter(Mandatory)][string] $Folder,
        [System.Security.SecureString] $KeyPassword
    )

    $output = Join-Path $Pki.Directory $Folder
    $export = @{ OutputDirectory = $output }
    if ($KeyPassword) {
        $export['KeyPassword'] = $KeyPassword
    }

    $certificate = New-CertRequest $CommonName -KeyAlgorithm ECDSA | Approve-CertRequest -Authority $Pki.Issuing | Export-CertPem @export
    $certificate | Should -HaveCount 1 -Because "New-CertRequest | Approve-CertRequest | Export-CertPem emits the certificate for '$CommonName'"
    foreach ($path in $certificate.CertificatePath, $certificate.KeyPath, $certificate.ChainPath, $certificate.FullChainPath) {
        Test-Path -LiteralPath $path -PathType Leaf | Should -BeTrue -Because 'Export-CertPem -OutputDirectory writes the certificate, key, chain and full chain'
    }

    return $certificate
}

function Get-ConfigText {
    param([Parameter(Mandatory)] $Instance)

    return (Get-Content -LiteralPath $Instance.Config -Raw)
}

function Assert-ConfigTestPassed {
    param([Parameter(Mandatory)] $Instance, [Parameter(Mandatory)][string] $Because)

    $test = Invoke-ScenarioNative -FilePath $httpdProgram -ArgumentList @('-t', '-d', $Instance.Root, '-f', $Instance.Config)
    $test.ExitCode | Should -BeExactly 0 -Because "httpd -t passes: $Because ($($test.Output))"
}

function Assert-NothingChanged {
    # The failing command left every file as it was, and emitted nothing.
    param(
        [Parameter(Mandatory)] $Result,
        [Parameter(Mandatory)][AllowEmptyCollection()][string[]] $Before,
        [Parameter(Mandatory)][string] $Because
    )

    $Result.Output | Should -HaveCount 0 -Because "no result object comes out when $Because"
    Compare-Object $Before (Get-DirectorySnapshot $WorkDirectory) -CaseSensitive | Should -BeNullOrEmpty -Because "every file is byte-for-byte as before when $Because (no backup, no new file)"
}

# ---------------------------------------------------------------------------------------------------------------
# The scenario
# ---------------------------------------------------------------------------------------------------------------

$skip = Get-ApacheSkip -Require:$RequireApache
if ($skip) {
    return $skip
}

if ($Case -eq 'ServeHttps') {
    $skip = Get-OpenSslSkip -Require:$RequireOpenSsl
    if ($skip) {
        return $skip
    }
}

$WorkDirectory = Initialize-ScenarioDirectory $WorkDirectory
Set-ScenarioReadable -Path $WorkDirectory
$pki = New-ScenarioPki -Directory $WorkDirectory
$certificate = New-ScenarioServerCertificate -Pki $pki -CommonName $siteName -Folder 'tls'
$instance = New-PrivateHttpd -Directory $WorkDirectory
$conf = $instance.Config
$https = $instance.HttpsPort
$http = $instance.HttpPort
$rootPem = $pki.Root.CertificatePath

switch ($Case) {
    'ServeHttps' {
        # The block runs in a child scope: Set-ApacheSsl's result is kept by adding it to a list made out here.
        $sslResult = [System.Collections.Generic.List[object]]::new()
        $configured = @($certificate |
                Set-ApacheSsl $siteName -ConfigPath $conf -Port $https -ListenAddress 127.0.0.1 |
                ForEach-Object { $sslResult.Add($_); $_ } |
                Enable-HttpsRedirect -ConfigPath $conf -HttpPort $http -ListenAddress 127.0.0.1)
        $sslResult | Should -HaveCount 1 -Because 'Set-ApacheSsl emits one result'
        $configured | Should -HaveCount 1 -Because 'Enable-HttpsRedirect takes Set-ApacheSsl''s result from the pipeline and emits one result'
        $sslResult[0].Changed | Should -BeTrue -Because 'Set-ApacheSsl changed the configuration'
        $sslResult[0].ServerName | Should -BeExactly $siteName -Because 'the result names the site'
        $sslResult[0].Port | Should -BeExactly $https -Because 'the result names the HTTPS port'
        $sslResult[0].ConfigTest | Should -Match 'Syntax OK' -Because 'httpd''s configuration test ran and passed'
        $configured[0].Changed | Should -BeTrue -Because 'Enable-HttpsRedirect changed the configuration'
        $configured[0].ServerName | Should -BeExactly $siteName -Because 'the server name was bound from the pipeline'
        $configured[0].Port | Should -BeExactly $http -Because 'the redirect result names the HTTP port'

        $text = Get-ConfigText $instance
        @([regex]::Matches($text, "(?m)^\s*LoadModule\s+ssl_module\s")) | Should -HaveCount 1 -Because 'mod_ssl is loaded once'
        @([regex]::Matches($text, "(?m)^\s*Listen\s+(\S+:)?$https(\s|$)")) | Should -HaveCount 1 -Because "exactly one Listen for port $https"
        @([regex]::Matches($text, "(?m)^\s*Listen\s+(\S+:)?$http(\s|$)")) | Should -HaveCount 1 -Because "exactly one Listen for port $http"
        $text | Should -Match ('(?m)^\s*SSLCertificateFile\s+"?' + [regex]::Escape($certificate.FullChainPath) + '"?\s*$') -Because 'httpd 2.4.8+ gets the full chain in SSLCertificateFile'
        $text | Should -Match ('(?m)^\s*SSLCertificateKeyFile\s+"?' + [regex]::Escape($certificate.KeyPath) + '"?\s*$') -Because 'the key file is configured'
        $text | Should -Not -Match '(?m)^\s*SSLCertificateChainFile' -Because 'no SSLCertificateChainFile on httpd 2.4.8+'

        try {
            Start-PrivateHttpd $instance
            # openssl: the certificates as sent (leaf, then its issuer), and a chain that verifies against the root alone.
            $sent = Invoke-ScenarioNative -FilePath 'openssl' -ArgumentList @('s_client', '-connect', "127.0.0.1:$https", '-servername', $siteName, '-showcerts') -NoInput
            $subjects = @([regex]::Matches($sent.Output, '(?m)^\s*(\d+) s:\s*(.*)$') | ForEach-Object { $_.Groups[2].Value.Trim() })
            ($subjects.Count -ge 2) | Should -BeTrue -Because "openssl s_client sees at least the leaf and the issuing CA ($($sent.Output))"
            $subjects[0] | Should -Match 'CN\s*=\s*www\.example\.test' -Because 'the server sends its own certificate first'
            $subjects[1] | Should -Match 'CN\s*=\s*Example Test Issuing CA' -Because 'then the issuing CA'
            $verified = Invoke-ScenarioNative -FilePath 'openssl' -ArgumentList @('s_client', '-connect', "127.0.0.1:$https", '-servername', $siteName, '-CAfile', $rootPem, '-verify_return_error', '-verify_hostname', $siteName) -NoInput
            $verified.ExitCode | Should -BeExactly 0 -Because "openssl s_client -verify_return_error accepts the chain against the root ($($verified.Output))"
            $verified.Output | Should -Match 'Verify return code: 0 \(ok\)' -Because 'openssl verifies the chain the server sends against the root alone'

            # Plain HTTP: 301 to https keeping path and query; ACME challenges stay on HTTP.
            $redirect = Invoke-ScenarioHttpGet -Port $http -HostHeader $siteName -Path '/a/b?c=d'
            $redirect.Status | Should -BeExactly 301 -Because 'plain HTTP answers with a permanent redirect'
            $redirect.Headers['Location'] | Should -BeExactly "https://${siteName}:$https/a/b?c=d" -Because 'the redirect keeps the host, the HTTPS port, the path and the query'
            $acme = Invoke-ScenarioHttpGet -Port $http -HostHeader $siteName -Path '/.well-known/acme-challenge/token-1'
            $acme.Status | Should -BeExactly 200 -Because 'ACME challenges are answered over plain HTTP, not redirected'
            $acme.Body | Should -BeExactly "acme-token-1`n" -Because 'the challenge file is served as it is'

            if (Get-Command -Name curl -CommandType Application -ErrorAction SilentlyContinue) {
                $page = Invoke-ScenarioNative -FilePath 'curl' -ArgumentList @('-sS', '--resolve', "${siteName}:${https}:127.0.0.1", '--cacert', $rootPem, "https://${siteName}:$https/")
                $page.ExitCode | Should -BeExactly 0 -Because "curl trusts the server with the root alone ($($page.Output))"
                $page.Output | Should -BeExactly 'Hello from the private httpd' -Because 'curl gets the page over HTTPS'
                $head = Invoke-ScenarioNative -FilePath 'curl' -ArgumentList @('-sI', "http://127.0.0.1:$http/a/b?c=d", '-H', "Host: $siteName")
                $head.Output | Should -Match '^HTTP/1\.1 301' -Because 'curl sees a 301'
                $head.Output | Should -Match ('(?m)^Location: ' + [regex]::Escape("https://${siteName}:$https/a/b?c=d") + '\r?$') -Because 'curl sees the Location keeping the path and query'
            }

            # Test-HttpsEndpoint, as a browser sees the site.
            $probe = @(Test-HttpsEndpoint 127.0.0.1 -Port $https -ServerName $siteName -HttpPort $http -TrustedRootPath $rootPem)
            $probe | Should -HaveCount 1 -Because 'Test-HttpsEndpoint emits one result'
            $endpoint = $probe[0]
            ($endpoint.Certificates.Count -ge 2) | Should -BeTrue -Because 'the certificates as sent: the leaf and at least the issuing CA'
            $endpoint.Certificates[0].Thumbprint | Should -BeExactly $certificate.Thumbprint -Because 'the first certificate sent is the one configured'
            $endpoint.Certificates[1].Thumbprint | Should -BeExactly $pki.Issuing.Thumbprint -Because 'the second is the issuing CA'
            $endpoint.ChainComplete | Should -BeTrue -Because 'the server sends the full chain'
            $endpoint.ChainInOrder | Should -BeTrue -Because 'each certificate is followed by its issuer'
            $endpoint.NamesMatch | Should -BeTrue -Because "the certificate covers $siteName"
            $endpoint.RedirectsToHttps | Should -BeTrue -Because 'plain HTTP redirects to HTTPS'
            $endpoint.Protocols | Should -Contain 'TLS 1.2' -Because 'the Intermediate profile accepts TLS 1.2'
            ($endpoint.DaysRemaining -gt 300) | Should -BeTrue -Because "the certificate is new ($($endpoint.DaysRemaining) days remaining)"
            $endpoint.Problems | Should -HaveCount 0 -Because 'a correctly configured site has no problem'
            $quiet = @(Test-HttpsEndpoint 127.0.0.1 -Port $https -ServerName $siteName -TrustedRootPath $rootPem -Quiet)
            $quiet[0] | Should -BeExactly $true -Because 'Test-HttpsEndpoint -Quiet is $true for a healthy site'

            $other = @(Test-HttpsEndpoint 127.0.0.1 -Port $https -ServerName 'other.test' -TrustedRootPath $rootPem)
            $other[0].NamesMatch | Should -BeFalse -Because 'the certificate does not cover other.test'
            (@($other[0].Problems | Where-Object { $_ -match 'other\.test' }).Count -eq 1) | Should -BeTrue -Because "one problem names other.test ($($other[0].Problems -join ', '))"
            $otherQuiet = @(Test-HttpsEndpoint 127.0.0.1 -Port $https -ServerName 'other.test' -TrustedRootPath $rootPem -Quiet)
            $otherQuiet | Should -HaveCount 1 -Because 'Test-HttpsEndpoint -Quiet emits one value'
            $otherQuiet[0] | Should -BeExactly $false -Because 'Test-HttpsEndpoint -Quiet is $false when the name does not match'

            # The certificate alone (no chain), and a graceful restart: browsers without the issuing CA would refuse it.
            $leafOnly = @(Set-ApacheSsl $siteName -CertificateFile $certificate.CertificatePath -KeyFile $certificate.KeyPath -ConfigPath $conf -Port $https -ListenAddress 127.0.0.1 -Reload)
            $leafOnly[0].Changed | Should -BeTrue -Because 'switching to cert.pem alone changes the configuration'
            (Get-ConfigText $instance) | Should -Match ('(?m)^\s*SSLCertificateFile\s+"?' + [regex]::Escape($certificate.CertificatePath) + '"?\s*$') -Because 'SSLCertificateFile names cert.pem'
            $deadline = [DateTime]::UtcNow.AddSeconds(15)
            do {
                [System.Threading.Thread]::Sleep(200)
                $incomplete = @(Test-HttpsEndpoint 127.0.0.1 -Port $https -ServerName $siteName -TrustedRootPath $rootPem -ErrorAction SilentlyContinue)
            } while (($incomplete.Count -eq 0 -or $incomplete[0].Certificates.Count -ne 1) -and [DateTime]::UtcNow -lt $deadline)
            $incomplete | Should -HaveCount 1 -Because 'Test-HttpsEndpoint reaches the reloaded server'
            $incomplete[0].Certificates | Should -HaveCount 1 -Because "after Set-ApacheSsl -Reload the server sends cert.pem alone $(Get-PrivateHttpdLog $instance)"
            $incomplete[0].ChainComplete | Should -BeFalse -Because 'a server that sends no intermediate has an incomplete chain'
            $incomplete[0].NamesMatch | Should -BeTrue -Because 'the name still matches'
            (@($incomplete[0].Problems | Where-Object { $_ -match 'chain|intermediate' }).Count -ge 1) | Should -BeTrue -Because "a problem says the chain is incomplete ($($incomplete[0].Problems -join ', '))"
        }
        finally {
            Stop-PrivateHttpd $instance
        }
    }

    'Idempotent' {
        $sslResult = [System.Collections.Generic.List[object]]::new()
        $first = @($certificate |
                Set-ApacheSsl $siteName -ConfigPath $conf -Port $https -ListenAddress 127.0.0.1 -Hsts |
                ForEach-Object { $sslResult.Add($_); $_ } |
                Enable-HttpsRedirect -ConfigPath $conf -HttpPort $http -ListenAddress 127.0.0.1)
        $sslResult[0].Changed | Should -BeTrue -Because 'the first Set-ApacheSsl changes the configuration'
        $first[0].Changed | Should -BeTrue -Because 'the first Enable-HttpsRedirect changes the configuration'
        ($sslResult[0].Backups.Count -ge 1) | Should -BeTrue -Because 'the first run backs up the file it changed'
        foreach ($backup in $sslResult[0].Backups) {
            Test-Path -LiteralPath $backup -PathType Leaf | Should -BeTrue -Because 'each backup named in the result exists'
        }

        $before = Get-DirectorySnapshot $WorkDirectory
        $sslAgain = [System.Collections.Generic.List[object]]::new()
        $second = @($certificate |
                Set-ApacheSsl $siteName -ConfigPath $conf -Port $https -ListenAddress 127.0.0.1 -Hsts |
                ForEach-Object { $sslAgain.Add($_); $_ } |
                Enable-HttpsRedirect -ConfigPath $conf -HttpPort $http -ListenAddress 127.0.0.1)
        $sslAgain | Should -HaveCount 1 -Because 'the second Set-ApacheSsl still emits its result'
        $sslAgain[0].Changed | Should -BeFalse -Because 'running Set-ApacheSsl again changes nothing'
        $sslAgain[0].FilesChanged | Should -HaveCount 0 -Because 'no file is named as changed'
        $sslAgain[0].Diff | Should -BeExactly '' -Because 'the second run has no diff'
        $second | Should -HaveCount 1 -Because 'the second Enable-HttpsRedirect still emits its result'
        $second[0].Changed | Should -BeFalse -Because 'running Enable-HttpsRedirect again changes nothing'
        $second[0].Backups | Should -HaveCount 0 -Because 'nothing changed, so nothing was backed up'
        Compare-Object $before (Get-DirectorySnapshot $WorkDirectory) -CaseSensitive | Should -BeNullOrEmpty -Because 'running twice writes no byte (no backup, no temporary file)'

        # The same through the file parameters, and a third redirect run alone.
        $files = @(Set-ApacheSsl $siteName -CertificateFile $certificate.FullChainPath -KeyFile $certificate.KeyPath -ConfigPath $conf -Port $https -ListenAddress 127.0.0.1 -Hsts)
        $files[0].Changed | Should -BeFalse -Because 'the same files given as -CertificateFile/-KeyFile change nothing either'
        $redirect = @(Enable-HttpsRedirect $siteName -ConfigPath $conf -HttpPort $http -HttpsPort $https -ListenAddress 127.0.0.1)
        $redirect[0].Changed | Should -BeFalse -Because 'Enable-HttpsRedirect with the same ports changes nothing'
        Compare-Object $before (Get-DirectorySnapshot $WorkDirectory) -CaseSensitive | Should -BeNullOrEmpty -Because 'still not a byte written'
        Assert-ConfigTestPassed $instance 'the configuration stays valid'
    }

    'WhatIf' {
        $before = Get-DirectorySnapshot $WorkDirectory
        $transcript = $null
        if (Get-Command -Name Start-Transcript -ErrorAction SilentlyContinue) {
            # pwsh shows the What if: text on the host only; a transcript is the one place a script can read it back.
            $transcript = Join-Path ([System.IO.Path]::GetTempPath()) ('certcmdlets-whatif-' + [guid]::NewGuid().ToString('N') + '.txt')
            $null = Start-Transcript -LiteralPath $transcript
        }

        try {
            $ssl = @($certificate | Set-ApacheSsl $siteName -ConfigPath $conf -Port $https -ListenAddress 127.0.0.1 -WhatIf)
            $redirect = @(Enable-HttpsRedirect $siteName -ConfigPath $conf -HttpPort $http -HttpsPort $https -ListenAddress 127.0.0.1 -WhatIf)
        }
        finally {
            if ($transcript) {
                $null = Stop-Transcript
            }
        }

        $ssl | Should -HaveCount 0 -Because 'Set-ApacheSsl -WhatIf emits nothing'
        $redirect | Should -HaveCount 0 -Because 'Enable-HttpsRedirect -WhatIf emits nothing'
        Compare-Object $before (Get-DirectorySnapshot $WorkDirectory) -CaseSensitive | Should -BeNullOrEmpty -Because '-WhatIf writes nothing: no configuration change, no backup'
        if ($transcript) {
            $shown = Get-Content -LiteralPath $transcript -Raw
            Remove-Item -LiteralPath $transcript
            $shown | Should -Match ('\+\s*Listen 127\.0\.0\.1:' + $https + ' https') -Because '-WhatIf shows the Listen it would add'
            $shown | Should -Match '\+\s*LoadModule ssl_module ' -Because '-WhatIf shows mod_ssl being loaded'
            $shown | Should -Match ('\+\s*<VirtualHost 127\.0\.0\.1:' + $https + '>') -Because '-WhatIf shows the new VirtualHost'
            $shown | Should -Match '\+\s*SSLEngine on' -Because '-WhatIf shows SSLEngine on'
            $shown | Should -Match '\+\s*RewriteRule \^ https://' -Because '-WhatIf shows the redirect rule'
        }

        # -WhatIf over a configured site, with a change to show (-Hsts): still nothing written.
        $null = @($certificate | Set-ApacheSsl $siteName -ConfigPath $conf -Port $https -ListenAddress 127.0.0.1)
        $configured = Get-DirectorySnapshot $WorkDirectory
        $hsts = @($certificate | Set-ApacheSsl $siteName -ConfigPath $conf -Port $https -ListenAddress 127.0.0.1 -Hsts -WhatIf)
        $hsts | Should -HaveCount 0 -Because 'Set-ApacheSsl -Hsts -WhatIf emits nothing'
        Compare-Object $configured (Get-DirectorySnapshot $WorkDirectory) -CaseSensitive | Should -BeNullOrEmpty -Because '-WhatIf on a configured site writes nothing'
    }

    'CertificateNameMismatch' {
        $other = New-ScenarioServerCertificate -Pki $pki -CommonName 'other.example.test' -Folder 'tls-other'
        $before = Get-DirectorySnapshot $WorkDirectory
        $refused = Invoke-ScenarioCommand { $other | Set-ApacheSsl $siteName -ConfigPath $conf -Port $https -ListenAddress 127.0.0.1 }
        $refused.Errors | Should -HaveCount 1
        $refused.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'CertificateNameMismatch,*'
        $refused.Errors[0].CategoryInfo.Category | Should -Be 'SecurityError'
        $refused.Errors[0].Exception.Message | Should -Match 'other\.example\.test'
        $refused.Errors[0].Exception.Message | Should -Match ([regex]::Escape($siteName)) -Because 'the message names the site'
        Assert-NothingChanged $refused $before 'the certificate does not cover the name'

        # Warnings come back as WarningRecord objects among the output (3>&1).
        $forcedOutput = @($other | Set-ApacheSsl $siteName -ConfigPath $conf -Port $https -ListenAddress 127.0.0.1 -AllowNameMismatch 3>&1)
        $forced = @($forcedOutput | Where-Object { $_ -isnot [System.Management.Automation.WarningRecord] })
        $forcedWarnings = @($forcedOutput | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
        $forced | Should -HaveCount 1 -Because '-AllowNameMismatch configures it anyway'
        $forced[0].Changed | Should -BeTrue -Because '-AllowNameMismatch changed the configuration'
        $forcedWarnings | Should -HaveCount 1 -Because '-AllowNameMismatch says what it overrode, once'
        "$($forcedWarnings[0])" | Should -Match 'other\.example\.test' -Because 'the warning names the certificate'
        "$($forcedWarnings[0])" | Should -Match '-AllowNameMismatch' -Because 'the warning names the switch that overrode the check'
        (Get-ConfigText $instance) | Should -Match ([regex]::Escape($other.FullChainPath)) -Because 'the forced certificate is configured'
        Assert-ConfigTestPassed $instance 'the forced configuration is valid'
    }

    'CertificateKeyMismatch' {
        $other = New-ScenarioServerCertificate -Pki $pki -CommonName $siteName -Folder 'tls-other'
        $before = Get-DirectorySnapshot $WorkDirectory
        $refused = Invoke-ScenarioCommand { Set-ApacheSsl $siteName -CertificateFile $certificate.FullChainPath -KeyFile $other.KeyPath -ConfigPath $conf -Port $https -ListenAddress 127.0.0.1 }
        $refused.Errors | Should -HaveCount 1
        $refused.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'CertificateKeyMismatch,*'
        $refused.Errors[0].CategoryInfo.Category | Should -Be 'SecurityError'
        Assert-NothingChanged $refused $before 'the key belongs to another certificate'

        # httpd would not start with that pair: no switch configures it (there is no -Force on Set-ApacheSsl).
        $stillRefused = Invoke-ScenarioCommand { Set-ApacheSsl $siteName -CertificatePath $certificate.FullChainPath -KeyPath $other.KeyPath -ConfigPath $conf -Port $https -ListenAddress 127.0.0.1 -AllowNameMismatch -AllowEncryptedKey }
        $stillRefused.Errors | Should -HaveCount 1
        $stillRefused.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'CertificateKeyMismatch,*'
        Assert-NothingChanged $stillRefused $before 'no override configures the key of another certificate'
    }

    'KeyFileEncrypted' {
        $password = ConvertTo-SecureString -String 'a key password httpd cannot ask for' -AsPlainText -Force
        $encrypted = New-ScenarioServerCertificate -Pki $pki -CommonName $siteName -Folder 'tls-encrypted' -KeyPassword $password
        (Get-Content -LiteralPath $encrypted.KeyPath -Raw) | Should -Match 'ENCRYPTED' -Because 'Export-CertPem -KeyPassword writes an encrypted key'
        $before = Get-DirectorySnapshot $WorkDirectory
        $refused = Invoke-ScenarioCommand { $encrypted | Set-ApacheSsl $siteName -ConfigPath $conf -Port $https -ListenAddress 127.0.0.1 }
        $refused.Errors | Should -HaveCount 1
        $refused.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'KeyFileEncrypted,*'
        $refused.Errors[0].Exception.Message | Should -Match 'pass phrase'
        "$($refused.Errors[0].TargetObject)" | Should -BeExactly $encrypted.KeyPath -Because 'the error targets the key file'
        Assert-NothingChanged $refused $before 'the key is encrypted'
        $files = Invoke-ScenarioCommand { Set-ApacheSsl $siteName -CertificatePath $encrypted.FullChainPath -KeyPath $encrypted.KeyPath -ConfigPath $conf -Port $https -ListenAddress 127.0.0.1 -AllowEncryptedKey }
        $files.Errors | Should -HaveCount 1
        $files.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'KeyFileEncrypted,*'
        $files.Errors[0].Exception.Message | Should -Match '-KeyPassword' -Because 'the key cannot be checked against the certificate without its password'
        Assert-NothingChanged $files $before 'an encrypted key is configured only when it can be checked (-KeyPassword) and is allowed (-AllowEncryptedKey)'
        $allowed = @(Set-ApacheSsl $siteName -CertificatePath $encrypted.FullChainPath -KeyPath $encrypted.KeyPath -KeyPassword $password -ConfigPath $conf -Port $https -ListenAddress 127.0.0.1 -AllowEncryptedKey 3>&1)
        @($allowed | Where-Object { $_ -is [System.Management.Automation.WarningRecord] } | Where-Object { "$_" -match '-AllowEncryptedKey' -and "$_" -match 'pass phrase' }) | Should -HaveCount 1 -Because 'the override says what httpd will do'
        @($allowed | Where-Object { $_ -isnot [System.Management.Automation.WarningRecord] })[0].Changed | Should -BeTrue
    }

    'ConfigTestFailed' {
        # The stock SSL settings of many httpd.conf files: inert while mod_ssl is not loaded, fatal once it is
        # without mod_socache_shmcb ("SSLSessionCache: 'shmcb' session cache not supported").
        Add-Content -LiteralPath $conf -Value "`n<IfModule ssl_module>`n`tSSLSessionCache `"shmcb:logs/ssl_scache(512000)`"`n</IfModule>`n" -NoNewline
        Assert-ConfigTestPassed $instance 'the SSL block is inert before mod_ssl is loaded'
        $before = Get-DirectorySnapshot $WorkDirectory
        $failed = Invoke-ScenarioCommand { $certificate | Set-ApacheSsl $siteName -ConfigPath $conf -Port $https -ListenAddress 127.0.0.1 }
        $failed.Errors | Should -HaveCount 1
        $failed.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'ApacheConfigTestFailed,*'
        $failed.Errors[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $failed.Errors[0].Exception.Message | Should -Match 'SSLSessionCache'
        $failed.Errors[0].Exception.Message | Should -Match 'restored' -Because 'the message says every file was restored'
        "$($failed.Errors[0].TargetObject)" | Should -BeExactly $conf -Because 'the error targets the main configuration file'
        Assert-NothingChanged $failed $before 'httpd''s configuration test fails after the change'
        Assert-ConfigTestPassed $instance 'the restored configuration is valid again'
    }

    'ConfigTestFailedBefore' {
        Add-Content -LiteralPath $conf -Value "`nThisIsNotAnApacheDirective on`n" -NoNewline
        $before = Get-DirectorySnapshot $WorkDirectory
        $refused = Invoke-ScenarioCommand { $certificate | Set-ApacheSsl $siteName -ConfigPath $conf -Port $https -ListenAddress 127.0.0.1 }
        $refused.Errors | Should -HaveCount 1
        $refused.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'ApacheConfigTestFailedBefore,*'
        $refused.Errors[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $refused.Errors[0].Exception.Message | Should -Match 'ThisIsNotAnApacheDirective'
        Assert-NothingChanged $refused $before 'httpd already rejects the configuration'
        $redirect = Invoke-ScenarioCommand { Enable-HttpsRedirect $siteName -ConfigPath $conf -HttpPort $http -HttpsPort $https -ListenAddress 127.0.0.1 }
        $redirect.Errors | Should -HaveCount 1
        $redirect.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'ApacheConfigTestFailedBefore,*'
        Assert-NothingChanged $redirect $before 'Enable-HttpsRedirect is refused the same way'
    }

    'ConfigInvalid' {
        $lines = [System.Collections.Generic.List[string]]::new([string[]] ((Get-ConfigText $instance) -split "`n"))
        $open = $lines.FindIndex([System.Predicate[string]] { param($line) $line.StartsWith('<VirtualHost') })
        $close = $lines.FindIndex([System.Predicate[string]] { param($line) $line.StartsWith('</VirtualHost>') })
        $lines.RemoveAt($close)
        Set-Content -LiteralPath $conf -Value ($lines -join "`n") -NoNewline
        $before = Get-DirectorySnapshot $WorkDirectory
        $refused = Invoke-ScenarioCommand { $certificate | Set-ApacheSsl $siteName -ConfigPath $conf -Port $https -ListenAddress 127.0.0.1 }
        $refused.Errors | Should -HaveCount 1
        $refused.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'ApacheConfigInvalid,*'
        $refused.Errors[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $message = $refused.Errors[0].Exception.Message
        $message | Should -Match ([regex]::Escape($conf)) -Because 'the message names the file'
        $message | Should -Match "line $($open + 1)\b" -Because 'the message names the line of the unclosed <VirtualHost>'
        $message | Should -Match 'VirtualHost' -Because 'the message names the section'
        Assert-NothingChanged $refused $before 'the configuration cannot be read'
        $redirect = Invoke-ScenarioCommand { Enable-HttpsRedirect $siteName -ConfigPath $conf -HttpPort $http -HttpsPort $https }
        $redirect.Errors | Should -HaveCount 1
        $redirect.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'ApacheConfigInvalid,*'
        Assert-NothingChanged $redirect $before 'Enable-HttpsRedirect is refused the same way'
    }
}
