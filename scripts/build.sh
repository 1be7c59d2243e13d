#!/usr/bin/env bash
# Builds the wasm core once and generates the package's bindings into pkg/dist/ (ignored by git).
# cargo and wasm-bindgen both skip work when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
[ -f .tools/env ] && . .tools/env

CARGO=${JWTWARD_WASM_CARGO:-cargo}
# shellcheck disable=SC2086
$CARGO build --release --lib --target wasm32-unknown-unknown ${JWTWARD_BUILD_STD:-}
wasm=target/wasm32-unknown-unknown/release/jwtward.wasm

out=pkg/dist/node
if [ ! -f "$out/jwtward_core_bg.wasm" ] || [ "$wasm" -nt "$out/jwtward_core_bg.wasm" ]; then
  rm -rf "$out"
  # --weak-refs: wasm objects are freed by a FinalizationRegistry when their JS wrapper is
  # collected. --remove-name-section: function names only serve debugging (~100 KB); the core
  # has no panic path whose trace would need them.
  wasm-bindgen --target nodejs --weak-refs --remove-name-section --out-dir "$out" --out-name jwtward_core "$wasm"
fi
printf '[build] %s: %s bytes, %s gzip\n' "$out/jwtward_core_bg.wasm" \
  "$(wc -c < "$out/jwtward_core_bg.wasm")" "$(gzip -9c "$out/jwtward_core_bg.wasm" | wc -c)"
