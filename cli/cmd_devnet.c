/* mpavs devnet deploy | register-operator | add-pck | status — the devnet contract stack: deploy, onboard
 * operators, register PCK keys, and the on-chain view (operators, stakes, liveness, confirmed states). */
#include "cli.h"
#include "commands.h"
#include "devnet_up.h"

#include "mpavs/bls.h"
#include "mpavs/dcap.h"
#include "mpavs/devnet.h"
#include "mpavs/hex.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Parse a 0x 32-byte value for option `what`. Returns 0 or 2 (after a usage error). */
static int parse32(uint8_t out[32], const char *cmd, const char *what, const char *hex) {
    if (!hex) return cli_usage_error("devnet %s: --%s 0x<64 hex digits> is required", cmd, what);
    if (mpavs_hex_decode_exact(out, 32, hex) != MPAVS_HEX_OK)
        return cli_usage_error("devnet %s: --%s must be 0x + 64 hex digits", cmd, what);
    return 0;
}

/* Open rpc + sender for --rpc-url/--private-key. Returns 0, or an exit code. */
static int open_ctx(mpavs_contracts_ctx *c, const char *cmd, const char *url, const uint8_t key[32]) {
    memset(c, 0, sizeof *c);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    mpavs_rpc *rpc = mpavs_rpc_create(url, NULL);
    if (!rpc) return cli_usage_error("devnet %s: unusable --rpc-url %s", cmd, url);
    mpavs_error e = {0};
    mpavs_sender *sender = NULL;
    int r = mpavs_sender_create(&sender, &e, rpc, key, NULL);
    if (r) {
        cli_error("devnet %s: %s: %s (%s)", cmd, url, mpavs_sender_strerror(r), e.message);
        mpavs_error_clear(&e);
        mpavs_rpc_destroy(rpc);
        return r == MPAVS_SENDER_ERR_SIGN ? 2 : 1;
    }
    if (mpavs_contracts_init(c, rpc, sender)) {
        cli_error("devnet %s: %s", cmd, c->error.message);
        mpavs_contracts_clear(c);
        mpavs_sender_destroy(sender);
        mpavs_rpc_destroy(rpc);
        return 1;
    }
    return 0;
}

static void close_ctx(mpavs_contracts_ctx *c) {
    mpavs_sender_destroy(c->sender);
    mpavs_rpc_destroy(c->rpc);
    mpavs_contracts_clear(c);
}

/* Make a throwaway quote from a devnet CA directory (it carries the PCK certificate). */
static uint8_t *devnet_quote(const char *cmd, const char *dir, size_t *qlen) {
    mpavs_dcap_devnet *dv = NULL;
    int r = mpavs_dcap_devnet_load(&dv, dir);
    if (r) {
        cli_error("devnet %s: --devnet-ca %s: %s", cmd, dir, mpavs_dcap_strerror(r));
        return NULL;
    }
    uint8_t rd[64] = {0};
    size_t cap = 8192;
    uint8_t *q = malloc(cap);
    r = q ? mpavs_dcap_devnet_quote(dv, q, cap, qlen, rd, NULL, NULL, false) : MPAVS_DCAP_ERR_NOMEM;
    if (r == MPAVS_DCAP_ERR_BUFFER_TOO_SMALL) {
        free(q);
        cap = *qlen;
        q = malloc(cap);
        r = q ? mpavs_dcap_devnet_quote(dv, q, cap, qlen, rd, NULL, NULL, false) : MPAVS_DCAP_ERR_NOMEM;
    }
    mpavs_dcap_devnet_free(dv);
    if (r) {
        cli_error("devnet %s: cannot make a devnet quote from %s: %s", cmd, dir, mpavs_dcap_strerror(r));
        free(q);
        return NULL;
    }
    return q;
}

