#!/usr/bin/env bash
# tests/integration/operator_slashing.sh — `mpavs operator register/update/status` against the
# slashing release's DelegationManager ABI (contracts/src/core/DelegationManagerV1.sol and its
# AllocationManagerV1, deployed on a real anvil next to the devnet stack) and the detection of the
# form: the plan names the form, registerAsOperator(address,uint32,string) with operator.yaml's
# delegation approver, allocation delay (default 0, range checked) and metadata URI, read back with
# `cast call` (delegationApprover, getAllocationDelay after ALLOCATION_CONFIGURATION_DELAY + 1
# blocks) and the receipts' events (OperatorMetadataURIUpdated, AllocationDelaySet);
# modifyOperatorDetails(address,address) and updateOperatorMetadataURI(address,string) only for
# what changed; M2-only flags refused on it and --allocation-delay refused on M2; status's
# delegation_manager_form and details on both. operator_cli.sh covers the M2 form in depth.
# Ends with "N passed, N failed"; exit status non-zero on any failure.
set -uo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
it_counted
it_need operator_slashing "$ANVIL" "$CAST" "$FORGE" "$MPAVS"
PORT=$(it_free_port) || abort "no free port"
it_anvil "$PORT" "$WORK/anvil.log"
DEPLOYER=0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80   # anvil account 0
OPKEY=0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d      # anvil account 1
OPADDR=0x70997970C51812dc3A010C7d01b50e0d17dc79C8
ATTKEY=0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a     # anvil account 2
ATTADDR=0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC
OP3KEY=0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6     # anvil account 3
OP3ADDR=0x90F79bf6EB2c4f870365E785982E1f101E93b906
ZERO=0x0000000000000000000000000000000000000000

cd "$WORK" || abort "cd"
"$MPAVS" devnet deploy --rpc-url "$URL" --private-key "$DEPLOYER" --artifacts "$ROOT/contracts/out" --out m2.json >deploy.log 2>&1 \
  || { cat deploy.log; abort "devnet deploy"; }
DM2=$(jq -r .delegationManager m2.json)
# the slashing-release stand-in: ALLOCATION_CONFIGURATION_DELAY = 3 blocks
CFG=3
ART=$ROOT/contracts/out/DelegationManagerV1.sol/DelegationManagerV1.json
CODE=$(jq -r .bytecode.object "$ART")$("$CAST" abi-encode "c(uint32)" $CFG | sed 's/^0x//')
DM=$("$CAST" send --rpc-url "$URL" --private-key "$DEPLOYER" --create "$CODE" --json | jq -r .contractAddress)
AM=$("$CAST" call --rpc-url "$URL" "$DM" "allocationManager()(address)" 2>/dev/null)
[ -n "$AM" ] && [ "$AM" != "$ZERO" ] || abort "DelegationManagerV1 deployed ($DM, allocationManager $AM)"
ok "devnet and the slashing-release DelegationManager deployed"
jq --arg dm "$DM" --arg u "$URL" '. + {delegationManager: $dm, rpcUrl: $u}' m2.json >sl.json
jq --arg u "$URL" '. + {rpcUrl: $u}' m2.json >m2u.json

export MPAVS_KEY_PASSWORD=correct-horse
KD=$WORK/keys
for k in "op $OPKEY" "att $ATTKEY" "op3 $OP3KEY"; do
  set -- $k
  "$MPAVS" operator keys import --key-type ecdsa --keys-dir "$KD" --insecure-scrypt "$1" "$2" >/dev/null 2>&1 || abort "keys import $1"
done
SL="--network custom --deployment $WORK/sl.json --keys-dir $KD"
M2="--network custom --deployment $WORK/m2u.json --keys-dir $KD"
nonce() { "$CAST" nonce --rpc-url "$URL" "$1"; }
sent_hashes() { grep -o 'transaction sent: 0x[0-9a-f]\{64\}' "$1" | sed 's/^transaction sent: //'; }
# event_data HASH SIGNATURE: the data of the receipt's first log with that topic 0
event_data() {
  "$CAST" receipt --rpc-url "$URL" "$1" --json | jq -r --arg t "$("$CAST" keccak "$2")" '[.logs[] | select(.topics[0] == $t)][0].data'
}
uri_of() { "$CAST" abi-decode "f()(string)" "$(event_data "$1" "OperatorMetadataURIUpdated(address,string)")" | tr -d '"'; }

