/*
 * Stateless block verification (mpavs/stateless.h): the EVM state source reads accounts, slots
 * and codes through the witness tries from the trusted parent's state root, the sink writes the
 * block's changes into those tries, and the root callback recomputes the storage roots and the
 * state root.
 */
#include "mpavs/stateless.h"

#include "mpavs/keccak.h"
#include "mpavs/rlp.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *mpavs_stateless_strerror(int r) {
    switch (r) {
    case MPAVS_STATELESS_OK: return "ok";
    case MPAVS_STATELESS_MALFORMED_WITNESS: return "malformed_witness";
    case MPAVS_STATELESS_PARENT_MISMATCH: return "parent_mismatch";
    case MPAVS_STATELESS_CHAIN_MISMATCH: return "chain_mismatch";
    case MPAVS_STATELESS_MISSING_NODE: return "missing_witness_node";
    case MPAVS_STATELESS_MISSING_CODE: return "missing_code";
    case MPAVS_STATELESS_BAD_ACCOUNT: return "bad_account";
    case MPAVS_STATELESS_UNSUPPORTED_FORK: return "unsupported_fork";
    case MPAVS_STATELESS_UNSUPPORTED_PRECOMPILE: return "unsupported_precompile";
    case MPAVS_STATELESS_INVALID_BLOCK: return "invalid_block";
    case MPAVS_STATELESS_STATE_ROOT_MISMATCH: return "state_root_mismatch";
    case MPAVS_STATELESS_NOMEM: return "out_of_memory";
    case MPAVS_STATELESS_WITNESS_UNAVAILABLE: return "witness_unavailable";
    case MPAVS_STATELESS_WITNESS_TOO_LARGE: return "witness_too_large";
    default: return "unknown";
    }
}

/* ---- presets ---- */

typedef struct {
    const char *name;
    uint64_t chain_id;
    uint64_t cancun, prague, osaka;
    uint64_t bpo1, bpo2; /* 0: none */
    bool anvil;
} preset;

/* Activation times: the chains' genesis configs (cancunTime, pragueTime, osakaTime, bpo1Time,
   bpo2Time). The BPO forks (EIP-7892) change only the blob schedule. */
static const preset presets[] = {
    {"mainnet", 1, 1710338135, 1746612311, 1764798551, 1765290071, 1767747671, false},
    {"sepolia", 11155111, 1706655072, 1741159776, 1760427360, 1761017184, 1761607008, false},
    {"hoodi", 560048, 0, 1742999832, 1761677592, 1762365720, 1762955544, false},
    {"anvil", 31337, 0, 0, 0, 0, 0, true},
};

/* The blob schedules of BPO1 and BPO2 (the chains' blobSchedule.bpo1 / .bpo2). */
static const mpavs_chain_blob_params BPO1 = {10, 15, 8346193}, BPO2 = {14, 21, 11684671};

static const char *const preset_names[] = {"mainnet", "sepolia", "hoodi", "anvil", NULL};

const char *const *mpavs_stateless_preset_names(void) { return preset_names; }

const char *mpavs_stateless_preset_for_chain(uint64_t chain_id) {
    for (size_t i = 0; i < sizeof presets / sizeof presets[0]; i++)
        if (presets[i].chain_id == chain_id) return presets[i].name;
    return NULL;
}

