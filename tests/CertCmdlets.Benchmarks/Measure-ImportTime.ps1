<#
.SYNOPSIS
    Import-Module plus the first cmdlet call, in an open session, for CertCmdlets and a peer binary module measured in
    the same run; prints the medians (the results are in RESULTS-import.md).

.DESCRIPTION
    BenchmarkDotNet measures steady state in one process; the cost asked about here happens once per session, so
    each sample is a new pwsh process (the same executable as this one). In it, the session is first "open": the
    engine has started, imported a module of its own (Microsoft.PowerShell.Security) and formatted some output, as an
    interactive session has by the time a user types Import-Module. Then, timed with a Stopwatch inside the process:

      CertCmdlets  Import-Module <checkout>/CertCmdlets.psd1, then the first call, New-CertRequest -KeyAlgorithm ECDSA
                   (ECDSA so that the random search of an RSA key does not swamp the load time), and separately a
                   first Import-CertFile of a PEM file and a first Tab on -Country.
      Peer         Import-Module Microsoft.PowerShell.PSResourceGet (a binary module with its own dependencies that
                   ships with pwsh), then its first call, Get-PSResourceRepository.

    Samples alternate between the two, so machine load hits both alike. Besides the wall-clock medians, the CPU time
    the process spent over both steps (all its threads: JIT, GC, the pipeline) is reported: on a shared machine it
    says how much work there is, where the wall clock also says how long the process waited for a core.

.PARAMETER Runs
    Processes per module (default 21).

.EXAMPLE
    nice -n 5 pwsh -NoProfile -File tests/CertCmdlets.Benchmarks/Measure-ImportTime.ps1 -Runs 21
#>
[CmdletBinding()]
param(
    [int] $Runs = 21
)

$ErrorActionPreference = 'Stop'
$root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$manifest = Join-Path $root 'CertCmdlets.psd1'
$pwsh = if ($IsWindows) { Join-Path $PSHOME 'pwsh.exe' } else { Join-Path $PSHOME 'pwsh' }
$work = Join-Path ([System.IO.Path]::GetTempPath()) ('certcmdlets-import-' + [guid]::NewGuid().ToString('N'))
$null = New-Item -ItemType Directory -Path $work

# A certificate file for the Import-CertFile sample, made once.
& $pwsh -NoProfile -NonInteractive -Command "Import-Module '$manifest'; `$null = New-CertRequest bench.example.test -KeyAlgorithm ECDSA -SelfSign | Export-CertPem -OutputDirectory '$work'"

$open = @'
$null = Get-Date
$null = Import-Module Microsoft.PowerShell.Security -PassThru
$null = Get-ChildItem -LiteralPath $PSHOME | Out-String
$sw = [System.Diagnostics.Stopwatch]::new()
$process = [System.Diagnostics.Process]::GetCurrentProcess()
$process.Refresh(); $cpuStart = $process.TotalProcessorTime
'@

$ours = $open + "`n" + @"
`$sw.Restart(); Import-Module '$manifest'; `$import = `$sw.Elapsed.TotalMilliseconds
`$sw.Restart(); `$null = New-CertRequest bench.example.test -KeyAlgorithm ECDSA; `$call = `$sw.Elapsed.TotalMilliseconds
`$process.Refresh(); `$cpu = (`$process.TotalProcessorTime - `$cpuStart).TotalMilliseconds
'{0};{1};{2}' -f `$import, `$call, `$cpu
"@

$oursRead = $open + "`n" + @"
`$sw.Restart(); Import-Module '$manifest'; `$import = `$sw.Elapsed.TotalMilliseconds
`$sw.Restart(); `$null = Import-CertFile '$work/cert.pem'; `$call = `$sw.Elapsed.TotalMilliseconds
`$process.Refresh(); `$cpu = (`$process.TotalProcessorTime - `$cpuStart).TotalMilliseconds
'{0};{1};{2}' -f `$import, `$call, `$cpu
"@

$oursTab = $open + "`n" + @"
`$null = TabExpansion2 -inputScript 'Get-ChildItem -Path ' -cursorColumn 20
`$sw.Restart(); Import-Module '$manifest'; `$import = `$sw.Elapsed.TotalMilliseconds
`$line = 'New-CertRequest x -Country G'
`$sw.Restart(); `$null = TabExpansion2 -inputScript `$line -cursorColumn `$line.Length; `$call = `$sw.Elapsed.TotalMilliseconds
`$process.Refresh(); `$cpu = (`$process.TotalProcessorTime - `$cpuStart).TotalMilliseconds
'{0};{1};{2}' -f `$import, `$call, `$cpu
"@

$peer = $open + "`n" + @'
$sw.Restart(); Import-Module Microsoft.PowerShell.PSResourceGet; $import = $sw.Elapsed.TotalMilliseconds
$sw.Restart(); $null = Get-PSResourceRepository; $call = $sw.Elapsed.TotalMilliseconds
$process.Refresh(); $cpu = ($process.TotalProcessorTime - $cpuStart).TotalMilliseconds
'{0};{1};{2}' -f $import, $call, $cpu
'@

$cases = [ordered]@{
    'CertCmdlets: Import-Module + New-CertRequest -KeyAlgorithm ECDSA' = $ours
    'CertCmdlets: Import-Module + Import-CertFile cert.pem'            = $oursRead
    'CertCmdlets: Import-Module + first Tab on -Country'               = $oursTab
    'Peer: Import-Module PSResourceGet + Get-PSResourceRepository'     = $peer
}
$samples = @{}
foreach ($name in $cases.Keys) { $samples[$name] = New-Object System.Collections.Generic.List[object] }

for ($i = 0; $i -lt $Runs; $i++) {
    foreach ($name in $cases.Keys) {
        $line = & $pwsh -NoProfile -NonInteractive -Command $cases[$name] | Select-Object -Last 1
        Write-Verbose "${name}: $line"
        $parts = $line -split ";"
        $samples[$name].Add([pscustomobject]@{ Import = [double]$parts[0]; Call = [double]$parts[1]; Cpu = [double]$parts[2] })
    }
}

Remove-Item -LiteralPath $work -Recurse -Force

function Get-Median([double[]] $Values) {
    $sorted = $Values | Sort-Object
    $n = $sorted.Count
    if ($n % 2) { $sorted[($n - 1) / 2] } else { ($sorted[$n / 2 - 1] + $sorted[$n / 2]) / 2 }
}

$peerTotal = Get-Median @($samples[@($cases.Keys)[-1]] | ForEach-Object { $_.Import + $_.Call })
foreach ($name in $cases.Keys) {
    $import = Get-Median @($samples[$name] | ForEach-Object Import)
    $call = Get-Median @($samples[$name] | ForEach-Object Call)
    $total = Get-Median @($samples[$name] | ForEach-Object { $_.Import + $_.Call })
    [pscustomobject]@{
        Case             = $name
        Runs             = $samples[$name].Count
        'Import (ms)'    = [math]::Round($import, 1)
        'First call (ms)' = [math]::Round($call, 1)
        'Total (ms)'     = [math]::Round($total, 1)
        'Min total (ms)' = [math]::Round((@($samples[$name] | ForEach-Object { $_.Import + $_.Call }) | Measure-Object -Minimum).Minimum, 1)
        'CPU (ms)'       = [math]::Round((Get-Median @($samples[$name] | ForEach-Object Cpu)), 1)
        'vs peer'        = [math]::Round($total / $peerTotal, 2)
    }
}
