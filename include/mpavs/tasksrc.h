/*
 * mpavs/tasksrc.h — the aggregator's L1 task sources for Scroll (task type 1)
 * and Linea (task type 2), and the parsers of what operators submit for them.
 *
 * Three parts, none with threads or process-global state:
 *
 *  - A log follower (mpavs_tasksrc_follower): eth_getLogs over confirmed
 *    windows of at most max_window blocks, in order, with a next block the
 *    daemon reads and persists so that no task is lost over a restart (the
 *    reference never persisted its scan offset). The daemon calls
 *    mpavs_tasksrc_follower_poll from its own loop.
 *  - Task builders: a Scroll task from a CommitBatch log (the commit
 *    transaction's calldata, selector checked, chunks bounds-checked) and a
 *    Linea task from two consecutive DataFinalized logs. Each produces the
 *    task id, the block range and the `ext` JSON of aggregator_fetchTask
 *    byte for byte as the reference Go aggregator encodes it (compact,
 *    fields in declaration order, hexutil.Big as minimal 0x hex, hashes and
 *    bytes as lower-case 0x hex).
 *  - Parsers of submissions: the Scroll `metadata` JSON and the PoE JSON
 *    carried in `state`, with Go encoding/json's rules (see each function).
 *
 * Differences from the reference, on purpose (upstream §6.2 items 1-3, 11):
 * a single-block Scroll batch has start = end = that block (not end = 0); the
 * commit calldata's selector is checked; the Linea range is clamped to
 * end - max_blocks + 1 (not start - end); a missing previous Linea log is an
 * error result, not a crash; the scan offset can be persisted.
 *
 * Errors: every function that can fail returns a mpavs_tasksrc_result and,
 * when err is not NULL, fills the mpavs_error (mpavs/common.h): code, module
 * "tasksrc", message with what was expected and what came, and for
 * MPAVS_TASKSRC_ERR_RPC the node's rpc_code and data. err must
 * start zeroed (`mpavs_error e = {0};`); a later error replaces the
 * previous one; release it with mpavs_error_clear. On success err is
 * left as it was. On failure outputs are zeroed/empty.
 */
#ifndef MPAVS_TASKSRC_H
#define MPAVS_TASKSRC_H

#include "mpavs/common.h"
#include "mpavs/rpc.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    MPAVS_TASKSRC_OK = 0,
    MPAVS_TASKSRC_ERR_RPC,            /* a chain RPC call failed (err->rpc has the details); retry later */
    MPAVS_TASKSRC_ERR_TX_NOT_FOUND,   /* the node does not know the log's transaction */
    MPAVS_TASKSRC_ERR_LOG,            /* the log is not the expected event (topic0, topic count, value range) */
    MPAVS_TASKSRC_ERR_NOT_DIRECT,     /* the commit transaction is not a direct call to the emitting contract */
    MPAVS_TASKSRC_ERR_SELECTOR,       /* calldata is neither commitBatch nor commitBatchWithBlobProof */
    MPAVS_TASKSRC_ERR_CALLDATA,       /* calldata does not ABI-decode for its selector */
    MPAVS_TASKSRC_ERR_CHUNK,          /* no chunk, an empty chunk, a chunk shorter than its blocks, or bad block numbers */
    MPAVS_TASKSRC_ERR_NO_PREVIOUS,    /* Linea: no earlier DataFinalized log was found */
    MPAVS_TASKSRC_ERR_NOT_SEQUENTIAL, /* Linea: prev.finalRoot != log.startingRoot (or prev not before log) */
    MPAVS_TASKSRC_ERR_RANGE,          /* Linea: the finalization does not advance past the previous one */
    MPAVS_TASKSRC_ERR_JSON,           /* not JSON, or not a JSON object, or trailing data */
    MPAVS_TASKSRC_ERR_FIELD,          /* a JSON field is missing or has a bad type or value */
    MPAVS_TASKSRC_ERR_NOMEM,          /* allocation failed */
} mpavs_tasksrc_result;

/** Name of a result value. Never NULL. */
MPAVS_API const char *mpavs_tasksrc_strerror(int r);


