/*
 * cli/avs_tx.c — run one administration transaction of `mpavs avs` (cli/avs_tx.h): the signer
 * (--private-key or an ECDSA key file), the fee flags, the arguments from the positionals, the
 * simulated preview, the confirmation, the send.
 */
#include "avs_tx.h"
#include "cli.h"
#include "netcfg.h"

#include "mpavs/abi.h"
#include "mpavs/contracts.h"
#include "mpavs/hex.h"
#include "mpavs/keystore.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char AVS_TX_OPTS[] =
    NETWORK_OPTS
    "  --private-key 0xKEY   the signer's secret key (devnet and tests; else an ECDSA key file)\n"
    "  --ecdsa-key-file F    the signer's encrypted ECDSA key file (the owner's, the committee manager's, ...)\n"
    "  --password-file F     the key file's password (else env MPAVS_KEY_PASSWORD)\n"
    "  --yes                 do not ask before sending\n"
    "  --dry-run             simulate the transaction (eth_estimateGas, eth_call), print the plan, send nothing\n"
    "  --gas-limit N         never use a larger gas limit (default estimate + 25%; env ETH_GAS_LIMIT)\n"
    "  --max-fee-per-gas F   never pay more per gas, fee bumps included (wei, or e.g. 20gwei; env ETH_GAS_PRICE)\n"
    "  --max-priority-fee-per-gas F  never tip more per gas (env ETH_PRIORITY_GAS_PRICE)\n"
    "  --legacy              send a type-0 transaction priced from eth_gasPrice\n";

#define MAX_LEAVES 16

/* One command's state. */
typedef struct {
    char who[96]; /* "avs committee add" */
    cli_args a;
    net_cfg n;
    mpavs_sender_options so;
    bool dry_run, yes, simulated;
    mpavs_sender_event sim;
    uint8_t sk[32];
    mpavs_address me;
    mpavs_contracts_ctx c;
    bool connected;
} avs_tx;

static void observe(void *arg, const mpavs_sender_event *ev) {
    avs_tx *t = arg;
    if (ev->kind == MPAVS_SENDER_EVENT_SIMULATED) {
        t->sim = *ev;
        t->simulated = true;
        return;
    }
    printf("transaction sent: 0x");
    for (int i = 0; i < 32; i++) printf("%02x", ev->tx_hash[i]);
    printf(" (nonce %llu%s)\n", (unsigned long long)ev->nonce, ev->bump ? ", fee bump" : "");
    fflush(stdout);
}

/* --gas-limit, --max-fee-per-gas, --max-priority-fee-per-gas, --legacy, --dry-run, --yes. */
static int fee_opts(avs_tx *t) {
    int rc = cli_tx_caps(&t->a, t->who, &t->so);
    if (rc) return rc;
    t->dry_run = cli_flag(&t->a, "dry-run");
    t->yes = cli_flag(&t->a, "yes");
    t->so.observer = observe;
    t->so.observer_arg = t;
    return 0;
}

