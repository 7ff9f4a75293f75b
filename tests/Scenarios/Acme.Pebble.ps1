<#
.SYNOPSIS
    Certificates from an ACME CA through the user's pipeline, against Debian's pebble (Let's Encrypt's test CA) and
    pebble-challtestsrv on 127.0.0.1: one -Case per invocation.

.DESCRIPTION
    Each invocation (except WhatIf) starts its own pebble and pebble-challtestsrv on free high ports of 127.0.0.1
    (validation sleeps off, authorization reuse off, a quarter of the good nonces refused so the badNonce retry is
    always exercised), with a TLS certificate for pebble's listener made by the module (New-CertRequest -SelfSign |
    Export-CertPem) and trusted through -TrustedRootPath. Names resolve through challtestsrv (every name to 127.0.0.1
    unless told otherwise). Accounts go to a state folder inside the work directory (-StateDirectory). Everything is
    stopped in a finally. By -Case:

    IssueAndExport   New-AcmeAccount without -AcceptTermsOfService is refused naming the terms; with it, the account is
                     saved (key 0600, never in the output); New-CertRequest | Request-AcmeCertificate -ListenPort |
                     Export-CertPem writes cert, key (0600), chain and full chain; the leaf holds the request's key and
                     names and chains to pebble's root (Test-CertChain); the account is reused; -DnsName makes a new
                     RSA key as New-CertRequest does, and -OutputDirectory writes the files itself.
    DnsScript        DNS-01 for a name and its wildcard through the user's script blocks, which set and clear the TXT
                     record through challtestsrv's management API; -DnsResolver asks challtestsrv until it answers.
    Refused          A name that points elsewhere (to 127.0.0.2, where another server answers 404) is refused as
                     AcmeUnauthorized: no challenge file is left in -WebRoot and -OutputDirectory is not created; a
                     wildcard over HTTP is refused before anything is sent.
    AccountLifecycle Set-AcmeAccount -Contact and -RollOverKey (same account URL, new key, still usable),
                     Revoke-AcmeCertificate (pebble reports it revoked; twice is AcmeAlreadyRevoked), then
                     Disable-AcmeAccount, after which an order is refused (AcmeAccountDeactivated).
    Renewal          Update-AcmeRenewalInfo keeps the module's rule with a warning (pebble 2.4.0 offers no renewal
                     information), and Request-AcmeCertificate -Replaces renews the certificate.
    WhatIf           Every ACME cmdlet with -WhatIf, against a directory URL where nothing listens: no error, no output,
                     no file (so nothing was contacted).
    ApacheSite       A private Apache httpd on 127.0.0.1 (plain HTTP VirtualHost): Request-AcmeCertificate
                     -ApacheConfigPath validates through the site's DocumentRoot, Export-CertPem | Set-ApacheSsl |
                     Enable-HttpsRedirect -Reload serves it, Test-HttpsEndpoint sees the issued certificate; a renewal
                     through the same site after the redirect (the challenge path stays on HTTP) is served in turn.

.PARAMETER WorkDirectory
    An empty (or new) directory the scenario may fill.

.PARAMETER Case
    What to check (see the description).

.PARAMETER RequirePebble
    Throw when pebble or pebble-challtestsrv is missing instead of returning the skipped marker (implied by CI=true).

.PARAMETER RequireApache
    ApacheSite only: throw when Debian's apache2 is missing instead of returning the skipped marker (implied by CI=true).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)][string] $WorkDirectory,
    [Parameter(Mandatory)]
    [ValidateSet('IssueAndExport', 'DnsScript', 'Refused', 'AccountLifecycle', 'Renewal', 'WhatIf', 'ApacheSite')]
    [string] $Case,
    [switch] $RequirePebble,
    [switch] $RequireApache
)
$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'Assert.ps1')

$pebbleProgram = '/usr/bin/pebble'
$challengeProgram = '/usr/bin/pebble-challtestsrv'
$httpdProgram = '/usr/sbin/apache2'
$httpdModules = '/usr/lib/apache2/modules'

# ---------------------------------------------------------------------------------------------------------------
# pebble and challtestsrv
# ---------------------------------------------------------------------------------------------------------------