/* Register the PCK key carried by a quote file or a devnet CA's quote. Returns an exit code. */
static int register_pck(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d, const char *cmd, const char *ca,
                        const char *quote_file) {
    size_t qlen = 0;
    uint8_t *q = ca ? devnet_quote(cmd, ca, &qlen) : cli_read_file(quote_file, &qlen);
    if (!q) return ca ? 1 : cli_error("devnet %s: cannot read %s", cmd, quote_file);
    int rc = 0;
    if (mpavs_devnet_add_pck_key_from_quote(c, d, q, qlen)) rc = cli_error("devnet %s: %s", cmd, c->error.message);
    free(q);
    return rc;
}

static int deploy(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) {
        cli_help("NAME\n    mpavs devnet deploy - deploy the devnet contract stack\n\n"
                 "SYNOPSIS\n    mpavs devnet deploy --rpc-url URL --private-key 0xKEY --out deployment.json\n"
                 "                        [--artifacts contracts/out] [--min-stake WEI] [--min-threshold PCT] [--poa]\n"
                 "                        [--mrenclave 0xMRENCLAVE] [--devnet-ca DIR] [--core-only]\n\n"
                 "DESCRIPTION\n"
                 "    Deploys the devnet stack from forge artifacts (run `forge build` in contracts/ first):\n"
                 "    EigenLayer-compatible core and middleware behind proxies (admin = the deployer), quorum 0\n"
                 "    with the test-token strategy, the MultiProverServiceManager with TEE quorum {INTEL_SGX, 0}\n"
                 "    and committee 3 (state confirmer, owner and managers = the deployer), the SgxQuoteVerifier\n"
                 "    (devnet QE identity), AttestationVerifier and TEELivenessVerifier. Writes every address to\n"
                 "    --out as JSON. On-chain quotes need the P-256 precompile (anvil --hardfork osaka).\n\n"
                 "OPTIONS\n"
                 "  --rpc-url URL         the node (default: env ETH_RPC_URL)\n"
                 "  --private-key 0xKEY   the deployer (holds the test-token supply)\n"
                 "  --out FILE            where to write the deployment JSON\n"
                 "  --artifacts DIR       forge output (default contracts/out)\n"
                 "  --min-stake WEI       quorum 0 minimum stake (default 1e16)\n"
                 "  --min-threshold PCT   committee 3's minimum stake threshold, percent (default 50): confirmState\n"
                 "                        refuses a StateHeader whose threshold is lower\n"
                 "  --poa                 enable the PoA whitelist\n"
                 "  --mrenclave 0xM       allow-list this MRENCLAVE (default: allow-list disabled)\n"
                 "  --devnet-ca DIR       also register the PCK key of this devnet CA (`mpavs attest devnet-ca`)\n"
                 "  --core-only           only the stand-in EigenLayer core (DelegationManager, StrategyManager,\n"
                 "                        AVSDirectory, TestToken and its strategy): a core for `mpavs avs deploy --core`\n\n"
                 "EXAMPLES\n"
                 "    mpavs devnet deploy --rpc-url http://127.0.0.1:8545 --private-key 0xac09… --out .devnet/deployment.json\n");
        return 0;
    }
    cli_args a;
    if (!cli_args_init(&a, argc, argv)) return 2;
    const char *url = cli_rpc_url(&a), *keyhex = cli_opt(&a, "private-key"), *out = cli_opt(&a, "out");
    const char *art = cli_opt(&a, "artifacts"), *ms = cli_opt(&a, "min-stake"), *mre = cli_opt(&a, "mrenclave");
    const char *ca = cli_opt(&a, "devnet-ca"), *mt = cli_opt(&a, "min-threshold");
    bool poa = cli_flag(&a, "poa"), core_only = cli_flag(&a, "core-only");
    char *pos[1];
    if (cli_positionals(&a, pos, 1) != 0) return 2;
    if (!url) return cli_usage_error("devnet deploy: --rpc-url URL (or ETH_RPC_URL) is required");
    if (!out) return cli_usage_error("devnet deploy: --out FILE is required");
    uint8_t key[32], mr[32];
    int rc = parse32(key, "deploy", "private-key", keyhex);
    if (rc) return rc;
    mpavs_devnet_deploy_options opt = {.artifacts_dir = art, .poa_enabled = poa};
    if (ms && (mpavs_u256_parse(&opt.min_stake, ms, strlen(ms)) || mpavs_u256_is_zero(&opt.min_stake)))
        return cli_usage_error("devnet deploy: --min-stake: expected a positive integer");
    if (mt) {
        char *end = NULL;
        unsigned long v = strtoul(mt, &end, 10);
        if (!*mt || *end || v < 1 || v > 100) return cli_usage_error("devnet deploy: --min-threshold: expected a percentage in 1..100");
        opt.min_threshold = (uint8_t)v;
    }
    if (mre) {
        if ((rc = parse32(mr, "deploy", "mrenclave", mre))) return rc;
        opt.mr_enclave = mr;
    }
    mpavs_contracts_ctx c;
    if ((rc = open_ctx(&c, "deploy", url, key))) return rc;
    mpavs_wipe(key, sizeof key);
    mpavs_contracts_deployment d;
    int r = core_only ? mpavs_devnet_deploy_core(&c, &d, &opt) : mpavs_devnet_deploy(&c, &d, &opt);
    if (r) rc = cli_error("devnet deploy: %s", c.error.message);
    if (!rc && (r = mpavs_devnet_deployment_save(&d, out)))
        rc = cli_error("devnet deploy: cannot write %s: %s", out, mpavs_devnet_strerror(r));
    if (!rc)
        fprintf(stderr, "devnet %s deployed on chain %llu; addresses in %s\n", core_only ? "EigenLayer core" : "stack",
                (unsigned long long)d.chain_id, out);
    if (core_only) ca = NULL; /* no quote verifier yet: `mpavs avs deploy` makes it */
    if (!rc && ca) rc = register_pck(&c, &d, "deploy", ca, NULL); /* retry with `devnet add-pck` */
    close_ctx(&c);
    return rc;
}

