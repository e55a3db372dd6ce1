/* mpavs chain verify — re-execute a range of blocks statelessly from one trusted block hash. */
#include "cli.h"
#include "commands.h"

#include "mpavs/hex.h"
#include "mpavs/rpc.h"
#include "mpavs/stateless.h"

#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool parse_u64(uint64_t *v, const char *s) {
    if (!s || !*s) return false;
    char *end;
    errno = 0;
    unsigned long long x = strtoull(s, &end, 0);
    if (errno || *end || s[0] == '-') return false;
    *v = x;
    return true;
}

/* A JSON-RPC call whose result is JSON. Returns NULL after a message on stderr. */
static json_t *rpc_json(mpavs_rpc *c, const char *method, const char *params) {
    char *res = NULL;
    mpavs_error e = {0};
    int r = mpavs_rpc_call(c, &res, &e, method, params);
    if (r) {
        cli_error("chain verify: %s: %s: %s", method, mpavs_rpc_strerror(r), e.message);
        mpavs_error_clear(&e);
        return NULL;
    }
    json_t *j = json_loads(res, JSON_DECODE_ANY, NULL);
    free(res);
    return j;
}

/* 0x-hex of a 32-byte hash into out[67]. */
static void hex0x(char out[67], const uint8_t *b, size_t n) {
    if (mpavs_hex_encode(out, 67, b, n, true)) out[0] = 0;
}

static void report_refusal(bool json, uint64_t n, const char *reason, const char *msg) {
    if (json) {
        json_t *o = json_pack("{s:I,s:b,s:s,s:s}", "block", (json_int_t)n, "verified", 0, "reason", reason, "message", msg);
        char *t = json_dumps(o, JSON_COMPACT);
        puts(t);
        free(t);
        json_decref(o);
    } else {
        printf("block %llu refused: %s: %s\n", (unsigned long long)n, reason, msg);
    }
}

