/* daemons/aggregator/config.c — see config.h. */
#include "aggregator/config.h"
#include "aggregator/finality.h"

#include "common/config.h"
#include "common/config_deployment.h"
#include "common/config_table.h"
#include "mpavs/common.h"
#include "mpavs/hex.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The field table (daemons/common/config_table.h): the reference's fields keep their spelling. */
static const dcf_field FIELDS[] = {
    {"ListenAddr", DCF_STRING, true, NULL, "\"127.0.0.1:18545\"",
     "host:port (\":port\" or 0.0.0.0 is every interface, as in the reference)",
     "Where the JSON-RPC API (docs/protocol.md) listens."},
    {"EigenMetricsIpPortAddress", DCF_STRING, false, NULL, "\"127.0.0.1:15682\"",
     "host:port (\":port\" or 0.0.0.0 is every interface)",
     "Where the Prometheus text is served (none when absent)."},
    {"EthHttpEndpoint", DCF_STRING, true, NULL, "\"http://127.0.0.1:8545\"", "an http(s) URL", "The AVS chain."},
    {"EthWsEndpoint", DCF_ANY, false, NULL, NULL, NULL, "The reference's websocket endpoint; unused."},
    {"EcdsaPrivateKey", DCF_STRING, false, NULL, NULL, "32 bytes hex; one of this, the file or MPAVS_AGGREGATOR_ECDSA_KEY",
     "The state confirmer's key."},
    {"EcdsaPrivateKeyFile", DCF_STRING, false, NULL, "\"/etc/mpavs/aggregator.key\"", NULL, "A file holding that key instead."},
    {"DeploymentFile", DCF_STRING, false, NULL, "null", "a path",
     "mpavs: the deployment.json of `mpavs avs deploy`: fills MultiProverContractAddress, AVSRegistryCoordinatorAddress, "
     "OperatorStateRetrieverAddress, EthHttpEndpoint and AttestationLayer when they are not given."},
    {"MultiProverContractAddress", DCF_STRING, true, NULL, "\"0x0000000000000000000000000000000000000000\"", "an address", "The MultiProverServiceManager."},
    {"AVSRegistryCoordinatorAddress", DCF_STRING, true, NULL, "\"0x0000000000000000000000000000000000000000\"", "an address", "The RegistryCoordinator."},
    {"OperatorStateRetrieverAddress", DCF_STRING, true, NULL, "\"0x0000000000000000000000000000000000000000\"", "an address", "The OperatorStateRetriever."},
    {"AttestationLayer", DCF_ARRAY, true, NULL,
     "[{\"Version\": 2, \"Address\": \"0x0000000000000000000000000000000000000000\", \"RpcUrl\": \"http://127.0.0.1:8545\"}]", "1..AGG_MAX_LAYERS entries",
     "The attestation layers whose TEELivenessVerifier attests operators."},
    {"AttestationLayer[].Version", DCF_UINT, false, "2", NULL, NULL, "The verifier's interface version."},
    {"AttestationLayer[].Address", DCF_STRING, true, NULL, NULL, "an address", "Its TEELivenessVerifier."},
    {"AttestationLayer[].RpcUrl", DCF_STRING, false, "EthHttpEndpoint", NULL, "an http(s) URL", "Its chain."},
    {"ScanStartBlock", DCF_UINT, false, "0", "0", NULL, "Where the scan of registered BLS keys starts."},
    {"Threshold", DCF_UINT, false, "67", "67", "1..100", "Stake percentage every quorum must reach."},
    {"TimeToExpirySecs", DCF_UINT, false, "600", "600", "0 means 600", "A task's lifetime."},
    {"MinWaitSecs", DCF_UINT, false, "0", "0", NULL, "Wait at least this long before confirming (more signers)."},
    {"Sampling", DCF_UINT, false, "2000", "2000", "0 means 2000", "Default of the two samplings below."},
    {"GenTaskSampling", DCF_UINT, false, "Sampling", NULL, NULL, "Scroll/Linea: one task every this many blocks."},
    {"ExecTaskSampling", DCF_UINT, false, "Sampling", NULL, NULL, "The reference's execution-task sampling."},
    {"LineaMaxBlock", DCF_UINT, false, "100", NULL, "0 means 100", "Most Linea blocks per task."},
    {"OpenTelemetry", DCF_ANY, false, NULL, NULL, NULL, "The reference's tracing settings; unused."},
    {"Simulation", DCF_ANY, false, NULL, NULL, NULL, "The reference's simulation flag; unused."},
    {"ChainTasks", DCF_ARRAY, false, NULL,
     "[{\"ChainId\": 31338, \"RpcUrl\": \"http://127.0.0.1:8546\", \"Interval\": 5, \"Finality\": \"finalized\", "
     "\"Confirmations\": 12}]",
     "at most one chain", "mpavs: type-3 tasks, one every Interval blocks of a chain."},
    {"ChainTasks[].ChainId", DCF_UINT, true, NULL, NULL, NULL, "The chain's id."},
    {"ChainTasks[].RpcUrl", DCF_STRING, true, NULL, NULL, "an http(s) URL", "Its JSON-RPC endpoint."},
    {"ChainTasks[].Interval", DCF_UINT, false, "10", NULL, "≥ 1", "A task every this many blocks."},
    {"ChainTasks[].Finality", DCF_STRING, false, "finalized", NULL, "finalized or depth",
     "Which blocks get a task: the node's `finalized` block (head − Confirmations where the node has none), or "
     "head − Confirmations."},
    {"ChainTasks[].Confirmations", DCF_UINT, false, "64 on chains 1, 11155111, 560048; else 12", NULL,
     "0 only on a devnet (warned)", "How deep a task's block must be under the depth rule."},
    {"ReferenceFinality", DCF_STRING, false, "finalized", "\"finalized\"", "finalized or depth",
     "mpavs: every task's reference block (stake lookups): the AVS chain's `finalized` block (head − "
     "ReferenceConfirmations where the node has none), or head − ReferenceConfirmations."},
    {"ReferenceConfirmations", DCF_UINT, false, "64 on chains 1, 11155111, 560048; else 12", "12", "≥ 1",
     "mpavs: how deep the reference block is under the depth rule (confirmState needs it below the block)."},
    {"TaskFetcher", DCF_ARRAY, false, NULL, "[]", "at most AGG_MAX_SOURCES entries",
     "Scroll (1) and Linea (2) tasks from L1 events (the reference's fetchers)."},
    {"TaskFetcher[].Identifier", DCF_UINT, true, NULL, NULL, "1 (Scroll) or 2 (Linea), each once", "The task type."},
    {"TaskFetcher[].Prover", DCF_STRING, false, "\"\"", NULL, NULL, "The reference's prover URL; unused."},
    {"TaskFetcher[].L2Endpoint", DCF_ANY, false, NULL, NULL, NULL, "The reference's L2 endpoint; unused."},
    {"TaskFetcher[].Endpoint", DCF_STRING, true, NULL, NULL, "an http(s) URL", "The L1 the rollup commits to."},
    {"TaskFetcher[].Topics", DCF_ARRAY, false, NULL, NULL, "[[topic0, …]] 32-byte hashes", "Event topics (first position used)."},
    {"TaskFetcher[].Addresses", DCF_ARRAY, true, NULL, NULL, "at least one address", "The rollup's contracts."},
    {"TaskFetcher[].PresetStartBlock", DCF_UINT, false, "0", NULL, NULL, "Where the event scan starts."},
    {"TaskFetcher[].ScanIntervalSecs", DCF_UINT, false, "12", NULL, NULL, "Seconds between scans."},
    {"DatabasePath", DCF_STRING, false, "aggregator.db beside the config", "\"/var/lib/mpavs-aggregator/aggregator.db\"", NULL,
     "mpavs: the SQLite database (tasks, signatures, confirmations)."},
    {"LogLevel", DCF_STRING, false, "info", "\"info\"", "debug, info, warn or error", "mpavs: log threshold (--log-level overrides it)."},
    DTX_CAPS_FIELDS,
};

