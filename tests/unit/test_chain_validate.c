/*
 * tests/unit/test_chain_validate.c — header validation (src/chain/validate.c) against Ethereum's
 * BlockchainTests (../shared/vectors/ethtests/BlockchainTests, network Cancun): every block of
 * ValidBlocks must pass against its parent (found by parentHash among the genesis and earlier
 * blocks); every block of InvalidBlocks whose expected exception is a header rule must be
 * refused naming that field, and those refused for other reasons (transactions, state, roots)
 * must pass the header checks. Plus hand-made cases for the Prague and Osaka blob rules, the
 * blob base fee and the logs bloom / receipt encoding. About 1 s.
 */
#include <dirent.h>
#include <jansson.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "harness.h"
#include "mpavs/chain.h"
#include "mpavs/hex.h"
#include "mpavs/keccak.h"

/* ---- fixture headers ---- */

static bool hex_field(uint8_t *out, size_t n, json_t *h, const char *key) {
    const char *s = json_string_value(json_object_get(h, key));
    return s && harness_unhex(out, n, s) == (long)n;
}

static bool u64_field(uint64_t *out, json_t *h, const char *key) {
    const char *s = json_string_value(json_object_get(h, key));
    mpavs_u256 v;
    if (!s || mpavs_u256_parse(&v, s, strlen(s)) != MPAVS_U256_OK) return false;
    if (v.w[1] || v.w[2] || v.w[3]) return false;
    *out = v.w[0];
    return true;
}

static bool u256_field(mpavs_u256 *out, json_t *h, const char *key) {
    const char *s = json_string_value(json_object_get(h, key));
    return s && mpavs_u256_parse(out, s, strlen(s)) == MPAVS_U256_OK;
}

/* Fills *hd and hash from a fixture's header object; false if a field is malformed. */
static bool parse_header(mpavs_chain_header *hd, uint8_t hash[32], json_t *h) {
    memset(hd, 0, sizeof *hd);
    const char *extra = json_string_value(json_object_get(h, "extraData"));
    uint8_t xbuf[2048];
    long xl = extra ? harness_unhex(xbuf, sizeof xbuf, extra) : -1;
    if (xl < 0) return false;
    hd->extra_data_len = (size_t)xl;
    memcpy(hd->extra_data, xbuf, xl < 32 ? (size_t)xl : 32);
    bool ok = hex_field(hd->parent_hash, 32, h, "parentHash") && hex_field(hd->ommers_hash, 32, h, "uncleHash") &&
              hex_field(hd->coinbase.bytes, 20, h, "coinbase") && hex_field(hd->state_root, 32, h, "stateRoot") &&
              hex_field(hd->transactions_root, 32, h, "transactionsTrie") &&
              hex_field(hd->receipts_root, 32, h, "receiptTrie") && hex_field(hd->logs_bloom, 256, h, "bloom") &&
              u256_field(&hd->difficulty, h, "difficulty") && u64_field(&hd->number, h, "number") &&
              u64_field(&hd->gas_limit, h, "gasLimit") && u64_field(&hd->gas_used, h, "gasUsed") &&
              u64_field(&hd->timestamp, h, "timestamp") && hex_field(hd->mix_hash, 32, h, "mixHash") &&
              hex_field(hd->nonce, 8, h, "nonce") && hex_field(hash, 32, h, "hash");
    if (!ok) return false;
    if (json_object_get(h, "baseFeePerGas")) {
        hd->has_base_fee = true;
        if (!u256_field(&hd->base_fee_per_gas, h, "baseFeePerGas")) return false;
    }
    if (json_object_get(h, "withdrawalsRoot")) {
        hd->has_withdrawals_root = true;
        if (!hex_field(hd->withdrawals_root, 32, h, "withdrawalsRoot")) return false;
    }
    if (json_object_get(h, "blobGasUsed") || json_object_get(h, "excessBlobGas")) {
        hd->has_blob_gas = true;
        if (!u64_field(&hd->blob_gas_used, h, "blobGasUsed") || !u64_field(&hd->excess_blob_gas, h, "excessBlobGas"))
            return false;
    }
    if (hd->has_blob_gas && !hex_field(hd->parent_beacon_block_root, 32, h, "parentBeaconBlockRoot")) return false;
    if (json_object_get(h, "requestsHash")) {
        hd->has_requests_hash = true;
        if (!hex_field(hd->requests_hash, 32, h, "requestsHash")) return false;
    }
    return true;
}

