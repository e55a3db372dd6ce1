/* Legacy (EIP-155) and EIP-1559 transactions: encode, hash, sign, parse, recover. */
#include "mpavs/tx.h"
#include "mpavs/keccak.h"
#include "mpavs/rlp.h"

#include <string.h>

const char *mpavs_tx_strerror(int r) {
    switch (r) {
    case MPAVS_TX_OK: return "ok";
    case MPAVS_TX_ERR_RLP: return "tx: malformed RLP";
    case MPAVS_TX_ERR_TYPE: return "tx: unsupported transaction type";
    case MPAVS_TX_ERR_FIELDS: return "tx: wrong number of fields";
    case MPAVS_TX_ERR_FIELD: return "tx: malformed field";
    case MPAVS_TX_ERR_ACCESS_LIST: return "tx: malformed access list";
    case MPAVS_TX_ERR_V: return "tx: invalid v / y parity";
    case MPAVS_TX_ERR_SIGNATURE: return "tx: invalid signature";
    case MPAVS_TX_ERR_UNSIGNED: return "tx: transaction is not signed";
    case MPAVS_TX_ERR_SECKEY: return "tx: invalid secret key";
    case MPAVS_TX_ERR_SPACE: return "tx: output buffer too small";
    default: return "tx: unknown error";
    }
}

void mpavs_tx_init(mpavs_tx *tx, int type) {
    MPAVS_REQUIRE(tx != NULL);
    memset(tx, 0, sizeof *tx);
    tx->type = type;
}

/* ------------------------------------------------------------ encoding sink */

/* Bytes go to a buffer, a keccak sponge, or nowhere (counting only). */
typedef struct {
    uint8_t *buf;
    size_t cap;
    size_t len;
    mpavs_keccak_ctx *k;
    bool overflow;
} sink;

static void put(sink *s, const void *p, size_t n) {
    if (s->k) mpavs_keccak_update(s->k, p, n);
    if (s->buf) {
        if (s->overflow || n > s->cap - s->len)
            s->overflow = true;
        else if (n)
            memcpy(s->buf + s->len, p, n);
    }
    s->len += n;
}

static void put_str(sink *s, const uint8_t *p, size_t n) {
    if (!(n == 1 && p[0] < 0x80)) {
        uint8_t h[9];
        put(s, h, mpavs_rlp_encode_header(h, false, n));
    }
    put(s, p, n);
}

static void put_u64(sink *s, uint64_t v) {
    uint8_t b[8];
    size_t k = 0;
    for (int i = 7; i >= 0; i--) {
        uint8_t x = (uint8_t)(v >> (8 * i));
        if (k || x) b[k++] = x;
    }
    put_str(s, b, k);
}

static void put_u256(sink *s, const mpavs_u256 *v) {
    uint8_t b[32];
    size_t k;
    mpavs_u256_to_be_min(b, &k, v);
    put_str(s, b, k);
}

static void put_int_be32(sink *s, const uint8_t x[32]) { /* r, s: strip leading zeros */
    size_t i = 0;
    while (i < 32 && x[i] == 0) i++;
    put_str(s, x + i, 32 - i);
}

static const uint8_t EMPTY_LIST = 0xc0;

enum { SIGNING, SIGNED };

static void fields(sink *s, const mpavs_tx *tx, int mode) {
    if (tx->type == MPAVS_TX_TYPE_EIP1559) {
        put_u64(s, tx->chain_id);
        put_u64(s, tx->nonce);
        put_u256(s, &tx->max_priority_fee_per_gas);
        put_u256(s, &tx->max_fee_per_gas);
    } else {
        put_u64(s, tx->nonce);
        put_u256(s, &tx->gas_price);
    }
    put_u64(s, tx->gas_limit);
    put_str(s, tx->to.bytes, tx->has_to ? 20 : 0);
    put_u256(s, &tx->value);
    put_str(s, tx->data, tx->data_len);
    if (tx->type == MPAVS_TX_TYPE_EIP1559) {
        if (tx->access_list_rlp && tx->access_list_rlp_len)
            put(s, tx->access_list_rlp, tx->access_list_rlp_len);
        else
            put(s, &EMPTY_LIST, 1);
        if (mode == SIGNED) put_u64(s, tx->sig.recid);
    } else if (mode == SIGNING) {
        if (tx->chain_id) {
            put_u64(s, tx->chain_id);
            put_u64(s, 0);
            put_u64(s, 0);
        }
    } else { /* legacy v = 35 + 2 chainId + parity (or 27 + parity) */
        mpavs_u256 v = mpavs_u256_from_u64(tx->chain_id), t;
        if (tx->chain_id) {
            mpavs_u256_add(&v, &v, &v);
            t = mpavs_u256_from_u64(35u + tx->sig.recid);
        } else {
            t = mpavs_u256_from_u64(27u + tx->sig.recid);
        }
        mpavs_u256_add(&v, &v, &t);
        put_u256(s, &v);
    }
    if (mode == SIGNED) {
        put_int_be32(s, tx->sig.r);
        put_int_be32(s, tx->sig.s);
    }
}

