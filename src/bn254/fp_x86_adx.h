/*
 * src/bn254/fp_x86_adx.h — internal: Fp Montgomery arithmetic for x86-64 with BMI2 (MULX) and
 * ADX (ADCX/ADOX), as inline assembly. Included by field.h only when the compiler targets such
 * a CPU (__BMI2__ and __ADX__ defined, i.e. -mbmi2 -madx or a -march that has them) and
 * MPAVS_PORTABLE is not defined: the choice is made at build time, never at run time.
 *
 * The asm addresses memory through its pointer operands; the arrays it reads and writes are
 * also named as memory operands (so the compiler knows, without a "memory" clobber). r15, rbx
 * and rbp are left alone so that sanitizer and frame-pointer builds have registers to spare.
 *
 * Every routine is straight-line code (no branch, no secret-dependent address): the final
 * conditional subtraction uses CMOV. Two carry chains run at once: ADCX adds the low halves
 * of the MULX products (CF), ADOX the high halves into the next limb (OF).
 *
 * Bounds (p < 2^254, so 4p < 2^256): with a, b < 2p the Montgomery product
 * (a b + m p) / 2^256 < 4p^2 / 2^256 + p < 2p, so one conditional subtraction of p gives a
 * result < p when the result is < 2p; every intermediate fits in five limbs, hence the last
 * ADCX/ADOX of a row never carries out.
 */
#ifndef MPAVS_BN254_FP_X86_ADX_H
#define MPAVS_BN254_FP_X86_ADX_H

#include <stdint.h>

#include "bn254/consts.h"

/* One row of a b: T0..T4 += a * b_i (T4 is zero on entry; rdx = b_i). The XOR clears CF and OF
 * (r13 is overwritten by the first MULX); the final carry comes in from the zero constant in
 * memory (%[zero]), so no register is spent on a zero. */
#define BN_ADX_MULROW(BI, T0, T1, T2, T3, T4)                                                             \
    "movq " BI ", %%rdx\n\t"                                                                              \
    "xorl %%r13d, %%r13d\n\t"                                                                             \
    "mulxq 0(%[a]), %%r13, %%r14\n\t"                                                                     \
    "adcxq %%r13, " T0 "\n\t"                                                                             \
    "adoxq %%r14, " T1 "\n\t"                                                                             \
    "mulxq 8(%[a]), %%r13, %%r14\n\t"                                                                     \
    "adcxq %%r13, " T1 "\n\t"                                                                             \
    "adoxq %%r14, " T2 "\n\t"                                                                             \
    "mulxq 16(%[a]), %%r13, %%r14\n\t"                                                                    \
    "adcxq %%r13, " T2 "\n\t"                                                                             \
    "adoxq %%r14, " T3 "\n\t"                                                                             \
    "mulxq 24(%[a]), %%r13, %%r14\n\t"                                                                    \
    "adcxq %%r13, " T3 "\n\t"                                                                             \
    "adoxq %%r14, " T4 "\n\t"                                                                             \
    "adcxq %[zero], " T4 "\n\t"

/* One Montgomery reduction step: m = T0 * (-p^-1) mod 2^64 (IMUL: flags are free here); T0..T4 += m p (T4 zero on entry
 * or small); afterwards T0 = 0 and the value (T1..T4) is the step's result shifted by 64. */
#define BN_ADX_REDSTEP(T0, T1, T2, T3, T4)                                                                \
    "movq " T0 ", %%rdx\n\t"                                                                              \
    "imulq %[pinv], %%rdx\n\t"                                                                            \
    "xorl %%r13d, %%r13d\n\t"                                                                             \
    "mulxq %[p0], %%r13, %%r14\n\t"                                                                       \
    "adcxq %%r13, " T0 "\n\t"                                                                             \
    "adoxq %%r14, " T1 "\n\t"                                                                             \
    "mulxq %[p1], %%r13, %%r14\n\t"                                                                       \
    "adcxq %%r13, " T1 "\n\t"                                                                             \
    "adoxq %%r14, " T2 "\n\t"                                                                             \
    "mulxq %[p2], %%r13, %%r14\n\t"                                                                       \
    "adcxq %%r13, " T2 "\n\t"                                                                             \
    "adoxq %%r14, " T3 "\n\t"                                                                             \
    "mulxq %[p3], %%r13, %%r14\n\t"                                                                       \
    "adcxq %%r13, " T3 "\n\t"                                                                             \
    "adoxq %%r14, " T4 "\n\t"                                                                             \
    "adcxq %[zero], " T4 "\n\t"

