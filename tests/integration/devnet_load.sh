#!/usr/bin/env bash
# tests/integration/devnet_load.sh — `mpavs devnet up` with traffic on the proven chain (issue #13):
#   1. option errors: --load-rate out of range, --load-rate with --no-load (exit 2, nothing started);
#   2. a run with the default load (4 tx/s) for ~70 s, plain output:
#      - the workload's contracts (DIR/load.json) hold the runtimes the generator deployed (eth_getCode),
#        and its sender's nonce on the proven chain grows at about the rate;
#      - every prover executed non-empty blocks: mpavs_prover_gas_executed_total > 0 and equal to the
#        sum of gasUsed of blocks 2..mpavs_prover_verified_head as the chain node says (exact);
#      - confirmations keep coming, and after the first each covers transactions; each one's l2_txs and
#        gas equal the node's figures for its l2_blocks range;
#      - latency from task creation to confirmState: at most 2 AVS blocks for every confirmation after the
#        first (the first waits for the operators' first liveness proofs);
#      - nothing is left running afterwards.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"
export PATH="$ROOT/.tools/bin:$PATH"
it_tap mpavs-devnet-load

# ---- 1. option errors ----
"$MPAVS" devnet up --dir "$TMP/bad" --load-rate 0 >/dev/null 2>"$TMP/bad.err"
check "--load-rate 0 is refused (exit 2)" [ $? -eq 2 ]
"$MPAVS" devnet up --dir "$TMP/bad" --no-load --load-rate 3 >/dev/null 2>"$TMP/bad2.err"
check "--no-load with --load-rate is refused (exit 2)" [ $? -eq 2 ]
check "... and nothing was made" [ ! -e "$TMP/bad" ]
check "--help documents --no-load and --load-rate" bash -c "'$MPAVS' devnet up --help | grep -q -- '--no-load' && '$MPAVS' devnet up --help | grep -q -- '--load-rate N'"

# ---- 2. a run with load ----
D="$TMP/run"
start=$(date +%s)
"$MPAVS" devnet up --dir "$D" --duration 110 --no-view >"$TMP/out.txt" 2>"$TMP/err.txt" &
pid=$!
if ! wait_for "$TMP/err.txt" "watching for confirmed states" 90; then
  bad "devnet did not get ready"; tail -20 "$TMP/err.txt"; kill -INT "$pid"; wait "$pid"
  echo "devnet_load: $PASS passed, $FAIL failed"; exit 1
fi
L2=$(jq -r .l2RpcUrl "$D/deployment.json")
check "load.json: rate 4, sender dev account 9" \
  jq -e '.rate == 4 and (.sender | ascii_downcase) == "0xa0ee7a142d267c1f36714e4a8f75612f20a79720"' "$D/load.json"
# wait for 11 confirmations, then look at the provers and the chain while the devnet runs
check "11 confirmations within 80 s" bash -c "for i in \$(seq 800); do [ \$(grep -c '^confirmed type=3' '$TMP/out.txt') -ge 11 ] && exit 0; sleep 0.1; done; exit 1"
check "store runtime at load.json's store" [ "$(cast code "$(jq -r .store "$D/load.json")" --rpc-url "$L2")" = 0x6020356000355500 ]
check "forwarder runtime at load.json's forwarder" \
  [ "$(cast code "$(jq -r .forwarder "$D/load.json")" --rpc-url "$L2")" = 0x6000600060203603806020600037600060006000355af100 ]
check "factory runtime at load.json's factory" \
  [ "$(cast code "$(jq -r .factory "$D/load.json")" --rpc-url "$L2")" = 0x6000356020360380602060003760006000f500 ]
elapsed=$(($(date +%s) - start))
nonce=$(cast nonce "$(jq -r .sender "$D/load.json")" --rpc-url "$L2")
echo "  load sender nonce $nonce after $elapsed s"
check "the load sender sent at least 80 transactions" [ "$nonce" -ge 80 ]

