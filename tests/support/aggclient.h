/*
 * tests/support/aggclient.h — the integration tests' client side of the aggregator's JSON-RPC API
 * (type-3 fetchTask, the type-3 submission, submitTask, mpavs_confirmations) and of the daemons'
 * log files, shared by
 * test_aggregator, test_aggregator_reorg and test_server_load.
 */
#ifndef MPAVS_TESTS_AGGCLIENT_H
#define MPAVS_TESTS_AGGCLIENT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "world.h"

/** A type-3 (chain state) task as fetchTask answers it: task id, block, reference block, chain id. */
typedef struct {
    uint64_t id, block, ref, chain;
} aggc_task3;

/** Decode a JSON "0x…" string of exactly n bytes into out. */
bool aggc_jhex(json_t *v, uint8_t *out, size_t n);

/**
 * aggregator_fetchTask on url for the type-3 task after prev (max_wait_secs wait, no context): true
 * with t filled when the answer is ok and of type 3. A transport or RPC error is printed on stderr.
 */
bool aggc_fetch3(const char *url, aggc_task3 *t, uint64_t prev, unsigned wait);

/** Flags of aggc_submission3 that make a submission faulty. */
enum { AGGC_GOOD = 0, AGGC_BAD_SIG = 1, AGGC_WRONG_REF = 2, AGGC_WRONG_META = 4 };

/**
 * Operator op's submission for the type-3 task t (committee 3, quorum 0, threshold 0): the prover
 * at prover_url proves block t->block now (prover_proveTask), op signs the state digest with its
 * BLS key. flags: AGGC_BAD_SIG signs another digest, AGGC_WRONG_REF names the next reference
 * block, AGGC_WRONG_META alters the metadata. Returns the task request JSON (malloc'd), or NULL
 * (a failed proveTask printed on stderr).
 */
char *aggc_submission3(const world_op *op, const char *prover_url, const aggc_task3 *t, int flags);

/**
 * aggregator_submitTask on url with one task request (its JSON object): 0 when admitted, else the
 * JSON-RPC error code (-1: no answer, -999: json NULL). msg (may be NULL) gets the result or message.
 */
long aggc_submit(const char *url, const char *json, char *msg, size_t cap);

/** mpavs_confirmations since 0 on url: how many have task id id (0: all), -1 when there is no answer. */
long aggc_confirmations(const char *url, uint64_t id);

/** A file's text from byte offset from (0 or out of range: all), malloc'd, or NULL. */
char *aggc_file_since(const char *path, long from);

/** A file's size in bytes (0 when it does not exist). */
long aggc_file_size(const char *path);

#endif
