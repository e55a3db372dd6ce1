/*
 * Header validation (src/chain/validate.c) against the blocks of a real anvil (hardfork osaka):
 * blocks with 0..9 blobs (EIP-4844 blob transactions sent with cast, which makes the KZG
 * commitments) and gas-burning transactions that push the gas used above and below the target;
 * every block's header, as eth_getBlockByNumber reports it, must pass mpavs_chain_validate_header
 * against its parent (EIP-1559 base fee, gas limit, timestamps, the Osaka blob schedule 6/9,
 * blob gas used, excess blob gas, the fork's fields), and altered copies (base fee, excess blob
 * gas, blob gas used, gas limit, timestamp, parent hash) must be refused naming that field.
 *
 * Two anvil 1.7.1 deviations are documented, counted and printed rather than failed: it mines
 * excessBlobGas 0 in every block whatever the parent's blob gas (EIP-4844 and EIP-7918 give
 * more after a block above the target), and block 1 keeps the genesis base fee (EIP-1559 lowers
 * it after an empty genesis), so validation starts at block 2 and a refusal of excessBlobGas
 * alone (every other check passed) where anvil says 0 is counted as that deviation. Anvil is
 * therefore an oracle here for the base fee, gas limit, timestamps, blob gas used and the Osaka
 * fields, not for the excess blob gas (the unit tests check EIP-4844/7691/7918 against their
 * formulas). ~60 s under load (cast computes the KZG commitments).
 */
#include "anvil.h"
#include "anvil_rpc.h"
#include "harness.h"

#include "mpavs/chain.h"
#include "mpavs/rpc.h"

#include <jansson.h>
#include <stdlib.h>
#include <unistd.h>

/* anvil's default dev accounts 1..9 (account 0 sends the gas burners through eth_sendTransaction) */
static const char *const KEYS[9] = {
    "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
    "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
    "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
    "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926e",
    "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
    "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e",
    "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356",
    "0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97",
    "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6",
};

static mpavs_rpc *rpc;
static harness_anvil anvil;
static char blob_file[3][256];

static json_t *call_json(const char *method, const char *params) { return anvil_call_json(rpc, method, params); }

static bool hexf(uint8_t *out, size_t n, json_t *o, const char *key) {
    const char *s = json_string_value(json_object_get(o, key));
    return s && harness_unhex(out, n, s) == (long)n;
}

static bool u64f(uint64_t *v, json_t *o, const char *key) {
    const char *s = json_string_value(json_object_get(o, key));
    mpavs_u256 x;
    if (!s || mpavs_u256_parse(&x, s, strlen(s)) != MPAVS_U256_OK || x.w[1] || x.w[2] || x.w[3]) return false;
    *v = x.w[0];
    return true;
}

static bool header_of(mpavs_chain_header *h, uint8_t hash[32], uint64_t number) {
    char params[64];
    snprintf(params, sizeof params, "[\"0x%llx\",false]", (unsigned long long)number);
    json_t *b = call_json("eth_getBlockByNumber", params);
    if (!b) return false;
    memset(h, 0, sizeof *h);
    uint8_t extra[64];
    const char *xs = json_string_value(json_object_get(b, "extraData"));
    long xl = xs ? harness_unhex(extra, sizeof extra, xs) : -1;
    const char *bf = json_string_value(json_object_get(b, "baseFeePerGas"));
    const char *df = json_string_value(json_object_get(b, "difficulty"));
    bool ok = xl >= 0 && bf && df && hexf(hash, 32, b, "hash") && hexf(h->parent_hash, 32, b, "parentHash") &&
              hexf(h->ommers_hash, 32, b, "sha3Uncles") && hexf(h->coinbase.bytes, 20, b, "miner") &&
              hexf(h->state_root, 32, b, "stateRoot") && hexf(h->transactions_root, 32, b, "transactionsRoot") &&
              hexf(h->receipts_root, 32, b, "receiptsRoot") && hexf(h->logs_bloom, 256, b, "logsBloom") &&
              u64f(&h->number, b, "number") && u64f(&h->gas_limit, b, "gasLimit") &&
              u64f(&h->gas_used, b, "gasUsed") && u64f(&h->timestamp, b, "timestamp") &&
              hexf(h->mix_hash, 32, b, "mixHash") && hexf(h->nonce, 8, b, "nonce") &&
              mpavs_u256_parse(&h->base_fee_per_gas, bf, strlen(bf)) == MPAVS_U256_OK &&
              mpavs_u256_parse(&h->difficulty, df, strlen(df)) == MPAVS_U256_OK &&
              hexf(h->withdrawals_root, 32, b, "withdrawalsRoot") && u64f(&h->blob_gas_used, b, "blobGasUsed") &&
              u64f(&h->excess_blob_gas, b, "excessBlobGas") &&
              hexf(h->parent_beacon_block_root, 32, b, "parentBeaconBlockRoot") &&
              hexf(h->requests_hash, 32, b, "requestsHash");
    if (ok) {
        h->extra_data_len = (size_t)xl;
        memcpy(h->extra_data, extra, xl < 32 ? (size_t)xl : 32);
        h->has_base_fee = h->has_withdrawals_root = h->has_blob_gas = h->has_requests_hash = true;
    }
    json_decref(b);
    return ok;
}

