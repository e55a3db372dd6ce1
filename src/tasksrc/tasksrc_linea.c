/* Linea (task type 2): a task from two consecutive DataFinalized logs. */
#include "tasksrc_internal.h"

#include <stdlib.h>
#include <string.h>

#define LOOKBACK_WINDOW 100

/* (block, log index) order */
static int log_cmp(const mpavs_rpc_log *a, const mpavs_rpc_log *b) {
    if (a->block_number != b->block_number) return a->block_number < b->block_number ? -1 : 1;
    if (a->log_index != b->log_index) return a->log_index < b->log_index ? -1 : 1;
    return 0;
}

static int check_finalized(uint64_t *last_block, mpavs_error *err, const mpavs_rpc_log *l, const char *which) {
    uint8_t topic[32];
    mpavs_tasksrc_linea_finalized_topic(topic);
    if (l->ntopics != 4 || memcmp(l->topics[0], topic, 32))
        return tasksrc_fail(err, MPAVS_TASKSRC_ERR_LOG,
                            "%s: expected a DataFinalized log (4 topics, topic0 0x1335f1a2…), got %zu topics%s", which,
                            l->ntopics, l->ntopics && memcmp(l->topics[0], topic, 32) ? " and another topic0" : "");
    if (!tasksrc_word_u64(last_block, l->topics[1]))
        return tasksrc_fail(err, MPAVS_TASKSRC_ERR_LOG, "%s: lastBlockFinalized does not fit in 64 bits", which);
    return MPAVS_TASKSRC_OK;
}

static int linea_ext(mpavs_tasksrc_task *t) {
    tasksrc_buf b = {0};
    tasksrc_buf_raw(&b, "{\"start_block\":");
    tasksrc_buf_quantity(&b, t->start_block);
    tasksrc_buf_raw(&b, ",\"end_block\":");
    tasksrc_buf_quantity(&b, t->end_block);
    tasksrc_buf_raw(&b, ",\"commit_tx\":");
    tasksrc_buf_hex(&b, t->commit_tx, 32);
    tasksrc_buf_raw(&b, ",\"prev_commit_tx\":");
    tasksrc_buf_hex(&b, t->prev_commit_tx, 32);
    tasksrc_buf_raw(&b, ",\"prev_batch_final_state_root\":");
    tasksrc_buf_hex(&b, t->prev_final_state_root, 32);
    tasksrc_buf_raw(&b, ",\"final_state_root\":");
    tasksrc_buf_hex(&b, t->final_state_root, 32);
    return tasksrc_buf_finish_ext(&b, t);
}

int mpavs_tasksrc_linea_task(mpavs_tasksrc_task *task, mpavs_error *err, const mpavs_rpc_log *prev,
                             const mpavs_rpc_log *log, uint64_t max_blocks, uint64_t reference_block) {
    MPAVS_REQUIRE(task && prev && log);
    memset(task, 0, sizeof *task);
    uint64_t prev_last, last;
    int r = check_finalized(&prev_last, err, prev, "previous log");
    if (!r) r = check_finalized(&last, err, log, "log");
    if (r) return r;
    if (memcmp(prev->address, log->address, 20))
        return tasksrc_fail(err, MPAVS_TASKSRC_ERR_NOT_SEQUENTIAL, "batches are not sequential: the previous log "
                                                                   "comes from another contract");
    if (log_cmp(prev, log) >= 0)
        return tasksrc_fail(err, MPAVS_TASKSRC_ERR_NOT_SEQUENTIAL,
                            "batches are not sequential: the previous log (block %llu, index %llu) does not precede "
                            "the log (block %llu, index %llu)",
                            (unsigned long long)prev->block_number, (unsigned long long)prev->log_index,
                            (unsigned long long)log->block_number, (unsigned long long)log->log_index);
    if (memcmp(prev->topics[3], log->topics[2], 32))
        return tasksrc_fail(err, MPAVS_TASKSRC_ERR_NOT_SEQUENTIAL,
                            "batches are not sequential: the previous final root differs from the starting root of "
                            "the finalization up to block %llu",
                            (unsigned long long)last);
    if (prev_last == UINT64_MAX || last < prev_last + 1)
        return tasksrc_fail(err, MPAVS_TASKSRC_ERR_RANGE,
                            "finalization up to block %llu does not advance past the previous one (%llu)",
                            (unsigned long long)last, (unsigned long long)prev_last);
    mpavs_tasksrc_task t;
    memset(&t, 0, sizeof t);
    t.task_type = MPAVS_TASKSRC_TYPE_LINEA;
    t.start_block = prev_last + 1;
    t.end_block = last;
    if (max_blocks && t.end_block - t.start_block >= max_blocks) t.start_block = t.end_block - max_blocks + 1;
    t.task_id = t.end_block;
    t.reference_block = reference_block;
    memcpy(t.commit_tx, log->tx_hash, 32);
    memcpy(t.prev_commit_tx, prev->tx_hash, 32);
    memcpy(t.prev_final_state_root, log->topics[2], 32);
    memcpy(t.final_state_root, log->topics[3], 32);
    if (linea_ext(&t)) return tasksrc_fail(err, MPAVS_TASKSRC_ERR_NOMEM, "out of memory");
    *task = t;
    return MPAVS_TASKSRC_OK;
}

