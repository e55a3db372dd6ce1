/* The aggregator wire format: the reference Go operator's submitTask JSON (spec §2.3) and Go decoding rules. */
#include "harness.h"
#include "mpavs/avs.h"
#include "mpavs/hex.h"
#include "mpavs/wire.h"

#include <stdlib.h>

static const char *META = "{\"batch_id\":326800,\"start_block\":9850414,\"end_block\":9850527}";
static const char *SIGX = "2913419960794468855316091727439276675866552670495843369669589578240607952936";
static const char *SIGY = "4350341927921962682168964333513657456753434734875649130652705424514559515815";
static const char *OPID = "[101,241,64,194,186,96,244,60,73,237,154,157,29,128,84,42,44,173,97,0,200,140,226,98,254,75,184,192,"
                          "242,23,255,9]";

static char *hexstr(const char *s) {
    static char buf[4096];
    if (mpavs_hex_encode(buf, sizeof buf, (const uint8_t *)s, strlen(s), true)) return NULL;
    return buf;
}

/* The request exactly as the reference Go operator sends it (field order, tags, number forms). */
static char *reference_request(const char *x, const char *y, const char *opid) {
    static char out[8192];
    char meta[4096];
    snprintf(meta, sizeof meta, "%s", hexstr(META));
    snprintf(out, sizeof out,
             "{\"Task\":{\"identifier\":\"0x1\",\"metadata\":\"%s\",\"state\":\"0x7b7d\",\"quorum_numbers\":\"0x00\","
             "\"quorum_threshold_percentages\":\"0x42\",\"reference_blocknumber\":20000000},"
             "\"Signature\":{\"g1_point\":{\"X\":%s,\"Y\":%s}},\"OperatorId\":%s,\"ProverSignature\":\"0x%s\"}",
             meta, x, y, opid,
             "11111111111111111111111111111111111111111111111111111111111111112222222222222222222222222222222222222222222222222222222222222222"
             "1b");
    return out;
}

TEST(reference_submit_task_accepted) {
    char x[100], y[100];
    snprintf(x, sizeof x, "\"%s\"", SIGX);
    snprintf(y, sizeof y, "\"%s\"", SIGY);
    const char *req = reference_request(x, y, OPID);
    mpavs_wire_task_request r;
    char msg[256];
    REQUIRE(mpavs_wire_parse_task_request(&r, msg, sizeof msg, req, strlen(req)) == MPAVS_WIRE_OK);
    CHECK_EQ_INT(r.identifier, 1);
    CHECK_EQ_INT(r.reference_block, 20000000);
    CHECK(r.metadata_len == strlen(META) && memcmp(r.metadata, META, r.metadata_len) == 0);
    CHECK(r.quorum_numbers_len == 1 && r.quorum_numbers[0] == 0);
    CHECK(r.quorum_thresholds_len == 1 && r.quorum_thresholds[0] == 0x42);
    CHECK_STREQ(harness_hex(r.operator_id, 32), "65f140c2ba60f43c49ed9a9d1d80542a2cad6100c88ce262fe4bb8c0f217ff09");
    CHECK_STREQ(harness_hex(r.sig_x, 32), "0670eff061929ed1782b5857995fb1684b5ad26afd3e7f991693a084d6b0a028");
    CHECK_EQ_INT(r.prover_signature_len, 65);
    /* the encoder writes back exactly what the Go operator sent */
    char *again;
    REQUIRE(mpavs_wire_format_task_request(&again, &r) == MPAVS_WIRE_OK);
    CHECK_STREQ(again, req);
    free(again);
    mpavs_wire_task_request_clear(&r);
}

TEST(gnark_number_forms) {
    const char *forms[][2] = {
        {"5", "0000000000000000000000000000000000000000000000000000000000000005"},
        {"\"0x10\"", "0000000000000000000000000000000000000000000000000000000000000010"},
        {"\"0b101\"", "0000000000000000000000000000000000000000000000000000000000000005"},
        {"\"0o17\"", "000000000000000000000000000000000000000000000000000000000000000f"},
        {"\"017\"", "000000000000000000000000000000000000000000000000000000000000000f"},
        {"\"0x1_0\"", "0000000000000000000000000000000000000000000000000000000000000010"},
        {"\"-1\"", "30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd46"},
        /* p + 1 reduces to 1 */
        {"\"21888242871839275222246405745257275088696311157297823662689037894645226208584\"",
         "0000000000000000000000000000000000000000000000000000000000000001"},
    };
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        const char *req = reference_request(forms[i][0], "1", OPID);
        mpavs_wire_task_request r;
        char msg[256];
        int rc = mpavs_wire_parse_task_request(&r, msg, sizeof msg, req, strlen(req));
        CHECK_EQ_INT(rc, MPAVS_WIRE_OK);
        if (rc == MPAVS_WIRE_OK) CHECK_STREQ(harness_hex(r.sig_x, 32), forms[i][1]);
        mpavs_wire_task_request_clear(&r);
    }
    const char *bad[] = {"\"1_0\"", "\"0x_1\"", "\"0x1_\"", "\"\"", "\"12a\"", "1.5", "true", "[1]"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *req = reference_request(bad[i], "1", OPID);
        mpavs_wire_task_request r;
        char msg[256];
        CHECK_EQ_INT(mpavs_wire_parse_task_request(&r, msg, sizeof msg, req, strlen(req)), MPAVS_WIRE_ERR_FIELD);
        CHECK(strstr(msg, "Signature.g1_point.X") != NULL);
    }
}

