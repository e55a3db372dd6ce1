/*
 * test_evm.c — gas edge cases and rules of the EVM, each expected value derived in the comment
 * from the EIP that defines it (the state test fixtures in tests/integration/evm_statetest.sh are
 * the broad oracle; these pin single rules so a regression names its rule).
 */
#include "harness.h"
#include "mpavs/evm.h"

#include <string.h>

static const uint8_t SENDER[20] = {0xa9, 0x4f, 0x53, 0x74, 0xfc, 0xe5, 0xed, 0xbc, 0x8e, 0x2a,
                                   0x86, 0x97, 0xc1, 0x53, 0x31, 0x67, 0x7e, 0x6e, 0xbf, 0x0b};
static const uint8_t TARGET[20] = {0x10, [19] = 0x01};
static const uint8_t OTHER[20] = {0x20, [19] = 0x02};

typedef struct {
    mpavs_evm_memstate *ms;
    mpavs_evm_state *st;
    mpavs_evm_block blk;
    mpavs_evm_tx tx;
    mpavs_evm_tx_result res;
    int r;
} world;

static void world_init(world *w, mpavs_evm_fork fork) {
    memset(w, 0, sizeof *w);
    w->ms = mpavs_evm_memstate_create();
    REQUIRE(w->ms);
    mpavs_u256 rich = mpavs_u256_from_u64(1000000000000000000ULL);
    REQUIRE(mpavs_evm_memstate_set_account(w->ms, SENDER, 0, &rich, NULL, 0) == MPAVS_EVM_OK);
    w->blk.fork = fork;
    w->blk.number = 1;
    w->blk.timestamp = 1000;
    w->blk.gas_limit = 30000000;
    w->blk.base_fee = mpavs_u256_from_u64(7);
    w->blk.chain_id = 1;
    w->blk.coinbase[0] = 0xcb;
    memcpy(w->tx.sender, SENDER, 20);
    w->tx.type = 2;
    w->tx.gas_limit = 1000000;
    w->tx.max_fee = mpavs_u256_from_u64(10);
    w->tx.max_priority_fee = mpavs_u256_from_u64(1);
    memcpy(w->tx.to, TARGET, 20);
}

static void set_code(world *w, const uint8_t addr[20], const uint8_t *code, size_t len) {
    mpavs_u256 zero = mpavs_u256_from_u64(0);
    REQUIRE(mpavs_evm_memstate_set_account(w->ms, addr, 1, &zero, code, len) == MPAVS_EVM_OK);
}

/* Execute w->tx and commit into the memstate. */
static void run(world *w) {
    mpavs_evm_source src;
    mpavs_evm_memstate_source(&src, w->ms);
    w->st = mpavs_evm_state_create(&src);
    REQUIRE(w->st);
    mpavs_evm_tx_result_clear(&w->res);
    w->r = mpavs_evm_execute_tx(w->st, &w->res, &w->blk, &w->tx);
    if (w->r == MPAVS_EVM_OK) {
        mpavs_evm_sink sink;
        mpavs_evm_memstate_sink(&sink, w->ms);
        REQUIRE(mpavs_evm_state_commit(w->st, &sink) == MPAVS_EVM_OK);
    }
    mpavs_evm_state_destroy(w->st);
    w->st = NULL;
}

static void world_free(world *w) {
    mpavs_evm_tx_result_clear(&w->res);
    mpavs_evm_memstate_destroy(w->ms);
}

static uint64_t slot_of(world *w, const uint8_t addr[20], uint8_t k) {
    mpavs_evm_source src;
    mpavs_evm_memstate_source(&src, w->ms);
    uint8_t key[32] = {0}, val[32];
    key[31] = k;
    memset(val, 0, 32);
    CHECK(src.storage(src.ctx, val, addr, key) == 0);
    uint64_t v = 0;
    for (int i = 24; i < 32; i++) v = v << 8 | val[i];
    return v;
}

static bool account_of(world *w, mpavs_evm_account *a, const uint8_t addr[20]) {
    mpavs_evm_source src;
    mpavs_evm_memstate_source(&src, w->ms);
    bool exists = false;
    CHECK(src.account(src.ctx, a, &exists, addr) == 0);
    return exists;
}

