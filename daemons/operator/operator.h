/*
 * daemons/operator/operator.h — the state shared by mpavs-operator's parts: configuration
 * (config.c), chain reads and start-up checks (chain.c), JSON-RPC to the prover and the
 * aggregator (client.c), the liveness loop (liveness.c), the task loops (tasks.c, tasks_ext.c,
 * statefile.c), metrics (metrics.c), the node API (nodeapi.c) and main.c.
 *
 * Threads: main (start-up, then waits for a signal), one liveness thread, one task thread per
 * configured quorum → task type, one monitor thread (cheap periodic checks), and the HTTP
 * servers' threads. Shared mutable state is either atomic (service status, flags) or under
 * op->lock (enclave address, prover metadata, metric values).
 */
#ifndef MPAVS_OPERATOR_H
#define MPAVS_OPERATOR_H

#include "../common/config_table.h"
#include "../common/http_get.h"
#include "../common/log.h"
#include "../common/runtime.h"
#include "../common/txcaps.h"

#include "mpavs/taskkind.h"
#include "mpavs/abi.h"
#include "mpavs/bn254.h"
#include "mpavs/ecdsa.h"
#include "mpavs/rpc.h"
#include "mpavs/u256.h"

#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define OP_VERSION "0.1.0"
#define OP_MAX_QUORUMS 16

/* ---------------- configuration (config.c) ---------------- */

typedef struct {
    uint8_t quorum;
    uint64_t task_type;
} op_quorum_task;

typedef struct {
    char prover_url[512], aggregator_url[512], eth_rpc_url[512], att_rpc_url[512];
    char bls_key_file[1024], state_file[1024];
    char metrics_addr[128], nodeapi_addr[128], profile[64];
    char bls_password[512]; /* secret */
    uint8_t att_key[32];    /* secret */
    mpavs_address registry_coordinator, state_retriever, liveness_verifier;
    op_quorum_task qt[OP_MAX_QUORUMS];
    size_t nqt;
    dlog_level level;
    mpavs_u256 low_balance_wei;
    uint64_t fetch_wait_secs; /* max_wait_secs asked of the aggregator */
    uint64_t fee_margin_percent; /* attestation fee sent, in % of the estimate (AttestationFeeMarginPercent) */
    int tee_quorum; /* LivenessTeeQuorum: the TEE quorum of submitLivenessProofV4 (0..255), -1: none (V3) */
    mpavs_u256 max_fee_wei;      /* MaxAttestationFee: above it nothing is sent */
    dtx_caps tx;              /* Transactions: caps on the liveness transactions */
    const char *preset;       /* network of the matching preset, or NULL */
    char preset_tlv[64];      /* the preset profile's TEELivenessVerifier when the configured one differs */
    char warnings[1024]; /* configuration warnings, one per line (main.c prints or logs them) */
    size_t nwarn;
} op_config;

/* The configuration's field table (daemons/common/config_table.h: key rules, template, reference). */
extern const dcf_table op_config_table;
/* Print the JSON template (generated from the table). */
void op_config_template(FILE *f);
/*
 * Read and validate path. Out: *cfg; every problem is appended to errs (one per line) and
 * counted in *nerr; warnings (unknown keys: printed on stderr; a kept TEELivenessVerifierAddress:
 * logged).
 * Secrets come from the file, BlsKeyPasswordFile/AttestationLayerEcdsaKeyFile or the
 * environment. Returns true when there is no problem.
 */
bool op_config_load(op_config *cfg, const char *path, const char *level_override, char *errs, size_t errcap,
                    size_t *nerr);
/* Wipe the secrets in cfg. */
void op_config_wipe(op_config *cfg);

/* ---------------- services and shared state ---------------- */

typedef enum { SVC_INIT = 0, SVC_UP, SVC_DOWN } op_svc_status;
enum { SVC_AVS_RPC, SVC_ATT_RPC, SVC_PROVER, SVC_AGGREGATOR, SVC_LIVENESS, SVC_COUNT };

/* Per task type metric slots: index = type - 1 for types 1..3. */
#define OP_TYPES MPAVS_TASKKIND_MAX_ID /* mpavs/taskkind.h */

typedef struct {
    uint64_t fetch[2]; /* by with_context */
    uint64_t submit, rejected, latest_task, process_ms, gen_poe_ms, submit_ms;
} op_type_metrics;

