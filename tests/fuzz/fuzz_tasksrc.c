/*
 * libFuzzer target for the task-source parsers of outside data: the Scroll
 * metadata JSON and the PoE JSON (operator submissions) and the Scroll commit
 * calldata chunk walker (chain data). The first byte picks the parser.
 * Properties: no crash or leak; accepted metadata re-encodes (Go form) and
 * parses back to the same values; an accepted calldata gives start <= end and
 * a task whose ext JSON holds the calldata after the selector.
 */
#include "mpavs/tasksrc.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    uint8_t sel = data[0];
    data++;
    size--;
    mpavs_error e = {0};
    switch (sel % 3) {
    case 0: {
        mpavs_tasksrc_scroll_metadata m, m2;
        if (mpavs_tasksrc_scroll_metadata_parse(&m, &e, data, size) == MPAVS_TASKSRC_OK) {
            char out[96];
            size_t n = mpavs_tasksrc_scroll_metadata_format(out, sizeof out, &m);
            if (n >= sizeof out) abort();
            if (mpavs_tasksrc_scroll_metadata_parse(&m2, &e, (const uint8_t *)out, n) != MPAVS_TASKSRC_OK ||
                memcmp(&m, &m2, sizeof m))
                abort();
        } else if (m.batch_id || m.start_block || m.end_block) abort();
        break;
    }
    case 1: {
        mpavs_tasksrc_poe p;
        (void)mpavs_tasksrc_poe_parse(&p, &e, data, size);
        break;
    }
    default: {
        uint64_t s, en;
        uint8_t tx[32] = {0};
        if (mpavs_tasksrc_scroll_block_range(&s, &en, &e, data, size) == MPAVS_TASKSRC_OK) {
            if (s > en) abort();
            mpavs_tasksrc_task t;
            if (mpavs_tasksrc_scroll_task_from_calldata(&t, &e, 1, tx, data, size, 2) != MPAVS_TASKSRC_OK) abort();
            if (t.start_block != s || t.end_block != en || t.batch_data_len != size - 4 ||
                t.ext_json_len != strlen(t.ext_json))
                abort();
            mpavs_tasksrc_task_clear(&t);
        }
        break;
    }
    }
    mpavs_error_clear(&e);
    return 0;
}
