#!/usr/bin/env bash
# Builds the package, then runs every benchmark of issue 11 side by side (bench/run.mjs: sizes,
# cold starts in Node and workerd, signing, key generation and verification in Node, verification
# in workerd), prints the tables and writes bench/RESULTS.md. About 5 minutes on 2 cores;
# BENCH_QUICK=1 for a one-minute smoke run (not a record).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh >/dev/null
bash scripts/build.sh
node bench/run.mjs
