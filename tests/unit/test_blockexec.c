/*
 * test_blockexec — block execution (mpavs/blockexec.h) on blocks of the Ethereum blockchain tests
 * (../shared/vectors/ethtests/BlockchainTests/ValidBlocks): the fixture block is accepted with the
 * fixture's post-state root; each header field altered in turn (gasUsed, logsBloom, receiptsRoot,
 * stateRoot, blobGasUsed, transactionsRoot, parentHash) is refused naming that field, the value
 * the execution gives (the fixture's original) as expected and the altered one as actual, and the
 * state is untouched unless the refusal is stateRoot. Under Prague rules a transaction calling
 * the BLS12-381 precompile 0x0b makes the block unprovable (not invalid), and a block on a state
 * without the EIP-7002 contract is invalid.
 */
#include "harness.h"

#include "mpavs/blockexec.h"
#include "mpavs/hex.h"
#include "mpavs/tx.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>

typedef struct {
    json_t *json;
    json_t *test;
    uint8_t *grlp, *brlp;
    mpavs_block genesis, block;
} fixture;

static bool u256_of(mpavs_u256 *v, json_t *j) {
    const char *s = json_string_value(j);
    return s && mpavs_u256_parse(v, s, strlen(s)) == MPAVS_U256_OK;
}

static uint8_t *unhex_alloc(json_t *j, size_t *len) {
    const char *s = json_string_value(j);
    if (!s) return NULL;
    uint8_t *b = malloc(strlen(s) / 2 + 1);
    long n = b ? harness_unhex(b, strlen(s) / 2 + 1, s) : -1;
    if (n < 0) {
        free(b);
        return NULL;
    }
    *len = (size_t)n;
    return b;
}

static bool load_fixture(fixture *f, const char *rel) {
    memset(f, 0, sizeof *f);
    f->json = json_load_file(harness_shared(rel), 0, NULL);
    if (!json_is_object(f->json)) return false;
    const char *k;
    json_t *v;
    json_object_foreach(f->json, k, v) {
        f->test = v;
        break;
    }
    size_t gl, bl;
    f->grlp = unhex_alloc(json_object_get(f->test, "genesisRLP"), &gl);
    f->brlp = unhex_alloc(json_object_get(json_array_get(json_object_get(f->test, "blocks"), 0), "rlp"), &bl);
    return f->grlp && f->brlp && mpavs_block_decode(&f->genesis, f->grlp, gl) == MPAVS_BLOCK_OK &&
           mpavs_block_decode(&f->block, f->brlp, bl) == MPAVS_BLOCK_OK;
}

static void free_fixture(fixture *f) {
    mpavs_block_clear(&f->genesis);
    mpavs_block_clear(&f->block);
    free(f->grlp);
    free(f->brlp);
    json_decref(f->json);
}

static mpavs_evm_memstate *pre_state(const fixture *f) {
    mpavs_evm_memstate *ms = mpavs_evm_memstate_create();
    if (!ms) return NULL;
    const char *key;
    json_t *a;
    json_object_foreach(json_object_get(f->test, "pre"), key, a) {
        uint8_t addr[20], code[65536];
        mpavs_u256 bal, nonce;
        const char *c = json_string_value(json_object_get(a, "code"));
        long cl = c ? harness_unhex(code, sizeof code, c) : -1;
        if (harness_unhex(addr, 20, key) != 20 || !u256_of(&bal, json_object_get(a, "balance")) ||
            !u256_of(&nonce, json_object_get(a, "nonce")) || cl < 0 ||
            mpavs_evm_memstate_set_account(ms, addr, nonce.w[0], &bal, code, (size_t)cl))
            goto fail;
        const char *sk;
        json_t *sv;
        json_object_foreach(json_object_get(a, "storage"), sk, sv) {
            mpavs_u256 ku, vu;
            uint8_t kb[32], vb[32];
            if (mpavs_u256_parse(&ku, sk, strlen(sk)) != MPAVS_U256_OK || !u256_of(&vu, sv)) goto fail;
            mpavs_u256_to_be32(kb, &ku);
            mpavs_u256_to_be32(vb, &vu);
            if (mpavs_evm_memstate_set_storage(ms, addr, kb, vb)) goto fail;
        }
    }
    return ms;
fail:
    mpavs_evm_memstate_destroy(ms);
    return NULL;
}

