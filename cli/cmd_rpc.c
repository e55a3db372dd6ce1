/* mpavs rpc | call | send — talk to a node over JSON-RPC. */
#include "cli.h"
#include "mpavs/contracts.h"
#include "commands.h"

#include "mpavs/abi.h"
#include "mpavs/ecdsa.h"
#include "mpavs/hex.h"
#include "mpavs/rpc.h"
#include "mpavs/sender.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ARGS 256
#define MAX_USER_ERRORS 32 /* --error SIG options */
#define MAX_ERRORS 512     /* those and the project's contracts' errors (checked in collect_errors) */

static mpavs_rpc *open_rpc(cli_args *a) {
    const char *url = cli_rpc_url(a);
    if (!url) {
        cli_usage_error("%s: --rpc-url URL is required (or set ETH_RPC_URL)", a->argv[0]);
        return NULL;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    mpavs_rpc *c = mpavs_rpc_create(url, NULL);
    if (!c) cli_usage_error("%s: unusable RPC URL '%s' (expected http:// or https://)", a->argv[0], url);
    return c;
}

static int rpc_failure(const char *what, int r, const mpavs_error *e) {
    if (r == MPAVS_RPC_ERR_RPC) return cli_error("%s: node error %ld: %s", what, e->rpc_code, e->message);
    return cli_error("%s: %s: %s", what, mpavs_rpc_strerror(r), e->message);
}

int cmd_rpc(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) {
        cli_help_usage("usage: mpavs rpc --rpc-url URL METHOD [PARAM...]\n\n"
                       "Sends one JSON-RPC request and prints the JSON result. Each PARAM is JSON\n"
                       "(e.g. '\"latest\"', 'true', '{\"to\":\"0x..\"}'); text that is not JSON is sent as a string.");
        return 0;
    }
    cli_args a;
    if (!cli_args_init(&a, argc, argv)) return 2;
    mpavs_rpc *c = open_rpc(&a);
    if (!c) return 2;
    char *pos[MAX_ARGS];
    int n = cli_positionals(&a, pos, MAX_ARGS);
    if (n < 1) {
        mpavs_rpc_destroy(c);
        return n < 0 ? 2 : cli_usage_error("rpc: expected a METHOD");
    }
    json_t *params = json_array();
    for (int i = 1; i < n; i++) {
        json_t *p = json_loads(pos[i], JSON_DECODE_ANY, NULL);
        json_array_append_new(params, p ? p : json_string(pos[i]));
    }
    char *ptext = json_dumps(params, JSON_COMPACT);
    json_decref(params);
    char *result = NULL;
    mpavs_error e = {0};
    int r = mpavs_rpc_call(c, &result, &e, pos[0], ptext);
    int rc = 0;
    if (r) rc = rpc_failure("rpc", r, &e);
    else puts(result);
    free(result);
    free(ptext);
    mpavs_error_clear(&e);
    mpavs_rpc_destroy(c);
    return rc;
}

/* Build calldata for SIG ARGS...; returns 0 or an exit code. */
static int calldata_for(mpavs_abi_signature **sig, uint8_t **data, size_t *len, char **pos, int n) {
    int r = mpavs_abi_signature_parse(sig, pos[0]);
    if (r) return cli_usage_error("bad signature '%s': %s", pos[0], mpavs_abi_strerror(r));
    const mpavs_abi_type *in = (*sig)->inputs;
    if ((size_t)(n - 1) != in->nfields)
        return cli_usage_error("%s takes %zu arguments, got %d", (*sig)->canonical, in->nfields, n - 1);
    mpavs_abi_value *args = mpavs_abi_value_new(in);
    if (!args) return cli_error("out of memory");
    for (int i = 1; i < n; i++) {
        mpavs_abi_value *v;
        if ((r = mpavs_abi_value_parse(&v, in->fields[i - 1], pos[i])) != MPAVS_ABI_OK) {
            mpavs_abi_value_free(args);
            return cli_usage_error("argument %d ('%.80s'): %s", i, pos[i], mpavs_abi_strerror(r));
        }
        mpavs_abi_value_move(&args->items[i - 1], v);
    }
    r = mpavs_abi_encode_call(data, len, *sig, args);
    mpavs_abi_value_free(args);
    return r ? cli_error("encoding failed: %s", mpavs_abi_strerror(r)) : 0;
}

static int parse_addr_arg(mpavs_address *out, const char *what, const char *s) {
    if (mpavs_address_parse(out, s) != MPAVS_ECDSA_OK)
        return cli_usage_error("%s: '%s' is not an address (0x + 40 hex digits, valid EIP-55 if mixed case)", what, s);
    return 0;
}

/* Print decoded return values (one per line) or raw hex if SIG has no outputs. */
static int print_return(const mpavs_abi_signature *sig, const uint8_t *ret, size_t len) {
    if (!sig->outputs) {
        cli_print_hex(ret, len);
        return 0;
    }
    mpavs_abi_value *v;
    int r = mpavs_abi_decode(&v, sig->outputs, ret, len);
    if (r) return cli_error("call: cannot decode the return data (%zu bytes): %s", len, mpavs_abi_strerror(r));
    for (size_t i = 0; i < v->n; i++) {
        char *s;
        if (mpavs_abi_value_format(&s, &v->items[i]) == MPAVS_ABI_OK) puts(s);
        free(s);
    }
    mpavs_abi_value_free(v);
    return 0;
}

