<#
.SYNOPSIS
    Set-ApacheSsl and Enable-HttpsRedirect on a copy of the Debian apache2 package's own /etc/apache2 tree: a new
    site file in sites-available, relative links in sites-enabled and mods-enabled as a2ensite and a2enmod make them,
    and a configuration httpd accepts.

.DESCRIPTION
    The tree is the one the installed apache2 package put in /etc/apache2 (apache2.conf, ports.conf, envvars, the
    *-available folders and the relative links of the *-enabled ones), copied into the work directory with its links
    kept as links; /etc/apache2 itself is never touched. The copy is made runnable as a private server: envvars points
    the run, lock and log folders into the work directory. httpd -t (with the tree's envvars) passes before anything.

    Then Set-ApacheSsl -ConfigPath <copy> for www.example.test (port 443, which ports.conf already listens on for
    mod_ssl) must create sites-available/www.example.test-ssl.conf and the relative link to it in sites-enabled,
    enable ssl and the modules its ssl.load depends on with relative links, change no existing file, and pass httpd -t
    (which the editor runs with the tree's envvars; the scenario runs it again itself). Enable-HttpsRedirect adds the
    port-80 site the same way. Both, run again, change nothing.

.PARAMETER WorkDirectory
    An empty (or new) directory the scenario may fill.

.PARAMETER PackageTree
    The Debian tree to copy; by default the installed package's /etc/apache2.

.PARAMETER RequireApache
    Throw when Debian's apache2 is missing instead of returning the skipped marker (implied by CI=true, except on
    Windows).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)][string] $WorkDirectory,
    [string] $PackageTree = '/etc/apache2',
    [switch] $RequireApache
)

$ErrorActionPreference = 'Stop'
. (Join-Path $PSScriptRoot 'Assert.ps1')

$httpdProgram = '/usr/sbin/apache2'
$siteName = 'www.example.test'

if ($IsWindows) {
    return New-ScenarioSkipped -Reason "Debian's apache2 does not exist on Windows; the Apache scenarios run on Linux."
}

if (-not (Test-Path -LiteralPath $httpdProgram -PathType Leaf) -or -not (Test-Path -LiteralPath (Join-Path $PackageTree 'apache2.conf') -PathType Leaf)) {
    if ($RequireApache -or $env:CI -eq 'true') {
        throw "Debian's apache2 ($httpdProgram and its $PackageTree) is required for this scenario (CI=true or -RequireApache): apt-get install apache2."
    }

    return New-ScenarioSkipped -Reason "Debian's apache2 is not installed; this scenario edits a copy of its $PackageTree and runs httpd -t on it (under CI=true it fails instead)."
}

function Copy-DebianTree {
    # Copies -Source to -Destination: folders and files as they are, each symbolic link as the same relative link
    # (a2enmod and a2ensite make relative ones; an absolute link would point the copy back into the real tree).
    # Returns the number of links.
    param([Parameter(Mandatory)][string] $Source, [Parameter(Mandatory)][string] $Destination)

    Copy-Item -LiteralPath $Source -Destination $Destination -Recurse
    # Copy-Item copies what a link points to: put each link back as the link it was.
    $links = @(Get-ChildItem -LiteralPath $Source -Recurse -Force | Where-Object LinkType -EQ 'SymbolicLink')
    foreach ($link in $links) {
        $copy = Join-Path $Destination ([System.IO.Path]::GetRelativePath($Source, $link.FullName))
        Remove-Item -LiteralPath $copy -Recurse -Force
        $null = New-Item -ItemType SymbolicLink -Path $copy -Value $link.LinkTarget
    }

    @($links | Where-Object { [System.IO.Path]::IsPathRooted($_.LinkTarget) } | ForEach-Object FullName) | Should -BeNullOrEmpty -Because 'the package makes relative links'
    return $links.Count
}

