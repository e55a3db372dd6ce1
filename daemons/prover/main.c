/*
 * mpavs-prover — the reference TEE prover's JSON-RPC service (upstream spec §2.5) with a native
 * chain-state task (type 3).
 *
 * Methods (positional params):
 *   prover_metadata []                         → {"with_context":false,"version":…,"task_with_context":{"1":…,"2":…,"3":false}}
 *   generateAttestationReport ["0x<≤64 B>"]    → "0x<quote>"; REPORTDATA = 0^12 ‖ enclave address ‖ last 32 bytes of the
 *                                                 right-aligned request (errors 14002 too long / bad hex, 14003 quote failed)
 *   prover_genContext [start, end, task_type]  → forwarded to the external prover of that type; type 3 needs no context
 *   prover_proveTask [ProveTaskParams]         → PoeResponse (below); types 1/2 forwarded to the external prover
 *   da_tryLock ["0x<hash>"]                    → "Locked" | "Exist" | "Failed" (in-memory DA, TTL 120 s)
 *   da_putPob [{"hash","interning","pob"}]     → null (stored verbatim under "hash", TTL 120 s)
 * Scroll (1) / Linea (2) tasks without a configured external prover, and unknown task types, get
 * error 14005 whose message contains "skip" (the reference Go operator then skips the task).
 *
 * Task type 3 (chain state) in prover_proveTask:
 *   params: {"task_type": 3, "start": N, "end": N (optional; must equal start when present)}
 *   The chain is the one at chain.rpc_url with chain id chain.chain_id (checked). A follower thread
 *   (prover/chain.h) re-executes every block statelessly (mpavs/stateless.h) from the configured
 *   checkpoint (chain.checkpoint_number / chain.checkpoint_hash) up to the node's head minus
 *   chain.confirmations, each on a witness fetched from the node, and keeps the verified blocks;
 *   block N's answer is the state root it computed, never one it was told.
 *   metadata = keccak256(abi.encodePacked(uint256 chainId, uint256 N))
 *   state    = abi.encode(bytes32 blockHash, bytes32 stateRoot) of block N
 *   PoeResponse: batch_id = start_block = end_block = N and
 *     poe.batch_hash      = metadata
 *     poe.state_hash      = keccak256(state)
 *     poe.prev_state_root = 0 (a type-3 task proves one block's state, not a transition)
 *     poe.new_state_root  = the computed state root of block N
 *     poe.withdrawal_root = 0
 *   so the PoE is a function of the StateHeader alone (docs/protocol.md) and the aggregator can
 *   check poe_signature from the submitted metadata and state.
 *     poe.signature = poe_signature = enclave secp256k1 signature over mpavs_avs_poe_digest(poe)
 *                     (r ‖ s ‖ v, v = recid + 27)
 *   plus extra members (ignored by Go clients): "chain_id", "block_hash", "state_root",
 *   "metadata" (0x, 32 B) and "state" (0x, 64 B).
 *   Failures: 15001 "block N refused: <reason>: <why>" (a verification refusal, reasons as in
 *   mpavs_stateless_strerror, or checkpoint_mismatch / chain_id_mismatch) or "block N is not
 *   mined / confirmed / verified yet …" (ask again); nothing is signed.
 *
 * GET on the same port answers the Prometheus text exposition (mpavs_prover_* counters).
 * The enclave key is generated at start and wiped at exit. SIGTERM/SIGINT stop within ~100 ms;
 * SIGHUP is logged and ignored (daemons/common/signals.h).
 */
#include "common/endpoint.h"
#include "common/config.h"
#include "prover/config.h"
#include "common/jsonrpc_server.h"
#include "common/log.h"
#include "common/metrics.h"
#include "common/runtime.h"
#include "common/signals.h"
#include "prover/attest.h"
#include "prover/chain.h"

#include "mpavs/avs.h"
#include "mpavs/common.h"
#include "mpavs/ecdsa.h"
#include "mpavs/hex.h"
#include "mpavs/keccak.h"
#include "mpavs/rpc.h"
#include "mpavs/stateless.h"
#include "mpavs/taskkind.h"
#include "mpavs/version.h"

#include <curl/curl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define ERR_MISSING_BATCH 14001
#define ERR_REPORT_DATA 14002
#define ERR_QUOTE 14003
#define ERR_GEN_CONTEXT 14004
#define ERR_UNKNOWN_TASK 14005
#define ERR_POB_NOT_FOUND 14006
#define ERR_PROVE 15001
#define DA_SLOTS 64
#define DA_TTL_S 120
#define DA_MAX_BYTES (16u << 20)

typedef struct {
    uint8_t hash[32];
    int64_t expires;
    char *data; /* NULL while only locked */
} da_slot;

typedef struct {
    /* config */
    const char *listen, *version;
    const char *external_url[MPAVS_TASKKIND_MAX_ID + 1]; /* by type: external_prover.<kind name> */
    pchain_config chain_cfg;
    bool has_chain;
    /* state */
    mpavs_ecdsa_ctx *ecdsa;
    uint8_t seckey[32];
    mpavs_address address;
    attester *att;
    pthread_mutex_t att_lock, da_lock;
    pchain *chain;
    da_slot da[DA_SLOTS];
    /* metrics (updated with __atomic builtins) */
    uint64_t m_requests[7], m_errors, m_quotes, m_quote_failures, m_proofs, m_proof_failures, m_last_block;
} prover;

static const char *const METHODS[7] = {"prover_metadata", "generateAttestationReport", "prover_genContext",
                                       "prover_proveTask", "da_tryLock", "da_putPob", "other"};

