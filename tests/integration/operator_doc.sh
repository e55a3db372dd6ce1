#!/usr/bin/env bash
# tests/integration/operator_doc.sh — docs/operator.md is what runs: every command of its ```sh
# blocks is extracted from the document and run, in the document's order, against a real anvil
# carrying the devnet stack (`mpavs devnet deploy`), then the registration reverts of its
# Troubleshooting table are triggered and the texts the table quotes are checked in the CLI's output.
#
# The document's conventions (stated at its top):
#   * fenced blocks are tagged: ```sh blocks are commands, ```json/```yaml are files; any other fence
#     (untagged, bash, console, …) fails this test, so no command hides from it;
#   * one command a line (a trailing "\" continues it); "# …" comments are the shell's;
#   * a trailing "# exit N: TEXT" means the command fails with status N and prints TEXT (checked);
#     every other command must exit 0;
#   * $STRATEGY and $ECDSA_SECRET are the reader's values (set below: the devnet's strategy, anvil's
#     account 3 key).
# How the devnet stands in for the networks the document names:
#   * the anvil has Hoodi's chain id (560048) and the devnet stack; avs-hoodi.json, the deployment
#     file the document's Hoodi commands take, describes it (every address, the EigenLayer core
#     included, which on Hoodi the preset holds; rpcUrl), so `--network hoodi
#     --deployment avs-hoodi.json` runs unchanged;
#   * `--network mainnet` is replaced by `--network hoodi --deployment avs-hoodi.json` (the mainnet
#     preset's contracts are not on an anvil); `/etc/mpavs/` by a directory of the test; HOME is a
#     directory of the test (so ~/.eigenlayer/operator_keys is too); MPAVS_KEY_PASSWORD is set (the
#     document: "for scripts"); every command reads "y" on standard input (the reader answering the
#     confirmation questions);
#   * the steps the document leaves to the reader are done by the test between sections: funding the
#     operator (§3), the AVS team's PoA whitelisting (§6), the password file of §7 and the copy into
#     /etc/mpavs that §7's `install -o mpavs` does;
#   * operator.yaml is the document's ```yaml block with its 0x<…> placeholders filled in; the
#     /etc/mpavs/operator.json of §9 is the document's example (its paths under the test's directory).
# Commands that cannot run here are listed in SKIP with the reason; a listed command the document no
# longer has fails the test (the list cannot go stale).
# Ends with "N passed, N failed"; exit status non-zero on any failure.
set -uo pipefail

. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
DOC=${OPERATOR_DOC:-$ROOT/docs/operator.md}
it_counted

# Commands of the document not run here: "exact command text<TAB>reason".
SKIP=$(cat <<'EOF'
git clone <this repository> mpavs && cd mpavs	needs the network; the test runs in the checked-out tree
make            # scripts/setup installs what is missing (Debian packages, anvil/forge/cast)	the tree is built before the tests run (tests/run)
sudo make install PREFIX=/usr/local     # libmpavs, headers, mpavs, mpavs-prover, mpavs-operator, mpavs-aggregator	root; tests/integration/install.sh installs into a temporary prefix
install -m 0600 -o mpavs attestation.key /etc/mpavs/attestation.key   # hex key, read by the daemon	root and the mpavs user; the test copies the file into its /etc/mpavs
mpavs-prover --config /etc/mpavs/prover.json                      # or the systemd unit below	a daemon that needs a TEE; test_prover and test_e2e run it
sudo install -d -m 0750 /etc/mpavs	root (systemd installation)
sudo install -m 0640 operator.json /etc/mpavs/operator.json	root (systemd installation)
sudo install -m 0600 bls.password attestation.key /etc/mpavs/	root (systemd installation)
sudo install -D -m 0600 ~/.eigenlayer/operator_keys/operator.bls.key.json /etc/mpavs/operator.bls.key.json	root (systemd installation)
sudo cp contrib/systemd/mpavs-*.service /etc/systemd/system/	root (systemd installation)
sudo systemctl daemon-reload	root (systemd)
sudo systemctl enable --now mpavs-prover mpavs-operator	root (systemd); the daemons need a TEE prover
journalctl -u mpavs-operator -f          # key=value log lines	follows a systemd journal forever
curl -s 127.0.0.1:15682/metrics | grep -E 'mpavs_operator_live|avs_operator'	needs the running daemon; test_metrics and test_operator check its endpoints
curl -si 127.0.0.1:15692/eigen/node/health | head -1	needs the running daemon; test_operator checks the node API
mpavs-operator --check-config /etc/mpavs/operator.json             # and every endpoint it names	the example's endpoints are mainnet's (no internet here); test_operator checks the endpoint checks
EOF
)

