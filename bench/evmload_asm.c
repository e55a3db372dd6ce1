/*
 * bench/evmload_asm.c — a tiny EVM assembler for the bench workloads (bench/bench_evmload.c):
 * opcodes, minimal pushes, labels (JUMPDEST) and forward/backward jumps through PUSH2 fixups.
 * Included by the bench (the bench link rule links only the libraries). Fixed capacity; an
 * overflow or an unknown label marks the buffer bad (asm_finish returns false).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

enum {
    OP_STOP = 0x00, OP_ADD = 0x01, OP_MUL = 0x02, OP_SUB = 0x03, OP_MULMOD = 0x09, OP_LT = 0x10,
    OP_GT = 0x11, OP_EQ = 0x14, OP_ISZERO = 0x15, OP_AND = 0x16, OP_XOR = 0x18, OP_SHR = 0x1c,
    OP_SHA3 = 0x20, OP_CALLER = 0x33, OP_CALLVALUE = 0x34, OP_CALLDATALOAD = 0x35, OP_CALLDATASIZE = 0x36,
    OP_POP = 0x50, OP_MSTORE = 0x52, OP_SLOAD = 0x54, OP_SSTORE = 0x55, OP_JUMP = 0x56, OP_JUMPI = 0x57,
    OP_JUMPDEST = 0x5b, OP_PUSH0 = 0x5f, OP_PUSH1 = 0x60, OP_DUP1 = 0x80, OP_SWAP1 = 0x90, OP_LOG3 = 0xa3,
    OP_RETURN = 0xf3, OP_REVERT = 0xfd,
};

#define ASM_CAP 1024
#define ASM_LABELS 8
#define ASM_FIXUPS 32

typedef struct {
    uint8_t code[ASM_CAP];
    size_t len;
    size_t label_at[ASM_LABELS]; /* offset + 1; 0 = not placed */
    size_t fix_at[ASM_FIXUPS];
    int fix_label[ASM_FIXUPS];
    size_t n_fix;
    bool bad;
} asm_buf;

static void asm_byte(asm_buf *a, uint8_t b) {
    if (a->len >= ASM_CAP) {
        a->bad = true;
        return;
    }
    a->code[a->len++] = b;
}

/* One opcode; DUPn and SWAPn as OP_DUP1 + n - 1. */
static void asm_op(asm_buf *a, uint8_t op) { asm_byte(a, op); }

/* PUSHn of n big-endian bytes (1 <= n <= 32). */
static void asm_push_bytes(asm_buf *a, const uint8_t *b, size_t n) {
    if (n < 1 || n > 32) {
        a->bad = true;
        return;
    }
    asm_byte(a, (uint8_t)(OP_PUSH1 + n - 1));
    for (size_t i = 0; i < n; i++) asm_byte(a, b[i]);
}

/* The shortest push of v (PUSH0 for zero). */
static void asm_push(asm_buf *a, uint64_t v) {
    if (v == 0) {
        asm_op(a, OP_PUSH0);
        return;
    }
    uint8_t b[8];
    size_t n = 0;
    for (int s = 56; s >= 0; s -= 8)
        if (n || (v >> s) & 0xff) b[n++] = (uint8_t)(v >> s);
    asm_push_bytes(a, b, n);
}

/* Place label l here (emits JUMPDEST). */
static void asm_label(asm_buf *a, int l) {
    if (l < 0 || l >= ASM_LABELS || a->label_at[l]) {
        a->bad = true;
        return;
    }
    a->label_at[l] = a->len + 1;
    asm_op(a, OP_JUMPDEST);
}

/* PUSH2 of label l's offset (resolved by asm_finish). */
static void asm_push_label(asm_buf *a, int l) {
    if (a->n_fix >= ASM_FIXUPS || l < 0 || l >= ASM_LABELS) {
        a->bad = true;
        return;
    }
    a->fix_at[a->n_fix] = a->len + 1;
    a->fix_label[a->n_fix++] = l;
    const uint8_t zero[2] = {0, 0};
    asm_push_bytes(a, zero, 2);
}

/* Resolve the jumps. Returns false when the code overflowed or a label was never placed. */
static bool asm_finish(asm_buf *a) {
    for (size_t i = 0; i < a->n_fix && !a->bad; i++) {
        size_t at = a->label_at[a->fix_label[i]];
        if (!at) return false;
        a->code[a->fix_at[i]] = (uint8_t)((at - 1) >> 8);
        a->code[a->fix_at[i] + 1] = (uint8_t)(at - 1);
    }
    return !a->bad;
}
