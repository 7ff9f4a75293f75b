#!/usr/bin/env bash
# Runs the example end to end: builds the module and its Get-Help file (the help builder builds the module
# first), then runs examples/ in pwsh when it is installed, otherwise in the bundled script host
# (certcmdlets-host). Files go to ./sandbox/<time>/ only.
set -euo pipefail
cd "$(dirname "$0")"

dotnet build src/CertCmdlets.Host/CertCmdlets.Host.csproj -c Release -nologo -v quiet -clp:ErrorsOnly
dotnet build src/CertCmdlets.HelpBuilder/CertCmdlets.HelpBuilder.csproj -c Release -nologo -v quiet -clp:ErrorsOnly

for script in examples/*.ps1; do
    echo "== $script"
    if command -v pwsh >/dev/null 2>&1; then
        pwsh -NoProfile -NonInteractive -File "$script" "$@"
    else
        dotnet src/CertCmdlets.Host/bin/Release/net10.0/certcmdlets-host.dll -File "$script" "$@"
    fi
done
