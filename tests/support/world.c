#include "world.h"
#include "harness.h"

#include "mpavs/avs.h"
#include "mpavs/bls.h"
#include "mpavs/dcap.h"
#include "mpavs/hex.h"
#include "mpavs/keystore.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* anvil's dev accounts 1..8 (account 0 deploys and confirms) */
static const char *const KEYS[WORLD_MAX_OPS] = {
    "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
    "5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
    "7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
    "47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
    "8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
    "92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e",
    "4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356",
    "dbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97"};

const char *world_path(const world *w, const char *name) {
    static char buf[512];
    snprintf(buf, sizeof buf, "%s/%s", w->dir, name);
    return buf;
}

static void hex0x(char *out, size_t cap, const uint8_t *b, size_t n) {
    if (mpavs_hex_encode(out, cap, b, n, true)) out[0] = 0;
}

static void addr_hex(char out[43], const mpavs_address *a) { mpavs_address_to_checksum(out, a); }

char *world_call(const char *url, const char *method, const char *params, mpavs_error *err) {
    mpavs_rpc_options o = {.timeout_ms = 40000, .max_retries = 0};
    mpavs_rpc *c = mpavs_rpc_create(url, &o);
    if (!c) return NULL;
    char *res = NULL;
    if (mpavs_rpc_call(c, &res, err, method, params)) res = NULL;
    mpavs_rpc_destroy(c);
    return res;
}

double world_metric(const char *url, const char *sample) {
    CURL *h = curl_easy_init();
    char *text = NULL;
    size_t len = 0;
    FILE *f = h ? open_memstream(&text, &len) : NULL;
    if (!f) {
        if (h) curl_easy_cleanup(h);
        return -1;
    }
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, f);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 5000L);
    CURLcode r = curl_easy_perform(h);
    curl_easy_cleanup(h);
    fclose(f);
    double v = -1;
    size_t n = strlen(sample);
    for (const char *p = r == CURLE_OK ? text : NULL; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        if (!strncmp(p, sample, n) && p[n] == ' ') {
            v = strtod(p + n + 1, NULL);
            break;
        }
    free(text);
    return v;
}

static bool open_ctx(mpavs_contracts_ctx *c, mpavs_rpc *rpc, const uint8_t key[32]) {
    if (mpavs_contracts_init(c, rpc, NULL)) return false;
    mpavs_error e = {0};
    mpavs_sender_options so = {.poll_interval_ms = 50};
    bool ok = mpavs_sender_create(&c->sender, &e, rpc, key, &so) == MPAVS_SENDER_OK;
    mpavs_error_clear(&e);
    return ok;
}

