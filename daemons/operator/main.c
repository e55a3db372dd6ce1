/*
 * mpavs-operator — the Multi-Prover AVS operator: keeps its BN254 BLS key attested on the
 * attestation layer (liveness.c), long-polls the aggregator for tasks of the quorums it serves,
 * has its TEE prover prove them, signs the StateHeader digest and submits it (tasks.c), and
 * serves Prometheus metrics (metrics.c) and the EigenLayer node API (nodeapi.c).
 * See usage() and daemons/operator/README.md.
 */
#include "operator/operator.h"

#include "common/endpoint.h"
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

const char *op_type_name(uint64_t type) { return mpavs_taskkind_name(type); }

bool op_with_context_locked(const op *o, const mpavs_taskkind *k) {
    bool said = k->id >= 1 && k->id <= OP_TYPES && o->prover_twc_set[k->id - 1];
    return mpavs_taskkind_with_context(k, said, said && o->prover_twc[k->id - 1], o->prover_with_context);
}

/* ---------------- monitor thread ---------------- */

/*
 * Every OP_MONITOR_MS: the prover (prover_metadata) and both chains (eth_blockNumber). A failure
 * that stops work is a warning at once (the first failed check) and again every
 * OP_MONITOR_REPEAT checks while it lasts, with the failure count and what to do; recovery is an
 * info line with how many checks failed.
 */
#define OP_MONITOR_MS 5000
#define OP_MONITOR_REPEAT 12 /* a minute */

