/*
 * daemons/aggregator/daemon.h — the aggregator's process state, shared by its modules.
 *
 *   core.c      start/stop of the core's threads (verifier stage, state loader), monotonic waits
 *   chain.c     chain access over RPC (agg_chain_rpc: pools, contract calls, the BLS key index),
 *               the committee and liveness caches the core keeps in front of it
 *   tasks.c     the task table: creation, long-poll distribution, the state loader
 *   verify.c    the verifier stage (verify.h): batched BLS verification on its own threads
 *   admit.c     aggregator_submitTask admission; the verifier's commit (persist + count a batch)
 *   confirm.c   the confirmation thread (confirmState through the transaction sender)
 *   canon.c     type-3 states against the proven chain's canonical blocks (before confirming; signatures)
 *   finality.c  which blocks are final (finality.h): type-3 task heights, reference blocks
 *   source.c    task sources (type 3: a task every Interval blocks of a chain; Scroll/Linea)
 *   api.c       JSON-RPC methods
 *   push.c      aggregator_submitMetrics: the signed push of a registered operator (pushstore.h keeps it)
 *   metrics.c   the Prometheus text (its own families and the operator-pushed ones)
 *
 * The core reaches the chains only through d->chain (agg_chain_ops; NULL = agg_chain_rpc), so
 * unit tests run it against an in-memory chain. HTTP threads do no chain I/O for admission: the
 * state loader thread loads a task's operator state when the task is created or restored (then
 * its operators' liveness proofs, and it keeps the layer clocks fresh), and admission waits for
 * it (bounded: AGG_STATE_WAIT_MS); only a liveness cache miss (a proof renewed since) reads a layer.
 *
 * Locking: d->mu guards the task table and every task's aggregation; it is never held across
 * RPC calls or signature checks. The store, pools, key index and liveness cache have their own
 * locks. Lock order: d->mu before keys_mu / live_mu.
 */
#ifndef MPAVS_AGG_DAEMON_H
#define MPAVS_AGG_DAEMON_H

#include "aggregator/config.h"
#include "aggregator/store.h"
#include "aggregator/verify.h"
#include "common/jsonrpc_server.h"
#include "common/ratelog.h"
#include "common/runtime.h"

#include "mpavs/abi.h"
#include "mpavs/aggregate.h"
#include "mpavs/ecdsa.h"
#include "mpavs/registry.h"
#include "mpavs/rpc.h"
#include "mpavs/taskkind.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#define AGG_VERSION "mpavs-aggregator/0.1.0"
#define AGG_MAX_TYPES (MPAVS_TASKKIND_MAX_ID + 1) /* arrays by task type (mpavs/taskkind.h), [0] unused */
#define AGG_POOL_MAX 16
#define AGG_CONFIRM_BUCKETS 10 /* confirmation latency histogram bounds (metrics.c) */
#define AGG_STATE_WAIT_MS 2000 /* longest an admission waits for the state loader */
#define AGG_LATE_CHECK_MS 60000 /* a confirmed task keeps its operator state this long, to check late signatures */

/* submitTask rejection reasons (docs/protocol.md); index into metrics and error codes. */
enum {
    REJ_INVALID_PARAMS = 0,
    REJ_UNKNOWN_TASK,
    REJ_BAD_QUORUMS,
    REJ_NOT_REGISTERED,
    REJ_INVALID_SIGNATURE,
    REJ_NOT_LIVE,
    REJ_PROVER_MISMATCH,
    REJ_DUPLICATE,
    REJ_CONFLICT,
    REJ_SAMPLED_OUT,
    REJ_UNAVAILABLE,
    REJ_LATE,
    REJ_COUNT
};
extern const char *const agg_reject_names[REJ_COUNT];
extern const long agg_reject_codes[REJ_COUNT];

