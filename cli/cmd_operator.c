/*
 * mpavs operator keys|register|update|deposit|opt-in|opt-out|status — operator onboarding on mainnet,
 * Hoodi, Sepolia, a custom network or the devnet, following eigenlayer-cli's conventions (key files in
 * ~/.eigenlayer/operator_keys, NAME.bls.key.json / NAME.ecdsa.key.json) and the reference's
 * oprtool (opt-in, opt-out, deposit). Chain work is done by src/devnet/ (mpavs/devnet.h) on a
 * deployment description filled from mpavs/presets.h, a devnet deployment file or flags.
 */
#include "cli.h"
#include "commands.h"
#include "netcfg.h"

#include "mpavs/bls.h"
#include "mpavs/devnet.h"
#include "mpavs/ecdsa.h"
#include "mpavs/hex.h"
#include "mpavs/keystore.h"
#include "mpavs/presets.h"

#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_KEY_NAME "operator"
#define MIN_PASSWORD_LEN 8

/* ---------------- help texts ---------------- */

#define KEYDIR_OPTS                                                                                                \
    "  --keys-dir DIR        key directory (default $HOME/.eigenlayer/operator_keys)\n"                            \
    "  --password-file F     read the key password from F (else env MPAVS_KEY_PASSWORD, else a prompt\n"          \
    "                        on the terminal without echo)\n"

#define SIGNER_OPTS                                                                                                \
    "  --key NAME            key name in --keys-dir (default " DEFAULT_KEY_NAME ")\n"                              \
    "  --ecdsa-key-file F    operator ECDSA key file (default <keys-dir>/<NAME>.ecdsa.key.json)\n"               \
    KEYDIR_OPTS                                                                                                    \
    "  --yes                 do not ask before sending\n"                                                         \
    "  --dry-run             simulate every transaction (eth_estimateGas, eth_call), print the plan, send nothing\n"\
    "  --gas-limit N         never use a larger gas limit (default estimate + 25%; env ETH_GAS_LIMIT)\n"           \
    "  --max-fee-per-gas F   never pay more per gas, fee bumps included (wei, or e.g. 20gwei; env ETH_GAS_PRICE)\n"\
    "  --max-priority-fee-per-gas F  never tip more per gas (env ETH_PRIORITY_GAS_PRICE)\n"                      \
    "  --legacy              send type-0 transactions priced from eth_gasPrice (capped by --max-fee-per-gas)\n"   \
    "                        Every transaction is simulated first: the plan shows its estimated gas and maximum\n" \
    "                        cost; each sent transaction's hash is printed. ETH_FROM, when set, must be the key's\n"\
    "                        address.\n"

static const char KEYS_CREATE_HELP[] =
    "NAME\n    mpavs operator keys create - generate an operator key file\n\n"
    "SYNOPSIS\n    mpavs operator keys create --key-type bls|ecdsa [--keys-dir DIR] [--password-file F]\n"
    "                               [--insecure-scrypt] NAME\n\n"
    "DESCRIPTION\n"
    "    Generates a key and writes it, encrypted with the password, to <keys-dir>/NAME.bls.key.json\n"
    "    (eigensdk BLS key file) or <keys-dir>/NAME.ecdsa.key.json (Web3 Secret Storage v3), mode\n"
    "    0600. An existing file is never overwritten. On a terminal the password is asked twice.\n"
    "    Prints the public parts (as `keys show`) and the path. Back the file and password up: a\n"
    "    lost BLS key means re-registering the operator.\n\n"
    "OPTIONS\n"
    "  --key-type TYPE       bls or ecdsa\n" KEYDIR_OPTS
    "  --insecure-scrypt     scrypt n = 2^12 instead of 2^18 (tests only)\n"
    "  --allow-short-password  accept a password of fewer than 8 characters (refused by default)\n\n"
    "EXAMPLES\n"
    "    mpavs operator keys create --key-type ecdsa operator\n"
    "    mpavs operator keys create --key-type bls operator\n";

static const char KEYS_IMPORT_HELP[] =
    "NAME\n    mpavs operator keys import - encrypt an existing secret into an operator key file\n\n"
    "SYNOPSIS\n    mpavs operator keys import --key-type bls|ecdsa [--keys-dir DIR] [--password-file F]\n"
    "                               [--insecure-scrypt] NAME 0xSECRET|-\n\n"
    "DESCRIPTION\n"
    "    As `keys create` with a given secret: ECDSA 0x + 64 hex digits; BLS 0x hex or decimal in\n"
    "    [1, r). \"-\" reads the secret from standard input (keeps it out of the shell history).\n\n"
    "OPTIONS\n"
    "  --key-type TYPE       bls or ecdsa\n" KEYDIR_OPTS
    "  --insecure-scrypt     scrypt n = 2^12 (tests only)\n"
    "  --allow-short-password  accept a password of fewer than 8 characters (refused by default)\n\n"
    "EXAMPLES\n"
    "    echo 0x<64 hex digits> | mpavs operator keys import --key-type ecdsa operator -\n";

static const char KEYS_LIST_HELP[] =
    "NAME\n    mpavs operator keys list - list the operator key files\n\n"
    "SYNOPSIS\n    mpavs operator keys list [--keys-dir DIR] [--json]\n\n"
    "DESCRIPTION\n"
    "    One line per key file in the directory: name, type, public identity (ECDSA address from the\n"
    "    file's address field; BLS operatorId from its pubKey field), path. Needs no password.\n\n"
    "OPTIONS\n"
    "  --keys-dir DIR        key directory (default $HOME/.eigenlayer/operator_keys)\n"
    "  --json                a JSON array of {name, type, address | operator_id, path}\n\n"
    "EXAMPLES\n    mpavs operator keys list\n";

static const char KEYS_SHOW_HELP[] =
    "NAME\n    mpavs operator keys show - decrypt a key file and print its public parts\n\n"
    "SYNOPSIS\n    mpavs operator keys show [--key-type bls|ecdsa] [--keys-dir DIR] [--password-file F] [--json] NAME\n\n"
    "DESCRIPTION\n"
    "    Decrypts NAME.ecdsa.key.json and/or NAME.bls.key.json (both when --key-type is absent and\n"
    "    both exist) and prints public parts only: the ECDSA address; the BLS G1 key (x, y), G2 key\n"
    "    (x.im, x.re, y.im, y.re) and operatorId = keccak256(G1.x || G1.y). Secrets are never printed.\n"
    "    Exit 1 on a wrong password.\n\n"
    "OPTIONS\n"
    "  --key-type TYPE       only this file\n"
    "  --json                a JSON array with one object per file (the same keys)\n" KEYDIR_OPTS "\n"
    "EXAMPLES\n    MPAVS_KEY_PASSWORD=... mpavs operator keys show operator\n";

static const char KEYS_EXPORT_HELP[] =
    "NAME\n    mpavs operator keys export - decrypt a key file and print its private key\n\n"
    "SYNOPSIS\n    mpavs operator keys export --key-type bls|ecdsa [--keys-dir DIR] [--password-file F] [--yes] NAME\n\n"
    "DESCRIPTION\n"
    "    Prints the secret of NAME.ecdsa.key.json (0x + 64 hex digits) or NAME.bls.key.json (0x + 64 hex\n"
    "    digits, the BN254 scalar) on standard output, after a warning on standard error and the\n"
    "    question `Print the private key? [y/N]` (answer read from standard input; --yes skips it).\n"
    "    Anyone who sees the output controls the key: print it only to move it into another key store.\n"
    "    `keys import` reads it back.\n\n"
    "OPTIONS\n"
    "  --key-type TYPE       bls or ecdsa\n" KEYDIR_OPTS
    "  --yes                 do not ask (the warning is still printed)\n\n"
    "EXAMPLES\n    mpavs operator keys export --key-type ecdsa operator\n";

static const char REGISTER_HELP[] =
    "NAME\n    mpavs operator register - register the key's account as an EigenLayer operator\n\n"
    "SYNOPSIS\n    mpavs operator register --network NAME [operator.yaml] [--earnings-receiver ADDR]\n"
    "                            [--delegation-approver ADDR] [--staker-opt-out-window-blocks N]\n"
    "                            [--allocation-delay N] [--metadata-uri URL] [network options] [signer options]\n\n"
    "DESCRIPTION\n"
    "    Registers the operator's ECDSA key's account with the DelegationManager, in the form that\n"
    "    DelegationManager has, found before sending by an eth_call of allocationManager() (a view\n"
    "    only the slashing release has; the plan says which form was found):\n"
    "      slashing release (mainnet, hoodi, sepolia): registerAsOperator(initDelegationApprover,\n"
    "        allocationDelay, metadataURI); the allocation delay (blocks, default 0, at most 2^32-1\n"
    "        and such that block + delay fits in 32 bits) takes effect ALLOCATION_CONFIGURATION_DELAY + 1\n"
    "        blocks later;\n"
    "      EigenLayer M2 (devnet): registerAsOperator((earningsReceiver, delegationApprover,\n"
    "        stakerOptOutWindowBlocks), metadataURI).\n"
    "    The fields come from eigenlayer-cli's operator.yaml when given (operator.address, which must\n"
    "    be the key's; operator.earnings_address; operator.delegation_approver_address;\n"
    "    operator.staker_opt_out_window_blocks; operator.allocation_delay; operator.metadata_url;\n"
    "    chain_id, which must be the network's), then from the flags; defaults: earnings to the\n"
    "    operator, no approver, window 0, allocation delay 0, no metadata URI. The file's fields the\n"
    "    DelegationManager does not have are ignored; a flag naming one is refused (exit 2). Does\n"
    "    nothing when the account already is an operator.\n\n"
    "OPTIONS\n"
    "  --earnings-receiver ADDR, --staker-opt-out-window-blocks N   (M2 only)\n"
    "  --allocation-delay N  (slashing release only)\n"
    "  --delegation-approver ADDR, --metadata-uri URL\n"
    "                        override operator.yaml's fields\n" NETWORK_OPTS SIGNER_OPTS "\n"
    "EXAMPLES\n    mpavs operator register --network hoodi --deployment avs-hoodi.json operator.yaml --dry-run\n"
    "    mpavs operator register --network mainnet operator.yaml --max-fee-per-gas 30gwei\n";

static const char UPDATE_HELP[] =
    "NAME\n    mpavs operator update - change a registered EigenLayer operator's details and metadata URI\n\n"
    "SYNOPSIS\n    mpavs operator update --network NAME [operator.yaml] [--earnings-receiver ADDR]\n"
    "                          [--delegation-approver ADDR] [--staker-opt-out-window-blocks N]\n"
    "                          [--metadata-uri URL] [network options] [signer options]\n\n"
    "DESCRIPTION\n"
    "    Finds the DelegationManager's form as register does, reads the current details, applies the\n"
    "    fields given (operator.yaml as for register, then the flags; fields not given keep their\n"
    "    value) and sends only what changed:\n"
    "      slashing release: reads delegationApprover(operator); sends\n"
    "        modifyOperatorDetails(operator, newDelegationApprover) when the approver differs and\n"
    "        updateOperatorMetadataURI(operator, metadataURI) when a URI is given. The allocation\n"
    "        delay is not changed (--allocation-delay is refused: it is the AllocationManager's\n"
    "        setAllocationDelay);\n"
    "      EigenLayer M2: reads operatorDetails(operator); sends modifyOperatorDetails((earningsReceiver,\n"
    "        delegationApprover, stakerOptOutWindowBlocks)) when a detail differs and\n"
    "        updateOperatorMetadataURI(metadataURI) when a URI is given. The staker opt-out window\n"
    "        can only grow: a smaller one is refused before sending.\n"
    "    The contract only emits the URI, so a given URI is always sent. The account must be an\n"
    "    EigenLayer operator (mpavs operator register). Nothing changed: nothing is sent (exit 0).\n\n"
    "OPTIONS\n"
    "  --earnings-receiver ADDR, --staker-opt-out-window-blocks N   (M2 only)\n"
    "  --delegation-approver ADDR, --metadata-uri URL\n"
    "                        override operator.yaml's fields\n" NETWORK_OPTS SIGNER_OPTS "\n"
    "EXAMPLES\n    mpavs operator update --network mainnet operator.yaml --dry-run\n"
    "    mpavs operator update --network hoodi --deployment avs-hoodi.json --metadata-uri https://example.com/op.json\n";

