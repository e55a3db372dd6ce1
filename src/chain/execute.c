/*
 * src/chain/execute.c — block execution (mpavs/blockexec.h): header and body checks, the system
 * calls, the transactions, withdrawals and EIP-7685 requests, and the comparison with the header.
 * Every input comes from outside (a block off the network): each count and length is bounded by
 * the block's own encoding, and each failure is a refusal naming the field.
 */
#include "mpavs/blockexec.h"

#include "chain/chain_internal.h"
#include "chain/execute_internal.h"
#include "mpavs/hex.h"
#include "mpavs/keccak.h"
#include "mpavs/rlp.h"
#include "mpavs/tx.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GAS_PER_BLOB 131072u
#define MAX_RLP_BLOCK_SIZE 8388608u /* EIP-7934 (Osaka): 10 MiB less a 2 MiB margin for the beacon block */

static const uint8_t BEACON_ROOTS_ADDRESS[20] = {0x00, 0x0F, 0x3d, 0xf6, 0xD7, 0x32, 0x80, 0x7E, 0xf1, 0x31,
                                                 0x9f, 0xB7, 0xB8, 0xbB, 0x85, 0x22, 0xd0, 0xBe, 0xac, 0x02};
static const uint8_t HISTORY_STORAGE_ADDRESS[20] = {0x00, 0x00, 0xF9, 0x08, 0x27, 0xF1, 0xC5, 0x3a, 0x10, 0xcb,
                                                    0x7A, 0x02, 0x33, 0x5B, 0x17, 0x53, 0x20, 0x00, 0x29, 0x35};
static const uint8_t WITHDRAWAL_REQUEST_ADDRESS[20] = {0x00, 0x00, 0x09, 0x61, 0xEf, 0x48, 0x0E, 0xb5, 0x5e, 0x80,
                                                       0xD1, 0x9a, 0xd8, 0x35, 0x79, 0xA6, 0x4c, 0x00, 0x70, 0x02};
static const uint8_t CONSOLIDATION_REQUEST_ADDRESS[20] = {0x00, 0x00, 0xBB, 0xdD, 0xc7, 0xCE, 0x48, 0x86, 0x42, 0xfb,
                                                          0x57, 0x9F, 0x8B, 0x00, 0xf3, 0xa5, 0x90, 0x00, 0x72, 0x51};
static const uint8_t MAINNET_DEPOSIT_CONTRACT[20] = {0x00, 0x00, 0x00, 0x00, 0x21, 0x9a, 0xb5, 0x40, 0x35, 0x6c,
                                                     0xBB, 0x83, 0x9C, 0xbe, 0x05, 0x30, 0x3d, 0x77, 0x05, 0xFa};
/* keccak256("DepositEvent(bytes,bytes,bytes,bytes,bytes)") */
static const uint8_t DEPOSIT_EVENT_TOPIC[32] = {0x64, 0x9b, 0xbc, 0x62, 0xd0, 0xe3, 0x13, 0x42, 0xaf, 0xea, 0x4e,
                                                0x5c, 0xd8, 0x2d, 0x40, 0x49, 0xe7, 0xe1, 0xee, 0x91, 0x2f, 0xc0,
                                                0x88, 0x9a, 0xa7, 0x90, 0x80, 0x3b, 0xe3, 0x90, 0x38, 0xc5};

const char *mpavs_blockexec_strerror(int r) {
    switch (r) {
    case MPAVS_BLOCKEXEC_OK: return "ok";
    case MPAVS_BLOCKEXEC_INVALID: return "blockexec: invalid block";
    case MPAVS_BLOCKEXEC_UNPROVABLE: return "blockexec: unprovable block (calls a precompile without engine)";
    case MPAVS_BLOCKEXEC_ERR_FORK: return "blockexec: no supported fork is active at the block (pre-Cancun)";
    case MPAVS_BLOCKEXEC_ERR_SOURCE: return "blockexec: the state source or sink failed";
    case MPAVS_BLOCKEXEC_ERR_NOMEM: return "blockexec: out of memory";
    default: return "blockexec: unknown error";
    }
}

char *mpavs_blockexec_refusal_format(char *buf, size_t cap, const mpavs_blockexec_refusal *why) {
    if (cap == 0) return buf;
    snprintf(buf, cap, "%s: expected %s, got %s", why->field, why->expected, why->actual);
    return buf;
}

void mpavs_blockexec_chain_init(mpavs_blockexec_chain *chain, uint64_t chain_id, const mpavs_evm_schedule *schedule) {
    memset(chain, 0, sizeof *chain);
    chain->chain_id = chain_id;
    chain->schedule = *schedule;
    memcpy(chain->deposit_contract, MAINNET_DEPOSIT_CONTRACT, 20);
}

