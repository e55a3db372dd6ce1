/* daemons/prover/chain.c — see chain.h. */
#include "chain.h"

#include "mpavs/hex.h"
#include "mpavs/keccak.h"
#include "mpavs/rlp.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Decode a fixed- or variable-length "0x…" byte field. */
static bool get_bytes(const json_t *blk, const char *key, uint8_t *out, size_t cap, size_t *len, size_t exact,
                      char *err, size_t errcap) {
    const char *s = json_string_value(json_object_get(blk, key));
    size_t n = 0;
    if (!s || strncmp(s, "0x", 2) != 0 || mpavs_hex_decode(out, cap, &n, s, strlen(s)) != MPAVS_HEX_OK ||
        (exact && n != exact)) {
        snprintf(err, errcap, "block field %s: missing or not %s hex", key, exact ? "fixed-length" : "valid");
        return false;
    }
    if (len) *len = n;
    return true;
}

/* Decode a "0x…" quantity into minimal big-endian bytes (≤ 32). */
static bool get_quantity(const json_t *blk, const char *key, uint8_t out[32], size_t *len, char *err, size_t errcap) {
    const char *s = json_string_value(json_object_get(blk, key));
    if (!s || strncmp(s, "0x", 2) != 0 || !s[2]) goto bad;
    s += 2;
    while (*s == '0') s++;
    size_t digits = strlen(s);
    if (digits > 64) goto bad;
    char tmp[66];
    tmp[0] = '0';
    memcpy(tmp + 1, s, digits + 1);
    const char *h = digits % 2 ? tmp : tmp + 1;
    size_t n = 0;
    if (mpavs_hex_decode(out, 32, &n, h, strlen(h)) != MPAVS_HEX_OK) goto bad;
    *len = n;
    return true;
bad:
    snprintf(err, errcap, "block field %s: missing or not a quantity", key);
    return false;
}

/*
 * Encode and check one header. all_present = false: the header ends at its first absent fork
 * field (the consensus rule). all_present = true: every present optional field is encoded, absent
 * ones skipped (anvil's genesis under pre-Shanghai hardforks carries blob fields this way); the
 * hash check still decides, and the fixed fields keep their positions.
 */
