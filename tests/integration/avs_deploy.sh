#!/usr/bin/env bash
# tests/integration/avs_deploy.sh — `mpavs avs deploy` on an anvil that already holds an
# EigenLayer core deployed by another key (`mpavs devnet deploy --core-only`, anvil account 0):
# the AVS deployed by account 1 against the core file, every role given to a different address
# and read back with `cast call` / `cast storage` (EIP-1967 admin slot); --dry-run sends nothing
# (nonce unchanged) and its plan predicts every created address; a deployment stopped after 10
# steps (MPAVS_DEPLOY_STOP_AFTER) resumes without resending them; a rerun of a complete one sends
# nothing; the deployment file drives `mpavs avs status --json`; a second AVS with the TDX quorum
# and Automata's DCAP entrypoint (by address); refusals (no strategy, wrong chain for a preset).
# Ends with "N passed, N failed"; exit status non-zero on any failure.
set -uo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
it_counted
it_need avs_deploy "$ANVIL" "$CAST" "$FORGE" "$MPAVS"
PORT=$(it_free_port) || abort "no free port"
it_anvil "$PORT" "$WORK/anvil.log"
K0=0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80 # core deployer (account 0)
K1=0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d # AVS deployer (account 1)
A1=0x70997970c51812dc3a010c7d01b50e0d17dc79c8
OWNER=0x00000000000000000000000000000000000a0001
ADMIN=0x00000000000000000000000000000000000a0002
CONFIRMER=0x00000000000000000000000000000000000a0003
POA=0x00000000000000000000000000000000000a0004
CM=0x00000000000000000000000000000000000a0005
PAUSER=0x00000000000000000000000000000000000a0006
UNPAUSER=0x00000000000000000000000000000000000a0007
EJECTOR=0x00000000000000000000000000000000000a0008
CHURN=0x00000000000000000000000000000000000a0009
j() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))" "$@"; }
call() { "$CAST" call --rpc-url "$URL" "$@" | lower; }

if "$MPAVS" devnet deploy --core-only --rpc-url "$URL" --private-key "$K0" --out "$WORK/core.json" >"$WORK/core.log" 2>&1
then ok "core deployed by account 0"; else abort "core deploy: $(tail -3 "$WORK/core.log")"; fi
check "core file has no AVS" 0x0000000000000000000000000000000000000000 "$(j "$WORK/core.json" "d['registryCoordinator']")"

ARGS=(--network custom --core "$WORK/core.json" --rpc-url "$URL" --private-key "$K1" --out "$WORK/avs.json"
      --owner $OWNER --proxy-admin $ADMIN --state-confirmer $CONFIRMER --poa-manager $POA --committee-manager $CM
      --pauser $PAUSER --unpauser $UNPAUSER --ejector $EJECTOR --churn-approver $CHURN)

# --dry-run: the plan, nothing sent
n0=$("$CAST" nonce --rpc-url "$URL" $A1)
"$MPAVS" avs deploy "${ARGS[@]}" --dry-run >"$WORK/plan.log" 2>&1; rc=$?
check "dry run exits 0" 0 "$rc"
check "dry run sends nothing (nonce)" "$n0" "$("$CAST" nonce --rpc-url "$URL" $A1)"
[ ! -e "$WORK/avs.json" ] && ok "dry run writes no deployment file" || ko "dry run wrote $WORK/avs.json"
grep -q "dry run: nothing sent" "$WORK/plan.log" && ok "dry run says so" || ko "dry run message: $(tail -2 "$WORK/plan.log")"
planned=$(grep -cE '^ +[0-9]+\. ' "$WORK/plan.log")
[ "$planned" -ge 30 ] && ok "plan lists $planned steps" || ko "plan lists $planned steps"

# without --yes and with no answer: nothing sent
"$MPAVS" avs deploy "${ARGS[@]}" </dev/null >"$WORK/no.log" 2>&1; rc=$?
check "refused confirmation exits 1" 1 "$rc"
check "refused confirmation sends nothing" "$n0" "$("$CAST" nonce --rpc-url "$URL" $A1)"

