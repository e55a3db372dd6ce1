/* daemons/aggregator/config.c — see config.h. */
#include "aggregator/config.h"

#include "common/config.h"
#include "mpavs/common.h"
#include "mpavs/hex.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const TOP_KEYS[] = {
    "ListenAddr", "TimeToExpirySecs", "MinWaitSecs", "EcdsaPrivateKey", "EcdsaPrivateKeyFile", "EthHttpEndpoint",
    "EthWsEndpoint", "MultiProverContractAddress", "AttestationLayer", "AVSRegistryCoordinatorAddress",
    "OperatorStateRetrieverAddress", "EigenMetricsIpPortAddress", "ScanStartBlock", "Threshold", "Sampling",
    "GenTaskSampling", "ExecTaskSampling", "LineaMaxBlock", "OpenTelemetry", "TaskFetcher", "Simulation",
    "DatabasePath", "ChainTasks", "LogLevel", NULL};
static const char *const LAYER_KEYS[] = {"Version", "Address", "RpcUrl", NULL};
static const char *const CHAIN_KEYS[] = {"ChainId", "RpcUrl", "Interval", "Confirmations", NULL};
static const char *const FETCHER_KEYS[] = {"Identifier", "Prover",          "L2Endpoint",       "Endpoint", "Topics",
                                           "Addresses",  "PresetStartBlock", "ScanIntervalSecs", NULL};

static void warn(agg_config *c, const char *where, const char *key) {
    size_t len = strlen(c->warnings);
    if (len + 2 < sizeof c->warnings) {
        snprintf(c->warnings + len, sizeof c->warnings - len - 1, "%s: unknown key \"%s\" ignored", where, key);
        len = strlen(c->warnings);
        c->warnings[len] = '\n';
        c->warnings[len + 1] = 0;
    }
}

/*
 * Rename the keys of obj to the spelling in known when they match case-insensitively (Go's
 * encoding/json rule: exact match first, then case-insensitive). Unknown keys get a warning.
 */
static void canonicalize(agg_config *c, dconf *d, json_t *obj, const char *const *known, const char *where) {
    if (!json_is_object(obj)) return;
    const char *key;
    json_t *val;
    void *tmp;
    json_object_foreach_safe(obj, tmp, key, val) {
        const char *hit = NULL;
        for (size_t i = 0; known[i]; i++)
            if (!strcmp(key, known[i])) hit = known[i];
        if (hit) continue;
        for (size_t i = 0; known[i] && !hit; i++)
            if (!strcasecmp(key, known[i])) hit = known[i];
        if (!hit) {
            warn(c, where, key);
            continue;
        }
        if (json_object_get(obj, hit)) {
            dconf_error(d, "%s: keys \"%s\" and \"%s\" name the same field", where, key, hit);
            continue;
        }
        json_object_set(obj, hit, val);
        json_object_del(obj, key);
    }
}

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
        canonicalize(c, d, v, LAYER_KEYS, where);
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
            dconf_error(d, "%s: expected {ChainId, RpcUrl, Interval, Confirmations}", where);
            continue;
        }
        canonicalize(c, d, v, CHAIN_KEYS, where);
        agg_chain_source *s = &c->chains[i];
        mu64(d, &s->chain_id, v, where, "ChainId", 0, true);
        mcopy(d, s->rpc_url, sizeof s->rpc_url, v, where, "RpcUrl", NULL, true);
        mu64(d, &s->interval, v, where, "Interval", 10, false);
        mu64(d, &s->confirmations, v, where, "Confirmations", 0, false);
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
        canonicalize(c, d, v, FETCHER_KEYS, where);
        agg_l1_source *s = &c->l1[i];
        uint64_t id = 0;
        mu64(d, &id, v, where, "Identifier", 0, true);
        if (id != 1 && id != 2) dconf_error(d, "%s.Identifier: 1 (Scroll) or 2 (Linea), not %llu", where,
                                            (unsigned long long)id);
        s->identifier = (int)id;
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
    canonicalize(c, &d, d.root, TOP_KEYS, path);
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
    uint64_t sampling = 0;
    dconf_u64(&d, "Sampling", &sampling, 2000, false);
    if (!sampling) sampling = 2000;
    dconf_u64(&d, "GenTaskSampling", &c->gen_sampling, sampling, false);
    dconf_u64(&d, "ExecTaskSampling", &c->exec_sampling, sampling, false);
    if (!c->gen_sampling) c->gen_sampling = sampling;
    if (!c->exec_sampling) c->exec_sampling = sampling;
    dconf_u64(&d, "LineaMaxBlock", &c->linea_max_block, 100, false);
    if (!c->linea_max_block) c->linea_max_block = 100;
    load_chains(c, &d);
    load_fetchers(c, &d);
    if (!c->nchains && !c->nl1) dconf_error(&d, "no task source: configure ChainTasks and/or TaskFetcher");
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

void agg_config_wipe(agg_config *c) { mpavs_wipe(c->ecdsa_key, sizeof c->ecdsa_key); }

const char *agg_config_template(void) {
    return "{\n"
           "  \"ListenAddr\": \"127.0.0.1:18545\",\n"
           "  \"EigenMetricsIpPortAddress\": \"127.0.0.1:15682\",\n"
           "  \"EthHttpEndpoint\": \"http://127.0.0.1:8545\",\n"
           "  \"EcdsaPrivateKeyFile\": \"/etc/mpavs/aggregator.key\",\n"
           "  \"MultiProverContractAddress\": \"0x0000000000000000000000000000000000000000\",\n"
           "  \"AVSRegistryCoordinatorAddress\": \"0x0000000000000000000000000000000000000000\",\n"
           "  \"OperatorStateRetrieverAddress\": \"0x0000000000000000000000000000000000000000\",\n"
           "  \"AttestationLayer\": [\n"
           "    {\"Version\": 2, \"Address\": \"0x0000000000000000000000000000000000000000\", \"RpcUrl\": "
           "\"http://127.0.0.1:8545\"}\n"
           "  ],\n"
           "  \"ScanStartBlock\": 0,\n"
           "  \"Threshold\": 67,\n"
           "  \"TimeToExpirySecs\": 600,\n"
           "  \"MinWaitSecs\": 0,\n"
           "  \"Sampling\": 2000,\n"
           "  \"ChainTasks\": [\n"
           "    {\"ChainId\": 31338, \"RpcUrl\": \"http://127.0.0.1:8546\", \"Interval\": 5, \"Confirmations\": 0}\n"
           "  ],\n"
           "  \"TaskFetcher\": [],\n"
           "  \"DatabasePath\": \"/var/lib/mpavs-aggregator/aggregator.db\",\n"
           "  \"LogLevel\": \"info\"\n"
           "}\n";
}