int mpavs_stateless_preset(mpavs_stateless_config *cfg, const char *name) {
    MPAVS_REQUIRE(cfg && name);
    for (size_t i = 0; i < sizeof presets / sizeof presets[0]; i++) {
        const preset *p = &presets[i];
        if (strcmp(p->name, name)) continue;
        mpavs_evm_schedule s;
        memset(&s, 0, sizeof s);
        s.active[MPAVS_EVM_CANCUN] = s.active[MPAVS_EVM_PRAGUE] = s.active[MPAVS_EVM_OSAKA] = true;
        s.time[MPAVS_EVM_CANCUN] = p->cancun;
        s.time[MPAVS_EVM_PRAGUE] = p->prague;
        s.time[MPAVS_EVM_OSAKA] = p->osaka;
        memset(cfg, 0, sizeof *cfg);
        mpavs_blockexec_chain_init(&cfg->chain, p->chain_id, &s);
        if (p->bpo1) cfg->chain.bpo[cfg->chain.nbpo++] = (mpavs_blockexec_bpo){p->bpo1, BPO1};
        if (p->bpo2) cfg->chain.bpo[cfg->chain.nbpo++] = (mpavs_blockexec_bpo){p->bpo2, BPO2};
        if (p->anvil) {
            cfg->chain.flags = MPAVS_BLOCKEXEC_NO_TX_GAS_CAP | MPAVS_BLOCKEXEC_OPTIONAL_REQUEST_CONTRACTS |
                               MPAVS_BLOCKEXEC_EQUAL_TIMESTAMP | MPAVS_BLOCKEXEC_ANVIL_BLOB_TX_ROOT |
                               MPAVS_BLOCKEXEC_KEEP_TOUCHED_EMPTY;
            cfg->witness_flags = MPAVS_WITNESS_ANVIL_RULES;
        }
        return 0;
    }
    return -1;
}

/* ---- the state over the witness ---- */

/* An account the execution touched: its storage trie (opened on first use) and, once the sink
   wrote it, its new record. */
typedef struct {
    uint8_t addr[20];
    bool have_parent;          /* parent record read */
    bool parent_exists;
    mpavs_trie_account parent; /* the record at the parent state */
    mpavs_trie *storage;       /* over the witness store (or a fresh trie after a clear) */
    bool written, exists;      /* the sink wrote it; absent afterwards when !exists */
    mpavs_trie_account acct;   /* the new record (storage root computed at the end) */
} sl_acct;

typedef struct {
    mpavs_witness *w;
    const mpavs_trie_store *store;
    unsigned flags;
    mpavs_trie *st; /* the account trie, opened at the parent's state root */
    sl_acct *v;
    size_t n, cap;
    size_t *index; /* open addressing over v (index + 1; 0 empty), icap a power of two */
    size_t icap;
    /* the first failure */
    int err;
    char msg[256];
    /* BLOCKHASH: hashes of the ancestors held, [0] = block number - 1 */
    uint8_t (*hashes)[32];
    size_t nhashes;
    uint64_t first; /* number of hashes[0] */
} sl_ctx;

static char *hexs(char *out, const uint8_t *b, size_t n) {
    static const char d[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) out[2 * i] = d[b[i] >> 4], out[2 * i + 1] = d[b[i] & 15];
    out[2 * n] = 0;
    return out;
}

static int fail(sl_ctx *c, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(sl_ctx *c, int err, const char *fmt, ...) {
    if (c->err) return 1; /* keep the first failure */
    c->err = err;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->msg, sizeof c->msg, fmt, ap);
    va_end(ap);
    return 1;
}

static int trie_fail(sl_ctx *c, const mpavs_trie *t, int r, const char *what, const uint8_t addr[20],
                     const uint8_t *slot) {
    char d[128], a[41], s[65];
    mpavs_trie_describe(d, sizeof d, t, r);
    int err = r == MPAVS_TRIE_MISSING_NODE ? MPAVS_STATELESS_MISSING_NODE
              : r == MPAVS_TRIE_ERR_NOMEM  ? MPAVS_STATELESS_NOMEM
                                           : MPAVS_STATELESS_BAD_ACCOUNT;
    if (slot) return fail(c, err, "%s (%s slot 0x%s of 0x%s)", d, what, hexs(s, slot, 32), hexs(a, addr, 20));
    return fail(c, err, "%s (%s account 0x%s)", d, what, hexs(a, addr, 20));
}

