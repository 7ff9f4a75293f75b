#!/usr/bin/env bash
# Runs the examples end to end in pwsh: installs PowerShell 7.6 as a dotnet tool into .tools/pwsh when pwsh is not
# on PATH (as run-tests.sh does), builds the module and its Get-Help file (the help builder builds the module first),
# then runs each examples/*.ps1 in its own pwsh. Files go to ./sandbox/<time>/ only.
set -euo pipefail
cd "$(dirname "$0")"

if command -v pwsh >/dev/null 2>&1; then
    pwsh_cmd=$(command -v pwsh)
else
    if [ ! -x .tools/pwsh/pwsh ]; then
        echo "pwsh is not on PATH: installing PowerShell 7.6.9 as a dotnet tool into .tools/pwsh..."
        dotnet tool install PowerShell --version 7.6.9 --tool-path .tools/pwsh >/dev/null
    fi
    pwsh_cmd=$PWD/.tools/pwsh/pwsh
fi

dotnet build src/CertCmdlets.HelpBuilder/CertCmdlets.HelpBuilder.csproj -c Release -nologo -v quiet -clp:ErrorsOnly

for script in examples/*.ps1; do
    echo "== $script"
    "$pwsh_cmd" -NoProfile -NonInteractive -File "$script" "$@"
done