function Assert-RelativeLink {
    # -Path is a symbolic link whose target is exactly the relative -Target, and it resolves to a file.
    param([Parameter(Mandatory)][string] $Path, [Parameter(Mandatory)][string] $Target, [Parameter(Mandatory)][string] $Because)

    $item = Get-Item -LiteralPath $Path -Force
    $item.LinkType | Should -BeExactly 'SymbolicLink' -Because "'$Path' is a symbolic link: $Because"
    $item.LinkTarget | Should -BeExactly $Target -Because "'$Path' links to '$Target': $Because"
    Test-Path -LiteralPath (Join-Path $item.DirectoryName $Target) -PathType Leaf | Should -BeTrue -Because "the link '$Path' resolves: $Because"
}

function Assert-TreeConfigTest {
    # httpd -t as apache2ctl runs it: the tree's envvars sourced first.
    param([Parameter(Mandatory)][string] $Tree, [Parameter(Mandatory)][string] $Because)

    $test = Invoke-ScenarioNative -FilePath '/bin/sh' -ArgumentList @('-c', '. "$1/envvars" && exec "$2" -t -d "$1" -f "$1/apache2.conf"', 'sh', $Tree, $httpdProgram)
    $test.ExitCode | Should -BeExactly 0 -Because "httpd -t with the tree's envvars passes: $Because ($($test.Output))"
    $test.Output | Should -Match 'Syntax OK' -Because "httpd -t says Syntax OK: $Because"
}

$WorkDirectory = Initialize-ScenarioDirectory $WorkDirectory

# --- The copied tree, made runnable -------------------------------------------------------------------------------
$tree = Join-Path $WorkDirectory 'apache2'
$links = Copy-DebianTree -Source $PackageTree -Destination $tree
$links | Should -BeGreaterThan 1 -Because "the package's *-enabled folders hold relative links ($links link(s))"
Assert-RelativeLink (Join-Path $tree 'sites-enabled' '000-default.conf') '../sites-available/000-default.conf' 'the default site is enabled as on Debian'
(Get-Content -LiteralPath (Join-Path $tree 'sites-available' '000-default.conf') -Raw) | Should -Not -Match '(?m)^\s*ServerName\s' -Because 'the package''s default site names no server, so the redirect below needs a site of its own'
foreach ($module in 'ssl.load', 'ssl.conf', 'socache_shmcb.load') {
    Test-Path -LiteralPath (Join-Path $tree 'mods-enabled' $module) | Should -BeFalse -Because "a fresh install does not enable $module"
}

$sslLoad = Get-Content -LiteralPath (Join-Path $tree 'mods-available' 'ssl.load') -Raw
$sslLoad | Should -Match '(?m)^# Depends: (.+)$' -Because 'ssl.load names the modules a2enmod enables with it'
$dependencies = @([regex]::Match($sslLoad, '(?m)^# Depends: (.+)$').Groups[1].Value.Trim() -split '[\s,]+')
$dependencies | Should -Contain 'socache_shmcb' -Because 'mod_ssl needs a session cache module'
$enabledBefore = @(Get-ChildItem -LiteralPath (Join-Path $tree 'mods-enabled') -Filter '*.load' | ForEach-Object BaseName)

$envvars = Join-Path $tree 'envvars'
$text = Get-Content -LiteralPath $envvars -Raw
foreach ($runtime in @{ Name = 'APACHE_RUN_DIR'; Folder = 'run' }, @{ Name = 'APACHE_LOCK_DIR'; Folder = 'lock' }, @{ Name = 'APACHE_LOG_DIR'; Folder = 'log' }) {
    $folder = (New-Item -ItemType Directory -Path $WorkDirectory -Name $runtime.Folder).FullName
    $text = $text -replace "(?m)^export $($runtime.Name)=.*$", "export $($runtime.Name)=$folder"
}

$text = $text -replace '(?m)^export APACHE_PID_FILE=.*$', ('export APACHE_PID_FILE=' + (Join-Path $WorkDirectory 'run' 'apache2.pid'))
Set-Content -LiteralPath $envvars -Value $text -NoNewline
Assert-TreeConfigTest -Tree $tree -Because 'the copied tree is valid before the module touches it'

