/*
 * daemons/aggregator/config.h — the aggregator's configuration file.
 *
 * JSON with the reference aggregator's field names (upstream spec §1.8.2), matched
 * case-insensitively as Go's encoding/json does, plus the mpavs extensions of
 * docs/protocol.md. Every problem is reported at once.
 */
#ifndef MPAVS_AGG_CONFIG_H
#define MPAVS_AGG_CONFIG_H

#include "common/config_table.h"
#include "common/log.h"
#include "common/txcaps.h"
#include "mpavs/ecdsa.h"
#include "mpavs/taskkind.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AGG_MAX_LAYERS 8
#define AGG_MAX_SOURCES 8
#define AGG_MAX_FILTER 8

/** One TEELivenessVerifier deployment whose liveness proofs are accepted. */
typedef struct {
    mpavs_address address;
    char rpc_url[512];
} agg_layer;

/**
 * A type-3 task source: a task every `interval` blocks of chain `chain_id`, for blocks final by
 * `finality` (finality.h: the node's `finalized` block, else head − confirmations).
 */
typedef struct {
    const mpavs_taskkind *kind;                 /* the kind whose source is MPAVS_TASKKIND_SOURCE_CHAIN_BLOCK */
    uint64_t chain_id, interval, confirmations; /* confirmations: the preset's (finality.h) unless set */
    int finality;                               /* AGG_FINALITY_* */
    char rpc_url[512];
} agg_chain_source;

/** An L1 task source (TaskFetcher entry): a kind whose source is an L1 event (Scroll 1, Linea 2). */
typedef struct {
    int identifier;              /* the task type (TaskFetcher[].Identifier) */
    const mpavs_taskkind *kind;  /* mpavs_taskkind_get(identifier) */
    char endpoint[512], prover[512];
    mpavs_address addresses[AGG_MAX_FILTER];
    size_t naddresses;
    uint8_t topics[AGG_MAX_FILTER][32]; /* topic0 alternatives */
    size_t ntopics;
    uint64_t preset_start_block, scan_interval_s;
} agg_l1_source;

/** One task source: its kind and the index of its settings in chains[] or l1[] (by kind->source). */
typedef struct {
    const mpavs_taskkind *kind;
    size_t index;
} agg_source;

typedef struct {
    char listen[256], metrics_listen[256];
    uint8_t ecdsa_key[32];
    char eth_url[512];
    mpavs_address service_manager, registry_coordinator, operator_state_retriever;
    agg_layer layers[AGG_MAX_LAYERS];
    size_t nlayers;
    uint64_t scan_start_block, threshold, expiry_s, min_wait_s;
    uint64_t gen_sampling, exec_sampling, linea_max_block;
    /* the reference block of every task (finality.h): ReferenceFinality, ReferenceConfirmations
       (0 = not set: the AVS chain's preset depth, resolved once its chain id is known) */
    int ref_finality;
    uint64_t ref_confirmations;
    agg_chain_source chains[AGG_MAX_SOURCES];
    size_t nchains;
    agg_l1_source l1[AGG_MAX_SOURCES];
    size_t nl1;
    /* every task source as one list, each with its kind (one source thread each, source.c):
       ChainTasks entries first, then TaskFetcher entries */
    agg_source sources[2 * AGG_MAX_SOURCES];
    size_t nsources;
    char db_path[1024];
    dtx_caps tx; /* Transactions: caps on the confirmState transactions */
    dlog_level log_level;
    char warnings[2048]; /* unknown keys etc., one per line */
} agg_config;

/**
 * Load and check path. Out: *c (secrets inside: agg_config_wipe when done), errors (every
 * problem, one per line). Returns true when usable.
 */
bool agg_config_load(agg_config *c, const char *path, char *errors, size_t errcap);
/** The ChainTasks source of task type `type` (a chain-block kind), or NULL when none is configured. */
const agg_chain_source *agg_config_chain_source(const agg_config *c, uint64_t type);
/** Wipe the secret key. */
void agg_config_wipe(agg_config *c);
/** The configuration's field table (daemons/common/config_table.h: key rules, template, reference). */
extern const dcf_table agg_config_table;
/** Print a complete template (JSON, generated from the table). */
void agg_config_template(FILE *f);

#endif
