/*
 * Parsers of what operators submit for Scroll/Linea tasks: the Scroll metadata
 * JSON and the PoE JSON in `state`, with Go encoding/json's rules for these
 * structs. A small scanner validates the whole text (as Go does before
 * decoding), so that unknown members are checked but never allocated, and
 * uint64 values keep their full range (jansson stops at 2^63).
 */
#include "tasksrc_internal.h"

#include "mpavs/hex.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define JSON_MAX_DEPTH 64
#define KEY_CAP 64   /* longer keys cannot match a field */
#define VALUE_CAP 160 /* longest accepted string value: "0x" + 130 digits */

typedef struct {
    const uint8_t *p, *end;
    int depth;
    const char *syntax; /* first syntax error, or NULL */
    size_t syntax_at;
    const uint8_t *start;
} jscan;

enum { F_U64, F_HEX };

typedef struct {
    const char *name;
    int kind;
    void *out;   /* uint64_t* or uint8_t[n] */
    size_t n;    /* bytes for F_HEX */
    bool seen;   /* a non-null value was stored */
} jfield;

static bool syntax(jscan *j, const char *what) {
    if (!j->syntax) {
        j->syntax = what;
        j->syntax_at = (size_t)(j->p - j->start);
    }
    return false;
}

static void skip_ws(jscan *j) {
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r')) j->p++;
}

static int hexval(uint8_t c) {
    if (c >= '0' && c <= '9') return c - '0';
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') return (c | 0x20) - 'a' + 10;
    return -1;
}

static void put_utf8(uint8_t *out, size_t cap, size_t *n, bool *trunc, uint32_t cp) {
    uint8_t t[4];
    size_t k;
    if (cp < 0x80) t[0] = (uint8_t)cp, k = 1;
    else if (cp < 0x800) t[0] = (uint8_t)(0xC0 | cp >> 6), t[1] = (uint8_t)(0x80 | (cp & 63)), k = 2;
    else if (cp < 0x10000)
        t[0] = (uint8_t)(0xE0 | cp >> 12), t[1] = (uint8_t)(0x80 | ((cp >> 6) & 63)), t[2] = (uint8_t)(0x80 | (cp & 63)),
        k = 3;
    else
        t[0] = (uint8_t)(0xF0 | cp >> 18), t[1] = (uint8_t)(0x80 | ((cp >> 12) & 63)),
        t[2] = (uint8_t)(0x80 | ((cp >> 6) & 63)), t[3] = (uint8_t)(0x80 | (cp & 63)), k = 4;
    if (*n + k > cap) {
        *trunc = true;
        return;
    }
    memcpy(out + *n, t, k);
    *n += k;
}

static bool read_u4(jscan *j, uint32_t *v) {
    if (j->end - j->p < 4) return false;
    uint32_t x = 0;
    for (int i = 0; i < 4; i++) {
        int d = hexval(j->p[i]);
        if (d < 0) return false;
        x = x << 4 | (uint32_t)d;
    }
    j->p += 4;
    *v = x;
    return true;
}

/*
 * A string at j->p (which is '"'). decoded: escapes decoded into out (cap
 * bytes; *trunc when longer); otherwise the raw bytes between the quotes are
 * copied (*raw_escape set when there was a backslash). Returns false on a
 * syntax error.
 */
static bool scan_string(jscan *j, uint8_t *out, size_t cap, size_t *n, bool *trunc, bool decoded, bool *raw_escape) {
    *n = 0;
    *trunc = false;
    if (raw_escape) *raw_escape = false;
    j->p++; /* opening quote */
    for (;;) {
        if (j->p >= j->end) return syntax(j, "unterminated string");
        uint8_t c = *j->p;
        if (c == '"') {
            j->p++;
            return true;
        }
        if (c < 0x20) return syntax(j, "control character in string");
        if (c != '\\') {
            if (*n < cap) out[(*n)++] = c;
            else *trunc = true;
            j->p++;
            continue;
        }
        if (raw_escape) *raw_escape = true;
        if (j->end - j->p < 2) return syntax(j, "unterminated escape");
        uint8_t e = j->p[1];
        j->p += 2;
        uint32_t cp;
        switch (e) {
        case '"': cp = '"'; break;
        case '\\': cp = '\\'; break;
        case '/': cp = '/'; break;
        case 'b': cp = '\b'; break;
        case 'f': cp = '\f'; break;
        case 'n': cp = '\n'; break;
        case 'r': cp = '\r'; break;
        case 't': cp = '\t'; break;
        case 'u':
            if (!read_u4(j, &cp)) return syntax(j, "bad \\u escape");
            if (cp >= 0xD800 && cp < 0xDC00) { /* a pair if a low surrogate follows, else U+FFFD (Go) */
                uint32_t lo;
                const uint8_t *save = j->p;
                if (j->end - j->p >= 6 && j->p[0] == '\\' && j->p[1] == 'u') {
                    j->p += 2;
                    if (read_u4(j, &lo) && lo >= 0xDC00 && lo < 0xE000) cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    else {
                        j->p = save;
                        cp = 0xFFFD;
                    }
                } else cp = 0xFFFD;
            } else if (cp >= 0xDC00 && cp < 0xE000) cp = 0xFFFD;
            break;
        default: return syntax(j, "bad escape in string");
        }
        if (decoded) put_utf8(out, cap, n, trunc, cp);
    }
}

