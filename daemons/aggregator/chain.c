/* daemons/aggregator/chain.c — RPC pools, contract calls, the BLS key index, the liveness cache. */
#include "aggregator/daemon.h"

#include "common/log.h"
#include "mpavs/abi.h"
#include "mpavs/bls.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

uint64_t agg_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void agg_bump(uint64_t *c, uint64_t by) { __atomic_add_fetch(c, by, __ATOMIC_RELAXED); }

void agg_pool_init(agg_pool *p, const char *url, long timeout_ms) {
    memset(p, 0, sizeof *p);
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    snprintf(p->url, sizeof p->url, "%s", url);
    p->timeout_ms = timeout_ms;
}

mpavs_rpc *agg_pool_get(agg_pool *p) {
    pthread_mutex_lock(&p->mu);
    mpavs_rpc *c = NULL;
    for (;;) {
        if (p->nfree) {
            c = p->free_list[--p->nfree];
            break;
        }
        if (p->created < AGG_POOL_MAX) {
            mpavs_rpc_options o = {.timeout_ms = p->timeout_ms, .max_retries = 2, .backoff_ms = 100};
            c = mpavs_rpc_create(p->url, &o);
            if (c) p->created++;
            break;
        }
        pthread_cond_wait(&p->cv, &p->mu);
    }
    pthread_mutex_unlock(&p->mu);
    return c;
}