static int root_of(void *ctx, uint8_t root[32]) { return mpavs_evm_memstate_root(root, ctx) != MPAVS_EVM_OK; }

static int execute(mpavs_blockexec_refusal *why, mpavs_blockexec_stats *stats, mpavs_evm_memstate *ms,
                   mpavs_evm_fork fork, const mpavs_block_header *parent, const mpavs_block *b) {
    mpavs_evm_schedule s;
    memset(&s, 0, sizeof s);
    for (int i = 0; i <= (int)fork; i++) s.active[i] = true;
    mpavs_blockexec_chain chain;
    mpavs_blockexec_chain_init(&chain, 1, &s);
    mpavs_blockexec_state st;
    memset(&st, 0, sizeof st);
    mpavs_evm_memstate_source(&st.source, ms);
    mpavs_evm_memstate_sink(&st.sink, ms);
    st.root = root_of;
    st.root_ctx = ms;
    mpavs_ecdsa_ctx *ecdsa = mpavs_ecdsa_ctx_create();
    int r = mpavs_blockexec_execute(why, stats, ecdsa, &chain, parent, b, &st, NULL, NULL);
    mpavs_ecdsa_ctx_destroy(ecdsa);
    return r;
}

static const char *hex32(const uint8_t *h, size_t n) {
    static char buf[2 * 256 + 3];
    if (mpavs_hex_encode(buf, sizeof buf, h, n, true) != MPAVS_HEX_OK) return "?";
    return buf;
}

static const char *ALL_TYPES = "vectors/ethtests/BlockchainTests/ValidBlocks/bcEIP4844-blobtransactions/blockWithAllTransactionTypes.json";
static const char *LOG1 = "vectors/ethtests/BlockchainTests/ValidBlocks/bcValidBlockTest/log1_correct.json";

TEST(fixture_blocks_accepted) {
    const char *files[] = {ALL_TYPES, LOG1};
    for (size_t i = 0; i < 2; i++) {
        fixture f;
        REQUIRE(load_fixture(&f, files[i]));
        mpavs_evm_memstate *ms = pre_state(&f);
        REQUIRE(ms);
        mpavs_blockexec_refusal why;
        mpavs_blockexec_stats st;
        int r = execute(&why, &st, ms, MPAVS_EVM_CANCUN, &f.genesis.header, &f.block);
        if (r) fprintf(stderr, "%s: %s %s: %s / %s\n", files[i], mpavs_blockexec_strerror(r), why.field, why.expected, why.actual);
        CHECK_EQ_INT(r, MPAVS_BLOCKEXEC_OK);
        CHECK(st.sink_written);
        CHECK(!memcmp(st.state_root, f.block.header.state_root, 32));
        CHECK_EQ_INT(st.gas_used, f.block.header.gas_used);
        CHECK_EQ_INT(st.blob_gas_used, f.block.header.blob_gas_used);
        CHECK_EQ_INT(st.tx_count, f.block.tx_count);
        CHECK_STREQ(why.field, "");
        uint8_t root[32];
        CHECK(mpavs_evm_memstate_root(root, ms) == MPAVS_EVM_OK && !memcmp(root, f.block.header.state_root, 32));
        mpavs_evm_memstate_destroy(ms);
        free_fixture(&f);
    }
}

/* Alter one field of the block's header; the refusal must name it with the original as expected. */
typedef enum { T_GAS_USED, T_BLOOM, T_RECEIPTS, T_STATE, T_BLOB_GAS, T_TXROOT, T_PARENT } tamper;

