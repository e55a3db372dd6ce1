/* Shared plumbing of the mpavs CLI: errors, option scanning, files, hex. */
#include "cli.h"

#include "mpavs/hex.h"
#include "mpavs/u256.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

__attribute__((format(printf, 1, 0))) static void vmsg(const char *fmt, va_list ap) {
    fputs("mpavs: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

int cli_error(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vmsg(fmt, ap);
    va_end(ap);
    return 1;
}

int cli_usage_error(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vmsg(fmt, ap);
    va_end(ap);
    return 2;
}

/* A command group's --help: the man-style page of every binary (docs/architecture.md). */
static void print_table(FILE *f, const char *parent, const cli_command *t, size_t n) {
    const char *top = strncmp(parent, "mpavs ", 6) == 0 ? parent + 6 : parent;
    const char *summary = strchr(top, ' ') ? NULL : cli_command_summary(top);
    fprintf(f, "NAME\n    %s - %s%s\n\n", parent, summary ? summary : "the commands of ", summary ? "" : parent);
    fprintf(f, "SYNOPSIS\n    %s <command> [options]\n    %s <command> --help\n\n", parent, parent);
    fputs("DESCRIPTION\n    Commands:\n", f);
    for (size_t i = 0; i < n; i++) fprintf(f, "      %-14s %s\n", t[i].name, t[i].summary);
    fputs("\nOPTIONS\n"
          "    --help      this text (every command takes --help too)\n\n",
          f);
    cli_help_exit_status(f);
}

void cli_help_exit_status(FILE *f) {
    fputs("EXIT STATUS\n"
          "    0 success; 1 runtime failure (a node, a file, a transaction); 2 usage or configuration error\n",
          f);
}

/* The command cli_dispatch last handed control to: its whole path and its table summary (the NAME
 * line of a page cli_help_usage reformats). The CLI runs one command per process. */
static char cur_path[160];
static const char *cur_summary;

void cli_help_set_command(const char *path, const char *summary) {
    snprintf(cur_path, sizeof cur_path, "%s", path);
    cur_summary = summary;
}

const char *cli_help_summary(void) {
    return cur_summary;
}

int cli_help(const char *page) {
    if (!strncmp(page, "usage:", 6)) return cli_help_usage("%s", page);
    if (strstr(page, "\nEXIT STATUS\n")) return fputs(page, stdout), 0;
    const char *ex = strstr(page, "\nEXAMPLES\n");
    size_t head = ex ? (size_t)(ex - page) + 1 : strlen(page);
    fwrite(page, 1, head, stdout);
    if (head && page[head - 1] == '\n' && (head < 2 || page[head - 2] != '\n')) fputc('\n', stdout);
    cli_help_exit_status(stdout);
    if (ex) fputs(ex, stdout);
    return 0;
}

/* The end of the line at p (its newline or the NUL). */
static const char *line_end(const char *p) {
    while (*p && *p != '\n') p++;
    return p;
}

/* Print one line of a page indented by four columns (blank lines stay blank); *blank tells
 * whether the line printed last was blank. */
static void page_line(const char *l, size_t n, bool *blank) {
    if (n) printf("    %.*s\n", (int)n, l);
    else putchar('\n');
    *blank = n == 0;
}

/* Print a section heading, one blank line before it. */
static void page_heading(const char *h, bool *blank) {
    printf("%s%s\n", *blank ? "" : "\n", h);
    *blank = false;
}

/* The "--name ARG" options a synopsis names ("[--value WEI]", "(--legacy --gas-price WEI)"), once
 * each, as the OPTIONS of a page whose text has no options block; returns how many. */
static int synopsis_options(const char *syn, size_t len) {
    char seen[1024] = "";
    size_t used = 0;
    int count = 0;
    const char *p = syn, *end = syn + len;
    while (p < end) {
        while (p < end && (*p == ' ' || *p == '\n')) p++;
        const char *t = p;
        while (p < end && *p != ' ' && *p != '\n') p++;
        const char *te = p;
        while (t < te && (*t == '[' || *t == '(' || *t == '|')) t++;
        if (te - t < 3 || t[0] != '-' || t[1] != '-') continue;
        const char *ne = t + 2;
        while (ne < te && (isalnum((unsigned char)*ne) || *ne == '-')) ne++;
        bool closed = ne < te; /* "--flag]": no argument follows */
        const char *a = NULL, *ae = NULL;
        if (!closed) {
            const char *q = p;
            while (q < end && *q == ' ') q++;
            const char *qe = q;
            while (qe < end && *qe != ' ' && *qe != '\n') qe++;
            const char *ve = qe;
            while (ve > q && (ve[-1] == ']' || ve[-1] == ')' || ve[-1] == '.')) ve--;
            const char *v = q + (ve - q > 2 && q[0] == '0' && q[1] == 'x' ? 2 : 0);
            bool upper = v < ve && isupper((unsigned char)*v);
            for (const char *c = v; c < ve; c++)
                if (!isupper((unsigned char)*c) && !isdigit((unsigned char)*c) && *c != '_' && *c != ',') upper = false;
            if (upper) a = q, ae = ve;
        }
        char name[64];
        snprintf(name, sizeof name, "|%.*s|", (int)(ne - t), t);
        if (strstr(seen, name) || used + strlen(name) >= sizeof seen) continue;
        memcpy(seen + used, name, strlen(name) + 1);
        used += strlen(name) - 1; /* the names share their separators */
        if (a) printf("    %.*s %.*s\n", (int)(ne - t), t, (int)(ae - a), a);
        else printf("    %.*s\n", (int)(ne - t), t);
        count++;
    }
    return count;
}

int cli_help_usage(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *text = len < 0 ? NULL : malloc((size_t)len + 1);
    if (!text) return cli_error("out of memory");
    va_start(ap, fmt);
    vsnprintf(text, (size_t)len + 1, fmt, ap);
    va_end(ap);
    const char *name = cur_path[0] ? cur_path : "mpavs";
    printf("NAME\n    %s - %s\n\nSYNOPSIS\n", name, cur_summary ? cur_summary : "a command of mpavs");
    const char *p = text;
    bool blank = false;
    const char *syn = NULL;
    /* "usage: A\n       B\n\n": the synopsis lines, up to the first blank line */
    while (*p && *p != '\n') {
        const char *e = line_end(p);
        if (!syn) syn = p;
        const char *l = p;
        if (!strncmp(l, "usage: ", 7)) l += 7;
        else /* continuation lines keep their alignment under the first */
            for (int k = 0; k < 7 && l < e && *l == ' '; k++) l++;
        page_line(l, (size_t)(e - l), &blank);
        p = *e ? e + 1 : e;
    }
    size_t synlen = syn ? (size_t)(p - syn) : 0;
    /* the rest: DESCRIPTION, then an "options:" block as OPTIONS and an "examples:" block as EXAMPLES */
    bool opts = false, desc = false;
    const char *examples = NULL;
    while (*p) {
        const char *e = line_end(p);
        size_t n = (size_t)(e - p);
        if ((n == 8 && !strncasecmp(p, "options:", 8)) || (n == 7 && !strncmp(p, "OPTIONS", 7))) {
            if (!desc) page_heading("DESCRIPTION", &blank), desc = true;
            page_heading("OPTIONS", &blank);
            opts = true;
        } else if ((n == 9 && !strncasecmp(p, "examples:", 9)) || (n == 8 && !strncmp(p, "EXAMPLES", 8))) {
            examples = *e ? e + 1 : e;
            break;
        } else if (!opts && n > 3 && !strncmp(p, "  --", 4) && p > text + 1 && p[-2] == '\n') {
            /* a paragraph of "  --option  text" lines: the OPTIONS */
            if (!desc) page_heading("DESCRIPTION", &blank), desc = true;
            page_heading("OPTIONS", &blank);
            opts = true;
            page_line(p, n, &blank);
        } else if (!desc && n == 0) {
            /* the blank line after the synopsis */
        } else {
            if (!desc) page_heading("DESCRIPTION", &blank), desc = true;
            page_line(p, n, &blank);
        }
        p = *e ? e + 1 : e;
    }
    if (!desc) page_heading("DESCRIPTION", &blank), fputs("    See SYNOPSIS.\n", stdout), blank = false;
    if (!opts) {
        page_heading("OPTIONS", &blank);
        if (syn) synopsis_options(syn, synlen);
        fputs("    --help                this text\n", stdout);
        blank = false;
    }
    if (!blank) putchar('\n');
    cli_help_exit_status(stdout);
    if (examples) {
        blank = false;
        page_heading("EXAMPLES", &blank);
        for (p = examples; *p;) {
            const char *e = line_end(p);
            page_line(p, (size_t)(e - p), &blank);
            p = *e ? e + 1 : e;
        }
    }
    free(text);
    return 0;
}

int cli_dispatch(const char *parent, const cli_command *t, size_t n, int argc, char **argv) {
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        print_table(argc < 2 ? stderr : stdout, parent, t, n);
        return argc < 2 ? 2 : 0;
    }
    for (size_t i = 0; i < n; i++)
        if (!strcmp(argv[1], t[i].name)) {
            char path[160];
            snprintf(path, sizeof path, "%s %s", parent, t[i].name);
            cli_help_set_command(path, t[i].summary);
            return t[i].run(argc - 1, argv + 1);
        }
    cli_usage_error("%s: unknown command '%s' (try %s --help)", parent, argv[1], parent);
    return 2;
}

bool cli_wants_help(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--")) break;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) return true;
    }
    return false;
}