static void bump(uint64_t *c) { __atomic_add_fetch(c, 1, __ATOMIC_RELAXED); }
static uint64_t load(const uint64_t *c) { return __atomic_load_n(c, __ATOMIC_RELAXED); }

static void hex0x(char *out, size_t cap, const uint8_t *b, size_t n) {
    if (mpavs_hex_encode(out, cap, b, n, true) != MPAVS_HEX_OK) out[0] = 0;
}

static json_t *hexj(const uint8_t *b, size_t n) {
    char *s = malloc(2 * n + 3);
    if (!s) return NULL;
    hex0x(s, 2 * n + 3, b, n);
    json_t *j = json_string(s);
    free(s);
    return j;
}

static bool get_u64(json_t *v, uint64_t *out) {
    if (!json_is_integer(v) || json_integer_value(v) < 0) return false;
    *out = (uint64_t)json_integer_value(v);
    return true;
}

/* ---- external prover forwarding ---- */

static json_t *forward(const char *url, const char *method, json_t *params, drpc_error *err) {
    mpavs_rpc_options o;
    memset(&o, 0, sizeof o);
    o.timeout_ms = 600000;
    o.max_retries = 1;
    mpavs_rpc *c = mpavs_rpc_create(url, &o);
    if (!c) return drpc_fail(err, DRPC_INTERNAL_ERROR, "external prover: bad URL");
    char *p = json_dumps(params, JSON_COMPACT);
    char *res = NULL;
    mpavs_error e;
    memset(&e, 0, sizeof e);
    int r = p ? mpavs_rpc_call(c, &res, &e, method, p) : MPAVS_RPC_ERR_NOMEM;
    free(p);
    mpavs_rpc_destroy(c);
    if (r == MPAVS_RPC_ERR_RPC) {
        drpc_fail(err, e.rpc_code, "%s", e.message);
        mpavs_error_clear(&e);
        return NULL;
    }
    if (r) {
        drpc_fail(err, DRPC_SERVER_ERROR, "external prover: %s: %s", mpavs_rpc_strerror(r), e.message);
        mpavs_error_clear(&e);
        return NULL;
    }
    json_error_t je;
    json_t *j = json_loads(res, JSON_DECODE_ANY, &je);
    free(res);
    if (!j) return drpc_fail(err, DRPC_SERVER_ERROR, "external prover: bad result JSON");
    return j;
}

/* The external prover of a kind proved externally (NULL when none is configured or the kind is native). */
static const char *external_url(const prover *p, const mpavs_taskkind *k) {
    return k && k->prover == MPAVS_TASKKIND_PROVER_EXTERNAL ? p->external_url[k->id] : NULL;
}

static json_t *skip_error(drpc_error *err, const mpavs_taskkind *k, uint64_t type) {
    if (k && k->prover == MPAVS_TASKKIND_PROVER_EXTERNAL)
        return drpc_fail(err, ERR_UNKNOWN_TASK,
                         "task type %" PRIu64 " (%s) needs an external prover and none is configured: skip", type,
                         k->name);
    return drpc_fail(err, ERR_UNKNOWN_TASK, "unknown task type %" PRIu64 ": skip", type);
}

/* ---- methods ---- */

/* task_with_context: true for a kind whose context always comes with the task and whose prover is configured */
static json_t *m_metadata(prover *p) {
    json_t *twc = json_object();
    for (size_t i = 0; twc && i < mpavs_taskkind_count(); i++) {
        const mpavs_taskkind *k = mpavs_taskkind_at(i);
        char key[24];
        snprintf(key, sizeof key, "%" PRIu64, k->id);
        bool wc = k->context == MPAVS_TASKKIND_CONTEXT_ALWAYS && external_url(p, k) != NULL;
        json_object_set_new(twc, key, json_boolean(wc));
    }
    return twc ? json_pack("{s:b,s:s,s:o}", "with_context", 0, "version", p->version, "task_with_context", twc) : NULL;
}

static json_t *m_report(prover *p, json_t *params, drpc_error *err) {
    const char *s = json_string_value(json_array_get(params, 0));
    if (!json_is_array(params) || json_array_size(params) != 1 || !s)
        return drpc_fail(err, DRPC_INVALID_PARAMS, "invalid params: expected [\"0x<report data>\"]");
    uint8_t in[64];
    size_t n = 0;
    size_t sl = strlen(s);
    if (sl > 2 + 128) return drpc_fail(err, ERR_REPORT_DATA, "report data longer than 64 bytes");
    if (strncmp(s, "0x", 2) != 0 || mpavs_hex_decode(in, sizeof in, &n, s, sl) != MPAVS_HEX_OK)
        return drpc_fail(err, DRPC_INVALID_PARAMS, "invalid params: report data must be 0x-prefixed hex");
    uint8_t rd[64];
    memset(rd, 0, sizeof rd);
    memcpy(rd + 64 - n, in, n);
    memset(rd, 0, 12);
    memcpy(rd + 12, p->address.bytes, 20);
    uint8_t *quote = NULL;
    size_t qlen = 0;
    char e[512];
    pthread_mutex_lock(&p->att_lock);
    bool ok = attest_quote(p->att, rd, &quote, &qlen, e, sizeof e);
    pthread_mutex_unlock(&p->att_lock);
    bump(ok ? &p->m_quotes : &p->m_quote_failures);
    if (!ok) {
        dlog(DLOG_ERROR, "quote_failed", "error=%s", DLOG_Q(e));
        return drpc_fail(err, ERR_QUOTE, "quote generation failed: %s", e);
    }
    json_t *j = hexj(quote, qlen);
    free(quote);
    dlog(DLOG_INFO, "attestation_report", "quote_bytes=%zu", qlen);
    return j ? j : drpc_fail(err, DRPC_INTERNAL_ERROR, "out of memory");
}

