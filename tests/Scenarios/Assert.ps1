<#
.SYNOPSIS
    What the scenario scripts need beside Pester's Should. Dot-sourced by every scenario; not a scenario itself.

.DESCRIPTION
    Every scenario runs twice: through Invoke-Pester on pwsh (tests/Pester) and in the engine the xunit tests host
    (tests/CertCmdlets.Tests, Microsoft.PowerShell.SDK with the same Pester imported). Both have pwsh's cmdlets and
    Pester, so the scenarios check with Should (-BeExactly, -HaveCount, -Match, -Throw...) and this file keeps only
    what Pester does not offer: the work directory, directory snapshots and file modes, collecting every error of a
    command, test material made by the module, openssl as a peer (invocation, public keys, thumbprints), and the
    marker a scenario returns when a peer is missing.

    A scenario that needs a peer program it cannot find returns the marker made by New-ScenarioSkipped
    (type name CertCmdlets.ScenarioSkipped) instead of running; under CI=true, or when the caller insists
    (-Require), it throws instead, so a missing peer never passes silently.
#>

Set-StrictMode -Version 3.0

# ---------------------------------------------------------------------------------------------------------------
# The work directory and files
# ---------------------------------------------------------------------------------------------------------------

function Initialize-ScenarioDirectory {
    <#
    .SYNOPSIS
        The scenario's work directory as a full path (a relative one is taken from the PowerShell location),
        created when missing. It must be empty: every scenario starts from nothing and may snapshot it.
    #>
    param([Parameter(Mandatory, Position = 0)][string] $Path)

    $full = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)
    $null = New-Item -ItemType Directory -Path $full -Force
    if (Get-ChildItem -LiteralPath $full -Force) {
        throw "The work directory '$full' is not empty. Give each scenario run a new, empty directory."
    }

    return $full
}

function Get-ScenarioFileMode {
    # A file's Unix permission bits as octal text ('600'); $null on Windows, which has no Unix modes.
    param([Parameter(Mandatory, Position = 0)][string] $Path)

    if ($IsWindows) {
        return $null
    }

    return [System.Convert]::ToString([int] (Get-Item -LiteralPath $Path -Force).UnixFileMode, 8)
}

function Get-ScenarioFileNames {
    # The names of the entries directly in -Path (hidden ones included), sorted ordinally as the expected lists are.
    param([Parameter(Mandatory, Position = 0)][string] $Path)

    [string[]] $names = @(Get-ChildItem -LiteralPath $Path -Force -Name)
    [System.Array]::Sort($names, [System.StringComparer]::Ordinal)
    return , $names
}

function Get-DirectorySnapshot {
    <#
    .SYNOPSIS
        Every file and directory under -Path, with each file's SHA-256 and (on Unix) mode: one string per entry,
        sorted. Hidden files (the temporary files of an interrupted write) are included. Compare two with
        Compare-Object -CaseSensitive: nothing in the output means nothing changed.
    #>
    param([Parameter(Mandatory, Position = 0)][string] $Path)

    if (-not (Test-Path -LiteralPath $Path -PathType Container)) {
        return , [string[]] @()
    }

    $items = @(Get-ChildItem -LiteralPath $Path -Recurse -Force)
    $hashes = @{}
    $files = @($items | Where-Object { -not $_.PSIsContainer })
    if ($files.Count -gt 0) {
        Get-FileHash -LiteralPath $files.FullName -Algorithm SHA256 | ForEach-Object { $hashes[$_.Path] = $_.Hash }
    }

    [string[]] $entries = @(foreach ($item in $items) {
            $relative = [System.IO.Path]::GetRelativePath($Path, $item.FullName)
            if ($item.PSIsContainer) {
                $relative + [System.IO.Path]::DirectorySeparatorChar
            }
            elseif ($IsWindows) {
                $relative + ' ' + $hashes[$item.FullName]
            }
            else {
                $relative + ' ' + $hashes[$item.FullName] + ' 0' + [System.Convert]::ToString([int] $item.UnixFileMode, 8)
            }
        })
    [System.Array]::Sort($entries, [System.StringComparer]::Ordinal)
    return , $entries
}

