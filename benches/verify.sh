#!/usr/bin/env bash
# Verify N copies (default 1000) of the Dalian district submission, in full (re-rendering the
# PDF and DOCX) and with --no-render: wall time, zips per second and peak memory. Each copy
# differs in one bag-info line (examples/gen_batch.rs), so none is ranked as a duplicate of
# another, and nothing is cached between submissions: copies cost what distinct ones would.
# All share one roster, so the cross-submission audits run at their heaviest.
# usage: benches/verify.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}
cargo build --release --quiet
cargo build --release --quiet --example gen_batch
rm -rf target/bench-verify && mkdir -p target/bench-verify/out target/bench-verify/inbox
./target/release/dossier build fixtures/dalian-2023-district -o target/bench-verify/out >/dev/null
zip=$(ls target/bench-verify/out/*.zip)
./target/release/examples/gen_batch "$zip" target/bench-verify/inbox "$n"
for mode in full --no-render; do
    flag=${mode/full/}
    start=$(date +%s.%N)
    /usr/bin/time -f "%M %U %S" -o target/bench-verify/rss ./target/release/dossier verify $flag --format json target/bench-verify/inbox >/dev/null || true
    end=$(date +%s.%N)
    # CPU seconds too: on a shared machine the wall time says as much about the others' load;
    # "2 cores" is what two idle cores would do with the same CPU time.
    read -r rss user sys < <(tail -1 target/bench-verify/rss)
    awk -v n="$n" -v s="$start" -v e="$end" -v m="$mode" -v rss="$rss" -v cpu="$(echo "$user + $sys" | bc)" -v load="$(cut -d' ' -f1 /proc/loadavg)" \
        'BEGIN { printf "%-12s %d zips in %.2f s = %.0f zips/s, peak RSS %.0f MB; CPU %.2f s = %.1f ms/zip, %.0f zips/s on 2 idle cores (load %s)\n", m, n, e - s, n / (e - s), rss / 1024, cpu, 1000 * cpu / n, 2 * n / cpu, load }'
done
