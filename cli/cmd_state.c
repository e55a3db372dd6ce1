/*
 * mpavs state get | watch — what a rollup or a bridge reads: the states the AVS confirmed, from
 * the MultiProverServiceManager's consumer API (getConfirmedState, latestConfirmedState) and its
 * StateConfirmed events.
 */
#include "cli.h"
#include "commands.h"
#include "netcfg.h"

#include "mpavs/avs.h"
#include "mpavs/hex.h"
#include "mpavs/keccak.h"

#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define GET_HELP                                                                                                   \
    "NAME\n"                                                                                                       \
    "    mpavs state get - read a confirmed state from the AVS contract\n\n"                                       \
    "SYNOPSIS\n"                                                                                                   \
    "    mpavs state get --network NAME [--deployment FILE] [--rpc-url URL] --committee C\n"                       \
    "                    [--metadata HEX | --chain-block CHAIN N | --latest] [--block TAG] [--json]\n\n"            \
    "DESCRIPTION\n"                                                                                                \
    "    Reads the state the committee confirmed for a metadata (getConfirmedState), or its latest one\n"           \
    "    (latestConfirmedState: for an ordered committee the highest sequence, never going backwards;\n"            \
    "    the default). --chain-block CHAIN N names the metadata of a chain-state task (committee 3):\n"             \
    "    keccak256(abi.encodePacked(uint256 CHAIN, uint256 N)). Prints committee, metadata_hash, state\n"           \
    "    (and for a 64-byte chain state its block_hash and state_root), confirmed_block, task_id,\n"                \
    "    reference_block and sequence.\n\n"                                                                        \
    "OPTIONS\n" NETWORK_OPTS                                                                                       \
    "  --committee C         the committee id (task type: 1 Scroll, 2 Linea, 3 chain state)\n"                     \
    "  --metadata HEX        the metadata as confirmed (0x-hex bytes)\n"                                            \
    "  --chain-block CHAIN N the chain-state task of block N of chain CHAIN\n"                                      \
    "  --latest              the committee's latest confirmation (the default)\n"                                  \
    "  --block TAG           read at this AVS block (number or tag; default latest)\n"                             \
    "  --json                one JSON object\n\n"                                                                   \
    "EXIT STATUS\n"                                                                                                \
    "    0 found, 1 nothing confirmed for it (or the chain could not be read), 2 usage error\n"

#define WATCH_HELP                                                                                                 \
    "NAME\n"                                                                                                       \
    "    mpavs state watch - follow the states the AVS confirms\n\n"                                               \
    "SYNOPSIS\n"                                                                                                   \
    "    mpavs state watch --network NAME [--deployment FILE] [--rpc-url URL] [--committee C]\n"                   \
    "                      [--from-block N] [--confirmations K] [--interval S] [--count M] [--json]\n\n"           \
    "DESCRIPTION\n"                                                                                                \
    "    Prints one line per StateConfirmed event, in chain order, from --from-block (default: the\n"              \
    "    current head) on, each once, then polls every --interval seconds (default 2). An event is\n"              \
    "    printed once its block is K blocks deep (--confirmations, default 0: at once; use 2 or more on\n"          \
    "    a network that can reorganise). Stops after --count events, or on SIGINT/SIGTERM.\n\n"                   \
    "OPTIONS\n" NETWORK_OPTS                                                                                       \
    "  --committee C         only this committee\n"                                                                \
    "  --from-block N        first AVS block to read\n"                                                            \
    "  --confirmations K     depth before an event is printed\n"                                                   \
    "  --interval S          seconds between polls (1..3600)\n"                                                    \
    "  --count M             stop after M events\n"                                                                \
    "  --json                one JSON object per line\n\n"                                                          \
    "EXIT STATUS\n"                                                                                                \
    "    0 stopped (signal or --count), 1 the chain could not be read, 2 usage error\n"

static volatile sig_atomic_t g_stop;
static void on_signal(int sig) {
    (void)sig;
    g_stop = 1;
}

static bool parse_u64(uint64_t *v, const char *s) {
    if (!s || !*s || s[0] == '-') return false;
    char *end;
    errno = 0;
    unsigned long long x = strtoull(s, &end, 0);
    if (errno || *end) return false;
    *v = x;
    return true;
}

static json_t *hexj(const uint8_t *b, size_t n) {
    char *t = malloc(2 * n + 3);
    if (!t || mpavs_hex_encode(t, 2 * n + 3, b, n, true)) {
        free(t);
        return json_null();
    }
    json_t *j = json_string(t);
    free(t);
    return j;
}

/* Print a JSON object on one line and release it. */
static void print_json(json_t *o) {
    char *t = json_dumps(o, JSON_COMPACT);
    if (t) puts(t);
    free(t);
    json_decref(o);
}