const dcf_table agg_config_table = {"mpavs-aggregator", FIELDS, sizeof FIELDS / sizeof FIELDS[0]};

static void addr_field(dconf *d, const char *path, mpavs_address *out, bool required) {
    const char *s = dconf_str(d, path, NULL, required);
    if (s && mpavs_address_parse(out, s) != MPAVS_ECDSA_OK) dconf_error(d, "%s: not an address: \"%s\"", path, s);
}

static void str_field(dconf *d, const char *path, char *out, size_t cap, const char *def, bool required) {
    const char *s = dconf_str(d, path, def, required);
    if (!s) s = "";
    if (strlen(s) >= cap) dconf_error(d, "%s: longer than %zu characters", path, cap - 1);
    else snprintf(out, cap, "%s", s);
}


/* Nested objects (dconf paths have no array indices): typed members of obj, named where.key. */
static const char *mstr(dconf *d, json_t *obj, const char *where, const char *key, const char *def, bool required) {
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v)) {
        if (required) dconf_error(d, "%s.%s: required (a string)", where, key);
        return def;
    }
    if (!json_is_string(v)) {
        dconf_error(d, "%s.%s: expected a string", where, key);
        return def;
    }
    return json_string_value(v);
}

static void mcopy(dconf *d, char *out, size_t cap, json_t *obj, const char *where, const char *key, const char *def,
                  bool required) {
    const char *s = mstr(d, obj, where, key, def, required);
    if (!s) s = "";
    if (strlen(s) >= cap) dconf_error(d, "%s.%s: longer than %zu characters", where, key, cap - 1);
    else snprintf(out, cap, "%s", s);
}

