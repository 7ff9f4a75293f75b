<#
.SYNOPSIS
    The assertion helpers the scenario scripts dot-source. Not a scenario itself.

.DESCRIPTION
    Every scenario runs in two places: on a user's pwsh 7.6 (through the Pester files in tests/Pester) and on
    the engine the xunit tests host (tests/CertCmdlets.Tests), which has only the Microsoft.PowerShell.Core
    cmdlets. So these helpers use nothing but Core cmdlets (ForEach-Object, Where-Object, Get-Command) and
    .NET calls: no Join-Path, Test-Path, Get-Content, Out-String or Format-*.

    Each assertion throws a message that says what was expected and what was found; the first failure ends
    the scenario.

    A scenario that needs a peer program it cannot find returns the marker made by New-ScenarioSkipped
    (type name CertCmdlets.ScenarioSkipped) instead of running; under CI=true, or when the caller insists
    (-Require), it throws instead, so a missing peer never passes silently.
#>

Set-StrictMode -Version 3.0

# ---------------------------------------------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------------------------------------------

function Format-ScenarioValue {
    # A value as an assertion message shows it: strings quoted, arrays as @(...), $null as $null.
    param([AllowNull()][object] $Value)

    if ($null -eq $Value) {
        return '$null'
    }

    if ($Value -is [string]) {
        return "'$Value'"
    }

    if ($Value -is [System.Collections.IEnumerable]) {
        $items = @($Value | ForEach-Object { Format-ScenarioValue $_ })
        return '@(' + ($items -join ', ') + ')'
    }

    return "$Value"
}

function Assert-True {
    # Passes only for the boolean $true (not for "truthy" values, which hide mistakes).
    param(
        [Parameter(Position = 0)][AllowNull()][object] $Condition,
        [Parameter(Mandatory, Position = 1)][string] $Because
    )

    if (-not ($Condition -is [bool] -and $Condition)) {
        throw "Expected true: $Because (got $(Format-ScenarioValue $Condition))."
    }
}

function Assert-False {
    param(
        [Parameter(Position = 0)][AllowNull()][object] $Condition,
        [Parameter(Mandatory, Position = 1)][string] $Because
    )

    if (-not ($Condition -is [bool] -and -not $Condition)) {
        throw "Expected false: $Because (got $(Format-ScenarioValue $Condition))."
    }
}

function Assert-Equal {
    # Case-sensitive for strings; arrays are compared item by item, in order.
    param(
        [Parameter(Position = 0)][AllowNull()][object] $Expected,
        [Parameter(Position = 1)][AllowNull()][object] $Actual,
        [Parameter(Mandatory, Position = 2)][string] $Because
    )

    $same = $true
    $expectedIsList = $Expected -is [System.Collections.IEnumerable] -and $Expected -isnot [string]
    $actualIsList = $Actual -is [System.Collections.IEnumerable] -and $Actual -isnot [string]
    if ($expectedIsList -or $actualIsList) {
        $expectedItems = @($Expected)
        $actualItems = @($Actual)
        if ($expectedItems.Count -ne $actualItems.Count) {
            $same = $false
        }
        else {
            for ($i = 0; $i -lt $expectedItems.Count; $i++) {
                if (-not ($expectedItems[$i] -ceq $actualItems[$i])) {
                    $same = $false
                }
            }
        }
    }
    elseif ($null -eq $Expected -or $null -eq $Actual) {
        $same = $null -eq $Expected -and $null -eq $Actual
    }
    else {
        $same = $Expected -ceq $Actual
    }

    if (-not $same) {
        throw "Expected $(Format-ScenarioValue $Expected) but got $(Format-ScenarioValue $Actual): $Because."
    }
}

function Assert-NotEqual {
    param(
        [Parameter(Position = 0)][AllowNull()][object] $Unexpected,
        [Parameter(Position = 1)][AllowNull()][object] $Actual,
        [Parameter(Mandatory, Position = 2)][string] $Because
    )

    if ($Unexpected -ceq $Actual) {
        throw "Expected anything but $(Format-ScenarioValue $Unexpected): $Because."
    }
}

function Assert-Match {
    # Regular expression match (case-insensitive, like -match).
    param(
        [Parameter(Position = 0)][AllowNull()][string] $Actual,
        [Parameter(Mandatory, Position = 1)][string] $Pattern,
        [Parameter(Mandatory, Position = 2)][string] $Because
    )

    if ($null -eq $Actual -or $Actual -notmatch $Pattern) {
        throw "Expected $(Format-ScenarioValue $Actual) to match /$Pattern/: $Because."
    }
}

