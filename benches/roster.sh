#!/usr/bin/env bash
# Wall time and peak memory of `dossier check` on a dossier with a generated 100,000-row XLSX
# roster. usage: benches/roster.sh [ROWS]
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-100000}
cargo build --release --quiet --example gen_roster
./target/release/examples/gen_roster target/bench-roster "$rows"
ls -l target/bench-roster/rosters/名单.xlsx
cargo build --release --quiet
./target/release/dossier check target/bench-roster | tail -1 || true
for i in 1 2 3; do
  /usr/bin/time -f "wall %e s, peak RSS %M KB" ./target/release/dossier check --format json target/bench-roster >/dev/null || true
done