# ---------------- register ----------------
META=https://example.com/mpavs-op/metadata.json
cat >operator.yaml <<YAML
operator:
  address: $OPADDR
  earnings_address: $ATTADDR
  delegation_approver_address: "$ATTADDR"
  staker_opt_out_window_blocks: 50400
  metadata_url: "$META"
  allocation_delay: 1200
el_delegation_manager_address: $DM
chain_id: 31337
YAML
N0=$(nonce $OPADDR)
"$MPAVS" operator register $SL --key op operator.yaml --dry-run >dry.out 2>&1 || ko "register --dry-run: $(cat dry.out)"
grep -q "^delegation manager: slashing release (allocationManager() = $AM): slashing-release forms" dry.out \
  && grep -q "^  registerAsOperator(address,uint32,string)$" dry.out && grep -q "^    initDelegationApprover = $ATTADDR$" dry.out \
  && grep -q "^    allocationDelay = 1200 blocks (in effect 4 blocks after registration" dry.out \
  && grep -q "earnings_address and staker_opt_out_window_blocks are not used" dry.out \
  && grep -q "^  estimated gas: [1-9]" dry.out && ok "plan: the slashing form, detected, with its fields" || ko "plan: $(cat dry.out)"
check "dry run sends nothing" "$N0" "$(nonce $OPADDR)"
"$MPAVS" operator register $SL --key op operator.yaml --earnings-receiver "$OPADDR" --yes >er.out 2>&1
check "--earnings-receiver refused on the slashing form (usage error)" "2" "$?"
grep -q "do not exist on the slashing release's DelegationManager; nothing sent" er.out && ok "M2-only flag message" || ko "M2-only flag: $(cat er.out)"
sed 's/allocation_delay: 1200/allocation_delay: 4294967296/' operator.yaml >big.yaml
"$MPAVS" operator register $SL --key op big.yaml --yes >big.out 2>&1
check "allocation_delay above uint32 refused (usage error)" "2" "$?"
grep -q "allocation_delay: expected a number from 0 to 4294967295" big.out && ok "allocation_delay range message" || ko "range: $(cat big.out)"
"$MPAVS" operator register $SL --key op operator.yaml --allocation-delay 4294967295 --yes >ovf.out 2>&1
check "an allocation delay past 2^32-1 blocks from now refused (usage error)" "2" "$?"
grep -q "could never schedule an allocation; nothing sent" ovf.out && ok "allocation delay overflow message" || ko "overflow: $(cat ovf.out)"
check "refusals send nothing" "$N0" "$(nonce $OPADDR)"
"$MPAVS" operator register $SL --key op operator.yaml --yes >reg.out 2>&1 || ko "register: $(cat reg.out)"
H=$(sent_hashes reg.out | tail -1)
check "one registerAsOperator(address,uint32,string) sent" "$("$CAST" sig "registerAsOperator(address,uint32,string)")" \
  "$("$CAST" tx --rpc-url "$URL" "$H" input | cut -c1-10)"
check "registered (cast isOperator)" "true" "$("$CAST" call --rpc-url "$URL" "$DM" "isOperator(address)(bool)" "$OPADDR")"
check "delegation approver read back (cast delegationApprover)" "$ATTADDR" "$("$CAST" call --rpc-url "$URL" "$DM" "delegationApprover(address)(address)" "$OPADDR")"
check "metadata URI event (OperatorMetadataURIUpdated)" "$META" "$(uri_of "$H")"
RB=$("$CAST" receipt --rpc-url "$URL" "$H" blockNumber)
check "AllocationDelaySet(operator, 1200, registration block + 4)" "$OPADDR 1200 $((RB + CFG + 1))" \
  "$("$CAST" abi-decode "f()(address,uint32,uint32)" "$(event_data "$H" "AllocationDelaySet(address,uint32,uint32)")" | tr '\n' ' ' | sed 's/ $//')"
check "allocation delay not in effect before the configuration delay" "false 0" \
  "$("$CAST" call --rpc-url "$URL" "$AM" "getAllocationDelay(address)(bool,uint32)" "$OPADDR" | tr '\n' ' ' | sed 's/ $//')"
