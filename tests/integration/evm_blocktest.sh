#!/usr/bin/env bash
# tests/integration/evm_blocktest.sh — the Ethereum blockchain tests (../shared/vectors/ethtests/
# BlockchainTests: ValidBlocks and InvalidBlocks) through `mpavs evm blocktest`:
#   1. every case: genesis hash, each block imported from its RLP (expectException blocks refused),
#      lastblockhash and the post-state. A failing case must be listed in
#      tests/evm/blocktest_known_failures.txt (NAME NETWORK REASON); a listed case that passes also
#      fails this test, so the list only shrinks.
#   2. each refusal of an expectException block must name a field of the fixture's exception
#      (TransactionException.* -> transactions[i], INVALID_STATE_ROOT -> stateRoot, ...): a block
#      refused for another reason than the one the fixture was filled for is a failure too.
#   3. negative controls: an altered postState, lastblockhash or genesis hash, a removed
#      expectException, an added one, the chain run under CancunToPragueAtTime15k and a chain with
#      config.chainid 5 must each make `mpavs evm blocktest` fail.
# Prints pass/fail/skip counts per directory and ends with "N passed, N failed". A few seconds.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
MPAVS=${MPAVS:-$ROOT/build/mpavs}
VEC=${ETHTESTS:-$ROOT/../shared/vectors/ethtests}
KNOWN=$ROOT/tests/evm/blocktest_known_failures.txt
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT INT TERM

[ -x "$MPAVS" ] || { echo "evm_blocktest: $MPAVS not built"; echo "0 passed, 1 failed"; exit 1; }
[ -d "$VEC/BlockchainTests" ] || { echo "evm_blocktest: no fixtures at $VEC"; echo "0 passed, 1 failed"; exit 1; }
[ -f "$KNOWN" ] || { echo "evm_blocktest: $KNOWN missing"; echo "0 passed, 1 failed"; exit 1; }
command -v jq >/dev/null || { echo "evm_blocktest: jq missing"; echo "0 passed, 1 failed"; exit 1; }

TOTAL_PASS=0 TOTAL_FAIL=0 TOTAL_SKIP=0 BAD=0
: >"$WORK/fails"
: >"$WORK/faillines"
: >"$WORK/refused"
start=$(date +%s)
for top in ValidBlocks InvalidBlocks; do
  for dir in "$VEC/BlockchainTests/$top"/*/; do
    name=${dir%/}; name=${name##*/}
    timeout 600 "$MPAVS" evm blocktest --refusals "$dir" >"$WORK/out" 2>"$WORK/err"
    rc=$?
    if [ $rc -gt 1 ]; then
      echo "$top/$name: mpavs exited with $rc"; tail -3 "$WORK/err"; BAD=$((BAD + 1))
    fi
    grep '^FAIL ' "$WORK/out" | awk '{print $2, $3}' | sed 's/:$//' >>"$WORK/fails"
    grep '^FAIL ' "$WORK/out" >>"$WORK/faillines"
    grep '^REFUSED ' "$WORK/out" >>"$WORK/refused"
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped' "$WORK/out" | tail -1)
    read -r p _ f _ s _ <<<"$line"
    echo "$top/$name: ${p:-0} passed, ${f:-0} failed, ${s:-0} skipped"
    grep '^skipped: ' "$WORK/err" | sed "s|^|  $top/$name |"
    TOTAL_PASS=$((TOTAL_PASS + ${p:-0})); TOTAL_FAIL=$((TOTAL_FAIL + ${f:-0})); TOTAL_SKIP=$((TOTAL_SKIP + ${s:-0}))
  done
done

# 1. failures against the known list
grep -vE '^\s*(#|$)' "$KNOWN" | awk '{print $1, $2}' >"$WORK/known"
unexpected=0
while read -r n net; do
  if ! grep -qxF "$n $net" "$WORK/known"; then
    [ $unexpected -lt 50 ] && grep -F "FAIL $n $net:" "$WORK/faillines" | head -1
    unexpected=$((unexpected + 1))
  fi
done <"$WORK/fails"
stale=0
while read -r n net; do
  grep -qxF "$n $net" "$WORK/fails" || { echo "now passes (remove from the known failures): $n $net"; stale=$((stale + 1)); }
done <"$WORK/known"

