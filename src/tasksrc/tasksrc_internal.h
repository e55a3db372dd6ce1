/* Internal helpers shared by the task-source files (not exported). */
#ifndef MPAVS_TASKSRC_INTERNAL_H
#define MPAVS_TASKSRC_INTERNAL_H

#include "mpavs/tasksrc.h"

/* Fill err->message (if err) with a formatted message; returns code. */
int tasksrc_fail(mpavs_error *err, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Turn an RPC failure into MPAVS_TASKSRC_ERR_RPC, moving *re into err->rpc (or clearing it). */
int tasksrc_fail_rpc(mpavs_error *err, mpavs_error *re, int rpc_code, const char *what);

/* A growable NUL-terminated text buffer for the ext JSON. */
typedef struct {
    char *s;
    size_t len, cap;
    bool oom;
} tasksrc_buf;

void tasksrc_buf_raw(tasksrc_buf *b, const char *text);
void tasksrc_buf_quantity(tasksrc_buf *b, uint64_t v);           /* "0x<minimal hex>" with quotes */
void tasksrc_buf_hex(tasksrc_buf *b, const uint8_t *p, size_t n); /* "0x<lower hex>" with quotes */
void tasksrc_buf_u64(tasksrc_buf *b, uint64_t v);                /* decimal number */
/* Close the ext object with `,"reference_block_number":<ref>}` and hand the text to t (ext_json).
 * Returns MPAVS_TASKSRC_OK or _ERR_NOMEM (the buffer is freed). */
int tasksrc_buf_finish_ext(tasksrc_buf *b, mpavs_tasksrc_task *t);

/* u64 from a 32-byte big-endian word; false if it does not fit. */
bool tasksrc_word_u64(uint64_t *out, const uint8_t w[32]);

#endif
