/*
 * Acquisition from a JSON-RPC node: block N and its ancestors, then the state
 * from debug_executionWitness or from prestate traces and eth_getProof.
 */
#include "mpavs/hex.h"
#include "mpavs/keccak.h"
#include "mpavs/rlp.h"
#include "mpavs/tx.h"
#include "witness_internal.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PROOF_SLOTS_PER_CALL 256
#define BLOCKHASH_WINDOW 256

typedef struct {
    mpavs_witness *w;
    mpavs_rpc *rpc;
    struct timespec t0;
} acq;

static long elapsed_ms(const acq *a) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long)(t.tv_sec - a->t0.tv_sec) * 1000 + (t.tv_nsec - a->t0.tv_nsec) / 1000000;
}

/* One call within the time budget. Out: *text (malloc'd JSON of the result). */
static int call(acq *a, char **text, const char *method, const char *params) {
    mpavs_witness *w = a->w;
    long left = w->lim.max_rpc_ms - elapsed_ms(a);
    if (left <= 0)
        return wit_fail(w, MPAVS_WITNESS_ERR_LIMIT_TIME, "RPC time budget of %ld ms spent before %s",
                        w->lim.max_rpc_ms, method);
    mpavs_rpc_set_timeout(a->rpc, left);
    mpavs_error e = {0};
    int r = mpavs_rpc_call(a->rpc, text, &e, method, params);
    w->rpc_calls++;
    w->rpc_ms = elapsed_ms(a);
    int wr = 0;
    if (r == MPAVS_RPC_OK) return 0;
    if (elapsed_ms(a) >= w->lim.max_rpc_ms)
        wr = wit_fail(w, MPAVS_WITNESS_ERR_LIMIT_TIME, "RPC time budget of %ld ms spent in %s",
                      w->lim.max_rpc_ms, method);
    else if (r == MPAVS_RPC_ERR_RPC && (e.rpc_code == -32601 || e.rpc_code == -32602))
        wr = wit_fail(w, MPAVS_WITNESS_ERR_UNSUPPORTED, "%s: %s", method, e.message);
    else if (r == MPAVS_RPC_ERR_TOO_LARGE)
        wr = wit_fail(w, MPAVS_WITNESS_ERR_LIMIT_BYTES, "%s: reply too large", method);
    else if (r == MPAVS_RPC_ERR_NOMEM)
        wr = wit_fail(w, MPAVS_WITNESS_ERR_NOMEM, "out of memory");
    else
        wr = wit_fail(w, MPAVS_WITNESS_ERR_RPC, "%s: %s: %s", method, mpavs_rpc_strerror(r), e.message);
    mpavs_error_clear(&e);
    return wr;
}

static int call_json(acq *a, json_t **out, const char *method, const char *params) {
    char *text;
    int r = call(a, &text, method, params);
    if (r) return r;
    *out = json_loads(text, 0, NULL);
    free(text);
    if (!*out) return wit_fail(a->w, MPAVS_WITNESS_ERR_PARSE, "%s: result is not JSON", method);
    return 0;
}

static bool hexn(uint8_t *out, size_t n, const json_t *j) {
    const char *s = json_string_value(j);
    return s && mpavs_hex_decode_exact(out, n, s) == 0;
}

static bool qty64(uint64_t *v, const json_t *j) {
    mpavs_u256 u;
    const char *s = json_string_value(j);
    if (!s || strlen(s) < 3 || s[0] != '0' || s[1] != 'x' || mpavs_u256_parse(&u, s, strlen(s))) return false;
    if (u.w[1] || u.w[2] || u.w[3]) return false;
    *v = u.w[0];
    return true;
}

static bool qty256(mpavs_u256 *v, const json_t *j) {
    const char *s = json_string_value(j);
    return s && strlen(s) >= 3 && s[0] == '0' && s[1] == 'x' && mpavs_u256_parse(v, s, strlen(s)) == 0;
}