/* aggregator_submitMetrics refusal reasons (push.c, docs/aggregator.md §4); index into metrics and codes. */
enum {
    PUSH_INVALID_PARAMS = 0, /* not [{"name":…,"metrics":[…],…}], or a field of the wrong type */
    PUSH_UNSIGNED,           /* no "timestamp"/"signature" (a reference operator) */
    PUSH_BAD_NAME,           /* the name is not "0x<40 hex>" or "0x<40 hex>_<suffix>" */
    PUSH_STALE,              /* timestamp more than AGG_PUSH_WINDOW_S from the aggregator's clock */
    PUSH_REPLAY,             /* timestamp not newer than the last push accepted from that operator */
    PUSH_NOT_REGISTERED,     /* no BLS key registered for the address (the key index) */
    PUSH_BAD_SIGNATURE,      /* not a G1 point, or not the registered key's signature of the digest */
    PUSH_TOO_LARGE,          /* more families, samples or bytes than one operator may push */
    PUSH_FULL,               /* the store holds AGG_METRICS_MAX_OPERATORS operators or AGG_METRICS_MAX_TOTAL bytes */
    PUSH_UNAVAILABLE,        /* out of memory */
    PUSH_REFUSED_COUNT
};
extern const char *const agg_push_refused_names[PUSH_REFUSED_COUNT];
extern const long agg_push_refused_codes[PUSH_REFUSED_COUNT];
#define AGG_PUSH_WINDOW_S 300 /* a push's timestamp may differ this much from the aggregator's clock */

typedef struct agg_pushstore agg_pushstore;

/** A pool of JSON-RPC clients for one URL (mpavs_rpc is single-threaded). */
typedef struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    char url[512];
    mpavs_rpc *free_list[AGG_POOL_MAX];
    size_t nfree, created;
    long timeout_ms;
} agg_pool;

void agg_pool_init(agg_pool *p, const char *url, long timeout_ms);
mpavs_rpc *agg_pool_get(agg_pool *p);
void agg_pool_put(agg_pool *p, mpavs_rpc *c);
void agg_pool_destroy(agg_pool *p);

/** One digest signed for a task. */
typedef struct {
    uint8_t digest[32];
    uint8_t *state, *metadata; /* the StateHeader fields its signers signed */
    size_t state_len, metadata_len;
    uint64_t first_ms;
} agg_digest;

/** A signer of a task: which digest it signed. */
typedef struct {
    uint8_t operator_id[32];
    uint32_t digest_idx;
} agg_signer;

typedef struct agg_task {
    int type;
    uint64_t id, ref_block, created_ms;
    char *ext;
    uint8_t *metadata; /* expected metadata (type 3), NULL when any is accepted (1, 2) */
    size_t metadata_len;
    int status; /* TASK_* of store.h */
    /* operator state at the reference block, loaded at the first submission */
    int load; /* 0 not loaded, 1 loading, 2 ready, 3 failed */
    uint64_t load_retry_ms; /* monotonic: the loader's next attempt after a failure */
    uint64_t load_failed_ms; /* monotonic: the last failure */
    unsigned load_failures; /* consecutive: the retry delay doubles, 2 s up to 64 s */
    char load_error[256];
    uint8_t quorums[MPAVS_AGG_MAX_QUORUMS], thresholds[MPAVS_AGG_MAX_QUORUMS];
    size_t nq;
    mpavs_agg *agg;
    size_t noperators;
    agg_digest *digests;
    size_t ndigests;
    agg_signer *signers;
    size_t nsigners, signers_cap;
    /* confirmation */
    uint64_t confirm_at_ms, retry_at_ms;
    int attempts;
    bool sending;
    uint64_t late_until_ms; /* monotonic: a confirmed task's operator state is released then (AGG_LATE_CHECK_MS) */
    bool restored; /* restored open task whose stored signatures still need replaying */
    size_t canon_checked; /* type 3: signers[0..canon_checked) were checked against the canonical chain (canon.c) */
    struct agg_task *next;
} agg_task;

/** Default of agg_daemon.live_recheck_ms. */
#define AGG_LIVE_RECHECK_MS 30000

/** A liveness proof seen on one attestation layer. */
typedef struct {
    uint8_t operator_id[32];
    mpavs_address prover[AGG_MAX_LAYERS];
    uint64_t valid_until[AGG_MAX_LAYERS]; /* unix seconds */
    uint64_t checked_ms;
    bool prefetched; /* read by the loader, not yet re-read by an admission */
} agg_live;

typedef struct agg_daemon agg_daemon;

/**
 * What the core asks of the chains. chain.c implements it over JSON-RPC (agg_chain_rpc); unit
 * tests pass their own. Every function may block on I/O and is called without d->mu held.
 */
