/*
 * cli/cmd_avs_status.c — `mpavs avs status [--json]`: the AVS's whole configuration read from the
 * chain at one block: addresses, owners and roles, paused bits, PoA and its whitelist, quorums
 * (operator set parameters, strategies, minimum stake, operators, TEE type, policy), committees
 * (description, metadata, TEE quorums, minimum thresholds, ordering), the liveness verifier's
 * parameters and the AttestationVerifier's global allow-lists. Mappings the contracts cannot
 * enumerate (committee ids, whitelists, allowed measurements) are found from their events and
 * each entry is re-read from the contract, so what is shown is the current value.
 */
#include "avs_cmds.h"
#include "cli.h"
#include "netcfg.h"

#include "mpavs/abi.h"
#include "mpavs/hex.h"
#include "mpavs/keccak.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STATUS_HELP                                                                                                    \
    "usage: mpavs avs status [--json] [--from-block N] [network options]\n\n"                                          \
    "The AVS's configuration read from the chain at the latest block: addresses, owners and roles, paused\n"          \
    "bits, PoA and its whitelist, quorums (operator set parameters, strategies, minimum stake, operator\n"            \
    "count, TEE type, attestation policy and its allowed measurements), committees (description, metadata,\n"        \
    "TEE quorums, minimum thresholds, ordering), the liveness verifier's parameters and the\n"                        \
    "AttestationVerifier's global allow-lists. Committee ids, the whitelist and the allowed measurements are\n"      \
    "mappings the contracts cannot enumerate: they are found from the contracts' events since --from-block\n"        \
    "(default 0) and each is re-read from the contract; \"eventsError\" says when the node refused the logs.\n\n"      \
    "  --json                one JSON object\n"                                                                    \
    "  --from-block N        first block of the event scans (default 0)\n" NETWORK_OPTS                           \
    "  --liveness-verifier ADDR  the TEELivenessVerifier (default: the deployment's teeLivenessVerifier)\n"

typedef struct {
    mpavs_rpc *rpc;
    char tag[24];
    uint64_t from_block, block;
    json_t *errors; /* array of strings: reads that failed */
} st_ctx;

