#!/usr/bin/env bash
# One fuzzing session on one target: builds the harness, copies it outside the repository, instruments the core
# and BouncyCastle with SharpFuzz, and runs afl-fuzz on the target's corpus. Findings go to $FUZZ_OUT/<target>.
#   ./fuzz.sh <certificate|pkcs7|key|csr|pfx|apache> [seconds]      (default 3600; needs afl++ and the sharpfuzz tool, see README.md)
set -euo pipefail
target=${1:?target: certificate, pkcs7, key, csr, pfx or apache}
seconds=${2:-3600}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=${FUZZ_OUT:-/tmp/certcmdlets-fuzz}
build=$out/build
sharpfuzz=${SHARPFUZZ:-$(command -v sharpfuzz || echo "$repo/.tools/sharpfuzz/sharpfuzz")}

if [ ! -f "$build/.instrumented" ]; then
    dotnet build "$here/CertCmdlets.Fuzz.csproj" -c Release -nologo -clp:ErrorsOnly -o "$build"
    for assembly in CertCmdlets.Core.dll BouncyCastle.Cryptography.dll; do
        "$sharpfuzz" "$build/$assembly"
    done
    touch "$build/.instrumented"
fi

mkdir -p "$out/$target"
# dotnet itself is not instrumented (the harness reports coverage through SharpFuzz's shared memory).
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
resume=("-i" "$here/corpus/$target")
[ -d "$out/$target/default/queue" ] && resume=("-i" "-")
exec timeout --signal=INT "$seconds" afl-fuzz "${resume[@]}" -o "$out/$target" -t 5000 -m none -- "$(command -v dotnet)" "$build/CertCmdlets.Fuzz.dll" "$target"
