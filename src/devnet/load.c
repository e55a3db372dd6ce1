/*
 * src/devnet/load.c — the proven chain's workload (mpavs/devnet.h, "load generator"): signed
 * EIP-1559 transactions with locally kept nonces, sent with eth_sendRawTransaction.
 */
#include "mpavs/devnet.h"

#include "mpavs/ecdsa.h"
#include "mpavs/keccak.h"
#include "mpavs/rpc.h"
#include "mpavs/tx.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>

/* store: SSTORE(cd[0], cd[32]) */
static const uint8_t STORE_RT[] = {0x60, 0x20, 0x35, 0x60, 0x00, 0x35, 0x55, 0x00};
/* forwarder: CALL(gas, cd[0], 0, mem[0..n) = cd[32..], 0, 0) */
static const uint8_t FORWARDER_RT[] = {0x60, 0x00, 0x60, 0x00, 0x60, 0x20, 0x36, 0x03, 0x80, 0x60, 0x20, 0x60,
                                       0x00, 0x37, 0x60, 0x00, 0x60, 0x00, 0x60, 0x00, 0x35, 0x5a, 0xf1, 0x00};
/* factory: CREATE2(0, mem[0..n) = cd[32..], salt cd[0]) */
static const uint8_t FACTORY_RT[] = {0x60, 0x00, 0x35, 0x60, 0x20, 0x36, 0x03, 0x80, 0x60, 0x20,
                                     0x60, 0x00, 0x37, 0x60, 0x00, 0x60, 0x00, 0xf5, 0x00};
/* init code: SSTORE(0, 1), then return the store's runtime (appended at offset 0x11) */
static const uint8_t CHILD_INIT[] = {0x60, 0x01, 0x60, 0x00, 0x55, 0x60, 0x08, 0x60, 0x11, 0x60, 0x00, 0x39,
                                     0x60, 0x08, 0x60, 0x00, 0xf3, 0x60, 0x20, 0x35, 0x60, 0x00, 0x35, 0x55, 0x00};
_Static_assert(sizeof CHILD_INIT == 0x11 + sizeof STORE_RT, "CHILD_INIT embeds STORE_RT at 0x11");

#define GWEI 1000000000ull
#define CYCLE 8
#define DATA_MAX 160

struct mpavs_devnet_load {
    mpavs_rpc *rpc; /* borrowed */
    mpavs_ecdsa_ctx *ec;
    uint8_t sk[32];
    uint64_t chain_id;
    mpavs_u256 max_fee, tip;
    uint64_t step;                 /* workload steps sent (the setup deployments are steps 0..2) */
    uint64_t slot_lo, slot_hi;     /* live store slots written by the workload: [slot_lo, slot_hi) */
    mpavs_devnet_load_stats st;
};

const char *mpavs_devnet_load_kind_name(int kind) {
    static const char *const N[MPAVS_DEVNET_LOAD_KINDS] = {"transfer", "create", "create2", "store", "delete", "call"};
    return kind >= 0 && kind < MPAVS_DEVNET_LOAD_KINDS ? N[kind] : "?";
}

/* The address CREATE from sender at nonce makes: keccak256(rlp([sender, nonce]))[12..]. */
static void create_address(mpavs_address *out, const mpavs_address *sender, uint64_t nonce) {
    uint8_t rlp[1 + 21 + 9], nb[8], h[32];
    size_t nl = 0, k = 0;
    for (int i = 7; i >= 0; i--) {
        uint8_t b = (uint8_t)(nonce >> (8 * i));
        if (b || nl) nb[nl++] = b;
    }
    bool single = nl == 1 && nb[0] < 0x80; /* one byte below 0x80 is its own encoding; 0 is 0x80 */
    rlp[k++] = (uint8_t)(0xc0 + 21 + (single ? 1 : 1 + nl));
    rlp[k++] = 0x94;
    memcpy(rlp + k, sender->bytes, 20);
    k += 20;
    if (single) {
        rlp[k++] = nb[0];
    } else {
        rlp[k++] = (uint8_t)(0x80 + nl);
        memcpy(rlp + k, nb, nl);
        k += nl;
    }
    mpavs_keccak256(h, rlp, k);
    memcpy(out->bytes, h + 12, 20);
}

