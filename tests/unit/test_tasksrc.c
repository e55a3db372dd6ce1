/*
 * Unit tests of mpavs/tasksrc.h without a chain: the Scroll metadata and PoE JSON
 * parsers (Go encoding/json rules, hostile input), sampling, the chunk walker on
 * hand-built calldata and the Linea range/clamp rules on hand-built logs.
 */
#include "harness.h"

#include "mpavs/abi.h"
#include "mpavs/avs.h"
#include "mpavs/tasksrc.h"

#include <stdlib.h>

static int meta(mpavs_tasksrc_scroll_metadata *m, const char *s) {
    mpavs_error e = {0};
    return mpavs_tasksrc_scroll_metadata_parse(m, &e, (const uint8_t *)s, strlen(s));
}

TEST(metadata_reference_and_go_rules) {
    mpavs_tasksrc_scroll_metadata m;
    CHECK_EQ_INT(meta(&m, "{\"batch_id\":326800,\"start_block\":9850414,\"end_block\":9850527}"), MPAVS_TASKSRC_OK);
    CHECK(m.batch_id == 326800 && m.start_block == 9850414 && m.end_block == 9850527);
    char out[96];
    CHECK_EQ_INT(mpavs_tasksrc_scroll_metadata_format(out, sizeof out, &m), 61);
    CHECK_STREQ(out, "{\"batch_id\":326800,\"start_block\":9850414,\"end_block\":9850527}");
    /* omitempty batch_id */
    CHECK_EQ_INT(meta(&m, "{\"start_block\":1,\"end_block\":2}"), MPAVS_TASKSRC_OK);
    CHECK(m.batch_id == 0 && m.start_block == 1 && m.end_block == 2);
    mpavs_tasksrc_scroll_metadata_format(out, sizeof out, &m);
    CHECK_STREQ(out, "{\"start_block\":1,\"end_block\":2}");
    /* truncated formatting still reports the full length */
    CHECK_EQ_INT(mpavs_tasksrc_scroll_metadata_format(out, 5, &m), 31);
    CHECK_STREQ(out, "{\"st");
    /* case-insensitive keys, Unicode folding (U+017F long s, U+212A Kelvin), escapes, last wins, unknown ignored */
    CHECK_EQ_INT(meta(&m, " {\"BATCH_ID\":5, \"Start_Block\":7,\"end_block\":8,\"batch_id\":6} \n"), MPAVS_TASKSRC_OK);
    CHECK(m.batch_id == 6 && m.start_block == 7 && m.end_block == 8);
    CHECK_EQ_INT(meta(&m, "{\"\xc5\xbftart_bloc\xe2\x84\xaa\":9,\"end_bloc\\u212a\":10,\"batch\\u005fid\":11}"),
                 MPAVS_TASKSRC_OK);
    CHECK(m.start_block == 9 && m.end_block == 10 && m.batch_id == 11);
    CHECK_EQ_INT(meta(&m, "{\"x\":{\"a\":[1,2,{\"b\":null}],\"c\":\"\\ud83d\\ude00\"},\"end_block\":3,\"y\":-1.5e+3}"),
                 MPAVS_TASKSRC_OK);
    CHECK(m.end_block == 3 && m.start_block == 0);
    /* null leaves the field at zero; full uint64 range */
    CHECK_EQ_INT(meta(&m, "{\"batch_id\":null,\"start_block\":18446744073709551615,\"end_block\":0}"), MPAVS_TASKSRC_OK);
    CHECK(m.batch_id == 0 && m.start_block == UINT64_MAX);
    CHECK_EQ_INT(meta(&m, "{}"), MPAVS_TASKSRC_OK);
    /* not a near match: "batchid", "batch_id " */
    CHECK_EQ_INT(meta(&m, "{\"batchid\":1,\"batch_id \":2,\"\\u0062atch_i\":3}"), MPAVS_TASKSRC_OK);
    CHECK_EQ_INT(m.batch_id, 0);
}

