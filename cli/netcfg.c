/* cli/netcfg.c — see netcfg.h. */
#include "netcfg.h"

#include "mpavs/devnet.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

int cli_address_opt(const char *who, mpavs_address *out, const char *name, const char *v) {
    if (mpavs_address_parse(out, v) != MPAVS_ECDSA_OK)
        return cli_usage_error("%s: --%s: expected an address (0x + 40 hex digits, valid EIP-55 if mixed case)", who, name);
    return 0;
}

int cli_copy_opt(const char *who, char *out, size_t cap, const char *v, const char *what) {
    if ((size_t)snprintf(out, cap, "%s", v) >= cap) return cli_usage_error("%s: %s too long", who, what);
    return 0;
}



/* Parse one preset address (checked by tests/unit/test_presets.c); NULL leaves out as it is. */
static int preset_addr(mpavs_address *out, const char *v) { return v ? mpavs_address_parse(out, v) : 0; }

/* Fill n's AVS and EigenLayer addresses from preset p (profile prof). Returns 0 or an exit code. */
static int net_from_preset(net_cfg *n, const mpavs_preset *p, const char *prof) {
    const char *who = n->who;
    int rc = 0;
    n->d.chain_id = p->chain_id;
    rc |= preset_addr(&n->d.registry_coordinator, p->registry_coordinator);
    rc |= preset_addr(&n->d.operator_state_retriever, p->operator_state_retriever);
    rc |= preset_addr(&n->d.service_manager, p->service_manager);
    rc |= preset_addr(&n->d.stake_registry, p->stake_registry);
    rc |= preset_addr(&n->d.bls_apk_registry, p->bls_apk_registry);
    rc |= preset_addr(&n->d.index_registry, p->index_registry);
    rc |= preset_addr(&n->d.avs_directory, p->avs_directory);
    rc |= preset_addr(&n->d.delegation_manager, p->delegation_manager);
    rc |= preset_addr(&n->d.strategy_manager, p->strategy_manager);
    if (rc) return cli_error("%s: preset %s holds a bad address", who, p->network);
    if (!p->nprofiles) {
        if (prof) return cli_usage_error("%s: --network %s has no attestation profiles: give --liveness-verifier", who, p->network);
        return 0;
    }
    const mpavs_preset_profile *pr = mpavs_preset_profile(p, prof);
    if (!pr) return cli_usage_error("%s: preset %s has no attestation profile '%s'", who, p->network, prof);
    if (mpavs_address_parse(&n->liveness_verifier, pr->liveness_verifier))
        return cli_error("%s: preset profile %s holds a bad address", who, pr->name);
    n->have_liveness = true;
    snprintf(n->profile, sizeof n->profile, "%s", pr->name);
    if (pr->rpc_url) snprintf(n->att_rpc_url, sizeof n->att_rpc_url, "%s", pr->rpc_url);
    return 0;
}

/*
 * An AVS deployment file for a real network (--network hoodi|sepolia|mainnet|custom
 * --deployment FILE): a JSON object with the devnet deployment's key names, only
 * registryCoordinator required; every address present overrides the preset's (missing ones are
 * read from the RegistryCoordinator); chainId, when present, must match the preset's; rpcUrl and
 * attestationRpcUrl are defaults for --rpc-url and --attestation-rpc-url.
 */
