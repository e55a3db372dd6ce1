/*
 * eth_getProof answers of a real anvil verified with mpavs/trie.h: a state of
 * 300 funded accounts and a contract with 40 storage slots (anvil_setBalance,
 * anvil_setNonce, anvil_setCode, anvil_setStorageAt, then a mined block); for
 * present accounts, absent accounts, present and absent slots the proof must
 * verify against the block's stateRoot (and the account's storageHash), and
 * any altered claim (balance, nonce, code hash, slot value) must be refused.
 * (anvil_setStorageAt with zero stores rlp(0) instead of deleting the slot:
 * one slot covers that case.)
 * The same proof nodes, put in a node store, open a secure trie over the
 * stateRoot that reads the account and fails on any other account with
 * "missing trie node".
 */
#include "anvil.h"
#include "harness.h"

#include "mpavs/ecdsa.h"
#include "mpavs/hex.h"
#include "mpavs/keccak.h"
#include "mpavs/rpc.h"
#include "mpavs/trie.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdlib.h>

static harness_anvil anvil;
static mpavs_rpc *rpc;
static uint8_t state_root[32];
static char block_tag[32];

static char *call(const char *method, const char *params) {
    char *res = NULL;
    mpavs_error e = {0};
    int r = mpavs_rpc_call(rpc, &res, &e, method, params);
    if (r != MPAVS_RPC_OK) {
        fprintf(stderr, "  %s %s: %s\n", method, params, e.message);
        mpavs_error_clear(&e);
        return NULL;
    }
    return res;
}

static bool call_ok(const char *method, const char *params) {
    char *r = call(method, params);
    free(r);
    return r != NULL;
}

static void addr_hex(char out[43], const mpavs_address *a) {
    snprintf(out, 43, "0x%s", harness_hex(a->bytes, 20));
}

