/*
 * Witness of one block: node store, codes, headers, touched keys, recorded
 * state changes; the parsers of both sources and the checks (mpavs/witness.h).
 */
#include "mpavs/witness.h"

#include "mpavs/hex.h"
#include "mpavs/keccak.h"
#include "mpavs/rlp.h"
#include "witness_internal.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *mpavs_witness_strerror(int r) {
    switch (r) {
    case MPAVS_WITNESS_OK: return "ok";
    case MPAVS_WITNESS_ERR_RPC: return "witness: RPC call failed";
    case MPAVS_WITNESS_ERR_UNSUPPORTED: return "witness: method not served by the node";
    case MPAVS_WITNESS_ERR_PARSE: return "witness: malformed answer";
    case MPAVS_WITNESS_ERR_NODE: return "witness: invalid trie node";
    case MPAVS_WITNESS_ERR_HASH: return "witness: hash mismatch";
    case MPAVS_WITNESS_ERR_CHAIN: return "witness: ancestor headers not linked";
    case MPAVS_WITNESS_MISSING_NODE: return "witness: missing trie node";
    case MPAVS_WITNESS_MISSING_CODE: return "witness: missing code";
    case MPAVS_WITNESS_ERR_ACCOUNT: return "witness: malformed account or slot value";
    case MPAVS_WITNESS_ERR_LIMIT_NODES: return "witness: node count limit exceeded";
    case MPAVS_WITNESS_ERR_LIMIT_BYTES: return "witness: byte limit exceeded";
    case MPAVS_WITNESS_ERR_LIMIT_ACCOUNTS: return "witness: account limit exceeded";
    case MPAVS_WITNESS_ERR_LIMIT_SLOTS: return "witness: slot limit exceeded";
    case MPAVS_WITNESS_ERR_LIMIT_HEADERS: return "witness: header limit exceeded";
    case MPAVS_WITNESS_ERR_LIMIT_TIME: return "witness: RPC time limit exceeded";
    case MPAVS_WITNESS_ERR_NOMEM: return "witness: out of memory";
    default: return "witness: unknown error";
    }
}

void mpavs_witness_limits_default(mpavs_witness_limits *l) {
    MPAVS_REQUIRE(l);
    l->max_nodes = 1000000;
    l->max_bytes = (size_t)512 << 20;
    l->max_accounts = 100000;
    l->max_slots = 1000000;
    l->max_headers = 256;
    l->max_rpc_ms = 300000;
}

/* ---- a hash map of fixed-size keys to indexes (bucket = keccak of the key) ---- */

static size_t hmap_bucket(const hmap *m, const uint8_t *key) {
    uint8_t h[32];
    mpavs_keccak256(h, key, m->klen);
    uint64_t v;
    memcpy(&v, h, 8);
    return (size_t)(v & (m->cap - 1));
}

static bool hmap_find(const hmap *m, size_t *val, const uint8_t *key) {
    if (!m->cap) return false;
    for (size_t i = hmap_bucket(m, key);; i = (i + 1) & (m->cap - 1)) {
        if (!m->used[i]) return false;
        if (memcmp(m->keys + i * m->klen, key, m->klen) == 0) {
            *val = m->vals[i];
            return true;
        }
    }
}

static bool hmap_grow(hmap *m) {
    size_t ncap = m->cap ? m->cap * 2 : 64;
    hmap n = {calloc(ncap, m->klen), calloc(ncap, sizeof(size_t)), calloc(ncap, 1), ncap, 0, m->klen};
    if (!n.keys || !n.vals || !n.used) {
        free(n.keys), free(n.vals), free(n.used);
        return false;
    }
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->used[i]) continue;
        size_t j = hmap_bucket(&n, m->keys + i * m->klen);
        while (n.used[j]) j = (j + 1) & (ncap - 1);
        n.used[j] = 1;
        memcpy(n.keys + j * n.klen, m->keys + i * m->klen, m->klen);
        n.vals[j] = m->vals[i];
        n.n++;
    }
    free(m->keys), free(m->vals), free(m->used);
    *m = n;
    return true;
}