typedef struct {
    /** committees(type).teeQuorumNumbers. Out: quorums (≤ MPAVS_AGG_MAX_QUORUMS), *nq, err. */
    bool (*committee_quorums)(agg_daemon *d, int type, uint8_t *quorums, size_t *nq, char *err, size_t cap);
    /**
     * The operators of quorums at block, joined with their BLS keys. Out: *ops (malloc'd,
     * caller frees), *n, err. Returns false when the state or a key cannot be read.
     */
    bool (*operator_state)(agg_daemon *d, uint64_t block, const uint8_t *quorums, size_t nq, mpavs_agg_operator **ops,
                           size_t *n, char *err, size_t cap);
    /** Attestation layer li's proof for an operator id. Out: *prover, *time_s (0 = none), *validity_s. */
    bool (*read_layer)(agg_daemon *d, size_t li, const uint8_t operator_id[32], mpavs_address *prover,
                       uint64_t *time_s, uint64_t *validity_s);
    /** Attestation layer li's latest block timestamp. Out: *unix_s. */
    bool (*layer_time)(agg_daemon *d, size_t li, uint64_t *unix_s);
} agg_chain_ops;

/** Chain access over the daemon's RPC pools (chain.c). */
extern const agg_chain_ops agg_chain_rpc;

#define AGG_RECENT_FAILURES 8 /* how many expired or failed tasks mpavs_status lists */

/** A task that expired or failed, with its reason (mpavs_status's recent_failures). */
typedef struct {
    int type, status; /* status: TASK_EXPIRED or TASK_FAILED */
    uint64_t id;
    char reason[512];
} agg_failure;

struct agg_daemon {
    agg_config cfg;
    const agg_chain_ops *chain; /* NULL: agg_chain_rpc */
    void *chain_user;           /* for a test's chain */
    agg_store *store;
    mpavs_ecdsa_ctx *ecdsa;

    pthread_mutex_t mu;
    pthread_cond_t task_cv;    /* a new task (wakes long polls); CLOCK_MONOTONIC (drt_cond_init) */
    pthread_cond_t confirm_cv; /* something to confirm; CLOCK_MONOTONIC */
    agg_task *tasks;
    agg_task *latest[AGG_MAX_TYPES];
    size_t ntasks;
    /* the last AGG_RECENT_FAILURES tasks that expired or failed, with their reasons (mpavs_status):
       entry i % AGG_RECENT_FAILURES of nfailures recorded */
    agg_failure failures[AGG_RECENT_FAILURES];
    size_t nfailures;

    agg_pool avs;                     /* AVS chain */
    agg_pool layers[AGG_MAX_LAYERS];  /* attestation layers */
    uint64_t avs_chain_id;
    uint64_t ref_depth; /* ReferenceConfirmations, or the AVS chain's preset depth (main.c, after agg_chain_init) */
    mpavs_address bls_apk_registry, stake_registry;
    uint8_t committee_quorums[AGG_MAX_TYPES][MPAVS_AGG_MAX_QUORUMS];
    size_t ncommittee_quorums[AGG_MAX_TYPES];
    uint64_t committee_checked_ms[AGG_MAX_TYPES];

    pthread_mutex_t keys_mu;
    mpavs_registry_pubkey *keys;
    size_t nkeys;
    uint64_t keys_scanned_to;
    uint64_t keys_refreshed_ms;

    pthread_mutex_t live_mu;
    agg_live *live;
    size_t nlive, live_cap;
    /* a cached valid proof older than this is re-read by the next task's prefetch (agg_core_init sets
     * AGG_LIVE_RECHECK_MS): a proof voided on chain before its expiry (TEE quorum policy revocation,
     * invalidation; attestedProvers then reads time 0) stops being admitted within that long */
    uint64_t live_recheck_ms;
    uint64_t validity_s[AGG_MAX_LAYERS];
    uint64_t validity_checked_ms[AGG_MAX_LAYERS];
    int64_t layer_clock_offset_s[AGG_MAX_LAYERS]; /* latest block timestamp − wall clock, per layer */
    uint64_t layer_clock_checked_ms[AGG_MAX_LAYERS];

    /* metrics (atomics) */
    uint64_t m_admitted, m_rejected[REJ_COUNT], m_disagreements, m_confirmed, m_confirm_failures, m_tasks_created[AGG_MAX_TYPES];
    uint64_t m_fetch[AGG_MAX_TYPES][2], m_last_confirm_latency_ms, m_confirm_latency_sum_ms, m_batches,
        m_batch_sigs;
    uint64_t m_confirm_latency_hist[AGG_CONFIRM_BUCKETS + 1]; /* per bucket, not cumulative (metrics.c) */
    uint64_t m_non_canonical, m_non_canonical_sigs; /* canon.c: states refused, signatures seen for orphaned blocks */
    uint64_t canon_scan_after_ms; /* canon.c (the confirmation thread only): monotonic, no scan before */

