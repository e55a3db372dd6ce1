/*
 * src/devnet/deploy.c — the deployment step engine (resume, plan, progress), the devnet's
 * stand-in EigenLayer core, the whole devnet stack (core + the AVS of deploy_avs.c, in the order
 * of contracts/test/Fixture.sol), and deployment.json.
 */
#include "deploy_internal.h"
#include "util/error.h"
#include "mpavs/dcap.h"

#include <jansson.h>
#include "mpavs/keccak.h"
#include "mpavs/rlp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- the step engine ---- */

const char *AH(dv_deployer *x, const mpavs_address *a) {
    static const char d[] = "0123456789abcdef";
    char *b = x->ah[x->nah++ % 8];
    b[0] = '0', b[1] = 'x';
    for (int i = 0; i < 20; i++) b[2 + 2 * i] = d[a->bytes[i] >> 4], b[3 + 2 * i] = d[a->bytes[i] & 15];
    b[42] = 0;
    return b;
}

void args_reset(dv_deployer *x) {
    x->a.len = 0;
    if (x->a.s) x->a.s[0] = 0;
}

/* The address CREATE gives sender's transaction with nonce: keccak256(rlp([sender, nonce]))[12:]. */
static void create_address(mpavs_address *out, const mpavs_address *sender, uint64_t nonce) {
    uint8_t buf[64], h[32];
    size_t mark, n = 0;
    mpavs_rlp_writer w;
    mpavs_rlp_writer_init(&w, buf, sizeof buf);
    mpavs_rlp_list_begin(&w, &mark);
    mpavs_rlp_put_bytes(&w, sender->bytes, 20);
    mpavs_rlp_put_u64(&w, nonce);
    mpavs_rlp_list_end(&w, mark);
    if (mpavs_rlp_writer_finish(&w, &n) != MPAVS_RLP_OK) n = 0; /* cannot happen: 31 bytes at most */
    mpavs_keccak256(h, buf, n);
    memcpy(out->bytes, h + 12, 20);
}

int dv_begin(dv_deployer *x, mpavs_contracts_ctx *c, mpavs_contracts_deployment *out,
             const mpavs_devnet_deploy_options *opt) {
    memset(x, 0, sizeof *x);
    x->c = c;
    x->opt = opt;
    x->out = out;
    x->dir = opt->artifacts_dir ? opt->artifacts_dir : "contracts/out";
    x->me = *mpavs_sender_address(c->sender);
    x->log = opt->log ? opt->log : &x->own_log;
    mpavs_error_clear(&c->error);
    out->deployer = x->me;
    mpavs_error err = {0};
    int r;
    if ((r = mpavs_rpc_chain_id(c->rpc, &out->chain_id, &err)) != MPAVS_RPC_OK) {
        r = ctr_fail(c, MPAVS_DEVNET_ERR_RPC, "chain id", "%s (%s)", mpavs_rpc_strerror(r), err.message);
        mpavs_error_clear(&err);
        return r;
    }
    if (opt->plan &&
        (r = mpavs_rpc_get_transaction_count(c->rpc, &x->nonce, &err, x->me.bytes, "pending")) != MPAVS_RPC_OK) {
        r = ctr_fail(c, MPAVS_DEVNET_ERR_RPC, "nonce", "%s (%s)", mpavs_rpc_strerror(r), err.message);
        mpavs_error_clear(&err);
        return r;
    }
    return MPAVS_DEVNET_OK;
}

void dv_end(dv_deployer *x) {
    ctr_str_free(&x->a);
}

static bool has_code(dv_deployer *x, const mpavs_address *a) {
    uint8_t *code = NULL;
    size_t len = 0;
    mpavs_error err = {0};
    bool ok = mpavs_rpc_get_code(x->c->rpc, &code, &len, &err, a->bytes, "latest") == MPAVS_RPC_OK && len > 0;
    free(code);
    mpavs_error_clear(&err);
    return ok;
}

