/*
 * Integration test on a real anvil: JSON-RPC client, transaction sender, ABI
 * calldata/returns, event logs and revert decoding against contracts/src/test/Probe.sol
 * compiled by forge (solc-js); plus hostile HTTP replies from a local socket.
 */
#include "anvil.h"
#include "anvil_rpc.h"
#include "harness.h"

#include "mpavs/abi.h"
#include "mpavs/ecdsa.h"
#include "mpavs/rpc.h"
#include "mpavs/sender.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static harness_anvil anvil;
static mpavs_rpc *rpc;
static uint8_t key0[32];
static mpavs_address addr0, probe;
static const char *const ERRORS[] = {"TooLarge(uint256,uint256)"};

TEST(chain_basics) {
    uint64_t id = 0, bn = 99, nonce = 99;
    mpavs_error e = {0};
    CHECK_EQ_INT(mpavs_rpc_chain_id(rpc, &id, &e), MPAVS_RPC_OK);
    CHECK_EQ_INT(id, 31337);
    CHECK_EQ_INT(mpavs_rpc_block_number(rpc, &bn, &e), MPAVS_RPC_OK);
    CHECK_EQ_INT(bn, 0);
    mpavs_u256 bal;
    CHECK_EQ_INT(mpavs_rpc_get_balance(rpc, &bal, &e, addr0.bytes, "latest"), MPAVS_RPC_OK);
    char dec[80];
    mpavs_u256_to_dec(dec, sizeof dec, &bal);
    CHECK_STREQ(dec, "10000000000000000000000");
    CHECK_EQ_INT(mpavs_rpc_get_transaction_count(rpc, &nonce, &e, addr0.bytes, "latest"), MPAVS_RPC_OK);
    CHECK_EQ_INT(nonce, 0);
    mpavs_rpc_block b;
    bool found = false;
    CHECK_EQ_INT(mpavs_rpc_get_block_by_number(rpc, &b, &found, &e, "latest"), MPAVS_RPC_OK);
    CHECK(found && b.number == 0 && b.has_base_fee);
    mpavs_rpc_block b2;
    CHECK_EQ_INT(mpavs_rpc_get_block_by_hash(rpc, &b2, &found, &e, b.hash), MPAVS_RPC_OK);
    CHECK(found && memcmp(b2.state_root, b.state_root, 32) == 0);
    mpavs_rpc_block_clear(&b);
    mpavs_rpc_block_clear(&b2);
    CHECK_EQ_INT(mpavs_rpc_get_block_by_number(rpc, &b, &found, &e, "0x1000"), MPAVS_RPC_OK);
    CHECK(!found);
    /* an unknown method is a JSON-RPC error with its code */
    char *res = NULL;
    CHECK_EQ_INT(mpavs_rpc_call(rpc, &res, &e, "eth_noSuchMethod", "[]"), MPAVS_RPC_ERR_RPC);
    CHECK(e.rpc_code == -32601 || e.rpc_code == -32600 || e.rpc_code == -32602);
    CHECK_EQ_INT(mpavs_rpc_call(rpc, &res, &e, "eth_chainId", "{}"), MPAVS_RPC_ERR_ARG);
    mpavs_error_clear(&e);
    mpavs_u256 base, tip;
    CHECK_EQ_INT(mpavs_rpc_fee_history(rpc, &base, &tip, &e, 4, 50.0), MPAVS_RPC_OK);
    CHECK(!mpavs_u256_is_zero(&base));
}