/* The header field an expected exception names, NONE when it is not a header rule, or -1 to skip (RLP). */
static int exception_field(const char *ex) {
    if (strstr(ex, "RLP_")) return -1; /* the decoder's business */
    static const struct {
        const char *name;
        mpavs_chain_field f;
    } map[] = {
        {"INVALID_GASLIMIT", MPAVS_CHAIN_FIELD_GAS_LIMIT},
        {"GASLIMIT_TOO_BIG", MPAVS_CHAIN_FIELD_GAS_LIMIT},
        {"INVALID_BLOCK_TIMESTAMP_OLDER_THAN_PARENT", MPAVS_CHAIN_FIELD_TIMESTAMP},
        {"EXTRA_DATA_TOO_BIG", MPAVS_CHAIN_FIELD_EXTRA_DATA},
        {"INVALID_BLOCK_NUMBER", MPAVS_CHAIN_FIELD_NUMBER},
        {"INVALID_BASEFEE_PER_GAS", MPAVS_CHAIN_FIELD_BASE_FEE},
        {"UNKNOWN_PARENT", MPAVS_CHAIN_FIELD_PARENT_HASH},
        {"IMPORT_IMPOSSIBLE_UNCLES_OVER_PARIS", MPAVS_CHAIN_FIELD_OMMERS_HASH},
        {"IMPORT_IMPOSSIBLE_DIFFICULTY_OVER_PARIS", MPAVS_CHAIN_FIELD_DIFFICULTY},
        {"GAS_USED_OVERFLOW", MPAVS_CHAIN_FIELD_GAS_USED},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strstr(ex, map[i].name)) return (int)map[i].f;
    return MPAVS_CHAIN_FIELD_NONE;
}


/* The block's body (decoded from the fixture's rlp by src/chain/block.c) against its header's
 * transactionsRoot, sha3Uncles and withdrawalsRoot: accepted, or refused naming the field when the
 * fixture expects INVALID_TRANSACTIONS_ROOT / INVALID_WITHDRAWALS_ROOT. Blocks the decoder refuses,
 * and blocks invalid for another reason whose body also differs (e.g. bcEIP1559/checkGasLimit),
 * are counted (for a valid block either is a failure). */
static int n_body_ok, n_body_refused, n_body_undecodable, n_body_other;
static void check_body(const char *file, const char *name, size_t i, json_t *b, const char *ex) {
    const char *hex = json_string_value(json_object_get(b, "rlp"));
    size_t cap = hex ? strlen(hex) / 2 + 1 : 0;
    uint8_t *raw = cap ? malloc(cap) : NULL;
    long n = raw ? harness_unhex(raw, cap, hex) : -1;
    mpavs_block blk;
    if (n < 0 || mpavs_block_decode(&blk, raw, (size_t)n) != MPAVS_BLOCK_OK) {
        if (!ex) {
            fprintf(stderr, "%s %s block %zu: a valid block does not decode\n", file, name, i);
            CHECK(false);
        }
        n_body_undecodable++;
        free(raw);
        return;
    }
    mpavs_chain_field want = MPAVS_CHAIN_FIELD_NONE;
    if (ex && strstr(ex, "INVALID_WITHDRAWALS_ROOT")) want = MPAVS_CHAIN_FIELD_WITHDRAWALS_ROOT;
    if (ex && strstr(ex, "INVALID_TRANSACTIONS_ROOT")) want = MPAVS_CHAIN_FIELD_TRANSACTIONS_ROOT;
    bool ok = false;
    mpavs_chain_refusal why;
    char msg[300];
    CHECK_EQ_INT(mpavs_chain_check_body(&ok, &why, &blk, NULL, 0), MPAVS_CHAIN_OK);
    if (want != MPAVS_CHAIN_FIELD_NONE && !ok && why.field == want) n_body_refused++;
    else if (want == MPAVS_CHAIN_FIELD_NONE && ok) n_body_ok++;
    else if (want == MPAVS_CHAIN_FIELD_NONE && ex) { /* invalid anyway: its body may differ too */
        n_body_other++;
        if (getenv("BODY_VERBOSE")) fprintf(stderr, "body-other %s %s\n", ex, mpavs_chain_field_name(why.field));
    }
    else {
        fprintf(stderr, "%s %s block %zu (%s): body %s\n", file, name, i, ex ? ex : "valid",
                ok ? "accepted, want a refusal" : mpavs_chain_refusal_format(msg, sizeof msg, &why));
        CHECK(false);
    }
    mpavs_block_clear(&blk);
    free(raw);
}