void mpavs_blockexec_blob_params(mpavs_chain_blob_params *p, const mpavs_blockexec_chain *chain, mpavs_evm_fork fork,
                                 uint64_t timestamp) {
    MPAVS_REQUIRE(p != NULL && chain != NULL);
    mpavs_chain_blob_params_default(p, fork);
    if (fork < MPAVS_EVM_OSAKA) return;
    for (size_t i = 0; i < chain->nbpo && i < MPAVS_BLOCKEXEC_MAX_BPO; i++)
        if (timestamp >= chain->bpo[i].time) *p = chain->bpo[i].blob;
}

/* ---- refusals ---------------------------------------------------------------------------- */

static int refuse(mpavs_blockexec_refusal *why, int kind, const char *field, const char *expected, const char *actual) {
    snprintf(why->field, sizeof why->field, "%s", field);
    snprintf(why->expected, sizeof why->expected, "%s", expected);
    snprintf(why->actual, sizeof why->actual, "%s", actual);
    return kind;
}

static void hex_of(char *out, size_t cap, const uint8_t *b, size_t n) {
    if (mpavs_hex_encode(out, cap, b, n, true) != MPAVS_HEX_OK) snprintf(out, cap, "?");
}

static int refuse_hash(mpavs_blockexec_refusal *why, const char *field, const uint8_t *expected, const uint8_t *actual,
                       size_t n) {
    char e[96], a[96];
    hex_of(e, sizeof e, expected, n);
    hex_of(a, sizeof a, actual, n);
    return refuse(why, MPAVS_BLOCKEXEC_INVALID, field, e, a);
}

static int refuse_u64(mpavs_blockexec_refusal *why, const char *field, uint64_t expected, uint64_t actual) {
    char e[32], a[32];
    snprintf(e, sizeof e, "%" PRIu64, expected);
    snprintf(a, sizeof a, "%" PRIu64, actual);
    return refuse(why, MPAVS_BLOCKEXEC_INVALID, field, e, a);
}

static int refuse_tx(mpavs_blockexec_refusal *why, size_t i, const char *expected, const char *actual) {
    char f[48];
    snprintf(f, sizeof f, "transactions[%zu]", i);
    return refuse(why, MPAVS_BLOCKEXEC_INVALID, f, expected, actual);
}

static int refuse_unprovable(mpavs_blockexec_refusal *why, const char *where, const uint8_t pc[20]) {
    char a[64];
    hex_of(a, sizeof a, pc, 20);
    refuse(why, MPAVS_BLOCKEXEC_UNPROVABLE, where, "only precompiles with an engine", "");
    snprintf(why->actual, sizeof why->actual, "a call to precompile %s", a);
    return MPAVS_BLOCKEXEC_UNPROVABLE;
}

static int from_evm(int r) {
    return r == MPAVS_EVM_ERR_NOMEM ? MPAVS_BLOCKEXEC_ERR_NOMEM : MPAVS_BLOCKEXEC_ERR_SOURCE;
}

/* ---- transactions ------------------------------------------------------------------------ */

/* One transaction of the block in the EVM's form, with the arrays it points to. */
typedef struct {
    mpavs_evm_tx etx;
    mpavs_evm_access *access;
    uint8_t (*keys)[32];
    uint8_t (*blob_hashes)[32];
    mpavs_evm_authorization *auths;
    mpavs_tx_authorization *tuples;
    bool nomem; /* an allocation failed (not a malformed transaction) */
} exec_tx;

static void exec_tx_free(exec_tx *t) {
    free(t->access);
    free(t->keys);
    free(t->blob_hashes);
    free(t->auths);
    free(t->tuples);
    memset(t, 0, sizeof *t);
}

