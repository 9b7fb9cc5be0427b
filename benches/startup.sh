#!/usr/bin/env bash
# benches/startup.sh: how long the console takes from exec to its first frame with rows in it.
#
#   benches/startup.sh sandbox [--medusa-version 1|2]   an embedded sandbox this script starts
#   benches/startup.sh v1     a real Medusa v1: eval "$(scripts/real-medusa-v1 env)" first
#   benches/startup.sh v2     a real Medusa v2: eval "$(scripts/real-medusa-v2 env)" first
#
# Options: --runs R (default 30), --detect (let the console detect the dialect, one probe more,
# instead of passing --medusa-version), --bin PATH (default: the release build, built if missing).
#
# Each run starts the console in a pseudo-terminal (util-linux `script`) with the benchmark hook
# MEDUSA_USERS_EXIT_AFTER_FIRST_DATA=1, which quits right after the first frame that shows users,
# and MEDUSA_USERS_LOG=info, under which the console logs "startup: first frame with data after
# N ms" (measured from the first line of `main`). It prints the medians of that figure and of the
# whole run's wall time (exec to exit, as bash's `time` sees it, pseudo-terminal included).
# Loopback servers only.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUNS=30
BIN=""
MODE=""
SANDBOX_VERSION=1
DETECT=0

die() {
  printf 'startup.sh: %s\n' "$*" >&2
  exit 1
}
say() { printf '[startup] %s\n' "$*" >&2; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    sandbox | v1 | v2) MODE=$1 ;;
    --runs) RUNS=${2:?}; shift ;;
    --bin) BIN=${2:?}; shift ;;
    --medusa-version) SANDBOX_VERSION=${2:?}; shift ;;
    --detect) DETECT=1 ;;
    -h | --help) sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
  shift
done
[[ -n "$MODE" ]] || die "say which server: sandbox, v1 or v2 (see --help)"
[[ "$RUNS" =~ ^[0-9]+$ && "$RUNS" -ge 1 && "$RUNS" -le 500 ]] || die "--runs must be 1..500"
[[ "$SANDBOX_VERSION" == 1 || "$SANDBOX_VERSION" == 2 ]] || die "--medusa-version must be 1 or 2"
command -v script >/dev/null || die "needs util-linux's script(1) for a pseudo-terminal"

if [[ -z "$BIN" ]]; then
  BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/medusa-users"
  say "building the release binary ..."
  (cd "$ROOT" && cargo build --release --quiet) || die "cargo build --release failed"
fi
[[ -x "$BIN" ]] || die "no binary at $BIN"

WORK=$(mktemp -d)
SANDBOX_PID=""
cleanup() {
  [[ -n "$SANDBOX_PID" ]] && kill "$SANDBOX_PID" 2>/dev/null && wait "$SANDBOX_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

loopback() { [[ "$1" =~ ^https?://(127\.[0-9.]+|localhost|\[::1\])(:[0-9]+)?(/.*)?$ ]]; }

case "$MODE" in
  sandbox)
    DIALECT=$SANDBOX_VERSION
    PORT=$((20000 + RANDOM % 20000))
    URL="http://127.0.0.1:$PORT"
    if [[ "$DIALECT" == 1 ]]; then
      TOKEN=local-dev-admin-api-token
    else
      TOKEN=sk_73616e64626f782d61646d696e2d7365637265742d6b65792d666f722d746573
    fi
    say "starting a v$DIALECT sandbox with 2000 users on $URL ..."
    "$BIN" --medusa-version "$DIALECT" sandbox --seed 2000 --addr "127.0.0.1:$PORT" \
      --data "$WORK/sandbox.sqlite3" --outbox "$WORK/outbox.jsonl" >"$WORK/sandbox.log" 2>&1 &
    SANDBOX_PID=$!
    for _ in $(seq 1 600); do
      curl -fsS -o /dev/null "$URL/health" 2>/dev/null && break
      kill -0 "$SANDBOX_PID" 2>/dev/null || die "the sandbox did not start: $(cat "$WORK/sandbox.log")"
      sleep 0.1
    done
    ;;
  v1)
    DIALECT=1
    URL=${MEDUSA_V1_URL:?'eval "$(scripts/real-medusa-v1 env)" first'}
    TOKEN=${MEDUSA_V1_API_TOKEN:?}
    ;;
  v2)
    DIALECT=2
    URL=${MEDUSA_V2_URL:?'eval "$(scripts/real-medusa-v2 env)" first'}
    TOKEN=${MEDUSA_V2_SECRET_KEY:?}
    ;;
esac
loopback "$URL" || die "$URL is not on loopback"

VERSION_ARG="--medusa-version $DIALECT"
[[ "$DETECT" == 1 ]] && VERSION_ARG="--medusa-version auto"
# The token goes through the environment, never argv.
export MEDUSA_API_TOKEN=$TOKEN MEDUSA_USERS_EXIT_AFTER_FIRST_DATA=1 MEDUSA_USERS_LOG=info
export MEDUSA_USERS_LOG_FILE="$WORK/log" TERM=${TERM:-xterm-256color}
# A home of its own: no remembered session or config file changes what is measured.
export HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/home/.config" XDG_STATE_HOME="$WORK/home/.state"
export XDG_DATA_HOME="$WORK/home/.data"
mkdir -p "$HOME"

say "$RUNS runs of: medusa-users --url $URL $VERSION_ARG ..."
TIMEFORMAT='%3R'
for _ in $(seq 1 "$RUNS"); do
  # script(1)'s terminal has no size until told: 100×30, a page of 20-odd rows, as an operator's.
  { time script -qfec "stty rows 30 cols 100; exec '$BIN' --url '$URL' $VERSION_ARG" /dev/null \
    >/dev/null 2>&1; } 2>>"$WORK/wall" ||
    die "the console failed: $(tail -3 "$WORK/log" 2>/dev/null)"
done
grep -o 'first frame with data after [0-9.]* ms' "$WORK/log" | awk '{ print $6 }' >"$WORK/first"
[[ $(wc -l <"$WORK/first") -eq "$RUNS" ]] ||
  die "expected $RUNS startup lines in the log, got $(wc -l <"$WORK/first"): $(tail -3 "$WORK/log")"

median() {
  sort -g "$1" | awk '{ v[NR] = $1 } END {
    if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
first=$(median "$WORK/first")
wall=$(median "$WORK/wall")
printf '\nMedusa v%s (%s%s), %s runs, medians:\n' "$DIALECT" "$MODE" \
  "$([[ "$DETECT" == 1 ]] && echo ", dialect detected" || true)" "$RUNS"
printf '  main → first frame with data: %6.1f ms\n' "$first"
printf '  exec → exit (whole run):      %6.1f ms\n' "$(awk -v w="$wall" 'BEGIN { print w * 1000 }')"
printf 'machine: %s cores, load %s\n' "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
