/* Scroll (task type 1): a task from a CommitBatch log and its commit calldata. */
#include "tasksrc_internal.h"

#include "mpavs/abi.h"

#include <stdlib.h>
#include <string.h>

#define BLOCK_CONTEXT_LEN 60

static const char *const COMMIT_SIGS[] = {
    "commitBatch(uint8,bytes,bytes[],bytes)",
    "commitBatchWithBlobProof(uint8,bytes,bytes[],bytes,bytes)",
};

int mpavs_tasksrc_scroll_batch_index(uint64_t *batch_index, mpavs_error *err, const mpavs_rpc_log *log) {
    MPAVS_REQUIRE(batch_index && log);
    *batch_index = 0;
    uint8_t topic[32];
    mpavs_tasksrc_scroll_commit_topic(topic);
    if (log->ntopics != 3 || memcmp(log->topics[0], topic, 32))
        return tasksrc_fail(err, MPAVS_TASKSRC_ERR_LOG, "expected a CommitBatch log (3 topics, topic0 0x2c32d4ae…), got %zu topics%s",
                            log->ntopics, log->ntopics && memcmp(log->topics[0], topic, 32) ? " and another topic0" : "");
    if (!tasksrc_word_u64(batch_index, log->topics[1]))
        return tasksrc_fail(err, MPAVS_TASKSRC_ERR_LOG, "CommitBatch batch index does not fit in 64 bits");
    return MPAVS_TASKSRC_OK;
}

/* Walk the chunks (a bytes[] value). */
static int chunks_range(uint64_t *start, uint64_t *end, mpavs_error *err, const mpavs_abi_value *chunks) {
    if (chunks->n == 0) return tasksrc_fail(err, MPAVS_TASKSRC_ERR_CHUNK, "batch has no chunks");
    bool any = false;
    uint64_t first = 0, last = 0;
    for (size_t c = 0; c < chunks->n; c++) {
        const uint8_t *p = chunks->items[c].data;
        size_t len = chunks->items[c].len;
        if (len == 0) return tasksrc_fail(err, MPAVS_TASKSRC_ERR_CHUNK, "chunk %zu is empty", c);
        size_t nblocks = p[0];
        if (nblocks == 0) return tasksrc_fail(err, MPAVS_TASKSRC_ERR_CHUNK, "chunk %zu has no blocks", c);
        if ((len - 1) / BLOCK_CONTEXT_LEN < nblocks)
            return tasksrc_fail(err, MPAVS_TASKSRC_ERR_CHUNK,
                                "chunk %zu: %zu blocks need %zu bytes of block contexts, the chunk has %zu", c, nblocks,
                                1 + nblocks * BLOCK_CONTEXT_LEN, len);
        for (size_t i = 0; i < nblocks; i++) {
            const uint8_t *ctx = p + 1 + i * BLOCK_CONTEXT_LEN;
            uint64_t bn = 0;
            for (int k = 0; k < 8; k++) bn = bn << 8 | ctx[k];
            if (any && bn <= last)
                return tasksrc_fail(err, MPAVS_TASKSRC_ERR_CHUNK,
                                    "chunk %zu block %zu: block number %llu does not follow %llu", c, i,
                                    (unsigned long long)bn, (unsigned long long)last);
            if (!any) first = bn;
            any = true;
            last = bn;
        }
    }
    *start = first;
    *end = last;
    return MPAVS_TASKSRC_OK;
}

int mpavs_tasksrc_scroll_block_range(uint64_t *start, uint64_t *end, mpavs_error *err,
                                     const uint8_t *calldata, size_t len) {
    MPAVS_REQUIRE(start && end && (calldata || !len));
    *start = *end = 0;
    if (len < 4)
        return tasksrc_fail(err, MPAVS_TASKSRC_ERR_SELECTOR, "calldata of %zu bytes has no selector", len);
    mpavs_abi_signature *sig = NULL;
    size_t which = 0;
    int r;
    for (; which < sizeof COMMIT_SIGS / sizeof COMMIT_SIGS[0]; which++) {
        uint8_t sel[4];
        if (mpavs_abi_selector(sel, COMMIT_SIGS[which])) return tasksrc_fail(err, MPAVS_TASKSRC_ERR_NOMEM, "signature");
        if (!memcmp(sel, calldata, 4)) break;
    }
    if (which == sizeof COMMIT_SIGS / sizeof COMMIT_SIGS[0])
        return tasksrc_fail(err, MPAVS_TASKSRC_ERR_SELECTOR,
                            "calldata selector 0x%02x%02x%02x%02x is neither commitBatch (0x1325aca0) nor "
                            "commitBatchWithBlobProof (0x86b053a9)",
                            calldata[0], calldata[1], calldata[2], calldata[3]);
    r = mpavs_abi_signature_parse(&sig, COMMIT_SIGS[which]);
    if (r) return tasksrc_fail(err, MPAVS_TASKSRC_ERR_NOMEM, "parsing %s: %s", COMMIT_SIGS[which], mpavs_abi_strerror(r));
    mpavs_abi_value *args = NULL;
    r = mpavs_abi_decode_call(&args, sig, calldata, len);
    if (r == MPAVS_ABI_ERR_NOMEM) r = tasksrc_fail(err, MPAVS_TASKSRC_ERR_NOMEM, "decoding calldata: out of memory");
    else if (r)
        r = tasksrc_fail(err, MPAVS_TASKSRC_ERR_CALLDATA, "%s calldata of %zu bytes does not decode: %s",
                         COMMIT_SIGS[which], len, mpavs_abi_strerror(r));
    else r = chunks_range(start, end, err, &args->items[2]);
    if (r) *start = *end = 0;
    mpavs_abi_value_free(args);
    mpavs_abi_signature_free(sig);
    return r;
}