/* Insert key -> val (the key must be absent). */
static bool hmap_put(hmap *m, const uint8_t *key, size_t val) {
    if ((m->n + 1) * 2 > m->cap && !hmap_grow(m)) return false;
    size_t i = hmap_bucket(m, key);
    while (m->used[i]) i = (i + 1) & (m->cap - 1);
    m->used[i] = 1;
    memcpy(m->keys + i * m->klen, key, m->klen);
    m->vals[i] = val;
    m->n++;
    return true;
}

static void hmap_free(hmap *m) {
    free(m->keys), free(m->vals), free(m->used);
    memset(m, 0, sizeof *m);
}

/* ---- life cycle ---- */

int wit_fail(mpavs_witness *w, int r, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->msg, sizeof w->msg, fmt, ap);
    va_end(ap);
    return r;
}

mpavs_witness *mpavs_witness_create(const mpavs_witness_limits *lim) {
    mpavs_witness *w = calloc(1, sizeof *w);
    if (!w) return NULL;
    if (lim) w->lim = *lim;
    else mpavs_witness_limits_default(&w->lim);
    w->store = mpavs_trie_store_create(0, 0);
    w->cand = mpavs_trie_store_create(0, 0);
    if (!w->store || !w->cand) {
        mpavs_witness_destroy(w);
        return NULL;
    }
    w->code_map.klen = 32;
    w->acct_map.klen = 20;
    w->slot_map.klen = 8 + 32;
    return w;
}

void mpavs_witness_destroy(mpavs_witness *w) {
    if (!w) return;
    mpavs_trie_store_destroy(w->store);
    mpavs_trie_store_destroy(w->cand);
    for (size_t i = 0; i < w->ncodes; i++) free(w->codes[i].code);
    free(w->codes);
    free(w->headers);
    for (size_t i = 0; i < w->naccts; i++) free(w->accts[i].slots);
    free(w->accts);
    free(w->changes);
    free(w->block_rlp);
    hmap_free(&w->code_map);
    hmap_free(&w->acct_map);
    hmap_free(&w->slot_map);
    free(w);
}

const char *mpavs_witness_message(const mpavs_witness *w) { return w->msg; }
const mpavs_trie_store *mpavs_witness_store(const mpavs_witness *w) { return w->store; }

int wit_charge_bytes(mpavs_witness *w, size_t len) {
    if (len > w->lim.max_bytes || w->bytes > w->lim.max_bytes - len)
        return wit_fail(w, MPAVS_WITNESS_ERR_LIMIT_BYTES, "witness exceeds %zu bytes", w->lim.max_bytes);
    w->bytes += len;
    return 0;
}

static int add_to_store(mpavs_witness *w, mpavs_trie_store *s, const uint8_t *rlp, size_t len) {
    uint8_t h[32];
    if (len == 1 && rlp[0] == 0x80) return 0; /* the empty trie's root: nothing to store */
    mpavs_keccak256(h, rlp, len);
    const uint8_t *p;
    size_t l;
    if (mpavs_trie_store_get(s, &p, &l, h)) return 0;
    if (w->nodes + 1 > w->lim.max_nodes)
        return wit_fail(w, MPAVS_WITNESS_ERR_LIMIT_NODES, "witness exceeds %zu trie nodes", w->lim.max_nodes);
    int r = wit_charge_bytes(w, len);
    if (r) return r;
    r = mpavs_trie_store_add(s, NULL, rlp, len);
    if (r == MPAVS_TRIE_ERR_NOMEM) return wit_fail(w, MPAVS_WITNESS_ERR_NOMEM, "out of memory");
    if (r) {
        w->bytes -= len;
        return wit_fail(w, MPAVS_WITNESS_ERR_NODE, "invalid trie node 0x%.16s… (%s)",
                        wit_hex(w->hexbuf, h, 8), mpavs_trie_strerror(r));
    }
    w->nodes++;
    return 0;
}

