#!/usr/bin/env bash
# Layout is linear in paragraph length: `build --draft` of the city fixture whose unit overview is
# one paragraph of 10k, 100k and 1M characters. Prints wall time, peak RSS and pages for each.
# usage: benches/layout.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --example gen_long_text
cargo build --release --quiet
export SOURCE_DATE_EPOCH=0
printf 'chars\texit\twall_s\tpeak_kb\tpages\n'
for n in 10000 100000 1000000; do
  dir="target/bench-long/$n"
  ./target/release/examples/gen_long_text "$dir" "$n" >/dev/null
  /usr/bin/time -f '%e %M' -o target/bench-long/time.txt \
    ./target/release/dossier build --draft "$dir" -o "target/bench-long/out-$n" >/dev/null 2>&1 && rc=0 || rc=$?
  read -r wall kb < target/bench-long/time.txt
  pages=$(pdfinfo target/bench-long/out-$n/*.pdf 2>/dev/null | awk '/^Pages:/ {print $2}' || true)
  printf '%s\t%s\t%s\t%s\t%s\n' "$n" "$rc" "$wall" "$kb" "$pages"
done
