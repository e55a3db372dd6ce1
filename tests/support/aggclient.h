/*
 * tests/support/aggclient.h — the integration tests' client side of the aggregator's JSON-RPC API
 * (type-3 fetchTask, submitTask, mpavs_confirmations) and of the daemons' log files, shared by
 * test_aggregator, test_aggregator_reorg and test_server_load.
 */
#ifndef MPAVS_TESTS_AGGCLIENT_H
#define MPAVS_TESTS_AGGCLIENT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