static void encode(sink *s, const mpavs_tx *tx, int mode) {
    sink count = {0};
    fields(&count, tx, mode);
    if (tx->type == MPAVS_TX_TYPE_EIP1559) {
        uint8_t t = 2;
        put(s, &t, 1);
    }
    uint8_t h[9];
    put(s, h, mpavs_rlp_encode_header(h, true, count.len));
    fields(s, tx, mode);
}

static int check_buildable(const mpavs_tx *tx) {
    if (tx->type != MPAVS_TX_TYPE_LEGACY && tx->type != MPAVS_TX_TYPE_EIP1559) return MPAVS_TX_ERR_TYPE;
    MPAVS_REQUIRE(tx->data != NULL || tx->data_len == 0);
    if (tx->type == MPAVS_TX_TYPE_EIP1559 && tx->access_list_rlp && tx->access_list_rlp_len) {
        mpavs_rlp_item it;
        if (mpavs_rlp_decode(&it, tx->access_list_rlp, tx->access_list_rlp_len) != MPAVS_RLP_OK ||
            !it.is_list)
            return MPAVS_TX_ERR_ACCESS_LIST;
    }
    return MPAVS_TX_OK;
}

int mpavs_tx_signing_hash(uint8_t out[32], const mpavs_tx *tx) {
    MPAVS_REQUIRE(out != NULL && tx != NULL);
    int r = check_buildable(tx);
    if (r) return r;
    mpavs_keccak_ctx k;
    mpavs_keccak256_init(&k);
    sink s = {.k = &k};
    encode(&s, tx, SIGNING);
    mpavs_keccak_final(&k, out);
    return MPAVS_TX_OK;
}

int mpavs_tx_sign(const mpavs_ecdsa_ctx *ctx, mpavs_tx *tx, const uint8_t seckey[32]) {
    MPAVS_REQUIRE(ctx != NULL && tx != NULL && seckey != NULL);
    uint8_t h[32];
    int r = mpavs_tx_signing_hash(h, tx);
    if (r) return r;
    tx->is_signed = false;
    if (mpavs_ecdsa_sign(ctx, &tx->sig, h, seckey) != MPAVS_ECDSA_OK) return MPAVS_TX_ERR_SECKEY;
    tx->is_signed = true;
    return MPAVS_TX_OK;
}

size_t mpavs_tx_encoded_size_max(const mpavs_tx *tx) {
    MPAVS_REQUIRE(tx != NULL);
    /* 12 fields of at most 33+9 bytes, list header 9, type byte 1, plus the variable parts */
    return 12 * 42 + 10 + tx->data_len + 9 + tx->access_list_rlp_len;
}

int mpavs_tx_serialize(uint8_t *out, size_t cap, size_t *len, const mpavs_tx *tx) {
    MPAVS_REQUIRE(out != NULL && len != NULL && tx != NULL);
    *len = 0;
    int r = check_buildable(tx);
    if (r) return r;
    if (!tx->is_signed) return MPAVS_TX_ERR_UNSIGNED;
    sink s = {.buf = out, .cap = cap};
    encode(&s, tx, SIGNED);
    if (s.overflow) return MPAVS_TX_ERR_SPACE;
    *len = s.len;
    return MPAVS_TX_OK;
}

