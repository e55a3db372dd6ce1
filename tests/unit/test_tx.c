/* Transactions: the EIP-155 example and type-2 transactions made by `cast mktx` (cast 1.7.1). */
#include "harness.h"
#include "mpavs/keccak.h"
#include "mpavs/rlp.h"
#include "mpavs/tx.h"

#include <stdlib.h>

static mpavs_ecdsa_ctx *ctx;
static uint8_t key46[32];

static const char *EIP155_RAW =
    "f86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028"
    "ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b38"
    "00ccf555c9f3dc64214b297fb1966a3b6d83";
/* cast mktx --private-key 0x46..46 --chain 1 --nonce 0 --gas-limit 21000 --gas-price 2000000000
 *   --priority-gas-price 1000000000 0x3535..35 --value 1 */
static const char *T2_RAW =
    "02f86a0180843b9aca0084773594008252089435353535353535353535353535353535353535350180c080a0115b"
    "ee0f6beb8dc3b418150f115544f3b213b06624b24ac77152d74b26ff6e84a00d3bd9eeec4e4038ac529b30faa54b"
    "fe91a7a3f565898dc21c029e8fa1fcc7f0";
/* cast mktx ... --chain 31337 --nonce 300 --gas-limit 1000000 --gas-price 30000000000
 *   --priority-gas-price 0 --create 0x6080604052348015600f57600080fd5b50 */
static const char *T2_CREATE_RAW =
    "02f869827a6982012c808506fc23ac00830f42408080916080604052348015600f57600080fd5b50c080a0519982"
    "d19c7149f5d19cb04a2781ab352191f85dc281514234ceececabc87088a00aa985ca624f0973faa85aaa40c6299c"
    "e92227e3814453c04a7827a567ad75ea";
/* cast mktx ... --chain 5 --nonce 1 --gas-limit 50000 --gas-price 100 --priority-gas-price 2
 *   0x11..11 --access-list '[{0x22..22: [1, 0xff]}, {0x33..33: []}]' */
static const char *T2_AL_RAW =
    "02f8d50501026482c3509411111111111111111111111111111111111111118080f872f859942222222222222222"
    "222222222222222222222222f842a00000000000000000000000000000000000000000000000000000000000000001"
    "a000000000000000000000000000000000000000000000000000000000000000ffd6943333333333333333333333"
    "333333333333333333c001a0afd4b39cd6e8ad6f8c803a0f2a5c485cd13d8f166a956f63bdf5c4720fec47bea02f"
    "5a6a9b5638f7dde5e5b90957b49052e2118f92c85308439426c1a2d35dd5f2";

static uint8_t raw[4096], out[4096];

static size_t unhex(uint8_t *b, const char *hex) {
    long n = harness_unhex(b, 4096, hex);
    return n < 0 ? 0 : (size_t)n;
}

static void check_sender(const mpavs_tx *tx) {
    mpavs_address from;
    REQUIRE(mpavs_tx_sender(ctx, &from, tx) == MPAVS_TX_OK);
    char s[43];
    mpavs_address_to_checksum(s, &from);
    CHECK_STREQ(s, "0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F");
}

/* Parse, re-serialize to the same bytes, recover the sender. */
static void roundtrip(const char *hex, mpavs_tx *tx) {
    size_t n = unhex(raw, hex);
    REQUIRE(n > 0);
    REQUIRE(mpavs_tx_parse(tx, raw, n) == MPAVS_TX_OK);
    size_t len;
    REQUIRE(mpavs_tx_serialize(out, sizeof out, &len, tx) == MPAVS_TX_OK);
    CHECK_EQ_INT(len, n);
    CHECK_MEMEQ(out, raw, n);
    CHECK(len <= mpavs_tx_encoded_size_max(tx));
    check_sender(tx);
}