void *op_monitor_thread(void *arg) {
    op *o = arg;
    mpavs_rpc *avs = op_chain_client(o->cfg.eth_rpc_url), *att = op_chain_client(o->cfg.att_rpc_url);
    time_t last_minute = time(NULL), last_push = 0;
    unsigned prover_fail = 0, rpc_fail[2] = {0, 0};
    char where[200], q[600];
    while (!drt_stopped(o->stop)) {
        bool prover_ok = op_prover_metadata(o);
        if (drt_stopped(o->stop)) break;
        op_url_redacted(where, sizeof where, o->cfg.prover_url);
        if (prover_ok && prover_fail) {
            dlog(DLOG_INFO, "prover_back", "url=%s failed_checks=%u action=\"re-checking the liveness proof\"", where,
                 prover_fail);
            op_liveness_poke(o);
        } else if (!prover_ok && prover_fail++ % OP_MONITOR_REPEAT == 0) {
            dlog(DLOG_WARN, "prover_unreachable", "url=%s failed_checks=%u down_for_s=%u action=\"no task is proved "
                 "and the liveness proof is not renewed until it answers: start mpavs-prover (systemctl start "
                 "mpavs-prover) or fix ProverURL\"", where, prover_fail, (prover_fail - 1) * (OP_MONITOR_MS / 1000));
        }
        if (prover_ok) prover_fail = 0;
        mpavs_rpc *c[2] = {avs, att};
        static const char *const FIELD[2] = {"EthRpcUrl", "AttestationLayerRpcURL"};
        for (int i = 0; i < 2; i++) {
            uint64_t n;
            mpavs_error e = {0};
            struct timespec t0, t1;
            clock_gettime(CLOCK_MONOTONIC, &t0);
            int r = c[i] ? mpavs_rpc_block_number(c[i], &n, &e) : MPAVS_RPC_ERR_ARG;
            clock_gettime(CLOCK_MONOTONIC, &t1);
            op_rpc_observe(o, "eth_blockNumber", i,
                           (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, r == 0);
            op_url_redacted(where, sizeof where, i ? o->cfg.att_rpc_url : o->cfg.eth_rpc_url);
            op_url_scrub(e.message, sizeof e.message, i ? o->cfg.att_rpc_url : o->cfg.eth_rpc_url);
            if (r == 0 && rpc_fail[i]) {
                dlog(DLOG_INFO, "rpc_back", "field=%s url=%s failed_checks=%u", FIELD[i], where, rpc_fail[i]);
            } else if (r && !drt_stopped(o->stop) && rpc_fail[i]++ % OP_MONITOR_REPEAT == 0) {
                dlog(DLOG_WARN, "rpc_unreachable", "field=%s url=%s failed_checks=%u retries=%u error=%s action=\"%s "
                     "until it answers: start the node or fix %s\"", FIELD[i], where, rpc_fail[i], rpc_fail[i] - 1,
                     dlog_quote(q, sizeof q, e.message[0] ? e.message : mpavs_rpc_strerror(r)),
                     i ? "the liveness proof cannot be renewed" : "registration and stakes are not read", FIELD[i]);
            }
            if (r == 0) rpc_fail[i] = 0;
            mpavs_error_clear(&e);
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
        op_sleep(o, OP_MONITOR_MS);
    }
    mpavs_rpc_destroy(avs);
    mpavs_rpc_destroy(att);
    return NULL;
}

/* ---------------- --check-config ---------------- */

/* A listen address on every interface (Go-style ":PORT" or 0.0.0.0). */
static bool op_listen_is_public(const char *addr) {
    return addr[0] == ':' || strncmp(addr, "0.0.0.0:", 8) == 0;
}

/* A JSON-RPC server answers (a method error still proves it is there). */
static bool check_jsonrpc(op *o, const char *field, const char *url, const char *method) {
    char where[200];
    op_url_redacted(where, sizeof where, url);
    json_t *res = NULL;
    op_rpc_err e;
    memset(&e, 0, sizeof e);
    bool ok = op_jsonrpc(o, url, method, NULL, 5000, &res, &e) || !e.transport;
    op_url_scrub(e.message, sizeof e.message, url);
    json_decref(res);
    if (ok) printf("  ok           %-24s %s\n", field, where);
    else printf("  unreachable  %-24s %s: %s\n", field, where, e.message);
    return ok;
}

/*
 * --check-config after the configuration parsed: the attestation key is a valid secp256k1 key and
 * the BLS key file decrypts with the configured password (exit 2 otherwise: restarting cannot help),
 * then, unless offline, every endpoint answers (exit 1 otherwise).
 */
static int check_config(op *o, const char *path, bool offline) {
    char msg[1200];
    int rc = 2;
    static drt_stop stop;
    if (!drt_stop_init(&stop)) return 1;
    o->stop = &stop;
    o->ecdsa = mpavs_ecdsa_ctx_create();
    if (!o->ecdsa || mpavs_ecdsa_seckey_to_address(o->ecdsa, &o->att_addr, o->cfg.att_key) != MPAVS_ECDSA_OK) {
        fprintf(stderr, "mpavs-operator: %s: AttestationLayerEcdsaKey: not a valid secp256k1 private key\n", path);
        goto out;
    }
    if (!op_load_key(o, msg, sizeof msg)) {
        fprintf(stderr, "mpavs-operator: %s: %s\n", path, msg);
        goto out;
    }
    mpavs_wipe(o->bls_sk, sizeof o->bls_sk);
    printf("%s: configuration is valid (%zu quorum%s mapped%s%s; BLS key file decrypts, attestation key usable)\n",
           path, o->cfg.nqt, o->cfg.nqt == 1 ? "" : "s", o->cfg.preset ? ", preset " : "",
           o->cfg.preset ? o->cfg.preset : "");
    printf("listen: metrics %s%s, node API %s%s\n", o->cfg.metrics_addr,
           op_listen_is_public(o->cfg.metrics_addr) ? " (every interface)" : "", o->cfg.nodeapi_addr,
           op_listen_is_public(o->cfg.nodeapi_addr) ? " (every interface)" : "");
    rc = 0;
    if (offline) {
        printf("endpoints: not checked (--offline)\n");
        goto out;
    }
    printf("endpoints:\n");
    curl_global_init(CURL_GLOBAL_DEFAULT);
    bool ok = dep_check_chain("EthRpcUrl", o->cfg.eth_rpc_url, 0);
    ok &= dep_check_chain("AttestationLayerRpcURL", o->cfg.att_rpc_url, 0);
    ok &= check_jsonrpc(o, "ProverURL", o->cfg.prover_url, "prover_metadata");
    ok &= check_jsonrpc(o, "AggregatorURL", o->cfg.aggregator_url, "mpavs_status");
    curl_global_cleanup();
    if (!ok) {
        fprintf(stderr, "mpavs-operator: %s: an endpoint is unreachable (start it or fix the URL; --offline skips "
                "these checks)\n", path);
        rc = 1;
    }
out:
    mpavs_wipe(o->bls_sk, sizeof o->bls_sk);
    op_config_wipe(&o->cfg);
    mpavs_ecdsa_ctx_destroy(o->ecdsa);
    o->ecdsa = NULL;
    drt_stop_destroy(&stop);
    return rc;
}

/* ---------------- command line ---------------- */

static void usage(FILE *f) {
    fputs("NAME\n"
          "    mpavs-operator - Multi-Prover AVS operator daemon (liveness, tasks, metrics, node API)\n\n"
          "SYNOPSIS\n"
          "    mpavs-operator --config FILE [--log-level LEVEL]\n"
          "    mpavs-operator --check-config FILE [--offline]\n"
          "    mpavs-operator --print-config-template | --print-config-reference | --version | --help\n\n"
          "DESCRIPTION\n"
          "    Keeps the operator's BLS key attested on the attestation layer (TEELivenessVerifier\n"
          "    submitLivenessProofV3 with a quote from the TEE prover and the BLS key's authorization of its\n"
          "    enclave, or submitLivenessProofV2 on verifiers without it; renewed before expiry), long-polls\n"
          "    the aggregator for tasks of every configured quorum the operator is registered in, has the\n"
          "    prover prove each task, signs the StateHeader digest with BLS and submits it. Serves\n"
          "    Prometheus metrics (/metrics, /proverMetrics) and the EigenLayer node API (/eigen/node...).\n\n"
          "OPTIONS\n"
          "    --config FILE            run with this JSON configuration\n"
          "    --check-config FILE      validate FILE (every problem printed), decrypt the BLS key file with\n"
          "                             the configured password, check the attestation key, then check that\n"
          "                             EthRpcUrl, AttestationLayerRpcURL, ProverURL and AggregatorURL answer\n"
          "    --offline                with --check-config: skip the endpoint checks (no network)\n"
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
          "    EigenMetricsIpPortAddress (default 127.0.0.1:9090), NodeApiIpPortAddress (default\n"
          "    127.0.0.1:15692; both loopback unless set, \":PORT\" is every interface); Identifier is ignored.\n"
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
          "    0  stopped by a signal, or --check-config passed\n"
          "    1  runtime failure: a chain, prover or aggregator check failed at start-up (or, with\n"
          "       --check-config, an endpoint is unreachable); systemd restarts it\n"
          "    2  bad arguments or configuration, including a BLS key file that does not decrypt with the\n"
          "       configured password or an unusable attestation key: restarting cannot help\n"
          "       (the contrib/ unit has RestartPreventExitStatus=2)\n",
          f);
}

int main(int argc, char **argv) {
    const char *cfg_path = NULL, *check_path = NULL, *level_arg = NULL;
    bool offline = false;
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
        } else if (strcmp(argv[i], "--offline") == 0) {
            offline = true;
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
    bool loaded = op_config_load(&o->cfg, path, level_arg, errs, sizeof errs, &nerr);
    if (o->cfg.nwarn && (check_path || !loaded)) /* for a person; a running daemon logs them key=value */
        fprintf(stderr, "mpavs-operator: %s: %zu warning%s:\n%s", path, o->cfg.nwarn, o->cfg.nwarn == 1 ? "" : "s",
                o->cfg.warnings);
    if (!loaded) {
        fprintf(stderr, "mpavs-operator: %s: %zu configuration problem%s:\n%s", path, nerr, nerr == 1 ? "" : "s",
                errs);
        return 2;
    }
    if (check_path) return check_config(o, path, offline);
    dlog_set_level(o->cfg.level);
    dlog_lines(DLOG_WARN, "config_warning", path, o->cfg.warnings);
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
        dlog(DLOG_ERROR, "config_invalid", "field=AttestationLayerEcdsaKey error=\"not a valid secp256k1 private "
             "key\" action=\"fix the key; restarting cannot help\"");
        fprintf(stderr, "mpavs-operator: AttestationLayerEcdsaKey: not a valid secp256k1 private key\n");
        rc = 2;
        goto out;
    }
    if (!op_load_key(o, msg, sizeof msg)) { /* a configuration problem: exit 2, no restart loop */
        dlog(DLOG_ERROR, "config_invalid", "field=BlsKeyFile error=%s action=\"fix the file or its password; "
             "restarting cannot help\"", dlog_quote(q, sizeof q, msg));
        fprintf(stderr, "mpavs-operator: %s\n", msg);
        rc = 2;
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
    for (int i = 0; i < 2; i++) {
        const char *a = i ? o->cfg.nodeapi_addr : o->cfg.metrics_addr;
        if (op_listen_is_public(a))
            dlog(DLOG_WARN, "listen_public", "field=%s addr=%s note=\"reachable on every interface: firewall the "
                 "port or set 127.0.0.1:PORT\"", i ? "NodeApiIpPortAddress" : "EigenMetricsIpPortAddress", a);
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