/* The signer: --private-key, else --ecdsa-key-file with --password-file or MPAVS_KEY_PASSWORD. */
static int signer(avs_tx *t) {
    const char *pk = cli_opt(&t->a, "private-key"), *kf = cli_opt(&t->a, "ecdsa-key-file");
    const char *pwf = cli_opt(&t->a, "password-file");
    if (pk && kf) return cli_usage_error("%s: give --private-key or --ecdsa-key-file, not both", t->who);
    if (!pk && !kf) return cli_usage_error("%s: no signer: give --ecdsa-key-file F (or --private-key 0xKEY)", t->who);
    int rc = 0;
    if (pk) {
        if (mpavs_hex_decode_exact(t->sk, 32, pk) != MPAVS_HEX_OK)
            return cli_usage_error("%s: --private-key must be 0x + 64 hex digits", t->who);
    } else {
        char *pw = pwf ? cli_read_secret_file(pwf) : getenv("MPAVS_KEY_PASSWORD") ? strdup(getenv("MPAVS_KEY_PASSWORD")) : NULL;
        if (!pw) return cli_usage_error("%s: no password for %s: give --password-file F or set MPAVS_KEY_PASSWORD", t->who, kf);
        char *json = NULL;
        size_t jl = 0;
        uint8_t secret[MPAVS_KEYSTORE_MAX_SECRET];
        size_t sl = 0;
        mpavs_keystore_info info = {0};
        if (mpavs_keystore_read_file(&json, &jl, kf)) rc = cli_error("%s: cannot read %s", t->who, kf);
        else {
            int r = mpavs_keystore_decrypt(secret, sizeof secret, &sl, &info, json, jl, pw, strlen(pw));
            if (r == MPAVS_KEYSTORE_ERR_MAC) rc = cli_error("%s: %s: wrong password", t->who, kf);
            else if (r) rc = cli_error("%s: %s: %s", t->who, kf, mpavs_keystore_strerror(r));
            else if (sl != 32) rc = cli_error("%s: %s: secret is %zu bytes, expected 32", t->who, kf, sl);
            else memcpy(t->sk, secret, 32);
        }
        mpavs_wipe(secret, sizeof secret);
        mpavs_keystore_info_clear(&info);
        free(json);
        mpavs_wipe(pw, strlen(pw));
        free(pw);
        if (rc) return rc;
    }
    mpavs_ecdsa_ctx *ec = mpavs_ecdsa_ctx_create();
    if (!ec || mpavs_ecdsa_seckey_to_address(ec, &t->me, t->sk)) rc = cli_error("%s: invalid signer key", t->who);
    mpavs_ecdsa_ctx_destroy(ec);
    return rc;
}

/* Count the leaves of type t (tuple components, recursively; anything else is one). */
static size_t count_leaves(const mpavs_abi_type *t) {
    if (t->kind != MPAVS_ABI_TUPLE) return 1;
    size_t n = 0;
    for (size_t i = 0; i < t->nfields; i++) n += count_leaves(t->fields[i]);
    return n;
}

/* A bytes leaf given as a quorum list "0,1,2" → "0x0001 02". Returns true when it was one. */
static bool quorum_list(char *out, size_t cap, const char *v) {
    if (!*v || strncmp(v, "0x", 2) == 0 || strspn(v, "0123456789,") != strlen(v)) return false;
    size_t o = 0;
    o += (size_t)snprintf(out, cap, "0x");
    for (const char *p = v; *p;) {
        char *end;
        unsigned long q = strtoul(p, &end, 10);
        if (end == p || q > 191 || o + 3 > cap) return false;
        o += (size_t)snprintf(out + o, cap - o, "%02lx", q);
        p = *end == ',' ? end + 1 : end;
    }
    return true;
}

/* Append the text of type t (name: its parameter name) from the positionals pos[*i..]. */
static int leaf_text(avs_tx *t, char *out, size_t cap, size_t *o, const mpavs_abi_type *ty, const char *name,
                     char **pos, size_t *i) {
    if (ty->kind == MPAVS_ABI_TUPLE) {
        if (*o + 2 > cap) return cli_usage_error("%s: arguments too long", t->who);
        out[(*o)++] = '(';
        for (size_t k = 0; k < ty->nfields; k++) {
            if (k) out[(*o)++] = ',';
            int rc = leaf_text(t, out, cap, o, ty->fields[k], ty->names ? ty->names[k] : NULL, pos, i);
            if (rc) return rc;
            if (*o + 2 > cap) return cli_usage_error("%s: arguments too long", t->who);
        }
        out[(*o)++] = ')';
        out[*o] = 0;
        return 0;
    }
    const char *v = pos[(*i)++];
    char ql[2 * 192 + 8];
    int n;
    if (ty->kind == MPAVS_ABI_STRING) {
        if (strpbrk(v, "\"\\")) return cli_usage_error("%s: %s: no '\"' or '\\' allowed", t->who, name ? name : "string");
        n = snprintf(out + *o, cap - *o, "\"%s\"", v);
    } else if (ty->kind == MPAVS_ABI_BYTES && name && strstr(name, "uorumNumbers") && quorum_list(ql, sizeof ql, v)) {
        n = snprintf(out + *o, cap - *o, "%s", ql);
    } else {
        n = snprintf(out + *o, cap - *o, "%s", v);
    }
    if (n < 0 || (size_t)n >= cap - *o) return cli_usage_error("%s: arguments too long", t->who);
    *o += (size_t)n;
    return 0;
}

