/*
 * cli/cmd_avs_deploy.c — `mpavs avs deploy`: deploy a multi-prover AVS against an existing
 * EigenLayer core (a network's preset or a core deployment file), with every role given
 * separately, a plan shown before anything is sent, progress and every transaction hash, and an
 * output file written after every step from which an interrupted deployment resumes.
 */
#include "avs_cmds.h"
#include "avs_tx.h"
#include "cli.h"
#include "netcfg.h"

#include "mpavs/devnet.h"
#include "mpavs/hex.h"
#include "mpavs/presets.h"

#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEPLOY_HELP                                                                                                    \
    "NAME\n    mpavs avs deploy - deploy your own multi-prover AVS on an existing EigenLayer core\n\n"                  \
    "SYNOPSIS\n    mpavs avs deploy --network mainnet|hoodi|sepolia|custom --out deployment.json --strategy ADDR\n"   \
    "                     [--core FILE] [--rpc-url URL] [roles] [quorum options] [--tdx-quorum]\n"                       \
    "                     [--dcap-attestation ADDR | --quote-verifier ours] [--artifacts DIR]\n"                         \
    "                     (--private-key 0xKEY | --ecdsa-key-file F) [--dry-run] [--yes] [fee options]\n\n"             \
    "DESCRIPTION\n"                                                                                                    \
    "    Deploys the AVS contracts (PauserRegistry, IndexRegistry, BLSApkRegistry, StakeRegistry and\n"                 \
    "    RegistryCoordinator behind proxies, MultiProverServiceManager, OperatorStateRetriever, the\n"                  \
    "    attestation contracts and the TEELivenessVerifier), creates TEE quorum {INTEL_SGX, 0} (with\n"                 \
    "    --tdx-quorum also {INTEL_TDX, 1}) and committee 3 (chain-state tasks) on them, then hands\n"                   \
    "    every role over. The EigenLayer core is the network's (built-in addresses, see `mpavs avs\n"                   \
    "    networks`), or a core deployment file (--core: delegationManager, avsDirectory,\n"                             \
    "    strategyManager, strategy keys, as `mpavs devnet deploy --core-only` writes), or the\n"                        \
    "    address flags. Every step is listed first (with the addresses the contracts will get);\n"                      \
    "    without --yes it asks before sending. --out is written after every step: run the same\n"                       \
    "    command again to resume an interrupted deployment (steps already done are not sent\n"                         \
    "    again). The file is the deployment.json that `mpavs operator`, `mpavs state`, `mpavs avs`,\n"                  \
    "    the operator and the aggregator read (rpcUrl and the roles included).\n\n"                                     \
    "OPTIONS\n"                                                                                                        \
    "  --network NAME        mainnet, hoodi, sepolia (the core's addresses built in) or custom\n"                       \
    "  --core FILE           the core's addresses (JSON); with --network custom, or to override a preset\n"             \
    "  --delegation-manager, --avs-directory, --strategy-manager ADDR   override one core address\n"                    \
    "  --strategy ADDR       the strategy the quorums weigh (multiplier 1e18); default: the core file's\n"             \
    "  --rpc-url URL         the chain (default: env ETH_RPC_URL, else the preset's public endpoint)\n"                 \
    "  --out FILE            the deployment file to write (and to resume from)\n"                                       \
    "  --artifacts DIR       contract artifacts (default: env MPAVS_CONTRACTS, ./contracts/out, the\n"                  \
    "                        repository's contracts/out, then <prefix>/share/mpavs/contracts of `make install`)\n"      \
    "Roles (default: the deployer; may be multisig addresses):\n"                                                       \
    "  --owner ADDR          owner of every contract       --proxy-admin ADDR   admin of every proxy\n"                 \
    "  --state-confirmer ADDR  the aggregator's key        --poa-manager ADDR   the PoA whitelist's manager\n"          \
    "  --committee-manager ADDR                            --pauser ADDR, --unpauser ADDR\n"                            \
    "  --ejector ADDR, --churn-approver ADDR               (RegistryCoordinator)\n"                                     \
    "Quorums and attestation:\n"                                                                                       \
    "  --min-stake WEI       minimum weighted stake per quorum (default 1e16)\n"                                        \
    "  --max-operators N     operators per quorum (default 50)\n"                                                       \
    "  --min-threshold PCT   committee 3's minimum signed-stake percentage per quorum (default 50)\n"                   \
    "  --tdx-quorum          a second TEE quorum, INTEL_TDX on quorum 1 (committee 3 needs both)\n"                     \
    "  --poa                 enable the PoA whitelist\n"                                                                \
    "  --mrenclave 0xM       allow-list this MRENCLAVE (default: the allow-list is not enforced)\n"                     \
    "  --dcap-attestation ADDR  Automata's DCAP entrypoint (default on mainnet, hoodi and sepolia: the preset's)\n"      \
    "  --quote-verifier ours deploy our on-chain verifier (SgxQuoteVerifier) instead (default on custom)\n"             \
    "  --max-block-number-diff N, --attest-validity-seconds S   TEELivenessVerifier parameters (100, 3600)\n"          \
    "Signer and transactions:\n"                                                                                       \
    "  --private-key 0xKEY | --ecdsa-key-file F [--password-file F]\n"                                                  \
    "  --yes, --dry-run (list the plan and send nothing), --gas-limit N, --max-fee-per-gas F,\n"                        \
    "  --max-priority-fee-per-gas F, --legacy (as every sending command)\n\n"                                            \
    "EXIT STATUS\n    0 deployed (or nothing left to do), 1 a step failed (rerun to resume), 2 usage error\n\n"         \
    "EXAMPLES\n"                                                                                                       \
    "    mpavs avs deploy --network hoodi --strategy 0x… --ecdsa-key-file deployer.json \\\n"                           \
    "        --owner 0xSAFE --proxy-admin 0xSAFE --state-confirmer 0xAGGREGATOR --tdx-quorum --out hoodi.json\n"