static void print_hex_field(const char *name, const uint8_t *b, size_t n) {
    printf("%s 0x", name);
    for (size_t i = 0; i < n; i++) printf("%02x", b[i]);
    putchar('\n');
}

static int state_get(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) {
        cli_help(GET_HELP);
        return 0;
    }
    cli_args a;
    if (!cli_args_init(&a, argc, argv)) return 2;
    net_cfg n;
    const char *cs = cli_opt(&a, "committee"), *ms = cli_opt(&a, "metadata"), *cb = cli_opt(&a, "chain-block"),
               *tag = cli_opt(&a, "block");
    bool latest = cli_flag(&a, "latest"), json = cli_flag(&a, "json");
    int rc = net_parse(&a, &n, "state get");
    if (rc) return rc;
    char *pos[2];
    int np = cli_positionals(&a, pos, 2);
    uint64_t committee = 0, chain = 0, num = 0;
    if (!parse_u64(&committee, cs)) return cli_usage_error("state get: --committee C (a number) is required");
    if ((ms != NULL) + (cb != NULL) + latest > 1)
        return cli_usage_error("state get: give one of --metadata, --chain-block, --latest");
    /* --chain-block CHAIN N: N is the one positional */
    if (cb && (np != 1 || !parse_u64(&chain, cb) || !parse_u64(&num, pos[0])))
        return cli_usage_error("state get: --chain-block CHAIN N takes two numbers");
    if (!cb && np != 0) return cli_usage_error("state get: unexpected argument '%s'", pos[0]);
    uint8_t *meta = NULL, chain_meta[32];
    size_t mlen = 0;
    if (ms && !(meta = cli_parse_hex("state get: --metadata", ms, &mlen))) return 2;
    if (cb) {
        mpavs_avs_chain_task_metadata(chain_meta, chain, num);
        mlen = 32;
    }
    char tagbuf[32];
    if (tag) { /* a number becomes a 0x tag; latest/safe/finalized pass through */
        uint64_t bn;
        if (parse_u64(&bn, tag)) tag = mpavs_rpc_tag_number(tagbuf, bn);
        else if (strcmp(tag, "latest") && strcmp(tag, "safe") && strcmp(tag, "finalized") && strcmp(tag, "pending")) {
            free(meta);
            return cli_usage_error("state get: --block: a number, latest, safe or finalized");
        }
    }
    mpavs_contracts_ctx c;
    if ((rc = net_connect(&c, &n, NULL, NULL))) {
        free(meta);
        return rc;
    }
    mpavs_contracts_confirmed_state s;
    int r = ms || cb ? mpavs_contracts_get_confirmed_state(&c, &n.d, committee, cb ? chain_meta : meta, mlen, tag, &s)
                     : mpavs_contracts_latest_confirmed_state(&c, &n.d, committee, tag, &s);
    if (r) {
        rc = cli_error("state get: %s", c.error.message);
    } else if (!s.found) {
        rc = 1;
        if (json) print_json(json_pack("{s:I,s:b}", "committee", (json_int_t)committee, "found", 0));
        else fprintf(stderr, "state get: committee %llu has no confirmed state%s\n", (unsigned long long)committee,
                     ms || cb ? " for that metadata" : "");
    } else {
        char seq[80];
        (void)mpavs_u256_to_dec(seq, sizeof seq, &s.sequence);
        if (json) {
            json_t *o = json_pack("{s:I,s:b,s:o,s:o,s:I,s:I,s:I,s:s}", "committee", (json_int_t)committee, "found", 1,
                                  "metadata_hash", hexj(s.metadata_hash, 32), "state", hexj(s.state, s.state_len),
                                  "confirmed_block", (json_int_t)s.block_number, "task_id", (json_int_t)s.task_id,
                                  "reference_block", (json_int_t)s.reference_block, "sequence", seq);
            if (o && s.state_len == 64) {
                json_object_set_new(o, "block_hash", hexj(s.state, 32));
                json_object_set_new(o, "state_root", hexj(s.state + 32, 32));
            }
            print_json(o);
        } else {
            printf("committee %llu\n", (unsigned long long)committee);
            print_hex_field("metadata_hash", s.metadata_hash, 32);
            print_hex_field("state", s.state, s.state_len);
            if (s.state_len == 64) {
                print_hex_field("block_hash", s.state, 32);
                print_hex_field("state_root", s.state + 32, 32);
            }
            printf("confirmed_block %u\ntask_id %u\nreference_block %u\nsequence %s\n", s.block_number, s.task_id,
                   s.reference_block, seq);
        }
    }
    mpavs_contracts_confirmed_state_clear(&s);
    net_close(&c);
    free(meta);
    return rc;
}