static size_t addr_hash(const uint8_t addr[20]) {
    size_t h = 0;
    memcpy(&h, addr + 4, sizeof h < 16 ? sizeof h : 16); /* addresses are uniform enough */
    return h * 0x9E3779B97F4A7C15ull;
}

static int grow_index(sl_ctx *c) {
    size_t nc = c->icap ? c->icap * 2 : 64;
    size_t *ni = calloc(nc, sizeof *ni);
    if (!ni) return -1;
    for (size_t i = 0; i < c->n; i++) {
        size_t k = addr_hash(c->v[i].addr) & (nc - 1);
        while (ni[k]) k = (k + 1) & (nc - 1);
        ni[k] = i + 1;
    }
    free(c->index);
    c->index = ni, c->icap = nc;
    return 0;
}

/* The entry of addr (created on first use, its parent record read). NULL on failure (c->err set). */
static sl_acct *acct_get(sl_ctx *c, const uint8_t addr[20]) {
    if (c->icap) {
        size_t k = addr_hash(addr) & (c->icap - 1);
        while (c->index[k]) {
            sl_acct *a = &c->v[c->index[k] - 1];
            if (!memcmp(a->addr, addr, 20)) return a;
            k = (k + 1) & (c->icap - 1);
        }
    }
    if ((c->n + 1) * 2 > c->icap && grow_index(c)) {
        fail(c, MPAVS_STATELESS_NOMEM, "out of memory");
        return NULL;
    }
    if (c->n == c->cap) {
        size_t nc = c->cap ? c->cap * 2 : 32;
        void *p = realloc(c->v, nc * sizeof *c->v);
        if (!p) {
            fail(c, MPAVS_STATELESS_NOMEM, "out of memory");
            return NULL;
        }
        c->v = p, c->cap = nc;
    }
    sl_acct *a = &c->v[c->n];
    memset(a, 0, sizeof *a);
    memcpy(a->addr, addr, 20);
    const uint8_t *val;
    size_t vl;
    int r = mpavs_trie_get(c->st, &val, &vl, addr, 20);
    if (r) {
        trie_fail(c, c->st, r, "reading", addr, NULL);
        return NULL;
    }
    a->parent_exists = val != NULL;
    if (!val) {
        mpavs_trie_account_empty(&a->parent);
    } else if (mpavs_trie_account_decode(&a->parent, val, vl)) {
        char h[41];
        fail(c, MPAVS_STATELESS_BAD_ACCOUNT, "malformed record of account 0x%s", hexs(h, addr, 20));
        return NULL;
    }
    a->have_parent = true;
    size_t k = addr_hash(addr) & (c->icap - 1);
    while (c->index[k]) k = (k + 1) & (c->icap - 1);
    c->index[k] = ++c->n;
    return a;
}

static int open_storage(sl_ctx *c, sl_acct *a) {
    if (a->storage) return 0;
    a->storage = mpavs_trie_open(c->store, a->parent.storage_root, MPAVS_TRIE_SECURE);
    return a->storage ? 0 : fail(c, MPAVS_STATELESS_NOMEM, "out of memory");
}

static int src_account(void *ctx, mpavs_evm_account *acct, bool *exists, const uint8_t addr[20]) {
    sl_ctx *c = ctx;
    sl_acct *a = acct_get(c, addr);
    if (!a) return 1;
    *exists = a->parent_exists;
    acct->nonce = a->parent.nonce;
    acct->balance = a->parent.balance;
    memcpy(acct->storage_root, a->parent.storage_root, 32);
    memcpy(acct->code_hash, a->parent.code_hash, 32);
    return 0;
}

