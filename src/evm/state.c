/* src/evm/state.c — the world state of one block: account cache, journal, transient storage. */
#include "evm/state.h"

#include "mpavs/keccak.h"

#include <stdlib.h>
#include <string.h>

const uint8_t EVM_EMPTY_CODE_HASH[32] = {0xc5, 0xd2, 0x46, 0x01, 0x86, 0xf7, 0x23, 0x3c, 0x92, 0x7e, 0x7d,
                                         0xb2, 0xdc, 0xc7, 0x03, 0xc0, 0xe5, 0x00, 0xb6, 0x53, 0xca, 0x82,
                                         0x27, 0x3b, 0x7b, 0xfa, 0xd8, 0x04, 0x5d, 0x85, 0xa4, 0x70};
const uint8_t EVM_EMPTY_TRIE_ROOT[32] = {0x56, 0xe8, 0x1f, 0x17, 0x1b, 0xcc, 0x55, 0xa6, 0xff, 0x83, 0x45,
                                         0xe6, 0x92, 0xc0, 0xf8, 0x6e, 0x5b, 0x48, 0xe0, 0x1b, 0x99, 0x6c,
                                         0xad, 0xc0, 0x01, 0x62, 0x2f, 0xb5, 0xe3, 0x63, 0xb4, 0x21};

enum { J_BALANCE, J_NONCE, J_CODE, J_EXISTS, J_STORAGE, J_TSTORE, J_WARM, J_WARM_SLOT, J_TOUCH, J_CREATED,
       J_DESTRUCT };

mpavs_evm_state *mpavs_evm_state_create(const mpavs_evm_source *src) {
    MPAVS_REQUIRE(src && src->account && src->storage && src->code);
    mpavs_evm_state *st = calloc(1, sizeof *st);
    if (!st) return NULL;
    st->src = *src;
    evm_map_init(&st->accounts, 20, sizeof(evm_account *));
    evm_map_init(&st->transient, 52, sizeof(mpavs_u256));
    return st;
}

static void free_logs(mpavs_evm_log *logs, size_t n) {
    for (size_t i = 0; i < n; i++) free(logs[i].data);
}

void mpavs_evm_state_destroy(mpavs_evm_state *st) {
    if (!st) return;
    size_t pos = 0;
    const uint8_t *k;
    void *v;
    while (evm_map_next(&st->accounts, &pos, &k, &v)) {
        evm_account *a = *(evm_account **)v;
        evm_map_free(&a->slots);
        free(a);
    }
    evm_map_free(&st->accounts);
    evm_map_free(&st->transient);
    free(st->journal);
    free_logs(st->logs, st->n_logs);
    free(st->logs);
    for (size_t i = 0; i < st->n_buffers; i++) free(st->buffers[i]);
    free(st->buffers);
    free(st);
}

evm_account *evm_state_account(mpavs_evm_state *st, const uint8_t addr[20]) {
    evm_account *a = evm_state_account_quiet(st, addr);
    if (a) a->accessed = true;
    return a;
}

evm_account *evm_state_account_quiet(mpavs_evm_state *st, const uint8_t addr[20]) {
    evm_account **slot = evm_map_get(&st->accounts, addr);
    if (slot) return *slot;
    evm_account *a = calloc(1, sizeof *a);
    if (!a) goto nomem;
    memcpy(a->addr, addr, 20);
    evm_map_init(&a->slots, 32, sizeof(evm_slot));
    mpavs_evm_account acct;
    bool exists = false;
    if (st->src.account(st->src.ctx, &acct, &exists, addr)) {
        free(a);
        st->err = MPAVS_EVM_ERR_SOURCE;
        return NULL;
    }
    if (exists) {
        a->exists = true;
        a->nonce = acct.nonce;
        a->balance = acct.balance;
        memcpy(a->code_hash, acct.code_hash, 32);
        memcpy(a->storage_root, acct.storage_root, 32);
    } else {
        memcpy(a->code_hash, EVM_EMPTY_CODE_HASH, 32);
        memcpy(a->storage_root, EVM_EMPTY_TRIE_ROOT, 32);
    }
    if (!memcmp(a->code_hash, EVM_EMPTY_CODE_HASH, 32)) a->code_loaded = true;
    slot = evm_map_put(&st->accounts, addr, NULL);
    if (!slot) {
        free(a);
        goto nomem;
    }
    *slot = a;
    return a;
nomem:
    st->err = MPAVS_EVM_ERR_NOMEM;
    return NULL;
}