/* (R0..R3) minus p when it is >= p, stored to r[0..3] (scratch r13, r14, rax, rdx). */
#define BN_ADX_FINAL_SUB_STORE(R0, R1, R2, R3) BN_ADX_FINAL_SUB_STORE_AT("0", R0, R1, R2, R3)
/* The same stored at byte offset OFF (a string) of r. */
#define BN_ADX_FINAL_SUB_STORE_AT(OFF, R0, R1, R2, R3)                                                    \
    "movq " R0 ", %%r13\n\t"                                                                              \
    "subq %[p0], %%r13\n\t"                                                                               \
    "movq " R1 ", %%r14\n\t"                                                                              \
    "sbbq %[p1], %%r14\n\t"                                                                               \
    "movq " R2 ", %%rax\n\t"                                                                              \
    "sbbq %[p2], %%rax\n\t"                                                                               \
    "movq " R3 ", %%rdx\n\t"                                                                              \
    "sbbq %[p3], %%rdx\n\t"                                                                               \
    "cmovcq " R0 ", %%r13\n\t"                                                                            \
    "cmovcq " R1 ", %%r14\n\t"                                                                            \
    "cmovcq " R2 ", %%rax\n\t"                                                                            \
    "cmovcq " R3 ", %%rdx\n\t"                                                                            \
    "movq %%r13, " OFF "+0(%[r])\n\t"                                                                             \
    "movq %%r14, " OFF "+8(%[r])\n\t"                                                                             \
    "movq %%rax, " OFF "+16(%[r])\n\t"                                                                            \
    "movq %%rdx, " OFF "+24(%[r])\n\t"

#define BN_ADX_P_OPERANDS(P, PINV)                                                                        \
    [p0] "m"((P)[0]), [p1] "m"((P)[1]), [p2] "m"((P)[2]), [p3] "m"((P)[3]), [pinv] "m"(PINV), BN_ADX_ZERO_OPERAND
#define BN_ADX_ZERO_OPERAND [zero] "m"(BN_ADX_ZERO)

/* The arrays an asm block reads (IN) and writes (OUT) are named as memory operands when
 * optimizing, so the compiler keeps everything else in registers. Without optimization each
 * such operand would take a register of its own, more than x86-64 has left: there the block
 * names a stack dummy and clobbers "memory" instead (same semantics, slower code). */
#ifdef __OPTIMIZE__
#define BN_ADX_OUT(ptr, n) "=m"(*(uint64_t(*)[n])(ptr))
#define BN_ADX_IN(ptr, n) "m"(*(const uint64_t(*)[n])(ptr))
#define BN_ADX_MEM "cc"
#define BN_ADX_UNUSED_DECL
#else
#define BN_ADX_UNUSED_DECL uint64_t bn_adx_unused;
#define BN_ADX_OUT(ptr, n) "=m"(bn_adx_unused)
#define BN_ADX_IN(ptr, n) "i"(0)
#define BN_ADX_MEM "memory"
#endif

/* p and -p^-1 mod 2^64 as static data (rip-relative memory operands, no register needed). */
static const uint64_t BN_ADX_P[4] = BN_P_LIMBS;
static const uint64_t BN_ADX_PINV = BN_P_INV;
static const uint64_t BN_ADX_ZERO = 0;

