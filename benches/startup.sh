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
NAME=startup.sh
# shellcheck source=benches/common.sh
source "$ROOT/benches/common.sh"
RUNS=30
BIN=""
MODE=""
SANDBOX_VERSION=1
DETECT=0


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

release_binary
WORK=$(mktemp -d)
cleanup() {
  stop_sandbox
  rm -rf "$WORK"
}
trap cleanup EXIT

case "$MODE" in
  sandbox)
    DIALECT=$SANDBOX_VERSION
    start_sandbox "$DIALECT" 2000
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

first=$(median "$WORK/first")
wall=$(median "$WORK/wall")
printf '\nMedusa v%s (%s%s), %s runs, medians:\n' "$DIALECT" "$MODE" \
  "$([[ "$DETECT" == 1 ]] && echo ", dialect detected" || true)" "$RUNS"
printf '  main → first frame with data: %6.1f ms\n' "$first"
printf '  exec → exit (whole run):      %6.1f ms\n' "$(awk -v w="$wall" 'BEGIN { print w * 1000 }')"
printf 'machine: %s cores, load %s\n' "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
