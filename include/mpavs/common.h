/*
 * mpavs/common.h — conventions shared by every libmpavs header.
 *
 * Argument order, everywhere: context first, then outputs, then in/out
 * arguments, then inputs; every length immediately follows its pointer.
 *
 * Results: each module has a small result enum whose 0 is success (named
 * MPAVS_<MODULE>_OK) and a function mpavs_<module>_strerror() that names
 * each value. Verification functions return whether the check could be
 * made and write the verdict to a separate `bool *ok` output, so that
 * "invalid" is never confused with "could not check".
 *
 * Caller bugs (a NULL pointer where one is required, an impossible flag)
 * are programming errors: they abort through mpavs_abort(); malformed data
 * from outside is always a result code.
 *
 * Error details: a function that can say more than its result code takes a
 * `mpavs_error *err` (may be NULL) after its other outputs and fills it on
 * failure: err->code (the same result value), err->module, err->message
 * (one line: what was expected and what came) and, for failures reported by
 * a JSON-RPC node, err->rpc_code and err->data. Release it with
 * mpavs_error_clear(); a zeroed mpavs_error is a valid "no error".
 *
 * Lifecycle, one rule for the whole API:
 *   - heap-allocated opaque contexts (long-lived state): mpavs_x_create() /
 *     mpavs_x_destroy() (as libsecp256k1);
 *   - heap values handed to the caller (trees, arrays): made by mpavs_x_new()
 *     or returned by a function, released by mpavs_x_free();
 *   - caller-owned structs (on the stack or inside the caller's own): set up
 *     by mpavs_x_init() when they need it, released by mpavs_x_clear(),
 *     which leaves them zeroed and may be called again.
 * Every release function accepts NULL (and a zeroed struct).
 *
 * The library holds no process-global mutable state: long-lived state lives
 * in opaque contexts created and destroyed by the caller.
 */
#ifndef MPAVS_COMMON_H
#define MPAVS_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Marks a function exported from libmpavs.so (everything else is hidden). */
#define MPAVS_API __attribute__((visibility("default")))

/** Marks a function whose result must be looked at. */
#define MPAVS_WARN_UNUSED __attribute__((warn_unused_result))

/**
 * Report a programming error (a broken precondition) and abort the process.
 * In: file, line: where; msg: what was violated. Never returns.
 */
MPAVS_API void mpavs_abort(const char *file, int line, const char *msg) __attribute__((noreturn));

/** Check a precondition on the caller's arguments; aborts if it does not hold. */
#define MPAVS_REQUIRE(cond)                                                                        \
    do {                                                                                           \
        if (!(cond)) mpavs_abort(__FILE__, __LINE__, "requirement failed: " #cond);               \
    } while (0)

/**
 * Overwrite n bytes at p with zeros in a way the compiler cannot elide.
 * Use it for every buffer that held a secret. p may be NULL when n is 0.
 */
MPAVS_API void mpavs_wipe(void *p, size_t n);

/**
 * Compare n bytes of a and b in time independent of their contents.
 * Returns 1 if equal, 0 otherwise.
 */
MPAVS_API int mpavs_ct_memeq(const void *a, const void *b, size_t n);

/** Details of a failure (see the file comment). */
typedef struct {
    int code;           /* the module's result value (0: no error) */
    const char *module; /* "rpc", "keystore", "contracts", ... (static storage), or NULL */
    char message[512];  /* one line, NUL-terminated ("" when there is nothing to add) */
    long rpc_code;      /* JSON-RPC error.code (MPAVS_RPC_ERR_RPC) or HTTP status (_ERR_HTTP); else 0 */
    uint8_t *data;      /* JSON-RPC error.data (revert data, hex-decoded), malloc'd, or NULL */
    size_t data_len;
} mpavs_error;

/** Release err->data and zero *err (NULL allowed; safe on a zeroed or cleared error). */
MPAVS_API void mpavs_error_clear(mpavs_error *err);

/**
 * Fill out with n bytes from the operating system's CSPRNG (getrandom(2)).
 * Returns 0 on success, -1 if the OS could not provide randomness (out is
 * then wiped).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_random_bytes(void *out, size_t n);

#ifdef __cplusplus
}
#endif
#endif