"$MPAVS" operator status $SL --operator "$OPADDR" >st0.out 2>&1 || ko "status: $(cat st0.out)"
check "status while pending: allocation_delay_set" "slashing false 0" \
  "$(field st0.out delegation_manager_form) $(field st0.out allocation_delay_set) $(field st0.out allocation_delay)"
"$CAST" rpc --rpc-url "$URL" anvil_mine $((CFG + 1)) >/dev/null
check "allocation delay read back after ALLOCATION_CONFIGURATION_DELAY + 1 blocks" "true 1200" \
  "$("$CAST" call --rpc-url "$URL" "$AM" "getAllocationDelay(address)(bool,uint32)" "$OPADDR" | tr '\n' ' ' | sed 's/ $//')"
"$MPAVS" operator register $SL --key op --yes >again.out 2>&1 && grep -q "^already an EigenLayer operator" again.out \
  && ok "register again: nothing to do" || ko "register again: $(cat again.out)"
# default allocation delay 0, no approver, no URI
"$MPAVS" operator register $SL --key att --yes >reg3.out 2>&1 || ko "register att: $(cat reg3.out)"
grep -q "^    allocationDelay = 0 blocks (default)" reg3.out && ok "default allocation delay 0 in the plan" || ko "default delay: $(cat reg3.out)"
"$CAST" rpc --rpc-url "$URL" anvil_mine $((CFG + 1)) >/dev/null
check "default registration read back (approver, delay)" "$ZERO true 0" \
  "$("$CAST" call --rpc-url "$URL" "$DM" "delegationApprover(address)(address)" "$ATTADDR") $("$CAST" call --rpc-url "$URL" "$AM" "getAllocationDelay(address)(bool,uint32)" "$ATTADDR" | tr '\n' ' ' | sed 's/ $//')"

# ---------------- status ----------------
"$MPAVS" operator status $SL --operator "$OPADDR" >st.out 2>&1 || ko "status: $(cat st.out)"
check "status: form, allocation manager, approver, delay (= cast)" "slashing $AM $ATTADDR 1200 true" \
  "$(field st.out delegation_manager_form) $(field st.out allocation_manager) $(field st.out delegation_approver) $(field st.out allocation_delay) $(field st.out allocation_delay_set)"
"$MPAVS" operator status $SL --operator "$OPADDR" --json >st.json 2>&1 || ko "status --json: $(cat st.json)"
check "status --json" "slashing 1200" "$(jq -r '.delegation_manager_form + " " + (.allocation_delay | tostring)' st.json)"

# ---------------- update ----------------
N1=$(nonce $OPADDR)
grep -v metadata_url operator.yaml >nouri.yaml
"$MPAVS" operator update $SL --key op nouri.yaml --yes >up0.out 2>&1
check "update with the current approver: nothing sent" "0 $N1" "$? $(nonce $OPADDR)"
grep -q "^the operator details are unchanged: nothing to do" up0.out && ok "update: unchanged message" || ko "update unchanged: $(cat up0.out)"
"$MPAVS" operator update $SL --key op --staker-opt-out-window-blocks 60000 --yes >up1.out 2>&1
check "update --staker-opt-out-window-blocks refused on the slashing form" "2 $N1" "$? $(nonce $OPADDR)"
"$MPAVS" operator update $SL --key op --allocation-delay 5 --yes >up2.out 2>&1
check "update --allocation-delay refused (not sent by update)" "2 $N1" "$? $(nonce $OPADDR)"
"$MPAVS" operator update $SL --key op --delegation-approver "$OP3ADDR" --dry-run >up3.out 2>&1 || ko "update --dry-run: $(cat up3.out)"
grep -q "^  modifyOperatorDetails(address,address)$" up3.out && grep -q "^    newDelegationApprover = $OP3ADDR (now $ATTADDR)$" up3.out \
  && ! grep -q updateOperatorMetadataURI up3.out && grep -q "^delegation manager: slashing release" up3.out \
  && ok "update plan: the approver only, new and current" || ko "update plan: $(cat up3.out)"