/** Task types (StateHeader identifier / committee id). */
#define MPAVS_TASKSRC_TYPE_SCROLL 1
#define MPAVS_TASKSRC_TYPE_LINEA 2

/** topic0 of CommitBatch(uint256 indexed batchIndex, bytes32 indexed batchHash). */
MPAVS_API void mpavs_tasksrc_scroll_commit_topic(uint8_t out[32]);
/** topic0 of DataFinalized(uint256 indexed, bytes32 indexed, bytes32 indexed, bool). */
MPAVS_API void mpavs_tasksrc_linea_finalized_topic(uint8_t out[32]);

/* ------------------------------------------------------------------------ */
/* Log helpers                                                               */
/* ------------------------------------------------------------------------ */

/** Release one log's data and zero it (safe on a zeroed log). */
MPAVS_API void mpavs_tasksrc_log_clear(mpavs_rpc_log *l);

/**
 * Deep-copy a log (its data included), e.g. to keep the previous Linea log
 * after the poll's array is freed. Out: *dst (release with
 * mpavs_tasksrc_log_clear; zeroed on failure). In: src.
 * Returns MPAVS_TASKSRC_OK or _ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_tasksrc_log_copy(mpavs_rpc_log *dst, const mpavs_rpc_log *src);

/* ------------------------------------------------------------------------ */
/* Log follower                                                              */
/* ------------------------------------------------------------------------ */

/** Follower options. Fill with mpavs_tasksrc_follower_options_init, then adjust. */
typedef struct {
    const uint8_t (*addresses)[20]; /* contracts to watch (copied); naddresses 0 = any */
    size_t naddresses;
    const uint8_t *topics[4]; /* topic filter per slot, 32 bytes each or NULL (any); copied */
    size_t ntopics;
    uint64_t confirmations; /* the reference's Wait: blocks above head - confirmations are not read; 5 */
    uint64_t max_window;    /* blocks per eth_getLogs, >= 1; 100 */
    uint64_t start_block;   /* the first block to read; 0 */
} mpavs_tasksrc_follower_options;

/** Set o to the defaults: no filter, confirmations 5, max_window 100, start_block 0. */
MPAVS_API void mpavs_tasksrc_follower_options_init(mpavs_tasksrc_follower_options *o);

typedef struct mpavs_tasksrc_follower mpavs_tasksrc_follower;

/**
 * Create a follower. The RPC client is borrowed (it must outlive the follower
 * and is used only inside mpavs_tasksrc_follower_poll); the filter is copied.
 * Out: *out. In: rpc, opt (max_window >= 1, ntopics <= 4, else abort).
 * Returns MPAVS_TASKSRC_OK or _ERR_NOMEM (*out NULL).
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_tasksrc_follower_create(mpavs_tasksrc_follower **out, mpavs_rpc *rpc,
                                                             const mpavs_tasksrc_follower_options *opt);
/** Destroy a follower (NULL allowed). */
MPAVS_API void mpavs_tasksrc_follower_destroy(mpavs_tasksrc_follower *f);

/** The next block the follower will read (persist it after handling a poll's logs). */
MPAVS_API uint64_t mpavs_tasksrc_follower_next(const mpavs_tasksrc_follower *f);
/**
 * Set the next block to read: at start-up from the persisted value, or back
 * to a log's block after a handler failure that deserves a retry (the logs of
 * that block and later are then delivered again).
 */
MPAVS_API void mpavs_tasksrc_follower_set_next(mpavs_tasksrc_follower *f, uint64_t next);

/**
 * Read the next window. With head = eth_blockNumber, the window is
 * [next, min(head - confirmations, next + max_window - 1)]; when next is
 * above head - confirmations (or head < confirmations) there is nothing to
 * read: *n = 0 and next is unchanged (caught up: sleep before polling again).
 * Otherwise the window's logs matching the filter are returned sorted by
 * (block number, log index), logs marked removed are dropped, and next
 * becomes the window's end + 1 (so an empty window still advances next;
 * "next unchanged" is the only caught-up signal).
 * Out: *logs (release with mpavs_rpc_logs_free; NULL when *n is 0), *n, err.
 * Returns MPAVS_TASKSRC_OK, _ERR_RPC or _ERR_NOMEM; on error next is unchanged.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_tasksrc_follower_poll(mpavs_tasksrc_follower *f, mpavs_rpc_log **logs, size_t *n,
                                                           mpavs_error *err);

/* ------------------------------------------------------------------------ */
/* Tasks                                                                     */
/* ------------------------------------------------------------------------ */