/* A blob transaction of 1, 3 or 6 blobs (file 0, 1, 2) from dev account k (cast makes the sidecar). */
static bool send_blob_tx(int k, int blobs) {
    int file = blobs == 1 ? 0 : blobs == 3 ? 1 : 2;
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "'%s' send --async --rpc-url %s --private-key %s --blob --eip4844 --path '%s' "
             "0x00000000000000000000000000000000000b10b5 >/dev/null 2>&1",
             harness_path(".tools/bin/cast"), anvil.url, KEYS[k], blob_file[file]);
    return system(cmd) == 0;
}

/* A transaction from account 0 to the burner: it spends about `gas` gas. */
static bool send_burner(uint64_t gas) {
    char params[400];
    snprintf(params, sizeof params,
             "[{\"from\":\"%s\",\"to\":\"0x00000000000000000000000000000000000b0b00\",\"gas\":\"0x%llx\"}]",
             ANVIL_ADDR0, (unsigned long long)gas);
    json_t *r = call_json("eth_sendTransaction", params);
    json_decref(r);
    return r != NULL;
}

static int n_blocks, n_refusals, n_reserve, n_blob_blocks, n_anvil_excess;

static void refused_as(const mpavs_chain_rules *rules, const mpavs_chain_header *h, const mpavs_chain_header *p,
                       const uint8_t ph[32], mpavs_chain_field f) {
    bool ok = true;
    mpavs_chain_refusal why;
    CHECK_EQ_INT(mpavs_chain_validate_header(&ok, &why, rules, h, p, ph), MPAVS_CHAIN_OK);
    CHECK(!ok && why.field == f);
    if (ok || why.field != f) fprintf(stderr, "  wanted a refusal of %s\n", mpavs_chain_field_name(f));
    n_refusals++;
}