/* A header from an eth_getBlockByNumber object, checked against its "hash". */
static int header_from_json(mpavs_witness *w, mpavs_block_header *h, uint8_t hash[32], const json_t *b) {
    memset(h, 0, sizeof *h);
    const char *xd = json_string_value(json_object_get(b, "extraData"));
    uint8_t *x = NULL;
    size_t xl = 0;
    bool ok = hexn(h->parent_hash, 32, json_object_get(b, "parentHash")) &&
              hexn(h->ommers_hash, 32, json_object_get(b, "sha3Uncles")) &&
              hexn(h->coinbase.bytes, 20, json_object_get(b, "miner")) &&
              hexn(h->state_root, 32, json_object_get(b, "stateRoot")) &&
              hexn(h->transactions_root, 32, json_object_get(b, "transactionsRoot")) &&
              hexn(h->receipts_root, 32, json_object_get(b, "receiptsRoot")) &&
              hexn(h->logs_bloom, 256, json_object_get(b, "logsBloom")) &&
              qty256(&h->difficulty, json_object_get(b, "difficulty")) &&
              qty64(&h->number, json_object_get(b, "number")) &&
              qty64(&h->gas_limit, json_object_get(b, "gasLimit")) &&
              qty64(&h->gas_used, json_object_get(b, "gasUsed")) &&
              qty64(&h->timestamp, json_object_get(b, "timestamp")) &&
              wit_unhex(&x, &xl, xd, MPAVS_BLOCK_EXTRA_MAX) &&
              hexn(h->mix_hash, 32, json_object_get(b, "mixHash")) &&
              hexn(h->nonce, 8, json_object_get(b, "nonce")) && hexn(hash, 32, json_object_get(b, "hash"));
    if (ok) memcpy(h->extra_data, x, xl), h->extra_data_len = xl;
    free(x);
    const json_t *f;
    if (ok && (f = json_object_get(b, "baseFeePerGas")))
        h->has_base_fee = true, ok = qty256(&h->base_fee_per_gas, f);
    if (ok && (f = json_object_get(b, "withdrawalsRoot")))
        h->has_withdrawals_root = true, ok = hexn(h->withdrawals_root, 32, f);
    if (ok && (f = json_object_get(b, "blobGasUsed")))
        h->has_blob_gas = true, ok = qty64(&h->blob_gas_used, f) &&
                                    qty64(&h->excess_blob_gas, json_object_get(b, "excessBlobGas")) &&
                                    hexn(h->parent_beacon_block_root, 32, json_object_get(b, "parentBeaconBlockRoot"));
    if (ok && (f = json_object_get(b, "requestsHash"))) h->has_requests_hash = true, ok = hexn(h->requests_hash, 32, f);
    if (!ok) return wit_fail(w, MPAVS_WITNESS_ERR_PARSE, "eth_getBlockByNumber: malformed header fields");
    uint8_t mine[32];
    if (mpavs_block_header_hash(mine, h)) return wit_fail(w, MPAVS_WITNESS_ERR_PARSE, "header does not encode");
    if (memcmp(mine, hash, 32))
        return wit_fail(w, MPAVS_WITNESS_ERR_HASH, "header of block %llu does not hash to its hash",
                        (unsigned long long)h->number);
    return 0;
}

static int get_block_json(acq *a, json_t **b, uint64_t n, bool full) {
    char tag[24], params[64];
    snprintf(params, sizeof params, "[\"%s\",%s]", mpavs_rpc_tag_number(tag, n), full ? "true" : "false");
    int r = call_json(a, b, "eth_getBlockByNumber", params);
    if (r) return r;
    if (!json_is_object(*b)) {
        json_decref(*b);
        return wit_fail(a->w, MPAVS_WITNESS_ERR_PARSE, "eth_getBlockByNumber(%llu): no block", (unsigned long long)n);
    }
    return 0;
}

/* The block's RLP from its header, transactions (raws[i] of lens[i] bytes) and withdrawals (JSON)
   into out (cap bytes, enough). Out: *len. */
static int encode_block(mpavs_witness *w, uint8_t *out, size_t cap, size_t *len, const mpavs_block_header *h,
                        uint8_t *const *raws, const size_t *lens, size_t ntx, const json_t *wds) {
    uint8_t hb[MPAVS_BLOCK_HEADER_MAX];
    size_t hl, m0, m1;
    if (mpavs_block_header_encode(hb, sizeof hb, &hl, h)) return wit_fail(w, MPAVS_WITNESS_ERR_PARSE, "header does not encode");
    mpavs_rlp_writer wr;
    mpavs_rlp_writer_init(&wr, out, cap);
    mpavs_rlp_list_begin(&wr, &m0);
    mpavs_rlp_put_raw(&wr, hb, hl);
    mpavs_rlp_list_begin(&wr, &m1);
    for (size_t i = 0; i < ntx; i++) {
        if (raws[i][0] >= 0xc0) mpavs_rlp_put_raw(&wr, raws[i], lens[i]); /* legacy: the list itself */
        else mpavs_rlp_put_bytes(&wr, raws[i], lens[i]);                  /* typed: a byte string */
    }
    mpavs_rlp_list_end(&wr, m1);
    mpavs_rlp_list_begin(&wr, &m1);
    mpavs_rlp_list_end(&wr, m1);
    if (h->has_withdrawals_root) {
        mpavs_rlp_list_begin(&wr, &m1);
        size_t i;
        json_t *e;
        json_array_foreach(wds, i, e) {
            mpavs_withdrawal wd;
            mpavs_u256 amt;
            if (!qty64(&wd.index, json_object_get(e, "index")) ||
                !qty64(&wd.validator_index, json_object_get(e, "validatorIndex")) ||
                !hexn(wd.address.bytes, 20, json_object_get(e, "address")) ||
                !qty256(&amt, json_object_get(e, "amount")) || amt.w[1] || amt.w[2] || amt.w[3])
                return wit_fail(w, MPAVS_WITNESS_ERR_PARSE, "block %llu: malformed withdrawal", (unsigned long long)h->number);
            wd.amount_gwei = amt.w[0];
            uint8_t we[MPAVS_WITHDRAWAL_MAX];
            mpavs_rlp_put_raw(&wr, we, mpavs_withdrawal_encode(we, &wd));
        }
        mpavs_rlp_list_end(&wr, m1);
    }
    mpavs_rlp_list_end(&wr, m0);
    if (mpavs_rlp_writer_finish(&wr, len)) return wit_fail(w, MPAVS_WITNESS_ERR_PARSE, "block does not encode");
    return 0;
}