static int register_operator(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) {
        cli_help("NAME\n    mpavs devnet register-operator - onboard a devnet operator in one step\n\n"
                 "SYNOPSIS\n    mpavs devnet register-operator --rpc-url URL --deployment deployment.json\n"
                 "        --private-key 0xOPERATOR_KEY --bls-key 0xBLS_SECRET [--deposit WEI]\n"
                 "        [--funder-key 0xDEPLOYER_KEY] [--socket TEXT]\n\n"
                 "DESCRIPTION\n"
                 "    (With --funder-key) transfers --deposit test tokens to the operator, registers it as an\n"
                 "    EigenLayer operator, deposits --deposit (default 1e18) into the strategy and opts it into\n"
                 "    quorum 0 with the BLS proof of possession and the AVSDirectory signature. Prints the\n"
                 "    operator id (keccak256 of the G1 key). Keys on the command line: devnet only; for key files\n"
                 "    and prompts use `mpavs operator`.\n\n"
                 "OPTIONS\n"
                 "  --rpc-url URL, --deployment FILE   the node (default: env ETH_RPC_URL) and the deployment JSON\n"
                 "  --private-key 0xKEY   the operator's account\n"
                 "  --bls-key 0xSECRET    the operator's BLS secret key\n"
                 "  --deposit WEI         tokens to fund and deposit (default 1e18)\n"
                 "  --funder-key 0xKEY    the token holder (the deployer) to fund the operator from\n"
                 "  --socket TEXT         socket string (default devnet)\n\n"
                 "EXAMPLES\n"
                 "    mpavs devnet register-operator --rpc-url http://127.0.0.1:8545 --deployment d.json \\\n"
                 "        --private-key 0x59c6… --bls-key 0x1234 --funder-key 0xac09…\n");
        return 0;
    }
    cli_args a;
    if (!cli_args_init(&a, argc, argv)) return 2;
    const char *url = cli_rpc_url(&a), *dep = cli_opt(&a, "deployment"), *keyhex = cli_opt(&a, "private-key");
    const char *blshex = cli_opt(&a, "bls-key"), *amt = cli_opt(&a, "deposit"), *funder = cli_opt(&a, "funder-key");
    const char *sock = cli_opt(&a, "socket");
    char *pos[1];
    if (cli_positionals(&a, pos, 1) != 0) return 2;
    if (!url || !dep) return cli_usage_error("devnet register-operator: --rpc-url and --deployment are required");
    uint8_t key[32], bls[32], fkey[32];
    int rc = parse32(key, "register-operator", "private-key", keyhex);
    if (!rc) rc = parse32(bls, "register-operator", "bls-key", blshex);
    if (!rc && funder) rc = parse32(fkey, "register-operator", "funder-key", funder);
    if (rc) return rc;
    mpavs_u256 amount = mpavs_u256_from_u64(1000000000000000000ull);
    if (amt && (mpavs_u256_parse(&amount, amt, strlen(amt)) || mpavs_u256_is_zero(&amount)))
        return cli_usage_error("devnet register-operator: --deposit: expected a positive integer");
    mpavs_contracts_deployment d;
    mpavs_error err = {0};
    if (mpavs_devnet_deployment_load(&d, &err, dep)) return cli_error("devnet register-operator: %s", err.message);
    mpavs_contracts_ctx c;
    if (funder) {
        if ((rc = open_ctx(&c, "register-operator", url, fkey))) return rc;
        mpavs_address to;
        mpavs_ecdsa_ctx *ec = mpavs_ecdsa_ctx_create();
        if (!ec || mpavs_ecdsa_seckey_to_address(ec, &to, key)) rc = cli_error("devnet register-operator: bad key");
        else if (mpavs_devnet_token_transfer(&c, &d, &to, &amount)) rc = cli_error("devnet register-operator: %s", c.error.message);
        mpavs_ecdsa_ctx_destroy(ec);
        close_ctx(&c);
        if (rc) return rc;
    }
    if ((rc = open_ctx(&c, "register-operator", url, key))) return rc;
    uint8_t salt[32], id[32];
    static const uint8_t q0[1] = {0};
    if (mpavs_random_bytes(salt, sizeof salt)) rc = cli_error("devnet register-operator: no randomness");
    else if (mpavs_contracts_register_as_operator(&c, &d) || mpavs_contracts_deposit(&c, &d, &amount) ||
             mpavs_contracts_opt_in(&c, &d, key, bls, q0, 1, sock ? sock : "devnet", salt,
                                 (uint64_t)time(NULL) + 3600) ||
             mpavs_contracts_operator_id(&c, &d, mpavs_sender_address(c.sender), id))
        rc = cli_error("devnet register-operator: %s", c.error.message);
    else
        cli_print_hex(id, 32);
    mpavs_wipe(key, sizeof key);
    mpavs_wipe(bls, sizeof bls);
    mpavs_wipe(fkey, sizeof fkey);
    close_ctx(&c);
    return rc;
}