static int net_from_file(net_cfg *n, const char *path) {
    const char *who = n->who;
    static const struct {
        const char *key;
        size_t off;
    } keys[] = {
        {"registryCoordinator", offsetof(mpavs_contracts_deployment, registry_coordinator)},
        {"serviceManager", offsetof(mpavs_contracts_deployment, service_manager)},
        {"stakeRegistry", offsetof(mpavs_contracts_deployment, stake_registry)},
        {"blsApkRegistry", offsetof(mpavs_contracts_deployment, bls_apk_registry)},
        {"indexRegistry", offsetof(mpavs_contracts_deployment, index_registry)},
        {"operatorStateRetriever", offsetof(mpavs_contracts_deployment, operator_state_retriever)},
        {"delegationManager", offsetof(mpavs_contracts_deployment, delegation_manager)},
        {"strategyManager", offsetof(mpavs_contracts_deployment, strategy_manager)},
        {"avsDirectory", offsetof(mpavs_contracts_deployment, avs_directory)},
        {"strategy", offsetof(mpavs_contracts_deployment, strategy)},
        {"token", offsetof(mpavs_contracts_deployment, token)},
        {"teeLivenessVerifier", offsetof(mpavs_contracts_deployment, tee_liveness_verifier)},
    };
    json_error_t je;
    json_t *o = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!o) return cli_error("%s: --deployment %s: %s", who, path, je.text);
    int rc = 0;
    if (!json_is_object(o) || !json_is_string(json_object_get(o, "registryCoordinator"))) {
        rc = cli_error("%s: --deployment %s: no \"registryCoordinator\" address", who, path);
        goto out;
    }
    json_t *cid = json_object_get(o, "chainId");
    if (cid) {
        if (!json_is_integer(cid) || json_integer_value(cid) <= 0) {
            rc = cli_error("%s: --deployment %s: chainId is not a positive integer", who, path);
            goto out;
        }
        uint64_t v = (uint64_t)json_integer_value(cid);
        if (n->d.chain_id && v != n->d.chain_id) {
            rc = cli_error("%s: --deployment %s is for chain %llu but --network %s is chain %llu", who, path,
                           (unsigned long long)v, n->network, (unsigned long long)n->d.chain_id);
            goto out;
        }
        n->d.chain_id = v;
    }
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        json_t *v = json_object_get(o, keys[i].key);
        if (!v) continue;
        const char *t = json_string_value(v);
        if (!t || mpavs_address_parse((mpavs_address *)((char *)&n->d + keys[i].off), t)) {
            rc = cli_error("%s: --deployment %s: \"%s\" is not an address", who, path, keys[i].key);
            goto out;
        }
        if (!strcmp(keys[i].key, "strategy")) n->have_strategy = true;
        if (!strcmp(keys[i].key, "teeLivenessVerifier")) {
            n->liveness_verifier = n->d.tee_liveness_verifier;
            n->have_liveness = true;
        }
    }
    const char *u = json_string_value(json_object_get(o, "rpcUrl"));
    if (u) snprintf(n->rpc_url, sizeof n->rpc_url, "%s", u);
    u = json_string_value(json_object_get(o, "attestationRpcUrl"));
    if (u) snprintf(n->att_rpc_url, sizeof n->att_rpc_url, "%s", u);
out:
    json_decref(o);
    return rc;
}

/*
 * Fill n from --network & co (consumed from a). Precedence, lowest first: the preset, the
 * deployment file, the environment (ETH_RPC_URL), the flags. Returns 0 or an exit code.
 */
int net_parse(cli_args *a, net_cfg *n, const char *who) {
    memset(n, 0, sizeof *n);
    n->who = who;
    const char *net = cli_opt(a, "network"), *dep = cli_opt(a, "deployment"), *url = cli_rpc_url(a);
    const char *prof = cli_opt(a, "attestation-profile"), *aurl = cli_opt(a, "attestation-rpc-url");
    static const struct {
        const char *opt;
        size_t off;
    } addrs[] = {
        {"registry-coordinator", offsetof(mpavs_contracts_deployment, registry_coordinator)},
        {"service-manager", offsetof(mpavs_contracts_deployment, service_manager)},
        {"stake-registry", offsetof(mpavs_contracts_deployment, stake_registry)},
        {"delegation-manager", offsetof(mpavs_contracts_deployment, delegation_manager)},
        {"avs-directory", offsetof(mpavs_contracts_deployment, avs_directory)},
        {"strategy-manager", offsetof(mpavs_contracts_deployment, strategy_manager)},
    };
    const char *vals[sizeof addrs / sizeof addrs[0]];
    for (size_t i = 0; i < sizeof addrs / sizeof addrs[0]; i++) vals[i] = cli_opt(a, addrs[i].opt);
    const char *lv = cli_opt(a, "liveness-verifier");
    int rc = 0;
    if (!net && vals[0]) {
        n->preset = mpavs_preset_by_registry_coordinator(vals[0]);
        net = n->preset ? n->preset->network : "custom";
    }
    if (!net) return cli_usage_error("%s: --network mainnet|hoodi|sepolia|devnet|custom is required (try --help)", who);
    if (mpavs_preset_retired(net)) return cli_usage_error("%s: --network %s: %s", who, net, mpavs_preset_retired(net));
    if ((rc = cli_copy_opt(who, n->network, sizeof n->network, net, "--network"))) return rc;
    if (!strcmp(net, "devnet")) {
        const char *path = dep ? dep : DEFAULT_DEPLOYMENT;
        mpavs_error err = {0}; /* devnet errors hold no data */
        if (mpavs_devnet_deployment_load(&n->d, &err, path))
            return cli_error("%s: --network devnet: %s (deploy with `mpavs devnet deploy` or give --deployment)", who, err.message);
        n->have_strategy = true;
        n->liveness_verifier = n->d.tee_liveness_verifier;
        n->have_liveness = true;
        if (!url) {
            int r = mpavs_devnet_deployment_string(n->rpc_url, sizeof n->rpc_url, path, "rpcUrl");
            if (r) return cli_usage_error("%s: %s has no rpcUrl: give --rpc-url", who, path);
        }
    } else if (strcmp(net, "custom") != 0) {
        if (!n->preset && !(n->preset = mpavs_preset_by_network(net)))
            return cli_usage_error("%s: unknown --network '%s' (mainnet, hoodi, sepolia, devnet, custom)", who, net);
        if ((rc = net_from_preset(n, n->preset, prof))) return rc;
        snprintf(n->rpc_url, sizeof n->rpc_url, "%s", n->preset->eth_rpc_url);
        if (dep && (rc = net_from_file(n, dep))) return rc;
        if (!n->preset->registry_coordinator && !dep && !vals[0])
            return cli_usage_error("%s: no Multi-Prover AVS deployment on %s is public: give --deployment FILE "
                                   "(the AVS team's addresses) or --registry-coordinator ADDR", who,
                                   net);
    } else {
        if (dep && (rc = net_from_file(n, dep))) return rc;
        if (!dep && !vals[0])
            return cli_usage_error("%s: --network custom needs --deployment FILE or --registry-coordinator ADDR", who);
    }
    if (prof && !n->preset) return cli_usage_error("%s: --attestation-profile needs --network mainnet", who);
    if (url && (rc = cli_copy_opt(who, n->rpc_url, sizeof n->rpc_url, url, "--rpc-url"))) return rc;
    if (!n->rpc_url[0]) return cli_usage_error("%s: --rpc-url URL (or ETH_RPC_URL) is required for --network %s", who, net);
    if (aurl && (rc = cli_copy_opt(who, n->att_rpc_url, sizeof n->att_rpc_url, aurl, "--attestation-rpc-url"))) return rc;
    for (size_t i = 0; i < sizeof addrs / sizeof addrs[0]; i++)
        if (vals[i] && (rc = cli_address_opt(who, (mpavs_address *)((char *)&n->d + addrs[i].off), addrs[i].opt, vals[i])))
            return rc;
    if (lv) {
        if ((rc = cli_address_opt(who, &n->liveness_verifier, "liveness-verifier", lv))) return rc;
        n->have_liveness = true;
    }
    return 0;
}

