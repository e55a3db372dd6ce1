/*
 * Block headers and blocks against every file of
 * ../shared/vectors/ethtests/BlockchainTests/ValidBlocks: each block's "rlp" is
 * decoded; its header must re-encode to the same bytes, hash to the fixture's
 * "hash" and equal the header built independently from the decoded
 * "blockHeader" fields; transaction count, transactions root, ommers
 * (count, hashes, ommers hash) and withdrawals (fields, root) must match the
 * fixture. Genesis headers (genesisRLP / genesisBlockHeader) likewise. InvalidBlocks: the
 * blocks refused for their encoding must not decode, all others must.
 * Plus hostile and edge-case encodings.
 */
#include "harness.h"
#include "mpavs/block.h"
#include "mpavs/keccak.h"
#include "mpavs/rlp.h"
#include "mpavs/trie.h"

#include <jansson.h>
#include <stdlib.h>

static bool fixed(uint8_t *out, size_t n, const json_t *j) {
    const char *s = json_string_value(j);
    return s && harness_unhex(out, n, s) == (long)n;
}

static bool q256(mpavs_u256 *v, const json_t *j) {
    const char *s = json_string_value(j);
    return s && mpavs_u256_parse(v, s, strlen(s)) == 0;
}

static bool q64(uint64_t *v, const json_t *j) {
    mpavs_u256 x;
    if (!q256(&x, j) || x.w[1] || x.w[2] || x.w[3]) return false;
    *v = x.w[0];
    return true;
}

/* The header as the fixture's decoded fields describe it. */
static bool header_from_json(mpavs_block_header *h, const json_t *j) {
    memset(h, 0, sizeof *h);
    bool ok = fixed(h->parent_hash, 32, json_object_get(j, "parentHash")) &&
              fixed(h->ommers_hash, 32, json_object_get(j, "uncleHash")) &&
              fixed(h->coinbase.bytes, 20, json_object_get(j, "coinbase")) &&
              fixed(h->state_root, 32, json_object_get(j, "stateRoot")) &&
              fixed(h->transactions_root, 32, json_object_get(j, "transactionsTrie")) &&
              fixed(h->receipts_root, 32, json_object_get(j, "receiptTrie")) &&
              fixed(h->logs_bloom, 256, json_object_get(j, "bloom")) &&
              q256(&h->difficulty, json_object_get(j, "difficulty")) &&
              q64(&h->number, json_object_get(j, "number")) &&
              q64(&h->gas_limit, json_object_get(j, "gasLimit")) &&
              q64(&h->gas_used, json_object_get(j, "gasUsed")) &&
              q64(&h->timestamp, json_object_get(j, "timestamp")) &&
              fixed(h->mix_hash, 32, json_object_get(j, "mixHash")) &&
              fixed(h->nonce, 8, json_object_get(j, "nonce"));
    if (!ok) return false;
    long el = harness_unhex(h->extra_data, sizeof h->extra_data, json_string_value(json_object_get(j, "extraData")));
    if (el < 0) return false;
    h->extra_data_len = (size_t)el;
    if (json_object_get(j, "baseFeePerGas")) {
        h->has_base_fee = true;
        if (!q256(&h->base_fee_per_gas, json_object_get(j, "baseFeePerGas"))) return false;
    }
    if (json_object_get(j, "withdrawalsRoot")) {
        h->has_withdrawals_root = true;
        if (!fixed(h->withdrawals_root, 32, json_object_get(j, "withdrawalsRoot"))) return false;
    }
    if (json_object_get(j, "blobGasUsed")) {
        h->has_blob_gas = true;
        if (!q64(&h->blob_gas_used, json_object_get(j, "blobGasUsed")) ||
            !q64(&h->excess_blob_gas, json_object_get(j, "excessBlobGas")) ||
            !fixed(h->parent_beacon_block_root, 32, json_object_get(j, "parentBeaconBlockRoot")))
            return false;
    }
    if (json_object_get(j, "requestsHash")) {
        h->has_requests_hash = true;
        if (!fixed(h->requests_hash, 32, json_object_get(j, "requestsHash"))) return false;
    }
    return true;
}