static int add_pck(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) {
        cli_help("NAME\n    mpavs devnet add-pck - register a PCK key with the on-chain quote verifier\n\n"
                 "SYNOPSIS\n    mpavs devnet add-pck --rpc-url URL --private-key 0xOWNER_KEY --deployment deployment.json\n"
                 "                         (--devnet-ca DIR | --quote FILE)\n\n"
                 "DESCRIPTION\n"
                 "    Registers with the SgxQuoteVerifier (owner only) the PCK leaf public key carried in the\n"
                 "    certification data of an SGX v3 quote (--quote, raw bytes) or of a quote made by the devnet\n"
                 "    CA in DIR. Verify a real quote's PCK chain off-chain first (`mpavs quote verify`).\n\n"
                 "OPTIONS\n"
                 "  --rpc-url URL, --deployment FILE   the node (default: env ETH_RPC_URL) and the deployment JSON\n"
                 "  --private-key 0xKEY   the verifier's owner (the deployer)\n"
                 "  --devnet-ca DIR       a devnet CA directory (`mpavs attest devnet-ca`)\n"
                 "  --quote FILE          a raw quote file\n\n"
                 "EXAMPLES\n"
                 "    mpavs devnet add-pck --rpc-url http://127.0.0.1:8545 --private-key 0xac09… \\\n"
                 "        --deployment d.json --devnet-ca .devnet/ca\n");
        return 0;
    }
    cli_args a;
    if (!cli_args_init(&a, argc, argv)) return 2;
    const char *url = cli_rpc_url(&a), *dep = cli_opt(&a, "deployment"), *keyhex = cli_opt(&a, "private-key");
    const char *ca = cli_opt(&a, "devnet-ca"), *qf = cli_opt(&a, "quote");
    char *pos[1];
    if (cli_positionals(&a, pos, 1) != 0) return 2;
    if (!url || !dep) return cli_usage_error("devnet add-pck: --rpc-url and --deployment are required");
    if (!ca == !qf) return cli_usage_error("devnet add-pck: give exactly one of --devnet-ca and --quote");
    uint8_t key[32];
    int rc = parse32(key, "add-pck", "private-key", keyhex);
    if (rc) return rc;
    mpavs_contracts_deployment d;
    mpavs_error err = {0};
    if (mpavs_devnet_deployment_load(&d, &err, dep)) return cli_error("devnet add-pck: %s", err.message);
    mpavs_contracts_ctx c;
    rc = open_ctx(&c, "add-pck", url, key);
    mpavs_wipe(key, sizeof key);
    if (rc) return rc;
    rc = register_pck(&c, &d, "add-pck", ca, qf);
    close_ctx(&c);
    return rc;
}