/* Print the leaves of value v (type ty) as "    path = value". */
static void print_leaves(const mpavs_abi_value *v, const mpavs_abi_type *ty, const char *path) {
    if (ty->kind == MPAVS_ABI_TUPLE) {
        for (size_t k = 0; k < ty->nfields; k++) {
            char p[256];
            const char *nm = ty->names && ty->names[k] ? ty->names[k] : "arg";
            if (*path) snprintf(p, sizeof p, "%s.%s", path, nm);
            else snprintf(p, sizeof p, "%s", nm);
            print_leaves(&v->items[k], ty->fields[k], p);
        }
        return;
    }
    char *s = NULL;
    if (mpavs_abi_value_format(&s, v) == MPAVS_ABI_OK) printf("    %s = %s\n", path, s);
    free(s);
}

static const char *target_name(avs_target x) {
    switch (x) {
    case AVS_SERVICE_MANAGER: return "MultiProverServiceManager";
    case AVS_REGISTRY_COORDINATOR: return "RegistryCoordinator";
    case AVS_STAKE_REGISTRY: return "StakeRegistry";
    case AVS_LIVENESS_VERIFIER: return "TEELivenessVerifier";
    case AVS_ATTESTATION_VERIFIER: return "AttestationVerifier";
    }
    return "?";
}

/* The address of target x (the attestation verifier read from the liveness verifier). */
static int target_address(avs_tx *t, mpavs_address *to, avs_target x) {
    const mpavs_contracts_deployment *d = &t->n.d;
    switch (x) {
    case AVS_SERVICE_MANAGER: *to = d->service_manager; return 0;
    case AVS_REGISTRY_COORDINATOR: *to = d->registry_coordinator; return 0;
    case AVS_STAKE_REGISTRY: *to = d->stake_registry; return 0;
    case AVS_LIVENESS_VERIFIER:
    case AVS_ATTESTATION_VERIFIER: break;
    }
    if (!t->n.have_liveness)
        return cli_usage_error("%s: no TEELivenessVerifier: give --liveness-verifier or a deployment with teeLivenessVerifier", t->who);
    *to = t->n.liveness_verifier;
    if (x == AVS_LIVENESS_VERIFIER) return 0;
    mpavs_abi_signature *s = NULL;
    uint8_t *data = NULL, *ret = NULL;
    size_t len = 0, rl = 0;
    mpavs_error e = {0};
    int rc = 1;
    mpavs_abi_value *args = NULL;
    if (!mpavs_abi_signature_parse(&s, "attestationVerifier()(address)")) args = mpavs_abi_value_new(s->inputs);
    if (args && !mpavs_abi_encode_call(&data, &len, s, args)) {
        mpavs_rpc_callmsg m = {.to = to->bytes, .data = data, .data_len = len};
        if (mpavs_rpc_eth_call(t->c.rpc, &ret, &rl, &e, &m, "latest") == MPAVS_RPC_OK && rl >= 32) {
            memcpy(to->bytes, ret + 12, 20);
            rc = 0;
        }
    }
    if (rc) cli_error("%s: cannot read attestationVerifier() of the TEELivenessVerifier: %s", t->who, e.message);
    mpavs_abi_value_free(args);
    mpavs_abi_signature_free(s);
    mpavs_error_clear(&e);
    free(data);
    free(ret);
    return rc;
}