bool cli_args_init(cli_args *a, int argc, char **argv) {
    memset(a, 0, sizeof *a);
    a->argc = argc;
    a->argv = argv;
    if (argc > CLI_MAX_ARGS) {
        cli_usage_error("%s: too many arguments (at most %d)", argv[0], CLI_MAX_ARGS);
        return false;
    }
    return true;
}

const char *cli_rpc_url(cli_args *a) {
    const char *u = cli_opt(a, "rpc-url");
    if (u) return u;
    u = getenv("ETH_RPC_URL");
    return u && *u ? u : NULL;
}

const char *cli_opt(cli_args *a, const char *name) {
    size_t nl = strlen(name);
    for (int i = 1; i < a->argc; i++) {
        const char *arg = a->argv[i];
        if (a->used[i]) continue;
        if (!strcmp(arg, "--")) break;
        if (strncmp(arg, "--", 2) || strncmp(arg + 2, name, nl)) continue;
        const char *rest = arg + 2 + nl;
        if (*rest == '=') {
            a->used[i] = true;
            return rest + 1;
        }
        if (*rest == 0 && i + 1 < a->argc) {
            a->used[i] = a->used[i + 1] = true;
            return a->argv[i + 1];
        }
    }
    return NULL;
}

bool cli_flag(cli_args *a, const char *name) {
    for (int i = 1; i < a->argc; i++) {
        const char *arg = a->argv[i];
        if (a->used[i]) continue;
        if (!strcmp(arg, "--")) break;
        if (!strncmp(arg, "--", 2) && !strcmp(arg + 2, name)) {
            a->used[i] = true;
            return true;
        }
    }
    return false;
}

