/*
 * cli/devnet_view.c — what `mpavs devnet up` shows.
 *
 * On a terminal: the alternate screen, redrawn in place (cursor home, each line cleared to its
 * end, the rest of the screen cleared) at most twice per second: a header with the chain URLs
 * and counters, the process table (Up/Down), the last confirmed states that fit, and the log
 * tail of the last process that died. Otherwise: plain appended lines, one per event.
 */
#include "devnet_up.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

void dv_view_init(dv_view *v, bool tty, long long t0_ms) {
    memset(v, 0, sizeof *v);
    v->tty = tty;
    v->t0_ms = t0_ms;
    v->first_confirm_ms = -1;
    v->rows = 24;
    v->cols = 100;
    v->source = "mpavs_confirmations";
    v->max_latency_blocks = v->max_latency_later = -1;
    if (tty) dv_view_resize(v);
}

void dv_view_resize(dv_view *v) {
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0) {
        v->rows = ws.ws_row;
        v->cols = ws.ws_col;
    }
    v->dirty = true;
}

static const char *status_name(dv_proc_status s) {
    switch (s) {
    case DV_UP: return "Up";
    case DV_DOWN: return "Down";
    case DV_STOPPED: return "Stopped";
    default: return "absent";
    }
}

/* "0x1234..abcd" */
static void short_hex(char *out, size_t cap, const char *h) {
    size_t n = strlen(h);
    if (n <= 14) snprintf(out, cap, "%s", h);
    else snprintf(out, cap, "%.6s..%s", h, h + n - 4);
}

static void latency_text(char *out, size_t cap, long long ms, long long blocks) {
    if (ms < 0) snprintf(out, cap, "-");
    else if (blocks < 0) snprintf(out, cap, "%lld ms", ms);
    else snprintf(out, cap, "%lld ms %lld blk%s", ms, blocks, blocks > DV_LATENCY_BLOCKS ? " (late)" : "");
}

/* "1.23M" */
static void gas_text(char *out, size_t cap, const dv_confirm *c) {
    if (!c->l2_known) snprintf(out, cap, "?");
    else if (c->l2_gas >= 1000000) snprintf(out, cap, "%.2fM", (double)c->l2_gas / 1e6);
    else if (c->l2_gas >= 1000) snprintf(out, cap, "%.1fk", (double)c->l2_gas / 1e3);
    else snprintf(out, cap, "%" PRIu64, c->l2_gas);
}

void dv_view_confirm(dv_view *v, const dv_confirm *c) {
    v->recent[v->head] = *c;
    v->head = (v->head + 1) % DV_KEEP_CONFIRMS;
    if (v->nrecent < DV_KEEP_CONFIRMS) v->nrecent++;
    v->nconfirmed++;
    v->dirty = true;
    bool first = v->first_confirm_ms < 0;
    if (first) v->first_confirm_ms = dv_now_ms();
    if (c->l2_known) {
        v->l2_txs += c->l2_txs;
        v->l2_gas += c->l2_gas;
    }
    if (c->latency_blocks > v->max_latency_blocks) v->max_latency_blocks = c->latency_blocks;
    if (!first && c->latency_blocks > v->max_latency_later) v->max_latency_later = c->latency_blocks;
    if (c->latency_blocks > DV_LATENCY_BLOCKS) v->over_latency++;
    if (v->tty) return;
    char lat[32], l2[96], lb[24];
    if (c->latency_ms < 0) snprintf(lat, sizeof lat, "-");
    else snprintf(lat, sizeof lat, "%lldms", c->latency_ms);
    if (c->latency_blocks < 0) snprintf(lb, sizeof lb, "-");
    else snprintf(lb, sizeof lb, "%lld", c->latency_blocks);
    if (c->l2_known)
        snprintf(l2, sizeof l2, "l2_blocks=%" PRIu64 "..%" PRIu64 " l2_txs=%" PRIu64 " gas=%" PRIu64, c->range_from + 1,
                 c->block, c->l2_txs, c->l2_gas);
    else snprintf(l2, sizeof l2, "l2_blocks=? l2_txs=? gas=?");
    printf("confirmed type=%" PRIu64 " task=%" PRIu64 " block=%" PRIu64 " digest=%s signers=%s non_signers=%s "
           "quorums=\"%s\" tx=%s latency=%s latency_blocks=%s %s\n",
           c->task_type, c->task_id, c->block, c->digest, c->signers, c->non_signers, c->per_quorum, c->tx_hash, lat,
           lb, l2);
    if (first) printf("first state confirmed after %lld s\n", (v->first_confirm_ms - v->t0_ms + 500) / 1000);
    fflush(stdout);
}