TEST(metadata_hostile) {
    static const char *const json_errors[] = {
        "", " ", "null", "[]", "1", "\"x\"", "{", "{\"batch_id\":1", "{\"batch_id\":1,}", "{\"batch_id\" 1}",
        "{batch_id:1}", "{\"batch_id\":01}", "{\"batch_id\":1}x", "{\"batch_id\":1}{}", "{\"a\":tru}",
        "{\"a\":\"\x01\"}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"a\":[1,]}", "{\"a\":1.}", "{\"a\":1e}",
        "{\"a\":-}", "{\"a\":+1}", "{'a':1}", "{\"a\":\"unterminated}", "\xef\xbb\xbf{}",
    };
    mpavs_tasksrc_scroll_metadata m;
    for (size_t i = 0; i < sizeof json_errors / sizeof json_errors[0]; i++) {
        int r = meta(&m, json_errors[i]);
        if (r != MPAVS_TASKSRC_ERR_JSON) fprintf(stderr, "json case %zu: %d\n", i, r);
        CHECK_EQ_INT(r, MPAVS_TASKSRC_ERR_JSON);
        CHECK(m.batch_id == 0 && m.start_block == 0 && m.end_block == 0);
    }
    static const char *const field_errors[] = {
        "{\"batch_id\":-1}", "{\"batch_id\":1.0}", "{\"batch_id\":1e3}", "{\"batch_id\":\"1\"}",
        "{\"batch_id\":18446744073709551616}", "{\"start_block\":true}", "{\"end_block\":[1]}",
        "{\"end_block\":{}}", "{\"end_block\":99999999999999999999999999999999}",
    };
    for (size_t i = 0; i < sizeof field_errors / sizeof field_errors[0]; i++) {
        int r = meta(&m, field_errors[i]);
        if (r != MPAVS_TASKSRC_ERR_FIELD) fprintf(stderr, "field case %zu: %d\n", i, r);
        CHECK_EQ_INT(r, MPAVS_TASKSRC_ERR_FIELD);
    }
    /* Go checks the whole text first: a syntax error after a type error is a syntax error */
    CHECK_EQ_INT(meta(&m, "{\"batch_id\":\"1\",}"), MPAVS_TASKSRC_ERR_JSON);
    /* deep nesting is refused, not a stack overflow */
    size_t depth = 100000;
    char *deep = malloc(2 * depth + 16);
    strcpy(deep, "{\"a\":");
    size_t k = 5;
    for (size_t i = 0; i < depth; i++) deep[k++] = '[';
    for (size_t i = 0; i < depth; i++) deep[k++] = ']';
    deep[k++] = '}';
    mpavs_error e = {0};
    CHECK_EQ_INT(mpavs_tasksrc_scroll_metadata_parse(&m, &e, (const uint8_t *)deep, k), MPAVS_TASKSRC_ERR_JSON);
    CHECK(strstr(e.message, "nesting") != NULL);
    /* 62 levels inside the object are fine */
    k = 5;
    for (size_t i = 0; i < 62; i++) deep[k++] = '[';
    for (size_t i = 0; i < 62; i++) deep[k++] = ']';
    deep[k++] = '}';
    CHECK_EQ_INT(mpavs_tasksrc_scroll_metadata_parse(&m, &e, (const uint8_t *)deep, k), MPAVS_TASKSRC_OK);
    free(deep);
    /* NUL bytes and lengths are respected (no reliance on NUL termination) */
    const char withnul[] = "{\"end_block\":4}\0garbage";
    CHECK_EQ_INT(mpavs_tasksrc_scroll_metadata_parse(&m, &e, (const uint8_t *)withnul, 15), MPAVS_TASKSRC_OK);
    CHECK_EQ_INT(mpavs_tasksrc_scroll_metadata_parse(&m, &e, (const uint8_t *)withnul, sizeof withnul - 1),
                 MPAVS_TASKSRC_ERR_JSON);
    CHECK_EQ_INT(mpavs_tasksrc_scroll_metadata_parse(&m, &e, (const uint8_t *)withnul, 14), MPAVS_TASKSRC_ERR_JSON);
    CHECK_EQ_INT(mpavs_tasksrc_scroll_metadata_parse(&m, &e, NULL, 0), MPAVS_TASKSRC_ERR_JSON);
    /* the message names the field */
    CHECK_EQ_INT(meta(&m, "{}"), MPAVS_TASKSRC_OK);
    CHECK_EQ_INT(mpavs_tasksrc_scroll_metadata_parse(&m, &e, (const uint8_t *)"{\"start_block\":-3}", 18),
                 MPAVS_TASKSRC_ERR_FIELD);
    CHECK(strstr(e.message, "start_block") != NULL);
}

