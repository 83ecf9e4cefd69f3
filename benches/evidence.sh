#!/usr/bin/env bash
# Binding evidence: `build` of the Dalian city fixture with 160 generated A4 JPEG scans (200 dpi)
# and a 100-page vector PDF added as evidence. Prints wall time, peak RSS, pages, the evidence
# bytes and the output sizes (the zip against evidence + text-only PDF and DOCX).
# Anchor (issue 16): img2pdf + qpdf doing the same merge take 0.71 s and 141 MB on 2 cores.
# usage: benches/evidence.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-160}
cargo build --release --quiet --example gen_evidence
cargo build --release --quiet
export SOURCE_DATE_EPOCH=0
dir=target/bench-evidence/dossier
./target/release/examples/gen_evidence bench "$dir" "$n" >/dev/null
evidence=$(du -cb "$dir"/evidence/scans/* | tail -1 | cut -f1)
# The text-only volume: the plain city fixture, built the same way.
./target/release/dossier build fixtures/dalian-2023-city -o target/bench-evidence/plain >/dev/null
plain=$(du -cb target/bench-evidence/plain/*.pdf target/bench-evidence/plain/*.docx | tail -1 | cut -f1)
rm -rf target/bench-evidence/out
for run in 1 2 3; do
  /usr/bin/time -f '%e %M' -o target/bench-evidence/time.txt \
    ./target/release/dossier build "$dir" -o target/bench-evidence/out >/dev/null
  read -r wall kb < target/bench-evidence/time.txt
  printf 'run %s: %s s wall, %s KB peak\n' "$run" "$wall" "$kb"
done
pdf=$(ls target/bench-evidence/out/*.pdf); zip=$(ls target/bench-evidence/out/*.zip)
pages=$(pdfinfo "$pdf" 2>/dev/null | awk '/^Pages:/ {print $2}' || echo '?')
pdf_b=$(stat -c %s "$pdf"); zip_b=$(stat -c %s "$zip")
printf 'pages %s; evidence %s B; text-only PDF+DOCX %s B; bound PDF %s B; zip %s B; zip / (evidence + text-only) = %s\n' \
  "$pages" "$evidence" "$plain" "$pdf_b" "$zip_b" "$(awk -v z="$zip_b" -v e="$evidence" -v p="$plain" 'BEGIN{printf "%.3f", z/(e+p)}')"
