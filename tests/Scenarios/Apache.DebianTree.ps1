<#
.SYNOPSIS
    Set-ApacheSsl and Enable-HttpsRedirect on a copy of a stock Debian /etc/apache2 tree: a new site file in
    sites-available, relative links in sites-enabled and mods-enabled as a2ensite and a2enmod make them, and a
    configuration httpd accepts.

.DESCRIPTION
    The tree comes from the shared corpus (debian_apache_2_4/default_vhost/apache2, beside the repository in
    ../shared/apache-corpus) and is copied into the work directory; the corpus itself is never touched. The copy is
    made runnable as a real server would be: the corpus stores its *-enabled symbolic links as small text files
    naming their target, so they become links again; the modules the corpus leaves out (mpm_event, authz_core and
    mod_ssl's dependencies, from /usr/lib/apache2/modules) get their mods-available/*.load files; and envvars points
    the run, lock and log folders into the work directory. httpd -t (with the tree's envvars) passes before anything.

    Then Set-ApacheSsl -ConfigPath <copy> for www.example.test (port 443, which ports.conf already listens on for
    mod_ssl) must create sites-available/www.example.test-ssl.conf and the relative link to it in sites-enabled,
    enable ssl and its dependencies with relative links, change no existing file, and pass httpd -t (which the
    editor runs with the tree's envvars; the scenario runs it again itself). Enable-HttpsRedirect adds the port-80
    site the same way. Both, run again, change nothing.

.PARAMETER WorkDirectory
    An empty (or new) directory the scenario may fill.

.PARAMETER CorpusDirectory
    The apache-corpus folder; by default ../shared/apache-corpus beside the repository root.

.PARAMETER RequireApache
    Throw when Debian's apache2 or the corpus is missing instead of returning the skipped marker (implied by
    CI=true, except on Windows).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)][string] $WorkDirectory,
    [string] $CorpusDirectory = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($PSScriptRoot, '..', '..', '..', 'shared', 'apache-corpus')),
    [switch] $RequireApache
)

$ErrorActionPreference = 'Stop'
. ([System.IO.Path]::Combine($PSScriptRoot, 'Assert.ps1'))

$httpdProgram = '/usr/sbin/apache2'
$httpdModules = '/usr/lib/apache2/modules'
$siteName = 'www.example.test'

if (Test-ScenarioOnWindows) {
    return New-ScenarioSkipped -Reason "Debian's apache2 does not exist on Windows; the Apache scenarios run on Linux."
}

$corpusTree = [System.IO.Path]::Combine($CorpusDirectory, 'debian_apache_2_4', 'default_vhost', 'apache2')
foreach ($needed in @(
        @{ Present = [System.IO.File]::Exists($httpdProgram) -and [System.IO.Directory]::Exists($httpdModules); What = "Debian's apache2 ($httpdProgram)"; Fix = 'apt-get install apache2' }
        @{ Present = [System.IO.File]::Exists([System.IO.Path]::Combine($corpusTree, 'apache2.conf')); What = "the Debian tree of the Apache corpus ($corpusTree)"; Fix = 'check out shared/ beside the repository' }
    )) {
    if (-not $needed.Present) {
        if ($RequireApache -or $env:CI -eq 'true') {
            throw "$($needed.What) is required for this scenario (CI=true or -RequireApache): $($needed.Fix)."
        }

        return New-ScenarioSkipped -Reason "$($needed.What) is missing; this scenario edits a Debian tree and runs httpd -t on it (under CI=true it fails instead)."
    }
}

function Invoke-ScenarioNative {
    # Runs a program; returns @{ ExitCode; Output } (stdout and stderr as one string). Never throws on a non-zero exit.
    param(
        [Parameter(Mandatory)][string] $FilePath,
        [string[]] $ArgumentList = @()
    )

    $ErrorActionPreference = 'Continue'
    $PSNativeCommandUseErrorActionPreference = $false
    $lines = & $FilePath @ArgumentList 2>&1 | ForEach-Object { "$_" }
    $exitCode = $LASTEXITCODE
    $global:LASTEXITCODE = 0
    return [pscustomobject] @{ ExitCode = $exitCode; Output = (@($lines) -join "`n") }
}