static void print_plan(const avs_tx *t, const avs_tx_spec *sp, const mpavs_address *to, const mpavs_abi_signature *s,
                       const mpavs_abi_value *v) {
    char f[43], a[43];
    mpavs_address_to_checksum(f, &t->me);
    mpavs_address_to_checksum(a, to);
    printf("network: %s (chain id %llu, %s)\nfrom: %s\ntransaction: %s %s\n  %s\n", t->n.network,
           (unsigned long long)t->n.d.chain_id, t->n.rpc_url, f, target_name(sp->target), a, s->canonical);
    print_leaves(v, s->inputs, "");
    if (!t->simulated) {
        printf("  estimated gas: none (the simulation fails)\n");
        return;
    }
    cli_print_gas(&t->sim);
    fflush(stdout);
}

/* One send (simulated or real). Returns 0, or 1 after a message. */
static int send_once(avs_tx *t, const mpavs_address *to, const uint8_t *data, size_t len, bool simulate) {
    size_t ne = 0;
    const char *const *errs = mpavs_contracts_error_signatures(&ne);
    mpavs_sender_set_simulate(t->c.sender, simulate);
    mpavs_sender_result res;
    mpavs_error err = {0};
    int r = mpavs_sender_send(t->c.sender, &res, &err, to->bytes, NULL, data, len, 0, errs, ne);
    int rc = 0;
    const char *what = simulate ? "the simulation" : "the transaction";
    if (r == MPAVS_SENDER_ERR_REVERTS) rc = cli_error("%s: %s reverts: %s; nothing sent", t->who, what, res.revert_reason);
    else if (r) rc = cli_error("%s: %s: %s (%s)", t->who, what, mpavs_sender_strerror(r), err.message);
    else if (!res.success) {
        printf("tx hash: 0x");
        for (int i = 0; i < 32; i++) printf("%02x", res.tx_hash[i]);
        printf("\n");
        rc = cli_error("%s: the transaction failed in block %llu: %s", t->who, (unsigned long long)res.block_number,
                       res.revert_reason[0] ? res.revert_reason : "no reason");
    } else if (!simulate) {
        printf("tx hash: 0x");
        for (int i = 0; i < 32; i++) printf("%02x", res.tx_hash[i]);
        printf("\nmined in block %llu, gas used %llu\n", (unsigned long long)res.block_number,
               (unsigned long long)res.gas_used);
    }
    mpavs_sender_result_clear(&res);
    mpavs_error_clear(&err);
    return rc;
}

/* `mpavs avs GROUP --help`: the man-style page of every command group (cli/cli.c). */
static void group_help(const char *group, const char *summary, const avs_tx_spec *rows, size_t n) {
    const char *name = cli_help_summary();
    printf("NAME\n    mpavs avs %s - %s\n\n", group, name ? name : summary);
    printf("SYNOPSIS\n    mpavs avs %s <command> [options]\n    mpavs avs %s <command> --help\n\n", group, group);
    printf("DESCRIPTION\n    %s Commands:\n", summary);
    for (size_t i = 0; i < n; i++) printf("      %-22s %s\n", rows[i].name, rows[i].summary);
    printf("\nOPTIONS\n    --help      this text (every command takes --help too: its arguments)\n\n");
    cli_help_exit_status(stdout);
}

/* `mpavs avs GROUP NAME --help`: the same page for one row of the table. */
static void row_help(const char *group, const avs_tx_spec *sp) {
    printf("NAME\n    mpavs avs %s %s - %s\n\n", group, sp->name, sp->summary);
    printf("SYNOPSIS\n    mpavs avs %s %s %s%s[options]\n\n", group, sp->name, sp->usage, *sp->usage ? " " : "");
    printf("DESCRIPTION\n    %s.\n    %s: %s\n", sp->summary, target_name(sp->target), sp->signature);
    if (sp->detail) {
        for (const char *p = sp->detail; *p;) {
            size_t n = strcspn(p, "\n");
            printf("    %.*s\n", (int)n, p);
            p += n + (p[n] == '\n');
        }
    }
    printf("\nOPTIONS\n%s\n", AVS_TX_OPTS);
    cli_help_exit_status(stdout);
}

