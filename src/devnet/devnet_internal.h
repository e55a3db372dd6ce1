/*
 * src/devnet/devnet_internal.h — helpers shared by the devnet module (not exported):
 * a growable text buffer, error reporting into the context, calldata from a signature and a
 * cast-syntax argument tuple, sending/calling with decoded reverts, forge artifacts.
 */
#ifndef MPAVS_DEVNET_INTERNAL_H
#define MPAVS_DEVNET_INTERNAL_H

#include "mpavs/abi.h"
#include "mpavs/devnet.h"

#include <stdarg.h>

/* A growable NUL-terminated string; oom is sticky. */
typedef struct {
    char *s;
    size_t len, cap;
    bool oom;
} dv_str;

/* Append printf-formatted text. */
void dv_printf(dv_str *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append "0x" and the lower-case hex of p[0..n). */
void dv_hex(dv_str *b, const uint8_t *p, size_t n);
/* Append an address as 0x lower-case hex. */
void dv_addr(dv_str *b, const mpavs_address *a);
/* Append a u256 in decimal. */
void dv_u256(dv_str *b, const mpavs_u256 *v);
/* Release the buffer. */
void dv_str_free(dv_str *b);

/* Write "step: message" to c->error and return code. */
int dv_fail(mpavs_devnet_ctx *c, int code, const char *step, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* The custom error signatures of the AVS contracts (for revert decoding). */
extern const char *const dv_errors[];
extern const size_t dv_nerrors;

/* Calldata of sig with its arguments as one cast-syntax tuple text "(a, b, ...)". */
int dv_calldata(mpavs_devnet_ctx *c, uint8_t **out, size_t *len, const char *sig, const char *args, const char *step);
/*
 * Send data to `to` (NULL: create a contract) from the sender; a revert, failure or
 * non-success receipt becomes an error. Out: *created (may be NULL) for creations,
 * *gas_used (may be NULL).
 */
int dv_send_raw(mpavs_devnet_ctx *c, const mpavs_address *to, const uint8_t *data, size_t len, const char *step,
                mpavs_address *created, uint64_t *gas_used);
/* dv_calldata + dv_send_raw. args may be NULL for "()". */
int dv_tx(mpavs_devnet_ctx *c, const mpavs_address *to, const char *sig, const char *args, const char *step);
/*
 * eth_call of sig "f(in)(out)" at tag (NULL: "latest") and decode the outputs.
 * Out: *ret (a tuple of the outputs; release with mpavs_abi_value_free) and *sig_out (the
 * parsed signature that owns the output types; release with mpavs_abi_signature_free).
 */
int dv_call(mpavs_devnet_ctx *c, const mpavs_address *to, const char *sig, const char *args, const char *tag,
            mpavs_abi_value **ret, mpavs_abi_signature **sig_out, const char *step);
/*
 * Deploy contract `name` from <dir>/<file>.sol/<name>.json with constructor arguments
 * (ctor_types "(t1,t2)" and args tuple text; both NULL for none). Out: *addr.
 */
int dv_deploy(mpavs_devnet_ctx *c, const char *dir, const char *file, const char *name, const char *ctor_types,
              const char *args, mpavs_address *addr);

#endif
