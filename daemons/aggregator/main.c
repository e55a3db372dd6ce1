/*
 * mpavs-aggregator — creates tasks, admits attested operators' signatures, aggregates them per
 * digest until every quorum's stake threshold holds and confirms the state on chain.
 * Wire-compatible with the reference aggregator (upstream spec §2.1–2.4); see docs/protocol.md
 * and docs/aggregator.md.
 */
#include "aggregator/committees.h"
#include "aggregator/daemon.h"
#include "aggregator/dbcheck.h"
#include "aggregator/finality.h"

#include "common/endpoint.h"
#include "common/log.h"
#include "common/runtime.h"
#include "common/signals.h"

#include "mpavs/version.h"

#include <unistd.h>

#include <curl/curl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void usage(FILE *f) {
    fputs("NAME\n"
          "    mpavs-aggregator - the multi-prover AVS aggregator\n\n"
          "SYNOPSIS\n"
          "    mpavs-aggregator --config FILE [--log-level LEVEL] [--init] [--check-db]\n"
          "    mpavs-aggregator --check-config FILE [--offline]\n"
          "    mpavs-aggregator --print-config-template | --print-config-reference | --version | --help\n\n"
          "DESCRIPTION\n"
          "    Serves aggregator_fetchTask, aggregator_submitTask and aggregator_submitMetrics\n"
          "    (JSON-RPC 2.0 over HTTP, the reference aggregator's wire format) on ListenAddr.\n"
          "    Creates tasks from its sources (ChainTasks: a chain-state task every Interval\n"
          "    blocks; TaskFetcher: Scroll/Linea L1 logs), admits a signature only from an\n"
          "    operator registered at the task's reference block, with a valid BLS signature, a\n"
          "    valid liveness proof and a PoE signed by the prover attested for its key;\n"
          "    aggregates per digest until every quorum reaches Threshold percent of its stake and\n"
          "    sends confirmState once per task. Tasks, admitted signatures and confirmations\n"
          "    are kept in SQLite (DatabasePath) and survive restarts. Prometheus text on\n"
          "    EigenMetricsIpPortAddress.\n\n"
          "OPTIONS\n"
          "    --config FILE             run with this configuration (JSON; docs/protocol.md)\n"
          "    --check-config FILE       check a configuration and report every problem (exit 2), then that\n"
          "                              every endpoint answers eth_chainId (exit 1 when one does not)\n"
          "    --offline                 with --check-config: skip the endpoint checks (no network)\n"
          "    --print-config-template   print a configuration template\n"
          "    --print-config-reference  print the configuration fields (Markdown table; keys match\n"
          "                              exactly, else ignoring case; unknown keys are warnings)\n"
          "    --log-level LEVEL         debug, info, warn or error (overrides LogLevel)\n"
          "    --init                    create an empty database even where DatabasePath.created says\n"
          "                              one existed (after a restore failed; the history is lost)\n"
          "    --check-db                run SQLite's integrity_check at start (default: quick_check)\n"
          "    --version, -v             print the version\n"
          "    --help, -h                this text\n\n"
          "ENVIRONMENT\n"
          "    MPAVS_AGGREGATOR_ECDSA_KEY   the state confirmer's key (overrides the file)\n\n"
          "SIGNALS\n"
          "    SIGTERM, SIGINT   stop: long polls end, threads are joined (at most 5 s), the key is wiped\n"
          "    SIGHUP            logged (event=sighup_ignored) and otherwise ignored: the configuration\n"
          "                      is read at start only; restart to apply a change\n\n"
          "EXIT STATUS\n"
          "    0 after SIGTERM/SIGINT or --check-config passed; 1 on a start-up failure or (--check-config)\n"
          "    an unreachable endpoint; 2 on bad arguments or a configuration problem (systemd does not\n"
          "    restart it: RestartPreventExitStatus=2).\n",
          f);
}

/*
 * --check-config's endpoint checks: the AVS chain, every attestation layer, every type-3 source (its
 * chain id as configured) and every L1 task source. Returns whether all answered.
 */