/* r = a b / 2^256 mod p (CIOS). a, b < 2p; r < p. r may alias a or b. */
static inline __attribute__((always_inline)) void bn_adx_mont_mul(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) {
    BN_ADX_UNUSED_DECL
    __asm__(/* row 0 into zero limbs: plain products, one ADD/ADC chain */
            "movq 0(%[b]), %%rdx\n\t"
            "mulxq 0(%[a]), %%r8, %%r9\n\t"
            "mulxq 8(%[a]), %%r13, %%r10\n\t"
            "addq %%r13, %%r9\n\t"
            "mulxq 16(%[a]), %%r13, %%r11\n\t"
            "adcq %%r13, %%r10\n\t"
            "mulxq 24(%[a]), %%r13, %%r12\n\t"
            "adcq %%r13, %%r11\n\t"
            "adcq $0, %%r12\n\t"
            BN_ADX_REDSTEP("%%r8", "%%r9", "%%r10", "%%r11", "%%r12")
            BN_ADX_MULROW("8(%[b])", "%%r9", "%%r10", "%%r11", "%%r12", "%%r8")
            BN_ADX_REDSTEP("%%r9", "%%r10", "%%r11", "%%r12", "%%r8")
            BN_ADX_MULROW("16(%[b])", "%%r10", "%%r11", "%%r12", "%%r8", "%%r9")
            BN_ADX_REDSTEP("%%r10", "%%r11", "%%r12", "%%r8", "%%r9")
            BN_ADX_MULROW("24(%[b])", "%%r11", "%%r12", "%%r8", "%%r9", "%%r10")
            BN_ADX_REDSTEP("%%r11", "%%r12", "%%r8", "%%r9", "%%r10")
            BN_ADX_FINAL_SUB_STORE("%%r12", "%%r8", "%%r9", "%%r10")
            : BN_ADX_OUT(r, 4)
            : [r] "r"(r), [a] "r"(a), [b] "r"(b), BN_ADX_IN(a, 4), BN_ADX_IN(b, 4), BN_ADX_P_OPERANDS(BN_ADX_P, BN_ADX_PINV)
            : "rax", "rdx", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "cc", BN_ADX_MEM);
}

/* t = a b as 8 limbs (a, b < 2^256). t must not alias a or b. */
static inline __attribute__((always_inline)) void bn_adx_mul_wide(uint64_t t[8], const uint64_t a[4], const uint64_t b[4]) {
    BN_ADX_UNUSED_DECL
    __asm__(/* row 0 into zero limbs: plain products, one ADD/ADC chain */
            "movq 0(%[b]), %%rdx\n\t"
            "mulxq 0(%[a]), %%r8, %%r9\n\t"
            "mulxq 8(%[a]), %%r13, %%r10\n\t"
            "addq %%r13, %%r9\n\t"
            "mulxq 16(%[a]), %%r13, %%r11\n\t"
            "adcq %%r13, %%r10\n\t"
            "mulxq 24(%[a]), %%r13, %%r12\n\t"
            "adcq %%r13, %%r11\n\t"
            "adcq $0, %%r12\n\t"
            "movq %%r8, 0(%[t])\n\t"
            "xorl %%r8d, %%r8d\n\t"
            BN_ADX_MULROW("8(%[b])", "%%r9", "%%r10", "%%r11", "%%r12", "%%r8")
            "movq %%r9, 8(%[t])\n\t"
            "xorl %%r9d, %%r9d\n\t"
            BN_ADX_MULROW("16(%[b])", "%%r10", "%%r11", "%%r12", "%%r8", "%%r9")
            "movq %%r10, 16(%[t])\n\t"
            "xorl %%r10d, %%r10d\n\t"
            BN_ADX_MULROW("24(%[b])", "%%r11", "%%r12", "%%r8", "%%r9", "%%r10")
            "movq %%r11, 24(%[t])\n\t"
            "movq %%r12, 32(%[t])\n\t"
            "movq %%r8, 40(%[t])\n\t"
            "movq %%r9, 48(%[t])\n\t"
            "movq %%r10, 56(%[t])\n\t"
            : BN_ADX_OUT(t, 8)
            : [t] "r"(t), [a] "r"(a), [b] "r"(b), BN_ADX_IN(a, 4), BN_ADX_IN(b, 4), BN_ADX_ZERO_OPERAND
            : "rdx", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "cc", BN_ADX_MEM);
}