# 2. each refusal names a field of the expected exception
field_ok() { # EXCEPTION FIELD
  local e=${1#*.} f=$2
  case "$1" in TransactionException.*) [[ $f == transactions\[* ]]; return;; esac
  case "$e" in
    RLP_*|EXTRA_DATA_TOO_BIG) [[ $f == decoder || $f == rlp || $f == extraData ]];;
    IMPORT_IMPOSSIBLE_UNCLES_OVER_PARIS) [[ $f == sha3Uncles || $f == uncles ]];;
    IMPORT_IMPOSSIBLE_DIFFICULTY_OVER_PARIS) [[ $f == difficulty ]];;
    INVALID_GASLIMIT|GASLIMIT_TOO_BIG) [[ $f == gasLimit ]];;
    INVALID_GAS_USED|GAS_USED_OVERFLOW) [[ $f == gasUsed ]];;
    INVALID_BLOCK_TIMESTAMP_OLDER_THAN_PARENT) [[ $f == timestamp ]];;
    INVALID_BLOCK_NUMBER) [[ $f == number ]];;
    INVALID_BASEFEE_PER_GAS) [[ $f == baseFeePerGas ]];;
    UNKNOWN_PARENT|UNKNOWN_PARENT_ZERO) [[ $f == parentHash ]];;
    INVALID_STATE_ROOT) [[ $f == stateRoot ]];;
    INVALID_TRANSACTIONS_ROOT) [[ $f == transactionsRoot ]];;
    INVALID_RECEIPTS_ROOT) [[ $f == receiptsRoot ]];;
    INVALID_LOG_BLOOM) [[ $f == logsBloom ]];;
    INVALID_WITHDRAWALS_ROOT) [[ $f == withdrawalsRoot ]];;
    INCORRECT_BLOB_GAS_USED|BLOB_GAS_USED_ABOVE_LIMIT) [[ $f == blobGasUsed || $f == transactions\[* ]];;
    INCORRECT_EXCESS_BLOB_GAS) [[ $f == excessBlobGas ]];;
    INVALID_REQUESTS|INVALID_REQUESTS_HASH) [[ $f == requestsHash* ]];;
    *) false;;
  esac
}
wrong_reason=0
refusals=0
while IFS= read -r l; do
  refusals=$((refusals + 1))
  exc=$(sed -E 's/^REFUSED [^ ]+ [^ ]+ block [0-9]+ \(([^)]*)\): .*/\1/' <<<"$l")
  fld=$(sed -E 's/^REFUSED [^ ]+ [^ ]+ block [0-9]+ \([^)]*\): ([^: ]*).*/\1/' <<<"$l")
  ok=0
  IFS='|' read -ra alts <<<"$exc"
  for a in "${alts[@]}"; do field_ok "$a" "$fld" && { ok=1; break; }; done
  if [ $ok -eq 0 ]; then
    [ $wrong_reason -lt 20 ] && echo "refused for another reason: $l"
    wrong_reason=$((wrong_reason + 1))
  fi
done <"$WORK/refused"
echo "expected refusals: $refusals, of which $wrong_reason name a field other than the expected exception's"

# 3. negative controls (each altered fixture must fail)
controls=0 control_bad=0
control() { # DESCRIPTION FILE JQ-FILTER
  local desc=$1 src=$2 filter=$3
  controls=$((controls + 1))
  if ! jq "$filter" "$src" >"$WORK/ctl.json" 2>"$WORK/ctl.err"; then
    echo "control '$desc': jq failed: $(head -1 "$WORK/ctl.err")"; control_bad=$((control_bad + 1)); return
  fi
  if "$MPAVS" evm blocktest "$WORK/ctl.json" >"$WORK/ctl.out" 2>&1; then
    echo "control '$desc': the altered fixture passed"; control_bad=$((control_bad + 1))
  elif ! grep -q '^FAIL ' "$WORK/ctl.out"; then
    echo "control '$desc': no FAIL line"; control_bad=$((control_bad + 1))
  fi
}
V=$VEC/BlockchainTests/ValidBlocks/bcStateTests/blockhashTests.json
I=$VEC/BlockchainTests/InvalidBlocks/bcInvalidHeaderTest/wrongStateRoot.json
control "postState balance +1" "$V" 'map_values(.postState |= (to_entries | .[0].value.balance = ((.[0].value.balance | ltrimstr("0x")) as $b | "0x" + ($b | if length == 0 then "1" else . end) + "1") | from_entries))'
control "lastblockhash altered" "$V" 'map_values(.lastblockhash = "0x" + ("00" * 32))'
control "genesis hash altered" "$V" 'map_values(.genesisBlockHeader.hash = "0x" + ("11" * 32))'
control "expectException removed" "$I" 'map_values(.blocks |= map(del(.expectException)))'
control "expectException added to a valid block" "$V" 'map_values(.blocks[0].expectException = "BlockException.INVALID_STATE_ROOT")'
# the fork schedule is applied: the same Cancun chain under CancunToPragueAtTime15k (its blocks are
# all past 15000) must be refused (Prague headers need a requests hash)
control "network CancunToPragueAtTime15k" "$V" 'map_values(.network = "CancunToPragueAtTime15k")'
# config.chainid is applied: typed transactions signed for chain 1 are refused on chain 5
control "config.chainid 5" "$VEC/BlockchainTests/ValidBlocks/bcEIP4844-blobtransactions/blockWithAllTransactionTypes.json" \
  'map_values(.config = {"chainid": "0x05"})'
echo "negative controls: $controls, of which $control_bad did not fail"

elapsed=$(( $(date +%s) - start ))
known_failing=$(( TOTAL_FAIL - unexpected ))
echo "evm_blocktest: ${elapsed}s; $TOTAL_PASS passed, $TOTAL_FAIL failed ($known_failing known, $unexpected unexpected), $TOTAL_SKIP skipped; $stale known failures now pass"
bad=$(( unexpected + stale + wrong_reason + control_bad + BAD ))
echo "$((TOTAL_PASS + known_failing + controls - control_bad)) passed, $bad failed"
[ $bad -eq 0 ]
