#!/usr/bin/env bash
# Builds the wasm in each combination of opt-level (3, s, z) x precomputed curve tables (on,
# off, or slim: no asymmetric arithmetic at all, the slim module) x wasm-opt (none, or binaryen's -O3/-Os/-Oz on rustc's output, before wasm-bindgen),
# with nodejs bindings into target/size-matrix/<variant>/, and prints each size raw and gzip.
# INLINES="40 75" adds LLVM inline thresholds as a dimension (`-C llvm-args=-inline-threshold=N`,
# as scripts/build.sh builds the slim module: opt-level 2, inline 40); "-" is the opt-level's own.
# The slim variants' speed side by side in Node, with node:crypto as the host:
# VARIANTS=<a>,<b> node bench/variants-node.mjs (bench/analysis.md, "Build profile").
# bench/size-speed.mjs then measures every variant's pure-wasm speed. This is how the settings
# in scripts/build.sh were chosen; rerun it when the dependencies change.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
out=target/size-matrix
mkdir -p "$out"
WASM_OPT=node_modules/.bin/wasm-opt
# What current rustc emits for wasm32-unknown-unknown; binaryen must be told.
FEATURES="--enable-bulk-memory --enable-sign-ext --enable-nontrapping-float-to-int --enable-mutable-globals --enable-reference-types --enable-multivalue"
printf '%-16s %10s %10s\n' variant raw gzip
for opt in ${OPT_LEVELS:-3 s z}; do
  for inline in ${INLINES:--}; do
  for tables in ${TABLES:-on off slim}; do
    flags=""
    [ "$tables" = off ] && flags="--no-default-features --features wasm-asym"
    [ "$tables" = slim ] && flags="--no-default-features"
    build="$out/build-$opt-$tables"
    rustflags='--cfg getrandom_backend="wasm_js"'
    if [ "$inline" != - ]; then
      build="$build-inline$inline"
      rustflags="$rustflags -C llvm-args=-inline-threshold=$inline"
    fi
    # shellcheck disable=SC2086
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="$rustflags" CARGO_PROFILE_RELEASE_OPT_LEVEL=$opt \
      cargo build --quiet --release --lib --target wasm32-unknown-unknown $flags --target-dir "$build"
    raw="$build/wasm32-unknown-unknown/release/jwtward.wasm"
    for wopt in ${WASM_OPTS:-none O3 Os Oz}; do
      name="o$opt-tables-$tables-wasmopt-$wopt"
      [ "$inline" != - ] && name="o$opt-inline$inline-tables-$tables-wasmopt-$wopt"
      src="$raw"
      if [ "$wopt" != none ]; then
        # shellcheck disable=SC2086
        "$WASM_OPT" $FEATURES "-$wopt" "$raw" -o "$out/$name.wasm"
        src="$out/$name.wasm"
      fi
      rm -rf "${out:?}/$name"
      wasm-bindgen --target nodejs --remove-name-section --omit-default-module-path --out-dir "$out/$name" --out-name jwtward_core "$src"
      wasm="$out/$name/jwtward_core_bg.wasm"
      printf '%-34s %10s %10s\n' "$name" "$(wc -c < "$wasm")" "$(gzip -9c "$wasm" | wc -c)"
    done
  done
  done
done
