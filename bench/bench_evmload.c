/*
 * bench/bench_evmload.c — EVM throughput (Mgas/s) on three synthetic workloads, run through
 * mpavs_evm_execute_tx and, in the same run, through @ethereumjs/vm (bench/evm_ethereumjs.cjs):
 *   erc20-transfer: a token contract written here (balances mapping at slot 0, transfer(to, amount)
 *                   with SLOAD/SSTORE and a LOG3 Transfer event) and thousands of transfers between
 *                   2000 holders, a fifth to fresh accounts, one in sixteen moving a whole balance;
 *   storage-heavy:  a contract that SSTOREs (key, value) pairs from its calldata: transactions of
 *                   40 fresh slots, 40 overwrites or 40 deletions of a pre-filled 2000-slot storage;
 *   compute-loop:   a loop of MUL, ADD, SHR, XOR, MULMOD and stack operations (no state access).
 * Both engines execute the same bytecode, pre-state and EIP-1559 transactions (Cancun rules, sender
 * given: no signature recovery on either side); the gas totals and the state roots after the
 * workload are compared and a mismatch is flagged. Timed: the loop of transactions only (not the
 * pre-state, the commit or the root); Mgas/s are per CPU second (the machine may be shared: mpavs
 * the thread's CPU time, ethereumjs the process's, which includes node's GC and JIT threads), the
 * wall time is printed too. Prints medians (mpavs 5 runs, ethereumjs 3 after a warm-up) and
 * the ratio mpavs/ethereumjs, and the issue #12 target of 300 Mgas/s on compute. Never fails.
 *
 * @ethereumjs/vm is looked up in $MPAVS_ETHEREUMJS, else .tools/ethereumjs (scripts/setup installs
 * it there); when absent the bench prints "ethereumjs: not installed" and goes on.
 */
#include "evmload_asm.c"

#include "mpavs/evm.h"
#include "mpavs/keccak.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { RUNS = 5, EJS_RUNS = 3 }; /* mpavs runs are milliseconds: 5 of them */
#define BLOCK_GAS_LIMIT 60000000ull
#define BASE_FEE 7u
#define MAX_FEE 10u
#define PRIO_FEE 2u
#define EOA_BALANCE 1000000000000000000ull /* 1 ether */

typedef struct {
    uint8_t addr[20];
    uint64_t nonce;
    uint64_t balance;
    const uint8_t *code;
    size_t code_len;
} wl_account;

typedef struct {
    size_t account; /* index into accounts */
    uint8_t key[32], value[32];
} wl_slot;

typedef struct {
    uint8_t from[20], to[20];
    uint64_t nonce, gas;
    uint8_t *data;
    size_t data_len;
} wl_tx;

typedef struct {
    const char *name;
    wl_account *acc;
    size_t n_acc, cap_acc;
    wl_slot *slots;
    size_t n_slots, cap_slots;
    wl_tx *txs;
    size_t n_tx, cap_tx;
    bool bad;
} workload;

typedef struct {
    uint64_t gas;
    size_t ok, failed, invalid;
    uint8_t root[32];
    double ms[RUNS], cpu_ms[RUNS]; /* wall and CPU time per run; the first EJS_RUNS for ethereumjs */
} wl_result;

static void *grow(void *p, size_t *cap, size_t n, size_t size, bool *bad) {
    if (n < *cap) return p;
    size_t c = *cap ? *cap * 2 : 64;
    void *q = realloc(p, c * size);
    if (!q) {
        *bad = true;
        return NULL;
    }
    *cap = c;
    return q;
}

static void wl_free(workload *w) {
    for (size_t i = 0; i < w->n_tx; i++) free(w->txs[i].data);
    free(w->acc), free(w->slots), free(w->txs);
    memset(w, 0, sizeof *w);
}

static void make_addr(uint8_t addr[20], uint8_t tag, uint32_t i) {
    memset(addr, 0, 20);
    addr[0] = tag;
    addr[16] = (uint8_t)(i >> 24), addr[17] = (uint8_t)(i >> 16), addr[18] = (uint8_t)(i >> 8), addr[19] = (uint8_t)i;
}

