/*
 * daemons/common/textbuf.h — a growable text buffer for building replies (Prometheus text etc.).
 *
 * Zero-initialise a dbuf, append with dbuf_printf, take b.s (malloc'd, NUL-terminated, NULL when
 * nothing was written). An allocation failure leaves the text written so far (truncated).
 */
#ifndef MPAVS_DAEMON_TEXTBUF_H
#define MPAVS_DAEMON_TEXTBUF_H

#include <stddef.h>

typedef struct {
    char *s;
    size_t len, cap;
} dbuf;

/** Append printf-formatted text. */
void dbuf_printf(dbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
