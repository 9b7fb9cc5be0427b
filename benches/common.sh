# benches/common.sh: what the benchmark scripts share (sourced, not run). The sourcing script
# sets NAME (its name in messages) and ROOT (the repository) first.

die() {
  printf '%s: %s\n' "$NAME" "$*" >&2
  exit 1
}
say() { printf '[%s] %s\n' "${NAME%.sh}" "$*" >&2; }

loopback() { # $1 = URL; exit status 0 when its host is this machine
  local host
  host=$(printf '%s' "$1" | sed -E 's#^[a-z]+://(\[[^]]*\]|[^/:]*).*#\1#')
  [[ "$host" == 127.* || "$host" == localhost || "$host" == "[::1]" ]]
}

release_binary() { # sets BIN to the release build unless --bin gave one, building it if missing
  if [[ -z "$BIN" ]]; then
    BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/medusa-users"
    if [[ ! -x "$BIN" ]]; then
      say "building the release binary ..."
      (cd "$ROOT" && cargo build --release --bin medusa-users >&2)
    fi
  fi
  [[ -x "$BIN" ]] || die "no binary at $BIN"
}

SANDBOX_PID=""
start_sandbox() { # $1 = dialect 1|2, $2 = users to seed; sets URL and TOKEN; needs WORK
  local port=$((20000 + RANDOM % 20000))
  URL="http://127.0.0.1:$port"
  if [[ "$1" == 1 ]]; then
    TOKEN=local-dev-admin-api-token
  else
    TOKEN=sk_73616e64626f782d61646d696e2d7365637265742d6b65792d666f722d746573
  fi
  say "starting a v$1 sandbox with $2 users on $URL ..."
  "$BIN" --medusa-version "$1" sandbox --seed "$2" --addr "127.0.0.1:$port" \
    --data "$WORK/sandbox.sqlite3" --outbox "$WORK/outbox.jsonl" >"$WORK/sandbox.log" 2>&1 &
  SANDBOX_PID=$!
  for _ in $(seq 1 600); do
    curl -fsS -o /dev/null "$URL/health" 2>/dev/null && return 0
    kill -0 "$SANDBOX_PID" 2>/dev/null || die "the sandbox did not start: $(cat "$WORK/sandbox.log")"
    sleep 0.1
  done
  die "the sandbox did not answer on $URL within a minute"
}

stop_sandbox() {
  if [[ -n "$SANDBOX_PID" ]]; then
    kill "$SANDBOX_PID" 2>/dev/null || true
    wait "$SANDBOX_PID" 2>/dev/null || true
  fi
}

median() { # $1 = file of numbers (one a line, or $2 = the column): prints their median
  awk -v c="${2:-1}" '{ print $c }' "$1" | sort -g | awk '{ v[NR] = $1 } END {
    if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
