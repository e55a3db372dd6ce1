#!/usr/bin/env bash
# tests/integration/operator_cli.sh — `mpavs operator …` and `mpavs devnet status` against a real
# anvil (--hardfork osaka) with the devnet stack deployed by `mpavs devnet deploy`: key files
# (0600, no overwrite, wrong password, HOME default, minimum length, export), the network presets
# (against networks.md; holesky retired; hoodi with a deployment file on a chain of Hoodi's id),
# ETH_RPC_URL/ETH_FROM, register, update (only what changed, read back), deposit (token units, balance/allowance pre-checks), PoA
# refusal, opt-in, status (checked against `cast call`), opt-out, the confirmation prompt,
# chain-id mismatch, --dry-run (nonce unchanged), fee/gas caps and --legacy read back from the
# mined transactions, failed simulations, --json outputs parsed with jq.
# Ends with "N passed, N failed"; exit status non-zero on any failure.
set -uo pipefail

IT_KILL="ANVIL_PID ANVIL2_PID"
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
it_counted
ANVIL2_PID=
it_need operator_cli "$ANVIL" "$CAST" "$FORGE" "$MPAVS"
PORT=$(it_free_port) || abort "no free port"
it_anvil "$PORT" "$WORK/anvil.log"
DEPLOYER=0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80   # anvil account 0
OPKEY=0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d      # anvil account 1
OPADDR=0x70997970C51812dc3A010C7d01b50e0d17dc79C8
ATTKEY=0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a     # anvil account 2
ATTADDR=0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC

cd "$WORK" || abort "cd"
"$MPAVS" devnet deploy --rpc-url "$URL" --private-key "$DEPLOYER" --artifacts "$ROOT/contracts/out" --out raw.json >deploy.log 2>&1 \
  || { cat deploy.log; abort "devnet deploy"; }
# the orchestrator's format: the deployment plus rpcUrl, l2RpcUrl, l2ChainId (extra keys must be accepted)
mkdir -p .devnet
jq --arg u "$URL" '. + {rpcUrl: $u, l2RpcUrl: $u, l2ChainId: 31337}' raw.json >.devnet/deployment.json
DEP=$WORK/.devnet/deployment.json
RC=$(jq -r .registryCoordinator "$DEP")
SM=$(jq -r .serviceManager "$DEP")
DM=$(jq -r .delegationManager "$DEP")
SR=$(jq -r .stakeRegistry "$DEP")
TOKEN=$(jq -r .token "$DEP")
STRATEGY=$(jq -r .strategy "$DEP")
ok "devnet deployed"

# ---------------- networks (no chain) ----------------
NETMD=$ROOT/../shared/spec/networks.md
[ -r "$NETMD" ] || { echo "missing $NETMD (the shared specs beside the repository)"; exit 1; }
for net in mainnet hoodi sepolia; do
  "$MPAVS" operator networks --json "$net" >net.json 2>&1 || { ko "networks $net: $(cat net.json)"; continue; }
  bad=
  for k in delegation_manager strategy_manager avs_directory allocation_manager rewards_coordinator permission_controller dcap_attestation pccs_router; do
    v=$(jq -r ".[0].$k" net.json | lower)
    grep -qi "$v" "$NETMD" || bad="$bad $k=$v"
  done
  [ -z "$bad" ] && ok "preset $net resolves: its EigenLayer and DCAP addresses are networks.md's" || ko "preset $net:$bad"
done
check "chain ids of the presets" "1 560048 11155111" "$("$MPAVS" operator networks --json | jq -r '[.[].chain_id] | join(" ")')"
check "mainnet preset holds the AVS (networks.md)" "yes" "$(grep -qi "$(jq -r '.[0].registry_coordinator' <("$MPAVS" operator networks --json mainnet))" "$NETMD" && echo yes)"
check "hoodi preset has no AVS deployment" "none published: give --deployment FILE" "$("$MPAVS" operator networks --json hoodi | jq -r '.[0].avs')"
"$MPAVS" operator networks holesky >nh.out 2>&1
check "networks holesky: retired (usage error)" "2" "$?"
grep -q "shut down in 2025" nh.out && ok "networks holesky says it was shut down" || ko "networks holesky: $(cat nh.out)"

