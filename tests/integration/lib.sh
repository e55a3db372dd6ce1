# tests/integration/lib.sh — the shared preamble of the shell integration tests. Sourced by them
# (`. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"`), never run on its own (tests/run skips it).
#
#   ROOT ANVIL CAST FORGE, MPAVS (MPAVS_BIN: another build, e.g. build/asan/mpavs), PASS FAIL
#   it_counted       ok/ko/check/finish/abort/field/lower ("ok   X" / "FAIL X" lines), WORK (a
#                    temporary directory) and a cleanup trap that stops every process whose pid is
#                    in a variable named in IT_KILL (default "ANVIL_PID") and removes WORK
#   it_need NAME BIN...   abort unless every BIN is executable; then forge build the contracts
#   it_free_port [BUSY]   echo a free loopback port (not BUSY)
#   it_anvil PORT LOG ARGS...   start anvil on PORT (in ANVIL_PID, URL) and wait until it answers
#   it_tap PREFIX    ok/bad/check ("ok - X" / "not ok - X"), TMP (mktemp -d /tmp/PREFIX.XXXXXX),
#                    left_in, wait_for and a cleanup trap that kills what still runs from TMP
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ANVIL=$ROOT/.tools/bin/anvil
CAST=$ROOT/.tools/bin/cast
FORGE=$ROOT/.tools/bin/forge
MPAVS=${MPAVS_BIN:-$ROOT/build/mpavs}
PASS=0
FAIL=0

it_counted() {
  WORK=$(mktemp -d)
  ANVIL_PID=
  IT_KILL=${IT_KILL:-ANVIL_PID}
  trap it_counted_cleanup EXIT INT TERM
}
it_counted_cleanup() {
  local v p
  for v in $IT_KILL; do
    p=${!v:-}
    [ -n "$p" ] && kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
  done
  rm -rf "$WORK"
}
ok() { PASS=$((PASS + 1)); echo "ok   $1"; }
ko() { FAIL=$((FAIL + 1)); echo "FAIL $1"; }
check() { if [ "$2" = "$3" ]; then ok "$1"; else ko "$1 (expected '$2', got '$3')"; fi; }
finish() { echo "$PASS passed, $FAIL failed"; [ "$FAIL" -eq 0 ]; exit $?; }
abort() { ko "$1"; finish; }
field() { sed -n "s/^$2: //p" "$1" | head -1; }
lower() { tr 'A-F' 'a-f'; }

it_need() {
  local name=$1 t
  shift
  for t in "$@"; do
    [ -x "$t" ] || { echo "$name: $t missing (run scripts/setup and make)"; echo "0 passed, 1 failed"; exit 1; }
  done
  (cd "$ROOT/contracts" && "$FORGE" build --offline >"$WORK/build.log" 2>&1) \
    || { tail -20 "$WORK/build.log"; echo "0 passed, 1 failed"; exit 1; }
}

it_free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$(((RANDOM % 12000) + 20000)) # below the ephemeral range (32768-): outgoing connections take those
    if [ "$p" != "${1:-}" ] && ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then echo "$p"; return 0; fi
  done
  return 1
}

it_anvil() {
  local port=$1 log=$2
  shift 2
  "$ANVIL" --port "$port" --hardfork osaka --silent "$@" >"$log" 2>&1 &
  ANVIL_PID=$!
  URL=http://127.0.0.1:$port
  for _ in $(seq 1 300); do
    "$CAST" chain-id --rpc-url "$URL" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  abort "anvil did not start on port $port: $(cat "$log")"
}

it_tap() {
  TMP=$(mktemp -d "/tmp/$1.XXXXXX")
  ok() { echo "ok - $*"; PASS=$((PASS + 1)); }
  bad() { echo "not ok - $*"; FAIL=$((FAIL + 1)); }
  check() { local what=$1; shift; if "$@" >/dev/null; then ok "$what"; else bad "$what"; fi; }
  trap it_tap_cleanup EXIT
}
left_in() { pgrep -f -- "$1" 2>/dev/null | grep -v "^$$\$" || true; }
it_tap_cleanup() {
  local p
  for p in $(left_in "$TMP"); do kill -9 "$p" 2>/dev/null; done
  rm -rf "$TMP"
}
wait_for() { # FILE PATTERN SECONDS
  local i
  for ((i = 0; i < $3 * 10; i++)); do
    grep -q -- "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}