/* 21000 base, 4 per zero byte, 16 per nonzero, create 32000 + 2 per initcode word (EIP-3860);
 * Prague floor (EIP-7623) 21000 + 10 * (zeros + 4 * nonzeros). */
TEST(intrinsic_gas_and_floor) {
    uint8_t data[100];
    memset(data, 0xff, sizeof data);
    data[0] = 0;
    mpavs_evm_tx tx;
    memset(&tx, 0, sizeof tx);
    tx.data = data;
    tx.data_len = 100;
    uint64_t g, fl;
    mpavs_evm_intrinsic_gas(&g, &fl, MPAVS_EVM_CANCUN, &tx);
    CHECK_EQ_INT(g, 21000 + 4 + 99 * 16);
    CHECK_EQ_INT(fl, 0);
    mpavs_evm_intrinsic_gas(&g, &fl, MPAVS_EVM_PRAGUE, &tx);
    CHECK_EQ_INT(fl, 21000 + 10 * (1 + 4 * 99));
    tx.is_create = true;
    mpavs_evm_intrinsic_gas(&g, &fl, MPAVS_EVM_CANCUN, &tx);
    CHECK_EQ_INT(g, 21000 + 4 + 99 * 16 + 32000 + 2 * 4);
}

/* A transaction whose gas covers the intrinsic cost but not the floor is valid in Cancun and
 * rejected in Prague; one at the floor pays the floor. */
TEST(calldata_floor_prague) {
    uint8_t data[100];
    memset(data, 0xff, sizeof data);
    for (int fork = MPAVS_EVM_CANCUN; fork <= MPAVS_EVM_PRAGUE; fork++) {
        world w;
        world_init(&w, (mpavs_evm_fork)fork);
        w.tx.data = data;
        w.tx.data_len = 100;
        w.tx.gas_limit = 21000 + 1600; /* intrinsic; floor is 21000 + 4000 */
        run(&w);
        CHECK_EQ_INT(w.r, fork == MPAVS_EVM_CANCUN ? MPAVS_EVM_OK : MPAVS_EVM_ERR_TX_INTRINSIC_GAS);
        if (fork == MPAVS_EVM_PRAGUE) {
            w.tx.gas_limit = 25000;
            w.tx.nonce = 0;
            run(&w);
            CHECK_EQ_INT(w.r, MPAVS_EVM_OK);
            CHECK_EQ_INT(w.res.gas_used, 25000);
        } else {
            CHECK_EQ_INT(w.res.gas_used, 22600);
        }
        world_free(&w);
    }
}

/* PUSH1 1, PUSH2 992, MSTORE: memory grows to 32 words: 3*32 + 32*32/512 = 98; plus 3+3+3. */
TEST(memory_expansion) {
    const uint8_t code[] = {0x60, 0x01, 0x61, 0x03, 0xe0, 0x52};
    world w;
    world_init(&w, MPAVS_EVM_CANCUN);
    set_code(&w, TARGET, code, sizeof code);
    run(&w);
    CHECK_EQ_INT(w.r, MPAVS_EVM_OK);
    CHECK_EQ_INT(w.res.status, MPAVS_EVM_STATUS_SUCCESS);
    CHECK_EQ_INT(w.res.gas_used, 21000 + 3 + 3 + 3 + 98);
    world_free(&w);
}

/* SSTORE 0 -> 1 cold: 2100 + 20000 (EIP-2929, 2200); then 1 -> 0 warm: 100, refund 19900
 * (EIP-3529: set-then-reset), capped at gas_used / 5. */
TEST(sstore_set_reset_refund) {
    const uint8_t code[] = {0x60, 0x01, 0x60, 0x00, 0x55, 0x60, 0x00, 0x60, 0x00, 0x55};
    world w;
    world_init(&w, MPAVS_EVM_CANCUN);
    set_code(&w, TARGET, code, sizeof code);
    run(&w);
    CHECK_EQ_INT(w.r, MPAVS_EVM_OK);
    uint64_t used = 21000 + 4 * 3 + 22100 + 100;
    CHECK_EQ_INT(w.res.gas_refunded, used / 5);
    CHECK_EQ_INT(w.res.gas_used, used - used / 5);
    CHECK_EQ_INT(slot_of(&w, TARGET, 0), 0);
    world_free(&w);
}