static int chain_verify(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) {
        cli_help_usage("usage: mpavs chain verify --rpc-url URL --from A --to B [--trusted-hash HASH] [--preset NAME] [--json]\n\n"
                       "Re-executes blocks A..B with the EVM engine on witnesses from the node, trusting only the hash\n"
                       "of block A-1 (--trusted-hash; without it the node's, and the anchor is then the node's word).\n"
                       "Each block's parent is the block verified before it. Prints one line per block,\n"
                       "  block N verified: txs=T gas=G state_root=0x... (Xms)   or   block N refused: REASON: MESSAGE\n"
                       "and `verified K of M blocks`; stops at the first refusal. Exit status 0 only when every block\n"
                       "verified. --preset: mainnet, sepolia, hoodi, anvil (default: from eth_chainId; anvil takes any chain id).");
        return 0;
    }
    cli_args a;
    if (!cli_args_init(&a, argc, argv)) return 2;
    const char *url = cli_rpc_url(&a), *from_s = cli_opt(&a, "from"), *to_s = cli_opt(&a, "to"),
               *trusted_s = cli_opt(&a, "trusted-hash"), *preset = cli_opt(&a, "preset");
    bool json = cli_flag(&a, "json");
    char *pos[1];
    if (cli_positionals(&a, pos, 1) != 0) return cli_usage_error("chain verify: no positional arguments");
    if (!url) return cli_usage_error("chain verify: --rpc-url URL is required (or set ETH_RPC_URL)");
    uint64_t from, to;
    if (!parse_u64(&from, from_s) || !parse_u64(&to, to_s) || from == 0 || to < from)
        return cli_usage_error("chain verify: --from A and --to B are block numbers with 1 <= A <= B");
    uint8_t trusted[32];
    if (trusted_s && mpavs_hex_decode_exact(trusted, 32, trusted_s))
        return cli_usage_error("chain verify: --trusted-hash must be 32 bytes of 0x-hex");
    curl_global_init(CURL_GLOBAL_DEFAULT);
    mpavs_rpc *c = mpavs_rpc_create(url, NULL);
    if (!c) return cli_usage_error("chain verify: unusable RPC URL '%s'", url);
    int rc = 1;
    mpavs_ecdsa_ctx *ecdsa = NULL;
    mpavs_stateless_cursor *cur = NULL;
    uint64_t id = 0;
    json_t *jid = rpc_json(c, "eth_chainId", "[]");
    bool id_ok = jid && parse_u64(&id, json_string_value(jid));
    json_decref(jid);
    if (!id_ok) goto out;
    if (!preset) {
        preset = mpavs_stateless_preset_for_chain(id);
        if (!preset) {
            rc = cli_usage_error("chain verify: chain id %llu has no preset: give --preset NAME", (unsigned long long)id);
            goto out;
        }
    }
    mpavs_stateless_config cfg;
    if (mpavs_stateless_preset(&cfg, preset)) {
        rc = cli_usage_error("chain verify: unknown preset %s (mainnet, sepolia, hoodi, anvil)", preset);
        goto out;
    }
    if (!strcmp(preset, "anvil")) {
        cfg.chain.chain_id = id; /* anvil --chain-id */
    } else if (cfg.chain.chain_id != id) {
        rc = cli_usage_error("chain verify: the node's chain id is %llu, preset %s is chain %llu", (unsigned long long)id,
                             preset, (unsigned long long)cfg.chain.chain_id);
        goto out;
    }
    if (!trusted_s) {
        char p[64];
        snprintf(p, sizeof p, "[\"0x%llx\",false]", (unsigned long long)(from - 1));
        json_t *j = rpc_json(c, "eth_getBlockByNumber", p);
        const char *h = json_string_value(json_object_get(j, "hash"));
        bool ok = h && mpavs_hex_decode_exact(trusted, 32, h) == 0;
        json_decref(j);
        if (!ok) {
            cli_error("chain verify: no hash of block %llu from the node", (unsigned long long)(from - 1));
            goto out;
        }
        fprintf(stderr, "warning: no --trusted-hash: block %llu's hash is the node's word (the anchor of everything verified)\n",
                (unsigned long long)(from - 1));
    }
    ecdsa = mpavs_ecdsa_ctx_create();
    cur = mpavs_stateless_cursor_create(from - 1, trusted);
    if (!ecdsa || !cur) goto out;
    bool tty = isatty(2);
    uint64_t total = to - from + 1, verified = 0;
    for (uint64_t n = from; n <= to; n++) {
        if (tty) fprintf(stderr, "\r[%llu/%llu] block %llu ", (unsigned long long)(n - from + 1), (unsigned long long)total,
                         (unsigned long long)n);
        mpavs_stateless_outcome o;
        int v = mpavs_stateless_cursor_next(cur, &o, c, &cfg, ecdsa, NULL);
        if (tty) fputs("\r\033[K", stderr);
        if (v != MPAVS_STATELESS_OK) {
            report_refusal(json, n, mpavs_stateless_strerror(v), o.message);
            break;
        }
        char root[67];
        hex0x(root, o.state_root, 32);
        if (json) {
            char bh[67];
            hex0x(bh, o.block_hash, 32);
            json_t *jo = json_pack("{s:I,s:b,s:I,s:I,s:s,s:s,s:f,s:f}", "block", (json_int_t)n, "verified", 1, "txs",
                                   (json_int_t)o.stats.tx_count, "gas", (json_int_t)o.stats.gas_used, "state_root", root,
                                   "hash", bh, "ms", o.exec_ms, "witness_ms", o.fetch_ms);
            char *t = json_dumps(jo, JSON_COMPACT);
            puts(t);
            free(t);
            json_decref(jo);
        } else {
            printf("block %llu verified: txs=%zu gas=%llu state_root=%s (%.1fms)\n", (unsigned long long)n, o.stats.tx_count,
                   (unsigned long long)o.stats.gas_used, root, o.exec_ms);
        }
        fflush(stdout);
        verified++;
    }
    printf("verified %llu of %llu blocks\n", (unsigned long long)verified, (unsigned long long)total);
    rc = verified == total ? 0 : 1;
out:
    mpavs_stateless_cursor_destroy(cur);
    mpavs_ecdsa_ctx_destroy(ecdsa);
    mpavs_rpc_destroy(c);
    return rc;
}

static const cli_command CHAIN_COMMANDS[] = {
    {"verify", "re-execute blocks A..B statelessly from a trusted block hash", chain_verify},
};

int cmd_chain(int argc, char **argv) {
    return cli_dispatch("mpavs chain", CHAIN_COMMANDS, sizeof CHAIN_COMMANDS / sizeof CHAIN_COMMANDS[0], argc, argv);
}
