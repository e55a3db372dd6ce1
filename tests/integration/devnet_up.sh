#!/usr/bin/env bash
# tests/integration/devnet_up.sh — `mpavs devnet up` end to end (plain output):
#   1. a shortened run (--until-confirmed 2 --duration 150 --no-view) exits 0, writes
#      deployment.json with rpcUrl/l2RpcUrl/l2ChainId (still loadable by mpavs devnet tools),
#      a log per process, and leaves no process behind;
#   2. SIGINT during the run stops everything (exit 0);
#   3. SIGKILL of the orchestrator: PDEATHSIG takes every child down with it;
#   4. safety: a non-empty directory `devnet up` did not make is never wiped; a second `devnet up` on a
#      running devnet's directory is refused (the lock names the owner's pid) and leaves it intact; a
#      clean exit empties the lock; a stale lock (its pid killed) is taken over.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
it_tap mpavs-devnet-up

# ---- 4a. a directory devnet up did not make is never wiped ----
N="$TMP/notours"
mkdir -p "$N" && echo keep >"$N/precious.txt"
"$MPAVS" devnet up --dir "$N" --duration 1 --no-view >/dev/null 2>"$TMP/notours.err"
rc=$?
check "a non-empty directory not made by devnet up is refused (exit 1)" [ "$rc" -eq 1 ]
check "... nothing in it is wiped or added" bash -c "[ \"\$(cat '$N/precious.txt')\" = keep ] && [ \$(ls -A '$N' | wc -l) -eq 1 ]"
check "... and the reason is printed" grep -q "was not made by .devnet up" "$TMP/notours.err"

# ---- 1. a shortened run ----
D="$TMP/run"
start=$(date +%s)
timeout 300 "$MPAVS" devnet up --dir "$D" --until-confirmed 2 --duration 150 --no-view >"$TMP/out.txt" 2>"$TMP/err.txt"
rc=$?
echo "run took $(($(date +%s) - start)) s, exit $rc"
sed 's/^/  stderr| /' "$TMP/err.txt"
sed 's/^/  stdout| /' "$TMP/out.txt" | head -60
check "devnet up --until-confirmed 2 exits 0" [ "$rc" -eq 0 ]
check "two states confirmed" [ "$(grep -c '^confirmed type=' "$TMP/out.txt")" -ge 2 ]
check "first-confirmation time printed" grep -q 'first state confirmed after [0-9]* s' "$TMP/out.txt"
J="$D/deployment.json"
check "deployment.json has rpcUrl, l2RpcUrl, l2ChainId 31338" \
  jq -e '(.rpcUrl | startswith("http://127.0.0.1:")) and (.l2RpcUrl | startswith("http://127.0.0.1:")) and .l2ChainId == 31338 and .chainId == 31337' "$J"
check "deployment.json lists 4 operators" jq -e '.operators | length == 4' "$J"
# mpavs_devnet_deployment_load accepts the extra keys: add-pck gets past loading (fails on the dead RPC URL)
"$MPAVS" devnet add-pck --rpc-url http://127.0.0.1:9 --private-key 0x$(printf '%064x' 1) --deployment "$J" \
  --devnet-ca "$D/devnet-ca" >/dev/null 2>"$TMP/load.txt"
check "mpavs_devnet_deployment_load accepts deployment.json" bash -c "! grep -q 'missing or not' '$TMP/load.txt'"
for p in anvil-avs anvil-l2 prover-1 prover-2 prover-3 prover-4 aggregator operator-1 operator-2 operator-3 operator-4; do
  check "log of $p" [ -s "$D/logs/$p.log" ]
done
check "BLS key files are mode 0600" bash -c "[ \"\$(stat -c %a '$D/operators/op1/bls.key.json')\" = 600 ]"
check "configs written" [ -s "$D/aggregator.json" -a -s "$D/operator-1.json" -a -s "$D/prover-1.json" ]
check "no process left after the run" [ -z "$(left_in "$D")" ]
check "a clean exit empties the lock file" [ -f "$D/.mpavs-devnet.lock" -a ! -s "$D/.mpavs-devnet.lock" ]