static void word_u64(uint8_t w[32], uint64_t v) {
    memset(w, 0, 32);
    for (int i = 0; i < 8; i++) w[31 - i] = (uint8_t)(v >> (8 * i));
}

static size_t add_account(workload *w, const uint8_t addr[20], uint64_t nonce, uint64_t balance, const uint8_t *code,
                          size_t code_len) {
    wl_account *a = grow(w->acc, &w->cap_acc, w->n_acc, sizeof *a, &w->bad);
    if (!a) return 0;
    w->acc = a;
    a += w->n_acc;
    memcpy(a->addr, addr, 20);
    a->nonce = nonce, a->balance = balance, a->code = code, a->code_len = code_len;
    return w->n_acc++;
}

static void add_slot(workload *w, size_t account, const uint8_t key[32], const uint8_t value[32]) {
    wl_slot *s = grow(w->slots, &w->cap_slots, w->n_slots, sizeof *s, &w->bad);
    if (!s) return;
    w->slots = s;
    s += w->n_slots++;
    s->account = account;
    memcpy(s->key, key, 32), memcpy(s->value, value, 32);
}

/* Appends a transaction; takes data (malloc'd) even on failure. */
static void add_tx(workload *w, const uint8_t from[20], uint64_t nonce, const uint8_t to[20], uint64_t gas, uint8_t *data,
                   size_t data_len) {
    wl_tx *t = grow(w->txs, &w->cap_tx, w->n_tx, sizeof *t, &w->bad);
    if (!t || !data) {
        free(data);
        w->bad = true;
        return;
    }
    w->txs = t;
    t += w->n_tx++;
    memcpy(t->from, from, 20), memcpy(t->to, to, 20);
    t->nonce = nonce, t->gas = gas, t->data = data, t->data_len = data_len;
}

/* ------------------------------------------------------------------------------------------ */
/* Contracts                                                                                    */

enum { L_REVERT, L_LOOP, L_END };

/* transfer(address to, uint256 amount) -> bool over balances at keccak256(pad(addr) . pad(0)). */
static bool token_code(asm_buf *a) {
    static const uint8_t SELECTOR[4] = {0xa9, 0x05, 0x9c, 0xbb};
    static const uint8_t TRANSFER_TOPIC[32] = {0xdd, 0xf2, 0x52, 0xad, 0x1b, 0xe2, 0xc8, 0x9b, 0x69, 0xc2, 0xb0,
                                               0x68, 0xfc, 0x37, 0x8d, 0xaa, 0x95, 0x2b, 0xa7, 0xf1, 0x63, 0xc4,
                                               0xa1, 0x16, 0x28, 0xf5, 0x5a, 0x4d, 0xf5, 0x23, 0xb3, 0xef};
    uint8_t mask[20];
    memset(mask, 0xff, sizeof mask);
    memset(a, 0, sizeof *a);
    asm_op(a, OP_CALLVALUE), asm_push_label(a, L_REVERT), asm_op(a, OP_JUMPI);          /* nonpayable */
    asm_push(a, 68), asm_op(a, OP_CALLDATASIZE), asm_op(a, OP_LT);                       /* size < 68 */
    asm_push_label(a, L_REVERT), asm_op(a, OP_JUMPI);
    asm_push(a, 0), asm_op(a, OP_CALLDATALOAD), asm_push(a, 224), asm_op(a, OP_SHR);     /* selector */
    asm_push_bytes(a, SELECTOR, 4), asm_op(a, OP_EQ), asm_op(a, OP_ISZERO);
    asm_push_label(a, L_REVERT), asm_op(a, OP_JUMPI);
    asm_push(a, 4), asm_op(a, OP_CALLDATALOAD), asm_push_bytes(a, mask, 20), asm_op(a, OP_AND); /* to */
    asm_push(a, 36), asm_op(a, OP_CALLDATALOAD);                                          /* to amt */
    asm_op(a, OP_CALLER), asm_push(a, 0), asm_op(a, OP_MSTORE);
    asm_push(a, 64), asm_push(a, 0), asm_op(a, OP_SHA3);                                 /* to amt kf */
    asm_op(a, OP_DUP1), asm_op(a, OP_SLOAD);                                              /* to amt kf bf */
    asm_op(a, OP_DUP1), asm_op(a, OP_DUP1 + 3), asm_op(a, OP_GT);                         /* amt > bf */
    asm_push_label(a, L_REVERT), asm_op(a, OP_JUMPI);
    asm_op(a, OP_DUP1 + 2), asm_op(a, OP_SWAP1), asm_op(a, OP_SUB);                        /* to amt kf bf-amt */
    asm_op(a, OP_SWAP1), asm_op(a, OP_SSTORE);                                            /* to amt */
    asm_op(a, OP_DUP1 + 1), asm_push(a, 0), asm_op(a, OP_MSTORE);
    asm_push(a, 64), asm_push(a, 0), asm_op(a, OP_SHA3);                                 /* to amt kt */
    asm_op(a, OP_DUP1), asm_op(a, OP_SLOAD), asm_op(a, OP_DUP1 + 2), asm_op(a, OP_ADD);   /* to amt kt bt+amt */
    asm_op(a, OP_SWAP1), asm_op(a, OP_SSTORE);                                            /* to amt */
    asm_push(a, 0), asm_op(a, OP_MSTORE);                                                 /* to; mem[0] = amt */
    asm_op(a, OP_CALLER), asm_push_bytes(a, TRANSFER_TOPIC, 32), asm_push(a, 32), asm_push(a, 0);
    asm_op(a, OP_LOG3);
    asm_push(a, 1), asm_push(a, 0), asm_op(a, OP_MSTORE), asm_push(a, 32), asm_push(a, 0), asm_op(a, OP_RETURN);
    asm_label(a, L_REVERT);
    asm_push(a, 0), asm_push(a, 0), asm_op(a, OP_REVERT);
    return asm_finish(a);
}