static void mu64(dconf *d, uint64_t *out, json_t *obj, const char *where, const char *key, uint64_t def,
                 bool required) {
    *out = def;
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v)) {
        if (required) dconf_error(d, "%s.%s: required (a non-negative integer)", where, key);
        return;
    }
    if (json_is_integer(v) && json_integer_value(v) >= 0) *out = (uint64_t)json_integer_value(v);
    else dconf_error(d, "%s.%s: expected a non-negative integer", where, key);
}

/* Hex secret with or without 0x, 32 bytes. */
static bool parse_key(uint8_t out[32], const char *s) {
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ')) n--;
    char buf[80];
    if (n >= sizeof buf) return false;
    memcpy(buf, s, n);
    buf[n] = 0;
    bool ok = mpavs_hex_decode_exact(out, 32, buf) == MPAVS_HEX_OK;
    mpavs_wipe(buf, sizeof buf);
    return ok;
}

static void load_key(agg_config *c, dconf *d) {
    const char *env = getenv("MPAVS_AGGREGATOR_ECDSA_KEY");
    const char *inl = dconf_str(d, "EcdsaPrivateKey", NULL, false);
    const char *file = dconf_str(d, "EcdsaPrivateKeyFile", NULL, false);
    if (env && *env) {
        if (!parse_key(c->ecdsa_key, env)) dconf_error(d, "MPAVS_AGGREGATOR_ECDSA_KEY: expected 32 bytes of hex");
        return;
    }
    if (file && *file) {
        FILE *f = fopen(file, "r");
        char buf[128] = {0};
        if (!f) {
            dconf_error(d, "EcdsaPrivateKeyFile: %s: %s", file, strerror(errno));
            return;
        }
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[n] = 0;
        if (!parse_key(c->ecdsa_key, buf)) dconf_error(d, "EcdsaPrivateKeyFile: %s: expected 32 bytes of hex", file);
        mpavs_wipe(buf, sizeof buf);
        return;
    }
    if (inl && *inl) {
        if (!parse_key(c->ecdsa_key, inl)) dconf_error(d, "EcdsaPrivateKey: expected 32 bytes of hex");
        return;
    }
    dconf_error(d, "EcdsaPrivateKey: the state confirmer's key is required (or EcdsaPrivateKeyFile, or env "
                   "MPAVS_AGGREGATOR_ECDSA_KEY)");
}

static void load_layers(agg_config *c, dconf *d) {
    json_t *a = dconf_get(d, "AttestationLayer");
    if (!a || json_is_null(a)) {
        dconf_error(d, "AttestationLayer: at least one {Address, RpcUrl} is required");
        return;
    }
    if (!json_is_array(a)) {
        dconf_error(d, "AttestationLayer: expected an array");
        return;
    }
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v) {
        char where[64];
        snprintf(where, sizeof where, "AttestationLayer[%zu]", i);
        if (i >= AGG_MAX_LAYERS) {
            dconf_error(d, "AttestationLayer: at most %d entries", AGG_MAX_LAYERS);
            break;
        }
        if (!json_is_object(v)) {
            dconf_error(d, "%s: expected {Address, RpcUrl}", where);
            continue;
        }
        const char *as = mstr(d, v, where, "Address", NULL, true);
        if (as && mpavs_address_parse(&c->layers[i].address, as))
            dconf_error(d, "%s.Address: not an address: \"%s\"", where, as);
        mcopy(d, c->layers[i].rpc_url, sizeof c->layers[i].rpc_url, v, where, "RpcUrl", c->eth_url, false);
        c->nlayers = i + 1;
    }
    if (!c->nlayers) dconf_error(d, "AttestationLayer: at least one {Address, RpcUrl} is required");
}