#define STEP(ctx, expr)                                                                                                \
    do {                                                                                                               \
        int _r = (expr);                                                                                               \
        if (_r) {                                                                                                      \
            fprintf(stderr, "world: %s: %s: %s\n", #expr, mpavs_devnet_strerror(_r), (ctx)->error.message);                 \
            return false;                                                                                              \
        }                                                                                                              \
    } while (0)

/* Register the CA's PCK key from a throwaway quote. */
static bool add_pck(world *w) {
    mpavs_dcap_devnet *ca = NULL;
    if (mpavs_dcap_devnet_load(&ca, w->ca_dir)) return false;
    uint8_t rd[64] = {0}, *q = malloc(16384);
    size_t qlen = 0;
    bool ok = q && mpavs_dcap_devnet_quote(ca, q, 16384, &qlen, rd, NULL, NULL, false) == MPAVS_DCAP_OK;
    mpavs_dcap_devnet_free(ca);
    if (ok) {
        int r = mpavs_devnet_add_pck_key_from_quote(&w->deployer, &w->dep, q, qlen);
        if (r) fprintf(stderr, "world: add_pck: %s\n", w->deployer.error.message);
        ok = r == 0;
    }
    free(q);
    return ok;
}

static bool onboard(world *w, size_t i, uint64_t deposit) {
    world_op *op = &w->ops[i];
    if (harness_unhex(op->ecdsa, 32, KEYS[i]) != 32) return false;
    if (mpavs_bls_keygen(op->bls) || mpavs_bls_pubkey_g1(&op->pk1, op->bls) || mpavs_bls_pubkey_g2(&op->pk2, op->bls))
        return false;
    mpavs_bls_operator_id(op->id, &op->pk1);
    mpavs_contracts_ctx c;
    if (!open_ctx(&c, w->rpc, op->ecdsa)) return false;
    op->addr = *mpavs_sender_address(c.sender);
    mpavs_u256 amount = mpavs_u256_from_u64(deposit);
    STEP(&w->deployer, mpavs_devnet_token_transfer(&w->deployer, &w->dep, &op->addr, &amount));
    STEP(&c, mpavs_contracts_register_as_operator(&c, &w->dep));
    STEP(&c, mpavs_contracts_deposit(&c, &w->dep, &amount));
    uint8_t salt[32], q0[1] = {0};
    for (int k = 0; k < 32; k++) salt[k] = (uint8_t)(rand() & 0xff);
    STEP(&c, mpavs_contracts_opt_in(&c, &w->dep, op->ecdsa, op->bls, q0, 1, "mpavs-e2e", salt,
                                 (uint64_t)time(NULL) + 3600));
    mpavs_sender_destroy(c.sender);
    mpavs_contracts_clear(&c);
    /* eigensdk key file (cheap scrypt for tests) */
    char *json = NULL;
    if (mpavs_keystore_bls_encrypt(&json, op->bls, "e2e-password", 12, 1024)) return false;
    snprintf(op->bls_file, sizeof op->bls_file, "%s/op%zu.bls.key.json", w->dir, i + 1);
    FILE *f = fopen(op->bls_file, "w");
    bool ok = f && fputs(json, f) >= 0;
    if (f) fclose(f);
    chmod(op->bls_file, 0600);
    free(json);
    return ok;
}

bool world_up(world *w, const world_options *o) {
    memset(w, 0, sizeof *w);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    srand((unsigned)time(NULL) ^ (unsigned)getpid());
    snprintf(w->dir, sizeof w->dir, "/tmp/mpavs-world-XXXXXX");
    if (!mkdtemp(w->dir)) return false;
    w->nops = o && o->operators ? o->operators : 4;
    if (w->nops > WORLD_MAX_OPS) return false;
    const char *avs_args[] = {"--hardfork", "osaka", "--block-time", "1", NULL};
    const char *l2_args[] = {"--block-time", "1", "--chain-id", "31338", NULL};
    if (!harness_anvil_start(&w->avs, avs_args) || !harness_anvil_start(&w->l2, l2_args)) {
        fprintf(stderr, "world: anvil did not start\n");
        return false;
    }
    mpavs_rpc_options ro = {.timeout_ms = 10000};
    w->rpc = mpavs_rpc_create(w->avs.url, &ro);
    w->l2rpc = mpavs_rpc_create(w->l2.url, &ro);
    mpavs_rpc_block b;
    bool found = false;
    mpavs_error e = {0};
    for (int i = 0; i < 50 && !found; i++) { /* block 1 comes within a second (--block-time 1) */
        if (mpavs_rpc_get_block_by_number(w->l2rpc, &b, &found, &e, "0x1")) return false;
        if (!found) harness_sleep_ms(100);
    }
    if (!found) return false;
    w->l2_checkpoint_number = 1;
    memcpy(w->l2_checkpoint, b.hash, 32);
    mpavs_rpc_block_clear(&b);
    snprintf(w->ca_dir, sizeof w->ca_dir, "%s/ca", w->dir);
    if (mpavs_dcap_devnet_generate(w->ca_dir, (int64_t)time(NULL), false)) return false;
    if (harness_unhex(w->deployer_key, 32, ANVIL_KEY0) != 32 || !open_ctx(&w->deployer, w->rpc, w->deployer_key))
        return false;
    mpavs_devnet_deploy_options dopt = {.artifacts_dir = harness_path("contracts/out"),
                                        .attest_validity_seconds = o ? o->attest_validity_seconds : 0};
    STEP(&w->deployer, mpavs_devnet_deploy(&w->deployer, &w->dep, &dopt));
    if (mpavs_devnet_deployment_save(&w->dep, world_path(w, "deployment.json"))) return false;
    if (!add_pck(w)) return false;
    for (size_t i = 0; i < w->nops; i++)
        if (!onboard(w, i, o && o->deposits ? o->deposits[i] : 1000000000000000000ull)) return false;
    snprintf(w->agg_db, sizeof w->agg_db, "%s/aggregator.db", w->dir);
    /* two more AVS blocks, so that every reference block a task gets sees all registrations */
    uint64_t h0 = 0, h = 0;
    if (mpavs_rpc_block_number(w->rpc, &h0, &e)) return false;
    for (int i = 0; i < 100 && h < h0 + 2; i++) {
        harness_sleep_ms(100);
        if (mpavs_rpc_block_number(w->rpc, &h, &e)) return false;
    }
    return true;
}

static bool wait_rpc(harness_proc *p, const char *url, const char *method, long ms) {
    long long end = harness_now_ms() + ms;
    while (harness_now_ms() < end) {
        mpavs_error e = {0};
        mpavs_rpc_options o = {.timeout_ms = 1000, .max_retries = 0};
        mpavs_rpc *c = mpavs_rpc_create(url, &o);
        char *res = NULL;
        int r = c ? mpavs_rpc_call(c, &res, &e, method, "[]") : -1;
        mpavs_rpc_destroy(c);
        free(res);
        bool answered = r == MPAVS_RPC_OK || r == MPAVS_RPC_ERR_RPC;
        mpavs_error_clear(&e);
        if (answered) return true;
        if (!harness_proc_alive(p, NULL)) return false;
        harness_sleep_ms(100);
    }
    return false;
}

bool world_start_prover(world *w, size_t i, const char *chain_url, uint64_t checkpoint_number,
                        const uint8_t checkpoint[32]) {
    world_op *op = &w->ops[i];
    char cfg[300], logp[300], ch[67];
    snprintf(cfg, sizeof cfg, "%s/prover%zu.json", w->dir, i + 1);
    snprintf(logp, sizeof logp, "%s/prover%zu.log", w->dir, i + 1);
    hex0x(ch, sizeof ch, checkpoint ? checkpoint : w->l2_checkpoint, 32);
    if (!checkpoint) checkpoint_number = w->l2_checkpoint_number;
    if (!op->prover_port) op->prover_port = harness_free_port();
    FILE *f = fopen(cfg, "w");
    if (!f) return false;
    fprintf(f,
            "{\"listen\":\"127.0.0.1:%d\",\"log_level\":\"info\",\"attestation\":{\"provider\":\"devnet\","
            "\"devnet_ca_dir\":\"%s\"},\"chain\":{\"rpc_url\":\"%s\",\"chain_id\":31338,\"preset\":\"anvil\","
            "\"checkpoint_number\":%llu,\"checkpoint_hash\":\"%s\"}}\n",
            op->prover_port, w->ca_dir, chain_url ? chain_url : w->l2.url, (unsigned long long)checkpoint_number, ch);
    fclose(f);
    snprintf(op->prover_url, sizeof op->prover_url, "http://127.0.0.1:%d", op->prover_port);
    const char *argv[] = {"build/mpavs-prover", "--config", cfg, NULL};
    if (!harness_proc_start(&op->prover, argv, NULL, logp)) return false;
    return wait_rpc(&op->prover, op->prover_url, "prover_metadata", 15000);
}

bool world_start_aggregator(world *w, unsigned threshold, unsigned interval, const char *extra) {
    char cfg[300], logp[300], sm[43], rc[43], osr[43], tlv[43], key[67];
    snprintf(cfg, sizeof cfg, "%s/aggregator.json", w->dir);
    snprintf(logp, sizeof logp, "%s/aggregator.log", w->dir);
    if (!w->agg_port) w->agg_port = harness_free_port();
    if (!w->agg_metrics_port) w->agg_metrics_port = harness_free_port();
    addr_hex(sm, &w->dep.service_manager);
    addr_hex(rc, &w->dep.registry_coordinator);
    addr_hex(osr, &w->dep.operator_state_retriever);
    addr_hex(tlv, &w->dep.tee_liveness_verifier);
    hex0x(key, sizeof key, w->deployer_key, 32);
    FILE *f = fopen(cfg, "w");
    if (!f) return false;
    fprintf(f,
            "{\"ListenAddr\":\"127.0.0.1:%d\",\"EigenMetricsIpPortAddress\":\"127.0.0.1:%d\",\"EthHttpEndpoint\":"
            "\"%s\",\"EcdsaPrivateKey\":\"%s\",\"MultiProverContractAddress\":\"%s\","
            "\"AVSRegistryCoordinatorAddress\":\"%s\",\"OperatorStateRetrieverAddress\":\"%s\","
            "\"AttestationLayer\":[{\"Version\":2,\"Address\":\"%s\",\"RpcUrl\":\"%s\"}],\"Threshold\":%u,"
            "\"TimeToExpirySecs\":120,\"ChainTasks\":[{\"ChainId\":31338,\"RpcUrl\":\"%s\",\"Interval\":%u%s}],"
            "\"DatabasePath\":\"%s\",\"LogLevel\":\"debug\"%s%s}\n",
            w->agg_port, w->agg_metrics_port, w->avs.url, key + 2, sm, rc, osr, tlv, w->avs.url, threshold, w->l2.url,
            interval, w->agg_chain_finality ? w->agg_chain_finality : ",\"Finality\":\"depth\",\"Confirmations\":0",
            w->agg_db, w->agg_ref_finality ? w->agg_ref_finality : ",\"ReferenceFinality\":\"depth\",\"ReferenceConfirmations\":1",
            extra ? extra : "");
    fclose(f);
    chmod(cfg, 0600);
    snprintf(w->agg_url, sizeof w->agg_url, "http://127.0.0.1:%d", w->agg_port);
    const char *argv[] = {"build/mpavs-aggregator", "--config", cfg, NULL};
    if (!harness_proc_start(&w->agg, argv, NULL, logp)) return false;
    return wait_rpc(&w->agg, w->agg_url, "mpavs_status", 30000);
}

bool world_start_operator(world *w, size_t i) {
    world_op *op = &w->ops[i];
    char cfg[300], logp[300], state[300], rc[43], osr[43], tlv[43], key[67];
    snprintf(cfg, sizeof cfg, "%s/operator%zu.json", w->dir, i + 1);
    snprintf(logp, sizeof logp, "%s/operator%zu.log", w->dir, i + 1);
    snprintf(state, sizeof state, "%s/operator%zu.state", w->dir, i + 1);
    if (!op->metrics_port) op->metrics_port = harness_free_port();
    if (!op->node_port) op->node_port = harness_free_port();
    addr_hex(rc, &w->dep.registry_coordinator);
    addr_hex(osr, &w->dep.operator_state_retriever);
    addr_hex(tlv, &w->dep.tee_liveness_verifier);
    hex0x(key, sizeof key, op->ecdsa, 32);
    FILE *f = fopen(cfg, "w");
    if (!f) return false;
    fprintf(f,
            "{\"ProverURL\":\"%s\",\"AggregatorURL\":\"%s\",\"BlsKeyFile\":\"%s\",\"BlsKeyPassword\":\"e2e-password\","
            "\"EthRpcUrl\":\"%s\",\"AttestationLayerRpcURL\":\"%s\",\"AttestationLayerEcdsaKey\":\"%s\","
            "\"RegistryCoordinatorAddress\":\"%s\",\"OperatorStateRetrieverAddress\":\"%s\","
            "\"TEELivenessVerifierAddress\":\"%s\",\"EigenMetricsIpPortAddress\":\"127.0.0.1:%d\","
            "\"NodeApiIpPortAddress\":\"127.0.0.1:%d\",\"QuorumTaskTypes\":{\"0\":3},\"StateFile\":\"%s\","
            "\"LogLevel\":\"debug\"}\n",
            op->prover_url, w->agg_url, op->bls_file, w->avs.url, w->avs.url, key + 2, rc, osr, tlv, op->metrics_port,
            op->node_port, state);
    fclose(f);
    chmod(cfg, 0600);
    const char *argv[] = {"build/mpavs-operator", "--config", cfg, NULL};
    if (!harness_proc_start(&op->op, argv, NULL, logp)) return false;
    return harness_proc_wait_port(&op->op, op->node_port, 60000);
}

/* Liveness proof for operator i through its prover's quote (what mpavs-operator does). */
bool world_attest(world *w, size_t i) {
    world_op *op = &w->ops[i];
    mpavs_contracts_ctx c;
    if (mpavs_contracts_init(&c, w->rpc, NULL)) return false;
    mpavs_error e = {0};
    mpavs_sender_options so = {.poll_interval_ms = 50};
    if (mpavs_sender_create(&c.sender, &e, w->rpc, op->ecdsa, &so)) return false;
    mpavs_contracts_report_data data;
    memset(&data, 0, sizeof data);
    mpavs_bn254_g1_encode(data.pubkey_g1, &op->pk1);
    mpavs_avs_prover_addr_hash(data.prover_address_hash, op->prover_url);
    bool ok = mpavs_contracts_reference_block(&c, &data) == MPAVS_DEVNET_OK;
    uint8_t dh[32], user[64] = {0};
    mpavs_avs_report_data_hash(dh, data.pubkey_g1, data.pubkey_g1 + 32, data.reference_block_number,
                               data.reference_block_hash, data.prover_address_hash);
    memcpy(user + 32, dh, 32);
    char params[200] = "[\"";
    if (mpavs_hex_encode(params + 2, 140, user, 64, true)) ok = false;
    strcat(params, "\"]");
    char *res = ok ? world_call(op->prover_url, "generateAttestationReport", params, &e) : NULL;
    ok = res != NULL;
    size_t qlen = 0;
    uint8_t *quote = NULL;
    if (ok) {
        json_error_t je;
        json_t *j = json_loads(res, JSON_DECODE_ANY, &je);
        const char *hx = json_string_value(j);
        quote = hx ? malloc(strlen(hx) / 2) : NULL;
        ok = quote && mpavs_hex_decode(quote, strlen(hx) / 2, &qlen, hx, strlen(hx)) == MPAVS_HEX_OK;
        json_decref(j);
    }
    free(res);
    mpavs_dcap_quote pq;
    mpavs_address enclave = {{0}};
    if (ok && mpavs_dcap_quote_parse(&pq, quote, qlen) == MPAVS_DCAP_OK)
        memcpy(enclave.bytes, mpavs_dcap_report_data(&pq) + 12, 20); /* REPORTDATA: 0^12 ‖ enclave ‖ hash */
    else
        ok = false;
    if (ok) {
        /* the devnet's verifier has the authorized form: the operator's BLS key signs for the enclave */
        int r = mpavs_contracts_submit_liveness_authorized(&c, &w->dep, &data, quote, qlen, &enclave, op->bls);
        if (r) fprintf(stderr, "  liveness op%zu: %s\n", i + 1, c.error.message);
        ok = r == 0;
    }
    free(quote);
    mpavs_error_clear(&e);
    mpavs_sender_destroy(c.sender);
    mpavs_contracts_clear(&c);
    return ok;
}

void world_down(world *w) {
    for (size_t i = 0; i < w->nops; i++) {
        harness_proc_stop(&w->ops[i].op, 15 /* SIGTERM */, 5000);
        harness_proc_stop(&w->ops[i].prover, 15, 5000);
    }
    harness_proc_stop(&w->agg, 15, 5000);
    mpavs_sender_destroy(w->deployer.sender);
    mpavs_contracts_clear(&w->deployer);
    w->deployer.sender = NULL;
    mpavs_rpc_destroy(w->rpc);
    mpavs_rpc_destroy(w->l2rpc);
    w->rpc = w->l2rpc = NULL;
    harness_anvil_stop(&w->avs);
    harness_anvil_stop(&w->l2);
}
