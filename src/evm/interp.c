/* src/evm/interp.c — the bytecode interpreter: one frame, every opcode with its exact gas. */
#include "evm/arith.h"
#include "evm/interp.h"
#include "evm/precompile.h"

#include "mpavs/keccak.h"
#include "mpavs/rlp.h"

#include <stdlib.h>
#include <string.h>

#define G_WARM 100
#define G_COLD_ACCOUNT 2600
#define G_COLD_SLOAD 2100
#define G_SSTORE_SET 20000
#define G_SSTORE_RESET 5000
#define G_SSTORE_CLEAR_REFUND 4800
#define G_CALL_VALUE 9000
#define G_CALL_STIPEND 2300
#define G_NEW_ACCOUNT 25000
#define G_CREATE 32000
#define G_SELFDESTRUCT 5000
#define G_LOG 375
#define G_COPY 3
#define G_KECCAK_WORD 6
#define G_INITCODE_WORD 2

typedef struct {
    evm_ctx *ctx;
    const evm_msg *msg;
    int64_t gas;
    int64_t refund;
    uint8_t *mem;
    size_t mem_size; /* a multiple of 32 */
    size_t mem_cap;
    uint8_t *ret; /* return data of the last call */
    size_t ret_len;
    mpavs_u256 *stack;
    int sp;
    uint8_t *jumpdests; /* bitmap */
} frame;

/* ---- 256-bit helpers ---------------------------------------------------------------------- */

static inline mpavs_u256 u64v(uint64_t v) {
    mpavs_u256 r = {{v, 0, 0, 0}};
    return r;
}
static inline bool fits64(const mpavs_u256 *a) { return !(a->w[1] | a->w[2] | a->w[3]); }
static inline bool is_neg(const mpavs_u256 *a) { return a->w[3] >> 63; }
static inline bool is_zero(const mpavs_u256 *a) { return !(a->w[0] | a->w[1] | a->w[2] | a->w[3]); }

static void to_addr(uint8_t out[20], const mpavs_u256 *a) {
    uint8_t b[32];
    mpavs_u256_to_be32(b, a);
    memcpy(out, b + 12, 20);
}
static mpavs_u256 from_addr(const uint8_t a[20]) {
    uint8_t b[32] = {0};
    memcpy(b + 12, a, 20);
    return mpavs_u256_from_be32(b);
}

static void op_sdiv(mpavs_u256 *r, const mpavs_u256 *a, const mpavs_u256 *b, bool mod) {
    if (is_zero(b)) {
        *r = u64v(0);
        return;
    }
    bool na = is_neg(a), nb = is_neg(b);
    mpavs_u256 x = *a, y = *b, q, m;
    if (na) mpavs_u256_neg(&x, &x);
    if (nb) mpavs_u256_neg(&y, &y);
    ar_divmod(&q, &m, &x, &y);
    if (mod) {
        if (na) mpavs_u256_neg(&m, &m);
        *r = m;
    } else {
        if (na != nb) mpavs_u256_neg(&q, &q);
        *r = q;
    }
}

static void op_exp(mpavs_u256 *r, const mpavs_u256 *base, const mpavs_u256 *e) {
    mpavs_u256 acc = u64v(1), b = *base;
    unsigned bits = mpavs_u256_bits(e);
    for (unsigned i = 0; i < bits; i++) {
        if ((e->w[i / 64] >> (i % 64)) & 1) ar_mul(&acc, &acc, &b);
        if (i + 1 < bits) ar_mul(&b, &b, &b);
    }
    *r = acc;
}

static void op_signextend(mpavs_u256 *r, const mpavs_u256 *b, const mpavs_u256 *x) {
    *r = *x;
    if (!fits64(b) || b->w[0] >= 31) return;
    unsigned bit = (unsigned)b->w[0] * 8 + 7;
    bool set = mpavs_u256_bit(x, bit);
    for (unsigned w = 0; w < 4; w++) {
        for (unsigned i = 0; i < 64; i++) {
            unsigned pos = w * 64 + i;
            if (pos <= bit) continue;
            if (set)
                r->w[w] |= (uint64_t)1 << i;
            else
                r->w[w] &= ~((uint64_t)1 << i);
        }
    }
}

static int scmp(const mpavs_u256 *a, const mpavs_u256 *b) {
    bool na = is_neg(a), nb = is_neg(b);
    if (na != nb) return na ? -1 : 1;
    return mpavs_u256_cmp(a, b);
}

/* ---- gas and memory ----------------------------------------------------------------------- */

#define MEM_LIMIT ((uint64_t)1 << 32) /* far above what any gas limit can pay for */

static inline int64_t mem_cost(uint64_t words) { return (int64_t)(3 * words + words * words / 512); }

/* The end (offset + size) of a memory region, or UINT64_MAX when it cannot be paid for;
 * 0 when size is zero (no expansion). */
static uint64_t region_end(const mpavs_u256 *off, const mpavs_u256 *size) {
    if (is_zero(size)) return 0;
    if (!fits64(off) || !fits64(size) || off->w[0] > MEM_LIMIT || size->w[0] > MEM_LIMIT) return UINT64_MAX;
    return off->w[0] + size->w[0];
}

/* Gas to grow memory to cover end (0 if already covered); INT64_MAX if impossible. */
static int64_t expand_cost(const frame *f, uint64_t end) {
    if (end <= f->mem_size) return 0;
    if (end > MEM_LIMIT) return INT64_MAX;
    uint64_t words = (end + 31) / 32;
    return mem_cost(words) - mem_cost(f->mem_size / 32);
}