static const char STATUS_HELP[] =
    "NAME\n    mpavs devnet status - the on-chain view of a devnet deployment\n\n"
    "SYNOPSIS\n    mpavs devnet status [--deployment FILE] [--rpc-url URL] [--from-block N] [--last N] [--json]\n\n"
    "DESCRIPTION\n"
    "    Reads the chain and prints `key: value` lines and one line per item:\n"
    "      chain_id, rpc_url, block, block_time, service_manager;\n"
    "      operators: how many operators ever registered (RegistryCoordinator OperatorRegistered\n"
    "      events), then one line each: `operator ADDR id OPERATOR_ID registered_block N status\n"
    "      registered|deregistered quorums BITMAP [stake_quorum_Q STAKE]... liveness_valid_until T\n"
    "      live true|false prover ADDR` (liveness from the deployment's TEELivenessVerifier);\n"
    "      confirmed_states: how many StateConfirmed events the service manager emitted, then the\n"
    "      last --last of them: `state committee ID block N tx HASH metadata 0x.. state 0x..`.\n\n"
    "OPTIONS\n"
    "  --deployment FILE     deployment JSON (default .devnet/deployment.json)\n"
    "  --rpc-url URL         node (default: env ETH_RPC_URL, else the deployment's rpcUrl)\n"
    "  --from-block N        first block to scan for events (default 0)\n"
    "  --last N              how many confirmed states to list (default 10; 0: all)\n"
    "  --json                one JSON object: the keys above, \"operators\" (a count) and \"operator_list\"\n"
    "                        (objects with the line's fields; stakes under \"stake\" by quorum), \"confirmed_states\"\n"
    "                        and \"states\"\n\n"
    "EXAMPLES\n"
    "    mpavs devnet status\n"
    "    mpavs devnet status --deployment /tmp/deployment.json --rpc-url http://127.0.0.1:8545\n";