/* Step bookkeeping: a step already in the log is resumed (true: skip it; its address in *created). */
static int step_enter(dv_deployer *x, const char *what, mpavs_address *created, bool *skip) {
    *skip = false;
    size_t i = x->step;
    if (i < x->log->n) {
        mpavs_devnet_deploy_step *s = &x->log->steps[i];
        if (strncmp(s->what, what, sizeof s->what - 1) != 0)
            return ctr_fail(x->c, MPAVS_DEVNET_ERR_ARG, what,
                            "cannot resume: step %zu of the recorded deployment is \"%s\", this deployment's is "
                            "\"%s\" (different options?)",
                            i + 1, s->what, what);
        if (created) {
            if (!x->opt->plan && !has_code(x, &s->address))
                return ctr_fail(x->c, MPAVS_DEVNET_ERR_ARG, what,
                                "cannot resume: step %zu (%s) recorded %s, which has no code on this chain", i + 1,
                                what, AH(x, &s->address));
            *created = s->address;
        }
        x->step++; /* (a plan's nonce already counts the steps mined) */
        *skip = true;
        if (x->opt->on_step && x->opt->on_step(x->opt->on_step_arg, i, s, true, x->out))
            return ctr_fail(x->c, MPAVS_DEVNET_ERR_ARG, what, "stopped by the caller");
        return MPAVS_DEVNET_OK;
    }
    if (i >= MPAVS_DEVNET_MAX_STEPS)
        return ctr_fail(x->c, MPAVS_DEVNET_ERR_ARG, what, "more than %d steps", MPAVS_DEVNET_MAX_STEPS);
    return MPAVS_DEVNET_OK;
}

static int step_done(dv_deployer *x, const char *what, const mpavs_address *to, const mpavs_address *created) {
    mpavs_devnet_deploy_step *s = &x->log->steps[x->log->n];
    memset(s, 0, sizeof *s);
    snprintf(s->what, sizeof s->what, "%s", what);
    if (to) s->to = *to;
    if (created) s->address = *created;
    if (!x->opt->plan) {
        memcpy(s->tx_hash, x->c->tx_hash, 32);
        s->gas_used = x->c->gas_used;
    }
    x->log->n++;
    x->step++;
    if (x->opt->on_step && x->opt->on_step(x->opt->on_step_arg, x->log->n - 1, s, false, x->out))
        return ctr_fail(x->c, MPAVS_DEVNET_ERR_ARG, what, "stopped by the caller");
    return MPAVS_DEVNET_OK;
}

int dv_create(dv_deployer *x, const char *file, const char *name, const char *ctor_types, const char *args,
              mpavs_address *out) {
    if (x->a.oom) return ctr_fail(x->c, MPAVS_DEVNET_ERR_NOMEM, name, "out of memory");
    char what[64];
    snprintf(what, sizeof what, "deploy %s", name);
    bool skip;
    int r = step_enter(x, what, out, &skip);
    if (r || skip) return r;
    if (x->opt->plan) {
        char path[1024]; /* a plan still needs the artifact */
        int w = snprintf(path, sizeof path, "%s/%s.sol/%s.json", x->dir, file, name);
        if (w < 0 || (size_t)w >= sizeof path || access(path, R_OK) != 0)
            return ctr_fail(x->c, MPAVS_DEVNET_ERR_ARTIFACT, what, "artifact %s not readable", path);
        create_address(out, &x->me, x->nonce++);
    } else if ((r = dv_deploy(x->c, x->dir, file, name, ctor_types, args, out))) {
        return r;
    }
    return step_done(x, what, NULL, out);
}

int dv_call(dv_deployer *x, const mpavs_address *to, const char *sig, const char *args, const char *what) {
    if (x->a.oom) return ctr_fail(x->c, MPAVS_DEVNET_ERR_NOMEM, what, "out of memory");
    bool skip;
    int r = step_enter(x, what, NULL, &skip);
    if (r || skip) return r;
    if (x->opt->plan) {
        uint8_t *data = NULL; /* the arguments must still encode */
        size_t len = 0;
        if ((r = ctr_calldata_text(x->c, &data, &len, sig, args, what))) return r;
        free(data);
        x->nonce++;
    } else if ((r = ctr_tx_text(x->c, to, sig, args, what))) {
        return r;
    }
    return step_done(x, what, to, NULL);
}

/* A Proxy(EmptyContract, deployer). */
int dv_new_proxy(dv_deployer *x, mpavs_address *out) {
    args_reset(x);
    ctr_printf(&x->a, "(%s,%s)", AH(x, &x->empty), AH(x, &x->me));
    if (x->a.oom) return ctr_fail(x->c, MPAVS_DEVNET_ERR_NOMEM, "proxy", "out of memory");
    return dv_create(x, "Proxy", "Proxy", "(address,address)", x->a.s, out);
}