/* A 32-byte word derived from (tag, n). */
static void word(uint8_t out[32], uint8_t tag, uint64_t n) {
    uint8_t in[9] = {tag};
    for (int i = 0; i < 8; i++) in[1 + i] = (uint8_t)(n >> (8 * (7 - i)));
    mpavs_keccak256(out, in, sizeof in);
}

static void be64_word(uint8_t out[32], uint64_t v) {
    memset(out, 0, 32);
    for (int i = 0; i < 8; i++) out[24 + i] = (uint8_t)(v >> (8 * (7 - i)));
}

/* The account the transfer of step s funds. */
static void fresh_account(mpavs_address *a, uint64_t s) {
    uint8_t w[32];
    word(w, 'a', s);
    memcpy(a->bytes, w + 12, 20);
}

static int re_read_nonce(mpavs_devnet_load *g, mpavs_error *err) {
    mpavs_error e = {0};
    uint64_t n = 0;
    int r = mpavs_rpc_get_transaction_count(g->rpc, &n, &e, g->st.sender.bytes, "pending");
    if (r) {
        mpavs_error_set(err, "devnet", MPAVS_DEVNET_ERR_RPC, "load: eth_getTransactionCount: %s (%s)",
                        mpavs_rpc_strerror(r), e.message);
        mpavs_error_clear(&e);
        return MPAVS_DEVNET_ERR_RPC;
    }
    g->st.next_nonce = n;
    return MPAVS_DEVNET_OK;
}

int mpavs_devnet_load_create(mpavs_devnet_load **out, mpavs_error *err, mpavs_rpc *rpc, const uint8_t seckey[32],
                             const mpavs_devnet_load_options *opt) {
    if (out) *out = NULL;
    if (!out || !rpc || !seckey) return mpavs_error_set(err, "devnet", MPAVS_DEVNET_ERR_ARG, "load: NULL argument");
    mpavs_devnet_load *g = calloc(1, sizeof *g);
    if (!g) return mpavs_error_set(err, "devnet", MPAVS_DEVNET_ERR_NOMEM, "load: out of memory");
    int r = MPAVS_DEVNET_OK;
    g->rpc = rpc;
    memcpy(g->sk, seckey, 32);
    mpavs_devnet_load_options o = opt ? *opt : (mpavs_devnet_load_options){0};
    g->max_fee = mpavs_u256_is_zero(&o.max_fee_per_gas) ? mpavs_u256_from_u64(20 * GWEI) : o.max_fee_per_gas;
    g->tip = mpavs_u256_is_zero(&o.max_priority_fee) ? mpavs_u256_from_u64(GWEI) : o.max_priority_fee;
    g->chain_id = o.chain_id;
    g->slot_lo = g->slot_hi = 1;
    mpavs_error e = {0};
    if (!(g->ec = mpavs_ecdsa_ctx_create())) {
        r = mpavs_error_set(err, "devnet", MPAVS_DEVNET_ERR_NOMEM, "load: no ECDSA context");
    } else if (mpavs_ecdsa_seckey_to_address(g->ec, &g->st.sender, seckey)) {
        r = mpavs_error_set(err, "devnet", MPAVS_DEVNET_ERR_ARG, "load: invalid secret key");
    } else if (!g->chain_id && (r = mpavs_rpc_chain_id(rpc, &g->chain_id, &e))) {
        r = mpavs_error_set(err, "devnet", MPAVS_DEVNET_ERR_RPC, "load: eth_chainId: %s (%s)", mpavs_rpc_strerror(r),
                            e.message);
    } else if (!(r = re_read_nonce(g, err))) {
        create_address(&g->st.store, &g->st.sender, g->st.next_nonce);
        create_address(&g->st.forwarder, &g->st.sender, g->st.next_nonce + 1);
        create_address(&g->st.factory, &g->st.sender, g->st.next_nonce + 2);
    }
    mpavs_error_clear(&e);
    if (r) {
        mpavs_devnet_load_destroy(g);
        return r;
    }
    *out = g;
    return MPAVS_DEVNET_OK;
}

