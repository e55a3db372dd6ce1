/* src/evm/memstate.c — a whole state in memory: source, sink and state root (secure tries). */
#include "evm/map.h"
#include "evm/state.h"

#include "mpavs/keccak.h"
#include "mpavs/rlp.h"
#include "mpavs/trie.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    uint64_t nonce;
    mpavs_u256 balance;
    uint8_t *code;
    size_t code_len;
    uint8_t code_hash[32];
    evm_map storage; /* 32-byte key -> 32-byte value (nonzero) */
} ms_account;

struct mpavs_evm_memstate {
    evm_map accounts; /* 20-byte address -> ms_account * */
    evm_map codes;    /* 32-byte code hash -> ms_account * holding that code */
};

mpavs_evm_memstate *mpavs_evm_memstate_create(void) {
    mpavs_evm_memstate *ms = calloc(1, sizeof *ms);
    if (!ms) return NULL;
    evm_map_init(&ms->accounts, 20, sizeof(ms_account *));
    evm_map_init(&ms->codes, 32, sizeof(ms_account *));
    return ms;
}

static void free_account(ms_account *a) {
    if (!a) return;
    free(a->code);
    evm_map_free(&a->storage);
    free(a);
}

void mpavs_evm_memstate_destroy(mpavs_evm_memstate *ms) {
    if (!ms) return;
    size_t pos = 0;
    const uint8_t *k;
    void *v;
    while (evm_map_next(&ms->accounts, &pos, &k, &v)) free_account(*(ms_account **)v);
    evm_map_free(&ms->accounts);
    evm_map_free(&ms->codes);
    free(ms);
}

static ms_account *get(const mpavs_evm_memstate *ms, const uint8_t addr[20]) {
    ms_account **p = evm_map_get(&ms->accounts, addr);
    return p ? *p : NULL;
}

static int put_account(mpavs_evm_memstate *ms, const uint8_t addr[20], uint64_t nonce, const mpavs_u256 *balance,
                       const uint8_t *code, size_t code_len, bool keep_code, bool clear_storage) {
    ms_account **p = evm_map_put(&ms->accounts, addr, NULL);
    if (!p) return MPAVS_EVM_ERR_NOMEM;
    if (!*p) {
        *p = calloc(1, sizeof **p);
        if (!*p) return MPAVS_EVM_ERR_NOMEM;
        evm_map_init(&(*p)->storage, 32, 32);
        memcpy((*p)->code_hash, EVM_EMPTY_CODE_HASH, 32);
    }
    ms_account *a = *p;
    a->nonce = nonce;
    a->balance = *balance;
    if (clear_storage) evm_map_free(&a->storage);
    if (!keep_code) {
        uint8_t *copy = NULL;
        if (code_len) {
            copy = malloc(code_len);
            if (!copy) return MPAVS_EVM_ERR_NOMEM;
            memcpy(copy, code, code_len);
        }
        /* the old buffer may still be read by a state over this source: keep it reachable */
        free(a->code);
        a->code = copy;
        a->code_len = code_len;
        mpavs_keccak256(a->code_hash, copy ? copy : (const uint8_t *)"", code_len);
        if (code_len) {
            ms_account **c = evm_map_put(&ms->codes, a->code_hash, NULL);
            if (!c) return MPAVS_EVM_ERR_NOMEM;
            *c = a;
        }
    }
    return MPAVS_EVM_OK;
}

int mpavs_evm_memstate_set_account(mpavs_evm_memstate *ms, const uint8_t addr[20], uint64_t nonce,
                                   const mpavs_u256 *balance, const uint8_t *code, size_t code_len) {
    return put_account(ms, addr, nonce, balance, code, code_len, false, false);
}

int mpavs_evm_memstate_set_storage(mpavs_evm_memstate *ms, const uint8_t addr[20], const uint8_t key[32],
                                   const uint8_t value[32]) {
    ms_account *a = get(ms, addr);
    if (!a) return MPAVS_EVM_ERR_SOURCE;
    static const uint8_t zero[32] = {0};
    if (!memcmp(value, zero, 32)) {
        uint8_t *v = evm_map_get(&a->storage, key);
        if (v) memset(v, 0, 32); /* zero entries are skipped by the root */
        return MPAVS_EVM_OK;
    }
    uint8_t *v = evm_map_put(&a->storage, key, NULL);
    if (!v) return MPAVS_EVM_ERR_NOMEM;
    memcpy(v, value, 32);
    return MPAVS_EVM_OK;
}