    /* is this aggregator's key the contract's stateConfirmer? (confirm.c; atomic: -1 not known yet, 0 no, 1 yes) */
    int confirmer_state;

    dratelog rejlog; /* rejected submissions: at most 10 lines per reason per 10 s, then a summary */

    /* aggregator_submitMetrics (push.c): the pushes kept (NULL without memory: every push is refused) */
    agg_pushstore *pushes;
    uint64_t m_push_accepted, m_push_refused[PUSH_REFUSED_COUNT]; /* atomics */
    dratelog pushlog; /* refused pushes: at most 10 lines per reason per 10 s, then a summary */

    drt_stop stop; /* the process's stop token (main.c; SIGTERM/SIGINT set it) */
    drpc_server *server, *metrics_server;

    /* core threads (core.c) */
    agg_verifier *verifier;
    pthread_t loader;
    bool loader_running;
};

/* core.c */
/** Initialize d's locks and condition variables (CLOCK_MONOTONIC). Call once, before anything else. */
void agg_core_init(agg_daemon *d);
/**
 * Start the verifier stage (verifier_workers threads, 0 = one per core) and, with loader, the state
 * loader thread. Out: err. Returns false when a thread cannot start.
 */
bool agg_core_start(agg_daemon *d, size_t verifier_workers, bool loader, char *err, size_t cap);
/** Stop the core's threads (d->stop is set and waiters woken first). Safe to call twice. */
void agg_core_stop(agg_daemon *d);
/** Destroy what agg_core_init made. */
void agg_core_destroy(agg_daemon *d);
/** An absolute CLOCK_MONOTONIC deadline ms from now, for d's condition variables. */
struct timespec agg_deadline(long ms);
/** Monotonic milliseconds (for intervals; agg_now_ms is wall-clock time). */
uint64_t agg_mono_ms(void);

uint64_t agg_now_ms(void);
void agg_bump(uint64_t *c, uint64_t by);

/* chain.c */
/** The eth_call signatures the aggregator uses; agg_call parses them once per process. */
typedef enum {
    AGG_SIG_COMMITTEES,           /* committees(uint256)(uint256,string,bytes,bytes) */
    AGG_SIG_BLS_APK_REGISTRY,     /* blsApkRegistry()(address) */
    AGG_SIG_STAKE_REGISTRY,       /* stakeRegistry()(address) */
    AGG_SIG_ATTEST_VALIDITY,      /* attestValiditySeconds()(uint256) */
    AGG_SIG_ATTESTED_PROVERS,     /* attestedProvers(bytes32)((bytes32,bytes32),uint256) */
    AGG_SIG_ATTESTED_PROVER_ADDR, /* attestedProverAddr(bytes32)(address) */
    AGG_NSIGS
} agg_sig;

/**
 * eth_call to `to` of the pre-parsed signature sig with already encoded argument words
 * args/len (may be NULL/0) at tag (NULL = latest). Out: *ret (mpavs_abi_value_free). Returns an
 * mpavs_rpc code or -1 for a decode error (err->message says why).
 */
int agg_call(mpavs_rpc *rpc, mpavs_abi_value **ret, mpavs_error *err, const mpavs_address *to, agg_sig sig,
             const uint8_t *args, size_t len, const char *tag);
/** Read registry addresses, chain id and the committees. Out: err text. */
bool agg_chain_init(agg_daemon *d, char *err, size_t cap);
/** Quorums bound to committee `type` (cached, refreshed every 60 s through d->chain). Returns false when unknown. */
bool agg_committee_quorums(agg_daemon *d, int type, uint8_t *quorums, size_t *nq);
/** Scan new NewPubkeyRegistration logs up to the head and save them. Returns false on RPC failure. */
bool agg_keys_refresh(agg_daemon *d);
/** Join an operator state with the key index. Out: ops. Returns 0, or the index+1 of an operator without key. */
size_t agg_keys_join(agg_daemon *d, mpavs_agg_operator *ops, const mpavs_registry_operator *st, size_t n);
/**
 * Liveness of an operator's key with the prover address its PoE recovered to.
 * Out: *live (some layer has a valid proof), *match (valid and attested for `prover`).
 * Returns false when no layer could be asked.
 */
bool agg_liveness(agg_daemon *d, bool *live, bool *match, const uint8_t operator_id[32], const uint8_t pk_x[32],
                  const uint8_t pk_y[32], const mpavs_address *prover);

