#!/usr/bin/env bash
# tests/integration/contracts_anvil.sh — the devnet contracts on a real anvil (--hardfork osaka, P-256
# precompile): deploys SgxQuoteVerifier from its forge artifact with cast, registers the PCK key of a
# real Intel SGX v3 quote (shared/vectors/dcap/v04) and checks verifyAndAttestOnChain accepts it with
# Automata's v1.0 output layout and rejects tampered copies; checks every deployable artifact fits
# EIP-170. Ends with "N passed, N failed"; exit status non-zero on any failure.
set -uo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
it_counted
it_need contracts_anvil "$ANVIL" "$CAST" "$FORGE"
SHARED=${MPAVS_SHARED:-$ROOT/../shared}
QUOTE=$SHARED/vectors/dcap/v04_automata_sgx_v3_aug2025/quote.bin
HAVE_QUOTE=1
[ -f "$QUOTE" ] || { echo "contracts_anvil: $QUOTE missing: skipping the real-quote checks"; HAVE_QUOTE=0; }

OUT=$ROOT/contracts/out

# every contract of src/ that has code fits the 24576-byte limit
big=$(for f in "$OUT"/*.sol/*.json; do
  src=$(jq -r '.metadata.settings.compilationTarget // {} | keys[0] // ""' "$f")
  case "$src" in src/*) ;; *) continue ;; esac
  n=$(( ($(jq -r '.deployedBytecode.object' "$f" | wc -c) - 3) / 2 ))
  [ "$n" -gt 24576 ] && echo "$f:$n"
done)
[ -z "$big" ] && ok "deployed code sizes <= 24576" || ko "code size limit: $big"

PORT=$(it_free_port) || abort "no free port"
it_anvil "$PORT" "$WORK/anvil.log"
KEY=0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80   # anvil account 0

QE_MRSIGNER=0x8c4f5775d796503e96137f77c68a829a0056ac8ded70140b081b094490c57bff
PCK_X=0x83d1830275979a9c8a644692eb427c448f8d11017457e79702ce82d0f82eb194
PCK_Y=0x4b0915c1456144e4f106a51b3c305609cd2ed8bbe1a1411f22e1e4d51a7df58e

code=$(jq -r '.bytecode.object' "$OUT/SgxQuoteVerifier.sol/SgxQuoteVerifier.json")
args=$("$CAST" abi-encode "constructor(bytes32,uint16)" "$QE_MRSIGNER" 1)
QV=$("$CAST" send --rpc-url "$URL" --private-key "$KEY" --json --create "${code}${args#0x}" 2>"$WORK/err" | jq -r '.contractAddress // empty')
if [ -n "$QV" ]; then ok "deploy SgxQuoteVerifier at $QV"; else abort "deploy SgxQuoteVerifier: $(cat "$WORK/err")"; fi

if [ "$HAVE_QUOTE" = 1 ]; then
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
fi

# ---- the whole devnet stack in the order of contracts/README.md, with cast only ----
DEPLOYER=$("$CAST" wallet address --private-key "$KEY")
deploy() { # ARTIFACT(File.sol/Name) [CTOR_SIG ARGS...] -> address
  local art=$1; shift
  local code args=""
  code=$(jq -r '.bytecode.object' "$OUT/$art.json")
  if [ $# -gt 0 ]; then args=$("$CAST" abi-encode "$@") || return 1; args=${args#0x}; fi
  "$CAST" send --rpc-url "$URL" --private-key "$KEY" --json --create "${code}${args}" 2>>"$WORK/err" | jq -r '.contractAddress // empty'
}
tx() { "$CAST" send --rpc-url "$URL" --private-key "$KEY" "$@" >/dev/null 2>>"$WORK/err"; }
: >"$WORK/err"
stack_ok=1
step() { if [ -z "$2" ]; then stack_ok=0; echo "  step failed: $1"; fi; }
PR=$(deploy PauserRegistry.sol/PauserRegistry "constructor(address[],address)" "[$DEPLOYER]" "$DEPLOYER"); step pauser "$PR"
EMPTY=$(deploy Proxy.sol/EmptyContract); step empty "$EMPTY"
proxy() { deploy Proxy.sol/Proxy "constructor(address,address)" "$EMPTY" "$DEPLOYER"; }
DM=$(proxy); SMGR=$(proxy); AVSD=$(proxy); step core-proxies "$AVSD"
impl=$(deploy DelegationManager.sol/DelegationManager "constructor(address,address,address)" "$SMGR" "$EMPTY" "$EMPTY")
tx "$DM" "upgradeToAndCall(address,bytes)" "$impl" "$("$CAST" calldata "initialize(address,address,uint256,uint256,address[],uint256[])" "$DEPLOYER" "$PR" 0 50400 "[]" "[]")" || stack_ok=0
impl=$(deploy StrategyManager.sol/StrategyManager "constructor(address,address,address)" "$DM" "$EMPTY" "$EMPTY")
tx "$SMGR" "upgradeToAndCall(address,bytes)" "$impl" "$("$CAST" calldata "initialize(address,address,address,uint256)" "$DEPLOYER" "$DEPLOYER" "$PR" 0)" || stack_ok=0
impl=$(deploy AVSDirectory.sol/AVSDirectory "constructor(address)" "$DM")
tx "$AVSD" "upgradeToAndCall(address,bytes)" "$impl" "$("$CAST" calldata "initialize(address,address,uint256)" "$DEPLOYER" "$PR" 0)" || stack_ok=0
TOKEN=$(deploy TestToken.sol/TestToken "constructor(string,string,uint256,address)" Token1 TOK1 1000000000000000000000000000 "$DEPLOYER"); step token "$TOKEN"
STRAT=$(proxy)
impl=$(deploy StrategyBase.sol/StrategyBase "constructor(address)" "$SMGR")
tx "$STRAT" "upgradeToAndCall(address,bytes)" "$impl" "$("$CAST" calldata "initialize(address,address)" "$TOKEN" "$PR")" || stack_ok=0
tx "$SMGR" "addStrategiesToDepositWhitelist(address[],bool[])" "[$STRAT]" "[false]" || stack_ok=0
IR=$(proxy); BR=$(proxy); SR=$(proxy); RC=$(proxy); step mw-proxies "$RC"
tx "$IR" "upgradeTo(address)" "$(deploy IndexRegistry.sol/IndexRegistry "constructor(address)" "$RC")" || stack_ok=0
tx "$BR" "upgradeTo(address)" "$(deploy BLSApkRegistry.sol/BLSApkRegistry "constructor(address)" "$RC")" || stack_ok=0
tx "$SR" "upgradeTo(address)" "$(deploy StakeRegistry.sol/StakeRegistry "constructor(address,address)" "$RC" "$DM")" || stack_ok=0
SM=$(proxy); step sm-proxy "$SM"
impl=$(deploy RegistryCoordinator.sol/RegistryCoordinator "constructor(address,address,address,address)" "$SM" "$SR" "$BR" "$IR"); step rc-impl "$impl"
tx "$RC" "upgradeToAndCall(address,bytes)" "$impl" "$("$CAST" calldata \
  "initialize(address,address,address,address,uint256,(uint32,uint16,uint16)[],uint96[],(address,uint96)[][])" \
  "$DEPLOYER" "$DEPLOYER" "$DEPLOYER" "$PR" 0 "[(50,11000,200)]" "[10000000000000000]" "[[($STRAT,1000000000000000000)]]")" || stack_ok=0
impl=$(deploy MultiProverServiceManager.sol/MultiProverServiceManager "constructor(address,address,address)" "$AVSD" "$RC" "$SR"); step sm-impl "$impl"
tx "$SM" "upgradeToAndCall(address,bytes)" "$impl" "$("$CAST" calldata "initialize(address,uint256,address,address,address,address,bool)" \
  "$PR" 0 "$DEPLOYER" "$DEPLOYER" "$DEPLOYER" "$DEPLOYER" false)" || stack_ok=0
OSR=$(deploy OperatorStateRetriever.sol/OperatorStateRetriever); step osr "$OSR"
tx "$SM" "addTEEQuorum((uint8,uint8))" "(1,0)" || stack_ok=0
tx "$SM" "addCommittee((uint256,string,bytes,bytes))" "(3,devnet,0x,0x00)" || stack_ok=0
AV=$(deploy AttestationVerifier.sol/AttestationVerifier "constructor(address)" "$QV"); step av "$AV"
TLV=$(proxy)
tx "$TLV" "upgradeToAndCall(address,bytes)" "$(deploy TEELivenessVerifier.sol/TEELivenessVerifier)" \
  "$("$CAST" calldata "initialize(address,address,uint256,uint256)" "$DEPLOYER" "$AV" 20 3600)" || stack_ok=0
[ "$stack_ok" = 1 ] && ok "deploy the whole stack in README order" || ko "stack deploy: $(tail -5 "$WORK/err")"

c() { "$CAST" call --rpc-url "$URL" "$@" 2>/dev/null; }
[ "$(c "$RC" "quorumCount()(uint8)")" = 1 ] && ok "quorum 0 created" || ko "quorumCount"
[ "$(c "$SM" "quorumIdToCommitteeId(uint8)(uint256)" 0)" = 3 ] && ok "committee 3 bound to TEE quorum 0" || ko "committee"
r=$(c "$SM" "blsApkRegistry()(address)"); [ "${r,,}" = "${BR,,}" ] && ok "service manager immutables from the live coordinator" || ko "sm immutables"
r=$(c "$SM" "stateConfirmer()(address)"); [ "${r,,}" = "${DEPLOYER,,}" ] && ok "state confirmer" || ko "state confirmer"
[ "$(c "$SR" "getTotalStakeHistoryLength(uint8)(uint256)" 0)" = 1 ] && ok "stake registry quorum 0" || ko "stake history"
r=$(c "$TLV" "attestationVerifier()(address)"); [ "${r,,}" = "${AV,,}" ] && ok "liveness verifier configured" || ko "tlv"
ds=$(c "$AVSD" "domainSeparator()(bytes32)")
want=$("$CAST" keccak "$("$CAST" abi-encode "f(bytes32,bytes32,uint256,address)" \
  0x8cad95687ba82c2ce50e74f7b754645e5117c3a5bec8151c0726d5857980a866 "$("$CAST" keccak EigenLayer)" "$("$CAST" chain-id --rpc-url "$URL")" "$AVSD")")
[ "$ds" = "$want" ] && ok "AVSDirectory domain separator (cast-computed)" || ko "domain separator $ds != $want"
h=$(c "$RC" "pubkeyRegistrationMessageHash(address)((uint256,uint256))" "$DEPLOYER")
[ -n "$h" ] && ok "pubkeyRegistrationMessageHash answers: $h" || ko "pubkeyRegistrationMessageHash"

finish