static int src_storage(void *ctx, uint8_t value[32], const uint8_t addr[20], const uint8_t key[32]) {
    sl_ctx *c = ctx;
    sl_acct *a = acct_get(c, addr);
    if (!a || open_storage(c, a)) return 1;
    const uint8_t *v;
    size_t vl;
    int r = mpavs_trie_get(a->storage, &v, &vl, key, 32);
    if (r) return trie_fail(c, a->storage, r, "reading", addr, key);
    memset(value, 0, 32);
    if (!v) return 0;
    mpavs_rlp_item it;
    mpavs_u256 u;
    if (mpavs_rlp_decode(&it, v, vl) || it.is_list || mpavs_rlp_get_u256(&u, &it)) {
        char h1[65], h2[41];
        return fail(c, MPAVS_STATELESS_BAD_ACCOUNT, "malformed value of slot 0x%s of 0x%s", hexs(h1, key, 32),
                    hexs(h2, addr, 20));
    }
    mpavs_u256_to_be32(value, &u);
    return 0;
}

static int src_code(void *ctx, const uint8_t **code, size_t *len, const uint8_t code_hash[32]) {
    sl_ctx *c = ctx;
    if (mpavs_witness_code(c->w, code, len, code_hash)) return 0;
    char h[65];
    return fail(c, MPAVS_STATELESS_MISSING_CODE, "missing code 0x%s", hexs(h, code_hash, 32));
}

static int sink_account(void *ctx, const uint8_t addr[20], const mpavs_evm_account *acct, const uint8_t *code,
                        size_t code_len, bool clear_storage) {
    (void)code, (void)code_len;
    sl_ctx *c = ctx;
    sl_acct *a = acct_get(c, addr);
    if (!a) return 1;
    a->written = true;
    if (!acct && (c->flags & MPAVS_WITNESS_ANVIL_RULES)) {
        /* anvil keeps an account created and self-destructed in one transaction as an empty account */
        a->exists = true;
        mpavs_trie_account_empty(&a->acct);
        clear_storage = true;
    } else if (!acct) {
        a->exists = false;
        clear_storage = true;
    } else {
        a->exists = true;
        a->acct.nonce = acct->nonce;
        a->acct.balance = acct->balance;
        memcpy(a->acct.code_hash, acct->code_hash, 32);
    }
    if (clear_storage) {
        mpavs_trie_destroy(a->storage);
        memcpy(a->parent.storage_root, MPAVS_TRIE_EMPTY_ROOT, 32); /* what storage reads now start from */
        a->storage = mpavs_trie_create(MPAVS_TRIE_SECURE);
        if (!a->storage) return fail(c, MPAVS_STATELESS_NOMEM, "out of memory");
    }
    return 0;
}

static int sink_storage(void *ctx, const uint8_t addr[20], const uint8_t key[32], const uint8_t value[32]) {
    sl_ctx *c = ctx;
    sl_acct *a = acct_get(c, addr);
    if (!a || open_storage(c, a)) return 1;
    static const uint8_t zero[32];
    int r;
    bool to_zero = !memcmp(value, zero, 32);
    /* anvil keeps every slot a transaction wrote (and did not revert) with its value, zero as rlp(0) */
    if (to_zero && !(c->flags & MPAVS_WITNESS_ANVIL_RULES)) {
        r = mpavs_trie_delete(a->storage, key, 32);
    } else {
        uint8_t enc[40];
        size_t el = 0;
        mpavs_u256 u = mpavs_u256_from_be32(value);
        mpavs_rlp_writer wr;
        mpavs_rlp_writer_init(&wr, enc, sizeof enc);
        mpavs_rlp_put_u256(&wr, &u);
        if (mpavs_rlp_writer_finish(&wr, &el)) return fail(c, MPAVS_STATELESS_NOMEM, "encoding a slot");
        r = mpavs_trie_put(a->storage, key, 32, enc, el);
    }
    if (r) return trie_fail(c, a->storage, r, "writing", addr, key);
    return 0;
}