#define MAX_BLOCKS 512
typedef struct {
    mpavs_chain_header h;
    uint8_t hash[32];
} known_block;

static int n_valid, n_refused, n_other_ok, n_skipped;

static void run_case(const char *file, const char *name, json_t *c) {
    static known_block known[MAX_BLOCKS + 1];
    size_t nk = 0;
    mpavs_chain_rules rules = {.fork = MPAVS_EVM_CANCUN};
    mpavs_chain_blob_params_default(&rules.blob, MPAVS_EVM_CANCUN);
    const char *net = json_string_value(json_object_get(c, "network"));
    if (!net || strcmp(net, "Cancun") != 0) {
        n_skipped++;
        return;
    }
    if (!parse_header(&known[0].h, known[0].hash, json_object_get(c, "genesisBlockHeader"))) {
        fprintf(stderr, "%s %s: genesis header does not parse\n", file, name);
        CHECK(false);
        return;
    }
    nk = 1;
    size_t i;
    json_t *b;
    json_array_foreach(json_object_get(c, "blocks"), i, b) {
        const char *ex = json_string_value(json_object_get(b, "expectException"));
        json_t *hj = ex ? json_object_get(json_object_get(b, "rlp_decoded"), "blockHeader")
                        : json_object_get(b, "blockHeader");
        int want = ex ? exception_field(ex) : MPAVS_CHAIN_FIELD_NONE;
        if (want < 0 || !hj) {
            n_skipped++;
            continue;
        }
        mpavs_chain_header h;
        uint8_t hash[32];
        if (!parse_header(&h, hash, hj)) {
            fprintf(stderr, "%s %s block %zu: header does not parse\n", file, name, i);
            CHECK(false);
            continue;
        }
        /* the parent: by hash, else the last known block (an unknown parent must then be refused) */
        const known_block *parent = &known[nk - 1];
        for (size_t k = 0; k < nk; k++)
            if (memcmp(known[k].hash, h.parent_hash, 32) == 0) parent = &known[k];
        check_body(file, name, i, b, ex);
        bool ok = false;
        mpavs_chain_refusal why;
        int r = mpavs_chain_validate_header(&ok, &why, &rules, &h, &parent->h, parent->hash);
        /* the same verdict with the parent's hash computed from it (src/chain/header.c) */
        bool ok2 = !ok;
        mpavs_chain_refusal why2;
        CHECK_EQ_INT(mpavs_chain_validate_child(&ok2, &why2, &rules, &h, &parent->h), r);
        CHECK(ok2 == ok && why2.field == why.field);
        char msg[300];
        if (r != MPAVS_CHAIN_OK) {
            fprintf(stderr, "%s %s block %zu: %s\n", file, name, i, mpavs_chain_strerror(r));
            CHECK(false);
            continue;
        }
        if (want == MPAVS_CHAIN_FIELD_NONE) {
            if (!ok) {
                fprintf(stderr, "%s %s block %zu (%s): refused: %s\n", file, name, i, ex ? ex : "valid",
                        mpavs_chain_refusal_format(msg, sizeof msg, &why));
                CHECK(false);
                continue;
            }
            if (ex) n_other_ok++;
            else n_valid++;
            if (!ex && nk <= MAX_BLOCKS) {
                known[nk].h = h;
                memcpy(known[nk].hash, hash, 32);
                nk++;
            }
        } else {
            if (ok || (int)why.field != want) {
                fprintf(stderr, "%s %s block %zu (%s): want a refusal of %s, got %s\n", file, name, i, ex,
                        mpavs_chain_field_name((mpavs_chain_field)want),
                        ok ? "acceptance" : mpavs_chain_refusal_format(msg, sizeof msg, &why));
                CHECK(false);
                continue;
            }
            n_refused++;
        }
    }
}

