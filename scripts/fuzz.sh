#!/usr/bin/env bash
# Runs the cargo-fuzz (libFuzzer) targets in fuzz/, one after another.
#
#   scripts/fuzz.sh [--no-record] [seconds-per-target] [target...]
#
# Default: every target for 60 s. New corpus entries go to fuzz/work/<target>/ (ignored by git;
# the committed seeds in fuzz/corpus/<target>/ are only read), crash inputs to
# fuzz/artifacts/<target>/. Each run appends a line to fuzz/HOURS.md (date, target, seconds,
# executions, crashes) so fuzzing time adds up across sessions; --no-record (the test command's
# brief run) leaves it alone. Prints one "fuzz result: <target> ok|FAILED ..." line per target
# and exits non-zero if any target crashed. For long runs on a shared machine: nice -n 19.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

record=1
if [ "${1:-}" = "--no-record" ]; then
  record=0
  shift
fi
seconds=${1:-60}
shift || true
all_targets=(decode verify_hmac verify_rsa verify_ec verify_eddsa jwk jwks pem x509 decode_vs_verify)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")

log() { printf '\033[1m[fuzz]\033[0m %s\n' "$*" >&2; }

# cargo-fuzz needs nightly (sanitizer flags): the nightly toolchain if rustup has it or can
# install it, else the stable compiler with RUSTC_BOOTSTRAP=1, which accepts the same flags.
toolchain=()
if rustup run nightly rustc --version >/dev/null 2>&1; then
  toolchain=(+nightly)
elif rustup toolchain install nightly --profile minimal >/dev/null 2>&1; then
  log "installed the nightly toolchain (minimal profile)"
  toolchain=(+nightly)
else
  log "no nightly toolchain; using stable with RUSTC_BOOTSTRAP=1"
  export RUSTC_BOOTSTRAP=1
fi
cargo fuzz --version >/dev/null 2>&1 || bash scripts/setup.sh >&2

# The fuzz workspace has its own lock file: it must pin the versions that ship.
node scripts/check-fuzz-lock.mjs

# -a: debug assertions, so arithmetic overflow is a crash rather than a silent wrap.
log "building the fuzz targets (cargo ${toolchain[*]:-} fuzz build -a)"
cargo "${toolchain[@]}" fuzz build -a --fuzz-dir fuzz >&2
host=$(rustc "${toolchain[@]}" -vV | sed -n 's/^host: //p')
bin_dir="fuzz/target/$host/release"

max_len() {
  case "$1" in
    jwks) echo 65536 ;;
    jwk | pem) echo 8192 ;;
    *) echo 16500 ;; # just over the 16 KiB token limit
  esac
}
dict() {
  case "$1" in
    jwk | jwks | verify_hmac) echo fuzz/dict/json.dict ;;
    pem) echo fuzz/dict/pem.dict ;;
    *) echo fuzz/dict/token.dict ;;
  esac
}

if [ "$record" -eq 1 ] && [ ! -f fuzz/HOURS.md ]; then
  printf '%s\n\n%s\n%s\n' "# Fuzzing time (appended by scripts/fuzz.sh)" \
    "| date (UTC) | target | seconds | executions | crashes |" "|---|---|---|---|---|" > fuzz/HOURS.md
fi

failed=0
for target in "${targets[@]}"; do
  [ -x "$bin_dir/$target" ] || { echo "unknown fuzz target: $target (known: ${all_targets[*]})" >&2; exit 2; }
  work="fuzz/work/$target"
  artifacts="fuzz/artifacts/$target"
  mkdir -p "$work" "$artifacts"
  before=$(find "$artifacts" -type f ! -name 'slow-unit-*' | wc -l)
  out=$(mktemp)
  start=$(date +%s)
  status=0
  "$bin_dir/$target" "$work" "fuzz/corpus/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len="$(max_len "$target")" -dict="$(dict "$target")" -print_final_stats=1 \
    -artifact_prefix="$artifacts/" > "$out" 2>&1 || status=$?
  elapsed=$(($(date +%s) - start))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out" | tail -1)
  crashes=$(($(find "$artifacts" -type f ! -name 'slow-unit-*' | wc -l) - before))
  if [ "$status" -ne 0 ] && [ "$crashes" -eq 0 ]; then crashes=1; fi
  if [ "$crashes" -eq 0 ]; then
    echo "fuzz result: $target ok ($elapsed s, ${execs:-0} runs)"
  else
    failed=1
    echo "fuzz result: $target FAILED ($crashes crash(es) in $elapsed s; inputs in $artifacts/)"
    grep -E 'panicked at|ERROR: |SUMMARY' "$out" | head -5 >&2 || true
    log "reproduce: $bin_dir/$target <input>; make each input a regression test in tests/"
  fi
  if [ "$record" -eq 1 ]; then
    printf '| %s | %s | %s | %s | %s |\n' "$(date -u '+%Y-%m-%d %H:%M')" "$target" "$elapsed" "${execs:-0}" "$crashes" >> fuzz/HOURS.md
  fi
  rm -f "$out"
done

if [ "$record" -eq 1 ]; then
  log "total recorded so far (fuzz/HOURS.md):"
  awk -F'|' '$4 ~ /^ *[0-9]+ *$/ { gsub(/ /, "", $3); s[$3] += $4; e[$3] += $5; c[$3] += $6 }
    END { for (t in s) printf "  %-18s %7.1f min %14d runs %3d crashes\n", t, s[t] / 60, e[t], c[t] }' fuzz/HOURS.md | sort >&2
fi
exit "$failed"