# ---------------- keys ----------------
KD=$WORK/keys
export MPAVS_KEY_PASSWORD=correct-horse
K="--keys-dir $KD --insecure-scrypt"
"$MPAVS" operator keys import --key-type ecdsa $K op "$OPKEY" >imp.out 2>&1
check "keys import ecdsa address" "$OPADDR" "$(field imp.out address)"
"$MPAVS" operator keys create --key-type bls $K op >bls.out 2>&1
BLSID=$(field bls.out operator_id)
[ ${#BLSID} -eq 66 ] && ok "keys create bls prints operator_id" || ko "keys create bls: $(cat bls.out)"
check "key file modes 0600" "600 600" "$(stat -c %a "$KD/op.ecdsa.key.json") $(stat -c %a "$KD/op.bls.key.json")"
check "key directory mode 0700" "700" "$(stat -c %a "$KD")"
before=$(sha256sum "$KD/op.bls.key.json")
if "$MPAVS" operator keys create --key-type bls $K op >ow.out 2>&1; then ko "overwrite refused"; else
  grep -q "refusing to overwrite" ow.out && ok "overwrite refused" || ko "overwrite message: $(cat ow.out)"; fi
check "file unchanged after refusal" "$before" "$(sha256sum "$KD/op.bls.key.json")"
if "$MPAVS" operator keys import --key-type ecdsa $K op "$ATTKEY" >/dev/null 2>&1; then ko "import overwrite refused"; else ok "import overwrite refused"; fi
echo "$ATTKEY" | "$MPAVS" operator keys import --key-type ecdsa $K att - >att.out 2>&1
check "keys import from stdin" "$ATTADDR" "$(field att.out address)"
"$MPAVS" operator keys create --key-type ecdsa $K spare >/dev/null 2>&1 || ko "keys create ecdsa"
# passwords: at least 8 characters unless --allow-short-password
MPAVS_KEY_PASSWORD=abc "$MPAVS" operator keys create --key-type ecdsa $K short >sp.out 2>&1
check "short password refused" "1" "$?"
grep -q "fewer than 8 characters" sp.out && [ ! -e "$KD/short.ecdsa.key.json" ] && ok "short password: message, no file" || ko "short password: $(cat sp.out)"
MPAVS_KEY_PASSWORD= "$MPAVS" operator keys create --key-type bls $K short >/dev/null 2>&1
check "empty password refused" "1" "$?"
MPAVS_KEY_PASSWORD=abc "$MPAVS" operator keys create --key-type ecdsa $K --allow-short-password short >/dev/null 2>&1
check "--allow-short-password accepts it" "0" "$?"
rm -f "$KD/short.ecdsa.key.json"
"$MPAVS" operator keys list --keys-dir "$KD" >list.out 2>&1
check "keys list count" "4" "$(wc -l <list.out)"
grep -q "^op	ecdsa	address $OPADDR	" list.out && ok "keys list ecdsa line" || ko "keys list: $(cat list.out)"
grep -q "^op	bls	operatorId $BLSID	" list.out && ok "keys list bls line" || ko "keys list: $(cat list.out)"
"$MPAVS" operator keys list --keys-dir "$KD" --json >listj.out 2>&1
check "keys list --json parses (ecdsa address, bls operator_id)" "4 $OPADDR $BLSID" \
  "$(jq -r 'length' listj.out) $(jq -r '.[] | select(.name=="op" and .type=="ecdsa") | .address' listj.out) $(jq -r '.[] | select(.name=="op" and .type=="bls") | .operator_id' listj.out)"
mkdir -p "$WORK/home/.eigenlayer" && cp -a "$KD" "$WORK/home/.eigenlayer/operator_keys"
check "keys list defaults to \$HOME" "4" "$(HOME=$WORK/home "$MPAVS" operator keys list | wc -l)"
"$MPAVS" operator keys show --keys-dir "$KD" op >show.out 2>&1 || ko "keys show"
check "keys show address" "$OPADDR" "$(field show.out address)"
check "keys show operator_id" "$BLSID" "$(field show.out operator_id)"
"$MPAVS" operator keys show --keys-dir "$KD" --json op >showj.out 2>&1
check "keys show --json parses" "2 $OPADDR $BLSID" "$(jq -r '"\(length) \(.[0].address) \(.[1].operator_id)"' showj.out)"
grep -qi "private\|secret\|${OPKEY#0x}" show.out && ko "keys show leaks a secret" || ok "keys show prints public parts only"
G1X=$(field show.out g1_x)
check "keys show g1 matches create" "$(field bls.out g1_x)" "$G1X"
if MPAVS_KEY_PASSWORD=wrong "$MPAVS" operator keys show --keys-dir "$KD" --key-type bls op >wp.out 2>&1; then ko "wrong password"; else
  grep -q "wrong password" wp.out && ok "wrong password refused" || ko "wrong password message: $(cat wp.out)"; fi
# keys export: warning, confirmation, the secret that import reads back
echo n | "$MPAVS" operator keys export --key-type ecdsa --keys-dir "$KD" op >ex0.out 2>ex0.err
check "keys export refused at the prompt" "1 0" "$? $(wc -c <ex0.out)"
grep -q "WARNING" ex0.err && ok "keys export warns" || ko "keys export warning: $(cat ex0.err)"
echo y | "$MPAVS" operator keys export --key-type ecdsa --keys-dir "$KD" op >ex1.out 2>ex1.err
check "keys export ecdsa prints the secret" "$OPKEY" "$(cat ex1.out)"
"$MPAVS" operator keys export --key-type bls --keys-dir "$KD" --yes op >ex2.out 2>ex2.err
"$MPAVS" operator keys import --key-type bls $K reimported "$(cat ex2.out)" >ex3.out 2>&1
check "keys export bls round-trips through import" "$BLSID" "$(field ex3.out operator_id)"
rm -f "$KD/reimported.bls.key.json"
printf 'correct-horse\n' >pw.txt
env -u MPAVS_KEY_PASSWORD "$MPAVS" operator keys show --keys-dir "$KD" --key-type ecdsa --password-file pw.txt op >pf.out 2>&1
check "--password-file" "$OPADDR" "$(field pf.out address)"
# setsid: no controlling terminal, so no prompt can be shown
if env -u MPAVS_KEY_PASSWORD setsid -w "$MPAVS" operator keys show --keys-dir "$KD" op </dev/null >np.out 2>&1; then ko "no password without a terminal"; else
  grep -q "no password" np.out && ok "no password without a terminal" || ko "no-password message: $(cat np.out)"; fi

# ---------------- chain ----------------
"$CAST" send --rpc-url "$URL" --private-key "$DEPLOYER" "$TOKEN" "transfer(address,uint256)" "$OPADDR" 10000000000000000000 >/dev/null \
  || abort "fund the operator with test tokens"
NET="--network devnet --deployment $DEP --keys-dir $KD --key op"
# networks: holesky retired, hoodi/sepolia need the AVS's deployment file, chain ids checked
"$MPAVS" operator status --network holesky --rpc-url "$URL" --operator "$OPADDR" >ho.out 2>&1
check "holesky refused (usage error)" "2" "$?"
grep -q "shut down in 2025" ho.out && grep -q "hoodi" ho.out && grep -q "sepolia" ho.out && ok "holesky message says where to go" || ko "holesky: $(cat ho.out)"
"$MPAVS" operator status --network hoodi --rpc-url "$URL" --operator "$OPADDR" >hd.out 2>&1
check "hoodi without a deployment file (usage error)" "2" "$?"
grep -q -- "--deployment FILE" hd.out && ok "hoodi asks for the AVS deployment file" || ko "hoodi: $(cat hd.out)"
if "$MPAVS" operator register --network sepolia --registry-coordinator "$RC" --rpc-url "$URL" --keys-dir "$KD" --key op --yes >hm.out 2>&1; then ko "chain mismatch refused"; else
  grep -q "is chain 31337 but --network sepolia is chain 11155111" hm.out && ok "chain mismatch refused" || ko "chain mismatch: $(cat hm.out)"; fi
if "$MPAVS" operator status --network hoodi --deployment "$DEP" --operator "$OPADDR" >hf.out 2>&1; then ko "deployment file of another chain refused"; else
  grep -q "is for chain 31337 but --network hoodi is chain 560048" hf.out && ok "deployment file of another chain refused" || ko "hoodi file: $(cat hf.out)"; fi
# ETH_RPC_URL: used without --rpc-url, and it wins over the deployment file's rpcUrl
ETH_RPC_URL=$URL "$MPAVS" operator status --network custom --registry-coordinator "$RC" --operator "$OPADDR" >er.out 2>&1
check "ETH_RPC_URL used (custom network)" "$URL never" "$(field er.out attestation_rpc_url) $(field er.out avs_status)"
jq '.rpcUrl = "http://127.0.0.1:1"' "$DEP" >deadrpc.json
ETH_RPC_URL=$URL "$MPAVS" operator status --network custom --deployment deadrpc.json --operator "$OPADDR" >er2.out 2>&1
check "ETH_RPC_URL wins over the deployment's rpcUrl" "never" "$(field er2.out avs_status)"
"$MPAVS" operator status --network custom --deployment deadrpc.json --operator "$OPADDR" >/dev/null 2>&1
check "without ETH_RPC_URL the deployment's rpcUrl is used (unreachable)" "1" "$?"
nonce() { "$CAST" nonce --rpc-url "$URL" "$OPADDR"; }
# txf HASH FIELD: a field of a mined transaction (eth_getTransactionByHash) in decimal
txf() { "$CAST" to-dec "$("$CAST" tx --rpc-url "$URL" "$1" --json | jq -r ".$2")"; }
# sent transactions: "transaction sent: 0x…" lines
# (anywhere on a line: the prompt on stderr has no newline)
sent_hashes() { grep -o 'transaction sent: 0x[0-9a-f]\{64\}' "$1" | sed 's/^transaction sent: //'; }
# refusal at the prompt
echo n | "$MPAVS" operator register $NET >reg0.out 2>reg0.err
rc=$?
check "register refused at the prompt (exit 1)" "1" "$rc"
grep -q "aborted" reg0.err && grep -q "registerAsOperator((address,address,uint32),string)" reg0.out && grep -q "^from: $OPADDR" reg0.out \
  && grep -q "chain id 31337" reg0.out && ok "plan printed before the prompt" || ko "plan: $(cat reg0.out reg0.err)"
"$MPAVS" operator register $NET </dev/null >reg1.out 2>&1
check "register refused on EOF" "1" "$?"
check "still not an operator" "false" "$("$CAST" call --rpc-url "$URL" "$DM" "isOperator(address)(bool)" "$OPADDR")"
# dry run: the plan with gas, nothing sent
N0=$(nonce)
"$MPAVS" operator register $NET --dry-run >dry.out 2>&1 || ko "register --dry-run: $(cat dry.out)"
grep -q "^  estimated gas: [1-9][0-9]* (gas limit [1-9]" dry.out && grep -q "^  max cost: .* ETH (" dry.out \
  && grep -q "^dry run: simulated with eth_call, nothing sent" dry.out && ok "dry run prints gas and cost" || ko "dry run: $(cat dry.out)"
check "dry run sends nothing (nonce unchanged)" "$N0" "$(nonce)"
check "dry run: still not an operator" "false" "$("$CAST" call --rpc-url "$URL" "$DM" "isOperator(address)(bool)" "$OPADDR")"
# ETH_FROM must be the key's address
ETH_FROM=$ATTADDR "$MPAVS" operator register $NET --yes >ef.out 2>&1
check "ETH_FROM of another account refused (usage error)" "2" "$?"
check "ETH_FROM refusal sends nothing" "$N0" "$(nonce)"
# a gas limit cap below the estimate: refused before sending
"$MPAVS" operator register $NET --gas-limit 21000 --yes >gc.out 2>&1
check "gas estimate above --gas-limit refused" "1" "$?"
grep -q "exceeds the gas limit cap 21000" gc.out && ok "gas cap message" || ko "gas cap: $(cat gc.out)"
check "gas cap refusal sends nothing" "$N0" "$(nonce)"
# operator.yaml (eigenlayer-cli's fields); another address or chain is refused before sending
META=https://example.com/mpavs-op/metadata.json
cat >operator.yaml <<YAML
operator:
  address: $OPADDR
  earnings_address: $ATTADDR          # earnings go elsewhere
  delegation_approver_address: "$ATTADDR"
  staker_opt_out_window_blocks: 50400
  metadata_url: "$META"
  allocation_delay: 1200
el_delegation_manager_address: $DM
chain_id: 31337
signer_type: local_keystore
YAML
sed "s/address: $OPADDR/address: $ATTADDR/" operator.yaml >other.yaml
"$MPAVS" operator register $NET other.yaml --yes >oy.out 2>&1
check "operator.yaml of another address refused (usage error)" "2" "$?"
grep -q "names operator.address $ATTADDR but the ECDSA key is $OPADDR; nothing sent" oy.out && ok "operator.yaml address message" || ko "operator.yaml address: $(cat oy.out)"
sed "s/chain_id: 31337/chain_id: 560048/" operator.yaml >chain.yaml
"$MPAVS" operator register $NET chain.yaml --yes >oc.out 2>&1
check "operator.yaml of another chain refused (usage error)" "2" "$?"
check "operator.yaml refusals send nothing" "$N0" "$(nonce)"
# fee caps respected by the mined transaction
BASE=$("$CAST" basefee --rpc-url "$URL")
MAXFEE=$(( BASE * 3 / 2 + 1000 ))
"$MPAVS" operator register $NET operator.yaml --yes --gas-limit 400000 --max-fee-per-gas "${MAXFEE}wei" --max-priority-fee-per-gas 0.000001gwei >reg.out 2>&1 \
  || ko "register: $(cat reg.out)"
check "operator.yaml fields read back (operatorDetails)" "($ATTADDR, $ATTADDR, 50400)" \
  "$("$CAST" call --rpc-url "$URL" "$DM" "operatorDetails(address)((address,address,uint32))" "$OPADDR" | sed 's/ \[[^]]*\]//')"
RH=$(grep -o 'transaction sent: 0x[0-9a-f]\{64\}' reg.out | tail -1 | sed 's/^transaction sent: //')
META_HEX=$(printf '%s' "$META" | od -An -tx1 | tr -d ' \n')
"$CAST" tx --rpc-url "$URL" "$RH" input | grep -q "$META_HEX" && ok "metadata URI sent in registerAsOperator" || ko "metadata URI not in the transaction"
H=$(sent_hashes reg.out | tail -1)
[ ${#H} -eq 66 ] && ok "register prints the transaction hash" || ko "register hash: $(cat reg.out)"
check "mined maxFeePerGas = the cap" "$MAXFEE" "$(txf "$H" maxFeePerGas)"
check "mined maxPriorityFeePerGas = the cap" "1000" "$(txf "$H" maxPriorityFeePerGas)"
G=$(txf "$H" gas)
[ "$G" -le 400000 ] && ok "mined gas limit within --gas-limit ($G)" || ko "gas limit $G > 400000"
check "register transaction from the operator" "$(echo "$OPADDR" | lower)" "$("$CAST" tx --rpc-url "$URL" "$H" from | lower)"
check "registered (cast isOperator)" "true" "$("$CAST" call --rpc-url "$URL" "$DM" "isOperator(address)(bool)" "$OPADDR")"
"$MPAVS" operator register $NET --yes >reg2.out 2>&1 && grep -q "already" reg2.out && ok "register is idempotent" || ko "register again: $(cat reg2.out)"

# update: reads operatorDetails, sends only what changed
details() { "$CAST" call --rpc-url "$URL" "$DM" "operatorDetails(address)((address,address,uint32))" "$OPADDR" | sed 's/ \[[^]]*\]//'; }
"$MPAVS" operator update $NET --yes >up0.out 2>&1
check "update without fields is a usage error" "2" "$?"
"$MPAVS" operator update --network devnet --deployment "$DEP" --keys-dir "$KD" --key att --metadata-uri https://x.example --yes >up1.out 2>&1
check "update of a non-operator refused" "1" "$?"
grep -q "not an EigenLayer operator: run \`mpavs operator register\` first; nothing sent" up1.out && ok "update: not-an-operator message" || ko "update non-operator: $(cat up1.out)"
N5=$(nonce)
"$MPAVS" operator update $NET --earnings-receiver "$ATTADDR" --delegation-approver "$ATTADDR" --staker-opt-out-window-blocks 50400 --yes >up2.out 2>&1
check "update with the current values: nothing sent" "0 $N5" "$? $(nonce)"
grep -q "^the operator details are unchanged: nothing to do" up2.out && ok "update: unchanged message" || ko "update unchanged: $(cat up2.out)"
"$MPAVS" operator update $NET --staker-opt-out-window-blocks 100 --yes >up3.out 2>&1
check "update: a smaller opt-out window refused before sending" "1 $N5" "$? $(nonce)"
grep -q "can only grow (it is 50400 blocks, asked 100); nothing sent" up3.out && ok "update: window message" || ko "update window: $(cat up3.out)"
"$MPAVS" operator update $NET --earnings-receiver "$OPADDR" --staker-opt-out-window-blocks 60000 --dry-run >up4.out 2>&1 || ko "update --dry-run: $(cat up4.out)"
check "update --dry-run sends nothing" "$N5" "$(nonce)"
grep -q "^    earningsReceiver = $OPADDR (now $ATTADDR)" up4.out && grep -q "^    stakerOptOutWindowBlocks = 60000 (now 50400)" up4.out \
  && grep -q "^  estimated gas: [1-9]" up4.out && ! grep -q updateOperatorMetadataURI up4.out && ok "update plan: details only, new and current values" || ko "update plan: $(cat up4.out)"
"$MPAVS" operator update $NET --earnings-receiver "$OPADDR" --staker-opt-out-window-blocks 60000 --yes >up5.out 2>&1 || ko "update: $(cat up5.out)"
check "update: one transaction (modifyOperatorDetails)" "1" "$(sent_hashes up5.out | wc -l)"
check "update read back (operatorDetails)" "($OPADDR, $ATTADDR, 60000)" "$(details)"
# operator.yaml: its details (earnings to ATTADDR again, window 50400 < 60000) — the window is refused
"$MPAVS" operator update $NET operator.yaml --yes >up6.out 2>&1
check "update operator.yaml with a smaller window refused" "1" "$?"
sed "s/50400/70000/" operator.yaml >grow.yaml
"$MPAVS" operator update $NET grow.yaml --metadata-uri https://mpavs.example/op2.json --yes >up7.out 2>&1 || ko "update operator.yaml: $(cat up7.out)"
check "update operator.yaml: details and URI (two transactions)" "2" "$(sent_hashes up7.out | wc -l)"
check "update operator.yaml read back" "($ATTADDR, $ATTADDR, 70000)" "$(details)"
UH=$(sent_hashes up7.out | tail -1)
"$CAST" tx --rpc-url "$URL" "$UH" input | grep -q "$(printf '%s' https://mpavs.example/op2.json | od -An -tx1 | tr -d ' \n')" \
  && check "updateOperatorMetadataURI sent (selector)" "$("$CAST" sig "updateOperatorMetadataURI(string)")" "$("$CAST" tx --rpc-url "$URL" "$UH" input | cut -c1-10)" \
  || ko "update: the metadata URI is not in the last transaction"
"$MPAVS" operator update $NET --metadata-uri https://mpavs.example/op3.json --yes >up8.out 2>&1 || ko "update uri: $(cat up8.out)"
check "update of the URI alone: one transaction" "1" "$(sent_hashes up8.out | wc -l)"
grep -q modifyOperatorDetails up8.out && ko "update URI plan shows modifyOperatorDetails" || ok "update URI plan without modifyOperatorDetails"

# deposit: token units by default, --wei raw, balance checked before anything is sent
"$MPAVS" operator deposit $NET --amount 1.5 --wei --yes >/dev/null 2>&1
check "fractional amount with --wei refused (usage error)" "2" "$?"
N1=$(nonce)
"$MPAVS" operator deposit $NET --amount 11 --yes >big.out 2>&1
check "deposit above the balance refused" "1" "$?"
grep -q "balance 10 is below the amount 11; nothing sent" big.out && ok "balance pre-check message (token units)" || ko "balance check: $(cat big.out)"
check "balance refusal sends nothing (nonce unchanged)" "$N1" "$(nonce)"
check "no allowance left behind" "0" "$("$CAST" call --rpc-url "$URL" "$TOKEN" "allowance(address,address)(uint256)" "$OPADDR" "$(jq -r .strategyManager "$DEP")" | awk '{print $1}')"
"$MPAVS" operator deposit $NET --amount 2 --dry-run >ddry.out 2>&1 || ko "deposit --dry-run: $(cat ddry.out)"
check "deposit dry run sends nothing" "$N1" "$(nonce)"
grep -q "not simulated (it depends on transaction 1" ddry.out && ok "deposit dry run: the deposit waits for the approve" || ko "deposit dry run: $(cat ddry.out)"
"$MPAVS" operator deposit $NET --amount 2.5 --yes >dep.out 2>&1 || ko "deposit: $(cat dep.out)"
grep -q "approve(address,uint256)" dep.out && grep -q "depositIntoStrategy(address,address,uint256)" dep.out && ok "deposit plan" || ko "deposit plan: $(cat dep.out)"
check "deposit prints two transaction hashes" "2" "$(sent_hashes dep.out | wc -l)"
grep -q "amount = 2500000000000000000 (2.5 token units, decimals 18)" dep.out && ok "deposit amount in token units" || ko "deposit amount: $(cat dep.out)"
SHARES=$("$CAST" call --rpc-url "$URL" "$DM" "operatorShares(address,address)(uint256)" "$OPADDR" "$STRATEGY" | awk '{print $1}')
check "operator shares (cast)" "2500000000000000000" "$SHARES"
check "deposit prints shares" "$SHARES" "$(field dep.out operator_shares)"
env -u MPAVS_KEY_PASSWORD setsid -w "$MPAVS" operator deposit $NET --check </dev/null >chk.out 2>&1
check "deposit --check (no password needed)" "$SHARES" "$(field chk.out operator_shares)"
# an allowance that already covers the amount: no approve
SMGR=$(jq -r .strategyManager "$DEP")
"$CAST" send --rpc-url "$URL" --private-key "$OPKEY" "$TOKEN" "approve(address,uint256)" "$SMGR" 1000000000000000000 >/dev/null || ko "cast approve"
"$MPAVS" operator deposit $NET --amount 1000000000000000000 --wei --yes >dep2.out 2>&1 || ko "deposit with allowance: $(cat dep2.out)"
check "no approve when the allowance covers the amount (one transaction)" "1" "$(sent_hashes dep2.out | wc -l)"
grep -q "approve(address,uint256)" dep2.out && ko "deposit plan shows an approve" || ok "deposit plan without approve"
SHARES=$("$CAST" call --rpc-url "$URL" "$DM" "operatorShares(address,address)(uint256)" "$OPADDR" "$STRATEGY" | awk '{print $1}')
check "shares after both deposits (cast)" "3500000000000000000" "$SHARES"

# PoA: enabled and not whitelisted → opt-in refused before sending
"$CAST" send --rpc-url "$URL" --private-key "$DEPLOYER" "$SM" "enablePoA()" >/dev/null || ko "enablePoA"
if "$MPAVS" operator opt-in $NET --yes >poa.out 2>&1; then ko "PoA refusal"; else
  grep -q "PoA whitelist" poa.out && ok "opt-in refused when not whitelisted" || ko "PoA message: $(cat poa.out)"; fi
"$CAST" send --rpc-url "$URL" --private-key "$DEPLOYER" "$SM" "whitelistOperator(address)" "$OPADDR" >/dev/null || ko "whitelistOperator"

# opt-in
"$MPAVS" operator opt-in $NET --quorums 0 --socket "op.example:9000" --dry-run >oid.out 2>&1 || ko "opt-in --dry-run: $(cat oid.out)"
check "opt-in dry run: not registered (cast)" "0" "$("$CAST" call --rpc-url "$URL" "$RC" "getOperatorStatus(address)(uint8)" "$OPADDR")"
grep -q "^  estimated gas: [1-9]" oid.out && ok "opt-in dry run estimates gas" || ko "opt-in dry run: $(cat oid.out)"
"$MPAVS" operator opt-in $NET --quorums 0 --socket "op.example:9000" --yes >oi.out 2>&1 || ko "opt-in: $(cat oi.out)"
check "opt-in prints its transaction hash" "1" "$(sent_hashes oi.out | wc -l)"
N2=$(nonce)
"$MPAVS" operator opt-in $NET --quorums 0 --yes >oi2.out 2>&1
grep -q "already registered in quorum 0; nothing sent" oi2.out && ok "opt-in again refused before sending" || ko "opt-in again: $(cat oi2.out)"
check "opt-in refusal sends nothing" "$N2" "$(nonce)"
CHAIN_ID=$("$CAST" call --rpc-url "$URL" "$RC" "getOperatorId(address)(bytes32)" "$OPADDR")
check "opt-in operator id (cast)" "$BLSID" "$CHAIN_ID"
check "opt-in prints operator id" "$BLSID" "$(field oi.out operator_id)"
check "registered with the AVS (cast)" "1" "$("$CAST" call --rpc-url "$URL" "$RC" "getOperatorStatus(address)(uint8)" "$OPADDR")"

# status against cast
"$MPAVS" operator status $NET --attestation-address "$ATTADDR" >st.out 2>&1 || ko "status: $(cat st.out)"
check "status operator" "$OPADDR" "$(field st.out operator)"
check "status eigenlayer_operator" "true" "$(field st.out eigenlayer_operator)"
check "status avs_status" "registered" "$(field st.out avs_status)"
check "status operator_id" "$CHAIN_ID" "$(field st.out operator_id)"
BM=$("$CAST" call --rpc-url "$URL" "$RC" "getCurrentQuorumBitmap(bytes32)(uint192)" "$CHAIN_ID")
check "status quorum_bitmap (cast)" "$(printf '0x%x' "$BM")" "$(field st.out quorum_bitmap)"
STAKE=$("$CAST" call --rpc-url "$URL" "$SR" "getCurrentStake(bytes32,uint8)(uint96)" "$CHAIN_ID" 0 | awk '{print $1}')
check "status stake_quorum_0 (cast)" "$STAKE" "$(field st.out stake_quorum_0)"
[ "$STAKE" != "0" ] && ok "stake is non-zero" || ko "stake is zero"
check "status poa_enabled" "true" "$(field st.out poa_enabled)"
check "status whitelisted" "true" "$(field st.out whitelisted)"
LV=$(jq -r .teeLivenessVerifier "$DEP")
check "status liveness_verifier" "$LV" "$(field st.out liveness_verifier)"
VALID=$("$CAST" call --rpc-url "$URL" "$LV" "attestValiditySeconds()(uint256)" | awk '{print $1}')
check "status attest_validity_seconds (cast)" "$VALID" "$(field st.out attest_validity_seconds)"
check "status never attested" "0 false" "$(field st.out liveness_valid_until) $(field st.out live)"
check "status attested_prover" "0x0000000000000000000000000000000000000000" "$(field st.out attested_prover)"
check "status attestation balance (cast)" "$("$CAST" balance --rpc-url "$URL" "$ATTADDR")" "$(field st.out attestation_balance_wei)"
"$MPAVS" operator status $NET --attestation-address "$ATTADDR" --json >stj.out 2>&1 || ko "status --json: $(cat stj.out)"
check "status --json parses and agrees" "registered true $CHAIN_ID $STAKE false 31337" \
  "$(jq -r '"\(.avs_status) \(.eigenlayer_operator) \(.operator_id) \(.stake_quorum_0) \(.live) \(.chain_id)"' stj.out)"
printf '%s\n' "${ATTKEY#0x}" >att.hex
"$MPAVS" operator status $NET --attestation-key-file att.hex >st2.out 2>&1
check "status --attestation-key-file" "$ATTADDR" "$(field st2.out attestation_account)"
"$MPAVS" operator status --network devnet --deployment "$DEP" --operator "$OPADDR" >st3.out 2>&1
check "status --operator without key files" "$CHAIN_ID" "$(field st3.out operator_id)"
if "$MPAVS" operator status --network devnet --deployment "$DEP" --rpc-url http://127.0.0.1:1 --operator "$OPADDR" >/dev/null 2>&1; then
  ko "status fails on an unreachable RPC"; else ok "status fails on an unreachable RPC"; fi
# no --network: a RegistryCoordinator that is no preset's → every other address read from the chain
"$MPAVS" operator status --registry-coordinator "$RC" --rpc-url "$URL" --operator "$OPADDR" >st6.out 2>&1 || ko "custom network: $(cat st6.out)"
check "custom network name" "custom" "$(field st6.out network)"
check "service manager resolved from the RegistryCoordinator" "$SM" "$(field st6.out service_manager)"
check "custom network status (resolved stake registry, delegation manager)" "registered $STAKE true" \
  "$(field st6.out avs_status) $(field st6.out stake_quorum_0) $(field st6.out eigenlayer_operator)"
grep -q "^liveness: unknown" st6.out && ok "custom network without a liveness verifier" || ko "custom liveness: $(cat st6.out)"
"$MPAVS" operator status --registry-coordinator "$RC" --rpc-url "$URL" --operator "$OPADDR" --liveness-verifier "$LV" >st7.out 2>&1
check "--liveness-verifier override" "$LV $VALID" "$(field st7.out liveness_verifier) $(field st7.out attest_validity_seconds)"
# default deployment path (.devnet/deployment.json in the working directory) and its rpcUrl
"$MPAVS" operator status --network devnet --operator "$OPADDR" >st4.out 2>&1
check "default deployment file and rpcUrl" "registered" "$(field st4.out avs_status)"

# devnet status
"$MPAVS" devnet status --deployment "$DEP" >ds.out 2>&1 || ko "devnet status: $(cat ds.out)"
grep -q "^operator $OPADDR id $CHAIN_ID .*status registered" ds.out && ok "devnet status lists the operator" || ko "devnet status: $(cat ds.out)"
check "devnet status operators" "1" "$(field ds.out operators)"
check "devnet status confirmed_states" "0" "$(field ds.out confirmed_states)"
"$MPAVS" devnet status --deployment "$DEP" --json >dsj.out 2>&1
check "devnet status --json parses" "1 $OPADDR $CHAIN_ID registered 0" \
  "$(jq -r '"\(.operators) \(.operator_list[0].operator) \(.operator_list[0].id) \(.operator_list[0].status) \(.confirmed_states)"' dsj.out)"
ETH_RPC_URL=$URL "$MPAVS" devnet status --deployment deadrpc.json >ds3.out 2>&1
check "devnet status: ETH_RPC_URL wins over the deployment's rpcUrl" "1" "$(field ds3.out operators)"

# opt-out, answering y at the prompt, as a legacy transaction with a gas price cap
GP=$("$CAST" gas-price --rpc-url "$URL")
echo y | "$MPAVS" operator opt-out $NET --quorums 0 --legacy --max-fee-per-gas "$GP" >oo.out 2>&1 || ko "opt-out: $(cat oo.out)"
H=$(sent_hashes oo.out | tail -1)
check "opt-out --legacy: type 0 transaction" "0" "$(txf "$H" type)"
GPM=$(txf "$H" gasPrice)
[ -n "$GPM" ] && [ "$GPM" -le "$GP" ] && ok "opt-out --legacy: gas price $GPM within the cap $GP" || ko "legacy gas price '$GPM' > $GP"
check "deregistered (cast)" "2" "$("$CAST" call --rpc-url "$URL" "$RC" "getOperatorStatus(address)(uint8)" "$OPADDR")"
"$MPAVS" operator status $NET >st5.out 2>&1
check "status after opt-out" "deregistered 0x0" "$(field st5.out avs_status) $(field st5.out quorum_bitmap)"
"$MPAVS" devnet status --deployment "$DEP" >ds2.out 2>&1
grep -q "^operator $OPADDR .*status deregistered" ds2.out && ok "devnet status after opt-out" || ko "devnet status: $(cat ds2.out)"

# --network hoodi with the AVS's deployment file, on a chain with Hoodi's chain id
HPORT=$(it_free_port "$PORT")
"$ANVIL" --port "$HPORT" --hardfork osaka --chain-id 560048 --silent >"$WORK/anvil2.log" 2>&1 &
ANVIL2_PID=$!
HURL=http://127.0.0.1:$HPORT
for _ in $(seq 1 100); do "$CAST" chain-id --rpc-url "$HURL" >/dev/null 2>&1 && break; sleep 0.1; done
if "$MPAVS" devnet deploy --rpc-url "$HURL" --private-key "$DEPLOYER" --artifacts "$ROOT/contracts/out" --out hraw.json >hdeploy.log 2>&1; then
  jq --arg u "$HURL" '{chainId, registryCoordinator, teeLivenessVerifier, strategy, delegationManager, rpcUrl: $u}' hraw.json >avs-hoodi.json
  "$MPAVS" operator status --network hoodi --deployment avs-hoodi.json --operator "$OPADDR" >hs.out 2>&1 || ko "hoodi status: $(cat hs.out)"
  check "--network hoodi --deployment FILE: status" "hoodi 560048 never $(jq -r .serviceManager hraw.json)" \
    "$(field hs.out network) $(field hs.out chain_id) $(field hs.out avs_status) $(field hs.out service_manager)"
  HN=$("$CAST" nonce --rpc-url "$HURL" "$OPADDR")
  "$MPAVS" operator register --network hoodi --deployment avs-hoodi.json --keys-dir "$KD" --key op --dry-run >hr.out 2>&1 || ko "hoodi register --dry-run: $(cat hr.out)"
  grep -q "^network: hoodi (chain id 560048, $HURL)" hr.out && grep -q "^  estimated gas: [1-9]" hr.out && ok "hoodi register --dry-run plan" || ko "hoodi plan: $(cat hr.out)"
  check "hoodi dry run sends nothing" "$HN" "$("$CAST" nonce --rpc-url "$HURL" "$OPADDR")"
else
  ko "devnet deploy on a 560048 chain: $(tail -5 hdeploy.log)"
fi
kill "$ANVIL2_PID" 2>/dev/null; wait "$ANVIL2_PID" 2>/dev/null; ANVIL2_PID=

# a transaction that would revert: the simulation stops the command, decoded, nothing sent
"$MPAVS" operator register --network devnet --deployment "$DEP" --keys-dir "$KD" --key att --yes >ar.out 2>&1 || ko "register att: $(cat ar.out)"
"$CAST" send --rpc-url "$URL" --private-key "$DEPLOYER" "$SM" "whitelistOperator(address)" "$ATTADDR" >/dev/null || ko "whitelist att"
N4=$("$CAST" nonce --rpc-url "$URL" "$ATTADDR")
"$MPAVS" operator opt-in --network devnet --deployment "$DEP" --keys-dir "$KD" --key att --bls-key-file "$KD/op.bls.key.json" --yes >sf.out 2>&1
check "opt-in that would revert: exit 1" "1" "$?"
grep -qi "the simulation fails, nothing sent: .*\(minimum stake\|MinimumStake\|already registered\|AlreadyRegistered\)" sf.out && grep -q "estimated gas: none (the simulation fails)" sf.out \
  && ok "simulation failure decoded before sending" || ko "simulation failure: $(cat sf.out)"
check "failed simulation sends nothing (nonce unchanged)" "$N4" "$("$CAST" nonce --rpc-url "$URL" "$ATTADDR")"

# reverts decoded with the project's own errors (mpavs call from a non-PoA-manager)
"$MPAVS" call --rpc-url "$URL" --from "$OPADDR" "$SM" "enablePoA()" >np.out 2>&1
grep -q "call reverted: NoPermission()" np.out && ok "mpavs call decodes NoPermission()" || ko "revert decoding: $(cat np.out)"

# mpavs send: --dry-run sends nothing, --legacy and the fee cap in the mined transaction
N3=$("$CAST" nonce --rpc-url "$URL" "$ATTADDR")
"$MPAVS" send --rpc-url "$URL" --private-key "$ATTKEY" --dry-run "$TOKEN" "approve(address,uint256)" "$OPADDR" 5 >sd.out 2>&1
grep -q "^dry run: nothing sent" sd.out && grep -q "^gasEstimate [1-9]" sd.out && ok "send --dry-run prints the estimate" || ko "send --dry-run: $(cat sd.out)"
check "send --dry-run sends nothing" "$N3" "$("$CAST" nonce --rpc-url "$URL" "$ATTADDR")"
GP=$("$CAST" gas-price --rpc-url "$URL")
ETH_RPC_URL=$URL "$MPAVS" send --private-key "$ATTKEY" --legacy --max-fee-per-gas "${GP}wei" "$TOKEN" "approve(address,uint256)" "$OPADDR" 5 >sl.out 2>&1 || ko "send --legacy: $(cat sl.out)"
H=$(sed -n 's/^transactionHash //p' sl.out)
GPM=$(txf "$H" gasPrice)
[ "$(txf "$H" type)" = "0" ] && [ -n "$GPM" ] && [ "$GPM" -le "$GP" ] && ok "send --legacy (ETH_RPC_URL): type 0 within the gas price cap" || ko "send --legacy: $(cat sl.out)"

# usage errors
"$MPAVS" operator opt-in $NET --quorums 0,x --yes >/dev/null 2>&1
check "bad --quorums is a usage error" "2" "$?"
"$MPAVS" operator register --keys-dir "$KD" >/dev/null 2>&1
check "missing --network is a usage error" "2" "$?"
for c in "operator keys create" "operator keys import" "operator keys list" "operator keys show" "operator keys export" "operator register" "operator update" \
         "operator deposit" "operator opt-in" "operator opt-out" "operator status" "operator networks" "devnet deploy" \
         "devnet register-operator" "devnet add-pck" "devnet status"; do
  # shellcheck disable=SC2086
  h=$("$MPAVS" $c --help)
  for s in NAME SYNOPSIS DESCRIPTION OPTIONS EXAMPLES; do
    grep -q "^$s" <<<"$h" || { ko "help of $c lacks $s"; continue 2; }
  done
  ok "$c --help is man-style"
done
finish