function New-ScenarioCertificate {
    <#
    .SYNOPSIS
        Test material made by the module itself: a self-signed ECDSA certificate and its unencrypted key, written
        as <Name>.crt and <Name>.key into -Directory. Returns the certificate object (with CertificatePath, KeyPath).
    #>
    param(
        [Parameter(Mandatory)][string] $Directory,
        [Parameter(Mandatory)][string] $Name,
        [string] $CommonName = "$Name.example.com",
        [System.Security.SecureString] $KeyPassword
    )

    $parameters = @{
        CommonName      = $CommonName
        SelfSign        = $true
        KeyAlgorithm    = 'ECDSA'
        OutputDirectory = $Directory
        Name            = $Name
    }
    if ($KeyPassword) {
        $parameters['KeyPassword'] = $KeyPassword
    }

    $certificate = New-CertRequest @parameters -ErrorAction Stop
    $certificate | Should -HaveCount 1 -Because "New-CertRequest -SelfSign -OutputDirectory should emit one certificate for '$Name'"
    Test-Path -LiteralPath (Join-Path $Directory "$Name.crt") -PathType Leaf | Should -BeTrue -Because 'New-CertRequest -OutputDirectory writes the certificate'
    Test-Path -LiteralPath (Join-Path $Directory "$Name.key") -PathType Leaf | Should -BeTrue -Because 'New-CertRequest -OutputDirectory writes the key'
    return $certificate
}

# ---------------------------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------------------------

function Invoke-ScenarioCommand {
    <#
    .SYNOPSIS
        Runs a script block and collects what it wrote: output objects and every error (the non-terminating ones
        and the terminating one that stopped it), without letting an error escape. Returns
        [pscustomobject] @{ Output; Errors; Terminating }, for Should to judge: Should -Throw sees only the first,
        terminating error, and a cmdlet that reports one bad input among good ones must be seen to go on.

    .NOTES
        PowerShell scopes are dynamic: the block runs in a child of this function's scope, so it sees this
        function's variables before the scenario's. They are named $scenarioCommand* to stay out of the way; a
        scenario block must not use $ScriptBlock.
    #>
    param([Parameter(Mandatory, Position = 0)][scriptblock] $ScriptBlock)

    # The block sees 'Continue', so every error is collected even when the scenario itself runs with 'Stop'.
    $ErrorActionPreference = 'Continue'
    $scenarioCommandOutput = [System.Collections.Generic.List[object]]::new()
    $scenarioCommandErrors = [System.Collections.Generic.List[System.Management.Automation.ErrorRecord]]::new()
    $scenarioCommandTerminating = $null
    try {
        & $ScriptBlock 2>&1 | ForEach-Object {
            if ($_ -is [System.Management.Automation.ErrorRecord]) {
                $scenarioCommandErrors.Add($_)
            }
            else {
                $scenarioCommandOutput.Add($_)
            }
        }
    }
    catch {
        $scenarioCommandTerminating = $_
        $scenarioCommandErrors.Add($_)
    }

    return [pscustomobject] @{
        Output      = $scenarioCommandOutput.ToArray()
        Errors      = $scenarioCommandErrors.ToArray()
        Terminating = $scenarioCommandTerminating
    }
}

# ---------------------------------------------------------------------------------------------------------------
# Peers
# ---------------------------------------------------------------------------------------------------------------

function New-ScenarioSkipped {
    # The marker a scenario returns when it could not run. Pester turns it into Set-ItResult -Skipped; the xunit
    # tests never accept it.
    param([Parameter(Mandatory)][string] $Reason)

    return [pscustomobject] @{
        PSTypeName = 'CertCmdlets.ScenarioSkipped'
        Skipped    = $true
        Reason     = $Reason
    }
}

function Get-OpenSslSkip {
    <#
    .SYNOPSIS
        $null when openssl is on PATH. Otherwise: throws under CI=true or with -Require, else returns the skipped marker.
        Use: $skip = Get-OpenSslSkip -Require:$RequireOpenSsl; if ($skip) { return $skip }
    #>
    param([switch] $Require)

    if (Get-Command -Name openssl -CommandType Application -ErrorAction SilentlyContinue) {
        return $null
    }

    if ($Require -or $env:CI -eq 'true') {
        throw 'openssl is required for this scenario and is not on PATH (CI=true or -RequireOpenSsl). Install OpenSSL (Debian: apt-get install openssl).'
    }

    return New-ScenarioSkipped -Reason 'openssl is not installed; this scenario checks interoperability with it (under CI=true it fails instead).'
}