#define OP_RPC_METHODS 24
#define OP_RPC_BUCKETS 10

typedef struct {
    const char *method; /* static string */
    int chain;          /* 0 AVS chain, 1 attestation chain */
    uint64_t count, errors, buckets[OP_RPC_BUCKETS];
    double sum;
} op_rpc_stat;

typedef struct op {
    op_config cfg;
    const char *config_path;
    /* identity */
    uint8_t bls_sk[32]; /* secret */
    mpavs_bn254_g1 pk;
    uint8_t pk_xy[64], operator_id[32];
    mpavs_address operator_addr, att_addr, bls_apk_registry, stake_registry;
    uint64_t avs_chain_id, att_chain_id, quorum_bitmap;
    char avs_name[64], client_version[2][128];
    mpavs_ecdsa_ctx *ecdsa;
    /* shared, under lock */
    pthread_mutex_t lock;
    pthread_cond_t cond;    /* liveness changes, pokes, stop (CLOCK_MONOTONIC: drt_cond_init) */
    bool has_enclave;
    mpavs_address enclave;  /* the prover's enclave address from its last quote */
    bool live;              /* a valid liveness proof for (pk, enclave) on chain */
    bool poke_liveness;     /* re-check now (prover restarted, PoE signer changed) */
    bool prover_with_context, prover_twc_set[OP_TYPES], prover_twc[OP_TYPES];
    char prover_version[128];
    uint64_t last_signed[OP_TYPES + 1]; /* by type (statefile.c) */
    op_type_metrics tm[OP_TYPES];
    uint64_t gen_report_ms, liveness_ts, next_attestation_ts, liveness_submits, metadata_counter;
    double last_attestation_cost, att_balance;
    mpavs_u256 last_attestation_fee_wei; /* the fee sent with the latest liveness proof */
    mpavs_u256 stakes[OP_MAX_QUORUMS];
    bool stakes_known;
    op_rpc_stat rpc[OP_RPC_METHODS];
    size_t nrpc;
    /* atomics */
    int svc[SVC_COUNT];
    drt_stop *stop; /* the process's stop token (main.c; signals set it) */
} op;

/* Service status (atomic). */
void op_svc_set(op *o, int svc, op_svc_status s);
op_svc_status op_svc_get(op *o, int svc);
/* Sleep up to ms, waking early on stop. Returns true when stopping. */
bool op_sleep(op *o, long ms);
/* Exponential backoff with ±25 % jitter: base_ms·2^attempt capped at cap_ms. */
long op_backoff_ms(unsigned attempt, long base_ms, long cap_ms);
/* Task type name for metric labels: scroll, linea, chain_state, or "unknown". */
const char *op_type_name(uint64_t type);
/* Whether the operator fetches tasks of kind k with context (o->lock held): the prover's answer, else the kind's default. */
bool op_with_context_locked(const op *o, const mpavs_taskkind *k);

/* ---------------- JSON-RPC client with cancellation (client.c) ---------------- */

typedef struct {
    long code;          /* JSON-RPC error code, HTTP status, or 0 for transport failures */
    bool transport;     /* no usable reply (connection refused, timeout, cancelled) */
    char message[512];
    char reason[64];    /* error.data.reason (the mpavs aggregator), or "" */
} op_rpc_err;

/*
 * POST one JSON-RPC request to url. The call gives up after timeout_ms and within about a second
 * of a stop request (curl's progress callback). Out: *result (new reference; JSON null allowed) or err. Returns true on a result.
 */
bool op_jsonrpc(op *o, const char *url, const char *method, json_t *params, long timeout_ms, json_t **result,
                op_rpc_err *err);

/* ---------------- chain (chain.c) ---------------- */

