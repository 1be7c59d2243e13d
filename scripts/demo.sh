#!/usr/bin/env bash
# The main demo: builds the package (installing what it needs, idempotently), starts the
# reference issuer server on embedded defaults (127.0.0.1, memory store, a throw-away data
# directory) and plays a client through register, login, a protected call, refresh, a replayed
# refresh token (its family revoked) and logout, printing each step; then stops the server.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --demo
bash scripts/build.sh
node js-examples/issuer-server/demo.mjs
