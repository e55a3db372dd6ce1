/*
 * The one error-detail type (mpavs_error, mpavs/common.h) as the modules fill it: the JSON-RPC
 * reply parser (code, module, node code, revert data), the task sources and DCAP collateral.
 */
#include "harness.h"
#include "mpavs/dcap.h"
#include "mpavs/rpc.h"
#include "mpavs/tasksrc.h"

#include <stdlib.h>
#include <string.h>

/* A node's error object: code, message and hex revert data all reach the caller. */
TEST(rpc_error_object) {
    static const char reply[] =
        "{\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":3,\"message\":\"execution reverted\",\"data\":\"0x08c379a0\"}}";
    char *res = (char *)1;
    mpavs_error e = {0};
    CHECK_EQ_INT(mpavs_rpc_parse_reply(&res, &e, 7, reply, sizeof reply - 1), MPAVS_RPC_ERR_RPC);
    CHECK(res == NULL);
    CHECK_EQ_INT(e.code, MPAVS_RPC_ERR_RPC);
    CHECK(e.module && strcmp(e.module, "rpc") == 0);
    CHECK_EQ_INT(e.rpc_code, 3);
    CHECK(strstr(e.message, "execution reverted") != NULL);
    REQUIRE(e.data_len == 4 && e.data);
    CHECK(e.data[0] == 0x08 && e.data[3] == 0xa0);
    mpavs_error_clear(&e);
    CHECK(e.data == NULL && e.code == 0 && e.module == NULL && e.message[0] == 0);
    mpavs_error_clear(&e); /* again: a cleared error stays valid */
    mpavs_error_clear(NULL);
}

/* A malformed reply is this module's error too, without a node code. */
TEST(rpc_bad_reply) {
    static const char reply[] = "{\"jsonrpc\":\"2.0\",\"id\":8,\"result\":1}";
    char *res = NULL;
    mpavs_error e = {0};
    int r = mpavs_rpc_parse_reply(&res, &e, 7, reply, sizeof reply - 1);
    CHECK(r != MPAVS_RPC_OK);
    CHECK_EQ_INT(e.code, r);
    CHECK(e.module && strcmp(e.module, "rpc") == 0);
    CHECK_EQ_INT(e.rpc_code, 0);
    CHECK(e.message[0] != 0);
    mpavs_error_clear(&e);
    free(res);
}

/* The task sources report through the same type (module "tasksrc"). */
TEST(tasksrc_error) {
    mpavs_tasksrc_poe poe;
    mpavs_error e = {0};
    static const char bad[] = "{\"not\":\"a poe\"}";
    int r = mpavs_tasksrc_poe_parse(&poe, &e, (const uint8_t *)bad, sizeof bad - 1);
    CHECK(r != MPAVS_TASKSRC_OK);
    CHECK_EQ_INT(e.code, r);
    CHECK(e.module && strcmp(e.module, "tasksrc") == 0);
    CHECK(e.message[0] != 0);
    mpavs_error_clear(&e);
}

/* DCAP collateral: the code, module "dcap" and the parser's explanation. */
TEST(dcap_error) {
    mpavs_dcap_collateral *c = (mpavs_dcap_collateral *)1;
    mpavs_error e = {0};
    static const char bad[] = "[1,2]";
    int r = mpavs_dcap_collateral_parse(&c, &e, bad, sizeof bad - 1);
    CHECK_EQ_INT(r, MPAVS_DCAP_ERR_COLLATERAL_FORMAT);
    CHECK(c == NULL);
    CHECK_EQ_INT(e.code, r);
    CHECK(e.module && strcmp(e.module, "dcap") == 0);
    CHECK(strstr(e.message, "not a JSON object") != NULL);
    mpavs_error_clear(&e);
    CHECK_EQ_INT(mpavs_dcap_collateral_parse(&c, NULL, bad, sizeof bad - 1), MPAVS_DCAP_ERR_COLLATERAL_FORMAT);
}

int main(void) {
    RUN(rpc_error_object);
    RUN(rpc_bad_reply);
    RUN(tasksrc_error);
    RUN(dcap_error);
    return harness_summary();
}
