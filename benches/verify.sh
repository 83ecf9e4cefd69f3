#!/usr/bin/env bash
# Verify N copies (default 1000) of the Dalian district submission: wall time, zips per second
# and peak memory. usage: benches/verify.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}
cargo build --release --quiet
rm -rf target/bench-verify && mkdir -p target/bench-verify/out target/bench-verify/inbox
./target/release/dossier build fixtures/dalian-2023-district -o target/bench-verify/out >/dev/null
zip=$(ls target/bench-verify/out/*.zip)
for i in $(seq -w 1 "$n"); do cp "$zip" "target/bench-verify/inbox/submission-$i.zip"; done
/usr/bin/time -f "wall %e s, peak RSS %M KB" ./target/release/dossier verify --format json target/bench-verify/inbox >/dev/null