/** A task created from L1 logs. Byte fields and ext_json are malloc'd. */
typedef struct {
    uint64_t task_type;       /* MPAVS_TASKSRC_TYPE_SCROLL or _LINEA */
    uint64_t task_id;         /* Scroll: batch index; Linea: last finalized L2 block (= end_block) */
    uint64_t start_block;     /* first L2 block of the task */
    uint64_t end_block;       /* last L2 block of the task (>= start_block) */
    uint64_t reference_block; /* reference_block_number, as passed by the caller */
    uint8_t commit_tx[32];    /* the log's transaction */
    /* Linea only (zero for Scroll): */
    uint8_t prev_commit_tx[32];        /* the previous DataFinalized log's transaction */
    uint8_t prev_final_state_root[32]; /* log.topics[2] (startingRootHash) */
    uint8_t final_state_root[32];      /* log.topics[3] (finalRootHash) */
    /* Scroll only (NULL/0 for Linea): */
    uint8_t *batch_data; /* commit calldata without the 4-byte selector */
    size_t batch_data_len;
    char *ext_json; /* the fetchTask `ext` object, compact, NUL-terminated */
    size_t ext_json_len;
} mpavs_tasksrc_task;

/** Release a task's allocations and zero it (safe on a zeroed task). */
MPAVS_API void mpavs_tasksrc_task_clear(mpavs_tasksrc_task *t);

/* ---- Scroll (type 1) ---- */

/**
 * GenTaskSampling: whether a Scroll batch becomes a task.
 * Returns true when sampling == 0 or batch_index % sampling == 0.
 */
MPAVS_API bool mpavs_tasksrc_scroll_gen_sampling_ok(uint64_t batch_index, uint64_t sampling);

/**
 * The batch index of a CommitBatch log (topic1), checked: the log has 3
 * topics, topic0 is the CommitBatch topic and the index fits in 64 bits.
 * Out: *batch_index, err. Returns MPAVS_TASKSRC_OK or _ERR_LOG.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_tasksrc_scroll_batch_index(uint64_t *batch_index, mpavs_error *err,
                                                                const mpavs_rpc_log *log);

/**
 * The L2 block range of commit calldata (selector included). The selector
 * must be commitBatch(uint8,bytes,bytes[],bytes) (0x1325aca0) or
 * commitBatchWithBlobProof(uint8,bytes,bytes[],bytes,bytes) (0x86b053a9);
 * the arguments must ABI-decode strictly. Each chunk is
 * numBlocks(1) ‖ numBlocks × 60-byte block contexts ‖ anything, a block
 * context starting with its 8-byte big-endian block number. Every chunk
 * must be non-empty, have numBlocks >= 1 and hold its block contexts; there
 * must be at least one chunk, and block numbers must strictly increase
 * across the whole batch. start = the first block, end = the last (a
 * single-block batch gives start = end).
 * Out: *start, *end, err. In: calldata, len.
 * Returns MPAVS_TASKSRC_OK, _ERR_SELECTOR, _ERR_CALLDATA, _ERR_CHUNK or _ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_tasksrc_scroll_block_range(uint64_t *start, uint64_t *end,
                                                                mpavs_error *err, const uint8_t *calldata,
                                                                size_t len);

/**
 * Build a Scroll task from the commit calldata (selector included) without
 * any RPC: range as mpavs_tasksrc_scroll_block_range, task_id = batch_index,
 * ext_json = {"start_block":"0x…","end_block":"0x…","batch_data":"0x<calldata[4:]>",
 * "commit_tx":"0x<hash>","reference_block_number":<reference_block>}.
 * Out: *task (clear with mpavs_tasksrc_task_clear; zeroed on error), err.
 * Returns as mpavs_tasksrc_scroll_block_range.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_tasksrc_scroll_task_from_calldata(mpavs_tasksrc_task *task,
                                                                       mpavs_error *err, uint64_t batch_index,
                                                                       const uint8_t commit_tx[32],
                                                                       const uint8_t *calldata, size_t len,
                                                                       uint64_t reference_block);

/**
 * Build a Scroll task from a CommitBatch log: checks the log
 * (mpavs_tasksrc_scroll_batch_index), fetches its transaction
 * (eth_getTransactionByHash), requires it to be a direct call to the log's
 * contract (tx.to == log.address), then as mpavs_tasksrc_scroll_task_from_calldata.
 * Apply mpavs_tasksrc_scroll_gen_sampling_ok before calling this to avoid the
 * RPC for sampled-out batches.
 * Out: *task, err. In: rpc, log, reference_block (the daemon passes AVS head - 1).
 * Returns MPAVS_TASKSRC_OK, _ERR_LOG, _ERR_RPC, _ERR_TX_NOT_FOUND, _ERR_NOT_DIRECT
 * or an error of mpavs_tasksrc_scroll_block_range.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_tasksrc_scroll_task(mpavs_rpc *rpc, mpavs_tasksrc_task *task,
                                                         mpavs_error *err, const mpavs_rpc_log *log,
                                                         uint64_t reference_block);

/** The Scroll `metadata` of a submission: Go {batch_id omitempty, start_block, end_block} (uint64 each). */
typedef struct {
    uint64_t batch_id, start_block, end_block;
} mpavs_tasksrc_scroll_metadata;