/* SSTORE needs more than the 2300 call stipend left (EIP-2200): with exactly 2300 it fails. */
TEST(sstore_stipend_guard) {
    const uint8_t code[] = {0x60, 0x01, 0x60, 0x00, 0x55};
    world w;
    world_init(&w, MPAVS_EVM_CANCUN);
    set_code(&w, TARGET, code, sizeof code);
    w.tx.gas_limit = 21000 + 6 + 2300;
    run(&w);
    CHECK_EQ_INT(w.r, MPAVS_EVM_OK);
    CHECK_EQ_INT(w.res.status, MPAVS_EVM_STATUS_FAILURE);
    CHECK_EQ_INT(w.res.gas_used, w.tx.gas_limit);
    world_free(&w);
}

/* CALL with value 1 to a cold, non-existent account: 2600 + 9000 + 25000; the callee gets
 * the 2300 stipend; gas argument 0. Code: CALL(0, OTHER, 1, 0, 0, 0, 0), then POP.
 * Gas: 7 pushes (21) + call charge 36600 + pop 2; the child (no code) returns its 2300 stipend
 * unused, and the caller gets it back although it never paid for it: 2300 less. */
TEST(call_value_new_account) {
    uint8_t code[] = {0x60, 0x00, 0x60, 0x00, 0x60, 0x00, 0x60, 0x00, 0x60, 0x01, 0x73,
                      0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02,
                      0x60, 0x00, 0xf1, 0x50};
    world w;
    world_init(&w, MPAVS_EVM_CANCUN);
    set_code(&w, TARGET, code, sizeof code);
    mpavs_u256 bal = mpavs_u256_from_u64(5);
    REQUIRE(mpavs_evm_memstate_set_account(w.ms, TARGET, 1, &bal, code, sizeof code) == MPAVS_EVM_OK);
    run(&w);
    CHECK_EQ_INT(w.r, MPAVS_EVM_OK);
    CHECK_EQ_INT(w.res.status, MPAVS_EVM_STATUS_SUCCESS);
    CHECK_EQ_INT(w.res.gas_used, 21000 + 21 + 2600 + 9000 + 25000 + 2 - 2300);
    mpavs_evm_account a;
    CHECK(account_of(&w, &a, OTHER));
    CHECK(a.balance.w[0] == 1);
    world_free(&w);
}

/* EIP-150: the callee gets all but 1/64 of what is left. Callee code: GAS, PUSH1 0, SSTORE.
 * The caller forwards gas 0xffff..; the stored value is the callee's gas after GAS (2). */
TEST(call_63_64) {
    const uint8_t callee[] = {0x5a, 0x60, 0x00, 0x55};
    uint8_t caller[] = {0x60, 0x00, 0x60, 0x00, 0x60, 0x00, 0x60, 0x00, 0x60, 0x00, 0x73,
                        0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02,
                        0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                        0xff, 0xff, 0xff, 0xff, 0xf1};
    world w;
    world_init(&w, MPAVS_EVM_CANCUN);
    set_code(&w, TARGET, caller, sizeof caller);
    set_code(&w, OTHER, callee, sizeof callee);
    w.tx.gas_limit = 100000;
    run(&w);
    CHECK_EQ_INT(w.r, MPAVS_EVM_OK);
    int64_t left = 100000 - 21000 - 7 * 3 - 2600; /* before the forwarded part */
    int64_t child = left - left / 64;
    CHECK_EQ_INT(slot_of(&w, OTHER, 0), (uint64_t)(child - 2));
    world_free(&w);
}

/* EXP: 10 + 50 per byte of the exponent (EIP-160): 2 ** 0x0100 costs 10 + 100. */
TEST(exp_cost) {
    const uint8_t code[] = {0x61, 0x01, 0x00, 0x60, 0x02, 0x0a};
    world w;
    world_init(&w, MPAVS_EVM_CANCUN);
    set_code(&w, TARGET, code, sizeof code);
    run(&w);
    CHECK_EQ_INT(w.res.gas_used, 21000 + 3 + 3 + 110);
    world_free(&w);
}

