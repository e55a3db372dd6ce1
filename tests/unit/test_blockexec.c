/*
 * test_blockexec — block execution (mpavs/blockexec.h) on blocks of the Ethereum blockchain tests
 * (../shared/vectors/ethtests/BlockchainTests/ValidBlocks): the fixture block is accepted with the
 * fixture's post-state root; each header field altered in turn (gasUsed, logsBloom, receiptsRoot,
 * stateRoot, blobGasUsed, transactionsRoot, parentHash) is refused naming that field, the value
 * the execution gives (the fixture's original) as expected and the altered one as actual, and the
 * state is untouched unless the refusal is stateRoot. Under Prague rules a transaction calling
 * the BLS12-381 precompile 0x0b makes the block unprovable (not invalid), a block on a state
 * without the EIP-7002 contract is invalid, a DepositEvent log of the deposit contract becomes the
 * EIP-6110 request whose EIP-7685 hash is computed here with OpenSSL (a log of another layout is
 * refused), and a type-4 transaction installs 0xef0100 || address at its authority (EIP-7702).
 */
#include "harness.h"

#include "mpavs/blockexec.h"
#include "mpavs/hex.h"
#include "mpavs/keccak.h"
#include "mpavs/rlp.h"
#include "mpavs/stateless.h"
#include "mpavs/tx.h"

#include <inttypes.h>
#include <jansson.h>
#include <openssl/sha.h>
#include <stdlib.h>