static int state_root(void *ctx, uint8_t root[32]) {
    sl_ctx *c = ctx;
    for (size_t i = 0; i < c->n; i++) {
        sl_acct *a = &c->v[i];
        if (!a->written) continue;
        int r;
        if (a->exists) {
            if (a->storage) {
                if (mpavs_trie_root(a->storage, a->acct.storage_root))
                    return fail(c, MPAVS_STATELESS_NOMEM, "out of memory");
            } else {
                memcpy(a->acct.storage_root, a->parent.storage_root, 32);
            }
            uint8_t enc[MPAVS_TRIE_ACCOUNT_MAX];
            size_t el = mpavs_trie_account_encode(enc, &a->acct);
            r = mpavs_trie_put(c->st, a->addr, 20, enc, el);
        } else {
            r = mpavs_trie_delete(c->st, a->addr, 20);
        }
        if (r) return trie_fail(c, c->st, r, "writing", a->addr, NULL);
    }
    if (mpavs_trie_root(c->st, root)) return fail(c, MPAVS_STATELESS_NOMEM, "out of memory");
    return 0;
}

static int blockhash(void *ctx, uint8_t hash[32], uint64_t number) {
    sl_ctx *c = ctx;
    if (number <= c->first && c->first - number < c->nhashes) {
        memcpy(hash, c->hashes[c->first - number], 32);
        return 0;
    }
    return fail(c, MPAVS_STATELESS_MALFORMED_WITNESS, "BLOCKHASH(%llu): the witness has no header %llu",
                (unsigned long long)number, (unsigned long long)number);
}

static void ctx_free(sl_ctx *c) {
    for (size_t i = 0; i < c->n; i++) mpavs_trie_destroy(c->v[i].storage);
    free(c->v);
    free(c->index);
    free(c->hashes);
    mpavs_trie_destroy(c->st);
}

/* ---- the verification ---- */

static int outcome(mpavs_stateless_outcome *out, int r, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int outcome(mpavs_stateless_outcome *out, int r, const char *fmt, ...) {
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(out->message, sizeof out->message, fmt, ap);
        va_end(ap);
    }
    return r;
}

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* The ancestor hashes from the trusted parent down, each header linked to the next by hash. */
static int link_ancestors(mpavs_stateless_outcome *out, sl_ctx *c, const mpavs_block_header *parent,
                          const uint8_t parent_hash[32]) {
    size_t n = mpavs_witness_header_count(c->w);
    if (n > 256) n = 256;
    if (n == 0) n = 1;
    c->hashes = calloc(n, 32);
    if (!c->hashes) return outcome(out, MPAVS_STATELESS_NOMEM, "out of memory");
    c->first = parent->number;
    memcpy(c->hashes[0], parent_hash, 32);
    c->nhashes = 1;
    const uint8_t *expect = parent->parent_hash;
    for (uint64_t k = parent->number; k-- > 0 && c->nhashes < n;) {
        const mpavs_block_header *h = mpavs_witness_header(c->w, k);
        if (!h) break;
        uint8_t hh[32];
        char a[65], b[65];
        if (mpavs_block_header_hash(hh, h))
            return outcome(out, MPAVS_STATELESS_MALFORMED_WITNESS, "ancestor header %llu does not encode",
                           (unsigned long long)k);
        if (memcmp(hh, expect, 32))
            return outcome(out, MPAVS_STATELESS_CHAIN_MISMATCH, "ancestor header %llu has hash 0x%s, its child names 0x%s",
                           (unsigned long long)k, hexs(a, hh, 32), hexs(b, expect, 32));
        memcpy(c->hashes[c->nhashes++], hh, 32);
        expect = h->parent_hash;
    }
    /* the witness's own copy of the parent, when it has one, must be the trusted one */
    const mpavs_block_header *wp = mpavs_witness_header(c->w, parent->number);
    if (wp) {
        uint8_t hh[32];
        char a[65];
        if (mpavs_block_header_hash(hh, wp) || memcmp(hh, parent_hash, 32))
            return outcome(out, MPAVS_STATELESS_CHAIN_MISMATCH, "the witness's header %llu is not the trusted parent (0x%s)",
                           (unsigned long long)parent->number, hexs(a, parent_hash, 32));
    }
    return MPAVS_STATELESS_OK;
}