static int run(avs_tx *t, const char *group, const avs_tx_spec *sp, int argc, char **argv) {
    snprintf(t->who, sizeof t->who, "avs %s %s", group, sp->name);
    if (cli_wants_help(argc, argv)) return row_help(group, sp), 0;
    argv[0] = t->who; /* messages name the whole command */
    if (!cli_args_init(&t->a, argc, argv)) return 2;
    int rc = net_parse(&t->a, &t->n, t->who);
    if (rc || (rc = fee_opts(t)) || (rc = signer(t))) return rc;
    mpavs_abi_signature *s = NULL;
    mpavs_abi_value *v = NULL;
    uint8_t *data = NULL;
    size_t len = 0;
    char *pos[MAX_LEAVES + 1];
    char text[8192];
    if (mpavs_abi_signature_parse(&s, sp->signature)) {
        rc = cli_error("%s: bad signature %s", t->who, sp->signature);
        goto out;
    }
    size_t need = count_leaves(s->inputs);
    int np = cli_positionals(&t->a, pos, MAX_LEAVES + 1);
    if (np < 0) {
        rc = 2;
        goto out;
    }
    if ((size_t)np != need) {
        rc = cli_usage_error("%s: expected %zu argument%s (%s), got %d", t->who, need, need == 1 ? "" : "s",
                             *sp->usage ? sp->usage : "none", np);
        goto out;
    }
    size_t o = 0, i = 0;
    text[0] = 0;
    if ((rc = leaf_text(t, text, sizeof text, &o, s->inputs, NULL, pos, &i))) goto out;
    int r = mpavs_abi_value_parse(&v, s->inputs, text);
    if (r) {
        rc = cli_usage_error("%s: arguments %s do not fit %s: %s", t->who, text, s->canonical, mpavs_abi_strerror(r));
        goto out;
    }
    if (mpavs_abi_encode_call(&data, &len, s, v)) {
        rc = cli_error("%s: cannot encode the call", t->who);
        goto out;
    }
    if ((rc = net_connect(&t->c, &t->n, t->sk, &t->so))) goto out;
    t->connected = true;
    mpavs_address to;
    if ((rc = target_address(t, &to, sp->target))) goto out;
    int sim = send_once(t, &to, data, len, true);
    print_plan(t, sp, &to, s, v);
    if (sim) {
        rc = sim;
        goto out;
    }
    if (t->dry_run) {
        printf("dry run: simulated with eth_call, nothing sent\n");
        goto out;
    }
    if (!t->yes && (rc = cli_ask_proceed())) goto out;
    rc = send_once(t, &to, data, len, false);
out:
    free(data);
    mpavs_abi_value_free(v);
    mpavs_abi_signature_free(s);
    return rc;
}

int avs_tx_group(const char *group, const char *summary, const avs_tx_spec *rows, size_t n, int argc, char **argv) {
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        group_help(group, summary, rows, n);
        return argc < 2 ? 2 : 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (strcmp(rows[i].name, argv[1]) != 0) continue;
        avs_tx *t = calloc(1, sizeof *t);
        if (!t) return cli_error("avs %s: out of memory", group);
        int rc = run(t, group, &rows[i], argc - 1, argv + 1);
        if (t->connected) net_close(&t->c);
        mpavs_wipe(t->sk, sizeof t->sk);
        free(t);
        return rc;
    }
    return cli_usage_error("avs %s: unknown command '%s' (mpavs avs %s --help)", group, argv[1], group);
}

int avs_signer_and_fees(cli_args *a, const char *who, uint8_t sk[32], mpavs_address *me, mpavs_sender_options *so,
                        bool *dry_run, bool *yes) {
    avs_tx *t = calloc(1, sizeof *t);
    if (!t) return cli_error("%s: out of memory", who);
    snprintf(t->who, sizeof t->who, "%s", who);
    t->a = *a;
    int rc = fee_opts(t);
    if (!rc) rc = signer(t);
    if (!rc) {
        memcpy(sk, t->sk, 32);
        *me = t->me;
        *so = t->so;
        so->observer = NULL; /* t does not outlive this call */
        so->observer_arg = NULL;
        *dry_run = t->dry_run;
        *yes = t->yes;
        *a = t->a; /* the consumed options */
    }
    mpavs_wipe(t->sk, sizeof t->sk);
    free(t);
    return rc;
}