/**
 * Parse Scroll metadata JSON with Go encoding/json's rules for this struct:
 * keys match case-insensitively with Unicode simple folding (so "ſ" matches
 * 's' and the Kelvin sign 'k'), the last occurrence of a field wins, unknown
 * keys are ignored (their values must still be valid JSON), absent fields and
 * null values are 0, values must be JSON integers in [0, 2^64) (no sign,
 * fraction or exponent; strings refused). Stricter than Go: the top level
 * must be an object (Go accepts `null`), strings must not contain raw control
 * characters (as Go) and nesting deeper than 64 is refused.
 * Out: *out (zeroed on error), err. In: json, len (need not be NUL-terminated).
 * Returns MPAVS_TASKSRC_OK, _ERR_JSON or _ERR_FIELD.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_tasksrc_scroll_metadata_parse(mpavs_tasksrc_scroll_metadata *out,
                                                                   mpavs_error *err, const uint8_t *json,
                                                                   size_t len);

/**
 * Encode metadata as the reference operator does (Go json.Marshal):
 * {"batch_id":N,"start_block":N,"end_block":N}, batch_id omitted when 0.
 * Out: out (cap bytes, NUL-terminated; 96 bytes always suffice).
 * Returns the length needed excluding the NUL (output truncated when >= cap).
 */
MPAVS_API size_t mpavs_tasksrc_scroll_metadata_format(char *out, size_t cap, const mpavs_tasksrc_scroll_metadata *m);

/**
 * ExecTaskSampling: whether an admitted Scroll submission is aggregated.
 * Returns false only when m->batch_id > 0, sampling > 0 and
 * m->batch_id % sampling != 0 (the reference then accepts the submission
 * without aggregating it).
 */
MPAVS_API bool mpavs_tasksrc_scroll_exec_sampling_ok(const mpavs_tasksrc_scroll_metadata *m, uint64_t sampling);

/* ---- PoE in `state` (types 1 and 2) ---- */

/** The proof of execution a type-1/2 submission carries as JSON in `state`. */
typedef struct {
    uint8_t batch_hash[32], state_hash[32], prev_state_root[32], new_state_root[32], withdrawal_root[32];
    uint8_t signature[65]; /* the PoE's own signature field (not the ProverSignature) */
} mpavs_tasksrc_poe;