/** Re-read the attestation layers' clocks when older than 4 s (the loader keeps them fresh for admission). */
void agg_layer_clocks_refresh(agg_daemon *d);
/**
 * Read the liveness proofs of operators without a valid cached proof into the liveness cache
 * (d->mu NOT held; the state loader calls it for a task's operators, so admission finds them
 * cached). Returns the number of operators read.
 */
size_t agg_liveness_prefetch(agg_daemon *d, const uint8_t (*ids)[32], size_t n);

/* tasks.c */
/** Create a task (persisted, wakes long polls). ext is copied. Returns false on a database error. */
bool agg_task_create(agg_daemon *d, int type, uint64_t id, uint64_t ref_block, const char *ext,
                     const uint8_t *metadata, size_t metadata_len);
/** Restore tasks and their admitted signatures from the store. */
bool agg_tasks_restore(agg_daemon *d);
/** Find a task (d->mu held). */
agg_task *agg_task_find(agg_daemon *d, int type, uint64_t id);
/** Find a task by its expected metadata (d->mu held). */
agg_task *agg_task_find_metadata(agg_daemon *d, int type, const uint8_t *metadata, size_t len);
/**
 * Wait (d->mu held; at most AGG_STATE_WAIT_MS, released meanwhile) until the state loader has
 * loaded t's operator state. Returns true when ready; else *why explains (loading failed, still
 * loading, or no loader). No chain I/O on the caller's thread.
 */
bool agg_task_ready(agg_daemon *d, agg_task *t, const char **why);
/**
 * Load t's operator state through d->chain and replay its stored signatures (d->mu held; released
 * during the I/O). Used by the state loader; returns true when t is ready.
 */
bool agg_task_load(agg_daemon *d, agg_task *t);
/** The state loader thread: loads every open task whose state is not loaded (arg: agg_daemon). */
void *agg_loader_thread(void *arg);
/** Long poll for the next task of a type after prev_id. Returns the FetchTaskResp JSON. */
json_t *agg_task_fetch(agg_daemon *d, uint64_t prev_id, uint64_t type, uint64_t wait_s, bool with_context);
/**
 * Have the state loader load restored open tasks (their stored signatures are replayed), so a
 * task that reached its threshold before a crash is confirmed without another submission
 * (d->mu NOT held; called by the confirmation thread). Without a loader thread, loads inline.
 */
void agg_tasks_reload(agg_daemon *d);
/**
 * Report an operator that signed another digest than the task's first (d->mu held): a
 * digest_disagreement warning and the disagreement counter. late: it came after the confirmation.
 */
void agg_report_disagreement(agg_daemon *d, const agg_task *t, const uint8_t operator_id[32],
                             const uint8_t digest[32], bool late);
/** Release the operator state of a finished task (d->mu held): finished tasks admit nothing. */
void agg_task_release_state(agg_task *t);
/** Forget confirmed/expired tasks beyond the newest `keep` (d->mu held). */
void agg_tasks_prune(agg_daemon *d, size_t keep);
/** Free every task. */
void agg_tasks_free(agg_daemon *d);
/**
 * Add an already verified signature to t's aggregation (d->mu held) and schedule a
 * confirmation when its digest meets every threshold. Returns an MPAVS_AGG_* code.
 */
int agg_task_add_signature(agg_daemon *d, agg_task *t, bool *added, const uint8_t digest[32],
                           const uint8_t operator_id[32], const mpavs_bn254_g1 *sig, const uint8_t *metadata,
                           size_t metadata_len, const uint8_t *state, size_t state_len, uint64_t now_ms);

/* admit.c */
/** An admission's verdict: why is REJ_COUNT (admitted; msg "") or a REJ_* reason with its message. */
typedef void (*agg_admit_done)(void *user, int why, const char *msg);
/**
 * Admit one submitTask request without holding the calling thread for its BLS check: req is
 * params[0] as the JSON-RPC server parsed it (read only before this returns, not parsed again).
 * done(user, why, msg) is called exactly once: on this thread before agg_admit_start returns
 * when the verdict needs no BLS check (most refusals), else on the verifier's committer thread
 * once the signature's batch is checked, stored and counted. Needs agg_core_start's verifier.
 */
void agg_admit_start(agg_daemon *d, const json_t *req, agg_admit_done done, void *user);
/**
 * agg_admit_start and a wait for its verdict. Returns REJ_COUNT when admitted, else a REJ_*
 * reason with msg filled.
 */
int agg_admit(agg_daemon *d, const json_t *req, char *msg, size_t msgcap);
/** The verifier's commit callback (user = the daemon): persist the batch's valid rows, count them. */
void agg_admit_commit(void *user, agg_vjob **jobs, size_t n);

