#!/usr/bin/env bash
# benches/compare.sh: `medusa-users users list --all --json` against the official Medusa JS client
# paging through the same users, and against the floor (one curl request of every user).
#
#   benches/compare.sh sandbox [--medusa-version 2]   an embedded sandbox this script starts
#   benches/compare.sh v1     a real Medusa v1: eval "$(scripts/real-medusa-v1 env)" first
#   benches/compare.sh v2     a real Medusa v2: eval "$(scripts/real-medusa-v2 env)" first
#
# Options: --users N (default 2000, at most 50000), --runs R (rounds, default 10),
#          --js-page P (the JS client's page size; default 50, the server's own default, which
#          is what a client that does not choose gets), --bin PATH (default: the release build in
#          $CARGO_TARGET_DIR or target/, built if missing).
#
# It seeds the server up to N users besides the admin (sandbox: `sandbox --seed N`; real servers:
# rows inserted into their PostgreSQL through MEDUSA_V?_DATABASE_URL, e-mails bench-…@example.com,
# which `--unseed` removes again), installs the JS clients with `npm ci` from benches/js/ into
# benches/js/node_modules (git-ignored), then runs the three in turn, A B C A B C …, so that
# anything else the machine does falls on all of them alike. Each run is one process: its wall
# and CPU (user+sys) time from bash, its peak RSS from GNU time. It prints medians and ratios. Only
# loopback servers are accepted: this is a benchmark, not a load test of someone's store.
# See docs/performance.md for the method and the latest figures.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NAME=compare.sh
# shellcheck source=benches/common.sh
source "$ROOT/benches/common.sh"
JS_DIR="$ROOT/benches/js"
USERS=2000
RUNS=10
JS_PAGE=50
BIN=""
MODE=""
SANDBOX_VERSION=1
UNSEED=0


while [[ $# -gt 0 ]]; do
  case "$1" in
    sandbox | v1 | v2) MODE=$1 ;;
    --users) USERS=${2:?}; shift ;;
    --runs) RUNS=${2:?}; shift ;;
    --js-page) JS_PAGE=${2:?}; shift ;;
    --bin) BIN=${2:?}; shift ;;
    --medusa-version) SANDBOX_VERSION=${2:?}; shift ;;
    --unseed) UNSEED=1 ;;
    -h | --help) sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument: $1 (see --help)" ;;
  esac
  shift
done
[[ -n "$MODE" ]] || die "say which server: sandbox, v1 or v2 (see --help)"
[[ "$USERS" =~ ^[0-9]+$ && "$USERS" -ge 1 && "$USERS" -le 50000 ]] || die "--users must be 1..50000"
[[ "$RUNS" =~ ^[0-9]+$ && "$RUNS" -ge 1 && "$RUNS" -le 200 ]] || die "--runs must be 1..200"
[[ "$JS_PAGE" =~ ^[0-9]+$ && "$JS_PAGE" -ge 1 ]] || die "--js-page must be a positive number"
[[ "$SANDBOX_VERSION" == 1 || "$SANDBOX_VERSION" == 2 ]] || die "--medusa-version must be 1 or 2"

# GNU time, not the shell keyword: it reports peak RSS and writes to a file.
TIME=/usr/bin/time
"$TIME" -f '%e' -o /dev/null true 2>/dev/null || die "GNU time is needed at /usr/bin/time (apt-get install time)"
for tool in node npm curl; do
  command -v "$tool" >/dev/null || die "$tool is needed"
done

WORK=$(mktemp -d)
cleanup() {
  stop_sandbox
  rm -rf "$WORK"
}
trap cleanup EXIT
release_binary

# ----- the server -------------------------------------------------------------------------

seed_sql() { # $1 = dialect 1|2, $2 = database URL: insert bench users until there are $USERS
  local table_cols values
  command -v psql >/dev/null || die "psql is needed to seed a real server"
  loopback "$(printf '%s' "$2" | sed -E 's#^postgres(ql)?://[^@]*@#http://#')" ||
    die "the database is not on loopback"
  if [[ "$UNSEED" == 1 ]]; then
    psql -q -v ON_ERROR_STOP=1 "$2" -c "DELETE FROM \"user\" WHERE email LIKE 'bench-%@example.com'" >&2
    say "removed the bench users"
    exit 0
  fi
  # Plain rows, no password: they list like any user and cannot log in. created_at apart, so
  # the newest-first order is total.
  if [[ "$1" == 1 ]]; then
    table_cols='id, email, first_name, last_name, role, created_at, updated_at'
    values="'usr_bench_' || lpad(i::text, 6, '0'), 'bench-' || lpad(i::text, 6, '0') || '@example.com',
            'Bench', 'User ' || i, 'member', now() - make_interval(secs => i), now() - make_interval(secs => i)"
  else
    table_cols='id, email, first_name, last_name, created_at, updated_at'
    values="'user_bench_' || lpad(i::text, 6, '0'), 'bench-' || lpad(i::text, 6, '0') || '@example.com',
            'Bench', 'User ' || i, now() - make_interval(secs => i), now() - make_interval(secs => i)"
  fi
  psql -q -v ON_ERROR_STOP=1 "$2" >&2 <<SQL
INSERT INTO "user" ($table_cols)
SELECT $values FROM generate_series(1, $USERS) AS i
ON CONFLICT DO NOTHING;
DELETE FROM "user" WHERE email LIKE 'bench-%@example.com'
  AND substring(email from 7 for 6)::int > $USERS;
SQL
}