TEST(go_decoding_rules) {
    mpavs_wire_task_request r;
    char msg[256];
    /* keys are case-insensitive, unknown keys ignored */
    const char *ci = "{\"task\":{\"IDENTIFIER\":\"0x3\",\"Reference_BlockNumber\":7,\"extra\":1},\"signature\":{\"G1_Point\":"
                     "{\"x\":1,\"y\":2}},\"operatorid\":[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1],"
                     "\"unknown\":{}}";
    CHECK_EQ_INT(mpavs_wire_parse_task_request(&r, msg, sizeof msg, ci, strlen(ci)), MPAVS_WIRE_OK);
    CHECK(r.identifier == 3 && r.reference_block == 7 && r.operator_id[31] == 1 && r.metadata_len == 0);
    mpavs_wire_task_request_clear(&r);
    struct {
        const char *from, *to, *field;
    } muts[] = {
        {"\"identifier\":\"0x1\"", "\"identifier\":\"0x01\"", "identifier"},
        {"\"identifier\":\"0x1\"", "\"identifier\":1", "identifier"},
        {"\"state\":\"0x7b7d\"", "\"state\":\"0x7b7\"", "state"},
        {"\"state\":\"0x7b7d\"", "\"state\":\"7b7d\"", "state"},
        {"20000000}", "\"20000000\"}", "reference_blocknumber"},
        {"20000000}", "4294967296}", "reference_blocknumber"},
        {"\"OperatorId\":[101,", "\"OperatorId\":[", "OperatorId"},
        {"\"OperatorId\":[101,", "\"OperatorId\":[256,", "OperatorId"},
    };
    for (size_t i = 0; i < sizeof muts / sizeof muts[0]; i++) {
        char x[100];
        snprintf(x, sizeof x, "\"%s\"", SIGX);
        char req[8192];
        snprintf(req, sizeof req, "%s", reference_request(x, "1", OPID));
        char *at = strstr(req, muts[i].from);
        REQUIRE(at);
        char tmp[8192];
        snprintf(tmp, sizeof tmp, "%.*s%s%s", (int)(at - req), req, muts[i].to, at + strlen(muts[i].from));
        CHECK_EQ_INT(mpavs_wire_parse_task_request(&r, msg, sizeof msg, tmp, strlen(tmp)), MPAVS_WIRE_ERR_FIELD);
        CHECK(strstr(msg, muts[i].field) != NULL);
    }
    CHECK_EQ_INT(mpavs_wire_parse_task_request(&r, msg, sizeof msg, "[1]", 3), MPAVS_WIRE_ERR_JSON);
    CHECK_EQ_INT(mpavs_wire_parse_task_request(&r, msg, sizeof msg, "{\"Task\":", 8), MPAVS_WIRE_ERR_JSON);
    mpavs_wire_fetch_request f;
    const char *fr = "{\"prev_task_id\":0,\"task_type\":1,\"max_wait_secs\":100,\"with_context\":true}";
    CHECK_EQ_INT(mpavs_wire_parse_fetch_request(&f, msg, sizeof msg, fr, strlen(fr)), MPAVS_WIRE_OK);
    CHECK(f.task_type == 1 && f.max_wait_secs == 100 && f.with_context);
    CHECK_EQ_INT(mpavs_wire_parse_fetch_request(&f, msg, sizeof msg, "{\"task_type\":-1}", 16), MPAVS_WIRE_ERR_FIELD);
}

/* Small gnark values go out as bare numbers, large ones as strings. */
TEST(encoding_number_forms) {
    mpavs_wire_task_request r;
    memset(&r, 0, sizeof r);
    r.identifier = 3;
    r.sig_x[31] = 7;
    memset(r.sig_y, 0x11, 32);
    char *s;
    REQUIRE(mpavs_wire_format_task_request(&s, &r) == MPAVS_WIRE_OK);
    CHECK(strstr(s, "\"X\":7,") != NULL);
    CHECK(strstr(s, "\"Y\":\"7719472615821079694904732333912527190217998977709370935963838933860875309329\"") != NULL);
    CHECK(strstr(s, "\"metadata\":\"0x\"") != NULL && strstr(s, "\"identifier\":\"0x3\"") != NULL);
    free(s);
}

int main(void) {
    RUN(reference_submit_task_accepted);
    RUN(gnark_number_forms);
    RUN(go_decoding_rules);
    RUN(encoding_number_forms);
    return harness_summary();
}