TEST(sampling) {
    mpavs_tasksrc_scroll_metadata m = {.batch_id = 4000};
    CHECK(mpavs_tasksrc_scroll_exec_sampling_ok(&m, 2000));
    m.batch_id = 4001;
    CHECK(!mpavs_tasksrc_scroll_exec_sampling_ok(&m, 2000));
    CHECK(mpavs_tasksrc_scroll_exec_sampling_ok(&m, 0));
    CHECK(mpavs_tasksrc_scroll_exec_sampling_ok(&m, 1));
    m.batch_id = 0; /* absent batch_id is never sampled out */
    CHECK(mpavs_tasksrc_scroll_exec_sampling_ok(&m, 7));
    CHECK(mpavs_tasksrc_scroll_gen_sampling_ok(0, 2000) && mpavs_tasksrc_scroll_gen_sampling_ok(6000, 2000));
    CHECK(!mpavs_tasksrc_scroll_gen_sampling_ok(6001, 2000) && mpavs_tasksrc_scroll_gen_sampling_ok(6001, 0));
}

/* the sgx-prover README PoE (upstream §3.11) */
static const char POE[] =
    "{\"batch_hash\":\"0x9fc92b2699dcd97f0f22d81e13d316d76751de67bfbc3c6afd023b05ca930f37\","
    "\"state_hash\":\"0xc0eff2fa84b7e0591d49994fed63d0ca9e69f77f9658caec93c7f452a18c0808\","
    "\"prev_state_root\":\"0x02b0659557cbef26689ca30067bd17658b55db5555aeffeb60025ede53e7fefb\","
    "\"new_state_root\":\"0x15277dcb70eabc3703a816f470f9b9f05aa4272d232ca6c7ced84d4874f5bb0e\","
    "\"withdrawal_root\":\"0x0aaa5af01432a5037adc40237e9f88c1059de1c207fe1b5287a595cd94c729d3\","
    "\"signature\":\"0x"
    "0000000000000000000000000000000000000000000000000000000000000000"
    "000000000000000000000000000000000000000000000000000000000000000001\"}";

static int poe(mpavs_tasksrc_poe *p, const char *s) {
    mpavs_error e = {0};
    return mpavs_tasksrc_poe_parse(p, &e, (const uint8_t *)s, strlen(s));
}

/* POE with one substring replaced */
static char *poe_with(const char *from, const char *to) {
    const char *at = strstr(POE, from);
    if (!at) return NULL;
    size_t a = (size_t)(at - POE), fl = strlen(from), tl = strlen(to), n = strlen(POE);
    char *s = malloc(n - fl + tl + 1);
    memcpy(s, POE, a);
    memcpy(s + a, to, tl);
    memcpy(s + a + tl, POE + a + fl, n - a - fl + 1);
    return s;
}

