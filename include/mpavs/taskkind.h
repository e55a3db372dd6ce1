/*
 * mpavs/taskkind.h — the task kinds of the multi-prover AVS as one table.
 *
 * A task kind is what the StateHeader's committee id (= task type) means: how the aggregator
 * finds its tasks, what the task's `ext` and the submission's metadata carry, whether the
 * prover needs a context for it, how mpavs-prover proves it, how tasks are sampled and whether
 * the committee's confirmations are ordered. Every daemon and the CLI look kinds up here
 * instead of testing type numbers; adding a kind is one row in src/avs/taskkind.c (plus, for a
 * new way of finding or proving tasks, the code that enum value names).
 *
 * Pure data: the table is constant, nothing here allocates, does I/O or keeps state.
 */
#ifndef MPAVS_TASKKIND_H
#define MPAVS_TASKKIND_H

#include "mpavs/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The largest task type id in the table (arrays indexed by type use MPAVS_TASKKIND_MAX_ID + 1). */
#define MPAVS_TASKKIND_MAX_ID 3

/** How the aggregator finds a kind's tasks (its task source). */
typedef enum {
    MPAVS_TASKKIND_SOURCE_SCROLL_COMMIT = 1, /* Scroll CommitBatch logs on L1 (mpavs/tasksrc.h); task id = batch index */
    MPAVS_TASKKIND_SOURCE_LINEA_FINALIZED,   /* Linea DataFinalized logs on L1 (mpavs/tasksrc.h); task id = end block */
    MPAVS_TASKKIND_SOURCE_CHAIN_BLOCK,       /* a final block N of a proven chain every Interval blocks; task id = N */
} mpavs_taskkind_source;

/** What a submission's metadata bytes are and how they name their task. */
typedef enum {
    /* Go JSON {"batch_id"?,"start_block","end_block"} (mpavs_tasksrc_scroll_metadata_parse/_format);
       the task id is batch_id */
    MPAVS_TASKKIND_META_BATCH_JSON_BATCH_ID = 1,
    /* the same JSON; the task id is end_block */
    MPAVS_TASKKIND_META_BATCH_JSON_END_BLOCK,
    /* 32 bytes keccak256(abi.encodePacked(uint256 chainId, uint256 N)) (mpavs_avs_chain_task_metadata);
       the task is found by these bytes; the state is abi.encode(blockHash, stateRoot) */
    MPAVS_TASKKIND_META_CHAIN_BLOCK,
} mpavs_taskkind_metadata;

/** Whether an operator fetches a kind's tasks with_context, when its prover's metadata does not say. */
typedef enum {
    MPAVS_TASKKIND_CONTEXT_NONE = 0, /* never: the kind needs no context */
    MPAVS_TASKKIND_CONTEXT_PROVER,   /* the prover's prover_metadata.with_context */
    MPAVS_TASKKIND_CONTEXT_ALWAYS,   /* always (the context comes from the node) */
} mpavs_taskkind_context;

/** How mpavs-prover proves a kind's tasks. */
typedef enum {
    MPAVS_TASKKIND_PROVER_EXTERNAL = 1, /* forwarded to external_prover.<name> (prover_genContext, prover_proveTask) */
    MPAVS_TASKKIND_PROVER_NATIVE,       /* proved in the prover itself (the stateless chain follower) */
} mpavs_taskkind_prover;

/** What the operator sends its prover in prover_proveTask (taken from the task's ext). */
typedef enum {
    MPAVS_TASKKIND_INPUT_BATCH = 1, /* {batch: ext.batch_data, pob_hash, state roots 0, from} */
    MPAVS_TASKKIND_INPUT_RANGE,     /* {pob_hash, from, task_type, start, end, ext's state roots} */
    MPAVS_TASKKIND_INPUT_BLOCK,     /* {task_type, start = end = ext.block_number, from} */
} mpavs_taskkind_input;

/** How tasks are sampled. */
typedef enum {
    MPAVS_TASKKIND_SAMPLING_NONE = 0, /* every task */
    /* batches: a task only for batch indexes that are multiples of GenTaskSampling, and a submission
       aggregated only when its batch_id is a multiple of ExecTaskSampling */
    MPAVS_TASKKIND_SAMPLING_BATCH,
} mpavs_taskkind_sampling;

/** One task kind. */
typedef struct {
    uint64_t id;                     /* the task type = StateHeader committee id */
    const char *name;                /* lower-case name: logs, the operator's metric labels, external_prover.<name> */
    const char *label;               /* the aggregator's metric label (the reference's "scroll", "linea"; "chain") */
    mpavs_taskkind_source source;    /* how a task is found */
    const char *event;               /* the L1 event of an L1 source ("CommitBatch"), else NULL */
    mpavs_taskkind_metadata metadata;/* what its metadata means */
    bool needs_context;              /* the prover needs a context (prover_genContext, the PoB in its DA) */
    mpavs_taskkind_context context;  /* the operator's with_context default */
    mpavs_taskkind_prover prover;    /* how mpavs-prover proves it */
    mpavs_taskkind_input input;      /* what prover_proveTask is given */
    mpavs_taskkind_sampling sampling;
    bool ordered; /* confirmations are monotonic per committee (on-chain Ordering.CHAIN_BLOCK: latest = highest N) */
} mpavs_taskkind;

/** The kind with task type id, or NULL when there is none. */
MPAVS_API const mpavs_taskkind *mpavs_taskkind_get(uint64_t id);

/** The kind named name (exact, lower case), or NULL. */
MPAVS_API const mpavs_taskkind *mpavs_taskkind_by_name(const char *name);

/** The number of kinds in the table. */
MPAVS_API size_t mpavs_taskkind_count(void);

/** The i-th kind in the table (ascending ids), or NULL when i ≥ mpavs_taskkind_count(). */
MPAVS_API const mpavs_taskkind *mpavs_taskkind_at(size_t i);

/** The name of task type id, or "unknown". Never NULL. */
MPAVS_API const char *mpavs_taskkind_name(uint64_t id);

/**
 * The task id a batch-JSON metadata names. In: k (META_BATCH_JSON_*), batch_id, end_block (the parsed
 * metadata's fields). Out: *task_id. Returns false when k's metadata is not batch JSON.
 */
MPAVS_API bool mpavs_taskkind_batch_task_id(uint64_t *task_id, const mpavs_taskkind *k, uint64_t batch_id,
                                            uint64_t end_block);

/**
 * Whether an operator fetches k's tasks with context. In: k; prover_says/prover_value: the prover's
 * task_with_context entry for k (when prover_says); prover_default: its with_context.
 */
MPAVS_API bool mpavs_taskkind_with_context(const mpavs_taskkind *k, bool prover_says, bool prover_value,
                                           bool prover_default);

#ifdef __cplusplus
}
#endif
#endif