/* The decoded header h equals the fixture's header j: same encoding as the fields, same hash. */
static bool header_matches(const mpavs_block_header *h, const json_t *j, const uint8_t *raw, size_t raw_len) {
    uint8_t a[MPAVS_BLOCK_HEADER_MAX], b[MPAVS_BLOCK_HEADER_MAX], hash[32], want[32];
    size_t al, bl;
    mpavs_block_header fromj;
    if (!header_from_json(&fromj, j)) return false;
    if (mpavs_block_header_encode(a, sizeof a, &al, h) || mpavs_block_header_encode(b, sizeof b, &bl, &fromj))
        return false;
    if (al != raw_len || memcmp(a, raw, al) != 0) return false; /* re-encodes byte for byte */
    if (al != bl || memcmp(a, b, al) != 0) return false;         /* equals the decoded fields */
    if (mpavs_block_header_hash(hash, h) || !fixed(want, 32, json_object_get(j, "hash"))) return false;
    return memcmp(hash, want, 32) == 0;
}

typedef struct {
    int files, tests, blocks, genesis, txs, ommers, withdrawals, failed;
} tally;

static void fail_case(tally *t, const char *file, const char *name, size_t blk, const char *what) {
    t->failed++;
    if (t->failed <= 20) fprintf(stderr, "  %s %s block %zu: %s\n", file, name, blk, what);
}

static void check_block(tally *t, const char *file, const char *name, size_t bi, const json_t *jb) {
    const char *hex = json_string_value(json_object_get(jb, "rlp"));
    if (!hex) return fail_case(t, file, name, bi, "no rlp");
    size_t cap = strlen(hex) / 2 + 1;
    uint8_t *raw = malloc(cap);
    long n = harness_unhex(raw, cap, hex);
    mpavs_block b;
    int r = n < 0 ? -1 : mpavs_block_decode(&b, raw, (size_t)n);
    if (r) {
        fail_case(t, file, name, bi, r < 0 ? "bad hex" : mpavs_block_strerror(r));
        free(raw);
        return;
    }
    const json_t *jh = json_object_get(jb, "blockHeader");
    if (!header_matches(&b.header, jh, b.header_rlp, b.header_rlp_len)) fail_case(t, file, name, bi, "header");
    /* transactions */
    uint8_t root[32];
    if (b.tx_count != json_array_size(json_object_get(jb, "transactions"))) fail_case(t, file, name, bi, "tx count");
    if (mpavs_block_transactions_root(root, &b) || memcmp(root, b.header.transactions_root, 32) != 0)
        fail_case(t, file, name, bi, "transactions root");
    t->txs += (int)b.tx_count;
    /* ommers */
    const json_t *ju = json_object_get(jb, "uncleHeaders");
    if (b.ommer_count != json_array_size(ju)) fail_case(t, file, name, bi, "ommer count");
    for (size_t i = 0; i < b.ommer_count && i < json_array_size(ju); i++) {
        uint8_t oh[32], want[32];
        if (mpavs_block_header_hash(oh, &b.ommers[i]) || !fixed(want, 32, json_object_get(json_array_get(ju, i), "hash")) ||
            memcmp(oh, want, 32) != 0)
            fail_case(t, file, name, bi, "ommer hash");
    }
    mpavs_block_ommers_hash(root, &b);
    if (memcmp(root, b.header.ommers_hash, 32) != 0) fail_case(t, file, name, bi, "ommers hash");
    t->ommers += (int)b.ommer_count;
    /* withdrawals */
    const json_t *jw = json_object_get(jb, "withdrawals");
    if (b.has_withdrawals != b.header.has_withdrawals_root) fail_case(t, file, name, bi, "withdrawals presence");
    if (b.withdrawal_count != json_array_size(jw)) fail_case(t, file, name, bi, "withdrawal count");
    for (size_t i = 0; i < b.withdrawal_count && i < json_array_size(jw); i++) {
        const json_t *w = json_array_get(jw, i);
        uint64_t idx, vi, amt;
        mpavs_address a;
        if (!q64(&idx, json_object_get(w, "index")) || !q64(&vi, json_object_get(w, "validatorIndex")) ||
            !q64(&amt, json_object_get(w, "amount")) || !fixed(a.bytes, 20, json_object_get(w, "address")) ||
            idx != b.withdrawals[i].index || vi != b.withdrawals[i].validator_index ||
            amt != b.withdrawals[i].amount_gwei || memcmp(a.bytes, b.withdrawals[i].address.bytes, 20) != 0)
            fail_case(t, file, name, bi, "withdrawal fields");
    }
    if (b.header.has_withdrawals_root &&
        (mpavs_block_withdrawals_root(root, &b) || memcmp(root, b.header.withdrawals_root, 32) != 0))
        fail_case(t, file, name, bi, "withdrawals root");
    t->withdrawals += (int)b.withdrawal_count;
    t->blocks++;
    mpavs_block_clear(&b);
    free(raw);
}