/* proxy.upgradeToAndCall(impl, calldata of init_sig(init_args)) or upgradeTo(impl) when init_sig is NULL. */
int dv_upgrade(dv_deployer *x, const mpavs_address *proxy, const mpavs_address *impl, const char *init_sig,
               const char *init_args, const char *step) {
    ctr_str t = {0};
    int r = MPAVS_DEVNET_OK;
    ctr_printf(&t, "(");
    ctr_addr(&t, impl);
    if (init_sig) {
        uint8_t *data = NULL;
        size_t len = 0;
        r = ctr_calldata_text(x->c, &data, &len, init_sig, init_args, step);
        if (r) {
            ctr_str_free(&t);
            return r;
        }
        ctr_printf(&t, ",");
        ctr_hex(&t, data, len);
        free(data);
    }
    ctr_printf(&t, ")");
    if (t.oom) r = ctr_fail(x->c, MPAVS_DEVNET_ERR_NOMEM, step, "out of memory");
    else r = dv_call(x, proxy, init_sig ? "upgradeToAndCall(address,bytes)" : "upgradeTo(address)", t.s, step);
    ctr_str_free(&t);
    return r;
}

/* ---- the stand-in EigenLayer core ---- */

/* Core steps into x->out (x->empty deployed first). */
static int deploy_core(dv_deployer *x) {
    mpavs_contracts_deployment *out = x->out;
    mpavs_address impl;
    int r;
    TRY(dv_create(x, "Proxy", "EmptyContract", NULL, NULL, &x->empty));
    TRY(dv_new_proxy(x, &out->delegation_manager));
    TRY(dv_new_proxy(x, &out->strategy_manager));
    TRY(dv_new_proxy(x, &out->avs_directory));
    args_reset(x);
    ctr_printf(&x->a, "(%s,%s,%s)", AH(x, &out->strategy_manager), AH(x, &x->empty), AH(x, &x->empty));
    TRY(dv_create(x, "DelegationManager", "DelegationManager", "(address,address,address)", x->a.s, &impl));
    args_reset(x);
    ctr_printf(&x->a, "(%s,%s,0,50400,[],[])", AH(x, &x->me), AH(x, &x->core_pauser));
    TRY(dv_upgrade(x, &out->delegation_manager, &impl,
                   "initialize(address,address,uint256,uint256,address[],uint256[])", x->a.s, "init DelegationManager"));
    args_reset(x);
    ctr_printf(&x->a, "(%s,%s,%s)", AH(x, &out->delegation_manager), AH(x, &x->empty), AH(x, &x->empty));
    TRY(dv_create(x, "StrategyManager", "StrategyManager", "(address,address,address)", x->a.s, &impl));
    args_reset(x);
    ctr_printf(&x->a, "(%s,%s,%s,0)", AH(x, &x->me), AH(x, &x->me), AH(x, &x->core_pauser));
    TRY(dv_upgrade(x, &out->strategy_manager, &impl, "initialize(address,address,address,uint256)", x->a.s,
                   "init StrategyManager"));
    args_reset(x);
    ctr_printf(&x->a, "(%s)", AH(x, &out->delegation_manager));
    TRY(dv_create(x, "AVSDirectory", "AVSDirectory", "(address)", x->a.s, &impl));
    args_reset(x);
    ctr_printf(&x->a, "(%s,%s,0)", AH(x, &x->me), AH(x, &x->core_pauser));
    TRY(dv_upgrade(x, &out->avs_directory, &impl, "initialize(address,address,uint256)", x->a.s, "init AVSDirectory"));

    /* TestToken and its StrategyBase (whitelisted for deposits) */
    args_reset(x);
    ctr_printf(&x->a, "(Token1,TOK1,1000000000000000000000000000,%s)", AH(x, &x->me));
    TRY(dv_create(x, "TestToken", "TestToken", "(string,string,uint256,address)", x->a.s, &out->token));
    TRY(dv_new_proxy(x, &out->strategy));
    args_reset(x);
    ctr_printf(&x->a, "(%s)", AH(x, &out->strategy_manager));
    TRY(dv_create(x, "StrategyBase", "StrategyBase", "(address)", x->a.s, &impl));
    args_reset(x);
    ctr_printf(&x->a, "(%s,%s)", AH(x, &out->token), AH(x, &x->core_pauser));
    TRY(dv_upgrade(x, &out->strategy, &impl, "initialize(address,address)", x->a.s, "init StrategyBase"));
    args_reset(x);
    ctr_printf(&x->a, "([%s],[false])", AH(x, &out->strategy));
    TRY(dv_call(x, &out->strategy_manager, "addStrategiesToDepositWhitelist(address[],bool[])", x->a.s,
                "whitelist strategy"));
    r = MPAVS_DEVNET_OK;
done:
    return r;
}