void dv_view_failure(dv_view *v, const dv_failure *f) {
    v->failures[v->fhead] = *f;
    v->fhead = (v->fhead + 1) % DV_KEEP_FAILURES;
    if (v->nfailures < DV_KEEP_FAILURES) v->nfailures++;
    v->nfailed++;
    v->dirty = true;
    if (v->tty) return;
    printf("%s type=%" PRIu64 " task=%" PRIu64 " reason=\"%s\"\n", f->status, f->task_type, f->task_id, f->reason);
    fflush(stdout);
}

void dv_view_summary(char *out, size_t cap, const dv_view *v) {
    char all[24] = "?", later[24] = "?";
    if (v->max_latency_blocks >= 0) snprintf(all, sizeof all, "%lld", v->max_latency_blocks);
    if (v->max_latency_later >= 0) snprintf(later, sizeof later, "%lld", v->max_latency_later);
    snprintf(out, cap,
             "%" PRIu64 " transactions, %" PRIu64 " gas in the confirmed ranges; latency max %s AVS blocks (after the "
             "first: %s), %" PRIu64 " over %d",
             v->l2_txs, v->l2_gas, all, later, v->over_latency, DV_LATENCY_BLOCKS);
}

void dv_view_proc_down(dv_view *v, const dv_proc *p) {
    char st[32], tail[1600];
    dv_status_text(st, sizeof st, p->wait_status);
    dv_log_tail(tail, sizeof tail, p->log, 12);
    if (v->tty) {
        dv_fmt(v->notice, sizeof v->notice, "%s is Down (%s); last lines of %s:\n%s", p->name, st, p->log, tail);
        v->dirty = true;
        return;
    }
    printf("process %s Down (%s); last lines of %s:\n", p->name, st, p->log);
    const char *s = tail;
    while (*s) {
        const char *e = strchr(s, '\n');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        printf("  | %.*s\n", (int)len, s);
        s += len + (e ? 1 : 0);
    }
    fflush(stdout);
}

void dv_view_begin(dv_view *v, const dv_net *n, const dv_proc *procs, size_t nprocs) {
    if (v->tty) {
        fputs("\x1b[?1049h\x1b[?25l\x1b[2J", stdout); /* alternate screen, hide cursor, clear */
        fflush(stdout);
        v->active = true;
        v->dirty = true;
        return;
    }
    printf("devnet up: AVS chain %s (chain %" PRIu64 "), proven chain %s (chain %" PRIu64 ")\n", n->avs_url,
           n->avs_chain_id, n->l2_url, n->l2_chain_id);
    printf("devnet up: state in %s (deployment.json, logs/), confirmations from %s\n", n->dir, v->source);
    char load[400];
    if (v->load) dv_load_text(load, sizeof load, v->load);
    printf("devnet up: load on the proven chain: %s\n", v->load ? load : "off");
    for (size_t i = 0; i < nprocs; i++) {
        const dv_proc *p = &procs[i];
        printf("process %-12s %-6s pid=%d port=%d log=%s\n", p->name, status_name(p->status), (int)p->pid, p->port,
               p->log);
    }
    fflush(stdout);
}

/* ---- the tty frame ---- */

typedef struct {
    char buf[65536];
    size_t len;
    int line, rows, cols;
} frame;

