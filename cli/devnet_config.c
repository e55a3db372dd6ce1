/*
 * cli/devnet_config.c — the configuration files `mpavs devnet up` writes for the daemons.
 *
 * Every field name the devnet uses is in this file (docs/protocol.md "Configuration files",
 * daemons/prover/README.md), so a daemon's config change is one edit here.
 */
#include "devnet_up.h"

#include "mpavs/ecdsa.h"
#include "mpavs/hex.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int dv_write_private(const char *path, const char *text) {
    char tmp[DV_PATH + 8];
    dv_fmt(tmp, sizeof tmp, "%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        fprintf(stderr, "mpavs: devnet up: cannot write %s: %s\n", tmp, strerror(errno));
        return -1;
    }
    size_t len = strlen(text), off = 0;
    while (off < len) {
        ssize_t w = write(fd, text + off, len - off);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) break;
        off += (size_t)w;
    }
    bool ok = off == len && write(fd, "\n", 1) == 1;
    if (close(fd) != 0) ok = false;
    if (!ok || rename(tmp, path) != 0) {
        fprintf(stderr, "mpavs: devnet up: cannot write %s: %s\n", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

/* Dump o (stolen) to path. */
static int dump(const char *path, json_t *o) {
    if (!o) {
        fprintf(stderr, "mpavs: devnet up: out of memory building %s\n", path);
        return -1;
    }
    char *text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(o);
    if (!text) return -1;
    int r = dv_write_private(path, text);
    mpavs_wipe(text, strlen(text)); /* configs hold devnet keys and passwords */
    free(text);
    return r;
}

static const char *addr(char out[43], const mpavs_address *a) {
    mpavs_address_to_checksum(out, a);
    return out;
}

static void url(char *out, size_t cap, int port) { dv_fmt(out, cap, "http://127.0.0.1:%d", port); }
static void hostport(char *out, size_t cap, int port) { dv_fmt(out, cap, "127.0.0.1:%d", port); }

/* Hex of a secret key without 0x (the reference's EcdsaPrivateKey / AttestationLayerEcdsaKey). */
static void key_hex(char out[65], const uint8_t sk[32]) {
    if (mpavs_hex_encode(out, 65, sk, 32, false) != MPAVS_HEX_OK) out[0] = 0;
}

int dv_write_prover_config(char *path, const dv_net *n, size_t i) {
    dv_fmt(path, DV_PATH, "%s/prover-%zu.json", n->dir, i + 1);
    char listen[32], ck[67];
    hostport(listen, sizeof listen, n->prover_ports[i]);
    if (mpavs_hex_encode(ck, sizeof ck, n->l2_checkpoint_hash, 32, true) != MPAVS_HEX_OK) return -1;
    /* the proven chain is an anvil: its fork schedule and state rules (daemons/prover/README.md) */
    char mre[67];
    if (mpavs_hex_encode(mre, sizeof mre, n->mr_enclave, 32, true) != MPAVS_HEX_OK) return -1;
    /* SGX provers for quorum 0, simulated TDX provers for quorum 1 (MRTD = mr_enclave ‖ 0^16) */
    json_t *o = json_pack("{s:s, s:s, s:{s:s, s:s, s:s, s:b}, s:{s:s, s:I, s:s, s:I, s:s}}",
                          "listen", listen, "log_level", "info",
                          "attestation", "provider", n->ops[i].quorum == 1 ? "devnet-tdx" : "devnet",
                          "devnet_ca_dir", n->ca_dir, "mr_enclave", mre, "debug", 0,
                          "chain", "rpc_url", n->l2_url, "chain_id", (json_int_t)n->l2_chain_id, "preset", "anvil",
                          "checkpoint_number", (json_int_t)n->l2_checkpoint_number, "checkpoint_hash", ck);
    return dump(path, o);
}

int dv_write_aggregator_config(char *path, const dv_net *n) {
    dv_fmt(path, DV_PATH, "%s/aggregator.json", n->dir);
    char listen[32], metrics[32], key[65], db[DV_PATH], sm[43], rc[43], osr[43], tlv[43];
    hostport(listen, sizeof listen, n->aggregator_port);
    hostport(metrics, sizeof metrics, n->aggregator_metrics_port);
    key_hex(key, n->deployer_sk);
    dv_fmt(db, sizeof db, "%s/aggregator.db", n->dir);
    const mpavs_contracts_deployment *d = &n->dep;
    /* anvil answers `finalized` with head − 64: the devnet takes blocks at the head (depth 0) and the
       AVS head's parent as reference block, to stay fast (a devnet has no reorgs of its own) */
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:[{s:i, s:s, s:s}], s:s, s:I, s:I, s:I, s:I,"
                          " s:[{s:I, s:s, s:I, s:s, s:I}], s:s, s:I, s:s, s:s}",
                          "ListenAddr", listen, "EcdsaPrivateKey", key, "EthHttpEndpoint", n->avs_url,
                          "MultiProverContractAddress", addr(sm, &d->service_manager),
                          "AVSRegistryCoordinatorAddress", addr(rc, &d->registry_coordinator),
                          "OperatorStateRetrieverAddress", addr(osr, &d->operator_state_retriever),
                          "AttestationLayer", "Version", 2, "Address", addr(tlv, &d->tee_liveness_verifier),
                          "RpcUrl", n->avs_url,
                          "EigenMetricsIpPortAddress", metrics, "ScanStartBlock", (json_int_t)n->avs_start_block,
                          "Threshold", (json_int_t)67, "TimeToExpirySecs", (json_int_t)60,
                          "MinWaitSecs", (json_int_t)0,
                          "ChainTasks", "ChainId", (json_int_t)n->l2_chain_id, "RpcUrl", n->l2_url,
                          "Interval", (json_int_t)5, "Finality", "depth", "Confirmations", (json_int_t)0,
                          "ReferenceFinality", "depth", "ReferenceConfirmations", (json_int_t)1,
                          "DatabasePath", db, "LogLevel", "info");
    mpavs_wipe(key, sizeof key);
    return dump(path, o);
}

int dv_write_operator_config(char *path, const dv_net *n, size_t i) {
    const dv_operator *op = &n->ops[i];
    dv_fmt(path, DV_PATH, "%s/operator-%zu.json", n->dir, i + 1);
    char prover[48], agg[48], metrics[32], api[32], key[65], state[DV_PATH], rc[43], osr[43], tlv[43];
    url(prover, sizeof prover, n->prover_ports[i]);
    url(agg, sizeof agg, n->aggregator_port);
    hostport(metrics, sizeof metrics, op->metrics_port);
    hostport(api, sizeof api, op->node_api_port);
    key_hex(key, op->ecdsa_sk);
    dv_fmt(state, sizeof state, "%s/state.json", op->dir);
    const mpavs_contracts_deployment *d = &n->dep;
    char q[4];
    dv_fmt(q, sizeof q, "%u", op->quorum);
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:{s:i}, s:o, s:s, s:s}",
                          "ProverURL", prover, "AggregatorURL", agg, "BlsKeyFile", op->bls_key_file,
                          "BlsKeyPassword", op->password, "EthRpcUrl", n->avs_url,
                          "AttestationLayerRpcURL", n->avs_url, "AttestationLayerEcdsaKey", key,
                          "RegistryCoordinatorAddress", addr(rc, &d->registry_coordinator),
                          "OperatorStateRetrieverAddress", addr(osr, &d->operator_state_retriever),
                          "TEELivenessVerifierAddress", addr(tlv, &d->tee_liveness_verifier),
                          "EigenMetricsIpPortAddress", metrics, "NodeApiIpPortAddress", api,
                          "QuorumTaskTypes", q, 3, "LivenessTeeQuorum", n->two_quorums ? json_integer(op->quorum) : json_null(), "StateFile", state,
                          "LogLevel", "info");
    mpavs_wipe(key, sizeof key);
    return dump(path, o);
}