case "$MODE" in
  sandbox)
    DIALECT=$SANDBOX_VERSION
    start_sandbox "$DIALECT" "$USERS"
    ;;
  v1)
    DIALECT=1
    URL=${MEDUSA_V1_URL:?'eval "$(scripts/real-medusa-v1 env)" first'}
    TOKEN=${MEDUSA_V1_API_TOKEN:?}
    loopback "$URL" || die "$URL is not on loopback"
    say "seeding $URL up to $USERS bench users ..."
    seed_sql 1 "${MEDUSA_V1_DATABASE_URL:?}"
    ;;
  v2)
    DIALECT=2
    URL=${MEDUSA_V2_URL:?'eval "$(scripts/real-medusa-v2 env)" first'}
    TOKEN=${MEDUSA_V2_SECRET_KEY:?}
    loopback "$URL" || die "$URL is not on loopback"
    say "seeding $URL up to $USERS bench users ..."
    seed_sql 2 "${MEDUSA_V2_DATABASE_URL:?}"
    ;;
esac
URL=${URL%/}

# The credentials go through a curl config file, not argv (other local users can read argv).
if [[ "$DIALECT" == 1 ]]; then
  printf 'header = "x-medusa-access-token: %s"\n' "$TOKEN" >"$WORK/curl.conf"
else
  printf 'user = "%s:"\n' "$TOKEN" >"$WORK/curl.conf"
fi
chmod 600 "$WORK/curl.conf"
TOTAL=$(curl -fsS -K "$WORK/curl.conf" "$URL/admin/users?limit=1" | sed -nE 's/.*"count": ?([0-9]+).*/\1/p')
[[ -n "$TOTAL" ]] || die "cannot list users at $URL"
say "$TOTAL users at $URL (Medusa v$DIALECT)"

# ----- the JS client ------------------------------------------------------------------------

if [[ ! -f "$JS_DIR/node_modules/.bench-installed" || "$JS_DIR/package-lock.json" -nt "$JS_DIR/node_modules/.bench-installed" ]]; then
  say "installing the JS clients (npm ci in benches/js) ..."
  (cd "$JS_DIR" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
  touch "$JS_DIR/node_modules/.bench-installed"
fi
JS_NAME=$([[ "$DIALECT" == 1 ]] && echo "medusa-js" || echo "js-sdk")

# ----- the runs -----------------------------------------------------------------------------

run() { # $1 = name; the rest = the command. Appends "wall cpu rss_kb" to $WORK/$1, checks output.
  local name=$1
  shift
  # Wall and CPU (user+sys, of the process and its children) in ms from bash's `time`, peak RSS
  # from GNU time, which runs the process (and adds well under a millisecond to each).
  local TIMEFORMAT='%3R %3U %3S'
  { time "$TIME" -f '%M' -o "$WORK/rss" "$@" >"$WORK/out" 2>"$WORK/err"; } 2>"$WORK/time" ||
    die "$name failed: $(tail -3 "$WORK/err")"
  local listed
  listed=$(grep -o '"email"' "$WORK/out" | wc -l)
  [[ "$listed" -ge "$TOTAL" ]] || die "$name listed $listed of $TOTAL users"
  awk -v rss="$(cat "$WORK/rss")" '{ printf "%s %.3f %s\n", $1, $2 + $3, rss }' "$WORK/time" >>"$WORK/$name"
}

export MEDUSA_API_TOKEN=$TOKEN BENCH_URL=$URL BENCH_TOKEN=$TOKEN BENCH_DIALECT=$DIALECT BENCH_PAGE=$JS_PAGE
say "$RUNS rounds of: medusa-users, $JS_NAME (pages of $JS_PAGE), curl (one request) ..."
for round in $(seq 1 "$RUNS"); do
  run medusa-users "$BIN" --url "$URL" --medusa-version "$DIALECT" users list --all --json
  run "$JS_NAME" node "$JS_DIR/list-users.js"
  run curl curl -fsS -K "$WORK/curl.conf" "$URL/admin/users?limit=$TOTAL&offset=0"
  printf '.' >&2
done
printf '\n' >&2

printf '\n%s users, Medusa v%s (%s), %s rounds, medians; %s at pages of %s\n\n' \
  "$TOTAL" "$DIALECT" "$MODE" "$RUNS" "$JS_NAME" "$JS_PAGE"
printf '| %-12s | %8s | %8s | %8s | %13s | %13s | %11s |\n' \
  process "wall ms" "CPU ms" "RSS MB" "wall / floor" "wall / JS" "CPU / JS"
printf '|%s|%s|%s|%s|%s|%s|%s|\n' -------------- ---------- ---------- ---------- --------------- --------------- -------------
floor_wall=$(median "$WORK/curl" 1)
js_wall=$(median "$WORK/$JS_NAME" 1)
js_cpu=$(median "$WORK/$JS_NAME" 2)
for name in medusa-users "$JS_NAME" curl; do
  wall=$(median "$WORK/$name" 1)
  cpu=$(median "$WORK/$name" 2)
  rss=$(median "$WORK/$name" 3)
  awk -v n="$name" -v w="$wall" -v c="$cpu" -v r="$rss" -v f="$floor_wall" -v jw="$js_wall" -v jc="$js_cpu" \
    'function ratio(a, b) { return b > 0 ? sprintf("%.2fx", a / b) : "—" }
     BEGIN { printf "| %-12s | %8.0f | %8.0f | %8.1f | %13s | %13s | %11s |\n",
       n, w * 1000, c * 1000, r / 1024, ratio(w, f), ratio(w, jw), ratio(c, jc) }'
done
printf '\nmachine: %s cores, load %s\n' "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