static void note(st_ctx *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(st_ctx *s, const char *fmt, ...) {
    char m[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m, sizeof m, fmt, ap);
    va_end(ap);
    json_array_append_new(s->errors, json_string(m));
}

/* The low 64 bits of v (saturated when wider). */
static uint64_t u64_of(const mpavs_u256 *v) {
    uint8_t b[32];
    mpavs_u256_to_be32(b, v);
    for (int i = 0; i < 24; i++)
        if (b[i]) return UINT64_MAX;
    uint64_t x = 0;
    for (int i = 24; i < 32; i++) x = x << 8 | b[i];
    return x;
}

static json_t *j_addr(const uint8_t a[20]) {
    mpavs_address x;
    memcpy(x.bytes, a, 20);
    char t[43];
    mpavs_address_to_checksum(t, &x);
    return json_string(t);
}

static json_t *j_hex(const uint8_t *p, size_t n) {
    char *t = malloc(2 * n + 3);
    if (!t) return json_null();
    t[0] = '0', t[1] = 'x';
    for (size_t i = 0; i < n; i++) snprintf(t + 2 + 2 * i, 3, "%02x", p[i]);
    t[2 + 2 * n] = 0;
    json_t *j = json_string(t);
    free(t);
    return j;
}

/* A value as JSON: uintN up to 53 bits as a number, wider as a decimal string. */
static json_t *j_value(const mpavs_abi_value *v) {
    const mpavs_abi_type *t = v->type;
    switch (t->kind) {
    case MPAVS_ABI_UINT:
    case MPAVS_ABI_INT: {
        char d[80];
        mpavs_u256_to_dec(d, sizeof d, &v->word);
        if (t->size <= 48 && t->kind == MPAVS_ABI_UINT) return json_integer(strtoll(d, NULL, 10));
        return json_string(d);
    }
    case MPAVS_ABI_ADDRESS: return j_addr(v->fixed);
    case MPAVS_ABI_BOOL: return json_boolean(!mpavs_u256_is_zero(&v->word));
    case MPAVS_ABI_FIXED_BYTES: return j_hex(v->fixed, t->size);
    case MPAVS_ABI_BYTES: return j_hex(v->data, v->len);
    case MPAVS_ABI_STRING: return json_stringn((const char *)v->data, v->len);
    default: {
        json_t *a = json_array();
        for (size_t i = 0; i < v->n; i++) json_array_append_new(a, j_value(&v->items[i]));
        return a;
    }
    }
}

/*
 * eth_call of to with sig "f(in)(out)" and args (cast syntax tuple text, NULL: none) at the
 * status block. Returns the decoded outputs (release with free_call) or NULL after a note.
 */
typedef struct {
    mpavs_abi_signature *sig;
    mpavs_abi_value *out;
} st_call;

static void free_call(st_call *c) {
    mpavs_abi_value_free(c->out);
    mpavs_abi_signature_free(c->sig);
    memset(c, 0, sizeof *c);
}

__attribute__((format(printf, 5, 0))) static const mpavs_abi_value *vcall(st_ctx *s, st_call *c, const uint8_t to[20],
                                                                         const char *sig, const char *fmt, va_list ap) {
    memset(c, 0, sizeof *c);
    char args[512] = "()";
    if (fmt) vsnprintf(args, sizeof args, fmt, ap);
    mpavs_abi_value *in = NULL;
    uint8_t *data = NULL, *ret = NULL;
    size_t len = 0, rl = 0;
    mpavs_error e = {0};
    bool ok = false;
    if (mpavs_abi_signature_parse(&c->sig, sig) || mpavs_abi_value_parse(&in, c->sig->inputs, args) ||
        mpavs_abi_encode_call(&data, &len, c->sig, in)) {
        note(s, "%s: cannot encode %s", sig, args);
    } else {
        mpavs_rpc_callmsg m = {.to = to, .data = data, .data_len = len};
        int r = mpavs_rpc_eth_call(s->rpc, &ret, &rl, &e, &m, s->tag);
        if (r == MPAVS_RPC_ERR_RPC && e.data) {
            size_t ne;
            const char *const *errs = mpavs_contracts_error_signatures(&ne);
            char *why = NULL;
            if (mpavs_abi_decode_revert(&why, e.data, e.data_len, errs, ne) == MPAVS_ABI_OK)
                note(s, "%s%s reverts: %s", c->sig->name, args, why);
            free(why);
        } else if (r) {
            note(s, "%s%s: %s (%s)", c->sig->name, args, mpavs_rpc_strerror(r), e.message);
        } else if (mpavs_abi_decode(&c->out, c->sig->outputs, ret, rl)) {
            note(s, "%s%s: unexpected output (%zu bytes; no such function at that address?)", c->sig->name, args, rl);
        } else {
            ok = true;
        }
    }
    mpavs_abi_value_free(in);
    mpavs_error_clear(&e);
    free(data);
    free(ret);
    if (!ok) {
        free_call(c);
        return NULL;
    }
    return c->out;
}

static const mpavs_abi_value *call(st_ctx *s, st_call *c, const uint8_t to[20], const char *sig, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static const mpavs_abi_value *call(st_ctx *s, st_call *c, const uint8_t to[20], const char *sig, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    const mpavs_abi_value *v = vcall(s, c, to, sig, fmt, ap);
    va_end(ap);
    return v;
}

/* The JSON of a single-output getter, or null. */
static json_t *get(st_ctx *s, const uint8_t to[20], const char *sig, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static json_t *get(st_ctx *s, const uint8_t to[20], const char *sig, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    st_call c;
    const mpavs_abi_value *v = vcall(s, &c, to, sig, fmt, ap);
    va_end(ap);
    json_t *j = v && v->n ? j_value(&v->items[0]) : json_null();
    free_call(&c);
    return j;
}

/* A single uint getter as a number (0 on failure). */
static uint64_t get_u64(st_ctx *s, const uint8_t to[20], const char *sig, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static uint64_t get_u64(st_ctx *s, const uint8_t to[20], const char *sig, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    st_call c;
    const mpavs_abi_value *v = vcall(s, &c, to, sig, fmt, ap);
    va_end(ap);
    uint64_t x = 0;
    if (v && v->n) x = u64_of(&v->items[0].word);
    free_call(&c);
    return x;
}

/* The decoded events sig (with `indexed` markers) of address since from_block; NULL after a note. */
typedef struct {
    mpavs_abi_signature *sig;
    mpavs_abi_value **ev;
    size_t n;
} st_events;

static void free_events(st_events *e) {
    for (size_t i = 0; i < e->n; i++) mpavs_abi_value_free(e->ev[i]);
    free(e->ev);
    mpavs_abi_signature_free(e->sig);
    memset(e, 0, sizeof *e);
}

static bool events(st_ctx *s, st_events *out, const uint8_t address[20], const char *sig) {
    memset(out, 0, sizeof *out);
    if (mpavs_abi_signature_parse(&out->sig, sig)) return note(s, "bad event %s", sig), false;
    uint8_t topic[32];
    mpavs_abi_signature_topic(topic, out->sig);
    char from[24];
    mpavs_rpc_filter f = {.from_block = mpavs_rpc_tag_number(from, s->from_block), .to_block = s->tag,
                          .addresses = (const uint8_t(*)[20])address, .naddresses = 1, .topics = {topic}, .ntopics = 1};
    mpavs_rpc_log *logs = NULL;
    size_t nl = 0;
    mpavs_error e = {0};
    if (mpavs_rpc_get_logs(s->rpc, &logs, &nl, &e, &f)) {
        note(s, "events %s: %s", out->sig->name, e.message);
        mpavs_error_clear(&e);
        free_events(out);
        return false;
    }
    out->ev = calloc(nl ? nl : 1, sizeof *out->ev);
    for (size_t i = 0; out->ev && i < nl; i++) {
        if (logs[i].removed) continue;
        mpavs_abi_value *v = NULL;
        if (mpavs_abi_decode_log(&v, out->sig, (const uint8_t(*)[32])logs[i].topics, logs[i].ntopics, logs[i].data,
                                 logs[i].data_len, false) == MPAVS_ABI_OK)
            out->ev[out->n++] = v;
    }
    mpavs_rpc_logs_free(logs, nl);
    return out->ev != NULL;
}

/* Add s to a JSON array of strings unless it is there. */
static void add_unique(json_t *arr, json_t *v) {
    size_t i;
    json_t *x;
    json_array_foreach(arr, i, x) {
        if (json_equal(x, v)) {
            json_decref(v);
            return;
        }
    }
    json_array_append_new(arr, v);
}

/*
 * Add to set (a JSON array, kept free of repeats) fields k .. k+nk-1 of each event sig of address
 * since from_block (nk 1: the field's value, else an array of the values), skipping the events
 * whose field 0 is not quorum when quorum >= 0. A failed scan adds nothing (after a note).
 */
static void event_values(st_ctx *s, json_t *set, const uint8_t address[20], const char *sig, int quorum, size_t k,
                         size_t nk) {
    st_events e;
    if (!events(s, &e, address, sig)) return;
    for (size_t i = 0; i < e.n; i++) {
        const mpavs_abi_value *v = e.ev[i];
        if (quorum >= 0 && u64_of(&v->items[0].word) != (uint64_t)quorum) continue;
        json_t *x = nk == 1 ? j_value(&v->items[k]) : json_array();
        for (size_t f = 0; nk > 1 && f < nk; f++) json_array_append_new(x, j_value(&v->items[k + f]));
        add_unique(set, x);
    }
    free_events(&e);
}

static bool j_true(json_t *j) {
    bool t = json_is_true(j);
    json_decref(j);
    return t;
}

/* The current values of the allow-list keyed by event field k: each kept when getter says true. */
static json_t *allowed_set(st_ctx *s, const uint8_t to[20], const char *ev_sig, size_t k, const char *getter,
                           int quorum) {
    json_t *cand = json_array(), *out = json_array();
    event_values(s, cand, to, ev_sig, quorum, k, 1);
    size_t i;
    json_t *x;
    json_array_foreach(cand, i, x) {
        const char *h = json_string_value(x);
        bool ok = quorum >= 0 ? j_true(get(s, to, getter, "(%d,%s)", quorum, h)) : j_true(get(s, to, getter, "(%s)", h));
        if (ok) json_array_append(out, x);
    }
    json_decref(cand);
    return out;
}

/* The SGX signer rules of quorum q still allowed. */
static json_t *sgx_signers(st_ctx *s, const uint8_t lv[20], int q) {
    json_t *out = json_array(), *seen = json_array();
    event_values(s, seen, lv, "QuorumSgxSignerSet(uint8 indexed,bytes32,uint16,bool,uint16)", q, 1, 2);
    size_t i;
    json_t *k;
    json_array_foreach(seen, i, k) {
        const char *signer = json_string_value(json_array_get(k, 0));
        long long prod = json_integer_value(json_array_get(k, 1));
        st_call c;
        const mpavs_abi_value *v =
            call(s, &c, lv, "quorumSgxSigners(uint8,bytes32,uint16)(bool,uint16)", "(%d,%s,%lld)", q, signer, prod);
        if (v && !mpavs_u256_is_zero(&v->items[0].word))
            json_array_append_new(out, json_pack("{s:s,s:I,s:I}", "mrSigner", signer, "isvProdId", (json_int_t)prod,
                                                 "minIsvSvn", (json_int_t)u64_of(&v->items[1].word)));
        free_call(&c);
    }
    json_decref(seen);
    return out;
}

/* The MRTDs of MrTdSet events whose allowedMrTdHash(keccak256(mrTd)) is still true. */
static json_t *mrtds_json(st_ctx *s, const uint8_t av[20]) {
    st_events e;
    json_t *out = json_array();
    if (!events(s, &e, av, "MrTdSet(bytes,bool)")) return out;
    for (size_t i = 0; i < e.n; i++) {
        const mpavs_abi_value *m = &e.ev[i]->items[0];
        json_t *mj = j_hex(m->data, m->len);
        uint8_t h[32];
        mpavs_keccak256(h, m->data, m->len);
        json_t *hj = j_hex(h, 32);
        bool dup = false;
        size_t k;
        json_t *x;
        json_array_foreach(out, k, x) dup = dup || json_equal(x, mj);
        if (!dup && j_true(get(s, av, "allowedMrTdHash(bytes32)(bool)", "(%s)", json_string_value(hj))))
            json_array_append(out, mj);
        json_decref(mj);
        json_decref(hj);
    }
    free_events(&e);
    return out;
}

static json_t *quorum_json(st_ctx *s, const mpavs_contracts_deployment *d, const uint8_t *lv, int q) {
    json_t *o = json_object();
    json_object_set_new(o, "number", json_integer(q));
    st_call c;
    const mpavs_abi_value *v = call(s, &c, d->registry_coordinator.bytes,
                                    "getOperatorSetParams(uint8)((uint32,uint16,uint16))", "(%d)", q);
    if (v) {
        const mpavs_abi_value *p = &v->items[0];
        json_object_set_new(o, "maxOperatorCount", j_value(&p->items[0]));
        json_object_set_new(o, "kickBIPsOfOperatorStake", j_value(&p->items[1]));
        json_object_set_new(o, "kickBIPsOfTotalStake", j_value(&p->items[2]));
    }
    free_call(&c);
    const uint8_t *sr = d->stake_registry.bytes;
    json_object_set_new(o, "minimumStake", get(s, sr, "minimumStakeForQuorum(uint8)(uint96)", "(%d)", q));
    json_object_set_new(o, "totalStake", get(s, sr, "getCurrentTotalStake(uint8)(uint96)", "(%d)", q));
    json_object_set_new(o, "operatorCount",
                        get(s, d->index_registry.bytes, "totalOperatorsForQuorum(uint8)(uint32)", "(%d)", q));
    json_t *strat = json_array();
    uint64_t ns = get_u64(s, sr, "strategyParamsLength(uint8)(uint256)", "(%d)", q);
    for (uint64_t i = 0; i < ns && i < 64; i++) {
        v = call(s, &c, sr, "strategyParamsByIndex(uint8,uint256)((address,uint96))", "(%d,%llu)", q,
                 (unsigned long long)i);
        if (v)
            json_array_append_new(strat, json_pack("{s:o,s:o}", "strategy", j_value(&v->items[0].items[0]),
                                                   "multiplier", j_value(&v->items[0].items[1])));
        free_call(&c);
    }
    json_object_set_new(o, "strategies", strat);
    const uint8_t *sm = d->service_manager.bytes;
    v = call(s, &c, sm, "teeQuorums(uint8)(uint8,uint8)", "(%d)", q);
    json_object_set_new(o, "teeType", v ? j_value(&v->items[0]) : json_null());
    free_call(&c);
    json_object_set_new(o, "committeeId", get(s, sm, "quorumIdToCommitteeId(uint8)(uint256)", "(%d)", q));
    if (lv) {
        json_t *p = json_object();
        v = call(s, &c, lv, "quorumPolicies(uint8)(uint8,uint16,uint32)", "(%d)", q);
        if (v) {
            json_object_set_new(p, "teeType", j_value(&v->items[0]));
            json_object_set_new(p, "acceptedTcbStatuses", j_value(&v->items[1]));
            json_object_set_new(p, "epoch", j_value(&v->items[2]));
        }
        free_call(&c);
        json_object_set_new(p, "mrEnclaves", allowed_set(s, lv, "QuorumMrEnclaveSet(uint8 indexed,bytes32,bool)", 1,
                                                         "quorumMrEnclaveAllowed(uint8,bytes32)(bool)", q));
        json_object_set_new(p, "sgxSigners", sgx_signers(s, lv, q));
        json_object_set_new(p, "tdIdentities", allowed_set(s, lv, "QuorumTdIdentitySet(uint8 indexed,bytes32,bool)", 1,
                                                           "quorumTdIdentityAllowed(uint8,bytes32)(bool)", q));
        json_object_set_new(o, "policy", p);
    }
    return o;
}

/* The committee ids: bound to quorums, or named by CommitteeUpdated events (removed ones read as id 0). */
static json_t *committees_json(st_ctx *s, const mpavs_contracts_deployment *d, json_t *quorums) {
    const uint8_t *sm = d->service_manager.bytes;
    json_t *ids = json_array(), *out = json_array();
    size_t i;
    json_t *q;
    json_array_foreach(quorums, i, q) {
        json_t *id = json_object_get(q, "committeeId");
        if (json_is_integer(id) || (json_is_string(id) && strcmp(json_string_value(id), "0") != 0))
            add_unique(ids, json_copy(id));
    }
    event_values(s, ids, sm, "CommitteeUpdated(uint256 indexed,string,bytes,bytes)", -1, 0, 1);
    json_t *id;
    json_array_foreach(ids, i, id) {
        const char *ids_ = json_string_value(id);
        st_call c;
        const mpavs_abi_value *v = call(s, &c, sm, "committees(uint256)(uint256,string,bytes,bytes)", "(%s)", ids_);
        if (!v || mpavs_u256_is_zero(&v->items[0].word)) { /* removed */
            free_call(&c);
            continue;
        }
        json_t *o = json_object();
        json_object_set_new(o, "id", j_value(&v->items[0]));
        json_object_set_new(o, "description", j_value(&v->items[1]));
        json_object_set_new(o, "metadata", j_value(&v->items[2]));
        json_t *tq = json_array(), *th = json_object();
        const mpavs_abi_value *qs = &v->items[3];
        for (size_t k = 0; k < qs->len; k++) {
            json_array_append_new(tq, json_integer(qs->data[k]));
            char key[8];
            snprintf(key, sizeof key, "%u", qs->data[k]);
            json_object_set_new(th, key, get(s, sm, "minimumThresholdPercentage(uint256,uint8)(uint8)", "(%s,%u)",
                                             ids_, qs->data[k]));
        }
        free_call(&c);
        json_object_set_new(o, "teeQuorumNumbers", tq);
        json_object_set_new(o, "minimumThresholds", th);
        v = call(s, &c, sm, "committeeOrdering(uint256)(uint8,uint256)", "(%s)", ids_);
        if (v) {
            json_object_set_new(o, "ordering", j_value(&v->items[0]));
            json_object_set_new(o, "orderingChainId", j_value(&v->items[1]));
        }
        free_call(&c);
        json_array_append_new(out, o);
    }
    json_decref(ids);
    return out;
}

static json_t *status_json(st_ctx *s, net_cfg *n) {
    const mpavs_contracts_deployment *d = &n->d;
    const uint8_t *sm = d->service_manager.bytes, *rc = d->registry_coordinator.bytes;
    json_t *o = json_object();
    json_object_set_new(o, "network", json_string(n->network));
    json_object_set_new(o, "chainId", json_integer((json_int_t)d->chain_id));
    json_object_set_new(o, "block", json_integer((json_int_t)s->block));
    json_object_set_new(o, "eventsFromBlock", json_integer((json_int_t)s->from_block));
    const uint8_t *lv = n->have_liveness ? n->liveness_verifier.bytes : NULL;
    json_t *av = lv ? get(s, lv, "attestationVerifier()(address)", NULL) : json_null();
    mpavs_address avaddr = {{0}};
    bool have_av = json_is_string(av) && !mpavs_address_parse(&avaddr, json_string_value(av));
    json_t *a = json_object();
    json_object_set_new(a, "registryCoordinator", j_addr(rc));
    json_object_set_new(a, "serviceManager", j_addr(sm));
    json_object_set_new(a, "stakeRegistry", j_addr(d->stake_registry.bytes));
    json_object_set_new(a, "blsApkRegistry", j_addr(d->bls_apk_registry.bytes));
    json_object_set_new(a, "indexRegistry", j_addr(d->index_registry.bytes));
    json_object_set_new(a, "delegationManager", j_addr(d->delegation_manager.bytes));
    json_object_set_new(a, "avsDirectory", j_addr(d->avs_directory.bytes));
    json_object_set_new(a, "teeLivenessVerifier", lv ? j_addr(lv) : json_null());
    json_object_set_new(a, "attestationVerifier", av);
    json_object_set_new(a, "pauserRegistry", get(s, sm, "pauserRegistry()(address)", NULL));
    json_object_set_new(o, "addresses", a);
    json_t *ow = json_object();
    json_object_set_new(ow, "serviceManager", get(s, sm, "owner()(address)", NULL));
    json_object_set_new(ow, "registryCoordinator", get(s, rc, "owner()(address)", NULL));
    json_object_set_new(ow, "teeLivenessVerifier", lv ? get(s, lv, "owner()(address)", NULL) : json_null());
    json_object_set_new(ow, "attestationVerifier", have_av ? get(s, avaddr.bytes, "owner()(address)", NULL) : json_null());
    json_object_set_new(o, "owners", ow);
    json_t *r = json_object();
    json_object_set_new(r, "stateConfirmer", get(s, sm, "stateConfirmer()(address)", NULL));
    json_object_set_new(r, "poaManager", get(s, sm, "poaManager()(address)", NULL));
    json_object_set_new(r, "committeeManager", get(s, sm, "committeeManager()(address)", NULL));
    json_object_set_new(r, "ejector", get(s, rc, "ejector()(address)", NULL));
    json_object_set_new(r, "churnApprover", get(s, rc, "churnApprover()(address)", NULL));
    json_object_set_new(o, "roles", r);
    json_t *p = json_object();
    json_object_set_new(p, "serviceManager", get(s, sm, "paused()(uint256)", NULL));
    json_object_set_new(p, "registryCoordinator", get(s, rc, "paused()(uint256)", NULL));
    json_object_set_new(o, "paused", p);
    json_t *poa = json_object();
    json_object_set_new(poa, "enabled", get(s, sm, "isPoAEnabled()(bool)", NULL));
    json_object_set_new(poa, "whitelist", allowed_set(s, sm, "OperatorWhitelistUpdated(address indexed,bool)", 0,
                                                      "isOperatorWhitelisted(address)(bool)", -1));
    json_object_set_new(o, "poa", poa);
    uint64_t nq = get_u64(s, rc, "quorumCount()(uint8)", NULL);
    json_t *qs = json_array();
    for (uint64_t q = 0; q < nq; q++) json_array_append_new(qs, quorum_json(s, d, lv, (int)q));
    json_object_set_new(o, "quorums", qs);
    json_object_set_new(o, "committees", committees_json(s, d, qs));
    if (lv) {
        json_t *l = json_object();
        json_object_set_new(l, "attestValiditySeconds", get(s, lv, "attestValiditySeconds()(uint256)", NULL));
        json_object_set_new(l, "maxBlockNumberDiff", get(s, lv, "maxBlockNumberDiff()(uint256)", NULL));
        json_object_set_new(l, "quorumPolicyRequired", get(s, lv, "quorumPolicyRequired()(bool)", NULL));
        json_object_set_new(o, "liveness", l);
    } else {
        json_object_set_new(o, "liveness", json_null());
    }
    if (have_av) {
        const uint8_t *x = avaddr.bytes;
        json_t *t = json_object();
        json_object_set_new(t, "dcapAttestation", get(s, x, "dcapAttestation()(address)", NULL));
        json_object_set_new(t, "allowListEnforced", get(s, x, "allowListEnforced()(bool)", NULL));
        json_object_set_new(t, "acceptedTcbStatuses", get(s, x, "acceptedTcbStatuses()(uint256)", NULL));
        json_object_set_new(t, "mrEnclaves", allowed_set(s, x, "MrEnclaveSet(bytes32,bool)", 0,
                                                         "allowedMrEnclave(bytes32)(bool)", -1));
        json_object_set_new(t, "mrSigners", allowed_set(s, x, "MrSignerSet(bytes32,bool)", 0,
                                                        "allowedMrSigner(bytes32)(bool)", -1));
        json_object_set_new(t, "mrTds", mrtds_json(s, x));
        json_object_set_new(o, "attestation", t);
    } else {
        json_object_set_new(o, "attestation", json_null());
    }
    json_object_set_new(o, "errors", json_incref(s->errors));
    return o;
}

/* The text form: the JSON tree as indented "key: value" lines. */
static void print_tree(const char *key, json_t *v, int depth) {
    if (depth > 0) printf("%*s", 2 * depth, "");
    if (key) printf("%s:", key);
    if (json_is_object(v)) {
        if (key) printf("\n");
        const char *k;
        json_t *x;
        json_object_foreach(v, k, x) print_tree(k, x, depth + 1);
        return;
    }
    if (json_is_array(v)) {
        bool scalars = true;
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) scalars = scalars && !json_is_object(x) && !json_is_array(x);
        if (scalars) {
            char *t = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
            printf(" %s\n", t ? t : "");
            free(t);
            return;
        }
        printf("\n");
        json_array_foreach(v, i, x) {
            char idx[32];
            snprintf(idx, sizeof idx, "- [%zu]", i);
            print_tree(idx, x, depth + 1);
        }
        return;
    }
    char *t = json_dumps(v, JSON_ENCODE_ANY);
    if (json_is_string(v)) printf(" %s\n", json_string_value(v));
    else printf(" %s\n", t ? t : "");
    free(t);
}

int cmd_avs_status(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) return cli_help(STATUS_HELP);
    cli_args a;
    if (!cli_args_init(&a, argc, argv)) return 2;
    net_cfg n;
    int rc = net_parse(&a, &n, "avs status");
    if (rc) return rc;
    bool json = cli_flag(&a, "json");
    st_ctx s = {0};
    const char *fb = cli_opt(&a, "from-block");
    if (fb) {
        char *end;
        s.from_block = strtoull(fb, &end, 10);
        if (!*fb || *end || *fb == '-') return cli_usage_error("avs status: --from-block: expected a block number, got '%s'", fb);
    }
    char *pos[1];
    if (cli_positionals(&a, pos, 1) != 0) return cli_usage_error("avs status: takes no arguments");
    mpavs_contracts_ctx c;
    if ((rc = net_connect(&c, &n, NULL, NULL))) return rc;
    s.rpc = c.rpc;
    s.errors = json_array();
    mpavs_error e = {0};
    if (mpavs_rpc_block_number(c.rpc, &s.block, &e)) {
        rc = cli_error("avs status: %s: %s", n.rpc_url, e.message);
        mpavs_error_clear(&e);
    } else {
        mpavs_rpc_tag_number(s.tag, s.block);
        json_t *o = status_json(&s, &n);
        if (json) {
            char *t = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
            if (t) puts(t);
            free(t);
        } else {
            print_tree(NULL, o, -1);
        }
        if (json_array_size(s.errors)) fprintf(stderr, "mpavs: avs status: %zu read(s) failed (see \"errors\")\n", json_array_size(s.errors));
        json_decref(o);
    }
    json_decref(s.errors);
    net_close(&c);
    return rc;
}