TEST(poe_parse) {
    mpavs_tasksrc_poe p;
    REQUIRE(poe(&p, POE) == MPAVS_TASKSRC_OK);
    CHECK_STREQ(harness_hex(p.batch_hash, 32), "9fc92b2699dcd97f0f22d81e13d316d76751de67bfbc3c6afd023b05ca930f37");
    CHECK_STREQ(harness_hex(p.withdrawal_root, 32), "0aaa5af01432a5037adc40237e9f88c1059de1c207fe1b5287a595cd94c729d3");
    CHECK(p.signature[64] == 1 && p.signature[0] == 0);
    uint8_t d[32];
    mpavs_avs_poe_digest(d, p.batch_hash, p.state_hash, p.prev_state_root, p.new_state_root, p.withdrawal_root);
    CHECK(memcmp(d, p.batch_hash, 32) != 0);
    /* upper-case digits, 0X, other keys, reordering and case of keys are fine */
    char *s = poe_with("\"batch_hash\":\"0x9fc9", "\"extra\":[{}],\"BATCH_HASH\":\"0X9FC9");
    CHECK_EQ_INT(poe(&p, s), MPAVS_TASKSRC_OK);
    CHECK(p.batch_hash[0] == 0x9f && p.batch_hash[1] == 0xc9);
    free(s);
    struct {
        const char *from, *to;
        int want;
    } bad[] = {
        {"\"batch_hash\"", "\"batch_hashx\"", MPAVS_TASKSRC_ERR_FIELD},                   /* missing */
        {"\"0x9fc9", "\"9fc9", MPAVS_TASKSRC_ERR_FIELD},                                  /* no 0x */
        {"0x9fc9", "0x9fc", MPAVS_TASKSRC_ERR_FIELD},                                     /* 63 digits */
        {"0x9fc9", "0x9fc90", MPAVS_TASKSRC_ERR_FIELD},                                   /* 65 digits */
        {"0x9fc9", "0x9fg9", MPAVS_TASKSRC_ERR_FIELD},                                    /* bad digit */
        {"0x9fc9", "0x\\u0039fc", MPAVS_TASKSRC_ERR_FIELD},                               /* escapes (Go: raw text) */
        {"\"0x9fc92b2699dcd97f0f22d81e13d316d76751de67bfbc3c6afd023b05ca930f37\"", "null", MPAVS_TASKSRC_ERR_FIELD},
        {"\"0x9fc92b2699dcd97f0f22d81e13d316d76751de67bfbc3c6afd023b05ca930f37\"", "12", MPAVS_TASKSRC_ERR_FIELD},
        {"\"0x9fc92b2699dcd97f0f22d81e13d316d76751de67bfbc3c6afd023b05ca930f37\"", "[1,2]", MPAVS_TASKSRC_ERR_FIELD},
        {"01\"}", "0101\"}", MPAVS_TASKSRC_ERR_FIELD},                                    /* 66-byte signature */
        {"01\"}", "\"}", MPAVS_TASKSRC_ERR_FIELD},                                        /* 64-byte signature */
        {"01\"}", "01\"", MPAVS_TASKSRC_ERR_JSON},                                        /* unterminated */
        {"01\"}", "01\"}}", MPAVS_TASKSRC_ERR_JSON},                                      /* trailing */
        {"\"state_hash\":", "\"state_hash\"", MPAVS_TASKSRC_ERR_JSON},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        s = poe_with(bad[i].from, bad[i].to);
        REQUIRE(s);
        int r = poe(&p, s);
        if (r != bad[i].want) fprintf(stderr, "poe case %zu: %d\n", i, r);
        CHECK_EQ_INT(r, bad[i].want);
        uint8_t zero[65] = {0};
        CHECK(!memcmp(p.batch_hash, zero, 32) && !memcmp(p.signature, zero, 65));
        free(s);
    }
    /* an overlong value string is refused without overflowing anything */
    size_t big = 1 << 20;
    char *huge = malloc(big + 64);
    strcpy(huge, "{\"batch_hash\":\"0x");
    size_t k = strlen(huge);
    memset(huge + k, 'a', big);
    strcpy(huge + k + big, "\"}");
    mpavs_error e = {0};
    CHECK_EQ_INT(mpavs_tasksrc_poe_parse(&p, &e, (const uint8_t *)huge, strlen(huge)), MPAVS_TASKSRC_ERR_FIELD);
    CHECK(strstr(e.message, "batch_hash") != NULL);
    free(huge);
}