/* The access list of a parsed transaction (its shape was checked by mpavs_tx_parse). */
static bool load_access_list(exec_tx *t, const mpavs_tx *tx) {
    if (!tx->access_list_rlp || tx->access_list_addresses == 0) return true;
    t->access = calloc(tx->access_list_addresses, sizeof *t->access);
    t->keys = tx->access_list_keys ? calloc(tx->access_list_keys, sizeof *t->keys) : NULL;
    if (!t->access || (tx->access_list_keys && !t->keys)) {
        t->nomem = true;
        return false;
    }
    mpavs_rlp_item list, entry, addr, keys, key;
    mpavs_rlp_iter it, kit, eit;
    size_t na = 0, nk = 0;
    if (mpavs_rlp_decode(&list, tx->access_list_rlp, tx->access_list_rlp_len) != MPAVS_RLP_OK ||
        mpavs_rlp_iter_init(&it, &list) != MPAVS_RLP_OK)
        return false;
    while (!mpavs_rlp_iter_done(&it)) {
        if (mpavs_rlp_next(&it, &entry) != MPAVS_RLP_OK || mpavs_rlp_iter_init(&eit, &entry) != MPAVS_RLP_OK ||
            mpavs_rlp_next(&eit, &addr) != MPAVS_RLP_OK || mpavs_rlp_next(&eit, &keys) != MPAVS_RLP_OK ||
            addr.is_list || addr.len != 20 || na >= tx->access_list_addresses ||
            mpavs_rlp_iter_init(&kit, &keys) != MPAVS_RLP_OK)
            return false;
        mpavs_evm_access *a = &t->access[na++];
        memcpy(a->address, addr.p, 20);
        a->keys = (const uint8_t(*)[32])(t->keys ? t->keys + nk : NULL);
        while (!mpavs_rlp_iter_done(&kit)) {
            if (mpavs_rlp_next(&kit, &key) != MPAVS_RLP_OK || key.is_list || key.len != 32 ||
                nk >= tx->access_list_keys)
                return false;
            memcpy(t->keys[nk++], key.p, 32);
            a->n_keys++;
        }
    }
    t->etx.access_list = t->access;
    t->etx.n_access = na;
    return na == tx->access_list_addresses && nk == tx->access_list_keys;
}

/*
 * Build the EVM transaction of tx with its sender. Returns 0, or 1 with *msg set when the
 * transaction is malformed, or -1 when out of memory.
 */
static int build_tx(exec_tx *t, const char **msg, const mpavs_ecdsa_ctx *ecdsa, const mpavs_tx *tx,
                    const mpavs_address *sender) {
    memset(t, 0, sizeof *t);
    mpavs_evm_tx *e = &t->etx;
    e->type = (uint8_t)tx->type;
    memcpy(e->sender, sender->bytes, 20);
    e->nonce = tx->nonce;
    e->gas_limit = tx->gas_limit;
    e->gas_price = tx->gas_price;
    e->max_fee = tx->max_fee_per_gas;
    e->max_priority_fee = tx->max_priority_fee_per_gas;
    e->is_create = !tx->has_to;
    if (tx->has_to) memcpy(e->to, tx->to.bytes, 20);
    e->value = tx->value;
    e->data = tx->data;
    e->data_len = tx->data_len;
    if (!load_access_list(t, tx)) {
        *msg = "a well-formed access list";
        return t->nomem ? -1 : 1;
    }
    if (tx->type == MPAVS_TX_TYPE_EIP4844) {
        e->max_fee_per_blob_gas = tx->max_fee_per_blob_gas;
        if (tx->blob_hash_count) {
            t->blob_hashes = calloc(tx->blob_hash_count, 32);
            if (!t->blob_hashes) return -1;
            for (size_t i = 0; i < tx->blob_hash_count; i++)
                if (mpavs_tx_blob_hash(t->blob_hashes[i], tx, i) != MPAVS_TX_OK) {
                    *msg = "well-formed blob versioned hashes";
                    return 1;
                }
        }
        e->blob_hashes = (const uint8_t(*)[32])t->blob_hashes;
        e->n_blob_hashes = tx->blob_hash_count;
    }
    if (tx->type == MPAVS_TX_TYPE_EIP7702 && tx->authorization_count) {
        size_t n = tx->authorization_count, got = 0;
        t->tuples = calloc(n, sizeof *t->tuples);
        t->auths = calloc(n, sizeof *t->auths);
        if (!t->tuples || !t->auths) return -1;
        if (mpavs_tx_authorizations(t->tuples, n, &got, tx) != MPAVS_TX_OK || got != n) {
            *msg = "a well-formed authorization list";
            return 1;
        }
        for (size_t i = 0; i < n; i++) {
            mpavs_evm_authorization *au = &t->auths[i];
            au->chain_id = t->tuples[i].chain_id;
            memcpy(au->address, t->tuples[i].address.bytes, 20);
            au->nonce = t->tuples[i].nonce;
            mpavs_address who;
            au->authority_valid = mpavs_tx_authority(ecdsa, &who, &t->tuples[i]) == MPAVS_TX_OK;
            if (au->authority_valid) memcpy(au->authority, who.bytes, 20);
        }
        e->auths = t->auths;
        e->n_auths = n;
    }
    return 0;
}

/* ---- EIP-6110 deposit requests ----------------------------------------------------------- */

static bool be_word_is(const uint8_t *w, uint64_t v) {
    for (int i = 0; i < 24; i++)
        if (w[i]) return false;
    uint64_t x = 0;
    for (int i = 24; i < 32; i++) x = x << 8 | w[i];
    return x == v;
}