/* A store call's calldata: slot ‖ value. */
static size_t store_data(uint8_t *d, uint64_t slot, const uint8_t value[32]) {
    be64_word(d, slot);
    memcpy(d + 32, value, 32);
    return 64;
}

/*
 * The transaction of step s (tx->nonce and fees unset). Out: *tx (data in d, DATA_MAX bytes),
 * *kind. Slot bookkeeping is applied by the caller once the node accepted it (next_lo/next_hi).
 */
static void build(const mpavs_devnet_load *g, mpavs_tx *tx, uint8_t *d, int *kind, uint64_t *next_lo, uint64_t *next_hi) {
    uint64_t s = g->step;
    *next_lo = g->slot_lo;
    *next_hi = g->slot_hi;
    uint8_t v[32];
    size_t n = 0;
    tx->gas_limit = 300000;
    if (s < 3) { /* the setup deployments: store, forwarder, factory (init code = copy the runtime and return it) */
        const uint8_t *rt = s == 0 ? STORE_RT : s == 1 ? FORWARDER_RT : FACTORY_RT;
        size_t rl = s == 0 ? sizeof STORE_RT : s == 1 ? sizeof FORWARDER_RT : sizeof FACTORY_RT;
        /* PUSH1 rl PUSH1 12 PUSH1 0 CODECOPY PUSH1 rl PUSH1 0 RETURN, then the runtime */
        const uint8_t head[12] = {0x60, (uint8_t)rl, 0x60, 12, 0x60, 0x00, 0x39, 0x60, (uint8_t)rl, 0x60, 0x00, 0xf3};
        memcpy(d, head, sizeof head);
        memcpy(d + sizeof head, rt, rl);
        n = sizeof head + rl;
        *kind = MPAVS_DEVNET_LOAD_CREATE;
        tx->has_to = false;
    } else {
        uint64_t k = (s - 3) % CYCLE;
        word(v, 'v', s);
        v[0] |= 1; /* never zero */
        tx->has_to = true;
        tx->to = g->st.store;
        switch (k) {
        case 0: /* transfer to a new account */
        case 6: /* transfer to the account this cycle's first transfer funded (6 steps ago) */
            fresh_account(&tx->to, k == 6 ? s - 6 : s);
            tx->value = mpavs_u256_from_u64(GWEI);
            tx->gas_limit = 21000;
            *kind = MPAVS_DEVNET_LOAD_TRANSFER;
            break;
        case 1: /* a new slot */
            n = store_data(d, (*next_hi)++, v);
            *kind = MPAVS_DEVNET_LOAD_STORE;
            break;
        case 2: /* CREATE: the constructor writes slot 0 */
            memcpy(d, CHILD_INIT, sizeof CHILD_INIT);
            n = sizeof CHILD_INIT;
            tx->has_to = false;
            *kind = MPAVS_DEVNET_LOAD_CREATE;
            break;
        case 3: /* forwarder → store: a new slot */
            memset(d, 0, 12);
            memcpy(d + 12, g->st.store.bytes, 20);
            n = 32 + store_data(d + 32, (*next_hi)++, v);
            tx->to = g->st.forwarder;
            *kind = MPAVS_DEVNET_LOAD_CALL;
            break;
        case 4: /* delete the oldest live slot (a new one is written when none is left) */
            if (*next_lo < *next_hi) {
                memset(v, 0, 32);
                n = store_data(d, (*next_lo)++, v);
                *kind = MPAVS_DEVNET_LOAD_DELETE;
            } else {
                n = store_data(d, (*next_hi)++, v);
                *kind = MPAVS_DEVNET_LOAD_STORE;
            }
            break;
        case 5: /* CREATE2 through the factory, salt = the step */
            be64_word(d, s);
            memcpy(d + 32, CHILD_INIT, sizeof CHILD_INIT);
            n = 32 + sizeof CHILD_INIT;
            tx->to = g->st.factory;
            *kind = MPAVS_DEVNET_LOAD_CREATE2;
            break;
        default: /* 7: overwrite the newest live slot (or write slot_hi when none is live) */
            if (*next_lo < *next_hi) n = store_data(d, *next_hi - 1, v);
            else n = store_data(d, (*next_hi)++, v);
            *kind = MPAVS_DEVNET_LOAD_STORE;
            break;
        }
    }
    tx->data = n ? d : NULL;
    tx->data_len = n;
}

