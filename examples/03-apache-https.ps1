<#
.SYNOPSIS
    A private Apache httpd instance on 127.0.0.1, configured for HTTPS with a certificate from an internal CA,
    plain HTTP redirected to HTTPS, then checked from the outside as a browser would.

.DESCRIPTION
    Needs Debian's apache2 package (/usr/sbin/apache2); skipped without it. The instance lives in the sandbox
    folder, listens on high ports on 127.0.0.1 only, and is stopped at the end.
#>
[CmdletBinding()]
param(
    [string] $Sandbox = [System.IO.Path]::Combine($PSScriptRoot, '..', 'sandbox', [DateTime]::Now.ToString('yyyyMMdd-HHmmss'), 'apache'),
    [int] $HttpPort = 57772,
    [int] $HttpsPort = 57782
)

$ErrorActionPreference = 'Stop'
Import-Module ([System.IO.Path]::Combine($PSScriptRoot, '..', 'CertCmdlets.psd1'))
$httpd = '/usr/sbin/apache2'
if (-not [System.IO.File]::Exists($httpd)) {
    'Apache httpd (Debian package apache2) is not installed: this example is skipped.'
    return
}

$Sandbox = [System.IO.Path]::GetFullPath($Sandbox)
foreach ($dir in 'htdocs', 'logs', 'tls') { $null = [System.IO.Directory]::CreateDirectory([System.IO.Path]::Combine($Sandbox, $dir)) }
[System.IO.File]::WriteAllText([System.IO.Path]::Combine($Sandbox, 'htdocs', 'index.html'), "Hello over HTTPS`n")
& chmod -R a+rX $Sandbox
"Sandbox: $Sandbox"

# A private instance, as a developer or a test would run one: plain HTTP only, for now.
$conf = [System.IO.Path]::Combine($Sandbox, 'httpd.conf')
$user = if ([Environment]::UserName -eq 'root') { "User www-data`nGroup www-data`n" } else { '' }
[System.IO.File]::WriteAllText($conf, @"
# A private httpd instance
ServerRoot "$Sandbox"
Listen 127.0.0.1:$HttpPort
LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
LoadModule mime_module /usr/lib/apache2/modules/mod_mime.so
LoadModule dir_module /usr/lib/apache2/modules/mod_dir.so
PidFile logs/httpd.pid
ErrorLog logs/error.log
$($user)ServerName localhost
DocumentRoot "$Sandbox/htdocs"
TypesConfig /etc/mime.types

<VirtualHost *:$HttpPort>
	ServerName www.example.test
	DocumentRoot "$Sandbox/htdocs"
</VirtualHost>
"@)

# 1. An internal CA signs the server's request; the files go where Apache will read them.
$root = New-CertAuthority 'Example Test Root' -KeyAlgorithm ECDSA -OutputDirectory ([System.IO.Path]::Combine($Sandbox, 'ca'))
$issuing = New-CertAuthority 'Example Test Issuing CA' -Issuer $root -KeyAlgorithm ECDSA
$certificate = New-CertRequest 'www.example.test' -KeyAlgorithm ECDSA |
    Approve-CertRequest -Authority $issuing |
    Export-CertPem -OutputDirectory ([System.IO.Path]::Combine($Sandbox, 'tls'))

# 2. HTTPS on a non-standard port, and plain HTTP redirected to it.
$certificate |
    Set-ApacheSsl 'www.example.test' -ConfigPath $conf -Port $HttpsPort -ListenAddress 127.0.0.1 -Hsts |
    Enable-HttpsRedirect -ConfigPath $conf -HttpPort $HttpPort -ListenAddress 127.0.0.1 |
    Out-Default
'Running the same configuration again changes nothing:'
$certificate | Set-ApacheSsl 'www.example.test' -ConfigPath $conf -Port $HttpsPort -ListenAddress 127.0.0.1 -Hsts | Out-Default

# 3. Start httpd and look at it from outside, as a browser would.
& $httpd -d $Sandbox -f $conf -k start
try {
    $deadline = [DateTime]::UtcNow.AddSeconds(10)
    while ([DateTime]::UtcNow -lt $deadline) {
        try { $client = [System.Net.Sockets.TcpClient]::new('127.0.0.1', $HttpsPort); $client.Dispose(); break } catch { [System.Threading.Thread]::Sleep(100) }
    }

    Test-HttpsEndpoint 127.0.0.1 -Port $HttpsPort -ServerName 'www.example.test' -HttpPort $HttpPort -TrustedRootPath $root.CertificatePath | Out-Default
}
finally {
    & $httpd -d $Sandbox -f $conf -k stop
}