function Copy-DebianTree {
    # Copies -Source to -Destination (files 644, folders 755); a file in a *-enabled folder whose whole content is
    # '../<folder>/<file>' naming a file of the tree is the corpus's stand-in for a symbolic link: it becomes one.
    param([Parameter(Mandatory)][string] $Source, [Parameter(Mandatory)][string] $Destination)

    $directoryMode = [System.IO.UnixFileMode] 'UserRead, UserWrite, UserExecute, GroupRead, GroupExecute, OtherRead, OtherExecute'
    $fileMode = [System.IO.UnixFileMode] 'UserRead, UserWrite, GroupRead, OtherRead'
    $null = [System.IO.Directory]::CreateDirectory($Destination)
    [System.IO.File]::SetUnixFileMode($Destination, $directoryMode)
    foreach ($directory in [System.IO.Directory]::EnumerateDirectories($Source, '*', [System.IO.SearchOption]::AllDirectories)) {
        $copy = [System.IO.Path]::Combine($Destination, [System.IO.Path]::GetRelativePath($Source, $directory))
        $null = [System.IO.Directory]::CreateDirectory($copy)
        [System.IO.File]::SetUnixFileMode($copy, $directoryMode)
    }

    $links = 0
    foreach ($file in [System.IO.Directory]::EnumerateFiles($Source, '*', [System.IO.SearchOption]::AllDirectories)) {
        $relative = [System.IO.Path]::GetRelativePath($Source, $file)
        $copy = [System.IO.Path]::Combine($Destination, $relative)
        $folder = [System.IO.Path]::GetFileName([System.IO.Path]::GetDirectoryName($file))
        $content = [System.IO.File]::ReadAllText($file).Trim()
        $target = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine([System.IO.Path]::GetDirectoryName($file), $content))
        if ($folder.EndsWith('-enabled') -and $content -match '^\.\./[\w.-]+/[\w.-]+$' -and [System.IO.File]::Exists($target)) {
            $null = [System.IO.File]::CreateSymbolicLink($copy, $content)
            $links++
        }
        else {
            [System.IO.File]::Copy($file, $copy)
            [System.IO.File]::SetUnixFileMode($copy, $fileMode)
        }
    }

    return $links
}

function New-RelativeLink {
    # As a2enmod does: <tree>/mods-enabled/<name> -> ../mods-available/<name>.
    param([Parameter(Mandatory)][string] $Tree, [Parameter(Mandatory)][string] $Name)

    $null = [System.IO.File]::CreateSymbolicLink([System.IO.Path]::Combine($Tree, 'mods-enabled', $Name), "../mods-available/$Name")
}

function Assert-RelativeLink {
    param([Parameter(Mandatory)][string] $Path, [Parameter(Mandatory)][string] $Target, [Parameter(Mandatory)][string] $Because)

    $info = [System.IO.FileInfo]::new($Path)
    Assert-True $info.Exists "'$Path' exists: $Because"
    Assert-Equal $Target $info.LinkTarget "'$Path' is a relative symbolic link to '$Target': $Because"
    Assert-True ([System.IO.File]::Exists([System.IO.Path]::GetFullPath([System.IO.Path]::Combine($info.DirectoryName, $Target)))) "the link '$Path' resolves: $Because"
}

function Assert-TreeConfigTest {
    # httpd -t as apache2ctl runs it: the tree's envvars sourced first.
    param([Parameter(Mandatory)][string] $Tree, [Parameter(Mandatory)][string] $Because)

    $test = Invoke-ScenarioNative -FilePath '/bin/sh' -ArgumentList @('-c', '. "$1/envvars" && exec "$2" -t -d "$1" -f "$1/apache2.conf"', 'sh', $Tree, $httpdProgram)
    Assert-Equal 0 $test.ExitCode "httpd -t with the tree's envvars passes: $Because ($($test.Output))"
    Assert-Match $test.Output 'Syntax OK' "httpd -t says Syntax OK: $Because"
}

$WorkDirectory = Initialize-ScenarioDirectory $WorkDirectory

# --- The copied tree, made runnable -------------------------------------------------------------------------------
$tree = [System.IO.Path]::Combine($WorkDirectory, 'apache2')
$links = Copy-DebianTree -Source $corpusTree -Destination $tree
Assert-True ($links -ge 1) "the corpus's sites-enabled entry became a symbolic link ($links link(s))"
Assert-RelativeLink ([System.IO.Path]::Combine($tree, 'sites-enabled', '000-default.conf')) '../sites-available/000-default.conf' 'the default site is enabled as on Debian'

$null = [System.IO.Directory]::CreateDirectory([System.IO.Path]::Combine($tree, 'mods-enabled'))
foreach ($module in 'mpm_event', 'authz_core', 'dir', 'mime', 'setenvif', 'socache_shmcb', 'rewrite', 'headers') {
    $load = [System.IO.Path]::Combine($tree, 'mods-available', "$module.load")
    if (-not [System.IO.File]::Exists($load)) {
        [System.IO.File]::WriteAllText($load, "LoadModule ${module}_module $httpdModules/mod_$module.so`n")
    }
}

