#!/usr/bin/env bash
# Builds the package, then runs every benchmark (bench/run.mjs): prints the table and writes
# bench/RESULTS.md. Takes about 10 minutes; BENCH_QUICK=1 for a short smoke run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
bash scripts/build.sh
node bench/run.mjs
