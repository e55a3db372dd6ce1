/* daemons/common/log.c — see log.h. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Process-wide threshold: written once at start-up (daemon code, not the library). */
static dlog_level g_level = DLOG_INFO;

static const char *const NAMES[] = {"debug", "info", "warn", "error"};

void dlog_set_level(dlog_level lvl) { g_level = lvl; }

bool dlog_parse_level(const char *s, dlog_level *lvl) {
    for (int i = 0; i < 4; i++)
        if (s && strcmp(s, NAMES[i]) == 0) {
            *lvl = (dlog_level)i;
            return true;
        }
    return false;
}

void dlog(dlog_level lvl, const char *event, const char *fmt, ...) {
    if (lvl < g_level || lvl > DLOG_ERROR) return;
    char line[2048];
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    int n = snprintf(line, sizeof line, "ts=%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ level=%s event=%s",
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                     ts.tv_nsec / 1000000, NAMES[lvl], event ? event : "-");
    if (n < 0) return;
    size_t len = (size_t)n < sizeof line ? (size_t)n : sizeof line - 1;
    if (fmt && *fmt && len + 2 < sizeof line) {
        line[len++] = ' ';
        va_list ap;
        va_start(ap, fmt);
        int m = vsnprintf(line + len, sizeof line - len, fmt, ap);
        va_end(ap);
        if (m > 0) len += (size_t)m < sizeof line - len ? (size_t)m : sizeof line - len - 1;
    }
    if (len >= sizeof line - 1) len = sizeof line - 2;
    line[len++] = '\n';
    ssize_t w = write(STDERR_FILENO, line, len);
    (void)w;
}

const char *dlog_quote(char *out, size_t cap, const char *value) {
    if (cap < 3) {
        if (cap) out[0] = 0;
        return out;
    }
    size_t o = 0;
    out[o++] = '"';
    for (const char *p = value ? value : ""; *p; p++) {
        unsigned char c = (unsigned char)*p;
        char esc[8];
        size_t el;
        if (c == '"' || c == '\\') {
            esc[0] = '\\';
            esc[1] = (char)c;
            el = 2;
        } else if (c < 0x20 || c == 0x7f) {
            el = (size_t)snprintf(esc, sizeof esc, "\\x%02x", c);
        } else {
            esc[0] = (char)c;
            el = 1;
        }
        if (o + el + 2 > cap) break;
        memcpy(out + o, esc, el);
        o += el;
    }
    out[o++] = '"';
    out[o] = 0;
    return out;
}

void dlog_lines(dlog_level lvl, const char *event, const char *file, const char *text) {
    char line[1024], q[1100], fq[600];
    dlog_quote(fq, sizeof fq, file);
    for (const char *p = text ? text : ""; *p;) {
        size_t n = strcspn(p, "\n");
        const char *s = p;
        while (s < p + n && *s == ' ') s++;
        size_t m = (size_t)(p + n - s);
        if (m) {
            if (m >= sizeof line) m = sizeof line - 1;
            memcpy(line, s, m);
            line[m] = 0;
            dlog(lvl, event, "file=%s problem=%s", fq, dlog_quote(q, sizeof q, line));
        }
        p += n;
        if (*p == '\n') p++;
    }
}