static json_t *m_gen_context(prover *p, json_t *params, drpc_error *err) {
    uint64_t start, end, type;
    if (!json_is_array(params) || json_array_size(params) != 3 || !get_u64(json_array_get(params, 0), &start) ||
        !get_u64(json_array_get(params, 1), &end) || !get_u64(json_array_get(params, 2), &type))
        return drpc_fail(err, DRPC_INVALID_PARAMS, "invalid params: expected [start_block, end_block, task_type]");
    const mpavs_taskkind *k = mpavs_taskkind_get(type);
    if (k && !k->needs_context)
        return drpc_fail(err, ERR_UNKNOWN_TASK, "task type %" PRIu64 " needs no context: skip", type);
    const char *url = external_url(p, k);
    if (!url) return skip_error(err, k, type);
    return forward(url, "prover_genContext", params, err);
}

static int64_t now_s(void) { return (int64_t)time(NULL); }

static da_slot *da_find(prover *p, const uint8_t h[32], int64_t now) {
    for (size_t i = 0; i < DA_SLOTS; i++)
        if (p->da[i].expires > now && memcmp(p->da[i].hash, h, 32) == 0) return &p->da[i];
    return NULL;
}

static da_slot *da_free_slot(prover *p, int64_t now) {
    for (size_t i = 0; i < DA_SLOTS; i++) {
        da_slot *s = &p->da[i];
        if (s->expires <= now) {
            free(s->data);
            s->data = NULL;
            return s;
        }
    }
    return NULL; /* all live: refuse rather than evict */
}

static bool parse_hash(json_t *v, uint8_t out[32]) {
    const char *s = json_string_value(v);
    return s && strlen(s) == 66 && strncmp(s, "0x", 2) == 0 && mpavs_hex_decode_exact(out, 32, s) == MPAVS_HEX_OK;
}

static json_t *m_try_lock(prover *p, json_t *params, drpc_error *err) {
    uint8_t h[32];
    if (!json_is_array(params) || json_array_size(params) != 1 || !parse_hash(json_array_get(params, 0), h))
        return drpc_fail(err, DRPC_INVALID_PARAMS, "invalid params: expected [\"0x<32-byte pob hash>\"]");
    int64_t now = now_s();
    const char *res;
    pthread_mutex_lock(&p->da_lock);
    da_slot *s = da_find(p, h, now);
    if (s && s->data) {
        s->expires = now + DA_TTL_S;
        res = "Exist";
    } else if (s) {
        res = "Failed";
    } else if ((s = da_free_slot(p, now)) != NULL) {
        memcpy(s->hash, h, 32);
        s->expires = now + DA_TTL_S;
        res = "Locked";
    } else {
        res = "Failed";
    }
    pthread_mutex_unlock(&p->da_lock);
    return json_string(res);
}

static json_t *m_put_pob(prover *p, json_t *params, drpc_error *err) {
    json_t *o = json_array_get(params, 0);
    uint8_t h[32];
    if (!json_is_array(params) || json_array_size(params) != 1 || !json_is_object(o) ||
        !parse_hash(json_object_get(o, "hash"), h) || !json_is_string(json_object_get(o, "interning")) ||
        !json_is_array(json_object_get(o, "pob")))
        return drpc_fail(err, DRPC_INVALID_PARAMS,
                         "invalid params: expected [{\"hash\":\"0x…\",\"interning\":\"0x…\",\"pob\":[…]}]");
    char *text = json_dumps(o, JSON_COMPACT);
    if (!text) return drpc_fail(err, DRPC_INTERNAL_ERROR, "out of memory");
    if (strlen(text) > DA_MAX_BYTES) {
        free(text);
        return drpc_fail(err, DRPC_INVALID_PARAMS, "pob list too large");
    }
    int64_t now = now_s();
    pthread_mutex_lock(&p->da_lock);
    da_slot *s = da_find(p, h, now);
    if (!s) s = da_free_slot(p, now);
    if (s) {
        free(s->data);
        s->data = text;
        memcpy(s->hash, h, 32);
        s->expires = now + DA_TTL_S;
        text = NULL;
    }
    pthread_mutex_unlock(&p->da_lock);
    if (text) {
        free(text);
        return drpc_fail(err, DRPC_SERVER_ERROR, "DA store full, try later");
    }
    return json_null();
}