/* r = t / 2^256 mod p for t < p 2^256 (then (t + m p) / 2^256 < 2p). The low half is reduced
 * in four steps ((t_lo + m p) / 2^256 <= p fits in four limbs), then the high half is added
 * (the sum is the same (t + m p) / 2^256 < 2p: no carry out). */
static inline __attribute__((always_inline)) void bn_adx_mont_reduce(uint64_t r[4], const uint64_t t[8]) {
    BN_ADX_UNUSED_DECL
    __asm__("movq 0(%[t]), %%r8\n\t"
            "movq 8(%[t]), %%r9\n\t"
            "movq 16(%[t]), %%r10\n\t"
            "movq 24(%[t]), %%r11\n\t"
            "xorl %%r12d, %%r12d\n\t"
            BN_ADX_REDSTEP("%%r8", "%%r9", "%%r10", "%%r11", "%%r12")
            BN_ADX_REDSTEP("%%r9", "%%r10", "%%r11", "%%r12", "%%r8")
            BN_ADX_REDSTEP("%%r10", "%%r11", "%%r12", "%%r8", "%%r9")
            BN_ADX_REDSTEP("%%r11", "%%r12", "%%r8", "%%r9", "%%r10")
            "addq 32(%[t]), %%r12\n\t"
            "adcq 40(%[t]), %%r8\n\t"
            "adcq 48(%[t]), %%r9\n\t"
            "adcq 56(%[t]), %%r10\n\t"
            BN_ADX_FINAL_SUB_STORE("%%r12", "%%r8", "%%r9", "%%r10")
            : BN_ADX_OUT(r, 4)
            : [r] "r"(r), [t] "r"(t), BN_ADX_IN(t, 8), BN_ADX_P_OPERANDS(BN_ADX_P, BN_ADX_PINV)
            : "rax", "rdx", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "cc", BN_ADX_MEM);
}

/* r = a + b, minus p when the sum is >= p (a + b < 2p; the carry out of 2^256 is dropped, as
 * in the portable fp_add). CMOV selects, no branch. r may alias a or b. */
static inline __attribute__((always_inline)) void bn_adx_fp_add(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) {
    BN_ADX_UNUSED_DECL
    __asm__("movq 0(%[a]), %%r8\n\t"
            "movq 8(%[a]), %%r9\n\t"
            "movq 16(%[a]), %%r10\n\t"
            "movq 24(%[a]), %%r11\n\t"
            "addq 0(%[b]), %%r8\n\t"
            "adcq 8(%[b]), %%r9\n\t"
            "adcq 16(%[b]), %%r10\n\t"
            "adcq 24(%[b]), %%r11\n\t"
            BN_ADX_FINAL_SUB_STORE("%%r8", "%%r9", "%%r10", "%%r11")
            : BN_ADX_OUT(r, 4)
            : [r] "r"(r), [a] "r"(a), [b] "r"(b), BN_ADX_IN(a, 4), BN_ADX_IN(b, 4), BN_ADX_P_OPERANDS(BN_ADX_P, BN_ADX_PINV)
            : "rax", "rdx", "r8", "r9", "r10", "r11", "r13", "r14", "cc", BN_ADX_MEM);
}

/* r = a - b, plus p when it borrows (the borrow becomes an all-ones mask by SBB; no branch).
 * r may alias a or b. */
