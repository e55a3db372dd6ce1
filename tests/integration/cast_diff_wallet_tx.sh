#!/usr/bin/env bash
# Differential tests of `mpavs wallet` and `mpavs tx` against cast 1.7.1 and a real anvil:
#   - wallet address of random keys                          vs cast wallet address
#   - tx sign of random legacy/EIP-1559 transactions         vs cast mktx (byte-exact: both use RFC 6979)
#     and cast decode-transaction's signer/hash of our bytes; mpavs tx decode of cast's bytes
#   - keystores written by mpavs decrypted by cast wallet decrypt-keystore, and the reverse
#   - our signed transactions published to anvil (free loopback port, killed by trap) and mined
#   - bad input: exit code 2 or 1 with one line on stderr, never a crash
# Ends with "N passed, N failed".
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
export PATH="$ROOT/.tools/bin:$PATH"
M="$ROOT/${BUILD:-build}/mpavs"
CASES=${CASES:-40}
PASS=0
FAIL=0
TMP=$(mktemp -d /tmp/mpavs-castdiff-XXXXXX)
ANVIL_PID=""
cleanup() {
  if [ -n "$ANVIL_PID" ]; then kill "$ANVIL_PID" 2>/dev/null; wait "$ANVIL_PID" 2>/dev/null; fi
  rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

ok() { PASS=$((PASS + 1)); }
bad() { FAIL=$((FAIL + 1)); echo "FAIL $*"; }
# same NAME A B: compare case-insensitively
same() { if [ "${2,,}" = "${3,,}" ] && [ -n "$2" ]; then ok; else bad "$1: mpavs='$2' cast='$3'"; fi; }

for t in cast anvil; do command -v $t >/dev/null || { echo "FAIL $t not found (run scripts/setup)"; echo "0 passed, 1 failed"; exit 1; }; done
[ -x "$M" ] || { echo "FAIL $M not built"; echo "0 passed, 1 failed"; exit 1; }
cp "$M" "$TMP/mpavs" && M="$TMP/mpavs"   # a private copy: a concurrent rebuild must not break the run

rhex() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'; }
ru64() { od -An -tu8 -N8 /dev/urandom | tr -d ' '; }   # text only: bash arithmetic is signed 64-bit
ru32() { od -An -tu4 -N4 /dev/urandom | tr -d ' '; }
rkey() { echo "0x$(rhex 32)"; }
jfield() { sed -nE "s/.*\\\\?\"$1\\\\?\": ?\\\\?\"([^\"\\\\]*)\\\\?\".*/\\1/p" | head -1; }

# ---------------------------------------------------------------- addresses
for i in $(seq 1 "$CASES"); do
  k=$(rkey)
  same "wallet address $k" "$("$M" wallet address --private-key "$k")" "$(cast wallet address --private-key "$k")"
done

# ---------------------------------------------------------------- transactions
for i in $(seq 1 "$CASES"); do
  k=$(rkey)
  chain=$(( $(ru32) * 256 + 1 ))
  nonce=$(( $(ru32) % 100000 ))
  [ $((i % 7)) -eq 0 ] && nonce=$(ru64)   # full 64-bit nonces too
  gas=$(( $(ru32) % 30000000 + 21000 ))
  price=$(( $(ru32) * 1000 ))
  prio=$(( price / 3 ))
  value="0x$(rhex $((i % 33)))"; [ "$value" = "0x" ] && value=0
  data="0x$(rhex $((i * 13 % 200)))"
  to="0x$(rhex 20)"
  mode=$((i % 4))   # 0 legacy call, 1 1559 call, 2 legacy create, 3 1559 create
  ours=(--private-key "$k" --chain-id "$chain" --nonce "$nonce" --gas-limit "$gas" --value "$value")
  theirs=(--private-key "$k" --chain "$chain" --nonce "$nonce" --gas-limit "$gas" --value "$value")
  if [ $((mode % 2)) -eq 0 ]; then
    ours+=(--legacy --gas-price "$price"); theirs+=(--legacy --gas-price "$price")
  else
    ours+=(--max-fee-per-gas "$price" --max-priority-fee-per-gas "$prio"); theirs+=(--gas-price "$price" --priority-gas-price "$prio")
  fi
  if [ $mode -lt 2 ]; then
    ours+=(--to "$to" --data "$data"); theirs+=("$to" "$data")
  else
    ours+=(--data "$data"); theirs+=(--create "$data")
  fi
  a=$("$M" tx sign "${ours[@]}" 2>&1)
  b=$(cast mktx "${theirs[@]}" 2>&1 | tail -1)
  same "tx sign mode=$mode chain=$chain nonce=$nonce" "$a" "$b"
  # cast decodes our bytes to our key's address, and our decoder agrees with cast's hash
  dec=$(cast decode-transaction "$a" 2>&1)
  same "cast decode signer ($a)" "$(echo "$dec" | jfield signer)" "$(cast wallet address --private-key "$k")"
  ourdec=$("$M" tx decode "$b" 2>&1) || echo "FAIL-detail: mpavs tx decode $b: $ourdec"
  same "tx decode hash" "$(echo "$ourdec" | jfield hash)" "$(echo "$dec" | jfield hash)"
  same "tx decode signer" "$(echo "$ourdec" | jfield signer)" "$(echo "$dec" | jfield signer)"
  same "tx decode nonce" "$(echo "$ourdec" | jfield nonce)" "$(echo "$dec" | jfield nonce)"
done

# ---------------------------------------------------------------- keystores
printf 'correct horse battery\n' >"$TMP/pw"
mkdir -p "$TMP/ours" "$TMP/cast"
for i in 1 2 3; do
  k=$(rkey)
  echo "$k" >"$TMP/key$i"
  n=1024; [ $i -eq 3 ] && n=262144   # one file at the default N
  out=$("$M" wallet import --private-key-file "$TMP/key$i" --keystore-dir "$TMP/ours" --password-file "$TMP/pw" --scrypt-n $n 2>&1)
  f=$(echo "$out" | sed -n 2p)
  same "import address" "$(echo "$out" | head -1)" "$(cast wallet address --private-key "$k")"
  if [ -f "$f" ] && [ "$(stat -c %a "$f")" = 600 ]; then ok; else bad "keystore file $f missing or not mode 0600"; fi
  c=$(cast wallet decrypt-keystore -k "$TMP/ours" "$(basename "$f")" --unsafe-password 'correct horse battery' 2>&1 | grep -oE '0x[0-9a-fA-F]{64}')
  same "cast decrypts our keystore" "$k" "$c"
  same "we decrypt our keystore" "$("$M" wallet decrypt --keystore "$f" --password-file "$TMP/pw")" "$k"
done
out=$("$M" wallet new --keystore-dir "$TMP/ours" --password-file "$TMP/pw" --scrypt-n 4096 2>&1)
f=$(echo "$out" | sed -n 2p)
k=$("$M" wallet decrypt --keystore "$f" --password-file "$TMP/pw")
same "wallet new address" "$(echo "$out" | head -1)" "$(cast wallet address --private-key "$k")"
same "cast decrypts wallet new" "$(cast wallet decrypt-keystore -k "$TMP/ours" "$(basename "$f")" --unsafe-password 'correct horse battery' 2>&1 | grep -oE '0x[0-9a-fA-F]{64}')" "$k"
for i in 1 2; do
  cast wallet new "$TMP/cast" --unsafe-password 'correct horse battery' >"$TMP/cnew" 2>&1
  f=$(sed -nE 's/.*keystore file: (.*)$/\1/p' "$TMP/cnew")
  c=$(cast wallet decrypt-keystore -k "$TMP/cast" "$(basename "$f")" --unsafe-password 'correct horse battery' 2>&1 | grep -oE '0x[0-9a-fA-F]{64}')
  same "we decrypt cast's keystore" "$("$M" wallet decrypt --keystore "$f" --password-file "$TMP/pw" 2>&1)" "$c"
  printf 'wrong\n' >"$TMP/pwbad"
  "$M" wallet decrypt --keystore "$f" --password-file "$TMP/pwbad" >/dev/null 2>&1
  rc=$?; if [ $rc -eq 1 ]; then ok; else bad "wrong password exit code $rc"; fi
done

# ---------------------------------------------------------------- anvil: publish and mine our transactions
port=""
for _ in $(seq 1 50); do
  p=$((20000 + RANDOM % 12000)) # below the ephemeral range
  if ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then port=$p; break; fi
done
anvil --port "$port" --host 127.0.0.1 --silent >"$TMP/anvil.log" 2>&1 &
ANVIL_PID=$!
URL="http://127.0.0.1:$port"
for _ in $(seq 1 100); do timeout 5 cast chain-id --rpc-url "$URL" >/dev/null 2>&1 && break; sleep 0.1; done
# anvil's first dev account
AK=0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80
from=$("$M" wallet address --private-key "$AK")
chain=$(timeout 10 cast chain-id --rpc-url "$URL")
for n in 0 1 2 3; do
  case $n in
    0) args=(--legacy --gas-price 2000000000 --to 0x000000000000000000000000000000000000dEaD --value 12345) ;;
    1) args=(--max-fee-per-gas 3000000000 --max-priority-fee-per-gas 1000000000 --to 0x000000000000000000000000000000000000dEaD --value 1000000000000000000) ;;
    2) args=(--max-fee-per-gas 3000000000 --max-priority-fee-per-gas 1000000000 --data 0x600a600c600039600a6000f3602a60005260206000f3) ;;
    3) args=(--legacy --gas-price 2000000000 --to 0x000000000000000000000000000000000000dEaD --data 0xdeadbeef) ;;
  esac
  raw=$("$M" tx sign --private-key "$AK" --chain-id "$chain" --nonce $n --gas-limit 100000 "${args[@]}")
  # cast publish waits for the receipt and prints it as JSON
  rcpt=$(timeout 60 cast publish --rpc-url "$URL" "$raw" 2>&1)
  h=$(echo "$rcpt" | jfield transactionHash)
  same "anvil tx $n status" "$(echo "$rcpt" | jfield status)" "0x1"
  same "anvil tx $n hash" "$("$M" tx decode "$raw" | jfield hash)" "$h"
  same "anvil tx $n sender" "$(echo "$rcpt" | jfield from)" "$from"
  [ $n -eq 2 ] && created=$(echo "$rcpt" | jfield contractAddress)