/*
 * Append the deposit request of one DepositEvent log's data to out (192 bytes: pubkey 48,
 * withdrawal credentials 32, amount 8, signature 96, index 8). The ABI layout is checked exactly
 * (offsets 160, 256, 320, 384, 512; sizes 48, 32, 8, 96, 8; 576 bytes).
 */
static bool deposit_from_log(uint8_t out[192], const uint8_t *d, size_t len) {
    static const uint64_t offs[5] = {160, 256, 320, 384, 512};
    static const uint64_t sizes[5] = {48, 32, 8, 96, 8};
    if (len != 576) return false;
    size_t o = 0;
    for (int i = 0; i < 5; i++) {
        if (!be_word_is(d + 32 * i, offs[i]) || !be_word_is(d + offs[i], sizes[i])) return false;
        memcpy(out + o, d + offs[i] + 32, sizes[i]);
        o += sizes[i];
    }
    return true;
}

/* ---- the block --------------------------------------------------------------------------- */

typedef struct {
    mpavs_evm_state *st;
    mpavs_evm_tx_result *results;
    mpavs_chain_receipt *receipts;
    mpavs_chain_log **logs;
    size_t n;
    uint8_t *deposits;
    size_t deposits_len;
    uint8_t *sys_out[2];
    size_t sys_len[2];
    mpavs_block_tx *view_txs; /* the canonical view of a block with network-form blob transactions */
    uint8_t *view_buf;
} exec_block;

static void exec_block_free(exec_block *x) {
    for (size_t i = 0; i < x->n; i++) {
        mpavs_evm_tx_result_clear(&x->results[i]);
        free(x->logs[i]);
    }
    free(x->results);
    free(x->receipts);
    free(x->logs);
    free(x->deposits);
    free(x->sys_out[0]);
    free(x->sys_out[1]);
    free(x->view_txs);
    free(x->view_buf);
    mpavs_evm_state_destroy(x->st);
}

/* Run a system call; required: its contract must have code and must not fail (EIP-7002/7251);
   SYS_IF_CODE: it must not fail when it has code (MPAVS_BLOCKEXEC_OPTIONAL_REQUEST_CONTRACTS). */
#define SYS_IF_CODE 2
static int system_call(exec_block *x, mpavs_blockexec_refusal *why, const mpavs_evm_block *env, const char *name,
                       const uint8_t target[20], const uint8_t *data, size_t len, int required, uint8_t **out,
                       size_t *out_len) {
    blockexec_sys_status s;
    uint8_t pc[20], *o = NULL;
    size_t ol = 0;
    int r = blockexec_system_call(x->st, &s, &o, &ol, pc, env, target, data, len);
    if (r == MPAVS_EVM_ERR_UNSUPPORTED_PRECOMPILE) return refuse_unprovable(why, name, pc);
    if (r) return from_evm(r);
    if (required && s != BLOCKEXEC_SYS_RAN && !(required == SYS_IF_CODE && s == BLOCKEXEC_SYS_NO_CODE)) {
        free(o);
        return refuse(why, MPAVS_BLOCKEXEC_INVALID, name, "a system contract that has code and succeeds",
                      s == BLOCKEXEC_SYS_NO_CODE ? "no code at the system contract" : "the system call failed");
    }
    if (out) {
        *out = o;
        *out_len = ol;
    } else {
        free(o);
    }
    return MPAVS_BLOCKEXEC_OK;
}

