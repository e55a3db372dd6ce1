/*
 * Reading the state through a witness, the completeness check, and the
 * post-state root from the recorded changes.
 */
#include "mpavs/keccak.h"
#include "mpavs/rlp.h"
#include "witness_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* EIP-2935 history contract and its ring size. */
static const uint8_t history_addr[20] = {0x00, 0x00, 0xF9, 0x08, 0x27, 0xF1, 0xC5, 0x3a, 0x10, 0xcb,
                                         0x7A, 0x02, 0x33, 0x5B, 0x17, 0x53, 0x20, 0x00, 0x29, 0x35};
#define HISTORY_SERVE_WINDOW 8191

void wit_history_address(mpavs_address *a) { memcpy(a->bytes, history_addr, 20); }

/* Map a trie failure to a witness error with a message. */
static int trie_fail(mpavs_witness *w, const mpavs_trie *t, int r, const char *where) {
    char d[128];
    mpavs_trie_describe(d, sizeof d, t, r);
    if (r == MPAVS_TRIE_MISSING_NODE) mpavs_trie_missing_node(t, w->missing);
    int wr = r == MPAVS_TRIE_MISSING_NODE ? MPAVS_WITNESS_MISSING_NODE
             : r == MPAVS_TRIE_ERR_NOMEM  ? MPAVS_WITNESS_ERR_NOMEM
                                          : MPAVS_WITNESS_ERR_ACCOUNT;
    return wit_fail(w, wr, "%s (%s)", d, where);
}

static int get_account(mpavs_witness *w, mpavs_trie *st, mpavs_trie_account *a, bool *exists,
                       const mpavs_address *addr) {
    const uint8_t *v;
    size_t vl;
    char where[64];
    snprintf(where, sizeof where, "account 0x%s", wit_hex(w->hexbuf, addr->bytes, 20));
    int r = mpavs_trie_get(st, &v, &vl, addr->bytes, 20);
    if (r) return trie_fail(w, st, r, where);
    *exists = v != NULL;
    if (!v) {
        mpavs_trie_account_empty(a);
        return 0;
    }
    if (mpavs_trie_account_decode(a, v, vl))
        return wit_fail(w, MPAVS_WITNESS_ERR_ACCOUNT, "malformed record of %s", where);
    return 0;
}

static int get_slot(mpavs_witness *w, mpavs_trie *t, mpavs_u256 *value, const mpavs_address *addr,
                    const uint8_t slot[32]) {
    const uint8_t *v;
    size_t vl;
    char where[160], h1[41], h2[65];
    snprintf(where, sizeof where, "slot 0x%s of 0x%s", wit_hex(h2, slot, 32), wit_hex(h1, addr->bytes, 20));
    int r = mpavs_trie_get(t, &v, &vl, slot, 32);
    if (r) return trie_fail(w, t, r, where);
    memset(value, 0, sizeof *value);
    if (!v) return 0;
    mpavs_rlp_item it;
    if (mpavs_rlp_decode(&it, v, vl) || it.is_list || mpavs_rlp_get_u256(value, &it))
        return wit_fail(w, MPAVS_WITNESS_ERR_ACCOUNT, "malformed value of %s", where);
    return 0;
}

int mpavs_witness_read_account(mpavs_witness *w, mpavs_trie_account *a, bool *exists,
                               const uint8_t state_root[32], const mpavs_address *addr) {
    mpavs_trie *st = mpavs_trie_open(w->store, state_root, MPAVS_TRIE_SECURE);
    if (!st) return wit_fail(w, MPAVS_WITNESS_ERR_NOMEM, "out of memory");
    int r = get_account(w, st, a, exists, addr);
    mpavs_trie_destroy(st);
    return r;
}

int mpavs_witness_read_slot(mpavs_witness *w, mpavs_u256 *value, const uint8_t state_root[32],
                            const mpavs_address *addr, const uint8_t slot[32]) {
    mpavs_trie_account a;
    bool ex;
    int r = mpavs_witness_read_account(w, &a, &ex, state_root, addr);
    if (r) return r;
    mpavs_trie *t = mpavs_trie_open(w->store, a.storage_root, MPAVS_TRIE_SECURE);
    if (!t) return wit_fail(w, MPAVS_WITNESS_ERR_NOMEM, "out of memory");
    r = get_slot(w, t, value, addr, slot);
    mpavs_trie_destroy(t);
    return r;
}