/* confirm.c */
enum { AGG_CONFIRM_WAIT = 0, AGG_CONFIRM_SEND, AGG_CONFIRM_EXPIRE, AGG_CONFIRM_AMBIGUOUS };
/**
 * What the confirmer does with t at now (wall-clock ms; d->mu held; no side effects): WAIT (not
 * open, being sent, not yet due, backing off, or no digest meets every threshold), EXPIRE (older
 * than ExpirySecs), AMBIGUOUS (several digests meet the thresholds: the task fails) or SEND
 * (*digest_idx: the one digest meeting them).
 */
int agg_confirm_decide(const agg_daemon *d, const agg_task *t, uint64_t now, size_t *digest_idx);

/**
 * Why task t expires (its stored reason and the task_expired log line), in out (cap bytes): for
 * the digest most operators signed, every quorum short of its threshold with the share of its
 * stake that signed ("quorum 0 at 20% of 40% (20 points short);") and "N of M operators signed";
 * "no signature admitted" when none was. d->mu held, t's state not yet released.
 */
void agg_expiry_reason(const agg_task *t, char *out, size_t cap);

/** Keep t (expired or failed: status) with its reason for mpavs_status's recent_failures (d->mu held). */
void agg_note_failure(agg_daemon *d, const agg_task *t, int status, const char *reason);
void *agg_confirm_thread(void *arg);

/* canon.c */
enum { AGG_CANON_YES = 0, AGG_CANON_NO, AGG_CANON_UNKNOWN };
/**
 * Is a type-3 state (abi.encode(blockHash, stateRoot)) of block `block` the proven chain's
 * canonical block now? rpc: a client of ChainTasks[0] (NULL: unknown). Out: hash/state_root of
 * the canonical block (zero when unknown), why (for UNKNOWN). Returns AGG_CANON_*. No lock held.
 */
int agg_canon_check(mpavs_rpc *rpc, uint64_t block, const uint8_t *state, size_t state_len, uint8_t hash[32],
                    uint8_t state_root[32], char *why, size_t cap);
/**
 * Log (non_canonical_state) and count a type-3 state refused because block `block` is no longer
 * the one signed; both values are in the line.
 */
void agg_canon_report_state(agg_daemon *d, uint64_t block, const uint8_t *state, size_t state_len,
                            const uint8_t hash[32], const uint8_t state_root[32]);
/**
 * Check the signatures admitted for type-3 tasks since the last call against the canonical chain
 * (d->mu NOT held): each one for a block that is not canonical is logged (non_canonical_signature)
 * and counted, once. When a block cannot be read, the rest wait 10 s (d->canon_scan_after_ms).
 * Called by the confirmation thread only.
 */
void agg_canon_scan(agg_daemon *d, mpavs_rpc *rpc);

/* source.c */
/** A task source thread: arg is an agg_source_arg naming d->cfg.sources[index]; runs by that kind's source. */
void *agg_chain_source_thread(void *arg);
typedef struct {
    agg_daemon *d;
    size_t index;
} agg_source_arg;

/* api.c */
/** The JSON-RPC handler; every method not in agg_rpc_methods gets -32601 (DRPC_METHOD_NOT_FOUND_FMT). */
json_t *agg_rpc_handler(void *user, const char *method, json_t *params, drpc_error *err);
#define AGG_RPC_NMETHODS 6
/** The methods agg_rpc_handler serves (drpc_options.methods: unknown ones are refused before parsing). */
extern const char *const agg_rpc_methods[AGG_RPC_NMETHODS];

/* metrics.c */
/* The Prometheus text (a drpc get handler). */
char *agg_metrics_text(void *user, const char **content_type);
/* Count one confirmation that took ms from task creation to receipt. */
void agg_metrics_confirm_latency(agg_daemon *d, uint64_t ms);

/* push.c */
/**
 * aggregator_submitMetrics: req is params[0] as the server parsed it. Keeps the push when it is
 * signed (mpavs_avs_metrics_push_digest) by the BLS key registered for the address in its name,
 * timely, newer than that operator's last push and within the limits (pushstore.h); cheap checks
 * first, the pairing last. Counts and logs (rate-limited) every refusal. Returns
 * PUSH_REFUSED_COUNT when kept, else a PUSH_* reason with msg filled.
 */
int agg_metrics_submit(agg_daemon *d, const json_t *req, char *msg, size_t cap);

#endif