/* for (off = 0; off < calldatasize; off += 64) sstore(calldata[off], calldata[off + 32]) */
static bool store_code(asm_buf *a) {
    memset(a, 0, sizeof *a);
    asm_push(a, 0);
    asm_label(a, L_LOOP);
    asm_op(a, OP_DUP1), asm_op(a, OP_CALLDATASIZE), asm_op(a, OP_GT), asm_op(a, OP_ISZERO);
    asm_push_label(a, L_END), asm_op(a, OP_JUMPI);
    asm_op(a, OP_DUP1), asm_push(a, 32), asm_op(a, OP_ADD), asm_op(a, OP_CALLDATALOAD); /* off value */
    asm_op(a, OP_DUP1 + 1), asm_op(a, OP_CALLDATALOAD), asm_op(a, OP_SSTORE);          /* off */
    asm_push(a, 64), asm_op(a, OP_ADD), asm_push_label(a, L_LOOP), asm_op(a, OP_JUMP);
    asm_label(a, L_END);
    asm_op(a, OP_STOP);
    return asm_finish(a);
}

/* x = 1; for (i = calldata[0]; i; i--) { y = x * C + i; y ^= y >> 7; x = y + y * y mod P } return x */
static bool loop_code(asm_buf *a) {
    static const uint8_t C[8] = {0x9e, 0x37, 0x79, 0xb9, 0x7f, 0x4a, 0x7c, 0x15};
    uint8_t p[32];
    memset(p, 0xff, sizeof p);
    p[31] = 0x43; /* an odd 256-bit modulus */
    memset(a, 0, sizeof *a);
    asm_push(a, 1), asm_push(a, 0), asm_op(a, OP_CALLDATALOAD);                  /* x i */
    asm_label(a, L_LOOP);
    asm_op(a, OP_SWAP1), asm_push_bytes(a, C, 8), asm_op(a, OP_MUL);              /* i x*C */
    asm_op(a, OP_DUP1 + 1), asm_op(a, OP_ADD);                                   /* i y */
    asm_op(a, OP_DUP1), asm_push(a, 7), asm_op(a, OP_SHR), asm_op(a, OP_XOR);     /* i y' */
    asm_push_bytes(a, p, 32), asm_op(a, OP_DUP1 + 1), asm_op(a, OP_DUP1), asm_op(a, OP_MULMOD);
    asm_op(a, OP_ADD), asm_op(a, OP_SWAP1);                                      /* x i */
    asm_push(a, 1), asm_op(a, OP_SWAP1), asm_op(a, OP_SUB);                       /* x i-1 */
    asm_op(a, OP_DUP1), asm_push_label(a, L_LOOP), asm_op(a, OP_JUMPI);
    asm_op(a, OP_POP), asm_push(a, 0), asm_op(a, OP_MSTORE), asm_push(a, 32), asm_push(a, 0), asm_op(a, OP_RETURN);
    return asm_finish(a);
}

