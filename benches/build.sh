#!/usr/bin/env bash
# Build time and PDF size for the Dalian city fixture and for a generated dossier ten times its
# size. usage: benches/build.sh   (needs hyperfine)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --example gen_big_dossier
./target/release/examples/gen_big_dossier target/bench-big 10
cargo build --release --quiet
export SOURCE_DATE_EPOCH=0
hyperfine -N --warmup 2 --runs 10 \
  './target/release/dossier build fixtures/dalian-2023-city -o target/bench-out/small' \
  './target/release/dossier build --draft target/bench-big -o target/bench-out/big'
for d in small big; do
  for f in target/bench-out/$d/*; do
    printf '%s\t%s bytes\t%s\n' "$d" "$(stat -c %s "$f")" "$f"
  done
  pdfinfo target/bench-out/$d/*.pdf 2>/dev/null | grep Pages || true
done