/* PauserRegistry([pauser], unpauser) (the roles' or the deployer). */
int dv_pauser_registry(dv_deployer *x, mpavs_address *out) {
    const mpavs_devnet_roles *ro = &x->opt->roles;
    args_reset(x);
    ctr_printf(&x->a, "([%s],%s)", AH(x, dv_role(x, &ro->pauser)), AH(x, dv_role(x, &ro->unpauser)));
    if (x->a.oom) return ctr_fail(x->c, MPAVS_DEVNET_ERR_NOMEM, "PauserRegistry", "out of memory");
    return dv_create(x, "PauserRegistry", "PauserRegistry", "(address[],address)", x->a.s, out);
}

const mpavs_address *dv_role(const dv_deployer *x, const mpavs_address *role) {
    static const mpavs_address zero = {{0}};
    return memcmp(role, &zero, sizeof zero) == 0 ? &x->me : role;
}

int mpavs_devnet_deploy_core(mpavs_contracts_ctx *c, mpavs_contracts_deployment *out,
                             const mpavs_devnet_deploy_options *opt) {
    static const mpavs_devnet_deploy_options none = {0};
    if (!opt) opt = &none;
    memset(out, 0, sizeof *out);
    dv_deployer x;
    int r = dv_begin(&x, c, out, opt);
    if (r) return r;
    /* the core's own PauserRegistry: the deployer pauses and unpauses */
    args_reset(&x);
    ctr_printf(&x.a, "([%s],%s)", AH(&x, &x.me), AH(&x, &x.me));
    TRY(dv_create(&x, "PauserRegistry", "PauserRegistry", "(address[],address)", x.a.s, &x.core_pauser));
    TRY(deploy_core(&x));
    r = MPAVS_DEVNET_OK;
done:
    dv_end(&x);
    return r;
}

int mpavs_devnet_deploy(mpavs_contracts_ctx *c, mpavs_contracts_deployment *out, const mpavs_devnet_deploy_options *opt) {
    static const mpavs_devnet_deploy_options none = {0};
    if (!opt) opt = &none;
    memset(out, 0, sizeof *out);
    dv_deployer x;
    int r = dv_begin(&x, c, out, opt);
    if (r) return r;
    /* one PauserRegistry for the core and the AVS, then the core, then the AVS (Fixture.sol's order) */
    TRY(dv_pauser_registry(&x, &out->pauser_registry));
    x.core_pauser = out->pauser_registry;
    TRY(deploy_core(&x));
    TRY(dv_deploy_avs_steps(&x));
    r = MPAVS_DEVNET_OK;
done:
    dv_end(&x);
    return r;
}

int mpavs_devnet_deploy_avs(mpavs_contracts_ctx *c, mpavs_contracts_deployment *d,
                            const mpavs_devnet_deploy_options *opt) {
    static const mpavs_devnet_deploy_options none = {0};
    static const mpavs_address zero = {{0}};
    if (!opt) opt = &none;
    if (!memcmp(&d->delegation_manager, &zero, sizeof zero) || !memcmp(&d->avs_directory, &zero, sizeof zero) ||
        !memcmp(&d->strategy, &zero, sizeof zero))
        return ctr_fail(c, MPAVS_DEVNET_ERR_ARG, "deploy",
                        "the EigenLayer core's DelegationManager, AVSDirectory and a strategy are required");
    dv_deployer x;
    int r = dv_begin(&x, c, d, opt);
    if (r) return r;
    TRY(dv_pauser_registry(&x, &d->pauser_registry));
    TRY(dv_create(&x, "Proxy", "EmptyContract", NULL, NULL, &x.empty));
    TRY(dv_deploy_avs_steps(&x));
    r = MPAVS_DEVNET_OK;
done:
    dv_end(&x);
    return r;
}

/* ---- deployment.json ---- */