check "update --dry-run sends nothing" "$N1" "$(nonce $OPADDR)"
"$MPAVS" operator update $SL --key op --delegation-approver "$OP3ADDR" --metadata-uri https://mpavs.example/op2.json --yes >up4.out 2>&1 \
  || ko "update: $(cat up4.out)"
check "update: two transactions" "2" "$(sent_hashes up4.out | wc -l)"
H1=$(sent_hashes up4.out | head -1)
H2=$(sent_hashes up4.out | tail -1)
check "modifyOperatorDetails(address,address) sent" "$("$CAST" sig "modifyOperatorDetails(address,address)")" "$("$CAST" tx --rpc-url "$URL" "$H1" input | cut -c1-10)"
check "updateOperatorMetadataURI(address,string) sent" "$("$CAST" sig "updateOperatorMetadataURI(address,string)")" "$("$CAST" tx --rpc-url "$URL" "$H2" input | cut -c1-10)"
check "approver read back (cast delegationApprover)" "$OP3ADDR" "$("$CAST" call --rpc-url "$URL" "$DM" "delegationApprover(address)(address)" "$OPADDR")"
check "DelegationApproverUpdated event" "$OP3ADDR" "$("$CAST" abi-decode "f()(address)" "$(event_data "$H1" "DelegationApproverUpdated(address,address)")")"
check "metadata URI event of the update" "https://mpavs.example/op2.json" "$(uri_of "$H2")"
"$MPAVS" operator update $SL --key op --metadata-uri https://mpavs.example/op3.json --yes >up5.out 2>&1 || ko "update uri: $(cat up5.out)"
check "update of the URI alone: one transaction" "1" "$(sent_hashes up5.out | wc -l)"
check "its URI event" "https://mpavs.example/op3.json" "$(uri_of "$(sent_hashes up5.out)")"
"$MPAVS" operator update $SL --key op3 --metadata-uri https://x.example --yes >up6.out 2>&1
check "update of a non-operator refused" "1" "$?"

# ---------------- the M2 form next to it ----------------
"$MPAVS" operator register $M2 --key op3 --allocation-delay 10 --yes >m1.out 2>&1
check "--allocation-delay refused on the M2 form (usage error)" "2" "$?"
grep -q "the M2 DelegationManager has no allocation delay; nothing sent" m1.out && ok "M2 allocation delay message" || ko "M2 delay: $(cat m1.out)"
sed "s/$OPADDR/$OP3ADDR/" operator.yaml >op3.yaml
"$MPAVS" operator register $M2 --key op3 op3.yaml --dry-run >m2.out 2>&1
grep -q "^delegation manager: EigenLayer M2 (allocationManager() reverts): M2 forms" m2.out \
  && ok "M2 detected (allocationManager() reverts)" || ko "M2 detection: $(cat m2.out)"
"$MPAVS" operator register $M2 --key op3 op3.yaml --yes >m3.out 2>&1 || ko "M2 register: $(cat m3.out)"
grep -q "^  registerAsOperator((address,address,uint32),string)$" m3.out && grep -q "allocation_delay is not used by this DelegationManager" m3.out \
  && ok "M2 register uses the M2 form (operator.yaml's allocation_delay noted as unused)" || ko "M2 form: $(cat m3.out)"
"$MPAVS" operator status $M2 --operator "$OP3ADDR" >m4.out 2>&1 || ko "M2 status: $(cat m4.out)"
check "M2 status: form and details (= cast operatorDetails)" "m2 $ATTADDR $ATTADDR 50400" \
  "$(field m4.out delegation_manager_form) $(field m4.out earnings_receiver) $(field m4.out delegation_approver) $(field m4.out staker_opt_out_window_blocks)"
check "cast operatorDetails agrees" "($ATTADDR, $ATTADDR, 50400)" \
  "$("$CAST" call --rpc-url "$URL" "$DM2" "operatorDetails(address)((address,address,uint32))" "$OP3ADDR" | sed 's/ \[[^]]*\]//')"
# a DelegationManager address without code: an error, not a guess
jq '.delegationManager = "0x000000000000000000000000000000000000dEaD"' sl.json >nocode.json
"$MPAVS" operator register --network custom --deployment nocode.json --keys-dir "$KD" --key op3 --dry-run >nc.out 2>&1
check "no code at the DelegationManager: refused, nothing guessed" "1" "$?"
finish