# "gas txs" of proven blocks a..b from the node (one JSON-RPC batch of eth_getBlockByNumber)
range_figures() {
  local req="" b
  for ((b = $1; b <= $2; b++)); do
    req+="${req:+,}{\"jsonrpc\":\"2.0\",\"id\":$b,\"method\":\"eth_getBlockByNumber\",\"params\":[\"$(printf '0x%x' "$b")\",false]}"
  done
  curl -s -X POST -H 'Content-Type: application/json' --data "[$req]" "$L2" |
    jq -r 'if (type == "array") and (map(.result != null) | all) then
             "\(map(.result.gasUsed | ltrimstr("0x") | explode | map(if . >= 97 then . - 87 else . - 48 end) | reduce .[] as $d (0; . * 16 + $d)) | add) \(map(.result.transactions | length) | add)"
           else "error" end'
}
for i in 1 2 3 4; do
  port=$(sed -n "s/^process prover-$i .*port=\([0-9]*\).*/\1/p" "$TMP/out.txt")
  okp=0
  for attempt in 1 2 3; do # the head and the counter are read from one scrape; retry if a block landed between
    m=$(curl -s "http://127.0.0.1:$port/metrics")
    gas=$(echo "$m" | awk '$1 == "mpavs_prover_gas_executed_total" {print $2}')
    blocks=$(echo "$m" | awk '$1 == "mpavs_prover_blocks_executed_total" {print $2}')
    head=$(echo "$m" | awk '$1 == "mpavs_prover_verified_head" {print $2}')
    want=$(range_figures 2 "$head" | cut -d' ' -f1)
    echo "  prover-$i: verified head $head, blocks executed $blocks, gas executed $gas (node: $want)"
    if [ -n "$gas" ] && [ "$gas" -gt 0 ] && [ "$gas" = "$want" ]; then okp=1; break; fi
    sleep 0.3
  done
  check "prover-$i executed non-empty blocks: gas executed > 0 and = the node's gasUsed of blocks 2..head" [ "$okp" -eq 1 ]
done

n=0; late=0; empty=0; wrong=0
while read -r line; do
  n=$((n + 1))
  lb=$(echo "$line" | sed -n 's/.* latency_blocks=\([0-9-]*\) .*/\1/p')
  range=$(echo "$line" | sed -n 's/.* l2_blocks=\([0-9]*\.\.[0-9]*\) .*/\1/p')
  txs=$(echo "$line" | sed -n 's/.* l2_txs=\([0-9]*\) .*/\1/p')
  g=$(echo "$line" | sed -n 's/.* gas=\([0-9]*\)$/\1/p')
  if [ "$n" -gt 1 ]; then
    { [ -z "$lb" ] || [ "$lb" -gt 2 ]; } && late=$((late + 1))
    { [ -z "$txs" ] || [ "$txs" -eq 0 ]; } && empty=$((empty + 1))
  fi
  if [ -n "$range" ]; then
    a=${range%..*}; b=${range#*..}
    [ "$(range_figures "$a" "$b")" = "$g $txs" ] || { wrong=$((wrong + 1)); echo "  $range: node says $(range_figures "$a" "$b"), view gas=$g l2_txs=$txs"; }
  else
    wrong=$((wrong + 1))
  fi
done < <(grep '^confirmed type=3' "$TMP/out.txt")
check "every confirmation after the first within 2 AVS blocks of its task's creation ($late late)" [ "$late" -eq 0 ]
check "every confirmation after the first covers transactions ($empty without)" [ "$empty" -eq 0 ]
check "each confirmation's l2_txs and gas = the node's for its range ($wrong differ)" [ "$wrong" -eq 0 ]
kill -INT "$pid"
wait "$pid"
rc=$?
echo "run took $(($(date +%s) - start)) s, exit $rc"
sed 's/^/  stderr| /' "$TMP/err.txt" | tail -8
grep '^confirmed' "$TMP/out.txt" | sed -e 's/digest=0x[0-9a-f]* //' -e 's/tx=0x[0-9a-f]* //' -e 's/^/  /'
check "SIGINT: exit 0" [ "$rc" -eq 0 ]
check "the summary reports the load and the latency" \
  bash -c "grep -q 'load: 4 tx/s from 0xa0Ee7A14..: [1-9][0-9]* sent' '$TMP/err.txt' && grep -q 'proven: [1-9][0-9]* transactions, [1-9][0-9]* gas' '$TMP/err.txt'"
check "the summary: latency after the first within 2 AVS blocks" grep -Eq 'latency max [0-9]+ AVS blocks \(after the first: [0-2]\)' "$TMP/err.txt"
check "no transaction refused" grep -q ' 0 refused' "$TMP/err.txt"
check "no process left after the run" [ -z "$(left_in "$D")" ]

echo "devnet_load: $PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
