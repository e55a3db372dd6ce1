/*
 * daemons/common/log.h — leveled key=value logging for the mpavs daemons.
 *
 * One line per event on stderr:
 *   ts=2026-11-22T06:40:01.123Z level=info event=listening addr=127.0.0.1:18232
 * The event name comes first; the caller's printf-style fields follow. Values
 * that may contain spaces or quotes should be passed through dlog_quote().
 * The level threshold is process-wide (set once at start-up, before threads).
 * Lines are written with a single write(2) so concurrent threads do not interleave.
 */
#ifndef MPAVS_DAEMON_LOG_H
#define MPAVS_DAEMON_LOG_H

#include <stdbool.h>
#include <stddef.h>

typedef enum { DLOG_DEBUG = 0, DLOG_INFO, DLOG_WARN, DLOG_ERROR } dlog_level;

/** Set the minimum level printed (default DLOG_INFO). */
void dlog_set_level(dlog_level lvl);
/** Parse "debug", "info", "warn" or "error". Out: *lvl. Returns false for anything else. */
bool dlog_parse_level(const char *s, dlog_level *lvl);
/** Log event with key=value fields given as a printf format (may be NULL for none). */
void dlog(dlog_level lvl, const char *event, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/**
 * Log each non-empty line of text (leading spaces dropped) as one event with fields
 * file=<file> problem="<line>" (configuration warnings at start-up, one line per problem).
 */
void dlog_lines(dlog_level lvl, const char *event, const char *file, const char *text);
/**
 * Quote a value for a key=value field: "..." with \" \\ and control characters escaped,
 * truncated to fit. Out: out (cap bytes, NUL-terminated). Returns out.
 */
const char *dlog_quote(char *out, size_t cap, const char *value);

/** Largest quoted value DLOG_Q gives (longer values are truncated). */
#define DLOG_QUOTE_MAX 512
/**
 * value quoted by dlog_quote into a buffer that lives until the end of the enclosing block (a
 * compound literal): for a "%s" field of one dlog call, e.g. dlog(.., "error=%s", DLOG_Q(msg)).
 */
#define DLOG_Q(value) dlog_quote((char[DLOG_QUOTE_MAX]){0}, DLOG_QUOTE_MAX, (value))

#endif