/* Does the block (out, len) decode, and do its transactions and withdrawals match its header's roots?
   Out: *tx_ok (the transactions root matches). */
static int check_roots(mpavs_witness *w, bool *ok, bool *tx_ok, const uint8_t *out, size_t len) {
    mpavs_block blk;
    uint8_t root[32];
    if (mpavs_block_decode(&blk, out, len)) return wit_fail(w, MPAVS_WITNESS_ERR_PARSE, "rebuilt block does not decode");
    *tx_ok = mpavs_block_transactions_root(root, &blk) == 0 && memcmp(root, blk.header.transactions_root, 32) == 0;
    *ok = *tx_ok;
    if (blk.has_withdrawals)
        *ok = *ok && mpavs_block_withdrawals_root(root, &blk) == 0 && memcmp(root, blk.header.withdrawals_root, 32) == 0;
    mpavs_block_clear(&blk);
    return 0;
}

/*
 * Block N: header, raw transactions (eth_getRawTransactionByHash), withdrawals, as RLP. A blob
 * transaction served in its network form (anvil does) is hash-checked in its canonical form, the
 * one a block holds. anvil's transactionsRoot commits to the network form instead (foundry 1.7: a
 * trie of the pooled encodings, sidecar included): when the canonical forms do not give the
 * header's root and the served forms do, the block is kept with the served forms, as the header
 * commits to them; mpavs_blockexec refuses such a block unless MPAVS_BLOCKEXEC_ANVIL_BLOB_TX_ROOT.
 */