static inline __attribute__((always_inline)) void bn_adx_fp_sub(uint64_t r[4], const uint64_t a[4], const uint64_t b[4]) {
    BN_ADX_UNUSED_DECL
    __asm__("movq 0(%[a]), %%r8\n\t"
            "movq 8(%[a]), %%r9\n\t"
            "movq 16(%[a]), %%r10\n\t"
            "movq 24(%[a]), %%r11\n\t"
            "subq 0(%[b]), %%r8\n\t"
            "sbbq 8(%[b]), %%r9\n\t"
            "sbbq 16(%[b]), %%r10\n\t"
            "sbbq 24(%[b]), %%r11\n\t"
            "sbbq %%rax, %%rax\n\t"
            "movq %[p0], %%r13\n\t"
            "andq %%rax, %%r13\n\t"
            "movq %[p1], %%r14\n\t"
            "andq %%rax, %%r14\n\t"
            "movq %[p2], %%rdx\n\t"
            "andq %%rax, %%rdx\n\t"
            "andq %[p3], %%rax\n\t"
            "addq %%r13, %%r8\n\t"
            "adcq %%r14, %%r9\n\t"
            "adcq %%rdx, %%r10\n\t"
            "adcq %%rax, %%r11\n\t"
            "movq %%r8, 0(%[r])\n\t"
            "movq %%r9, 8(%[r])\n\t"
            "movq %%r10, 16(%[r])\n\t"
            "movq %%r11, 24(%[r])\n\t"
            : BN_ADX_OUT(r, 4)
            : [r] "r"(r), [a] "r"(a), [b] "r"(b), BN_ADX_IN(a, 4), BN_ADX_IN(b, 4), BN_ADX_P_OPERANDS(BN_ADX_P, BN_ADX_PINV)
            : "rax", "rdx", "r8", "r9", "r10", "r11", "r13", "r14", "cc", BN_ADX_MEM);
}

/* r = (9 x + y) mod p for x < p, y <= p (one coefficient of the multiplication by xi = 9 + i):
 * t = 9 x + y < 10p in five limbs, q = floor((t >> 200) * 0x54a / 2^64) (as fp_reduce_small
 * in field.h: q <= floor(t / p) <= q + 1), t - q p < 2p in four limbs, one CMOV subtraction. */
static inline __attribute__((always_inline)) void bn_adx_mul9_add_reduce(uint64_t r[4], const uint64_t x[4], const uint64_t y[4]) {
    BN_ADX_UNUSED_DECL
    __asm__("movl $9, %%edx\n\t"
            "mulxq 0(%[x]), %%r8, %%r9\n\t"
            "mulxq 8(%[x]), %%rax, %%r10\n\t"
            "addq %%rax, %%r9\n\t"
            "mulxq 16(%[x]), %%rax, %%r11\n\t"
            "adcq %%rax, %%r10\n\t"
            "mulxq 24(%[x]), %%rax, %%r12\n\t"
            "adcq %%rax, %%r11\n\t"
            "adcq $0, %%r12\n\t"
            "addq 0(%[y]), %%r8\n\t"
            "adcq 8(%[y]), %%r9\n\t"
            "adcq 16(%[y]), %%r10\n\t"
            "adcq 24(%[y]), %%r11\n\t"
            "adcq $0, %%r12\n\t"
            /* q = high half of ((t >> 200) mod 2^64) * 0x54a */
            "movq %%r11, %%rdx\n\t"
            "shrdq $8, %%r12, %%rdx\n\t"
            "movl $0x54a, %%eax\n\t"
            "mulxq %%rax, %%rax, %%rdx\n\t"
            /* q p, low four limbs (the fifth cancels) */
            "mulxq %[p0], %%r12, %%r13\n\t"
            "mulxq %[p1], %%rax, %%r14\n\t"
            "addq %%r13, %%rax\n\t"
            "mulxq %[p2], %%r13, %%rcx\n\t"
            "adcq %%r14, %%r13\n\t"
            "mulxq %[p3], %%r14, %%rdx\n\t"
            "adcq %%rcx, %%r14\n\t"
            "subq %%r12, %%r8\n\t"
            "sbbq %%rax, %%r9\n\t"
            "sbbq %%r13, %%r10\n\t"
            "sbbq %%r14, %%r11\n\t"
            BN_ADX_FINAL_SUB_STORE("%%r8", "%%r9", "%%r10", "%%r11")
            : BN_ADX_OUT(r, 4)
            : [r] "r"(r), [x] "r"(x), [y] "r"(y), BN_ADX_IN(x, 4), BN_ADX_IN(y, 4), BN_ADX_P_OPERANDS(BN_ADX_P, BN_ADX_PINV)
            : "rax", "rcx", "rdx", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "cc", BN_ADX_MEM);
}