bool evm_state_code(mpavs_evm_state *st, evm_account *a) {
    if (a->code_loaded) return true;
    const uint8_t *code = NULL;
    size_t len = 0;
    if (st->src.code(st->src.ctx, &code, &len, a->code_hash)) {
        st->err = MPAVS_EVM_ERR_SOURCE;
        return false;
    }
    a->code = code;
    a->code_len = len;
    a->code_loaded = true;
    return true;
}

evm_slot *evm_state_slot(mpavs_evm_state *st, evm_account *a, const uint8_t key[32]) {
    evm_slot *s = evm_map_get(&a->slots, key);
    if (s) return s;
    uint8_t val[32] = {0};
    if (!a->storage_cleared && memcmp(a->storage_root, EVM_EMPTY_TRIE_ROOT, 32) &&
        st->src.storage(st->src.ctx, val, a->addr, key)) {
        st->err = MPAVS_EVM_ERR_SOURCE;
        return NULL;
    }
    s = evm_map_put(&a->slots, key, NULL);
    if (!s) {
        st->err = MPAVS_EVM_ERR_NOMEM;
        return NULL;
    }
    s->cur = s->orig = mpavs_u256_from_be32(val);
    return s;
}

bool evm_account_alive(const evm_account *a) {
    return a->exists && (a->nonce || !mpavs_u256_is_zero(&a->balance) ||
                         memcmp(a->code_hash, EVM_EMPTY_CODE_HASH, 32));
}

bool evm_account_collides(mpavs_evm_state *st, evm_account *a) {
    (void)st;
    if (a->nonce || memcmp(a->code_hash, EVM_EMPTY_CODE_HASH, 32)) return true;
    if (!a->storage_cleared && memcmp(a->storage_root, EVM_EMPTY_TRIE_ROOT, 32)) return true;
    size_t pos = 0;
    const uint8_t *k;
    void *v;
    while (evm_map_next(&a->slots, &pos, &k, &v))
        if (!mpavs_u256_is_zero(&((evm_slot *)v)->cur)) return true;
    return false;
}

static evm_journal_entry *jpush(mpavs_evm_state *st, uint8_t kind, evm_account *a) {
    if (st->n_journal == st->cap_journal) {
        size_t ncap = st->cap_journal ? st->cap_journal * 2 : 256;
        evm_journal_entry *nj = realloc(st->journal, ncap * sizeof *nj);
        if (!nj) {
            st->err = MPAVS_EVM_ERR_NOMEM;
            return NULL;
        }
        st->journal = nj;
        st->cap_journal = ncap;
    }
    evm_journal_entry *e = &st->journal[st->n_journal++];
    e->kind = kind;
    e->a = a;
    return e;
}

bool evm_set_balance(mpavs_evm_state *st, evm_account *a, const mpavs_u256 *v) {
    evm_journal_entry *e = jpush(st, J_BALANCE, a);
    if (!e) return false;
    e->u = a->balance;
    a->balance = *v;
    a->dirty = true;
    return true;
}

bool evm_set_nonce(mpavs_evm_state *st, evm_account *a, uint64_t n) {
    evm_journal_entry *e = jpush(st, J_NONCE, a);
    if (!e) return false;
    e->n = a->nonce;
    a->nonce = n;
    a->dirty = true;
    return true;
}

bool evm_set_code(mpavs_evm_state *st, evm_account *a, const uint8_t *code, size_t len) {
    uint8_t *copy = NULL;
    if (len) {
        if (st->n_buffers == st->cap_buffers) {
            size_t ncap = st->cap_buffers ? st->cap_buffers * 2 : 16;
            uint8_t **nb = realloc(st->buffers, ncap * sizeof *nb);
            if (!nb) goto nomem;
            st->buffers = nb;
            st->cap_buffers = ncap;
        }
        copy = malloc(len);
        if (!copy) goto nomem;
        memcpy(copy, code, len);
        st->buffers[st->n_buffers++] = copy;
    }
    evm_journal_entry *e = jpush(st, J_CODE, a);
    if (!e) return false;
    e->code = a->code;
    e->len = a->code_len;
    e->flag = a->code_loaded;
    memcpy(e->hash, a->code_hash, 32);
    a->code = copy;
    a->code_len = len;
    a->code_loaded = true;
    mpavs_keccak256(a->code_hash, copy ? copy : (const uint8_t *)"", len);
    a->dirty = true;
    return true;
nomem:
    st->err = MPAVS_EVM_ERR_NOMEM;
    return false;
}

bool evm_set_exists(mpavs_evm_state *st, evm_account *a) {
    if (a->exists) return true;
    evm_journal_entry *e = jpush(st, J_EXISTS, a);
    if (!e) return false;
    a->exists = true;
    a->dirty = true;
    return true;
}