# interrupted after 10 steps, then resumed
MPAVS_DEPLOY_STOP_AFTER=10 "$MPAVS" avs deploy "${ARGS[@]}" --yes >"$WORK/part.log" 2>&1; rc=$?
check "stopped deployment exits 1" 1 "$rc"
check "10 steps recorded" 10 "$(j "$WORK/avs.json" "len(d['steps'])")"
check "not complete" False "$(j "$WORK/avs.json" "d['complete']")"
check "10 transactions sent" $((n0 + 10)) "$("$CAST" nonce --rpc-url "$URL" $A1)"
grep -cE '^\[ *[0-9]+\] .* tx 0x[0-9a-f]{64}' "$WORK/part.log" | grep -qx 10 && ok "every step printed with its tx hash" \
  || ko "progress lines: $(head -3 "$WORK/part.log")"
"$MPAVS" avs deploy "${ARGS[@]}" --yes >"$WORK/resume.log" 2>&1; rc=$?
check "resumed deployment exits 0" 0 "$rc"
grep -q "resuming the deployment" "$WORK/resume.log" && ok "resume announced" || ko "no resume line"
check "complete" True "$(j "$WORK/avs.json" "d['complete']")"
steps=$(j "$WORK/avs.json" "len(d['steps'])")
check "steps = planned steps" "$planned" "$steps"
check "one transaction per step (none resent)" $((n0 + steps)) "$("$CAST" nonce --rpc-url "$URL" $A1)"
# every created address as the plan predicted
bad=0
nplanned=0
while read -r idx what addr; do
  nplanned=$((nplanned + 1))
  got=$(j "$WORK/avs.json" "d['steps'][$((idx - 1))].get('address','-')")
  [ "$(echo "$got" | lower)" = "$(echo "$addr" | lower)" ] || { bad=$((bad + 1)); echo "  step $idx $what: planned $addr, got $got"; }
done < <(sed -nE 's/^ +([0-9]+)\. deploy ([A-Za-z]+) +at (0x[0-9a-fA-F]{40}).*/\1 \2 \3/p' "$WORK/plan.log")
[ "$nplanned" -ge 15 ] && ok "$nplanned creations planned" || ko "$nplanned creations planned"
check "planned addresses = deployed addresses" 0 "$bad"
check "rpcUrl in the deployment file" "$URL" "$(j "$WORK/avs.json" "d['rpcUrl']")"
check "core addresses kept" "$(j "$WORK/core.json" "d['delegationManager']")" "$(j "$WORK/avs.json" "d['delegationManager']")"

# roles, read back from chain
SM=$(j "$WORK/avs.json" "d['serviceManager']"); RC=$(j "$WORK/avs.json" "d['registryCoordinator']")
TLV=$(j "$WORK/avs.json" "d['teeLivenessVerifier']"); AV=$(j "$WORK/avs.json" "d['attestationVerifier']")
QV=$(j "$WORK/avs.json" "d['quoteVerifier']"); PR=$(j "$WORK/avs.json" "d['pauserRegistry']")
check "service manager owner" $OWNER "$(call "$SM" 'owner()(address)')"
check "state confirmer" $CONFIRMER "$(call "$SM" 'stateConfirmer()(address)')"
check "PoA manager" $POA "$(call "$SM" 'poaManager()(address)')"
check "committee manager" $CM "$(call "$SM" 'committeeManager()(address)')"
check "registry coordinator owner" $OWNER "$(call "$RC" 'owner()(address)')"
check "ejector" $EJECTOR "$(call "$RC" 'ejector()(address)')"
check "churn approver" $CHURN "$(call "$RC" 'churnApprover()(address)')"
check "liveness verifier owner" $OWNER "$(call "$TLV" 'owner()(address)')"
check "attestation verifier owner" $OWNER "$(call "$AV" 'owner()(address)')"
check "quote verifier owner" $OWNER "$(call "$QV" 'owner()(address)')"
check "pauser" true "$(call "$PR" 'isPauser(address)(bool)' $PAUSER)"
check "deployer is no pauser" false "$(call "$PR" 'isPauser(address)(bool)' $A1)"
check "unpauser" $UNPAUSER "$(call "$PR" 'unpauser()(address)')"
SLOT=0xb53127684a568b3173ae13b9f8a6016e243e63b6e8ee1178d6a717850b5d6103
for p in "$SM" "$RC" "$TLV" "$(j "$WORK/avs.json" "d['stakeRegistry']")"; do
  check "proxy admin of $p" $ADMIN "0x$("$CAST" storage --rpc-url "$URL" "$p" $SLOT | lower | tail -c 41)"