static bool grow(frame *f, uint64_t end) {
    if (end <= f->mem_size) return true;
    size_t nsize = (size_t)((end + 31) / 32 * 32);
    if (nsize > f->mem_cap) {
        size_t ncap = f->mem_cap ? f->mem_cap : 1024;
        while (ncap < nsize) ncap *= 2;
        uint8_t *nm = realloc(f->mem, ncap);
        if (!nm) {
            if (!f->ctx->fatal) f->ctx->fatal = MPAVS_EVM_ERR_NOMEM;
            return false;
        }
        f->mem = nm;
        f->mem_cap = ncap;
    }
    memset(f->mem + f->mem_size, 0, nsize - f->mem_size);
    f->mem_size = nsize;
    return true;
}

/* Charge extra + the expansion to end, then grow. False: out of gas (or no memory). */
static bool use_mem(frame *f, uint64_t end, int64_t extra) {
    int64_t c = expand_cost(f, end);
    if (c == INT64_MAX || extra > f->gas || c > f->gas - extra) return false;
    f->gas -= c + extra;
    return grow(f, end);
}

static inline uint64_t words_of(uint64_t n) { return (n + 31) / 32; }

/* Copy src[off..off+n) (zero beyond src_len) to dst. */
static void copy_padded(uint8_t *dst, const uint8_t *src, size_t src_len, const mpavs_u256 *off, size_t n) {
    if (!fits64(off) || off->w[0] >= src_len) {
        memset(dst, 0, n);
        return;
    }
    size_t o = (size_t)off->w[0], avail = src_len - o, k = avail < n ? avail : n;
    memcpy(dst, src + o, k);
    memset(dst + k, 0, n - k);
}

/* ---- account access ----------------------------------------------------------------------- */

/* Warm addr and return its access cost; NULL account on error. */
static evm_account *access_account(frame *f, const uint8_t addr[20], int64_t *cost) {
    evm_account *a = evm_state_account(f->ctx->st, addr);
    if (!a) return NULL;
    if (a->warm) {
        *cost = G_WARM;
    } else {
        *cost = G_COLD_ACCOUNT;
        if (!evm_mark_warm(f->ctx->st, a)) return NULL;
    }
    return a;
}

static void set_fatal(frame *f) {
    if (!f->ctx->fatal) f->ctx->fatal = f->ctx->st->err ? f->ctx->st->err : MPAVS_EVM_ERR_NOMEM;
}

static void analyse_jumpdests(uint8_t *bm, const uint8_t *code, size_t len) {
    for (size_t i = 0; i < len; i++) {
        uint8_t op = code[i];
        if (op == 0x5b)
            bm[i / 8] |= (uint8_t)(1u << (i % 8));
        else if (op >= 0x60 && op <= 0x7f)
            i += op - 0x5f;
    }
}

/* ---- calls and creates -------------------------------------------------------------------- */

static void set_return_data(frame *f, uint8_t *out, size_t len) {
    free(f->ret);
    f->ret = out;
    f->ret_len = len;
}

/* CREATE / CREATE2 after gas for the opcode, memory and initcode words has been charged.
 * Returns false on an exceptional halt of this frame. */
static bool do_create(frame *f, const mpavs_u256 *value, uint64_t off, uint64_t size, bool create2,
                      const mpavs_u256 *salt) {
    evm_ctx *ctx = f->ctx;
    const evm_msg *m = f->msg;
    if (size > EVM_MAX_INITCODE_SIZE) return false;
    int64_t child_gas = f->gas - f->gas / 64;
    f->gas -= child_gas;
    if (m->is_static) return false;
    set_return_data(f, NULL, 0);
    evm_account *self = evm_state_account(ctx->st, m->target);
    if (!self) goto fatal;
    mpavs_u256 *push = &f->stack[f->sp++];
    *push = u64v(0);
    if (mpavs_u256_cmp(&self->balance, value) < 0 || self->nonce == UINT64_MAX || m->depth + 1 > EVM_DEPTH_LIMIT) {
        f->gas += child_gas;
        return true;
    }
    const uint8_t *initcode = size ? f->mem + off : NULL;
    uint8_t addr[20], h[32];
    if (create2) {
        uint8_t buf[85], salt_b[32];
        buf[0] = 0xff;
        memcpy(buf + 1, m->target, 20);
        mpavs_u256_to_be32(salt_b, salt);
        memcpy(buf + 21, salt_b, 32);
        mpavs_keccak256(buf + 53, initcode ? initcode : (const uint8_t *)"", size);
        mpavs_keccak256(h, buf, 85);
    } else {
        uint8_t buf[40];
        mpavs_rlp_writer w;
        size_t mark, len;
        mpavs_rlp_writer_init(&w, buf, sizeof buf);
        mpavs_rlp_list_begin(&w, &mark);
        mpavs_rlp_put_bytes(&w, m->target, 20);
        mpavs_rlp_put_u64(&w, self->nonce);
        mpavs_rlp_list_end(&w, mark);
        if (mpavs_rlp_writer_finish(&w, &len) != MPAVS_RLP_OK) goto nomem;
        mpavs_keccak256(h, buf, len);
    }
    memcpy(addr, h + 12, 20);
    evm_account *na = evm_state_account(ctx->st, addr);
    if (!na || !evm_mark_warm(ctx->st, na)) goto fatal;
    if (evm_account_collides(ctx->st, na)) {
        if (!evm_set_nonce(ctx->st, self, self->nonce + 1)) goto fatal;
        return true;
    }
    if (!evm_set_nonce(ctx->st, self, self->nonce + 1)) goto fatal;
    /* the initcode must outlive memory changes: copy it */
    uint8_t *code = NULL;
    if (size) {
        code = malloc(size);
        if (!code) goto nomem;
        memcpy(code, initcode, size);
    }
    evm_msg cm;
    memset(&cm, 0, sizeof cm);
    memcpy(cm.caller, m->target, 20);
    memcpy(cm.target, addr, 20);
    memcpy(cm.code_address, addr, 20);
    cm.value = *value;
    cm.transfer_value = true;
    cm.is_create = true;
    cm.code = code;
    cm.code_len = size;
    cm.gas = child_gas;
    cm.depth = m->depth + 1;
    evm_frame_result r;
    evm_process_create(ctx, &r, &cm);
    free(code);
    if (ctx->fatal) {
        free(r.out);
        return false;
    }
    f->gas += r.gas_left;
    if (r.status == EVM_FRAME_SUCCESS) {
        f->refund += r.refund;
        *push = from_addr(addr);
        free(r.out);
    } else {
        set_return_data(f, r.out, r.out_len);
    }
    return true;
nomem:
    if (!ctx->fatal) ctx->fatal = MPAVS_EVM_ERR_NOMEM;
    return false;
fatal:
    set_fatal(f);
    return false;
}

