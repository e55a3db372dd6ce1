#!/usr/bin/env bash
# tests/integration/check_config.sh — `--check-config FILE [--offline]` of mpavs-aggregator and
# mpavs-prover (issue 16 item 4; mpavs-operator's is tested by test_operator): a valid file whose
# endpoints answer exits 0 and lists each endpoint "ok" with its chain id; a chain of another id
# than configured, or an endpoint that does not answer, exits 1 and says which (URL redacted: no
# path or user:password); --offline skips the checks and exits 0; a configuration problem exits 2
# (what systemd's RestartPreventExitStatus=2 does not restart). One anvil; a few seconds.
# Ends with "N passed, N failed"; exit status non-zero on any failure.
set -uo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
it_counted
AGG=$ROOT/${MPAVS_DAEMON_BUILD:-build}/mpavs-aggregator # MPAVS_DAEMON_BUILD: e.g. build/asan
PROVER=$ROOT/${MPAVS_DAEMON_BUILD:-build}/mpavs-prover
for t in "$ANVIL" "$CAST" "$AGG" "$PROVER"; do [ -x "$t" ] || abort "$t missing (run scripts/setup and make)"; done
PORT=$(it_free_port) || abort "no free port"
it_anvil "$PORT" "$WORK/anvil.log" --chain-id 31338
[ "$("$CAST" chain-id --rpc-url "$URL")" = 31338 ] || abort "anvil on port $PORT is not ours: $(cat "$WORK/anvil.log")"
DEAD=$(it_free_port "$PORT") || abort "no free port"
KEY=ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80

# run NAME BIN ARGS...: exit code in RC, stdout in $WORK/NAME.out, stderr in $WORK/NAME.err
run() { local n=$1; shift; "$@" >"$WORK/$n.out" 2>"$WORK/$n.err"; RC=$?; }
has() { grep -qE -- "$2" "$WORK/$1.out" "$WORK/$1.err"; }

# ---- mpavs-aggregator ----
printf '0x%s\n' "$KEY" >"$WORK/agg.key"
"$AGG" --print-config-template | jq --arg u "$URL/?apikey=secret-path" --arg k "$WORK/agg.key" --arg d "$WORK/agg.db" \
  '.EthHttpEndpoint = $u | .EcdsaPrivateKeyFile = $k | .DatabasePath = $d | .AttestationLayer[0].RpcUrl = $u
   | .ChainTasks[0].RpcUrl = $u | .ChainTasks[0].ChainId = 31338' >"$WORK/agg.json"
run agg "$AGG" --check-config "$WORK/agg.json"
check "aggregator: endpoints answer: exit 0" 0 "$RC"
has agg "^  ok +EthHttpEndpoint +http://127.0.0.1:$PORT/\.\.\. \(chain id 31338\)" && ok "aggregator: EthHttpEndpoint ok, path redacted" ||
  ko "aggregator: EthHttpEndpoint line: $(cat "$WORK/agg.out")"
has agg "^  ok +ChainTasks\[0\] " && has agg "^  ok +AttestationLayer\[0\] " && ok "aggregator: every endpoint listed" ||
  ko "aggregator: endpoints: $(cat "$WORK/agg.out")"
has agg "secret-path" && ko "aggregator: the URL's path is printed" || ok "aggregator: the URL's path is not printed"

jq '.ChainTasks[0].ChainId = 31339' "$WORK/agg.json" >"$WORK/agg-id.json"
run aggid "$AGG" --check-config "$WORK/agg-id.json"
check "aggregator: ChainTasks chain id differs: exit 1" 1 "$RC"
has aggid "^  wrong chain +ChainTasks\[0\] .*chain id 31338, expected 31339" && ok "aggregator: ... says which and both ids" ||
  ko "aggregator: wrong chain line: $(cat "$WORK/aggid.out")"

jq --arg u "http://127.0.0.1:$DEAD" '.EthHttpEndpoint = $u' "$WORK/agg.json" >"$WORK/agg-dead.json"
t0=$SECONDS
run aggdead "$AGG" --check-config "$WORK/agg-dead.json"
check "aggregator: EthHttpEndpoint down: exit 1" 1 "$RC"
has aggdead "^  unreachable +EthHttpEndpoint +http://127.0.0.1:$DEAD" && has aggdead "an endpoint is unreachable.*--offline" &&
  ok "aggregator: ... names it and what to do" || ko "aggregator: unreachable: $(cat "$WORK/aggdead.out" "$WORK/aggdead.err")"