static void run_file(const char *path) {
    json_error_t je;
    json_t *root = json_load_file(path, 0, &je);
    if (!root) {
        fprintf(stderr, "%s: %s\n", path, je.text);
        CHECK(false);
        return;
    }
    const char *name;
    json_t *c;
    json_object_foreach(root, name, c) run_case(path, name, c);
    json_decref(root);
}

static void walk(const char *dir, int depth) {
    DIR *d = opendir(dir);
    if (!d || depth > 4) {
        if (d) closedir(d);
        return;
    }
    struct dirent *e;
    char path[1024];
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0) continue;
        if (S_ISDIR(st.st_mode)) walk(path, depth + 1);
        else if (strlen(e->d_name) > 5 && strcmp(e->d_name + strlen(e->d_name) - 5, ".json") == 0) run_file(path);
    }
    closedir(d);
}

TEST(blockchain_tests_valid) {
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", harness_shared("vectors/ethtests/BlockchainTests/ValidBlocks"));
    n_valid = n_refused = n_other_ok = n_skipped = n_body_ok = n_body_refused = n_body_undecodable = n_body_other = 0;
    walk(dir, 0);
    printf("  ValidBlocks: %d headers accepted, %d skipped; %d bodies agree with their header "
           "(transactionsRoot, sha3Uncles, withdrawalsRoot)\n", n_valid, n_skipped, n_body_ok);
    CHECK(n_body_ok == n_valid && n_body_undecodable == 0);
    CHECK(n_valid >= 900); /* 902 in the fixture set of ../shared */
}

TEST(blockchain_tests_invalid) {
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", harness_shared("vectors/ethtests/BlockchainTests/InvalidBlocks"));
    n_valid = n_refused = n_other_ok = n_skipped = n_body_ok = n_body_refused = n_body_undecodable = n_body_other = 0;
    walk(dir, 0);
    printf("  InvalidBlocks: %d refused with the right field, %d invalid for non-header reasons pass the "
           "header checks, %d earlier valid blocks accepted, %d skipped (RLP exceptions); bodies: %d agree "
           "with their header, %d refused as expected, %d invalid for another reason differ too, %d not decodable "
           "(the decoder's refusals)\n",
           n_refused, n_other_ok, n_valid, n_skipped, n_body_ok, n_body_refused, n_body_other, n_body_undecodable);
    CHECK(n_refused >= 90);
    CHECK(n_body_refused == 3); /* 2 INVALID_WITHDRAWALS_ROOT, 1 INVALID_TRANSACTIONS_ROOT */
}

/* ---- hand-made cases ---- */

static void cancun_parent(mpavs_chain_header *p) {
    memset(p, 0, sizeof *p);
    static const uint8_t ommers[32] = {0x1d, 0xcc, 0x4d, 0xe8, 0xde, 0xc7, 0x5d, 0x7a, 0xab, 0x85, 0xb5,
                                       0x67, 0xb6, 0xcc, 0xd4, 0x1a, 0xd3, 0x12, 0x45, 0x1b, 0x94, 0x8a,
                                       0x74, 0x13, 0xf0, 0xa1, 0x42, 0xfd, 0x40, 0xd4, 0x93, 0x47};
    memcpy(p->ommers_hash, ommers, 32);
    p->number = 100;
    p->gas_limit = 30000000;
    p->gas_used = 15000000;
    p->timestamp = 1000;
    p->has_base_fee = p->has_withdrawals_root = p->has_blob_gas = true;
    p->base_fee_per_gas = mpavs_u256_from_u64(1000000000);
}

