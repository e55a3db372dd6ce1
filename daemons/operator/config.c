/*
 * daemons/operator/config.c — the operator's JSON configuration: the reference operator's field
 * names matched case-insensitively (Go encoding/json), the mpavs extensions (docs/protocol.md),
 * secrets from files or the environment, presets (never overriding an explicit
 * TEELivenessVerifierAddress), and every problem reported at once.
 */
#include "operator.h"

#include "../common/config.h"
#include "../common/config_deployment.h"
#include "../common/config_table.h"

#include "mpavs/common.h"
#include "mpavs/hex.h"
#include "mpavs/presets.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The field table (daemons/common/config_table.h): the reference's fields keep their spelling. */
static const dcf_field FIELDS[] = {
    {"ProverURL", DCF_STRING, true, NULL, "\"http://127.0.0.1:18232\"", "an http(s) URL", "The operator's TEE prover (mpavs-prover)."},
    {"AggregatorURL", DCF_STRING, true, NULL, "\"http://127.0.0.1:8090\"", "an http(s) URL", "The aggregator's JSON-RPC endpoint."},
    {"Identifier", DCF_ANY, false, NULL, NULL, NULL, "The reference's operator label; ignored."},
    {"BlsKeyFile", DCF_STRING, true, NULL, "\"~/.eigenlayer/operator_keys/operator.bls.key.json\"", "readable; `~/` expanded",
     "The eigensdk BLS key file."},
    {"BlsKeyPassword", DCF_STRING, false, "\"\"", "\"\"", NULL, "Its password (MPAVS_BLS_KEY_PASSWORD overrides it)."},
    {"BlsKeyPasswordFile", DCF_STRING, false, NULL, "null", NULL, "mpavs: a file holding the password instead."},
    {"EthRpcUrl", DCF_STRING, true, NULL, "\"http://127.0.0.1:8545\"", "an http(s) URL", "The AVS chain (EigenLayer contracts)."},
    {"AttestationLayerProfile", DCF_STRING, false, "\"\"", "\"\"", "a preset profile (e.g. automata) or empty",
     "Which attestation layer of a preset network."},
    {"AttestationLayerEcdsaKey", DCF_STRING, false, NULL, "\"\"", "32 bytes hex (0x optional); or the file, or MPAVS_ATTESTATION_ECDSA_KEY",
     "The attestation-layer account's key (pays liveness transactions)."},
    {"AttestationLayerEcdsaKeyFile", DCF_STRING, false, NULL, "null", NULL, "mpavs: a file holding that key instead."},
    {"AttestationLayerRpcURL", DCF_STRING, false, "the profile's URL, else EthRpcUrl", "\"http://127.0.0.1:8545\"", "an http(s) URL",
     "The attestation chain."},
    {"DeploymentFile", DCF_STRING, false, NULL, "null", "a path",
     "mpavs: the deployment.json of `mpavs avs deploy`: fills RegistryCoordinatorAddress, "
     "OperatorStateRetrieverAddress, TEELivenessVerifierAddress and EthRpcUrl when they are not given."},
    {"RegistryCoordinatorAddress", DCF_STRING, true, NULL, "\"0x0000000000000000000000000000000000000000\"", "an address",
     "The AVS's RegistryCoordinator (a preset's fills the next two)."},
    {"OperatorStateRetrieverAddress", DCF_STRING, false, "the preset's", "\"0x0000000000000000000000000000000000000000\"",
     "an address", "The OperatorStateRetriever."},
    {"TEELivenessVerifierAddress", DCF_STRING, false, "the preset profile's", "\"0x0000000000000000000000000000000000000000\"",
     "an address; required without a preset", "The TEELivenessVerifier on the attestation chain."},
    {"EigenMetricsIpPortAddress", DCF_STRING, false, "127.0.0.1:9090", "\"127.0.0.1:9090\"", "host:port",
     "Where /metrics and /proverMetrics listen (loopback unless set; \":PORT\" or 0.0.0.0 is every interface)."},
    {"NodeApiIpPortAddress", DCF_STRING, false, "127.0.0.1:15692", "\"127.0.0.1:15692\"", "host:port",
     "Where the EigenLayer node API listens (loopback unless set)."},
    {"QuorumTaskTypes", DCF_OBJECT, false, "{\"0\":1,\"1\":2}", "{\"0\": 1, \"1\": 2}", "quorum number → task type 1..3",
     "mpavs: which task type each quorum signs (devnet: {\"0\":3})."},
    {"StateFile", DCF_STRING, false, "operator-state.json beside the config", "null", NULL,
     "mpavs: the last signed task id per type (never signs one ≤ it)."},
    {"LogLevel", DCF_STRING, false, "info", "\"info\"", "debug, info, warn or error", "mpavs: log threshold (--log-level overrides it)."},
    {"AttestationLowBalanceWei", DCF_ANY, false, "10000000000000000", "\"10000000000000000\"", "wei, a number or a decimal string",
     "mpavs: warn when the attestation account holds less."},
    {"FetchTaskMaxWaitSecs", DCF_UINT, false, "30", "30", "1..100", "mpavs: the long-poll wait asked of the aggregator."},
    {"AttestationFeeMarginPercent", DCF_UINT, false, "150", "150", "100..1000",
     "mpavs: the attestation fee sent with a liveness proof, in % of the verifier's estimate (the excess is refunded)."},
    {"LivenessTeeQuorum", DCF_ANY, false, "null", "null", "a quorum number 0..255, or null",
     "mpavs: the TEE quorum whose policy the liveness proof is submitted under (submitLivenessProofV4 where the "
     "verifier has it, else V3); null: no quorum (V3)."},
    {"MaxAttestationFee", DCF_STRING, false, "\"0.01\"", "\"0.01\"", "ETH, a decimal string",
     "mpavs: above it no liveness proof is sent (a warning says so)."},
    DTX_CAPS_FIELDS,
};

