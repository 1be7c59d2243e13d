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

# One .wasm, two sets of bindings: `nodejs` (compiled synchronously at require time) for Node,
# and `web` (an `initSync({ module })` entry) for browsers, bundlers and workerd.
# --weak-refs: wasm objects are freed by a FinalizationRegistry when their JS wrapper is
# collected. --remove-name-section: function names only serve debugging (~100 KB); the core
# has no panic path whose trace would need them.
for target in web nodejs; do
  out=pkg/dist/$target
  [ "$target" = nodejs ] && out=pkg/dist/node
  if [ ! -f "$out/jwtward_core.js" ] || [ "$wasm" -nt "$out/jwtward_core.js" ]; then
    rm -rf "$out"
    wasm-bindgen --target "$target" --weak-refs --remove-name-section --omit-default-module-path \
      --out-dir "$out" --out-name jwtward_core "$wasm"
  fi
done
node scripts/gen-esm.mjs

printf '[build] %s: %s bytes, %s gzip\n' pkg/dist/web/jwtward_core_bg.wasm \
  "$(wc -c < pkg/dist/web/jwtward_core_bg.wasm)" "$(gzip -9c pkg/dist/web/jwtward_core_bg.wasm | wc -c)"
