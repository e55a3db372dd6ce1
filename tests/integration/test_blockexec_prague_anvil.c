/*
 * test_blockexec_prague_anvil — the Prague system calls of mpavs_blockexec_execute with the real
 * EIP-2935 history contract, whose code is read from anvil --hardfork prague (which deploys it).
 *
 * Oracles: (1) EIP-2935's storage layout, checked on anvil itself first: after anvil mines block
 * n, slot (n-1) % 8191 of the contract holds the hash of block n-1; (2) the same slot of our state
 * after executing a Prague child of a parent at height 40 holds the parent's hash; (3) EIP-7685's
 * requests hash computed here with OpenSSL: sha256 of nothing for no requests, and
 * sha256(sha256(0x01 || data)) when the EIP-7002 contract (a stub returning data; anvil does not
 * deploy the real one) returns data. The block is then refused only on its stateRoot (which this
 * test cannot know), and a wrong requestsHash is refused naming requestsHash.
 */
#include "anvil.h"
#include "anvil_rpc.h"
#include "harness.h"

#include "mpavs/blockexec.h"
#include "mpavs/hex.h"
#include "mpavs/rpc.h"
#include "mpavs/trie.h"

#include <jansson.h>
#include <openssl/sha.h>
#include <stdlib.h>
#include <strings.h>

static const char *HISTORY = "0x0000F90827F1C53a10cb7A02335B175320002935";
static const uint8_t HISTORY_ADDR[20] = {0x00, 0x00, 0xF9, 0x08, 0x27, 0xF1, 0xC5, 0x3a, 0x10, 0xcb,
                                         0x7A, 0x02, 0x33, 0x5B, 0x17, 0x53, 0x20, 0x00, 0x29, 0x35};
static const uint8_t WITHDRAWAL_ADDR[20] = {0x00, 0x00, 0x09, 0x61, 0xEf, 0x48, 0x0E, 0xb5, 0x5e, 0x80,
                                            0xD1, 0x9a, 0xd8, 0x35, 0x79, 0xA6, 0x4c, 0x00, 0x70, 0x02};
static const uint8_t CONSOLIDATION_ADDR[20] = {0x00, 0x00, 0xBB, 0xdD, 0xc7, 0xCE, 0x48, 0x86, 0x42, 0xfb,
                                               0x57, 0x9F, 0x8B, 0x00, 0xf3, 0xa5, 0x90, 0x00, 0x72, 0x51};

static mpavs_rpc *rpc;
static harness_anvil anvil;

static json_t *call_json(const char *method, const char *params) { return anvil_call_json(rpc, method, params); }

static int root_of(void *ctx, uint8_t root[32]) { return mpavs_evm_memstate_root(root, ctx) != MPAVS_EVM_OK; }

static int run(mpavs_blockexec_refusal *why, mpavs_blockexec_stats *st, mpavs_evm_memstate *ms,
               const mpavs_block_header *parent, const mpavs_block *b) {
    mpavs_evm_schedule s;
    memset(&s, 0, sizeof s);
    s.active[MPAVS_EVM_CANCUN] = s.active[MPAVS_EVM_PRAGUE] = true;
    mpavs_blockexec_chain chain;
    mpavs_blockexec_chain_init(&chain, 1, &s);
    mpavs_blockexec_state state;
    memset(&state, 0, sizeof state);
    mpavs_evm_memstate_source(&state.source, ms);
    mpavs_evm_memstate_sink(&state.sink, ms);
    state.root = root_of;
    state.root_ctx = ms;
    mpavs_ecdsa_ctx *ecdsa = mpavs_ecdsa_ctx_create();
    int r = mpavs_blockexec_execute(why, st, ecdsa, &chain, parent, b, &state, NULL, NULL);
    mpavs_ecdsa_ctx_destroy(ecdsa);
    return r;
}

/* A state with the history contract and stub request contracts (7002 returns `out` bytes). */
static mpavs_evm_memstate *state_with(const uint8_t *code, size_t len, const uint8_t *out, size_t out_len) {
    mpavs_evm_memstate *ms = mpavs_evm_memstate_create();
    mpavs_u256 zero = mpavs_u256_from_u64(0);
    /* stub: MSTORE8 each output byte, RETURN(0, n) */
    uint8_t stub[128];
    size_t n = 0;
    for (size_t i = 0; i < out_len && i < 16; i++) {
        stub[n++] = 0x60, stub[n++] = out[i], stub[n++] = 0x60, stub[n++] = (uint8_t)i, stub[n++] = 0x53;
    }
    stub[n++] = 0x60, stub[n++] = (uint8_t)out_len, stub[n++] = 0x60, stub[n++] = 0x00, stub[n++] = 0xf3;
    static const uint8_t empty_return[] = {0x60, 0x00, 0x60, 0x00, 0xf3};
    if (!ms || mpavs_evm_memstate_set_account(ms, HISTORY_ADDR, 1, &zero, code, len) ||
        mpavs_evm_memstate_set_account(ms, WITHDRAWAL_ADDR, 1, &zero, stub, n) ||
        mpavs_evm_memstate_set_account(ms, CONSOLIDATION_ADDR, 1, &zero, empty_return, sizeof empty_return)) {
        mpavs_evm_memstate_destroy(ms);
        return NULL;
    }
    return ms;
}