[ $((SECONDS - t0)) -le 10 ] && ok "aggregator: ... within 10 s" || ko "aggregator: unreachable check took $((SECONDS - t0)) s"
run aggoff "$AGG" --check-config "$WORK/agg-dead.json" --offline
check "aggregator: --offline: exit 0" 0 "$RC"
has aggoff "^endpoints: not checked \(--offline\)" && ok "aggregator: --offline says so" || ko "aggregator: --offline: $(cat "$WORK/aggoff.out")"
jq '.Threshold = 101' "$WORK/agg.json" >"$WORK/agg-bad.json"
run aggbad "$AGG" --check-config "$WORK/agg-bad.json" --offline
check "aggregator: a configuration problem: exit 2" 2 "$RC"

# DeploymentFile (the deployment.json of `mpavs avs deploy`) fills the addresses, the RPC URL and the
# attestation layer the configuration leaves out; a field the configuration gives wins
jq -n --arg u "$URL" '{chainId: 31338, rpcUrl: $u, serviceManager: "0x00000000000000000000000000000000000000a1",
   registryCoordinator: "0x00000000000000000000000000000000000000a2", operatorStateRetriever: "0x00000000000000000000000000000000000000a3",
   teeLivenessVerifier: "0x00000000000000000000000000000000000000a4"}' >"$WORK/deployment.json"
jq --arg f "$WORK/deployment.json" 'del(.MultiProverContractAddress, .AVSRegistryCoordinatorAddress,
   .OperatorStateRetrieverAddress, .EthHttpEndpoint, .AttestationLayer) | .DeploymentFile = $f' "$WORK/agg.json" >"$WORK/agg-dep.json"
run aggdep "$AGG" --check-config "$WORK/agg-dep.json"
check "aggregator: DeploymentFile fills the addresses, URL and layer: exit 0" 0 "$RC"
has aggdep "^  ok +EthHttpEndpoint +http://127.0.0.1:$PORT" && has aggdep "^  ok +AttestationLayer\[0\] " &&
  ok "aggregator: ... the deployment's rpcUrl is checked" || ko "aggregator: DeploymentFile: $(cat "$WORK/aggdep.out" "$WORK/aggdep.err")"
jq --arg u "http://127.0.0.1:$DEAD" '.rpcUrl = $u' "$WORK/deployment.json" >"$WORK/deployment-dead.json"
jq --arg f "$WORK/deployment-dead.json" --arg u "$URL" '.DeploymentFile = $f | .EthHttpEndpoint = $u' "$WORK/agg-dep.json" >"$WORK/agg-dep2.json"
run aggdep2 "$AGG" --check-config "$WORK/agg-dep2.json"
check "aggregator: EthHttpEndpoint given wins over the deployment's rpcUrl: exit 0" 0 "$RC"
jq '.DeploymentFile = "/nonexistent/deployment.json"' "$WORK/agg-dep.json" >"$WORK/agg-dep3.json"
run aggdep3 "$AGG" --check-config "$WORK/agg-dep3.json" --offline
check "aggregator: an unreadable DeploymentFile: exit 2" 2 "$RC"
has aggdep3 "DeploymentFile: /nonexistent/deployment.json" && ok "aggregator: ... names it" || ko "aggregator: $(cat "$WORK/aggdep3.err")"

# ---- mpavs-prover ----
"$PROVER" --print-config-template | jq --arg u "http://user:pw@127.0.0.1:$PORT" --arg ca "$WORK" \
  '.attestation.devnet_ca_dir = $ca | .chain.rpc_url = $u | .chain.chain_id = 31338 | .chain.preset = "anvil"
   | .chain.checkpoint_hash = ("0x" + "11" * 32)' >"$WORK/prover.json"
run pr "$PROVER" --check-config "$WORK/prover.json"
if [ "$RC" -eq 2 ]; then
  ko "prover: template-based config refused: $(cat "$WORK/pr.err")"
else
  check "prover: chain.rpc_url answers: exit 0" 0 "$RC"
  has pr "^  ok +chain.rpc_url +http://127.0.0.1:$PORT \(chain id 31338\)" && ok "prover: chain.rpc_url ok, user:password redacted" ||
    ko "prover: chain.rpc_url line: $(cat "$WORK/pr.out")"
fi
jq --arg u "http://127.0.0.1:$DEAD" '.external_prover.scroll = $u' "$WORK/prover.json" >"$WORK/prover-dead.json"
run prdead "$PROVER" --check-config "$WORK/prover-dead.json"
check "prover: external_prover.scroll down: exit 1" 1 "$RC"
has prdead "^  unreachable +external_prover.scroll " && ok "prover: ... names it" || ko "prover: $(cat "$WORK/prdead.out")"
run proff "$PROVER" --check-config "$WORK/prover-dead.json" --offline
check "prover: --offline: exit 0" 0 "$RC"
jq '.server.workers = 0' "$WORK/prover.json" >"$WORK/prover-bad.json"
run prbad "$PROVER" --check-config "$WORK/prover-bad.json" --offline
check "prover: a configuration problem: exit 2" 2 "$RC"
finish
