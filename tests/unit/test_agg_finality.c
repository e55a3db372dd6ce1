/*
 * Unit tests of the aggregator's finality rules (daemons/aggregator/finality.h) and their
 * configuration: which block is final from what a node says, the per-chain default depths, the
 * type-3 state comparison, and ChainTasks[].Finality/Confirmations, ReferenceFinality/
 * ReferenceConfirmations in aggregator.json (defaults, the devnet warning, refusals).
 */
#include "aggregator/config.h"
#include "aggregator/finality.h"
#include "harness.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

TEST(presets) {
    CHECK_EQ_INT(agg_finality_preset_depth(1), 64);
    CHECK_EQ_INT(agg_finality_preset_depth(11155111), 64);
    CHECK_EQ_INT(agg_finality_preset_depth(560048), 64);
    CHECK_EQ_INT(agg_finality_preset_depth(17000), 12); /* any other chain */
    CHECK_EQ_INT(agg_finality_preset_depth(31337), 12);
    int m = -1;
    CHECK(agg_finality_parse(&m, "finalized") && m == AGG_FINALITY_FINALIZED);
    CHECK(agg_finality_parse(&m, "DEPTH") && m == AGG_FINALITY_DEPTH);
    CHECK(!agg_finality_parse(&m, "safe") && m == AGG_FINALITY_DEPTH);
    CHECK_STREQ(agg_finality_name(AGG_FINALITY_FINALIZED), "finalized");
    CHECK_STREQ(agg_finality_name(AGG_FINALITY_DEPTH), "depth");
}

TEST(target) {
    uint64_t t = 99;
    /* finalized where the node has one, whatever the depth */
    CHECK(agg_finality_target(&t, AGG_FINALITY_FINALIZED, 64, 0, 1000, true, 936) && t == 936);
    /* ... but never above head − min_depth (a reference block stays below the head) */
    CHECK(agg_finality_target(&t, AGG_FINALITY_FINALIZED, 64, 1, 1000, true, 1000) && t == 999);
    CHECK(agg_finality_target(&t, AGG_FINALITY_FINALIZED, 64, 0, 1000, true, 2000) && t == 1000);
    /* no finalized block: head − depth */
    CHECK(agg_finality_target(&t, AGG_FINALITY_FINALIZED, 64, 0, 1000, false, 0) && t == 936);
    /* depth mode ignores the node's finalized block */
    CHECK(agg_finality_target(&t, AGG_FINALITY_DEPTH, 12, 0, 1000, true, 500) && t == 988);
    CHECK(agg_finality_target(&t, AGG_FINALITY_DEPTH, 0, 0, 1000, true, 500) && t == 1000);
    CHECK(agg_finality_target(&t, AGG_FINALITY_DEPTH, 1, 1, 1000, false, 0) && t == 999);
    /* too young a chain: nothing is final yet */
    CHECK(!agg_finality_target(&t, AGG_FINALITY_DEPTH, 12, 0, 11, false, 0) && t == 0);
    CHECK(agg_finality_target(&t, AGG_FINALITY_DEPTH, 12, 0, 12, false, 0) && t == 0);
    CHECK(!agg_finality_target(&t, AGG_FINALITY_FINALIZED, 1, 1, 0, true, 0));
}

TEST(state_matches) {
    uint8_t st[64], h[32], r[32];
    for (int i = 0; i < 32; i++) h[i] = (uint8_t)i, r[i] = (uint8_t)(100 + i);
    memcpy(st, h, 32);
    memcpy(st + 32, r, 32);
    CHECK(agg_canon_state_matches(st, 64, h, r));
    CHECK(!agg_canon_state_matches(st, 63, h, r));
    st[0] ^= 1;
    CHECK(!agg_canon_state_matches(st, 64, h, r)); /* another block hash */
    st[0] ^= 1;
    st[63] ^= 1;
    CHECK(!agg_canon_state_matches(st, 64, h, r)); /* another state root */
}

/* Load a config with these ChainTasks members and top-level members. */
static bool load(agg_config *c, char *errors, size_t cap, unsigned long long chain, const char *chain_extra,
                 const char *top_extra) {
    char path[] = "/tmp/mpavs-aggfin-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return false;
    FILE *f = fdopen(fd, "w");
    fprintf(f,
            "{\"ListenAddr\":\"127.0.0.1:1\",\"EthHttpEndpoint\":\"http://127.0.0.1:2\",\"EcdsaPrivateKey\":"
            "\"%064d\",\"MultiProverContractAddress\":\"0x%040d\",\"AVSRegistryCoordinatorAddress\":\"0x%040d\","
            "\"OperatorStateRetrieverAddress\":\"0x%040d\",\"AttestationLayer\":[{\"Version\":2,\"Address\":\"0x%040d\"}],"
            "\"ChainTasks\":[{\"ChainId\":%llu,\"RpcUrl\":\"http://127.0.0.1:3\"%s}]%s}",
            1, 1, 2, 3, 4, chain, chain_extra, top_extra);
    fclose(f);
    bool ok = agg_config_load(c, path, errors, cap);
    unlink(path);
    return ok;
}

TEST(config) {
    static agg_config c;
    char err[4096];
    /* defaults: finalized, preset depths; the reference depth is resolved with the AVS chain id */
    REQUIRE(load(&c, err, sizeof err, 1, "", ""));
    CHECK_EQ_INT(c.chains[0].finality, AGG_FINALITY_FINALIZED);
    CHECK_EQ_INT(c.chains[0].confirmations, 64);
    CHECK_EQ_INT(c.ref_finality, AGG_FINALITY_FINALIZED);
    CHECK_EQ_INT(c.ref_confirmations, 0);
    CHECK(strstr(c.warnings, "Confirmations") == NULL);
    REQUIRE(load(&c, err, sizeof err, 42161, "", ""));
    CHECK_EQ_INT(c.chains[0].confirmations, 12);
    /* explicit values */
    REQUIRE(load(&c, err, sizeof err, 1, ",\"Finality\":\"depth\",\"Confirmations\":7",
                 ",\"ReferenceFinality\":\"depth\",\"ReferenceConfirmations\":3"));
    CHECK_EQ_INT(c.chains[0].finality, AGG_FINALITY_DEPTH);
    CHECK_EQ_INT(c.chains[0].confirmations, 7);
    CHECK_EQ_INT(c.ref_finality, AGG_FINALITY_DEPTH);
    CHECK_EQ_INT(c.ref_confirmations, 3);
    /* 0 only when set, with a warning that it is a devnet setting */
    REQUIRE(load(&c, err, sizeof err, 31338, ",\"Finality\":\"depth\",\"Confirmations\":0", ""));
    CHECK_EQ_INT(c.chains[0].confirmations, 0);
    CHECK(strstr(c.warnings, "ChainTasks[0].Confirmations: 0") && strstr(c.warnings, "devnet"));
    /* refusals */
    CHECK(!load(&c, err, sizeof err, 1, ",\"Finality\":\"safe\"", ""));
    CHECK(strstr(err, "ChainTasks[0].Finality") != NULL);
    CHECK(!load(&c, err, sizeof err, 1, "", ",\"ReferenceFinality\":\"latest\""));
    CHECK(strstr(err, "ReferenceFinality") != NULL);
    CHECK(!load(&c, err, sizeof err, 1, "", ",\"ReferenceConfirmations\":0"));
    CHECK(strstr(err, "ReferenceConfirmations: at least 1") != NULL);
    agg_config_wipe(&c);
}

int main(void) {
    RUN(presets);
    RUN(target);
    RUN(state_matches);
    RUN(config);
    return harness_summary();
}
