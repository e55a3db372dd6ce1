/* mpavs tx sign | decode — build and sign legacy (EIP-155) and EIP-1559 transactions offline. */
#include "cli.h"
#include "commands.h"

#include "mpavs/ecdsa.h"
#include "mpavs/hex.h"
#include "mpavs/tx.h"
#include "mpavs/u256.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int opt_u256(mpavs_u256 *v, const char *name, const char *s) {
    if (mpavs_u256_parse(v, s, strlen(s)) != MPAVS_U256_OK)
        return cli_usage_error("tx sign: --%s: expected a decimal or 0x-hex integer, got '%.80s'", name, s);
    return 0;
}

static int opt_u64(uint64_t *v, const char *name, const char *s) {
    mpavs_u256 x;
    if (opt_u256(&x, name, s)) return 2;
    if (mpavs_u256_bits(&x) > 64) return cli_usage_error("tx sign: --%s: larger than 2^64-1", name);
    *v = x.w[0];
    return 0;
}

static const char SIGN_HELP[] =
    "usage: mpavs tx sign --private-key 0xKEY --chain-id N --nonce N --gas-limit N\n"
    "         (--max-fee-per-gas WEI --max-priority-fee-per-gas WEI | --legacy --gas-price WEI)\n"
    "         [--to ADDR] [--value WEI] [--data 0xHEX]\n\n"
    "Prints the signed raw transaction (0x...): EIP-1559 (type 2, empty access list) by\n"
    "default, legacy with EIP-155 replay protection with --legacy. Without --to the\n"
    "transaction creates a contract from --data. Integers are decimal or 0x hex.";

static int tx_sign(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) {
        cli_help_usage("%s", SIGN_HELP);
        return 0;
    }
    cli_args a;
    if (!cli_args_init(&a, argc, argv)) return 2;
    const char *key = cli_opt(&a, "private-key"), *chain = cli_opt(&a, "chain-id");
    const char *nonce = cli_opt(&a, "nonce"), *gas = cli_opt(&a, "gas-limit");
    const char *maxfee = cli_opt(&a, "max-fee-per-gas"), *prio = cli_opt(&a, "max-priority-fee-per-gas");
    const char *gasprice = cli_opt(&a, "gas-price"), *to = cli_opt(&a, "to");
    const char *value = cli_opt(&a, "value"), *data = cli_opt(&a, "data");
    bool legacy = cli_flag(&a, "legacy");
    char *pos[1];
    int n = cli_positionals(&a, pos, 1);
    if (n < 0) return 2;
    if (n != 0) return cli_usage_error("tx sign: unexpected argument '%s' (try --help)", pos[0]);
    if (!key || !chain || !nonce || !gas)
        return cli_usage_error("tx sign: --private-key, --chain-id, --nonce and --gas-limit are required");
    if (legacy && (!gasprice || maxfee || prio))
        return cli_usage_error("tx sign: --legacy takes --gas-price (and no EIP-1559 fees)");
    if (!legacy && (!maxfee || !prio || gasprice))
        return cli_usage_error("tx sign: give --max-fee-per-gas and --max-priority-fee-per-gas, "
                               "or --legacy --gas-price");

    mpavs_tx tx;
    mpavs_tx_init(&tx, legacy ? MPAVS_TX_TYPE_LEGACY : MPAVS_TX_TYPE_EIP1559);
    if (opt_u64(&tx.chain_id, "chain-id", chain) || opt_u64(&tx.nonce, "nonce", nonce) ||
        opt_u64(&tx.gas_limit, "gas-limit", gas))
        return 2;
    if (tx.chain_id == 0) return cli_usage_error("tx sign: --chain-id must not be 0");
    if (legacy) {
        if (opt_u256(&tx.gas_price, "gas-price", gasprice)) return 2;
    } else {
        if (opt_u256(&tx.max_fee_per_gas, "max-fee-per-gas", maxfee) ||
            opt_u256(&tx.max_priority_fee_per_gas, "max-priority-fee-per-gas", prio))
            return 2;
    }
    if (value && opt_u256(&tx.value, "value", value)) return 2;
    if (to) {
        int r = mpavs_address_parse(&tx.to, to);
        if (r) return cli_usage_error("tx sign: --to: %s", mpavs_ecdsa_strerror(r));
        tx.has_to = true;
    }
    uint8_t *bytes = NULL;
    if (data) {
        size_t len;
        bytes = cli_parse_hex("tx sign: --data", data, &len);
        if (!bytes) return 2;
        tx.data = len ? bytes : NULL;
        tx.data_len = len;
    }
    int rc = 0;
    uint8_t sk[32], *out = NULL;
    size_t klen;
    mpavs_ecdsa_ctx *ctx = mpavs_ecdsa_ctx_create();
    if (!ctx) {
        rc = cli_error("tx sign: cannot create a secp256k1 context");
        goto done;
    }
    if (mpavs_hex_decode(sk, 32, &klen, key, strlen(key)) != MPAVS_HEX_OK || klen != 32) {
        rc = cli_usage_error("tx sign: --private-key must be 0x + 64 hex digits");
        goto done;
    }
    int r = mpavs_tx_sign(ctx, &tx, sk);
    if (r) {
        rc = r == MPAVS_TX_ERR_SECKEY ? cli_usage_error("tx sign: invalid private key")
                                      : cli_error("tx sign: %s", mpavs_tx_strerror(r));
        goto done;
    }
    size_t cap = mpavs_tx_encoded_size_max(&tx), len;
    out = malloc(cap);
    if (!out || (r = mpavs_tx_serialize(out, cap, &len, &tx))) {
        rc = cli_error("tx sign: %s", out ? mpavs_tx_strerror(r) : "out of memory");
        goto done;
    }
    cli_print_hex(out, len);