/* A call to a BLS12-381 precompile (no engine here) makes the whole transaction
 * MPAVS_EVM_ERR_UNSUPPORTED_PRECOMPILE naming the address; 0x0b is not a precompile in Cancun. */
TEST(unsupported_precompile_propagates) {
    uint8_t code[] = {0x60, 0x00, 0x60, 0x00, 0x60, 0x00, 0x60, 0x00, 0x60, 0x0b, 0x61, 0xff, 0xff, 0xfa};
    world w;
    world_init(&w, MPAVS_EVM_PRAGUE);
    set_code(&w, TARGET, code, sizeof code);
    run(&w);
    CHECK_EQ_INT(w.r, MPAVS_EVM_ERR_UNSUPPORTED_PRECOMPILE);
    CHECK_EQ_INT(w.res.unsupported_precompile[19], 0x0b);
    world_free(&w);
    world_init(&w, MPAVS_EVM_CANCUN);
    set_code(&w, TARGET, code, sizeof code);
    run(&w);
    CHECK_EQ_INT(w.r, MPAVS_EVM_OK);
    world_free(&w);
}

/* EIP-3541: creation returning code that starts with 0xEF fails and consumes all gas.
 * Initcode: PUSH1 0xef, PUSH1 0, MSTORE8, PUSH1 1, PUSH1 0, RETURN. */
TEST(create_ef_prefix_rejected) {
    const uint8_t init[] = {0x60, 0xef, 0x60, 0x00, 0x53, 0x60, 0x01, 0x60, 0x00, 0xf3};
    world w;
    world_init(&w, MPAVS_EVM_CANCUN);
    w.tx.is_create = true;
    w.tx.data = init;
    w.tx.data_len = sizeof init;
    run(&w);
    CHECK_EQ_INT(w.r, MPAVS_EVM_OK);
    CHECK_EQ_INT(w.res.status, MPAVS_EVM_STATUS_FAILURE);
    CHECK_EQ_INT(w.res.gas_used, w.tx.gas_limit);
    CHECK(!w.res.created);
    world_free(&w);
}

/* EIP-6780: SELFDESTRUCT of a contract that existed before the transaction moves its balance
 * but keeps the account and its code. */
TEST(selfdestruct_6780_keeps_old_contract) {
    uint8_t code[] = {0x73, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0xff};
    world w;
    world_init(&w, MPAVS_EVM_CANCUN);
    mpavs_u256 bal = mpavs_u256_from_u64(77);
    REQUIRE(mpavs_evm_memstate_set_account(w.ms, TARGET, 1, &bal, code, sizeof code) == MPAVS_EVM_OK);
    run(&w);
    CHECK_EQ_INT(w.r, MPAVS_EVM_OK);
    /* 3 + 5000 + 2600 (cold beneficiary) + 25000 (new account receiving a balance) */
    CHECK_EQ_INT(w.res.gas_used, 21000 + 3 + 5000 + 2600 + 25000);
    mpavs_evm_account a;
    CHECK(account_of(&w, &a, TARGET));
    CHECK(a.balance.w[0] == 0 && a.nonce == 1);
    CHECK(account_of(&w, &a, OTHER));
    CHECK(a.balance.w[0] == 77);
    world_free(&w);
}

/* EIP-1153: TSTORE is undone when its frame reverts; TLOAD/TSTORE cost 100. Callee: TSTORE(0,5)
 * then REVERT; caller: CALL callee, then TLOAD(0) and SSTORE it to slot 0 (stays 0). */