static int run_transactions(exec_block *x, mpavs_blockexec_refusal *why, mpavs_blockexec_stats *stats,
                            const mpavs_ecdsa_ctx *ecdsa, const mpavs_blockexec_chain *chain,
                            const mpavs_evm_block *env, const mpavs_block *b, uint64_t max_blob_gas) {
    const mpavs_block_header *h = &b->header;
    uint64_t used = 0, blob_used = 0;
    int max_type = env->fork >= MPAVS_EVM_PRAGUE ? MPAVS_TX_TYPE_EIP7702 : MPAVS_TX_TYPE_EIP4844;
    for (size_t i = 0; i < b->tx_count; i++) {
        mpavs_tx tx;
        int r = mpavs_tx_parse(&tx, b->txs[i].raw, b->txs[i].len);
        if (r != MPAVS_TX_OK) return refuse_tx(why, i, "a well-formed transaction", mpavs_tx_strerror(r));
        r = mpavs_tx_validate_static(&tx, chain->chain_id, max_type);
        if (r != MPAVS_TX_OK) return refuse_tx(why, i, "a transaction valid for the chain and fork", mpavs_tx_strerror(r));
        mpavs_address sender;
        r = mpavs_tx_sender(ecdsa, &sender, &tx);
        if (r != MPAVS_TX_OK) return refuse_tx(why, i, "a valid signature", mpavs_tx_strerror(r));
        if (tx.gas_limit > h->gas_limit - used) {
            char e[64], a[64];
            snprintf(e, sizeof e, "gas <= %" PRIu64 " (left in the block)", h->gas_limit - used);
            snprintf(a, sizeof a, "gas %" PRIu64, tx.gas_limit);
            return refuse_tx(why, i, e, a);
        }
        uint64_t blob_gas = (uint64_t)tx.blob_hash_count * GAS_PER_BLOB;
        if (tx.blob_hash_count > max_blob_gas / GAS_PER_BLOB || blob_gas > max_blob_gas - blob_used) {
            char e[64], a[64];
            snprintf(e, sizeof e, "blob gas <= %" PRIu64 " (left in the block)", max_blob_gas - blob_used);
            snprintf(a, sizeof a, "%zu blobs", tx.blob_hash_count);
            return refuse_tx(why, i, e, a);
        }
        exec_tx et;
        const char *msg = NULL;
        r = build_tx(&et, &msg, ecdsa, &tx, &sender);
        if (r) {
            exec_tx_free(&et);
            return r < 0 ? MPAVS_BLOCKEXEC_ERR_NOMEM : refuse_tx(why, i, msg, "a malformed transaction");
        }
        mpavs_evm_tx_result *res = &x->results[i];
        r = mpavs_evm_execute_tx(x->st, res, env, &et.etx);
        exec_tx_free(&et);
        x->n = i + 1;
        if (r == MPAVS_EVM_ERR_UNSUPPORTED_PRECOMPILE) {
            char f[48];
            snprintf(f, sizeof f, "transactions[%zu]", i);
            return refuse_unprovable(why, f, res->unsupported_precompile);
        }
        if (r == MPAVS_EVM_ERR_SOURCE || r == MPAVS_EVM_ERR_NOMEM) return from_evm(r);
        if (r) return refuse_tx(why, i, "a transaction valid on the state", mpavs_evm_strerror(r));
        used += res->gas_used;
        blob_used += blob_gas;
        mpavs_chain_log *logs = res->n_logs ? calloc(res->n_logs, sizeof *logs) : NULL;
        if (res->n_logs && !logs) return MPAVS_BLOCKEXEC_ERR_NOMEM;
        x->logs[i] = logs;
        for (size_t k = 0; k < res->n_logs; k++) {
            memcpy(logs[k].address, res->logs[k].address, 20);
            memcpy(logs[k].topics, res->logs[k].topics, sizeof logs[k].topics);
            logs[k].n_topics = res->logs[k].n_topics;
            logs[k].data = res->logs[k].data;
            logs[k].data_len = res->logs[k].data_len;
        }
        mpavs_chain_receipt *rc = &x->receipts[i];
        rc->type = (uint8_t)tx.type;
        rc->status = res->status == MPAVS_EVM_STATUS_SUCCESS;
        rc->cumulative_gas_used = used;
        mpavs_chain_logs_bloom(rc->bloom, logs, res->n_logs);
        rc->logs = logs;
        rc->n_logs = res->n_logs;
    }
    stats->gas_used = used;
    stats->blob_gas_used = blob_used;
    stats->tx_count = b->tx_count;
    return MPAVS_BLOCKEXEC_OK;
}

/* Collect the EIP-6110 deposit requests of the receipts' logs. */
static int collect_deposits(exec_block *x, mpavs_blockexec_refusal *why, const mpavs_blockexec_chain *chain) {
    size_t n = 0;
    for (size_t i = 0; i < x->n; i++)
        for (size_t k = 0; k < x->receipts[i].n_logs; k++) {
            const mpavs_chain_log *l = &x->receipts[i].logs[k];
            if (!memcmp(l->address, chain->deposit_contract, 20) && l->n_topics >= 1 &&
                !memcmp(l->topics[0], DEPOSIT_EVENT_TOPIC, 32))
                n++;
        }
    if (n == 0) return MPAVS_BLOCKEXEC_OK;
    x->deposits = malloc(n * 192);
    if (!x->deposits) return MPAVS_BLOCKEXEC_ERR_NOMEM;
    for (size_t i = 0; i < x->n; i++)
        for (size_t k = 0; k < x->receipts[i].n_logs; k++) {
            const mpavs_chain_log *l = &x->receipts[i].logs[k];
            if (memcmp(l->address, chain->deposit_contract, 20) || l->n_topics < 1 ||
                memcmp(l->topics[0], DEPOSIT_EVENT_TOPIC, 32))
                continue;
            if (!deposit_from_log(x->deposits + x->deposits_len, l->data, l->data_len)) {
                char f[64];
                snprintf(f, sizeof f, "transactions[%zu].logs[%zu]", i, k);
                char a[48];
                snprintf(a, sizeof a, "%zu bytes of another layout", l->data_len);
                return refuse(why, MPAVS_BLOCKEXEC_INVALID, f, "a DepositEvent of the EIP-6110 layout (576 bytes)", a);
            }
            x->deposits_len += 192;
        }
    return MPAVS_BLOCKEXEC_OK;
}