static const char DEPOSIT_HELP[] =
    "NAME\n    mpavs operator deposit - restake tokens into an EigenLayer strategy\n\n"
    "SYNOPSIS\n    mpavs operator deposit --network NAME --amount N [--wei] [--strategy ADDR] [network options]\n"
    "                           [signer options]\n"
    "    mpavs operator deposit --network NAME --check [--operator ADDR] [--strategy ADDR] [network options]\n\n"
    "DESCRIPTION\n"
    "    Requires the account to be an operator. Reads the strategy's underlyingToken(), its decimals(),\n"
    "    the account's balance and its allowance for the StrategyManager; refuses before sending anything\n"
    "    when the balance is below the amount. Sends token.approve(StrategyManager, amount) only when the\n"
    "    allowance does not cover the amount, then StrategyManager.depositIntoStrategy(strategy, token,\n"
    "    amount). Prints DelegationManager.operatorShares(operator, strategy). --check only prints the\n"
    "    shares and needs no password (the operator from --operator, ETH_FROM or the key file's address).\n\n"
    "OPTIONS\n"
    "  --amount N            amount in token units (\"2.5\"; scaled by the token's decimals read from chain)\n"
    "  --wei                 --amount is in the token's smallest unit\n"
    "  --strategy ADDR       strategy (required on mainnet, hoodi, sepolia unless the deployment file has one;\n"
    "                        devnet: the test-token strategy)\n"
    "  --check               only print the operator's shares (read-only)\n"
    "  --operator ADDR       with --check: the operator\n" NETWORK_OPTS SIGNER_OPTS "\n"
    "EXAMPLES\n"
    "    mpavs operator deposit --network hoodi --deployment avs-hoodi.json --strategy 0x... --amount 32\n"
    "    mpavs operator deposit --network mainnet --strategy 0x... --amount 1000000000000000000 --wei --dry-run\n";

static const char OPTIN_HELP[] =
    "NAME\n    mpavs operator opt-in - register the operator with the AVS in some quorums\n\n"
    "SYNOPSIS\n    mpavs operator opt-in --network NAME [--quorums 0[,1]] [--socket TEXT] [--sig-valid-secs S]\n"
    "                          [--bls-key-file F] [--bls-password-file F] [network options] [signer options]\n\n"
    "DESCRIPTION\n"
    "    Sends RegistryCoordinator.registerOperator(quorumNumbers, socket, pubkeyParams,\n"
    "    operatorSignature): the BLS proof of possession signs pubkeyRegistrationMessageHash(operator)\n"
    "    read from the chain; the ECDSA signature signs AVSDirectory.\n"
    "    calculateOperatorAVSRegistrationDigestHash(operator, serviceManager, salt, expiry) read from\n"
    "    the chain, with a random salt and expiry = now + --sig-valid-secs. Refuses early when the\n"
    "    PoA whitelist is enabled and the operator is not on it. Prints the operatorId.\n\n"
    "OPTIONS\n"
    "  --quorums LIST        comma-separated quorum numbers (default 0)\n"
    "  --socket TEXT         socket string stored on chain (default \"Not Needed\")\n"
    "  --sig-valid-secs S    validity of the AVSDirectory signature (default 1000000)\n"
    "  --bls-key-file F      BLS key file (default <keys-dir>/<NAME>.bls.key.json)\n"
    "  --bls-password-file F its password (default: as the ECDSA key's)\n" NETWORK_OPTS SIGNER_OPTS "\n"
    "EXAMPLES\n    mpavs operator opt-in --network hoodi --deployment avs-hoodi.json --quorums 0\n";

static const char OPTOUT_HELP[] =
    "NAME\n    mpavs operator opt-out - deregister the operator from AVS quorums\n\n"
    "SYNOPSIS\n    mpavs operator opt-out --network NAME [--quorums 0[,1]] [network options] [signer options]\n\n"
    "DESCRIPTION\n    Sends RegistryCoordinator.deregisterOperator(quorumNumbers) from the operator's key.\n\n"
    "OPTIONS\n"
    "  --quorums LIST        comma-separated quorum numbers (default 0)\n" NETWORK_OPTS SIGNER_OPTS "\n"
    "EXAMPLES\n    mpavs operator opt-out --network hoodi --deployment avs-hoodi.json --quorums 0\n";

static const char STATUS_HELP[] =
    "NAME\n    mpavs operator status - an operator's registration, stake and liveness\n\n"
    "SYNOPSIS\n    mpavs operator status --network NAME [--operator ADDR | --key NAME] [--attestation-profile P]\n"
    "                          [--liveness-verifier ADDR] [--attestation-rpc-url URL]\n"
    "                          [--attestation-address ADDR | --attestation-key-file F] [--json] [network options]\n\n"
    "DESCRIPTION\n"
    "    Prints one `key: value` line each: network, chain_id, operator, eigenlayer_operator,\n"
    "    delegation_manager_form (slashing or m2: whether allocationManager() answers; slashing adds\n"
    "    allocation_manager), for an operator delegation_approver and allocation_delay,\n"
    "    allocation_delay_set (slashing) or earnings_receiver, staker_opt_out_window_blocks (m2),\n"
    "    avs_status (never/registered/deregistered), operator_id, quorum_bitmap, stake_quorum_<q> for\n"
    "    each quorum the operator is in, poa_enabled, whitelisted, liveness_verifier, attested_at,\n"
    "    liveness_valid_until (attestedProvers(id).time + attestValiditySeconds; 0 = never), live,\n"
    "    attested_prover, and with an attestation account attestation_account and\n"
    "    attestation_balance_wei. No password is needed: the operator's address comes from --operator\n"
    "    or the ECDSA key file's address field, the BLS key id from the chain or the BLS key file.\n\n"
    "OPTIONS\n"
    "  --operator ADDR       the operator (default: env ETH_FROM, else the address in\n"
    "                        <keys-dir>/<NAME>.ecdsa.key.json)\n"
    "  --key NAME            key name in --keys-dir (default " DEFAULT_KEY_NAME ")\n"
    "  --keys-dir DIR        key directory (default $HOME/.eigenlayer/operator_keys)\n"
    "  --ecdsa-key-file F    read the operator address from F (default <keys-dir>/<NAME>.ecdsa.key.json)\n"
    "  --bls-key-file F      BLS key file for the liveness id when not registered\n"
    "                        (default <keys-dir>/<NAME>.bls.key.json)\n"
    "  --attestation-profile P  preset attestation layer (mainnet: optimism (default), automata)\n"
    "  --liveness-verifier ADDR  TEELivenessVerifier (overrides the profile / deployment)\n"
    "  --attestation-rpc-url URL  attestation chain RPC (default the profile's, else --rpc-url)\n"
    "  --attestation-address ADDR  account paying liveness transactions\n"
    "  --attestation-key-file F    file holding that account's hex private key (AttestationLayerEcdsaKeyFile)\n"
    "  --json                one JSON object with the same keys (booleans and small numbers typed; big\n"
    "                        numbers, addresses and hashes as strings)\n"
    NETWORK_OPTS "\n"
    "EXAMPLES\n    mpavs operator status --network mainnet --operator 0x...\n"
    "    ETH_RPC_URL=https://... mpavs operator status --network hoodi --deployment avs-hoodi.json\n";

/* ---------------- key files ---------------- */

/* The key directory: --keys-dir or $HOME/.eigenlayer/operator_keys. Returns 0 or 2. */
static int keys_dir(char *out, size_t cap, const char *opt) {
    if (opt) {
        if ((size_t)snprintf(out, cap, "%s", opt) >= cap) return cli_usage_error("operator: --keys-dir too long");
        return 0;
    }
    const char *home = getenv("HOME");
    if (!home || !*home) return cli_usage_error("operator: HOME is not set: give --keys-dir DIR");
    if ((size_t)snprintf(out, cap, "%s/.eigenlayer/operator_keys", home) >= cap)
        return cli_usage_error("operator: HOME too long");
    return 0;
}

/* mkdir -p with mode 0700 for the directories it creates. Returns 0 or 1. */
static int make_dirs(const char *dir) {
    char p[4096];
    if ((size_t)snprintf(p, sizeof p, "%s", dir) >= sizeof p) return cli_error("operator: path too long");
    for (char *s = p + 1;; s++) {
        bool end = *s == 0;
        if (*s == '/' || end) {
            *s = 0;
            if (mkdir(p, 0700) != 0 && errno != EEXIST) return cli_error("operator: cannot create %s: %s", p, strerror(errno));
            if (end) break;
            *s = '/';
        }
    }
    return 0;
}

/* Names are file-name safe: [A-Za-z0-9._-], not starting with '.', at most 100 characters. */
static bool valid_name(const char *n) {
    size_t len = strlen(n);
    if (!len || len > 100 || n[0] == '.') return false;
    for (size_t i = 0; i < len; i++) {
        char ch = n[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '.' ||
              ch == '_' || ch == '-'))
            return false;
    }
    return true;
}

static int key_path(char *out, size_t cap, const char *dir, const char *name, bool bls) {
    if ((size_t)snprintf(out, cap, "%s/%s.%s.key.json", dir, name, bls ? "bls" : "ecdsa") >= cap)
        return cli_usage_error("operator: key path too long");
    return 0;
}

/* --key-type: 1 bls, 0 ecdsa, -1 absent; 2 after a usage error. */
static int key_type(const char *t, bool required) {
    if (!t) return required ? (cli_usage_error("operator keys: --key-type bls|ecdsa is required"), 2) : -1;
    if (!strcmp(t, "bls")) return 1;
    if (!strcmp(t, "ecdsa")) return 0;
    cli_usage_error("operator keys: --key-type must be bls or ecdsa, not '%s'", t);
    return 2;
}

/* ---------------- passwords ---------------- */

/* Read one line from the terminal with echo off. Returns malloc'd text or NULL (no terminal). */
static char *tty_read_secret(const char *prompt) {
    int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) return NULL;
    struct termios old, quiet;
    bool restore = tcgetattr(fd, &old) == 0;
    if (restore) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        quiet.c_lflag |= ICANON;
        (void)tcsetattr(fd, TCSAFLUSH, &quiet);
    }
    char buf[1024];
    size_t n = 0;
    char ch;
    bool ok = write(fd, prompt, strlen(prompt)) >= 0;
    while (ok && n + 1 < sizeof buf && read(fd, &ch, 1) == 1 && ch != '\n') buf[n++] = ch;
    buf[n] = 0;
    if (restore) (void)tcsetattr(fd, TCSAFLUSH, &old);
    if (write(fd, "\n", 1) < 0) ok = false;
    close(fd);
    char *s = ok ? strdup(buf) : NULL;
    mpavs_wipe(buf, sizeof buf);
    return s;
}

/*
 * The password for `what`: --password-file, env MPAVS_KEY_PASSWORD, or a terminal prompt
 * (asked twice when confirm). Returns malloc'd text (wipe and free it) or NULL after a message.
 */
static char *get_password(const char *pwfile, const char *what, bool confirm) {
    if (pwfile) return cli_read_secret_file(pwfile);
    const char *env = getenv("MPAVS_KEY_PASSWORD");
    if (env) {
        char *s = strdup(env);
        if (!s) cli_error("operator: out of memory");
        return s;
    }
    char prompt[4200];
    snprintf(prompt, sizeof prompt, "Password for %s: ", what);
    char *pw = tty_read_secret(prompt);
    if (!pw) {
        cli_error("operator: no password: no terminal; give --password-file F or set MPAVS_KEY_PASSWORD");
        return NULL;
    }
    if (confirm) {
        char *again = tty_read_secret("Repeat the password: ");
        bool same = again && strcmp(again, pw) == 0;
        if (again) {
            mpavs_wipe(again, strlen(again));
            free(again);
        }
        if (!same) {
            mpavs_wipe(pw, strlen(pw));
            free(pw);
            cli_error("operator: the passwords differ");
            return NULL;
        }
    }
    return pw;
}

static void free_secret(char *s) {
    if (!s) return;
    mpavs_wipe(s, strlen(s));
    free(s);
}

/* ---------------- output: "key: value" lines, or one JSON object with --json ---------------- */

static void out_str(json_t *j, const char *k, const char *v) {
    if (j) json_object_set_new(j, k, json_string(v));
    else printf("%s: %s\n", k, v);
}

static void out_bool(json_t *j, const char *k, bool v) {
    if (j) json_object_set_new(j, k, json_boolean(v));
    else printf("%s: %s\n", k, v ? "true" : "false");
}

static void out_u64(json_t *j, const char *k, uint64_t v) {
    if (j) json_object_set_new(j, k, json_integer((json_int_t)v));
    else printf("%s: %llu\n", k, (unsigned long long)v);
}

static void out_addr(json_t *j, const char *k, const mpavs_address *a) {
    char t[43];
    mpavs_address_to_checksum(t, a);
    out_str(j, k, t);
}

static void out_word(json_t *j, const char *k, const uint8_t w[32]) {
    char t[67] = "0x";
    for (int i = 0; i < 32; i++) snprintf(t + 2 + 2 * i, 3, "%02x", w[i]);
    out_str(j, k, t);
}

/* Print j (one line) to stdout. */
static void out_json(json_t *j) {
    char *t = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (t) puts(t);
    free(t);
}

/* ---------------- printing public parts ---------------- */

static void print_word(const char *label, const uint8_t w[32]) {
    printf("%s: 0x", label);
    for (int i = 0; i < 32; i++) printf("%02x", w[i]);
    putchar('\n');
}

static void print_address(const char *label, const mpavs_address *a) {
    char s[43];
    mpavs_address_to_checksum(s, a);
    printf("%s: %s\n", label, s);
}

