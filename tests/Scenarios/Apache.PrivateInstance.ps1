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
    KeyFileEncrypted        An encrypted key (httpd would prompt at start-up) is refused and nothing changes.
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
. ([System.IO.Path]::Combine($PSScriptRoot, 'Assert.ps1'))

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

    if (Test-ScenarioOnWindows) {
        return New-ScenarioSkipped -Reason "Debian's apache2 does not exist on Windows; the Apache scenarios run on Linux."
    }

    if ([System.IO.File]::Exists($httpdProgram) -and [System.IO.Directory]::Exists($httpdModules)) {
        return $null
    }

    if ($Require -or $env:CI -eq 'true') {
        throw "Debian's apache2 ($httpdProgram, modules in $httpdModules) is required for this scenario (CI=true or -RequireApache). Install it: apt-get install apache2."
    }

    return New-ScenarioSkipped -Reason "Debian's apache2 is not installed ($httpdProgram); this scenario configures and starts a private instance (under CI=true it fails instead)."
}

function Get-FreeTcpPorts {
    # Distinct free ports on 127.0.0.1: each found by binding a listener to port 0, all held until every one is known.
    param([int] $Count = 2)

    $listeners = @(1..$Count | ForEach-Object {
            $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
            $listener.Start()
            $listener
        })
    try {
        return , @($listeners | ForEach-Object { $_.LocalEndpoint.Port })
    }
    finally {
        $listeners | ForEach-Object { $_.Stop() }
    }
}

function Set-ScenarioReadable {
    # httpd's workers run as www-data when started by root: directories 755, files 644 (never the private keys).
    param([Parameter(Mandatory)][string] $Path)

    if (Test-ScenarioOnWindows) {
        return
    }

    $directoryMode = [System.IO.UnixFileMode] 'UserRead, UserWrite, UserExecute, GroupRead, GroupExecute, OtherRead, OtherExecute'
    $fileMode = [System.IO.UnixFileMode] 'UserRead, UserWrite, GroupRead, OtherRead'
    [System.IO.File]::SetUnixFileMode($Path, $directoryMode)
    foreach ($directory in [System.IO.Directory]::EnumerateDirectories($Path, '*', [System.IO.SearchOption]::AllDirectories)) {
        [System.IO.File]::SetUnixFileMode($directory, $directoryMode)
    }

    foreach ($file in [System.IO.Directory]::EnumerateFiles($Path, '*', [System.IO.SearchOption]::AllDirectories)) {
        [System.IO.File]::SetUnixFileMode($file, $fileMode)
    }
}