static void child_of(mpavs_chain_header *h, const mpavs_chain_header *p, const uint8_t hash[32]) {
    *h = *p;
    memcpy(h->parent_hash, hash, 32);
    h->number = p->number + 1;
    h->timestamp = p->timestamp + 12;
    h->gas_used = 0;
}

TEST(base_fee_rules) {
    mpavs_chain_header p;
    cancun_parent(&p);
    mpavs_u256 fee;
    CHECK_EQ_INT(mpavs_chain_expected_base_fee(&fee, &p), MPAVS_CHAIN_OK);
    CHECK(fee.w[0] == 1000000000); /* at target: unchanged */
    p.gas_used = 30000000;
    CHECK_EQ_INT(mpavs_chain_expected_base_fee(&fee, &p), MPAVS_CHAIN_OK);
    CHECK(fee.w[0] == 1125000000); /* full: +12.5% */
    p.gas_used = 0;
    CHECK_EQ_INT(mpavs_chain_expected_base_fee(&fee, &p), MPAVS_CHAIN_OK);
    CHECK(fee.w[0] == 875000000); /* empty: -12.5% */
    p.base_fee_per_gas = mpavs_u256_from_u64(7);
    p.gas_used = 15000001; /* tiny excess: the increase is at least 1 */
    CHECK_EQ_INT(mpavs_chain_expected_base_fee(&fee, &p), MPAVS_CHAIN_OK);
    CHECK(fee.w[0] == 8);
    p.gas_limit = 1;
    CHECK_EQ_INT(mpavs_chain_expected_base_fee(&fee, &p), MPAVS_CHAIN_ERR_PARENT);
}