int mpavs_witness_check(mpavs_witness *w, const uint8_t parent_state_root[32]) {
    MPAVS_REQUIRE(w && parent_state_root);
    w->msg[0] = 0;
    mpavs_trie *st = mpavs_trie_open(w->store, parent_state_root, MPAVS_TRIE_SECURE);
    if (!st) return wit_fail(w, MPAVS_WITNESS_ERR_NOMEM, "out of memory");
    int r = 0;
    for (size_t i = 0; i < w->naccts && !r; i++) {
        wit_acct *ac = &w->accts[i];
        mpavs_trie_account a;
        bool ex;
        if ((r = get_account(w, st, &a, &ex, &ac->address))) break;
        const uint8_t *code;
        size_t cl;
        if (!mpavs_witness_code(w, &code, &cl, a.code_hash)) {
            char h1[65], h2[41];
            r = wit_fail(w, MPAVS_WITNESS_MISSING_CODE, "missing code 0x%s of account 0x%s",
                         wit_hex(h1, a.code_hash, 32), wit_hex(h2, ac->address.bytes, 20));
            break;
        }
        if (!ac->nslots) continue;
        mpavs_trie *t = mpavs_trie_open(w->store, a.storage_root, MPAVS_TRIE_SECURE);
        if (!t) {
            r = wit_fail(w, MPAVS_WITNESS_ERR_NOMEM, "out of memory");
            break;
        }
        for (size_t k = 0; k < ac->nslots && !r; k++) {
            mpavs_u256 v;
            r = get_slot(w, t, &v, &ac->address, ac->slots[k]);
        }
        mpavs_trie_destroy(t);
    }
    mpavs_trie_destroy(st);
    return r;
}

/* ---- post-state root ---- */

typedef struct {
    mpavs_address address;
    mpavs_trie_account acct;
    bool exists;
    uint8_t storage_root0[32]; /* the storage root the storage trie was opened over */
    mpavs_trie *storage; /* opened on the first slot change */
} post_acct;

typedef struct {
    post_acct *v;
    size_t n, cap;
} post_set;

static post_acct *post_get(mpavs_witness *w, int *r, post_set *ps, mpavs_trie *st, const mpavs_address *a) {
    for (size_t i = ps->n; i-- > 0;)
        if (memcmp(ps->v[i].address.bytes, a->bytes, 20) == 0) return &ps->v[i];
    if (ps->n == ps->cap) {
        size_t nc = ps->cap ? ps->cap * 2 : 16;
        void *p = realloc(ps->v, nc * sizeof *ps->v);
        if (!p) {
            *r = wit_fail(w, MPAVS_WITNESS_ERR_NOMEM, "out of memory");
            return NULL;
        }
        ps->v = p, ps->cap = nc;
    }
    post_acct *pa = &ps->v[ps->n];
    memset(pa, 0, sizeof *pa);
    pa->address = *a;
    if ((*r = get_account(w, st, &pa->acct, &pa->exists, a))) return NULL;
    ps->n++;
    return pa;
}

static int post_slot(mpavs_witness *w, post_acct *pa, const uint8_t slot[32], const mpavs_u256 *value,
                     unsigned flags) {
    if (!pa->storage) {
        pa->storage = mpavs_trie_open(w->store, pa->acct.storage_root, MPAVS_TRIE_SECURE);
        if (!pa->storage) return wit_fail(w, MPAVS_WITNESS_ERR_NOMEM, "out of memory");
        memcpy(pa->storage_root0, pa->acct.storage_root, 32);
    }
    uint8_t enc[40];
    size_t el = 0;
    mpavs_u256 zero = {{0}};
    int r;
    if (mpavs_u256_cmp(value, &zero) == 0 && !(flags & MPAVS_WITNESS_ANVIL_RULES)) {
        r = mpavs_trie_delete(pa->storage, slot, 32);
    } else {
        mpavs_rlp_writer wr;
        mpavs_rlp_writer_init(&wr, enc, sizeof enc);
        mpavs_rlp_put_u256(&wr, value);
        if (mpavs_rlp_writer_finish(&wr, &el)) return wit_fail(w, MPAVS_WITNESS_ERR_NOMEM, "encoding");
        r = mpavs_trie_put(pa->storage, slot, 32, enc, el);
    }
    if (r) {
        char where[160], h1[41], h2[65];
        memcpy(w->miss_root, pa->storage_root0, 32);
        memcpy(w->miss_key, slot, 32);
        w->miss_key_len = 32;
        w->miss_addr = pa->address;
        snprintf(where, sizeof where, "writing slot 0x%s of 0x%s", wit_hex(h2, slot, 32),
                 wit_hex(h1, pa->address.bytes, 20));
        return trie_fail(w, pa->storage, r, where);
    }
    return 0;
}