static void print_hex_inline(const uint8_t *b, size_t n) {
    fputs("0x", stdout);
    for (size_t i = 0; i < n; i++) printf("%02x", b[i]);
}

static bool same_operator(const mpavs_contracts_registration *x, const mpavs_contracts_registration *y) {
    return memcmp(x->operator_addr.bytes, y->operator_addr.bytes, 20) == 0;
}

/* "0x" + hex of b[0..n) as a JSON string (NULL when out of memory). */
static json_t *json_hex(const uint8_t *b, size_t n) {
    char *t = malloc(2 * n + 3);
    if (!t) return NULL;
    t[0] = '0';
    t[1] = 'x';
    for (size_t i = 0; i < n; i++) snprintf(t + 2 + 2 * i, 3, "%02x", b[i]);
    if (!n) t[2] = 0;
    json_t *v = json_string(t);
    free(t);
    return v;
}

/*
 * One line per distinct registered operator (latest standing and liveness), or with j their
 * objects in j.operator_list. Returns an exit code.
 */
static int status_operators(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d, uint64_t from, json_t *out) {
    mpavs_contracts_registration *regs = NULL;
    size_t n = 0;
    if (mpavs_contracts_registrations(c, d, &regs, &n, from)) return cli_error("devnet status: %s", c->error.message);
    size_t distinct = 0;
    for (size_t i = 0; i < n; i++) {
        bool later = false; /* each operator once, at its latest registration */
        for (size_t j = i + 1; j < n && !later; j++) later = same_operator(&regs[j], &regs[i]);
        distinct += !later;
    }
    json_t *list = NULL;
    if (out) {
        json_object_set_new(out, "operators", json_integer((json_int_t)distinct));
        json_object_set_new(out, "operator_list", list = json_array());
    } else {
        printf("operators: %zu\n", distinct);
    }
    mpavs_contracts_standing *st = calloc(1, sizeof *st);
    int rc = st ? 0 : cli_error("devnet status: out of memory");
    for (size_t i = 0; !rc && i < n; i++) {
        bool later = false;
        for (size_t j = i + 1; j < n && !later; j++) later = same_operator(&regs[j], &regs[i]);
        if (later) continue;
        mpavs_contracts_liveness lv;
        if (mpavs_contracts_operator_status(c, d, st, &regs[i].operator_addr) ||
            mpavs_contracts_liveness_status(c, &lv, &d->tee_liveness_verifier, regs[i].operator_id)) {
            rc = cli_error("devnet status: %s", c->error.message);
            break;
        }
        char a[43], bm[80], p[43];
        mpavs_address_to_checksum(a, &regs[i].operator_addr);
        mpavs_address_to_checksum(p, &lv.prover);
        (void)mpavs_u256_to_hex(bm, sizeof bm, &st->quorum_bitmap);
        if (list) {
            json_t *o = json_object(), *stk = json_object();
            json_object_set_new(o, "operator", json_string(a));
            json_object_set_new(o, "id", json_hex(regs[i].operator_id, 32));
            json_object_set_new(o, "registered_block", json_integer((json_int_t)regs[i].block_number));
            json_object_set_new(o, "status", json_string(st->avs_status == 1 ? "registered" : "deregistered"));
            json_object_set_new(o, "quorums", json_string(bm));
            for (unsigned q = 0; q < st->quorum_count; q++)
                if (mpavs_u256_bit(&st->quorum_bitmap, q)) {
                    char v[80], k[8];
                    (void)mpavs_u256_to_dec(v, sizeof v, &st->stake[q]);
                    snprintf(k, sizeof k, "%u", q);
                    json_object_set_new(stk, k, json_string(v));
                }
            json_object_set_new(o, "stake", stk);
            json_object_set_new(o, "liveness_valid_until", json_integer((json_int_t)lv.valid_until));
            json_object_set_new(o, "live", json_boolean(lv.live));
            json_object_set_new(o, "prover", json_string(p));
            json_array_append_new(list, o);
            continue;
        }
        printf("operator %s id ", a);
        print_hex_inline(regs[i].operator_id, 32);
        printf(" registered_block %llu status %s quorums %s", (unsigned long long)regs[i].block_number,
               st->avs_status == 1 ? "registered" : "deregistered", bm);
        for (unsigned q = 0; q < st->quorum_count; q++)
            if (mpavs_u256_bit(&st->quorum_bitmap, q)) {
                char v[80];
                (void)mpavs_u256_to_dec(v, sizeof v, &st->stake[q]);
                printf(" stake_quorum_%u %s", q, v);
            }
        printf(" liveness_valid_until %llu live %s prover %s\n", (unsigned long long)lv.valid_until,
               lv.live ? "true" : "false", p);
    }
    free(st);
    free(regs);
    return rc;
}