TEST(headers_against_anvil) {
    const char *args[] = {"--hardfork", "osaka", "--no-mining", NULL};
    REQUIRE(harness_anvil_start(&anvil, args));
    rpc = mpavs_rpc_create(anvil.url, NULL);
    REQUIRE(rpc != NULL);
    /* blob data: 1, 3 and 6 blobs' worth (cast packs about 126 KiB per blob) */
    static const size_t sizes[3] = {1000, 330000, 700000};
    for (int i = 0; i < 3; i++) {
        snprintf(blob_file[i], sizeof blob_file[i], "/tmp/mpavs-blob-%d-%d.bin", (int)getpid(), i);
        FILE *f = fopen(blob_file[i], "wb");
        REQUIRE(f != NULL);
        for (size_t k = 0; k < sizes[i]; k++) fputc((int)((k * 131 + (size_t)i) & 0xff), f);
        fclose(f);
    }
    /* the burner: loop while gas > 0x2000 */
    json_decref(call_json("anvil_setCode", "[\"0x00000000000000000000000000000000000b0b00\",\"0x5b6120005a1160005700\"]"));

    /* anvil_rules: Prague's excess formula on the Osaka schedule, to count where EIP-7918 differs */
    mpavs_chain_rules osaka = {.fork = MPAVS_EVM_OSAKA}, anvil_rules = {.fork = MPAVS_EVM_PRAGUE};
    mpavs_chain_blob_params_default(&osaka.blob, MPAVS_EVM_OSAKA);
    anvil_rules.blob = osaka.blob;
    mpavs_chain_header parent, h;
    uint8_t ph[32], hash[32];
    REQUIRE(header_of(&parent, ph, 0));
    /* blobs per block and gas burned: full blocks raise the excess and the base fee, empty ones lower them */
    static const struct {
        int blobs[4];
        int burners;
    } plan[] = {{{6, 0}, 2}, {{6, 3, 0}, 0}, {{3, 0}, 1}, {{0}, 3}, {{6, 0}, 0}, {{0}, 0}, {{1, 0}, 1}, {{0}, 0}};
    for (size_t b = 0; b < sizeof plan / sizeof plan[0]; b++) {
        int sender = 0;
        for (int t = 0; t < 4 && plan[b].blobs[t]; t++) CHECK(send_blob_tx(sender++, plan[b].blobs[t]));
        for (int t = 0; t < plan[b].burners; t++) CHECK(send_burner(10000000));
        char ts[64];
        snprintf(ts, sizeof ts, "[%llu]", (unsigned long long)(parent.timestamp + 12));
        json_decref(call_json("evm_mine", ts));
        if (!header_of(&h, hash, parent.number + 1)) {
            CHECK(false);
            break;
        }
        if (getenv("HDR_VERBOSE"))
            fprintf(stderr, "block %llu: gasUsed %llu baseFee %llu blobGasUsed %llu excessBlobGas %llu\n",
                    (unsigned long long)h.number, (unsigned long long)h.gas_used,
                    (unsigned long long)h.base_fee_per_gas.w[0], (unsigned long long)h.blob_gas_used,
                    (unsigned long long)h.excess_blob_gas);
        if (h.number == 1) { /* anvil keeps the genesis base fee in block 1: start from it */
            parent = h;
            memcpy(ph, hash, 32);
            continue;
        }
        bool ok = false;
        mpavs_chain_refusal why;
        char msg[300];
        CHECK_EQ_INT(mpavs_chain_validate_header(&ok, &why, &osaka, &h, &parent, ph), MPAVS_CHAIN_OK);
        uint64_t x_osaka = 0;
        CHECK_EQ_INT(mpavs_chain_expected_excess_blob_gas(&x_osaka, &osaka, &parent), MPAVS_CHAIN_OK);
        if (!ok && why.field == MPAVS_CHAIN_FIELD_EXCESS_BLOB_GAS && h.excess_blob_gas == 0) {
            n_anvil_excess++; /* anvil's deviation: everything before the excess check passed */
        } else {
            if (!ok) fprintf(stderr, "block %llu refused: %s\n", (unsigned long long)h.number,
                             mpavs_chain_refusal_format(msg, sizeof msg, &why));
            CHECK(ok);
        }
        n_blocks++;
        n_blob_blocks += h.blob_gas_used > 0;
        uint64_t x_prague = 0;
        CHECK_EQ_INT(mpavs_chain_expected_excess_blob_gas(&x_prague, &anvil_rules, &parent), MPAVS_CHAIN_OK);
        n_reserve += x_prague != x_osaka;

        mpavs_chain_header m = h;
        m.base_fee_per_gas.w[0] ^= 1;
        refused_as(&osaka, &m, &parent, ph, MPAVS_CHAIN_FIELD_BASE_FEE);
        m = h;
        m.excess_blob_gas = x_osaka + MPAVS_CHAIN_GAS_PER_BLOB;
        refused_as(&osaka, &m, &parent, ph, MPAVS_CHAIN_FIELD_EXCESS_BLOB_GAS);
        m = h;
        m.blob_gas_used = 10 * MPAVS_CHAIN_GAS_PER_BLOB;
        refused_as(&osaka, &m, &parent, ph, MPAVS_CHAIN_FIELD_BLOB_GAS_USED);
        m = h;
        m.gas_limit = parent.gas_limit + parent.gas_limit / 1024;
        refused_as(&osaka, &m, &parent, ph, MPAVS_CHAIN_FIELD_GAS_LIMIT);
        m = h;
        m.timestamp = parent.timestamp;
        refused_as(&osaka, &m, &parent, ph, MPAVS_CHAIN_FIELD_TIMESTAMP);
        m = h;
        m.parent_hash[31] ^= 1;
        refused_as(&osaka, &m, &parent, ph, MPAVS_CHAIN_FIELD_PARENT_HASH);
        parent = h;
        memcpy(ph, hash, 32);
    }
    printf("  %d anvil headers checked under Osaka rules (%d with blobs; EIP-7918's reserve price mattered in %d), "
           "%d accepted, %d refused only for anvil's excessBlobGas 0; %d altered headers refused naming the "
           "field\n",
           n_blocks, n_blob_blocks, n_reserve, n_blocks - n_anvil_excess, n_anvil_excess, n_refusals);
    CHECK(n_blocks == (int)(sizeof plan / sizeof plan[0]) - 1 && n_blob_blocks >= 3);
    for (int i = 0; i < 3; i++) unlink(blob_file[i]);
    mpavs_rpc_destroy(rpc);
    harness_anvil_stop(&anvil);
}

int main(void) {
    RUN(headers_against_anvil);
    return harness_summary();
}