function Assert-NotMatch {
    param(
        [Parameter(Position = 0)][AllowNull()][string] $Actual,
        [Parameter(Mandatory, Position = 1)][string] $Pattern,
        [Parameter(Mandatory, Position = 2)][string] $Because
    )

    if ($null -ne $Actual -and $Actual -match $Pattern) {
        throw "Expected $(Format-ScenarioValue $Actual) not to match /$Pattern/: $Because."
    }
}

function Assert-Count {
    param(
        [Parameter(Mandatory, Position = 0)][int] $Expected,
        [Parameter(Position = 1)][AllowNull()][object] $Collection,
        [Parameter(Mandatory, Position = 2)][string] $Because
    )

    $items = @($Collection)
    if ($items.Count -ne $Expected) {
        throw "Expected $Expected item(s) but got $($items.Count) $(Format-ScenarioValue $items): $Because."
    }
}

function Assert-Contains {
    param(
        [Parameter(Position = 0)][AllowNull()][object] $Collection,
        [Parameter(Position = 1)][AllowNull()][object] $Item,
        [Parameter(Mandatory, Position = 2)][string] $Because
    )

    if (-not (@($Collection) -ccontains $Item)) {
        throw "Expected $(Format-ScenarioValue $Collection) to contain $(Format-ScenarioValue $Item): $Because."
    }
}

# ---------------------------------------------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------------------------------------------

function Assert-FileExists {
    param(
        [Parameter(Mandatory, Position = 0)][string] $Path,
        [Parameter(Position = 1)][string] $Because = 'the command should have written it'
    )

    if (-not [System.IO.File]::Exists($Path)) {
        throw "Expected the file '$Path' to exist: $Because."
    }
}

function Assert-FileMissing {
    param(
        [Parameter(Mandatory, Position = 0)][string] $Path,
        [Parameter(Position = 1)][string] $Because = 'the command should not have written it'
    )

    if ([System.IO.File]::Exists($Path) -or [System.IO.Directory]::Exists($Path)) {
        throw "Expected nothing at '$Path': $Because."
    }
}

function Test-ScenarioOnWindows {
    # $IsWindows does not exist on Windows PowerShell 5.1 (where the answer is always yes): -or stops before it.
    return ($PSVersionTable.PSEdition -eq 'Desktop') -or $IsWindows
}

function Get-UnixFileModeText {
    # The mode as octal text ('600'); $null on Windows, which has no Unix modes.
    param([Parameter(Mandatory)][string] $Path)

    if (Test-ScenarioOnWindows) {
        return $null
    }

    return [System.Convert]::ToString([int][System.IO.File]::GetUnixFileMode($Path), 8)
}

function Assert-FileMode {
    # Unix permission bits as octal text, e.g. '600'. Skipped on Windows, where ACLs decide instead.
    param(
        [Parameter(Mandatory, Position = 0)][string] $Path,
        [Parameter(Mandatory, Position = 1)][string] $Mode,
        [Parameter(Position = 2)][string] $Because = 'private keys must be readable by their owner only'
    )

    if (Test-ScenarioOnWindows) {
        return
    }

    Assert-FileExists $Path
    $actual = Get-UnixFileModeText -Path $Path
    if ($actual -ne $Mode.TrimStart('0')) {
        throw "Expected '$Path' to have mode 0$($Mode.TrimStart('0')) but it has 0${actual}: $Because."
    }
}

function Get-FileHashText {
    param([Parameter(Mandatory)][string] $Path)

    return [System.Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData([System.IO.File]::ReadAllBytes($Path)))
}

function Get-DirectorySnapshot {
    <#
    .SYNOPSIS
        Every file and directory under -Path, with each file's SHA-256 and (on Unix) mode, sorted: one string per entry.
        Hidden files (the temporary files of an interrupted write) are included.
    #>
    param([Parameter(Mandatory)][string] $Path)

    $entries = [System.Collections.Generic.List[string]]::new()
    if (-not [System.IO.Directory]::Exists($Path)) {
        return , $entries.ToArray()
    }

    foreach ($directory in [System.IO.Directory]::EnumerateDirectories($Path, '*', [System.IO.SearchOption]::AllDirectories)) {
        $entries.Add([System.IO.Path]::GetRelativePath($Path, $directory) + [System.IO.Path]::DirectorySeparatorChar)
    }

    foreach ($file in [System.IO.Directory]::EnumerateFiles($Path, '*', [System.IO.SearchOption]::AllDirectories)) {
        $entry = [System.IO.Path]::GetRelativePath($Path, $file) + ' ' + (Get-FileHashText -Path $file)
        $mode = Get-UnixFileModeText -Path $file
        if ($null -ne $mode) {
            $entry += ' 0' + $mode
        }

        $entries.Add($entry)
    }

    $sorted = $entries.ToArray()
    [System.Array]::Sort($sorted, [System.StringComparer]::Ordinal)
    return , $sorted
}