/* Collect every --error SIG given, then the project's contracts' errors (to decode reverts). */
static size_t collect_errors(cli_args *a, const char **errs) {
    size_t n = 0, np;
    const char *e;
    while (n < MAX_USER_ERRORS && (e = cli_opt(a, "error")) != NULL) errs[n++] = e;
    const char *const *own = mpavs_contracts_error_signatures(&np);
    if (np > MAX_ERRORS - MAX_USER_ERRORS) /* never silently decode fewer than every project error */
        fprintf(stderr, "mpavs: %zu project errors exceed the decoding table (%d): raise MAX_ERRORS\n", np,
                MAX_ERRORS - MAX_USER_ERRORS);
    for (size_t i = 0; i < np && n < MAX_ERRORS; i++) errs[n++] = own[i];
    return n;
}

int cmd_call(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) {
        cli_help_usage("usage: mpavs call --rpc-url URL [--block TAG] [--from ADDR] [--error SIG]... TO SIG [ARG...]\n\n"
                       "eth_call of TO with the calldata of SIG and ARGs. With output types in SIG\n"
                       "(\"balanceOf(address)(uint256)\") the result is decoded one value per line; otherwise\n"
                       "printed as hex. A revert prints its decoded reason and exits 1.");
        return 0;
    }
    cli_args a;
    if (!cli_args_init(&a, argc, argv)) return 2;
    mpavs_rpc *c = open_rpc(&a);
    if (!c) return 2;
    const char *block = cli_opt(&a, "block"), *from = cli_opt(&a, "from");
    const char *errs[MAX_ERRORS];
    size_t nerr = collect_errors(&a, errs);
    char *pos[MAX_ARGS];
    int n = cli_positionals(&a, pos, MAX_ARGS), rc;
    mpavs_abi_signature *sig = NULL;
    uint8_t *data = NULL, *ret = NULL;
    size_t len = 0, rl = 0;
    mpavs_address to, fa;
    mpavs_error e = {0};
    if (n < 2) {
        rc = n < 0 ? 2 : cli_usage_error("call: expected TO and SIG");
        goto out;
    }
    if ((rc = parse_addr_arg(&to, "call", pos[0])) || (from && (rc = parse_addr_arg(&fa, "call --from", from))))
        goto out;
    if ((rc = calldata_for(&sig, &data, &len, pos + 1, n - 1))) goto out;
    mpavs_rpc_callmsg m = {.to = to.bytes, .from = from ? fa.bytes : NULL, .data = data, .data_len = len};
    int r = mpavs_rpc_eth_call(c, &ret, &rl, &e, &m, block ? block : "latest");
    if (r == MPAVS_RPC_ERR_RPC && e.data_len) {
        char *why = NULL;
        if (mpavs_abi_decode_revert(&why, e.data, e.data_len, errs, nerr) == MPAVS_ABI_OK)
            rc = cli_error("call reverted: %s", why);
        free(why);
    } else if (r)
        rc = rpc_failure("call", r, &e);
    else
        rc = print_return(sig, ret, rl);
out:
    free(ret);
    free(data);
    mpavs_abi_signature_free(sig);
    mpavs_error_clear(&e);
    mpavs_rpc_destroy(c);
    return rc;
}

static int read_key(uint8_t key[32], const char *hex) {
    if (!hex) return cli_usage_error("send: --private-key 0xKEY is required");
    if (mpavs_hex_decode_exact(key, 32, hex) != MPAVS_HEX_OK)
        return cli_usage_error("send: --private-key must be 0x + 64 hex digits");
    return 0;
}

/* The sender's observer for `send`: keep the simulation (for --dry-run). */
static void keep_event(void *arg, const mpavs_sender_event *ev) {
    if (ev->kind == MPAVS_SENDER_EVENT_SIMULATED) *(mpavs_sender_event *)arg = *ev;
}