TEST(blob_gas_rules) {
    mpavs_chain_header p;
    cancun_parent(&p);
    mpavs_chain_rules cancun = {.fork = MPAVS_EVM_CANCUN}, prague = {.fork = MPAVS_EVM_PRAGUE},
                      osaka = {.fork = MPAVS_EVM_OSAKA};
    mpavs_chain_blob_params_default(&cancun.blob, MPAVS_EVM_CANCUN);
    mpavs_chain_blob_params_default(&prague.blob, MPAVS_EVM_PRAGUE);
    mpavs_chain_blob_params_default(&osaka.blob, MPAVS_EVM_OSAKA);
    CHECK(cancun.blob.target == 3 && cancun.blob.max == 6 && cancun.blob.update_fraction == 3338477);
    CHECK(prague.blob.target == 6 && prague.blob.max == 9 && prague.blob.update_fraction == 5007716);
    uint64_t x;
    /* 6 blobs used, no excess: Cancun's target is 3 blobs, Prague's 6 */
    p.blob_gas_used = 6 * MPAVS_CHAIN_GAS_PER_BLOB;
    CHECK_EQ_INT(mpavs_chain_expected_excess_blob_gas(&x, &cancun, &p), MPAVS_CHAIN_OK);
    CHECK_EQ_INT(x, 3 * MPAVS_CHAIN_GAS_PER_BLOB);
    CHECK_EQ_INT(mpavs_chain_expected_excess_blob_gas(&x, &prague, &p), MPAVS_CHAIN_OK);
    CHECK_EQ_INT(x, 0);
    /* Osaka, EIP-7918: with a 1 gwei base fee the blob fee (1 wei) is below the reserve price, so
     * the excess grows by used * (max - target) / max instead of used - target */
    p.blob_gas_used = 9 * MPAVS_CHAIN_GAS_PER_BLOB;
    p.excess_blob_gas = 1000000;
    CHECK_EQ_INT(mpavs_chain_expected_excess_blob_gas(&x, &prague, &p), MPAVS_CHAIN_OK);
    CHECK_EQ_INT(x, 1000000 + 3 * MPAVS_CHAIN_GAS_PER_BLOB);
    CHECK_EQ_INT(mpavs_chain_expected_excess_blob_gas(&x, &osaka, &p), MPAVS_CHAIN_OK);
    CHECK_EQ_INT(x, 1000000 + 9 * MPAVS_CHAIN_GAS_PER_BLOB * 3 / 9);
    /* a tiny base fee: the reserve price does not bind, Prague's formula applies */
    p.base_fee_per_gas = mpavs_u256_from_u64(1);
    CHECK_EQ_INT(mpavs_chain_expected_excess_blob_gas(&x, &osaka, &p), MPAVS_CHAIN_OK);
    CHECK_EQ_INT(x, 1000000 + 3 * MPAVS_CHAIN_GAS_PER_BLOB);

    /* the blob base fee: fake_exponential(1, excess, fraction) */
    mpavs_u256 fee;
    CHECK_EQ_INT(mpavs_chain_blob_base_fee(&fee, 0, 3338477), MPAVS_CHAIN_OK);
    CHECK(fee.w[0] == 1);
    CHECK_EQ_INT(mpavs_chain_blob_base_fee(&fee, 3338477, 3338477), MPAVS_CHAIN_OK);
    CHECK(fee.w[0] == 2); /* floor(e) */
    CHECK_EQ_INT(mpavs_chain_blob_base_fee(&fee, 10 * 3338477ULL, 3338477), MPAVS_CHAIN_OK);
    CHECK(fee.w[0] == 22026); /* floor(e^10) */
    CHECK_EQ_INT(mpavs_chain_blob_base_fee(&fee, UINT64_MAX, 1), MPAVS_CHAIN_ERR_OVERFLOW); /* bounded */

    /* header checks on blob gas: above max, not a multiple, wrong excess */
    uint8_t ph[32] = {1};
    mpavs_chain_header h;
    cancun_parent(&p);
    child_of(&h, &p, ph);
    bool ok = false;
    mpavs_chain_refusal why;
    CHECK_EQ_INT(mpavs_chain_validate_header(&ok, &why, &cancun, &h, &p, ph), MPAVS_CHAIN_OK);
    CHECK(ok);
    h.blob_gas_used = 7 * MPAVS_CHAIN_GAS_PER_BLOB;
    CHECK_EQ_INT(mpavs_chain_validate_header(&ok, &why, &cancun, &h, &p, ph), MPAVS_CHAIN_OK);
    CHECK(!ok && why.field == MPAVS_CHAIN_FIELD_BLOB_GAS_USED);
    CHECK_EQ_INT(mpavs_chain_validate_header(&ok, &why, &prague, &h, &p, ph), MPAVS_CHAIN_OK);
    CHECK(!ok && why.field == MPAVS_CHAIN_FIELD_REQUESTS_HASH); /* Prague needs requestsHash */
    h.has_requests_hash = true;
    CHECK_EQ_INT(mpavs_chain_validate_header(&ok, &why, &prague, &h, &p, ph), MPAVS_CHAIN_OK);
    CHECK(ok); /* 7 blobs fit Prague's 9 */
    h.blob_gas_used = 1;
    CHECK_EQ_INT(mpavs_chain_validate_header(&ok, &why, &prague, &h, &p, ph), MPAVS_CHAIN_OK);
    CHECK(!ok && why.field == MPAVS_CHAIN_FIELD_BLOB_GAS_USED);
    h.blob_gas_used = 0;
    h.excess_blob_gas = 1;
    CHECK_EQ_INT(mpavs_chain_validate_header(&ok, &why, &prague, &h, &p, ph), MPAVS_CHAIN_OK);
    CHECK(!ok && why.field == MPAVS_CHAIN_FIELD_EXCESS_BLOB_GAS);
    CHECK_STREQ(why.expected, "0");
    CHECK_STREQ(why.actual, "1");
}

