#!/usr/bin/env bash
# tests/integration/contracts_anvil.sh — the devnet contracts on a real anvil (--hardfork osaka, P-256
# precompile): deploys SgxQuoteVerifier from its forge artifact with cast, registers the PCK key of a
# real Intel SGX v3 quote (shared/vectors/dcap/v04) and checks verifyAndAttestOnChain accepts it with
# Automata's v1.0 output layout and rejects tampered copies; checks every deployable artifact fits
# EIP-170. Ends with "N passed, N failed"; exit status non-zero on any failure.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ANVIL=$ROOT/.tools/bin/anvil
CAST=$ROOT/.tools/bin/cast
FORGE=$ROOT/.tools/bin/forge
SHARED=${MPAVS_SHARED:-$ROOT/../shared}
QUOTE=$SHARED/vectors/dcap/v04_automata_sgx_v3_aug2025/quote.bin
WORK=$(mktemp -d)
ANVIL_PID=
PASS=0
FAIL=0
cleanup() {
  [ -n "$ANVIL_PID" ] && kill "$ANVIL_PID" 2>/dev/null && wait "$ANVIL_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
ok() { PASS=$((PASS + 1)); echo "ok   $1"; }
ko() { FAIL=$((FAIL + 1)); echo "FAIL $1"; }

for t in "$ANVIL" "$CAST" "$FORGE"; do
  [ -x "$t" ] || { echo "contracts_anvil: $t missing (run scripts/setup)"; echo "0 passed, 1 failed"; exit 1; }
done
[ -f "$QUOTE" ] || { echo "contracts_anvil: $QUOTE missing"; echo "0 passed, 1 failed"; exit 1; }

(cd "$ROOT/contracts" && "$FORGE" build --offline >"$WORK/build.log" 2>&1) \
  || { tail -20 "$WORK/build.log"; echo "0 passed, 1 failed"; exit 1; }
OUT=$ROOT/contracts/out

# every contract of src/ that has code fits the 24576-byte limit
big=$(for f in "$OUT"/*.sol/*.json; do
  src=$(jq -r '.metadata.settings.compilationTarget // {} | keys[0] // ""' "$f")
  case "$src" in src/*) ;; *) continue ;; esac
  n=$(( ($(jq -r '.deployedBytecode.object' "$f" | wc -c) - 3) / 2 ))
  [ "$n" -gt 24576 ] && echo "$f:$n"
done)
[ -z "$big" ] && ok "deployed code sizes <= 24576" || ko "code size limit: $big"

PORT=
for _ in $(seq 1 50); do
  p=$(( (RANDOM % 30000) + 20000 ))
  if ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then PORT=$p; break; fi
done
[ -n "$PORT" ] || { echo "no free port"; echo "0 passed, 1 failed"; exit 1; }
"$ANVIL" --port "$PORT" --hardfork osaka --silent >"$WORK/anvil.log" 2>&1 &
ANVIL_PID=$!
URL=http://127.0.0.1:$PORT
for _ in $(seq 1 100); do
  curl -s -m 1 -H 'content-type: application/json' -d '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' "$URL" | grep -q result && break
  sleep 0.1
done
KEY=0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80   # anvil account 0

QE_MRSIGNER=0x8c4f5775d796503e96137f77c68a829a0056ac8ded70140b081b094490c57bff
PCK_X=0x83d1830275979a9c8a644692eb427c448f8d11017457e79702ce82d0f82eb194
PCK_Y=0x4b0915c1456144e4f106a51b3c305609cd2ed8bbe1a1411f22e1e4d51a7df58e

code=$(jq -r '.bytecode.object' "$OUT/SgxQuoteVerifier.sol/SgxQuoteVerifier.json")
args=$("$CAST" abi-encode "constructor(bytes32,uint16)" "$QE_MRSIGNER" 1)
QV=$("$CAST" send --rpc-url "$URL" --private-key "$KEY" --json --create "${code}${args#0x}" 2>"$WORK/err" | jq -r '.contractAddress // empty')
if [ -n "$QV" ]; then ok "deploy SgxQuoteVerifier at $QV"; else ko "deploy SgxQuoteVerifier: $(cat "$WORK/err")"; echo "$PASS passed, $FAIL failed"; exit 1; fi

Q=0x$(xxd -p "$QUOTE" | tr -d '\n')
BODY=${Q:2+96:768}   # quote[48:432] as hex

call_verify() { # QUOTEHEX -> prints "true|false <output hex>"
  local raw
  raw=$("$CAST" call --rpc-url "$URL" "$QV" "verifyAndAttestOnChain(bytes)(bool,bytes)" "$1" 2>"$WORK/err") || { echo "error"; return; }
  echo "$raw" | tr '\n' ' '
}

r=$(call_verify "$Q")
case "$r" in false*"QE report not signed"*|false*0x5145*) ok "unregistered PCK key rejected" ;; *) ko "unregistered PCK key: $r" ;; esac

if "$CAST" send --rpc-url "$URL" --private-key "$KEY" "$QV" "addPckKey(bytes32,bytes32,bytes6,uint8)" \
     "$PCK_X" "$PCK_Y" 0x00606a000000 1 >/dev/null 2>"$WORK/err"; then ok "addPckKey"; else ko "addPckKey: $(cat "$WORK/err")"; fi

r=$(call_verify "$Q")
want="0x0003000000000100606a000000${BODY}"
set -- $r
if [ "${1:-}" = true ] && [ "${2:-}" = "$want" ]; then ok "real v04 quote verifies, v1.0 output"; else ko "real v04 quote: $r"; fi

gas=$("$CAST" estimate --rpc-url "$URL" "$QV" "verifyAndAttestOnChain(bytes)" "$Q" 2>/dev/null)
[ -n "$gas" ] && ok "gas estimate verifyAndAttestOnChain (tx, 4734-byte quote): $gas" || ko "estimate"

# flip one byte of the ISV body (offset 148) and one of the QE report (offset 574)
flip() { local h=${1:2} off=$2; local b=${h:2*off:2}; printf '0x%s%02x%s' "${h:0:2*off}" $(( 0x$b ^ 1 )) "${h:2*off+2}"; }
r=$(call_verify "$(flip "$Q" 148)")
case "$r" in false*) ok "tampered ISV body rejected" ;; *) ko "tampered body: $r" ;; esac
r=$(call_verify "$(flip "$Q" 574)")
case "$r" in false*) ok "tampered QE report rejected" ;; *) ko "tampered QE report: $r" ;; esac

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
