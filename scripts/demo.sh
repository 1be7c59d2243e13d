#!/usr/bin/env bash
# The main demo: builds the package (installing what it needs, idempotently) and runs the
# Node quickstart, which issues, verifies and rejects tokens step by step.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
node js-examples/node-quickstart/index.mjs