TEST(gas_limit_bounds) {
    mpavs_chain_header p, h;
    cancun_parent(&p);
    uint8_t ph[32] = {2};
    mpavs_chain_rules rules = {.fork = MPAVS_EVM_CANCUN};
    mpavs_chain_blob_params_default(&rules.blob, MPAVS_EVM_CANCUN);
    bool ok;
    mpavs_chain_refusal why;
    static const struct {
        uint64_t limit;
        bool ok;
    } v[] = {/* 30000000 / 1024 = 29296: the change must stay strictly below it */
             {30000000 + 29295, true}, {30000000 + 29296, false}, {30000000 - 29295, true},
             {30000000 - 29296, false}, {30000000, true}};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        child_of(&h, &p, ph);
        h.gas_limit = v[i].limit;
        CHECK_EQ_INT(mpavs_chain_validate_header(&ok, &why, &rules, &h, &p, ph), MPAVS_CHAIN_OK);
        CHECK(ok == v[i].ok);
        if (!ok) CHECK(why.field == MPAVS_CHAIN_FIELD_GAS_LIMIT);
    }
    p.gas_limit = 5000; /* the minimum holds even inside the parent's bounds */
    p.gas_used = 2500;
    child_of(&h, &p, ph);
    h.gas_limit = 4999;
    CHECK_EQ_INT(mpavs_chain_validate_header(&ok, &why, &rules, &h, &p, ph), MPAVS_CHAIN_OK);
    CHECK(!ok && why.field == MPAVS_CHAIN_FIELD_GAS_LIMIT);
    char msg[300];
    mpavs_chain_refusal_format(msg, sizeof msg, &why);
    CHECK(strstr(msg, "gasLimit: expected") && strstr(msg, "got 4999"));
}

/* The logs bloom of a known log: that of the first block of bcValidBlockTest's log tests is not
 * at hand as data, so the bloom is checked through its definition on a single entry. */
TEST(bloom_and_receipt) {
    mpavs_chain_log l = {0};
    memset(l.address, 0x11, 20);
    uint8_t bloom[256];
    mpavs_chain_logs_bloom(bloom, &l, 1);
    uint8_t h[32];
    mpavs_keccak256(h, l.address, 20);
    int bits = 0;
    for (int i = 0; i < 256; i++) bits += __builtin_popcount(bloom[i]);
    CHECK(bits >= 1 && bits <= 3);
    for (int i = 0; i < 6; i += 2) {
        unsigned bit = (((unsigned)h[i] << 8) | h[i + 1]) & 2047u;
        CHECK(bloom[255 - bit / 8] & (1u << (bit % 8)));
    }
    /* a legacy receipt with no logs: rlp([1, 21000, bloom0, []]) */
    mpavs_chain_receipt r = {.type = 0, .status = true, .cumulative_gas_used = 21000};
    uint8_t out[400];
    size_t n = 0;
    CHECK_EQ_INT(mpavs_chain_receipt_encode(out, sizeof out, &n, &r), MPAVS_CHAIN_OK);
    CHECK_EQ_INT(n, 3 + 1 + 3 + 259 + 1);
    CHECK(out[0] == 0xf9 && out[1] == 0x01 && out[2] == 0x08 && out[3] == 0x01 && out[4] == 0x82 &&
          out[5] == 0x52 && out[6] == 0x08 && out[7] == 0xb9 && out[n - 1] == 0xc0);
    r.type = 2;
    r.status = false;
    CHECK_EQ_INT(mpavs_chain_receipt_encode(out, sizeof out, &n, &r), MPAVS_CHAIN_OK);
    CHECK(out[0] == 0x02 && out[4] == 0x80); /* the type byte, then a failed status as the empty string */
    CHECK_EQ_INT(mpavs_chain_receipt_encode(out, 10, &n, &r), MPAVS_CHAIN_ERR_SPACE);
    r.type = 0x80;
    CHECK_EQ_INT(mpavs_chain_receipt_encode(out, sizeof out, &n, &r), MPAVS_CHAIN_ERR_RECEIPT);
    /* no receipts: the empty trie root and zero gas */
    mpavs_chain_header hd = {0};
    static const char EMPTY_ROOT[] = "56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421";
    harness_unhex(hd.receipts_root, 32, EMPTY_ROOT);
    bool ok = false;
    CHECK_EQ_INT(mpavs_chain_check_receipts(&ok, NULL, &hd, NULL, 0), MPAVS_CHAIN_OK);
    CHECK(ok);
    hd.gas_used = 1;
    mpavs_chain_refusal why;
    CHECK_EQ_INT(mpavs_chain_check_receipts(&ok, &why, &hd, NULL, 0), MPAVS_CHAIN_OK);
    CHECK(!ok && why.field == MPAVS_CHAIN_FIELD_GAS_USED);
}