# ---- 2. SIGINT stops everything ----
D2="$TMP/int"
"$MPAVS" devnet up --dir "$D2" --duration 120 --no-view --from-logs >"$TMP/int.out" 2>"$TMP/int.err" &
pid=$!
if wait_for "$TMP/int.err" "watching for confirmed states" 90; then
  # the StateConfirmed-log source: type, proven block (looked up by hash on the proven chain), tx
  check "StateConfirmed logs: a confirmation with its proven block" \
    wait_for "$TMP/int.out" "^confirmed type=3 task=[1-9][0-9]* block=[1-9][0-9]* .*tx=0x[0-9a-f]\{64\}" 60
  check "processes are running before SIGINT" [ -n "$(left_in "$D2")" ]
  # 4b. a second devnet up on the running devnet's directory: refused, nothing wiped
  check "the lock file holds the owner's pid" [ "$(cat "$D2/.mpavs-devnet.lock")" = "$pid" ]
  "$MPAVS" devnet up --dir "$D2" --duration 5 --no-view >"$TMP/second.out" 2>"$TMP/second.err"
  rc=$?
  check "a second devnet up on a running devnet's directory is refused (exit 1)" [ "$rc" -eq 1 ]
  check "... naming the running pid" grep -q "a devnet is already running in $D2 (pid $pid," "$TMP/second.err"
  check "... and the running devnet's files are intact" [ -s "$D2/deployment.json" -a -s "$D2/logs/aggregator.log" ]
  check "... and it keeps running" kill -0 "$pid"
  # a child that dies is reported Down with the end of its log
  pkill -9 -f -- "$D2/prover-2.json"
  check "a killed prover is shown Down with its log tail" wait_for "$TMP/int.out" "process prover-2 Down (signal 9)" 5
  check "its log tail is printed" grep -q '^  | ' "$TMP/int.out"
  kill -INT "$pid"
  wait "$pid"
  rc=$?
  check "SIGINT: exit 0" [ "$rc" -eq 0 ]
  check "SIGINT: no process left" [ -z "$(left_in "$D2")" ]
else
  bad "SIGINT run did not get ready"; tail -20 "$TMP/int.err"; kill -9 "$pid" 2>/dev/null
fi

# ---- 3. SIGKILL of the orchestrator: children die with it ----
D3="$TMP/kill"
"$MPAVS" devnet up --dir "$D3" --duration 120 --no-view >"$TMP/kill.out" 2>"$TMP/kill.err" &
pid=$!
if wait_for "$TMP/kill.err" "watching for confirmed states" 90; then
  kill -9 "$pid"
  wait "$pid" 2>/dev/null
  sleep 2
  check "SIGKILL: PDEATHSIG leaves no process" [ -z "$(left_in "$D3")" ]
  # 4c. the killed owner's lock is stale: the next devnet up takes it over
  "$MPAVS" devnet up --dir "$D3" --duration 120 --no-view >"$TMP/stale.out" 2>"$TMP/stale.err" &
  pid2=$!
  check "a stale lock (its owner killed) is taken over" wait_for "$TMP/stale.err" "stale lock of pid $pid (not running)" 10
  check "... and names the new owner" wait_for "$D3/.mpavs-devnet.lock" "^$pid2\$" 5
  kill -INT "$pid2"
  ( sleep 60; kill -9 "$pid2" 2>/dev/null ) &
  dog=$!
  wait "$pid2"
  rc=$?
  kill "$dog" 2>/dev/null
  check "... and stops on SIGINT (exit 0)" [ "$rc" -eq 0 ]
else
  bad "SIGKILL run did not get ready"; tail -20 "$TMP/kill.err"; kill -9 "$pid" 2>/dev/null
fi

echo "devnet_up: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