static void check_tamper(const char *file, tamper t) {
    fixture f;
    REQUIRE(load_fixture(&f, file));
    mpavs_evm_memstate *ms = pre_state(&f);
    REQUIRE(ms);
    mpavs_block b = f.block;
    mpavs_block_header *h = &b.header;
    const mpavs_block_header *o = &f.block.header;
    char want_field[32], want_exp[600], want_act[600];
    switch (t) {
    case T_GAS_USED:
        h->gas_used += 1;
        strcpy(want_field, "gasUsed");
        snprintf(want_exp, sizeof want_exp, "%" PRIu64, o->gas_used);
        snprintf(want_act, sizeof want_act, "%" PRIu64, h->gas_used);
        break;
    case T_BLOOM:
        h->logs_bloom[7] ^= 0x10;
        strcpy(want_field, "logsBloom");
        want_exp[0] = want_act[0] = 0;
        break;
    case T_RECEIPTS:
    case T_STATE:
    case T_TXROOT:
    case T_PARENT: {
        uint8_t *p = t == T_RECEIPTS ? h->receipts_root : t == T_STATE ? h->state_root
                     : t == T_TXROOT ? h->transactions_root : h->parent_hash;
        const uint8_t *q = t == T_RECEIPTS ? o->receipts_root : t == T_STATE ? o->state_root
                           : t == T_TXROOT ? o->transactions_root : o->parent_hash;
        p[31] ^= 1;
        strcpy(want_field, t == T_RECEIPTS ? "receiptsRoot" : t == T_STATE ? "stateRoot"
                           : t == T_TXROOT ? "transactionsRoot" : "parentHash");
        snprintf(want_exp, sizeof want_exp, "%s", hex32(q, 32));
        snprintf(want_act, sizeof want_act, "%s", hex32(p, 32));
        break;
    }
    case T_BLOB_GAS:
        h->blob_gas_used += 131072;
        strcpy(want_field, "blobGasUsed");
        snprintf(want_exp, sizeof want_exp, "%" PRIu64, o->blob_gas_used);
        snprintf(want_act, sizeof want_act, "%" PRIu64, h->blob_gas_used);
        break;
    }
    uint8_t before[32], after[32];
    REQUIRE(mpavs_evm_memstate_root(before, ms) == MPAVS_EVM_OK);
    mpavs_blockexec_refusal why;
    mpavs_blockexec_stats st;
    int r = execute(&why, &st, ms, MPAVS_EVM_CANCUN, &f.genesis.header, &b);
    CHECK_EQ_INT(r, MPAVS_BLOCKEXEC_INVALID);
    CHECK_STREQ(why.field, want_field);
    if (t == T_PARENT) {
        /* header validation names the parent's real hash */
        uint8_t ph[32];
        REQUIRE(mpavs_block_header_hash(ph, &f.genesis.header) == MPAVS_BLOCK_OK);
        CHECK(!memcmp(ph, o->parent_hash, 32));
    } else if (want_exp[0]) {
        CHECK_STREQ(why.expected, want_exp);
        CHECK_STREQ(why.actual, want_act);
    } else {
        CHECK(strcmp(why.expected, why.actual) != 0);
    }
    CHECK(st.sink_written == (t == T_STATE));
    REQUIRE(mpavs_evm_memstate_root(after, ms) == MPAVS_EVM_OK);
    CHECK((t == T_STATE) == (memcmp(before, after, 32) != 0)); /* untouched unless the sink ran */
    char buf[400];
    mpavs_blockexec_refusal_format(buf, sizeof buf, &why);
    CHECK(!strncmp(buf, want_field, strlen(want_field)) && strstr(buf, ": expected ") && strstr(buf, ", got "));
    mpavs_evm_memstate_destroy(ms);
    free_fixture(&f);
}

TEST(altered_fields_refused_by_name) {
    check_tamper(ALL_TYPES, T_GAS_USED);
    check_tamper(LOG1, T_BLOOM);
    check_tamper(ALL_TYPES, T_RECEIPTS);
    check_tamper(ALL_TYPES, T_STATE);
    check_tamper(ALL_TYPES, T_BLOB_GAS);
    check_tamper(ALL_TYPES, T_TXROOT);
    check_tamper(LOG1, T_PARENT);
}

