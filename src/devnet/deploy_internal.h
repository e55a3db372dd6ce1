/*
 * src/devnet/deploy_internal.h — the deployment step engine shared by deploy.c (engine, core,
 * the whole devnet) and deploy_avs.c (the AVS on an existing core). Every transaction of a
 * deployment is one step: dv_create / dv_call record it in the log, skip it when an earlier run
 * did it (resume), or only list it with its predicted address (plan).
 */
#ifndef MPAVS_DEPLOY_INTERNAL_H
#define MPAVS_DEPLOY_INTERNAL_H

#include "devnet_internal.h"

typedef struct {
    mpavs_contracts_ctx *c;
    const mpavs_devnet_deploy_options *opt;
    mpavs_contracts_deployment *out;
    const char *dir;
    mpavs_address me, empty, core_pauser;
    ctr_str a;       /* scratch for argument text */
    char ah[8][43];  /* AH(): formatted addresses for one argument list */
    unsigned nah;
    mpavs_devnet_deploy_log *log, own_log;
    size_t step;     /* steps passed so far (resumed or done) */
    uint64_t nonce;  /* plan: the nonce of the next transaction */
} dv_deployer;

/* Stop at the first failing step (r must be declared, a label done: must exist). */
#define TRY(expr)                                                                                                      \
    do {                                                                                                               \
        r = (expr);                                                                                                    \
        if (r) goto done;                                                                                              \
    } while (0)

/* An address as 0x hex in one of x's eight slots (enough for one argument list). */
const char *AH(dv_deployer *x, const mpavs_address *a);
/* Empty x's argument scratch. */
void args_reset(dv_deployer *x);
/* Start a deployment into out (chain id read; nonce read in a plan). Returns OK or ERR_RPC. */
int dv_begin(dv_deployer *x, mpavs_contracts_ctx *c, mpavs_contracts_deployment *out,
             const mpavs_devnet_deploy_options *opt);
/* Release x's scratch. */
void dv_end(dv_deployer *x);
/* Step: create contract name from <dir>/<file>.sol/<name>.json. Out: *out. */
int dv_create(dv_deployer *x, const char *file, const char *name, const char *ctor_types, const char *args,
              mpavs_address *out);
/* Step: call to.sig(args); what names the step (unique enough to check a resume). */
int dv_call(dv_deployer *x, const mpavs_address *to, const char *sig, const char *args, const char *what);
/* Step: a Proxy(EmptyContract, deployer). */
int dv_new_proxy(dv_deployer *x, mpavs_address *out);
/* Step: proxy.upgradeToAndCall(impl, init_sig(init_args)), or upgradeTo(impl) when init_sig is NULL. */
int dv_upgrade(dv_deployer *x, const mpavs_address *proxy, const mpavs_address *impl, const char *init_sig,
               const char *init_args, const char *step);
/* Step: PauserRegistry([roles.pauser], roles.unpauser). */
int dv_pauser_registry(dv_deployer *x, mpavs_address *out);
/* role, or the deployer when role is zero. */
const mpavs_address *dv_role(const dv_deployer *x, const mpavs_address *role);
/* The AVS's steps (deploy_avs.c) on x->out's core, pauser registry and x->empty. */
int dv_deploy_avs_steps(dv_deployer *x);

#endif