static bool header_encode(chain_header *h, const json_t *blk, uint8_t *rlp_out, size_t cap, size_t *rlp_len,
                          bool all_present, char *err, size_t errcap) {
    static const char *const HASH_FIELDS1[] = {"parentHash", "sha3Uncles"};
    static const char *const ROOTS[] = {"stateRoot", "transactionsRoot", "receiptsRoot"};
    static const char *const QTY[] = {"difficulty", "number", "gasLimit", "gasUsed", "timestamp"};
    uint8_t buf[1024];
    uint8_t b[256];
    size_t n;
    mpavs_rlp_writer w;
    size_t mark;
    memset(h, 0, sizeof *h);
    if (!json_is_object(blk)) {
        snprintf(err, errcap, "block is not a JSON object");
        return false;
    }
    mpavs_rlp_writer_init(&w, buf, sizeof buf);
    mpavs_rlp_list_begin(&w, &mark);
    for (size_t i = 0; i < 2; i++) {
        if (!get_bytes(blk, HASH_FIELDS1[i], b, sizeof b, NULL, 32, err, errcap)) return false;
        mpavs_rlp_put_bytes(&w, b, 32);
        if (i == 0) memcpy(h->parent_hash, b, 32);
    }
    if (!get_bytes(blk, "miner", b, sizeof b, NULL, 20, err, errcap)) return false;
    mpavs_rlp_put_bytes(&w, b, 20);
    for (size_t i = 0; i < 3; i++) {
        if (!get_bytes(blk, ROOTS[i], b, sizeof b, NULL, 32, err, errcap)) return false;
        mpavs_rlp_put_bytes(&w, b, 32);
        if (i == 0) memcpy(h->state_root, b, 32);
    }
    if (!get_bytes(blk, "logsBloom", b, sizeof b, NULL, 256, err, errcap)) return false;
    mpavs_rlp_put_bytes(&w, b, 256);
    for (size_t i = 0; i < 5; i++) {
        if (!get_quantity(blk, QTY[i], b, &n, err, errcap)) return false;
        mpavs_rlp_put_bytes(&w, b, n);
        if (i == 1) {
            if (n > 8) {
                snprintf(err, errcap, "block number does not fit in 64 bits");
                return false;
            }
            for (size_t k = 0; k < n; k++) h->number = h->number << 8 | b[k];
        }
    }
    if (!get_bytes(blk, "extraData", b, sizeof b, &n, 0, err, errcap)) return false;
    mpavs_rlp_put_bytes(&w, b, n);
    if (!get_bytes(blk, "mixHash", b, sizeof b, NULL, 32, err, errcap)) return false;
    mpavs_rlp_put_bytes(&w, b, 32);
    if (!get_bytes(blk, "nonce", b, sizeof b, NULL, 8, err, errcap)) return false;
    mpavs_rlp_put_bytes(&w, b, 8);
    /* optional fields, in fork order (London, Shanghai, Cancun ×2 + beacon root, Prague) */
    static const struct {
        const char *key;
        int kind; /* 0 quantity, 1 hash */
    } OPT[] = {{"baseFeePerGas", 0}, {"withdrawalsRoot", 1},       {"blobGasUsed", 0},
               {"excessBlobGas", 0}, {"parentBeaconBlockRoot", 1}, {"requestsHash", 1}};
    bool missing = false;
    for (size_t i = 0; i < sizeof OPT / sizeof OPT[0]; i++) {
        json_t *v = json_object_get(blk, OPT[i].key);
        if (!v || json_is_null(v)) {
            missing = true;
            if (all_present) continue;
        }
        if (missing && !all_present) break; /* the header ends at its first absent fork field */
        if (OPT[i].kind == 0) {
            if (!get_quantity(blk, OPT[i].key, b, &n, err, errcap)) return false;
            mpavs_rlp_put_bytes(&w, b, n);
        } else {
            if (!get_bytes(blk, OPT[i].key, b, sizeof b, NULL, 32, err, errcap)) return false;
            mpavs_rlp_put_bytes(&w, b, 32);
            if (i == 1) {
                memcpy(h->withdrawals_root, b, 32);
                h->has_withdrawals_root = true;
            }
        }
    }
    mpavs_rlp_list_end(&w, mark);
    size_t len = 0;
    int r = mpavs_rlp_writer_finish(&w, &len);
    if (r) {
        snprintf(err, errcap, "header RLP: %s", mpavs_rlp_strerror(r));
        return false;
    }
    if (!get_bytes(blk, "hash", h->hash, 32, NULL, 32, err, errcap)) return false;
    uint8_t k[32];
    mpavs_keccak256(k, buf, len);
    if (memcmp(k, h->hash, 32) != 0) {
        char want[67], got[67];
        if (mpavs_hex_encode(want, sizeof want, h->hash, 32, true) || mpavs_hex_encode(got, sizeof got, k, 32, true))
            want[0] = got[0] = 0;
        snprintf(err, errcap, "block %" PRIu64 ": keccak256(RLP header) = %s but the node says hash %s", h->number, got,
                 want);
        return false;
    }
    if (rlp_out) {
        if (len > cap) {
            snprintf(err, errcap, "header RLP buffer too small");
            return false;
        }
        memcpy(rlp_out, buf, len);
    }
    if (rlp_len) *rlp_len = len;
    return true;
}

bool chain_header_from_json(chain_header *h, const json_t *blk, uint8_t *rlp_out, size_t cap, size_t *rlp_len,
                            char *err, size_t errcap) {
    if (header_encode(h, blk, rlp_out, cap, rlp_len, false, err, errcap)) return true;
    char err2[256];
    if (strstr(err, "keccak256(RLP header)") && header_encode(h, blk, rlp_out, cap, rlp_len, true, err2, sizeof err2))
        return true;
    return false;
}