/* ------------------------------------------------------------------------------------------ */
/* Workloads                                                                                    */

static asm_buf TOKEN, STORE, LOOP; /* code buffers (read-only once built) */

/* Per unit of scale; scale 1 is sized so that @ethereumjs/vm (5-15 Mgas/s) takes about a second per
 * run: ~15 M gas each. The mpavs-only pass runs scale 8 (a few 100 M gas). */
enum { HOLDERS = 2000, TRANSFERS = 400, PREFILLED = 1000, STORE_TXS = 36, PAIRS = 40, LOOP_TXS = 3, BIG_SCALE = 8 };
#define LOOP_ITERATIONS 60000u

static void balance_key(uint8_t key[32], const uint8_t addr[20]) {
    uint8_t buf[64];
    memset(buf, 0, sizeof buf);
    memcpy(buf + 12, addr, 20);
    mpavs_keccak256(key, buf, sizeof buf);
}

static void erc20_workload(workload *w, unsigned scale) {
    static uint64_t bal[HOLDERS], nonce[HOLDERS];
    memset(w, 0, sizeof *w);
    w->name = "erc20-transfer";
    uint8_t token[20], holder[20], to[20], key[32], val[32];
    make_addr(token, 0x70, 1);
    size_t t = add_account(w, token, 1, 0, TOKEN.code, TOKEN.len);
    for (uint32_t i = 0; i < HOLDERS; i++) {
        make_addr(holder, 0x10, i);
        add_account(w, holder, 0, EOA_BALANCE, NULL, 0);
        bal[i] = 1000000 + i, nonce[i] = 0;
        balance_key(key, holder);
        word_u64(val, bal[i]);
        add_slot(w, t, key, val);
    }
    for (uint32_t k = 0; k < TRANSFERS * scale; k++) {
        uint32_t s = (uint32_t)(((uint64_t)k * 7919) % HOLDERS);
        while (bal[s] == 0) s = (s + 1) % HOLDERS;
        uint64_t amount = k % 16 == 0 ? bal[s] : bal[s] / 8 + 1;
        if (k % 5 == 0) {
            make_addr(to, 0x20, k); /* a fresh account */
        } else {
            uint32_t r = (uint32_t)(((uint64_t)k * 104729 + 13) % HOLDERS);
            if (r == s) r = (r + 1) % HOLDERS;
            make_addr(to, 0x10, r);
            bal[r] += amount;
        }
        bal[s] -= amount;
        uint8_t *data = malloc(68);
        if (data) {
            static const uint8_t SEL[4] = {0xa9, 0x05, 0x9c, 0xbb};
            memcpy(data, SEL, 4);
            memset(data + 4, 0, 12);
            memcpy(data + 16, to, 20);
            word_u64(data + 36, amount);
        }
        make_addr(holder, 0x10, s);
        add_tx(w, holder, nonce[s]++, token, 100000, data, 68);
    }
}