TEST(eip155_example) {
    mpavs_tx tx;
    mpavs_tx_init(&tx, MPAVS_TX_TYPE_LEGACY);
    tx.chain_id = 1;
    tx.nonce = 9;
    tx.gas_price = mpavs_u256_from_u64(20000000000ull);
    tx.gas_limit = 21000;
    tx.has_to = true;
    memset(tx.to.bytes, 0x35, 20);
    tx.value = mpavs_u256_from_u64(1000000000000000000ull);
    uint8_t h[32];
    REQUIRE(mpavs_tx_signing_hash(h, &tx) == 0);
    CHECK_STREQ(harness_hex(h, 32), "daf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53");
    size_t len;
    CHECK_EQ_INT(mpavs_tx_serialize(out, sizeof out, &len, &tx), MPAVS_TX_ERR_UNSIGNED);
    CHECK_EQ_INT(mpavs_tx_hash(h, &tx), MPAVS_TX_ERR_UNSIGNED);
    REQUIRE(mpavs_tx_sign(ctx, &tx, key46) == 0);
    REQUIRE(mpavs_tx_serialize(out, sizeof out, &len, &tx) == 0);
    CHECK_STREQ(harness_hex(out, len), EIP155_RAW);
    REQUIRE(mpavs_tx_hash(h, &tx) == 0); /* = cast keccak of the raw bytes */
    CHECK_STREQ(harness_hex(h, 32), "33469b22e9f636356c4160a87eb19df52b7412e8eac32a4a55ffe88ea8350788");
    CHECK_EQ_INT(mpavs_tx_serialize(out, len - 1, &len, &tx), MPAVS_TX_ERR_SPACE);
    mpavs_tx p;
    roundtrip(EIP155_RAW, &p);
    CHECK_EQ_INT(p.type, MPAVS_TX_TYPE_LEGACY);
    CHECK_EQ_INT(p.chain_id, 1);
    CHECK_EQ_INT(p.nonce, 9);
    CHECK_EQ_INT(p.gas_limit, 21000);
    CHECK(mpavs_u256_cmp(&p.value, &tx.value) == 0);
    CHECK(mpavs_u256_cmp(&p.gas_price, &tx.gas_price) == 0);
    CHECK(p.has_to && p.to.bytes[0] == 0x35 && p.data_len == 0);
}

TEST(type2_transfer) {
    mpavs_tx tx;
    mpavs_tx_init(&tx, MPAVS_TX_TYPE_EIP1559);
    tx.chain_id = 1;
    tx.nonce = 0;
    tx.max_priority_fee_per_gas = mpavs_u256_from_u64(1000000000);
    tx.max_fee_per_gas = mpavs_u256_from_u64(2000000000);
    tx.gas_limit = 21000;
    tx.has_to = true;
    memset(tx.to.bytes, 0x35, 20);
    tx.value = mpavs_u256_from_u64(1);
    REQUIRE(mpavs_tx_sign(ctx, &tx, key46) == 0);
    size_t len;
    REQUIRE(mpavs_tx_serialize(out, sizeof out, &len, &tx) == 0);
    CHECK_STREQ(harness_hex(out, len), T2_RAW);
    uint8_t h[32];
    REQUIRE(mpavs_tx_hash(h, &tx) == 0); /* cast decode-transaction's "hash" */
    CHECK_STREQ(harness_hex(h, 32), "8c78c592cd72a5bb082d374239a6902a2b684bdcfc35fd468734f7404a7194b6");
    mpavs_tx p;
    roundtrip(T2_RAW, &p);
    CHECK_EQ_INT(p.type, MPAVS_TX_TYPE_EIP1559);
    CHECK_EQ_INT(p.access_list_addresses, 0);
}

TEST(type2_create) {
    static const uint8_t code[] = {0x60, 0x80, 0x60, 0x40, 0x52, 0x34, 0x80, 0x15, 0x60,
                                   0x0f, 0x57, 0x60, 0x00, 0x80, 0xfd, 0x5b, 0x50};
    mpavs_tx tx;
    mpavs_tx_init(&tx, MPAVS_TX_TYPE_EIP1559);
    tx.chain_id = 31337;
    tx.nonce = 300;
    tx.max_fee_per_gas = mpavs_u256_from_u64(30000000000ull);
    tx.gas_limit = 1000000;
    tx.data = code;
    tx.data_len = sizeof code;
    REQUIRE(mpavs_tx_sign(ctx, &tx, key46) == 0);
    size_t len;
    REQUIRE(mpavs_tx_serialize(out, sizeof out, &len, &tx) == 0);
    CHECK_STREQ(harness_hex(out, len), T2_CREATE_RAW);
    mpavs_tx p;
    roundtrip(T2_CREATE_RAW, &p);
    CHECK(!p.has_to);
    CHECK_EQ_INT(p.data_len, sizeof code);
    CHECK_EQ_INT(p.chain_id, 31337);
    CHECK_EQ_INT(p.nonce, 300);
}