static void load_chains(agg_config *c, dconf *d) {
    json_t *a = dconf_get(d, "ChainTasks");
    if (!a || json_is_null(a)) return;
    if (!json_is_array(a)) {
        dconf_error(d, "ChainTasks: expected an array");
        return;
    }
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v) {
        char where[64];
        snprintf(where, sizeof where, "ChainTasks[%zu]", i);
        if (i >= 1) { /* type-3 task ids are block numbers: two chains would share one id space */
            dconf_error(d, "ChainTasks: one chain per aggregator (task ids of type 3 are the chain's block numbers)");
            break;
        }
        if (!json_is_object(v)) {
            dconf_error(d, "%s: expected {ChainId, RpcUrl, Interval, Finality, Confirmations}", where);
            continue;
        }
        agg_chain_source *s = &c->chains[i];
        for (size_t k = 0; k < mpavs_taskkind_count() && !s->kind; k++)
            if (mpavs_taskkind_at(k)->source == MPAVS_TASKKIND_SOURCE_CHAIN_BLOCK) s->kind = mpavs_taskkind_at(k);
        mu64(d, &s->chain_id, v, where, "ChainId", 0, true);
        mcopy(d, s->rpc_url, sizeof s->rpc_url, v, where, "RpcUrl", NULL, true);
        mu64(d, &s->interval, v, where, "Interval", 10, false);
        mu64(d, &s->confirmations, v, where, "Confirmations", agg_finality_preset_depth(s->chain_id), false);
        const char *fin = mstr(d, v, where, "Finality", "finalized", false);
        if (fin && !agg_finality_parse(&s->finality, fin))
            dconf_error(d, "%s.Finality: \"finalized\" or \"depth\", not \"%s\"", where, fin);
        if (s->confirmations == 0) {
            size_t k = strlen(c->warnings);
            snprintf(c->warnings + k, sizeof c->warnings - k,
                     "%s.Confirmations: 0 makes tasks for blocks at the head%s: a devnet setting (a reorg can orphan "
                     "a task's block)\n", where, s->finality == AGG_FINALITY_FINALIZED ? " where the node has no "
                     "finalized block" : "");
        }
        if (s->interval == 0) dconf_error(d, "%s.Interval: must be at least 1 block", where);
        for (size_t j = 0; j < i; j++)
            if (c->chains[j].chain_id == s->chain_id && s->chain_id)
                dconf_error(d, "%s.ChainId: chain %llu is listed twice", where, (unsigned long long)s->chain_id);
        c->nchains = i + 1;
    }
}