/* The count of StateConfirmed events and the last `last` of them. Returns an exit code. */
static int status_confirmations(mpavs_contracts_ctx *c, const mpavs_contracts_deployment *d, uint64_t from, size_t last,
                                json_t *j) {
    mpavs_contracts_confirmation *cs = NULL;
    size_t n = 0;
    if (mpavs_contracts_confirmations(c, d, &cs, &n, from)) return cli_error("devnet status: %s", c->error.message);
    json_t *list = NULL;
    if (j) {
        json_object_set_new(j, "confirmed_states", json_integer((json_int_t)n));
        json_object_set_new(j, "states", list = json_array());
    } else {
        printf("confirmed_states: %zu\n", n);
    }
    for (size_t i = last && n > last ? n - last : 0; i < n; i++) {
        if (list) {
            json_t *o = json_object();
            json_object_set_new(o, "committee", json_integer((json_int_t)cs[i].committee_id));
            json_object_set_new(o, "block", json_integer((json_int_t)cs[i].block_number));
            json_object_set_new(o, "tx", json_hex(cs[i].tx_hash, 32));
            json_object_set_new(o, "metadata", json_hex(cs[i].metadata, cs[i].metadata_len));
            json_object_set_new(o, "state", json_hex(cs[i].state, cs[i].state_len));
            json_array_append_new(list, o);
            continue;
        }
        printf("state committee %llu block %llu tx ", (unsigned long long)cs[i].committee_id,
               (unsigned long long)cs[i].block_number);
        print_hex_inline(cs[i].tx_hash, 32);
        fputs(" metadata ", stdout);
        print_hex_inline(cs[i].metadata, cs[i].metadata_len);
        fputs(" state ", stdout);
        print_hex_inline(cs[i].state, cs[i].state_len);
        putchar('\n');
    }
    mpavs_contracts_confirmations_free(cs, n);
    return 0;
}

/* A decimal/hex option below 2^bits into *out (unchanged when absent). Returns 0 or 2. */
static int parse_count(uint64_t *out, const char *s, unsigned bits, const char *what) {
    if (!s) return 0;
    mpavs_u256 v;
    if (mpavs_u256_parse(&v, s, strlen(s)) || mpavs_u256_bits(&v) > bits)
        return cli_usage_error("devnet status: %s: expected a number", what);
    *out = v.w[0];
    return 0;
}