/* A Prague child of the fixture genesis carrying one signed type-2 transaction to `to`. */
static int prague_block(mpavs_blockexec_refusal *why, const uint8_t to[20], size_t data_len) {
    fixture f;
    if (!load_fixture(&f, LOG1)) return -1;
    mpavs_evm_memstate *ms = pre_state(&f);
    mpavs_ecdsa_ctx *ecdsa = mpavs_ecdsa_ctx_create();
    uint8_t sk[32], raw[1024], data[256];
    size_t len = 0;
    mpavs_address from;
    int r = -1;
    mpavs_u256 rich = mpavs_u256_from_u64(UINT64_MAX);
    memset(data, 0, sizeof data);
    if (!ms || !ecdsa || mpavs_ecdsa_seckey_generate(ecdsa, sk) || mpavs_ecdsa_seckey_to_address(ecdsa, &from, sk) ||
        mpavs_evm_memstate_set_account(ms, from.bytes, 0, &rich, NULL, 0))
        goto out;
    mpavs_tx tx;
    mpavs_tx_init(&tx, MPAVS_TX_TYPE_EIP1559);
    tx.chain_id = 1;
    tx.gas_limit = 200000;
    tx.max_fee_per_gas = mpavs_u256_from_u64(1000000000000ull);
    tx.max_priority_fee_per_gas = mpavs_u256_from_u64(1);
    tx.has_to = true;
    memcpy(tx.to.bytes, to, 20);
    tx.data = data;
    tx.data_len = data_len;
    if (mpavs_tx_sign(ecdsa, &tx, sk) || mpavs_tx_serialize(raw, sizeof raw, &len, &tx)) goto out;
    mpavs_block b = f.block;
    mpavs_block_tx one = {raw, len};
    b.txs = &one;
    b.tx_count = 1;
    b.header.has_requests_hash = true;
    if (mpavs_block_transactions_root(b.header.transactions_root, &b) != MPAVS_BLOCK_OK) goto out;
    mpavs_blockexec_stats st;
    r = execute(why, &st, ms, MPAVS_EVM_PRAGUE, &f.genesis.header, &b);
out:
    mpavs_ecdsa_ctx_destroy(ecdsa);
    mpavs_evm_memstate_destroy(ms);
    free_fixture(&f);
    return r;
}

TEST(prague_unsupported_precompile_is_unprovable) {
    uint8_t g1add[20] = {0};
    g1add[19] = 0x0b;
    mpavs_blockexec_refusal why;
    int r = prague_block(&why, g1add, 256);
    CHECK_EQ_INT(r, MPAVS_BLOCKEXEC_UNPROVABLE);
    CHECK_STREQ(why.field, "transactions[0]");
    CHECK(strstr(why.actual, "0x000000000000000000000000000000000000000b") != NULL);
}

TEST(prague_requires_the_request_contracts) {
    uint8_t eoa[20];
    memset(eoa, 0x42, 20);
    mpavs_blockexec_refusal why;
    int r = prague_block(&why, eoa, 0);
    CHECK_EQ_INT(r, MPAVS_BLOCKEXEC_INVALID);
    CHECK_STREQ(why.field, "requestsHash (EIP-7002 system call)");
    CHECK_STREQ(why.actual, "no code at the system contract");
}

TEST(names) {
    CHECK(strstr(mpavs_blockexec_strerror(MPAVS_BLOCKEXEC_UNPROVABLE), "unprovable") != NULL);
    CHECK(strstr(mpavs_blockexec_strerror(12345), "unknown") != NULL);
}

int main(void) {
    RUN(fixture_blocks_accepted);
    RUN(altered_fields_refused_by_name);
    RUN(prague_unsupported_precompile_is_unprovable);
    RUN(prague_requires_the_request_contracts);
    RUN(names);
    return harness_summary();
}