const dcf_table op_config_table = {"mpavs-operator", FIELDS, sizeof FIELDS / sizeof FIELDS[0]};

void op_config_template(FILE *f) { dcf_print_template(f, &op_config_table); }

/* Copy s into out (cap) or record that it is too long. */
static void copy_field(dconf *c, const char *name, char *out, size_t cap, const char *s) {
    if (!s) s = "";
    if (strlen(s) >= cap) {
        dconf_error(c, "%s: longer than %zu bytes", name, cap - 1);
        out[0] = 0;
        return;
    }
    memcpy(out, s, strlen(s) + 1);
}

/* Go strings.TrimSpace on ASCII, in place. */
static void trim(char *s) {
    size_t n = strlen(s), i = 0;
    while (n && isspace((unsigned char)s[n - 1])) s[--n] = 0;
    while (s[i] && isspace((unsigned char)s[i])) i++;
    memmove(s, s + i, n - i + 1);
}

static bool is_http_url(const char *s) { return strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0; }

static void url_field(dconf *c, const char *name, char *out, size_t cap, bool required) {
    copy_field(c, name, out, cap, dconf_str(c, name, "", false));
    trim(out);
    if (!out[0]) {
        if (required) dconf_error(c, "%s: required (an http:// or https:// URL)", name);
    } else if (!is_http_url(out)) {
        dconf_error(c, "%s: %s is not an http:// or https:// URL", name, out);
    }
}

/* An address field: "" or absent leaves *out zero and *present false. */
static void addr_field(dconf *c, const char *name, mpavs_address *out, bool *present) {
    const char *s = dconf_str(c, name, "", false);
    memset(out, 0, sizeof *out);
    *present = false;
    if (!s || !*s) return;
    char low[64];
    size_t n = strlen(s);
    if (n >= sizeof low) n = sizeof low - 1;
    for (size_t i = 0; i < n; i++) low[i] = (char)tolower((unsigned char)s[i]);
    low[n] = 0;
    if (strlen(s) != 42 || strncmp(low, "0x", 2) != 0 || mpavs_address_parse(out, low) != MPAVS_ECDSA_OK) {
        dconf_error(c, "%s: expected 0x and 40 hex digits, got \"%.60s\"", name, s);
        return;
    }
    static const mpavs_address zero;
    *present = memcmp(out, &zero, sizeof zero) != 0;
}

/* Read a small secret file (trailing newlines removed). */
static bool read_secret_file(dconf *c, const char *name, const char *path, char *out, size_t cap) {
    FILE *f = fopen(path, "rb");
    if (!f) {
        dconf_error(c, "%s: %s: %s", name, path, strerror(errno));
        return false;
    }
    size_t n = fread(out, 1, cap - 1, f);
    bool more = fgetc(f) != EOF;
    fclose(f);
    out[n] = 0;
    if (more) {
        mpavs_wipe(out, cap);
        dconf_error(c, "%s: %s: longer than %zu bytes", name, path, cap - 1);
        return false;
    }
    while (n && (out[n - 1] == '\n' || out[n - 1] == '\r')) out[--n] = 0;
    return true;
}