static void load_fetchers(agg_config *c, dconf *d) {
    json_t *a = dconf_get(d, "TaskFetcher");
    if (!a || json_is_null(a)) return;
    if (!json_is_array(a)) {
        dconf_error(d, "TaskFetcher: expected an array");
        return;
    }
    size_t i;
    json_t *v;
    json_array_foreach(a, i, v) {
        char where[64];
        snprintf(where, sizeof where, "TaskFetcher[%zu]", i);
        if (i >= AGG_MAX_SOURCES) {
            dconf_error(d, "TaskFetcher: at most %d entries", AGG_MAX_SOURCES);
            break;
        }
        if (!json_is_object(v)) {
            dconf_error(d, "%s: expected an object", where);
            continue;
        }
        agg_l1_source *s = &c->l1[i];
        uint64_t id = 0;
        mu64(d, &id, v, where, "Identifier", 0, true);
        const mpavs_taskkind *kind = mpavs_taskkind_get(id);
        if (!kind || kind->source == MPAVS_TASKKIND_SOURCE_CHAIN_BLOCK) {
            char ids[160] = ""; /* the kinds found from L1 events: "1 (scroll) or 2 (linea)" */
            size_t l = 0, n = 0;
            for (size_t k = 0; k < mpavs_taskkind_count(); k++)
                if (mpavs_taskkind_at(k)->source != MPAVS_TASKKIND_SOURCE_CHAIN_BLOCK) n++;
            for (size_t k = 0, j = 0; k < mpavs_taskkind_count() && l < sizeof ids; k++) {
                const mpavs_taskkind *x = mpavs_taskkind_at(k);
                if (x->source == MPAVS_TASKKIND_SOURCE_CHAIN_BLOCK) continue;
                int w = snprintf(ids + l, sizeof ids - l, "%s%llu (%s)", j == 0 ? "" : j + 1 == n ? " or " : ", ",
                                 (unsigned long long)x->id, x->name);
                if (w > 0) l += (size_t)w;
                j++;
            }
            dconf_error(d, "%s.Identifier: %s, not %llu", where, ids, (unsigned long long)id);
            kind = NULL;
        }
        s->identifier = (int)id;
        s->kind = kind;
        for (size_t j = 0; j < i; j++)
            if (c->l1[j].identifier == s->identifier)
                dconf_error(d, "%s.Identifier: task type %d is fetched twice", where, s->identifier);
        mcopy(d, s->endpoint, sizeof s->endpoint, v, where, "Endpoint", NULL, true);
        mcopy(d, s->prover, sizeof s->prover, v, where, "Prover", "", false);
        mu64(d, &s->preset_start_block, v, where, "PresetStartBlock", 0, false);
        mu64(d, &s->scan_interval_s, v, where, "ScanIntervalSecs", 12, false);
        json_t *addrs = json_object_get(v, "Addresses");
        if (!json_is_array(addrs) || !json_array_size(addrs))
            dconf_error(d, "%s.Addresses: at least one contract address is required", where);
        size_t k;
        json_t *x;
        json_array_foreach(addrs, k, x) {
            if (k >= AGG_MAX_FILTER) break;
            if (!json_is_string(x) || mpavs_address_parse(&s->addresses[k], json_string_value(x)))
                dconf_error(d, "%s.Addresses[%zu]: not an address", where, k);
            s->naddresses = k + 1;
        }
        json_t *topics = json_object_get(v, "Topics"); /* [][]hash: we use the first position (topic0) */
        json_t *t0 = json_is_array(topics) ? json_array_get(topics, 0) : NULL;
        if (topics && !json_is_array(topics)) dconf_error(d, "%s.Topics: expected [[topic0, …], …]", where);
        json_array_foreach(t0, k, x) {
            if (k >= AGG_MAX_FILTER) break;
            if (!json_is_string(x) || mpavs_hex_decode_exact(s->topics[k], 32, json_string_value(x)))
                dconf_error(d, "%s.Topics[0][%zu]: not a 32-byte hash", where, k);
            s->ntopics = k + 1;
        }
    }
    c->nl1 = i < AGG_MAX_SOURCES ? i : AGG_MAX_SOURCES;
}

static void dirname_of(char *out, size_t cap, const char *path) {
    const char *slash = strrchr(path, '/');
    if (!slash) snprintf(out, cap, ".");
    else snprintf(out, cap, "%.*s", (int)(slash - path), path);
}