static int scroll_ext(mpavs_tasksrc_task *t) {
    tasksrc_buf b = {0};
    tasksrc_buf_raw(&b, "{\"start_block\":");
    tasksrc_buf_quantity(&b, t->start_block);
    tasksrc_buf_raw(&b, ",\"end_block\":");
    tasksrc_buf_quantity(&b, t->end_block);
    tasksrc_buf_raw(&b, ",\"batch_data\":");
    tasksrc_buf_hex(&b, t->batch_data, t->batch_data_len);
    tasksrc_buf_raw(&b, ",\"commit_tx\":");
    tasksrc_buf_hex(&b, t->commit_tx, 32);
    return tasksrc_buf_finish_ext(&b, t);
}

int mpavs_tasksrc_scroll_task_from_calldata(mpavs_tasksrc_task *task, mpavs_error *err, uint64_t batch_index,
                                            const uint8_t commit_tx[32], const uint8_t *calldata, size_t len,
                                            uint64_t reference_block) {
    MPAVS_REQUIRE(task && commit_tx && (calldata || !len));
    memset(task, 0, sizeof *task);
    mpavs_tasksrc_task t;
    memset(&t, 0, sizeof t);
    int r = mpavs_tasksrc_scroll_block_range(&t.start_block, &t.end_block, err, calldata, len);
    if (r) return r;
    t.task_type = MPAVS_TASKSRC_TYPE_SCROLL;
    t.task_id = batch_index;
    t.reference_block = reference_block;
    memcpy(t.commit_tx, commit_tx, 32);
    t.batch_data_len = len - 4;
    t.batch_data = malloc(t.batch_data_len ? t.batch_data_len : 1);
    if (!t.batch_data) return tasksrc_fail(err, MPAVS_TASKSRC_ERR_NOMEM, "out of memory");
    memcpy(t.batch_data, calldata + 4, t.batch_data_len);
    if (scroll_ext(&t)) {
        mpavs_tasksrc_task_clear(&t);
        return tasksrc_fail(err, MPAVS_TASKSRC_ERR_NOMEM, "out of memory");
    }
    *task = t;
    return MPAVS_TASKSRC_OK;
}

int mpavs_tasksrc_scroll_task(mpavs_rpc *rpc, mpavs_tasksrc_task *task, mpavs_error *err,
                              const mpavs_rpc_log *log, uint64_t reference_block) {
    MPAVS_REQUIRE(rpc && task && log);
    memset(task, 0, sizeof *task);
    uint64_t index;
    int r = mpavs_tasksrc_scroll_batch_index(&index, err, log);
    if (r) return r;
    mpavs_rpc_transaction tx;
    mpavs_error re = {0};
    bool found = false;
    r = mpavs_rpc_get_transaction_by_hash(rpc, &tx, &found, &re, log->tx_hash);
    if (r) return tasksrc_fail_rpc(err, &re, r, "eth_getTransactionByHash");
    if (!found)
        return tasksrc_fail(err, MPAVS_TASKSRC_ERR_TX_NOT_FOUND, "commit transaction of batch %llu not found",
                            (unsigned long long)index);
    if (!tx.has_to || memcmp(tx.to, log->address, 20))
        r = tasksrc_fail(err, MPAVS_TASKSRC_ERR_NOT_DIRECT,
                         "commit transaction of batch %llu is %s, not a direct call to the contract that emitted "
                         "the log",
                         (unsigned long long)index, tx.has_to ? "a call to another contract" : "a contract creation");
    else r = mpavs_tasksrc_scroll_task_from_calldata(task, err, index, log->tx_hash, tx.input, tx.input_len,
                                                     reference_block);
    mpavs_rpc_transaction_clear(&tx);
    return r;
}