function Invoke-OpenSsl {
    <#
    .SYNOPSIS
        Runs openssl with the arguments given and returns its output (stdout and stderr) as one string. Throws with
        that output when openssl exits non-zero, unless -AllowFailure, which returns
        [pscustomobject] @{ ExitCode; Output } instead.
        -Password goes to openssl through a fresh environment variable (never the command line), named by
        -PasswordOption ('-passin' to read, '-passout' or '-pass' to write); the variable is removed afterwards.
        Relative paths are resolved by openssl against the PowerShell location, where PowerShell starts it.
    #>
    param(
        [Parameter(Mandatory, Position = 0)][string[]] $ArgumentList,
        [string] $Password,
        [string] $PasswordOption = '-passin',
        [switch] $AllowFailure
    )

    $ErrorActionPreference = 'Continue'
    $PSNativeCommandUseErrorActionPreference = $false
    $arguments = [System.Collections.Generic.List[string]]::new()
    $arguments.AddRange($ArgumentList)
    $variable = $null
    if ($PSBoundParameters.ContainsKey('Password')) {
        $variable = 'CERTCMDLETS_SCENARIO_PW_' + [guid]::NewGuid().ToString('N')
        Set-Item -LiteralPath "Env:$variable" -Value $Password
        $arguments.Add($PasswordOption)
        $arguments.Add("env:$variable")
    }

    try {
        $argv = $arguments.ToArray()
        $lines = & openssl @argv 2>&1 | ForEach-Object { "$_" }
        $exitCode = $LASTEXITCODE
    }
    finally {
        if ($null -ne $variable) {
            Remove-Item -LiteralPath "Env:$variable" -ErrorAction SilentlyContinue
        }
    }

    $text = @($lines) -join [System.Environment]::NewLine
    if ($AllowFailure) {
        # The failure was expected and is the caller's to check: do not leave it as the exit code of the script.
        $global:LASTEXITCODE = 0
        return [pscustomobject] @{ ExitCode = $exitCode; Output = $text }
    }

    if ($exitCode -ne 0) {
        throw "openssl $($ArgumentList -join ' ') exited with $exitCode`: $text"
    }

    return $text
}

function Get-OpenSslPublicKey {
    # The public key (SPKI PEM) that openssl reads from a key, request or certificate file.
    param(
        [Parameter(Mandatory)][ValidateSet('Key', 'Request', 'Certificate')][string] $Kind,
        [Parameter(Mandatory)][string] $Path,
        [string] $Password
    )

    $output = switch ($Kind) {
        'Key' {
            if ($PSBoundParameters.ContainsKey('Password')) {
                Invoke-OpenSsl -ArgumentList @('pkey', '-in', $Path, '-pubout') -Password $Password
            }
            else {
                Invoke-OpenSsl -ArgumentList @('pkey', '-in', $Path, '-pubout', '-passin', 'pass:')
            }
        }
        'Request' { Invoke-OpenSsl -ArgumentList @('req', '-in', $Path, '-pubkey', '-noout') }
        'Certificate' { Invoke-OpenSsl -ArgumentList @('x509', '-in', $Path, '-pubkey', '-noout') }
    }

    if ($output -notmatch '(?s)-----BEGIN PUBLIC KEY-----.*?-----END PUBLIC KEY-----') {
        throw "openssl printed no public key for '$Path': $output"
    }

    return ($Matches[0] -replace '\r', '')
}

function New-OpenSslSignedCertificate {
    # A key and a certificate made by openssl in -Directory: signed by -Issuer (a name made before in the same
    # directory), or self-signed without one. Returns the certificate's path.
    param(
        [Parameter(Mandatory)][string] $Directory,
        [Parameter(Mandatory)][string] $Name,
        [Parameter(Mandatory)][string] $Subject,
        [Parameter(Mandatory)][string[]] $Extensions,
        [string] $Issuer,
        [string] $Algorithm = 'RSA'
    )

    $key = Join-Path $Directory "$Name.key"
    $request = Join-Path $Directory "$Name.csr"
    $certificate = Join-Path $Directory "$Name.crt"
    $extensionFile = Join-Path $Directory "$Name.ext"
    Set-Content -LiteralPath $extensionFile -Value $Extensions
    if ($Algorithm -eq 'ECDSA') {
        $null = Invoke-OpenSsl -ArgumentList @('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', $key)
    }
    else {
        $null = Invoke-OpenSsl -ArgumentList @('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', $key)
    }

    $null = Invoke-OpenSsl -ArgumentList @('req', '-new', '-key', $key, '-subj', $Subject, '-out', $request)
    # An explicit serial: OpenSSL 1.1.1 would otherwise want a serial file beside the CA.
    $serial = '0x' + [guid]::NewGuid().ToString('N').Substring(0, 16)
    if ($Issuer) {
        $null = Invoke-OpenSsl -ArgumentList @('x509', '-req', '-in', $request, '-CA', (Join-Path $Directory "$Issuer.crt"), '-CAkey', (Join-Path $Directory "$Issuer.key"),
            '-set_serial', $serial, '-days', '30', '-extfile', $extensionFile, '-out', $certificate)
    }
    else {
        $null = Invoke-OpenSsl -ArgumentList @('x509', '-req', '-in', $request, '-signkey', $key, '-set_serial', $serial, '-days', '30', '-extfile', $extensionFile, '-out', $certificate)
    }

    return $certificate
}