/* CALL 0xf1, CALLCODE 0xf2, DELEGATECALL 0xf4, STATICCALL 0xfa. Pops its arguments and pushes
 * the result. Returns false on an exceptional halt. */
static bool do_call(frame *f, uint8_t op) {
    evm_ctx *ctx = f->ctx;
    const evm_msg *m = f->msg;
    bool has_value = op == 0xf1 || op == 0xf2;
    int nargs = has_value ? 7 : 6;
    if (f->sp < nargs) return false;
    mpavs_u256 *s = &f->stack[f->sp - 1];
    mpavs_u256 gas_arg = s[0], value = has_value ? s[-2] : u64v(0);
    uint8_t to[20];
    to_addr(to, &s[-1]);
    const mpavs_u256 *in_off = &s[has_value ? -3 : -2], *in_size = &s[has_value ? -4 : -3];
    const mpavs_u256 *out_off = &s[has_value ? -5 : -4], *out_size = &s[has_value ? -6 : -5];
    uint64_t in_end = region_end(in_off, in_size), out_end = region_end(out_off, out_size);
    mpavs_u256 in_o = *in_off, in_s = *in_size, out_o = *out_off, out_s = *out_size;
    f->sp -= nargs;
    uint64_t end = in_end > out_end ? in_end : out_end;
    int64_t mem_c = expand_cost(f, end);
    if (mem_c == INT64_MAX) return false;

    int64_t access_c;
    evm_account *target = access_account(f, to, &access_c);
    if (!target) goto fatal;
    /* EIP-7702: follow a delegation of the code address once */
    bool delegated = false;
    uint8_t code_addr[20];
    memcpy(code_addr, to, 20);
    evm_account *code_acct = target;
    if (ctx->fork >= MPAVS_EVM_PRAGUE) {
        if (!evm_state_code(ctx->st, target)) goto fatal;
        uint8_t del[20];
        if (evm_delegation_target(del, target->code, target->code_len)) {
            int64_t c2;
            code_acct = access_account(f, del, &c2);
            if (!code_acct) goto fatal;
            access_c += c2;
            delegated = true;
            memcpy(code_addr, del, 20);
        }
    }
    bool value_nz = !is_zero(&value);
    int64_t extra = access_c;
    if (op == 0xf1 && value_nz && !evm_account_alive(target)) extra += G_NEW_ACCOUNT;
    if (value_nz) extra += G_CALL_VALUE;
    /* 63/64 rule (EIP-150) */
    int64_t child_gas, cost;
    if (f->gas < extra + mem_c) {
        return false; /* the charge below cannot be paid */
    } else {
        int64_t avail = f->gas - mem_c - extra;
        avail -= avail / 64;
        child_gas = (fits64(&gas_arg) && gas_arg.w[0] < (uint64_t)avail) ? (int64_t)gas_arg.w[0] : avail;
    }
    cost = child_gas + extra;
    if (cost + mem_c > f->gas) return false;
    f->gas -= cost + mem_c;
    if (m->is_static && value_nz && op == 0xf1) return false;
    if (!grow(f, end)) return false;
    if (value_nz) child_gas += G_CALL_STIPEND;

    mpavs_u256 *push = &f->stack[f->sp++];
    *push = u64v(0);
    set_return_data(f, NULL, 0);
    evm_account *self = evm_state_account(ctx->st, m->target);
    if (!self) goto fatal;
    if (has_value && mpavs_u256_cmp(&self->balance, &value) < 0) {
        f->gas += child_gas;
        return true;
    }
    if (m->depth + 1 > EVM_DEPTH_LIMIT) {
        f->gas += child_gas;
        return true;
    }
    if (!evm_state_code(ctx->st, code_acct)) goto fatal;
    size_t in_len = is_zero(&in_s) ? 0 : (size_t)in_s.w[0];
    uint8_t *data = NULL;
    if (in_len) {
        data = malloc(in_len);
        if (!data) goto nomem;
        memcpy(data, f->mem + in_o.w[0], in_len);
    }
    evm_msg cm;
    memset(&cm, 0, sizeof cm);
    cm.gas = child_gas;
    cm.depth = m->depth + 1;
    cm.data = data;
    cm.data_len = in_len;
    cm.code = code_acct->code;
    cm.code_len = code_acct->code_len;
    memcpy(cm.code_address, code_addr, 20);
    cm.disable_precompiles = delegated;
    cm.is_static = m->is_static || op == 0xfa;
    switch (op) {
    case 0xf1:
        memcpy(cm.caller, m->target, 20);
        memcpy(cm.target, to, 20);
        cm.value = value;
        cm.transfer_value = true;
        break;
    case 0xf2:
        memcpy(cm.caller, m->target, 20);
        memcpy(cm.target, m->target, 20);
        cm.value = value;
        cm.transfer_value = true;
        break;
    case 0xf4:
        memcpy(cm.caller, m->caller, 20);
        memcpy(cm.target, m->target, 20);
        cm.value = m->value;
        cm.transfer_value = false;
        break;
    default:
        memcpy(cm.caller, m->target, 20);
        memcpy(cm.target, to, 20);
        cm.value = u64v(0);
        cm.transfer_value = true;
        break;
    }
    evm_frame_result r;
    evm_process_message(ctx, &r, &cm);
    free(data);
    if (ctx->fatal) {
        free(r.out);
        return false;
    }
    f->gas += r.gas_left;
    if (r.status == EVM_FRAME_SUCCESS) {
        f->refund += r.refund;
        *push = u64v(1);
    }
    set_return_data(f, r.out, r.out_len);
    if (!is_zero(&out_s) && f->ret_len) {
        size_t n = (size_t)out_s.w[0] < f->ret_len ? (size_t)out_s.w[0] : f->ret_len;
        memcpy(f->mem + out_o.w[0], f->ret, n);
    }
    return true;
nomem:
    if (!ctx->fatal) ctx->fatal = MPAVS_EVM_ERR_NOMEM;
    return false;
fatal:
    set_fatal(f);
    return false;
}