int dv_write_deployment(const dv_net *n, size_t nops_onboarded) {
    char path[DV_PATH + 32], *text = NULL;
    dv_fmt(path, sizeof path, "%s/deployment.json", n->dir);
    if (mpavs_devnet_deployment_to_json(&text, &n->dep) != MPAVS_DEVNET_OK) return -1;
    json_t *o = json_loads(text, 0, NULL);
    free(text);
    if (!o) return -1;
    char agg[48];
    url(agg, sizeof agg, n->aggregator_port);
    json_object_set_new(o, "rpcUrl", json_string(n->avs_url));
    json_object_set_new(o, "l2RpcUrl", json_string(n->l2_url));
    json_object_set_new(o, "l2ChainId", json_integer((json_int_t)n->l2_chain_id));
    json_object_set_new(o, "aggregatorUrl", json_string(agg));
    json_object_set_new(o, "startBlock", json_integer((json_int_t)n->avs_start_block));
    json_t *ops = json_array();
    for (size_t i = 0; i < nops_onboarded && ops; i++) {
        char a[43], id[67];
        if (mpavs_hex_encode(id, sizeof id, n->ops[i].operator_id, 32, true) != MPAVS_HEX_OK) continue;
        json_array_append_new(ops, json_pack("{s:s, s:s, s:s}", "name", n->ops[i].name, "address",
                                             addr(a, &n->ops[i].address), "operatorId", id));
    }
    json_object_set_new(o, "operators", ops ? ops : json_null());
    return dump(path, o);
}