static void addr_of(mpavs_address *a, uint32_t i) {
    uint8_t h[32], b[4] = {(uint8_t)(i >> 24), (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i};
    mpavs_keccak256(h, b, 4);
    memcpy(a->bytes, h + 12, 20);
}

static bool hex32(uint8_t out[32], const char *s) {
    return s && harness_unhex(out, 32, s) == 32;
}

/* A JSON hex quantity ("0x1f") as u256. */
static bool quantity(mpavs_u256 *v, const json_t *j) {
    const char *s = json_string_value(j);
    return s && mpavs_u256_parse(v, s, strlen(s)) == 0;
}

typedef struct {
    uint8_t *nodes[MPAVS_TRIE_PROOF_MAX_NODES];
    size_t lens[MPAVS_TRIE_PROOF_MAX_NODES];
    size_t n;
} proof;

static bool proof_parse(proof *p, const json_t *arr) {
    p->n = 0;
    size_t i;
    json_t *e;
    if (!json_is_array(arr) || json_array_size(arr) > MPAVS_TRIE_PROOF_MAX_NODES) return false;
    json_array_foreach(arr, i, e) {
        const char *s = json_string_value(e);
        if (!s) return false;
        size_t cap = strlen(s) / 2 + 1;
        p->nodes[p->n] = malloc(cap);
        long n = harness_unhex(p->nodes[p->n], cap, s);
        if (n < 0) return false;
        p->lens[p->n++] = (size_t)n;
    }
    return true;
}

static void proof_free(proof *p) {
    for (size_t i = 0; i < p->n; i++) free(p->nodes[i]);
    p->n = 0;
}

typedef struct {
    int accounts_present, accounts_absent, slots_present, slots_absent, slots_stored_zero, refused;
} tally;

/* eth_getProof(address, slots) at the block; verify account and storage proofs. */
static void check_address(tally *t, const mpavs_address *a, const uint32_t *slots, size_t nslots,
                          bool expect_present) {
    char ah[43];
    addr_hex(ah, a);
    char params[4096];
    size_t o = (size_t)snprintf(params, sizeof params, "[\"%s\",[", ah);
    for (size_t i = 0; i < nslots; i++)
        o += (size_t)snprintf(params + o, sizeof params - o, "%s\"0x%064x\"", i ? "," : "", slots[i]);
    snprintf(params + o, sizeof params - o, "],\"%s\"]", block_tag);
    char *res = call("eth_getProof", params);
    REQUIRE(res);
    json_t *j = json_loads(res, 0, NULL);
    free(res);
    REQUIRE(j);

    mpavs_trie_account claimed;
    uint64_t nonce = 0;
    mpavs_u256 nonce_u;
    CHECK(quantity(&claimed.balance, json_object_get(j, "balance")));
    CHECK(quantity(&nonce_u, json_object_get(j, "nonce")));
    nonce = nonce_u.w[0];
    claimed.nonce = nonce;
    CHECK(hex32(claimed.storage_root, json_string_value(json_object_get(j, "storageHash"))));
    CHECK(hex32(claimed.code_hash, json_string_value(json_object_get(j, "codeHash"))));

    proof p;
    REQUIRE(proof_parse(&p, json_object_get(j, "accountProof")));
    const uint8_t *const *nodes = (const uint8_t *const *)p.nodes;
    bool ok = false;
    int r = mpavs_trie_verify_account_proof(&ok, state_root, a, &claimed, nodes, p.lens, p.n);
    CHECK_EQ_INT(r, MPAVS_TRIE_OK);
    CHECK(ok);
    /* what the proof says exists: the account's value, or nothing */
    uint8_t key[32];
    mpavs_keccak256(key, a->bytes, 20);
    const uint8_t *val;
    size_t vl;
    CHECK(mpavs_trie_proof_get(&val, &vl, state_root, key, 32, nodes, p.lens, p.n) == 0);
    CHECK((val != NULL) == expect_present);
    if (val) t->accounts_present++;
    else t->accounts_absent++;

    /* altered claims are refused */
    mpavs_trie_account bad = claimed;
    bad.balance.w[0] ^= 1;
    CHECK(mpavs_trie_verify_account_proof(&ok, state_root, a, &bad, nodes, p.lens, p.n) == 0 && !ok);
    bad = claimed;
    bad.nonce++;
    CHECK(mpavs_trie_verify_account_proof(&ok, state_root, a, &bad, nodes, p.lens, p.n) == 0 && !ok);
    bad = claimed;
    bad.code_hash[31] ^= 1;
    CHECK(mpavs_trie_verify_account_proof(&ok, state_root, a, &bad, nodes, p.lens, p.n) == 0 && !ok);
    t->refused += 3;
    /* against another root nothing is proved */
    uint8_t other[32];
    memcpy(other, state_root, 32);
    other[0] ^= 1;
    CHECK(mpavs_trie_verify_account_proof(&ok, other, a, &claimed, nodes, p.lens, p.n) ==
              MPAVS_TRIE_MISSING_NODE && !ok);

    /* the proof as a witness: a secure trie over the state root reads the account */
    mpavs_trie_store *s = mpavs_trie_store_create(MPAVS_TRIE_PROOF_MAX_NODES, 1 << 20);
    for (size_t i = 0; i < p.n; i++) CHECK(mpavs_trie_store_add(s, NULL, p.nodes[i], p.lens[i]) == 0);
    mpavs_trie *tr = mpavs_trie_open(s, state_root, MPAVS_TRIE_SECURE);
    CHECK(mpavs_trie_get(tr, &val, &vl, a->bytes, 20) == 0);
    if (expect_present && val) {
        mpavs_trie_account got;
        CHECK(mpavs_trie_account_decode(&got, val, vl) == 0);
        CHECK(got.nonce == claimed.nonce && mpavs_u256_cmp(&got.balance, &claimed.balance) == 0);
    }
    mpavs_address other_addr;
    addr_of(&other_addr, 0xdead0000u);
    r = mpavs_trie_get(tr, &val, &vl, other_addr.bytes, 20);
    if (r == MPAVS_TRIE_MISSING_NODE) {
        char msg[100];
        mpavs_trie_describe(msg, sizeof msg, tr, r);
        CHECK(strncmp(msg, "missing trie node 0x", 20) == 0 && strlen(msg) == 20 + 64);
    } else {
        CHECK(r == MPAVS_TRIE_OK && val == NULL); /* proved absent by the same nodes: allowed */
    }
    mpavs_trie_destroy(tr);
    mpavs_trie_store_destroy(s);
    proof_free(&p);

    /* storage proofs against the storageHash the account proof just proved */
    size_t i;
    json_t *sp;
    json_array_foreach(json_object_get(j, "storageProof"), i, sp) {
        uint8_t slot[32];
        mpavs_u256 slot_u, value;
        CHECK(quantity(&slot_u, json_object_get(sp, "key")));
        mpavs_u256_to_be32(slot, &slot_u);
        CHECK(quantity(&value, json_object_get(sp, "value")));
        REQUIRE(proof_parse(&p, json_object_get(sp, "proof")));
        nodes = (const uint8_t *const *)p.nodes;
        r = mpavs_trie_verify_storage_proof(&ok, claimed.storage_root, slot, &value, nodes, p.lens, p.n);
        if (r) fprintf(stderr, "  slot %s: %s\n", json_string_value(json_object_get(sp, "key")), mpavs_trie_strerror(r));
        CHECK_EQ_INT(r, MPAVS_TRIE_OK);
        CHECK(ok);
        const uint8_t *sv;
        size_t svl;
        uint8_t skey[32];
        mpavs_keccak256(skey, slot, 32);
        CHECK(mpavs_trie_proof_get(&sv, &svl, claimed.storage_root, skey, 32, nodes, p.lens, p.n) == 0);
        if (sv && mpavs_u256_is_zero(&value)) t->slots_stored_zero++;
        if (!sv) t->slots_absent++;
        if (sv && !mpavs_u256_is_zero(&value)) t->slots_present++;
        mpavs_u256 wrong = value;
        wrong.w[0] ^= 0x10;
        CHECK(mpavs_trie_verify_storage_proof(&ok, claimed.storage_root, slot, &wrong, nodes, p.lens, p.n) == 0 && !ok);
        t->refused++;
        proof_free(&p);
    }
    CHECK_EQ_INT(json_array_size(json_object_get(j, "storageProof")), nslots);
    json_decref(j);
}

TEST(get_proof_anvil) {
    char params[512], ah[43];
    /* 300 funded accounts make a state trie a few levels deep */
    for (uint32_t i = 0; i < 300; i++) {
        mpavs_address a;
        addr_of(&a, i);
        addr_hex(ah, &a);
        snprintf(params, sizeof params, "[\"%s\",\"0x%x\"]", ah, 1000000u + i * 7919u);
        REQUIRE(call_ok("anvil_setBalance", params));
        if (i % 5 == 0) {
            snprintf(params, sizeof params, "[\"%s\",\"0x%x\"]", ah, i + 1);
            REQUIRE(call_ok("anvil_setNonce", params));
        }
    }
    /* a contract with 40 slots, one of them a full 32-byte value */
    mpavs_address c;
    addr_of(&c, 1000000);
    addr_hex(ah, &c);
    snprintf(params, sizeof params, "[\"%s\",\"0x6000545f5260205ff3\"]", ah);
    REQUIRE(call_ok("anvil_setCode", params));
    for (uint32_t s = 0; s < 40; s++) {
        snprintf(params, sizeof params,
                 "[\"%s\",\"0x%x\",\"0x%064x\"]", ah, s * 3, s == 7 ? 0 : s * 1000003u + 1);
        REQUIRE(call_ok("anvil_setStorageAt", params));
    }
    snprintf(params, sizeof params,
             "[\"%s\",\"0x1\",\"0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff01\"]", ah);
    REQUIRE(call_ok("anvil_setStorageAt", params));
    REQUIRE(call_ok("evm_mine", "[]"));

    mpavs_rpc_block b;
    bool found = false;
    mpavs_error e = {0};
    REQUIRE(mpavs_rpc_get_block_by_number(rpc, &b, &found, &e, "latest") == MPAVS_RPC_OK && found);
    memcpy(state_root, b.state_root, 32);
    snprintf(block_tag, sizeof block_tag, "0x%llx", (unsigned long long)b.number);
    mpavs_rpc_block_clear(&b);

    tally t = {0};
    const uint32_t slots[] = {0, 1, 3, 6, 21, 117, 2, 4, 5, 100000}; /* 0 1 3 6 117 set, 21 set to zero, the rest never set */
    check_address(&t, &c, slots, sizeof slots / sizeof slots[0], true);
    for (uint32_t i = 0; i < 300; i += 37) {
        mpavs_address a;
        addr_of(&a, i);
        check_address(&t, &a, slots, 2, true);
    }
    mpavs_address dev;
    REQUIRE(mpavs_address_parse(&dev, ANVIL_ADDR0) == 0);
    check_address(&t, &dev, NULL, 0, true);
    for (uint32_t i = 0; i < 8; i++) { /* accounts that do not exist */
        mpavs_address a;
        addr_of(&a, 5000000 + i);
        check_address(&t, &a, slots, 2, false);
    }
    fprintf(stderr, "  proofs: %d present and %d absent accounts, %d present, %d stored-zero and %d absent slots, %d altered claims refused\n",
            t.accounts_present, t.accounts_absent, t.slots_present, t.slots_stored_zero, t.slots_absent, t.refused);
    CHECK(t.accounts_present == 11 && t.accounts_absent == 8);
    CHECK(t.slots_present == 5 && t.slots_stored_zero == 1 && t.slots_absent == 4 + 2 * 17);
}

int main(void) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (!harness_anvil_start(&anvil, NULL)) {
        fprintf(stderr, "could not start anvil\n");
        printf("0 passed, 1 failed\n");
        return 1;
    }
    rpc = mpavs_rpc_create(anvil.url, NULL);
    RUN(get_proof_anvil);
    mpavs_rpc_destroy(rpc);
    harness_anvil_stop(&anvil);
    curl_global_cleanup();
    return harness_summary();
}