typedef struct {
    const char *key;
    size_t off;
} dv_key;

#define K(k, f) {k, offsetof(mpavs_contracts_deployment, f)}
static const dv_key KEYS[] = {
    K("deployer", deployer),
    K("pauserRegistry", pauser_registry),
    K("delegationManager", delegation_manager),
    K("strategyManager", strategy_manager),
    K("avsDirectory", avs_directory),
    K("strategy", strategy),
    K("token", token),
    K("registryCoordinator", registry_coordinator),
    K("blsApkRegistry", bls_apk_registry),
    K("stakeRegistry", stake_registry),
    K("indexRegistry", index_registry),
    K("operatorStateRetriever", operator_state_retriever),
    K("serviceManager", service_manager),
    K("teeLivenessVerifier", tee_liveness_verifier),
    K("attestationVerifier", attestation_verifier),
    K("quoteVerifier", quote_verifier),
};
#define NKEYS (sizeof KEYS / sizeof KEYS[0])

int mpavs_devnet_deployment_to_json(char **json, const mpavs_contracts_deployment *d) {
    ctr_str b = {0};
    ctr_printf(&b, "{\n  \"chainId\": %llu", (unsigned long long)d->chain_id);
    for (size_t i = 0; i < NKEYS; i++) {
        char cs[43];
        mpavs_address_to_checksum(cs, (const mpavs_address *)((const char *)d + KEYS[i].off));
        ctr_printf(&b, ",\n  \"%s\": \"%s\"", KEYS[i].key, cs);
    }
    ctr_printf(&b, "\n}\n");
    if (b.oom) {
        ctr_str_free(&b);
        return MPAVS_DEVNET_ERR_NOMEM;
    }
    *json = b.s;
    return MPAVS_DEVNET_OK;
}

int mpavs_devnet_deployment_save(const mpavs_contracts_deployment *d, const char *path) {
    char *j = NULL;
    int r = mpavs_devnet_deployment_to_json(&j, d);
    if (r) return r;
    FILE *f = fopen(path, "w");
    if (!f) {
        free(j);
        return MPAVS_DEVNET_ERR_IO;
    }
    size_t n = strlen(j);
    bool ok = fwrite(j, 1, n, f) == n;
    ok = (fclose(f) == 0) && ok;
    free(j);
    return ok ? MPAVS_DEVNET_OK : MPAVS_DEVNET_ERR_IO;
}

int mpavs_devnet_deployment_load(mpavs_contracts_deployment *d, mpavs_error *err, const char *path) {
    memset(d, 0, sizeof *d);
    json_error_t je;
    json_t *o = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!o) {
        return mpavs_error_set(err, "devnet", MPAVS_DEVNET_ERR_IO, "%s: %s", path, je.text);
    }
    int r = MPAVS_DEVNET_OK;
    json_t *cid = json_object_get(o, "chainId");
    if (!json_is_integer(cid) || json_integer_value(cid) <= 0) {
        r = mpavs_error_set(err, "devnet", MPAVS_DEVNET_ERR_DECODE, "%s: chainId missing or not a positive integer",
                            path);
        goto out;
    }
    d->chain_id = (uint64_t)json_integer_value(cid);
    for (size_t i = 0; i < NKEYS; i++) {
        const char *s = json_string_value(json_object_get(o, KEYS[i].key));
        if (!s || mpavs_address_parse((mpavs_address *)((char *)d + KEYS[i].off), s) != 0) {
            r = mpavs_error_set(err, "devnet", MPAVS_DEVNET_ERR_DECODE, "%s: \"%s\" missing or not an address", path,
                                KEYS[i].key);
            goto out;
        }
    }
out:
    json_decref(o);
    return r;
}

int mpavs_devnet_deployment_string(char *out, size_t cap, const char *path, const char *key) {
    if (cap) out[0] = 0;
    json_error_t je;
    json_t *o = json_load_file(path, 0, &je);
    if (!o) return MPAVS_DEVNET_ERR_IO;
    const char *v = json_string_value(json_object_get(o, key));
    int r = MPAVS_DEVNET_OK;
    if (!v) r = MPAVS_DEVNET_ERR_DECODE;
    else if (strlen(v) >= cap) r = MPAVS_DEVNET_ERR_ARG;
    else memcpy(out, v, strlen(v) + 1);
    json_decref(o);
    return r;
}