int mpavs_devnet_load_send(mpavs_devnet_load *g, size_t *sent, mpavs_error *err, size_t n) {
    if (sent) *sent = 0;
    if (!g) return mpavs_error_set(err, "devnet", MPAVS_DEVNET_ERR_ARG, "load: NULL generator");
    for (size_t i = 0; i < n; i++) {
        mpavs_tx tx;
        mpavs_tx_init(&tx, MPAVS_TX_TYPE_EIP1559);
        uint8_t d[DATA_MAX];
        int kind = 0;
        uint64_t lo, hi;
        build(g, &tx, d, &kind, &lo, &hi);
        tx.chain_id = g->chain_id;
        tx.nonce = g->st.next_nonce;
        tx.max_fee_per_gas = g->max_fee;
        tx.max_priority_fee_per_gas = g->tip;
        uint8_t raw[1024], hash[32]; /* mpavs_tx_encoded_size_max: 630 for DATA_MAX bytes of data */
        size_t len = 0;
        if (mpavs_tx_encoded_size_max(&tx) > sizeof raw || mpavs_tx_sign(g->ec, &tx, g->sk) ||
            mpavs_tx_serialize(raw, sizeof raw, &len, &tx))
            return mpavs_error_set(err, "devnet", MPAVS_DEVNET_ERR_CRYPTO, "load: cannot sign step %llu",
                                   (unsigned long long)g->step);
        mpavs_error e = {0};
        int r = mpavs_rpc_send_raw_transaction(g->rpc, hash, &e, raw, len);
        if (r) {
            g->st.refused++;
            mpavs_error_set(err, "devnet", MPAVS_DEVNET_ERR_RPC, "load: eth_sendRawTransaction (nonce %llu, %s): %s (%s)",
                            (unsigned long long)tx.nonce, mpavs_devnet_load_kind_name(kind), mpavs_rpc_strerror(r),
                            e.message);
            mpavs_error_clear(&e);
            (void)re_read_nonce(g, NULL);
            return MPAVS_DEVNET_ERR_RPC;
        }
        if (g->step < 3) { /* where the setup deployment really went (the nonce may have been re-read) */
            mpavs_address *a = g->step == 0 ? &g->st.store : g->step == 1 ? &g->st.forwarder : &g->st.factory;
            create_address(a, &g->st.sender, tx.nonce);
        }
        g->st.next_nonce++;
        g->st.sent++;
        g->st.by_kind[kind]++;
        g->slot_lo = lo;
        g->slot_hi = hi;
        g->step++;
        if (sent) (*sent)++;
    }
    return MPAVS_DEVNET_OK;
}

void mpavs_devnet_load_get_stats(const mpavs_devnet_load *g, mpavs_devnet_load_stats *out) { *out = g->st; }

void mpavs_devnet_load_destroy(mpavs_devnet_load *g) {
    if (!g) return;
    mpavs_wipe(g->sk, sizeof g->sk);
    mpavs_ecdsa_ctx_destroy(g->ec);
    free(g);
}