bool evm_set_storage(mpavs_evm_state *st, evm_account *a, const uint8_t key[32], const mpavs_u256 *v) {
    evm_slot *s = evm_state_slot(st, a, key);
    if (!s) return false;
    mpavs_u256 old = s->cur;
    evm_journal_entry *e = jpush(st, J_STORAGE, a);
    if (!e) return false;
    memcpy(e->key, key, 32);
    e->u = old;
    s = evm_map_get(&a->slots, key);
    s->cur = *v;
    s->dirty = true;
    s->writes++;
    a->dirty = true;
    return true;
}

bool evm_mark_warm(mpavs_evm_state *st, evm_account *a) {
    if (a->warm) return true;
    if (!jpush(st, J_WARM, a)) return false;
    a->warm = true;
    return true;
}

bool evm_mark_slot_warm(mpavs_evm_state *st, evm_account *a, const uint8_t key[32]) {
    evm_slot *s = evm_state_slot(st, a, key);
    if (!s) return false;
    if (s->warm) return true;
    evm_journal_entry *e = jpush(st, J_WARM_SLOT, a);
    if (!e) return false;
    memcpy(e->key, key, 32);
    s = evm_map_get(&a->slots, key);
    s->warm = true;
    return true;
}

#define MARK_FLAG(fn, field, kind)                                                                 \
    bool fn(mpavs_evm_state *st, evm_account *a) {                                                 \
        if (a->field) return true;                                                                 \
        if (!jpush(st, kind, a)) return false;                                                     \
        a->field = true;                                                                           \
        return true;                                                                               \
    }
MARK_FLAG(evm_mark_touched, touched, J_TOUCH)
MARK_FLAG(evm_mark_created, created, J_CREATED)
MARK_FLAG(evm_mark_destructed, destructed, J_DESTRUCT)

bool evm_tstore(mpavs_evm_state *st, const uint8_t addr[20], const uint8_t key[32], const mpavs_u256 *v) {
    uint8_t k[52];
    memcpy(k, addr, 20);
    memcpy(k + 20, key, 32);
    mpavs_u256 *slot = evm_map_put(&st->transient, k, NULL);
    if (!slot) {
        st->err = MPAVS_EVM_ERR_NOMEM;
        return false;
    }
    mpavs_u256 old = *slot;
    evm_journal_entry *e = jpush(st, J_TSTORE, NULL);
    if (!e) return false;
    memcpy(e->key, key, 32);
    memcpy(e->hash, addr, 20);
    e->u = old;
    *slot = *v;
    return true;
}

void evm_tload(mpavs_evm_state *st, mpavs_u256 *v, const uint8_t addr[20], const uint8_t key[32]) {
    uint8_t k[52];
    memcpy(k, addr, 20);
    memcpy(k + 20, key, 32);
    const mpavs_u256 *slot = evm_map_get(&st->transient, k);
    *v = slot ? *slot : mpavs_u256_from_u64(0);
}

bool evm_add_log(mpavs_evm_state *st, const uint8_t addr[20], const uint8_t (*topics)[32], unsigned n,
                 const uint8_t *data, size_t len) {
    if (st->n_logs == st->cap_logs) {
        size_t ncap = st->cap_logs ? st->cap_logs * 2 : 16;
        mpavs_evm_log *nl = realloc(st->logs, ncap * sizeof *nl);
        if (!nl) goto nomem;
        st->logs = nl;
        st->cap_logs = ncap;
    }
    mpavs_evm_log *l = &st->logs[st->n_logs];
    memset(l, 0, sizeof *l);
    memcpy(l->address, addr, 20);
    for (unsigned i = 0; i < n; i++) memcpy(l->topics[i], topics[i], 32);
    l->n_topics = (uint8_t)n;
    if (len) {
        l->data = malloc(len);
        if (!l->data) goto nomem;
        memcpy(l->data, data, len);
    }
    l->data_len = len;
    st->n_logs++;
    return true;
nomem:
    st->err = MPAVS_EVM_ERR_NOMEM;
    return false;
}

evm_snapshot evm_snapshot_take(const mpavs_evm_state *st) {
    evm_snapshot s = {st->n_journal, st->n_logs};
    return s;
}

