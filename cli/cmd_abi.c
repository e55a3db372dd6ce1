/* mpavs abi encode | calldata | decode */
#include "cli.h"
#include "commands.h"

#include "mpavs/abi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ARGS 256

/* Parse SIG and its positional arguments into a tuple value of its inputs. */
static int build_args(mpavs_abi_signature **sig, mpavs_abi_value **args, const char *sigtext, char **argv, int n) {
    int r = mpavs_abi_signature_parse(sig, sigtext);
    if (r) return cli_usage_error("abi: bad signature '%s': %s", sigtext, mpavs_abi_strerror(r));
    const mpavs_abi_type *in = (*sig)->inputs;
    if ((size_t)n != in->nfields)
        return cli_usage_error("abi: %s takes %zu arguments, got %d", (*sig)->canonical, in->nfields, n);
    *args = mpavs_abi_value_new(in);
    if (!*args) return cli_error("out of memory");
    for (int i = 0; i < n; i++) {
        mpavs_abi_value *v;
        r = mpavs_abi_value_parse(&v, in->fields[i], argv[i]);
        if (r) {
            char ty[256];
            mpavs_abi_type_canonical(ty, sizeof ty, in->fields[i]);
            return cli_usage_error("abi: argument %d ('%.80s') is not a valid %s: %s", i + 1, argv[i], ty,
                                   mpavs_abi_strerror(r));
        }
        mpavs_abi_value_move(&(*args)->items[i], v);
    }
    return 0;
}

static int encode_common(int argc, char **argv, bool with_selector) {
    if (cli_wants_help(argc, argv)) {
        cli_help_usage("usage: mpavs abi %s SIG [ARG...]\n\n"
                       "Prints the ABI encoding of the arguments%s as 0x hex (as `cast %s`).\n"
                       "Arguments: integers decimal or 0x hex (negative for intN), true/false, 0x hex for\n"
                       "address/bytes/bytesN, strings as is, arrays [a,b], tuples (a,b), nested as needed.\n",
                       with_selector ? "calldata" : "encode", with_selector ? ", after the 4-byte selector" : "",
                       with_selector ? "calldata" : "abi-encode");
        return 0;
    }
    cli_args a;
    if (!cli_args_init(&a, argc, argv)) return 2;
    char *pos[MAX_ARGS];
    int n = cli_positionals(&a, pos, MAX_ARGS);
    if (n < 0) return 2;
    if (n < 1) return cli_usage_error("abi: expected a signature such as \"f(uint256,address)\"");
    mpavs_abi_signature *sig = NULL;
    mpavs_abi_value *args = NULL;
    uint8_t *out = NULL;
    size_t len = 0;
    int rc = build_args(&sig, &args, pos[0], pos + 1, n - 1);
    if (rc == 0) {
        int r = with_selector ? mpavs_abi_encode_call(&out, &len, sig, args) : mpavs_abi_encode(&out, &len, args);
        if (r) rc = cli_error("abi: encoding failed: %s", mpavs_abi_strerror(r));
        else cli_print_hex(out, len);
    }
    free(out);
    mpavs_abi_value_free(args);
    mpavs_abi_signature_free(sig);
    return rc;
}

static int cmd_abi_encode(int argc, char **argv) { return encode_common(argc, argv, false); }
static int cmd_abi_calldata(int argc, char **argv) { return encode_common(argc, argv, true); }

static int cmd_abi_decode(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) {
        cli_help_usage("usage: mpavs abi decode [--calldata] SIG 0xDATA\n\n"
                       "Decodes ABI data and prints one top-level value per line: integers in decimal,\n"
                       "addresses EIP-55, bytes as 0x hex, bools, strings as is, arrays [a, b], tuples (a, b).\n"
                       "SIG's output list is used when it has one (\"f(uint256)(bool,address)\"), else its inputs.\n"
                       "--calldata: DATA starts with SIG's 4-byte selector, which is checked and skipped.");
        return 0;
    }
    cli_args a;
    if (!cli_args_init(&a, argc, argv)) return 2;
    bool calldata = cli_flag(&a, "calldata");
    char *pos[2];
    int n = cli_positionals(&a, pos, 2);
    if (n < 0) return 2;
    if (n != 2) return cli_usage_error("abi decode: expected SIG and 0xDATA");
    mpavs_abi_signature *sig;
    int r = mpavs_abi_signature_parse(&sig, pos[0]);
    if (r) return cli_usage_error("abi decode: bad signature '%s': %s", pos[0], mpavs_abi_strerror(r));
    size_t len;
    uint8_t *data = cli_parse_hex("abi decode", pos[1], &len);
    if (!data) {
        mpavs_abi_signature_free(sig);
        return 2;
    }
    mpavs_abi_value *v = NULL;
    if (calldata) r = mpavs_abi_decode_call(&v, sig, data, len);
    else r = mpavs_abi_decode(&v, sig->outputs ? sig->outputs : sig->inputs, data, len);
    int rc = 0;
    if (r) rc = cli_error("abi decode: %s", mpavs_abi_strerror(r));
    for (size_t i = 0; v && i < v->n; i++) {
        char *s;
        if (mpavs_abi_value_format(&s, &v->items[i]) != MPAVS_ABI_OK) {
            rc = cli_error("out of memory");
            break;
        }
        puts(s);
        free(s);
    }
    mpavs_abi_value_free(v);
    free(data);
    mpavs_abi_signature_free(sig);
    return rc;
}

int cmd_abi(int argc, char **argv) {
    static const cli_command T[] = {
        {"encode", "ABI-encode arguments (no selector), like cast abi-encode", cmd_abi_encode},
        {"calldata", "selector + ABI-encoded arguments, like cast calldata", cmd_abi_calldata},
        {"decode", "decode ABI data or calldata into one value per line", cmd_abi_decode},
    };
    return cli_dispatch("mpavs abi", T, sizeof T / sizeof T[0], argc, argv);
}
