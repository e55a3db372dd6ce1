/*
 * tests/support/harness.h — the tiny test harness every unit test uses.
 *
 * A test binary defines test functions with TEST(name) and lists them in
 * main() with RUN(name); it ends with `return harness_summary();`, which
 * prints "<binary>: N passed, N failed" and returns non-zero on failure.
 * CHECK() records a failure and continues; REQUIRE() stops the test.
 * Data files: harness_path("tests/vectors/x") resolves paths against the
 * repository root (MPAVS_ROOT, or the working directory), and
 * harness_shared("vectors/keystores/x") against ../shared beside it
 * (MPAVS_SHARED overrides).
 */
#ifndef MPAVS_TEST_HARNESS_H
#define MPAVS_TEST_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

extern int harness_failed_checks;
void harness_run(const char *name, void (*fn)(void));
int harness_summary(void);
void harness_fail(const char *file, int line, const char *what);
const char *harness_path(const char *rel);   /* static buffer, valid until next call */
const char *harness_shared(const char *rel); /* static buffer, valid until next call */
/* Reads a whole file; returns malloc'd bytes (NUL-terminated) and its length, or NULL. */
unsigned char *harness_read_file(const char *path, size_t *len);
/* Parses hex (with or without 0x) into out; returns the byte count or -1. */
long harness_unhex(unsigned char *out, size_t cap, const char *hex);
/* Formats bytes as lowercase hex without 0x into a static buffer. */
const char *harness_hex(const unsigned char *b, size_t n);

/* Calls fn(arg, path) for every file whose name contains ".json" under dir, recursing into
 * subdirectories (directory order; names starting with '.' skipped; an unreadable dir: nothing). */
void harness_walk_json(const char *dir, void (*fn)(void *arg, const char *path), void *arg);

#define TEST(name) static void name(void)
#define RUN(name) harness_run(#name, name)
#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) harness_fail(__FILE__, __LINE__, #cond);                                      \
    } while (0)
#define REQUIRE(cond)                                                                              \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            harness_fail(__FILE__, __LINE__, #cond);                                               \
            return;                                                                                \
        }                                                                                          \
    } while (0)
#define CHECK_EQ_INT(a, b)                                                                         \
    do {                                                                                           \
        long long _a = (long long)(a), _b = (long long)(b);                                        \
        if (_a != _b) {                                                                            \
            char _m[320];                                                                          \
            snprintf(_m, sizeof _m, "%.100s == %.100s (%lld != %lld)", #a, #b, _a, _b);                    \
            harness_fail(__FILE__, __LINE__, _m);                                                  \
        }                                                                                          \
    } while (0)
#define CHECK_STREQ(a, b)                                                                          \
    do {                                                                                           \
        const char *_a = (a), *_b = (b);                                                           \
        if (!_a || !_b || strcmp(_a, _b) != 0) {                                                   \
            char _m[1024];                                                                         \
            snprintf(_m, sizeof _m, "%s == %s (\"%.400s\" != \"%.400s\")", #a, #b,                 \
                     _a ? _a : "(null)", _b ? _b : "(null)");                                      \
            harness_fail(__FILE__, __LINE__, _m);                                                  \
        }                                                                                          \
    } while (0)
#define CHECK_MEMEQ(a, b, n) CHECK(memcmp((a), (b), (n)) == 0)

#endif