/* G1 x, y, G2 x.im, x.re, y.im, y.re and operatorId of a BLS secret key (into j when not NULL). */
static int out_bls_public(json_t *j, const uint8_t sk[32]) {
    mpavs_bn254_g1 p1;
    mpavs_bn254_g2 p2;
    uint8_t e1[64], e2[128], id[32];
    if (mpavs_bls_pubkey_g1(&p1, sk) || mpavs_bls_pubkey_g2(&p2, sk)) return cli_error("operator: invalid BLS key");
    mpavs_bn254_g1_encode(e1, &p1);
    mpavs_bn254_g2_encode(e2, &p2);
    mpavs_bls_operator_id(id, &p1);
    static const char *const labels[] = {"g1_x", "g1_y", "g2_x_im", "g2_x_re", "g2_y_im", "g2_y_re"};
    out_word(j, labels[0], e1);
    out_word(j, labels[1], e1 + 32);
    for (int i = 0; i < 4; i++) out_word(j, labels[2 + i], e2 + 32 * i);
    out_word(j, "operator_id", id);
    return 0;
}

static int print_bls_public(const uint8_t sk[32]) { return out_bls_public(NULL, sk); }

/* ---------------- keys create / import ---------------- */

/* Encrypt and write a key (sk: 32 bytes) to its file; prints the public parts and the path. */
static int write_key(const char *dir, const char *name, bool bls, const uint8_t sk[32], const char *pwfile,
                     bool weak, bool short_ok) {
    char path[4096];
    int rc = key_path(path, sizeof path, dir, name, bls);
    if (rc) return rc;
    if (access(path, F_OK) == 0) return cli_error("operator keys: %s exists; refusing to overwrite it", path);
    if ((rc = make_dirs(dir))) return rc;
    char *pw = get_password(pwfile, path, true);
    if (!pw) return 1;
    if (!short_ok && strlen(pw) < MIN_PASSWORD_LEN) {
        free_secret(pw);
        return cli_error("operator keys: the password has fewer than %d characters: choose a longer one "
                         "(--allow-short-password to accept it anyway); nothing written", MIN_PASSWORD_LEN);
    }
    char *json = NULL;
    mpavs_ecdsa_ctx *ec = NULL;
    mpavs_address addr;
    uint32_t n = weak ? 4096 : 0;
    if (bls) {
        if (mpavs_keystore_bls_encrypt(&json, sk, pw, strlen(pw), n)) rc = cli_error("operator keys: cannot encrypt the key");
    } else {
        ec = mpavs_ecdsa_ctx_create();
        mpavs_keystore_options o = {.scrypt_n = n, .has_address = true};
        if (!ec || mpavs_ecdsa_seckey_to_address(ec, &addr, sk)) {
            rc = cli_error("operator keys: invalid ECDSA key");
        } else {
            memcpy(o.address, addr.bytes, 20);
            int r = mpavs_keystore_encrypt(&json, sk, 32, pw, strlen(pw), &o);
            if (r) rc = cli_error("operator keys: %s", mpavs_keystore_strerror(r));
        }
    }
    free_secret(pw);
    if (!rc) {
        int r = mpavs_keystore_write_file(path, json);
        if (r == MPAVS_KEYSTORE_ERR_EXISTS) rc = cli_error("operator keys: %s exists; refusing to overwrite it", path);
        else if (r) rc = cli_error("operator keys: %s: %s", path, mpavs_keystore_strerror(r));
    }
    if (!rc) {
        printf("name: %s\ntype: %s\n", name, bls ? "bls" : "ecdsa");
        if (bls) rc = print_bls_public(sk);
        else print_address("address", &addr);
        printf("path: %s\n", path);
    }
    free(json);
    mpavs_ecdsa_ctx_destroy(ec);
    return rc;
}

/* Parse an imported secret: ECDSA 0x + 64 hex digits (a valid key); BLS hex or decimal in [1, r). */
static int parse_import_secret(uint8_t sk[32], bool bls, char *text) {
    size_t n = strlen(text);
    while (n && (text[n - 1] == '\n' || text[n - 1] == '\r' || text[n - 1] == ' ')) text[--n] = 0;
    int rc = 0;
    if (bls) {
        mpavs_u256 v;
        if (mpavs_u256_parse(&v, text, n)) {
            rc = cli_usage_error("operator keys import: BLS secret must be 0x hex or decimal");
        } else {
            mpavs_u256_to_be32(sk, &v);
            if (!mpavs_bn254_scalar_is_valid(sk) || mpavs_bls_sk_check(sk))
                rc = cli_usage_error("operator keys import: BLS secret must be in [1, r)");
        }
        mpavs_wipe(&v, sizeof v);
    } else {
        bool ok = false;
        mpavs_ecdsa_ctx *ec = mpavs_ecdsa_ctx_create();
        if (mpavs_hex_decode_exact(sk, 32, text) != MPAVS_HEX_OK)
            rc = cli_usage_error("operator keys import: ECDSA secret must be 0x + 64 hex digits");
        else if (!ec || mpavs_ecdsa_seckey_verify(ec, &ok, sk) || !ok)
            rc = cli_usage_error("operator keys import: ECDSA secret is zero or not below the group order");
        mpavs_ecdsa_ctx_destroy(ec);
    }
    if (rc) mpavs_wipe(sk, 32);
    return rc;
}

/* keys create (import false) and keys import (import true). */
static int keys_add(int argc, char **argv, bool import) {
    const char *cmd = import ? "import" : "create";
    if (cli_wants_help(argc, argv)) return cli_help(import ? KEYS_IMPORT_HELP : KEYS_CREATE_HELP);
    cli_args a;
    if (!cli_args_init(&a, argc, argv)) return 2;
    char dir[4096], *pos[3];
    int bls = key_type(cli_opt(&a, "key-type"), true);
    if (bls == 2) return 2;
    const char *pwf = cli_opt(&a, "password-file");
    bool weak = cli_flag(&a, "insecure-scrypt"), short_ok = cli_flag(&a, "allow-short-password");
    int rc = keys_dir(dir, sizeof dir, cli_opt(&a, "keys-dir"));
    if (rc) return rc;
    int n = cli_positionals(&a, pos, 3);
    if (n < 0) return 2;
    if (n != (import ? 2 : 1) || !valid_name(pos[0]))
        return cli_usage_error("operator keys %s: expected NAME%s (letters, digits, '.', '_', '-')", cmd,
                               import ? " 0xSECRET|-" : "");
    uint8_t sk[32];
    if (import) {
        bool from_stdin = !strcmp(pos[1], "-");
        if (from_stdin && pwf && !strcmp(pwf, "-"))
            return cli_usage_error("operator keys import: the secret and the password cannot both come from stdin");
        char *text = from_stdin ? cli_read_secret_file("-") : strdup(pos[1]);
        if (!text) return 1;
        rc = parse_import_secret(sk, bls, text);
        free_secret(text);
    } else {
        mpavs_ecdsa_ctx *ec = bls ? NULL : mpavs_ecdsa_ctx_create();
        if (bls ? mpavs_bls_keygen(sk) != MPAVS_BLS_OK : (!ec || mpavs_ecdsa_seckey_generate(ec, sk) != MPAVS_ECDSA_OK))
            rc = cli_error("operator keys create: no randomness from the OS");
        mpavs_ecdsa_ctx_destroy(ec);
    }
    if (!rc) rc = write_key(dir, pos[0], bls, sk, pwf, weak, short_ok);
    mpavs_wipe(sk, sizeof sk);
    return rc;
}

static int keys_create(int argc, char **argv) { return keys_add(argc, argv, false); }
static int keys_import(int argc, char **argv) { return keys_add(argc, argv, true); }

/* ---------------- keys list / show ---------------- */

static int cmp_str(const void *x, const void *y) { return strcmp(*(char *const *)x, *(char *const *)y); }

/* The public identity a key file states without decrypting (address / operatorId), or "?". */
static void file_identity(char *out, size_t cap, const char *path, bool bls) {
    snprintf(out, cap, "?");
    json_error_t je;
    json_t *o = json_load_file(path, 0, &je);
    if (!o) return;
    const char *s = json_string_value(json_object_get(o, bls ? "pubKey" : "address"));
    mpavs_bn254_g1 pk;
    mpavs_address ad;
    if (s && bls && mpavs_keystore_bls_pubkey_parse(&pk, s) == 0) {
        uint8_t id[32];
        mpavs_bls_operator_id(id, &pk);
        char *p = out + snprintf(out, cap, "operatorId 0x");
        for (int i = 0; i < 32 && (size_t)(p - out) + 3 < cap; i++) p += sprintf(p, "%02x", id[i]);
    } else if (s && !bls && mpavs_address_parse(&ad, s) == 0) {
        char t[43];
        mpavs_address_to_checksum(t, &ad);
        snprintf(out, cap, "address %s", t);
    }
    json_decref(o);
}

static int keys_list(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) return cli_help(KEYS_LIST_HELP);
    cli_args a;
    if (!cli_args_init(&a, argc, argv)) return 2;
    char dir[4096], *pos[1];
    bool js = cli_flag(&a, "json");
    int rc = keys_dir(dir, sizeof dir, cli_opt(&a, "keys-dir"));
    if (rc) return rc;
    if (cli_positionals(&a, pos, 1) != 0) return cli_usage_error("operator keys list: unexpected argument");
    DIR *dh = opendir(dir);
    if (!dh) {
        if (errno == ENOENT) return js ? (puts("[]"), 0) : 0; /* no keys yet */
        return cli_error("operator keys list: %s: %s", dir, strerror(errno));
    }
    json_t *arr = js ? json_array() : NULL;
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(dh))) {
        size_t l = strlen(e->d_name);
        bool b = l > 13 && !strcmp(e->d_name + l - 13, ".bls.key.json");
        bool k = l > 15 && !strcmp(e->d_name + l - 15, ".ecdsa.key.json");
        if (!b && !k) continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 16;
            char **nn = realloc(names, cap * sizeof *nn);
            if (!nn) break;
            names = nn;
        }
        if (!(names[n] = strdup(e->d_name))) break;
        n++;
    }
    closedir(dh);
    if (n) qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(names[i]);
        bool bls = l > 13 && !strcmp(names[i] + l - 13, ".bls.key.json");
        char path[8300], id[120];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        file_identity(id, sizeof id, path, bls);
        if (arr) {
            json_t *o = json_object();
            const char *sp = strchr(id, ' ');
            json_object_set_new(o, "name", json_stringn(names[i], l - (bls ? 13 : 15)));
            json_object_set_new(o, "type", json_string(bls ? "bls" : "ecdsa"));
            json_object_set_new(o, bls ? "operator_id" : "address", sp ? json_string(sp + 1) : json_null());
            json_object_set_new(o, "path", json_string(path));
            json_array_append_new(arr, o);
        } else {
            printf("%.*s\t%s\t%s\t%s\n", (int)(l - (bls ? 13 : 15)), names[i], bls ? "bls" : "ecdsa", id, path);
        }
        free(names[i]);
    }
    free(names);
    if (arr) {
        char *t = json_dumps(arr, JSON_COMPACT | JSON_PRESERVE_ORDER);
        if (t) puts(t);
        free(t);
        json_decref(arr);
    }
    return rc;
}

/*
 * Decrypt an ECDSA key file. Out: sk, *addr. pw: the password. Returns 0, or 1 after a message.
 * The file's address field, when present, must match the key.
 */
static int load_ecdsa(uint8_t sk[32], mpavs_address *addr, const char *path, const char *pw) {
    char *json = NULL;
    size_t jl = 0;
    if (mpavs_keystore_read_file(&json, &jl, path)) return cli_error("operator: cannot read %s", path);
    uint8_t secret[MPAVS_KEYSTORE_MAX_SECRET];
    size_t sl = 0;
    mpavs_keystore_info info = {0};
    int r = mpavs_keystore_decrypt(secret, sizeof secret, &sl, &info, json, jl, pw, strlen(pw));
    free(json);
    int rc = 0;
    mpavs_ecdsa_ctx *ec = mpavs_ecdsa_ctx_create();
    if (r == MPAVS_KEYSTORE_ERR_MAC) rc = cli_error("operator: %s: wrong password", path);
    else if (r) rc = cli_error("operator: %s: %s", path, mpavs_keystore_strerror(r));
    else if (sl != 32) rc = cli_error("operator: %s: secret is %zu bytes, expected 32", path, sl);
    else if (!ec || mpavs_ecdsa_seckey_to_address(ec, addr, secret)) rc = cli_error("operator: %s: invalid key", path);
    else if (info.has_address && memcmp(info.address, addr->bytes, 20) != 0)
        rc = cli_error("operator: %s: the address field does not match the key", path);
    if (!rc) memcpy(sk, secret, 32);
    mpavs_wipe(secret, sizeof secret);
    mpavs_keystore_info_clear(&info);
    mpavs_ecdsa_ctx_destroy(ec);
    return rc;
}

/* Decrypt a BLS key file. Out: sk. Returns 0, or 1 after a message. */
static int load_bls(uint8_t sk[32], const char *path, const char *pw) {
    mpavs_error err = {0};
    bool match = false;
    int r = mpavs_keystore_bls_load(sk, &match, &err, path, pw, strlen(pw));
    if (r == MPAVS_KEYSTORE_ERR_IO) return cli_error("operator: cannot read %s", path);
    if (r) return cli_error("operator: %s: %s", path, err.message); /* err holds no data: nothing to clear */
    if (!match) fprintf(stderr, "mpavs: warning: %s: pubKey field does not match the key (ignored)\n", path);
    return 0;
}