static int fetch_block(acq *a, uint64_t n, uint8_t parent_hash[32]) {
    mpavs_witness *w = a->w;
    json_t *b;
    int r = get_block_json(a, &b, n, false);
    if (r) return r;
    mpavs_block_header h;
    uint8_t hash[32];
    uint8_t **raws = NULL, **canon = NULL;
    size_t *lens = NULL, *clens = NULL, ntx = 0, nnet = 0;
    uint8_t *out = NULL;
    if ((r = header_from_json(w, &h, hash, b))) goto done;
    const json_t *txs = json_object_get(b, "transactions"), *unc = json_object_get(b, "uncles");
    if (!json_is_array(txs) || (unc && json_array_size(unc))) {
        r = wit_fail(w, MPAVS_WITNESS_ERR_PARSE, "block %llu: no transaction list, or ommers (unsupported)",
                     (unsigned long long)n);
        goto done;
    }
    ntx = json_array_size(txs);
    raws = calloc(ntx + 1, sizeof *raws), lens = calloc(ntx + 1, sizeof *lens);
    canon = calloc(ntx + 1, sizeof *canon), clens = calloc(ntx + 1, sizeof *clens);
    if (!raws || !lens || !canon || !clens) {
        r = wit_fail(w, MPAVS_WITNESS_ERR_NOMEM, "out of memory");
        goto done;
    }
    size_t total = MPAVS_BLOCK_HEADER_MAX + 64;
    for (size_t i = 0; i < ntx; i++) {
        uint8_t th[32], got[32];
        const char *hs = json_string_value(json_array_get(txs, i));
        if (!hs || mpavs_hex_decode_exact(th, 32, hs)) {
            r = wit_fail(w, MPAVS_WITNESS_ERR_PARSE, "block %llu: bad transaction hash", (unsigned long long)n);
            goto done;
        }
        char params[80], *text;
        snprintf(params, sizeof params, "[\"%s\"]", hs);
        if ((r = call(a, &text, "eth_getRawTransactionByHash", params))) goto done;
        json_t *j = json_loads(text, JSON_DECODE_ANY, NULL);
        free(text);
        bool ok = j && wit_unhex(&raws[i], &lens[i], json_string_value(j), w->lim.max_bytes);
        json_decref(j);
        if (!ok || !lens[i]) {
            r = wit_fail(w, MPAVS_WITNESS_ERR_PARSE, "eth_getRawTransactionByHash: malformed");
            goto done;
        }
        const uint8_t *body;
        size_t bl;
        if (mpavs_tx_blob_network_body(&body, &bl, raws[i], lens[i])) {
            if (!(canon[i] = malloc(bl + 1))) {
                r = wit_fail(w, MPAVS_WITNESS_ERR_NOMEM, "out of memory");
                goto done;
            }
            canon[i][0] = MPAVS_TX_TYPE_EIP4844;
            memcpy(canon[i] + 1, body, bl);
            clens[i] = bl + 1;
            nnet++;
        } else {
            canon[i] = raws[i], clens[i] = lens[i];
        }
        mpavs_keccak256(got, canon[i], clens[i]);
        if (memcmp(got, th, 32)) {
            r = wit_fail(w, MPAVS_WITNESS_ERR_HASH, "transaction %zu of block %llu does not hash to its hash", i,
                         (unsigned long long)n);
            goto done;
        }
        total += lens[i] + 9;
    }
    const json_t *wds = json_object_get(b, "withdrawals");
    total += json_array_size(wds) * (MPAVS_WITHDRAWAL_MAX + 1) + 32;
    if ((r = wit_charge_bytes(w, total))) goto done;
    out = malloc(total);
    if (!out) {
        r = wit_fail(w, MPAVS_WITNESS_ERR_NOMEM, "out of memory");
        goto done;
    }
    size_t len;
    bool ok = false, tx_ok = false;
    if ((r = encode_block(w, out, total, &len, &h, canon, clens, ntx, wds)) || (r = check_roots(w, &ok, &tx_ok, out, len)))
        goto done;
    if (!tx_ok && nnet) { /* anvil's root over the network forms */
        if ((r = encode_block(w, out, total, &len, &h, raws, lens, ntx, wds)) || (r = check_roots(w, &ok, &tx_ok, out, len)))
            goto done;
        if (!tx_ok) {
            r = wit_fail(w, MPAVS_WITNESS_ERR_HASH,
                         "block %llu: transactions root mismatch (neither the canonical nor the network form of its "
                         "%zu blob transaction(s) gives it)", (unsigned long long)n, nnet);
            goto done;
        }
    }
    if (!ok) {
        r = wit_fail(w, MPAVS_WITNESS_ERR_HASH, "block %llu: %s root mismatch", (unsigned long long)n,
                     tx_ok ? "withdrawals" : "transactions");
        goto done;
    }
    w->block_rlp = out, w->block_len = len, w->block_number = n;
    out = NULL;
    memcpy(parent_hash, h.parent_hash, 32);
done:
    for (size_t i = 0; raws && i < ntx; i++) {
        if (canon && canon[i] != raws[i]) free(canon[i]);
        free(raws[i]);
    }
    free(raws), free(lens), free(canon), free(clens), free(out);
    json_decref(b);
    return r;
}

/* Ancestors N-1 .. max(0, N-256), linked by parentHash from block N. A header the witness already
   holds (added by the caller) is not fetched again; it must link like a fetched one. */
static int fetch_headers(acq *a, uint64_t n, const uint8_t parent_hash[32]) {
    mpavs_witness *w = a->w;
    uint8_t want[32];
    memcpy(want, parent_hash, 32);
    uint64_t lo = n > BLOCKHASH_WINDOW ? n - BLOCKHASH_WINDOW : 0;
    for (uint64_t k = n; k-- > lo;) {
        const mpavs_block_header *held = mpavs_witness_header(w, k);
        if (held) {
            uint8_t hh[32];
            if (mpavs_block_header_hash(hh, held) || memcmp(hh, want, 32))
                return wit_fail(w, MPAVS_WITNESS_ERR_CHAIN, "header %llu held is not the parent of block %llu",
                                (unsigned long long)k, (unsigned long long)k + 1);
            memcpy(want, held->parent_hash, 32);
            continue;
        }
        json_t *b;
        int r = get_block_json(a, &b, k, false);
        if (r) return r;
        mpavs_block_header h;
        uint8_t hash[32], enc[MPAVS_BLOCK_HEADER_MAX];
        size_t el;
        r = header_from_json(w, &h, hash, b);
        json_decref(b);
        if (r) return r;
        if (h.number != k || memcmp(hash, want, 32))
            return wit_fail(w, MPAVS_WITNESS_ERR_CHAIN, "header %llu is not the parent of block %llu",
                            (unsigned long long)k, (unsigned long long)k + 1);
        if (mpavs_block_header_encode(enc, sizeof enc, &el, &h))
            return wit_fail(w, MPAVS_WITNESS_ERR_PARSE, "header does not encode");
        if ((r = mpavs_witness_add_header(w, enc, el))) return r;
        memcpy(want, h.parent_hash, 32);
    }
    return 0;
}