/* Wipe a secret string held by the parsed JSON document. */
static void wipe_json_string(dconf *c, const char *name) {
    json_t *v = dconf_get(c, name);
    if (json_is_string(v)) mpavs_wipe((char *)json_string_value(v), strlen(json_string_value(v)));
}

/* Wipe a secret environment value in place (also what /proc/<pid>/environ shows) and unset it. */
static void wipe_env(const char *name) {
    char *v = getenv(name);
    if (v) mpavs_wipe(v, strlen(v));
    unsetenv(name);
}

static void expand_home(dconf *c, const char *name, char *path, size_t cap) {
    if (strncmp(path, "~/", 2) != 0) return;
    const char *home = getenv("HOME");
    if (!home || !*home) {
        dconf_error(c, "%s: cannot expand ~/ (HOME is not set)", name);
        return;
    }
    char tmp[1024];
    int n = snprintf(tmp, sizeof tmp, "%s/%s", home, path + 2);
    if (n < 0 || (size_t)n >= cap || (size_t)n >= sizeof tmp) {
        dconf_error(c, "%s: path too long after expanding ~/", name);
        return;
    }
    memcpy(path, tmp, (size_t)n + 1);
}

static void secrets(dconf *c, op_config *cfg) {
    /* BLS key password: env, then file, then the field ("" is a valid password) */
    const char *env = getenv("MPAVS_BLS_KEY_PASSWORD");
    const char *pwfile = dconf_str(c, "BlsKeyPasswordFile", NULL, false);
    if (env) {
        copy_field(c, "MPAVS_BLS_KEY_PASSWORD", cfg->bls_password, sizeof cfg->bls_password, env);
        wipe_env("MPAVS_BLS_KEY_PASSWORD");
    } else if (pwfile && *pwfile) {
        char p[1024];
        copy_field(c, "BlsKeyPasswordFile", p, sizeof p, pwfile);
        expand_home(c, "BlsKeyPasswordFile", p, sizeof p);
        read_secret_file(c, "BlsKeyPasswordFile", p, cfg->bls_password, sizeof cfg->bls_password);
    } else {
        copy_field(c, "BlsKeyPassword", cfg->bls_password, sizeof cfg->bls_password,
                   dconf_str(c, "BlsKeyPassword", "", false));
    }
    wipe_json_string(c, "BlsKeyPassword");

    /* attestation-layer ECDSA key: env, then file, then the field; hex with or without 0x */
    char key[160] = {0};
    const char *kenv = getenv("MPAVS_ATTESTATION_ECDSA_KEY");
    const char *kfile = dconf_str(c, "AttestationLayerEcdsaKeyFile", NULL, false);
    const char *src = "AttestationLayerEcdsaKey";
    if (kenv) {
        src = "MPAVS_ATTESTATION_ECDSA_KEY";
        copy_field(c, src, key, sizeof key, kenv);
        wipe_env(src);
    } else if (kfile && *kfile) {
        char p[1024];
        src = "AttestationLayerEcdsaKeyFile";
        copy_field(c, src, p, sizeof p, kfile);
        expand_home(c, src, p, sizeof p);
        read_secret_file(c, src, p, key, sizeof key);
    } else {
        copy_field(c, src, key, sizeof key, dconf_str(c, src, "", false));
    }
    wipe_json_string(c, "AttestationLayerEcdsaKey");
    trim(key);
    const char *h = strncmp(key, "0x", 2) == 0 || strncmp(key, "0X", 2) == 0 ? key + 2 : key;
    if (!*h) {
        dconf_error(c, "AttestationLayerEcdsaKey: required (hex private key of the account paying for liveness "
                       "proofs; or AttestationLayerEcdsaKeyFile, or env MPAVS_ATTESTATION_ECDSA_KEY)");
    } else if (strlen(h) != 64 || mpavs_hex_decode_exact(cfg->att_key, 32, h) != MPAVS_HEX_OK) {
        dconf_error(c, "%s: expected 64 hex digits (with or without 0x)", src);
    } else {
        mpavs_ecdsa_ctx *e = mpavs_ecdsa_ctx_create();
        bool ok = false;
        if (e && mpavs_ecdsa_seckey_verify(e, &ok, cfg->att_key) == MPAVS_ECDSA_OK && !ok)
            dconf_error(c, "%s: not a valid secp256k1 private key", src);
        mpavs_ecdsa_ctx_destroy(e);
    }
    mpavs_wipe(key, sizeof key);
}