static int storage_root(uint8_t root[32], const ms_account *a) {
    mpavs_trie *t = mpavs_trie_create(MPAVS_TRIE_SECURE);
    if (!t) return MPAVS_EVM_ERR_NOMEM;
    int r = MPAVS_EVM_OK;
    size_t pos = 0;
    const uint8_t *k;
    void *v;
    while (evm_map_next(&a->storage, &pos, &k, &v)) {
        const uint8_t *val = v;
        size_t i = 0;
        while (i < 32 && !val[i]) i++;
        if (i == 32) continue;
        uint8_t enc[33];
        mpavs_rlp_writer w;
        size_t len;
        mpavs_rlp_writer_init(&w, enc, sizeof enc);
        mpavs_rlp_put_bytes(&w, val + i, 32 - i);
        if (mpavs_rlp_writer_finish(&w, &len) != MPAVS_RLP_OK || mpavs_trie_put(t, k, 32, enc, len) != MPAVS_TRIE_OK) {
            r = MPAVS_EVM_ERR_NOMEM;
            goto out;
        }
    }
    if (mpavs_trie_root(t, root) != MPAVS_TRIE_OK) r = MPAVS_EVM_ERR_NOMEM;
out:
    mpavs_trie_destroy(t);
    return r;
}

int mpavs_evm_memstate_root(uint8_t root[32], const mpavs_evm_memstate *ms) {
    mpavs_trie *t = mpavs_trie_create(MPAVS_TRIE_SECURE);
    if (!t) return MPAVS_EVM_ERR_NOMEM;
    int r = MPAVS_EVM_OK;
    size_t pos = 0;
    const uint8_t *k;
    void *v;
    while (evm_map_next(&ms->accounts, &pos, &k, &v)) {
        const ms_account *a = *(ms_account **)v;
        mpavs_trie_account ta;
        ta.nonce = a->nonce;
        ta.balance = a->balance;
        memcpy(ta.code_hash, a->code_hash, 32);
        if ((r = storage_root(ta.storage_root, a))) goto out;
        uint8_t enc[MPAVS_TRIE_ACCOUNT_MAX];
        size_t len = mpavs_trie_account_encode(enc, &ta);
        if (mpavs_trie_put(t, k, 20, enc, len) != MPAVS_TRIE_OK) {
            r = MPAVS_EVM_ERR_NOMEM;
            goto out;
        }
    }
    if (mpavs_trie_root(t, root) != MPAVS_TRIE_OK) r = MPAVS_EVM_ERR_NOMEM;
out:
    mpavs_trie_destroy(t);
    return r;
}

/* ---- source ------------------------------------------------------------------------------- */

static int src_account(void *ctx, mpavs_evm_account *acct, bool *exists, const uint8_t addr[20]) {
    const ms_account *a = get(ctx, addr);
    *exists = a != NULL;
    if (!a) return 0;
    acct->nonce = a->nonce;
    acct->balance = a->balance;
    memcpy(acct->code_hash, a->code_hash, 32);
    /* only "empty or not" matters to the engine: a non-empty marker avoids hashing the storage */
    bool any = false;
    size_t pos = 0;
    const uint8_t *k;
    void *v;
    static const uint8_t zero[32] = {0};
    while (!any && evm_map_next(&a->storage, &pos, &k, &v)) any = memcmp(v, zero, 32) != 0;
    if (any)
        memset(acct->storage_root, 0xff, 32);
    else
        memcpy(acct->storage_root, EVM_EMPTY_TRIE_ROOT, 32);
    return 0;
}

static int src_storage(void *ctx, uint8_t value[32], const uint8_t addr[20], const uint8_t key[32]) {
    const ms_account *a = get(ctx, addr);
    const uint8_t *v = a ? evm_map_get(&a->storage, key) : NULL;
    if (v)
        memcpy(value, v, 32);
    else
        memset(value, 0, 32);
    return 0;
}

static int src_code(void *ctx, const uint8_t **code, size_t *len, const uint8_t hash[32]) {
    const mpavs_evm_memstate *ms = ctx;
    ms_account **p = evm_map_get(&ms->codes, hash);
    if (!p || memcmp((*p)->code_hash, hash, 32)) return 1;
    *code = (*p)->code;
    *len = (*p)->code_len;
    return 0;
}

