/*
 * mpavs-operator — the Multi-Prover AVS operator: keeps its BN254 BLS key attested on the
 * attestation layer (liveness.c), long-polls the aggregator for tasks of the quorums it serves,
 * has its TEE prover prove them, signs the StateHeader digest and submits it (tasks.c), and
 * serves Prometheus metrics (metrics.c) and the EigenLayer node API (nodeapi.c).
 * See usage() and daemons/operator/README.md.
 */
#include "operator/operator.h"

#include "common/signals.h"

#include "mpavs/common.h"
#include "mpavs/version.h"

#include <curl/curl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---------------- shared helpers (declared in operator.h) ---------------- */

void op_svc_set(op *o, int svc, op_svc_status s) { __atomic_store_n(&o->svc[svc], (int)s, __ATOMIC_RELAXED); }
op_svc_status op_svc_get(op *o, int svc) { return (op_svc_status)__atomic_load_n(&o->svc[svc], __ATOMIC_RELAXED); }

bool op_sleep(op *o, long ms) { return drt_stop_sleep(o->stop, ms); }

long op_backoff_ms(unsigned attempt, long base_ms, long cap_ms) {
    long d = base_ms;
    for (unsigned i = 0; i < attempt && d < cap_ms; i++) d *= 2;
    if (d > cap_ms) d = cap_ms;
    uint16_t r = 0;
    if (mpavs_random_bytes(&r, sizeof r)) r = 32768;
    return d - d / 4 + (long)((double)d / 2 * r / 65536.0); /* 75 % … 125 % */
}

const char *op_type_name(uint64_t type) {
    return type == 1 ? "scroll" : type == 2 ? "linea" : type == 3 ? "chain_state" : "unknown";
}

/* ---------------- monitor thread ---------------- */