done
check "quorum 0 created" 1 "$(call "$RC" 'quorumCount()(uint8)')"
check "strategy of the core" "$(j "$WORK/core.json" "d['strategy']" | lower)" \
  "$(call "$(j "$WORK/avs.json" "d['stakeRegistry']")" 'strategyParamsByIndex(uint8,uint256)((address,uint96))' 0 0 | sed -E 's/^\((0x[0-9a-f]+),.*/\1/')"
# the deployer keeps nothing (eth_call from it reverts)
# (cast 1.7.1 exits 0 on a reverted call: look for OwnableUnauthorizedAccount(deployer), 0x118cdaa7)
"$CAST" call --rpc-url "$URL" --from $A1 "$SM" 'setStateConfirmer(address)' $A1 >"$WORK/own.log" 2>&1
if grep -q "0x118cdaa7" "$WORK/own.log"; then ok "the deployer is no owner any more"
else ko "the deployer can still set the state confirmer: $(cat "$WORK/own.log")"; fi

# a rerun of a complete deployment sends nothing
n1=$("$CAST" nonce --rpc-url "$URL" $A1)
"$MPAVS" avs deploy "${ARGS[@]}" --yes >"$WORK/again.log" 2>&1; rc=$?
check "rerun of a complete deployment exits 0" 0 "$rc"
grep -q "complete; nothing to do" "$WORK/again.log" && ok "rerun says nothing to do" || ko "rerun: $(tail -2 "$WORK/again.log")"
check "rerun sends nothing" "$n1" "$("$CAST" nonce --rpc-url "$URL" $A1)"

# the file drives the other commands
if "$MPAVS" avs status --network custom --deployment "$WORK/avs.json" --json >"$WORK/status.json" 2>"$WORK/status.err"; then
  ok "avs status reads the deployment file (rpcUrl from it)"
  check "avs status: state confirmer" $CONFIRMER "$(python3 -c "import json,sys; s=json.dumps(json.load(open(sys.argv[1]))).lower(); print('$CONFIRMER' if '$CONFIRMER' in s else 'absent')" "$WORK/status.json")"
else ko "avs status: $(tail -3 "$WORK/status.err")"; fi

# a second AVS: TDX quorum, Automata's DCAP entrypoint (an address: the core's token stands in)
DCAP=$(j "$WORK/core.json" "d['token']")
"$MPAVS" avs deploy --network custom --core "$WORK/core.json" --rpc-url "$URL" --private-key "$K1" \
  --out "$WORK/avs2.json" --tdx-quorum --dcap-attestation "$DCAP" --yes >"$WORK/avs2.log" 2>&1; rc=$?
check "TDX + DCAP entrypoint deployment exits 0" 0 "$rc"
RC2=$(j "$WORK/avs2.json" "d['registryCoordinator']"); SM2=$(j "$WORK/avs2.json" "d['serviceManager']")
check "two quorums" 2 "$(call "$RC2" 'quorumCount()(uint8)')"
check "TEE quorum 1 is INTEL_TDX" 5 "$(call "$SM2" 'teeQuorums(uint8)(uint8,uint8)' 1 | head -1)"
check "AttestationVerifier uses the entrypoint" "$(echo "$DCAP" | lower)" \
  "$(call "$(j "$WORK/avs2.json" "d['attestationVerifier']")" 'dcapAttestation()(address)')"
grep -q "deploy SgxQuoteVerifier" "$WORK/avs2.log" && ko "our verifier deployed beside the entrypoint" || ok "no verifier of ours"

# refusals
"$MPAVS" avs deploy --network custom --delegation-manager "$DCAP" --avs-directory "$DCAP" --rpc-url "$URL" \
  --private-key "$K1" --out "$WORK/x.json" --yes >/dev/null 2>"$WORK/x.err"; rc=$?
check "no strategy: usage error" 2 "$rc"
"$MPAVS" avs deploy --network hoodi --strategy "$DCAP" --rpc-url "$URL" --private-key "$K1" --out "$WORK/y.json" \
  --yes >/dev/null 2>"$WORK/y.err"; rc=$?
check "hoodi preset on chain 31337 refused" 1 "$rc"
grep -q "chain 560048" "$WORK/y.err" && ok "says which chain" || ko "message: $(cat "$WORK/y.err")"
"$MPAVS" avs deploy --network holesky --out "$WORK/z.json" --private-key "$K1" >/dev/null 2>"$WORK/z.err"; rc=$?
check "holesky refused" 2 "$rc"
finish
