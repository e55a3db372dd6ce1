/*
 * tests/ctime/ctime_support.h — what every ctime check shares: SECRET/PUBLIC marks for valgrind's
 * memcheck (in the style of libsecp256k1's ctime_tests.c) and the refusal to pass outside valgrind
 * (without it the marks do nothing and the check would prove nothing).
 */
#ifndef MPAVS_CTIME_SUPPORT_H
#define MPAVS_CTIME_SUPPORT_H

#include <stdio.h>
#include <valgrind/memcheck.h>
#include <valgrind/valgrind.h>

/* Any branch or memory index computed from these bytes is reported by memcheck. */
#define SECRET(p, n) VALGRIND_MAKE_MEM_UNDEFINED((p), (n))
/* Declassify an output before the check looks at it. */
#define PUBLIC(p, n) VALGRIND_MAKE_MEM_DEFINED((p), (n))

/* Return 1 (after the "0 passed, 1 failed" line tests/run counts) unless running under valgrind. */
static inline int ctime_require_valgrind(const char *name) {
    if (RUNNING_ON_VALGRIND) return 0;
    fprintf(stderr, "%s: not running under valgrind: the constant-time marks would do nothing; "
                    "run `make ctime` (valgrind --error-exitcode=42 %s)\n", name, name);
    printf("%s: 0 passed, 1 failed\n", name);
    return 1;
}

#endif
