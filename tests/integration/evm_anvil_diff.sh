#!/usr/bin/env bash
# tests/integration/evm_anvil_diff.sh — differential test of the interpreter against a real anvil
# (revm) on the Prague and Osaka rules the state test fixtures do not reach (CLZ, the EIP-7623
# calldata floor, Osaka/Prague gas of MCOPY, TSTORE, SSTORE refunds, calls, creates, memory):
# each program is installed with anvil_setCode at a fresh address and called by a signed
# transaction (cast send); the receipt's gasUsed and status and the storage the program wrote
# (eth_getStorageAt) must equal what `mpavs evm run` computes. Besides the fixed programs, random
# straight-line arithmetic programs (RANDOM_PROGRAMS, default 10 per fork; EVM_DIFF_SEED=N
# reproduces a run) store every result. Ends with "N passed, N failed"; about 1 minute (more on a loaded machine).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
MPAVS=${MPAVS:-$ROOT/build/mpavs}
ANVIL=$ROOT/.tools/bin/anvil
CAST=$ROOT/.tools/bin/cast
N_RANDOM=${RANDOM_PROGRAMS:-10}
SEED=${EVM_DIFF_SEED:-$$}
RANDOM=$SEED
WORK=$(mktemp -d)
ANVIL_PID=
cleanup() {
  [ -n "$ANVIL_PID" ] && kill "$ANVIL_PID" 2>/dev/null && wait "$ANVIL_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

[ -x "$MPAVS" ] || { echo "evm_anvil_diff: $MPAVS not built"; echo "0 passed, 1 failed"; exit 1; }
cp "$MPAVS" "$WORK/mpavs" && MPAVS=$WORK/mpavs
[ -x "$ANVIL" ] && [ -x "$CAST" ] || { echo "evm_anvil_diff: anvil/cast missing (run scripts/setup)"; echo "0 passed, 1 failed"; exit 1; }
echo "seed $SEED"

KEY=0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80
PASS=0
FAIL=0

start_anvil() { # fork
  PORT=
  for _ in $(seq 1 50); do
    p=$(( (RANDOM % 12000) + 20000 )) # below the ephemeral range
    if ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then PORT=$p; break; fi
  done
  [ -n "$PORT" ] || return 1
  "$ANVIL" --port "$PORT" --hardfork "$1" --silent >"$WORK/anvil.log" 2>&1 &
  ANVIL_PID=$!
  URL=http://127.0.0.1:$PORT
  for _ in $(seq 1 100); do
    "$CAST" chain-id --rpc-url "$URL" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  return 1
}
stop_anvil() { kill "$ANVIL_PID" 2>/dev/null; wait "$ANVIL_PID" 2>/dev/null; ANVIL_PID=; }

N=0
# check FORK NAME CODE INPUT GAS VALUE
check() {
  local fork=$1 name=$2 code=$3 input=$4 gas=$5 value=$6
  N=$((N + 1))
  local to; to=0x$(printf '%040x' $((0x7700000 + N)))
  "$CAST" rpc --rpc-url "$URL" anvil_setCode "$to" "$code" >/dev/null || { echo "FAIL $fork $name: anvil_setCode"; FAIL=$((FAIL + 1)); return; }
  local args=("$to"); [ "$input" != 0x ] && args+=("$input")
  local rec
  rec=$("$CAST" send --rpc-url "$URL" --private-key "$KEY" --gas-limit "$gas" --value "$value" --json "${args[@]}" 2>"$WORK/send.err")
  if [ -z "$rec" ]; then echo "FAIL $fork $name: cast send: $(head -c 300 "$WORK/send.err")"; FAIL=$((FAIL + 1)); return; fi
  local a_gas a_status
  a_gas=$(jq -r .gasUsed <<<"$rec"); a_status=$(jq -r .status <<<"$rec")
  a_gas=$((a_gas)); a_status=$((a_status))
  local ours
  ours=$("$MPAVS" evm run --fork "$fork" --code "$code" --input "$input" --gas "$gas" --value "$value" --to "$to" 2>&1)
  local o_gas o_status
  o_gas=$(jq -r .gasUsed <<<"$ours" 2>/dev/null); o_status=$(jq -r .status <<<"$ours" 2>/dev/null)
  local ok=1 why=""
  [ "$o_gas" = "$a_gas" ] || { ok=0; why="gasUsed anvil $a_gas ours $o_gas"; }
  if [ "$a_status" = 1 ] && [ "$o_status" != success ]; then ok=0; why="$why status anvil success ours $o_status"; fi
  if [ "$a_status" = 0 ] && [ "$o_status" = success ]; then ok=0; why="$why status anvil failed ours success"; fi
  # every slot we wrote, and slots 0..3, must read the same on anvil
  local slots
  slots=$( (jq -r '.storage // {} | keys[]' <<<"$ours" 2>/dev/null; for s in 0 1 2 3; do printf '0x%064x\n' $s; done) | sort -u)
  for s in $slots; do
    local av ov
    av=$("$CAST" storage --rpc-url "$URL" "$to" "$s" 2>/dev/null)
    ov=$(jq -r --arg k "$s" '.storage[$k] // "0x0000000000000000000000000000000000000000000000000000000000000000"' <<<"$ours")
    [ "$((16#${av#0x} == 16#${ov#0x}))" = 1 ] 2>/dev/null || [ "$av" = "$ov" ] || { ok=0; why="$why slot $s anvil $av ours $ov"; }
  done
  if [ $ok = 1 ]; then PASS=$((PASS + 1)); else FAIL=$((FAIL + 1)); echo "FAIL $fork $name: $why (code $code input ${input:0:40})"; fi
}

SENDER=0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266
# check7702 FORK NAME CODE GAS SLOT: the sender authorizes delegation to a fresh account holding
# CODE and calls itself (type 4, self-sponsored: authorization nonce = tx nonce + 1); CODE writes
# the sender's storage at SLOT (distinct per case: the sender's storage persists on anvil).
check7702() {
  local fork=$1 name=$2 code=$3 gas=$4 slot=$5
  N=$((N + 1))
  local del; del=0x$(printf '%040x' $((0x7700000 + N)))
  "$CAST" rpc --rpc-url "$URL" anvil_setCode "$del" "$code" >/dev/null || { echo "FAIL $fork $name: anvil_setCode"; FAIL=$((FAIL + 1)); return; }
  local rec
  rec=$("$CAST" send --rpc-url "$URL" --private-key "$KEY" --gas-limit "$gas" --auth "$del" --json "$SENDER" 2>"$WORK/send.err")
  if [ -z "$rec" ]; then echo "FAIL $fork $name: cast send --auth: $(head -c 300 "$WORK/send.err")"; FAIL=$((FAIL + 1)); return; fi
  local a_gas a_status; a_gas=$(( $(jq -r .gasUsed <<<"$rec") )); a_status=$(( $(jq -r .status <<<"$rec") ))
  local ours; ours=$("$MPAVS" evm run --fork "$fork" --auth-self --code "$code" --gas "$gas" --to "$del" 2>&1)
  local o_gas o_status; o_gas=$(jq -r .gasUsed <<<"$ours" 2>/dev/null); o_status=$(jq -r .status <<<"$ours" 2>/dev/null)
  local ok=1 why=""
  [ "$o_gas" = "$a_gas" ] || { ok=0; why="gasUsed anvil $a_gas ours $o_gas"; }
  { [ "$a_status" = 1 ] && [ "$o_status" = success ]; } || { [ "$a_status" = 0 ] && [ "$o_status" != success ]; } || { ok=0; why="$why status anvil $a_status ours $o_status"; }
  local key; key=$(printf '0x%064x' "$slot")
  local av ov; av=$("$CAST" storage --rpc-url "$URL" "$SENDER" "$key" 2>/dev/null)
  ov=$(jq -r --arg k "$key" '.storage[$k] // "0x0000000000000000000000000000000000000000000000000000000000000000"' <<<"$ours")
  [ "$((16#${av#0x} == 16#${ov#0x}))" = 1 ] 2>/dev/null || { ok=0; why="$why slot $slot anvil $av ours $ov"; }
  if [ $ok = 1 ]; then PASS=$((PASS + 1)); else FAIL=$((FAIL + 1)); echo "FAIL $fork $name: $why (code $code)"; fi
}

w32() { printf '%064x' "$1"; }
rand_word() {
  case $((RANDOM % 6)) in
    0) printf '%064x' $((RANDOM % 300)) ;;
    1) echo ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff ;;
    2) echo 8000000000000000000000000000000000000000000000000000000000000000 ;;
    3) printf '%064x' $(( (RANDOM << 15) | RANDOM )) ;;
    *) od -An -tx1 -N32 /dev/urandom | tr -d ' \n' ;;
  esac
}