typedef struct {
    json_t *json;
    json_t *test;
    uint8_t *grlp, *brlp;
    size_t brlp_len;
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
    f->brlp_len = bl;
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
        CHECK_EQ_INT(st.rlp_size, f.brlp_len);
        CHECK(st.has_receipts && !memcmp(st.receipts_root, f.block.header.receipts_root, 32) &&
              !memcmp(st.logs_bloom, f.block.header.logs_bloom, 256));
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


/* ---- Prague blocks with the request contracts (stubs returning no requests) -------------- */

static const uint8_t WITHDRAWAL_ADDR[20] = {0x00, 0x00, 0x09, 0x61, 0xEf, 0x48, 0x0E, 0xb5, 0x5e, 0x80,
                                            0xD1, 0x9a, 0xd8, 0x35, 0x79, 0xA6, 0x4c, 0x00, 0x70, 0x02};
static const uint8_t CONSOLIDATION_ADDR[20] = {0x00, 0x00, 0xBB, 0xdD, 0xc7, 0xCE, 0x48, 0x86, 0x42, 0xfb,
                                               0x57, 0x9F, 0x8B, 0x00, 0xf3, 0xa5, 0x90, 0x00, 0x72, 0x51};
static const uint8_t DEPOSIT_ADDR[20] = {0x00, 0x00, 0x00, 0x00, 0x21, 0x9a, 0xb5, 0x40, 0x35, 0x6c,
                                         0xBB, 0x83, 0x9C, 0xbe, 0x05, 0x30, 0x3d, 0x77, 0x05, 0xFa};

typedef struct {
    fixture f;
    mpavs_evm_memstate *ms;
    mpavs_ecdsa_ctx *ecdsa;
    uint8_t sk[32];
    mpavs_address from;
    uint8_t raw[2048];
    size_t raw_len;
} prague_env;

static bool prague_env_init(prague_env *e) {
    memset(e, 0, sizeof *e);
    if (!load_fixture(&e->f, LOG1)) return false;
    e->ms = pre_state(&e->f);
    e->ecdsa = mpavs_ecdsa_ctx_create();
    mpavs_u256 rich = mpavs_u256_from_u64(UINT64_MAX), zero = mpavs_u256_from_u64(0);
    static const uint8_t empty_return[] = {0x60, 0x00, 0x60, 0x00, 0xf3};
    return e->ms && e->ecdsa && !mpavs_ecdsa_seckey_generate(e->ecdsa, e->sk) &&
           !mpavs_ecdsa_seckey_to_address(e->ecdsa, &e->from, e->sk) &&
           !mpavs_evm_memstate_set_account(e->ms, e->from.bytes, 0, &rich, NULL, 0) &&
           !mpavs_evm_memstate_set_account(e->ms, WITHDRAWAL_ADDR, 1, &zero, empty_return, sizeof empty_return) &&
           !mpavs_evm_memstate_set_account(e->ms, CONSOLIDATION_ADDR, 1, &zero, empty_return, sizeof empty_return);
}

static void prague_env_free(prague_env *e) {
    mpavs_ecdsa_ctx_destroy(e->ecdsa);
    mpavs_evm_memstate_destroy(e->ms);
    free_fixture(&e->f);
}

/* Sign tx (chain 1, gas and fees set here) into e->raw. */
static bool prague_sign(prague_env *e, mpavs_tx *tx) {
    tx->chain_id = 1;
    tx->gas_limit = 300000;
    tx->max_fee_per_gas = mpavs_u256_from_u64(1000000000000ull);
    tx->max_priority_fee_per_gas = mpavs_u256_from_u64(1);
    return !mpavs_tx_sign(e->ecdsa, tx, e->sk) && !mpavs_tx_serialize(e->raw, sizeof e->raw, &e->raw_len, tx);
}

/*
 * Execute the Prague child of the fixture genesis with e->raw as its one transaction. Its gasUsed,
 * logsBloom and receiptsRoot are taken from a first execution (the receipts are not what these
 * tests check; the fixture tests do), so the refusal is about the requests or the state root.
 */
static int prague_exec(prague_env *e, mpavs_blockexec_refusal *why, mpavs_blockexec_stats *st,
                       const uint8_t requests_hash[32]) {
    mpavs_block b = e->f.block;
    mpavs_block_tx one = {e->raw, e->raw_len};
    b.txs = &one;
    b.tx_count = 1;
    b.header.has_requests_hash = true;
    memcpy(b.header.requests_hash, requests_hash, 32);
    if (mpavs_block_transactions_root(b.header.transactions_root, &b) != MPAVS_BLOCK_OK) return -1;
    /* the first pass refuses before the sink (gasUsed), so the state is unchanged */
    int r = execute(why, st, e->ms, MPAVS_EVM_PRAGUE, &e->f.genesis.header, &b);
    if (r != MPAVS_BLOCKEXEC_INVALID || strcmp(why->field, "gasUsed") || !st->has_receipts) return r;
    b.header.gas_used = st->gas_used;
    memcpy(b.header.logs_bloom, st->logs_bloom, 256);
    memcpy(b.header.receipts_root, st->receipts_root, 32);
    return execute(why, st, e->ms, MPAVS_EVM_PRAGUE, &e->f.genesis.header, &b);
}

/* The 576-byte DepositEvent data (EIP-6110 / the deposit contract's ABI) of fields filled with
   0x11.., 0x22.., ...; req gets 0x00 || pubkey || credentials || amount || signature || index. */
static void deposit_data(uint8_t d[576], uint8_t req[193]) {
    static const unsigned offs[5] = {160, 256, 320, 384, 512}, sizes[5] = {48, 32, 8, 96, 8};
    memset(d, 0, 576);
    req[0] = 0x00;
    size_t o = 1;
    for (int i = 0; i < 5; i++) {
        d[32 * i + 30] = (uint8_t)(offs[i] >> 8), d[32 * i + 31] = (uint8_t)offs[i];
        d[offs[i] + 30] = (uint8_t)(sizes[i] >> 8), d[offs[i] + 31] = (uint8_t)sizes[i];
        memset(d + offs[i] + 32, 0x11 * (i + 1), sizes[i]);
        memset(req + o, 0x11 * (i + 1), sizes[i]);
        o += sizes[i];
    }
}

/* Code that emits LOG1(topic, data) and stops. */
static size_t log_emitter(uint8_t *code, const uint8_t topic[32], const uint8_t *data, size_t len) {
    size_t n = 0;
    code[n++] = 0x61, code[n++] = (uint8_t)(len >> 8), code[n++] = (uint8_t)len; /* size */
    code[n++] = 0x61, code[n++] = 0, code[n++] = 49;                             /* offset in code */
    code[n++] = 0x60, code[n++] = 0;                                             /* memory 0 */
    code[n++] = 0x39;                                                            /* CODECOPY */
    code[n++] = 0x7f;
    memcpy(code + n, topic, 32);
    n += 32;
    code[n++] = 0x61, code[n++] = (uint8_t)(len >> 8), code[n++] = (uint8_t)len;
    code[n++] = 0x60, code[n++] = 0;
    code[n++] = 0xa1, code[n++] = 0x00; /* LOG1, STOP */
    memcpy(code + n, data, len);
    return n + len;
}

TEST(prague_deposit_requests) {
    for (int bad = 0; bad < 2; bad++) {
        prague_env e;
        REQUIRE(prague_env_init(&e));
        uint8_t d[576], req[193], topic[32], code[700];
        deposit_data(d, req);
        if (bad) d[31] = 161; /* the pubkey offset off by one */
        mpavs_keccak256(topic, "DepositEvent(bytes,bytes,bytes,bytes,bytes)", strlen("DepositEvent(bytes,bytes,bytes,bytes,bytes)"));
        size_t cl = log_emitter(code, topic, d, sizeof d);
        mpavs_u256 zero = mpavs_u256_from_u64(0);
        REQUIRE(!mpavs_evm_memstate_set_account(e.ms, DEPOSIT_ADDR, 1, &zero, code, cl));
        mpavs_tx tx;
        mpavs_tx_init(&tx, MPAVS_TX_TYPE_EIP1559);
        tx.has_to = true;
        memcpy(tx.to.bytes, DEPOSIT_ADDR, 20);
        REQUIRE(prague_sign(&e, &tx));
        uint8_t inner[32], want[32];
        SHA256(req, sizeof req, inner); /* EIP-7685: sha256 over sha256(type || data) per request */
        SHA256(inner, 32, want);
        mpavs_blockexec_refusal why;
        mpavs_blockexec_stats st;
        int r = prague_exec(&e, &why, &st, want);
        CHECK_EQ_INT(r, MPAVS_BLOCKEXEC_INVALID);
        if (!bad) {
            /* the requests agree; only the state root (unknown to this test) differs */
            CHECK_STREQ(why.field, "stateRoot");
            /* a header without the deposit: refused naming requestsHash with our hash as expected */
            prague_env_free(&e);
            REQUIRE(prague_env_init(&e));
            REQUIRE(!mpavs_evm_memstate_set_account(e.ms, DEPOSIT_ADDR, 1, &zero, code, cl));
            REQUIRE(prague_sign(&e, &tx));
            uint8_t none[32];
            SHA256((const unsigned char *)"", 0, none);
            r = prague_exec(&e, &why, &st, none);
            CHECK_EQ_INT(r, MPAVS_BLOCKEXEC_INVALID);
            CHECK_STREQ(why.field, "requestsHash");
            CHECK_STREQ(why.expected, hex32(want, 32));
        } else {
            CHECK_STREQ(why.field, "transactions[0].logs[0]");
        }
        prague_env_free(&e);
    }
}

TEST(prague_set_code_transaction) {
    prague_env e;
    REQUIRE(prague_env_init(&e));
    /* the authority: a fresh key delegating to 0x..c0de (nonce 0, chain 1) */
    uint8_t ask[32];
    mpavs_address authority;
    REQUIRE(!mpavs_ecdsa_seckey_generate(e.ecdsa, ask) && !mpavs_ecdsa_seckey_to_address(e.ecdsa, &authority, ask));
    mpavs_tx_authorization au;
    memset(&au, 0, sizeof au);
    au.chain_id = mpavs_u256_from_u64(1);
    au.address.bytes[18] = 0xc0, au.address.bytes[19] = 0xde;
    REQUIRE(mpavs_tx_authorization_sign(e.ecdsa, &au, ask) == MPAVS_TX_OK);
    uint8_t tup[MPAVS_TX_AUTHORIZATION_MAX], list[MPAVS_TX_AUTHORIZATION_MAX + 9];
    size_t tl = mpavs_tx_authorization_encode(tup, &au), ll, mark;
    mpavs_rlp_writer w;
    mpavs_rlp_writer_init(&w, list, sizeof list);
    mpavs_rlp_list_begin(&w, &mark);
    mpavs_rlp_put_raw(&w, tup, tl);
    mpavs_rlp_list_end(&w, mark);
    REQUIRE(mpavs_rlp_writer_finish(&w, &ll) == MPAVS_RLP_OK);
    mpavs_tx tx;
    mpavs_tx_init(&tx, MPAVS_TX_TYPE_EIP7702);
    tx.has_to = true;
    memset(tx.to.bytes, 0x42, 20);
    tx.authorization_list_rlp = list;
    tx.authorization_list_rlp_len = ll;
    tx.authorization_count = 1;
    REQUIRE(prague_sign(&e, &tx));
    uint8_t none[32];
    SHA256((const unsigned char *)"", 0, none);
    mpavs_blockexec_refusal why;
    mpavs_blockexec_stats st;
    int r = prague_exec(&e, &why, &st, none);
    CHECK_EQ_INT(r, MPAVS_BLOCKEXEC_INVALID);
    CHECK_STREQ(why.field, "stateRoot");
    REQUIRE(st.sink_written);
    /* EIP-7702: the authority's code is 0xef0100 || address and its nonce 1 */
    mpavs_evm_source src;
    mpavs_evm_memstate_source(&src, e.ms);
    mpavs_evm_account acct;
    bool exists = false;
    REQUIRE(src.account(src.ctx, &acct, &exists, authority.bytes) == 0);
    CHECK(exists);
    CHECK_EQ_INT(acct.nonce, 1);
    const uint8_t *code = NULL;
    size_t cl = 0;
    REQUIRE(src.code(src.ctx, &code, &cl, acct.code_hash) == 0);
    uint8_t want[23] = {0xef, 0x01, 0x00};
    memcpy(want + 3, au.address.bytes, 20);
    CHECK(cl == 23 && !memcmp(code, want, 23));
    prague_env_free(&e);
}

TEST(osaka_block_size_limit) {
    /* EIP-7934: a block whose encoding exceeds 8 MiB is refused under Osaka, not under Prague */
    for (int osaka = 0; osaka < 2; osaka++) {
        prague_env e;
        REQUIRE(prague_env_init(&e));
        size_t n = 8388608;
        uint8_t *big = calloc(n, 1);
        REQUIRE(big);
        mpavs_tx tx;
        mpavs_tx_init(&tx, MPAVS_TX_TYPE_EIP1559);
        tx.has_to = true;
        memset(tx.to.bytes, 0x42, 20);
        tx.data = big;
        tx.data_len = n;
        tx.chain_id = 1;
        tx.gas_limit = 30000000;
        tx.max_fee_per_gas = mpavs_u256_from_u64(1000);
        tx.max_priority_fee_per_gas = mpavs_u256_from_u64(1);
        size_t cap = mpavs_tx_encoded_size_max(&tx), len = 0;
        uint8_t *raw = malloc(cap);
        REQUIRE(raw && !mpavs_tx_sign(e.ecdsa, &tx, e.sk) && !mpavs_tx_serialize(raw, cap, &len, &tx));
        mpavs_block b = e.f.block;
        mpavs_block_tx one = {raw, len};
        b.txs = &one;
        b.tx_count = 1;
        b.header.has_requests_hash = true;
        REQUIRE(mpavs_block_transactions_root(b.header.transactions_root, &b) == MPAVS_BLOCK_OK);
        mpavs_blockexec_refusal why;
        mpavs_blockexec_stats st;
        int r = execute(&why, &st, e.ms, osaka ? MPAVS_EVM_OSAKA : MPAVS_EVM_PRAGUE, &e.f.genesis.header, &b);
        CHECK_EQ_INT(r, MPAVS_BLOCKEXEC_INVALID);
        if (osaka) {
            CHECK_STREQ(why.field, "size");
            CHECK(st.rlp_size > 8388608 && st.rlp_size < 8388608 + 2048);
        } else {
            CHECK(strcmp(why.field, "size") != 0); /* refused later, for its calldata gas */
        }
        free(raw);
        free(big);
        prague_env_free(&e);
    }
}

TEST(names) {
    CHECK(strstr(mpavs_blockexec_strerror(MPAVS_BLOCKEXEC_UNPROVABLE), "unprovable") != NULL);
    CHECK(strstr(mpavs_blockexec_strerror(12345), "unknown") != NULL);
}

/* EIP-7892: the mainnet preset's blob schedule moves at BPO1 and BPO2, never before Osaka. */
TEST(bpo_blob_schedules) {
    mpavs_stateless_config cfg;
    REQUIRE(mpavs_stateless_preset(&cfg, "mainnet") == 0);
    const mpavs_blockexec_chain *c = &cfg.chain;
    REQUIRE(c->nbpo == 2);
    const struct {
        mpavs_evm_fork fork;
        uint64_t time, target, max, fraction;
    } cases[] = {
        {MPAVS_EVM_PRAGUE, 1765290071, 6, 9, 5007716}, /* a BPO time without Osaka: Prague's */
        {MPAVS_EVM_OSAKA, 1764798551, 6, 9, 5007716},  /* Osaka activation */
        {MPAVS_EVM_OSAKA, 1765290070, 6, 9, 5007716},  /* a second before BPO1 */
        {MPAVS_EVM_OSAKA, 1765290071, 10, 15, 8346193}, /* BPO1 */
        {MPAVS_EVM_OSAKA, 1767747670, 10, 15, 8346193},
        {MPAVS_EVM_OSAKA, 1767747671, 14, 21, 11684671}, /* BPO2 */
        {MPAVS_EVM_OSAKA, 1796256000, 14, 21, 11684671}, /* 2026-12 */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mpavs_chain_blob_params p;
        mpavs_blockexec_blob_params(&p, c, cases[i].fork, cases[i].time);
        CHECK_EQ_INT(p.target, cases[i].target);
        CHECK_EQ_INT(p.max, cases[i].max);
        CHECK_EQ_INT(p.update_fraction, cases[i].fraction);
    }
    REQUIRE(mpavs_stateless_preset(&cfg, "anvil") == 0);
    CHECK_EQ_INT(cfg.chain.nbpo, 0);
    /* the explicit-fraction fee agrees with the per-fork one, and BPO2's is lower for one excess */
    mpavs_u256 a, b, f2;
    mpavs_evm_blob_base_fee(&a, MPAVS_EVM_PRAGUE, 40000000);
    mpavs_evm_blob_base_fee_fraction(&b, 5007716, 40000000);
    CHECK(!memcmp(&a, &b, sizeof a));
    mpavs_evm_blob_base_fee_fraction(&f2, 11684671, 40000000);
    /* EIP-4844's fake_exponential(1, 40000000, fraction), run in Python: 2944 and 30 */
    CHECK(a.w[0] == 2944 && a.w[1] == 0 && a.w[2] == 0 && a.w[3] == 0);
    CHECK(f2.w[0] == 30 && f2.w[1] == 0 && f2.w[2] == 0 && f2.w[3] == 0);
}

int main(void) {
    RUN(fixture_blocks_accepted);
    RUN(altered_fields_refused_by_name);
    RUN(prague_unsupported_precompile_is_unprovable);
    RUN(prague_requires_the_request_contracts);
    RUN(prague_deposit_requests);
    RUN(prague_set_code_transaction);
    RUN(osaka_block_size_limit);
    RUN(names);
    RUN(bpo_blob_schedules);
    return harness_summary();
}
