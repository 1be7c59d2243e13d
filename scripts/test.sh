#!/usr/bin/env bash
# Runs every test layer: the Rust core natively, the core inside wasm under Node and in
# headless Chromium (wasm-bindgen-test), the JS package through its ESM and CommonJS entries
# (node:test; the RedisStore tests start their own redis-server, which setup.sh installs), the
# package and the Worker example in workerd (Miniflare), the browser inspector and the smoke
# suite in Chromium, the TypeScript types, the packed tarball installed into Node and bundler
# projects, the issuer server, Redis Cluster, the README code blocks, and each fuzz target
# briefly. Layers that start servers are bounded by `timeout`: a hang fails the run. Installs
# what it needs first (scripts/setup.sh, idempotent).
set -euo pipefail
# Test files are named on the command line (tests/<layer>/*.test.mjs, expanded by the shell): Node 22
# and later read `node --test <directory>` as one file to run and fail on it.
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

bash scripts/setup.sh
bash scripts/build.sh
[ -f .tools/env ] && . .tools/env
CARGO=${JWTWARD_WASM_CARGO:-cargo}

log=$(mktemp)
trap 'rm -f "$log"' EXIT
section() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

section "Rust formatting and lints"
cargo fmt --check
cargo clippy --all-targets --quiet -- -D warnings
# The slim core (no asymmetric arithmetic) and the wasm bindings (src/wasm/, compiled for wasm32
# only) are linted too, with the same no-panic rules (src/lib.rs).
cargo clippy --all-targets --no-default-features --quiet -- -D warnings
# shellcheck disable=SC2086
$CARGO clippy --target wasm32-unknown-unknown --lib --quiet ${JWTWARD_BUILD_STD:-} -- -D warnings
echo "fmt, clippy (native, slim, wasm32): ok"

section "Rust core, native (unit, integration, Wycheproof, doc tests)"
cargo test 2>&1 | tee -a "$log"

section "Rust core, native, slim build (no asymmetric arithmetic: key checks, HMAC, claims, refresh rules)"
cargo test --no-default-features 2>&1 | tee -a "$log"

section "Rust core inside wasm32, under Node (wasm-bindgen-test)"
# shellcheck disable=SC2086
$CARGO test --target wasm32-unknown-unknown --test wasm ${JWTWARD_BUILD_STD:-} 2>&1 | tee -a "$log"