for fork in prague osaka; do
  if ! start_anvil "$fork"; then echo "FAIL: anvil --hardfork $fork did not start"; FAIL=$((FAIL + 1)); continue; fi
  F=$fork
  # SSTORE set then reset: 22100 + 100, refund 19900 capped at a fifth
  check $F sstore_refund 0x60016000556000600055 0x 200000 0
  # SSTORE 0->1->2, a second slot cleared later
  check $F sstore_chain 0x600160005560026000556001600155600060015500 0x 200000 0
  # CLZ of 1 (255) and of 0 (256): Osaka only (Prague: invalid opcode)
  check $F clz 0x60011e6000555f1e60015500 0x 200000 0
  # MCOPY overlapping, then MLOAD and SSTORE
  check $F mcopy 0x7f00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff6000526020600460005e60005160005500 0x 200000 0
  # TSTORE/TLOAD, stored to storage
  check $F transient 0x602a60075d60075c60005500 0x 200000 0
  # calldata floor (EIP-7623): STOP with 1000 nonzero bytes (floor 61000 > 37000 intrinsic)
  check $F calldata_floor 0x00 "0x$(printf 'ff%.0s' $(seq 1 1000))" 100000 0
  # zero bytes: 4 gas intrinsic, 10 floor per token
  check $F calldata_zeros 0x00 "0x$(printf '00%.0s' $(seq 1 3000))" 100000 0
  # CALL with value 1 to a cold new account (2600 + 9000 + 25000, stipend)
  check $F call_value_new 0x600060006000600060017312340000000000000000000000000000000000005af15060005500 0x 200000 5
  # memory expansion to 64 KiB, then MSIZE stored
  check $F memory 0x60016201000052596000550000 0x 300000 0
  # EXP with a 32-byte exponent
  check $F exp 0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff60030a60005500 0x 200000 0
  # KECCAK over 1000 bytes of memory
  check $F keccak 0x6103e86000206000550000 0x 200000 0
  # BALANCE cold then warm, EXTCODESIZE of self (warm)
  check $F access 0x73abcdef0000000000000000000000000000000000315073abcdef00000000000000000000000000000000003150303b60005500 0x 200000 0
  # CREATE2 of a contract returning 0x2a code, then its EXTCODEHASH stored
  check $F create2 0x6c602a60005360016000f3000000600052600d60136000f560005560005460003f60015500 0x 300000 0
  # CREATE with 0xEF-prefixed code (EIP-3541 fails): result 0 stored
  check $F create_ef 0x6a60ef60005360016000f3000060005260096015600060f0600155 0x 300000 0
  # SELFDESTRUCT to a new account moving the value received (not created in this tx: code stays)
  check $F selfdestruct 0x73beef000000000000000000000000000000000000ff 0x 200000 3
  # LOG2 with 100 bytes
  check $F log 0x6001600260646000a200 0x 200000 0
  # RETURNDATACOPY out of bounds (exceptional halt)
  check $F returndata_oob 0x6001600060003e00 0x 200000 0
  # REVERT with data: the SSTORE is undone, gas is partly returned
  check $F revert 0x600160005560206000fd 0x 200000 0
  # recursion: call self with all but 1/64, counting depth in slot 0 via SLOAD+1
  check $F recursion 0x60005460010160005560006000600060006000305af100 0x 1000000 0
  # SSTORE with exactly the stipend left fails (EIP-2200 guard)
  check $F sstore_stipend 0x6001600055 0x $((21000 + 6 + 2300)) 0
  # EIP-7702: delegated code runs in the sender's account
  b=$((0x100 + N))
  check7702 $F delegate_sstore "0x602a61$(printf '%04x' $b)5500" 200000 $b
  # the designator is the code EXTCODESIZE sees (23 bytes)
  b=$((0x100 + N))
  check7702 $F delegate_extcodesize "0x303b61$(printf '%04x' $b)5500" 200000 $b
  # a call from delegated code to the identity precompile, then a store
  b=$((0x100 + N))
  check7702 $F delegate_call_precompile "0x6000600060006000600060045af15061$(printf '%04x' $b)5500" 200000 $b
  # random straight-line arithmetic: 3 random words, one op, result stored in slot i
  OPS=(01 02 03 04 05 06 07 08 09 0a 0b 10 11 12 13 14 15 16 17 18 19 1a 1b 1c 1d)
  [ "$fork" = osaka ] && OPS+=(1e)
  for r in $(seq 1 "$N_RANDOM"); do
    code=0x
    for i in $(seq 0 7); do
      op=${OPS[$((RANDOM % ${#OPS[@]}))]}
      code="${code}7f$(rand_word)7f$(rand_word)7f$(rand_word)${op}60$(printf '%02x' $i)55"
    done
    check $F "random_$r" "$code" 0x 1000000 0
  done
  stop_anvil
done
echo "$PASS passed, $FAIL failed"
[ $FAIL -eq 0 ]
