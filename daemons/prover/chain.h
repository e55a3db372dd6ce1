/*
 * daemons/prover/chain.h — the proven chain of type-3 tasks: every block re-executed statelessly
 * (mpavs/stateless.h) from a trusted checkpoint, by one follower thread.
 *
 * The follower anchors at the checkpoint (its hash must be the node's block at that number),
 * then verifies block after block (mpavs_stateless_cursor_next: witness from the node, execution,
 * computed state root = header's) up to the node's head - confirmations, and keeps the last
 * ring_size results (number, hash, computed state root) in memory. Before each block and while
 * idle (every 200 ms) it checks that its last verified block is still the node's block at that
 * number; when it is not (a reorg), it drops back to the deepest verified block that still is
 * (binary search over the ring: the kept blocks are linked by parent hash), else to the
 * checkpoint, and re-executes from there (log event=reanchor). A refused block stops the
 * follower at that block (retried with a backoff up to 30 s: the node may recover, or reorg it
 * away); each refusal is logged once (event=block_refused) and counted by reason.
 *
 * pchain_prove answers a task for block N:
 *   N ≤ checkpoint        refused (the checkpoint's state is configured, not computed);
 *   N verified (in ring)  the ring's result;
 *   N ahead               waits for the follower (at most task_wait_ms; 2 s when N is not mined);
 *                         refused with the follower's refusal when it is stuck at a block ≤ N;
 *   N older than the ring re-executed from the checkpoint (or from where the last such task
 *                         stopped) in the caller's thread, one such task at a time, at most
 *                         max_headers blocks after the checkpoint; progress is kept when
 *                         task_wait_ms runs out, so asking again continues.
 * The two refusals no retry can change (N ≤ checkpoint, N too old to re-execute) end in "skip", the
 * reference operator's word for "skip this task". A result is only ever a state root this process
 * computed.
 *
 * Threads: the follower, and the HTTP workers calling pchain_prove / pchain_metrics. One mutex
 * (mu) guards the ring, the follower's status and the metrics; a monotonic condition variable
 * signals each verified block, refusal and stop. The follower's RPC client and cursor are its
 * own; the re-execution of old blocks has its own client and cursor (held by one task at a time).
 */
#ifndef MPAVS_PROVER_CHAIN_H
#define MPAVS_PROVER_CHAIN_H

#include "common/metrics.h"
#include "common/runtime.h"

#include "mpavs/ecdsa.h"
#include "mpavs/stateless.h"
#include "mpavs/witness.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    const char *rpc_url;
    uint64_t chain_id;
    uint64_t checkpoint_number;
    uint8_t checkpoint_hash[32];
    const char *preset;         /* for logs */
    mpavs_stateless_config exec; /* fork schedule and state rules */
    mpavs_witness_limits lim;    /* bounds of one witness (max_rpc_ms: the per-block fetch timeout) */
    uint64_t confirmations;      /* follow up to head - confirmations */
    uint64_t max_headers;        /* most blocks re-executed from the checkpoint for one old task */
    size_t ring_size;            /* verified blocks kept */
    long task_wait_ms;           /* longest a task waits */
    size_t max_waiters;          /* tasks that may wait at once (the others are answered at once) */
} pchain_config;

typedef struct pchain pchain;

/** A verified block: its number, hash and the state root computed by re-executing it. */
typedef struct {
    uint64_t number;
    uint8_t hash[32];
    uint8_t state_root[32];
} pchain_block;

/**
 * Start the follower thread. cfg is copied (its strings must outlive the pchain); stop is the
 * process's stop token; ecdsa is shared (read-only use). Returns NULL (err set) on failure.
 */
pchain *pchain_start(const pchain_config *cfg, drt_stop *stop, const mpavs_ecdsa_ctx *ecdsa, char *err, size_t cap);

/** Wake every task waiting in pchain_prove (after the stop token is set: they return at once). NULL allowed. */
void pchain_wake(pchain *c);

/**
 * Wake the waiting tasks and wait up to ms for the follower to return (the stop token must be
 * set). Returns the number of threads still running (0: pchain_free may be called). NULL allowed.
 */
size_t pchain_stop(pchain *c, long ms);

/** Free a stopped pchain (NULL allowed). */
void pchain_free(pchain *c);

/**
 * The verified result of block n (see the top). Out: *b. Returns true, or false with msg set to
 * the one-line reason ("block N refused: REASON: …", "block N is not mined yet …").
 */
bool pchain_prove(pchain *c, uint64_t n, pchain_block *b, char *msg, size_t cap);

/** Write the chain's metric families (mpavs_prover_blocks_executed_total, …) to w. */
void pchain_metrics(pchain *c, dmet *w);

#endif