/* ---- double-width values (wide.h): t < N = p 2^256, i.e. the top four limbs below p ---- */

/* r = a + b mod N over 8 limbs: one ADD/ADC chain through all eight limbs (the low half is
 * stored as it goes; MOV keeps the flags), then the top half minus p when it is >= p (CMOV).
 * The sum is below 2N < 2^512: no carry out. r may alias a or b. */
static inline __attribute__((always_inline)) void bn_adx_fpw_add(uint64_t r[8], const uint64_t a[8], const uint64_t b[8]) {
    BN_ADX_UNUSED_DECL
    __asm__("movq 0(%[a]), %%r8\n\t"
            "addq 0(%[b]), %%r8\n\t"
            "movq 8(%[a]), %%r9\n\t"
            "adcq 8(%[b]), %%r9\n\t"
            "movq 16(%[a]), %%r10\n\t"
            "adcq 16(%[b]), %%r10\n\t"
            "movq 24(%[a]), %%r11\n\t"
            "adcq 24(%[b]), %%r11\n\t"
            "movq %%r8, 0(%[r])\n\t"
            "movq %%r9, 8(%[r])\n\t"
            "movq %%r10, 16(%[r])\n\t"
            "movq %%r11, 24(%[r])\n\t"
            "movq 32(%[a]), %%r8\n\t"
            "adcq 32(%[b]), %%r8\n\t"
            "movq 40(%[a]), %%r9\n\t"
            "adcq 40(%[b]), %%r9\n\t"
            "movq 48(%[a]), %%r10\n\t"
            "adcq 48(%[b]), %%r10\n\t"
            "movq 56(%[a]), %%r11\n\t"
            "adcq 56(%[b]), %%r11\n\t"
            BN_ADX_FINAL_SUB_STORE_AT("32", "%%r8", "%%r9", "%%r10", "%%r11")
            : BN_ADX_OUT(r, 8)
            : [r] "r"(r), [a] "r"(a), [b] "r"(b), BN_ADX_IN(a, 8), BN_ADX_IN(b, 8), BN_ADX_P_OPERANDS(BN_ADX_P, BN_ADX_PINV)
            : "rax", "rdx", "r8", "r9", "r10", "r11", "r13", "r14", "cc", BN_ADX_MEM);
}

/* r = a - b mod N over 8 limbs: SUB/SBB through all eight limbs, then p added to the top half
 * when the difference borrowed (mask by SBB). r may alias a or b. */