function Assert-DirectoryUnchanged {
    # Compares a snapshot taken before a failing command with the directory now: same names, bytes and modes.
    param(
        [Parameter(Mandatory, Position = 0)][AllowEmptyCollection()][string[]] $Before,
        [Parameter(Mandatory, Position = 1)][string] $Path,
        [Parameter(Position = 2)][string] $Because = 'a command that fails must leave the disk as it was'
    )

    $after = Get-DirectorySnapshot -Path $Path
    $added = @($after | Where-Object { $Before -cnotcontains $_ })
    $removed = @($Before | Where-Object { $after -cnotcontains $_ })
    if ($added.Count -gt 0 -or $removed.Count -gt 0) {
        throw "Expected '$Path' to be unchanged: $Because. New or changed: $(Format-ScenarioValue $added); gone or changed: $(Format-ScenarioValue $removed)."
    }
}

function Get-ScenarioFileNames {
    # The names of the entries directly in -Path, sorted ordinally (Sort-Object is not a Core cmdlet).
    param([Parameter(Mandatory, Position = 0)][string] $Path)

    $names = @([System.IO.Directory]::GetFileSystemEntries($Path) | ForEach-Object { [System.IO.Path]::GetFileName($_) })
    [System.Array]::Sort($names, [System.StringComparer]::Ordinal)
    return , $names
}

function New-ScenarioDirectory {
    # A new empty directory under the scenario's work directory.
    param(
        [Parameter(Mandatory)][string] $Parent,
        [Parameter(Mandatory)][string] $Name
    )

    $path = [System.IO.Path]::Combine($Parent, $Name)
    $null = [System.IO.Directory]::CreateDirectory($path)
    return $path
}

function Initialize-ScenarioDirectory {
    <#
    .SYNOPSIS
        The scenario's work directory as a full path (a relative one is taken from the PowerShell location),
        created when missing. It must be empty: every scenario starts from nothing and may snapshot it.
    #>
    param([Parameter(Mandatory, Position = 0)][string] $Path)

    $full = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($Path)
    $null = [System.IO.Directory]::CreateDirectory($full)
    if (@([System.IO.Directory]::GetFileSystemEntries($full)).Count -gt 0) {
        throw "The work directory '$full' is not empty. Give each scenario run a new, empty directory."
    }

    return $full
}

function Enter-ScenarioLocation {
    # Makes -Path the PowerShell location (not the process directory). Pair with Exit-ScenarioLocation in a finally.
    param([Parameter(Mandatory, Position = 0)][string] $Path)

    $ExecutionContext.SessionState.Path.PushCurrentLocation('')
    $null = $ExecutionContext.SessionState.Path.SetLocation($Path)
}

function Exit-ScenarioLocation {
    $null = $ExecutionContext.SessionState.Path.PopLocation('')
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
    Assert-Count 1 $certificate "New-CertRequest -SelfSign -OutputDirectory should emit one certificate for '$Name'"
    Assert-FileExists ([System.IO.Path]::Combine($Directory, "$Name.crt"))
    Assert-FileExists ([System.IO.Path]::Combine($Directory, "$Name.key"))
    return $certificate
}

# ---------------------------------------------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------------------------------------------