TEST(deploy_call_logs_reverts) {
    size_t blen = 0;
    uint8_t *bc = anvil_artifact_code("contracts/out/Probe.sol/Probe.json", &blen);
    REQUIRE(bc && blen > 100);
    /* constructor(uint256 limit = 100) */
    uint8_t *init = malloc(blen + 32);
    memcpy(init, bc, blen);
    memset(init + blen, 0, 32);
    init[blen + 31] = 100;
    mpavs_sender *s;
    mpavs_error e = {0};
    mpavs_sender_options opt = {.poll_interval_ms = 50};
    REQUIRE(mpavs_sender_create(&s, &e, rpc, key0, &opt) == MPAVS_SENDER_OK);
    mpavs_sender_result res;
    CHECK_EQ_INT(mpavs_sender_send(s, &res, &e, NULL, NULL, init, blen + 32, 0, ERRORS, 1), MPAVS_SENDER_OK);
    CHECK(res.success && res.receipt.has_contract_address);
    memcpy(probe.bytes, res.receipt.contract_address, 20);
    mpavs_sender_result_clear(&res);
    uint8_t *code;
    size_t clen;
    CHECK_EQ_INT(mpavs_rpc_get_code(rpc, &code, &clen, &e, probe.bytes, "latest"), MPAVS_RPC_OK);
    CHECK(clen > 100);
    free(code);

    /* set(7, "hello", [0x01.., 0x02..]) and read its event from the receipt */
    const char *args[] = {"7", "hello",
                          ("[0x0100000000000000000000000000000000000000000000000000000000000000,"
                           "0x0200000000000000000000000000000000000000000000000000000000000000]")};
    size_t dl;
    uint8_t *data = harness_calldata(&dl, "set(uint256,string,bytes32[])", args, 3);
    REQUIRE(data);
    CHECK_EQ_INT(mpavs_sender_send(s, &res, &e, probe.bytes, NULL, data, dl, 0, ERRORS, 1), MPAVS_SENDER_OK);
    CHECK(res.success);
    CHECK_EQ_INT(res.receipt.nlogs, 1);
    mpavs_abi_signature *ev;
    REQUIRE(mpavs_abi_signature_parse(&ev, "event ValueSet(address indexed who, uint256 indexed value, string note, "
                                           "bytes32[] tags)") == MPAVS_ABI_OK);
    if (res.receipt.nlogs == 1) {
        mpavs_rpc_log *l = &res.receipt.logs[0];
        mpavs_abi_value *v;
        CHECK_EQ_INT(mpavs_abi_decode_log(&v, ev, (const uint8_t(*)[32])l->topics, l->ntopics, l->data, l->data_len,
                                          false),
                     MPAVS_ABI_OK);
        char *txt = NULL;
        if (v && mpavs_abi_value_format(&txt, v) == MPAVS_ABI_OK)
            CHECK_STREQ(txt, "(0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266, 7, \"hello\", "
                             "[0x0100000000000000000000000000000000000000000000000000000000000000, "
                             "0x0200000000000000000000000000000000000000000000000000000000000000])");
        free(txt);
        mpavs_abi_value_free(v);
        CHECK(memcmp(l->address, probe.bytes, 20) == 0);
    }
    mpavs_sender_result_clear(&res);
    free(data);

    /* eth_getLogs by address and topic0 finds the same event */
    uint8_t topic0[32];
    mpavs_abi_signature_topic(topic0, ev);
    mpavs_rpc_filter f = {.from_block = "0x0", .to_block = "latest", .addresses = (const uint8_t(*)[20])probe.bytes,
                          .naddresses = 1, .topics = {topic0}, .ntopics = 1};
    mpavs_rpc_log *logs;
    size_t nlogs;
    CHECK_EQ_INT(mpavs_rpc_get_logs(rpc, &logs, &nlogs, &e, &f), MPAVS_RPC_OK);
    CHECK_EQ_INT(nlogs, 1);
    mpavs_rpc_logs_free(logs, nlogs);
    mpavs_abi_signature_free(ev);

    /* value() == 7 through eth_call */
    uint8_t *ret;
    size_t rl;
    data = harness_calldata(&dl, "value()", NULL, 0);
    mpavs_rpc_callmsg m = {.to = probe.bytes, .data = data, .data_len = dl};
    CHECK_EQ_INT(mpavs_rpc_eth_call(rpc, &ret, &rl, &e, &m, "latest"), MPAVS_RPC_OK);
    CHECK(rl == 32 && ret[31] == 7);
    free(ret);
    free(data);

    /* a custom-error revert: refused at estimation, with the decoded reason */
    const char *big[] = {"1000", "x", "[]"};
    data = harness_calldata(&dl, "set(uint256,string,bytes32[])", big, 3);
    CHECK_EQ_INT(mpavs_sender_send(s, &res, &e, probe.bytes, NULL, data, dl, 0, ERRORS, 1), MPAVS_SENDER_ERR_REVERTS);
    CHECK_STREQ(res.revert_reason, "TooLarge(1000, 100)");
    /* the same with a fixed gas limit: mined, failed, reason recovered by replay */
    CHECK_EQ_INT(mpavs_sender_send(s, &res, &e, probe.bytes, NULL, data, dl, 100000, ERRORS, 1), MPAVS_SENDER_OK);
    CHECK(!res.success);
    CHECK_STREQ(res.revert_reason, "TooLarge(1000, 100)");
    mpavs_sender_result_clear(&res);
    free(data);

    /* Error(string) and Panic(uint256) through eth_call */
    const char *why[] = {"boom"};
    data = harness_calldata(&dl, "fail(string)", why, 1);
    m.data = data;
    m.data_len = dl;
    CHECK_EQ_INT(mpavs_rpc_eth_call(rpc, &ret, &rl, &e, &m, "latest"), MPAVS_RPC_ERR_RPC);
    char *msg = NULL;
    CHECK(e.data_len > 4 && mpavs_abi_decode_revert(&msg, e.data, e.data_len, NULL, 0) == MPAVS_ABI_OK);
    CHECK_STREQ(msg, "boom");
    free(msg);
    free(data);
    const char *zero[] = {"1", "0"};
    data = harness_calldata(&dl, "div(uint256,uint256)", zero, 2);
    m.data = data;
    m.data_len = dl;
    CHECK_EQ_INT(mpavs_rpc_eth_call(rpc, &ret, &rl, &e, &m, "latest"), MPAVS_RPC_ERR_RPC);
    msg = NULL;
    CHECK(mpavs_abi_decode_revert(&msg, e.data, e.data_len, NULL, 0) == MPAVS_ABI_OK);
    CHECK_STREQ(msg, "panic 0x12 (division or modulo by zero)");
    free(msg);
    free(data);

    /* echo: tuple arrays and negative integers survive a round trip through the EVM */
    const char *items[] = {"[(1,0x00000000000000000000000000000000000000aa,0x),(2,0x00000000000000000000000000000000000000bb,"
                           "0xdeadbeef)]",
                           "-300"};
    data = harness_calldata(&dl, "echo((uint256,address,bytes)[],int16)", items, 2);
    REQUIRE(data);
    m.data = data;
    m.data_len = dl;
    CHECK_EQ_INT(mpavs_rpc_eth_call(rpc, &ret, &rl, &e, &m, "latest"), MPAVS_RPC_OK);
    mpavs_abi_type *outt;
    REQUIRE(mpavs_abi_type_parse(&outt, "((uint256,address,bytes)[],int16)") == MPAVS_ABI_OK);
    mpavs_abi_value *ov;
    CHECK_EQ_INT(mpavs_abi_decode(&ov, outt, ret, rl), MPAVS_ABI_OK);
    char *txt = NULL;
    if (ov && mpavs_abi_value_format(&txt, ov) == MPAVS_ABI_OK)
        CHECK_STREQ(txt, "([(1, 0x00000000000000000000000000000000000000AA, 0x), (2, "
                         "0x00000000000000000000000000000000000000bb, 0xdeadbeef)], -300)");
    free(txt);
    mpavs_abi_value_free(ov);
    mpavs_abi_type_free(outt);
    free(ret);
    free(data);

    /* nonce recovery: another sender for the same key moves the nonce on */
    mpavs_sender *other;
    REQUIRE(mpavs_sender_create(&other, &e, rpc, key0, &opt) == MPAVS_SENDER_OK);
    const char *a2[] = {"9", "other", "[]"};
    data = harness_calldata(&dl, "set(uint256,string,bytes32[])", a2, 3);
    CHECK_EQ_INT(mpavs_sender_send(other, &res, &e, probe.bytes, NULL, data, dl, 0, NULL, 0), MPAVS_SENDER_OK);
    mpavs_sender_result_clear(&res);
    CHECK_EQ_INT(mpavs_sender_send(s, &res, &e, probe.bytes, NULL, data, dl, 0, NULL, 0), MPAVS_SENDER_OK);
    CHECK(res.success);
    mpavs_sender_result_clear(&res);
    free(data);
    mpavs_sender_destroy(other);
    mpavs_sender_destroy(s);
    mpavs_error_clear(&e);
    free(init);
    free(bc);
}