/* Append one screen line (cut to the width), cleared to its end. */
static void line(frame *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void line(frame *f, const char *fmt, ...) {
    if (f->line >= f->rows) return;
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    size_t width = f->cols > 1 ? (size_t)f->cols - 1 : 1;
    if (strlen(text) > width) text[width] = 0;
    int k = snprintf(f->buf + f->len, sizeof f->buf - f->len, "%s%s\x1b[K", f->line ? "\r\n" : "", text);
    if (k > 0 && (size_t)k < sizeof f->buf - f->len) f->len += (size_t)k;
    f->line++;
}

void dv_view_tick(dv_view *v, const dv_net *n, const dv_proc *procs, size_t nprocs, bool force) {
    if (!v->tty || !v->active) return;
    long long now = dv_now_ms();
    /* at most twice per second; once per second anyway for the clock */
    if (!force && (now - v->last_draw_ms < 500 || (!v->dirty && now - v->last_draw_ms < 1000))) return;
    static frame f; /* CLI-owned; one view per process */
    f.len = 0;
    f.line = 0;
    f.rows = v->rows;
    f.cols = v->cols;
    memcpy(f.buf, "\x1b[H", 3);
    f.len = 3;
    long long up = (now - v->t0_ms) / 1000;
    line(&f, "\x1b[1mmpavs devnet\x1b[0m  up %02lld:%02lld:%02lld   Ctrl-C stops everything", up / 3600,
         up / 60 % 60, up % 60);
    line(&f, "AVS chain     %s (chain %" PRIu64 ")", n->avs_url, n->avs_chain_id);
    line(&f, "proven chain  %s (chain %" PRIu64 ")", n->l2_url, n->l2_chain_id);
    line(&f, "state         %s   (deployment.json, logs/)", n->dir);
    if (v->first_confirm_ms >= 0)
        line(&f, "confirmed     %" PRIu64 "   first state confirmed after %lld s   source: %s", v->nconfirmed,
             (v->first_confirm_ms - v->t0_ms + 500) / 1000, v->source);
    else
        line(&f, "confirmed     0   waiting for the first confirmation (%lld s)   source: %s", up, v->source);
    char load[400] = "off";
    if (v->load) dv_load_text(load, sizeof load, v->load);
    line(&f, "load          %s", load);
    if (v->nconfirmed) {
        char sum[200];
        dv_view_summary(sum, sizeof sum, v);
        line(&f, "proven        %s", sum);
    }
    line(&f, "%s", "");
    line(&f, "\x1b[1m%-12s %-8s %-8s %-6s %s\x1b[0m", "PROCESS", "STATUS", "PID", "PORT", "LOG");
    for (size_t i = 0; i < nprocs; i++) {
        const dv_proc *p = &procs[i];
        const char *color = p->status == DV_UP ? "\x1b[32m" : p->status == DV_DOWN ? "\x1b[31m" : "\x1b[33m";
        char st[32] = "";
        if (p->status == DV_DOWN) dv_status_text(st, sizeof st, p->wait_status);
        line(&f, "%-12s %s%-8s\x1b[0m %-8d %-6d %s %s", p->name, color, status_name(p->status), (int)p->pid, p->port,
             p->log, st);
    }
    line(&f, "%s", "");
    line(&f, "\x1b[1m%-4s %-8s %-8s %-5s %-8s %-21s %-14s %-16s %-16s %-12s %s\x1b[0m", "TYPE", "TASK", "BLOCK", "TXS",
         "GAS", "LATENCY", "DIGEST", "SIGNERS", "PER QUORUM", "NON-SIGNERS", "TX");
    int notice_lines = v->nfailures ? (int)v->nfailures + 2 : 0;
    for (const char *s = v->notice; *s; s++) notice_lines += *s == '\n';
    if (v->notice[0]) notice_lines += 2;
    int room = f.rows - f.line - notice_lines;
    if (room < 1) room = 1;
    size_t show = v->nrecent < (size_t)room ? v->nrecent : (size_t)room;
    if (show == 0) line(&f, "(none yet)");
    for (size_t k = 0; k < show; k++) {
        const dv_confirm *c = &v->recent[(v->head + DV_KEEP_CONFIRMS - 1 - k) % DV_KEEP_CONFIRMS];
        char dg[24], tx[24], lat[64], gas[24], txs[24];
        short_hex(dg, sizeof dg, c->digest);
        short_hex(tx, sizeof tx, c->tx_hash);
        latency_text(lat, sizeof lat, c->latency_ms, c->latency_blocks);
        gas_text(gas, sizeof gas, c);
        if (c->l2_known) snprintf(txs, sizeof txs, "%" PRIu64, c->l2_txs);
        else snprintf(txs, sizeof txs, "?");
        line(&f, "%-4" PRIu64 " %-8" PRIu64 " %-8" PRIu64 " %-5s %-8s %-21s %-14s %-16s %-16s %-12s %s", c->task_type,
             c->task_id, c->block, txs, gas, lat, dg, c->signers, c->per_quorum, c->non_signers, tx);
    }
    if (v->nfailures) {
        line(&f, "%s", "");
        line(&f, "\x1b[1mEXPIRED OR FAILED (%" PRIu64 ")\x1b[0m", v->nfailed);
        for (size_t k = 0; k < v->nfailures; k++) {
            const dv_failure *x = &v->failures[(v->fhead + DV_KEEP_FAILURES - 1 - k) % DV_KEEP_FAILURES];
            line(&f, "\x1b[33m%-7s\x1b[0m type %" PRIu64 " task %" PRIu64 ": %s", x->status, x->task_type, x->task_id,
                 x->reason);
        }
    }
    if (v->notice[0]) {
        line(&f, "%s", "");
        const char *s = v->notice;
        bool head = true;
        while (*s) {
            const char *e = strchr(s, '\n');
            int len = e ? (int)(e - s) : (int)strlen(s);
            if (head) line(&f, "\x1b[31m%.*s\x1b[0m", len, s);
            else line(&f, "  | %.*s", len, s);
            head = false;
            s += len + (e ? 1 : 0);
        }
    }
    int k = snprintf(f.buf + f.len, sizeof f.buf - f.len, "\x1b[J");
    if (k > 0 && (size_t)k < sizeof f.buf - f.len) f.len += (size_t)k;
    fwrite(f.buf, 1, f.len, stdout);
    fflush(stdout);
    v->last_draw_ms = now;
    v->dirty = false;
}

void dv_view_end(dv_view *v) {
    if (!v->active) return;
    fputs("\x1b[?25h\x1b[?1049l", stdout);
    fflush(stdout);
    v->active = false;
}