TEST(type2_access_list) {
    mpavs_tx p;
    roundtrip(T2_AL_RAW, &p);
    CHECK_EQ_INT(p.access_list_addresses, 2);
    CHECK_EQ_INT(p.access_list_keys, 2);
    CHECK_EQ_INT(p.chain_id, 5);
    /* build the same transaction from the access list's encoding and sign it */
    static uint8_t al[256];
    REQUIRE(p.access_list_rlp_len < sizeof al);
    memcpy(al, p.access_list_rlp, p.access_list_rlp_len);
    mpavs_tx tx;
    mpavs_tx_init(&tx, MPAVS_TX_TYPE_EIP1559);
    tx.chain_id = 5;
    tx.nonce = 1;
    tx.max_priority_fee_per_gas = mpavs_u256_from_u64(2);
    tx.max_fee_per_gas = mpavs_u256_from_u64(100);
    tx.gas_limit = 50000;
    tx.has_to = true;
    memset(tx.to.bytes, 0x11, 20);
    tx.access_list_rlp = al;
    tx.access_list_rlp_len = p.access_list_rlp_len;
    REQUIRE(mpavs_tx_sign(ctx, &tx, key46) == 0);
    size_t len;
    REQUIRE(mpavs_tx_serialize(out, sizeof out, &len, &tx) == 0);
    CHECK_STREQ(harness_hex(out, len), T2_AL_RAW);
    /* a malformed access list is refused when building */
    al[0] = 0x80;
    uint8_t h[32];
    CHECK_EQ_INT(mpavs_tx_signing_hash(h, &tx), MPAVS_TX_ERR_ACCESS_LIST);
}

TEST(pre_eip155_and_random) {
    /* legacy without chain id: v = 27/28 */
    mpavs_tx tx;
    mpavs_tx_init(&tx, MPAVS_TX_TYPE_LEGACY);
    tx.nonce = 1;
    tx.gas_limit = 21000;
    tx.gas_price = mpavs_u256_from_u64(1);
    REQUIRE(mpavs_tx_sign(ctx, &tx, key46) == 0);
    size_t len;
    REQUIRE(mpavs_tx_serialize(raw, sizeof raw, &len, &tx) == 0);
    mpavs_tx p;
    REQUIRE(mpavs_tx_parse(&p, raw, len) == 0);
    CHECK_EQ_INT(p.chain_id, 0);
    check_sender(&p);
    /* large chain ids, values, data sizes */
    static uint8_t data[3000];
    for (int i = 0; i < 100; i++) {
        uint8_t k[32];
        REQUIRE(mpavs_ecdsa_seckey_generate(ctx, k) == 0);
        mpavs_tx_init(&tx, (i & 1) ? MPAVS_TX_TYPE_EIP1559 : MPAVS_TX_TYPE_LEGACY);
        REQUIRE(mpavs_random_bytes(&tx.chain_id, 8) == 0);
        tx.chain_id >>= (i % 64);
        if (tx.chain_id == 0) tx.chain_id = 1;
        REQUIRE(mpavs_random_bytes(&tx.nonce, 8) == 0);
        REQUIRE(mpavs_random_bytes(tx.value.w, 32) == 0);
        REQUIRE(mpavs_random_bytes(tx.gas_price.w, 32) == 0);
        tx.has_to = i % 3 != 0;
        tx.data = data;
        tx.data_len = (size_t)(i * 29) % sizeof data;
        REQUIRE(mpavs_random_bytes(data, tx.data_len) == 0);
        REQUIRE(mpavs_tx_sign(ctx, &tx, k) == 0);
        REQUIRE(mpavs_tx_serialize(raw, sizeof raw, &len, &tx) == 0);
        REQUIRE(mpavs_tx_parse(&p, raw, len) == 0);
        CHECK_EQ_INT(p.chain_id, tx.chain_id);
        CHECK_EQ_INT(p.nonce, tx.nonce);
        CHECK_EQ_INT(p.data_len, tx.data_len);
        mpavs_address a, b;
        REQUIRE(mpavs_ecdsa_seckey_to_address(ctx, &a, k) == 0);
        REQUIRE(mpavs_tx_sender(ctx, &b, &p) == 0);
        CHECK_MEMEQ(a.bytes, b.bytes, 20);
        uint8_t h1[32], h2[32];
        REQUIRE(mpavs_tx_hash(h1, &p) == 0);
        mpavs_keccak256(h2, raw, len);
        CHECK_MEMEQ(h1, h2, 32);
        mpavs_wipe(k, 32);
    }
}