foreach ($enabled in 'mpm_event.load', 'authz_core.load', 'dir.load') {
    New-RelativeLink -Tree $tree -Name $enabled
}

$runtime = @{ APACHE_RUN_DIR = 'run'; APACHE_LOCK_DIR = 'lock'; APACHE_LOG_DIR = 'log' }
$envvars = [System.IO.Path]::Combine($tree, 'envvars')
$text = [System.IO.File]::ReadAllText($envvars)
foreach ($name in $runtime.Keys) {
    $folder = New-ScenarioDirectory -Parent $WorkDirectory -Name $runtime[$name]
    $text = [regex]::Replace($text, "(?m)^export $name=.*$", "export $name=$folder")
}

$text = [regex]::Replace($text, '(?m)^export APACHE_PID_FILE=.*$', 'export APACHE_PID_FILE=' + [System.IO.Path]::Combine($WorkDirectory, 'run', 'apache2.pid'))
[System.IO.File]::WriteAllText($envvars, $text)
Assert-TreeConfigTest -Tree $tree -Because 'the copied tree is valid before the module touches it'

# --- The certificate ---------------------------------------------------------------------------------------------
$root = New-CertAuthority 'Example Test Root' -Name 'root' -KeyAlgorithm ECDSA -OutputDirectory ([System.IO.Path]::Combine($WorkDirectory, 'ca'))
$issuing = New-CertAuthority 'Example Test Issuing CA' -Issuer $root -KeyAlgorithm ECDSA
$certificate = New-CertRequest $siteName -KeyAlgorithm ECDSA | Approve-CertRequest -Authority $issuing | Export-CertPem -OutputDirectory ([System.IO.Path]::Combine($WorkDirectory, 'tls'))
Assert-Count 1 $certificate 'the server certificate is exported'

# --- Set-ApacheSsl on the tree's root folder -----------------------------------------------------------------------
$before = Get-DirectorySnapshot $WorkDirectory
$ssl = Assert-NoError { $certificate | Set-ApacheSsl $siteName -ConfigPath $tree }
Assert-Count 1 $ssl 'Set-ApacheSsl emits one result'
Assert-True $ssl[0].Changed 'Set-ApacheSsl changed the tree'
Assert-Equal 443 $ssl[0].Port 'the default port is 443'
Assert-Match $ssl[0].ConfigTest 'Syntax OK' 'the editor ran httpd -t with the tree''s envvars and it passed'

$siteFile = [System.IO.Path]::Combine($tree, 'sites-available', "$siteName-ssl.conf")
Assert-FileExists $siteFile 'Set-ApacheSsl creates sites-available/<name>-ssl.conf'
Assert-RelativeLink ([System.IO.Path]::Combine($tree, 'sites-enabled', "$siteName-ssl.conf")) "../sites-available/$siteName-ssl.conf" 'the new site is enabled as a2ensite does'
foreach ($module in 'ssl.load', 'ssl.conf', 'setenvif.load', 'mime.load', 'socache_shmcb.load') {
    Assert-RelativeLink ([System.IO.Path]::Combine($tree, 'mods-enabled', $module)) "../mods-available/$module" "mod_ssl and what ssl.load depends on are enabled as a2enmod does ($module)"
}

$site = [System.IO.File]::ReadAllText($siteFile)
Assert-Match $site '(?m)^<VirtualHost \*:443>' 'the new site is a VirtualHost on port 443'
Assert-Match $site ('(?m)^\s+ServerName ' + [regex]::Escape($siteName) + '\s*$') 'it names the site'
Assert-Match $site '(?m)^\s+SSLEngine on\s*$' 'it turns TLS on'
Assert-Match $site ('(?m)^\s+SSLCertificateFile "?' + [regex]::Escape($certificate.FullChainPath) + '"?\s*$') 'it serves the full chain (httpd 2.4.8+)'
Assert-Match $site ('(?m)^\s+SSLCertificateKeyFile "?' + [regex]::Escape($certificate.KeyPath) + '"?\s*$') 'it names the key'