TEST(history_contract_on_anvil_and_here) {
    const char *args[] = {"--hardfork", "prague", NULL};
    REQUIRE(harness_anvil_start(&anvil, args));
    rpc = mpavs_rpc_create(anvil.url, NULL);
    REQUIRE(rpc != NULL);
    uint8_t *code = NULL;
    size_t code_len = 0;
    mpavs_error e = {0};
    REQUIRE(mpavs_rpc_get_code(rpc, &code, &code_len, &e, HISTORY_ADDR, "latest") == MPAVS_RPC_OK);
    REQUIRE(code_len > 0);

    /* (1) the layout on anvil: mine 3 blocks, slot (n-1) % 8191 of block n holds hash(n-1) */
    json_decref(call_json("anvil_mine", "[\"0x3\"]"));
    json_t *blk = call_json("eth_getBlockByNumber", "[\"0x2\", false]");
    json_t *slot = call_json("eth_getStorageAt", "[\"0x0000F90827F1C53a10cb7A02335B175320002935\", \"0x2\", \"0x3\"]");
    REQUIRE(blk && slot);
    const char *h2 = json_string_value(json_object_get(blk, "hash"));
    const char *s2 = json_string_value(slot);
    REQUIRE(h2 && s2);
    CHECK(!strcasecmp(h2, s2));
    if (strcasecmp(h2, s2)) fprintf(stderr, "anvil: %s slot 2 = %s, block 2 hash %s\n", HISTORY, s2, h2);
    json_decref(blk);
    json_decref(slot);

    /* (2) our executor: a Prague child (number 41) of a parent at height 40 */
    mpavs_block_header parent;
    memset(&parent, 0, sizeof parent);
    parent.number = 40;
    parent.gas_limit = 30000000;
    parent.gas_used = 15000000;
    parent.timestamp = 5000;
    parent.has_base_fee = true;
    parent.base_fee_per_gas = mpavs_u256_from_u64(7);
    parent.has_withdrawals_root = parent.has_blob_gas = parent.has_requests_hash = true;
    memcpy(parent.withdrawals_root, mpavs_trie_empty_root, 32);
    uint8_t parent_hash[32];
    REQUIRE(mpavs_block_header_hash(parent_hash, &parent) == MPAVS_BLOCK_OK);

    mpavs_block b;
    memset(&b, 0, sizeof b);
    mpavs_block_header *h = &b.header;
    *h = parent;
    memcpy(h->parent_hash, parent_hash, 32);
    h->number = 41;
    h->timestamp = 5012;
    h->gas_used = 0;
    REQUIRE(mpavs_chain_expected_base_fee(&h->base_fee_per_gas, &parent) == MPAVS_CHAIN_OK);
    b.has_withdrawals = true;
    REQUIRE(mpavs_block_transactions_root(h->transactions_root, &b) == MPAVS_BLOCK_OK);
    mpavs_block_ommers_hash(h->ommers_hash, &b);
    memcpy(h->receipts_root, mpavs_trie_empty_root, 32);
    SHA256((const unsigned char *)"", 0, h->requests_hash); /* no requests */

    mpavs_evm_memstate *ms = state_with(code, code_len, NULL, 0);
    REQUIRE(ms);
    mpavs_blockexec_refusal why;
    mpavs_blockexec_stats st;
    int r = run(&why, &st, ms, &parent, &b);
    CHECK_EQ_INT(r, MPAVS_BLOCKEXEC_INVALID);
    CHECK_STREQ(why.field, "stateRoot"); /* everything else matched, requestsHash included */
    CHECK(st.sink_written);
    mpavs_evm_source src;
    mpavs_evm_memstate_source(&src, ms);
    uint8_t key[32] = {0}, val[32];
    key[31] = 40; /* (41 - 1) % 8191 */
    REQUIRE(src.storage(src.ctx, val, HISTORY_ADDR, key) == 0);
    CHECK(!memcmp(val, parent_hash, 32));
    key[31] = 39;
    REQUIRE(src.storage(src.ctx, val, HISTORY_ADDR, key) == 0);
    static const uint8_t zero32[32];
    CHECK(!memcmp(val, zero32, 32)); /* nothing else written */
    /* with the state root the executor computed the block is valid */
    memcpy(h->state_root, st.state_root, 32);
    mpavs_evm_memstate_destroy(ms);
    ms = state_with(code, code_len, NULL, 0);
    REQUIRE(ms);
    CHECK_EQ_INT(run(&why, &st, ms, &parent, &b), MPAVS_BLOCKEXEC_OK);
    mpavs_evm_memstate_destroy(ms);

    /* (3) a withdrawal request returned by the 7002 contract: requestsHash = sha256(sha256(0x01 || data)) */
    uint8_t data[1 + 12];
    data[0] = 0x01;
    for (int i = 1; i < 13; i++) data[i] = (uint8_t)(0xa0 + i);
    uint8_t inner[32];
    SHA256(data, sizeof data, inner);
    uint8_t want[32];
    SHA256(inner, 32, want);
    ms = state_with(code, code_len, data + 1, sizeof data - 1);
    REQUIRE(ms);
    r = run(&why, &st, ms, &parent, &b); /* header still says "no requests" */
    CHECK_EQ_INT(r, MPAVS_BLOCKEXEC_INVALID);
    CHECK_STREQ(why.field, "requestsHash");
    char hex[67];
    REQUIRE(mpavs_hex_encode(hex, sizeof hex, want, 32, true) == MPAVS_HEX_OK);
    CHECK_STREQ(why.expected, hex);
    CHECK(!st.sink_written);
    memcpy(h->requests_hash, want, 32);
    r = run(&why, &st, ms, &parent, &b);
    CHECK_EQ_INT(r, MPAVS_BLOCKEXEC_INVALID);
    CHECK_STREQ(why.field, "stateRoot"); /* the requests now agree */
    mpavs_evm_memstate_destroy(ms);

    free(code);
    mpavs_rpc_destroy(rpc);
    harness_anvil_stop(&anvil);
}

int main(void) {
    RUN(history_contract_on_anvil_and_here);
    return harness_summary();
}