static inline __attribute__((always_inline)) void bn_adx_fpw_sub(uint64_t r[8], const uint64_t a[8], const uint64_t b[8]) {
    BN_ADX_UNUSED_DECL
    __asm__("movq 0(%[a]), %%r8\n\t"
            "subq 0(%[b]), %%r8\n\t"
            "movq 8(%[a]), %%r9\n\t"
            "sbbq 8(%[b]), %%r9\n\t"
            "movq 16(%[a]), %%r10\n\t"
            "sbbq 16(%[b]), %%r10\n\t"
            "movq 24(%[a]), %%r11\n\t"
            "sbbq 24(%[b]), %%r11\n\t"
            "movq %%r8, 0(%[r])\n\t"
            "movq %%r9, 8(%[r])\n\t"
            "movq %%r10, 16(%[r])\n\t"
            "movq %%r11, 24(%[r])\n\t"
            "movq 32(%[a]), %%r8\n\t"
            "sbbq 32(%[b]), %%r8\n\t"
            "movq 40(%[a]), %%r9\n\t"
            "sbbq 40(%[b]), %%r9\n\t"
            "movq 48(%[a]), %%r10\n\t"
            "sbbq 48(%[b]), %%r10\n\t"
            "movq 56(%[a]), %%r11\n\t"
            "sbbq 56(%[b]), %%r11\n\t"
            "sbbq %%rax, %%rax\n\t"
            "movq %[p0], %%r13\n\t"
            "andq %%rax, %%r13\n\t"
            "movq %[p1], %%r14\n\t"
            "andq %%rax, %%r14\n\t"
            "movq %[p2], %%rdx\n\t"
            "andq %%rax, %%rdx\n\t"
            "andq %[p3], %%rax\n\t"
            "addq %%r13, %%r8\n\t"
            "adcq %%r14, %%r9\n\t"
            "adcq %%rdx, %%r10\n\t"
            "adcq %%rax, %%r11\n\t"
            "movq %%r8, 32(%[r])\n\t"
            "movq %%r9, 40(%[r])\n\t"
            "movq %%r10, 48(%[r])\n\t"
            "movq %%r11, 56(%[r])\n\t"
            : BN_ADX_OUT(r, 8)
            : [r] "r"(r), [a] "r"(a), [b] "r"(b), BN_ADX_IN(a, 8), BN_ADX_IN(b, 8), BN_ADX_P_OPERANDS(BN_ADX_P, BN_ADX_PINV)
            : "rax", "rdx", "r8", "r9", "r10", "r11", "r13", "r14", "cc", BN_ADX_MEM);
}

/* r = 9 x + y mod N for x < N, y <= N (fpw_mul9_add of wide.h): the low four limbs of 9x + y
 * are stored, the top five (below 10p) are reduced as in bn_adx_mul9_add_reduce.
 * r may alias x or y. */
static inline __attribute__((always_inline)) void bn_adx_fpw_mul9_add(uint64_t r[8], const uint64_t x[8], const uint64_t y[8]) {
    BN_ADX_UNUSED_DECL
    __asm__("movl $9, %%edx\n\t"
            "mulxq 0(%[x]), %%r8, %%r9\n\t"
            "mulxq 8(%[x]), %%rax, %%r10\n\t"
            "addq %%rax, %%r9\n\t"
            "mulxq 16(%[x]), %%rax, %%r11\n\t"
            "adcq %%rax, %%r10\n\t"
            "mulxq 24(%[x]), %%rax, %%r14\n\t"
            "adcq %%rax, %%r11\n\t"
            "adcq $0, %%r14\n\t"
            "addq 0(%[y]), %%r8\n\t"
            "adcq 8(%[y]), %%r9\n\t"
            "adcq 16(%[y]), %%r10\n\t"
            "adcq 24(%[y]), %%r11\n\t"
            "adcq $0, %%r14\n\t"
            /* the low half is final (its stores touch limbs 0..3 only; x and y may alias r) */
            "movq 32(%[y]), %%r12\n\t"
            "movq 40(%[y]), %%r13\n\t"
            "movq 48(%[y]), %%rcx\n\t"
            "movq %%r8, 0(%[r])\n\t"
            "movq %%r9, 8(%[r])\n\t"
            "movq %%r10, 16(%[r])\n\t"
            "movq %%r11, 24(%[r])\n\t"
            "mulxq 32(%[x]), %%r8, %%r9\n\t"
            "addq %%r14, %%r8\n\t"
            "mulxq 40(%[x]), %%rax, %%r10\n\t"
            "adcq %%rax, %%r9\n\t"
            "mulxq 48(%[x]), %%rax, %%r11\n\t"
            "adcq %%rax, %%r10\n\t"
            "movq 56(%[y]), %%r14\n\t"
            "mulxq 56(%[x]), %%rax, %%rdx\n\t"
            "adcq %%rax, %%r11\n\t"
            "adcq $0, %%rdx\n\t"
            "addq %%r12, %%r8\n\t"
            "adcq %%r13, %%r9\n\t"
            "adcq %%rcx, %%r10\n\t"
            "adcq %%r14, %%r11\n\t"
            "adcq $0, %%rdx\n\t"
            "movq %%rdx, %%r12\n\t"
            /* q = high half of ((t >> 200) mod 2^64) * 0x54a, t = (r8..r12) */
            "movq %%r11, %%rdx\n\t"
            "shrdq $8, %%r12, %%rdx\n\t"
            "movl $0x54a, %%eax\n\t"
            "mulxq %%rax, %%rax, %%rdx\n\t"
            "mulxq %[p0], %%r12, %%r13\n\t"
            "mulxq %[p1], %%rax, %%r14\n\t"
            "addq %%r13, %%rax\n\t"
            "mulxq %[p2], %%r13, %%rcx\n\t"
            "adcq %%r14, %%r13\n\t"
            "mulxq %[p3], %%r14, %%rdx\n\t"
            "adcq %%rcx, %%r14\n\t"
            "subq %%r12, %%r8\n\t"
            "sbbq %%rax, %%r9\n\t"
            "sbbq %%r13, %%r10\n\t"
            "sbbq %%r14, %%r11\n\t"
            BN_ADX_FINAL_SUB_STORE_AT("32", "%%r8", "%%r9", "%%r10", "%%r11")
            : BN_ADX_OUT(r, 8)
            : [r] "r"(r), [x] "r"(x), [y] "r"(y), BN_ADX_IN(x, 8), BN_ADX_IN(y, 8), BN_ADX_P_OPERANDS(BN_ADX_P, BN_ADX_PINV)
            : "rax", "rcx", "rdx", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "cc", BN_ADX_MEM);
}