int cmd_send(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) {
        cli_help_usage("usage: mpavs send --rpc-url URL --private-key 0xKEY [--value WEI] [--gas-limit N]\n"
                       "                  [--max-fee-per-gas F] [--max-priority-fee-per-gas F] [--legacy] [--dry-run]\n"
                       "                  [--error SIG]... TO SIG [ARG...]\n\n"
                       "Signs and sends an EIP-1559 transaction calling SIG on TO, waits for the receipt and\n"
                       "prints: transactionHash, status (1 success / 0 failed), gasUsed, blockNumber, and the\n"
                       "decoded revert reason on failure (exit 1; the project's contract errors are known, --error\n"
                       "adds others). Fees from eth_feeHistory, never above --max-fee-per-gas /\n"
                       "--max-priority-fee-per-gas (wei, or e.g. 20gwei; env ETH_GAS_PRICE, ETH_PRIORITY_GAS_PRICE);\n"
                       "--legacy sends a type-0 transaction priced from eth_gasPrice. The gas estimate gets 25%%\n"
                       "headroom; a stuck transaction is re-sent with higher fees. --dry-run estimates and\n"
                       "eth_calls it, prints gasEstimate, gasLimit and maxFeePerGas, and sends nothing.\n"
                       "--rpc-url defaults to env ETH_RPC_URL.");
        return 0;
    }
    cli_args a;
    if (!cli_args_init(&a, argc, argv)) return 2;
    mpavs_rpc *c = open_rpc(&a);
    if (!c) return 2;
    const char *keyhex = cli_opt(&a, "private-key"), *value_s = cli_opt(&a, "value"), *gas_s = cli_opt(&a, "gas-limit");
    const char *mf = cli_opt(&a, "max-fee-per-gas"), *pf = cli_opt(&a, "max-priority-fee-per-gas");
    if (!mf && getenv("ETH_GAS_PRICE") && *getenv("ETH_GAS_PRICE")) mf = getenv("ETH_GAS_PRICE");
    if (!pf && getenv("ETH_PRIORITY_GAS_PRICE") && *getenv("ETH_PRIORITY_GAS_PRICE")) pf = getenv("ETH_PRIORITY_GAS_PRICE");
    mpavs_sender_event sim = {0};
    mpavs_sender_options so = {.legacy = cli_flag(&a, "legacy"), .simulate = cli_flag(&a, "dry-run"),
                               .observer = keep_event, .observer_arg = &sim};
    const char *errs[MAX_ERRORS];
    size_t nerr = collect_errors(&a, errs);
    char *pos[MAX_ARGS];
    int n = cli_positionals(&a, pos, MAX_ARGS), rc = 0;
    uint8_t key[32], *data = NULL;
    size_t len = 0;
    mpavs_abi_signature *sig = NULL;
    mpavs_sender *s = NULL;
    mpavs_error e = {0};
    mpavs_address to;
    mpavs_u256 value = {{0}}, gas = {{0}};
    mpavs_sender_result res;
    memset(&res, 0, sizeof res);
    if (n < 2) {
        rc = n < 0 ? 2 : cli_usage_error("send: expected TO and SIG");
        goto out;
    }
    if ((rc = read_key(key, keyhex)) || (rc = parse_addr_arg(&to, "send", pos[0]))) goto out;
    if (value_s && mpavs_u256_parse(&value, value_s, strlen(value_s)) != MPAVS_U256_OK) {
        rc = cli_usage_error("send: --value must be a decimal or 0x integer (wei)");
        goto out;
    }
    if (gas_s && (mpavs_u256_parse(&gas, gas_s, strlen(gas_s)) != MPAVS_U256_OK || gas.w[1] | gas.w[2] | gas.w[3])) {
        rc = cli_usage_error("send: --gas-limit must be an integer");
        goto out;
    }
    if ((mf && (rc = cli_parse_fee(&so.max_fee_cap, mf, "send: --max-fee-per-gas"))) ||
        (pf && (rc = cli_parse_fee(&so.max_priority_fee_cap, pf, "send: --max-priority-fee-per-gas"))))
        goto out;
    if ((rc = calldata_for(&sig, &data, &len, pos + 1, n - 1))) goto out;
    int r = mpavs_sender_create(&s, &e, c, key, &so);
    if (r) {
        rc = cli_error("send: %s: %s", mpavs_sender_strerror(r), e.message);
        goto out;
    }
    r = mpavs_sender_send(s, &res, &e, to.bytes, &value, data, len, gas.w[0], errs, nerr);
    if (r == MPAVS_SENDER_ERR_REVERTS) {
        rc = cli_error("send: transaction would revert: %s", res.revert_reason);
        goto out;
    }
    if (r) {
        rc = cli_error("send: %s: %s", mpavs_sender_strerror(r), e.message);
        goto out;
    }
    if (res.simulated) {
        char fee[80];
        (void)mpavs_u256_to_dec(fee, sizeof fee, &sim.max_fee_per_gas);
        printf("gasEstimate %llu\ngasLimit %llu\n%s %s\ndry run: nothing sent\n", (unsigned long long)sim.gas_estimate,
               (unsigned long long)sim.gas_limit, sim.legacy ? "gasPrice" : "maxFeePerGas", fee);
        goto out;
    }
    printf("transactionHash 0x");
    for (int i = 0; i < 32; i++) printf("%02x", res.tx_hash[i]);
    printf("\nstatus %d\ngasUsed %llu\nblockNumber %llu\n", res.success ? 1 : 0, (unsigned long long)res.gas_used,
           (unsigned long long)res.block_number);
    if (!res.success) {
        printf("revertReason %s\n", res.revert_reason);
        rc = 1;
    }
out:
    mpavs_wipe(key, sizeof key);
    mpavs_sender_result_clear(&res);
    mpavs_sender_destroy(s);
    free(data);
    mpavs_abi_signature_free(sig);
    mpavs_error_clear(&e);
    mpavs_rpc_destroy(c);
    return rc;
}
