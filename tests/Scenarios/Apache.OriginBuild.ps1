<#
.SYNOPSIS
    The origin document's own httpd: a private build with mod_ssl, mod_rewrite and mod_alias built in, no LoadModule
    line anywhere, an SSL VirtualHost without ServerName and an HTTP host that already redirects with Redirect "/".
    One -Case per invocation.

.DESCRIPTION
    Debian's apache2 stands in for the private build: <prefix>/bin/httpd is a wrapper that runs /usr/sbin/apache2 with
    -C "LoadModule ..." arguments (the MPM, authz_core, mime, alias, rewrite, ssl), so httpd lists those modules in
    -M while no configuration file loads them, and there is no <prefix>/modules folder at all (no socache module).
    <prefix>/conf/httpd.conf has the document's shape: the global ServerName localhost, plain HTTP on one free port
    of 127.0.0.1 whose VirtualHost holds Redirect "/" "https://localhost:<https port>/", and the SSL VirtualHost
    on another with "SSLEngine On", the two certificate lines and <Directory /> denying *.log, *.ini, *.pid... by
    <FilesMatch>. The instance is started with the old certificate (the module's internal PKI, for localhost).

    ReplaceInPlace  A renewed certificate piped to Set-ApacheSsl localhost -Reload: no ApacheModuleMissing, no
                    LoadModule line added, the one SSL VirtualHost changed in place ("SSLEngine On" kept as written,
                    no second host), a warning that SSL session caching needs mod_socache_shmcb; the new certificate
                    is served for SNI localhost, for another name and for no SNI at all; app.log stays 403 over
                    HTTPS while the page is 200; a second run changes nothing.
    RedirectKept    Enable-HttpsRedirect localhost -Reload recognises the existing Redirect "/": the HTTP host stays
                    one host, the redirect keeps path and query, the ACME challenge path is served over HTTP; a
                    second run changes nothing.
    RenewInPlace    New files written over the live paths, then Set-ApacheSsl -Reload: no line changes, yet httpd
                    reloads (Reloaded), the probe sees the new certificate (Verified), and openssl does too.
    RollBack        An httpd whose graceful reload silently does nothing (the wrapper ignores -k graceful): the new
                    certificate is configured, the probe still sees the old one, so ActivationFailed, every file is
                    byte-identical to before, and the old certificate is served.
    Undo            Set-ApacheSsl -Reload, then its result piped to Undo-ApacheChange -Reload: the configuration is
                    byte-identical to before, the old certificate is served again; a second undo is refused.
    NotRunning      httpd stopped: Set-ApacheSsl -Reload is ApacheNotRunning and changes nothing (a reload would
                    start it); without -Reload the change is made.
    FullChain       A leaf-only file given by path warns ChainIncomplete naming the issuer; Import-CertFile |
                    Join-CertChain | Set-ApacheSsl writes <name>.fullchain.pem beside the certificate and httpd
                    sends the intermediate.
    PipeToTest      Set-ApacheSsl -Reload | Test-HttpsEndpoint -TrustedRootPath: healthy; the old certificate piped to
                    Test-HttpsEndpoint is not (another certificate is served); without the private root the
                    problem says to give -TrustedRootPath.
    ScheduledRenewal examples/scheduled/Renew-ApacheCertificates.ps1 run twice: the first run renews the served
                    certificate that is due (10 days left) with the internal CA and the served thumbprint changes; the
                    second run finds nothing due, exits 0 and changes nothing.

.PARAMETER WorkDirectory
    An empty (or new) directory the scenario may fill.

.PARAMETER Case
    What to check (see the description).

.PARAMETER RequireApache
    Throw when Debian's apache2, openssl or curl is missing instead of returning the skipped marker (implied by
    CI=true, except on Windows).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)][string] $WorkDirectory,
    [Parameter(Mandatory)][ValidateSet('ReplaceInPlace', 'RedirectKept', 'RenewInPlace', 'RollBack', 'Undo', 'NotRunning', 'FullChain', 'PipeToTest', 'ScheduledRenewal')][string] $Case,
    [switch] $RequireApache
)

$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'Assert.ps1')

$apache2 = '/usr/sbin/apache2'
$modules = '/usr/lib/apache2/modules'

if ($IsWindows) {
    return New-ScenarioSkipped -Reason "Debian's apache2 does not exist on Windows; the Apache scenarios run on Linux."
}