/* Add every node of a JSON array of hex nodes (to the store, or as candidates). */
static int add_proof(mpavs_witness *w, const json_t *arr, bool candidates) {
    if (!json_is_array(arr) || json_array_size(arr) > MPAVS_TRIE_PROOF_MAX_NODES)
        return wit_fail(w, MPAVS_WITNESS_ERR_PARSE, "eth_getProof: malformed proof");
    size_t i;
    json_t *e;
    json_array_foreach(arr, i, e) {
        uint8_t *b;
        size_t l;
        if (!wit_unhex(&b, &l, json_string_value(e), w->lim.max_bytes))
            return wit_fail(w, MPAVS_WITNESS_ERR_PARSE, "eth_getProof: proof node is not hex");
        int r = candidates ? wit_add_sibling_candidates(w, b, l) : mpavs_witness_add_node(w, b, l);
        free(b);
        if (r) return r;
    }
    return 0;
}

/* eth_getProof(addr, slots[0..n), tag): all nodes added; the code fetched when missing (pre-state). */
static int proof_call(acq *a, const mpavs_address *addr, const uint8_t (*slots)[32], size_t n, uint64_t block,
                      bool post) {
    mpavs_witness *w = a->w;
    size_t cap = 128 + n * 70;
    char *params = malloc(cap), tag[24], h[65];
    if (!params) return wit_fail(w, MPAVS_WITNESS_ERR_NOMEM, "out of memory");
    size_t o = (size_t)snprintf(params, cap, "[\"0x%s\",[", wit_hex(h, addr->bytes, 20));
    for (size_t i = 0; i < n; i++) o += (size_t)snprintf(params + o, cap - o, "%s\"0x%s\"", i ? "," : "", wit_hex(h, slots[i], 32));
    snprintf(params + o, cap - o, "],\"%s\"]", mpavs_rpc_tag_number(tag, block));
    json_t *j;
    int r = call_json(a, &j, "eth_getProof", params);
    free(params);
    if (r) return r;
    if ((r = add_proof(w, json_object_get(j, "accountProof"), post))) goto out;
    const json_t *sp = json_object_get(j, "storageProof");
    if (!json_is_array(sp) || json_array_size(sp) != n) {
        r = wit_fail(w, MPAVS_WITNESS_ERR_PARSE, "eth_getProof: storageProof of the wrong length");
        goto out;
    }
    size_t i;
    json_t *e;
    json_array_foreach(sp, i, e) if ((r = add_proof(w, json_object_get(e, "proof"), post))) goto out;
    uint8_t ch[32];
    const uint8_t *code;
    size_t cl;
    if (!hexn(ch, 32, json_object_get(j, "codeHash"))) {
        r = wit_fail(w, MPAVS_WITNESS_ERR_PARSE, "eth_getProof: bad codeHash");
        goto out;
    }
    if (!post && !mpavs_witness_code(w, &code, &cl, ch) && memcmp(ch, (uint8_t[32]){0}, 32)) {
        char p2[100], *text;
        snprintf(p2, sizeof p2, "[\"0x%s\",\"%s\"]", wit_hex(h, addr->bytes, 20), mpavs_rpc_tag_number(tag, block));
        if ((r = call(a, &text, "eth_getCode", p2))) goto out;
        json_t *cj = json_loads(text, JSON_DECODE_ANY, NULL);
        free(text);
        uint8_t *c = NULL, got[32];
        bool ok = cj && wit_unhex(&c, &cl, json_string_value(cj), w->lim.max_bytes);
        json_decref(cj);
        if (!ok) {
            r = wit_fail(w, MPAVS_WITNESS_ERR_PARSE, "eth_getCode: malformed");
            goto out;
        }
        mpavs_keccak256(got, c, cl);
        if (memcmp(got, ch, 32)) r = wit_fail(w, MPAVS_WITNESS_ERR_HASH, "code of 0x%s does not match its hash",
                                              wit_hex(h, addr->bytes, 20));
        else r = mpavs_witness_add_code(w, c, cl);
        free(c);
    }
out:
    json_decref(j);
    return r;
}

static unsigned nib(const uint8_t *k, size_t i) { return i & 1 ? k[i / 2] & 15 : k[i / 2] >> 4; }

/*
 * The nibble path at which the node target hangs below root, on the way to
 * the hashed key hk (the parent-state nodes on that way are in the store).
 */