void evm_snapshot_revert(mpavs_evm_state *st, evm_snapshot snap) {
    while (st->n_journal > snap.journal) {
        evm_journal_entry *e = &st->journal[--st->n_journal];
        evm_account *a = e->a;
        switch (e->kind) {
        case J_BALANCE: a->balance = e->u; break;
        case J_NONCE: a->nonce = e->n; break;
        case J_CODE:
            a->code = e->code;
            a->code_len = e->len;
            a->code_loaded = e->flag;
            memcpy(a->code_hash, e->hash, 32);
            break;
        case J_EXISTS: a->exists = false; break;
        case J_STORAGE: {
            evm_slot *s = evm_map_get(&a->slots, e->key);
            if (s) s->cur = e->u, s->writes--;
            break;
        }
        case J_TSTORE: {
            uint8_t k[52];
            memcpy(k, e->hash, 20);
            memcpy(k + 20, e->key, 32);
            mpavs_u256 *slot = evm_map_get(&st->transient, k);
            if (slot) *slot = e->u;
            break;
        }
        case J_WARM: a->warm = false; break;
        case J_WARM_SLOT: {
            evm_slot *s = evm_map_get(&a->slots, e->key);
            if (s) s->warm = false;
            break;
        }
        case J_TOUCH: a->touched = false; break;
        case J_CREATED: a->created = false; break;
        case J_DESTRUCT: a->destructed = false; break;
        default: break;
        }
    }
    while (st->n_logs > snap.logs) {
        st->n_logs--;
        free(st->logs[st->n_logs].data);
    }
}

static void delete_account(evm_account *a) {
    a->exists = false;
    a->nonce = 0;
    a->balance = mpavs_u256_from_u64(0);
    a->code = NULL;
    a->code_len = 0;
    a->code_loaded = true;
    memcpy(a->code_hash, EVM_EMPTY_CODE_HASH, 32);
    memcpy(a->storage_root, EVM_EMPTY_TRIE_ROOT, 32);
    a->storage_cleared = true;
    evm_map_free(&a->slots);
    a->dirty = true;
}

void evm_state_end_tx(mpavs_evm_state *st, mpavs_evm_log **logs, size_t *n_logs, int empty) {
    size_t pos = 0;
    const uint8_t *k;
    void *v;
    while (evm_map_next(&st->accounts, &pos, &k, &v)) {
        evm_account *a = *(evm_account **)v;
        if (a->destructed || (empty == EVM_EMPTY_DELETE && a->touched && a->exists && !evm_account_alive(a))) {
            delete_account(a);
        } else if (empty == EVM_EMPTY_CREATE_ACCESSED && a->accessed && !a->exists) {
            a->exists = true; /* balance 0, nonce 0, no code, empty storage: as loaded absent */
            a->dirty = true;
        }
        a->warm = a->touched = a->created = a->destructed = a->accessed = false;
        size_t sp = 0;
        const uint8_t *sk;
        void *sv;
        while (evm_map_next(&a->slots, &sp, &sk, &sv)) {
            evm_slot *s = sv;
            s->orig = s->cur;
            s->warm = false;
        }
    }
    evm_map_free(&st->transient);
    st->n_journal = 0;
    if (logs) {
        *logs = st->logs;
        *n_logs = st->n_logs;
    } else {
        free_logs(st->logs, st->n_logs);
        free(st->logs);
    }
    st->logs = NULL;
    st->n_logs = st->cap_logs = 0;
}

int mpavs_evm_state_commit(const mpavs_evm_state *st, const mpavs_evm_sink *sink) {
    size_t pos = 0;
    const uint8_t *k;
    void *v;
    while (evm_map_next(&st->accounts, &pos, &k, &v)) {
        evm_account *a = *(evm_account **)v;
        if (!a->dirty) continue;
        if (!a->exists) {
            if (sink->account(sink->ctx, a->addr, NULL, NULL, 0, true)) return MPAVS_EVM_ERR_SOURCE;
            continue;
        }
        mpavs_evm_account acct;
        acct.nonce = a->nonce;
        acct.balance = a->balance;
        memcpy(acct.code_hash, a->code_hash, 32);
        memcpy(acct.storage_root, a->storage_root, 32);
        if (sink->account(sink->ctx, a->addr, &acct, a->code, a->code_len, a->storage_cleared))
            return MPAVS_EVM_ERR_SOURCE;
        size_t sp = 0;
        const uint8_t *sk;
        void *sv;
        while (evm_map_next(&a->slots, &sp, &sk, &sv)) {
            evm_slot *s = sv;
            if (!s->dirty || !s->writes) continue; /* every write reverted: the value is the source's */
            uint8_t val[32];
            mpavs_u256_to_be32(val, &s->cur);
            if (sink->storage(sink->ctx, a->addr, sk, val)) return MPAVS_EVM_ERR_SOURCE;
        }
    }
    return MPAVS_EVM_OK;
}