$missing = @(@($apache2, "$modules/mod_ssl.so") | Where-Object { -not (Test-Path -LiteralPath $_ -PathType Leaf) }) +
    @(@('openssl', 'curl') | Where-Object { -not (Get-Command -Name $_ -CommandType Application -ErrorAction SilentlyContinue) })
if ($missing) {
    if ($RequireApache -or $env:CI -eq 'true') {
        throw "This scenario needs Debian's apache2, openssl and curl (CI=true or -RequireApache); missing: $($missing -join ', '). apt-get install apache2 openssl curl."
    }

    return New-ScenarioSkipped -Reason "Missing peers: $($missing -join ', ') (under CI=true this scenario fails instead)."
}

$work = Initialize-ScenarioDirectory $WorkDirectory

# ---------------------------------------------------------------------------------------------------------------
# The private build and its certificates
# ---------------------------------------------------------------------------------------------------------------

function New-OriginBuild {
    # <prefix>/bin/httpd (the wrapper), conf/httpd.conf in the document's shape, htdocs with a page, a .log file and
    # an ACME token. Returns @{ Prefix; Config; Httpd; HttpPort; HttpsPort }.
    param([Parameter(Mandatory)] $Certificate, [switch] $IgnoreGraceful)

    $ports = Get-FreeTcpPorts -Count 2
    $prefix = (New-Item -ItemType Directory -Path $work -Name 'apache').FullName
    foreach ($folder in 'bin', 'conf', 'logs', 'htdocs') {
        $null = New-Item -ItemType Directory -Path $prefix -Name $folder
    }

    $htdocs = Join-Path $prefix 'htdocs'
    $acme = New-Item -ItemType Directory -Path (Join-Path $htdocs '.well-known' 'acme-challenge') -Force
    Set-Content -LiteralPath (Join-Path $htdocs 'index.html') -Value "origin page`n" -NoNewline
    Set-Content -LiteralPath (Join-Path $htdocs 'app.log') -Value "secret log line`n" -NoNewline
    Set-Content -LiteralPath (Join-Path $acme 'token-1') -Value "acme-token-1`n" -NoNewline
    Set-Content -LiteralPath (Join-Path $prefix 'conf' 'mime.types') -Value "text/html html`n" -NoNewline

    $loads = foreach ($module in 'mpm_worker', 'authz_core', 'mime', 'alias', 'rewrite', 'ssl') {
        "-C 'LoadModule ${module}_module $modules/mod_$module.so'"
    }
    $httpd = Join-Path $prefix 'bin' 'httpd'
    # -IgnoreGraceful: an httpd whose graceful reload reports success but does nothing (a hung or wrong instance).
    $ignore = if ($IgnoreGraceful) { "case `" `$* `" in *' graceful '*) exit 0;; esac`n" } else { '' }
    Set-Content -LiteralPath $httpd -Value "#!/bin/sh`n${ignore}exec $apache2 $($loads -join ' ') `"`$@`"`n" -NoNewline

    $user = if ([System.Environment]::UserName -eq 'root') { "User www-data`nGroup www-data`n" } else { '' }
    $config = Join-Path $prefix 'conf' 'httpd.conf'
    Set-Content -LiteralPath $config -NoNewline -Value (@"
ServerRoot "$prefix"
Listen 127.0.0.1:$($ports[0])
Listen 127.0.0.1:$($ports[1])
${user}ServerName localhost
PidFile logs/httpd.pid
ErrorLog logs/error.log
LogLevel warn
TypesConfig conf/mime.types
DocumentRoot "$htdocs"

<Directory "$htdocs">
    Require all granted
</Directory>

<VirtualHost *:$($ports[0])>
    DocumentRoot "$htdocs"
    Redirect "/" "https://localhost:$($ports[1])/"
</VirtualHost>

<VirtualHost *:$($ports[1])>
    DocumentRoot "$htdocs"
    SSLEngine On
    SSLCertificateFile "$($Certificate.FullChainPath)"
    SSLCertificateKeyFile "$($Certificate.KeyPath)"
    <Directory />
        <FilesMatch "\.(log|ini|pid|exe|so)$">
            Require all denied
        </FilesMatch>
    </Directory>
</VirtualHost>
"@.Replace("`r`n", "`n"))
    Set-ScenarioReadable -Path $prefix
    (Get-Item -LiteralPath $httpd).UnixFileMode = 'UserRead, UserWrite, UserExecute, GroupRead, GroupExecute, OtherRead, OtherExecute'

    $instance = [pscustomobject] @{ Prefix = $prefix; Config = $config; Httpd = $httpd; HttpPort = $ports[0]; HttpsPort = $ports[1] }
    $modulesShown = Invoke-ScenarioNative -FilePath $httpd -ArgumentList @('-d', $prefix, '-f', $config, '-M')
    $modulesShown.Output | Should -Match 'ssl_module' -Because "the wrapper's httpd has mod_ssl without a LoadModule line ($($modulesShown.Output))"
    Select-String -LiteralPath $config -Pattern 'LoadModule' | Should -BeNullOrEmpty -Because 'no configuration file loads a module, as in the document'
    return $instance
}

function Start-OriginBuild {
    param([Parameter(Mandatory)] $Instance)

    Start-ScenarioHttpd -Program $Instance.Httpd -ServerRoot $Instance.Prefix -Config $Instance.Config -Ports $Instance.HttpsPort, $Instance.HttpPort
}

function Stop-OriginBuild {
    param([Parameter(Mandatory)] $Instance)

    Stop-ScenarioHttpd -Program $Instance.Httpd -ServerRoot $Instance.Prefix -Config $Instance.Config
}

function Get-OriginLog {
    param([Parameter(Mandatory)] $Instance)

    Get-ScenarioHttpdLog -ServerRoot $Instance.Prefix
}

function Get-ServedThumbprint {
    # The thumbprint of the leaf httpd sends for -ServerName (none: no SNI at all), as openssl sees it.
    param([Parameter(Mandatory)] $Instance, [string] $ServerName)

    $sni = if ($ServerName) { "-servername '$ServerName'" } else { '-noservername' }
    $probe = Invoke-ScenarioNative -FilePath '/bin/sh' -ArgumentList @('-c', "openssl s_client -connect 127.0.0.1:$($Instance.HttpsPort) $sni </dev/null 2>/dev/null | openssl x509 -noout -fingerprint -sha1")
    return (($probe.Output -replace '^.*Fingerprint=', '') -replace ':', '').Trim().ToUpperInvariant()
}

function Wait-ServedThumbprint {
    # A graceful reload finishes in the background: polls (bounded) until the expected leaf is served.
    param([Parameter(Mandatory)] $Instance, [Parameter(Mandatory)][string] $Expected)

    $deadline = [DateTime]::UtcNow.AddSeconds(15)
    do {
        $served = Get-ServedThumbprint -Instance $Instance -ServerName 'localhost'
        if ($served -eq $Expected) {
            return $served
        }

        Start-Sleep -Milliseconds 200
    } while ([DateTime]::UtcNow -lt $deadline)

    return $served
}

function Get-HttpsStatus {
    param([Parameter(Mandatory)] $Instance, [Parameter(Mandatory)][string] $Path)

    $result = Invoke-ScenarioNative -FilePath 'curl' -ArgumentList @('-sk', '-o', '/dev/null', '-w', '%{http_code}', "https://127.0.0.1:$($Instance.HttpsPort)$Path")
    return $result.Output
}

# ---------------------------------------------------------------------------------------------------------------
# The scenario
# ---------------------------------------------------------------------------------------------------------------

$ca = (New-Item -ItemType Directory -Path $work -Name 'ca').FullName
$root = New-CertAuthority 'Origin Test Root' -Name 'root' -KeyAlgorithm ECDSA -OutputDirectory $ca
$issuing = New-CertAuthority 'Origin Test Issuing CA' -Issuer $root -KeyAlgorithm ECDSA
$old = New-CertRequest localhost -KeyAlgorithm ECDSA | Approve-CertRequest -Authority $issuing | Export-CertPem -OutputDirectory (Join-Path $work 'old')
$instance = New-OriginBuild -Certificate $old -IgnoreGraceful:($Case -eq 'RollBack')
Start-OriginBuild -Instance $instance
try {
    Get-ServedThumbprint -Instance $instance -ServerName 'localhost' | Should -BeExactly $old.Thumbprint -Because 'the instance starts with the old certificate'

    if ($Case -eq 'ReplaceInPlace') {
        $new = New-CertRequest localhost -KeyAlgorithm ECDSA | Approve-CertRequest -Authority $issuing | Export-CertPem -OutputDirectory (Join-Path $work 'new')
        $warnings = $null
        $result = $new | Set-ApacheSsl localhost -ConfigPath $instance.Config -Port $instance.HttpsPort -Reload -WarningVariable warnings -WarningAction SilentlyContinue
        $result.Changed | Should -BeTrue -Because 'the certificate lines of the existing host change'
        @($warnings) -join "`n" | Should -Match 'socache_shmcb' -Because 'without a socache module the session cache is left out with a warning that names the module'

        $text = Get-Content -LiteralPath $instance.Config -Raw
        Select-String -LiteralPath $instance.Config -Pattern 'LoadModule' | Should -BeNullOrEmpty -Because 'mod_ssl is built in: no LoadModule line is added (httpd would refuse "built-in and can''t be loaded")'
        ([regex]::Matches($text, "<VirtualHost \*:$($instance.HttpsPort)>")).Count | Should -BeExactly 1 -Because "the document's host is changed in place, not appended to ($text)"
        $text | Should -MatchExactly '(?m)^\s+SSLEngine On$' -Because 'a value that already means what is asked keeps its spelling'
        $text | Should -Match ([regex]::Escape($new.KeyPath)) -Because 'the host names the new key'
        $text | Should -Not -Match ([regex]::Escape($old.KeyPath)) -Because 'the old key is no longer configured'
        $text | Should -Match '<FilesMatch' -Because 'the access rules of the host stay'
        $test = Invoke-ScenarioNative -FilePath $instance.Httpd -ArgumentList @('-t', '-f', $instance.Config)
        $test.ExitCode | Should -BeExactly 0 -Because "the changed configuration passes httpd -t, also without -d ($($test.Output))"

        Wait-ServedThumbprint -Instance $instance -Expected $new.Thumbprint | Should -BeExactly $new.Thumbprint -Because "the reload serves the new certificate $(Get-OriginLog $instance)"
        Get-ServedThumbprint -Instance $instance -ServerName 'www.other.test' | Should -BeExactly $new.Thumbprint -Because 'another SNI name gets the same host (it is the default of its address)'
        Get-ServedThumbprint -Instance $instance | Should -BeExactly $new.Thumbprint -Because 'a client without SNI gets the new certificate too'
        Get-HttpsStatus -Instance $instance -Path '/app.log' | Should -BeExactly '403' -Because 'the FilesMatch rules of the host still deny *.log over HTTPS'
        Get-HttpsStatus -Instance $instance -Path '/index.html' | Should -BeExactly '200' -Because 'the page is served over HTTPS'

        $bytes = Get-Content -LiteralPath $instance.Config -Raw
        $again = $new | Set-ApacheSsl localhost -ConfigPath $instance.Config -Port $instance.HttpsPort -WarningAction SilentlyContinue
        $again.Changed | Should -BeFalse -Because 'a second run finds everything in place'
        Get-Content -LiteralPath $instance.Config -Raw | Should -BeExactly $bytes -Because 'a second run writes nothing'
    }
    elseif ($Case -eq 'RenewInPlace') {
        # The site as the module left it last time (profile lines and all): the renewal changes no line.
        $null = $old | Set-ApacheSsl localhost -ConfigPath $instance.Config -Port $instance.HttpsPort -Reload -WarningAction SilentlyContinue
        $before = Get-Content -LiteralPath $instance.Config -Raw
        $renewed = New-CertRequest localhost -KeyAlgorithm ECDSA | Approve-CertRequest -Authority $issuing | Export-CertPem -OutputDirectory (Join-Path $work 'old') -Force
        $renewed.FullChainPath | Should -BeExactly $old.FullChainPath -Because 'the renewal is written over the live files'
        $result = $renewed | Set-ApacheSsl localhost -ConfigPath $instance.Config -Port $instance.HttpsPort -Reload -WarningAction SilentlyContinue
        $result.Changed | Should -BeFalse -Because 'no configuration line changes'
        $result.Reloaded | Should -BeTrue -Because '-Reload means reload, also when no line changed'
        $result.Verified | Should -BeTrue -Because 'the probe saw the renewed certificate'
        $result.Thumbprint | Should -BeExactly $renewed.Thumbprint
        Get-Content -LiteralPath $instance.Config -Raw | Should -BeExactly $before -Because 'nothing in the configuration changed'
        Get-ServedThumbprint -Instance $instance -ServerName 'localhost' | Should -BeExactly $renewed.Thumbprint -Because 'openssl sees the renewed certificate too'
    }
    elseif ($Case -eq 'RollBack') {
        $before = (Get-DirectorySnapshot $instance.Prefix).Where({ $_ -notmatch '^(\.certcmdlets-backup|logs)' })
        $new = New-CertRequest localhost -KeyAlgorithm ECDSA | Approve-CertRequest -Authority $issuing | Export-CertPem -OutputDirectory (Join-Path $work 'new')
        $run = Invoke-ScenarioCommand { $new | Set-ApacheSsl localhost -ConfigPath $instance.Config -Port $instance.HttpsPort -Reload -VerifyTimeoutSeconds 3 -WarningAction SilentlyContinue }
        $run.Output | Should -HaveCount 0 -Because 'a failed activation emits no result'
        $run.Errors | Should -HaveCount 1
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'ActivationFailed,*'
        $run.Errors[0].CategoryInfo.Category | Should -Be 'InvalidResult'
        $run.Errors[0].Exception.Message | Should -Match $old.Thumbprint -Because 'the message says what was served instead'
        $run.Errors[0].Exception.Message | Should -Match 'restored'
        $after = (Get-DirectorySnapshot $instance.Prefix).Where({ $_ -notmatch '^(\.certcmdlets-backup|logs)' })
        $after | Should -Not -BeNullOrEmpty
        Compare-Object @($before) @($after) -CaseSensitive | Should -BeNullOrEmpty -Because 'every configuration file is byte-identical to before'
        Get-ServedThumbprint -Instance $instance -ServerName 'localhost' | Should -BeExactly $old.Thumbprint -Because 'the old certificate is still served'
    }
    elseif ($Case -eq 'Undo') {
        $before = Get-Content -LiteralPath $instance.Config -Raw
        $new = New-CertRequest localhost -KeyAlgorithm ECDSA | Approve-CertRequest -Authority $issuing | Export-CertPem -OutputDirectory (Join-Path $work 'new')
        $result = $new | Set-ApacheSsl localhost -ConfigPath $instance.Config -Port $instance.HttpsPort -Reload -WarningAction SilentlyContinue
        $result.Verified | Should -BeTrue
        Get-ServedThumbprint -Instance $instance -ServerName 'localhost' | Should -BeExactly $new.Thumbprint
        $undone = $result | Undo-ApacheChange -Reload
        $undone.Changed | Should -BeTrue
        $undone.Reloaded | Should -BeTrue
        Get-Content -LiteralPath $instance.Config -Raw | Should -BeExactly $before -Because 'the configuration is as before the change'
        Wait-ServedThumbprint -Instance $instance -Expected $old.Thumbprint | Should -BeExactly $old.Thumbprint -Because 'the previous certificate is served again'
        $again = Invoke-ScenarioCommand { $result | Undo-ApacheChange }
        $again.Errors | Should -HaveCount 1
        $again.Errors[0].FullyQualifiedErrorId | Should -BeLike 'ApacheUndoUnavailable,*'
        $again.Errors[0].Exception.Message | Should -Match 'already undone'
    }
    elseif ($Case -eq 'NotRunning') {
        Stop-OriginBuild -Instance $instance
        $before = Get-DirectorySnapshot $instance.Prefix
        $new = New-CertRequest localhost -KeyAlgorithm ECDSA | Approve-CertRequest -Authority $issuing | Export-CertPem -OutputDirectory (Join-Path $work 'new')
        $run = Invoke-ScenarioCommand { $new | Set-ApacheSsl localhost -ConfigPath $instance.Config -Port $instance.HttpsPort -Reload -WarningAction SilentlyContinue }
        $run.Errors | Should -HaveCount 1
        $run.Errors[0].FullyQualifiedErrorId | Should -BeLike 'ApacheNotRunning,*'
        $run.Errors[0].Exception.Message | Should -Match 'leave out -Reload'
        Compare-Object $before (Get-DirectorySnapshot $instance.Prefix) -CaseSensitive | Should -BeNullOrEmpty -Because 'nothing changed'
        (Test-Path -LiteralPath (Join-Path $instance.Prefix 'logs' 'httpd.pid')) | Should -BeFalse -Because 'httpd was not started'
        $changed = $new | Set-ApacheSsl localhost -ConfigPath $instance.Config -Port $instance.HttpsPort -WarningAction SilentlyContinue
        $changed.Changed | Should -BeTrue
        $changed.Reloaded | Should -BeFalse
        $changed.Verified | Should -BeNullOrEmpty
    }
    elseif ($Case -eq 'FullChain') {
        $new = New-CertRequest localhost -KeyAlgorithm ECDSA | Approve-CertRequest -Authority $issuing | Export-CertPem -OutputDirectory (Join-Path $work 'new')
        $warnings = $null
        $leafOnly = Set-ApacheSsl localhost -CertificatePath $new.CertificatePath -KeyPath $new.KeyPath -ConfigPath $instance.Config -Port $instance.HttpsPort -WarningVariable warnings -WarningAction SilentlyContinue
        $leafOnly.Changed | Should -BeTrue
        @($warnings) -join "`n" | Should -Match 'ChainIncomplete' -Because 'a leaf-only file whose issuer is not a root warns'
        @($warnings) -join "`n" | Should -Match 'Origin Test Issuing CA' -Because 'the warning names the missing issuer'

        $joined = Import-CertFile $new.CertificatePath -KeyPath $new.KeyPath | Join-CertChain -IntermediatePath (Join-Path $work 'new' 'chain.pem') -WarningAction SilentlyContinue
        $joined.FullChainPath | Should -BeNullOrEmpty -Because 'the chain is only in memory'
        $result = $joined | Set-ApacheSsl localhost -ConfigPath $instance.Config -Port $instance.HttpsPort -Reload -WarningAction SilentlyContinue
        $fullChain = Join-Path $work 'new' 'cert.fullchain.pem'
        Test-Path -LiteralPath $fullChain -PathType Leaf | Should -BeTrue -Because 'the full chain is written beside the certificate'
        Get-Content -LiteralPath $instance.Config -Raw | Should -Match ([regex]::Escape("SSLCertificateFile $fullChain"))
        $result.Verified | Should -BeTrue
        $sent = Invoke-ScenarioNative -FilePath 'openssl' -ArgumentList @('s_client', '-connect', "127.0.0.1:$($instance.HttpsPort)", '-servername', 'localhost', '-showcerts') -NoInput
        ([regex]::Matches($sent.Output, 'BEGIN CERTIFICATE')).Count | Should -BeGreaterOrEqual 2 -Because 'httpd sends the intermediate too'
    }
    elseif ($Case -eq 'PipeToTest') {
        $new = New-CertRequest localhost -KeyAlgorithm ECDSA | Approve-CertRequest -Authority $issuing | Export-CertPem -OutputDirectory (Join-Path $work 'new')
        $health = $new | Set-ApacheSsl localhost -ConfigPath $instance.Config -Port $instance.HttpsPort -Reload -WarningAction SilentlyContinue | Test-HttpsEndpoint -TrustedRootPath $root.CertificatePath
        $health.HostName | Should -BeExactly '127.0.0.1' -Because 'the result binds where this machine reaches the site'
        $health.ServerName | Should -BeExactly 'localhost'
        $health.Port | Should -Be $instance.HttpsPort
        $health.Problems | Where-Object { $_ -notmatch 'expires in' } | Should -BeNullOrEmpty -Because 'the configured certificate is served with its chain'
        $stale = $old | Test-HttpsEndpoint -HostName 127.0.0.1 -Port $instance.HttpsPort -ServerName localhost -TrustedRootPath $root.CertificatePath
        $stale.IsHealthy | Should -BeFalse -Because 'another certificate than the piped one is served'
        ($stale.Problems -join "`n") | Should -Match ([regex]::Escape($old.Thumbprint))
        $private = Test-HttpsEndpoint -HostName 127.0.0.1 -Port $instance.HttpsPort -ServerName localhost
        ($private.Problems -join "`n") | Should -Match 'TrustedRootPath' -Because 'only the private root is unknown here'
        ($private.Problems -join "`n") | Should -Not -Match 'put the full chain' -Because 'the server does send its intermediates'
    }
    elseif ($Case -eq 'ScheduledRenewal') {
        $renewalCa = New-CertAuthority 'Origin Renewal CA' -Issuer $root -KeyAlgorithm ECDSA -Name 'issuing' -OutputDirectory (Join-Path $work 'renewal-ca')
        $sites = (New-Item -ItemType Directory -Path $work -Name 'sites').FullName
        $due = New-CertRequest localhost -KeyAlgorithm ECDSA | Approve-CertRequest -Authority $renewalCa -ValidDays 10 | Export-CertPem -OutputDirectory (Join-Path $sites 'localhost' 'initial')
        $due.RenewRecommended | Should -BeTrue -Because 'a certificate with 10 days left is due'
        $null = $due | Set-ApacheSsl localhost -ConfigPath $instance.Config -Port $instance.HttpsPort -Reload -WarningAction SilentlyContinue
        Get-ServedThumbprint -Instance $instance -ServerName 'localhost' | Should -BeExactly $due.Thumbprint

        $script = Join-Path $PSScriptRoot '..' '..' 'examples' 'scheduled' 'Renew-ApacheCertificates.ps1'
        $arguments = @{ CertificateDirectory = $sites; ConfigPath = $instance.Config; AuthorityCertificate = $renewalCa.CertificatePath; AuthorityKey = $renewalCa.KeyPath; Port = $instance.HttpsPort }
        $first = @(& $script @arguments)
        $LASTEXITCODE | Should -Be 0 -Because "the renewal went live ($first)"
        $served = Get-ServedThumbprint -Instance $instance -ServerName 'localhost'
        $served | Should -Not -BeExactly $due.Thumbprint -Because 'the renewed certificate is served'
        $first | Should -HaveCount 1
        $first[0] | Should -Match "^Renewed localhost: $served is served until "
        $config = Get-Content -LiteralPath $instance.Config -Raw

        $second = @(& $script @arguments)
        $LASTEXITCODE | Should -Be 0 -Because "nothing was due ($second)"
        $second | Should -BeExactly @('Nothing is due.')
        Get-Content -LiteralPath $instance.Config -Raw | Should -BeExactly $config -Because 'the second run changes nothing'
        Get-ServedThumbprint -Instance $instance -ServerName 'localhost' | Should -BeExactly $served
    }
    else {
        $result = Enable-HttpsRedirect localhost -ConfigPath $instance.Config -HttpPort $instance.HttpPort -HttpsPort $instance.HttpsPort -Reload
        $result.Changed | Should -BeTrue -Because 'the existing Redirect "/" is rewritten so that the ACME path stays on HTTP'
        $text = Get-Content -LiteralPath $instance.Config -Raw
        ([regex]::Matches($text, "<VirtualHost \*:$($instance.HttpPort)>")).Count | Should -BeExactly 1 -Because "the HTTP host is changed in place ($text)"
        $text | Should -Not -Match '(?m)^\s*Redirect\s+"/"' -Because "the site-wide Redirect that also caught the ACME path is replaced ($text)"
        Select-String -LiteralPath $instance.Config -Pattern 'LoadModule' | Should -BeNullOrEmpty -Because 'mod_rewrite and mod_alias are built in'

        $deadline = [DateTime]::UtcNow.AddSeconds(15)
        do {
            $challenge = Invoke-ScenarioHttpGet -Port $instance.HttpPort -HostHeader 'localhost' -Path '/.well-known/acme-challenge/token-1'
            if ($challenge.Status -eq 200) { break }
            Start-Sleep -Milliseconds 200
        } while ([DateTime]::UtcNow -lt $deadline)
        $challenge.Status | Should -BeExactly 200 -Because "the ACME challenge path is served over HTTP after the reload $(Get-OriginLog $instance)"
        $challenge.Body | Should -BeExactly "acme-token-1`n"

        $page = Invoke-ScenarioHttpGet -Port $instance.HttpPort -HostHeader 'localhost' -Path '/index.html?q=1'
        $page.Status | Should -BeIn @(301, 302, 307, 308) -Because 'everything else still redirects'
        $page.Headers['Location'] | Should -Match "^https://[^/]+:$($instance.HttpsPort)/index\.html\?q=1$" -Because 'the redirect keeps the HTTPS port, the path and the query'

        $bytes = Get-Content -LiteralPath $instance.Config -Raw
        $again = Enable-HttpsRedirect localhost -ConfigPath $instance.Config -HttpPort $instance.HttpPort -HttpsPort $instance.HttpsPort
        $again.Changed | Should -BeFalse -Because 'a second run recognises its own redirect'
        Get-Content -LiteralPath $instance.Config -Raw | Should -BeExactly $bytes -Because 'a second run writes nothing'
    }
}
finally {
    Stop-OriginBuild -Instance $instance
}