/**
 * Parse the PoE JSON {"batch_hash","state_hash","prev_state_root",
 * "new_state_root","withdrawal_root","signature"} (Go: keys
 * case-insensitive with Unicode folding, last occurrence wins, unknown keys
 * ignored). Each root must be a string "0x" (or "0X") + exactly 64 hex
 * digits (either case), the signature "0x" + exactly 130 hex digits.
 * Stricter than Go: all six fields are required and none may be null.
 * The aggregator recomputes the signed digest from the five roots with
 * mpavs_avs_poe_digest.
 * Out: *out (zeroed on error), err. In: json, len.
 * Returns MPAVS_TASKSRC_OK, _ERR_JSON or _ERR_FIELD.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_tasksrc_poe_parse(mpavs_tasksrc_poe *out, mpavs_error *err,
                                                       const uint8_t *json, size_t len);

/* ---- Linea (type 2) ---- */

/**
 * Build a Linea task from two DataFinalized logs, with no RPC. Both logs
 * must have 4 topics with the DataFinalized topic0, lastBlockFinalized
 * (topic1) below 2^64, come from the same contract, and prev must come
 * before log in (block, log index); prev.topics[3] (its finalRootHash) must
 * equal log.topics[2] (startingRootHash), else _ERR_NOT_SEQUENTIAL
 * ("batches are not sequential"). end = log's lastBlockFinalized, start =
 * prev's lastBlockFinalized + 1 (end < start is _ERR_RANGE). Clamp: when
 * max_blocks > 0 and the range has more than max_blocks blocks
 * (end - start + 1 > max_blocks), start = end - max_blocks + 1, so the task
 * covers exactly the last max_blocks blocks (the reference clamps only when
 * end - start > LineaMaxBlock, and then wrongly); max_blocks 0 disables it.
 * task_id = end; ext_json = {"start_block":"0x…","end_block":"0x…",
 * "commit_tx":"0x…","prev_commit_tx":"0x…","prev_batch_final_state_root":"0x<log.topics[2]>",
 * "final_state_root":"0x<log.topics[3]>","reference_block_number":<reference_block>}.
 * Out: *task (zeroed on error), err. In: prev, log, max_blocks, reference_block.
 * Returns MPAVS_TASKSRC_OK, _ERR_LOG, _ERR_NOT_SEQUENTIAL, _ERR_RANGE or _ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_tasksrc_linea_task(mpavs_tasksrc_task *task, mpavs_error *err,
                                                        const mpavs_rpc_log *prev, const mpavs_rpc_log *log,
                                                        uint64_t max_blocks, uint64_t reference_block);

/**
 * Find the DataFinalized log of log's contract immediately before log:
 * scans windows of 100 blocks backwards, the first one ending at log's own
 * block (a finalization earlier in the same block counts), down to min_block
 * (inclusive; pass the contract's deployment block or the scan start to
 * bound the cost), and returns the latest log before log in (block, log
 * index) order. Removed logs are ignored.
 * Out: *prev (release with mpavs_tasksrc_log_clear; zeroed unless OK), err.
 * In: rpc, log (must have 1+ topics: its address and topic0 form the filter), min_block.
 * Returns MPAVS_TASKSRC_OK, _ERR_NO_PREVIOUS (nothing down to min_block),
 * _ERR_LOG, _ERR_RPC or _ERR_NOMEM.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_tasksrc_linea_lookback(mpavs_rpc *rpc, mpavs_rpc_log *prev,
                                                            mpavs_error *err, const mpavs_rpc_log *log,
                                                            uint64_t min_block);

/**
 * The reference's Linea handler without its crash: use cached (the previous
 * log the caller kept, may be NULL) when cached.topics[3] == log.topics[2]
 * and cached precedes log; otherwise find the previous log with
 * mpavs_tasksrc_linea_lookback(min_block); then mpavs_tasksrc_linea_task.
 * The caller then keeps a copy of log (mpavs_tasksrc_log_copy) as the next cached.
 * Out: *task, err. Returns as mpavs_tasksrc_linea_lookback and mpavs_tasksrc_linea_task.
 */
MPAVS_API MPAVS_WARN_UNUSED int mpavs_tasksrc_linea_task_from_log(mpavs_rpc *rpc, mpavs_tasksrc_task *task,
                                                                 mpavs_error *err,
                                                                 const mpavs_rpc_log *cached,
                                                                 const mpavs_rpc_log *log, uint64_t min_block,
                                                                 uint64_t max_blocks, uint64_t reference_block);

#ifdef __cplusplus
}
#endif
#endif