static void quorum_task_types(dconf *c, op_config *cfg, const char *def) {
    json_t *v = dconf_get(c, "QuorumTaskTypes");
    json_t *own = NULL;
    if (!v || json_is_null(v)) v = own = json_loads(def, 0, NULL);
    if (!json_is_object(v)) {
        dconf_error(c, "QuorumTaskTypes: expected an object {\"<quorum>\": <task type>}");
        json_decref(own);
        return;
    }
    const char *k;
    json_t *t;
    json_object_foreach(v, k, t) {
        char *end;
        errno = 0;
        unsigned long q = strtoul(k, &end, 10);
        if (!*k || *end || errno || q > 191) {
            dconf_error(c, "QuorumTaskTypes: key \"%.40s\" is not a quorum number (0..191)", k);
            continue;
        }
        if (!json_is_integer(t) || json_integer_value(t) < 1 ||
            !mpavs_taskkind_get((uint64_t)json_integer_value(t))) {
            char kinds[160] = "";
            for (size_t i = 0, n = mpavs_taskkind_count(), l = 0; i < n && l < sizeof kinds; i++) {
                const mpavs_taskkind *kd = mpavs_taskkind_at(i);
                int w = snprintf(kinds + l, sizeof kinds - l, "%s%" PRIu64 " (%s)", i == 0 ? "" : i + 1 == n ? " or " : ", ",
                                 kd->id, kd->name);
                if (w > 0) l += (size_t)w;
            }
            dconf_error(c, "QuorumTaskTypes.%s: expected a task type %s", k, kinds);
            continue;
        }
        if (cfg->nqt == OP_MAX_QUORUMS) {
            dconf_error(c, "QuorumTaskTypes: more than %d entries", OP_MAX_QUORUMS);
            break;
        }
        for (size_t i = 0; i < cfg->nqt; i++)
            if (cfg->qt[i].task_type == (uint64_t)json_integer_value(t))
                dconf_error(c, "QuorumTaskTypes: task type %lld appears twice (one quorum per task type)",
                            (long long)json_integer_value(t));
        cfg->qt[cfg->nqt].quorum = (uint8_t)q;
        cfg->qt[cfg->nqt].task_type = (uint64_t)json_integer_value(t);
        cfg->nqt++;
    }
    if (cfg->nqt == 0) dconf_error(c, "QuorumTaskTypes: no quorum is mapped to a task type");
    json_decref(own);
}

/* Presets: fill what is missing; never silently replace an explicit value (upstream bug §6.2.17). */
static void presets(dconf *c, op_config *cfg, bool has_osr, bool *has_tlv) {
    char rc[43];
    mpavs_address_to_checksum(rc, &cfg->registry_coordinator);
    const mpavs_preset *p = mpavs_preset_by_registry_coordinator(rc);
    if (!p) return;
    cfg->preset = p->network;
    const mpavs_preset_profile *pr = mpavs_preset_profile(p, cfg->profile);
    if (!pr) {
        dconf_error(c, "AttestationLayerProfile: \"%s\" is not a profile of the %s preset", cfg->profile, p->network);
        return;
    }
    if (!has_osr && mpavs_address_parse(&cfg->state_retriever, p->operator_state_retriever) != MPAVS_ECDSA_OK)
        dconf_error(c, "preset %s: bad OperatorStateRetriever", p->network);
    mpavs_address tlv;
    if (mpavs_address_parse(&tlv, pr->liveness_verifier) != MPAVS_ECDSA_OK) {
        dconf_error(c, "preset %s: bad TEELivenessVerifier", p->network);
        return;
    }
    if (!*has_tlv) {
        cfg->liveness_verifier = tlv;
        *has_tlv = true;
    } else if (memcmp(&tlv, &cfg->liveness_verifier, sizeof tlv) != 0) {
        char mine[43];
        mpavs_address_to_checksum(mine, &cfg->liveness_verifier);
        snprintf(cfg->preset_tlv, sizeof cfg->preset_tlv, "%s", pr->liveness_verifier);
        dlog(DLOG_WARN, "config_preset_conflict",
             "field=TEELivenessVerifierAddress configured=%s preset=%s profile=%s network=%s "
             "action=\"keeping the configured address if it is a verifier on the attestation chain\"", mine,
             pr->liveness_verifier, pr->name, p->network);
    }
    if (pr->rpc_url) {
        if (!cfg->att_rpc_url[0])
            copy_field(c, "AttestationLayerRpcURL", cfg->att_rpc_url, sizeof cfg->att_rpc_url, pr->rpc_url);
        else if (strcmp(cfg->att_rpc_url, pr->rpc_url) != 0)
            dlog(DLOG_WARN, "config_preset_conflict",
                 "field=AttestationLayerRpcURL preset=%s profile=%s action=\"keeping the configured URL\"",
                 pr->rpc_url, pr->name);
    }
}