static bool locate(const mpavs_witness *w, uint8_t prefix[64], size_t *plen, const uint8_t root[32],
                   const uint8_t hk[32], const uint8_t target[32]) {
    const uint8_t *p;
    size_t l, depth = 0;
    mpavs_rlp_item node, it[17];
    if (!mpavs_trie_store_get(w->store, &p, &l, root) || mpavs_rlp_decode(&node, p, l)) return false;
    for (int guard = 0; guard < 70 && depth < 64; guard++) {
        mpavs_rlp_iter iter;
        size_t n = 0;
        if (mpavs_rlp_iter_init(&iter, &node)) return false;
        while (!mpavs_rlp_iter_done(&iter) && n < 17)
            if (mpavs_rlp_next(&iter, &it[n++])) return false;
        mpavs_rlp_item next;
        if (n == 17) {
            for (unsigned i = 0; i < 16; i++)
                if (!it[i].is_list && it[i].len == 32 && memcmp(it[i].p, target, 32) == 0) {
                    for (size_t k = 0; k < depth; k++) prefix[k] = (uint8_t)nib(hk, k);
                    prefix[depth] = (uint8_t)i;
                    *plen = depth + 1;
                    return true;
                }
            next = it[nib(hk, depth++)];
        } else if (n == 2 && !it[0].is_list && it[0].len > 0 && (it[0].p[0] >> 4) < 2) {
            size_t pn = 2 * it[0].len - 1 - ((it[0].p[0] >> 4) & 1 ? 0 : 1);
            for (size_t k = 0; k < pn; k++) {
                size_t q = k + (((it[0].p[0] >> 4) & 1) ? 1 : 2);
                unsigned v = q & 1 ? it[0].p[q / 2] & 15 : it[0].p[q / 2] >> 4;
                if (depth + k >= 64 || v != nib(hk, depth + k)) return false;
            }
            depth += pn;
            if (!it[1].is_list && it[1].len == 32 && memcmp(it[1].p, target, 32) == 0) {
                for (size_t k = 0; k < depth; k++) prefix[k] = (uint8_t)nib(hk, k);
                *plen = depth;
                return true;
            }
            next = it[1];
        } else {
            return false; /* a leaf */
        }
        if (next.is_list) {
            node = next;
        } else if (next.len == 32) {
            if (!mpavs_trie_store_get(w->store, &p, &l, next.p) || mpavs_rlp_decode(&node, p, l)) return false;
        } else {
            return false;
        }
    }
    return false;
}

#define SEARCH_MAX_NIBBLES 6
#define SEARCH_MAX_TRIES (1u << 24)

/*
 * A key (32-byte slot or 20-byte address) whose keccak256 starts with the
 * nibbles prefix: its parent-state proof passes through the node hanging
 * there. Bounded: prefixes of at most SEARCH_MAX_NIBBLES nibbles, at most
 * SEARCH_MAX_TRIES hashes (a 6-nibble prefix is found with probability
 * ~63%), and the acquisition's time budget.
 */
static bool search_key(const acq *a, uint8_t *key, size_t key_len, const uint8_t *prefix, size_t plen) {
    if (plen > SEARCH_MAX_NIBBLES) return false;
    memset(key, 0, key_len);
    for (uint32_t c = 0; c < SEARCH_MAX_TRIES; c++) {
        if ((c & 0xffff) == 0xffff && elapsed_ms(a) >= a->w->lim.max_rpc_ms) return false; /* the time budget covers it */
        key[0] = 0xa5; /* away from the small slots contracts use */
        for (int i = 0; i < 4; i++) key[key_len - 1 - i] = (uint8_t)(c >> (8 * i));
        uint8_t h[32];
        mpavs_keccak256(h, key, key_len);
        size_t k = 0;
        while (k < plen && nib(h, k) == prefix[k]) k++;
        if (k == plen) return true;
    }
    return false;
}

