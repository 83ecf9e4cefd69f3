#!/bin/sh
# The fuzz targets of tests/it/fuzz.rs for longer: FUZZ_SECONDS per target (default 300, so
# the four targets, run two at a time on two cores, take about 10 minutes in all).
# Usage: fuzz/run.sh [SECONDS]   — prints the executions of each target.
set -eu
cd "$(dirname "$0")/.."
FUZZ_SECONDS="${1:-300}" nice cargo test --locked --test it -- fuzz:: --nocapture --test-threads=2 2>&1 | grep -E "^fuzz |test result|panicked|FAILED"