function Get-FreeTcpPorts {
    # Distinct free ports on 127.0.0.1, all held until every one is known.
    param([int] $Count)

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

function Wait-TcpPort {
    param([Parameter(Mandatory)][int] $Port, [int] $Seconds = 30, $Process)

    $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
    while ([DateTime]::UtcNow -lt $deadline) {
        if ($Process -and $Process.HasExited) {
            throw "$($Process.StartInfo.FileName) exited at start (code $($Process.ExitCode))."
        }

        $client = [System.Net.Sockets.TcpClient]::new()
        try {
            if ($client.ConnectAsync('127.0.0.1', $Port).Wait(500)) {
                return
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

    throw "Nothing listens on 127.0.0.1:$Port after $Seconds s."
}

function Start-ScenarioProcess {
    # Starts a program with arguments and environment variables, its output drained; records its pid in <Name>.pid
    # (the hosted tests stop what a failed case left running).
    param([Parameter(Mandatory)][string] $FilePath, [string[]] $ArgumentList, [hashtable] $Environment = @{}, [Parameter(Mandatory)][string] $Name)

    $start = [System.Diagnostics.ProcessStartInfo]::new($FilePath)
    foreach ($argument in $ArgumentList) {
        $start.ArgumentList.Add($argument)
    }

    foreach ($key in $Environment.Keys) {
        $start.Environment[$key] = $Environment[$key]
    }

    $start.UseShellExecute = $false
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.WorkingDirectory = $WorkDirectory
    $process = [System.Diagnostics.Process]::Start($start)
    # Drain the output so the program never blocks on a full pipe.
    $null = $process.StandardOutput.ReadToEndAsync()
    $null = $process.StandardError.ReadToEndAsync()
    Set-Content -LiteralPath (Join-Path $WorkDirectory "$Name.pid") -Value "$($process.Id)" -NoNewline
    return $process
}

function Start-Pebble {
    <#
    .SYNOPSIS
        pebble and pebble-challtestsrv on free ports; returns @{ Directory; Common (the splat for the ACME cmdlets);
        HttpPort; DnsPort; ManagementPort; ChallengePort; Processes; TlsRoot }. -HttpPort: the port pebble validates on.
    #>
    param([int] $HttpPort, [string] $ChallengeHttpAddress)

    $ports = Get-FreeTcpPorts -Count 6
    if (-not $HttpPort) {
        $HttpPort = $ports[2]
    }

    # pebble's listener certificate, made by the module (Debian ships none).
    $tlsFolder = (New-Item -ItemType Directory -Path $WorkDirectory -Name 'pebble-tls').FullName
    $tls = New-CertRequest 'pebble listener' -IpAddress 127.0.0.1 -DnsName localhost -KeyAlgorithm ECDSA -SelfSign -ValidDays 2 |
        Export-CertPem -OutputDirectory $tlsFolder
    $config = Join-Path $WorkDirectory 'pebble.json'
    Set-Content -LiteralPath $config -NoNewline -Value (@"
{"pebble":{"listenAddress":"127.0.0.1:$($ports[0])","managementListenAddress":"127.0.0.1:$($ports[1])",
"certificate":"$($tls.CertificatePath)","privateKey":"$($tls.KeyPath)","httpPort":$HttpPort,"tlsPort":$($ports[3]),
"ocspResponderURL":"","externalAccountBindingRequired":false}}
"@)

    $challengeHttp = if ($ChallengeHttpAddress) { "${ChallengeHttpAddress}:$HttpPort" } else { '' }
    $challenge = Start-ScenarioProcess -FilePath $challengeProgram -Name 'challtestsrv' -ArgumentList @(
        '-management', "127.0.0.1:$($ports[4])", '-dns01', "127.0.0.1:$($ports[5])", '-http01', $challengeHttp,
        '-https01', '', '-tlsalpn01', '', '-defaultIPv4', '127.0.0.1', '-defaultIPv6', '')
    Wait-TcpPort -Port $ports[4] -Process $challenge
    $pebble = Start-ScenarioProcess -FilePath $pebbleProgram -Name 'pebble' -ArgumentList @('-config', $config, '-dnsserver', "127.0.0.1:$($ports[5])", '-strict=false') -Environment @{
        PEBBLE_VA_NOSLEEP      = '1'
        PEBBLE_WFE_NONCEREJECT = '25'
        PEBBLE_AUTHZREUSE      = '0'
    }
    Wait-TcpPort -Port $ports[0] -Process $pebble
    Wait-TcpPort -Port $ports[1] -Process $pebble

    $directory = "https://127.0.0.1:$($ports[0])/dir"
    return [pscustomobject] @{
        Directory      = $directory
        Common         = @{ Directory = $directory; TrustedRootPath = $tls.CertificatePath; StateDirectory = (Join-Path $WorkDirectory 'acme-state') }
        HttpPort       = $HttpPort
        DnsPort        = $ports[5]
        ManagementPort = $ports[1]
        ChallengePort  = $ports[4]
        Processes      = @($pebble, $challenge)
        TlsRoot        = $tls.CertificatePath
    }
}

function Stop-Pebble {
    param($Pebble)

    if ($null -eq $Pebble) {
        return
    }

    foreach ($process in $Pebble.Processes) {
        if (-not $process.HasExited) {
            $process.Kill($true)
            $null = $process.WaitForExit(10000)
        }

        $process.Dispose()
    }
}

function Invoke-PebbleManagement {
    # GET on pebble's management API (its own private listener on loopback: any certificate accepted).
    param([Parameter(Mandatory)] $Pebble, [Parameter(Mandatory)][string] $Path)

    $handler = [System.Net.Http.HttpClientHandler]::new()
    $handler.ServerCertificateCustomValidationCallback = [System.Net.Http.HttpClientHandler]::DangerousAcceptAnyServerCertificateValidator
    $client = [System.Net.Http.HttpClient]::new($handler)
    try {
        return $client.GetStringAsync("https://127.0.0.1:$($Pebble.ManagementPort)/$Path").GetAwaiter().GetResult()
    }
    finally {
        $client.Dispose()
    }
}

function Invoke-ChallengeServer {
    # POST of JSON to challtestsrv's management API (add-a, set-txt, clear-txt).
    param([Parameter(Mandatory)][int] $Port, [Parameter(Mandatory)][string] $Path, [Parameter(Mandatory)][string] $Json)

    $client = [System.Net.Http.HttpClient]::new()
    try {
        $content = [System.Net.Http.StringContent]::new($Json)
        $response = $client.PostAsync("http://127.0.0.1:$Port/$Path", $content).GetAwaiter().GetResult()
        if (-not $response.IsSuccessStatusCode) {
            throw "challtestsrv $Path answered HTTP $([int] $response.StatusCode)."
        }
    }
    finally {
        $client.Dispose()
    }
}

function Save-PebbleRoot {
    # pebble's issuing root (made at start), to check chains with Test-CertChain.
    param([Parameter(Mandatory)] $Pebble)

    $path = Join-Path $WorkDirectory 'pebble-root.pem'
    Set-Content -LiteralPath $path -Value (Invoke-PebbleManagement -Pebble $Pebble -Path 'roots/0') -NoNewline
    return $path
}

function Join-SortedText {
    # The items sorted ordinally and joined: a set of names as one string, for a case-sensitive comparison
    # (Sort-Object sorts by culture).
    param([Parameter(Position = 0)][AllowNull()][object[]] $Items)

    $texts = [string[]] @($Items | ForEach-Object { "$_" })
    [System.Array]::Sort($texts, [System.StringComparer]::Ordinal)
    return $texts -join ','
}

function New-ScenarioName {
    param([Parameter(Mandatory)][string] $Label)
    return "$Label-$([guid]::NewGuid().ToString('N').Substring(0, 8)).acme-test.example"
}

function Get-PebbleSkip {
    if ((Test-Path -LiteralPath $pebbleProgram -PathType Leaf) -and (Test-Path -LiteralPath $challengeProgram -PathType Leaf)) {
        return $null
    }

    if ($RequirePebble -or $env:CI -eq 'true') {
        throw "pebble and pebble-challtestsrv ($pebbleProgram, $challengeProgram) are required for this scenario (CI=true or -RequirePebble). Install them: apt-get install pebble."
    }

    return New-ScenarioSkipped -Reason "pebble is not installed ($pebbleProgram); this scenario issues certificates from it (under CI=true it fails instead)."
}

# ---------------------------------------------------------------------------------------------------------------
# A private httpd (ApacheSite)
# ---------------------------------------------------------------------------------------------------------------

function Get-ApacheSkip {
    if ($IsWindows -and -not $RequireApache) {
        return New-ScenarioSkipped -Reason "Debian's apache2 does not exist on Windows."
    }

    if ((Test-Path -LiteralPath $httpdProgram -PathType Leaf) -and (Test-Path -LiteralPath $httpdModules -PathType Container)) {
        return $null
    }

    if ($RequireApache -or $env:CI -eq 'true') {
        throw "Debian's apache2 ($httpdProgram) is required for this case (CI=true or -RequireApache). Install it: apt-get install apache2."
    }

    return New-ScenarioSkipped -Reason "Debian's apache2 is not installed; the ApacheSite case validates through a private httpd (under CI=true it fails instead)."
}

function New-ScenarioHttpd {
    # A private httpd under the work directory: plain HTTP on 127.0.0.1:-HttpPort with a VirtualHost for -SiteName.
    param([Parameter(Mandatory)][int] $HttpPort, [Parameter(Mandatory)][string] $SiteName)

    $root = (New-Item -ItemType Directory -Path $WorkDirectory -Name 'httpd').FullName
    $documentRoot = (New-Item -ItemType Directory -Path $root -Name 'htdocs').FullName
    $null = New-Item -ItemType Directory -Path $root -Name 'logs'
    # The main server's DocumentRoot differs from the site's: the challenge must go to the site's.
    $null = New-Item -ItemType Directory -Path $root -Name 'unused'
    Set-Content -LiteralPath (Join-Path $documentRoot 'index.html') -Value "ACME site`n" -NoNewline
    Set-Content -LiteralPath (Join-Path $root 'mime.types') -Value "text/html html`n" -NoNewline
    $user = if ([System.Environment]::UserName -eq 'root') { "User www-data`nGroup www-data`n" } else { '' }
    $config = Join-Path $root 'httpd.conf'
    Set-Content -LiteralPath $config -NoNewline -Value (@"
ServerRoot "$root"
Listen 127.0.0.1:$HttpPort
LoadModule mpm_event_module $httpdModules/mod_mpm_event.so
LoadModule authz_core_module $httpdModules/mod_authz_core.so
LoadModule mime_module $httpdModules/mod_mime.so
LoadModule dir_module $httpdModules/mod_dir.so
${user}ServerName localhost
PidFile logs/httpd.pid
ErrorLog logs/error.log
TypesConfig mime.types
DocumentRoot "$root/unused"

<Directory "$documentRoot">
	Require all granted
</Directory>

<VirtualHost *:$HttpPort>
	ServerName $SiteName
	DocumentRoot "$documentRoot"
</VirtualHost>
"@.Replace("`r`n", "`n"))
    if (-not $IsWindows) {
        # httpd's workers run as www-data when started by root: the folders must be traversable.
        foreach ($folder in @($WorkDirectory, $root, $documentRoot)) {
            (Get-Item -LiteralPath $folder).UnixFileMode = 'UserRead, UserWrite, UserExecute, GroupRead, GroupExecute, OtherRead, OtherExecute'
        }
    }

    return [pscustomobject] @{ Root = $root; Config = $config; DocumentRoot = $documentRoot; HttpPort = $HttpPort }
}

function Invoke-ScenarioHttpd {
    param([Parameter(Mandatory)] $Httpd, [Parameter(Mandatory)][string] $Signal)

    $lines = & $httpdProgram -d $Httpd.Root -f $Httpd.Config -k $Signal 2>&1 | ForEach-Object { "$_" }
    $code = $LASTEXITCODE
    $global:LASTEXITCODE = 0
    if ($code -ne 0) {
        $log = Join-Path $Httpd.Root 'logs' 'error.log'
        $text = if (Test-Path -LiteralPath $log -PathType Leaf) { Get-Content -LiteralPath $log -Raw } else { '' }
        throw "httpd -k $Signal failed ($code): $($lines -join ' ') $text"
    }
}

function Stop-ScenarioHttpd {
    param($Httpd)

    if ($null -eq $Httpd) {
        return
    }

    $pidFile = Join-Path $Httpd.Root 'logs' 'httpd.pid'
    if (-not (Test-Path -LiteralPath $pidFile -PathType Leaf)) {
        return
    }

    $mainPid = [int] (Get-Content -LiteralPath $pidFile -Raw).Trim()
    $null = & $httpdProgram -d $Httpd.Root -f $Httpd.Config -k stop 2>&1
    $global:LASTEXITCODE = 0
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

function Wait-ServedThumbprint {
    # Test-HttpsEndpoint until the server sends the expected leaf (graceful restarts finish asynchronously).
    param([Parameter(Mandatory)][int] $Port, [Parameter(Mandatory)][string] $ServerName, [Parameter(Mandatory)][string] $Thumbprint, [Parameter(Mandatory)][string] $Root)

    $deadline = [DateTime]::UtcNow.AddSeconds(20)
    do {
        $probe = @(Test-HttpsEndpoint 127.0.0.1 -Port $Port -ServerName $ServerName -TrustedRootPath $Root -ErrorAction SilentlyContinue)
        if ($probe.Count -eq 1 -and $probe[0].Certificate -and $probe[0].Certificate.Thumbprint -eq $Thumbprint) {
            return $probe[0]
        }

        [System.Threading.Thread]::Sleep(200)
    } while ([DateTime]::UtcNow -lt $deadline)

    throw "127.0.0.1:$Port never served $Thumbprint (last: $(if ($probe.Count -eq 1 -and $probe[0].Certificate) { $probe[0].Certificate.Thumbprint } else { 'no answer' }))."
}

# ---------------------------------------------------------------------------------------------------------------
# The cases
# ---------------------------------------------------------------------------------------------------------------

$WorkDirectory = Initialize-ScenarioDirectory -Path $WorkDirectory

if ($Case -eq 'WhatIf') {
    $port = (Get-FreeTcpPorts -Count 1)[0]
    $nowhere = @{ Directory = "https://127.0.0.1:$port/dir"; StateDirectory = (Join-Path $WorkDirectory 'acme-state') }
    $before = Get-DirectorySnapshot $WorkDirectory
    $self = New-CertRequest 'whatif.example.test' -SelfSign -KeyAlgorithm ECDSA
    # $ErrorActionPreference is 'Stop': any error, even one a cmdlet would report and go on after, ends the scenario.
    $output = @(
        New-AcmeAccount @nowhere -AcceptTermsOfService -WhatIf
        New-CertRequest 'whatif.example.test' -KeyAlgorithm ECDSA | Request-AcmeCertificate @nowhere -ListenPort $port -WhatIf
        Request-AcmeCertificate 'whatif.example.test' @nowhere -WebRoot $WorkDirectory -OutputDirectory (Join-Path $WorkDirectory 'out') -AcceptTermsOfService -WhatIf
        Set-AcmeAccount @nowhere -Contact 'a@example.test' -WhatIf
        Set-AcmeAccount @nowhere -RollOverKey -WhatIf
        Disable-AcmeAccount @nowhere -WhatIf
        $self | Revoke-AcmeCertificate @nowhere -WhatIf
    )
    $output | Should -HaveCount 0 -Because '-WhatIf emits nothing'
    Compare-Object $before (Get-DirectorySnapshot $WorkDirectory) -CaseSensitive | Should -BeNullOrEmpty -Because '-WhatIf writes nothing (no account, no challenge file, no certificate)'
    # Without -WhatIf the same directory is unreachable: proof that -WhatIf did not try.
    $unreachable = Invoke-ScenarioCommand { New-AcmeAccount @nowhere -AcceptTermsOfService }
    $unreachable.Errors | Should -HaveCount 1
    $unreachable.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'AcmeServerUnreachable,*'
    $unreachable.Errors[0].CategoryInfo.Category | Should -Be 'ConnectionError'
    $unreachable.Terminating | Should -Not -BeNullOrEmpty -Because 'AcmeServerUnreachable stops the command (a terminating error)'
    return
}

$skip = Get-PebbleSkip
if ($skip) {
    return $skip
}

if ($Case -eq 'ApacheSite') {
    $skip = Get-ApacheSkip
    if ($skip) {
        return $skip
    }
}

# From here $ErrorActionPreference = 'Stop' makes any error of a command called directly end the scenario: a command
# whose errors are checked runs through Invoke-ScenarioCommand.
$pebble = $null
$httpd = $null
try {
    switch ($Case) {
        'IssueAndExport' {
            $pebble = Start-Pebble
            $common = $pebble.Common
            $refused = Invoke-ScenarioCommand { New-AcmeAccount @common -Contact 'admin@example.test' }
            $refused.Errors | Should -HaveCount 1
            $refused.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'AcmeTermsOfServiceNotAccepted,*'
            $refused.Errors[0].Exception.Message | Should -Match 'Do%20what%20thou%20wilt' -Because 'the message names the CA''s terms of service'
            $refused.Terminating | Should -Not -BeNullOrEmpty -Because 'AcmeTermsOfServiceNotAccepted stops the command (a terminating error)'
            $refused.Errors[0].ErrorDetails.RecommendedAction | Should -Match '-AcceptTermsOfService' -Because 'the error says how to agree'
            Test-Path -LiteralPath $common.StateDirectory | Should -BeFalse -Because 'no account folder without agreement'

            $account = @(New-AcmeAccount @common -Contact 'admin@example.test' -AcceptTermsOfService)
            $account | Should -HaveCount 1 -Because 'New-AcmeAccount emits the account'
            $account[0].Status | Should -BeExactly 'valid' -Because 'the account is valid'
            $account[0].KeyAlgorithm | Should -BeExactly 'ES256' -Because 'ES256 by default'
            @($account[0].Contact | Where-Object { $_ -ceq 'mailto:admin@example.test' }) | Should -Not -BeNullOrEmpty -Because "the contact is a mailto URL (contact: $($account[0].Contact -join ', '))"
            $accountKey = Join-Path $account[0].StatePath 'account.key'
            if (-not $IsWindows) { Get-ScenarioFileMode $accountKey | Should -BeExactly '600' -Because 'the account key is private' }
            (($account[0].PSObject.Properties | ForEach-Object { "$($_.Value)" }) -join ' ') | Should -Not -Match 'PRIVATE KEY' -Because 'the account object carries no key'

            $name = New-ScenarioName 'www'
            $alias = New-ScenarioName 'alias'
            $out = Join-Path $WorkDirectory 'tls'
            $request = New-CertRequest $name -DnsName $alias -KeyAlgorithm ECDSA
            $issued = @($request | Request-AcmeCertificate @common -ListenPort $pebble.HttpPort -ListenAddress 127.0.0.1 | Export-CertPem -OutputDirectory $out)
            $issued | Should -HaveCount 1 -Because 'one certificate for one request'
            $certificate = $issued[0]
            $certificate.HasPrivateKey | Should -BeTrue -Because 'the certificate carries the request''s key'
            (Join-SortedText $certificate.DnsNames) | Should -BeExactly (Join-SortedText $name, $alias) -Because 'the names of the request'
            $certificate.KeyAlgorithm | Should -BeExactly $request.KeyAlgorithm -Because 'the request''s key, not a new one'
            $certificate.Chain | Should -HaveCount 1 -Because 'the intermediate travels with it'
            $certificate.Issuer | Should -Match 'Pebble Intermediate CA' -Because 'issued by pebble'
            foreach ($file in @($certificate.CertificatePath, $certificate.ChainPath, $certificate.FullChainPath)) {
                Test-Path -LiteralPath $file -PathType Leaf | Should -BeTrue -Because "Export-CertPem wrote '$file'"
            }

            if (-not $IsWindows) { Get-ScenarioFileMode $certificate.KeyPath | Should -BeExactly '600' -Because 'private keys must be readable by their owner only' }
            $root = Save-PebbleRoot -Pebble $pebble
            $tested = @(Test-CertChain -Path $certificate.FullChainPath -TrustedRootPath $root -DnsName $name)
            $tested[0].IsValid | Should -BeTrue -Because "the full chain leads to pebble's root ($($tested[0].Problems -join '; '))"
            $reread = @(Import-CertFile $certificate.CertificatePath -KeyPath $certificate.KeyPath)
            $reread[0].HasPrivateKey | Should -BeTrue -Because 'key.pem belongs to cert.pem'

            # The same account again (one per CA), and a new RSA key for -DnsName, written by -OutputDirectory.
            $second = Join-Path $WorkDirectory 'tls-second'
            $byName = @(Request-AcmeCertificate (New-ScenarioName 'byname') @common -ListenPort $pebble.HttpPort -ListenAddress 127.0.0.1 -OutputDirectory $second)
            $byName[0].KeyAlgorithm | Should -BeExactly 'RSA 2048' -Because 'a new key as New-CertRequest makes it'
            $byName[0].FullChainPath | Should -BeExactly (Join-Path $second 'fullchain.pem') -Because '-OutputDirectory writes the full chain'
            if (-not $IsWindows) { Get-ScenarioFileMode (Join-Path $second 'key.pem') | Should -BeExactly '600' -Because 'private keys must be readable by their owner only' }
            $accounts = @(Get-AcmeAccount -StateDirectory $common.StateDirectory)
            $accounts | Should -HaveCount 1 -Because 'the account was reused'
            $accounts[0].AccountUrl | Should -BeExactly $account[0].AccountUrl -Because 'the same account'
        }

        'DnsScript' {
            $pebble = Start-Pebble
            $common = $pebble.Common
            $name = New-ScenarioName 'dns'
            $port = $pebble.ChallengePort
            $script:added = [System.Collections.Generic.List[string]]::new()
            $script:removed = [System.Collections.Generic.List[string]]::new()
            # The user's script blocks, as a DNS provider's API would be called: here challtestsrv's management API.
            $add = {
                param($RecordName, $Value)
                $script:added.Add("$RecordName=$Value")
                Invoke-ChallengeServer -Port $port -Path 'set-txt' -Json "{`"host`":`"$RecordName.`",`"value`":`"$Value`"}"
            }
            $remove = {
                param($RecordName, $Value)
                $script:removed.Add("$RecordName=$Value")
                Invoke-ChallengeServer -Port $port -Path 'clear-txt' -Json "{`"host`":`"$RecordName.`"}"
            }
            $issued = @(New-CertRequest $name -DnsName "*.$name" -KeyAlgorithm ECDSA |
                    Request-AcmeCertificate @common -AcceptTermsOfService -DnsAddScript $add -DnsRemoveScript $remove -DnsResolver "127.0.0.1:$($pebble.DnsPort)")
            $issued | Should -HaveCount 1 -Because 'one certificate'
            (Join-SortedText $issued[0].DnsNames) | Should -BeExactly (Join-SortedText $name, "*.$name") -Because 'the name and its wildcard'
            $script:added | Should -HaveCount 2 -Because 'one TXT record per authorization'
            @($script:added | Where-Object { $_.StartsWith("_acme-challenge.$name=") }) | Should -HaveCount 2 -Because "the record name is _acme-challenge.$name ($($script:added -join ', '))"
            ($script:removed -join ',') | Should -BeExactly ($script:added -join ',') -Because 'every record added is removed'

            $failing = { param($RecordName, $Value) throw 'the DNS provider refused' }
            $failed = Invoke-ScenarioCommand { Request-AcmeCertificate (New-ScenarioName 'dnsfail') @common -DnsAddScript $failing -DnsRemoveScript $remove -DnsResolver "127.0.0.1:$($pebble.DnsPort)" }
            $failed.Errors | Should -HaveCount 1
            $failed.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'AcmeDnsScriptFailed,*'
            $failed.Errors[0].Exception.Message | Should -Match 'the DNS provider refused' -Because 'the message carries the script''s own words'
            $failed.Errors[0].Exception.ErrorId | Should -BeExactly 'AcmeDnsScriptFailed' -Because 'the script''s failure is its own error'
        }

        'Refused' {
            $pebble = Start-Pebble -ChallengeHttpAddress 127.0.0.2
            $common = $pebble.Common
            $elsewhere = New-ScenarioName 'elsewhere'
            Invoke-ChallengeServer -Port $pebble.ChallengePort -Path 'add-a' -Json "{`"host`":`"$elsewhere`",`"addresses`":[`"127.0.0.2`"]}"
            $www = (New-Item -ItemType Directory -Path $WorkDirectory -Name 'www').FullName
            $out = Join-Path $WorkDirectory 'out'
            $null = New-AcmeAccount @common -AcceptTermsOfService
            $before = Get-DirectorySnapshot $WorkDirectory
            $refused = Invoke-ScenarioCommand { Request-AcmeCertificate $elsewhere @common -WebRoot $www -OutputDirectory $out }
            $refused.Errors | Should -HaveCount 1
            $refused.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'AcmeUnauthorized,*'
            $refused.Errors[0].CategoryInfo.Category | Should -Be 'SecurityError'
            $refused.Errors[0].Exception.Message | Should -Match ([regex]::Escape($elsewhere)) -Because 'the message names the name'
            "$($refused.Errors[0].TargetObject)" | Should -BeExactly $elsewhere -Because 'the error targets the name'
            $refused.Errors[0].Exception.Message | Should -Match 'the CA said:' -Because 'the CA''s own words are in the message'
            $refused.Errors[0].ErrorDetails.RecommendedAction | Should -Match 'acme-challenge' -Because 'the next step names the challenge path'
            $refused.Output | Should -HaveCount 0 -Because 'no certificate'
            (Get-ScenarioFileNames $www) | Should -HaveCount 0 -Because 'no challenge file or folder is left in the web root'
            Test-Path -LiteralPath $out | Should -BeFalse -Because 'no certificate or key was written'
            Compare-Object $before (Get-DirectorySnapshot $WorkDirectory) -CaseSensitive | Should -BeNullOrEmpty -Because 'a refused order changes nothing on disk'

            $wild = Invoke-ScenarioCommand { Request-AcmeCertificate "*.$elsewhere" @common -WebRoot $www }
            $wild.Errors | Should -HaveCount 1
            $wild.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'AcmeWildcardNeedsDns,*'
            $wild.Errors[0].Exception.Message | Should -Match 'dns-01' -Because 'the message names the challenge a wildcard needs'
            $wild.Output | Should -HaveCount 0 -Because 'nothing issued'
        }

        'AccountLifecycle' {
            $pebble = Start-Pebble
            $common = $pebble.Common
            $created = @(New-AcmeAccount @common -AcceptTermsOfService -Contact 'old@example.test')
            $changed = @(Set-AcmeAccount @common -Contact 'new@example.test')
            ($changed[0].Contact -join ',') | Should -BeExactly 'mailto:new@example.test' -Because 'the contact was replaced'
            $rolled = @(Set-AcmeAccount @common -RollOverKey)
            $rolled[0].AccountUrl | Should -BeExactly $created[0].AccountUrl -Because 'the same account'
            $rolled[0].KeyThumbprint | Should -Not -BeExactly $created[0].KeyThumbprint -Because 'a new key'
            $refreshed = @(Get-AcmeAccount @common -Refresh)
            $refreshed[0].KeyThumbprint | Should -BeExactly $rolled[0].KeyThumbprint -Because 'the CA knows the new key'

            $issued = @(Request-AcmeCertificate (New-ScenarioName 'revoke') @common -KeyAlgorithm ECDSA -ListenPort $pebble.HttpPort -ListenAddress 127.0.0.1)
            $passed = @($issued[0] | Revoke-AcmeCertificate @common -Reason Superseded -PassThru -Confirm:$false)
            $passed[0].Thumbprint | Should -BeExactly $issued[0].Thumbprint -Because '-PassThru emits the certificate'
            $status = Invoke-PebbleManagement -Pebble $pebble -Path ('cert-status-by-serial/' + $issued[0].SerialNumber.TrimStart('0').ToLowerInvariant())
            $status | Should -Match '"Status": "Revoked"' -Because 'pebble says the certificate is revoked'
            $again = Invoke-ScenarioCommand { $issued[0] | Revoke-AcmeCertificate @common -Confirm:$false }
            $again.Errors | Should -HaveCount 1
            $again.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'AcmeAlreadyRevoked,*'

            $disabled = @(Disable-AcmeAccount @common -Confirm:$false)
            $disabled[0].Status | Should -BeExactly 'deactivated' -Because 'the account is deactivated'
            $after = Invoke-ScenarioCommand { Request-AcmeCertificate (New-ScenarioName 'after') @common -ListenPort $pebble.HttpPort -ListenAddress 127.0.0.1 }
            $after.Errors | Should -HaveCount 1
            $after.Errors[0].FullyQualifiedErrorId | Should -BeLikeExactly 'AcmeAccountDeactivated,*'
            $after.Terminating | Should -Not -BeNullOrEmpty -Because 'AcmeAccountDeactivated stops the command (a terminating error)'
        }

        'Renewal' {
            $pebble = Start-Pebble
            $common = $pebble.Common
            $name = New-ScenarioName 'renew'
            $first = @(New-CertRequest $name -KeyAlgorithm ECDSA | Request-AcmeCertificate @common -AcceptTermsOfService -ListenPort $pebble.HttpPort -ListenAddress 127.0.0.1)
            $checked = @($first[0] | Update-AcmeRenewalInfo @common 3>&1)
            $warnings = @($checked | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
            $certificates = @($checked | Where-Object { $_ -isnot [System.Management.Automation.WarningRecord] })
            $warnings | Should -HaveCount 1 -Because 'one warning: the CA offers no renewal information'
            "$($warnings[0])" | Should -Match 'no renewal information' -Because 'the warning says why'
            $certificates[0].RenewAfter | Should -Be $first[0].RenewAfter -Because 'the module''s rule still applies'
            $certificates[0].RenewRecommended | Should -BeFalse -Because 'a new certificate is not due'

            $renewed = @(New-CertRequest $name -KeyAlgorithm ECDSA | Request-AcmeCertificate @common -Replaces $first[0] -ListenPort $pebble.HttpPort -ListenAddress 127.0.0.1)
            $renewed[0].Thumbprint | Should -Not -BeExactly $first[0].Thumbprint -Because 'a new certificate'
            ($renewed[0].DnsNames -join ',') | Should -BeExactly ($first[0].DnsNames -join ',') -Because 'for the same names'
        }

        'ApacheSite' {
            $httpPort = (Get-FreeTcpPorts -Count 1)[0]
            $httpsPort = (Get-FreeTcpPorts -Count 1)[0]
            $pebble = Start-Pebble -HttpPort $httpPort
            $common = $pebble.Common
            $site = New-ScenarioName 'site'
            $httpd = New-ScenarioHttpd -HttpPort $httpPort -SiteName $site
            Invoke-ScenarioHttpd -Httpd $httpd -Signal start
            Wait-TcpPort -Port $httpPort
            $root = Save-PebbleRoot -Pebble $pebble
            $tls = Join-Path $WorkDirectory 'tls'

            # Issue through the site's DocumentRoot, install, redirect HTTP to HTTPS, reload.
            $results = @(New-CertRequest $site -KeyAlgorithm ECDSA |
                    Request-AcmeCertificate @common -AcceptTermsOfService -ApacheConfigPath $httpd.Config -ApacheHttpPort $httpPort |
                    Export-CertPem -OutputDirectory $tls |
                    Set-ApacheSsl $site -ConfigPath $httpd.Config -Port $httpsPort -ListenAddress 127.0.0.1 |
                    Enable-HttpsRedirect -ConfigPath $httpd.Config -HttpPort $httpPort -ListenAddress 127.0.0.1 -Reload)
            $results[0].Changed | Should -BeTrue -Because 'the redirect was configured'
            (Get-ScenarioFileNames $httpd.DocumentRoot) | Should -BeExactly @('index.html') -Because 'the challenge files and folders are gone from the DocumentRoot'
            $installed = @(Import-CertFile (Join-Path $tls 'cert.pem'))
            $served = Wait-ServedThumbprint -Port $httpsPort -ServerName $site -Thumbprint $installed[0].Thumbprint -Root $root
            $served.ChainComplete | Should -BeTrue -Because 'httpd sends the full chain'
            $served.NamesMatch | Should -BeTrue -Because 'for the site''s name'

            # Renewal after the redirect: the challenge path stays on plain HTTP, the new certificate goes live.
            $renewed = @(New-CertRequest $site -KeyAlgorithm ECDSA |
                    Request-AcmeCertificate @common -Replaces $installed[0] -ApacheConfigPath $httpd.Config -ApacheHttpPort $httpPort |
                    Export-CertPem -OutputDirectory $tls -Force)
            $null = $renewed[0] | Set-ApacheSsl $site -ConfigPath $httpd.Config -Port $httpsPort -ListenAddress 127.0.0.1 -Reload
            Invoke-ScenarioHttpd -Httpd $httpd -Signal graceful
            $null = Wait-ServedThumbprint -Port $httpsPort -ServerName $site -Thumbprint $renewed[0].Thumbprint -Root $root
            $renewed[0].Thumbprint | Should -Not -BeExactly $installed[0].Thumbprint -Because 'the renewal is a new certificate'
        }
    }
}
finally {
    Stop-ScenarioHttpd $httpd
    Stop-Pebble $pebble
}