int mpavs_witness_post_root(mpavs_witness *w, uint8_t root[32], const uint8_t parent_state_root[32],
                            unsigned flags) {
    MPAVS_REQUIRE((flags & ~MPAVS_WITNESS_ANVIL_RULES) == 0);
    MPAVS_REQUIRE(w && root && parent_state_root);
    w->msg[0] = 0;
    w->miss_key_len = 0;
    mpavs_trie *st = mpavs_trie_open(w->store, parent_state_root, MPAVS_TRIE_SECURE);
    if (!st) return wit_fail(w, MPAVS_WITNESS_ERR_NOMEM, "out of memory");
    post_set ps = {0};
    int r = 0;
    post_acct *pa;
    /* EIP-2935: the system call at the start of the block */
    mpavs_address ha;
    wit_history_address(&ha);
    const mpavs_block_header *parent = w->block_number ? mpavs_witness_header(w, w->block_number - 1) : NULL;
    if (parent) {
        if (!(pa = post_get(w, &r, &ps, st, &ha))) goto out;
        if (pa->exists && memcmp(pa->acct.code_hash, MPAVS_TRIE_EMPTY_CODE_HASH, 32) != 0) {
            uint8_t slot[32] = {0}, ph[32];
            uint64_t s = parent->number % HISTORY_SERVE_WINDOW;
            for (int i = 0; i < 8; i++) slot[31 - i] = (uint8_t)(s >> (8 * i));
            if ((r = mpavs_block_header_hash(ph, parent))) {
                r = wit_fail(w, MPAVS_WITNESS_ERR_PARSE, "parent header does not encode");
                goto out;
            }
            mpavs_u256 v = mpavs_u256_from_be32(ph);
            if ((r = post_slot(w, pa, slot, &v, flags))) goto out;
        }
    }
    for (size_t i = 0; i < w->nchanges; i++) {
        const wit_chg *c = &w->changes[i];
        if (!(pa = post_get(w, &r, &ps, st, &c->address))) goto out;
        switch (c->kind) {
        case CHG_DELETE:
            pa->exists = false;
            mpavs_trie_account_empty(&pa->acct);
            mpavs_trie_destroy(pa->storage);
            pa->storage = mpavs_trie_create(MPAVS_TRIE_SECURE);
            memcpy(pa->storage_root0, MPAVS_TRIE_EMPTY_ROOT, 32);
            if (!pa->storage) {
                r = wit_fail(w, MPAVS_WITNESS_ERR_NOMEM, "out of memory");
                goto out;
            }
            break;
        case CHG_BALANCE: pa->exists = true, pa->acct.balance = c->value; break;
        case CHG_NONCE: pa->exists = true, pa->acct.nonce = c->value.w[0]; break;
        case CHG_CODE: pa->exists = true, memcpy(pa->acct.code_hash, c->code_hash, 32); break;
        case CHG_SLOT:
            pa->exists = true;
            if ((r = post_slot(w, pa, c->slot, &c->value, flags))) goto out;
            break;
        }
    }
    if (flags & MPAVS_WITNESS_ANVIL_RULES) /* touched, absent, unchanged: anvil keeps it as an empty account */
        for (size_t i = 0; i < w->naccts; i++) {
            if (w->accts[i].exec_only) continue;
            size_t k = 0;
            while (k < ps.n && memcmp(ps.v[k].address.bytes, w->accts[i].address.bytes, 20)) k++;
            if (k < ps.n) continue;
            if (!(pa = post_get(w, &r, &ps, st, &w->accts[i].address))) goto out;
            pa->exists = true;
        }
    for (size_t i = 0; i < ps.n; i++) {
        pa = &ps.v[i];
        if (pa->storage && (r = mpavs_trie_root(pa->storage, pa->acct.storage_root))) {
            r = wit_fail(w, MPAVS_WITNESS_ERR_NOMEM, "out of memory");
            goto out;
        }
        if (pa->exists) {
            uint8_t enc[MPAVS_TRIE_ACCOUNT_MAX];
            size_t el = mpavs_trie_account_encode(enc, &pa->acct);
            r = mpavs_trie_put(st, pa->address.bytes, 20, enc, el);
        } else {
            r = mpavs_trie_delete(st, pa->address.bytes, 20);
        }
        if (r) {
            char where[64];
            memcpy(w->miss_root, parent_state_root, 32);
            memcpy(w->miss_key, pa->address.bytes, 20);
            w->miss_key_len = 20;
            snprintf(where, sizeof where, "writing account 0x%s", wit_hex(w->hexbuf, pa->address.bytes, 20));
            r = trie_fail(w, st, r, where);
            goto out;
        }
    }
    if (mpavs_trie_root(st, root)) r = wit_fail(w, MPAVS_WITNESS_ERR_NOMEM, "out of memory");
out:
    for (size_t i = 0; i < ps.n; i++) mpavs_trie_destroy(ps.v[i].storage);
    free(ps.v);
    mpavs_trie_destroy(st);
    return r;
}