int mpavs_witness_add_node(mpavs_witness *w, const uint8_t *rlp, size_t len) {
    return add_to_store(w, w->store, rlp, len);
}

int wit_add_candidate(mpavs_witness *w, const uint8_t *rlp, size_t len) {
    return add_to_store(w, w->cand, rlp, len);
}

int mpavs_witness_add_code(mpavs_witness *w, const uint8_t *code, size_t len) {
    uint8_t h[32];
    size_t idx;
    mpavs_keccak256(h, code, len);
    if (len == 0 || hmap_find(&w->code_map, &idx, h)) return 0;
    int r = wit_charge_bytes(w, len);
    if (r) return r;
    if (w->ncodes == w->capcodes) {
        size_t nc = w->capcodes ? w->capcodes * 2 : 16;
        void *p = realloc(w->codes, nc * sizeof *w->codes);
        if (!p) return wit_fail(w, MPAVS_WITNESS_ERR_NOMEM, "out of memory");
        w->codes = p, w->capcodes = nc;
    }
    uint8_t *c = malloc(len);
    if (!c || !hmap_put(&w->code_map, h, w->ncodes)) {
        free(c);
        return wit_fail(w, MPAVS_WITNESS_ERR_NOMEM, "out of memory");
    }
    memcpy(c, code, len);
    w->codes[w->ncodes].code = c;
    w->codes[w->ncodes++].len = len;
    return 0;
}

bool mpavs_witness_code(const mpavs_witness *w, const uint8_t **code, size_t *len, const uint8_t hash[32]) {
    size_t idx;
    *code = NULL, *len = 0;
    if (memcmp(hash, MPAVS_TRIE_EMPTY_CODE_HASH, 32) == 0) return true;
    if (!hmap_find(&w->code_map, &idx, hash)) return false;
    *code = w->codes[idx].code, *len = w->codes[idx].len;
    return true;
}

int mpavs_witness_add_header(mpavs_witness *w, const uint8_t *rlp, size_t len) {
    mpavs_block_header h;
    if (mpavs_block_header_decode(&h, rlp, len))
        return wit_fail(w, MPAVS_WITNESS_ERR_PARSE, "malformed header in witness");
    for (size_t i = 0; i < w->nheaders; i++)
        if (w->headers[i].number == h.number) {
            uint8_t a[32], b[32];
            if (mpavs_block_header_hash(a, &h) || mpavs_block_header_hash(b, &w->headers[i]) || memcmp(a, b, 32))
                return wit_fail(w, MPAVS_WITNESS_ERR_CHAIN, "two different headers for block %llu",
                                (unsigned long long)h.number);
            return 0;
        }
    if (w->nheaders + 1 > w->lim.max_headers)
        return wit_fail(w, MPAVS_WITNESS_ERR_LIMIT_HEADERS, "witness exceeds %zu headers", w->lim.max_headers);
    int r = wit_charge_bytes(w, len);
    if (r) return r;
    if (w->nheaders == w->capheaders) {
        size_t nc = w->capheaders ? w->capheaders * 2 : 16;
        void *p = realloc(w->headers, nc * sizeof *w->headers);
        if (!p) return wit_fail(w, MPAVS_WITNESS_ERR_NOMEM, "out of memory");
        w->headers = p, w->capheaders = nc;
    }
    w->headers[w->nheaders++] = h;
    return 0;
}

const mpavs_block_header *mpavs_witness_header(const mpavs_witness *w, uint64_t number) {
    for (size_t i = 0; i < w->nheaders; i++)
        if (w->headers[i].number == number) return &w->headers[i];
    return NULL;
}

size_t mpavs_witness_header_count(const mpavs_witness *w) { return w->nheaders; }

