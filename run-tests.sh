#!/usr/bin/env bash
# Runs every test suite from a plain clone on a fresh machine: installs the real peers (openssl, apache2, curl)
# when missing and possible, and PowerShell 7.6 as a dotnet tool when pwsh is not on PATH; restores and builds
# everything (benchmarks included, not run; the restore downloads Pester from NuGet); runs the core and cmdlet
# tests (xunit), then the Pester suite on pwsh. Ends with "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")"

ci=false
[ "${CI:-}" = "true" ] && ci=true
status=0
started=$SECONDS

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

# --- pwsh: from PATH, else PowerShell 7.6 from NuGet as a dotnet tool in .tools/pwsh ----------------
# Before the xunit suites: the isolation tests run it as a separate process (CERTCMDLETS_PWSH tells them where).
pwsh_cmd=""
if command -v pwsh >/dev/null 2>&1; then
    pwsh_cmd=$(command -v pwsh)
elif [ -x .tools/pwsh/pwsh ]; then
    pwsh_cmd=$PWD/.tools/pwsh/pwsh
else
    echo "Installing PowerShell 7.6.9 as a dotnet tool into .tools/pwsh..."
    if dotnet tool install PowerShell --version 7.6.9 --tool-path .tools/pwsh >/dev/null; then
        pwsh_cmd=$PWD/.tools/pwsh/pwsh
    elif $ci; then
        echo "CI=true but pwsh is missing and 'dotnet tool install PowerShell' failed." >&2
        status=1
    else
        echo "Note: pwsh could not be installed; the tests that need it are skipped."
    fi
fi
[ -n "$pwsh_cmd" ] && export CERTCMDLETS_PWSH="$pwsh_cmd"
echo "-- peers and pwsh ready in $((SECONDS - started)) s"

# --- Restore and build everything once ----------------------------------------------------------
step=$SECONDS
dotnet build CertCmdlets.sln -c Release -nologo -clp:ErrorsOnly -v quiet || { echo "Build failed." >&2; exit 1; }
echo "-- build in $((SECONDS - step)) s"

# --- xunit suites ----------------------------------------------------------------------------------
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for project in tests/CertCmdlets.Core.Tests tests/CertCmdlets.Tests; do
    echo "== $project"
    step=$SECONDS
    dotnet test "$project" -c Release --no-build -nologo --logger "console;verbosity=normal" 2>&1 | tee -a "$log" \
        | grep -E "^\s+(Failed|Skipped) |Error Message|^(Passed|Failed)!|Total tests|^\s+(Passed|Failed|Skipped):" || true
    [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
    echo "-- $project in $((SECONDS - step)) s"
done

# --- Pester on pwsh, with the Pester the restore downloaded (the same copy the hosted tests import) ---
pester_passed=0; pester_failed=0; pester_skipped=0
pester_version=$(sed -n 's:.*<PesterVersion>\(.*\)</PesterVersion>.*:\1:p' Directory.Packages.props)
packages=${NUGET_PACKAGES:-$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')}
pester_manifest="${packages%/}/pester/$pester_version/tools/Pester.psd1"
if [ -z "$pwsh_cmd" ]; then
    echo "pwsh is not installed and could not be installed: the Pester suite is skipped."
    if $ci; then pester_failed=1; fi
elif [ ! -f "$pester_manifest" ]; then
    echo "Pester $pester_version was not downloaded by the restore ($pester_manifest): the Pester suite cannot run." >&2
    status=1; pester_failed=1
else
    echo "== tests/Pester ($("$pwsh_cmd" -NoProfile -Command '$PSVersionTable.PSVersion.ToString()'), Pester $pester_version)"
    step=$SECONDS
    PESTER_MANIFEST="$pester_manifest" "$pwsh_cmd" -NoProfile -NonInteractive -Command '
        Import-Module -Name $env:PESTER_MANIFEST -ErrorAction Stop
        $c = New-PesterConfiguration; $c.Run.Path = "tests/Pester"; $c.Run.Exit = $false; $c.Run.PassThru = $true; $c.Output.Verbosity = "Normal"
        $r = Invoke-Pester -Configuration $c
        "PESTER {0} {1} {2}" -f $r.PassedCount, $r.FailedCount, $r.SkippedCount' 2>&1 | tee -a "$log" | grep -E "^\s*\[-\]|^Tests Passed|^PESTER|Describing" || true
    read -r pester_passed pester_failed pester_skipped < <(grep -E "^PESTER " "$log" | tail -1 | cut -d" " -f2-)
    if [ -z "${pester_passed:-}" ]; then echo "The Pester run did not finish." >&2; status=1; pester_passed=0; pester_failed=1; pester_skipped=0; fi
    echo "-- tests/Pester in $((SECONDS - step)) s"
fi
[ "${pester_failed:-0}" -eq 0 ] || status=1

# --- One closing line ------------------------------------------------------------------------------
sum() { grep -oE "^\s+$1:\s+[0-9]+" "$log" | grep -oE "[0-9]+" | awk '{ s += $1 } END { print s + 0 }'; }
passed=$(( $(sum Passed) + ${pester_passed:-0} ))
failed=$(( $(sum Failed) + ${pester_failed:-0} ))
skipped=$(( $(sum Skipped) + ${pester_skipped:-0} ))
if [ "$passed" -eq 0 ]; then
    echo "No test ran." >&2
    status=1
fi
[ "$failed" -eq 0 ] || status=1
echo "-- all in $((SECONDS - started)) s"
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