/* commitBatch calldata with the given chunks (cast syntax) */
static uint8_t *commit(size_t *len, const char *chunks, bool blob) {
    mpavs_abi_signature *sig;
    const char *text = blob ? "commitBatchWithBlobProof(uint8,bytes,bytes[],bytes,bytes)"
                            : "commitBatch(uint8,bytes,bytes[],bytes)";
    if (mpavs_abi_signature_parse(&sig, text)) return NULL;
    const char *args[] = {"1", "0x00", chunks, "0x", "0x"};
    mpavs_abi_value *t = mpavs_abi_value_new(sig->inputs);
    uint8_t *out = NULL;
    for (size_t i = 0; i < sig->inputs->nfields; i++) {
        mpavs_abi_value *v;
        if (mpavs_abi_value_parse(&v, sig->inputs->fields[i], args[i])) goto done;
        mpavs_abi_value_move(&t->items[i], v);
    }
    if (mpavs_abi_encode_call(&out, len, sig, t)) out = NULL;
done:
    mpavs_abi_value_free(t);
    mpavs_abi_signature_free(sig);
    return out;
}

static bool starts(const char *s, const char *prefix) { return s && !strncmp(s, prefix, strlen(prefix)); }

static char *ctx_hex(uint64_t bn) { /* one 60-byte block context as hex without 0x */
    static char s[121];
    snprintf(s, sizeof s, "%016llx", (unsigned long long)bn);
    memset(s + 16, 'e', 104);
    s[120] = 0;
    return s;
}

TEST(scroll_chunks) {
    char chunks[2000];
    snprintf(chunks, sizeof chunks, "[0x01%s]", ctx_hex(0x1122334455667788ull));
    size_t len;
    uint8_t *cd = commit(&len, chunks, false);
    REQUIRE(cd);
    uint64_t s, e;
    mpavs_error err = {0};
    CHECK_EQ_INT(mpavs_tasksrc_scroll_block_range(&s, &e, &err, cd, len), MPAVS_TASKSRC_OK);
    CHECK(s == 0x1122334455667788ull && e == s);
    uint8_t tx[32];
    memset(tx, 0xab, 32);
    mpavs_tasksrc_task t;
    CHECK_EQ_INT(mpavs_tasksrc_scroll_task_from_calldata(&t, &err, 9, tx, cd, len, 0), MPAVS_TASKSRC_OK);
    CHECK(starts(t.ext_json, "{\"start_block\":\"0x1122334455667788\",\"end_block\":\"0x1122334455667788\",\"batch_data\":\"0x"));
    CHECK(strstr(t.ext_json, "\"reference_block_number\":0}") != NULL);
    CHECK_EQ_INT(t.task_id, 9);
    mpavs_tasksrc_task_clear(&t);
    /* block 0 is a block */
    free(cd);
    char c2[400];
    snprintf(c2, sizeof c2, "%s", ctx_hex(0));
    snprintf(chunks, sizeof chunks, "[0x01%s]", c2);
    cd = commit(&len, chunks, true);
    CHECK_EQ_INT(mpavs_tasksrc_scroll_task_from_calldata(&t, &err, 0, tx, cd, len, 5), MPAVS_TASKSRC_OK);
    CHECK(starts(t.ext_json, "{\"start_block\":\"0x0\",\"end_block\":\"0x0\",\"batch_data\":\"0x"));
    mpavs_tasksrc_task_clear(&t);
    /* wrong selector, short calldata, garbage after a good selector, truncated calldata */
    cd[0] ^= 0xff;
    CHECK_EQ_INT(mpavs_tasksrc_scroll_block_range(&s, &e, &err, cd, len), MPAVS_TASKSRC_ERR_SELECTOR);
    cd[0] ^= 0xff;
    CHECK_EQ_INT(mpavs_tasksrc_scroll_block_range(&s, &e, &err, cd, 3), MPAVS_TASKSRC_ERR_SELECTOR);
    CHECK_EQ_INT(mpavs_tasksrc_scroll_block_range(&s, &e, &err, cd, 4), MPAVS_TASKSRC_ERR_CALLDATA);
    CHECK_EQ_INT(mpavs_tasksrc_scroll_block_range(&s, &e, &err, cd, len - 1), MPAVS_TASKSRC_ERR_CALLDATA);
    CHECK_EQ_INT(mpavs_tasksrc_scroll_task_from_calldata(&t, &err, 0, tx, cd, len - 1, 5), MPAVS_TASKSRC_ERR_CALLDATA);
    CHECK(t.ext_json == NULL);
    /* commitBatch's selector on commitBatchWithBlobProof arguments still decodes (trailing data is allowed) */
    free(cd);
}