static int show_one(const char *path, bool bls, const char *pwf, json_t *arr) {
    char *pw = get_password(pwf, path, false);
    if (!pw) return 1;
    uint8_t sk[32];
    mpavs_address addr;
    int rc = bls ? load_bls(sk, path, pw) : load_ecdsa(sk, &addr, path, pw);
    free_secret(pw);
    if (rc) return rc;
    json_t *j = arr ? json_object() : NULL;
    out_str(j, "type", bls ? "bls" : "ecdsa");
    out_str(j, "path", path);
    if (bls) rc = out_bls_public(j, sk);
    else out_addr(j, "address", &addr);
    if (j) json_array_append_new(arr, j);
    mpavs_wipe(sk, sizeof sk);
    return rc;
}

static int keys_show(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) return cli_help(KEYS_SHOW_HELP);
    cli_args a;
    if (!cli_args_init(&a, argc, argv)) return 2;
    char dir[4096], *pos[2];
    int t = key_type(cli_opt(&a, "key-type"), false);
    if (t == 2) return 2;
    const char *pwf = cli_opt(&a, "password-file");
    bool js = cli_flag(&a, "json");
    int rc = keys_dir(dir, sizeof dir, cli_opt(&a, "keys-dir"));
    if (rc) return rc;
    int n = cli_positionals(&a, pos, 2);
    if (n < 0) return 2;
    if (n != 1 || !valid_name(pos[0])) return cli_usage_error("operator keys show: expected one NAME");
    json_t *arr = js ? json_array() : NULL;
    int shown = 0;
    for (int bls = 0; bls <= 1 && !rc; bls++) {
        if (t >= 0 && t != bls) continue;
        char path[4096];
        if ((rc = key_path(path, sizeof path, dir, pos[0], bls))) break;
        if (access(path, F_OK) != 0) continue;
        if (shown && !arr) putchar('\n');
        rc = show_one(path, bls, pwf, arr);
        shown++;
    }
    if (!rc && !shown) rc = cli_error("operator keys show: no key named %s in %s", pos[0], dir);
    if (!rc && arr) out_json(arr);
    json_decref(arr);
    return rc;
}

static int keys_export(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) return cli_help(KEYS_EXPORT_HELP);
    cli_args a;
    if (!cli_args_init(&a, argc, argv)) return 2;
    char dir[4096], path[4096], *pos[2];
    int bls = key_type(cli_opt(&a, "key-type"), true);
    if (bls == 2) return 2;
    const char *pwf = cli_opt(&a, "password-file");
    bool yes = cli_flag(&a, "yes");
    int rc = keys_dir(dir, sizeof dir, cli_opt(&a, "keys-dir"));
    if (rc) return rc;
    int n = cli_positionals(&a, pos, 2);
    if (n < 0) return 2;
    if (n != 1 || !valid_name(pos[0])) return cli_usage_error("operator keys export: expected one NAME");
    if (!yes && pwf && !strcmp(pwf, "-"))
        return cli_usage_error("operator keys export: the password comes from stdin, so the confirmation cannot: give --yes");
    if ((rc = key_path(path, sizeof path, dir, pos[0], bls))) return rc;
    if (access(path, F_OK) != 0) return cli_error("operator keys export: no %s", path);
    fprintf(stderr,
            "WARNING: this prints the %s private key of %s in plain text. Anyone who sees it (terminal\n"
            "scrollback, shell logs, screen sharing) controls the key%s. Print it only to move it into\n"
            "another key store.\n",
            bls ? "BLS" : "ECDSA", path, bls ? " and can sign for the operator" : " and the operator's account");
    if (!yes && cli_confirm("Print the private key?", "nothing printed")) return 1;
    char *pw = get_password(pwf, path, false);
    if (!pw) return 1;
    uint8_t sk[32];
    mpavs_address addr;
    rc = bls ? load_bls(sk, path, pw) : load_ecdsa(sk, &addr, path, pw);
    free_secret(pw);
    if (rc) return rc;
    char hex[67] = "0x";
    for (int i = 0; i < 32; i++) snprintf(hex + 2 + 2 * i, 3, "%02x", sk[i]);
    puts(hex);
    fflush(stdout);
    mpavs_wipe(hex, sizeof hex);
    mpavs_wipe(sk, sizeof sk);
    return 0;
}

static int cmd_keys(int argc, char **argv) {
    static const cli_command KEYS[] = {
        {"create", "generate a BLS or ECDSA key file", keys_create},
        {"import", "encrypt an existing secret into a key file", keys_import},
        {"list", "list the key files", keys_list},
        {"show", "decrypt a key file and print its public parts", keys_show},
        {"export", "decrypt a key file and print its private key (with a warning)", keys_export},
    };
    return cli_dispatch("mpavs operator keys", KEYS, sizeof KEYS / sizeof KEYS[0], argc, argv);
}

/* ---------------- networks: cli/netcfg.h ---------------- */

static int parse_addr_opt(mpavs_address *out, const char *name, const char *v) {
    return cli_address_opt("operator", out, name, v);
}

static int copy_str(char *out, size_t cap, const char *v, const char *what) {
    return cli_copy_opt("operator", out, cap, v, what);
}

/* ---------------- signer (the operator's ECDSA key) ---------------- */

typedef struct {
    char dir[4096];
    char name[128];
    char ecdsa_path[4096];
    const char *pwfile;
    bool yes;
} signer_opts;

static int signer_parse(cli_args *a, signer_opts *s) {
    memset(s, 0, sizeof *s);
    const char *name = cli_opt(a, "key"), *kf = cli_opt(a, "ecdsa-key-file");
    s->pwfile = cli_opt(a, "password-file");
    s->yes = cli_flag(a, "yes");
    int rc = keys_dir(s->dir, sizeof s->dir, cli_opt(a, "keys-dir"));
    if (rc) return rc;
    if (name && !valid_name(name)) return cli_usage_error("operator: --key: bad key name '%s'", name);
    snprintf(s->name, sizeof s->name, "%s", name ? name : DEFAULT_KEY_NAME);
    if (kf) return copy_str(s->ecdsa_path, sizeof s->ecdsa_path, kf, "--ecdsa-key-file");
    return key_path(s->ecdsa_path, sizeof s->ecdsa_path, s->dir, s->name, false);
}

/* Decrypt the signer's key. Out: sk, *addr. Returns 0 or an exit code. */
static int signer_load(uint8_t sk[32], mpavs_address *addr, const signer_opts *s) {
    char *pw = get_password(s->pwfile, s->ecdsa_path, false);
    if (!pw) return 1;
    int rc = load_ecdsa(sk, addr, s->ecdsa_path, pw);
    free_secret(pw);
    return rc;
}

/* ---------------- amounts ---------------- */

static void u256_dec(char out[80], const mpavs_u256 *v) { (void)mpavs_u256_to_dec(out, 80, v); }

/* ---------------- the scaffold of every sending command ---------------- */

/* One transaction to show before sending. */
typedef struct {
    const char *contract;
    const mpavs_address *to;
    const char *function;
    const char *args; /* human-readable arguments, one per line, each "    name = value" */
} tx_plan;

#define MAX_SIMULATED 8

/* One sending command's state: options, the decrypted signer key, the connection. */
typedef struct {
    const char *cmd; /* "register", … (for messages) */
    cli_args a;
    net_cfg n;
    signer_opts s;
    mpavs_sender_options so; /* fee and gas caps, legacy; the observer */
    bool dry_run;
    bool simulating;         /* the preview pass of tx_run */
    bool positionals_checked; /* the command took its own positional arguments */
    mpavs_sender_event ev[MAX_SIMULATED]; /* the preview pass's simulations */
    size_t nev;
    int nsent;
    mpavs_contracts_ctx c;
    bool connected;
    uint8_t sk[32];
    mpavs_address me;
    mpavs_contracts_standing st; /* the operator's standing when connected */
    char form_line[200];          /* "delegation manager: …" shown in the plan (register, update), or "" */
} tx_cmd;

static void print_hash(const char *label, const uint8_t h[32]) {
    printf("%s0x", label);
    for (int i = 0; i < 32; i++) printf("%02x", h[i]);
}

/* The sender's observer: keep simulations for the preview, print every broadcast at once. */
static void tx_observe(void *arg, const mpavs_sender_event *ev) {
    tx_cmd *t = arg;
    if (ev->kind == MPAVS_SENDER_EVENT_SIMULATED) {
        if (t->nev < MAX_SIMULATED) t->ev[t->nev++] = *ev;
        return;
    }
    t->nsent++;
    print_hash("transaction sent: ", ev->tx_hash);
    if (ev->bump) printf(" (nonce %llu, fee bump %d)\n", (unsigned long long)ev->nonce, ev->bump);
    else printf(" (nonce %llu)\n", (unsigned long long)ev->nonce);
    fflush(stdout);
}

/* A whole-number option or environment variable into *v (0 when absent). Returns 0 or 2. */
static int parse_u64_opt(uint64_t *v, const char *what, const char *s) {
    *v = 0;
    if (!s) return 0;
    char *end;
    errno = 0;
    unsigned long long x = strtoull(s, &end, 10);
    if (!*s || *end || errno || x == 0 || *s == '-') return cli_usage_error("operator: %s: expected a positive integer, got '%s'", what, s);
    *v = x;
    return 0;
}

/* --gas-limit, --max-fee-per-gas, --max-priority-fee-per-gas, --legacy, --dry-run. Returns 0 or 2. */
static int tx_opts_parse(tx_cmd *t) {
    int rc = cli_tx_caps(&t->a, "operator", &t->so);
    if (rc) return rc;
    t->dry_run = cli_flag(&t->a, "dry-run");
    t->so.observer = tx_observe;
    t->so.observer_arg = t;
    return 0;
}

/* --help, then the network, signer and transaction options. Returns -1 to go on, else an exit code. */
static int tx_begin(tx_cmd *t, const char *cmd, int argc, char **argv, const char *help) {
    memset(t, 0, sizeof *t);
    t->cmd = cmd;
    if (cli_wants_help(argc, argv)) return cli_help(help);
    if (!cli_args_init(&t->a, argc, argv)) return 2;
    int rc = net_parse(&t->a, &t->n, "operator");
    if (!rc) rc = signer_parse(&t->a, &t->s);
    if (!rc) rc = tx_opts_parse(t);
    return rc ? rc : -1;
}

/* ETH_FROM, when set, must be the signer's address. Returns 0 or 2. */
static int check_eth_from(const mpavs_address *me) {
    const char *f = getenv("ETH_FROM");
    if (!f || !*f) return 0;
    mpavs_address a;
    if (mpavs_address_parse(&a, f)) return cli_usage_error("operator: ETH_FROM is not an address: '%s'", f);
    if (memcmp(a.bytes, me->bytes, 20) != 0) {
        char k[43];
        mpavs_address_to_checksum(k, me);
        return cli_usage_error("operator: ETH_FROM is %s but the ECDSA key is %s (unset ETH_FROM or pick the key with --key)", f, k);
    }
    return 0;
}

/*
 * After the command's own options: no positionals, decrypt the signer's key, connect, read the
 * operator's standing (and require an EigenLayer operator when need_operator). Returns 0 or an
 * exit code.
 */
static int tx_connect(tx_cmd *t, bool need_operator) {
    char *pos[1];
    if (!t->positionals_checked && cli_positionals(&t->a, pos, 1) != 0)
        return cli_usage_error("operator %s: unexpected argument", t->cmd);
    int rc = signer_load(t->sk, &t->me, &t->s);
    if (rc || (rc = check_eth_from(&t->me)) || (rc = net_connect(&t->c, &t->n, t->sk, &t->so))) return rc;
    t->connected = true;
    if (mpavs_contracts_operator_status(&t->c, &t->n.d, &t->st, &t->me)) return cli_error("operator %s: %s", t->cmd, t->c.error.message);
    if (need_operator && !t->st.is_operator)
        return cli_error("operator %s: the account is not an EigenLayer operator: run `mpavs operator register` first; nothing sent",
                         t->cmd);
    return 0;
}

/* Report the context's error for a failed library call. Returns 1. */
static int tx_fail(tx_cmd *t) { return cli_error("operator %s: %s", t->cmd, t->c.error.message); }

/* Close and wipe. Returns rc. */
static int tx_end(tx_cmd *t, int rc) {
    if (t->connected) net_close(&t->c);
    mpavs_wipe(t->sk, sizeof t->sk);
    return rc;
}

/* The preview: network, sender, each transaction with its simulated gas and fees. */
static void print_plan(const tx_cmd *t, const tx_plan *txs, size_t ntx, bool failed) {
    char f[43];
    mpavs_address_to_checksum(f, &t->me);
    printf("network: %s (chain id %llu, %s)\nfrom: %s\n%s", t->n.network, (unsigned long long)t->n.d.chain_id,
           t->n.rpc_url, f, t->form_line);
    for (size_t i = 0; i < ntx; i++) {
        char to[43];
        mpavs_address_to_checksum(to, txs[i].to);
        printf("transaction %zu: %s %s\n  %s\n%s", i + 1, txs[i].contract, to, txs[i].function, txs[i].args);
        if (i >= t->nev) {
            if (failed && i == t->nev) printf("  estimated gas: none (the simulation fails)\n");
            else if (failed) printf("  estimated gas: not simulated\n");
            else printf("  estimated gas: not simulated (it depends on transaction %zu being mined)\n", i);
            continue;
        }
        const mpavs_sender_event *e = &t->ev[i];
        char c[100], w[80];
        mpavs_u256 cost, lim = mpavs_u256_from_u64(e->gas_limit);
        mpavs_u256_mul(&cost, &lim, &e->max_fee_per_gas);
        cli_fmt_units(c, &cost, 18);
        u256_dec(w, &cost);
        cli_print_gas(e);
        printf("  max cost: %s ETH (%s wei)\n", c, w);
    }
    fflush(stdout);
}