TEST(transient_storage_reverted) {
    const uint8_t callee[] = {0x60, 0x05, 0x60, 0x00, 0x5d, 0x60, 0x00, 0x60, 0x00, 0xfd};
    world w;
    world_init(&w, MPAVS_EVM_CANCUN);
    /* DELEGATECALL(0xffff, OTHER, 0, 0, 0, 0): OTHER's code runs in our context */
    uint8_t code[64];
    size_t n = 0;
    const uint8_t head[] = {0x60, 0x00, 0x60, 0x00, 0x60, 0x00, 0x60, 0x00, 0x73};
    memcpy(code + n, head, sizeof head), n += sizeof head;
    memcpy(code + n, OTHER, 20), n += 20;
    const uint8_t tail[] = {0x61, 0xff, 0xff, 0xf4, 0x50, 0x60, 0x00, 0x5c, 0x60, 0x01, 0x55, 0x60, 0x07,
                            0x60, 0x02, 0x5d, 0x60, 0x02, 0x5c, 0x60, 0x02, 0x55};
    memcpy(code + n, tail, sizeof tail), n += sizeof tail;
    set_code(&w, TARGET, code, n);
    set_code(&w, OTHER, callee, sizeof callee);
    run(&w);
    CHECK_EQ_INT(w.r, MPAVS_EVM_OK);
    CHECK_EQ_INT(w.res.status, MPAVS_EVM_STATUS_SUCCESS);
    CHECK_EQ_INT(slot_of(&w, TARGET, 1), 0); /* the reverted TSTORE is gone */
    CHECK_EQ_INT(slot_of(&w, TARGET, 2), 7); /* a kept TSTORE is read back */
    world_free(&w);
}

/* CLZ (EIP-7939) exists from Osaka on: count of leading zero bits, 256 for zero. */
TEST(clz_osaka_only) {
    const uint8_t code[] = {0x60, 0x01, 0x1e, 0x60, 0x00, 0x55};
    world w;
    world_init(&w, MPAVS_EVM_OSAKA);
    set_code(&w, TARGET, code, sizeof code);
    run(&w);
    CHECK_EQ_INT(w.res.status, MPAVS_EVM_STATUS_SUCCESS);
    CHECK_EQ_INT(slot_of(&w, TARGET, 0), 255);
    world_free(&w);
    world_init(&w, MPAVS_EVM_PRAGUE);
    set_code(&w, TARGET, code, sizeof code);
    run(&w);
    CHECK_EQ_INT(w.res.status, MPAVS_EVM_STATUS_FAILURE);
    world_free(&w);
}

/* EIP-7825: from Osaka a transaction may not have more than 2^24 gas. */
TEST(osaka_tx_gas_cap) {
    world w;
    world_init(&w, MPAVS_EVM_OSAKA);
    w.tx.gas_limit = (1u << 24) + 1;
    run(&w);
    CHECK_EQ_INT(w.r, MPAVS_EVM_ERR_TX_GAS_LIMIT);
    w.tx.gas_limit = 1u << 24;
    run(&w);
    CHECK_EQ_INT(w.r, MPAVS_EVM_OK);
    world_free(&w);
}

/* EIP-7702: an authorization sets 0xef0100||address on the authority and bumps its nonce; a call
 * to the authority runs the delegate's code in the authority's context. */
