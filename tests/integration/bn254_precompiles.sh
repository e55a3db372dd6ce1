#!/usr/bin/env bash
# tests/integration/bn254_precompiles.sh — differential test of `mpavs bls ecadd|ecmul|pairing`
# against the EVM precompiles 0x06/0x07/0x08 of a real anvil (eth_call, JSON-RPC batches).
# Random valid points are made with the mpavs CLI (ecmul of G1, pubkey for G2); the oracle is anvil.
# Ends with "N passed, N failed"; exit status non-zero on any failure.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
MPAVS=${MPAVS:-$ROOT/build/mpavs}
ANVIL=$ROOT/.tools/bin/anvil
N_RANDOM=${N_RANDOM:-200}
[ "$N_RANDOM" -ge 10 ] || N_RANDOM=10
WORK=$(mktemp -d)
ANVIL_PID=
cleanup() {
  [ -n "$ANVIL_PID" ] && kill "$ANVIL_PID" 2>/dev/null && wait "$ANVIL_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

[ -x "$MPAVS" ] || { echo "bn254_precompiles: $MPAVS not built"; echo "0 passed, 1 failed"; exit 1; }
# snapshot the binary: a concurrent `make` may relink build/mpavs while this runs
cp "$MPAVS" "$WORK/mpavs" && MPAVS=$WORK/mpavs
[ -x "$ANVIL" ] || { echo "bn254_precompiles: anvil missing (run scripts/setup)"; echo "0 passed, 1 failed"; exit 1; }

# free loopback port
PORT=
for _ in $(seq 1 50); do
  p=$(( (RANDOM % 12000) + 20000 )) # below the ephemeral range
  if ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then PORT=$p; break; fi
done
[ -n "$PORT" ] || { echo "no free port"; echo "0 passed, 1 failed"; exit 1; }
"$ANVIL" --port "$PORT" --silent >"$WORK/anvil.log" 2>&1 &
ANVIL_PID=$!
URL=http://127.0.0.1:$PORT
for _ in $(seq 1 100); do
  curl -s -m 1 -H 'content-type: application/json' -d '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' "$URL" | grep -q result && break
  sleep 0.1
done

P=30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47
R=30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001
RM1=30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000000
RP1=30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000002
Z=0000000000000000000000000000000000000000000000000000000000000000
ONE=0000000000000000000000000000000000000000000000000000000000000001
TWO=0000000000000000000000000000000000000000000000000000000000000002
THREE=0000000000000000000000000000000000000000000000000000000000000003
FF=ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
G1="$ONE$TWO"
G2=198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c21800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa
# a point of the twist (x = 1) outside the order-r subgroup
G2BAD=${Z}${ONE}0d1271953ed9ea0836846e70a1934187998c7f790cb4d7511b7f8da82de048a42869111d5381f072f8e2728fdb825a51aadd70e52c9830e9ab4b871c0531f1bb
# G2 generator with y changed: off the twist
G2OFF=${G2:0:320}${ONE}

rand32() { od -An -tx1 -N32 /dev/urandom | tr -d ' \n'; }
strip0x() { local s=$1; echo "${s#0x}"; }
# random small-ish secret in [1, r): 31 random bytes
rsk() { echo "0x00$(od -An -tx1 -N31 /dev/urandom | tr -d ' \n')"; }
g1mul() { strip0x "$("$MPAVS" bls ecmul "0x$G1$1")"; }       # k*G1 (64 bytes hex)
g2of() { "$MPAVS" bls pubkey --sk "$1" | sed -n 3,6p | sed 's/^0x//' | tr -d '\n'; } # k*G2 (128 bytes hex)
negy() { # 64-byte G1 hex -> its negation (via ecmul by r-1)
  strip0x "$("$MPAVS" bls ecmul "0x$1$RM1")"
}

CASES=$WORK/cases   # lines: "addr hexinput"
: >"$CASES"
add() { echo "$1 0x$2" >>"$CASES"; }

# random points
declare -a PTS
for i in $(seq 1 "$N_RANDOM"); do PTS[$i]=$(g1mul "$(rand32)"); done
declare -a Q2 KS
for i in $(seq 1 8); do KS[$i]=$(rsk); Q2[$i]=$(g2of "${KS[$i]}"); done

# ---- ecAdd (0x06) ----
for i in $(seq 1 "$N_RANDOM"); do
  j=$(( (i % N_RANDOM) + 1 ))
  add 06 "${PTS[$i]}${PTS[$j]}"
  add 06 "${PTS[$i]}${PTS[$i]}"
done
for i in 1 2 3 4 5; do
  add 06 "${PTS[$i]}$(negy "${PTS[$i]}")"
  add 06 "${PTS[$i]}$Z$Z"
  add 06 "$Z$Z${PTS[$i]}"
  add 06 "${PTS[$i]}"                       # short: second point zero-padded
  add 06 "${PTS[$i]}${PTS[$i+1]}$(rand32)"  # surplus ignored
  add 06 "${PTS[$i]}${PTS[$i+1]:0:70}"      # truncated inside the second point
done
add 06 ""
add 06 "$Z$Z$Z$Z"
add 06 "$G1$G1"
add 06 "$ONE$THREE$G1"      # off curve
add 06 "$G1$ONE$THREE"      # off curve (second)
add 06 "$P$TWO$G1"          # x >= p
add 06 "$G1$ONE$P"          # y >= p
add 06 "$FF$FF$G1"
add 06 "$Z$ONE$G1"          # (0,1) is not on the curve and not infinity
add 06 "$G1$Z$TWO"

# ---- ecMul (0x07) ----
for i in $(seq 1 "$N_RANDOM"); do add 07 "${PTS[$i]}$(rand32)"; done
for k in $Z $ONE $TWO $R $RM1 $RP1 $FF $P; do
  add 07 "$G1$k"
  add 07 "${PTS[7]}$k"
  add 07 "$Z$Z$k"
done
for i in 1 2 3; do
  add 07 "${PTS[$i]}${ONE:0:40}"           # short scalar: zero-padded at the end
  add 07 "${PTS[$i]}$(rand32)$(rand32)"    # surplus ignored
done
add 07 ""
add 07 "$G1"
add 07 "$ONE$THREE$TWO"     # off curve
add 07 "$P$TWO$TWO"         # x >= p
add 07 "$ONE$P$TWO"
add 07 "$Z$ONE$TWO"
add 07 "$Z${TWO}$Z"

# ---- ecPairing (0x08) ----
NG1=$(negy "$G1")
add 08 ""
add 08 "$G1$G2"
add 08 "$G1$G2$NG1$G2"                    # e(G1,G2) e(-G1,G2) = 1
add 08 "$Z$Z$G2"                           # infinity G1
add 08 "$G1$Z$Z$Z$Z"                       # infinity G2
add 08 "$Z$Z$Z$Z$Z$Z"
for i in $(seq 1 8); do
  k=${KS[$i]#0x}; k=$(printf '%064s' "$k" | tr ' ' 0)
  kp=$(g1mul "$k")
  nkp=$(negy "$kp")
  add 08 "$kp$G2$NG1${Q2[$i]}"            # e(kP, Q) e(-P, kQ) = 1
  add 08 "$nkp$G2$G1${Q2[$i]}"            # = 1
  add 08 "$kp$G2$G1${Q2[$i]}"             # != 1
  add 08 "$kp$G2$NG1${Q2[$i]}${PTS[$i]}$G2"   # != 1 (extra pair)
  add 08 "${PTS[$i]}${Q2[$i]}"
  add 08 "$kp$G2$NG1${Q2[$i]}$Z$Z${Q2[$i]}$G1$Z$Z$Z$Z"   # = 1 with infinity pairs
  add 08 "${PTS[$i]}$G2BAD"               # G2 outside the subgroup
  add 08 "$Z$Z$G2BAD"                      # ... even with G1 at infinity
  add 08 "${PTS[$i]}$G2OFF"               # G2 off curve
  add 08 "$kp${Q2[$i]:0:128}$P${Q2[$i]:192:64}"  # G2 coordinate >= p
  add 08 "$ONE$THREE${Q2[$i]}"            # G1 off curve
  add 08 "$kp$G2$NG1${Q2[$i]:0:254}"      # length not a multiple of 192
done
# 9 pairs (crosses the 8-pair chunk of the multi-Miller loop): sum of k_i = 0 relation
for rep in 1 2; do
  in=""; for i in $(seq 1 8); do in="$in${PTS[$i]}${Q2[$i]}"; done
  add 08 "$in$G1$G2"
done
# random relations e(k P, G2) e(-P, k G2) = 1 (and a wrong k' on half of them), P random
for i in $(seq 1 40); do
  k=$(rsk); kh=${k#0x}
  kq=$(g2of "$k")
  kp=$(strip0x "$("$MPAVS" bls ecmul "0x${PTS[$i]}$kh")")
  np=$(negy "${PTS[$i]}")
  if [ $((i % 2)) -eq 0 ]; then
    add 08 "$kp$G2$np$kq"
  else
    add 08 "$kp$G2$np$(g2of "$(rsk)")"
  fi
done
add 08 "$G1$G2$G1"                         # 256 bytes
add 08 "${G1}"                             # 64 bytes
# EIP-197 style: e(P1, Q1) e(P2, Q2) with a fixed known-true instance: k=2
TWOG1=$(g1mul "$TWO"); TWOG2=$(g2of 2)
add 08 "$TWOG1$G2$NG1$TWOG2"
add 08 "$TWOG1$TWOG2$NG1$G2"

TOTAL=$(wc -l <"$CASES")
# ---- oracle: JSON-RPC batches of eth_call ----
mkbatch() { # $1 first line, $2 count
  sed -n "$1,$(( $1 + $2 - 1 ))p" "$CASES" | awk -v base="$1" '
    BEGIN { printf "[" }
    { if (NR > 1) printf ",";
      printf "{\"jsonrpc\":\"2.0\",\"id\":%d,\"method\":\"eth_call\",\"params\":[{\"to\":\"0x00000000000000000000000000000000000000%s\",\"data\":\"%s\",\"gas\":\"0x1000000\"},\"latest\"]}", base + NR - 1, $1, ($2 == "" ? "0x" : $2) }
    END { printf "]" }'
}
: >"$WORK/oracle"
for ((s = 1; s <= TOTAL; s += 100)); do
  mkbatch "$s" 100 >"$WORK/req.json"
  curl -s -m 120 -H 'content-type: application/json' --data-binary @"$WORK/req.json" "$URL" |
    jq -r '.[] | "\(.id) \(if .error then "FAIL" else .result end)"' >>"$WORK/oracle"
done
sort -n -o "$WORK/oracle" "$WORK/oracle"
[ -n "${KEEP_ORACLE:-}" ] && cp "$WORK/oracle" "$KEEP_ORACLE"

pass=0; fail=0; line=0
declare -A want
while read -r id res; do want[$id]=$res; done <"$WORK/oracle"
while read -r addr input; do
  line=$((line + 1))
  case $addr in 06) cmd=ecadd ;; 07) cmd=ecmul ;; 08) cmd=pairing ;; esac
  out=$("$MPAVS" bls "$cmd" "${input:-0x}" 2>/dev/null); rc=$?
  exp=${want[$line]:-MISSING}
  if [ "$exp" = FAIL ]; then
    if [ $rc -ne 0 ] && [ -z "$out" ]; then pass=$((pass + 1)); else
      fail=$((fail + 1)); echo "FAIL #$line $cmd $input: anvil fails, mpavs rc=$rc out=$out"; fi
  else
    if [ $rc -eq 0 ] && [ "$out" = "$exp" ]; then pass=$((pass + 1)); else
      fail=$((fail + 1)); echo "FAIL #$line $cmd $input: anvil $exp, mpavs rc=$rc out=$out"; fi
  fi