int mpavs_tx_hash(uint8_t out[32], const mpavs_tx *tx) {
    MPAVS_REQUIRE(out != NULL && tx != NULL);
    int r = check_buildable(tx);
    if (r) return r;
    if (!tx->is_signed) return MPAVS_TX_ERR_UNSIGNED;
    mpavs_keccak_ctx k;
    mpavs_keccak256_init(&k);
    sink s = {.k = &k};
    encode(&s, tx, SIGNED);
    mpavs_keccak_final(&k, out);
    return MPAVS_TX_OK;
}

/* ------------------------------------------------------------ parsing */

static int get_u64(uint64_t *v, mpavs_rlp_iter *it) {
    mpavs_rlp_item x;
    if (mpavs_rlp_next(it, &x)) return MPAVS_TX_ERR_FIELDS;
    return mpavs_rlp_get_u64(v, &x) ? MPAVS_TX_ERR_FIELD : MPAVS_TX_OK;
}

static int get_u256(mpavs_u256 *v, mpavs_rlp_iter *it) {
    mpavs_rlp_item x;
    if (mpavs_rlp_next(it, &x)) return MPAVS_TX_ERR_FIELDS;
    return mpavs_rlp_get_u256(v, &x) ? MPAVS_TX_ERR_FIELD : MPAVS_TX_OK;
}

static int get_be32(uint8_t out[32], mpavs_rlp_iter *it) {
    mpavs_u256 v;
    int r = get_u256(&v, it);
    if (r) return r;
    mpavs_u256_to_be32(out, &v);
    return MPAVS_TX_OK;
}

/* [[address(20), [key(32), ...]], ...] */
static int check_access_list(mpavs_tx *tx, const mpavs_rlp_item *list) {
    if (!list->is_list) return MPAVS_TX_ERR_ACCESS_LIST;
    mpavs_rlp_iter it, e, k;
    mpavs_rlp_item entry, addr, keys, key;
    int r;
    if (mpavs_rlp_iter_init(&it, list)) return MPAVS_TX_ERR_ACCESS_LIST;
    while ((r = mpavs_rlp_next(&it, &entry)) == MPAVS_RLP_OK) {
        if (mpavs_rlp_iter_init(&e, &entry) || mpavs_rlp_next(&e, &addr) ||
            mpavs_rlp_next(&e, &keys) || !mpavs_rlp_iter_done(&e) || addr.is_list ||
            addr.len != 20 || mpavs_rlp_iter_init(&k, &keys))
            return MPAVS_TX_ERR_ACCESS_LIST;
        tx->access_list_addresses++;
        while ((r = mpavs_rlp_next(&k, &key)) == MPAVS_RLP_OK) {
            if (key.is_list || key.len != 32) return MPAVS_TX_ERR_ACCESS_LIST;
            tx->access_list_keys++;
        }
        if (r != MPAVS_RLP_ERR_END) return MPAVS_TX_ERR_ACCESS_LIST;
    }
    return r == MPAVS_RLP_ERR_END ? MPAVS_TX_OK : MPAVS_TX_ERR_ACCESS_LIST;
}