static json_t *prove_chain(prover *p, const mpavs_taskkind *k, uint64_t n, drpc_error *err) {
    if (!p->has_chain)
        return drpc_fail(err, ERR_UNKNOWN_TASK, "task type %" PRIu64 " is not configured (no chain section): skip", k->id);
    char e[600];
    pchain_block h;
    bool ok = pchain_prove(p->chain, n, &h, e, sizeof e);
    bump(ok ? &p->m_proofs : &p->m_proof_failures);
    if (!ok) {
        char q[700];
        dlog(DLOG_WARN, "prove_failed", "type=%" PRIu64 " block=%" PRIu64 " error=%s", k->id, n, dlog_quote(q, sizeof q, e));
        return drpc_fail(err, ERR_PROVE, "%s", e);
    }
    __atomic_store_n(&p->m_last_block, n, __ATOMIC_RELAXED);
    uint8_t meta[32], state[64], state_hash[32], digest[32], sig65[65];
    static const uint8_t zero[32];
    mpavs_avs_chain_task_metadata(meta, p->chain_cfg.chain_id, n);
    mpavs_avs_chain_task_state(state, h.hash, h.state_root);
    mpavs_keccak256(state_hash, state, 64);
    const uint8_t *prev_root = zero, *wroot = zero; /* docs/protocol.md: type-3 PoE = f(StateHeader) */
    mpavs_avs_poe_digest(digest, meta, state_hash, prev_root, h.state_root, wroot);
    mpavs_ecdsa_sig sig;
    if (mpavs_ecdsa_sign(p->ecdsa, &sig, digest, p->seckey) != MPAVS_ECDSA_OK)
        return drpc_fail(err, ERR_PROVE, "proving failed: signing failed");
    mpavs_ecdsa_sig_serialize(sig65, &sig);
    json_t *poe = json_pack("{s:o,s:o,s:o,s:o,s:o,s:o}", "batch_hash", hexj(meta, 32), "state_hash",
                            hexj(state_hash, 32), "prev_state_root", hexj(prev_root, 32), "new_state_root",
                            hexj(h.state_root, 32), "withdrawal_root", hexj(wroot, 32), "signature", hexj(sig65, 65));
    json_t *res = poe ? json_pack("{s:b,s:I,s:I,s:I,s:o,s:o,s:I,s:o,s:o,s:o,s:o}", "not_ready", 0, "batch_id",
                                  (json_int_t)n, "start_block", (json_int_t)n, "end_block", (json_int_t)n, "poe", poe,
                                  "poe_signature", hexj(sig65, 65), "chain_id", (json_int_t)p->chain_cfg.chain_id, "block_hash",
                                  hexj(h.hash, 32), "state_root", hexj(h.state_root, 32), "metadata", hexj(meta, 32),
                                  "state", hexj(state, 64))
                      : NULL;
    if (!res) return drpc_fail(err, DRPC_INTERNAL_ERROR, "out of memory");
    char bh[67];
    hex0x(bh, sizeof bh, h.hash, 32);
    char sr[67];
    hex0x(sr, sizeof sr, h.state_root, 32);
    dlog(DLOG_INFO, "proved", "type=%" PRIu64 " chain_id=%" PRIu64 " block=%" PRIu64 " block_hash=%s state_root=%s",
         k->id, p->chain_cfg.chain_id, n, bh, sr);
    return res;
}

static json_t *m_prove_task(prover *p, json_t *params, drpc_error *err) {
    json_t *o = json_array_get(params, 0);
    if (!json_is_array(params) || json_array_size(params) != 1 || !json_is_object(o))
        return drpc_fail(err, DRPC_INVALID_PARAMS, "invalid params: expected [ProveTaskParams object]");
    json_t *tt = json_object_get(o, "task_type");
    uint64_t type = 1, start = 0, end = 0;
    if (tt && !json_is_null(tt) && !get_u64(tt, &type))
        return drpc_fail(err, DRPC_INVALID_PARAMS, "invalid params: task_type must be a non-negative integer");
    json_t *js = json_object_get(o, "start"), *je = json_object_get(o, "end");
    if ((js && !json_is_null(js) && !get_u64(js, &start)) || (je && !json_is_null(je) && !get_u64(je, &end)))
        return drpc_fail(err, DRPC_INVALID_PARAMS, "invalid params: start/end must be non-negative integers");
    const mpavs_taskkind *k = mpavs_taskkind_get(type);
    if (k && k->prover == MPAVS_TASKKIND_PROVER_NATIVE) { /* chain_state: the follower's blocks */
        if (end != 0 && end != start)
            return drpc_fail(err, DRPC_INVALID_PARAMS,
                             "invalid params: task type %" PRIu64 " proves one block (end must equal start)", type);
        return prove_chain(p, k, start, err);
    }
    const char *url = external_url(p, k);
    if (!url) return skip_error(err, k, type);
    return forward(url, "prover_proveTask", params, err);
}

static json_t *dispatch(prover *p, size_t i, json_t *params, drpc_error *err) {
    switch (i) {
    case 0: return m_metadata(p);
    case 1: return m_report(p, params, err);
    case 2: return m_gen_context(p, params, err);
    case 3: return m_prove_task(p, params, err);
    case 4: return m_try_lock(p, params, err);
    case 5: return m_put_pob(p, params, err);
    default: return NULL;
    }
}

static json_t *handler(void *user, const char *method, json_t *params, drpc_error *err) {
    prover *p = user;
    size_t i = 0;
    while (i < 6 && strcmp(method, METHODS[i]) != 0) i++;
    bump(&p->m_requests[i]);
    json_t *r = i < 6 ? dispatch(p, i, params, err)
                      : drpc_fail(err, DRPC_METHOD_NOT_FOUND, "the method %.100s does not exist/is not available",
                                  method);
    if (!r) bump(&p->m_errors);
    return r;
}