done:
    mpavs_wipe(sk, sizeof sk);
    mpavs_ecdsa_ctx_destroy(ctx);
    free(out);
    free(bytes);
    return rc;
}

static void print_u256(const char *name, const mpavs_u256 *v, bool comma) {
    char s[80];
    if (mpavs_u256_to_hex(s, sizeof s, v)) s[0] = 0;
    printf("  \"%s\": \"%s\"%s\n", name, s, comma ? "," : "");
}

static void print_u64(const char *name, uint64_t v) {
    printf("  \"%s\": \"0x%llx\",\n", name, (unsigned long long)v);
}

static void print_bytes(const char *name, const uint8_t *b, size_t n) {
    printf("  \"%s\": \"0x", name);
    for (size_t i = 0; i < n; i++) printf("%02x", b[i]);
    printf("\",\n");
}

static int tx_decode(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) {
        cli_help_usage("usage: mpavs tx decode 0xRAW\n\n"
                       "Parses a signed raw transaction (legacy or EIP-1559), recovers its signer and prints\n"
                       "its fields as JSON (integers as 0x hex, like cast decode-transaction).");
        return 0;
    }
    cli_args a;
    if (!cli_args_init(&a, argc, argv)) return 2;
    char *pos[1];
    int n = cli_positionals(&a, pos, 1);
    if (n != 1) return n < 0 ? 2 : cli_usage_error("tx decode: expected one 0xRAW argument");
    size_t len;
    uint8_t *raw = cli_parse_hex("tx decode", pos[0], &len);
    if (!raw) return 2;
    mpavs_tx tx;
    int r = mpavs_tx_parse(&tx, raw, len);
    if (r) {
        free(raw);
        return cli_error("tx decode: %s", mpavs_tx_strerror(r));
    }
    mpavs_ecdsa_ctx *ctx = mpavs_ecdsa_ctx_create();
    mpavs_address from;
    r = ctx ? mpavs_tx_sender(ctx, &from, &tx) : MPAVS_TX_ERR_SIGNATURE;
    mpavs_ecdsa_ctx_destroy(ctx);
    if (r) {
        free(raw);
        return cli_error("tx decode: %s", mpavs_tx_strerror(r));
    }
    uint8_t h[32];
    if (mpavs_tx_hash(h, &tx)) memset(h, 0, 32);
    char cs[43];
    puts("{");
    mpavs_address_to_checksum(cs, &from);
    printf("  \"signer\": \"%s\",\n", cs);
    printf("  \"type\": \"0x%x\",\n", (unsigned)tx.type);
    print_u64("chainId", tx.chain_id);
    print_u64("nonce", tx.nonce);
    print_u64("gas", tx.gas_limit);
    if (tx.type == MPAVS_TX_TYPE_EIP1559) {
        print_u256("maxFeePerGas", &tx.max_fee_per_gas, true);
        print_u256("maxPriorityFeePerGas", &tx.max_priority_fee_per_gas, true);
    } else {
        print_u256("gasPrice", &tx.gas_price, true);
    }
    if (tx.has_to) {
        mpavs_address_to_checksum(cs, &tx.to);
        printf("  \"to\": \"%s\",\n", cs);
    } else {
        printf("  \"to\": null,\n");
    }
    print_u256("value", &tx.value, true);
    print_bytes("input", tx.data, tx.data_len);
    if (tx.type == MPAVS_TX_TYPE_EIP1559)
        printf("  \"accessListEntries\": %zu,\n  \"accessListStorageKeys\": %zu,\n",
               tx.access_list_addresses, tx.access_list_keys);
    mpavs_u256 rr = mpavs_u256_from_be32(tx.sig.r), ss = mpavs_u256_from_be32(tx.sig.s);
    print_u256("r", &rr, true);
    print_u256("s", &ss, true);
    printf("  \"yParity\": \"0x%x\",\n", tx.sig.recid);
    print_bytes("hash", h, 32);
    printf("  \"rawLength\": %zu\n}\n", len);
    free(raw);
    return 0;
}

static const cli_command TX[] = {
    {"sign", "build and sign a transaction, print the raw bytes", tx_sign},
    {"decode", "parse a raw signed transaction and recover its signer", tx_decode},
};

int cmd_tx(int argc, char **argv) { return cli_dispatch("mpavs tx", TX, sizeof TX / sizeof TX[0], argc, argv); }