/* r = s - a - b over 8 limbs, for s >= a + b (no borrow out: an exact difference, no
 * correction). r may alias s, a or b (all of s is loaded first). */
static inline __attribute__((always_inline)) void bn_adx_sub8x2(uint64_t r[8], const uint64_t s[8], const uint64_t a[8], const uint64_t b[8]) {
    BN_ADX_UNUSED_DECL
    __asm__("movq 0(%[s]), %%r8\n\t"
            "movq 8(%[s]), %%r9\n\t"
            "movq 16(%[s]), %%r10\n\t"
            "movq 24(%[s]), %%r11\n\t"
            "movq 32(%[s]), %%r12\n\t"
            "movq 40(%[s]), %%r13\n\t"
            "movq 48(%[s]), %%r14\n\t"
            "movq 56(%[s]), %%rax\n\t"
            "subq 0(%[a]), %%r8\n\t"
            "sbbq 8(%[a]), %%r9\n\t"
            "sbbq 16(%[a]), %%r10\n\t"
            "sbbq 24(%[a]), %%r11\n\t"
            "sbbq 32(%[a]), %%r12\n\t"
            "sbbq 40(%[a]), %%r13\n\t"
            "sbbq 48(%[a]), %%r14\n\t"
            "sbbq 56(%[a]), %%rax\n\t"
            "subq 0(%[b]), %%r8\n\t"
            "sbbq 8(%[b]), %%r9\n\t"
            "sbbq 16(%[b]), %%r10\n\t"
            "sbbq 24(%[b]), %%r11\n\t"
            "sbbq 32(%[b]), %%r12\n\t"
            "sbbq 40(%[b]), %%r13\n\t"
            "sbbq 48(%[b]), %%r14\n\t"
            "sbbq 56(%[b]), %%rax\n\t"
            "movq %%r8, 0(%[r])\n\t"
            "movq %%r9, 8(%[r])\n\t"
            "movq %%r10, 16(%[r])\n\t"
            "movq %%r11, 24(%[r])\n\t"
            "movq %%r12, 32(%[r])\n\t"
            "movq %%r13, 40(%[r])\n\t"
            "movq %%r14, 48(%[r])\n\t"
            "movq %%rax, 56(%[r])\n\t"
            : BN_ADX_OUT(r, 8)
            : [r] "r"(r), [s] "r"(s), [a] "r"(a), [b] "r"(b), BN_ADX_IN(s, 8), BN_ADX_IN(a, 8), BN_ADX_IN(b, 8)
            : "rax", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "cc", BN_ADX_MEM);
}

#endif