/* The role flags, in mpavs_devnet_roles order. */
static const struct {
    const char *flag;
    size_t off;
} ROLES[] = {
    {"owner", offsetof(mpavs_devnet_roles, owner)},
    {"proxy-admin", offsetof(mpavs_devnet_roles, proxy_admin)},
    {"state-confirmer", offsetof(mpavs_devnet_roles, state_confirmer)},
    {"poa-manager", offsetof(mpavs_devnet_roles, poa_manager)},
    {"committee-manager", offsetof(mpavs_devnet_roles, committee_manager)},
    {"pauser", offsetof(mpavs_devnet_roles, pauser)},
    {"unpauser", offsetof(mpavs_devnet_roles, unpauser)},
    {"ejector", offsetof(mpavs_devnet_roles, ejector)},
    {"churn-approver", offsetof(mpavs_devnet_roles, churn_approver)},
};
#define NROLES (sizeof ROLES / sizeof ROLES[0])

typedef struct {
    const char *out_path;
    char rpc_url[2048];
    mpavs_devnet_roles roles; /* resolved: zero replaced by the deployer */
    mpavs_devnet_deploy_log log;
    bool plan, quiet;
    long stop_after;          /* MPAVS_DEPLOY_STOP_AFTER (tests): stop after this many new steps; 0 = never */
    long new_steps;
    int save_error;
} deploy_run;

static bool is_zero(const mpavs_address *a) {
    static const mpavs_address z = {{0}};
    return memcmp(a, &z, sizeof z) == 0;
}

static void hex32(char out[67], const uint8_t b[32]) {
    if (mpavs_hex_encode(out, 67, b, 32, true) != MPAVS_HEX_OK) out[0] = 0; /* cannot happen: 67 bytes fit */
}