$after = Get-DirectorySnapshot $WorkDirectory
$added = @($after | Where-Object { $before -cnotcontains $_ })
$removed = @($before | Where-Object { $after -cnotcontains $_ })
Assert-Count 0 $removed "no existing file of the tree changed (ports.conf already listens on 443 for mod_ssl); changed or gone: $(Format-ScenarioValue $removed)"
$addedNames = @($added | ForEach-Object { ($_ -split ' ')[0] })
[System.Array]::Sort($addedNames, [System.StringComparer]::Ordinal)
$expected = @(
    'apache2/mods-enabled/mime.load', 'apache2/mods-enabled/setenvif.load', 'apache2/mods-enabled/socache_shmcb.load',
    'apache2/mods-enabled/ssl.conf', 'apache2/mods-enabled/ssl.load',
    "apache2/sites-available/$siteName-ssl.conf", "apache2/sites-enabled/$siteName-ssl.conf"
) | ForEach-Object { $_.Replace('/', [System.IO.Path]::DirectorySeparatorChar) }
[System.Array]::Sort($expected, [System.StringComparer]::Ordinal)
Assert-Equal $expected $addedNames 'exactly the site file, its link, and the module links are new'
$ports = [System.IO.File]::ReadAllText([System.IO.Path]::Combine($tree, 'ports.conf'))
Assert-Count 1 @([regex]::Matches($ports, '(?ms)<IfModule ssl_module>\s*Listen 443\s*</IfModule>')) 'the Listen 443 for mod_ssl is still there, once'
Assert-TreeConfigTest -Tree $tree -Because 'the tree with HTTPS for the site'

$configured = Get-DirectorySnapshot $WorkDirectory
$sslAgain = Assert-NoError { $certificate | Set-ApacheSsl $siteName -ConfigPath $tree }
Assert-False $sslAgain[0].Changed 'Set-ApacheSsl run again changes nothing (the site is now found through sites-enabled)'
Assert-DirectoryUnchanged $configured $WorkDirectory 'running Set-ApacheSsl again writes no byte'

# --- Enable-HttpsRedirect, piped -----------------------------------------------------------------------------------
$redirect = Assert-NoError { $ssl[0] | Enable-HttpsRedirect -ConfigPath $tree }
Assert-Count 1 $redirect 'Enable-HttpsRedirect emits one result'
Assert-True $redirect[0].Changed 'Enable-HttpsRedirect changed the tree'
Assert-Equal 80 $redirect[0].Port 'the plain HTTP port is 80 by default'
$httpSite = [System.IO.Path]::Combine($tree, 'sites-available', "$siteName.conf")
Assert-FileExists $httpSite 'the port-80 site for the name is a new site file (000-default has no ServerName)'
Assert-RelativeLink ([System.IO.Path]::Combine($tree, 'sites-enabled', "$siteName.conf")) "../sites-available/$siteName.conf" 'the port-80 site is enabled'
Assert-RelativeLink ([System.IO.Path]::Combine($tree, 'mods-enabled', 'rewrite.load')) '../mods-available/rewrite.load' 'mod_rewrite is enabled'
$httpText = [System.IO.File]::ReadAllText($httpSite)
Assert-Match $httpText '(?m)^<VirtualHost \*:80>' 'the redirect lives in a port-80 VirtualHost'
Assert-Match $httpText ('RewriteRule \^ https://' + [regex]::Escape($siteName) + '%\{REQUEST_URI\} \[R=301') 'a permanent redirect to https://<name> keeping the path and query (no :443)'
Assert-Match $httpText 'acme-challenge' 'ACME challenges stay on plain HTTP'
Assert-TreeConfigTest -Tree $tree -Because 'the tree with the redirect'

# --- Again: nothing changes ---------------------------------------------------------------------------------------
$redirected = Get-DirectorySnapshot $WorkDirectory
$again = Assert-NoError { $certificate | Set-ApacheSsl $siteName -ConfigPath $tree | Enable-HttpsRedirect -ConfigPath $tree }
Assert-Count 1 $again 'the pipeline emits the redirect result'
Assert-False $again[0].Changed 'Enable-HttpsRedirect run again changes nothing'
Assert-DirectoryUnchanged $redirected $WorkDirectory 'running both again writes no byte'

# --- Last, as it hides nothing else: the new site file reads as written, directive after directive ----------------
$order = @('ServerName', 'SSLEngine', 'SSLCertificateFile', 'SSLCertificateKeyFile', 'SSLProtocol') | ForEach-Object {
    [regex]::Match($site, "(?m)^\s+$_\s").Index
}
$sorted = [int[]] $order
[System.Array]::Sort($sorted)
Assert-Equal $sorted $order "the directives of the new site come in the order they were added, as in a site written by hand (found at $(Format-ScenarioValue $order))"
