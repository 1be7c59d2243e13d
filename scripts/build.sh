#!/usr/bin/env bash
# Builds the wasm core once and generates the package's bindings into pkg/dist/ (ignored by git).
# cargo and wasm-bindgen both skip work when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
[ -f .tools/env ] && . .tools/env

CARGO=${JWTWARD_WASM_CARGO:-cargo}
# Settings measured in bench/analysis.md (opt-level x precomputed tables x wasm-opt, against
# speed): opt-level 3 (Cargo.toml), and no precomputed curve tables (--no-default-features):
# 70 KB gzip less, verification as fast, only ES/EdDSA signing slower.
# Two modules from one crate: the full one (feature `wasm-asym`: RSA/ECDSA/Ed25519 in wasm) and
# the slim one (without it: the host's crypto does those). A cdylib's file name has no feature
# hash, so each has its own target directory (else each build would overwrite the other's and
# both would rebuild every time).
out_dir=target/wasm32-unknown-unknown/release
# The slim module is built with Cargo.toml's `slim` profile (opt-level 2) and LLVM's inline
# threshold at 40 (O2's default is 225): 30 KB gzip less than opt-level 3 at about the same speed
# (measured in bench/analysis.md, with opt-level s and z). The rustflags are given here for the slim
# build only (a profile cannot carry rustflags on stable); they repeat .cargo/config.toml's cfg,
# since this variable may replace that file's list. JWTWARD_SLIM_OPT_LEVEL (e.g. 3, s or z) and
# JWTWARD_SLIM_INLINE (an LLVM inline threshold) override them to compare.
if [ -n "${JWTWARD_SLIM_OPT_LEVEL:-}" ]; then export CARGO_PROFILE_SLIM_OPT_LEVEL=$JWTWARD_SLIM_OPT_LEVEL; fi
# shellcheck disable=SC2086
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--cfg getrandom_backend=\"wasm_js\" -C llvm-args=-inline-threshold=${JWTWARD_SLIM_INLINE:-40}" \
  $CARGO build --profile slim --lib --target wasm32-unknown-unknown --no-default-features --target-dir target/slim ${JWTWARD_BUILD_STD:-}
unset CARGO_PROFILE_SLIM_OPT_LEVEL
# shellcheck disable=SC2086
$CARGO build --release --lib --target wasm32-unknown-unknown --no-default-features --features wasm-asym ${JWTWARD_BUILD_STD:-}
wasm=$out_dir/jwtward.wasm
slim_wasm=target/slim/wasm32-unknown-unknown/slim/jwtward.wasm

# Optional: binaryen's wasm-opt (npm devDependency, v132) on rustc's output, before wasm-bindgen
# (after it, it breaks the externref table), e.g. JWTWARD_WASM_OPT=-O3. Off by default: it took
# 7% off the raw size but added 1.5% to the gzip size, at the same speed.
if [ -n "${JWTWARD_WASM_OPT:-}" ]; then
  opt_wasm=target/wasm32-unknown-unknown/release/jwtward.opt.wasm
  if [ ! -f "$opt_wasm" ] || [ "$wasm" -nt "$opt_wasm" ] || [ "$(cat "$opt_wasm.flags" 2>/dev/null)" != "$JWTWARD_WASM_OPT" ]; then
    # What current rustc emits for wasm32-unknown-unknown; binaryen must be told.
    # shellcheck disable=SC2086
    node_modules/.bin/wasm-opt --enable-bulk-memory --enable-sign-ext --enable-nontrapping-float-to-int \
      --enable-mutable-globals --enable-reference-types --enable-multivalue $JWTWARD_WASM_OPT "$wasm" -o "$opt_wasm"
    echo "$JWTWARD_WASM_OPT" > "$opt_wasm.flags"
  fi
  wasm=$opt_wasm
fi

# One .wasm, two sets of bindings: `nodejs` (compiled synchronously at require time) for Node,
# and `web` (an `initSync({ module })` entry) for browsers, bundlers and workerd.
# --weak-refs: wasm objects are freed by a FinalizationRegistry when their JS wrapper is
# collected. --remove-name-section: function names only serve debugging (~100 KB); the core
# has no panic path whose trace would need them.
# The bindings of a .wasm into $2/web and $2/node, regenerated when the .wasm they come from
# changed, or is another file.
bindings() {
  local wasm=$1 root=$2 stamp target out
  stamp="$wasm $(stat -c %Y "$wasm")"
  for target in web nodejs; do
    out=$root/$target
    [ "$target" = nodejs ] && out=$root/node
    if [ ! -f "$out/jwtward_core.js" ] || [ "$(cat "$out/.source" 2>/dev/null)" != "$stamp" ]; then
      rm -rf "$out"
      wasm-bindgen --target "$target" --weak-refs --remove-name-section --omit-default-module-path \
        --out-dir "$out" --out-name jwtward_core "$wasm"
      echo "$stamp" > "$out/.source"
    fi
  done
}
# jwtward/full's module in pkg/dist/{web,node}; the default (slim) one in pkg/dist/slim/{web,node}.
bindings "$wasm" pkg/dist
bindings "$slim_wasm" pkg/dist/slim
node scripts/gen-esm.mjs
# The package carries the licence texts (listed in pkg/package.json "files").
cp LICENSE-MIT LICENSE-APACHE pkg/

for built in pkg/dist/web/jwtward_core_bg.wasm pkg/dist/slim/web/jwtward_core_bg.wasm; do
  printf '[build] %s: %s bytes, %s gzip\n' "$built" "$(wc -c < "$built")" "$(gzip -9c "$built" | wc -c)"
done