/* GET (any path): Prometheus text exposition, as the reference prover's port answers GET. */
static char *metrics(void *user, const char **content_type) {
    prover *p = user;
    dmet w;
    dmet_init(&w);
    dmet_family(&w, "mpavs_prover_requests_total", DMET_COUNTER, "JSON-RPC requests by method.");
    for (size_t i = 0; i < 7; i++) dmet_u64(&w, (dmet_label[]){{"method", METHODS[i]}}, 1, load(&p->m_requests[i]));
    dmet_family(&w, "mpavs_prover_errors_total", DMET_COUNTER, "JSON-RPC requests answered with an error.");
    dmet_u64(&w, NULL, 0, load(&p->m_errors));
    dmet_family(&w, "mpavs_prover_quotes_total", DMET_COUNTER, "Attestation quotes generated, by result.");
    dmet_u64(&w, (dmet_label[]){{"result", "ok"}}, 1, load(&p->m_quotes));
    dmet_u64(&w, (dmet_label[]){{"result", "failed"}}, 1, load(&p->m_quote_failures));
    dmet_family(&w, "mpavs_prover_proofs_total", DMET_COUNTER, "Task proofs (prover_proveTask), by type and result.");
    char native[24] = "3"; /* the natively proved kind (the follower's proofs) */
    for (size_t i = 0; i < mpavs_taskkind_count(); i++)
        if (mpavs_taskkind_at(i)->prover == MPAVS_TASKKIND_PROVER_NATIVE)
            snprintf(native, sizeof native, "%" PRIu64, mpavs_taskkind_at(i)->id);
    dmet_u64(&w, (dmet_label[]){{"type", native}, {"result", "ok"}}, 2, load(&p->m_proofs));
    dmet_u64(&w, (dmet_label[]){{"type", native}, {"result", "failed"}}, 2, load(&p->m_proof_failures));
    dmet_family(&w, "mpavs_prover_last_proved_block", DMET_GAUGE, "Number of the latest block proved.");
    dmet_u64(&w, NULL, 0, load(&p->m_last_block));
    if (p->chain) pchain_metrics(p->chain, &w);
    *content_type = "text/plain; version=0.0.4; charset=utf-8";
    return dmet_finish(&w);
}

/* ---- configuration ---- */

static void usage(FILE *f) {
    fputs("NAME\n"
          "    mpavs-prover - the multi-prover AVS reference TEE prover\n\n"
          "SYNOPSIS\n"
          "    mpavs-prover --config FILE [--log-level LEVEL]\n"
          "    mpavs-prover --check-config FILE [--offline]\n"
          "    mpavs-prover --print-config-template | --print-config-reference | --version | --help\n\n"
          "DESCRIPTION\n"
          "    Serves the TEE prover JSON-RPC API (prover_metadata, generateAttestationReport,\n"
          "    prover_genContext, prover_proveTask, da_tryLock, da_putPob) on the configured loopback\n"
          "    address. Proves chain-state tasks (type 3) natively: a follower thread re-executes every\n"
          "    block of chain.rpc_url after chain.checkpoint_* on witnesses from the node (chain.preset\n"
          "    gives the fork schedule) and only the state roots it computed are signed; refused blocks\n"
          "    are error 15001 \"block N refused: REASON\". Scroll (1) and Linea (2) tasks go to\n"
          "    external_prover URLs when set. attestation.provider: devnet (devnet_ca_dir from\n"
          "    `mpavs attest devnet-ca`), devnet-tdx (simulated TDX v4 quotes from the same devnet CA),\n"
          "    gramine (dir, default /dev/attestation) or tdx (dir, default\n"
          "    /sys/kernel/config/tsm/report). Configuration keys match exactly, else ignoring case;\n"
          "    unknown keys are warnings.\n\n"
          "OPTIONS\n"
          "    --config FILE, -c FILE   run with this JSON configuration\n"
          "    --check-config FILE      validate FILE and print every problem (exit 2), then check that\n"
          "                             chain.rpc_url and the external_prover URLs answer (exit 1 if not)\n"
          "    --offline                with --check-config: skip the endpoint checks (no network)\n"
          "    --print-config-template  print a configuration template (JSON)\n"
          "    --print-config-reference print the configuration fields (Markdown table)\n"
          "    --log-level LEVEL        debug, info, warn or error (overrides the config)\n"
          "    --version                print the version\n"
          "    --help                   this text\n\n"
          "SIGNALS\n"
          "    SIGTERM, SIGINT   stop cleanly\n"
          "    SIGHUP            logged (event=sighup_ignored) and otherwise ignored: the configuration is\n"
          "                      read at start only; restart to apply a change\n\n"
          "EXIT STATUS\n"
          "    0 stopped by a signal or --check-config passed; 1 runtime failure (start-up, attestation\n"
          "    provider, listen address) or (--check-config) an unreachable endpoint; 2 bad arguments or\n"
          "    configuration (systemd does not restart it: RestartPreventExitStatus=2)\n",
          f);
}

static bool opt_hash(dconf *c, const char *path, uint8_t out[32], bool *present, bool required) {
    const char *s = dconf_str(c, path, NULL, required);
    *present = false;
    if (!s) return !required;
    if (strlen(s) != 66 || strncmp(s, "0x", 2) != 0 || mpavs_hex_decode_exact(out, 32, s) != MPAVS_HEX_OK) {
        dconf_error(c, "%s: expected 0x + 64 hex digits", path);
        return false;
    }
    *present = true;
    return true;
}

/* Fork names before Cancun (anvil --hardfork): no block of theirs can be executed. */
static const char *const PRE_CANCUN[] = {"frontier", "homestead", "dao", "tangerine", "spuriousdragon", "byzantium",
                                         "constantinople", "petersburg", "istanbul", "muirglacier", "berlin", "london",
                                         "arrowglacier", "grayglacier", "paris", "merge", "shanghai", NULL};