/* Post-state proofs for what the block deletes; then move in the candidates the post-state root needs. */
static int fetch_siblings(acq *a, uint64_t n, const uint8_t parent_root[32]) {
    mpavs_witness *w = a->w;
    int r;
    for (size_t i = 0; i < w->naccts; i++) {
        mpavs_address addr = w->accts[i].address;
        uint8_t (*del)[32] = NULL;
        size_t nd = 0, cap = 0;
        bool any = false;
        for (size_t k = 0; k < w->nchanges; k++) {
            const wit_chg *c = &w->changes[k];
            if (memcmp(c->address.bytes, addr.bytes, 20)) continue;
            if (c->kind == CHG_DELETE) any = true;
            mpavs_u256 z = {{0}};
            if (c->kind == CHG_SLOT && mpavs_u256_cmp(&c->value, &z) == 0) {
                any = true;
                if (nd == cap) {
                    cap = cap ? cap * 2 : 8;
                    void *p = realloc(del, cap * 32);
                    if (!p) {
                        free(del);
                        return wit_fail(w, MPAVS_WITNESS_ERR_NOMEM, "out of memory");
                    }
                    del = p;
                }
                memcpy(del[nd++], c->slot, 32);
            }
        }
        r = 0;
        for (size_t o = 0; any && !r && (o < nd || o == 0); o += PROOF_SLOTS_PER_CALL) {
            size_t m = nd - o < PROOF_SLOTS_PER_CALL ? nd - o : PROOF_SLOTS_PER_CALL;
            r = proof_call(a, &addr, (const uint8_t(*)[32])(del ? del + o : NULL), m, n, true);
        }
        free(del);
        if (r) return r;
    }
    /* each missing node found among the candidates moves to the store; bounded by their count */
    size_t cands;
    mpavs_trie_store_size(w->cand, &cands, NULL);
    for (size_t round = 0; round <= cands + w->nchanges; round++) {
        uint8_t root[32];
        r = mpavs_witness_post_root(w, root, parent_root, 0);
        if (r != MPAVS_WITNESS_MISSING_NODE) return r;
        const uint8_t *p;
        size_t l;
        if (mpavs_trie_store_get(w->cand, &p, &l, w->missing)) {
            if ((r = mpavs_witness_add_node(w, p, l))) return r;
            w->siblings_from_post++;
            continue;
        }
        /* a branch child only named by hash: prove a key that passes through it */
        uint8_t prefix[64], hk[32], key[32];
        size_t plen;
        char keep[sizeof w->msg];
        memcpy(keep, w->msg, sizeof keep);
        if (!w->miss_key_len) return r;
        mpavs_keccak256(hk, w->miss_key, w->miss_key_len);
        if (!locate(w, prefix, &plen, w->miss_root, hk, w->missing) || !search_key(a, key, w->miss_key_len, prefix, plen))
            return r;
        if (w->miss_key_len == 32) {
            mpavs_address addr = w->miss_addr;
            r = proof_call(a, &addr, (const uint8_t(*)[32])key, 1, n - 1, false);
        } else {
            mpavs_address addr;
            memcpy(addr.bytes, key, 20);
            r = proof_call(a, &addr, NULL, 0, n - 1, false);
        }
        if (r) return r;
        if (!mpavs_trie_store_get(w->store, &p, &l, w->missing)) {
            memcpy(w->msg, keep, sizeof keep);
            return MPAVS_WITNESS_MISSING_NODE;
        }
        w->siblings_searched++;
    }
    return MPAVS_WITNESS_MISSING_NODE;
}

/* Accounts an EVM execution of the block reads that no transaction trace names: the coinbase, the
   withdrawal recipients and the system contracts (EIP-4788, 7002, 7251; present or proved absent). */
static int touch_exec(mpavs_witness *w, const mpavs_address *a) {
    size_t before = w->naccts, idx;
    int r = wit_account(w, &idx, a);
    if (!r && w->naccts > before) w->accts[idx].exec_only = true;
    return r;
}

/* The accounts and slots of a transaction's access list (the EVM warms them, reading them). */
static int touch_access_list(mpavs_witness *w, const mpavs_block_tx *btx) {
    mpavs_tx tx;
    const uint8_t *raw = btx->raw, *body;
    size_t len = btx->len, bl;
    uint8_t *canon = NULL; /* a blob transaction in its network form (anvil's blocks): its canonical form */
    if (mpavs_tx_blob_network_body(&body, &bl, raw, len)) {
        if (!(canon = malloc(bl + 1))) return wit_fail(w, MPAVS_WITNESS_ERR_NOMEM, "out of memory");
        canon[0] = MPAVS_TX_TYPE_EIP4844;
        memcpy(canon + 1, body, bl);
        raw = canon, len = bl + 1;
    }
    mpavs_rlp_item list, e, addr, keys, k;
    mpavs_rlp_iter it, ki, ei;
    if (mpavs_tx_parse(&tx, raw, len) || !tx.access_list_rlp || /* the execution refuses it */
        mpavs_rlp_decode(&list, tx.access_list_rlp, tx.access_list_rlp_len) || mpavs_rlp_iter_init(&it, &list)) {
        free(canon);
        return 0;
    }
    int r = 0;
    while (!r && mpavs_rlp_next(&it, &e) == MPAVS_RLP_OK) {
        if (mpavs_rlp_iter_init(&ei, &e) || mpavs_rlp_next(&ei, &addr) || addr.is_list || addr.len != 20 ||
            mpavs_rlp_next(&ei, &keys) || mpavs_rlp_iter_init(&ki, &keys))
            break;
        mpavs_address a;
        memcpy(a.bytes, addr.p, 20);
        if ((r = touch_exec(w, &a))) break;
        while (!r && mpavs_rlp_next(&ki, &k) == MPAVS_RLP_OK)
            if (!k.is_list && k.len == 32) r = mpavs_witness_touch_slot(w, &a, k.p);
    }
    free(canon);
    return r;
}