int mpavs_stateless_verify(mpavs_stateless_outcome *out, const mpavs_stateless_config *cfg,
                           const mpavs_ecdsa_ctx *ecdsa, const mpavs_block_header *parent,
                           const uint8_t parent_hash[32], mpavs_witness *w) {
    MPAVS_REQUIRE(out && cfg && ecdsa && parent && parent_hash && w);
    memset(out, 0, sizeof *out);
    const uint8_t *rlp;
    size_t len;
    uint64_t number;
    if (!mpavs_witness_block(w, &rlp, &len, &number) || !rlp)
        return outcome(out, MPAVS_STATELESS_MALFORMED_WITNESS, "the witness holds no block");
    mpavs_block b;
    memset(&b, 0, sizeof b);
    int br = mpavs_block_decode(&b, rlp, len);
    if (br) return outcome(out, MPAVS_STATELESS_MALFORMED_WITNESS, "block: %s", mpavs_block_strerror(br));
    out->header = b.header;
    out->number = b.header.number;
    char h1[65], h2[65];
    uint8_t ph[32];
    int ret;
    if (mpavs_block_header_hash(ph, parent) || memcmp(ph, parent_hash, 32)) {
        ret = outcome(out, MPAVS_STATELESS_PARENT_MISMATCH, "the trusted parent header does not hash to 0x%s",
                      hexs(h1, parent_hash, 32));
        goto done;
    }
    if (b.header.number != parent->number + 1 || memcmp(b.header.parent_hash, parent_hash, 32)) {
        ret = outcome(out, MPAVS_STATELESS_PARENT_MISMATCH,
                      "block %llu (parentHash 0x%s) is not a child of block %llu 0x%s",
                      (unsigned long long)b.header.number, hexs(h1, b.header.parent_hash, 32),
                      (unsigned long long)parent->number, hexs(h2, parent_hash, 32));
        goto done;
    }

    sl_ctx c;
    memset(&c, 0, sizeof c);
    c.w = w;
    c.store = mpavs_witness_store(w);
    c.flags = cfg->witness_flags;
    c.st = mpavs_trie_open(c.store, parent->state_root, MPAVS_TRIE_SECURE);
    if (!c.st) {
        ret = outcome(out, MPAVS_STATELESS_NOMEM, "out of memory");
        goto done;
    }
    if ((ret = link_ancestors(out, &c, parent, parent_hash))) goto freectx;

    mpavs_blockexec_state state = {
        .source = {.ctx = &c, .account = src_account, .storage = src_storage, .code = src_code},
        .sink = {.ctx = &c, .account = sink_account, .storage = sink_storage},
        .root = state_root,
        .root_ctx = &c,
    };
    double t0 = now_ms();
    int r = mpavs_blockexec_execute(&out->why, &out->stats, ecdsa, &cfg->chain, parent, &b, &state, blockhash, &c);
    out->exec_ms = now_ms() - t0;
    if (out->stats.sink_written && !c.err) {
        memcpy(out->state_root, out->stats.state_root, 32);
        out->state_root_computed = true;
    }
    char fmt[320];
    switch (r) {
    case MPAVS_BLOCKEXEC_OK:
        mpavs_keccak256(out->block_hash, b.header_rlp, b.header_rlp_len);
        ret = MPAVS_STATELESS_OK;
        break;
    case MPAVS_BLOCKEXEC_INVALID:
        mpavs_blockexec_refusal_format(fmt, sizeof fmt, &out->why);
        ret = outcome(out, strcmp(out->why.field, "stateRoot") ? MPAVS_STATELESS_INVALID_BLOCK
                                                                 : MPAVS_STATELESS_STATE_ROOT_MISMATCH,
                      "%s", fmt);
        break;
    case MPAVS_BLOCKEXEC_UNPROVABLE:
        mpavs_blockexec_refusal_format(fmt, sizeof fmt, &out->why);
        ret = outcome(out, MPAVS_STATELESS_UNSUPPORTED_PRECOMPILE, "%s", fmt);
        break;
    case MPAVS_BLOCKEXEC_ERR_FORK:
        ret = outcome(out, MPAVS_STATELESS_UNSUPPORTED_FORK, "no supported fork at block %llu (timestamp %llu)",
                      (unsigned long long)b.header.number, (unsigned long long)b.header.timestamp);
        break;
    case MPAVS_BLOCKEXEC_ERR_NOMEM: ret = outcome(out, MPAVS_STATELESS_NOMEM, "out of memory"); break;
    default: /* ERR_SOURCE */
        if (c.err) ret = outcome(out, c.err, "%s", c.msg);
        else ret = outcome(out, MPAVS_STATELESS_MALFORMED_WITNESS, "%s", mpavs_blockexec_strerror(r));
        break;
    }
freectx:
    ctx_free(&c);
done:
    mpavs_block_clear(&b);
    return ret;
}