/* Index of account a, created when absent. */
int wit_account(mpavs_witness *w, size_t *idx, const mpavs_address *a) {
    if (hmap_find(&w->acct_map, idx, a->bytes)) return 0;
    if (w->naccts + 1 > w->lim.max_accounts)
        return wit_fail(w, MPAVS_WITNESS_ERR_LIMIT_ACCOUNTS, "block touches more than %zu accounts",
                        w->lim.max_accounts);
    if (w->naccts == w->capaccts) {
        size_t nc = w->capaccts ? w->capaccts * 2 : 16;
        void *p = realloc(w->accts, nc * sizeof *w->accts);
        if (!p) return wit_fail(w, MPAVS_WITNESS_ERR_NOMEM, "out of memory");
        w->accts = p, w->capaccts = nc;
    }
    if (!hmap_put(&w->acct_map, a->bytes, w->naccts)) return wit_fail(w, MPAVS_WITNESS_ERR_NOMEM, "out of memory");
    memset(&w->accts[w->naccts], 0, sizeof w->accts[0]);
    w->accts[w->naccts].address = *a;
    *idx = w->naccts++;
    return 0;
}

int mpavs_witness_touch_account(mpavs_witness *w, const mpavs_address *a) {
    size_t i;
    return wit_account(w, &i, a);
}

int mpavs_witness_touch_slot(mpavs_witness *w, const mpavs_address *a, const uint8_t slot[32]) {
    size_t ai, si;
    int r = wit_account(w, &ai, a);
    if (r) return r;
    uint8_t key[40];
    uint64_t a64 = ai;
    memcpy(key, &a64, 8);
    memcpy(key + 8, slot, 32);
    if (hmap_find(&w->slot_map, &si, key)) return 0;
    if (w->nslots + 1 > w->lim.max_slots)
        return wit_fail(w, MPAVS_WITNESS_ERR_LIMIT_SLOTS, "block touches more than %zu slots", w->lim.max_slots);
    wit_acct *ac = &w->accts[ai];
    if (ac->nslots == ac->capslots) {
        size_t nc = ac->capslots ? ac->capslots * 2 : 8;
        void *p = realloc(ac->slots, nc * 32);
        if (!p) return wit_fail(w, MPAVS_WITNESS_ERR_NOMEM, "out of memory");
        ac->slots = p, ac->capslots = nc;
    }
    if (!hmap_put(&w->slot_map, key, ac->nslots)) return wit_fail(w, MPAVS_WITNESS_ERR_NOMEM, "out of memory");
    memcpy(ac->slots[ac->nslots++], slot, 32);
    w->nslots++;
    return 0;
}

size_t mpavs_witness_account_count(const mpavs_witness *w) { return w->naccts; }

void mpavs_witness_account_at(const mpavs_witness *w, mpavs_address *a, const uint8_t (**slots)[32],
                              size_t *slot_count, size_t i) {
    MPAVS_REQUIRE(i < w->naccts);
    *a = w->accts[i].address;
    *slots = (const uint8_t(*)[32])w->accts[i].slots;
    *slot_count = w->accts[i].nslots;
}

bool mpavs_witness_block(const mpavs_witness *w, const uint8_t **rlp, size_t *len, uint64_t *number) {
    *rlp = w->block_rlp, *len = w->block_len;
    if (number) *number = w->block_number;
    return w->block_rlp != NULL;
}

size_t mpavs_witness_change_count(const mpavs_witness *w) { return w->nchanges; }

int wit_change(mpavs_witness *w, const wit_chg *c) {
    if (w->nchanges + 1 > w->lim.max_slots)
        return wit_fail(w, MPAVS_WITNESS_ERR_LIMIT_SLOTS, "block makes more than %zu state changes",
                        w->lim.max_slots);
    if (w->nchanges == w->capchanges) {
        size_t nc = w->capchanges ? w->capchanges * 2 : 32;
        void *p = realloc(w->changes, nc * sizeof *w->changes);
        if (!p) return wit_fail(w, MPAVS_WITNESS_ERR_NOMEM, "out of memory");
        w->changes = p, w->capchanges = nc;
    }
    w->changes[w->nchanges++] = *c;
    return 0;
}

