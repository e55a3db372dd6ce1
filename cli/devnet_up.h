/*
 * cli/devnet_up.h — internals of `mpavs devnet up` (the whole system on two local chains).
 *
 *   cmd_devnet_up.c    options, setup (chains, CA, deployment, operators), main loop, shutdown
 *   devnet_proc.c      child processes: start with a log file and PDEATHSIG, reap, stop, log tail
 *   devnet_config.c    the daemons' configuration files (every field name in one place)
 *   devnet_confirm.c   confirmed states: the aggregator's mpavs_confirmations, or StateConfirmed logs
 *   devnet_view.c      the live terminal view (ANSI, in place) and the plain line output
 *   devnet_load.c      the proven chain's load (mpavs_devnet_load_*, paced from the main loop)
 *
 * This is CLI code: the orchestrator's state lives in one dv_state owned by cmd_devnet_up().
 */
#ifndef MPAVS_CLI_DEVNET_UP_H
#define MPAVS_CLI_DEVNET_UP_H

#include "mpavs/devnet.h"
#include "mpavs/rpc.h"

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

int cmd_devnet_up(int argc, char **argv);

#define DV_MAX_OPERATORS 16
#define DV_MAX_PROCS (2 + 2 * DV_MAX_OPERATORS + 1)
#define DV_KEEP_CONFIRMS 64
#define DV_PATH 1024

/* ---------------- processes (devnet_proc.c) ---------------- */

typedef enum {
    DV_ABSENT = 0, /* not started (its program is missing) */
    DV_UP,         /* running */
    DV_DOWN,       /* exited on its own */
    DV_STOPPED,    /* stopped by us */
} dv_proc_status;

typedef struct {
    char name[32];      /* "anvil-avs", "prover-1", "aggregator", "operator-1" */
    char log[DV_PATH];  /* .devnet/logs/<name>.log */
    pid_t pid;
    int port;           /* the port it serves (0: none) */
    dv_proc_status status;
    int wait_status;    /* when DOWN or STOPPED */
    bool reported;      /* its death was shown */
} dv_proc;

/* Start argv[0] (an absolute path, or a name looked up in PATH) in its own process group with
 * stdin from /dev/null and stdout+stderr appended to p->log; the child gets PDEATHSIG SIGKILL.
 * Returns true when exec succeeded (a failed exec is reported through a pipe). */
bool dv_proc_start(dv_proc *p, char *const *argv);
/* Reap exited children; mark them DOWN (or STOPPED when we were stopping them). Returns how many
 * changed state. */
int dv_proc_reap(dv_proc *procs, size_t n);
/* Stop every UP process, last first in groups: SIGTERM to all, wait up to timeout_ms, then
 * SIGKILL the rest (their whole process groups) and reap them. */
