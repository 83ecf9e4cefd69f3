#!/usr/bin/env bash
# Wall time of `dossier check` on the Dalian city fixture, beside an independent validator.
# usage: benches/check.sh   (needs hyperfine; check-jsonschema is optional)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
cmds=('./target/release/dossier check fixtures/dalian-2023-city')
if command -v check-jsonschema >/dev/null; then
  cmds+=('check-jsonschema --schemafile schemas/dossier.schema.json fixtures/dalian-2023-city/dossier.yaml')
fi
hyperfine -N --warmup 3 --runs 30 "${cmds[@]}"
