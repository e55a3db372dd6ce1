/* Process-free helpers shared by every module: abort, wipe, ct compare, randomness. */
#include "mpavs/common.h"
#include "util/ct.h"

#include "util/error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

void mpavs_abort(const char *file, int line, const char *msg) {
    fprintf(stderr, "libmpavs: %s:%d: %s\n", file, line, msg);
    abort();
}

void mpavs_wipe(void *p, size_t n) {
    if (n == 0) return;
    memset(p, 0, n);
    /* The asm barrier tells the compiler the zeroed memory is read. */
    __asm__ __volatile__("" : : "r"(p) : "memory");
}

void mpavs_error_clear(mpavs_error *err) {
    if (!err) return;
    free(err->data);
    memset(err, 0, sizeof *err);
}

int mpavs_error_set(mpavs_error *err, const char *module, int code, const char *fmt, ...) {
    if (!err) return code;
    mpavs_error_clear(err);
    err->code = code;
    err->module = module;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    for (char *p = err->message; *p; p++)
        if (*p == '\n' || *p == '\r') *p = ' ';
    return code;
}

int mpavs_ct_memeq(const void *a, const void *b, size_t n) {
    const volatile unsigned char *x = a, *y = b;
    unsigned char d = 0;
    for (size_t i = 0; i < n; i++) d |= (unsigned char)(x[i] ^ y[i]);
    return (int)(ct_mask_zero(d) & 1);
}

int mpavs_random_bytes(void *out, size_t n) {
    unsigned char *p = out;
    size_t got = 0;
    while (got < n) {
        ssize_t r = getrandom(p + got, n - got, 0);
        if (r < 0) {
            if (errno == EINTR) continue;
            mpavs_wipe(out, n);
            return -1;
        }
        got += (size_t)r;
    }
    return 0;
}