done <"$CASES"
echo "bn254_precompiles: $TOTAL cases against anvil (0x06/0x07/0x08)"

# ---- CLI forms against the spec vectors (eigenlayer.md §2.2, §7), decimal -> hex by cast ----
CAST=$ROOT/.tools/bin/cast
hx() { printf '0x%064s\n' "$("$CAST" to-base "$1" 16 | sed 's/^0x//')" | tr ' ' 0; }
expect() { # name, expected text, actual text
  if [ "$2" = "$3" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL cli $1: want [$2] got [$3]"; fi
}
expect_rc() { # name, expected rc, actual rc
  if [ "$2" = "$3" ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL cli $1: want exit $2 got $3"; fi
}
SK=2215338531151182997276243965065522514190247674553811942190946030173209230351
MSG=0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470
want_pub="$(hx 19408553463882111916887171276012224475029133183214861480489485386352635269635)
$(hx 17418827901203159022109906145273000034647571131322064812191371351028964064220)
$(hx 13037982628644757040185398664786437290984469509590451662821837811616916784709)
$(hx 21178820834716757654755316634652689596298672403237496805637043993639570914444)
$(hx 4022699804058148232740660343529564510469516782209703044121623735702017054687)
$(hx 19140012418317921816246648119057184310012212322230940883368399945282679167781)
0x2b3a67aee25855743a2ac3e1537d08d5219a9355c5490ad646760fedf5d538f8"
expect "pubkey (decimal sk)" "$want_pub" "$("$MPAVS" bls pubkey --sk "$SK")"
expect "pubkey (hex sk)" "$want_pub" "$("$MPAVS" bls pubkey --sk "$(hx "$SK")")"
expect "hash-to-g1 keccak('')" "$(hx 1924180730567573949438414972962865884536842824156461616654016606101753147221)
$(hx 1728514896795884844118992509778460172744175111335267524878447231407682319036)" "$("$MPAVS" bls hash-to-g1 $MSG)"
expect "hash-to-g1 0" "$(hx 1)
$(hx 2)" "$("$MPAVS" bls hash-to-g1 0x$Z)"
expect "hash-to-g1 ff..ff" "$(hx 6350874878119819312338956282401532409788428879151445726012394534686998597020)
$(hx 9382425333525343773979589293970912874995880615911074345993039062358358671562)" "$("$MPAVS" bls hash-to-g1 0x$FF)"
expect "hash-to-g1 0102..32" "$(hx 455867356320691211510521917002145349783771294742955950119233894477141651763)
$(hx 18389124305450312273087666412711538485117602745743585037239118590645240881449)" \
  "$("$MPAVS" bls hash-to-g1 0x0102030405060708091011121314151617181920212223242526272829303132)"
SIGX=10597362545591239940917376765607351853410086664574590122531858401444777591130
SIGY=21241926338779413191769573299998870436018994330205763054406805057966894243249
expect "sign" "$(hx $SIGX)
$(hx $SIGY)" "$("$MPAVS" bls sign --sk "$SK" $MSG)"
PK2=13037982628644757040185398664786437290984469509590451662821837811616916784709,21178820834716757654755316634652689596298672403237496805637043993639570914444,4022699804058148232740660343529564510469516782209703044121623735702017054687,19140012418317921816246648119057184310012212322230940883368399945282679167781
PK2_GNARK=21178820834716757654755316634652689596298672403237496805637043993639570914444,13037982628644757040185398664786437290984469509590451662821837811616916784709,19140012418317921816246648119057184310012212322230940883368399945282679167781,4022699804058148232740660343529564510469516782209703044121623735702017054687
out=$("$MPAVS" bls verify --pubkey-g2 "$PK2" --sig "$SIGX,$SIGY" $MSG); rc=$?
expect "verify valid" valid "$out"; expect_rc "verify valid" 0 $rc
out=$("$MPAVS" bls verify --pubkey-g2 "$PK2" --sig "$SIGX,$SIGY" 0x$FF); rc=$?
expect "verify other msg" invalid "$out"; expect_rc "verify other msg" 1 $rc
"$MPAVS" bls verify --pubkey-g2 "$PK2_GNARK" --sig "$SIGX,$SIGY" $MSG >/dev/null 2>&1; expect_rc "verify gnark-order pk" 2 $?
"$MPAVS" bls verify --pubkey-g2 "$PK2" --sig "1,3" $MSG >/dev/null 2>&1; expect_rc "verify off-curve sig" 2 $?
"$MPAVS" bls pubkey --sk 0 >/dev/null 2>&1; expect_rc "pubkey sk=0" 2 $?
"$MPAVS" bls pubkey --sk 0x$R >/dev/null 2>&1; expect_rc "pubkey sk=r" 2 $?
"$MPAVS" bls pubkey --sk 12x >/dev/null 2>&1; expect_rc "pubkey sk syntax" 2 $?
"$MPAVS" bls sign --sk 5 0x1234 >/dev/null 2>&1; expect_rc "sign short msg" 2 $?
"$MPAVS" bls pairing 0x12 >/dev/null 2>&1; expect_rc "pairing bad length" 1 $?
"$MPAVS" bls ecadd 0xzz >/dev/null 2>&1; expect_rc "ecadd bad hex" 2 $?
# key files (only when the keystore module is built in)
if "$MPAVS" bls keygen --help >/dev/null 2>&1; then
  printf 'fDUMDLmBROwlzzPXyIcy\n' >"$WORK/pw"
  expect "show eigensdk key file" "$want_pub" \
    "$("$MPAVS" bls show --key "$ROOT/../shared/vectors/keystores/1.bls.key.json" --password-file "$WORK/pw" 2>&1)"
  printf 'wrong\n' >"$WORK/bad"
  "$MPAVS" bls show --key "$ROOT/../shared/vectors/keystores/1.bls.key.json" --password-file "$WORK/bad" >/dev/null 2>&1
  expect_rc "show wrong password" 1 $?
  gen=$("$MPAVS" bls keygen --out "$WORK/k.json" --password-file "$WORK/pw" --insecure-scrypt); rc=$?
  expect_rc "keygen" 0 $rc
  expect "keygen then show" "$gen" "$("$MPAVS" bls show --key "$WORK/k.json" --password-file "$WORK/pw")"
  x=$(echo "$gen" | sed -n 1p); y=$(echo "$gen" | sed -n 2p)
  expect "keygen pubKey field" "E([$("$CAST" to-dec "$x"),$("$CAST" to-dec "$y")])" "$(jq -r .pubKey "$WORK/k.json")"
  "$MPAVS" bls keygen --out "$WORK/k.json" --password-file "$WORK/pw" --insecure-scrypt >/dev/null 2>&1
  expect_rc "keygen refuses to overwrite" 1 $?
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