void agg_pool_put(agg_pool *p, mpavs_rpc *c) {
    if (!c) return;
    pthread_mutex_lock(&p->mu);
    p->free_list[p->nfree++] = c;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

void agg_pool_destroy(agg_pool *p) {
    for (size_t i = 0; i < p->nfree; i++) mpavs_rpc_destroy(p->free_list[i]);
    p->nfree = 0;
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
}

static const char *const CALL_SIG_TEXT[AGG_NSIGS] = {
    [AGG_SIG_COMMITTEES] = "committees(uint256)(uint256,string,bytes,bytes)",
    [AGG_SIG_BLS_APK_REGISTRY] = "blsApkRegistry()(address)",
    [AGG_SIG_STAKE_REGISTRY] = "stakeRegistry()(address)",
    [AGG_SIG_ATTEST_VALIDITY] = "attestValiditySeconds()(uint256)",
    [AGG_SIG_ATTESTED_PROVERS] = "attestedProvers(bytes32)((bytes32,bytes32),uint256)",
    [AGG_SIG_ATTESTED_PROVER_ADDR] = "attestedProverAddr(bytes32)(address)",
};

/* Parsed once (pthread_once) and kept for the life of the process; read-only afterwards. */
static mpavs_abi_signature *call_sigs[AGG_NSIGS];
static bool call_sigs_ok;
static pthread_once_t call_sigs_once = PTHREAD_ONCE_INIT;

static void parse_call_sigs(void) {
    for (size_t i = 0; i < AGG_NSIGS; i++)
        if (mpavs_abi_signature_parse(&call_sigs[i], CALL_SIG_TEXT[i]) || !call_sigs[i]->outputs) return;
    call_sigs_ok = true;
}

int agg_call(mpavs_rpc *rpc, mpavs_abi_value **ret, mpavs_error *err, const mpavs_address *to, agg_sig sig,
             const uint8_t *args, size_t len, const char *tag) {
    *ret = NULL;
    pthread_once(&call_sigs_once, parse_call_sigs);
    if (!call_sigs_ok || (unsigned)sig >= AGG_NSIGS) {
        snprintf(err->message, sizeof err->message, "cannot parse the call signatures (out of memory?)");
        return -1;
    }
    const mpavs_abi_signature *s = call_sigs[sig];
    uint8_t *data = malloc(4 + len);
    if (!data) return MPAVS_RPC_ERR_NOMEM;
    mpavs_abi_signature_selector(data, s);
    if (len) memcpy(data + 4, args, len);
    mpavs_rpc_callmsg m = {.to = to->bytes, .data = data, .data_len = 4 + len};
    uint8_t *out = NULL;
    size_t olen = 0;
    int r = mpavs_rpc_eth_call(rpc, &out, &olen, err, &m, tag);
    free(data);
    if (r) return r;
    mpavs_abi_value *v = NULL;
    int dr = mpavs_abi_decode(&v, s->outputs, out, olen);
    free(out);
    if (dr) {
        snprintf(err->message, sizeof err->message, "%s: %s", s->canonical, mpavs_abi_strerror(dr));
        return -1;
    }
    *ret = v;
    return 0;
}

/* An address returned by a no-argument getter. */
static bool get_address(mpavs_rpc *rpc, mpavs_address *out, const mpavs_address *to, agg_sig sig, char *err,
                        size_t cap) {
    mpavs_abi_value *v;
    mpavs_error e = {0};
    int r = agg_call(rpc, &v, &e, to, sig, NULL, 0, NULL);
    if (r) {
        snprintf(err, cap, "%s: %s", CALL_SIG_TEXT[sig], e.message);
        mpavs_error_clear(&e);
        return false;
    }
    memcpy(out->bytes, v->items[0].fixed, 20);
    mpavs_abi_value_free(v);
    return true;
}

static void word_u64(uint8_t w[32], uint64_t x) {
    memset(w, 0, 32);
    for (int i = 0; i < 8; i++) w[31 - i] = (uint8_t)(x >> (8 * i));
}

/* committees(type).teeQuorumNumbers into d (d->mu not held). */
static bool read_committee(agg_daemon *d, mpavs_rpc *rpc, int type, char *err, size_t cap) {
    uint8_t arg[32];
    word_u64(arg, (uint64_t)type);
    mpavs_abi_value *v;
    mpavs_error e = {0};
    int r = agg_call(rpc, &v, &e, &d->cfg.service_manager, AGG_SIG_COMMITTEES, arg, 32, NULL);
    if (r) {
        snprintf(err, cap, "committees(%d): %s", type, e.message);
        mpavs_error_clear(&e);
        return false;
    }
    const mpavs_abi_value *q = &v->items[3];
    size_t n = q->len < MPAVS_AGG_MAX_QUORUMS ? q->len : MPAVS_AGG_MAX_QUORUMS;
    pthread_mutex_lock(&d->mu);
    memcpy(d->committee_quorums[type], q->data, n);
    d->ncommittee_quorums[type] = n;
    d->committee_checked_ms[type] = agg_now_ms();
    pthread_mutex_unlock(&d->mu);
    mpavs_abi_value_free(v);
    return true;
}

bool agg_chain_init(agg_daemon *d, char *err, size_t cap) {
    mpavs_rpc *rpc = agg_pool_get(&d->avs);
    if (!rpc) {
        snprintf(err, cap, "EthHttpEndpoint: unusable URL %s", d->cfg.eth_url);
        return false;
    }
    mpavs_error e = {0};
    bool ok = true;
    if (mpavs_rpc_chain_id(rpc, &d->avs_chain_id, &e)) {
        snprintf(err, cap, "EthHttpEndpoint %s: eth_chainId: %s", d->cfg.eth_url, e.message);
        ok = false;
    }
    ok = ok && get_address(rpc, &d->bls_apk_registry, &d->cfg.registry_coordinator, AGG_SIG_BLS_APK_REGISTRY, err,
                           cap);
    ok = ok && get_address(rpc, &d->stake_registry, &d->cfg.registry_coordinator, AGG_SIG_STAKE_REGISTRY, err,
                           cap);
    for (size_t i = 0; ok && i < mpavs_taskkind_count(); i++) ok = read_committee(d, rpc, (int)mpavs_taskkind_at(i)->id, err, cap);
    mpavs_error_clear(&e);
    agg_pool_put(&d->avs, rpc);
    return ok;
}

static bool rpc_committee_quorums(agg_daemon *d, int type, uint8_t *quorums, size_t *nq, char *err, size_t cap) {
    mpavs_rpc *rpc = agg_pool_get(&d->avs);
    if (!rpc) {
        snprintf(err, cap, "no RPC client");
        return false;
    }
    bool ok = read_committee(d, rpc, type, err, cap);
    agg_pool_put(&d->avs, rpc);
    if (ok) {
        pthread_mutex_lock(&d->mu);
        *nq = d->ncommittee_quorums[type];
        memcpy(quorums, d->committee_quorums[type], *nq);
        pthread_mutex_unlock(&d->mu);
    }
    return ok;
}

bool agg_committee_quorums(agg_daemon *d, int type, uint8_t *quorums, size_t *nq) {
    if (type < 1 || !mpavs_taskkind_get((uint64_t)type)) return false;
    pthread_mutex_lock(&d->mu);
    bool stale = agg_now_ms() - d->committee_checked_ms[type] > 60000;
    pthread_mutex_unlock(&d->mu);
    if (stale) {
        const agg_chain_ops *ch = d->chain ? d->chain : &agg_chain_rpc;
        uint8_t q[MPAVS_AGG_MAX_QUORUMS];
        size_t n = 0;
        char e[256];
        if (ch->committee_quorums(d, type, q, &n, e, sizeof e)) {
            pthread_mutex_lock(&d->mu);
            n = n < MPAVS_AGG_MAX_QUORUMS ? n : MPAVS_AGG_MAX_QUORUMS;
            memcpy(d->committee_quorums[type], q, n);
            d->ncommittee_quorums[type] = n;
            d->committee_checked_ms[type] = agg_now_ms();
            pthread_mutex_unlock(&d->mu);
        } else {
            dlog(DLOG_WARN, "committee_refresh", "error=%s", DLOG_Q(e));
        }
    }
    pthread_mutex_lock(&d->mu);
    *nq = d->ncommittee_quorums[type];
    memcpy(quorums, d->committee_quorums[type], *nq);
    pthread_mutex_unlock(&d->mu);
    return *nq > 0;
}

bool agg_keys_refresh(agg_daemon *d) {
    mpavs_rpc *rpc = agg_pool_get(&d->avs);
    if (!rpc) return false;
    mpavs_error e = {0};
    uint64_t head = 0;
    bool ok = mpavs_rpc_block_number(rpc, &head, &e) == MPAVS_RPC_OK;
    pthread_mutex_lock(&d->keys_mu);
    uint64_t from = d->keys_scanned_to ? d->keys_scanned_to + 1 : d->cfg.scan_start_block;
    pthread_mutex_unlock(&d->keys_mu);
    mpavs_registry_pubkey *found = NULL;
    size_t nfound = 0;
    if (ok && from <= head) {
        int r = mpavs_registry_scan_pubkeys(rpc, &found, &nfound, &e, d->bls_apk_registry.bytes, from, head, 5000);
        if (r) {
            dlog(DLOG_WARN, "pubkey_scan_failed", "from=%llu to=%llu error=\"%s: %s\"", (unsigned long long)from,
                 (unsigned long long)head, mpavs_registry_strerror(r), e.message);
            ok = false;
        }
    }
    if (ok && from <= head) {
        if (!agg_store_pubkeys_save(d->store, found, nfound, head)) ok = false;
    }
    if (ok) {
        pthread_mutex_lock(&d->keys_mu);
        if (nfound) {
            mpavs_registry_pubkey *k = realloc(d->keys, (d->nkeys + nfound) * sizeof *k);
            if (k) {
                memcpy(k + d->nkeys, found, nfound * sizeof *k);
                d->keys = k;
                d->nkeys += nfound;
            } else {
                ok = false;
            }
        }
        if (ok && head > d->keys_scanned_to) d->keys_scanned_to = head;
        d->keys_refreshed_ms = agg_now_ms();
        pthread_mutex_unlock(&d->keys_mu);
        if (nfound)
            dlog(DLOG_INFO, "pubkeys_indexed", "new=%zu total=%zu scanned_to=%llu", nfound, d->nkeys,
                 (unsigned long long)head);
    }
    free(found);
    mpavs_error_clear(&e);
    agg_pool_put(&d->avs, rpc);
    return ok;
}

size_t agg_keys_join(agg_daemon *d, mpavs_agg_operator *ops, const mpavs_registry_operator *st, size_t n) {
    size_t missing = 0;
    pthread_mutex_lock(&d->keys_mu);
    int r = mpavs_registry_join(ops, &missing, st, n, d->keys, d->nkeys);
    pthread_mutex_unlock(&d->keys_mu);
    return r ? missing + 1 : 0;
}

static bool rpc_operator_state(agg_daemon *d, uint64_t block, const uint8_t *quorums, size_t nq,
                               mpavs_agg_operator **out, size_t *nout, char *err, size_t cap) {
    *out = NULL;
    *nout = 0;
    mpavs_rpc *rpc = agg_pool_get(&d->avs);
    if (!rpc) {
        snprintf(err, cap, "no RPC client");
        return false;
    }
    mpavs_registry_operator *st = NULL;
    size_t n = 0;
    mpavs_error e = {0};
    int r = mpavs_registry_operator_state(rpc, &st, &n, &e, d->cfg.operator_state_retriever.bytes,
                                          d->cfg.registry_coordinator.bytes, quorums, nq, (uint32_t)block);
    agg_pool_put(&d->avs, rpc);
    if (r) {
        snprintf(err, cap, "operator state at block %llu: %s (%.160s)", (unsigned long long)block,
                 mpavs_registry_strerror(r), e.message);
        mpavs_error_clear(&e);
        return false;
    }
    mpavs_agg_operator *ops = calloc(n ? n : 1, sizeof *ops);
    bool ok = ops != NULL;
    if (!ok) snprintf(err, cap, "out of memory");
    if (ok && agg_keys_join(d, ops, st, n)) {
        agg_keys_refresh(d);
        size_t miss = agg_keys_join(d, ops, st, n);
        if (miss) {
            snprintf(err, cap, "operator %zu of the state has no registered BLS key", miss - 1);
            ok = false;
        }
    }
    free(st);
    if (!ok) {
        free(ops);
        return false;
    }
    *out = ops;
    *nout = n;
    return true;
}

/* The cache entry of an operator (live_mu held); created empty when absent. */
static agg_live *live_entry(agg_daemon *d, const uint8_t id[32]) {
    for (size_t i = 0; i < d->nlive; i++)
        if (!memcmp(d->live[i].operator_id, id, 32)) return &d->live[i];
    if (d->nlive == d->live_cap) {
        size_t cap = d->live_cap ? 2 * d->live_cap : 64;
        agg_live *l = realloc(d->live, cap * sizeof *l);
        if (!l) return NULL;
        d->live = l;
        d->live_cap = cap;
    }
    agg_live *e = &d->live[d->nlive++];
    memset(e, 0, sizeof *e);
    memcpy(e->operator_id, id, 32);
    return e;
}

static uint64_t u256_low64(const mpavs_u256 *w) { return w->w[1] || w->w[2] || w->w[3] ? UINT64_MAX : w->w[0]; }

/* Attestation layer li's proof for the key over RPC (attestValiditySeconds re-read every 60 s). */
static bool rpc_read_layer(agg_daemon *d, size_t li, const uint8_t id[32], mpavs_address *prover, uint64_t *time_s,
                           uint64_t *validity_s) {
    mpavs_rpc *rpc = agg_pool_get(&d->layers[li]);
    if (!rpc) return false;
    mpavs_error e = {0};
    mpavs_abi_value *v = NULL;
    const mpavs_address *to = &d->cfg.layers[li].address;
    bool ok = true;
    uint64_t now = agg_now_ms();
    *time_s = 0;
    if (now - __atomic_load_n(&d->validity_checked_ms[li], __ATOMIC_RELAXED) > 60000) {
        if (agg_call(rpc, &v, &e, to, AGG_SIG_ATTEST_VALIDITY, NULL, 0, NULL) == 0) {
            __atomic_store_n(&d->validity_s[li], u256_low64(&v->items[0].word), __ATOMIC_RELAXED);
            __atomic_store_n(&d->validity_checked_ms[li], now, __ATOMIC_RELAXED);
        } else {
            ok = false;
        }
        mpavs_abi_value_free(v);
        v = NULL;
    }
    if (ok && agg_call(rpc, &v, &e, to, AGG_SIG_ATTESTED_PROVERS, id, 32, NULL) == 0)
        *time_s = u256_low64(&v->items[1].word);
    else
        ok = false;
    mpavs_abi_value_free(v);
    v = NULL;
    if (ok && agg_call(rpc, &v, &e, to, AGG_SIG_ATTESTED_PROVER_ADDR, id, 32, NULL) == 0)
        memcpy(prover->bytes, v->items[0].fixed, 20);
    else
        ok = false;
    mpavs_abi_value_free(v);
    if (!ok) dlog(DLOG_WARN, "liveness_read_failed", "layer=%zu error=%s", li, DLOG_Q(e.message));
    *validity_s = __atomic_load_n(&d->validity_s[li], __ATOMIC_RELAXED);
    mpavs_error_clear(&e);
    agg_pool_put(&d->layers[li], rpc);
    return ok;
}

/* Read one layer's proof for the key through d->chain into (*prover, *valid_until). */
static bool read_layer(agg_daemon *d, size_t li, const uint8_t id[32], mpavs_address *prover, uint64_t *valid_until) {
    const agg_chain_ops *ch = d->chain ? d->chain : &agg_chain_rpc;
    uint64_t time_s = 0, vs = 0;
    bool ok = ch->read_layer(d, li, id, prover, &time_s, &vs);
    *valid_until = ok && time_s ? (time_s + vs < time_s ? UINT64_MAX : time_s + vs) : 0;
    return ok;
}

static bool rpc_layer_time(agg_daemon *d, size_t li, uint64_t *unix_s) {
    mpavs_rpc *rpc = agg_pool_get(&d->layers[li]);
    if (!rpc) return false;
    mpavs_rpc_block blk;
    bool found = false;
    mpavs_error e = {0};
    bool ok = mpavs_rpc_get_block_by_number(rpc, &blk, &found, &e, "latest") == MPAVS_RPC_OK && found;
    if (ok) {
        *unix_s = blk.timestamp;
        mpavs_rpc_block_clear(&blk);
    }
    mpavs_error_clear(&e);
    agg_pool_put(&d->layers[li], rpc);
    return ok;
}

const agg_chain_ops agg_chain_rpc = {.committee_quorums = rpc_committee_quorums,
                                     .operator_state = rpc_operator_state,
                                     .read_layer = rpc_read_layer,
                                     .layer_time = rpc_layer_time};

/* Liveness is judged by block.timestamp: follow each layer's clock (re-read every 5 s), not ours. */
static void layer_clocks(agg_daemon *d, uint64_t now_ms, uint64_t max_age_ms) {
    for (size_t li = 0; li < d->cfg.nlayers; li++) {
        uint64_t last = __atomic_load_n(&d->layer_clock_checked_ms[li], __ATOMIC_RELAXED);
        if (now_ms - last < max_age_ms) continue;
        if (!__atomic_compare_exchange_n(&d->layer_clock_checked_ms[li], &last, now_ms, false, __ATOMIC_RELAXED,
                                         __ATOMIC_RELAXED))
            continue; /* another thread refreshes it */
        const agg_chain_ops *ch = d->chain ? d->chain : &agg_chain_rpc;
        uint64_t ts = 0;
        if (ch->layer_time(d, li, &ts))
            __atomic_store_n(&d->layer_clock_offset_s[li], (int64_t)ts - (int64_t)(now_ms / 1000), __ATOMIC_RELAXED);
    }
}

bool agg_liveness(agg_daemon *d, bool *live, bool *match, const uint8_t operator_id[32], const uint8_t pk_x[32],
                  const uint8_t pk_y[32], const mpavs_address *prover) {
    (void)pk_x;
    (void)pk_y; /* the verifier's key is keccak256(x ‖ y) = the operator id */
    *live = *match = false;
    uint64_t now_ms = agg_now_ms();
    layer_clocks(d, now_ms, 5000);
    uint64_t chain_now[AGG_MAX_LAYERS];
    for (size_t i = 0; i < d->cfg.nlayers; i++)
        chain_now[i] = (uint64_t)((int64_t)(now_ms / 1000) +
                                  __atomic_load_n(&d->layer_clock_offset_s[i], __ATOMIC_RELAXED));
    pthread_mutex_lock(&d->live_mu);
    agg_live *e = live_entry(d, operator_id);
    bool fresh = false;
    if (e && e->checked_ms) {
        for (size_t i = 0; i < d->cfg.nlayers; i++) {
            if (e->valid_until[i] > chain_now[i]) {
                *live = true;
                if (!memcmp(e->prover[i].bytes, prover->bytes, 20)) *match = true;
            }
        }
        /* a cached match stands until expiry or until the loader's prefetch re-reads it (after
         * live_recheck_ms); a miss is re-read at most every 2 s, and always once when the loader's
         * prefetch read it (the proof may have been renewed since) */
        fresh = *match || (!e->prefetched && now_ms - e->checked_ms < 2000);
    }
    pthread_mutex_unlock(&d->live_mu);
    if (!e) return false;
    if (fresh) return true;
    agg_live got;
    memset(&got, 0, sizeof got);
    bool any = false;
    for (size_t i = 0; i < d->cfg.nlayers; i++)
        if (read_layer(d, i, operator_id, &got.prover[i], &got.valid_until[i])) any = true;
    if (!any) return false;
    *live = *match = false;
    pthread_mutex_lock(&d->live_mu);
    e = live_entry(d, operator_id);
    if (e) {
        memcpy(e->prover, got.prover, sizeof got.prover);
        memcpy(e->valid_until, got.valid_until, sizeof got.valid_until);
        e->checked_ms = now_ms;
        e->prefetched = false;
    }
    for (size_t i = 0; i < d->cfg.nlayers; i++)
        if (got.valid_until[i] > chain_now[i]) {
            *live = true;
            if (!memcmp(got.prover[i].bytes, prover->bytes, 20)) *match = true;
        }
    pthread_mutex_unlock(&d->live_mu);
    return true;
}

void agg_layer_clocks_refresh(agg_daemon *d) { layer_clocks(d, agg_now_ms(), 4000); }

size_t agg_liveness_prefetch(agg_daemon *d, const uint8_t (*ids)[32], size_t n) {
    size_t read = 0;
    for (size_t k = 0; k < n && !drt_stopped(&d->stop); k++) {
        uint64_t now_ms = agg_now_ms();
        uint64_t chain_now[AGG_MAX_LAYERS];
        for (size_t i = 0; i < d->cfg.nlayers; i++)
            chain_now[i] = (uint64_t)((int64_t)(now_ms / 1000) +
                                      __atomic_load_n(&d->layer_clock_offset_s[i], __ATOMIC_RELAXED));
        bool need = true;
        pthread_mutex_lock(&d->live_mu);
        agg_live *e = live_entry(d, ids[k]);
        if (e && e->checked_ms) {
            for (size_t i = 0; i < d->cfg.nlayers && need; i++) need = e->valid_until[i] <= chain_now[i];
            /* a valid cached proof is re-read once it is live_recheck_ms old: it may have been voided on
             * chain (policy revocation) before its expiry */
            if (!need && now_ms - e->checked_ms >= __atomic_load_n(&d->live_recheck_ms, __ATOMIC_RELAXED)) need = true;
        }
        pthread_mutex_unlock(&d->live_mu);
        if (!e || !need) continue; /* a recent valid proof is cached: admission needs no read */
        agg_live got;
        memset(&got, 0, sizeof got);
        bool any = false;
        for (size_t i = 0; i < d->cfg.nlayers; i++)
            if (read_layer(d, i, ids[k], &got.prover[i], &got.valid_until[i])) any = true;
        if (!any) break; /* no layer answers: admission reads what it needs */
        read++;
        pthread_mutex_lock(&d->live_mu);
        e = live_entry(d, ids[k]);
        if (e) {
            memcpy(e->prover, got.prover, sizeof got.prover);
            memcpy(e->valid_until, got.valid_until, sizeof got.valid_until);
            e->checked_ms = now_ms;
            e->prefetched = true;
        }
        pthread_mutex_unlock(&d->live_mu);
    }
    return read;
}