static void storage_workload(workload *w, unsigned scale) {
    memset(w, 0, sizeof *w);
    w->name = "storage-heavy";
    uint8_t store[20], sender[20], key[32], val[32];
    make_addr(store, 0x50, 1);
    size_t c = add_account(w, store, 1, 0, STORE.code, STORE.len);
    for (uint32_t i = 0; i < 8; i++) make_addr(sender, 0x30, i), add_account(w, sender, 0, EOA_BALANCE, NULL, 0);
    for (uint32_t i = 1; i <= PREFILLED * scale; i++) word_u64(key, i), word_u64(val, 31ull * i + 7), add_slot(w, c, key, val);
    uint64_t fresh = PREFILLED * scale + 1, overwrite = 1, del = PREFILLED * scale; /* overwrites from the bottom, deletions from the top */
    for (uint32_t k = 0; k < STORE_TXS * scale; k++) {
        uint8_t *data = malloc(PAIRS * 64);
        for (uint32_t j = 0; data && j < PAIRS; j++) {
            uint64_t slot, value;
            switch (k % 3) {
            case 0: slot = fresh++, value = slot * 3 + 1; break;
            case 1: slot = overwrite++, value = slot * 5 + 2; break;
            default: slot = del--, value = 0; break;
            }
            word_u64(data + 64 * j, slot);
            word_u64(data + 64 * j + 32, value);
        }
        make_addr(sender, 0x30, k % 8);
        add_tx(w, sender, k / 8, store, 1500000, data, PAIRS * 64);
    }
}