/* chain.hardfork: every fork up to it active from genesis (anvil's schedule). Returns false if unknown. */
static bool set_hardfork(mpavs_evm_schedule *s, const char *name) {
    memset(s, 0, sizeof *s);
    mpavs_evm_fork f;
    if (mpavs_evm_fork_parse(&f, name) == MPAVS_EVM_OK) {
        for (int i = 0; i <= (int)f; i++) s->active[i] = true;
        return true;
    }
    for (size_t i = 0; PRE_CANCUN[i]; i++)
        if (!strcasecmp(name, PRE_CANCUN[i])) return true; /* nothing active: every block unsupported_fork */
    return false;
}

static void read_chain_config(dconf *c, pchain_config *k, uint64_t workers) {
    bool present;
    memset(k, 0, sizeof *k);
    k->rpc_url = dconf_str(c, "chain.rpc_url", NULL, false); /* required members: the table */
    if (k->rpc_url && strncmp(k->rpc_url, "http://", 7) != 0 && strncmp(k->rpc_url, "https://", 8) != 0)
        dconf_error(c, "chain.rpc_url: expected an http:// or https:// URL");
    bool has_id = dconf_get(c, "chain.chain_id") != NULL && dconf_u64(c, "chain.chain_id", &k->chain_id, 0, false);
    dconf_u64(c, "chain.checkpoint_number", &k->checkpoint_number, 0, false);
    opt_hash(c, "chain.checkpoint_hash", k->checkpoint_hash, &present, false);
    dconf_u64(c, "chain.max_headers", &k->max_headers, 100000, false);
    if (k->max_headers == 0) dconf_error(c, "chain.max_headers: must be ≥ 1");
    /* the preset: the fork schedule and the state rules */
    const char *preset = dconf_str(c, "chain.preset", NULL, false);
    if (!preset && has_id) {
        preset = mpavs_stateless_preset_for_chain(k->chain_id);
        if (!preset)
            dconf_error(c, "chain.preset: required for chain id %" PRIu64 " (mainnet, sepolia, hoodi or anvil)", k->chain_id);
    }
    k->preset = preset;
    if (preset && mpavs_stateless_preset(&k->exec, preset)) {
        dconf_error(c, "chain.preset: expected mainnet, sepolia, hoodi or anvil (not %s)", preset);
        preset = NULL;
    }
    bool anvil = preset && !strcmp(preset, "anvil");
    if (preset && has_id && !anvil && k->exec.chain.chain_id != k->chain_id)
        dconf_error(c, "chain.preset: %s is chain %" PRIu64 ", but chain.chain_id is %" PRIu64, preset,
                    k->exec.chain.chain_id, k->chain_id);
    if (anvil) k->exec.chain.chain_id = k->chain_id; /* anvil --chain-id */
    if (anvil && k->checkpoint_number == 0)
        dconf_error(c, "chain.checkpoint_number: anvil's genesis header carries the empty state root although its dev "
                       "accounts are funded, so block 1 cannot be re-executed from it: use block 1 or later");
    const char *hf = dconf_str(c, "chain.hardfork", NULL, false);
    if (hf && preset && !anvil) dconf_error(c, "chain.hardfork: only with the anvil preset (%s has its schedule)", preset);
    else if (hf && !set_hardfork(&k->exec.chain.schedule, hf))
        dconf_error(c, "chain.hardfork: unknown fork %s (cancun, prague, osaka, or an earlier one)", hf);
    uint64_t v;
    dconf_u64(c, "chain.confirmations", &k->confirmations, anvil ? 0 : 12, false);
    if (k->confirmations > 10000) dconf_error(c, "chain.confirmations: must be ≤ 10000");
    dconf_u64(c, "chain.ring_size", &v, 8192, false);
    if (v < 16 || v > 1000000) dconf_error(c, "chain.ring_size: must be 16..1000000");
    k->ring_size = (size_t)v;
    dconf_u64(c, "chain.task_wait_ms", &v, 20000, false);
    if (v > 600000) dconf_error(c, "chain.task_wait_ms: must be ≤ 600000");
    k->task_wait_ms = (long)v;
    k->max_waiters = workers > 1 ? (size_t)workers - 1 : 1;
    mpavs_witness_limits_default(&k->lim);
    dconf_u64(c, "chain.witness.max_nodes", &v, 1000000, false);
    if (v < 1000 || v > 100000000) dconf_error(c, "chain.witness.max_nodes: must be 1000..100000000");
    k->lim.max_nodes = (size_t)v;
    dconf_u64(c, "chain.witness.max_bytes", &v, 256u << 20, false);
    if (v < (1u << 20) || v > (4ull << 30)) dconf_error(c, "chain.witness.max_bytes: must be 1 MiB..4 GiB");
    k->lim.max_bytes = (size_t)v;
    dconf_u64(c, "chain.witness.fetch_timeout_ms", &v, 120000, false);
    if (v < 100 || v > 600000) dconf_error(c, "chain.witness.fetch_timeout_ms: must be 100..600000");
    k->lim.max_rpc_ms = (long)v;
}

static void *stop_server(void *srv) {
    drpc_stop(srv);
    return NULL;
}

/* Stop the server, waiting at most ms for running handlers. Returns false if they were still busy. */
static bool stop_server_within(drpc_server *srv, long ms) {
    static drt_threads g; /* outlives this call if the stop thread is left running */
    drt_threads_init(&g);
    if (!drt_spawn(&g, "http_stop", stop_server, srv)) {
        drpc_stop(srv);
        return true;
    }
    return drt_join(&g, ms) == 0;
}

