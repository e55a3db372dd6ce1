/* AVS digests and hashes, written as the fixed ABI layouts they are (no value trees). */
#include "mpavs/avs.h"

#include "mpavs/keccak.h"

#include <stdlib.h>
#include <string.h>

static void put_word_u64(uint8_t w[32], uint64_t v) {
    memset(w, 0, 32);
    for (int i = 0; i < 8; i++) w[31 - i] = (uint8_t)(v >> (8 * i));
}

static size_t padded(size_t n) { return (n + 31) / 32 * 32; }

/* Append length word + zero-padded bytes at p; returns bytes written. */
static size_t put_bytes(uint8_t *p, const uint8_t *b, size_t n) {
    put_word_u64(p, n);
    if (n) memcpy(p + 32, b, n);
    memset(p + 32 + n, 0, padded(n) - n);
    return 32 + padded(n);
}

/*
 * abi.encode(struct) of a struct whose fields are: uint256 committeeId, then
 * `ndyn` dynamic bytes fields, then (for the full header) more dynamic bytes,
 * then uint32 referenceBlockNumber. `dyn` lists every bytes field in order.
 */
static int hash_header(uint8_t out[32], const mpavs_avs_state_header *h, bool full) {
    const uint8_t *dyn[4] = {h->metadata, h->state, h->quorum_numbers, h->quorum_thresholds};
    size_t dlen[4] = {h->metadata_len, h->state_len, h->quorum_numbers_len, h->quorum_thresholds_len};
    size_t nd = full ? 4 : 2;
    size_t head = 32 * (2 + nd); /* committeeId, nd offsets, referenceBlockNumber */
    size_t total = 32 + head;   /* leading offset word 0x20: the struct is dynamic */
    for (size_t i = 0; i < nd; i++) {
        if (dlen[i] > SIZE_MAX / 2) return -1;
        total += 32 + padded(dlen[i]);
    }
    uint8_t *buf = malloc(total);
    if (!buf) return -1;
    uint8_t *p = buf;
    put_word_u64(p, 32);
    p += 32;
    uint8_t *tuple = p;
    put_word_u64(tuple, h->committee_id);
    size_t off = head;
    size_t tail = 0;
    uint8_t *tails = tuple + head;
    for (size_t i = 0; i < nd; i++) {
        put_word_u64(tuple + 32 * (1 + i), off);
        size_t w = put_bytes(tails + tail, dyn[i], dlen[i]);
        tail += w;
        off += w;
    }
    put_word_u64(tuple + 32 * (1 + nd), h->reference_block);
    mpavs_keccak256(out, buf, total);
    free(buf);
    return 0;
}

int mpavs_avs_state_digest(uint8_t out[32], const mpavs_avs_state_header *h) { return hash_header(out, h, false); }

int mpavs_avs_state_header_hash(uint8_t out[32], const mpavs_avs_state_header *h) { return hash_header(out, h, true); }

static bool ascii_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

void mpavs_avs_prover_addr_hash(uint8_t out[32], const char *url) {
    size_t n = strlen(url);
    while (n && ascii_space(url[n - 1])) n--;
    while (n && ascii_space(*url)) {
        url++;
        n--;
    }
    mpavs_keccak_ctx c;
    mpavs_keccak256_init(&c);
    mpavs_keccak_update(&c, "MultiProverAVS", 14);
    mpavs_keccak_update(&c, url, n);
    mpavs_keccak_final(&c, out);
}

void mpavs_avs_report_data_hash(uint8_t out[32], const uint8_t x[32], const uint8_t y[32], uint64_t ref_num,
                                const uint8_t ref_hash[32], const uint8_t prover_addr_hash[32]) {
    uint8_t buf[160];
    memcpy(buf, x, 32);
    memcpy(buf + 32, y, 32);
    put_word_u64(buf + 64, ref_num);
    memcpy(buf + 96, ref_hash, 32);
    memcpy(buf + 128, prover_addr_hash, 32);
    mpavs_keccak256(out, buf, sizeof buf);
}

void mpavs_avs_report_data(uint8_t out[64], const uint8_t prover_address[20], const uint8_t data_hash[32]) {
    memset(out, 0, 12);
    memcpy(out + 12, prover_address, 20);
    memcpy(out + 32, data_hash, 32);
}

void mpavs_avs_poe_digest(uint8_t out[32], const uint8_t batch_hash[32], const uint8_t state_hash[32],
                          const uint8_t prev_state_root[32], const uint8_t new_state_root[32],
                          const uint8_t withdrawal_root[32]) {
    uint8_t buf[160];
    memcpy(buf, batch_hash, 32);
    memcpy(buf + 32, state_hash, 32);
    memcpy(buf + 64, prev_state_root, 32);
    memcpy(buf + 96, new_state_root, 32);
    memcpy(buf + 128, withdrawal_root, 32);
    mpavs_keccak256(out, buf, sizeof buf);
}

void mpavs_avs_signatory_record_hash(uint8_t out[32], uint32_t ref_block, const uint8_t (*hashes)[32], size_t n) {
    uint8_t be[4] = {(uint8_t)(ref_block >> 24), (uint8_t)(ref_block >> 16), (uint8_t)(ref_block >> 8),
                     (uint8_t)ref_block};
    mpavs_keccak_ctx c;
    mpavs_keccak256_init(&c);
    mpavs_keccak_update(&c, be, 4);
    for (size_t i = 0; i < n; i++) mpavs_keccak_update(&c, hashes[i], 32);
    mpavs_keccak_final(&c, out);
}

void mpavs_avs_chain_task_metadata(uint8_t out[32], uint64_t chain_id, uint64_t block_number) {
    uint8_t buf[64];
    put_word_u64(buf, chain_id);
    put_word_u64(buf + 32, block_number);
    mpavs_keccak256(out, buf, sizeof buf);
}

void mpavs_avs_chain_task_state(uint8_t out[64], const uint8_t block_hash[32], const uint8_t state_root[32]) {
    memcpy(out, block_hash, 32);
    memcpy(out + 32, state_root, 32);
}

void mpavs_avs_metrics_push_digest(uint8_t out[32], uint64_t chain_id, const uint8_t registry_coordinator[20],
                                   const char *name, size_t name_len, uint64_t timestamp, const uint8_t *metrics,
                                   size_t metrics_len) {
    uint8_t w[32], h[32];
    mpavs_keccak_ctx c;
    mpavs_keccak256_init(&c);
    mpavs_keccak_update(&c, (const uint8_t *)MPAVS_AVS_METRICS_PUSH_DOMAIN, sizeof MPAVS_AVS_METRICS_PUSH_DOMAIN - 1);
    put_word_u64(w, chain_id);
    mpavs_keccak_update(&c, w, 32);
    mpavs_keccak_update(&c, registry_coordinator, 20);
    put_word_u64(w, timestamp);
    mpavs_keccak_update(&c, w, 32);
    mpavs_keccak256(h, (const uint8_t *)name, name_len);
    mpavs_keccak_update(&c, h, 32);
    mpavs_keccak256(h, metrics_len ? metrics : (const uint8_t *)"", metrics_len);
    mpavs_keccak_update(&c, h, 32);
    mpavs_keccak_final(&c, out);
}