/* ---- the cursor ---- */

#define CURSOR_HEADERS 256 /* BLOCKHASH's reach: the ancestors a witness holds */

struct mpavs_stateless_cursor {
    uint64_t number;    /* the trusted (or last verified) block */
    uint8_t hash[32];
    bool has_header;    /* hdr[number % CURSOR_HEADERS] is its header */
    bool have[CURSOR_HEADERS];
    mpavs_block_header hdr[CURSOR_HEADERS]; /* verified header k at k % CURSOR_HEADERS */
};

mpavs_stateless_cursor *mpavs_stateless_cursor_create(uint64_t number, const uint8_t hash[32]) {
    MPAVS_REQUIRE(hash);
    mpavs_stateless_cursor *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->number = number;
    memcpy(c->hash, hash, 32);
    return c;
}

void mpavs_stateless_cursor_destroy(mpavs_stateless_cursor *c) { free(c); }

void mpavs_stateless_cursor_head(const mpavs_stateless_cursor *c, uint64_t *number, uint8_t hash[32]) {
    MPAVS_REQUIRE(c);
    if (number) *number = c->number;
    if (hash) memcpy(hash, c->hash, 32);
}

static const mpavs_block_header *cursor_header(const mpavs_stateless_cursor *c, uint64_t k) {
    size_t i = (size_t)(k % CURSOR_HEADERS);
    return c->have[i] && c->hdr[i].number == k ? &c->hdr[i] : NULL;
}

static int from_witness(int r) {
    switch (r) {
    case MPAVS_WITNESS_ERR_RPC:
    case MPAVS_WITNESS_ERR_UNSUPPORTED:
    case MPAVS_WITNESS_ERR_LIMIT_TIME: return MPAVS_STATELESS_WITNESS_UNAVAILABLE;
    case MPAVS_WITNESS_ERR_CHAIN: return MPAVS_STATELESS_CHAIN_MISMATCH;
    case MPAVS_WITNESS_MISSING_NODE: return MPAVS_STATELESS_MISSING_NODE;
    case MPAVS_WITNESS_MISSING_CODE: return MPAVS_STATELESS_MISSING_CODE;
    case MPAVS_WITNESS_ERR_ACCOUNT: return MPAVS_STATELESS_BAD_ACCOUNT;
    case MPAVS_WITNESS_ERR_LIMIT_NODES:
    case MPAVS_WITNESS_ERR_LIMIT_BYTES:
    case MPAVS_WITNESS_ERR_LIMIT_ACCOUNTS:
    case MPAVS_WITNESS_ERR_LIMIT_SLOTS:
    case MPAVS_WITNESS_ERR_LIMIT_HEADERS: return MPAVS_STATELESS_WITNESS_TOO_LARGE;
    case MPAVS_WITNESS_ERR_NOMEM: return MPAVS_STATELESS_NOMEM;
    default: return MPAVS_STATELESS_MALFORMED_WITNESS; /* _ERR_PARSE, _ERR_NODE, _ERR_HASH */
    }
}