/* The length of the block's encoding, from its parts (as mpavs_block_decode found them). */
static size_t block_rlp_size(const mpavs_block *b) {
    uint8_t hdr[9];
    size_t txs = 0;
    for (size_t i = 0; i < b->tx_count; i++) {
        const mpavs_block_tx *t = &b->txs[i];
        txs += t->len && t->raw[0] >= 0xc0 ? t->len : mpavs_rlp_bytes_size(t->raw, t->len);
    }
    size_t payload = b->header_rlp_len + mpavs_rlp_encode_header(hdr, true, txs) + txs + b->ommers_rlp_len;
    if (b->has_withdrawals) {
        size_t ws = 0;
        uint8_t w[MPAVS_WITHDRAWAL_MAX];
        for (size_t i = 0; i < b->withdrawal_count; i++) ws += mpavs_withdrawal_encode(w, &b->withdrawals[i]);
        payload += mpavs_rlp_encode_header(hdr, true, ws) + ws;
    }
    return mpavs_rlp_encode_header(hdr, true, payload) + payload;
}

int mpavs_blockexec_execute(mpavs_blockexec_refusal *why, mpavs_blockexec_stats *stats_out,
                            const mpavs_ecdsa_ctx *ecdsa, const mpavs_blockexec_chain *chain,
                            const mpavs_block_header *parent, const mpavs_block *b,
                            const mpavs_blockexec_state *state, mpavs_evm_blockhash_fn blockhash,
                            void *blockhash_ctx) {
    memset(why, 0, sizeof *why);
    mpavs_blockexec_stats stats;
    memset(&stats, 0, sizeof stats);
    const mpavs_block_header *h = &b->header;
    exec_block x;
    memset(&x, 0, sizeof x);
    int ret;
    uint8_t hash[32];

    /* 1. the block size (Osaka), the header against its parent, no ommers */
    mpavs_evm_fork fork;
    if (mpavs_evm_fork_at(&fork, &chain->schedule, h->number, h->timestamp) != MPAVS_EVM_OK) {
        ret = MPAVS_BLOCKEXEC_ERR_FORK;
        goto out;
    }
    /* blob transactions in their network form: anvil's transactionsRoot commits to them */
    const mpavs_block *held = b; /* the transactions as the block holds them, for transactionsRoot */
    mpavs_block view;
    size_t net_at = 0;
    int vr = chain_block_canonical_view(&view, &x.view_txs, &x.view_buf, &net_at, b);
    if (vr < 0) {
        ret = MPAVS_BLOCKEXEC_ERR_NOMEM;
        goto out;
    }
    if (vr > 0 && !(chain->flags & MPAVS_BLOCKEXEC_ANVIL_BLOB_TX_ROOT)) {
        ret = refuse_tx(why, net_at, "a blob transaction in its canonical form (no sidecar in a block)",
                        "its network form with the sidecar (anvil's transactionsRoot)");
        goto out;
    }
    if (vr > 0) b = &view;
    stats.rlp_size = block_rlp_size(b);
    if (fork >= MPAVS_EVM_OSAKA && stats.rlp_size > MAX_RLP_BLOCK_SIZE) {
        char e[64], a[32];
        snprintf(e, sizeof e, "<= %u bytes (EIP-7934)", MAX_RLP_BLOCK_SIZE);
        snprintf(a, sizeof a, "%zu bytes", stats.rlp_size);
        ret = refuse(why, MPAVS_BLOCKEXEC_INVALID, "size", e, a);
        goto out;
    }
    {
        mpavs_chain_rules rules;
        memset(&rules, 0, sizeof rules);
        rules.fork = fork;
        rules.equal_timestamp = (chain->flags & MPAVS_BLOCKEXEC_EQUAL_TIMESTAMP) != 0;
        mpavs_blockexec_blob_params(&rules.blob, chain, fork, h->timestamp);
        uint8_t parent_hash[32];
        if (mpavs_block_header_hash(parent_hash, parent) != MPAVS_BLOCK_OK) {
            ret = refuse(why, MPAVS_BLOCKEXEC_INVALID, "parentHash", "a parent header that encodes",
                         "a parent header that does not");
            goto out;
        }
        bool ok = false;
        mpavs_chain_refusal cr;
        int r = mpavs_chain_validate_header(&ok, &cr, &rules, h, parent, parent_hash);
        if (r != MPAVS_CHAIN_OK) {
            ret = refuse(why, MPAVS_BLOCKEXEC_INVALID, "parentHash", "a parent that can have children",
                         mpavs_chain_strerror(r));
            goto out;
        }
        if (!ok) {
            ret = refuse(why, MPAVS_BLOCKEXEC_INVALID, mpavs_chain_field_name(cr.field), cr.expected, cr.actual);
            goto out;
        }
        if (b->ommer_count) {
            ret = refuse_u64(why, "uncles", 0, b->ommer_count);
            goto out;
        }
        mpavs_block_ommers_hash(hash, b);
        if (memcmp(hash, h->ommers_hash, 32)) {
            ret = refuse_hash(why, "sha3Uncles", hash, h->ommers_hash, 32);
            goto out;
        }
    }

    /* the environment the transactions see */
    mpavs_evm_block env;
    memset(&env, 0, sizeof env);
    env.fork = fork;
    memcpy(env.coinbase, h->coinbase.bytes, 20);
    env.number = h->number;
    env.timestamp = h->timestamp;
    env.gas_limit = h->gas_limit;
    env.base_fee = h->base_fee_per_gas;
    memcpy(env.prevrandao, h->mix_hash, 32);
    mpavs_chain_blob_params bp;
    mpavs_blockexec_blob_params(&bp, chain, fork, h->timestamp);
    mpavs_evm_blob_base_fee_fraction(&env.blob_base_fee, bp.update_fraction, h->excess_blob_gas);
    env.chain_id = chain->chain_id;
    env.blockhash = blockhash;
    env.blockhash_ctx = blockhash_ctx;
    env.no_tx_gas_cap = (chain->flags & MPAVS_BLOCKEXEC_NO_TX_GAS_CAP) != 0;
    env.keep_touched_empty = (chain->flags & MPAVS_BLOCKEXEC_KEEP_TOUCHED_EMPTY) != 0;
    uint64_t max_blob_gas = bp.max * GAS_PER_BLOB;

    x.st = mpavs_evm_state_create(&state->source);
    size_t nt = b->tx_count ? b->tx_count : 1;
    x.results = calloc(nt, sizeof *x.results);
    x.receipts = calloc(nt, sizeof *x.receipts);
    x.logs = calloc(nt, sizeof *x.logs);
    if (!x.st || !x.results || !x.receipts || !x.logs) {
        ret = MPAVS_BLOCKEXEC_ERR_NOMEM;
        goto out;
    }

    /* 2. pre-block system calls */
    if (h->has_blob_gas &&
        (ret = system_call(&x, why, &env, "parentBeaconBlockRoot (EIP-4788 system call)", BEACON_ROOTS_ADDRESS,
                           h->parent_beacon_block_root, 32, false, NULL, NULL)))
        goto out;
    if (fork >= MPAVS_EVM_PRAGUE &&
        (ret = system_call(&x, why, &env, "parentHash (EIP-2935 system call)", HISTORY_STORAGE_ADDRESS,
                           h->parent_hash, 32, false, NULL, NULL)))
        goto out;

    /* 3. transactions */
    if ((ret = run_transactions(&x, why, &stats, ecdsa, chain, &env, b, max_blob_gas))) goto out;

    /* 4. withdrawals */
    for (size_t i = 0; i < b->withdrawal_count; i++) {
        mpavs_u256 wei = mpavs_u256_from_u64(b->withdrawals[i].amount_gwei), g = mpavs_u256_from_u64(1000000000u);
        (void)mpavs_u256_mul(&wei, &wei, &g); /* < 2^94: no overflow */
        int r = mpavs_evm_state_add_balance(x.st, b->withdrawals[i].address.bytes, &wei);
        if (r) {
            ret = from_evm(r);
            goto out;
        }
    }

    /* 5. EIP-7685 requests (Prague) */
    uint8_t requests_hash[32];
    if (fork >= MPAVS_EVM_PRAGUE) {
        int required = chain->flags & MPAVS_BLOCKEXEC_OPTIONAL_REQUEST_CONTRACTS ? SYS_IF_CODE : 1;
        if ((ret = collect_deposits(&x, why, chain))) goto out;
        if ((ret = system_call(&x, why, &env, "requestsHash (EIP-7002 system call)", WITHDRAWAL_REQUEST_ADDRESS, NULL,
                               0, required, &x.sys_out[0], &x.sys_len[0])))
            goto out;
        if ((ret = system_call(&x, why, &env, "requestsHash (EIP-7251 system call)", CONSOLIDATION_REQUEST_ADDRESS,
                               NULL, 0, required, &x.sys_out[1], &x.sys_len[1])))
            goto out;
        mpavs_chain_request rq[3] = {{0, x.deposits, x.deposits_len},
                                     {1, x.sys_out[0], x.sys_len[0]},
                                     {2, x.sys_out[1], x.sys_len[1]}};
        if (mpavs_chain_requests_hash(requests_hash, rq, 3) != MPAVS_CHAIN_OK) {
            ret = MPAVS_BLOCKEXEC_ERR_NOMEM;
            goto out;
        }
    }

    /* what the execution gives, for the caller's reports */
    for (size_t i = 0; i < x.n; i++)
        for (size_t k = 0; k < 256; k++) stats.logs_bloom[k] |= x.receipts[i].bloom[k];
    if (mpavs_chain_receipts_root(stats.receipts_root, x.receipts, x.n) == MPAVS_CHAIN_OK) stats.has_receipts = true;
    if (fork >= MPAVS_EVM_PRAGUE) memcpy(stats.requests_hash, requests_hash, 32);

    /* 6. the results against the header */
    {
        bool ok = false;
        mpavs_chain_refusal cr;
        int r = mpavs_chain_check_receipts(&ok, &cr, h, x.receipts, x.n);
        if (r != MPAVS_CHAIN_OK) {
            ret = r == MPAVS_CHAIN_ERR_NOMEM ? MPAVS_BLOCKEXEC_ERR_NOMEM
                                             : refuse(why, MPAVS_BLOCKEXEC_INVALID, "receiptsRoot",
                                                      "receipts that encode", mpavs_chain_strerror(r));
            goto out;
        }
        if (!ok) {
            /* the gas used first, in decimal: it is the most telling difference */
            if (cr.field == MPAVS_CHAIN_FIELD_GAS_USED)
                ret = refuse_u64(why, "gasUsed", stats.gas_used, h->gas_used);
            else
                ret = refuse(why, MPAVS_BLOCKEXEC_INVALID, mpavs_chain_field_name(cr.field), cr.expected, cr.actual);
            goto out;
        }
    }
    /* the body's roots (after execution, as the execution-specs order the checks: a block with an
       invalid transaction is refused for that transaction) */
    if (mpavs_block_transactions_root(hash, held) != MPAVS_BLOCK_OK) {
        ret = MPAVS_BLOCKEXEC_ERR_NOMEM;
        goto out;
    }
    if (memcmp(hash, h->transactions_root, 32)) {
        ret = refuse_hash(why, "transactionsRoot", hash, h->transactions_root, 32);
        goto out;
    }
    if (h->has_withdrawals_root) {
        if (mpavs_block_withdrawals_root(hash, b) != MPAVS_BLOCK_OK) {
            ret = MPAVS_BLOCKEXEC_ERR_NOMEM;
            goto out;
        }
        if (memcmp(hash, h->withdrawals_root, 32)) {
            ret = refuse_hash(why, "withdrawalsRoot", hash, h->withdrawals_root, 32);
            goto out;
        }
    }
    if (h->has_blob_gas && stats.blob_gas_used != h->blob_gas_used) {
        ret = refuse_u64(why, "blobGasUsed", stats.blob_gas_used, h->blob_gas_used);
        goto out;
    }
    if (fork >= MPAVS_EVM_PRAGUE) {
        if (!h->has_requests_hash) {
            ret = refuse(why, MPAVS_BLOCKEXEC_INVALID, "requestsHash", "present (Prague)", "absent");
            goto out;
        }
        if (memcmp(requests_hash, h->requests_hash, 32)) {
            ret = refuse_hash(why, "requestsHash", requests_hash, h->requests_hash, 32);
            goto out;
        }
    }

    /* the post-state */
    stats.sink_written = true;
    if (mpavs_evm_state_commit(x.st, &state->sink) != MPAVS_EVM_OK || state->root(state->root_ctx, stats.state_root)) {
        ret = MPAVS_BLOCKEXEC_ERR_SOURCE;
        goto out;
    }
    if (memcmp(stats.state_root, h->state_root, 32)) {
        ret = refuse_hash(why, "stateRoot", stats.state_root, h->state_root, 32);
        goto out;
    }
    ret = MPAVS_BLOCKEXEC_OK;
out:
    exec_block_free(&x);
    if (stats_out) *stats_out = stats;
    return ret;
}
