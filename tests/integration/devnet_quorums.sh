#!/usr/bin/env bash
# tests/integration/devnet_quorums.sh — the two-quorum devnet (issue #15 items 1 and 5): `mpavs devnet up`
# with 4 operators runs op1/op2 with SGX provers in TEE quorum 0 and op3/op4 with simulated TDX provers
# (devnet-tdx) in TEE quorum 1, each submitting submitLivenessProofV4 for its quorum (the TDX quotes verified
# on chain by SgxQuoteVerifier). States are confirmed with both quorums signing ("sgx 2/2 tdx 2/2"); once
# every TDX operator is stopped, tasks keep coming and the SGX operators keep signing, but nothing more is
# confirmed: SGX alone does not reach quorum 1's threshold.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
MPAVS="$ROOT/${BUILD:-build}/mpavs"
it_tap mpavs-devnet-quorums
# on exit: devnet up stopped by SIGINT first, then lib.sh's cleanup (whatever still runs from TMP)
DV_PID=
cleanup() {
  [ -n "$DV_PID" ] && kill -INT "$DV_PID" 2>/dev/null && sleep 2
  it_tap_cleanup
}
trap cleanup EXIT

count() { grep -c -- "$2" "$1" 2>/dev/null || true; }

D="$TMP/run"
OUT="$TMP/out.txt"
"$MPAVS" devnet up --dir "$D" --duration 200 --no-view >"$OUT" 2>"$TMP/err.txt" &
DV_PID=$!
if wait_for "$OUT" 'quorums="sgx 2/2 tdx 2/2"' 90; then ok "a state is confirmed with both quorums signing (sgx 2/2 tdx 2/2)"; else
  bad "no confirmation with both quorums signing"
  sed 's/^/  stderr| /' "$TMP/err.txt" | tail -20
  sed 's/^/  stdout| /' "$OUT" | tail -20
fi
L="$D/logs"
check "op1 and op2 onboarded in quorum 0 with SGX provers" grep -q "operator op2 onboarded (quorum 0, SGX prover)" "$TMP/err.txt"
check "op3 and op4 onboarded in quorum 1 with TDX provers" grep -q "operator op4 onboarded (quorum 1, TDX prover)" "$TMP/err.txt"
check "prover-3 runs the devnet-tdx provider" jq -e '.attestation.provider == "devnet-tdx"' "$D/prover-3.json"
check "operator-1 submits submitLivenessProofV4 for quorum 0" grep -q "submit=submitLivenessProofV4 tee_quorum=0" "$L/operator-1.log"
check "operator-3 submits submitLivenessProofV4 for quorum 1" grep -q "submit=submitLivenessProofV4 tee_quorum=1" "$L/operator-3.log"
check "operator-4's TDX liveness proof was accepted on chain" grep -q "event=liveness_submitted call=submitLivenessProofV4" "$L/operator-4.log"
check "the aggregator loads both quorums" grep -q "event=task_state_loaded .* quorums=2" "$L/aggregator.log"

# stop every TDX operator (children of our devnet up, by pid)
p3=$(sed -n 's/^process operator-3 *Up *pid=\([0-9]*\).*/\1/p' "$OUT" | head -1)
p4=$(sed -n 's/^process operator-4 *Up *pid=\([0-9]*\).*/\1/p' "$OUT" | head -1)
if [ -n "$p3" ] && [ -n "$p4" ]; then
  kill -TERM "$p3" "$p4"
  ok "TDX operators stopped (pids $p3 $p4)"
else
  bad "no pids for operator-3/operator-4 in the output"
fi
sleep 7 # tasks already signed by everyone may still be confirmed
n1=$(count "$OUT" '^confirmed type=')
t1=$(count "$L/aggregator.log" 'event=task_created')
s1=$(count "$L/operator-1.log" 'event=task_signed')
sleep 16
n2=$(count "$OUT" '^confirmed type=')
t2=$(count "$L/aggregator.log" 'event=task_created')
s2=$(count "$L/operator-1.log" 'event=task_signed')
echo "  confirmations $n1 -> $n2, tasks created $t1 -> $t2, op1 signed $s1 -> $s2"
check "tasks keep being created without the TDX operators" [ "$t2" -ge $((t1 + 2)) ]
check "the SGX operators keep signing" [ "$s2" -ge $((s1 + 2)) ]
check "no state is confirmed with SGX alone" [ "$n2" -eq "$n1" ]
# the devnet's tasks expire after 60 s: the view reports each with the short quorum (the
# aggregator's mpavs_status recent_failures)
if wait_for "$OUT" '^expired type=3 task=[0-9]* reason=".*quorum 1 at 0% of ' 100; then
  ok "the view reports an expired task with its short quorum: $(grep -m1 '^expired type=3' "$OUT")"
else
  bad "no expired task in the view"
  grep 'task_expired' "$L/aggregator.log" | tail -3 | sed 's/^/  agg| /'
fi

kill -INT "$DV_PID"
wait "$DV_PID"
rc=$?
DV_PID=
check "devnet up exits 0 on SIGINT" [ "$rc" -eq 0 ]
check "no process left" [ -z "$(left_in "$D")" ]

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