char *wit_hex(char *buf, const uint8_t *b, size_t n) {
    static const char d[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) buf[2 * i] = d[b[i] >> 4], buf[2 * i + 1] = d[b[i] & 15];
    buf[2 * n] = 0;
    return buf;
}

/*
 * A branch that loses all but one child collapses into it: a leaf or
 * extension child S = node(path p, x) becomes node(e ‖ y ‖ p, x) in the
 * post-state. From each leaf / extension of a post-state proof, the nodes
 * with the path shortened by 1.. nibbles are the possible S; they are kept as
 * candidates and used only when their hash is the one a deletion needs.
 */
int wit_add_sibling_candidates(mpavs_witness *w, const uint8_t *rlp, size_t len) {
    int r = wit_add_candidate(w, rlp, len);
    if (r) return r == MPAVS_WITNESS_ERR_NODE ? 0 : r;
    mpavs_rlp_item top, path, second;
    mpavs_rlp_iter it;
    if (mpavs_rlp_decode(&top, rlp, len) || mpavs_rlp_iter_init(&it, &top) || mpavs_rlp_next(&it, &path) ||
        mpavs_rlp_next(&it, &second) || !mpavs_rlp_iter_done(&it) || path.is_list || path.len == 0)
        return 0; /* a branch, or not a node */
    uint8_t nib[2 * MPAVS_TRIE_MAX_KEY + 2];
    unsigned flag = path.p[0] >> 4;
    if (flag > 3 || path.len > MPAVS_TRIE_MAX_KEY) return 0;
    bool leaf = flag >= 2;
    size_t nn = 0;
    if (flag & 1) nib[nn++] = path.p[0] & 15;
    for (size_t i = 1; i < path.len; i++) nib[nn++] = path.p[i] >> 4, nib[nn++] = path.p[i] & 15;
    for (size_t k = 1; k <= nn; k++) {
        size_t rest = nn - k;
        if (!leaf && rest == 0) break;
        uint8_t hp[MPAVS_TRIE_MAX_KEY + 1], out[MPAVS_TRIE_MAX_KEY + 64 + 2 * MPAVS_TRIE_MAX_KEY];
        size_t hl = 0, i = k;
        if (rest & 1) hp[hl++] = (uint8_t)(((leaf ? 2u : 0u) + 1u) << 4 | nib[i++]);
        else hp[hl++] = (uint8_t)((leaf ? 2u : 0u) << 4);
        for (; i < nn; i += 2) hp[hl++] = (uint8_t)(nib[i] << 4 | nib[i + 1]);
        mpavs_rlp_writer wr;
        size_t m, ol;
        if (second.raw_len > sizeof out - sizeof hp - 16) return 0;
        mpavs_rlp_writer_init(&wr, out, sizeof out);
        mpavs_rlp_list_begin(&wr, &m);
        mpavs_rlp_put_bytes(&wr, hp, hl);
        mpavs_rlp_put_raw(&wr, second.raw, second.raw_len);
        mpavs_rlp_list_end(&wr, m);
        if (mpavs_rlp_writer_finish(&wr, &ol)) return 0;
        if (ol < 32) continue; /* inline nodes are inside their parent */
        r = wit_add_candidate(w, out, ol);
        if (r && r != MPAVS_WITNESS_ERR_NODE) return r;
    }
    return 0;
}

void mpavs_witness_get_stats(const mpavs_witness *w, mpavs_witness_stats *st) {
    MPAVS_REQUIRE(w && st);
    memset(st, 0, sizeof *st);
    mpavs_trie_store_size(w->store, &st->nodes, NULL);
    st->bytes = w->bytes;
    st->codes = w->ncodes, st->headers = w->nheaders, st->accounts = w->naccts;
    st->slots = w->nslots, st->changes = w->nchanges;
    st->rpc_calls = w->rpc_calls, st->rpc_ms = w->rpc_ms;
    st->siblings_from_post = w->siblings_from_post, st->siblings_searched = w->siblings_searched;
    st->execution_witness = w->execution_witness;
}