static bool do_sstore(frame *f, const mpavs_u256 *key, const mpavs_u256 *val) {
    evm_ctx *ctx = f->ctx;
    if (f->gas <= G_CALL_STIPEND) return false;
    evm_account *a = evm_state_account(ctx->st, f->msg->target);
    if (!a) goto fatal;
    uint8_t k[32];
    mpavs_u256_to_be32(k, key);
    evm_slot *s = evm_state_slot(ctx->st, a, k);
    if (!s) goto fatal;
    mpavs_u256 orig = s->orig, cur = s->cur;
    bool warm = s->warm;
    int64_t cost = 0;
    if (!warm) {
        cost += G_COLD_SLOAD;
        if (!evm_mark_slot_warm(ctx->st, a, k)) goto fatal;
    }
    bool o_eq_c = !mpavs_u256_cmp(&orig, &cur), c_eq_n = !mpavs_u256_cmp(&cur, val);
    bool o_zero = is_zero(&orig), c_zero = is_zero(&cur), n_zero = is_zero(val);
    if (o_eq_c && !c_eq_n)
        cost += o_zero ? G_SSTORE_SET : G_SSTORE_RESET - G_COLD_SLOAD;
    else
        cost += G_WARM;
    int64_t refund = 0;
    if (!c_eq_n) {
        if (!o_zero && !c_zero && n_zero) refund += G_SSTORE_CLEAR_REFUND;
        if (!o_zero && c_zero) refund -= G_SSTORE_CLEAR_REFUND;
        if (!mpavs_u256_cmp(&orig, val))
            refund += o_zero ? G_SSTORE_SET - G_WARM : G_SSTORE_RESET - G_COLD_SLOAD - G_WARM;
    }
    if (cost > f->gas) return false;
    f->gas -= cost;
    f->refund += refund;
    if (f->msg->is_static) return false;
    if (!evm_set_storage(ctx->st, a, k, val)) goto fatal;
    return true;
fatal:
    set_fatal(f);
    return false;
}

static bool do_selfdestruct(frame *f, const mpavs_u256 *ben) {
    evm_ctx *ctx = f->ctx;
    uint8_t b[20];
    to_addr(b, ben);
    int64_t cost = G_SELFDESTRUCT;
    evm_account *ba = evm_state_account(ctx->st, b);
    if (!ba) goto fatal;
    if (!ba->warm) {
        cost += G_COLD_ACCOUNT;
        if (!evm_mark_warm(ctx->st, ba)) goto fatal;
    }
    evm_account *self = evm_state_account(ctx->st, f->msg->target);
    if (!self) goto fatal;
    if (!evm_account_alive(ba) && !is_zero(&self->balance)) cost += G_NEW_ACCOUNT;
    if (cost > f->gas) return false;
    f->gas -= cost;
    if (f->msg->is_static) return false;
    mpavs_u256 bal = self->balance, zero = u64v(0);
    if (!evm_set_balance(ctx->st, self, &zero)) goto fatal;
    mpavs_u256 nb;
    mpavs_u256_add(&nb, &ba->balance, &bal);
    if (!evm_set_balance(ctx->st, ba, &nb) || !evm_mark_touched(ctx->st, ba)) goto fatal;
    if (!is_zero(&bal) && !evm_set_exists(ctx->st, ba)) goto fatal;
    if (self->created) {
        if (!evm_set_balance(ctx->st, self, &zero) || !evm_mark_destructed(ctx->st, self)) goto fatal;
    } else if (self == ba) {
        /* not created in this transaction: the balance stays (EIP-6780) */
        if (!evm_set_balance(ctx->st, self, &bal)) goto fatal;
    }
    return true;
fatal:
    set_fatal(f);
    return false;
}

/* ---- the loop ----------------------------------------------------------------------------- */

#define NEED(n)                                                                                    \
    do {                                                                                           \
        if (f.sp < (n)) goto halt;                                                                 \
    } while (0)
#define ROOM(n)                                                                                    \
    do {                                                                                           \
        if (f.sp + (n) > EVM_STACK_LIMIT) goto halt;                                               \
    } while (0)