function New-PrivateHttpd {
    <#
    .SYNOPSIS
        A private httpd instance under -Directory: httpd.conf with plain HTTP on 127.0.0.1:<free port> and an HTTP
        VirtualHost for the site. Returns @{ Root; Config; HttpPort; HttpsPort; DocumentRoot }.
    #>
    param([Parameter(Mandatory)][string] $Directory)

    $ports = Get-FreeTcpPorts -Count 2
    $root = New-ScenarioDirectory -Parent $Directory -Name 'httpd'
    $documentRoot = New-ScenarioDirectory -Parent $root -Name 'htdocs'
    $null = New-ScenarioDirectory -Parent $root -Name 'logs'
    $acme = [System.IO.Path]::Combine($documentRoot, '.well-known', 'acme-challenge')
    $null = [System.IO.Directory]::CreateDirectory($acme)
    [System.IO.File]::WriteAllText([System.IO.Path]::Combine($documentRoot, 'index.html'), "Hello from the private httpd`n")
    [System.IO.File]::WriteAllText([System.IO.Path]::Combine($acme, 'token-1'), "acme-token-1`n")
    [System.IO.File]::WriteAllText([System.IO.Path]::Combine($root, 'mime.types'), "text/html html`n")
    Set-ScenarioReadable -Path $root

    $user = if ([System.Environment]::UserName -eq 'root') { "User www-data`nGroup www-data`n" } else { '' }
    $config = [System.IO.Path]::Combine($root, 'httpd.conf')
    # LF line ends and tabs, as on a Debian server: the editor must keep both.
    [System.IO.File]::WriteAllText($config, @"
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
"@.Replace("`r`n", "`n"))
    Set-ScenarioReadable -Path $root

    $test = Invoke-ScenarioNative -FilePath $httpdProgram -ArgumentList @('-t', '-d', $root, '-f', $config)
    Assert-Equal 0 $test.ExitCode "the private instance's own configuration passes httpd -t before the module touches it ($($test.Output))"

    return [pscustomobject] @{
        Root         = $root
        Config       = $config
        HttpPort     = $ports[0]
        HttpsPort    = $ports[1]
        DocumentRoot = $documentRoot
    }
}

function Invoke-ScenarioNative {
    <#
    .SYNOPSIS
        Runs a program; returns @{ ExitCode; Output } (stdout and stderr as one string). Never throws on a non-zero
        exit. -NoInput runs it with its input at end of file (sh's </dev/null), so a program that reads standard
        input (openssl s_client) never waits on the console of an interactive pwsh (piping into a native program is
        not possible here: the hosted engine has no Out-String).
    #>
    param(
        [Parameter(Mandatory)][string] $FilePath,
        [string[]] $ArgumentList = @(),
        [switch] $NoInput
    )

    $ErrorActionPreference = 'Continue'
    $PSNativeCommandUseErrorActionPreference = $false
    if ($NoInput) {
        $lines = & /bin/sh -c 'exec "$@" </dev/null' sh $FilePath @ArgumentList 2>&1 | ForEach-Object { "$_" }
    }
    else {
        $lines = & $FilePath @ArgumentList 2>&1 | ForEach-Object { "$_" }
    }

    $exitCode = $LASTEXITCODE
    $global:LASTEXITCODE = 0
    return [pscustomobject] @{ ExitCode = $exitCode; Output = (@($lines) -join "`n") }
}

function Wait-TcpPort {
    # True once 127.0.0.1:-Port accepts a connection; false after -Seconds.
    param([Parameter(Mandatory)][int] $Port, [int] $Seconds = 10)

    $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
    while ([DateTime]::UtcNow -lt $deadline) {
        $client = [System.Net.Sockets.TcpClient]::new()
        try {
            if ($client.ConnectAsync('127.0.0.1', $Port).Wait(500)) {
                return $true
            }
        }
        catch {
            # Refused: not listening yet.
        }
        finally {
            $client.Dispose()
        }

        [System.Threading.Thread]::Sleep(100)
    }

    return $false
}

function Start-PrivateHttpd {
    # httpd -k start (it detaches once its configuration is read); fails with httpd's words and error log when it does not come up.
    param([Parameter(Mandatory)] $Instance)

    $start = Invoke-ScenarioNative -FilePath $httpdProgram -ArgumentList @('-d', $Instance.Root, '-f', $Instance.Config, '-k', 'start')
    if ($start.ExitCode -ne 0 -or -not (Wait-TcpPort -Port $Instance.HttpsPort) -or -not (Wait-TcpPort -Port $Instance.HttpPort)) {
        throw "The private httpd did not start (exit $($start.ExitCode)): $($start.Output) $(Get-PrivateHttpdLog $Instance)"
    }
}

function Stop-PrivateHttpd {
    # httpd -k stop, then waits (bounded) until the main process is gone, so no worker keeps the ports.
    param([Parameter(Mandatory)] $Instance)

    $pidFile = [System.IO.Path]::Combine($Instance.Root, 'logs', 'httpd.pid')
    if (-not [System.IO.File]::Exists($pidFile)) {
        return
    }

    $mainPid = [int] [System.IO.File]::ReadAllText($pidFile).Trim()
    $null = Invoke-ScenarioNative -FilePath $httpdProgram -ArgumentList @('-d', $Instance.Root, '-f', $Instance.Config, '-k', 'stop')
    try {
        $process = [System.Diagnostics.Process]::GetProcessById($mainPid)
        if (-not $process.WaitForExit(10000)) {
            $process.Kill($true)
        }
    }
    catch [System.ArgumentException] {
        # Already gone.
    }
}

function Get-PrivateHttpdLog {
    param([Parameter(Mandatory)] $Instance)

    $log = [System.IO.Path]::Combine($Instance.Root, 'logs', 'error.log')
    if ([System.IO.File]::Exists($log)) {
        return "error.log: " + [System.IO.File]::ReadAllText($log)
    }

    return '(no error.log)'
}

function Invoke-ScenarioHttpGet {
    # One plain HTTP/1.1 GET to 127.0.0.1 with a Host header; returns @{ Status (int); Headers (hashtable); Body }.
    param([Parameter(Mandatory)][int] $Port, [Parameter(Mandatory)][string] $HostHeader, [Parameter(Mandatory)][string] $Path)

    $client = [System.Net.Sockets.TcpClient]::new('127.0.0.1', $Port)
    try {
        $client.ReceiveTimeout = 10000
        $stream = $client.GetStream()
        $request = [System.Text.Encoding]::ASCII.GetBytes("GET $Path HTTP/1.1`r`nHost: $HostHeader`r`nConnection: close`r`n`r`n")
        $stream.Write($request, 0, $request.Length)
        $text = [System.IO.StreamReader]::new($stream, [System.Text.Encoding]::ASCII).ReadToEnd()
    }
    finally {
        $client.Dispose()
    }

    $split = $text.IndexOf("`r`n`r`n")
    $head = if ($split -ge 0) { $text.Substring(0, $split) } else { $text }
    $lines = $head -split "`r`n"
    $headers = @{}
    for ($i = 1; $i -lt $lines.Count; $i++) {
        $line = $lines[$i]
        $colon = $line.IndexOf(':')
        if ($colon -gt 0) {
            $headers[$line.Substring(0, $colon).Trim()] = $line.Substring($colon + 1).Trim()
        }
    }

    return [pscustomobject] @{
        Status  = [int] ($lines[0] -split ' ')[1]
        Headers = $headers
        Body    = if ($split -ge 0) { $text.Substring($split + 4) } else { '' }
    }
}

function New-ScenarioPki {
    # A root CA (files in ca/), an issuing CA under it, and a server certificate per name, exported to -Name's folder.
    param([Parameter(Mandatory)][string] $Directory)

    $ca = New-ScenarioDirectory -Parent $Directory -Name 'ca'
    $root = New-CertAuthority 'Example Test Root' -Name 'root' -KeyAlgorithm ECDSA -OutputDirectory $ca
    $issuing = New-CertAuthority 'Example Test Issuing CA' -Issuer $root -KeyAlgorithm ECDSA
    Assert-FileExists $root.CertificatePath 'New-CertAuthority -OutputDirectory writes the root certificate'
    return [pscustomobject] @{ Root = $root; Issuing = $issuing; Directory = $Directory }
}

function New-ScenarioServerCertificate {
    param(
        [Parameter(Mandatory)] $Pki,
        [Parameter(Mandatory)][string] $CommonName,
        [Parameter(Mandatory)][string] $Folder,
        [System.Security.SecureString] $KeyPassword
    )

    $output = [System.IO.Path]::Combine($Pki.Directory, $Folder)
    $export = @{ OutputDirectory = $output }
    if ($KeyPassword) {
        $export['KeyPassword'] = $KeyPassword
    }

    $certificate = New-CertRequest $CommonName -KeyAlgorithm ECDSA | Approve-CertRequest -Authority $Pki.Issuing | Export-CertPem @export
    Assert-Count 1 $certificate "New-CertRequest | Approve-CertRequest | Export-CertPem emits the certificate for '$CommonName'"
    foreach ($path in $certificate.CertificatePath, $certificate.KeyPath, $certificate.ChainPath, $certificate.FullChainPath) {
        Assert-FileExists $path 'Export-CertPem -OutputDirectory writes the certificate, key, chain and full chain'
    }

    return $certificate
}

function Get-ConfigText {
    param([Parameter(Mandatory)] $Instance)

    return [System.IO.File]::ReadAllText($Instance.Config)
}

function Assert-ConfigTestPassed {
    param([Parameter(Mandatory)] $Instance, [Parameter(Mandatory)][string] $Because)

    $test = Invoke-ScenarioNative -FilePath $httpdProgram -ArgumentList @('-t', '-d', $Instance.Root, '-f', $Instance.Config)
    Assert-Equal 0 $test.ExitCode "httpd -t passes: $Because ($($test.Output))"
}

function Assert-NothingChanged {
    # The failing command left every file as it was, and emitted nothing.
    param(
        [Parameter(Mandatory)] $Result,
        [Parameter(Mandatory)][AllowEmptyCollection()][string[]] $Before,
        [Parameter(Mandatory)][string] $Because
    )

    Assert-Count 0 $Result.Output "no result object comes out when $Because"
    Assert-DirectoryUnchanged $Before $WorkDirectory "every file is byte-for-byte as before when $Because (no backup, no new file)"
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
        $configured = Assert-NoError {
            $certificate |
                Set-ApacheSsl $siteName -ConfigPath $conf -Port $https -ListenAddress 127.0.0.1 |
                ForEach-Object { $sslResult.Add($_); $_ } |
                Enable-HttpsRedirect -ConfigPath $conf -HttpPort $http -ListenAddress 127.0.0.1
        }
        Assert-Count 1 $sslResult 'Set-ApacheSsl emits one result'
        Assert-Count 1 $configured 'Enable-HttpsRedirect takes Set-ApacheSsl''s result from the pipeline and emits one result'
        Assert-True $sslResult[0].Changed 'Set-ApacheSsl changed the configuration'
        Assert-Equal $siteName $sslResult[0].ServerName 'the result names the site'
        Assert-Equal $https $sslResult[0].Port 'the result names the HTTPS port'
        Assert-Match $sslResult[0].ConfigTest 'Syntax OK' 'httpd''s configuration test ran and passed'
        Assert-True $configured[0].Changed 'Enable-HttpsRedirect changed the configuration'
        Assert-Equal $siteName $configured[0].ServerName 'the server name was bound from the pipeline'
        Assert-Equal $http $configured[0].Port 'the redirect result names the HTTP port'

        $text = Get-ConfigText $instance
        Assert-Count 1 @([regex]::Matches($text, "(?m)^\s*LoadModule\s+ssl_module\s")) 'mod_ssl is loaded once'
        Assert-Count 1 @([regex]::Matches($text, "(?m)^\s*Listen\s+(\S+:)?$https(\s|$)")) "exactly one Listen for port $https"
        Assert-Count 1 @([regex]::Matches($text, "(?m)^\s*Listen\s+(\S+:)?$http(\s|$)")) "exactly one Listen for port $http"
        Assert-Match $text ('(?m)^\s*SSLCertificateFile\s+"?' + [regex]::Escape($certificate.FullChainPath) + '"?\s*$') 'httpd 2.4.8+ gets the full chain in SSLCertificateFile'
        Assert-Match $text ('(?m)^\s*SSLCertificateKeyFile\s+"?' + [regex]::Escape($certificate.KeyPath) + '"?\s*$') 'the key file is configured'
        Assert-NotMatch $text '(?m)^\s*SSLCertificateChainFile' 'no SSLCertificateChainFile on httpd 2.4.8+'

        try {
            Start-PrivateHttpd $instance
            # openssl: the certificates as sent (leaf, then its issuer), and a chain that verifies against the root alone.
            $sent = Invoke-ScenarioNative -FilePath 'openssl' -ArgumentList @('s_client', '-connect', "127.0.0.1:$https", '-servername', $siteName, '-showcerts') -NoInput
            $subjects = @([regex]::Matches($sent.Output, '(?m)^\s*(\d+) s:\s*(.*)$') | ForEach-Object { $_.Groups[2].Value.Trim() })
            Assert-True ($subjects.Count -ge 2) "openssl s_client sees at least the leaf and the issuing CA ($($sent.Output))"
            Assert-Match $subjects[0] 'CN\s*=\s*www\.example\.test' 'the server sends its own certificate first'
            Assert-Match $subjects[1] 'CN\s*=\s*Example Test Issuing CA' 'then the issuing CA'
            $verified = Invoke-ScenarioNative -FilePath 'openssl' -ArgumentList @('s_client', '-connect', "127.0.0.1:$https", '-servername', $siteName, '-CAfile', $rootPem, '-verify_return_error', '-verify_hostname', $siteName) -NoInput
            Assert-Equal 0 $verified.ExitCode "openssl s_client -verify_return_error accepts the chain against the root ($($verified.Output))"
            Assert-Match $verified.Output 'Verify return code: 0 \(ok\)' 'openssl verifies the chain the server sends against the root alone'

            # Plain HTTP: 301 to https keeping path and query; ACME challenges stay on HTTP.
            $redirect = Invoke-ScenarioHttpGet -Port $http -HostHeader $siteName -Path '/a/b?c=d'
            Assert-Equal 301 $redirect.Status 'plain HTTP answers with a permanent redirect'
            Assert-Equal "https://${siteName}:$https/a/b?c=d" $redirect.Headers['Location'] 'the redirect keeps the host, the HTTPS port, the path and the query'
            $acme = Invoke-ScenarioHttpGet -Port $http -HostHeader $siteName -Path '/.well-known/acme-challenge/token-1'
            Assert-Equal 200 $acme.Status 'ACME challenges are answered over plain HTTP, not redirected'
            Assert-Equal "acme-token-1`n" $acme.Body 'the challenge file is served as it is'

            if (Get-Command -Name curl -CommandType Application -ErrorAction SilentlyContinue) {
                $page = Invoke-ScenarioNative -FilePath 'curl' -ArgumentList @('-sS', '--resolve', "${siteName}:${https}:127.0.0.1", '--cacert', $rootPem, "https://${siteName}:$https/")
                Assert-Equal 0 $page.ExitCode "curl trusts the server with the root alone ($($page.Output))"
                Assert-Equal 'Hello from the private httpd' $page.Output 'curl gets the page over HTTPS'
                $head = Invoke-ScenarioNative -FilePath 'curl' -ArgumentList @('-sI', "http://127.0.0.1:$http/a/b?c=d", '-H', "Host: $siteName")
                Assert-Match $head.Output '^HTTP/1\.1 301' 'curl sees a 301'
                Assert-Match $head.Output ('(?m)^Location: ' + [regex]::Escape("https://${siteName}:$https/a/b?c=d") + '\r?$') 'curl sees the Location keeping the path and query'
            }

            # Test-HttpsEndpoint, as a browser sees the site.
            $probe = Assert-NoError { Test-HttpsEndpoint 127.0.0.1 -Port $https -ServerName $siteName -HttpPort $http -TrustedRootPath $rootPem }
            Assert-Count 1 $probe 'Test-HttpsEndpoint emits one result'
            $endpoint = $probe[0]
            Assert-True ($endpoint.Certificates.Count -ge 2) 'the certificates as sent: the leaf and at least the issuing CA'
            Assert-Equal $certificate.Thumbprint $endpoint.Certificates[0].Thumbprint 'the first certificate sent is the one configured'
            Assert-Equal $pki.Issuing.Thumbprint $endpoint.Certificates[1].Thumbprint 'the second is the issuing CA'
            Assert-True $endpoint.ChainComplete 'the server sends the full chain'
            Assert-True $endpoint.ChainInOrder 'each certificate is followed by its issuer'
            Assert-True $endpoint.NamesMatch "the certificate covers $siteName"
            Assert-True $endpoint.RedirectsToHttps 'plain HTTP redirects to HTTPS'
            Assert-Contains $endpoint.Protocols 'TLS 1.2' 'the Intermediate profile accepts TLS 1.2'
            Assert-True ($endpoint.DaysRemaining -gt 300) "the certificate is new ($($endpoint.DaysRemaining) days remaining)"
            Assert-Count 0 $endpoint.Problems 'a correctly configured site has no problem'
            $quiet = Assert-NoError { Test-HttpsEndpoint 127.0.0.1 -Port $https -ServerName $siteName -TrustedRootPath $rootPem -Quiet }
            Assert-Equal $true $quiet[0] 'Test-HttpsEndpoint -Quiet is $true for a healthy site'

            $other = Assert-NoError { Test-HttpsEndpoint 127.0.0.1 -Port $https -ServerName 'other.test' -TrustedRootPath $rootPem }
            Assert-False $other[0].NamesMatch 'the certificate does not cover other.test'
            Assert-True (@($other[0].Problems | Where-Object { $_ -match 'other\.test' }).Count -eq 1) "one problem names other.test ($(Format-ScenarioValue $other[0].Problems))"
            $otherQuiet = Assert-NoError { Test-HttpsEndpoint 127.0.0.1 -Port $https -ServerName 'other.test' -TrustedRootPath $rootPem -Quiet }
            Assert-Count 1 $otherQuiet 'Test-HttpsEndpoint -Quiet emits one value'
            Assert-Equal $false $otherQuiet[0] 'Test-HttpsEndpoint -Quiet is $false when the name does not match'

            # The certificate alone (no chain), and a graceful restart: browsers without the issuing CA would refuse it.
            $leafOnly = Assert-NoError { Set-ApacheSsl $siteName -CertificateFile $certificate.CertificatePath -KeyFile $certificate.KeyPath -ConfigPath $conf -Port $https -ListenAddress 127.0.0.1 -Reload }
            Assert-True $leafOnly[0].Changed 'switching to cert.pem alone changes the configuration'
            Assert-Match (Get-ConfigText $instance) ('(?m)^\s*SSLCertificateFile\s+"?' + [regex]::Escape($certificate.CertificatePath) + '"?\s*$') 'SSLCertificateFile names cert.pem'
            $deadline = [DateTime]::UtcNow.AddSeconds(15)
            do {
                [System.Threading.Thread]::Sleep(200)
                $incomplete = @(Test-HttpsEndpoint 127.0.0.1 -Port $https -ServerName $siteName -TrustedRootPath $rootPem -ErrorAction SilentlyContinue)
            } while (($incomplete.Count -eq 0 -or $incomplete[0].Certificates.Count -ne 1) -and [DateTime]::UtcNow -lt $deadline)
            Assert-Count 1 $incomplete 'Test-HttpsEndpoint reaches the reloaded server'
            Assert-Count 1 $incomplete[0].Certificates "after Set-ApacheSsl -Reload the server sends cert.pem alone $(Get-PrivateHttpdLog $instance)"
            Assert-False $incomplete[0].ChainComplete 'a server that sends no intermediate has an incomplete chain'
            Assert-True $incomplete[0].NamesMatch 'the name still matches'
            Assert-True (@($incomplete[0].Problems | Where-Object { $_ -match 'chain|intermediate' }).Count -ge 1) "a problem says the chain is incomplete ($(Format-ScenarioValue $incomplete[0].Problems))"
        }
        finally {
            Stop-PrivateHttpd $instance
        }
    }

    'Idempotent' {
        $sslResult = [System.Collections.Generic.List[object]]::new()
        $first = Assert-NoError {
            $certificate |
                Set-ApacheSsl $siteName -ConfigPath $conf -Port $https -ListenAddress 127.0.0.1 -Hsts |
                ForEach-Object { $sslResult.Add($_); $_ } |
                Enable-HttpsRedirect -ConfigPath $conf -HttpPort $http -ListenAddress 127.0.0.1
        }
        Assert-True $sslResult[0].Changed 'the first Set-ApacheSsl changes the configuration'
        Assert-True $first[0].Changed 'the first Enable-HttpsRedirect changes the configuration'
        Assert-True ($sslResult[0].Backups.Count -ge 1) 'the first run backs up the file it changed'
        foreach ($backup in $sslResult[0].Backups) {
            Assert-FileExists $backup 'each backup named in the result exists'
        }

        $before = Get-DirectorySnapshot $WorkDirectory
        $sslAgain = [System.Collections.Generic.List[object]]::new()
        $second = Assert-NoError {
            $certificate |
                Set-ApacheSsl $siteName -ConfigPath $conf -Port $https -ListenAddress 127.0.0.1 -Hsts |
                ForEach-Object { $sslAgain.Add($_); $_ } |
                Enable-HttpsRedirect -ConfigPath $conf -HttpPort $http -ListenAddress 127.0.0.1
        }
        Assert-Count 1 $sslAgain 'the second Set-ApacheSsl still emits its result'
        Assert-False $sslAgain[0].Changed 'running Set-ApacheSsl again changes nothing'
        Assert-Count 0 $sslAgain[0].FilesChanged 'no file is named as changed'
        Assert-Equal '' $sslAgain[0].Diff 'the second run has no diff'
        Assert-Count 1 $second 'the second Enable-HttpsRedirect still emits its result'
        Assert-False $second[0].Changed 'running Enable-HttpsRedirect again changes nothing'
        Assert-Count 0 $second[0].Backups 'nothing changed, so nothing was backed up'
        Assert-DirectoryUnchanged $before $WorkDirectory 'running twice writes no byte (no backup, no temporary file)'

        # The same through the file parameters, and a third redirect run alone.
        $files = Assert-NoError { Set-ApacheSsl $siteName -CertificateFile $certificate.FullChainPath -KeyFile $certificate.KeyPath -ConfigPath $conf -Port $https -ListenAddress 127.0.0.1 -Hsts }
        Assert-False $files[0].Changed 'the same files given as -CertificateFile/-KeyFile change nothing either'
        $redirect = Assert-NoError { Enable-HttpsRedirect $siteName -ConfigPath $conf -HttpPort $http -HttpsPort $https -ListenAddress 127.0.0.1 }
        Assert-False $redirect[0].Changed 'Enable-HttpsRedirect with the same ports changes nothing'
        Assert-DirectoryUnchanged $before $WorkDirectory 'still not a byte written'
        Assert-ConfigTestPassed $instance 'the configuration stays valid'
    }

    'WhatIf' {
        $before = Get-DirectorySnapshot $WorkDirectory
        $transcript = $null
        if (Get-Command -Name Start-Transcript -ErrorAction SilentlyContinue) {
            # pwsh shows the What if: text on the host only; a transcript is the one place a script can read it back.
            $transcript = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'certcmdlets-whatif-' + [guid]::NewGuid().ToString('N') + '.txt')
            $null = Start-Transcript -LiteralPath $transcript
        }

        try {
            $ssl = Assert-NoError { $certificate | Set-ApacheSsl $siteName -ConfigPath $conf -Port $https -ListenAddress 127.0.0.1 -WhatIf }
            $redirect = Assert-NoError { Enable-HttpsRedirect $siteName -ConfigPath $conf -HttpPort $http -HttpsPort $https -ListenAddress 127.0.0.1 -WhatIf }
        }
        finally {
            if ($transcript) {
                $null = Stop-Transcript
            }
        }

        Assert-Count 0 $ssl 'Set-ApacheSsl -WhatIf emits nothing'
        Assert-Count 0 $redirect 'Enable-HttpsRedirect -WhatIf emits nothing'
        Assert-DirectoryUnchanged $before $WorkDirectory '-WhatIf writes nothing: no configuration change, no backup'
        if ($transcript) {
            $shown = [System.IO.File]::ReadAllText($transcript)
            [System.IO.File]::Delete($transcript)
            Assert-Match $shown ('\+\s*Listen 127\.0\.0\.1:' + $https + ' https') '-WhatIf shows the Listen it would add'
            Assert-Match $shown '\+\s*LoadModule ssl_module ' '-WhatIf shows mod_ssl being loaded'
            Assert-Match $shown ('\+\s*<VirtualHost 127\.0\.0\.1:' + $https + '>') '-WhatIf shows the new VirtualHost'
            Assert-Match $shown '\+\s*SSLEngine on' '-WhatIf shows SSLEngine on'
            Assert-Match $shown '\+\s*RewriteRule \^ https://' '-WhatIf shows the redirect rule'
        }

        # -WhatIf over a configured site, with a change to show (-Hsts): still nothing written.
        $null = Assert-NoError { $certificate | Set-ApacheSsl $siteName -ConfigPath $conf -Port $https -ListenAddress 127.0.0.1 }
        $configured = Get-DirectorySnapshot $WorkDirectory
        $hsts = Assert-NoError { $certificate | Set-ApacheSsl $siteName -ConfigPath $conf -Port $https -ListenAddress 127.0.0.1 -Hsts -WhatIf }
        Assert-Count 0 $hsts 'Set-ApacheSsl -Hsts -WhatIf emits nothing'
        Assert-DirectoryUnchanged $configured $WorkDirectory '-WhatIf on a configured site writes nothing'
    }

    'CertificateNameMismatch' {
        $other = New-ScenarioServerCertificate -Pki $pki -CommonName 'other.example.test' -Folder 'tls-other'
        $before = Get-DirectorySnapshot $WorkDirectory
        $refused = Assert-ErrorId { $other | Set-ApacheSsl $siteName -ConfigPath $conf -Port $https -ListenAddress 127.0.0.1 } 'CertificateNameMismatch' -Category SecurityError -MessagePattern 'other\.example\.test'
        Assert-Match $refused.Errors[0].Exception.Message ([regex]::Escape($siteName)) 'the message names the site'
        Assert-NothingChanged $refused $before 'the certificate does not cover the name'

        # Warnings come back as WarningRecord objects among the output (3>&1).
        $forcedOutput = Assert-NoError { $other | Set-ApacheSsl $siteName -ConfigPath $conf -Port $https -ListenAddress 127.0.0.1 -AllowNameMismatch 3>&1 }
        $forced = @($forcedOutput | Where-Object { $_ -isnot [System.Management.Automation.WarningRecord] })
        $forcedWarnings = @($forcedOutput | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
        Assert-Count 1 $forced '-AllowNameMismatch configures it anyway'
        Assert-True $forced[0].Changed '-AllowNameMismatch changed the configuration'
        Assert-Count 1 $forcedWarnings '-AllowNameMismatch says what it overrode, once'
        Assert-Match "$($forcedWarnings[0])" 'other\.example\.test' 'the warning names the certificate'
        Assert-Match "$($forcedWarnings[0])" '-AllowNameMismatch' 'the warning names the switch that overrode the check'
        Assert-Match (Get-ConfigText $instance) ([regex]::Escape($other.FullChainPath)) 'the forced certificate is configured'
        Assert-ConfigTestPassed $instance 'the forced configuration is valid'
    }

    'CertificateKeyMismatch' {
        $other = New-ScenarioServerCertificate -Pki $pki -CommonName $siteName -Folder 'tls-other'
        $before = Get-DirectorySnapshot $WorkDirectory
        $refused = Assert-ErrorId { Set-ApacheSsl $siteName -CertificateFile $certificate.FullChainPath -KeyFile $other.KeyPath -ConfigPath $conf -Port $https -ListenAddress 127.0.0.1 } 'CertificateKeyMismatch' -Category SecurityError
        Assert-NothingChanged $refused $before 'the key belongs to another certificate'

        # httpd would not start with that pair: no switch configures it (not even the old -Force, which no longer exists).
        $stillRefused = Assert-ErrorId { Set-ApacheSsl $siteName -CertificatePath $certificate.FullChainPath -KeyPath $other.KeyPath -ConfigPath $conf -Port $https -ListenAddress 127.0.0.1 -AllowNameMismatch } 'CertificateKeyMismatch' -Category SecurityError
        Assert-NothingChanged $stillRefused $before 'no override configures a key of another certificate'
    }

    'KeyFileEncrypted' {
        $password = New-ScenarioSecureString 'a key password httpd cannot ask for'
        $encrypted = New-ScenarioServerCertificate -Pki $pki -CommonName $siteName -Folder 'tls-encrypted' -KeyPassword $password
        Assert-Match ([System.IO.File]::ReadAllText($encrypted.KeyPath)) 'ENCRYPTED' 'Export-CertPem -KeyPassword writes an encrypted key'
        $before = Get-DirectorySnapshot $WorkDirectory
        $refused = Assert-ErrorId { $encrypted | Set-ApacheSsl $siteName -ConfigPath $conf -Port $https -ListenAddress 127.0.0.1 } 'KeyFileEncrypted' -MessagePattern 'pass phrase'
        Assert-Equal $encrypted.KeyPath "$($refused.Errors[0].TargetObject)" 'the error targets the key file'
        Assert-NothingChanged $refused $before 'the key is encrypted'
        $files = Assert-ErrorId { Set-ApacheSsl $siteName -CertificateFile $encrypted.FullChainPath -KeyFile $encrypted.KeyPath -ConfigPath $conf -Port $https -ListenAddress 127.0.0.1 -AllowNameMismatch } 'KeyFileEncrypted'
        Assert-NothingChanged $files $before 'the key is encrypted, even with an unrelated override (httpd could not start)'
    }

    'ConfigTestFailed' {
        # The stock SSL settings of many httpd.conf files: inert while mod_ssl is not loaded, fatal once it is
        # without mod_socache_shmcb ("SSLSessionCache: 'shmcb' session cache not supported").
        [System.IO.File]::AppendAllText($conf, "`n<IfModule ssl_module>`n`tSSLSessionCache `"shmcb:logs/ssl_scache(512000)`"`n</IfModule>`n")
        Assert-ConfigTestPassed $instance 'the SSL block is inert before mod_ssl is loaded'
        $before = Get-DirectorySnapshot $WorkDirectory
        $failed = Assert-ErrorId { $certificate | Set-ApacheSsl $siteName -ConfigPath $conf -Port $https -ListenAddress 127.0.0.1 } 'ApacheConfigTestFailed' -Category InvalidOperation -MessagePattern 'SSLSessionCache'
        Assert-Match $failed.Errors[0].Exception.Message 'restored' 'the message says every file was restored'
        Assert-Equal $conf "$($failed.Errors[0].TargetObject)" 'the error targets the main configuration file'
        Assert-NothingChanged $failed $before 'httpd''s configuration test fails after the change'
        Assert-ConfigTestPassed $instance 'the restored configuration is valid again'
    }

    'ConfigTestFailedBefore' {
        [System.IO.File]::AppendAllText($conf, "`nThisIsNotAnApacheDirective on`n")
        $before = Get-DirectorySnapshot $WorkDirectory
        $refused = Assert-ErrorId { $certificate | Set-ApacheSsl $siteName -ConfigPath $conf -Port $https -ListenAddress 127.0.0.1 } 'ApacheConfigTestFailedBefore' -Category InvalidOperation -MessagePattern 'ThisIsNotAnApacheDirective'
        Assert-NothingChanged $refused $before 'httpd already rejects the configuration'
        $redirect = Assert-ErrorId { Enable-HttpsRedirect $siteName -ConfigPath $conf -HttpPort $http -HttpsPort $https -ListenAddress 127.0.0.1 } 'ApacheConfigTestFailedBefore'
        Assert-NothingChanged $redirect $before 'Enable-HttpsRedirect is refused the same way'
    }

    'ConfigInvalid' {
        $lines = [System.Collections.Generic.List[string]]::new([string[]] ((Get-ConfigText $instance) -split "`n"))
        $open = $lines.FindIndex([System.Predicate[string]] { param($line) $line.StartsWith('<VirtualHost') })
        $close = $lines.FindIndex([System.Predicate[string]] { param($line) $line.StartsWith('</VirtualHost>') })
        $lines.RemoveAt($close)
        [System.IO.File]::WriteAllText($conf, ($lines -join "`n"))
        $before = Get-DirectorySnapshot $WorkDirectory
        $refused = Assert-ErrorId { $certificate | Set-ApacheSsl $siteName -ConfigPath $conf -Port $https -ListenAddress 127.0.0.1 } 'ApacheConfigInvalid' -Category InvalidData
        $message = $refused.Errors[0].Exception.Message
        Assert-Match $message ([regex]::Escape($conf)) 'the message names the file'
        Assert-Match $message "line $($open + 1)\b" 'the message names the line of the unclosed <VirtualHost>'
        Assert-Match $message 'VirtualHost' 'the message names the section'
        Assert-NothingChanged $refused $before 'the configuration cannot be read'
        $redirect = Assert-ErrorId { Enable-HttpsRedirect $siteName -ConfigPath $conf -HttpPort $http -HttpsPort $https } 'ApacheConfigInvalid'
        Assert-NothingChanged $redirect $before 'Enable-HttpsRedirect is refused the same way'
    }
}
