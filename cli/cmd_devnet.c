/* mpavs devnet deploy | register-operator — deploy the devnet contract stack and onboard operators. */
#include "cli.h"
#include "commands.h"
#include "devnet_up.h"

#include "mpavs/bls.h"
#include "mpavs/dcap.h"
#include "mpavs/devnet.h"
#include "mpavs/hex.h"

#include <curl/curl.h>
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
static int open_ctx(mpavs_devnet_ctx *c, const char *cmd, const char *url, const uint8_t key[32]) {
    memset(c, 0, sizeof *c);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    c->rpc = mpavs_rpc_create(url, NULL);
    if (!c->rpc) return cli_usage_error("devnet %s: unusable --rpc-url %s", cmd, url);
    mpavs_rpc_error e = {0};
    int r = mpavs_sender_create(&c->sender, &e, c->rpc, key, NULL);
    if (r) {
        cli_error("devnet %s: %s: %s (%s)", cmd, url, mpavs_sender_strerror(r), e.message);
        mpavs_rpc_error_clear(&e);
        mpavs_rpc_destroy(c->rpc);
        c->rpc = NULL;
        return r == MPAVS_SENDER_ERR_SIGN ? 2 : 1;
    }
    return 0;
}

static void close_ctx(mpavs_devnet_ctx *c) {
    mpavs_sender_destroy(c->sender);
    mpavs_rpc_destroy(c->rpc);
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
static int register_pck(mpavs_devnet_ctx *c, const mpavs_devnet_deployment *d, const char *cmd, const char *ca,
                        const char *quote_file) {
    size_t qlen = 0;
    uint8_t *q = ca ? devnet_quote(cmd, ca, &qlen) : cli_read_file(quote_file, &qlen);
    if (!q) return ca ? 1 : cli_error("devnet %s: cannot read %s", cmd, quote_file);
    int rc = 0;
    if (mpavs_devnet_add_pck_key_from_quote(c, d, q, qlen)) rc = cli_error("devnet %s: %s", cmd, c->error);
    free(q);
    return rc;
}

static int deploy(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) {
        puts("usage: mpavs devnet deploy --rpc-url URL --private-key 0xKEY --out deployment.json\n"
             "                           [--artifacts contracts/out] [--min-stake WEI] [--poa]\n"
             "                           [--mrenclave 0xMRENCLAVE] [--devnet-ca DIR]\n\n"
             "Deploys the devnet stack from forge artifacts (run `forge build` in contracts/ first):\n"
             "EigenLayer-compatible core and middleware behind proxies (admin = the deployer),\n"
             "quorum 0 with the test-token strategy and --min-stake (default 1e16), the\n"
             "MultiProverServiceManager with TEE quorum {INTEL_SGX, 0} and committee 3 (state\n"
             "confirmer, owner and managers = the deployer; --poa enables the PoA whitelist), the\n"
             "SgxQuoteVerifier (devnet QE identity), AttestationVerifier (allow-list disabled unless\n"
             "--mrenclave) and TEELivenessVerifier. --devnet-ca DIR (from `mpavs attest devnet-ca`)\n"
             "also registers that hierarchy's PCK key. Writes every address to --out as JSON.\n"
             "Needs the P-256 precompile for on-chain quotes (anvil --hardfork osaka).");
        return 0;
    }
    cli_args a;
    if (!cli_args_init(&a, argc, argv)) return 2;
    const char *url = cli_opt(&a, "rpc-url"), *keyhex = cli_opt(&a, "private-key"), *out = cli_opt(&a, "out");
    const char *art = cli_opt(&a, "artifacts"), *ms = cli_opt(&a, "min-stake"), *mre = cli_opt(&a, "mrenclave");
    const char *ca = cli_opt(&a, "devnet-ca");
    bool poa = cli_flag(&a, "poa");
    char *pos[1];
    if (cli_positionals(&a, pos, 1) != 0) return 2;
    if (!url) return cli_usage_error("devnet deploy: --rpc-url URL is required");
    if (!out) return cli_usage_error("devnet deploy: --out FILE is required");
    uint8_t key[32], mr[32];
    int rc = parse32(key, "deploy", "private-key", keyhex);
    if (rc) return rc;
    mpavs_devnet_deploy_options opt = {.artifacts_dir = art, .poa_enabled = poa};
    if (ms && (mpavs_u256_parse(&opt.min_stake, ms, strlen(ms)) || mpavs_u256_is_zero(&opt.min_stake)))
        return cli_usage_error("devnet deploy: --min-stake: expected a positive integer");
    if (mre) {
        if ((rc = parse32(mr, "deploy", "mrenclave", mre))) return rc;
        opt.mr_enclave = mr;
    }
    mpavs_devnet_ctx c;
    if ((rc = open_ctx(&c, "deploy", url, key))) return rc;
    mpavs_wipe(key, sizeof key);
    mpavs_devnet_deployment d;
    int r = mpavs_devnet_deploy(&c, &d, &opt);
    if (r) rc = cli_error("devnet deploy: %s", c.error);
    if (!rc && (r = mpavs_devnet_deployment_save(&d, out)))
        rc = cli_error("devnet deploy: cannot write %s: %s", out, mpavs_devnet_strerror(r));
    if (!rc) fprintf(stderr, "devnet stack deployed on chain %llu; addresses in %s\n", (unsigned long long)d.chain_id, out);
    if (!rc && ca) rc = register_pck(&c, &d, "deploy", ca, NULL); /* retry with `devnet add-pck` */
    close_ctx(&c);
    return rc;
}