static void print_event(const mpavs_contracts_confirmation *e, bool json) {
    if (json) {
        json_t *o = json_pack("{s:I,s:I,s:o,s:o,s:o}", "committee", (json_int_t)e->committee_id, "block",
                              (json_int_t)e->block_number, "tx", hexj(e->tx_hash, 32), "metadata",
                              hexj(e->metadata, e->metadata_len), "state", hexj(e->state, e->state_len));
        print_json(o);
    } else {
        printf("committee %llu block %llu tx 0x", (unsigned long long)e->committee_id,
               (unsigned long long)e->block_number);
        for (size_t i = 0; i < 32; i++) printf("%02x", e->tx_hash[i]);
        fputs(" metadata 0x", stdout);
        for (size_t i = 0; i < e->metadata_len; i++) printf("%02x", e->metadata[i]);
        fputs(" state 0x", stdout);
        for (size_t i = 0; i < e->state_len; i++) printf("%02x", e->state[i]);
        putchar('\n');
    }
    fflush(stdout);
}

static int state_watch(int argc, char **argv) {
    if (cli_wants_help(argc, argv)) {
        cli_help(WATCH_HELP);
        return 0;
    }
    cli_args a;
    if (!cli_args_init(&a, argc, argv)) return 2;
    const char *cs = cli_opt(&a, "committee"), *fs = cli_opt(&a, "from-block"), *ks = cli_opt(&a, "confirmations"),
               *is = cli_opt(&a, "interval"), *ns = cli_opt(&a, "count");
    bool json = cli_flag(&a, "json");
    net_cfg n;
    int rc = net_parse(&a, &n, "state watch");
    if (rc) return rc;
    char *pos[1];
    if (cli_positionals(&a, pos, 1) != 0) return cli_usage_error("state watch: unexpected argument '%s'", pos[0]);
    uint64_t committee = 0, from = 0, depth = 0, interval = 2, count = 0;
    if (cs && !parse_u64(&committee, cs)) return cli_usage_error("state watch: --committee: a number");
    if (fs && !parse_u64(&from, fs)) return cli_usage_error("state watch: --from-block: a block number");
    if (ks && (!parse_u64(&depth, ks) || depth > 10000)) return cli_usage_error("state watch: --confirmations: 0..10000");
    if (is && (!parse_u64(&interval, is) || interval < 1 || interval > 3600))
        return cli_usage_error("state watch: --interval: 1..3600 seconds");
    if (ns && (!parse_u64(&count, ns) || count == 0)) return cli_usage_error("state watch: --count: a positive number");
    mpavs_contracts_ctx c;
    if ((rc = net_connect(&c, &n, NULL, NULL))) return rc;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    bool have_from = fs != NULL;
    uint64_t printed = 0;
    unsigned failures = 0;
    while (!g_stop && rc == 0) {
        uint64_t head = 0;
        mpavs_error e = {0};
        int r = mpavs_rpc_block_number(c.rpc, &head, &e);
        if (r) {
            fprintf(stderr, "state watch: eth_blockNumber: %s (%s)\n", mpavs_rpc_strerror(r), e.message);
            mpavs_error_clear(&e);
            if (++failures >= 5) rc = 1;
        } else {
            failures = 0;
            if (!have_from) {
                from = head; /* from now on */
                have_from = true;
            }
            uint64_t to = head >= depth ? head - depth : 0;
            if (to >= from && head >= depth) {
                mpavs_contracts_confirmation *ev = NULL;
                size_t nev = 0;
                if (mpavs_contracts_confirmations_between(&c, &n.d, &ev, &nev, from, to)) {
                    fprintf(stderr, "state watch: %s\n", c.error.message);
                    if (++failures >= 5) rc = 1;
                } else {
                    for (size_t i = 0; i < nev && (!count || printed < count); i++) {
                        if (cs && ev[i].committee_id != committee) continue;
                        print_event(&ev[i], json);
                        printed++;
                    }
                    from = to + 1;
                }
                mpavs_contracts_confirmations_free(ev, nev);
            }
        }
        if (count && printed >= count) break;
        for (uint64_t ms = 0; ms < interval * 1000 && !g_stop; ms += 100) {
            struct timespec ts = {0, 100000000L};
            nanosleep(&ts, NULL);
        }
    }
    net_close(&c);
    return rc;
}

int cmd_state(int argc, char **argv) {
    static const cli_command STATE[] = {
        {"get", "read a confirmed state (by metadata, chain block, or the latest)", state_get},
        {"watch", "print each state the AVS confirms as it is confirmed", state_watch},
    };
    return cli_dispatch("mpavs state", STATE, sizeof STATE / sizeof STATE[0], argc, argv);
}
