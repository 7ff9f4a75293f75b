<#
.SYNOPSIS
    A certificate from an ACME CA (as Let's Encrypt issues them), installed in Apache httpd and renewed on schedule,
    all in one pipeline: New-CertRequest | Request-AcmeCertificate | Export-CertPem | Set-ApacheSsl -Reload.

.DESCRIPTION
    Runs against pebble, Let's Encrypt's test CA (Debian package 'pebble'), which it starts on 127.0.0.1 for the
    length of the example: with a real CA, replace $directory by LetsEncryptStaging to try, then LetsEncrypt, and drop
    -TrustedRootPath. The ACME account and everything else stay in the sandbox folder (-StateDirectory); without it
    accounts go to the per-user folder (~/.local/share/CertCmdlets/acme on Linux). Without pebble the example says it
    is skipped; without Debian's apache2 it gets the certificate through its own listener and skips the httpd part.

    The scheduled renewal (step 4) is what a timer runs each day. Exit code 0 when nothing was due or all went well.
      systemd:   a .service with ExecStart=/usr/bin/pwsh -NoProfile -File /etc/ssl/renew.ps1 and a .timer with
                 OnCalendar=daily, RandomizedDelaySec=1h
      cron:      17 3 * * * root /usr/bin/pwsh -NoProfile -File /etc/ssl/renew.ps1 >> /var/log/acme-renew.log 2>&1
      Windows:   Register-ScheduledTask -TaskName 'ACME renewal' -User SYSTEM -Trigger (New-ScheduledTaskTrigger -Daily -At 3:17am) `
                     -Action (New-ScheduledTaskAction -Execute pwsh.exe -Argument '-NoProfile -File C:\ssl\renew.ps1')
#>
[CmdletBinding()]
param(
    [string] $Sandbox = [System.IO.Path]::Combine($PSScriptRoot, '..', 'sandbox', [DateTime]::Now.ToString('yyyyMMdd-HHmmss'), 'acme'),
    # Renew in step 4 even though the fresh certificate is not due, to show it; a scheduled script leaves this out.
    [bool] $RenewNow = $true
)

$ErrorActionPreference = 'Stop'
Import-Module ([System.IO.Path]::Combine($PSScriptRoot, '..', 'CertCmdlets.psd1'))
if (-not [System.IO.File]::Exists('/usr/bin/pebble') -or -not [System.IO.File]::Exists('/usr/bin/pebble-challtestsrv')) {
    'pebble (Debian package pebble) is not installed: this example is skipped.'
    return
}

$Sandbox = [System.IO.Path]::GetFullPath($Sandbox)
$null = [System.IO.Directory]::CreateDirectory($Sandbox)
"Sandbox: $Sandbox"
$httpd = '/usr/sbin/apache2'
$withApache = [System.IO.File]::Exists($httpd)

# --- The test CA (with a real CA none of this exists) -------------------------------------------------------------
$ports = @(1..6 | ForEach-Object { $l = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0); $l.Start(); $l })
$acmePort, $managementPort, $httpPort, $httpsPort, $dnsPort, $challengePort = $ports | ForEach-Object { $_.LocalEndpoint.Port }
$ports | ForEach-Object { $_.Stop() }
$listener = New-CertRequest 'pebble listener' -IpAddress 127.0.0.1 -KeyAlgorithm ECDSA -SelfSign -ValidDays 2 |
    Export-CertPem -OutputDirectory ([System.IO.Path]::Combine($Sandbox, 'pebble'))
$pebbleConfig = [System.IO.Path]::Combine($Sandbox, 'pebble', 'pebble.json')
[System.IO.File]::WriteAllText($pebbleConfig, "{`"pebble`":{`"listenAddress`":`"127.0.0.1:$acmePort`",`"managementListenAddress`":`"127.0.0.1:$managementPort`",`"certificate`":`"$($listener.CertificatePath)`",`"privateKey`":`"$($listener.KeyPath)`",`"httpPort`":$httpPort,`"tlsPort`":$httpsPort,`"externalAccountBindingRequired`":false}}")
$processes = @(
    @('/usr/bin/pebble-challtestsrv', '-management', "127.0.0.1:$challengePort", '-dns01', "127.0.0.1:$dnsPort", '-http01', '', '-https01', '', '-tlsalpn01', '', '-defaultIPv6', ''),
    @('/usr/bin/pebble', '-config', $pebbleConfig, '-dnsserver', "127.0.0.1:$dnsPort", '-strict=false')
) | ForEach-Object {
    $start = [System.Diagnostics.ProcessStartInfo]::new($_[0])
    foreach ($argument in $_[1..($_.Count - 1)]) { $start.ArgumentList.Add($argument) }
    $start.Environment['PEBBLE_VA_NOSLEEP'] = '1'
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $process = [System.Diagnostics.Process]::Start($start)
    $null = $process.StandardOutput.ReadToEndAsync(); $null = $process.StandardError.ReadToEndAsync()
    $process
}

$conf = $null
try {
    $deadline = [DateTime]::UtcNow.AddSeconds(30)
    while ([DateTime]::UtcNow -lt $deadline) {
        try { $client = [System.Net.Sockets.TcpClient]::new('127.0.0.1', $acmePort); $client.Dispose(); break } catch { [System.Threading.Thread]::Sleep(200) }
    }

    $directory = "https://127.0.0.1:$acmePort/dir"           # with a real CA: -Directory LetsEncrypt (press Tab)
    $ca = @{ Directory = $directory; TrustedRootPath = $listener.CertificatePath; StateDirectory = [System.IO.Path]::Combine($Sandbox, 'accounts') }
    $site = 'www.example.test'
    $tls = [System.IO.Path]::Combine($Sandbox, 'tls')

    # 1. The account: once per CA, terms of service agreed explicitly; its key is saved with mode 0600 and reused.
    New-AcmeAccount @ca -Contact 'hostmaster@example.test' -AcceptTermsOfService | Out-Default

    if (-not $withApache) {
        # 2. No web server: the module's own listener answers the CA on the HTTP port while it validates.
        New-CertRequest $site -KeyAlgorithm ECDSA |
            Request-AcmeCertificate @ca -ListenPort $httpPort -ListenAddress 127.0.0.1 |
            Export-CertPem -OutputDirectory $tls | Out-Default
        "Apache httpd (Debian package apache2) is not installed: the httpd part of this example is skipped."
        return
    }

    # 2. A site served by httpd over plain HTTP (a private instance here; /etc/apache2 on a server).
    foreach ($folder in 'htdocs', 'logs') { $null = [System.IO.Directory]::CreateDirectory([System.IO.Path]::Combine($Sandbox, 'httpd', $folder)) }
    $conf = [System.IO.Path]::Combine($Sandbox, 'httpd', 'httpd.conf')
    $user = if ([Environment]::UserName -eq 'root') { "User www-data`nGroup www-data`n" } else { '' }
    [System.IO.File]::WriteAllText($conf, @"
ServerRoot "$Sandbox/httpd"
Listen 127.0.0.1:$httpPort
LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
LoadModule mime_module /usr/lib/apache2/modules/mod_mime.so
LoadModule dir_module /usr/lib/apache2/modules/mod_dir.so
PidFile logs/httpd.pid
ErrorLog logs/error.log
${user}ServerName localhost
TypesConfig /etc/mime.types
<VirtualHost *:$httpPort>
	ServerName $site
	DocumentRoot "$Sandbox/httpd/htdocs"
</VirtualHost>
"@)
    & chmod -R a+rX $Sandbox/httpd
    & chmod a+x $Sandbox
    & $httpd -d "$Sandbox/httpd" -f $conf -k start

    # 3. Issue through the site (the challenge goes to its DocumentRoot and is removed), install, redirect, reload.
    New-CertRequest $site -KeyAlgorithm ECDSA |
        Request-AcmeCertificate @ca -ApacheConfigPath $conf -ApacheHttpPort $httpPort |
        Export-CertPem -OutputDirectory $tls |
        Set-ApacheSsl $site -ConfigPath $conf -Port $httpsPort -ListenAddress 127.0.0.1 |
        Enable-HttpsRedirect -ConfigPath $conf -HttpPort $httpPort -ListenAddress 127.0.0.1 -Reload | Out-Default

    # 4. The scheduled renewal (the script a timer runs daily): ask the CA when to renew, renew when due, go live.
    #    (-RenewNow makes the fresh certificate count as due here.)
    $current = Import-CertFile ([System.IO.Path]::Combine($tls, 'cert.pem')) -KeyPath ([System.IO.Path]::Combine($tls, 'key.pem')) |
        Update-AcmeRenewalInfo @ca -WarningAction SilentlyContinue
    if ($current.RenewRecommended -or $RenewNow) {
        New-CertRequest $current.CommonName -DnsName $current.DnsNames -KeyAlgorithm ECDSA |
            Request-AcmeCertificate @ca -Replaces $current -ApacheConfigPath $conf -ApacheHttpPort $httpPort |
            Export-CertPem -OutputDirectory $tls -Force |
            Set-ApacheSsl $site -ConfigPath $conf -Port $httpsPort -ListenAddress 127.0.0.1 -Reload | Out-Null
    }

    # 5. What a browser sees, trusting pebble's root as browsers trust Let's Encrypt's.
    $handler = [System.Net.Http.HttpClientHandler]::new()
    $handler.ServerCertificateCustomValidationCallback = [System.Net.Http.HttpClientHandler]::DangerousAcceptAnyServerCertificateValidator
    $rootPath = [System.IO.Path]::Combine($Sandbox, 'pebble', 'root.pem')
    [System.IO.File]::WriteAllText($rootPath, [System.Net.Http.HttpClient]::new($handler).GetStringAsync("https://127.0.0.1:$managementPort/roots/0").GetAwaiter().GetResult())
    $renewed = Import-CertFile ([System.IO.Path]::Combine($tls, 'cert.pem'))
    $deadline = [DateTime]::UtcNow.AddSeconds(15)
    do {
        [System.Threading.Thread]::Sleep(300)
        $probe = Test-HttpsEndpoint 127.0.0.1 -Port $httpsPort -ServerName $site -HttpPort $httpPort -TrustedRootPath $rootPath -ErrorAction SilentlyContinue
    } while (($null -eq $probe -or $probe.Certificate.Thumbprint -ne $renewed.Thumbprint) -and [DateTime]::UtcNow -lt $deadline)
    $probe | Out-Default
    if ($probe.Certificate.Thumbprint -ne $renewed.Thumbprint) { throw 'httpd does not serve the renewed certificate.' }
    "httpd serves the renewed certificate $($renewed.Thumbprint), valid until $($renewed.NotAfter)."
}
finally {
    if ($conf -and [System.IO.File]::Exists("$Sandbox/httpd/logs/httpd.pid")) { & $httpd -d "$Sandbox/httpd" -f $conf -k stop }
    $processes | ForEach-Object { if (-not $_.HasExited) { $_.Kill($true); $null = $_.WaitForExit(5000) } }
}