static bool check_endpoints(const agg_config *c) {
    char field[64];
    printf("endpoints:\n");
    curl_global_init(CURL_GLOBAL_DEFAULT);
    bool ok = dep_check_chain("EthHttpEndpoint", c->eth_url, 0);
    for (size_t i = 0; i < c->nlayers; i++) {
        snprintf(field, sizeof field, "AttestationLayer[%zu]", i);
        ok &= dep_check_chain(field, c->layers[i].rpc_url, 0);
    }
    for (size_t i = 0; i < c->nchains; i++) {
        snprintf(field, sizeof field, "ChainTasks[%zu]", i);
        ok &= dep_check_chain(field, c->chains[i].rpc_url, c->chains[i].chain_id);
    }
    for (size_t i = 0; i < c->nl1; i++) {
        snprintf(field, sizeof field, "TaskFetcher[%zu]", i);
        ok &= dep_check_chain(field, c->l1[i].endpoint, 0);
    }
    curl_global_cleanup();
    return ok;
}

/* Go-style ":port" listens on every interface. */
static void listen_addr(char *out, size_t cap, const char *in) {
    if (in[0] == ':') snprintf(out, cap, "0.0.0.0%s", in);
    else snprintf(out, cap, "%s", in);
}

static json_t *no_methods(void *user, const char *method, json_t *params, drpc_error *err) {
    (void)user;
    (void)params;
    return drpc_fail(err, DRPC_METHOD_NOT_FOUND, DRPC_METHOD_NOT_FOUND_FMT, method);
}

/* check: --check-config. Warnings are a list for a person when checking or failing, else key=value log lines. */
static bool load(agg_config *c, const char *path, bool check) {
    char errors[4096];
    bool ok = agg_config_load(c, path, errors, sizeof errors);
    if (c->warnings[0] && (check || !ok)) fprintf(stderr, "%s: warnings:\n%s", path, c->warnings);
    else if (c->warnings[0]) dlog_lines(DLOG_WARN, "config_warning", path, c->warnings);
    if (!ok) fprintf(stderr, "%s: configuration problems:\n%s", path, errors);
    return ok;
}

