/*
 * tests/support/world.h — a whole multi-prover AVS on loopback for end-to-end tests.
 *
 * world_up() starts two real anvils (the AVS chain with --hardfork osaka for the on-chain quote
 * verifier, and the proven chain "L2", both with 1-second blocks), creates a devnet attestation
 * CA, deploys the contract stack (mpavs_devnet_deploy) with the CA's PCK key registered, and
 * onboards n operators (anvil accounts 1..n: EigenLayer operator, deposit, AVS opt-in with a
 * fresh BLS key written as an eigensdk key file). Then the test starts the real daemons:
 * world_start_prover / world_start_aggregator / world_start_operator write a config into the
 * world's directory and start build/mpavs-*; every process is registered with the harness and
 * killed at exit even when a test fails.
 */
#ifndef MPAVS_TEST_WORLD_H
#define MPAVS_TEST_WORLD_H

#include "anvil.h"
#include "proc.h"

#include "mpavs/bn254.h"
#include "mpavs/devnet.h"

#define WORLD_MAX_OPS 8

typedef struct {
    uint8_t ecdsa[32], bls[32];
    mpavs_address addr;
    mpavs_bn254_g1 pk1;
    mpavs_bn254_g2 pk2;
    uint8_t id[32];
    char bls_file[300];
    harness_proc prover, op;
    int prover_port, metrics_port, node_port;
    char prover_url[64];
} world_op;

typedef struct {
    char dir[200];
    harness_anvil avs, l2;
    mpavs_rpc *rpc, *l2rpc;
    mpavs_contracts_ctx deployer;
    mpavs_contracts_deployment dep;
    uint8_t deployer_key[32];
    char ca_dir[260];
    uint64_t l2_checkpoint_number; /* the provers' checkpoint: L2 block 1 (anvil's genesis has the empty state root) */
    uint8_t l2_checkpoint[32];
    size_t nops;
    world_op ops[WORLD_MAX_OPS];
    harness_proc agg;
    int agg_port, agg_metrics_port;
    char agg_url[64], agg_db[300];
    /* JSON members for the aggregator's ChainTasks[0] and its top level (finality); NULL: the devnet's
       fast settings, ",\"Finality\":\"depth\",\"Confirmations\":0" and
       ",\"ReferenceFinality\":\"depth\",\"ReferenceConfirmations\":1" */
    const char *agg_chain_finality, *agg_ref_finality;
} world;

/** Options for world_up; zero fields take the defaults shown. */
typedef struct {
    size_t operators;                 /* 4 */
    uint64_t attest_validity_seconds; /* 3600 */
    const uint64_t *deposits;         /* per operator (wei), NULL: 1e18 each */
} world_options;

/** Bring up chains, contracts and onboarded operators in a new temporary directory. */
bool world_up(world *w, const world_options *o);
/** Stop every daemon and both chains (the directory is kept for the logs). */
void world_down(world *w);

/**
 * Start operator i's prover against chain_url (NULL: the world's L2) with block checkpoint_number
 * of hash checkpoint as checkpoint (checkpoint NULL: the world's, L2 block 1). Waits until it answers.
 */
bool world_start_prover(world *w, size_t i, const char *chain_url, uint64_t checkpoint_number,
                        const uint8_t checkpoint[32]);
/**
 * Start the aggregator (Threshold threshold %, a type-3 task every interval L2 blocks); extra
 * is appended to the JSON object (e.g. ",\"MinWaitSecs\":2") or NULL. Keeps the same database
 * across restarts. Waits until it listens.
 */
bool world_start_aggregator(world *w, unsigned threshold, unsigned interval, const char *extra);
/**
 * Submit a liveness proof for operator i through its prover's quote, as mpavs-operator does
 * (ReportDataV2 on the AVS head's parent → generateAttestationReport → submitLivenessProofV2).
 */
bool world_attest(world *w, size_t i);
/** Start operator i (its prover must run). Waits until its node API listens. */
bool world_start_operator(world *w, size_t i);

/** The value of one sample ("name{labels}") of the Prometheus text a GET on url answers, or -1. */
double world_metric(const char *url, const char *sample);
/** A JSON-RPC call on url; returns the result text (malloc'd) or NULL with err filled. */
char *world_call(const char *url, const char *method, const char *params, mpavs_error *err);
/** The path of a file in the world's directory (static buffer). */
const char *world_path(const world *w, const char *name);

#endif