/* A client for url with short timeouts (AVS or attestation chain). */
mpavs_rpc *op_chain_client(const char *url);
/* eth_chainId attempts at start-up before giving up (1+2+4+8 s between them; each failure is a warning). */
#define OP_STARTUP_RPC_ATTEMPTS 5
/* url for a log line: scheme://host[:port], without credentials, path or query (API keys live there). */
void op_url_redacted(char *out, size_t cap, const char *url);
/* Replace every occurrence of url in text (cap bytes) with op_url_redacted's form. */
void op_url_scrub(char *text, size_t cap, const char *url);
/* The eth_call signatures the operator uses; op_call parses them once per process. */
typedef enum {
    OP_SIG_BLS_APK_REGISTRY,        /* blsApkRegistry()(address) */
    OP_SIG_STAKE_REGISTRY,          /* stakeRegistry()(address) */
    OP_SIG_OPERATOR_FROM_PUBKEY,    /* getOperatorFromPubkeyHash(bytes32)(address) */
    OP_SIG_OPERATOR_STATUS,         /* getOperatorStatus(address)(uint8) */
    OP_SIG_OPERATOR_ID,             /* getOperatorId(address)(bytes32) */
    OP_SIG_QUORUM_BITMAP,           /* getCurrentQuorumBitmap(bytes32)(uint192) */
    OP_SIG_CURRENT_STAKE,           /* getCurrentStake(bytes32,uint8)(uint96) */
    OP_SIG_ATTEST_VALIDITY,         /* attestValiditySeconds()(uint256) */
    OP_SIG_VERIFY_LIVENESS,         /* verifyLivenessProofV2(bytes32,bytes32,address)(bool) */
    OP_SIG_ATTESTED_PROVERS,        /* attestedProvers(bytes32)((bytes32,bytes32),uint256) */
    OP_NSIGS
} op_sig;

/*
 * eth_call of the pre-parsed signature sig with cast-syntax args on `to`, recorded in the RPC
 * metrics of chain (0 AVS, 1 attestation). Out: *ret (release with mpavs_abi_value_free); msg on
 * failure. Returns true on success.
 */
bool op_call(op *o, mpavs_rpc *rpc, int chain, const mpavs_address *to, op_sig sig, const char *args,
             mpavs_abi_value **ret, char *msg, size_t cap);
/* Record one chain RPC (metrics): method, chain, duration, success. */
void op_rpc_observe(op *o, const char *method, int chain, double seconds, bool ok);
/*
 * Decrypt BlsKeyFile with the configured password into o->bls_sk and derive the public key and
 * operator id; the password is wiped. Returns false with msg set (a configuration problem).
 */
bool op_load_key(op *o, char *msg, size_t cap);
/* Start-up checks (after op_load_key): registration, ids, quorums, chain ids, prover. Returns false with msg set. */
bool op_startup_checks(op *o, char *msg, size_t cap);
/* Refresh the stakes of the operator's quorums (metrics). */
void op_refresh_stakes(op *o, mpavs_rpc *avs);
/* Ask the prover for its metadata (with_context flags, version). Returns false if unreachable. */
bool op_prover_metadata(op *o);

/* ---------------- liveness (liveness.c) ---------------- */

void *op_liveness_thread(void *arg);
/* Ask the liveness thread to re-check now. */
void op_liveness_poke(op *o);
/* Wait until liveness is valid (for enclave when non-NULL) or ms passes. Returns live. */
bool op_wait_live(op *o, const mpavs_address *enclave, long ms);

/* ---------------- tasks (tasks.c, tasks_ext.c, statefile.c) ---------------- */

typedef struct {
    op *o;
    uint8_t quorum;
    uint64_t type;
} op_task_arg;

void *op_task_thread(void *arg);
/* Kinds proved by an external prover (scroll, linea; tasks_ext.c): prove through context/DA as the
   reference, with prover_proveTask params by k->input. Out: header fields. */
bool op_task_prove_ext(op *o, const mpavs_taskkind *k, json_t *task, uint8_t **metadata, size_t *mlen, uint8_t **state,
                       size_t *slen, uint8_t sig65[65], char *msg, size_t cap);
/* Read op->cfg.state_file into op->last_signed (missing file = nothing signed). */
bool op_state_load(op *o, char *msg, size_t cap);
/* Record that task id of type was signed (atomic write). Returns false if it could not be saved. */
bool op_state_record(op *o, uint64_t type, uint64_t id);

/* ---------------- metrics and node API (metrics.c, nodeapi.c) ---------------- */

/* The Prometheus text (malloc'd). */
char *op_metrics_text(op *o);
/* HTTP handlers for dhttp. */
void op_metrics_http(void *user, const char *path, dhttp_reply *reply);
void op_nodeapi_http(void *user, const char *path, dhttp_reply *reply);
/* Periodic aggregator_submitMetrics (every 600 s, from the monitor thread). */
void op_submit_metrics(op *o);
void *op_monitor_thread(void *arg);

#endif