int mpavs_tasksrc_linea_lookback(mpavs_rpc *rpc, mpavs_rpc_log *prev, mpavs_error *err,
                                 const mpavs_rpc_log *log, uint64_t min_block) {
    MPAVS_REQUIRE(rpc && prev && log);
    memset(prev, 0, sizeof *prev);
    if (log->ntopics < 1)
        return tasksrc_fail(err, MPAVS_TASKSRC_ERR_LOG, "look-back: the log has no topic0 to search for");
    uint64_t hi = log->block_number;
    while (hi >= min_block) {
        uint64_t lo = hi - min_block >= LOOKBACK_WINDOW - 1 ? hi - (LOOKBACK_WINDOW - 1) : min_block;
        char from[24], to[24];
        mpavs_rpc_filter f = {
            .from_block = mpavs_rpc_tag_number(from, lo),
            .to_block = mpavs_rpc_tag_number(to, hi),
            .addresses = &log->address,
            .naddresses = 1,
            .topics = {log->topics[0]},
            .ntopics = 1,
        };
        mpavs_rpc_log *logs = NULL;
        size_t n = 0;
        mpavs_error re = {0};
        int r = mpavs_rpc_get_logs(rpc, &logs, &n, &re, &f);
        if (r) return tasksrc_fail_rpc(err, &re, r, "look-back eth_getLogs");
        const mpavs_rpc_log *best = NULL;
        for (size_t i = 0; i < n; i++) {
            const mpavs_rpc_log *c = &logs[i];
            if (c->removed || c->ntopics < 1 || memcmp(c->address, log->address, 20) ||
                memcmp(c->topics[0], log->topics[0], 32) || c->block_number < lo || c->block_number > hi ||
                log_cmp(c, log) >= 0)
                continue;
            if (!best || log_cmp(c, best) > 0) best = c;
        }
        if (best) {
            r = mpavs_tasksrc_log_copy(prev, best);
            mpavs_rpc_logs_free(logs, n);
            return r ? tasksrc_fail(err, MPAVS_TASKSRC_ERR_NOMEM, "out of memory") : MPAVS_TASKSRC_OK;
        }
        mpavs_rpc_logs_free(logs, n);
        if (lo == min_block || lo == 0) break;
        hi = lo - 1;
    }
    return tasksrc_fail(err, MPAVS_TASKSRC_ERR_NO_PREVIOUS,
                        "no DataFinalized log of this contract before block %llu (index %llu) down to block %llu",
                        (unsigned long long)log->block_number, (unsigned long long)log->log_index,
                        (unsigned long long)min_block);
}

int mpavs_tasksrc_linea_task_from_log(mpavs_rpc *rpc, mpavs_tasksrc_task *task, mpavs_error *err,
                                      const mpavs_rpc_log *cached, const mpavs_rpc_log *log, uint64_t min_block,
                                      uint64_t max_blocks, uint64_t reference_block) {
    MPAVS_REQUIRE(rpc && task && log);
    memset(task, 0, sizeof *task);
    if (cached && cached->ntopics == 4 && log->ntopics == 4 && !memcmp(cached->topics[3], log->topics[2], 32) &&
        !memcmp(cached->address, log->address, 20) && log_cmp(cached, log) < 0)
        return mpavs_tasksrc_linea_task(task, err, cached, log, max_blocks, reference_block);
    uint64_t last;
    int r = check_finalized(&last, err, log, "log");
    if (r) return r;
    mpavs_rpc_log prev;
    r = mpavs_tasksrc_linea_lookback(rpc, &prev, err, log, min_block);
    if (r) return r;
    r = mpavs_tasksrc_linea_task(task, err, &prev, log, max_blocks, reference_block);
    mpavs_tasksrc_log_clear(&prev);
    return r;
}
