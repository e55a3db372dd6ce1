#!/usr/bin/env bash
# tests/integration/config_tables.sh — the daemons' one configuration mechanism
# (daemons/common/config_table.h) on the real binaries: the generated references in the docs
# match what each daemon prints (scripts/config-docs --check), each template uses only fields
# of its table, and the one case rule and the one unknown-key rule hold for the three daemons
# (a key in another case is the field, two spellings of one field are an error, an unknown key
# is a warning and the configuration stays valid). No network; about 1 s.
# Ends with "N passed, N failed"; exit status non-zero on any failure.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
B=$ROOT/build
WORK=$(mktemp -d)
PASS=0
FAIL=0
trap 'rm -rf "$WORK"' EXIT INT TERM
ok() { PASS=$((PASS + 1)); echo "ok   $1"; }
ko() { FAIL=$((FAIL + 1)); echo "FAIL $1"; }
# expect NAME RC WANT_RC FILE [PATTERN...]: the exit code, and every pattern in FILE
expect() {
  local name=$1 rc=$2 want=$3 file=$4; shift 4
  [ "$rc" = "$want" ] || { ko "$name (exit $rc, expected $want): $(head -c 600 "$file")"; return; }
  for p in "$@"; do grep -qF -- "$p" "$file" || { ko "$name (no '$p' in: $(head -c 600 "$file"))"; return; }; done
  ok "$name"
}

if bash "$ROOT/scripts/config-docs" --check >"$WORK/docs.out" 2>&1; then ok "docs hold each daemon's generated reference"
else ko "docs differ from --print-config-reference: $(cat "$WORK/docs.out")"; fi

for d in prover operator aggregator; do
  "$B/mpavs-$d" --print-config-template >"$WORK/$d.tpl.json"
  "$B/mpavs-$d" --check-config "$WORK/$d.tpl.json" >"$WORK/$d.tpl.out" 2>&1
  if python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$WORK/$d.tpl.json" && ! grep -q "unknown key" "$WORK/$d.tpl.out"
  then ok "$d: the template is JSON and uses only fields of the table"
  else ko "$d: template: $(head -c 400 "$WORK/$d.tpl.out")"; fi
  # every field of the reference appears in the table's --print-config-reference exactly once
  n=$("$B/mpavs-$d" --print-config-reference | grep -c '^| `')
  u=$("$B/mpavs-$d" --print-config-reference | grep '^| `' | cut -d'`' -f2 | sort -u | wc -l)
  if [ "$n" -gt 5 ] && [ "$n" = "$u" ]; then ok "$d: $n fields, each once"; else ko "$d: reference rows $n, distinct $u"; fi
done

# prover: other case accepted, unknown key a warning, two spellings an error
cat >"$WORK/p1.json" <<'J'
{"LISTEN": "127.0.0.1:18232", "Attestation": {"PROVIDER": "devnet", "Devnet_CA_Dir": "/nonexistent"}, "Typo": 1,
 "server": {"Workers": 2, "bogus": true}}
J
"$B/mpavs-prover" --check-config "$WORK/p1.json" >"$WORK/p1.out" 2>&1
expect "prover: keys in another case are the fields, unknown keys are warnings" $? 0 "$WORK/p1.out" \
  'configuration is valid (with warnings)' 'unknown key "Typo" ignored' 'server: unknown key "bogus" ignored'
echo '{"listen": "127.0.0.1:1", "Listen": "127.0.0.1:2", "attestation": {"provider": "devnet", "devnet_ca_dir": "/x"}}' >"$WORK/p2.json"
"$B/mpavs-prover" --check-config "$WORK/p2.json" >"$WORK/p2.out" 2>&1
expect "prover: two spellings of one field are an error" $? 2 "$WORK/p2.out" '"Listen" and "listen" name the same field'
echo '{"attestation": {"provider": 5}, "server": []}' >"$WORK/p3.json"
"$B/mpavs-prover" --check-config "$WORK/p3.json" >"$WORK/p3.out" 2>&1
expect "prover: types from the table, one problem per field" $? 2 "$WORK/p3.out" \
  'attestation.provider: expected a string' 'server: expected an object' '2 configuration problems'

# aggregator: nested arrays follow the same rules
cat >"$WORK/a1.json" <<'J'
{"listenaddr": ":1", "ETHHTTPENDPOINT": "http://127.0.0.1:1", "EcdsaPrivateKey": "0x0101010101010101010101010101010101010101010101010101010101010101",
 "MultiProverContractAddress": "0x0000000000000000000000000000000000000001",
 "AVSRegistryCoordinatorAddress": "0x0000000000000000000000000000000000000002",
 "OperatorStateRetrieverAddress": "0x0000000000000000000000000000000000000003",
 "attestationlayer": [{"ADDRESS": "0x0000000000000000000000000000000000000004", "Extra": 1}],
 "ChainTasks": [{"chainid": 31338, "rpcurl": "http://127.0.0.1:2"}], "Unknown": {}}
J
"$B/mpavs-aggregator" --check-config "$WORK/a1.json" --offline >"$WORK/a1.out" 2>&1
expect "aggregator: other case in nested arrays accepted, unknown keys are warnings" $? 0 "$WORK/a1.out" \
  'unknown key "Unknown" ignored' 'AttestationLayer[0]: unknown key "Extra" ignored'
echo '{"ChainTasks": [{"ChainId": 1, "chainid": 2}], "AttestationLayer": [7]}' >"$WORK/a2.json"
"$B/mpavs-aggregator" --check-config "$WORK/a2.json" >"$WORK/a2.out" 2>&1
expect "aggregator: two spellings in an array element are an error" $? 2 "$WORK/a2.out" \
  'ChainTasks[0]: "chainid" and "ChainId" name the same field' 'AttestationLayer[0]: expected an object'

# operator: the reference's spelling variants (upstream §1.8.1 uses ETHRpcURL)
echo '{"ETHRpcURL": 5, "proverurl": "http://127.0.0.1:1", "Identifier": "x", "Nope": 1}' >"$WORK/o1.json"
"$B/mpavs-operator" --check-config "$WORK/o1.json" >"$WORK/o1.out" 2>&1
expect "operator: case-insensitive reference names, Identifier known, unknown keys warnings" $? 2 "$WORK/o1.out" \
  'EthRpcUrl: expected a string' 'unknown key "Nope" ignored'
if grep -q 'ProverURL:' "$WORK/o1.out" || grep -q 'unknown key "Identifier"' "$WORK/o1.out"; then
  ko "operator: proverurl or Identifier misread: $(cat "$WORK/o1.out")"
else ok "operator: proverurl is ProverURL, Identifier is a known field"; fi

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