/* The command's transactions (run twice: simulated for the preview, then for real). Returns 0 or 1. */
typedef int (*tx_fn)(tx_cmd *t, void *arg);

/*
 * Simulate run (every transaction estimated and eth_call'd, nothing sent), print the plan with
 * gas and cost, stop there with --dry-run, else ask (unless --yes) and run it for real; each
 * broadcast's hash is printed as it is sent. Returns 0 when sent, -1 after a dry run, else an
 * exit code (nothing sent when the simulation failed or the answer was no).
 */
static int tx_run(tx_cmd *t, const tx_plan *p, size_t np, tx_fn run, void *arg) {
    t->nev = 0;
    t->simulating = true;
    mpavs_sender_set_simulate(t->c.sender, true);
    int r = run(t, arg);
    mpavs_sender_set_simulate(t->c.sender, false);
    t->simulating = false;
    print_plan(t, p, np, r != 0);
    if (r) return cli_error("operator %s: the simulation fails, nothing sent: %s", t->cmd, t->c.error.message);
    if (t->dry_run) {
        printf("dry run: simulated with eth_call, nothing sent\n");
        return -1;
    }
    if (!t->s.yes && cli_ask_proceed()) return 1;
    if (run(t, arg)) return tx_fail(t);
    return 0;
}

/* ---------------- register ---------------- */

/* The operator's details as read from operator.yaml and the flags (register, update). */
typedef struct {
    mpavs_contracts_operator_details od;
    char uri[1100];
    bool have_address;
    mpavs_address address; /* operator.address */
    uint64_t chain_id;     /* chain_id (0: absent) */
    const char *yaml;      /* the operator.yaml given, or NULL */
    bool have_er, have_da, have_win, have_uri, have_delay; /* which fields the file or a flag set */
    bool flag_er, flag_win, flag_delay;                    /* which of them a flag set */
} reg_fields;

/* Trim spaces, a trailing comment and surrounding quotes of a YAML scalar in place. */
static char *yaml_scalar(char *v) {
    while (*v == ' ' || *v == '\t') v++;
    if (*v == '"' || *v == '\'') {
        char q = *v++, *e = strchr(v, q);
        if (e) *e = 0;
        return v;
    }
    char *h = strstr(v, " #");
    if (h) *h = 0;
    size_t n = strlen(v);
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\r')) v[--n] = 0;
    return v;
}

/*
 * eigenlayer-cli's operator.yaml: "key: value" lines, the operator's fields indented under
 * "operator:" (a flat file of the same keys is accepted too). Returns 0 or an exit code.
 */
static int read_operator_yaml(reg_fields *f, const char *cmd, const char *path) {
    FILE *fp = fopen(path, "r");
    if (!fp) return cli_error("operator %s: cannot read %s: %s", cmd, path, strerror(errno));
    char line[2048];
    int rc = 0, ln = 0;
    while (!rc && fgets(line, sizeof line, fp)) {
        ln++;
        line[strcspn(line, "\n")] = 0;
        char *k = line;
        while (*k == ' ' || *k == '\t') k++;
        if (!*k || *k == '#') continue;
        char *colon = strchr(k, ':');
        if (!colon) {
            rc = cli_usage_error("operator %s: %s:%d: expected \"key: value\"", cmd, path, ln);
            break;
        }
        *colon = 0;
        char *v = yaml_scalar(colon + 1);
        if (!*v) continue; /* "operator:" and empty values */
        bool er = !strcmp(k, "earnings_address") || !strcmp(k, "earnings_receiver_address");
        mpavs_address *dst = !strcmp(k, "address")                    ? &f->address
                             : er                                     ? &f->od.earnings_receiver
                             : !strcmp(k, "delegation_approver_address") ? &f->od.delegation_approver
                                                                         : NULL;
        if (dst) {
            if (mpavs_address_parse(dst, v)) rc = cli_usage_error("operator %s: %s:%d: %s is not an address", cmd, path, ln, k);
            if (dst == &f->address) f->have_address = true;
            else if (er) f->have_er = true;
            else f->have_da = true;
        } else if (!strcmp(k, "staker_opt_out_window_blocks") || !strcmp(k, "allocation_delay") ||
                   !strcmp(k, "chain_id")) {
            char *end;
            errno = 0;
            unsigned long long x = strtoull(v, &end, 10);
            bool win = k[0] == 's', delay = k[0] == 'a';
            if (*end || errno || *v == '-' || ((win || delay) && x > UINT32_MAX))
                rc = cli_usage_error("operator %s: %s:%d: %s: expected a number%s", cmd, path, ln, k,
                                     win || delay ? " from 0 to 4294967295" : "");
            else if (win) f->od.staker_opt_out_window_blocks = (uint32_t)x, f->have_win = true;
            else if (delay) f->od.allocation_delay = (uint32_t)x, f->have_delay = true;
            else f->chain_id = x;
        } else if (!strcmp(k, "metadata_url")) {
            rc = copy_str(f->uri, sizeof f->uri, v, "metadata_url");
            f->have_uri = true;
        }
    }
    fclose(fp);
    return rc;
}

/*
 * The details of register and update: the optional operator.yaml (the one positional argument),
 * then --earnings-receiver, --delegation-approver, --staker-opt-out-window-blocks and
 * --metadata-uri over it; its chain_id must be the network's. Out: *f. Returns 0 or an exit code.
 */
static int reg_fields_parse(tx_cmd *t, reg_fields *f) {
    memset(f, 0, sizeof *f);
    const char *er = cli_opt(&t->a, "earnings-receiver"), *da = cli_opt(&t->a, "delegation-approver");
    const char *win = cli_opt(&t->a, "staker-opt-out-window-blocks"), *mu = cli_opt(&t->a, "metadata-uri");
    const char *ad = cli_opt(&t->a, "allocation-delay");
    char *pos[2];
    int rc, np = cli_positionals(&t->a, pos, 2);
    if (np < 0 || np > 1) return cli_usage_error("operator %s: at most one operator.yaml", t->cmd);
    t->positionals_checked = true;
    if (np == 1 && (rc = read_operator_yaml(f, t->cmd, pos[0]))) return rc;
    f->yaml = np == 1 ? pos[0] : NULL;
    if (er && (rc = parse_addr_opt(&f->od.earnings_receiver, "earnings-receiver", er))) return rc;
    if (da && (rc = parse_addr_opt(&f->od.delegation_approver, "delegation-approver", da))) return rc;
    if (win) {
        uint64_t w;
        if ((rc = parse_u64_opt(&w, "--staker-opt-out-window-blocks", win))) return rc;
        if (w > UINT32_MAX) return cli_usage_error("operator %s: --staker-opt-out-window-blocks: at most 2^32-1", t->cmd);
        f->od.staker_opt_out_window_blocks = (uint32_t)w;
    }
    if (ad) {
        uint64_t v;
        if ((rc = parse_u64_opt(&v, "--allocation-delay", ad))) return rc;
        if (v > UINT32_MAX) return cli_usage_error("operator %s: --allocation-delay: at most 4294967295 blocks", t->cmd);
        f->od.allocation_delay = (uint32_t)v;
    }
    if (mu && (rc = copy_str(f->uri, sizeof f->uri, mu, "--metadata-uri"))) return rc;
    f->flag_er = er != NULL;
    f->flag_win = win != NULL;
    f->flag_delay = ad != NULL;
    f->have_delay |= ad != NULL;
    f->have_er |= er != NULL;
    f->have_da |= da != NULL;
    f->have_win |= win != NULL;
    f->have_uri |= mu != NULL;
    if (strchr(f->uri, '"') || strchr(f->uri, '\\'))
        return cli_usage_error("operator %s: the metadata URI must not contain '\"' or '\\'", t->cmd);
    f->od.metadata_uri = f->uri;
    if (f->chain_id && t->n.d.chain_id && f->chain_id != t->n.d.chain_id)
        return cli_usage_error("operator %s: %s is for chain %llu but --network %s is chain %llu", t->cmd, f->yaml,
                               (unsigned long long)f->chain_id, t->n.network, (unsigned long long)t->n.d.chain_id);
    return 0;
}

/* After tx_connect: operator.address, when the file names one, must be the key's. Returns 0 or 2. */
static int reg_fields_check_address(const tx_cmd *t, const reg_fields *f) {
    if (!f->have_address || !memcmp(f->address.bytes, t->me.bytes, 20)) return 0;
    char x[43], y[43];
    mpavs_address_to_checksum(x, &f->address);
    mpavs_address_to_checksum(y, &t->me);
    return cli_usage_error("operator %s: %s names operator.address %s but the ECDSA key is %s; nothing sent", t->cmd,
                           f->yaml, x, y);
}

/* "    name = value" plan lines of a details tuple; was (may be NULL) adds each field's current value. */
static void details_args(char *out, size_t cap, const mpavs_contracts_operator_details *od,
                         const mpavs_contracts_operator_details *was) {
    char e1[43], e2[43], w1[43], w2[43];
    mpavs_address_to_checksum(e1, &od->earnings_receiver);
    mpavs_address_to_checksum(e2, &od->delegation_approver);
    if (!was) {
        snprintf(out, cap, "    earningsReceiver = %s\n    delegationApprover = %s\n    stakerOptOutWindowBlocks = %u\n", e1,
                 e2, (unsigned)od->staker_opt_out_window_blocks);
        return;
    }
    mpavs_address_to_checksum(w1, &was->earnings_receiver);
    mpavs_address_to_checksum(w2, &was->delegation_approver);
    snprintf(out, cap,
             "    earningsReceiver = %s (now %s)\n    delegationApprover = %s (now %s)\n"
             "    stakerOptOutWindowBlocks = %u (now %u)\n",
             e1, w1, e2, w2, (unsigned)od->staker_opt_out_window_blocks, (unsigned)was->staker_opt_out_window_blocks);
}

static int reg_run(tx_cmd *t, void *arg) {
    return mpavs_contracts_register_operator_details(&t->c, &t->n.d, arg) ? 1 : 0;
}

static int reg_run_slashing(tx_cmd *t, void *arg) {
    return mpavs_contracts_register_operator_slashing(&t->c, &t->n.d, arg) ? 1 : 0;
}

/*
 * After tx_connect: which form the DelegationManager speaks (mpavs_contracts_delegation_form:
 * allocationManager() answers on the slashing release, reverts on M2); sets the plan's line.
 * Out: *form, *am. Returns 0 or an exit code.
 */
static int dm_form(tx_cmd *t, mpavs_contracts_dm_form *form, mpavs_address *am) {
    if (mpavs_contracts_delegation_form(&t->c, &t->n.d, form, am)) return tx_fail(t);
    char a[43];
    mpavs_address_to_checksum(a, am);
    if (*form == MPAVS_CONTRACTS_DM_SLASHING)
        snprintf(t->form_line, sizeof t->form_line,
                 "delegation manager: slashing release (allocationManager() = %s): slashing-release forms\n", a);
    else
        snprintf(t->form_line, sizeof t->form_line,
                 "delegation manager: EigenLayer M2 (allocationManager() reverts): M2 forms\n");
    return 0;
}

/*
 * The fields one form does not have: a flag naming one is refused (nothing sent); operator.yaml's
 * are ignored (the plan says so). Returns 0 or 2.
 */
static int form_fields_check(const tx_cmd *t, const reg_fields *f, mpavs_contracts_dm_form form) {
    if (form == MPAVS_CONTRACTS_DM_SLASHING && (f->flag_er || f->flag_win))
        return cli_usage_error("operator %s: --earnings-receiver and --staker-opt-out-window-blocks do not exist on the "
                               "slashing release's DelegationManager; nothing sent", t->cmd);
    if (form == MPAVS_CONTRACTS_DM_M2 && f->flag_delay)
        return cli_usage_error("operator %s: --allocation-delay: the M2 DelegationManager has no allocation delay; "
                               "nothing sent", t->cmd);
    return 0;
}

/* Slashing form: refuse an allocation delay whose allocations could never take effect (block + delay past 2^32-1). */
static int delay_range_check(tx_cmd *t, uint32_t delay) {
    uint64_t bn = 0;
    mpavs_error e = {0};
    int r = mpavs_rpc_block_number(t->c.rpc, &bn, &e);
    int rc = r ? cli_error("operator %s: eth_blockNumber: %s (%s)", t->cmd, mpavs_rpc_strerror(r), e.message) : 0;
    mpavs_error_clear(&e);
    if (!rc && bn + delay > UINT32_MAX)
        rc = cli_usage_error("operator %s: allocation delay %u blocks: block %llu + delay exceeds 2^32-1, so the "
                             "AllocationManager could never schedule an allocation; nothing sent",
                             t->cmd, (unsigned)delay, (unsigned long long)bn);
    return rc;
}