function Get-OpenSslThumbprint {
    # The SHA-1 fingerprint openssl computes, as Windows shows a thumbprint (upper-case hex, no colons).
    param([Parameter(Mandatory)][string] $Path)

    $fingerprint = Invoke-OpenSsl -ArgumentList @('x509', '-in', $Path, '-noout', '-fingerprint', '-sha1')
    return (($fingerprint -replace '^.*Fingerprint=', '') -replace ':', '').Trim().ToUpperInvariant()
}

function Get-PemThumbprints {
    # The thumbprints of every certificate in a PEM file, in file order, as .NET reads them.
    param([Parameter(Mandatory)][string] $Path)

    $collection = [System.Security.Cryptography.X509Certificates.X509Certificate2Collection]::new()
    $collection.ImportFromPemFile($Path)
    return , @($collection | ForEach-Object { $_.Thumbprint })
}

# ---------------------------------------------------------------------------------------------------------------
# Programs, ports and plain HTTP (the Apache scenarios)
# ---------------------------------------------------------------------------------------------------------------

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

    if ($IsWindows) {
        return
    }

    (Get-Item -LiteralPath $Path).UnixFileMode = 'UserRead, UserWrite, UserExecute, GroupRead, GroupExecute, OtherRead, OtherExecute'
    Get-ChildItem -LiteralPath $Path -Recurse -Directory | ForEach-Object { $_.UnixFileMode = 'UserRead, UserWrite, UserExecute, GroupRead, GroupExecute, OtherRead, OtherExecute' }
    Get-ChildItem -LiteralPath $Path -Recurse -File | ForEach-Object { $_.UnixFileMode = 'UserRead, UserWrite, GroupRead, OtherRead' }
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

function Get-ScenarioHttpdLog {
    # The error log of a private httpd under -ServerRoot (logs/error.log), for failure messages.
    param([Parameter(Mandatory)][string] $ServerRoot)

    $log = Join-Path $ServerRoot 'logs' 'error.log'
    if (Test-Path -LiteralPath $log -PathType Leaf) {
        return 'error.log: ' + (Get-Content -LiteralPath $log -Raw)
    }

    return '(no error.log)'
}

function Start-ScenarioHttpd {
    # httpd -k start (it detaches once its configuration is read); fails with httpd's words and error log when one of
    # -Ports does not come up.
    param([Parameter(Mandatory)][string] $Program, [Parameter(Mandatory)][string] $ServerRoot, [Parameter(Mandatory)][string] $Config, [Parameter(Mandatory)][int[]] $Ports)

    $start = Invoke-ScenarioNative -FilePath $Program -ArgumentList @('-d', $ServerRoot, '-f', $Config, '-k', 'start')
    if ($start.ExitCode -ne 0 -or @($Ports | Where-Object { -not (Wait-TcpPort -Port $_) }).Count -gt 0) {
        throw "The private httpd did not start (exit $($start.ExitCode)): $($start.Output) $(Get-ScenarioHttpdLog -ServerRoot $ServerRoot)"
    }
}

function Stop-ScenarioHttpd {
    # httpd -k stop, then waits (bounded) until the main process is gone, so no worker keeps the ports.
    param([Parameter(Mandatory)][string] $Program, [Parameter(Mandatory)][string] $ServerRoot, [Parameter(Mandatory)][string] $Config)

    $pidFile = Join-Path $ServerRoot 'logs' 'httpd.pid'
    if (-not (Test-Path -LiteralPath $pidFile -PathType Leaf)) {
        return
    }

    $mainPid = [int] (Get-Content -LiteralPath $pidFile -Raw).Trim()
    $null = Invoke-ScenarioNative -FilePath $Program -ArgumentList @('-d', $ServerRoot, '-f', $Config, '-k', 'stop')
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