static void default_state_file(op_config *cfg, const char *config_path) {
    const char *slash = strrchr(config_path, '/');
    size_t dl = slash ? (size_t)(slash - config_path) : 1;
    snprintf(cfg->state_file, sizeof cfg->state_file, "%.*s/operator-state.json", (int)dl,
             slash ? config_path : ".");
}

bool op_config_load(op_config *cfg, const char *path, const char *level_override, char *errs, size_t errcap,
                    size_t *nerr) {
    memset(cfg, 0, sizeof *cfg);
    cfg->tee_quorum = -1;
    dconf c;
    bool loaded = dconf_load(&c, path);
    if (loaded) {
        dconf_set_nocase(&c, true);
        static const dconf_deployment_map DEPLOYMENT[] = {
            {"registryCoordinator", "RegistryCoordinatorAddress", DCONF_DEP_STRING},
            {"operatorStateRetriever", "OperatorStateRetrieverAddress", DCONF_DEP_STRING},
            {"teeLivenessVerifier", "TEELivenessVerifierAddress", DCONF_DEP_STRING},
            {"rpcUrl", "EthRpcUrl", DCONF_DEP_STRING},
        };
        dconf_apply_deployment(&c, DEPLOYMENT, sizeof DEPLOYMENT / sizeof DEPLOYMENT[0]);
        cfg->nwarn = dcf_apply(&c, &op_config_table, cfg->warnings, sizeof cfg->warnings);
        url_field(&c, "ProverURL", cfg->prover_url, sizeof cfg->prover_url, true);
        url_field(&c, "AggregatorURL", cfg->aggregator_url, sizeof cfg->aggregator_url, true);
        url_field(&c, "EthRpcUrl", cfg->eth_rpc_url, sizeof cfg->eth_rpc_url, true);
        url_field(&c, "AttestationLayerRpcURL", cfg->att_rpc_url, sizeof cfg->att_rpc_url, false);
        copy_field(&c, "BlsKeyFile", cfg->bls_key_file, sizeof cfg->bls_key_file, dconf_str(&c, "BlsKeyFile", "", false));
        if (!cfg->bls_key_file[0]) dconf_error(&c, "BlsKeyFile: required (an eigensdk BLS key file)");
        expand_home(&c, "BlsKeyFile", cfg->bls_key_file, sizeof cfg->bls_key_file);
        if (cfg->bls_key_file[0]) {
            FILE *f = fopen(cfg->bls_key_file, "rb");
            if (!f) dconf_error(&c, "BlsKeyFile: %s: %s", cfg->bls_key_file, strerror(errno));
            else fclose(f);
        }
        secrets(&c, cfg);
        copy_field(&c, "AttestationLayerProfile", cfg->profile, sizeof cfg->profile,
                   dconf_str(&c, "AttestationLayerProfile", "", false));
        bool has_rc, has_osr, has_tlv;
        addr_field(&c, "RegistryCoordinatorAddress", &cfg->registry_coordinator, &has_rc);
        addr_field(&c, "OperatorStateRetrieverAddress", &cfg->state_retriever, &has_osr);
        addr_field(&c, "TEELivenessVerifierAddress", &cfg->liveness_verifier, &has_tlv);
        if (!has_rc) dconf_error(&c, "RegistryCoordinatorAddress: required (the AVS's RegistryCoordinator)");
        else presets(&c, cfg, has_osr, &has_tlv);
        if (!has_tlv)
            dconf_error(&c, "TEELivenessVerifierAddress: required (no preset matches RegistryCoordinatorAddress)");
        if (!cfg->att_rpc_url[0]) memcpy(cfg->att_rpc_url, cfg->eth_rpc_url, sizeof cfg->att_rpc_url);
        copy_field(&c, "EigenMetricsIpPortAddress", cfg->metrics_addr, sizeof cfg->metrics_addr,
                   dconf_str(&c, "EigenMetricsIpPortAddress", "", false));
        copy_field(&c, "NodeApiIpPortAddress", cfg->nodeapi_addr, sizeof cfg->nodeapi_addr,
                   dconf_str(&c, "NodeApiIpPortAddress", "", false));
        if (!cfg->nodeapi_addr[0]) snprintf(cfg->nodeapi_addr, sizeof cfg->nodeapi_addr, "127.0.0.1:15692");
        if (!cfg->metrics_addr[0]) snprintf(cfg->metrics_addr, sizeof cfg->metrics_addr, "127.0.0.1:9090");
        struct sockaddr_in sa;
        char e[200];
        if (!dhttp_parse_listen(cfg->metrics_addr, &sa, e, sizeof e)) dconf_error(&c, "EigenMetricsIpPortAddress: %s", e);
        if (!dhttp_parse_listen(cfg->nodeapi_addr, &sa, e, sizeof e)) dconf_error(&c, "NodeApiIpPortAddress: %s", e);
        const mpavs_preset *pp = cfg->preset ? mpavs_preset_by_network(cfg->preset) : NULL;
        quorum_task_types(&c, cfg, pp ? pp->quorum_task_types : "{\"0\":1,\"1\":2}");
        const char *sf = dconf_str(&c, "StateFile", NULL, false);
        if (sf && *sf) {
            copy_field(&c, "StateFile", cfg->state_file, sizeof cfg->state_file, sf);
            expand_home(&c, "StateFile", cfg->state_file, sizeof cfg->state_file);
        } else {
            default_state_file(cfg, path);
        }
        const char *lvl = level_override ? level_override : dconf_str(&c, "LogLevel", "info", false);
        cfg->level = DLOG_INFO;
        if (lvl && !dlog_parse_level(lvl, &cfg->level)) dconf_error(&c, "LogLevel: expected debug, info, warn or error");
        json_t *lbv = dconf_get(&c, "AttestationLowBalanceWei");
        char num[80] = "10000000000000000";
        if (json_is_integer(lbv) && json_integer_value(lbv) >= 0)
            snprintf(num, sizeof num, "%lld", (long long)json_integer_value(lbv));
        else if (json_is_string(lbv))
            snprintf(num, sizeof num, "%.79s", json_string_value(lbv));
        else if (lbv && !json_is_null(lbv))
            num[0] = 0;
        if (!num[0] || mpavs_u256_parse(&cfg->low_balance_wei, num, strlen(num)) != MPAVS_U256_OK)
            dconf_error(&c, "AttestationLowBalanceWei: expected an amount of wei (number or decimal string)");
        dconf_u64(&c, "FetchTaskMaxWaitSecs", &cfg->fetch_wait_secs, 30, false);
        if (cfg->fetch_wait_secs < 1 || cfg->fetch_wait_secs > 100)
            dconf_error(&c, "FetchTaskMaxWaitSecs: must be 1..100 (the aggregator caps it at 30)");
        dconf_u64(&c, "AttestationFeeMarginPercent", &cfg->fee_margin_percent, 150, false);
        if (cfg->fee_margin_percent < 100 || cfg->fee_margin_percent > 1000)
            dconf_error(&c, "AttestationFeeMarginPercent: must be 100..1000");
        json_t *tq = dconf_get(&c, "LivenessTeeQuorum");
        cfg->tee_quorum = -1;
        if (json_is_integer(tq) && json_integer_value(tq) >= 0 && json_integer_value(tq) <= 255)
            cfg->tee_quorum = (int)json_integer_value(tq);
        else if (tq && !json_is_null(tq))
            dconf_error(&c, "LivenessTeeQuorum: expected a quorum number 0..255 or null");
        const char *mf = dconf_str(&c, "MaxAttestationFee", "0.01", false);
        if (!mf || mpavs_u256_parse_units(&cfg->max_fee_wei, mf, 18) != MPAVS_U256_OK)
            dconf_error(&c, "MaxAttestationFee: expected an amount of ETH (a decimal string, e.g. \"0.01\")");
        dtx_caps_load(&cfg->tx, &c);
    }
    *nerr = c.nerrors;
    snprintf(errs, errcap, "%s", c.errors);
    dconf_free(&c);
    if (*nerr) op_config_wipe(cfg);
    return *nerr == 0;
}

void op_config_wipe(op_config *cfg) {
    mpavs_wipe(cfg->bls_password, sizeof cfg->bls_password);
    mpavs_wipe(cfg->att_key, sizeof cfg->att_key);
}