section "JS package: ESM and CommonJS entries, jose interop, no-panic, refresh tokens on MemoryStore and RedisStore (node:test)"
# The entries' export lines are generated from src/api.js's EXPORT_NAMES: fail when one is stale.
node scripts/gen-entries.mjs --check
node --test tests/js/*.test.[cm]js 2>&1 | tee -a "$log"

section "JS package against jwtward/full, in its pure-wasm core (the API tests again, node:test)"
# tests/js/full-entry.mjs resolves every "jwtward" import and require (child processes too) to
# jwtward/full; JWTWARD_BACKEND=wasm keeps every signature in wasm, as browsers and workerd run
# synchronous calls. jwtward/full with node:crypto is covered by the runtimes, backend-select,
# Wycheproof and packaging tests.
JWTWARD_BACKEND=wasm node --import ./tests/js/full-entry.mjs --test \
  tests/js/{attacks,verify,signer,keys,smoke-node,no-panic,interop-jose,core-hardening,decode,remote-jwks,remote-jwks-store,discovery,keys-pem,x509,providers,cache,esm,api-composition}.test.mjs \
  tests/js/esm-cjs.test.cjs 2>&1 | tee -a "$log"

section "Other runtimes: the smoke suite against jwtward and jwtward/full (and jwtward/full in pure wasm) in Node 22 and 24, Deno 2 (no permission flags) and Bun 1 (node:test)"
node --test tests/runtimes/*.test.[cm]js 2>&1 | tee -a "$log"

section "Cloudflare Workers: the Worker examples (verify; issuer with refresh and logout on Durable Objects), the DurableObjectStore suite, the shared JWKS store across isolates and the smoke suite in workerd (Miniflare, node:test)"
timeout --kill-after=10 900 node --test --test-timeout=180000 tests/workerd/*.test.[cm]js 2>&1 | tee -a "$log"

section "Chromium: wasm-bindgen-test (the same tests/wasm.rs, in headless Debian Chromium)"
# The runner drives Chromium through ChromeDriver; webdriver.json (crate root) gives it the
# flags this machine needs (no sandbox as root, no background networking). The default 20 s
# limit is too tight for the Wycheproof vectors on two shared cores.
# shellcheck disable=SC2086
WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=300 \
  $CARGO test --target wasm32-unknown-unknown --test wasm ${JWTWARD_BUILD_STD:-} 2>&1 | tee -a "$log"

section "Chromium: browser inspector and smoke suite (node:test, playwright-core)"
node --test tests/browser/*.test.[cm]js 2>&1 | tee -a "$log"

section "TypeScript types (tsc --noEmit)"
npx --no-install tsc -p tests/types/tsconfig.json
echo "types: ok"

section "Documentation that runs: every js block of README.md and pkg/README.md, run as written and type-checked under --strict (nodenext and bundler)"
timeout --kill-after=10 600 node --test tests/docs/*.test.[cm]js 2>&1 | tee -a "$log"

section "Packaging and bundlers (npm pack, publint, attw, Node ESM/CJS, Vite, esbuild, webpack in Chromium)"
node --test tests/packaging/*.test.[cm]js 2>&1 | tee -a "$log"

section "Issuer server end to end: memory store, and two processes sharing Redis (node:test)"
timeout --kill-after=10 900 node --test tests/issuer/*.test.[cm]js 2>&1 | tee -a "$log"

section "Redis Cluster: RedisClusterStore on a local cluster of 3 masters and 3 replicas (redis-server, joined by redis-cli --cluster create; node:test)"
timeout --kill-after=10 900 node --test tests/redis-cluster/*.test.[cm]js 2>&1 | tee -a "$log"

section "Examples end to end: the Express API against the reference issuer (node:test)"
node --test tests/examples/*.test.[cm]js 2>&1 | tee -a "$log"

section "Examples run: the quickstart and the README's demo"
node js-examples/node-quickstart/index.mjs > /dev/null
echo "quickstart: ok"
node js-examples/issuer-server/demo.mjs > /dev/null
echo "issuer demo: ok"

section "Fuzz targets, briefly (${JWTWARD_FUZZ_SECONDS:-8} s each; scripts/fuzz.sh runs them for longer)"
# A crash is counted as a failed test below rather than stopping the script here; so is a
# fuzz build that fails before any target ran (any exit status other than 0 or 1).
fuzz_status=0
bash scripts/fuzz.sh --no-record "${JWTWARD_FUZZ_SECONDS:-8}" 2>&1 | tee -a "$log" || fuzz_status=$?
if [ "$fuzz_status" -gt 1 ]; then
  echo "fuzz result: setup FAILED (scripts/fuzz.sh exited $fuzz_status)" | tee -a "$log"
fi

# One closing line over every layer (cargo's "N passed; M failed", node's "# pass N", and one
# "fuzz result: <target> ok|FAILED" per fuzz target).
results='^test result: .*|^# (pass|fail) [0-9]+|^fuzz result: [a-z_]+ [A-Za-z]+'
passed=$(grep -hoE "$results" "$log" | awk '
  /^test result/ { for (i = 1; i <= NF; i++) if ($(i+1) ~ /^passed/) p += $i }
  /^# pass/ { p += $3 }
  /^fuzz result/ && $4 == "ok" { p += 1 } END { print p + 0 }')
failed=$(grep -hoE "$results" "$log" | awk '
  /^test result/ { for (i = 1; i <= NF; i++) if ($(i+1) ~ /^failed/) f += $i }
  /^# fail/ { f += $3 }
  /^fuzz result/ && $4 != "ok" { f += 1 } END { print f + 0 }')
printf '\nall layers: %s passed, %s failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