/* deployment.json: the addresses (mpavs_devnet_deployment_to_json), rpcUrl, roles, steps, complete. */
static int save(deploy_run *d, const mpavs_contracts_deployment *dep, bool complete) {
    char *text = NULL;
    if (mpavs_devnet_deployment_to_json(&text, dep)) return -1;
    json_t *o = json_loads(text, 0, NULL);
    free(text);
    if (!o) return -1;
    json_object_set_new(o, "rpcUrl", json_string(d->rpc_url));
    json_t *roles = json_object();
    for (size_t i = 0; i < NROLES; i++) {
        char cs[43];
        mpavs_address_to_checksum(cs, (const mpavs_address *)((const char *)&d->roles + ROLES[i].off));
        json_object_set_new(roles, ROLES[i].flag, json_string(cs));
    }
    json_object_set_new(o, "roles", roles);
    json_t *steps = json_array();
    for (size_t i = 0; i < d->log.n; i++) {
        const mpavs_devnet_deploy_step *s = &d->log.steps[i];
        char a[43], h[67];
        json_t *js = json_pack("{s:s}", "what", s->what);
        if (!is_zero(&s->address)) {
            mpavs_address_to_checksum(a, &s->address);
            json_object_set_new(js, "address", json_string(a));
        }
        if (!is_zero(&s->to)) {
            mpavs_address_to_checksum(a, &s->to);
            json_object_set_new(js, "to", json_string(a));
        }
        hex32(h, s->tx_hash);
        json_object_set_new(js, "tx", json_string(h));
        json_array_append_new(steps, js);
    }
    json_object_set_new(o, "steps", steps);
    json_object_set_new(o, "complete", json_boolean(complete));
    /* write to a temporary file and rename: an interrupted write never loses the steps done */
    char tmp[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s.tmp", d->out_path);
    int rc = json_dump_file(o, tmp, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0 && rename(tmp, d->out_path) == 0 ? 0 : -1;
    json_decref(o);
    return rc;
}

/* Steps recorded by an earlier run of --out (none when the file does not exist). Returns 0, 1 when complete, or an exit code + 10. */
static int load_previous(deploy_run *d, mpavs_contracts_deployment *dep, uint64_t chain_id, const char *who) {
    json_error_t je;
    json_t *o = json_load_file(d->out_path, 0, &je);
    if (!o) {
        if (access(d->out_path, F_OK) != 0) return 0;
        return 10 + cli_error("%s: %s exists and is not JSON (%s): give another --out", who, d->out_path, je.text);
    }
    int rc = 0;
    json_t *steps = json_object_get(o, "steps");
    json_int_t cid = json_integer_value(json_object_get(o, "chainId"));
    size_t i;
    json_t *s;
    if (!json_is_array(steps)) {
        rc = 10 + cli_error("%s: %s is not a deployment of `avs deploy` (no steps): give another --out", who, d->out_path);
        goto out;
    }
    if ((uint64_t)cid != chain_id) {
        rc = 10 + cli_error("%s: %s is a deployment on chain %lld, this is chain %llu", who, d->out_path, (long long)cid,
                            (unsigned long long)chain_id);
        goto out;
    }
    if (json_array_size(steps) > MPAVS_DEVNET_MAX_STEPS) {
        rc = 10 + cli_error("%s: %s: too many steps", who, d->out_path);
        goto out;
    }
    json_array_foreach(steps, i, s) {
        mpavs_devnet_deploy_step *st = &d->log.steps[i];
        memset(st, 0, sizeof *st);
        const char *w = json_string_value(json_object_get(s, "what")), *a = json_string_value(json_object_get(s, "address"));
        const char *t = json_string_value(json_object_get(s, "to")), *h = json_string_value(json_object_get(s, "tx"));
        if (!w || strlen(w) >= sizeof st->what || (a && mpavs_address_parse(&st->address, a)) ||
            (t && mpavs_address_parse(&st->to, t)) || (h && mpavs_hex_decode_exact(st->tx_hash, 32, h))) {
            rc = 10 + cli_error("%s: %s: step %zu is malformed", who, d->out_path, i + 1);
            goto out;
        }
        memcpy(st->what, w, strlen(w) + 1);
    }
    d->log.n = json_array_size(steps);
    /* the addresses known so far (the library refills them as it passes the resumed steps) */
    mpavs_contracts_deployment prev;
    mpavs_error err = {0};
    if (mpavs_devnet_deployment_load(&prev, &err, d->out_path) == MPAVS_DEVNET_OK) {
        prev.deployer = dep->deployer;
        prev.delegation_manager = dep->delegation_manager, prev.avs_directory = dep->avs_directory;
        prev.strategy_manager = dep->strategy_manager, prev.strategy = dep->strategy, prev.token = dep->token;
        *dep = prev;
    }
    mpavs_error_clear(&err);
    if (json_is_true(json_object_get(o, "complete"))) rc = 1;
    else
        fprintf(stderr, "%s: resuming the deployment in %s: %zu step%s done\n", who, d->out_path, d->log.n,
                d->log.n == 1 ? "" : "s");
out:
    json_decref(o);
    return rc;
}

static int on_step(void *arg, size_t index, const mpavs_devnet_deploy_step *s, bool resumed,
                   const mpavs_contracts_deployment *so_far) {
    deploy_run *d = arg;
    char a[43] = "", h[67];
    if (!is_zero(&s->address)) mpavs_address_to_checksum(a, &s->address);
    else if (!is_zero(&s->to)) mpavs_address_to_checksum(a, &s->to);
    if (d->plan) {
        printf("  %2zu. %-44s %s%s%s\n", index + 1, s->what, is_zero(&s->address) ? "to " : "at ", a,
               resumed ? "  (done)" : "");
        return 0;
    }
    if (resumed) return 0;
    hex32(h, s->tx_hash);
    printf("[%2zu] %-44s %s tx %s gas %llu\n", index + 1, s->what, a, h, (unsigned long long)s->gas_used);
    fflush(stdout);
    if (save(d, so_far, false)) {
        d->save_error = errno ? errno : EIO;
        return 1;
    }
    if (d->stop_after > 0 && ++d->new_steps >= d->stop_after) return 1;
    return 0;
}

/* The artifacts directory: --artifacts, $MPAVS_CONTRACTS, ./contracts/out, $MPAVS_ROOT/contracts/out,
   <dir of the executable>/../share/mpavs/contracts. */
static const char *artifacts_dir(const char *flag, char *buf, size_t cap) {
    struct stat st;
    if (flag) return flag;
    const char *env = getenv("MPAVS_CONTRACTS");
    if (env && *env) return env;
    if (stat("contracts/out/Proxy.sol", &st) == 0) return "contracts/out";
    const char *root = getenv("MPAVS_ROOT");
    if (root && *root) {
        int w = snprintf(buf, cap, "%s/contracts/out", root);
        if (w > 0 && (size_t)w < cap && stat(buf, &st) == 0) return buf;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        char *slash = strrchr(exe, '/');
        if (slash) *slash = 0;
        int w = snprintf(buf, cap, "%s/../share/mpavs/contracts", exe);
        if (w > 0 && (size_t)w < cap && stat(buf, &st) == 0) return buf;
    }
    return NULL;
}

/* The core's addresses from a core file (keys as deployment.json's; missing keys stay zero). */
static int core_file(mpavs_contracts_deployment *dep, const char *path, const char *who) {
    static const struct {
        const char *key;
        size_t off;
    } K[] = {
        {"delegationManager", offsetof(mpavs_contracts_deployment, delegation_manager)},
        {"avsDirectory", offsetof(mpavs_contracts_deployment, avs_directory)},
        {"strategyManager", offsetof(mpavs_contracts_deployment, strategy_manager)},
        {"strategy", offsetof(mpavs_contracts_deployment, strategy)},
        {"token", offsetof(mpavs_contracts_deployment, token)},
    };
    json_error_t je;
    json_t *o = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!o) return cli_error("%s: --core %s: %s", who, path, je.text);
    int rc = 0;
    for (size_t i = 0; i < sizeof K / sizeof K[0] && !rc; i++) {
        const char *v = json_string_value(json_object_get(o, K[i].key));
        if (v && mpavs_address_parse((mpavs_address *)((char *)dep + K[i].off), v))
            rc = cli_error("%s: --core %s: \"%s\" is not an address", who, path, K[i].key);
    }
    json_decref(o);
    return rc;
}

static int parse_ulong(unsigned long *out, const char *v, const char *flag, unsigned long lo, unsigned long hi) {
    char *end;
    errno = 0;
    unsigned long x = strtoul(v, &end, 10);
    if (!*v || *end || errno || *v == '-' || x < lo || x > hi)
        return cli_usage_error("avs deploy: --%s: expected a number in %lu..%lu, got '%s'", flag, lo, hi, v);
    *out = x;
    return 0;
}

int cmd_avs_deploy(int argc, char **argv) {
    static const char *who = "avs deploy";
    if (cli_wants_help(argc, argv)) {
        cli_help(DEPLOY_HELP);
        return 0;
    }
    cli_args a;
    if (!cli_args_init(&a, argc, argv)) return 2;
    deploy_run d = {0};
    mpavs_devnet_deploy_options opt = {0};
    mpavs_contracts_deployment dep = {0};
    const char *net = cli_opt(&a, "network"), *core = cli_opt(&a, "core"), *url = cli_rpc_url(&a);
    const char *art = cli_opt(&a, "artifacts"), *strat = cli_opt(&a, "strategy"), *dcap = cli_opt(&a, "dcap-attestation");
    const char *qv = cli_opt(&a, "quote-verifier"), *ms = cli_opt(&a, "min-stake"), *mo = cli_opt(&a, "max-operators");
    const char *mt = cli_opt(&a, "min-threshold"), *mre = cli_opt(&a, "mrenclave");
    const char *mbd = cli_opt(&a, "max-block-number-diff"), *avs_ = cli_opt(&a, "attest-validity-seconds");
    const char *dm = cli_opt(&a, "delegation-manager"), *ad = cli_opt(&a, "avs-directory"),
               *sm = cli_opt(&a, "strategy-manager");
    d.out_path = cli_opt(&a, "out");
    opt.tdx_quorum = cli_flag(&a, "tdx-quorum");
    opt.poa_enabled = cli_flag(&a, "poa");
    int rc = 0;
    for (size_t i = 0; i < NROLES && !rc; i++) {
        const char *v = cli_opt(&a, ROLES[i].flag);
        if (v) rc = cli_address_opt(who, (mpavs_address *)((char *)&opt.roles + ROLES[i].off), ROLES[i].flag, v);
    }
    if (rc) return rc;
    uint8_t sk[32];
    mpavs_address me;
    mpavs_sender_options so = {0};
    bool dry_run = false, yes = false;
    if ((rc = avs_signer_and_fees(&a, who, sk, &me, &so, &dry_run, &yes))) return rc;
    char *pos[1];
    if (cli_positionals(&a, pos, 1) != 0) {
        rc = cli_usage_error("%s: unexpected argument '%s'", who, pos[0]);
        goto wipe;
    }
    if (!net) {
        rc = cli_usage_error("%s: --network mainnet|hoodi|sepolia|custom is required", who);
        goto wipe;
    }
    if (!d.out_path) {
        rc = cli_usage_error("%s: --out FILE is required (it is also what resumes an interrupted deployment)", who);
        goto wipe;
    }
    /* the core */
    const mpavs_preset *p = NULL;
    if (mpavs_preset_retired(net)) {
        rc = cli_usage_error("%s: --network %s: %s", who, net, mpavs_preset_retired(net));
        goto wipe;
    }
    if (strcmp(net, "custom") != 0 && strcmp(net, "devnet") != 0 && !(p = mpavs_preset_by_network(net))) {
        rc = cli_usage_error("%s: --network %s: expected mainnet, hoodi, sepolia or custom", who, net);
        goto wipe;
    }
    if (p) {
        if (mpavs_address_parse(&dep.delegation_manager, p->delegation_manager) ||
            mpavs_address_parse(&dep.avs_directory, p->avs_directory) ||
            mpavs_address_parse(&dep.strategy_manager, p->strategy_manager)) {
            rc = cli_error("%s: the %s preset's core addresses do not parse", who, net);
            goto wipe;
        }
        if (!url) url = p->eth_rpc_url;
    } else if (!core && !(dm && ad)) {
        rc = cli_usage_error("%s: --network %s needs --core FILE (or --delegation-manager and --avs-directory)", who, net);
        goto wipe;
    }
    if (core && (rc = core_file(&dep, core, who))) goto wipe;
    if ((dm && (rc = cli_address_opt(who, &dep.delegation_manager, "delegation-manager", dm))) ||
        (ad && (rc = cli_address_opt(who, &dep.avs_directory, "avs-directory", ad))) ||
        (sm && (rc = cli_address_opt(who, &dep.strategy_manager, "strategy-manager", sm))) ||
        (strat && (rc = cli_address_opt(who, &dep.strategy, "strategy", strat))))
        goto wipe;
    if (is_zero(&dep.strategy)) {
        rc = cli_usage_error("%s: --strategy ADDR is required (the strategy the quorums weigh, e.g. a LST strategy)", who);
        goto wipe;
    }
    if (!url) {
        rc = cli_usage_error("%s: --rpc-url URL (or ETH_RPC_URL) is required on --network %s", who, net);
        goto wipe;
    }
    snprintf(d.rpc_url, sizeof d.rpc_url, "%s", url);
    /* attestation */
    mpavs_address dcap_addr;
    if (qv && strcmp(qv, "ours") != 0) {
        rc = cli_usage_error("%s: --quote-verifier: only 'ours' (else --dcap-attestation ADDR)", who);
        goto wipe;
    }
    if (qv && dcap) {
        rc = cli_usage_error("%s: give --dcap-attestation or --quote-verifier ours, not both", who);
        goto wipe;
    }
    if (dcap && (rc = cli_address_opt(who, &dcap_addr, "dcap-attestation", dcap))) goto wipe;
    if (!dcap && !qv && p && mpavs_address_parse(&dcap_addr, p->dcap_attestation) == 0) dcap = p->dcap_attestation;
    if (dcap) opt.dcap_attestation = &dcap_addr;
    /* parameters */
    unsigned long v;
    if (ms && (mpavs_u256_parse(&opt.min_stake, ms, strlen(ms)) || mpavs_u256_is_zero(&opt.min_stake))) {
        rc = cli_usage_error("%s: --min-stake: expected a positive integer (wei of weighted stake)", who);
        goto wipe;
    }
    if (mo && !(rc = parse_ulong(&v, mo, "max-operators", 1, 2000))) opt.max_operators = (uint16_t)v;
    if (!rc && mt && !(rc = parse_ulong(&v, mt, "min-threshold", 1, 100))) opt.min_threshold = (uint8_t)v;
    if (!rc && mbd && !(rc = parse_ulong(&v, mbd, "max-block-number-diff", 1, 1000000))) opt.max_block_number_diff = v;
    if (!rc && avs_ && !(rc = parse_ulong(&v, avs_, "attest-validity-seconds", 60, 31536000)))
        opt.attest_validity_seconds = v;
    if (rc) goto wipe;
    uint8_t mr[32];
    if (mre) {
        if (mpavs_hex_decode_exact(mr, 32, mre) != MPAVS_HEX_OK) {
            rc = cli_usage_error("%s: --mrenclave: expected 0x + 64 hex digits", who);
            goto wipe;
        }
        opt.mr_enclave = mr;
    }
    char artbuf[PATH_MAX];
    if (!(opt.artifacts_dir = artifacts_dir(art, artbuf, sizeof artbuf))) {
        rc = cli_error("%s: no contract artifacts found: give --artifacts DIR (forge's contracts/out, or "
                       "<prefix>/share/mpavs/contracts after `make install`)",
                       who);
        goto wipe;
    }
    if (p && is_zero(&opt.roles.owner))
        fprintf(stderr, "%s: warning: the deployer's key keeps every role not given (give --owner, "
                        "--proxy-admin, --state-confirmer, ... on %s)\n",
                who, net);
    for (size_t i = 0; i < NROLES; i++) {
        mpavs_address *r = (mpavs_address *)((char *)&opt.roles + ROLES[i].off);
        if (is_zero(r)) *r = me;
    }
    d.roles = opt.roles;
    const char *stop = getenv("MPAVS_DEPLOY_STOP_AFTER");
    if (stop && *stop) d.stop_after = strtol(stop, NULL, 10);

    /* connect */
    curl_global_init(CURL_GLOBAL_DEFAULT);
    mpavs_rpc *rpc = mpavs_rpc_create(d.rpc_url, NULL);
    mpavs_contracts_ctx c = {0};
    mpavs_error e = {0};
    if (!rpc) {
        rc = cli_usage_error("%s: unusable --rpc-url %s", who, d.rpc_url);
        goto wipe;
    }
    if (mpavs_contracts_init(&c, rpc, NULL)) {
        rc = cli_error("%s: out of memory", who);
        goto close;
    }
    int r = mpavs_sender_create(&c.sender, &e, rpc, sk, &so);
    mpavs_wipe(sk, sizeof sk);
    if (r) {
        rc = cli_error("%s: %s: %s (%s)", who, d.rpc_url, mpavs_sender_strerror(r), e.message);
        goto close;
    }
    uint64_t cid = 0;
    if ((r = mpavs_rpc_chain_id(rpc, &cid, &e))) {
        rc = cli_error("%s: %s: %s (%s)", who, d.rpc_url, mpavs_rpc_strerror(r), e.message);
        goto close;
    }
    if (p && cid != p->chain_id) {
        rc = cli_error("%s: %s is chain %llu but --network %s is chain %llu", who, d.rpc_url, (unsigned long long)cid,
                       net, (unsigned long long)p->chain_id);
        goto close;
    }
    dep.deployer = me;
    int prev = load_previous(&d, &dep, cid, who);
    if (prev >= 10) {
        rc = prev - 10;
        goto close;
    }
    if (prev == 1) {
        printf("%s: the deployment in %s is complete; nothing to do\n", who, d.out_path);
        goto close;
    }
    opt.log = &d.log;
    opt.on_step = on_step;
    opt.on_step_arg = &d;

    /* the plan, then (unless --dry-run) the confirmation and the steps */
    char cs[43];
    mpavs_address_to_checksum(cs, &me);
    printf("Deploying the multi-prover AVS on chain %llu (%s) from %s; core DelegationManager ", (unsigned long long)cid,
           net, cs);
    mpavs_address_to_checksum(cs, &dep.delegation_manager);
    printf("%s; attestation %s. Plan:\n", cs, dcap ? "Automata DCAP entrypoint" : "our SgxQuoteVerifier");
    d.plan = true;
    opt.plan = true;
    mpavs_contracts_deployment planned = dep;
    size_t done_before = d.log.n;
    r = mpavs_devnet_deploy_avs(&c, &planned, &opt);
    d.log.n = done_before; /* the plan's steps are not done */
    if (r) {
        rc = cli_error("%s: %s", who, c.error.message);
        goto close;
    }
    if (dry_run) {
        printf("dry run: nothing sent\n");
        goto close;
    }
    if (!yes && (rc = cli_ask_proceed())) goto close;
    d.plan = false;
    opt.plan = false;
    r = mpavs_devnet_deploy_avs(&c, &dep, &opt);
    if (r) {
        if (d.save_error) rc = cli_error("%s: cannot write %s: %s", who, d.out_path, strerror(d.save_error));
        else if (d.stop_after > 0 && d.new_steps >= d.stop_after)
            rc = cli_error("%s: stopped after %ld steps (MPAVS_DEPLOY_STOP_AFTER); rerun to resume", who, d.new_steps);
        else rc = cli_error("%s: %s (the steps done are in %s: rerun the same command to resume)", who, c.error.message,
                            d.out_path);
        goto close;
    }
    if (save(&d, &dep, true)) {
        rc = cli_error("%s: cannot write %s: %s", who, d.out_path, strerror(errno));
        goto close;
    }
    mpavs_address_to_checksum(cs, &dep.registry_coordinator);
    printf("AVS deployed: RegistryCoordinator %s", cs);
    mpavs_address_to_checksum(cs, &dep.service_manager);
    printf(", MultiProverServiceManager %s; every address in %s\n", cs, d.out_path);
close:
    mpavs_error_clear(&e);
    mpavs_sender_destroy(c.sender);
    c.sender = NULL;
    mpavs_contracts_clear(&c);
    mpavs_rpc_destroy(rpc);
wipe:
    mpavs_wipe(sk, sizeof sk);
    return rc;
}