TEST(hostile) {
    const char *all[] = {EIP155_RAW, T2_RAW, T2_CREATE_RAW, T2_AL_RAW};
    mpavs_tx p;
    for (size_t i = 0; i < 4; i++) {
        size_t n = unhex(raw, all[i]);
        for (size_t k = 0; k < n; k++) CHECK(mpavs_tx_parse(&p, raw, k) != MPAVS_TX_OK);
        for (size_t k = 0; k < n; k++)
            for (int bit = 0; bit < 8; bit++) {
                raw[k] ^= (uint8_t)(1 << bit);
                if (mpavs_tx_parse(&p, raw, n) == MPAVS_TX_OK) {
                    mpavs_address a;
                    int r = mpavs_tx_sender(ctx, &a, &p);
                    CHECK(r == MPAVS_TX_OK || r == MPAVS_TX_ERR_SIGNATURE);
                }
                raw[k] ^= (uint8_t)(1 << bit);
            }
    }
    static const struct {
        const char *hex;
        int err;
    } bad[] = {
        {"", MPAVS_TX_ERR_RLP},
        {"01c0", MPAVS_TX_ERR_FIELDS}, /* EIP-2930 with no fields */
        {"03c0", MPAVS_TX_ERR_FIELDS}, /* blob tx with no fields */
        {"04c0", MPAVS_TX_ERR_FIELDS}, /* set-code tx with no fields */
        {"05c0", MPAVS_TX_ERR_TYPE},   /* no type 5 */
        {"7fc0", MPAVS_TX_ERR_TYPE},
        {"83646f67", MPAVS_TX_ERR_RLP},
        {"c0", MPAVS_TX_ERR_FIELDS},
        {"02c0", MPAVS_TX_ERR_FIELDS},
        {"c9808080808080808080", MPAVS_TX_ERR_V},        /* v = 0 */
        {"c9808080808080248080", MPAVS_TX_ERR_V},        /* v = 36: chain id 0 under EIP-155 */
        {"ca80808081ff8080258080", MPAVS_TX_ERR_FIELD},  /* to of 1 byte */
        {"cb82000180808080801b8080", MPAVS_TX_ERR_FIELD}, /* nonce with leading zero */
        {"c9c08080808080258080", MPAVS_TX_ERR_FIELD},    /* list as nonce */
        {"02cc0180808080808080c0028080", MPAVS_TX_ERR_V}, /* yParity 2 */
        {"02cd0180808080808080c101808080", MPAVS_TX_ERR_ACCESS_LIST}, /* entry not a list */
        {"02cd0180808080808080c1c0808080", MPAVS_TX_ERR_ACCESS_LIST}, /* empty entry */
        {"02e20180808080808080d6d59300000000000000000000000000000000000000c0808080", MPAVS_TX_ERR_ACCESS_LIST}, /* 19-byte address */
        {"c9808080808080258080c0", MPAVS_TX_ERR_RLP},    /* trailing bytes */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        size_t n = unhex(raw, bad[i].hex);
        int r = mpavs_tx_parse(&p, raw, n);
        if (r != bad[i].err) fprintf(stderr, "  case %s: %s\n", bad[i].hex, mpavs_tx_strerror(r));
        CHECK_EQ_INT(r, bad[i].err);
    }
    /* parses, but r = s = 0: no sender */
    size_t n = unhex(raw, "c9808080808080258080");
    REQUIRE(mpavs_tx_parse(&p, raw, n) == MPAVS_TX_OK);
    mpavs_address a;
    CHECK_EQ_INT(mpavs_tx_sender(ctx, &a, &p), MPAVS_TX_ERR_SIGNATURE);
    /* high-s twin of the EIP-155 example is rejected */
    n = unhex(raw, EIP155_RAW);
    REQUIRE(mpavs_tx_parse(&p, raw, n) == MPAVS_TX_OK);
    static const uint8_t order[32] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                      0xff, 0xff, 0xff, 0xff, 0xfe, 0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48,
                                      0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41};
    int borrow = 0;
    for (int i = 31; i >= 0; i--) {
        int d = order[i] - p.sig.s[i] - borrow;
        borrow = d < 0;
        p.sig.s[i] = (uint8_t)(d + (borrow ? 256 : 0));
    }
    p.sig.recid ^= 1;
    CHECK_EQ_INT(mpavs_tx_sender(ctx, &a, &p), MPAVS_TX_ERR_SIGNATURE);
}

