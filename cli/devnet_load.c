/*
 * cli/devnet_load.c — the proven chain's traffic during `mpavs devnet up`: libmpavs-devnet's load
 * generator (mpavs/devnet.h), paced from the orchestrator's main loop at --load-rate tx/s.
 *
 * The sender is anvil's dev account 9: the devnet's own transactions are all on the AVS chain
 * (dev account 0 deploys and confirms, the operators send from fresh keys), and nothing else
 * sends on the proven chain, so the generator's locally kept nonces never collide.
 */
#include "devnet_up.h"

#include "mpavs/ecdsa.h"
#include "mpavs/hex.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* anvil's dev account 9 (public test key; address 0xa0Ee7A142d267C1f36714E4a8F75612F20a79720) */
static const char ANVIL_KEY9[] = "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6";

int dv_load_start(dv_load *l, const dv_net *n, unsigned rate) {
    memset(l, 0, sizeof *l);
    l->rate = rate;
    mpavs_rpc_options o = {.timeout_ms = 2000, .connect_timeout_ms = 500, .max_retries = 0};
    uint8_t sk[32];
    if (mpavs_hex_decode_exact(sk, 32, ANVIL_KEY9) != MPAVS_HEX_OK) return -1;
    if (!(l->rpc = mpavs_rpc_create(n->l2_url, &o))) {
        fprintf(stderr, "mpavs: devnet up: load: cannot create an RPC client\n");
        return -1;
    }
    mpavs_error e = {0};
    mpavs_devnet_load_options lo = {.chain_id = n->l2_chain_id};
    int r = mpavs_devnet_load_create(&l->gen, &e, l->rpc, sk, &lo);
    mpavs_wipe(sk, sizeof sk);
    if (r) {
        fprintf(stderr, "mpavs: devnet up: load: %s (%s)\n", mpavs_devnet_strerror(r), e.message);
        mpavs_error_clear(&e);
        dv_load_stop(l);
        return -1;
    }
    l->t0_ms = dv_now_ms();
    /* DIR/load.json: who sends and where the workload's contracts are (for tests and users) */
    mpavs_devnet_load_stats st;
    mpavs_devnet_load_get_stats(l->gen, &st);
    char a[4][43], path[DV_PATH + 16], text[512];
    mpavs_address_to_checksum(a[0], &st.sender);
    mpavs_address_to_checksum(a[1], &st.store);
    mpavs_address_to_checksum(a[2], &st.forwarder);
    mpavs_address_to_checksum(a[3], &st.factory);
    dv_fmt(path, sizeof path, "%s/load.json", n->dir);
    dv_fmt(text, sizeof text,
           "{\"rate\": %u, \"sender\": \"%s\", \"firstNonce\": %" PRIu64 ", \"store\": \"%s\", \"forwarder\": \"%s\", "
           "\"factory\": \"%s\"}",
           rate, a[0], st.next_nonce, a[1], a[2], a[3]);
    return dv_write_private(path, text) ? -1 : 0;
}

void dv_load_tick(dv_load *l, long long now_ms) {
    if (!l->gen || now_ms < l->pause_until_ms) return;
    mpavs_devnet_load_stats st;
    mpavs_devnet_load_get_stats(l->gen, &st);
    uint64_t due = (uint64_t)((now_ms - l->t0_ms) * (long long)l->rate / 1000);
    if (due <= st.sent) return;
    uint64_t n = due - st.sent;
    if (n > l->rate) { /* after a stall: no burst, the schedule moves on */
        l->t0_ms = now_ms - (long long)(st.sent + l->rate) * 1000 / (long long)l->rate;
        n = l->rate;
    }
    mpavs_error e = {0};
    if (mpavs_devnet_load_send(l->gen, NULL, &e, (size_t)n)) {
        snprintf(l->last_error, sizeof l->last_error, "%.190s", e.message);
        l->pause_until_ms = now_ms + 1000;
    }
    mpavs_error_clear(&e);
}

void dv_load_text(char *out, size_t cap, const dv_load *l) {
    if (!l->gen) {
        snprintf(out, cap, "off");
        return;
    }
    mpavs_devnet_load_stats st;
    mpavs_devnet_load_get_stats(l->gen, &st);
    char from[43];
    mpavs_address_to_checksum(from, &st.sender);
    size_t len = 0;
    int k = snprintf(out, cap, "%u tx/s from %.10s..: %" PRIu64 " sent (", l->rate, from, st.sent);
    if (k > 0) len = (size_t)k < cap ? (size_t)k : cap - 1;
    for (int i = 0; i < MPAVS_DEVNET_LOAD_KINDS && len < cap; i++) {
        k = snprintf(out + len, cap - len, "%s%s %" PRIu64, i ? ", " : "", mpavs_devnet_load_kind_name(i), st.by_kind[i]);
        if (k > 0) len += (size_t)k < cap - len ? (size_t)k : cap - len - 1;
    }
    if (len < cap) snprintf(out + len, cap - len, "), %" PRIu64 " refused%s%s", st.refused, l->last_error[0] ? ": " : "",
                            l->last_error);
}

void dv_load_stop(dv_load *l) {
    mpavs_devnet_load_destroy(l->gen);
    mpavs_rpc_destroy(l->rpc);
    l->gen = NULL;
    l->rpc = NULL;
}