TEST(requests_hash) {
    uint8_t h[32];
    /* no requests (or only empty ones): sha256 of the empty string (EIP-7685) */
    CHECK_EQ_INT(mpavs_chain_requests_hash(h, NULL, 0), MPAVS_CHAIN_OK);
    CHECK_STREQ(harness_hex(h, 32), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    mpavs_chain_request r[3] = {{0, NULL, 0}, {1, (const uint8_t *)"abc", 3}, {2, NULL, 0}};
    CHECK_EQ_INT(mpavs_chain_requests_hash(h, r, 1), MPAVS_CHAIN_OK);
    CHECK_STREQ(harness_hex(h, 32), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    /* one non-empty request: sha256(sha256(0x01 || "abc")), from the command line:
     * printf '\x01abc' | openssl dgst -sha256 -binary | openssl dgst -sha256 */
    CHECK_EQ_INT(mpavs_chain_requests_hash(h, r, 3), MPAVS_CHAIN_OK);
    CHECK_STREQ(harness_hex(h, 32), "6354c995e8f977ed314ba27970157a1642455d467a15863483bcfff48dd1c30a");
    mpavs_block blk;
    memset(&blk, 0, sizeof blk);
    /* an empty post-Prague body: empty transactions and withdrawals roots, no ommers */
    harness_unhex(blk.header.transactions_root, 32, "56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421");
    harness_unhex(blk.header.withdrawals_root, 32, "56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421");
    harness_unhex(blk.header.ommers_hash, 32, "1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347");
    static const uint8_t EMPTY_LIST[1] = {0xc0};
    blk.ommers_rlp = EMPTY_LIST;
    blk.ommers_rlp_len = 1;
    blk.header.has_withdrawals_root = blk.has_withdrawals = true;
    blk.header.has_requests_hash = true;
    memcpy(blk.header.requests_hash, h, 32);
    bool ok = false;
    mpavs_chain_refusal why;
    char msg[300];
    CHECK_EQ_INT(mpavs_chain_check_body(&ok, &why, &blk, r, 3), MPAVS_CHAIN_OK);
    if (!ok) fprintf(stderr, "  %s\n", mpavs_chain_refusal_format(msg, sizeof msg, &why));
    CHECK(ok);
    CHECK_EQ_INT(mpavs_chain_check_body(&ok, &why, &blk, r, 1), MPAVS_CHAIN_OK);
    CHECK(!ok && why.field == MPAVS_CHAIN_FIELD_REQUESTS_HASH);
    blk.has_withdrawals = false; /* a withdrawals root without the list */
    CHECK_EQ_INT(mpavs_chain_check_body(&ok, &why, &blk, r, 3), MPAVS_CHAIN_OK);
    CHECK(!ok && why.field == MPAVS_CHAIN_FIELD_WITHDRAWALS_ROOT);
}

int main(void) {
    RUN(blockchain_tests_valid);
    RUN(blockchain_tests_invalid);
    RUN(base_fee_rules);
    RUN(blob_gas_rules);
    RUN(gas_limit_bounds);
    RUN(bloom_and_receipt);
    RUN(requests_hash);
    return harness_summary();
}