static void compute_workload(workload *w, unsigned scale) {
    memset(w, 0, sizeof *w);
    w->name = "compute-loop";
    uint8_t loop[20], sender[20];
    make_addr(loop, 0x60, 1);
    add_account(w, loop, 1, 0, LOOP.code, LOOP.len);
    for (uint32_t i = 0; i < 4; i++) make_addr(sender, 0x40, i), add_account(w, sender, 0, EOA_BALANCE, NULL, 0);
    for (uint32_t k = 0; k < LOOP_TXS * scale; k++) {
        uint8_t *data = malloc(32);
        if (data) word_u64(data, LOOP_ITERATIONS + k);
        make_addr(sender, 0x40, k % 4);
        add_tx(w, sender, k / 4, loop, 6000000, data, 32);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* mpavs                                                                                        */

static void set_block(mpavs_evm_block *blk) {
    memset(blk, 0, sizeof *blk);
    blk->fork = MPAVS_EVM_CANCUN;
    make_addr(blk->coinbase, 0xc0, 1);
    blk->number = 1, blk->timestamp = 1000, blk->gas_limit = BLOCK_GAS_LIMIT, blk->chain_id = 1;
    blk->base_fee = mpavs_u256_from_u64(BASE_FEE);
    mpavs_evm_blob_base_fee(&blk->blob_base_fee, MPAVS_EVM_CANCUN, 0);
}

static double now_ms(clockid_t clock) {
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* One run on a fresh in-memory pre-state. Returns false when the engine failed (not a tx outcome). */
static bool mpavs_once(wl_result *res, double *ms, double *cpu_ms, const workload *w) {
    bool ok = false;
    mpavs_evm_memstate *m = mpavs_evm_memstate_create();
    mpavs_evm_state *st = NULL;
    if (!m) return false;
    for (size_t i = 0; i < w->n_acc; i++) {
        mpavs_u256 b = mpavs_u256_from_u64(w->acc[i].balance);
        if (mpavs_evm_memstate_set_account(m, w->acc[i].addr, w->acc[i].nonce, &b, w->acc[i].code, w->acc[i].code_len))
            goto out;
    }
    for (size_t i = 0; i < w->n_slots; i++)
        if (mpavs_evm_memstate_set_storage(m, w->acc[w->slots[i].account].addr, w->slots[i].key, w->slots[i].value)) goto out;
    mpavs_evm_source src;
    mpavs_evm_memstate_source(&src, m);
    if (!(st = mpavs_evm_state_create(&src))) goto out;
    mpavs_evm_block blk;
    set_block(&blk);
    res->gas = 0, res->ok = res->failed = res->invalid = 0;
    double t0 = now_ms(CLOCK_MONOTONIC), c0 = now_ms(CLOCK_THREAD_CPUTIME_ID);
    for (size_t i = 0; i < w->n_tx; i++) {
        const wl_tx *t = &w->txs[i];
        mpavs_evm_tx tx;
        memset(&tx, 0, sizeof tx);
        tx.type = 2;
        memcpy(tx.sender, t->from, 20), memcpy(tx.to, t->to, 20);
        tx.nonce = t->nonce, tx.gas_limit = t->gas;
        tx.max_fee = mpavs_u256_from_u64(MAX_FEE), tx.max_priority_fee = mpavs_u256_from_u64(PRIO_FEE);
        tx.data = t->data, tx.data_len = t->data_len;
        mpavs_evm_tx_result r;
        int e = mpavs_evm_execute_tx(st, &r, &blk, &tx);
        if (e >= MPAVS_EVM_ERR_TX_TYPE) {
            res->invalid++;
        } else if (e) {
            mpavs_evm_tx_result_clear(&r);
            goto out;
        } else {
            res->gas += r.gas_used;
            if (r.status == MPAVS_EVM_STATUS_SUCCESS) res->ok++;
            else res->failed++;
        }
        mpavs_evm_tx_result_clear(&r);
    }
    *cpu_ms = now_ms(CLOCK_THREAD_CPUTIME_ID) - c0;
    *ms = now_ms(CLOCK_MONOTONIC) - t0;
    mpavs_evm_sink sink;
    mpavs_evm_memstate_sink(&sink, m);
    ok = mpavs_evm_state_commit(st, &sink) == MPAVS_EVM_OK && mpavs_evm_memstate_root(res->root, m) == MPAVS_EVM_OK;
out:
    mpavs_evm_state_destroy(st);
    mpavs_evm_memstate_destroy(m);
    return ok;
}

/* ------------------------------------------------------------------------------------------ */
/* ethereumjs                                                                                   */

static void put_hex(FILE *f, const uint8_t *b, size_t n) {
    fputs("\"0x", f);
    for (size_t i = 0; i < n; i++) fprintf(f, "%02x", b[i]);
    fputc('"', f);
}

static bool write_json(const workload *w, const char *path) {
    FILE *f = fopen(path, "w");
    if (!f) return false;
    uint8_t cb[20];
    make_addr(cb, 0xc0, 1);
    fprintf(f, "{\"block\":{\"number\":1,\"timestamp\":1000,\"gasLimit\":%llu,\"baseFee\":%u,\"coinbase\":",
            (unsigned long long)BLOCK_GAS_LIMIT, BASE_FEE);
    put_hex(f, cb, 20);
    fputs("},\n\"accounts\":[", f);
    for (size_t i = 0; i < w->n_acc; i++) {
        fprintf(f, "%s{\"address\":", i ? ",\n" : "");
        put_hex(f, w->acc[i].addr, 20);
        fprintf(f, ",\"nonce\":%llu,\"balance\":\"%llu\",\"code\":", (unsigned long long)w->acc[i].nonce,
                (unsigned long long)w->acc[i].balance);
        put_hex(f, w->acc[i].code, w->acc[i].code_len);
        fputs(",\"storage\":[", f);
        bool first = true;
        for (size_t s = 0; s < w->n_slots; s++) { /* slots are few accounts' */
            if (w->slots[s].account != i) continue;
            fputs(first ? "[" : ",[", f);
            put_hex(f, w->slots[s].key, 32);
            fputc(',', f);
            put_hex(f, w->slots[s].value, 32);
            fputc(']', f);
            first = false;
        }
        fputs("]}", f);
    }
    fputs("],\n\"txs\":[", f);
    for (size_t i = 0; i < w->n_tx; i++) {
        const wl_tx *t = &w->txs[i];
        fprintf(f, "%s{\"from\":", i ? ",\n" : "");
        put_hex(f, t->from, 20);
        fputs(",\"to\":", f);
        put_hex(f, t->to, 20);
        fprintf(f, ",\"nonce\":%llu,\"gas\":%llu,\"maxFee\":%u,\"prio\":%u,\"value\":0,\"data\":", (unsigned long long)t->nonce,
                (unsigned long long)t->gas, MAX_FEE, PRIO_FEE);
        put_hex(f, t->data, t->data_len);
        fputc('}', f);
    }
    fputs("]}\n", f);
    return fclose(f) == 0;
}

/* Runs the workload through bench/evm_ethereumjs.cjs. Returns false and prints why when it cannot. */
static bool ethereumjs_run(wl_result *res, char version[32], const workload *w, const char *root,
                           const char *ejs_dir) {
    char path[64] = "/tmp/mpavs-evmload-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        printf("  ethereumjs: cannot create a temporary file\n");
        return false;
    }
    close(fd);
    bool ok = false;
    if (!write_json(w, path)) {
        printf("  ethereumjs: cannot write %s\n", path);
        goto out;
    }
    char cmd[8400];
    snprintf(cmd, sizeof cmd, "node '%s/bench/evm_ethereumjs.cjs' '%s' '%s' %d 2>&1", root, ejs_dir, path, EJS_RUNS);
    FILE *p = popen(cmd, "r");
    if (!p) {
        printf("  ethereumjs: cannot run node\n");
        goto out;
    }
    char line[1024], last[1024] = "";
    while (fgets(line, sizeof line, p)) snprintf(last, sizeof last, "%s", line);
    pclose(p);
    last[strcspn(last, "\n")] = 0;
    unsigned long long gas;
    char rooth[80], ms[256], cpu[256];
    if (sscanf(last, "ethereumjs version=%31s gas=%llu ok=%zu failed=%zu invalid=%zu root=%79s ms=%255s cpu=%255s", version,
               &gas, &res->ok, &res->failed, &res->invalid, rooth, ms, cpu) != 8 ||
        strlen(rooth) != 66) {
        printf("  %s\n", last[0] ? last : "ethereumjs: no output (is node installed?)");
        goto out;
    }
    res->gas = gas;
    for (int i = 0; i < 32; i++) {
        unsigned b;
        if (sscanf(rooth + 2 + 2 * i, "%2x", &b) != 1) goto out;
        res->root[i] = (uint8_t)b;
    }
    char *s = ms, *c = cpu;
    for (int i = 0; i < EJS_RUNS; i++) {
        res->ms[i] = strtod(s, &s);
        res->cpu_ms[i] = strtod(c, &c);
        if (*s == ',') s++;
        if (*c == ',') c++;
    }
    ok = true;
out:
    unlink(path);
    return ok;
}

/* ------------------------------------------------------------------------------------------ */

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median_ms(double *ms, int n) {
    qsort(ms, (size_t)n, sizeof *ms, cmp_double);
    return ms[n / 2];
}

static void bench_workload(workload *w, const char *root, const char *ejs_dir) {
    if (w->bad) {
        printf("%-15s workload could not be built (out of memory)\n", w->name);
        return;
    }
    wl_result m;
    memset(&m, 0, sizeof m);
    for (int i = 0; i < RUNS; i++)
        if (!mpavs_once(&m, &m.ms[i], &m.cpu_ms[i], w)) {
            printf("%-15s mpavs engine failure\n", w->name);
            return;
        }
    double mms = median_ms(m.ms, RUNS), mcpu = median_ms(m.cpu_ms, RUNS);
    double mmgas = mcpu > 0 ? (double)m.gas / mcpu / 1e3 : 0;
    printf("%-15s %5zu txs (%zu ok, %zu failed, %zu invalid), %llu gas: mpavs %.1f Mgas/s, %.2f ms CPU (median of %d; "
           "min %.2f, max %.2f); wall %.2f ms (%.1f Mgas/s)\n",
           w->name, w->n_tx, m.ok, m.failed, m.invalid, (unsigned long long)m.gas, mmgas, mcpu, RUNS, m.cpu_ms[0],
           m.cpu_ms[RUNS - 1], mms, mms > 0 ? (double)m.gas / mms / 1e3 : 0.0);
    if (strcmp(w->name, "compute-loop") == 0)
        printf("  target >= 300 Mgas/s on compute (issue #12): %.2fx of target\n", mmgas / 300.0);
    if (!ejs_dir) return;
    wl_result e;
    memset(&e, 0, sizeof e);
    char version[32] = "?";
    if (!ethereumjs_run(&e, version, w, root, ejs_dir)) return;
    double ems = median_ms(e.ms, EJS_RUNS), ecpu = median_ms(e.cpu_ms, EJS_RUNS);
    double emgas = ecpu > 0 ? (double)e.gas / ecpu / 1e3 : 0;
    bool same_gas = e.gas == m.gas && e.ok == m.ok && e.failed == m.failed && e.invalid == m.invalid;
    bool same_root = memcmp(e.root, m.root, 32) == 0;
    printf("  ethereumjs %s: %.2f Mgas/s, %.1f ms CPU (median of %d; wall %.1f ms); gas %llu (%s), state root %s; "
           "mpavs/ethereumjs %.0fx\n",
           version, emgas, ecpu, EJS_RUNS, ems, (unsigned long long)e.gas,
           same_gas ? "same" : "MISMATCH with mpavs", same_root ? "same" : "MISMATCH", emgas > 0 ? mmgas / emgas : 0.0);
    if (!same_gas)
        printf("  MISMATCH: ethereumjs %zu ok, %zu failed, %zu invalid, %llu gas; mpavs %zu ok, %zu failed, %zu invalid, "
               "%llu gas\n",
               e.ok, e.failed, e.invalid, (unsigned long long)e.gas, m.ok, m.failed, m.invalid, (unsigned long long)m.gas);
}

/* Published figures of other EVMs (not measured here: there is no network at bench time). No
 * Mgas/s figure of evmone's interpreter was found; evm-bench's times give ratios to ethereumjs. */
static void print_references(void) {
    printf("published reference figures (other machines, workloads and versions; not measured here):\n"
           "  evmone: no published Mgas/s figure found. evm-bench (github.com/ziyadedher/evm-bench README, evmone vs\n"
           "          ethereumjs, Solidity contracts): erc20.transfer 8.6 ms vs 3.656 s (ethereumjs/evmone 425x),\n"
           "          snailtracer 43 ms vs 135.1 s (3141x), whole suite 66 ms vs 146.3 s (2217x)\n"
           "  revm:   same evm-bench table: erc20.transfer 11.6 ms (ethereumjs/revm 315x), suite 84.8 ms (1.285x evmone)\n"
           "  revm:   Reth ~1.2 Ggas/s in a pure-execution setting (state preloaded, senders recovered, no state root;\n"
           "          16-core PC): Po, Qi Zhou, \"Achieving 10GigaGas/s EVM Execution with BAL and\n"
           "          Parallel Execution\", ethresear.ch/t/23632, which also cites Base's benchmarks: ~600 Mgas/s for\n"
           "          modern clients on commodity hardware\n"
           "  (compare the ratios mpavs/ethereumjs above with ethereumjs/evmone and ethereumjs/revm here)\n");
}

int main(void) {
    const char *root = getenv("MPAVS_ROOT");
    if (!root) root = ".";
    if (!token_code(&TOKEN) || !store_code(&STORE) || !loop_code(&LOOP)) {
        printf("bench_evmload: assembling the contracts failed\n");
        return 0;
    }
    char dir[4200], probe[4300];
    const char *env = getenv("MPAVS_ETHEREUMJS");
    snprintf(dir, sizeof dir, "%s", env && *env ? env : "");
    if (!dir[0]) snprintf(dir, sizeof dir, "%s/.tools/ethereumjs", root);
    snprintf(probe, sizeof probe, "%s/node_modules/@ethereumjs/vm/package.json", dir);
    const char *ejs_dir = access(probe, R_OK) == 0 ? dir : NULL;
    printf("bench_evmload: mpavs_evm_execute_tx vs @ethereumjs/vm runTx, Cancun, same bytecode and transactions%s\n",
           ejs_dir ? "" : "\n  ethereumjs: not installed (scripts/setup installs it into .tools/ethereumjs)");
    void (*const build[])(workload *, unsigned) = {erc20_workload, storage_workload, compute_workload};
    for (size_t i = 0; i < sizeof build / sizeof build[0]; i++) {
        workload w;
        build[i](&w, 1);
        bench_workload(&w, root, ejs_dir);
        wl_free(&w);
    }
    printf("the same workloads x%d, mpavs only (one block state over all transactions):\n", BIG_SCALE);
    for (size_t i = 0; i < sizeof build / sizeof build[0]; i++) {
        workload w;
        build[i](&w, BIG_SCALE);
        bench_workload(&w, root, NULL);
        wl_free(&w);
    }
    print_references();
    return 0;
}