# --- The certificate ---------------------------------------------------------------------------------------------
$root = New-CertAuthority 'Example Test Root' -Name 'root' -KeyAlgorithm ECDSA -OutputDirectory (Join-Path $WorkDirectory 'ca')
$issuing = New-CertAuthority 'Example Test Issuing CA' -Issuer $root -KeyAlgorithm ECDSA
$certificate = New-CertRequest $siteName -KeyAlgorithm ECDSA | Approve-CertRequest -Authority $issuing | Export-CertPem -OutputDirectory (Join-Path $WorkDirectory 'tls')
$certificate | Should -HaveCount 1 -Because 'the server certificate is exported'

# --- Set-ApacheSsl on the tree's root folder -----------------------------------------------------------------------
$before = Get-DirectorySnapshot $WorkDirectory
$ssl = @($certificate | Set-ApacheSsl $siteName -ConfigPath $tree)
$ssl | Should -HaveCount 1 -Because 'Set-ApacheSsl emits one result'
$ssl[0].Changed | Should -BeTrue -Because 'Set-ApacheSsl changed the tree'
$ssl[0].Port | Should -BeExactly 443 -Because 'the default port is 443'
$ssl[0].ConfigTest | Should -Match 'Syntax OK' -Because 'the editor ran httpd -t with the tree''s envvars and it passed'

$siteFile = Join-Path $tree 'sites-available' "$siteName-ssl.conf"
Test-Path -LiteralPath $siteFile -PathType Leaf | Should -BeTrue -Because 'Set-ApacheSsl creates sites-available/<name>-ssl.conf'
Assert-RelativeLink (Join-Path $tree 'sites-enabled' "$siteName-ssl.conf") "../sites-available/$siteName-ssl.conf" 'the new site is enabled as a2ensite does'
foreach ($module in 'ssl.load', 'ssl.conf', 'setenvif.load', 'mime.load', 'socache_shmcb.load') {
    Assert-RelativeLink (Join-Path $tree 'mods-enabled' $module) "../mods-available/$module" "mod_ssl and what ssl.load depends on are enabled as a2enmod does ($module)"
}

$site = Get-Content -LiteralPath $siteFile -Raw
$site | Should -Match '(?m)^<VirtualHost \*:443>' -Because 'the new site is a VirtualHost on port 443'
$site | Should -Match ('(?m)^\s+ServerName ' + [regex]::Escape($siteName) + '\s*$') -Because 'it names the site'
$site | Should -Match '(?m)^\s+SSLEngine on\s*$' -Because 'it turns TLS on'
$site | Should -Match ('(?m)^\s+SSLCertificateFile "?' + [regex]::Escape($certificate.FullChainPath) + '"?\s*$') -Because 'it serves the full chain (httpd 2.4.8+)'
$site | Should -Match ('(?m)^\s+SSLCertificateKeyFile "?' + [regex]::Escape($certificate.KeyPath) + '"?\s*$') -Because 'it names the key'

$changes = @(Compare-Object $before (Get-DirectorySnapshot $WorkDirectory) -CaseSensitive)
@($changes | Where-Object SideIndicator -EQ '<=' | ForEach-Object InputObject) | Should -BeNullOrEmpty -Because 'no existing file of the tree changed (ports.conf already listens on 443 for mod_ssl)'
$addedNames = @($changes | Where-Object SideIndicator -EQ '=>' | ForEach-Object { ($_.InputObject -split ' ')[0] } | Sort-Object)
# The change's record (what Undo-ApacheChange takes back) is kept in its backup folder, with no other file.
$record = @($addedNames | Where-Object { $_ -like 'apache2/.certcmdlets-backup/*' -and $_ -notlike '*/' })
$record | Should -HaveCount 1 -Because 'the only file of the backup folder of a change that created files only is its record'
$record[0] | Should -BeLike '*/change.tsv'
$addedNames = @($addedNames | Where-Object { $_ -notlike 'apache2/.certcmdlets-backup/*' })
$expected = @(
    'ssl.conf', 'ssl.load'
    $dependencies | Where-Object { $_ -notin $enabledBefore } | ForEach-Object { "$_.load" }
) | ForEach-Object { Join-Path 'apache2' 'mods-enabled' $_ }
$expected = @($expected) + (Join-Path 'apache2' 'sites-available' "$siteName-ssl.conf") + (Join-Path 'apache2' 'sites-enabled' "$siteName-ssl.conf") | Sort-Object
$addedNames | Should -BeExactly $expected -Because 'exactly the site file, its link, and the links of mod_ssl and the modules it needs that were not enabled are new'
$ports = Get-Content -LiteralPath (Join-Path $tree 'ports.conf') -Raw
@([regex]::Matches($ports, '(?ms)<IfModule ssl_module>\s*Listen 443\s*</IfModule>')) | Should -HaveCount 1 -Because 'the Listen 443 for mod_ssl is still there, once'
Assert-TreeConfigTest -Tree $tree -Because 'the tree with HTTPS for the site'