static int op_register_slashing(tx_cmd *t, reg_fields *f, const mpavs_address *am) {
    int rc = delay_range_check(t, f->od.allocation_delay);
    if (rc) return rc;
    /* only shown: a release whose AllocationManager does not answer this view still registers */
    uint32_t cfg = 0;
    char when[120];
    if (mpavs_contracts_allocation_configuration_delay(&t->c, am, &cfg))
        snprintf(when, sizeof when, "in effect after the AllocationManager's configuration delay (unreadable: %.40s)",
                 t->c.error.message);
    else
        snprintf(when, sizeof when, "in effect %llu blocks after registration: ALLOCATION_CONFIGURATION_DELAY + 1",
                 (unsigned long long)cfg + 1);
    char ap[43], args[1800];
    mpavs_address_to_checksum(ap, &f->od.delegation_approver);
    snprintf(args, sizeof args,
             "    initDelegationApprover = %s\n    allocationDelay = %u blocks%s (%s)\n    metadataURI = \"%s\"\n%s",
             ap, (unsigned)f->od.allocation_delay, f->have_delay ? "" : " (default)", when, f->uri,
             f->have_er || f->have_win ? "    (operator.yaml's earnings_address and staker_opt_out_window_blocks are "
                                         "not used by this DelegationManager)\n"
                                       : "");
    tx_plan p = {"DelegationManager", &t->n.d.delegation_manager, "registerAsOperator(address,uint32,string)", args};
    return tx_run(t, &p, 1, reg_run_slashing, &f->od);
}

static int op_register(int argc, char **argv) {
    tx_cmd t;
    int rc = tx_begin(&t, "register", argc, argv, REGISTER_HELP);
    if (rc >= 0) return rc;
    reg_fields f;
    if ((rc = reg_fields_parse(&t, &f))) return rc;
    if ((rc = tx_connect(&t, false)) || (rc = reg_fields_check_address(&t, &f))) return tx_end(&t, rc);
    if (!f.have_er) f.od.earnings_receiver = t.me;
    if (t.st.is_operator) {
        printf("already an EigenLayer operator: nothing to do (`mpavs operator update` changes its details)\n");
        return tx_end(&t, 0);
    }
    mpavs_contracts_dm_form form;
    mpavs_address am;
    if ((rc = dm_form(&t, &form, &am)) || (rc = form_fields_check(&t, &f, form))) return tx_end(&t, rc);
    if (form == MPAVS_CONTRACTS_DM_SLASHING) {
        rc = op_register_slashing(&t, &f, &am);
        if (!rc) printf("registered as an EigenLayer operator (gas used %llu)\n", (unsigned long long)t.c.gas_used);
        return tx_end(&t, rc < 0 ? 0 : rc);
    }
    char args[1400];
    details_args(args, sizeof args, &f.od, NULL);
    size_t n = strlen(args);
    snprintf(args + n, sizeof args - n, "    metadataURI = \"%s\"\n%s", f.uri,
             f.have_delay ? "    (operator.yaml's allocation_delay is not used by this DelegationManager)\n" : "");
    tx_plan p = {"DelegationManager", &t.n.d.delegation_manager, "registerAsOperator((address,address,uint32),string)",
                 args};
    rc = tx_run(&t, &p, 1, reg_run, &f.od);
    if (!rc) printf("registered as an EigenLayer operator (gas used %llu)\n", (unsigned long long)t.c.gas_used);
    return tx_end(&t, rc < 0 ? 0 : rc);
}

/* ---------------- update ---------------- */

typedef struct {
    const mpavs_contracts_operator_details *od; /* NULL: the details are unchanged */
    const char *uri;                            /* NULL: no metadata URI to send */
} update_arg;

static int update_run(tx_cmd *t, void *arg) {
    const update_arg *u = arg;
    if (u->od && mpavs_contracts_modify_operator_details(&t->c, &t->n.d, u->od)) return 1;
    return u->uri && mpavs_contracts_update_operator_metadata_uri(&t->c, &t->n.d, u->uri) ? 1 : 0;
}

static int update_run_slashing(tx_cmd *t, void *arg) {
    const update_arg *u = arg;
    if (u->od && mpavs_contracts_set_delegation_approver(&t->c, &t->n.d, &u->od->delegation_approver)) return 1;
    return u->uri && mpavs_contracts_update_operator_metadata_uri_slashing(&t->c, &t->n.d, u->uri) ? 1 : 0;
}

/* Slashing form: compare the delegation approver with delegationApprover(operator); send what changed. */
static int op_update_slashing(tx_cmd *t, const reg_fields *f, const mpavs_address *am) {
    if (f->flag_delay)
        return cli_usage_error("operator update: the allocation delay is the AllocationManager's "
                               "(setAllocationDelay), which update does not send; nothing sent");
    mpavs_contracts_operator_details cur, nd;
    if (mpavs_contracts_get_operator_details_slashing(&t->c, &t->n.d, am, &t->me, &cur)) return tx_fail(t);
    nd = cur;
    if (f->have_da) nd.delegation_approver = f->od.delegation_approver;
    bool details = memcmp(nd.delegation_approver.bytes, cur.delegation_approver.bytes, 20) != 0;
    if (!details && !f->have_uri) {
        printf("the operator details are unchanged: nothing to do\n");
        return 0;
    }
    char me[43], a1[300], a2[1200], n1[43], c1[43];
    mpavs_address_to_checksum(me, &t->me);
    mpavs_address_to_checksum(n1, &nd.delegation_approver);
    mpavs_address_to_checksum(c1, &cur.delegation_approver);
    snprintf(a1, sizeof a1, "    operator = %s\n    newDelegationApprover = %s (now %s)\n", me, n1, c1);
    snprintf(a2, sizeof a2, "    operator = %s\n    metadataURI = \"%s\"\n", me, f->uri);
    tx_plan p[2], *q = p;
    if (details) *q++ = (tx_plan){"DelegationManager", &t->n.d.delegation_manager, "modifyOperatorDetails(address,address)", a1};
    if (f->have_uri)
        *q++ = (tx_plan){"DelegationManager", &t->n.d.delegation_manager, "updateOperatorMetadataURI(address,string)", a2};
    update_arg u = {details ? &nd : NULL, f->have_uri ? f->uri : NULL};
    int rc = tx_run(t, p, (size_t)(q - p), update_run_slashing, &u);
    if (!rc) printf("operator details updated (%d transaction%s)\n", t->nsent, t->nsent == 1 ? "" : "s");
    return rc < 0 ? 0 : rc;
}

static int op_update(int argc, char **argv) {
    tx_cmd t;
    int rc = tx_begin(&t, "update", argc, argv, UPDATE_HELP);
    if (rc >= 0) return rc;
    reg_fields f;
    if ((rc = reg_fields_parse(&t, &f))) return rc;
    if (!f.have_er && !f.have_da && !f.have_win && !f.have_uri)
        return cli_usage_error("operator update: nothing to update: give operator.yaml or a field option (try --help)");
    if ((rc = tx_connect(&t, true)) || (rc = reg_fields_check_address(&t, &f))) return tx_end(&t, rc);
    mpavs_contracts_dm_form form;
    mpavs_address am;
    if ((rc = dm_form(&t, &form, &am)) || (rc = form_fields_check(&t, &f, form))) return tx_end(&t, rc);
    if (form == MPAVS_CONTRACTS_DM_SLASHING) return tx_end(&t, op_update_slashing(&t, &f, &am));
    mpavs_contracts_operator_details cur, nd;
    if (mpavs_contracts_get_operator_details(&t.c, &t.n.d, &t.me, &cur)) return tx_end(&t, tx_fail(&t));
    nd = cur;
    if (f.have_er) nd.earnings_receiver = f.od.earnings_receiver;
    if (f.have_da) nd.delegation_approver = f.od.delegation_approver;
    if (f.have_win) nd.staker_opt_out_window_blocks = f.od.staker_opt_out_window_blocks;
    if (nd.staker_opt_out_window_blocks < cur.staker_opt_out_window_blocks)
        return tx_end(&t, cli_error("operator update: the staker opt-out window can only grow (it is %u blocks, asked %u); nothing sent",
                                    (unsigned)cur.staker_opt_out_window_blocks, (unsigned)nd.staker_opt_out_window_blocks));
    bool details = memcmp(nd.earnings_receiver.bytes, cur.earnings_receiver.bytes, 20) ||
                   memcmp(nd.delegation_approver.bytes, cur.delegation_approver.bytes, 20) ||
                   nd.staker_opt_out_window_blocks != cur.staker_opt_out_window_blocks;
    if (!details && !f.have_uri) {
        printf("the operator details are unchanged: nothing to do\n");
        return tx_end(&t, 0);
    }
    char a1[1400], a2[1200];
    details_args(a1, sizeof a1, &nd, &cur);
    snprintf(a2, sizeof a2, "    metadataURI = \"%s\"\n", f.uri);
    tx_plan p[2], *q = p;
    if (details)
        *q++ = (tx_plan){"DelegationManager", &t.n.d.delegation_manager, "modifyOperatorDetails((address,address,uint32))", a1};
    if (f.have_uri) *q++ = (tx_plan){"DelegationManager", &t.n.d.delegation_manager, "updateOperatorMetadataURI(string)", a2};
    update_arg u = {details ? &nd : NULL, f.have_uri ? f.uri : NULL};
    rc = tx_run(&t, p, (size_t)(q - p), update_run, &u);
    if (!rc) printf("operator details updated (%d transaction%s)\n", t.nsent, t.nsent == 1 ? "" : "s");
    return tx_end(&t, rc < 0 ? 0 : rc);
}

/* ---------------- deposit ---------------- */

typedef struct {
    mpavs_u256 amount;
    bool approve; /* the allowance does not cover amount */
} deposit_arg;

static int dep_run(tx_cmd *t, void *arg) {
    const deposit_arg *d = arg;
    if (d->approve && mpavs_contracts_approve(&t->c, &t->n.d.token, &t->n.d.strategy_manager, &d->amount)) return 1;
    if (d->approve && t->simulating) return 0; /* the deposit needs the approval mined first */
    return mpavs_contracts_deposit_approved(&t->c, &t->n.d, &t->n.d.strategy, &t->n.d.token, &d->amount) ? 1 : 0;
}

/* The operator for a read-only command: --operator, else ETH_FROM, else the ECDSA key file's address field. */
static int read_only_operator(mpavs_address *me, cli_args *a, const char *key_file);

static int deposit_check(tx_cmd *t) {
    char *pos[1];
    int rc = read_only_operator(&t->me, &t->a, t->s.ecdsa_path);
    if (rc) return rc;
    if (cli_positionals(&t->a, pos, 1) != 0) return cli_usage_error("operator deposit: unexpected argument");
    if ((rc = net_connect(&t->c, &t->n, NULL, NULL))) return rc;
    t->connected = true;
    mpavs_u256 shares;
    char sh[80];
    if (mpavs_contracts_operator_shares(&t->c, &t->n.d, &shares, &t->me, &t->n.d.strategy)) return tx_fail(t);
    u256_dec(sh, &shares);
    print_address("operator", &t->me);
    printf("operator_shares: %s\n", sh);
    return 0;
}

