/* Task sources: results, errors, logs, tasks and the ext JSON text buffer. */
#include "tasksrc_internal.h"
#include "util/error.h"

#include "mpavs/keccak.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *mpavs_tasksrc_strerror(int r) {
    switch (r) {
    case MPAVS_TASKSRC_OK: return "ok";
    case MPAVS_TASKSRC_ERR_RPC: return "chain RPC call failed";
    case MPAVS_TASKSRC_ERR_TX_NOT_FOUND: return "transaction not found";
    case MPAVS_TASKSRC_ERR_LOG: return "log is not the expected event";
    case MPAVS_TASKSRC_ERR_NOT_DIRECT: return "commit transaction is not a direct call to the contract";
    case MPAVS_TASKSRC_ERR_SELECTOR: return "unexpected calldata selector";
    case MPAVS_TASKSRC_ERR_CALLDATA: return "calldata does not decode";
    case MPAVS_TASKSRC_ERR_CHUNK: return "malformed batch chunks";
    case MPAVS_TASKSRC_ERR_NO_PREVIOUS: return "no previous finalization log";
    case MPAVS_TASKSRC_ERR_NOT_SEQUENTIAL: return "batches are not sequential";
    case MPAVS_TASKSRC_ERR_RANGE: return "finalization does not advance";
    case MPAVS_TASKSRC_ERR_JSON: return "malformed JSON";
    case MPAVS_TASKSRC_ERR_FIELD: return "invalid JSON field";
    case MPAVS_TASKSRC_ERR_NOMEM: return "out of memory";
    default: return "unknown task source error";
    }
}

int tasksrc_fail(mpavs_error *err, int code, const char *fmt, ...) {
    if (err) {
        char msg[sizeof err->message];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        (void)mpavs_error_set(err, "tasksrc", code, "%s", msg);
    }
    return code;
}

int tasksrc_fail_rpc(mpavs_error *err, mpavs_error *re, int rpc_code, const char *what) {
    if (err) {
        (void)mpavs_error_set(err, "tasksrc", MPAVS_TASKSRC_ERR_RPC, "%s: %s: %s", what, mpavs_rpc_strerror(rpc_code),
                              re->message);
        err->rpc_code = re->rpc_code; /* the node's code and data stay available */
        err->data = re->data;
        err->data_len = re->data_len;
        re->data = NULL;
    }
    mpavs_error_clear(re);
    return MPAVS_TASKSRC_ERR_RPC;
}

void mpavs_tasksrc_scroll_commit_topic(uint8_t out[32]) {
    static const char sig[] = "CommitBatch(uint256,bytes32)";
    mpavs_keccak256(out, sig, sizeof sig - 1);
}

void mpavs_tasksrc_linea_finalized_topic(uint8_t out[32]) {
    static const char sig[] = "DataFinalized(uint256,bytes32,bytes32,bool)";
    mpavs_keccak256(out, sig, sizeof sig - 1);
}

void mpavs_tasksrc_log_clear(mpavs_rpc_log *l) {
    if (!l) return;
    free(l->data);
    memset(l, 0, sizeof *l);
}

int mpavs_tasksrc_log_copy(mpavs_rpc_log *dst, const mpavs_rpc_log *src) {
    MPAVS_REQUIRE(dst && src && src->ntopics <= 4);
    mpavs_rpc_log c = *src;
    c.data = NULL;
    if (src->data_len) {
        c.data = malloc(src->data_len);
        if (!c.data) {
            memset(dst, 0, sizeof *dst);
            return MPAVS_TASKSRC_ERR_NOMEM;
        }
        memcpy(c.data, src->data, src->data_len);
    }
    *dst = c;
    return MPAVS_TASKSRC_OK;
}

void mpavs_tasksrc_task_clear(mpavs_tasksrc_task *t) {
    if (!t) return;
    free(t->batch_data);
    free(t->ext_json);
    memset(t, 0, sizeof *t);
}

bool tasksrc_word_u64(uint64_t *out, const uint8_t w[32]) {
    for (int i = 0; i < 24; i++)
        if (w[i]) return false;
    uint64_t v = 0;
    for (int i = 24; i < 32; i++) v = v << 8 | w[i];
    *out = v;
    return true;
}

/* ---- text buffer ---- */

static bool buf_reserve(tasksrc_buf *b, size_t extra) {
    if (b->oom) return false;
    if (extra > SIZE_MAX / 2 - b->len) {
        b->oom = true;
        return false;
    }
    if (b->len + extra + 1 <= b->cap) return true;
    size_t nc = b->cap ? b->cap : 256;
    while (nc < b->len + extra + 1) nc *= 2;
    char *s = realloc(b->s, nc);
    if (!s) {
        b->oom = true;
        return false;
    }
    b->s = s;
    b->cap = nc;
    return true;
}

void tasksrc_buf_raw(tasksrc_buf *b, const char *text) {
    size_t n = strlen(text);
    if (!buf_reserve(b, n)) return;
    memcpy(b->s + b->len, text, n + 1);
    b->len += n;
}

void tasksrc_buf_quantity(tasksrc_buf *b, uint64_t v) {
    char t[24];
    snprintf(t, sizeof t, "\"0x%llx\"", (unsigned long long)v);
    tasksrc_buf_raw(b, t);
}

void tasksrc_buf_u64(tasksrc_buf *b, uint64_t v) {
    char t[24];
    snprintf(t, sizeof t, "%llu", (unsigned long long)v);
    tasksrc_buf_raw(b, t);
}

void tasksrc_buf_hex(tasksrc_buf *b, const uint8_t *p, size_t n) {
    static const char digits[] = "0123456789abcdef";
    if (n > (SIZE_MAX - 8) / 2 || !buf_reserve(b, 2 * n + 4)) {
        b->oom = true;
        return;
    }
    char *o = b->s + b->len;
    *o++ = '"';
    *o++ = '0';
    *o++ = 'x';
    for (size_t i = 0; i < n; i++) {
        *o++ = digits[p[i] >> 4];
        *o++ = digits[p[i] & 15];
    }
    *o++ = '"';
    *o = 0;
    b->len += 2 * n + 4;
}

int tasksrc_buf_finish_ext(tasksrc_buf *b, mpavs_tasksrc_task *t) {
    tasksrc_buf_raw(b, ",\"reference_block_number\":");
    tasksrc_buf_u64(b, t->reference_block);
    tasksrc_buf_raw(b, "}");
    if (b->oom) {
        free(b->s);
        b->s = NULL;
        return MPAVS_TASKSRC_ERR_NOMEM;
    }
    t->ext_json = b->s;
    t->ext_json_len = b->len;
    return MPAVS_TASKSRC_OK;
}
