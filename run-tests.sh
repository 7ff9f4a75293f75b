#!/usr/bin/env bash
# Runs every test suite from a fresh machine: installs the real peers (openssl, apache2) when missing and
# possible, restores and builds everything (benchmarks included, not run), runs the core and cmdlet
# tests, then the Pester suite when pwsh with Pester 5 is installed. Ends with "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")"

ci=false
[ "${CI:-}" = "true" ] && ci=true

# --- Peers from Debian's packages (curl is a second HTTP client beside Test-HttpsEndpoint) ----------
missing=()
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v curl >/dev/null 2>&1 || missing+=(curl)
[ -x /usr/sbin/apache2 ] || [ -x /usr/sbin/httpd ] || missing+=(apache2)
[ -x /usr/bin/pebble ] && [ -x /usr/bin/pebble-challtestsrv ] || missing+=(pebble)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
        echo "Installing ${missing[*]} from Debian's packages..."
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
            || { echo "apt-get install ${missing[*]} failed" >&2; exit 1; }
    elif $ci; then
        echo "CI=true but ${missing[*]} missing and cannot be installed (not root or no apt-get)." >&2
        exit 1
    else
        echo "Note: ${missing[*]} not installed; the tests that need them are skipped (run as root on Debian to install)."
    fi
fi

# --- Restore and build everything once ----------------------------------------------------------
dotnet build CertCmdlets.sln -c Release -nologo -clp:ErrorsOnly -v quiet || { echo "Build failed." >&2; exit 1; }

# --- Test suites ---------------------------------------------------------------------------------
log=$(mktemp)
status=0
for project in tests/CertCmdlets.Core.Tests tests/CertCmdlets.Tests; do
    echo "== $project"
    dotnet test "$project" -c Release --no-build -nologo --logger "console;verbosity=normal" 2>&1 | tee -a "$log" \
        | grep -E "^\s+(Failed|Skipped) |Error Message|^(Passed|Failed)!|Total tests|^\s+(Passed|Failed|Skipped):" || true
    [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
done

pester_passed=0; pester_failed=0; pester_skipped=0
# pwsh from PATH, else PowerShell 7.6 as a dotnet tool (NuGet serves it); Pester 5.9 from NuGet when missing.
pwsh_cmd=""
if command -v pwsh >/dev/null 2>&1; then
    pwsh_cmd=$(command -v pwsh)
elif [ -x .tools/pwsh/pwsh ] || dotnet tool install PowerShell --version 7.6.9 --tool-path .tools/pwsh >/dev/null 2>&1; then
    pwsh_cmd=$PWD/.tools/pwsh/pwsh
fi
if [ -n "$pwsh_cmd" ]; then
    pester_modules=""
    if ! "$pwsh_cmd" -NoProfile -NonInteractive -Command "exit [int](-not (Get-Module -ListAvailable Pester | Where-Object { \$_.Version.Major -ge 5 }))" >/dev/null 2>&1; then
        if dotnet restore tests/Pester/PesterModule.csproj --packages .tools/nuget -v quiet >/dev/null 2>&1; then
            mkdir -p .tools/modules && rm -rf .tools/modules/Pester && ln -s "$PWD/.tools/nuget/pester/5.9.1/tools" .tools/modules/Pester
            pester_modules=$PWD/.tools/modules
        fi
    fi
    if PSModulePath="$pester_modules${pester_modules:+:}${PSModulePath:-}" "$pwsh_cmd" -NoProfile -NonInteractive -Command "exit [int](-not (Get-Module -ListAvailable Pester | Where-Object { \$_.Version.Major -ge 5 }))" >/dev/null 2>&1; then
        echo "== tests/Pester ($("$pwsh_cmd" -NoProfile -Command '$PSVersionTable.PSVersion.ToString()'))"
        PSModulePath="$pester_modules${pester_modules:+:}${PSModulePath:-}" "$pwsh_cmd" -NoProfile -NonInteractive -Command '
            Import-Module Pester -MinimumVersion 5.0
            $c = New-PesterConfiguration; $c.Run.Path = "tests/Pester"; $c.Run.Exit = $false; $c.Run.PassThru = $true; $c.Output.Verbosity = "Normal"
            $r = Invoke-Pester -Configuration $c
            "PESTER {0} {1} {2}" -f $r.PassedCount, $r.FailedCount, $r.SkippedCount' 2>&1 | tee -a "$log" | grep -E "^\s*\[-\]|^Tests Passed|^PESTER|Describing" || true
        read -r pester_passed pester_failed pester_skipped < <(grep -E "^PESTER " "$log" | tail -1 | cut -d" " -f2-)
        if [ -z "${pester_passed:-}" ]; then echo "The Pester run did not finish." >&2; status=1; pester_passed=0; pester_failed=1; pester_skipped=0; fi
        [ "${pester_failed:-0}" -eq 0 ] || status=1
    else
        echo "Pester 5 could not be installed: the Pester suite is skipped (its scenarios ran above in the hosted engine)."
    fi
else
    echo "pwsh is not installed and could not be installed: the Pester suite is skipped (its scenarios ran above in the hosted engine)."
fi

# --- One closing line ------------------------------------------------------------------------------
sum() { grep -oE "^\s+$1:\s+[0-9]+" "$log" | grep -oE "[0-9]+" | awk '{ s += $1 } END { print s + 0 }'; }
passed=$(( $(sum Passed) + ${pester_passed:-0} ))
failed=$(( $(sum Failed) + ${pester_failed:-0} ))
skipped=$(( $(sum Skipped) + ${pester_skipped:-0} ))
rm -f "$log"
if [ "$passed" -eq 0 ]; then
    echo "No test ran." >&2
    status=1
fi
[ "$failed" -eq 0 ] || status=1
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