static int op_deposit(int argc, char **argv) {
    tx_cmd t;
    int rc = tx_begin(&t, "deposit", argc, argv, DEPOSIT_HELP);
    if (rc >= 0) return rc;
    const char *amt = cli_opt(&t.a, "amount"), *strat = cli_opt(&t.a, "strategy");
    bool check = cli_flag(&t.a, "check"), wei = cli_flag(&t.a, "wei");
    if (!amt && !check) return cli_usage_error("operator deposit: --amount N is required");
    if (strat) {
        if ((rc = parse_addr_opt(&t.n.d.strategy, "strategy", strat))) return rc;
        t.n.have_strategy = true;
    }
    if (!t.n.have_strategy) return cli_usage_error("operator deposit: --strategy ADDR is required for --network %s", t.n.network);
    if (check) return tx_end(&t, deposit_check(&t));
    deposit_arg d;
    if (wei && (rc = cli_parse_units(&d.amount, amt, 0, "--amount (with --wei)", false))) return rc;
    if ((rc = tx_connect(&t, true))) return tx_end(&t, rc);
    uint8_t tokdec = 0;
    if (mpavs_contracts_strategy_token(&t.c, &t.n.d.token, &tokdec, &t.n.d.strategy)) return tx_end(&t, tx_fail(&t));
    if (!wei && (rc = cli_parse_units(&d.amount, amt, tokdec, "--amount", false))) return tx_end(&t, rc);
    /* pre-checks: nothing is sent unless the balance covers the amount; approve only what is missing */
    mpavs_u256 bal, allow;
    if (mpavs_contracts_token_funds(&t.c, &bal, &allow, &t.n.d.token, &t.me, &t.n.d.strategy_manager))
        return tx_end(&t, tx_fail(&t));
    char am[100], amw[80], bl[100], al[100];
    cli_fmt_units(am, &d.amount, tokdec);
    u256_dec(amw, &d.amount);
    cli_fmt_units(bl, &bal, tokdec);
    cli_fmt_units(al, &allow, tokdec);
    if (mpavs_u256_cmp(&bal, &d.amount) < 0)
        return tx_end(&t, cli_error("operator deposit: the token balance %s is below the amount %s; nothing sent", bl, am));
    d.approve = mpavs_u256_cmp(&allow, &d.amount) < 0;
    char sm[43], st[43], tk[43], a1[400], a2[500];
    mpavs_address_to_checksum(sm, &t.n.d.strategy_manager);
    mpavs_address_to_checksum(st, &t.n.d.strategy);
    mpavs_address_to_checksum(tk, &t.n.d.token);
    printf("token: %s (decimals %u)\nbalance: %s\nallowance: %s%s\n", tk, tokdec, bl, al,
           d.approve ? " (below the amount: approve first)" : " (covers the amount: no approve)");
    snprintf(a1, sizeof a1, "    spender = %s (StrategyManager)\n    amount = %s (%s token units)\n", sm, amw, am);
    snprintf(a2, sizeof a2, "    strategy = %s\n    token = %s\n    amount = %s (%s token units, decimals %u)\n", st, tk,
             amw, am, tokdec);
    tx_plan p[2] = {{"token", &t.n.d.token, "approve(address,uint256)", a1},
                    {"StrategyManager", &t.n.d.strategy_manager, "depositIntoStrategy(address,address,uint256)", a2}};
    rc = d.approve ? tx_run(&t, p, 2, dep_run, &d) : tx_run(&t, p + 1, 1, dep_run, &d);
    if (rc) return tx_end(&t, rc < 0 ? 0 : rc);
    printf("deposited %s (%s wei)\n", am, amw);
    mpavs_u256 shares;
    char sh[80];
    if (mpavs_contracts_operator_shares(&t.c, &t.n.d, &shares, &t.me, &t.n.d.strategy)) return tx_end(&t, tx_fail(&t));
    u256_dec(sh, &shares);
    printf("operator_shares: %s\n", sh);
    return tx_end(&t, 0);
}

/* ---------------- opt-in / opt-out ---------------- */

/* "0,1" → ascending distinct quorum numbers. Returns the count, or -1 after a usage error. */
static int parse_quorums(uint8_t q[MPAVS_CONTRACTS_MAX_QUORUMS], const char *s) {
    bool seen[MPAVS_CONTRACTS_MAX_QUORUMS] = {false};
    const char *p = s;
    while (*p) {
        char *end;
        long v = strtol(p, &end, 10);
        if (end == p || v < 0 || v >= MPAVS_CONTRACTS_MAX_QUORUMS || (*end && *end != ',')) {
            cli_usage_error("operator: --quorums: expected comma-separated numbers 0..191, got '%s'", s);
            return -1;
        }
        seen[v] = true;
        p = *end ? end + 1 : end;
    }
    int n = 0;
    for (int i = 0; i < MPAVS_CONTRACTS_MAX_QUORUMS; i++)
        if (seen[i]) q[n++] = (uint8_t)i;
    if (!n) cli_usage_error("operator: --quorums: no quorum given");
    return n ? n : -1;
}

static void quorums_text(char *out, size_t cap, const uint8_t *q, int n) {
    size_t l = (size_t)snprintf(out, cap, "0x");
    for (int i = 0; i < n && l + 3 < cap; i++) l += (size_t)snprintf(out + l, cap - l, "%02x", q[i]);
}

/* Decrypt the BLS key for opt-in (--bls-key-file, else <keys-dir>/<NAME>.bls.key.json). Returns 0 or an exit code. */
static int load_opt_in_bls(uint8_t bsk[32], const tx_cmd *t, const char *file, const char *pwfile) {
    char path[4096];
    int rc = file ? copy_str(path, sizeof path, file, "--bls-key-file") : key_path(path, sizeof path, t->s.dir, t->s.name, true);
    if (rc) return rc;
    char *pw = get_password(pwfile ? pwfile : t->s.pwfile, path, false);
    if (!pw) return 1;
    rc = load_bls(bsk, path, pw);
    free_secret(pw);
    return rc;
}

/* The opt-in transaction as shown before sending. */
static void opt_in_plan(char *args, size_t cap, const tx_cmd *t, const uint8_t bsk[32], const char *qt, const char *sock,
                        uint64_t expiry) {
    mpavs_bn254_g1 p1;
    uint8_t id[32] = {0};
    char sm[43], idt[80] = "?";
    if (mpavs_bls_pubkey_g1(&p1, bsk) == MPAVS_BLS_OK) {
        mpavs_bls_operator_id(id, &p1);
        for (int i = 0; i < 32; i++) snprintf(idt + 2 * i, 3, "%02x", id[i]);
    }
    mpavs_address_to_checksum(sm, &t->n.d.service_manager);
    snprintf(args, cap,
             "    quorumNumbers = %s\n    socket = \"%s\"\n    pubkeyParams = BLS key of operatorId 0x%s with its proof"
             " of possession\n    operatorSignature = AVSDirectory registration for avs %s, random salt, expiry %llu\n",
             qt, sock, idt, sm, (unsigned long long)expiry);
}

typedef struct {
    const uint8_t *bsk, *q;
    int nq;
    const char *sock;
    const uint8_t *salt;
    uint64_t expiry;
} opt_in_arg;

static int opt_in_run(tx_cmd *t, void *arg) {
    const opt_in_arg *o = arg;
    return mpavs_contracts_opt_in(&t->c, &t->n.d, t->sk, o->bsk, o->q, (size_t)o->nq, o->sock, o->salt, o->expiry) ? 1 : 0;
}

typedef struct {
    const uint8_t *q;
    int nq;
} opt_out_arg;

static int opt_out_run(tx_cmd *t, void *arg) {
    const opt_out_arg *o = arg;
    return mpavs_contracts_opt_out(&t->c, &t->n.d, o->q, (size_t)o->nq) ? 1 : 0;
}

static int op_opt_in(int argc, char **argv) {
    tx_cmd t;
    int rc = tx_begin(&t, "opt-in", argc, argv, OPTIN_HELP);
    if (rc >= 0) return rc;
    const char *qs = cli_opt(&t.a, "quorums"), *sock = cli_opt(&t.a, "socket"), *vs = cli_opt(&t.a, "sig-valid-secs");
    const char *bkf = cli_opt(&t.a, "bls-key-file"), *bpw = cli_opt(&t.a, "bls-password-file");
    uint8_t q[MPAVS_CONTRACTS_MAX_QUORUMS];
    int nq = parse_quorums(q, qs ? qs : "0");
    if (nq < 0) return 2;
    if (!sock) sock = "Not Needed";
    if (strchr(sock, '"') || strchr(sock, '\\')) return cli_usage_error("operator opt-in: --socket without quotes or backslashes");
    uint64_t valid = 1000000;
    if (vs) {
        char *end;
        unsigned long long v = strtoull(vs, &end, 10);
        if (!*vs || *end || v == 0 || v > 100000000ull) return cli_usage_error("operator opt-in: --sig-valid-secs: 1..1e8");
        valid = v;
    }
    uint8_t bsk[32], salt[32], id[32];
    if ((rc = load_opt_in_bls(bsk, &t, bkf, bpw))) return rc;
    if ((rc = tx_connect(&t, true))) goto out;
    if (t.st.poa_enabled && !t.st.whitelisted) {
        rc = cli_error("operator opt-in: the AVS's PoA whitelist is enabled and this operator is not on it (ask the AVS team); nothing sent");
        goto out;
    }
    for (int i = 0; i < nq; i++)
        if (q[i] < t.st.quorum_count && mpavs_u256_bit(&t.st.quorum_bitmap, q[i])) {
            rc = cli_error("operator opt-in: already registered in quorum %u; nothing sent", q[i]);
            goto out;
        }
    for (int i = 0; i < nq; i++)
        if (q[i] >= t.st.quorum_count) {
            rc = cli_error("operator opt-in: quorum %u does not exist (the AVS has %u); nothing sent", q[i], t.st.quorum_count);
            goto out;
        }
    if (mpavs_random_bytes(salt, sizeof salt)) {
        rc = cli_error("operator opt-in: no randomness from the OS");
        goto out;
    }
    uint64_t expiry = (uint64_t)time(NULL) + valid;
    char qt[400], args[1400];
    quorums_text(qt, sizeof qt, q, nq);
    opt_in_plan(args, sizeof args, &t, bsk, qt, sock, expiry);
    tx_plan p = {"RegistryCoordinator", &t.n.d.registry_coordinator,
                 "registerOperator(bytes,string,((uint256,uint256),(uint256,uint256),(uint256[2],uint256[2])),"
                 "(bytes,bytes32,uint256))",
                 args};
    opt_in_arg oa = {bsk, q, nq, sock, salt, expiry};
    rc = tx_run(&t, &p, 1, opt_in_run, &oa);
    if (rc < 0) rc = 0;
    else if (rc) goto out;
    else if (mpavs_contracts_operator_id(&t.c, &t.n.d, &t.me, id)) {
        rc = tx_fail(&t);
    } else {
        printf("opted in (gas used %llu)\n", (unsigned long long)t.c.gas_used);
        print_word("operator_id", id);
    }
out:
    mpavs_wipe(bsk, sizeof bsk);
    return tx_end(&t, rc);
}

static int op_opt_out(int argc, char **argv) {
    tx_cmd t;
    int rc = tx_begin(&t, "opt-out", argc, argv, OPTOUT_HELP);
    if (rc >= 0) return rc;
    const char *qs = cli_opt(&t.a, "quorums");
    uint8_t q[MPAVS_CONTRACTS_MAX_QUORUMS];
    int nq = parse_quorums(q, qs ? qs : "0");
    if (nq < 0) return 2;
    if ((rc = tx_connect(&t, false))) return tx_end(&t, rc);
    char qt[400], args[500];
    quorums_text(qt, sizeof qt, q, nq);
    snprintf(args, sizeof args, "    quorumNumbers = %s\n", qt);
    tx_plan p = {"RegistryCoordinator", &t.n.d.registry_coordinator, "deregisterOperator(bytes)", args};
    for (int i = 0; i < nq; i++)
        if (q[i] >= t.st.quorum_count || !mpavs_u256_bit(&t.st.quorum_bitmap, q[i]))
            return tx_end(&t, cli_error("operator opt-out: not registered in quorum %u; nothing sent", q[i]));
    opt_out_arg oa = {q, nq};
    rc = tx_run(&t, &p, 1, opt_out_run, &oa);
    if (!rc) printf("opted out of %s (gas used %llu)\n", qt, (unsigned long long)t.c.gas_used);
    return tx_end(&t, rc < 0 ? 0 : rc);
}

/* ---------------- status ---------------- */

/* The "address" field of an ECDSA key file (no password). Returns 0 or 1 after a message. */
static int file_address(mpavs_address *addr, const char *path) {
    json_error_t je;
    json_t *o = json_load_file(path, 0, &je);
    if (!o) return cli_error("operator status: cannot read %s (give --operator ADDR)", path);
    const char *s = json_string_value(json_object_get(o, "address"));
    int rc = s && mpavs_address_parse(addr, s) == 0 ? 0
                                                     : cli_error("operator status: %s has no address field (give --operator ADDR)", path);
    json_decref(o);
    return rc;
}

/* operatorId from a BLS key file's pubKey field, if there is such a file. Returns true if found. */
static bool file_operator_id(uint8_t id[32], const char *path) {
    json_error_t je;
    json_t *o = json_load_file(path, 0, &je);
    if (!o) return false;
    const char *s = json_string_value(json_object_get(o, "pubKey"));
    mpavs_bn254_g1 pk;
    bool ok = s && mpavs_keystore_bls_pubkey_parse(&pk, s) == 0;
    if (ok) mpavs_bls_operator_id(id, &pk);
    json_decref(o);
    return ok;
}

/* The attestation account: --attestation-address, or the address of the hex key in --attestation-key-file. */
static int attestation_account(mpavs_address *addr, bool *have, const char *address, const char *keyfile) {
    *have = false;
    if (address && keyfile) return cli_usage_error("operator status: give --attestation-address or --attestation-key-file, not both");
    if (address) {
        *have = true;
        return parse_addr_opt(addr, "attestation-address", address);
    }
    if (!keyfile) return 0;
    char *text = cli_read_secret_file(keyfile);
    if (!text) return 1;
    uint8_t sk[32];
    int rc = 0;
    mpavs_ecdsa_ctx *ec = mpavs_ecdsa_ctx_create();
    char *t = text;
    while (*t == ' ' || *t == '\n') t++;
    size_t l = strlen(t);
    while (l && (t[l - 1] == ' ' || t[l - 1] == '\n' || t[l - 1] == '\r')) t[--l] = 0;
    if (mpavs_hex_decode_exact(sk, 32, t) != MPAVS_HEX_OK || !ec || mpavs_ecdsa_seckey_to_address(ec, addr, sk))
        rc = cli_usage_error("operator status: %s: expected a hex private key", keyfile);
    else
        *have = true;
    mpavs_wipe(sk, sizeof sk);
    free_secret(text);
    mpavs_ecdsa_ctx_destroy(ec);
    return rc;
}