void dv_proc_stop_all(dv_proc *procs, size_t n, long timeout_ms);
/* Text of a wait status: "exit 1", "signal 9". */
void dv_status_text(char *out, size_t cap, int wait_status);
/* The last `lines` lines of a file (at most cap-1 bytes). */
void dv_log_tail(char *out, size_t cap, const char *path, int lines);
/* A free TCP port on 127.0.0.1 (bind port 0, read it back), or 0. */
int dv_free_port(void);
/* True once 127.0.0.1:port accepts connections; false after timeout_ms or when p exits. */
bool dv_wait_port(dv_proc *p, int port, long timeout_ms, volatile const int *cancel);
/* snprintf for paths and names: 0, or -1 when the text did not fit (it is then cut). */
int dv_fmt(char *out, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Monotonic milliseconds. */
long long dv_now_ms(void);
void dv_sleep_ms(long ms);

/* ---------------- the network ---------------- */

typedef struct {
    char name[8];            /* "op1" */
    uint8_t ecdsa_sk[32];    /* fresh key, funded with anvil_setBalance */
    mpavs_address address;
    uint8_t bls_sk[32];
    uint8_t operator_id[32]; /* keccak256(G1 pubkey) */
    char password[65];       /* BLS key file password (random hex) */
    char dir[DV_PATH];       /* <dir>/operators/opN */
    char bls_key_file[DV_PATH];
    int metrics_port, node_api_port;
    uint8_t quorum;          /* 0: an SGX prover (devnet provider), 1: a TDX prover (devnet-tdx) */
} dv_operator;

typedef struct {
    char avs_url[64], l2_url[64];
    uint64_t avs_chain_id, l2_chain_id;
    uint64_t l2_checkpoint_number; /* the provers' checkpoint: the proven chain's block 1 */
    uint8_t l2_checkpoint_hash[32];
    uint64_t avs_start_block; /* AVS block when the contracts were deployed (log scans start here) */
    mpavs_contracts_deployment dep;
    uint8_t deployer_sk[32]; /* anvil dev account 0: deployer, state confirmer, aggregator */
    char dir[DV_PATH];       /* state directory (absolute) */
    char root[DV_PATH];      /* repository root (absolute) */
    char ca_dir[DV_PATH];
    size_t nops;
    bool two_quorums;        /* SGX quorum 0 and TDX quorum 1 (nops >= 2); else SGX quorum 0 only */
    uint8_t mr_enclave[32];  /* the devnet SGX provers' MRENCLAVE; the TDX provers' MRTD starts with it */
    dv_operator ops[DV_MAX_OPERATORS];
    int prover_ports[DV_MAX_OPERATORS];
    int aggregator_port, aggregator_metrics_port;
} dv_net;

/* ---------------- configuration files (devnet_config.c) ---------------- */

/* Write <dir>/prover-<i+1>.json, <dir>/aggregator.json, <dir>/operator-<i+1>.json (mode 0600).
 * Out: path (DV_PATH bytes). Return 0, or -1 with a message on stderr. */
int dv_write_prover_config(char *path, const dv_net *n, size_t i);
int dv_write_aggregator_config(char *path, const dv_net *n);
int dv_write_operator_config(char *path, const dv_net *n, size_t i);
/* Write <dir>/deployment.json: the deployment's JSON plus rpcUrl, l2RpcUrl, l2ChainId,
 * aggregatorUrl and the operators onboarded so far (name, address, operatorId). */
int dv_write_deployment(const dv_net *n, size_t nops_onboarded);
/* Write text to path with mode 0600 (replacing it). Returns 0 or -1. */
int dv_write_private(const char *path, const char *text);

/* ---------------- confirmed states (devnet_confirm.c) ---------------- */

typedef struct {
    uint64_t seq, task_type, task_id, block; /* block: the proven block (0 when unknown) */
    char digest[67], tx_hash[67];
    char signers[160], non_signers[160];     /* "op1 op2 op3", or "?" */
    char per_quorum[48];                      /* signers per TEE quorum: "sgx 2/2 tdx 2/2", or "?" */
    long long latency_ms;                     /* -1 when unknown */
    uint64_t confirm_block;
    uint64_t reference_block;                 /* 0 when unknown */
    long long latency_blocks;                 /* confirm_block - (reference_block + 1): AVS blocks from the
                                                 task's creation (at AVS head reference_block + 1); -1 unknown */
    /* the proven blocks this confirmation covers, (from, block] (from: the previous confirmed block, or the
       provers' checkpoint), as the proven chain's headers say: what the provers executed for it */
    uint64_t range_from;
    uint64_t l2_txs, l2_gas;
    bool l2_known;                            /* false: the headers could not be read */
} dv_confirm;

typedef enum { DV_SRC_AGGREGATOR, DV_SRC_LOGS } dv_source;

/* A task that expired or failed (the aggregator's mpavs_status recent_failures). */
typedef struct {
    uint64_t task_type, task_id;
    char status[12];   /* "expired" or "failed" */
    char reason[240];  /* which quorum was short and by how much; N of M operators signed */
} dv_failure;

#define DV_KEEP_FAILURES 4

typedef struct {
    mpavs_rpc *agg, *avs, *l2; /* owned */
    dv_source source;
    uint64_t since;            /* last seq seen (aggregator) */
    uint64_t next_block;       /* next AVS block to scan (logs) */
    uint64_t log_seq;
    uint64_t last_block;       /* highest proven block confirmed so far (starts at the checkpoint) */
    char last_error[160];
    uint64_t seen_fail[16];    /* (type, id) keys of the failures reported already (ring) */
    size_t nseen_fail;
} dv_watch;

/* Open the clients. agg_url NULL (no aggregator program): StateConfirmed logs from the start;
 * else mpavs_confirmations, switching to the logs if the aggregator answers -32601. Returns 0 or -1. */
int dv_watch_open(dv_watch *w, const dv_net *n, const char *agg_url);
void dv_watch_close(dv_watch *w);
/* Fetch newly confirmed states. Out: out[0..*nout) (cap entries), oldest first.
 * agg_up: whether the aggregator process runs (while it is down nothing is asked of it).
 * Returns 0 (also when nothing is new) or -1 (w->last_error says why; try again later). */
int dv_watch_poll(dv_watch *w, const dv_net *n, bool agg_up, dv_confirm *out, size_t cap, size_t *nout);
/* Fetch the tasks that expired or failed since the last call (the aggregator's mpavs_status;
 * nothing with the logs source). Out: out[0..*nout) (cap entries), oldest first. Returns 0 or -1. */
int dv_watch_failures(dv_watch *w, dv_failure *out, size_t cap, size_t *nout);

/* ---------------- load (devnet_load.c) ---------------- */

typedef struct {
    mpavs_devnet_load *gen;    /* NULL: no load (--no-load, or it could not start) */
    mpavs_rpc *rpc;            /* owned: the proven chain */
    unsigned rate;             /* transactions per second */
    long long t0_ms;           /* when it started */
    long long pause_until_ms;  /* after a refusal: wait 1 s */
    char last_error[200];
} dv_load;

/* Start the load on the proven chain from anvil dev account 9 (no other devnet process sends on
 * that chain; dev account 0 sends on the AVS chain only). Returns 0 or -1 (message on stderr). */
int dv_load_start(dv_load *l, const dv_net *n, unsigned rate);
/* Send what is due at now_ms (rate × elapsed, at most one second's worth at once). */
void dv_load_tick(dv_load *l, long long now_ms);
/* One line: "4 tx/s from 0x…: 120 sent (transfer 30, …), 0 refused". */
void dv_load_text(char *out, size_t cap, const dv_load *l);
void dv_load_stop(dv_load *l);

/* ---------------- view (devnet_view.c) ---------------- */

typedef struct {
    bool tty;             /* in-place ANSI view; else plain lines */
    int rows, cols;
    bool active;          /* alternate screen entered */
    long long last_draw_ms;
    bool dirty;
    long long t0_ms;      /* start of `devnet up` */
    long long first_confirm_ms; /* -1 until the first confirmation */
    uint64_t nconfirmed;
    dv_confirm recent[DV_KEEP_CONFIRMS]; /* ring, newest at (head-1) */
    size_t head, nrecent;
    char notice[2048];    /* last death report (tty view) */
    const char *source;   /* "mpavs_confirmations" or "StateConfirmed logs" */
    const dv_load *load;  /* NULL: none */
    uint64_t l2_txs, l2_gas;        /* totals over the confirmed ranges */
    long long max_latency_blocks;   /* -1 until known */
    long long max_latency_later;    /* the same over the confirmations after the first (startup) */
    uint64_t over_latency;          /* confirmations later than DV_LATENCY_BLOCKS */
    dv_failure failures[DV_KEEP_FAILURES]; /* ring, newest at (fhead-1) */
    size_t fhead, nfailures;
    uint64_t nfailed;               /* expired or failed tasks seen */
} dv_view;

/* The latency budget from task creation to confirmState, in AVS blocks (issue #13). */
#define DV_LATENCY_BLOCKS 2

void dv_view_init(dv_view *v, bool tty, long long t0_ms);
/* Enter the alternate screen (tty) or print the plain header. */
void dv_view_begin(dv_view *v, const dv_net *n, const dv_proc *procs, size_t nprocs);
/* Record a confirmation (plain: print its line now). */
void dv_view_confirm(dv_view *v, const dv_confirm *c);
/* Record a task that expired or failed (plain: print its line now). */
void dv_view_failure(dv_view *v, const dv_failure *f);
/* A process went down: plain prints the line and log tail; tty keeps it for the notice panel. */
void dv_view_proc_down(dv_view *v, const dv_proc *p);
/* The terminal size changed (SIGWINCH). */
void dv_view_resize(dv_view *v);
/* Redraw if something changed and 500 ms passed since the last frame (tty only). */
void dv_view_tick(dv_view *v, const dv_net *n, const dv_proc *procs, size_t nprocs, bool force);
/* "464 transactions, 19487776 gas in the confirmed ranges; latency max 2 AVS blocks (after the first: 2),
 * 0 over 2" (latency "?" when unknown). */
void dv_view_summary(char *out, size_t cap, const dv_view *v);
/* Leave the alternate screen and restore the cursor. */
void dv_view_end(dv_view *v);

#endif