done
same "anvil balance of 0xdEaD" "$(timeout 30 cast balance --rpc-url "$URL" 0x000000000000000000000000000000000000dEaD)" "1000000000000012345"
same "created address" "${created:-}" "$(cast compute-address --nonce 2 "$from" | grep -oE '0x[0-9a-fA-F]{40}')"
code=$(timeout 30 cast code --rpc-url "$URL" "${created:-0x0000000000000000000000000000000000000000}")
same "anvil created contract code" "$code" "0x602a60005260206000f3"

# ---------------------------------------------------------------- bad input
expect_rc() { # WANT DESC CMD...
  local want=$1 desc=$2; shift 2
  "$@" >"$TMP/o" 2>"$TMP/e"; local rc=$?
  if [ $rc -eq "$want" ] && [ "$(wc -l <"$TMP/e")" -ge 1 ]; then ok; else bad "$desc: exit $rc (want $want), stderr: $(head -c 200 "$TMP/e")"; fi
}
expect_rc 2 "short key" "$M" wallet address --private-key 0x1234
expect_rc 2 "zero key" "$M" wallet address --private-key 0x0000000000000000000000000000000000000000000000000000000000000000
expect_rc 2 "key = n" "$M" wallet address --private-key 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141
expect_rc 2 "no args" "$M" tx sign
expect_rc 2 "both fee kinds" "$M" tx sign --private-key "$AK" --chain-id 1 --nonce 0 --gas-limit 1 --legacy --gas-price 1 --max-fee-per-gas 1
expect_rc 2 "bad checksum to" "$M" tx sign --private-key "$AK" --chain-id 1 --nonce 0 --gas-limit 1 --legacy --gas-price 1 --to 0x000000000000000000000000000000000000dEAd
expect_rc 2 "nonce overflow" "$M" tx sign --private-key "$AK" --chain-id 1 --nonce 18446744073709551616 --gas-limit 1 --legacy --gas-price 1
expect_rc 2 "bad data" "$M" tx sign --private-key "$AK" --chain-id 1 --nonce 0 --gas-limit 1 --legacy --gas-price 1 --data 0xzz
expect_rc 1 "garbage tx" "$M" tx decode 0xdeadbeef
expect_rc 1 "truncated tx" "$M" tx decode 0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a7640000
expect_rc 1 "missing keystore" "$M" wallet decrypt --keystore "$TMP/nope" --password-file "$TMP/pw"
echo '{"crypto":' >"$TMP/badks"
expect_rc 1 "bad keystore json" "$M" wallet decrypt --keystore "$TMP/badks" --password-file "$TMP/pw"

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
