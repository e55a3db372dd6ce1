/*
 * daemons/aggregator/store.h — what the aggregator must not lose, in SQLite (WAL, synchronous
 * FULL: every commit is on disk before the caller answers).
 *
 * Tables: tasks (one row per created task with its status and, once confirmed, the
 * confirmation), sigs (every admitted signature with what is needed to rebuild the
 * aggregation after a restart), pubkeys (the BLS key index read from NewPubkeyRegistration
 * logs) and meta (scan cursors). One connection guarded by a mutex: callers on any thread.
 */
#ifndef MPAVS_AGG_STORE_H
#define MPAVS_AGG_STORE_H

#include "mpavs/bn254.h"
#include "mpavs/registry.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct agg_store agg_store;

enum { TASK_OPEN = 0, TASK_CONFIRMING = 1, TASK_CONFIRMED = 2, TASK_FAILED = 3, TASK_EXPIRED = 4 };

/** A task row. ext and metadata are malloc'd by the loaders. */
typedef struct {
    int type;
    uint64_t id, ref_block, created_ms;
    char *ext;           /* the fetchTask "ext" JSON text */
    uint8_t *metadata;   /* the StateHeader metadata this task expects (type 3), or NULL */
    size_t metadata_len;
    int status;
    /* confirmation */
    uint8_t digest[32], tx_hash[32];
    uint64_t confirm_block, gas_used, confirmed_ms, seq;
    char *signers, *non_signers; /* JSON arrays of 0x operator ids */
    char *error;
    uint8_t *state; /* agg_store_confirmations only: the confirmed state (malloc'd) */
    size_t state_len;
} agg_task_row;

/** Which confirmations agg_store_confirmations returns. */
typedef struct {
    uint64_t since;          /* seq > since */
    size_t max;              /* at most this many */
    int type;                /* 0: every type */
    const uint8_t *metadata; /* NULL: any; else only the confirmation of this metadata */
    size_t metadata_len;
    bool latest;             /* only the newest one (highest seq) matching */
} agg_confirm_query;

/** An admitted signature. */
typedef struct {
    int type;
    uint64_t task_id;
    uint8_t operator_id[32], digest[32], sig[64], prover_sig[65];
    uint8_t *state, *metadata;
    size_t state_len, metadata_len;
    uint64_t admitted_ms;
} agg_sig_row;

/** Open (create) the database at path. Out: errbuf. Returns NULL on failure. */
agg_store *agg_store_open(const char *path, char *errbuf, size_t errcap);
void agg_store_close(agg_store *s);

/**
 * Insert a new task (ignored when (type, id) exists). Out: *inserted (may be NULL): false when it
 * existed. Returns false on a database error.
 */
bool agg_store_task_insert(agg_store *s, const agg_task_row *t, bool *inserted);
/** Set a task's status (and error text, may be NULL). */
bool agg_store_task_status(agg_store *s, int type, uint64_t id, int status, const char *error);
/** Record a confirmation: status CONFIRMED, digest, tx, block, gas, time, signer sets; assigns seq. */
bool agg_store_task_confirmed(agg_store *s, agg_task_row *t);
/** Release a row's allocations. */
void agg_task_row_clear(agg_task_row *t);

/** Insert admitted signatures in one transaction (fsync'd before return). */
bool agg_store_sigs_insert(agg_store *s, const agg_sig_row *rows, size_t n);

/** Tasks with status OPEN or CONFIRMING (and the latest task of each type). Calls fn per row. */
bool agg_store_load_tasks(agg_store *s, void (*fn)(void *user, const agg_task_row *t), void *user,
                          uint64_t created_after_ms);
/** Signatures of one task, in admission order. */
bool agg_store_load_sigs(agg_store *s, int type, uint64_t id, void (*fn)(void *user, const agg_sig_row *r),
                         void *user);
/**
 * Confirmed tasks matching q, oldest first, each with the state and metadata it was confirmed
 * with (metadata: the task's, else the one its signers signed). Calls fn per row.
 */
bool agg_store_confirmations(agg_store *s, const agg_confirm_query *q, void (*fn)(void *user, const agg_task_row *t),
                             void *user);
/** Counts of tasks per status (array of 5). */
bool agg_store_task_counts(agg_store *s, uint64_t counts[5]);

/** Meta key/value (integers). get returns def when absent. */
uint64_t agg_store_meta_get(agg_store *s, const char *key, uint64_t def);
bool agg_store_meta_set(agg_store *s, const char *key, uint64_t value);

/** Save registered keys and the block the scan reached, in one transaction. */
bool agg_store_pubkeys_save(agg_store *s, const mpavs_registry_pubkey *keys, size_t n, uint64_t scanned_to);
/** Load every saved key. Out: *keys (malloc'd), *n. */
bool agg_store_pubkeys_load(agg_store *s, mpavs_registry_pubkey **keys, size_t *n);

#endif