#define USE(g)                                                                                     \
    do {                                                                                           \
        if (f.gas < (int64_t)(g)) goto halt;                                                       \
        f.gas -= (int64_t)(g);                                                                     \
    } while (0)
#define TOP (f.stack[f.sp - 1])
#define ARG(i) (f.stack[f.sp - 1 - (i)])

void evm_run_code(evm_ctx *ctx, evm_frame_result *res, const evm_msg *msg) {
    memset(res, 0, sizeof *res);
    frame f;
    memset(&f, 0, sizeof f);
    f.ctx = ctx;
    f.msg = msg;
    f.gas = msg->gas;
    const uint8_t *code = msg->code;
    size_t code_len = msg->code_len;
    mpavs_evm_state *st = ctx->st;
    const mpavs_evm_block *blk = ctx->block;
    if (code_len == 0) {
        res->status = EVM_FRAME_SUCCESS;
        res->gas_left = f.gas;
        return;
    }
    f.stack = malloc(EVM_STACK_LIMIT * sizeof *f.stack);
    f.jumpdests = calloc(code_len / 8 + 1, 1);
    if (!f.stack || !f.jumpdests) {
        if (!ctx->fatal) ctx->fatal = MPAVS_EVM_ERR_NOMEM;
        goto halt;
    }
    analyse_jumpdests(f.jumpdests, code, code_len);
    size_t pc = 0;
    for (;;) {
        uint8_t op = pc < code_len ? code[pc] : 0x00;
        switch (op) {
        case 0x00: goto stop;
        case 0x01: NEED(2); USE(3); ar_add(&ARG(1), &ARG(0), &ARG(1)); f.sp--; break;
        case 0x02: NEED(2); USE(5); ar_mul(&ARG(1), &ARG(0), &ARG(1)); f.sp--; break;
        case 0x03: NEED(2); USE(3); ar_sub(&ARG(1), &ARG(0), &ARG(1)); f.sp--; break;
        case 0x04: NEED(2); USE(5);
            if (is_zero(&ARG(1))) ARG(1) = u64v(0);
            else ar_divmod(&ARG(1), NULL, &ARG(0), &ARG(1));
            f.sp--; break;
        case 0x05: NEED(2); USE(5); op_sdiv(&ARG(1), &ARG(0), &ARG(1), false); f.sp--; break;
        case 0x06: NEED(2); USE(5);
            if (is_zero(&ARG(1))) ARG(1) = u64v(0);
            else ar_divmod(NULL, &ARG(1), &ARG(0), &ARG(1));
            f.sp--; break;
        case 0x07: NEED(2); USE(5); op_sdiv(&ARG(1), &ARG(0), &ARG(1), true); f.sp--; break;
        case 0x08: NEED(3); USE(8); ar_modop(&ARG(2), &ARG(0), &ARG(1), &ARG(2), 0); f.sp -= 2; break;
        case 0x09: NEED(3); USE(8); ar_modop(&ARG(2), &ARG(0), &ARG(1), &ARG(2), 1); f.sp -= 2; break;
        case 0x0a: {
            NEED(2);
            unsigned bytes = (mpavs_u256_bits(&ARG(1)) + 7) / 8;
            USE(10 + 50 * (int64_t)bytes);
            op_exp(&ARG(1), &ARG(0), &ARG(1));
            f.sp--;
            break;
        }
        case 0x0b: NEED(2); USE(5); op_signextend(&ARG(1), &ARG(0), &ARG(1)); f.sp--; break;
        case 0x10: NEED(2); USE(3); ARG(1) = u64v(mpavs_u256_cmp(&ARG(0), &ARG(1)) < 0); f.sp--; break;
        case 0x11: NEED(2); USE(3); ARG(1) = u64v(mpavs_u256_cmp(&ARG(0), &ARG(1)) > 0); f.sp--; break;
        case 0x12: NEED(2); USE(3); ARG(1) = u64v(scmp(&ARG(0), &ARG(1)) < 0); f.sp--; break;
        case 0x13: NEED(2); USE(3); ARG(1) = u64v(scmp(&ARG(0), &ARG(1)) > 0); f.sp--; break;
        case 0x14: NEED(2); USE(3); ARG(1) = u64v(mpavs_u256_cmp(&ARG(0), &ARG(1)) == 0); f.sp--; break;
        case 0x15: NEED(1); USE(3); TOP = u64v(is_zero(&TOP)); break;
        case 0x16: NEED(2); USE(3); for (int i = 0; i < 4; i++) ARG(1).w[i] &= ARG(0).w[i]; f.sp--; break;
        case 0x17: NEED(2); USE(3); for (int i = 0; i < 4; i++) ARG(1).w[i] |= ARG(0).w[i]; f.sp--; break;
        case 0x18: NEED(2); USE(3); for (int i = 0; i < 4; i++) ARG(1).w[i] ^= ARG(0).w[i]; f.sp--; break;
        case 0x19: NEED(1); USE(3); for (int i = 0; i < 4; i++) TOP.w[i] = ~TOP.w[i]; break;
        case 0x1a: {
            NEED(2); USE(3);
            mpavs_u256 r = u64v(0);
            if (fits64(&ARG(0)) && ARG(0).w[0] < 32) {
                uint8_t b[32];
                mpavs_u256_to_be32(b, &ARG(1));
                r = u64v(b[ARG(0).w[0]]);
            }
            ARG(1) = r;
            f.sp--;
            break;
        }
        case 0x1b: case 0x1c: case 0x1d: {
            NEED(2); USE(3);
            bool big = !fits64(&ARG(0)) || ARG(0).w[0] >= 256;
            unsigned n = big ? 0 : (unsigned)ARG(0).w[0];
            mpavs_u256 *x = &ARG(1);
            if (op == 0x1b) {
                if (big) *x = u64v(0); else mpavs_u256_shl(x, x, n);
            } else if (op == 0x1c) {
                if (big) *x = u64v(0); else mpavs_u256_shr(x, x, n);
            } else {
                bool neg = is_neg(x);
                if (big) {
                    for (int i = 0; i < 4; i++) x->w[i] = neg ? UINT64_MAX : 0;
                } else if (n) {
                    mpavs_u256_shr(x, x, n);
                    if (neg) {
                        mpavs_u256 ones, m;
                        for (int i = 0; i < 4; i++) ones.w[i] = UINT64_MAX;
                        mpavs_u256_shl(&m, &ones, 256 - n);
                        for (int i = 0; i < 4; i++) x->w[i] |= m.w[i];
                    }
                }
            }
            f.sp--;
            break;
        }
        case 0x1e:
            if (ctx->fork < MPAVS_EVM_OSAKA) goto halt;
            NEED(1); USE(5);
            TOP = u64v(256 - mpavs_u256_bits(&TOP));
            break;
        case 0x20: {
            NEED(2);
            uint64_t end = region_end(&ARG(0), &ARG(1));
            int64_t words = end ? (int64_t)words_of(ARG(1).w[0]) : 0;
            if (end == UINT64_MAX || !use_mem(&f, end, 30 + G_KECCAK_WORD * words)) goto halt;
            uint8_t h[32];
            mpavs_keccak256(h, end ? f.mem + ARG(0).w[0] : (const uint8_t *)"", end ? (size_t)ARG(1).w[0] : 0);
            ARG(1) = mpavs_u256_from_be32(h);
            f.sp--;
            break;
        }
        case 0x30: ROOM(1); USE(2); f.stack[f.sp++] = from_addr(msg->target); break;
        case 0x31: {
            NEED(1);
            uint8_t a[20];
            to_addr(a, &TOP);
            int64_t c;
            evm_account *acc = access_account(&f, a, &c);
            if (!acc) goto fatal;
            USE(c);
            TOP = acc->balance;
            break;
        }
        case 0x32: ROOM(1); USE(2); f.stack[f.sp++] = from_addr(ctx->tx->sender); break;
        case 0x33: ROOM(1); USE(2); f.stack[f.sp++] = from_addr(msg->caller); break;
        case 0x34: ROOM(1); USE(2); f.stack[f.sp++] = msg->value; break;
        case 0x35: {
            NEED(1); USE(3);
            uint8_t b[32];
            copy_padded(b, msg->data, msg->data_len, &TOP, 32);
            TOP = mpavs_u256_from_be32(b);
            break;
        }
        case 0x36: ROOM(1); USE(2); f.stack[f.sp++] = u64v(msg->data_len); break;
        case 0x37: case 0x39: case 0x3e: {
            NEED(3);
            uint64_t end = region_end(&ARG(0), &ARG(2));
            int64_t words = end ? (int64_t)words_of(ARG(2).w[0]) : 0;
            if (end == UINT64_MAX || !use_mem(&f, end, 3 + G_COPY * words)) goto halt;
            const uint8_t *src = op == 0x37 ? msg->data : op == 0x39 ? code : f.ret;
            size_t src_len = op == 0x37 ? msg->data_len : op == 0x39 ? code_len : f.ret_len;
            if (op == 0x3e) {
                mpavs_u256 e;
                if (!fits64(&ARG(1)) || mpavs_u256_add(&e, &ARG(1), &ARG(2)) || !fits64(&e) || e.w[0] > f.ret_len)
                    goto halt;
            }
            if (end) copy_padded(f.mem + ARG(0).w[0], src, src_len, &ARG(1), (size_t)ARG(2).w[0]);
            f.sp -= 3;
            break;
        }
        case 0x38: ROOM(1); USE(2); f.stack[f.sp++] = u64v(code_len); break;
        case 0x3a: ROOM(1); USE(2); f.stack[f.sp++] = ctx->gas_price; break;
        case 0x3b: case 0x3f: {
            NEED(1);
            uint8_t a[20];
            to_addr(a, &TOP);
            int64_t c;
            evm_account *acc = access_account(&f, a, &c);
            if (!acc) goto fatal;
            USE(c);
            if (op == 0x3b) {
                if (!evm_state_code(st, acc)) goto fatal;
                TOP = u64v(acc->code_len);
            } else {
                TOP = evm_account_alive(acc) ? mpavs_u256_from_be32(acc->code_hash) : u64v(0);
            }
            break;
        }
        case 0x3c: {
            NEED(4);
            uint8_t a[20];
            to_addr(a, &ARG(0));
            uint64_t end = region_end(&ARG(1), &ARG(3));
            int64_t words = end ? (int64_t)words_of(ARG(3).w[0]) : 0;
            if (end == UINT64_MAX) goto halt;
            int64_t c;
            evm_account *acc = access_account(&f, a, &c);
            if (!acc) goto fatal;
            if (!use_mem(&f, end, c + G_COPY * words)) goto halt;
            if (!evm_state_code(st, acc)) goto fatal;
            if (end) copy_padded(f.mem + ARG(1).w[0], acc->code, acc->code_len, &ARG(2), (size_t)ARG(3).w[0]);
            f.sp -= 4;
            break;
        }
        case 0x3d: ROOM(1); USE(2); f.stack[f.sp++] = u64v(f.ret_len); break;
        case 0x40: {
            NEED(1); USE(20);
            mpavs_u256 r = u64v(0);
            if (fits64(&TOP) && TOP.w[0] < blk->number && blk->number - TOP.w[0] <= 256 && blk->blockhash) {
                uint8_t h[32];
                if (blk->blockhash(blk->blockhash_ctx, h, TOP.w[0])) {
                    if (!ctx->fatal) ctx->fatal = MPAVS_EVM_ERR_SOURCE;
                    goto halt;
                }
                r = mpavs_u256_from_be32(h);
            }
            TOP = r;
            break;
        }
        case 0x41: ROOM(1); USE(2); f.stack[f.sp++] = from_addr(blk->coinbase); break;
        case 0x42: ROOM(1); USE(2); f.stack[f.sp++] = u64v(blk->timestamp); break;
        case 0x43: ROOM(1); USE(2); f.stack[f.sp++] = u64v(blk->number); break;
        case 0x44: ROOM(1); USE(2); f.stack[f.sp++] = mpavs_u256_from_be32(blk->prevrandao); break;
        case 0x45: ROOM(1); USE(2); f.stack[f.sp++] = u64v(blk->gas_limit); break;
        case 0x46: ROOM(1); USE(2); f.stack[f.sp++] = u64v(blk->chain_id); break;
        case 0x47: {
            ROOM(1); USE(5);
            evm_account *a = evm_state_account(st, msg->target);
            if (!a) goto fatal;
            f.stack[f.sp++] = a->balance;
            break;
        }
        case 0x48: ROOM(1); USE(2); f.stack[f.sp++] = blk->base_fee; break;
        case 0x49: {
            NEED(1); USE(3);
            if (fits64(&TOP) && TOP.w[0] < ctx->tx->n_blob_hashes)
                TOP = mpavs_u256_from_be32(ctx->tx->blob_hashes[TOP.w[0]]);
            else
                TOP = u64v(0);
            break;
        }
        case 0x4a: ROOM(1); USE(2); f.stack[f.sp++] = blk->blob_base_fee; break;
        case 0x50: NEED(1); USE(2); f.sp--; break;
        case 0x51: {
            NEED(1);
            mpavs_u256 size = u64v(32);
            uint64_t end = region_end(&TOP, &size);
            if (end == UINT64_MAX || !use_mem(&f, end, 3)) goto halt;
            TOP = mpavs_u256_from_be32(f.mem + (size_t)(end - 32));
            break;
        }
        case 0x52: case 0x53: {
            NEED(2);
            mpavs_u256 size = u64v(op == 0x52 ? 32 : 1);
            uint64_t end = region_end(&ARG(0), &size);
            if (end == UINT64_MAX || !use_mem(&f, end, 3)) goto halt;
            if (op == 0x52)
                mpavs_u256_to_be32(f.mem + (size_t)ARG(0).w[0], &ARG(1));
            else
                f.mem[ARG(0).w[0]] = (uint8_t)ARG(1).w[0];
            f.sp -= 2;
            break;
        }
        case 0x54: {
            NEED(1);
            evm_account *a = evm_state_account(st, msg->target);
            if (!a) goto fatal;
            uint8_t k[32];
            mpavs_u256_to_be32(k, &TOP);
            evm_slot *s = evm_state_slot(st, a, k);
            if (!s) goto fatal;
            mpavs_u256 v = s->cur;
            if (s->warm) {
                USE(G_WARM);
            } else {
                USE(G_COLD_SLOAD);
                if (!evm_mark_slot_warm(st, a, k)) goto fatal;
            }
            TOP = v;
            break;
        }
        case 0x55: {
            NEED(2);
            if (!do_sstore(&f, &ARG(0), &ARG(1))) goto halt_or_fatal;
            f.sp -= 2;
            break;
        }
        case 0x56: case 0x57: {
            NEED(op == 0x56 ? 1 : 2);
            USE(op == 0x56 ? 8 : 10);
            mpavs_u256 dst = ARG(0);
            bool jump = op == 0x56 || !is_zero(&ARG(1));
            f.sp -= op == 0x56 ? 1 : 2;
            if (jump) {
                if (!fits64(&dst) || dst.w[0] >= code_len || !(f.jumpdests[dst.w[0] / 8] & (1u << (dst.w[0] % 8))))
                    goto halt;
                pc = (size_t)dst.w[0];
                continue;
            }
            break;
        }
        case 0x58: ROOM(1); USE(2); f.stack[f.sp++] = u64v(pc); break;
        case 0x59: ROOM(1); USE(2); f.stack[f.sp++] = u64v(f.mem_size); break;
        case 0x5a: ROOM(1); USE(2); f.stack[f.sp++] = u64v((uint64_t)f.gas); break;
        case 0x5b: USE(1); break;
        case 0x5c: {
            NEED(1); USE(G_WARM);
            uint8_t k[32];
            mpavs_u256_to_be32(k, &TOP);
            evm_tload(st, &TOP, msg->target, k);
            break;
        }
        case 0x5d: {
            NEED(2); USE(G_WARM);
            if (msg->is_static) goto halt;
            uint8_t k[32];
            mpavs_u256_to_be32(k, &ARG(0));
            if (!evm_tstore(st, msg->target, k, &ARG(1))) goto fatal;
            f.sp -= 2;
            break;
        }
        case 0x5e: {
            NEED(3);
            uint64_t e1 = region_end(&ARG(0), &ARG(2)), e2 = region_end(&ARG(1), &ARG(2));
            uint64_t end = e1 > e2 ? e1 : e2;
            int64_t words = end ? (int64_t)words_of(ARG(2).w[0]) : 0;
            if (end == UINT64_MAX || !use_mem(&f, end, 3 + G_COPY * words)) goto halt;
            if (end) memmove(f.mem + ARG(0).w[0], f.mem + ARG(1).w[0], (size_t)ARG(2).w[0]);
            f.sp -= 3;
            break;
        }
        case 0x5f: ROOM(1); USE(2); f.stack[f.sp++] = u64v(0); break;
        case 0x60: case 0x61: case 0x62: case 0x63: case 0x64: case 0x65: case 0x66: case 0x67:
        case 0x68: case 0x69: case 0x6a: case 0x6b: case 0x6c: case 0x6d: case 0x6e: case 0x6f:
        case 0x70: case 0x71: case 0x72: case 0x73: case 0x74: case 0x75: case 0x76: case 0x77:
        case 0x78: case 0x79: case 0x7a: case 0x7b: case 0x7c: case 0x7d: case 0x7e: case 0x7f: {
            ROOM(1); USE(3);
            size_t n = op - 0x5f;
            mpavs_u256 *t = &f.stack[f.sp++];
            t->w[0] = t->w[1] = t->w[2] = t->w[3] = 0;
            for (size_t i = 0; i < n; i++) {
                size_t p = pc + 1 + i, bit = (n - 1 - i) * 8;
                t->w[bit / 64] |= (uint64_t)(p < code_len ? code[p] : 0) << (bit % 64);
            }
            pc += n;
            break;
        }
        case 0x80: case 0x81: case 0x82: case 0x83: case 0x84: case 0x85: case 0x86: case 0x87:
        case 0x88: case 0x89: case 0x8a: case 0x8b: case 0x8c: case 0x8d: case 0x8e: case 0x8f: {
            int n = op - 0x7f;
            NEED(n); ROOM(1); USE(3);
            f.stack[f.sp] = f.stack[f.sp - n];
            f.sp++;
            break;
        }
        case 0x90: case 0x91: case 0x92: case 0x93: case 0x94: case 0x95: case 0x96: case 0x97:
        case 0x98: case 0x99: case 0x9a: case 0x9b: case 0x9c: case 0x9d: case 0x9e: case 0x9f: {
            int n = op - 0x8f;
            NEED(n + 1); USE(3);
            mpavs_u256 t = TOP;
            TOP = ARG(n);
            ARG(n) = t;
            break;
        }
        case 0xa0: case 0xa1: case 0xa2: case 0xa3: case 0xa4: {
            unsigned n = op - 0xa0;
            NEED((int)n + 2);
            uint64_t end = region_end(&ARG(0), &ARG(1));
            if (end == UINT64_MAX) goto halt;
            uint64_t size = end ? ARG(1).w[0] : 0;
            if (!use_mem(&f, end, G_LOG + G_LOG * (int64_t)n + 8 * (int64_t)size)) goto halt;
            if (msg->is_static) goto halt;
            uint8_t topics[4][32];
            for (unsigned i = 0; i < n; i++) mpavs_u256_to_be32(topics[i], &ARG(2 + i));
            if (!evm_add_log(st, msg->target, topics, n, end ? f.mem + ARG(0).w[0] : NULL, (size_t)size))
                goto fatal;
            f.sp -= (int)n + 2;
            break;
        }
        case 0xf0: case 0xf5: {
            int nargs = op == 0xf0 ? 3 : 4;
            NEED(nargs);
            mpavs_u256 value = ARG(0), salt = op == 0xf5 ? ARG(3) : u64v(0);
            uint64_t end = region_end(&ARG(1), &ARG(2));
            if (end == UINT64_MAX) goto halt;
            uint64_t off = end ? ARG(1).w[0] : 0, size = end ? ARG(2).w[0] : 0;
            int64_t words = (int64_t)words_of(size);
            int64_t g = G_CREATE + G_INITCODE_WORD * words + (op == 0xf5 ? G_KECCAK_WORD * words : 0);
            if (!use_mem(&f, end, g)) goto halt;
            f.sp -= nargs;
            if (!do_create(&f, &value, off, size, op == 0xf5, &salt)) goto halt_or_fatal;
            break;
        }
        case 0xf1: case 0xf2: case 0xf4: case 0xfa:
            if (!do_call(&f, op)) goto halt_or_fatal;
            break;
        case 0xf3: case 0xfd: {
            NEED(2);
            uint64_t end = region_end(&ARG(0), &ARG(1));
            if (end == UINT64_MAX || !use_mem(&f, end, 0)) goto halt;
            if (end) {
                size_t n = (size_t)ARG(1).w[0];
                res->out = malloc(n);
                if (!res->out) {
                    if (!ctx->fatal) ctx->fatal = MPAVS_EVM_ERR_NOMEM;
                    goto halt;
                }
                memcpy(res->out, f.mem + ARG(0).w[0], n);
                res->out_len = n;
            }
            if (op == 0xfd) {
                res->status = EVM_FRAME_REVERT;
                res->gas_left = f.gas;
                goto out;
            }
            goto stop;
        }
        case 0xff: {
            NEED(1);
            if (!do_selfdestruct(&f, &TOP)) goto halt_or_fatal;
            f.sp--;
            goto stop;
        }
        default: goto halt;
        }
        pc++;
    }
stop:
    res->status = EVM_FRAME_SUCCESS;
    res->gas_left = f.gas;
    res->refund = f.refund;
    goto out;
fatal:
    set_fatal(&f);
halt_or_fatal:
halt:
    free(res->out);
    res->out = NULL;
    res->out_len = 0;
    res->status = EVM_FRAME_FAILURE;
    res->gas_left = 0;
    res->refund = 0;
out:
    free(f.stack);
    free(f.jumpdests);
    free(f.mem);
    free(f.ret);
}