bool chain_fetch_header(mpavs_rpc *rpc, chain_header *h, uint64_t n, const uint8_t *by_hash, char *err,
                        size_t errcap) {
    mpavs_rpc_block blk;
    memset(&blk, 0, sizeof blk);
    mpavs_error e;
    memset(&e, 0, sizeof e);
    bool found = false;
    char tag[24];
    int r = by_hash ? mpavs_rpc_get_block_by_hash(rpc, &blk, &found, &e, by_hash)
                    : mpavs_rpc_get_block_by_number(rpc, &blk, &found, &e, mpavs_rpc_tag_number(tag, n));
    if (r) {
        snprintf(err, errcap, "chain RPC: %s: %s", mpavs_rpc_strerror(r), e.message);
        mpavs_error_clear(&e);
        return false;
    }
    if (!found) {
        if (by_hash) snprintf(err, errcap, "chain RPC: block %" PRIu64 "'s parent is unknown to the node", n);
        else snprintf(err, errcap, "block %" PRIu64 " does not exist yet on the chain", n);
        return false;
    }
    json_error_t je;
    json_t *j = json_loads(blk.json, 0, &je);
    mpavs_rpc_block_clear(&blk);
    if (!j) {
        snprintf(err, errcap, "chain RPC: block JSON: %s", je.text);
        return false;
    }
    bool ok = chain_header_from_json(h, j, NULL, 0, NULL, err, errcap);
    json_decref(j);
    if (ok && !by_hash && h->number != n) {
        snprintf(err, errcap, "chain RPC returned block %" PRIu64 " for block %" PRIu64, h->number, n);
        return false;
    }
    return ok;
}

bool chain_verify_range(mpavs_rpc *rpc, uint64_t anchor_number, const uint8_t anchor_hash[32], uint64_t target,
                        uint64_t max_headers, chain_header *out, chain_header *parent, char *err, size_t errcap) {
    if (target < anchor_number) {
        snprintf(err, errcap, "block %" PRIu64 " is before the trusted anchor %" PRIu64, target, anchor_number);
        return false;
    }
    if (target - anchor_number > max_headers) {
        snprintf(err, errcap, "block %" PRIu64 " is %" PRIu64 " blocks after the trusted anchor %" PRIu64
                 " (limit %" PRIu64 "): move the checkpoint forward", target, target - anchor_number, anchor_number,
                 max_headers);
        return false;
    }
    chain_header cur, prev;
    if (!chain_fetch_header(rpc, &cur, anchor_number, NULL, err, errcap)) return false;
    if (memcmp(cur.hash, anchor_hash, 32) != 0) {
        char want[67], got[67];
        if (mpavs_hex_encode(want, sizeof want, anchor_hash, 32, true) ||
            mpavs_hex_encode(got, sizeof got, cur.hash, 32, true))
            want[0] = got[0] = 0;
        snprintf(err, errcap, "checkpoint hash mismatch at block %" PRIu64 ": trusted %s, chain has %s",
                 anchor_number, want, got);
        return false;
    }
    memset(&prev, 0, sizeof prev);
    bool have_prev = false;
    for (uint64_t n = anchor_number + 1; n <= target; n++) {
        prev = cur;
        have_prev = true;
        if (!chain_fetch_header(rpc, &cur, n, NULL, err, errcap)) return false;
        if (memcmp(cur.parent_hash, prev.hash, 32) != 0) {
            snprintf(err, errcap, "parent hash mismatch at block %" PRIu64 " (reorg or inconsistent node)", n);
            return false;
        }
    }
    *out = cur;
    memset(parent, 0, sizeof *parent);
    if (have_prev) {
        *parent = prev;
    } else if (cur.number > 0) {
        if (!chain_fetch_header(rpc, parent, cur.number, cur.parent_hash, err, errcap)) return false;
        if (memcmp(parent->hash, cur.parent_hash, 32) != 0 || parent->number + 1 != cur.number) {
            snprintf(err, errcap, "parent of block %" PRIu64 " does not match its parentHash", cur.number);
            return false;
        }
    }
    return true;
}