static int parse_fields(mpavs_tx *tx, const mpavs_rlp_item *top) {
    mpavs_rlp_iter it;
    mpavs_rlp_item x;
    int r;
    size_t n;
    if (!top->is_list) return MPAVS_TX_ERR_RLP;
    if (mpavs_rlp_list_count(&n, top)) return MPAVS_TX_ERR_RLP;
    if (n != (tx->type == MPAVS_TX_TYPE_EIP1559 ? 12u : 9u)) return MPAVS_TX_ERR_FIELDS;
    if (mpavs_rlp_iter_init(&it, top)) return MPAVS_TX_ERR_RLP;
    if (tx->type == MPAVS_TX_TYPE_EIP1559) {
        if ((r = get_u64(&tx->chain_id, &it)) || (r = get_u64(&tx->nonce, &it)) ||
            (r = get_u256(&tx->max_priority_fee_per_gas, &it)) ||
            (r = get_u256(&tx->max_fee_per_gas, &it)))
            return r;
    } else {
        if ((r = get_u64(&tx->nonce, &it)) || (r = get_u256(&tx->gas_price, &it))) return r;
    }
    if ((r = get_u64(&tx->gas_limit, &it))) return r;
    if (mpavs_rlp_next(&it, &x)) return MPAVS_TX_ERR_FIELDS;
    if (x.is_list || (x.len != 0 && x.len != 20)) return MPAVS_TX_ERR_FIELD;
    tx->has_to = x.len == 20;
    if (tx->has_to) memcpy(tx->to.bytes, x.p, 20);
    if ((r = get_u256(&tx->value, &it))) return r;
    if (mpavs_rlp_next(&it, &x)) return MPAVS_TX_ERR_FIELDS;
    if (x.is_list) return MPAVS_TX_ERR_FIELD;
    tx->data = x.len ? x.p : NULL;
    tx->data_len = x.len;
    if (tx->type == MPAVS_TX_TYPE_EIP1559) {
        if (mpavs_rlp_next(&it, &x)) return MPAVS_TX_ERR_FIELDS;
        if ((r = check_access_list(tx, &x))) return r;
        tx->access_list_rlp = x.raw;
        tx->access_list_rlp_len = x.raw_len;
        uint64_t parity;
        if ((r = get_u64(&parity, &it))) return r == MPAVS_TX_ERR_FIELD ? MPAVS_TX_ERR_V : r;
        if (parity > 1) return MPAVS_TX_ERR_V;
        tx->sig.recid = (uint8_t)parity;
    } else {
        mpavs_u256 v;
        if ((r = get_u256(&v, &it))) return r == MPAVS_TX_ERR_FIELD ? MPAVS_TX_ERR_V : r;
        mpavs_u256 c35 = mpavs_u256_from_u64(35);
        if (mpavs_u256_bits(&v) <= 5 && (v.w[0] == 27 || v.w[0] == 28)) {
            tx->chain_id = 0;
            tx->sig.recid = (uint8_t)(v.w[0] - 27);
        } else if (mpavs_u256_cmp(&v, &c35) >= 0) {
            mpavs_u256_sub(&v, &v, &c35);
            tx->sig.recid = (uint8_t)(v.w[0] & 1);
            mpavs_u256_shr(&v, &v, 1);
            if (mpavs_u256_bits(&v) > 64 || mpavs_u256_is_zero(&v)) return MPAVS_TX_ERR_V;
            tx->chain_id = v.w[0];
        } else {
            return MPAVS_TX_ERR_V;
        }
    }
    if ((r = get_be32(tx->sig.r, &it)) || (r = get_be32(tx->sig.s, &it))) return r;
    tx->is_signed = true;
    return MPAVS_TX_OK;
}

int mpavs_tx_parse(mpavs_tx *tx, const uint8_t *raw, size_t len) {
    MPAVS_REQUIRE(tx != NULL && (raw != NULL || len == 0));
    mpavs_tx_init(tx, MPAVS_TX_TYPE_LEGACY);
    if (len == 0) return MPAVS_TX_ERR_RLP;
    mpavs_rlp_item top;
    int r;
    if (raw[0] >= 0xc0) {
        r = mpavs_rlp_decode(&top, raw, len);
    } else if (raw[0] == MPAVS_TX_TYPE_EIP1559) {
        tx->type = MPAVS_TX_TYPE_EIP1559;
        r = mpavs_rlp_decode(&top, raw + 1, len - 1);
    } else if (raw[0] < 0x80) {
        return MPAVS_TX_ERR_TYPE;
    } else {
        return MPAVS_TX_ERR_RLP;
    }
    if (r) return MPAVS_TX_ERR_RLP;
    r = parse_fields(tx, &top);
    if (r) {
        int type = tx->type;
        mpavs_tx_init(tx, type);
    }
    return r;
}

int mpavs_tx_sender(const mpavs_ecdsa_ctx *ctx, mpavs_address *from, const mpavs_tx *tx) {
    MPAVS_REQUIRE(ctx != NULL && from != NULL && tx != NULL);
    memset(from, 0, sizeof *from);
    if (!tx->is_signed) return MPAVS_TX_ERR_UNSIGNED;
    uint8_t h[32];
    int r = mpavs_tx_signing_hash(h, tx);
    if (r) return r;
    if (mpavs_ecdsa_recover_address(ctx, from, &tx->sig, h) != MPAVS_ECDSA_OK)
        return MPAVS_TX_ERR_SIGNATURE;
    return MPAVS_TX_OK;
}