/* A JSON number at j->p; *integer: digits only (no sign, fraction, exponent). */
static bool scan_number(jscan *j, const uint8_t **s, size_t *len, bool *integer) {
    const uint8_t *b = j->p;
    *integer = true;
    if (j->p < j->end && *j->p == '-') j->p++, *integer = false;
    if (j->p >= j->end) return syntax(j, "truncated number");
    if (*j->p == '0') j->p++;
    else if (*j->p >= '1' && *j->p <= '9')
        while (j->p < j->end && *j->p >= '0' && *j->p <= '9') j->p++;
    else return syntax(j, "invalid number");
    if (j->p < j->end && *j->p == '.') {
        *integer = false;
        j->p++;
        if (j->p >= j->end || *j->p < '0' || *j->p > '9') return syntax(j, "invalid number fraction");
        while (j->p < j->end && *j->p >= '0' && *j->p <= '9') j->p++;
    }
    if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
        *integer = false;
        j->p++;
        if (j->p < j->end && (*j->p == '+' || *j->p == '-')) j->p++;
        if (j->p >= j->end || *j->p < '0' || *j->p > '9') return syntax(j, "invalid number exponent");
        while (j->p < j->end && *j->p >= '0' && *j->p <= '9') j->p++;
    }
    *s = b;
    *len = (size_t)(j->p - b);
    return true;
}

static bool scan_literal(jscan *j, const char *lit) {
    size_t n = strlen(lit);
    if ((size_t)(j->end - j->p) < n || memcmp(j->p, lit, n)) return syntax(j, "invalid literal");
    j->p += n;
    return true;
}

static bool skip_value(jscan *j);

static bool skip_container(jscan *j, uint8_t close) {
    if (++j->depth > JSON_MAX_DEPTH) return syntax(j, "nesting too deep");
    j->p++;
    skip_ws(j);
    if (j->p < j->end && *j->p == close) {
        j->p++;
        j->depth--;
        return true;
    }
    for (;;) {
        skip_ws(j);
        if (close == '}') {
            uint8_t k[1];
            size_t n;
            bool t;
            if (j->p >= j->end || *j->p != '"') return syntax(j, "expected a member name");
            if (!scan_string(j, k, 0, &n, &t, false, NULL)) return false;
            skip_ws(j);
            if (j->p >= j->end || *j->p != ':') return syntax(j, "expected ':'");
            j->p++;
        }
        if (!skip_value(j)) return false;
        skip_ws(j);
        if (j->p >= j->end) return syntax(j, "unterminated container");
        if (*j->p == ',') {
            j->p++;
            continue;
        }
        if (*j->p == close) {
            j->p++;
            j->depth--;
            return true;
        }
        return syntax(j, "expected ',' or end of container");
    }
}

static bool skip_value(jscan *j) {
    skip_ws(j);
    if (j->p >= j->end) return syntax(j, "expected a value");
    uint8_t c = *j->p, b[1];
    size_t n;
    bool t;
    const uint8_t *s;
    switch (c) {
    case '{': return skip_container(j, '}');
    case '[': return skip_container(j, ']');
    case '"': return scan_string(j, b, 0, &n, &t, false, NULL);
    case 't': return scan_literal(j, "true");
    case 'f': return scan_literal(j, "false");
    case 'n': return scan_literal(j, "null");
    default: return scan_number(j, &s, &n, &t);
    }
}

/* Go's case-insensitive field match: ASCII case folding plus the two non-ASCII
 * members of ASCII letters' simple-fold orbits, U+017F (s) and U+212A (k). */
static bool fold_eq(const uint8_t *k, size_t kn, const char *name) {
    size_t i = 0;
    for (const char *c = name; *c; c++) {
        if (i >= kn) return false;
        uint8_t b = k[i];
        if (b < 0x80) {
            if (b >= 'A' && b <= 'Z') b = (uint8_t)(b | 0x20);
            if (b != (uint8_t)*c) return false;
            i++;
        } else if (*c == 's' && kn - i >= 2 && k[i] == 0xC5 && k[i + 1] == 0xBF) i += 2;
        else if (*c == 'k' && kn - i >= 3 && k[i] == 0xE2 && k[i + 1] == 0x84 && k[i + 2] == 0xAA) i += 3;
        else return false;
    }
    return i == kn;
}