/* ---- a stuck transaction is re-sent with higher fees ---- */

typedef struct {
    const char *url;
    long delay_ms;
} miner_arg;

/* After delay_ms, mine one block (anvil's evm_mine), as a block producer would. */
static void *mine_later(void *arg) {
    miner_arg *m = arg;
    struct timespec ts = {m->delay_ms / 1000, (m->delay_ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
    mpavs_rpc *c = mpavs_rpc_create(m->url, NULL);
    char *res = NULL;
    if (c && mpavs_rpc_call(c, &res, NULL, "evm_mine", "[]") == MPAVS_RPC_OK) free(res);
    mpavs_rpc_destroy(c);
    return NULL;
}

TEST(stuck_transaction_is_bumped) {
    harness_anvil a2;
    const char *args[] = {"--no-mining", NULL};
    REQUIRE(harness_anvil_start(&a2, args));
    mpavs_rpc *c = mpavs_rpc_create(a2.url, NULL);
    mpavs_sender *s;
    mpavs_error e = {0};
    mpavs_sender_options opt = {.poll_interval_ms = 50, .attempt_timeout_ms = 700, .deadline_ms = 20000};
    REQUIRE(mpavs_sender_create(&s, &e, c, key0, &opt) == MPAVS_SENDER_OK);
    pthread_t th;
    miner_arg m = {a2.url, 1800};
    REQUIRE(pthread_create(&th, NULL, mine_later, &m) == 0);
    mpavs_sender_result res;
    uint8_t to[20] = {0x42};
    mpavs_u256 one = mpavs_u256_from_u64(1);
    CHECK_EQ_INT(mpavs_sender_send(s, &res, &e, to, &one, NULL, 0, 21000, NULL, 0), MPAVS_SENDER_OK);
    pthread_join(th, NULL);
    CHECK(res.success);
    CHECK(res.bumps >= 1);
    /* what was mined is the replacement: its effective tip is above the first offer's */
    uint64_t nonce = 99;
    CHECK_EQ_INT(mpavs_rpc_get_transaction_count(c, &nonce, &e, addr0.bytes, "latest"), MPAVS_RPC_OK);
    CHECK_EQ_INT(nonce, 1);
    mpavs_sender_result_clear(&res);
    /* with nothing mining at all, the sender gives up at its deadline with a clear code */
    mpavs_sender_options quick = {.poll_interval_ms = 50, .attempt_timeout_ms = 300, .deadline_ms = 1200, .max_bumps = 2};
    mpavs_sender *q;
    REQUIRE(mpavs_sender_create(&q, &e, c, key0, &quick) == MPAVS_SENDER_OK);
    CHECK_EQ_INT(mpavs_sender_send(q, &res, &e, to, &one, NULL, 0, 21000, NULL, 0), MPAVS_SENDER_ERR_TIMEOUT);
    mpavs_sender_result_clear(&res);
    mpavs_sender_destroy(q);
    mpavs_sender_destroy(s);
    mpavs_rpc_destroy(c);
    mpavs_error_clear(&e);
    harness_anvil_stop(&a2);
}

/* ---- hostile HTTP peers on a local socket ---- */

typedef struct {
    int fd;
    const char *reply; /* NULL: accept and never answer */
    size_t reply_len;
} bad_server;

static void *serve(void *arg) {
    bad_server *b = arg;
    for (int i = 0; i < 8; i++) {
        int c = accept(b->fd, NULL, NULL);
        if (c < 0) break;
        char buf[4096];
        ssize_t n = recv(c, buf, sizeof buf, 0);
        (void)n;
        if (b->reply) {
            size_t off = 0;
            while (off < b->reply_len) {
                ssize_t w = send(c, b->reply + off, b->reply_len - off, MSG_NOSIGNAL);
                if (w <= 0) break;
                off += (size_t)w;
            }
            close(c);
        } else {
            struct timespec ts = {2, 0};
            nanosleep(&ts, NULL);
            close(c);
        }
    }
    return NULL;
}

static int start_bad(bad_server *b, pthread_t *th, char url[64]) {
    b->fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t sl = sizeof sa;
    if (bind(b->fd, (struct sockaddr *)&sa, sizeof sa) || listen(b->fd, 8) ||
        getsockname(b->fd, (struct sockaddr *)&sa, &sl))
        return -1;
    snprintf(url, 64, "http://127.0.0.1:%d", ntohs(sa.sin_port));
    return pthread_create(th, NULL, serve, b);
}

static int call_bad(const char *reply, size_t len, long timeout_ms, mpavs_error *e) {
    bad_server b = {.reply = reply, .reply_len = len};
    pthread_t th;
    char url[64];
    if (start_bad(&b, &th, url)) return -1;
    mpavs_rpc_options o = {.timeout_ms = timeout_ms, .max_retries = 1, .backoff_ms = 10, .max_reply_bytes = 1 << 20};
    mpavs_rpc *c = mpavs_rpc_create(url, &o);
    uint64_t id;
    int r = mpavs_rpc_chain_id(c, &id, e);
    mpavs_rpc_destroy(c);
    shutdown(b.fd, SHUT_RDWR);
    close(b.fd);
    pthread_join(th, NULL);
    return r;
}

/* An HTTP 200 reply around body; returns its length. */
static size_t http_ok(char out[512], const char *body) {
    return (size_t)snprintf(out, 512, "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n%s",
                            strlen(body), body);
}

TEST(hostile_peers) {
    mpavs_error e = {0};
    static const char garbage[] = "HTTP/1.1 200 OK\r\nContent-Length: 11\r\nConnection: close\r\n\r\nhello world";
    CHECK_EQ_INT(call_bad(garbage, sizeof garbage - 1, 2000, &e), MPAVS_RPC_ERR_PARSE);
    static const char err500[] = "HTTP/1.1 500 Oops\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    CHECK_EQ_INT(call_bad(err500, sizeof err500 - 1, 2000, &e), MPAVS_RPC_ERR_HTTP);
    CHECK_EQ_INT(e.rpc_code, 500);
    char resp[512];
    CHECK_EQ_INT(call_bad(resp, http_ok(resp, "{\"jsonrpc\":\"2.0\",\"id\":99,\"result\":\"0x1\"}"), 2000, &e),
                 MPAVS_RPC_ERR_PARSE);
    CHECK_EQ_INT(call_bad(resp, http_ok(resp, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[1]}"), 2000, &e),
                 MPAVS_RPC_ERR_RESULT);
    CHECK_EQ_INT(call_bad(resp, http_ok(resp, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0x1\",\"result\":\"0x2\"}"),
                          2000, &e),
                 MPAVS_RPC_ERR_PARSE);
    CHECK_EQ_INT(call_bad(resp, http_ok(resp, "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["), 2000, &e),
                 MPAVS_RPC_ERR_PARSE);
    CHECK_EQ_INT(call_bad(resp, http_ok(resp, "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":3,\"message\":\"execution "
                                              "reverted\",\"data\":\"0x08c379a0\"}}"),
                          2000, &e),
                 MPAVS_RPC_ERR_RPC);
    CHECK(e.rpc_code == 3 && e.data_len == 4 && e.data[0] == 0x08);
    /* 2 MiB reply with a 1 MiB limit */
    size_t big = 2u << 20;
    char *huge = malloc(big + 200);
    int hl = snprintf(huge, 200, "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n", big);
    memset(huge + hl, ' ', big);
    CHECK_EQ_INT(call_bad(huge, (size_t)hl + big, 5000, &e), MPAVS_RPC_ERR_TOO_LARGE);
    free(huge);
    /* a peer that accepts and never answers: a timeout, retried once, then a transport error */
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    CHECK_EQ_INT(call_bad(NULL, 0, 300, &e), MPAVS_RPC_ERR_TRANSPORT);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    CHECK(secs < 3.5);
    /* nobody listening */
    mpavs_rpc_options o = {.timeout_ms = 500, .max_retries = 2, .backoff_ms = 10};
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", harness_free_port());
    mpavs_rpc *c = mpavs_rpc_create(url, &o);
    uint64_t id;
    CHECK_EQ_INT(mpavs_rpc_chain_id(c, &id, &e), MPAVS_RPC_ERR_TRANSPORT);
    CHECK(strstr(e.message, "3 attempts") != NULL);
    mpavs_rpc_destroy(c);
    CHECK(mpavs_rpc_create("ftp://x", NULL) == NULL);
    mpavs_error_clear(&e);
}

int main(void) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (system("cd \"${MPAVS_ROOT:-.}/contracts\" && ../.tools/bin/forge build --offline >/dev/null 2>&1") != 0)
        fprintf(stderr, "forge build failed\n");
    if (!harness_anvil_start(&anvil, NULL)) {
        fprintf(stderr, "could not start anvil\n");
        printf("0 passed, 1 failed\n");
        return 1;
    }
    rpc = mpavs_rpc_create(anvil.url, NULL);
    if (harness_unhex(key0, 32, ANVIL_KEY0) != 32 || mpavs_address_parse(&addr0, ANVIL_ADDR0) != 0) return 1;
    RUN(chain_basics);
    RUN(deploy_call_logs_reverts);
    RUN(stuck_transaction_is_bumped);
    RUN(hostile_peers);
    mpavs_rpc_destroy(rpc);
    harness_anvil_stop(&anvil);
    curl_global_cleanup();
    return harness_summary();
}