int main(int argc, char **argv) {
    const char *config = NULL, *check = NULL, *level = NULL;
    bool init = false, check_db = false, offline = false;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--config") && i + 1 < argc) config = argv[++i];
        else if (!strcmp(argv[i], "--init")) init = true;
        else if (!strcmp(argv[i], "--check-db")) check_db = true;
        else if (!strcmp(argv[i], "--offline")) offline = true;
        else if (!strcmp(argv[i], "--check-config") && i + 1 < argc) check = argv[++i];
        else if (!strcmp(argv[i], "--log-level") && i + 1 < argc) level = argv[++i];
        else if (!strcmp(argv[i], "-c") && i + 1 < argc) config = argv[++i]; /* the reference's flag */
        else if (!strcmp(argv[i], "--print-config-template")) {
            agg_config_template(stdout);
            return 0;
        } else if (!strcmp(argv[i], "--print-config-reference")) {
            dcf_print_reference(stdout, &agg_config_table);
            return 0;
        } else if (!strcmp(argv[i], "--version") || !strcmp(argv[i], "-v")) {
            puts(MPAVS_VERSION_LINE("mpavs-aggregator"));
            return 0;
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return 0;
        } else {
            fprintf(stderr, "mpavs-aggregator: unknown argument %s\n\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }
    static agg_daemon d;
    if (check) {
        bool ok = load(&d.cfg, check, true);
        agg_config_wipe(&d.cfg); /* the key: parsed (valid) and wiped; the URLs stay */
        if (!ok) return 2;
        printf("%s: configuration is valid%s\n", check, d.cfg.warnings[0] ? " (with warnings)" : "");
        if (offline) {
            printf("endpoints: not checked (--offline)\n");
            return 0;
        }
        if (check_endpoints(&d.cfg)) return 0;
        fprintf(stderr, "mpavs-aggregator: %s: an endpoint is unreachable (start it or fix the URL; --offline skips "
                "these checks)\n", check);
        return 1;
    }
    if (!config) {
        usage(stderr);
        return 2;
    }
    if (!load(&d.cfg, config, false)) return 2;
    dlog_level lvl = d.cfg.log_level;
    if (level && !dlog_parse_level(level, &lvl)) {
        fprintf(stderr, "mpavs-aggregator: --log-level: debug, info, warn or error\n");
        return 2;
    }
    dlog_set_level(lvl);
    agg_core_init(&d); /* locks, monotonic condition variables, the stop token */
    if (drt_stop_fd(&d.stop) < 0 || !dsig_install(&d.stop)) return 1;
    curl_global_init(CURL_GLOBAL_DEFAULT);

    int rc = 1;
    char err[512];
    static drt_threads threads;
    drt_threads_init(&threads);
    d.ecdsa = mpavs_ecdsa_ctx_create();
    char dberr[1600], dbq[1700];
    if (!agg_db_precheck(d.cfg.db_path, init, check_db, dberr, sizeof dberr)) { /* issue #17.6 (dbcheck.c) */
        dlog(DLOG_ERROR, "startup_failed", "error=%s", dlog_quote(dbq, sizeof dbq, dberr));
        fprintf(stderr, "mpavs-aggregator: %s\n", dberr);
        goto out;
    }
    d.store = agg_store_open(d.cfg.db_path, err, sizeof err);
    if (!d.store || !d.ecdsa) {
        dlog(DLOG_ERROR, "startup_failed", "error=\"database: %s\"", d.store ? "" : err);
        goto out;
    }
    if (!agg_db_mark(d.cfg.db_path, dberr, sizeof dberr)) {
        dlog(DLOG_ERROR, "startup_failed", "error=%s", dlog_quote(dbq, sizeof dbq, dberr));
        goto out;
    }
    agg_pool_init(&d.avs, d.cfg.eth_url, 10000);
    for (size_t i = 0; i < d.cfg.nlayers; i++) agg_pool_init(&d.layers[i], d.cfg.layers[i].rpc_url, 10000);
    for (long back = 500; !agg_chain_init(&d, err, sizeof err);) {
        dlog(DLOG_WARN, "chain_not_ready", "error=%s retry_ms=%ld", DLOG_Q(err), back);
        if (drt_stop_sleep(&d.stop, back)) goto out_pools;
        back = back < 10000 ? back * 2 : 10000;
    }
    d.ref_depth = d.cfg.ref_confirmations ? d.cfg.ref_confirmations : agg_finality_preset_depth(d.avs_chain_id);
    dlog(DLOG_INFO, "reference_finality", "chain_id=%" PRIu64 " mode=%s depth=%" PRIu64, d.avs_chain_id,
         agg_finality_name(d.cfg.ref_finality), d.ref_depth);
    agg_store_pubkeys_load(d.store, &d.keys, &d.nkeys);
    d.keys_scanned_to = agg_store_meta_get(d.store, "pubkeys_scanned_to", 0);
    if (!agg_keys_refresh(&d)) dlog(DLOG_WARN, "pubkey_scan_incomplete", "keys=%zu", d.nkeys);
    if (!agg_tasks_restore(&d)) goto out_pools;
    if (!agg_core_start(&d, 0, true, err, sizeof err)) { /* verifier stage, state loader */
        dlog(DLOG_ERROR, "startup_failed", "error=%s", DLOG_Q(err));
        goto out_pools;
    }

    char listen[300], mlisten[300];
    listen_addr(listen, sizeof listen, d.cfg.listen);
    /* long polls are parked (longpoll.c), so connections are cheap: 4096 in all, 64 per client
       address, headers within 10 s and bodies within 30 s (issue #17); the descriptor limit is
       the service's (contrib/systemd: LimitNOFILE=16384) */
    drpc_options o = {.listen = listen, .max_body = 4u << 20, .max_batch = 8, .max_depth = 64, .threads = 128,
                      .conn_timeout_s = 60, .max_conns = 4096, .max_conns_per_ip = 64, .header_timeout_s = 10,
                      .body_timeout_s = 30, .max_nodes = 100000, .handler = agg_rpc_handler,
                      .methods = agg_rpc_methods, .nmethods = AGG_RPC_NMETHODS, .user = &d};
    d.server = drpc_start(&o, err, sizeof err);
    if (!d.server) {
        dlog(DLOG_ERROR, "startup_failed", "error=\"ListenAddr %s: %s\"", listen, err);
        goto out_pools;
    }
    if (d.cfg.metrics_listen[0]) {
        listen_addr(mlisten, sizeof mlisten, d.cfg.metrics_listen);
        static const char *const none[1] = {""}; /* listed, none served: every method refused unparsed */
        drpc_options mo = {.listen = mlisten, .threads = 2, .handler = no_methods, .methods = none, .nmethods = 0,
                           .get_handler = agg_metrics_text, .user = &d};
        d.metrics_server = drpc_start(&mo, err, sizeof err);
        if (!d.metrics_server) {
            dlog(DLOG_ERROR, "startup_failed", "error=\"EigenMetricsIpPortAddress %s: %s\"", mlisten, err);
            goto out_server;
        }
    }
    static agg_source_arg sargs[2 * AGG_MAX_SOURCES];
    size_t nsources = d.cfg.nsources; /* one thread per source, by its kind (source.c) */
    if (!drt_spawn(&threads, "confirmer", agg_confirm_thread, &d)) goto out_threads;
    for (size_t i = 0; i < nsources; i++) {
        sargs[i] = (agg_source_arg){&d, i};
        if (!drt_spawn(&threads, "task_source", agg_chain_source_thread, &sargs[i])) goto out_threads;
    }
    char am[43];
    mpavs_address signer;
    mpavs_ecdsa_seckey_to_address(d.ecdsa, &signer, d.cfg.ecdsa_key) == MPAVS_ECDSA_OK
        ? mpavs_address_to_checksum(am, &signer)
        : (void)snprintf(am, sizeof am, "?");
    dlog(DLOG_INFO, "listening",
         "addr=127.0.0.1:%d metrics_port=%d chain_id=%" PRIu64 " confirmer=%s threshold=%" PRIu64 " keys=%zu",
         drpc_port(d.server), d.metrics_server ? drpc_port(d.metrics_server) : 0, d.avs_chain_id, am,
         d.cfg.threshold, d.nkeys);
    agg_committee_watch cw = {0};
    agg_committees_tick(&d, &cw); /* the baseline: what agg_chain_init read */
    while (!dsig_main_wait(&d.stop, "aggregator", 10000)) { /* every 10 s: */
        agg_keys_refresh(&d);            /* new registrations */
        agg_committees_tick(&d, &cw);    /* committees added, changed or removed */
        dratelog_flush(&d.rejlog, false); /* the rejection summaries of a flood that stopped */
        dratelog_flush(&d.pushlog, false);
    }
    dlog(DLOG_INFO, "stopping", "signal=%d", dsig_signal());
    rc = 0;
out_threads:
    drt_stop_request(&d.stop);
    pthread_mutex_lock(&d.mu);
    pthread_cond_broadcast(&d.task_cv); /* waits on the condvars re-check the token */
    pthread_cond_broadcast(&d.confirm_cv);
    pthread_mutex_unlock(&d.mu);
    drpc_stop(d.metrics_server);
    size_t busy = drt_join(&threads, 5000); /* before the server stops: a task source may drpc_wake() it */
    if (busy) { /* a thread is stuck in a chain RPC: wipe the key, do not wait */
        agg_config_wipe(&d.cfg);
        dlog(DLOG_WARN, "stopped", "busy_threads=%zu code=%d", busy, rc);
        _exit(rc);
    }
    drt_threads_destroy(&threads);
out_server:
    drpc_stop(d.server);
out_pools:
    agg_core_stop(&d); /* after the servers: no admission in flight (a no-op when not started) */
    agg_pool_destroy(&d.avs);
    for (size_t i = 0; i < d.cfg.nlayers; i++) agg_pool_destroy(&d.layers[i]);
out:
    agg_tasks_free(&d);
    free(d.keys);
    free(d.live);
    agg_store_close(d.store);
    mpavs_ecdsa_ctx_destroy(d.ecdsa);
    agg_config_wipe(&d.cfg);
    agg_core_destroy(&d);
    curl_global_cleanup();
    dlog(DLOG_INFO, "stopped", "code=%d", rc);
    return rc;
}