typedef struct {
    int code;
    char msg[200];
} field_error;

__attribute__((format(printf, 2, 3))) static void field_fail(field_error *fe, const char *fmt, ...) {
    if (fe->code) return; /* keep the first */
    fe->code = MPAVS_TASKSRC_ERR_FIELD;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(fe->msg, sizeof fe->msg, fmt, ap);
    va_end(ap);
}

static bool parse_u64_field(jscan *j, jfield *f, field_error *fe) {
    if (j->p < j->end && *j->p == 'n') { /* null: leaves the field as it is */
        return scan_literal(j, "null");
    }
    if (j->p < j->end && (*j->p == '-' || (*j->p >= '0' && *j->p <= '9'))) {
        const uint8_t *s;
        size_t n;
        bool integer;
        if (!scan_number(j, &s, &n, &integer)) return false;
        if (!integer) {
            field_fail(fe, "%s: expected an unsigned integer, got the number %.*s", f->name, (int)(n > 40 ? 40 : n), s);
            return true;
        }
        uint64_t v = 0;
        for (size_t i = 0; i < n; i++) {
            uint64_t d = (uint64_t)(s[i] - '0');
            if (v > (UINT64_MAX - d) / 10) {
                field_fail(fe, "%s: %.*s does not fit in 64 bits", f->name, (int)(n > 40 ? 40 : n), s);
                return true;
            }
            v = v * 10 + d;
        }
        *(uint64_t *)f->out = v;
        f->seen = true;
        return true;
    }
    const uint8_t *b = j->p;
    if (!skip_value(j)) return false;
    field_fail(fe, "%s: expected an unsigned integer, got %.20s", f->name,
               b < j->end && *b == '"' ? "a string" : b < j->end && (*b == '{' || *b == '[') ? "an object or array"
                                                                                              : "a boolean");
    return true;
}