int mpavs_stateless_cursor_next(mpavs_stateless_cursor *c, mpavs_stateless_outcome *out, mpavs_rpc *rpc,
                                const mpavs_stateless_config *cfg, const mpavs_ecdsa_ctx *ecdsa,
                                const mpavs_witness_limits *lim) {
    MPAVS_REQUIRE(c && out && rpc && cfg && ecdsa);
    memset(out, 0, sizeof *out);
    uint64_t n = c->number + 1;
    out->number = n;
    bool any_fork = false;
    for (int f = 0; f < MPAVS_EVM_FORK_COUNT; f++) any_fork |= cfg->chain.schedule.active[f];
    if (!any_fork) /* nothing to fetch a witness for */
        return outcome(out, MPAVS_STATELESS_UNSUPPORTED_FORK, "no supported fork (Cancun or later) in the chain's schedule");
    mpavs_witness *w = mpavs_witness_create(lim);
    if (!w) return outcome(out, MPAVS_STATELESS_NOMEM, "out of memory");
    int ret, r = 0;
    /* the headers already verified: the witness need not fetch them */
    if (c->has_header)
        for (uint64_t k = c->number, i = 0; i < CURSOR_HEADERS && !r; i++, k--) {
            const mpavs_block_header *h = cursor_header(c, k);
            uint8_t enc[MPAVS_BLOCK_HEADER_MAX];
            size_t el;
            if (!h) break;
            if (mpavs_block_header_encode(enc, sizeof enc, &el, h) == MPAVS_BLOCK_OK) r = mpavs_witness_add_header(w, enc, el);
            if (k == 0) break;
        }
    double t0 = now_ms();
    if (!r) r = mpavs_witness_acquire(w, rpc, n);
    double fetch_ms = now_ms() - t0;
    mpavs_witness_stats st;
    mpavs_witness_get_stats(w, &st);
    if (r) {
        ret = outcome(out, from_witness(r), "%s", mpavs_witness_message(w));
        out->witness_error = r;
        goto done;
    }
    mpavs_block_header parent;
    if (c->has_header) {
        parent = *cursor_header(c, c->number);
    } else {
        const mpavs_block_header *h = mpavs_witness_header(w, c->number);
        uint8_t hh[32];
        char t[65];
        if (!h || mpavs_block_header_hash(hh, h) || memcmp(hh, c->hash, 32)) {
            ret = outcome(out, MPAVS_STATELESS_PARENT_MISMATCH, "the node's header %llu does not hash to the trusted 0x%s",
                          (unsigned long long)c->number, hexs(t, c->hash, 32));
            goto done;
        }
        parent = *h;
    }
    ret = mpavs_stateless_verify(out, cfg, ecdsa, &parent, c->hash, w);
    if (ret == MPAVS_STATELESS_OK) {
        /* the witness's ancestors link to the trusted parent (acquisition linked them to block n,
           whose parent the verification checked): keep them with block n */
        for (uint64_t k = c->number, i = 0; i + 1 < CURSOR_HEADERS; i++, k--) {
            const mpavs_block_header *h = mpavs_witness_header(w, k);
            if (!h) break;
            c->hdr[k % CURSOR_HEADERS] = *h;
            c->have[k % CURSOR_HEADERS] = true;
            if (k == 0) break;
        }
        c->hdr[n % CURSOR_HEADERS] = out->header;
        c->have[n % CURSOR_HEADERS] = true;
        c->number = n;
        memcpy(c->hash, out->block_hash, 32);
        c->has_header = true;
    }
done:
    out->number = n;
    out->fetch_ms = fetch_ms;
    out->witness = st;
    mpavs_witness_destroy(w);
    return ret;
}