static int touch_exec_keys(mpavs_witness *w) {
    static const uint8_t sys[3][20] = {
        {0x00, 0x0F, 0x3d, 0xf6, 0xD7, 0x32, 0x80, 0x7E, 0xf1, 0x31, 0x9f, 0xB7, 0xB8, 0xbB, 0x85, 0x22, 0xd0, 0xBe, 0xac, 0x02},
        {0x00, 0x00, 0x09, 0x61, 0xEf, 0x48, 0x0E, 0xb5, 0x5e, 0x80, 0xD1, 0x9a, 0xd8, 0x35, 0x79, 0xA6, 0x4c, 0x00, 0x70, 0x02},
        {0x00, 0x00, 0xBB, 0xdD, 0xc7, 0xCE, 0x48, 0x86, 0x42, 0xfb, 0x57, 0x9F, 0x8B, 0x00, 0xf3, 0xa5, 0x90, 0x00, 0x72, 0x51},
    };
    int r;
    for (int i = 0; i < 3; i++) {
        mpavs_address a;
        memcpy(a.bytes, sys[i], 20);
        if ((r = touch_exec(w, &a))) return r;
    }
    /* the precompiles (the EVM warms them, reading their accounts): 0x01..0x11 and 0x100 */
    for (unsigned p = 1; p <= 0x100; p = p == 0x11 ? 0x100 : p + 1) {
        mpavs_address a;
        memset(a.bytes, 0, 20);
        a.bytes[18] = (uint8_t)(p >> 8), a.bytes[19] = (uint8_t)p;
        if ((r = touch_exec(w, &a))) return r;
    }
    mpavs_block b;
    if (mpavs_block_decode(&b, w->block_rlp, w->block_len)) return wit_fail(w, MPAVS_WITNESS_ERR_PARSE, "block does not decode");
    r = touch_exec(w, &b.header.coinbase);
    for (size_t i = 0; !r && i < b.withdrawal_count; i++) r = touch_exec(w, &b.withdrawals[i].address);
    for (size_t i = 0; !r && i < b.tx_count; i++) r = touch_access_list(w, &b.txs[i]);
    mpavs_block_clear(&b);
    return r;
}

static int state_from_traces(acq *a, uint64_t n) {
    mpavs_witness *w = a->w;
    char tag[24], params[160], *text;
    mpavs_rpc_tag_number(tag, n);
    snprintf(params, sizeof params, "[\"%s\",{\"tracer\":\"prestateTracer\"}]", tag);
    int r = call(a, &text, "debug_traceBlockByNumber", params);
    if (r) return r;
    r = mpavs_witness_parse_prestate(w, text, strlen(text), false);
    free(text);
    if (r) return r;
    snprintf(params, sizeof params, "[\"%s\",{\"tracer\":\"prestateTracer\",\"tracerConfig\":{\"diffMode\":true}}]", tag);
    if ((r = call(a, &text, "debug_traceBlockByNumber", params))) return r;
    r = mpavs_witness_parse_prestate(w, text, strlen(text), true);
    free(text);
    if (r) return r;
    /* the EIP-2935 system write (no transaction trace shows it) */
    mpavs_address ha;
    uint8_t slot[32] = {0};
    uint64_t s = (n - 1) % 8191;
    for (int i = 0; i < 8; i++) slot[31 - i] = (uint8_t)(s >> (8 * i));
    wit_history_address(&ha);
    if ((r = mpavs_witness_touch_slot(w, &ha, slot))) return r;
    if ((r = touch_exec_keys(w))) return r;
    size_t naccts = w->naccts;
    for (size_t i = 0; i < naccts; i++) {
        wit_acct *ac = &w->accts[i];
        size_t o = 0;
        do {
            size_t m = ac->nslots - o < PROOF_SLOTS_PER_CALL ? ac->nslots - o : PROOF_SLOTS_PER_CALL;
            mpavs_address addr = ac->address;
            if ((r = proof_call(a, &addr, (const uint8_t(*)[32])(ac->slots ? ac->slots + o : NULL), m, n - 1, false)))
                return r;
            ac = &w->accts[i];
            o += m;
        } while (o < ac->nslots);
    }
    const mpavs_block_header *parent = mpavs_witness_header(w, n - 1);
    return fetch_siblings(a, n, parent->state_root);
}

int mpavs_witness_acquire(mpavs_witness *w, mpavs_rpc *rpc, uint64_t number) {
    MPAVS_REQUIRE(w && rpc && number > 0 && !w->block_rlp && !w->naccts);
    w->msg[0] = 0;
    acq a = {w, rpc, {0, 0}};
    clock_gettime(CLOCK_MONOTONIC, &a.t0);
    uint8_t parent_hash[32];
    int r = fetch_block(&a, number, parent_hash);
    if (!r) r = fetch_headers(&a, number, parent_hash);
    if (r) return r;
    char tag[24], params[40], *text;
    snprintf(params, sizeof params, "[\"%s\"]", mpavs_rpc_tag_number(tag, number));
    r = call(&a, &text, "debug_executionWitness", params);
    if (r == 0) {
        r = mpavs_witness_parse_execution_witness(w, text, strlen(text));
        free(text);
        w->execution_witness = true;
        return r;
    }
    if (r != MPAVS_WITNESS_ERR_UNSUPPORTED) return r;
    w->msg[0] = 0;
    return state_from_traces(&a, number);
}