/* --check-config: chain.rpc_url (its chain id as configured) and the external provers answer. */
static bool check_endpoints(const prover *p, bool offline) {
    if (offline) {
        printf("endpoints: not checked (--offline)\n");
        return true;
    }
    printf("endpoints:\n");
    curl_global_init(CURL_GLOBAL_DEFAULT);
    bool ok = true;
    if (p->has_chain) ok &= dep_check_chain("chain.rpc_url", p->chain_cfg.rpc_url, p->chain_cfg.chain_id);
    bool any = p->has_chain;
    for (size_t i = 0; i < mpavs_taskkind_count(); i++) {
        const mpavs_taskkind *k = mpavs_taskkind_at(i);
        const char *url = external_url(p, k);
        if (!url) continue;
        char key[64];
        snprintf(key, sizeof key, "external_prover.%s", k->name);
        ok &= dep_check_jsonrpc(key, url, "prover_metadata");
        any = true;
    }
    if (!any) printf("  (none configured)\n");
    curl_global_cleanup();
    return ok;
}

static bool is_loopback(const char *listen) {
    return listen && (strncmp(listen, "127.", 4) == 0 || strncmp(listen, "localhost:", 10) == 0);
}

int main(int argc, char **argv) {
    const char *cfg_path = NULL, *level_arg = NULL;
    bool check_only = false, offline = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "--version") == 0) {
            puts(MPAVS_VERSION_LINE("mpavs-prover"));
            return 0;
        } else if (strcmp(argv[i], "--print-config-template") == 0) {
            dcf_print_template(stdout, &prover_config);
            return 0;
        } else if (strcmp(argv[i], "--print-config-reference") == 0) {
            dcf_print_reference(stdout, &prover_config);
            return 0;
        } else if ((strcmp(argv[i], "--config") == 0 || strcmp(argv[i], "-c") == 0) && i + 1 < argc) {
            cfg_path = argv[++i];
        } else if (strcmp(argv[i], "--check-config") == 0 && i + 1 < argc) {
            cfg_path = argv[++i];
            check_only = true;
        } else if (strcmp(argv[i], "--log-level") == 0 && i + 1 < argc) {
            level_arg = argv[++i];
        } else if (strcmp(argv[i], "--offline") == 0) {
            offline = true;
        } else {
            fprintf(stderr, "mpavs-prover: unknown or incomplete argument: %s (see --help)\n", argv[i]);
            return 2;
        }
    }
    if (!cfg_path) {
        fprintf(stderr, "mpavs-prover: --config FILE is required (see --help)\n");
        return 2;
    }

    static prover P; /* large (DA table); one per process */
    prover *p = &P;
    dconf c;
    if (!dconf_load(&c, cfg_path)) {
        fprintf(stderr, "mpavs-prover: config: %s", c.errors);
        return 2;
    }
    static char warnings[2048];
    size_t nwarn = dcf_apply(&c, &prover_config, warnings, sizeof warnings);

    p->listen = dconf_str(&c, "listen", "127.0.0.1:18232", false);
    if (!is_loopback(p->listen))
        dconf_error(&c, "listen: %s is not a loopback address (127.x.x.x:port or localhost:port)", p->listen);
    const char *lvl = level_arg ? level_arg : dconf_str(&c, "log_level", "info", false);
    dlog_level L = DLOG_INFO;
    if (lvl && !dlog_parse_level(lvl, &L)) dconf_error(&c, "log_level: expected debug, info, warn or error");
    p->version = dconf_str(&c, "version", PROVER_VERSION, false);
    uint64_t body_limit, workers, max_batch;
    dconf_u64(&c, "server.body_limit", &body_limit, 4u << 20, false);
    dconf_u64(&c, "server.workers", &workers, 4, false);
    dconf_u64(&c, "server.max_batch", &max_batch, 8, false);
    if (body_limit < 1024 || body_limit > (256u << 20)) dconf_error(&c, "server.body_limit: must be 1 KiB..256 MiB");
    if (workers < 1 || workers > 64) dconf_error(&c, "server.workers: must be 1..64");
    if (max_batch < 1 || max_batch > 1000) dconf_error(&c, "server.max_batch: must be 1..1000");

    const char *prov = dconf_str(&c, "attestation.provider", NULL, false); /* required: the table */
    const attest_provider *provider = attest_provider_find(prov);
    if (prov && !provider) {
        char names[256];
        attest_provider_names(names, sizeof names);
        dconf_error(&c, "attestation.provider: expected %s", names);
    }
    uint8_t mre[32], mrs[32];
    bool has_mre, has_mrs;
    attest_config acfg = {.dir = dconf_str(&c, "attestation.dir", NULL, false),
                          .devnet_ca_dir = dconf_str(&c, "attestation.devnet_ca_dir", NULL, false)};
    opt_hash(&c, "attestation.mr_enclave", mre, &has_mre, false);
    opt_hash(&c, "attestation.mr_signer", mrs, &has_mrs, false);
    dconf_bool(&c, "attestation.debug", &acfg.debug, false);
    acfg.mr_enclave = has_mre ? mre : NULL;
    acfg.mr_signer = has_mrs ? mrs : NULL;
    char perr[300];
    if (provider && provider->check && !provider->check(&acfg, perr, sizeof perr))
        dconf_error(&c, "%s", perr);

    p->has_chain = dconf_get(&c, "chain") != NULL;
    if (p->has_chain) read_chain_config(&c, &p->chain_cfg, workers);
    for (size_t i = 0; i < mpavs_taskkind_count(); i++) { /* external_prover.<kind name> */
        const mpavs_taskkind *k = mpavs_taskkind_at(i);
        char key[64];
        snprintf(key, sizeof key, "external_prover.%s", k->name);
        if (k->prover == MPAVS_TASKKIND_PROVER_EXTERNAL) p->external_url[k->id] = dconf_str(&c, key, NULL, false);
    }
    if (nwarn && (check_only || dconf_failed(&c)))
        fprintf(stderr, "mpavs-prover: %s: %zu warning%s:\n%s", cfg_path, nwarn, nwarn == 1 ? "" : "s", warnings);
    else if (nwarn)
        dlog_lines(DLOG_WARN, "config_warning", cfg_path, warnings);
    if (dconf_failed(&c)) {
        fprintf(stderr, "mpavs-prover: %s: %zu configuration problem%s:\n%s", cfg_path, c.nerrors,
                c.nerrors == 1 ? "" : "s", c.errors);
        dconf_free(&c);
        return 2;
    }
    if (check_only) {
        printf("%s: configuration is valid%s\n", cfg_path, nwarn ? " (with warnings)" : "");
        int rc = check_endpoints(p, offline) ? 0 : 1;
        if (rc)
            fprintf(stderr, "mpavs-prover: %s: an endpoint is unreachable (start it or fix the URL; --offline skips "
                    "these checks)\n", cfg_path);
        dconf_free(&c);
        return rc;
    }
    dlog_set_level(L);
    static drt_stop stop; /* the process's stop token (signals.h) */
    if (!drt_stop_init(&stop) || !dsig_install(&stop)) {
        dlog(DLOG_ERROR, "startup_failed", "error=\"cannot install the signal handlers\"");
        fprintf(stderr, "mpavs-prover: cannot install signal handlers\n");
        dconf_free(&c);
        return 1;
    }

    int rc = 1;
    char err[600], q[700];
    drpc_server *srv = NULL;
    pthread_mutex_init(&p->att_lock, NULL);
    pthread_mutex_init(&p->da_lock, NULL);
    p->ecdsa = mpavs_ecdsa_ctx_create();
    if (!p->ecdsa || mpavs_ecdsa_seckey_generate(p->ecdsa, p->seckey) != MPAVS_ECDSA_OK ||
        mpavs_ecdsa_seckey_to_address(p->ecdsa, &p->address, p->seckey) != MPAVS_ECDSA_OK) {
        dlog(DLOG_ERROR, "startup_failed", "error=\"cannot create the enclave key\"");
        goto out;
    }
    p->att = attest_open(provider, &acfg, err, sizeof err);
    if (!p->att) {
        dlog(DLOG_ERROR, "startup_failed", "error=%s", dlog_quote(q, sizeof q, err));
        fprintf(stderr, "mpavs-prover: %s\n", err);
        goto out;
    }
    if (p->has_chain && !(p->chain = pchain_start(&p->chain_cfg, &stop, p->ecdsa, err, sizeof err))) {
        dlog(DLOG_ERROR, "startup_failed", "error=%s", dlog_quote(q, sizeof q, err));
        fprintf(stderr, "mpavs-prover: %s\n", err);
        goto out;
    }
    drpc_options so;
    memset(&so, 0, sizeof so);
    so.listen = p->listen;
    so.max_body = (size_t)body_limit;
    so.max_batch = (size_t)max_batch;
    so.threads = (unsigned)workers;
    so.handler = handler;
    so.get_handler = metrics;
    so.user = p;
    srv = drpc_start(&so, err, sizeof err);
    if (!srv) {
        dlog(DLOG_ERROR, "startup_failed", "error=%s", dlog_quote(q, sizeof q, err));
        fprintf(stderr, "mpavs-prover: %s\n", err);
        goto out;
    }
    char addr[43];
    mpavs_address_to_checksum(addr, &p->address);
    dlog(DLOG_INFO, "listening", "listen=%s port=%d enclave_address=%s attestation=%s chain_id=%" PRIu64
         " checkpoint=%" PRIu64, p->listen, drpc_port(srv), addr, prov, p->chain_cfg.chain_id,
         p->chain_cfg.checkpoint_number);
    while (!dsig_main_wait(&stop, "prover", 1000)) {
    }
    dlog(DLOG_INFO, "stopping", "signal=%d", dsig_signal());
    rc = 0;
    pchain_wake(p->chain); /* the tasks waiting for the follower return */
    bool busy = !stop_server_within(srv, 500);
    if (busy || pchain_stop(p->chain, 350)) {
        /* a handler or the follower is stuck (e.g. on a hung chain RPC): do not wait for it */
        mpavs_wipe(p->seckey, sizeof p->seckey);
        dlog(DLOG_WARN, "stopped", "busy_handlers=%d", busy);
        _exit(0);
    }
    srv = NULL;
out:
    drpc_stop(srv);
    if (p->chain) {
        drt_stop_request(&stop);
        if (pchain_stop(p->chain, 1000)) {
            mpavs_wipe(p->seckey, sizeof p->seckey);
            _exit(rc);
        }
    }
    pchain_free(p->chain);
    mpavs_wipe(p->seckey, sizeof p->seckey);
    attest_close(p->att);
    mpavs_ecdsa_ctx_destroy(p->ecdsa);
    for (size_t i = 0; i < DA_SLOTS; i++) free(p->da[i].data);
    pthread_mutex_destroy(&p->att_lock);
    pthread_mutex_destroy(&p->da_lock);
    dconf_free(&c);
    dlog(DLOG_INFO, "stopped", NULL);
    return rc;
}