$configured = Get-DirectorySnapshot $WorkDirectory
$sslAgain = @($certificate | Set-ApacheSsl $siteName -ConfigPath $tree)
$sslAgain[0].Changed | Should -BeFalse -Because 'Set-ApacheSsl run again changes nothing (the site is now found through sites-enabled)'
Compare-Object $configured (Get-DirectorySnapshot $WorkDirectory) -CaseSensitive | Should -BeNullOrEmpty -Because 'running Set-ApacheSsl again writes no byte'

# --- Enable-HttpsRedirect, piped -----------------------------------------------------------------------------------
$redirect = @($ssl[0] | Enable-HttpsRedirect -ConfigPath $tree)
$redirect | Should -HaveCount 1 -Because 'Enable-HttpsRedirect emits one result'
$redirect[0].Changed | Should -BeTrue -Because 'Enable-HttpsRedirect changed the tree'
$redirect[0].Port | Should -BeExactly 80 -Because 'the plain HTTP port is 80 by default'
$httpSite = Join-Path $tree 'sites-available' "$siteName.conf"
Test-Path -LiteralPath $httpSite -PathType Leaf | Should -BeTrue -Because 'the port-80 site for the name is a new site file (000-default has no ServerName)'
Assert-RelativeLink (Join-Path $tree 'sites-enabled' "$siteName.conf") "../sites-available/$siteName.conf" 'the port-80 site is enabled'
Assert-RelativeLink (Join-Path $tree 'mods-enabled' 'rewrite.load') '../mods-available/rewrite.load' 'mod_rewrite is enabled'
$httpText = Get-Content -LiteralPath $httpSite -Raw
$httpText | Should -Match '(?m)^<VirtualHost \*:80>' -Because 'the redirect lives in a port-80 VirtualHost'
$httpText | Should -Match ('RewriteRule \^ https://' + [regex]::Escape($siteName) + '%\{REQUEST_URI\} \[R=301') -Because 'a permanent redirect to https://<name> keeping the path and query (no :443)'
$httpText | Should -Match 'acme-challenge' -Because 'ACME challenges stay on plain HTTP'
Assert-TreeConfigTest -Tree $tree -Because 'the tree with the redirect'

# --- Again: nothing changes ---------------------------------------------------------------------------------------
$redirected = Get-DirectorySnapshot $WorkDirectory
$again = @($certificate | Set-ApacheSsl $siteName -ConfigPath $tree | Enable-HttpsRedirect -ConfigPath $tree)
$again | Should -HaveCount 1 -Because 'the pipeline emits the redirect result'
$again[0].Changed | Should -BeFalse -Because 'Enable-HttpsRedirect run again changes nothing'
Compare-Object $redirected (Get-DirectorySnapshot $WorkDirectory) -CaseSensitive | Should -BeNullOrEmpty -Because 'running both again writes no byte'

# --- Last, as it hides nothing else: the new site file reads as written, directive after directive ----------------
$order = @('ServerName', 'SSLEngine', 'SSLCertificateFile', 'SSLCertificateKeyFile', 'SSLProtocol') | ForEach-Object {
    [regex]::Match($site, "(?m)^\s+$_\s").Index
}
$order | Should -BeExactly ($order | Sort-Object) -Because "the directives of the new site come in the order they were added, as in a site written by hand (found at $($order -join ', '))"