# ---------------- extract ----------------
# extract: "LINE<TAB>SECTION<TAB>COMMAND" for every command of the sh blocks; a fence of another
# kind than sh/json/yaml prints "BADFENCE<TAB>LINE<TAB>TAG" and the yaml block of operator.yaml goes
# to $WORK/operator.yaml.in.
extract() {
  awk -v yaml="$WORK/operator.yaml.in" -v jdir="$WORK" '
    /^## / { sec = substr($0, 4) }
    /^```/ {
      if (!inb) {
        tag = substr($0, 4); inb = 1; start = NR
        if (tag != "sh" && tag != "json" && tag != "yaml") printf "BADFENCE\t%d\t%s\n", NR, tag
        if (tag == "yaml" && !seen_yaml) { seen_yaml = 1; to_yaml = 1 }
        if (tag == "json") njson++
        next
      }
      inb = 0; to_yaml = 0; next
    }
    inb && to_yaml { print > yaml; next }
    inb && tag == "json" { print > (jdir "/block" njson ".json"); next }
    inb && tag == "sh" {
      line = $0
      if (cont != "") { t = $0; sub(/^ +/, "", t); line = cont " " t }
      if (line ~ /\\$/) { sub(/ *\\$/, "", line); if (cont == "") cline = NR; cont = line; next }
      if (cont == "") cline = NR
      cont = ""
      t = line; sub(/^ +/, "", t)
      if (t == "" || t ~ /^#/) next
      printf "%d\t%s\t%s\n", cline, sec, line
    }' "$DOC"
}
extract >"$WORK/commands.tsv"
if grep -q '^BADFENCE' "$WORK/commands.tsv"; then
  while IFS=$'\t' read -r _ ln tag; do ko "docs/operator.md:$ln: a \`\`\`$tag fence (use sh for commands, json or yaml for files)"; done < <(grep '^BADFENCE' "$WORK/commands.tsv")
  sed -i '/^BADFENCE/d' "$WORK/commands.tsv"
fi
cut -f3- "$WORK/commands.tsv" >"$WORK/commands.txt"
NCMD=$(wc -l <"$WORK/commands.tsv")
[ "$NCMD" -ge 30 ] && ok "extracted $NCMD commands from docs/operator.md" || ko "only $NCMD commands extracted"
[ -s "$WORK/operator.yaml.in" ] && ok "operator.yaml block extracted" || ko "no yaml block (operator.yaml)"
# every SKIP entry is still in the document
while IFS=$'\t' read -r cmd reason; do
  [ -n "$cmd" ] || continue
  grep -qxF -- "$cmd" "$WORK/commands.txt" || ko "SKIP lists a command the document no longer has: $cmd"
done <<<"$SKIP"
# the document leads with mainnet and Hoodi: named in its introduction, each network's commands
# before the devnet section, and the first command using --network is a mainnet or hoodi one
head -12 "$DOC" >"$WORK/intro.txt"
grep -q "Ethereum mainnet" "$WORK/intro.txt" && grep -q "Hoodi" "$WORK/intro.txt" && ok "the introduction names mainnet and Hoodi" \
  || ko "the introduction does not lead with mainnet and Hoodi"
first=$(cut -f3- "$WORK/commands.tsv" | grep -o -- '--network [a-z]*' | head -1)
case "$first" in "--network mainnet" | "--network hoodi") ok "the first network command is for $first" ;; *) ko "first network command: '$first'" ;; esac

it_need operator_doc "$ANVIL" "$CAST" "$FORGE" "$MPAVS" "$ROOT/build/mpavs-prover" "$ROOT/build/mpavs-operator"

# ---------------- the chain: anvil with Hoodi's chain id, the devnet stack ----------------
PORT=$(it_free_port) || abort "no free port"
it_anvil "$PORT" "$WORK/anvil.log" --chain-id 560048
DEPLOYER=0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80   # anvil account 0
cd "$WORK" || abort "cd"
"$MPAVS" devnet deploy --rpc-url "$URL" --private-key "$DEPLOYER" --artifacts "$ROOT/contracts/out" --out raw.json >deploy.log 2>&1 \
  || { cat deploy.log; abort "devnet deploy"; }
mkdir -p .devnet home etc/mpavs
jq --arg u "$URL" '. + {rpcUrl: $u}' raw.json >.devnet/deployment.json
# the document's deployment file: every address of the stack (its EigenLayer core too, which on
# Hoodi the preset holds) and the RPC URL
cp .devnet/deployment.json avs-hoodi.json
RC=$(jq -r .registryCoordinator raw.json)
SM=$(jq -r .serviceManager raw.json)
TOKEN=$(jq -r .token raw.json)
ok "devnet stack deployed on a chain with Hoodi's id"

export HOME=$WORK/home MPAVS_KEY_PASSWORD=correct-horse-battery
export STRATEGY ECDSA_SECRET=0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6   # anvil account 3
STRATEGY=$(jq -r .strategy raw.json)
unset ETH_RPC_URL ETH_FROM ETH_GAS_LIMIT ETH_GAS_PRICE ETH_PRIORITY_GAS_PRICE
export PATH=$(dirname "$MPAVS"):$ROOT/build:$ROOT/.tools/bin:$PATH
printf 'y\n' >yes.txt
ETC=$WORK/etc/mpavs/
OPADDR=

# hook SECTION: what the reader does before the first command of a section
hook() {
  case "$1" in
    "4. Register as an EigenLayer operator")
      # §3: fund the address `keys show` printed, with ETH and the strategy's token
      OPADDR=$(sed -n 's/^address: //p' out.last | head -1)
      [ ${#OPADDR} -eq 42 ] || { ko "§3 printed no address: $(cat out.last)"; return; }
      "$CAST" send --rpc-url "$URL" --private-key "$DEPLOYER" --value 10ether "$OPADDR" >/dev/null &&
        "$CAST" send --rpc-url "$URL" --private-key "$DEPLOYER" "$TOKEN" "transfer(address,uint256)" "$OPADDR" 100000000000000000000 >/dev/null &&
        ok "funded the operator $OPADDR (§3)" || ko "funding the operator"
      sed -e "s/0x<your operator address>/$OPADDR/" -e "s/0x<where rewards go>/$OPADDR/" operator.yaml.in >operator.yaml
      grep -q '<' operator.yaml && ko "operator.yaml keeps a placeholder: $(grep '<' operator.yaml)" ;;
    "6. Opt in to the AVS")
      "$CAST" send --rpc-url "$URL" --private-key "$DEPLOYER" "$SM" "enablePoA()" >/dev/null &&
        "$CAST" send --rpc-url "$URL" --private-key "$DEPLOYER" "$SM" "whitelistOperator(address)" "$OPADDR" >/dev/null &&
        ok "PoA enabled, the operator whitelisted (the AVS team's step of §6)" || ko "PoA whitelisting" ;;
    "9. Operator configuration")
      # the document's example operator.json, its paths moved under the test's directory and the
      # OP mainnet RPC placeholder filled in; the BLS key and its password where it says
      local ex
      ex=$(grep -l '"ProverURL"' block*.json | head -1)
      [ -n "$ex" ] || { ko "no example operator.json in the document"; return; }
      mkdir -p var/lib/mpavs-operator/keys
      cp "$HOME/.eigenlayer/operator_keys/operator.bls.key.json" var/lib/mpavs-operator/keys/
      printf '%s\n' "$MPAVS_KEY_PASSWORD" >"$ETC/bls.password" && chmod 600 "$ETC/bls.password"
      sed -e "s|/etc/mpavs/|$ETC|g" -e "s|/var/lib/mpavs-operator/|$WORK/var/lib/mpavs-operator/|g" \
        -e 's|https://<an OP mainnet RPC>|https://op-mainnet.example|' "$ex" >"$ETC/operator.json"
      grep -q '<' "$ETC/operator.json" && ko "the example operator.json keeps a placeholder: $(grep '<' "$ETC/operator.json")" ;;
    "7. The attestation-layer account")
      printf 'attestation-password\n' >pw && chmod 600 pw ;;
    "The devnet")
      # PoA is on since §6: the devnet's operator (anvil account 1) is whitelisted too
      "$CAST" send --rpc-url "$URL" --private-key "$DEPLOYER" "$SM" "whitelistOperator(address)" 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 >/dev/null \
        || ko "whitelist the devnet operator" ;;
  esac
}
after() { # after COMMAND: what the reader does after a command
  case "$1" in
    "mpavs wallet decrypt "*) install -m 0600 attestation.key etc/mpavs/attestation.key ;;
  esac
}

# ---------------- run the document ----------------
RUN=0; SKIPPED=0; T0=$(date +%s); prev_sec=
while IFS=$'\t' read -r ln sec cmd; do
  [ "$sec" != "$prev_sec" ] && { hook "$sec"; prev_sec=$sec; }
  reason=$(awk -F'\t' -v c="$cmd" '$1 == c { print $2; exit }' <<<"$SKIP")
  if [ -n "$reason" ]; then SKIPPED=$((SKIPPED + 1)); echo "skip docs/operator.md:$ln: $cmd ($reason)"; continue; fi
  want=0 text=
  if [[ "$cmd" =~ \#\ exit\ ([0-9]+)(:\ (.*))?$ ]]; then want=${BASH_REMATCH[1]}; text=${BASH_REMATCH[3]}; fi
  run=${cmd//--network mainnet/--network hoodi --deployment avs-hoodi.json}
  run=${run//\/etc\/mpavs\//$ETC}
  t1=$(date +%s%N)
  bash -c "$run" <yes.txt >out.last 2>&1
  rc=$?
  ms=$(( ($(date +%s%N) - t1) / 1000000 ))
  RUN=$((RUN + 1))
  if [ "$rc" -ne "$want" ]; then ko "docs/operator.md:$ln exit $rc (expected $want): $cmd"; sed 's/^/    /' out.last | tail -15
  elif [ -n "$text" ] && ! grep -qF -- "$text" out.last; then ko "docs/operator.md:$ln does not print '$text': $cmd"; sed 's/^/    /' out.last | tail -15
  else ok "docs/operator.md:$ln: $cmd (${ms} ms)"; fi
  after "$cmd"
done <"$WORK/commands.tsv"
echo "ran $RUN commands of the document, skipped $SKIPPED (listed), in $(( $(date +%s) - T0 )) s"
[ "$RUN" -gt 0 ] && [ $((RUN + SKIPPED)) -eq "$NCMD" ] && ok "every command of the document was run or is listed" || ko "run $RUN + skipped $SKIPPED != $NCMD"
mpavs_in_doc=$(cut -f3- "$WORK/commands.tsv" | grep -c '\bmpavs ')
mpavs_skipped=$(cut -f1 <<<"$SKIP" | grep -c '^mpavs ')
[ "$mpavs_skipped" -eq 0 ] && ok "every mpavs command of the document ran ($mpavs_in_doc)" || ko "$mpavs_skipped mpavs commands skipped"
# the document's results, read back from the chain
if [ -n "$OPADDR" ]; then
  check "the operator left the AVS (§13; cast)" "2" "$("$CAST" call --rpc-url "$URL" "$RC" "getOperatorStatus(address)(uint8)" "$OPADDR")"
  check "operatorDetails after the document's update (cast)" "($OPADDR, 0x0000000000000000000000000000000000000000, 100800)" \
    "$("$CAST" call --rpc-url "$URL" "$(jq -r .delegationManager raw.json)" "operatorDetails(address)((address,address,uint32))" "$OPADDR" | sed 's/ \[[^]]*\]//')"
fi

# ---------------- the Troubleshooting table's registration reverts ----------------
# trouble NAME OUTFILE TEXT: the table quotes TEXT and the CLI printed it
trouble() {
  local row
  row=$(sed -n '/^## 12\. Troubleshooting/,/^## /p' "$DOC" | grep -F -- "$3" | head -1)
  if [ -z "$row" ]; then ko "Troubleshooting does not quote '$3' ($1)"
  elif ! grep -qF -- "$3" "$2"; then ko "$1: the CLI does not print '$3': $(cat "$2")"
  else ok "$1: the CLI prints what Troubleshooting quotes: $(grep -F -- "$3" "$2" | head -1)"; fi
}
OPT="--network hoodi --deployment avs-hoodi.json"
# t4: anvil account 3 (the document's $ECDSA_SECRET, imported as mykey but never registered there)
"$MPAVS" operator keys import --key-type ecdsa --insecure-scrypt t4 "$ECDSA_SECRET" >/dev/null 2>&1 || ko "import t4"
T4ADDR=$(sed -n 's/^address: //p' <("$MPAVS" operator keys show --key-type ecdsa t4))
"$MPAVS" operator keys create --key-type bls --insecure-scrypt t4 >/dev/null 2>&1 || ko "create bls t4"
"$MPAVS" operator register $OPT --key t4 --yes >tr0.out 2>&1 || ko "register t4: $(cat tr0.out)"
# PoA is on (§6) and t4 is not whitelisted
"$MPAVS" operator opt-in $OPT --key t4 --quorums 0 --yes >tr1.out 2>&1
trouble "PoA whitelist" tr1.out "operator opt-in: the AVS's PoA whitelist is enabled and this operator is not on it (ask the AVS team); nothing sent"
"$CAST" send --rpc-url "$URL" --private-key "$DEPLOYER" "$SM" "whitelistOperator(address)" "$T4ADDR" >/dev/null 2>&1 || ko "whitelist t4"
# no stake yet: the quorum's minimum (in shares)
"$MPAVS" operator opt-in $OPT --key t4 --quorums 0 --yes >tr2.out 2>&1
trouble "minimum stake" tr2.out "operator opt-in: the simulation fails, nothing sent: registerOperator: reverts: BelowMinimumStakeRequirement()"
"$CAST" send --rpc-url "$URL" --private-key "$DEPLOYER" "$TOKEN" "transfer(address,uint256)" "$T4ADDR" 5000000000000000000 >/dev/null || ko "fund t4"
"$MPAVS" operator deposit $OPT --key t4 --amount 5 --yes >tr3.out 2>&1 || ko "deposit t4: $(cat tr3.out)"
# another operator's BLS key
"$MPAVS" operator opt-in $OPT --key t4 --bls-key-file "$HOME/.eigenlayer/operator_keys/operator.bls.key.json" --quorums 0 --yes >tr4.out 2>&1
trouble "pubkey already registered" tr4.out "operator opt-in: the simulation fails, nothing sent: registerOperator: reverts: BLSPubkeyAlreadyRegistered()"
# the quorum full: at most as many operators as it has (the document's operators opted out: none)
n=$("$CAST" call --rpc-url "$URL" "$(jq -r .indexRegistry raw.json)" "totalOperatorsForQuorum(uint8)(uint32)" 0 | awk '{print $1}')
"$CAST" send --rpc-url "$URL" --private-key "$DEPLOYER" "$RC" "setOperatorSetParams(uint8,(uint32,uint16,uint16))" 0 "(${n:-x},0,0)" >/dev/null 2>&1 || ko "setOperatorSetParams ($n)"
"$MPAVS" operator opt-in $OPT --key t4 --quorums 0 --yes >tr5.out 2>&1
trouble "quorum full" tr5.out "operator opt-in: the simulation fails, nothing sent: registerOperator: reverts: MaxOperatorCountReached()"
# nothing of it was sent: t4 is still not registered with the AVS
check "the refused opt-ins sent nothing (t4 never registered with the AVS)" "0" "$("$CAST" call --rpc-url "$URL" "$RC" "getOperatorStatus(address)(uint8)" "$T4ADDR")"
# the devnet attestation charges no fee unless its SgxQuoteVerifier's setBp is raised (test_operator
# attestation_fee_paid pays it): a contract reverting with Automata's fee error (anvil_setCode)
# checks that the library decodes it by name
FEE=0x00000000000000000000000000000000000fee01
sel=$("$CAST" sig "Insufficient_Funds()")
"$CAST" rpc --rpc-url "$URL" anvil_setCode "$FEE" "0x63${sel#0x}60e01b60005260046000fd" >/dev/null || ko "anvil_setCode"
"$MPAVS" call --rpc-url "$URL" "$FEE" "submitLivenessProofV2()" >tr6.out 2>&1
trouble "attestation fee (decoded)" tr6.out "Insufficient_Funds()"
finish