static int status(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) return cli_help(STATUS_HELP);
    cli_args a;
    if (!cli_args_init(&a, argc, argv)) return 2;
    const char *dep = cli_opt(&a, "deployment"), *url = cli_rpc_url(&a);
    bool js = cli_flag(&a, "json");
    uint64_t from = 0, last = 10;
    int rc = parse_count(&from, cli_opt(&a, "from-block"), 63, "--from-block");
    if (!rc) rc = parse_count(&last, cli_opt(&a, "last"), 31, "--last");
    char *pos[1];
    if (rc || cli_positionals(&a, pos, 1) != 0) return 2;
    if (!dep) dep = ".devnet/deployment.json";
    mpavs_contracts_deployment d;
    mpavs_error err = {0};
    char rpc_url[2048];
    if (mpavs_devnet_deployment_load(&d, &err, dep)) return cli_error("devnet status: %s", err.message);
    if (url) snprintf(rpc_url, sizeof rpc_url, "%s", url);
    else if (mpavs_devnet_deployment_string(rpc_url, sizeof rpc_url, dep, "rpcUrl"))
        return cli_usage_error("devnet status: %s has no rpcUrl: give --rpc-url", dep);
    mpavs_contracts_ctx c;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    mpavs_rpc *rpc = mpavs_rpc_create(rpc_url, NULL);
    if (!rpc) return cli_usage_error("devnet status: unusable RPC URL %s", rpc_url);
    if (mpavs_contracts_init(&c, rpc, NULL)) { /* no sender: read-only */
        mpavs_contracts_clear(&c);
        mpavs_rpc_destroy(rpc);
        return cli_error("devnet status: out of memory");
    }
    mpavs_error e = {0};
    mpavs_rpc_block b = {0};
    bool found = false;
    uint64_t cid = 0;
    int r = mpavs_rpc_chain_id(c.rpc, &cid, &e);
    if (!r) r = mpavs_rpc_get_block_by_number(c.rpc, &b, &found, &e, "latest");
    if (r || !found)
        rc = cli_error("devnet status: %s: %s (%s)", rpc_url, r ? mpavs_rpc_strerror(r) : "no latest block", e.message);
    else if (cid != d.chain_id)
        rc = cli_error("devnet status: %s is chain %llu but %s is for chain %llu", rpc_url, (unsigned long long)cid, dep,
                       (unsigned long long)d.chain_id);
    mpavs_error_clear(&e);
    json_t *j = NULL;
    if (!rc) {
        char sm[43];
        mpavs_address_to_checksum(sm, &d.service_manager);
        if (js) {
            j = json_object();
            json_object_set_new(j, "chain_id", json_integer((json_int_t)cid));
            json_object_set_new(j, "rpc_url", json_string(rpc_url));
            json_object_set_new(j, "block", json_integer((json_int_t)b.number));
            json_object_set_new(j, "block_time", json_integer((json_int_t)b.timestamp));
            json_object_set_new(j, "service_manager", json_string(sm));
        } else {
            printf("chain_id: %llu\nrpc_url: %s\nblock: %llu\nblock_time: %llu\nservice_manager: %s\n",
                   (unsigned long long)cid, rpc_url, (unsigned long long)b.number, (unsigned long long)b.timestamp, sm);
        }
        rc = status_operators(&c, &d, from, j);
    }
    if (!rc) rc = status_confirmations(&c, &d, from, (size_t)last, j);
    if (!rc && j) {
        char *t = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
        if (t) puts(t);
        else rc = cli_error("devnet status: out of memory");
        free(t);
    }
    json_decref(j);
    mpavs_rpc_block_clear(&b);
    mpavs_rpc_destroy(c.rpc);
    mpavs_contracts_clear(&c);
    return rc;
}

/* The subcommand table: one line per subcommand (others live in their own files, e.g. `up`). */
static const cli_command DEVNET_SUB[] = {
    {"deploy", "deploy the devnet contract stack and write deployment.json", deploy},
    {"register-operator", "register, deposit and opt an operator into quorum 0", register_operator},
    {"add-pck", "register a quote's PCK key with the on-chain quote verifier", add_pck},
    {"status", "on-chain view: operators, stakes, liveness, confirmed states", status},
    {"up", "run the whole system on local chains (make devnet)", cmd_devnet_up},
};

int cmd_devnet(int argc, char **argv) {
    return cli_dispatch("mpavs devnet", DEVNET_SUB, sizeof DEVNET_SUB / sizeof DEVNET_SUB[0], argc, argv);
}