static int register_operator(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) {
        puts("usage: mpavs devnet register-operator --rpc-url URL --deployment deployment.json\n"
             "           --private-key 0xOPERATOR_KEY --bls-key 0xBLS_SECRET [--deposit WEI]\n"
             "           [--funder-key 0xDEPLOYER_KEY] [--socket TEXT]\n\n"
             "Onboards the operator of --private-key: (with --funder-key) transfers --deposit test\n"
             "tokens to it, registers it as an EigenLayer operator, deposits --deposit (default\n"
             "1e18) into the strategy, and opts it into quorum 0 with the BLS proof of possession\n"
             "and the AVSDirectory signature. Prints the operator id (keccak of the G1 pubkey).");
        return 0;
    }
    cli_args a;
    if (!cli_args_init(&a, argc, argv)) return 2;
    const char *url = cli_opt(&a, "rpc-url"), *dep = cli_opt(&a, "deployment"), *keyhex = cli_opt(&a, "private-key");
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
    mpavs_devnet_deployment d;
    char err[512];
    if (mpavs_devnet_deployment_load(&d, dep, err, sizeof err)) return cli_error("devnet register-operator: %s", err);
    mpavs_devnet_ctx c;
    if (funder) {
        if ((rc = open_ctx(&c, "register-operator", url, fkey))) return rc;
        mpavs_address to;
        mpavs_ecdsa_ctx *ec = mpavs_ecdsa_ctx_create();
        if (!ec || mpavs_ecdsa_seckey_to_address(ec, &to, key)) rc = cli_error("devnet register-operator: bad key");
        else if (mpavs_devnet_token_transfer(&c, &d, &to, &amount)) rc = cli_error("devnet register-operator: %s", c.error);
        mpavs_ecdsa_ctx_destroy(ec);
        close_ctx(&c);
        if (rc) return rc;
    }
    if ((rc = open_ctx(&c, "register-operator", url, key))) return rc;
    uint8_t salt[32], id[32];
    static const uint8_t q0[1] = {0};
    if (mpavs_random_bytes(salt, sizeof salt)) rc = cli_error("devnet register-operator: no randomness");
    else if (mpavs_devnet_register_as_operator(&c, &d) || mpavs_devnet_deposit(&c, &d, &amount) ||
             mpavs_devnet_opt_in(&c, &d, key, bls, q0, 1, sock ? sock : "devnet", salt,
                                 (uint64_t)time(NULL) + 3600) ||
             mpavs_devnet_operator_id(&c, &d, mpavs_sender_address(c.sender), id))
        rc = cli_error("devnet register-operator: %s", c.error);
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
        puts("usage: mpavs devnet add-pck --rpc-url URL --private-key 0xOWNER_KEY --deployment deployment.json\n"
             "                            (--devnet-ca DIR | --quote FILE)\n\n"
             "Registers with the SgxQuoteVerifier (owner only) the PCK leaf public key carried in the\n"
             "certification data of an SGX v3 quote (--quote, raw bytes) or of a quote made by the\n"
             "devnet CA in DIR. Verify a real quote's PCK chain off-chain first (`mpavs quote verify`).");
        return 0;
    }
    cli_args a;
    if (!cli_args_init(&a, argc, argv)) return 2;
    const char *url = cli_opt(&a, "rpc-url"), *dep = cli_opt(&a, "deployment"), *keyhex = cli_opt(&a, "private-key");
    const char *ca = cli_opt(&a, "devnet-ca"), *qf = cli_opt(&a, "quote");
    char *pos[1];
    if (cli_positionals(&a, pos, 1) != 0) return 2;
    if (!url || !dep) return cli_usage_error("devnet add-pck: --rpc-url and --deployment are required");
    if (!ca == !qf) return cli_usage_error("devnet add-pck: give exactly one of --devnet-ca and --quote");
    uint8_t key[32];
    int rc = parse32(key, "add-pck", "private-key", keyhex);
    if (rc) return rc;
    mpavs_devnet_deployment d;
    char err[512];
    if (mpavs_devnet_deployment_load(&d, dep, err, sizeof err)) return cli_error("devnet add-pck: %s", err);
    mpavs_devnet_ctx c;
    rc = open_ctx(&c, "add-pck", url, key);
    mpavs_wipe(key, sizeof key);
    if (rc) return rc;
    rc = register_pck(&c, &d, "add-pck", ca, qf);
    close_ctx(&c);
    return rc;
}

int cmd_devnet(int argc, char **argv) {
    static const cli_command SUB[] = {
        {"deploy", "deploy the devnet contract stack and write deployment.json", deploy},
        {"register-operator", "register, deposit and opt an operator into quorum 0", register_operator},
        {"add-pck", "register a quote's PCK key with the on-chain quote verifier", add_pck},
        {"up", "run the whole system on local chains (make devnet)", cmd_devnet_up},
    };
    return cli_dispatch("mpavs devnet", SUB, sizeof SUB / sizeof SUB[0], argc, argv);
}