/* The network form of a blob transaction: 0x03 ‖ rlp([body, (1,) blobs, commitments, proofs]). */
static size_t wrap(uint8_t *o, size_t cap, int type, bool body_list, size_t extra) {
    mpavs_rlp_writer w;
    size_t m, mb, ml;
    o[0] = (uint8_t)type;
    mpavs_rlp_writer_init(&w, o + 1, cap - 1);
    mpavs_rlp_list_begin(&w, &m);
    if (body_list) {
        mpavs_rlp_list_begin(&w, &mb);
        mpavs_rlp_put_u64(&w, 31337);
        mpavs_rlp_put_u64(&w, 7);
        mpavs_rlp_list_end(&w, mb);
    } else {
        mpavs_rlp_put_u64(&w, 31337);
    }
    for (size_t i = 0; i < extra; i++) {
        if (i == 0 && extra == 4) {
            mpavs_rlp_put_u64(&w, 1); /* wrapper version (EIP-7594) */
            continue;
        }
        mpavs_rlp_list_begin(&w, &ml);
        uint8_t blob[64] = {(uint8_t)i};
        mpavs_rlp_put_bytes(&w, blob, sizeof blob);
        mpavs_rlp_list_end(&w, ml);
    }
    mpavs_rlp_list_end(&w, m);
    size_t len = 0;
    if (mpavs_rlp_writer_finish(&w, &len)) return 0;
    return len + 1;
}

TEST(blob_network_form) {
    uint8_t b[1024];
    const uint8_t *body = NULL;
    size_t bl = 0, n;
    static const uint8_t want[] = {0xc4, 0x82, 0x7a, 0x69, 0x07}; /* rlp([31337, 7]) */
    for (size_t extra = 3; extra <= 4; extra++) { /* EIP-4844 and EIP-7594 wrappers */
        n = wrap(b, sizeof b, 3, true, extra);
        CHECK(mpavs_tx_blob_network_body(&body, &bl, b, n));
        CHECK(bl == sizeof want && !memcmp(body, want, bl));
        CHECK(!mpavs_tx_blob_network_body(&body, &bl, b, n - 1)); /* truncated */
        uint8_t more[1025];
        memcpy(more, b, n);
        more[n] = 0x80;
        CHECK(!mpavs_tx_blob_network_body(&body, &bl, more, n + 1)); /* trailing bytes */
    }
    n = wrap(b, sizeof b, 3, false, 3); /* the canonical form: its first item is the chain id */
    CHECK(!mpavs_tx_blob_network_body(&body, &bl, b, n));
    n = wrap(b, sizeof b, 3, true, 2); /* 3 items */
    CHECK(!mpavs_tx_blob_network_body(&body, &bl, b, n));
    n = wrap(b, sizeof b, 3, true, 5); /* 6 items */
    CHECK(!mpavs_tx_blob_network_body(&body, &bl, b, n));
    n = wrap(b, sizeof b, 2, true, 3); /* not type 3 */
    CHECK(!mpavs_tx_blob_network_body(&body, &bl, b, n));
    CHECK(!mpavs_tx_blob_network_body(&body, &bl, b, 1));
}

int main(void) {
    ctx = mpavs_ecdsa_ctx_create();
    if (!ctx) return 1;
    memset(key46, 0x46, 32);
    RUN(eip155_example);
    RUN(type2_transfer);
    RUN(type2_create);
    RUN(type2_access_list);
    RUN(pre_eip155_and_random);
    RUN(hostile);
    RUN(blob_network_form);
    mpavs_ecdsa_ctx_destroy(ctx);
    return harness_summary();
}