int cli_positionals(cli_args *a, char **pos, int cap) {
    int n = 0;
    bool dashdash = false;
    for (int i = 1; i < a->argc; i++) {
        char *arg = a->argv[i];
        if (a->used[i]) continue;
        if (!dashdash && !strcmp(arg, "--")) {
            dashdash = true;
            continue;
        }
        /* "--x" is an option; "-5" (a negative number) is a value */
        if (!dashdash && !strncmp(arg, "--", 2)) {
            cli_usage_error("%s: unknown option '%s' (try --help)", a->argv[0], arg);
            return -1;
        }
        if (n >= cap) {
            cli_usage_error("%s: too many arguments", a->argv[0]);
            return -1;
        }
        pos[n++] = arg;
    }
    return n;
}

unsigned char *cli_read_file(const char *path, size_t *len) {
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!f) {
        cli_error("cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 8192, n = 0, r;
    unsigned char *b = malloc(cap + 1);
    while (b && (r = fread(b + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap) {
            if (cap > ((size_t)1 << 30)) {
                free(b);
                b = NULL;
                cli_error("%s: file larger than 1 GiB", path);
                break;
            }
            unsigned char *nb = realloc(b, 2 * cap + 1);
            if (!nb) {
                free(b);
                b = NULL;
                break;
            }
            b = nb;
            cap *= 2;
        }
    }
    bool err = ferror(f);
    if (f != stdin) fclose(f);
    if (!b) return NULL;
    if (err) {
        free(b);
        cli_error("error reading %s", path);
        return NULL;
    }
    b[n] = 0;
    if (len) *len = n;
    return b;
}

char *cli_read_secret_file(const char *path) {
    size_t n;
    unsigned char *b = cli_read_file(path, &n);
    if (!b) return NULL;
    if (n && b[n - 1] == '\n') b[--n] = 0;
    if (n && b[n - 1] == '\r') b[--n] = 0;
    return (char *)b;
}

uint8_t *cli_parse_hex(const char *what, const char *hex, size_t *len) {
    size_t cap = strlen(hex) / 2 + 1;
    uint8_t *out = malloc(cap);
    if (!out) return NULL;
    size_t n;
    if (mpavs_hex_decode(out, cap, &n, hex, strlen(hex)) != MPAVS_HEX_OK) {
        free(out);
        cli_error("%s: expected 0x-prefixed hex bytes, got '%.80s'", what, hex);
        return NULL;
    }
    *len = n;
    return out;
}

void cli_print_hex(const uint8_t *b, size_t n) {
    static const char d[] = "0123456789abcdef";
    fputs("0x", stdout);
    for (size_t i = 0; i < n; i++) {
        putchar(d[b[i] >> 4]);
        putchar(d[b[i] & 15]);
    }
    putchar('\n');
}

/*
 * A decimal number s ("2.5", "32") scaled by 10^decimals into *out (decimals 0: an integer).
 * what names the option in messages. Returns 0 or 2.
 */
int cli_parse_units(mpavs_u256 *out, const char *s, int decimals, const char *what, bool allow_zero) {
    int r = decimals >= 0 && decimals <= 77 ? mpavs_u256_parse_units(out, s, (unsigned)decimals) : MPAVS_U256_ERR_SYNTAX;
    if (r == MPAVS_U256_ERR_SYNTAX)
        return cli_usage_error("%s: expected a %s number with at most %d decimal places, got '%s'", what,
                               decimals ? "decimal" : "whole", decimals, s);
    if (r || (!allow_zero && mpavs_u256_is_zero(out)))
        return cli_usage_error("%s: must be %sand fit 256 bits, got '%s'", what, allow_zero ? "" : "positive ", s);
    return 0;
}

/* A fee per gas: wei ("1500000000"), or with a unit ("1.5gwei", "20wei"). Returns 0 or 2. */
int cli_parse_fee(mpavs_u256 *out, const char *s, const char *what) {
    int r = mpavs_u256_parse_fee(out, s);
    if (r == MPAVS_U256_ERR_SYNTAX)
        return cli_usage_error("%s: expected wei, or a number with a unit (20gwei, 1.5gwei, 7wei), got '%s'", what, s);
    if (r) return cli_usage_error("%s: must fit 256 bits, got '%s'", what, s);
    return 0;
}

/* An option, else the environment variable env (ignored when empty); *what names the one used. */
static const char *opt_or_env(cli_args *a, const char *opt, const char *env, const char **what) {
    const char *v = cli_opt(a, opt);
    *what = opt;
    if (v) return v;
    v = getenv(env);
    if (v && *v) {
        *what = env;
        return v;
    }
    return NULL;
}

int cli_tx_caps(cli_args *a, const char *who, mpavs_sender_options *so) {
    const char *w1, *w2, *w3;
    const char *gl = opt_or_env(a, "gas-limit", "ETH_GAS_LIMIT", &w1);
    const char *mf = opt_or_env(a, "max-fee-per-gas", "ETH_GAS_PRICE", &w2);
    const char *pf = opt_or_env(a, "max-priority-fee-per-gas", "ETH_PRIORITY_GAS_PRICE", &w3);
    if (gl) {
        char *end;
        errno = 0;
        unsigned long long x = strtoull(gl, &end, 10);
        if (!*gl || *end || errno || x == 0 || *gl == '-')
            return cli_usage_error("%s: %s: expected a positive integer, got '%s'", who, w1, gl);
        so->gas_limit_cap = x;
    }
    int rc = 0;
    if (mf && (rc = cli_parse_fee(&so->max_fee_cap, mf, w2))) return rc;
    if (pf && (rc = cli_parse_fee(&so->max_priority_fee_cap, pf, w3))) return rc;
    if (mf && mpavs_u256_is_zero(&so->max_fee_cap)) return cli_usage_error("%s: %s must be positive", who, w2);
    so->legacy = cli_flag(a, "legacy");
    if (so->legacy && pf) return cli_usage_error("%s: --legacy transactions have no priority fee (%s)", who, w3);
    return 0;
}

void cli_fmt_units(char out[100], const mpavs_u256 *v, int decimals) {
    char d[80];
    (void)mpavs_u256_to_dec(d, sizeof d, v);
    size_t n = strlen(d);
    if (decimals <= 0) {
        snprintf(out, 100, "%s", d);
        return;
    }
    char pad[160];
    size_t z = n <= (size_t)decimals ? (size_t)decimals + 1 - n : 0;
    memset(pad, '0', z);
    memcpy(pad + z, d, n + 1);
    n += z;
    size_t ip = n - (size_t)decimals;
    size_t end = n;
    while (end > ip && pad[end - 1] == '0') end--;
    if (end == ip) snprintf(out, 100, "%.*s", (int)ip, pad);
    else snprintf(out, 100, "%.*s.%.*s", (int)ip, pad, (int)(end - ip), pad + ip);
}

void cli_print_gas(const mpavs_sender_event *e) {
    char f[100], p[100];
    cli_fmt_units(f, &e->max_fee_per_gas, 9);
    cli_fmt_units(p, &e->max_priority_fee_per_gas, 9);
    printf("  estimated gas: %llu (gas limit %llu)\n", (unsigned long long)e->gas_estimate,
           (unsigned long long)e->gas_limit);
    if (e->legacy) printf("  gas price: %s gwei (legacy transaction)\n", f);
    else printf("  max fee per gas: %s gwei, max priority fee per gas: %s gwei\n", f, p);
}

int cli_confirm(const char *question, const char *refused) {
    fprintf(stderr, "%s [y/N] ", question);
    fflush(stderr);
    char line[64];
    if (!fgets(line, sizeof line, stdin)) line[0] = 0;
    line[strcspn(line, "\r\n")] = 0;
    if (!strcasecmp(line, "y") || !strcasecmp(line, "yes")) return 0;
    fprintf(stderr, "aborted: %s\n", refused);
    return 1;
}

int cli_ask_proceed(void) { return cli_confirm("Proceed?", "nothing sent"); }