void *op_monitor_thread(void *arg) {
    op *o = arg;
    mpavs_rpc *avs = op_chain_client(o->cfg.eth_rpc_url), *att = op_chain_client(o->cfg.att_rpc_url);
    time_t last_minute = time(NULL), last_push = 0;
    while (!drt_stopped(o->stop)) {
        op_svc_status before = op_svc_get(o, SVC_PROVER);
        if (op_prover_metadata(o) && before == SVC_DOWN) {
            dlog(DLOG_INFO, "prover_back", "action=\"re-checking the liveness proof\"");
            op_liveness_poke(o);
        }
        mpavs_rpc *c[2] = {avs, att};
        for (int i = 0; i < 2; i++) {
            uint64_t n;
            struct timespec t0, t1;
            clock_gettime(CLOCK_MONOTONIC, &t0);
            int r = c[i] ? mpavs_rpc_block_number(c[i], &n, NULL) : MPAVS_RPC_ERR_ARG;
            clock_gettime(CLOCK_MONOTONIC, &t1);
            op_rpc_observe(o, "eth_blockNumber", i,
                           (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, r == 0);
        }
        time_t now = time(NULL);
        if (now - last_minute >= 60) {
            last_minute = now;
            pthread_mutex_lock(&o->lock);
            o->metadata_counter++;
            pthread_mutex_unlock(&o->lock);
            if (avs) op_refresh_stakes(o, avs);
        }
        if (now - last_push >= 600) {
            last_push = now;
            op_submit_metrics(o);
        }
        op_sleep(o, 5000);
    }
    mpavs_rpc_destroy(avs);
    mpavs_rpc_destroy(att);
    return NULL;
}

/* ---------------- command line ---------------- */

static void usage(FILE *f) {
    fputs("NAME\n"
          "    mpavs-operator - Multi-Prover AVS operator daemon (liveness, tasks, metrics, node API)\n\n"
          "SYNOPSIS\n"
          "    mpavs-operator --config FILE [--log-level LEVEL]\n"
          "    mpavs-operator --check-config FILE\n"
          "    mpavs-operator --print-config-template | --print-config-reference | --version | --help\n\n"
          "DESCRIPTION\n"
          "    Keeps the operator's BLS key attested on the attestation layer (TEELivenessVerifier\n"
          "    submitLivenessProofV2 with a quote from the TEE prover, renewed before it expires), long-polls\n"
          "    the aggregator for tasks of every configured quorum the operator is registered in, has the\n"
          "    prover prove each task, signs the StateHeader digest with BLS and submits it. Serves\n"
          "    Prometheus metrics (/metrics, /proverMetrics) and the EigenLayer node API (/eigen/node...).\n\n"
          "OPTIONS\n"
          "    --config FILE            run with this JSON configuration\n"
          "    --check-config FILE      validate FILE, print every problem, exit 0 or 2 (no network)\n"
          "    --print-config-template  print a configuration template (JSON)\n"
          "    --print-config-reference print the configuration fields (Markdown table)\n"
          "    --log-level LEVEL        debug, info, warn or error (overrides LogLevel)\n"
          "    --version                print the version\n"
          "    --help                   this text\n\n"
          "CONFIGURATION\n"
          "    The reference operator's operator.json works unchanged (keys match exactly, else ignoring\n"
          "    case; unknown keys are warnings; --print-config-reference lists every field):\n"
          "    ProverURL, AggregatorURL, BlsKeyFile (~/ expanded), BlsKeyPassword, EthRpcUrl,\n"
          "    AttestationLayerRpcURL, AttestationLayerEcdsaKey (hex, 0x optional), AttestationLayerProfile,\n"
          "    RegistryCoordinatorAddress, OperatorStateRetrieverAddress, TEELivenessVerifierAddress,\n"
          "    EigenMetricsIpPortAddress, NodeApiIpPortAddress (default :15692); Identifier is ignored.\n"
          "    mpavs extensions: BlsKeyPasswordFile, AttestationLayerEcdsaKeyFile, QuorumTaskTypes\n"
          "    (default {\"0\":1,\"1\":2}), StateFile (default operator-state.json beside the config),\n"
          "    LogLevel, AttestationLowBalanceWei (default 10^16), FetchTaskMaxWaitSecs (default 30).\n"
          "    A RegistryCoordinatorAddress of a built-in preset (mainnet, holesky) fills the\n"
          "    OperatorStateRetriever and the profile's TEELivenessVerifier and RPC URL when they are not\n"
          "    set; an explicit value that differs is kept (with a warning).\n\n"
          "ENVIRONMENT\n"
          "    MPAVS_BLS_KEY_PASSWORD        BLS key file password (overrides the config)\n"
          "    MPAVS_ATTESTATION_ECDSA_KEY   attestation-layer private key (overrides the config)\n\n"
          "SIGNALS\n"
          "    SIGTERM, SIGINT   stop within a few seconds (long polls are cancelled); secrets are wiped\n"
          "    SIGHUP            logged (event=sighup_ignored) and otherwise ignored: the configuration is\n"
          "                      read at start only; restart to apply a change\n\n"
          "EXIT STATUS\n"
          "    0 stopped by a signal or config valid; 1 a start-up check failed; 2 bad arguments or config\n",
          f);
}

int main(int argc, char **argv) {
    const char *cfg_path = NULL, *check_path = NULL, *level_arg = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "--version") == 0) {
            puts(MPAVS_VERSION_LINE("mpavs-operator"));
            return 0;
        } else if (strcmp(argv[i], "--print-config-template") == 0) {
            op_config_template(stdout);
            return 0;
        } else if (strcmp(argv[i], "--print-config-reference") == 0) {
            dcf_print_reference(stdout, &op_config_table);
            return 0;
        } else if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
            cfg_path = argv[++i];
        } else if (strcmp(argv[i], "--check-config") == 0 && i + 1 < argc) {
            check_path = argv[++i];
        } else if (strcmp(argv[i], "--log-level") == 0 && i + 1 < argc) {
            level_arg = argv[++i];
        } else {
            fprintf(stderr, "mpavs-operator: unknown or incomplete argument: %s (see --help)\n", argv[i]);
            return 2;
        }
    }
    dlog_level lv;
    if (level_arg && !dlog_parse_level(level_arg, &lv)) {
        fprintf(stderr, "mpavs-operator: --log-level: expected debug, info, warn or error\n");
        return 2;
    }
    const char *path = check_path ? check_path : cfg_path;
    if (!path) {
        fprintf(stderr, "mpavs-operator: --config FILE is required (see --help)\n");
        return 2;
    }
    static op O; /* one per process */
    op *o = &O;
    o->config_path = path;
    static char errs[4096];
    size_t nerr = 0;
    if (!op_config_load(&o->cfg, path, level_arg, errs, sizeof errs, &nerr)) {
        fprintf(stderr, "mpavs-operator: %s: %zu configuration problem%s:\n%s", path, nerr, nerr == 1 ? "" : "s",
                errs);
        return 2;
    }
    if (check_path) {
        printf("%s: configuration is valid (%zu quorum%s mapped%s%s)\n", path, o->cfg.nqt, o->cfg.nqt == 1 ? "" : "s",
               o->cfg.preset ? ", preset " : "", o->cfg.preset ? o->cfg.preset : "");
        op_config_wipe(&o->cfg);
        return 0;
    }
    dlog_set_level(o->cfg.level);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    int rc = 1;
    char msg[1200], q[1300];
    dhttp_server *metrics = NULL, *nodeapi = NULL;
    static op_task_arg targs[OP_MAX_QUORUMS];
    static drt_stop stop; /* the process's stop token */
    static drt_threads threads;
    drt_threads_init(&threads);
    pthread_mutex_init(&o->lock, NULL);
    drt_cond_init(&o->cond);
    if (!drt_stop_init(&stop)) goto out;
    o->stop = &stop;
    if (!dsig_install(&stop)) goto out;
    o->ecdsa = mpavs_ecdsa_ctx_create();
    if (!o->ecdsa || mpavs_ecdsa_seckey_to_address(o->ecdsa, &o->att_addr, o->cfg.att_key) != MPAVS_ECDSA_OK) {
        fprintf(stderr, "mpavs-operator: AttestationLayerEcdsaKey: unusable key\n");
        goto out;
    }
    if (!op_state_load(o, msg, sizeof msg)) {
        dlog(DLOG_ERROR, "startup_failed", "error=%s", dlog_quote(q, sizeof q, msg));
        fprintf(stderr, "mpavs-operator: %s\n", msg);
        goto out;
    }
    dhttp_options mo = {.listen = o->cfg.metrics_addr, .handler = op_metrics_http, .user = o};
    dhttp_options no = {.listen = o->cfg.nodeapi_addr, .handler = op_nodeapi_http, .user = o};
    if (!(metrics = dhttp_start(&mo, msg, sizeof msg)) || !(nodeapi = dhttp_start(&no, msg, sizeof msg))) {
        dlog(DLOG_ERROR, "startup_failed", "error=%s", dlog_quote(q, sizeof q, msg));
        fprintf(stderr, "mpavs-operator: %s\n", msg);
        goto out;
    }
    char acs[43];
    mpavs_address_to_checksum(acs, &o->att_addr);
    dlog(DLOG_INFO, "starting", "version=%s metrics=%s metrics_port=%d node_api=%s node_api_port=%d "
         "attestation_account=%s state_file=%s", OP_VERSION, o->cfg.metrics_addr, dhttp_port(metrics),
         o->cfg.nodeapi_addr, dhttp_port(nodeapi), acs, o->cfg.state_file);
    if (!op_startup_checks(o, msg, sizeof msg)) {
        if (drt_stopped(&stop)) {
            rc = 0;
            goto out;
        }
        dlog(DLOG_ERROR, "startup_failed", "error=%s", dlog_quote(q, sizeof q, msg));
        fprintf(stderr, "mpavs-operator: %s\n", msg);
        goto out;
    }
    if (!drt_spawn(&threads, "liveness", op_liveness_thread, o) || !drt_spawn(&threads, "monitor", op_monitor_thread, o))
        goto out;
    for (size_t i = 0; i < o->cfg.nqt; i++) {
        if (!(o->quorum_bitmap >> o->cfg.qt[i].quorum & 1)) continue;
        targs[i] = (op_task_arg){.o = o, .quorum = o->cfg.qt[i].quorum, .type = o->cfg.qt[i].task_type};
        if (!drt_spawn(&threads, "tasks", op_task_thread, &targs[i])) goto out;
    }
    dlog(DLOG_INFO, "running", "avs_name=%s", o->avs_name);
    while (!dsig_main_wait(&stop, "operator", 1000)) {
    }
    dlog(DLOG_INFO, "stopping", "signal=%d", dsig_signal());
    rc = 0;
out:
    if (stop.fd >= 0) drt_stop_request(&stop);
    pthread_mutex_lock(&o->lock);
    pthread_cond_broadcast(&o->cond); /* waits on o->cond re-check the token */
    pthread_mutex_unlock(&o->lock);
    size_t busy = drt_join(&threads, 2500);
    mpavs_wipe(o->bls_sk, sizeof o->bls_sk);
    op_config_wipe(&o->cfg);
    if (busy) { /* a thread is stuck in a chain RPC: secrets are wiped, do not wait */
        dlog(DLOG_WARN, "stopped", "busy_threads=%zu", busy);
        _exit(rc);
    }
    drt_threads_destroy(&threads);
    dhttp_stop(metrics);
    dhttp_stop(nodeapi);
    mpavs_ecdsa_ctx_destroy(o->ecdsa);
    curl_global_cleanup();
    dlog(DLOG_INFO, "stopped", NULL);
    return rc;
}