static void check_file(tally *t, const char *path) {
    json_error_t e;
    json_t *j = json_load_file(path, 0, &e);
    if (!j) {
        fail_case(t, path, "-", 0, e.text);
        return;
    }
    t->files++;
    const char *name;
    json_t *tc;
    json_object_foreach(j, name, tc) {
        t->tests++;
        /* genesis */
        const char *g = json_string_value(json_object_get(tc, "genesisRLP"));
        if (g) {
            size_t cap = strlen(g) / 2 + 1;
            uint8_t *raw = malloc(cap);
            long n = harness_unhex(raw, cap, g);
            mpavs_block b;
            if (n < 0 || mpavs_block_decode(&b, raw, (size_t)n)) {
                fail_case(t, path, name, 0, "genesis decode");
            } else {
                if (!header_matches(&b.header, json_object_get(tc, "genesisBlockHeader"), b.header_rlp, b.header_rlp_len))
                    fail_case(t, path, name, 0, "genesis header");
                t->genesis++;
                mpavs_block_clear(&b);
            }
            free(raw);
        }
        size_t bi;
        json_t *jb;
        json_array_foreach(json_object_get(tc, "blocks"), bi, jb) check_block(t, path, name, bi, jb);
    }
    json_decref(j);
}

static void check_file_cb(void *t, const char *path) { check_file(t, path); }

TEST(valid_blocks_fixtures) {
    tally t = {0};
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", harness_shared("vectors/ethtests/BlockchainTests/ValidBlocks"));
    harness_walk_json(dir, check_file_cb, &t);
    fprintf(stderr, "  ValidBlocks: %d files, %d tests, %d genesis + %d blocks (%d txs, %d ommers, %d withdrawals), %d failed\n",
            t.files, t.tests, t.genesis, t.blocks, t.txs, t.ommers, t.withdrawals, t.failed);
    CHECK_EQ_INT(t.failed, 0);
    CHECK_EQ_INT(t.files, 217);
    CHECK_EQ_INT(t.tests, 442);
    CHECK_EQ_INT(t.blocks, 902);
    CHECK_EQ_INT(t.genesis, 442);
}

/*
 * InvalidBlocks: blocks refused for their encoding (RLP_STRUCTURES_ENCODING: malformed
 * withdrawals; EXTRA_DATA_TOO_BIG) must not decode; every other block (invalid for what it
 * does, which is for the validator to find) must decode with its header re-encoding exactly.
 */
typedef struct {
    int refused_rlp, refused_extra, decoded, failed;
} inv_tally;

static void check_invalid_file(inv_tally *t, const char *path) {
    json_t *j = json_load_file(path, 0, NULL);
    if (!j) {
        t->failed++;
        return;
    }
    const char *name;
    json_t *tc;
    json_object_foreach(j, name, tc) {
        size_t bi;
        json_t *jb;
        json_array_foreach(json_object_get(tc, "blocks"), bi, jb) {
            const char *exc = json_string_value(json_object_get(jb, "expectException"));
            const char *hex = json_string_value(json_object_get(jb, "rlp"));
            if (!hex) continue;
            size_t cap = strlen(hex) / 2 + 1;
            uint8_t *raw = malloc(cap);
            long n = harness_unhex(raw, cap, hex);
            mpavs_block b;
            int r = n < 0 ? MPAVS_BLOCK_ERR_RLP : mpavs_block_decode(&b, raw, (size_t)n);
            bool rlp_bad = exc && strstr(exc, "RLP_STRUCTURES_ENCODING");
            bool extra_bad = exc && strstr(exc, "EXTRA_DATA_TOO_BIG");
            if (rlp_bad) {
                if (r == MPAVS_BLOCK_OK) {
                    t->failed++;
                    fprintf(stderr, "  %s %s block %zu: malformed block decoded\n", path, name, bi);
                } else {
                    t->refused_rlp++;
                }
            } else if (extra_bad) {
                if (r != MPAVS_BLOCK_ERR_EXTRA_DATA) {
                    t->failed++;
                    fprintf(stderr, "  %s %s block %zu: extraData: %s\n", path, name, bi, mpavs_block_strerror(r));
                } else {
                    t->refused_extra++;
                }
            } else if (r != MPAVS_BLOCK_OK) {
                t->failed++;
                fprintf(stderr, "  %s %s block %zu (%s): %s\n", path, name, bi, exc ? exc : "valid", mpavs_block_strerror(r));
            } else {
                uint8_t out[MPAVS_BLOCK_HEADER_MAX];
                size_t ol;
                if (mpavs_block_header_encode(out, sizeof out, &ol, &b.header) || ol != b.header_rlp_len ||
                    memcmp(out, b.header_rlp, ol) != 0) {
                    t->failed++;
                    fprintf(stderr, "  %s %s block %zu: header re-encoding\n", path, name, bi);
                } else {
                    t->decoded++;
                }
            }
            if (r == MPAVS_BLOCK_OK) mpavs_block_clear(&b);
            free(raw);
        }
    }
    json_decref(j);
}