TEST(eip7702_delegation) {
    const uint8_t delegate_code[] = {0x60, 0x2a, 0x60, 0x00, 0x55}; /* SSTORE(0, 42) */
    static const uint8_t AUTHORITY[20] = {0x30, [19] = 0x03};
    world w;
    world_init(&w, MPAVS_EVM_PRAGUE);
    set_code(&w, OTHER, delegate_code, sizeof delegate_code);
    mpavs_u256 zero = mpavs_u256_from_u64(0);
    REQUIRE(mpavs_evm_memstate_set_account(w.ms, AUTHORITY, 0, &zero, NULL, 0) == MPAVS_EVM_OK);
    mpavs_evm_authorization au;
    memset(&au, 0, sizeof au);
    au.chain_id = mpavs_u256_from_u64(1);
    memcpy(au.address, OTHER, 20);
    au.nonce = 0;
    au.authority_valid = true;
    memcpy(au.authority, AUTHORITY, 20);
    w.tx.type = 4;
    w.tx.auths = &au;
    w.tx.n_auths = 1;
    memcpy(w.tx.to, AUTHORITY, 20);
    run(&w);
    CHECK_EQ_INT(w.r, MPAVS_EVM_OK);
    CHECK_EQ_INT(w.res.status, MPAVS_EVM_STATUS_SUCCESS);
    CHECK_EQ_INT(slot_of(&w, AUTHORITY, 0), 42);
    mpavs_evm_account a;
    CHECK(account_of(&w, &a, AUTHORITY));
    CHECK_EQ_INT(a.nonce, 1);
    /* intrinsic 21000 + 25000 per authorization; SSTORE 22100 + 2 pushes; the authority was in
     * the state, so 25000 - 12500 is refunded (within the cap of a fifth of the gas used) */
    uint64_t used = 21000 + 25000 + 6 + 22100;
    CHECK_EQ_INT(w.res.gas_refunded, 12500);
    CHECK_EQ_INT(w.res.gas_used, used - 12500);
    /* a second authorization with the old nonce 0 is skipped (nonce now 1): no code change, and
     * a new authority address that is not in the state gets no refund */
    static const uint8_t FRESH[20] = {0x40, [19] = 0x04};
    mpavs_evm_authorization au2[2];
    au2[0] = au;
    au2[1] = au;
    memcpy(au2[1].authority, FRESH, 20);
    w.tx.auths = au2;
    w.tx.n_auths = 2;
    w.tx.nonce = 1;
    run(&w);
    CHECK_EQ_INT(w.r, MPAVS_EVM_OK);
    CHECK(account_of(&w, &a, AUTHORITY));
    CHECK_EQ_INT(a.nonce, 1);
    CHECK(account_of(&w, &a, FRESH));
    CHECK_EQ_INT(a.nonce, 1);
    CHECK_EQ_INT(w.res.gas_refunded, 0);
    world_free(&w);
}

/* Fork schedule: the latest fork whose block and time have both been reached. */
TEST(fork_schedule) {
    mpavs_evm_schedule s;
    memset(&s, 0, sizeof s);
    s.active[MPAVS_EVM_CANCUN] = s.active[MPAVS_EVM_PRAGUE] = true;
    s.time[MPAVS_EVM_CANCUN] = 100;
    s.time[MPAVS_EVM_PRAGUE] = 200;
    mpavs_evm_fork f;
    CHECK_EQ_INT(mpavs_evm_fork_at(&f, &s, 5, 99), MPAVS_EVM_ERR_FORK);
    CHECK_EQ_INT(mpavs_evm_fork_at(&f, &s, 5, 100), MPAVS_EVM_OK);
    CHECK_EQ_INT(f, MPAVS_EVM_CANCUN);
    CHECK_EQ_INT(mpavs_evm_fork_at(&f, &s, 5, 200), MPAVS_EVM_OK);
    CHECK_EQ_INT(f, MPAVS_EVM_PRAGUE);
    CHECK_EQ_INT(mpavs_evm_fork_parse(&f, "osaka"), MPAVS_EVM_OK);
    CHECK_EQ_INT(f, MPAVS_EVM_OSAKA);
}

/* Blob base fee (EIP-4844 fake exponential): 1 at zero excess; with excess = fraction the fee
 * is floor(e) = 2 (Cancun fraction 3338477). */
TEST(blob_base_fee) {
    mpavs_u256 fee;
    mpavs_evm_blob_base_fee(&fee, MPAVS_EVM_CANCUN, 0);
    CHECK(fee.w[0] == 1);
    mpavs_evm_blob_base_fee(&fee, MPAVS_EVM_CANCUN, 3338477);
    CHECK(fee.w[0] == 2);
    mpavs_evm_blob_base_fee(&fee, MPAVS_EVM_PRAGUE, 3338477);
    CHECK(fee.w[0] == 1);
}

int main(void) {
    RUN(intrinsic_gas_and_floor);
    RUN(calldata_floor_prague);
    RUN(memory_expansion);
    RUN(sstore_set_reset_refund);
    RUN(sstore_stipend_guard);
    RUN(call_value_new_account);
    RUN(call_63_64);
    RUN(exp_cost);
    RUN(unsupported_precompile_propagates);
    RUN(create_ef_prefix_rejected);
    RUN(selfdestruct_6780_keeps_old_contract);
    RUN(transient_storage_reverted);
    RUN(clz_osaka_only);
    RUN(osaka_tx_gas_cap);
    RUN(eip7702_delegation);
    RUN(fork_schedule);
    RUN(blob_base_fee);
    return harness_summary();
}