static bool parse_hex_field(jscan *j, jfield *f, field_error *fe) {
    if (j->p >= j->end || *j->p != '"') {
        const uint8_t *b = j->p;
        if (!skip_value(j)) return false;
        field_fail(fe, "%s: expected a 0x hex string, got %s", f->name,
                   b < j->end && *b == 'n' ? "null" : "a non-string value");
        return true;
    }
    uint8_t v[VALUE_CAP];
    size_t n;
    bool trunc, esc;
    if (!scan_string(j, v, sizeof v, &n, &trunc, false, &esc)) return false;
    if (esc) {
        field_fail(fe, "%s: escape sequences are not allowed in hex strings", f->name);
        return true;
    }
    if (trunc || n < 2 || v[0] != '0' || (v[1] != 'x' && v[1] != 'X') || n - 2 != 2 * f->n) {
        field_fail(fe, "%s: expected \"0x\" + %zu hex digits (%zu bytes), got %zu characters", f->name, 2 * f->n, f->n,
                   trunc ? (size_t)VALUE_CAP : n);
        return true;
    }
    uint8_t out[65];
    for (size_t i = 0; i < f->n; i++) {
        int hi = hexval(v[2 + 2 * i]), lo = hexval(v[3 + 2 * i]);
        if (hi < 0 || lo < 0) {
            field_fail(fe, "%s: invalid hex digit at position %zu", f->name, 2 + 2 * i + (hi < 0 ? 0 : 1));
            return true;
        }
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    memcpy(f->out, out, f->n);
    f->seen = true;
    return true;
}

/* Parse a JSON object into fields with Go's rules. Returns a result; message in err. */
static int parse_object(mpavs_error *err, const char *what, const uint8_t *json, size_t len, jfield *fields,
                        size_t nfields) {
    jscan j = {.p = json, .end = json + len, .start = json};
    field_error fe = {0};
    skip_ws(&j);
    if (j.p >= j.end) return tasksrc_fail(err, MPAVS_TASKSRC_ERR_JSON, "%s: empty input", what);
    if (*j.p != '{') {
        if (skip_value(&j)) {
            skip_ws(&j);
            if (j.p == j.end) return tasksrc_fail(err, MPAVS_TASKSRC_ERR_JSON, "%s: expected a JSON object", what);
            syntax(&j, "data after the top-level value");
        }
        return tasksrc_fail(err, MPAVS_TASKSRC_ERR_JSON, "%s: invalid JSON at byte %zu: %s", what, j.syntax_at,
                            j.syntax);
    }
    j.p++;
    j.depth = 1;
    skip_ws(&j);
    bool ok = true;
    if (j.p < j.end && *j.p == '}') j.p++;
    else
        for (;;) {
            skip_ws(&j);
            uint8_t key[KEY_CAP];
            size_t kn;
            bool trunc;
            if (j.p >= j.end || *j.p != '"') {
                ok = syntax(&j, "expected a member name");
                break;
            }
            if (!(ok = scan_string(&j, key, sizeof key, &kn, &trunc, true, NULL))) break;
            skip_ws(&j);
            if (j.p >= j.end || *j.p != ':') {
                ok = syntax(&j, "expected ':'");
                break;
            }
            j.p++;
            skip_ws(&j);
            jfield *f = NULL;
            for (size_t i = 0; !trunc && i < nfields && !f; i++)
                if (fold_eq(key, kn, fields[i].name)) f = &fields[i];
            if (!f) ok = skip_value(&j);
            else if (f->kind == F_U64) ok = parse_u64_field(&j, f, &fe);
            else ok = parse_hex_field(&j, f, &fe);
            if (!ok) break;
            skip_ws(&j);
            if (j.p < j.end && *j.p == ',') {
                j.p++;
                continue;
            }
            if (j.p < j.end && *j.p == '}') {
                j.p++;
                break;
            }
            ok = syntax(&j, "expected ',' or '}'");
            break;
        }
    if (ok) {
        skip_ws(&j);
        if (j.p != j.end) ok = syntax(&j, "data after the top-level value");
    }
    if (!ok)
        return tasksrc_fail(err, MPAVS_TASKSRC_ERR_JSON, "%s: invalid JSON at byte %zu: %s", what, j.syntax_at,
                            j.syntax);
    if (fe.code) return tasksrc_fail(err, fe.code, "%s: %s", what, fe.msg);
    return MPAVS_TASKSRC_OK;
}

int mpavs_tasksrc_scroll_metadata_parse(mpavs_tasksrc_scroll_metadata *out, mpavs_error *err,
                                        const uint8_t *json, size_t len) {
    MPAVS_REQUIRE(out && (json || !len));
    mpavs_tasksrc_scroll_metadata m = {0};
    jfield f[] = {
        {"batch_id", F_U64, &m.batch_id, 0, false},
        {"start_block", F_U64, &m.start_block, 0, false},
        {"end_block", F_U64, &m.end_block, 0, false},
    };
    int r = parse_object(err, "scroll metadata", json ? json : (const uint8_t *)"", len, f, sizeof f / sizeof f[0]);
    *out = r ? (mpavs_tasksrc_scroll_metadata){0} : m;
    return r;
}

size_t mpavs_tasksrc_scroll_metadata_format(char *out, size_t cap, const mpavs_tasksrc_scroll_metadata *m) {
    MPAVS_REQUIRE(m && (out || !cap));
    char b[96];
    int n;
    if (m->batch_id)
        n = snprintf(b, sizeof b, "{\"batch_id\":%llu,\"start_block\":%llu,\"end_block\":%llu}",
                     (unsigned long long)m->batch_id, (unsigned long long)m->start_block,
                     (unsigned long long)m->end_block);
    else
        n = snprintf(b, sizeof b, "{\"start_block\":%llu,\"end_block\":%llu}", (unsigned long long)m->start_block,
                     (unsigned long long)m->end_block);
    if (cap) {
        size_t k = (size_t)n < cap ? (size_t)n : cap - 1;
        memcpy(out, b, k);
        out[k] = 0;
    }
    return (size_t)n;
}

bool mpavs_tasksrc_scroll_exec_sampling_ok(const mpavs_tasksrc_scroll_metadata *m, uint64_t sampling) {
    MPAVS_REQUIRE(m);
    return m->batch_id == 0 || sampling == 0 || m->batch_id % sampling == 0;
}

bool mpavs_tasksrc_scroll_gen_sampling_ok(uint64_t batch_index, uint64_t sampling) {
    return sampling == 0 || batch_index % sampling == 0;
}

int mpavs_tasksrc_poe_parse(mpavs_tasksrc_poe *out, mpavs_error *err, const uint8_t *json, size_t len) {
    MPAVS_REQUIRE(out && (json || !len));
    mpavs_tasksrc_poe p;
    memset(&p, 0, sizeof p);
    jfield f[] = {
        {"batch_hash", F_HEX, p.batch_hash, 32, false},           {"state_hash", F_HEX, p.state_hash, 32, false},
        {"prev_state_root", F_HEX, p.prev_state_root, 32, false}, {"new_state_root", F_HEX, p.new_state_root, 32, false},
        {"withdrawal_root", F_HEX, p.withdrawal_root, 32, false}, {"signature", F_HEX, p.signature, 65, false},
    };
    int r = parse_object(err, "poe", json ? json : (const uint8_t *)"", len, f, sizeof f / sizeof f[0]);
    for (size_t i = 0; !r && i < sizeof f / sizeof f[0]; i++)
        if (!f[i].seen) r = tasksrc_fail(err, MPAVS_TASKSRC_ERR_FIELD, "poe: %s: missing", f[i].name);
    if (r) memset(out, 0, sizeof *out);
    else *out = p;
    return r;
}