bool agg_config_load(agg_config *c, const char *path, char *errors, size_t errcap) {
    memset(c, 0, sizeof *c);
    dconf d;
    if (!dconf_load(&d, path)) {
        snprintf(errors, errcap, "%s", d.errors);
        dconf_free(&d);
        return false;
    }
    static const dconf_deployment_map DEPLOYMENT[] = {
        {"serviceManager", "MultiProverContractAddress", DCONF_DEP_STRING},
        {"registryCoordinator", "AVSRegistryCoordinatorAddress", DCONF_DEP_STRING},
        {"operatorStateRetriever", "OperatorStateRetrieverAddress", DCONF_DEP_STRING},
        {"rpcUrl", "EthHttpEndpoint", DCONF_DEP_STRING},
        {"teeLivenessVerifier", "AttestationLayer", DCONF_DEP_LAYER},
    };
    dconf_apply_deployment(&d, DEPLOYMENT, sizeof DEPLOYMENT / sizeof DEPLOYMENT[0]);
    dcf_apply(&d, &agg_config_table, c->warnings, sizeof c->warnings);
    str_field(&d, "ListenAddr", c->listen, sizeof c->listen, NULL, true);
    str_field(&d, "EigenMetricsIpPortAddress", c->metrics_listen, sizeof c->metrics_listen, "", false);
    str_field(&d, "EthHttpEndpoint", c->eth_url, sizeof c->eth_url, NULL, true);
    load_key(c, &d);
    addr_field(&d, "MultiProverContractAddress", &c->service_manager, true);
    addr_field(&d, "AVSRegistryCoordinatorAddress", &c->registry_coordinator, true);
    addr_field(&d, "OperatorStateRetrieverAddress", &c->operator_state_retriever, true);
    load_layers(c, &d);
    dconf_u64(&d, "ScanStartBlock", &c->scan_start_block, 0, false);
    dconf_u64(&d, "Threshold", &c->threshold, 67, false);
    if (c->threshold < 1 || c->threshold > 100)
        dconf_error(&d, "Threshold: a stake percentage in 1..100 (the reference accepts 0: any one signature)");
    dconf_u64(&d, "TimeToExpirySecs", &c->expiry_s, 600, false);
    if (!c->expiry_s) c->expiry_s = 600; /* the reference expires at once with 0: never useful */
    dconf_u64(&d, "MinWaitSecs", &c->min_wait_s, 0, false);
    dtx_caps_load(&c->tx, &d);
    uint64_t sampling = 0;
    dconf_u64(&d, "Sampling", &sampling, 2000, false);
    if (!sampling) sampling = 2000;
    dconf_u64(&d, "GenTaskSampling", &c->gen_sampling, sampling, false);
    dconf_u64(&d, "ExecTaskSampling", &c->exec_sampling, sampling, false);
    if (!c->gen_sampling) c->gen_sampling = sampling;
    if (!c->exec_sampling) c->exec_sampling = sampling;
    dconf_u64(&d, "LineaMaxBlock", &c->linea_max_block, 100, false);
    if (!c->linea_max_block) c->linea_max_block = 100;
    const char *rf = dconf_str(&d, "ReferenceFinality", "finalized", false);
    if (rf && !agg_finality_parse(&c->ref_finality, rf))
        dconf_error(&d, "ReferenceFinality: \"finalized\" or \"depth\", not \"%s\"", rf);
    json_t *rc = dconf_get(&d, "ReferenceConfirmations");
    if (rc && !json_is_null(rc)) {
        dconf_u64(&d, "ReferenceConfirmations", &c->ref_confirmations, 0, false);
        if (!c->ref_confirmations)
            dconf_error(&d, "ReferenceConfirmations: at least 1 (confirmState needs the reference block below its own)");
    }
    load_chains(c, &d);
    load_fetchers(c, &d);
    if (!c->nchains && !c->nl1) dconf_error(&d, "no task source: configure ChainTasks and/or TaskFetcher");
    for (size_t i = 0; i < c->nchains; i++) c->sources[c->nsources++] = (agg_source){c->chains[i].kind, i};
    for (size_t i = 0; i < c->nl1; i++)
        if (c->l1[i].kind) c->sources[c->nsources++] = (agg_source){c->l1[i].kind, i};
    char dir[1024], def[1100];
    dirname_of(dir, sizeof dir, path);
    snprintf(def, sizeof def, "%s/aggregator.db", dir);
    str_field(&d, "DatabasePath", c->db_path, sizeof c->db_path, def, false);
    const char *lvl = dconf_str(&d, "LogLevel", "info", false);
    c->log_level = DLOG_INFO;
    if (lvl && !dlog_parse_level(lvl, &c->log_level))
        dconf_error(&d, "LogLevel: debug, info, warn or error, not \"%s\"", lvl);
    bool ok = !dconf_failed(&d);
    snprintf(errors, errcap, "%s", d.errors);
    dconf_free(&d);
    if (!ok) agg_config_wipe(c);
    return ok;
}

const agg_chain_source *agg_config_chain_source(const agg_config *c, uint64_t type) {
    for (size_t i = 0; i < c->nchains; i++)
        if (c->chains[i].kind && c->chains[i].kind->id == type) return &c->chains[i];
    return NULL;
}

void agg_config_wipe(agg_config *c) { mpavs_wipe(c->ecdsa_key, sizeof c->ecdsa_key); }

void agg_config_template(FILE *f) { dcf_print_template(f, &agg_config_table); }