function Invoke-ScenarioCommand {
    <#
    .SYNOPSIS
        Runs a script block and collects what it wrote: output objects, every error (non-terminating ones and the
        terminating one that stopped it), without letting an error escape. Returns
        [pscustomobject] @{ Output; Errors; Terminating }.

    .NOTES
        PowerShell scopes are dynamic: the block runs in a child of this function's scope, so it sees this
        function's variables before the scenario's. They are named $scenarioCommand* to stay out of the way;
        scenario blocks must not use the parameter names of this function and Assert-ErrorId ($ScriptBlock,
        $ErrorId, $Count, $Category, $Terminating, $MessagePattern).
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

function Assert-ErrorId {
    <#
    .SYNOPSIS
        Runs the block, collecting its errors (see Invoke-ScenarioCommand), and checks that it reported exactly
        -Count errors (default 1), each with a FullyQualifiedErrorId that starts with '<ErrorId>,'. Optionally checks
        the category, that the error stopped the command (-Terminating) and that the message matches -MessagePattern.
        Returns the collected result, so the scenario can check the output that came with the error.
    #>
    param(
        [Parameter(Mandatory, Position = 0)][scriptblock] $ScriptBlock,
        [Parameter(Mandatory, Position = 1)][string] $ErrorId,
        [int] $Count = 1,
        [System.Management.Automation.ErrorCategory] $Category,
        [switch] $Terminating,
        [string] $MessagePattern
    )

    $result = Invoke-ScenarioCommand $ScriptBlock
    $ids = @($result.Errors | ForEach-Object { $_.FullyQualifiedErrorId })
    $described = @($result.Errors | ForEach-Object { "$($_.FullyQualifiedErrorId): $($_.Exception.Message)" })
    if ($ids.Count -ne $Count) {
        throw "Expected $Count error(s) '$ErrorId' from { $($ScriptBlock.ToString().Trim()) } but got $($ids.Count): $(Format-ScenarioValue $described)."
    }

    foreach ($record in $result.Errors) {
        if (-not $record.FullyQualifiedErrorId.StartsWith("$ErrorId,", [System.StringComparison]::Ordinal)) {
            throw "Expected the error id '$ErrorId,...' from { $($ScriptBlock.ToString().Trim()) } but got '$($record.FullyQualifiedErrorId)': $($record.Exception.Message)"
        }

        if ($PSBoundParameters.ContainsKey('Category') -and $record.CategoryInfo.Category -ne $Category) {
            throw "Expected the error '$ErrorId' to have the category $Category but it has $($record.CategoryInfo.Category)."
        }

        if ($MessagePattern -and $record.Exception.Message -notmatch $MessagePattern) {
            throw "Expected the message of '$ErrorId' to match /$MessagePattern/ but it is: $($record.Exception.Message)"
        }
    }

    if ($Terminating -and $null -eq $result.Terminating) {
        throw "Expected '$ErrorId' to stop the command (a terminating error), but it was reported as non-terminating."
    }

    return $result
}

function Assert-NoError {
    # Runs the block and fails with every error it reported; returns its output.
    param([Parameter(Mandatory, Position = 0)][scriptblock] $ScriptBlock)

    $result = Invoke-ScenarioCommand $ScriptBlock
    if ($result.Errors.Count -gt 0) {
        $described = @($result.Errors | ForEach-Object { "$($_.FullyQualifiedErrorId): $($_.Exception.Message)" })
        throw "Expected no error from { $($ScriptBlock.ToString().Trim()) } but got: $(Format-ScenarioValue $described)."
    }

    return , $result.Output
}

# ---------------------------------------------------------------------------------------------------------------
# Secrets
# ---------------------------------------------------------------------------------------------------------------

function New-ScenarioSecureString {
    # ConvertTo-SecureString is not a Core cmdlet; build the SecureString by hand.
    param([Parameter(Mandatory)][string] $Text)

    $secure = [System.Security.SecureString]::new()
    foreach ($character in $Text.ToCharArray()) {
        $secure.AppendChar($character)
    }

    $secure.MakeReadOnly()
    return $secure
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

function Test-ScenarioSkipped {
    # True when a scenario's output holds the skipped marker.
    param([Parameter(Position = 0)][AllowNull()][object[]] $Output)

    return [bool](@($Output | Where-Object { $null -ne $_ -and $_.PSObject.TypeNames -contains 'CertCmdlets.ScenarioSkipped' }).Count -gt 0)
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
        [System.Environment]::SetEnvironmentVariable($variable, $Password)
        $arguments.Add($PasswordOption)
        $arguments.Add("env:$variable")
    }

    $argv = $arguments.ToArray()
    try {
        $lines = & openssl @argv 2>&1 | ForEach-Object { "$_" }
        $exitCode = $LASTEXITCODE
    }
    finally {
        if ($null -ne $variable) {
            [System.Environment]::SetEnvironmentVariable($variable, $null)
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

    $match = [regex]::Match($output, '-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----')
    if (-not $match.Success) {
        throw "openssl printed no public key for '$Path': $output"
    }

    return ($match.Value -replace '\r', '')
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

    $key = [System.IO.Path]::Combine($Directory, "$Name.key")
    $request = [System.IO.Path]::Combine($Directory, "$Name.csr")
    $certificate = [System.IO.Path]::Combine($Directory, "$Name.crt")
    $extensionFile = [System.IO.Path]::Combine($Directory, "$Name.ext")
    [System.IO.File]::WriteAllText($extensionFile, ($Extensions -join "`n") + "`n")
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
        $null = Invoke-OpenSsl -ArgumentList @('x509', '-req', '-in', $request, '-CA', [System.IO.Path]::Combine($Directory, "$Issuer.crt"), '-CAkey', [System.IO.Path]::Combine($Directory, "$Issuer.key"),
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