/*
 * Connect: rpc on n->rpc_url, check the chain id against the preset/deployment, resolve missing
 * addresses, and (with key) a sender for that key. Returns 0 or an exit code (ctx then closed).
 */
int net_connect(mpavs_contracts_ctx *c, net_cfg *n, const uint8_t *key, const mpavs_sender_options *so) {
    const char *who = n->who;
    memset(c, 0, sizeof *c);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    mpavs_rpc *rpc = mpavs_rpc_create(n->rpc_url, NULL);
    if (!rpc) return cli_usage_error("%s: unusable --rpc-url %s", who, n->rpc_url);
    if (mpavs_contracts_init(c, rpc, NULL)) { /* the sender is set below when there is a key */
        mpavs_contracts_clear(c);
        mpavs_rpc_destroy(rpc);
        return cli_error("%s: out of memory", who);
    }
    mpavs_error e = {0};
    uint64_t cid = 0;
    int rc = 0, r = mpavs_rpc_chain_id(c->rpc, &cid, &e);
    if (r) rc = cli_error("%s: %s: %s (%s)", who, n->rpc_url, mpavs_rpc_strerror(r), e.message);
    else if (n->d.chain_id && cid != n->d.chain_id)
        rc = cli_error("%s: %s is chain %llu but --network %s is chain %llu", who, n->rpc_url, (unsigned long long)cid,
                       n->network, (unsigned long long)n->d.chain_id);
    mpavs_error_clear(&e);
    if (!rc && mpavs_contracts_resolve_addresses(c, &n->d)) rc = cli_error("%s: %s", who, c->error.message);
    if (!rc && key) {
        r = mpavs_sender_create(&c->sender, &e, c->rpc, key, so);
        if (r) rc = cli_error("%s: %s: %s (%s)", who, n->rpc_url, mpavs_sender_strerror(r), e.message);
        mpavs_error_clear(&e);
    }
    if (rc) {
        mpavs_rpc_destroy(c->rpc);
        c->rpc = NULL;
        mpavs_contracts_clear(c);
    }
    return rc;
}

void net_close(mpavs_contracts_ctx *c) {
    mpavs_sender_destroy(c->sender);
    mpavs_rpc_destroy(c->rpc);
    c->sender = NULL;
    c->rpc = NULL;
    mpavs_contracts_clear(c);
}

