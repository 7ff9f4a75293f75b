#!/usr/bin/env bash
# Minimises a target's corpus: the seeds, the crash regressions and the queue of the last session go through afl-cmin
# (same coverage, fewest files); the result replaces the fuzzer-found files in corpus/<target>/ (seed-* and crash-*
# files stay). At most $MAX (default 300) found files are kept, the smallest first.
#   ./minimize.sh <target>
set -euo pipefail
target=${1:?target}
here=$(cd "$(dirname "$0")" && pwd)
out=${FUZZ_OUT:-/tmp/certcmdlets-fuzz}
max=${MAX:-300}
work=$(mktemp -d -p "${HOME:-.}")  # afl-cmin refuses to work under /tmp
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/in" "$work/min"
cp "$here/corpus/$target"/* "$work/in/"
[ -d "$out/$target/default/queue" ] && find "$out/$target/default/queue" -maxdepth 1 -type f -name 'id:*' -exec cp {} "$work/in/" \;
export AFL_SKIP_BIN_CHECK=1
afl-cmin -i "$work/in" -o "$work/min" -t 5000 -m none -- "$(command -v dotnet)" "$out/build/CertCmdlets.Fuzz.dll" "$target" >/dev/null
find "$here/corpus/$target" -maxdepth 1 -type f -name 'found-*' -delete
n=0
for file in $(ls -S -r "$work/min"); do
    case "$file" in seed-*|crash-*) continue ;; esac
    [ "$n" -ge "$max" ] && break
    cp "$work/min/$file" "$here/corpus/$target/found-$(sha1sum "$work/min/$file" | cut -c1-12)"
    n=$((n + 1))
done
echo "$target: $(ls "$here/corpus/$target" | wc -l) files in corpus/$target ($n found by the fuzzer)"