static mpavs_rpc_log flog(uint64_t last, int start_root, int final_root, uint64_t block, uint64_t index) {
    mpavs_rpc_log l;
    memset(&l, 0, sizeof l);
    mpavs_tasksrc_linea_finalized_topic(l.topics[0]);
    for (int i = 0; i < 8; i++) l.topics[1][31 - i] = (uint8_t)(last >> (8 * i));
    l.topics[2][31] = (uint8_t)start_root;
    l.topics[3][31] = (uint8_t)final_root;
    l.ntopics = 4;
    l.block_number = block;
    l.log_index = index;
    l.tx_hash[0] = (uint8_t)block;
    memset(l.address, 0x11, 20);
    return l;
}

TEST(linea_rules) {
    uint8_t topic[32];
    mpavs_tasksrc_linea_finalized_topic(topic);
    CHECK_STREQ(harness_hex(topic, 32), "1335f1a2b3ff25f07f5fef07dd35d8fb4312c3c73b138e2fad9347b3319ab53c");
    mpavs_tasksrc_scroll_commit_topic(topic);
    CHECK_STREQ(harness_hex(topic, 32), "2c32d4ae151744d0bf0b9464a3e897a1d17ed2f1af71f7c9a75f12ce0d28238f");
    mpavs_tasksrc_task t;
    mpavs_error e = {0};
    mpavs_rpc_log a = flog(100, 0, 1, 10, 0), b = flog(200, 1, 2, 11, 0);
    /* exactly max_blocks blocks: not clamped; one more: clamped to the last max_blocks */
    CHECK_EQ_INT(mpavs_tasksrc_linea_task(&t, &e, &a, &b, 100, 3), MPAVS_TASKSRC_OK);
    CHECK(t.start_block == 101 && t.end_block == 200 && t.task_id == 200);
    mpavs_tasksrc_task_clear(&t);
    CHECK_EQ_INT(mpavs_tasksrc_linea_task(&t, &e, &a, &b, 99, 3), MPAVS_TASKSRC_OK);
    CHECK(t.start_block == 102 && t.end_block == 200);
    mpavs_tasksrc_task_clear(&t);
    CHECK_EQ_INT(mpavs_tasksrc_linea_task(&t, &e, &a, &b, 1, 3), MPAVS_TASKSRC_OK);
    CHECK(t.start_block == 200 && t.end_block == 200);
    static const char want[] = "{\"start_block\":\"0xc8\",\"end_block\":\"0xc8\","
                            "\"commit_tx\":\"0x0b00000000000000000000000000000000000000000000000000000000000000\","
                            "\"prev_commit_tx\":\"0x0a00000000000000000000000000000000000000000000000000000000000000\","
                            "\"prev_batch_final_state_root\":\"0x0000000000000000000000000000000000000000000000000000000000000001\","
                            "\"final_state_root\":\"0x0000000000000000000000000000000000000000000000000000000000000002\","
                            "\"reference_block_number\":3}";
    CHECK_STREQ(t.ext_json, want);
    mpavs_tasksrc_task_clear(&t);
    /* a single-block finalization */
    mpavs_rpc_log c = flog(201, 2, 3, 12, 0);
    CHECK_EQ_INT(mpavs_tasksrc_linea_task(&t, &e, &b, &c, 100, 3), MPAVS_TASKSRC_OK);
    CHECK(t.start_block == 201 && t.end_block == 201);
    mpavs_tasksrc_task_clear(&t);
    /* order, roots, contract, range, shape */
    CHECK_EQ_INT(mpavs_tasksrc_linea_task(&t, &e, &b, &a, 100, 3), MPAVS_TASKSRC_ERR_NOT_SEQUENTIAL);
    CHECK_EQ_INT(mpavs_tasksrc_linea_task(&t, &e, &a, &c, 100, 3), MPAVS_TASKSRC_ERR_NOT_SEQUENTIAL);
    CHECK(strstr(e.message, "not sequential") != NULL);
    mpavs_rpc_log other = b;
    other.address[0] = 0x22;
    CHECK_EQ_INT(mpavs_tasksrc_linea_task(&t, &e, &a, &other, 100, 3), MPAVS_TASKSRC_ERR_NOT_SEQUENTIAL);
    mpavs_rpc_log back = flog(100, 1, 2, 11, 0);
    CHECK_EQ_INT(mpavs_tasksrc_linea_task(&t, &e, &a, &back, 100, 3), MPAVS_TASKSRC_ERR_RANGE);
    mpavs_rpc_log top = flog(UINT64_MAX, 0, 1, 10, 0), after = flog(UINT64_MAX, 1, 2, 11, 0);
    CHECK_EQ_INT(mpavs_tasksrc_linea_task(&t, &e, &top, &after, 100, 3), MPAVS_TASKSRC_ERR_RANGE);
    mpavs_rpc_log wide = b;
    wide.topics[1][0] = 1; /* lastBlock >= 2^64 */
    CHECK_EQ_INT(mpavs_tasksrc_linea_task(&t, &e, &a, &wide, 100, 3), MPAVS_TASKSRC_ERR_LOG);
    mpavs_rpc_log three = b;
    three.ntopics = 3;
    CHECK_EQ_INT(mpavs_tasksrc_linea_task(&t, &e, &a, &three, 100, 3), MPAVS_TASKSRC_ERR_LOG);
    CHECK_EQ_INT(mpavs_tasksrc_linea_task(&t, &e, &three, &b, 100, 3), MPAVS_TASKSRC_ERR_LOG);
    CHECK(t.ext_json == NULL);
    /* log copy keeps data */
    uint8_t data[3] = {1, 2, 3};
    b.data = data;
    b.data_len = 3;
    mpavs_rpc_log cp;
    CHECK_EQ_INT(mpavs_tasksrc_log_copy(&cp, &b), MPAVS_TASKSRC_OK);
    CHECK(cp.data != data && cp.data_len == 3 && !memcmp(cp.data, data, 3) && cp.block_number == 11);
    mpavs_tasksrc_log_clear(&cp);
    CHECK(cp.data == NULL);
    /* strerror names every value */
    for (int r = 0; r <= MPAVS_TASKSRC_ERR_NOMEM; r++) CHECK(strcmp(mpavs_tasksrc_strerror(r), "unknown task source error"));
    CHECK_STREQ(mpavs_tasksrc_strerror(999), "unknown task source error");
}

int main(void) {
    RUN(metadata_reference_and_go_rules);
    RUN(metadata_hostile);
    RUN(sampling);
    RUN(poe_parse);
    RUN(scroll_chunks);
    RUN(linea_rules);
    return harness_summary();
}
