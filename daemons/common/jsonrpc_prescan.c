/* daemons/common/jsonrpc_prescan.c — see jsonrpc_prescan.h. */
#include "jsonrpc_prescan.h"

#include <ctype.h>
#include <string.h>

static size_t skip_ws(const char *s, size_t i, size_t len) {
    while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) i++;
    return i;
}

/* s[i] is '"': the index after the closing quote, or 0 when the string does not end (or holds a
   control character). *escaped: it holds a backslash. */
static size_t skip_string(const char *s, size_t i, size_t len, bool *escaped) {
    for (i++; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20) return 0;
        if (c == '"') return i + 1;
        if (c == '\\') {
            *escaped = true;
            if (++i == len) return 0;
        }
    }
    return 0;
}

/* A value starting at s[i]: the index after it, or 0. Containers are skipped by bracket count. */
static size_t skip_value(const char *s, size_t i, size_t len) {
    bool esc = false;
    if (i >= len) return 0;
    if (s[i] == '"') return skip_string(s, i, len, &esc);
    if (s[i] == '{' || s[i] == '[') {
        size_t depth = 0;
        while (i < len) {
            char c = s[i];
            if (c == '"') {
                i = skip_string(s, i, len, &esc);
                if (!i) return 0;
                continue;
            }
            if (c == '{' || c == '[') depth++;
            else if (c == '}' || c == ']') {
                if (--depth == 0) return i + 1;
            }
            i++;
        }
        return 0;
    }
    size_t st = i; /* a scalar: true, false, null or number characters */
    while (i < len && (isalnum((unsigned char)s[i]) || s[i] == '+' || s[i] == '-' || s[i] == '.')) i++;
    size_t n = i - st;
    if ((n == 4 && (!memcmp(s + st, "true", 4) || !memcmp(s + st, "null", 4))) || (n == 5 && !memcmp(s + st, "false", 5)))
        return i;
    if (n == 0) return 0;
    for (size_t k = st; k < i; k++)
        if (!strchr("+-.0123456789eE", s[k])) return 0; /* s[k] is alphanumeric or a sign, never NUL */
    return i;
}

bool drpc_prescan_request(drpc_prescan *out, const char *body, size_t len) {
    static const char *const NAMES[4] = {"jsonrpc", "method", "id", "params"};
    memset(out, 0, sizeof *out);
    drpc_token *slot[4] = {&out->jsonrpc, &out->method, &out->id, &out->params};
    size_t i = skip_ws(body, 0, len);
    if (i >= len || body[i] != '{') return false;
    i = skip_ws(body, i + 1, len);
    if (i < len && body[i] == '}') return skip_ws(body, i + 1, len) == len;
    for (;;) {
        if (i >= len || body[i] != '"') return false;
        bool esc = false;
        size_t kend = skip_string(body, i, len, &esc);
        if (!kend || esc) return false;
        const char *key = body + i + 1;
        size_t klen = kend - i - 2;
        i = skip_ws(body, kend, len);
        if (i >= len || body[i] != ':') return false;
        i = skip_ws(body, i + 1, len);
        size_t vend = skip_value(body, i, len);
        if (!vend) return false;
        for (int k = 0; k < 4; k++)
            if (klen == strlen(NAMES[k]) && !memcmp(key, NAMES[k], klen)) {
                if (slot[k]->text) return false; /* a duplicate: the parser keeps the last one */
                *slot[k] = (drpc_token){body + i, vend - i};
            }
        i = skip_ws(body, vend, len);
        if (i < len && body[i] == ',') {
            i = skip_ws(body, i + 1, len);
            continue;
        }
        if (i < len && body[i] == '}') return skip_ws(body, i + 1, len) == len;
        return false;
    }
}