void mpavs_evm_memstate_source(mpavs_evm_source *src, mpavs_evm_memstate *ms) {
    src->ctx = ms;
    src->account = src_account;
    src->storage = src_storage;
    src->code = src_code;
}

/* ---- sink --------------------------------------------------------------------------------- */

static int sink_account(void *ctx, const uint8_t addr[20], const mpavs_evm_account *acct, const uint8_t *code,
                        size_t code_len, bool clear_storage) {
    mpavs_evm_memstate *ms = ctx;
    if (!acct) {
        ms_account **p = evm_map_get(&ms->accounts, addr);
        if (!p || !*p) return 0;
        /* maps have no removal: keep the entry but mark it absent by freeing and re-adding all others */
        evm_map nm;
        evm_map_init(&nm, 20, sizeof(ms_account *));
        size_t pos = 0;
        const uint8_t *k;
        void *v;
        ms_account *victim = *p;
        while (evm_map_next(&ms->accounts, &pos, &k, &v)) {
            ms_account *a = *(ms_account **)v;
            if (a == victim) continue;
            ms_account **d = evm_map_put(&nm, k, NULL);
            if (!d) {
                evm_map_free(&nm);
                return 1;
            }
            *d = a;
        }
        evm_map_free(&ms->accounts);
        ms->accounts = nm;
        /* its code may be shared by others: re-point the code index */
        if (victim->code_len) {
            ms_account **c = evm_map_get(&ms->codes, victim->code_hash);
            if (c && *c == victim) {
                *c = NULL;
                pos = 0;
                while (evm_map_next(&ms->accounts, &pos, &k, &v)) {
                    ms_account *a = *(ms_account **)v;
                    if (!memcmp(a->code_hash, victim->code_hash, 32)) {
                        *c = a;
                        break;
                    }
                }
                if (!*c) memset(c, 0, sizeof *c);
            }
        }
        free_account(victim);
        return 0;
    }
    ms_account *old = get(ms, addr);
    bool keep = old && !memcmp(old->code_hash, acct->code_hash, 32);
    if (!keep && !code && memcmp(acct->code_hash, EVM_EMPTY_CODE_HASH, 32)) {
        /* code unchanged but not loaded: find it by hash */
        const uint8_t *c;
        size_t l;
        if (src_code(ms, &c, &l, acct->code_hash)) return 1;
        return put_account(ms, addr, acct->nonce, &acct->balance, c, l, false, clear_storage) ? 1 : 0;
    }
    return put_account(ms, addr, acct->nonce, &acct->balance, code, code_len, keep, clear_storage) ? 1 : 0;
}

static int sink_storage(void *ctx, const uint8_t addr[20], const uint8_t key[32], const uint8_t value[32]) {
    return mpavs_evm_memstate_set_storage(ctx, addr, key, value) ? 1 : 0;
}

void mpavs_evm_memstate_sink(mpavs_evm_sink *sink, mpavs_evm_memstate *ms) {
    sink->ctx = ms;
    sink->account = sink_account;
    sink->storage = sink_storage;
}

int mpavs_evm_logs_hash(uint8_t hash[32], const mpavs_evm_log *logs, size_t n) {
    size_t cap = 16;
    for (size_t i = 0; i < n; i++) cap += 64 + 4 * 33 + logs[i].data_len + 16;
    uint8_t *buf = malloc(cap);
    if (!buf) return MPAVS_EVM_ERR_NOMEM;
    mpavs_rlp_writer w;
    size_t outer, mark, tm, len;
    mpavs_rlp_writer_init(&w, buf, cap);
    mpavs_rlp_list_begin(&w, &outer);
    for (size_t i = 0; i < n; i++) {
        mpavs_rlp_list_begin(&w, &mark);
        mpavs_rlp_put_bytes(&w, logs[i].address, 20);
        mpavs_rlp_list_begin(&w, &tm);
        for (unsigned t = 0; t < logs[i].n_topics; t++) mpavs_rlp_put_bytes(&w, logs[i].topics[t], 32);
        mpavs_rlp_list_end(&w, tm);
        mpavs_rlp_put_bytes(&w, logs[i].data, logs[i].data_len);
        mpavs_rlp_list_end(&w, mark);
    }
    mpavs_rlp_list_end(&w, outer);
    int r = mpavs_rlp_writer_finish(&w, &len) == MPAVS_RLP_OK ? MPAVS_EVM_OK : MPAVS_EVM_ERR_NOMEM;
    if (!r) mpavs_keccak256(hash, buf, len);
    free(buf);
    return r;
}