static int read_only_operator(mpavs_address *me, cli_args *a, const char *key_file) {
    const char *opa = cli_opt(a, "operator"), *ef = getenv("ETH_FROM");
    if (opa) return parse_addr_opt(me, "operator", opa);
    if (ef && *ef) return mpavs_address_parse(me, ef) ? cli_usage_error("operator: ETH_FROM is not an address: '%s'", ef) : 0;
    return file_address(me, key_file);
}

static const char *avs_status_name(uint8_t s) {
    return s == 0 ? "never" : s == 1 ? "registered" : s == 2 ? "deregistered" : "unknown";
}

static int op_status(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) return cli_help(STATUS_HELP);
    cli_args a;
    if (!cli_args_init(&a, argc, argv)) return 2;
    net_cfg n;
    int rc = net_parse(&a, &n, "operator");
    if (rc) return rc;
    const char *opa = cli_opt(&a, "operator"), *name = cli_opt(&a, "key"), *ekf = cli_opt(&a, "ecdsa-key-file");
    const char *bkf = cli_opt(&a, "bls-key-file"), *aa = cli_opt(&a, "attestation-address");
    const char *akf = cli_opt(&a, "attestation-key-file");
    bool js = cli_flag(&a, "json");
    char dir[4096], *pos[1];
    if ((rc = keys_dir(dir, sizeof dir, cli_opt(&a, "keys-dir")))) return rc;
    if (cli_positionals(&a, pos, 1) != 0) return cli_usage_error("operator status: unexpected argument");
    if (name && !valid_name(name)) return cli_usage_error("operator status: --key: bad key name");
    if (!name) name = DEFAULT_KEY_NAME;
    mpavs_address me, att;
    bool have_att;
    char path[4096];
    const char *ef = getenv("ETH_FROM");
    if (opa) rc = parse_addr_opt(&me, "operator", opa);
    else if (ef && *ef && !ekf) rc = mpavs_address_parse(&me, ef) ? cli_usage_error("operator status: ETH_FROM is not an address") : 0;
    else if (!(rc = ekf ? copy_str(path, sizeof path, ekf, "--ecdsa-key-file") : key_path(path, sizeof path, dir, name, false)))
        rc = file_address(&me, path);
    if (!rc) rc = attestation_account(&att, &have_att, aa, akf);
    if (rc) return rc;
    uint8_t file_id[32];
    bool have_file_id = false;
    if (!(bkf ? copy_str(path, sizeof path, bkf, "--bls-key-file") : key_path(path, sizeof path, dir, name, true)))
        have_file_id = file_operator_id(file_id, path);

    mpavs_contracts_ctx c;
    json_t *j = js ? json_object() : NULL;
    if (js && !j) return cli_error("operator status: out of memory");
    if ((rc = net_connect(&c, &n, NULL, NULL))) {
        json_decref(j);
        return rc;
    }
    mpavs_contracts_standing *st = calloc(1, sizeof *st);
    if (!st) {
        net_close(&c);
        return cli_error("operator status: out of memory");
    }
    if (mpavs_contracts_operator_status(&c, &n.d, st, &me)) {
        rc = cli_error("operator status: %s", c.error.message);
        goto close;
    }
    char bm[80];
    out_str(j, "network", n.network);
    out_u64(j, "chain_id", n.d.chain_id);
    out_addr(j, "operator", &me);
    out_addr(j, "registry_coordinator", &n.d.registry_coordinator);
    out_addr(j, "service_manager", &n.d.service_manager);
    out_bool(j, "eigenlayer_operator", st->is_operator);
    {
        /* the DelegationManager's form decides which views hold the operator's details */
        mpavs_contracts_dm_form form;
        mpavs_address am;
        mpavs_contracts_operator_details od;
        if (mpavs_contracts_delegation_form(&c, &n.d, &form, &am)) {
            rc = cli_error("operator status: %s", c.error.message);
            goto close;
        }
        out_str(j, "delegation_manager_form", form == MPAVS_CONTRACTS_DM_SLASHING ? "slashing" : "m2");
        int r = !st->is_operator ? 0
                : form == MPAVS_CONTRACTS_DM_SLASHING ? mpavs_contracts_get_operator_details_slashing(&c, &n.d, &am, &me, &od)
                                                      : mpavs_contracts_get_operator_details(&c, &n.d, &me, &od);
        if (r) {
            rc = cli_error("operator status: %s", c.error.message);
            goto close;
        }
        if (form == MPAVS_CONTRACTS_DM_SLASHING) out_addr(j, "allocation_manager", &am);
        if (st->is_operator) {
            out_addr(j, "delegation_approver", &od.delegation_approver);
            if (form == MPAVS_CONTRACTS_DM_SLASHING) {
                out_u64(j, "allocation_delay", od.allocation_delay);
                out_bool(j, "allocation_delay_set", od.allocation_delay_set);
            } else {
                out_addr(j, "earnings_receiver", &od.earnings_receiver);
                out_u64(j, "staker_opt_out_window_blocks", od.staker_opt_out_window_blocks);
            }
        }
    }
    out_str(j, "avs_status", avs_status_name(st->avs_status));
    out_word(j, "operator_id", st->operator_id);
    (void)mpavs_u256_to_hex(bm, sizeof bm, &st->quorum_bitmap);
    out_str(j, "quorum_bitmap", bm);
    for (unsigned q = 0; q < st->quorum_count; q++)
        if (mpavs_u256_bit(&st->quorum_bitmap, q)) {
            char v[80], k[40];
            u256_dec(v, &st->stake[q]);
            snprintf(k, sizeof k, "stake_quorum_%u", q);
            out_str(j, k, v);
        }
    out_bool(j, "poa_enabled", st->poa_enabled);
    out_bool(j, "whitelisted", st->whitelisted);
    static const uint8_t zero[32];
    const uint8_t *id = memcmp(st->operator_id, zero, 32) ? st->operator_id : have_file_id ? file_id : NULL;
    /* the attestation layer may be another chain */
    mpavs_contracts_ctx ac = {0};
    bool other = n.att_rpc_url[0] && strcmp(n.att_rpc_url, n.rpc_url) != 0;
    mpavs_rpc *arpc = other ? mpavs_rpc_create(n.att_rpc_url, NULL) : c.rpc;
    if (!arpc) {
        rc = cli_error("operator status: unusable attestation RPC URL %s", n.att_rpc_url);
        goto close;
    }
    if (mpavs_contracts_init(&ac, arpc, NULL)) {
        mpavs_contracts_clear(&ac);
        if (other) mpavs_rpc_destroy(arpc);
        rc = cli_error("operator status: out of memory");
        goto close;
    }
    if (n.profile[0]) out_str(j, "attestation_profile", n.profile);
    out_str(j, "attestation_rpc_url", other ? n.att_rpc_url : n.rpc_url);
    if (n.have_liveness && id) {
        mpavs_contracts_liveness lv;
        out_addr(j, "liveness_verifier", &n.liveness_verifier);
        if (mpavs_contracts_liveness_status(&ac, &lv, &n.liveness_verifier, id)) {
            rc = cli_error("operator status: attestation layer: %s", ac.error.message);
        } else {
            out_u64(j, "attested_at", lv.attested_at);
            out_u64(j, "attest_validity_seconds", lv.validity_seconds);
            out_u64(j, "liveness_valid_until", lv.valid_until);
            out_bool(j, "live", lv.live);
            out_addr(j, "attested_prover", &lv.prover);
        }
    } else {
        char why[160];
        snprintf(why, sizeof why, "unknown (%s)", id ? "no TEELivenessVerifier: give --liveness-verifier" : "no operator id: not registered and no BLS key file");
        out_str(j, "liveness", why);
    }
    if (!rc && have_att) {
        mpavs_u256 bal;
        mpavs_error e = {0};
        int r = mpavs_rpc_get_balance(ac.rpc, &bal, &e, att.bytes, "latest");
        if (r) {
            rc = cli_error("operator status: eth_getBalance: %s (%s)", mpavs_rpc_strerror(r), e.message);
        } else {
            char v[80];
            u256_dec(v, &bal);
            out_addr(j, "attestation_account", &att);
            out_str(j, "attestation_balance_wei", v);
        }
        mpavs_error_clear(&e);
    }
    if (other) mpavs_rpc_destroy(ac.rpc);
    mpavs_contracts_clear(&ac);
close:
    if (j && !rc) out_json(j);
    json_decref(j);
    free(st);
    net_close(&c);
    return rc;
}

static const char NETWORKS_HELP[] =
    "NAME\n    mpavs operator networks - the built-in network presets\n\n"
    "SYNOPSIS\n    mpavs operator networks [--json] [NAME]\n\n"
    "DESCRIPTION\n"
    "    Prints each preset (or NAME's): network, chain_id, eth_rpc_url, EigenLayer core\n"
    "    (delegation_manager, strategy_manager, avs_directory, allocation_manager, rewards_coordinator,\n"
    "    permission_controller), DCAP attestation (dcap_attestation, pccs_router), the Multi-Prover AVS\n"
    "    where a deployment is public (registry_coordinator, service_manager, ...; else avs: none, give\n"
    "    --deployment FILE) and the attestation profiles. Retired names (holesky) say where to go.\n"
    "    Reads no chain.\n\n"
    "OPTIONS\n"
    "  --json                a JSON array of objects with the same keys\n\n"
    "EXAMPLES\n    mpavs operator networks hoodi\n";

static void out_opt(json_t *j, const char *k, const char *v) {
    if (v) out_str(j, k, v);
}

static int op_networks(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) return cli_help(NETWORKS_HELP);
    cli_args a;
    if (!cli_args_init(&a, argc, argv)) return 2;
    bool js = cli_flag(&a, "json");
    char *pos[2];
    int n = cli_positionals(&a, pos, 2);
    if (n < 0 || n > 1) return cli_usage_error("operator networks: at most one NAME");
    if (n == 1 && mpavs_preset_retired(pos[0])) return cli_usage_error("operator networks: %s", mpavs_preset_retired(pos[0]));
    if (n == 1 && !mpavs_preset_by_network(pos[0]))
        return cli_usage_error("operator networks: unknown network '%s' (mainnet, hoodi, sepolia)", pos[0]);
    json_t *arr = js ? json_array() : NULL;
    bool first = true;
    for (size_t i = 0; i < mpavs_preset_count(); i++) {
        const mpavs_preset *p = mpavs_preset_at(i);
        if (n == 1 && strcasecmp(p->network, pos[0]) != 0) continue;
        json_t *j = arr ? json_object() : NULL;
        if (!arr && !first) putchar('\n');
        first = false;
        out_str(j, "network", p->network);
        out_u64(j, "chain_id", p->chain_id);
        out_str(j, "eth_rpc_url", p->eth_rpc_url);
        out_str(j, "delegation_manager", p->delegation_manager);
        out_str(j, "strategy_manager", p->strategy_manager);
        out_str(j, "avs_directory", p->avs_directory);
        out_str(j, "allocation_manager", p->allocation_manager);
        out_str(j, "rewards_coordinator", p->rewards_coordinator);
        out_str(j, "permission_controller", p->permission_controller);
        out_str(j, "dcap_attestation", p->dcap_attestation);
        out_str(j, "pccs_router", p->pccs_router);
        if (p->registry_coordinator) {
            out_str(j, "registry_coordinator", p->registry_coordinator);
            out_opt(j, "operator_state_retriever", p->operator_state_retriever);
            out_opt(j, "service_manager", p->service_manager);
            out_opt(j, "stake_registry", p->stake_registry);
            out_opt(j, "bls_apk_registry", p->bls_apk_registry);
            out_opt(j, "index_registry", p->index_registry);
        } else {
            out_str(j, "avs", "none published: give --deployment FILE");
        }
        for (size_t k = 0; k < p->nprofiles; k++) {
            char key[96];
            snprintf(key, sizeof key, "attestation_profile_%s", p->profiles[k].name);
            out_str(j, key, p->profiles[k].liveness_verifier);
        }
        if (p->default_profile) out_str(j, "default_attestation_profile", p->default_profile);
        if (j) json_array_append_new(arr, j);
    }
    if (arr) {
        out_json(arr);
        json_decref(arr);
    } else if (n == 0) {
        printf("\nholesky: %s\n", mpavs_preset_retired("holesky"));
    }
    return 0;
}

int cmd_operator(int argc, char **argv) {
    static const cli_command SUB[] = {
        {"keys", "create, import, list, show operator key files", cmd_keys},
        {"register", "register as an EigenLayer operator (DelegationManager)", op_register},
        {"update", "change the operator's details and metadata URI (DelegationManager)", op_update},
        {"deposit", "restake tokens into a strategy (StrategyManager)", op_deposit},
        {"opt-in", "register with the AVS in quorums (BLS proof of possession)", op_opt_in},
        {"opt-out", "deregister from AVS quorums", op_opt_out},
        {"status", "registration, stake, PoA, liveness and attestation balance", op_status},
        {"networks", "the built-in network presets (mainnet, hoodi, sepolia)", op_networks},
    };
    return cli_dispatch("mpavs operator", SUB, sizeof SUB / sizeof SUB[0], argc, argv);
}