static void check_invalid_file_cb(void *t, const char *path) { check_invalid_file(t, path); }

TEST(invalid_blocks_fixtures) {
    inv_tally t = {0};
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", harness_shared("vectors/ethtests/BlockchainTests/InvalidBlocks"));
    harness_walk_json(dir, check_invalid_file_cb, &t);
    fprintf(stderr, "  InvalidBlocks: %d refused as malformed (RLP_STRUCTURES_ENCODING), %d for extraData, %d decoded, %d failed\n",
            t.refused_rlp, t.refused_extra, t.decoded, t.failed);
    CHECK_EQ_INT(t.failed, 0);
    CHECK_EQ_INT(t.refused_rlp, 11);
    CHECK_EQ_INT(t.refused_extra, 3);
    CHECK(t.decoded > 200);
}

TEST(header_edges) {
    mpavs_block_header h;
    memset(&h, 0, sizeof h);
    h.number = 1;
    uint8_t buf[MPAVS_BLOCK_HEADER_MAX];
    size_t len;
    /* every fork's field count round-trips; the optional fields must be a prefix */
    for (int fields = 15; fields <= 21; fields++) {
        if (fields == 18 || fields == 19) continue;
        h.has_base_fee = fields >= 16;
        h.has_withdrawals_root = fields >= 17;
        h.has_blob_gas = fields >= 20;
        h.has_requests_hash = fields >= 21;
        h.requests_hash[0] = 0x77;
        CHECK(mpavs_block_header_encode(buf, sizeof buf, &len, &h) == 0);
        mpavs_block_header d;
        CHECK(mpavs_block_header_decode(&d, buf, len) == 0);
        CHECK(d.has_base_fee == h.has_base_fee && d.has_requests_hash == h.has_requests_hash);
        mpavs_rlp_item it;
        size_t count = 0;
        CHECK(mpavs_rlp_decode(&it, buf, len) == 0 && mpavs_rlp_list_count(&count, &it) == 0);
        CHECK_EQ_INT(count, fields);
        /* one byte less: truncated */
        CHECK(mpavs_block_header_decode(&d, buf, len - 1) == MPAVS_BLOCK_ERR_RLP);
    }
    h.has_withdrawals_root = false;
    CHECK_EQ_INT(mpavs_block_header_encode(buf, sizeof buf, &len, &h), MPAVS_BLOCK_ERR_OPTIONAL);
    h.has_withdrawals_root = true;
    CHECK_EQ_INT(mpavs_block_header_encode(buf, 100, &len, &h), MPAVS_BLOCK_ERR_SPACE);
    /* 18 fields (half of Cancun's) and 22 fields are refused */
    h.has_blob_gas = h.has_requests_hash = false;
    CHECK(mpavs_block_header_encode(buf, sizeof buf, &len, &h) == 0); /* 17 fields */
    uint8_t big[MPAVS_BLOCK_HEADER_MAX + 64];
    mpavs_rlp_item top;
    REQUIRE(mpavs_rlp_decode(&top, buf, len) == 0);
    mpavs_rlp_writer w;
    size_t mark, bl;
    mpavs_rlp_writer_init(&w, big, sizeof big);
    mpavs_rlp_list_begin(&w, &mark);
    mpavs_rlp_put_raw(&w, top.p, top.len);
    mpavs_rlp_put_u64(&w, 5);
    mpavs_rlp_list_end(&w, mark);
    REQUIRE(mpavs_rlp_writer_finish(&w, &bl) == 0);
    mpavs_block_header d;
    CHECK_EQ_INT(mpavs_block_header_decode(&d, big, bl), MPAVS_BLOCK_ERR_FIELDS);
    /* a 33-byte extraData */
    uint8_t extra[33] = {0};
    mpavs_rlp_writer_init(&w, big, sizeof big);
    mpavs_rlp_list_begin(&w, &mark);
    mpavs_rlp_item f;
    mpavs_rlp_iter it;
    REQUIRE(mpavs_rlp_iter_init(&it, &top) == 0);
    for (int i = 0; i < 17; i++) {
        REQUIRE(mpavs_rlp_next(&it, &f) == 0);
        if (i == 12) mpavs_rlp_put_bytes(&w, extra, sizeof extra);
        else mpavs_rlp_put_raw(&w, f.raw, f.raw_len);
    }
    mpavs_rlp_list_end(&w, mark);
    REQUIRE(mpavs_rlp_writer_finish(&w, &bl) == 0);
    CHECK_EQ_INT(mpavs_block_header_decode(&d, big, bl), MPAVS_BLOCK_ERR_EXTRA_DATA);
    /* transaction entries: a type byte >= 0x80, an empty string, type 0 as a string: refused */
    static const uint8_t bad_tx[][3] = {{0x80, 0x01, 0x02}, {0}, {0x00, 0xc0, 0}};
    static const size_t bad_tx_len[] = {3, 0, 2};
    for (size_t i = 0; i < 3; i++) {
        mpavs_rlp_writer_init(&w, big, sizeof big);
        size_t m2;
        mpavs_rlp_list_begin(&w, &mark);
        mpavs_rlp_put_raw(&w, buf, len);
        mpavs_rlp_list_begin(&w, &m2);
        mpavs_rlp_put_bytes(&w, bad_tx[i], bad_tx_len[i]);
        mpavs_rlp_list_end(&w, m2);
        mpavs_rlp_put_raw(&w, (const uint8_t *)"\xc0\xc0", 2);
        mpavs_rlp_list_end(&w, mark);
        REQUIRE(mpavs_rlp_writer_finish(&w, &bl) == 0);
        mpavs_block blk;
        CHECK_EQ_INT(mpavs_block_decode(&blk, big, bl), MPAVS_BLOCK_ERR_TX);
        CHECK(blk.txs == NULL && blk.tx_count == 0);
    }
    /* the same block with a typed entry decodes; with five parts it does not */
    mpavs_rlp_writer_init(&w, big, sizeof big);
    {
        size_t m2;
        mpavs_rlp_list_begin(&w, &mark);
        mpavs_rlp_put_raw(&w, buf, len);
        mpavs_rlp_list_begin(&w, &m2);
        mpavs_rlp_put_bytes(&w, (const uint8_t *)"\x02\xc0", 2);
        mpavs_rlp_list_end(&w, m2);
        mpavs_rlp_put_raw(&w, (const uint8_t *)"\xc0\xc0", 2);
        mpavs_rlp_list_end(&w, mark);
        REQUIRE(mpavs_rlp_writer_finish(&w, &bl) == 0);
        mpavs_block blk;
        CHECK(mpavs_block_decode(&blk, big, bl) == 0 && blk.tx_count == 1 && blk.txs[0].len == 2 &&
              blk.txs[0].raw[0] == 2 && blk.has_withdrawals && blk.withdrawal_count == 0);
        mpavs_block_clear(&blk);
    }
    /* blocks that are not three or four lists */
    static const char *bad_blocks[] = {"c3c0c0c0", "c0", "80"};
    for (size_t i = 0; i < 3; i++) {
        uint8_t b[16];
        long n = harness_unhex(b, sizeof b, bad_blocks[i]);
        mpavs_block blk;
        CHECK(mpavs_block_decode(&blk, b, (size_t)n) != 0);
        CHECK(blk.txs == NULL && blk.tx_count == 0);
    }
    /* withdrawals */
    mpavs_withdrawal wd = {.index = 7, .validator_index = 1u << 20, .amount_gwei = UINT64_MAX};
    memset(wd.address.bytes, 0xab, 20);
    uint8_t we[MPAVS_WITHDRAWAL_MAX];
    size_t wl = mpavs_withdrawal_encode(we, &wd);
    mpavs_withdrawal wd2;
    CHECK(mpavs_withdrawal_decode(&wd2, we, wl) == 0 && wd2.amount_gwei == UINT64_MAX && wd2.index == 7);
    CHECK(mpavs_withdrawal_decode(&wd2, we, wl - 1) == MPAVS_BLOCK_ERR_WITHDRAWAL);
}

int main(void) {
    RUN(valid_blocks_fixtures);
    RUN(invalid_blocks_fixtures);
    RUN(header_edges);
    return harness_summary();
}
